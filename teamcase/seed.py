"""Demo and benchmark data, for trying teamcase out and for measuring it.

Seeding writes straight to the tables, without audit events: nobody looked at or
changed a person's record, the rows simply appeared. The demo's people come with
records as a team would have built them up: about me in their own words,
strengths, a dated network, goals with steps, what they can give; each team has
its directory of local places.
"""

import datetime as dt
import json
import random
import re
import secrets
import string
from collections import Counter
from zoneinfo import ZoneInfo

from peewee import fn

from teamcase.db import db
from teamcase.models import (
    AboutMe,
    AgendaItem,
    Attendance,
    AuditEvent,
    Client,
    CoachLink,
    Connection,
    Consent,
    Contact,
    ContactMember,
    Decision,
    DecisionStep,
    Experiment,
    Goal,
    Invitation,
    KnownBest,
    LocalResource,
    Meeting,
    MeetingFlag,
    NetworkMember,
    Offer,
    PlannedVisit,
    Referral,
    RoleHolding,
    Step,
    Strength,
    Task,
    Team,
    TeamRole,
    TrainingItem,
    User,
    VisitSeries,
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
    Client.care_started_at,
    Client.closed_at,
    Client.close_reason,
    Client.closing_story,
    Client.review_on,
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
    User.must_change_password,
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

# ---------------------------------------------------------------------------
# The person's record in the demo: who they are before what they need.
#
# Texts are pools drawn from without repeating until a pool runs out. A text
# may name the person's family or street ({child}, {street}…): it is only used
# for someone who has them. An entry may also be (tags, text): "old f" fits only
# women of sixty or over, "!muslim" anyone who is not Muslim.
# ---------------------------------------------------------------------------

# (role, part of the area or "" for all of it, name, kind, address, phone,
#  opening hours, notes, people to name in a network)
OOST_RESOURCES = [
    (
        "gp",
        "oost",
        "Huisartsenpraktijk Dapperbuurt",
        "gp",
        "Dapperstraat 62, 1093 BZ Amsterdam",
        "020-6651840",
        "Mon–Fri 8:00–17:00; phone for an appointment before 10:00",
        "Dr. Bouali and Dr. Kramer. Practice nurse Ilse does the diabetes and lung checks; "
        "easiest to reach after 14:00 on the line for professionals. Home visits after the "
        "morning surgery.",
        ("Dr. Bouali", "Dr. Kramer", "Ilse, practice nurse"),
    ),
    (
        "gp",
        "noord",
        "Gezondheidscentrum Van der Pek",
        "gp",
        "Van der Pekstraat 112, 1031 CZ Amsterdam",
        "020-6362215",
        "Mon–Fri 8:00–17:00, walk-in 8:00–9:00",
        "Dr. Hoogland and Dr. Nguyen. A physio and a dietitian in the same building. They "
        "like a short call from us before we ask for a home visit.",
        ("Dr. Hoogland", "Dr. Nguyen"),
    ),
    (
        "pharmacy",
        "oost",
        "Apotheek Javaplein",
        "pharmacy",
        "Javaplein 21, 1095 CJ Amsterdam",
        "020-6681322",
        "Mon–Fri 8:30–18:00, Sat 10:00–13:00",
        "Weekly medicine rolls; ask for Marco. Delivers on Tuesday and Friday afternoons.",
        (),
    ),
    (
        "pharmacy",
        "noord",
        "Apotheek Mosplein",
        "pharmacy",
        "Mosplein 9, 1032 JS Amsterdam",
        "020-6317744",
        "Mon–Fri 8:00–17:30",
        "Free delivery for people over 75. They take time at the counter to explain a new "
        "medicine.",
        (),
    ),
    (
        "centre",
        "oost",
        "Buurthuis De Dapper",
        "community",
        "Wagenaarstraat 14, 1093 CV Amsterdam",
        "020-6943017",
        "Mon–Fri 9:30–17:00",
        "Community lunch on Wednesdays at 12:30 (€4, sign up by Tuesday), cards on Thursday "
        "afternoons, sewing café on Friday mornings. Ask for Hanneke.",
        (),
    ),
    (
        "centre",
        "noord",
        "Buurtkamer Noord",
        "community",
        "Mosplein 3, 1032 JS Amsterdam",
        "020-6340518",
        "Mon and Thu 10:00–12:00; bingo every other Friday at 14:00",
        "Coffee mornings run by neighbours. Volunteers pick people up if you ask the day before.",
        (),
    ),
    (
        "time_bank",
        "",
        "Tijdbank Oost",
        "time_bank",
        "Linnaeusstraat 35F, 1093 EE Amsterdam",
        "06-41527390",
        "Office hours Tue and Thu 10:00–12:00",
        "Neighbours swap hours: an hour given is an hour to spend, whatever the job. Marieke "
        "matches people and likes to meet new members at home first. Covers Noord too.",
        (),
    ),
    (
        "church",
        "",
        "Protestantse Kerk De Ark",
        "community",
        "Kramatweg 22, 1095 JX Amsterdam",
        "020-6657302",
        "Service Sunday 10:00, coffee afterwards",
        "The deacons run a rota of Sunday lifts and visit older members at home. Ask for "
        "Jan Willem.",
        (),
    ),
    (
        "library",
        "",
        "Leesgroep Bibliotheek Linnaeus",
        "community",
        "Linnaeusstraat 35, 1093 EE Amsterdam",
        "020-6685411",
        "Every other Wednesday 14:00–15:30",
        "One book a month, with large-print and audio copies for whoever needs them. Fenna "
        "at the desk welcomes newcomers.",
        (),
    ),
    (
        "walking",
        "oost",
        "Wandelgroep Flevopark",
        "community",
        "Entrance Flevopark, Kramatweg 60, Amsterdam",
        "06-28410957",
        "Tuesday and Friday 10:00, an hour at an easy pace",
        "Volunteers walk with the physio's falls-prevention group. Rollators welcome; someone "
        "always walks at the back. Coffee afterwards at the park café.",
        (),
    ),
    (
        "mosque",
        "",
        "Moskee Al-Hidaya",
        "community",
        "Pretoriusstraat 58, 1092 GH Amsterdam",
        "020-6926481",
        "Daily prayers; women's group Thursday 13:00",
        "The women's group visits older members at home. Mrs Zaoui coordinates; call her in "
        "the evening.",
        (),
    ),
    (
        "food_bank",
        "",
        "Voedselbank uitgiftepunt Oost",
        "welfare",
        "Molukkenstraat 200, 1095 BE Amsterdam",
        "020-6923380",
        "Pick-up Thursday 13:00–15:00",
        "Needs a referral through Buurtteam Oost. Volunteers deliver to people who can't come "
        "themselves.",
        (),
    ),
    (
        "buurtteam",
        "",
        "Buurtteam Oost",
        "welfare",
        "Eerste van Swindenstraat 9, 1093 GA Amsterdam",
        "020-2551900",
        "Mon–Fri 9:00–17:00",
        "Social workers for money worries, housing and loneliness. They come along to a first "
        "visit if we ask.",
        ("Femke, social worker", "Youssef, social worker"),
    ),
    (
        "physio",
        "",
        "Fysiotherapie Middenweg",
        "health",
        "Middenweg 71, 1098 AD Amsterdam",
        "020-6658023",
        "Mon–Fri 8:00–20:00",
        "Home visits possible. Koen and Yara run the falls-prevention class on Monday mornings.",
        ("Koen, physio", "Yara, physio"),
    ),
    (
        "choir",
        "",
        "Koor Oosterstemmen",
        "community",
        "Rehearsals at Buurthuis De Dapper, Wagenaarstraat 14",
        "06-51873320",
        "Monday 19:30–21:30",
        "Mixed choir, mostly over sixty, no audition. They sing in the care homes at Christmas "
        "and arrange lifts between members.",
        (),
    ),
]
ZUID_RESOURCES = [
    (
        "gp",
        "",
        "Huisartsenpraktijk Rivierenbuurt",
        "gp",
        "Rijnstraat 114, 1079 HC Amsterdam",
        "020-6442318",
        "Mon–Fri 8:00–17:00",
        "Dr. Weiss and Dr. Aydın. Anything that isn't urgent goes through the secure "
        "messages; they answer within a day.",
        ("Dr. Weiss", "Dr. Aydın"),
    ),
    (
        "pharmacy",
        "",
        "Apotheek Scheldeplein",
        "pharmacy",
        "Scheldestraat 70, 1078 GN Amsterdam",
        "020-6624917",
        "Mon–Fri 8:30–17:30, Sat 10:00–12:00",
        "Medicine rolls, and home delivery on Wednesdays.",
        (),
    ),
    (
        "centre",
        "",
        "Buurtkamer Maasstraat",
        "community",
        "Maasstraat 35, 1078 HD Amsterdam",
        "020-6710342",
        "Tue and Fri 10:00–12:30",
        "Coffee, newspapers and a hot lunch on Fridays. Volunteers fetch people who ask.",
        (),
    ),
    (
        "time_bank",
        "",
        "Tijdbank Zuid",
        "time_bank",
        "Van Woustraat 120, 1073 LT Amsterdam",
        "06-30917245",
        "Wednesday 13:00–15:00",
        "Small but keen; good for lifts and odd jobs. Ask for Joop.",
        (),
    ),
    (
        "walking",
        "",
        "Wandelclub Beatrixpark",
        "community",
        "Entrance Beatrixpark, Diepenbrockstraat, Amsterdam",
        "06-19284736",
        "Thursday 10:30, forty-five minutes",
        "A slow walkers' group; they wait for everyone at every bench.",
        (),
    ),
    (
        "buurtteam",
        "",
        "Buurtteam Zuid",
        "welfare",
        "Ceintuurbaan 251, 1074 CZ Amsterdam",
        "020-2552400",
        "Mon–Fri 9:00–17:00",
        "Social work for money, housing and loneliness. Drop-in on Tuesday mornings.",
        ("Sjoerd, social worker",),
    ),
]

# Where each neighbourhood's places are, for texts that name them.
AREA_WORDS = {
    "oost": {"area": "Oost", "market": "the Dappermarkt", "park": "the Flevopark"},
    "noord": {
        "area": "Noord",
        "market": "the market on Van der Pekstraat",
        "park": "the Vliegenbos",
    },
    "zuid": {"area": "Zuid", "market": "the Albert Cuyp market", "park": "the Beatrixpark"},
}

# Who the demo people are beyond a name; anyone not listed grew up in the Netherlands.
BACKGROUNDS = {
    "Fatma Özdemir": "tr",
    "Ahmet Kaya": "tr",
    "Zeynep Arslan": "tr",
    "Mohamed Bennani": "ma",
    "Khadija Tahiri": "ma",
    "Abdelkader Ouali": "ma",
    "Ramdew Sewnarain": "hi",
    "Lucia Martina": "cw",
    "Suzanna Wijnhard": "sr",
    "Rosa Pinas": "sr",
    "Yvonne Tjon-A-Fat": "sr",
    "Siti Soemadi": "jv",
    "Maria dos Santos": "cv",
    "Manuel Fernandes": "pt",
    "Kofi Asante": "gh",
    "Eva Lindqvist": "se",
    "Tomasz Nowak": "pl",
    "Jozef Kowalski": "pl",
    "Albert Cohen": "nl-jewish",
}
ORIGINS = {
    "tr": "Turkey",
    "ma": "Morocco",
    "hi": "Suriname",
    "sr": "Suriname",
    "jv": "Suriname",
    "cw": "Curaçao",
    "cv": "Cape Verde",
    "pt": "Portugal",
    "gh": "Ghana",
    "se": "Sweden",
    "pl": "Poland",
}
FAITHS = {
    "tr": "muslim",
    "ma": "muslim",
    "jv": "muslim",
    "hi": "hindu",
    "sr": "christian",
    "cw": "christian",
    "cv": "christian",
    "pt": "christian",
    "gh": "christian",
    "pl": "christian",
    "nl-jewish": "jewish",
}
FAITH_WORDS = {
    "christian": {"faith_place": "church", "faith_day": "Sundays", "feast": "Christmas"},
    "muslim": {"faith_place": "the mosque", "faith_day": "Fridays", "feast": "Eid"},
    "hindu": {"faith_place": "the mandir", "faith_day": "Sundays", "feast": "Divali"},
    "jewish": {"faith_place": "the synagogue", "faith_day": "Saturdays", "feast": "Pesach"},
}
# First names for family and friends, by background: adults, then children.
FAMILY_NAMES = {
    "nl": (
        ["Ellen", "Marian", "Petra", "Monique", "Karin", "Anja", "Esther", "Wilma", "Linda"]
        + ["Jolanda", "Marjolein", "Carla", "Annemiek", "Hester", "Tineke"],
        ["Peter", "Hans", "Rob", "Marcel", "Erik", "Frank", "Arjan", "Gert", "Ruud"]
        + ["Richard", "Ron", "Jeroen", "Michiel", "Bert", "Martijn"],
        ["Emma", "Julia", "Lieke", "Fleur", "Noa", "Sophie", "Isa", "Tess", "Femke"],
        ["Bram", "Thijs", "Sem", "Milan", "Jesse", "Luuk", "Finn", "Lars", "Stijn"],
    ),
    "tr": (
        ["Ayşe", "Elif", "Esra", "Hatice", "Derya", "Gül", "Sevgi"],
        ["Mustafa", "Ali", "Murat", "Hasan", "Emre", "Serkan", "Hakan"],
        ["Defne", "Eylül", "Azra", "Ecrin", "Melek"],
        ["Yusuf", "Emir", "Kerem", "Mert", "Ömer"],
    ),
    "ma": (
        ["Nadia", "Latifa", "Houda", "Karima", "Naima", "Hanan", "Loubna"],
        ["Youssef", "Karim", "Hamid", "Rachid", "Said", "Bilal", "Mourad"],
        ["Amira", "Yasmina", "Lina", "Sara", "Nora"],
        ["Adam", "Rayan", "Ilias", "Zakaria", "Ayoub"],
    ),
    "sr": (
        ["Sharon", "Jennifer", "Glenda", "Marcia", "Ivette", "Natasha", "Iris"],
        ["Roy", "Edgar", "Ricardo", "Marvin", "Clyde", "Orlando", "Humphrey"],
        ["Shanaya", "Naomi", "Kimberley", "Jade", "Destiny"],
        ["Jayden", "Quincy", "Dylan", "Jordi", "Kenzo"],
    ),
    "hi": (
        ["Anita", "Sita", "Reshma", "Kavita", "Shanti", "Usha"],
        ["Rakesh", "Sunil", "Ravi", "Anand", "Dinesh", "Vikash"],
        ["Nisha", "Shreya", "Anjali", "Rani"],
        ["Arjun", "Sanjay", "Rohan", "Dev"],
    ),
    "jv": (
        ["Sri", "Wati", "Sarmi", "Ratna", "Yanti"],
        ["Joko", "Slamet", "Budi", "Harjo", "Rudi"],
        ["Dewi", "Putri", "Indah", "Sheila"],
        ["Rizky", "Adi", "Dimas", "Kevin"],
    ),
    "cw": (
        ["Giselle", "Maritza", "Jacqueline", "Ingrid", "Solange"],
        ["Eduard", "Gilbert", "Ronald", "Errol", "Norbert"],
        ["Chayenne", "Shaïra", "Kiara", "Jaïra"],
        ["Jurgen", "Shurendy", "Dariel", "Jaydon"],
    ),
    "cv": (
        ["Fernanda", "Isabel", "Filomena", "Adelina", "Rosária"],
        ["João", "Pedro", "Nelson", "Carlos", "Domingos"],
        ["Inês", "Beatriz", "Lara", "Mariana"],
        ["Tiago", "Rafael", "Diogo", "Nuno"],
    ),
    "pt": (
        ["Ana", "Fernanda", "Isabel", "Carla", "Filomena"],
        ["João", "Pedro", "Paulo", "Nuno", "Carlos"],
        ["Inês", "Beatriz", "Lara", "Mariana"],
        ["Tiago", "Rafael", "Diogo", "Gonçalo"],
    ),
    "gh": (
        ["Ama", "Akosua", "Efua", "Abena", "Adwoa"],
        ["Kwabena", "Yaw", "Kojo", "Kwasi", "Fiifi"],
        ["Esi", "Adjoa", "Serwa", "Akua"],
        ["Kweku", "Ekow", "Kobby", "Nii"],
    ),
    "se": (
        ["Karin", "Sofia", "Marit", "Astrid"],
        ["Lars", "Erik", "Anders", "Johan"],
        ["Ella", "Saga", "Maja"],
        ["Oskar", "Nils", "Viktor"],
    ),
    "pl": (
        ["Agnieszka", "Magda", "Kasia", "Ewa"],
        ["Piotr", "Marek", "Paweł", "Tomek"],
        ["Zuzia", "Ola", "Hania", "Lena"],
        ["Kuba", "Antek", "Szymon", "Filip"],
    ),
}
FAMILY_NAMES["nl-jewish"] = (
    ["Judith", "Miriam", "Esther", "Ruth", "Naomi"],
    ["David", "Simon", "Jaap", "Benno", "Max"],
    ["Sarah", "Hannah", "Lea", "Noa"],
    ["Daniel", "Jonah", "Levi", "Ruben"],
)
SURNAMES = {
    "nl": ["Veenstra", "de Haan", "Bosman", "Verhoef", "Kuiper", "Hoogendoorn", "van Vliet"]
    + ["Schipper", "Brinkman", "Evers", "Roos", "Wolff"],
    "tr": ["Demir", "Şahin", "Çelik", "Aydın", "Yıldız", "Koç"],
    "ma": ["Benali", "Azzouzi", "Chaouch", "El Khatib", "Haddou"],
    "sr": ["Kross", "Doelwijt", "Sedney", "Vrede", "Emanuels"],
    "hi": ["Ramdin", "Jagessar", "Baldewsingh", "Mahabier"],
    "jv": ["Karijo", "Wongsodikromo", "Sastro", "Kartosen"],
    "cw": ["Statia", "Koeiman", "Rosaria", "Isenia"],
    "cv": ["Lopes", "Tavares", "Semedo", "Monteiro"],
    "pt": ["Lopes", "Tavares", "Ferreira", "Monteiro"],
    "gh": ["Owusu", "Boateng", "Darko", "Osei"],
}
NEIGHBOURS = [
    "Joke",
    "Mustafa",
    "Ria",
    "Hanna",
    "Gerard",
    "Said",
    "Marga",
    "Dennis",
    "Ayla",
    "Truus",
    "Stefan",
    "Fatiha",
    "Jopie",
    "Wouter",
    "Gonny",
    "Nadia",
    "Ton",
    "Mirjam",
    "the Yıldız family",
    "Henny",
    "Olga",
]
NEIGHBOUR_PLACES = [
    "next door",
    "downstairs",
    "upstairs",
    "across the street",
    "across the landing",
    "two doors down",
    "on the ground floor",
]
PETS = [
    ("cat", "Poes"),
    ("cat", "Minoes"),
    ("dog", "Bobby"),
    ("budgie", "Pietje"),
    ("dog", "Sammy"),
]

ABOUT_POOLS = {
    "matters": [
        "My own home. I've lived on {street} for {years} years and I'm not leaving.",
        ("old", "{child_cap}, and my independence. I don't want to be a burden to anyone."),
        "That I can still decide things for myself, even if it takes me longer.",
        "My faith, and going to {faith_place} on {faith_day}.",
        "Keeping the flat the way {late_name} and I made it.",
        "{pet_cap}. Company, and a reason to get up in the morning.",
        "Being useful. I've worked all my life and sitting still doesn't suit me.",
        "Having people around. The evenings on my own are long.",
        "My coffee in the morning and my chair by the window, where I can see the street.",
        "That my family doesn't have to worry about me.",
        "Looking nice. I want to be washed and dressed before anyone sees me.",
        "My neighbours. We've looked out for each other for years.",
        "Getting outside, even if it's only to the bench on the corner.",
        "Cooking my own food, the way my mother taught me.",
        "Phoning {sibling} on Sundays. We're the only two left.",
        "Doing things myself. I'd rather do it slowly than have it done for me.",
        "Staying in {area}. Everything I know is here.",
        ("young", "{kids_cap}. I want to be there for them, not the other way round."),
        ("young m", "Getting back to normal: work, football on Saturdays, a beer with my mates."),
        "My garden and {grandchildren}. I want to stay in my own home.",
        "{partner_cap}. We look after each other, and we want to keep it that way.",
    ],
    "good_day": [
        "I wake up without pain, have breakfast by the window and get out before lunch.",
        "Somebody drops by for coffee without me having to ask.",
        "{grandchildren_cap} come over and the flat is full of noise.",
        "I've done my own shopping and cooked something proper.",
        "A walk to {market}, a chat with the stallholders, and home for a sleep.",
        "The sun is out and I can sit on the balcony with the newspaper.",
        "Everything goes at my pace. Nobody rushes me.",
        "I've been to {faith_place}, seen my friends, and there's soup on the stove.",
        "A phone call from family, a bit of television, and an early night.",
        "I feel useful: I've helped someone, even if it's only with a bit of advice.",
        "I've been out, I've seen people, and I'm tired in the good way.",
        "{child_name} comes for dinner and we talk about the old days.",
        ("young", "I take the kids to school, do a few hours of work and still have energy left."),
        ("young", "I get through the day without lying down, and see a friend in the evening."),
        "{partner_name} and I have breakfast together and do the crossword.",
        ("old", "Coffee at ten, a walk round the block, the news at six. Nothing special."),
    ],
    "appreciated": [
        "I'm honest. I tell people what I think, but kindly.",
        "I always have time for a chat. People tell me their worries.",
        "My cooking. Nobody leaves my house hungry.",
        "That I remember everyone's birthday.",
        "I make people laugh, even when things are bad.",
        "I'm reliable. If I say I'll do something, I do it.",
        "I know everyone in the street and what's going on.",
        "I don't complain. I just get on with it.",
        "The children in the building come to me when they've locked themselves out.",
        "I listen. People say I'm easy to talk to.",
        "I'm handy. Half the building has borrowed my drill.",
        ("nl f old", "My apple cake. The neighbours' kids call me Oma Taart."),
        "I'm good with money. The family still asks me before they buy anything big.",
    ],
    "support": [
        "Tell me what you're going to do before you do it.",
        "Give me time in the morning. I'm slow to get going, but I want to do it myself.",
        "Speak clearly and look at me; my hearing is not what it was.",
        "Don't rush me. And please wipe your feet at the door.",
        "Ask me, not my children. I can still decide for myself.",
        "Come at the same time every day; I plan my day around it.",
        "A bit of chat helps. I don't see many people.",
        "Let me do as much as I can myself, even if it's slower.",
        "Ring twice and wait. It takes me a while to get to the door.",
        "Write things down for me. I forget what was said once you've gone.",
        ("muslim f", "I'd rather have a woman for the shower. Otherwise anyone is welcome."),
        "Don't move things in the kitchen. I know where everything is.",
        "If I'm quiet, ask me twice. I don't like to complain.",
        "Explain the medicines properly. I want to know what I'm taking.",
        ("young", "Treat me like a grown-up, not a patient. I'll ask when I need help."),
    ],
    "hopes": [
        "To stay in my own home for as long as I can.",
        "To see {grandchildren} grow up a bit more.",
        "To get my strength back and go out on my own again.",
        "To go back to {origin} once more and see where I grew up.",
        "To walk without the rollator by the summer.",
        "To find a few people to have coffee with, so the week has some shape.",
        "That things stay as they are now. This is good.",
        ("young", "To work again, even if it's only part-time."),
        ("young", "To take {kids} on holiday this summer."),
        "To learn the tablet so I can see the family on video.",
        "To keep going to {faith_place} for as long as my legs let me.",
        ("old", "To make it to my {next_birthday} birthday, with everyone there."),
    ],
}
# Early versions: what the person said at the first visits, before there was time to talk.
ABOUT_FIRST = {
    "matters": [
        "Staying at home.",
        "My family.",
        ("wound", "That the leg heals."),
        "Not going back into hospital.",
        "Getting back on my feet.",
        ("insulin", "Getting the sugar right, then we'll see."),
        "Getting through the day.",
        "{pet_cap}.",
        "To be left in peace, mostly.",
    ],
    "good_day": [
        "When I've slept and the pain is less.",
        "A day without falling.",
        "When someone comes by.",
        "Not much. I'm too tired for much at the moment.",
        "When nothing goes wrong.",
    ],
    "appreciated": [
        "I don't know. You'd have to ask {my_child}.",
        "That I'm no trouble.",
        "I'm not sure. Ask the neighbours.",
        "I used to be a good cook.",
    ],
    "support": [
        "Just do what needs doing. I'll tell you if I don't like it.",
        "Come at the same time every day.",
        "Don't fuss.",
        "Be on time, that's all.",
        "Help me with the stockings; I can do the rest.",
        "Tell me what the doctor said, in normal words.",
    ],
    "hopes": [
        "That I get better.",
        "To manage on my own again.",
        "I don't know yet. One day at a time.",
        "To get out of this chair.",
        "To be back to how I was before the fall.",
        "Not to go back into hospital.",
    ],
}
# What a son or daughter said, often at the start when the person was too unwell to talk.
ABOUT_FAMILY = {
    "matters": [
        "{Mum} has always said {they} would rather die in {their} own bed than go into a home. "
        "The house is everything.",
        "For {Mum} it's the family. Sunday dinner with all of us is sacred.",
        "{Mum} wants to keep doing things {self}. That matters more to {them} than anything.",
        "{Their} independence. {They} brought us up on {their} own and never asked for help.",
    ],
    "good_day": [
        "A good day for {Mum} is when someone comes for coffee without {them} having to ask.",
        "When {Mum} has been outside. Even ten minutes changes {their} whole mood.",
        "When {they} has had a good night and the radio is on. You can hear {them} singing.",
        "Visitors, but not too many. Two is company; five wears {them} out.",
    ],
    "appreciated": [
        ("grandkids", "{Mum} never forgets a birthday. Every grandchild still gets a card."),
        "{Mum} makes everyone laugh, even the doctor.",
        "{They} is the one the whole street comes to for advice.",
        "{Mum} is kind to everyone. The postman gets coffee every morning.",
    ],
    "support": [
        "Don't rush {them} in the morning. {They} is slow to start but wants to do it {self}.",
        "Speak clearly and face {them}; {their} hearing is worse than {they} admits.",
        "{Mum} doesn't like to complain, so ask twice.",
        "Talk to {them}, not to us. {They} hates being talked over.",
    ],
    "hopes": [
        "We hope {Mum} can stay at home, with us popping in, for as long as it's safe.",
        "That {Mum} gets some of {their} old confidence back.",
        "That {they} enjoys the time {they} has, and isn't lonely.",
    ],
}

STRENGTH_POOLS = {
    "personal": [
        "stubborn in a good way",
        "a sense of humour that gets {them} through the hard days",
        "says what {they} thinks, kindly",
        "patient, and a very good listener",
        "curious: always asks about our own families",
        "keeps going, whatever happens",
        "calm when things go wrong",
        "proud of looking after {self}",
        "cheerful first thing in the morning",
        "knows exactly what {they} wants",
        "willing to try something new",
        "remembers everyone's name and birthday",
        "takes things one day at a time",
        "{their} faith gives {them} strength",
        ("old", "has lived through a lot and is not easily shaken"),
        "likes order: everything has its place, so nothing gets lost",
        "generous: nobody leaves without a biscuit",
        "brave: went straight back out after the fall",
        "good at asking for help when {they} needs it",
        "keeps {their} word",
        "interested in other people",
        ("old", "wise; people come to {them} for advice"),
        "still laughs at {their} own mistakes",
        "independent-minded",
    ],
    "skills": [
        ("!goal:cooking", "still cooks {their} own meals"),
        "good with money; keeps every receipt",
        "reads the newspaper front to back every day",
        "does the crossword in pen",
        "can fix almost anything around the house",
        "writes letters by hand to old friends",
        "speaks three languages",
        "keeps {their} own diary of appointments",
        "uses a smartphone for messages and photos",
        "knows {their} medicines by name and what each one is for",
        "bakes the best apple cake in the building",
        "plays the piano by ear",
        "handy with a sewing machine",
        "good at jigsaws and puzzles",
        "a wonderful storyteller",
        "a sharp memory for dates and names",
        "paints watercolours",
        "plays the accordion",
    ],
    "home": [
        "lives on the ground floor; no stairs to the front door",
        "a lift in the building",
        "grab rails and a shower stool already in place",
        "a sunny balcony",
        "a spare key with a neighbour",
        "a mobility scooter {they} likes to use",
        "a tidy home where everything is within reach",
        "an alarm button, and knows how to use it",
        "a big kitchen table where the family gathers",
        "five minutes from the tram stop",
        "{pet} gets {them} up in the morning",
        "a rollator {they} actually uses",
        "a bathroom on the same floor as the bedroom",
        "an easy chair with a view of the street",
        "a warm, light flat",
        "good locks and a peephole; feels safe at home",
        "a freezer full of home-cooked meals",
    ],
    "relationships": [
        ("old", "close to {child_name}, who phones every evening"),
        ("old", "married to {partner_name} for over fifty years"),
        ("young", "{partner_name} is behind {them} all the way"),
        "{sibling_name} lives nearby and drops in",
        "old friends from work who still ring",
        "{neighbour} looks in every day",
        "gets on with everyone in the building",
        "{child_name} and {they} can talk about anything",
        ("old", "{friend_name} has been {their} friend for forty years"),
        ("old child", "a big family who take turns to visit"),
        "the neighbours' children drop in after school",
        "phones {sibling_name} every week",
        "a former colleague who still comes for coffee",
    ],
    "community": [
        "knows everyone on the street",
        ("old", "a regular at {market} for decades"),
        "belongs to {faith_place}, and the people there look out for {them}",
        "the baker keeps a loaf aside for {them}",
        ("old", "volunteered at the primary school for twenty years"),
        "well known at the shops on the corner",
        ("old", "has lived in {area} for over forty years"),
        "goes to {market} every Saturday",
        "helps out at the community lunch",
        "a regular at the café on the corner",
        "the shopkeepers know {them} by name",
    ],
}

# Interests and ways of life that run through a person's record, from "about me"
# to what they can give. `groups` are (role of a local resource, what they do,
# what they could do, how often); goals are dicts, see _Records.goal.
THEMES = {
    "garden": {
        "matters": [
            "My plants. Every morning I check what has come up on the balcony.",
            "My allotment. I've grown beans and dahlias there for thirty years.",
        ],
        "good_day": ["Sun on the balcony, my hands in the pots and the radio on."],
        "appreciated": ["I always have cuttings to give away. Half the street has my geraniums."],
        "hopes": ["To have tomatoes on the balcony again by July."],
        "strengths": [
            ("skills", "green fingers: grows tomatoes and herbs on the balcony", "!goal:garden"),
            ("skills", "has kept an allotment for thirty years"),
        ],
        "goals": [
            {
                "words": "I want to grow my own tomatoes on the balcony again",
                "why": "It's something that's mine. And they taste better than the shop's.",
                "help": ["someone to carry the bags of compost up"],
                "steps": [
                    ("Sow the seeds in pots on the windowsill", "person"),
                    ("Bring up compost and two big pots", "network", "child grandchild neighbour"),
                    ("Find a chair that makes it easy to work at the pots", "member"),
                ],
                "keys": ("balcony", "plants", "garden"),
                "achieved": "The first tomatoes were ripe in July. {n} gave the neighbours "
                "a bowl each.",
            },
            {
                "words": "I want to keep my allotment going one more summer",
                "why": "I've had it since the children were small. It's where I think.",
                "steps": [
                    ("Ask the allotment club about a raised bed near the gate", "member"),
                    ("Go on Sundays with {helper}", "network", "child friend"),
                ],
                "keys": ("allotment",),
                "let_go": "{n} decided the allotment is too much now. A neighbour from the club "
                "took it over, and {they} goes to sit there on Sundays.",
            },
            {
                "words": "I want to plant bulbs in the window boxes with {gk_name}",
                "why": "My grandmother did it with me. Now it's my turn.",
                "steps": [
                    ("Buy the bulbs at the market", "network", "child grandchild"),
                    ("Plant them together on a Wednesday afternoon", "network", "grandchild"),
                ],
                "keys": ("plants", "balcony", "granddaughter", "grandson"),
                "achieved": "They planted forty bulbs. {n} sends a photo every time one flowers.",
            },
        ],
        "offers": [
            ("Cuttings and advice for anyone starting a balcony garden", "spring and summer"),
            ("Water a neighbour's plants during the holidays", "any time"),
        ],
        "groups": [],
    },
    "cooking": {
        "matters": [
            "Having something on the stove. A house should smell of food.",
        ],
        "good_day": ["A full table. I cook, they eat, and nobody is allowed to help."],
        "appreciated": ["My soup. People ring to ask if there's any left."],
        "hopes": ["To cook for the whole family at {feast} again."],
        "strengths": [
            ("skills", "a wonderful cook; feeds half the building", "!goal:cooking"),
            ("skills", "knows all {their} mother's recipes by heart"),
        ],
        "goals": [
            {
                "words": "I want to cook for {grandchildren} at {feast}",
                "why": "That's what I do. They come for my food, and I want them to keep coming.",
                "help": ["someone to go to the shops with the week before"],
                "steps": [
                    ("Choose the menu: two dishes, not five", "person"),
                    ("Do the big shopping together", "network", "child grandchild"),
                    ("Practise standing at the stove in short turns, with a stool", "member"),
                    ("Cook the day before and rest on the day", "person"),
                ],
                "keys": ("cook", "soup", "kitchen", "stove"),
                "achieved": "{n} cooked for eleven people. {They} sat down between dishes, "
                "as planned, and says it was the best {feast} in years.",
            },
            {
                "words": "I want to make my own dinner again, at least three days a week",
                "why": "The meals that are delivered all taste the same. I want to choose.",
                "help": ["someone to go to the shops with"],
                "steps": [
                    (
                        "Cook on Monday, Wednesday and Friday; meals delivered the other days",
                        "person",
                    ),
                    ("Put the pans I use most at waist height", "member"),
                    ("Go to the supermarket together on Saturdays", "network", "child neighbour"),
                ],
                "keys": ("cook", "breakfast", "soup"),
                "achieved": "{n} cooks four days a week now and stopped the delivered meals.",
            },
            {
                "words": "I want to bake for my neighbours again",
                "why": "They do so much for me. A cake is how I say thank you.",
                "steps": [
                    ("Bake sitting down, with everything on the table first", "person"),
                    ("Check the oven is easy to reach; maybe a tabletop oven", "member"),
                ],
                "keys": ("cake", "neighbour", "bake"),
                "achieved": "{n} baked an apple cake for the whole landing. There was none "
                "left by the evening.",
            },
        ],
        "offers": [
            ("Cook an extra portion for a neighbour who lives alone", "most days"),
            ("Bake a cake for the Wednesday lunch", "once a month"),
            ("Teach someone to cook {cuisine} food", "afternoons"),
        ],
        "groups": [("centre", "Wednesday lunch; {they} helps in the kitchen", "", "weekly")],
    },
    "singing": {
        "matters": ["Music. I sing while I do the dishes, and I've sung in a choir all my life."],
        "good_day": ["Monday: choir in the evening. I hum all the next day."],
        "appreciated": ["My voice, people say. I sang at half the weddings in the family."],
        "hopes": ["To sing with the choir at Christmas in the care homes."],
        "strengths": [
            ("skills", "a lovely voice; knows all the old songs by heart"),
            ("community", "sang in the choir for over thirty years"),
        ],
        "goals": [
            {
                "words": "I want to sing with the choir again",
                "why": "It's the one evening a week that's mine. And I miss the people.",
                "help": ["a lift to choir on Monday evenings", "someone to go with in the dark"],
                "steps": [
                    ("Ring the choir and ask if I can come back", "person"),
                    ("Ask the choir about a lift from another member", "member"),
                    ("First rehearsal, sitting down", "person"),
                ],
                "keys": ("choir", "sing"),
                "achieved": "Back at choir; another member picks {them} up on Mondays. "
                "{They} sings sitting down and doesn't mind.",
            },
            {
                "words": "I want to go to a concert at the Concertgebouw again",
                "why": "Music sounds different in a hall. I've had a season ticket for years.",
                "help": ["someone to go with to a concert"],
                "steps": [
                    ("Ask about seats near the exit and the lift", "network", "child friend"),
                    ("Book a taxi with the regional transport service", "member"),
                ],
                "keys": ("concert", "music"),
                "achieved": "{n} went to the Sunday morning concert with a friend and came "
                "home singing.",
            },
        ],
        "offers": [("Sing with people at the Wednesday lunch", "Wednesdays")],
        "groups": [("choir", "Choir on Monday evenings", "Could arrange a lift", "weekly")],
    },
    "walking": {
        "matters": ["Getting outside. If I stay in, I seize up, body and mind."],
        "good_day": [
            "Out to {park} in the morning, and the ducks, and back for coffee.",
        ],
        "appreciated": ["I know every shortcut in {area}."],
        "hopes": ["To walk round {park} in one go."],
        "strengths": [
            ("personal", "keeps going: walks a bit further every week"),
            ("community", "walks to {market} every week, rain or shine", "!goal:walking"),
        ],
        "goals": [
            {
                "words": "I want to walk to {market} on Saturdays again",
                "why": "I've done my shopping there for years. The stallholders know me and "
                "I miss the chat.",
                "help": ["someone to walk with", "someone to walk with on Saturday mornings"],
                "steps": [
                    ("Walk to the end of the street and back every day", "person"),
                    ("Try the route with the rollator, with one of us", "member"),
                    (
                        "Walk there with {helper} and take the bus back",
                        "network",
                        "child friend neighbour",
                    ),
                ],
                "keys": ("walk", "market", "bench", "rollator"),
                "achieved": "{n} walked to the market on three Saturdays in a row. "
                "{They} takes the bus back and has coffee on the way.",
            },
            {
                "words": "I want to join the walking group in {park}",
                "why": "My legs need it and I want to meet people who aren't ill.",
                "help": ["someone to walk with the first few times"],
                "steps": [
                    ("Ask the physio if the group is right for me", "member"),
                    ("Walk round the block three times a week", "person"),
                    ("Go along the first time with {helper}", "network", "friend neighbour child"),
                ],
                "keys": ("walking group", "walk", "physio", "park"),
                "achieved": "{n} goes to the walking group twice a week and walks at the "
                "front now.",
            },
            {
                "words": "I want to walk to the shops on my own again",
                "why": "I hate having to ask for every pint of milk.",
                "steps": [
                    ("Walk to the corner and back twice a day", "person"),
                    ("Practise the crossing at the traffic lights with one of us", "member"),
                    (
                        "First trip alone; ring {helper} when home",
                        "network",
                        "child neighbour friend",
                    ),
                ],
                "keys": ("corner shop", "shop", "walk"),
                "achieved": "{n} does {their} own shopping again, with the rollator, on "
                "weekday mornings when it's quiet.",
            },
        ],
        "offers": [
            ("A walk and a chat with someone who'd like company", "weekday mornings"),
            ("Walk a neighbour's dog", "mornings"),
        ],
        "groups": [("walking", "Walks with the group on Tuesdays", "", "weekly")],
    },
    "church": {
        "needs": "christian",
        "matters": ["My faith, and the people at church. They are my second family."],
        "good_day": ["Sunday: church, coffee afterwards, and someone to eat with."],
        "appreciated": ["I pray for people, and I tell them so."],
        "hopes": ["To keep going to church for as long as my legs let me."],
        "strengths": [
            ("community", "belongs to the church, and the people there look out for {them}"),
        ],
        "goals": [
            {
                "words": "I want to go to church on Sundays again",
                "why": "It's where my friends are. Watching it online is not the same.",
                "help": ["a lift to church on Sundays"],
                "steps": [
                    ("Ask the deacons about the Sunday lift rota", "member"),
                    ("Be washed and dressed by half past nine on Sundays", "person"),
                    ("Go together the first time", "network", "friend child"),
                ],
                "keys": ("church",),
                "achieved": "One of the deacons picks {n} up every Sunday now.",
            },
            {
                "words": "I want to help with the coffee after the service again",
                "why": "I did it for twenty years. People came to my table for a chat.",
                "steps": [
                    ("Ask the deacons if I can do it sitting down", "person"),
                    ("Go with {helper} the first time", "network", "friend child"),
                ],
                "keys": ("church",),
                "achieved": "{n} serves the coffee once a month, sitting down, and loves it.",
            },
        ],
        "offers": [
            ("Visit someone who can't get out any more", "after church on Sundays"),
            ("A lift to church on Sundays", "Sunday mornings"),
        ],
        "groups": [
            ("church", "Church on Sundays; the deacons visit", "Could arrange a lift", "weekly")
        ],
    },
    "mosque": {
        "needs": "muslim",
        "matters": ["My faith and my family. Praying on time gives my day its shape."],
        "good_day": ["Friday: prayers, then the whole family comes to eat."],
        "appreciated": ["I make people welcome. There's always tea, and more food than needed."],
        "hopes": ["To keep fasting in Ramadan if the doctor agrees."],
        "strengths": [
            ("community", "the women's group at the mosque visits every week", "f"),
            ("community", "a regular at Friday prayers for forty years", "m old !goal:mosque"),
        ],
        "goals": [
            {
                "needs": "m",
                "words": "I want to go to Friday prayers at the mosque again",
                "why": "I've gone every Friday since I came to Amsterdam. My friends are there.",
                "help": ["someone to walk with to the mosque on Fridays"],
                "steps": [
                    ("Walk to the corner and back every day", "person"),
                    ("Go together on Fridays", "network", "child friend"),
                    ("Ask the mosque about a chair for prayers", "network", "child"),
                ],
                "keys": ("mosque", "walk"),
                "achieved": "{n} goes on Fridays with family, and sits on a chair for prayers.",
            },
            {
                "needs": "f",
                "words": "I want to go to the women's group at the mosque again",
                "why": "I miss my friends there. At home I only see the walls.",
                "help": ["someone to go with on Thursdays"],
                "steps": [
                    ("Ring Mrs Zaoui about Thursdays", "member"),
                    ("Go together the first time", "network", "child friend"),
                ],
                "keys": ("mosque", "women's group"),
                "achieved": "Back at the women's group on Thursdays; a friend fetches {them}.",
            },
            {
                "words": "I want to fast in Ramadan without my sugar going wrong",
                "why": "Fasting is part of who I am. I want to do it safely.",
                "needs": "insulin",
                "steps": [
                    ("Talk to the GP about the insulin during the fast", "network", "gp"),
                    ("Measure before breaking the fast and write it down", "person"),
                    ("Check the plan together every week", "member"),
                ],
                "keys": ("sugar", "dose", "GP"),
                "achieved": "{n} fasted most days, with a new dose agreed with the GP. "
                "Sugar stayed steady.",
            },
        ],
        "offers": [
            ("Teach a few words of {language} to anyone who wants to learn", "afternoons"),
            ("Cook for a neighbour after a hospital stay", "when needed"),
        ],
        "groups": [("mosque", "The mosque; the women's group visits at home", "", "weekly")],
    },
    "needlework": {
        "needs": "f",
        "matters": ["My hands. As long as I can knit, I'm all right."],
        "good_day": ["Knitting by the window with the radio on, and someone to show it to."],
        "appreciated": ["Everyone in the family has a jumper I made."],
        "hopes": ["To finish the blanket for the new baby before it arrives."],
        "strengths": [
            ("skills", "knits for the whole family"),
            ("skills", "sews and mends everything"),
            ("skills", "crochets beautifully; everyone in the family has a blanket"),
        ],
        "goals": [
            {
                "words": "I want to finish the blanket for my great-grandchild before it is born",
                "why": "Every baby in this family has had a blanket from me. This one too.",
                "steps": [
                    ("Knit for half an hour after lunch, with the good lamp", "person"),
                    ("Get the softer wool from the market", "network", "child grandchild"),
                    ("Ask the occupational therapist about thicker needles", "member"),
                ],
                "keys": ("crochet", "knit"),
                "achieved": "The blanket was finished two weeks before the baby came. "
                "{n} showed us the photo.",
            },
            {
                "needs": "granddaughter",
                "words": "I want to teach {gk_name} to knit",
                "why": "My mother taught me. It should go on in the family.",
                "steps": [
                    ("Buy thick needles and bright wool for a beginner", "network", "child"),
                    ("Knit together on Wednesday afternoons", "network", "grandchild"),
                ],
                "keys": ("knit", "crochet", "granddaughter"),
                "achieved": "{gk_name} finished her first scarf and wore it to school.",
            },
            {
                "words": "I want to go to the sewing café on Friday mornings",
                "why": "I like sewing, but I like it more with company.",
                "help": ["someone to walk with to the sewing café"],
                "steps": [
                    ("Ring the community centre to ask if there's a machine free", "person"),
                    ("Go along the first time with {helper}", "network", "neighbour friend"),
                ],
                "keys": ("sewing", "community centre"),
                "achieved": "{n} goes to the sewing café most Fridays and mends for the others.",
            },
        ],
        "offers": [
            ("Teach knitting to anyone who wants to learn", "Tuesday afternoons"),
            ("Mend clothes and take up trousers", "any weekday"),
            ("Help at the sewing café", "Friday mornings"),
        ],
        "groups": [("centre", "Sewing café on Friday mornings", "", "most weeks")],
    },
    "reading": {
        "matters": ["Books. I read every evening, and the newspaper every morning."],
        "good_day": ["The newspaper with my coffee, a good book after lunch, no appointments."],
        "appreciated": ["I always know what's going on in the world, and I'll tell you."],
        "hopes": [("old", "To read the newspaper myself again, without the magnifier.")],
        "strengths": [
            ("skills", "reads two books a week", "!goal:reading"),
            ("community", "known by name at the library", "!goal:reading"),
        ],
        "goals": [
            {
                "words": "I want to join the reading group at the library",
                "why": "I read all the time but I've nobody to talk to about the books.",
                "help": ["a lift to the library every other Wednesday"],
                "steps": [
                    ("Ask at the library about the large-print copies", "network", "child friend"),
                    ("Go to one meeting to see what it's like", "person"),
                    ("Find out about the bus from the door", "member"),
                ],
                "keys": ("library", "read"),
                "achieved": "{n} has been to four meetings and chose next month's book.",
            },
            {
                "needs": "old",
                "words": "I want to read the newspaper myself again",
                "why": "I don't want it read to me. I want to read what I like, when I like.",
                "steps": [
                    ("Ask the GP about the cataract operation", "network", "gp"),
                    ("Try the large-print edition for a month", "person"),
                    ("A better lamp by the chair", "network", "child grandchild"),
                ],
                "keys": ("newspaper", "read", "eyes"),
                "achieved": "After the cataract operation {n} reads the paper every morning "
                "again, with the new lamp.",
            },
            {
                "words": "I want to go to the library by myself again",
                "why": "Choosing my own books is half the fun.",
                "steps": [
                    ("Take the bus one stop with one of us", "member"),
                    ("Go alone on a quiet morning", "person"),
                ],
                "keys": ("library", "bus"),
            },
        ],
        "offers": [
            ("Read the newspaper aloud to someone whose eyes are bad", "mornings"),
            ("Help fill in forms and read letters from the council", "by arrangement"),
        ],
        "groups": [("library", "Reading group every other Wednesday", "", "fortnightly")],
    },
    "sport": {
        "needs": "m",
        "matters": ["Football. Ajax, since I was six. Don't visit during a match."],
        "good_day": ["A match on the television, a beer, and a phone call about it afterwards."],
        "appreciated": ["I can tell you every Ajax line-up since 1970."],
        "hopes": ["To see one more match at the stadium."],
        "strengths": [
            ("skills", "knows everything about Ajax since the seventies"),
            ("relationships", "old teammates from the football club still ring"),
        ],
        "goals": [
            {
                "words": "I want to see a match at the stadium one more time",
                "why": "I went every other Sunday for forty years. I want to hear it once more.",
                "help": ["someone to go to a match with"],
                "steps": [
                    (
                        "Ask the club about their places for wheelchairs",
                        "network",
                        "child grandchild",
                    ),
                    ("Practise the distance from the car park with the rollator", "person"),
                ],
                "keys": ("football", "match"),
                "achieved": "{n} went to a home match with family. Tired for two days "
                "and happy for two weeks.",
            },
            {
                "words": "I want to watch the matches at the café with my old teammates",
                "why": "Watching alone is no fun. It's the shouting together.",
                "help": ["a lift to the café on match days"],
                "steps": [
                    ("Ring my old teammates and ask who goes", "person"),
                    ("Go together the first time", "network", "friend child"),
                ],
                "keys": ("football", "match", "café"),
                "achieved": "{n} is back at the café for the Sunday matches; a teammate drives.",
            },
        ],
        "offers": [("Talk football with anyone, for as long as they like", "any time")],
        "groups": [],
    },
    "cards": {
        "matters": ["Company. I'm a sociable person stuck indoors."],
        "good_day": ["Cards on Thursday afternoon: I win, I lose, I laugh."],
        "appreciated": ["I'm a good loser. Well, a fair one."],
        "hopes": ["To get back to the Thursday card afternoons."],
        "strengths": [
            ("skills", "a sharp card player"),
            ("community", "well known at the community centre"),
        ],
        "goals": [
            {
                "words": "I want to play cards at the community centre on Thursdays again",
                "why": "It's where I see people. Without it the week has no middle.",
                "help": ["a lift to the community centre on Thursdays"],
                "steps": [
                    ("Ring the community centre to say I'm coming back", "person"),
                    ("Go together the first time", "network", "friend neighbour child"),
                ],
                "keys": ("cards", "community centre"),
                "achieved": "{n} is back at the card table on Thursdays; {they} goes with a "
                "neighbour.",
            },
            {
                "words": "I want to have people round for a game of cards at home",
                "why": "Going out is hard, but I can still be a good host.",
                "steps": [
                    ("Ask two neighbours for a Friday afternoon", "person"),
                    ("A folding table that stays up, from the loan shop", "member"),
                ],
                "keys": ("cards", "neighbour"),
                "achieved": "Cards at {n}'s every other Friday, with two neighbours and "
                "a friend from the old street.",
            },
        ],
        "offers": [("Play cards with someone who'd like a game", "Thursday afternoons")],
        "groups": [("centre", "Cards on Thursdays", "", "weekly")],
    },
    "water": {
        "needs": "old",
        "matters": ["The water. I worked on the ferries for thirty-five years."],
        "good_day": ["Sitting by the IJ with a coffee, watching the boats go by."],
        "appreciated": ["My stories about the harbour. I've got a lot of them."],
        "hopes": ["To take the ferry across the IJ again and sit by the water."],
        "strengths": [("personal", "full of stories about the harbour and the shipyards")],
        "goals": [
            {
                "words": "I want to take the ferry across the IJ and sit by the water again",
                "why": "I worked on those ferries. It's where I feel at home.",
                "help": ["someone to come along on the ferry"],
                "steps": [
                    ("Walk to the tram stop and back three times this week", "person"),
                    ("Make the trip together on a dry day", "network", "child friend"),
                ],
                "keys": ("ferry", "boat", "water"),
                "achieved": "{n} took the ferry with family and sat outside for an hour. "
                "Now wants to go every month.",
            },
            {
                "words": "I want to walk along the dyke to the harbour again",
                "why": "I want to see the boats and smell the water, like when I worked there.",
                "help": ["someone to walk with along the dyke"],
                "steps": [
                    ("Walk a bit further each day with the rollator", "person"),
                    ("Go together on a Sunday morning", "network", "child friend neighbour"),
                ],
                "keys": ("dyke", "harbour", "walk"),
            },
        ],
        "offers": [
            ("Tell the school children about the harbour in the old days", "by arrangement")
        ],
        "groups": [],
    },
    "family": {
        "needs": "grandkids",
        "matters": ["{grandchildren_cap}. Everything I do, I do so I can keep seeing them."],
        "good_day": ["{grandchildren_cap} after school, and pancakes."],
        "appreciated": [
            ("f", "I'm a good grandmother, they say. I never tell their parents anything."),
            ("m", "I'm a good grandfather, they say. I never tell their parents anything."),
        ],
        "hopes": ["To dance at {gk_name}'s wedding one day. I'm working on it."],
        "strengths": [
            ("relationships", "the grandchildren come by every week"),
            ("relationships", "a close family who share the jobs between them"),
        ],
        "goals": [
            {
                "needs": "grandson",
                "words": "I want to go to my grandson's football match on Saturday",
                "why": "He asks every week if I'm coming. I want to say yes.",
                "steps": [
                    ("Walk to the bus stop and back twice a week", "person"),
                    ("Ask {helper} to drive on match days", "network", "child"),
                    ("Take the folding stool to the sideline", "person"),
                ],
                "keys": ("football", "grandson"),
                "achieved": "{n} watched the whole match from a folding stool. They won, too.",
            },
            {
                "needs": "granddaughter",
                "words": "I want to pick up my granddaughter from school on Fridays again",
                "why": "It was our afternoon. We had our own little routine.",
                "steps": [
                    ("Walk the route with one of us", "member"),
                    ("Try it once with {helper} walking along", "network", "child"),
                ],
                "keys": ("school", "walk"),
                "let_go": "The school is too far for now. {Their} granddaughter comes to "
                "{them} on Fridays instead, after school.",
            },
            {
                "words": "I want to have the whole family here for my birthday",
                "why": "Everyone together, in my own home, once a year. That's all I ask.",
                "steps": [
                    ("Make a plan for the day with {helper}", "network", "child"),
                    ("Order the food in, so I can sit and enjoy it", "person"),
                    ("Rest the day before and the day after", "person"),
                ],
                "keys": ("birthday", "family"),
                "achieved": "Nineteen people in the flat and {n} in the middle. {They} slept "
                "all the next day and says it was worth it.",
            },
        ],
        "offers": [("Read stories to the children at the library", "Wednesday afternoons")],
        "groups": [],
    },
    "birds": {
        "matters": ["My birds on the balcony. I know each one of them."],
        "good_day": ["The blackbird singing when I open the curtains, and bread for the ducks."],
        "appreciated": ["I notice things. I'll tell you which birds came today."],
        "hopes": ["To get back to the pond in {park} to feed the ducks."],
        "strengths": [("skills", "knows every bird by its song")],
        "goals": [
            {
                "words": "I want to get to {park} to feed the ducks again",
                "why": "It was my daily walk for twenty years. I want my old route back.",
                "help": ["someone to push the wheelchair to the park now and then"],
                "steps": [
                    ("Borrow a wheelchair for longer trips", "member"),
                    ("Go on Sunday afternoons with {helper}", "network", "child grandchild friend"),
                ],
                "keys": ("park", "bench", "birds"),
                "achieved": "{n} goes to the park on Sundays with the borrowed wheelchair, and "
                "walks the last bit to the pond.",
            },
            {
                "words": "I want a bird feeder where I can see it from my chair",
                "why": "If I can't get out much, let the birds come to me.",
                "steps": [
                    (
                        "Put up a feeder on the balcony rail",
                        "network",
                        "child neighbour grandchild",
                    ),
                    ("Keep a notebook of which birds come", "person"),
                ],
                "keys": ("birds", "balcony"),
                "achieved": "The feeder is up. {n} has seen eleven kinds of bird and "
                "keeps a list by the window.",
            },
        ],
        "offers": [("Look after a neighbour's birds or cat during the holidays", "any time")],
        "groups": [],
    },
    "tablet": {
        "matters": ["Being in touch with the family, near and far."],
        "good_day": ["A video call with the family, and a photo from the grandchildren."],
        "appreciated": [
            ("!goal:tablet", "I'm not afraid of new things. I taught myself the tablet.")
        ],
        "hopes": ["To see the family's faces on the screen every Sunday."],
        "strengths": [
            ("skills", "sends photos to the whole family from {their} phone", "!goal:tablet")
        ],
        "goals": [
            {
                "words": "I want to video call my family in {origin} myself",
                "why": "I want to see their faces, not only hear them. And not wait for my "
                "children to set it up.",
                "needs": "origin",
                "help": ["someone patient to show me the tablet"],
                "steps": [
                    ("Write the steps on a card next to the tablet", "network", "grandchild child"),
                    ("Practise a call with one of us", "member"),
                    ("Call on Sunday afternoons, when they're home", "person"),
                ],
                "keys": ("video", "tablet", "phone"),
                "achieved": "{n} calls {origin} every Sunday on {their} own now.",
            },
            {
                "words": "I want to do my own banking on the computer",
                "why": "I don't want my children to have to do everything for me.",
                "help": ["help with the computer"],
                "steps": [
                    ("Ask the bank for the simpler login", "network", "child"),
                    (
                        "Practise paying one bill with {helper} next to me",
                        "network",
                        "child grandchild",
                    ),
                ],
                "keys": ("computer", "bills", "post"),
                "let_go": "{n} decided {they} doesn't want to bank online after all; "
                "{their_child} does it with {them} once a month at the kitchen table.",
            },
        ],
        "offers": [("Help with a computer, a phone or a tablet", "weekday mornings")],
        "groups": [],
    },
    "neighbourhood": {
        "matters": ["My street. I know everyone, and everyone knows me."],
        "good_day": ["A chat on the doorstep with half the street going by."],
        "appreciated": ["I notice when someone's curtains stay shut, and I go and knock."],
        "hopes": ["To be on the tenants' committee again."],
        "strengths": [
            ("community", "the street's unofficial mayor"),
            ("community", "used to run the tenants' association"),
        ],
        "goals": [
            {
                "words": "I want to go to the Wednesday lunch and see my old neighbours",
                "why": "Half the people from my old street go. We have a laugh.",
                "help": ["a lift to the community centre on Wednesdays"],
                "steps": [
                    ("Sign up for the lunch by Tuesday", "person"),
                    ("Ask the community centre about their volunteer drivers", "member"),
                    ("Go together the first time", "network", "neighbour friend"),
                ],
                "keys": ("community lunch", "community centre", "neighbour"),
                "achieved": "{n} hasn't missed a Wednesday lunch in two months.",
            },
            {
                "words": "I want to help at the community centre again, even an hour a week",
                "why": "I've been helped so much. I want to be on the giving side again.",
                "steps": [
                    ("Ask Hanneke what needs doing that I can do sitting down", "member"),
                    ("Start with the coffee on Wednesday mornings", "person"),
                ],
                "keys": ("community centre", "community lunch"),
                "achieved": "{n} does the coffee at the Wednesday lunch now and knows everyone "
                "by name.",
            },
            {
                "words": "I want to get to know my new neighbours",
                "why": "The old ones have all gone. I don't want to be a stranger in my own "
                "street.",
                "steps": [
                    ("Put a card through the doors to invite them for coffee", "person"),
                    ("Bake something for the first visit", "person"),
                ],
                "keys": ("neighbour",),
            },
        ],
        "offers": [
            ("Company on the phone for someone who is on their own", "evenings, after the news"),
            ("Keep an eye on a neighbour who has just come home from hospital", "any time"),
        ],
        "groups": [("centre", "Goes to the Wednesday lunch", "", "weekly")],
    },
    "work": {
        "needs": "young",
        "matters": ["Getting my life back: work, the kids, my friends."],
        "good_day": ["A few hours of work, picking up the kids, and not being wiped out."],
        "appreciated": ["I'm the one who organises things: birthdays, outings, the lot."],
        "hopes": ["To be back at work, and to have energy left for the kids."],
        "strengths": [
            ("personal", "determined; does the exercises every day"),
            ("skills", "good with {their} hands; can fix a bike in ten minutes"),
        ],
        "goals": [
            {
                "words": "I want to go back to work, three mornings a week",
                "why": "I miss my colleagues, and sitting at home is making me gloomy.",
                "steps": [
                    ("Talk to the company doctor about building up", "person"),
                    ("Walk half an hour a day", "person"),
                    ("Plan the first weeks together", "member"),
                ],
                "keys": ("work", "walk"),
                "achieved": "Back at work three mornings a week, and less tired than {they} "
                "feared.",
            },
            {
                "words": "I want to take my kids to school myself again",
                "why": "Mornings are our time. I don't want to miss it.",
                "needs": "child",
                "steps": [
                    ("Cycle round the block, then a bit further each week", "person"),
                    ("Do the school run together once, with {helper}", "network", "partner friend"),
                ],
                "keys": ("school", "cycle", "bike"),
                "achieved": "Does the school run four days a week now.",
            },
            {
                "words": "I want to drive my own car again",
                "why": "Without the car I depend on everyone for everything.",
                "steps": [
                    ("Ask the doctor for the driving assessment", "person"),
                    ("Practise in a quiet street with {helper}", "network", "partner friend"),
                ],
                "keys": ("car", "drive"),
            },
        ],
        "offers": [
            ("Fix bicycles for neighbours", "Saturday mornings"),
            ("Help someone practise Dutch over coffee", "Thursday mornings"),
        ],
        "groups": [],
    },
}
# Everyone's situation gives a few goals too, whatever their interests.
PLAN_GOALS = {
    "insulin": [
        {
            "words": "I want to do my own insulin again, so I don't have to wait in for the nurse",
            "why": "I want my mornings back. I used to be out of the house by nine.",
            "steps": [
                ("Practise setting the dose with the nurse watching", "member"),
                ("Write the sugar in the notebook every morning", "person"),
                ("{helper} checks the notebook at the weekend", "network", "child partner"),
                ("Three mornings alone; the nurse phones afterwards", "member"),
            ],
            "keys": ("dose", "pen", "sugar", "injection", "notebook"),
            "achieved": "{n} does the insulin alone now; we phone on Mondays. {They} says "
            "{they} feels {their} own boss again.",
        },
        {
            "words": "I want to eat with the family at {feast} without worrying about my sugar",
            "why": "Food is how we celebrate. I don't want to sit there with a cracker.",
            "steps": [
                ("Ask the practice nurse how to adjust the dose on feast days", "network", "gp"),
                ("Plan the menu with {helper}", "network", "child partner"),
                ("Measure before and after the meal", "person"),
            ],
            "keys": ("sugar", "birthday", "cake"),
        },
    ],
    "wound": [
        {
            "words": "I want my leg healed so I can wear my own shoes again",
            "why": "I haven't been out in proper shoes since the winter. I want to go to "
            "{market} in them.",
            "steps": [
                ("Keep the leg up for an hour after lunch", "person"),
                ("Walk the hallway three times a day", "person"),
                ("Bring shoes that don't rub to try on", "network", "child partner"),
                ("Ask the GP about compression stockings", "member"),
            ],
            "keys": ("wound", "dressing", "shoes", "leg"),
            "achieved": "The wound has closed. {n} wore {their} own shoes to {market} the "
            "week after.",
        },
        {
            "words": "I want to go to the beach with {grandchildren} this summer",
            "why": "We went every summer. I want one more day at Zandvoort with them.",
            "steps": [
                ("Keep the dressing dry and the leg up", "person"),
                ("Ask the GP when sand and sea are safe", "member"),
                ("Plan the day and the car with {helper}", "network", "child"),
            ],
            "keys": ("beach", "grandchildren"),
        },
    ],
    "any": [
        {
            "words": "I want to shower on my own again",
            "why": "It's private. I don't want anyone to have to see me like that.",
            "steps": [
                ("Practise with the stool and the grab rail, one of us nearby", "member"),
                ("Ask the occupational therapist about a higher stool", "member"),
                ("Shower alone on Tuesdays; we phone afterwards", "person"),
            ],
            "keys": ("shower",),
            "achieved": "{n} showers alone now, with the stool and the rail. We stopped the "
            "Tuesday visit.",
        },
        {
            "words": "I want to manage the stairs myself, so I can go out when I like",
            "why": "I live on the third floor and I don't want to wait for anyone to go out.",
            "steps": [
                ("Do the physio exercises every morning", "person"),
                ("Practise the stairs with the physio", "network", "physio"),
                ("Ask the housing association about a second rail", "member"),
            ],
            "keys": ("stairs", "physio", "exercises"),
            "achieved": "{n} does the stairs alone, slowly, with the second rail. Goes out "
            "most days.",
        },
        {
            "words": "I want to take fewer tablets",
            "why": "I rattle. I don't know what half of them are for any more.",
            "steps": [
                ("Make a list of every tablet with the pharmacy", "network", "pharmacy"),
                ("Ask the GP for a review", "network", "gp"),
                ("Write down how I feel for two weeks after a change", "person"),
            ],
            "keys": ("tablets", "GP", "pharmacy", "medicine"),
            "achieved": "The GP stopped three tablets. {n} says {they} feels clearer in the "
            "morning.",
        },
        {
            "words": "I want to sleep through the night again",
            "why": "Everything is harder after a bad night.",
            "steps": [
                ("A walk in the evening, even a short one", "person"),
                ("No coffee after four", "person"),
                ("Talk to the GP about the water tablet in the evening", "member"),
            ],
            "keys": ("sleep", "night", "waking"),
        },
        {
            "words": "I want something to look forward to every week",
            "why": "The days all look the same. I need a reason to get dressed.",
            "help": ["company for a coffee now and then", "someone to go to the lunch with"],
            "steps": [
                ("Look at what's on at the community centre together", "member"),
                ("Try one thing for a month", "person"),
                ("Ask the time bank about a coffee buddy", "member"),
            ],
            "keys": ("community lunch", "day centre", "community centre"),
            "achieved": "{n} goes to the Wednesday lunch and has coffee with a time-bank "
            "buddy on Mondays.",
        },
        {
            "words": "I want to stay living at home, with the help I have now",
            "why": "This is my home. Everything I love is here.",
            "steps": [
                ("Check the alarm button works, every month", "person"),
                ("A spare key with {helper}", "network", "neighbour child"),
                ("Look at the house together for things to trip over", "member"),
            ],
            "keys": ("home", "alarm", "key"),
        },
        {
            "words": "I want to get dressed by myself in the morning",
            "why": "I want to choose my own clothes and take my own time.",
            "steps": [
                ("Lay the clothes out the night before", "person"),
                ("Try the sock aid and the long shoehorn", "member"),
                ("Dress alone; we come later to help with the stockings only", "member"),
            ],
            "keys": ("dressed", "clothes", "stockings"),
            "achieved": "{n} dresses alone now; we only do the stockings.",
        },
        {
            "needs": "f",
            "words": "I want to go to the hairdresser by myself again",
            "why": "It's my hour of the week. I come out feeling like myself.",
            "steps": [
                ("Book the hairdresser for a quiet time", "person"),
                ("Walk there once with {helper}", "network", "neighbour child friend"),
            ],
            "keys": ("hairdresser", "hair"),
            "achieved": "{n} goes to the hairdresser every other Friday, on {their} own.",
        },
        {
            "words": "I want to feel steady on my feet again",
            "why": "Since the fall I'm scared to go anywhere. I want my confidence back.",
            "steps": [
                ("Balance exercises every morning, holding the kitchen counter", "person"),
                ("Falls-prevention class on Mondays", "network", "physio"),
                ("Check the flat together for loose rugs and cables", "member"),
            ],
            "keys": ("fall", "exercises", "physio", "balance"),
            "achieved": "{n} finished the falls-prevention class and walks outside again "
            "without holding on to anyone.",
        },
        {
            "words": "I want to visit {late_name}'s grave on Sundays",
            "why": "We were married for fifty years. I want to tell {late_name} how things are.",
            "help": ["a lift to the cemetery on Sundays"],
            "steps": [
                ("Ask the family who can drive on Sundays", "network", "child"),
                ("A folding stool to take along", "person"),
            ],
            "keys": ("cemetery", "grave", "late"),
            "achieved": "{n} goes to the cemetery every other Sunday; the family take turns "
            "to drive.",
        },
        {
            "words": "I want to get out on the mobility scooter on my own",
            "why": "My legs won't carry me far, but the rest of me wants to go places.",
            "steps": [
                ("Practise on the quiet paths in {park}", "person"),
                ("Ask the council about a place to park it indoors", "member"),
            ],
            "keys": ("scooter",),
            "achieved": "{n} rides the scooter to {market} on {their} own now.",
        },
    ],
}

GENERIC_OFFERS = [
    ("Company on the phone for someone who is on their own", "evenings"),
    ("Listen. I have time, and I like a good talk.", "afternoons"),
    ("Tell the school children what the neighbourhood was like in the old days", "by arrangement"),
    ("Keep an eye on a neighbour's plants during holidays", "any time"),
    ("Sew curtains or cushion covers", "when it suits"),
    ("Help fill in forms", "weekday mornings"),
    ("Play a game of chess", "Sunday afternoons"),
    ("Take in parcels for the neighbours", "most days; I'm always in"),
    ("Knit hats for the babies at the health clinic", "whenever"),
    ("Check in by phone on a neighbour who lives alone", "every morning"),
    ("Help a child in the building with reading", "after school"),
    ("Sort and fold at the second-hand shop", "Tuesday mornings"),
    ("Lend tools and show how to use them", "by arrangement"),
    ("Translate letters for neighbours who don't read Dutch well", "by arrangement"),
    ("Make soup for the Wednesday lunch", "now and then"),
    ("Be a friendly face on the phone for the time bank", "Thursday mornings"),
]

# Dated changes in a network: what they did and how close they were, before and now.
# (does, tie, how often) before, then the same now.
CLOSER = [
    (
        ("Said hello on the stairs", "weak", "now and then"),
        ("Does the Friday shopping and keeps a spare key", "moderate", "weekly"),
    ),
    (
        ("Knew {them} to nod to", "weak", "now and then"),
        ("Comes for coffee on Tuesdays; rings when the curtains stay shut", "moderate", "weekly"),
    ),
    (
        ("Helped now and then", "moderate", "now and then"),
        ("Looks in every day and brings the newspaper up", "strong", "daily"),
    ),
]
FURTHER = [
    (
        ("Came by every day after work", "strong", "every day"),
        ("Moved to Almere; phones most evenings and visits on Sundays", "moderate", "weekly"),
    ),
    (
        ("Did the shopping twice a week", "strong", "twice a week"),
        ("Working abroad for a year; video calls on Sundays", "weak", "weekly, by video"),
    ),
]
CALMER = [
    (
        (
            "Wanted {them} to move to a care home; visits often ended in arguments",
            "stressful",
            "every few weeks",
        ),
        ("Since the family meeting with the team, they agree on the plan", "moderate", "weekly"),
    ),
]
ENDED = [
    "Friend from the old days; moved to a care home in Purmerend",
    "Neighbour for years; moved in with family in Almere",
    "Played cards with {them} every week; passed away",
]
STRESSFUL = {
    "neighbour": (
        "Complains about the rollator in the hallway and the carers' bikes",
        "",
        "sees {them} most days",
    ),
    "child": (
        "Wants {them} to move to a care home; visits often end in arguments",
        "Could come to a family meeting with the team",
        "every few weeks",
    ),
    "sibling": (
        "An old quarrel about their parents' house; they hardly speak",
        "",
        "a few times a year",
    ),
}
# What people around the person do (and how often), and what they could do.
FAMILY_DOES = {
    "kid": (
        [
            ("Makes {them} laugh; homework together at the kitchen table", "lives at home"),
            ("Helps with little jobs around the house", "lives at home"),
            ("Walks to school with {them} on good days", "lives at home"),
        ],
        ["Could come along to the physio to see the exercises"],
    ),
    "child": (
        [
            ("Does the big shopping on Saturdays", "weekly"),
            ("Sorts the post and pays the bills", "twice a week"),
            ("Phones every evening at seven", "every day"),
            ("Takes {them} to hospital appointments", "phones most days"),
            ("Comes for Sunday dinner", "every Sunday"),
            ("Collects the medicines when the pharmacy can't deliver", "a few times a month"),
            ("Cleans the bathroom and the windows", "once a month"),
            ("Does the washing on Wednesdays", "weekly"),
            ("Helps with the bank, with {their} say-so", "every other week"),
            ("Lives in Groningen; phones on Sundays, visits in the holidays", "weekly, by phone"),
            ("Pops in on the way home from work", "most days"),
        ],
        [
            "Could come along to the GP",
            "Could learn to help with the stockings",
            "Could take {them} to the market once a month",
            "Could set up video calls",
            "Could stay over for a few nights after the operation",
        ],
    ),
    "grandchild": (
        [
            ("Visits after school on Wednesdays", "weekly"),
            ("Helps with the phone and the tablet", "when {they} asks"),
            ("Carries the shopping up the stairs", "on Saturdays"),
            ("Sends photos every day", "daily, by phone"),
            ("Comes to eat on Fridays", "weekly"),
        ],
        [
            "Could come along to the walking group",
            "Could help set up video calls",
            "Could help on the balcony in spring",
        ],
    ),
    "partner": (
        [
            ("Cooks and does the washing", "lives together"),
            ("Helps with getting dressed in the morning", "lives together"),
            ("Keeps the diary of appointments", "lives together"),
            ("Does the shopping; they walk there together", "lives together"),
        ],
        ["Would like a break now and then", "Could learn to do the dressing"],
    ),
    "sibling": (
        [
            ("Phones every Sunday", "weekly"),
            ("Visits by train", "once a month"),
            ("Sends cards and long letters", "a few times a year"),
        ],
        ["Could come and stay for a week in the summer"],
    ),
    "friend": (
        [
            ("Coffee together on Thursdays", "weekly"),
            ("Goes to the market with {them}", "on Saturdays"),
            ("Phones most days", "most days"),
            ("Plays cards with {them} on Fridays", "weekly"),
            ("Walks with {them} in {park}", "twice a week"),
            ("Brings soup when {they} is ill", "now and then"),
        ],
        [
            "Could walk with {them} to the community centre",
            "Could come to the Wednesday lunch too",
            "Could go with {them} to the GP",
        ],
    ),
    "neighbour": (
        [
            ("Takes in parcels and keeps a spare key", "most days"),
            ("Does the Friday shopping", "weekly"),
            ("Checks in the morning that the curtains are open", "daily"),
            ("Brings the newspaper up", "daily"),
            ("Puts the bins out", "weekly"),
            ("Waters the plants when {they} is away", "now and then"),
        ],
        [
            "Could ring if something seems wrong",
            "Could help on the stairs on bad days",
            "Would collect medicines from the pharmacy",
        ],
    ),
}
PROFESSIONALS = {
    "gp": (
        [
            ("Medication review", "twice a year"),
            ("Knows {them} well; visits at home when needed", "when needed"),
            ("Checks blood pressure and heart", "every three months"),
        ],
        ["Could visit at home if {they} can't come in"],
    ),
    "pharmacy": (
        [
            ("Medicine roll, delivered on Tuesdays", "weekly"),
            ("Goes through all the medicines together once a year", "monthly"),
            ("Delivers the medicines", "monthly"),
        ],
        ["Could deliver when nobody can collect"],
    ),
    "physio": (
        [("Balance and strength exercises at home", "weekly")],
        ["Could advise on the stairs"],
    ),
    "buurtteam": (
        [("Helps with forms and money matters", "every few weeks")],
        ["Could help with a move"],
    ),
    "time_bank": (
        [("Found a neighbour for coffee on Mondays", "now and then")],
        ["Could find help with odd jobs"],
    ),
    "food_bank": ([("Food parcel on Thursdays, delivered", "weekly")], []),
}
CONSENT_PROFILE = ("Names of family and friends on the printed profile", "family and the team")
CONSENT_EXTRA = [
    (
        "Talking with the GP practice and the pharmacy about medicines",
        "the GP practice and the pharmacy",
    ),
    ("How things are going, when family ring the team", "{their_child}"),
    ("Goals shared with the neighbours who help", "the neighbours in the network"),
]
CONSENT_OFFER = (
    "What {they} can give, shown to neighbours the team puts {them} in touch with",
    "the team, and the neighbours it matches {them} with",
)
CONSENT_WITHDRAWN = ("A photo of me on the printed profile", "family and the team")

# The demo's two matches: one person's offer meets another's goal.
# (key, offer by, goal of, agreed how many days ago, note, the new tie in the network)
CONNECTIONS = [
    (
        "walk",
        "Kofi Asante",
        "Hendrik Boersma",
        19,
        "Kofi and Henk met over coffee at Henk's first. They walk to the market on Saturday "
        "mornings; Henk sets the pace.",
        (
            "Kofi Asante",
            "friend",
            "moderate",
            "Walks with him to the market on Saturday mornings",
            "Could take him along to the walking group",
            "Saturdays",
        ),
    ),
    (
        "tablet",
        "Lucia Martina",
        "Wilhelmina Kramer",
        9,
        "Lucia comes on Tuesday mornings. The first call with Sara went well; next is doing it "
        "without Lucia there.",
        (
            "Lucia Martina",
            "friend",
            "weak",
            "Practises the tablet with her on Tuesday mornings",
            "",
            "weekly",
        ),
    ),
]
# Parts of some people's records written out in full, for the matches above.
PINNED = {
    "Hendrik Boersma": {
        "themes": ["walking", "water"],
        "goals": [
            {
                "words": "I want to walk to the market on Saturdays again",
                "why": "I've done my shopping there for sixty years. The stallholders know me "
                "and I miss the chat.",
                "help": ["someone to walk with on Saturday mornings"],
                "connect": "walk",
                "theme": "walking",
                "steps": [
                    ("Walk to the end of the street and back every day", "person"),
                    ("Try the route with the rollator, with one of us", "member"),
                    ("Saturday walk to the market with Kofi", "network", "connection"),
                    ("Walk there and take the bus home if the legs are tired", "person"),
                ],
                "keys": ("walk", "market", "bench", "rollator"),
            }
        ],
    },
    "Kofi Asante": {
        "themes": ["church", "garden"],
        "offers": [
            (
                "A walk and a chat with someone who'd like company, at their pace",
                "Saturday mornings",
                "walk",
            )
        ],
    },
    "Wilhelmina Kramer": {
        "themes": ["tablet", "needlework"],
        "family": {"grandchildren": [("f", "Sara")]},
        "goals": [
            {
                "words": "I want to video call my granddaughter in Canada by myself",
                "why": "Sara had a baby in March. I want to see him grow up, even from far away.",
                "help": ["someone patient to show me the tablet"],
                "connect": "tablet",
                "theme": "tablet",
                "steps": [
                    ("Write the steps on a card next to the tablet", "network", "child"),
                    ("Practise with Lucia on Tuesday mornings", "network", "connection"),
                    ("Call Sara on Sunday afternoons, when it's morning in Toronto", "person"),
                ],
                "keys": ("video", "tablet", "granddaughter"),
            }
        ],
        "network": [
            (
                "grandchild",
                "Sara (granddaughter)",
                "family",
                "strong",
                "Lives in Toronto; sends photos of the baby",
                "Could call at a fixed time each week",
                "a call most Sundays",
                "sara.kramer@example.net",
            ),
        ],
    },
    "Lucia Martina": {
        "themes": ["cooking", "neighbourhood"],
        "offers": [
            (
                "Help with a tablet, a phone or a computer, step by step",
                "Tuesday and Thursday mornings",
                "tablet",
            )
        ],
    },
    "Eva Lindqvist": {"family": {"partner": ("f", "Marit")}},
    "Tomasz Nowak": {"themes": ["work"]},
    "Lisa Verbruggen": {"themes": ["work", "reading"]},
    "Daniël Peters": {"themes": ["work"]},
}
# Food people could teach others to cook, and languages they could teach.
CUISINES = {
    "tr": "Turkish",
    "ma": "Moroccan",
    "hi": "Hindustani",
    "sr": "Surinamese",
    "jv": "Javanese",
    "cw": "Antillean",
    "cv": "Cape Verdean",
    "pt": "Portuguese",
    "gh": "Ghanaian",
    "pl": "Polish",
    "se": "Swedish",
    "nl": "old Dutch",
    "nl-jewish": "Jewish",
}
LANGUAGES = {"tr": "Turkish", "ma": "Arabic", "jv": "Javanese"}


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


RESOURCE_FIELDS = (
    LocalResource.team,
    LocalResource.name,
    LocalResource.kind,
    LocalResource.address,
    LocalResource.phone,
    LocalResource.opening_hours,
    LocalResource.notes,
    LocalResource.version,
    LocalResource.created_at,
)
NETWORK_FIELDS = (
    NetworkMember.client,
    NetworkMember.name,
    NetworkMember.relation,
    NetworkMember.does_now,
    NetworkMember.could_do,
    NetworkMember.reach,
    NetworkMember.tie,
    NetworkMember.frequency,
    NetworkMember.resource,
    NetworkMember.on_profile,
    NetworkMember.since,
    NetworkMember.until,
    NetworkMember.version,
    NetworkMember.created_at,
)
GOAL_FIELDS = (
    Goal.client,
    Goal.words,
    Goal.why,
    Goal.status,
    Goal.story,
    Goal.review_on,
    Goal.help_wanted,
    Goal.version,
    Goal.created_at,
)
STEP_FIELDS = (
    Step.goal,
    Step.text,
    Step.helper_kind,
    Step.network_member,
    Step.member,
    Step.due_on,
    Step.done_on,
    Step.version,
    Step.created_at,
)
ABOUT_FIELDS = (
    AboutMe.client,
    AboutMe.section,
    AboutMe.version,
    AboutMe.text,
    AboutMe.said_by,
    AboutMe.said_by_name,
    AboutMe.recorded_by,
    AboutMe.recorded_at,
)
STRENGTH_FIELDS = (
    Strength.client,
    Strength.category,
    Strength.text,
    Strength.version,
    Strength.created_at,
)
OFFER_FIELDS = (Offer.client, Offer.text, Offer.when, Offer.version, Offer.created_at)
CONSENT_FIELDS = (
    Consent.client,
    Consent.what,
    Consent.with_whom,
    Consent.given_on,
    Consent.withdrawn_on,
    Consent.version,
    Consent.created_at,
)
CONNECTION_FIELDS = (
    Connection.offer,
    Connection.goal,
    Connection.agreed_on,
    Connection.note,
    Connection.recorded_by,
    Connection.created_at,
)
DEMO_CONTACT_FIELDS = (*CONTACT_FIELDS, Contact.goal)

_FORMATTER = string.Formatter()
# The same goal for more people than this in one team reads as copy-paste.
GOAL_REPEATS = 2


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


def _first_name(network_name: str) -> str:
    """ "Ellen (daughter)" -> "Ellen", "Koen, physio" -> "Koen"."""
    return network_name.split(" (")[0].split(",")[0]


class _Person:
    """What the record builder knows about one demo person: family, words, tags."""

    def __init__(self, spec, client_id, opened_at, today, area, known_best):
        self.name, self.preferred, self.sex, self.age, self.plan = spec
        self.client_id = client_id
        self.opened_at = opened_at
        opened = opened_at.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE).date()
        self.opened = opened  # local date the case was opened
        span = (today - opened).days
        self.span = span  # days in care until today
        self.area = area
        self.known_best = known_best
        self.background = BACKGROUNDS.get(self.name, "nl")
        self.faith = FAITHS.get(self.background, "")
        self.young = self.age is not None and self.age < 60
        self.tags: set[str] = set()
        self.words: dict[str, str] = {}
        self.network: list[dict] = []  # this person's rows in _Records.network
        self.themes: list[str] = []
        self.settled: set[str] = set()  # themes whose goal was achieved or let go
        self.offered_by: dt.date | None = None  # an offer that led to a connection


