import datetime as dt
import json
import threading
import zoneinfo

import pytest
from conftest import count_queries, login

from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    Client,
    Contact,
    PlannedVisit,
    Team,
    User,
    VisitSeries,
    utcnow,
)

HTMX = {"HX-Request": "true"}


def _today() -> dt.date:
    # The team's day (the app's TIMEZONE), which is what the plan calls today.
    return dt.datetime.now(zoneinfo.ZoneInfo("Europe/Amsterdam")).date()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _plan(cast, *, member="a1", person=None, day=None, **fields) -> PlannedVisit:
    return PlannedVisit.add(
        person or cast.person_a,
        cast.a1,
        member=getattr(cast, member) if member else None,
        day=day or _today(),
        **fields,
    )


def _new(**overrides) -> dict:
    """The plan-a-visit form as the page sends it."""
    data = {
        "day": _today().isoformat(),
        "starts_at": "10:00",
        "ends_at": "10:30",
        "minutes": "30",
        "kind": "home_visit",
        "note": "Insulin, check her feet",
        "who": "me",
        "repeats": "once",
        "every_days": "",
        "until": "",
    }
    data.update(overrides)
    return data


def _edit(visit, **overrides) -> dict:
    data = {
        "day": visit.day.isoformat(),
        "starts_at": visit.starts_at.strftime("%H:%M") if visit.starts_at else "",
        "ends_at": visit.ends_at.strftime("%H:%M") if visit.ends_at else "",
        "minutes": str(visit.minutes),
        "note": visit.note,
        "version": str(visit.version),
    }
    data.update(overrides)
    return data


def _events(action, entity="visit"):
    return list(
        AuditEvent.select()
        .where(AuditEvent.action == action, AuditEvent.entity == entity)
        .order_by(AuditEvent.id)
    )


# Recurrence rules, without the web.

MON = dt.date(2026, 11, 23)


def test_a_daily_rule_gives_every_day_including_the_last():
    days = VisitSeries.dates("daily", MON, MON + dt.timedelta(days=6))
    assert days == [MON + dt.timedelta(days=i) for i in range(7)]


def test_a_weekdays_rule_gives_only_the_chosen_days():
    days = VisitSeries.dates("weekdays", MON, MON + dt.timedelta(days=13), weekdays=[1, 4])
    assert [d.strftime("%a %d") for d in days] == ["Tue 24", "Fri 27", "Tue 01", "Fri 04"]


def test_an_every_n_rule_counts_from_the_first_day():
    days = VisitSeries.dates("every_n", MON, MON + dt.timedelta(days=7), every_days=3)
    assert days == [MON, MON + dt.timedelta(days=3), MON + dt.timedelta(days=6)]


def test_a_one_day_series_is_that_day():
    assert VisitSeries.dates("daily", MON, MON) == [MON]


def test_an_end_before_the_start_is_refused_with_the_first_day_named():
    problems = VisitSeries.problems("daily", MON, MON - dt.timedelta(days=1))
    assert problems == {
        "ends_on": "This is before the first visit (23 Nov 2026). "
        "Choose a last day on or after the first."
    }
    with pytest.raises(ValueError, match="before the first visit"):
        VisitSeries.dates("daily", MON, MON - dt.timedelta(days=1))


def test_a_year_is_allowed_but_not_a_day_more():
    assert len(VisitSeries.dates("daily", MON, MON + dt.timedelta(days=366))) == 367
    problems = VisitSeries.problems("weekdays", MON, MON + dt.timedelta(days=367), weekdays=[0])
    assert "more than a year of visits" in problems["ends_on"]
    assert "24 Nov 2027" in problems["ends_on"]  # the latest last day it would accept


@pytest.mark.parametrize(
    ("rule", "weekdays", "every_days", "field", "words"),
    [
        ("weekdays", [], 1, "weekdays", "Choose at least one weekday."),
        ("every_n", [], 0, "every_days", "Type a whole number of days: 1 or more."),
        ("every_n", [], -2, "every_days", "Type a whole number of days: 1 or more."),
        ("weekdays", [6], 1, "weekdays", "None of the chosen weekdays"),
        ("hourly", [], 1, "rule", "Choose how often"),
    ],
)
def test_a_rule_that_gives_no_visits_says_which_part_to_change(
    rule, weekdays, every_days, field, words
):
    # Monday to Friday: no Sunday in it.
    problems = VisitSeries.problems(rule, MON, MON + dt.timedelta(days=4), weekdays, every_days)
    assert field in problems
    assert words in problems[field]


def test_a_series_description_reads_as_people_say_it():
    series = VisitSeries(rule="weekdays", weekdays="1,4", ends_on=dt.date(2026, 12, 31))
    assert series.description == "Every Tuesday and Friday until 31 Dec 2026"
    series = VisitSeries(rule="every_n", every_days=2, ends_on=dt.date(2026, 12, 31))
    assert series.description == "Every 2 days until 31 Dec 2026"


def test_planning_a_series_writes_every_visit_at_once_and_one_audit_event(app, cast):
    start = _today()
    series = VisitSeries.plan(
        cast.person_a,
        cast.a1,
        member=cast.a1,
        rule="every_n",
        starts_on=start,
        ends_on=start + dt.timedelta(days=300),
        every_days=2,
        starts_at=dt.time(7, 30),
        minutes=15,
        kind="home_visit",
        note="Insulin",
    )
    visits = list(series.visits.order_by(PlannedVisit.day))
    assert len(visits) == 151
    assert {(v.member_id, v.starts_at, v.minutes, v.note) for v in visits} == {
        (cast.a1.id, dt.time(7, 30), 15, "Insulin")
    }
    [event] = _events("create", "series")
    after = json.loads(event.changes)["after"]
    assert after["visits"] == 151
    assert after["repeats"].startswith("Every 2 days until")


# The week.


