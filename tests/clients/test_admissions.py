"""Hospital admissions and emergency visits on the person's page, and "How it is
going": the person's own outcomes over the last twelve months."""

import datetime as dt
import json
import re

from conftest import count_queries

from teamcase.dates import local_today
from teamcase.measures.outcomes import person_outcomes
from teamcase.models import Admission, AuditEvent, Client, Goal, NetworkMember

HTMX = {"HX-Request": "true"}


def _admission(prefix="admissions", **overrides):
    data = {
        "happened_on": (local_today() - dt.timedelta(days=3)).isoformat(),
        "kind": "emergency",
        "why": "Short of breath in the night",
    }
    data.update(overrides)
    return {f"{prefix}-{k}": v for k, v in data.items() if v is not None}


def _page(client, cast) -> str:
    return client.get(f"/people/{cast.person_a.id}").data.decode()


def _quiet_person(cast):
    """Someone of team A with nothing yet that "How it is going" could show."""
    return Client.open(cast.team_a, by=cast.a1, name="Joop Stil", phone="06-1")


def test_it_writes_down_an_emergency_visit(app, cast, as_user):
    client = as_user(cast.a2)
    response = client.post(f"/people/{cast.person_a.id}/admissions", data=_admission())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/people/{cast.person_a.id}#outcomes")
    saved = Admission.get(Admission.why == "Short of breath in the night")
    assert (saved.client_id, saved.kind, saved.planned) == (cast.person_a.id, "emergency", False)
    assert saved.happened_on == local_today() - dt.timedelta(days=3)
    page = _page(client, cast)
    assert "Short of breath in the night" in page
    assert "Emergency department visit" in page
    event = AuditEvent.get(AuditEvent.entity == "admission", AuditEvent.entity_id == saved.id)
    assert event.action == "create"
    assert json.loads(event.changes)["after"]["why"] == "Short of breath in the night"


def test_a_planned_admission_is_told_apart(app, cast, as_user):
    client = as_user(cast.a1)
    data = _admission(kind="hospital", planned="y", why="New hip")
    assert client.post(f"/people/{cast.person_a.id}/admissions", data=data).status_code == 303
    assert Admission.get(Admission.why == "New hip").planned is True
    page = _page(client, cast)
    # The cast's unplanned fall and this planned hip: two admissions, one unplanned.
    assert "Hospital admissions in the last 12 months" in page
    assert "2, of which 1 unplanned" in page


def test_an_htmx_add_answers_with_both_cards_and_their_new_counts(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/admissions", data=_admission(), headers=HTMX
    )
    body = response.data.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="outcomes"')
    assert response.headers["HX-Retarget"] == "#outcomes"
    assert "Short of breath in the night" in body
    assert "Emergency visits in the last 12 months" in body
    assert "<html" not in body


def test_the_add_form_is_a_link_away_and_starts_today(app, cast, as_user):
    client = as_user(cast.a1)
    page = _page(client, cast)
    assert f'href="/people/{cast.person_a.id}/admissions"' in page
    assert 'name="admissions-kind"' not in page
    form = client.get(f"/people/{cast.person_a.id}/admissions", headers=HTMX).data.decode()
    assert "<html" not in form
    assert f'value="{local_today().isoformat()}"' in form
    assert "Out-of-hours GP" in form and "Ambulance, not taken in" in form
    # Loaded into the page, its ids must not clash with the page's own.
    ids = set(re.findall(r'\sid="([^"]+)"', form))
    assert ids and not ids & set(re.findall(r'\sid="([^"]+)"', page))


def test_without_javascript_the_add_form_is_a_page_of_its_own(app, cast, as_user):
    events = AuditEvent.select().count()
    response = as_user(cast.a1).get(f"/people/{cast.person_a.id}/admissions")
    page = response.data.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert "<h1>Add a hospital admission or emergency visit</h1>" in page
    assert f'href="/people/{cast.person_a.id}#outcomes"' in page  # back, and Cancel
    assert 'name="admissions-why"' in page
    assert AuditEvent.select().count() == events
    assert Admission.select().count() == 1


