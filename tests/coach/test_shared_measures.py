"""The measures a team shares with its coach: chosen by a member in the team's
details (at most three, in the team's log), drawn small in the team's row of the
coach's page, and in full on the team's read-only How we are doing. Team totals
only: no target line, no colour for good or bad, no ranking, no person's name."""

import datetime as dt
import re

import pytest
from conftest import PASSWORD_HASH, count_queries

from teamcase.coach import views as coach_views
from teamcase.db import db
from teamcase.measures import weekly
from teamcase.models import AuditEvent, CoachLink, Experiment, Team, User, WeekFigure
from teamcase.pagecache import pages

INK = {"#fff", "#1d2a33", "#4d5b66", "#dde2e6"}


@pytest.fixture(autouse=True)
def _nothing_drawn_yet():
    # Each test starts as a worker that has drawn nothing.
    coach_views._DRAWN.clear()
    yield
    coach_views._DRAWN.clear()


def _untokened(page: str) -> str:
    """The page without its CSRF token, which is signed anew each second."""
    return re.sub(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}", "token", page)


def _details(**overrides):
    data = {
        "name": "Team A",
        "area": "Oost",
        "capacity": "60",
        "uses_self_reliance": "y",
        "version": "1",
    }
    data.update(overrides)
    return data


def _weeks(team, measure, values, count=1):
    """Rows of the weekly table for the last len(values) weeks, oldest first."""
    for week, value in zip(weeks := weekly.weeks()[-len(values) :], values, strict=True):
        WeekFigure.create(team=team, week=week, measure=measure, total=value, count=count)
    return weeks


# 51 calm weeks of failure demand and one of 15 this week: a value beyond the limit.
CALM_THEN_SPIKE = [3, 4, 2, 3, 5, 3, 4, 3, 2, 4, 3, 4] * 4 + [3, 4, 3, 15]


def _sharing(team, *codes):
    Team.update(coach_measures=",".join(codes)).where(Team.id == team.id).execute()


def _charts_row(page, team) -> str:
    found = re.search(
        rf'<tr id="team-{team.id}"[^>]*>.*?</tr>\s*<tr class="coach-charts-row"[^>]*>(.*?)</tr>',
        page,
        re.S,
    )
    assert found, f"no charts row for {team.name}"
    return found.group(1)


# Choosing them, in the team's details.


def test_a_member_shares_two_measures_and_the_log_says_which(app, cast, as_user):
    client = as_user(cast.a1)
    page = client.get("/team/details").get_data(as_text=True)
    assert "Measures we share with our coach" in page
    assert page.count('name="coach_measures"') == len(weekly.MEASURES)
    # Ticked in another order than the page's: kept in the page's.
    response = client.post("/team/details", data=_details(coach_measures=["in_care", "failure"]))
    assert response.status_code == 303
    with db.connection_context():
        team = Team.get_by_id(cast.team_a.id)
        assert team.coach_measures == "failure,in_care"
        assert team.shared_measures == ["failure", "in_care"]
        event = (
            AuditEvent.select()
            .where(AuditEvent.entity == "team", AuditEvent.action == "update")
            .order_by(AuditEvent.id.desc())
            .first()
        )
        assert event.actor_id == cast.a1.id and event.team_id == cast.team_a.id
    log = client.get("/team/").get_data(as_text=True)
    assert "Measures we share with our coach: — → Failure demand, People in care" in log
    # Ticked again on the form.
    page = client.get("/team/details").get_data(as_text=True)
    assert re.search(r'value="failure"[^>]*checked|checked[^>]*value="failure"', page)
    assert not re.search(r'value="value"[^>]*checked|checked[^>]*value="value"', page)


def test_more_than_three_is_sent_back_with_the_ticks_kept(app, cast, as_user):
    four = ["failure", "value", "first_visit", "in_care"]
    response = as_user(cast.a1).post("/team/details", data=_details(coach_measures=four))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="coach_measures-error">([^<]+)</p>', page)
    assert error and "at most 3 measures" in error.group(1) and "you ticked 4" in error.group(1)
    for code in four:
        assert re.search(rf'value="{code}"[^>]*checked|checked[^>]*value="{code}"', page), code
    with db.connection_context():
        assert Team.get_by_id(cast.team_a.id).coach_measures == ""


