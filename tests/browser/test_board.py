"""Claim and finish a task on the team board, at tablet size.

Anna adds a task for one of her people from the board, says "I'll do it" and later
taps "Done"; every step swaps the task's card in place with htmx. Bram, on his
own tablet, had the board open before she claimed it: his "I'll do it" a moment
later is refused with who took it, and afterwards he sees it done by her. The
same board works without JavaScript, and the coach the team linked reads it
without names or notes.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Set on the page's heading once the board has loaded: a full page load, or a
# boosted navigation that swaps the body, would take it away.
MARKER = "data-board"

# Each size adds its own task, so the runs on one database do not meet.
TASKS = {
    768: ("Order compression stockings for the left leg", "Mies Bakker"),
    1280: ("Order compression stockings for both legs", "Gerrit de Jong"),
}


def _card(page, title):
    return page.locator("#task-list article.task").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def test_claim_and_finish_a_task_while_a_colleague_looks_on(
    page, another_page, backend_site, log_in, check_page, viewport
):
    title, person = TASKS[viewport["width"]]
    tomorrow = dt.date.today() + dt.timedelta(days=1)

    def check(name, on=page, **kwargs):
        check_page(on, f"board-{name}", **kwargs)

    def in_place():
        expect(page.locator(f"h1[{MARKER}]")).to_have_count(1)

    # --- Anna opens the board from the menu.
    log_in(page, "anna")
    page.goto("/caseload")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team board").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team board")
    page.get_by_role("heading", level=1).evaluate(f"el => el.setAttribute('{MARKER}', '')")
    check("opened")

    # She forgets to say what needs doing: the form says so, in place, and keeps the note.
    add = page.locator("#add-task")
    add.get_by_label("For", exact=True).select_option(label=person)
    add.get_by_label("Note").fill("Measured this morning: ankle 24 cm, calf 36 cm.")
    add.get_by_role("button", name="Add to the board").tap()
    expect(add.locator(".field.has-error .error")).to_have_text(
        "Say in a few words what needs doing."
    )
    expect(add.get_by_label("Note")).to_have_value(
        "Measured this morning: ankle 24 cm, calf 36 cm."
    )
    in_place()
    check("add-refused", allowed_status=400)

    add.get_by_label("What needs doing").fill(title)
    add.get_by_label("Due by").fill(tomorrow.isoformat())
    add.get_by_role("button", name="Add to the board").tap()
    card = _card(page, title)
    expect(card).to_contain_text(f"For {person}")
    expect(card).to_contain_text("Due tomorrow")
    expect(card).to_contain_text("Nobody has this yet · added by you, today")
    # A fresh form for the next task.
    expect(add.get_by_label("What needs doing")).to_have_value("")
    expect(add.get_by_label("Note")).to_have_value("")
    expect(add.locator(".error")).to_have_count(0)
    in_place()
    check("added")

    # --- Bram opens the board on his own tablet: the task is up for anyone.
    bram = another_page()
    log_in(bram, "bram")
    bram.goto("/board/")
    bram_card = _card(bram, title)
    expect(bram_card.get_by_role("button", name=f"I’ll do it: {title}")).to_be_visible()
    check("bram-sees-it", on=bram)

    # --- Anna says "I'll do it".
    card.get_by_role("button", name=f"I’ll do it: {title}").tap()
    expect(card).to_contain_text("You have this since today")
    expect(card.get_by_role("button", name=f"Done: {title}")).to_be_visible()
    expect(card.get_by_role("button", name=f"Hand back: {title}")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Mine \d+"))).to_be_visible()
    in_place()
    check("claimed")

    # --- A moment later Bram taps "I'll do it" on the board he had open.
    bram_card.get_by_role("button", name=f"I’ll do it: {title}").tap()
    expect(bram_card.locator(".notice")).to_have_text(
        re.compile(r"^Anna de Vries took this at \d\d:\d\d\.$")
    )
    expect(bram_card).to_contain_text("Anna has this since today")
    expect(bram_card.get_by_role("button", name=f"I’ll do it: {title}")).to_have_count(0)
    check("bram-too-late", on=bram, allowed_status=409)

    # --- Anna has ordered them and taps "Done".
    card.get_by_role("button", name=f"Done: {title}").tap()
    expect(card).to_contain_text("Done by you, today")
    expect(card.get_by_role("button")).to_have_count(0)
    done = page.locator("#done-tasks")
    done.locator("summary").tap()
    expect(done.get_by_role("heading", name=title, exact=True)).to_be_visible()
    in_place()
    check("done")

    # --- Bram looks again: it is under done, by Anna.
    bram.reload()
    expect(_card(bram, title)).to_have_count(0)
    bram.locator("#done-tasks summary").tap()
    done_card = bram.locator("#done-tasks article.task").filter(
        has=bram.get_by_role("heading", name=title, exact=True)
    )
    expect(done_card).to_contain_text("Done by Anna, today")
    check("bram-sees-it-done", on=bram)

    # --- From the person's page, her open tasks are one tap away.
    page.goto(backend_site.person_path(person))
    page.get_by_role("link", name=re.compile(rf"^Open tasks for {person}: \d+$")).tap()
    expect(page.get_by_role("heading", name=f"Open tasks for {person}")).to_be_visible()
    expect(page.get_by_label("For", exact=True)).to_have_value(str(backend_site.people[person]))
    check("for-one-person")


def test_the_board_works_without_javascript(nojs_page, log_in, check_page, viewport):
    page = nojs_page
    title = f"Renew the car park permits ({viewport['width']} px tablet)"
    log_in(page, "anna")
    page.goto("/board/?show=unclaimed")
    expect(page.get_by_role("link", name=re.compile(r"^Unclaimed \d+"))).to_have_attribute(
        "aria-current", "page"
    )
    page.locator("#add-task").get_by_label("What needs doing").fill(title)
    page.locator("#add-task").get_by_role("button", name="Add to the board").tap()
    expect(page.locator(".flash")).to_have_text(f"Added to the board: {title}")
    assert re.search(r"/board/\?show=unclaimed#task-\d+$", page.url), page.url
    check_page(page, "board-nojs-added")

    _card(page, title).get_by_role("button", name=f"I’ll do it: {title}").tap()
    expect(page.locator(".flash")).to_have_text(f"It is yours now: {title}")
    # Back on the same filter: the task is not unclaimed any more.
    assert "show=unclaimed" in page.url
    expect(_card(page, title)).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Mine \d+")).tap()
    card = _card(page, title)
    card.get_by_role("link", name=f"Change: {title}").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a task")
    check_page(page, "board-nojs-change")
    page.get_by_label("Note").fill("Both cars; the form is on the municipality's site.")
    page.get_by_role("button", name="Save").tap()
    expect(page.locator(".flash")).to_have_text(f"Saved: {title}")
    card = _card(page, title)
    expect(card).to_contain_text("Both cars; the form is on the municipality's site.")
    card.get_by_role("button", name=f"Done: {title}").tap()
    expect(page.locator(".flash")).to_have_text(f"Done: {title}")
    check_page(page, "board-nojs-done")


def test_the_coach_reads_the_board_without_names(page, log_in, check_page, live, viewport):
    # A task for Mies, written by a member as members do, with her name in it.
    log_in(page, "anna")
    relative = {768: "daughter", 1280: "son"}[viewport["width"]]
    title = f"Ask Mies Bakker's {relative} about the key safe"
    page.goto("/board/")
    add = page.locator("#add-task")
    add.get_by_label("What needs doing").fill(title)
    add.get_by_label("For", exact=True).select_option(label="Mies Bakker")
    add.get_by_label("Note").fill("Her daughter Ellen has the code.")
    add.get_by_role("button", name="Add to the board").tap()
    expect(_card(page, title)).to_be_visible()
    _card(page, title).get_by_role("button", name=f"I’ll do it: {title}").tap()
    expect(_card(page, title)).to_contain_text("You have this")
    page.context.clear_cookies()

    log_in(page, "coach")
    page.goto("/coach/")
    page.get_by_role("link", name="Team board").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team board: Buurtzorg Oost")
    mies = live.people["Mies Bakker"]
    card = _card(page, f"Ask M.B. #{mies}'s {relative} about the key safe")
    expect(card).to_contain_text(f"For M.B. #{mies}")
    # Who holds the task stays with the team.
    expect(card).to_contain_text("Someone in the team has this since")
    main = page.locator("main").inner_text()
    for secret in ("Mies", "Bakker", "Ellen", "has the code", "Anna", "Bram"):
        assert secret not in main, secret
    expect(page.locator("main form[method=post]")).to_have_count(0)
    check_page(page, "board-coach")
