"""Asking the back office, on the tablet: a nurse's tablet no longer charges.

Anna asks the back office for a new one. Fred of the back office finds it in his
queue, takes it on and asks which model it is. Anna sees the badge in her
navigation, opens the request from it and answers; Fred marks it done, and Anna
confirms. A first try that names a person in the team's care comes back with the
text kept and a message next to the field.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_nurse_asks_for_a_tablet_and_the_back_office_sees_it_through(
    page, backend_site, log_in, check_page, viewport
):
    subject = f"A new tablet ({viewport['width']})"
    heading = page.get_by_role("heading", level=1)
    main_nav = page.get_by_role("navigation", name="Main")

    def as_(who):
        page.context.clear_cookies()
        log_in(page, who)

    # --- Anna asks, from the navigation.
    as_("anna")
    page.goto("/caseload")
    main_nav.get_by_role("link", name=re.compile("^Our team")).tap()
    team_nav = page.get_by_role("navigation", name="Our team")
    # Its badge may count answers waiting from another journey's request.
    team_nav.get_by_role("link", name=re.compile(r"^Back office\b")).tap()
    expect(heading).to_have_text("What we asked the back office")
    check_page(page, "support-01-team")
    page.get_by_role("link", name="+ Ask the back office").first.tap()
    expect(heading).to_have_text("Ask the back office")
    page.get_by_label("What it is about").select_option("equipment")
    page.get_by_label("In a few words").fill(subject)
    assert "Mies Bakker" in backend_site.people
    named = "Mine no longer charges; I noticed at Mies Bakker's this morning."
    page.get_by_label("What the team needs").fill(named)
    page.get_by_role("button", name="Send to the back office").tap()
    expect(page.locator(".field.has-error .error")).to_contain_text(
        "names someone in the team's care"
    )
    expect(page.get_by_label("What the team needs")).to_have_value(named)
    check_page(page, "support-02-names-someone", allowed_status=400)
    page.get_by_label("What the team needs").fill(
        "Mine no longer charges; two cables tried. I borrow Bram's between visits."
    )
    page.get_by_role("button", name="Send to the back office").tap()
    expect(heading).to_have_text(subject)
    expect(page.locator(".flash")).to_contain_text("Your request went to the back office.")
    check_page(page, "support-03-sent")

    # --- Fred takes it on and asks a question.
    as_("office")
    page.goto("/office/")
    main_nav.get_by_role("link", name="Support requests").tap()
    expect(heading).to_have_text("Support requests")
    check_page(page, "support-04-queue")
    page.get_by_role("link", name=subject).tap()
    expect(heading).to_have_text(subject)
    page.get_by_role("button", name="Take it on").tap()
    expect(page.locator(".tags")).to_contain_text("Being handled")
    page.get_by_label("Your question to the team").fill("Which model is it, the 10-inch one?")
    page.get_by_role("button", name="Ask the team").tap()
    expect(page.locator(".tags")).to_contain_text("Waiting for the team")
    check_page(page, "support-05-asked")

    # --- Anna answers from the badge.
    as_("anna")
    page.goto("/caseload")
    badge = main_nav.get_by_role("link", name=re.compile("^Our team")).locator(".badge")
    expect(badge).to_contain_text("1")
    main_nav.get_by_role("link", name=re.compile("^Our team")).tap()
    team_nav = page.get_by_role("navigation", name="Our team")
    expect(
        team_nav.get_by_role("link", name=re.compile("^Back office")).locator(".badge")
    ).to_contain_text("1")
    team_nav.get_by_role("link", name=re.compile("^Back office")).tap()
    page.locator(".for-the-team").get_by_role("link", name=subject).tap()
    expect(page.locator(".support-thread")).to_contain_text("Which model is it")
    page.get_by_label("Your answer").fill("Yes, the 10-inch one from last year.")
    page.get_by_role("button", name="Send").tap()
    expect(page.locator(".tags")).to_contain_text("Being handled")
    check_page(page, "support-06-answered")

    # --- Fred marks it done.
    as_("office")
    page.goto("/support/queue")
    page.get_by_role("link", name=subject).tap()
    page.get_by_label("What was done").fill("A new one goes out with the courier tomorrow.")
    page.get_by_role("button", name="Mark it done").tap()
    expect(page.locator(".tags")).to_contain_text("Done: waiting for the team to confirm")
    check_page(page, "support-07-done")

    # --- Anna confirms.
    as_("anna")
    page.goto("/support/")
    page.get_by_role("link", name=subject).tap()
    expect(page.get_by_role("heading", name="Is it done?")).to_be_visible()
    expect(page.locator(".support-thread")).to_contain_text("with the courier tomorrow")
    check_page(page, "support-08-confirm")
    page.get_by_role("button", name="Yes, it is done").tap()
    expect(page.locator(".tags")).to_contain_text("Closed")
    expect(page.locator(".support-thread")).to_contain_text("confirmed it is done")
    check_page(page, "support-09-closed")

    # --- The back office looks at how the requests went, week by week.
    as_("office")
    page.goto("/support/queue")
    page.get_by_role("link", name="How the requests went").tap()
    expect(page.get_by_role("heading", name="Days to done", exact=True)).to_be_visible()
    check_page(page, "support-10-times")
