"""Each team's change stamp: moved on by every write of its data (teamcase/changes.py),
so a page rendered once can be shown again until something it shows changes."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("team", "changed", BigIntegerField(default=0)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("team", "changed"))
