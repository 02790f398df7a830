"""Requests of a kind: the back office makes the account or the team asked for, or
deactivates, unlocks or gives a new first password to the colleague the team named,
in one move that marks the request done; only for the requesting team's accounts,
once, and of two staff acting at once one acts and the other is told."""

import datetime as dt
import json
import threading

import pytest
from conftest import PASSWORD, PASSWORD_HASH

from teamcase.auth.passwords import Passwords, first_password
from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    EmailInUse,
    LoginThrottle,
    SupportMessage,
    SupportRefused,
    SupportRequest,
    Team,
    TeamChangeRefused,
    User,
)
from teamcase.models.support import DEACTIVATE, NEW_COLLEAGUE, NEW_TEAM, UNLOCK
from teamcase.models.support import PASSWORD as RESET

T0 = dt.datetime(2026, 11, 2, 9, 0)
STARTS = dt.date(2026, 12, 1)
NEW_HASH = Passwords(time_cost=1, memory_kib=8, parallelism=1).hash("kmzp-7rtx-9dhq")


def _file(cast, kind, team=None, by=None, **asked):
    with db.connection_context():
        return SupportRequest.file(
            team or cast.team_a,
            by=by or cast.a1,
            category="accounts",
            subject="",
            description="",
            kind=kind,
            now=T0,
            **asked,
        )


def _new_colleague(cast):
    return _file(
        cast,
        NEW_COLLEAGUE,
        asked_name="Sanne de Vries",
        asked_email="sanne@a.example.org",
        starts_on=STARTS,
    )


def _events(entity, action):
    return [
        json.loads(e.changes)["after"]
        for e in AuditEvent.select().where(AuditEvent.entity == entity, AuditEvent.action == action)
    ]


def test_a_new_colleague_s_account_is_made_outside_any_team_and_the_request_is_done(app, cast):
    request = _new_colleague(cast)
    with db.connection_context():
        request.act(
            by=cast.office,
            name="Sanne de Vries",
            email="Sanne@A.example.org ",
            password_hash=NEW_HASH,
        )
        fresh = SupportRequest.get_by_id(request.id)
        account = User.get_by_id(fresh.account_id)
        assert (account.name, account.email, account.team_id) == (
            "Sanne de Vries",
            "sanne@a.example.org",
            None,
        )
        assert account.is_member and account.must_change_password and account.waiting_for_a_team
        assert (fresh.status, fresh.taken_by_id) == (SupportRequest.DONE, cast.office.id)
        assert fresh.acted_at and fresh.done_at
        assert [m.kind for m in fresh.thread()] == ["filed", "account"]
        assert fresh.acted_text.startswith("Account made for Sanne de Vries (sanne@a.example.org)")
        [made] = _events("member", "account")
        assert made["name"] == "Sanne de Vries" and made["starts_on"] == "2026-12-01"
        assert AuditEvent.get(AuditEvent.action == "account").team_id == cast.team_a.id
        assert list(SupportRequest.accounts_made_for(cast.team_a)) == [fresh]
        assert not list(SupportRequest.accounts_made_for(cast.team_b))


def test_the_team_adds_the_colleague_once_and_the_log_says_who(app, cast):
    request = _new_colleague(cast)
    with db.connection_context():
        request.act(
            by=cast.office,
            name="Sanne de Vries",
            email="sanne@a.example.org",
            password_hash=NEW_HASH,
        )
        account = request.add_colleague(by=cast.a2)
        assert User.get_by_id(account.id).team_id == cast.team_a.id
        [added] = _events("member", "add")
        assert added["name"] == "Sanne de Vries"
        with pytest.raises(TeamChangeRefused, match="Bram Bos already added Sanne de Vries"):
            SupportRequest.get_by_id(request.id).add_colleague(by=cast.a1)
        assert not list(SupportRequest.accounts_made_for(cast.team_a))


def test_an_account_not_made_yet_cannot_be_added(app, cast):
    request = _new_colleague(cast)
    with db.connection_context(), pytest.raises(TeamChangeRefused, match="not made this account"):
        request.add_colleague(by=cast.a1)


