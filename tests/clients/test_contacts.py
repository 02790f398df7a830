import datetime as dt

import pytest

from teamcase.models import AuditEvent, Client, Contact, ContactMember, utcnow


def _visit(**overrides):
    data = {"kind": "home_visit", "minutes": "30", "happened_at": "2026-01-05T10:30", "note": ""}
    data.update(overrides)
    return data


def test_it_records_a_home_visit_in_three_taps(app, cast, as_user):
    # Tap "Home visit", tap "30 min", tap "Save": the time defaults to now.
    client = as_user(cast.a2)
    form = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert 'name="happened_at"' in form
    response = client.post(
        f"/people/{cast.person_a.id}/contacts/new?inline=1",
        data=_visit(note="Walked to the corner together."),
    )
    assert response.status_code == 303
    contact = Contact.get(Contact.note == "Walked to the corner together.")
    assert (contact.author_id, contact.minutes, contact.kind) == (cast.a2.id, 30, "home_visit")
    # 10:30 in Amsterdam in January is 09:30 UTC.
    assert contact.happened_at == dt.datetime(2026, 1, 5, 9, 30)
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert "Home visit recorded for Mies Bakker" in page


def test_the_newest_contact_is_at_the_top_and_on_the_caseload(app, cast, as_user):
    client = as_user(cast.a1)
    now = dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/people/{cast.person_a.id}/contacts/new",
        data=_visit(happened_at=now, kind="phone", note="Newest"),
    )
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert page.index("Newest") < page.index("Talked about the garden.")
    assert Client.get_by_id(cast.person_a.id).last_contact_kind == "phone"


def test_a_typed_duration_wins_over_a_quick_choice(app, cast, as_user):
    as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new", data=_visit(minutes_typed="95")
    )
    assert Contact.select().where(Contact.minutes == 95).exists()


def test_recording_from_the_caseload_returns_to_the_caseload(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new?from=caseload", data=_visit()
    )
    assert response.headers["Location"] == "/caseload"


def test_colleagues_can_be_added(app, cast, as_user):
    as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new",
        data=_visit(note="Together", colleagues=[str(cast.a2.id)]),
    )
    contact = Contact.get(Contact.note == "Together")
    assert [m.member_id for m in contact.members] == [cast.a2.id]


def test_an_incoming_contact_records_the_kind_of_demand(app, cast, as_user):
    as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new",
        data=_visit(
            kind="phone",
            incoming="y",
            demand="failure",
            demand_why="Prescription was not sent on",
            resolved="no",
        ),
    )
    contact = Contact.get(Contact.kind == "phone")
    assert contact.incoming
    assert (contact.demand, contact.resolved_first_time) == ("failure", False)
    assert contact.demand_why == "Prescription was not sent on"


