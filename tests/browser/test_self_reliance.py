"""Who does what, on a portrait tablet.

Noor's team wants to see who does what in people's lives. She ticks it in Our
team's details; Truus's page now has "Who does what". Noor rates it with Truus:
housing and money she does herself, her daughter does the shopping and cooking,
the team her health, and so on. The shares are drawn, with a table. A few months
later (today, for the test) her neighbour has taken over some of her days: Noor
rates again, the form starts from the last rating, she changes one area, and the
chart has a second bar. How we are doing shows the caseload's shares. The team is
one of its own (Noord), so that the other journeys' teams never see it.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import Client, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", ["portrait"], indirect=True),
]

TEAM = "Buurtzorg Noord"
NOOR = ("Noor Hendriks", "noor@noord.example.org")
PERSON = "Truus Verhagen"


@pytest.fixture
def noord(live):
    """Team Noord with Noor and Truus, who has been in care for half a year; the
    team does not keep who does what yet."""
    with db.connection_context():
        team = Team.get_or_none(Team.name == TEAM)
        if team is None:
            team = Team.create(name=TEAM, area="Noord")
            noor = User.create(name=NOOR[0], email=NOOR[1], team=team, password_hash=PASSWORD_HASH)
            Client.open(team, noor, known_best=[noor], name=PERSON, phone="06-24681357")
        Team.update(uses_self_reliance=False).where(Team.id == team.id).execute()
        person = Client.get(Client.team == team, Client.name == PERSON)
    return person


def _log_in(page):
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(NOOR[1])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_nurse_turns_it_on_rates_a_person_and_rates_again(page, noord, check_page):
    _log_in(page)
    page.goto(f"/people/{noord.id}")
    expect(page.get_by_role("heading", name="Who does what")).to_have_count(0)

    # --- Noor turns it on for the team.
    page.goto("/team/details")
    box = page.get_by_label(re.compile("^Who does what: for each area of life"))
    expect(box).not_to_be_checked()
    check_page(page, "self-reliance-team-details")
    box.check()
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.locator("#details")).to_contain_text("Who does what")

    # --- Truus's page has the part; nothing rated yet.
    page.goto(f"/people/{noord.id}")
    section = page.locator("#selfreliance")
    expect(section.get_by_role("heading", name="Who does what")).to_be_visible()
    expect(section.locator(".who-does-what li")).to_have_count(6)
    expect(section).to_contain_text("Not rated yet.")
    section.get_by_role("link", name="Rate who does what").tap()

    # --- Bad input first: nothing chosen. The message is by the first area.
    day = section.get_by_label("Rated on")
    expect(day).to_have_value(local_today().isoformat())
    earlier = local_today() - dt.timedelta(days=90)
    day.fill(earlier.isoformat())
    section.get_by_role("button", name="Save the rating").tap()
    expect(section.locator(".field.has-error")).to_contain_text(
        "Choose who does it now for at least one area of life."
    )
    expect(section.get_by_label("Rated on")).to_have_value(earlier.isoformat())
    check_page(page, "self-reliance-nothing-chosen", allowed_status=400)

    ratings = {
        "Housing": "Themselves",
        "Money": "Themselves",
        "Daily activities": "Their network",
        "Health": "Professionals",
        "Social network": "Their network",
        "Meaningful days": "Professionals",
    }
    for area, who in ratings.items():
        group = section.get_by_role("group", name=area)
        group.locator("label.choice", has_text=who).tap()
    check_page(page, "self-reliance-form")
    section.get_by_role("button", name="Save the rating").tap()

    # --- The latest per area, and the shares drawn once.
    housing = section.locator(".who-does-what li", has_text="Housing")
    expect(housing).to_contain_text("Themselves")
    expect(section.locator("rect.share")).to_have_count(3)
    section.locator("summary", has_text="The figures as a table").first.tap()
    table = section.locator("figure.shares table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("2 (33%)")
    check_page(page, "self-reliance-rated")

    # --- Rate again: the form starts from the last rating; one area changes.
    section.get_by_role("link", name="Rate again").tap()
    days = section.get_by_role("group", name="Meaningful days")
    expect(days.get_by_role("radio", name="Professionals")).to_be_checked()
    expect(
        section.get_by_role("group", name="Housing").get_by_role("radio", name="Themselves")
    ).to_be_checked()
    days.locator("label.choice", has_text="Their network").tap()
    section.get_by_role("button", name="Save the rating").tap()

    expect(section.locator(".who-does-what li", has_text="Meaningful days")).to_contain_text(
        "Their network"
    )
    rows = section.locator("figure.shares table tbody tr")
    expect(rows).to_have_count(2)
    # Themselves 2, network 3, professionals 1 of the six areas.
    expect(rows.nth(1)).to_contain_text("3 (50%)")
    section.locator("summary", has_text="Every rating, per area of life").tap()
    expect(section.locator(".self-reliance-history")).to_contain_text("Professionals")
    check_page(page, "self-reliance-rated-again")

    # --- How we are doing: the caseload's shares, this month.
    page.goto("/measures/")
    caseload = page.locator("#who-does-what")
    expect(caseload.get_by_role("heading", name="Who does what")).to_be_visible()
    expect(caseload.locator("rect.share")).to_have_count(3)
    check_page(page, "self-reliance-how-we-are-doing")

    # --- The history says who rated what.
    page.goto(f"/people/{noord.id}/history")
    expect(page.locator("table.history")).to_contain_text("Rated who does an area of life")