def test_the_week_shows_each_day_per_member_and_what_is_up_for_grabs(app, cast, as_user):
    monday = _monday(_today()) + dt.timedelta(days=7)
    _plan(cast, day=monday, starts_at=dt.time(8), note="Wound care left leg")
    _plan(cast, day=monday, starts_at=dt.time(11), minutes=45, note="Compression stockings")
    _plan(cast, member="a2", day=monday + dt.timedelta(days=1), minutes=45)
    _plan(cast, member=None, day=monday + dt.timedelta(days=2), note="Shower")
    done = _plan(cast, day=monday + dt.timedelta(days=3), note="Done one")
    PlannedVisit.update(status="done").where(PlannedVisit.id == done.id).execute()
    cancelled = _plan(cast, day=monday + dt.timedelta(days=4), note="Called off")
    cancelled.cancel(cast.a1)
    _plan(cast, day=monday + dt.timedelta(days=7), note="Visit next week")

    page = as_user(cast.a2).get(f"/plan/?week={monday + dt.timedelta(days=3)}").data.decode()

    assert f"Monday {monday.day}" in page
    assert "Wound care left leg" in page and "08:00" in page
    assert page.count('class="plan-visit"') == 5  # done and cancelled ones too
    assert page.count('<li id="open-') == 1
    assert "Anna Aalders" in page and "Bram Bos" in page
    monday_section = page[
        page.index(f'id="day-{monday}"') : page.index(f'id="day-{monday + dt.timedelta(days=1)}"')
    ]
    # One heading per member and day, with her visits in order and what they add up to.
    assert monday_section.count("Anna Aalders") == 1 and "Bram Bos" not in monday_section
    assert "2 visits · 1 h 15 min" in monday_section
    assert monday_section.index("Wound care") < monday_section.index("Compression stockings")
    wednesday = page[page.index(f'id="day-{monday + dt.timedelta(days=2)}"') :]
    assert wednesday.index("Up for a colleague to take") < wednesday.index("Shower")
    assert "I'll take it" in wednesday
    assert "✓</span> done" in page
    assert "<s>Mies Bakker</s>" in page
    assert "Visit next week" not in page
    # Links to the weeks around it.
    assert f"week={monday - dt.timedelta(days=7)}" in page
    assert f"week={monday + dt.timedelta(days=7)}" in page


def test_a_week_that_is_not_a_date_shows_this_week(app, cast, as_user):
    _plan(cast, note="Visit for today")
    page = as_user(cast.a1).get("/plan/?week=soon").data.decode()
    assert "Visit for today" in page
    assert "This week" not in page  # no link to where we are


def test_a_linked_coach_sees_the_week_pseudonymised_and_without_actions(app, cast, as_user):
    _plan(cast, starts_at=dt.time(9), note="Private note about the wound")
    _plan(cast, member=None, note="Handed over note")
    coach = as_user(cast.coach_a)
    page = coach.get(f"/plan/teams/{cast.team_a.id}").data.decode()
    assert "Week plan of Team A" in page
    assert f"M.B. #{cast.person_a.id}" in page
    # The team's day, not each member's: the coach does not supervise members.
    assert "<h3>The team <span" in page and "Anna" not in page.split("<main")[1]
    for secret in ("Mies", "Bakker", "Dapperstraat", "06-12345678", "Private note", "Handed over"):
        assert secret not in page
    assert (
        "I'll take it" not in page
        and "/edit" not in page
        and 'method="post" action="/plan' not in page
    )
    assert as_user(cast.coach_x).get(f"/plan/teams/{cast.team_a.id}").status_code == 404
    assert as_user(cast.b1).get(f"/plan/teams/{cast.team_a.id}").status_code == 404
    assert as_user(cast.office).get(f"/plan/teams/{cast.team_a.id}").status_code == 404
    assert coach.get("/plan/").status_code == 403


def test_the_coach_home_links_to_the_week_plan(app, cast, as_user):
    page = as_user(cast.coach_a).get("/coach/").data.decode()
    assert f'href="/plan/teams/{cast.team_a.id}"' in page


# My day.


def test_my_day_lists_my_visits_in_visit_order_with_how_to_get_there(app, cast, as_user):
    Client.update(postcode="1093 BS", city="Amsterdam").where(
        Client.id == cast.person_a.id
    ).execute()
    other = Client.open(cast.team_a, by=cast.a1, name="Gerrit de Jong", phone="020 665 1234")
    _plan(cast, person=other, starts_at=dt.time(14), minutes=45, note="Shower")
    _plan(cast, person=other, note="Whenever it suits")  # untimed: last
    _plan(cast, starts_at=dt.time(8, 30), ends_at=dt.time(9), minutes=30, note="Insulin")
    _plan(cast, member="a2", note="Visit by Bram")
    _plan(cast, member=None, starts_at=dt.time(11), note="Up for grabs")
    cancelled = _plan(cast, starts_at=dt.time(12), minutes=60, note="Called off")
    cancelled.cancel(cast.a1)

    page = as_user(cast.a1).get("/plan/day").data.decode()

    order = [page.index(n) for n in ("Insulin", "Called off", "Shower", "Whenever it suits")]
    assert order == sorted(order)
    assert "08:30–09:00" in page
    assert "Dapperstraat 12, 1093 BS Amsterdam" in page
    assert 'href="tel:0612345678"' in page and 'href="tel:0206651234"' in page
    assert "Visit by Bram" not in page
    # Up for grabs, below my own visits, with a way to take it.
    assert page.index("Whenever it suits") < page.index("Up for grabs")
    assert "I'll take it" in page
    # Cancelled visits do not count.
    assert "3 visits</strong> · 1 h 45 min planned" in page
    assert "<s>Mies Bakker</s>" in page


def test_my_day_shows_another_day_and_links_the_days_around_it(app, cast, as_user):
    tomorrow = _today() + dt.timedelta(days=1)
    _plan(cast, day=tomorrow, note="Visit for tomorrow")
    client = as_user(cast.a1)
    assert "Visit for tomorrow" not in client.get("/plan/day").data.decode()
    page = client.get(f"/plan/day?day={tomorrow}").data.decode()
    assert "Visit for tomorrow" in page
    assert f"day={tomorrow + dt.timedelta(days=1)}" in page
    assert "No visits in your plan" in client.get("/plan/day?day=2030-01-01").data.decode()


# Planning a visit.


