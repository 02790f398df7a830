"""Requests of a kind through the app: the team files one, the back office acts on
it from the request page, the team adds the new colleague."""

import datetime as dt
import re

from conftest import PASSWORD, count_queries, login

from teamcase.db import db
from teamcase.models import AuditEvent, SupportRequest, Team, User
from teamcase.models.support import NEW_COLLEAGUE

IN_A_WEEK = dt.date.today() + dt.timedelta(days=7)
ASKED = {
    "category": "accounts",
    "name": "Sanne de Vries",
    "email": "sanne@a.example.org",
    "starts_on": IN_A_WEEK.strftime("%d-%m-%Y"),
    "description": "She works 24 hours, Monday to Wednesday.",
}


def _fresh(request_id):
    with db.connection_context():
        return SupportRequest.get_by_id(request_id)


def _filed(client, kind="new_colleague", **data):
    response = client.post(f"/support/new?kind={kind}", data={**ASKED, **data})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _made(client, request_id, **data):
    return client.post(
        f"/support/{request_id}/act",
        data={"act-name": "Sanne de Vries", "act-email": "sanne@a.example.org", **data},
    )


def _first_password(page: str) -> str:
    return re.search(r'<p class="secret"><code>([^<]+)</code>', page).group(1)


def test_a_member_asks_for_an_account_for_a_new_colleague(app, cast, as_user):
    anna = as_user(cast.a1)
    page = anna.get("/support/new?kind=new_colleague").get_data(as_text=True)
    assert "Her email address" in page and "The day she starts" in page
    # The install's categories stay, the one about accounts chosen already.
    assert '<option selected value="accounts">' in page
    request_id = _filed(anna)
    filed = _fresh(request_id)
    assert (filed.kind, filed.asked_name, filed.asked_email, filed.starts_on) == (
        NEW_COLLEAGUE,
        "Sanne de Vries",
        "sanne@a.example.org",
        IN_A_WEEK,
    )
    assert "An account for Sanne de Vries" in as_user(cast.a2).get("/support/").get_data(
        as_text=True
    )


