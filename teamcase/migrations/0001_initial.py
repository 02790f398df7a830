"""The first schema: teams, members, people, contacts, audit and login throttling.

Column defaults live in the models (peewee applies them in Python), so the
frozen copies here need none for timestamps."""

from peewee import *


def up(migrator, db):
    class Team(Model):
        name = CharField(unique=True, max_length=120)
        area = CharField(max_length=120, default="")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "team"

    db.create_tables([Team])

    class Client(Model):
        team = ForeignKeyField(Team, on_delete="RESTRICT")
        name = CharField(max_length=120)
        preferred_name = CharField(max_length=80, default="")
        date_of_birth = DateField(null=True)
        street = CharField(max_length=120, default="")
        postcode = CharField(max_length=12, default="")
        city = CharField(max_length=80, default="")
        phone = CharField(max_length=40, default="")
        email = CharField(max_length=254, default="")
        status = CharField(max_length=10, default="active")
        last_contact_at = DateTimeField(null=True)
        last_contact_kind = CharField(max_length=20, default="")
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "client"
            indexes = ((("team", "status", "name"), False),)

    db.create_tables([Client])

    class User(Model):
        email = CharField(unique=True, max_length=254)
        name = CharField(max_length=120)
        password_hash = CharField()
        role = CharField(max_length=20, default="member")
        team = ForeignKeyField(Team, null=True, on_delete="RESTRICT")
        active = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "user"

    db.create_tables([User])

    class AuditEvent(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
        actor = ForeignKeyField(User, on_delete="RESTRICT")
        at = DateTimeField()
        action = CharField(max_length=10)
        entity = CharField(max_length=20)
        entity_id = IntegerField(null=True)
        changes = TextField(default="")

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("client", "at"), False), (("team", "at"), False))

    db.create_tables([AuditEvent])

    class CoachLink(Model):
        coach = ForeignKeyField(User, on_delete="CASCADE")
        team = ForeignKeyField(Team, on_delete="CASCADE")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "coach_link"
            indexes = ((("coach", "team"), True),)

    db.create_tables([CoachLink])

    class Contact(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        author = ForeignKeyField(User, on_delete="RESTRICT")
        happened_at = DateTimeField()
        minutes = IntegerField()
        kind = CharField(max_length=20)
        note = TextField(default="")
        incoming = BooleanField(default=False)
        demand = CharField(max_length=10, default="")
        demand_why = CharField(max_length=200, default="")
        resolved_first_time = BooleanField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "contact"
            indexes = ((("client", "happened_at"), False),)

    db.create_tables([Contact])

    class ContactMember(Model):
        contact = ForeignKeyField(Contact, on_delete="CASCADE")
        member = ForeignKeyField(User, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "contact_member"
            indexes = ((("contact", "member"), True),)

    db.create_tables([ContactMember])

    class KnownBest(Model):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        member = ForeignKeyField(User, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "known_best"
            indexes = ((("client", "member"), True),)

    db.create_tables([KnownBest])

    class LoginThrottle(Model):
        key = CharField(unique=True, max_length=300)
        failures = IntegerField(default=0)
        last_failure_at = DateTimeField(null=True)
        blocked_until = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "login_throttle"

    db.create_tables([LoginThrottle])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("login_throttle"))
    migrator.migrate(migrator.drop_table("known_best"))
    migrator.migrate(migrator.drop_table("contact_member"))
    migrator.migrate(migrator.drop_table("contact"))
    migrator.migrate(migrator.drop_table("coach_link"))
    migrator.migrate(migrator.drop_table("audit_event"))
    migrator.migrate(migrator.drop_table("user"))
    migrator.migrate(migrator.drop_table("client"))
    migrator.migrate(migrator.drop_table("team"))