def test_a_member_plans_a_visit_for_herself(app, cast, as_user):
    client = as_user(cast.a1)
    form = client.get(f"/plan/new?person={cast.person_a.id}&day={_today()}").data.decode()
    assert f'<option selected value="{cast.person_a.id}">Mies Bakker</option>' in form
    assert f'value="{_today()}"' in form
    response = client.post("/plan/new", data=_new(person=str(cast.person_a.id)))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/plan/day?day={_today()}"
    visit = PlannedVisit.get()
    assert (visit.member_id, visit.starts_at, visit.ends_at, visit.note) == (
        cast.a1.id,
        dt.time(10),
        dt.time(10, 30),
        "Insulin, check her feet",
    )
    assert visit.series_id is None
    [event] = _events("create")
    assert event.client_id == cast.person_a.id
    assert json.loads(event.changes)["after"]["starts_at"] == "10:00"
    assert "Insulin, check her feet" in client.get("/plan/day").data.decode()


def test_a_visit_put_up_for_a_colleague_has_nobody_yet(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/plan/new", data=_new(person=str(cast.person_a.id), who="open", starts_at="", ends_at="")
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/plan/?week=")
    visit = PlannedVisit.get()
    assert visit.member_id is None and visit.starts_at is None
    assert "Insulin, check her feet" in as_user(cast.a2).get("/plan/day").data.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"person": "0"}, "person", "Choose who the visit is for."),
        ({"day": ""}, "day", "Choose the day of the visit."),
        ({"day": "2020-01-01"}, "day", "This day is in the past."),
        ({"ends_at": "09:00"}, "ends_at", "This is not after the start time (10:00)."),
        ({"starts_at": ""}, "ends_at", "Give a start time too"),
        ({"minutes": "0"}, "minutes", "Between 5 and 480 minutes."),
        ({"minutes": "lots"}, "minutes", "Not a valid integer value."),
        ({"kind": "seance"}, "kind", "Not a valid choice"),
        ({"repeats": "daily"}, "until", "Give the day of the last visit of the series."),
        ({"repeats": "weekdays", "until": "+7"}, "weekdays", "Choose at least one weekday."),
        (
            {"repeats": "every_n", "every_days": "0", "until": "+7"},
            "every_days",
            "Type a whole number of days: 1 or more.",
        ),
        ({"repeats": "daily", "until": "-1"}, "until", "This is before the first visit"),
        ({"repeats": "daily", "until": "+367"}, "until", "That is more than a year of visits."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_keeps_the_note(
    app, cast, as_user, data, field, message
):
    data = {"person": str(cast.person_a.id), **data}
    until = data.get("until", "")
    if until[:1] in "+-" and until:
        data["until"] = (_today() + dt.timedelta(days=int(until))).isoformat()
    response = as_user(cast.a1).post("/plan/new", data=_new(note="Bring the new plasters", **data))
    page = response.data.decode()
    assert response.status_code == 400
    assert f'id="{field}-error">{message}' in page
    assert 'value="Bring the new plasters"' in page
    assert PlannedVisit.select().count() == 0
    assert VisitSeries.select().count() == 0


def test_a_person_of_another_team_cannot_be_chosen(app, cast, as_user):
    response = as_user(cast.a1).post("/plan/new", data=_new(person=str(cast.person_b.id)))
    assert response.status_code == 400
    # The message is a lazy (translated) string, which Jinja prints as it is.
    assert "Choose someone from the team's caseload." in response.data.decode()
    assert PlannedVisit.select().count() == 0


@pytest.mark.parametrize(
    ("repeat", "days", "expected"),
    [
        ({"repeats": "daily"}, 13, 14),
        ({"repeats": "weekdays", "weekdays": ["1", "4"]}, 13, 4),
        ({"repeats": "every_n", "every_days": "2"}, 13, 7),
    ],
)
def test_a_repeating_visit_is_written_out_until_its_last_day(
    app, cast, as_user, repeat, days, expected
):
    until = _today() + dt.timedelta(days=days)
    client = as_user(cast.a1)
    response = client.post(
        "/plan/new",
        data=_new(person=str(cast.person_a.id), until=until.isoformat(), **repeat),
    )
    assert response.status_code == 303
    series = VisitSeries.get()
    visits = list(PlannedVisit.select().order_by(PlannedVisit.day))
    assert len(visits) == expected
    assert {v.series_id for v in visits} == {series.id}
    assert visits[-1].day <= until
    if repeat["repeats"] == "weekdays":
        assert {v.day.weekday() for v in visits} == {1, 4}
    page = client.get(response.headers["Location"]).data.decode()
    assert f"{expected} visits to Mies Bakker planned: {series.description}." in page


# Moving and changing a visit.


def test_a_visit_is_moved_to_another_day_and_the_move_is_audited(app, cast, as_user):
    visit = _plan(cast, starts_at=dt.time(9), ends_at=dt.time(9, 30))
    later = _today() + dt.timedelta(days=2)
    client = as_user(cast.a2)
    form = client.get(f"/plan/visits/{visit.id}/edit").data.decode()
    assert 'value="09:00"' in form
    response = client.post(
        f"/plan/visits/{visit.id}/edit?back=week",
        data=_edit(visit, day=later.isoformat(), starts_at="15:00", ends_at="15:45", minutes="45"),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/plan/?week={_monday(later)}"
    moved = PlannedVisit.get_by_id(visit.id)
    assert (moved.day, moved.starts_at, moved.minutes, moved.version) == (later, dt.time(15), 45, 2)
    assert moved.member_id == cast.a1.id  # still in Anna's plan
    [event] = _events("move")
    changes = json.loads(event.changes)
    assert (changes["before"]["starts_at"], changes["after"]["starts_at"]) == ("09:00", "15:00")


def test_a_stale_edit_is_refused_with_409_naming_who_saved_and_keeps_what_was_typed(
    app, cast, as_user
):
    visit = _plan(cast, starts_at=dt.time(9))
    assert (
        as_user(cast.a2)
        .post(f"/plan/visits/{visit.id}/edit", data=_edit(visit, note="Bram's note"))
        .status_code
        == 303
    )

    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/edit", data=_edit(visit, note="Anna's note", starts_at="11:15")
    )

    page = response.data.decode()
    assert response.status_code == 409
    assert "Bram Bos saved changes to this visit today" in page
    assert 'value="Anna&#39;s note"' in page and 'value="11:15"' in page
    assert 'name="version" type="hidden" value="2"' in page  # saving again is a choice
    fresh = PlannedVisit.get_by_id(visit.id)
    assert (fresh.note, fresh.starts_at) == ("Bram's note", dt.time(9))


def test_an_edit_with_bad_input_keeps_it_and_changes_nothing(app, cast, as_user):
    visit = _plan(cast, starts_at=dt.time(9))
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/edit", data=_edit(visit, ends_at="08:00", note="Typed")
    )
    assert response.status_code == 400
    assert "This is not after the start time (09:00)." in response.data.decode()
    assert 'value="Typed"' in response.data.decode()
    assert PlannedVisit.get_by_id(visit.id).version == 1


