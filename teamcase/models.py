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
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    TextField,
    TimeField,
    fn,
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
    # How many people the team itself says it can care for well.
    capacity = IntegerField(default=60)
    # The letterhead of letters that leave the team (closing, transfer).
    street = CharField(max_length=120, default="")
    postcode = CharField(max_length=12, default="")
    city = CharField(max_length=80, default="")
    phone = CharField(max_length=40, default="")
    email = CharField(max_length=254, default="")
    # Decisions between meetings: how many days members have to answer, and how
    # many must take part for a proposal nobody objected to to be adopted.
    async_days = IntegerField(default=3)
    async_quorum = IntegerField(default=5)
    version = IntegerField(default=1)
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
    # A first password given by a colleague is only good for choosing one's own.
    must_change_password = BooleanField(default=False)
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
        # The goal's words come along for "for goal: …" on the timeline.
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
    def record(
        cls, actor, client, action, entity, entity_id=None, before=None, after=None, team=None
    ):
        """Write one event; `client` is None for team records (then pass `team`)."""
        changes = ""
        if before is not None or after is not None:
            changes = json.dumps({"before": before, "after": after}, default=str, sort_keys=True)
        return cls.create(
            team=team if client is None else client.team_id,
            client=client,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
        )

    @classmethod
    def last_change(cls, entity: str, entity_id: int):
        """Who saved this record last (with their name), for a conflict message."""
        return (
            cls.select(cls, User)
            .join(User, on=(cls.actor == User.id))
            .where(cls.entity == entity, cls.entity_id == entity_id, cls.action == "update")
            .order_by(cls.at.desc(), cls.id.desc())
            .first()
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


class PersonPart(BaseModel):
    """A part of a person's record (a strength, an offer, a network member…).

    Edits are optimistic: `change` saves only if nobody saved since `version`
    was read. Every add, change and removal is audited with before/after.
    """

    ENTITY = ""
    FIELDS: tuple[str, ...] = ()

    def snapshot(self) -> dict:
        data = {}
        for name in self.FIELDS:
            value = getattr(self, name + "_id", None) if name in self._fk_names() else None
            if value is None:
                value = getattr(self, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data

    @classmethod
    def _fk_names(cls):
        return {f.name for f in cls._meta.sorted_fields if isinstance(f, ForeignKeyField)}

    @property
    def person(self):
        return self.client

    @classmethod
    def add(cls, client, by, **fields):
        with db.atomic():
            row = cls.create(client=client, **fields)
            AuditEvent.record(by, client, "create", cls.ENTITY, row.id, after=row.snapshot())
        return row

    def change(self, by, version: int, **fields) -> bool:
        """Save `fields` unless someone saved since `version`; False on a conflict."""
        before = self.snapshot()
        with db.atomic():
            model = type(self)
            rows = (
                model.update(version=model.version + 1, **fields)
                .where(model.id == self.id, model.version == version)
                .execute()
            )
            if not rows:
                return False
            fresh = model.get_by_id(self.id)
            AuditEvent.record(
                by,
                self.person,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=fresh.snapshot(),
            )
        self.__data__ = fresh.__data__
        return True

    def remove(self, by):
        with db.atomic():
            AuditEvent.record(
                by, self.person, "delete", self.ENTITY, self.id, before=self.snapshot()
            )
            self.delete_instance()


class AboutMe(BaseModel):
    """One version of one section of "about me", in the person's own words.

    Versions are never changed: a new text is a new version, numbered one
    higher. The unique (client, section, version) constraint makes two people
    saving the same section at once a conflict instead of a lost update.
    """

    SECTIONS = {
        "matters": "What matters to me",
        "good_day": "What a good day looks like",
        "appreciated": "What people appreciate about me",
        "support": "How best to support me",
        "hopes": "My hopes for the future",
    }
    SAID_BY = {"person": "In their own words", "family": "Family", "member": "A team member"}

    client = ForeignKeyField(Client, backref="about_entries", on_delete="CASCADE")
    section = CharField(max_length=20)
    version = IntegerField()
    text = TextField()
    said_by = CharField(max_length=10, default="person")
    said_by_name = CharField(max_length=80, default="")
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    recorded_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "section", "version"), True),)

    @property
    def title(self):
        return self.SECTIONS[self.section]

    @classmethod
    def current_for(cls, client) -> dict:
        """The newest version of each section, in one query."""
        newest = (
            cls.select(cls.section, fn.MAX(cls.version).alias("newest"))
            .where(cls.client == client)
            .group_by(cls.section)
            .alias("newest")
        )
        rows = (
            cls.select(cls, User)
            .join(newest, on=((cls.section == newest.c.section) & (cls.version == newest.c.newest)))
            .switch(cls)
            .join(User, on=(cls.recorded_by == User.id))
            .where(cls.client == client)
        )
        return {row.section: row for row in rows}

    @classmethod
    def versions(cls, client, section):
        return (
            cls.select(cls, User)
            .join(User, on=(cls.recorded_by == User.id))
            .where(cls.client == client, cls.section == section)
            .order_by(cls.version.desc())
        )

    @classmethod
    def write(cls, client, section, by, based_on: int, text, said_by, said_by_name=""):
        """Add version `based_on + 1`; None when someone else already wrote it."""
        if based_on < 0:
            return None
        previous = (
            cls.select(cls.text)
            .where(cls.client == client, cls.section == section, cls.version == based_on)
            .scalar()
        )
        try:
            with db.atomic():
                entry = cls.create(
                    client=client,
                    section=section,
                    version=based_on + 1,
                    text=text,
                    said_by=said_by,
                    said_by_name=said_by_name,
                    recorded_by=by,
                )
                AuditEvent.record(
                    by,
                    client,
                    "update" if based_on else "create",
                    "about_me",
                    entry.id,
                    before={section: previous} if based_on else None,
                    after={section: text, "said_by": said_by, "said_by_name": said_by_name},
                )
        except IntegrityError:
            return None
        return entry