def test_a_taken_address_changes_nothing(app, cast):
    request = _new_colleague(cast)
    with db.connection_context():
        with pytest.raises(EmailInUse, match="bram@a.example.org"):
            request.act(
                by=cast.office, name="Sanne", email="bram@a.example.org", password_hash=NEW_HASH
            )
        fresh = SupportRequest.get_by_id(request.id)
        assert (fresh.status, fresh.acted_at, fresh.account_id) == (SupportRequest.NEW, None, None)
        assert [m.kind for m in fresh.thread()] == ["filed"]


def test_the_account_is_made_once(app, cast):
    request = _new_colleague(cast)
    with db.connection_context():
        request.act(
            by=cast.office, name="Sanne", email="sanne@a.example.org", password_hash=NEW_HASH
        )
        request.reopen(by=cast.a1, text="She has no tablet yet.")
        with pytest.raises(SupportRefused, match="The account was made already"):
            request.act(
                by=cast.office, name="Sanne", email="sanne2@a.example.org", password_hash=NEW_HASH
            )
        assert User.select().where(User.name == "Sanne").count() == 1


def test_a_new_team_is_made_with_its_name_and_area(app, cast):
    request = _file(
        cast, NEW_TEAM, asked_name="Team C", asked_area="Noord", movers=[cast.a2, cast.a3]
    )
    with db.connection_context():
        request.take(by=cast.office)
        request.act(by=cast.office, name="Team C", area="Noord-West")
        team = Team.get(Team.name == "Team C")
        fresh = SupportRequest.get_by_id(request.id)
        assert (team.area, fresh.made_team_id, fresh.status) == ("Noord-West", team.id, "done")
        assert fresh.acted_text == (
            "Team made: Team C (Noord-West). Bram Bos, Carla Claes moved to it: each sees "
            "the new team on her next page."
        )
        [made] = _events("team", "create")
        assert made == {
            "name": "Team C",
            "area": "Noord-West",
            "asked_by": "Team A",
            "members": ["Bram Bos", "Carla Claes"],
        }


def test_a_team_name_taken_changes_nothing(app, cast):
    from peewee import IntegrityError

    request = _file(cast, NEW_TEAM, asked_name="Team B", movers=[cast.a2, cast.a3])
    with db.connection_context():
        with pytest.raises(IntegrityError):
            request.act(by=cast.office, name="Team B", area="")
        assert SupportRequest.get_by_id(request.id).status == SupportRequest.NEW
        assert Team.select().count() == 2


def test_a_request_about_a_colleague_names_one_of_the_team(app, cast):
    with pytest.raises(SupportRefused, match="Choose a colleague of the team"):
        _file(cast, DEACTIVATE, account=cast.b1)
    with pytest.raises(SupportRefused):
        _file(cast, UNLOCK, account=cast.office)
    request = _file(cast, UNLOCK, account=cast.a2)
    assert (request.account_id, request.asked_name) == (cast.a2.id, "Bram Bos")
    assert request.title == "Unlock the account of Bram Bos"


def test_deactivating_ends_her_sessions_and_the_log_keeps_it(app, cast):
    request = _file(cast, DEACTIVATE, account=cast.a2)
    with db.connection_context():
        generation = User.get_by_id(cast.a2.id).session_generation
        request.act(by=cast.office, today=dt.date(2026, 11, 3))
        bram = User.get_by_id(cast.a2.id)
        assert not bram.active and bram.session_generation == generation + 1
        [event] = AuditEvent.select().where(AuditEvent.action == "deactivate")
        assert (event.actor_id, event.team_id) == (cast.office.id, cast.team_a.id)
        assert [m.kind for m in request.thread()] == ["filed", "deactivate"]


def test_deactivating_the_last_member_is_refused_and_nothing_moves(app, cast):
    request = _file(cast, DEACTIVATE, account=cast.b1, team=cast.team_b, by=cast.b1)
    with db.connection_context():
        with pytest.raises(SupportRefused, match="last active member"):
            request.act(by=cast.office)
        assert User.get_by_id(cast.b1.id).active
        assert SupportRequest.get_by_id(request.id).status == SupportRequest.NEW


