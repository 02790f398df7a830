"""The people a team cares for: opening, closing, reopening and transferring a
case, who knows them best, and the contacts recorded with them.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
    fn,
)

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.measures import WeekFigure
from teamcase.models.teams import Team, User
from teamcase.models.versioned import Versioned
from teamcase.search import fold, matches, words_of

# Words that come and go in how a Dutch name is written ("Henk van der Berg",
# "H. Berg", "Berg, van der"): a likely match ignores them.
NAME_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "t", "in", "op", "d"}


class Client(Versioned, BaseModel):
    """A person the team cares for (called "person" on screen)."""

    ENTITY = "person"
    ACTIVE = "active"
    CLOSED = "closed"
    DETAIL_FIELDS = (
        "name",
        "preferred_name",
        "date_of_birth",
        "street",
        "postcode",
        "city",
        "phone",
        "email",
    )

    team = ForeignKeyField(Team, backref="clients", on_delete="RESTRICT")
    name = CharField(max_length=120)
    preferred_name = CharField(max_length=80, default="")
    date_of_birth = DateField(null=True)
    street = CharField(max_length=120, default="")
    postcode = CharField(max_length=12, default="")
    city = CharField(max_length=80, default="")
    phone = CharField(max_length=40, default="")
    email = CharField(max_length=254, default="")
    status = CharField(max_length=10, default=ACTIVE)
    # The current period in care; a reopened case starts a new one.
    care_started_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)
    close_reason = CharField(max_length=20, default="")
    closing_story = TextField(default="")
    # When the team wants to talk about this person again (the meeting's agenda).
    review_on = DateField(null=True)
    # Kept on the row so the caseload sorts by it without touching contacts.
    last_contact_at = DateTimeField(null=True)
    last_contact_kind = CharField(max_length=20, default="")
    # The words the person is found by, folded (teamcase/search.py); kept by save().
    search_text = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "status", "name"), False),)

    SEARCHED_FIELDS = ("name", "preferred_name", "street", "phone")

    def save(self, *args, **kwargs):
        self.search_text = words_of(**{name: getattr(self, name) for name in self.SEARCHED_FIELDS})
        return super().save(*args, **kwargs)

    def save_where(self, *conditions, **fields) -> bool:
        # A change of details is an UPDATE query, not save(): the words go with it.
        if any(name in fields for name in self.SEARCHED_FIELDS):
            fields["search_text"] = words_of(
                **{name: fields.get(name, getattr(self, name)) for name in self.SEARCHED_FIELDS}
            )
        return super().save_where(*conditions, **fields)

    @classmethod
    def caseload(cls, team, *, search="", sort="name"):
        """The team's active people, filtered by the start of words of their name,
        street or phone number (teamcase/search.py)."""
        query = cls.select().where(cls.team == team, cls.status == cls.ACTIVE)
        found = matches(cls.search_text, search)
        if found is not None:
            query = query.where(found)
        if sort == "contact":
            # Longest without contact first: who needs a visit.
            order = (cls.last_contact_at.asc(nulls="first"), cls.name)
        else:
            order = (cls.name, cls.id)
        return query.order_by(*order)

    @staticmethod
    def name_words(name: str) -> list[str]:
        """A name as the likeness rule compares it: folded (no case, no accents),
        without particles, split at anything that is not a letter."""
        words = "".join(c if c.isalpha() else " " for c in fold(name)).split()
        return [w for w in words if w not in NAME_PARTICLES]

    @classmethod
    def names_alike(cls, one: str, other: str) -> bool:
        """Two names that are likely one person's: the same words once case, accents
        and particles are left out ("Özdemir" and "ozdemir", "Henk van der Berg" and
        "Henk Berg"), or the same surname with the same first initial ("J. de Vries"
        and "Jan de Vries")."""
        a, b = cls.name_words(one), cls.name_words(other)
        if not a or not b:
            return False
        if a == b:
            return True
        return len(a) > 1 and len(b) > 1 and a[-1] == b[-1] and a[0][0] == b[0][0]

    @classmethod
    def likely_named(cls, team, name: str) -> list:
        """The team's people, in care or closed, whose name is likely `name`:
        a hint before a referral or a new case is recorded, never a block."""
        words = cls.name_words(name)
        if not words:
            return []
        # The surname narrows it down in the database; the rule decides in Python.
        query = cls.select().where(cls.team == team, matches(cls.search_text, words[-1]))
        return [c for c in query.order_by(cls.name, cls.id) if cls.names_alike(name, c.name)]

    @property
    def first_name(self) -> str:
        """What the team calls them: their preferred name, else the first of their names."""
        return self.preferred_name or self.name.split()[0]

    @property
    def display_name(self):
        if self.preferred_name and self.preferred_name != self.name:
            return f"{self.name} ({self.preferred_name})"
        return self.name

    @property
    def pseudonym(self):
        """Initials and the record's number: what a coach sees instead of a name."""
        initials = "".join(
            f"{part[0].upper()}." for part in self.name.split() if part[:1].isalpha()
        )
        return f"{initials or '?'} #{self.id}"

    def age(self, today: dt.date | None = None):
        if not self.date_of_birth:
            return None
        today = today or local_today()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in self.DETAIL_FIELDS}
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    def known_best_by(self):
        return User.select().join(KnownBest).where(KnownBest.client == self).order_by(User.name)

    def conflict_values(self) -> dict:
        # "Known best by" is typed on the same form, though kept in its own table.
        return {**super().conflict_values(), "known_best": [u.id for u in self.known_best_by()]}

    @classmethod
    def open(cls, team, by, known_best=(), **details):
        """Open a case: only a name and one way to reach the person are needed."""
        with db.atomic():
            client = cls.create(team=team, **details)
            for member in known_best:
                KnownBest.create(client=client, member=member)
            AuditEvent.record(by, client, "create", "person", client.id, after=client.snapshot())
            WeekFigure.case_changed(client.team_id)
        return client

    def update_details(self, by, version: int, known_best=None, **details) -> bool:
        """Save new details unless someone else saved since `version` was read.

        Returns False (and changes nothing) on a conflict.
        """
        before = self.snapshot()
        before["known_best"] = sorted(u.name for u in self.known_best_by())
        with db.atomic():
            if not self.save_if_current(version, updated_at=utcnow(), **details):
                return False
            if known_best is not None:
                KnownBest.delete().where(KnownBest.client == self).execute()
                for member in known_best:
                    KnownBest.create(client=self, member=member)
            fresh = Client.get_by_id(self.id)
            after = fresh.snapshot()
            after["known_best"] = sorted(u.name for u in fresh.known_best_by())
            AuditEvent.record(by, self, "update", "person", self.id, before=before, after=after)
        self.__data__ = fresh.__data__
        return True

    def contacts(self):
        # The goal's words come along for "for goal: …" on the timeline.
        from teamcase.models.goals import Goal

        return (
            Contact.select(Contact, User, Goal.id, Goal.words)
            .join(User, on=(Contact.author == User.id))
            .switch(Contact)
            .join(Goal, JOIN.LEFT_OUTER, on=(Contact.goal == Goal.id))
            .where(Contact.client == self)
            .order_by(Contact.happened_at.desc(), Contact.id.desc())
        )

    def refresh_last_contact(self):
        latest = (
            Contact.select(Contact.happened_at, Contact.kind)
            .where(Contact.client == self)
            .order_by(Contact.happened_at.desc(), Contact.id.desc())
            .first()
        )
        Client.update(
            last_contact_at=latest.happened_at if latest else None,
            last_contact_kind=latest.kind if latest else "",
        ).where(Client.id == self.id).execute()

    # The team meeting (teamcase/meetings.py).

    def flag_for_meeting(self, by, reason: str):
        """Ask the team to talk about this person at the next meeting, saying why."""
        from teamcase.models.meetings import MeetingFlag

        with db.atomic():
            flag = MeetingFlag.create(team=self.team_id, client=self, reason=reason, flagged_by=by)
            AuditEvent.record(
                by, self, "flag", MeetingFlag.ENTITY, flag.id, after={"reason": reason}
            )
        return flag

    def set_review_date(self, by, day: dt.date | None) -> None:
        """When the team talks about this person again at a meeting (None: no date)."""
        before = self.review_on
        with db.atomic():
            Client.update(review_on=day).where(Client.id == self.id).execute()
            AuditEvent.record(
                by,
                self,
                "review",
                "person",
                self.id,
                before={"review_on": before},
                after={"review_on": day},
            )
        self.review_on = day

    # Closing, reopening and transferring a case (teamcase/closing.py).

    # Why a case ended. A person who moves to another team's neighbourhood is not
    # closed but transferred (`transfer_to`): their record goes with them.
    CLOSE_REASONS = {
        "goals_reached": _l("Goals reached"),
        "network": _l("Their network carries it now"),
        "moved": _l("Moved away"),
        "died": _l("Died"),
        "long_term_care": _l("Admitted to long-term care"),
    }
    # The audited changes that change the case's `version`: the one a conflict names.
    CASE_EVENTS = (
        ("update", "person"),
        ("close", "person"),
        ("reopen", "person"),
        ("ask", "transfer"),
    )
    # What the other changes did, as the conflict banner says it in whole sentences
    # (teamcase/conflicts.py): who did it, and you in another window. A save of the
    # details is said by the page the person saved from.
    SAID = {
        "close": (
            _l("%(name)s closed this case %(when)s"),
            _l("You closed this case in another window %(when)s"),
        ),
        "reopen": (
            _l("%(name)s reopened this case %(when)s"),
            _l("You reopened this case in another window %(when)s"),
        ),
        "ask": (
            _l("%(name)s asked another team to take over %(when)s"),
            _l("You asked another team to take over in another window %(when)s"),
        ),
    }
    DID = {
        "close": _l("closed this case"),
        "reopen": _l("reopened this case"),
        "ask": _l("asked another team to take over"),
    }

    @property
    def close_reason_label(self):
        return self.CLOSE_REASONS.get(self.close_reason, self.close_reason)

    @classmethod
    def closed_in(cls, team):
        """The team's closed cases, the most recently closed first."""
        return (
            cls.select()
            .where(cls.team == team, cls.status == cls.CLOSED)
            .order_by(cls.closed_at.desc(), cls.id.desc())
        )

    def close(self, by, version: int, reason: str, story: str, today: dt.date, *, now=None) -> bool:
        """Close the case: the person leaves the caseload and their planned visits
        from `today` (the team's local date) on are cancelled.

        False, changing nothing, when the case changed since `version` was read:
        a colleague closed it first, changed the details or asked for a transfer.
        `now` (default the present) dates a case that was closed earlier, as the demo's.
        """
        from teamcase.models.plan import PlannedVisit

        now = now or utcnow()
        before = {"status": self.status, "care_started_at": self.care_started_at}
        with db.atomic():
            closed = self.save_if_current(
                version,
                Client.status == Client.ACTIVE,
                status=Client.CLOSED,
                closed_at=now,
                close_reason=reason,
                closing_story=story,
                updated_at=now,
            )
            if not closed:
                return False
            cancelled = PlannedVisit.cancel_from(self, today)
            AuditEvent.record(
                by,
                self,
                "close",
                "person",
                self.id,
                before=before,
                after={
                    "status": Client.CLOSED,
                    "closed_at": now,
                    "close_reason": self.CLOSE_REASONS[reason],
                    "closing_story": story,
                    "planned_visits_cancelled": cancelled,
                },
            )
            WeekFigure.case_changed(self.team_id, now)
        self.__data__ = Client.get_by_id(self.id).__data__
        return True

    def reopen(self, by, version: int, note: str = "") -> bool:
        """Open a closed case again: a new period in care starts now. The closing
        reason and story are cleared here and kept in the audit log.

        False, changing nothing, when the case changed since `version` was read.
        """
        now = utcnow()
        before = {
            "status": self.status,
            "care_started_at": self.care_started_at,
            "closed_at": self.closed_at,
            "close_reason": self.close_reason_label,
            "closing_story": self.closing_story,
        }
        with db.atomic():
            reopened = self.save_if_current(
                version,
                Client.status == Client.CLOSED,
                status=Client.ACTIVE,
                care_started_at=now,
                closed_at=None,
                close_reason="",
                closing_story="",
                updated_at=now,
            )
            if not reopened:
                return False
            AuditEvent.record(
                by,
                self,
                "reopen",
                "person",
                self.id,
                before=before,
                after={"status": Client.ACTIVE, "care_started_at": now, "note": note},
            )
            WeekFigure.case_changed(self.team_id, self.closed_at)
        self.__data__ = Client.get_by_id(self.id).__data__
        return True

    def closing_event(self):
        """The audit event of the latest closing, with who closed the case."""
        return (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.client == self, AuditEvent.action == "close")
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .first()
        )

    def last_saved(self):
        """The latest audited change that moved the case's `version` on (details saved,
        closed, reopened, a transfer asked), with who made it; for a conflict message."""
        wanted = None
        for action, entity in self.CASE_EVENTS:
            pair = (AuditEvent.action == action) & (AuditEvent.entity == entity)
            wanted = pair if wanted is None else wanted | pair
        return (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.client == self, wanted)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .first()
        )

    def referral_story(self):
        """In one query: the transfer of this person that waits on another team
        (as pending_transfer), and the accepted referral that brought them to this
        team: who referred them, when and why. Either is None when there is none."""
        from teamcase.models.referrals import Referral

        rows = (
            self._referrals_with_team()
            .where(
                ((Referral.from_team == self.team_id) & Referral.status.in_(Referral.UNDECIDED))
                | ((Referral.team == self.team_id) & (Referral.status == Referral.ACCEPTED)),
            )
            .order_by(Referral.decided_at.desc(), Referral.id.desc())
        )
        transfer = referred = None
        for referral in rows:
            if referral.status == Referral.ACCEPTED:
                referred = referred or referral
            else:
                transfer = transfer or referral
        return transfer, referred

    def pending_transfer(self):
        """The transfer of this person that waits on the receiving team, with that
        team and who asked for it; None when there is none."""
        from teamcase.models.referrals import Referral

        return (
            self._referrals_with_team()
            .where(Referral.from_team == self.team_id, Referral.status.in_(Referral.UNDECIDED))
            .first()
        )

    def _referrals_with_team(self):
        """This person's referrals, each with its receiving team and who recorded it."""
        from teamcase.models.referrals import Referral

        return (
            Referral.select(Referral, Team, User)
            .join(Team, on=(Referral.team == Team.id))
            .switch(Referral)
            .join(User, on=(Referral.recorded_by == User.id))
            .where(Referral.client == self)
        )

    def transfer_to(self, team, by, note: str):
        """Ask `team` to take this person over: a referral in their inbox with the
        person's details and `note`. The person stays with this team until the
        receiving team accepts (Referral.accept).

        Returns the referral, or None when the case is not open here any more or
        another transfer already waits (the database allows one at a time).
        """
        from teamcase.models.referrals import Referral

        sending = Team.get_by_id(self.team_id)
        if team.id == sending.id:
            return None
        now = utcnow()
        try:
            with db.atomic():
                # Moving the version on makes a colleague's close, sent from a form
                # read before this, a conflict instead of closing a case in transfer.
                rows = (
                    Client.update(version=Client.version + 1, updated_at=now)
                    .where(
                        Client.id == self.id,
                        Client.team == sending.id,
                        Client.status == Client.ACTIVE,
                    )
                    .execute()
                )
                if not rows:
                    return None
                referral = Referral.create(
                    team=team,
                    from_team=sending,
                    client=self.id,
                    received_at=now,
                    recorded_by=by,
                    referrer_name=by.name,
                    referrer_org=sending.name,
                    referrer_phone=sending.phone,
                    person_name=self.name,
                    date_of_birth=self.date_of_birth,
                    street=self.street,
                    postcode=self.postcode,
                    city=self.city,
                    phone=self.phone,
                    story=note,
                    status=Referral.OPEN,
                )
                AuditEvent.record(
                    by, self, "ask", "transfer", referral.id, after={"to": team.name, "note": note}
                )
                # The receiving team's own log: a referral came in.
                AuditEvent.record(
                    by,
                    None,
                    "create",
                    "referral",
                    referral.id,
                    after=referral.snapshot(),
                    team=team,
                )
        except IntegrityError:
            return None
        self.version += 1
        return referral

    def withdraw_transfer(self, by):
        """Take back the transfer that waits on the receiving team; it stays in their
        inbox as withdrawn. Returns it, or None when none was waiting any more
        (the receiving team decided first, or a colleague withdrew it)."""
        from teamcase.models.referrals import Referral

        referral = self.pending_transfer()
        if referral is None:
            return None
        with db.atomic():
            rows = (
                Referral.update(
                    status=Referral.WITHDRAWN,
                    decided_by=by,
                    decided_at=utcnow(),
                    version=Referral.version + 1,
                )
                .where(Referral.id == referral.id, Referral.status.in_(Referral.UNDECIDED))
                .execute()
            )
            if not rows:
                return None
            after = {"to": referral.team.name, "status": Referral.WITHDRAWN}
            AuditEvent.record(by, self, "withdraw", "transfer", referral.id, after=after)
            AuditEvent.record(
                by, None, "withdraw", "referral", referral.id, after=after, team=referral.team_id
            )
        return referral

    def care_given(self, since: dt.datetime, until: dt.datetime | None = None) -> tuple[int, int]:
        """(contacts, minutes) recorded for the person in a period, in one query."""
        query = Contact.select(fn.COUNT(Contact.id), fn.SUM(Contact.minutes)).where(
            Contact.client == self, Contact.happened_at >= since
        )
        if until is not None:
            query = query.where(Contact.happened_at <= until)
        contacts, minutes = query.tuples().get()
        return contacts or 0, minutes or 0


