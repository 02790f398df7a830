"""A Dutch team's meeting in the browser: Lotte plans the next teamoverleg, finds
its agenda filled from the caseload, starts meeting mode, ticks who is here and
reaches the first person; then she reads the decisions log. Portrait tablet,
axe-clean, every word Dutch.

The team is its own for each run, so that other journeys' meetings do not meet it.
"""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Decision, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


def test_a_dutch_team_plans_and_starts_its_meeting(page, check_page):
    today = dt.datetime.now(ZONE).date()
    with db.connection_context():
        number = Team.select().count() + 1
        team = Team.create(name=f"Buurtzorg West {number}", area="West")

        def member(name):
            return User.create(
                email=f"{name.split()[0].lower()}.{number}@west.example.org",
                name=name,
                role=User.MEMBER,
                team=team,
                password_hash=PASSWORD_HASH,
                language="nl",
            )

        lotte, joost = member("Lotte de Boer"), member("Joost Smit")
        Client.open(team, by=lotte, name="Riek Jansen", phone="020-1234567", review_on=today)
        Decision.propose(
            team,
            joost,
            "Vanaf maart plannen we de weekenden twee weken vooruit",
            "Zodat iedereen weet waar ze aan toe is.",
        )
    heading = page.get_by_role("heading", level=1)

    page.goto("/login")
    page.get_by_label("E-mail").fill(lotte.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").tap()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # --- No meeting yet: she plans the next one, in two days.
    page.goto("/meetings/")
    expect(heading).to_have_text("Teamoverleggen")
    page.get_by_role("link", name="Het volgende overleg plannen").tap()
    expect(heading).to_have_text("Het volgende overleg plannen")
    page.get_by_label("Datum").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_label("Plek", exact=True).fill("Buurthuis De Linde")
    check_page(page, "nl-meetings-01-plannen")
    page.get_by_role("button", name="Overleg plannen").tap()

    # --- Its agenda filled itself: Riek, whose review date has come, and the proposal.
    expect(page.locator(".flash")).to_contain_text("De agenda vult zich vanuit de cliëntenlijst.")
    expect(page.locator("#agenda-heading")).to_contain_text("2 punten")
    expect(page.locator(".agenda")).to_contain_text("Riek Jansen")
    expect(page.locator(".agenda")).to_contain_text("Voorstel")
    check_page(page, "nl-meetings-02-agenda")

    # --- Meeting mode: who is here, a day early, and the first item.
    page.get_by_role("link", name="Overlegstand starten").tap()
    expect(page.get_by_role("heading", name="Voordat we beginnen")).to_be_visible()
    page.get_by_label("Lotte de Boer").check()
    page.get_by_label("Joost Smit").check()
    page.get_by_role("button", name="Overleg beginnen").tap()
    expect(page.get_by_role("alert")).to_contain_text("niet vandaag")
    page.get_by_role("button", name="Ja, vandaag beginnen").tap()
    expect(page.locator(".flash")).to_contain_text("Het overleg is begonnen, met 2 aanwezig.")
    expect(page.locator(".item-count")).to_contain_text("Punt 1 van 2")
    check_page(page, "nl-meetings-03-overlegstand")

    # --- The decisions log, in Dutch too.
    page.goto("/decisions/")
    expect(heading).to_contain_text("Besluiten")
    expect(page.locator(".decision-line").first).to_contain_text("Voorgesteld")
    check_page(page, "nl-meetings-04-besluiten")
