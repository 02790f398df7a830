"""What a team asks of its coach: a thread the whole team shares with her.

A member asks (a question, a request for mediation, or an invitation to a planned
meeting); every member of the team reads and writes in it, and closes it. The
coach answers, may point the team to another of her teams, says whether she
comes to the meeting, and closes her side when she has nothing more to add.

Nothing she does changes the team's data: each of her moves is one new message
(`CoachMessage`), hers alone. What the thread waits for (an answer from her, or
the team reading hers) is worked out from the messages, never written on the
thread by her.
"""

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegrityError,
    TextField,
    fn,
)

from teamcase.db import db
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.meetings import Meeting
from teamcase.models.teams import CoachLink, Team, User


class CoachRefused(Exception):
    """A move the thread's state does not allow; the message says why."""


class CoachThread(BaseModel):
    QUESTION, MEDIATION, MEETING = "question", "mediation", "meeting"
    KINDS = {
        QUESTION: _l("A question"),
        MEDIATION: _l("A request for mediation"),
        MEETING: _l("An invitation to a team meeting"),
    }
    # What a member may start from the "ask the coach" form (a meeting invitation
    # starts from the meeting's page).
    ASKED = (QUESTION, MEDIATION)
    OPEN, CLOSED = "open", "closed"

    team = ForeignKeyField(Team, backref="coach_threads", on_delete="CASCADE")
    coach = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=10, default=QUESTION)
    subject = CharField(max_length=200)
    meeting = ForeignKeyField(Meeting, null=True, backref="+", on_delete="CASCADE")
    started_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    status = CharField(max_length=10, default=OPEN)
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = (
            (("team", "status"), False),
            (("coach", "status"), False),
            # One invitation of a coach to a meeting (no meeting: any number).
            (("meeting", "coach"), True),
        )

    @property
    def kind_label(self) -> str:
        return str(self.KINDS.get(self.kind, self.kind))

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN

    # What waits, worked out from the messages (correlated subqueries on the
    # thread's row, so that a list of threads is one query).

    @classmethod
    def _last(cls, condition):
        return CoachMessage.select(fn.MAX(CoachMessage.id)).where(
            CoachMessage.thread == cls.id, condition
        )

    @classmethod
    def waits_for_team(cls):
        """The coach answered since the team last wrote."""
        return fn.COALESCE(cls._last(CoachMessage.kind.in_(CoachMessage.HER_WORDS)), 0) > (
            fn.COALESCE(cls._last(CoachMessage.from_coach == False), 0)  # noqa: E712
        )

    @classmethod
    def her_side_closed(cls):
        """She closed her side since the team last wrote."""
        return fn.COALESCE(cls._last(CoachMessage.kind == CoachMessage.SIDE_CLOSED), 0) > (
            fn.COALESCE(cls._last(CoachMessage.from_coach == False), 0)  # noqa: E712
        )

    @classmethod
    def answer_of_coach(cls):
        """Her latest answer to a meeting invitation ("accepted", "declined"), or NULL."""
        return (
            CoachMessage.select(CoachMessage.kind)
            .where(
                CoachMessage.thread == cls.id,
                CoachMessage.kind.in_((CoachMessage.ACCEPTED, CoachMessage.DECLINED)),
            )
            .order_by(CoachMessage.id.desc())
            .limit(1)
        )

    @classmethod
    def listed(cls):
        """Threads with what waits and her answer to an invitation, as attributes."""
        return cls.select(
            cls,
            cls.waits_for_team().alias("waiting_for_team"),
            cls.her_side_closed().alias("side_closed"),
            cls.answer_of_coach().alias("coach_answer"),
        )

    @classmethod
    def of_team(cls, team):
        """The team's threads: open first, then newest first."""
        return (
            cls.listed()
            .where(cls.team == team)
            .order_by(cls.status == cls.CLOSED, cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def for_coach(cls, coach):
        """Her threads with the teams that linked her now, open ones first."""
        linked = CoachLink.select(CoachLink.team).where(CoachLink.coach == coach)
        return (
            cls.listed()
            .select_extend(Team.id, Team.name)
            .join(Team)
            .where(cls.coach == coach, cls.team.in_(linked))
            .order_by(cls.status == cls.CLOSED, cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def answers_waiting(cls, team):
        """The team's open threads with an answer from the coach it has not replied to."""
        return cls.select().where(cls.team == team, cls.status == cls.OPEN, cls.waits_for_team())

    @classmethod
    def asked_of(cls, coach):
        """Her open threads she has not closed her side of, as a subquery by team."""
        return cls.select(fn.COUNT(cls.id)).where(
            cls.team == Team.id,
            cls.coach == coach,
            cls.status == cls.OPEN,
            ~cls.her_side_closed(),
        )

    @classmethod
    def invitations_for(cls, coach, today):
        """Meetings to come that her linked teams invited her to, soonest first."""
        linked = CoachLink.select(CoachLink.team).where(CoachLink.coach == coach)
        return (
            cls.select(
                cls.id,
                cls.team,
                cls.meeting,
                Team.id,
                Team.name,
                Meeting.id,
                Meeting.held_on,
                Meeting.starts_at,
                Meeting.place,
                cls.answer_of_coach().alias("coach_answer"),
            )
            .join(Team)
            .switch(cls)
            .join(Meeting)
            .where(
                cls.coach == coach,
                cls.kind == cls.MEETING,
                cls.status == cls.OPEN,
                cls.team.in_(linked),
                Meeting.status != Meeting.DONE,
                Meeting.held_on >= today,
            )
            .order_by(Meeting.held_on, Team.name)
        )

    # The team's moves

    @classmethod
    def ask(cls, team, *, by, coach, kind, subject, text, meeting=None, now=None):
        """A member asks the team's coach; `coach` must be linked to the team."""
        from flask_babel import gettext as _

        now = now or utcnow()
        if not CoachLink.select().where(CoachLink.coach == coach, CoachLink.team == team).exists():
            raise CoachRefused(_("%(name)s is not the team's coach now.", name=coach.name))
        with db.atomic():
            try:
                with db.atomic():
                    thread = cls.create(
                        team=team,
                        coach=coach,
                        kind=kind,
                        subject=subject,
                        meeting=meeting,
                        started_by=by,
                        created_at=now,
                    )
            except IntegrityError:
                raise CoachRefused(
                    _("%(name)s is invited to this meeting already.", name=coach.name)
                ) from None
            CoachMessage.create(thread=thread, author=by, kind=CoachMessage.ASKED, text=text)
        return thread

    def write(self, *, by, text, now=None):
        """A member writes in the thread: it waits for the coach again."""
        return self._add(by, CoachMessage.WROTE, text, now=now)

    def close(self, *, by, now=None):
        """The team closes the thread; it stays for the team to read."""
        from flask_babel import gettext as _

        now = now or utcnow()
        with db.atomic():
            closed = (
                CoachThread.update(status=self.CLOSED, closed_at=now, closed_by=by)
                .where(CoachThread.id == self.id, CoachThread.status == self.OPEN)
                .execute()
            )
            if not closed:
                raise CoachRefused(_("This thread was closed already."))
            CoachMessage.create(thread=self, author=by, kind=CoachMessage.CLOSED, created_at=now)
        self.status, self.closed_at, self.closed_by = self.CLOSED, now, by

    # The coach's moves: each one new message of hers, nothing else.

    def answer(self, *, by, text, points_to=None, now=None):
        """She answers; `points_to` is another of her teams that tried the same."""
        return self._add(by, CoachMessage.ANSWER, text, points_to=points_to, now=now)

    def close_her_side(self, *, by, now=None):
        return self._add(by, CoachMessage.SIDE_CLOSED, "", now=now)

    def reply_to_invitation(self, *, by, coming: bool, text="", now=None):
        from flask_babel import gettext as _

        if self.kind != self.MEETING:
            raise CoachRefused(_("This thread is not an invitation to a meeting."))
        kind = CoachMessage.ACCEPTED if coming else CoachMessage.DECLINED
        return self._add(by, kind, text, now=now)

    def _add(self, by, kind, text, *, points_to=None, now=None):
        from flask_babel import gettext as _

        fresh = CoachThread.get_by_id(self.id)
        if fresh.status != self.OPEN:
            raise CoachRefused(_("The team closed this thread. It can no longer change."))
        return CoachMessage.create(
            thread=self,
            author=by,
            kind=kind,
            text=text,
            from_coach=by.is_coach,
            points_to=points_to,
            created_at=now or utcnow(),
        )

    def messages(self):
        pointed = Team.alias("pointed")
        return (
            CoachMessage.select(CoachMessage, User.id, User.name, User.role, pointed)
            .join(User, on=(CoachMessage.author == User.id))
            .switch(CoachMessage)
            .join(
                pointed,
                on=(CoachMessage.points_to == pointed.id),
                join_type=JOIN.LEFT_OUTER,
                attr="pointed",
            )
            .where(CoachMessage.thread == self)
            .order_by(CoachMessage.id)
        )


class CoachMessage(BaseModel):
    """One line of a thread: what a member or the coach wrote, or a move."""

    ASKED, WROTE, CLOSED = "asked", "wrote", "closed"
    ANSWER, SIDE_CLOSED, ACCEPTED, DECLINED = "answer", "side", "accepted", "declined"
    # What the team reads as an answer from her.
    HER_WORDS = (ANSWER, ACCEPTED, DECLINED)
    KINDS = {
        ASKED: _l("asked"),
        WROTE: _l("wrote"),
        CLOSED: _l("closed the thread"),
        ANSWER: _l("answered"),
        SIDE_CLOSED: _l("has nothing more to add for now"),
        ACCEPTED: _l("will come to the meeting"),
        DECLINED: _l("cannot come to the meeting"),
    }

    thread = ForeignKeyField(CoachThread, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    kind = CharField(max_length=10)
    text = TextField(default="")
    from_coach = BooleanField(default=False)
    # Another of her teams she points the team to: its name, nothing of its data.
    points_to = ForeignKeyField(Team, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("thread", "id"), False),)

    @property
    def kind_label(self) -> str:
        return str(self.KINDS.get(self.kind, self.kind))
