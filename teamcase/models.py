"""The records teams keep, with the behaviour that belongs to them.

Times are stored as naive UTC; templates show them in the team's time zone.
"""

import datetime as dt
import json

from flask_login import UserMixin
from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from teamcase.db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Team(BaseModel):
    name = CharField(max_length=120, unique=True)
    area = CharField(max_length=120, default="")
    created_at = DateTimeField(default=utcnow)

    def active_members(self):
        return (
            User.select()
            .where(User.team == self, User.role == User.MEMBER, User.active == True)  # noqa: E712
            .order_by(User.name)
        )


class User(UserMixin, BaseModel):
    MEMBER = "member"
    COACH = "coach"
    BACKOFFICE = "backoffice"
    ROLES = {MEMBER: "team member", COACH: "coach", BACKOFFICE: "back office"}

    email = CharField(max_length=254, unique=True)
    name = CharField(max_length=120)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, default=MEMBER)
    team = ForeignKeyField(Team, null=True, backref="users", on_delete="RESTRICT")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def is_active(self):
        return self.active

    @property
    def is_member(self):
        return self.role == self.MEMBER

    @property
    def is_coach(self):
        return self.role == self.COACH

    @property
    def is_backoffice(self):
        return self.role == self.BACKOFFICE

    @property
    def first_name(self):
        return self.name.split()[0] if self.name else self.email

    @classmethod
    def by_email(cls, email: str):
        return cls.get_or_none(cls.email == normalise_email(email))

    def set_password(self, password: str) -> None:
        from teamcase.passwords import hasher

        self.password_hash = hasher.hash(password)

    def linked_teams(self):
        return Team.select().join(CoachLink).where(CoachLink.coach == self).order_by(Team.name)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class CoachLink(BaseModel):
    """A team invited this coach to look on, read-only."""

    coach = ForeignKeyField(User, backref="coach_links", on_delete="CASCADE")
    team = ForeignKeyField(Team, backref="coach_links", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "team"), True),)


