"""A demo team's people: their cases, who knows them best, their records and timelines."""

import datetime as dt

from teamcase.demo.details import date_of_birth, house_number, phone, postcode
from teamcase.demo.records import Records
from teamcase.models import Client, Contact


def record_size(records: str, plan: str) -> str:
    """How much of a record there is: brand-new people have little or nothing yet."""
    if plan == "new":
        return "tiny"
    if records == "small" or plan == "recent":
        return "small"
    return "rich"


def add_people(demo, rng_records, team, spec, members):
    """Open a team's cases (people.toml), with their records (records.py) and what
    happened so far (timeline.py), all through the models' own verbs."""
    rng, now, data = demo.rng, demo.now, demo.data
    key = spec["key"]
    people, streets = data.people["people"][key], data.people["streets"][key]
    records = Records(rng_records, demo)
    current = [m for m, _since, until in members if until is None]
    records.add_resources(
        team, current[0], data.resources[key], team.created_at + dt.timedelta(days=20)
    )
    city, domain = data.people["city"], data.people["email_domain"]
    for person in people:
        name, preferred, sex = person["name"], person["preferred"], person["sex"]
        age = person.get("age")  # not always known
        history, opened_days_ago = demo.history(person["history"])
        street = rng.choice(streets)
        # Everyone can be reached somehow: no address means a phone.
        address = rng.random() > 0.06
        number = phone(rng, age) if (rng.random() < 0.85 or not address) else ""
        email = ""
        if age is None or age < 70 or rng.random() < 0.08:
            parts = name.lower().split()
            email = f"{parts[0]}.{parts[-1]}@{domain}".replace("ë", "e").replace("ö", "o")
        if history:
            before = dt.timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 480))
            created_at = history[0]["happened_at"] - before
        else:
            created_at = min(demo.at(opened_days_ago, 9, 17), now)
        born = date_of_birth(rng, age, demo.today)
        street_line = f"{street['name']} {house_number(rng)}" if address else ""
        code = postcode(rng, street["postcode"]) if address else ""
        known_best = rng.sample(current, rng.choice([1, 1, 2]))
        client = Client.open(
            team,
            known_best[0],
            known_best=known_best,
            name=name,
            preferred_name=preferred,
            date_of_birth=born,
            street=street_line,
            postcode=code,
            city=city if address else "",
            phone=number,
            email=email,
            # In care since the case was opened, not since the demo was seeded.
            care_started_at=created_at,
            created_at=created_at,
            updated_at=created_at,
        )

        words = {"n": preferred or name.split()[0], **data.people["pronouns"][sex]}
        for contact in history:
            contact["text"] = contact["note"].format_map(words)
        size = record_size(spec["records"], person["history"])
        goals = records.person(
            person, client, street["part"], street["name"], known_best, members, history, size
        )

        for contact, goal in zip(history, goals, strict=True):
            when = contact["happened_at"]
            there = [
                m for m, since, until in members if since <= when and (not until or when < until)
            ]
            first_choice = [m for m in known_best if m in there]
            if first_choice and rng.random() < 0.7:
                author = rng.choice(first_choice)
            else:
                author = rng.choice(there)
            written = when + dt.timedelta(minutes=contact["minutes"] + rng.randint(2, 90))
            chance = {"home_visit": 0.08, "consult": 0.5}.get(contact["kind"], 0)
            others = [m for m in there if m != author]
            colleague = rng.choice(others) if others and rng.random() < chance else None
            Contact.record(
                client,
                author,
                colleagues=[colleague] if colleague else [],
                happened_at=when,
                minutes=contact["minutes"],
                kind=contact["kind"],
                note=contact["text"],
                incoming=contact.get("incoming", False),
                demand=contact.get("demand", ""),
                demand_why=contact.get("demand_why", ""),
                resolved_first_time=contact.get("resolved_first_time"),
                goal=goal,
                created_at=min(written, now),
            )
    records.connect()
