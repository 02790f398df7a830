"""A planned visit marked done on the tablet carries the id made there: sent again
and again, or in another order than written, its contact is recorded once and the
visit is marked done once, on both backends."""

import datetime as dt
import uuid
import zoneinfo

from teamcase.models import AuditEvent, Contact, PlannedVisit

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _plan(cast, at: dt.time) -> PlannedVisit:
    return PlannedVisit.add(cast.person_a, cast.a1, member=cast.a1, day=_today(), starts_at=at)


def _done(sent_as, note, at="08:15"):
    return {
        "kind": "home_visit",
        "minutes": "30",
        "happened_at": f"{_today()}T{at}",
        "note": note,
        "client_uuid": sent_as,
    }


def _done_events(visit):
    return (
        AuditEvent.select()
        .where(
            AuditEvent.entity == PlannedVisit.ENTITY,
            AuditEvent.entity_id == visit.id,
            AuditEvent.action == "done",
        )
        .count()
    )


def test_a_visit_marked_done_five_times_is_done_once_with_one_contact(cast, as_user):
    visit = _plan(cast, dt.time(8, 15))
    client = as_user(cast.a1)
    sent_as = str(uuid.uuid4())
    url = f"/plan/visits/{visit.id}/done"
    answers = [client.post(url, data=_done(sent_as, "Legs washed")) for _ in range(5)]
    assert [a.status_code for a in answers] == [303] * 5
    assert {a.headers["Location"] for a in answers} == {f"/plan/day?day={_today()}"}
    contacts = Contact.select().where(Contact.client_uuid == sent_as)
    assert [c.note for c in contacts] == ["Legs washed"]
    visit = PlannedVisit.get_by_id(visit.id)
    assert (visit.status, visit.contact_id) == ("done", contacts[0].id)
    assert _done_events(visit) == 1


def test_two_visits_done_out_of_order_and_repeated_give_exactly_two(cast, as_user):
    early, late = _plan(cast, dt.time(8, 15)), _plan(cast, dt.time(14))
    client = as_user(cast.a1)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    sends = [
        (late, _done(second, "Afternoon", "14:00")),
        (early, _done(first, "Morning")),
        (late, _done(second, "Afternoon", "14:00")),
        (early, _done(first, "Morning")),
    ]
    for visit, data in sends:
        assert client.post(f"/plan/visits/{visit.id}/done", data=data).status_code == 303
    for visit, note in ((early, "Morning"), (late, "Afternoon")):
        visit = PlannedVisit.get_by_id(visit.id)
        assert visit.status == "done"
        assert visit.contact.note == note
        assert _done_events(visit) == 1
    recorded = Contact.select().where(Contact.client_uuid.in_([first, second]))
    assert recorded.count() == 2


def test_a_second_id_for_a_visit_done_already_records_nothing_and_says_why(cast, as_user):
    visit = _plan(cast, dt.time(8, 15))
    client = as_user(cast.a1)
    url = f"/plan/visits/{visit.id}/done"
    assert client.post(url, data=_done(str(uuid.uuid4()), "First")).status_code == 303
    again = client.post(url, data=_done(str(uuid.uuid4()), "Second"))
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "data-refusal" in page and "Second" in page
    assert Contact.select().where(Contact.note == "Second").count() == 0


def test_an_id_of_another_contact_does_not_mark_a_visit_done(cast, as_user):
    visit = _plan(cast, dt.time(8, 15))
    client = as_user(cast.a1)
    sent_as = str(uuid.uuid4())
    new_contact = _done(sent_as, "A phone call")
    assert (
        client.post(f"/people/{cast.person_a.id}/contacts/new", data=new_contact).status_code == 303
    )
    answer = client.post(f"/plan/visits/{visit.id}/done", data=_done(sent_as, "A phone call"))
    assert answer.status_code == 409
    assert PlannedVisit.get_by_id(visit.id).status == "planned"
    assert Contact.select().where(Contact.client_uuid == sent_as).count() == 1
