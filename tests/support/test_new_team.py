"""A team that splits: its request for a new team names who goes to it, and the
back office, making the team, moves them there. Each leaves her team as a
colleague leaves it (never its last active member; the roles she held end) and
stays active, so her visits, tasks and the people she knew best there are let go
of for the colleagues who stay. Both teams' logs say it; she sees the new team on
her next page."""

import datetime as dt
import json
import re
import threading

import pytest
from conftest import PASSWORD_HASH, count_queries

from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    KnownBest,
    PlannedVisit,
    RoleHolding,
    SupportMessage,
    SupportMover,
    SupportRefused,
    SupportRequest,
    Task,
    Team,
    TeamRole,
    User,
)
from teamcase.models.support import NEW_TEAM

T0 = dt.datetime(2026, 11, 2, 9, 0)
TODAY = dt.date(2026, 11, 2)


def _file(cast, movers, by=None, name="Team A-Noord"):
    with db.connection_context():
        return SupportRequest.file(
            cast.team_a,
            by=by or cast.a1,
            category="accounts",
            subject="",
            description="",
            kind=NEW_TEAM,
            now=T0,
            asked_name=name,
            asked_area="Noord",
            movers=movers,
        )


def _log(team, entity, action):
    return [
        json.loads(e.changes)["after"]
        for e in AuditEvent.select()
        .where(AuditEvent.team == team, AuditEvent.entity == entity, AuditEvent.action == action)
        .order_by(AuditEvent.id)
    ]


def _fresh(model, row_id):
    with db.connection_context():
        return model.get_by_id(row_id)


# The verbs


def test_the_request_names_at_least_two_who_go_and_one_who_stays(app, cast):
    cast.a3  # noqa: B018 - a third member of team A
    with pytest.raises(SupportRefused, match="Choose at least two colleagues"):
        _file(cast, [cast.a2])
    with pytest.raises(SupportRefused, match="active members of the team"):
        _file(cast, [cast.a2, cast.b1])
    with pytest.raises(SupportRefused, match="Leave at least one colleague in Team A"):
        _file(cast, [cast.a1, cast.a2, cast.a3])
    with db.connection_context():
        assert SupportRequest.select().count() == 0
    request = _file(cast, [cast.a3, cast.a2])
    with db.connection_context():
        assert [m.name for m in request.movers()] == ["Bram Bos", "Carla Claes"]
        [filed] = request.thread()
        assert (filed.kind, filed.text) == ("filed", "Bram Bos, Carla Claes")
        assert _log(cast.team_a, "team", "split") == [
            {"name": "Team A-Noord", "members": ["Bram Bos", "Carla Claes"]}
        ]


