import datetime as dt
import json
import threading
import zoneinfo

import pytest
from conftest import count_queries

from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    Client,
    Contact,
    KnownBest,
    PlannedVisit,
    Referral,
    Task,
    Team,
    utcnow,
)

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _referral(cast, team=None, **fields):
    data = {
        "team": team or cast.team_a,
        "recorded_by": cast.a1,
        "person_name": "Jan de Groot",
        "referrer_name": "Dr. Pietersen",
        "referrer_org": "Huisartsenpraktijk Oost",
        "street": "Javastraat 40",
        "story": "Home from hospital after a fall; lives alone.",
        "urgency": "soon",
    }
    data.update(fields)
    return Referral.create(**data)


def _accept_data(**overrides):
    data = {
        "accept-day": (_today() + dt.timedelta(days=1)).isoformat(),
        "accept-starts_at": "10:00",
        "accept-ends_at": "11:00",
        "accept-minutes": "45",
        "accept-who": "me",
        "accept-known_best": "y",
    }
    data.update(overrides)
    return data


def _first_visit(member, day=None):
    return {
        "day": day or _today() + dt.timedelta(days=1),
        "starts_at": None,
        "ends_at": None,
        "minutes": 45,
        "member": member,
    }


# The inbox


def test_it_lists_open_referrals_urgent_first_then_the_meeting_then_decided(app, cast, as_user):
    now = utcnow()
    _referral(
        cast, person_name="Old Routine", urgency="routine", received_at=now - dt.timedelta(days=2)
    )
    _referral(
        cast, person_name="New Urgent", urgency="urgent", received_at=now - dt.timedelta(hours=1)
    )
    _referral(
        cast,
        person_name="Talk About",
        status=Referral.MEETING,
        meeting_reason="We are full until March",
        decided_by=cast.a2,
        decided_at=now,
    )
    _referral(
        cast,
        person_name="Said No",
        status=Referral.DECLINED,
        decline_reason="Needs a night service",
        referred_on_to="Nachtzorg Amsterdam",
        decided_by=cast.a2,
        decided_at=now - dt.timedelta(days=3),
    )
    _referral(
        cast,
        person_name="Long Ago",
        status=Referral.DECLINED,
        decline_reason="Moved away",
        decided_by=cast.a2,
        decided_at=now - dt.timedelta(days=31),
    )
    _referral(cast, team=cast.team_b, recorded_by=cast.b1, person_name="Other Team")

    response = as_user(cast.a1).get("/referrals/")

    assert response.status_code == 200
    page = response.data.decode()
    order = ["New Urgent", "Old Routine", "Talk About", "Said No"]
    assert [page.index(name) for name in order] == sorted(page.index(name) for name in order)
    assert "We are full until March" in page
    assert "Needs a night service" in page and "Pointed to Nachtzorg Amsterdam" in page
    assert "Long Ago" not in page
    assert "Other Team" not in page


def test_it_shows_the_capacity_and_who_knows_how_many_people_best(app, cast, as_user):
    cast.team_a.capacity = 40
    cast.team_a.save()
    Client.open(cast.team_a, by=cast.a2, known_best=[cast.a2], name="Joop Visser", phone="06-1")
    closed = Client.open(cast.team_a, by=cast.a2, known_best=[cast.a2], name="Gone", phone="1")
    Client.update(status=Client.CLOSED).where(Client.id == closed.id).execute()

    page = as_user(cast.a1).get("/referrals/").data.decode()

    assert "2 of 40" in page
    # Closed cases do not count for anyone.
    assert "<span>Anna Aalders</span> <strong>1</strong>" in page
    assert "<span>Bram Bos</span> <strong>1</strong>" in page
    assert "Cor de Boer" not in page


@pytest.mark.parametrize("role", ["coach_a", "coach_x", "office"])
def test_only_members_see_the_inbox(app, cast, as_user, role):
    _referral(cast)
    response = as_user(getattr(cast, role)).get("/referrals/")
    assert response.status_code == 403
    assert b"Jan de Groot" not in response.data


