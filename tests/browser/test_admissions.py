"""Writing down that someone went to the emergency department, on a portrait tablet.

Anna heard at her visit that Willy went to the emergency department on Saturday.
On Willy's page she taps "Add a hospital admission or emergency visit": the form
comes in place of the link, with today's date. She chooses the kind, corrects the
date and writes why; the visit is on the page and "How it is going" now counts it.
She corrects it to an out-of-hours GP visit, then removes it (asked once); the
history keeps what it said.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today

pytestmark = pytest.mark.browser

PERSON = "Wilhelmina van Oosterhout-Bergkamp"


def test_it_writes_down_an_emergency_visit_and_how_it_is_going_counts_it(
    page, site, log_in, check_page
):
    log_in(page, "anna")
    page.goto(site.person_path(PERSON))
    section = page.locator("#outcomes")
    expect(section.get_by_role("heading", name="Hospital and emergency visits")).to_be_visible()
    expect(page.get_by_role("heading", name="How it is going")).to_have_count(0)
    section.get_by_role("link", name="Add a hospital admission or emergency visit").tap()

    when = section.get_by_label("When it happened")
    expect(when).to_have_value(local_today().isoformat())
    saturday = local_today() - dt.timedelta(days=(local_today().weekday() - 5) % 7 or 7)
    when.fill(saturday.isoformat())
    section.locator("label.choice", has_text="Emergency department visit").tap()
    section.get_by_label("Why, in a few words").fill("Dizzy and fell in the shower; no fracture")
    check_page(page, "admission-form")
    section.get_by_role("button", name="Add", exact=True).tap()

    item = section.locator(".parts li", has_text="Dizzy and fell in the shower")
    expect(item).to_contain_text("Emergency department visit")
    expect(item).to_contain_text("unplanned")
    going = page.locator(".how-it-goes")
    expect(going.get_by_role("heading", name="How it is going")).to_be_visible()
    expect(going).to_contain_text("Emergency visits in the last 12 months")
    expect(going).to_contain_text("1, of which 1 unplanned")
    check_page(page, "admission-saved")

    item.get_by_role("link", name="Edit: Emergency department visit").tap()
    section.locator("label.choice", has_text="Out-of-hours GP").tap()
    section.get_by_role("button", name="Save", exact=True).tap()
    item = section.locator(".parts li", has_text="Dizzy and fell in the shower")
    expect(item).to_contain_text("Out-of-hours GP")
    check_page(page, "admission-corrected")

    item.get_by_role("link", name="Remove: Out-of-hours GP").tap()
    expect(section).to_contain_text("Remove this admission or emergency visit?")
    check_page(page, "admission-remove-question")
    section.get_by_role("button", name="Remove admission or visit").tap()
    expect(section.locator(".parts li", has_text="Dizzy and fell in the shower")).to_have_count(0)
    expect(page.get_by_role("heading", name="How it is going")).to_have_count(0)

    page.goto(site.person_path(PERSON) + "/history")
    expect(page.locator("table.history")).to_contain_text(
        "Removed a hospital admission or emergency visit"
    )
    expect(page.locator("table.history")).to_contain_text("Dizzy and fell in the shower")
    check_page(page, "admission-history")
