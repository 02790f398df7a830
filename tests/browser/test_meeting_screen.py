"""Meeting mode on the shared screen (1280×800, then 1920×1080): a screen of its
own, and the team deciding in place.

The meeting was planned for tomorrow: starting it today is asked first. On the
item of a person whose review date has come the team is asked for the next one at
the top. Pim proposes something about him, Noor objects, the proposal is amended
so that it answers her objection, and it is adopted: every step in place, in
meeting mode, credited to who said it. No app navigation is on screen and the bar
of Previous / Next never covers a card (bounding boxes), at both sizes. Every page
is scanned with axe, on each backend. On a tablet (768×1024 and 1024×768) meeting
mode is the same screen of its own: the bar covers no card and no button, and
the item and the agenda can be scrolled to their ends.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Decision, DecisionStep, Meeting

from .test_meetings import HERE, _log_in, _team

pytestmark = pytest.mark.browser

LANDSCAPE = {"width": 1280, "height": 800}
SCREEN = {"width": 1920, "height": 1080}
PORTRAIT_TABLET = {"width": 768, "height": 1024}
LANDSCAPE_TABLET = {"width": 1024, "height": 768}

PROPOSAL = "Kees gets an evening visit every day for two weeks"
OBJECTION = "His evening carer comes at seven; we would meet each other at the door."
AMENDED = "Kees gets an evening visit at nine every day for two weeks"


@pytest.fixture
def sizes():
    return {"landscape": LANDSCAPE, "screen": SCREEN}


def _boxes_keep_clear(page):
    """No app navigation; the item area ends where the bar begins, and the last card
    scrolled into view ends above the bar: the bar covers nothing."""
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    viewport = page.viewport_size
    body = page.locator("#stage .item-body").bounding_box()
    bar = page.locator("#stage .item-nav").bounding_box()
    assert body["y"] + body["height"] <= bar["y"] + 0.5, (body, bar)
    assert bar["y"] + bar["height"] <= viewport["height"] + 0.5, (bar, viewport)
    # The page itself does not scroll: only the item does.
    assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"] + 1
    cards = page.locator("#stage .item-body .card")
    assert cards.count() >= 4
    for index in (0, cards.count() - 1):
        card = cards.nth(index)
        card.scroll_into_view_if_needed()
        box = card.bounding_box()
        assert box["y"] + min(box["height"], body["height"]) <= bar["y"] + 0.5, (box, bar)
        # What is at the card's visible middle is the card, not the bar.
        middle_y = box["y"] + min(box["height"], bar["y"] - box["y"]) / 2
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.card, .item-nav')?.className",
            [box["x"] + box["width"] / 2, middle_y],
        )
        assert hit and "item-nav" not in hit, hit


def test_the_team_decides_in_place_on_the_shared_screen(page, backend_site, check_page):
    team = _team(LANDSCAPE["width"])
    today = dt.datetime.now(HERE).date()
    step = iter(range(1, 100))

    def check(name, **kwargs):
        check_page(page, f"meeting-screen-{next(step):02d}-{name}", **kwargs)

    _log_in(page, team.email)
    page.goto("/meetings/new")
    page.get_by_label("Date").fill((today + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Plan the meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting of")
    page.get_by_role("link", name="Start meeting mode").tap()
    expect(page.get_by_role("heading", name="Before we start")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.locator("label.choice", has_text="Noor de Wit").tap()
    page.locator("label.choice", has_text="Pim Peters").tap()
    page.get_by_role("button", name="Start the meeting").tap()

    # Planned for tomorrow: asked first, the ticks kept.
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("This meeting is planned for")
    expect(warning).to_contain_text("not today")
    expect(page.get_by_label("Pim Peters")).to_be_checked()
    check("other-day")
    page.get_by_role("button", name="Yes, start it today").tap()
    expect(page.locator(".flash")).to_contain_text("It was planned for")

    # Kees: his review date is today. The next one is asked for first.
    title = page.locator(".item-title")
    expect(title).to_have_text("Kees van Dijk")
    stage = page.locator("#stage")
    ask = stage.locator("#review")
    expect(ask).to_contain_text("When does the team talk about Kees again?")
    assert ask.bounding_box()["y"] < stage.locator(".person-screen").bounding_box()["y"]
    check("review-asked")
    _boxes_keep_clear(page)
    later = today + dt.timedelta(days=35)
    ask.get_by_label("Talk about them again on").fill(later.isoformat())
    ask.get_by_role("button", name="Save the date").tap()
    expect(stage.get_by_role("status").first).to_contain_text("Kees comes back on the agenda")
    expect(stage.get_by_text("When does the team talk about Kees again?")).to_have_count(0)

    # Pim proposes, in place; the screen says who proposed, not who is typing.
    stage.locator("summary", has_text="Propose a team decision about Kees").tap()
    stage.get_by_label("What do you propose?").fill(PROPOSAL)
    stage.get_by_label("What is it for?").fill("To see whether he sleeps better.")
    stage.get_by_label("Who proposes it").select_option(label="Pim Peters")
    # Only who is here can be chosen.
    expect(stage.get_by_label("Who proposes it").locator("option")).to_have_text(
        ["Noor de Wit", "Pim Peters"]
    )
    stage.get_by_role("button", name="Propose it").tap()
    process = stage.locator(".meeting-decision .decision")
    expect(process).to_contain_text(PROPOSAL)
    # Scrolled to where the proposal now is, below his cards.
    expect(process.locator(".proposal-text")).to_be_in_viewport()
    expect(process.locator(".decision-facts")).to_contain_text("Pim Peters")
    expect(title).to_have_text("Kees van Dijk")
    expect(page).to_have_url(re.compile(r"/meetings/\d+/run/\d+"))
    check("proposed")

    # Noor objects (the default: the account at the screen).
    process.locator("label.choice", has_text="Objection").tap()
    expect(process.get_by_label("Who said it").locator("option:checked")).to_have_text(
        "Noor de Wit"
    )
    process.get_by_label("What they said").fill(OBJECTION)
    process.get_by_role("button", name="Record", exact=True).tap()
    expect(process.locator(".open-objection")).to_contain_text("we would meet each other")
    expect(process.locator(".blocked")).to_contain_text("Noor’s objection is not resolved")

    # The amendment answers her objection, and says so.
    process.locator("summary", has_text="Amend the proposal").tap()
    process.get_by_label("The proposal as amended").fill(AMENDED)
    process.locator("label.choice", has_text="Noor’s objection").tap()
    process.locator("label.choice", has_text="The colleague who objected").tap()
    check("amending")
    process.get_by_role("button", name="Save the amended proposal").tap()
    expect(process.locator(".resolution")).to_contain_text("The amendment answers it")
    expect(process.locator(".resolution")).to_contain_text("Noor agreed.")
    expect(process.locator(".proposal-text")).to_have_text(AMENDED)

    process.get_by_role("button", name="Adopt: nobody objects").tap()
    expect(process.locator(".decision-line .tag").first).to_have_text("Adopted")
    expect(title).to_have_text("Kees van Dijk")
    check("adopted")
    # Still there when the item is opened again: the decision shows on his item.
    page.reload()
    expect(stage.locator(".meeting-decision .decision")).to_contain_text(AMENDED)
    expect(stage.locator(".meeting-decision .decision-line .tag").first).to_have_text("Adopted")
    _boxes_keep_clear(page)
    check("adopted-on-his-item")

    # On the big screen too, the bar keeps clear of the cards.
    page.set_viewport_size(SCREEN)
    _boxes_keep_clear(page)
    page.set_viewport_size(LANDSCAPE)

    with db.connection_context():
        kees = Client.get_by_id(team.kees)
        meeting = Meeting.get(Meeting.team == kees.team_id, Meeting.status == Meeting.RUNNING)
        decision = Decision.get(Decision.client == team.kees)
        objection = DecisionStep.get(
            DecisionStep.decision == decision.id, DecisionStep.kind == "objection"
        )
        assert meeting.held_on == today
        assert decision.status == Decision.ADOPTED and decision.proposal == AMENDED
        assert decision.proposed_by.name == "Pim Peters" and decision.meeting_id == meeting.id
        assert objection.member.name == "Noor de Wit"
        assert objection.resolved_by.name == "Noor de Wit" and objection.resolved_at
        assert kees.review_on == later


def _reachable(page):
    """Everything can be scrolled to: the item's last card and the agenda's last
    link end up in view, inside the screen, with nothing over them."""
    viewport = page.viewport_size
    bar = page.locator("#stage .item-nav").bounding_box()
    for target in (
        page.locator("#stage .item-body .card").last,
        page.locator("#stage .item-nav .button").last,
        page.locator("#stage .rail .rail-item").last,
    ):
        target.scroll_into_view_if_needed()
        expect(target).to_be_in_viewport(ratio=0.95)
        box = target.bounding_box()
        assert box["y"] + box["height"] <= viewport["height"] + 0.5, (box, viewport)
        hit = page.evaluate(
            "([x, y, el]) => el.contains(document.elementFromPoint(x, y))",
            [
                box["x"] + box["width"] / 2,
                box["y"] + min(box["height"], 40) / 2,
                target.element_handle(),
            ],
        )
        assert hit, (target, box, bar)


@pytest.mark.parametrize(
    "viewport", [PORTRAIT_TABLET, LANDSCAPE_TABLET], ids=["portrait", "landscape"]
)
def test_on_a_tablet_the_bar_covers_nothing_and_all_can_be_scrolled_to(page, viewport, check_page):
    team = _team(viewport["width"])
    _log_in(page, team.email)
    page.goto("/meetings/new")
    page.get_by_role("button", name="Plan the meeting").tap()
    page.get_by_role("link", name="Start meeting mode").tap()
    page.locator("label.choice", has_text="Noor de Wit").tap()
    page.locator("label.choice", has_text="Pim Peters").tap()
    page.get_by_role("button", name="Start the meeting").tap()
    yes = page.get_by_role("button", name="Yes, start it today")
    if yes.count():
        yes.tap()  # planned for another day by default: moved to today
    expect(page.locator(".item-title")).to_have_text("Kees van Dijk")
    check_page(page, "meeting-screen-tablet-kees")
    _boxes_keep_clear(page)
    _reachable(page)
    # Turned the other way round, the same holds.
    other = LANDSCAPE_TABLET if viewport == PORTRAIT_TABLET else PORTRAIT_TABLET
    page.set_viewport_size(other)
    _boxes_keep_clear(page)
    _reachable(page)
    with db.connection_context():
        kees = Client.get_by_id(team.kees)
        meeting = Meeting.get(Meeting.team == kees.team_id, Meeting.status == Meeting.RUNNING)
        assert meeting.held_on == dt.datetime.now(HERE).date()
