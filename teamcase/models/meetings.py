"""Team meetings: planning, the agenda that builds itself from the caseload,
attendance, meeting mode's notes, and people flagged for the meeting.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    Case,
    CharField,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
    TimeField,
    fn,
)

from teamcase.dates import to_local
from teamcase.db import db
from teamcase.generated import Generated, GeneratedCharField, GeneratedTextField
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.board import Task
from teamcase.models.clients import Client
from teamcase.models.referrals import Referral
from teamcase.models.teams import Team, User
from teamcase.models.versioned import Versioned


class Meeting(Versioned, BaseModel):
    """A team meeting, run by a facilitator the team chooses for that meeting.

    A team has one planned meeting at a time (a partial unique index): "the next
    meeting" is one row, whoever plans it, and open items always have a place to go.
    """

    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    STATUSES = {PLANNED: _l("Planned"), RUNNING: _l("Running"), DONE: _l("Done")}
    ENTITY = "meeting"
    # Planning it counts as a save: "Anna saved this meeting" before anyone changed it.
    SAVES = ("update", "create")
    # The usual rhythm: where open items go when no meeting is planned yet.
    RHYTHM = dt.timedelta(days=14)

    team = ForeignKeyField(Team, backref="meetings", on_delete="CASCADE")
    held_on = DateField()
    starts_at = TimeField(null=True)
    place = CharField(max_length=120, default="")
    facilitator = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    note_taker = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    status = CharField(max_length=10, default=PLANNED)
    # Accepting the previous meeting's notes is the first thing a meeting does.
    previous_accepted_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "held_on"), False),)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def is_planned(self):
        return self.status == self.PLANNED

    @property
    def is_running(self):
        return self.status == self.RUNNING

    @property
    def is_done(self):
        return self.status == self.DONE

    def snapshot(self) -> dict:
        return {
            "held_on": self.held_on.isoformat(),
            "starts_at": self.starts_at.strftime("%H:%M") if self.starts_at else None,
            "place": self.place,
            "facilitator": self.facilitator.name if self.facilitator_id else None,
            "note_taker": self.note_taker.name if self.note_taker_id else None,
        }

    def _audit(self, by, action, before=None, after=None):
        AuditEvent.record(
            by, None, action, self.ENTITY, self.id, before=before, after=after, team=self.team_id
        )

    # Reading

    @classmethod
    def with_roles(cls):
        """Meetings with their facilitator and note-taker, in one query."""
        facilitator, note_taker = User.alias("facilitator"), User.alias("note_taker")
        return (
            cls.select(cls, facilitator.id, facilitator.name, note_taker.id, note_taker.name)
            .join(facilitator, JOIN.LEFT_OUTER, on=(cls.facilitator == facilitator.id))
            .switch(cls)
            .join(note_taker, JOIN.LEFT_OUTER, on=(cls.note_taker == note_taker.id))
        )

    @classmethod
    def upcoming(cls, team):
        """The meeting running now, then the one planned next."""
        return (
            cls.with_roles()
            .where(cls.team == team, cls.status != cls.DONE)
            .order_by(cls.status != cls.RUNNING, cls.held_on, cls.id)
        )

    @classmethod
    def held(cls, team):
        """The team's past meetings, newest first, each with `present` (how many
        attended) and `discussed` (items), in one query."""
        present = Attendance.select(fn.COUNT(Attendance.id)).where(Attendance.meeting == cls.id)
        discussed = AgendaItem.select(fn.COUNT(AgendaItem.id)).where(
            AgendaItem.meeting == cls.id, AgendaItem.status == AgendaItem.DISCUSSED
        )
        return (
            cls.with_roles()
            .select_extend(present.alias("present"), discussed.alias("discussed"))
            .where(cls.team == team, cls.status == cls.DONE)
            .order_by(cls.held_on.desc(), cls.id.desc())
        )

    @classmethod
    def planned_for(cls, team):
        return cls.get_or_none(cls.team == team, cls.status == cls.PLANNED)

    def previous(self):
        """The team's last meeting held before this one: its notes are accepted first."""
        return (
            Meeting.select()
            .where(
                Meeting.team == self.team_id,
                Meeting.status == Meeting.DONE,
                Meeting.id != self.id,
                Meeting.held_on <= self.held_on,
            )
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
            .first()
        )

    def present(self) -> list:
        """The members who are here, by name."""
        return list(
            User.select()
            .join(Attendance, on=(Attendance.member == User.id))
            .where(Attendance.meeting == self)
            .order_by(User.name)
        )

    @classmethod
    def rotation(cls, team) -> list:
        """The team's active members, each with `facilitated_on` and `noted_on`: the
        day of the last meeting held that they facilitated, or took notes at (None
        when never), in one query."""
        held = (cls.team == team) & (cls.status == cls.DONE)
        facilitated = cls.select(fn.MAX(cls.held_on)).where(held & (cls.facilitator == User.id))
        noted = cls.select(fn.MAX(cls.held_on)).where(held & (cls.note_taker == User.id))
        members = list(
            team.active_members().select_extend(
                facilitated.alias("facilitated_on"), noted.alias("noted_on")
            )
        )
        for member in members:
            # A subquery's value comes back as text on SQLite.
            for attr in ("facilitated_on", "noted_on"):
                value = getattr(member, attr)
                if isinstance(value, str):
                    setattr(member, attr, dt.date.fromisoformat(value[:10]))
        return members

    def suggestions(self, members) -> dict:
        """Whoever facilitated least recently (never first, then by name), and the
        same for taking notes among the others: a suggestion, the team chooses."""

        def least_recent(attr, leave_out=None):
            candidates = [m for m in members if m.id != leave_out] or list(members)
            if not candidates:
                return None
            return min(candidates, key=lambda m: (getattr(m, attr) or dt.date.min, m.name))

        facilitator = least_recent("facilitated_on")
        chosen = self.facilitator_id or (facilitator.id if facilitator else None)
        return {"facilitator": facilitator, "note_taker": least_recent("noted_on", chosen)}

    def agenda(self):
        """The agenda in order, with each item's person, who added it, and the
        item (and meeting) it was carried from, in one query."""
        adder = User.alias("adder")
        earlier = AgendaItem.alias("earlier")
        earlier_meeting = Meeting.alias("earlier_meeting")
        return (
            AgendaItem.select(
                AgendaItem,
                Client.id,
                Client.name,
                Client.preferred_name,
                Client.review_on,
                Client.status,
                Client.team,
                adder.id,
                adder.name,
                earlier.id,
                earlier.notes,
                earlier.meeting,
                earlier_meeting.id,
                earlier_meeting.held_on,
            )
            .join(Client, JOIN.LEFT_OUTER, on=(AgendaItem.client == Client.id))
            .switch(AgendaItem)
            .join(adder, JOIN.LEFT_OUTER, on=(AgendaItem.added_by == adder.id))
            .switch(AgendaItem)
            .join(earlier, JOIN.LEFT_OUTER, on=(AgendaItem.carried_from == earlier.id))
            .join(earlier_meeting, JOIN.LEFT_OUTER, on=(earlier.meeting == earlier_meeting.id))
            .where(AgendaItem.meeting == self)
            .order_by(AgendaItem.position, AgendaItem.id)
        )

    def tasks(self):
        """The tasks this meeting put on the board, with who has each, oldest first."""
        claimer = User.alias("claimer")
        return (
            Task.select(Task, claimer.id, claimer.name)
            .join(AgendaItem, on=(Task.meeting_item == AgendaItem.id))
            .switch(Task)
            .join(claimer, JOIN.LEFT_OUTER, on=(Task.claimed_by == claimer.id))
            .where(AgendaItem.meeting == self)
            .order_by(Task.id)
        )

    # Changing

    @classmethod
    def plan(cls, team, by, **fields):
        """Plan the team's next meeting. Raises IntegrityError, and changes nothing,
        when a colleague planned one first (even at the same moment)."""
        with db.atomic():
            meeting = cls.create(team=team, created_by=by, **fields)
            meeting._audit(by, "create", after=meeting.snapshot())
        return meeting

    def change(self, by, version: int, **fields) -> bool:
        """Save date, time, place or roles unless someone saved since `version` was
        read or the meeting has ended; False (and nothing saved) otherwise."""
        before = self.snapshot()
        with db.atomic():
            if not self.save_if_current(version, Meeting.status != Meeting.DONE, **fields):
                return False
            fresh = Meeting.get_by_id(self.id)
            self._audit(by, "update", before=before, after=fresh.snapshot())
        self.__data__, self.__rel__ = fresh.__data__, {}
        return True

    def last_event(self, *actions):
        """The newest audit event of this meeting (of one of `actions`), with who."""
        return AuditEvent.last_change(self.ENTITY, self.id, actions or None)

    def printed(self, by, pseudonymised: bool) -> None:
        """The meeting pack was printed. Each person's page in it is a view of their
        record, so it goes into their history too (one insert for all of them)."""
        people = [
            person
            for (person,) in AgendaItem.select(AgendaItem.client)
            .where(AgendaItem.meeting == self, AgendaItem.kind == "person")
            .tuples()
            if person
        ]
        with db.atomic():
            if people:
                AuditEvent.insert_many(
                    [
                        {
                            "team": self.team_id,
                            "client": person,
                            "actor": by.id,
                            "action": "export",
                            "entity": "meeting_pack",
                            "entity_id": self.id,
                            "at": utcnow(),
                        }
                        for person in people
                    ]
                ).execute()
            self._audit(by, "export", after={"pseudonymised": pseudonymised, "people": len(people)})

    def record_attendance(
        self, by, members, accept_previous: bool, now=None, held_on: dt.date | None = None
    ) -> bool:
        """Who is here, and whether the previous notes are accepted; a planned
        meeting starts with it. A meeting planned for another day starts with the
        day it is really held (`held_on`), so that its minutes carry that date.
        Returns False when the meeting has ended."""
        now = now or utcnow()
        wanted = {m.id for m in members}
        with db.atomic():
            moved = {"held_on": held_on} if held_on and held_on != self.held_on else {}
            starting = (
                Meeting.update(status=Meeting.RUNNING, started_at=now, **moved)
                .where(Meeting.id == self.id, Meeting.status == Meeting.PLANNED)
                .execute()
            )
            if starting and moved:
                self._audit(
                    by,
                    "update",
                    before={"held_on": self.held_on.isoformat()},
                    after={"held_on": held_on.isoformat()},
                )
                self.held_on = held_on
            # Accepted stays accepted from the first time; unticking takes it back.
            accepted = fn.COALESCE(Meeting.previous_accepted_at, now) if accept_previous else None
            going_on = (
                Meeting.update(previous_accepted_at=accepted)
                .where(Meeting.id == self.id, Meeting.status == Meeting.RUNNING)
                .execute()
            )
            if not going_on:
                return False
            before = {
                a
                for (a,) in Attendance.select(Attendance.member)
                .where(Attendance.meeting == self)
                .tuples()
            }
            Attendance.delete().where(
                Attendance.meeting == self, Attendance.member.not_in(wanted or [0])
            ).execute()
            if wanted - before:
                Attendance.insert_many(
                    [{"meeting": self.id, "member": i} for i in sorted(wanted - before)]
                ).on_conflict_ignore().execute()
            names = sorted(m.name for m in members)
            if starting:
                self._audit(by, "start", after={"present": names})
            self._audit(
                by,
                "attend",
                before={"present": len(before)},
                after={"present": names, "previous notes accepted": accept_previous},
            )
        fresh = Meeting.get_by_id(self.id)
        self.status, self.started_at = fresh.status, fresh.started_at
        self.previous_accepted_at = fresh.previous_accepted_at
        return True

    def end(self, by, now=None):
        """End a running meeting: items still open go to the next meeting (planned
        two weeks on, same time and place, when none is). Returns (the next
        meeting, how many items went there), or None when the meeting was not
        running: a colleague ended it first, and nothing changed."""
        now = now or utcnow()
        with db.atomic():
            ended = (
                Meeting.update(status=Meeting.DONE, ended_at=now, version=Meeting.version + 1)
                .where(Meeting.id == self.id, Meeting.status == Meeting.RUNNING)
                .execute()
            )
            if not ended:
                return None
            self.status, self.ended_at = self.DONE, now
            following = self._following(by)
            open_items = list(
                AgendaItem.select()
                .where(AgendaItem.meeting == self, AgendaItem.status == AgendaItem.OPEN)
                .order_by(AgendaItem.position, AgendaItem.id)
            )
            carried = following.carry(open_items)
            AgendaItem.update(status=AgendaItem.CARRIED).where(
                AgendaItem.id.in_([i.id for i in open_items] or [0])
            ).execute()
            self._audit(
                by,
                "end",
                after={
                    "carried": [i.title for i in open_items],
                    "next meeting": following.held_on.isoformat(),
                },
            )
        return following, carried

    def _following(self, by):
        """The team's planned meeting, or a new one two weeks on when none is."""
        planned = Meeting.planned_for(self.team_id)
        if planned is not None:
            return planned
        try:
            with db.atomic():
                return Meeting.plan(
                    self.team,
                    by,
                    held_on=self.held_on + self.RHYTHM,
                    starts_at=self.starts_at,
                    place=self.place,
                )
        except IntegrityError:
            # A colleague planned it at this very moment.
            return Meeting.planned_for(self.team_id)

    def carry(self, items) -> int:
        """Put `items` (open at the end of an earlier meeting) on this agenda, after
        what is there. An item from the caseload that is on it already is not added
        twice (the unique source). Returns how many were added."""
        if not items:
            return 0
        last = (
            AgendaItem.select(fn.MAX(AgendaItem.position))
            .where(AgendaItem.meeting == self)
            .scalar()
        ) or 0
        have = {
            s
            for (s,) in AgendaItem.select(AgendaItem.source)
            .where(AgendaItem.meeting == self, AgendaItem.source.is_null(False))
            .tuples()
        }
        for item in items:
            if item.source in have:
                # On this agenda already from the caseload: it keeps the earlier notes.
                AgendaItem.update(carried_from=item.id).where(
                    AgendaItem.meeting == self,
                    AgendaItem.source == item.source,
                    AgendaItem.carried_from.is_null(),
                ).execute()
        rows = [
            {
                "meeting": self.id,
                "kind": item.kind,
                "title": item.title,
                "why": item.why,
                "client": item.client_id,
                "referral": item.referral_id,
                "decision": item.decision_id,
                "task": item.task_id,
                "source": item.source,
                "added_by": item.added_by_id,
                "position": last + n,
                "carried_from": item.id,
                "created_at": utcnow(),
            }
            for n, item in enumerate(items, 1)
            if item.source is None or item.source not in have
        ]
        if rows:
            AgendaItem.insert_many(rows).on_conflict_ignore().execute()
        return len(rows)

    def build_agenda(self, by, *, settled: bool = False) -> tuple[list[str], list[str]]:
        """Bring a planned meeting's agenda up to date with the caseload: add what
        has come up (people due for review or flagged, referrals held for the
        meeting, decisions to review, proposals waiting, overdue tasks) and take off
        untouched items that no longer apply. Returns the titles added and removed.

        Safe to run by two members at once: the unique (meeting, source) index,
        with INSERT … ON CONFLICT DO NOTHING, adds each thing once whatever the
        other did; reading what is there first only spares writes on every view.
        `settled`: the caller has just counted the answers whose time ran out
        (`Decision.settle_due_and_next_deadline`).

        What is there is read as the agenda shows it (`agenda()`): when nothing is
        added or taken off, that is the agenda, kept as `agenda_read` for the page
        that shows it next (None when the agenda changed).
        """
        self.agenda_read = None
        if self.status != self.PLANNED:
            return [], []
        candidates = self._candidates(settled)
        existing = list(self.agenda())
        have = {item.source for item in existing if item.source}
        wanted = {row["source"] for row in candidates}
        new = [row for row in candidates if row["source"] not in have]
        stale = [
            item
            for item in existing
            if item.source
            and item.source.partition(":")[0] in AgendaItem.FROM_CASELOAD
            and item.source not in wanted
            and item.status == AgendaItem.OPEN
            and not item.notes
            and item.carried_from_id is None
        ]
        if not new and not stale:
            self.agenda_read = existing
            return [], []
        with db.atomic():
            if new:
                last = max((item.position for item in existing), default=0)
                now = utcnow()
                AgendaItem.insert_many(
                    [
                        {**row, "meeting": self.id, "position": last + n, "created_at": now}
                        for n, row in enumerate(new, 1)
                    ]
                ).on_conflict_ignore().execute()
            if stale:
                AgendaItem.delete().where(
                    AgendaItem.id.in_([item.id for item in stale]),
                    AgendaItem.status == AgendaItem.OPEN,
                    AgendaItem.notes == "",
                ).execute()
            added, removed = [row["title"] for row in new], [item.title for item in stale]
            self._audit(by, "agenda", after={"added": added, "removed": removed})
        return added, removed

    def _candidates(self, settled: bool = False) -> list[dict]:
        """What the caseload and the team's records put on this meeting's agenda."""
        from teamcase.models.decisions import Decision

        team, day = self.team_id, self.held_on
        clip = AgendaItem.clip

        def row(source, kind, title, why="", client=None, referral=None, decision=None, task=None):
            return {
                "source": source,
                "kind": kind,
                "title": clip(title, 200),
                "why": clip(why, 300),
                "client": client,
                "referral": referral,
                "decision": decision,
                "task": task,
            }

        rows = []
        # Someone waits for an answer: referrals first.
        for referral in (
            Referral.select(Referral.id, Referral.person_name, Referral.meeting_reason)
            .where(Referral.team == team, Referral.status == Referral.MEETING)
            .order_by(Referral.received_at, Referral.id)
        ):
            rows.append(
                row(
                    f"referral:{referral.id}",
                    "referral",
                    Generated.of("agenda.referral", name=referral.person_name),
                    referral.meeting_reason,
                    referral=referral.id,
                )
            )
        flags = MeetingFlag.open_in(team)
        for person in (
            Client.select(Client.id, Client.name, Client.review_on)
            .where(
                Client.team == team,
                Client.status == Client.ACTIVE,
                (Client.review_on <= day) | Client.id.in_(list(flags) or [0]),
            )
            .order_by(Client.name, Client.id)
        ):
            rows.append(
                row(
                    f"person:{person.id}",
                    "person",
                    person.name,
                    AgendaItem.person_why(person.review_on, flags.get(person.id, []), day),
                    client=person.id,
                )
            )
        for decision in Decision.due_for_review(team, day):
            rows.append(
                row(
                    f"review:{decision.id}",
                    "review",
                    decision.proposal,
                    Generated.of(
                        "agenda.decision_review",
                        day=to_local(decision.decided_at).date().isoformat(),
                        review_day=decision.review_on.isoformat(),
                    ),
                    client=decision.client_id,
                    decision=decision.id,
                )
            )
        # The source is the decisions area's own (Decision._to_next_meeting).
        for decision in Decision.waiting_for_meeting(team, settle=not settled):
            why = decision.purpose
            if decision.asynchronous:
                why = (
                    Generated.of("agenda.not_adopted_between", purpose=why)
                    if why
                    else Generated.of("agenda.not_adopted_between_no_purpose")
                )
            rows.append(
                row(
                    f"decision:{decision.id}",
                    "proposal",
                    decision.proposal,
                    why,
                    client=decision.client_id,
                    decision=decision.id,
                )
            )
        claimer = User.alias("claimer")
        for task in (
            Task.select(Task.id, Task.title, Task.due_on, Task.client, claimer.name)
            .join(claimer, JOIN.LEFT_OUTER, on=(Task.claimed_by == claimer.id))
            .where(Task.team == team, Task.status == Task.OPEN, Task.due_on < day)
            .order_by(Task.due_on, Task.id)
        ):
            rows.append(
                row(
                    f"task:{task.id}",
                    "task",
                    task.title,
                    Generated.of(
                        "agenda.task_due_claimed",
                        day=task.due_on.isoformat(),
                        name=task.claimed_by.name,
                    )
                    if task.claimed_by
                    else Generated.of("agenda.task_due_open", day=task.due_on.isoformat()),
                    client=task.client_id,
                    task=task.id,
                )
            )
        return rows


