"""The team board: add, claim, hand back, complete, ask a colleague, filters, the
coach's read-only view, and two members claiming the same task at the same moment."""

import datetime as dt
import html
import json
import re
import threading

import pytest
from conftest import PASSWORD, count_queries

from teamcase.dates import local_now
from teamcase.db import db
from teamcase.models import AuditEvent, Client, Task, User, utcnow

HTMX = {"HX-Request": "true"}


def _task(cast, title="Call the pharmacy about the new prescription", **fields):
    with db.connection_context():
        return Task.add(cast.team_a, fields.pop("by", cast.a1), title=title, **fields)


def _fresh(task) -> Task:
    with db.connection_context():
        return Task.get_by_id(task.id)


def _events(task, action=None):
    with db.connection_context():
        query = AuditEvent.select().where(
            AuditEvent.entity == "task", AuditEvent.entity_id == task.id
        )
        if action:
            query = query.where(AuditEvent.action == action)
        return list(query.order_by(AuditEvent.id))


def _today(app) -> dt.date:
    with app.test_request_context():
        return local_now().date()


def _cards(page: str) -> list[str]:
    """The titles of the open tasks on the page, top to bottom."""
    open_part = page.split('id="done-tasks"')[0]
    found = re.findall(r'<h3 class="task-title" id="task-\d+-title">([^<]*)</h3>', open_part)
    return [html.unescape(title) for title in found]


# Reading the board


def test_it_shows_the_team_s_open_tasks_and_nobody_else_s(app, cast, as_user):
    _task(cast, "Order compression stockings", client=cast.person_a, note="Size M")
    with db.connection_context():
        Task.add(cast.team_b, cast.b1, title="Team B's own task")
    page = as_user(cast.a2).get("/board/").get_data(as_text=True)
    assert _cards(page) == ["Order compression stockings"]
    assert "Mies Bakker" in page and "Size M" in page
    assert "Nobody has this yet · added by Anna" in page
    assert "Team B" not in page.split("<main")[1]


def test_the_nav_leads_to_the_board(app, cast, as_user):
    page = as_user(cast.a1).get("/caseload").get_data(as_text=True)
    assert 'href="/board/"' in page


def test_it_lists_overdue_first_then_by_due_date_then_newest(app, cast, as_user):
    today = _today(app)
    _task(cast, "no date, older")
    _task(cast, "due next week", due_on=today + dt.timedelta(days=7))
    _task(cast, "overdue", due_on=today - dt.timedelta(days=2))
    _task(cast, "due today", due_on=today)
    _task(cast, "no date, newest")
    with db.connection_context():
        # The same second is common in a test: make "newest" unmistakable.
        Task.update(created_at=utcnow() - dt.timedelta(hours=1)).where(
            Task.title == "no date, older"
        ).execute()
    page = as_user(cast.a1).get("/board/").get_data(as_text=True)
    assert _cards(page) == [
        "overdue",
        "due today",
        "due next week",
        "no date, newest",
        "no date, older",
    ]
    assert "Overdue: was due" in page and "Due today" in page


def test_the_filters_show_mine_unclaimed_overdue_and_per_person(app, cast, as_user):
    today = _today(app)
    mine = _task(cast, "mine by claim")
    asked = _task(cast, "asked of me", by=cast.a2)
    late = _task(cast, "late for the team", due_on=today - dt.timedelta(days=1))
    bram = _task(cast, "Bram's", client=cast.person_a)
    with db.connection_context():
        assert mine.claim(cast.a1)
        assert asked.ask(cast.a2, cast.a1)
        assert bram.claim(cast.a2)
    client = as_user(cast.a1)

    def shown(query):
        return sorted(_cards(client.get(f"/board/{query}").get_data(as_text=True)))

    assert shown("") == sorted(["mine by claim", "asked of me", "late for the team", "Bram's"])
    assert shown("?show=mine") == ["asked of me", "mine by claim"]
    assert shown("?show=unclaimed") == ["asked of me", "late for the team"]
    assert shown("?show=overdue") == ["late for the team"]
    assert shown(f"?person={cast.person_a.id}") == ["Bram's"]
    assert shown("?show=nonsense") == shown("")
    page = client.get("/board/?show=mine").get_data(as_text=True)
    # Each filter is a link with its count; the one shown is marked.
    assert re.search(r'href="/board/\?show=mine" aria-current="page">Mine <span class="n">2', page)
    assert 'href="/board/?show=overdue">Overdue <span class="n">1' in page
    assert late.id and "Open tasks" in page


