"""The nurse's day on a tablet: what she needs stays within reach of a finger and in view.

After saving, the confirmation is where she looks: a boosted page starts at its
top, as a page load does, with the message focused. Links inside a line of text
(a network member's local resource, the names on Offers and needs, the decision
list) are 44 px tall tap areas.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.models import (
    Client,
    Connection,
    Decision,
    Goal,
    LocalResource,
    NetworkMember,
    Offer,
    PlannedVisit,
    Referral,
    Team,
    User,
    Waiting,
    utcnow,
)

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def sizes():
    """A portrait tablet first, then the small landscape one the long person's page
    is hardest on, then the usual landscape one."""
    return {
        "portrait": {"width": 768, "height": 1024},
        "small-landscape": {"width": 1024, "height": 768},
        "landscape": {"width": 1280, "height": 800},
    }


TAP = 44


IN_VIEW_JS = """el => { const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0 }"""


def _in_view(locator) -> bool:
    return locator.evaluate(IN_VIEW_JS)


def _scroll_y(page) -> int:
    return page.evaluate("() => Math.round(window.scrollY)")


def _what_she_sees(page, viewport, name):
    """A screenshot of the screen alone (check_page keeps the whole page)."""
    # caret="initial", as check_page: hiding it leaves style="" for htmx to copy.
    size = f"{viewport['width']}x{viewport['height']}"
    page.screenshot(path=SCREENSHOTS / f"{size}-{name}-screen.png", caret="initial")


def test_the_confirmation_of_a_contact_is_in_view_after_saving(
    page, site, log_in, check_page, viewport
):
    log_in(page, "anna")
    page.goto(site.person_path("Gerrit de Jong"))
    record = page.get_by_role("region", name="Record a contact")
    save = record.get_by_role("button", name="Save contact")
    # Far down the page, as she is when she has read the record first.
    save.scroll_into_view_if_needed()
    assert _scroll_y(page) > viewport["height"]

    # Sent back with an error: the page stays at the form, with the error in view.
    record.get_by_label("Note", exact=True).fill("Checked his feet; no new wounds.")
    save.tap()
    error = page.get_by_text("Choose how long it took, or type the minutes.")
    expect(error).to_be_visible()
    assert _in_view(error), "the error is off-screen"
    assert _scroll_y(page) > viewport["height"]
    _what_she_sees(page, viewport, "person-contact-error")
    check_page(page, "person-contact-error", allowed_status=400)

    record.locator("label.choice", has_text="15 min").tap()
    save.tap()
    flash = page.locator(".flash")
    expect(flash).to_have_text("Home visit recorded for Gerrit de Jong.")
    assert _in_view(flash), "the confirmation is off-screen"
    # Focused, so that a screen reader reads it after the page changed.
    expect(page.locator("#flashes")).to_be_focused()
    expect(page.locator("ol.timeline > li").first).to_contain_text("Checked his feet")
    _what_she_sees(page, viewport, "person-contact-confirmed")
    check_page(page, "person-contact-confirmed")


def test_a_page_opened_from_far_down_a_list_starts_at_its_top(page, log_in):
    log_in(page, "anna")
    page.goto("/caseload")
    last = page.locator(".person-name").last
    last.scroll_into_view_if_needed()
    assert _scroll_y(page) > 0
    name = last.inner_text()
    last.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert _scroll_y(page) == 0


def _height(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not on the page"
    return box["height"]


def _links_in_lines_of_text():
    """A resource in Ahmet's network, his offer meeting Geertruida's need, and a
    decision about him: each shown as a link inside a line of text."""
    team = Team.get(Team.name == "Buurtzorg Oost")
    bram = User.get(User.email == "bram@oost.example.org")
    ahmet = Client.get(Client.name == "Ahmet Yılmaz")
    geertruida = Client.get(Client.name == "Geertruida Meijer")
    practice = LocalResource.add(team, bram, name="Huisartsenpraktijk Wibaut", kind="gp")
    NetworkMember.add(ahmet, bram, name="Dr. Ruiter", relation="gp", resource=practice)
    offer = Offer.add(ahmet, bram, text="Fixes bicycles", when="Saturday mornings")
    need = Goal.add(
        geertruida, bram, words="Cycle to the market again", help_wanted="Someone to fix my bike"
    )
    Connection.connect(offer, need, bram)
    Decision.propose(
        team, bram, "Ahmet's GP gets a copy of the wound plan", "So the GP knows", client=ahmet
    )
    return ahmet


def test_links_inside_lines_of_text_are_tall_enough_to_tap(page, site, log_in, check_page):
    ahmet = _links_in_lines_of_text()
    log_in(page, "anna")

    page.goto(site.person_path(ahmet.name))
    resource = page.locator(".network-list").get_by_role("link", name="Huisartsenpraktijk Wibaut")
    assert _height(resource) >= TAP
    check_page(page, "person-network-resource-link")

    page.goto("/offers-and-needs")
    for name in ("Ahmet Yılmaz", "Geertruida Meijer"):
        for link in page.locator(".parts").get_by_role("link", name=name).all():
            assert _height(link) >= TAP, name
    check_page(page, "offers-and-needs-links")

    page.goto("/decisions/")
    title = page.get_by_role("link", name="Ahmet's GP gets a copy of the wound plan")
    expect(title).to_be_visible()
    assert _height(title) >= TAP
    assert _height(page.locator(".decision-row").get_by_role("link", name=ahmet.name)) >= TAP
    check_page(page, "decisions-links")


BAR_JS = "() => document.querySelector('.person-head').getBoundingClientRect().bottom"


def _top(locator) -> float:
    return locator.evaluate("el => el.getBoundingClientRect().top")


def _jump(page, link_name, target):
    """Tap a link of the section index; the target is on screen, clear of the bar."""
    page.locator("#sections").get_by_role("link", name=link_name, exact=True).tap()
    expect(target).to_be_in_viewport()
    bar_bottom = page.evaluate(BAR_JS)
    assert _top(target) >= bar_bottom - 0.5, f"{link_name}: under the name bar"
    assert _in_view(target), f"{link_name}: off-screen"


def _walk_the_long_page(page, site):
    page.goto(site.person_path("Mies Bakker"))
    bar = page.locator("header.person-head")
    name = bar.get_by_role("heading", level=1, name="Mies Bakker")
    record = bar.get_by_role("link", name="Record a contact")
    sections = bar.get_by_role("link", name="Sections")

    # At the bottom of the page, the name and "Record a contact" are still there.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    assert _scroll_y(page) > 1000
    for control in (name, record, sections):
        assert _in_view(control), f"{control} scrolled away"

    sections.tap()
    index = page.locator("#sections")
    expect(index).to_be_in_viewport()
    assert _top(index) >= page.evaluate(BAR_JS) - 0.5, "the index is under the name bar"
    _jump(page, "Goals", page.locator("#goals-heading"))
    sections.tap()
    _jump(page, "Contacts", page.locator("#timeline-heading"))

    record.tap()
    heading = page.locator("#record-heading")
    expect(heading).to_be_in_viewport()
    assert _top(heading) >= page.evaluate(BAR_JS) - 0.5, "the form is under the name bar"


@pytest.mark.parametrize("viewport", ["portrait", "small-landscape"], indirect=True)
def test_the_name_and_record_a_contact_stay_on_screen_and_sections_are_a_tap_away(
    page, site, log_in, check_page, viewport
):
    log_in(page, "anna")
    _walk_the_long_page(page, site)
    check_page(page, "person-sections")


@pytest.mark.parametrize("viewport", ["portrait"], indirect=True)
def test_the_section_links_work_without_javascript(nojs_page, site, log_in, check_page):
    log_in(nojs_page, "anna")
    _walk_the_long_page(nojs_page, site)
    check_page(nojs_page, "person-sections-without-javascript")


@pytest.fixture
def waiting_for_someone(site):
    """An urgent referral taken twelve hours ago and a visit Bram, ill, handed over
    for today; removed afterwards, so the other journeys never meet them. Journeys
    that ran before may have left visits nobody has: the counts say how many."""
    team = Team.get(Team.name == "Buurtzorg Oost")
    bram = User.get(User.email == "bram@oost.example.org")
    referral = Referral.receive(
        team,
        bram,
        person_name="Truus Hendriks",
        referrer_name="Dr. Pietersen",
        story="Home from hospital today; her insulin needs checking tonight.",
        urgency="urgent",
        received_at=utcnow() - dt.timedelta(hours=12),
    )
    henk = Client.get(Client.name == "Henk Smit")
    visit = PlannedVisit.add(henk, bram, member=bram, day=local_today())
    assert visit.hand_over(bram)
    yield Waiting.in_team(team, local_today())
    PlannedVisit.delete().where(PlannedVisit.id == visit.id).execute()
    Referral.delete().where(Referral.id == referral.id).execute()


def test_an_urgent_referral_and_a_visit_nobody_has_show_where_she_looks_every_day(
    page, log_in, check_page, waiting_for_someone
):
    log_in(page, "anna")
    page.goto("/caseload")
    nav = page.get_by_role("navigation", name="Main")
    # The count is seen; a screen reader hears what it counts.
    waiting = waiting_for_someone
    visits = f"{waiting.open_visits} visit{'s' if waiting.open_visits > 1 else ''}"
    referrals_text = f"{waiting.urgent_referrals} urgent referral" + (
        "s" if waiting.urgent_referrals > 1 else ""
    )
    my_day = nav.get_by_role("link", name=f"My day {visits} up for a colleague to take")
    referrals = nav.get_by_role("link", name=f"Referrals {referrals_text}")
    expect(my_day.locator(".badge")).to_have_text(f"{visits} up for a colleague to take")
    expect(referrals).to_be_visible()
    expect(referrals.locator(".badge")).to_have_text(re.compile(rf"^{waiting.urgent_referrals}"))
    check_page(page, "caseload-with-counts")

    my_day.tap()
    card = page.get_by_role("region", name="Waiting for someone in the team")
    expect(card).to_contain_text(f"{referrals_text}, waiting since")
    expect(card).to_contain_text(f"{visits} up for a colleague to take, the first today.")
    check_page(page, "my-day-waiting")

    card.get_by_role("link", name="Look at it in Referrals").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Referrals")
    expect(page.get_by_text("Truus Hendriks")).to_be_visible()

    page.go_back()
    card = page.get_by_role("region", name="Waiting for someone in the team")
    card.get_by_role("link", name=re.compile(r"^See (it|them) in the week plan$")).tap()
    expect(page.locator(".open-visits", has_text="Henk Smit")).to_be_visible()
