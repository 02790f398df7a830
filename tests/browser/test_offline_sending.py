"""Writing without a signal, on the portrait tablet (768×1024): a planned visit
marked done and a contact recorded offline wait through a reload and are each
sent and confirmed when the signal returns; an about-me section changed offline
meets a colleague's newer version as the usual conflict, both texts kept; an item
the server refuses is shown with its reason while the next one is sent; drafts
come back after a reload and a closed tab.

Olga is a member of her own for these journeys, so that no other journey's visits
change her plan. SQLite only: what the browser keeps does not depend on the database.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import AboutMe, Client, Contact, PlannedVisit, Team, User

from .conftest import PASSWORD, PASSWORD_HASH, _watches
from .test_offline import _accessible, _shoot

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _setup(own_members, journey):
    global EMAIL
    EMAIL = f"olga.{journey}@oost.example.org"
    colleague = f"bram.{journey}@oost.example.org"
    own_members.extend([EMAIL, colleague])
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        olga, bram = (
            User.create(
                email=email, name=name, role=User.MEMBER, team=oost, password_hash=PASSWORD_HASH
            )
            for email, name in ((EMAIL, "Olga Peters"), (colleague, "Bram Vos"))
        )
        truus = Client.open(oost, by=olga, name="Truus Offerman", street="Polderweg 2")
        kees = Client.open(oost, by=olga, name="Kees Morgenstond")
        visit = dict(member=olga, kind="home_visit", minutes=30, day=_today())
        truus_visit = PlannedVisit.add(truus, olga, starts_at=dt.time(9), **visit)
        PlannedVisit.add(kees, olga, starts_at=dt.time(11), **visit)
    return olga, bram, truus, kees, truus_visit


def _log_in(page):
    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My day")
    expect(page.locator("html[data-offline-synced]")).to_have_count(1, timeout=15_000)


def _back_online(page, context):
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def _wait_for(check, page, tries=150):
    for _ in range(tries):
        with db.connection_context():
            if check():
                return
        page.wait_for_timeout(100)
    raise AssertionError("the tablet did not send what waited")


def _record_contact(page, person, note):
    form = page.locator(f'form[action="/people/{person.id}/contacts/new?inline=1"]')
    form.get_by_role("radio", name="30 min").check()
    form.get_by_label("Note").fill(note)
    form.get_by_role("button", name="Save contact").tap()


def _mark_done(page, person, note):
    page.get_by_role("link", name=f"Done: record the visit to {person.name}").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Record the visit to {person.name}")
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save contact").tap()


def test_a_visit_done_and_a_contact_offline_are_each_sent_once_and_confirmed(
    page, context, site, own_members
):
    olga, _bram, truus, kees, truus_visit = _setup(own_members, "j1")
    heading = page.get_by_role("heading", level=1)
    badge = page.locator("#outbox-badge")
    waiting = page.locator("#outbox-person")
    _log_in(page)

    # --- No signal: she marks Truus's visit done from her day.
    context.set_offline(True)
    _mark_done(page, truus, "Washed and dressed, offline")
    expect(heading).to_contain_text("My day")
    expect(page.locator(".offline-notice")).to_be_visible()
    expect(badge).to_have_text("1 waiting to send")
    expect(waiting.locator("li")).to_have_count(1)
    expect(waiting.locator("li")).to_contain_text("Washed and dressed, offline")
    expect(page.locator(f"#visit-{truus_visit.id} .outbox-tag")).to_have_text("Waiting to send")
    _accessible(page)
    _shoot(page, "offline-sending-01-done-waiting")

    # A contact for Kees, from his page as kept.
    page.get_by_role("link", name="Kees Morgenstond", exact=True).tap()
    expect(heading).to_have_text("Kees Morgenstond")
    _record_contact(page, kees, "Phoned his daughter, offline")
    expect(badge).to_have_text("2 waiting to send")
    # A reload without a signal: both still wait.
    page.reload()
    expect(heading).to_have_text("Kees Morgenstond")
    expect(badge).to_have_text("2 waiting to send")
    page.goto("/plan/day")
    expect(waiting.locator("li")).to_have_count(2)
    with db.connection_context():
        assert not Contact.select().where(Contact.client.in_([truus.id, kees.id])).exists()
        assert PlannedVisit.get_by_id(truus_visit.id).status == "planned"

    # --- The signal returns: each goes once, in order, and is confirmed.
    _back_online(page, context)

    def both_there():
        return Contact.select().where(Contact.client.in_([truus.id, kees.id])).count() == 2

    _wait_for(both_there, page)
    live = page.locator("#outbox-live .outbox-sent")
    expect(live).to_have_text(
        ["Visit to Truus Offerman sent", "Contact with Kees Morgenstond sent"]
    )
    expect(badge).to_be_hidden()
    expect(waiting).to_be_hidden()
    expect(page.locator(f"#visit-{truus_visit.id}")).to_contain_text("Done")
    _accessible(page)
    _shoot(page, "offline-sending-02-confirmed")
    page.wait_for_timeout(500)  # nothing more is sent
    with db.connection_context():
        visit = PlannedVisit.get_by_id(truus_visit.id)
        assert visit.status == "done"
        assert visit.contact.note == "Washed and dressed, offline"
        assert visit.contact.author_id == olga.id
        notes = [c.note for c in Contact.select().where(Contact.client == kees.id)]
        assert notes == ["Phoned his daughter, offline"]
        assert Contact.select().where(Contact.client == truus.id).count() == 1
    assert (
        page.evaluate(
            "new Promise(r => { const o = indexedDB.open('teamcase-outbox', 1);"
            " o.onsuccess = () => { const q = o.result.transaction('contacts')"
            ".objectStore('contacts').count(); q.onsuccess = () => r(q.result); }; })"
        )
        == 0
    )
    assert not _watches[page].take(allowed_status=503)


def test_an_about_me_section_changed_offline_meets_a_colleagues_change_as_a_conflict(
    page, context, site, own_members
):
    olga, bram, truus, _kees, _visit = _setup(own_members, "j2")
    with db.connection_context():
        AboutMe.write(truus, "matters", by=olga, based_on=0, text="Her cat", said_by="person")
    heading = page.get_by_role("heading", level=1)
    _log_in(page)

    # --- Offline, she changes what matters to Truus, from Truus's page as kept.
    context.set_offline(True)
    page.get_by_role("link", name="Truus Offerman", exact=True).tap()
    expect(heading).to_have_text("Truus Offerman")
    page.get_by_role("link", name="Change: What matters to me").tap()
    # The form loaded in place cannot come offline: its own page, kept, stands in.
    expect(heading).to_have_text("What matters to me")
    text = page.get_by_label("In their words")
    expect(text).to_have_value("Her cat")
    text.fill("Her cat and her garden, written offline")
    page.get_by_role("button", name="Save").tap()
    expect(heading).to_have_text("Truus Offerman")
    expect(page.locator("#outbox-person li")).to_contain_text("written offline")
    expect(page.locator("#outbox-badge")).to_have_text("1 waiting to send")

    # Meanwhile a colleague writes a new version of the same section.
    with db.connection_context():
        AboutMe.write(truus, "matters", by=bram, based_on=1, text="Her grandson", said_by="family")

    # --- Back online: hers is not saved over his; she is told and keeps her text.
    _back_online(page, context)
    refused = page.locator("#outbox-person li.refused")
    expect(refused).to_contain_text("Not sent: Bram Vos saved a new version", timeout=15_000)
    expect(refused).to_contain_text("Her cat and her garden, written offline")
    with db.connection_context():
        assert AboutMe.current_for(truus)["matters"].text == "Her grandson"
    _accessible(page)
    _shoot(page, "offline-sending-03-conflict-waiting")

    # She opens it: the usual conflict, his text above, hers in the form.
    refused.get_by_role("button", name="Open it").tap()
    expect(page.locator(".form-problem")).to_contain_text("Bram Vos saved a new version")
    expect(page.locator(".form-problem")).to_contain_text("Her grandson")
    expect(page.get_by_label("In their words")).to_have_value(
        "Her cat and her garden, written offline"
    )
    _accessible(page)
    _shoot(page, "offline-sending-04-conflict-opened")
    page.get_by_role("button", name="Save").tap()
    expect(heading).to_have_text("Truus Offerman")
    expect(page.locator("#about-matters")).to_contain_text("written offline")
    expect(page.locator("#outbox-person")).to_be_hidden()
    with db.connection_context():
        texts = [v.text for v in AboutMe.versions(truus, "matters")]
    assert sorted(texts) == sorted(
        ["Her cat", "Her grandson", "Her cat and her garden, written offline"]
    )
    problems = _watches[page].take(allowed_status=409)
    assert not problems, problems


def test_a_refused_item_is_shown_with_its_reason_while_the_next_is_sent(
    page, context, site, own_members
):
    _olga, bram, truus, kees, truus_visit = _setup(own_members, "j3")
    waiting = page.locator("#outbox-person")
    _log_in(page)

    context.set_offline(True)
    _mark_done(page, truus, "Washed, while the case was being closed")
    page.get_by_role("link", name="Kees Morgenstond", exact=True).tap()
    _record_contact(page, kees, "Kees is well")
    expect(page.locator("#outbox-badge")).to_have_text("2 waiting to send")
    # Meanwhile a colleague closes Truus's case: her visits today are cancelled.
    with db.connection_context():
        fresh = Client.get_by_id(truus.id)
        assert fresh.close(bram, fresh.version, "moved", "", _today())

    page.goto("/plan/day")
    _back_online(page, context)
    _wait_for(lambda: Contact.select().where(Contact.client == kees.id).count() == 1, page)
    expect(page.locator("#outbox-live .outbox-sent")).to_have_text(
        [
            "The visit to Truus Offerman was not sent: see why on the list of what waits.",
            "Contact with Kees Morgenstond sent",
        ]
    )
    refused = waiting.locator("li.refused")
    expect(refused).to_have_count(1)
    expect(refused.locator(".not-sent")).to_have_text(
        "Not sent: This visit was cancelled. Nothing was recorded twice."
    )
    expect(refused).to_contain_text("Washed, while the case was being closed")
    expect(page.locator("#outbox-badge")).to_be_hidden()
    _accessible(page)
    _shoot(page, "offline-sending-05-refused")
    with db.connection_context():
        assert not Contact.select().where(Contact.client == truus.id).exists()
        assert PlannedVisit.get_by_id(truus_visit.id).status == "cancelled"

    # She opens it: the server says why, with her note; then she discards it.
    refused.get_by_role("button", name="Open it").tap()
    expect(page.locator("[data-refusal]")).to_contain_text("This visit was cancelled.")
    expect(page.locator("main")).to_contain_text("Washed, while the case was being closed")
    page.goto("/plan/day")
    waiting.locator("li.refused").get_by_role("button", name="Discard it").tap()
    expect(waiting).to_be_hidden()
    problems = _watches[page].take(allowed_status=409)
    assert not problems, problems


def test_drafts_come_back_after_a_reload_and_a_closed_tab(page, context, site, own_members):
    _olga, _bram, truus, _kees, _visit = _setup(own_members, "j4")
    _log_in(page)
    page.get_by_role("link", name="Truus Offerman", exact=True).tap()
    note = page.locator(f'form[action="/people/{truus.id}/contacts/new?inline=1"]').get_by_label(
        "Note"
    )
    note.fill("Half a note about her legs")
    page.wait_for_timeout(600)
    page.reload()
    offer = page.locator(".draft-offer")
    expect(offer).to_contain_text(re.compile(r"You have a draft from \d\d:\d\d\."))
    expect(note).to_have_value("")
    _accessible(page)
    _shoot(page, "offline-sending-06-draft-offered")
    offer.get_by_role("button", name="Use it").tap()
    expect(note).to_have_value("Half a note about her legs")
    expect(offer).to_have_count(0)

    # The about-me form: the tab closed, a new one opened.
    page.get_by_role("link", name="Write: What matters to me").tap()
    page.get_by_label("In their words").fill("Her garden, a draft")
    page.wait_for_timeout(600)
    page.close()
    again = context.new_page()
    again.goto(f"/people/{truus.id}/about/matters/edit")
    again.locator(".draft-offer").get_by_role("button", name="Discard it").tap()
    expect(again.get_by_label("In their words")).to_have_value("")
    again.reload()
    expect(again.locator(".draft-offer")).to_have_count(0)
    again.get_by_label("In their words").fill("Another draft")
    again.wait_for_timeout(600)

    # Logging out deletes the drafts.
    again.get_by_role("button", name="Log out").tap()
    expect(again.locator("html[data-offline-cleared]")).to_have_count(1)
    kept = again.evaluate("Object.keys(localStorage).filter(k => k.startsWith('teamcase-draft:'))")
    assert kept == []


def test_the_app_is_installable_and_asks_to_keep_its_storage(page, context, site, own_members):
    _setup(own_members, "j5")
    _log_in(page)
    session = context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # The test's browser profile is an incognito one, which never installs apps:
    # Chromium names that, and nothing about the manifest, icons or worker.
    assert [e["errorId"] for e in errors] in ([], ["in-incognito"]), errors
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    assert manifest["url"].endswith("/manifest.webmanifest")
    expect(
        page.locator("html[data-offline-persist-granted], html[data-offline-persist-refused]")
    ).to_have_count(1)