class _Records:
    """The people's records for one demo run, as rows ready to insert.

    Rows refer to each other (a step to its goal and helper, a contact to its
    goal) by their position in these lists until they have ids.
    """

    def __init__(self, rng, demo):
        self.rng = rng
        self.demo = demo
        self.today = demo.today
        self.decks: dict[str, list[int]] = {}
        self.uses: Counter = Counter()
        self.network: list[dict] = []
        self.goals: list[dict] = []
        self.steps: list[dict] = []
        self.about: list[tuple] = []
        self.strengths: list[tuple] = []
        self.offers: list[tuple] = []
        self.consents: list[tuple] = []
        self.resources: dict[tuple[str, str], tuple] = {}
        self.offer_keys: dict[str, int] = {}  # connection key -> position in offers
        self.goal_keys: dict[str, tuple[int, object]] = {}  # -> (position in goals, member)

    # -- time --------------------------------------------------------------

    def day(self, person, offset) -> dt.date:
        """The date `offset` days after the case opened, never later than yesterday."""
        return min(person.opened + dt.timedelta(days=offset), self.today - dt.timedelta(days=1))

    def moment(self, day: dt.date, person=None) -> dt.datetime:
        """A time in the working day on `day`; on the first day, after the case was opened."""
        minute = self.rng.randint(9 * 60, 17 * 60 - 1)
        local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), DEMO_ZONE)
        moment = local.astimezone(dt.UTC).replace(tzinfo=None)
        if person is not None and moment <= person.opened_at:
            moment = person.opened_at + dt.timedelta(minutes=self.rng.randint(15, 180))
        return min(moment, self.demo.now - dt.timedelta(minutes=5))

    def later(self, person, start: dt.date, earliest_gap=1) -> dt.date:
        """A day between `start` (plus a gap) and yesterday."""
        first = start + dt.timedelta(days=earliest_gap)
        last = self.today - dt.timedelta(days=1)
        if first >= last:
            return last
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    @staticmethod
    def present(members, when):
        return [m for m, since, until in members if since <= when and (not until or when < until)]

    def recorder(self, person, members, when):
        """Who wrote it down: usually someone who knows the person best."""
        there = self.present(members, when)
        usual = [m for m in person.known_best if m in there]
        if usual and self.rng.random() < 0.75:
            return self.rng.choice(usual)
        return self.rng.choice(there)

    # -- texts -------------------------------------------------------------

    def fits(self, person, text: str, tags: str = "") -> bool:
        for tag in tags.split():
            if tag.startswith("!"):
                if tag[1:] in person.tags:
                    return False
            elif tag not in person.tags:
                return False
        return all(person.words.get(name) for name in _fields(text))

    def fits_entry(self, person, entry) -> bool:
        """A pool entry: a text, or (tags, text)."""
        if isinstance(entry, tuple):
            return self.fits(person, entry[1], entry[0])
        return self.fits(person, entry)

    def take(self, key, pool, fits, count=1, limit=None):
        """Up to `count` entries of `pool` that fit, those used longest ago first;
        none used `limit` times already."""
        deck = self.decks.get(key)
        if deck is None:
            deck = list(range(len(pool)))
            self.rng.shuffle(deck)
            self.decks[key] = deck
        chosen = []
        for i in list(deck):
            if len(chosen) == count:
                break
            if limit and self.uses[key, i] >= limit:
                continue
            if fits(pool[i]):
                chosen.append(pool[i])
                self.uses[key, i] += 1
                deck.remove(i)
                deck.append(i)
        return chosen

    def text(self, key, pool, person):
        """One text from a pool of texts, filled in for `person`, or None."""
        found = self.take(key, pool, lambda e: self.fits_entry(person, e))
        if not found:
            return None
        entry = found[0]
        return (entry[1] if isinstance(entry, tuple) else entry).format_map(person.words)

    # -- a person ------------------------------------------------------------

    def person(self, spec, client_id, opened_at, area, street, known_best, members, contacts, size):
        """Build one person's record; returns the goal (position) for each contact, or None."""
        person = _Person(spec, client_id, opened_at, self.today, area, known_best)
        pinned = PINNED.get(person.name, {})
        self.family(person, street, pinned)
        self.choose_themes(person, pinned, 2 if size == "rich" else 1)
        self.build_network(person, size, pinned)
        goals = self.build_goals(person, size, pinned, members)
        self.build_about(person, size, members)
        self.build_strengths(person, size)
        offers = self.build_offers(person, size, pinned)
        self.build_consent(person, size, offers)
        return self.link_contacts(person, goals, contacts)

    def family(self, person, street, pinned):
        rng = self.rng
        names = FAMILY_NAMES.get(person.background, FAMILY_NAMES["nl"])
        used = {person.name.split()[0]}

        def name(sex, kind="adult"):
            f_adult, m_adult, f_kid, m_kid = names
            pool = (
                (f_adult if sex == "f" else m_adult)
                if kind == "adult"
                else (f_kid if sex == "f" else m_kid)
            )
            choices = [n for n in pool if n not in used] or pool
            chosen = rng.choice(choices)
            used.add(chosen)
            return chosen

        other = "m" if person.sex == "f" else "f"
        family = pinned.get("family", {})
        partner = late = None
        if "partner" in family:
            partner = family["partner"]
            used.add(partner[1])
        elif person.young:
            if rng.random() < 0.6:
                partner = (other, name(other))
        elif rng.random() < (0.4 if person.sex == "m" else 0.2):
            partner = (other, name(other))
        elif rng.random() < 0.75:
            late = (other, name(other))
        count = rng.choice([0, 1, 2, 2] if person.young else [0, 1, 1, 2, 2, 2, 3, 3, 4])
        children = []
        for _ in range(count):
            sex = rng.choice("fm")
            children.append((sex, name(sex, "kid" if person.young else "adult")))
        grandchildren = list(family.get("grandchildren", []))
        used.update(n for _s, n in grandchildren)
        if children and not person.young and (person.age is None or person.age >= 68):
            for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
                sex = rng.choice("fm")
                grandchildren.append((sex, name(sex, "kid")))
        sibling = None
        if rng.random() < 0.35:
            sex = rng.choice("fm")
            sibling = (sex, name(sex))
        pet = rng.choice(PETS) if rng.random() < 0.18 else None
        person.family = {
            "partner": partner,
            "children": children,
            "grandchildren": grandchildren,
            "sibling": sibling,
        }

        pronouns = PRONOUNS[person.sex]
        words = {
            "n": person.preferred or person.name.split()[0],
            **pronouns,
            "Their": pronouns["their"].capitalize(),
            "Mum": "Mum" if person.sex == "f" else "Dad",
            "street": street,
            **AREA_WORDS[person.area],
            **FAITH_WORDS.get(person.faith, {}),
            "origin": ORIGINS.get(person.background, ""),
            "cuisine": CUISINES.get(person.background, ""),
            "language": LANGUAGES.get(person.background, ""),
        }
        words.setdefault("feast", "Christmas")
        if person.age:
            words["years"] = str(rng.randint(12, max(13, min(60, person.age - 25))))
            if person.age >= 68:
                words["next_birthday"] = f"{(person.age // 5 + 1) * 5}th"
        else:
            words["years"] = str(rng.randint(8, 40))
        tags = {person.sex, "young" if person.young else "old", person.background, person.plan}
        if person.faith:
            tags |= {person.faith, "faith"}
        if words["origin"]:
            tags.add("origin")
        if children:
            sex, first = children[0]
            rel = "daughter" if sex == "f" else "son"
            words |= {
                "child": f"my {rel} {first}",
                "child_cap": f"My {rel} {first}",
                "child_name": first,
                "my_child": f"my {rel}",
                "their_child": f"{pronouns['their']} {rel} {first}",
            }
            tags.add("child")
            if len(children) > 1:
                words["kids"] = "my kids" if person.young else "my children"
                words["kids_cap"] = words["kids"].capitalize()
        if grandchildren:
            tags.add("grandkids")
            tags |= {"granddaughter" if s == "f" else "grandson" for s, _ in grandchildren}
            words["gk_name"] = grandchildren[0][1]
            if len(grandchildren) > 1:
                words |= {
                    "grandchildren": "my grandchildren",
                    "grandchildren_cap": "My grandchildren",
                }
        if partner:
            rel = "wife" if partner[0] == "f" else "husband"
            words |= {
                "partner": f"my {rel} {partner[1]}",
                "partner_cap": f"My {rel} {partner[1]}",
                "partner_name": partner[1],
            }
            tags.add("partner")
        if late:
            words["late_name"] = late[1]
        if sibling:
            rel = "sister" if sibling[0] == "f" else "brother"
            words |= {"sibling": f"my {rel} {sibling[1]}", "sibling_name": sibling[1]}
        if pet:
            words |= {"pet": f"my {pet[0]} {pet[1]}", "pet_cap": f"My {pet[0]} {pet[1]}"}
            tags.add("pet")
        person.words = {k: v for k, v in words.items() if v}
        person.tags = tags

    def choose_themes(self, person, pinned, count):
        if "themes" in pinned:
            person.themes = list(pinned["themes"])
            return
        names = [
            name for name, theme in THEMES.items() if self.fits(person, "", theme.get("needs", ""))
        ]
        # Faith and family shape a life; they come up more often than hobbies.
        weights = [3 if name in ("church", "mosque", "family") else 1 for name in names]
        chosen = []
        while len(chosen) < count and names:
            pick = self.rng.choices(names, weights)[0]
            chosen.append(pick)
            i = names.index(pick)
            del names[i], weights[i]
        person.themes = chosen

    # -- network -------------------------------------------------------------

    def resource(self, role, area):
        return self.resources.get((role, area)) or self.resources.get((role, ""))

    def build_network(self, person, size, pinned):
        rng, words = self.rng, person.words
        fam = person.family
        candidates = []  # (priority, role, fields)

        def personal(role, rel_label, sex_name, relation, priority, reach_chance):
            sex, first = sex_name
            does, could = FAMILY_DOES[role]
            does, freq = rng.choice(does)
            reach = ""
            if rng.random() < reach_chance:
                reach = f"06-{rng.randint(10_000_000, 99_999_999)}"
                if rng.random() < 0.3:
                    reach += rng.choice([" (evenings)", " (after 18:00)", ", or text"])
            candidates.append(
                (
                    priority,
                    role,
                    {
                        "name": f"{first} ({rel_label})" if rel_label else first,
                        "relation": relation,
                        "tie": "strong" if role == "partner" else "moderate",
                        "does_now": does,
                        "could_do": rng.choice(could) if could and rng.random() < 0.6 else "",
                        "frequency": freq.format_map(words),
                        "reach": reach,
                    },
                )
            )

        if fam["partner"]:
            sex = fam["partner"][0]
            personal("partner", "wife" if sex == "f" else "husband", fam["partner"], "family", 0, 0)
        for i, child in enumerate(fam["children"]):
            label = "daughter" if child[0] == "f" else "son"
            role, reach = ("kid", 0) if person.young else ("child", 0.6)
            personal(role, label, child, "family", min(i, 2) + (0 if i == 0 else 1), reach)
        if fam["grandchildren"] and rng.random() < 0.8:
            gk = fam["grandchildren"][0]
            label = "granddaughter" if gk[0] == "f" else "grandson"
            personal("grandchild", label, gk, "family", 2, 0.3)
        if fam["sibling"] and rng.random() < 0.6:
            label = "sister" if fam["sibling"][0] == "f" else "brother"
            personal("sibling", label, fam["sibling"], "family", 3, 0.4)
        names = FAMILY_NAMES.get(person.background, FAMILY_NAMES["nl"])
        for i in range(rng.choice([0, 1, 1, 2])):
            sex = person.sex if rng.random() < 0.75 else rng.choice("fm")
            own = person.background in SURNAMES and rng.random() < 0.7
            first_names = names if own else FAMILY_NAMES["nl"]
            first = rng.choice(first_names[0] if sex == "f" else first_names[1])
            surname = rng.choice(SURNAMES[person.background if own else "nl"])
            personal("friend", "", (sex, f"{first} {surname}"), "friend", 1 + 2 * i, 0.5)
        for i in range(rng.choice([0, 1, 1, 1, 2])):
            label = rng.choice(NEIGHBOUR_PLACES)
            personal("neighbour", label, ("", rng.choice(NEIGHBOURS)), "neighbour", 1 + 2 * i, 0.3)

        def organisation(role, priority, relation, name=None, does=None, could=None, freq=None):
            found = self.resource(role, person.area)
            if not found:
                return
            resource_id, resource_name, people = found
            done, could_do = PROFESSIONALS.get(role, ([], []))
            usual, often = rng.choice(done) if done else ("", "")
            candidates.append(
                (
                    priority,
                    role,
                    {
                        "name": name or (rng.choice(people) if people else resource_name),
                        "relation": relation,
                        "tie": rng.choice(["moderate", "moderate", "weak", "strong"]),
                        "does_now": does or usual,
                        "could_do": could
                        if could is not None
                        else (rng.choice(could_do) if could_do and rng.random() < 0.4 else ""),
                        "frequency": freq or often,
                        "reach": "",
                        "resource": resource_id,
                    },
                )
            )

        if rng.random() < 0.85:
            if person.plan == "insulin" and rng.random() < 0.6:
                gp = self.resource("gp", person.area)
                nurse = [p for p in gp[2] if "nurse" in p] if gp else []
                organisation(
                    "gp",
                    1,
                    "gp",
                    name=nurse[0] if nurse else None,
                    does="Diabetes check every three months",
                    freq="every three months",
                )
            else:
                organisation("gp", 1, "gp")
        if person.plan in ("insulin", "wound") or rng.random() < 0.45:
            does, freq = {
                "insulin": ("Insulin pens and needles, delivered", "monthly"),
                "wound": ("Delivers the dressings", "weekly"),
            }.get(person.plan, (None, None))
            organisation("pharmacy", 2, "pharmacy", does=does, freq=freq)
        for theme in person.themes:
            for role, does, could, freq in THEMES[theme]["groups"]:
                if rng.random() < 0.7:
                    organisation(
                        role,
                        2,
                        "community",
                        does=does.format_map(words),
                        could=could,
                        freq=freq,
                    )
        if rng.random() < 0.15:
            organisation("physio", 3, "professional")
        if rng.random() < 0.1:
            organisation("buurtteam", 3, "professional")
        if rng.random() < 0.1:
            organisation("time_bank", 3, "community")
        if rng.random() < 0.04:
            organisation("food_bank", 3, "community")

        if size == "rich":
            target = rng.randint(3, 8)
        elif size == "small":
            target = rng.randint(2, 4)
        else:
            target = rng.randint(0, 2)
            candidates = [c for c in candidates if c[1] in ("partner", "child")]
        # No two rows for the same place (the GP practice once, not twice).
        seen, unique = set(), []
        for candidate in sorted(candidates, key=lambda c: (c[0], rng.random())):
            name = candidate[2]["name"]
            if name not in seen:
                seen.add(name)
                unique.append(candidate)
        pinned_names = {extra[1] for extra in pinned.get("network", [])}
        kept = [c for c in unique[:target] if c[2]["name"] not in pinned_names]
        for extra in pinned.get("network", []):
            role, name, relation, tie, does, could, freq, reach = extra
            kept.append(
                (
                    0,
                    role,
                    {
                        "name": name,
                        "relation": relation,
                        "tie": tie,
                        "does_now": does,
                        "could_do": could,
                        "frequency": freq,
                        "reach": reach,
                    },
                )
            )

        # When each tie was first written down: most at the first visits, some later on.
        intake = self.day(person, rng.randint(0, 3))
        long_enough = size == "rich" and person.span >= 30
        rows = []
        for _priority, role, fields in kept:
            # Family is there from the start; groups and helpers join as the care goes on.
            if role in ("partner", "child", "kid", "grandchild", "sibling"):
                later_chance = 0
            elif role in ("friend", "neighbour", "gp", "pharmacy"):
                later_chance = 0.2
            else:
                later_chance = 0.6
            if long_enough and rng.random() < later_chance:
                since = self.later(person, person.opened, 15)
            else:
                since = intake
            close = role == "partner" or fields["does_now"].startswith("Phones every")
            if close or (role in ("child", "grandchild") and rng.random() < 0.5):
                fields["tie"] = "strong"
            elif role in ("friend", "neighbour", "sibling") and rng.random() < 0.3:
                fields["tie"] = rng.choice(["weak", "strong"])
            rows.append(self.network_row(person, role, since, **fields))

        for _key, _offer_by, goal_of, days_ago, _note, tie in CONNECTIONS:
            if goal_of == person.name:
                name, relation, strength, does, could, freq = tie
                since = self.today - dt.timedelta(days=days_ago)
                rows.append(
                    self.network_row(
                        person,
                        "connection",
                        since,
                        name=name,
                        relation=relation,
                        tie=strength,
                        does_now=does,
                        could_do=could,
                        frequency=freq,
                    )
                )

        personal_rows = [r for r in rows if r["role"] in STRESSFUL and r["since"] == intake]
        if personal_rows and size == "rich" and rng.random() < 0.08:
            row = rng.choice(personal_rows)
            does, could, freq = STRESSFUL[row["role"]]
            row.update(
                tie="stressful",
                does_now=does.format_map(words),
                could_do=could,
                frequency=freq.format_map(words),
            )
        if size == "rich" and person.span >= 40 and rng.random() < 0.5:
            self.change_a_tie(person, rows, intake)
        if size == "rich" and person.span >= 40 and rng.random() < 0.2:
            first, last = (
                rng.choice(FAMILY_NAMES["nl"][0] + FAMILY_NAMES["nl"][1]),
                rng.choice(SURNAMES["nl"]),
            )
            self.network_row(
                person,
                "ended",
                intake,
                name=f"{first} {last}",
                relation="friend",
                tie="moderate",
                does_now=rng.choice(ENDED).format_map(words),
                frequency="weekly",
                until=self.later(person, intake, 10),
            )

        current = [r for r in person.network if r["until"] is None]
        friend = next((r for r in current if r["role"] == "friend"), None)
        if friend and friend["tie"] in ("strong", "moderate"):
            words["friend_name"] = friend["name"].split()[0]
        neighbour = next((r for r in current if r["role"] == "neighbour"), None)
        if neighbour:
            words["neighbour"] = neighbour["name"].replace(" (", " ").rstrip(")")

    def network_row(self, person, role, since, until=None, **fields):
        row = {
            "person": person,
            "role": role,
            "client": person.client_id,
            "name": "",
            "relation": "other",
            "does_now": "",
            "could_do": "",
            "reach": "",
            "tie": "moderate",
            "frequency": "",
            "resource": None,
            "on_profile": False,
            "since": since,
            "until": until,
            "created_at": self.moment(since, person),
        }
        row.update(fields)
        row["does_now"] = row["does_now"].format_map(person.words)
        row["could_do"] = row["could_do"].format_map(person.words)
        self.network.append(row)
        person.network.append(row)
        return row

    def change_a_tie(self, person, rows, intake):
        """A dated change: the old row ends and a new one starts, as the app records it."""
        rng, words = self.rng, person.words
        at_intake = [r for r in rows if r["since"] == intake and r["tie"] != "stressful"]
        options = []
        closer = [r for r in at_intake if r["role"] in ("neighbour", "friend")]
        if closer:
            options.append(("closer", rng.choice(closer), rng.choice(CLOSER)))
        further = [r for r in at_intake if r["role"] == "child"]
        if len(further) > 1:  # someone else in the family is still close by
            options.append(("further", rng.choice(further), rng.choice(FURTHER)))
        calmer = [r for r in at_intake if r["role"] == "child"]
        if calmer and rng.random() < 0.3:
            options.append(("calmer", rng.choice(calmer), rng.choice(CALMER)))
        if not options:
            return
        _kind, row, (before, after) = rng.choice(options)
        changed = self.later(person, intake, 14)
        self.network_row(
            person,
            row["role"] + "-before",
            row["since"],
            until=changed,
            **{k: row[k] for k in ("name", "relation", "could_do", "reach", "resource")},
            does_now=before[0],
            tie=before[1],
            frequency=before[2],
        )
        row.update(
            since=changed,
            created_at=self.moment(changed, person),
            does_now=after[0].format_map(words),
            tie=after[1],
            frequency=after[2],
        )

    # -- about me, strengths -----------------------------------------------------

    def build_about(self, person, size, members):
        rng = self.rng
        sections = list(AboutMe.SECTIONS)
        if size == "rich":
            chosen = [s for s in sections if rng.random() < 0.8]
            while len(chosen) < 3:
                extra = rng.choice([s for s in sections if s not in chosen])
                chosen.append(extra)
        elif size == "small":
            chosen = ["matters", *rng.sample(["good_day", "support", "hopes"], rng.randint(0, 2))]
        else:
            chosen = ["matters"] if rng.random() < 0.6 else []
        first_visit = self.day(person, rng.randint(0, 3))
        for section in sections:
            if section not in chosen:
                continue
            versions = []
            history = size == "rich" and person.span >= 30 and rng.random() < 0.35
            if history:
                if rng.random() < 0.25:
                    versions.append(self.family_says(person, section))
                first = self.text(f"first:{section}", ABOUT_FIRST[section], person)
                if first:
                    versions.append((first, "person", ""))
            versions.append(self.main_text(person, section))
            versions = [v for v in versions if v and v[0]]
            if len(versions) > 1 or size == "tiny":
                day = first_visit
            else:
                day = self.day(person, rng.randint(0, min(person.span, 45)))
            for number, (text, said_by, said_by_name) in enumerate(versions, start=1):
                when = self.moment(day, person)
                self.about.append(
                    (
                        person.client_id,
                        section,
                        number,
                        text,
                        said_by,
                        said_by_name,
                        self.recorder(person, members, when).id,
                        when,
                    )
                )
                day = self.later(person, day, max(7, (self.today - day).days // 3))

    def family_says(self, person, section):
        if "child" not in person.tags or person.young:
            return None
        text = self.text(f"family:{section}", ABOUT_FAMILY[section], person)
        return (text, "family", person.words["their_child"]) if text else None

    def main_text(self, person, section):
        rng = self.rng
        if rng.random() < 0.08:
            said = self.family_says(person, section)
            if said:
                return said
        themed = [
            (f"theme:{t}:{section}", THEMES[t].get(section, []))
            for t in person.themes
            if not (section == "hopes" and t in person.settled)
        ]
        themed = [(key, pool) for key, pool in themed if pool]
        text = None
        if themed and rng.random() < 0.55:
            key, pool = rng.choice(themed)
            text = self.text(key, pool, person)
        text = text or self.text(f"about:{section}", ABOUT_POOLS[section], person)
        return (text, "person", "")

    def build_strengths(self, person, size):
        rng = self.rng
        count = {"rich": rng.randint(2, 5), "small": rng.randint(1, 3)}.get(size, 0)
        categories = rng.sample(list(Strength.CATEGORIES), min(count, 5))
        taken = set()
        for category in categories:
            text = None
            if rng.random() < 0.6:
                for theme in person.themes:
                    found = self.take(
                        f"strength:{theme}",
                        THEMES[theme]["strengths"],
                        lambda s, c=category: s[0] == c and self.fits(person, *s[1:]),
                        limit=3,
                    )
                    if found:
                        text = found[0][1].format_map(person.words)
                        break
            text = text or self.text(f"strength:{category}", STRENGTH_POOLS[category], person)
            if not text or text in taken:
                continue
            taken.add(text)
            day = self.later(person, person.opened, 0)
            self.strengths.append((person.client_id, category, text, 1, self.moment(day, person)))

    # -- goals and steps ---------------------------------------------------------

    def goal_fits(self, person, goal) -> bool:
        return self.fits(person, goal["words"], goal.get("needs", "")) and self.fits(
            person, goal["why"]
        )

    def build_goals(self, person, size, pinned, members):
        rng = self.rng
        if size not in ("rich", "small") or person.span < 3:
            return []
        count = rng.choice([1, 2, 2, 2, 3]) if size == "rich" else rng.choice([0, 1, 1])
        chosen = list(pinned.get("goals", []))
        pools = []
        if person.plan in PLAN_GOALS and rng.random() < 0.7:
            pools.append((f"plan:{person.plan}", PLAN_GOALS[person.plan]))
        themes = list(person.themes)
        rng.shuffle(themes)
        pools += [(f"goal:{t}", THEMES[t]["goals"]) for t in themes]
        pools.append(("goal:any", PLAN_GOALS["any"]))
        theme_of = {id(g): g.get("theme") for g in chosen}
        for key, pool in pools:
            if len(chosen) >= count:
                break
            taken = list(chosen)
            found = self.take(
                key,
                pool,
                lambda g, t=taken: g not in t and self.goal_fits(person, g),
                limit=GOAL_REPEATS,
            )
            chosen += found
            theme_of.update((id(g), key.removeprefix("goal:")) for g in found)
        positions = []
        settled = 0  # achieved or let go: at most one, and never the only goal
        for goal in chosen[: max(count, len(pinned.get("goals", [])))]:
            positions.append(
                self.goal(person, goal, size, members, len(chosen) > 1 and not settled)
            )
            if self.goals[positions[-1]]["status"] == "active":
                person.tags.add(f"goal:{theme_of.get(id(goal))}")
            else:
                settled += 1
                # Its hopes have come true or been let go: "about me" moves on.
                person.settled.add(theme_of.get(id(goal)))
        return positions

    def goal(self, person, goal, size, members, may_settle):
        rng, words = self.rng, person.words
        created = self.day(person, rng.randint(1, max(1, min(21, person.span // 3))))
        status, story, ended = "active", "", None
        if may_settle and size == "rich" and person.span >= 45 and "connect" not in goal:
            for outcome, chance in (("achieved", 0.3), ("let_go", 0.5)):
                if outcome in goal and self.fits(person, goal[outcome]) and rng.random() < chance:
                    status, story = outcome, goal[outcome].format_map(words)
                    ended = self.later(person, created, 21)
                    break
        if status != "active":
            review_on = ended
        elif "connect" in goal:
            review_on = self.today + dt.timedelta(days=rng.randint(5, 20))
        else:
            roll = rng.random()
            if roll < 0.25:
                review_on = max(
                    created + dt.timedelta(days=14),
                    self.today - dt.timedelta(days=rng.randint(1, 20)),
                )
            elif roll < 0.55:
                review_on = self.today + dt.timedelta(days=rng.randint(0, 14))
            else:
                review_on = self.today + dt.timedelta(days=rng.randint(21, 75))
        help_wanted = ""
        helps = [h for h in goal.get("help", []) if self.fits(person, h)]
        if helps and status == "active" and ("connect" in goal or rng.random() < 0.55):
            help_wanted = helps[0] if "connect" in goal else rng.choice(helps)
        position = len(self.goals)
        self.goals.append(
            {
                "client": person.client_id,
                "words": goal["words"].format_map(words),
                "why": goal["why"].format_map(words),
                "status": status,
                "story": story,
                "review_on": review_on,
                "help_wanted": help_wanted.format_map(words),
                "created_at": self.moment(created, person),
                "keys": goal.get("keys", ()),
            }
        )
        if "connect" in goal:
            self.goal_keys[goal["connect"]] = (position, rng.choice(person.known_best))
        self.build_steps(person, goal, position, created, status, ended, size, members)
        return position

    def helper_row(self, person, roles, by_day):
        """A current, friendly tie in one of `roles` (in order of preference)."""
        for role in roles.split():
            if role == "connection":
                rows = [r for r in person.network if r["role"] == "connection"]
            else:
                rows = [
                    r
                    for r in person.network
                    if r["until"] is None
                    and r["tie"] != "stressful"
                    and r["since"] <= by_day
                    and r["role"] == role
                ]
            if rows:
                return self.rng.choice(rows)
        return None

    def build_steps(self, person, goal, position, created, status, ended, size, members):
        rng = self.rng
        steps = goal["steps"]
        count = len(steps) if "connect" in goal else rng.randint(1, min(4, len(steps)))
        if size != "rich":
            count = min(count, 2)
        active = {m for m, _since, until in members if until is None}
        due = created
        for text, kind, *roles in steps[:count]:
            step_created = created
            helper_kind, network_row, member = kind, None, None
            helper = ""
            if kind == "network":
                network_row = self.helper_row(person, roles[0], ended or self.today)
                if network_row is None:
                    if "{helper}" in text:
                        continue
                    helper_kind = "member"
                else:
                    helper = _first_name(network_row["name"])
                    step_created = max(created, network_row["since"])
            if helper_kind == "member":
                there = [
                    m
                    for m in self.present(members, self.moment(step_created, person))
                    if m in active
                ]
                usual = [m for m in person.known_best if m in there]
                member = rng.choice(usual or there)
            if not self.fits(person, text.replace("{helper}", "")):
                continue
            due = max(due, step_created) + dt.timedelta(days=rng.randint(5, 14))
            done_on = None
            finished_by = ended or (self.today - dt.timedelta(days=1))
            if status == "achieved" or (
                due <= finished_by and rng.random() < (0.5 if status == "let_go" else 0.8)
            ):
                done_on = min(due + dt.timedelta(days=rng.randint(-3, 2)), finished_by)
                done_on = max(done_on, step_created)
            self.steps.append(
                {
                    "goal": position,
                    "text": text.format_map({**person.words, "helper": helper}),
                    "helper_kind": helper_kind,
                    "network": network_row,
                    "member": member.id if member else None,
                    "due_on": due,
                    "done_on": done_on,
                    "created_at": self.moment(step_created, person),
                }
            )

    # -- offers, consent, contacts -------------------------------------------------

    def build_offers(self, person, size, pinned):
        rng = self.rng
        offers = list(pinned.get("offers", []))
        chance = {"rich": 0.55, "small": 0.4}.get(size, 0)
        if not offers and rng.random() < chance:
            count = 2 if rng.random() < 0.2 else 1

            def fits(offer):
                return self.fits(person, offer[0]) and self.fits(person, offer[1])

            if rng.random() < 0.7:
                for theme in rng.sample(person.themes, len(person.themes)):
                    # Not what they are working to get back themselves.
                    if len(offers) < count and f"goal:{theme}" not in person.tags:
                        offers += self.take(
                            f"offer:{theme}", THEMES[theme]["offers"], fits, limit=3
                        )
            if len(offers) < count:
                offers += self.take("offer:any", GENERIC_OFFERS, fits, count - len(offers), limit=3)
        for text, when, *key in offers:
            day = self.later(person, person.opened, 2)
            if key:
                self.offer_keys[key[0]] = len(self.offers)
                agreed = next(c[3] for c in CONNECTIONS if c[0] == key[0])
                day = min(day, self.today - dt.timedelta(days=agreed + 14))
                person.offered_by = day
            self.offers.append(
                (
                    person.client_id,
                    text.format_map(person.words),
                    when.format_map(person.words),
                    1,
                    self.moment(day, person),
                )
            )
        return offers

    def build_consent(self, person, size, offers):
        rng, words = self.rng, person.words
        chance = {"rich": 0.9, "small": 0.7, "tiny": 0.15}.get(size, 0)
        if rng.random() >= chance and not offers:
            return
        given = self.day(person, rng.randint(0, min(14, max(0, person.span - 2))))
        consents = [(CONSENT_PROFILE, given, None)]
        if size == "rich" and rng.random() < 0.25:
            extra = [
                c
                for c in CONSENT_EXTRA
                if self.fits(person, c[0])
                and self.fits(person, c[1])
                and not (person.young and "{their_child}" in c[1])
            ]
            if extra:
                consents.append((rng.choice(extra), self.later(person, given, 3), None))
        if offers and rng.random() < 0.8 or person.offered_by:
            day = person.offered_by or self.later(person, given, 1)
            consents.append((CONSENT_OFFER, max(day, given), None))
        if size == "rich" and person.span >= 40 and rng.random() < 0.05:
            withdrawn = self.later(person, given, 20)
            consents.append((CONSENT_WITHDRAWN, given, withdrawn))
        for (what, with_whom), day, withdrawn in consents:
            self.consents.append(
                (
                    person.client_id,
                    what.format_map(words),
                    with_whom.format_map(words),
                    day,
                    withdrawn,
                    1,
                    self.moment(day, person),
                )
            )
        # Names go on the printed profile only with the person's agreement.
        for row in person.network:
            if row["relation"] in ("family", "friend", "neighbour"):
                row["on_profile"] = rng.random() < 0.85
            elif row["relation"] == "community":
                row["on_profile"] = rng.random() < 0.3

    def link_contacts(self, person, goals, contacts):
        """Contacts whose notes are about a goal count towards it (a few per goal)."""
        linked = [None] * len(contacts)
        for position in goals:
            goal = self.goals[position]
            keys = [k.lower() for k in goal["keys"]]
            count = 0
            for i, contact in enumerate(contacts):
                if count == 3:
                    break
                if linked[i] is not None or contact["happened_at"] < goal["created_at"]:
                    continue
                note = contact["text"].lower()
                if any(k in note for k in keys):
                    linked[i] = position
                    count += 1
        return linked

    # -- writing it all ----------------------------------------------------------

    def insert_resources(self, team, resources, created_at):
        rows = [
            (team.id, name, kind, address, phone, hours, notes, 1, created_at)
            for _role, _area, name, kind, address, phone, hours, notes, _people in resources
        ]
        _insert(LocalResource, RESOURCE_FIELDS, rows)
        ids = dict(
            LocalResource.select(LocalResource.name, LocalResource.id)
            .where(LocalResource.team == team)
            .tuples()
        )
        self.resources = {
            (role, area): (ids[name], name, people)
            for role, area, name, *_rest, people in resources
        }

    def insert(self, client_ids):
        """Write the records of these clients; returns goal ids by position."""
        network = self.network
        _insert(
            NetworkMember,
            NETWORK_FIELDS,
            [
                (
                    r["client"],
                    r["name"],
                    r["relation"],
                    r["does_now"],
                    r["could_do"],
                    r["reach"],
                    r["tie"],
                    r["frequency"],
                    r["resource"],
                    r["on_profile"],
                    r["since"],
                    r["until"],
                    1,
                    r["created_at"],
                )
                for r in network
            ],
        )
        network_ids = _ids_in_order(
            NetworkMember.select(NetworkMember.id).where(NetworkMember.client.in_(client_ids))
        )
        for row, row_id in zip(network, network_ids, strict=True):
            row["id"] = row_id
        _insert(
            Goal,
            GOAL_FIELDS,
            [
                (
                    g["client"],
                    g["words"],
                    g["why"],
                    g["status"],
                    g["story"],
                    g["review_on"],
                    g["help_wanted"],
                    1,
                    g["created_at"],
                )
                for g in self.goals
            ],
        )
        goal_ids = _ids_in_order(Goal.select(Goal.id).where(Goal.client.in_(client_ids)))
        _insert(
            Step,
            STEP_FIELDS,
            [
                (
                    goal_ids[s["goal"]],
                    s["text"],
                    s["helper_kind"],
                    s["network"]["id"] if s["network"] else None,
                    s["member"],
                    s["due_on"],
                    s["done_on"],
                    1,
                    s["created_at"],
                )
                for s in self.steps
            ],
        )
        _insert(AboutMe, ABOUT_FIELDS, self.about)
        _insert(Strength, STRENGTH_FIELDS, self.strengths)
        _insert(Offer, OFFER_FIELDS, self.offers)
        _insert(Consent, CONSENT_FIELDS, self.consents)
        offer_ids = _ids_in_order(Offer.select(Offer.id).where(Offer.client.in_(client_ids)))

        connections = []
        for key, _offer_by, _goal_of, days_ago, note, _tie in CONNECTIONS:
            if key in self.offer_keys and key in self.goal_keys:
                goal_position, member = self.goal_keys[key]
                agreed = self.today - dt.timedelta(days=days_ago)
                connections.append(
                    (
                        offer_ids[self.offer_keys[key]],
                        goal_ids[goal_position],
                        agreed,
                        note,
                        member.id,
                        self.moment(agreed),
                    )
                )
        _insert(Connection, CONNECTION_FIELDS, connections)
        return goal_ids


def _area(team_area: str, postcode_prefix: str) -> str:
    if team_area == "Zuid":
        return "zuid"
    return "noord" if postcode_prefix.startswith(("102", "103")) else "oost"


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


def _demo_people(demo, rng_records, team, people, streets, members, resources):
    """Create a team's people, who knows them best, their records and what happened so far."""
    rng, now = demo.rng, demo.now
    records = _Records(rng_records, demo)
    records.insert_resources(team, resources, team.created_at + dt.timedelta(days=20))
    current = [m for m, _since, until in members if until is None]
    contact_rows, colleagues, contact_goals = [], [], []
    known_best_rows, client_ids = [], []
    for spec in people:
        name, preferred, sex, age, plan = spec
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
            # In care since the case was opened, not since the demo was seeded.
            care_started_at=created_at,
            created_at=created_at,
            updated_at=created_at,
        )
        client_ids.append(client.id)
        known_best = rng.sample(current, rng.choice([1, 1, 2]))
        known_best_rows.extend((client.id, m.id) for m in known_best)

        words = {"n": preferred or name.split()[0], **PRONOUNS[sex]}
        for contact in history:
            contact["text"] = contact["note"].format_map(words)
        size = _record_size(team.area, plan)
        contact_goals += records.person(
            spec,
            client.id,
            created_at,
            _area(team.area, prefix),
            street,
            known_best,
            members,
            history,
            size,
        )

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
                [
                    client.id,
                    author.id,
                    when,
                    contact["minutes"],
                    contact["kind"],
                    contact["text"],
                    contact.get("incoming", False),
                    contact.get("demand", ""),
                    contact.get("demand_why", ""),
                    contact.get("resolved_first_time"),
                    1,
                    min(written, now),
                ]
            )
            chance = {"home_visit": 0.08, "consult": 0.5}.get(contact["kind"], 0)
            others = [m for m in there if m != author]
            colleagues.append(rng.choice(others) if others and rng.random() < chance else None)

    goal_ids = records.insert(client_ids)
    for row, goal in zip(contact_rows, contact_goals, strict=True):
        row.append(goal_ids[goal] if goal is not None else None)
    _insert(KnownBest, (KnownBest.client, KnownBest.member), known_best_rows)
    _insert(Contact, DEMO_CONTACT_FIELDS, contact_rows)
    contact_ids = _ids_in_order(Contact.select(Contact.id).where(Contact.client.in_(client_ids)))
    _insert(
        ContactMember,
        (ContactMember.contact, ContactMember.member),
        [(cid, m.id) for cid, m in zip(contact_ids, colleagues, strict=True) if m],
    )


# Referrals still waiting in the demo inboxes: (days ago, local hour, urgency, referrer name,
# organisation, referrer phone, person, born, street, postcode, phone, what they said,
# the reason it went to the team meeting or "").
OOST_OPEN_REFERRALS = [
    (
        0,
        8,
        "urgent",
        "Dr. Bouali",
        "Huisartsenpraktijk Dapperbuurt",
        "020-6651840",
        "Hendrik Brouwer",
        dt.date(1941, 3, 12),
        "Wagenaarstraat 37-2",
        "1093 CT",
        "020-6943318",
        "Mr Brouwer came home from the OLVG yesterday after ten days with pneumonia. He lives "
        "alone on the second floor; his daughter lives in Utrecht and comes at weekends. He is "
        "weak on his legs, has new medication (antibiotics and prednisone) and did not manage "
        "to wash this morning. Could someone come tomorrow to go through the medication and "
        "help him shower?",
        "",
    ),
    (
        1,
        15,
        "soon",
        "Ria Kok",
        "neighbour",
        "06-41528830",
        "Tilly Verhoeven",
        dt.date(1936, 9, 2),
        "Celebesstraat 18-1",
        "1094 EZ",
        "020-6658127",
        "Mrs Verhoeven lives across the landing. Since her husband died in the spring she "
        "hardly goes out; the curtains stay closed until the afternoon and last week she did "
        "not recognise me at first. I bring her groceries but I don't think she eats them. Her "
        "son lives in Almere and knows I am calling you.",
        "",
    ),
    (
        2,
        11,
        "routine",
        "Astrid Bos",
        "herself",
        "06-28371945",
        "Astrid Bos",
        dt.date(1950, 6, 21),
        "Kramatweg 9-3",
        "1095 JL",
        "06-28371945",
        "The vascular surgeon prescribed compression stockings, and with my frozen shoulder I "
        "cannot get them on and off myself. Help in the morning and the evening until the "
        "physio has my shoulder moving again, a few weeks I hope.",
        "",
    ),
    (
        3,
        10,
        "soon",
        "Mirjam de Wit, transfer nurse",
        "OLVG Oost",
        "020-5993000",
        "Piet van Leeuwen",
        dt.date(1947, 11, 30),
        "Zamenhofstraat 151",
        "1022 AE",
        "020-6321904",
        "Goes home on Friday after a below-knee amputation. Needs wound care every day for at "
        "least four weeks, insulin twice a day, and help with transfers until the prosthesis "
        "is fitted. His wife (78) is at home but cannot lift him.",
        "Two visits a day for weeks, and a hoist: can the Noord part of the team take this "
        "on as it is now?",
    ),
]
ZUID_OPEN_REFERRALS = [
    (
        1,
        9,
        "soon",
        "Dr. Weiss",
        "Huisartsenpraktijk Rivierenbuurt",
        "020-6442318",
        "Gerda Hofman",
        dt.date(1939, 4, 8),
        "Maasstraat 44-2",
        "1078 HN",
        "020-6714420",
        "Her sugars have been all over the place since her husband moved into the care home in "
        "March; she forgets the evening insulin. Could you visit this week and see what would "
        "help her keep track?",
        "",
    ),
    (
        4,
        19,
        "routine",
        "Esther Hofstede (daughter)",
        "",
        "06-19283746",
        "Wim Hofstede",
        dt.date(1944, 1, 27),
        "Rijnstraat 201",
        "1079 HK",
        "020-6446001",
        "My father had a small stroke in the summer. He manages, but he no longer showers "
        "because he is afraid of falling. He would like someone to help him twice a week; "
        "he said I could call.",
        "",
    ),
]
# Who referred the people the team took on in the last weeks, and what they said.
ACCEPTED_REFERRERS = [
    (
        "Dr. Kramer",
        "Huisartsenpraktijk Dapperbuurt",
        "020-6651840",
        "Had a fall at home last week; nothing broken but very stiff and frightened to fall "
        "again. Needs help with washing and dressing for a while, and someone to look at the "
        "house with a view to a second handrail.",
    ),
    (
        "Sandra Mol, transfer nurse",
        "OLVG Oost",
        "020-5993000",
        "Goes home tomorrow after a new hip. Wound check in three days, help with the "
        "compression stockings, and please see how the stairs go.",
    ),
    (
        "Dr. Nguyen",
        "Gezondheidscentrum Van der Pek",
        "020-6362215",
        "Newly diagnosed with diabetes type 2, starting on insulin. Would like help to learn "
        "to inject and to check the sugars until it is routine.",
    ),
    (
        "Karin Doorn, practice nurse",
        "Gezondheidscentrum Van der Pek",
        "020-6362215",
        "COPD getting worse: short of breath on the stairs, and the inhalers are not used "
        "the right way. Please help with the inhalers and keep an eye on the oxygen.",
    ),
    (
        "their son, Marco",
        "",
        "06-55102938",
        "We are worried: the post is piling up and the fridge is empty, and the pill box was "
        "still full on Sunday. We live in Breda and cannot be there during the week.",
    ),
]


def _demo_referrals(demo, oost, zuid, oost_members, zuid_members):
    """Both inboxes: referrals still open (one for the team meeting), and Oost-Noord's
    decisions of the last weeks: the people it took on, with their first visits, and one
    it declined and pointed elsewhere."""
    rng = random.Random(2029)  # its own stream: the other demo data stays put
    now = demo.now

    def received(days_ago, hour):
        # In office hours and never later than now, whatever time the demo is seeded.
        at = demo.at(days_ago, hour, hour + 1)
        while at > now:
            at -= dt.timedelta(days=1)
        return at

    for team, members, rows in (
        (oost, oost_members, OOST_OPEN_REFERRALS),
        (zuid, zuid_members, ZUID_OPEN_REFERRALS),
    ):
        current = [m for m, _since, until in members if until is None]
        for row in rows:
            days, hour, urgency, referrer, org, their_phone, name, born = row[:8]
            street, postcode, phone, story, meeting = row[8:]
            at = received(days, hour)
            Referral.create(
                team=team,
                received_at=at,
                recorded_by=rng.choice(current),
                referrer_name=referrer,
                referrer_org=org,
                referrer_phone=their_phone,
                person_name=name,
                date_of_birth=born,
                street=street,
                postcode=postcode,
                city="Amsterdam",
                phone=phone,
                story=story,
                urgency=urgency,
                status=Referral.MEETING if meeting else Referral.OPEN,
                meeting_reason=meeting,
                decided_by=rng.choice(current) if meeting else None,
                decided_at=at + dt.timedelta(hours=3) if meeting else None,
            )

    # The people Oost-Noord took on lately came in as referrals; the first home visit
    # recorded for each is the team's time from referral to first visit.
    current = [m for m, _since, until in oost_members if until is None]
    recent = list(
        Client.select()
        .where(
            Client.team == oost,
            Client.status == Client.ACTIVE,
            Client.created_at >= now - dt.timedelta(days=30),
        )
        .order_by(Client.created_at.desc(), Client.id)
    )
    # Most were visited since; the newest waits for the first visit in the plan.
    visited = [p for p in recent if p.last_contact_at][: len(ACCEPTED_REFERRERS) - 1]
    waiting = [p for p in recent if not p.last_contact_at][:1]
    taken_on = sorted(visited + waiting, key=lambda p: (p.created_at, p.id))
    for person, (referrer, org, their_phone, story) in zip(
        taken_on, ACCEPTED_REFERRERS, strict=False
    ):
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
        Referral.create(
            team=oost,
            received_at=at,
            recorded_by=rng.choice(current),
            referrer_name=referrer,
            referrer_org=org,
            referrer_phone=their_phone,
            person_name=person.name,
            date_of_birth=person.date_of_birth,
            street=person.street,
            postcode=person.postcode,
            city=person.city,
            phone=person.phone,
            story=story,
            urgency=urgency,
            status=Referral.ACCEPTED,
            decided_by=decider,
            decided_at=decided_at,
            client=person,
            first_visit_at=first,
        )
        if first is None:
            # Accepting put the first visit in the plan; it has not happened yet.
            PlannedVisit.create(
                team=oost,
                client=person,
                member=decider,
                day=demo.today + dt.timedelta(days=1),
                starts_at=dt.time(10, 30),
                ends_at=dt.time(11, 30),
                minutes=45,
                note="First visit",
                created_by=decider,
                created_at=decided_at,
            )

    at = received(12, 13)
    Referral.create(
        team=oost,
        received_at=at,
        recorded_by=rng.choice(current),
        referrer_name="Jeroen Smit",
        referrer_org="Wijkteam Noord",
        referrer_phone="020-2550400",
        person_name="Wim de Haan",
        date_of_birth=dt.date(1958, 2, 14),
        street="Hagedoornweg 72",
        postcode="1031 BW",
        city="Amsterdam",
        story="Piles of unopened post and a letter about eviction; he asks for help with his "
        "money and the letters. No health problems he mentions.",
        urgency="soon",
        status=Referral.DECLINED,
        decided_by=rng.choice(current),
        decided_at=at + dt.timedelta(hours=26),
        decline_reason="He asks for help with money and letters, not for nursing care.",
        referred_on_to="Wijkteam Noord's money help, and Humanitas thuisadministratie",
    )


def _record_size(team_area: str, plan: str) -> str:
    """How much of a record there is: brand-new people have little or nothing yet."""
    if plan == "new":
        return "tiny"
    if team_area == "Zuid" or plan == "recent":
        return "small"
    return "rich"


# The team's own page: details, the roles it rotates (with who held each when), and
# its log. Each role: name, purpose, and its turns as (member, since days ago, until
# days ago or None).
OOST_DETAILS = dict(
    street="Eerste van Swindenstraat 120",
    postcode="1093 GG",
    city="Amsterdam",
    phone="020 665 43 21",
    email="oost-noord@buurtzorg.example.org",
    capacity=60,
)
OOST_ROLES = [
    (
        "Planner",
        "Makes the week plan with everyone on Monday morning and keeps it up to date.",
        [("Anna de Vries", 700, 180), ("Lotte Jansen", 180, None)],
    ),
    (
        "Treasurer",
        "Keeps the team's budget, orders supplies and goes through the monthly figures "
        "with the back office.",
        [("Joost Visser", 700, None)],
    ),
    (
        "Mentor",
        "Walks alongside a new colleague in her first months: questions, first visits, who is who.",
        [("Sanne Bakker", 500, 300), ("Ingrid Smit", 70, None)],
    ),
    (
        "Developer",
        "Keeps an eye on how we work, and brings ideas and training to the team meeting.",
        [("Priya Raghunathan", 400, None)],
    ),
    (
        "Contact for the GP practices",
        "The first contact for the three GP practices in the area, and our voice at the "
        "monthly GP meeting.",
        [("Els Kok", 1200, 95), ("Fatima El Amrani", 95, None)],
    ),
]
ZUID_DETAILS = dict(
    street="Rijnstraat 150",
    postcode="1079 HM",
    city="Amsterdam",
    phone="020 644 12 90",
    email="zuid@buurtzorg.example.org",
    capacity=45,
)
ZUID_ROLES = [
    ("Planner", "Makes the week plan with everyone.", [("Noor Hendriks", 300, None)]),
    (
        "Treasurer",
        "Keeps the budget and orders supplies.",
        [("Ruben Dekker", 500, None)],
    ),
]


def _demo_team(demo, oost, zuid, oost_members, zuid_members):
    """Both teams' details, roles and turns; Oost-Noord's log of who joined and left
    (Els Kok's leaving among it) and an invitation that nobody has used yet."""
    rng = random.Random(2030)  # its own stream: the other demo data stays put
    now, today = demo.now, demo.today

    def moment(days_ago, hours=(10, 16)):
        local = dt.datetime.combine(
            today - dt.timedelta(days=days_ago), dt.time(rng.randint(*hours), rng.randint(0, 59))
        ).replace(tzinfo=DEMO_ZONE)
        return min(local.astimezone(dt.UTC).replace(tzinfo=None), now)

    def log(team, actor, when, action, entity, entity_id, before=None, after=None):
        """`when`: days ago (some time that working day), or the very moment."""
        AuditEvent.create(
            team=team,
            actor=actor,
            at=moment(when) if isinstance(when, int) else when,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=json.dumps({"before": before, "after": after}, sort_keys=True),
        )

    for team, details, roles, members in (
        (oost, OOST_DETAILS, OOST_ROLES, oost_members),
        (zuid, ZUID_DETAILS, ZUID_ROLES, zuid_members),
    ):
        Team.update(**details).where(Team.id == team.id).execute()
        people = {m.name: m for m, _since, _until in members}

        def someone(days_ago, members=members, but=None):
            """A member who had been in the team for a month or more that day."""
            when = now - dt.timedelta(days=days_ago)
            settled = when - dt.timedelta(days=30)
            there = [
                m
                for m, since, until in members
                if since <= settled and (not until or when < until) and m.name != but
            ]
            return rng.choice(there)

        for name, purpose, turns in roles:
            named_days = turns[0][1] + rng.randint(1, 20)
            role = TeamRole.create(
                team=team, name=name, purpose=purpose, created_at=moment(named_days)
            )
            after = {"role": name, "purpose": purpose}
            log(team, someone(named_days), named_days, "create", "role", role.id, after=after)
            previous = None  # (holder, until) of the turn before
            for holder, since, until in turns:
                RoleHolding.create(
                    role=role,
                    member=people[holder],
                    since=today - dt.timedelta(days=since),
                    until=today - dt.timedelta(days=until) if until is not None else None,
                )
                handed_from = None
                if previous and people[previous[0]].active:
                    if previous[1] == since:
                        handed_from = previous[0]
                    else:
                        # A turn that ended before anyone took over; one that ended
                        # because its holder left is in her leaving entry.
                        log(
                            team,
                            someone(previous[1]),
                            previous[1],
                            "end",
                            "role",
                            role.id,
                            before={"role": name, "holder": previous[0]},
                            after={"role": name, "holder": None},
                        )
                log(
                    team,
                    someone(since, but=holder),
                    since,
                    "hand",
                    "role",
                    role.id,
                    before={"role": name, "holder": handed_from},
                    after={"role": name, "holder": holder},
                )
                previous = (holder, until)

    # Oost-Noord's comings and goings.
    people = {m.name: m for m, _since, _until in oost_members}
    anna, joost, sanne = people["Anna de Vries"], people["Joost Visser"], people["Sanne Bakker"]
    daan, kwame, els = people["Daan Mulder"], people["Kwame Mensah"], people["Els Kok"]
    joined_days = (now - daan.created_at).days
    invitation = Invitation.create(
        team=oost,
        name=daan.name,
        email=daan.email,
        token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
        invited_by=anna,
        created_at=(invited_at := moment(joined_days + 3)),
        expires_at=invited_at + dt.timedelta(days=7),
        used_at=(joined_at := moment(joined_days)),
    )
    log(
        oost,
        anna,
        invited_at,
        "create",
        "invitation",
        invitation.id,
        after={
            "name": daan.name,
            "email": daan.email,
            "expires_at": invitation.expires_at.isoformat(sep=" "),
        },
    )
    log(
        oost,
        daan,
        joined_at,
        "join",
        "member",
        daan.id,
        after={"name": daan.name, "email": daan.email, "invited_by": anna.name},
    )
    log(
        oost,
        joost,
        (now - kwame.created_at).days,
        "create",
        "member",
        kwame.id,
        after={"name": kwame.name, "email": kwame.email, "how": "first password"},
    )
    _name, _joined, left = OOST_FORMER
    log(
        oost,
        anna,
        # In the morning: Fatima took over Els's role later that day.
        moment(left, hours=(8, 9)),
        "deactivate",
        "member",
        els.id,
        before={"name": els.name, "active": True},
        after={
            "name": els.name,
            "active": False,
            "note": "Moved to Utrecht to be near her grandchildren. Coffee on her last day!",
            "roles_ended": ["Contact for the GP practices"],
        },
    )
    before = {"name": oost.name, "area": oost.area, **OOST_DETAILS, "capacity": 55}
    log(
        oost, sanne, 120, "update", "team", oost.id, before=before, after={**before, "capacity": 60}
    )

    # Asked two days ago; the link (shown once, to Anna) still works for five.
    asked = moment(2)
    invitation = Invitation.create(
        team=oost,
        name="Yara Haddad",
        email="yara.haddad@example.nl",
        token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
        invited_by=anna,
        created_at=asked,
        expires_at=asked + dt.timedelta(days=7),
    )
    log(
        oost,
        anna,
        asked,
        "create",
        "invitation",
        invitation.id,
        after={
            "name": "Yara Haddad",
            "email": "yara.haddad@example.nl",
            "expires_at": invitation.expires_at.isoformat(sep=" "),
        },
    )


# The week plan: Oost-Noord's visits this week and next, with the recurring ones
# (insulin twice a day, a shower on Tuesdays and Fridays, wound care every other day)
# running on for weeks. Plan notes are written for whoever goes, so they carry no
# pronouns; contacts of visits that were done use the timeline's NOTES.

PLAN_NOTES = {
    "insulin_morning": [
        "Insulin before breakfast; sugar goes in the notebook on the table",
        "Insulin; pen and needles in the fridge door",
        "Insulin before breakfast",
    ],
    "insulin_evening": [
        "Evening insulin with dinner",
        "Evening insulin; check the feet once a week (Sundays)",
    ],
    "shower": [
        "Shower; the stool is in the hall cupboard",
        "Shower and hair wash, then compression stockings on",
    ],
    "wound": [
        "Wound care left shin; dressings in the blue box",
        "Wound care: clean, new dressing, photo for the GP on Fridays",
    ],
    "visit": [
        "Compression stockings on",
        "Check blood pressure",
        "Medicine roll from the pharmacy: go through it together",
        "Eye drops, and time for a cup of coffee",
        "Weigh; write it on the fluid chart",
        "Walk to the corner together",
        "Bring the new incontinence pads",
        "Ask how the first week at the day centre went",
        "Look at the swelling in both ankles",
        "Daughter will be there: talk about the stairlift",
        "Catheter care",
        "Check the pressure spot on the heel",
        "Help with washing; likes to start with a chat",
        "Stockings off and cream the legs",
        "",
        "",
        "",
        "",
    ],
    "phone": [
        "Call: how did the week go?",
        "Call: did the new shower chair arrive?",
        "Call about the new visit times",
    ],
}
# What kind of timeline note a done visit gets, by the kind of plan note.
PLAN_CONTACT_NOTES = {
    "insulin_morning": "insulin",
    "insulin_evening": "insulin",
    "shower": "visit",
    "wound": "wound",
    "visit": "visit",
    "phone": "call",
}
# (person, rule, weekdays, every n days, start, minutes, notes, weeks it runs)
OOST_SERIES = [
    ("Johanna van Dijk", "daily", (), 1, (7, 30), 15, "insulin_morning", 8),
    ("Johanna van Dijk", "daily", (), 1, (17, 30), 15, "insulin_evening", 8),
    ("Jacobus Hoekstra", "daily", (), 1, (8, 0), 15, "insulin_morning", 8),
    ("Jacobus Hoekstra", "daily", (), 1, (18, 0), 15, "insulin_evening", 8),
    ("Wilhelmina Kramer", "weekdays", (1, 4), 1, (9, 0), 45, "shower", 8),
    ("Hermina Brouwer", "weekdays", (1, 4), 1, (10, 30), 45, "shower", 8),
    ("Cornelis de Groot", "every_n", (), 2, (11, 0), 30, "wound", 3),
    ("Theodorus Schouten", "every_n", (), 2, (13, 30), 30, "wound", 3),
]
PLAN_FIELDS = (
    PlannedVisit.team,
    PlannedVisit.client,
    PlannedVisit.member,
    PlannedVisit.day,
    PlannedVisit.starts_at,
    PlannedVisit.ends_at,
    PlannedVisit.minutes,
    PlannedVisit.kind,
    PlannedVisit.note,
    PlannedVisit.series,
    PlannedVisit.status,
    PlannedVisit.contact,
    PlannedVisit.created_by,
    PlannedVisit.version,
    PlannedVisit.created_at,
)
# The member who is ill tomorrow: her visits are up for her colleagues to take.
OOST_ILL_TOMORROW = "Daan Mulder"


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


def _demo_plan(demo, team, members, people):
    """A realistic fortnight of `team`'s plan: 5-8 visits a weekday per member, fewer at
    weekends; series; handed-over visits up for grabs; and the visits of the days gone
    by done, each with its contact (the one on the timeline that day, or a new one)."""
    rng = random.Random(2031)  # its own stream: the other demo data stays put
    now, today = demo.now, demo.today
    local_now = now.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE).replace(tzinfo=None)
    # Last week (done), this week and next; the series began last Monday.
    monday = today - dt.timedelta(days=today.weekday())
    first = monday - dt.timedelta(days=7)
    days = [first + dt.timedelta(days=i) for i in range(21)]
    current = [m for m, _since, until in members if until is None]
    anna = current[0]
    spec = {name: (preferred, sex, plan) for name, preferred, sex, _age, plan in people}
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

    # Who works which day: everyone on weekdays, four at weekends (Anna always, so the
    # demo login has a day to show).
    workers = {}
    for day in days:
        if day.weekday() < 5:
            workers[day] = list(current)
        else:
            workers[day] = [anna, *rng.sample(current[1:], 3)]
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

    visits = []  # dicts; turned into rows at the end

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
                "note": rng.choice(PLAN_NOTES[notes]),
                "series": series,
                "status": PlannedVisit.PLANNED,
                "contact": None,
            }
        )

    # The series, written out to their last day; each person has a few regulars.
    for name, rule, weekdays, every, start, minutes, notes, weeks in OOST_SERIES:
        client = clients.get(name)
        if client is None:
            continue
        ends_on = first + dt.timedelta(days=weeks * 7 - 1)
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
        for day in VisitSeries.dates(rule, first, ends_on, weekdays, every):
            around = [m for m in regulars if day not in workers or m in workers[day]]
            member = rng.choice(around or regulars)
            at = start[0] * 60 + start[1]
            if (day, member.id) in schedule:
                schedule[(day, member.id)].book(at, minutes)
            add(day, client, member, at, minutes, "home_visit", notes, series=series)

    # One-off visits until each member's day is full enough. Someone may get a second
    # visit that day (morning and afternoon), never two from the same member.
    for day in days:
        visited = Counter(v["client"].id for v in visits if v["day"] == day)
        team_today = list(workers[day])
        rng.shuffle(team_today)
        for member in team_today:
            plan = schedule[(day, member.id)]
            target = rng.randint(5, 8) if day.weekday() < 5 else rng.randint(2, 4)
            count = len(plan.busy)
            cursor = 8 * 60 + rng.choice([0, 15, 30])
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
        if visit["day"] == tomorrow and visit["member"].name == OOST_ILL_TOMORROW:
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
    for contact_id, client_id, happened_at, kind in (
        Contact.select(Contact.id, Contact.client, Contact.happened_at, Contact.kind)
        .where(Contact.client.in_(list(by_id)), Contact.happened_at >= start_utc)
        .order_by(Contact.happened_at)
        .tuples()
    ):
        local_day = happened_at.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE).date()
        written.setdefault((client_id, local_day, kind), []).append(contact_id)
    recent = []

    def fresh_note(choices):
        # The same note visit after visit reads as copy-paste, not as a person.
        note = rng.choice([c for c in choices if c not in recent] or choices)
        recent[:] = [*recent[-4:], note]
        return note

    new_contacts = []
    for visit in over:
        visit["status"] = PlannedVisit.DONE
        there = written.get((visit["client"].id, visit["day"], visit["kind"]))
        if there:
            visit["contact"] = there.pop(0)
            continue
        preferred, sex, _plan = spec[visit["client"].name]
        words = {"n": preferred or visit["client"].name.split()[0], **PRONOUNS[sex]}
        note = fresh_note(NOTES[PLAN_CONTACT_NOTES[visit["notes"]]]).format_map(words)
        at = min(happened(visit), now - dt.timedelta(minutes=10))
        minutes = max(5, visit["minutes"] + rng.choice([0, 0, 0, 5, -5, 10]))
        created = min(at + dt.timedelta(minutes=minutes + rng.randint(2, 40)), now)
        row = [visit["client"].id, visit["member"].id, at, minutes, visit["kind"], note]
        new_contacts.append((visit, [*row, False, "", "", None, 1, created, None]))
    before = Contact.select(fn.MAX(Contact.id)).scalar() or 0
    _insert(Contact, DEMO_CONTACT_FIELDS, [row for _visit, row in new_contacts])
    new_ids = _ids_in_order(Contact.select(Contact.id).where(Contact.id > before))
    latest = {}
    for (visit, row), contact_id in zip(new_contacts, new_ids, strict=True):
        visit["contact"] = contact_id
        client_id, at, kind = row[0], row[2], row[4]
        if client_id not in latest or at > latest[client_id][0]:
            latest[client_id] = (at, kind)
    for client_id, (at, kind) in latest.items():
        client = by_id[client_id]
        if client.last_contact_at is None or at > client.last_contact_at:
            Client.update(last_contact_at=at, last_contact_kind=kind).where(
                Client.id == client_id
            ).execute()

    _insert(
        PlannedVisit,
        PLAN_FIELDS,
        [
            (
                team.id,
                v["client"].id,
                v["member"].id if v["member"] else None,
                v["day"],
                v["starts_at"],
                v["ends_at"],
                v["minutes"],
                v["kind"],
                v["note"],
                v["series"].id if v["series"] else None,
                v["status"],
                v["contact"],
                _planner(v, anna),
                1,
                v["series"].created_at if v["series"] else planned_at(v["day"]),
            )
            for v in sorted(visits, key=lambda v: (v["day"], v["starts_at"] or dt.time(23, 59)))
        ],
    )


