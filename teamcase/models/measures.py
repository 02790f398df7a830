"""The team's weekly figures: what the charts of "How we are doing" are drawn from.

One row per team, ISO week (the Monday, in the install's time zone) and measure,
holding the sum and the count of what the week saw, so that a mean per week is
exact (sum / count). The rows are derived, never typed: every verb that changes
what they count (a contact recorded, corrected or removed, a first visit, a
closing, a reopening, a transfer) recomputes the weeks it touched from the raw
rows, in its own transaction; `rebuild` recomputes a team's table from scratch
and gives the same rows.

Measures (MEASURE codes):
- value, failure: incoming contacts of value or failure demand (count);
- resolved: incoming contacts whose first contact resolved it (sum) out of those
  where the team said whether it did (count);
- cause:<words>: incoming failure demand with that reason, as written (count);
- first_visit: days from referral received to first visit (sum) per accepted
  referral, by the week of the first visit (count);
- time_in_care: days in care (sum) per case closed that week (count);
- care_minutes: minutes of the contacts (sum) and the number of contacts;
- continuity: for the people with contacts in the 30 days up to the week's end,
  the number of different members each saw (sum) and the people (count);
- in_care: people in care at the week's end (sum), stored for the weeks it
  changed; a week without a row has the value of the latest week before it.
"""

import datetime as dt
from bisect import bisect_left

from peewee import CharField, DateField, FloatField, ForeignKeyField, IntegerField, fn

from teamcase.dates import to_local, to_utc
from teamcase.db import db
from teamcase.models.base import BaseModel
from teamcase.models.teams import Team

WEEK = dt.timedelta(days=7)
CONTINUITY_DAYS = 30
CAUSE = "cause:"
IN_CARE = "in_care"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of(at: dt.datetime) -> dt.date:
    """The Monday of the ISO week a stored (UTC) time falls in, in the install's zone."""
    return monday(to_local(at).date())


def _utc(day: dt.date) -> dt.datetime:
    return to_utc(dt.datetime.combine(day, dt.time()))


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return round((end - start).total_seconds() / 86400, 4)


