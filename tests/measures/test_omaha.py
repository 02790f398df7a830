"""The Omaha System across the caseload (How we are doing), on people made by hand:
per problem open for people in care now, how many have it and the average change
from the first rating to the newest of those rated more than once. Every expected
figure was counted by hand from the rows the test writes."""

import datetime as dt
import re

from conftest import count_queries

from teamcase.measures.omaha import caseload_omaha, person_omaha
from teamcase.models import Client, OmahaProblem

DAY = dt.date(2026, 3, 1)


def _person(cast, name):
    return Client.open(cast.team_a, by=cast.a1, name=name, phone="06-1")


def _rated(person, by, code, *ratings):
    problem = OmahaProblem.add(person, by, code, DAY)
    for n, (k, b, s) in enumerate(ratings):
        day = DAY + dt.timedelta(days=30 * n)
        assert problem.rate(by, n, day, knowledge=k, behaviour=b, status=s)
    return problem


def test_per_problem_the_people_and_the_average_change_since_the_first_rating(app, cast):
    riet, joop, ans, closed = (_person(cast, n) for n in ("Riet", "Joop", "Ans", "Gesloten"))
    # Nutrition: Riet 2,2,3 → 3,4,4 (+1 +2 +1); Joop 3,3,3 → 2,3,5 (−1 0 +2), over three
    # ratings; Ans has it but is rated once, so she counts as a person, not in the change.
    _rated(riet, cast.a1, "35", (2, 2, 3), (3, 4, 4))
    _rated(joop, cast.a2, "35", (3, 3, 3), (1, 1, 1), (2, 3, 5))
    _rated(ans, cast.a1, "35", (4, 4, 4))
    # Pain for Riet, never rated; an ended problem and a closed case count nowhere.
    OmahaProblem.add(riet, cast.a1, "22", DAY)
    ended = _rated(ans, cast.a1, "24", (1, 1, 1), (5, 5, 5))
    assert ended.end(cast.a1, ended.version, DAY + dt.timedelta(days=40))
    _rated(closed, cast.a1, "36", (1, 1, 1), (5, 5, 5))
    Client.update(status=Client.CLOSED).where(Client.id == closed.id).execute()

    with count_queries() as queries:
        found = caseload_omaha(cast.team_a)
    assert len(queries) == 1
    # In the System's order: Pain (22), Nutrition (35), Physical activity (37, the cast's).
    assert [(row.code, row.people, row.rated_again) for row in found] == [
        ("22", 1, 0),
        ("35", 3, 2),
        ("37", 1, 0),
    ]
    nutrition = found[1]
    assert nutrition.name == "Nutrition"
    assert nutrition.change == {"knowledge": 0.0, "behaviour": 1.0, "status": 1.5}
    assert found[0].change == {"knowledge": None, "behaviour": None, "status": None}


def test_how_we_are_doing_shows_the_table_with_team_totals_only(app, cast, as_user):
    riet = _person(cast, "Riet Vermeulen")
    _rated(riet, cast.a1, "35", (2, 2, 3), (3, 4, 4))
    page = as_user(cast.a1).get("/measures/").data.decode()
    table = re.search(r'<table class="omaha-caseload">.*?</table>', page, re.S).group(0)
    row = re.search(r"Nutrition.*?</tr>", table, re.S).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1", "1", "+1.0", "+2.0", "+1.0"]
    assert "Riet" not in page and "Mies" not in page
    assert "Martin KS (2005)" in page


def test_a_persons_problems_are_grouped_by_domain_with_three_queries(app, cast):
    riet = _person(cast, "Riet")
    _rated(riet, cast.a1, "35", (2, 2, 3), (3, 4, 4))
    _rated(riet, cast.a1, "01", (1, 1, 1))
    OmahaProblem.add(riet, cast.a1, "22", DAY)
    with count_queries() as queries:
        found = person_omaha(riet)
    assert len(queries) == 3
    assert [(d.code, [r.problem.code for r in rows]) for d, rows in found.domains] == [
        ("environmental", ["01"]),
        ("physiological", ["22"]),
        ("behaviours", ["35"]),
    ]
    nutrition = found.domains[2][1][0]
    assert nutrition.series("behaviour") == [2, 4]
    assert nutrition.latest.status == 4 and nutrition.newest_number == 2
    assert found.taken == {"01", "22", "35"}