def _planner(visit, fallback) -> int:
    """Who put a visit in the plan: its member, or whoever planned its series."""
    if visit["member"] is not None:
        return visit["member"].id
    if visit["series"] is not None:
        return visit["series"].created_by_id
    return fallback.id


# The team boards. Each task: title, person (None: for the team), note, due in how
# many days (None: no date), and its state:
#   ("open", None)                 nobody has it          ("open", "Anna")   Anna has it
#   ("asked", "Joost", "Anna")     Joost asked Anna, no answer yet
#   ("declined", "Sanne", "Lotte") Lotte said no to Sanne
#   ("done", "Priya", 3)           Priya finished it three days ago
# Names are members' first names.
OOST_TASKS = [
    (
        "Order compression stockings (class 2, size M)",
        "Hendrik Boersma",
        "Measured on Monday: ankle 24 cm, calf 36 cm. Medipoint delivers within three days.",
        2,
        ("open", "Anna"),
    ),
    (
        "Call the pharmacy about the new prescription",
        "Johanna van Dijk",
        "The GP changed her insulin on Friday; the pharmacy still has the old one on her roll.",
        0,
        ("open", None),
    ),
    (
        "Arrange a hoist for the bathroom",
        "Wilhelmina Kramer",
        "The occupational therapist agreed. Call the Wmo-loket for a delivery date.",
        5,
        ("open", "Joost"),
    ),
    (
        "Renew the car park permits",
        None,
        "The permits of both team cars end this month; the form is on the municipality's site.",
        -3,
        ("open", None),
    ),
    (
        "Ask the GP for a prescription for wound dressings",
        "Cornelis de Groot",
        "The silver dressings run out on Thursday.",
        -1,
        ("open", "Priya"),
    ),
    (
        "Find someone to walk with her on Saturdays",
        "Hermina Brouwer",
        "Buurtkamer De Linde has walking buddies; ask for Marieke.",
        None,
        ("open", None),
    ),
    (
        "Check the new key safe code with her son",
        "Aaltje Meijer",
        "He changed the code last week. Anna has his number.",
        1,
        ("asked", "Joost", "Anna"),
    ),
    (
        "Book an interpreter for her care review",
        "Fatma Özdemir",
        "Turkish; the review is on Thursday the week after next, 14:00.",
        6,
        ("open", "Mehmet"),
    ),
    (
        "Order incontinence pads",
        "Theodorus Schouten",
        "Through the supplier's portal before Wednesday 12:00, size L.",
        3,
        ("open", None),
    ),
    (
        "Take the glucose meter to the pharmacy to be checked",
        "Jacobus Hoekstra",
        "",
        1,
        ("open", "Kwame"),
    ),
    (
        "Plan a session on the new insulin pens",
        None,
        "The supplier offers an hour at our office; Tuesday mornings suit most of us.",
        14,
        ("open", "Ingrid"),
    ),
    (
        "Call his daughter about the weekend visits",
        "Willem Bos",
        "She would like to take Sundays over from us.",
        4,
        ("declined", "Sanne", "Lotte"),
    ),
    (
        "Update the phone list on the office fridge",
        None,
        "Kwame and Daan are not on it yet.",
        None,
        ("open", None),
    ),
    (
        "Ask for a second look at the pressure sore",
        "Frederik Timmermans",
        "Photos are in his folder; the wound nurse of the GP practice can come on Fridays.",
        4,
        ("open", "Fatima"),
    ),
    (
        "Ask the housing corporation for a handrail on the stairs",
        "Catharina de Wit",
        "Repair request 48213, made three weeks ago.",
        10,
        ("open", None),
    ),
    (
        "Collect the wheelchair from the loan shop",
        "Leendert van Beek",
        "Open until 16:00; bring his Wmo letter.",
        0,
        ("open", "Daan"),
    ),
    ("Order a new blood pressure monitor", "Gerarda Vermeulen", "", None, ("done", "Sanne", 2)),
    (
        "Call the GP about his swollen ankles",
        "Mohamed Bennani",
        "GP comes on Thursday.",
        None,
        ("done", "Anna", 1),
    ),
    ("Bring the night pads", "Grietje Postma", "", None, ("done", "Lotte", 3)),
    (
        "Replace the battery of the alarm pendant",
        "Suzanna Wijnhard",
        "",
        None,
        ("done", "Kwame", 5),
    ),
    (
        "Send the care plan to the physiotherapist",
        "Antonius Verhoeven",
        "With his consent, by secure mail.",
        None,
        ("done", "Priya", 6),
    ),
    ("Have the flat tyre of the blue car fixed", None, "", None, ("done", "Daan", 4)),
    (
        "Ask the pharmacy for his pills in a weekly roll",
        "Bernardus Koster",
        "",
        None,
        ("done", "Anna", 8),
    ),
    (
        "Take her along to the coffee morning at the Buurtkamer",
        "Rosa Pinas",
        "",
        None,
        ("done", "Fatima", 9),
    ),
    ("Put up the new rota in the office", None, "", None, ("done", "Ingrid", 11)),
    ("Test the smoke alarm with her", "Jannetje Huisman", "", None, ("done", "Joost", 12)),
]
ZUID_TASKS = [
    (
        "Call the pharmacy about the insulin delivery",
        "Elisabeth van Gelder",
        "It came a day late twice this month.",
        1,
        ("open", "Noor"),
    ),
    ("Arrange meals on wheels", "Albert Cohen", "Kosher, five days a week.", 3, ("open", None)),
    ("Book a place for the team day", None, "", 20, ("open", "Samira")),
    ("Order a shower chair", "Jozef Kowalski", "", None, ("done", "Ruben", 2)),
]


