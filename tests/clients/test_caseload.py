import datetime as dt

from conftest import count_queries

from teamcase.models import Client, Contact, KnownBest, utcnow
from teamcase.search import words_of


def _add_people(cast, count, prefix="Person"):
    # Fast, past Client.save(): the words a search finds them by go in by hand.
    rows = [
        {
            "team": cast.team_a.id,
            "name": f"{prefix} {i:04d}",
            "street": f"Street {i}",
            "search_text": words_of(name=f"{prefix} {i:04d}", street=f"Street {i}"),
        }
        for i in range(count)
    ]
    Client.insert_many(rows).execute()
    people = Client.select().where(Client.name.startswith(prefix))
    KnownBest.insert_many([{"client": p.id, "member": cast.a2.id} for p in people]).execute()


def test_it_shows_the_team_s_active_people_with_who_knows_them(app, cast, as_user):
    page = as_user(cast.a1).get("/caseload").data.decode()
    assert "Mies Bakker" in page
    assert "Anna Aalders" in page  # knows Mies best
    assert "Dapperstraat 12" in page
    assert "Kees Zuid" not in page  # another team's person


def test_it_leaves_out_closed_cases(app, cast, as_user):
    Client.update(status=Client.CLOSED).where(Client.id == cast.person_a.id).execute()
    assert b"Mies Bakker" not in as_user(cast.a1).get("/caseload").data


def test_it_filters_by_part_of_a_name_ignoring_case(app, cast, as_user):
    _add_people(cast, 3, "Jansen")
    client = as_user(cast.a1)
    page = client.get("/caseload?q=mIEs").data.decode()
    assert "Mies Bakker" in page
    assert "Jansen" not in page
    assert "Jansen 0001" in client.get("/caseload?q=jans").data.decode()


def test_the_filter_finds_a_street(app, cast, as_user):
    assert b"Mies Bakker" in as_user(cast.a1).get("/caseload?q=dapper").data


def _found(client, typed) -> list[str]:
    """The names the caseload shows for what was typed."""
    page = client.get("/caseload", query_string={"q": typed}).data.decode()
    return [name for name in PEOPLE if f">{name}<" in page or f">{name} (" in page]


PEOPLE = {
    "Ayşe Özdemir": {"street": "Kraaipanstraat 3", "phone": "06-98 76 54 32"},
    "Johanna van Dijk": {"preferred_name": "Joke", "street": "Ringdijk 40"},
    "Jan Vos": {"street": "Vanderstraat 1", "phone": "+31 6 8765 4321"},
    "Piet 100% Zeker": {"street": "Linnaeusstraat 2"},
    "Truus_de Wit": {"street": "Kerkstraat 9"},
    "Mies Bakker": {},
}


def _open_people(cast):
    for name, details in PEOPLE.items():
        if name != "Mies Bakker":
            Client.open(cast.team_a, by=cast.a1, name=name, **details)


def test_the_search_ignores_accents_and_case(app, cast, as_user):
    _open_people(cast)
    client = as_user(cast.a1)
    assert _found(client, "ozdemir") == ["Ayşe Özdemir"]
    assert _found(client, "AYSE") == ["Ayşe Özdemir"]
    # Typed with the accent, it finds the name without one too.
    assert _found(client, "Bäkker") == ["Mies Bakker"]


def test_every_word_typed_starts_a_word_of_the_name(app, cast, as_user):
    _open_people(cast)
    client = as_user(cast.a1)
    assert _found(client, "jo van") == ["Johanna van Dijk"]
    assert _found(client, "van jo") == ["Johanna van Dijk"]
    assert _found(client, "joke") == ["Johanna van Dijk"]
    # "van" alone: her particle, and the start of a street name.
    assert _found(client, "van") == ["Johanna van Dijk", "Jan Vos"]
    # Both words must match: nobody is called Jo Vos.
    assert _found(client, "jo vos") == []
    # The middle of a word is not the start of one.
    assert _found(client, "anna") == []


def test_a_phone_number_is_found_without_its_spaces_and_dashes(app, cast, as_user):
    _open_people(cast)
    client = as_user(cast.a1)
    assert _found(client, "0698765432") == ["Ayşe Özdemir"]
    assert _found(client, "06-98765432") == ["Ayşe Özdemir"]
    assert _found(client, "06 98 76 54 32") == ["Ayşe Özdemir"]
    # Mies's 06-12345678, typed in another way; and the start of a number.
    assert _found(client, "06 1234 5678") == ["Mies Bakker"]
    assert _found(client, "06987") == ["Ayşe Özdemir"]
    # Stored as +31 6 …, typed as a Dutch 06 number.
    assert _found(client, "0687654321") == ["Jan Vos"]
    # A house number stays a house number.
    assert _found(client, "40") == ["Johanna van Dijk"]


def test_percent_and_underscore_find_only_themselves(app, cast, as_user):
    _open_people(cast)
    client = as_user(cast.a1)
    assert _found(client, "%") == ["Piet 100% Zeker"]
    assert _found(client, "_") == ["Truus_de Wit"]
    assert _found(client, "100%") == ["Piet 100% Zeker"]
    assert _found(client, "_de") == ["Truus_de Wit"]
    assert _found(client, "!") == []
    assert _found(client, "j%") == []


