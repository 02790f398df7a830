"""Goals in the person's own words, the steps towards them with who helps, and
the connections that meet a need with a neighbour's offer.
"""

import datetime as dt

from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client
from teamcase.models.network import NetworkMember
from teamcase.models.record import Offer, PersonPart
from teamcase.models.teams import User


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
