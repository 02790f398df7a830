"""Sharing the work: referrals, the team board, the week plan, closing and
transferring cases, the team's own members and roles."""

import datetime

from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class Contact(Model):
        class Meta:
            database = db
            table_name = "contact"

    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Invitation(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        email = CharField(max_length=254)
        name = CharField(max_length=120)
        token_hash = CharField(unique=True, max_length=64)
        invited_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        withdrawn_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "invitation"

    db.create_tables([Invitation])

    class VisitSeries(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        client = ForeignKeyField(Client, on_delete="CASCADE")
        rule = CharField(max_length=10)
        weekdays = CharField(max_length=20, default="")
        every_days = IntegerField(default=1)
        starts_on = DateField()
        ends_on = DateField()
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "visit_series"

    db.create_tables([VisitSeries])

    class PlannedVisit(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        client = ForeignKeyField(Client, on_delete="CASCADE")
        member = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        day = DateField()
        starts_at = TimeField(null=True)
        ends_at = TimeField(null=True)
        minutes = IntegerField(default=30)
        kind = CharField(max_length=20, default="home_visit")
        note = CharField(max_length=300, default="")
        series = ForeignKeyField(VisitSeries, null=True, on_delete="SET NULL")
        status = CharField(max_length=10, default="planned")
        contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "planned_visit"
            indexes = ((("team", "day", "member"), False), (("client", "day"), False))

    db.create_tables([PlannedVisit])

    class Referral(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        received_at = DateTimeField()
        recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
        referrer_name = CharField(max_length=120, default="")
        referrer_org = CharField(max_length=120, default="")
        referrer_phone = CharField(max_length=40, default="")
        person_name = CharField(max_length=120)
        date_of_birth = DateField(null=True)
        street = CharField(max_length=120, default="")
        postcode = CharField(max_length=12, default="")
        city = CharField(max_length=80, default="")
        phone = CharField(max_length=40, default="")
        story = TextField(default="")
        urgency = CharField(max_length=10, default="soon")
        status = CharField(max_length=10, default="open")
        meeting_reason = CharField(max_length=300, default="")
        decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        decided_at = DateTimeField(null=True)
        decline_reason = CharField(max_length=300, default="")
        referred_on_to = CharField(max_length=200, default="")
        client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
        from_team = ForeignKeyField(Team, null=True, on_delete="SET NULL")
        first_visit_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "referral"
            indexes = ((("team", "status", "received_at"), False),)

    # One transfer waiting per person (dropped with the table in `down`).
    Referral.add_index(
        Referral.index(
            Referral.client,
            unique=True,
            where=(Referral.from_team.is_null(False) & Referral.status.in_(["open", "meeting"])),
            name="referral_one_pending_transfer",
        )
    )
    db.create_tables([Referral])

    class TeamRole(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        name = CharField(max_length=80)
        purpose = CharField(max_length=300, default="")
        active = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "team_role"
            indexes = ((("team", "name"), True),)

    db.create_tables([TeamRole])

    class RoleHolding(Model):
        role = ForeignKeyField(TeamRole, on_delete="CASCADE")
        member = ForeignKeyField(User, on_delete="RESTRICT")
        since = DateField(default=datetime.date.today)
        until = DateField(null=True)

        class Meta:
            database = db
            table_name = "role_holding"

    db.create_tables([RoleHolding])

    class Task(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
        title = CharField(max_length=200)
        note = TextField(default="")
        due_on = DateField(null=True)
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()
        claimed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        claimed_at = DateTimeField(null=True)
        requested_of = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        requested_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        requested_at = DateTimeField(null=True)
        declined_at = DateTimeField(null=True)
        status = CharField(max_length=10, default="open")
        done_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        done_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "task"
            indexes = ((("team", "status", "due_on"), False),)

    db.create_tables([Task])

    migrator.migrate(migrator.add_column("team", "capacity", IntegerField(default=60)))
    migrator.migrate(migrator.add_column("team", "street", CharField(max_length=120, default="")))
    migrator.migrate(migrator.add_column("team", "postcode", CharField(max_length=12, default="")))
    migrator.migrate(migrator.add_column("team", "city", CharField(max_length=80, default="")))
    migrator.migrate(migrator.add_column("team", "phone", CharField(max_length=40, default="")))
    migrator.migrate(migrator.add_column("team", "email", CharField(max_length=254, default="")))
    migrator.migrate(migrator.add_column("team", "version", IntegerField(default=1)))
    # Existing people have been in care since their record was opened.
    migrator.migrate(migrator.add_column("client", "care_started_at", DateTimeField(null=True)))
    db.execute_sql("UPDATE client SET care_started_at = created_at")
    migrator.migrate(migrator.add_not_null("client", "care_started_at"))
    migrator.migrate(migrator.add_column("client", "closed_at", DateTimeField(null=True)))
    migrator.migrate(
        migrator.add_column("client", "close_reason", CharField(max_length=20, default=""))
    )
    migrator.migrate(migrator.add_column("client", "closing_story", TextField(default="")))
    migrator.migrate(
        migrator.add_column("user", "must_change_password", BooleanField(default=False))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "must_change_password"))
    migrator.migrate(migrator.drop_column("client", "closing_story"))
    migrator.migrate(migrator.drop_column("client", "close_reason"))
    migrator.migrate(migrator.drop_column("client", "closed_at"))
    migrator.migrate(migrator.drop_column("client", "care_started_at"))
    migrator.migrate(migrator.drop_column("team", "version"))
    migrator.migrate(migrator.drop_column("team", "email"))
    migrator.migrate(migrator.drop_column("team", "phone"))
    migrator.migrate(migrator.drop_column("team", "city"))
    migrator.migrate(migrator.drop_column("team", "postcode"))
    migrator.migrate(migrator.drop_column("team", "street"))
    migrator.migrate(migrator.drop_column("team", "capacity"))
    migrator.migrate(migrator.drop_table("task"))
    migrator.migrate(migrator.drop_table("role_holding"))
    migrator.migrate(migrator.drop_table("team_role"))
    migrator.migrate(migrator.drop_table("referral"))
    migrator.migrate(migrator.drop_table("planned_visit"))
    migrator.migrate(migrator.drop_table("visit_series"))
    migrator.migrate(migrator.drop_table("invitation"))
