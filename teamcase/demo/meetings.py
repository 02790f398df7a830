"""A team's meetings (meetings.toml): every two weeks for three months, each with
attendance, a facilitator and note-taker in turn, people discussed with notes,
members' own items and tasks for the board; the decisions proposed on a meeting's
day linked to it. Then the next meeting: members' own items, an item carried over,
people flagged, people whose review date has come, and its agenda.

The meetings that were held are rows as they ended (their verbs run "now"); the
next one is built with the app's own `build_agenda`, `carry` and `AgendaItem.add`.
"""

import datetime as dt

from teamcase.demo.details import DEMO_ZONE
from teamcase.models import (
    AgendaItem,
    Attendance,
    Client,
    Decision,
    Meeting,
    MeetingFlag,
    Task,
)


def add_meetings(demo, teams):
    data = demo.data.meetings
    team, members = teams[data["team"]]
    rng, now, today = demo.rng, demo.now, demo.today
    active = sorted(
        ((m, since) for m, since, until in members if until is None), key=lambda m: m[0].name
    )
    by_name = {m.first_name: m for m, _since in active}
    people = list(
        Client.select()
        .where(Client.team == team, Client.status == Client.ACTIVE)
        .order_by(Client.name)
    )
    plans = {p["name"]: p["history"] for p in demo.data.people["people"][data["team"]]}
    notes_for, places = data["notes"], data["places"]

    def at(day, hour, minute=0):
        local = dt.datetime.combine(day, dt.time(hour, minute), DEMO_ZONE)
        return min(local.astimezone(dt.UTC).replace(tzinfo=None), now)

    # The team follows the app's suggestion: whoever facilitated (took notes) least
    # recently among those present, never first.
    order = [m for m, _since in active]
    rng.shuffle(order)
    facilitated, noted = {}, {}

    def least_recent(here, done, leave_out=None):
        return min(
            (m for m in here if m != leave_out),
            key=lambda m: (done.get(m.id, dt.date.min), order.index(m)),
        )

    held = []
    for number, days in enumerate(data["days_ago"]):
        day = today - dt.timedelta(days=days)
        start = at(day, 13, 30)
        here = [m for m, since in active if since <= start and rng.random() < 0.85]
        facilitator = least_recent(here, facilitated)
        note_taker = least_recent(here, noted, leave_out=facilitator)
        facilitated[facilitator.id], noted[note_taker.id] = day, day
        meeting = Meeting.create(
            team=team,
            held_on=day,
            starts_at=dt.time(13, 30),
            place=places[number % len(places)],
            facilitator=facilitator,
            note_taker=note_taker,
            status=Meeting.DONE,
            previous_accepted_at=start + dt.timedelta(minutes=3) if number else None,
            started_at=start,
            ended_at=start + dt.timedelta(minutes=rng.randint(75, 100)),
            created_by=rng.choice(here),
            created_at=start - dt.timedelta(days=14),
        )
        Attendance.insert_many([{"meeting": meeting.id, "member": m.id} for m in here]).execute()
        position = 0
        for person in rng.sample(people, rng.randint(3, 5)):
            position += 1
            member = rng.choice(here)
            first = person.preferred_name or person.name.split()[0]
            flagged = rng.random() < 0.4
            notes = rng.choice(notes_for.get(plans.get(person.name), notes_for["weekly"]))
            notes = notes.format(first=first, member=rng.choice(here).first_name)
            added = start - dt.timedelta(days=rng.randint(1, 10))
            flags = []
            if flagged:
                flags.append(
                    MeetingFlag.create(
                        team=team,
                        client=person,
                        reason=data["flag_reason"],
                        flagged_by=member,
                        flagged_at=start - dt.timedelta(days=rng.randint(2, 9)),
                        resolved_at=start + dt.timedelta(minutes=10 * position),
                    )
                )
            item = AgendaItem.create(
                meeting=meeting,
                kind="person",
                title=person.name,
                # Worried about, or their review date had come: as the agenda says it.
                why=AgendaItem.person_why(None if flagged else day, flags, day),
                client=person,
                source=f"person:{person.id}",
                position=position,
                status=AgendaItem.DISCUSSED,
                notes=notes,
                created_at=added,
            )
            if rng.random() < 0.5:
                claimer = rng.choice(here)
                done = days > 14 or rng.random() < 0.3
                Task.add(
                    team,
                    note_taker,
                    client=person,
                    title=rng.choice(data["tasks"]),
                    due_on=day + dt.timedelta(days=7),
                    created_at=start + dt.timedelta(minutes=10 * position),
                    claimed_by=claimer,
                    claimed_at=start + dt.timedelta(minutes=10 * position),
                    status=Task.DONE if done else Task.OPEN,
                    done_by=claimer if done else None,
                    done_at=at(day + dt.timedelta(days=rng.randint(2, 6)), 15) if done else None,
                    meeting_item=item,
                )
        own = data["own_items"][number % len(data["own_items"])]
        last = number == len(data["days_ago"]) - 1
        AgendaItem.create(
            meeting=meeting,
            kind=own["kind"],
            title=own["title"],
            why=own["why"],
            added_by=rng.choice(here),
            position=position + 1,
            # At the last meeting time ran out for it: it goes on to the next.
            status=AgendaItem.CARRIED if last else AgendaItem.DISCUSSED,
            notes="" if last else own["notes"],
            created_at=start - dt.timedelta(days=3),
        )
        # Decisions proposed at the meeting (the decisions log's own demo data).
        Decision.update(meeting=meeting).where(
            Decision.team == team,
            Decision.asynchronous == False,  # noqa: E712
            Decision.meeting.is_null(),
            Decision.proposed_at.between(
                start - dt.timedelta(hours=1), start + dt.timedelta(hours=3)
            ),
        ).execute()
        held.append(meeting)

    # The next meeting, next week.
    planner = by_name[data["planner"]]
    upcoming = Meeting.create(
        team=team,
        held_on=today + dt.timedelta(days=7),
        starts_at=dt.time(13, 30),
        place=places[len(data["days_ago"]) % len(places)],
        created_by=planner,
        created_at=at(today - dt.timedelta(days=6), 16),
    )
    discussed = {i.client_id for i in AgendaItem.select().where(AgendaItem.meeting == held[-1])}
    candidates = [p for p in people if p.id not in discussed]
    chosen = rng.sample(candidates, 5)
    for person, reason in zip(chosen[:2], data["next_flags"], strict=True):
        MeetingFlag.create(
            team=team,
            client=person,
            reason=reason,
            flagged_by=rng.choice(order),
            flagged_at=at(today - dt.timedelta(days=rng.randint(1, 5)), 11),
        )
    for offset, person in zip((-6, -1, 7), chosen[2:], strict=True):
        Client.update(review_on=today + dt.timedelta(days=offset)).where(
            Client.id == person.id
        ).execute()
    # Some later review dates, so that the date shows on people's pages.
    for person in rng.sample([p for p in candidates if p not in chosen], 6):
        Client.update(review_on=today + dt.timedelta(days=rng.randint(21, 70))).where(
            Client.id == person.id
        ).execute()
    upcoming.build_agenda(planner)
    carried = AgendaItem.get(
        AgendaItem.meeting == held[-1], AgendaItem.status == AgendaItem.CARRIED
    )
    upcoming.carry([carried])
    for item in data["next_items"]:
        AgendaItem.add(upcoming, by_name[item["who"]], item["kind"], item["title"], item["why"])
