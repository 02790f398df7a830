"""The main journey: a member finds a person, records a home visit, and logs out;
a member of another team cannot reach that person by any URL."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_records_a_home_visit_in_three_taps_and_a_note(page, site, log_in, check_page, viewport):
    log_in(page, "anna", form=True)
    page.goto("/caseload")  # her day, when an earlier journey gave her visits today
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buurtzorg Oost")
    rows = page.locator(".person-row")
    assert rows.count() >= 8

    page.get_by_label("Find a person").tap()
    page.get_by_label("Find a person").press_sequentially("mies b", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Mies Bakker")
    expect(page.locator("h1 .count")).to_have_text("1 person found")
    expect(page).to_have_url(re.compile(r"/caseload\?q=mies(%20|\+)b"))
    check_page(page, "caseload-filtered")

    rows.first.get_by_role("link", name="Mies Bakker", exact=True).tap()
    expect(page).to_have_url(f"{site.url}{site.person_path('Mies Bakker')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mies Bakker")
    check_page(page, "person")

    note = f"Changed the dressing; she walked to the window herself ({viewport['width']} px)."
    record = page.get_by_role("region", name="Record a contact")
    record.locator("label.choice", has_text="Home visit").tap()
    record.locator("label.choice", has_text="30 min").tap()
    record.get_by_label("Note", exact=True).fill(note)
    record.get_by_role("button", name="Save contact").tap()

    expect(page.locator(".flash")).to_have_text("Home visit recorded for Mies Bakker.")
    newest = page.locator("ol.timeline > li").first
    expect(newest.locator(".contact-head")).to_contain_text(re.compile(r"Home visit\s+today"))
    expect(newest).to_contain_text("30 min")
    expect(newest).to_contain_text("Anna de Vries")
    expect(newest.locator(".note")).to_have_text(note)
    check_page(page, "person-after-contact")

    page.get_by_role("button", name="Log out").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to teamcase")
    expect(page.locator(".flash")).to_have_text("You are logged out.")
    check_page(page, "logged-out")
    page.goto(site.person_path("Mies Bakker"))
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator(".flash")).to_have_text("Please log in to continue.")
    check_page(page, "login-required")


def test_a_member_of_another_team_cannot_reach_the_person(page, site, log_in, check_page):
    log_in(page, "sanne", form=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buurtzorg Zuid")
    # Zuid's own people (other journeys may have transferred someone to Zuid).
    expect(page.locator(".person-row").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Mies")

    response = page.goto(site.person_path("Mies Bakker"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("body")).not_to_contain_text("Mies")
    check_page(page, "not-found", allowed_status=404)

    # Every other address of the person or of her contacts, reading and writing,
    # with this member's own valid form token.
    token = page.locator("input[name=csrf_token]").first.input_value()
    person = site.person_path("Mies Bakker")
    contact = site.contacts["Mies Bakker"][-1]
    form = {"csrf_token": token, "kind": "phone", "minutes": "15", "name": "Mies"}
    for method, path in [
        ("GET", f"{person}/edit"),
        ("POST", f"{person}/edit"),
        ("GET", f"{person}/history"),
        ("GET", f"{person}/contacts/new"),
        ("POST", f"{person}/contacts/new"),
        ("GET", f"/contacts/{contact}/edit"),
        ("POST", f"/contacts/{contact}/edit"),
        ("POST", f"/contacts/{contact}/delete"),
    ]:
        answer = page.request.fetch(
            path, method=method, form=form if method == "POST" else None, max_redirects=0
        )
        assert answer.status == 404, (method, path, answer.status)
        assert "Mies" not in answer.text()

    # The token was what let those requests through to the access check at all.
    kees = site.person_path("Kees van Dam")
    answer = page.request.post(f"{kees}/contacts/new", form={**form, "csrf_token": ""})
    assert answer.status == 400
    assert "This form had expired" in answer.text()