class Strength(PersonPart):
    CATEGORIES = {
        "personal": "Personal qualities",
        "skills": "Skills and interests",
        "home": "Home and practical resources",
        "relationships": "Relationships",
        "community": "Community",
    }
    ENTITY = "strength"
    FIELDS = ("category", "text")

    client = ForeignKeyField(Client, backref="strengths", on_delete="CASCADE")
    category = CharField(max_length=20)
    text = CharField(max_length=300)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @property
    def category_label(self):
        return self.CATEGORIES.get(self.category, self.category)

    @classmethod
    def for_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.id)


class Offer(PersonPart):
    """What the person can give to others: co-production, not only receiving."""

    ENTITY = "offer"
    FIELDS = ("text", "when")

    client = ForeignKeyField(Client, backref="offers", on_delete="CASCADE")
    text = CharField(max_length=300)
    when = CharField(max_length=120, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def for_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.id)


class LocalResource(BaseModel):
    """A place or group in the neighbourhood the team knows and links people to."""

    KINDS = {
        "gp": "GP practice",
        "pharmacy": "Pharmacy",
        "community": "Community group",
        "time_bank": "Time bank",
        "welfare": "Welfare or social work",
        "health": "Other health service",
        "other": "Other",
    }
    CSV_COLUMNS = ("name", "kind", "address", "phone", "opening_hours", "notes")
    ENTITY = "resource"

    team = ForeignKeyField(Team, backref="resources", on_delete="CASCADE")
    name = CharField(max_length=120)
    kind = CharField(max_length=20, default="other")
    address = CharField(max_length=200, default="")
    phone = CharField(max_length=40, default="")
    opening_hours = CharField(max_length=200, default="")
    notes = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "name"), True),)

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @classmethod
    def for_team(cls, team):
        return cls.select().where(cls.team == team).order_by(cls.name)

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.CSV_COLUMNS}

    @classmethod
    def directory(cls, team):
        """The team's resources, each with `people`: how many people's current
        network links to it, counted in the same query."""
        people = fn.COUNT(NetworkMember.client.distinct())
        return (
            cls.select(cls, people.alias("people"))
            .join(
                NetworkMember,
                JOIN.LEFT_OUTER,
                on=((NetworkMember.resource == cls.id) & NetworkMember.until.is_null()),
            )
            .where(cls.team == team)
            .group_by(cls)
            .order_by(cls.name)
        )

    @classmethod
    def names_in(cls, team, leave_out=None) -> frozenset:
        """The names in the directory, casefolded, for the duplicate check."""
        query = cls.select(cls.name).where(cls.team == team)
        if leave_out is not None:
            query = query.where(cls.id != leave_out)
        return frozenset(name.casefold() for (name,) in query.tuples())

    @classmethod
    def add(cls, team, by, action="create", **fields):
        with db.atomic():
            resource = cls.create(team=team, **fields)
            AuditEvent.record(
                by, None, action, cls.ENTITY, resource.id, after=resource.snapshot(), team=team
            )
        return resource

    @classmethod
    def import_rows(cls, team, by, rows: list[dict]) -> int:
        """Add every row or, when one fails, none."""
        with db.atomic():
            for values in rows:
                cls.add(team, by, action="import", **values)
        return len(rows)

    def change(self, by, version: int, **fields) -> bool:
        """Save `fields` unless someone saved since `version`; False on a conflict."""
        before = self.snapshot()
        with db.atomic():
            model = type(self)
            saved = (
                model.update(version=model.version + 1, **fields)
                .where(model.id == self.id, model.version == version)
                .execute()
            )
            if not saved:
                return False
            after = model.get_by_id(self.id).snapshot()
            AuditEvent.record(
                by,
                None,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=after,
                team=self.team_id,
            )
        return True

    def remove(self, by) -> int:
        """Delete the entry. The database unlinks network entries (SET NULL); each
        unlinked entry is a change to a person's record, so it is audited there too.
        Returns how many network entries lost their link."""
        with db.atomic():
            linked = list(
                NetworkMember.select(NetworkMember.id, Client.id, Client.team)
                .join(Client)
                .where(NetworkMember.resource == self.id)
            )
            AuditEvent.record(
                by,
                None,
                "delete",
                self.ENTITY,
                self.id,
                before=self.snapshot(),
                team=self.team_id,
            )
            for entry in linked:
                AuditEvent.record(
                    by,
                    entry.client,
                    "update",
                    NetworkMember.ENTITY,
                    entry.id,
                    before={"resource": self.id},
                    after={"resource": None},
                )
            self.delete_instance()
        return len(linked)


