"""The base of every model: the deferred database, UTC times, row locks.

Times are stored as naive UTC; templates show them in the team's time zone.
"""

import datetime as dt

from peewee import (
    Model,
)

from teamcase.db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def locked_row(model, row_id):
    """The row, locked until the transaction ends, so that writers that check and
    then change it take turns. PostgreSQL locks the row (SELECT … FOR UPDATE);
    SQLite's IMMEDIATE transactions already let one writer in at a time."""
    query = model.select().where(model.id == row_id)
    if db.for_update:
        query = query.for_update()
    return query.get()
