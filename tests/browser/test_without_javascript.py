"""With JavaScript off every page still works as plain links and forms."""

import re

import pytest
from playwright.sync_api import expect

# The pages are the same as with JavaScript, whose layout is checked at both sizes;
# here it is the behaviour that matters, so portrait, the tighter size, is enough.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", ["portrait"], indirect=True),
]


def test_the_caseload_filter_works_with_the_find_button(nojs_page, site, log_in, check_page):
    page = nojs_page
    log_in(page, "anna", form=True)
    page.goto("/caseload")  # her day, when an earlier journey gave her visits today
    page.get_by_label("Find a person").fill("swinden")
    page.get_by_role("button", name="Find").tap()
    expect(page).to_have_url(re.compile(r"/caseload\?q=swinden&sort=name$"))
    rows = page.locator(".person-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Fatima El Amrani")
    expect(page.locator("h1 .count")).to_have_text("1 person found")
    expect(page.get_by_label("Find a person")).to_have_value("swinden")
    check_page(page, "nojs-caseload-filtered")

    page.get_by_label("Find a person").fill("nobody by this name")
    page.get_by_role("button", name="Find").tap()
    expect(rows).to_have_count(0)
    expect(page.locator(".empty")).to_contain_text("Nobody in the caseload matches")
    check_page(page, "nojs-caseload-nobody")


def test_a_contact_can_be_recorded_on_the_persons_page(nojs_page, site, log_in, check_page):
    page = nojs_page
    log_in(page, "bram")
    page.goto(site.person_path("Gerrit de Jong"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gerrit de Jong")
    check_page(page, "nojs-person")

    note = f"Checked his feet; no wounds ({page.viewport_size['width']} px, no JavaScript)."
    record = page.get_by_role("region", name="Record a contact")
    record.locator("label.choice", has_text="Home visit").tap()
    record.locator("label.choice", has_text="45 min").tap()
    record.get_by_label("Note", exact=True).fill(note)
    record.get_by_role("button", name="Save contact").tap()

    expect(page).to_have_url(f"{site.url}{site.person_path('Gerrit de Jong')}")
    expect(page.locator(".flash")).to_have_text("Home visit recorded for Gerrit de Jong.")
    newest = page.locator("ol.timeline > li").first
    expect(newest).to_contain_text("45 min")
    expect(newest).to_contain_text("Bram Bos")
    expect(newest.locator(".note")).to_have_text(note)
    check_page(page, "nojs-person-after-contact")