class NetworkMember(PersonPart):
    """Someone around the person: family, friends, neighbours, professionals, groups.

    Rows are dated: `since` is when the tie was recorded and `until` when it
    ended or changed. A change of relation or tie strength ends the row and
    starts a new one, so the network at any date can be drawn again.
    """

    RELATIONS = {
        "family": "Family",
        "friend": "Friend",
        "neighbour": "Neighbour",
        "colleague": "Colleague",
        "gp": "GP practice",
        "pharmacy": "Pharmacy",
        "community": "Community group",
        "professional": "Other professional",
        "other": "Other",
    }
    GROUPS = {
        "family": "Family",
        "friend": "Friends and neighbours",
        "neighbour": "Friends and neighbours",
        "colleague": "Friends and neighbours",
        "community": "Community",
        "gp": "Professionals",
        "pharmacy": "Professionals",
        "professional": "Professionals",
        "other": "Other",
    }
    TIES = {
        "strong": "Strong",
        "moderate": "Moderate",
        "weak": "Weak",
        "stressful": "Stressful",
    }
    ENTITY = "network"
    FIELDS = (
        "name",
        "relation",
        "does_now",
        "could_do",
        "reach",
        "tie",
        "frequency",
        "resource",
        "on_profile",
        "since",
        "until",
    )

    client = ForeignKeyField(Client, backref="network", on_delete="CASCADE")
    name = CharField(max_length=120)
    relation = CharField(max_length=20)
    does_now = CharField(max_length=300, default="")
    could_do = CharField(max_length=300, default="")
    reach = CharField(max_length=200, default="")
    tie = CharField(max_length=10, default="moderate")
    frequency = CharField(max_length=80, default="")
    resource = ForeignKeyField(LocalResource, null=True, on_delete="SET NULL")
    # The person agreed that this entry may appear on the printed profile.
    on_profile = BooleanField(default=False)
    since = DateField(default=dt.date.today)
    until = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "until"), False),)

    @property
    def relation_label(self):
        return self.RELATIONS.get(self.relation, self.relation)

    @property
    def group(self):
        return self.GROUPS.get(self.relation, "Other")

    @property
    def tie_label(self):
        return self.TIES.get(self.tie, self.tie)

    @classmethod
    def current(cls, client):
        return (
            cls.select(cls, LocalResource)
            .join(LocalResource, JOIN.LEFT_OUTER)
            .where(cls.client == client, cls.until.is_null())
            .order_by(cls.relation, cls.name)
        )

    @classmethod
    def at(cls, client, day: dt.date):
        """The network as it stood at the end of `day`."""
        return cls.select().where(
            cls.client == client,
            cls.since <= day,
            cls.until.is_null() | (cls.until > day),
        )

    def change(self, by, version: int, **fields) -> bool:
        reshaped = any(
            key in fields and fields[key] != getattr(self, key) for key in ("relation", "tie")
        )
        if not reshaped or self.since >= dt.date.today():
            return super().change(by, version, **fields)
        # A new relation or tie strength is a dated change: end this row, start a new one.
        with db.atomic():
            if not super().change(by, version, until=dt.date.today()):
                return False
            data = {k: getattr(self, k) for k in self.FIELDS if k not in ("since", "until")}
            data["resource"] = self.resource_id
            data.update(fields)
            successor = NetworkMember.add(self.client, by, since=dt.date.today(), **data)
        self.__data__ = successor.__data__
        return True

    def end(self, by, version: int) -> bool:
        """The tie ended: it stays in the history, dated."""
        return super().change(by, version, until=dt.date.today())

    @classmethod
    def growth(cls, client) -> dict | None:
        """The network a fortnight after it was first recorded, next to now.

        None until there is a network to compare.
        """
        rows = list(cls.select(cls.since, cls.until, cls.tie).where(cls.client == client).tuples())
        if not rows:
            return None
        start_day = min(since for since, _, _ in rows) + dt.timedelta(days=14)
        today = dt.date.today()

        def count(day):
            alive = [t for s, u, t in rows if s <= day and (u is None or u > day)]
            return {"people": len(alive), "strong": sum(t == "strong" for t in alive)}

        return {
            "start": min(start_day, today),
            "at_start": count(min(start_day, today)),
            "now": count(today),
        }