def test_the_inbox_takes_the_same_queries_for_3_and_30_referrals(app, cast, as_user):
    client = as_user(cast.a1)
    statuses = [Referral.OPEN, Referral.MEETING, Referral.ACCEPTED, Referral.DECLINED]

    def add(count):
        for n in range(count):
            status = statuses[n % 4]
            decided = status != Referral.OPEN
            _referral(
                cast,
                person_name=f"Person {n}",
                status=status,
                decided_by=cast.a2 if decided else None,
                decided_at=utcnow() if decided else None,
                from_team=cast.team_b if n % 3 == 0 else None,
                first_visit_at=utcnow() if status == Referral.ACCEPTED else None,
            )

    add(3)
    with count_queries() as few:
        client.get("/referrals/")
    add(27)
    with count_queries() as many:
        response = client.get("/referrals/")
    assert response.data.decode().count('class="referral-row') == 30
    assert len(few) == len(many), many


# Recording a referral


def test_it_records_a_referral(app, cast, as_user):
    response = as_user(cast.a2).post(
        "/referrals/new",
        data={
            "referrer_name": "Dr. Pietersen",
            "referrer_org": "Huisartsenpraktijk Oost",
            "referrer_phone": "020-6651234",
            "person_name": "  Gerrit de Jong ",
            "date_of_birth": "1936-01-03",
            "street": "Javastraat 88",
            "postcode": "1094 HB",
            "city": "Amsterdam",
            "phone": "020-6650000",
            "story": "Just home from the OLVG after a hip operation. Needs help with washing.",
            "urgency": "urgent",
        },
    )

    referral = Referral.get(Referral.person_name == "Gerrit de Jong")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/referrals/{referral.id}"
    assert (referral.team_id, referral.recorded_by_id) == (cast.team_a.id, cast.a2.id)
    assert (referral.status, referral.urgency) == (Referral.OPEN, "urgent")
    assert referral.date_of_birth == dt.date(1936, 1, 3)
    event = AuditEvent.get(AuditEvent.entity == "referral")
    assert (event.action, event.team_id, event.client_id) == ("create", cast.team_a.id, None)
    assert json.loads(event.changes)["after"]["person_name"] == "Gerrit de Jong"


def test_a_referral_without_a_name_is_sent_back_with_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/referrals/new",
        data={"referrer_name": "Mevrouw Kok", "story": "Her neighbour has not been out in days."},
    )

    assert response.status_code == 400
    page = response.data.decode()
    assert "Enter the name of the person referred." in page
    assert "Mevrouw Kok" in page and "Her neighbour has not been out in days." in page
    assert Referral.select().count() == 0