def test_making_the_team_moves_those_who_go_and_lets_go_of_their_work(app, cast):
    carla = cast.a3
    with db.connection_context():
        planner = TeamRole.add(cast.team_a, cast.a1, "Planner")
        planner.hand_to(cast.a2, cast.a1, None, TODAY)
        visit = PlannedVisit.add(cast.person_a, cast.a1, member=cast.a2, day=TODAY)
        done = PlannedVisit.add(cast.person_a, cast.a1, member=cast.a2, day=TODAY)
        done.mark_done(cast.a2, happened_at=T0, minutes=20, kind="home_visit")
        anna_visit = PlannedVisit.add(cast.person_a, cast.a1, member=cast.a1, day=TODAY)
        claimed = Task.add(cast.team_a, cast.a1, client=None, title="Order gloves")
        claimed.claim(cast.a2)
        asked = Task.add(cast.team_a, cast.a1, client=None, title="Ring the pharmacy")
        asked.ask(cast.a1, carla)
        KnownBest.create(client=cast.person_a, member=cast.a2)
    request = _file(cast, [cast.a2, carla])
    with db.connection_context():
        request.act(by=cast.office, name="Team A-Noord", area="Noord", today=TODAY)
        new = Team.get(Team.name == "Team A-Noord")
        assert [m.name for m in new.active_members()] == ["Bram Bos", "Carla Claes"]
        assert [m.name for m in cast.team_a.active_members()] == ["Anna Aalders"]
        # Still active, with the same sessions: only her team changed.
        bram = User.get_by_id(cast.a2.id)
        assert (bram.active, bram.session_generation) == (True, cast.a2.session_generation)
        # The role she held ends today, as when a colleague leaves.
        [held] = RoleHolding.select().where(RoleHolding.member == bram)
        assert held.until == TODAY
        # Her planned visit is up for a colleague; the one she did stays hers.
        assert PlannedVisit.get_by_id(visit.id).member_id is None
        assert PlannedVisit.get_by_id(done.id).member_id == bram.id
        assert PlannedVisit.get_by_id(anna_visit.id).member_id == cast.a1.id
        # The task she claimed is up for anyone; the one Carla was asked, declined.
        assert Task.get_by_id(claimed.id).claimed_by_id is None
        assert Task.get_by_id(asked.id).declined_at is not None
        # She no longer knows anyone in Team A best; Anna still does.
        assert [u.name for u in cast.person_a.known_best_by()] == ["Anna Aalders"]
        [moved_bram, moved_carla] = _log(cast.team_a, "member", "move")
        assert moved_bram == {
            "name": "Bram Bos",
            "active": True,
            "to": "Team A-Noord",
            "roles_ended": ["Planner"],
            "visits": 1,
            "tasks": 1,
            "known_best": 1,
        }
        assert (moved_carla["tasks"], moved_carla["visits"]) == (1, 0)
        arrived = _log(new, "member", "arrive")
        assert [a["name"] for a in arrived] == ["Bram Bos", "Carla Claes"]
        assert {a["from"] for a in arrived} == {"Team A"}
        [made] = _log(new, "team", "create")
        assert made["members"] == ["Bram Bos", "Carla Claes"]
        # The person's history says who let go of knowing her best: Bram, not the office.
        [history] = (
            AuditEvent.select()
            .where(AuditEvent.client == cast.person_a, AuditEvent.action == "update")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        assert history.actor_id == bram.id
        assert json.loads(history.changes)["after"] == {"known_best": ["Anna Aalders"]}
        fresh = SupportRequest.get_by_id(request.id)
        assert (fresh.status, fresh.made_team_id) == ("done", new.id)


def test_it_is_refused_with_nothing_changed_when_one_who_goes_left_meanwhile(app, cast):
    request = _file(cast, [cast.a2, cast.a3])
    with db.connection_context():
        cast.a3.deactivate(cast.a1, TODAY)
        with pytest.raises(SupportRefused, match="Carla Claes is no longer an active member"):
            request.act(by=cast.office, name="Team A-Noord", area="Noord")
        assert Team.select().count() == 2
        assert User.get_by_id(cast.a2.id).team_id == cast.team_a.id
        assert SupportRequest.get_by_id(request.id).status == SupportRequest.NEW
        assert not _log(cast.team_a, "member", "move")


def test_a_team_that_has_not_said_who_goes_is_asked_first(app, cast):
    request = _file(cast, [cast.a2, cast.a3])
    with db.connection_context():
        # As a request filed before teams said who goes.
        SupportMover.delete().where(SupportMover.request == request).execute()
        with pytest.raises(SupportRefused, match="has not said yet who goes"):
            request.act(by=cast.office, name="Team A-Noord", area="Noord")
        assert Team.select().count() == 2


def test_the_team_says_again_who_goes_until_the_team_is_made(app, cast):
    request = _file(cast, [cast.a2, cast.a3])
    with db.connection_context():
        with pytest.raises(SupportRefused, match="at least two"):
            request.choose_movers(cast.a1, [cast.a2], request.version)
        request.choose_movers(cast.a2, [cast.a1, cast.a3], request.version)
        assert [m.name for m in request.movers()] == ["Anna Aalders", "Carla Claes"]
        said = SupportMessage.select().where(SupportMessage.kind == "movers").get()
        assert said.text == "Anna Aalders, Carla Claes"
        assert _log(cast.team_a, "team", "resplit")[0]["members"] == [
            "Anna Aalders",
            "Carla Claes",
        ]
        # Bram read it before Anna's change: told, not saved over.
        with pytest.raises(SupportRefused, match="Bram Bos said who goes a moment before you"):
            request.choose_movers(cast.a1, [cast.a1, cast.a2], request.version - 1)
        request.act(by=cast.office, name="Team A-Noord", area="Noord")
        with pytest.raises(SupportRefused, match="made the team already"):
            request.choose_movers(cast.a2, [cast.a2, cast.a3], request.version)
        new = Team.get(Team.name == "Team A-Noord")
        assert [m.name for m in new.active_members()] == ["Anna Aalders", "Carla Claes"]
        with pytest.raises(SupportRefused, match="The team was made already"):
            request.act(by=cast.office, name="Team A-Noord 2", area="")
        assert Team.select().count() == 3


@pytest.mark.parametrize("attempt", range(3))
def test_two_staff_making_the_team_at_once_one_makes_it_the_other_is_told(app, cast, attempt):
    request = _file(cast, [cast.a2, cast.a3])
    with db.connection_context():
        other = User.create(
            email="gina@office.example.org",
            name="Gina Office",
            role=User.BACKOFFICE,
            password_hash=PASSWORD_HASH,
        )
    staff = {cast.office.id: cast.office, other.id: other}
    barrier = threading.Barrier(2)
    answers = {}

    def act(user_id):
        with app.app_context(), db.connection_context():
            mine = SupportRequest.get_by_id(request.id)
            barrier.wait(timeout=10)
            try:
                mine.act(by=staff[user_id], name=f"Team A-Noord {user_id}", area="")
                answers[user_id] = "won"
            except SupportRefused as refused:
                answers[user_id] = str(refused)

    threads = [threading.Thread(target=act, args=(uid,)) for uid in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [uid for uid, answer in answers.items() if answer == "won"]
    assert len(winners) == 1, answers
    [loser] = set(staff) - set(winners)
    assert staff[winners[0]].name in answers[loser]
    with db.connection_context():
        # One team made, and each colleague moved once, to it.
        assert Team.select().count() == 3
        made = Team.get(Team.name == f"Team A-Noord {winners[0]}")
        assert User.get_by_id(cast.a2.id).team_id == made.id
        assert len(_log(cast.team_a, "member", "move")) == 2


# The pages


def _ticked(page: str) -> list[int]:
    """The ids of the colleagues ticked in the page's checkboxes of who goes."""
    return [
        int(value)
        for tag in re.findall(r"<input[^>]*movers[^>]*>", page)
        if "checked" in tag
        for value in re.findall(r'value="(\d+)"', tag)
    ]


def test_the_form_offers_the_teams_active_members_and_keeps_what_was_typed(app, cast, as_user):
    cast.a3  # noqa: B018
    anna = as_user(cast.a1)
    page = anna.get("/support/new?kind=new_team").get_data(as_text=True)
    assert "Who goes to the new team" in page
    for member in (cast.a1, cast.a2, cast.a3):
        assert f'value="{member.id}"' in page
    assert "Cor de Boer" not in page
    response = anna.post(
        "/support/new?kind=new_team",
        data={"category": "accounts", "name": "Team A-Noord", "movers": [cast.a2.id]},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least two colleagues" in text
    assert 'value="Team A-Noord"' in text
    assert _ticked(text) == [cast.a2.id]
    response = anna.post(
        "/support/new?kind=new_team",
        data={"category": "accounts", "name": "Team A-Noord", "movers": [cast.a2.id, cast.b1.id]},
    )
    assert response.status_code == 400
    assert "active members of the team" in response.get_data(as_text=True)
    with db.connection_context():
        assert SupportRequest.select().count() == 0
    response = anna.post(
        "/support/new?kind=new_team",
        data={
            "category": "accounts",
            "name": "Team A-Noord",
            "area": "Noord",
            "movers": [cast.a2.id, cast.a3.id],
        },
    )
    assert response.status_code == 303
    page = anna.get(response.headers["Location"]).get_data(as_text=True)
    assert "Going to the new team: Bram Bos, Carla Claes" in page
    assert "Asked the back office for a new team, Team A-Noord" in anna.get("/team/").get_data(
        as_text=True
    )


def test_the_team_says_again_who_goes_on_the_request_page(app, cast, as_user):
    request = _file(cast, [cast.a2, cast.a3])
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    page = anna.get(f"/support/{request.id}").get_data(as_text=True)
    assert f'action="/support/{request.id}/movers"' in page
    url = f"/support/{request.id}/movers"
    seen = {"movers-version": str(request.version)}
    response = anna.post(url, data={**seen, "movers-movers": [cast.a2.id]})
    assert response.status_code == 400
    assert "Choose at least two colleagues" in response.get_data(as_text=True)
    response = bram.post(url, data={**seen, "movers-movers": [cast.a1.id, cast.a3.id]})
    assert response.status_code == 303
    # Anna sends hers on the page she read before Bram's change: told, not saved over.
    response = anna.post(url, data={**seen, "movers-movers": [cast.a2.id, cast.a3.id]})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Bram Bos said who goes a moment before you" in text
    assert [m.name for m in _fresh(SupportRequest, request.id).movers()] == [
        "Anna Aalders",
        "Carla Claes",
    ]
    assert as_user(cast.b1).post(url, data=seen).status_code == 404
    assert as_user(cast.office).post(url, data=seen).status_code == 403
    assert as_user(cast.coach_a).post(url, data=seen).status_code == 403
    assert anna.get(url).status_code == 405


def test_the_back_office_makes_the_team_and_those_who_go_see_it_next(app, cast, as_user):
    request = _file(cast, [cast.a2, cast.a3])
    bram, office = as_user(cast.a2), as_user(cast.office)
    assert "Team A" in bram.get("/team/").get_data(as_text=True)
    page = office.get(f"/support/{request.id}").get_data(as_text=True)
    assert "Bram Bos, Carla Claes" in page and "Make the team" in page
    response = office.post(
        f"/support/{request.id}/act", data={"act-name": "Team A-Noord", "act-area": "Noord"}
    )
    assert response.status_code == 303
    page = office.get(f"/support/{request.id}").get_data(as_text=True)
    assert "Bram Bos, Carla Claes moved to it" in page
    # Twice: the team was made once.
    response = office.post(
        f"/support/{request.id}/act", data={"act-name": "Team A-Noord", "act-area": "Noord"}
    )
    assert response.status_code == 409
    # Bram's session holds, and his next page is the new team's.
    team_page = bram.get("/team/").get_data(as_text=True)
    assert "Team A-Noord" in team_page
    assert "Bram Bos came to the team from Team A" in team_page
    assert bram.get(f"/clients/{cast.person_a.id}").status_code == 404
    anna_page = as_user(cast.a1).get("/team/").get_data(as_text=True)
    assert "Bram Bos moved to Team A-Noord" in anna_page
    members = anna_page.split('id="members"')[1].split("</section>")[0]
    assert "Anna Aalders" in members and "Bram Bos" not in members


def test_the_request_page_of_a_new_team_takes_a_fixed_number_of_queries(app, cast, as_user):
    request = _file(cast, [cast.a2, cast.a3])
    anna, office = as_user(cast.a1), as_user(cast.office)
    counted = []
    for client in (anna, office):
        with count_queries() as queries:
            assert client.get(f"/support/{request.id}").status_code == 200
        counted.append(len(queries))
    with db.connection_context():
        for n in range(4):
            User.create(
                email=f"m{n}@a.example.org",
                name=f"Member {n}",
                team=cast.team_a,
                password_hash=PASSWORD_HASH,
            )
        more = list(User.select().where(User.name.startswith("Member")))
        request.choose_movers(cast.a1, [cast.a2, cast.a3, *more], request.version)
    for index, client in enumerate((anna, office)):
        with count_queries() as queries:
            assert client.get(f"/support/{request.id}").status_code == 200
        assert len(queries) == counted[index]
    assert counted[0] <= 14 and counted[1] <= 12, counted


def test_every_page_and_message_of_a_team_that_splits_speaks_dutch(app, cast, as_user):
    from test_dutch_everywhere import DUTCH, _english_left, _written_by_people

    request = _file(cast, [cast.a2, cast.a3])
    for user in (cast.a1, cast.a2, cast.office):
        user.choose_language("nl")
    anna, bram, office = as_user(cast.a1), as_user(cast.a2), as_user(cast.office)
    with db.connection_context():
        task = Task.add(cast.team_a, cast.a1, client=None, title="Handschoenen bestellen")
        task.claim(cast.a2)
        PlannedVisit.add(cast.person_a, cast.a1, member=cast.a2, day=dt.date.today())
        KnownBest.create(client=cast.person_a, member=cast.a2)
    url = f"/support/{request.id}/movers"
    sent_back = [
        anna.post("/support/new?kind=new_team", data={"movers": [cast.a1.id]}, headers=DUTCH),
        anna.post(url, data={"movers-movers": [cast.a1.id]}, headers=DUTCH),
        anna.post(url, data={"movers-movers": [cast.a1.id, cast.a3.id]}, headers=DUTCH),
    ]
    pages = [
        (anna, "/support/new?kind=new_team"),
        (anna, f"/support/{request.id}"),
        (office, f"/support/{request.id}"),
    ]
    before = [(client, url, client.get(url, headers=DUTCH)) for client, url in pages]
    bram.post(url, data={"movers-movers": [cast.a2.id, cast.a3.id], "movers-version": "1"})
    made = office.post(
        f"/support/{request.id}/act",
        data={"act-name": "Team A-Noord", "act-area": "Noord"},
        headers=DUTCH,
    )
    assert made.status_code == 303
    sent_back.append(
        office.post(
            f"/support/{request.id}/act",
            data={"act-name": "Team A-Noord", "act-area": "Noord"},
            headers=DUTCH,
        )
    )
    pages = [(office, f"/support/{request.id}"), (anna, f"/support/{request.id}")]
    pages += [(anna, "/team/"), (bram, "/team/")]
    after = [(client, url, client.get(url, headers=DUTCH)) for client, url in pages]
    written = _written_by_people()
    left = {}
    for _client, url, response in before + after:
        assert response.status_code == 200, url
        english = _english_left(response.get_data(as_text=True), written)
        if english:
            left[url] = sorted(english)
    for response in sent_back:
        assert response.status_code in (400, 409)
        english = _english_left(response.get_data(as_text=True), written)
        if english:
            left[response.request.path] = sorted(english)
    assert not left, left
    assert "Gaan naar het nieuwe team: Bram Bos, Carla Claes" in after[1][2].get_data(as_text=True)
    assert "is overgestapt naar Team A-Noord" in after[2][2].get_data(as_text=True)
