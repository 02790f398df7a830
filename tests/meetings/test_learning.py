"""The team's training plan and experiments: verbs, views, conflicts and the coach's view."""

import datetime as dt
import threading

import pytest
from conftest import count_queries

from teamcase.db import db
from teamcase.models import AuditEvent, Decision, Experiment, TrainingItem


def _adopted(cast, proposal="We all learn to use the new hoist"):
    with db.connection_context():
        decision = Decision.propose(cast.team_a, cast.a1, proposal, "Safer transfers")
        decision.adopt(cast.a1, decision.version, dt.date.today() + dt.timedelta(days=90))
        return decision


def _training(cast, **fields):
    with db.connection_context():
        return TrainingItem.add(cast.team_a, cast.a1, **{"topic": "Wound care refresher", **fields})


def _experiment(cast, **fields):
    values = {
        "title": "Plan the day together at 8:00",
        "why": "Fewer double visits",
        "how_we_know": "Count double visits for four weeks",
        **fields,
    }
    with db.connection_context():
        return Experiment.add(cast.team_a, cast.a1, **values)


def _fresh(record):
    with db.connection_context():
        return type(record).get_by_id(record.id)


# Verbs


def test_a_change_saves_only_on_the_version_that_was_read(app, cast):
    item = _training(cast)
    with db.connection_context():
        assert item.change(cast.a2, 1, who="Everyone")
        assert not TrainingItem.get_by_id(item.id).change(cast.a1, 1, who="Only Anna")
    saved = _fresh(item)
    assert (saved.who, saved.version) == ("Everyone", 2)


def test_marking_done_twice_is_done_once(app, cast):
    item = _training(cast)
    today = dt.date.today()
    with db.connection_context():
        assert item.mark_done(cast.a1, today)
        assert not TrainingItem.get_by_id(item.id).mark_done(cast.a2, today)
        updates = AuditEvent.select().where(
            AuditEvent.entity == "training", AuditEvent.action == "update"
        )
        assert [e.actor_id for e in updates] == [cast.a1.id]
    assert _fresh(item).done_on == today


def test_every_change_is_audited_for_the_team(app, cast):
    decision = _adopted(cast)
    experiment = _experiment(cast, decision=decision)
    with db.connection_context():
        experiment.change(cast.a2, 1, what_happened="Fewer double visits", outcome="keep")
        events = list(
            AuditEvent.select().where(AuditEvent.entity == "experiment").order_by(AuditEvent.id)
        )
    assert [(e.action, e.actor_id) for e in events] == [
        ("create", cast.a1.id),
        ("update", cast.a2.id),
    ]
    assert all(e.team_id == cast.team_a.id and e.client_id is None for e in events)
    assert f'"decision": {decision.id}' in events[0].changes
    assert '"outcome": "keep"' in events[1].changes