def test_a_measure_that_does_not_exist_is_refused(app, cast, as_user):
    response = as_user(cast.a1).post("/team/details", data=_details(coach_measures=["targets"]))
    assert response.status_code == 400
    with db.connection_context():
        assert Team.get_by_id(cast.team_a.id).coach_measures == ""


def test_a_colleague_s_choice_meanwhile_is_not_overwritten(app, cast, as_user):
    with db.connection_context():
        team = Team.get_by_id(cast.team_a.id)
        assert team.update_details(cast.a2, team.version, coach_measures="value")
    response = as_user(cast.a1).post(
        "/team/details", data=_details(coach_measures=["failure"], version="1")
    )
    assert response.status_code == 409
    with db.connection_context():
        assert Team.get_by_id(cast.team_a.id).coach_measures == "value"


def test_a_coach_cannot_choose_for_the_team(app, cast, as_user):
    response = as_user(cast.coach_a).post("/team/details", data=_details(coach_measures=["value"]))
    assert response.status_code == 403
    with db.connection_context():
        assert Team.get_by_id(cast.team_a.id).coach_measures == ""


def test_how_we_are_doing_says_what_the_team_shares(app, cast, as_user):
    client = as_user(cast.a1)
    page = client.get("/measures/").get_data(as_text=True)
    assert "We share none of these with our coach." in page
    assert page.count('class="measure-shared-tag"') == 0
    with db.connection_context():
        _sharing(cast.team_a, "failure", "first_visit")
    page = client.get("/measures/").get_data(as_text=True)
    assert "We share with our coach: Failure demand, Days to a first visit." in page
    assert page.count('class="measure-shared-tag"') == 2
    assert 'href="/team/details#coach-measures"' in page


# The coach's page.


def test_her_page_draws_the_shared_measures_small_in_the_team_s_row(app, cast, as_user):
    with db.connection_context():
        _weeks(cast.team_a, "failure", CALM_THEN_SPIKE)
        _weeks(cast.team_a, "value", [10] * 52)
        _sharing(cast.team_a, "failure", "in_care")
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    row = _charts_row(page, cast.team_a)
    figures = re.findall(r'<figure class="xmr-small" id="team-(\d+)-(\w+)"', row)
    assert figures == [(str(cast.team_a.id), "failure"), (str(cast.team_a.id), "in_care")]
    assert "Value demand" not in row
    # The picture says itself in words for a screen reader; the signal in a sentence.
    desc = re.search(rf'<desc id="team-{cast.team_a.id}-failure-desc">([^<]+)</desc>', row)
    assert desc and "Centre line" in desc.group(1) and "1 signal" in desc.group(1)
    assert 'role="img"' in row
    this_week = weekly.labels(weekly.weeks())[-1]
    assert f"Signal 1, {this_week}: a value above the upper limit." in row
    assert 'class="xmr-mark xmr-beyond"' in row
    # Ink and grey only, no target, nothing that ranks or compares.
    assert set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', row)) <= INK
    for word in ("target", "norm", "rank", "better", "worse", "average of the teams"):
        assert word not in row.lower(), word
    # And the way to the team's read-only How we are doing.
    assert f'href="/measures/teams/{cast.team_a.id}"' in page


def test_a_team_that_shares_nothing_says_where_it_would_choose(app, cast, as_user):
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    row = _charts_row(page, cast.team_a)
    assert "Shares no measures with you yet" in row
    assert "<svg" not in row


def test_the_charts_follow_the_team_s_figures(app, cast, as_user):
    with db.connection_context():
        _sharing(cast.team_a, "failure")
        weeks = _weeks(cast.team_a, "failure", CALM_THEN_SPIKE[:-1] + [4])
    client = as_user(cast.coach_a)
    before = _charts_row(client.get("/coach/").get_data(as_text=True), cast.team_a)
    assert "xmr-beyond" not in before
    with db.connection_context():
        # This week's figure moves on (the team's data changed: its stamp too).
        WeekFigure.delete().where(WeekFigure.week == weeks[-1]).execute()
        WeekFigure.create(team=cast.team_a, week=weeks[-1], measure="failure", total=15, count=15)
    after = _charts_row(client.get("/coach/").get_data(as_text=True), cast.team_a)
    assert "xmr-beyond" in after and "a value above the upper limit" in after