def _demo_board(demo, oost, zuid, oost_members, zuid_members):
    """A busy board for Oost-Noord (open and claimed tasks, two overdue, a request
    waiting for Anna's answer, one declined, the last fortnight's done) and a few for Zuid."""
    rng = random.Random(2031)  # its own stream: the other demo data stays put
    now, today = demo.now, demo.today

    def moment(days_ago, hours=(8, 17), after=None):
        # Some time that working day (the day before, if today's has not come yet),
        # never later than now, and some minutes after `after`.
        at = demo.at(days_ago, *hours)
        while at > now:
            at -= dt.timedelta(days=1)
        if after is not None and at <= after:
            at = min(after + dt.timedelta(minutes=rng.randint(20, 90)), now)
        return at

    boards = ((oost, oost_members, OOST_TASKS), (zuid, zuid_members, ZUID_TASKS))
    for team, members, tasks in boards:
        by_name = {m.first_name: m for m, _since, until in members if until is None}
        everyone = list(by_name.values())
        people = dict(Client.select(Client.name, Client.id).where(Client.team == team).tuples())
        for title, person, note, due, state in tasks:
            kind = state[0]
            if kind == "done":
                done_days = state[2]
                created_days = done_days + rng.randint(1, 4)
            else:
                created_days = rng.randint(1, 9)
            # Taken on or asked about a later working day than it was added.
            later = rng.randint(0, created_days - 1)
            fields = {
                "team": team,
                "client": people[person] if person else None,
                "title": title,
                "note": note,
                "due_on": today + dt.timedelta(days=due) if due is not None else None,
                "created_by": rng.choice(everyone),
                "created_at": moment(created_days),
            }
            created = fields["created_at"]
            if kind == "open" and state[1]:
                claimed = moment(later, after=created)
                fields.update(claimed_by=by_name[state[1]], claimed_at=claimed)
            elif kind in ("asked", "declined"):
                asked_at = moment(later, hours=(8, 12), after=created)
                fields.update(
                    requested_by=by_name[state[1]],
                    requested_of=by_name[state[2]],
                    requested_at=asked_at,
                )
                if kind == "declined":
                    fields["declined_at"] = min(asked_at + dt.timedelta(hours=3), now)
            elif kind == "done":
                doer, done_at = by_name[state[1]], moment(done_days)
                taken_days = done_days + rng.randint(0, created_days - done_days - 1)
                taken = moment(taken_days, after=created)
                fields.update(
                    claimed_by=doer,
                    claimed_at=min(taken, done_at),
                    status=Task.DONE,
                    done_by=doer,
                    done_at=done_at,
                )
            Task.create(**fields)


