"""The person's own record: about me in their words (every version kept),
strengths, what they can give, and what they agreed to share.
"""

from flask_babel import lazy_gettext as _l
from peewee import (
    CharField,
    DateField,
    DateTimeField,
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
from teamcase.models.clients import Client
from teamcase.models.teams import User
from teamcase.models.versioned import VERSION_MAX, Versioned, is_version


class PersonPart(Versioned, BaseModel):
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
            if not self.save_if_current(version, **fields):
                return False
            fresh = type(self).get_by_id(self.id)
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
        "matters": _l("What matters to me"),
        "good_day": _l("What a good day looks like"),
        "appreciated": _l("What people appreciate about me"),
        "support": _l("How best to support me"),
        "hopes": _l("My hopes for the future"),
    }
    SAID_BY = {
        "person": _l("In their own words"),
        "family": _l("Family"),
        "member": _l("A team member"),
    }

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
    def write(
        cls, client, section, by, based_on: int, text, said_by, said_by_name="", *, recorded_at=None
    ):
        """Add version `based_on + 1`; None when someone else already wrote it.

        `recorded_at` (default now) dates a version written down earlier, as the demo's."""
        # A version read from a form may be stale (garbage), or the last the column holds.
        if not is_version(based_on) or based_on == VERSION_MAX:
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
                    recorded_at=recorded_at or utcnow(),
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
        "personal": _l("Personal qualities"),
        "skills": _l("Skills and interests"),
        "home": _l("Home and practical resources"),
        "relationships": _l("Relationships"),
        "community": _l("Community"),
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

    @classmethod
    def of_team(cls, team):
        """Offers of the team's active people, each with its person."""
        return (
            cls.select(cls, Client)
            .join(Client)
            .where(Client.team == team, Client.status == Client.ACTIVE)
            .order_by(Client.name, Client.id, cls.id)
        )


class Consent(PersonPart):
    """What the person agreed to share, with whom, and since when."""

    ENTITY = "consent"
    FIELDS = ("what", "with_whom", "given_on", "withdrawn_on")

    client = ForeignKeyField(Client, backref="consents", on_delete="CASCADE")
    what = CharField(max_length=300)
    with_whom = CharField(max_length=300)
    given_on = DateField(default=local_today)
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
        return self.change(by, self.version, withdrawn_on=local_today())
