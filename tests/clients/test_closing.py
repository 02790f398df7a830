"""Closing, reopening and transferring a case, the closed cases and the letter."""

import datetime as dt
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import PASSWORD, count_queries

from teamcase.dates import local_now, span_text
from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    Client,
    Contact,
    Goal,
    LocalResource,
    NetworkMember,
    PlannedVisit,
    Referral,
    Team,
    utcnow,
)

LETTERS = Path(__file__).resolve().parents[2] / "test-output" / "letters"
STORY = (
    "We dressed the wound on her leg three times a week until it healed in June. "
    "Mies now walks to the market with her neighbour on Saturdays."
)


def _today(app):
    with app.app_context():
        return local_now().date()


def _person(cast):
    return Client.get_by_id(cast.person_a.id)


def _close(client, person, **overrides):
    data = {"reason": "goals_reached", "story": STORY, "version": str(person.version)}
    data.update(overrides)
    return client.post(f"/people/{person.id}/close", data=data)


def _closed(cast, by=None, days_ago=0, reason="goals_reached", story=STORY):
    """Person A closed by `by` (Anna), `days_ago` days ago."""
    person = _person(cast)
    assert person.close(by or cast.a1, person.version, reason, story, dt.date.today())
    if days_ago:
        Client.update(closed_at=utcnow() - dt.timedelta(days=days_ago)).where(
            Client.id == person.id
        ).execute()
    return _person(cast)


def _transfer(cast, note="She moves in with her daughter in the Rivierenbuurt."):
    person = _person(cast)
    return person.transfer_to(Team.get_by_id(cast.team_b.id), cast.a1, note)


