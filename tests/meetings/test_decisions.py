"""Decisions by consent: the rules as model verbs, the views, concurrency and the log."""

import datetime as dt
import threading

import pytest
from conftest import count_queries

from teamcase.db import db
from teamcase.models import (
    AgendaItem,
    AuditEvent,
    Decision,
    DecisionRefused,
    DecisionStep,
    Meeting,
    Team,
    User,
    utcnow,
)

PROPOSAL = "From next month we take no new people in Oost-Noord until two of us are back from leave"
PURPOSE = "So that the people we care for now get the time they need while we are short."
AMENDED = PROPOSAL + "; urgent referrals are still accepted"
GP_OBJECTION = "The GP practice there has no other nursing team: nobody else would go."


def _propose(cast, **kwargs):
    with db.connection_context():
        return Decision.propose(cast.team_a, cast.a1, PROPOSAL, PURPOSE, **kwargs)


def _fresh(decision):
    with db.connection_context():
        return Decision.get_by_id(decision.id)


def _in_future(days=90):
    return dt.date.today() + dt.timedelta(days=days)


def _third_member(cast, name="Carla Claes"):
    with db.connection_context():
        return User.create(
            email=f"{name.split()[0].lower()}@a.example.org",
            name=name,
            role=User.MEMBER,
            team=cast.team_a,
            password_hash=cast.a1.password_hash,
        )


# The consent rules, as verbs on the model