def test_a_task_due_today_is_not_overdue_on_the_team_s_calendar(app, cast, as_user):
    _task(cast, "today's", due_on=_today(app))
    page = as_user(cast.a1).get("/board/?show=overdue").get_data(as_text=True)
    assert _cards(page) == []
    assert "Nothing is overdue." in page


def test_the_person_filter_names_the_person_even_without_tasks(app, cast, as_user):
    page = as_user(cast.a1).get(f"/board/?person={cast.person_a.id}").get_data(as_text=True)
    assert "Open tasks for Mies Bakker" in page
    assert "No open tasks for Mies Bakker." in page
    # The next task added from here is most likely for her.
    assert f'<option selected value="{cast.person_a.id}">Mies Bakker</option>' in page


def test_done_tasks_of_the_last_fourteen_days_are_listed_below(app, cast, as_user):
    recent, old = _task(cast, "recently done"), _task(cast, "done long ago")
    with db.connection_context():
        recent.complete(cast.a2)
        old.complete(cast.a2)
        Task.update(done_at=utcnow() - dt.timedelta(days=15)).where(Task.id == old.id).execute()
    page = as_user(cast.a1).get("/board/").get_data(as_text=True)
    done = page.split('id="done-tasks"')[1]
    assert "<summary>Done in the last 14 days (1)</summary>" in done
    assert "recently done" in done and "Done by Bram, today" in done
    assert "done long ago" not in page
    assert _cards(page) == []


def test_the_board_costs_the_same_queries_with_5_and_50_tasks(app, cast, as_user):
    client = as_user(cast.a1)
    coach = as_user(cast.coach_a)

    def grow(count):
        with db.connection_context():
            people = [cast.person_a.id, None]
            rows = [
                {
                    "team": cast.team_a.id,
                    "client": people[i % 2],
                    "title": f"task {i}",
                    "note": "a note",
                    "created_by": cast.a1.id,
                    "claimed_by": [None, cast.a1.id, cast.a2.id][i % 3],
                    "requested_of": cast.a2.id if i % 7 == 0 else None,
                    "requested_by": cast.a1.id if i % 7 == 0 else None,
                    "status": "done" if i % 5 == 0 else "open",
                    "done_by": cast.a2.id if i % 5 == 0 else None,
                    "done_at": utcnow() if i % 5 == 0 else None,
                    "due_on": dt.date.today() + dt.timedelta(days=i % 9 - 4),
                }
                for i in range(Task.select().count(), count)
            ]
            Task.insert_many(rows).execute()

    grow(5)
    client.get("/board/")  # a first request settles the session
    with count_queries() as few:
        assert client.get("/board/").status_code == 200
    with count_queries() as few_coach:
        assert coach.get(f"/board/teams/{cast.team_a.id}").status_code == 200
    grow(50)
    with count_queries() as many:
        page = client.get("/board/").get_data(as_text=True)
    with count_queries() as many_coach:
        assert coach.get(f"/board/teams/{cast.team_a.id}").status_code == 200
    assert len(_cards(page)) == 40
    # The account, its team, open tasks, done tasks, the people to choose from.
    assert len(few) == len(many) == 6, many
    # The coach's: the account, the link, the team, both lists, the names to hide.
    assert len(few_coach) == len(many_coach) == 6, many_coach


# Adding


def test_it_adds_a_task_for_a_person_and_audits_it(app, cast, as_user):
    due = _today(app) + dt.timedelta(days=2)
    response = as_user(cast.a2).post(
        "/board/tasks?show=unclaimed",
        data={
            "title": "  Order compression stockings ",
            "client": str(cast.person_a.id),
            "due_on": due.isoformat(),
            "note": "Size M",
        },
    )
    assert response.status_code == 303
    with db.connection_context():
        task = Task.get(Task.title == "Order compression stockings")
    assert response.headers["Location"] == f"/board/?show=unclaimed#task-{task.id}"
    assert (task.team_id, task.client_id, task.created_by_id) == (
        cast.team_a.id,
        cast.person_a.id,
        cast.a2.id,
    )
    assert (task.due_on, task.note, task.claimed_by_id, task.status) == (
        due,
        "Size M",
        None,
        "open",
    )
    [event] = _events(task, "create")
    assert (event.actor_id, event.client_id, event.team_id) == (
        cast.a2.id,
        cast.person_a.id,
        cast.team_a.id,
    )
    assert json.loads(event.changes)["after"]["person"] == "Mies Bakker"


