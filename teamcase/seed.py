"""Demo and benchmark data, for trying teamcase out and for measuring it.

Seeding writes straight to the tables, without audit events: nobody looked at or
changed a person's record, the rows simply appeared.
"""

import datetime as dt
import random
import re
from zoneinfo import ZoneInfo

from teamcase.db import db
from teamcase.models import (
    Client,
    CoachLink,
    Contact,
    ContactMember,
    KnownBest,
    Team,
    User,
    utcnow,
)

DEMO_PASSWORD = "demo-password-1"
SCALE_PASSWORD = "scale-password-1"

# The demo lives in Amsterdam, so visit times are chosen on the local clock.
DEMO_ZONE = ZoneInfo("Europe/Amsterdam")

# Rows handed to the driver at a time; keeps psycopg's pipeline and memory small.
BATCH = 5_000

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
    Client.last_contact_at,
    Client.last_contact_kind,
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

OOST_MEMBERS = [
    # (name, joined how many days ago)
    ("Anna de Vries", 1400),
    ("Sanne Bakker", 1400),
    ("Fatima El Amrani", 1100),
    ("Joost Visser", 1400),
    ("Priya Raghunathan", 900),
    ("Mehmet Yilmaz", 700),
    ("Lotte Jansen", 500),
    ("Kwame Mensah", 70),
    ("Ingrid Smit", 1400),
    ("Daan Mulder", 300),
]
# A colleague who left the team three months ago; her older notes stay hers.
OOST_FORMER = ("Els Kok", 1400, 95)
ZUID_MEMBERS = [("Noor Hendriks", 800), ("Ruben Dekker", 800), ("Samira Bouzid", 400)]

OOST_STREETS = [
    ("Javastraat", "1094"),
    ("Sumatrastraat", "1094"),
    ("Celebesstraat", "1094"),
    ("Molukkenstraat", "1095"),
    ("Balistraat", "1094"),
    ("Borneostraat", "1094"),
    ("Dapperstraat", "1093"),
    ("Wagenaarstraat", "1093"),
    ("Linnaeusstraat", "1093"),
    ("Commelinstraat", "1093"),
    ("Eerste van Swindenstraat", "1093"),
    ("Middenweg", "1097"),
    ("Kramatweg", "1095"),
    ("Ringdijk", "1097"),
    ("Pretoriusstraat", "1092"),
    ("Meeuwenlaan", "1021"),
    ("Zamenhofstraat", "1022"),
    ("Van der Pekstraat", "1031"),
    ("Hagedoornweg", "1031"),
    ("Kamperfoelieweg", "1032"),
    ("Mosplein", "1032"),
    ("Klaprozenweg", "1033"),
    ("Kometensingel", "1033"),
    ("Waterlandplein", "1024"),
    ("Nieuwendammerdijk", "1025"),
    ("Buikslotermeerplein", "1025"),
]
ZUID_STREETS = [
    ("Rijnstraat", "1079"),
    ("Maasstraat", "1078"),
    ("Scheldestraat", "1078"),
    ("Van Woustraat", "1073"),
    ("Ceintuurbaan", "1072"),
    ("Beethovenstraat", "1077"),
]

