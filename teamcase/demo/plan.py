"""A team's week plan (plan.toml): last week (done), this week and next; recurring
visits, handed-over visits up for grabs, a few called off, and each visit that is
over done, with its contact.

Visits go in with `PlannedVisit.add`, contacts with `Contact.record`. A series is
a row: `VisitSeries.plan` gives every visit one member, and the demo's regulars take
turns.
"""

import datetime as dt
import random
from collections import Counter

from teamcase.demo.details import DEMO_ZONE, local_date
from teamcase.models import Client, Contact, KnownBest, PlannedVisit, VisitSeries


class _PlanDay:
    """One member's day while it is being planned: the minutes of the day she is busy."""

    def __init__(self):
        self.busy: list[tuple[int, int]] = []

    def free(self, start: int, minutes: int) -> bool:
        end = start + minutes
        return all(end <= s or start >= e for s, e in self.busy)

    def book(self, start: int, minutes: int) -> None:
        self.busy.append((start, start + minutes))


def _clock(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def _planner(visit, fallback):
    """Who put a visit in the plan: its member, or whoever planned its series."""
    if visit["member"] is not None:
        return visit["member"]
    if visit["series"] is not None:
        return visit["series"].created_by
    return fallback


def add_plan(demo, teams):
    """A realistic fortnight of the team's plan: 5-8 visits a weekday per member, fewer
    at weekends; series; handed-over visits up for grabs; and the visits of the days gone
    by done, each with its contact (the one on the timeline that day, or a new one)."""
    rng = random.Random(2031)  # its own stream: the other demo data stays put
    data = demo.data.plan
    team, members = teams[data["team"]]
    people = demo.data.people["people"][data["team"]]
    now, today = demo.now, demo.today
    local_now = now.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE).replace(tzinfo=None)
    # Last week (done), this week and next; the series began last Monday.
    monday = today - dt.timedelta(days=today.weekday())
    first = monday - dt.timedelta(days=7)
    days = [first + dt.timedelta(days=i) for i in range(21)]
    current = [m for m, _since, until in members if until is None]
    planner = current[0]
    spec = {p["name"]: p for p in people}
    clients = {
        c.name: c
        for c in Client.select().where(Client.team == team, Client.status == Client.ACTIVE)
        if c.name in spec
    }
    knows = {}
    for client_id, member_id in (
        KnownBest.select(KnownBest.client, KnownBest.member)
        .join(Client)
        .where(Client.team == team)
        .tuples()
    ):
        knows.setdefault(member_id, []).append(client_id)
    by_id = {c.id: c for c in clients.values()}

    def planned_at(day):
        # The team plans on Monday morning; visits added later in the week, a day before.
        week_start = day - dt.timedelta(days=day.weekday())
        when = dt.datetime.combine(max(week_start, day - dt.timedelta(days=1)), dt.time(8, 45))
        return min(when.replace(tzinfo=DEMO_ZONE).astimezone(dt.UTC).replace(tzinfo=None), now)

    # Who works which day: everyone on weekdays, four at weekends (the first member
    # always, so the demo login has a day to show).
    workers = {}
    for day in days:
        if day.weekday() < 5:
            workers[day] = list(current)
        else:
            workers[day] = [planner, *rng.sample(current[1:], 3)]
    schedule = {(day, m.id): _PlanDay() for day in days for m in current}
    # Visits already in the plan (a first visit after an accepted referral) keep their time.
    for member_id, day, starts, ends, minutes in (
        PlannedVisit.select(
            PlannedVisit.member,
            PlannedVisit.day,
            PlannedVisit.starts_at,
            PlannedVisit.ends_at,
            PlannedVisit.minutes,
        )
        .where(PlannedVisit.team == team, PlannedVisit.day.between(days[0], days[-1]))
        .tuples()
    ):
        if member_id and starts and (day, member_id) in schedule:
            start = starts.hour * 60 + starts.minute
            if ends:
                minutes = max(minutes, ends.hour * 60 + ends.minute - start)
            schedule[(day, member_id)].book(start, minutes)

    visits = []  # dicts; written at the end

    def add(day, client, member, start, minutes, kind, notes, series=None, untimed=False):
        starts = None if untimed else _clock(start)
        ends = None if untimed or kind != "home_visit" else _clock(start + minutes)
        visits.append(
            {
                "day": day,
                "client": client,
                "member": member,
                "starts_at": starts,
                "ends_at": ends,
                "minutes": minutes,
                "kind": kind,
                "notes": notes,
                "note": rng.choice(data["notes"][notes]),
                "series": series,
                "status": PlannedVisit.PLANNED,
                "contact": None,
            }
        )

    # The series, written out to their last day; each person has a few regulars.
    for recurring in data["series"]:
        client = clients.get(recurring["person"])
        if client is None:
            continue
        rule, weekdays, every = recurring["rule"], recurring["weekdays"], recurring["every_days"]
        ends_on = first + dt.timedelta(days=recurring["weeks"] * 7 - 1)
        series = VisitSeries.create(
            team=team,
            client=client,
            rule=rule,
            weekdays=",".join(str(d) for d in weekdays),
            every_days=every,
            starts_on=first,
            ends_on=ends_on,
            created_by=rng.choice(current),
            created_at=planned_at(first),
        )
        regulars = [m for m in current if client.id in knows.get(m.id, ())]
        others = [m for m in current if m not in regulars]
        regulars += rng.sample(others, max(0, 3 - len(regulars)))
        start, minutes = recurring["starts_at"], recurring["minutes"]
        for day in VisitSeries.dates(rule, first, ends_on, weekdays, every):
            around = [m for m in regulars if day not in workers or m in workers[day]]
            member = rng.choice(around or regulars)
            at = start.hour * 60 + start.minute
            if (day, member.id) in schedule:
                schedule[(day, member.id)].book(at, minutes)
            add(day, client, member, at, minutes, "home_visit", recurring["notes"], series=series)

    # One-off visits until each member's day is full enough, from now on: the days
    # gone by were the visits on the timeline (added below), so the weeks the team's
    # charts show hold the same care as the year before them. Someone may get a
    # second visit that day (morning and afternoon), never two from the same member.
    from_now = local_now.hour * 60 + local_now.minute + 30
    for day in (day for day in days if day >= today):
        visited = Counter(v["client"].id for v in visits if v["day"] == day)
        team_today = list(workers[day])
        rng.shuffle(team_today)
        for member in team_today:
            plan = schedule[(day, member.id)]
            target = rng.randint(5, 8) if day.weekday() < 5 else rng.randint(2, 4)
            count = len(plan.busy)
            cursor = 8 * 60 + rng.choice([0, 15, 30])
            if day == today:
                cursor = max(cursor, from_now - from_now % 15)
            mine = set()
            own = set(knows.get(member.id, ()))
            while count < target and cursor < 16 * 60 + 30:
                candidates = [c for c in clients.values() if c.id not in mine and visited[c.id] < 2]
                if not candidates:
                    break
                # Nobody twice before everyone once; mostly people she knows best.
                least = min(visited[c.id] for c in candidates)
                pool = [c for c in candidates if visited[c.id] == least]
                known = [c for c in pool if c.id in own]
                if known and rng.random() < 0.6:
                    pool = known
                client = rng.choice(pool)
                visited[client.id] += 1
                mine.add(client.id)
                count += 1
                if rng.random() < 0.08:
                    add(day, client, member, 0, 15, "phone", "phone", untimed=True)
                    continue
                minutes = rng.choice([20, 30, 30, 30, 45, 45, 60])
                while not plan.free(cursor, minutes):
                    cursor += 15
                if cursor > 16 * 60 + 30:
                    break
                untimed = rng.random() < 0.1
                if not untimed:
                    plan.book(cursor, minutes)
                add(day, client, member, cursor, minutes, "home_visit", "visit", untimed=untimed)
                if not untimed:
                    cursor += minutes + rng.choice([10, 15, 15, 20])

    # Handed over: the colleague who is ill tomorrow, one visit this afternoon, a few
    # next week. A couple of visits were called off.
    tomorrow = today + dt.timedelta(days=1)
    later = [v for v in visits if v["day"] > tomorrow and v["series"] is None]
    for visit in visits:
        if visit["day"] == tomorrow and visit["member"].name == data["ill_tomorrow"]:
            visit["member"] = None
    afternoon = [
        v
        for v in visits
        if v["day"] == today
        and v["member"] is not None
        and v["starts_at"]
        and v["starts_at"] > (local_now + dt.timedelta(hours=2)).time()
    ]
    for visit in rng.sample(afternoon, min(1, len(afternoon))) + rng.sample(later, 3):
        visit["member"] = None
    for visit in rng.sample([v for v in later if v["member"] is not None], 2):
        visit["status"] = PlannedVisit.CANCELLED

    # Visits that are over were done: each gets the contact written that day if there
    # is one on the timeline, or a new one by the member who went.
    def happened(visit):
        start = visit["starts_at"] or dt.time(12, rng.randint(0, 59))
        local = dt.datetime.combine(visit["day"], start) + dt.timedelta(minutes=rng.randint(-5, 10))
        return local.replace(tzinfo=DEMO_ZONE).astimezone(dt.UTC).replace(tzinfo=None)

    over = [
        v
        for v in visits
        if v["member"] is not None
        and v["status"] == PlannedVisit.PLANNED
        and (
            v["day"] < today
            or (
                v["day"] == today
                and v["starts_at"] is not None
                and dt.datetime.combine(today, v["starts_at"])
                + dt.timedelta(minutes=v["minutes"] + 30)
                < local_now
            )
        )
    ]
    start_utc = (
        dt.datetime.combine(first, dt.time(0)).replace(tzinfo=DEMO_ZONE).astimezone(dt.UTC)
    ).replace(tzinfo=None)
    written = {}
    timeline = {}
    for contact_id, client_id, author_id, happened_at, kind, minutes in (
        Contact.select(
            Contact.id,
            Contact.client,
            Contact.author,
            Contact.happened_at,
            Contact.kind,
            Contact.minutes,
        )
        .where(Contact.client.in_(list(by_id)), Contact.happened_at >= start_utc)
        .order_by(Contact.happened_at)
        .tuples()
    ):
        written.setdefault((client_id, local_date(happened_at), kind), []).append(contact_id)
        timeline[contact_id] = (client_id, author_id, happened_at, minutes)
    recent = []

    def fresh_note(choices):
        # The same note visit after visit reads as copy-paste, not as a person.
        note = rng.choice([c for c in choices if c not in recent] or choices)
        recent[:] = [*recent[-4:], note]
        return note

    notes = demo.data.contacts["notes"]
    for visit in over:
        visit["status"] = PlannedVisit.DONE
        there = written.get((visit["client"].id, visit["day"], visit["kind"]))
        if there:
            visit["contact"] = there.pop(0)
            continue
        person = spec[visit["client"].name]
        pronouns = demo.data.people["pronouns"][person["sex"]]
        words = {"n": person["preferred"] or visit["client"].name.split()[0], **pronouns}
        note = fresh_note(notes[data["contact_notes"][visit["notes"]]]).format_map(words)
        at = min(happened(visit), now - dt.timedelta(minutes=10))
        minutes = max(5, visit["minutes"] + rng.choice([0, 0, 0, 5, -5, 10]))
        created = min(at + dt.timedelta(minutes=minutes + rng.randint(2, 40)), now)
        visit["contact"] = Contact.record(
            visit["client"],
            visit["member"],
            happened_at=at,
            minutes=minutes,
            kind=visit["kind"],
            note=note,
            created_at=created,
        )

    # The other home visits on the timeline since last Monday were in the plan too,
    # by the member who wrote them, at the time they happened.
    members_by_id = {m.id: m for m in current}
    for (_client, _day, kind), ids in written.items():
        for contact_id in ids if kind == "home_visit" else ():
            client_id, author_id, happened_at, minutes = timeline[contact_id]
            if author_id not in members_by_id:
                continue  # a colleague who has left since
            local = happened_at.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE)
            start = local.hour * 60 + local.minute
            start -= start % 5
            add(
                local.date(),
                by_id[client_id],
                members_by_id[author_id],
                start,
                minutes,
                "home_visit",
                "visit",
                untimed=start + minutes >= 24 * 60,
            )
            visits[-1].update(status=PlannedVisit.DONE, contact=contact_id)

    for visit in sorted(visits, key=lambda v: (v["day"], v["starts_at"] or dt.time(23, 59))):
        PlannedVisit.add(
            visit["client"],
            _planner(visit, planner),
            member=visit["member"],
            day=visit["day"],
            starts_at=visit["starts_at"],
            ends_at=visit["ends_at"],
            minutes=visit["minutes"],
            kind=visit["kind"],
            note=visit["note"],
            series=visit["series"],
            status=visit["status"],
            contact=visit["contact"],
            created_at=visit["series"].created_at if visit["series"] else planned_at(visit["day"]),
        )
