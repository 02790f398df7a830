"""The team invites its coach and ends it, by consent: the link follows the decision."""

import datetime as dt

import pytest

from teamcase.db import db
from teamcase.models import AuditEvent, CoachLink, Decision, DecisionRefused, utcnow


def _linked(cast, coach) -> bool:
    with db.connection_context():
        return (
            CoachLink.select()
            .where(CoachLink.coach == coach, CoachLink.team == cast.team_a)
            .exists()
        )


def test_it_links_the_invited_coach_when_the_team_adopts_the_proposal(app, cast, as_user):
    member, coach = as_user(cast.a1), as_user(cast.coach_x)
    page = member.get("/decisions/coach?change=invite")
    assert page.status_code == 200
    assert "Eva Elders" in page.get_data(as_text=True)
    posted = member.post(
        "/decisions/coach",
        data={"change": "invite", "coach": cast.coach_x.id, "purpose": "A second view"},
    )
    assert posted.status_code == 303
    with db.connection_context():
        decision = Decision.get(Decision.coach == cast.coach_x)
    assert decision.proposal == "Invite Eva Elders as our coach."
    assert decision.coach_change == "invite"
    # Proposed is not decided: she sees nothing of the team yet.
    assert coach.get(f"/decisions/teams/{cast.team_a.id}").status_code == 404
    assert not _linked(cast, cast.coach_x)

    review = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    adopted = member.post(
        f"/decisions/{decision.id}/adopt",
        data={"adopt-version": decision.version, "adopt-review_on": review},
    )
    assert adopted.status_code == 303
    assert _linked(cast, cast.coach_x)
    assert coach.get(f"/decisions/teams/{cast.team_a.id}").status_code == 200
    assert coach.get(f"/board/teams/{cast.team_a.id}").status_code == 200
    with db.connection_context():
        logged = AuditEvent.get(AuditEvent.entity == "coach", AuditEvent.action == "link")
    assert logged.team_id == cast.team_a.id and logged.actor_id == cast.a1.id
    team_page = member.get("/team/").get_data(as_text=True)
    assert "Eva Elders became our coach, by a team decision" in team_page
    assert "Eva Elders coaches our team" in team_page or "coach our team" in team_page


def test_inviting_a_coach_the_team_has_is_refused_next_to_the_field(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/decisions/coach",
        data={"change": "invite", "coach": cast.coach_a.id, "purpose": "Typed purpose"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Dina Coach is already our coach" in body
    assert "Typed purpose" in body
    with db.connection_context():
        assert not Decision.select().where(Decision.coach_change != "").exists()


def test_ending_a_coach_the_team_does_not_have_is_refused(app, cast):
    with db.connection_context(), pytest.raises(DecisionRefused, match="not our coach"):
        Decision.propose(
            cast.team_a, cast.a1, "End it", "Why", coach_change="end", coach=cast.coach_x
        )


def test_a_second_open_proposal_about_the_same_coach_is_refused(app, cast):
    with db.connection_context():
        Decision.propose(
            cast.team_a, cast.a1, "Invite", "Why", coach_change="invite", coach=cast.coach_x
        )
        with pytest.raises(DecisionRefused, match="open proposal"):
            Decision.propose(
                cast.team_a, cast.a2, "Invite", "Why", coach_change="invite", coach=cast.coach_x
            )


def test_ending_it_between_meetings_unlinks_her_when_the_answers_are_counted(app, cast, as_user):
    coach = as_user(cast.coach_a)
    assert coach.get(f"/decisions/teams/{cast.team_a.id}").status_code == 200
    now = utcnow()
    with db.connection_context():
        cast.team_a.async_quorum = 2
        cast.team_a.save()
        decision = Decision.propose(
            cast.team_a,
            cast.a1,
            "End Dina Coach's coaching of our team.",
            "We want to try another coach",
            coach_change="end",
            coach=cast.coach_a,
            asynchronous=True,
            review_on=dt.date.today() + dt.timedelta(days=90),
            now=now,
        )
        decision.answer(cast.a1, True, now=now)
        decision.answer(cast.a2, True, now=now)
        # Until the time to answer is up, nothing changes.
        assert _linked(cast, cast.coach_a)
        assert decision.settle(decision.deadline + dt.timedelta(seconds=1))
        assert Decision.get_by_id(decision.id).status == Decision.ADOPTED
    assert not _linked(cast, cast.coach_a)
    assert coach.get(f"/decisions/teams/{cast.team_a.id}").status_code == 404
    assert coach.get(f"/plan/teams/{cast.team_a.id}").status_code == 404
    assert "Team A" not in coach.get("/coach/").get_data(as_text=True)
    with db.connection_context():
        assert (
            AuditEvent.select()
            .where(AuditEvent.entity == "coach", AuditEvent.action == "unlink")
            .exists()
        )


def test_an_objection_between_meetings_keeps_her_linked(app, cast):
    now = utcnow()
    with db.connection_context():
        cast.team_a.async_quorum = 1
        cast.team_a.save()
        decision = Decision.propose(
            cast.team_a,
            cast.a1,
            "End it",
            "Why",
            coach_change="end",
            coach=cast.coach_a,
            asynchronous=True,
            review_on=dt.date.today() + dt.timedelta(days=90),
            now=now,
        )
        decision.answer(cast.a2, False, "She helps us a lot", now=now)
        decision.settle(decision.deadline + dt.timedelta(seconds=1))
    assert _linked(cast, cast.coach_a)
