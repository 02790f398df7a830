"""Hospital admissions and emergency visits on the demo people's pages (outcomes.toml),
who does what in their lives, for the team that keeps it (selfreliance.toml), and
the Omaha System's problems and ratings, for the team that uses it (omaha.toml)."""

import datetime as dt

from teamcase.demo.details import local_utc
from teamcase.models import (
    Admission,
    AuditEvent,
    Client,
    OmahaProblem,
    SelfReliance,
    Strength,
    Team,
    User,
)


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


def add_self_reliance(demo, teams):
    """Who does what (selfreliance.toml): a member turns it on in the team's details,
    through the team's verb, and the people are rated over the year by whoever knows
    them best, each rating written down that afternoon."""
    for key, spec in demo.data.selfreliance["self_reliance"].items():
        team = teams[key][0]
        by = User.get(User.team == team, User.name == spec["turned_on_by"])
        assert team.update_details(by, team.version, uses_self_reliance=True)
        turned_on = local_utc(
            demo.today - dt.timedelta(days=spec["turned_on_days_ago"]), dt.time(14, 0)
        )
        (
            AuditEvent.update(at=turned_on)
            .where(AuditEvent.entity == "team", AuditEvent.entity_id == team.id)
            .where(AuditEvent.id == _last_team_event(team))
            .execute()
        )
        for row in spec["people"]:
            person = Client.get(Client.team == team, Client.name == row["person"])
            rater = person.known_best_by().first()
            for rating in row["ratings"]:
                day = demo.today - dt.timedelta(days=rating["days_ago"])
                written = min(local_utc(day, dt.time(15, 0)), demo.now)
                ended = person.closed_at
                if written < person.care_started_at or (ended and written > ended):
                    raise ValueError(f"{person.name} was not in care {rating['days_ago']} days ago")
                areas = {area: rating[area] for area in SelfReliance.AREAS if area in rating}
                SelfReliance.rate(person, rater, day, areas, created_at=written)


def add_omaha(demo, teams):
    """The Omaha System (omaha.toml): a member turns it on in the team's details, and
    whoever knows each person best adds their problems, links their strengths, rates
    them over the year and ends what is over, each through the model's verbs and
    written down that afternoon."""
    for key, spec in demo.data.omaha["omaha"].items():
        # As it is now: the team's details may have changed since it was made.
        team = Team.get_by_id(teams[key][0].id)
        by = User.get(User.team == team, User.name == spec["turned_on_by"])
        assert team.update_details(by, team.version, uses_omaha=True)
        turned_on = demo.today - dt.timedelta(days=spec["turned_on_days_ago"])
        _date_event("team", team.id, local_utc(turned_on, dt.time(14, 0)))
        for row in spec["people"]:
            person = Client.get(Client.team == team, Client.name == row["person"])
            rater = person.known_best_by().first()
            for item in row["problems"]:
                _add_problem(demo, person, rater, item)


def _add_problem(demo, person, by, item):
    def written(days_ago):
        at = min(local_utc(demo.today - dt.timedelta(days=days_ago), dt.time(15, 0)), demo.now)
        if at < person.care_started_at or (person.closed_at and at > person.closed_at):
            raise ValueError(f"{person.name} was not in care {days_ago} days ago")
        return at

    added = demo.today - dt.timedelta(days=item["added_days_ago"])
    problem = OmahaProblem.add(
        person, by, item["code"], added, created_at=written(item["added_days_ago"])
    )
    wanted = item.get("strengths", [])
    if wanted:
        theirs = Strength.select(Strength.id).where(
            Strength.client == person, Strength.category.in_(wanted)
        )
        assert problem.link_strengths(by, problem.version, [s.id for s in theirs])
        _date_event("omaha_problem", problem.id, written(item["added_days_ago"]))
    for n, rating in enumerate(item["ratings"]):
        day = demo.today - dt.timedelta(days=rating["days_ago"])
        assert problem.rate(
            by,
            n,
            day,
            knowledge=rating["knowledge"],
            behaviour=rating["behaviour"],
            status=rating["status"],
            created_at=written(rating["days_ago"]),
        )
    if "ended_days_ago" in item:
        ended = demo.today - dt.timedelta(days=item["ended_days_ago"])
        problem = OmahaProblem.get_by_id(problem.id)
        assert problem.end(by, problem.version, ended)
        _date_event("omaha_problem", problem.id, written(item["ended_days_ago"]))


def _date_event(entity, entity_id, at):
    """Date the newest event of a record, which a verb wrote as now, to when it happened."""
    newest = (
        AuditEvent.select(AuditEvent.id)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
        .scalar()
    )
    AuditEvent.update(at=at).where(AuditEvent.id == newest).execute()


def _last_team_event(team):
    return (
        AuditEvent.select(AuditEvent.id)
        .where(AuditEvent.entity == "team", AuditEvent.entity_id == team.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
        .scalar()
    )
