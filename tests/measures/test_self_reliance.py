"""Who does what, counted: one person's shares each day they were rated, and the
caseload's per month, on people made by hand. "Today" is 15 June 2026, so the twelve
months are July 2025 to June 2026; every expected figure was counted by hand from
the rows the test writes."""

import datetime as dt
import re

from conftest import count_queries
from flask_babel import force_locale

from teamcase.measures.selfreliance import caseload_self_reliance, person_self_reliance
from teamcase.measures.shares import figure
from teamcase.models import Client, SelfReliance

TODAY = dt.date(2026, 6, 15)


def _person(team, by, name, started=dt.date(2025, 6, 1), closed=None):
    person = Client.open(team, by=by, name=name, phone="06-1")
    Client.update(
        care_started_at=dt.datetime.combine(started, dt.time(9)),
        closed_at=dt.datetime.combine(closed, dt.time(10)) if closed else None,
        status=Client.CLOSED if closed else Client.ACTIVE,
    ).where(Client.id == person.id).execute()
    return person


def _counts(point):
    return (point.counts["person"], point.counts["network"], point.counts["professionals"])


def _clear(cast):
    SelfReliance.delete().execute()  # the cast's two, dated by the real clock


def test_a_persons_shares_are_every_area_as_last_rated_that_day(app, cast):
    _clear(cast)
    riet = _person(cast.team_a, cast.a1, "Riet")
    SelfReliance.rate(
        riet,
        cast.a1,
        dt.date(2026, 1, 10),
        {"housing": "person", "money": "professionals", "daily": "professionals"},
    )
    # Two months on her daughter does the money; daily activities not rated again.
    SelfReliance.rate(riet, cast.a1, dt.date(2026, 3, 10), {"money": "network"})
    # Rated twice on one day: the later one counts.
    SelfReliance.rate(riet, cast.a1, dt.date(2026, 5, 2), {"health": "professionals"})
    SelfReliance.rate(riet, cast.a1, dt.date(2026, 5, 2), {"health": "network"})

    found = person_self_reliance(riet)
    assert [p.day for p in found.points] == [
        dt.date(2026, 1, 10),
        dt.date(2026, 3, 10),
        dt.date(2026, 5, 2),
    ]
    assert [_counts(p) for p in found.points] == [(1, 0, 2), (1, 1, 1), (1, 2, 1)]
    latest = {area: (rating.who if rating else None) for area, _label, rating in found.latest}
    assert latest == {
        "housing": "person",
        "money": "network",
        "daily": "professionals",
        "health": "network",
        "social": None,
        "days": None,
    }
    history = {area: [r.who for r in rows] for area, _label, rows in found.history}
    assert history["money"] == ["professionals", "network"]
    assert history["health"] == ["professionals", "network"]
    assert "social" not in history


def test_an_area_no_longer_listed_still_reads_by_its_own_name(app, cast):
    _clear(cast)
    riet = _person(cast.team_a, cast.a1, "Riet")
    SelfReliance.create(client=riet, area="transport", who="network", rated_on=TODAY)
    found = person_self_reliance(riet)
    assert ("transport", "transport") in [(a, label) for a, label, _r in found.latest]
    assert _counts(found.points[0]) == (0, 1, 0)


def test_the_caseloads_shares_per_month_count_the_people_in_care_then(app, cast):
    _clear(cast)
    a = _person(cast.team_a, cast.a1, "A")
    b = _person(cast.team_a, cast.a1, "B", started=dt.date(2026, 2, 1))
    c = _person(cast.team_a, cast.a1, "C", closed=dt.date(2026, 4, 20))
    other = _person(cast.team_b, cast.b1, "Team B's")
    SelfReliance.rate(
        a, cast.a1, dt.date(2025, 9, 5), {"housing": "professionals", "money": "network"}
    )
    SelfReliance.rate(a, cast.a1, dt.date(2026, 3, 31), {"housing": "network"})
    SelfReliance.rate(
        b, cast.a1, dt.date(2026, 2, 3), {"daily": "person", "health": "professionals"}
    )
    SelfReliance.rate(c, cast.a1, dt.date(2025, 11, 12), {"days": "person"})
    SelfReliance.rate(other, cast.b1, dt.date(2025, 10, 1), {"days": "network"})

    found = caseload_self_reliance(cast.team_a, TODAY)
    assert [p.day for p in found.points][0] == dt.date(2025, 7, 1)
    assert [p.day for p in found.points][-1] == dt.date(2026, 6, 1)
    by_month = {p.day.strftime("%Y-%m"): _counts(p) for p in found.points}
    # (person, network, professionals), as counted by hand.
    assert by_month == {
        "2025-07": (0, 0, 0),
        "2025-08": (0, 0, 0),
        "2025-09": (0, 1, 1),  # A
        "2025-10": (0, 1, 1),
        "2025-11": (1, 1, 1),  # and C
        "2025-12": (1, 1, 1),
        "2026-01": (1, 1, 1),
        "2026-02": (2, 1, 2),  # and B
        "2026-03": (2, 2, 1),  # A's housing moved to the network on the 31st
        "2026-04": (1, 2, 1),  # C's case closed
        "2026-05": (1, 2, 1),
        "2026-06": (1, 2, 1),
    }
    assert found.points[-1].share("network") == 0.5


