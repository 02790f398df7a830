import datetime as dt

from conftest import count_queries

from teamcase.models import Client, Contact, KnownBest, utcnow


def _add_people(cast, count, prefix="Person"):
    rows = [
        {"team": cast.team_a.id, "name": f"{prefix} {i:04d}", "street": f"Street {i}"}
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