def _race(*calls):
    """Run the calls at the same moment, each in a thread with its own connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            with db.connection_context():
                barrier.wait(timeout=10)
                results[index] = call()
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


# Time in care, as people say it.


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), "less than a day"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2), "1 day"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 11), "10 days"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 15), "2 weeks"),
        (dt.date(2026, 3, 1), dt.date(2026, 4, 14), "6 weeks"),
        (dt.date(2026, 3, 1), dt.date(2026, 5, 2), "8 weeks"),
        (dt.date(2026, 3, 1), dt.date(2026, 5, 3), "2 months"),
        (dt.date(2026, 3, 1), dt.date(2026, 11, 3), "8 months"),
        (dt.date(2025, 8, 20), dt.date(2026, 8, 20), "1 year"),
        (dt.date(2025, 8, 20), dt.date(2026, 9, 20), "1 year 1 month"),
        (dt.date(2025, 8, 1), dt.date(2026, 11, 3), "1 year 3 months"),
        (dt.date(2022, 1, 31), dt.date(2026, 3, 1), "4 years 1 month"),
        # A month is only whole on the same day of the month.
        (dt.date(2026, 1, 31), dt.date(2026, 12, 30), "10 months"),
    ],
)
def test_it_says_how_long_someone_was_in_care(start, end, text):
    assert span_text(start, end) == text


# Closing.


def test_it_asks_for_a_reason_and_a_closing_story(app, cast, as_user):
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/close").data.decode()
    for label in ("Goals reached", "Their network carries it now", "Moved away", "Died"):
        assert label in page
    assert "Admitted to long-term care" in page
    assert 'name="story"' in page
    assert 'name="version" type="hidden" value="1"' in page


def test_it_closes_a_case(app, cast, as_user):
    today = _today(app)
    planned = [
        PlannedVisit.create(
            team=cast.team_a, client=cast.person_a, member=cast.a1, day=day, created_by=cast.a1
        )
        for day in (today - dt.timedelta(days=1), today, today + dt.timedelta(days=3))
    ]
    done = PlannedVisit.create(
        team=cast.team_a,
        client=cast.person_a,
        member=cast.a2,
        day=today + dt.timedelta(days=1),
        status=PlannedVisit.DONE,
        created_by=cast.a1,
    )
    client = as_user(cast.a2)
    assert "cancels 2 planned visits" in client.get(f"/people/{cast.person_a.id}/close").text
    response = _close(client, _person(cast))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/people/{cast.person_a.id}"
    person = _person(cast)
    assert (person.status, person.close_reason, person.closing_story) == (
        "closed",
        "goals_reached",
        STORY,
    )
    assert abs(person.closed_at - utcnow()) < dt.timedelta(minutes=1)
    assert person.version == 2
    statuses = [PlannedVisit.get_by_id(v.id).status for v in planned]
    # Yesterday's visit stays as it was; today's and later ones are cancelled.
    assert statuses == ["planned", "cancelled", "cancelled"]
    assert PlannedVisit.get_by_id(done.id).status == "done"
    event = AuditEvent.get(AuditEvent.action == "close")
    assert (event.actor_id, event.client_id, event.entity) == (cast.a2.id, person.id, "person")
    changes = json.loads(event.changes)
    assert changes["after"]["close_reason"] == "Goals reached"
    assert changes["after"]["closing_story"] == STORY
    assert changes["after"]["planned_visits_cancelled"] == 2
    # Off the caseload, and the team sees who closed it.
    caseload = client.get("/caseload").text
    assert "case is closed. The letter for the GP is ready." in caseload
    assert f'href="/people/{person.id}"' not in caseload
    page = client.get(f"/people/{person.id}").text
    assert f"Case closed on {local_now_day(app, person.closed_at)} by Bram: goals reached" in page
    assert "(in care less than a day)" in page
    assert "Mies now walks to the market" in page
    assert f'href="/people/{person.id}/reopen"' in page
    assert f'href="/people/{person.id}/letter.pdf"' in page
    assert f'href="/people/{person.id}/close"' not in page


def local_now_day(app, moment):
    from teamcase.dates import to_local

    with app.app_context():
        local = to_local(moment)
    return f"{local.day} {local:%b %Y}"


def test_bad_input_keeps_what_was_typed(app, cast, as_user):
    response = _close(as_user(cast.a1), _person(cast), reason="", story="")
    assert response.status_code == 400
    page = response.text
    assert "Choose why the case closes." in page
    assert "Write a few sentences: what was done, and how they are now." in page
    response = _close(as_user(cast.a1), _person(cast), reason="", story="Went well.")
    assert response.status_code == 400
    assert "Went well." in response.text
    assert _person(cast).status == "active"
    assert not AuditEvent.select().where(AuditEvent.action == "close").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # A move to another team's neighbourhood is a transfer, on its own page.
        ({"reason": "transferred"}, "Choose one of the reasons in the list."),
        ({"reason": "bored"}, "Choose one of the reasons in the list."),
        ({"story": "x" * 1201}, "Keep it under 1200 characters"),
    ],
)
def test_it_refuses_a_reason_not_on_the_form_and_a_story_too_long(
    app, cast, as_user, data, message
):
    response = _close(as_user(cast.a1), _person(cast), **data)
    assert response.status_code == 400
    assert message in response.text
    assert _person(cast).status == "active"


def test_a_second_member_closing_sees_who_closed_it_first(app, cast, as_user):
    person = _person(cast)
    _closed(cast, by=cast.a2)
    response = _close(as_user(cast.a1), person, story="She is well looked after now.")
    assert response.status_code == 409
    page = response.text
    assert "Bram Bos closed this case today" in page
    # Her own words are shown back, and the first closing stands.
    assert "She is well looked after now." in page
    assert STORY in page
    assert _person(cast).closing_story == STORY
    assert AuditEvent.select().where(AuditEvent.action == "close").count() == 1


def test_details_changed_while_writing_keep_the_story_and_name_who(app, cast, as_user):
    person = _person(cast)
    assert person.update_details(cast.a2, person.version, phone="06-99999999")
    response = _close(as_user(cast.a1), person, story="Written before the change.", version="1")
    assert response.status_code == 409
    assert "Bram Bos saved changes to the details today" in response.text
    assert "Written before the change." in response.text
    # The form now carries the new version: closing again is a deliberate choice.
    assert 'name="version" type="hidden" value="2"' in response.text
    assert _person(cast).status == "active"
    assert _close(as_user(cast.a1), _person(cast)).status_code == 303


def test_two_members_closing_at_once_one_wins(app, cast):
    with db.connection_context():
        version = _person(cast).version

    def close(member, story):
        return lambda: Client.get_by_id(cast.person_a.id).close(
            member, version, "network", story, dt.date.today()
        )

    results = _race(close(cast.a1, "Anna's story"), close(cast.a2, "Bram's story"))
    assert sorted(results) == [False, True]
    person = _person(cast)
    winner = "Anna's story" if results[0] else "Bram's story"
    assert (person.status, person.closing_story, person.version) == ("closed", winner, 2)
    assert AuditEvent.select().where(AuditEvent.action == "close").count() == 1


def test_the_closing_page_of_a_closed_case_goes_back_to_the_person(app, cast, as_user):
    _closed(cast)
    response = as_user(cast.a1).get(f"/people/{cast.person_a.id}/close")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/people/{cast.person_a.id}"


def test_a_case_waiting_on_a_transfer_does_not_close(app, cast, as_user):
    person = _person(cast)
    _transfer(cast)
    client = as_user(cast.a2)
    page = client.get(f"/people/{person.id}/close").text
    assert "A transfer to Team B is waiting for their answer" in page
    assert "Anna Aalders" in page
    assert 'name="story"' not in page
    response = _close(client, _person(cast), story="Closing anyway.")
    assert response.status_code == 409
    assert "Closing anyway." in response.text
    assert _person(cast).status == "active"


def test_a_close_form_read_before_a_transfer_was_asked_is_refused(app, cast, as_user):
    person = _person(cast)
    _transfer(cast)
    # The version moved on with the transfer, so the old form cannot close.
    assert not person.close(cast.a2, person.version, "moved", "Moved.", dt.date.today())
    assert _person(cast).status == "active"


# Reopening.


def test_it_reopens_a_closed_case(app, cast, as_user):
    Client.update(care_started_at=utcnow() - dt.timedelta(days=400)).where(
        Client.id == cast.person_a.id
    ).execute()
    person = _closed(cast, days_ago=30)
    client = as_user(cast.a2)
    page = client.get(f"/people/{person.id}/reopen").text
    assert "goals reached (in care 1 year)" in page
    response = client.post(
        f"/people/{person.id}/reopen",
        data={"note": "Her daughter called: she fell again.", "version": str(person.version)},
    )
    assert response.status_code == 303
    reopened = _person(cast)
    assert reopened.status == "active"
    assert (reopened.closed_at, reopened.close_reason, reopened.closing_story) == (None, "", "")
    assert abs(reopened.care_started_at - utcnow()) < dt.timedelta(minutes=1)
    # The old period stays in the history.
    event = AuditEvent.get(AuditEvent.action == "reopen")
    changes = json.loads(event.changes)
    assert changes["before"]["closing_story"] == STORY
    assert changes["before"]["close_reason"] == "Goals reached"
    assert changes["after"]["note"] == "Her daughter called: she fell again."
    assert event.actor_id == cast.a2.id
    assert f'href="/people/{person.id}"' in client.get("/caseload").text
    history = client.get(f"/people/{person.id}/history").text
    assert "Reopened the case" in history and "Closed the case" in history


def test_reopening_twice_at_once_names_who_was_first(app, cast, as_user):
    person = _closed(cast)
    results = _race(
        lambda: Client.get_by_id(person.id).reopen(cast.a1, person.version),
        lambda: Client.get_by_id(person.id).reopen(cast.a2, person.version),
    )
    assert sorted(results) == [False, True]
    first = cast.a1 if results[0] else cast.a2
    response = as_user(cast.a1).post(
        f"/people/{person.id}/reopen", data={"note": "Back again", "version": str(person.version)}
    )
    assert response.status_code == 409
    # Anna's own reopening, from another window, is hers: "You".
    who = "You" if first == cast.a1 else first.name
    where = " in another window" if first == cast.a1 else ""
    assert f"{who} reopened this case{where} today" in response.text
    assert "Back again" in response.text
    assert AuditEvent.select().where(AuditEvent.action == "reopen").count() == 1


def test_a_reopen_note_too_long_is_sent_back(app, cast, as_user):
    person = _closed(cast)
    response = as_user(cast.a1).post(
        f"/people/{person.id}/reopen", data={"note": "y" * 1001, "version": str(person.version)}
    )
    assert response.status_code == 400
    assert "Keep it under 1000 characters." in response.text
    assert "y" * 1001 in response.text
    assert _person(cast).status == "closed"


def test_an_open_case_has_nothing_to_reopen(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.get(f"/people/{cast.person_a.id}/reopen")
    assert response.status_code == 303
    assert "nothing to reopen" in client.get(f"/people/{cast.person_a.id}").text


# The closed cases.


def _closed_people(cast, count, prefix):
    now = utcnow()
    Client.insert_many(
        [
            {
                "team": cast.team_a.id,
                "name": f"{prefix} {i:03d}",
                "status": "closed",
                "care_started_at": now - dt.timedelta(days=200 + i),
                "closed_at": now - dt.timedelta(days=i),
                "close_reason": "moved",
                "closing_story": "Moved to Zwolle.",
            }
            for i in range(count)
        ]
    ).execute()


def test_the_closed_cases_list_the_teams_closed_people(app, cast, as_user):
    Client.update(care_started_at=utcnow() - dt.timedelta(days=60)).where(
        Client.id == cast.person_a.id
    ).execute()
    _closed(cast, reason="died", story="She died at home, with her family.")
    Client.open(cast.team_a, by=cast.a1, name="Still In Care", phone="1")
    Client.open(cast.team_b, by=cast.b1, name="Other Team Closed", phone="1").close(
        cast.b1, 1, "moved", "Moved.", dt.date.today()
    )
    client = as_user(cast.a1)
    assert 'href="/people/closed"' in client.get("/caseload").text
    page = client.get("/people/closed").text
    assert "Mies Bakker" in page
    assert "Died" in page
    assert "8 weeks" in page
    assert "Still In Care" not in page
    assert "Other Team Closed" not in page
    assert "1 person" in page


def test_the_closed_cases_are_newest_first_and_paged(app, cast, as_user):
    _closed_people(cast, 55, "Closed")
    client = as_user(cast.a1)
    page = client.get("/people/closed").text
    assert page.index("Closed 000") < page.index("Closed 001")
    assert "Closed 050" not in page
    assert "Page 1 of 2" in page
    second = client.get("/people/closed?page=2").text
    assert "Closed 050" in second and "Closed 054" in second
    # Past the end: the last page.
    assert "Page 2 of 2" in client.get("/people/closed?page=9").text
    assert "Page 1 of 2" in client.get("/people/closed?page=x").text


def test_the_closed_cases_page_answers_htmx_with_the_list_alone(app, cast, as_user):
    _closed_people(cast, 3, "Closed")
    response = as_user(cast.a1).get("/people/closed", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results">')
    assert "Closed 002" in response.text


def test_the_closed_cases_query_count_does_not_grow(app, cast, as_user):
    client = as_user(cast.a1)
    _closed_people(cast, 3, "Few")
    with count_queries() as few:
        client.get("/people/closed")
    _closed_people(cast, 60, "Many")
    with count_queries() as many:
        response = client.get("/people/closed")
    assert response.text.count('class="person-name"') == 50
    assert len(few) == len(many), many


def test_the_closed_cases_are_the_teams_own(app, cast, as_user):
    assert as_user(cast.coach_a).get("/people/closed").status_code == 403
    assert as_user(cast.office).get("/people/closed").status_code == 403
    assert as_user(cast.b1).get("/people/closed").status_code == 200
    assert as_user(None).get("/people/closed").status_code == 302


# Transfers.


def test_it_asks_another_team_to_take_over(app, cast, as_user):
    Team.update(phone="020-1234567").where(Team.id == cast.team_a.id).execute()
    client = as_user(cast.a1)
    page = client.get(f"/people/{cast.person_a.id}/transfer").text
    assert "Team B (Zuid)" in page
    assert "Team A (Oost)" not in page
    response = client.post(
        f"/people/{cast.person_a.id}/transfer",
        data={"team": str(cast.team_b.id), "note": "She moves in with her daughter."},
    )
    assert response.status_code == 303
    referral = Referral.get()
    assert (referral.team_id, referral.from_team_id, referral.client_id) == (
        cast.team_b.id,
        cast.team_a.id,
        cast.person_a.id,
    )
    assert (referral.status, referral.story, referral.recorded_by_id) == (
        "open",
        "She moves in with her daughter.",
        cast.a1.id,
    )
    assert (referral.person_name, referral.street, referral.phone, referral.date_of_birth) == (
        "Mies Bakker",
        "Dapperstraat 12",
        "06-12345678",
        dt.date(1941, 5, 17),
    )
    assert (referral.referrer_org, referral.referrer_phone) == ("Team A", "020-1234567")
    # She stays with the sending team until Team B accepts.
    person = _person(cast)
    assert (person.team_id, person.status) == (cast.team_a.id, "active")
    asked = AuditEvent.get(AuditEvent.action == "ask")
    assert (asked.client_id, asked.team_id, asked.entity) == (person.id, cast.team_a.id, "transfer")
    received = AuditEvent.get(AuditEvent.entity == "referral")
    assert (received.client_id, received.team_id) == (None, cast.team_b.id)
    page = client.get(f"/people/{person.id}").text
    assert "Transfer to Team B asked on" in page
    assert "by Anna, waiting for them" in page
    assert "Withdraw the transfer" in page
    assert f'href="/people/{person.id}/letter.pdf"' in page
    assert f'href="/people/{person.id}/close"' not in page


def test_a_transfer_needs_a_team_and_a_note(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.post(f"/people/{cast.person_a.id}/transfer", data={"team": "0", "note": "  "})
    assert response.status_code == 400
    assert "Choose the team that takes over." in response.text
    assert "Write a note for the team that takes over." in response.text
    response = client.post(
        f"/people/{cast.person_a.id}/transfer",
        data={"team": str(cast.team_a.id), "note": "To ourselves?"},
    )
    assert response.status_code == 400
    assert "Choose one of the teams in the list." in response.text
    assert "To ourselves?" in response.text
    assert not Referral.select().exists()


def test_a_second_transfer_is_refused_with_who_asked(app, cast, as_user):
    _transfer(cast)
    Team.create(name="Team C", area="West")
    client = as_user(cast.a2)
    page = client.get(f"/people/{cast.person_a.id}/transfer").text
    assert "A transfer to Team B is already waiting" in page
    team_c = Team.get(Team.name == "Team C")
    response = client.post(
        f"/people/{cast.person_a.id}/transfer",
        data={"team": str(team_c.id), "note": "West is closer to her son."},
    )
    assert response.status_code == 409
    assert "by Anna Aalders" in response.text
    assert "West is closer to her son." in response.text
    assert Referral.select().count() == 1


def test_two_members_transferring_at_once_make_one_transfer(app, cast):
    with db.connection_context():
        team_c = Team.create(name="Team C", area="West")
        team_b = Team.get_by_id(cast.team_b.id)

    def transfer(member, team):
        return lambda: Client.get_by_id(cast.person_a.id).transfer_to(team, member, "Moving")

    results = _race(transfer(cast.a1, team_b), transfer(cast.a2, team_c))
    assert sorted(r is None for r in results) == [False, True]
    assert Referral.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "ask").count() == 1


def test_the_database_allows_one_waiting_transfer_per_person(app, cast):
    referral = _transfer(cast)
    # Even written past the verb, a second waiting transfer is refused.
    from peewee import IntegrityError

    with pytest.raises(IntegrityError), db.atomic():
        Referral.create(
            team=cast.team_b,
            from_team=cast.team_a,
            client=cast.person_a,
            recorded_by=cast.a2,
            person_name="Mies Bakker",
        )
    # Once decided, a new transfer may be asked.
    Referral.update(status=Referral.DECLINED).where(Referral.id == referral.id).execute()
    assert _transfer(cast) is not None


def test_a_closed_case_is_not_transferred(app, cast, as_user):
    _closed(cast)
    client = as_user(cast.a1)
    assert client.get(f"/people/{cast.person_a.id}/transfer").status_code == 303
    response = client.post(
        f"/people/{cast.person_a.id}/transfer",
        data={"team": str(cast.team_b.id), "note": "Moving."},
    )
    assert response.status_code == 409
    assert "Reopen it before a transfer." in response.text
    assert not Referral.select().exists()


def test_it_withdraws_a_transfer(app, cast, as_user):
    referral = _transfer(cast)
    client = as_user(cast.a2)
    response = client.post(f"/people/{cast.person_a.id}/transfer/withdraw")
    assert response.status_code == 303
    referral = Referral.get_by_id(referral.id)
    assert (referral.status, referral.decided_by_id) == ("withdrawn", cast.a2.id)
    assert AuditEvent.select().where(AuditEvent.action == "withdraw").count() == 2
    page = client.get(f"/people/{cast.person_a.id}").text
    assert "The transfer to Team B is withdrawn." in page
    assert "waiting for them" not in page
    # A new transfer may be asked again.
    assert _transfer(cast) is not None


def test_withdrawing_what_the_other_team_declined_says_so(app, cast, as_user):
    referral = _transfer(cast)
    assert referral.decline(cast.b1, "We are full until March.")
    client = as_user(cast.a1)
    client.post(f"/people/{cast.person_a.id}/transfer/withdraw")
    page = client.get(f"/people/{cast.person_a.id}").text
    assert "There was no transfer waiting to withdraw: Cor de Boer of Team B declined it" in page
    assert Referral.get_by_id(referral.id).status == "declined"


def test_withdrawing_when_nothing_waits(app, cast, as_user):
    client = as_user(cast.a1)
    assert client.post(f"/people/{cast.person_a.id}/transfer/withdraw").status_code == 303
    assert (
        "There was no transfer waiting to withdraw."
        in client.get(f"/people/{cast.person_a.id}").text
    )


def test_after_the_other_team_accepts_the_sending_team_sees_nothing(app, cast, as_user):
    referral = _transfer(cast)
    assert referral.accept(
        cast.b1, {"day": dt.date.today() + dt.timedelta(days=1), "member": cast.b1}
    )
    client = as_user(cast.a1)
    for url in ("", "/close", "/transfer", "/letter.pdf", "/reopen"):
        assert client.get(f"/people/{cast.person_a.id}{url}").status_code == 404
    assert client.post(f"/people/{cast.person_a.id}/transfer/withdraw").status_code == 404
    # Team A's own history of her stays.
    assert AuditEvent.select().where(AuditEvent.action == "ask").count() == 1


# Who may do it.

ROUTES = [
    ("get", "/close"),
    ("post", "/close"),
    ("get", "/reopen"),
    ("post", "/reopen"),
    ("get", "/transfer"),
    ("post", "/transfer"),
    ("post", "/transfer/withdraw"),
    ("get", "/letter.pdf"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(("role", "status"), [("b1", 404), ("coach_a", 403), ("office", 404)])
def test_only_the_team_may_close_reopen_or_transfer(app, cast, as_user, method, path, role, status):
    _transfer(cast)  # so that there is a letter and a transfer to withdraw
    client = as_user(cast.by_role(role))
    data = {"reason": "died", "story": "x", "team": str(cast.team_b.id), "note": "x"}
    response = getattr(client, method)(f"/people/{cast.person_a.id}{path}", data=data)
    assert response.status_code == status
    assert b"Mies" not in response.data
    assert Referral.get().status == "open"
    assert _person(cast).status == "active"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/close"),
        ("delete", "/reopen"),
        ("put", "/transfer"),
        ("get", "/transfer/withdraw"),
        ("post", "/letter.pdf"),
        ("post", "/closed"),
    ],
)
def test_the_wrong_method_is_refused(app, cast, as_user, method, path):
    url = "/people/closed" if path == "/closed" else f"/people/{cast.person_a.id}{path}"
    assert getattr(as_user(cast.a1), method)(url).status_code == 405


def test_the_withdraw_button_needs_the_csrf_token(csrf_app, cast):
    _transfer(cast)
    client = csrf_app.test_client()
    token = client.get("/login").text.split('"X-CSRFToken": "')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": cast.a1.email, "password": PASSWORD},
        headers={"X-CSRFToken": token},
    )
    url = f"/people/{cast.person_a.id}/transfer/withdraw"
    assert client.post(url).status_code == 400
    assert Referral.get().status == "open"
    page = client.get(f"/people/{cast.person_a.id}").text
    form_token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(url, data={"csrf_token": form_token}).status_code == 303
    assert Referral.get().status == "withdrawn"


# The letter.


def _pdf_text(response, tmp_path, name="letter"):
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/pdf"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(response.data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return path, " ".join(out.stdout.split())


def _pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split("Pages:")[1].split()[0])


def _letterhead(cast):
    Team.update(
        name="Buurtzorg Oost-Noord",
        street="Javaplein 21",
        postcode="1094 HW",
        city="Amsterdam",
        phone="020-6651200",
        email="oostnoord@buurtzorg.example.org",
    ).where(Team.id == cast.team_a.id).execute()
    Client.update(
        postcode="1093 BS",
        city="Amsterdam",
        care_started_at=dt.datetime(2026, 3, 2, 9, 0),
    ).where(Client.id == cast.person_a.id).execute()


def _care_history(cast):
    gp = LocalResource.create(
        team=cast.team_a,
        name="Huisartsenpraktijk Dapperbuurt",
        kind="gp",
        address="Dapperstraat 40, 1093 BV Amsterdam",
    )
    NetworkMember.add(
        cast.person_a, cast.a1, name="Huisartsenpraktijk Dapperbuurt", relation="gp", resource=gp
    )
    Goal.update(status="achieved", story="Since June she walks there with Joke.").where(
        Goal.id == cast.goal_a.id
    ).execute()
    Goal.add(cast.person_a, cast.a1, words="Less pain at night", status="let_go")
    for days in (30, 20, 10):
        Contact.record(
            cast.person_a,
            by=cast.a2,
            happened_at=utcnow() - dt.timedelta(days=days),
            minutes=50,
            kind="home_visit",
        )
    # Before this period in care: not counted.
    Contact.record(
        cast.person_a,
        by=cast.a2,
        happened_at=dt.datetime(2025, 1, 1, 10, 0),
        minutes=600,
        kind="home_visit",
    )


def test_the_closing_letter_tells_the_gp_what_was_done(app, cast, as_user, tmp_path):
    _letterhead(cast)
    _care_history(cast)
    person = _closed(cast)
    client = as_user(cast.a2)
    response = client.get(f"/people/{person.id}/letter.pdf")
    path, text = _pdf_text(response, tmp_path)
    assert _pages(path) == 1
    today = _today(app)
    for expected in (
        "Buurtzorg Oost-Noord",
        "Javaplein 21",
        "1094 HW Amsterdam",
        "020-6651200",
        "oostnoord@buurtzorg.example.org",
        "Huisartsenpraktijk Dapperbuurt",
        "Dapperstraat 40, 1093 BV Amsterdam",
        f"Amsterdam, {today.day} {today:%B %Y}",
        "Re: Mies Bakker, born 17 May 1941, Dapperstraat 12, 1093 BS Amsterdam",
        f"2 March 2026 to {today.day} {today:%B %Y}",
        "Reason for closing Goals reached",
        # The contact of the cast, two hours ago, and three of 50 minutes.
        "4 contacts (visits, calls and messages), about 3 hours of care",
        "walks to the market with her neighbour on Saturdays",
        "“I want to walk to the market on Saturdays again” — reached. Since June she walks",
        "Anna Aalders knew Mies best",
        "Bram Bos on behalf of Buurtzorg Oost-Noord",
    ):
        assert expected in text, expected
    # A goal let go is not in the letter.
    assert "Less pain at night" not in text
    response.close()
    event = AuditEvent.get(AuditEvent.action == "print")
    assert (event.actor_id, event.entity, json.loads(event.changes)["after"]["letter"]) == (
        cast.a2.id,
        "letter",
        "closing-letter",
    )
    assert "Printed the letter" in client.get(f"/people/{person.id}/history").text


def test_the_letter_is_named_after_the_person_and_the_date(app, cast, as_user):
    person = _closed(cast)
    response = as_user(cast.a1).get(f"/people/{person.id}/letter.pdf")
    disposition = response.headers["Content-Disposition"]
    assert f"closing-letter-Mies-Bakker-{_today(app).isoformat()}.pdf" in disposition


def test_a_letter_without_a_gp_or_address_still_reads_well(app, cast, as_user, tmp_path):
    Team.update(street="", postcode="", city="", phone="", email="").where(
        Team.id == cast.team_a.id
    ).execute()
    Client.update(street="", date_of_birth=None).where(Client.id == cast.person_a.id).execute()
    person = _closed(cast, reason="died", story="She died peacefully at home.")
    _, text = _pdf_text(as_user(cast.a1).get(f"/people/{person.id}/letter.pdf"), tmp_path)
    assert "To the GP of Mies Bakker" in text
    assert "Re: Mies Bakker Dear colleague" in text
    assert "With sadness we let you know that Mies Bakker has died." in text
    assert "Please contact us through Team A." in text


def test_a_long_story_with_many_goals_still_fits_a_page(app, cast, as_user, tmp_path):
    _letterhead(cast)
    for i in range(8):
        Goal.add(
            cast.person_a,
            cast.a1,
            words=f"Goal number {i}: " + "to do things again on my own " * 4,
            status="achieved",
            story="It took a while, and then it worked out fine. " * 6,
        )
    person = _closed(cast, story=("A long story of what we did together. " * 40)[:1200])
    path, text = _pdf_text(as_user(cast.a1).get(f"/people/{person.id}/letter.pdf"), tmp_path)
    _picture(path, LETTERS / "long-closing-letter.png", dpi=90)
    assert _pages(path) == 1
    # The goals in one sentence; the closing story whole.
    assert "Mies reached 8 goals with us." in text
    assert "It took a while" not in text
    assert "A long story of what we did together." in text


def _picture(path, out, dpi=60):
    """The PDF's first page as a PNG; (width, height) in pixels."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(out.with_suffix(""))],
        check=True,
    )
    with open(out, "rb") as png:
        header = png.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_the_letters_render_to_a4_pictures(app, cast, as_user, tmp_path):
    """Also kept in test-output/letters/, to look at."""
    _letterhead(cast)
    _care_history(cast)
    Team.update(street="Rijnstraat 115", postcode="1079 HA", city="Amsterdam").where(
        Team.id == cast.team_b.id
    ).execute()
    client = as_user(cast.a1)
    _transfer(cast, note="Mies moves in with her daughter on the Rijnstraat on 1 December.")
    path, _ = _pdf_text(client.get(f"/people/{cast.person_a.id}/letter.pdf"), tmp_path, "t")
    _picture(path, LETTERS / "transfer-letter.png", dpi=90)
    client.post(f"/people/{cast.person_a.id}/transfer/withdraw")
    person = _closed(cast)
    path, _ = _pdf_text(client.get(f"/people/{person.id}/letter.pdf"), tmp_path)
    _picture(path, LETTERS / "closing-letter.png", dpi=90)
    width, height = _picture(path, tmp_path / "letter.png")
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi


def test_the_transfer_letter_goes_to_the_receiving_team(app, cast, as_user, tmp_path):
    _letterhead(cast)
    _care_history(cast)
    Team.update(street="Rijnstraat 115", postcode="1079 HA", city="Amsterdam").where(
        Team.id == cast.team_b.id
    ).execute()
    _transfer(cast, note="Mies moves in with her daughter on the Rijnstraat on 1 December.")
    response = as_user(cast.a1).get(f"/people/{cast.person_a.id}/letter.pdf")
    assert "transfer-letter-Mies-Bakker" in response.headers["Content-Disposition"]
    path, text = _pdf_text(response, tmp_path)
    assert _pages(path) == 1
    for expected in (
        "Team B Rijnstraat 115 1079 HA Amsterdam",
        "Re: transfer of care, Mies Bakker",
        "Dear colleagues,",
        "Until you accept, Mies stays in our care.",
        "since 2 March 2026",
        "Transfer to Team B",
        "moves in with her daughter on the Rijnstraat",
        # Goals she still works on go along too.
        "— reached",
        "Copy to: Huisartsenpraktijk Dapperbuurt, Mies Bakker's GP",
    ):
        assert expected in text, expected


def test_an_open_case_has_no_letter(app, cast, as_user):
    response = as_user(cast.a1).get(f"/people/{cast.person_a.id}/letter.pdf")
    assert response.status_code == 404
    assert not AuditEvent.select().where(AuditEvent.action == "print").exists()