def test_an_objection_blocks_adoption_until_it_is_resolved(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        objection = decision.add_step(cast.a1, "objection", GP_OBJECTION, member=cast.a2)
        with pytest.raises(DecisionRefused, match="Bram’s objection is not resolved"):
            decision.adopt(cast.a1, decision.version, _in_future())
        assert Decision.get_by_id(decision.id).status == Decision.PROPOSED

        decision.amend(cast.a1, decision.version, AMENDED, member=cast.a2)
        decision.resolve(
            cast.a1, objection, "Amended: urgent referrals still accepted", resolved_by=cast.a2
        )
        decision.adopt(cast.a1, decision.version, _in_future())

        saved = Decision.get_by_id(decision.id)
        step = DecisionStep.get_by_id(objection.id)
    assert (saved.status, saved.proposal, saved.review_on) == ("adopted", AMENDED, _in_future())
    assert saved.decided_at is not None
    assert (step.resolved_by_id, step.resolution) == (
        cast.a2.id,
        "Amended: urgent referrals still accepted",
    )


def test_an_amendment_keeps_the_earlier_text_in_its_step(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        step = decision.amend(cast.a1, decision.version, AMENDED)
        saved = DecisionStep.get_by_id(step.id)
    assert (saved.kind, saved.earlier, saved.text) == ("amendment", PROPOSAL, AMENDED)
    assert _fresh(decision).proposal == AMENDED


def test_an_objection_needs_its_reasoning(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        with pytest.raises(DecisionRefused, match="needs its reasoning"):
            decision.add_step(cast.a1, "objection", "   ", member=cast.a2)
        assert not DecisionStep.select().where(DecisionStep.decision == decision.id).exists()


@pytest.mark.parametrize(
    "verb",
    [
        lambda d, c: d.add_step(c.a2, "question", "Until when exactly?"),
        lambda d, c: d.add_step(c.a2, "objection", "Not safe", member=c.a2),
        lambda d, c: d.amend(c.a2, d.version, "Something else"),
        lambda d, c: d.adopt(c.a2, d.version, _in_future()),
        lambda d, c: d.withdraw(c.a2, "Changed my mind"),
        lambda d, c: d.park(c.a2, "Later"),
        lambda d, c: d.resume(c.a2),
    ],
    ids=["question", "objection", "amend", "adopt-again", "withdraw", "park", "resume"],
)
def test_an_adopted_decision_can_never_be_changed(app, cast, verb):
    decision = _propose(cast)
    with db.connection_context():
        decision.adopt(cast.a1, decision.version, _in_future())
        before = Decision.get_by_id(decision.id).__data__
        with pytest.raises(DecisionRefused, match="never changed|already|adopted") as refused:
            verb(Decision.get_by_id(decision.id), cast)
        after = Decision.get_by_id(decision.id).__data__
        steps = DecisionStep.select().where(DecisionStep.decision == decision.id).count()
    assert before == after
    assert steps == 0
    assert "Anna Aalders adopted it" in str(refused.value) or "already" in str(refused.value)


def test_resolving_an_objection_of_an_adopted_decision_is_refused(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        objection = decision.add_step(cast.a1, "objection", GP_OBJECTION, member=cast.a2)
        decision.resolve(cast.a1, objection, "Amended", resolved_by=cast.a2)
        decision.adopt(cast.a1, decision.version, _in_future())
        with pytest.raises(DecisionRefused, match="never changed"):
            decision.resolve(cast.a1, objection, "Again")
        assert DecisionStep.get_by_id(objection.id).resolution == "Amended"


def test_adopting_what_a_colleague_changed_since_is_refused_naming_them(app, cast):
    decision = _propose(cast)
    seen = decision.version
    with db.connection_context():
        decision.add_step(cast.a2, "reaction", "Good idea, but say until when.")
        with pytest.raises(DecisionRefused, match="Bram Bos recorded a reaction since"):
            Decision.get_by_id(decision.id).adopt(cast.a1, seen, _in_future())
        assert Decision.get_by_id(decision.id).status == Decision.PROPOSED


def test_a_revisit_points_to_the_adopted_decision_which_stays_as_it_was(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        decision.adopt(cast.a1, decision.version, _in_future())
        later = Decision.propose(
            cast.team_a, cast.a2, "We take new people again", "Both are back", revisits=decision
        )
        revisits, revisited_by = Decision.links_of([decision, later])
        assert revisits[later.id].id == decision.id
        assert [d.id for d in revisited_by[decision.id]] == [later.id]
        assert Decision.get_by_id(decision.id).proposal == PROPOSAL

        with pytest.raises(DecisionRefused, match="Only an adopted decision"):
            Decision.propose(cast.team_a, cast.a2, "x", "y", revisits=later)


def test_withdrawn_and_parked_proposals_keep_why_and_only_parked_ones_come_back(app, cast):
    withdrawn, parked = _propose(cast), _propose(cast)
    with db.connection_context():
        withdrawn.withdraw(cast.a1, "The leave was cancelled.")
        parked.park(cast.a2, "We wait for the new roster.")
        with pytest.raises(DecisionRefused, match="withdrew"):
            withdrawn.resume(cast.a1)
        parked.resume(cast.a1)
        whys = {
            s.decision_id: s.text
            for s in DecisionStep.select().where(DecisionStep.kind == "outcome")
        }
    assert _fresh(withdrawn).status == "withdrawn"
    assert _fresh(parked).status == "proposed"
    assert whys == {
        withdrawn.id: "The leave was cancelled.",
        parked.id: "We wait for the new roster.",
    }


def test_every_step_is_in_the_audit_log_as_a_decision(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        objection = decision.add_step(cast.a1, "objection", GP_OBJECTION, member=cast.a2)
        decision.add_step(cast.a1, "question", "Until when?", member=cast.a2)
        decision.amend(cast.a1, decision.version, AMENDED)
        decision.resolve(cast.a1, objection, "Amended", resolved_by=cast.a2)
        decision.adopt(cast.a2, decision.version, _in_future())
        events = list(
            AuditEvent.select()
            .where(AuditEvent.entity == "decision", AuditEvent.entity_id == decision.id)
            .order_by(AuditEvent.id)
        )
    assert [e.action for e in events] == [
        "propose",
        "objection",
        "question",
        "amend",
        "resolve",
        "adopt",
    ]
    assert all(e.team_id == cast.team_a.id and e.client_id is None for e in events)
    assert events[-1].actor_id == cast.a2.id


def test_a_decision_about_a_person_is_in_their_history(app, cast):
    decision = _propose(cast, client=cast.person_a)
    with db.connection_context():
        event = AuditEvent.get(AuditEvent.entity == "decision", AuditEvent.entity_id == decision.id)
    assert event.client_id == cast.person_a.id


# Between meetings


def _between(cast, quorum=2, days=3, now=None):
    with db.connection_context():
        Team.update(async_quorum=quorum, async_days=days).where(Team.id == cast.team_a.id).execute()
        team = Team.get_by_id(cast.team_a.id)
        return Decision.propose(
            team,
            cast.a1,
            "We try a shared phone for evening calls",
            "Fewer missed calls",
            asynchronous=True,
            review_on=_in_future(60),
            now=now,
        )


def test_a_proposal_between_meetings_gets_the_teams_deadline_and_quorum(app, cast):
    now = utcnow()
    decision = _between(cast, quorum=4, days=5, now=now)
    assert decision.deadline == now + dt.timedelta(days=5)
    assert decision.quorum == 4
    assert decision.answering(now)


def test_settling_what_is_due_also_tells_when_the_next_answers_run_out(app, cast):
    now = utcnow()
    sooner = _between(cast, quorum=2, days=3, now=now)
    later = _between(cast, quorum=2, days=5, now=now)
    with db.connection_context():
        sooner.answer(cast.a1, True, now=now)
        sooner.answer(cast.a2, True, now=now)
        assert Decision.settle_due_and_next_deadline(cast.team_a, now) == sooner.deadline
        after_first = now + dt.timedelta(days=3)
        assert Decision.settle_due_and_next_deadline(cast.team_a, after_first) == later.deadline
        assert (
            Decision.settle_due_and_next_deadline(cast.team_a, now + dt.timedelta(days=6)) is None
        )
    assert _fresh(sooner).status == "adopted"
    assert _fresh(later).settled_at is not None


def test_nobody_objecting_and_the_quorum_met_adopts_it_at_the_deadline(app, cast):
    now = utcnow()
    decision = _between(cast, quorum=2, now=now)
    with db.connection_context():
        decision.answer(cast.a1, True, now=now)
        decision.answer(cast.a2, True, "Fine by me", now=now)
        assert Decision.settle_due(cast.team_a, now + dt.timedelta(days=2)) == 0
        assert Decision.settle_due(cast.team_a, now + dt.timedelta(days=3)) == 1
        # Reading again settles nothing twice.
        assert Decision.settle_due(cast.team_a, now + dt.timedelta(days=4)) == 0
    saved = _fresh(decision)
    assert (saved.status, saved.decided_at) == ("adopted", decision.deadline)
    assert saved.review_on == _in_future(60)


def test_too_few_answers_send_it_to_the_next_meetings_agenda(app, cast):
    now = utcnow()
    decision = _between(cast, quorum=2, now=now)
    with db.connection_context():
        meeting = Meeting.create(
            team=cast.team_a, held_on=dt.date.today() + dt.timedelta(days=7), created_by=cast.a1
        )
        decision.answer(cast.a2, True, now=now)
        Decision.settle_due(cast.team_a, now + dt.timedelta(days=3, seconds=1))
        item = AgendaItem.get(AgendaItem.meeting == meeting)
        saved = Decision.get_by_id(decision.id)
    assert saved.status == "proposed" and saved.settled_at is not None
    assert (item.kind, item.decision_id, item.source) == (
        "proposal",
        decision.id,
        f"decision:{decision.id}",
    )
    assert item.why == "Between meetings 1 answered; 2 were needed."


def test_an_objection_sends_it_to_a_meeting_even_with_the_quorum(app, cast):
    now = utcnow()
    decision = _between(cast, quorum=1, now=now)
    with db.connection_context():
        decision.answer(cast.a1, True, now=now)
        decision.answer(cast.a2, False, "Who charges it at night?", now=now)
        Decision.settle_due(cast.team_a, now + dt.timedelta(days=4))
        waiting = [d.id for d in Decision.waiting_for_meeting(cast.team_a, now)]
    assert _fresh(decision).status == "proposed"
    # No meeting is planned: it waits for the agenda builder.
    assert waiting == [decision.id]


def test_a_waiting_proposal_is_not_waiting_once_on_a_coming_agenda(app, cast):
    decision = _propose(cast)
    with db.connection_context():
        assert [d.id for d in Decision.waiting_for_meeting(cast.team_a)] == [decision.id]
        meeting = Meeting.create(team=cast.team_a, held_on=dt.date.today(), created_by=cast.a1)
        AgendaItem.create(
            meeting=meeting, kind="proposal", title="x", decision=decision.id, source="decision:1"
        )
        assert list(Decision.waiting_for_meeting(cast.team_a)) == []


def test_answering_again_replaces_the_members_answer(app, cast):
    now = utcnow()
    decision = _between(cast, now=now)
    with db.connection_context():
        first = decision.answer(cast.a2, True, now=now)
        second = decision.answer(cast.a2, False, "The battery will not last", now=now)
        answers = list(DecisionStep.select().where(DecisionStep.decision == decision.id))
    assert first.id == second.id
    assert [(a.kind, a.text, a.member_id) for a in answers] == [
        ("objection", "The battery will not last", cast.a2.id)
    ]


def test_the_database_allows_one_answer_per_member(app, cast):
    from peewee import IntegrityError

    decision = _between(cast)
    with db.connection_context():
        decision.answer(cast.a2, True)
        with pytest.raises(IntegrityError), db.atomic():
            DecisionStep.create(
                decision=decision, kind="consent", member=cast.a2, answer_of=cast.a2
            )


def test_answers_after_the_deadline_are_refused(app, cast):
    now = utcnow()
    decision = _between(cast, now=now)
    with db.connection_context():
        with pytest.raises(DecisionRefused, match="time to answer has just ended"):
            decision.answer(cast.a2, True, now=now + dt.timedelta(days=3))
        Decision.settle_due(cast.team_a, now + dt.timedelta(days=3))
        with pytest.raises(DecisionRefused, match="decides this proposal at a meeting"):
            Decision.get_by_id(decision.id).answer(cast.a2, True, now=now + dt.timedelta(days=3))


def test_while_members_answer_nobody_adopts_or_amends_it(app, cast):
    now = utcnow()
    decision = _between(cast, now=now)
    with db.connection_context():
        with pytest.raises(DecisionRefused, match="answering this proposal between meetings"):
            decision.adopt(cast.a1, decision.version, _in_future(), now=now)
        with pytest.raises(DecisionRefused, match="answering this proposal between meetings"):
            decision.amend(cast.a1, decision.version, "Other", now=now)
    assert _fresh(decision).status == "proposed"


def test_an_answer_to_a_meeting_proposal_is_refused(app, cast):
    decision = _propose(cast)
    with db.connection_context(), pytest.raises(DecisionRefused, match="decided at a meeting"):
        decision.answer(cast.a2, True)


def test_decisions_due_for_review_until_a_new_decision_revisits_them(app, cast):
    decision = _propose(cast)
    today = dt.date.today()
    with db.connection_context():
        decision.adopt(cast.a1, decision.version, today)
        assert [d.id for d in Decision.due_for_review(cast.team_a, today)] == [decision.id]
        assert list(Decision.due_for_review(cast.team_a, today - dt.timedelta(days=1))) == []
        later = Decision.propose(cast.team_a, cast.a2, "Keep it", "Still short", revisits=decision)
        assert list(Decision.due_for_review(cast.team_a, today)) == []
        later.withdraw(cast.a2, "Wrong moment")
        assert [d.id for d in Decision.due_for_review(cast.team_a, today)] == [decision.id]


# Two members at once


def _at_once(*actions):
    """Run each action in its own thread with its own connection, released together.
    Returns what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        with db.connection_context():
            barrier.wait()
            try:
                results[index] = action()
            except Exception as error:  # noqa: BLE001 - reported to the test
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(4))
def test_adopting_while_a_colleague_objects_never_adopts_over_an_open_objection(app, cast, attempt):
    decision = _propose(cast)
    seen = decision.version
    with db.connection_context():
        adopter, objector = Decision.get_by_id(decision.id), Decision.get_by_id(decision.id)

    results = _at_once(
        lambda: adopter.adopt(cast.a1, seen, _in_future()),
        lambda: objector.add_step(cast.a2, "objection", GP_OBJECTION),
    )

    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1, results
    assert isinstance(failures[0], DecisionRefused)
    with db.connection_context():
        saved = Decision.get_by_id(decision.id)
        objections = list(
            DecisionStep.select().where(
                DecisionStep.decision == decision.id, DecisionStep.kind == "objection"
            )
        )
    if saved.status == "adopted":
        # The adoption came first: the objection was refused, naming who adopted.
        assert objections == []
        assert "Anna Aalders adopted it" in str(failures[0])
    else:
        # The objection came first: adopting what changed since was refused.
        assert len(objections) == 1
        assert "Bram Bos recorded an objection" in str(failures[0])


def test_two_members_answering_at_once_both_count(app, cast):
    decision = _between(cast, quorum=2)
    with db.connection_context():
        first, second = Decision.get_by_id(decision.id), Decision.get_by_id(decision.id)

    results = _at_once(
        lambda: first.answer(cast.a1, True),
        lambda: second.answer(cast.a2, False, "Who charges it at night?"),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    with db.connection_context():
        answers = sorted(
            (s.member_id, s.kind)
            for s in DecisionStep.select().where(DecisionStep.decision == decision.id)
        )
    assert answers == sorted([(cast.a1.id, "consent"), (cast.a2.id, "objection")])


def test_one_member_answering_twice_at_once_keeps_one_answer(app, cast):
    decision = _between(cast)
    with db.connection_context():
        first, second = Decision.get_by_id(decision.id), Decision.get_by_id(decision.id)

    results = _at_once(
        lambda: first.answer(cast.a2, True),
        lambda: second.answer(cast.a2, False, "On second thought"),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    with db.connection_context():
        count = DecisionStep.select().where(DecisionStep.decision == decision.id).count()
    assert count == 1


def test_two_readers_settling_at_once_settle_once(app, cast):
    now = utcnow()
    decision = _between(cast, quorum=1, now=now)
    with db.connection_context():
        decision.answer(cast.a2, True, now=now)
    later = now + dt.timedelta(days=3)

    results = _at_once(
        lambda: Decision.get_by_id(decision.id).settle(later),
        lambda: Decision.get_by_id(decision.id).settle(later),
    )

    assert sorted(results) == [False, True]
    with db.connection_context():
        settled = AuditEvent.select().where(AuditEvent.action == "settle").count()
    assert settled == 1


# The views


def _step(kind="question", text="Until when exactly?", member=None, **extra):
    data = {"step-kind": kind, "step-text": text, "step-member": str(member) if member else ""}
    data.update(extra)
    return data


HTMX = {"HX-Request": "true"}


def test_it_posts_a_proposal_and_shows_it(app, cast, as_user):
    client = as_user(cast.a1)

    response = client.post(
        "/decisions/new",
        data={"proposal": PROPOSAL, "purpose": PURPOSE, "client": str(cast.person_a.id)},
    )

    assert response.status_code == 303
    with db.connection_context():
        decision = Decision.get(Decision.proposal == PROPOSAL)
    assert (decision.team_id, decision.proposed_by_id, decision.client_id) == (
        cast.team_a.id,
        cast.a1.id,
        cast.person_a.id,
    )
    assert not decision.asynchronous
    assert response.headers["Location"] == f"/decisions/{decision.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert PROPOSAL in page and PURPOSE in page and "Mies Bakker" in page
    assert "Your proposal is posted." in page


def test_a_proposal_without_purpose_comes_back_with_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/decisions/new", data={"proposal": PROPOSAL, "purpose": "  ", "client": "0"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say what it is for: what problem does it solve?" in page
    assert PROPOSAL in page
    assert 'aria-invalid="true"' in page
    with db.connection_context():
        assert Decision.select().count() == 0


def test_a_proposal_between_meetings_needs_a_review_date(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/decisions/new",
        data={"proposal": PROPOSAL, "purpose": PURPOSE, "client": "0", "between": "y"},
    )

    assert response.status_code == 400
    assert "Choose a review date" in response.get_data(as_text=True)
    with db.connection_context():
        assert Decision.select().count() == 0


def test_a_proposal_about_another_teams_person_is_refused(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/decisions/new",
        data={"proposal": PROPOSAL, "purpose": PURPOSE, "client": str(cast.person_b.id)},
    )

    assert response.status_code == 400
    assert "Choose one of the people in the list." in response.get_data(as_text=True)
    with db.connection_context():
        assert Decision.select().count() == 0


def test_a_proposal_between_meetings_is_posted_with_the_teams_rules(app, cast, as_user):
    review = _in_future(30).isoformat()
    response = as_user(cast.a1).post(
        "/decisions/new",
        data={
            "proposal": PROPOSAL,
            "purpose": PURPOSE,
            "client": "0",
            "between": "y",
            "review_on": review,
        },
    )

    assert response.status_code == 303
    with db.connection_context():
        decision = Decision.get()
    assert decision.asynchronous and decision.quorum == 5
    assert decision.deadline - decision.proposed_at == dt.timedelta(days=3)
    assert decision.review_on.isoformat() == review


def test_revisiting_starts_from_the_adopted_text_and_links_both(app, cast, as_user):
    earlier = _propose(cast)
    with db.connection_context():
        earlier.adopt(cast.a1, earlier.version, _in_future())
    client = as_user(cast.a2)

    form = client.get(f"/decisions/new?revisits={earlier.id}").get_data(as_text=True)
    response = client.post(
        f"/decisions/new?revisits={earlier.id}",
        data={"proposal": "We take new people again", "purpose": "Both are back", "client": "0"},
    )

    assert PROPOSAL in form
    assert response.status_code == 303
    with db.connection_context():
        later = Decision.get(Decision.revisits == earlier.id)
    later_page = client.get(f"/decisions/{later.id}").get_data(as_text=True)
    earlier_page = client.get(f"/decisions/{earlier.id}").get_data(as_text=True)
    assert "Revisits" in later_page and f'href="/decisions/{earlier.id}"' in later_page
    assert "Revisited by" in earlier_page and f'href="/decisions/{later.id}"' in earlier_page


def test_only_an_adopted_decision_of_ones_own_team_can_be_revisited(app, cast, as_user):
    open_one = _propose(cast)
    with db.connection_context():
        theirs = Decision.propose(cast.team_b, cast.b1, "Zuid", "Zuid")
    client = as_user(cast.a1)
    data = {"proposal": "x", "purpose": "y", "client": "0"}

    assert client.post(f"/decisions/new?revisits={theirs.id}", data=data).status_code == 404
    refused = client.post(f"/decisions/new?revisits={open_one.id}", data=data)

    assert refused.status_code == 409
    assert "Only an adopted decision can be revisited." in refused.get_data(as_text=True)
    with db.connection_context():
        assert Decision.select().count() == 2


def test_a_step_recorded_with_htmx_answers_with_the_process_only(app, cast, as_user):
    decision = _propose(cast)

    response = as_user(cast.a1).post(
        f"/decisions/{decision.id}/steps",
        data=_step("objection", GP_OBJECTION, member=cast.a2.id),
        headers=HTMX,
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and 'id="decision-process"' in page
    assert "Objection recorded." in page and GP_OBJECTION in page
    assert "Bram’s objection is not resolved" in page
    with db.connection_context():
        step = DecisionStep.get(DecisionStep.decision == decision.id)
    assert (step.kind, step.member_id, step.text) == ("objection", cast.a2.id, GP_OBJECTION)


def test_an_objection_without_reasoning_comes_back_with_the_form(app, cast, as_user):
    decision = _propose(cast)

    response = as_user(cast.a1).post(
        f"/decisions/{decision.id}/steps", data=_step("objection", "", member=cast.a2.id)
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write down the reasoning: an objection needs it." in page
    # What was chosen is still chosen.
    assert f'<option selected value="{cast.a2.id}">' in page
    assert 'value="objection" checked' in page or 'checked id="step-kind-2"' in page
    with db.connection_context():
        assert DecisionStep.select().count() == 0


def test_a_step_said_by_someone_outside_the_team_is_refused(app, cast, as_user):
    decision = _propose(cast)

    response = as_user(cast.a1).post(
        f"/decisions/{decision.id}/steps", data=_step(member=cast.b1.id)
    )

    assert response.status_code == 400
    assert "Choose a member of the team." in response.get_data(as_text=True)
    with db.connection_context():
        assert DecisionStep.select().count() == 0


def test_amending_keeps_the_earlier_text_and_a_stale_amendment_is_refused(app, cast, as_user):
    decision = _propose(cast)
    client = as_user(cast.a1)
    data = {"amend-proposal": AMENDED, "amend-member": str(cast.a2.id)}

    ok = client.post(
        f"/decisions/{decision.id}/amend", data={**data, "amend-version": decision.version}
    )
    stale = client.post(
        f"/decisions/{decision.id}/amend",
        data={**data, "amend-proposal": "Something else", "amend-version": decision.version},
    )

    assert ok.status_code == 303
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Anna Aalders amended the proposal since you opened this page." in page
    assert "Something else" in page
    with db.connection_context():
        saved = Decision.get_by_id(decision.id)
        step = DecisionStep.get(DecisionStep.decision == decision.id)
    assert saved.proposal == AMENDED
    assert (step.earlier, step.text, step.member_id) == (PROPOSAL, AMENDED, cast.a2.id)


def test_the_whole_process_by_the_note_taker_ends_adopted_without_edits(app, cast, as_user):
    decision = _propose(cast)
    client = as_user(cast.a1)
    url = f"/decisions/{decision.id}"

    client.post(f"{url}/steps", data=_step("question", "Until when?", member=cast.a2.id))
    client.post(f"{url}/steps", data=_step("reaction", "Sad but needed", member=cast.a2.id))
    client.post(f"{url}/steps", data=_step("objection", GP_OBJECTION, member=cast.a2.id))
    refused = client.post(
        f"{url}/adopt",
        data={"adopt-review_on": _in_future().isoformat(), "adopt-version": "4"},
    )
    client.post(
        f"{url}/amend",
        data={"amend-proposal": AMENDED, "amend-member": cast.a2.id, "amend-version": "4"},
    )
    with db.connection_context():
        objection = DecisionStep.get(DecisionStep.kind == "objection")
    client.post(
        f"{url}/objections/{objection.id}/resolve",
        data={
            f"resolve-{objection.id}-how": "Amended: urgent referrals still accepted",
            f"resolve-{objection.id}-member": cast.a2.id,
        },
    )
    adopted = client.post(
        f"{url}/adopt",
        data={"adopt-review_on": _in_future().isoformat(), "adopt-version": "6"},
    )

    assert refused.status_code == 409
    assert "Bram’s objection is not resolved yet" in refused.get_data(as_text=True)
    assert adopted.status_code == 303
    with db.connection_context():
        saved = Decision.get_by_id(decision.id)
        kinds = [s.kind for s in DecisionStep.select().order_by(DecisionStep.id)]
    assert (saved.status, saved.proposal) == ("adopted", AMENDED)
    assert kinds == ["question", "reaction", "objection", "amendment"]
    page = client.get(url).get_data(as_text=True)
    assert "Resolved</strong> with Bram Bos" in page
    assert "Record what is said" not in page and "Amend the proposal" not in page
    assert "Revisit this decision" in page


def test_a_step_on_an_adopted_decision_is_refused_and_what_was_typed_shown(app, cast, as_user):
    decision = _propose(cast)
    with db.connection_context():
        decision.adopt(cast.a2, decision.version, _in_future())

    response = as_user(cast.a1).post(
        f"/decisions/{decision.id}/steps",
        data=_step("objection", "I was not there", member=cast.a1.id),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Bram Bos adopted it. An adopted decision is never changed." in page
    assert "I was not there" in page
    with db.connection_context():
        assert DecisionStep.select().count() == 0


def test_resolving_an_objection_of_another_decision_is_not_found(app, cast, as_user):
    first, second = _propose(cast), _propose(cast)
    with db.connection_context():
        objection = first.add_step(cast.a1, "objection", GP_OBJECTION)

    response = as_user(cast.a1).post(
        f"/decisions/{second.id}/objections/{objection.id}/resolve",
        data={f"resolve-{objection.id}-how": "x", f"resolve-{objection.id}-member": cast.a1.id},
    )

    assert response.status_code == 404
    with db.connection_context():
        assert DecisionStep.get_by_id(objection.id).resolved_at is None


def test_withdraw_park_and_take_up_again(app, cast, as_user):
    decision = _propose(cast)
    client = as_user(cast.a1)
    url = f"/decisions/{decision.id}"

    empty = client.post(f"{url}/park", data={"park-why": ""})
    parked = client.post(f"{url}/park", data={"park-why": "We wait for the roster"})
    resumed = client.post(f"{url}/resume", data={})
    withdrawn = client.post(f"{url}/withdraw", data={"withdraw-why": "Leave was cancelled"})

    assert empty.status_code == 400
    assert "Write down why, for whoever reads the log later." in empty.get_data(as_text=True)
    assert [parked.status_code, resumed.status_code, withdrawn.status_code] == [303, 303, 303]
    assert _fresh(decision).status == "withdrawn"
    page = client.get(url).get_data(as_text=True)
    assert "Leave was cancelled" in page and "We wait for the roster" in page


@pytest.mark.parametrize(
    "path, data",
    [
        ("steps", _step()),
        ("amend", {"amend-proposal": "x", "amend-version": "1"}),
        ("adopt", {"adopt-review_on": _in_future().isoformat(), "adopt-version": "1"}),
        ("withdraw", {"withdraw-why": "x"}),
        ("park", {"park-why": "x"}),
        ("resume", {}),
        ("answer", {"answer-answer": "consent"}),
    ],
)
def test_outsiders_get_404_and_the_coach_403_and_nothing_changes(app, cast, as_user, path, data):
    decision = _propose(cast)
    url = f"/decisions/{decision.id}/{path}"

    outsider = as_user(cast.b1).post(url, data=data)
    coach = as_user(cast.coach_a).post(url, data=data)
    office = as_user(cast.office).post(url, data=data)

    assert (outsider.status_code, coach.status_code, office.status_code) == (404, 403, 404)
    with db.connection_context():
        assert Decision.get_by_id(decision.id).version == 1
        assert DecisionStep.select().count() == 0


@pytest.mark.parametrize("path", ["steps", "amend", "adopt", "withdraw", "park", "answer"])
def test_changes_need_a_post(app, cast, as_user, path):
    decision = _propose(cast)
    assert as_user(cast.a1).get(f"/decisions/{decision.id}/{path}").status_code == 405


def test_meeting_mode_can_load_the_process_alone(app, cast, as_user):
    decision = _propose(cast)

    response = as_user(cast.a1).get(f"/decisions/{decision.id}", headers=HTMX)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="decision-process"')
    assert PROPOSAL in page and "Record what is said" in page


def test_members_answer_between_meetings_and_the_page_counts_at_the_deadline(app, cast, as_user):
    decision = _between(cast, quorum=2)
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    url = f"/decisions/{decision.id}"

    no_reason = bram.post(f"{url}/answer", data={"answer-answer": "object"})
    anna.post(f"{url}/answer", data={"answer-answer": "consent"})
    bram.post(f"{url}/answer", data={"answer-answer": "consent", "answer-reasoning": "Fine"})
    page = anna.get(url).get_data(as_text=True)
    with db.connection_context():
        Decision.update(deadline=utcnow() - dt.timedelta(minutes=1)).where(
            Decision.id == decision.id
        ).execute()
    after = anna.get(url).get_data(as_text=True)

    assert no_reason.status_code == 400
    assert "Write down why you object" in no_reason.get_data(as_text=True)
    assert "2 of the 2 answers needed</strong>: 2 consent" in page
    assert "Change your answer" in page
    assert _fresh(decision).status == "adopted"
    assert "Adopted" in after and "Save my answer" not in after


def test_the_log_finds_decisions_by_words_in_their_steps_status_person_and_date(app, cast, as_user):
    with db.connection_context():
        phone = Decision.propose(cast.team_a, cast.a1, "A shared phone", "Fewer missed calls")
        phone.add_step(cast.a2, "objection", "Who charges it at night?")
        mies = Decision.propose(
            cast.team_a, cast.a1, "Two of us visit Mies", "Safety", client=cast.person_a
        )
        mies.adopt(cast.a1, mies.version, _in_future())
        old = Decision.propose(cast.team_a, cast.a1, "An older idea", "Long ago")
        Decision.update(proposed_at=utcnow() - dt.timedelta(days=400)).where(
            Decision.id == old.id
        ).execute()
        Decision.propose(cast.team_b, cast.b1, "Zuid's own charges", "Not ours")
    client = as_user(cast.a1)

    def found(query):
        page = client.get(f"/decisions/?{query}").get_data(as_text=True)
        return [
            text
            for text in ("A shared phone", "Two of us visit Mies", "An older idea")
            if text in page
        ]

    assert found("") == ["A shared phone", "Two of us visit Mies", "An older idea"]
    assert found("q=charges") == ["A shared phone"]
    assert found("status=adopted") == ["Two of us visit Mies"]
    assert found(f"person={cast.person_a.id}") == ["Two of us visit Mies"]
    since = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    assert found(f"since={since}") == ["A shared phone", "Two of us visit Mies"]
    until = (dt.date.today() - dt.timedelta(days=300)).isoformat()
    assert found(f"until={until}") == ["An older idea"]
    page = client.get("/decisions/").get_data(as_text=True)
    # Newest first.
    assert page.index("Two of us visit Mies") < page.index("An older idea")
    assert "Who charges it at night?" in page and "Not resolved" in page
    assert "Zuid" not in page


def test_a_wrong_date_range_is_a_400_with_the_message_next_to_it(app, cast, as_user):
    _propose(cast)

    response = as_user(cast.a1).get("/decisions/?since=2026-05-01&until=2026-04-01")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This is before the “From” date." in page
    assert 'value="2026-04-01"' in page


def test_the_log_marks_decisions_due_for_review_and_filters_them(app, cast, as_user):
    with db.connection_context():
        due = Decision.propose(cast.team_a, cast.a1, "Due one", "x")
        due.adopt(cast.a1, due.version, dt.date.today())
        later = Decision.propose(cast.team_a, cast.a1, "Later one", "x")
        later.adopt(cast.a1, later.version, _in_future())
    client = as_user(cast.a1)

    page = client.get("/decisions/").get_data(as_text=True)
    filtered = client.get("/decisions/?status=review").get_data(as_text=True)

    assert page.count("Due for review</span>") == 1
    assert "Due one" in filtered and "Later one" not in filtered


def test_the_log_pages_newest_first(app, cast, as_user):
    with db.connection_context():
        for n in range(23):
            Decision.propose(
                cast.team_a,
                cast.a1,
                f"Proposal number {n:02d}",
                "x",
                now=utcnow() - dt.timedelta(days=30 - n),
            )
    client = as_user(cast.a1)

    first = client.get("/decisions/").get_data(as_text=True)
    second = client.get("/decisions/?page=2").get_data(as_text=True)

    assert "Proposal number 22" in first and "Proposal number 03" in first
    assert "Proposal number 02" not in first
    assert "Proposal number 02" in second and "Proposal number 00" in second
    assert "Page 2 of 2" in second and "23 decisions" in first
    past_the_end = client.get("/decisions/?page=9").get_data(as_text=True)
    assert "Page 2 of 2" in past_the_end and "Proposal number 00" in past_the_end
    everything = client.get("/decisions/?q=&status=&person=0").get_data(as_text=True)
    assert "23 decisions</span>" in everything and "Show all" not in everything


def test_the_coach_reads_the_log_without_peoples_details_or_buttons(app, cast, as_user):
    with db.connection_context():
        team = Decision.propose(cast.team_a, cast.a1, "A shared phone", "Fewer missed calls")
        team.add_step(cast.a2, "objection", "Who charges it at night?")
        about = Decision.propose(
            cast.team_a, cast.a1, "Two of us visit Mies Bakker", "Safety", client=cast.person_a
        )
        about.add_step(cast.a2, "objection", "Mies prefers one face")
    coach = as_user(cast.coach_a)

    page = coach.get(f"/decisions/teams/{cast.team_a.id}").get_data(as_text=True)
    searched = coach.get(f"/decisions/teams/{cast.team_a.id}?q=Mies").get_data(as_text=True)

    assert "A shared phone" in page and "Who charges it at night?" in page
    assert "Mies" not in page and "Bakker" not in page
    assert f"A decision about M.B. #{cast.person_a.id}" in page
    assert "+ Propose" not in page and "/decisions/new" not in page
    assert f'href="/decisions/{team.id}"' not in page
    assert "No decision matches" in searched


def test_the_coach_cannot_open_a_decision_or_the_members_log(app, cast, as_user):
    decision = _propose(cast)
    coach = as_user(cast.coach_a)
    assert coach.get(f"/decisions/{decision.id}").status_code == 403
    assert coach.get("/decisions/").status_code == 403
    assert as_user(cast.coach_x).get(f"/decisions/teams/{cast.team_a.id}").status_code == 404


def _many_decisions(cast, count, steps_each=2):
    with db.connection_context():
        for n in range(count):
            decision = Decision.propose(
                cast.team_a,
                cast.a1,
                f"Proposal {n}",
                "x",
                client=cast.person_a if n % 2 else None,
            )
            for _ in range(steps_each):
                objection = decision.add_step(cast.a1, "objection", "No", member=cast.a2)
                decision.resolve(cast.a1, objection, "Talked it through", resolved_by=cast.a2)
            if n % 3 == 0 and n:
                decision.adopt(cast.a1, decision.version, _in_future())
                Decision.propose(cast.team_a, cast.a2, f"Again {n}", "x", revisits=decision)


# Who is signed in, the people to filter by, the page of decisions with its total,
# their objections, and the decisions they revisit or are revisited by; for a
# member the answers to count, for a coach the link, the team and the names to mask.
# Rendered afresh: the member's first view after a change (then it is kept).
LOG_QUERIES = {"/decisions/": 8, "team": 8}
# A kept log: who is signed in and her team, nothing rendered.
KEPT_LOG_QUERIES = 2


@pytest.mark.parametrize("path", ["/decisions/", "team"])
def test_the_log_takes_the_same_number_of_queries_with_5_or_50_decisions(app, cast, as_user, path):
    app.config["PAGE_CACHE_SIZE"] = 0
    app.extensions.pop("teamcase.pages", None)
    user = cast.coach_a if path == "team" else cast.a1
    url = f"/decisions/teams/{cast.team_a.id}" if path == "team" else path
    client = as_user(user)
    _many_decisions(cast, 5)
    client.get(url)

    with count_queries() as few:
        assert client.get(url).status_code == 200
    _many_decisions(cast, 45)
    with count_queries() as many:
        assert client.get(url).status_code == 200

    assert len(few) == len(many) == LOG_QUERIES[path], many


def test_the_members_log_is_kept_until_the_team_changes_something(app, cast, as_user):
    client = as_user(cast.a1)
    _many_decisions(cast, 5)
    first = client.get("/decisions/").data.decode()
    with count_queries() as kept:
        again = client.get("/decisions/").data.decode()
    _many_decisions(cast, 45)
    client.get("/decisions/")
    with count_queries() as kept_longer:
        longer = client.get("/decisions/").data.decode()

    assert again == first
    assert len(kept) == len(kept_longer) == KEPT_LOG_QUERIES, kept_longer
    # A colleague's proposal is in the log at once.
    posted = as_user(cast.a2).post(
        "/decisions/new", data={"proposal": "We share one car", "purpose": "Costs", "client": "0"}
    )
    assert posted.status_code == 303
    assert "We share one car" in client.get("/decisions/").data.decode()
    assert "We share one car" not in longer


def test_a_kept_log_and_its_filtered_results_each_come_as_they_were_asked(app, cast, as_user):
    _many_decisions(cast, 3)
    client = as_user(cast.a1)
    page = client.get("/decisions/?q=Proposal+1").data.decode()
    results = client.get("/decisions/?q=Proposal+1", headers=HTMX).data.decode()
    dutch = client.get("/decisions/?q=Proposal+1", headers={"Accept-Language": "nl"})

    assert "<html" in page and "<html" not in results
    assert 'id="decision-results"' in results and "Proposal 1" in results
    assert "<html" in client.get("/decisions/?q=Proposal+1").data.decode()
    assert "Besluiten" in dutch.data.decode()
    assert "Proposal 2" not in client.get("/decisions/?q=Proposal+1", headers=HTMX).data.decode()


def test_a_kept_log_counts_the_answers_once_their_time_runs_out(app, cast, as_user, monkeypatch):
    proposal = _propose(cast, asynchronous=True)
    client = as_user(cast.a1)
    assert "answers until" in client.get("/decisions/").data.decode()
    assert "answers until" in client.get("/decisions/").data.decode()

    later = proposal.deadline + dt.timedelta(minutes=1)
    monkeypatch.setattr("teamcase.pagecache.utcnow", lambda: later)
    monkeypatch.setattr("teamcase.models.decisions.utcnow", lambda: later)
    page = client.get("/decisions/").data.decode()

    assert "answers until" not in page
    with db.connection_context():
        assert Decision.get_by_id(proposal.id).settled_at is not None


# Who is signed in and their team, the decision, its steps with who said and
# resolved them, the members, decisions it revisits or that revisit it, who proposed it, the person,
# and the training and experiments that came from it.
DECISION_QUERIES = 11


def test_a_decision_page_takes_the_same_number_of_queries_with_5_or_50_steps(app, cast, as_user):
    decision = _propose(cast, client=cast.person_a)
    client = as_user(cast.a1)

    def add_steps(count):
        with db.connection_context():
            for n in range(count):
                step = decision.add_step(cast.a1, "objection", f"Worry {n}", member=cast.a2)
                if n % 2:
                    decision.resolve(cast.a1, step, "Answered", resolved_by=cast.a2)

    add_steps(5)
    client.get(f"/decisions/{decision.id}")
    with count_queries() as few:
        assert client.get(f"/decisions/{decision.id}").status_code == 200
    add_steps(45)
    with count_queries() as many:
        assert client.get(f"/decisions/{decision.id}").status_code == 200

    assert len(few) == len(many) == DECISION_QUERIES, many


# The team's rules for deciding between meetings


def test_the_team_sets_its_window_and_quorum(app, cast, as_user):
    client = as_user(cast.a1)
    form = client.get("/decisions/settings").get_data(as_text=True)

    response = client.post(
        "/decisions/settings", data={"async_days": "5", "async_quorum": "2", "version": "1"}
    )

    assert 'value="3"' in form and 'value="5"' in form
    assert response.status_code == 303
    with db.connection_context():
        team = Team.get_by_id(cast.team_a.id)
        event = AuditEvent.get(AuditEvent.entity == "team")
    assert (team.async_days, team.async_quorum, team.version) == (5, 2, 2)
    assert event.actor_id == cast.a1.id and '"async_quorum": 2' in event.changes


def test_a_quorum_larger_than_the_team_is_refused(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/decisions/settings", data={"async_days": "4", "async_quorum": "3", "version": "1"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The team has 2 members: ask for 2 answers at most." in page
    assert 'value="4"' in page
    with db.connection_context():
        assert Team.get_by_id(cast.team_a.id).async_days == 3


def test_a_stale_save_of_the_rules_names_who_saved(app, cast, as_user):
    as_user(cast.a2).post(
        "/decisions/settings", data={"async_days": "7", "async_quorum": "2", "version": "1"}
    )

    response = as_user(cast.a1).post(
        "/decisions/settings", data={"async_days": "2", "async_quorum": "1", "version": "1"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Bram Bos saved the team’s settings" in page
    assert "Days to answer: <strong>7</strong>" in page
    assert "Answers needed: <strong>2</strong>" in page
    assert 'value="2"' in page and 'name="version" type="hidden" value="2"' in page
    with db.connection_context():
        assert Team.get_by_id(cast.team_a.id).async_days == 7


def test_the_demo_team_has_three_months_of_decisions_to_show(app, demo_team):
    from conftest import login

    from teamcase.demo import DEMO_PASSWORD

    with db.connection_context():
        team = Team.get(Team.name == "Buurtzorg Oost-Noord")
        decisions = list(Decision.for_team(team))
        example = Decision.get(Decision.proposal.startswith("From next month we take no new"))
        steps = list(example.steps_in_order())
        due = [d.proposal for d in Decision.due_for_review(team, dt.date.today())]
        open_now = Decision.get(Decision.asynchronous == True, Decision.settled_at.is_null())  # noqa: E712
        answers = DecisionStep.select().where(DecisionStep.answer_of.is_null(False))
        answers = answers.where(DecisionStep.decision == open_now.id).count()
        coach = User.get(User.email == "marloes@coach.example.org")
    assert 12 <= len(decisions) <= 16
    assert {d.status for d in decisions} == {"adopted", "withdrawn", "parked", "proposed"}
    assert any(d.revisits_id for d in decisions)
    assert example.status == "adopted" and example.review_on > dt.date.today()
    assert example.proposal.endswith("urgent referrals are still accepted.")
    objection = next(s for s in steps if s.kind == "objection")
    assert "no other nursing team" in objection.text and objection.resolved_by_id
    assert due == ["We buy a second blood glucose meter for the bag of the evening shift."]
    assert open_now.answering() and 0 < answers < open_now.quorum
    member, reader = app.test_client(), app.test_client()
    login(member, User.get(User.email == "anna@oost.example.org"), DEMO_PASSWORD)
    login(reader, coach, DEMO_PASSWORD)
    log = member.get("/decisions/").get_data(as_text=True)
    assert "Hendrik Boersma" in log and "Due for review" in log
    coach_log = reader.get(f"/decisions/teams/{team.id}").get_data(as_text=True)
    assert "Boersma" not in coach_log and "A decision about H.B. #" in coach_log
    learning = reader.get(f"/learning/teams/{team.id}").get_data(as_text=True)
    assert "Wound care refresher" in learning and ">Drop</span>" in learning