# (name, preferred name, "f" or "m", age or None, history)
OOST_PEOPLE = [
    ("Johanna van Dijk", "Jo", "f", 84, "insulin"),
    ("Hendrik Boersma", "Henk", "m", 88, "weekly"),
    ("Wilhelmina Kramer", "Wil", "f", 91, "weekly"),
    ("Cornelis de Groot", "Kees", "m", 79, "wound"),
    ("Gerarda Vermeulen", "Gerda", "f", 86, "fortnightly"),
    ("Fatma Özdemir", "", "f", 72, "insulin"),
    ("Mohamed Bennani", "", "m", 77, "weekly"),
    ("Ramdew Sewnarain", "", "m", 81, "fortnightly"),
    ("Lucia Martina", "", "f", 69, "rare"),
    ("Hermina Brouwer", "Mien", "f", 93, "weekly"),
    ("Theodorus Schouten", "Theo", "m", 85, "wound"),
    ("Grietje Postma", "", "f", 90, "fortnightly"),
    ("Aaltje Meijer", "", "f", 95, "weekly"),
    ("Elisabeth Prins", "Lies", "f", 82, "recent"),
    ("Jacobus Hoekstra", "Koos", "m", 87, "insulin"),
    ("Maria dos Santos", "", "f", 74, "fortnightly"),
    ("Suzanna Wijnhard", "Suus", "f", 78, "weekly"),
    ("Khadija Tahiri", "", "f", 68, "rare"),
    ("Willem Bos", "Wim", "m", 83, "wound"),
    ("Catharina de Wit", "Toos", "f", 89, "weekly"),
    ("Antonius Verhoeven", "Toon", "m", 76, "fortnightly"),
    ("Petronella Jacobs", "Nel", "f", 92, "new"),
    ("Gerrit Dijkstra", "", "m", 80, "rare"),
    ("Ahmet Kaya", "", "m", 71, "insulin"),
    ("Siti Soemadi", "", "f", 85, "weekly"),
    ("Adriana van Leeuwen", "Adri", "f", None, "fortnightly"),
    ("Johannes Smits", "Hans", "m", 73, "recent"),
    ("Maria Kuipers", "Riet", "f", 90, "weekly"),
    ("Frederik Timmermans", "Frits", "m", 86, "wound"),
    ("Anna Mol", "Annie", "f", 94, "fortnightly"),
    ("Dirk van den Berg", "", "m", 82, "rare"),
    ("Yvonne Tjon-A-Fat", "", "f", 75, "weekly"),
    ("Rosa Pinas", "", "f", 70, "new"),
    ("Bernardus Koster", "Ben", "m", 88, "insulin"),
    ("Jannetje Huisman", "Janny", "f", 83, "fortnightly"),
    ("Leendert van Beek", "Leen", "m", 91, "weekly"),
    ("Zeynep Arslan", "", "f", None, "recent"),
    ("Abdelkader Ouali", "", "m", 79, "rare"),
    ("Sophia Wolters", "Fie", "f", 87, "wound"),
    ("Marinus Blom", "Rinus", "m", 84, "fortnightly"),
    ("Hilda Groen", "", "f", 80, "rare"),
    ("Pieter Molenaar", "Piet", "m", 89, "weekly"),
    ("Margaretha Vos", "Greet", "f", 92, "recent"),
    ("Kofi Asante", "", "m", 66, "fortnightly"),
    ("Eva Lindqvist", "", "f", None, "rare"),
    ("Tomasz Nowak", "", "m", 48, "wound"),
    ("Lisa Verbruggen", "", "f", 34, "weekly"),
    ("Daniël Peters", "", "m", 57, "recent"),
    ("Ans Scholten", "", "f", 81, "new"),
    ("Cornelia Baars", "Corrie", "f", 86, "new"),
]
ZUID_PEOPLE = [
    ("Albert Cohen", "Appie", "m", 88, "weekly"),
    ("Rebecca de Jong", "", "f", 79, "fortnightly"),
    ("Elisabeth van Gelder", "Bep", "f", 91, "insulin"),
    ("Hugo Reinders", "", "m", 74, "rare"),
    ("Ida Sanders", "", "f", 85, "recent"),
    ("Manuel Fernandes", "", "m", 69, "fortnightly"),
    ("Tineke Zwart", "", "f", None, "new"),
    ("Jozef Kowalski", "", "m", 82, "weekly"),
]

PRONOUNS = {
    "f": {"they": "she", "They": "She", "their": "her", "them": "her", "self": "herself"},
    "m": {"they": "he", "They": "He", "their": "his", "them": "him", "self": "himself"},
}

