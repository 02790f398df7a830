"""Outcomes: what happened to the people in the team's care, per month over the
last twelve months, for a person's page and for "How we are doing".

- goals achieved and goals let go (by the day each ended, `Goal.ended_on`);
- hospital admissions and emergency visits, planned and unplanned (`Admission`);
- network growth: strong ties now next to when the network was first recorded
  (a fortnight after its first entry, as the person's page says it), for one
  person and for the caseload (how many people's strong ties grew, stayed or shrank).

Each team figure is one query however long the history (the rows come back
already counted per month, or one row per tie), and comes back as plain lists,
one number per month, oldest first: a series a chart draws as it is.
"""

import datetime as dt
from typing import NamedTuple

from peewee import fn

from teamcase.dates import local_today, to_local
from teamcase.db import db
from teamcase.models import Admission, Client, Goal, NetworkMember

MONTHS = 12
# The network as first recorded: what was written down in the first fortnight.
SETTLING = dt.timedelta(days=14)


def months(today: dt.date | None = None, count: int = MONTHS) -> list[dt.date]:
    """The first days of the `count` months that end with this one, oldest first:
    whole months, so that each point of a series counts the same stretch."""
    today = today or local_today()
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _month_end(first: dt.date) -> dt.date:
    after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return after - dt.timedelta(days=1)


def _by_month(field):
    """Year and month of a date column, as both backends extract them."""
    return db.extract_date("year", field), db.extract_date("month", field)


class GoalMonths(NamedTuple):
    months: list[dt.date]
    achieved: list[int]
    let_go: list[int]


class AdmissionMonths(NamedTuple):
    """Per month: stays in hospital and emergency visits (emergency department,
    out-of-hours GP, an ambulance that did not take them in), planned or not."""

    months: list[dt.date]
    admissions_planned: list[int]
    admissions_unplanned: list[int]
    emergency_planned: list[int]
    emergency_unplanned: list[int]

    @property
    def admissions(self) -> list[int]:
        return [
            a + b for a, b in zip(self.admissions_planned, self.admissions_unplanned, strict=True)
        ]

    @property
    def emergency(self) -> list[int]:
        return [
            a + b for a, b in zip(self.emergency_planned, self.emergency_unplanned, strict=True)
        ]


class NetworkGrowth(NamedTuple):
    """Per month's end (today for this month): of the people in care whose network
    was first recorded at least a fortnight before, how many have more strong ties
    than then, as many, or fewer."""

    months: list[dt.date]
    grew: list[int]
    stayed: list[int]
    shrank: list[int]


def _goal_counts(where, month_list) -> GoalMonths:
    start, end = month_list[0], _month_end(month_list[-1])
    year, month = _by_month(Goal.ended_on)
    rows = (
        Goal.select(year.alias("y"), month.alias("m"), Goal.status, fn.COUNT(Goal.id).alias("n"))
        .join(Client)
        .where(where, Goal.ended_on.between(start, end), Goal.status.in_(Goal.ENDED))
        .group_by(year, month, Goal.status)
        .tuples()
    )
    counts = {(int(y), int(m), status): n for y, m, status, n in rows}
    return GoalMonths(
        month_list,
        [counts.get((m.year, m.month, "achieved"), 0) for m in month_list],
        [counts.get((m.year, m.month, "let_go"), 0) for m in month_list],
    )


def goals_by_month(team, today: dt.date | None = None) -> GoalMonths:
    """Goals of the team's people achieved and let go, per month: one query."""
    return _goal_counts(Client.team == team, months(today))


def _admission_series(counts: dict, month_list) -> AdmissionMonths:
    """The four series from counts by (year, month, a stay in hospital?, planned?)."""

    def series(stay, planned):
        return [counts.get((m.year, m.month, stay, planned), 0) for m in month_list]

    return AdmissionMonths(
        month_list,
        series(True, True),
        series(True, False),
        series(False, True),
        series(False, False),
    )


def _admission_counts(where, month_list) -> AdmissionMonths:
    start, end = month_list[0], _month_end(month_list[-1])
    year, month = _by_month(Admission.happened_on)
    rows = (
        Admission.select(
            year.alias("y"),
            month.alias("m"),
            Admission.kind,
            Admission.planned,
            fn.COUNT(Admission.id).alias("n"),
        )
        .join(Client)
        .where(where, Admission.happened_on.between(start, end))
        .group_by(year, month, Admission.kind, Admission.planned)
        .tuples()
    )
    counts: dict[tuple, int] = {}
    for y, m, kind, planned, n in rows:
        key = (int(y), int(m), kind in Admission.ADMISSIONS, bool(planned))
        counts[key] = counts.get(key, 0) + n

    return _admission_series(counts, month_list)


