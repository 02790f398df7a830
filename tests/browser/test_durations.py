"""The duration a nurse taps is the one saved, on a portrait tablet.

Anna's visit to a woman was planned for 20 minutes: the form that records it as
done comes with "Other duration" filled in with 20, and the plan's instruction
beside it, not in the note. She taps the 30 min chip: the typed 20 empties, so
only one duration shows as chosen, and 30 is saved. Correcting a contact of 20
minutes to 45 works the same way. Without JavaScript the tapped chip wins too.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import Client, Contact, PlannedVisit, Team, User

pytestmark = pytest.mark.browser

INSTRUCTION = "Help with washing; likes to start with a chat"


@pytest.fixture
def planned():
    """planned(name): a visit of 20 minutes in Anna's plan today. Taken out again
    afterwards: a member with visits today lands on My day, which the other tests
    of the session do not expect of Anna."""
    made = []

    def plan(name: str) -> int:
        made.append(_planned(name))
        return made[-1]

    yield plan
    with db.connection_context():
        PlannedVisit.delete().where(PlannedVisit.id.in_(made)).execute()


def _planned(name: str) -> int:
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        person = Client.open(oost, by=anna, known_best=[anna], name=name, phone="020-612 3456")
        visit = PlannedVisit.add(
            person, anna, member=anna, day=local_today(), minutes=20, note=INSTRUCTION
        )
        return visit.id


def _contact_of(visit_id: int) -> Contact:
    with db.connection_context():
        return PlannedVisit.get_by_id(visit_id).contact


def _stamp() -> str:
    return f"{dt.datetime.now():%H%M%S%f}"


def test_the_tapped_chip_is_saved_and_the_instruction_is_not_the_note(
    page, log_in, check_page, planned
):
    log_in(page, "anna")
    visit_id = planned(f"Truus Vermeer {_stamp()}")
    page.goto(f"/plan/visits/{visit_id}/done")
    typed = page.get_by_label("Other duration in minutes")
    expect(typed).to_have_value("20")
    expect(page.locator(".plan-note")).to_contain_text(f"Planned: {INSTRUCTION}")
    expect(page.get_by_label("Note", exact=True)).to_have_value("")

    page.get_by_text("30 min", exact=True).tap()
    expect(page.get_by_label("30 min")).to_be_checked()
    expect(typed).to_have_value("")  # never two durations chosen at once
    check_page(page, "done-visit-chip-tapped")

    page.get_by_role("button", name="Save contact").tap()
    expect(page.locator(".flash.success")).to_contain_text("recorded")
    contact = _contact_of(visit_id)
    assert (contact.minutes, contact.note) == (30, "")

    # Correcting it: typing a duration clears the chip, and the typed one is saved.
    page.goto(f"/contacts/{contact.id}/edit")
    expect(page.get_by_label("30 min")).to_be_checked()
    page.get_by_label("Other duration in minutes").fill("25")
    expect(page.get_by_label("30 min")).not_to_be_checked()
    page.get_by_role("button", name="Save correction").tap()
    expect(page.locator(".flash.success")).to_contain_text("Contact corrected.")
    with db.connection_context():
        assert Contact.get_by_id(contact.id).minutes == 25

    # And back to a chip: the old typed 25 does not stay.
    page.goto(f"/contacts/{contact.id}/edit")
    expect(page.get_by_label("Other duration in minutes")).to_have_value("25")
    page.get_by_text("45 min", exact=True).tap()
    expect(page.get_by_label("Other duration in minutes")).to_have_value("")
    check_page(page, "correct-contact-chip-tapped")
    page.get_by_role("button", name="Save correction").tap()
    expect(page.locator(".flash.success")).to_contain_text("Contact corrected.")
    with db.connection_context():
        assert Contact.get_by_id(contact.id).minutes == 45


def test_without_javascript_the_tapped_chip_wins_too(nojs_page, log_in, planned):
    page = nojs_page
    log_in(page, "anna")
    visit_id = planned(f"Riet Smits {_stamp()}")
    page.goto(f"/plan/visits/{visit_id}/done")
    page.get_by_text("30 min", exact=True).click()
    # Nothing empties the typed 20 without the script: the server decides.
    expect(page.get_by_label("Other duration in minutes")).to_have_value("20")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".flash.success")).to_contain_text("recorded")
    assert _contact_of(visit_id).minutes == 30
