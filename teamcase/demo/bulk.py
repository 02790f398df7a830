"""The one bulk path: rows straight into a table, for `seed_scale` only.

Millions of contacts through `Contact.record` (an audit event and a last-contact
refresh each) would take hours, so scale seeding writes finished rows instead. It
is then the caller's job to write them as the verbs would leave them: version 1, a
person's last contact being their newest contact, everyone known best by someone.
The demo itself never comes here; it goes through the models' verbs.
"""

from teamcase.db import db

# Rows handed to the driver at a time; keeps psycopg's pipeline and memory small.
BATCH = 5_000


def insert_rows(model, fields, rows) -> None:
    """Insert tuples of database-ready values, given in the order of `fields`.

    peewee writes the one-row statement and the driver repeats it for each row:
    4-6 times faster than `insert_many`, which renders every value in Python.
    """
    if not rows:
        return
    sql, params = model.insert({field: None for field in fields}).returning().sql()
    if len(params) != len(fields):
        # peewee fills in defaults for fields left out, which the rows do not carry.
        raise ValueError(f"Give every column of {model.__name__} a value when seeding.")
    cursor = db.cursor()
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start : start + BATCH])


def ids_in_order(query) -> list[int]:
    """The ids of `query`'s rows in the order they were inserted."""
    return [row[0] for row in query.order_by(query.model.id).tuples()]