# One planned meeting per team: planning it twice at once gives one meeting.
Meeting.add_index(
    Meeting.index(
        Meeting.team,
        unique=True,
        where=(Meeting.status == Meeting.PLANNED),
        name="meeting_one_planned_per_team",
    )
)


class Attendance(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    member = ForeignKeyField(User, on_delete="RESTRICT")

    class Meta:
        indexes = ((("meeting", "member"), True),)


class AgendaItem(Versioned, BaseModel):
    """One item of a meeting's agenda: from the caseload and the team's records
    (a person due for review or flagged, a referral, a decision to review, an overdue
    task) or added by a member (a proposal, a question, an experiment, training)."""

    KINDS = {
        "person": _l("Person"),
        "referral": _l("Referral"),
        "review": _l("Decision to review"),
        "task": _l("Overdue task"),
        "proposal": _l("Proposal"),
        "question": _l("Question"),
        "experiment": _l("Experiment"),
        "training": _l("Training"),
        "other": _l("Other"),
    }
    # What a member may add herself.
    OWN_KINDS = ("proposal", "question", "experiment", "training", "other")
    # Sources that building the agenda again may take off once they no longer apply.
    FROM_CASELOAD = ("person", "referral", "review", "task")
    OPEN = "open"
    DISCUSSED = "discussed"
    CARRIED = "carried"
    STATUSES = {
        OPEN: _l("To discuss"),
        DISCUSSED: _l("Discussed"),
        CARRIED: _l("Carried to the next meeting"),
    }
    ENTITY = "agenda_item"

    meeting = ForeignKeyField(Meeting, backref="items", on_delete="CASCADE")
    kind = CharField(max_length=12)
    # Typed by a member, or written by the app (teamcase/generated.py) and worded
    # in the reader's language.
    title = GeneratedCharField(max_length=200)
    why = GeneratedTextField(default="")
    client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
    referral = ForeignKeyField(Referral, null=True, on_delete="CASCADE")
    decision = DeferredForeignKey("Decision", null=True, on_delete="SET NULL")
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    # What put it here, so that building the agenda again adds nothing twice.
    source = CharField(max_length=40, null=True)
    added_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    position = IntegerField(default=0)
    status = CharField(max_length=10, default=OPEN)
    notes = TextField(default="")
    carried_from = ForeignKeyField("self", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("meeting", "source"), True), (("meeting", "position"), False))

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def is_person(self):
        return self.kind == "person" and self.client_id is not None

    @property
    def is_open(self):
        return self.status == self.OPEN

    @staticmethod
    def clip(text, limit: int):
        if isinstance(text, Generated):
            return text.clipped(limit)
        text = " ".join((text or "").split())
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    @staticmethod
    def person_why(review_on, flags, day) -> str:
        """Why a person is on the agenda: their review date has come, and who
        flagged them and why."""
        reasons = []
        if review_on is not None and review_on <= day:
            reasons.append(["agenda.review_date", {"day": review_on.isoformat()}])
        reasons += [
            ["agenda.flagged", {"name": flag.flagged_by.first_name, "reason": flag.reason}]
            for flag in flags
        ]
        return Generated(reasons) if reasons else ""

    def snapshot(self) -> dict:
        return {"kind": self.kind, "title": self.title, "why": self.why, "status": self.status}

    def _audit(self, by, action, team_id, before=None, after=None):
        # Notes about a person belong in that person's history too.
        client = self.client if self.client_id else None
        AuditEvent.record(
            by, client, action, self.ENTITY, self.id, before=before, after=after, team=team_id
        )

    @classmethod
    def add(cls, meeting, by, kind: str, title: str, why: str = ""):
        """A member's own item, at the end of the agenda."""
        with db.atomic():
            last = cls.select(fn.MAX(cls.position)).where(cls.meeting == meeting).scalar() or 0
            item = cls.create(
                meeting=meeting, kind=kind, title=title, why=why, added_by=by, position=last + 1
            )
            item._audit(by, "create", meeting.team_id, after=item.snapshot())
        return item

    def move(self, by, step: int) -> bool:
        """One place up (-1) or down (+1); False when it cannot go further."""
        with db.atomic():
            order = [
                i
                for (i,) in AgendaItem.select(AgendaItem.id)
                .where(AgendaItem.meeting == self.meeting_id)
                .order_by(AgendaItem.position, AgendaItem.id)
                .tuples()
            ]
            if self.id not in order:
                return False
            at = order.index(self.id)
            to = at + step
            if not 0 <= to < len(order):
                return False
            order[at], order[to] = order[to], order[at]
            # Every position written again in one statement: ties left by two
            # members adding at once are gone after the first move.
            AgendaItem.update(
                position=Case(AgendaItem.id, [(i, n) for n, i in enumerate(order, 1)])
            ).where(AgendaItem.id.in_(order)).execute()
            self._audit(
                by,
                "move",
                self.meeting.team_id,
                before={"position": at + 1},
                after={"position": to + 1},
            )
        return True

    def remove(self, by) -> bool:
        """Take an item its member added off the agenda, while it is still open."""
        with db.atomic():
            removed = (
                AgendaItem.delete()
                .where(
                    AgendaItem.id == self.id,
                    AgendaItem.added_by == by,
                    AgendaItem.status == AgendaItem.OPEN,
                )
                .execute()
            )
            if removed:
                self._audit(by, "delete", self.meeting.team_id, before=self.snapshot())
        return bool(removed)

    def write_notes(self, by, version: int, notes: str) -> bool:
        """Save the notes unless someone saved since `version` was read; False
        (and nothing saved) on a conflict."""
        before = self.notes
        with db.atomic():
            if not self.save_if_current(version, notes=notes):
                return False
            self._audit(
                by, "update", self.meeting.team_id, before={"notes": before}, after={"notes": notes}
            )
        self.notes, self.version = notes, version + 1
        return True

    def last_event(self, action: str):
        """Who last did `action` to this item ("update": saved its notes), and
        when: an audit event with its actor, or None."""
        return AuditEvent.last_change(self.ENTITY, self.id, (action,))

    def mark_discussed(self, by, now=None) -> bool:
        """The team talked it through: a person's flags are resolved, and the item
        keeps why they were on the agenda. False when it was no longer open."""
        now = now or utcnow()
        why = self.why
        if self.is_person:
            flags = MeetingFlag.open_for(self.client_id)
            why = self.clip(
                self.person_why(self.client.review_on, flags, self.meeting.held_on) or why, 300
            )
        with db.atomic():
            done = (
                AgendaItem.update(status=AgendaItem.DISCUSSED, why=why)
                .where(AgendaItem.id == self.id, AgendaItem.status == AgendaItem.OPEN)
                .execute()
            )
            if not done:
                return False
            if self.is_person:
                MeetingFlag.update(resolved_at=now).where(
                    MeetingFlag.client == self.client_id,
                    MeetingFlag.resolved_at.is_null(),
                    MeetingFlag.flagged_at <= now,
                ).execute()
            self._audit(by, "discuss", self.meeting.team_id, after={"title": self.title})
        self.status, self.why = self.DISCUSSED, why
        return True

    def add_task(self, by, title: str, claimed_by, due_on=None):
        """A task for the board that the meeting agreed, taken on by someone present."""
        return Task.add(
            self.meeting.team_id,
            by,
            client=self.client_id,
            title=title,
            due_on=due_on,
            claimed_by=claimed_by,
            claimed_at=utcnow(),
            meeting_item=self.id,
        )

    def tasks(self):
        claimer = User.alias("claimer")
        return (
            Task.select(Task, claimer.id, claimer.name)
            .join(claimer, JOIN.LEFT_OUTER, on=(Task.claimed_by == claimer.id))
            .where(Task.meeting_item == self)
            .order_by(Task.id)
        )


