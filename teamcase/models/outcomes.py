"""Outcomes recorded on the person's page: hospital admissions and emergency visits.

A district nurse writes down when someone went into hospital, was seen at the
emergency department, by the out-of-hours GP service or by an ambulance crew
that did not take them in: the events the team hopes to prevent, and learns from.
"""

from flask_babel import lazy_gettext as _l
from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from teamcase.dates import local_today
from teamcase.models.base import utcnow
from teamcase.models.clients import Client
from teamcase.models.record import PersonPart


class Admission(PersonPart):
    """One admission or emergency visit: when, what kind, planned or not, and why.

    The kinds are the places a district nurse hears someone ended up; the list is
    data, in the order the form offers it, and a kind no longer offered still
    reads by its own name."""

    KINDS = {
        "hospital": _l("Hospital admission"),
        "emergency": _l("Emergency department visit"),
        "out_of_hours": _l("Out-of-hours GP"),
        "ambulance": _l("Ambulance, not taken in"),
    }
    # The kinds that are a stay in hospital; the rest are emergency visits.
    ADMISSIONS = frozenset({"hospital"})
    ENTITY = "admission"
    FIELDS = ("happened_on", "kind", "planned", "why")

    client = ForeignKeyField(Client, backref="admissions", on_delete="CASCADE")
    happened_on = DateField(default=local_today)
    kind = CharField(max_length=20)
    planned = BooleanField(default=False)
    why = CharField(max_length=300, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "happened_on"), False),)

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @property
    def is_admission(self) -> bool:
        return self.kind in self.ADMISSIONS

    @classmethod
    def for_client(cls, client):
        """Newest first, as a nurse reads back what happened."""
        return (
            cls.select().where(cls.client == client).order_by(cls.happened_on.desc(), cls.id.desc())
        )
