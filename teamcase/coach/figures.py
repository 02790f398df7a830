"""The figures a coach sees of each team that linked them: team totals only, never a
person's details or who of the team did what, and never a comparison between teams.

One query for all her teams together, so that the page costs the same number of
queries for 2 teams as for 50.
"""

import dataclasses
import datetime as dt

from peewee import fn

from teamcase.dates import local_today, to_local
from teamcase.models import (
    Client,
    CoachLink,
    CoachThread,
    Meeting,
    Referral,
    SupportRequest,
    Team,
    User,
)


@dataclasses.dataclass
class TeamFigures:
    team: Team
    members: int = 0
    # People in care now, against the room the team itself says it has.
    people: int = 0
    open_referrals: int = 0
    # Days the oldest undecided referral has waited (None: no referral waits).
    oldest_referral_days: int | None = None
    open_requests: int = 0
    last_meeting: dt.date | None = None
    next_meeting: dt.date | None = None
    # Threads the team opened with her that she has not closed her side of.
    asked: int = 0
    # Filled in by the view: the texts and links of the row.
    links: dict = dataclasses.field(default_factory=dict)
    in_care: str = ""
    oldest_text: str = ""
    last_text: str = ""
    next_text: str = ""
    pages_label: str = ""
    # The small charts of the measures the team shares with her (HTML).
    charts: str = ""

    @property
    def room(self) -> int:
        return self.team.capacity


def team_overview(coach, today: dt.date | None = None) -> list[TeamFigures]:
    """Her linked teams in alphabetical order, each with its figures, in one query
    however many teams she has: each figure is a subquery on the team's row, which
    the indexes on (team, status) answer."""
    today = today or local_today()
    members = User.select(fn.COUNT(User.id)).where(
        User.team == Team.id,
        User.role == User.MEMBER,
        User.active == True,  # noqa: E712
    )
    people = Client.select(fn.COUNT(Client.id)).where(
        Client.team == Team.id, Client.status == Client.ACTIVE
    )
    undecided = (Referral.team == Team.id) & Referral.status.in_(Referral.UNDECIDED)
    referrals = Referral.select(fn.COUNT(Referral.id)).where(undecided)
    oldest = Referral.select(fn.MIN(Referral.received_at)).where(undecided)
    requests = SupportRequest.select(fn.COUNT(SupportRequest.id)).where(
        SupportRequest.team == Team.id, SupportRequest.status.in_(SupportRequest.OPEN)
    )
    last = Meeting.select(fn.MAX(Meeting.held_on)).where(
        Meeting.team == Team.id, Meeting.status == Meeting.DONE
    )
    upcoming = Meeting.select(fn.MIN(Meeting.held_on)).where(
        Meeting.team == Team.id, Meeting.status != Meeting.DONE
    )
    rows = (
        Team.select(
            Team.id,
            Team.name,
            Team.area,
            Team.capacity,
            Team.changed,
            Team.coach_measures,
            members.alias("members"),
            people.alias("people"),
            referrals.alias("open_referrals"),
            oldest.alias("oldest_referral"),
            requests.alias("open_requests"),
            last.alias("last_meeting"),
            upcoming.alias("next_meeting"),
            CoachThread.asked_of(coach).alias("asked"),
        )
        .join(CoachLink)
        .where(CoachLink.coach == coach)
        .order_by(Team.name)
        .tuples()
    )
    overview = []
    for team_id, name, area, capacity, changed, shared, *figures in rows:
        team = Team(
            id=team_id,
            name=name,
            area=area,
            capacity=capacity,
            changed=changed,
            coach_measures=shared,
        )
        members_n, people_n, referrals_n, oldest_at, requests_n, last_on, next_on, asked = figures
        row = TeamFigures(
            team,
            members=members_n,
            people=people_n,
            open_referrals=referrals_n,
            open_requests=requests_n,
            last_meeting=_day(last_on),
            next_meeting=_day(next_on),
            asked=asked or 0,
        )
        if oldest_at is not None:
            row.oldest_referral_days = max(0, (today - to_local(_moment(oldest_at)).date()).days)
        overview.append(row)
    return overview


def _moment(value) -> dt.datetime:
    # SQLite hands an aggregate of a datetime column back as text.
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def _day(value) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
