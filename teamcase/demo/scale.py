"""`seed_scale`: many made-up teams, people and contacts, for benchmarks only.

Written through the bulk path (bulk.py); names come from scale.toml, notes, incoming
contacts and streets from the demo's own files.
"""

import datetime as dt
import random
import re

from teamcase.db import db
from teamcase.demo.bulk import ids_in_order, insert_rows
from teamcase.demo.data import DemoData
from teamcase.demo.details import password_hash, phone, postcode
from teamcase.models import (
    Client,
    Contact,
    ContactMember,
    KnownBest,
    Team,
    User,
    WeekFigure,
    utcnow,
)
from teamcase.search import words_of

SCALE_PASSWORD = "scale-password-1"

KINDS = ["home_visit"] * 14 + ["phone"] * 4 + ["message", "video", "consult"]
MINUTES = [15, 15, 30, 30, 30, 45, 45, 60, 10, 20, 90]

CLIENT_FIELDS = (
    Client.team,
    Client.name,
    Client.preferred_name,
    Client.date_of_birth,
    Client.street,
    Client.postcode,
    Client.city,
    Client.phone,
    Client.email,
    Client.status,
    Client.care_started_at,
    Client.closed_at,
    Client.close_reason,
    Client.closing_story,
    Client.review_on,
    Client.last_contact_at,
    Client.last_contact_kind,
    Client.search_text,
    Client.version,
    Client.created_at,
    Client.updated_at,
)
USER_FIELDS = (
    User.email,
    User.name,
    User.password_hash,
    User.role,
    User.team,
    User.active,
    User.must_change_password,
    User.session_generation,
    User.language,
    User.created_at,
)
CONTACT_FIELDS = (
    Contact.client,
    Contact.author,
    Contact.happened_at,
    Contact.minutes,
    Contact.kind,
    Contact.note,
    Contact.incoming,
    Contact.demand,
    Contact.demand_why,
    Contact.resolved_first_time,
    Contact.version,
    Contact.created_at,
)


def _next_number(template: str) -> int:
    """The number after the highest scale team already there, so runs add up."""
    before, _, after = template.partition("{number:04d}")
    pattern = re.compile(re.escape(before) + r"(\d+)" + re.escape(after))
    names = Team.select(Team.name).where(Team.name.startswith(before)).tuples()
    numbers = [int(m[1]) for (name,) in names if (m := pattern.fullmatch(name))]
    return max(numbers, default=0) + 1


def _history(rng, count, now, span_seconds, words, notes, incoming):
    """`count` contacts over the last two years, oldest first, as partial rows."""
    rows = []
    for _ in range(count):
        seconds = rng.randrange(span_seconds)
        day = now - dt.timedelta(seconds=seconds)
        # 06:00-17:00 UTC is daytime across Europe, summer or winter.
        happened_at = day.replace(hour=rng.randrange(6, 17), minute=rng.randrange(60), second=0)
        if happened_at > now:
            happened_at -= dt.timedelta(days=1)
        kind = rng.choice(KINDS)
        came_in = kind in ("phone", "message") and rng.random() < 0.5
        if came_in:
            reason = rng.choice(incoming)
            note = reason["note"]
            extra = (True, reason["demand"], reason["why"], rng.random() < reason["resolved"])
        else:
            note = rng.choice(notes)
            extra = (False, "", "", None)
        minutes = 5 if kind == "message" else rng.choice(MINUTES)
        rows.append((happened_at, minutes, kind, note.format_map(words), *extra))
    rows.sort(key=lambda row: row[0])
    return rows


