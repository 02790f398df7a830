"""Sessions that end, and logins that do not lock colleagues out: each account
counts the generations of its sessions, so that logging out, a new password or
leaving the team ends every session it had on every server at once; the login
throttle remembers where each account logged in from lately, so that a blocked
address still lets those accounts in."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "session_generation", IntegerField(default=1)))
    migrator.migrate(
        migrator.add_column("login_throttle", "last_success_at", DateTimeField(null=True))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("login_throttle", "last_success_at"))
    migrator.migrate(migrator.drop_column("user", "session_generation"))
