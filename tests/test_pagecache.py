"""Pages rendered once per change (teamcase/pagecache.py) and the change stamp every
write moves on (teamcase/changes.py)."""

import datetime as dt
import re

import pytest
from conftest import count_queries
from flask import g

from teamcase.changes import UNSHOWN
from teamcase.dates import local_now, local_today
from teamcase.db import db
from teamcase.models import MODELS, Contact, Decision, Meeting, Team, utcnow


def _stamps():
    with db.connection_context():
        return dict(Team.select(Team.id, Team.changed).tuples())


def _delete_nothing(model):
    # A write statement of this model that touches no row: the stamp still moves,
    # as nothing but the statement itself is looked at.
    model.delete().where(model._meta.primary_key == -1).execute()


def _update_nothing(model):
    key = model._meta.primary_key
    model.update({key: key}).where(key == -1).execute()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_write_of_a_members_request_moves_her_teams_stamp(app, cast, model):
    before = _stamps()
    with app.test_request_context("/"), db.connection_context():
        g._login_user = cast.a1
        _delete_nothing(model)
        with db.atomic():
            _update_nothing(model)
            _delete_nothing(model)
    after = _stamps()
    table = model._meta.table_name
    a, b = cast.team_a.id, cast.team_b.id
    if table in UNSHOWN:
        assert after == before
    elif table == "referral":
        # A transfer is written by one team about another's person: every team.
        assert after[a] > before[a] and after[b] > before[b]
    else:
        # Once for the write on its own, once for the transaction of two.
        assert (after[a] - before[a], after[b] - before[b]) == (2, 0)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_write_outside_a_request_moves_every_teams_stamp(app, cast, model):
    before = _stamps()
    with db.connection_context():
        _delete_nothing(model)
    after = _stamps()
    if model._meta.table_name in UNSHOWN:
        assert after == before
    else:
        assert all(after[t] == before[t] + 1 for t in before)


def test_a_write_rolled_back_moves_no_stamp(app, cast):
    before = _stamps()
    with app.test_request_context("/"), db.connection_context():
        g._login_user = cast.a1
        with pytest.raises(RuntimeError), db.atomic():
            Contact.update(note="x").where(Contact.id == -1).execute()
            raise RuntimeError
    assert _stamps() == before


def test_every_view_audited_moves_nothing(app, cast, as_user):
    client = as_user(cast.a1)
    client.get(f"/people/{cast.person_a.id}")
    before = _stamps()
    client.get(f"/people/{cast.person_a.id}")
    assert _stamps() == before


