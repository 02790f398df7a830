"""Opening a case, recording from the caseload, editing details and the history."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Each viewport opens its own person, so the two runs do not meet.
NEW_PEOPLE = {768: "Rina Vos", 1280: "Piet Kramer"}


def test_it_opens_a_case_after_fixing_a_missing_way_to_reach(
    page, site, log_in, check_page, viewport
):
    name = NEW_PEOPLE[viewport["width"]]
    log_in(page, "bram")
    page.goto("/people/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")
    check_page(page, "new-person")

    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Open the case").tap()

    error = page.locator("#phone-error")
    expect(error).to_have_text(
        "Give at least one way to reach them: a phone number, an email or an address."
    )
    phone = page.get_by_label("Phone")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_attribute("aria-describedby", re.compile(r"\bphone-error\b"))
    expect(page.get_by_role("alert")).to_contain_text("Please check the field marked below")
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    check_page(page, "new-person-error", allowed_status=400)

    phone.fill("06-24681357")
    page.get_by_role("button", name="Open the case").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".flash")).to_have_text(f"{name} is now in the caseload.")
    expect(page.get_by_role("link", name="06-24681357")).to_be_visible()
    check_page(page, "new-person-opened")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").tap()
    expect(page.locator(".person-row", has_text=name)).to_contain_text("Bram Bos")
    check_page(page, "caseload-with-new-person")


def test_it_records_a_contact_straight_from_the_caseload(page, log_in, check_page):
    log_in(page, "anna")
    page.goto("/caseload")
    check_page(page, "caseload")
    row = page.locator(".person-row", has_text="Henk Smit")
    row.get_by_role("link", name="Record contact with Henk Smit").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact with Henk Smit")
    check_page(page, "record-contact")

    page.locator("label.choice", has_text="Phone call").tap()
    page.locator("label.choice", has_text="15 min").tap()
    page.get_by_label("Note", exact=True).fill("Asked whether the new shoes fit; they do.")
    page.get_by_role("button", name="Save contact").tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Buurtzorg Oost")
    expect(page.locator(".flash")).to_have_text("Phone call recorded for Henk Smit.")
    expect(row.locator(".last")).to_contain_text("today · phone call")
    check_page(page, "caseload-after-contact")


def test_it_edits_details_and_shows_them_in_the_history(page, site, log_in, check_page, viewport):
    phone = f"06-5550{viewport['width']:04d}"
    log_in(page, "anna")
    page.goto(site.person_path("Geertruida Meijer"))
    check_page(page, "person-before-edit")
    page.get_by_role("link", name="Edit details").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit details")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Geertruida Meijer")
    check_page(page, "edit-person")

    page.get_by_label("Phone").fill(phone)
    page.get_by_label("Preferred name").fill("Truus")
    page.get_by_role("button", name="Save details").tap()

    expect(page.locator(".flash")).to_have_text("Details saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geertruida Meijer")
    expect(page.locator(".preferred")).to_have_text("Likes to be called Truus")
    expect(page.get_by_role("link", name=phone)).to_be_visible()
    check_page(page, "person-edited")

    page.get_by_role("link", name="History").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who looked and what changed")
    changed = page.locator("table.history tbody tr", has_text="Changed details").first
    expect(changed).to_contain_text("Anna de Vries")
    expect(changed.locator("ins", has_text=phone)).to_be_visible()
    expect(page.locator("table.history tbody tr", has_text="Opened the case")).to_be_visible()
    check_page(page, "history")