NOTES = {
    "insulin": [
        "{n} checked {their} own sugar and gave the injection; we only watched.",
        "Injection done by {n} with a little prompting on the dose. Talked about {their} "
        "grandson's football match.",
        "{n} had breakfast ready before we came. {They} wants to keep doing that {self}.",
        "Quick visit. {n} managed the pen without help today and was proud of it.",
        "Sugar a bit high after a birthday party yesterday; {n} laughed about the cake "
        "and chose a lighter lunch.",
        "{n} asked to learn to set the dose {self}. Practised together; next time {they} "
        "will try alone.",
        "Injection given together. {n} is looking forward to the day centre on Thursday.",
        "All fine. {n} was off to the market with {their} neighbour.",
        "{n} wrote {their} sugar in the notebook {self} this morning.",
        "{n} drew up the dose {self}; we checked it together and it was right.",
        "Early visit so {n} could catch the bus to {their} sister's.",
        "{n} was cooking when we came; kept stirring while doing the injection.",
        "",
    ],
    "visit": [
        "Showered with a little help; {n} did most of it {self} on the shower stool.",
        "Helped with the compression stockings. {n} walked to the corner shop and back this week.",
        "{n} showed me the photos from {their} daughter's visit. Sleeping better.",
        "Went through the medicine box together; {n} fills it {self} now, we only check.",
        "Talked about what matters most to {n}: staying at home and feeding the birds on "
        "the balcony.",
        "{n} wants to get back to the choir. We looked up the bus times together.",
        "Legs less swollen. {n} has been putting {their} feet up after lunch as we agreed.",
        "{n} cooked soup for the neighbour who does the shopping. Likes being able to "
        "give something back.",
        "Long chat about the allotment; {their} son will take {them} there on Sunday.",
        "Skin in good shape. {n} does the cream {self} in the evening.",
        "{n} felt low today and talked about {their} late partner. Sat with {them} a while.",
        "Walked to the bench in the park together, twice as far as last month.",
        "{n} booked the hairdresser {self} and was pleased with how it went.",
        "Looked back on the week: {n} wants to try Tuesdays without a visit.",
        "{n} is teaching the girl next door to crochet. Lovely to see.",
        "Helped {n} wash {their} hair; {they} chose the clothes for the birthday party.",
        "{n} made coffee for both of us and told stories about working on the ferry.",
        "{n} did the exercises from the physio without reminders. Stairs going better.",
        "Planned the week together. {n} wants to go to the library on Wednesday.",
        "{n}'s granddaughter was there; she is learning how to help with the stockings.",
        "Shower went well. {n} chose to sit outside on the balcony afterwards.",
        "{n} has started sorting the post {self} again, with the daughter checking bills.",
        "Talked about the community lunch that keeps {n} going; the neighbour will drive.",
        "{n} rang the neighbour {self} to arrange the shopping. Good to see.",
        "",
        "",
    ],
    "wound": [
        "Dressing changed; wound closing well. {n} keeps the leg up while watching the cycling.",
        "{n} has walked the hallway three times a day as planned, and it shows.",
        "Changed the dressing together; {n} now knows what to look out for.",
        "Wound almost closed. {n} asked to go back to one visit a week.",
        "Talked about shoes that don't rub; {their} daughter will bring a pair to try.",
        "{n} did the cleaning of the wound {self} today, we did the dressing.",
        "Good progress. {n} is planning a trip to the beach with the grandchildren.",
    ],
    "call": [
        "Phoned to hear how the week went. {n} is managing well and will call if anything changes.",
        "Check-in call. {n} went to the lunch at the community centre on Wednesday.",
        "{n} is doing well; the neighbour now does the shopping on Fridays.",
        "Called {n} about the new visit times. {They} prefers the morning.",
        "{n} told me about the walking group; {they} has been twice now.",
        "Short call. {n} had the grandchildren over and was tired but happy.",
    ],
    "video": [
        "Video call with {n} and {their} daughter about plans for the summer.",
        "{n} tried the video call for the first time, with help from {their} grandson.",
        "Went through the exercises from the physio on video; {n} knows them by heart.",
    ],
    "message": [
        "Sent the new visit times; {n} replied with a thumbs-up.",
        "{n}'s son let us know {they} enjoyed the boat trip.",
        "Message from {n}: the new shower chair has arrived and works.",
        "Sent {n} the number of the neighbourhood handyman, as {they} asked.",
    ],
    "consult": [
        "Talked with the GP about {n}'s wish to take fewer tablets; GP will review.",
        "Consulted the physiotherapist: {n} can join the walking group next month.",
        "Thought together about how {n} can keep doing the stairs {self}.",
        "Called the pharmacy with {n} to set up weekly medicine rolls.",
        "Talked with the occupational therapist about a higher chair so {n} can stand up "
        "without help.",
    ],
}

