"""A Dutch nurse shares the team's work in Dutch: she plans a visit in the week plan
(a mistake first, answered in Dutch), puts a task on the team board and takes it
herself, and looks at the referrals and her team. Portrait tablet, axe-clean.

Sanne is a member of her own for this journey, so that no other journey's visits,
tasks or language decide what she sees.
"""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
EMAIL = "sanne@oost.example.org"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


def test_a_dutch_nurse_plans_and_shares_the_work(page, check_page, own_members):
    today = dt.datetime.now(ZONE).date()
    own_members.append(EMAIL)
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        sanne = User.create(
            email=EMAIL,
            name="Sanne Visser",
            role=User.MEMBER,
            team=oost,
            password_hash=PASSWORD_HASH,
            language="nl",
        )
        Client.open(oost, by=sanne, known_best=[sanne], name="Gerrit Dekker", street="Eikstraat 3")
    heading = page.get_by_role("heading", level=1)

    page.goto("/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").tap()
    # Nothing planned yet, so she starts on the caseload.
    expect(heading).to_contain_text("Buurtzorg Oost")

    # --- Plan a visit: an end before the start is answered in Dutch, nothing lost.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn dag").tap()
    expect(heading).to_contain_text("Mijn dag")
    page.get_by_role("link", name="+ Bezoek plannen").first.tap()
    expect(heading).to_have_text("Bezoek plannen")
    page.get_by_label("Cliënt").select_option(label="Gerrit Dekker")
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("09:30")
    page.get_by_label("Notitie voor wie er gaat").fill("Steunkousen aantrekken")
    page.get_by_role("button", name="Bezoek plannen").tap()
    expect(page.locator(".form-problem")).to_contain_text("Kijk het gemarkeerde veld hieronder na.")
    expect(page.get_by_text("Dit is niet na de begintijd (10:00). Kies een latere eindtijd."))
    expect(page.get_by_label("Notitie voor wie er gaat")).to_have_value("Steunkousen aantrekken")
    check_page(page, "nl-teamwork-01-bezoek-plannen-fout", allowed_status=400)
    page.get_by_label("Eindtijd").fill("10:30")
    page.get_by_role("button", name="Bezoek plannen").tap()
    expect(page.locator(".flash")).to_contain_text("Bezoek aan Gerrit Dekker gepland op")

    # --- The week plan shows it under her name, in Dutch.
    page.get_by_role("link", name="Weekplanning").first.tap()
    expect(heading).to_contain_text("Weekplanning")
    today_section = page.locator(f"#day-{today.isoformat()}")
    expect(today_section.get_by_role("heading", name="Sanne Visser")).to_contain_text("1 bezoek")
    check_page(page, "nl-teamwork-02-weekplanning")

    # --- The team board: a task for Gerrit, and she says she does it herself.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Teambord").tap()
    expect(heading).to_have_text("Teambord")
    page.get_by_label("Wat er moet gebeuren").fill("Rolstoel ophalen bij de thuiszorgwinkel")
    page.get_by_label("Voor", exact=True).select_option(label="Gerrit Dekker")
    page.get_by_role("button", name="Op het teambord zetten").tap()
    card = page.locator(".task", has_text="Rolstoel ophalen bij de thuiszorgwinkel")
    expect(card).to_contain_text("Nog niemand doet dit · toegevoegd door jou")
    card.get_by_role("button", name="Ik doe het: Rolstoel ophalen bij de thuiszorgwinkel").tap()
    expect(card).to_contain_text("Jij doet dit sinds")
    check_page(page, "nl-teamwork-03-teambord")

    # --- Referrals and her team, in Dutch.
    page.goto("/referrals/")
    expect(heading).to_have_text("Aanmeldingen")
    expect(page.get_by_role("heading", name="Ruimte in het team"))
    page.goto("/team/")
    expect(page.get_by_role("heading", name="Teamlogboek"))
    check_page(page, "nl-teamwork-04-ons-team")