class Goal(PersonPart):
    """Something the person wants, in their own words, and the steps towards it."""

    STATUSES = {"active": "Active", "achieved": "Achieved", "let_go": "Let go"}
    ENTITY = "goal"
    FIELDS = ("words", "why", "status", "story", "review_on", "help_wanted")

    client = ForeignKeyField(Client, backref="goals", on_delete="CASCADE")
    words = CharField(max_length=300)
    why = TextField(default="")
    status = CharField(max_length=10, default="active")
    story = TextField(default="")
    review_on = DateField(null=True)
    # Help a neighbour could give: shown on the team's "offers and needs" page.
    help_wanted = CharField(max_length=300, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @classmethod
    def for_client(cls, client):
        return (
            cls.select()
            .where(cls.client == client)
            .order_by(cls.status != "active", cls.review_on.asc(nulls="last"), cls.id)
        )


class Step(PersonPart):
    """A step towards a goal, and who helps with it."""

    HELPERS = {
        "person": "They do it themselves",
        "network": "Someone around them",
        "member": "One of us",
    }
    ENTITY = "step"
    FIELDS = ("text", "helper_kind", "network_member", "member", "due_on", "done_on")

    goal = ForeignKeyField(Goal, backref="steps", on_delete="CASCADE")
    text = CharField(max_length=300)
    helper_kind = CharField(max_length=10, default="person")
    network_member = ForeignKeyField(NetworkMember, null=True, on_delete="SET NULL")
    member = ForeignKeyField(User, null=True, on_delete="SET NULL")
    due_on = DateField(null=True)
    done_on = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    def snapshot(self) -> dict:
        # The history names who helps; an id would mean nothing to the team.
        data = super().snapshot()
        data["network_member"] = self.network_member.name if self.network_member_id else None
        data["member"] = self.member.name if self.member_id else None
        return data

    @property
    def person(self):
        return self.goal.client

    @classmethod
    def add(cls, goal, by, **fields):
        with db.atomic():
            row = cls.create(goal=goal, **fields)
            AuditEvent.record(by, goal.client, "create", cls.ENTITY, row.id, after=row.snapshot())
        return row

    @classmethod
    def for_goals(cls, goals) -> dict[int, list]:
        """Steps per goal id, with their helpers, in one query."""
        ids = [g.id for g in goals]
        steps: dict[int, list] = {i: [] for i in ids}
        if not ids:
            return steps
        helper = NetworkMember.alias()
        rows = (
            cls.select(cls, helper, User)
            .join(helper, JOIN.LEFT_OUTER, on=(cls.network_member == helper.id))
            .switch(cls)
            .join(User, JOIN.LEFT_OUTER, on=(cls.member == User.id))
            .where(cls.goal.in_(ids))
            .order_by(cls.done_on.is_null(False), cls.due_on.asc(nulls="last"), cls.id)
        )
        for step in rows:
            steps[step.goal_id].append(step)
        return steps

    @property
    def helper_name(self):
        if self.helper_kind == "network" and self.network_member_id:
            return self.network_member.name
        if self.helper_kind == "member" and self.member_id:
            return self.member.name
        return "themselves"


class Connection(BaseModel):
    """Two neighbours put in touch: one's offer meets another's goal, and both agreed."""

    offer = ForeignKeyField(Offer, backref="connections", on_delete="CASCADE")
    goal = ForeignKeyField(Goal, backref="connections", on_delete="CASCADE")
    agreed_on = DateField(default=dt.date.today)
    note = CharField(max_length=300, default="")
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("offer", "goal"), True),)


