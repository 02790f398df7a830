"""The life of a support request: each move is one verb, refused from a state it
does not start from; the thread keeps every move; the times leave out waiting."""

import datetime as dt
import threading

import pytest
from conftest import PASSWORD_HASH

from teamcase.db import db
from teamcase.models import SupportMessage, SupportRefused, SupportRequest, User

T0 = dt.datetime(2026, 11, 2, 9, 0)


def _at(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def _request(cast, **fields):
    with db.connection_context():
        return SupportRequest.file(
            cast.team_a,
            by=cast.a1,
            category="equipment",
            subject="A new tablet",
            description="The screen of mine is cracked.",
            now=T0,
            **fields,
        )


def _second_office():
    return User.create(
        email="gina@office.example.org",
        name="Gina Office",
        role=User.BACKOFFICE,
        password_hash=PASSWORD_HASH,
    )


def _fresh(request):
    return SupportRequest.get_by_id(request.id)


def test_it_walks_from_new_to_closed_keeping_the_thread(app, cast):
    request = _request(cast)
    with db.connection_context():
        assert request.status == SupportRequest.NEW
        request.take(by=cast.office, now=_at(10))
        assert (request.status, request.taken_by_id) == (SupportRequest.TAKEN, cast.office.id)
        request.ask(by=cast.office, text="Which model is it?", now=_at(30))
        assert request.status == SupportRequest.WAITING
        request.answer(by=cast.a2, text="The 10-inch one.", now=_at(90))
        assert request.status == SupportRequest.TAKEN
        request.mark_done(by=cast.office, text="A new one is on its way.", now=_at(150))
        assert request.status == SupportRequest.DONE
        request.confirm(by=cast.a1, now=_at(300))
        assert _fresh(request).status == SupportRequest.CLOSED
        kinds = [(m.kind, m.author_id) for m in request.thread()]
    assert kinds == [
        (SupportMessage.FILED, cast.a1.id),
        (SupportMessage.TAKEN, cast.office.id),
        (SupportMessage.QUESTION, cast.office.id),
        (SupportMessage.ANSWER, cast.a2.id),
        (SupportMessage.DONE, cast.office.id),
        (SupportMessage.CONFIRMED, cast.a1.id),
    ]


def test_its_times_leave_out_the_time_it_waited_on_the_team(app, cast):
    request = _request(cast)
    with db.connection_context():
        request.take(by=cast.office, now=_at(10))
        request.ask(by=cast.office, text="Which model?", now=_at(30))
        # An hour with the team: the clock stands still.
        request.answer(by=cast.a1, text="The small one.", now=_at(90))
        request.mark_done(by=cast.office, now=_at(150))
        request.confirm(by=cast.a1, now=_at(300))
        request = _fresh(request)
    assert request.to_first_answer == dt.timedelta(minutes=30)
    assert request.to_done == dt.timedelta(minutes=150 - 60)
    assert request.to_confirmation == dt.timedelta(minutes=300 - 60)
    assert request.waited_seconds == 3600


def test_marked_done_without_a_question_counts_as_the_first_answer(app, cast):
    request = _request(cast)
    with db.connection_context():
        request.take(by=cast.office, now=_at(5))
        request.mark_done(by=cast.office, now=_at(45))
    assert request.to_first_answer == request.to_done == dt.timedelta(minutes=45)
    assert request.to_confirmation is None


def test_reopening_goes_back_to_whoever_had_it_and_keeps_why(app, cast):
    request = _request(cast)
    with db.connection_context():
        request.take(by=cast.office, now=_at(5))
        request.mark_done(by=cast.office, now=_at(45))
        request.reopen(by=cast.a2, text="It has not arrived.", now=_at(60))
        request = _fresh(request)
        last = list(request.thread())[-1]
    assert (request.status, request.taken_by_id, request.done_at) == (
        SupportRequest.TAKEN,
        cast.office.id,
        None,
    )
    assert (last.kind, last.text) == (SupportMessage.REOPENED, "It has not arrived.")


@pytest.mark.parametrize(
    ("state", "move"),
    [
        ("new", "ask"),
        ("new", "mark_done"),
        ("new", "confirm"),
        ("new", "reopen"),
        ("taken", "take"),
        ("taken", "confirm"),
        ("taken", "reopen"),
        ("waiting", "take"),
        ("waiting", "ask"),
        ("waiting", "mark_done"),
        ("waiting", "confirm"),
        ("done", "take"),
        ("done", "ask"),
        ("done", "answer"),
        ("done", "mark_done"),
        ("closed", "take"),
        ("closed", "answer"),
        ("closed", "confirm"),
        ("closed", "reopen"),
    ],
)
def test_it_refuses_a_move_its_state_does_not_allow(app, cast, state, move):
    request = _request(cast)
    office, member = cast.office, cast.a1
    path = {
        "new": [],
        "taken": [("take", office)],
        "waiting": [("take", office), ("ask", office)],
        "done": [("take", office), ("mark_done", office)],
        "closed": [("take", office), ("mark_done", office), ("confirm", member)],
    }[state]
    texts = {"ask": {"text": "?"}, "answer": {"text": "!"}, "reopen": {"text": "no"}}
    with db.connection_context():
        for step, (verb, who) in enumerate(path, start=1):
            getattr(request, verb)(by=who, now=_at(step), **texts.get(verb, {}))
        before = SupportMessage.select().where(SupportMessage.request == request).count()
        with pytest.raises(SupportRefused):
            getattr(request, move)(by=office, now=_at(99), **texts.get(move, {}))
        assert _fresh(request).status == state
        after = SupportMessage.select().where(SupportMessage.request == request).count()
    assert after == before


def test_a_member_may_write_while_it_is_new_without_moving_it(app, cast):
    request = _request(cast)
    with db.connection_context():
        request.answer(by=cast.a2, text="It is needed before Monday.", now=_at(3))
        assert _fresh(request).status == SupportRequest.NEW


def test_a_move_read_in_an_older_state_is_refused_and_says_who(app, cast):
    request = _request(cast)
    with db.connection_context():
        other = _second_office()
        stale = SupportRequest.get_by_id(request.id)
        request.take(by=other, now=_at(1))
        with pytest.raises(SupportRefused, match="Gina Office took this request"):
            stale.take(by=cast.office, now=_at(2))
        assert _fresh(request).taken_by_id == other.id


@pytest.mark.parametrize("attempt", range(3))
def test_two_back_office_staff_taking_at_once_one_wins_the_other_is_told(app, cast, attempt):
    request = _request(cast)
    with db.connection_context():
        other = _second_office()
    staff = {cast.office.id: cast.office, other.id: other}
    barrier = threading.Barrier(2)
    answers = {}

    def take(user_id):
        with app.app_context(), db.connection_context():
            mine = SupportRequest.get_by_id(request.id)
            barrier.wait(timeout=10)
            try:
                mine.take(by=staff[user_id])
                answers[user_id] = "won"
            except SupportRefused as refused:
                answers[user_id] = str(refused)

    threads = [threading.Thread(target=take, args=(uid,)) for uid in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == sorted(staff)
    winners = [uid for uid, answer in answers.items() if answer == "won"]
    assert len(winners) == 1
    [loser] = set(staff) - set(winners)
    assert staff[winners[0]].name in answers[loser]
    with db.connection_context():
        assert _fresh(request).taken_by_id == winners[0]
        taken = SupportMessage.select().where(
            SupportMessage.request == request, SupportMessage.kind == SupportMessage.TAKEN
        )
        assert [m.author_id for m in taken] == winners
