"""A nurse whose tablet is set to Dutch opens a new case, reads the person's page,
writes a strength in place (once without words, to see what to fix) and looks at
the person's history. Portrait tablet, axe-clean.

Femke is a member of her own for this journey, so that no other journey's people
or language decide what she sees.
"""

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Strength, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = pytest.mark.browser

EMAIL = "femke@oost.example.org"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A tablet set to Dutch: its browser asks for Dutch first.
    return {**browser_context_args, "locale": "nl-NL"}


def test_a_dutch_nurse_opens_a_case_and_writes_a_strength(page, check_page, own_members):
    own_members.append(EMAIL)
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        User.create(
            email=EMAIL,
            name="Femke de Wit",
            role=User.MEMBER,
            team=oost,
            password_hash=PASSWORD_HASH,
        )
    heading = page.get_by_role("heading", level=1)
    page.goto("/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").tap()
    expect(heading).not_to_have_text("Inloggen bij teamcase")

    # --- Opening a case: without a way to reach her, the form says so in Dutch.
    page.goto("/people/new")
    expect(heading).to_have_text("Nieuwe cliënt")
    page.get_by_label("Naam", exact=True).fill("Riek Wolters")
    page.get_by_label("Geboortedatum").fill("31-2-1938")
    page.get_by_role("button", name="Cliënt opnemen").tap()
    expect(page.get_by_text("“31-2-1938” is geen datum die we kunnen lezen.")).to_be_visible()
    expect(page.get_by_text("Geef minstens één manier om iemand te bereiken")).to_be_visible()
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Riek Wolters")
    check_page(page, "nl-clients-01-nieuwe-client", allowed_status=400)
    page.get_by_label("Geboortedatum").fill("3-2-1938")
    page.get_by_label("Telefoon").fill("06-11122233")
    page.get_by_role("button", name="Cliënt opnemen").tap()
    expect(heading).to_have_text("Riek Wolters")
    expect(page.locator(".flash")).to_have_text("Riek Wolters staat nu in de cliëntenlijst.")

    # --- Her page, in Dutch, strengths before anything else.
    expect(page.get_by_role("heading", name="Over Riek")).to_be_visible()
    expect(page.get_by_role("heading", name="De mensen om Riek heen")).to_be_visible()
    expect(page.get_by_role("heading", name="Waar Riek naartoe wil werken")).to_be_visible()
    check_page(page, "nl-clients-02-pagina")

    # --- A strength, written in place: first without words, then with them.
    strengths = page.locator("#strengths")
    strengths.get_by_role("link", name="Een sterke kant toevoegen").tap()
    strengths.get_by_role("button", name="Sterke kant toevoegen").tap()
    expect(strengths.get_by_text("Beschrijf de sterke kant.")).to_be_visible()
    expect(strengths.get_by_text("Kies wat voor sterke kant het is.")).to_be_visible()
    check_page(page, "nl-clients-03-sterke-kant-fout", allowed_status=400)
    strengths.get_by_label("Sterke kant", exact=True).fill("Zingt in het buurtkoor")
    strengths.get_by_text("Vaardigheden en interesses").tap()
    strengths.get_by_role("button", name="Sterke kant toevoegen").tap()
    expect(strengths.get_by_text("Zingt in het buurtkoor")).to_be_visible()
    expect(strengths.locator(".tag")).to_have_text("Vaardigheden en interesses")
    with db.connection_context():
        riek = Client.get(Client.name == "Riek Wolters", Client.team == oost)
        saved = Strength.select().where(Strength.client == riek)
        assert [(s.text, s.category) for s in saved] == [("Zingt in het buurtkoor", "skills")]

    # --- What happened, in the history.
    page.get_by_role("link", name="Geschiedenis").tap()
    expect(heading).to_have_text("Wie keek er en wat veranderde er")
    expect(page.locator("table.history")).to_contain_text("Een sterke kant toegevoegd")
    expect(page.locator("table.history")).to_contain_text("Cliënt opgenomen")
    check_page(page, "nl-clients-04-geschiedenis")
