import datetime as dt
import threading
import time

import pytest
from conftest import PASSWORD, login

from teamcase.auth.views import GENERIC_FAILURE, safe_next
from teamcase.dates import local_now
from teamcase.db import db
from teamcase.models import LoginThrottle, PlannedVisit, User, utcnow


def _post_login(client, email, password, **kw):
    return client.post("/login", data={"email": email, "password": password}, **kw)


def test_it_logs_a_member_in_to_the_caseload(app, cast):
    response = _post_login(app.test_client(), cast.a1.email, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/caseload"


def test_a_member_with_visits_today_lands_on_her_day(app, cast):
    assert cast.visit_a.member_id == cast.a1.id  # a visit in Anna's plan today
    response = _post_login(app.test_client(), cast.a1.email, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/plan/day"
    # Bram has no visits today: he starts on the caseload, as before.
    response = _post_login(app.test_client(), cast.a2.email, PASSWORD)
    assert response.headers["Location"] == "/caseload"


def test_the_start_page_is_her_day_while_she_has_visits(as_user, cast):
    client = as_user(cast.a1)
    assert client.get("/").headers["Location"] == "/caseload"
    assert cast.visit_a.day == local_now().date()
    assert client.get("/").headers["Location"] == "/plan/day"
    # A day of cancelled visits, or visits only on other days, is no day to start on.
    with db.connection_context():
        cast.visit_a.cancel(cast.a1)
        PlannedVisit.add(
            cast.person_a,
            cast.a1,
            member=cast.a1,
            day=local_now().date() + dt.timedelta(days=1),
        )
    assert client.get("/").headers["Location"] == "/caseload"
    # Done still counts: her day shows what she did.
    with db.connection_context():
        visit = PlannedVisit.add(cast.person_a, cast.a1, member=cast.a1, day=local_now().date())
        visit.mark_done(cast.a1, happened_at=utcnow(), minutes=30, kind="home_visit", note="")
    assert client.get("/").headers["Location"] == "/plan/day"


def test_a_coach_still_lands_on_the_coach_page_when_the_team_has_visits(app, cast):
    assert cast.visit_a.team_id == cast.team_a.id
    response = _post_login(app.test_client(), cast.coach_a.email, PASSWORD)
    assert response.headers["Location"] == "/coach/"


@pytest.mark.parametrize(("role", "home"), [("coach_a", "/coach/"), ("office", "/office/")])
def test_each_role_lands_on_its_own_page(app, cast, role, home):
    response = _post_login(app.test_client(), getattr(cast, role).email, PASSWORD)
    assert response.headers["Location"] == home


def test_it_accepts_the_email_in_any_case_with_spaces(app, cast):
    response = _post_login(app.test_client(), "  ANNA@a.example.org ", PASSWORD)
    assert response.status_code == 303


def test_wrong_password_and_unknown_email_get_the_same_message(app, cast):
    client = app.test_client()
    wrong_password = _post_login(client, cast.a1.email, "nope nope nope")
    unknown = _post_login(client, "nobody@example.org", PASSWORD)
    assert wrong_password.status_code == unknown.status_code == 400
    assert GENERIC_FAILURE.encode() in wrong_password.data
    assert GENERIC_FAILURE.encode() in unknown.data
    assert b"nobody@example.org" in unknown.data  # what was typed stays


def test_a_deactivated_member_cannot_log_in(app, cast):
    User.update(active=False).where(User.id == cast.a2.id).execute()
    response = _post_login(app.test_client(), cast.a2.email, PASSWORD)
    assert response.status_code == 400
    assert GENERIC_FAILURE.encode() in response.data


def test_repeated_failures_slow_down_then_block_the_account(app, cast):
    app.config.update(LOGIN_SLOWDOWN_AFTER=2, LOGIN_BLOCK_AFTER=4, LOGIN_BLOCK_MINUTES=15)
    client = app.test_client()
    for _ in range(2):
        assert GENERIC_FAILURE.encode() in _post_login(client, cast.a1.email, "wrong").data
    # Two more failures on record make the next wait 8 s, longer than any slow machine
    # takes between two requests.
    LoginThrottle.update(failures=5).where(LoginThrottle.key.startswith("email:")).execute()
    # The next try comes too soon: refused without checking the password.
    slowed = _post_login(client, cast.a1.email, PASSWORD)
    assert slowed.status_code == 400
    assert b"Wait" in slowed.data
    # Let the waits pass, fail until blocked.
    LoginThrottle.update(failures=2).where(LoginThrottle.key.startswith("email:")).execute()
    for _ in range(2):
        LoginThrottle.update(last_failure_at=utcnow() - dt.timedelta(minutes=5)).execute()
        _post_login(client, cast.a1.email, "wrong")
    blocked = _post_login(client, cast.a1.email, PASSWORD)
    assert b"paused for about 15 minutes" in blocked.data
    row = LoginThrottle.get(LoginThrottle.key == f"email:{cast.a1.email}")
    assert row.blocked_until > utcnow() + dt.timedelta(minutes=14)


def test_the_block_also_holds_for_the_address_across_accounts(app, cast):
    # Bram has not logged in from this address, so its block holds for him.
    app.config.update(LOGIN_SLOWDOWN_AFTER=100, LOGIN_ADDRESS_BLOCK_AFTER=3)
    client = app.test_client()
    for email in ("x1@example.org", "x2@example.org", "x3@example.org"):
        _post_login(client, email, "wrong")
    response = _post_login(client, cast.a2.email, PASSWORD)
    assert response.status_code == 400
    assert b"paused" in response.data


def test_a_blocked_address_still_lets_in_those_who_logged_in_from_there(app, cast):
    app.config.update(LOGIN_ADDRESS_BLOCK_AFTER=3)
    client = app.test_client()
    login(client, cast.a1)
    client.post("/logout")
    for email in ("x1@example.org", "x2@example.org", "x3@example.org"):
        _post_login(client, email, "wrong")
    assert b"paused" in _post_login(client, "x4@example.org", "wrong").data
    login(client, cast.a1)
    # Her own account's limit still holds.
    client.post("/logout")
    LoginThrottle.create(
        key=f"email:{cast.a1.email}", failures=0, blocked_until=utcnow() + dt.timedelta(minutes=5)
    )
    assert b"paused" in _post_login(client, cast.a1.email, PASSWORD).data


def test_the_address_limit_is_far_higher_than_the_account_limit(app, cast):
    """An office's shared connection: Bram's account is blocked by ten wrong
    passwords, and Anna, who never logged in from there, still gets in."""
    client = app.test_client()
    for _ in range(10):
        LoginThrottle.update(last_failure_at=utcnow() - dt.timedelta(minutes=5)).execute()
        assert GENERIC_FAILURE.encode() in _post_login(client, cast.a2.email, "wrong").data
    assert b"paused for about 15 minutes" in _post_login(client, cast.a2.email, PASSWORD).data
    assert _post_login(client, cast.a1.email, PASSWORD).status_code == 303


def test_an_address_forgives_failures_after_a_pause(app, cast):
    app.config.update(LOGIN_ADDRESS_BLOCK_AFTER=3, LOGIN_BLOCK_MINUTES=15)
    LoginThrottle.create(
        key="addr:127.0.0.1", failures=2, last_failure_at=utcnow() - dt.timedelta(minutes=16)
    )
    client = app.test_client()
    _post_login(client, "x1@example.org", "wrong")
    assert LoginThrottle.get(LoginThrottle.key == "addr:127.0.0.1").failures == 1
    _post_login(client, "x2@example.org", "wrong")
    assert _post_login(client, cast.a2.email, PASSWORD).status_code == 303


def _count_password_checks(monkeypatch):
    """The passwords the login view checks against a hash, as they are checked."""
    from teamcase.auth import views

    checked = []
    real = views.verify

    def counting(password_hash, password):
        checked.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(views, "verify", counting)
    return checked


def _dawdle_before_claiming(monkeypatch):
    """Each try pauses between reading the account's count and claiming a slot, as
    on a busy server, so that tries sent together overlap there."""
    decide = LoginThrottle._account_wait

    def slowly(row, now, rules):
        time.sleep(0.05)
        return decide(row, now, rules)

    monkeypatch.setattr(LoginThrottle, "_account_wait", slowly)


def _race(app, tries):
    """Send each (email, password) to /login from a browser and a thread of its own
    (so each request opens its own database connection), all released at once;
    returns (status, page) for each, in order."""
    barrier = threading.Barrier(len(tries))
    browsers = [app.test_client() for _ in tries]
    results = [None] * len(tries)

    def run(index):
        email, password = tries[index]
        barrier.wait()
        response = _post_login(browsers[index], email, password)
        results[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(tries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(result is not None for result in results), results
    return results


def test_twenty_tries_at_once_get_three_password_checks(app, cast, monkeypatch):
    # The clock stands still, so no wait runs out while the tries are handled:
    # LOGIN_SLOWDOWN_AFTER (3) tries may be checked, every other one must wait.
    now = utcnow()
    monkeypatch.setattr("teamcase.auth.views.utcnow", lambda: now)
    checked = _count_password_checks(monkeypatch)
    _dawdle_before_claiming(monkeypatch)
    results = _race(app, [(cast.a2.email, "wrong")] * 20 + [(cast.a1.email, PASSWORD)])
    assert checked.count("wrong") == 3
    assert sum(GENERIC_FAILURE in page for _, page in results[:-1]) == 3
    assert sum("Wait" in page for _, page in results[:-1]) == 17
    assert LoginThrottle.get(LoginThrottle.key == f"email:{cast.a2.email}").failures == 3
    # Anna, at the same address at the same moment, is let in.
    assert results[-1][0] == 303


def test_a_colleague_gets_in_while_tries_at_once_block_another_account(app, cast, monkeypatch):
    app.config.update(LOGIN_SLOWDOWN_AFTER=100, LOGIN_BLOCK_AFTER=3)
    checked = _count_password_checks(monkeypatch)
    _dawdle_before_claiming(monkeypatch)
    results = _race(app, [(cast.a2.email, "wrong")] * 20 + [(cast.a1.email, PASSWORD)])
    assert checked.count("wrong") == 3
    assert sum("paused" in page for _, page in results[:-1]) == 17
    assert results[-1][0] == 303
    # Bram's account stays blocked, even for his right password; Anna's is not.
    assert b"paused" in _post_login(app.test_client(), cast.a2.email, PASSWORD).data
    assert _post_login(app.test_client(), cast.a1.email, PASSWORD).status_code == 303
    assert checked.count(PASSWORD) == 2


def test_the_block_is_stored_in_the_database_for_every_worker(app, cast):
    LoginThrottle.create(
        key=f"email:{cast.a1.email}", failures=0, blocked_until=utcnow() + dt.timedelta(minutes=5)
    )
    response = _post_login(app.test_client(), cast.a1.email, PASSWORD)
    assert b"paused" in response.data


def test_a_successful_login_clears_the_account_failures(app, cast):
    client = app.test_client()
    _post_login(client, cast.a1.email, "wrong")
    login(client, cast.a1)
    assert not LoginThrottle.select().where(LoginThrottle.key == f"email:{cast.a1.email}").exists()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/people/3", "/people/3"),
        ("/caseload?q=mies", "/caseload?q=mies"),
        ("https://evil.example.org/", None),
        ("//evil.example.org/", None),
        ("/\\evil.example.org", None),
        ("javascript:alert(1)", None),
        ("people", None),
        ("", None),
    ],
)
def test_next_goes_only_to_local_paths(target, expected):
    assert safe_next(target) == expected


def test_it_follows_next_after_login(app, cast):
    response = app.test_client().post(
        f"/login?next=/people/{cast.person_a.id}",
        data={"email": cast.a1.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == f"/people/{cast.person_a.id}"


def test_it_ignores_an_external_next(app, cast):
    response = app.test_client().post(
        "/login?next=https://evil.example.org/",
        data={"email": cast.a1.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/caseload"


def test_anonymous_visitors_are_sent_to_login_with_next(app):
    response = app.test_client().get("/caseload")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_ends_the_session(app, cast, as_user):
    client = as_user(cast.a1)
    assert client.post("/logout").status_code == 303
    assert client.get("/caseload").status_code == 302


def test_logout_is_post_only(app, cast, as_user):
    assert as_user(cast.a1).get("/logout").status_code == 405


def test_an_idle_session_ends(app, cast, as_user):
    client = as_user(cast.a1)
    with client.session_transaction() as session:
        session["seen"] -= 31 * 60
    response = client.get("/caseload")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert b"logged out after 30 minutes" in page.data


def test_an_active_session_stays(app, cast, as_user):
    client = as_user(cast.a1)
    with client.session_transaction() as session:
        session["seen"] -= 29 * 60
    assert client.get("/caseload").status_code == 200


def _copy_of(client):
    """The session cookie, as someone who copied it (or a proxy that logged it) has it."""
    return client.get_cookie("session").value


def _opens(app, cookie):
    """Whether a browser sending this session cookie gets in (a fresh browser each
    time: one that obeyed the server would have dropped an ended cookie)."""
    browser = app.test_client()
    browser.set_cookie("session", cookie)
    return browser.get("/caseload").status_code == 200


def _ended(client):
    response = client.get("/caseload")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_ends_every_session_of_the_account(app, cast, as_user):
    anna = as_user(cast.a1)
    copy = _copy_of(anna)
    other_tablet = as_user(cast.a1)
    bram = as_user(cast.a2)
    assert _opens(app, copy)
    assert anna.post("/logout").status_code == 303
    assert not _opens(app, copy)
    assert _ended(other_tablet)
    assert b"Your session has ended" in other_tablet.get("/login").data
    # A colleague's session is hers, not Anna's.
    assert bram.get("/caseload").status_code == 200
    login(anna, cast.a1)
    assert anna.get("/caseload").status_code == 200
    assert not _opens(app, copy)


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, cast, as_user):
    anna = as_user(cast.a1)
    copy = _copy_of(anna)
    other_tablet = as_user(cast.a1)
    response = anna.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a much longer pass", "repeat": "a much longer pass"},
    )
    assert response.status_code == 303
    assert anna.get("/caseload").status_code == 200
    assert not _opens(app, copy)
    assert _ended(other_tablet)
    assert User.get_by_id(cast.a1.id).session_generation == cast.a1.session_generation + 1


def test_deactivation_by_a_colleague_ends_her_sessions_for_good(app, cast, as_user):
    bram = as_user(cast.a2)
    copy = _copy_of(bram)
    anna = as_user(cast.a1)
    response = anna.post(f"/team/members/{cast.a2.id}/deactivate", data={"note": "Moved"})
    assert response.status_code == 303
    assert _ended(bram)
    assert not _opens(app, copy)
    # She comes back: she logs in again; the old cookie stays dead.
    assert anna.post(f"/team/members/{cast.a2.id}/reactivate").status_code == 303
    assert not _opens(app, copy)
    login(bram, cast.a2)
    assert bram.get("/caseload").status_code == 200


def test_a_session_ends_after_its_lifetime_however_busy(app, cast, as_user, monkeypatch):
    app.config["SESSION_MAX_HOURS"] = 1
    anna = as_user(cast.a1)
    with anna.session_transaction() as session:
        since = session["since"]
    clock = dt.datetime.fromtimestamp(since)
    monkeypatch.setattr("teamcase.app.utcnow", lambda: clock)
    # Used every minute, so never idle, for the hour a session may last.
    for _ in range(60):
        clock += dt.timedelta(minutes=1)
        assert anna.get("/account/password").status_code == 200
    clock += dt.timedelta(minutes=1)
    response = anna.get("/account/password")
    assert response.status_code == 302
    assert b"a session lasts at most 1 h." in anna.get(response.headers["Location"]).data
    monkeypatch.undo()
    login(anna, cast.a1)
    assert anna.get("/account/password").status_code == 200


def test_a_session_from_before_generations_ends(app, cast, as_user):
    anna = as_user(cast.a1)
    with anna.session_transaction() as session:
        del session["generation"]
        del session["since"]
    assert _ended(anna)


def test_there_is_no_remember_me_to_bring_a_session_back(app, cast, as_user):
    from flask_login.utils import encode_cookie

    client = app.test_client()
    login(client, cast.a1)
    assert client.get_cookie("remember_token") is None
    client.post("/logout")
    # Flask-Login would read such a cookie; signed with the app's own key it holds
    # the account id, but no session generation, so it opens nothing.
    with app.test_request_context():
        client.set_cookie("remember_token", encode_cookie(str(cast.a1.id)))
    assert _ended(client)
    assert _ended(client)


def test_passwords_are_stored_as_argon2id(app, cast):
    user = User.get_by_id(cast.a1.id)
    user.set_password("a new long password")
    assert user.password_hash.startswith("$argon2id$")


def test_forms_need_a_csrf_token(csrf_app, cast):
    client = csrf_app.test_client()
    response = _post_login(client, cast.a1.email, PASSWORD)
    assert response.status_code == 400
    assert b"expired" in response.data


def test_htmx_requests_send_the_token_in_a_header(csrf_app, cast):
    client = csrf_app.test_client()
    page = client.get("/login").data.decode()
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"email": cast.a1.email, "password": PASSWORD},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 303


def test_a_member_changes_her_password(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a much longer pass", "repeat": "a much longer pass"},
    )
    assert response.status_code == 303
    client.post("/logout")
    assert _post_login(client, cast.a1.email, "a much longer pass").status_code == 303


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"current": "wrong", "new": "long enough pw", "repeat": "long enough pw"},
            b"not your current",
        ),
        ({"current": PASSWORD, "new": "short", "repeat": "short"}, b"at least 10"),
        (
            {"current": PASSWORD, "new": "long enough pw", "repeat": "other one here"},
            b"not the same",
        ),
    ],
)
def test_a_bad_password_change_says_why(app, cast, as_user, data, message):
    response = as_user(cast.a1).post("/account/password", data=data)
    assert response.status_code == 400
    assert message in response.data
    assert User.get_by_id(cast.a1.id).password_hash == cast.a1.password_hash
