import datetime as dt
import json

import pytest
from conftest import count_queries
from peewee import fn

from teamcase.models import (
    Admission,
    AuditEvent,
    Client,
    Consent,
    Contact,
    ContactMember,
    Goal,
    KnownBest,
    NetworkMember,
    Offer,
    Referral,
    SelfReliance,
    Step,
    Strength,
    utcnow,
)


def _details(**overrides):
    data = {
        "name": "Riet van Dam",
        "preferred_name": "Riet",
        "phone": "06-11112222",
        "street": "Javastraat 8",
        "postcode": "1094 HB",
        "city": "Amsterdam",
        "email": "",
        "date_of_birth": "1938-02-01",
        "version": "",
    }
    data.update(overrides)
    return data


def test_it_opens_a_case_with_only_a_name_and_a_phone(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data={"name": "Jan Smit", "phone": "0612"})
    assert response.status_code == 303
    person = Client.get(Client.name == "Jan Smit")
    assert person.team_id == cast.team_a.id
    assert response.headers["Location"] == f"/people/{person.id}"
    assert AuditEvent.get(AuditEvent.client == person).action == "create"


def test_an_address_alone_is_a_way_to_reach_them(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data={"name": "Jan", "street": "Kade 1"})
    assert response.status_code == 303


def test_it_needs_a_way_to_reach_the_person_and_keeps_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data={"name": "Jan Smit", "city": "Diemen"})
    page = response.data.decode()
    assert response.status_code == 400
    assert "Give at least one way to reach them" in page
    assert 'value="Jan Smit"' in page
    assert 'value="Diemen"' in page
    assert not Client.select().where(Client.name == "Jan Smit").exists()


def test_it_needs_a_name(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data={"phone": "0612"})
    assert response.status_code == 400
    assert b"Enter the person's name." in response.data


def test_it_refuses_over_long_values_cleanly(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data={"name": "x" * 500, "phone": "1"})
    assert response.status_code == 400
    assert b"Field cannot be longer than 120 characters." in response.data


def test_it_refuses_a_future_date_of_birth(app, cast, as_user):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = as_user(cast.a1).post(
        "/people/new", data={"name": "Jan", "phone": "1", "date_of_birth": future}
    )
    assert b"cannot be in the future" in response.data


def test_it_refuses_a_malformed_email(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data={"name": "Jan", "email": "jan@"})
    assert b"does not look like an email address" in response.data


def test_it_ignores_a_known_best_member_of_another_team(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/people/new", data={"name": "Jan", "phone": "1", "known_best": [str(cast.b1.id)]}
    )
    # Not one of the choices: refused with a message, nothing saved.
    assert response.status_code == 400
    assert not Client.select().where(Client.name == "Jan").exists()


def test_the_person_page_shows_details_and_timeline_newest_first(app, cast, as_user):
    Contact.record(
        cast.person_a,
        by=cast.a2,
        happened_at=utcnow() - dt.timedelta(days=2),
        minutes=45,
        kind="phone",
        note="Older call",
    )
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    assert "Mies Bakker" in page
    assert "Dapperstraat 12" in page
    assert "06-12345678" in page
    assert page.index("Talked about the garden.") < page.index("Older call")


def test_viewing_a_person_is_audited(app, cast, as_user):
    as_user(cast.a2).get(f"/people/{cast.person_a.id}")
    event = AuditEvent.select().where(AuditEvent.action == "view").get()
    assert (event.actor_id, event.client_id) == (cast.a2.id, cast.person_a.id)


def test_html_in_a_note_is_shown_as_text(app, cast, as_user):
    Contact.record(
        cast.person_a,
        by=cast.a1,
        happened_at=utcnow(),
        minutes=15,
        kind="phone",
        note="<script>alert(1)</script>",
    )
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_timeline_pages_older_contacts(app, cast, as_user):
    Contact.insert_many(
        [
            {
                "client": cast.person_a.id,
                "author": cast.a1.id,
                "happened_at": utcnow() - dt.timedelta(days=i + 1),
                "minutes": 15,
                "kind": "phone",
                "note": f"call {i}",
            }
            for i in range(60)
        ]
    ).execute()
    client = as_user(cast.a1)
    first = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert first.count('class="contact"') == 50
    older = client.get(f"/people/{cast.person_a.id}?older=50", headers={"HX-Request": "true"})
    assert older.data.decode().count('class="contact"') == 11
    assert b"<html" not in older.data


