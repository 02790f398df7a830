"""A nurse's day on the tablet: she starts on My day, finds people as she types
them, records from a filtered caseload and comes back to it, sees done visits
shrink, says when yesterday's forgotten visit happened, and, ill, hands over every
visit until the day after tomorrow in one go.

Ineke is a member of her own for this journey, so that no other journey's visits
decide where she lands. Runs on every backend (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set) at the portrait tablet, the light pass at landscape.
"""

import datetime as dt
import urllib.parse
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Contact, PlannedVisit, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
EMAIL = "ineke@oost.example.org"


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _day_name(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _setup() -> dict:
    today = _today()
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        ineke = User.create(
            email=EMAIL,
            name="Ineke Visser",
            role=User.MEMBER,
            team=oost,
            password_hash=PASSWORD_HASH,
        )
        ayse = Client.open(
            oost,
            by=ineke,
            known_best=[ineke],
            name="Ayşe Özdemir",
            phone="06-31 41 59 26",
            street="Kraaipanstraat 3",
        )
        johanna = Client.open(oost, by=ineke, name="Johanna van Dijk", street="Ringdijk 40")
        visit = dict(member=ineke, kind="home_visit", minutes=30)
        plan = {
            "ayse": PlannedVisit.add(ayse, ineke, day=today, starts_at=dt.time(8, 30), **visit),
            "johanna": PlannedVisit.add(johanna, ineke, day=today, starts_at=dt.time(10), **visit),
            "forgotten": PlannedVisit.add(
                johanna, ineke, day=today - dt.timedelta(days=1), starts_at=dt.time(9), **visit
            ),
            "ill": [
                PlannedVisit.add(ayse, ineke, day=today + dt.timedelta(days=n), **visit)
                for n in (1, 2)
            ],
            "after": PlannedVisit.add(ayse, ineke, day=today + dt.timedelta(days=3), **visit),
        }
    return {"people": (ayse, johanna), **plan}


def _path(page) -> str:
    parts = urllib.parse.urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_nurse_s_day_search_done_visits_and_ill_until(
    page, backend_site, check_page, own_members
):
    own_members.append(EMAIL)
    plan = _setup()
    ayse, johanna = plan["people"]
    today, yesterday = _today(), _today() - dt.timedelta(days=1)
    heading = page.get_by_role("heading", level=1)

    # --- She logs in and lands on her day: she has visits today.
    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(heading).to_contain_text("My day")
    expect(heading).to_contain_text("(today)")
    assert _path(page) == "/plan/day"
    check_page(page, "day-01-landed-on-my-day")

    # --- The caseload finds people as she types them.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").tap()
    search = page.get_by_label("Find a person")
    names = page.locator("#results .person-name")
    for typed, found in (
        ("ozdemir", "Ayşe Özdemir"),
        ("0631415926", "Ayşe Özdemir"),
        ("jo van", "Johanna van Dijk"),
    ):
        search.fill(typed)
        expect(names).to_have_text([found])
    check_page(page, "day-02-search-jo-van")
    search.fill("%")
    expect(page.locator("#results")).to_contain_text("Nobody in the caseload matches “%”")
    search.fill("jo van")
    expect(names).to_have_text(["Johanna van Dijk"])

    # --- Recording from the filtered caseload comes back to the same filter.
    page.get_by_role("link", name="Record contact with Johanna van Dijk").tap()
    expect(heading).to_have_text("Record a contact with Johanna van Dijk")
    expect(page.locator(".crumb")).to_have_text("← Caseload: “jo van”")
    page.get_by_role("radio", name="Phone call").check()
    page.get_by_role("radio", name="15 min").check()
    page.get_by_label("Note").fill("Asked about her new glasses")
    check_page(page, "day-03-record-from-filter")
    page.get_by_role("button", name="Save contact").tap()
    expect(page.locator(".flash")).to_have_text("Phone call recorded for Johanna van Dijk.")
    expect(page.get_by_label("Find a person")).to_have_value("jo van")
    expect(names).to_have_text(["Johanna van Dijk"])
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["q"] == ["jo van"]
    check_page(page, "day-04-back-to-the-filter")
    with db.connection_context():
        assert Contact.get(Contact.note == "Asked about her new glasses").client_id == johanna.id

    # --- A done visit shrinks to one line, which opens to see or correct it.
    page.goto("/plan/day")
    page.get_by_role("link", name=f"Done: record the visit to {ayse.name}").tap()
    expect(page.locator("#other-day")).to_have_count(0)  # today's visit: nothing to say
    page.get_by_role("button", name="Save contact").tap()
    expect(page.locator(".flash")).to_have_text(f"Home visit with {ayse.name} recorded.")
    line = page.locator(f"#visit-{plan['ayse'].id}")
    expect(line).to_have_class("visit-card status-done done-line")
    correct = line.get_by_role("link", name=f"See or correct the contact with {ayse.name}")
    expect(correct).to_be_hidden()
    waiting = page.locator(f"#visit-{plan['johanna'].id}")
    assert line.bounding_box()["height"] < waiting.bounding_box()["height"] / 2
    check_page(page, "day-05-done-shrinks")
    line.locator("summary").tap()
    expect(correct).to_be_visible()
    check_page(page, "day-06-done-opened")
    correct.tap()
    expect(heading).to_have_text(ayse.name)
    with db.connection_context():
        contact = PlannedVisit.get_by_id(plan["ayse"].id).contact
    assert urllib.parse.urlsplit(page.url).fragment == f"contact-{contact.id}"

    # --- Yesterday's forgotten visit: she must say when it happened.
    page.goto(f"/plan/day?day={yesterday}")
    page.get_by_role("link", name=f"Done: record the visit to {johanna.name}").tap()
    expect(page.locator("#other-day")).to_contain_text(
        f"This visit was planned for {_day_name(yesterday)}, not today."
    )
    page.get_by_label("Note").fill("Eye drops; she had done the left eye herself")
    page.get_by_role("button", name="Save contact").tap()
    expect(page.locator("#when-error")).to_contain_text("Say whether it happened then, today")
    expect(page.get_by_label("Note")).to_have_value("Eye drops; she had done the left eye herself")
    check_page(page, "day-07-say-when", allowed_status=400)
    with db.connection_context():
        assert PlannedVisit.get_by_id(plan["forgotten"].id).status == "planned"
    page.get_by_role("radio", name=f"On {_day_name(yesterday)}, as planned").check()
    page.get_by_role("button", name="Save contact").tap()
    expect(page.locator(".flash")).to_have_text(f"Home visit with {johanna.name} recorded.")
    with db.connection_context():
        done = PlannedVisit.get_by_id(plan["forgotten"].id)
        happened = done.contact.happened_at
    planned_at = dt.datetime.combine(yesterday, dt.time(9), ZONE).astimezone(dt.UTC)
    assert (done.status, happened) == ("done", planned_at.replace(tzinfo=None))

    # --- Ill until the day after tomorrow: every visit of those days, one confirmation.
    until = today + dt.timedelta(days=2)
    page.goto("/plan/day")
    page.get_by_role("link", name=f"I can't do my visits on {_day_name(today)}").tap()
    expect(heading).to_have_text("I can't do my visits")
    page.get_by_label("Until and including").fill(until.isoformat())
    preview = page.locator("#handover-visits")
    expect(preview).to_contain_text(
        f"These 3 visits from {_day_name(today)} to {_day_name(until)} will be up"
    )
    expect(preview.locator(".handover-day")).to_have_count(3)
    check_page(page, "day-08-ill-until")
    page.get_by_role("button", name="Hand over these visits").tap()
    expect(page.locator(".flash")).to_contain_text(
        f"Your 3 visits from {_day_name(today)} to {_day_name(until)} are up for your "
        "colleagues to take."
    )
    check_page(page, "day-09-handed-over")
    with db.connection_context():
        members = {
            v.id: v.member_id
            for v in PlannedVisit.select().where(PlannedVisit.client.in_([ayse.id, johanna.id]))
        }
    handed = [plan["johanna"].id] + [v.id for v in plan["ill"]]
    assert [members[i] for i in handed] == [None, None, None]
    assert members[plan["after"].id] is not None and members[plan["ayse"].id] is not None
