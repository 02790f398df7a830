"""The team's outcomes per month, on a small team made by hand: goals achieved and
let go, admissions and emergency visits, and how the caseload's networks grew.

"Today" is 15 June 2026 throughout, so the twelve months are July 2025 to June
2026; every expected figure below was counted by hand from the rows the test writes.
"""

import datetime as dt

import pytest
from conftest import count_queries

from teamcase.measures.outcomes import (
    admissions_by_month,
    goals_by_month,
    months,
    network_growth,
)
from teamcase.models import Admission, Client, Goal, NetworkMember

TODAY = dt.date(2026, 6, 15)
MONTHS = [dt.date(2025, m, 1) for m in range(7, 13)] + [dt.date(2026, m, 1) for m in range(1, 7)]


def _series(**months_and_counts) -> list[int]:
    """Twelve zeros, July 2025 first, with the counts given by month name."""
    names = ["jul", "aug", "sep", "oct", "nov", "dec", "jan", "feb", "mar", "apr", "may", "jun"]
    return [months_and_counts.get(name, 0) for name in names]


def _person(team, by, name, started=dt.date(2025, 6, 1), closed=None):
    person = Client.open(team, by=by, name=name, phone="06-1")
    Client.update(
        care_started_at=dt.datetime.combine(started, dt.time(9)),
        closed_at=dt.datetime.combine(closed, dt.time(10)) if closed else None,
        status=Client.CLOSED if closed else Client.ACTIVE,
    ).where(Client.id == person.id).execute()
    return person


def test_the_months_are_the_twelve_that_end_with_this_one():
    assert months(TODAY) == MONTHS
    assert months(dt.date(2026, 1, 31))[0] == dt.date(2025, 2, 1)
    assert months(dt.date(2026, 12, 1)) == [dt.date(2026, m, 1) for m in range(1, 13)]


def _goal(person, status, ended_on):
    return Goal.create(client=person, words="w", status=status, ended_on=ended_on)


def test_goals_achieved_and_let_go_per_month(app, cast):
    a, closed = cast.person_a, _person(cast.team_a, cast.a1, "Closed", closed=dt.date(2026, 5, 20))
    _goal(a, "achieved", dt.date(2025, 6, 30))  # the month before the twelve
    _goal(a, "achieved", dt.date(2025, 7, 1))
    _goal(a, "let_go", dt.date(2026, 3, 31))
    _goal(a, "achieved", dt.date(2026, 6, 1))
    _goal(a, "achieved", dt.date(2026, 6, 14))
    _goal(closed, "achieved", dt.date(2026, 5, 5))  # a closed case's goals still count
    _goal(cast.person_b, "achieved", dt.date(2026, 6, 1))  # another team's
    Goal.create(client=a, words="still going")  # active: not ended
    with count_queries() as queries:
        figures = goals_by_month(cast.team_a, TODAY)
    assert len(queries) == 1
    assert figures.months == MONTHS
    assert figures.achieved == _series(jul=1, may=1, jun=2)
    assert figures.let_go == _series(mar=1)


def _admission(person, day, kind, planned=False):
    return Admission.create(client=person, happened_on=day, kind=kind, planned=planned)


def test_admissions_and_emergency_visits_per_month(app, cast):
    a = cast.person_a
    Admission.delete().execute()  # the cast's fall is "twenty days ago", not in June 2026
    _admission(a, dt.date(2025, 6, 30), "hospital")  # before the twelve months
    _admission(a, dt.date(2025, 7, 2), "hospital", planned=True)
    _admission(a, dt.date(2025, 7, 20), "hospital")
    _admission(a, dt.date(2026, 2, 1), "emergency")
    _admission(a, dt.date(2026, 2, 28), "out_of_hours")
    _admission(a, dt.date(2026, 2, 14), "ambulance", planned=True)
    _admission(a, dt.date(2026, 6, 15), "hospital")
    _admission(cast.person_b, dt.date(2026, 6, 1), "hospital")  # another team's
    with count_queries() as queries:
        figures = admissions_by_month(cast.team_a, TODAY)
    assert len(queries) == 1
    assert figures.months == MONTHS
    assert figures.admissions_planned == _series(jul=1)
    assert figures.admissions_unplanned == _series(jul=1, jun=1)
    assert figures.emergency_planned == _series(feb=1)
    assert figures.emergency_unplanned == _series(feb=2)
    assert figures.admissions == _series(jul=2, jun=1)
    assert figures.emergency == _series(feb=3)


