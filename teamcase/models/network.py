"""The people and places around a person: their network (dated, so it can be
compared over time) and the team's directory of local resources.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    BooleanField,
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
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client
from teamcase.models.record import PersonPart
from teamcase.models.teams import Team
from teamcase.models.versioned import Versioned


class LocalResource(Versioned, BaseModel):
    """A place or group in the neighbourhood the team knows and links people to."""

    KINDS = {
        "gp": _l("GP practice"),
        "pharmacy": _l("Pharmacy"),
        "community": _l("Community group"),
        "time_bank": _l("Time bank"),
        "welfare": _l("Welfare or social work"),
        "health": _l("Other health service"),
        "other": _l("Other"),
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
            if not self.save_if_current(version, **fields):
                return False
            after = LocalResource.get_by_id(self.id).snapshot()
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


def in_sentence(label: str) -> str:
    """A relation inside a sentence: "(community group)", but "(GP practice)".

    The one rule for writing relations: as their label ("GP practice", "Community
    group") where they stand alone, and in a sentence with the first letter in lower
    case unless the first word is an abbreviation, which keeps its capitals."""
    label = str(label)
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


class NetworkMember(PersonPart):
    """Someone around the person: family, friends, neighbours, professionals, groups.

    Rows are dated: `since` is when the tie was recorded and `until` when it
    ended or changed. A change of relation or tie strength ends the row and
    starts a new one, so the network at any date can be drawn again.
    """

    RELATIONS = {
        "family": _l("Family"),
        "friend": _l("Friend"),
        "neighbour": _l("Neighbour"),
        "colleague": _l("Colleague"),
        "gp": _l("GP practice"),
        "pharmacy": _l("Pharmacy"),
        "community": _l("Community group"),
        "professional": _l("Other professional"),
        "other": _l("Other"),
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
        "strong": _l("Strong"),
        "moderate": _l("Moderate"),
        "weak": _l("Weak"),
        "stressful": _l("Stressful"),
    }
    # The tie as the list and the ecomap name it.
    TIE_TEXTS = {
        "strong": _l("Strong tie"),
        "moderate": _l("Moderate tie"),
        "weak": _l("Weak tie"),
        "stressful": _l("Stressful tie"),
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
    since = DateField(default=local_today)
    until = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "until"), False),)

    @property
    def relation_label(self):
        return self.RELATIONS.get(self.relation, self.relation)

    @property
    def relation_text(self):
        """The relation as a sentence writes it (`in_sentence`)."""
        return in_sentence(self.relation_label)

    @property
    def group(self):
        return self.GROUPS.get(self.relation, "Other")

    @property
    def tie_label(self):
        return self.TIES.get(self.tie, self.tie)

    @property
    def tie_text(self):
        return self.TIE_TEXTS.get(self.tie, self.tie)

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
        if not reshaped or self.since >= local_today():
            return super().change(by, version, **fields)
        # A new relation or tie strength is a dated change: end this row, start a new one.
        with db.atomic():
            if not super().change(by, version, until=local_today()):
                return False
            data = {k: getattr(self, k) for k in self.FIELDS if k not in ("since", "until")}
            data["resource"] = self.resource_id
            data.update(fields)
            successor = NetworkMember.add(self.client, by, since=local_today(), **data)
        self.__data__ = successor.__data__
        return True

    def end(self, by, version: int) -> bool:
        """The tie ended: it stays in the history, dated."""
        return super().change(by, version, until=local_today())

    @classmethod
    def growth(cls, client) -> dict | None:
        """The network a fortnight after it was first recorded, next to now.

        None until there is a network to compare.
        """
        rows = list(cls.select(cls.since, cls.until, cls.tie).where(cls.client == client).tuples())
        if not rows:
            return None
        start_day = min(since for since, _, _ in rows) + dt.timedelta(days=14)
        today = local_today()

        def count(day):
            alive = [t for s, u, t in rows if s <= day and (u is None or u > day)]
            return {"people": len(alive), "strong": sum(t == "strong" for t in alive)}

        return {
            "start": min(start_day, today),
            "at_start": count(min(start_day, today)),
            "now": count(today),
        }