def test_a_colleague_who_moved_to_another_team_is_not_acted_on(app, cast):
    request = _file(cast, RESET, account=cast.a2)
    with db.connection_context():
        User.update(team=cast.team_b).where(User.id == cast.a2.id).execute()
        with pytest.raises(SupportRefused, match="no longer a member of this team"):
            request.act(by=cast.office, password_hash=NEW_HASH)
        assert User.get_by_id(cast.a2.id).password_hash == PASSWORD_HASH


def test_unlocking_forgets_her_failed_logins(app, cast):
    request = _file(cast, UNLOCK, account=cast.a2)
    rules = LoginThrottle.Rules.from_config(app.config)
    with app.app_context(), db.connection_context():
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for _n in range(rules.block_after):
            LoginThrottle.claim(cast.a2.email, "10.0.0.1", now, rules)
        assert LoginThrottle.claim(cast.a2.email, "10.0.0.1", now, rules) > 0
        request.act(by=cast.office)
        assert LoginThrottle.claim(cast.a2.email, "10.0.0.1", now, rules) == 0
        [event] = _events("member", "unlock")
        assert event == {"name": "Bram Bos", "was_locked": True}


def test_a_new_first_password_must_be_changed_and_ends_her_sessions(app, cast):
    request = _file(cast, RESET, account=cast.a2)
    with db.connection_context():
        generation = User.get_by_id(cast.a2.id).session_generation
        request.act(by=cast.office, password_hash=NEW_HASH)
        bram = User.get_by_id(cast.a2.id)
        assert bram.password_hash == NEW_HASH and bram.must_change_password
        assert bram.session_generation == generation + 1
        assert _events("member", "reset") == [{"name": "Bram Bos"}]


def test_a_deactivated_colleague_gets_no_new_password(app, cast):
    request = _file(cast, RESET, account=cast.a2)
    with db.connection_context():
        cast.a2.deactivate(cast.a1, dt.date(2026, 11, 2))
        with pytest.raises(SupportRefused, match="deactivated"):
            request.act(by=cast.office, password_hash=NEW_HASH)
        assert User.get_by_id(cast.a2.id).password_hash == PASSWORD_HASH


def test_a_request_of_no_kind_and_one_in_the_wrong_state_are_refused(app, cast):
    with db.connection_context():
        general = SupportRequest.file(
            cast.team_a, by=cast.a1, category="pay", subject="Pay", description="Late."
        )
        with pytest.raises(SupportRefused, match="asks for nothing"):
            general.act(by=cast.office)
        request = _file(cast, UNLOCK, account=cast.a2)
        request.take(by=cast.office)
        request.ask(by=cast.office, text="Since when?")
        with pytest.raises(SupportRefused, match="Only a new request, or one being handled"):
            request.act(by=cast.office)
        assert not _events("member", "unlock")


def _second_office():
    return User.create(
        email="gina@office.example.org",
        name="Gina Office",
        role=User.BACKOFFICE,
        password_hash=PASSWORD_HASH,
    )


@pytest.mark.parametrize("attempt", range(3))
def test_two_staff_making_the_account_at_once_one_makes_it_the_other_is_told(app, cast, attempt):
    request = _new_colleague(cast)
    with db.connection_context():
        other = _second_office()
    staff = {cast.office.id: cast.office, other.id: other}
    barrier = threading.Barrier(2)
    answers = {}

    def act(user_id):
        with app.app_context(), db.connection_context():
            mine = SupportRequest.get_by_id(request.id)
            barrier.wait(timeout=10)
            try:
                mine.act(
                    by=staff[user_id],
                    name="Sanne de Vries",
                    email=f"sanne{user_id}@a.example.org",
                    password_hash=NEW_HASH,
                )
                answers[user_id] = "won"
            except SupportRefused as refused:
                answers[user_id] = str(refused)

    threads = [threading.Thread(target=act, args=(uid,)) for uid in staff]
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
        # Only the winner's account exists: nothing of the other's stayed.
        assert User.select().where(User.name == "Sanne de Vries").count() == 1
        assert SupportMessage.select().where(SupportMessage.kind == "account").count() == 1


def test_a_first_password_is_long_enough_and_readable_aloud():
    from teamcase.auth.passwords import MIN_LENGTH

    made = {first_password() for _n in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password) >= MIN_LENGTH and not set(password) & set("0O1lI")
    assert PASSWORD not in made