def test_the_person_page_is_kept_until_the_team_writes(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    first = client.get(url).data.decode()
    with count_queries() as kept:
        again = client.get(url)
    # The session's account and team, the person, the audit row: nothing rendered.
    assert len(kept) <= 5, kept
    assert again.data.decode().count('class="contact"') == first.count('class="contact"')

    # A colleague records a contact: Anna sees it at once.
    as_user(cast.a2).post(
        f"{url}/contacts/new",
        data={"kind": "phone", "minutes": "15", "happened_at": "2026-01-05T10:30", "note": "Rang"},
    )
    assert "Rang" in client.get(url).data.decode()


def test_how_we_are_doing_is_kept_until_the_team_writes(app, cast, as_user):
    client = as_user(cast.a1)
    first = client.get("/measures/").data.decode()
    with count_queries() as kept:
        again = client.get("/measures/")
    assert len(kept) <= 2, kept
    assert again.data.decode().count('class="xmr"') == first.count('class="xmr"')
    # A colleague records a call that came in: the page counts it at once.
    before = first.count("GP line")
    as_user(cast.a2).post(
        f"/people/{cast.person_a.id}/contacts/new",
        data={
            "kind": "phone",
            "minutes": "15",
            "happened_at": local_now().strftime("%Y-%m-%dT%H:%M"),
            "note": "Could not reach the GP",
            "incoming": "y",
            "demand": "failure",
            "demand_why": "GP line",
        },
    )
    assert client.get("/measures/").data.decode().count("GP line") > before


def test_another_teams_writes_keep_the_page(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    client.get(url)
    as_user(cast.b1).post(
        f"/people/{cast.person_b.id}/contacts/new",
        data={"kind": "phone", "minutes": "15", "happened_at": "2026-01-05T10:30"},
    )
    with count_queries() as kept:
        client.get(url)
    assert len(kept) <= 5, kept


def test_each_member_and_language_gets_her_own_page(app, cast, as_user):
    url = f"/people/{cast.person_a.id}"
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    assert "Anna Aalders" in anna.get(url).data.decode()
    assert "Bram Bos" in bram.get(url).data.decode().split("</header>")[0]
    dutch = anna.get(url, headers={"Accept-Language": "nl"}).data.decode()
    english = anna.get(url, headers={"Accept-Language": "en"}).data.decode()
    assert ("Contacten" in dutch) != ("Contacten" in english) or dutch != english


def test_a_kept_page_has_a_fresh_token_and_clock_that_work(app, cast, as_user):
    client = as_user(cast.a1)
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/people/{cast.person_a.id}"
    client.get(url)
    page = client.get(url).data.decode()
    assert "filled-in-per-response" not in page and "1901-02-03" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    clock = re.search(r'name="happened_at" required type="datetime-local" value="([^"]+)"', page)
    assert token and clock
    assert clock.group(1) == local_now().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"{url}/contacts/new",
        data={
            "csrf_token": token.group(1),
            "kind": "phone",
            "minutes": "15",
            "happened_at": clock.group(1),
            "note": "With the kept page's token",
        },
    )
    assert response.status_code == 303
    assert "With the kept page&#39;s token" in client.get(url).data.decode()


def test_a_contact_stops_being_correctable_on_a_kept_page(app, cast, as_user, monkeypatch):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    client.post(
        f"{url}/contacts/new",
        data={"kind": "phone", "minutes": "15", "happened_at": "2026-01-05T10:30"},
    )
    assert "Correct or remove" in client.get(url).data.decode()
    assert "Correct or remove" in client.get(url).data.decode()
    later = utcnow() + dt.timedelta(hours=25)
    monkeypatch.setattr("teamcase.pagecache.utcnow", lambda: later)
    monkeypatch.setattr("teamcase.models.clients.utcnow", lambda: later)
    assert "Correct or remove" not in client.get(url).data.decode()


def test_a_flash_message_is_shown_once_and_the_page_kept_after(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    client.get(url)
    client.post(
        f"{url}/contacts/new",
        data={"kind": "phone", "minutes": "15", "happened_at": "2026-01-05T10:30"},
    )
    assert "recorded for Mies Bakker." in client.get(url).data.decode()
    assert "recorded for Mies Bakker." not in client.get(url).data.decode()


def test_keeping_pages_can_be_turned_off(app, cast, as_user):
    app.config["PAGE_CACHE_SIZE"] = 0
    app.extensions.pop("teamcase.pages", None)
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    client.get(url)
    with count_queries() as fresh:
        client.get(url)
    assert len(fresh) > 10
    app.extensions.pop("teamcase.pages", None)


def test_the_agenda_is_built_once_per_change_and_again_when_answers_run_out(
    app, cast, as_user, monkeypatch
):
    with db.connection_context():
        meeting = Meeting.plan(
            cast.team_a,
            cast.a1,
            held_on=local_today() + dt.timedelta(days=7),
            starts_at=dt.time(13, 30),
            place="The team room",
        )
        proposal = Decision.propose(
            Team.get_by_id(cast.team_a.id),
            cast.a1,
            "We try a shared phone for evening calls",
            "Fewer missed calls",
            asynchronous=True,
        )
    client = as_user(cast.a1)
    url = f"/meetings/{meeting.id}"
    client.get(url)
    with count_queries() as kept:
        page = client.get(url).data.decode()
    # Nothing built, nothing rendered: the session's account and team, the meeting.
    assert len(kept) <= 4, kept
    assert "shared phone" not in page
    # Nobody answered by the deadline: the proposal goes to the meeting.
    later = proposal.deadline + dt.timedelta(minutes=1)
    monkeypatch.setattr("teamcase.pagecache.utcnow", lambda: later)
    monkeypatch.setattr("teamcase.models.decisions.utcnow", lambda: later)
    assert "shared phone" in client.get(url).data.decode()