class WeekFigure(BaseModel):
    """Sum and count of one measure in one week of one team."""

    team = ForeignKeyField(Team, backref="week_figures", on_delete="CASCADE")
    week = DateField()
    measure = CharField(max_length=220)
    total = FloatField(default=0)
    count = IntegerField(default=0)

    class Meta:
        indexes = ((("team", "measure", "week"), True), (("team", "week"), False))

    # Reading.

    @classmethod
    def of_team(cls, team, first_week: dt.date) -> list["WeekFigure"]:
        """The team's rows from `first_week` on, and for people in care the latest
        row before it (where the first weeks carry on from): two queries."""
        rows = list(cls.select().where(cls.team == team, cls.week >= first_week).order_by(cls.week))
        before = (
            cls.select()
            .where(cls.team == team, cls.measure == IN_CARE, cls.week < first_week)
            .order_by(cls.week.desc())
            .first()
        )
        return ([before] if before else []) + rows

    @classmethod
    def of_teams(cls, team_ids, first_week: dt.date, measures) -> dict[int, list["WeekFigure"]]:
        """As `of_team`, for several teams at once and only the `measures` asked
        for: {team id: its rows}, in two queries however many teams."""
        found: dict[int, list[WeekFigure]] = {team_id: [] for team_id in team_ids}
        if not found or not measures:
            return found
        if IN_CARE in measures:
            latest = (
                cls.select(cls.team, fn.MAX(cls.week).alias("latest"))
                .where(cls.team.in_(list(found)), cls.measure == IN_CARE, cls.week < first_week)
                .group_by(cls.team)
                .alias("latest")
            )
            before = (
                cls.select()
                .join(latest, on=(cls.team == latest.c.team_id) & (cls.week == latest.c.latest))
                .where(cls.measure == IN_CARE)
            )
            for row in before:
                found[row.team_id].append(row)
        rows = (
            cls.select()
            .where(
                cls.team.in_(list(found)),
                cls.week >= first_week,
                cls.measure.in_(list(measures)),
            )
            .order_by(cls.team, cls.week)
        )
        for row in rows:
            found[row.team_id].append(row)
        return found

    @classmethod
    def stamp(cls, team) -> tuple:
        """What changes whenever the team's rows do, in one query: a row is never
        updated, only deleted and inserted again (with a new, higher id); the
        sums of what they hold tell a table restored from elsewhere apart."""
        return tuple(
            cls.select(
                fn.COUNT(cls.id),
                fn.MAX(cls.id),
                fn.SUM(cls.id),
                fn.SUM(cls.total),
                fn.SUM(cls.count),
            )
            .where(cls.team == team)
            .tuples()
            .get()
        )

    @classmethod
    def causes(cls, team) -> list[str]:
        """The failure demand causes the team has used, by the names it gave them
        (CauseGroup), A to Z: two queries."""
        rows = (
            cls.select(cls.measure)
            .where(cls.team == team, cls.measure.startswith(CAUSE))
            .distinct()
            .tuples()
        )
        names = CauseGroup.names(team)
        written = (m[len(CAUSE) :] for (m,) in rows if m != CAUSE)
        return sorted({names.get(w, w) for w in written}, key=str.casefold)

    # Keeping it up to date (called inside the verbs' transactions).

    @classmethod
    def contacts_changed(cls, team_id, *times) -> None:
        """A contact at `times` was recorded, corrected or removed: the weeks of
        those times, and the weeks whose 30 days of continuity reach them."""
        weeks = set()
        for at in times:
            if at is None:
                continue
            first = week_of(at)
            last = monday(to_local(at).date() + dt.timedelta(days=CONTINUITY_DAYS))
            while first <= last:
                weeks.add(first)
                first += WEEK
        cls.refresh(team_id, weeks)

    @classmethod
    def case_changed(cls, team_id, *times) -> None:
        """A case was opened, closed or reopened (at `times`): those weeks, and the
        people in care."""
        cls.refresh(team_id, {week_of(at) for at in times if at is not None})
        cls.refresh_in_care(team_id)

    @classmethod
    def refresh(cls, team_id, weeks) -> None:
        """Recompute every measure but people in care for `weeks`, from the raw rows:
        a run of weeks in one go (a few queries), however many there are."""
        for first, last in _runs(sorted(weeks)):
            cls._compute(team_id, first, last)

    @classmethod
    def rebuild(cls, team) -> None:
        """Recompute the team's whole table from the raw rows."""
        team_id = getattr(team, "id", team)
        with db.atomic():
            cls.delete().where(cls.team == team_id).execute()
            span = _span(team_id)
            if span is not None:
                first, last = span
                last = monday(last + dt.timedelta(days=CONTINUITY_DAYS))
                cls._compute(team_id, monday(first), last)
            cls.refresh_in_care(team_id)

    @classmethod
    def _compute(cls, team_id, first: dt.date, last: dt.date) -> None:
        from teamcase.models.clients import Client, Contact, ContactMember
        from teamcase.models.referrals import Referral

        start, end = _utc(first), _utc(last + WEEK)
        figures: dict[tuple[dt.date, str], list] = {}

        def add(week, measure, total, count=1):
            cell = figures.setdefault((week, measure), [0.0, 0])
            cell[0] += total
            cell[1] += count

        contacts = list(
            Contact.select(
                Contact.id,
                Contact.client,
                Contact.author,
                Contact.happened_at,
                Contact.minutes,
                Contact.incoming,
                Contact.demand,
                Contact.demand_why,
                Contact.resolved_first_time,
            )
            .join(Client)
            .where(
                Client.team == team_id,
                Contact.happened_at >= _utc(first - dt.timedelta(days=CONTINUITY_DAYS)),
                Contact.happened_at < end,
            )
            .tuples()
        )
        colleagues: dict[int, set] = {}
        if contacts:
            rows = (
                ContactMember.select(ContactMember.contact, ContactMember.member)
                .join(Contact)
                .join(Client)
                .where(
                    Client.team == team_id,
                    Contact.happened_at >= _utc(first - dt.timedelta(days=CONTINUITY_DAYS)),
                    Contact.happened_at < end,
                )
                .tuples()
            )
            for contact_id, member_id in rows:
                colleagues.setdefault(contact_id, set()).add(member_id)
        seen = []  # (local day, person, members)
        for cid, client, author, at, minutes, incoming, demand, why, resolved in contacts:
            local = to_local(at)
            seen.append((local, client, {author, *colleagues.get(cid, ())}))
            if at < start:
                continue
            week = monday(local.date())
            add(week, "care_minutes", minutes or 0)
            if incoming and demand in ("value", "failure"):
                add(week, demand, 1)
                if demand == "failure":
                    add(week, CAUSE + why.strip(), 1)
            if incoming and resolved is not None:
                add(week, "resolved", 1 if resolved else 0)
        seen.sort(key=lambda row: row[0])
        times = [row[0] for row in seen]
        week = first
        while week <= last:
            week_end = dt.datetime.combine(week + WEEK, dt.time())
            since = week_end - dt.timedelta(days=CONTINUITY_DAYS)
            people: dict[int, set] = {}
            for _, client, members in seen[
                bisect_left(times, since) : bisect_left(times, week_end)
            ]:
                people.setdefault(client, set()).update(members)
            for members in people.values():
                add(week, "continuity", len(members))
            week += WEEK
        referrals = (
            Referral.select(Referral.received_at, Referral.first_visit_at)
            .where(
                Referral.team == team_id,
                Referral.status == Referral.ACCEPTED,
                Referral.first_visit_at >= start,
                Referral.first_visit_at < end,
            )
            .tuples()
        )
        for received, visited in referrals:
            add(week_of(visited), "first_visit", max(0.0, _days(received, visited)))
        closings = (
            Client.select(Client.care_started_at, Client.closed_at)
            .where(
                Client.team == team_id,
                Client.status == Client.CLOSED,
                Client.closed_at >= start,
                Client.closed_at < end,
            )
            .tuples()
        )
        for started, closed in closings:
            add(week_of(closed), "time_in_care", max(0.0, _days(started, closed)))
        cls.delete().where(
            cls.team == team_id, cls.week >= first, cls.week <= last, cls.measure != IN_CARE
        ).execute()
        cls._insert(team_id, figures)

    @classmethod
    def refresh_in_care(cls, team_id) -> None:
        """People in care at the end of each week in which someone started or ended
        a period in care with the team (their current period)."""
        from teamcase.models.clients import Client

        periods = [
            (week_of(started), week_of(closed) if closed else None)
            for started, closed in Client.select(Client.care_started_at, Client.closed_at)
            .where(Client.team == team_id)
            .tuples()
        ]
        weeks = {s for s, _ in periods} | {c for _, c in periods if c}
        figures = {}
        for week in weeks:
            # In care at the week's end: started by then, not closed by then.
            count = sum(1 for s, c in periods if s <= week and (c is None or c > week))
            figures[(week, IN_CARE)] = [float(count), 1]
        cls.delete().where(cls.team == team_id, cls.measure == IN_CARE).execute()
        cls._insert(team_id, figures)

    @classmethod
    def _insert(cls, team_id, figures) -> None:
        rows = [
            {"team": team_id, "week": week, "measure": measure, "total": total, "count": count}
            for (week, measure), (total, count) in sorted(figures.items())
        ]
        for i in range(0, len(rows), 200):
            cls.insert_many(rows[i : i + 200]).execute()