def test_the_chart_table_says_what_the_figures_are_and_the_bars_stack_to_the_whole(app, cast):
    _clear(cast)
    riet = _person(cast.team_a, cast.a1, "Riet")
    SelfReliance.rate(
        riet, cast.a1, dt.date(2026, 1, 10), {"housing": "person", "money": "professionals"}
    )
    SelfReliance.rate(
        riet, cast.a1, dt.date(2026, 3, 10), {"money": "network", "health": "network"}
    )
    points = person_self_reliance(riet).points
    with app.test_request_context(), force_locale("en"):
        fig = figure(points, ["10 Jan", "10 Mar"])
    assert [
        (row.label, [(c.count, c.share) for c in row.cells], row.total) for row in fig.rows
    ] == [
        ("10 Jan", [(1, "50%"), (0, "0%"), (1, "50%")], 2),
        ("10 Mar", [(1, "33%"), (2, "67%"), (0, "0%")], 3),
    ]
    # Each bar is as tall as the plot, its shares from the person up.
    for label_x in {block.x for block in fig.blocks}:
        bar = [b for b in fig.blocks if b.x == label_x]
        assert round(sum(b.height for b in bar), 6) == 280 - 16
        assert [b.who for b in bar] == sorted(
            (b.who for b in bar), key=list(SelfReliance.WHO).index
        )
    assert [b.fill for b in fig.blocks if b.who == "network"] == ["hatched"]
    assert "At first: Themselves 50%, Their network 0%, Professionals 50%." in fig.description
    with app.test_request_context(), force_locale("nl"):
        dutch = figure(points, ["10 jan", "10 mrt"])
    assert dutch.rows[1].cells[1].share == "67%"
    assert "Eerst: Zelf 50%" in dutch.description


def test_the_page_draws_what_the_table_says(app, cast, as_user):
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    section = re.search(r'<section id="selfreliance".*?</section>', page, re.S).group(0)
    # The cast: housing by the person, money by the network, ten days ago.
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", section, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    assert cells == ["1 (50%)", "1 (50%)", "0 (0%)", "2"]
    assert len(re.findall(r'<rect class="share share-(\w+)"', section)) == 2
    assert re.findall(r'<rect class="share share-(\w+)"', section) == ["person", "network"]
    # Ink, grey and a hatching: no colour says good or bad.
    fills = set(re.findall(r'fill="(#[0-9a-f]{3,6})"', section))
    assert fills <= {"#1d2a33", "#4d5b66", "#dde2e6", "#fff"}


def test_the_figures_take_one_query_however_long_the_history(app, cast, as_user):
    people = [_person(cast.team_a, cast.a1, f"P{i}") for i in range(5)]
    with count_queries() as few:
        caseload_self_reliance(cast.team_a, TODAY)
    with count_queries() as few_person:
        person_self_reliance(people[0])
    start = dt.date(2024, 1, 1)
    SelfReliance.insert_many(
        [
            {
                "client": person,
                "area": area,
                "who": list(SelfReliance.WHO)[(i + k) % 3],
                "rated_on": start + dt.timedelta(days=20 * i),
            }
            for person in people
            for i in range(40)
            for k, area in enumerate(SelfReliance.AREAS)
        ]
    ).execute()
    with count_queries() as many:
        found = caseload_self_reliance(cast.team_a, TODAY)
    with count_queries() as many_person:
        person = person_self_reliance(people[0])
    assert len(few) == len(many) == 1
    assert len(few_person) == len(many_person) == 1
    # The cast's two are rated after this test's today: not counted yet.
    assert len(found.points) == 12 and found.points[-1].total == 5 * 6
    assert len(person.points) == 40

    # The whole page of How we are doing too, rendered afresh: its count does not
    # grow with them.
    app.config["PAGE_CACHE_SIZE"] = 0
    client = as_user(cast.a1)
    client.get("/measures/")
    with count_queries() as page:
        assert client.get("/measures/").status_code == 200
    SelfReliance.insert_many(
        [
            {"client": people[1], "area": "housing", "who": "person", "rated_on": TODAY}
            for _ in range(200)
        ]
    ).execute()
    with count_queries() as page_later:
        assert client.get("/measures/").status_code == 200
    assert len(page) == len(page_later)
