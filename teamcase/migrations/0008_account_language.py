"""Each account may choose its language; empty means it never chose, and the
browser's Accept-Language (or the install's default) decides (teamcase/i18n.py)."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "language", CharField(max_length=5, default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "language"))
