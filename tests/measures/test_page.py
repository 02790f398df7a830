"""How we are doing: the team's charts, each downloadable, each a place to start an
experiment from; read from the weekly table only, however long the history."""

import csv
import datetime as dt
import io
import random
import re

from conftest import count_queries

from teamcase.db import db
from teamcase.measures.weekly import MEASURES, weeks
from teamcase.models import Client, Contact, Experiment, WeekFigure
from teamcase.models.base import utcnow


def _history(cast, days, seed=1):
    """A contact about every other day for `days` days, a fifth of them failure demand."""
    rng = random.Random(seed)
    now = utcnow()
    with db.connection_context():
        for n in range(0, days, 2):
            incoming = rng.random() < 0.5
            Contact.record(
                cast.person_a,
                by=rng.choice([cast.a1, cast.a2]),
                happened_at=now - dt.timedelta(days=days - n, hours=rng.randrange(8)),
                minutes=rng.randrange(10, 60),
                kind="phone",
                incoming=incoming,
                demand=("failure" if rng.random() < 0.2 else "value") if incoming else "",
                demand_why=rng.choice(["GP phone line", "Late visit"]) if incoming else "",
                resolved_first_time=rng.random() < 0.7 if incoming else None,
            )


def test_the_page_shows_every_measure_with_its_definition(app, cast, as_user):
    _history(cast, 120)
    page = as_user(cast.a1).get("/measures/").get_data(as_text=True)
    assert "<h1>How we are doing</h1>" in page
    for measure in MEASURES:
        assert f'id="chart-{measure.code}"' in page
        assert str(measure.definition).replace("’", "&rsquo;")[:30] in page or (
            str(measure.definition)[:30] in page
        )
        assert f"/measures/{measure.code}.csv" in page
        assert f"/learning/experiments/new?measure={measure.code}" in page
    assert "GP phone line" in page  # failure demand by cause
    assert "Outcomes per month" in page
    # The team's own figures only, and no targets.
    assert "Team B" not in page
    # Ink and greys only: no red, amber or green anywhere in the charts.
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', page))
    assert colours <= {"#fff", "#1d2a33", "#4d5b66", "#dde2e6"}, colours


