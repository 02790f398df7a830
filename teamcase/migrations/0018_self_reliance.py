"""Self-reliance per life area, for the teams that choose it: who does each area
of a person's life now (themselves, their network, professionals), by day."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("team", "uses_self_reliance", BooleanField(default=False)))

    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class SelfReliance(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        area = CharField(max_length=20)
        who = CharField(max_length=20)
        rated_on = DateField()
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "self_reliance"
            indexes = ((("client", "rated_on"), False),)

    db.create_tables([SelfReliance])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("self_reliance"))
    migrator.migrate(migrator.drop_column("team", "uses_self_reliance"))