# (kind, demand, why, note, chance it was resolved at the first contact)
INCOMING = [
    (
        "phone",
        "value",
        "Asked for help with a stair rail",
        "{n} phoned to ask about a stair rail. Gave the number of the housing "
        "association and will ask next visit how it went.",
        0.8,
    ),
    (
        "phone",
        "value",
        "Wanted advice about sleeping",
        "{n} called about waking at night. Talked through what helped before; {they} "
        "will try the evening walk again.",
        0.8,
    ),
    (
        "phone",
        "value",
        "Daughter asked about day care",
        "{n}'s daughter called about the day centre. Sent her the details and the "
        "name of someone to ask for.",
        0.7,
    ),
    (
        "message",
        "value",
        "Asked to move the visit earlier",
        "{n} asked for an earlier visit so {they} can get to the market. Moved it.",
        0.9,
    ),
    (
        "phone",
        "value",
        "Question about a hospital letter",
        "{n} wanted to understand the letter from the hospital. Read it through together "
        "on the phone.",
        0.6,
    ),
    (
        "phone",
        "failure",
        "Change of visit time not passed on",
        "{n} phoned: nobody came at the usual time because the change was not passed "
        "on. Apologised and came at eleven.",
        0.6,
    ),
    (
        "phone",
        "failure",
        "Medicine roll missing tablets",
        "{n} noticed the evening tablets were missing from the roll. Sorted it with the pharmacy.",
        0.5,
    ),
    (
        "phone",
        "failure",
        "Shower chair not delivered as promised",
        "{n} called because the shower chair still has not come. Chased the supplier.",
        0.3,
    ),
    (
        "message",
        "failure",
        "Question from last week not answered",
        "{n} asked again about the form we said we would help with. Booked a time to "
        "do it together.",
        0.4,
    ),
    (
        "phone",
        "value",
        "Neighbour asked how to help",
        "{n}'s neighbour called to ask how she can help. Agreed she does the Friday "
        "shopping; {n} is pleased.",
        0.9,
    ),
]
# Only for people whose wound the team dresses.
WOUND_INCOMING = [
    (
        "phone",
        "failure",
        "Dressings ran out, not reordered",
        "Dressings ran out because the order was not placed. Brought some from the office.",
        0.5,
    ),
    (
        "video",
        "value",
        "Wanted to show how the wound looks",
        "{n} showed the leg on video; looks fine. Agreed to keep the plan as it is.",
        0.7,
    ),
]

ODD_MINUTES = (5, 10, 20, 25, 35, 40, 50, 75, 90)

FIRST_NAMES = [
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Wim",
    "Gerrit",
    "Theo",
    "Ahmed",
    "Mohamed",
    "Ramon",
    "Johan",
    "Bert",
    "Frits",
    "Sjaak",
    "Hans",
    "Maria",
    "Johanna",
    "Anna",
    "Cornelia",
    "Grietje",
    "Fatma",
    "Aicha",
    "Rita",
    "Ans",
    "Truus",
    "Nel",
    "Riet",
    "Toos",
    "Lies",
    "Mien",
    "Sevda",
    "Priya",
    "Kofi",
    "Lucia",
    "Ines",
    "Yvonne",
    "Wilma",
    "Greet",
    "Bep",
    "Corrie",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Yilmaz",
    "El Idrissi",
    "Sewdien",
    "Martina",
    "Pinas",
    "Kaya",
    "Özdemir",
    "Nowak",
    "Asante",
    "Lindqvist",
    "Tahiri",
    "Postma",
    "Huisman",
]
MEMBER_FIRST_NAMES = [
    "Anna",
    "Sanne",
    "Fatima",
    "Joost",
    "Priya",
    "Mehmet",
    "Lotte",
    "Kwame",
    "Ingrid",
    "Daan",
    "Noor",
    "Ruben",
    "Samira",
    "Eva",
    "Tom",
    "Iris",
    "Bas",
    "Yasmin",
    "Femke",
    "Jeroen",
]
SCALE_NOTES = NOTES["visit"] + NOTES["call"] + NOTES["wound"] + NOTES["message"]
SCALE_KINDS = ["home_visit"] * 14 + ["phone"] * 4 + ["message", "video", "consult"]
SCALE_MINUTES = [15, 15, 30, 30, 30, 45, 45, 60, 10, 20, 90]


def _password_hash(password: str) -> str:
    # argon2 takes a noticeable moment per hash; every seeded account shares one.
    holder = User()
    holder.set_password(password)
    return holder.password_hash


