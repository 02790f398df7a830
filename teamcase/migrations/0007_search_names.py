"""Finding people as colleagues type them: each person's row keeps the words they
are found by, without accents or case (teamcase/search.py), so that "ozdemir"
finds "Özdemir" and a phone number is found without its spaces and dashes, alike
on SQLite and PostgreSQL. The people already there get their words here."""

from peewee import *

from teamcase.search import words_of

BATCH = 500


def up(migrator, db):
    migrator.migrate(migrator.add_column("client", "search_text", TextField(default="")))

    class Client(Model):
        name = CharField()
        preferred_name = CharField()
        street = CharField()
        phone = CharField()
        search_text = TextField()

        class Meta:
            database = db
            table_name = "client"

    last = 0
    while True:
        rows = list(
            Client.select(
                Client.id, Client.name, Client.preferred_name, Client.street, Client.phone
            )
            .where(Client.id > last)
            .order_by(Client.id)
            .limit(BATCH)
        )
        if not rows:
            break
        for row in rows:
            words = words_of(
                name=row.name, preferred_name=row.preferred_name, street=row.street, phone=row.phone
            )
            Client.update(search_text=words).where(Client.id == row.id).execute()
        last = rows[-1].id


def down(migrator, db):
    migrator.migrate(migrator.drop_column("client", "search_text"))
