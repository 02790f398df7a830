"""Self-reliance per life area, for teams that choose to keep it
(`Team.uses_self_reliance`): for each area of a person's life, who does it now —
the person themselves, their network, or professionals.

A rating is one row per area and day. A new rating is a new row, so the history
stays as it was; a rating written down wrongly is corrected or removed as any
other part of the record (versioned, audited).
"""

from flask_babel import lazy_gettext as _l
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import utcnow
from teamcase.models.clients import Client
from teamcase.models.record import PersonPart


class SelfReliance(PersonPart):
    """Who does one area of life for the person, on one day."""

    # The life areas, in the order the form asks and the page lists them. An
    # install may change the list; an area no longer listed still reads by its
    # own name on the ratings that hold it.
    AREAS = {
        "housing": _l("Housing"),
        "money": _l("Money"),
        "daily": _l("Daily activities"),
        "health": _l("Health"),
        "social": _l("Social network"),
        "days": _l("Meaningful days"),
    }
    # Who does it, from the person outwards: the order of the shares in a chart.
    WHO = {
        "person": _l("Themselves"),
        "network": _l("Their network"),
        "professionals": _l("Professionals"),
    }
    ENTITY = "self_reliance"
    FIELDS = ("area", "who", "rated_on")

    client = ForeignKeyField(Client, backref="self_reliance", on_delete="CASCADE")
    area = CharField(max_length=20)
    who = CharField(max_length=20)
    rated_on = DateField(default=local_today)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "self_reliance"
        indexes = ((("client", "rated_on"), False),)

    @property
    def area_label(self):
        return self.AREAS.get(self.area, self.area)

    @property
    def who_label(self):
        return self.WHO.get(self.who, self.who)

    @classmethod
    def for_client(cls, client):
        """Oldest first: the order in which the history happened."""
        return (
            cls.select().where(cls.client == client).order_by(cls.rated_on, cls.created_at, cls.id)
        )

    @classmethod
    def rate(cls, client, by, rated_on, who_by_area: dict[str, str], *, created_at=None) -> list:
        """Write down one rating: a row for each area given (an area left out was not
        rated this time), all in one transaction, each in the person's history."""
        rows = []
        with db.atomic():
            for area, who in who_by_area.items():
                if area not in cls.AREAS or who not in cls.WHO:
                    raise ValueError(f"no such rating: {area}={who}")
                extra = {"created_at": created_at} if created_at else {}
                row = cls.create(client=client, area=area, who=who, rated_on=rated_on, **extra)
                AuditEvent.record(by, client, "create", cls.ENTITY, row.id, after=row.snapshot())
                rows.append(row)
        return rows