def test_a_visit_in_the_past_keeps_its_day_when_its_note_changes(app, cast, as_user):
    visit = _plan(cast, day=_today() - dt.timedelta(days=2))
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/edit", data=_edit(visit, note="Written afterwards")
    )
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).note == "Written afterwards"
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/edit",
        data=_edit(visit, day=(_today() - dt.timedelta(days=1)).isoformat(), version="2"),
    )
    assert response.status_code == 400


def test_a_done_visit_cannot_be_moved(app, cast, as_user):
    visit = _plan(cast)
    visit.mark_done(cast.a2, happened_at=utcnow(), minutes=30, kind="home_visit")
    client = as_user(cast.a1)
    assert "can no longer be moved" in client.get(f"/plan/visits/{visit.id}/edit").data.decode()
    response = client.post(f"/plan/visits/{visit.id}/edit", data=_edit(visit, version="2"))
    assert response.status_code == 409
    assert "Bram Bos recorded this visit as done" in response.data.decode()


def test_others_cannot_see_or_change_a_visit(app, cast, as_user):
    visit = _plan(cast)
    for user, status in ((cast.b1, 404), (cast.coach_a, 403), (cast.coach_x, 404)):
        client = as_user(user)
        assert client.get(f"/plan/visits/{visit.id}/edit").status_code == status
        assert client.post(f"/plan/visits/{visit.id}/edit", data=_edit(visit)).status_code == status
        for action in ("take", "hand-over", "cancel", "cancel-rest", "done"):
            assert client.post(f"/plan/visits/{visit.id}/{action}").status_code == status
    assert PlannedVisit.get_by_id(visit.id).version == 1
    assert as_user(cast.b1).get("/plan/visits/999999/edit").status_code == 404


def test_actions_refuse_the_wrong_method(app, cast, as_user):
    visit = _plan(cast)
    client = as_user(cast.a1)
    for action in ("take", "hand-over", "cancel", "cancel-rest"):
        assert client.get(f"/plan/visits/{visit.id}/{action}").status_code == 405
    assert client.delete(f"/plan/visits/{visit.id}/edit").status_code == 405
    assert client.put("/plan/new").status_code == 405
    assert client.post("/plan/day").status_code == 405
    assert client.post("/plan/").status_code == 405


# Cancelling.


def test_one_visit_is_cancelled_on_its_own(app, cast, as_user):
    visit = _plan(cast)
    response = as_user(cast.a2).post(f"/plan/visits/{visit.id}/cancel")
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).status == "cancelled"
    assert _events("cancel")[0].actor_id == cast.a2.id
    again = as_user(cast.a1).post(f"/plan/visits/{visit.id}/cancel")
    assert again.status_code == 409
    assert "Bram Bos cancelled this visit at" in again.data.decode()


def test_cancel_the_rest_of_a_series_leaves_the_days_before_it(app, cast, as_user):
    start = _today()
    series = VisitSeries.plan(
        cast.person_a,
        cast.a1,
        member=cast.a1,
        rule="daily",
        starts_on=start,
        ends_on=start + dt.timedelta(days=9),
        minutes=15,
        kind="home_visit",
        note="Insulin",
    )
    visits = list(series.visits.order_by(PlannedVisit.day))
    visits[0].mark_done(cast.a1, happened_at=utcnow(), minutes=15, kind="home_visit")
    visits[5].cancel(cast.a1)

    response = as_user(cast.a2).post(f"/plan/visits/{visits[3].id}/cancel-rest")

    assert response.status_code == 303
    statuses = [v.status for v in series.visits.order_by(PlannedVisit.day)]
    assert statuses == ["done", "planned", "planned"] + ["cancelled"] * 7
    event = _events("cancel", "series")[0]
    assert json.loads(event.changes)["after"]["visits"] == 6
    flashed = as_user(cast.a2).get(f"/plan/day?day={visits[3].day}")
    assert flashed.status_code == 200


def test_a_single_visit_cancels_on_its_own_through_cancel_the_rest(app, cast, as_user):
    visit = _plan(cast)
    assert as_user(cast.a1).post(f"/plan/visits/{visit.id}/cancel-rest").status_code == 303
    assert PlannedVisit.get_by_id(visit.id).status == "cancelled"


# Handing over and taking.


def test_a_member_hands_over_one_visit_and_a_colleague_takes_it(app, cast, as_user):
    visit = _plan(cast, starts_at=dt.time(9))
    anna, bram = as_user(cast.a1), as_user(cast.a2)

    response = anna.post(f"/plan/visits/{visit.id}/hand-over")
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).member_id is None
    assert "Up for grabs" not in bram.get("/plan/day").data.decode()
    assert "I'll take it" in bram.get("/plan/day").data.decode()

    response = bram.post(f"/plan/visits/{visit.id}/take", headers=HTMX)
    page = response.data.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="day-visits"' in page
    assert "You took the visit to Mies Bakker" in page
    assert PlannedVisit.get_by_id(visit.id).member_id == cast.a2.id
    assert [e.action for e in AuditEvent.select().where(AuditEvent.entity == "visit")] == [
        "create",
        "handover",
        "take",
    ]


def test_only_her_own_visits_can_be_handed_over_by_a_member(app, cast, as_user):
    visit = _plan(cast)
    response = as_user(cast.a2).post(f"/plan/visits/{visit.id}/hand-over")
    assert response.status_code == 409
    assert "This visit is in Anna Aalders&#39;s plan. Only Anna can hand it over." in (
        response.data.decode()
    )
    assert PlannedVisit.get_by_id(visit.id).member_id == cast.a1.id


def test_a_visit_that_someone_has_cannot_be_taken(app, cast, as_user):
    visit = _plan(cast)
    response = as_user(cast.a2).post(f"/plan/visits/{visit.id}/take?back=week")
    assert response.status_code == 409
    assert 'id="week"' in response.data.decode()
    assert "This visit is in Anna Aalders&#39;s plan." in response.data.decode()
    assert PlannedVisit.get_by_id(visit.id).member_id == cast.a1.id


