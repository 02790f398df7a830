"""Removing a part of a person's record asks once, on a portrait tablet.

Anna taps Remove next to a strength: the question comes in place of the strength,
with its words; she taps "Keep it" and the strength is still there. She taps Remove
again and confirms: it is gone from the record, and the history keeps what it said.
Without JavaScript the question is a page of its own that does the same.
"""

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import AuditEvent, Client, Contact, Strength, Team, User

pytestmark = pytest.mark.browser

WORDS = "Plays the accordion at the community centre"


def _person(name: str) -> tuple[int, int]:
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        person = Client.open(oost, by=anna, known_best=[anna], name=name, phone="020-612 3456")
        strength = Strength.add(person, by=anna, category="skills", text=WORDS)
        return person.id, strength.id


def _still_there(strength_id: int) -> bool:
    with db.connection_context():
        return Strength.select().where(Strength.id == strength_id).exists()


def _removed_text(strength_id: int) -> str:
    with db.connection_context():
        event = AuditEvent.get(
            AuditEvent.entity == "strength",
            AuditEvent.entity_id == strength_id,
            AuditEvent.action == "delete",
        )
        return json.loads(event.changes)["before"]["text"]


def test_remove_asks_once_and_the_history_keeps_the_words(page, log_in, check_page):
    person_id, strength_id = _person(f"Truus Visser {dt.datetime.now():%H%M%S%f}")
    log_in(page, "anna")
    page.goto(f"/people/{person_id}#strengths")
    strengths = page.locator("#strengths")
    strengths.get_by_role("link", name=f"Remove strength: {WORDS}").tap()
    question = strengths.get_by_role("group", name="Remove this strength?")
    expect(question).to_be_visible()
    expect(question).to_contain_text(WORDS)
    expect(question).to_be_focused()  # read out where the Remove link was
    check_page(page, "remove-strength-asks")
    question.get_by_role("link", name="Keep it").tap()
    expect(page.locator("#strengths")).to_contain_text(WORDS)
    assert _still_there(strength_id)

    strengths = page.locator("#strengths")
    strengths.get_by_role("link", name=f"Remove strength: {WORDS}").tap()
    strengths.get_by_role("button", name="Remove strength").tap()
    expect(page.locator("#strengths")).not_to_contain_text(WORDS)
    check_page(page, "remove-strength-done")
    assert not _still_there(strength_id)
    assert _removed_text(strength_id) == WORDS


def test_without_javascript_the_question_is_a_page(nojs_page, log_in, check_page):
    page = nojs_page
    person_id, strength_id = _person(f"Riet Smits {dt.datetime.now():%H%M%S%f}")
    log_in(page, "anna")
    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name=f"Remove strength: {WORDS}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this strength?")
    check_page(page, "remove-strength-page")
    assert _still_there(strength_id)
    page.get_by_role("button", name="Remove strength").click()
    expect(page.locator("#strengths")).not_to_contain_text(WORDS)
    assert not _still_there(strength_id)
    assert _removed_text(strength_id) == WORDS


CALL = "Daughter phoned: the GP changed the pills"


def _person_with_a_contact(name: str) -> tuple[int, int]:
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        person = Client.open(oost, by=anna, known_best=[anna], name=name, phone="020-612 3457")
        contact = Contact.record(
            person,
            anna,
            kind="phone",
            minutes=10,
            note=CALL,
            happened_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1),
        )
        return person.id, contact.id


def _contact_there(contact_id: int) -> bool:
    with db.connection_context():
        return Contact.select().where(Contact.id == contact_id).exists()


def test_removing_a_contact_asks_once(page, log_in, check_page):
    person_id, contact_id = _person_with_a_contact(f"Joop Bos {dt.datetime.now():%H%M%S%f}")
    log_in(page, "anna")
    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name="Correct or remove").tap()
    page.get_by_role("link", name="Remove this contact").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this contact?")
    expect(page.get_by_role("group", name="Remove this contact?")).to_contain_text(CALL)
    check_page(page, "remove-contact-asks")
    page.get_by_role("link", name="Keep it").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct a contact")
    assert _contact_there(contact_id)
    page.get_by_role("link", name="Remove this contact").tap()
    page.get_by_role("button", name="Remove this contact").tap()
    expect(page.locator(".flash")).to_contain_text("removed")
    assert not _contact_there(contact_id)
