"""A team's cases closed over the last year, and one person waiting for another team
to accept a transfer (closing.toml). Opened, visited and closed through the verbs,
each on the day it happened."""

import datetime as dt
import random

from teamcase.demo.details import date_of_birth, local_date, phone
from teamcase.models import (
    AuditEvent,
    Client,
    Contact,
    Goal,
    LocalResource,
    NetworkMember,
    Referral,
)


def add_closed_cases(demo, teams):
    """Each closed case with a story, goals reached, its GP and the visits of that
    period; then the transfer."""
    rng = random.Random(2031)  # its own stream: the other demo data stays put
    data = demo.data.closing
    team, members = teams[data["team"]]
    gps = {
        part: LocalResource.get(LocalResource.team == team, LocalResource.name == name)
        for part, name in data["gp"].items()
    }
    visit_notes = [text for text in demo.data.contacts["notes"]["visit"] if text]
    for case in data["closed"]:
        name, preferred, sex, age = case["name"], case["preferred"], case["sex"], case["age"]
        began, ended = case["began_days_ago"], case["closed_days_ago"]
        every = case["visit_every_days"]
        started_at = demo.at(began, 9, 12)
        closed_at = demo.at(ended, 10, 16)
        there = [
            m
            for m, since, until in members
            if since <= started_at and (not until or until > closed_at)
        ]
        known_best = rng.sample(there, rng.choice([1, 2]))
        visits = [demo.at(days, 8, 17) for days in range(began - 1, ended, -every)]
        person = Client.open(
            team,
            known_best[0],
            known_best=known_best,
            name=name,
            preferred_name=preferred,
            date_of_birth=date_of_birth(rng, age, demo.today),
            street=case["street"],
            postcode=case["postcode"],
            city=demo.data.people["city"],
            phone=phone(rng, age),
            care_started_at=started_at,
            created_at=started_at,
            updated_at=started_at,
        )
        gp = gps[case["part"]]
        NetworkMember.add(
            person,
            known_best[0],
            name=gp.name,
            relation="gp",
            tie="moderate",
            resource=gp,
            since=demo.today - dt.timedelta(days=began),
            created_at=demo.now,
        )
        for goal in case["goals"]:
            Goal.add(
                person,
                known_best[0],
                words=goal["words"],
                status="achieved",
                story=goal["how"],
                # Reached by the time the case closed.
                ended_on=local_date(closed_at),
                created_at=started_at + dt.timedelta(days=3),
            )
        said = {"n": preferred or name.split()[0], **demo.data.people["pronouns"][sex]}
        for when in visits:
            author = rng.choice(known_best) if rng.random() < 0.7 else rng.choice(there)
            note = rng.choice(visit_notes).format_map(said)
            minutes = rng.choice([30, 30, 45, 45, 60])
            written = when + dt.timedelta(minutes=minutes + rng.randint(5, 90))
            Contact.record(
                person,
                author,
                happened_at=when,
                minutes=minutes,
                kind="home_visit",
                note=note,
                created_at=written,
            )
        closer = rng.choice(known_best)
        reason, story, closed_on = case["reason"], case["story"], local_date(closed_at)
        person.close(closer, person.version, reason, story, closed_on, now=closed_at)

    for transfer in data["transfer"]:
        person = Client.get(Client.team == team, Client.name == transfer["person"])
        asker = next(m for m, _since, _until in members if m.first_name == transfer["asked_by"])
        referral = person.transfer_to(teams[transfer["to"]][0], asker, transfer["note"])
        asked_at = demo.at(transfer["days_ago"], 9, 12)
        # The verb asks now; this transfer was asked for some days ago.
        Referral.update(received_at=asked_at).where(Referral.id == referral.id).execute()
        AuditEvent.update(at=asked_at).where(
            AuditEvent.entity_id == referral.id, AuditEvent.entity.in_(["transfer", "referral"])
        ).execute()
