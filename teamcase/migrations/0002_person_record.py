"""The person's record: about me, strengths, offers, network, goals and steps,
local resources, connections between neighbours, consent; contacts link to goals."""

import datetime

from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class AboutMe(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        section = CharField(max_length=20)
        version = IntegerField()
        text = TextField()
        said_by = CharField(max_length=10, default="person")
        said_by_name = CharField(max_length=80, default="")
        recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
        recorded_at = DateTimeField()

        class Meta:
            database = db
            table_name = "about_me"
            indexes = ((("client", "section", "version"), True),)

    db.create_tables([AboutMe])

    class Offer(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        text = CharField(max_length=300)
        when = CharField(max_length=120, default="")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "offer"

    db.create_tables([Offer])

    class Goal(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        words = CharField(max_length=300)
        why = TextField(default="")
        status = CharField(max_length=10, default="active")
        story = TextField(default="")
        review_on = DateField(null=True)
        help_wanted = CharField(max_length=300, default="")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "goal"

    db.create_tables([Goal])

    class Connection(Model):
        offer = ForeignKeyField(Offer, on_delete="CASCADE")
        goal = ForeignKeyField(Goal, on_delete="CASCADE")
        agreed_on = DateField(default=datetime.date.today)
        note = CharField(max_length=300, default="")
        recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "connection"
            indexes = ((("offer", "goal"), True),)

    db.create_tables([Connection])

    class Consent(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        what = CharField(max_length=300)
        with_whom = CharField(max_length=300)
        given_on = DateField(default=datetime.date.today)
        withdrawn_on = DateField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "consent"

    db.create_tables([Consent])

    class LocalResource(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        name = CharField(max_length=120)
        kind = CharField(max_length=20, default="other")
        address = CharField(max_length=200, default="")
        phone = CharField(max_length=40, default="")
        opening_hours = CharField(max_length=200, default="")
        notes = TextField(default="")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "local_resource"
            indexes = ((("team", "name"), True),)

    db.create_tables([LocalResource])

    class NetworkMember(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        name = CharField(max_length=120)
        relation = CharField(max_length=20)
        does_now = CharField(max_length=300, default="")
        could_do = CharField(max_length=300, default="")
        reach = CharField(max_length=200, default="")
        tie = CharField(max_length=10, default="moderate")
        frequency = CharField(max_length=80, default="")
        resource = ForeignKeyField(LocalResource, null=True, on_delete="SET NULL")
        on_profile = BooleanField(default=False)
        since = DateField(default=datetime.date.today)
        until = DateField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "network_member"
            indexes = ((("client", "until"), False),)

    db.create_tables([NetworkMember])

    class Step(Model):
        goal = ForeignKeyField(Goal, on_delete="CASCADE")
        text = CharField(max_length=300)
        helper_kind = CharField(max_length=10, default="person")
        network_member = ForeignKeyField(NetworkMember, null=True, on_delete="SET NULL")
        member = ForeignKeyField(User, null=True, on_delete="SET NULL")
        due_on = DateField(null=True)
        done_on = DateField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "step"

    db.create_tables([Step])

    class Strength(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        category = CharField(max_length=20)
        text = CharField(max_length=300)
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "strength"

    db.create_tables([Strength])

    migrator.migrate(
        migrator.add_column(
            "contact",
            "goal_id",
            ForeignKeyField(Goal, field=Goal.id, null=True, on_delete="SET NULL"),
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("contact", "contact_goal_id"))
    migrator.migrate(migrator.drop_column("contact", "goal_id"))
    migrator.migrate(migrator.drop_table("strength"))
    migrator.migrate(migrator.drop_table("step"))
    migrator.migrate(migrator.drop_table("network_member"))
    migrator.migrate(migrator.drop_table("local_resource"))
    migrator.migrate(migrator.drop_table("consent"))
    migrator.migrate(migrator.drop_table("connection"))
    migrator.migrate(migrator.drop_table("goal"))
    migrator.migrate(migrator.drop_table("offer"))
    migrator.migrate(migrator.drop_table("about_me"))