# Oost-Noord's closed cases of the last year: (name, preferred name, "f"/"m", age, street,
# postcode, "oost"/"noord" for the GP, in care from (days ago), closed (days ago), every
# how many days a visit, reason, closing story, goals reached: (in their words, how)).
CLOSED_CASES = [
    (
        "Geertruida Smit",
        "Truus",
        "f",
        88,
        "Eerste van Swindenstraat 87",
        "1093 GC",
        "oost",
        430,
        318,
        3,
        "died",
        "Truus lived her last months at home, as she wished. In the final three weeks we came "
        "twice a day, together with her daughters and Dr. Kramer. She died peacefully on a "
        "Sunday morning with her family around her and the cat on the bed.",
        [
            (
                "I want to stay in my own home until the end",
                "She did: at home, with her daughters, and her cat.",
            )
        ],
    ),
    (
        "Johan Verbeek",
        "",
        "m",
        79,
        "Molukkenstraat 212",
        "1095 BC",
        "oost",
        300,
        251,
        2,
        "moved",
        "Johan learned to inject his insulin himself in the first six weeks and kept a "
        "notebook of his sugars. In June he moved to a ground-floor flat near his son in "
        "Zwolle. We sent our notes to the GP, who arranged the district nurse there.",
        [("I want to do my own injections", "From week six, checked by us for two more weeks.")],
    ),
    (
        "Dirkje Visser",
        "",
        "f",
        83,
        "Balistraat 40",
        "1094 JM",
        "oost",
        262,
        181,
        3,
        "goals_reached",
        "The ulcer on Dirkje's left leg healed after eleven weeks of compression bandages. "
        "She now puts on her stockings herself with the aid we ordered, and walks to the "
        "Dappermarkt twice a week with her neighbour Ans.",
        [
            ("I want to walk to the Dappermarkt again", "Twice a week now, with Ans."),
            ("My leg has to heal before the summer", "Healed in week eleven, in May."),
        ],
    ),
    (
        "Hassan El Idrissi",
        "",
        "m",
        74,
        "Javastraat 118",
        "1094 HJ",
        "oost",
        221,
        133,
        2,
        "network",
        "After his stroke we helped Hassan wash and dress every morning and practised the "
        "transfers with his sons. They take turns now, and the neighbourhood group of the "
        "mosque brings a hot meal on Fridays. He phones us if anything changes.",
        [
            (
                "I want to pray at the mosque on Fridays again",
                "His son drives him; he walks the last bit with his stick.",
            )
        ],
    ),
    (
        "Wilhelmina de Boer",
        "Mien",
        "f",
        91,
        "Linnaeusstraat 66",
        "1093 EN",
        "oost",
        405,
        96,
        2,
        "long_term_care",
        "Mien's memory got worse over the winter and she was no longer safe alone at night, "
        "even with three visits a day. With her nephew Frank and the GP she chose a room in "
        "De Die, close to her old street. We visited her there once to say goodbye.",
        [
            (
                "I want to keep my own rhythm: coffee at ten, the radio at five",
                "We planned our visits around it to the end, and De Die knows it too.",
            )
        ],
    ),
    (
        "Samuel Pinas",
        "Sam",
        "m",
        68,
        "Kramatweg 31",
        "1095 JW",
        "oost",
        118,
        47,
        3,
        "goals_reached",
        "Sam came home with a new hip. For six weeks we helped with showering and the "
        "stockings and practised the stairs with him. He now walks to the corner shop and "
        "back without the frame, and does his exercises himself every morning.",
        [
            ("I want to climb my own stairs without help", "Since week five."),
            ("I want to shower on my own", "With a shower chair and a grab rail, from week four."),
        ],
    ),
    (
        "Anneke Mulder",
        "",
        "f",
        85,
        "Zamenhofstraat 60",
        "1022 AG",
        "noord",
        162,
        12,
        4,
        "network",
        "Anneke needed help with her eye drops and her pills after the cataract operations. "
        "Her granddaughter Lisa now comes by every evening and the pharmacy delivers the "
        "weekly roll. Anneke calls Lisa, or us, when she is unsure.",
        [("I want to read the paper again", "Both eyes done: she reads Het Parool at breakfast.")],
    ),
]
# Oost-Noord asked Zuid to take over someone who is moving; Zuid has yet to answer.
TRANSFER_TO_ZUID = (
    "Gerrit Dijkstra",
    2,
    "Gerrit moves on 1 December into a ground-floor flat on the Maasstraat, around the corner "
    "from his daughter Marian. We come twice a week for his legs (compression stockings, "
    "skin check) and once for the medicine box. He is sharp and likes to be asked, not told. "
    "He keeps Dr. Nguyen as his GP until he has found one in Zuid.",
)