class Consent(PersonPart):
    """What the person agreed to share, with whom, and since when."""

    ENTITY = "consent"
    FIELDS = ("what", "with_whom", "given_on", "withdrawn_on")

    client = ForeignKeyField(Client, backref="consents", on_delete="CASCADE")
    what = CharField(max_length=300)
    with_whom = CharField(max_length=300)
    given_on = DateField(default=dt.date.today)
    withdrawn_on = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def for_client(cls, client):
        return (
            cls.select()
            .where(cls.client == client)
            .order_by(cls.withdrawn_on.is_null(False), cls.id)
        )

    def withdraw(self, by) -> bool:
        """Withdrawn consent stays on record, dated."""
        return self.change(by, self.version, withdrawn_on=dt.date.today())


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
    STATUSES = {
        OPEN: "Open",
        MEETING: "For the team meeting",
        ACCEPTED: "Accepted",
        DECLINED: "Declined",
    }
    URGENCIES = {"urgent": "Urgent (within a day)", "soon": "This week", "routine": "When we can"}

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


class Task(BaseModel):
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
    status = CharField(max_length=10, default=OPEN)
    done_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    done_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "due_on"), False),)


class VisitSeries(BaseModel):
    """A recurring visit (daily insulin, a weekly shower) by a simple rule,
    written out as planned visits up to its end date."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    EVERY_N = "every_n"
    RULES = {DAILY: "Every day", WEEKDAYS: "On chosen weekdays", EVERY_N: "Every few days"}

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="visit_series", on_delete="CASCADE")
    rule = CharField(max_length=10)
    # Monday is 0, as in Python: "0,3" is Monday and Thursday.
    weekdays = CharField(max_length=20, default="")
    every_days = IntegerField(default=1)
    starts_on = DateField()
    ends_on = DateField()
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)


class PlannedVisit(BaseModel):
    """One visit in the week's plan. `member` is empty when it is up for a colleague
    to take (handed over, or not yet taken)."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"

    team = ForeignKeyField(Team, backref="planned_visits", on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="planned_visits", on_delete="CASCADE")
    member = ForeignKeyField(User, null=True, backref="planned_visits", on_delete="RESTRICT")
    day = DateField()
    starts_at = TimeField(null=True)
    ends_at = TimeField(null=True)
    minutes = IntegerField(default=30)
    kind = CharField(max_length=20, default="home_visit")
    note = CharField(max_length=300, default="")
    series = ForeignKeyField(VisitSeries, null=True, backref="visits", on_delete="SET NULL")
    status = CharField(max_length=10, default=PLANNED)
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "day", "member"), False), (("client", "day"), False))


