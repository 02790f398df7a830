import datetime as dt
import json

import pytest
from conftest import PASSWORD, count_queries

from teamcase.clients import goals as goals_module
from teamcase.models import AuditEvent, Contact, Goal, NetworkMember, Step, utcnow

HTMX = {"HX-Request": "true"}


def _goal(**overrides):
    """The add-goal form as the page sends it (its fields carry the prefix "new-goal")."""
    data = {
        "words": "I want to walk to the market on Saturdays again",
        "why": "To see people and buy my own fish",
        "review_on": "",
        "help_wanted": "",
    }
    data.update(overrides)
    return {f"new-goal-{k}": v for k, v in data.items()}


def _goal_edit(goal, **overrides):
    data = {
        "words": goal.words,
        "why": goal.why,
        "status": goal.status,
        "story": goal.story,
        "review_on": goal.review_on.isoformat() if goal.review_on else "",
        "help_wanted": goal.help_wanted,
        "version": str(goal.version),
    }
    data.update(overrides)
    return {f"goal-{goal.id}-{k}": v for k, v in data.items()}


def _step(goal_id, **overrides):
    data = {"text": "Walk to the corner twice a week", "helper": "person", "due_on": ""}
    data.update(overrides)
    return {f"new-step-{goal_id}-{k}": v for k, v in data.items()}


def _step_edit(step, **overrides):
    data = {
        "text": step.text,
        "helper": "person",
        "due_on": step.due_on.isoformat() if step.due_on else "",
        "version": str(step.version),
    }
    data.update(overrides)
    return {f"step-{step.id}-{k}": v for k, v in data.items()}


def _jansen(cast):
    return NetworkMember.add(
        cast.person_a, cast.a1, name="Mrs Jansen", relation="neighbour", tie="moderate"
    )


def _visit(**overrides):
    data = {"kind": "home_visit", "minutes": "30", "happened_at": "2026-01-05T10:30", "note": ""}
    data.update(overrides)
    return data


def _events(entity, action):
    return list(
        AuditEvent.select()
        .where(AuditEvent.entity == entity, AuditEvent.action == action)
        .order_by(AuditEvent.id)
    )


# Goals