def test_the_team_s_experiment_shows_as_new_limits_without_its_words(app, cast, as_user):
    with db.connection_context():
        _sharing(cast.team_a, "failure")
        weeks = _weeks(cast.team_a, "failure", CALM_THEN_SPIKE)
        Experiment.add(
            cast.team_a,
            cast.a1,
            title="Mies Bakker gets a call before each visit",
            measure="failure",
            started_on=weeks[30],
        )
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    row = _charts_row(page, cast.team_a)
    assert "new limits: an experiment of the team" in row
    assert "Mies" not in page and "Bakker" not in page


def _linked_teams(coach, count):
    """`count` more teams linked to `coach`, each sharing three measures with a year
    of figures and an experiment on one of them."""
    for n in range(count):
        team = Team.create(name=f"Team {n:02d}", coach_measures="failure,care_hours,in_care")
        member = User.create(
            email=f"m{n}@t.example.org",
            name=f"Member {n}",
            role=User.MEMBER,
            team=team,
            password_hash=PASSWORD_HASH,
        )
        CoachLink.create(coach=coach, team=team)
        _weeks(team, "failure", CALM_THEN_SPIKE)
        _weeks(team, "care_minutes", [600 + 10 * (i % 5) for i in range(52)])
        _weeks(team, "in_care", [40 + i % 3 for i in range(52)])
        WeekFigure.create(
            team=team, week=weekly.weeks()[0] - dt.timedelta(days=70), measure="in_care", total=38
        )
        Experiment.add(
            team, member, title="Call first", measure="failure", started_on=weekly.weeks()[20]
        )