def test_a_date_of_birth_in_the_future_is_refused(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/referrals/new",
        data={"person_name": "Piet", "date_of_birth": "2999-01-01", "urgency": "soon"},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.data.decode()
    assert Referral.select().count() == 0


def test_coaches_and_back_office_cannot_record_a_referral(app, cast, as_user):
    for user in (cast.coach_a, cast.office):
        response = as_user(user).post(
            "/referrals/new", data={"person_name": "X", "urgency": "soon"}
        )
        assert response.status_code == 403
    assert Referral.select().count() == 0


def test_wrong_methods_get_405(app, cast, as_user):
    referral = _referral(cast)
    client = as_user(cast.a1)
    assert client.put("/referrals/new").status_code == 405
    assert client.post(f"/referrals/{referral.id}").status_code == 405
    for action in ("accept", "meeting", "decline"):
        assert client.get(f"/referrals/{referral.id}/{action}").status_code == 405


# One referral


def test_the_referral_page_shows_what_the_referrer_said(app, cast, as_user):
    referral = _referral(cast, referrer_phone="020-6651234", urgency="urgent")
    page = as_user(cast.a2).get(f"/referrals/{referral.id}").data.decode()
    assert "Home from hospital after a fall; lives alone." in page
    assert "Dr. Pietersen, Huisartsenpraktijk Oost" in page
    assert 'href="tel:020-6651234"' in page
    assert "Urgent (within a day)" in page
    # Urgent: the first visit is proposed for tomorrow.
    assert f'value="{(_today() + dt.timedelta(days=1)).isoformat()}"' in page


def test_a_routine_referral_proposes_a_first_visit_within_three_days(app, cast, as_user):
    referral = _referral(cast, urgency="routine")
    page = as_user(cast.a2).get(f"/referrals/{referral.id}").data.decode()
    assert f'value="{(_today() + dt.timedelta(days=3)).isoformat()}"' in page


def test_others_cannot_open_a_referral(app, cast, as_user):
    referral = _referral(cast)
    assert as_user(cast.b1).get(f"/referrals/{referral.id}").status_code == 404
    assert as_user(cast.coach_a).get(f"/referrals/{referral.id}").status_code == 403
    assert as_user(cast.coach_x).get(f"/referrals/{referral.id}").status_code == 404
    assert as_user(cast.office).get(f"/referrals/{referral.id}").status_code == 404
    assert as_user(cast.a1).get("/referrals/999999").status_code == 404


# The duplicate check


@pytest.mark.parametrize(
    "details",
    [
        # Same name (other case and spacing) and date of birth.
        {"person_name": "mies  BAKKER", "date_of_birth": dt.date(1941, 5, 17), "street": ""},
        # Same name and street, typed a little differently.
        {"person_name": "Mies Bakker", "street": "dapperstraat  12"},
        # The name with an accent the record does not have.
        {"person_name": "Miës Bakker", "date_of_birth": dt.date(1941, 5, 17), "street": ""},
    ],
)
def test_it_warns_when_the_person_may_already_be_known(app, cast, as_user, details):
    referral = _referral(cast, **details)
    page = as_user(cast.a1).get(f"/referrals/{referral.id}").data.decode()
    assert "Possibly already known" in page
    assert f'href="/people/{cast.person_a.id}"' in page


def test_a_closed_case_counts_as_known_too(app, cast, as_user):
    Client.update(status=Client.CLOSED).where(Client.id == cast.person_a.id).execute()
    referral = _referral(cast, person_name="Mies Bakker", date_of_birth=dt.date(1941, 5, 17))
    page = as_user(cast.a1).get(f"/referrals/{referral.id}").data.decode()
    assert "Possibly already known" in page and "case closed" in page


@pytest.mark.parametrize(
    "details",
    [
        # The name alone is not enough.
        {"person_name": "Mies Bakker", "street": ""},
        # Same birthday and street, another person.
        {"person_name": "Kees Bakker", "date_of_birth": dt.date(1941, 5, 17)},
        {"person_name": "Mies Bakker", "date_of_birth": dt.date(1950, 1, 1), "street": "Elders 1"},
    ],
)
def test_it_does_not_warn_about_other_people(app, cast, as_user, details):
    referral = _referral(cast, **details)
    page = as_user(cast.a1).get(f"/referrals/{referral.id}").data.decode()
    assert "Possibly already known" not in page


def test_people_of_another_team_are_not_offered_as_known(app, cast, as_user):
    referral = _referral(
        cast,
        team=cast.team_b,
        recorded_by=cast.b1,
        person_name="Mies Bakker",
        date_of_birth=dt.date(1941, 5, 17),
    )
    page = as_user(cast.b1).get(f"/referrals/{referral.id}").data.decode()
    assert "Possibly already known" not in page


def test_the_warning_does_not_block_accepting(app, cast, as_user):
    referral = _referral(cast, person_name="Mies Bakker", date_of_birth=dt.date(1941, 5, 17))
    response = as_user(cast.a1).post(f"/referrals/{referral.id}/accept", data=_accept_data())
    assert response.status_code == 303
    assert Client.select().where(Client.name == "Mies Bakker").count() == 2


# Accepting


def test_accepting_opens_the_case_and_plans_the_first_visit(app, cast, as_user):
    referral = _referral(
        cast,
        date_of_birth=dt.date(1938, 2, 1),
        postcode="1094 AB",
        city="Amsterdam",
        phone="020-1234567",
        urgency="urgent",
    )

    bram = as_user(cast.a2)
    response = bram.post(
        f"/referrals/{referral.id}/accept", data=_accept_data(**{"accept-minutes": "60"})
    )

    referral = Referral.get_by_id(referral.id)
    person = Client.get_by_id(referral.client_id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/people/{person.id}"
    assert (referral.status, referral.decided_by_id) == (Referral.ACCEPTED, cast.a2.id)
    assert referral.decided_at is not None
    assert (person.team_id, person.name, person.street, person.postcode, person.city) == (
        cast.team_a.id,
        "Jan de Groot",
        "Javastraat 40",
        "1094 AB",
        "Amsterdam",
    )
    assert (person.date_of_birth, person.phone) == (dt.date(1938, 2, 1), "020-1234567")
    assert [m.id for m in person.known_best_by()] == [cast.a2.id]
    visit = PlannedVisit.get(PlannedVisit.client == person)
    assert (visit.team_id, visit.member_id, visit.status, visit.note) == (
        cast.team_a.id,
        cast.a2.id,
        PlannedVisit.PLANNED,
        "First visit, referred by Dr. Pietersen, Huisartsenpraktijk Oost:"
        " Home from hospital after a fall; lives alone.",
    )
    assert visit.day == _today() + dt.timedelta(days=1)
    assert (visit.starts_at, visit.ends_at, visit.minutes) == (dt.time(10), dt.time(11), 60)
    events = {(e.action, e.entity) for e in AuditEvent.select().where(AuditEvent.client == person)}
    assert {("create", "person"), ("accept", "referral"), ("create", "visit")} <= events
    page = bram.get(response.headers["Location"]).data.decode()
    assert "Jan de Groot is now in the caseload. First visit planned on" in page


def test_the_persons_page_says_who_referred_them_when_and_why(app, cast, as_user):
    referral = _referral(cast)
    bram = as_user(cast.a2)
    bram.post(f"/referrals/{referral.id}/accept", data=_accept_data())
    person = Client.get_by_id(Referral.get_by_id(referral.id).client_id)

    page = bram.get(f"/people/{person.id}").data.decode()

    assert "Referred by Dr. Pietersen, Huisartsenpraktijk Oost</strong>, received" in page
    assert "written down by Anna Aalders" in page
    assert "Home from hospital after a fall; lives alone.</blockquote>" in page
    assert f'<a href="/referrals/{referral.id}">See the referral</a>' in page


def test_a_person_who_came_without_a_referral_has_no_referral_story(app, cast, as_user):
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    assert "See the referral" not in page


def test_a_long_story_is_cut_to_fit_the_first_visits_note(app, cast, as_user):
    referral = _referral(cast, story="Needs help with washing. " * 30)
    as_user(cast.a1).post(f"/referrals/{referral.id}/accept", data=_accept_data())
    visit = PlannedVisit.get(PlannedVisit.client == Referral.get_by_id(referral.id).client_id)
    assert len(visit.note) == 300
    assert visit.note.startswith("First visit, referred by Dr. Pietersen")
    assert visit.note.endswith("…")


def test_the_first_visit_can_be_left_for_a_colleague_and_known_best_open(app, cast, as_user):
    referral = _referral(cast)
    data = _accept_data(**{"accept-who": "open", "accept-starts_at": "", "accept-ends_at": ""})
    del data["accept-known_best"]

    response = as_user(cast.a1).post(f"/referrals/{referral.id}/accept", data=data)

    assert response.status_code == 303
    person = Client.get_by_id(Referral.get_by_id(referral.id).client_id)
    assert list(person.known_best_by()) == []
    visit = PlannedVisit.get(PlannedVisit.client == person)
    assert (visit.member_id, visit.starts_at, visit.ends_at) == (None, None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("accept-day", "", "Choose the day of the first visit."),
        ("accept-day", "2020-01-01", "This day has passed."),
        ("accept-ends_at", "09:30", "The end of the time window must be after its start."),
        ("accept-minutes", "0", "Between 5 and 480 minutes."),
        ("accept-who", "someone-else", "Not a valid choice"),
    ],
)
def test_bad_accept_input_is_sent_back_with_what_was_typed(
    app, cast, as_user, field, value, message
):
    referral = _referral(cast)
    data = _accept_data(**{"accept-minutes": "50", field: value})

    response = as_user(cast.a1).post(f"/referrals/{referral.id}/accept", data=data)

    assert response.status_code == 400
    page = response.data.decode()
    assert message in page
    if field != "accept-minutes":
        assert 'value="50"' in page
    assert Referral.get_by_id(referral.id).status == Referral.OPEN
    assert Client.select().count() == 2  # the cast's two people, nobody new
    assert PlannedVisit.select().count() == 0


def test_a_coach_or_another_team_cannot_accept(app, cast, as_user):
    referral = _referral(cast)
    assert (
        as_user(cast.coach_a)
        .post(f"/referrals/{referral.id}/accept", data=_accept_data())
        .status_code
        == 403
    )
    assert (
        as_user(cast.b1).post(f"/referrals/{referral.id}/accept", data=_accept_data()).status_code
        == 404
    )
    assert Referral.get_by_id(referral.id).status == Referral.OPEN


def test_the_second_to_decide_is_told_who_was_first(app, cast, as_user):
    referral = _referral(cast)
    assert referral.accept(cast.a2, _first_visit(cast.a2), today=_today())

    response = as_user(cast.a1).post(f"/referrals/{referral.id}/accept", data=_accept_data())

    assert response.status_code == 409
    local = Referral.get_by_id(referral.id).decided_at.replace(tzinfo=dt.UTC).astimezone(ZONE)
    assert f"Bram Bos already accepted this referral at {local:%H:%M}." in response.data.decode()
    assert Client.select().where(Client.name == "Jan de Groot").count() == 1
    # Declining it afterwards is refused the same way.
    response = as_user(cast.a1).post(
        f"/referrals/{referral.id}/decline", data={"decline-reason": "Full"}
    )
    assert response.status_code == 409
    assert Referral.get_by_id(referral.id).status == Referral.ACCEPTED


def _race(*actions, requests=False):
    """Run each action in its own thread and connection, released together.

    `requests`: the actions are requests to the app, which opens and closes
    its connection itself.
    """
    barrier = threading.Barrier(len(actions))
    results, errors = [None] * len(actions), []

    def run(index, action):
        try:
            if requests:
                barrier.wait(timeout=10)
                results[index] = action()
                return
            with db.connection_context():
                barrier.wait(timeout=10)
                results[index] = action()
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_of_two_members_accepting_at_once_exactly_one_wins(app, cast):
    referral = _referral(cast)
    mine, yours = Referral.get_by_id(referral.id), Referral.get_by_id(referral.id)

    results = _race(
        lambda: mine.accept(cast.a1, _first_visit(cast.a1), today=_today()),
        lambda: yours.accept(cast.a2, _first_visit(cast.a2), today=_today()),
    )

    assert sorted(results) == [False, True]
    winner = cast.a1 if results[0] else cast.a2
    referral = Referral.get_by_id(referral.id)
    assert referral.decided_by_id == winner.id
    assert Client.select().where(Client.name == "Jan de Groot").count() == 1
    assert PlannedVisit.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "accept").count() == 1