def test_taking_from_the_week_answers_htmx_with_the_week_in_place(app, cast, as_user):
    day = _today() + dt.timedelta(days=1)
    visit = _plan(cast, member=None, day=day, note="Shower")
    response = as_user(cast.a2).post(f"/plan/visits/{visit.id}/take?back=week", headers=HTMX)
    page = response.data.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<div id="week">')
    assert "You took the visit to Mies Bakker" in page
    assert page.index("Bram Bos") < page.index("Shower")
    plain = as_user(cast.a1).post(f"/plan/visits/{visit.id}/hand-over?back=week")
    assert plain.status_code == 409  # it is Bram's now, not Anna's to hand over


def test_the_history_names_what_happened_to_a_visit(app, cast, as_user):
    visit = _plan(cast, starts_at=dt.time(9))
    visit.hand_over(cast.a1)
    visit.take(cast.a2)
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Planned a visit" in page
    assert "Handed over a planned visit" in page
    assert "Took a visit up for a colleague to take" in page
    assert "<ins>Bram Bos</ins>" in page


def test_changing_the_day_to_hand_over_shows_that_day_s_visits_in_place(app, cast, as_user):
    day = _today() + dt.timedelta(days=2)
    _plan(cast, day=day, note="Eye drops")
    response = as_user(cast.a1).get(f"/plan/hand-over?day={day}", headers=HTMX)
    page = response.data.decode()
    assert page.strip().startswith('<div id="handover-visits">')
    assert f"This visit on {day:%A} {day.day} {day:%B} will be up for" in page
    assert "Mies Bakker" in page


def test_a_member_who_is_ill_hands_over_her_whole_day(app, cast, as_user):
    day = _today() + dt.timedelta(days=1)
    mine = [_plan(cast, day=day, starts_at=dt.time(h)) for h in (8, 10, 13)]
    done = _plan(cast, day=day)
    PlannedVisit.update(status="done").where(PlannedVisit.id == done.id).execute()
    other_day = _plan(cast, day=day + dt.timedelta(days=1))
    brams = _plan(cast, member="a2", day=day)
    client = as_user(cast.a1)
    form = client.get(f"/plan/hand-over?day={day}").data.decode()
    assert "These 3 visits" in form

    response = client.post("/plan/hand-over", data={"day": day.isoformat()})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/plan/day?day={day}"
    members = {v.id: v.member_id for v in PlannedVisit.select()}
    assert [members[v.id] for v in mine] == [None, None, None]
    assert members[done.id] == members[other_day.id] == cast.a1.id
    assert members[brams.id] == cast.a2.id
    assert len(_events("handover")) == 3
    page = client.get(f"/plan/day?day={day}").data.decode()
    assert "Your 3 visits on" in page