class KnownBest(BaseModel):
    """The member(s) who know this person best: the first to ask."""

    client = ForeignKeyField(Client, backref="known_best", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="known_best", on_delete="CASCADE")

    class Meta:
        indexes = ((("client", "member"), True),)

    @classmethod
    def names_in(cls, team) -> dict[int, list[str]]:
        """Member names per client id for the team's active people, in one query."""
        rows = (
            cls.select(cls.client, User.name)
            .join(User)
            .switch(cls)
            .join(Client)
            .where(Client.team == team, Client.status == Client.ACTIVE)
            .order_by(User.name)
            .tuples()
        )
        names: dict[int, list[str]] = {}
        for client_id, name in rows:
            names.setdefault(client_id, []).append(name)
        return names


class Contact(Versioned, BaseModel):
    """A visit, call, message or consultation, as recorded on the person's timeline."""

    ENTITY = "contact"
    KINDS = {
        "home_visit": _l("Home visit"),
        "phone": _l("Phone call"),
        "video": _l("Video call"),
        "message": _l("Message"),
        "consult": _l("Consultation with a colleague"),
    }
    DEMAND = {"value": _l("Value demand"), "failure": _l("Failure demand")}
    EDITABLE = (
        "happened_at",
        "minutes",
        "kind",
        "note",
        "incoming",
        "demand",
        "demand_why",
        "resolved_first_time",
        "goal",
    )

    client = ForeignKeyField(Client, backref="contact_set", on_delete="CASCADE")
    author = ForeignKeyField(User, backref="contacts", on_delete="RESTRICT")
    happened_at = DateTimeField()
    minutes = IntegerField()
    kind = CharField(max_length=20)
    note = TextField(default="")
    incoming = BooleanField(default=False)
    demand = CharField(max_length=10, default="")
    demand_why = CharField(max_length=200, default="")
    resolved_first_time = BooleanField(null=True)
    goal = DeferredForeignKey("Goal", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    # Made on the tablet when the contact was written down, so that one sent again
    # (the signal lost before the answer came) is recorded once.
    client_uuid = CharField(max_length=36, null=True, unique=True)

    class Meta:
        indexes = ((("client", "happened_at"), False),)

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    def snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in self.EDITABLE if name != "goal"}
        data["happened_at"] = self.happened_at.isoformat(sep=" ")
        data["goal"] = self.goal_id
        return data

    def conflict_values(self) -> dict:
        # The colleagues who took part are typed on the same form.
        return {**super().conflict_values(), "colleagues": [m.member_id for m in self.members]}

    def editable_by(self, user, window_hours: int, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.author_id == user.id and now - self.created_at < dt.timedelta(
            hours=window_hours
        )

    @classmethod
    def sent_before(cls, client_uuid: str | None) -> "Contact | None":
        """The contact recorded under the id the tablet made for it, if any."""
        if not client_uuid:
            return None
        return cls.get_or_none(cls.client_uuid == client_uuid)

    @classmethod
    def record(cls, client, by, colleagues=(), **fields):
        """Record a contact; one with a `client_uuid` already recorded is not
        recorded again (the one there is returned), however often it is sent and
        even when two sends arrive at once (the column is unique)."""
        earlier = cls.sent_before(fields.get("client_uuid"))
        if earlier is not None:
            return earlier
        try:
            return cls._record(client, by, colleagues, **fields)
        except IntegrityError:
            earlier = cls.sent_before(fields.get("client_uuid"))
            if earlier is None:
                raise
            return earlier

    @classmethod
    def _record(cls, client, by, colleagues=(), **fields):
        from teamcase.models.referrals import Referral

        with db.atomic():
            contact = cls.create(client=client, author=by, **fields)
            for colleague in colleagues:
                ContactMember.create(contact=contact, member=colleague)
            client.refresh_last_contact()
            if contact.kind == "home_visit":
                Referral.record_first_visit(client, contact.happened_at)
            WeekFigure.contacts_changed(client.team_id, contact.happened_at)
            after = contact.snapshot()
            after["with"] = sorted(c.name for c in colleagues)
            AuditEvent.record(by, client, "create", "contact", contact.id, after=after)
        return contact

    def correct(self, by, version: int, colleagues=None, **fields) -> bool:
        before = self.snapshot()
        with db.atomic():
            if not self.save_if_current(version, **fields):
                return False
            if colleagues is not None:
                ContactMember.delete().where(ContactMember.contact == self).execute()
                for colleague in colleagues:
                    ContactMember.create(contact=self, member=colleague)
            fresh = Contact.get_by_id(self.id)
            self.client.refresh_last_contact()
            WeekFigure.contacts_changed(self.client.team_id, self.happened_at, fresh.happened_at)
            AuditEvent.record(
                by, self.client, "update", "contact", self.id, before=before, after=fresh.snapshot()
            )
        self.__data__ = fresh.__data__
        return True

    def remove(self, by):
        with db.atomic():
            AuditEvent.record(by, self.client, "delete", "contact", self.id, before=self.snapshot())
            self.delete_instance(recursive=True)
            self.client.refresh_last_contact()
            WeekFigure.contacts_changed(self.client.team_id, self.happened_at)

    @classmethod
    def colleagues_for(cls, contacts) -> dict[int, list[str]]:
        ids = [c.id for c in contacts]
        names: dict[int, list[str]] = {i: [] for i in ids}
        if not ids:
            return names
        rows = (
            ContactMember.select(ContactMember.contact, User.name)
            .join(User)
            .where(ContactMember.contact.in_(ids))
            .order_by(User.name)
            .tuples()
        )
        for contact_id, name in rows:
            names[contact_id].append(name)
        return names


class ContactMember(BaseModel):
    """A colleague who took part in a contact besides its author."""

    contact = ForeignKeyField(Contact, backref="members", on_delete="CASCADE")
    member = ForeignKeyField(User, on_delete="CASCADE")

    class Meta:
        indexes = ((("contact", "member"), True),)