class Client(BaseModel):
    """A person the team cares for (called "person" on screen)."""

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
    # Kept on the row so the caseload sorts by it without touching contacts.
    last_contact_at = DateTimeField(null=True)
    last_contact_kind = CharField(max_length=20, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "status", "name"), False),)

    @classmethod
    def caseload(cls, team, *, search="", sort="name"):
        """The team's active people, filtered by part of a name or street."""
        query = cls.select().where(cls.team == team, cls.status == cls.ACTIVE)
        search = " ".join(search.split())
        if search:
            pattern = f"%{search}%"
            query = query.where(
                cls.name.ilike(pattern)
                | cls.preferred_name.ilike(pattern)
                | cls.street.ilike(pattern)
            )
        if sort == "contact":
            # Longest without contact first: who needs a visit.
            order = (cls.last_contact_at.asc(nulls="first"), cls.name)
        else:
            order = (cls.name, cls.id)
        return query.order_by(*order)

    @property
    def display_name(self):
        if self.preferred_name and self.preferred_name != self.name:
            return f"{self.name} ({self.preferred_name})"
        return self.name

    def age(self, today: dt.date | None = None):
        if not self.date_of_birth:
            return None
        today = today or dt.date.today()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in self.DETAIL_FIELDS}
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    def known_best_by(self):
        return User.select().join(KnownBest).where(KnownBest.client == self).order_by(User.name)

    @classmethod
    def open(cls, team, by, known_best=(), **details):
        """Open a case: only a name and one way to reach the person are needed."""
        with db.atomic():
            client = cls.create(team=team, **details)
            for member in known_best:
                KnownBest.create(client=client, member=member)
            AuditEvent.record(by, client, "create", "person", client.id, after=client.snapshot())
        return client

    def update_details(self, by, version: int, known_best=None, **details) -> bool:
        """Save new details unless someone else saved since `version` was read.

        Returns False (and changes nothing) on a conflict.
        """
        before = self.snapshot()
        before["known_best"] = sorted(u.name for u in self.known_best_by())
        with db.atomic():
            rows = (
                Client.update(version=Client.version + 1, updated_at=utcnow(), **details)
                .where(Client.id == self.id, Client.version == version)
                .execute()
            )
            if not rows:
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
        return (
            Contact.select(Contact, User)
            .join(User, on=(Contact.author == User.id))
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


class KnownBest(BaseModel):
    """The member(s) who know this person best: the first to ask."""

    client = ForeignKeyField(Client, backref="known_best", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="known_best", on_delete="CASCADE")

    class Meta:
        indexes = ((("client", "member"), True),)

    @classmethod
    def names_for(cls, clients) -> dict[int, list[str]]:
        """Member names per client id, in one query for a whole page of people."""
        ids = [c.id for c in clients]
        names: dict[int, list[str]] = {i: [] for i in ids}
        if not ids:
            return names
        rows = (
            cls.select(cls.client, User.name)
            .join(User)
            .where(cls.client.in_(ids))
            .order_by(User.name)
            .tuples()
        )
        for client_id, name in rows:
            names[client_id].append(name)
        return names


class Contact(BaseModel):
    """A visit, call, message or consultation, as recorded on the person's timeline."""

    KINDS = {
        "home_visit": "Home visit",
        "phone": "Phone call",
        "video": "Video call",
        "message": "Message",
        "consult": "Consultation with a colleague",
    }
    DEMAND = {"value": "Value demand", "failure": "Failure demand"}
    EDITABLE = (
        "happened_at",
        "minutes",
        "kind",
        "note",
        "incoming",
        "demand",
        "demand_why",
        "resolved_first_time",
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
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "happened_at"), False),)

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    def snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in self.EDITABLE}
        data["happened_at"] = self.happened_at.isoformat(sep=" ")
        return data

    def editable_by(self, user, window_hours: int, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.author_id == user.id and now - self.created_at < dt.timedelta(
            hours=window_hours
        )

    @classmethod
    def record(cls, client, by, colleagues=(), **fields):
        with db.atomic():
            contact = cls.create(client=client, author=by, **fields)
            for colleague in colleagues:
                ContactMember.create(contact=contact, member=colleague)
            client.refresh_last_contact()
            after = contact.snapshot()
            after["with"] = sorted(c.name for c in colleagues)
            AuditEvent.record(by, client, "create", "contact", contact.id, after=after)
        return contact

    def correct(self, by, version: int, colleagues=None, **fields) -> bool:
        before = self.snapshot()
        with db.atomic():
            rows = (
                Contact.update(version=Contact.version + 1, **fields)
                .where(Contact.id == self.id, Contact.version == version)
                .execute()
            )
            if not rows:
                return False
            if colleagues is not None:
                ContactMember.delete().where(ContactMember.contact == self).execute()
                for colleague in colleagues:
                    ContactMember.create(contact=self, member=colleague)
            fresh = Contact.get_by_id(self.id)
            self.client.refresh_last_contact()
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


class AuditEvent(BaseModel):
    """Who viewed or changed what in a person's record, and when."""

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
    actor = ForeignKeyField(User, on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    action = CharField(max_length=10)
    entity = CharField(max_length=20)
    entity_id = IntegerField(null=True)
    changes = TextField(default="")

    class Meta:
        indexes = ((("client", "at"), False), (("team", "at"), False))

    @classmethod
    def record(cls, actor, client, action, entity, entity_id=None, before=None, after=None):
        changes = ""
        if before is not None or after is not None:
            changes = json.dumps({"before": before, "after": after}, default=str, sort_keys=True)
        return cls.create(
            team=client.team_id,
            client=client,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
        )

    @classmethod
    def for_client(cls, client):
        return (
            cls.select(cls, User)
            .join(User, JOIN.INNER, on=(cls.actor == User.id))
            .where(cls.client == client)
            .order_by(cls.at.desc(), cls.id.desc())
        )

    def differences(self):
        """(field, before, after) for each value that changed."""
        if not self.changes:
            return []
        data = json.loads(self.changes)
        before, after = data.get("before") or {}, data.get("after") or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class LoginThrottle(BaseModel):
    """Failed sign-ins per account or per address, shared by every worker."""

    key = CharField(max_length=300, unique=True)
    failures = IntegerField(default=0)
    last_failure_at = DateTimeField(null=True)
    blocked_until = DateTimeField(null=True)


MODELS = [
    Team,
    User,
    CoachLink,
    Client,
    KnownBest,
    Contact,
    ContactMember,
    AuditEvent,
    LoginThrottle,
]