def admissions_by_month(team, today: dt.date | None = None) -> AdmissionMonths:
    """The team's people's admissions and emergency visits per month: one query."""
    return _admission_counts(Client.team == team, months(today))


def _strong_at(ties, day: dt.date) -> int:
    return sum(
        1
        for since, until, tie in ties
        if tie == "strong" and since <= day and (until is None or until > day)
    )


def network_growth(team, today: dt.date | None = None) -> NetworkGrowth:
    """How the caseload's networks grew, per month's end: one query, a row per tie
    of the team's people (their whole dated network is a few dozen rows each)."""
    today = today or local_today()
    month_list = months(today)
    rows = (
        NetworkMember.select(
            NetworkMember.client,
            Client.care_started_at,
            Client.closed_at,
            NetworkMember.since,
            NetworkMember.until,
            NetworkMember.tie,
        )
        .join(Client)
        .where(Client.team == team)
        .tuples()
    )
    people: dict[int, dict] = {}
    for client_id, started, closed, since, until, tie in rows:
        person = people.setdefault(
            client_id,
            {
                "from": to_local(started).date() if started else None,
                "to": to_local(closed).date() if closed else None,
                "ties": [],
            },
        )
        person["ties"].append((since, until, tie))
    grew, stayed, shrank = [], [], []
    for first in month_list:
        day = min(_month_end(first), today)
        counts = [0, 0, 0]
        for person in people.values():
            in_care = (person["from"] is None or person["from"] <= day) and (
                person["to"] is None or person["to"] > day
            )
            start = min(since for since, _, _ in person["ties"]) + SETTLING
            if not in_care or start > day:
                continue
            before, now = _strong_at(person["ties"], start), _strong_at(person["ties"], day)
            counts[0 if now > before else 1 if now == before else 2] += 1
        grew.append(counts[0])
        stayed.append(counts[1])
        shrank.append(counts[2])
    return NetworkGrowth(month_list, grew, stayed, shrank)


class PersonOutcomes(NamedTuple):
    """What the person's page shows of their own outcomes."""

    admissions: list  # every admission and emergency visit, newest first
    year: AdmissionMonths  # of them, the last twelve months
    goals: GoalMonths  # their goals achieved and let go, the last twelve months
    network: dict | None  # NetworkMember.growth: first recorded, and now

    @property
    def in_year(self) -> dict[str, int]:
        """Of the last twelve months: admissions and emergency visits, and how many
        of each were unplanned."""
        return {
            "admissions": sum(self.year.admissions),
            "admissions_unplanned": sum(self.year.admissions_unplanned),
            "emergency": sum(self.year.emergency),
            "emergency_unplanned": sum(self.year.emergency_unplanned),
        }

    @property
    def goals_in_year(self) -> dict[str, int]:
        return {"achieved": sum(self.goals.achieved), "let_go": sum(self.goals.let_go)}

    @property
    def goal_months(self) -> list[tuple[dt.date, int, int]]:
        """The months in which a goal ended: (month, achieved, let go), newest first."""
        rows = zip(self.goals.months, self.goals.achieved, self.goals.let_go, strict=True)
        return [row for row in reversed(list(rows)) if row[1] or row[2]]

    @property
    def network_shown(self) -> bool:
        """Growth means something once the first fortnight has passed."""
        return bool(self.network) and self.network["start"] < local_today()

    @property
    def anything(self) -> bool:
        """Whether "How it is going" has anything to show."""
        return bool(self.network_shown or self.goal_months or any(self.in_year.values()))


def person_outcomes(client, today: dt.date | None = None) -> PersonOutcomes:
    """A person's own outcomes, in three queries: their admissions and emergency
    visits (counted from the same rows), their goals that ended, their network."""
    today = today or local_today()
    month_list = months(today)
    admissions = list(Admission.for_client(client))
    start, end = month_list[0], _month_end(month_list[-1])
    counts: dict[tuple, int] = {}
    for row in admissions:
        if start <= row.happened_on <= end:
            key = (row.happened_on.year, row.happened_on.month, row.is_admission, row.planned)
            counts[key] = counts.get(key, 0) + 1

    return PersonOutcomes(
        admissions=admissions,
        year=_admission_series(counts, month_list),
        goals=_goal_counts(Goal.client == client, month_list),
        network=NetworkMember.growth(client),
    )
