"""What the team learns: its training plan and its experiments."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.decisions import Decision
from teamcase.models.teams import Team, User
from teamcase.models.versioned import Versioned


class LearningRecord(Versioned, BaseModel):
    """What the training plan and the experiments share: a team record, maybe from a
    decision, added and changed by any member; edits refused when someone saved
    in between (`version`); every change audited with before and after."""

    ENTITY = ""
    FIELDS: tuple[str, ...] = ()

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def add(cls, team, by, decision=None, **fields):
        with db.atomic():
            record = cls.create(team=team, created_by=by, decision=decision, **fields)
            after = {**record.snapshot(), "decision": decision.id if decision else None}
            AuditEvent.record(by, None, "create", cls.ENTITY, record.id, after=after, team=team)
        return record

    def change(self, by, version: int, **fields) -> bool:
        """Save `fields` unless someone saved since `version`; False on a conflict."""
        before = self.snapshot()
        with db.atomic():
            if not self.save_if_current(version, **fields):
                return False
            self.__data__.update(fields)
            self.version = version + 1
            AuditEvent.record(
                by, None, "update", self.ENTITY, self.id, before, self.snapshot(), self.team_id
            )
        return True

    @classmethod
    def with_decision(cls):
        """The records with the decision each came from (id and dates only)."""
        return cls.select(
            cls, Decision.id, Decision.proposed_at, Decision.decided_at, Decision.status
        ).join(Decision, JOIN.LEFT_OUTER, on=(cls.decision == Decision.id))


class TrainingItem(LearningRecord):
    """The team's own training plan."""

    ENTITY = "training"
    FIELDS = ("topic", "who", "planned_on", "done_on", "note")

    team = ForeignKeyField(Team, backref="training", on_delete="CASCADE")
    topic = CharField(max_length=200)
    who = CharField(max_length=200, default="")
    planned_on = DateField(null=True)
    done_on = DateField(null=True)
    note = TextField(default="")
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def plan(cls, team):
        """Still to do first, soonest first (undated last); then done, latest first."""
        return (
            cls.with_decision()
            .where(cls.team == team)
            .order_by(
                cls.done_on.is_null(False),
                cls.planned_on.asc(nulls="last"),
                cls.done_on.desc(),
                cls.id,
            )
        )

    def mark_done(self, by, day: dt.date) -> bool:
        """Done on `day`. False when it was already done (a colleague got there first)."""
        with db.atomic():
            saved = (
                TrainingItem.update(done_on=day, version=TrainingItem.version + 1)
                .where(TrainingItem.id == self.id, TrainingItem.done_on.is_null())
                .execute()
            )
            if not saved:
                return False
            before = self.snapshot()
            self.done_on = day
            self.version += 1
            AuditEvent.record(
                by, None, "update", self.ENTITY, self.id, before, self.snapshot(), self.team_id
            )
        return True


class Experiment(LearningRecord):
    """What we'll try, why, how we'll know, what happened, keep or drop."""

    RUNNING = "running"
    KEEP = "keep"
    DROP = "drop"
    OUTCOMES = {RUNNING: _l("Running"), KEEP: _l("Keep"), DROP: _l("Drop")}
    ENTITY = "experiment"
    FIELDS = (
        "title",
        "why",
        "how_we_know",
        "started_on",
        "review_on",
        "what_happened",
        "outcome",
        "measure",
        "week",
    )

    team = ForeignKeyField(Team, backref="experiments", on_delete="CASCADE")
    title = CharField(max_length=200)
    why = TextField(default="")
    how_we_know = TextField(default="")
    started_on = DateField(default=local_today)
    review_on = DateField(null=True)
    what_happened = TextField(default="")
    outcome = CharField(max_length=10, default=RUNNING)
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    # Started from a chart of "How we are doing": its measure, and the week the
    # chart starts new limits from (the Monday of the week it started).
    measure = CharField(max_length=40, default="")
    week = DateField(null=True)
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @property
    def outcome_label(self):
        return self.OUTCOMES.get(self.outcome, self.outcome)

    @staticmethod
    def _chart_week(fields: dict, measure: str) -> dict:
        """From a chart, the experiment starts new limits in the week it starts."""
        from teamcase.models.measures import monday

        started = fields.get("started_on")
        if measure and started:
            fields["week"] = monday(started)
        elif not measure:
            fields["week"] = None
        return fields

    @classmethod
    def add(cls, team, by, decision=None, **fields):
        return super().add(team, by, decision, **cls._chart_week(fields, fields.get("measure", "")))

    def change(self, by, version: int, **fields) -> bool:
        if "started_on" in fields or "measure" in fields:
            fields = self._chart_week(
                {"started_on": self.started_on, **fields}, fields.get("measure", self.measure)
            )
        return super().change(by, version, **fields)

    @classmethod
    def log(cls, team):
        """Running ones first, the soonest review first; then kept or dropped, latest first."""
        return (
            cls.with_decision()
            .where(cls.team == team)
            .order_by(
                cls.outcome != cls.RUNNING,
                cls.review_on.asc(nulls="last"),
                cls.started_on.desc(),
                cls.id.desc(),
            )
        )