def _demo_closing(demo, oost, zuid, oost_members):
    """Oost-Noord's cases closed over the last year, each with a story, goals reached, its
    GP and the visits of that period; and one person waiting for Zuid to accept a transfer."""
    rng = random.Random(2031)  # its own stream: the other demo data stays put
    gps = {
        area: LocalResource.get(LocalResource.team == oost, LocalResource.name == name)
        for area, name in (
            ("oost", "Huisartsenpraktijk Dapperbuurt"),
            ("noord", "Gezondheidscentrum Van der Pek"),
        )
    }
    contact_rows = []
    for case in CLOSED_CASES:
        name, preferred, sex, age, street, postcode, area, began, ended, every = case[:10]
        reason, story, goals = case[10:]
        started_at = demo.at(began, 9, 12)
        closed_at = demo.at(ended, 10, 16)
        there = [
            m
            for m, since, until in oost_members
            if since <= started_at and (not until or until > closed_at)
        ]
        known_best = rng.sample(there, rng.choice([1, 2]))
        visits = [demo.at(days, 8, 17) for days in range(began - 1, ended, -every)]
        person = Client.create(
            team=oost,
            name=name,
            preferred_name=preferred,
            date_of_birth=_date_of_birth(rng, age, demo.today),
            street=street,
            postcode=postcode,
            city="Amsterdam",
            phone=_phone(rng, age),
            status=Client.CLOSED,
            care_started_at=started_at,
            closed_at=closed_at,
            close_reason=reason,
            closing_story=story,
            last_contact_at=visits[-1],
            last_contact_kind="home_visit",
            version=2,
            created_at=started_at,
            updated_at=closed_at,
        )
        for member in known_best:
            KnownBest.create(client=person, member=member)
        gp = gps[area]
        NetworkMember.create(
            client=person,
            name=gp.name,
            relation="gp",
            tie="moderate",
            resource=gp,
            since=demo.today - dt.timedelta(days=began),
        )
        for words, how in goals:
            Goal.create(
                client=person,
                words=words,
                status="achieved",
                story=how,
                created_at=started_at + dt.timedelta(days=3),
            )
        said = {"n": preferred or name.split()[0], **PRONOUNS[sex]}
        for when in visits:
            author = rng.choice(known_best) if rng.random() < 0.7 else rng.choice(there)
            note = rng.choice([text for text in NOTES["visit"] if text]).format_map(said)
            minutes = rng.choice([30, 30, 45, 45, 60])
            written = when + dt.timedelta(minutes=minutes + rng.randint(5, 90))
            contact_rows.append(
                [person.id, author.id, when, minutes, "home_visit", note]
                + [False, "", "", None, 1, written]
            )
        closer = rng.choice(known_best)
        AuditEvent.create(
            team=oost,
            client=person,
            actor=known_best[0],
            at=started_at,
            action="create",
            entity="person",
            entity_id=person.id,
            changes=json.dumps({"before": None, "after": person.snapshot()}, default=str),
        )
        AuditEvent.create(
            team=oost,
            client=person,
            actor=closer,
            at=closed_at,
            action="close",
            entity="person",
            entity_id=person.id,
            changes=json.dumps(
                {
                    "before": {"status": Client.ACTIVE, "care_started_at": started_at},
                    "after": {
                        "status": Client.CLOSED,
                        "closed_at": closed_at,
                        "close_reason": Client.CLOSE_REASONS[reason],
                        "closing_story": story,
                        "planned_visits_cancelled": 0,
                    },
                },
                default=str,
                sort_keys=True,
            ),
        )
    _insert(Contact, CONTACT_FIELDS, contact_rows)

    name, days_ago, note = TRANSFER_TO_ZUID
    person = Client.get(Client.team == oost, Client.name == name)
    asker = User.get(User.email == "anna@oost.example.org")
    referral = person.transfer_to(zuid, asker, note)
    asked_at = demo.at(days_ago, 9, 12)
    Referral.update(received_at=asked_at).where(Referral.id == referral.id).execute()
    AuditEvent.update(at=asked_at).where(
        AuditEvent.entity_id == referral.id, AuditEvent.entity.in_(["transfer", "referral"])
    ).execute()


