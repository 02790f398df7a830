"""Team meetings and decisions by consent: meetings, attendance, agenda items,
flags for the meeting, decisions and how they were reached, training, experiments;
review dates on people; the team's rules for deciding between meetings."""

import datetime

from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class Referral(Model):
        class Meta:
            database = db
            table_name = "referral"

    class Task(Model):
        class Meta:
            database = db
            table_name = "task"

    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Meeting(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        held_on = DateField()
        starts_at = TimeField(null=True)
        place = CharField(max_length=120, default="")
        facilitator = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        note_taker = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        status = CharField(max_length=10, default="planned")
        previous_accepted_at = DateTimeField(null=True)
        started_at = DateTimeField(null=True)
        ended_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "meeting"
            indexes = ((("team", "held_on"), False),)

    # One planned meeting per team (dropped with the table in `down`).
    Meeting.add_index(
        Meeting.index(
            Meeting.team,
            unique=True,
            where=(Meeting.status == "planned"),
            name="meeting_one_planned_per_team",
        )
    )
    db.create_tables([Meeting])

    class Attendance(Model):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        member = ForeignKeyField(User, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "attendance"
            indexes = ((("meeting", "member"), True),)

    db.create_tables([Attendance])

    class Decision(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
        meeting = ForeignKeyField(Meeting, null=True, on_delete="SET NULL")
        proposal = TextField()
        purpose = TextField(default="")
        proposed_by = ForeignKeyField(User, on_delete="RESTRICT")
        proposed_at = DateTimeField()
        status = CharField(max_length=10, default="proposed")
        decided_at = DateTimeField(null=True)
        review_on = DateField(null=True)
        revisits = ForeignKeyField("self", null=True, on_delete="SET NULL")
        asynchronous = BooleanField(default=False)
        deadline = DateTimeField(null=True)
        quorum = IntegerField(null=True)
        settled_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "decision"
            indexes = ((("team", "status", "review_on"), False),)

    db.create_tables([Decision])

    class AgendaItem(Model):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        kind = CharField(max_length=12)
        title = CharField(max_length=200)
        why = CharField(max_length=300, default="")
        client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
        referral = ForeignKeyField(Referral, null=True, on_delete="CASCADE")
        task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
        source = CharField(null=True, max_length=40)
        added_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        position = IntegerField(default=0)
        status = CharField(max_length=10, default="open")
        notes = TextField(default="")
        carried_from = ForeignKeyField("self", null=True, on_delete="SET NULL")
        version = IntegerField(default=1)
        created_at = DateTimeField()
        decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "agenda_item"
            indexes = ((("meeting", "source"), True), (("meeting", "position"), False))

    db.create_tables([AgendaItem])
    # The tasks a meeting put on the board.
    migrator.migrate(
        migrator.add_column(
            "task",
            "meeting_item_id",
            ForeignKeyField(AgendaItem, field=AgendaItem.id, null=True, on_delete="SET NULL"),
        )
    )

    class DecisionStep(Model):
        decision = ForeignKeyField(Decision, on_delete="CASCADE")
        kind = CharField(max_length=10)
        member = ForeignKeyField(User, on_delete="RESTRICT")
        text = TextField(default="")
        earlier = TextField(default="")
        at = DateTimeField()
        resolution = TextField(default="")
        resolved_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        resolved_at = DateTimeField(null=True)
        answer_of = ForeignKeyField(User, null=True, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "decision_step"
            indexes = ((("decision", "at"), False), (("decision", "answer_of"), True))

    db.create_tables([DecisionStep])

    class Experiment(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        title = CharField(max_length=200)
        why = TextField(default="")
        how_we_know = TextField(default="")
        started_on = DateField(default=datetime.date.today)
        review_on = DateField(null=True)
        what_happened = TextField(default="")
        outcome = CharField(max_length=10, default="running")
        decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "experiment"

    db.create_tables([Experiment])

    class MeetingFlag(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        client = ForeignKeyField(Client, on_delete="CASCADE")
        reason = CharField(max_length=300)
        flagged_by = ForeignKeyField(User, on_delete="RESTRICT")
        flagged_at = DateTimeField()
        resolved_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "meeting_flag"

    db.create_tables([MeetingFlag])

    class TrainingItem(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        topic = CharField(max_length=200)
        who = CharField(max_length=200, default="")
        planned_on = DateField(null=True)
        done_on = DateField(null=True)
        note = TextField(default="")
        decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        version = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "training_item"

    db.create_tables([TrainingItem])

    migrator.migrate(migrator.add_column("team", "async_days", IntegerField(default=3)))
    migrator.migrate(migrator.add_column("team", "async_quorum", IntegerField(default=5)))
    migrator.migrate(migrator.add_column("client", "review_on", DateField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("client", "review_on"))
    migrator.migrate(migrator.drop_column("team", "async_quorum"))
    migrator.migrate(migrator.drop_column("team", "async_days"))
    migrator.migrate(migrator.drop_table("training_item"))
    migrator.migrate(migrator.drop_table("meeting_flag"))
    migrator.migrate(migrator.drop_table("experiment"))
    migrator.migrate(migrator.drop_table("decision_step"))
    migrator.migrate(migrator.drop_table("decision"))
    migrator.migrate(migrator.drop_table("attendance"))
    migrator.migrate(migrator.drop_column("task", "meeting_item_id"))
    migrator.migrate(migrator.drop_table("agenda_item"))
    migrator.migrate(migrator.drop_table("meeting"))