def _insert(model, fields, rows) -> None:
    """Insert tuples of database-ready values, given in the order of `fields`.

    peewee writes the one-row statement and the driver repeats it for each row:
    4-6 times faster than `insert_many`, which renders every value in Python.
    """
    if not rows:
        return
    sql, params = model.insert({field: None for field in fields}).returning().sql()
    if len(params) != len(fields):
        # peewee fills in defaults for fields left out, which the rows do not carry.
        raise ValueError(f"Give every column of {model.__name__} a value when seeding.")
    cursor = db.cursor()
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start : start + BATCH])


def _ids_in_order(query) -> list[int]:
    return [row[0] for row in query.order_by(query.model.id).tuples()]


def _postcode(rng, prefix) -> str:
    while True:
        letters = "".join(rng.choice("ABCEGHJKLMNPRSTVWXZ") for _ in range(2))
        # Dutch postcodes never use these letter pairs.
        if letters not in ("SA", "SD", "SS"):
            return f"{prefix} {letters}"


def _house_number(rng) -> str:
    number = str(rng.randint(1, 180))
    floor = rng.random()
    if floor < 0.45:
        return f"{number}-{rng.choice(['I', 'II', 'III', 'IV', 'huis'])}"
    if floor < 0.55:
        return number + rng.choice("ABC")
    return number


def _phone(rng, age) -> str:
    if age is not None and age > 80 and rng.random() < 0.6:
        return f"020-{rng.randint(0, 9_999_999):07d}"
    return f"06-{rng.randint(10_000_000, 99_999_999)}"


def _date_of_birth(rng, age, today) -> dt.date | None:
    if age is None:
        return None
    birthday = today.replace(year=today.year - age, day=min(today.day, 28))
    return birthday - dt.timedelta(days=rng.randint(1, 360))


def _minutes(rng, usual) -> int:
    if rng.random() < 0.1:
        return rng.choice(ODD_MINUTES)
    return rng.choice(usual)


