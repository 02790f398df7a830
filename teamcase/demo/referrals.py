"""The demo's referral inboxes (referrals.toml): open referrals, one held for the team
meeting, the people a team took on lately with their first visits, one declined.

Each is recorded with `Referral.receive`, as it stands now: the decided ones carry
their decision, whose verbs (`accept`, `decline`) would date it today and, for
`accept`, open a second case for someone whose case is open already.
"""

import datetime as dt
import random

from teamcase.demo.details import DEMO_ZONE
from teamcase.models import Client, Contact, PlannedVisit, Referral


def add_referrals(demo, teams):
    rng = random.Random(2029)  # its own stream: the other demo data stays put
    now, data = demo.now, demo.data.referrals
    city = demo.data.people["city"]

    def received(days_ago, hour):
        # In office hours and never later than now, whatever time the demo is seeded.
        at = demo.at(days_ago, hour, hour + 1)
        while at > now:
            at -= dt.timedelta(days=1)
        return at

    for key, rows in data["open"].items():
        team, members = teams[key]
        current = [m for m, _since, until in members if until is None]
        for row in rows:
            at = received(row["days_ago"], row["hour"])
            by = rng.choice(current)
            meeting = row["meeting_reason"]
            Referral.receive(
                team,
                by,
                received_at=at,
                referrer_name=row["referrer"],
                referrer_org=row["organisation"],
                referrer_phone=row["referrer_phone"],
                person_name=row["person"],
                date_of_birth=row["born"],
                street=row["street"],
                postcode=row["postcode"],
                city=city,
                phone=row["phone"],
                story=row["story"],
                urgency=row["urgency"],
                status=Referral.MEETING if meeting else Referral.OPEN,
                meeting_reason=meeting,
                decided_by=rng.choice(current) if meeting else None,
                decided_at=at + dt.timedelta(hours=3) if meeting else None,
            )

    # The people the team took on lately came in as referrals; the first home visit
    # recorded for each is the team's time from referral to first visit.
    team, members = teams[data["taken_on_by"]]
    current = [m for m, _since, until in members if until is None]
    recent = list(
        Client.select()
        .where(
            Client.team == team,
            Client.status == Client.ACTIVE,
            Client.created_at >= now - dt.timedelta(days=30),
        )
        .order_by(Client.created_at.desc(), Client.id)
    )
    # Most were visited since; the newest waits for the first visit in the plan.
    accepted = data["accepted"]
    visited = [p for p in recent if p.last_contact_at][: len(accepted) - 1]
    waiting = [p for p in recent if not p.last_contact_at][:1]
    taken_on = sorted(visited + waiting, key=lambda p: (p.created_at, p.id))
    for person, referral in zip(taken_on, accepted, strict=False):
        _taken_on(demo, rng, team, current, person, referral)

    # Those taken on earlier in the year came in the same way, each with the words of
    # a referrer for the kind of care their history shows.
    plans = {row["name"]: row["history"] for row in demo.data.people["people"][data["taken_on_by"]]}
    earlier = (
        Client.select()
        .where(
            Client.team == team,
            Client.status == Client.ACTIVE,
            Client.created_at < now - dt.timedelta(days=30),
            Client.created_at >= now - dt.timedelta(days=365),
        )
        .order_by(Client.created_at, Client.id)
    )
    turns = {}
    for person in earlier:
        words = [row for row in data["earlier"] if row["plan"] == plans.get(person.name)]
        if not words:
            continue
        turn = turns.get(plans[person.name], 0)
        turns[plans[person.name]] = turn + 1
        _taken_on(demo, rng, team, current, person, words[turn % len(words)])

    for declined in data["declined"]:
        at = received(declined["days_ago"], declined["hour"])
        Referral.receive(
            team,
            rng.choice(current),
            received_at=at,
            referrer_name=declined["referrer"],
            referrer_org=declined["organisation"],
            referrer_phone=declined["referrer_phone"],
            person_name=declined["person"],
            date_of_birth=declined["born"],
            street=declined["street"],
            postcode=declined["postcode"],
            city=city,
            story=declined["story"],
            urgency=declined["urgency"],
            status=Referral.DECLINED,
            decided_by=rng.choice(current),
            decided_at=at + dt.timedelta(hours=declined["decided_after_hours"]),
            decline_reason=declined["reason"],
            referred_on_to=declined["referred_on_to"],
        )


def _taken_on(demo, rng, team, current, person, referral):
    """The accepted referral a person came in with; its first visit is the first
    home visit recorded for them, or one in the plan when none has happened yet."""
    data = demo.data.referrals
    first = (
        Contact.select(Contact.happened_at)
        .where(Contact.client == person, Contact.kind == "home_visit")
        .order_by(Contact.happened_at)
        .scalar()
    )
    # The call came in office hours, a day or three before the first visit (or, for
    # someone not visited yet, before the case was opened); accepted that same day.
    before = first - dt.timedelta(days=rng.choice([0, 1, 1, 2, 3])) if first else None
    local = (before or person.created_at).replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE)
    called = local.replace(hour=rng.randint(8, 11), minute=rng.randint(0, 59), second=0)
    if called >= local:
        called -= dt.timedelta(days=1)
    at = called.astimezone(dt.UTC).replace(tzinfo=None)
    decided_at = at + dt.timedelta(minutes=rng.randint(20, 240))
    waited = (first.date() - at.date()).days if first else None
    urgency = "routine" if waited is None or waited > 2 else "soon" if waited > 1 else "urgent"
    decider = rng.choice(current)
    Referral.receive(
        team,
        rng.choice(current),
        received_at=at,
        referrer_name=referral["referrer"],
        referrer_org=referral["organisation"],
        referrer_phone=referral["referrer_phone"],
        person_name=person.name,
        date_of_birth=person.date_of_birth,
        street=person.street,
        postcode=person.postcode,
        city=person.city,
        phone=person.phone,
        story=referral["story"],
        urgency=urgency,
        status=Referral.ACCEPTED,
        decided_by=decider,
        decided_at=decided_at,
        client=person,
        first_visit_at=first,
    )
    if first is None:
        # Accepting put the first visit in the plan; it has not happened yet.
        PlannedVisit.add(
            person,
            decider,
            member=decider,
            day=demo.today + dt.timedelta(days=1),
            starts_at=dt.time(10, 30),
            ends_at=dt.time(11, 30),
            minutes=45,
            note=data["first_visit_note"],
            created_at=decided_at,
        )