def _tie(person, by, name, tie, since, until=None):
    return NetworkMember.add(
        person, by, name=name, relation="friend", tie=tie, since=since, until=until
    )


def test_the_caseloads_networks_grew_stayed_or_shrank(app, cast):
    by = cast.a1
    # The cast's Mies: her network is recorded today, too new to compare.
    # Grew: one strong tie when first recorded (19 January), a second from 10 April.
    grew = _person(cast.team_a, by, "Grew", started=dt.date(2026, 1, 5))
    _tie(grew, by, "A", "strong", dt.date(2026, 1, 5))
    _tie(grew, by, "B", "weak", dt.date(2026, 1, 5), until=dt.date(2026, 4, 10))
    _tie(grew, by, "B", "strong", dt.date(2026, 4, 10))
    # Shrank: two strong ties, one ended on 20 February.
    shrank = _person(cast.team_a, by, "Shrank")
    _tie(shrank, by, "A", "strong", dt.date(2025, 6, 1), until=dt.date(2026, 2, 20))
    _tie(shrank, by, "B", "strong", dt.date(2025, 6, 1))
    # Closed on 10 December, after a new strong tie in September: counted while in care.
    closed = _person(cast.team_a, by, "Closed", closed=dt.date(2025, 12, 10))
    _tie(closed, by, "A", "strong", dt.date(2025, 6, 1))
    _tie(closed, by, "C", "strong", dt.date(2025, 9, 1))
    # Another team's person, and someone with no network: not counted.
    _tie(cast.person_b, by, "X", "strong", dt.date(2025, 6, 1))
    _person(cast.team_a, by, "No network")

    with count_queries() as queries:
        figures = network_growth(cast.team_a, TODAY)
    assert len(queries) == 1
    assert figures.months == MONTHS
    assert figures.grew == _series(sep=1, oct=1, nov=1, apr=1, may=1, jun=1)
    assert figures.stayed == _series(jul=2, aug=2, sep=1, oct=1, nov=1, dec=1, jan=2, feb=1, mar=1)
    assert figures.shrank == _series(feb=1, mar=1, apr=1, may=1, jun=1)


@pytest.mark.parametrize(
    "figure", [goals_by_month, admissions_by_month, network_growth], ids=lambda f: f.__name__
)
def test_each_figure_takes_as_many_queries_however_long_the_history(app, cast, figure):
    with count_queries() as few:
        figure(cast.team_a, TODAY)
    people = [_person(cast.team_a, cast.a1, f"P{i}") for i in range(6)]
    start = dt.date(2024, 1, 1)
    for person in people:
        Goal.insert_many(
            [
                {
                    "client": person,
                    "words": "w",
                    "status": "achieved",
                    "ended_on": start + dt.timedelta(days=11 * i),
                }
                for i in range(80)
            ]
        ).execute()
        Admission.insert_many(
            [
                {
                    "client": person,
                    "happened_on": start + dt.timedelta(days=13 * i),
                    "kind": "hospital",
                }
                for i in range(60)
            ]
        ).execute()
        NetworkMember.insert_many(
            [
                {
                    "client": person,
                    "name": f"N{i}",
                    "relation": "friend",
                    "tie": "strong" if i % 2 else "weak",
                    "since": start + dt.timedelta(days=9 * i),
                }
                for i in range(40)
            ]
        ).execute()
    with count_queries() as many:
        result = figure(cast.team_a, TODAY)
    assert len(few) == len(many) == 1
    assert all(len(series) == 12 for series in result)
