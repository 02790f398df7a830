"""A contact written down on a tablet carries the id the tablet made for it, unique,
so that a contact sent again after a lost signal is recorded once (offline use)."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("contact", "client_uuid", CharField(max_length=36, null=True)),
        migrator.add_index("contact", ("client_uuid",), unique=True),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("contact", "contact_client_uuid"))
    migrator.migrate(migrator.drop_column("contact", "client_uuid"))
