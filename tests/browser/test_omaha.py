"""The Omaha System, on a portrait tablet.

Jesse's team wants to follow people's problems the Omaha way. He ticks it in Our
team's details; Bep's page now has "Omaha System". He adds Medication regimen
(Health-related behaviours), first trying to save it without a problem chosen; he
rates it with Bep (knowledge 2, behaviour 2, status 3), links her own strength,
and weeks later (today, for the test) rates it again: the form starts from the last
rating, knowledge and behaviour go up and the small table shows how they moved. How
we are doing shows the problem with its average change. The team is one of its own
(Zuidoost), so that the other journeys' teams never see it.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import Client, OmahaProblem, Strength, Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", ["portrait"], indirect=True),
]

TEAM = "Buurtzorg Zuidoost"
JESSE = ("Jesse de Wit", "jesse@zuidoost.example.org")
PERSON = "Bep Smit"


@pytest.fixture
def zuidoost(live):
    """Team Zuidoost with Jesse and Bep, who has a strength written down; the team does
    not use the Omaha System yet, and Bep has no problems on her list."""
    with db.connection_context():
        team, _made = Team.get_or_create(name=TEAM, defaults={"area": "Zuidoost"})
        jesse = User.get_or_none(User.email == JESSE[1])
        if jesse is None:
            jesse = User.create(
                name=JESSE[0], email=JESSE[1], team=team, password_hash=PASSWORD_HASH
            )
        person = Client.get_or_none(Client.team == team, Client.name == PERSON)
        if person is None:
            person = Client.open(team, jesse, known_best=[jesse], name=PERSON, phone="06-135")
            Strength.add(person, jesse, category="personal", text="Keeps a tidy diary")
        Team.update(uses_omaha=False).where(Team.id == team.id).execute()
        OmahaProblem.delete().where(OmahaProblem.client == person).execute()
    return person


def _log_in(page):
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(JESSE[1])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _rate(section, knowledge, behaviour, status):
    for name, value in (("Knowledge", knowledge), ("Behaviour", behaviour), ("Status", status)):
        group = section.get_by_role("group", name=name)
        group.locator("label.choice", has_text=re.compile(rf"^{value} ")).tap()


def test_a_nurse_turns_it_on_adds_a_problem_and_rates_it_twice(page, zuidoost, check_page):
    _log_in(page)
    page.goto(f"/people/{zuidoost.id}")
    expect(page.locator("#omaha")).to_have_count(0)

    # --- Jesse turns it on for the team.
    page.goto("/team/details")
    box = page.get_by_label(re.compile("^The Omaha System: a person"))
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.locator("#details")).to_contain_text("The Omaha System")

    # --- Bep's page has the section; nothing on her list.
    page.goto(f"/people/{zuidoost.id}")
    section = page.locator("#omaha")
    expect(section.get_by_role("heading", name="Omaha System")).to_be_visible()
    expect(section).to_contain_text("No problems on their list.")
    expect(section).to_contain_text("Martin KS (2005)")
    section.get_by_role("link", name="Add a problem").tap()

    # --- Bad input first: no problem chosen. The message is by the field.
    since = local_today() - dt.timedelta(days=42)
    section.get_by_label("Since").fill(since.isoformat())
    section.get_by_role("button", name="Add problem").tap()
    expect(section.locator(".field.has-error")).to_contain_text("Choose a problem.")
    expect(section.get_by_label("Since")).to_have_value(since.isoformat())
    check_page(page, "omaha-no-problem-chosen", allowed_status=400)
    section.get_by_label("Problem").select_option("42")
    section.get_by_role("button", name="Add problem").tap()

    # --- Under its domain, not rated yet; Jesse rates it with Bep.
    expect(section.get_by_role("heading", name="Health-related behaviours")).to_be_visible()
    item = section.locator(".omaha-problem", has_text="Medication regimen")
    expect(item).to_contain_text("Not rated yet.")
    item.get_by_role("link", name="Rate: Medication regimen").tap()
    day = section.get_by_label("Rated on")
    day.fill((local_today() - dt.timedelta(days=42)).isoformat())
    _rate(section, 2, 2, 3)
    check_page(page, "omaha-rating-form")
    section.get_by_role("button", name="Save", exact=True).tap()
    item = section.locator(".omaha-problem", has_text="Medication regimen")
    expect(item.locator(".omaha-latest")).to_contain_text("2 Minimal knowledge")
    expect(item.locator(".omaha-latest")).to_contain_text("3 Moderate signs/symptoms")

    # --- Her own strength that helps with it.
    item.get_by_role("link", name="Strengths that help: Medication regimen").tap()
    section.get_by_label(re.compile("^Keeps a tidy diary")).check()
    section.get_by_role("button", name="Save", exact=True).tap()
    item = section.locator(".omaha-problem", has_text="Medication regimen")
    expect(item.locator(".omaha-strengths")).to_contain_text("Keeps a tidy diary")

    # --- Rated again: the form starts from the last rating; two go up.
    item.get_by_role("link", name="Rate: Medication regimen").tap()
    knowledge = section.get_by_role("group", name="Knowledge")
    expect(knowledge.get_by_role("radio", name="2 Minimal knowledge")).to_be_checked()
    _rate(section, 4, 3, 3)
    section.get_by_role("button", name="Save", exact=True).tap()
    item = section.locator(".omaha-problem", has_text="Medication regimen")
    expect(item.locator(".omaha-latest")).to_contain_text("4 Adequate knowledge")
    rows = item.locator("table.omaha-over-time tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("+2")
    expect(rows.nth(1)).to_contain_text("+1")
    expect(rows.nth(2)).to_contain_text("same")
    check_page(page, "omaha-rated-again")

    # --- How we are doing: the problem, one person, the average change.
    page.goto("/measures/")
    caseload = page.locator("#omaha")
    row = caseload.locator("tr", has_text="Medication regimen")
    expect(row).to_contain_text("+2.0")
    expect(caseload).not_to_contain_text(PERSON)
    check_page(page, "omaha-how-we-are-doing")

    # --- The history says who rated what.
    page.goto(f"/people/{zuidoost.id}/history")
    expect(page.locator("table.history")).to_contain_text("Rated a problem (Omaha System)")
