"""The team's side and the back office's side of support requests, through the app."""

import datetime as dt

from conftest import PASSWORD_HASH, count_queries

from teamcase.db import db
from teamcase.models import SupportMessage, SupportRequest, Team, User

FILED = {
    "category": "equipment",
    "subject": "A new tablet",
    "description": "The screen of mine is cracked.",
    "needed_by": "",
}


def _fresh(request_id):
    with db.connection_context():
        return SupportRequest.get_by_id(request_id)


def _request(cast, team=None, by=None, **fields):
    with db.connection_context():
        return SupportRequest.file(
            team or cast.team_a,
            by=by or cast.a1,
            category=fields.pop("category", "equipment"),
            subject=fields.pop("subject", "A new tablet"),
            description="The screen of mine is cracked.",
            **fields,
        )


def test_a_member_files_a_request_the_whole_team_sees(app, cast, as_user):
    response = as_user(cast.a1).post("/support/new", data=FILED)
    assert response.status_code == 303
    with db.connection_context():
        [filed] = SupportRequest.select()
    assert (filed.team_id, filed.filed_by_id, filed.status) == (cast.team_a.id, cast.a1.id, "new")
    assert response.headers["Location"].endswith(f"/support/{filed.id}")
    page = as_user(cast.a2).get("/support/")
    assert page.status_code == 200
    assert b"A new tablet" in page.data
    assert b"A new tablet" not in as_user(cast.b1).get("/support/").data


