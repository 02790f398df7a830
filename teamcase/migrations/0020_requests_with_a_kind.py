"""Support requests of a kind the back office acts on from the request itself: an
account for a new colleague, a new team, or deactivating, unlocking or giving a new
password to a colleague's account; what each asks for, and what was made."""

from peewee import *


def up(migrator, db):
    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    migrator.migrate(
        migrator.add_column("support_request", "kind", CharField(max_length=20, default="")),
        migrator.add_column("support_request", "asked_name", CharField(max_length=120, default="")),
        migrator.add_column(
            "support_request", "asked_email", CharField(max_length=254, default="")
        ),
        migrator.add_column("support_request", "asked_area", CharField(max_length=120, default="")),
        migrator.add_column("support_request", "starts_on", DateField(null=True)),
        migrator.add_column(
            "support_request",
            "account_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column(
            "support_request",
            "made_team_id",
            ForeignKeyField(Team, field=Team.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column("support_request", "acted_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    for index in ("support_request_account_id", "support_request_made_team_id"):
        migrator.migrate(migrator.drop_index("support_request", index))
    for column in (
        "acted_at",
        "made_team_id",
        "account_id",
        "starts_on",
        "asked_area",
        "asked_email",
        "asked_name",
        "kind",
    ):
        migrator.migrate(migrator.drop_column("support_request", column))
