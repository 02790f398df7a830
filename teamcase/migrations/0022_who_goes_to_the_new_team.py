"""A request for a new team names who of the team's members goes to it: they move
there when the back office makes the team."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class SupportRequest(Model):
        class Meta:
            database = db
            table_name = "support_request"

    class SupportMover(Model):
        request = ForeignKeyField(SupportRequest, on_delete="CASCADE")
        member = ForeignKeyField(User, on_delete="RESTRICT")
        name = CharField(max_length=120)

        class Meta:
            database = db
            table_name = "support_mover"
            indexes = ((("request", "member"), True),)

    db.create_tables([SupportMover])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("support_mover"))
