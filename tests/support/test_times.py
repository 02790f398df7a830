"""How the requests went: the times of each request as process behaviour charts,
the team's own request by request, every team's week by week for the back office."""

import datetime as dt

import pytest
from conftest import count_queries

from teamcase.db import db
from teamcase.models import SupportRequest
from teamcase.support import times

DAY = dt.timedelta(days=1)


def _done(cast, filed_at, *, asked_after=None, waited=None, done_after, confirmed_after=None):
    """A request filed at `filed_at`, taken at once, perhaps a question the team took
    `waited` to answer, marked done `done_after` after filing, perhaps confirmed."""
    with db.connection_context():
        found = SupportRequest.file(
            cast.team_a,
            by=cast.a1,
            category="equipment",
            subject="A new tablet",
            description="The screen of mine is cracked.",
            now=filed_at,
        )
        found.take(by=cast.office, now=filed_at + dt.timedelta(hours=1))
        if asked_after is not None:
            asked = filed_at + asked_after
            found.ask(by=cast.office, text="Which model?", now=asked)
            found.answer(by=cast.a1, text="The small one.", now=asked + waited)
        found.mark_done(by=cast.office, now=filed_at + done_after)
        if confirmed_after is not None:
            found.confirm(by=cast.a1, now=filed_at + confirmed_after)
        return found


def test_the_team_sees_each_request_s_days_to_done_without_its_own_waiting(cast, as_user):
    monday = dt.datetime.combine(times.weeks()[-3], dt.time(9))
    # Worked by hand: filed Monday 9:00, asked a question a day later, the team
    # answered two days after that, done five days after filing: 5 - 2 = 3 days.
    _done(cast, monday, asked_after=DAY, waited=2 * DAY, done_after=5 * DAY)
    page = as_user(cast.a1).get("/support/").get_data(as_text=True)
    assert "Once the back office has done two of our requests" in page
    _done(cast, monday + DAY, done_after=DAY / 2)
    with db.connection_context():
        chart = times.of_team(cast.team_a)
    # In the order they were done: the second was done first.
    assert chart.chart.values == (0.5, 3.0)
    page = as_user(cast.a1).get("/support/").get_data(as_text=True)
    assert "Days from asking to done" in page and 'role="img"' in page
    # Another team's requests are not ours.
    with db.connection_context():
        assert times.of_team(cast.team_b).count == 0


def test_the_back_office_sees_every_team_s_week_by_week(cast, as_user):
    week = times.weeks()[-4]
    start = dt.datetime.combine(week, dt.time(9))
    _done(cast, start, done_after=2 * DAY, confirmed_after=4 * DAY)
    _done(cast, start + DAY, asked_after=DAY / 4, waited=DAY, done_after=3 * DAY)
    with db.connection_context():
        charts = {c.code: c for c in times.of_all_teams()}
    index = times.weeks().index(week)
    assert charts["filed"].chart.values[index] == 2
    # First answers: the first request's "done" (2 days), the second's question (6 hours).
    assert charts["first"].chart.values[index] == pytest.approx((2 + 0.25) / 2, abs=0.01)
    # Done: 2 days, and 3 days less the day it waited on the team.
    assert charts["done"].chart.values[index] == (2 + 2) / 2
    assert charts["confirmed"].chart.values[index] == 4
    assert charts["done"].chart.values[index - 1] is None
    page = as_user(cast.office).get("/support/times").get_data(as_text=True)
    for title in ("Requests that came in", "Days to the first answer", "Days to done"):
        assert title in page
    assert "target" not in page.split("<main")[1].replace("never a target", "")


def test_the_times_page_reads_the_same_queries_however_many_requests(cast, as_user):
    office = as_user(cast.office)
    start = dt.datetime.combine(times.weeks()[-6], dt.time(9))
    _done(cast, start, done_after=DAY)
    with count_queries() as few:
        assert office.get("/support/times").status_code == 200
    for n in range(8):
        _done(cast, start + n * DAY / 2, done_after=DAY * (n + 1))
    with count_queries() as many:
        assert office.get("/support/times").status_code == 200
    assert len(many) == len(few) <= 5, many
