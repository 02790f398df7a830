"""The coach's page of her teams: each team's own totals, alphabetical, nothing per
member, and a query count that does not grow with the number of teams."""

import datetime as dt
import re

import pytest
from conftest import PASSWORD_HASH, count_queries

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    Client,
    CoachLink,
    Meeting,
    Referral,
    SupportRequest,
    Team,
    User,
    utcnow,
)
from teamcase.pagecache import pages


def _untokened(page: str) -> str:
    """The page without its CSRF token, which is signed anew each second."""
    return re.sub(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}", "token", page)


def _row(page: str, team) -> str:
    found = re.search(rf'<tr id="team-{team.id}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row for {team.name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def _busy_team(name: str, coach, *, capacity=40):
    """A team linked to `coach` with two members, a person in care, an undecided
    referral of five days ago, an open and a closed support request, and a held and
    a planned meeting."""
    team = Team.create(name=name, area="Noord", capacity=capacity)
    one = User.create(
        email=f"{name.lower().replace(' ', '')}@t.example.org",
        name=f"Els {name}",
        role=User.MEMBER,
        team=team,
        password_hash=PASSWORD_HASH,
    )
    User.create(
        email=f"2{name.lower().replace(' ', '')}@t.example.org",
        name=f"Ria {name}",
        role=User.MEMBER,
        team=team,
        password_hash=PASSWORD_HASH,
    )
    Client.open(team, by=one, name=f"Truus {name}", phone="06-1")
    Referral.create(
        team=team,
        recorded_by=one,
        person_name="Henk Groot",
        received_at=utcnow() - dt.timedelta(days=5),
    )
    Referral.create(team=team, recorded_by=one, person_name="Jo Klein", status="accepted")
    for status in ("new", "closed"):
        SupportRequest.create(
            team=team,
            filed_by=one,
            category="equipment",
            subject="A tablet",
            description="Ours broke.",
            status=status,
        )
    today = local_today()
    Meeting.create(team=team, held_on=today - dt.timedelta(days=9), status="done", created_by=one)
    Meeting.create(team=team, held_on=today - dt.timedelta(days=23), status="done", created_by=one)
    Meeting.create(team=team, held_on=today + dt.timedelta(days=5), created_by=one)
    CoachLink.create(coach=coach, team=team)
    return team


def test_each_team_shows_its_own_totals(app, cast, as_user):
    with db.connection_context():
        team = _busy_team("Buurtzorg Noord", cast.coach_a, capacity=40)
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    today = local_today()
    row = _row(page, team)
    assert row.startswith("Buurtzorg Noord Noord 2 1 of 40 1 oldest received 5 days ago 1 ")
    assert f"{today - dt.timedelta(days=9):%-d %b %Y}" in row
    assert f"{today + dt.timedelta(days=5):%-d %b %Y}" in row
    # Team A: Anna and Bram, Mies in care, nothing waiting, no meeting.
    a = _row(page, cast.team_a)
    assert a.startswith("Team A Oost 2 1 of 60 0 0 none yet none planned")


def test_the_teams_come_alphabetically_and_only_hers(app, cast, as_user):
    with db.connection_context():
        for name in ("Zeeburg", "Amstel", "Molenwijk"):
            _busy_team(name, cast.coach_a)
        _busy_team("Elsewhere", cast.coach_x)
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    names = re.findall(r'<th scope="row"[^>]*>([^<]+)', page)
    assert names == ["Amstel", "Molenwijk", "Team A", "Zeeburg"]
    assert "Elsewhere" not in page and "Team B" not in page
    assert "4 teams, in alphabetical order." in page


def test_it_names_no_member_and_no_person(app, cast, as_user):
    with db.connection_context():
        _busy_team("Noord", cast.coach_a)
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    for word in ("Anna", "Bram", "Els", "Ria", "Mies", "Truus", "Henk", "Jo Klein", "tablet"):
        assert word not in page, word


def test_reading_it_writes_nothing(app, cast, as_user):
    with db.connection_context():
        _busy_team("Noord", cast.coach_a)
        before = (AuditEvent.select().count(), [t.changed for t in Team.select().order_by(Team.id)])
    client = as_user(cast.coach_a)
    assert client.get("/coach/").status_code == 200
    with db.connection_context():
        after = (AuditEvent.select().count(), [t.changed for t in Team.select().order_by(Team.id)])
    assert after == before


def _queries_for(app, cast, as_user, teams: int) -> int:
    with db.connection_context():
        for n in range(teams - 1):  # and Team A
            _busy_team(f"Team {n:02d}", cast.coach_a)
    client = as_user(cast.coach_a)
    client.get("/coach/")
    with app.app_context():  # rendered afresh, as after one of her teams changed
        pages().clear()
    with count_queries() as queries:
        response = client.get("/coach/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('<tr id="team-') == teams
    with count_queries() as kept:
        assert _untokened(client.get("/coach/").get_data(as_text=True)) == _untokened(page)
    return len(queries), len(kept)


@pytest.mark.parametrize("teams", [2, 10])
def test_the_query_count_does_not_grow_with_the_teams(app, cast, as_user, teams):
    # However many teams she has.
    assert _queries_for(app, cast, as_user, teams) == (QUERIES, QUERIES_KEPT)


# The account, her teams' change stamps, her teams with their figures, what they
# asked of her, and the meetings they invited her to; when none of her teams changed
# since, the account and the stamps.
QUERIES = 5
QUERIES_KEPT = 2


def test_her_page_is_rendered_again_once_a_team_changed(app, cast, as_user):
    with db.connection_context():
        team = _busy_team("Noord", cast.coach_a)
    client = as_user(cast.coach_a)
    assert "1 of 40" in _row(client.get("/coach/").get_data(as_text=True), team)
    with db.connection_context():
        member = User.get(User.team == team)
        Client.open(team, by=member, name="Wim Noord", phone="06-2")
    assert "2 of 40" in _row(client.get("/coach/").get_data(as_text=True), team)
    # A team that links her later is on it at once.
    with db.connection_context():
        later = _busy_team("Aalsmeer", cast.coach_a)
    assert f'<tr id="team-{later.id}"' in client.get("/coach/").get_data(as_text=True)


def test_a_coach_without_teams_is_told_how_a_team_links_her(app, cast, as_user):
    page = as_user(cast.coach_x).get("/coach/").get_data(as_text=True)
    assert "No team has linked you yet." in page
