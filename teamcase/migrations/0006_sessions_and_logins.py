"""Sessions that end: each account counts the generations of its sessions, so that
logging out, a new password or leaving the team ends every session it had, on
every server at once."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "session_generation", IntegerField(default=1)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "session_generation"))