def test_accepting_and_declining_at_once_leaves_one_decision(app, cast):
    referral = _referral(cast)
    mine, yours = Referral.get_by_id(referral.id), Referral.get_by_id(referral.id)

    results = _race(
        lambda: mine.accept(cast.a1, _first_visit(cast.a1), today=_today()),
        lambda: yours.decline(cast.a2, "We are full", "Buurtzorg Zuid"),
    )

    assert sorted(results) == [False, True]
    referral = Referral.get_by_id(referral.id)
    if results[0]:
        assert referral.status == Referral.ACCEPTED and referral.decline_reason == ""
    else:
        assert referral.status == Referral.DECLINED and referral.client_id is None
        assert PlannedVisit.select().count() == 0


def test_two_members_accepting_through_the_app_at_once(app, cast, as_user):
    referral = _referral(cast)
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    url = f"/referrals/{referral.id}/accept"

    responses = _race(
        lambda: anna.post(url, data=_accept_data()),
        lambda: bram.post(url, data=_accept_data()),
        requests=True,
    )

    assert sorted(r.status_code for r in responses) == [303, 409]
    loser = next(r for r in responses if r.status_code == 409).data.decode()
    winner = Referral.get_by_id(referral.id).decided_by.name
    assert f"{winner} already accepted this referral at" in loser
    assert Client.select().where(Client.name == "Jan de Groot").count() == 1


