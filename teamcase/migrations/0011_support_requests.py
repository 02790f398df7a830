"""Support requests: what a team asks of the back office, the thread of questions
and answers about it, and the files sent with it (kept in the database, so that
every app server has them)."""

from peewee import *


def up(migrator, db):
    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class SupportRequest(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        filed_by = ForeignKeyField(User, on_delete="RESTRICT")
        category = CharField(max_length=40)
        subject = CharField(max_length=200)
        description = TextField()
        needed_by = DateField(null=True)
        status = CharField(max_length=10, default="new")
        taken_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        created_at = DateTimeField()
        taken_at = DateTimeField(null=True)
        first_answer_at = DateTimeField(null=True)
        done_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        waiting_since = DateTimeField(null=True)
        waited_seconds = IntegerField(default=0)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "support_request"
            indexes = (
                (("team", "status"), False),
                (("status", "created_at"), False),
                # The queue: the oldest first of all that are not closed.
                (("created_at",), False),
            )

    class SupportMessage(Model):
        request = ForeignKeyField(SupportRequest, on_delete="CASCADE")
        author = ForeignKeyField(User, on_delete="RESTRICT")
        kind = CharField(max_length=10)
        text = TextField(default="")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "support_message"
            indexes = ((("request", "created_at"), False),)

    class SupportAttachment(Model):
        request = ForeignKeyField(SupportRequest, on_delete="CASCADE")
        message = ForeignKeyField(SupportMessage, null=True, on_delete="CASCADE")
        filename = CharField(max_length=200)
        content_type = CharField(max_length=40)
        size = IntegerField()
        data = BlobField()
        uploaded_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "support_attachment"

    db.create_tables([SupportRequest, SupportMessage, SupportAttachment])


def down(migrator, db):
    for table in ("support_attachment", "support_message", "support_request"):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
