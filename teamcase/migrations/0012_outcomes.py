"""Outcomes on the person's page: hospital admissions and emergency visits, and the
day each goal was achieved or let go (goals ended before this learn it from their
history, or from the day they were written down when that holds no more)."""

import datetime
import json

from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class Admission(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        happened_on = DateField()
        kind = CharField(max_length=20)
        planned = BooleanField(default=False)
        why = CharField(max_length=300, default="")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "admission"
            indexes = ((("client", "happened_on"), False),)

    db.create_tables([Admission])

    migrator.migrate(
        migrator.add_column("goal", "ended_on", DateField(null=True)),
        migrator.add_index("goal", ("client_id", "ended_on")),
    )

    class Goal(Model):
        status = CharField(max_length=10)
        ended_on = DateField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "goal"

    class AuditEvent(Model):
        at = DateTimeField()
        action = CharField(max_length=10)
        entity = CharField(max_length=20)
        entity_id = IntegerField(null=True)
        changes = TextField(default="")

        class Meta:
            database = db
            table_name = "audit_event"

    from teamcase.dates import to_local

    ended = {
        goal_id: created_at
        for goal_id, created_at in Goal.select(Goal.id, Goal.created_at)
        .where(Goal.status != "active")
        .tuples()
    }
    if not ended:
        return
    # The last moment the history shows it turning from active to ended.
    events = (
        AuditEvent.select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.changes)
        .where(
            AuditEvent.entity == "goal",
            AuditEvent.action.in_(("create", "update")),
            AuditEvent.entity_id.in_(list(ended)),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
        .tuples()
    )
    for goal_id, at, changes in events:
        try:
            data = json.loads(changes) if changes else {}
        except ValueError:
            continue
        before = (data.get("before") or {}).get("status", "active")
        after = (data.get("after") or {}).get("status")
        if after in ("achieved", "let_go") and before == "active":
            ended[goal_id] = at
    for goal_id, moment in ended.items():
        if isinstance(moment, str):
            moment = datetime.datetime.fromisoformat(moment)
        day = to_local(moment).date() if moment else None
        Goal.update(ended_on=day).where(Goal.id == goal_id).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_index("goal", "goal_client_id_ended_on"))
    migrator.migrate(migrator.drop_column("goal", "ended_on"))
    migrator.migrate(migrator.drop_table("admission"))
