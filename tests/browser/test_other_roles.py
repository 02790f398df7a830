"""The coach and the back office: their own pages, and no person's details."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_coach_sees_team_figures_and_no_person(page, site, log_in, check_page):
    log_in(page, "coach")
    page.goto("/")
    expect(page).to_have_url(f"{site.url}/coach/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams you coach")
    team = page.locator(".coach-teams > li", has_text="Buurtzorg Oost")
    expect(team.get_by_role("heading", level=2)).to_contain_text("Buurtzorg Oost")
    expect(team.locator(".figures dd").first).to_have_text("2")  # members
    expect(team.get_by_role("link", name="Week plan")).to_be_visible()
    expect(page.locator(".coach-teams")).not_to_contain_text("Buurtzorg Zuid")
    expect(page.locator("main")).not_to_contain_text("Mies")
    check_page(page, "coach")

    response = page.goto(site.person_path("Mies Bakker"))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do that here")
    expect(page.locator("main")).not_to_contain_text("Mies")
    check_page(page, "coach-forbidden", allowed_status=403)


def test_the_back_office_sees_teams_and_members_and_no_person(page, site, log_in, check_page):
    log_in(page, "office")
    page.goto("/")
    expect(page).to_have_url(f"{site.url}/office/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams and their members")
    oost = page.locator("section.card", has_text="Buurtzorg Oost")
    expect(oost.get_by_role("listitem")).to_have_count(2)
    expect(oost.get_by_role("link", name="anna@oost.example.org")).to_be_visible()
    expect(oost).to_contain_text("Coach: Dina Verbeek")
    zuid = page.locator("section.card", has_text="Buurtzorg Zuid")
    expect(zuid.get_by_role("listitem")).to_have_text(["Sanne Jansen · sanne@zuid.example.org"])
    for person in site.people:
        expect(page.locator("main")).not_to_contain_text(person)
    check_page(page, "office")