def test_handing_over_a_day_needs_a_day_that_is_not_over(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.post("/plan/hand-over", data={"day": ""})
    assert response.status_code == 400
    assert "Choose the day." in response.data.decode()
    response = client.post("/plan/hand-over", data={"day": "2020-02-03"})
    assert response.status_code == 400
    assert "This day is over." in response.data.decode()
    assert 'value="2020-02-03"' in response.data.decode()


def _at_once(*calls, connect=True):
    """Run each call in its own thread, released together by a barrier; each in its
    own database connection (`connect=False` for requests, which open their own)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        if not connect:
            barrier.wait()
            results[index] = call()
            return
        with db.connection_context():
            barrier.wait()
            results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_colleagues_taking_one_visit_at_once_exactly_one_wins(app, cast, as_user):
    visit = _plan(cast, member=None, starts_at=dt.time(9))
    third = User.create(
        email="cas@a.example.org",
        name="Cas Claassen",
        role=User.MEMBER,
        team=cast.team_a,
        password_hash=cast.a1.password_hash,
    )
    takers = {cast.a1.id: as_user(cast.a1), cast.a2.id: as_user(cast.a2), third.id: as_user(third)}
    url = f"/plan/visits/{visit.id}/take"

    responses = _at_once(*(lambda c=c: c.post(url) for c in takers.values()), connect=False)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [303, 409, 409]
    winner = PlannedVisit.get_by_id(visit.id).member
    taken_at = (
        _events("take")[0]
        .at.replace(tzinfo=dt.UTC)
        .astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
    )
    for response in responses:
        if response.status_code == 409:
            assert f"{winner.name} took this visit at {taken_at:%H:%M}." in response.data.decode()
    assert len(_events("take")) == 1


def test_two_takers_in_their_own_connections_exactly_one_wins(app, cast):
    visit = _plan(cast, member=None)
    mine, theirs = PlannedVisit.get_by_id(visit.id), PlannedVisit.get_by_id(visit.id)

    results = _at_once(lambda: mine.take(cast.a1), lambda: theirs.take(cast.a2))

    assert sorted(results) == [False, True]
    winner = cast.a1 if results[0] else cast.a2
    assert PlannedVisit.get_by_id(visit.id).member_id == winner.id
    [event] = _events("take")
    assert event.actor_id == winner.id


# Done.


def test_done_opens_the_contact_form_filled_in_from_the_plan(app, cast, as_user):
    visit = _plan(cast, starts_at=dt.time(8, 15), minutes=20, kind="phone", note="Ask about sleep")
    page = as_user(cast.a2).get(f"/plan/visits/{visit.id}/done").data.decode()
    assert '<input checked id="kind-1" name="kind" required type="radio" value="phone">' in page
    assert 'name="minutes_typed" type="number" value="20">' in page
    assert f'type="datetime-local" value="{_today()}T08:15">' in page
    # The plan's note is the instruction, shown as context, not the record of the visit.
    assert "<strong>Planned:</strong> Ask about sleep" in page
    assert "Ask about sleep</textarea>" not in page


def test_saving_the_done_form_as_it_is_does_not_record_the_instruction(app, cast, as_user):
    visit = _plan(cast, minutes=30, note="Help with washing; likes to start with a chat")
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/done",
        data={
            "kind": "home_visit",
            "minutes": "30",
            "happened_at": f"{_today()}T09:00",
            "minutes_was": "30",
            "note": "",
        },
    )
    assert response.status_code == 303
    contact = PlannedVisit.get_by_id(visit.id).contact
    assert contact.note == ""


@pytest.mark.parametrize(
    ("chip", "typed", "saved"),
    [("30", "20", 30), ("", "20", 20), ("30", "", 30), ("", "25", 25)],
)
def test_done_saves_the_duration_she_chose_last(app, cast, as_user, chip, typed, saved):
    # Planned for 20 minutes: "Other duration" comes filled in with 20. Without
    # JavaScript a tapped chip leaves it filled: the chip she tapped wins.
    visit = _plan(cast, minutes=20)
    page = as_user(cast.a1).get(f"/plan/visits/{visit.id}/done").data.decode()
    assert 'name="minutes_was" type="hidden" value="20">' in page
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/done",
        data={
            "kind": "home_visit",
            "minutes": chip,
            "minutes_typed": typed,
            "minutes_was": "20",
            "happened_at": f"{_today()}T09:00",
        },
    )
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).contact.minutes == saved


def test_done_with_a_chip_and_a_newly_typed_duration_keeps_the_typed_one(app, cast, as_user):
    visit = _plan(cast, minutes=20)
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/done",
        data={
            "kind": "home_visit",
            "minutes": "30",
            "minutes_typed": "25",
            "minutes_was": "20",
            "happened_at": f"{_today()}T09:00",
        },
    )
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).contact.minutes == 25


def test_done_picks_the_quick_minutes_that_match_the_plan(app, cast, as_user):
    visit = _plan(cast, minutes=45)
    page = as_user(cast.a1).get(f"/plan/visits/{visit.id}/done").data.decode()
    assert '<input checked id="minutes-2" name="minutes" type="radio" value="45">' in page


def test_done_records_the_contact_and_ticks_the_visit_off(app, cast, as_user):
    visit = _plan(cast, starts_at=dt.time(8, 15), minutes=45, note="Wound care")
    client = as_user(cast.a2)
    response = client.post(
        f"/plan/visits/{visit.id}/done",
        data={
            "kind": "home_visit",
            "minutes": "45",
            "happened_at": f"{_today()}T08:15",
            "note": "Wound care; healing well",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/plan/day?day={_today()}"
    contact = Contact.get(Contact.note == "Wound care; healing well")
    assert (contact.author_id, contact.minutes, contact.kind) == (cast.a2.id, 45, "home_visit")
    local = dt.datetime.combine(_today(), dt.time(8, 15), zoneinfo.ZoneInfo("Europe/Amsterdam"))
    assert contact.happened_at == local.astimezone(dt.UTC).replace(tzinfo=None)
    done = PlannedVisit.get_by_id(visit.id)
    assert (done.status, done.contact_id) == ("done", contact.id)
    assert done.member_id == cast.a1.id  # still Anna's visit; Bram did it
    assert Client.get_by_id(cast.person_a.id).last_contact_kind == "home_visit"
    assert "Wound care; healing well" in client.get(f"/people/{cast.person_a.id}").data.decode()
    assert [e.action for e in _events("done")] == ["done"]


def test_a_visit_nobody_had_becomes_the_visit_of_whoever_did_it(app, cast):
    visit = _plan(cast, member=None)
    visit.mark_done(cast.a2, happened_at=utcnow(), minutes=30, kind="home_visit")
    assert PlannedVisit.get_by_id(visit.id).member_id == cast.a2.id


def test_a_visit_cannot_be_done_twice(app, cast, as_user):
    visit = _plan(cast)
    data = {"kind": "home_visit", "minutes": "30", "happened_at": f"{_today()}T09:00"}
    assert as_user(cast.a1).post(f"/plan/visits/{visit.id}/done", data=data).status_code == 303
    second = as_user(cast.a2).post(
        f"/plan/visits/{visit.id}/done", data={**data, "note": "Bram's words"}
    )
    page = second.data.decode()
    assert second.status_code == 409
    assert "Anna Aalders recorded this visit as done at" in page
    assert "Bram&#39;s words" in page  # shown, so they are not lost
    assert Contact.select().where(Contact.client == cast.person_a).count() == 2  # cast's + one


def test_two_colleagues_doing_one_visit_at_once_record_one_contact(app, cast, as_user):
    visit = _plan(cast, member=None)
    data = {"kind": "home_visit", "minutes": "30", "happened_at": f"{_today()}T09:00"}
    url = f"/plan/visits/{visit.id}/done"
    anna, bram = as_user(cast.a1), as_user(cast.a2)

    responses = _at_once(
        lambda: anna.post(url, data=data), lambda: bram.post(url, data=data), connect=False
    )

    assert sorted(r.status_code for r in responses) == [303, 409]
    assert Contact.select().where(Contact.client == cast.person_a).count() == 2
    refused = next(r for r in responses if r.status_code == 409).data.decode()
    winner = PlannedVisit.get_by_id(visit.id).member
    assert f"{winner.name} recorded this visit as done" in refused


def test_a_cancelled_visit_cannot_be_done(app, cast, as_user):
    visit = _plan(cast)
    visit.cancel(cast.a1)
    client = as_user(cast.a1)
    page = client.get(f"/plan/visits/{visit.id}/done").data.decode()
    assert "Anna Aalders cancelled this visit" in page
    assert "Save contact" not in page
    response = client.post(
        f"/plan/visits/{visit.id}/done",
        data={"kind": "home_visit", "minutes": "30", "happened_at": f"{_today()}T09:00"},
    )
    assert response.status_code == 409
    assert Contact.select().count() == 1  # the cast's


def test_done_with_bad_input_keeps_what_was_typed(app, cast, as_user):
    visit = _plan(cast)
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/done",
        data={"kind": "home_visit", "minutes": "", "happened_at": "", "note": "Kept words"},
    )
    assert response.status_code == 400
    page = response.data.decode()
    assert "Choose how long it took, or type the minutes." in page
    assert "Kept words" in page
    assert PlannedVisit.get_by_id(visit.id).status == "planned"


# The person's page: continuity.


def test_the_person_page_shows_how_many_colleagues_visited_and_who_comes_next(app, cast, as_user):
    for author in (cast.a1, cast.a2):
        Contact.record(
            cast.person_a, author, happened_at=utcnow(), minutes=15, kind="phone", note=""
        )
    Contact.record(
        cast.person_a,
        cast.a2,
        happened_at=utcnow() - dt.timedelta(days=40),
        minutes=15,
        kind="phone",
    )
    tomorrow = _today() + dt.timedelta(days=1)
    _plan(cast, member="a2", day=tomorrow, starts_at=dt.time(9, 30))
    _plan(cast, member=None, day=tomorrow + dt.timedelta(days=1))
    for offset in (3, 4):
        _plan(cast, day=tomorrow + dt.timedelta(days=offset))
    _plan(cast, day=_today() - dt.timedelta(days=1))  # past: not next
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    assert "Visited by <strong>2 different members</strong> in the last 30 days." in page
    assert f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b} 09:30, Bram" in page
    assert page.count('class="next-visit"') == 3
    assert "up for a colleague to take" in page
    assert f'href="/plan/new?person={cast.person_a.id}"' in page


# Query counts.


def _fill(cast, count, day):
    people = [
        Client.create(team=cast.team_a, name=f"Person {i}", street=f"Javastraat {i}")
        for i in range(count // 10)
    ]
    members = [cast.a1, cast.a2, None]
    PlannedVisit.insert_many(
        [
            {
                "team": cast.team_a,
                "client": people[i % len(people)],
                "member": members[i % 3],
                "day": day + dt.timedelta(days=i % 7) if i % 2 else day,
                "starts_at": dt.time(8 + i % 10, 0) if i % 4 else None,
                "minutes": 30,
                "note": f"visit {i}",
                "created_by": cast.a1,
            }
            for i in range(count)
        ]
    ).execute()


@pytest.mark.parametrize("path", ["/plan/", "/plan/day", "/plan/teams/{team}"])
def test_the_plan_pages_query_count_does_not_grow_with_the_visits(app, cast, as_user, path):
    monday = _monday(_today())
    user = cast.coach_a if "teams" in path else cast.a1
    client = as_user(user)
    url = path.format(team=cast.team_a.id)
    client.get(url)  # a first request settles the session
    _fill(cast, 10, _today() if "day" in path else monday)
    with count_queries() as few:
        first = client.get(url)
    _fill(cast, 100, _today() if "day" in path else monday)
    with count_queries() as many:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert _shown(second) > _shown(first) >= 4
    assert len(few) == len(many), many


def _shown(response) -> int:
    """Visits on a plan page: cards of my day, rows of the week, and open ones."""
    page = response.data.decode()
    return sum(
        page.count(mark) for mark in ('class="visit-card', 'class="plan-visit"', '<li id="open-')
    )


# The demo.


def test_the_demo_has_a_realistic_fortnight_with_series_and_visits_up_for_grabs(
    app, demo_team, as_user
):
    from teamcase.demo import DEMO_PASSWORD

    oost = Team.get(Team.name == "Buurtzorg Oost-Noord")
    monday = _monday(_today())
    visits = list(
        PlannedVisit.select().where(
            PlannedVisit.team == oost,
            PlannedVisit.day.between(monday - dt.timedelta(days=7), monday + dt.timedelta(days=13)),
        )
    )
    # Recurring visits: insulin morning and evening for two people, a shower on
    # Tuesdays and Fridays, wound care every other day.
    rules = sorted((s.rule, s.weekdays, s.every_days) for s in VisitSeries.select())
    assert rules == [("daily", "", 1)] * 4 + [("every_n", "", 2)] * 2 + [("weekdays", "1,4", 1)] * 2
    # From today on, each member 5-8 visits on a weekday, fewer at weekends.
    per_day = {}
    for visit in visits:
        if visit.member_id and visit.status != "cancelled" and visit.day > _today():
            key = (visit.day, visit.member_id)
            per_day[key] = per_day.get(key, 0) + 1
    weekdays = [n for (day, _m), n in per_day.items() if day.weekday() < 5]
    weekends = [n for (day, _m), n in per_day.items() if day.weekday() >= 5]
    assert sum(5 <= n <= 8 for n in weekdays) >= 0.9 * len(weekdays)
    assert max(weekends) < 7 and sum(weekends) / len(weekends) < 5
    # The days gone by are done, each visit with its own contact on the person's
    # timeline, by the member who went: the visits the team's charts count.
    gone_by = [v for v in visits if v.day < _today()]
    assert len(gone_by) >= 40
    assert all(v.status == "done" and v.contact_id for v in gone_by)
    linked = Contact.select().where(Contact.id.in_([v.contact_id for v in gone_by]))
    contacts = {c.id: c for c in linked}
    assert all(contacts[v.contact_id].client_id == v.client_id for v in gone_by)
    assert all(contacts[v.contact_id].author_id == v.member_id for v in gone_by if not v.series_id)
    assert len(contacts) == len(gone_by)
    # Every home visit on a timeline since last Monday was in the plan.
    start = dt.datetime.combine(monday - dt.timedelta(days=7), dt.time(0))
    home_visits = (
        Contact.select()
        .join(Client)
        .where(
            Client.team == oost,
            Client.status == Client.ACTIVE,
            Contact.kind == "home_visit",
            Contact.happened_at >= start + dt.timedelta(days=1),
            Contact.happened_at < dt.datetime.combine(_today(), dt.time(0)) - dt.timedelta(hours=2),
        )
    )
    planned_ids = {v.contact_id for v in visits}
    assert home_visits.count() >= 40
    assert all(c.id in planned_ids for c in home_visits)
    # Handed over: some visits are up for a colleague to take; two were called off.
    assert len([v for v in visits if v.member_id is None and v.day >= _today()]) >= 4
    assert sum(v.status == "cancelled" for v in visits) == 2
    # Anna, the demo login, has a day to look at.
    client = app.test_client()
    login(client, User.get(User.email == "anna@oost.example.org"), DEMO_PASSWORD)
    page = client.get("/plan/day").data.decode()
    assert 'class="visit-card' in page
    assert client.get("/plan/").status_code == 200


# Two visits at once: a warning that says which, and a way to go on.


def _other_person(cast):
    return Client.open(cast.team_a, by=cast.a1, name="Joop Visser", phone="06-87654321")


def test_planning_over_another_visit_of_mine_warns_and_says_which(app, cast, as_user):
    joop = _other_person(cast)
    _plan(cast, person=joop, starts_at=dt.time(10, 15), ends_at=dt.time(10, 45))
    client = as_user(cast.a1)
    data = _new(person=str(cast.person_a.id), note="Kept note")
    response = client.post("/plan/new", data=data)
    page = response.data.decode()
    assert response.status_code == 200
    assert "At the same time:" in page
    assert "your visit to Joop Visser" in page and "10:15–10:45" in page
    assert "Kept note" in page
    assert PlannedVisit.select().where(PlannedVisit.client == cast.person_a).count() == 0

    response = client.post("/plan/new", data={**data, "go_on": "yes"})
    assert response.status_code == 303
    assert PlannedVisit.select().where(PlannedVisit.client == cast.person_a).count() == 1


def test_planning_a_second_visit_to_the_same_person_that_day_warns(app, cast, as_user):
    _plan(cast, member="a2", starts_at=dt.time(10), ends_at=dt.time(10, 20))
    response = as_user(cast.a1).post("/plan/new", data=_new(person=str(cast.person_a.id)))
    page = response.data.decode()
    assert "At the same time:" in page
    assert "Bram" in page and "visit to Mies Bakker" in page


def test_visits_that_only_touch_do_not_warn(app, cast, as_user):
    joop = _other_person(cast)
    _plan(cast, person=joop, starts_at=dt.time(9, 30), ends_at=dt.time(10))
    response = as_user(cast.a1).post("/plan/new", data=_new(person=str(cast.person_a.id)))
    assert response.status_code == 303


def test_planning_a_series_warns_about_the_day_it_crosses(app, cast, as_user):
    joop = _other_person(cast)
    third = _today() + dt.timedelta(days=2)
    _plan(cast, person=joop, day=third, starts_at=dt.time(10), minutes=30)
    data = _new(
        person=str(cast.person_a.id),
        repeats="daily",
        until=(_today() + dt.timedelta(days=4)).isoformat(),
    )
    response = as_user(cast.a1).post("/plan/new", data=data)
    page = response.data.decode()
    assert "At the same time:" in page and "your visit to Joop Visser" in page
    assert f"{third:%a} {third.day} {third:%b} 10:00" in page
    assert not VisitSeries.select().exists()
    assert as_user(cast.a1).post("/plan/new", data={**data, "go_on": "yes"}).status_code == 303
    assert PlannedVisit.select().where(PlannedVisit.client == cast.person_a).count() == 5


def test_taking_a_visit_that_overlaps_my_own_says_which(app, cast, as_user):
    joop = _other_person(cast)
    _plan(cast, member="a2", person=joop, starts_at=dt.time(9), ends_at=dt.time(9, 30))
    open_visit = _plan(cast, member=None, starts_at=dt.time(9, 15), minutes=30)
    response = as_user(cast.a2).post(f"/plan/visits/{open_visit.id}/take", headers=HTMX)
    page = response.data.decode()
    assert "You took the visit to Mies Bakker" in page
    assert "Note: it overlaps your visit to Joop Visser" in page and "09:00–09:30" in page
    assert PlannedVisit.get_by_id(open_visit.id).member_id == cast.a2.id


def test_moving_a_visit_over_another_of_mine_warns_says_which_and_changes_nothing(
    app, cast, as_user
):
    joop = _other_person(cast)
    _plan(cast, person=joop, starts_at=dt.time(10, 15), ends_at=dt.time(10, 45))
    visit = _plan(cast, starts_at=dt.time(8), ends_at=dt.time(8, 30))
    client = as_user(cast.a1)
    data = _edit(visit, starts_at="10:00", ends_at="10:30", note="Moved note")
    response = client.post(f"/plan/visits/{visit.id}/edit", data=data)
    page = response.data.decode()
    assert response.status_code == 200
    assert "At the same time:" in page
    assert "your visit to Joop Visser" in page and "10:15–10:45" in page
    assert "Mies Bakker, " not in page.split("At the same time:")[1].split("</p>")[0]
    assert 'value="10:00"' in page and 'value="Moved note"' in page
    fresh = PlannedVisit.get_by_id(visit.id)
    assert (fresh.starts_at, fresh.note, fresh.version) == (dt.time(8), visit.note, 1)

    response = client.post(f"/plan/visits/{visit.id}/edit", data={**data, "go_on": "yes"})
    assert response.status_code == 303
    fresh = PlannedVisit.get_by_id(visit.id)
    assert (fresh.starts_at, fresh.ends_at) == (dt.time(10), dt.time(10, 30))
    assert fresh.note == "Moved note"


def test_moving_a_visit_to_a_day_with_another_visit_to_the_person_warns(app, cast, as_user):
    later = _today() + dt.timedelta(days=3)
    _plan(cast, member="a2", day=later, starts_at=dt.time(14), minutes=20)
    visit = _plan(cast, starts_at=dt.time(14))
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/edit", data=_edit(visit, day=later.isoformat())
    )
    page = response.data.decode()
    assert "At the same time:" in page and "Bram Bos&#39;s visit to Mies Bakker" in page
    assert PlannedVisit.get_by_id(visit.id).day == _today()


def test_a_visit_does_not_overlap_itself_and_a_note_alone_asks_nothing(app, cast, as_user):
    joop = _other_person(cast)
    visit = _plan(cast, starts_at=dt.time(10), ends_at=dt.time(10, 30))
    client = as_user(cast.a1)
    response = client.post(
        f"/plan/visits/{visit.id}/edit", data=_edit(visit, starts_at="10:15", ends_at="10:45")
    )
    assert response.status_code == 303
    # Already at the same time as Joop's (planned anyway): a new note is just saved.
    _plan(cast, person=joop, starts_at=dt.time(10, 15), ends_at=dt.time(10, 45))
    visit = PlannedVisit.get_by_id(visit.id)
    response = client.post(f"/plan/visits/{visit.id}/edit", data=_edit(visit, note="Bring gloves"))
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).note == "Bring gloves"


def test_a_move_looks_for_overlaps_in_one_query(app, cast, as_user):
    joop = _other_person(cast)
    _plan(cast, person=joop, starts_at=dt.time(10, 15), ends_at=dt.time(10, 45))
    visit = _plan(cast, starts_at=dt.time(8))
    assert [v.client_id for v in visit.overlaps(starts_at=dt.time(10, 30))] == [joop.id]
    assert visit.overlaps() == []
    with count_queries() as queries:
        visit.overlaps(day=_today(), starts_at=dt.time(10, 30), minutes=30)
    assert len(queries) == 1