def test_it_adds_a_task_for_the_team(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/board/tasks", data={"title": "Renew the car park permits", "client": "0"}
    )
    assert response.status_code == 303
    with db.connection_context():
        task = Task.get(Task.title == "Renew the car park permits")
    assert task.client_id is None
    [event] = _events(task, "create")
    assert (event.client_id, event.team_id) == (None, cast.team_a.id)
    page = as_user(cast.a1).get("/board/").get_data(as_text=True)
    assert "For the team" in page


def test_adding_with_htmx_answers_the_card_and_a_fresh_form(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/board/tasks",
        data={"title": "Arrange a hoist", "client": str(cast.person_a.id)},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<article") and "Arrange a hoist" in html
    # The form comes back empty, swapped out of band over the one that was sent.
    form = html[html.index('id="add-task"') :]
    assert 'hx-swap-oob="true"' in form[:120]
    assert 'name="title" required type="text" value=""' in form
    assert 'id="board-tabs"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Say in a few words what needs doing."),
        ({"title": "x" * 201}, "Keep it to 200 characters or fewer."),
        ({"client": "99999"}, "Choose one of the team's people, or the team as a whole."),
        ({"due_on": "next week"}, "Not a valid date value."),
        ({"due_on": "2001-01-01"}, "Check the date: it is more than a year ago."),
        ({"note": "n" * 2001}, "Keep it to 2000 characters or fewer."),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(app, cast, as_user, data, message):
    typed = {"title": "Call the GP about Mies", "client": "0", "note": "Typed words", **data}
    response = as_user(cast.a1).post("/board/tasks", data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert typed["title"][:150] in page and typed["note"][:150] in page
    with db.connection_context():
        assert not Task.select().exists()


def test_a_person_of_another_team_cannot_be_chosen(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/board/tasks", data={"title": "Sneaky", "client": str(cast.person_b.id)}
    )
    assert response.status_code == 400
    assert "Kees Zuid" not in response.get_data(as_text=True)
    with db.connection_context():
        assert not Task.select().exists()


def test_bad_input_with_htmx_replaces_the_form_in_place(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/board/tasks", data={"title": "", "note": "kept"}, headers=HTMX
    )
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#add-task"
    assert response.headers["HX-Reswap"] == "outerHTML"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card add-task" id="add-task"')
    assert "kept" in html and "Say in a few words what needs doing." in html


# Claiming, handing back, completing


def test_claiming_makes_it_mine_and_keeps_the_filter(app, cast, as_user):
    task = _task(cast)
    response = as_user(cast.a2).post(f"/board/tasks/{task.id}/claim?show=unclaimed")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/board/?show=unclaimed#task-{task.id}"
    fresh = _fresh(task)
    assert (fresh.claimed_by_id, fresh.claimed_at is not None) == (cast.a2.id, True)
    [event] = _events(task, "claim")
    assert json.loads(event.changes)["after"]["claimed_by"] == "Bram Bos"


def test_claiming_with_htmx_answers_just_the_card(app, cast, as_user):
    task = _task(cast)
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/claim", headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<article class="task mine" id="task-{task.id}"')
    assert "You have this since today" in html
    assert ">Done</button>" in html and ">Hand back</button>" in html
    assert "I’ll do it" not in html
    # The tabs' counts come along out of band.
    assert 'id="board-tabs" aria-label="Which open tasks" hx-swap-oob="true"' in html


def test_claiming_what_a_colleague_took_is_refused_with_who_and_when(app, cast, as_user):
    task = _task(cast)
    assert as_user(cast.a2).post(f"/board/tasks/{task.id}/claim").status_code == 303
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/claim", headers=HTMX)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    with app.test_request_context():
        from teamcase.dates import to_local

        clock = to_local(_fresh(task).claimed_at).strftime("%H:%M")
    assert f"Bram Bos took this at {clock}." in html
    assert 'role="alert"' in html
    assert _fresh(task).claimed_by_id == cast.a2.id


def test_without_javascript_a_refused_claim_shows_the_board_with_the_message(app, cast, as_user):
    task = _task(cast)
    as_user(cast.a2).post(f"/board/tasks/{task.id}/claim")
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/claim")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "<html" in page and "Bram Bos took this at" in page


def test_nobody_can_put_a_task_on_someone_else_s_name(app, cast, as_user):
    task = _task(cast)
    # Whatever is sent along, a claim is always for the one who claims.
    as_user(cast.a1).post(
        f"/board/tasks/{task.id}/claim",
        data={"claimed_by": str(cast.a2.id), "user": str(cast.a2.id)},
    )
    assert _fresh(task).claimed_by_id == cast.a1.id
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("board.")} == {
        "board.index",
        "board.team",
        "board.add",
        "board.edit",
        "board.ask",
        "board.accept",
        "board.decline",
        "board.claim",
        "board.hand_back",
        "board.complete",
    }


def _at_once(work, *arguments):
    """Run `work(argument)` in one thread per argument, each on its own database
    connection, released together by a barrier; their answers by argument."""
    barrier = threading.Barrier(len(arguments))
    answers = {}

    def run(argument):
        barrier.wait(timeout=10)
        answers[argument] = work(argument)

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == len(arguments), "a writer did not finish"
    return answers


@pytest.mark.parametrize("attempt", range(3))
def test_two_members_claiming_at_once_exactly_one_wins(app, cast, attempt):
    task = _task(cast)
    members = {cast.a1.id: cast.a1, cast.a2.id: cast.a2}

    def claim(member_id):
        with db.connection_context():
            return Task.get_by_id(task.id).claim(members[member_id])

    answers = _at_once(claim, *members)
    assert sorted(answers.values()) == [False, True]
    winner = next(member_id for member_id, won in answers.items() if won)
    assert _fresh(task).claimed_by_id == winner
    [event] = _events(task, "claim")
    assert event.actor_id == winner


def test_two_taps_at_once_the_other_is_told_who_took_it(app, cast, as_user):
    task = _task(cast)
    # Each request opens and closes its own connection in its own thread.
    clients = {cast.a1.id: as_user(cast.a1), cast.a2.id: as_user(cast.a2)}

    def tap(member_id):
        response = clients[member_id].post(f"/board/tasks/{task.id}/claim", headers=HTMX)
        return response.status_code, response.get_data(as_text=True)

    answers = _at_once(tap, *clients)
    assert sorted(status for status, _ in answers.values()) == [200, 409]
    winner = _fresh(task).claimed_by_id
    loser = next(member_id for member_id in answers if member_id != winner)
    with db.connection_context():
        winner_name = User.get_by_id(winner).name
    assert answers[winner][0] == 200 and "You have this since" in answers[winner][1]
    assert answers[loser][0] == 409 and f"{winner_name} took this at" in answers[loser][1]


def test_the_claimer_hands_it_back_for_anyone(app, cast, as_user):
    task = _task(cast)
    client = as_user(cast.a1)
    client.post(f"/board/tasks/{task.id}/claim")
    response = client.post(f"/board/tasks/{task.id}/hand-back", headers=HTMX)
    assert response.status_code == 200
    assert "Nobody has this yet" in response.get_data(as_text=True)
    assert _fresh(task).claimed_by_id is None
    assert [e.action for e in _events(task)] == ["create", "claim", "handback"]


def test_only_the_claimer_hands_back(app, cast, as_user):
    task = _task(cast)
    as_user(cast.a1).post(f"/board/tasks/{task.id}/claim")
    response = as_user(cast.a2).post(f"/board/tasks/{task.id}/hand-back", headers=HTMX)
    assert response.status_code == 409
    assert "Anna Aalders took this at" in response.get_data(as_text=True)
    assert _fresh(task).claimed_by_id == cast.a1.id


def test_completing_records_who_and_when_and_moves_it_under_done(app, cast, as_user):
    task = _task(cast, "Arrange a hoist", client=cast.person_a)
    client = as_user(cast.a1)
    client.post(f"/board/tasks/{task.id}/claim")
    response = client.post(f"/board/tasks/{task.id}/complete", headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Done by you, today" in html
    # The list of done tasks is sent along out of band, with this one in it.
    done = html[html.index('id="done-tasks"') :]
    assert 'hx-swap-oob="true"' in done[:80] and "Arrange a hoist" in done
    fresh = _fresh(task)
    assert (fresh.status, fresh.done_by_id, fresh.done_at is not None) == ("done", cast.a1.id, True)
    page = as_user(cast.a2).get("/board/").get_data(as_text=True)
    assert _cards(page) == []
    assert "Done by Anna, today" in page.split('id="done-tasks"')[1]


def test_completing_a_completed_task_says_who_finished_it(app, cast, as_user):
    task = _task(cast)
    assert as_user(cast.a2).post(f"/board/tasks/{task.id}/complete").status_code == 303
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/complete", headers=HTMX)
    assert response.status_code == 409
    assert "Bram Bos finished this at" in response.get_data(as_text=True)
    assert _fresh(task).done_by_id == cast.a2.id
    assert len(_events(task, "complete")) == 1


def test_a_task_someone_has_is_finished_by_her_only(app, cast, as_user):
    task = _task(cast)
    as_user(cast.a1).post(f"/board/tasks/{task.id}/claim")
    response = as_user(cast.a2).post(f"/board/tasks/{task.id}/complete")
    assert response.status_code == 409
    assert "Anna Aalders took this at" in response.get_data(as_text=True)
    assert _fresh(task).status == "open"


@pytest.mark.parametrize("action", ["claim", "hand-back", "complete", "accept", "decline"])
def test_actions_need_post(app, cast, as_user, action):
    task = _task(cast)
    assert as_user(cast.a1).get(f"/board/tasks/{task.id}/{action}").status_code == 405


def test_an_htmx_action_needs_the_token_in_its_header(csrf_app, cast):
    task = _task(cast)
    client = csrf_app.test_client()
    token = client.get("/login").text.split('"X-CSRFToken": "')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": cast.a1.email, "password": PASSWORD},
        headers={"X-CSRFToken": token},
    )
    url = f"/board/tasks/{task.id}/claim"
    assert client.post(url, headers=HTMX).status_code == 400
    assert _fresh(task).claimed_by_id is None
    page = client.get("/board/").text
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    assert client.post(url, headers={**HTMX, "X-CSRFToken": token}).status_code == 200
    assert _fresh(task).claimed_by_id == cast.a1.id


# Asking a colleague


def test_asking_a_colleague_shows_who_asked_whom(app, cast, as_user):
    task = _task(cast)
    bram = as_user(cast.a2)
    form = bram.get(f"/board/tasks/{task.id}/ask").get_data(as_text=True)
    assert "Anna Aalders" in form and "Bram Bos" not in form.split("<main")[1]
    response = bram.post(f"/board/tasks/{task.id}/ask", data={"colleague": str(cast.a1.id)})
    assert response.status_code == 303
    fresh = _fresh(task)
    assert (fresh.requested_of_id, fresh.requested_by_id, fresh.claimed_by_id) == (
        cast.a1.id,
        cast.a2.id,
        None,
    )
    [event] = _events(task, "request")
    assert json.loads(event.changes)["after"]["requested_of"] == "Anna Aalders"
    assert "You asked Anna</strong>" in bram.get("/board/").get_data(as_text=True)
    anna_page = as_user(cast.a1).get("/board/").get_data(as_text=True)
    assert "Bram asked you</strong>" in anna_page
    assert "Yes, I’ll do it" in anna_page and "No, I can’t" in anna_page


def test_a_third_colleague_sees_bram_asked_anna(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        third = User.create(
            email="carla@a.example.org",
            name="Carla Claes",
            role=User.MEMBER,
            team=cast.team_a,
            password_hash=cast.a1.password_hash,
        )
        task.ask(cast.a2, cast.a1)
    page = as_user(third).get("/board/").get_data(as_text=True)
    assert "<strong>Bram asked Anna</strong>" in page
    assert "Yes, I’ll do it" not in page


def test_only_the_colleague_asked_accepts_and_becomes_the_one_who_has_it(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        task.ask(cast.a2, cast.a1)
    assert as_user(cast.a2).post(f"/board/tasks/{task.id}/accept").status_code == 403
    assert as_user(cast.a2).post(f"/board/tasks/{task.id}/decline").status_code == 403
    assert as_user(cast.b1).post(f"/board/tasks/{task.id}/accept").status_code == 404
    assert as_user(cast.coach_a).post(f"/board/tasks/{task.id}/accept").status_code == 403
    assert _fresh(task).claimed_by_id is None
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/accept", headers=HTMX)
    assert response.status_code == 200
    assert "You have this since today" in response.get_data(as_text=True)
    assert ", asked by Bram" in response.get_data(as_text=True)
    assert _fresh(task).claimed_by_id == cast.a1.id
    assert [e.action for e in _events(task)] == ["create", "request", "accept"]


def test_a_decline_is_shown_to_the_one_who_asked(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        task.ask(cast.a2, cast.a1)
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/decline")
    assert response.status_code == 303
    fresh = _fresh(task)
    assert (fresh.claimed_by_id, fresh.declined_at is not None) == (None, True)
    page = as_user(cast.a2).get("/board/").get_data(as_text=True)
    assert "<strong>Anna said no</strong> to your request" in page
    assert "Ask someone else" in page
    # Answering twice does nothing more.
    again = as_user(cast.a1).post(f"/board/tasks/{task.id}/accept", headers=HTMX)
    assert again.status_code == 409
    assert "You already said no to this request." in again.get_data(as_text=True)
    assert _fresh(task).claimed_by_id is None


def test_after_a_decline_the_asker_can_ask_someone_else(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        carla = User.create(
            email="carla@a.example.org",
            name="Carla Claes",
            role=User.MEMBER,
            team=cast.team_a,
            password_hash=cast.a1.password_hash,
        )
        task.ask(cast.a2, cast.a1)
        task.decline(cast.a1)
    response = as_user(cast.a2).post(
        f"/board/tasks/{task.id}/ask", data={"colleague": str(carla.id)}
    )
    assert response.status_code == 303
    fresh = _fresh(task)
    assert (fresh.requested_of_id, fresh.declined_at) == (carla.id, None)


def test_nobody_else_is_asked_while_a_request_waits(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        task.ask(cast.a2, cast.a1)
    response = as_user(cast.a1).get(f"/board/tasks/{task.id}/ask", headers=HTMX)
    assert response.status_code == 409
    assert "Bram Bos asked Anna Aalders" in response.get_data(as_text=True)


def test_a_task_someone_has_cannot_be_asked_about(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        task.claim(cast.a1)
    response = as_user(cast.a2).post(
        f"/board/tasks/{task.id}/ask", data={"colleague": str(cast.a1.id)}
    )
    assert response.status_code == 409
    assert _fresh(task).requested_of_id is None


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("self", "Choose one of your colleagues in the list."),
        ("outsider", "Choose one of your colleagues in the list."),
        ("nonsense", "Choose one of your colleagues in the list."),
        ("nobody", "Choose the colleague you are asking."),
    ],
)
def test_asking_needs_a_colleague_from_the_list(app, cast, as_user, who, message):
    task = _task(cast)
    choice = {"self": cast.a2.id, "outsider": cast.b1.id, "nonsense": "x", "nobody": None}[who]
    response = as_user(cast.a2).post(
        f"/board/tasks/{task.id}/ask", data={"colleague": str(choice)} if choice else {}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _fresh(task).requested_of_id is None


def test_accepting_after_someone_took_it_says_who(app, cast, as_user):
    task = _task(cast)
    with db.connection_context():
        carla = User.create(
            email="carla@a.example.org",
            name="Carla Claes",
            role=User.MEMBER,
            team=cast.team_a,
            password_hash=cast.a1.password_hash,
        )
        task.ask(cast.a2, cast.a1)
        task.claim(carla)
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/accept", headers=HTMX)
    assert response.status_code == 409
    assert "Carla Claes took this at" in response.get_data(as_text=True)
    assert _fresh(task).claimed_by_id == carla.id


# Changing what a task says


def _edit(task, **overrides):
    data = {"title": task.title, "client": "0", "due_on": "", "note": "", "version": "1"}
    data.update(overrides)
    return data


def test_it_changes_a_task_and_audits_before_and_after(app, cast, as_user):
    task = _task(cast, "Call the pharmacy")
    client = as_user(cast.a2)
    form = client.get(f"/board/tasks/{task.id}/edit").get_data(as_text=True)
    assert 'value="Call the pharmacy"' in form
    response = client.post(
        f"/board/tasks/{task.id}/edit",
        data=_edit(
            task, title="Call the pharmacy about the new prescription", client=str(cast.person_a.id)
        ),
    )
    assert response.status_code == 303
    fresh = _fresh(task)
    assert (fresh.title, fresh.client_id, fresh.version) == (
        "Call the pharmacy about the new prescription",
        cast.person_a.id,
        2,
    )
    [event] = _events(task, "update")
    changes = json.loads(event.changes)
    assert changes["before"]["title"] == "Call the pharmacy"
    assert changes["after"]["person"] == "Mies Bakker"
    assert event.client_id == cast.person_a.id


def test_a_stale_change_is_refused_and_keeps_what_was_typed(app, cast, as_user):
    task = _task(cast, "Call the pharmacy")
    url = f"/board/tasks/{task.id}/edit"
    assert as_user(cast.a2).post(url, data=_edit(task, note="Bram's words")).status_code == 303
    response = as_user(cast.a1).post(url, data=_edit(task, note="Anna's words"), headers=HTMX)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Bram Bos saved changes to this task" in html
    assert "Anna&#39;s words" in html
    assert 'name="version" type="hidden" value="2"' in html
    assert _fresh(task).note == "Bram's words"


def test_a_bad_change_gets_a_message_next_to_the_field(app, cast, as_user):
    task = _task(cast, "Call the pharmacy")
    response = as_user(cast.a1).post(
        f"/board/tasks/{task.id}/edit", data=_edit(task, title="", note="still here")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say in a few words what needs doing." in page and "still here" in page
    assert _fresh(task).title == "Call the pharmacy"


def test_a_finished_task_is_not_changed_any_more(app, cast, as_user):
    task = _task(cast, "Call the pharmacy")
    with db.connection_context():
        task.complete(cast.a2)
    response = as_user(cast.a1).post(f"/board/tasks/{task.id}/edit", data=_edit(task, title="New"))
    assert response.status_code == 409
    assert "Bram Bos finished this" in response.get_data(as_text=True)
    assert _fresh(task).title == "Call the pharmacy"


def test_a_closed_person_stays_choosable_on_their_own_task(app, cast, as_user):
    task = _task(cast, "Return the hoist", client=cast.person_a)
    with db.connection_context():
        Client.update(status=Client.CLOSED).where(Client.id == cast.person_a.id).execute()
    form = as_user(cast.a1).get(f"/board/tasks/{task.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{cast.person_a.id}">Mies Bakker</option>' in form
    add_form = as_user(cast.a1).get("/board/").get_data(as_text=True).split('id="add-task"')[1]
    assert "Mies Bakker" not in add_form.split("</section>")[0]


# Who may see and do what


TASK_ROUTES = [
    ("get", "edit"),
    ("post", "edit"),
    ("get", "ask"),
    ("post", "ask"),
    ("post", "accept"),
    ("post", "decline"),
    ("post", "claim"),
    ("post", "hand-back"),
    ("post", "complete"),
]


@pytest.mark.parametrize(
    ("role", "status"), [("b1", 404), ("coach_a", 403), ("coach_x", 404), ("office", 404)]
)
def test_only_the_team_s_members_act_on_its_tasks(app, cast, as_user, role, status):
    task = _task(cast, "Order compression stockings for Mies", client=cast.person_a)
    with db.connection_context():
        # Asked of Anna: even then nobody outside the team answers for her.
        task.ask(cast.a2, cast.a1)
    client = as_user(getattr(cast, role))
    for method, action in TASK_ROUTES:
        url = f"/board/tasks/{task.id}/{action}"
        response = getattr(client, method)(url, data={"title": "x", "colleague": str(cast.a1.id)})
        assert response.status_code == status, (method, url)
        assert b"Mies" not in response.data
    fresh = _fresh(task)
    assert (fresh.title, fresh.claimed_by_id, fresh.status, fresh.version) == (
        task.title,
        None,
        "open",
        1,
    )
    assert (fresh.requested_of_id, fresh.declined_at) == (cast.a1.id, None)


@pytest.mark.parametrize("role", ["coach_a", "coach_x", "office"])
def test_only_members_add_tasks(app, cast, as_user, role):
    assert as_user(getattr(cast, role)).post("/board/tasks", data={"title": "x"}).status_code == 403
    assert as_user(getattr(cast, role)).get("/board/").status_code == 403
    with db.connection_context():
        assert not Task.select().exists()


def test_the_linked_coach_sees_the_board_read_only_and_pseudonymised(app, cast, as_user):
    _task(
        cast,
        "Order compression stockings for Mies Bakker",
        client=cast.person_a,
        note="Her daughter Ellen pays, call 06-555",
    )
    done = _task(cast, "Call Mies about her feet", client=cast.person_a, note="secret note")
    _task(cast, "Renew the car park permits")
    with db.connection_context():
        done.complete(cast.a2)
    response = as_user(cast.coach_a).get(f"/board/teams/{cast.team_a.id}")
    assert response.status_code == 200
    main = response.get_data(as_text=True).split("<main")[1]
    assert f"For M.B. #{cast.person_a.id}" in main
    assert f"Order compression stockings for M.B. #{cast.person_a.id}" in main
    assert f"Call M.B. #{cast.person_a.id} about her feet" in main
    assert "Renew the car park permits" in main
    for secret in ("Mies", "Bakker", "Ellen", "06-555", "secret note", "Dapperstraat"):
        assert secret not in main, secret
    assert 'method="post"' not in main
    assert "/claim" not in main and "/edit" not in main and "Add a task" not in main
    assert "?show=mine" not in main
    # The team's work, not who did it.
    assert "Done by" not in main and "Bram" not in main and "Done " in main


def test_others_do_not_see_a_team_s_board(app, cast, as_user):
    url = f"/board/teams/{cast.team_a.id}"
    assert as_user(cast.coach_x).get(url).status_code == 404
    assert as_user(cast.office).get(url).status_code == 404
    assert as_user(cast.b1).get(url).status_code == 404
    assert as_user(cast.coach_a).get(f"/board/teams/{cast.team_b.id}").status_code == 404


def test_a_member_at_her_team_s_address_gets_her_normal_board(app, cast, as_user):
    _task(cast, "Renew the car park permits")
    page = as_user(cast.a1).get(f"/board/teams/{cast.team_a.id}").get_data(as_text=True)
    assert "Add a task" in page and "I’ll do it" in page


def test_the_coach_s_page_links_to_each_linked_team_s_board(app, cast, as_user):
    page = as_user(cast.coach_a).get("/coach/").get_data(as_text=True)
    assert f'href="/board/teams/{cast.team_a.id}"' in page
    assert f'href="/board/teams/{cast.team_b.id}"' not in page


# The person's page


def test_the_person_s_page_counts_their_open_tasks_and_links_to_them(app, cast, as_user):
    _task(cast, "Order compression stockings", client=cast.person_a)
    _task(cast, "Arrange a hoist", client=cast.person_a)
    finished = _task(cast, "Done already", client=cast.person_a)
    _task(cast, "For the team")
    with db.connection_context():
        finished.complete(cast.a1)
    page = as_user(cast.a2).get(f"/people/{cast.person_a.id}").get_data(as_text=True)
    assert f'<a href="/board/?person={cast.person_a.id}">Open tasks for Mies Bakker: 2</a>' in page


def test_the_person_s_history_tells_what_happened_to_their_tasks(app, cast, as_user):
    task = _task(cast, "Arrange a hoist", client=cast.person_a)
    as_user(cast.a2).post(f"/board/tasks/{task.id}/claim")
    as_user(cast.a2).post(f"/board/tasks/{task.id}/complete")
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/history").get_data(as_text=True)
    for label in (
        "Added a task for them to the board",
        "Took on a task for them",
        "Finished a task for them",
    ):
        assert label in page


def test_a_person_moved_to_another_team_leaves_the_board(app, cast, as_user):
    _task(cast, "Send the care plan to the new team", client=cast.person_a)
    _task(cast, "Renew the car park permits")
    with db.connection_context():
        Client.update(team=cast.team_b).where(Client.id == cast.person_a.id).execute()
    page = as_user(cast.a1).get("/board/").get_data(as_text=True)
    assert _cards(page) == ["Renew the car park permits"]
    assert "Mies" not in page