def _runs(weeks):
    """Consecutive weeks as (first, last) pairs."""
    runs = []
    for week in weeks:
        if runs and week - runs[-1][1] == WEEK:
            runs[-1][1] = week
        else:
            runs.append([week, week])
    return [tuple(r) for r in runs]


def _span(team_id) -> tuple[dt.date, dt.date] | None:
    """The first and last day the team's raw rows count anything on."""
    from teamcase.models.clients import Client, Contact
    from teamcase.models.referrals import Referral

    days = []
    for query in (
        Contact.select(fn.MIN(Contact.happened_at), fn.MAX(Contact.happened_at))
        .join(Client)
        .where(Client.team == team_id),
        Referral.select(fn.MIN(Referral.first_visit_at), fn.MAX(Referral.first_visit_at)).where(
            Referral.team == team_id
        ),
        Client.select(fn.MIN(Client.closed_at), fn.MAX(Client.closed_at)).where(
            Client.team == team_id
        ),
    ):
        for value in query.tuples().get():
            if value is not None:
                if isinstance(value, str):  # SQLite hands back the text
                    value = dt.datetime.fromisoformat(value)
                days.append(to_local(value).date())
    return (min(days), max(days)) if days else None


class CauseGroup(BaseModel):
    """The team's own name for a failure demand cause: the contacts keep the words
    they were recorded with, and the team counts them under `counted_as` (a cause
    renamed, or merged into another). Causes without a row count as written."""

    ENTITY = "cause"

    team = ForeignKeyField(Team, backref="cause_groups", on_delete="CASCADE")
    words = CharField(max_length=200)
    counted_as = CharField(max_length=200)

    class Meta:
        indexes = ((("team", "words"), True),)

    @classmethod
    def names(cls, team) -> dict[str, str]:
        """{words as written: the team's name for them}, in one query."""
        return dict(cls.select(cls.words, cls.counted_as).where(cls.team == team).tuples())

    @classmethod
    def rename(cls, team, by, words: str, counted_as: str) -> None:
        """Count the cause `words` (and whatever the team counts as it) as
        `counted_as` from now on: a new name, or another cause's to merge them.
        Giving a cause its own words back counts it as written again."""
        from teamcase.models.audit import AuditEvent

        team_id = getattr(team, "id", team)
        words, counted_as = words.strip(), counted_as.strip()
        with db.atomic():
            names = cls.names(team_id)
            # The name the new one goes by itself, so that merges never chain.
            target = counted_as if counted_as == words else names.get(counted_as, counted_as)
            # What is counted as `words` now, and `words` itself, follow it.
            moving = {w for w, name in names.items() if name == words} | {words}
            cls.delete().where(cls.team == team_id, cls.words.in_(list(moving))).execute()
            rows = [
                {"team": team_id, "words": w, "counted_as": target} for w in moving if w != target
            ]
            if rows:
                cls.insert_many(rows).execute()
            AuditEvent.record(
                by,
                None,
                "update",
                cls.ENTITY,
                None,
                before={"cause": words},
                after={"counted_as": target, "causes": sorted(moving)},
                team=team_id,
            )