class _Demo:
    """Builds the demo histories; one instance per run so the random stream is fixed."""

    def __init__(self, rng, now):
        self.rng = rng
        self.now = now
        self.today = now.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE).date()
        self.recent_notes = []

    def at(self, days_ago, earliest, latest):
        """A UTC moment on a day `days_ago`, between two local hours."""
        day = self.today - dt.timedelta(days=days_ago)
        minute = self.rng.randint(earliest * 60, latest * 60 - 1)
        local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), DEMO_ZONE)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    def visit(self, days_ago, notes, minutes=(30, 45, 60), kind="home_visit", hours=(8, 17)):
        return {
            "happened_at": self.at(days_ago, *hours),
            "kind": kind,
            "minutes": _minutes(self.rng, minutes),
            "note": self.note(NOTES[notes]),
        }

    def note(self, choices):
        # The same note on visit after visit reads as copy-paste, not as a person.
        for _attempt in range(5):
            note = self.rng.choice(choices)
            if not note or note not in self.recent_notes:
                break
        self.recent_notes = [*self.recent_notes[-3:], note]
        return note

    def history(self, plan):
        """Contacts (oldest first) for one of the history plans in OOST_PEOPLE."""
        rng = self.rng
        contacts = []
        if plan == "insulin":
            start = rng.randint(28, 38)
            for days_ago in range(start, -1, -1):
                if rng.random() < 0.06:
                    continue  # family did it that morning
                contacts.append(
                    self.visit(days_ago, "insulin", minutes=(15, 15, 15, 30), hours=(7, 10))
                )
            span = start
        elif plan == "weekly":
            span = rng.randint(170, 182)
            days_ago = span
            while days_ago >= 0:
                if rng.random() < 0.9:
                    contacts.append(self.visit(max(days_ago + rng.randint(-1, 1), 0), "visit"))
                if rng.random() < 0.15:
                    contacts.append(self.visit(max(days_ago - 3, 0), "call", (10, 15), "phone"))
                days_ago -= 7
        elif plan == "wound":
            span = rng.randint(150, 170)
            for week in range(6):
                for day in (0, 2, 4):
                    days_ago = span - week * 7 - day
                    contacts.append(self.visit(days_ago, "wound", (30, 45)))
            days_ago = span - 42 - 28
            while days_ago >= 0:
                contacts.append(self.visit(days_ago, "visit"))
                days_ago -= rng.randint(24, 32)
        elif plan == "fortnightly":
            span = rng.randint(165, 180)
            days_ago = span
            while days_ago >= 0:
                if rng.random() < 0.7:
                    contacts.append(self.visit(days_ago, "visit", (30, 45, 60)))
                else:
                    contacts.append(self.visit(days_ago, "call", (10, 15), "phone"))
                days_ago -= rng.randint(12, 16)
        elif plan == "rare":
            span = rng.randint(120, 180)
            for days_ago in sorted(rng.sample(range(span + 1), rng.randint(1, 5)), reverse=True):
                kind = rng.choice(["phone", "phone", "message", "video", "home_visit"])
                notes = {"phone": "call", "home_visit": "visit"}.get(kind, kind)
                usual = {"phone": (10, 15), "message": (5,), "video": (15, 30)}.get(kind)
                contacts.append(self.visit(days_ago, notes, usual or (30, 45), kind))
        elif plan == "recent":
            span = rng.randint(10, 20)
            days_ago = span
            while days_ago >= 0:
                contacts.append(self.visit(days_ago, "visit", (30, 45, 60)))
                days_ago -= rng.randint(2, 3)
        else:
            return [], rng.randint(1, 4)

        if plan not in ("rare", "recent"):
            for _ in range(rng.randint(0, 2)):
                contacts.append(self.visit(rng.randint(0, span), "consult", (15, 30), "consult"))
            if rng.random() < 0.3:
                contacts.append(self.visit(rng.randint(0, span), "video", (15, 30), "video"))
            if rng.random() < 0.3:
                contacts.append(self.visit(rng.randint(0, span), "message", (5,), "message"))
        reasons = INCOMING + WOUND_INCOMING if plan == "wound" else INCOMING
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            kind, demand, why, note, resolved = rng.choice(reasons)
            contact = self.visit(rng.randint(0, span), "call", (10, 15), kind, hours=(9, 17))
            contact.update(
                note=note,
                incoming=True,
                demand=demand,
                demand_why=why,
                resolved_first_time=rng.random() < resolved,
            )
            contacts.append(contact)

        # Anything later than a few minutes ago has not happened yet.
        latest = self.now - dt.timedelta(minutes=10)
        contacts = [c for c in contacts if c["happened_at"] <= latest]
        contacts.sort(key=lambda c: c["happened_at"])
        return contacts, span + rng.randint(1, 14)


def _demo_members(team, names, domain, password_hash, now):
    members = []
    for name, joined in names:
        email = f"{name.split()[0].lower()}@{domain}"
        since = now - dt.timedelta(days=joined)
        member = User.create(
            email=email,
            name=name,
            password_hash=password_hash,
            role=User.MEMBER,
            team=team,
            created_at=since,
        )
        members.append((member, since, None))
    return members