class MeetingFlag(BaseModel):
    """A member asks the team to talk about a person at the next meeting."""

    ENTITY = "meeting_flag"

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="meeting_flags", on_delete="CASCADE")
    reason = CharField(max_length=300)
    flagged_by = ForeignKeyField(User, on_delete="RESTRICT")
    flagged_at = DateTimeField(default=utcnow)
    # Set once a meeting has discussed it.
    resolved_at = DateTimeField(null=True)

    @classmethod
    def _open(cls):
        return (
            cls.select(cls, User.id, User.name)
            .join(User, on=(cls.flagged_by == User.id))
            .where(cls.resolved_at.is_null())
            .order_by(cls.flagged_at, cls.id)
        )

    @classmethod
    def open_for(cls, client) -> list:
        """The person's flags no meeting has discussed yet, with who flagged them."""
        return list(cls._open().where(cls.client == client))

    @classmethod
    def open_in(cls, team) -> dict[int, list]:
        """Open flags of the team's active people, by person id, in one query."""
        found: dict[int, list] = {}
        rows = (
            cls._open()
            .switch(cls)
            .join(Client, on=(cls.client == Client.id))
            .where(cls.team == team, Client.status == Client.ACTIVE)
        )
        for flag in rows:
            found.setdefault(flag.client_id, []).append(flag)
        return found

    @classmethod
    def for_people(cls, client_ids) -> dict[int, list]:
        """Open flags of these people, by person id, in one query."""
        found: dict[int, list] = {i: [] for i in client_ids}
        if client_ids:
            for flag in cls._open().where(cls.client.in_(list(client_ids))):
                found[flag.client_id].append(flag)
        return found
