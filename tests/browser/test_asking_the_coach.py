"""A team asks its coach, on a portrait tablet (768×1024), then a landscape one:
Anna writes a question that names someone in care and is asked to leave them out,
what she typed kept; Dina reads it as the team's, never as Anna's, with no person
in it, and answers; Anna finds the answer from the team's navigation and the team
closes the thread."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SUBJECT = "Weekend shifts with two of us ill"


def test_the_team_asks_its_coach_and_she_answers(page, site, log_in, check_page):
    log_in(page, "anna")
    page.goto("/team/")
    page.get_by_role("link", name="Our coach").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("What we asked our coach")
    check_page(page, "ask-coach-01-ours")
    page.get_by_role("link", name="Ask our coach").tap()
    page.get_by_label("In a few words").fill(SUBJECT)
    text = page.get_by_label("What we ask", exact=True)
    typed = "How do other teams plan the weekend? Mies Bakker needs us twice a day."
    text.fill(typed)
    page.get_by_role("button", name="Send").tap()
    expect(page.locator(".field .error").first).to_contain_text("Mies")
    expect(page.get_by_label("In a few words")).to_have_value(SUBJECT)
    expect(text).to_have_value(typed)
    check_page(page, "ask-coach-02-names-someone", allowed_status=400)
    text.fill("How do other teams plan the weekend with two colleagues ill at once?")
    page.get_by_role("button", name="Send").tap()
    expect(page.locator(".flash.success")).to_contain_text("The whole team sees it here.")
    check_page(page, "ask-coach-03-sent")

    # Dina's morning: the question is the team's, and names no one in care.
    log_in(page, "coach")
    page.goto("/coach/")
    page.get_by_role("link", name=SUBJECT).tap()
    thread = page.locator(".support-thread")
    expect(thread).to_contain_text("two colleagues ill at once")
    expect(thread.locator(".meta strong").first).to_have_text("The team")
    for word in ("Anna", "Mies", "Bakker"):
        expect(page.locator("main")).not_to_contain_text(word)
    page.get_by_label("Your answer").fill(
        "Zuid swapped their weekend rota in spring; I will bring their plan on Thursday."
    )
    page.get_by_role("button", name="Send to the team").tap()
    expect(thread).to_contain_text("swapped their weekend rota")
    check_page(page, "ask-coach-04-answered")

    # Anna sees the answer waiting, and the team closes the thread.
    log_in(page, "anna")
    page.goto("/asks/")
    page.get_by_role("link", name=SUBJECT).tap()
    expect(page.get_by_text("Our coach answered.")).to_be_visible()
    expect(page.locator(".support-thread")).to_contain_text("swapped their weekend rota")
    page.get_by_role("button", name="Close the thread").tap()
    expect(page.locator(".tags")).to_contain_text("Closed by the team")
    check_page(page, "ask-coach-05-closed")
