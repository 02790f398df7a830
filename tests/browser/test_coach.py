"""The coach's morning over her teams, on a landscape tablet (1280×800): each team's
own totals in alphabetical order, a team's read-only pages, and no person."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import CoachLink, Meeting, Referral, SupportRequest, Team, User, utcnow

from .conftest import VIEWPORTS

pytestmark = pytest.mark.browser

# Named to come after Buurtzorg Oost, whose pages other journeys open first.
MORE_TEAMS = ("Buurtzorg Westerpark", "Buurtzorg Zeeburg")


@pytest.fixture
def sizes():
    # She plans her day at a desk or on a tablet on its side; the light pass covers
    # the portrait tablet.
    return {"landscape": VIEWPORTS["landscape"], "portrait": VIEWPORTS["portrait"]}


def _her_other_teams():
    """Two more teams that invited Dina: one with a referral waiting and a request
    to the back office, one with its next meeting planned."""
    with db.connection_context():
        coach = User.get(User.role == User.COACH, User.name == "Dina Verbeek")
        west, made = Team.get_or_create(name=MORE_TEAMS[0], defaults={"capacity": 45})
        zee, _ = Team.get_or_create(name=MORE_TEAMS[1], defaults={"capacity": 55})
        if made:
            for team in (west, zee):
                CoachLink.create(coach=coach, team=team)
            nurse = User.get(User.role == User.MEMBER, User.team.is_null(False))
            Referral.create(
                team=west,
                recorded_by=nurse,
                person_name="Harm Westra",
                received_at=utcnow() - dt.timedelta(days=3),
            )
            SupportRequest.create(
                team=west,
                filed_by=nurse,
                category="equipment",
                subject="A new tablet",
                description="The screen is cracked.",
            )
            Meeting.create(team=zee, held_on=local_today() + dt.timedelta(days=4), created_by=nurse)
        return west, zee


def test_the_coach_s_morning_over_her_teams(page, site, log_in, check_page):
    west, zee = _her_other_teams()
    log_in(page, "coach", form=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams you coach")
    rows = page.locator(".coach-teams tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_contain_text(["Buurtzorg Oost", *MORE_TEAMS])
    expect(page.locator("main")).to_contain_text("3 teams, in alphabetical order.")
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        members = oost.active_members().count()
        in_care = oost.active_count()
    oost_row = page.locator(f"#team-{oost.id}")
    expect(oost_row.locator("td").nth(0)).to_have_text(str(members))
    expect(oost_row.locator("td").nth(1)).to_have_text(f"{in_care} of {oost.capacity}")
    west_row = page.locator(f"#team-{west.id}")
    expect(west_row.locator("td").nth(2)).to_contain_text("oldest received 3 days ago")
    expect(west_row.locator("td").nth(3)).to_have_text("1")
    expect(page.locator(f"#team-{zee.id} td").nth(5)).not_to_have_text("none planned")
    main = page.locator("main")
    for word in ("Mies", "Harm", "Westra", "tablet", "Anna"):
        expect(main).not_to_contain_text(word)
    check_page(page, "coach-her-teams")

    # She reads how Oost decided lately, read-only, and goes back to her teams.
    oost_row.get_by_role("link", name="Decisions").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(oost.name)
    expect(page.get_by_role("button", name="Propose")).to_have_count(0)
    page.go_back()
    page.locator(f"#team-{west.id}").get_by_role("link", name="Team board").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(west.name)
    check_page(page, "coach-westerpark-board")

    response = page.goto(site.person_path("Mies Bakker"))
    assert response.status == 403
    expect(page.locator("main")).not_to_contain_text("Mies")
    check_page(page, "coach-forbidden", allowed_status=403)
