"""The team and its coach: a decision about the coach (invite, end) links or unlinks
her when adopted, and the threads in which the team asks her something, she
answers, and she says whether she comes to a meeting the team invited her to."""

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

    class Meeting(Model):
        class Meta:
            database = db
            table_name = "meeting"

    migrator.migrate(
        migrator.add_column("decision", "coach_change", CharField(max_length=10, default="")),
        migrator.add_column(
            "decision",
            "coach_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
    )

    class CoachThread(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        coach = ForeignKeyField(User, on_delete="CASCADE")
        kind = CharField(max_length=10, default="question")
        subject = CharField(max_length=200)
        meeting = ForeignKeyField(Meeting, null=True, on_delete="CASCADE")
        started_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()
        status = CharField(max_length=10, default="open")
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "coach_thread"
            indexes = (
                (("team", "status"), False),
                (("coach", "status"), False),
                (("meeting", "coach"), True),
            )

    class CoachMessage(Model):
        thread = ForeignKeyField(CoachThread, on_delete="CASCADE")
        author = ForeignKeyField(User, on_delete="RESTRICT")
        kind = CharField(max_length=10)
        text = TextField(default="")
        from_coach = BooleanField(default=False)
        points_to = ForeignKeyField(Team, null=True, on_delete="SET NULL")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "coach_message"
            indexes = ((("thread", "id"), False),)

    db.create_tables([CoachThread, CoachMessage])


def down(migrator, db):
    for table in ("coach_message", "coach_thread"):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
    migrator.migrate(migrator.drop_index("decision", "decision_coach_id"))
    migrator.migrate(migrator.drop_column("decision", "coach_id"))
    migrator.migrate(migrator.drop_column("decision", "coach_change"))
