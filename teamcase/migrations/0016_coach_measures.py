"""The measures a team shares with its coach: the codes of two or three of its
weekly measures, drawn small on the coach's page."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("team", "coach_measures", CharField(max_length=200, default=""))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("team", "coach_measures"))