def test_two_members_marking_done_at_once_mark_it_once(app, cast):
    item = _training(cast)
    barrier = threading.Barrier(2)
    results = []

    def mark(member):
        with db.connection_context():
            fresh = TrainingItem.get_by_id(item.id)
            barrier.wait()
            results.append(fresh.mark_done(member, dt.date.today()))

    threads = [threading.Thread(target=mark, args=(m,)) for m in (cast.a1, cast.a2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert _fresh(item).version == 2


def test_two_members_saving_the_same_version_at_once_save_once(app, cast):
    experiment = _experiment(cast)
    barrier = threading.Barrier(2)
    results = {}

    def save(member, text):
        with db.connection_context():
            fresh = Experiment.get_by_id(experiment.id)
            barrier.wait()
            results[member.id] = fresh.change(member, 1, what_happened=text, outcome="keep")

    threads = [
        threading.Thread(target=save, args=(cast.a1, "It worked")),
        threading.Thread(target=save, args=(cast.a2, "It did not")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == [False, True]
    winner = next(member for member, saved in results.items() if saved)
    saved = _fresh(experiment)
    assert saved.version == 2
    assert saved.what_happened == ("It worked" if winner == cast.a1.id else "It did not")


# Views


def test_the_page_shows_the_plan_and_the_experiments_with_their_decisions(app, cast, as_user):
    decision = _adopted(cast)
    _training(cast, topic="Using the new hoist", decision=decision, who="Everyone")
    _training(cast, topic="Dementia conversation skills", done_on=dt.date.today())
    _experiment(cast, decision=decision)
    _experiment(cast, title="Evening phone round", outcome="drop", what_happened="Too late")

    page = as_user(cast.a1).get("/learning/").get_data(as_text=True)

    assert "Using the new hoist" in page and "Dementia conversation skills" in page
    assert page.index("Using the new hoist") < page.index("Dementia conversation skills")
    assert page.index("Plan the day together") < page.index("Evening phone round")
    assert f'href="/decisions/{decision.id}">from the decision of' in page
    assert "Mark as done" in page and "Record what happened" in page


def test_adding_training_from_a_decision_links_it(app, cast, as_user):
    decision = _adopted(cast)
    client = as_user(cast.a2)

    form = client.get(f"/learning/training/new?decision={decision.id}").get_data(as_text=True)
    response = client.post(
        f"/learning/training/new?decision={decision.id}",
        data={"topic": "Using the new hoist", "who": "Everyone", "planned_on": "2031-03-02"},
    )

    assert "We all learn to use the new hoist" in form
    assert response.status_code == 303
    with db.connection_context():
        item = TrainingItem.get()
    assert (item.decision_id, item.created_by_id, item.planned_on) == (
        decision.id,
        cast.a2.id,
        dt.date(2031, 3, 2),
    )
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Training: <a" in page and "Using the new hoist" in page


def test_training_without_a_topic_comes_back_with_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/learning/training/new", data={"topic": " ", "who": "Anna and Bram"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write the topic." in page and 'value="Anna and Bram"' in page
    with db.connection_context():
        assert TrainingItem.select().count() == 0


def test_a_decision_of_another_team_cannot_be_linked(app, cast, as_user):
    with db.connection_context():
        theirs = Decision.propose(cast.team_b, cast.b1, "Zuid", "Zuid")
    response = as_user(cast.a1).post(
        f"/learning/experiments/new?decision={theirs.id}", data={"title": "x"}
    )
    assert response.status_code == 404
    with db.connection_context():
        assert Experiment.select().count() == 0


def test_a_stale_edit_is_refused_naming_who_saved_and_keeping_what_was_typed(app, cast, as_user):
    item = _training(cast)
    as_user(cast.a2).post(
        f"/learning/training/{item.id}/edit",
        data={"topic": "Wound care refresher", "who": "Bram", "version": "1"},
    )

    response = as_user(cast.a1).post(
        f"/learning/training/{item.id}/edit",
        data={"topic": "Wound care refresher", "who": "Anna", "version": "1"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Bram Bos saved changes to this training" in page
    assert "Who: <strong>Bram</strong>" in page
    assert 'value="Anna"' in page and 'name="version" type="hidden" value="2"' in page
    assert _fresh(item).who == "Bram"


def test_marking_done_twice_says_who_was_first(app, cast, as_user):
    item = _training(cast)
    as_user(cast.a2).post(f"/learning/training/{item.id}/done")

    anna = as_user(cast.a1)
    response = anna.post(f"/learning/training/{item.id}/done")

    assert response.status_code == 303
    page = anna.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bram Bos already marked “Wound care refresher” as done." in page
    assert _fresh(item).done_on == dt.date.today()


def test_a_done_date_in_the_future_is_refused(app, cast, as_user):
    item = _training(cast)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()

    response = as_user(cast.a1).post(
        f"/learning/training/{item.id}/edit",
        data={"topic": "Wound care refresher", "done_on": tomorrow, "version": "1"},
    )

    assert response.status_code == 400
    assert "This is in the future." in response.get_data(as_text=True)
    assert _fresh(item).done_on is None


def test_an_experiment_is_started_edited_and_its_outcome_recorded(app, cast, as_user):
    client = as_user(cast.a1)
    today = dt.date.today().isoformat()

    started = client.post(
        "/learning/experiments/new",
        data={
            "title": "Plan the day together at 8:00",
            "why": "Fewer double visits",
            "how_we_know": "Count double visits",
            "started_on": today,
        },
    )
    with db.connection_context():
        experiment = Experiment.get()
    edited = client.post(
        f"/learning/experiments/{experiment.id}/edit",
        data={
            "title": "Plan the day together at 8:00",
            "why": "Fewer double visits",
            "how_we_know": "Count double visits for four weeks",
            "started_on": today,
            "version": "1",
        },
    )
    outcome = client.post(
        f"/learning/experiments/{experiment.id}/outcome",
        data={"what_happened": "Half as many double visits", "outcome": "keep", "version": "2"},
    )

    assert [started.status_code, edited.status_code, outcome.status_code] == [303, 303, 303]
    saved = _fresh(experiment)
    assert (saved.how_we_know, saved.what_happened, saved.outcome) == (
        "Count double visits for four weeks",
        "Half as many double visits",
        "keep",
    )
    page = client.get("/learning/").get_data(as_text=True)
    assert "Half as many double visits" in page and ">Keep</span>" in page


def test_an_experiment_needs_how_we_will_know_and_a_review_after_its_start(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/learning/experiments/new",
        data={
            "title": "Evening phone round",
            "why": "Fewer calls at night",
            "started_on": "2026-05-10",
            "review_on": "2026-05-01",
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say how you will know whether it worked." in page
    assert "This is before it starts." in page
    assert 'value="Evening phone round"' in page
    with db.connection_context():
        assert Experiment.select().count() == 0


def test_an_outcome_needs_what_happened(app, cast, as_user):
    experiment = _experiment(cast)
    response = as_user(cast.a1).post(
        f"/learning/experiments/{experiment.id}/outcome", data={"outcome": "drop", "version": "1"}
    )
    assert response.status_code == 400
    assert "Write down what happened." in response.get_data(as_text=True)
    assert _fresh(experiment).outcome == "running"


@pytest.mark.parametrize(
    "path",
    ["training/{t}/edit", "training/{t}/done", "experiments/{e}/edit", "experiments/{e}/outcome"],
)
def test_outsiders_get_404_and_the_coach_403_and_nothing_changes(app, cast, as_user, path):
    item, experiment = _training(cast), _experiment(cast)
    url = "/learning/" + path.format(t=item.id, e=experiment.id)
    data = {"topic": "x", "what_happened": "x", "outcome": "keep", "version": "1"}

    outsider = as_user(cast.b1).post(url, data=data)
    coach = as_user(cast.coach_a).post(url, data=data)

    assert (outsider.status_code, coach.status_code) == (404, 403)
    assert _fresh(item).version == 1 and _fresh(experiment).version == 1


def test_marking_done_needs_a_post(app, cast, as_user):
    item = _training(cast)
    assert as_user(cast.a1).get(f"/learning/training/{item.id}/done").status_code == 405


def test_the_coach_reads_the_teams_learning_without_buttons(app, cast, as_user):
    decision = _adopted(cast)
    _training(cast, topic="Using the new hoist", decision=decision)
    _experiment(cast, decision=decision)

    response = as_user(cast.coach_a).get(f"/learning/teams/{cast.team_a.id}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Using the new hoist" in page and "Plan the day together" in page
    assert "from the decision of" in page and f"/decisions/{decision.id}" not in page
    assert "Mark as done" not in page and "+ Add training" not in page
    assert "/learning/training/" not in page and "/learning/experiments/" not in page
    assert as_user(cast.coach_a).get("/learning/").status_code == 403
    assert as_user(cast.coach_x).get(f"/learning/teams/{cast.team_a.id}").status_code == 404
    assert as_user(cast.b1).get(f"/learning/teams/{cast.team_a.id}").status_code == 404


# Who is signed in and their team, the training plan and the experiments (each
# with the decision it came from, in the same query).
LEARNING_QUERIES = 5


def test_the_page_takes_the_same_number_of_queries_with_5_or_50_of_each(app, cast, as_user):
    decision = _adopted(cast)
    client = as_user(cast.a1)

    def add(count):
        for n in range(count):
            _training(cast, topic=f"Topic {n}", decision=decision if n % 2 else None)
            _experiment(cast, title=f"Try {n}", decision=decision if n % 2 else None)

    add(5)
    client.get("/learning/")
    with count_queries() as few:
        assert client.get("/learning/").status_code == 200
    add(45)
    with count_queries() as many:
        assert client.get("/learning/").status_code == 200

    assert len(few) == len(many) == LEARNING_QUERIES, many
