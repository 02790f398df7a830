"""My day: done visits on one line, and another day's visit recorded as done only
once the member says when it happened."""

import datetime as dt
import re
import zoneinfo

from teamcase.models import Contact, PlannedVisit

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _utc(day: dt.date, at: dt.time) -> dt.datetime:
    local = dt.datetime.combine(day, at, ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _plan(cast, day, **fields) -> PlannedVisit:
    return PlannedVisit.add(cast.person_a, cast.a1, member=cast.a1, day=day, **fields)


def _done_data(day: dt.date, **overrides) -> dict:
    data = {
        "kind": "home_visit",
        "minutes": "30",
        "happened_at": f"{day}T08:15",
        "note": "Legs washed; she laughed a lot",
    }
    data.update(overrides)
    return data


def _new_contact() -> Contact | None:
    return Contact.get_or_none(Contact.note == "Legs washed; she laughed a lot")


# Done visits shrink.


def test_a_done_visit_is_one_line_that_opens_to_see_or_correct_it(app, cast, as_user):
    done = _plan(cast, _today(), starts_at=dt.time(8, 15), note="Wash legs")
    waiting = _plan(cast, _today(), starts_at=dt.time(10), note="Eye drops")
    client = as_user(cast.a1)
    assert client.post(f"/plan/visits/{done.id}/done", data=_done_data(_today())).status_code == 303
    page = client.get("/plan/day").data.decode()
    start = page.index(f'id="visit-{done.id}"')
    line = page[start : page.index("</li>", start)]
    assert 'class="visit-card status-done done-line"' in page[start - 60 : start]
    assert "<details>" in line and "<summary>" in line
    assert "08:15" in line and "Mies Bakker" in line and "Done" in line
    # Its actions are gone; what was done is one tap away.
    assert "plan/visits" not in line
    contact = _new_contact()
    assert f'href="/people/{cast.person_a.id}#contact-{contact.id}"' in line
    assert "See or correct the contact" in line
    # The visit still to do keeps its card and its Done button.
    start = page.index(f'id="visit-{waiting.id}"')
    card = page[start : page.index("</li>", start)]
    assert "done-line" not in page[start - 60 : start]
    assert f'href="/plan/visits/{waiting.id}/done"' in card


# Another day's visit.


def test_yesterday_s_visit_is_not_recorded_until_she_says_when(app, cast, as_user):
    yesterday = _today() - dt.timedelta(days=1)
    visit = _plan(cast, yesterday, starts_at=dt.time(8, 15))
    client = as_user(cast.a1)
    form = client.get(f"/plan/visits/{visit.id}/done").data.decode()
    assert "This visit was planned for" in form and "not today" in form
    assert "When did this visit happen?" in form
    assert 'value="planned"' in form and 'value="today"' in form and 'value="typed"' in form
    whens = re.findall(r'<input[^>]*name="when"[^>]*>', form)
    assert len(whens) == 3 and not any("checked" in w for w in whens)  # nothing assumed
    response = client.post(f"/plan/visits/{visit.id}/done", data=_done_data(yesterday))
    assert response.status_code == 400
    page = response.data.decode()
    assert "Say whether it happened then, today, or when." in page
    assert "Legs washed; she laughed a lot" in page  # what was typed stays
    assert PlannedVisit.get_by_id(visit.id).status == "planned"
    assert _new_contact() is None


def test_as_planned_records_it_on_its_own_day(app, cast, as_user):
    yesterday = _today() - dt.timedelta(days=1)
    visit = _plan(cast, yesterday, starts_at=dt.time(8, 15))
    # The time under "When" was left at today's: "as planned" means the planned day.
    data = _done_data(_today(), happened_at=f"{_today()}T07:00", when="planned")
    response = as_user(cast.a1).post(f"/plan/visits/{visit.id}/done", data=data)
    assert response.status_code == 303
    assert _new_contact().happened_at == _utc(yesterday, dt.time(8, 15))
    assert PlannedVisit.get_by_id(visit.id).status == "done"


def test_today_records_it_now(app, cast, as_user):
    yesterday = _today() - dt.timedelta(days=1)
    visit = _plan(cast, yesterday, starts_at=dt.time(8, 15))
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, second=0, microsecond=0)
    response = as_user(cast.a1).post(
        f"/plan/visits/{visit.id}/done", data=_done_data(yesterday, when="today")
    )
    assert response.status_code == 303
    happened = _new_contact().happened_at
    assert before - dt.timedelta(minutes=1) <= happened <= before + dt.timedelta(minutes=2)


def test_at_the_time_typed_records_what_she_typed(app, cast, as_user):
    visit = _plan(cast, _today() - dt.timedelta(days=3), starts_at=dt.time(8, 15))
    two_days_ago = _today() - dt.timedelta(days=2)
    data = _done_data(two_days_ago, happened_at=f"{two_days_ago}T16:40", when="typed")
    response = as_user(cast.a1).post(f"/plan/visits/{visit.id}/done", data=data)
    assert response.status_code == 303
    assert _new_contact().happened_at == _utc(two_days_ago, dt.time(16, 40))