def test_a_series_downloads_week_by_week(app, cast, as_user):
    _history(cast, 60)
    response = as_user(cast.a1).get("/measures/care_hours.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["week", "value", "sum", "count"]
    assert len(rows) == 53
    assert [r[0] for r in rows[1:]] == [w.isoformat() for w in weeks()]
    assert sum(float(r[2]) for r in rows[1:]) > 0
    causes = as_user(cast.a1).get("/measures/causes.csv").get_data(as_text=True)
    assert "GP phone line" in causes.splitlines()[0]
    assert as_user(cast.a1).get("/measures/nothing.csv").status_code == 404


def test_an_experiment_started_from_a_chart_marks_a_change_on_it(app, cast, as_user):
    _history(cast, 100)
    client = as_user(cast.a1)
    form = client.get("/learning/experiments/new?measure=failure").get_data(as_text=True)
    assert 'name="measure" type="hidden" value="failure"' in form
    assert "Failure demand" in form
    started = dt.date.today() - dt.timedelta(days=21)
    response = client.post(
        "/learning/experiments/new?measure=failure",
        data={
            "measure": "failure",
            "title": "We call the GP practice back the same day",
            "why": "Fewer people chasing us",
            "how_we_know": "The failure demand chart",
            "started_on": started.isoformat(),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/measures/#measure-failure")
    with db.connection_context():
        experiment = Experiment.get(Experiment.title.startswith("We call"))
    assert experiment.measure == "failure"
    assert experiment.week == started - dt.timedelta(days=started.weekday())
    page = client.get("/measures/").get_data(as_text=True)
    chart = page[page.index('id="chart-failure"') : page.index('id="chart-value"')]
    assert "We call the GP practice back the same day" in chart
    other = page[page.index('id="chart-value"') : page.index('id="chart-resolved"')]
    assert "We call the GP practice" not in other
    # A made-up measure is no measure.
    client.post(
        "/learning/experiments/new",
        data={
            "measure": "league_table",
            "title": "Something",
            "why": "w",
            "how_we_know": "h",
            "started_on": started.isoformat(),
        },
    )
    with db.connection_context():
        assert Experiment.get(Experiment.title == "Something").measure == ""


def test_the_page_reads_the_same_number_of_queries_for_one_year_or_two(app, cast, as_user):
    app.config["PAGE_CACHE_SIZE"] = 0  # the page rendered afresh (tests/test_pagecache.py)
    client = as_user(cast.a1)
    _history(cast, 365)
    with count_queries() as one_year:
        assert client.get("/measures/").status_code == 200
    with db.connection_context():
        rows = WeekFigure.select().count()
    _history(cast, 730, seed=2)
    with count_queries() as two_years:
        assert client.get("/measures/").status_code == 200
    with db.connection_context():
        assert WeekFigure.select().count() > rows
    # The account, its team; the experiments from a chart, the names of causes, the
    # table's stamp, its rows and the carried-over people in care; goals,
    # admissions, networks; who does what and the Omaha System (team A keeps both);
    # what waits in the team.
    assert len(one_year) == len(two_years), two_years
    assert len(two_years) == 13, two_years
    # Opened again with nothing changed: the charts as drawn, without their rows.
    with count_queries() as again:
        page = client.get("/measures/").get_data(as_text=True)
    assert len(again) == len(two_years) - 2, again
    assert 'id="chart-failure"' in page


def test_people_in_care_carry_on_through_quiet_weeks(app, cast, as_user):
    with db.connection_context():
        Client.update(care_started_at=utcnow() - dt.timedelta(days=200)).execute()
        WeekFigure.rebuild(cast.team_a)
    rows = list(csv.reader(io.StringIO(as_user(cast.a1).get("/measures/in_care.csv").text)))
    values = [r[1] for r in rows[1:]]
    assert values[-1] == "1"
    assert values[0] == ""  # before she came in care
    assert values[30:] == ["1"] * 22


def test_the_contact_form_offers_the_teams_own_causes(app, cast, as_user):
    with db.connection_context():
        for why in ("GP phone line", "Late visit"):
            Contact.record(
                cast.person_a,
                by=cast.a1,
                happened_at=utcnow(),
                minutes=5,
                kind="phone",
                incoming=True,
                demand="failure",
                demand_why=why,
            )
    client = as_user(cast.a1)
    form = client.get(f"/people/{cast.person_a.id}/contacts/new").get_data(as_text=True)
    assert 'list="demand_why-causes"' in form
    assert 'hx-get="/measures/causes"' in form
    options = client.get("/measures/causes").get_data(as_text=True)
    assert options.index('"GP phone line"') < options.index('"Late visit"')
    # Another team's causes are its own.
    assert "GP phone line" not in as_user(cast.b1).get("/measures/causes").get_data(as_text=True)


def test_the_team_merges_two_causes_on_the_page(app, cast, as_user):
    with db.connection_context():
        for why in ("GP phone line", "GP phone line", "huisarts telefoon", "Late visit"):
            Contact.record(
                cast.person_a,
                by=cast.a1,
                happened_at=utcnow(),
                minutes=5,
                kind="phone",
                incoming=True,
                demand="failure",
                demand_why=why,
            )
    client = as_user(cast.a1)
    response = client.post(
        "/measures/causes/rename",
        data={"words": "huisarts telefoon", "counted_as": "GP phone line"},
    )
    assert response.status_code == 303
    page = client.get("/measures/").get_data(as_text=True)
    causes = page[page.index('id="causes"') :]
    row = causes[
        causes.index("GP phone line") : causes.index("</tr>", causes.index("GP phone line"))
    ]
    assert "as written: GP phone line; huisarts telefoon" in row
    assert '<td class="num">3</td>' in row
    # The contacts keep what was written.
    with db.connection_context():
        assert Contact.select().where(Contact.demand_why == "huisarts telefoon").count() == 1
    options = client.get("/measures/causes").get_data(as_text=True)
    assert "huisarts telefoon" not in options and "GP phone line" in options
    # Mistakes: said next to the field, what was typed kept.
    bad = client.post("/measures/causes/rename", data={"words": "nothing", "counted_as": "x" * 201})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Choose one of our causes." in text
    assert "Keep it to 200 characters or fewer." in text


def test_the_demo_teams_weekly_table_is_what_a_rebuild_counts(app, demo_team):
    from conftest import login

    from teamcase.demo import DEMO_PASSWORD
    from teamcase.models import User

    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        team = anna.team

        def table():
            return sorted(
                (r.week, r.measure, round(r.total, 3), r.count)
                for r in WeekFigure.select().where(WeekFigure.team == team)
            )

        kept = table()
        WeekFigure.rebuild(team)
        assert kept == table()
    measures = {m for _, m, _, _ in kept}
    assert {"failure", "value", "first_visit", "time_in_care", "continuity", "in_care"} <= measures
    client = app.test_client()
    login(client, anna, DEMO_PASSWORD)
    assert client.get("/measures/").status_code == 200