def _grow_record(cast, size):
    """Contacts, strengths, network, goals with steps, offers and consents, `size` each."""
    person = cast.person_a.id
    rows = [
        {
            "client": person,
            "author": cast.a2.id,
            "happened_at": utcnow() - dt.timedelta(hours=i + 3),
            "minutes": 30,
            "kind": "home_visit",
        }
        for i in range(size)
    ]
    Contact.insert_many(rows).execute()
    ids = [
        c.id
        for c in Contact.select().where(
            Contact.author == cast.a2,
            ~fn.EXISTS(ContactMember.select().where(ContactMember.contact == Contact.id)),
        )
    ]
    ContactMember.insert_many([{"contact": i, "member": cast.a1.id} for i in ids]).execute()
    Strength.insert_many(
        [{"client": person, "category": "skills", "text": f"s{i}"} for i in range(size)]
    ).execute()
    NetworkMember.insert_many(
        [
            {"client": person, "name": f"Friend {i}", "relation": "friend", "tie": "weak"}
            for i in range(size)
        ]
    ).execute()
    Goal.insert_many([{"client": person, "words": f"goal {i}"} for i in range(size)]).execute()
    # Goals that ended over the year, and admissions and emergency visits.
    Goal.insert_many(
        [
            {
                "client": person,
                "words": f"ended {i}",
                "status": "achieved" if i % 2 else "let_go",
                "ended_on": dt.date.today() - dt.timedelta(days=5 * i),
            }
            for i in range(size)
        ]
    ).execute()
    Admission.insert_many(
        [
            {
                "client": person,
                "happened_on": dt.date.today() - dt.timedelta(days=7 * i),
                "kind": list(Admission.KINDS)[i % len(Admission.KINDS)],
                "planned": i % 3 == 0,
            }
            for i in range(size)
        ]
    ).execute()
    goals = [
        g.id for g in Goal.select().where(~fn.EXISTS(Step.select().where(Step.goal == Goal.id)))
    ]
    Step.insert_many([{"goal": g, "text": "a step"} for g in goals]).execute()
    # Contacts linked to a goal show the goal's words on the timeline.
    Contact.update(goal=goals[0]).where(Contact.client == person).execute()
    Offer.insert_many([{"client": person, "text": f"offer {i}"} for i in range(size)]).execute()
    Consent.insert_many(
        [{"client": person, "what": "w", "with_whom": f"p{i}"} for i in range(size)]
    ).execute()
    # Team A keeps who does what: a rating of every area per month.
    SelfReliance.insert_many(
        [
            {
                "client": person,
                "area": area,
                "who": list(SelfReliance.WHO)[(i + k) % 3],
                "rated_on": dt.date.today() - dt.timedelta(days=30 * i),
            }
            for i in range(size)
            for k, area in enumerate(SelfReliance.AREAS)
        ]
    ).execute()


def test_the_person_page_query_count_does_not_grow(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    _grow_record(cast, 1)
    with count_queries() as few:
        client.get(url)
    _grow_record(cast, 60)
    with count_queries() as many:
        response = client.get(url)
    assert response.data.decode().count('class="contact"') == 50
    # One of them reads who does what, three the Omaha System (the problems, their
    # ratings, their strengths): team A keeps both.
    assert len(few) == len(many) == 31, many


def test_editing_details_saves_and_audits_before_and_after(app, cast, as_user):
    client = as_user(cast.a2)
    response = client.post(
        f"/people/{cast.person_a.id}/edit",
        data=_details(name="Mies Bakker", version="1", known_best=[str(cast.a2.id)]),
    )
    assert response.status_code == 303
    person = Client.get_by_id(cast.person_a.id)
    assert person.phone == "06-11112222"
    assert person.version == 2
    assert [k.member_id for k in KnownBest.select().where(KnownBest.client == person)] == [
        cast.a2.id
    ]
    event = AuditEvent.get(AuditEvent.action == "update")
    changes = json.loads(event.changes)
    assert changes["before"]["phone"] == "06-12345678"
    assert changes["after"]["phone"] == "06-11112222"
    assert changes["after"]["known_best"] == ["Bram Bos"]


def test_a_second_save_from_an_old_version_is_refused_with_what_changed(app, cast, as_user):
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    url = f"/people/{cast.person_a.id}/edit"
    assert anna.post(url, data=_details(name="Mies Bakker", phone="06-99999999", version="1"))
    response = bram.post(url, data=_details(name="Mies B.", phone="06-22223333", version="1"))
    page = response.data.decode()
    assert response.status_code == 409
    assert "Anna Aalders saved changes" in page
    assert "06-99999999" in page  # what is saved now
    assert 'value="06-22223333"' in page  # what Bram typed is kept
    assert 'value="Mies B."' in page
    assert 'name="version" type="hidden" value="2"' in page
    assert Client.get_by_id(cast.person_a.id).phone == "06-99999999"
    # Saving again is a deliberate choice over the newer version.
    again = bram.post(url, data=_details(name="Mies B.", phone="06-22223333", version="2"))
    assert again.status_code == 303
    assert Client.get_by_id(cast.person_a.id).name == "Mies B."


def test_bad_input_on_edit_keeps_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/edit",
        data=_details(name="", phone="06-55", version="1"),
    )
    assert response.status_code == 400
    assert b'value="06-55"' in response.data
    assert Client.get_by_id(cast.person_a.id).name == "Mies Bakker"


