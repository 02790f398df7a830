"""The coach and the back office: their own pages, and no person's details."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_now
from teamcase.db import db
from teamcase.models import Client, PlannedVisit, Team, User

pytestmark = pytest.mark.browser


def test_the_back_office_sees_teams_and_members_and_no_person(page, site, log_in, check_page):
    log_in(page, "office")
    page.goto("/")
    expect(page).to_have_url(f"{site.url}/office/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams and their members")

    # By its heading: another journey's team may be called "Buurtzorg Oost-Noord …".
    def team_card(name):
        return page.locator("section.card").filter(
            has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(name)}( · .*)?$"))
        )

    oost = team_card("Buurtzorg Oost")
    with db.connection_context():
        oost_team = Team.get(Team.name == "Buurtzorg Oost")
        everyone = User.select().where(User.team == oost_team).count()
    expect(oost.get_by_role("listitem")).to_have_count(everyone)
    expect(oost.get_by_role("link", name="anna@oost.example.org")).to_be_visible()
    expect(oost).to_contain_text("Coach: Dina Verbeek")
    zuid = team_card("Buurtzorg Zuid")
    expect(zuid.get_by_role("listitem")).to_have_text(["Sanne Jansen · sanne@zuid.example.org"])
    for person in site.people:
        expect(page.locator("main")).not_to_contain_text(person)
    check_page(page, "office")


def test_the_coach_reads_the_team_s_week_as_the_team_s(page, site, log_in, check_page):
    """The coach supports the team, not its members one by one: the week shows
    the team's visits and totals per day, never whose they are."""
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        anna = User.get(User.name == "Anna de Vries")
        bram = User.get(User.name == "Bram Bos")
        gerrit = Client.get_by_id(site.people["Gerrit de Jong"])
        day = local_now().date() + dt.timedelta(days=7)
        for member, minutes, hour in ((anna, 45, 8), (anna, 30, 10), (bram, 20, 9)):
            PlannedVisit.add(
                gerrit, anna, member=member, day=day, minutes=minutes, starts_at=dt.time(hour)
            )
    log_in(page, "coach")
    page.goto("/coach/")
    page.get_by_role("link", name="Week plan").first.tap()
    page.get_by_role("link", name="Next week →").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Week plan of {oost.name}")
    team_day = page.locator(f"#day-{day.isoformat()} .plan-member")
    expect(team_day).to_have_count(1)
    expect(team_day.get_by_role("heading", level=3)).to_have_text("The team 3 visits · 1 h 35 min")
    expect(team_day.locator(".plan-visits li")).to_have_count(3)
    main = page.locator("main")
    for word in ("Anna", "Vries", "Bram", "Bos", "Gerrit"):
        expect(main).not_to_contain_text(word)
    check_page(page, "coach-week-plan")
