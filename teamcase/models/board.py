"""The team board: tasks that anyone adds, claims, hands back or finishes, and
requests to a colleague that only she answers.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client
from teamcase.models.teams import Team, User
from teamcase.models.versioned import Versioned


class Task(Versioned, BaseModel):
    """Something to do on the team board, for a person or for the team.

    Nobody assigns work: a member claims a task, or is asked and accepts.
    """

    OPEN = "open"
    DONE = "done"

    team = ForeignKeyField(Team, backref="tasks", on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, backref="tasks", on_delete="CASCADE")
    title = CharField(max_length=200)
    note = TextField(default="")
    due_on = DateField(null=True)
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    claimed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    claimed_at = DateTimeField(null=True)
    requested_of = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    requested_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    requested_at = DateTimeField(null=True)
    # Set when the colleague asked said no; the request stays so the asker sees it.
    declined_at = DateTimeField(null=True)
    status = CharField(max_length=10, default=OPEN)
    done_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    done_at = DateTimeField(null=True)
    # The meeting item that agreed it, for the minutes (teamcase/meetings.py).
    meeting_item = DeferredForeignKey("AgendaItem", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "due_on"), False),)

    ENTITY = "task"
    FILTERS = {
        "open": _l("All open"),
        "mine": _l("Mine"),
        "unclaimed": _l("Unclaimed"),
        "overdue": _l("Overdue"),
    }
    DONE_DAYS = 14

    def snapshot(self) -> dict:
        # The history names the person, not an id: it is read by the team.
        return {
            "title": self.title,
            "note": self.note,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "person": self.client.name if self.client_id else None,
        }

    @classmethod
    def _cards(cls):
        """Tasks with their person and every colleague a card names, in one query."""
        claimer, asked, asker, doer, adder = (User.alias(n) for n in ("c", "q", "r", "d", "a"))
        columns = [Client.id, Client.name, Client.preferred_name]
        for alias in (claimer, asked, asker, doer, adder):
            columns += [alias.id, alias.name]
        return (
            cls.select(cls, *columns)
            .join(Client, JOIN.LEFT_OUTER, on=(cls.client == Client.id))
            .switch(cls)
            .join(claimer, JOIN.LEFT_OUTER, on=(cls.claimed_by == claimer.id))
            .switch(cls)
            .join(asked, JOIN.LEFT_OUTER, on=(cls.requested_of == asked.id))
            .switch(cls)
            .join(asker, JOIN.LEFT_OUTER, on=(cls.requested_by == asker.id))
            .switch(cls)
            .join(doer, JOIN.LEFT_OUTER, on=(cls.done_by == doer.id))
            .switch(cls)
            .join(adder, on=(cls.created_by == adder.id))
        )

    @classmethod
    def card(cls, task_id: int):
        return cls._cards().where(cls.id == task_id).get()

    @classmethod
    def _still_ours(cls):
        # A person transferred to another team leaves the board with their record.
        return cls.client.is_null() | (Client.team == cls.team)

    @classmethod
    def open_for(cls, team):
        """The team's open tasks: the soonest due first (so overdue ones lead), then
        those without a date, newest first within each."""
        return (
            cls._cards()
            .where(cls.team == team, cls.status == cls.OPEN, cls._still_ours())
            .order_by(cls.due_on.asc(nulls="last"), cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def done_for(cls, team, since: dt.datetime):
        return (
            cls._cards()
            .where(cls.team == team, cls.status == cls.DONE, cls._still_ours())
            .where(cls.done_at >= since)
            .order_by(cls.done_at.desc(), cls.id.desc())
        )

    @classmethod
    def open_count(cls, client) -> int:
        return cls.select().where(cls.client == client, cls.status == cls.OPEN).count()

    @property
    def is_open(self):
        return self.status == self.OPEN

    @property
    def pending_request(self):
        """A colleague was asked and has not answered, and nobody took it meanwhile."""
        return (
            self.is_open
            and self.requested_of_id is not None
            and self.claimed_by_id is None
            and self.declined_at is None
        )

    @property
    def declined(self):
        return self.is_open and self.claimed_by_id is None and self.declined_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    def shows_in(self, view: str, user, today: dt.date) -> bool:
        """Whether the task belongs under one of FILTERS for `user`."""
        if view == "mine":
            return self.claimed_by_id == user.id or (
                self.pending_request and self.requested_of_id == user.id
            )
        if view == "unclaimed":
            return self.claimed_by_id is None
        if view == "overdue":
            return self.is_overdue(today)
        return True

    @classmethod
    def add(cls, team, by, **fields):
        with db.atomic():
            task = cls.create(team=team, created_by=by, **fields)
            AuditEvent.record(
                by, task.client, "create", cls.ENTITY, task.id, after=task.snapshot(), team=team
            )
        return task

    def _move(self, by, action: str, allowed, **changes) -> bool:
        """Apply `changes` only while the open task in the database still meets
        `allowed`. One conditional UPDATE: of two members at the same moment exactly
        one changes the row, the other gets False and changes nothing."""
        with db.atomic():
            moved = (
                Task.update(**changes)
                .where(Task.id == self.id, Task.status == Task.OPEN, allowed)
                .execute()
            )
            if not moved:
                return False
            after = {
                key: (value.name if isinstance(value, User) else value)
                for key, value in changes.items()
            }
            AuditEvent.record(
                by, self.client, action, self.ENTITY, self.id, after=after, team=self.team_id
            )
        return True

    def claim(self, by) -> bool:
        """Say "I'll do it": only while nobody has it. A pending request stays on the
        row, so the colleague who was asked learns who took it instead."""
        return self._move(
            by, "claim", Task.claimed_by.is_null(), claimed_by=by, claimed_at=utcnow()
        )

    def hand_back(self, by) -> bool:
        """The claimer lets it go; it is up for anyone again, without the old request."""
        return self._move(
            by,
            "handback",
            Task.claimed_by == by,
            claimed_by=None,
            claimed_at=None,
            requested_of=None,
            requested_by=None,
            requested_at=None,
            declined_at=None,
        )

    def complete(self, by) -> bool:
        """Done by the member who has it, or by anyone when nobody had it."""
        return self._move(
            by,
            "complete",
            Task.claimed_by.is_null() | (Task.claimed_by == by),
            status=Task.DONE,
            done_by=by,
            done_at=utcnow(),
        )

    def ask(self, by, colleague) -> bool:
        """Ask one colleague to do it: she alone accepts or declines. Nobody else is
        asked while she has not answered, and nobody asks about a task someone has."""
        return self._move(
            by,
            "request",
            Task.claimed_by.is_null()
            & (Task.requested_of.is_null() | Task.declined_at.is_null(False)),
            requested_of=colleague,
            requested_by=by,
            requested_at=utcnow(),
            declined_at=None,
        )

    def _unanswered_by(self, member):
        return (
            (Task.requested_of == member) & Task.claimed_by.is_null() & Task.declined_at.is_null()
        )

    def accept(self, by) -> bool:
        """The colleague who was asked takes it on: she becomes the one who has it."""
        return self._move(by, "accept", self._unanswered_by(by), claimed_by=by, claimed_at=utcnow())

    def decline(self, by) -> bool:
        """The colleague who was asked says no; the one who asked sees it on the card."""
        return self._move(by, "decline", self._unanswered_by(by), declined_at=utcnow())

    def change(self, by, version: int, **fields) -> bool:
        """Save title, note, due date or person unless someone saved since `version`
        was read, or the task was finished; False (and nothing saved) otherwise."""
        before = self.snapshot()
        with db.atomic():
            if not self.save_if_current(version, Task.status == Task.OPEN, **fields):
                return False
            fresh = Task.get_by_id(self.id)
            AuditEvent.record(
                by,
                fresh.client,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=fresh.snapshot(),
                team=self.team_id,
            )
        return True