def test_the_categories_are_the_install_s(app, cast, as_user):
    app.config["SUPPORT_CATEGORIES"] = "equipment, keys to the office"
    page = as_user(cast.a1).get("/support/new").get_data(as_text=True)
    assert "Equipment and IT" in page and "keys to the office" in page
    assert "Pay and contracts" not in page
    response = as_user(cast.a1).post("/support/new", data={**FILED, "category": "pay"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_bad_input_comes_back_with_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/support/new", data={**FILED, "subject": "", "needed_by": "31-2-2026"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write in a few words what the team needs." in text
    assert "is not a date we can read" in text
    assert "The screen of mine is cracked." in text
    with db.connection_context():
        assert SupportRequest.select().count() == 0


def test_a_text_naming_someone_in_care_is_sent_back_as_typed(app, cast, as_user):
    typed = "A commode for Mies Bakker at Dapperstraat 12, please."
    response = as_user(cast.a1).post("/support/new", data={**FILED, "description": typed})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "names someone in the team&#39;s care" in text
    assert "“Mies Bakker”" in text and "“Dapperstraat”" in text
    assert typed in text
    with db.connection_context():
        assert SupportRequest.select().count() == 0


def test_the_team_answers_a_question_from_the_badge_and_confirms(app, cast, as_user):
    filed = _request(cast)
    office, anna = as_user(cast.office), as_user(cast.a2)
    assert office.post(f"/support/{filed.id}/take").status_code == 303
    assert (
        office.post(f"/support/{filed.id}/ask", data={"ask-text": "Which size?"}).status_code == 303
    )
    home = anna.get("/support/").get_data(as_text=True)
    assert '1<span class="visually-hidden"> answer from the back office waiting' in home
    answered = anna.post(f"/support/{filed.id}/answer", data={"text": "The 10-inch one."})
    assert answered.status_code == 303
    assert _fresh(filed.id).status == SupportRequest.TAKEN
    assert office.post(f"/support/{filed.id}/done", data={"done-text": "Sent."}).status_code == 303
    with db.connection_context():
        said = [(m.kind, m.text) for m in _fresh(filed.id).thread()]
    assert said[-3:] == [
        ("question", "Which size?"),
        ("answer", "The 10-inch one."),
        ("done", "Sent."),
    ]
    assert anna.post(f"/support/{filed.id}/confirm").status_code == 303
    assert _fresh(filed.id).status == SupportRequest.CLOSED
    assert 'visually-hidden"> answer' not in anna.get("/support/").get_data(as_text=True)


def test_an_answer_naming_someone_in_care_is_refused(app, cast, as_user):
    filed = _request(cast)
    response = as_user(cast.a1).post(
        f"/support/{filed.id}/answer", data={"text": "Call 06-12345678 about it."}
    )
    assert response.status_code == 400
    assert "06-12345678" in response.get_data(as_text=True)
    with db.connection_context():
        assert SupportMessage.select().where(SupportMessage.kind == "answer").count() == 0


def test_reopening_needs_a_reason_and_goes_back_to_the_back_office(app, cast, as_user):
    filed = _request(cast)
    with db.connection_context():
        filed.take(by=cast.office)
        filed.mark_done(by=cast.office)
    anna = as_user(cast.a1)
    assert anna.post(f"/support/{filed.id}/reopen", data={"text": ""}).status_code == 400
    response = anna.post(f"/support/{filed.id}/reopen", data={"text": "It never came."})
    assert response.status_code == 303
    assert _fresh(filed.id).status == SupportRequest.TAKEN


def test_taking_what_a_colleague_took_says_who_has_it(app, cast, as_user):
    filed = _request(cast)
    with db.connection_context():
        gina = User.create(
            email="gina@office.example.org",
            name="Gina Office",
            role=User.BACKOFFICE,
            password_hash=PASSWORD_HASH,
        )
        filed.take(by=gina)
    response = as_user(cast.office).post(f"/support/{filed.id}/take")
    assert response.status_code == 409
    assert "This request was taken already." in response.get_data(as_text=True)
    assert _fresh(filed.id).taken_by_id == gina.id


def test_the_queue_is_every_team_s_oldest_first_and_filters(app, cast, as_user):
    now = dt.datetime(2026, 11, 2, 9, 0)
    old = _request(
        cast, team=cast.team_b, by=cast.b1, subject="Winter tyres", category="car", now=now
    )
    new = _request(cast, subject="A new tablet", now=now + dt.timedelta(hours=1))
    office = as_user(cast.office)
    text = office.get("/support/queue").get_data(as_text=True)
    assert text.index("Winter tyres") < text.index("A new tablet")
    assert "Team B" in text
    only_car = office.get("/support/queue?category=car").get_data(as_text=True)
    assert "Winter tyres" in only_car and "A new tablet" not in only_car
    only_a = office.get(f"/support/queue?team={cast.team_a.id}").get_data(as_text=True)
    assert "A new tablet" in only_a and "Winter tyres" not in only_a
    with db.connection_context():
        new.take(by=cast.office)
    taken = office.get("/support/queue?state=taken").get_data(as_text=True)
    assert "A new tablet" in taken and "Winter tyres" not in taken
    # Filters it does not know show everything not closed; a team that is no id, nothing.
    anything = office.get("/support/queue?state=x&category=y").get_data(as_text=True)
    assert "Winter tyres" in anything and "A new tablet" in anything
    assert office.get("/support/queue?team=abc").status_code == 404
    assert old.id != new.id


def test_a_coach_gets_403_and_changes_nothing(app, cast, as_user):
    filed = _request(cast)
    coach = as_user(cast.coach_a)
    for path in ("", "/answer", "/confirm", "/reopen", "/take", "/ask", "/done"):
        method = coach.get if not path else coach.post
        assert method(f"/support/{filed.id}{path}", data={"text": "x"}).status_code == 403
    assert _fresh(filed.id).status == SupportRequest.NEW


def _many(cast, count):
    with db.connection_context():
        teams = [cast.team_a, cast.team_b] + [
            Team.create(name=f"Team {n}", area="") for n in range(3)
        ]
        for n in range(count):
            team = teams[n % len(teams)]
            by = cast.a1 if team == cast.team_a else cast.b1
            SupportRequest.file(team, by=by, category="other", subject=f"Ask {n}", description="x")
        for filed in (
            SupportRequest.select().where(SupportRequest.status == "new").limit(count // 2)
        ):
            filed.take(by=cast.office)


def _queries(client, url):
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_few_queries_however_many_requests(app, cast, as_user):
    office, anna = as_user(cast.office), as_user(cast.a1)
    filed = _request(cast)
    with db.connection_context():
        filed.take(by=cast.office)
    few = (
        _queries(office, "/support/queue"),
        _queries(anna, "/support/"),
        _queries(office, f"/support/{filed.id}"),
        _queries(anna, f"/support/{filed.id}"),
    )
    _many(cast, 40)
    with db.connection_context():
        for _n in range(5):
            SupportMessage.create(request=filed, author=cast.a1, kind="answer", text="more")
    many = (
        _queries(office, "/support/queue"),
        _queries(anna, "/support/"),
        _queries(office, f"/support/{filed.id}"),
        _queries(anna, f"/support/{filed.id}"),
    )
    assert many == few
    # The team's page: one more for how its requests went.
    assert few[0] <= 4 and few[1] <= 5 and few[2] <= 8
