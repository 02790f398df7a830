"""A contact written down on the tablet carries an id made there: sent again and
again, or after one written later, it is recorded exactly once, on both backends."""

import threading
import uuid

from teamcase.db import db
from teamcase.models import AuditEvent, Contact


def _visit(sent_as, **overrides):
    data = {
        "kind": "home_visit",
        "minutes": "30",
        "happened_at": "2026-01-05T10:30",
        "note": "",
        "client_uuid": sent_as,
    }
    data.update(overrides)
    return data


def _notes(person):
    return sorted(
        Contact.select(Contact.note)
        .where(Contact.client == person, Contact.client_uuid.is_null(False))
        .tuples()
    )


def test_the_same_contact_sent_five_times_is_recorded_once(cast, as_user):
    client = as_user(cast.a1)
    sent_as = str(uuid.uuid4())
    url = f"/people/{cast.person_a.id}/contacts/new"
    answers = [client.post(url, data=_visit(sent_as, note="Wound dressed")) for _ in range(5)]
    assert [a.status_code for a in answers] == [303] * 5
    assert _notes(cast.person_a) == [("Wound dressed",)]
    recorded = Contact.get(Contact.client_uuid == sent_as)
    assert (recorded.author_id, recorded.minutes) == (cast.a1.id, 30)
    created = AuditEvent.select().where(
        AuditEvent.entity == "contact", AuditEvent.entity_id == recorded.id
    )
    assert created.count() == 1


def test_two_contacts_out_of_order_and_repeated_give_exactly_two_rows(cast, as_user):
    client = as_user(cast.a1)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    url = f"/people/{cast.person_a.id}/contacts/new"
    # The second written down arrives first, then the first, then both again.
    later = _visit(second, note="Second visit", happened_at="2026-01-05T14:00")
    earlier = _visit(first, note="First visit", happened_at="2026-01-05T09:00")
    for data in (later, earlier, later, earlier, earlier):
        assert client.post(url, data=data).status_code == 303
    assert _notes(cast.person_a) == [("First visit",), ("Second visit",)]
    page = client.get(f"/people/{cast.person_a.id}").get_data(as_text=True)
    # The timeline is in the order they happened, not the order they arrived.
    assert page.index("Second visit") < page.index("First visit")


def test_an_id_written_in_capitals_is_the_same_id(cast, as_user):
    client = as_user(cast.a1)
    sent_as = str(uuid.uuid4())
    url = f"/people/{cast.person_a.id}/contacts/new"
    client.post(url, data=_visit(sent_as, note="Once"))
    client.post(url, data=_visit(sent_as.upper(), note="Once"))
    assert _notes(cast.person_a) == [("Once",)]


def test_an_id_sent_for_another_person_records_nothing(cast, as_user):
    assert cast.connection  # made on first use, with a second person in team A
    other = cast.neighbour_a
    client = as_user(cast.a1)
    sent_as = str(uuid.uuid4())
    client.post(f"/people/{cast.person_a.id}/contacts/new", data=_visit(sent_as, note="Hers"))
    answer = client.post(f"/people/{other.id}/contacts/new", data=_visit(sent_as, note="Not"))
    assert answer.status_code == 409
    assert Contact.select().where(Contact.client_uuid == sent_as).count() == 1


def test_a_damaged_id_is_said_next_to_the_form_and_keeps_the_note(cast, as_user):
    client = as_user(cast.a1)
    answer = client.post(
        f"/people/{cast.person_a.id}/contacts/new", data=_visit("not-an-id", note="Kept")
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "This form was damaged" in page
    assert "Kept" in page


def test_two_sends_at_once_record_it_once(app, cast):
    """The same contact arriving twice at the same moment: the unique column decides."""
    sent_as = str(uuid.uuid4())
    results, errors = [], []

    def send():
        try:
            with db.connection_context():
                results.append(
                    Contact.record(
                        cast.person_a,
                        by=cast.a1,
                        happened_at=cast.contact_a.happened_at,
                        minutes=15,
                        kind="phone",
                        note="At once",
                        client_uuid=sent_as,
                    ).id
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with db.connection_context():
        assert Contact.select().where(Contact.client_uuid == sent_as).count() == 1
        assert len(set(results)) == 1