def test_bad_input_says_what_to_fix_and_keeps_what_was_typed(app, cast, as_user):
    future = (local_today() + dt.timedelta(days=2)).isoformat()
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/admissions",
        data=_admission(kind=None, happened_on=future, why="Typed why"),
        headers=HTMX,
    )
    assert response.status_code == 400
    body = response.data.decode()
    assert body.lstrip().startswith('<div id="outcomes"')
    assert "Choose what it was." in body
    assert "This is in the future. Write it down once it has happened." in body
    assert 'value="Typed why"' in body
    assert Admission.select().count() == 1  # the cast's


def test_a_date_that_is_no_date_is_refused_not_a_crash(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/admissions", data=_admission(happened_on="31-02-2026")
    )
    assert response.status_code == 400
    assert Admission.select().count() == 1


def test_over_long_why_is_refused(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/admissions", data=_admission(why="x" * 301)
    )
    assert response.status_code == 400
    assert "Keep it to 300 characters or fewer." in response.data.decode()
    assert Admission.select().count() == 1


def test_an_edit_saves_and_a_stale_edit_is_refused(app, cast, as_user):
    admission_id = cast.parts["admissions"]
    prefix = f"admissions-{admission_id}"
    url = f"/admissions/{admission_id}/edit"
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    form = anna.get(url).data.decode()
    assert 'value="Fell in the bathroom"' in form
    day = (local_today() - dt.timedelta(days=20)).isoformat()
    saved = anna.post(
        url,
        data=_admission(prefix, happened_on=day, kind="hospital", why="Broke her wrist")
        | {f"{prefix}-version": "1"},
    )
    assert saved.status_code == 303
    stale = bram.post(
        url,
        data=_admission(prefix, happened_on=day, kind="out_of_hours", why="Saw the GP post")
        | {f"{prefix}-version": "1"},
    )
    assert stale.status_code == 409
    assert b"Anna Aalders saved changes to this admission or emergency visit" in stale.data
    assert b'value="Saw the GP post"' in stale.data
    # What is saved now, the kind by its label.
    assert "Where they went, or who came" in stale.data.decode()
    assert "Hospital admission" in stale.data.decode()
    admission = Admission.get_by_id(admission_id)
    assert (admission.why, admission.kind, admission.version) == ("Broke her wrist", "hospital", 2)
    change = AuditEvent.get(AuditEvent.entity == "admission", AuditEvent.action == "update")
    assert json.loads(change.changes)["before"]["why"] == "Fell in the bathroom"


def test_remove_asks_once_and_the_history_keeps_what_it_said(app, cast, as_user):
    admission_id = cast.parts["admissions"]
    client = as_user(cast.a1)
    question = client.get(f"/admissions/{admission_id}/delete", headers=HTMX)
    assert question.status_code == 200
    body = question.data.decode()
    assert "Remove this admission or emergency visit?" in body
    assert "Hospital admission" in body and "Fell in the bathroom" in body
    assert Admission.select().count() == 1, "asking changes nothing"

    response = client.post(f"/admissions/{admission_id}/delete")
    assert response.status_code == 303
    assert not Admission.select().exists()
    removal = AuditEvent.get(AuditEvent.entity == "admission", AuditEvent.action == "delete")
    assert json.loads(removal.changes)["before"]["why"] == "Fell in the bathroom"
    history = client.get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Removed a hospital admission or emergency visit" in history
    assert "Added a hospital admission or emergency visit" in history
    assert "was Hospital admission" in history  # the kind by its label, not its code


def test_another_team_and_the_coach_cannot_reach_it(app, cast, as_user):
    admission_id = cast.parts["admissions"]
    for user, status in ((cast.b1, 404), (cast.coach_a, 403)):
        client = as_user(user)
        assert client.get(f"/admissions/{admission_id}/edit").status_code == status
        assert client.post(f"/admissions/{admission_id}/delete").status_code == status
        added = client.post(f"/people/{cast.person_a.id}/admissions", data=_admission())
        assert added.status_code == status
    assert Admission.select().count() == 1
    assert Admission.get_by_id(admission_id).why == "Fell in the bathroom"


def test_how_it_is_going_shows_only_when_there_is_something_to_show(app, cast, as_user):
    quiet = _quiet_person(cast)
    client = as_user(cast.a1)
    page = client.get(f"/people/{quiet.id}").data.decode()
    assert "How it is going" not in page
    # The admissions card is there all the same, to write the first one down.
    assert "Hospital and emergency visits" in page
    assert "None written down." in page
    # A network recorded today has not had time to grow: still nothing to show.
    NetworkMember.add(quiet, cast.a1, name="Els", relation="family", tie="strong")
    assert "How it is going" not in client.get(f"/people/{quiet.id}").data.decode()


