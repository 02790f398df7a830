"""Hospital admissions and emergency visits on the demo people's pages (outcomes.toml)."""

import datetime as dt

from teamcase.demo.details import local_utc
from teamcase.models import Admission, Client


def add_admissions(demo, teams):
    """Each admission or visit of outcomes.toml, written down by whoever knows the
    person best a day after it happened (the next visit), through the model's verb."""
    for key, rows in demo.data.outcomes["admissions"].items():
        team = teams[key][0]
        for row in rows:
            person = Client.get(Client.team == team, Client.name == row["person"])
            by = person.known_best_by().first()
            day = demo.today - dt.timedelta(days=row["days_ago"])
            written = min(local_utc(day + dt.timedelta(days=1), dt.time(10, 30)), demo.now)
            Admission.add(
                person,
                by,
                happened_on=day,
                kind=row["kind"],
                planned=row["planned"],
                why=row["why"],
                created_at=written,
            )