# The team meeting and declining


def test_it_goes_on_the_meeting_list_and_can_still_be_accepted(app, cast, as_user):
    referral = _referral(cast)
    client = as_user(cast.a1)

    response = client.post(
        f"/referrals/{referral.id}/meeting", data={"meeting-reason": "We are nearly full"}
    )

    assert response.status_code == 303
    referral = Referral.get_by_id(referral.id)
    assert (referral.status, referral.meeting_reason) == (Referral.MEETING, "We are nearly full")
    assert AuditEvent.get(AuditEvent.action == "meeting").team_id == cast.team_a.id
    inbox = client.get("/referrals/").data.decode()
    assert inbox.index("For the team meeting") < inbox.index("Jan de Groot")
    response = client.post(f"/referrals/{referral.id}/accept", data=_accept_data())
    assert response.status_code == 303
    assert Referral.get_by_id(referral.id).status == Referral.ACCEPTED


def test_marking_for_the_meeting_in_place_answers_with_the_referral_only(app, cast, as_user):
    referral = _referral(cast)
    response = as_user(cast.a1).post(
        f"/referrals/{referral.id}/meeting",
        data={"meeting-reason": "Talk about it on Monday"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.data.decode()
    assert page.lstrip().startswith('<section id="referral"') and "<html" not in page
    assert "On the list for the team meeting: “Talk about it on Monday”" in page


def test_marking_for_the_meeting_needs_a_reason_and_happens_once(app, cast, as_user):
    referral = _referral(cast)
    client = as_user(cast.a1)
    response = client.post(f"/referrals/{referral.id}/meeting", data={"meeting-reason": " "})
    assert response.status_code == 400
    assert "Say in a few words why it goes to the meeting." in response.data.decode()
    assert Referral.get_by_id(referral.id).status == Referral.OPEN

    assert referral.hold_for_meeting(cast.a2, "Full")
    response = client.post(f"/referrals/{referral.id}/meeting", data={"meeting-reason": "Me too"})
    assert response.status_code == 409
    assert (
        "Bram Bos already put this referral on the list for the team meeting"
        in response.data.decode()
    )
    assert Referral.get_by_id(referral.id).meeting_reason == "Full"


def test_declining_keeps_the_reason_and_where_the_referrer_was_pointed(app, cast, as_user):
    referral = _referral(cast)

    response = as_user(cast.a2).post(
        f"/referrals/{referral.id}/decline",
        data={
            "decline-reason": "He lives outside our area",
            "decline-referred_on_to": "Buurtzorg Zuid",
        },
    )

    assert response.status_code == 303
    referral = Referral.get_by_id(referral.id)
    assert (referral.status, referral.decided_by_id) == (Referral.DECLINED, cast.a2.id)
    assert (referral.decline_reason, referral.referred_on_to) == (
        "He lives outside our area",
        "Buurtzorg Zuid",
    )
    event = AuditEvent.get(AuditEvent.action == "decline")
    assert (event.entity, event.entity_id, event.team_id) == (
        "referral",
        referral.id,
        cast.team_a.id,
    )
    page = as_user(cast.a1).get(f"/referrals/{referral.id}").data.decode()
    assert "He lives outside our area" in page and "Buurtzorg Zuid" in page
    assert "Accept and plan the first visit" not in page


def test_declining_needs_a_reason_and_keeps_what_was_typed(app, cast, as_user):
    referral = _referral(cast)
    response = as_user(cast.a2).post(
        f"/referrals/{referral.id}/decline",
        data={"decline-reason": "", "decline-referred_on_to": "Wijkteam Oost"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    page = response.data.decode()
    assert "Give the reason, for the referrer and the team." in page
    assert 'value="Wijkteam Oost"' in page
    assert Referral.get_by_id(referral.id).status == Referral.OPEN


def test_a_coach_cannot_decline_or_put_on_the_meeting_list(app, cast, as_user):
    referral = _referral(cast)
    coach = as_user(cast.coach_a)
    assert (
        coach.post(f"/referrals/{referral.id}/decline", data={"decline-reason": "No"}).status_code
        == 403
    )
    assert (
        coach.post(f"/referrals/{referral.id}/meeting", data={"meeting-reason": "Talk"}).status_code
        == 403
    )
    other = as_user(cast.b1)
    assert (
        other.post(f"/referrals/{referral.id}/decline", data={"decline-reason": "No"}).status_code
        == 404
    )
    assert Referral.get_by_id(referral.id).status == Referral.OPEN


# Transfers between teams


def _transfer(cast, **fields):
    """Team A asks team B to take over Mies Bakker, as the closing flow records it."""
    person = cast.person_a
    return _referral(
        cast,
        team=cast.team_b,
        recorded_by=cast.a1,
        from_team=cast.team_a,
        client=person,
        person_name=person.name,
        date_of_birth=person.date_of_birth,
        street=person.street,
        phone=person.phone,
        story="Mies moves to her daughter's street in Zuid next week.",
        **fields,
    )


def test_a_transfer_reads_as_one_in_the_receiving_inbox(app, cast, as_user):
    _transfer(cast)
    page = as_user(cast.b1).get("/referrals/").data.decode()
    assert "Transfer from Team A" in page and "Mies Bakker" in page
    assert "Mies Bakker" not in as_user(cast.a1).get("/referrals/").data.decode()


def test_accepting_a_transfer_moves_the_person_and_the_sending_team_loses_access(
    app, cast, as_user
):
    person = cast.person_a
    today = _today()
    old_events = AuditEvent.select().where(AuditEvent.team == cast.team_a).count()
    gone = PlannedVisit.create(
        team=cast.team_a,
        client=person,
        member=cast.a1,
        day=today + dt.timedelta(days=2),
        created_by=cast.a1,
    )
    done = PlannedVisit.create(
        team=cast.team_a,
        client=person,
        member=cast.a1,
        day=today - dt.timedelta(days=2),
        status=PlannedVisit.DONE,
        created_by=cast.a1,
    )
    task = Task.create(team=cast.team_a, client=person, title="Order stockings", created_by=cast.a1)
    transfer = _transfer(cast)
    assert as_user(cast.b1).get(f"/people/{person.id}").status_code == 404

    response = as_user(cast.b1).post(f"/referrals/{transfer.id}/accept", data=_accept_data())

    assert response.status_code == 303
    assert response.headers["Location"] == f"/people/{person.id}"
    moved = Client.get_by_id(person.id)
    assert (moved.team_id, moved.status) == (cast.team_b.id, Client.ACTIVE)
    assert Client.select().where(Client.name == "Mies Bakker").count() == 1  # no second record
    assert [k.member_id for k in KnownBest.select().where(KnownBest.client == person)] == [
        cast.b1.id
    ]
    # Cancelled, as when a case is closed: team A's plan keeps what was planned.
    assert PlannedVisit.get_by_id(gone.id).status == PlannedVisit.CANCELLED
    assert PlannedVisit.get_by_id(done.id).status == PlannedVisit.DONE
    first = PlannedVisit.get(PlannedVisit.team == cast.team_b)
    assert (first.client_id, first.member_id) == (person.id, cast.b1.id)
    by = f"{transfer.referrer_name}, {transfer.referrer_org}"
    assert first.note == f"First visit, transferred by {by}: {transfer.story}"
    page = as_user(cast.b1).get(f"/people/{person.id}").data.decode()
    assert f"Transferred from {transfer.referrer_org} by {transfer.referrer_name}</strong>" in page
    assert Task.get_by_id(task.id).status == Task.DONE
    # The whole record came along: the contact team A recorded is on team B's page now.
    assert Contact.get_by_id(cast.contact_a.id).client_id == person.id
    assert as_user(cast.b1).get(f"/people/{person.id}").status_code == 200
    assert as_user(cast.a1).get(f"/people/{person.id}").status_code == 404
    # Team A keeps its own history, and a line saying who took the person over.
    assert AuditEvent.select().where(AuditEvent.team == cast.team_a).count() == old_events + 1
    event = AuditEvent.get(AuditEvent.team == cast.team_a, AuditEvent.action == "transfer")
    changes = json.loads(event.changes)
    assert (event.client_id, event.entity_id, event.actor_id) == (None, person.id, cast.b1.id)
    assert (changes["before"]["team"], changes["after"]["team"]) == ("Team A", "Team B")
    assert changes["after"]["planned_visits_taken_out"] == 1
    assert changes["after"]["open_tasks_closed"] == 1
    assert AuditEvent.get(AuditEvent.action == "accept").team_id == cast.team_b.id


def test_declining_a_transfer_leaves_the_person_with_the_sending_team(app, cast, as_user):
    transfer = _transfer(cast)
    response = as_user(cast.b1).post(
        f"/referrals/{transfer.id}/decline",
        data={"decline-reason": "Her new street is outside our area"},
    )
    assert response.status_code == 303
    assert Client.get_by_id(cast.person_a.id).team_id == cast.team_a.id
    assert as_user(cast.a1).get(f"/people/{cast.person_a.id}").status_code == 200
    assert as_user(cast.b1).get(f"/people/{cast.person_a.id}").status_code == 404


@pytest.mark.parametrize("meanwhile", ["moved elsewhere", "closed"])
def test_a_transfer_whose_person_left_the_sending_team_cannot_be_accepted(
    app, cast, as_user, meanwhile
):
    transfer = _transfer(cast)
    if meanwhile == "closed":
        changed = {"status": Client.CLOSED, "close_reason": "died"}
    else:
        changed = {"team": Team.create(name="Team C")}
    Client.update(**changed).where(Client.id == cast.person_a.id).execute()
    before = Client.get_by_id(cast.person_a.id).__data__

    response = as_user(cast.b1).post(f"/referrals/{transfer.id}/accept", data=_accept_data())

    assert response.status_code == 409
    assert "Team A no longer has Mies Bakker in its care" in response.data.decode()
    assert Referral.get_by_id(transfer.id).status == Referral.OPEN
    assert Client.get_by_id(cast.person_a.id).__data__ == before
    assert PlannedVisit.select().count() == 0


# Time from referral to first visit


def test_the_first_home_visit_after_acceptance_is_recorded(app, cast, as_user):
    received = utcnow() - dt.timedelta(days=3)
    referral = _referral(cast, received_at=received)
    referral.accept(cast.a1, _first_visit(cast.a1), today=_today())
    person = Client.get_by_id(referral.client_id)
    Contact.record(
        person, by=cast.a1, happened_at=received + dt.timedelta(days=1), minutes=10, kind="phone"
    )
    assert Referral.get_by_id(referral.id).first_visit_at is None

    first = received + dt.timedelta(days=2)
    Contact.record(person, by=cast.a1, happened_at=first, minutes=45, kind="home_visit")
    Contact.record(
        person, by=cast.a2, happened_at=first + dt.timedelta(days=1), minutes=30, kind="home_visit"
    )

    assert Referral.get_by_id(referral.id).first_visit_at == first
    page = as_user(cast.a1).get(f"/referrals/{referral.id}").data.decode()
    assert "Referral to first visit: <strong>2 days</strong>" in page
    assert (
        "Referral to first visit: <strong>2 days</strong>"
        in as_user(cast.a1).get("/referrals/").data.decode()
    )


def test_a_home_visit_before_any_decision_is_not_a_first_visit(app, cast):
    referral = _referral(cast, client=cast.person_a)
    Contact.record(cast.person_a, by=cast.a1, happened_at=utcnow(), minutes=30, kind="home_visit")
    assert Referral.get_by_id(referral.id).first_visit_at is None


def test_a_transfer_the_sending_team_took_back_cannot_be_accepted(app, cast, as_user):
    transfer = cast.person_a.transfer_to(cast.team_b, cast.a1, "She moves to Zuid next week.")
    assert cast.person_a.withdraw_transfer(cast.a2) is not None

    response = as_user(cast.b1).post(f"/referrals/{transfer.id}/accept", data=_accept_data())

    assert response.status_code == 409
    assert "Bram Bos already withdrew this transfer at" in response.data.decode()
    assert Client.get_by_id(cast.person_a.id).team_id == cast.team_a.id
    inbox = as_user(cast.b1).get("/referrals/").data.decode()
    assert "Withdrawn by Team A (Bram Bos" in inbox


def test_recording_a_referral_for_a_likely_known_name_warns_first(app, cast, as_user):
    client = as_user(cast.a1)
    data = {"person_name": "mies bakker", "story": "Fell again.", "urgency": "soon"}
    response = client.post("/referrals/new", data=data)
    page = response.data.decode()
    assert response.status_code == 200
    assert "Is this someone the team already knows?" in page
    assert f'href="/people/{cast.person_a.id}">Mies Bakker</a>' in page
    assert "Fell again." in page
    assert Referral.select().count() == 0

    response = client.post("/referrals/new", data={**data, "go_on": "yes"})
    assert response.status_code == 303
    assert Referral.get().person_name == "mies bakker"


def test_a_referral_for_someone_already_waiting_in_the_inbox_warns_with_a_link(app, cast, as_user):
    waiting = _referral(cast, person_name="Jan de Groot")
    _referral(cast, person_name="Jan de Groot", status=Referral.DECLINED)
    _referral(cast, team=cast.team_b, person_name="Jan de Groot")
    client = as_user(cast.a1)
    data = {"person_name": "J. de groot", "story": "Needs help with insulin.", "urgency": "soon"}
    response = client.post("/referrals/new", data=data)
    page = response.data.decode()
    assert response.status_code == 200
    assert "Is this someone the team already knows?" in page
    assert f'<a href="/referrals/{waiting.id}">An open referral for Jan de Groot, received' in page
    assert page.count("An open referral for") == 1  # not the declined one, nor team B's
    assert "Needs help with insulin." in page
    assert Referral.select().where(Referral.person_name == "J. de groot").count() == 0

    response = client.post("/referrals/new", data={**data, "go_on": "yes"})
    assert response.status_code == 303
    assert Referral.select().where(Referral.person_name == "J. de groot").count() == 1


def test_a_referral_kept_for_the_meeting_is_waiting_too(app, cast, as_user):
    kept = _referral(cast, person_name="Truus Visser", status=Referral.MEETING)
    assert Referral.likely_named(cast.team_a, "truus visser") == [kept]
    assert Referral.likely_named(cast.team_a, "Riet Visser") == []
    assert Referral.likely_named(cast.team_b, "Truus Visser") == []


def test_a_half_typed_date_of_birth_on_a_referral_is_kept_with_a_message(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/referrals/new",
        data={"person_name": "Piet Hein", "date_of_birth": "12-03-19", "urgency": "soon"},
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert "“12-03-19” is not a date we can read." in page
    assert 'value="12-03-19"' in page
    assert Referral.select().count() == 0