def test_a_visit_ahead_done_early_cannot_be_as_planned(app, cast, as_user):
    tomorrow = _today() + dt.timedelta(days=1)
    visit = _plan(cast, tomorrow, starts_at=dt.time(8, 15))
    client = as_user(cast.a1)
    form = client.get(f"/plan/visits/{visit.id}/done").data.decode()
    assert 'value="planned"' not in form and 'value="today"' in form
    assert "not today" not in form
    refused = client.post(
        f"/plan/visits/{visit.id}/done", data=_done_data(tomorrow, when="planned")
    )
    assert refused.status_code == 400
    assert _new_contact() is None
    # The planned time (tomorrow) is still under "When": "today" is what counts.
    response = client.post(f"/plan/visits/{visit.id}/done", data=_done_data(tomorrow, when="today"))
    assert response.status_code == 303
    assert _new_contact().happened_at.date() in (_today(), _today() - dt.timedelta(days=1))


def test_today_s_visit_asks_nothing_extra(app, cast, as_user):
    visit = _plan(cast, _today(), starts_at=dt.time(8, 15))
    client = as_user(cast.a1)
    assert "When did this visit happen?" not in client.get(f"/plan/visits/{visit.id}/done").text
    response = client.post(f"/plan/visits/{visit.id}/done", data=_done_data(_today()))
    assert response.status_code == 303
    assert _new_contact().happened_at == _utc(_today(), dt.time(8, 15))


# Ill for several days.


def test_ill_until_friday_hands_over_every_visit_of_those_days_at_once(app, cast, as_user):
    first, last = _today(), _today() + dt.timedelta(days=3)
    mine = [_plan(cast, first + dt.timedelta(days=n), starts_at=dt.time(8 + n)) for n in (0, 1, 3)]
    after = _plan(cast, last + dt.timedelta(days=1))
    done = _plan(cast, first + dt.timedelta(days=1))
    PlannedVisit.update(status="done").where(PlannedVisit.id == done.id).execute()
    brams = PlannedVisit.add(cast.person_a, cast.a2, member=cast.a2, day=first)
    client = as_user(cast.a1)

    form = client.get(f"/plan/hand-over?day={first}&until={last}").data.decode()
    assert "These 3 visits" in form
    assert f'name="until" type="date" value="{last}"' in form
    response = client.post("/plan/hand-over", data={"day": str(first), "until": str(last)})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/plan/day?day={first}"
    members = {v.id: v.member_id for v in PlannedVisit.select()}
    assert [members[v.id] for v in mine] == [None, None, None]
    assert members[after.id] == members[done.id] == cast.a1.id
    assert members[brams.id] == cast.a2.id
    page = client.get(f"/plan/day?day={first}").data.decode()
    assert "Your 3 visits from" in page and "are up for your colleagues to take" in page
    # Her colleagues see them in their day.
    later = as_user(cast.a2).get(f"/plan/day?day={mine[2].day}").data.decode()
    assert f'id="open-{mine[2].id}"' in later


def test_the_preview_shows_the_visits_day_by_day_in_place(app, cast, as_user):
    tomorrow = _today() + dt.timedelta(days=1)
    _plan(cast, tomorrow, note="Eye drops")
    _plan(cast, tomorrow + dt.timedelta(days=1), note="Shower")
    response = as_user(cast.a1).get(
        f"/plan/hand-over?day={tomorrow}&until={tomorrow + dt.timedelta(days=1)}",
        headers={"HX-Request": "true"},
    )
    page = response.data.decode()
    assert page.strip().startswith('<div id="handover-visits">')
    assert "These 2 visits from" in page
    assert page.count('class="handover-day"') == 2


def test_a_last_day_before_the_first_or_weeks_away_is_refused(app, cast, as_user):
    tomorrow = _today() + dt.timedelta(days=1)
    visit = _plan(cast, tomorrow)
    client = as_user(cast.a1)
    response = client.post("/plan/hand-over", data={"day": str(tomorrow), "until": str(_today())})
    assert response.status_code == 400
    page = response.data.decode()
    assert "This is before the first day" in page
    assert f'value="{_today()}"' in page  # what was typed stays
    far = tomorrow + dt.timedelta(days=40)
    response = client.post("/plan/hand-over", data={"day": str(tomorrow), "until": str(far)})
    assert response.status_code == 400
    assert "That is more than 31 days." in response.data.decode()
    assert PlannedVisit.get_by_id(visit.id).member_id == cast.a1.id


def test_one_day_is_still_one_day_when_the_last_is_left_empty(app, cast, as_user):
    tomorrow = _today() + dt.timedelta(days=1)
    visit = _plan(cast, tomorrow)
    later = _plan(cast, tomorrow + dt.timedelta(days=1))
    response = as_user(cast.a1).post("/plan/hand-over", data={"day": str(tomorrow), "until": ""})
    assert response.status_code == 303
    assert PlannedVisit.get_by_id(visit.id).member_id is None
    assert PlannedVisit.get_by_id(later.id).member_id == cast.a1.id
