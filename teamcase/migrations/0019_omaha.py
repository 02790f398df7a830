"""The Omaha System, for the teams that choose it: a person's problems, their
Knowledge, Behaviour and Status ratings over time, and the person's strengths
linked to a problem."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("team", "uses_omaha", BooleanField(default=False)))

    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Strength(Model):
        class Meta:
            database = db
            table_name = "strength"

    class OmahaProblem(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        code = CharField(max_length=2)
        added_on = DateField()
        added_by = ForeignKeyField(User, on_delete="RESTRICT")
        ended_on = DateField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "omaha_problem"
            indexes = ((("client", "code"), True),)

    class OmahaRating(Model):
        problem = ForeignKeyField(OmahaProblem, on_delete="CASCADE")
        number = IntegerField()
        knowledge = IntegerField()
        behaviour = IntegerField()
        status = IntegerField()
        rated_on = DateField()
        rated_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "omaha_rating"
            indexes = ((("problem", "number"), True),)

    class OmahaStrength(Model):
        problem = ForeignKeyField(OmahaProblem, on_delete="CASCADE")
        strength = ForeignKeyField(Strength, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "omaha_strength"
            indexes = ((("problem", "strength"), True),)

    db.create_tables([OmahaProblem, OmahaRating, OmahaStrength])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("omaha_strength"))
    migrator.migrate(migrator.drop_table("omaha_rating"))
    migrator.migrate(migrator.drop_table("omaha_problem"))
    migrator.migrate(migrator.drop_column("team", "uses_omaha"))
