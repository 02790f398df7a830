"""A year of what came in (demand.toml): the incoming calls and messages of a team,
week by week, with the usual ups and downs and the one change the team acted on.

The reasons are those of contacts.toml; the weeks draw on a stream of their own
(`seed`), so the year is the same on every run and the rest of the demo stays put.
Every contact goes in through `Contact.record`, on someone in care at that moment.
"""

import datetime as dt
import math
import random

from teamcase.demo.details import local_utc
from teamcase.models import Client, Contact
from teamcase.models.measures import week_of


def _drawn(rng, mean: float) -> int:
    """How many in a week with on average `mean`: Poisson, as independent calls are."""
    if mean <= 0:
        return 0
    # Knuth's method: small means only, which a team's week is.
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def add_year_of_demand(demo, teams):
    """The incoming contacts of the year for the team of demand.toml."""
    data = demo.data.demand
    team, members = teams[data["team"]]
    rng = random.Random(data["seed"])
    # Who called and when on a stream of its own: the weeks' numbers stay the same
    # whoever happens to be in care.
    pick = random.Random(data["seed"] + 1)
    reasons = demo.data.contacts["incoming"]
    value = [r for r in reasons if r["demand"] == "value"]
    failure = [r for r in reasons if r["demand"] == "failure"]
    signal = data["signal"]
    pronouns = demo.data.people["pronouns"]
    sexes = {p["name"]: p["sex"] for p in demo.data.people["people"][data["team"]]}
    sexes.update({c["name"]: c["sex"] for c in demo.data.closing["closed"]})
    people = list(Client.select().where(Client.team == team).order_by(Client.id))
    latest = demo.now - dt.timedelta(minutes=10)
    this_monday = demo.today - dt.timedelta(days=demo.today.weekday())

    already: dict[dt.date, dict[str, int]] = {}
    incoming = (
        Contact.select(Contact.happened_at, Contact.demand)
        .join(Client)
        .where(Client.team == team, Contact.incoming == True)  # noqa: E712
        .tuples()
    )
    for happened_at, demand in incoming:
        week = already.setdefault(week_of(happened_at), {})
        week[demand] = week.get(demand, 0) + 1

    for weeks_ago in range(data["weeks"] - 1, -1, -1):
        monday = this_monday - dt.timedelta(weeks=weeks_ago)
        extra = 0.0
        if signal["until_weeks_ago"] < weeks_ago <= signal["from_weeks_ago"]:
            extra = signal["extra_per_week"]
        elif weeks_ago <= signal["until_weeks_ago"]:
            extra = signal["after_per_week"]
        # The people's own timelines already hold some calls: the week is topped up
        # to what it drew, so a busier half year does not read as a change.
        had = already.get(monday, {})
        value_calls = _drawn(rng, data["value_per_week"]) - had.get("value", 0)
        failure_calls = _drawn(rng, data["failure_per_week"]) - had.get("failure", 0)
        calls = [pick.choice(value) for _ in range(max(0, value_calls))]
        calls += [pick.choice(failure) for _ in range(max(0, failure_calls))]
        calls += [signal] * _drawn(rng, extra)
        for reason in calls:
            day = monday + dt.timedelta(days=pick.choice([0, 0, 1, 1, 2, 3, 4, 5, 6]))
            minute = pick.randint(8 * 60, 17 * 60 - 1)
            when = local_utc(day, dt.time(minute // 60, minute % 60))
            if when > latest:
                continue
            there = [p for p in people if _in_care(p, when)]
            on_duty = [
                m for m, since, until in members if since <= when and (not until or when < until)
            ]
            if not there or not on_duty:
                continue
            person, author = pick.choice(there), pick.choice(on_duty)
            name = person.name
            words = {"n": person.preferred_name or name.split()[0], **pronouns[sexes[name]]}
            note = pick.choice(reason["notes"]) if "notes" in reason else reason["note"]
            minutes = pick.choice([5, 10, 10, 15])
            resolved = pick.random() < reason["resolved"]
            written = when + dt.timedelta(minutes=minutes + pick.randint(2, 60))
            Contact.record(
                person,
                author,
                happened_at=when,
                minutes=minutes,
                kind=reason["kind"],
                note=note.format_map(words),
                incoming=True,
                demand=reason.get("demand", "failure"),
                demand_why=reason["why"],
                resolved_first_time=resolved,
                created_at=min(written, demo.now),
            )


def _in_care(person, when) -> bool:
    started = person.care_started_at or person.created_at
    return started <= when and (person.closed_at is None or when < person.closed_at)
