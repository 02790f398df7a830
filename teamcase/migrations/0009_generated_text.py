"""Text the app writes into the records (why an item is on the agenda, how an
amendment answered an objection, a first visit's note) is kept as a message code
with its values and worded in the reader's language (teamcase/generated.py), in the
same columns. An agenda item's reason and a planned visit's note may hold such sentences,
whose stored form is longer than the text, so they are no longer cut at 300
characters in the database (they still are when shown; the forms keep their limits).

Rows from before stay as they are: their text was written in one language and is
shown as written, like text a person typed."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.alter_column_type("agenda_item", "why", TextField(default="")),
        migrator.alter_column_type("planned_visit", "note", TextField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.alter_column_type("agenda_item", "why", CharField(max_length=300, default="")),
        migrator.alter_column_type("planned_visit", "note", CharField(max_length=300, default="")),
    )
