"""Referrals into the team's inbox (and transfers from another team): recording,
duplicate warnings, accepting, declining and keeping them for the meeting.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.generated import Generated
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client, KnownBest
from teamcase.models.measures import WeekFigure
from teamcase.models.teams import Team, User


class Referral(BaseModel):
    """Someone asks the team to take a person on: a GP, a hospital, a neighbour,
    the person themselves, or another team handing over (a transfer).

    The team decides itself; whoever takes the call records it, and any member
    accepts or declines on the team's behalf (../shared/DESIGN.md, rules 3 and 6).
    """

    OPEN = "open"
    MEETING = "meeting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    # A transfer the sending team took back before the receiving team decided.
    WITHDRAWN = "withdrawn"
    STATUSES = {
        OPEN: _l("Open"),
        MEETING: _l("For the team meeting"),
        ACCEPTED: _l("Accepted"),
        DECLINED: _l("Declined"),
        WITHDRAWN: _l("Withdrawn by the sending team"),
    }
    URGENCIES = {
        "urgent": _l("Urgent (within a day)"),
        "soon": _l("This week"),
        "routine": _l("When we can"),
    }

    team = ForeignKeyField(Team, backref="referrals", on_delete="CASCADE")
    received_at = DateTimeField(default=utcnow)
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    referrer_name = CharField(max_length=120, default="")
    referrer_org = CharField(max_length=120, default="")
    referrer_phone = CharField(max_length=40, default="")
    person_name = CharField(max_length=120)
    date_of_birth = DateField(null=True)
    street = CharField(max_length=120, default="")
    postcode = CharField(max_length=12, default="")
    city = CharField(max_length=80, default="")
    phone = CharField(max_length=40, default="")
    story = TextField(default="")
    urgency = CharField(max_length=10, default="soon")
    status = CharField(max_length=10, default=OPEN)
    meeting_reason = CharField(max_length=300, default="")
    decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)
    decline_reason = CharField(max_length=300, default="")
    referred_on_to = CharField(max_length=200, default="")
    # Set on acceptance, or from the start for a transfer of an existing person.
    client = ForeignKeyField(Client, null=True, backref="referrals", on_delete="SET NULL")
    from_team = ForeignKeyField(Team, null=True, on_delete="SET NULL")
    first_visit_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "received_at"), False),)

    UNDECIDED = (OPEN, MEETING)
    # What the new person's record takes over from the referral.
    PERSON_FIELDS = ("date_of_birth", "street", "postcode", "city", "phone")
    RECENT_DAYS = 30

    @property
    def urgency_label(self):
        return self.URGENCIES.get(self.urgency, self.urgency)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def undecided(self):
        return self.status in self.UNDECIDED

    @property
    def is_transfer(self):
        return self.from_team_id is not None

    def snapshot(self) -> dict:
        fields = (
            "referrer_name",
            "referrer_org",
            "referrer_phone",
            "person_name",
            "date_of_birth",
            "street",
            "postcode",
            "city",
            "phone",
            "story",
            "urgency",
            "status",
            "meeting_reason",
            "decline_reason",
            "referred_on_to",
        )
        data = {name: getattr(self, name) for name in fields}
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    @classmethod
    def receive(cls, team, by, **details):
        """Record a referral as the member who took the call heard it."""
        with db.atomic():
            referral = cls.create(team=team, recorded_by=by, **details)
            AuditEvent.record(
                by, None, "create", "referral", referral.id, after=referral.snapshot(), team=team
            )
        return referral

    @classmethod
    def inbox(cls, team, now: dt.datetime | None = None) -> dict[str, list]:
        """The team's referrals in one query, in the inbox's three parts: open ones
        (urgent first, then longest waiting), those for the team meeting, and those
        decided in the last 30 days (newest decision first)."""
        since = (now or utcnow()) - dt.timedelta(days=cls.RECENT_DAYS)
        recorder, decider, sender = User.alias(), User.alias(), Team.alias()
        rows = (
            cls.select(cls, recorder, decider, sender)
            .join(recorder, on=(cls.recorded_by == recorder.id))
            .switch(cls)
            .join(decider, JOIN.LEFT_OUTER, on=(cls.decided_by == decider.id))
            .switch(cls)
            .join(sender, JOIN.LEFT_OUTER, on=(cls.from_team == sender.id))
            .where(
                cls.team == team,
                cls.status.in_(cls.UNDECIDED) | (cls.decided_at >= since),
            )
            .order_by(cls.received_at, cls.id)
        )
        parts = {"open": [], "meeting": [], "decided": []}
        for referral in rows:
            part = referral.status if referral.undecided else "decided"
            parts[part].append(referral)
        urgency = list(cls.URGENCIES)
        parts["open"].sort(key=lambda r: urgency.index(r.urgency) if r.urgency in urgency else 9)
        parts["decided"].sort(key=lambda r: (r.decided_at, r.id), reverse=True)
        return parts

    @classmethod
    def likely_named(cls, team, name: str) -> list["Referral"]:
        """The team's referrals still waiting for a decision (open or kept for the
        meeting) for someone whose name is likely `name`, by the same rule as
        Client.likely_named: the person may be on their way in already."""
        if not Client.name_words(name):
            return []
        waiting = (
            cls.select()
            .where(cls.team == team, cls.status.in_(cls.UNDECIDED))
            .order_by(cls.received_at, cls.id)
        )
        return [r for r in waiting if Client.names_alike(name, r.person_name)]

    def possible_duplicates(self) -> list:
        """People of the team, active or closed, who may be this person: the same
        name and date of birth, or the same name and street. A hint, never a block."""
        street = _squeezed(self.street)
        if not (self.date_of_birth or street):
            return []
        born = Client.date_of_birth == self.date_of_birth
        # Spaces and case vary in typed addresses; compare without them.
        lives = fn.LOWER(fn.REPLACE(Client.street, " ", "")) == street
        if self.date_of_birth and street:
            same = born | lives
        else:
            same = born if self.date_of_birth else lives
        candidates = Client.select().where(Client.team == self.team_id, same)
        if self.client_id:
            candidates = candidates.where(Client.id != self.client_id)
        return [
            person
            for person in candidates.order_by(Client.name, Client.id)
            if Client.names_alike(self.person_name, person.name)
            and (
                (self.date_of_birth and person.date_of_birth == self.date_of_birth)
                or (street and _squeezed(person.street) == street)
            )
        ]

    def _decide(self, by, status: str, now, allowed=UNDECIDED, **fields) -> bool:
        """Move to `status` unless a colleague decided first: a conditional UPDATE,
        so of two members deciding at the same moment exactly one wins."""
        rows = (
            Referral.update(
                status=status,
                decided_by=by,
                decided_at=now,
                version=Referral.version + 1,
                **fields,
            )
            .where(Referral.id == self.id, Referral.status.in_(allowed))
            .execute()
        )
        return bool(rows)

    def hold_for_meeting(self, by, reason: str) -> bool:
        """Put it on the team meeting's list; it can still be accepted or declined."""
        before = self.snapshot()
        with db.atomic():
            if not self._decide(by, self.MEETING, utcnow(), (self.OPEN,), meeting_reason=reason):
                return False
            self._audit(by, None, "meeting", before)
        return True

    def decline(self, by, reason: str, referred_on_to: str = "") -> bool:
        """Decline on the team's behalf. A declined transfer leaves the person where
        they are, with the sending team."""
        before = self.snapshot()
        with db.atomic():
            fields = {"decline_reason": reason, "referred_on_to": referred_on_to}
            if not self._decide(by, self.DECLINED, utcnow(), **fields):
                return False
            self._audit(by, None, "decline", before)
        return True

    def accept(self, by, first_visit: dict, known_best: bool = True, today=None) -> bool:
        """Take the person on for the team and plan the first visit.

        A referral opens a new case; a transfer moves the sending team's person
        here instead, with their whole record. `first_visit` has the day,
        starts_at, ends_at, minutes and member (None: up for a colleague to take).
        `known_best`: the accepting member becomes the one who knows them best.
        `today` is the team's local date (the sending team's visits from then on
        are cancelled in its plan).

        False when a colleague decided first, or when the sending team no longer
        has the person; nothing is changed then.
        """
        from teamcase.models.plan import PlannedVisit

        now = utcnow()
        before = self.snapshot()
        with db.atomic() as transaction:
            if not self._decide(by, self.ACCEPTED, now):
                return False
            if self.is_transfer and self.client_id:
                client = self._move_here(by, known_best, now, today or local_today())
                if client is None:
                    transaction.rollback()
                    return False
                # The person's record, and with it their weeks, went to this team.
                WeekFigure.rebuild(self.from_team_id)
                WeekFigure.rebuild(self.team_id)
            else:
                client = Client.open(
                    self.team,
                    by,
                    known_best=[by] if known_best else [],
                    name=self.person_name,
                    **{name: getattr(self, name) for name in self.PERSON_FIELDS},
                )
                Referral.update(client=client).where(Referral.id == self.id).execute()
            visit = PlannedVisit.create(
                team=self.team_id,
                client=client,
                created_by=by,
                kind="home_visit",
                note=self.first_visit_note(),
                status=PlannedVisit.PLANNED,
                **first_visit,
            )
            self._audit(by, client, "accept", before)
            AuditEvent.record(
                by,
                client,
                "create",
                "visit",
                visit.id,
                after={
                    "day": visit.day.isoformat(),
                    "starts_at": visit.starts_at.strftime("%H:%M") if visit.starts_at else None,
                    "ends_at": visit.ends_at.strftime("%H:%M") if visit.ends_at else None,
                    "minutes": visit.minutes,
                    "member": visit.member.name if visit.member_id else None,
                    "note": visit.note,
                },
            )
        self.__data__ = Referral.get_by_id(self.id).__data__
        return True

    def first_visit_note(self) -> Generated:
        """The plan's note for the first visit: who referred them and why, so the
        visitor reads the reason before going (it is shown as context, not recorded)."""
        from teamcase.models.plan import PlannedVisit

        referrer = ", ".join(part for part in (self.referrer_name, self.referrer_org) if part)
        story = " ".join(self.story.split())
        # Worded in the language of whoever reads the plan (teamcase/generated.py).
        kind = "visit.first"
        values = {}
        if referrer:
            kind = "visit.first_transferred" if self.is_transfer else "visit.first_referred"
            values["referrer"] = referrer
        if story:
            kind += "_story"
            values["story"] = story
        return Generated.of(kind, **values).clipped(PlannedVisit.NOTE_LIMIT)

    def _move_here(self, by, known_best: bool, now, today):
        """A transfer: the person, with their whole record, becomes this team's.
        The sending team's plan and board let go of them; its audit rows stay its own."""
        from teamcase.models.board import Task
        from teamcase.models.plan import PlannedVisit

        sending = self.from_team_id
        person = Client.get_or_none(Client.id == self.client_id)
        if person is None:
            return None
        before = person.snapshot()
        before["team"] = person.team.name
        before["known_best"] = sorted(u.name for u in person.known_best_by())
        moved = (
            Client.update(
                team=self.team_id,
                # A new period in care starts with the new team.
                care_started_at=now,
                version=Client.version + 1,
                updated_at=now,
            )
            # Not when the sending team has closed the case (or moved it) meanwhile.
            .where(
                Client.id == person.id,
                Client.team == sending,
                Client.status == Client.ACTIVE,
            )
            .execute()
        )
        if not moved:
            return None
        KnownBest.delete().where(KnownBest.client == person).execute()
        if known_best:
            KnownBest.create(client=person, member=by)
        # Planned by the sending team: the receiving team makes its own plan.
        cancelled = PlannedVisit.cancel_from(person, today)
        # Closed by whoever took the person over: the board names someone, never nobody.
        closed = (
            Task.update(status=Task.DONE, done_by=by, done_at=now, version=Task.version + 1)
            .where(Task.client == person, Task.team == sending, Task.status == Task.OPEN)
            .execute()
        )
        person = Client.get_by_id(person.id)
        after = person.snapshot()
        after["team"] = self.team.name
        after["known_best"] = [by.name] if known_best else []
        # The sending team's log keeps that the person left, and with them what.
        AuditEvent.record(
            by,
            None,
            "transfer",
            "person",
            person.id,
            before=before,
            after={**after, "planned_visits_taken_out": cancelled, "open_tasks_closed": closed},
            team=sending,
        )
        return person

    def _audit(self, by, client, action: str, before: dict) -> None:
        fresh = Referral.get_by_id(self.id)
        AuditEvent.record(
            by,
            client,
            action,
            "referral",
            self.id,
            before=before,
            after=fresh.snapshot(),
            team=self.team_id,
        )
        self.__data__ = fresh.__data__

    @classmethod
    def record_first_visit(cls, client, at: dt.datetime) -> None:
        """The first home visit after an accepted referral: the team's time from
        referral to first visit. One UPDATE that changes nothing when it is not the first."""
        cls.update(first_visit_at=at).where(
            cls.client == client,
            cls.status == cls.ACCEPTED,
            cls.first_visit_at.is_null(),
            # A typed time has no seconds: a visit in the minute the referral came counts.
            cls.received_at < at + dt.timedelta(minutes=1),
        ).execute()


# One transfer at a time per person: a second one waiting is refused by the database,
# however many members ask at the same moment.
Referral.add_index(
    Referral.index(
        Referral.client,
        unique=True,
        where=(Referral.from_team.is_null(False) & Referral.status.in_(Referral.UNDECIDED)),
        name="referral_one_pending_transfer",
    )
)


def _squeezed(text: str) -> str:
    """An address without spaces or case, as the database compares it."""
    return "".join((text or "").split()).lower()