def test_how_it_is_going_tells_strong_ties_then_and_now(app, cast, as_user):
    quiet = _quiet_person(cast)
    first = local_today() - dt.timedelta(days=90)
    NetworkMember.add(quiet, cast.a1, name="Els", relation="family", tie="strong", since=first)
    NetworkMember.add(quiet, cast.a1, name="Wim", relation="neighbour", tie="weak", since=first)
    later = local_today() - dt.timedelta(days=30)
    NetworkMember.add(quiet, cast.a1, name="Koor", relation="community", tie="strong", since=later)
    NetworkMember.add(quiet, cast.a1, name="Ria", relation="friend", tie="strong", since=later)
    page = as_user(cast.a1).get(f"/people/{quiet.id}").data.decode()
    assert "How it is going" in page
    assert "1 when first recorded" in page
    assert "<strong>3 now</strong>" in page


def test_a_goal_keeps_the_day_it_ended_and_how_it_is_going_counts_it(app, cast, as_user):
    goal = cast.goal_a
    client = as_user(cast.a1)
    data = {
        f"goal-{goal.id}-{k}": v
        for k, v in {
            "words": goal.words,
            "why": "",
            "status": "achieved",
            "story": "She walks there with Els now.",
            "review_on": "",
            "help_wanted": "",
            "version": "1",
        }.items()
    }
    assert client.post(f"/goals/{goal.id}/edit", data=data).status_code == 303
    assert Goal.get_by_id(goal.id).ended_on == local_today()
    page = _page(client, cast)
    assert "Goals in the last 12 months" in page
    assert "1 achieved, 0 let go" in page
    month = local_today().strftime("%B %Y")
    assert f"{month}: 1 achieved, 0 let go" in page

    # Taken up again: it has not ended.
    data[f"goal-{goal.id}-status"] = "active"
    data[f"goal-{goal.id}-version"] = "2"
    assert client.post(f"/goals/{goal.id}/edit", data=data).status_code == 303
    assert Goal.get_by_id(goal.id).ended_on is None


def test_a_goal_corrected_from_achieved_to_let_go_keeps_the_day_it_ended(app, cast):
    goal = Goal.add(cast.person_a, cast.a1, words="Sleep", status="achieved", story="Pills help")
    Goal.update(ended_on=dt.date(2026, 3, 2)).where(Goal.id == goal.id).execute()
    goal = Goal.get_by_id(goal.id)
    assert goal.change(cast.a1, goal.version, status="let_go", story="They did not help")
    assert Goal.get_by_id(goal.id).ended_on == dt.date(2026, 3, 2)


def test_a_goal_written_down_as_ended_ends_that_day(app, cast):
    goal = Goal.add(cast.person_a, cast.a1, words="Sleep", status="let_go", story="Pills help")
    assert goal.ended_on == local_today()
    assert Goal.add(cast.person_a, cast.a1, words="Walk").ended_on is None


def test_the_persons_outcomes_take_three_queries_however_long_the_record(app, cast):
    person = cast.person_a
    with count_queries() as few:
        person_outcomes(person)
    today = local_today()
    Admission.insert_many(
        [
            {"client": person, "happened_on": today - dt.timedelta(days=9 * i), "kind": "ambulance"}
            for i in range(80)
        ]
    ).execute()
    Goal.insert_many(
        [
            {
                "client": person,
                "words": f"g{i}",
                "status": "achieved",
                "ended_on": today - dt.timedelta(days=4 * i),
            }
            for i in range(80)
        ]
    ).execute()
    with count_queries() as many:
        outcomes = person_outcomes(person)
    assert len(few) == len(many) == 3, many
    # 80 ambulance call-outs nine days apart: those of the last twelve months count.
    first = outcomes.year.months[0]
    expected = sum(1 for i in range(80) if today - dt.timedelta(days=9 * i) >= first)
    assert sum(outcomes.year.emergency_unplanned) == expected
    assert outcomes.in_year["admissions"] == 1  # the cast's fall
    assert len(outcomes.admissions) == 81
