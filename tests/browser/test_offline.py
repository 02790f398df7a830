"""Reading without a signal, on the portrait tablet: the nurse loads her day
online, loses the connection, opens a person from her plan and tomorrow's day,
each with the "offline — as of" notice; a page the tablet did not keep says so
in teamcase's own words; logging out deletes what the tablet kept.

Olga is a member of her own for this journey, so that no other journey's visits
change her plan. SQLite only: what the browser keeps does not depend on the database.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Contact, PlannedVisit, Team, User

from .conftest import PASSWORD, PASSWORD_HASH, SCREENSHOTS, _watches

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
EMAIL = "olga@oost.example.org"


def _setup():
    today = dt.datetime.now(ZONE).date()
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        olga = User.create(
            email=EMAIL,
            name="Olga Peters",
            role=User.MEMBER,
            team=oost,
            password_hash=PASSWORD_HASH,
        )
        today_person = Client.open(oost, by=olga, name="Truus Offerman", street="Polderweg 2")
        tomorrow_person = Client.open(oost, by=olga, name="Kees Morgenstond")
        not_kept = Client.open(oost, by=olga, name="Lies Nergens")
        visit = dict(member=olga, kind="home_visit", minutes=30)
        PlannedVisit.add(today_person, olga, day=today, starts_at=dt.time(9), **visit)
        PlannedVisit.add(
            tomorrow_person, olga, day=today + dt.timedelta(days=1), starts_at=dt.time(9), **visit
        )
    return today, today_person, tomorrow_person, not_kept


def _cache_names(page) -> list[str]:
    return page.evaluate("caches.keys()")


def _shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding it leaves style="" on inputs, which htmx copies on (see conftest).
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, caret="initial")


def _accessible(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_reading_her_day_offline_and_logging_out_deletes_it(
    page, context, site, check_page, own_members
):
    own_members.append(EMAIL)
    today, truus, kees, lies = _setup()
    heading = page.get_by_role("heading", level=1)
    notice = page.locator(".offline-notice")

    # --- Online: she logs in and lands on her day; the tablet keeps it.
    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(heading).to_contain_text("My day")
    expect(page.locator("html[data-offline-synced]")).to_have_count(1, timeout=15_000)
    expect(notice).to_be_hidden()
    check_page(page, "offline-01-my-day-online")
    assert any(name.startswith("teamcase-shell-") for name in _cache_names(page))
    assert "teamcase-data" in _cache_names(page)
    # A page kept on an earlier day of someone no longer on her plan goes at the next sync.
    stale = "/people/999999"
    kept = """url => caches.open("teamcase-data").then(c => c.match(url)).then(hit => !!hit)"""
    page.evaluate(
        """url => caches.open("teamcase-data").then(c =>
             c.put(url, new Response("<p>kept</p>", {headers: {"Content-Type": "text/html"}})))""",
        stale,
    )
    assert page.evaluate(kept, stale)
    page.reload()  # her day: the tablet keeps it again at once
    for _attempt in range(50):
        if not page.evaluate(kept, stale):
            break
        page.wait_for_timeout(200)
    assert not page.evaluate(kept, stale)

    # --- The signal goes: a person on her plan opens from the day, as kept.
    context.set_offline(True)
    page.get_by_role("link", name="Truus Offerman", exact=True).tap()
    expect(heading).to_have_text("Truus Offerman")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Offline — as of ")
    expect(page.locator("body")).to_contain_text("Polderweg 2")
    _accessible(page)
    _shoot(page, "offline-02-person-offline")

    # --- She records a visit offline: it waits on the tablet, shown on the page.
    def record(note):
        form = page.locator(f'form[action="/people/{truus.id}/contacts/new?inline=1"]')
        form.get_by_role("radio", name="30 min").check()
        form.get_by_label("Note").fill(note)
        form.get_by_role("button", name="Save contact").tap()

    waiting = page.locator("#outbox-person")
    badge = page.locator("#outbox-badge")
    record("Dressed the wound, offline")
    expect(waiting).to_be_visible()
    expect(waiting.get_by_role("heading")).to_have_text("Waiting to send")
    expect(waiting.locator("li")).to_have_count(1)
    expect(waiting.locator("li")).to_contain_text("30 min · Dressed the wound, offline")
    expect(badge).to_have_text("1 waiting to send")
    # A reload without a signal: the page and the waiting note are still there.
    page.reload()
    expect(heading).to_have_text("Truus Offerman")
    expect(waiting.locator("li")).to_have_text([re.compile("Dressed the wound, offline")])
    record("Second visit, still offline")
    expect(badge).to_have_text("2 waiting to send")
    expect(waiting.locator("li")).to_have_count(2)
    _shoot(page, "offline-02b-waiting-to-send")
    # Logging out would delete them: she is asked first, and stays.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Log out").tap()
    expect(heading).to_have_text("Truus Offerman")
    assert asked == [
        "2 contacts have not been sent yet. If you log out now, they are lost. Log out anyway?"
    ]
    with db.connection_context():
        assert not Contact.select().where(Contact.client == truus.id).exists()

    # Tomorrow's day, reloaded as a whole page, and the person on it.
    page.goto(f"/plan/day?day={(today + dt.timedelta(days=1)).isoformat()}")
    expect(heading).to_contain_text("My day")
    expect(notice).to_be_visible()
    page.get_by_role("link", name="Kees Morgenstond", exact=True).tap()
    expect(heading).to_have_text("Kees Morgenstond")
    expect(notice).to_be_visible()

    # The caseload, through the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").tap()
    expect(page.locator("#results")).to_contain_text("Lies Nergens")
    expect(notice).to_be_visible()

    # A person not on her plan was not kept: teamcase says so, not the browser.
    page.goto(f"/people/{lies.id}")
    expect(heading).to_have_text("No connection")
    expect(page.locator("main")).to_contain_text("this page is not kept on it")
    expect(page.locator("body")).not_to_contain_text("Olga Peters")
    _accessible(page)
    _shoot(page, "offline-03-not-kept")
    # Its 503 is the answer meant: the page is not there without a connection.
    assert not _watches[page].take(allowed_status=503)

    # --- Back online: what waited goes by itself, once each, in order.
    page.goto(f"/people/{truus.id}")  # offline still: the kept page
    expect(badge).to_have_text("2 waiting to send")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # Sent, the page comes again from the server, with both on the timeline.
    for _ in range(150):
        with db.connection_context():
            if Contact.select().where(Contact.client == truus.id).count() == 2:
                break
        page.wait_for_timeout(100)
    timeline = page.locator(
        "section", has=page.get_by_role("heading", name="Contacts, newest first")
    )
    # Each one is confirmed, in the live region.
    expect(page.locator("#outbox-live .outbox-sent")).to_have_text(
        ["Contact with Truus Offerman sent", "Contact with Truus Offerman sent"]
    )
    assert page.locator("#outbox-live").get_attribute("aria-live") == "polite"
    expect(timeline).to_contain_text("Second visit, still offline")
    expect(timeline).to_contain_text("Dressed the wound, offline")
    expect(notice).to_be_hidden()
    expect(badge).to_be_hidden()
    expect(waiting).to_be_hidden()
    with db.connection_context():
        sent = Contact.select().where(Contact.client == truus.id).order_by(Contact.id)
        assert [c.note for c in sent] == [
            "Dressed the wound, offline",
            "Second visit, still offline",
        ]
        assert all(c.client_uuid for c in sent)

    # A contact she saves online carries the id the tablet made for it too, so
    # the same form sent again (the answer lost on a weak signal) adds nothing.
    form = page.locator(f'form[action="/people/{truus.id}/contacts/new?inline=1"]')
    sent_as = form.locator('input[name="client_uuid"]').input_value()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", sent_as)
    form.get_by_role("radio", name="15 min").check()
    form.get_by_label("Note").fill("Checked the stockings")
    fields = form.evaluate("f => Object.fromEntries(new FormData(f))")
    form.get_by_role("button", name="Save contact").tap()
    expect(page.locator(".flash")).to_have_text("Home visit recorded for Truus Offerman.")
    again = page.request.post(
        f"/people/{truus.id}/contacts/new?inline=1", form=fields, max_redirects=0
    )
    assert again.status == 303
    with db.connection_context():
        assert [
            c.client_uuid for c in Contact.select().where(Contact.note == "Checked the stockings")
        ] == [sent_as]

    # --- She logs out: nothing of her day stays on the tablet.
    page.goto("/plan/day")
    page.get_by_role("button", name="Log out").tap()
    expect(page.locator(".flash")).to_have_text("You are logged out.")
    expect(page.locator("html[data-offline-cleared]")).to_have_count(1)
    assert "teamcase-data" not in _cache_names(page)

    # Offline again, her people are not there to be read.
    context.set_offline(True)
    try:
        page.goto(f"/people/{truus.id}")
    except Exception:  # no worker any more: the browser's own offline page
        pass
    else:
        expect(page.locator("body")).not_to_contain_text("Truus Offerman")
    context.set_offline(False)
    problems = _watches[page].take(allowed_status=503)
    assert all("ERR_INTERNET_DISCONNECTED" in p for p in problems), problems