# Oost-Noord's decisions by consent, proposed at its meetings (on OOST_MEETING_DAYS):
# (days ago, proposer, proposal, purpose, person, steps, outcome). A step is
# (kind, who, text) or, for an objection resolved later, ("objection", who, text,
# resolved with, how); an amendment's text is the new proposal. The outcome is
# ("adopted", days after proposing, review in days from today) or
# ("withdrawn" | "parked", days after, why).
OOST_DECISIONS = [
    (
        91,
        "Joost",
        "Whoever is on the early shift calls in at 8:00 for a ten-minute check-in "
        "before the first visit.",
        "Fewer double visits, and nobody alone with a difficult start of the day.",
        None,
        [
            ("question", "Mehmet", "Also at weekends, when only two of us work?"),
            ("reaction", "Anna", "Yes, weekends too: that is when we miss each other most."),
            ("reaction", "Ingrid", "Ten minutes, not twenty. Then I am in."),
        ],
        ("adopted", 0, -40),
    ),
    (
        77,
        "Sanne",
        "Ingrid is Kwame's mentor for his first six months.",
        "Every new colleague has someone to walk alongside; I mentored the last time.",
        None,
        [("reaction", "Ingrid", "Happy to. Kwame and I start with a visit round together.")],
        ("adopted", 0, 100),
    ),
    (
        77,
        "Fatima",
        "We buy a second blood glucose meter for the bag of the evening shift.",
        "The evening shift now drives back to the office for it twice a week.",
        None,
        [("question", "Daan", "Does the health insurer pay for it, or we?")],
        ("adopted", 0, -10),
    ),
    (
        77,
        "Anna",
        "We welcome Kwame Mensah to the team from next week.",
        "We are short since Els left, and Kwame knows the neighbourhood from his internship.",
        None,
        [
            ("question", "Lotte", "Who is his buddy for the first weeks?"),
            ("reaction", "Sanne", "I'll be his buddy."),
        ],
        ("adopted", 0, 60),
    ),
    (
        63,
        "Mehmet",
        "We stop the Friday afternoon evaluation round and add its time to the meeting "
        "every two weeks.",
        "Friday afternoons are when most urgent calls come in.",
        None,
        [
            ("reaction", "Ingrid", "Friday is the only moment I hear how the week went."),
            ("reaction", "Lotte", "I agree with Ingrid."),
        ],
        ("withdrawn", 0, "Most of us want to keep the Friday round; Mehmet withdrew it."),
    ),
    (
        63,
        "Priya",
        "We try a shared team phone for calls between 17:00 and 22:00.",
        "Families cannot reach us in the evening and end up calling the GP post.",
        None,
        [
            ("question", "Joost", "Who carries it?"),
            ("reaction", "Priya", "The evening shift, handed over in the car park."),
            (
                "objection",
                "Daan",
                "If it is only a phone nobody owns, calls get lost between shifts.",
                "Daan",
                "We keep a call list on the board; the evening shift empties it each night.",
            ),
        ],
        ("adopted", 0, 30),
    ),
    (
        49,
        "Ingrid",
        "We do the wound care refresher with the wound care nurse from OLVG this autumn.",
        "Three of us have not done complex wounds for over a year.",
        None,
        [("reaction", "Kwame", "Please in two groups, so the rounds go on.")],
        ("adopted", 0, 45),
    ),
    (
        35,
        "Lotte",
        "Two of us visit Mr. Boersma in the evening until his wife is home from hospital.",
        "He falls when he is tired, and he will not use the alarm.",
        "Hendrik Boersma",
        [
            (
                "objection",
                "Mehmet",
                "The evening shift is already full on Tuesdays and Thursdays.",
                "Mehmet",
                "Lotte swaps her Tuesday early shift with Mehmet; Thursdays Daan comes along.",
            ),
        ],
        ("adopted", 0, 14),
    ),
    (
        35,
        "Sanne",
        "We ask the municipality for a dementia case manager one day a week in our area.",
        "Four families wait months for a case manager, and we fill the gap.",
        None,
        [("question", "Anna", "Is this ours to ask, or the welfare team's?")],
        ("parked", 14, "We wait for the new contract with the municipality in January."),
    ),
    (
        21,
        "Anna",
        "From next month we take no new people in Oost-Noord until two of us are back from leave.",
        "So that the people we care for now get the time they need while we are short.",
        None,
        [
            ("question", "Joost", "Does this include people handed over from Zuid?"),
            ("reaction", "Sanne", "Hard, but I would rather do our current people well."),
            ("reaction", "Kwame", "Agreed; I am still finding my way."),
            (
                "objection",
                "Fatima",
                "The GP practice at the Dapperbuurt has no other nursing team: people there "
                "would have nobody.",
                "Fatima",
                "Amended: urgent referrals are still accepted.",
            ),
            (
                "amendment",
                "Fatima",
                "From next month we take no new people in Oost-Noord until two of us are "
                "back from leave; urgent referrals are still accepted.",
            ),
        ],
        ("adopted", 0, 25),
    ),
    (
        7,
        "Joost",
        "We keep the 8:00 check-in, and on Mondays it moves to 8:15 when the planner is "
        "in the office.",
        "The check-in works; on Mondays the planner needs to join from the office.",
        None,
        [("reaction", "Lotte", "Thank you, that makes Mondays possible for me.")],
        ("adopted", 0, 150),
    ),
    (
        7,
        "Priya",
        "We plan the week together on the board on Thursdays after the meeting.",
        "Less calling around on Fridays, and everyone sees who visits whom.",
        None,
        [("reaction", "Lotte", "Let us try it for six weeks and then look again.")],
        ("adopted", 0, 40),
    ),
    (
        7,
        "Anna",
        "We invite Yara Haddad to join the team.",
        "We need a colleague for the evenings, and Yara did her internship with us.",
        None,
        [
            ("question", "Daan", "Does she want evenings, or is that what we want?"),
            ("reaction", "Anna", "She asked for evenings herself: her children are at school."),
        ],
        ("adopted", 0, 120),
    ),
]