def test_the_history_shows_views_and_changes(app, cast, as_user):
    client = as_user(cast.a1)
    client.get(f"/people/{cast.person_a.id}")
    client.post(
        f"/people/{cast.person_a.id}/edit",
        data=_details(name="Mies Bakker", phone="06-77777777", version="1"),
    )
    page = client.get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Viewed the page" in page
    assert "Changed details" in page
    assert "Opened the case" in page
    assert "Recorded a contact" in page
    assert "06-12345678" in page and "06-77777777" in page


def test_the_history_shows_values_as_people_read_them(app, cast, as_user):
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/history").data.decode()
    # The cast's home visit two hours ago: shown in local time, not as stored UTC.
    assert "happened at</span>:" in page
    assert "today" in page or "yesterday" in page
    assert "incoming" not in page  # a new contact lists only what was filled in


# A date of birth as people type it.


@pytest.mark.parametrize("typed", ["31-02-1950", "1950", "12-03-19", "12-03", "maart 1950"])
def test_a_date_of_birth_that_cannot_be_read_is_kept_with_a_message(app, cast, as_user, typed):
    response = as_user(cast.a1).post("/people/new", data=_details(date_of_birth=typed))
    page = response.data.decode()
    assert response.status_code == 400
    assert "is not a date we can read. Write day-month-year, e.g. 7-3-1950." in page
    assert f'name="date_of_birth" placeholder="dd-mm-yyyy" type="text" value="{typed}"' in page
    assert not Client.select().where(Client.name == "Riet van Dam").exists()


@pytest.mark.parametrize("typed", ["7-3-1950", "07-03-1950", "1950-03-07", "7/3/1950"])
def test_a_date_of_birth_is_read_as_dutch_people_write_it(app, cast, as_user, typed):
    response = as_user(cast.a1).post("/people/new", data=_details(date_of_birth=typed))
    assert response.status_code == 303
    assert Client.get(Client.name == "Riet van Dam").date_of_birth == dt.date(1950, 3, 7)


def test_the_edit_form_shows_the_date_of_birth_the_dutch_way(app, cast, as_user):
    Client.update(date_of_birth=dt.date(1941, 5, 17)).where(Client.id == cast.person_a.id).execute()
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/edit").data.decode()
    assert 'value="17-5-1941"' in page


# A likely known name.


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [
        ("Mies Bakker", "mies  BAKKER", True),
        ("Özdemir Yılmaz", "ozdemir yilmaz", True),
        ("Henk van der Berg", "Henk Berg", True),
        ("Johanna van 't Hof", "johanna hof", True),
        ("J. de Vries", "Jan de Vries", True),
        ("Jan de Vries", "Piet de Vries", False),
        ("Ria van Dam", "Ria Dammers", False),
        ("Mies Bakker", "Mies", False),
    ],
)
def test_the_name_likeness_rule(one, other, alike):
    assert Client.names_alike(one, other) is alike
    assert Client.names_alike(other, one) is alike


def test_opening_a_case_for_a_likely_known_name_warns_and_lets_her_go_on(app, cast, as_user):
    client = as_user(cast.a1)
    data = _details(name="Miës van Bakker", date_of_birth="", street="Kade 3")
    response = client.post("/people/new", data=data)
    page = response.data.decode()
    assert response.status_code == 200
    assert "Is this someone the team already knows?" in page
    assert f'href="/people/{cast.person_a.id}">Mies Bakker</a>' in page
    assert 'value="Miës van Bakker"' in page and 'value="Kade 3"' in page
    assert Client.select().where(Client.name == "Miës van Bakker").count() == 0

    response = client.post("/people/new", data={**data, "go_on": "yes"})
    assert response.status_code == 303
    assert Client.select().where(Client.name == "Miës van Bakker").count() == 1


def test_opening_a_case_for_a_name_with_an_open_referral_warns_and_links_to_it(app, cast, as_user):
    referral = Referral.create(
        team=cast.team_a, recorded_by=cast.a2, person_name="Jan de Groot", urgency="soon"
    )
    client = as_user(cast.a1)
    data = _details(name="jan de GROOT")
    response = client.post("/people/new", data=data)
    page = response.data.decode()
    assert response.status_code == 200
    assert f'<a href="/referrals/{referral.id}">An open referral for Jan de Groot' in page
    assert Client.select().where(Client.name == "jan de GROOT").count() == 0
    assert client.post("/people/new", data={**data, "go_on": "yes"}).status_code == 303
    assert Client.select().where(Client.name == "jan de GROOT").count() == 1


def test_another_team_s_person_of_the_same_name_is_not_a_match(app, cast, as_user):
    response = as_user(cast.a1).post("/people/new", data=_details(name="Kees Zuid"))
    assert response.status_code == 303