def _demo_people(demo, team, people, streets, members):
    """Create a team's people, who knows them best, and what happened so far."""
    rng, now = demo.rng, demo.now
    current = [m for m, _since, until in members if until is None]
    contact_rows, colleagues = [], []
    known_best_rows = []
    for name, preferred, sex, age, plan in people:
        history, opened_days_ago = demo.history(plan)
        street, prefix = rng.choice(streets)
        # Everyone can be reached somehow: no address means a phone.
        address = rng.random() > 0.06
        phone = _phone(rng, age) if (rng.random() < 0.85 or not address) else ""
        email = ""
        if age is None or age < 70 or rng.random() < 0.08:
            parts = name.lower().split()
            email = f"{parts[0]}.{parts[-1]}@example.net".replace("ë", "e").replace("ö", "o")
        if history:
            before = dt.timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 480))
            created_at = history[0]["happened_at"] - before
        else:
            created_at = min(demo.at(opened_days_ago, 9, 17), now)
        last = history[-1] if history else None
        client = Client.create(
            team=team,
            name=name,
            preferred_name=preferred,
            date_of_birth=_date_of_birth(rng, age, demo.today),
            street=f"{street} {_house_number(rng)}" if address else "",
            postcode=_postcode(rng, prefix) if address else "",
            city="Amsterdam" if address else "",
            phone=phone,
            email=email,
            last_contact_at=last["happened_at"] if last else None,
            last_contact_kind=last["kind"] if last else "",
            created_at=created_at,
            updated_at=created_at,
        )
        known_best = rng.sample(current, rng.choice([1, 1, 2]))
        known_best_rows.extend((client.id, m.id) for m in known_best)

        words = {"n": preferred or name.split()[0], **PRONOUNS[sex]}
        for contact in history:
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
            contact_rows.append(
                (
                    client.id,
                    author.id,
                    when,
                    contact["minutes"],
                    contact["kind"],
                    contact["note"].format_map(words),
                    contact.get("incoming", False),
                    contact.get("demand", ""),
                    contact.get("demand_why", ""),
                    contact.get("resolved_first_time"),
                    1,
                    min(written, now),
                )
            )
            chance = {"home_visit": 0.08, "consult": 0.5}.get(contact["kind"], 0)
            others = [m for m in there if m != author]
            colleagues.append(rng.choice(others) if others and rng.random() < chance else None)

    _insert(KnownBest, (KnownBest.client, KnownBest.member), known_best_rows)
    _insert(Contact, CONTACT_FIELDS, contact_rows)
    client_ids = sorted({row[0] for row in contact_rows})
    contact_ids = _ids_in_order(Contact.select(Contact.id).where(Contact.client.in_(client_ids)))
    _insert(
        ContactMember,
        (ContactMember.contact, ContactMember.member),
        [(cid, m.id) for cid, m in zip(contact_ids, colleagues, strict=True) if m],
    )


def seed_demo(progress=None) -> dict:
    """Fill an empty, migrated database with two teams, their people and histories.

    The same data every time. Returns one login per role to show whoever seeded it.
    """
    say = progress or (lambda label: None)
    rng = random.Random(2026)
    now = utcnow()
    demo = _Demo(rng, now)
    password_hash = _password_hash(DEMO_PASSWORD)

    with db.atomic():
        say("Teams and accounts")
        oost = Team.create(
            name="Buurtzorg Oost-Noord", area="Oost-Noord", created_at=now - dt.timedelta(days=1500)
        )
        zuid = Team.create(
            name="Buurtzorg Zuid", area="Zuid", created_at=now - dt.timedelta(days=900)
        )
        oost_members = _demo_members(oost, OOST_MEMBERS, "oost.example.org", password_hash, now)
        name, joined, left = OOST_FORMER
        former = User.create(
            email=f"{name.split()[0].lower()}@oost.example.org",
            name=name,
            password_hash=password_hash,
            role=User.MEMBER,
            team=oost,
            active=False,
            created_at=now - dt.timedelta(days=joined),
        )
        oost_members.append((former, former.created_at, now - dt.timedelta(days=left)))
        zuid_members = _demo_members(zuid, ZUID_MEMBERS, "zuid.example.org", password_hash, now)
        coach = User.create(
            email="marloes@coach.example.org",
            name="Marloes Verbeek",
            password_hash=password_hash,
            role=User.COACH,
            team=None,
            created_at=now - dt.timedelta(days=600),
        )
        CoachLink.create(coach=coach, team=oost, created_at=now - dt.timedelta(days=400))
        User.create(
            email="bram@office.example.org",
            name="Bram de Boer",
            password_hash=password_hash,
            role=User.BACKOFFICE,
            team=None,
            created_at=now - dt.timedelta(days=1500),
        )

        say("People and contacts in Buurtzorg Oost-Noord")
        _demo_people(demo, oost, OOST_PEOPLE, OOST_STREETS, oost_members)
        say("People and contacts in Buurtzorg Zuid")
        _demo_people(demo, zuid, ZUID_PEOPLE, ZUID_STREETS, zuid_members)

    return {"logins": demo_logins()}


def demo_logins() -> list[tuple[str, str, str]]:
    """One login per role (and one for the second team), to print for whoever runs the demo."""
    return [
        ("member, Buurtzorg Oost-Noord", "anna@oost.example.org", DEMO_PASSWORD),
        ("member, Buurtzorg Zuid", "noor@zuid.example.org", DEMO_PASSWORD),
        ("coach", "marloes@coach.example.org", DEMO_PASSWORD),
        ("back office", "bram@office.example.org", DEMO_PASSWORD),
    ]


