"""Self-reliance per life area: who does each area of a person's life now — they
themselves, their network, or professionals — for the teams that keep it.

- For one person: the latest rating of each area, and the shares at each day
  they were rated (every area as last rated by then), oldest first.
- For the caseload, per month over the last twelve months: of the people in care
  at the month's end (today for this month), each area as last rated by then,
  counted by who does it.

Both come from the ratings themselves in one query each, however long the
history: a person holds a few dozen rows, a team a few thousand.
"""

import datetime as dt
from typing import NamedTuple

from teamcase.dates import local_today, to_local
from teamcase.measures.outcomes import _month_end, months
from teamcase.models import Client, SelfReliance

WHO = tuple(SelfReliance.WHO)


class Point(NamedTuple):
    """The ratings as they stood on one day (a day rated, or a month's end)."""

    day: dt.date
    counts: dict[str, int]  # who: how many areas (or areas of people) they do

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, who: str) -> float | None:
        """The part of the rated areas that `who` does, 0–1; None with nothing rated."""
        return self.counts.get(who, 0) / self.total if self.total else None


def _count(latest: dict) -> dict[str, int]:
    counts = dict.fromkeys(WHO, 0)
    for who in latest.values():
        if who in counts:
            counts[who] += 1
    return counts


def _order(row) -> tuple:
    """Ratings in the order they were made: by the day, then as written down."""
    return (row.rated_on, row.created_at, row.id)


class PersonSelfReliance(NamedTuple):
    latest: list[tuple[str, str, SelfReliance | None]]  # (area, its label, last rating)
    points: list[Point]  # one per day rated, oldest first
    history: list[tuple[str, str, list[SelfReliance]]]  # (area, label, its ratings)

    @property
    def rated(self) -> bool:
        return bool(self.points)


def person_self_reliance(client) -> PersonSelfReliance:
    """One person's ratings, in one query."""
    ratings = sorted(SelfReliance.for_client(client), key=_order)
    areas = dict(SelfReliance.AREAS)
    for row in ratings:
        # An area an install no longer lists still shows what it held.
        areas.setdefault(row.area, row.area)
    by_area: dict[str, list] = {area: [] for area in areas}
    for row in ratings:
        by_area[row.area].append(row)
    points, state = [], {}
    for i, row in enumerate(ratings):
        state[row.area] = row.who
        if i + 1 == len(ratings) or ratings[i + 1].rated_on != row.rated_on:
            points.append(Point(row.rated_on, _count(state)))
    return PersonSelfReliance(
        latest=[(area, label, (by_area[area] or [None])[-1]) for area, label in areas.items()],
        points=points,
        history=[(area, label, by_area[area]) for area, label in areas.items() if by_area[area]],
    )


class CaseloadSelfReliance(NamedTuple):
    points: list[Point]  # one per month (its first day), oldest first

    @property
    def rated(self) -> bool:
        return any(p.total for p in self.points)


def caseload_self_reliance(team, today: dt.date | None = None) -> CaseloadSelfReliance:
    """Per month's end, the team's people in care then, each area as last rated by
    then, counted by who does it: one query, a row per rating."""
    today = today or local_today()
    rows = (
        SelfReliance.select(
            SelfReliance.id,
            SelfReliance.client,
            SelfReliance.area,
            SelfReliance.who,
            SelfReliance.rated_on,
            SelfReliance.created_at,
            Client.care_started_at,
            Client.closed_at,
        )
        .join(Client)
        .where(Client.team == team)
        .objects()
    )
    people: dict[int, dict] = {}
    for row in sorted(rows, key=_order):
        person = people.setdefault(
            row.client_id,
            {
                "from": to_local(row.care_started_at).date() if row.care_started_at else None,
                "to": to_local(row.closed_at).date() if row.closed_at else None,
                "ratings": [],
            },
        )
        person["ratings"].append((row.rated_on, row.area, row.who))
    points = []
    for first in months(today):
        day = min(_month_end(first), today)
        counts = dict.fromkeys(WHO, 0)
        for person in people.values():
            in_care = (person["from"] is None or person["from"] <= day) and (
                person["to"] is None or person["to"] > day
            )
            if not in_care:
                continue
            latest = {area: who for rated_on, area, who in person["ratings"] if rated_on <= day}
            for who, n in _count(latest).items():
                counts[who] += n
        points.append(Point(first, counts))
    return CaseloadSelfReliance(points)
