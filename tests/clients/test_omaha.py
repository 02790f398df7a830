"""The Omaha System on the person's page, for a team that uses it. Team A of the
cast uses it: person A has Physical activity (37) since ten days ago, rated once
then (K2 B2 S3), helped by her strength "Still cooks"; team B does not use it."""

import datetime as dt
import json

import pytest

from teamcase.dates import local_today
from teamcase.models import (
    AuditEvent,
    OmahaProblem,
    OmahaRating,
    OmahaStrength,
    Strength,
)

HTMX = {"HX-Request": "true"}
TEN_DAYS_AGO = dt.date.today() - dt.timedelta(days=10)


# The model's verbs.


def test_a_problem_is_on_a_persons_list_once(app, cast):
    assert OmahaProblem.add(cast.person_a, cast.a2, "37") is None
    pain = OmahaProblem.add(cast.person_a, cast.a2, "22", local_today())
    assert (pain.code, pain.added_by_id, pain.ended_on) == ("22", cast.a2.id, None)
    assert pain.name == "Pain" and pain.domain == "physiological"
    with pytest.raises(ValueError):
        OmahaProblem.add(cast.person_a, cast.a2, "43")
    event = AuditEvent.get(AuditEvent.entity == "omaha_problem", AuditEvent.entity_id == pain.id)
    assert json.loads(event.changes)["after"]["code"] == "22"


def test_a_new_rating_is_a_new_row_and_two_at_once_are_a_conflict(app, cast):
    problem = OmahaProblem.get_by_id(cast.omaha_a.id)
    second = problem.rate(cast.a1, 1, local_today(), knowledge=3, behaviour=3, status=4)
    assert second.number == 2
    # Bram saw only the first rating: his is refused, not added beside Anna's unseen.
    assert problem.rate(cast.a2, 1, local_today(), knowledge=4, behaviour=4, status=4) is None
    assert problem.rate(cast.a2, 2**40, local_today(), knowledge=4, behaviour=4, status=4) is None
    rows = list(
        OmahaRating.select().where(OmahaRating.problem == problem).order_by(OmahaRating.number)
    )
    assert [(r.knowledge, r.behaviour, r.status, r.rated_by_id) for r in rows] == [
        (2, 2, 3, cast.a1.id),
        (3, 3, 4, cast.a1.id),
    ]
    assert rows[0].rated_on == TEN_DAYS_AGO, "the first one is as it was"
    for wrong in ({"knowledge": 0, "behaviour": 3, "status": 3}, {"knowledge": 3, "behaviour": 3}):
        with pytest.raises(ValueError):
            problem.rate(cast.a1, 2, local_today(), **wrong)


def test_ending_and_taking_up_again_go_over_the_version_read(app, cast):
    problem = OmahaProblem.get_by_id(cast.omaha_a.id)
    version = problem.version
    assert problem.end(cast.a1, version, local_today())
    assert not OmahaProblem.get_by_id(problem.id).take_up_again(cast.a2, version)
    fresh = OmahaProblem.get_by_id(problem.id)
    assert fresh.ended_on == local_today()
    assert fresh.take_up_again(cast.a2, fresh.version)
    assert OmahaProblem.get_by_id(problem.id).ended_on is None


def test_only_the_persons_own_strengths_are_linked(app, cast):
    problem = OmahaProblem.get_by_id(cast.omaha_a.id)
    theirs = Strength.add(cast.person_a, cast.a1, category="relationships", text="Daughter nearby")
    others = Strength.add(cast.person_b, cast.b1, category="skills", text="Fixes bikes")
    assert problem.link_strengths(cast.a1, problem.version, [theirs.id, others.id])
    assert [s.text for s in problem.strengths()] == ["Daughter nearby"]
    assert not problem.link_strengths(cast.a2, problem.version - 1, [])
    event = (
        AuditEvent.select()
        .where(AuditEvent.entity == "omaha_problem", AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert json.loads(event.changes) == {
        "before": {"strengths": "Still cooks"},
        "after": {"strengths": "Daughter nearby"},
    }
    # A strength removed from the record leaves the problem with it.
    theirs.remove(cast.a1)
    assert OmahaStrength.select().where(OmahaStrength.problem == problem).count() == 0
