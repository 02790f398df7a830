"""Team meetings: planning one and whose turn it is, the agenda built from the
caseload, members' own items, meeting mode (attendance, notes, tasks, review dates,
discussed), ending with open items carried over, the minutes, the meeting pack
(named and pseudonymised), flags and review dates from the person's page; access,
bad input, audit, query counts, and two members acting at the same moment."""

import datetime as dt
import html
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import count_queries

from teamcase.dates import day_text, local_now
from teamcase.db import db
from teamcase.models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    Client,
    Contact,
    Decision,
    DecisionStep,
    Goal,
    Meeting,
    MeetingFlag,
    NetworkMember,
    Referral,
    Strength,
    Task,
    User,
    utcnow,
)

HTMX = {"HX-Request": "true"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def _today(app) -> dt.date:
    with app.test_request_context():
        return local_now().date()


def _meeting(cast, days=7, **fields) -> Meeting:
    with db.connection_context():
        return Meeting.plan(
            cast.team_a,
            fields.pop("by", cast.a1),
            held_on=dt.date.today() + dt.timedelta(days=days),
            starts_at=fields.pop("starts_at", dt.time(13, 30)),
            place=fields.pop("place", "The team room"),
            **fields,
        )


def _fresh(model, row):
    with db.connection_context():
        return model.get_by_id(row.id)


def _items(meeting) -> list[AgendaItem]:
    with db.connection_context():
        return list(
            AgendaItem.select()
            .where(AgendaItem.meeting == meeting)
            .order_by(AgendaItem.position, AgendaItem.id)
        )


def _member(cast, name, email) -> User:
    with db.connection_context():
        return User.create(
            email=email,
            name=name,
            role=User.MEMBER,
            team=cast.team_a,
            password_hash=cast.a1.password_hash,
        )


def _person(cast, name, team=None, **details) -> Client:
    with db.connection_context():
        return Client.open(
            team or cast.team_a, by=cast.a1, name=name, phone="06-11223344", **details
        )


def _start(cast, meeting, *members, accept=False):
    with db.connection_context():
        assert meeting.record_attendance(cast.a1, list(members) or [cast.a1, cast.a2], accept)
    return _fresh(Meeting, meeting)


def _events(entity, entity_id, action=None):
    with db.connection_context():
        query = AuditEvent.select().where(
            AuditEvent.entity == entity, AuditEvent.entity_id == entity_id
        )
        if action:
            query = query.where(AuditEvent.action == action)
        return list(query.order_by(AuditEvent.id))


def _at_once(*calls, connect=True):
    """Run each call in its own thread, released together by a barrier; each in its
    own database connection (`connect=False` for requests, which open their own)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            if not connect:
                barrier.wait()
                results[index] = call()
                return
            with db.connection_context():
                barrier.wait()
                results[index] = call()
        except Exception as error:  # noqa: BLE001 — the test looks at what each got
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _checked(response, name: str) -> set[str]:
    """The values of the ticked boxes named `name` on the page."""
    inputs = re.findall(r"<input[^>]*>", response.get_data(as_text=True))
    return {
        re.search(r'value="([^"]*)"', i).group(1)
        for i in inputs
        if f'name="{name}"' in i and re.search(r"\bchecked\b", i)
    }


# The list of meetings, and planning the next one


def test_it_offers_to_plan_the_next_meeting_when_none_is(app, cast, as_user):
    page = _text(as_user(cast.a1).get("/meetings/"))
    assert "No next meeting planned" in page
    assert 'href="/meetings/new"' in page


def test_it_plans_the_next_meeting_with_whose_turn_it_is(app, cast, as_user):
    client = as_user(cast.a2)
    form = _text(client.get("/meetings/new"))
    # Nobody has facilitated yet: the first by name is suggested, the other takes notes.
    assert "Whose turn: Anna Aalders (has not facilitated yet)" in form
    assert "Whose turn: Bram Bos (has not taken notes yet)" in form
    day = dt.date.today() + dt.timedelta(days=9)
    response = client.post(
        "/meetings/new",
        data={
            "held_on": day.isoformat(),
            "starts_at": "13:30",
            "place": "Buurthuis De Pijp",
            "facilitator": str(cast.a1.id),
            "note_taker": "0",
        },
    )
    assert response.status_code == 303
    meeting = Meeting.get(Meeting.team == cast.team_a)
    assert response.headers["Location"] == f"/meetings/{meeting.id}"
    assert (meeting.held_on, meeting.starts_at, meeting.place) == (
        day,
        dt.time(13, 30),
        "Buurthuis De Pijp",
    )
    assert (meeting.facilitator_id, meeting.note_taker_id, meeting.status) == (
        cast.a1.id,
        None,
        Meeting.PLANNED,
    )
    [created] = _events("meeting", meeting.id, "create")
    assert json.loads(created.changes)["after"]["facilitator"] == "Anna Aalders"
    listing = _text(client.get("/meetings/"))
    assert "Next meeting:" in listing and "Buurthuis De Pijp" in listing


def test_bad_input_when_planning_keeps_what_was_typed(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.post(
        "/meetings/new",
        data={
            "held_on": "2020-03-03",
            "starts_at": "13:30",
            "place": "Buurthuis De Pijp",
            "facilitator": str(cast.a1.id),
            "note_taker": str(cast.a1.id),
        },
    )
    page = _text(response)
    assert response.status_code == 400
    assert "This date has passed. Choose today or a later date." in page
    assert "Choose someone else: facilitating and taking notes at once is too much." in page
    assert 'value="Buurthuis De Pijp"' in page
    assert Meeting.select().count() == 0
    response = client.post("/meetings/new", data={"held_on": "", "place": "x" * 121})
    assert response.status_code == 400
    assert "Choose the day." in _text(response)
    assert "Keep it to 120 characters or fewer." in _text(response)


def test_a_second_next_meeting_is_refused_naming_who_planned_it(app, cast, as_user):
    _meeting(cast, days=7)
    response = as_user(cast.a2).post(
        "/meetings/new",
        data={"held_on": (dt.date.today() + dt.timedelta(days=8)).isoformat(), "place": "Café"},
    )
    page = _text(response)
    assert response.status_code == 409
    assert "Anna Aalders planned the next meeting just now" in page
    assert 'value="Café"' in page
    assert Meeting.select().count() == 1
    # Asking for the form again goes to the meeting that is planned.
    assert as_user(cast.a2).get("/meetings/new").status_code == 303


def test_two_members_planning_at_once_make_one_meeting(app, cast, as_user):
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    day = (dt.date.today() + dt.timedelta(days=7)).isoformat()

    def plan(client, place):
        return lambda: client.post("/meetings/new", data={"held_on": day, "place": place})

    results = _at_once(plan(anna, "Room A"), plan(bram, "Room B"), connect=False)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303, 409], statuses
    meeting = Meeting.get(Meeting.team == cast.team_a)
    winner = "Anna Aalders" if meeting.place == "Room A" else "Bram Bos"
    loser = next(r for r in results if r.status_code == 409)
    assert f"{winner} planned the next meeting just now" in _text(loser)


def test_changing_a_meeting_is_versioned_and_names_who_changed_it(app, cast, as_user):
    meeting = _meeting(cast)
    day = meeting.held_on.isoformat()
    data = {"held_on": day, "place": "Café", "facilitator": str(cast.a2.id), "version": "1"}
    assert as_user(cast.a1).post(f"/meetings/{meeting.id}/edit", data=data).status_code == 303
    stale = as_user(cast.a2).post(
        f"/meetings/{meeting.id}/edit", data={**data, "place": "Buurthuis", "facilitator": "0"}
    )
    page = _text(stale)
    assert stale.status_code == 409
    assert "Anna Aalders saved changes to this meeting" in page
    assert 'value="Buurthuis"' in page
    assert _fresh(Meeting, meeting).place == "Café"
    # Saving again on purpose keeps hers.
    again = {**data, "place": "Buurthuis", "version": "2"}
    assert as_user(cast.a2).post(f"/meetings/{meeting.id}/edit", data=again).status_code == 303
    assert _fresh(Meeting, meeting).place == "Buurthuis"


def test_whose_turn_goes_to_who_facilitated_least_recently(app, cast):
    cas = _member(cast, "Cas Claassen", "cas@a.example.org")
    gone = _member(cast, "Aad Aarts", "aad@a.example.org")
    with db.connection_context():
        User.update(active=False).where(User.id == gone.id).execute()
        today = dt.date.today()
        for weeks, facilitator, note_taker in [
            (6, cast.a2, cast.a1),
            (4, cast.a1, cas),
            (2, cas, cast.a2),
        ]:
            Meeting.create(
                team=cast.team_a,
                held_on=today - dt.timedelta(weeks=weeks),
                status=Meeting.DONE,
                facilitator=facilitator,
                note_taker=note_taker,
                created_by=cast.a1,
            )
        members = Meeting.rotation(cast.team_a)
        suggested = Meeting(team=cast.team_a, held_on=today).suggestions(members)
    # Bram facilitated six weeks ago, longest of the active members; Aad left the team.
    assert suggested["facilitator"].name == "Bram Bos"
    # Anna took notes longest ago; Bram, the suggested facilitator, is not suggested twice.
    assert suggested["note_taker"].name == "Anna Aalders"
    assert {m.name: m.facilitated_on for m in members}["Cas Claassen"] == today - dt.timedelta(
        weeks=2
    )


def test_the_list_of_meetings_costs_the_same_however_many_were_held(app, cast, as_user):
    client = as_user(cast.a1)

    def hold(count, start):
        with db.connection_context():
            for n in range(count):
                meeting = Meeting.create(
                    team=cast.team_a,
                    held_on=dt.date(2025, 1, 1) + dt.timedelta(days=14 * (start + n)),
                    status=Meeting.DONE,
                    facilitator=cast.a2,
                    created_by=cast.a1,
                )
                Attendance.create(meeting=meeting, member=cast.a1)
                AgendaItem.create(
                    meeting=meeting, kind="other", title="x", status=AgendaItem.DISCUSSED
                )

    hold(2, 0)
    with count_queries() as few:
        client.get("/meetings/")
    hold(20, 2)
    with count_queries() as many:
        page = _text(client.get("/meetings/"))
    assert page.count("Minutes of ") == 22
    assert "1 present · 1 item discussed · facilitated by Bram Bos" in page
    assert len(few) == len(many), many


# The agenda, built from the caseload


@pytest.fixture
def caseload(app, cast):
    """Team A's next meeting and one of each thing the caseload puts on its agenda."""
    meeting = _meeting(cast, days=7)
    day = meeting.held_on
    with db.connection_context():
        due = Client.open(
            cast.team_a, by=cast.a1, name="Gerrit de Jong", phone="020-6651234", review_on=day
        )
        later = Client.open(
            cast.team_a,
            by=cast.a1,
            name="Later Lieshout",
            phone="1",
            review_on=day + dt.timedelta(days=1),
        )
        cast.person_a.flag_for_meeting(cast.a2, "She fell twice this month")
        referral = Referral.create(
            team=cast.team_a,
            recorded_by=cast.a1,
            person_name="Jan de Groot",
            status=Referral.MEETING,
            meeting_reason="We are full until February",
        )
        adopted = Decision.create(
            team=cast.team_a,
            proposal="Evening visits in pairs",
            purpose="Safety",
            proposed_by=cast.a1,
            status=Decision.ADOPTED,
            decided_at=utcnow() - dt.timedelta(days=90),
            review_on=day - dt.timedelta(days=1),
        )
        proposal = Decision.propose(
            cast.team_a, cast.a2, "A shared phone for evenings", "Fewer missed calls"
        )
        overdue = Task.add(
            cast.team_a,
            cast.a1,
            title="Order a walking frame",
            client=due,
            due_on=day - dt.timedelta(days=2),
        )
        Task.add(cast.team_a, cast.a1, title="Not due yet", due_on=day + dt.timedelta(days=3))
        # Team B's records stay off team A's agenda.
        other = Client.open(cast.team_b, by=cast.b1, name="Kees Zuid", phone="1", review_on=day)
    return {
        "meeting": meeting,
        "due": due,
        "later": later,
        "referral": referral,
        "adopted": adopted,
        "proposal": proposal,
        "overdue": overdue,
        "other": other,
    }


def test_the_agenda_fills_itself_from_the_caseload(app, cast, as_user, caseload):
    meeting = caseload["meeting"]
    response = as_user(cast.a2).get(f"/meetings/{meeting.id}")
    page = _text(response)
    assert response.status_code == 200
    items = _items(meeting)
    assert [(i.kind, i.title) for i in items] == [
        ("referral", "Referral: Jan de Groot"),
        ("person", "Gerrit de Jong"),
        ("person", "Mies Bakker"),
        ("review", "Evening visits in pairs"),
        ("proposal", "A shared phone for evenings"),
        ("task", "Order a walking frame"),
    ]
    assert [i.source for i in items] == [
        f"referral:{caseload['referral'].id}",
        f"person:{caseload['due'].id}",
        f"person:{cast.person_a.id}",
        f"review:{caseload['adopted'].id}",
        f"decision:{caseload['proposal'].id}",
        f"task:{caseload['overdue'].id}",
    ]
    assert "Bram Bos flagged: “She fell twice this month”" in page
    assert "We are full until February" in page
    assert "Nobody has taken it on." in page
    assert "Kees Zuid" not in page and "Later Lieshout" not in page
    # Opening it again adds nothing twice.
    as_user(cast.a1).get(f"/meetings/{meeting.id}")
    assert len(_items(meeting)) == 6
    [built] = _events("meeting", meeting.id, "agenda")
    assert json.loads(built.changes)["after"]["added"][0] == "Referral: Jan de Groot"


def test_refreshing_takes_off_what_no_longer_applies_and_keeps_what_was_worked_on(
    app, cast, as_user, caseload
):
    meeting = caseload["meeting"]
    client = as_user(cast.a1)
    client.get(f"/meetings/{meeting.id}")
    with db.connection_context():
        # The task was done and the referral accepted meanwhile; someone wrote notes
        # on Gerrit's item before his review date was cleared.
        Task.update(status=Task.DONE).where(Task.id == caseload["overdue"].id).execute()
        Referral.update(status=Referral.ACCEPTED).where(
            Referral.id == caseload["referral"].id
        ).execute()
        gerrit = AgendaItem.get(AgendaItem.client == caseload["due"].id)
        assert gerrit.write_notes(cast.a1, gerrit.version, "Ask his daughter first")
        Client.update(review_on=None).where(Client.id == caseload["due"].id).execute()
        Client.update(review_on=meeting.held_on).where(Client.id == caseload["later"].id).execute()
    response = client.post(f"/meetings/{meeting.id}/refresh", headers=HTMX)
    page = _text(response)
    assert response.status_code == 200
    assert "<html" not in page and 'id="agenda"' in page
    assert "Agenda brought up to date: 1 added and 2 that no longer apply taken off." in page
    titles = [i.title for i in _items(meeting)]
    assert "Order a walking frame" not in titles and "Referral: Jan de Groot" not in titles
    assert "Gerrit de Jong" in titles and "Later Lieshout" in titles
    again = client.post(f"/meetings/{meeting.id}/refresh", headers=HTMX)
    assert "The agenda was up to date." in _text(again)


def test_two_members_opening_the_agenda_at_once_add_each_thing_once(app, cast, caseload):
    meeting = caseload["meeting"]

    def build(member):
        return lambda: Meeting.get_by_id(meeting.id).build_agenda(member)

    results = _at_once(build(cast.a1), build(cast.a2))
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(i.source for i in _items(meeting)) == sorted(
        [
            f"referral:{caseload['referral'].id}",
            f"person:{caseload['due'].id}",
            f"person:{cast.person_a.id}",
            f"review:{caseload['adopted'].id}",
            f"decision:{caseload['proposal'].id}",
            f"task:{caseload['overdue'].id}",
        ]
    )


def _many_people(cast, meeting, count, start=0):
    """`count` people due for review on `meeting`, each with a record to show."""
    with db.connection_context():
        for n in range(start, start + count):
            person = Client.create(
                team=cast.team_a, name=f"Person {n:03d}", phone="1", review_on=meeting.held_on
            )
            Strength.create(client=person, category="skills", text="Still cooks")
            NetworkMember.create(
                client=person, name=f"Daughter {n}", relation="family", tie="strong"
            )
            Goal.create(client=person, words="Walk to the market again")
            for days in range(5):
                Contact.create(
                    client=person,
                    author=cast.a1,
                    happened_at=utcnow() - dt.timedelta(days=days),
                    minutes=30,
                    kind="home_visit",
                    note=f"Visit {days}",
                )
            MeetingFlag.create(
                team=cast.team_a, client=person, reason="Worried", flagged_by=cast.a2
            )


def test_the_agenda_costs_the_same_with_5_or_60_people(app, cast, as_user):
    meeting = _meeting(cast)
    client = as_user(cast.a1)
    _many_people(cast, meeting, 5)
    client.get(f"/meetings/{meeting.id}")  # built: from here on only read
    with count_queries() as few:
        client.get(f"/meetings/{meeting.id}")
    _many_people(cast, meeting, 55, start=5)
    client.get(f"/meetings/{meeting.id}")
    with count_queries() as many:
        page = _text(client.get(f"/meetings/{meeting.id}"))
    assert page.count('class="agenda-item') == 60
    assert page.count("Bram Bos flagged: “Worried”") == 60
    assert len(few) == len(many), many


# Built afresh (the first view after a change): who is signed in, the meeting and
# its team; what the caseload puts on it (referrals, flags, people, decisions to
# review, the answers due counted with the next deadline, proposals waiting, tasks
# overdue) and what is on it already, as the page shows it (nothing to add: that is
# the agenda); the rotation, the flags of its people, the meeting before, the
# coaches and their invitations, and what waits in the team for the top bar.
FRESH_AGENDA_QUERIES = 17


def test_the_agenda_built_afresh_costs_the_same_with_5_or_60_people(app, cast, as_user):
    app.config["PAGE_CACHE_SIZE"] = 0
    app.extensions.pop("teamcase.pages", None)
    meeting = _meeting(cast)
    client = as_user(cast.a1)
    _many_people(cast, meeting, 5)
    client.get(f"/meetings/{meeting.id}")
    with count_queries() as few:
        client.get(f"/meetings/{meeting.id}")
    _many_people(cast, meeting, 55, start=5)
    client.get(f"/meetings/{meeting.id}")
    with count_queries() as many:
        page = _text(client.get(f"/meetings/{meeting.id}"))
    assert page.count('class="agenda-item') == 60
    assert len(few) == len(many) == FRESH_AGENDA_QUERIES, many


# Members' own items


def test_a_member_adds_an_item_at_the_end(app, cast, as_user, caseload):
    meeting = caseload["meeting"]
    client = as_user(cast.a2)
    client.get(f"/meetings/{meeting.id}")
    response = client.post(
        f"/meetings/{meeting.id}/items",
        data={"kind": "proposal", "title": "No new people until two are back", "why": "Leave"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "“No new people until two are back” is on the agenda, at the end." in _text(response)
    last = _items(meeting)[-1]
    assert (last.kind, last.title, last.why, last.added_by_id, last.source) == (
        "proposal",
        "No new people until two are back",
        "Leave",
        cast.a2.id,
        None,
    )
    assert _events("agenda_item", last.id, "create")


def test_a_bad_item_comes_back_with_what_was_typed(app, cast, as_user):
    meeting = _meeting(cast)
    response = as_user(cast.a1).post(
        f"/meetings/{meeting.id}/items", data={"kind": "gossip", "title": "", "why": "Because"}
    )
    page = _text(response)
    assert response.status_code == 400
    assert "Say what the team should talk about." in page
    assert "Not a valid choice." in page
    assert 'value="Because"' in page
    assert _items(meeting) == []


def test_items_move_up_and_down(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        first, second, third = (
            AgendaItem.add(meeting, cast.a1, "other", title) for title in ("One", "Two", "Three")
        )
    client = as_user(cast.a2)
    response = client.post(
        f"/meetings/items/{third.id}/move", data={"direction": "up"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "“Three” moved up." in _text(response)
    assert [i.title for i in _items(meeting)] == ["One", "Three", "Two"]
    client.post(f"/meetings/items/{first.id}/move", data={"direction": "down"})
    assert [i.title for i in _items(meeting)] == ["Three", "One", "Two"]
    response = client.post(f"/meetings/items/{third.id}/move", data={"direction": "up"})
    assert response.status_code == 303
    assert [i.title for i in _items(meeting)] == ["Three", "One", "Two"]
    assert (
        client.post(f"/meetings/items/{first.id}/move", data={"direction": "sideways"}).status_code
        == 400
    )
    assert [e.action for e in _events("agenda_item", third.id)] == ["create", "move"]
    assert client.get(f"/meetings/items/{first.id}/move").status_code == 405


def test_only_who_added_an_item_takes_it_off(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    assert as_user(cast.a2).post(f"/meetings/items/{item.id}/delete").status_code == 403
    assert len(_items(meeting)) == 1
    response = as_user(cast.a1).post(f"/meetings/items/{item.id}/delete")
    assert response.status_code == 303
    assert _items(meeting) == []
    [removed] = _events("agenda_item", item.id, "delete")
    assert json.loads(removed.changes)["before"]["title"] == "Weekend cover"


def test_taking_an_item_off_asks_once_and_a_get_writes_nothing(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    client = as_user(cast.a1)
    url = f"/meetings/items/{item.id}/delete"
    before = AuditEvent.select().count()
    page = client.get(url)
    body = page.data.decode()
    assert page.status_code == 200
    assert "<h1>Take this item off the agenda?</h1>" in body and "Weekend cover" in body
    assert f'<form method="post" action="{url}"' in body
    assert f'href="/meetings/{meeting.id}#item-{item.id}">Keep it</a>' in body
    fragment = client.get(url, headers={"HX-Request": "true"}).data.decode()
    assert "<h1>" not in fragment
    assert f'hx-post="{url}" hx-target="#agenda" hx-swap="outerHTML"' in fragment
    assert AuditEvent.select().count() == before and len(_items(meeting)) == 1
    agenda = client.get(f"/meetings/{meeting.id}").data.decode()
    assert f'href="{url}" hx-get="{url}" hx-target="#item-{item.id}"' in agenda
    assert f'action="{url}"' not in agenda
    # Confirmed in place: the agenda comes back without the item.
    answer = client.post(url, headers={"HX-Request": "true"}).data.decode()
    assert answer.lstrip().startswith('<section id="agenda"')
    assert "“Weekend cover” is off the agenda." in answer
    assert _items(meeting) == []
    assert as_user(cast.a2).get(url).status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/meetings/{m}"),
        ("get", "/meetings/{m}/run"),
        ("get", "/meetings/{m}/minutes"),
        ("post", "/meetings/{m}/items"),
        ("post", "/meetings/items/{i}/notes"),
        ("post", "/meetings/items/{i}/move"),
        ("post", "/meetings/{m}/end"),
    ],
)
def test_another_team_gets_404_and_the_coach_403(app, cast, as_user, method, path):
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    url = path.format(m=meeting.id, i=item.id)
    assert getattr(as_user(cast.b1), method)(url, data={"title": "x"}).status_code == 404
    assert getattr(as_user(cast.coach_a), method)(url, data={"title": "x"}).status_code == 403
    assert getattr(as_user(cast.office), method)(url, data={"title": "x"}).status_code == 404
    assert [(i.title, i.notes) for i in _items(meeting)] == [("Weekend cover", "")]


# Meeting mode


def test_meeting_mode_starts_with_who_is_here_and_the_previous_notes(app, cast, as_user):
    with db.connection_context():
        previous = Meeting.create(
            team=cast.team_a,
            held_on=dt.date.today() - dt.timedelta(days=14),
            status=Meeting.DONE,
            created_by=cast.a1,
        )
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    client = as_user(cast.a1)
    page = _text(client.get(f"/meetings/{meeting.id}/run"))
    assert "Before we start" in page
    assert f'href="/meetings/{previous.id}/minutes"' in page
    nobody = client.post(f"/meetings/{meeting.id}/run", data={"accept_previous": "y"})
    assert nobody.status_code == 400
    assert "Tick who is here: at least one member." in _text(nobody)
    assert _fresh(Meeting, meeting).status == Meeting.PLANNED
    here = {"present": [str(cast.a1.id), str(cast.a2.id)], "accept_previous": "y"}
    # Planned for next week: starting it today is asked first, the ticks kept.
    warned = client.post(f"/meetings/{meeting.id}/run", data=here)
    assert warned.status_code == 200
    text = _text(warned)
    assert f"This meeting is planned for {day_text(meeting.held_on)}, not today." in text
    assert "Yes, start it today" in text
    assert _checked(warned, "present") == {str(cast.a1.id), str(cast.a2.id)}
    assert _fresh(Meeting, meeting).status == Meeting.PLANNED
    response = client.post(f"/meetings/{meeting.id}/run", data={**here, "other_day": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/meetings/{meeting.id}/run/{item.id}"
    fresh = _fresh(Meeting, meeting)
    assert fresh.status == Meeting.RUNNING and fresh.started_at and fresh.previous_accepted_at
    # Its minutes carry the day it was held.
    assert fresh.held_on == dt.date.today()
    assert sorted(a.member_id for a in Attendance.select()) == sorted([cast.a1.id, cast.a2.id])
    events = _events("meeting", meeting.id)
    assert [e.action for e in events] == ["create", "update", "start", "attend"]
    assert events[1].actor_id == cast.a1.id
    # Bram leaves early: the list is saved again, the meeting goes on.
    client.post(
        f"/meetings/{meeting.id}/run",
        data={"present": [str(cast.a1.id)], "accept_previous": "y"},
    )
    assert [a.member_id for a in Attendance.select()] == [cast.a1.id]
    assert _fresh(Meeting, meeting).previous_accepted_at == fresh.previous_accepted_at


def _person_on_agenda(cast, meeting):
    """Mies, flagged, with her record and five contacts, on a running meeting's agenda."""
    with db.connection_context():
        cast.person_a.flag_for_meeting(cast.a2, "She fell twice this month")
        for days in range(1, 5):
            Contact.record(
                cast.person_a,
                by=cast.a2,
                happened_at=utcnow() - dt.timedelta(days=days),
                minutes=20,
                kind="phone",
                note=f"Call {days} days ago",
            )
        Meeting.get_by_id(meeting.id).build_agenda(cast.a1)
        return AgendaItem.get(AgendaItem.meeting == meeting, AgendaItem.client == cast.person_a)


def test_a_person_item_shows_who_they_are_and_why_they_are_here(app, cast, as_user):
    meeting = _meeting(cast)
    item = _person_on_agenda(cast, meeting)
    _start(cast, meeting)
    response = as_user(cast.a1).get(f"/meetings/{meeting.id}/run/{item.id}")
    page = _text(response)
    assert response.status_code == 200
    assert "Bram Bos flagged: “She fell twice this month”" in page
    assert "Still cooks" in page  # strengths
    assert "Ellen" in page and "strong tie" in page  # network
    assert "I want to walk to the market on Saturdays again" in page  # goals
    # The last three contacts, newest first; older ones are on her page.
    assert page.index("Talked about the garden.") < page.index("Call 1 days ago")
    assert "Call 2 days ago" in page and "Call 3 days ago" not in page
    assert 'aria-current="step"' in page


# Deciding in place, in meeting mode

OBJECTION = "Her daughter works evenings: nobody would be there to let us in."
AMENDED = "We visit Mies every evening for two weeks; Ellen keeps a key for us."


def test_a_proposal_is_made_objected_to_amended_and_adopted_in_meeting_mode(app, cast, as_user):
    """Without JavaScript every step comes back to meeting mode at the same item; who
    proposed and who objected are who the meeting says, the audit who typed it."""
    meeting = _meeting(cast)
    item = _person_on_agenda(cast, meeting)
    _start(cast, meeting)
    client = as_user(cast.a1)
    here = f"/meetings/{meeting.id}/run/{item.id}"
    page = _text(client.get(here))
    assert "Propose a team decision about Mies" in page
    assert "/decisions/new" not in page  # no way out of meeting mode to propose
    response = client.post(
        f"/meetings/items/{item.id}/propose",
        data={
            "propose-proposal": "We visit Mies every evening for two weeks",
            "propose-purpose": "To see whether the falls happen at night.",
            "propose-member": str(cast.a2.id),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == here + "#decisions"
    with db.connection_context():
        decision = Decision.get(Decision.client == cast.person_a)
    assert (decision.proposed_by_id, decision.meeting_id) == (cast.a2.id, meeting.id)
    proposed = _events("decision", decision.id, "propose")[0]
    assert proposed.actor_id == cast.a1.id
    assert json.loads(proposed.changes)["after"]["proposed by"] == "Bram Bos"
    page = _text(client.get(here))
    assert "Proposed by</dt><dd>Bram Bos" in page
    assert f'action="/decisions/{decision.id}/steps?at={item.id}"' in page
    # One open proposal on the item at a time.
    assert "Propose a team decision about Mies" not in page

    objected = client.post(
        f"/decisions/{decision.id}/steps?at={item.id}",
        data={"step-kind": "objection", "step-member": str(cast.a2.id), "step-text": OBJECTION},
    )
    assert objected.status_code == 303
    assert objected.headers["Location"] == here + f"#decision-{decision.id}"
    with db.connection_context():
        objection = DecisionStep.get(DecisionStep.decision == decision.id)
    assert objection.member_id == cast.a2.id

    # The amendment says it answers Bram's objection: resolved with it.
    page = _text(client.get(here))
    assert f"Bram’s objection: “{OBJECTION}”" in page
    amended = client.post(
        f"/decisions/{decision.id}/amend?at={item.id}",
        data={
            "amend-proposal": AMENDED,
            "amend-member": str(cast.a1.id),
            "amend-version": str(_fresh(Decision, decision).version),
            "amend-resolves": str(objection.id),
            "amend-agreed": "objector",
        },
    )
    assert amended.status_code == 303
    assert amended.headers["Location"] == here + f"#decision-{decision.id}"
    objection = _fresh(DecisionStep, objection)
    assert objection.resolved_at is not None and objection.resolved_by_id == cast.a2.id
    assert objection.resolution == f"The amendment answers it: “{AMENDED}” Bram agreed."
    assert [e.action for e in _events("decision", decision.id)] == [
        "propose",
        "objection",
        "amend",
        "resolve",
    ]

    adopted = client.post(
        f"/decisions/{decision.id}/adopt?at={item.id}",
        data={
            "adopt-review_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "adopt-version": str(_fresh(Decision, decision).version),
        },
    )
    assert adopted.status_code == 303
    assert _fresh(Decision, decision).status == Decision.ADOPTED
    # The adopted decision shows on her item; a next proposal can be made.
    page = _text(client.get(here))
    assert "Adopted</span>" in page and AMENDED in page
    assert "Propose a team decision about Mies" in page


def test_in_meeting_mode_only_who_is_here_is_credited(app, cast, as_user):
    meeting = _meeting(cast)
    item = _person_on_agenda(cast, meeting)
    _start(cast, meeting, cast.a1)  # Bram is not here
    client = as_user(cast.a1)
    typed = "We ask the GP for a home visit"
    refused = client.post(
        f"/meetings/items/{item.id}/propose",
        data={
            "propose-proposal": typed,
            "propose-purpose": "",
            "propose-member": str(cast.a2.id),
        },
    )
    assert refused.status_code == 400
    page = _text(refused)
    assert "Choose a member of the team." in page
    assert "Say what it is for" in page
    assert typed in page and "Item 1 of" in page
    with db.connection_context():
        assert Decision.select().count() == 0
        decision = Decision.propose(
            cast.team_a, cast.a1, typed, "A second look", client=cast.person_a, meeting=meeting
        )
    # A step said by someone who is not here: meeting mode again, what was typed kept.
    step = client.post(
        f"/decisions/{decision.id}/steps?at={item.id}",
        data={"step-kind": "question", "step-member": str(cast.a2.id), "step-text": "When?"},
    )
    assert step.status_code == 400
    page = _text(step)
    assert "Item 1 of" in page and "Choose a member of the team." in page and "When?" in page
    # With htmx the decision's block alone comes back, with the meeting's choices.
    step = client.post(
        f"/decisions/{decision.id}/steps?at={item.id}",
        data={"step-kind": "question", "step-member": str(cast.a1.id), "step-text": "When?"},
        headers=HTMX,
    )
    assert step.status_code == 200
    page = _text(step)
    assert page.strip().startswith(f'<div id="decision-{decision.id}"')
    assert "Question recorded." in page
    assert f'<option selected value="{cast.a1.id}">' in page
    assert f'<option value="{cast.a2.id}">' not in page
    # The same decision's own page offers the whole team.
    assert f'<option value="{cast.a2.id}">' in _text(client.get(f"/decisions/{decision.id}"))


def test_a_person_whose_review_date_has_come_is_asked_for_the_next_one(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        Client.update(review_on=dt.date.today()).where(Client.id == cast.person_a.id).execute()
        Meeting.get_by_id(meeting.id).build_agenda(cast.a1)
        item = AgendaItem.get(AgendaItem.meeting == meeting, AgendaItem.client == cast.person_a)
    _start(cast, meeting)
    client = as_user(cast.a1)
    page = _text(client.get(f"/meetings/{meeting.id}/run/{item.id}"))
    ask = f"Mies’s review date was {day_text(dt.date.today())}. When does the team talk about"
    assert ask in page
    # Asked before her cards, with the date empty to fill in.
    assert page.index(ask) < page.index("Strengths")
    day_input = re.search(r'<input[^>]*name="review-review_on"[^>]*>', page).group(0)
    assert 'value=""' in day_input
    later = dt.date.today() + dt.timedelta(days=42)
    answered = client.post(
        f"/meetings/items/{item.id}/review",
        data={"review-review_on": later.isoformat()},
        headers=HTMX,
    )
    assert answered.status_code == 200
    page = _text(answered)
    assert "Mies comes back on the agenda from" in page
    # The answer shows where it was asked: at the top of the item.
    assert page.index("Mies comes back on the agenda from") < page.index("Strengths")
    assert "When does the team talk about" not in page
    assert _fresh(Client, cast.person_a).review_on == later


def test_meeting_mode_costs_the_same_with_5_or_60_items(app, cast, as_user):
    meeting = _meeting(cast)
    _many_people(cast, meeting, 5)
    with db.connection_context():
        Meeting.get_by_id(meeting.id).build_agenda(cast.a1)
    _start(cast, meeting)
    client = as_user(cast.a1)
    first = _items(meeting)[0]
    with count_queries() as few:
        client.get(f"/meetings/{meeting.id}/run/{first.id}", headers=HTMX)
    with db.connection_context():
        for n in range(55):
            AgendaItem.add(meeting, cast.a2, "question", f"Question {n}")
    with count_queries() as many:
        page = _text(client.get(f"/meetings/{meeting.id}/run/{first.id}", headers=HTMX))
    assert "Item 1 of 60" in page
    assert len(few) == len(many), many


def test_notes_are_saved_and_a_stale_save_keeps_both_texts(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    _start(cast, meeting)
    url = f"/meetings/items/{item.id}/notes"
    first = as_user(cast.a1).post(
        url, data={"notes-notes": "Cas covers March.", "notes-version": "1"}
    )
    assert first.status_code == 303
    assert first.headers["Location"] == f"/meetings/{meeting.id}/run/{item.id}#notes"
    stale = as_user(cast.a2).post(
        url,
        data={"notes-notes": "Bram covers the first weekend.", "notes-version": "1"},
        headers=HTMX,
    )
    page = _text(stale)
    assert stale.status_code == 409
    assert "Anna Aalders saved notes for this item" in page
    assert "Cas covers March." in page and "Bram covers the first weekend." in page
    assert 'name="notes-version" type="hidden" value="2"' in page
    assert _fresh(AgendaItem, item).notes == "Cas covers March."
    [saved] = _events("agenda_item", item.id, "update")
    assert json.loads(saved.changes)["after"]["notes"] == "Cas covers March."
    too_long = as_user(cast.a2).post(url, data={"notes-notes": "x" * 10001, "notes-version": "2"})
    assert too_long.status_code == 400
    assert "Keep it to 10000 characters or fewer." in _text(too_long)


def test_two_note_takers_saving_at_once_lose_nothing(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    _start(cast, meeting)
    url = f"/meetings/items/{item.id}/notes"
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    texts = {"Anna": "Cas covers March.", "Bram": "Bram covers the first weekend."}

    def save(client, text):
        return lambda: client.post(url, data={"notes-notes": text, "notes-version": "1"})

    results = _at_once(save(anna, texts["Anna"]), save(bram, texts["Bram"]), connect=False)
    assert sorted(r.status_code for r in results) == [303, 409]
    saved = _fresh(AgendaItem, item).notes
    winner = "Anna Aalders" if saved == texts["Anna"] else "Bram Bos"
    loser = next(r for r in results if r.status_code == 409)
    page = _text(loser)
    assert f"{winner} saved notes for this item" in page
    assert texts["Anna"] in page and texts["Bram"] in page


def test_a_task_goes_on_the_board_taken_on_by_someone_here(app, cast, as_user):
    meeting = _meeting(cast)
    item = _person_on_agenda(cast, meeting)
    cas = _member(cast, "Cas Claassen", "cas@a.example.org")
    _start(cast, meeting, cast.a1, cast.a2)
    url = f"/meetings/items/{item.id}/tasks"
    client = as_user(cast.a1)
    away = client.post(url, data={"task-title": "Ask the GP", "task-claimed_by": str(cas.id)})
    assert away.status_code == 400
    assert "Choose someone who is at the meeting." in _text(away)
    assert 'value="Ask the GP"' in _text(away)
    nobody = client.post(url, data={"task-title": "Ask the GP", "task-claimed_by": "0"})
    assert "Choose who takes it on: someone who is here." in _text(nobody)
    due = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        url,
        data={"task-title": "Ask the GP", "task-claimed_by": str(cast.a2.id), "task-due_on": due},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "On the board: “Ask the GP”, Bram has it." in _text(response)
    task = Task.get(Task.title == "Ask the GP")
    assert (task.claimed_by_id, task.client_id, task.meeting_item_id, task.status) == (
        cast.a2.id,
        cast.person_a.id,
        item.id,
        Task.OPEN,
    )
    assert _events("task", task.id, "create")


def test_a_new_review_date_is_set_at_the_meeting(app, cast, as_user):
    meeting = _meeting(cast)
    item = _person_on_agenda(cast, meeting)
    _start(cast, meeting)
    url = f"/meetings/items/{item.id}/review"
    client = as_user(cast.a1)
    day = dt.date.today() + dt.timedelta(days=42)
    response = client.post(url, data={"review-review_on": day.isoformat()})
    assert response.status_code == 303
    assert _fresh(Client, cast.person_a).review_on == day
    past = client.post(url, data={"review-review_on": "2020-01-01"})
    assert past.status_code == 400
    assert 'value="2020-01-01"' in _text(past)
    client.post(url, data={"review-clear": "y"})
    assert _fresh(Client, cast.person_a).review_on is None
    [set_it, cleared] = _events("person", cast.person_a.id, "review")
    assert json.loads(set_it.changes)["after"]["review_on"] == day.isoformat()
    assert json.loads(cleared.changes)["after"]["review_on"] is None


def test_discussed_resolves_the_flags_and_goes_to_the_next_open_item(app, cast, as_user):
    meeting = _meeting(cast)
    item = _person_on_agenda(cast, meeting)
    with db.connection_context():
        question = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    _start(cast, meeting)
    client = as_user(cast.a2)
    response = client.post(f"/meetings/items/{item.id}/discussed", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == f"/meetings/{meeting.id}/run/{question.id}"
    assert "“Mies Bakker” discussed." in _text(response)
    fresh = _fresh(AgendaItem, item)
    assert fresh.status == AgendaItem.DISCUSSED
    # Why she was on the agenda stays with the item after the flag is resolved.
    assert fresh.why == "Bram flagged: She fell twice this month"
    assert MeetingFlag.get(MeetingFlag.client == cast.person_a).resolved_at is not None
    anna = as_user(cast.a1)
    again = anna.post(f"/meetings/items/{item.id}/discussed")
    assert again.status_code == 303
    follow = _text(anna.get(again.headers["Location"]))
    assert "Bram Bos marked “Mies Bakker” discussed." in follow
    last = client.post(f"/meetings/items/{question.id}/discussed")
    assert last.headers["Location"] == f"/meetings/{meeting.id}/end"


def test_nothing_changes_before_the_meeting_starts_or_after_it_ends(app, cast, as_user):
    meeting = _meeting(cast)
    with db.connection_context():
        item = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    client = as_user(cast.a1)
    url = f"/meetings/items/{item.id}/notes"
    early = client.post(url, data={"notes-notes": "Too early", "notes-version": "1"})
    assert early.headers["Location"] == f"/meetings/{meeting.id}/run"
    meeting = _start(cast, meeting)
    with db.connection_context():
        meeting.end(cast.a1)
    late = client.post(url, data={"notes-notes": "Too late", "notes-version": "1"}, headers=HTMX)
    assert late.headers["HX-Location"] == f"/meetings/{meeting.id}/minutes"
    assert _fresh(AgendaItem, item).notes == ""
    assert (
        client.post(
            f"/meetings/{meeting.id}/items", data={"kind": "other", "title": "x"}
        ).status_code
        == 303
    )
    assert (
        client.get(f"/meetings/{meeting.id}").headers["Location"]
        == f"/meetings/{meeting.id}/minutes"
    )


# Ending the meeting


def test_ending_carries_open_items_to_a_meeting_two_weeks_on(app, cast, as_user):
    meeting = _meeting(cast, days=0)
    item = _person_on_agenda(cast, meeting)
    with db.connection_context():
        question = AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
        done = AgendaItem.add(meeting, cast.a1, "other", "Holidays")
    meeting = _start(cast, meeting)
    with db.connection_context():
        assert AgendaItem.get_by_id(done.id).mark_discussed(cast.a1)
        AgendaItem.get_by_id(question.id).write_notes(cast.a1, 1, "Half way")
    client = as_user(cast.a1)
    summary = _text(client.get(f"/meetings/{meeting.id}/end"))
    assert "1 of 3 items discussed. 2 still open go to the next meeting" in summary
    response = client.post(f"/meetings/{meeting.id}/end")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/meetings/{meeting.id}/minutes"
    assert _fresh(Meeting, meeting).status == Meeting.DONE
    following = Meeting.get(Meeting.status == Meeting.PLANNED)
    assert following.held_on == meeting.held_on + dt.timedelta(days=14)
    assert (following.starts_at, following.place) == (meeting.starts_at, meeting.place)
    carried = _items(following)
    assert [(i.title, i.carried_from_id) for i in carried] == [
        ("Mies Bakker", item.id),
        ("Weekend cover", question.id),
    ]
    assert {i.status for i in _items(meeting)} == {AgendaItem.CARRIED, AgendaItem.DISCUSSED}
    page = _text(client.get(f"/meetings/{following.id}"))
    assert "Carried over from the meeting of" in page and "notes then: “Half way”" in page
    # Building the new agenda adds Mies (still flagged) no second time.
    assert len(_items(following)) == 2


def test_two_members_ending_at_once_end_it_once(app, cast, as_user):
    meeting = _meeting(cast, days=0)
    with db.connection_context():
        AgendaItem.add(meeting, cast.a1, "question", "Weekend cover")
    _start(cast, meeting)
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    url = f"/meetings/{meeting.id}/end"
    results = _at_once(lambda: anna.post(url), lambda: bram.post(url), connect=False)
    assert [r.status_code for r in results] == [303, 303]
    [ended] = _events("meeting", meeting.id, "end")
    assert Meeting.select().where(Meeting.status == Meeting.PLANNED).count() == 1
    assert AgendaItem.select().where(AgendaItem.carried_from.is_null(False)).count() == 1
    loser = bram if ended.actor_id == cast.a1.id else anna
    winner = "Anna Aalders" if ended.actor_id == cast.a1.id else "Bram Bos"
    page = _text(loser.get(f"/meetings/{meeting.id}/minutes"))
    assert f"{winner} ended this meeting already." in page


def test_open_items_go_to_the_meeting_already_planned(app, cast):
    meeting = _meeting(cast, days=0)
    item = _person_on_agenda(cast, meeting)
    _start(cast, meeting)
    with db.connection_context():
        # The next meeting is planned while this one runs: Mies is on it already.
        following = Meeting.plan(
            cast.team_a, cast.a2, held_on=dt.date.today() + dt.timedelta(days=10)
        )
        following.build_agenda(cast.a2)
        following_item, carried = Meeting.get_by_id(meeting.id).end(cast.a1)
    assert following_item.id == following.id
    [mies] = _items(following)
    assert mies.carried_from_id == item.id
    assert carried == 0


# The minutes and the meeting pack


@pytest.fixture
def held(app, cast):
    """A meeting held: Anna facilitated, Bram took notes, Mies discussed with notes,
    a task and a new review date, a proposal adopted after an objection."""
    with db.connection_context():
        Meeting.create(
            team=cast.team_a,
            held_on=dt.date.today() - dt.timedelta(days=14),
            status=Meeting.DONE,
            created_by=cast.a1,
        )
    meeting = _meeting(cast, days=0, facilitator=cast.a1, note_taker=cast.a2)
    item = _person_on_agenda(cast, meeting)
    _start(cast, meeting, accept=True)
    with db.connection_context():
        item = AgendaItem.get_by_id(item.id)
        item.write_notes(cast.a2, item.version, "Fell at night. Her daughter Ellen stays over.")
        item.add_task(cast.a1, "Ask Ellen about a night light", cast.a2)
        item.mark_discussed(cast.a1)
        cast.person_a.set_review_date(cast.a1, dt.date.today() + dt.timedelta(days=42))
        decision = Decision.propose(
            cast.team_a,
            cast.a1,
            "From next month we take no new people in Oost-Noord until two of us are back",
            "Keep the care we give good",
            meeting=meeting,
        )
        step = decision.add_step(
            cast.a1, DecisionStep.OBJECTION, "The GP has no other team", member=cast.a2
        )
        decision.resolve(cast.a1, step, "Urgent referrals are still accepted", resolved_by=cast.a2)
        decision.adopt(cast.a1, decision.version, dt.date.today() + dt.timedelta(days=90))
        Meeting.get_by_id(meeting.id).end(cast.a1)
    return meeting


def test_the_minutes_are_written_by_the_app(app, cast, as_user, held):
    page = _text(as_user(cast.a2).get(f"/meetings/{held.id}/minutes"))
    assert "Facilitator</dt><dd>Anna Aalders" in page
    assert "Note-taker</dt><dd>Bram Bos" in page
    assert "Present (2)</dt><dd>Anna Aalders, Bram Bos" in page
    assert "Notes of the previous meeting</dt><dd>accepted" in page
    assert "Fell at night. Her daughter Ellen stays over." in page
    assert "Ask Ellen about a night light · Bram Bos" in page
    assert "From next month we take no new people in Oost-Noord" in page
    assert "Objection by Bram Bos: “The GP has no other team” · resolved by Bram Bos: " in page
    assert "Why on the agenda: Bram flagged: She fell twice this month" in page


def test_the_minutes_cost_the_same_with_5_or_60_items(app, cast, as_user):
    meeting = _meeting(cast, days=0)
    _start(cast, meeting)

    def discuss(count, start):
        with db.connection_context():
            for n in range(start, start + count):
                item = AgendaItem.add(meeting, cast.a1, "question", f"Question {n}")
                item.write_notes(cast.a1, 1, f"Notes {n}")
                item.add_task(cast.a1, f"Task {n}", cast.a2)

    client = as_user(cast.a2)
    discuss(5, 0)
    with count_queries() as few:
        client.get(f"/meetings/{meeting.id}/minutes")
    discuss(55, 5)
    with count_queries() as many:
        page = _text(client.get(f"/meetings/{meeting.id}/minutes"))
    assert page.count("Task 5 · Bram Bos") == 1 and "Notes 59" in page
    assert len(few) == len(many), many


def test_the_meeting_pack_is_a_pdf_and_each_person_s_history_says_so(app, cast, as_user, held):
    response = as_user(cast.a1).get(f"/meetings/{held.id}/pack.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "meeting-" in response.headers["Content-Disposition"]
    [printed] = AuditEvent.select().where(
        AuditEvent.client == cast.person_a, AuditEvent.entity == "meeting_pack"
    )
    assert (printed.action, printed.entity_id, printed.actor_id) == ("export", held.id, cast.a1.id)


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def test_the_pack_s_header_keeps_a_line_that_just_fits_on_one_line(app, cast, as_user, tmp_path):
    # As the demo's meeting had it: WeasyPrint put "The" alone on the first line.
    ingrid = _member(cast, "Ingrid Smit", "ingrid@a.example.org")
    priya = _member(cast, "Priya Raghunathan", "priya@a.example.org")
    meeting = _meeting(
        cast, place="The team room above Apotheek Dapper", facilitator=ingrid, note_taker=priya
    )
    text = _pdf_text(tmp_path, as_user(cast.a1).get(f"/meetings/{meeting.id}/pack.pdf").data)
    lines = [line.strip() for line in text.splitlines()]
    assert (
        "The team room above Apotheek Dapper · Facilitator: Ingrid Smit · "
        "Note-taker: Priya Raghunathan"
    ) in lines, lines[:6]


def test_the_pseudonymised_pack_has_no_names_addresses_or_phone_numbers(
    app, cast, as_user, held, tmp_path
):
    client = as_user(cast.a1)
    named = _pdf_text(tmp_path, client.get(f"/meetings/{held.id}/pack.pdf").data)
    assert "Mies Bakker" in named and "Dapperstraat 12" in named and "06-12345678" in named
    assert "Ellen" in named
    response = client.get(f"/meetings/{held.id}/pack.pdf?pseudonymised=1")
    text = _pdf_text(tmp_path, response.data)
    assert "pseudonymised" in response.headers["Content-Disposition"]
    for secret in ("Mies", "Bakker", "Dapperstraat", "06-12345678", "Ellen"):
        assert secret not in text, secret
    assert cast.person_a.pseudonym in text  # "M.B. #1"
    assert "[family] stays over" in text  # the daughter in the notes, by relation
    assert "Fell at night." in text and "Still cooks" in text
    assert "In their 80s" in text
    # Look at it: the pages as pictures, next to the browser tests' screenshots.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pseudo.pdf").write_bytes(response.data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            str(tmp_path / "pseudo.pdf"),
            str(SCREENSHOTS / "pack-pseudonymised"),
        ],
        check=True,
    )
    assert (SCREENSHOTS / "pack-pseudonymised-1.png").exists()


# From the person's page


def test_a_person_is_flagged_for_the_meeting_from_their_page(app, cast, as_user):
    client = as_user(cast.a2)
    url = f"/people/{cast.person_a.id}"
    page = _text(client.get(url))
    assert 'href="/meetings/people/1/flag"'.replace("1", str(cast.person_a.id)) in page
    assert "No review date." in page
    form = client.get(f"/meetings/people/{cast.person_a.id}/flag", headers=HTMX)
    assert "<html" not in _text(form) and 'name="flag-reason"' in _text(form)
    empty = client.post(f"/meetings/people/{cast.person_a.id}/flag", data={"flag-reason": "  "})
    assert empty.status_code == 400
    assert "Say why, in a few words: the team reads it on the agenda." in _text(empty)
    long = client.post(f"/meetings/people/{cast.person_a.id}/flag", data={"flag-reason": "y" * 301})
    assert long.status_code == 400 and "y" * 301 in _text(long)
    response = client.post(
        f"/meetings/people/{cast.person_a.id}/flag",
        data={"flag-reason": "Her daughter asked us to talk about nights"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Mies Bakker is flagged for the next meeting" in _text(response)
    [flag] = MeetingFlag.select()
    assert (flag.client_id, flag.flagged_by_id, flag.resolved_at) == (
        cast.person_a.id,
        cast.a2.id,
        None,
    )
    page = _text(client.get(url))
    assert "Flagged by Bram Bos" in page and "Her daughter asked us to talk about nights" in page
    history = _text(client.get(f"/people/{cast.person_a.id}/history"))
    assert "Flagged for the team meeting" in history


def test_a_review_date_is_set_and_cleared_from_the_person_s_page(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/meetings/people/{cast.person_a.id}/review"
    day = dt.date.today() + dt.timedelta(days=30)
    assert client.post(url, data={"review-review_on": day.isoformat()}).status_code == 303
    assert _fresh(Client, cast.person_a).review_on == day
    page = _text(client.get(f"/people/{cast.person_a.id}"))
    assert "Review date: " in page and "Change the review date" in page
    past = client.post(url, data={"review-review_on": "2021-05-05"})
    assert past.status_code == 400 and "This date has passed" in _text(past)
    assert _fresh(Client, cast.person_a).review_on == day
    client.post(url, data={"review-clear": "y"})
    assert _fresh(Client, cast.person_a).review_on is None


def test_the_coach_and_other_teams_cannot_flag_or_date_a_person(app, cast, as_user):
    for path in ("flag", "review"):
        url = f"/meetings/people/{cast.person_a.id}/{path}"
        data = {"flag-reason": "x", "review-review_on": "2030-01-01"}
        assert as_user(cast.coach_a).post(url, data=data).status_code == 403
        assert as_user(cast.b1).post(url, data=data).status_code == 404
    assert MeetingFlag.select().count() == 0
    assert _fresh(Client, cast.person_a).review_on is None


def test_meetings_are_in_the_member_s_navigation(app, cast, as_user):
    page = _text(as_user(cast.a1).get("/meetings/"))
    assert re.search(r'<a href="/meetings/"[^>]*aria-current="page"[^>]*>Meetings</a>', page)
    caseload = _text(as_user(cast.a1).get("/caseload"))
    assert re.search(r'<a href="/meetings/"[^>]*>Meetings</a>', caseload)


def test_the_demo_team_has_meetings_to_show_and_one_to_prepare(app, demo_team):
    from conftest import login

    from teamcase.demo import DEMO_PASSWORD

    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        team = anna.team
        held = list(Meeting.held(team))
        upcoming = Meeting.planned_for(team)
        flagged = MeetingFlag.open_in(team)
        own = [i for i in _items(upcoming) if i.added_by_id and not i.carried_from_id]
    assert len(held) == 7
    days = [m.held_on for m in held]
    assert all(a - b == dt.timedelta(days=14) for a, b in zip(days, days[1:], strict=False))
    facilitators = [m.facilitator_id for m in held]
    assert all(a != b for a, b in zip(facilitators, facilitators[1:], strict=False))
    assert all(m.present >= 6 and m.discussed >= 3 for m in held)
    assert len(flagged) == 2 and len(own) == 3
    assert upcoming.held_on == held[0].held_on + dt.timedelta(days=14)
    member = app.test_client()
    login(member, anna, DEMO_PASSWORD)
    agenda = _text(member.get(f"/meetings/{upcoming.id}"))
    assert agenda.count(" flagged: “") == 2
    assert agenda.count("Review date ") >= 3
    assert "Carried over from the meeting of" in agenda
    assert "We visit new people in pairs the first time" in agenda
    example = Decision.get(Decision.proposal.startswith("From next month we take no new"))
    minutes = _text(member.get(f"/meetings/{example.meeting_id}/minutes"))
    assert "From next month we take no new people" in minutes
    assert "Objection by " in minutes and "no other nursing team" in minutes