OOST_TRAINING = [
    # topic, who, planned (days from today), done (days ago), note, decision (index)
    (
        "Wound care refresher with the OLVG wound care nurse",
        "Everyone, in two groups",
        20,
        None,
        "Group 1 in the morning, group 2 in the afternoon, at the office.",
        6,
    ),
    ("Dementia conversation skills", "Lotte, Kwame and Daan", 45, None, "", None),
    (
        "Using the new ceiling hoist safely",
        "Everyone",
        None,
        30,
        "Shown by the supplier at the office, with the hoist we have on loan.",
        None,
    ),
    ("Insulin pens: the new type from the pharmacy", "Kwame, with Anna", None, 50, "", 3),
    (
        "Resuscitation and AED refresher",
        "Everyone",
        70,
        None,
        "Red Cross, at the Buurtkamer.",
        None,
    ),
    ("Talking about the end of life", "Sanne and Ingrid", None, None, "", None),
]

OOST_EXPERIMENTS = [
    # title, why, how we'll know, started (days ago), review (days from today),
    # what happened, outcome, decision (index)
    (
        "A shared team phone for evening calls",
        "Families cannot reach us after 17:00 and call the GP post instead.",
        "We count missed calls and callbacks on a list on the board, for six weeks.",
        62,
        10,
        "",
        "running",
        5,
    ),
    (
        "Plan the week together on the board on Thursdays",
        "Less calling around on Fridays.",
        "Fewer changes to the plan after Thursday; we ask each other after six weeks.",
        6,
        36,
        "",
        "running",
        11,
    ),
    (
        "The 8:00 check-in by phone",
        "Fewer double visits; nobody alone at the start of a hard day.",
        "Double visits per month, and how the early shift feels after a month.",
        90,
        None,
        "Three double visits in the first month, none since. The early shift feels less alone. "
        "We keep it; on Mondays it moves to 8:15.",
        "keep",
        0,
    ),
    (
        "A written handover note in the car bag instead of calling",
        "Calls interrupt visits.",
        "Whether the next colleague knows what happened without calling.",
        80,
        None,
        "Notes got wet, were hard to read and were not read in time; calling was quicker. "
        "We stopped after three weeks.",
        "drop",
        None,
    ),
    (
        "A coffee morning at the Buurtkamer for people who live alone",
        "Several of our people see nobody but us all week.",
        "Who comes back, and whether people meet outside the mornings.",
        60,
        None,
        "Twelve people came the second time; two of them now walk to the market together.",
        "keep",
        None,
    ),
]


def _demo_decisions(demo, team, members):
    """Three months of Oost-Noord's decisions by consent (among them the issue's
    example, a revisit, a withdrawn and a parked proposal, one due for review and a
    proposal being answered between meetings now), its training plan and experiments."""
    now, today = demo.now, demo.today
    by_name = {m.first_name: m for m, _since, until in members if until is None}
    people = dict(Client.select(Client.name, Client.id).where(Client.team == team).tuples())
    team.async_days, team.async_quorum = 3, 6
    Team.update(async_days=3, async_quorum=6).where(Team.id == team.id).execute()

    def at(days_ago, hour, minute=0):
        day = today - dt.timedelta(days=days_ago)
        local = dt.datetime.combine(day, dt.time(hour, minute), DEMO_ZONE)
        return min(local.astimezone(dt.UTC).replace(tzinfo=None), now)

    decisions, on_the_day = [], {}
    for days, who, proposal, purpose, person, steps, outcome in OOST_DECISIONS:
        # One after the other in the meeting of that day, from 13:45.
        start = at(days, 13, 45) + dt.timedelta(minutes=25 * on_the_day.get(days, 0))
        on_the_day[days] = on_the_day.get(days, 0) + 1
        decision = Decision.create(
            team=team,
            client=people[person] if person else None,
            proposal=proposal,
            purpose=purpose,
            proposed_by=by_name[who],
            proposed_at=start,
        )
        when = start
        for step in steps:
            when += dt.timedelta(minutes=4)
            kind, member, words = step[:3]
            if kind == "amendment":
                DecisionStep.create(
                    decision=decision,
                    kind=kind,
                    member=by_name[member],
                    text=words,
                    earlier=decision.proposal,
                    at=when,
                )
                decision.proposal = words
                continue
            fields = {}
            if kind == "objection":
                fields = {
                    "resolved_by": by_name[step[3]],
                    "resolution": step[4],
                    "resolved_at": when + dt.timedelta(minutes=9),
                }
            DecisionStep.create(
                decision=decision, kind=kind, member=by_name[member], text=words, at=when, **fields
            )
        state, after, rest = outcome
        decided = max(when, start) + dt.timedelta(days=after, minutes=12)
        decision.status = state
        decision.decided_at = decided
        if state == Decision.ADOPTED:
            decision.review_on = today + dt.timedelta(days=rest)
        else:
            DecisionStep.create(
                decision=decision,
                kind=DecisionStep.OUTCOME,
                member=by_name[who],
                text=rest,
                at=decided,
            )
        decision.save()
        decisions.append(decision)

    # The check-in of 88 days ago was revisited (and its review with it).
    Decision.update(revisits=decisions[0].id).where(Decision.id == decisions[10].id).execute()

    # Between meetings: one adopted three weeks ago, one being answered now.
    adopted = Decision.create(
        team=team,
        proposal="We put a pair of compression stocking aids in every car bag.",
        purpose="We lose time fetching the one from the office.",
        proposed_by=by_name["Ingrid"],
        proposed_at=at(27, 16),
        asynchronous=True,
        deadline=at(24, 16),
        quorum=6,
        settled_at=at(24, 16),
        status=Decision.ADOPTED,
        decided_at=at(24, 16),
        review_on=today + dt.timedelta(days=70),
    )
    for hour, name in enumerate(("Anna", "Sanne", "Joost", "Fatima", "Lotte", "Daan", "Ingrid")):
        member = by_name[name]
        DecisionStep.create(
            decision=adopted,
            kind=DecisionStep.CONSENT,
            member=member,
            answer_of=member,
            at=at(26, 8 + hour),
        )
    posted = at(1, 10)
    open_now = Decision.create(
        team=team,
        proposal="From next month the team meeting moves from Thursday afternoon to "
        "Tuesday morning.",
        purpose="Thursday afternoons clash with the GP practice's consultation hour.",
        proposed_by=by_name["Sanne"],
        proposed_at=posted,
        asynchronous=True,
        deadline=posted + dt.timedelta(days=3),
        quorum=6,
        review_on=today + dt.timedelta(days=90),
    )
    answers = [
        ("Sanne", "consent", ""),
        ("Joost", "consent", "Fine by me."),
        ("Priya", "consent", ""),
        (
            "Mehmet",
            "objection",
            "I take my daughter to school on Tuesday mornings. Would Wednesday morning work?",
        ),
    ]
    for minutes, (name, kind, text) in enumerate(answers):
        member = by_name[name]
        DecisionStep.create(
            decision=open_now,
            kind=kind,
            member=member,
            text=text,
            answer_of=member,
            at=min(posted + dt.timedelta(hours=2, minutes=37 * minutes), now),
        )

    for topic, who, planned, done, note, source in OOST_TRAINING:
        TrainingItem.create(
            team=team,
            topic=topic,
            who=who,
            planned_on=today + dt.timedelta(days=planned) if planned is not None else None,
            done_on=today - dt.timedelta(days=done) if done is not None else None,
            note=note,
            decision=decisions[source].id if source is not None else None,
            created_by=by_name["Ingrid"],
            created_at=at(60 if done else 20, 11),
        )
    for title, why, how, started, review, happened, outcome, source in OOST_EXPERIMENTS:
        Experiment.create(
            team=team,
            title=title,
            why=why,
            how_we_know=how,
            started_on=today - dt.timedelta(days=started),
            review_on=today + dt.timedelta(days=review) if review is not None else None,
            what_happened=happened,
            outcome=outcome,
            decision=decisions[source].id if source is not None else None,
            created_by=by_name["Priya"],
            created_at=at(started, 12),
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

        # Records draw on their own random stream, so the contact histories stay put.
        records_rng = random.Random(2027)
        say("People, their records and contacts in Buurtzorg Oost-Noord")
        _demo_people(
            demo, records_rng, oost, OOST_PEOPLE, OOST_STREETS, oost_members, OOST_RESOURCES
        )
        say("People, their records and contacts in Buurtzorg Zuid")
        _demo_people(
            demo, records_rng, zuid, ZUID_PEOPLE, ZUID_STREETS, zuid_members, ZUID_RESOURCES
        )
        _demo_referrals(demo, oost, zuid, oost_members, zuid_members)
        say("The teams' details, roles and logs")
        _demo_team(demo, oost, zuid, oost_members, zuid_members)
        say("Closed cases and a transfer")
        _demo_closing(demo, oost, zuid, oost_members)
        say("The team boards")
        _demo_board(demo, oost, zuid, oost_members, zuid_members)
        say("Oost-Noord's week plan: this week and next")
        _demo_plan(demo, oost, oost_members, OOST_PEOPLE)
        say("Oost-Noord's decisions, training plan and experiments")
        _demo_decisions(demo, oost, oost_members)
        say("Oost-Noord's team meetings: three months of them, and the next")
        _demo_meetings(demo, oost, oost_members)

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
                    False,
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
                        created_at,
                        None,
                        "",
                        "",
                        None,
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


# Team meetings (teamcase/meetings.py): every two weeks for three months, and the next.

# Past meetings, days ago; the decisions proposed on those days were proposed there.
OOST_MEETING_DAYS = (91, 77, 63, 49, 35, 21, 7)
OOST_MEETING_PLACES = ("Buurthuis De Meeuw, Javaplein 21", "The team room above Apotheek Dapper")
# What the team said about a person, by what kind of history they have. "{member}"
# is a colleague present, "{first}" the person as the team calls them.
MEETING_NOTES = {
    "insulin": [
        "Sugars steady for three weeks. {first}'s son wants to learn to do the evening "
        "injection; {member} shows him on Saturday.",
        "Two lows before breakfast last week. {member} asks the GP whether the long-acting "
        "dose can go down; until then we check at 7:30.",
        "{first} would like the morning visit later, after the market. We try 9:30 for "
        "two weeks and see what it does to the sugars.",
    ],
    "weekly": [
        "{first} is steadier since the physio's exercises. We keep the weekly visit; "
        "{member} asks the daughter about the weekends.",
        "Sleeps badly since her husband moved to the nursing home. {member} takes her to "
        "the widows' coffee morning at De Meeuw on Tuesday.",
        "Forgot two meals this week, family worried. {member} asks the GP for a memory "
        "test; meals on wheels for a month in the meantime.",
        "Going well: walks to the market on Saturdays again, with the neighbour from "
        "number 14. Nothing to change.",
    ],
    "wound": [
        "The wound is closing well. From Monday every other day instead of daily; "
        "{member} tells the district wound nurse.",
        "Slower than hoped: the edges are red again. {member} sends photos to the wound "
        "care nurse and we ask the GP about a swab.",
    ],
    "fortnightly": [
        "Fell in the bathroom, no injuries. A grab rail is asked for through the "
        "municipality (Wmo); {member} follows it up.",
        "{first} wants fewer visits: we agreed to try without the Friday visit for a "
        "month and ask her how it went.",
        "Her daughter moves to Utrecht next month. {member} maps who else is around: the "
        "neighbours and the church choir.",
    ],
    "rare": [
        "Only calls when the pharmacy delivery goes wrong. {member} asks the pharmacy to "
        "send a reminder a day before.",
        "Doing well on her own. We close the case at the next review unless something comes up.",
    ],
}
MEETING_TASKS = [
    "Ask the GP about the evening dose",
    "Call the daughter about the weekends",
    "Order the grab rail through the Wmo desk",
    "Send wound photos to the wound care nurse",
    "Book the memory test at the practice",
    "Ask the pharmacy for delivery reminders",
]
# Members' own items at past meetings: (kind, title, why, notes).
MEETING_OWN_ITEMS = [
    (
        "question",
        "Who covers the Christmas weekend?",
        "Three of us are away.",
        "Joost and Priya take Saturday, Lotte Sunday; Daan is on call.",
    ),
    (
        "training",
        "A refresher on the new insulin pens",
        "The pharmacy switched brand.",
        "Fatima asks the diabetes nurse for a half hour at the next meeting.",
    ),
    (
        "experiment",
        "The 8:00 check-in: how is it going?",
        "Four weeks in.",
        "Short and useful; we keep it. Mondays are busy: see the proposal.",
    ),
    (
        "question",
        "Parking permits for the new car",
        "The old one ran out.",
        "Ingrid asks the back office; until then we park at the pharmacy.",
    ),
    (
        "other",
        "Summer holidays: who is away when",
        "So the plan can be made early.",
        "Everyone puts their weeks on the board before the end of the month.",
    ),
    (
        "question",
        "Evening calls that nobody answers",
        "Two families complained.",
        "See the shared team phone proposal.",
    ),
    ("question", "Do we take a student nurse in February?", "The nursing school asked.", ""),
]
# The next meeting: what members put on its agenda (kind, who, title, why).
NEXT_MEETING_ITEMS = [
    (
        "proposal",
        "Lotte",
        "We visit new people in pairs the first time",
        "Two pairs of eyes see more, and the person meets two of us at once.",
    ),
    (
        "training",
        "Fatima",
        "Wound care refresher: who still needs it?",
        "The wound care nurse has two dates left before the summer.",
    ),
    (
        "question",
        "Daan",
        "Do we take students again after the summer?",
        "The nursing school asked; last time it took a lot of evenings.",
    ),
]
NEXT_MEETING_FLAGS = [
    "Fell twice this month, both times at night. Do we need an evening visit?",
    "Her son called: she is getting confused about her tablets. Worried about her living alone.",
]


def _demo_meetings(demo, team, members):
    """Oost-Noord's meetings: every two weeks for three months, each with attendance,
    a facilitator and note-taker in turn, people discussed with notes, members' own
    items and tasks for the board; the decisions proposed on a meeting's day linked
    to it. Then the next meeting, next week: members' own items, an item carried
    over, two people flagged, three whose review date has come, and its agenda."""
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
    plans = {name: plan for name, _called, _sex, _age, plan in OOST_PEOPLE}

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
    for number, days in enumerate(OOST_MEETING_DAYS):
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
            place=OOST_MEETING_PLACES[number % 2],
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
            item = AgendaItem.create(
                meeting=meeting,
                kind="person",
                title=person.name,
                why=f"{member.first_name} flagged: worried since the last visit."
                if flagged
                else f"Review date {day:%-d %b %Y}.",
                client=person,
                source=f"person:{person.id}",
                position=position,
                status=AgendaItem.DISCUSSED,
                notes=rng.choice(
                    MEETING_NOTES.get(plans.get(person.name), MEETING_NOTES["weekly"])
                ).format(first=first, member=rng.choice(here).first_name),
                created_at=start - dt.timedelta(days=rng.randint(1, 10)),
            )
            if flagged:
                MeetingFlag.create(
                    team=team,
                    client=person,
                    reason="Worried since the last visit.",
                    flagged_by=member,
                    flagged_at=start - dt.timedelta(days=rng.randint(2, 9)),
                    resolved_at=start + dt.timedelta(minutes=10 * position),
                )
            if rng.random() < 0.5:
                claimer = rng.choice(here)
                done = days > 14 or rng.random() < 0.3
                Task.create(
                    team=team,
                    client=person,
                    title=rng.choice(MEETING_TASKS),
                    due_on=day + dt.timedelta(days=7),
                    created_by=note_taker,
                    created_at=start + dt.timedelta(minutes=10 * position),
                    claimed_by=claimer,
                    claimed_at=start + dt.timedelta(minutes=10 * position),
                    status=Task.DONE if done else Task.OPEN,
                    done_by=claimer if done else None,
                    done_at=at(day + dt.timedelta(days=rng.randint(2, 6)), 15) if done else None,
                    meeting_item=item,
                )
        kind, title, why, notes = MEETING_OWN_ITEMS[number % len(MEETING_OWN_ITEMS)]
        last = number == len(OOST_MEETING_DAYS) - 1
        AgendaItem.create(
            meeting=meeting,
            kind=kind,
            title=title,
            why=why,
            added_by=rng.choice(here),
            position=position + 1,
            # At the last meeting time ran out for it: it goes on to the next.
            status=AgendaItem.CARRIED if last else AgendaItem.DISCUSSED,
            notes="" if last else notes,
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
    planner = by_name["Anna"]
    upcoming = Meeting.create(
        team=team,
        held_on=today + dt.timedelta(days=7),
        starts_at=dt.time(13, 30),
        place=OOST_MEETING_PLACES[len(OOST_MEETING_DAYS) % 2],
        created_by=planner,
        created_at=at(today - dt.timedelta(days=6), 16),
    )
    discussed = {i.client_id for i in AgendaItem.select().where(AgendaItem.meeting == held[-1])}
    candidates = [p for p in people if p.id not in discussed]
    chosen = rng.sample(candidates, 5)
    for person, reason in zip(chosen[:2], NEXT_MEETING_FLAGS, strict=True):
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
    for kind, who, title, why in NEXT_MEETING_ITEMS:
        AgendaItem.add(upcoming, by_name[who], kind, title, why)