def _next_scale_number() -> int:
    names = Team.select(Team.name).where(Team.name.startswith("Scale team ")).tuples()
    numbers = [int(m[1]) for (name,) in names if (m := re.fullmatch(r"Scale team (\d+)", name))]
    return max(numbers, default=0) + 1


def _scale_history(rng, count, now, span_seconds, words):
    """`count` contacts over the last two years, oldest first, as partial rows."""
    rows = []
    for _ in range(count):
        seconds = rng.randrange(span_seconds)
        day = now - dt.timedelta(seconds=seconds)
        # 06:00-17:00 UTC is daytime across Europe, summer or winter.
        happened_at = day.replace(hour=rng.randrange(6, 17), minute=rng.randrange(60), second=0)
        if happened_at > now:
            happened_at -= dt.timedelta(days=1)
        kind = rng.choice(SCALE_KINDS)
        incoming = kind in ("phone", "message") and rng.random() < 0.5
        if incoming:
            _kind, demand, why, note, resolved = rng.choice(INCOMING)
            extra = (True, demand, why, rng.random() < resolved)
        else:
            note = rng.choice(SCALE_NOTES)
            extra = (False, "", "", None)
        minutes = 5 if kind == "message" else rng.choice(SCALE_MINUTES)
        rows.append((happened_at, minutes, kind, note.format_map(words), *extra))
    rows.sort(key=lambda row: row[0])
    return rows


def seed_scale(teams: int, clients_per_team: int, contacts_per_client: int, progress=None) -> None:
    """Add `teams` synthetic teams for benchmarks, numbered after any already there."""
    rng = random.Random(2026)
    now = utcnow()
    span_seconds = 730 * 24 * 3600
    team_created = now - dt.timedelta(days=760)
    password_hash = _password_hash(SCALE_PASSWORD)
    first_number = _next_scale_number()

    for i in range(teams):
        number = first_number + i
        with db.atomic():
            team = Team.create(
                name=f"Scale team {number:04d}", area=f"Area {number:04d}", created_at=team_created
            )
            members = [
                (
                    f"member{number:04d}-{n}@scale.example.org",
                    f"{rng.choice(MEMBER_FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    password_hash,
                    User.MEMBER,
                    team.id,
                    True,
                    team_created,
                )
                for n in range(1, 11)
            ]
            _insert(User, USER_FIELDS, members)
            member_ids = _ids_in_order(User.select(User.id).where(User.team == team))

            client_rows, histories, known_best = [], [], []
            for c in range(clients_per_team):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                sex = rng.choice("fm")
                history = _scale_history(
                    rng, contacts_per_client, now, span_seconds, {"n": first, **PRONOUNS[sex]}
                )
                street, prefix = rng.choice(OOST_STREETS)
                created_at = (history[0][0] if history else now) - dt.timedelta(days=7)
                age = rng.randint(65, 95)
                client_rows.append(
                    (
                        team.id,
                        f"{first} {last}",
                        "",
                        now.date() - dt.timedelta(days=age * 365 + rng.randrange(365)),
                        f"{street} {rng.randint(1, 180)}",
                        _postcode(rng, prefix),
                        "Amsterdam",
                        _phone(rng, age),
                        "",
                        Client.ACTIVE,
                        history[-1][0] if history else None,
                        history[-1][2] if history else "",
                        1,
                        created_at,
                        created_at,
                    )
                )
                histories.append(history)
                known_best.append(member_ids[c % len(member_ids)])
            _insert(Client, CLIENT_FIELDS, client_rows)
            client_ids = _ids_in_order(Client.select(Client.id).where(Client.team == team))
            _insert(
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
            _insert(Contact, CONTACT_FIELDS, contact_rows)

            contact_ids = _ids_in_order(
                Contact.select(Contact.id).where(Contact.client.in_(client_ids))
            )
            pairs = []
            for contact_id, row in zip(contact_ids, contact_rows, strict=True):
                if row[4] in ("home_visit", "consult") and rng.random() < 0.05:
                    other = rng.choice(member_ids)
                    if other != row[1]:
                        pairs.append((contact_id, other))
            _insert(ContactMember, (ContactMember.contact, ContactMember.member), pairs)
        if progress:
            progress(i + 1, teams)
