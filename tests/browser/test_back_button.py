"""Back to a filtered caseload, also after htmx's history cache has let it go."""

import re

import pytest
from playwright.sync_api import expect

# Behaviour, not layout: portrait, the tighter size, is enough.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", ["portrait"], indirect=True),
]


def test_back_brings_the_whole_filtered_caseload_even_when_no_longer_cached(
    page, site, log_in, check_page
):
    log_in(page, "anna")
    page.goto("/caseload")
    page.get_by_label("Find a person").press_sequentially("fatima", delay=30)
    # "fati" already finds her: wait until the whole word has been searched.
    expect(page).to_have_url(re.compile(r"q=fatima\b"))
    rows = page.locator(".person-row")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name="Fatima El Amrani", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani")

    # After ten pages or a full sessionStorage htmx has no copy left and asks
    # the server for the page again.
    page.evaluate("() => sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()
    expect(page).to_have_url(f"{site.url}/caseload?q=fatima&sort=name")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buurtzorg Oost 1 person found")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_label("Find a person")).to_have_value("fatima")
    expect(rows).to_have_count(1)
    check_page(page, "caseload-after-back")