def seed_scale(
    teams: int, clients_per_team: int, contacts_per_client: int, progress=None, lang: str = "en"
) -> None:
    """Add `teams` synthetic teams for benchmarks, numbered after any already there."""
    data = DemoData(lang)
    names, contacts = data.scale, data.contacts
    pronouns, city = data.people["pronouns"], data.people["city"]
    streets = data.people["streets"][names["streets_of"]]
    notes = [note for kind in names["note_kinds"] for note in contacts["notes"][kind]]
    incoming = contacts["incoming"]
    rng = random.Random(2026)
    now = utcnow()
    span_seconds = 730 * 24 * 3600
    team_created = now - dt.timedelta(days=760)
    shared_hash = password_hash(SCALE_PASSWORD)
    first_number = _next_number(names["team_name"])

    for i in range(teams):
        number = first_number + i
        with db.atomic():
            team = Team.create(
                name=names["team_name"].format(number=number),
                area=names["team_area"].format(number=number),
                created_at=team_created,
            )
            members = [
                (
                    names["member_email"].format(number=number, n=n),
                    f"{rng.choice(names['member_first_names'])} {rng.choice(names['last_names'])}",
                    shared_hash,
                    User.MEMBER,
                    team.id,
                    True,
                    False,
                    1,
                    "",
                    team_created,
                )
                for n in range(1, 11)
            ]
            insert_rows(User, USER_FIELDS, members)
            member_ids = ids_in_order(User.select(User.id).where(User.team == team))

            client_rows, histories, known_best = [], [], []
            for c in range(clients_per_team):
                first, last = rng.choice(names["first_names"]), rng.choice(names["last_names"])
                sex = rng.choice("fm")
                history = _history(
                    rng,
                    contacts_per_client,
                    now,
                    span_seconds,
                    {"n": first, **pronouns[sex]},
                    notes,
                    incoming,
                )
                street = rng.choice(streets)
                created_at = (history[0][0] if history else now) - dt.timedelta(days=7)
                age = rng.randint(65, 95)
                name = f"{first} {last}"
                address = f"{street['name']} {rng.randint(1, 180)}"
                number = phone(rng, age)
                client_rows.append(
                    (
                        team.id,
                        name,
                        "",
                        now.date() - dt.timedelta(days=age * 365 + rng.randrange(365)),
                        address,
                        postcode(rng, street["postcode"]),
                        city,
                        number,
                        "",
                        Client.ACTIVE,
                        created_at,
                        None,
                        "",
                        "",
                        None,
                        # What Contact.record leaves: the newest contact is the last.
                        history[-1][0] if history else None,
                        history[-1][2] if history else "",
                        # Bulk rows skip Client.save(): the words it keeps, here.
                        words_of(name=name, street=address, phone=number),
                        1,
                        created_at,
                        created_at,
                    )
                )
                histories.append(history)
                known_best.append(member_ids[c % len(member_ids)])
            insert_rows(Client, CLIENT_FIELDS, client_rows)
            client_ids = ids_in_order(Client.select(Client.id).where(Client.team == team))
            insert_rows(
                KnownBest,
                (KnownBest.client, KnownBest.member),
                list(zip(client_ids, known_best, strict=True)),
            )

            contact_rows = []
            for client_id, history, usual in zip(client_ids, histories, known_best, strict=True):
                for happened_at, *rest in history:
                    author = usual if rng.random() < 0.7 else rng.choice(member_ids)
                    written = min(happened_at + dt.timedelta(hours=1), now)
                    contact_rows.append((client_id, author, happened_at, *rest, 1, written))
            # Interleave people the way a team's day does, rather than one person at a time.
            contact_rows.sort(key=lambda row: row[2])
            insert_rows(Contact, CONTACT_FIELDS, contact_rows)

            contact_ids = ids_in_order(
                Contact.select(Contact.id).where(Contact.client.in_(client_ids))
            )
            pairs = []
            for contact_id, row in zip(contact_ids, contact_rows, strict=True):
                if row[4] in ("home_visit", "consult") and rng.random() < 0.05:
                    other = rng.choice(member_ids)
                    if other != row[1]:
                        pairs.append((contact_id, other))
            insert_rows(ContactMember, (ContactMember.contact, ContactMember.member), pairs)
            # Bulk rows skip the verbs that keep the weekly figures: counted here.
            WeekFigure.rebuild(team.id)
        if progress:
            progress(i + 1, teams)