def test_demand_is_not_kept_for_a_contact_we_started(app, cast, as_user):
    as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new",
        data=_visit(kind="phone", demand="value", resolved="yes"),
    )
    contact = Contact.get(Contact.kind == "phone")
    assert (contact.demand, contact.resolved_first_time) == ("", None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Choose what kind of contact it was."),
        ({"kind": "séance"}, "Not a valid choice"),
        ({"minutes": ""}, "Choose how long it took, or type the minutes."),
        ({"minutes": "", "minutes_typed": "0"}, "Between 1 and 720 minutes."),
        ({"minutes": "", "minutes_typed": "lots"}, "Not a valid integer value."),
        ({"happened_at": "yesterday"}, "Not a valid datetime value."),
        ({"happened_at": "2099-01-01T10:00"}, "This is in the future."),
        ({"note": "x" * 5001}, "Keep the note under 5000 characters."),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_note(app, cast, as_user, data, message):
    data = dict(data)  # the parameters are shared by every backend's run
    note = data.pop("note", "Kept words")
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new?inline=1", data=_visit(note=note, **data)
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert message in page
    assert note[:100] in page
    assert Contact.select().count() == 1  # only the cast's contact


def test_the_author_corrects_a_contact_within_the_window(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/contacts/{cast.contact_a.id}/edit"
    form = client.get(url).data.decode()
    assert "Talked about the garden." in form
    response = client.post(url, data=_visit(minutes="45", note="Corrected", version="1"))
    assert response.status_code == 303
    contact = Contact.get_by_id(cast.contact_a.id)
    assert (contact.minutes, contact.note, contact.version) == (45, "Corrected", 2)
    event = AuditEvent.get(AuditEvent.action == "update", AuditEvent.entity == "contact")
    assert "Talked about the garden." in event.changes and "Corrected" in event.changes


def test_a_correction_saves_the_tapped_chip_over_the_old_typed_duration(app, cast, as_user):
    client = as_user(cast.a1)
    contact = Contact.get_by_id(cast.contact_a.id)
    Contact.update(minutes=20).where(Contact.id == contact.id).execute()
    url = f"/contacts/{contact.id}/edit"
    form = client.get(url).data.decode()
    assert 'name="minutes_typed" type="number" value="20">' in form
    # Without JavaScript the old 20 stays typed when she taps 30: the tap wins.
    response = client.post(
        url, data=_visit(minutes="30", minutes_typed="20", minutes_was="20", version="1")
    )
    assert response.status_code == 303
    assert Contact.get_by_id(contact.id).minutes == 30


def test_a_correction_saves_the_typed_duration_over_the_old_chip(app, cast, as_user):
    url = f"/contacts/{cast.contact_a.id}/edit"
    was = str(Contact.get_by_id(cast.contact_a.id).minutes)
    response = as_user(cast.a1).post(
        url, data=_visit(minutes=was, minutes_typed="50", minutes_was=was, version="1")
    )
    assert response.status_code == 303
    assert Contact.get_by_id(cast.contact_a.id).minutes == 50


def test_a_stale_correction_is_refused_and_keeps_what_was_typed(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/contacts/{cast.contact_a.id}/edit"
    client.post(url, data=_visit(note="First tab", version="1"))
    response = client.post(url, data=_visit(note="Second tab", version="1"))
    assert response.status_code == 409
    assert b"You saved changes to this contact in another window" in response.data
    assert b"Second tab" in response.data
    assert Contact.get_by_id(cast.contact_a.id).note == "First tab"


def test_a_colleague_cannot_correct_someone_else_s_contact(app, cast, as_user):
    client = as_user(cast.a2)
    assert client.get(f"/contacts/{cast.contact_a.id}/edit").status_code == 403
    assert client.post(f"/contacts/{cast.contact_a.id}/delete").status_code == 403
    assert Contact.select().count() == 1


def test_the_window_closes_after_24_hours(app, cast, as_user):
    Contact.update(created_at=utcnow() - dt.timedelta(hours=25)).execute()
    client = as_user(cast.a1)
    assert client.get(f"/contacts/{cast.contact_a.id}/edit").status_code == 403
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert "Correct or remove" not in page


def test_the_author_removes_a_contact_and_it_is_audited(app, cast, as_user):
    ContactMember.create(contact=cast.contact_a, member=cast.a2)
    response = as_user(cast.a1).post(f"/contacts/{cast.contact_a.id}/delete")
    assert response.status_code == 303
    assert not Contact.select().exists()
    person = Client.get_by_id(cast.person_a.id)
    assert person.last_contact_at is None
    event = AuditEvent.get(AuditEvent.action == "delete")
    assert "Talked about the garden." in event.changes


def test_removing_asks_once_and_a_get_removes_nothing(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/contacts/{cast.contact_a.id}/delete"
    edit = client.get(f"/contacts/{cast.contact_a.id}/edit").data.decode()
    assert f'<a class="button danger" href="{url}">Remove this contact</a>' in edit
    assert f'action="{url}"' not in edit

    page = client.get(url)
    body = page.data.decode()
    assert page.status_code == 200
    assert "<h1>Remove this contact?</h1>" in body
    assert "Talked about the garden." in body
    assert f'<form method="post" action="{url}" class="actions">' in body
    assert f'href="/contacts/{cast.contact_a.id}/edit">Keep it</a>' in body
    assert Contact.select().exists()


def test_a_coach_cannot_record_a_contact(app, cast, as_user):
    response = as_user(cast.coach_a).post(f"/people/{cast.person_a.id}/contacts/new", data=_visit())
    assert response.status_code == 403
    assert Contact.select().count() == 1