class TeamRole(BaseModel):
    """A role the team names and rotates itself (planner, treasurer, mentor…)."""

    team = ForeignKeyField(Team, backref="roles", on_delete="CASCADE")
    name = CharField(max_length=80)
    purpose = CharField(max_length=300, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "name"), True),)


class RoleHolding(BaseModel):
    """Who holds a team role, from when until when."""

    role = ForeignKeyField(TeamRole, backref="holdings", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="role_holdings", on_delete="RESTRICT")
    since = DateField(default=dt.date.today)
    until = DateField(null=True)


class Invitation(BaseModel):
    """A colleague invited to join the team; the link works once, until it expires."""

    team = ForeignKeyField(Team, backref="invitations", on_delete="CASCADE")
    email = CharField(max_length=254)
    name = CharField(max_length=120)
    # Only a hash is kept, as for passwords: the link itself is shown once.
    token_hash = CharField(max_length=64, unique=True)
    invited_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)


class Meeting(BaseModel):
    """A team meeting, run by a facilitator the team chooses for that meeting."""

    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    STATUSES = {PLANNED: "Planned", RUNNING: "Running", DONE: "Done"}

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


class Attendance(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    member = ForeignKeyField(User, on_delete="RESTRICT")

    class Meta:
        indexes = ((("meeting", "member"), True),)


class AgendaItem(BaseModel):
    """One item of a meeting's agenda: from the caseload and the team's records
    (a person due for review or flagged, a referral, a decision to review, an overdue
    task) or added by a member (a proposal, a question, an experiment, training)."""

    KINDS = {
        "person": "Person",
        "referral": "Referral",
        "review": "Decision to review",
        "task": "Overdue task",
        "proposal": "Proposal",
        "question": "Question",
        "experiment": "Experiment",
        "training": "Training",
        "other": "Other",
    }
    OPEN = "open"
    DISCUSSED = "discussed"
    CARRIED = "carried"

    meeting = ForeignKeyField(Meeting, backref="items", on_delete="CASCADE")
    kind = CharField(max_length=12)
    title = CharField(max_length=200)
    why = CharField(max_length=300, default="")
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


class MeetingFlag(BaseModel):
    """A member asks the team to talk about a person at the next meeting."""

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="meeting_flags", on_delete="CASCADE")
    reason = CharField(max_length=300)
    flagged_by = ForeignKeyField(User, on_delete="RESTRICT")
    flagged_at = DateTimeField(default=utcnow)
    # Set once a meeting has discussed it.
    resolved_at = DateTimeField(null=True)


