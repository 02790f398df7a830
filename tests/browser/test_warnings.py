"""Warnings that let the nurse go on, on a portrait tablet.

Anna opens a case for "G. de Jong": the team already has Gerrit de Jong, so the
form asks first, with a link to him, and keeps what she typed; she says it is
someone else and the case opens. Then she plans a visit to Mies Bakker at a time
she already has a visit to Gerrit: the form says which visit, and she plans it
anyway.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import Client, PlannedVisit, Referral, Team, User

pytestmark = pytest.mark.browser


def test_a_likely_known_name_asks_first_and_she_goes_on(page, log_in, check_page):
    name = f"G. de Jong {dt.datetime.now():%H%M%S%f}"
    log_in(page, "anna")
    page.goto("/people/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Phone").fill("020-612 0000")
    page.get_by_role("button", name="Open the case").tap()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("Is this someone the team already knows?")
    expect(warning.get_by_role("link", name="Gerrit de Jong")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    check_page(page, "likely-known-name")
    with db.connection_context():
        assert not Client.select().where(Client.name == name).exists()

    warning.get_by_role("button", name="It is someone else: open the case").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    with db.connection_context():
        assert Client.select().where(Client.name == name).count() == 1


@pytest.fixture
def gerrit_tomorrow():
    """A visit of Anna's to Gerrit tomorrow at 10:15; tomorrow's visits to Mies and
    Gerrit are taken out again afterwards, for the other tests of the session."""
    day = local_today() + dt.timedelta(days=1)
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        gerrit = Client.get(Client.team == oost, Client.name == "Gerrit de Jong")
        PlannedVisit.add(gerrit, anna, member=anna, day=day, starts_at=dt.time(10, 15), minutes=30)
        mies = Client.get(Client.team == oost, Client.name == "Mies Bakker")
    yield day, mies
    with db.connection_context():
        PlannedVisit.delete().where(
            PlannedVisit.day == day, PlannedVisit.client.in_([gerrit, mies])
        ).execute()


def test_a_visit_at_the_same_time_says_which_and_she_plans_it_anyway(
    page, log_in, check_page, gerrit_tomorrow
):
    day, mies = gerrit_tomorrow
    log_in(page, "anna")
    page.goto(f"/plan/new?person={mies.id}&day={day.isoformat()}")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("10:30")
    page.get_by_role("button", name="Plan the visit").tap()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("At the same time:")
    expect(warning).to_contain_text("your visit to Gerrit de Jong")
    expect(warning).to_contain_text("10:15")
    check_page(page, "visit-at-the-same-time")
    with db.connection_context():
        assert (
            not PlannedVisit.select()
            .where(PlannedVisit.client == mies, PlannedVisit.day == day)
            .exists()
        )

    warning.get_by_role("button", name="Plan it anyway").tap()
    expect(page.locator(".flash.success")).to_contain_text("Visit to Mies Bakker planned")
    with db.connection_context():
        visit = PlannedVisit.get(PlannedVisit.client == mies, PlannedVisit.day == day)
        assert (visit.starts_at, visit.ends_at) == (dt.time(10), dt.time(10, 30))


def test_moving_a_visit_over_another_says_which_and_she_moves_it_anyway(
    page, log_in, check_page, gerrit_tomorrow
):
    day, mies = gerrit_tomorrow
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        visit = PlannedVisit.add(
            mies, anna, member=anna, day=day, starts_at=dt.time(8), ends_at=dt.time(8, 30)
        )
    log_in(page, "anna")
    page.goto(f"/plan/visits/{visit.id}/edit")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("10:30")
    page.get_by_role("button", name="Save", exact=True).tap()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("At the same time:")
    expect(warning).to_contain_text("your visit to Gerrit de Jong")
    expect(warning).to_contain_text("10:15")
    expect(page.get_by_label("Start time")).to_have_value("10:00")
    check_page(page, "visit-moved-over-another")
    with db.connection_context():
        assert PlannedVisit.get_by_id(visit.id).starts_at == dt.time(8)

    warning.get_by_role("button", name="Save it anyway").tap()
    expect(page.locator(".flash.success")).to_contain_text("Visit to Mies Bakker saved")
    with db.connection_context():
        moved = PlannedVisit.get_by_id(visit.id)
        assert (moved.starts_at, moved.ends_at) == (dt.time(10), dt.time(10, 30))


def test_an_open_referral_of_the_same_name_is_named_with_a_link_and_she_goes_on(
    page, log_in, check_page
):
    surname = f"Groot{dt.datetime.now():%H%M%S%f}"
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        referral = Referral.receive(
            oost, by=anna, person_name=f"Jan de {surname}", story="Home after a fall."
        )
    log_in(page, "anna")
    page.goto("/people/new")
    page.get_by_label("Name", exact=True).fill(f"jan {surname}")
    page.get_by_label("Phone").fill("020-612 0001")
    page.get_by_role("button", name="Open the case").tap()
    warning = page.get_by_role("alert")
    link = warning.get_by_role("link", name=f"An open referral for Jan de {surname}, received")
    expect(link).to_have_attribute("href", f"/referrals/{referral.id}")
    check_page(page, "likely-known-referral")
    with db.connection_context():
        assert not Client.select().where(Client.name == f"jan {surname}").exists()

    warning.get_by_role("button", name="It is someone else: open the case").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"jan {surname}")
    with db.connection_context():
        assert Client.select().where(Client.name == f"jan {surname}").count() == 1
        assert Referral.get_by_id(referral.id).status == Referral.OPEN
        # Out of the inbox again: other journeys count the open referrals.
        Referral.delete().where(Referral.id == referral.id).execute()