def test_bad_input_for_a_new_colleague_comes_back_as_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/support/new?kind=new_colleague",
        data={**ASKED, "email": "sanne at home", "starts_on": "31-2-2026"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This does not look like an email address" in text
    assert "is not a date we can read" in text
    assert "sanne at home" in text and "Sanne de Vries" in text
    with db.connection_context():
        assert SupportRequest.select().count() == 0


def test_a_note_naming_someone_in_care_is_sent_back(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/support/new?kind=new_colleague",
        data={**ASKED, "description": "She takes over from the visits to Mies Bakker."},
    )
    assert response.status_code == 400
    assert "names someone in the team&#39;s care" in response.get_data(as_text=True)


def test_a_colleague_is_chosen_from_the_team_never_typed(app, cast, as_user):
    anna = as_user(cast.a1)
    page = anna.get("/support/new?kind=unlock").get_data(as_text=True)
    assert "Bram Bos" in page and "Anna Aalders" in page and "Cor de Boer" not in page
    response = anna.post(
        "/support/new?kind=unlock", data={"category": "accounts", "colleague": cast.b1.id}
    )
    assert response.status_code == 400
    assert "Choose the colleague it is about: one of the team" in response.get_data(as_text=True)
    request_id = _filed(anna, kind="unlock", colleague=cast.a2.id)
    assert _fresh(request_id).account_id == cast.a2.id


def test_the_back_office_makes_the_account_from_the_request_and_sees_its_password_once(
    app, cast, as_user
):
    request_id = _filed(as_user(cast.a1))
    office = as_user(cast.office)
    page = office.get(f"/support/{request_id}").get_data(as_text=True)
    assert 'value="Sanne de Vries"' in page and 'value="sanne@a.example.org"' in page
    assert "Make the account" in page
    response = _made(office, request_id)
    assert response.status_code == 303
    page = office.get(f"/support/{request_id}").get_data(as_text=True)
    password = _first_password(page)
    assert "Account made for Sanne de Vries (sanne@a.example.org)" in page
    assert password not in office.get(f"/support/{request_id}").get_data(as_text=True)
    done = _fresh(request_id)
    assert (done.status, done.taken_by_id) == (SupportRequest.DONE, cast.office.id)
    # The team reads that it was made, never the password.
    team_page = as_user(cast.a2).get(f"/support/{request_id}").get_data(as_text=True)
    assert "Account made for Sanne de Vries" in team_page and password not in team_page
    assert "Add Sanne de Vries to the team" in team_page
    # Before the team adds her she cannot log in, and is told why.
    with db.connection_context():
        sanne = User.by_email("sanne@a.example.org")
    response = app.test_client().post(
        "/login", data={"email": "sanne@a.example.org", "password": password}
    )
    assert response.status_code == 400
    assert "your team has not added you yet" in response.get_data(as_text=True)
    assert sanne.team_id is None


def test_the_team_confirms_and_adds_her_and_she_chooses_her_own_password(app, cast, as_user):
    request_id = _filed(as_user(cast.a1))
    office = as_user(cast.office)
    _made(office, request_id)
    password = _first_password(office.get(f"/support/{request_id}").get_data(as_text=True))
    bram = as_user(cast.a2)
    assert bram.post(f"/support/{request_id}/confirm").status_code == 303
    page = bram.get("/team/members/new").get_data(as_text=True)
    assert "Accounts the back office made for us" in page and "sanne@a.example.org" in page
    # Typing her address instead points to the account made.
    typed = bram.post(
        "/team/members/new",
        data={"name": "Sanne de Vries", "email": "sanne@a.example.org", "how": "invitation"},
    )
    assert typed.status_code == 400
    assert "The back office made an account for sanne@a.example.org" in typed.get_data(as_text=True)
    response = bram.post(f"/team/members/made/{request_id}")
    assert response.status_code == 303 and response.headers["Location"].endswith("/team/#members")
    with db.connection_context():
        sanne = User.by_email("sanne@a.example.org")
        assert sanne.team_id == cast.team_a.id
    log = bram.get("/team/").get_data(as_text=True)
    assert "Added Sanne de Vries to the team, with the account the back office made" in log
    assert "The back office made an account for Sanne de Vries, as the team asked" in log
    # Twice: told, nothing more.
    again = bram.post(f"/team/members/made/{request_id}", follow_redirects=True)
    assert "Bram Bos already added Sanne de Vries" in again.get_data(as_text=True)
    client = app.test_client()
    login(client, sanne, password)
    assert client.get("/").headers["Location"].endswith("/account/password")


def test_bad_input_taken_address_and_taken_team_name_come_back_as_typed(app, cast, as_user):
    request_id = _filed(as_user(cast.a1))
    office = as_user(cast.office)
    response = _made(office, request_id, **{"act-email": ""})
    assert response.status_code == 400
    assert "Enter her email address." in response.get_data(as_text=True)
    response = _made(office, request_id, **{"act-email": "cor@b.example.org"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is already an account for cor@b.example.org." in text
    assert 'value="cor@b.example.org"' in text
    assert _fresh(request_id).status == SupportRequest.NEW
    team_request = _filed(
        as_user(cast.a1),
        kind="new_team",
        name="Team B",
        area="Zuid-Oost",
        email="",
        movers=[cast.a2.id, cast.a3.id],
    )
    response = office.post(
        f"/support/{team_request}/act", data={"act-name": "Team B", "act-area": "Zuid-Oost"}
    )
    assert response.status_code == 400
    assert "Another team is already called “Team B”" in response.get_data(as_text=True)
    response = office.post(
        f"/support/{team_request}/act", data={"act-name": "Team C", "act-area": "Zuid-Oost"}
    )
    assert response.status_code == 303
    with db.connection_context():
        assert Team.get(Team.name == "Team C").area == "Zuid-Oost"
    # Anna stayed; Bram went to the new team, and no longer sees Team A's requests.
    assert as_user(cast.a2).get(f"/support/{team_request}").status_code == 404
    assert "Team made: Team C (Zuid-Oost)." in as_user(cast.a1).get(
        f"/support/{team_request}"
    ).get_data(as_text=True)


def test_only_the_back_office_acts_and_only_on_a_request_that_asks_for_it(app, cast, as_user):
    request_id = _filed(as_user(cast.a1))
    assert _made(as_user(cast.a1), request_id).status_code == 403
    assert _made(as_user(cast.b1), request_id).status_code == 404
    assert _made(as_user(cast.coach_a), request_id).status_code == 403
    with db.connection_context():
        general = SupportRequest.file(
            cast.team_a, by=cast.a1, category="pay", subject="Pay", description="Late."
        )
    response = _made(as_user(cast.office), general.id)
    assert response.status_code == 409
    assert "asks for nothing the back office does from here" in response.get_data(as_text=True)
    with db.connection_context():
        assert User.by_email("sanne@a.example.org") is None
    # The team of another team's request cannot add its colleague either.
    _made(as_user(cast.office), request_id)
    assert as_user(cast.b1).post(f"/team/members/made/{request_id}").status_code == 404
    assert as_user(cast.office).post(f"/team/members/made/{request_id}").status_code == 403


def test_acting_in_the_wrong_state_or_twice_is_refused(app, cast, as_user):
    request_id = _filed(as_user(cast.a1), kind="password", colleague=cast.a2.id)
    office = as_user(cast.office)
    with db.connection_context():
        found = SupportRequest.get_by_id(request_id)
        found.take(by=cast.office)
        found.ask(by=cast.office, text="Is it her work tablet?")
    response = office.post(f"/support/{request_id}/act")
    assert response.status_code == 409
    assert "Only a new request, or one being handled" in response.get_data(as_text=True)
    as_user(cast.a1).post(f"/support/{request_id}/answer", data={"text": "Yes."})
    assert office.post(f"/support/{request_id}/act").status_code == 303
    assert office.post(f"/support/{request_id}/act").status_code == 409
    with db.connection_context():
        assert AuditEvent.select().where(AuditEvent.action == "reset").count() == 1


def test_a_new_password_reaches_her_through_the_back_office_and_must_be_changed(app, cast, as_user):
    request_id = _filed(as_user(cast.a1), kind="password", colleague=cast.a2.id)
    bram = as_user(cast.a2)
    office = as_user(cast.office)
    assert office.post(f"/support/{request_id}/act").status_code == 303
    password = _first_password(office.get(f"/support/{request_id}").get_data(as_text=True))
    # Her sessions ended; the old password no longer works, the new one must be changed.
    assert bram.get("/team/").status_code == 302
    with db.connection_context():
        fresh = User.get_by_id(cast.a2.id)
    assert (
        app.test_client()
        .post("/login", data={"email": fresh.email, "password": PASSWORD})
        .status_code
        == 400
    )
    client = app.test_client()
    login(client, fresh, password)
    assert client.get("/team/").headers["Location"].endswith("/account/password")


def test_deactivating_from_a_request_ends_her_sessions_at_once(app, cast, as_user):
    request_id = _filed(as_user(cast.a1), kind="deactivate", colleague=cast.a2.id)
    bram = as_user(cast.a2)
    assert bram.get("/team/").status_code == 200
    assert as_user(cast.office).post(f"/support/{request_id}/act").status_code == 303
    assert bram.get("/team/").status_code == 302
    log = as_user(cast.a1).get("/team/").get_data(as_text=True)
    assert "Deactivated Bram Bos, who left the team" in log and "Fred Office" in log


def test_unlocking_from_a_request_lets_her_log_in_again(app, cast, as_user):
    request_id = _filed(as_user(cast.a1), kind="unlock", colleague=cast.a2.id)
    client = app.test_client()
    for _n in range(app.config["LOGIN_BLOCK_AFTER"] + 1):
        client.post("/login", data={"email": cast.a2.email, "password": "wrong password!"})
    response = client.post("/login", data={"email": cast.a2.email, "password": PASSWORD})
    assert "Too many failed tries" in response.get_data(as_text=True)
    assert as_user(cast.office).post(f"/support/{request_id}/act").status_code == 303
    login(app.test_client(), cast.a2)
    assert "Unlocked the account of Bram Bos, as the team asked" in as_user(cast.a1).get(
        "/team/"
    ).get_data(as_text=True)


def _queries(client, url):
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_new_pages_cost_the_same_few_queries_however_many_accounts(app, cast, as_user):
    anna, office = as_user(cast.a1), as_user(cast.office)
    first = _filed(anna)
    _made(office, first)

    def counted():
        return (
            _queries(office, f"/support/{first}"),
            _queries(anna, f"/support/{first}"),
            _queries(anna, "/team/members/new"),
            _queries(anna, "/support/new?kind=deactivate"),
        )

    few = counted()
    for n in range(5):
        request_id = _filed(anna, name=f"Colleague {n}", email=f"c{n}@a.example.org")
        office.post(
            f"/support/{request_id}/act",
            data={"act-name": f"Colleague {n}", "act-email": f"c{n}@a.example.org"},
        )
    assert counted() == few
    assert few[0] <= 9 and few[1] <= 9 and few[2] <= 6 and few[3] <= 5


def test_every_new_page_and_message_speaks_dutch(app, cast, as_user):
    from test_dutch_everywhere import DUTCH, _english_left, _written_by_people

    for user in (cast.a1, cast.a2, cast.office):
        user.choose_language("nl")
    anna, office = as_user(cast.a1), as_user(cast.office)
    pages = [(anna, f"/support/new?kind={kind}") for kind in SupportRequest.KIND_KEYS]
    sent_back = [
        anna.post(f"/support/new?kind={kind}", data={}, headers=DUTCH)
        for kind in SupportRequest.KIND_KEYS
    ]
    asked = _filed(anna)
    team_asked = _filed(
        anna, kind="new_team", name="Team C", area="Noord", movers=[cast.a2.id, cast.a3.id]
    )
    reset = _filed(anna, kind="password", colleague=cast.a2.id)
    pages += [(office, f"/support/{asked}"), (office, f"/support/{team_asked}")]
    sent_back.append(office.post(f"/support/{asked}/act", data={}, headers=DUTCH))
    office.post(f"/support/{asked}/act", data={"act-name": "Sanne", "act-email": "s@a.nl"})
    office.post(f"/support/{reset}/act")
    office.post(f"/support/{team_asked}/act", data={"act-name": "Team C", "act-area": "Noord"})
    pages += [
        (office, f"/support/{asked}"),
        (office, f"/support/{reset}"),
        (anna, f"/support/{asked}"),
        (anna, f"/support/{team_asked}"),
        (anna, "/support/"),
        (anna, "/team/members/new"),
        (office, "/support/queue"),
    ]
    refused = app.test_client().post(
        "/login", data={"email": "s@a.nl", "password": "wrong"}, headers=DUTCH
    )
    anna.post(f"/team/members/made/{asked}")
    pages.append((anna, "/team/"))
    written = _written_by_people()
    left = {}
    for client, url in pages:
        response = client.get(url, headers=DUTCH)
        assert response.status_code == 200, url
        english = _english_left(response.get_data(as_text=True), written)
        if english:
            left[url] = sorted(english)
    for response in [*sent_back, refused]:
        assert response.status_code in (400, 409)
        english = _english_left(response.get_data(as_text=True), written)
        if english:
            left[response.request.path] = sorted(english)
    assert not left, left
