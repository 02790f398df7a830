"""Removing a part of a person's record asks once, on a portrait tablet.

Anna taps Remove next to a strength: the question comes in place of the strength,
with its words; she taps "Keep it" and the strength is back in place, without the
page loading again, her focus on its Remove link. She taps Remove again and
confirms: it is gone from the record, and the history keeps what it said.
Without JavaScript the question is a page of its own that does the same.
The same question comes before an item is taken off the agenda, an invitation is
withdrawn or a role is retired.
"""

import contextlib
import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import (
    AgendaItem,
    AuditEvent,
    Client,
    Contact,
    Invitation,
    Meeting,
    Strength,
    Team,
    TeamRole,
    User,
)

pytestmark = pytest.mark.browser

WORDS = "Plays the accordion at the community centre"


def _person(name: str) -> tuple[int, int]:
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        person = Client.open(oost, by=anna, known_best=[anna], name=name, phone="020-612 3456")
        strength = Strength.add(person, by=anna, category="skills", text=WORDS)
        return person.id, strength.id


@contextlib.contextmanager
def _no_requests(page):
    """Nothing is asked of the server inside the block."""
    sent = []

    def note(request):
        sent.append(request.url)

    page.on("request", note)
    yield
    page.remove_listener("request", note)
    assert sent == []


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
    with _no_requests(page):
        question.get_by_role("link", name="Keep it").tap()
        # Back in place, with the focus where she was: no page loaded again.
        remove = strengths.get_by_role("link", name=f"Remove strength: {WORDS}")
        expect(remove).to_be_focused()
    expect(page.locator("#strengths")).to_contain_text(WORDS)
    assert _still_there(strength_id)
    check_page(page, "remove-strength-kept")

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


def _team_things(stamp: str) -> dict:
    """An agenda item of Anna's on Oost's next meeting, an invitation and a role."""
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        meeting = Meeting.planned_for(oost) or Meeting.plan(
            oost, anna, held_on=local_today() + dt.timedelta(days=7)
        )
        item = AgendaItem.add(meeting, anna, "question", f"Weekend cover {stamp}")
        invitation, _token = Invitation.send(
            oost, anna, f"Kwame Mensah {stamp}", f"kwame{stamp}@oost.example.org", 7
        )
        role = TeamRole.add(oost, anna, f"Time bank {stamp}")
        return {"meeting": meeting.id, "item": item, "invitation": invitation, "role": role}


def _audited(entity: str, entity_id: int, action: str) -> dict:
    with db.connection_context():
        event = AuditEvent.get(
            AuditEvent.entity == entity,
            AuditEvent.entity_id == entity_id,
            AuditEvent.action == action,
        )
        return json.loads(event.changes or "{}")


def test_an_agenda_item_an_invitation_and_a_role_ask_once(page, log_in, check_page):
    things = _team_things(f"{dt.datetime.now():%H%M%S%f}")
    item, invitation, role = things["item"], things["invitation"], things["role"]
    log_in(page, "anna")

    page.goto(f"/meetings/{things['meeting']}")
    agenda = page.locator("#agenda")
    agenda.get_by_role("link", name=f"Take off the agenda: {item.title}").tap()
    question = agenda.get_by_role("group", name="Take this item off the agenda?")
    expect(question).to_contain_text(item.title)
    expect(question).to_be_focused()
    check_page(page, "remove-agenda-item-asks")
    with _no_requests(page):
        question.get_by_role("link", name="Keep it").tap()
        take_off = agenda.get_by_role("link", name=f"Take off the agenda: {item.title}")
        expect(take_off).to_be_focused()
    expect(page.locator(f"#item-{item.id}")).to_contain_text(item.title)
    with db.connection_context():
        assert AgendaItem.select().where(AgendaItem.id == item.id).exists()
    agenda = page.locator("#agenda")
    agenda.get_by_role("link", name=f"Take off the agenda: {item.title}").tap()
    agenda.get_by_role("button", name="Take it off").tap()
    expect(page.locator("#agenda")).to_contain_text(f"“{item.title}” is off the agenda.")
    with db.connection_context():
        assert not AgendaItem.select().where(AgendaItem.id == item.id).exists()
    assert _audited("agenda_item", item.id, "delete")["before"]["title"] == item.title

    page.goto("/team/")
    page.get_by_role("link", name=f"Withdraw the invitation for {invitation.name}").tap()
    question = page.get_by_role("group", name="Withdraw this invitation?")
    expect(question).to_contain_text(invitation.email)
    expect(question).to_be_focused()
    check_page(page, "remove-invitation-asks")
    with db.connection_context():
        assert Invitation.get_by_id(invitation.id).withdrawn_at is None
    question.get_by_role("button", name="Withdraw the invitation").tap()
    expect(page.locator("#invitations")).to_contain_text(f"The invitation for {invitation.name}")
    with db.connection_context():
        assert Invitation.get_by_id(invitation.id).withdrawn_at is not None
    _audited("invitation", invitation.id, "withdraw")

    page.get_by_role("link", name=f"Retire the role {role.name}").tap()
    question = page.get_by_role("group", name="Retire this role?")
    expect(question).to_contain_text(role.name)
    check_page(page, "remove-role-asks")
    with db.connection_context():
        assert TeamRole.get_by_id(role.id).active
    question.get_by_role("button", name="Retire the role").tap()
    expect(page.locator("#roles")).to_contain_text(f"{role.name} is retired.")
    with db.connection_context():
        assert not TeamRole.get_by_id(role.id).active
    _audited("role", role.id, "retire")


def test_without_javascript_retiring_a_role_is_a_page_and_keep_it_goes_back(
    nojs_page, log_in, check_page
):
    page = nojs_page
    role = _team_things(f"{dt.datetime.now():%H%M%S%f}")["role"]
    log_in(page, "anna")
    page.goto("/team/")
    page.get_by_role("link", name=f"Retire the role {role.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire this role?")
    check_page(page, "remove-role-page")
    page.get_by_role("link", name="Keep it").click()
    expect(page).to_have_url(re.compile(rf"/team/#role-{role.id}$"))
    with db.connection_context():
        assert TeamRole.get_by_id(role.id).active
    page.get_by_role("link", name=f"Retire the role {role.name}").click()
    page.get_by_role("button", name="Retire the role").click()
    expect(page.locator(".flash")).to_contain_text(f"{role.name} is retired.")
    with db.connection_context():
        assert not TeamRole.get_by_id(role.id).active
