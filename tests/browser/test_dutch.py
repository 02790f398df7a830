"""A nurse whose tablet is set to Dutch: she logs in, lands on her day, finds a
person on the caseload, and keeps Dutch on her account. Portrait tablet, axe-clean.

Marjan is a member of her own for this journey, so that no other journey's visits
or language decide what she sees.
"""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, PlannedVisit, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
EMAIL = "marjan@oost.example.org"
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A tablet set to Dutch: its browser asks for Dutch first.
    return {**browser_context_args, "locale": "nl-NL"}


def _dutch_day(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS.split()[day.month - 1]}"


def test_a_dutch_nurse_s_first_journey(page, check_page, own_members):
    today = dt.datetime.now(ZONE).date()
    own_members.append(EMAIL)
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        marjan = User.create(
            email=EMAIL,
            name="Marjan Smit",
            role=User.MEMBER,
            team=oost,
            password_hash=PASSWORD_HASH,
        )
        truus = Client.open(
            oost, by=marjan, known_best=[marjan], name="Truus Bakker", street="Lindeweg 12"
        )
        PlannedVisit.add(
            truus,
            marjan,
            member=marjan,
            kind="home_visit",
            minutes=30,
            day=today,
            starts_at=dt.time(9),
        )
    heading = page.get_by_role("heading", level=1)

    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(heading).to_have_text("Inloggen bij teamcase")
    check_page(page, "nl-01-inloggen")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").tap()

    # --- Her day, in Dutch: the day's name, the visit, what to do with it.
    expect(heading).to_contain_text("Mijn dag")
    expect(heading).to_contain_text(f"{_dutch_day(today)} (vandaag)")
    expect(page.get_by_role("link", name="Gedaan: het bezoek aan Truus Bakker vastleggen"))
    expect(page.locator(".totals")).to_contain_text("1 bezoek")
    check_page(page, "nl-02-mijn-dag")

    # --- The caseload finds Truus as she types (other journeys may have their own Truus).
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cliënten").tap()
    page.get_by_label("Een cliënt zoeken").fill("truus bak")
    expect(page.locator("#results .person-name")).to_have_text(["Truus Bakker"])
    expect(page.locator("#caseload-count")).to_have_text("1 cliënt gevonden")
    check_page(page, "nl-03-clienten")

    # --- Her account keeps Dutch, whatever tablet she logs in on next.
    page.get_by_role("link", name="Marjan Smit").tap()
    expect(heading).to_have_text("Je wachtwoord wijzigen")
    page.get_by_label("Nederlands").check()
    page.get_by_role("button", name="Taal opslaan").tap()
    expect(page.locator(".flash")).to_have_text("Vanaf nu spreekt teamcase Nederlands met je.")
    check_page(page, "nl-04-taal")
    with db.connection_context():
        assert User.get(User.email == EMAIL).language == "nl"
