"""Goals in the person's own words, the steps towards them with who helps, and
the connections that meet a need with a neighbour's offer.
"""

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
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client
from teamcase.models.network import NetworkMember
from teamcase.models.record import Offer, PersonPart
from teamcase.models.teams import User


class Goal(PersonPart):
    """Something the person wants, in their own words, and the steps towards it."""

    STATUSES = {"active": _l("Active"), "achieved": _l("Achieved"), "let_go": _l("Let go")}
    ENTITY = "goal"
    FIELDS = ("words", "why", "status", "story", "review_on", "help_wanted", "ended_on")
    ENDED = ("achieved", "let_go")

    client = ForeignKeyField(Client, backref="goals", on_delete="CASCADE")
    words = CharField(max_length=300)
    why = TextField(default="")
    status = CharField(max_length=10, default="active")
    story = TextField(default="")
    review_on = DateField(null=True)
    # Help a neighbour could give: shown on the team's "offers and needs" page.
    help_wanted = CharField(max_length=300, default="")
    # The day it was achieved or let go: what the team's outcomes count by month.
    ended_on = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "ended_on"), False),)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @classmethod
    def add(cls, client, by, **fields):
        if fields.get("status") in cls.ENDED:
            fields.setdefault("ended_on", local_today())
        return super().add(client, by, **fields)

    def change(self, by, version: int, **fields) -> bool:
        """Save as any part does; the day it ends is kept with it: set when it is
        achieved or let go, cleared when it is taken up again. From achieved to
        let go (a slip corrected) it keeps the day it ended."""
        status = fields.get("status", self.status)
        if status not in self.ENDED:
            fields["ended_on"] = None
        elif self.status not in self.ENDED or self.ended_on is None:
            fields.setdefault("ended_on", local_today())
        return super().change(by, version, **fields)

    @classmethod
    def for_client(cls, client):
        return (
            cls.select()
            .where(cls.client == client)
            .order_by(cls.status != "active", cls.review_on.asc(nulls="last"), cls.id)
        )

    @classmethod
    def needs_of_team(cls, team):
        """Active goals of the team's active people where a neighbour's help is wanted,
        each with its person."""
        return (
            cls.select(cls, Client)
            .join(Client)
            .where(
                Client.team == team,
                Client.status == Client.ACTIVE,
                cls.status == "active",
                fn.TRIM(cls.help_wanted) != "",
            )
            .order_by(Client.name, Client.id, cls.id)
        )


class Step(PersonPart):
    """A step towards a goal, and who helps with it."""

    HELPERS = {
        "person": _l("They do it themselves"),
        "network": _l("Someone around them"),
        "member": _l("One of us"),
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
    agreed_on = DateField(default=local_today)
    note = CharField(max_length=300, default="")
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("offer", "goal"), True),)

    @classmethod
    def _with_people(cls):
        """Connections with their offer, goal and both people (offer.client gives,
        goal.client receives)."""
        giver, receiver = Client.alias("giver"), Client.alias("receiver")
        query = (
            cls.select(cls, Offer, Goal, giver, receiver)
            .join(Offer)
            .join(giver, on=(Offer.client == giver.id))
            .switch(cls)
            .join(Goal)
            .join(receiver, on=(Goal.client == receiver.id))
            .switch(cls)
        )
        return query, giver, receiver

    @classmethod
    def of_team(cls, team):
        """Connections between active people of the team, newest first, with who
        recorded them."""
        query, giver, receiver = cls._with_people()
        return (
            query.select_extend(User)
            .join(User, on=(cls.recorded_by == User.id))
            .where(
                giver.team == team,
                receiver.team == team,
                giver.status == Client.ACTIVE,
                receiver.status == Client.ACTIVE,
            )
            .order_by(cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def recorded_for(cls, offer, goal):
        """The connection of this pair with who recorded it; None if there is none."""
        return (
            cls.select(cls, User)
            .join(User, on=(cls.recorded_by == User.id))
            .where(cls.offer == offer, cls.goal == goal)
            .first()
        )

    def _snapshot(self, offer, goal) -> dict:
        return {
            "offer": f"{offer.client.name}: {offer.text}",
            "need": f"{goal.client.name}: {goal.help_wanted} ({goal.words})",
            "agreed_on": self.agreed_on.isoformat(),
            "note": self.note,
        }

    @classmethod
    def connect(cls, offer, goal, by, note: str = ""):
        """Record that both agreed to be put in touch; audited on both people.

        Raises IntegrityError when the pair is already connected (or a row it
        needs vanished in between): the unique (offer, goal) constraint decides
        which of two members connecting the same pair at once wins."""
        with db.atomic():
            connection = cls.create(
                offer=offer, goal=goal, note=note, recorded_by=by, agreed_on=local_today()
            )
            after = connection._snapshot(offer, goal)
            for person in (offer.client, goal.client):
                AuditEvent.record(by, person, "create", "connection", connection.id, after=after)
        return connection

    def undo(self, offer, goal, by) -> bool:
        """Take the connection away, audited on both people; False when it was
        already gone."""
        before = self._snapshot(offer, goal)
        with db.atomic():
            if not type(self).delete().where(type(self).id == self.id).execute():
                return False
            for person in (offer.client, goal.client):
                AuditEvent.record(by, person, "delete", "connection", self.id, before=before)
        return True