def test_it_adds_a_goal_in_the_person_s_own_words(app, cast, as_user):
    review = dt.date.today() + dt.timedelta(weeks=6)
    response = as_user(cast.a2).post(
        f"/people/{cast.person_a.id}/goals",
        data=_goal(
            review_on=review.isoformat(), help_wanted="Someone to walk with on Saturday mornings"
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/people/{cast.person_a.id}#goals"
    goal = Goal.get(Goal.id != cast.goal_a.id)
    assert (goal.client_id, goal.status, goal.review_on) == (cast.person_a.id, "active", review)
    assert goal.why == "To see people and buy my own fish"
    assert goal.help_wanted == "Someone to walk with on Saturday mornings"
    event = _events("goal", "create")[-1]
    assert (event.actor_id, event.client_id, event.entity_id) == (
        cast.a2.id,
        cast.person_a.id,
        goal.id,
    )
    assert json.loads(event.changes)["after"]["words"] == goal.words


def test_a_goal_needs_words_and_bad_input_keeps_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/goals",
        data=_goal(words="  ", why="To see people", review_on="not a date"),
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert "Write down what they want, as they said it." in page
    assert "Not a valid date value." in page
    assert "To see people</textarea>" in page
    assert 'value="not a date"' in page
    assert Goal.select().count() == 1  # only the cast's


def test_htmx_gets_the_goals_section_alone(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.post(
        f"/people/{cast.person_a.id}/goals", data=_goal(words="Cook for my grandson"), headers=HTMX
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#goals"
    assert page.lstrip().startswith('<section id="goals"')
    assert "<html" not in page
    assert "Cook for my grandson" in page

    bad = client.post(f"/people/{cast.person_a.id}/goals", data=_goal(words=""), headers=HTMX)
    assert bad.status_code == 400
    assert bad.data.decode().lstrip().startswith('<section id="goals"')
    assert b"Write down what they want" in bad.data
    assert b"<html" not in bad.data


def test_it_edits_a_goal_and_audits_before_and_after(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/goals/{cast.goal_a.id}/edit"
    form = client.get(url).data.decode()
    assert 'value="I want to walk to the market on Saturdays again"' in form
    response = client.post(
        url, data=_goal_edit(cast.goal_a, why="To buy my own fish", help_wanted="A walking buddy")
    )
    assert response.status_code == 303
    goal = Goal.get_by_id(cast.goal_a.id)
    assert (goal.why, goal.help_wanted, goal.version) == (
        "To buy my own fish",
        "A walking buddy",
        2,
    )
    changes = json.loads(_events("goal", "update")[-1].changes)
    assert (changes["before"]["why"], changes["after"]["why"]) == ("", "To buy my own fish")


def test_the_edit_form_comes_alone_for_htmx(app, cast, as_user):
    response = as_user(cast.a1).get(f"/goals/{cast.goal_a.id}/edit", headers=HTMX)
    assert response.status_code == 200
    assert f'id="edit-goal-{cast.goal_a.id}"'.encode() in response.data
    assert b"<html" not in response.data


@pytest.mark.parametrize("status", ["achieved", "let_go"])
def test_closing_a_goal_asks_for_the_story(app, cast, as_user, status):
    client = as_user(cast.a1)
    url = f"/goals/{cast.goal_a.id}/edit"
    response = client.post(url, data=_goal_edit(cast.goal_a, status=status, why="Typed why"))
    assert response.status_code == 400
    assert b"Tell in a few words what happened" in response.data
    assert b"Typed why" in response.data
    assert Goal.get_by_id(cast.goal_a.id).status == "active"

    story = "She walked to the market with Mrs Jansen on 4 April."
    response = client.post(url, data=_goal_edit(cast.goal_a, status=status, story=story))
    assert response.status_code == 303
    goal = Goal.get_by_id(cast.goal_a.id)
    assert (goal.status, goal.story) == (status, story)
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    closed = page[page.index("Achieved and let go") :]
    assert story in closed
    assert str(Goal.STATUSES[status]) in closed
    assert "I want to walk to the market" in closed


def test_a_stale_goal_save_is_refused_and_keeps_what_was_typed(app, cast, as_user):
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    url = f"/goals/{cast.goal_a.id}/edit"
    assert anna.post(url, data=_goal_edit(cast.goal_a, why="Anna's why")).status_code == 303
    response = bram.post(url, data=_goal_edit(cast.goal_a, why="Bram's why"))
    page = response.data.decode()
    assert response.status_code == 409
    assert "Anna Aalders saved changes to this goal" in page
    assert "Bram&#39;s why" in page
    assert 'value="2"' in page  # the next save is a deliberate choice
    assert Goal.get_by_id(cast.goal_a.id).why == "Anna's why"


def test_active_goals_come_first_in_the_person_s_words(app, cast, as_user):
    Goal.add(cast.person_a, cast.a1, words="Sleep through the night", status="let_go", story="x")
    Goal.add(cast.person_a, cast.a1, words="Bake bread for the neighbours")
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    start = page.index('<section id="goals"')
    section = page[start : page.index("</section>", start)]
    assert "<q>I want to walk to the market on Saturdays again</q>" in section
    assert section.index("Bake bread") < section.index("Achieved and let go")
    assert section.index("Achieved and let go") < section.index("Sleep through the night")


# Steps


def test_it_adds_steps_with_each_kind_of_helper(app, cast, as_user):
    jansen = _jansen(cast)
    client = as_user(cast.a1)
    url = f"/goals/{cast.goal_a.id}/steps"
    by = dt.date.today() + dt.timedelta(weeks=3)
    responses = [
        client.post(url, data=_step(cast.goal_a.id, text="Buy new shoes")),
        client.post(
            url,
            data=_step(
                cast.goal_a.id,
                text="Walk to the corner twice a week with the neighbour",
                helper=f"network-{jansen.id}",
                due_on=by.isoformat(),
            ),
        ),
        client.post(
            url,
            data=_step(
                cast.goal_a.id, text="Check her feet every visit", helper=f"member-{cast.a2.id}"
            ),
        ),
    ]
    assert [r.status_code for r in responses] == [303, 303, 303]
    added = {s.text: s for s in Step.select().where(Step.id != cast.parts["steps"])}
    shoes = added["Buy new shoes"]
    assert (shoes.helper_kind, shoes.network_member_id, shoes.member_id) == ("person", None, None)
    walk = added["Walk to the corner twice a week with the neighbour"]
    assert (walk.helper_kind, walk.network_member_id, walk.due_on) == ("network", jansen.id, by)
    feet = added["Check her feet every visit"]
    assert (feet.helper_kind, feet.member_id) == ("member", cast.a2.id)
    assert len(_events("step", "create")) == 4  # the cast's and these three

    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert "with Mrs Jansen" in page
    assert f"by {by.strftime('%-d %b %Y')}" in page
    assert "with Bram Bos from the team" in page
    assert "Mies does it" in page


def test_the_helper_choices_are_the_person_their_network_and_the_team(app, cast, as_user):
    _jansen(cast)
    page = as_user(cast.a1).get(f"/goals/{cast.goal_a.id}/steps").data.decode()
    form = page[page.index(f'name="new-step-{cast.goal_a.id}-helper"') :]
    form = form[: form.index("</select>")]
    assert 'label="Someone around them"' in form
    assert "Mrs Jansen (neighbour)" in form
    assert "Bram Bos" in form
    assert "Cor de Boer" not in form


@pytest.mark.parametrize("who", ["network_of_b", "member_of_b", "ended", "nonsense"])
def test_it_refuses_a_helper_who_is_not_this_person_s_or_team_s(app, cast, as_user, who):
    ended = _jansen(cast)
    ended.end(cast.a1, ended.version)
    theirs = NetworkMember.add(cast.person_b, cast.b1, name="Piet", relation="friend")
    helper = {
        "network_of_b": f"network-{theirs.id}",
        "member_of_b": f"member-{cast.b1.id}",
        "ended": f"network-{ended.id}",
        "nonsense": "network-abc",
    }[who]
    response = as_user(cast.a1).post(
        f"/goals/{cast.goal_a.id}/steps",
        data=_step(cast.goal_a.id, text="Typed step", helper=helper),
    )
    assert response.status_code == 400
    assert b"Choose who helps from the list" in response.data
    assert b'value="Typed step"' in response.data
    assert Step.select().count() == 1


def test_a_step_needs_words(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/goals/{cast.goal_a.id}/steps",
        data=_step(cast.goal_a.id, text="", due_on="2026-02-30"),
        headers=HTMX,
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert page.lstrip().startswith('<section id="goals"')
    assert "Describe the step." in page
    assert 'value="2026-02-30"' in page


def test_it_edits_a_step_and_keeps_a_helper_who_has_left_the_network(app, cast, as_user):
    jansen = _jansen(cast)
    step = Step.add(cast.goal_a, cast.a1, text="Walk", helper_kind="network", network_member=jansen)
    jansen.end(cast.a1, jansen.version)
    client = as_user(cast.a2)
    url = f"/steps/{step.id}/edit"
    form = client.get(url).data.decode()
    assert f'<option selected value="network-{jansen.id}">' in form
    response = client.post(
        url, data=_step_edit(step, text="Walk to the corner", helper=f"network-{jansen.id}")
    )
    assert response.status_code == 303
    step = Step.get_by_id(step.id)
    assert (step.text, step.network_member_id, step.version) == ("Walk to the corner", jansen.id, 2)
    response = client.post(url, data=_step_edit(step, helper=f"member-{cast.a1.id}"))
    assert response.status_code == 303
    step = Step.get_by_id(step.id)
    assert (step.helper_kind, step.network_member_id, step.member_id) == (
        "member",
        None,
        cast.a1.id,
    )
    changes = json.loads(_events("step", "update")[-1].changes)
    assert changes["before"]["network_member"] == jansen.name
    assert changes["after"]["member"] == cast.a1.name


def test_a_stale_step_save_is_refused_and_keeps_what_was_typed(app, cast, as_user):
    step = Step.get_by_id(cast.parts["steps"])
    url = f"/steps/{step.id}/edit"
    assert as_user(cast.a1).post(url, data=_step_edit(step, text="Anna's")).status_code == 303
    response = as_user(cast.a2).post(url, data=_step_edit(step, text="Bram's step"), headers=HTMX)
    page = response.data.decode()
    assert response.status_code == 409
    assert "<html" not in page
    assert "Anna Aalders saved changes to this step" in page
    assert 'value="Bram&#39;s step"' in page
    assert Step.get_by_id(step.id).text == "Anna's"


def test_it_marks_a_step_done_and_not_done(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/steps/{cast.parts['steps']}/done"
    assert client.post(url, data={"done": "y"}).status_code == 303
    done_on = Step.get_by_id(cast.parts["steps"]).done_on
    assert done_on is not None and abs((done_on - dt.date.today()).days) <= 1
    # A second tap (or a colleague's at the same time) changes nothing.
    response = client.post(url, data={"done": "y"}, headers=HTMX)
    assert response.status_code == 200
    assert f"done {done_on.strftime('%-d %b %Y')}".encode() in response.data
    assert b"Not done after all" in response.data
    assert len(_events("step", "update")) == 1
    assert client.post(url, data={"done": ""}).status_code == 303
    assert Step.get_by_id(cast.parts["steps"]).done_on is None
    assert len(_events("step", "update")) == 2


def test_marking_done_refuses_when_a_colleague_saved_at_that_moment(
    app, cast, as_user, monkeypatch
):
    found = goals_module.access.person_part

    def stale(model, part_id):
        part = found(model, part_id)
        model.update(version=model.version + 1).where(model.id == part_id).execute()
        return part

    monkeypatch.setattr(goals_module.access, "person_part", stale)
    response = as_user(cast.a1).post(
        f"/steps/{cast.parts['steps']}/done", data={"done": "y"}, headers=HTMX
    )
    assert response.status_code == 409
    assert b"A colleague changed this step at the same moment" in response.data
    assert Step.get_by_id(cast.parts["steps"]).done_on is None


def test_it_removes_a_step_and_audits_it(app, cast, as_user):
    response = as_user(cast.a2).post(f"/steps/{cast.parts['steps']}/delete", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#goals"
    assert not Step.select().exists()
    event = _events("step", "delete")[0]
    assert json.loads(event.changes)["before"]["text"] == "Walk to the corner twice a week"
    assert event.client_id == cast.person_a.id


# Who may


def _writes(cast):
    goal, step = cast.goal_a.id, cast.parts["steps"]
    return [
        (f"/people/{cast.person_a.id}/goals", _goal(words="Outsider")),
        (f"/goals/{goal}/edit", _goal_edit(cast.goal_a, words="Outsider")),
        (f"/goals/{goal}/steps", _step(goal, text="Outsider")),
        (f"/steps/{step}/edit", _step_edit(Step.get_by_id(step), text="Outsider")),
        (f"/steps/{step}/done", {"done": "y"}),
        (f"/steps/{step}/delete", {}),
    ]


@pytest.mark.parametrize(("role", "status"), [("b1", 404), ("coach_a", 403), ("office", 404)])
def test_nobody_outside_the_team_can_change_goals_or_steps(app, cast, as_user, role, status):
    client = as_user(cast.by_role(role))
    for url, data in _writes(cast):
        assert client.post(url, data=data).status_code == status, url
    assert client.get(f"/goals/{cast.goal_a.id}/edit").status_code == status
    assert client.get(f"/steps/{cast.parts['steps']}/edit").status_code == status
    assert [g.words for g in Goal.select()] == [cast.goal_a.words]
    step = Step.get()
    assert (step.text, step.done_on) == ("Walk to the corner twice a week", None)


def test_changes_need_post(app, cast, as_user):
    client = as_user(cast.a1)
    assert client.get(f"/steps/{cast.parts['steps']}/done").status_code == 405
    # GET on delete only asks (see test_record.py); it removes nothing.
    assert client.get(f"/steps/{cast.parts['steps']}/delete").status_code == 200
    assert Step.select().count() == 1
    # GET on the adding routes gives their forms (see below); nothing else is allowed.
    add_step, add_goal = f"/goals/{cast.goal_a.id}/steps", f"/people/{cast.person_a.id}/goals"
    assert client.put(add_step, data=_step(cast.goal_a.id)).status_code == 405
    assert client.put(add_goal, data=_goal()).status_code == 405
    assert [s.id for s in Step.select()] == [cast.parts["steps"]]
    assert [g.id for g in Goal.select()] == [cast.goal_a.id]


def test_each_goal_s_step_form_carries_its_own_csrf_token(csrf_app, cast):
    client = csrf_app.test_client()
    token = client.get("/login").data.decode().split('"X-CSRFToken": "')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": cast.a1.email, "password": PASSWORD},
        headers={"X-CSRFToken": token},
    )
    url = f"/goals/{cast.goal_a.id}/steps"
    assert client.post(url, data=_step(cast.goal_a.id)).status_code == 400
    page = client.get(url, headers=HTMX).data.decode()
    name = f"new-step-{cast.goal_a.id}-csrf_token"
    token = page.split(f'name="{name}" type="hidden" value="')[1].split('"')[0]
    response = client.post(url, data={**_step(cast.goal_a.id, text="With a token"), name: token})
    assert response.status_code == 303
    assert Step.select().where(Step.text == "With a token").exists()


# The forms are a link away


def _tag(page, attribute):
    """The opening tag that carries `attribute`."""
    at = page.index(attribute)
    return page[page.rindex("<", 0, at) : page.index(">", at) + 1]


def _goal_item(page, goal_id):
    """An active goal's part of the page: up to the next goal or the "Add a goal" link."""
    start = page.index(f'<li id="goal-{goal_id}"')
    ends = [page.find(mark, start + 1) for mark in ('<li id="goal-', 'id="goals-add"')]
    return page[start : min(e for e in ends if e > 0)]


def test_the_person_page_links_to_the_goal_and_step_forms(app, cast, as_user):
    other = Goal.add(cast.person_a, cast.a1, words="Bake bread for the neighbours")
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").data.decode()
    add_goal = f"/people/{cast.person_a.id}/goals"
    link = _tag(page, f'hx-get="{add_goal}"')
    assert f'href="{add_goal}"' in link and 'hx-target="#goals-add"' in link
    for goal in (cast.goal_a, other):
        link = _tag(page, f'hx-get="/goals/{goal.id}/steps"')
        assert f'href="/goals/{goal.id}/steps"' in link
        assert f'hx-target="#goal-{goal.id}-add-step"' in link
        assert 'hx-swap="innerHTML"' in link
        assert f'aria-label="Add a step towards: {goal.words}"' in link
        assert f'id="goal-{goal.id}-add-step"' in _goal_item(page, goal.id)
    assert 'name="new-goal-words"' not in page
    assert "new-step-" not in page


def test_without_javascript_the_goal_form_is_a_page_of_its_own(app, cast, as_user):
    url = f"/people/{cast.person_a.id}/goals"
    response = as_user(cast.a1).get(url)
    page = response.data.decode()
    assert response.status_code == 200
    assert "<h1>Add a goal</h1>" in page
    assert 'method="post"' in _tag(page, f'action="{url}"')
    for name in ("words", "why", "review_on", "help_wanted"):
        assert f'name="new-goal-{name}"' in page
    assert f'href="/people/{cast.person_a.id}#goals"' in page
    assert Goal.select().count() == 1


def test_without_javascript_the_step_form_is_a_page_of_its_own(app, cast, as_user):
    url = f"/goals/{cast.goal_a.id}/steps"
    response = as_user(cast.a1).get(url)
    page = response.data.decode()
    assert response.status_code == 200
    assert f"<h1>Add a step towards “{cast.goal_a.words}”</h1>" in page
    assert 'method="post"' in _tag(page, f'action="{url}"')
    assert '<option selected value="person">' in page  # the person themselves, by default
    assert Step.select().count() == 1


@pytest.mark.parametrize("which", ["goal", "step"])
def test_for_htmx_the_goal_and_step_forms_come_alone(app, cast, as_user, which):
    url = {
        "goal": f"/people/{cast.person_a.id}/goals",
        "step": f"/goals/{cast.goal_a.id}/steps",
    }[which]
    field = {"goal": "new-goal-words", "step": f"new-step-{cast.goal_a.id}-text"}[which]
    response = as_user(cast.a1).get(url, headers=HTMX)
    body = response.data.decode()
    assert response.status_code == 200
    assert "HX-Request" in response.vary
    assert body.lstrip().startswith('<div class="add-form')
    assert "<html" not in body and "<h1" not in body
    form = _tag(body, "<form")
    assert f'hx-post="{url}"' in form and 'hx-target="#goals"' in form
    assert f'name="{field}"' in _tag(body, "autofocus")  # ready to type in


def test_a_step_with_bad_input_comes_back_under_its_goal(app, cast, as_user):
    other = Goal.add(cast.person_a, cast.a1, words="Bake bread for the neighbours")
    response = as_user(cast.a1).post(
        f"/goals/{other.id}/steps", data=_step(other.id, text="", due_on="x")
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert "<html" in page
    item = _goal_item(page, other.id)
    assert "Describe the step." in item
    assert f'name="new-step-{other.id}-text"' in item
    assert 'value="x"' in item
    # The other goal keeps its link.
    assert f'hx-get="/goals/{cast.goal_a.id}/steps"' in page
    assert f"new-step-{cast.goal_a.id}-" not in page


# Contacts for a goal


def test_a_contact_can_be_for_a_goal(app, cast, as_user):
    client = as_user(cast.a1)
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert "For which goal" in page
    response = client.post(
        f"/people/{cast.person_a.id}/contacts/new?inline=1",
        data=_visit(note="Walked to the corner together", goal=str(cast.goal_a.id)),
    )
    assert response.status_code == 303
    contact = Contact.get(Contact.note == "Walked to the corner together")
    assert contact.goal_id == cast.goal_a.id
    event = _events("contact", "create")[-1]
    assert json.loads(event.changes)["after"]["goal"] == cast.goal_a.id
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert "For goal: “I want to walk to the market on Saturdays again”" in page
    assert "1 contact for this goal" in page


def test_a_contact_cannot_be_for_another_person_s_goal(app, cast, as_user):
    theirs = Goal.add(cast.person_b, cast.b1, words="Kees's goal")
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new?inline=1",
        data=_visit(note="Kept note", goal=str(theirs.id)),
    )
    assert response.status_code == 400
    assert b"Choose one of their goals, or none." in response.data
    assert b"Kept note" in response.data
    assert b"Kees&#39;s goal" not in response.data
    assert Contact.select().count() == 1


def test_a_closed_goal_is_not_offered_but_a_correction_keeps_it(app, cast, as_user):
    Contact.update(goal=cast.goal_a).where(Contact.id == cast.contact_a.id).execute()
    Goal.update(status="achieved", story="Did it").execute()
    client = as_user(cast.a1)
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    assert "For which goal" not in page  # no active goals: no question
    url = f"/contacts/{cast.contact_a.id}/edit"
    form = client.get(url).data.decode()
    assert f'<option selected value="{cast.goal_a.id}">'.encode() in form.encode()
    response = client.post(url, data=_visit(goal=str(cast.goal_a.id), version="1"))
    assert response.status_code == 303
    assert Contact.get_by_id(cast.contact_a.id).goal_id == cast.goal_a.id
    response = client.post(url, data=_visit(goal="0", version="2"))
    assert response.status_code == 303
    assert Contact.get_by_id(cast.contact_a.id).goal_id is None


def test_goals_on_the_timeline_and_contact_counts_add_no_queries(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"

    def link(size):
        goals = [Goal.add(cast.person_a, cast.a1, words=f"goal {i}") for i in range(size)]
        for i in range(size * 2):
            Contact.create(
                client=cast.person_a,
                author=cast.a2,
                happened_at=utcnow() - dt.timedelta(minutes=i + 1),
                minutes=15,
                kind="phone",
                goal=goals[i % size],
            )

    link(1)
    with count_queries() as few:
        client.get(url)
    link(20)
    with count_queries() as many:
        page = client.get(url).data.decode()
    assert len(few) == len(many)
    assert page.count("For goal: “goal") == 42
    assert "2 contacts for this goal" in page


def test_the_journey_from_a_wish_to_steps_with_helpers(app, cast, as_user):
    """Mies wants to walk to the market again; her neighbour and the team help."""
    jansen = _jansen(cast)
    client = as_user(cast.a2)
    review = dt.date.today() + dt.timedelta(weeks=6)
    client.post(
        f"/people/{cast.person_a.id}/goals",
        data=_goal(words="Go to the library again", review_on=review.isoformat()),
    )
    goal = Goal.get(Goal.words == "Go to the library again")
    client.post(
        f"/goals/{goal.id}/steps",
        data=_step(goal.id, text="Walk there with the neighbour", helper=f"network-{jansen.id}"),
    )
    client.post(
        f"/goals/{goal.id}/steps",
        data=_step(goal.id, text="Check her feet every visit", helper=f"member-{cast.a2.id}"),
    )
    page = client.get(f"/people/{cast.person_a.id}").data.decode()
    item = page[page.index(f'id="goal-{goal.id}"') :]
    item = item[: item.index("Add a step")]
    assert "<q>Go to the library again</q>" in item
    assert f"Look at it together again on {review.strftime('%-d %b %Y')}" in item
    assert "Walk there with the neighbour" in item and "with Mrs Jansen" in item
    assert "Check her feet every visit" in item and "with Bram Bos from the team" in item
    history = client.get(f"/people/{cast.person_a.id}/history").data.decode()
    # Every change is in the history the team can read.
    assert "Go to the library again" in history
    assert "Walk there with the neighbour" in history


def test_the_history_names_who_helps_with_a_step(app, cast, as_user):
    from teamcase.models import Goal, Step

    goal = Goal.get_by_id(cast.parts["goals"])
    Step.add(goal, cast.a1, text="Check her feet", helper_kind="member", member=cast.a2)
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Bram Bos" in page
