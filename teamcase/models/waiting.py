"""What waits for someone in a team: open urgent referrals, planned visits
nobody has (handed over by an ill colleague, or never taken), and support
requests the back office answered (a question, or done to be confirmed), and
threads the coach answered.

The navigation shows it on every member's page, so it is one query: a row of
scalar subqueries, each on an index (referral: team, status, received_at;
planned visit: team, day, member).
"""

import datetime as dt
from typing import NamedTuple

from peewee import fn

from teamcase.models.coaching import CoachThread
from teamcase.models.plan import PlannedVisit
from teamcase.models.referrals import Referral
from teamcase.models.support import SupportRequest
from teamcase.models.teams import Team


class Waiting(NamedTuple):
    urgent_referrals: int
    # When the longest-waiting of them came in (UTC), or None.
    urgent_since: dt.datetime | None
    open_visits: int
    # The first day one of them is planned on, or None.
    first_open_day: dt.date | None
    # Support requests with an answer from the back office waiting for the team.
    support_answers: int = 0
    # Threads with the coach in which she answered since the team last wrote.
    coach_answers: int = 0

    def __bool__(self):
        return bool(self.urgent_referrals or self.open_visits)

    @classmethod
    def in_team(cls, team, today: dt.date) -> "Waiting":
        """For `team` (a Team or its id); visits count from `today` on."""
        urgent = Referral.select().where(
            Referral.team == team,
            Referral.status == Referral.OPEN,
            Referral.urgency == "urgent",
        )
        visits = PlannedVisit.select().where(
            PlannedVisit.team == team,
            PlannedVisit.day >= today,
            PlannedVisit.member.is_null(),
            PlannedVisit.status == PlannedVisit.PLANNED,
        )
        support = SupportRequest.for_team_count(team)
        coach = CoachThread.answers_waiting(team)
        row = (
            Team.select(
                urgent.select(fn.COUNT(Referral.id)),
                urgent.select(fn.MIN(Referral.received_at)),
                visits.select(fn.COUNT(PlannedVisit.id)),
                visits.select(fn.MIN(PlannedVisit.day)),
                support.select(fn.COUNT(SupportRequest.id)),
                coach.select(fn.COUNT(CoachThread.id)),
            )
            .where(Team.id == team)
            .tuples()
            .first()
        )
        if row is None:
            return cls(0, None, 0, None)
        urgent_count, since, visit_count, first_day, answers, coach_answers = row
        # A subquery's value comes back as the database gives it (text on SQLite).
        return cls(
            urgent_count or 0,
            Referral.received_at.python_value(since),
            visit_count or 0,
            PlannedVisit.day.python_value(first_day),
            answers or 0,
            coach_answers or 0,
        )