def _queries(app, cast, as_user, teams: int) -> tuple[int, int]:
    """The queries of her page drawn afresh, and drawn again."""
    with db.connection_context():
        _sharing(cast.team_a, "failure", "care_hours", "in_care")
        _linked_teams(cast.coach_a, teams - 1)  # and Team A
    client = as_user(cast.coach_a)
    client.get("/")  # her session, loaded once
    coach_views._DRAWN.clear()
    with app.app_context():
        pages().clear()
    with count_queries() as fresh:
        response = client.get("/coach/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('<figure class="xmr-small"') == 3 * teams
    with app.app_context():  # another team changed: the charts of these are kept
        pages().clear()
    with count_queries() as kept:
        assert _untokened(client.get("/coach/").get_data(as_text=True)) == _untokened(page)
    return len(fresh), len(kept)


@pytest.mark.parametrize("teams", [1, 5])
def test_the_query_count_does_not_grow_with_the_teams_that_share(app, cast, as_user, teams):
    assert _queries(app, cast, as_user, teams) == (QUERIES_DRAWING, QUERIES_KEPT)


# The account, her teams' stamps, her teams with their figures, what they asked of
# her and her invitations (tests/coach/test_home.py); drawing adds the people in
# care before the year, the year's weekly rows and the experiments, for all her
# teams at once.
QUERIES_KEPT = 5
QUERIES_DRAWING = QUERIES_KEPT + 3


def test_shared_series_draws_what_the_team_s_own_page_draws(app, cast):
    with db.connection_context():
        _linked_teams(cast.coach_a, 2)
        teams = list(Team.select().where(Team.name.startswith("Team 0")).order_by(Team.name))
        found = weekly.shared_series(teams)
        for team in teams:
            own = weekly.Figures(team)
            assert [s.code for s in found[team.id]] == ["failure", "care_hours", "in_care"]
            for series in found[team.id]:
                assert series.values == own.series(series.code).values
                assert series.chart == own.series(series.code).chart


# The team's read-only How we are doing.


def test_the_coach_reads_the_shared_measures_in_full_and_masked(app, cast, as_user):
    with db.connection_context():
        _sharing(cast.team_a, "failure", "in_care")
        weeks = _weeks(cast.team_a, "failure", CALM_THEN_SPIKE)
        experiment = Experiment.add(
            cast.team_a,
            cast.a1,
            title="Mies Bakker gets a call before each visit",
            measure="failure",
            started_on=weeks[30],
        )
    page = as_user(cast.coach_a).get(f"/measures/teams/{cast.team_a.id}").get_data(as_text=True)
    assert "<h1>Team A: how we are doing</h1>" in page
    assert 'id="chart-failure"' in page and 'id="chart-in_care"' in page
    for code in ("value", "resolved", "first_visit", "time_in_care", "care_hours", "continuity"):
        assert f'id="chart-{code}"' not in page, code
    # Her pages never name the person: the experiment's title through the privacy rule.
    assert "Mies" not in page and "Bakker" not in page and "06-12345678" not in page
    with db.connection_context():
        pseudonym = cast.person_a.pseudonym
    assert f"{pseudonym} gets a call before each visit" in page
    assert f'href="/learning/teams/{cast.team_a.id}#experiment-{experiment.id}"' in page
    # Nothing to download or start: the team's own page has those.
    assert ".csv" not in page and "/learning/experiments/new" not in page
    assert "Outcomes per month" not in page and "Failure demand by cause" not in page
    # No member named.
    assert "Anna" not in page and "Bram" not in page


def test_the_read_only_page_of_a_team_that_shares_nothing(app, cast, as_user):
    page = as_user(cast.coach_a).get(f"/measures/teams/{cast.team_a.id}").get_data(as_text=True)
    assert "The team shares no measures with you yet." in page
    assert "<svg" not in page


def test_a_member_opening_the_link_sees_the_team_s_own_page(app, cast, as_user):
    page = as_user(cast.a1).get(f"/measures/teams/{cast.team_a.id}").get_data(as_text=True)
    assert "<h1>How we are doing</h1>" in page
    assert "/measures/failure.csv" in page


def test_the_coach_of_another_team_and_its_members_get_404(app, cast, as_user):
    assert as_user(cast.coach_x).get(f"/measures/teams/{cast.team_a.id}").status_code == 404
    assert as_user(cast.b1).get(f"/measures/teams/{cast.team_a.id}").status_code == 404
    assert as_user(cast.coach_a).get(f"/measures/teams/{cast.team_b.id}").status_code == 404


def test_reading_them_writes_nothing(app, cast, as_user):
    with db.connection_context():
        _sharing(cast.team_a, "failure")
        _weeks(cast.team_a, "failure", CALM_THEN_SPIKE)
        before = (AuditEvent.select().count(), Team.get_by_id(cast.team_a.id).changed)
    client = as_user(cast.coach_a)
    assert client.get("/coach/").status_code == 200
    assert client.get(f"/measures/teams/{cast.team_a.id}").status_code == 200
    with db.connection_context():
        after = (AuditEvent.select().count(), Team.get_by_id(cast.team_a.id).changed)
    assert after == before


def _read_only_queries(app, cast, as_user, experiments: int) -> int:
    with db.connection_context():
        # People in care come from the cast's own person.
        _sharing(cast.team_a, "failure", "value", "in_care")
        weeks = _weeks(cast.team_a, "failure", CALM_THEN_SPIKE)
        _weeks(cast.team_a, "value", [10, 12] * 26)
        for n in range(experiments):
            Experiment.add(
                cast.team_a, cast.a1, title=f"Try {n}", measure="failure", started_on=weeks[10 + n]
            )
    client = as_user(cast.coach_a)
    client.get("/")
    with count_queries() as queries:
        response = client.get(f"/measures/teams/{cast.team_a.id}")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('<figure class="xmr"') == 3
    return len(queries)


@pytest.mark.parametrize("experiments", [1, 4])
def test_the_read_only_page_costs_the_same_however_many_experiments(
    app, cast, as_user, experiments
):
    assert _read_only_queries(app, cast, as_user, experiments) == READ_ONLY_QUERIES


# The account, her link to the team, the team, the people in care before the year,
# the year's weekly rows, the experiments, and the names the privacy rule masks.
READ_ONLY_QUERIES = 7
