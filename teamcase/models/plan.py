"""The week plan: planned visits, repeating series, handing over and taking
visits, and marking a visit done.
"""

import datetime as dt

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TimeField,
    fn,
)

from teamcase.dates import format_day
from teamcase.db import db
from teamcase.generated import GeneratedTextField
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client, Contact
from teamcase.models.teams import Team, User
from teamcase.models.versioned import Versioned


class VisitSeries(BaseModel):
    """A recurring visit (daily insulin, a weekly shower) by a simple rule,
    written out as planned visits up to its end date."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    EVERY_N = "every_n"
    RULES = {
        DAILY: _l("Every day"),
        WEEKDAYS: _l("On chosen weekdays"),
        EVERY_N: _l("Every few days"),
    }

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="visit_series", on_delete="CASCADE")
    rule = CharField(max_length=10)
    # Monday is 0, as in Python: "0,3" is Monday and Thursday.
    weekdays = CharField(max_length=20, default="")
    every_days = IntegerField(default=1)
    starts_on = DateField()
    ends_on = DateField()
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    # A series is planned at most a year ahead; it can be planned again when it ends.
    MAX_DAYS = 366
    WEEKDAY_NAMES = (
        _l("Monday"),
        _l("Tuesday"),
        _l("Wednesday"),
        _l("Thursday"),
        _l("Friday"),
        _l("Saturday"),
        _l("Sunday"),
    )
    # Rows per INSERT: well under SQLite's limit on parameters in one statement.
    INSERT_BATCH = 200

    @classmethod
    def _expand(cls, rule, starts_on, ends_on, weekdays, every_days) -> list[dt.date]:
        span = (ends_on - starts_on).days
        if rule == cls.EVERY_N:
            return [starts_on + dt.timedelta(days=d) for d in range(0, span + 1, every_days)]
        days = [starts_on + dt.timedelta(days=d) for d in range(span + 1)]
        if rule == cls.WEEKDAYS:
            chosen = set(weekdays)
            days = [day for day in days if day.weekday() in chosen]
        return days

    @classmethod
    def problems(cls, rule, starts_on, ends_on, weekdays=(), every_days=1) -> dict[str, str]:
        """What is wrong with a rule, by the part that must change ("rule", "ends_on",
        "weekdays", "every_days"), in words that say what to do. Empty when it is fine."""
        found = {}
        if rule not in cls.RULES:
            found["rule"] = _("Choose how often the visit repeats.")
        if rule == cls.WEEKDAYS and not weekdays:
            found["weekdays"] = _("Choose at least one weekday.")
        if rule == cls.EVERY_N and (every_days is None or every_days < 1):
            found["every_days"] = _("Type a whole number of days: 1 or more.")
        if ends_on is None:
            found["ends_on"] = _("Give the day of the last visit of the series.")
        elif ends_on < starts_on:
            found["ends_on"] = _(
                "This is before the first visit (%(day)s). "
                "Choose a last day on or after the first.",
                day=format_day(starts_on, "d MMM y"),
            )
        elif (ends_on - starts_on).days > cls.MAX_DAYS:
            latest = starts_on + dt.timedelta(days=cls.MAX_DAYS)
            found["ends_on"] = _(
                "That is more than a year of visits. Choose a last day up to "
                "%(day)s; plan a new series when this one ends.",
                day=format_day(latest, "d MMM y"),
            )
        if not found and not cls._expand(rule, starts_on, ends_on, weekdays, every_days):
            found["weekdays"] = _(
                "None of the chosen weekdays falls between the first and last day."
            )
        return found

    @classmethod
    def dates(cls, rule, starts_on, ends_on, weekdays=(), every_days=1) -> list[dt.date]:
        """The days a rule gives, first and last day included; ValueError for a bad rule."""
        problems = cls.problems(rule, starts_on, ends_on, weekdays, every_days)
        if problems:
            raise ValueError(" ".join(problems.values()))
        return cls._expand(rule, starts_on, ends_on, weekdays, every_days)

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(d) for d in self.weekdays.split(",") if d]

    @property
    def description(self) -> str:
        """'Every day', 'Every Tuesday and Friday', 'Every 2 days', with the last day,
        in the reader's language."""
        until = format_day(self.ends_on, "d MMM y")
        if self.rule == self.WEEKDAYS:
            names = [str(self.WEEKDAY_NAMES[d]) for d in self.weekday_numbers]
            days = names[0]
            if len(names) > 1:
                # "Monday, Tuesday and Wednesday", as the team writes it (no list comma).
                days = _("%(days)s and %(last)s", days=", ".join(names[:-1]), last=names[-1])
            return _("Every %(days)s until %(day)s", days=days, day=until)
        if self.rule == self.EVERY_N and self.every_days > 1:
            return ngettext(
                "Every %(num)d day until %(day)s",
                "Every %(num)d days until %(day)s",
                self.every_days,
                day=until,
            )
        return _("Every day until %(day)s", day=until)

    def description_in(self, language_code: str) -> str:
        with force_locale(language_code):
            return self.description

    @classmethod
    def plan(
        cls,
        client,
        by,
        *,
        member,
        rule,
        starts_on,
        ends_on,
        weekdays=(),
        every_days=1,
        **visit,
    ) -> "VisitSeries":
        """Write out a recurring visit as planned visits, all of them or none.

        `visit` holds what each occurrence gets: starts_at, ends_at, minutes, kind, note.
        """
        days = cls.dates(rule, starts_on, ends_on, weekdays, every_days)
        now = utcnow()
        with db.atomic():
            series = cls.create(
                team=client.team_id,
                client=client,
                rule=rule,
                weekdays=",".join(str(d) for d in sorted(weekdays)) if rule == cls.WEEKDAYS else "",
                every_days=every_days if rule == cls.EVERY_N else 1,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=by,
                created_at=now,
            )
            rows = [
                {
                    "team": client.team_id,
                    "client": client.id,
                    "member": member.id if member else None,
                    "day": day,
                    "series": series.id,
                    "created_by": by.id,
                    "created_at": now,
                    **visit,
                }
                for day in days
            ]
            for start in range(0, len(rows), cls.INSERT_BATCH):
                PlannedVisit.insert_many(rows[start : start + cls.INSERT_BATCH]).execute()
            AuditEvent.record(
                by,
                client,
                "create",
                "series",
                series.id,
                after={
                    # The history keeps data, as the rest of it: in English.
                    "repeats": series.description_in("en"),
                    "from": starts_on.isoformat(),
                    "visits": len(days),
                    "who": member.name if member else PlannedVisit.OPEN_LABEL,
                    **PlannedVisit.describe_fields(visit),
                },
            )
        return series