# The person's page.


def test_the_person_page_offers_closing_and_transfer_while_open(app, cast, as_user):
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").text
    assert f'href="/people/{cast.person_a.id}/close">Close this case' in page
    assert f'href="/people/{cast.person_a.id}/transfer">Transfer' in page
    assert "case-banner" not in page


def test_many_goals_with_their_stories_are_cut_to_fit(app, cast, as_user, tmp_path):
    _letterhead(cast)
    for i in range(8):
        Goal.add(
            cast.person_a,
            cast.a1,
            words=f"Goal number {i}: to cook for my grandchildren again",
            status="achieved",
            story="It took a while, and then it worked out fine with her son's help. " * 4,
        )
    person = _closed(cast)
    path, text = _pdf_text(as_user(cast.a1).get(f"/people/{person.id}/letter.pdf"), tmp_path)
    assert _pages(path) == 1
    assert "Goal number 0" in text
    assert "and 4 more" in text


def test_the_conflict_says_who_closed_it_first_as_a_whole_dutch_sentence(app, cast, as_user):
    """The banner is one sentence per action with its own word order, not a name,
    a verb phrase and a time glued together."""
    person = _person(cast)
    _closed(cast, by=cast.a2)
    cast.a1.choose_language("nl")
    response = _close(as_user(cast.a1), person, story="Ze is goed verzorgd nu.")
    assert response.status_code == 409
    text = " ".join(response.text.split())
    assert re.search(r"Bram Bos heeft deze zorg vandaag \d\d:\d\d afgesloten\.", text), text
    assert "closed this case" not in text
