"""The Omaha System's ratings, for the teams that use it: Knowledge, Behaviour and
Status (1–5) of each problem on a person's list, over time.

- For one person: their problems by domain, each with its ratings oldest first
  and the strengths of theirs linked to it: three queries, however long the history.
- For the caseload (How we are doing): per problem in use for the people in care
  now, how many people have it and, of those rated more than once, the average
  change of each concept from the first rating to the newest. Team totals only:
  nobody is named. One query.
"""

from typing import NamedTuple

from peewee import JOIN

from teamcase.models import Client, OmahaProblem, OmahaRating, OmahaStrength, Strength
from teamcase.omaha import CONCEPTS, system


class PersonProblem(NamedTuple):
    problem: OmahaProblem
    ratings: list[OmahaRating]  # oldest first
    strengths: list[Strength]

    @property
    def latest(self) -> OmahaRating | None:
        return self.ratings[-1] if self.ratings else None

    @property
    def newest_number(self) -> int:
        return self.ratings[-1].number if self.ratings else 0

    def series(self, concept: str) -> list[int]:
        return [getattr(r, concept) for r in self.ratings]


class PersonOmaha(NamedTuple):
    domains: list[tuple]  # (domain, [PersonProblem, active first]) for domains in use
    taken: set[str]  # the codes on the list, ended ones too

    @property
    def any(self) -> bool:
        return bool(self.taken)


def person_omaha(client) -> PersonOmaha:
    problems = list(OmahaProblem.for_client(client))
    ids = [p.id for p in problems]
    ratings: dict[int, list] = {i: [] for i in ids}
    strengths: dict[int, list] = {i: [] for i in ids}
    if ids:
        for rating in (
            OmahaRating.select().where(OmahaRating.problem.in_(ids)).order_by(OmahaRating.number)
        ):
            ratings[rating.problem_id].append(rating)
        for link in (
            OmahaStrength.select(OmahaStrength, Strength)
            .join(Strength)
            .where(OmahaStrength.problem.in_(ids))
            .order_by(Strength.id)
        ):
            strengths[link.problem_id].append(link.strength)
    found = system()
    by_domain: dict[str, list] = {code: [] for code in found.domains}
    for problem in problems:
        # A code the file no longer holds still shows, under the last domain.
        domain = problem.domain if problem.domain in by_domain else list(by_domain)[-1]
        by_domain[domain].append(PersonProblem(problem, ratings[problem.id], strengths[problem.id]))
    domains = [
        (found.domains[code], sorted(rows, key=lambda row: (row.problem.ended, row.problem.code)))
        for code, rows in by_domain.items()
        if rows
    ]
    return PersonOmaha(domains, {p.code for p in problems})


class ProblemInUse(NamedTuple):
    code: str
    name: str
    people: int  # with the problem open, in care now
    rated_again: int  # of them, rated more than once
    change: dict[str, float | None]  # concept: average newest − first, None when nobody


def caseload_omaha(team) -> list[ProblemInUse]:
    """Per problem open for people in care now, in the System's order: one query."""
    rows = (
        OmahaProblem.select(
            OmahaProblem.id,
            OmahaProblem.code,
            OmahaRating.number,
            OmahaRating.knowledge,
            OmahaRating.behaviour,
            OmahaRating.status,
        )
        .join(Client)
        .switch(OmahaProblem)
        .join(OmahaRating, join_type=JOIN.LEFT_OUTER)
        .where(
            Client.team == team,
            Client.status == Client.ACTIVE,
            OmahaProblem.ended_on.is_null(),
        )
        .tuples()
    )
    problems: dict[int, dict] = {}
    for problem_id, code, number, *values in rows:
        held = problems.setdefault(problem_id, {"code": code, "ratings": []})
        if number is not None:
            held["ratings"].append((number, values))
    by_code: dict[str, dict] = {}
    for held in problems.values():
        counted = by_code.setdefault(
            held["code"], {"people": 0, "again": 0, "sums": dict.fromkeys(CONCEPTS, 0)}
        )
        counted["people"] += 1
        ratings = sorted(held["ratings"])
        if len(ratings) > 1:
            counted["again"] += 1
            first, newest = ratings[0][1], ratings[-1][1]
            for i, concept in enumerate(CONCEPTS):
                counted["sums"][concept] += newest[i] - first[i]
    found = system()
    order = list(found.problems)
    return [
        ProblemInUse(
            code,
            found.problem_name(code),
            counted["people"],
            counted["again"],
            {
                concept: (total / counted["again"] if counted["again"] else None)
                for concept, total in counted["sums"].items()
            },
        )
        for code, counted in sorted(
            by_code.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]