class Decision(BaseModel):
    """A proposal the team decides by consent: adopted when nobody has a principled
    objection left. Once adopted it is never edited; a new decision revisits it."""

    PROPOSED = "proposed"
    ADOPTED = "adopted"
    WITHDRAWN = "withdrawn"
    PARKED = "parked"
    STATUSES = {
        PROPOSED: "Proposed",
        ADOPTED: "Adopted",
        WITHDRAWN: "Withdrawn",
        PARKED: "Parked",
    }

    team = ForeignKeyField(Team, backref="decisions", on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
    meeting = ForeignKeyField(Meeting, null=True, backref="decisions", on_delete="SET NULL")
    proposal = TextField()
    purpose = TextField(default="")
    proposed_by = ForeignKeyField(User, on_delete="RESTRICT")
    proposed_at = DateTimeField(default=utcnow)
    status = CharField(max_length=10, default=PROPOSED)
    decided_at = DateTimeField(null=True)
    review_on = DateField(null=True)
    revisits = ForeignKeyField("self", null=True, backref="revisited_by", on_delete="SET NULL")
    # Between meetings: members answer until the deadline; `quorum` answers needed.
    asynchronous = BooleanField(default=False)
    deadline = DateTimeField(null=True)
    quorum = IntegerField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "review_on"), False),)


class DecisionStep(BaseModel):
    """The record of how a proposal was decided: questions, reactions, objections
    (with reasoning, and how each was resolved), amendments, consent."""

    KINDS = {
        "question": "Clarifying question",
        "reaction": "Reaction",
        "objection": "Objection",
        "amendment": "Amendment",
        "consent": "Consent",
    }

    decision = ForeignKeyField(Decision, backref="steps", on_delete="CASCADE")
    kind = CharField(max_length=10)
    member = ForeignKeyField(User, on_delete="RESTRICT")
    text = TextField(default="")
    at = DateTimeField(default=utcnow)
    # For objections: how it was resolved, by whom, when.
    resolution = TextField(default="")
    resolved_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    resolved_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("decision", "at"), False),)


class TrainingItem(BaseModel):
    """The team's own training plan."""

    team = ForeignKeyField(Team, backref="training", on_delete="CASCADE")
    topic = CharField(max_length=200)
    who = CharField(max_length=200, default="")
    planned_on = DateField(null=True)
    done_on = DateField(null=True)
    note = TextField(default="")
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)


class Experiment(BaseModel):
    """What we'll try, why, how we'll know, what happened, keep or drop."""

    RUNNING = "running"
    KEEP = "keep"
    DROP = "drop"
    OUTCOMES = {RUNNING: "Running", KEEP: "Keep", DROP: "Drop"}

    team = ForeignKeyField(Team, backref="experiments", on_delete="CASCADE")
    title = CharField(max_length=200)
    why = TextField(default="")
    how_we_know = TextField(default="")
    started_on = DateField(default=dt.date.today)
    review_on = DateField(null=True)
    what_happened = TextField(default="")
    outcome = CharField(max_length=10, default=RUNNING)
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)


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
    AboutMe,
    Strength,
    Offer,
    LocalResource,
    NetworkMember,
    Goal,
    Step,
    Connection,
    Consent,
    Referral,
    Task,
    VisitSeries,
    PlannedVisit,
    TeamRole,
    RoleHolding,
    Invitation,
    Meeting,
    Attendance,
    AgendaItem,
    MeetingFlag,
    Decision,
    DecisionStep,
    TrainingItem,
    Experiment,
]
