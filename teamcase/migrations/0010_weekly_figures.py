"""How we are doing: the team's weekly figures (sum and count per team, week and
measure), counted here from the rows a team already holds; the team's own names
for failure demand causes (renamed or merged); and an experiment may
name the measure and week of the chart it was started from."""

from peewee import *


def up(migrator, db):
    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class WeekFigure(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        week = DateField()
        measure = CharField(max_length=220)
        total = FloatField(default=0)
        count = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "week_figure"
            indexes = ((("team", "measure", "week"), True), (("team", "week"), False))

    class CauseGroup(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        words = CharField(max_length=200)
        counted_as = CharField(max_length=200)

        class Meta:
            database = db
            table_name = "cause_group"
            indexes = ((("team", "words"), True),)

    db.create_tables([WeekFigure, CauseGroup])
    migrator.migrate(
        migrator.add_column("experiment", "measure", CharField(max_length=40, default="")),
        migrator.add_column("experiment", "week", DateField(null=True)),
    )
    # The figures of the weeks before this: counted from the contacts, referrals
    # and cases (tables as old as the first migration).
    from teamcase.models.measures import WeekFigure as Figures

    for (team_id,) in db.execute_sql("SELECT id FROM team").fetchall():
        Figures.rebuild(team_id)


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("experiment", "measure"),
        migrator.drop_column("experiment", "week"),
    )
    db.execute_sql("DROP TABLE cause_group")
    db.execute_sql("DROP TABLE week_figure")
