"""The cast with a row in every table: for tests that copy or export everything.

Team B gets a person of its own with a contact, someone in her network and a
task, each carrying a word (ZUIDGEHEIM) that must never appear outside team B.
"""

import datetime as dt

from teamcase.db import db
from teamcase.models import (
    AboutMe,
    Attendance,
    CauseGroup,
    Contact,
    LoginThrottle,
    MeetingFlag,
    NetworkMember,
    PlannedVisit,
    SupportAttachment,
    SupportMover,
    SupportRequest,
    Task,
    VisitSeries,
    utcnow,
)

SECRET_OF_TEAM_B = "ZUIDGEHEIM"


def fill(cast):
    """Add to `cast` whatever it lacks for every table to hold a row."""
    # The cast makes these on first use.
    for name in (
        "connection",
        "referral_a",
        "visit_a",
        "task_a",
        "role_a",
        "invitation_a",
        "decision_a",
        "meeting_a",
        "item_a",
    ):
        getattr(cast, name)
    today = dt.date.today()
    with db.connection_context():
        AboutMe.write(cast.person_a, "matters", cast.a1, 0, "My garden", "person")
        Contact.record(
            cast.person_a,
            by=cast.a1,
            colleagues=[cast.a2],
            happened_at=utcnow() - dt.timedelta(hours=1),
            minutes=45,
            kind="home_visit",
            note="Washed and dressed together; Bram came along.",
        )
        Attendance.create(meeting=cast.meeting_a, member=cast.a1)
        MeetingFlag.create(
            team=cast.team_a, client=cast.person_a, reason="Falls more often", flagged_by=cast.a1
        )
        series = VisitSeries.create(
            team=cast.team_a,
            client=cast.person_a,
            rule=VisitSeries.DAILY,
            starts_on=today,
            ends_on=today + dt.timedelta(days=2),
            created_by=cast.a1,
        )
        PlannedVisit.add(
            cast.person_a,
            cast.a1,
            member=cast.a2,
            day=today + dt.timedelta(days=1),
            starts_at=dt.time(8, 0),
            ends_at=dt.time(8, 30),
            series=series,
        )
        LoginThrottle.create(key="account:someone@example.org", failures=1)
        asked = SupportRequest.file(
            cast.team_a,
            by=cast.a1,
            category="equipment",
            subject="A new tablet",
            description="Mine has a cracked screen.",
        )
        SupportAttachment.create(
            request=asked,
            filename="screen.png",
            content_type="image/png",
            size=8,
            data=b"\x89PNG\r\n\x1a\n",
            uploaded_by=cast.a1,
        )
        # Who goes to a new team: a row of the table, on a request made as it is
        # stored (team A has two members, so a request it files must keep one).
        split = SupportRequest.create(
            team=cast.team_a,
            filed_by=cast.a1,
            category="accounts",
            subject="A new team: Team A-Noord",
            description="",
            kind="new_team",
            asked_name="Team A-Noord",
        )
        SupportMover.create(request=split, member=cast.a2, name=cast.a2.name)
        # A question to the team's coach, and her answer.
        cast.thread_a.answer(by=cast.coach_a, text="Zuid plans the weekend shifts in pairs.")
        # The team's own name for a failure demand cause (How we are doing).
        CauseGroup.rename(cast.team_a, cast.a1, "GP phone line", "GP practice")
        # Team B's own, never to be seen by team A.
        Contact.record(
            cast.person_b,
            by=cast.b1,
            happened_at=utcnow() - dt.timedelta(hours=3),
            minutes=20,
            kind="phone",
            note=f"{SECRET_OF_TEAM_B}: worried about the stairs.",
        )
        NetworkMember.add(
            cast.person_b, cast.b1, name=f"Buurvrouw {SECRET_OF_TEAM_B}", relation="neighbour"
        )
        Task.add(cast.team_b, cast.b1, client=cast.person_b, title=f"Call {SECRET_OF_TEAM_B}")
        SupportRequest.file(
            cast.team_b,
            by=cast.b1,
            category="other",
            subject=f"Keys for {SECRET_OF_TEAM_B}",
            description="The office keys.",
        )
    return cast
