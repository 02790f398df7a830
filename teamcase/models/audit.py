"""The audit log: who viewed or changed what in a person's record or a team record.

Its foreign keys are deferred so that every other area can write to the log:
teams, accounts and people are defined after it.
"""

import json

from peewee import (
    JOIN,
    CharField,
    DateTimeField,
    DeferredForeignKey,
    IntegerField,
    TextField,
)

from teamcase.models.base import BaseModel, utcnow


def latest_team_event(team_id, entity, entity_id, actions):
    """The newest of these audit events about one team record, with its actor."""
    from teamcase.models.teams import User

    return (
        AuditEvent.select(AuditEvent, User)
        .join(User, on=(AuditEvent.actor == User.id))
        .where(
            AuditEvent.team == team_id,
            AuditEvent.client.is_null(),
            AuditEvent.entity == entity,
            AuditEvent.entity_id == entity_id,
            AuditEvent.action.in_(actions),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .first()
    )


class AuditEvent(BaseModel):
    """Who viewed or changed what in a person's record, and when."""

    team = DeferredForeignKey("Team", on_delete="CASCADE")
    client = DeferredForeignKey("Client", null=True, on_delete="CASCADE")
    actor = DeferredForeignKey("User", on_delete="RESTRICT")
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
    def last_change(cls, entity: str, entity_id: int, actions=("update",)):
        """Who last did one of `actions` (None: anything) to this record, and when:
        the event with its actor, or None. For a conflict or refusal message."""
        from teamcase.models.teams import User

        query = (
            cls.select(cls, User)
            .join(User, on=(cls.actor == User.id))
            .where(cls.entity == entity, cls.entity_id == entity_id)
        )
        if actions is not None:
            query = query.where(cls.action.in_(actions))
        return query.order_by(cls.at.desc(), cls.id.desc()).first()

    @classmethod
    def for_client(cls, client):
        from teamcase.models.teams import User

        return (
            cls.select(cls, User)
            .join(User, JOIN.INNER, on=(cls.actor == User.id))
            .where(cls.client == client)
            .order_by(cls.at.desc(), cls.id.desc())
        )

    @classmethod
    def for_team(cls, team, entities):
        """The team's own log: changes to team records of these kinds (no person's
        record), newest first, with who made each."""
        from teamcase.models.teams import User

        return (
            cls.select(cls, User)
            .join(User, on=(cls.actor == User.id))
            .where(cls.team == team, cls.client.is_null(), cls.entity.in_(entities))
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
