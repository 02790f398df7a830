"""The coach's morning over her teams, on a landscape tablet (1280×800): each team's
own totals in alphabetical order, a team's read-only pages, and no person; and the
small charts of the measures each team shares with her, on a landscape and on a
portrait tablet (768×1024)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.measures import weekly
from teamcase.models import (
    CoachLink,
    Meeting,
    Referral,
    SupportRequest,
    Team,
    User,
    WeekFigure,
    utcnow,
)

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
    rows = page.locator(".coach-teams tbody tr[id^='team-']")
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
    oost_links = page.locator(f"#team-{oost.id} + .coach-charts-row")
    oost_links.get_by_role("link", name="Decisions").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(oost.name)
    expect(page.get_by_role("button", name="Propose")).to_have_count(0)
    page.go_back()
    page.locator(f"#team-{west.id} + tr").get_by_role("link", name="Team board").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(west.name)
    check_page(page, "coach-westerpark-board")

    response = page.goto(site.person_path("Mies Bakker"))
    assert response.status == 403
    expect(page.locator("main")).not_to_contain_text("Mies")
    check_page(page, "coach-forbidden", allowed_status=403)


# A year of failure demand with one week far beyond the usual; days to a first visit
# that settle lower after the summer; people in care slowly growing.
FAILURE = [3, 4, 2, 3, 5, 3, 4, 3, 2, 4, 3, 4] * 4 + [3, 4, 14, 3]
FIRST_VISIT = (
    [6, 7, 5, 8, 6, 7, 6, 5, 7, 6, 8, 7] * 2
    + [3, 4, 3, 2, 4, 3, 3, 2, 4, 3] * 2
    + [
        3,
        4,
        3,
        2,
        4,
        3,
        3,
        2,
    ]
)
IN_CARE = [38 + i // 6 for i in range(52)]


def _sharing_teams():
    """Westerpark shares three measures with a year of figures, Zeeburg none."""
    west, zee = _her_other_teams()
    with db.connection_context():
        Team.update(coach_measures="failure,first_visit,in_care").where(
            Team.id == west.id
        ).execute()
        if not WeekFigure.select().where(WeekFigure.team == west.id).exists():
            for week, failure, days, people in zip(
                weekly.weeks(), FAILURE, FIRST_VISIT, IN_CARE, strict=True
            ):
                WeekFigure.create(team=west, week=week, measure="failure", total=failure, count=1)
                WeekFigure.create(team=west, week=week, measure="first_visit", total=days, count=1)
                WeekFigure.create(team=west, week=week, measure="in_care", total=people, count=1)
    return west, zee


@pytest.mark.parametrize("viewport", ["landscape", "portrait"], indirect=True)
def test_the_coach_reads_the_measures_her_teams_share(page, site, log_in, check_page, viewport):
    west, zee = _sharing_teams()
    log_in(page, "coach")
    page.goto("/coach/")
    charts = page.locator(f"#team-{west.id} + .coach-charts-row figure.xmr-small")
    expect(charts).to_have_count(3)
    expect(charts.locator("figcaption")).to_have_text(
        ["Failure demand", "Days to a first visit", "People in care"]
    )
    # Each picture is an image with its words for a screen reader.
    failure = charts.nth(0)
    expect(failure.get_by_role("img", name="Failure demand")).to_be_visible()
    expect(failure.locator("desc")).to_contain_text("1 signal")
    week = weekly.labels(weekly.weeks())[-2]
    expect(failure).to_contain_text(f"Signal 1, {week}: a value above the upper limit.")
    expect(page.locator(f"#team-{zee.id} + .coach-charts-row")).to_contain_text(
        "Shares no measures with you yet"
    )
    main = page.locator("main")
    for word in ("Mies", "Harm", "Westra", "tablet", "Anna"):
        expect(main).not_to_contain_text(word)
    check_page(page, "coach-shared-measures")
    # The table of her teams fits the page: nothing hidden to the side to scroll to.
    table = page.locator(".coach-teams").first
    fits = table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    assert fits, f"the table of her teams is wider than the page at {viewport['width']} px"
    # Side by side on a landscape tablet, two to a row on a portrait one.
    boxes = [charts.nth(i).bounding_box() for i in range(3)]
    beside = sum(1 for box in boxes if abs(box["y"] - boxes[0]["y"]) < 2)
    assert beside == (3 if viewport["width"] >= 1280 else 2), boxes
    for box in boxes:
        assert box["width"] >= 280, box

    # She opens Westerpark's How we are doing: the same three, in full, read-only.
    page.locator(f"#team-{west.id} + tr").get_by_role("link", name="How we are doing").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{MORE_TEAMS[0]}: how we are doing")
    expect(page.locator("figure.xmr")).to_have_count(3)
    expect(page.get_by_role("link", name="Start an experiment")).to_have_count(0)
    expect(page.get_by_role("link", name="Download (CSV)")).to_have_count(0)
    check_page(page, "coach-westerpark-measures")
    page.get_by_role("link", name="My teams").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams you coach")


@pytest.fixture
def dutch_coach():
    """Dina reads teamcase in Dutch for one journey."""
    with db.connection_context():
        User.update(language="nl").where(User.name == "Dina Verbeek").execute()
    yield
    with db.connection_context():
        User.update(language="").where(User.name == "Dina Verbeek").execute()


@pytest.mark.parametrize("viewport", ["portrait"], indirect=True)
def test_in_dutch_her_teams_fit_a_portrait_tablet(page, log_in, check_page, dutch_coach):
    """The Dutch headings are longer words; each team's figures still fit 768 px, four
    to a line under its name, each with its heading, no word cut."""
    west, _zee = _sharing_teams()
    log_in(page, "coach")
    page.goto("/coach/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams die je coacht")
    charts = page.locator(f"#team-{west.id} + .coach-charts-row figure.xmr-small")
    expect(charts.locator("figcaption")).to_have_text(
        ["Faalvraag", "Dagen tot een eerste bezoek", "Cliënten in zorg"]
    )
    expect(charts.nth(0)).to_contain_text("Signaal 1,")
    check_page(page, "coach-shared-measures-dutch")
    table = page.locator(".coach-teams").first
    widths = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, f"the Dutch table is wider than the tablet: {widths}"


@pytest.fixture
def oost_shares_nothing_after():
    yield
    with db.connection_context():
        Team.update(coach_measures="").where(Team.name == "Buurtzorg Oost").execute()


@pytest.mark.parametrize("viewport", ["portrait"], indirect=True)
def test_a_member_chooses_what_the_team_shares_and_the_coach_sees_it(
    page, log_in, check_page, oost_shares_nothing_after
):
    log_in(page, "anna")
    page.goto("/measures/")
    expect(page.locator(".measures-shared")).to_contain_text(
        "We share none of these with our coach."
    )
    page.get_by_role("link", name="Choose what we share").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our details")
    choices = page.get_by_role("group", name="Measures we share with our coach")
    for title in ("Failure demand", "Value demand", "Days to a first visit", "People in care"):
        choices.get_by_label(title, exact=True).check()
    page.get_by_role("button", name="Save").tap()
    # Four is one too many: said next to the choices, all four still ticked.
    expect(choices.locator(".error")).to_have_text(
        "Choose at most 3 measures to share: you ticked 4."
    )
    expect(choices.get_by_label("People in care", exact=True)).to_be_checked()
    check_page(page, "team-details-too-many-shared", allowed_status=400)
    choices.get_by_label("Value demand", exact=True).uncheck()
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buurtzorg Oost")
    expect(page.locator("main")).to_contain_text(
        "Measures we share with our coach: — → Failure demand, Days to a first visit, "
        "People in care"
    )
    page.goto("/measures/")
    expect(page.locator(".measures-shared")).to_contain_text(
        "We share with our coach: Failure demand, Days to a first visit, People in care."
    )
    expect(page.locator(".measure-shared-tag")).to_have_count(3)
    check_page(page, "how-we-are-doing-shared")

    # The coach sees the three, small, under Oost's figures.
    log_in(page, "coach")
    page.goto("/coach/")
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
    charts = page.locator(f"#team-{oost.id} + .coach-charts-row figure.xmr-small")
    expect(charts.locator("figcaption")).to_have_text(
        ["Failure demand", "Days to a first visit", "People in care"]
    )
    check_page(page, "coach-oost-shares")