def test_a_changed_name_is_found_by_its_new_words(app, cast, as_user):
    person = Client.get_by_id(cast.person_a.id)
    assert person.update_details(cast.a1, person.version, name="Mies Çelik", phone="")
    client = as_user(cast.a1)
    page = client.get("/caseload?q=celik").data.decode()
    assert "Mies Çelik" in page
    assert "Mies Çelik" not in client.get("/caseload?q=bakker").data.decode()
    assert "Mies Çelik" not in client.get("/caseload?q=0612345678").data.decode()


def test_an_htmx_filter_returns_only_the_results(app, cast, as_user):
    response = as_user(cast.a1).get("/caseload?q=mies", headers={"HX-Request": "true"})
    body = response.data.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body
    assert "Mies Bakker" in body
    assert "HX-Request" in response.headers["Vary"]


def test_a_boosted_request_gets_the_whole_page(app, cast, as_user):
    response = as_user(cast.a1).get(
        "/caseload", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert b"<html" in response.data


def test_no_match_says_so_and_keeps_the_search(app, cast, as_user):
    page = as_user(cast.a1).get("/caseload?q=zzz").data.decode()
    assert "Nobody in the caseload matches" in page
    assert 'value="zzz"' in page


def test_it_sorts_by_longest_without_contact(app, cast, as_user):
    _add_people(cast, 2, "Seen")
    recent, never = list(
        Client.select().where(Client.name.startswith("Seen")).order_by(Client.name)
    )
    Contact.record(recent, by=cast.a1, happened_at=utcnow(), minutes=15, kind="phone")
    page = as_user(cast.a1).get("/caseload?sort=contact").data.decode()
    # Never seen first, then Mies (two hours ago), then the one seen just now.
    assert page.index(never.name) < page.index("Mies Bakker") < page.index(recent.name)


def test_an_unknown_sort_falls_back_to_name(app, cast, as_user):
    assert as_user(cast.a1).get("/caseload?sort=evil").status_code == 200


def test_sixty_people_fit_on_one_page(app, cast, as_user):
    _add_people(cast, 59)
    page = as_user(cast.a1).get("/caseload").data.decode()
    assert page.count('class="person-row"') == 60
    assert "Page 1 of" not in page


def test_more_than_two_hundred_people_are_paged(app, cast, as_user):
    _add_people(cast, 230)
    client = as_user(cast.a1)
    first = client.get("/caseload").data.decode()
    assert first.count('class="person-row"') == 200
    assert "Page 1 of 2" in first
    second = client.get("/caseload?page=2").data.decode()
    assert second.count('class="person-row"') == 31
    assert client.get("/caseload?page=abc").status_code == 200
    assert client.get("/caseload?page=999").status_code == 200


def test_the_last_contact_shows_when(app, cast, as_user):
    Contact.record(
        cast.person_a,
        by=cast.a1,
        happened_at=utcnow() - dt.timedelta(days=3),
        minutes=30,
        kind="phone",
    )
    # The newest contact (the home visit two hours ago) is the last one.
    assert "today" in as_user(cast.a1).get("/caseload").data.decode()


def test_the_query_count_does_not_grow_with_the_caseload(app, cast, as_user):
    client = as_user(cast.a1)
    _add_people(cast, 4, "Small")
    with count_queries() as small:
        client.get("/caseload")
    _add_people(cast, 195, "Large")
    with count_queries() as large:
        response = client.get("/caseload")
    assert response.data.decode().count('class="person-row"') == 200
    assert len(small) == len(large) == 5, large


def test_a_history_restore_gets_the_whole_page(app, cast, as_user):
    response = as_user(cast.a1).get(
        "/caseload?q=mies",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert b"<html" in response.data


def test_recording_from_a_filtered_caseload_returns_to_the_same_filter(app, cast, as_user):
    _open_people(cast)
    client = as_user(cast.a1)
    page = client.get("/caseload?q=mies&sort=contact").data.decode()
    record = f"/people/{cast.person_a.id}/contacts/new?from=caseload&amp;q=mies&amp;sort=contact"
    assert f'href="{record}"' in page
    form = client.get(record.replace("&amp;", "&")).data.decode()
    assert 'href="/caseload?q=mies&amp;sort=contact"' in form  # the way back, as she left it
    data = {"kind": "phone", "minutes": "15", "happened_at": "2026-01-05T10:30", "note": ""}
    response = client.post(record.replace("&amp;", "&"), data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/caseload?q=mies&sort=contact"
    assert Contact.select().where(Contact.client == cast.person_a.id).count() == 2
    # What is no filter of the caseload's stays behind.
    response = client.post(
        f"/people/{cast.person_a.id}/contacts/new?from=caseload&sort=evil&page=x&other=1",
        data=data,
    )
    assert response.headers["Location"] == "/caseload"


def test_an_unfiltered_caseload_records_and_returns_plainly(app, cast, as_user):
    page = as_user(cast.a1).get("/caseload").data.decode()
    assert f'href="/people/{cast.person_a.id}/contacts/new?from=caseload"' in page