class PlannedVisit(Versioned, BaseModel):
    """One visit in the week's plan. `member` is empty when it is up for a colleague
    to take (handed over, or not yet taken)."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    ENTITY = "visit"
    # What a colleague did to a visit, as a refusal or a conflict says it ("Bram Bos
    # took this visit at 10:42"). Each of these changes moves the version on.
    # SAID says it as whole sentences, for the conflict banner (teamcase/conflicts.py):
    # who did it, and you in another window; DID below as the refusals say it.
    SAID = {
        "take": (
            _l("%(name)s took this visit %(when)s"),
            _l("You took this visit in another window %(when)s"),
        ),
        "done": (
            _l("%(name)s recorded this visit as done %(when)s"),
            _l("You recorded this visit as done in another window %(when)s"),
        ),
        "cancel": (
            _l("%(name)s cancelled this visit %(when)s"),
            _l("You cancelled this visit in another window %(when)s"),
        ),
        "handover": (
            _l("%(name)s put this visit up for a colleague to take %(when)s"),
            _l("You put this visit up for a colleague to take in another window %(when)s"),
        ),
        "move": (
            _l("%(name)s moved this visit %(when)s"),
            _l("You moved this visit in another window %(when)s"),
        ),
        "update": (
            _l("%(name)s changed this visit %(when)s"),
            _l("You changed this visit in another window %(when)s"),
        ),
    }
    DID = {
        "take": _l("took this visit"),
        "done": _l("recorded this visit as done"),
        "cancel": _l("cancelled this visit"),
        "handover": _l("put this visit up for a colleague to take"),
        "move": _l("moved this visit"),
        "update": _l("changed this visit"),
    }
    SAVES = tuple(DID)
    # The same, as whole sentences with who and when (a refusal says them).
    DID_SENTENCES = {
        "take": _l("%(name)s took this visit %(when)s."),
        "done": _l("%(name)s recorded this visit as done %(when)s."),
        "cancel": _l("%(name)s cancelled this visit %(when)s."),
        "handover": _l("%(name)s put this visit up for a colleague to take %(when)s."),
        "move": _l("%(name)s moved this visit %(when)s."),
        "update": _l("%(name)s changed this visit %(when)s."),
    }

    team = ForeignKeyField(Team, backref="planned_visits", on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="planned_visits", on_delete="CASCADE")
    member = ForeignKeyField(User, null=True, backref="planned_visits", on_delete="RESTRICT")
    day = DateField()
    starts_at = TimeField(null=True)
    ends_at = TimeField(null=True)
    minutes = IntegerField(default=30)
    kind = CharField(max_length=20, default="home_visit")
    # Typed, or the app's own note for a first visit (teamcase/generated.py).
    note = GeneratedTextField(default="")
    NOTE_LIMIT = 300
    series = ForeignKeyField(VisitSeries, null=True, backref="visits", on_delete="SET NULL")
    status = CharField(max_length=10, default=PLANNED)
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "day", "member"), False), (("client", "day"), False))

    OPEN_LABEL = "up for a colleague to take"
    # What an edit may change; the rest (person, who goes, done…) has its own verb.
    EDITABLE = ("day", "starts_at", "ends_at", "minutes", "note")

    @staticmethod
    def describe_fields(fields: dict) -> dict:
        """Visit fields as the history shows them: times as 08:30, days as dates."""
        shown = {}
        for name in ("day", "starts_at", "ends_at", "minutes", "kind", "note"):
            if name not in fields:
                continue
            value = fields[name]
            if isinstance(value, dt.time):
                value = value.strftime("%H:%M")
            elif isinstance(value, dt.date):
                value = value.isoformat()
            shown[name] = value
        return shown

    def snapshot(self) -> dict:
        data = self.describe_fields({name: getattr(self, name) for name in self.EDITABLE})
        data["who"] = self.member.name if self.member_id else self.OPEN_LABEL
        data["status"] = self.status
        return data

    @property
    def kind_label(self):
        return Contact.KINDS.get(self.kind, self.kind)

    @property
    def time_window(self) -> str:
        """'08:30–09:00', 'from 08:30', or '' for a visit at any time of the day."""
        if self.starts_at and self.ends_at:
            return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        if self.starts_at:
            return f"{self.starts_at:%H:%M}"
        return ""

    @classmethod
    def _with_people(cls):
        """Visits with their person and member (if any), in visit order within a day."""
        return (
            cls.select(cls, Client, User)
            .join(Client, on=(cls.client == Client.id))
            .switch(cls)
            .join(User, JOIN.LEFT_OUTER, on=(cls.member == User.id))
        )

    @classmethod
    def visit_order(cls):
        # Untimed visits fit in wherever there is room: after the timed ones.
        return (cls.starts_at.asc(nulls="last"), cls.ends_at.asc(nulls="last"), cls.id)

    @classmethod
    def in_week(cls, team, monday: dt.date):
        return (
            cls._with_people()
            .where(cls.team == team, cls.day.between(monday, monday + dt.timedelta(days=6)))
            .order_by(cls.day, *cls.visit_order())
        )

    @classmethod
    def day_of(cls, member, day: dt.date):
        """One member's visits of a day, in the order she makes them."""
        return (
            cls._with_people()
            .where(cls.member == member, cls.day == day)
            .order_by(*cls.visit_order())
        )

    @classmethod
    def has_visits(cls, member, day: dt.date) -> bool:
        """Whether the member has visits in her plan that day (done ones count,
        cancelled ones do not): then her day is where she starts."""
        return (
            cls.select(cls.id)
            .where(cls.member == member, cls.day == day, cls.status != cls.CANCELLED)
            .exists()
        )

    @classmethod
    def open_on(cls, team, day: dt.date):
        """The day's visits that are up for a colleague to take."""
        return (
            cls._with_people()
            .where(
                cls.team == team,
                cls.day == day,
                cls.member.is_null(),
                cls.status == cls.PLANNED,
            )
            .order_by(*cls.visit_order())
        )

    @classmethod
    def next_for(cls, client, today: dt.date, limit: int = 3):
        """The person's next planned visits, with who goes."""
        return (
            cls.select(cls, User)
            .join(User, JOIN.LEFT_OUTER, on=(cls.member == User.id))
            .where(cls.client == client, cls.day >= today, cls.status == cls.PLANNED)
            .order_by(cls.day, *cls.visit_order())
            .limit(limit)
        )

    @staticmethod
    def visitors_in_last(client, days: int = 30) -> int:
        """How many different members recorded a contact with the person lately:
        continuity of care, in one number."""
        since = utcnow() - dt.timedelta(days=days)
        return (
            Contact.select(fn.COUNT(fn.DISTINCT(Contact.author)))
            .where(Contact.client == client, Contact.happened_at >= since)
            .scalar()
        ) or 0

    @staticmethod
    def span(starts_at, ends_at, minutes) -> tuple[dt.time, dt.time] | None:
        """When a visit takes place within its day, or None for "any time of the day"."""
        if starts_at is None:
            return None
        if ends_at is None:
            end = dt.datetime.combine(dt.date.min, starts_at) + dt.timedelta(minutes=minutes or 0)
            ends_at = end.time() if end.date() == dt.date.min else dt.time.max
        return starts_at, ends_at

    @classmethod
    def overlapping(
        cls, client, member, days, starts_at=None, ends_at=None, minutes=30, not_id=None
    ):
        """Planned visits at the same time as a visit to `client` by `member` (None:
        nobody yet) on any of `days`: the member's own visits whose times cross it, and
        visits to the same person the same day (at a crossing time, or either at any
        time of that day). A warning, never a block: she knows whether both can be."""
        days = sorted(set(days))
        if not days:
            return []
        same = cls.client == client
        if member is not None:
            same = same | (cls.member == member)
        query = cls._with_people().where(
            cls.status == cls.PLANNED, cls.day.between(days[0], days[-1]), same
        )
        if not_id is not None:
            query = query.where(cls.id != not_id)
        mine = cls.span(starts_at, ends_at, minutes)
        wanted = set(days)
        found = []
        for other in query:
            if other.day not in wanted:
                continue
            theirs = cls.span(other.starts_at, other.ends_at, other.minutes)
            crossing = mine and theirs and mine[0] < theirs[1] and theirs[0] < mine[1]
            same_person = other.client_id == getattr(client, "id", client)
            if crossing or (same_person and not (mine and theirs)):
                found.append(other)
        return found

    def overlaps(self, **changes) -> list["PlannedVisit"]:
        """Other visits at the same time as this one, or as it would be with `changes`
        (a new day, times or minutes, or another member) before they are saved."""
        now = {
            name: changes.get(name, getattr(self, name))
            for name in ("day", "starts_at", "ends_at", "minutes", "member_id")
        }
        return self.overlapping(
            self.client_id,
            now["member_id"],
            [now["day"]],
            now["starts_at"],
            now["ends_at"],
            now["minutes"],
            not_id=self.id,
        )

    def moves(self, **changes) -> bool:
        """Whether `changes` give the visit another day, time or length."""
        return any(
            name in changes and changes[name] != getattr(self, name)
            for name in ("day", "starts_at", "ends_at", "minutes")
        )

    @classmethod
    def overlap_text(cls, visits, viewer=None) -> str:
        """'Bram Bos's visit to Mies Bakker, Tue 3 Mar 09:00–09:45; …' (at most five)."""
        parts = []
        for v in visits[:5]:
            when = format_day(v.day, "EEE d MMM") + (f" {v.time_window}" if v.time_window else "")
            if viewer and v.member_id == viewer.id:
                part = _("your visit to %(name)s, %(when)s", name=v.client.name, when=when)
            elif v.member_id:
                part = _(
                    "%(member)s's visit to %(name)s, %(when)s",
                    member=v.member.name,
                    name=v.client.name,
                    when=when,
                )
            else:
                part = _("the open visit to %(name)s, %(when)s", name=v.client.name, when=when)
            parts.append(part)
        listed = "; ".join(parts)
        more = len(visits) - 5
        if more > 0:
            return ngettext(
                "%(visits)s; and %(num)d more", "%(visits)s; and %(num)d more", more, visits=listed
            )
        return listed

    @classmethod
    def add(cls, client, by, *, member, **fields) -> "PlannedVisit":
        """Plan one visit; `member` None puts it up for a colleague to take."""
        with db.atomic():
            visit = cls.create(
                team=client.team_id, client=client, member=member, created_by=by, **fields
            )
            AuditEvent.record(by, client, "create", cls.ENTITY, visit.id, after=visit.snapshot())
        return visit

    def _update_if(self, by, action, condition, **values) -> bool:
        """Change the row only while `condition` holds; the database decides, so of two
        people at once exactly one gets True. Audited; refreshes this object."""
        before = self.snapshot()
        model = type(self)
        with db.atomic():
            if not self.save_where(condition, **values):
                return False
            fresh = model._with_people().where(model.id == self.id).get()
            AuditEvent.record(
                by, self.client, action, self.ENTITY, self.id, before=before, after=fresh.snapshot()
            )
        self.__data__ = fresh.__data__
        self.__rel__ = fresh.__rel__
        return True

    def change(self, by, version: int, **fields) -> bool:
        """Move the visit or change its time, minutes or note, unless someone saved
        since `version` was read (then False)."""
        moved = any(
            name in fields and fields[name] != getattr(self, name)
            for name in ("day", "starts_at", "ends_at")
        )
        action = "move" if moved else "update"
        return self._update_if(by, action, self.is_at(version), **fields)

    def cancel(self, by) -> bool:
        return self._update_if(
            by, "cancel", PlannedVisit.status == self.PLANNED, status=self.CANCELLED
        )

    def take(self, by) -> bool:
        """Take a visit that is up for a colleague to take, only while nobody has."""
        return self._update_if(
            by,
            "take",
            PlannedVisit.member.is_null() & (PlannedVisit.status == self.PLANNED),
            member=by,
        )

    def hand_over(self, by) -> bool:
        """Put one of my own visits up for a colleague to take."""
        return self._update_if(
            by,
            "handover",
            (PlannedVisit.member == by) & (PlannedVisit.status == self.PLANNED),
            member=None,
        )

    @classmethod
    def planned_between(cls, member, first: dt.date, last: dt.date):
        """A member's visits still to do from `first` to `last`, day by day in visit order."""
        return (
            cls._with_people()
            .where(
                cls.member == member,
                cls.day.between(first, last),
                cls.status == cls.PLANNED,
            )
            .order_by(cls.day, *cls.visit_order())
        )

    @classmethod
    def hand_over_days(cls, by, first: dt.date, last: dt.date) -> list["PlannedVisit"]:
        """All of my planned visits from `first` to `last` ("ill until Friday"), up
        for colleagues to take, all in one go; the ones handed over."""
        handed = []
        with db.atomic():
            for visit in list(cls.planned_between(by, first, last)):
                if visit.hand_over(by):
                    handed.append(visit)
        return handed

    @classmethod
    def hand_over_day(cls, by, day: dt.date) -> list["PlannedVisit"]:
        """All of my planned visits of a day, up for colleagues to take; the ones handed over."""
        return cls.hand_over_days(by, day, day)

    @classmethod
    def cancel_from(cls, person, day: dt.date) -> int:
        """When a person leaves the team's care (closed, or transferred to another
        team): their visits still planned from `day` on are cancelled, not deleted,
        so the plan and the history keep what was planned. The caller audits it."""
        return (
            cls.update(status=cls.CANCELLED, version=cls.version + 1)
            .where(cls.client == person, cls.day >= day, cls.status == cls.PLANNED)
            .execute()
        )

    def cancel_rest(self, by) -> int:
        """Cancel this visit and the later ones of its series that are still planned."""
        if not self.series_id:
            return 1 if self.cancel(by) else 0
        with db.atomic():
            rows = (
                PlannedVisit.update(status=self.CANCELLED, version=PlannedVisit.version + 1)
                .where(
                    PlannedVisit.series == self.series_id,
                    PlannedVisit.day >= self.day,
                    PlannedVisit.status == self.PLANNED,
                )
                .execute()
            )
            if rows:
                AuditEvent.record(
                    by,
                    self.client,
                    "cancel",
                    "series",
                    self.series_id,
                    after={"from": self.day.isoformat(), "visits": rows},
                )
        if rows:
            self.status = self.CANCELLED
        return rows

    def mark_done(self, by, colleagues=(), **contact_fields):
        """Record the visit's contact and tick the visit off, both or neither.

        None when the visit was no longer planned (done by someone else, or cancelled).
        A visit nobody had taken becomes the visit of whoever did it.
        """
        with db.atomic():
            if not self._update_if(
                by,
                "done",
                PlannedVisit.status == self.PLANNED,
                status=self.DONE,
                member=fn.COALESCE(PlannedVisit.member, by.id),
            ):
                return None
            contact = Contact.record(self.client, by, colleagues=colleagues, **contact_fields)
            PlannedVisit.update(contact=contact).where(PlannedVisit.id == self.id).execute()
            self.contact = contact
        return contact

    def last_event(self, *actions):
        """The latest audited change of this visit (of one of `actions`), with its actor."""
        return AuditEvent.last_change(self.ENTITY, self.id, actions or self.SAVES)
