"""The Omaha System on the person's page, for a team that uses it. Team A of the
cast uses it: person A has Physical activity (37) since ten days ago, rated once
then (K2 B2 S3), helped by her strength "Still cooks"; team B does not use it."""

import datetime as dt
import json
import re

import pytest
from conftest import count_queries

from teamcase.dates import local_today
from teamcase.models import (
    AuditEvent,
    OmahaProblem,
    OmahaRating,
    OmahaStrength,
    Strength,
    Team,
)

HTMX = {"HX-Request": "true"}


def _ten_days_ago():
    # Read when the test runs: the suite may move the clock on (conftest's _daytime).
    return dt.date.today() - dt.timedelta(days=10)


# The model's verbs.


def test_a_problem_is_on_a_persons_list_once(app, cast):
    assert OmahaProblem.add(cast.person_a, cast.a2, "37") is None
    pain = OmahaProblem.add(cast.person_a, cast.a2, "22", local_today())
    assert (pain.code, pain.added_by_id, pain.ended_on) == ("22", cast.a2.id, None)
    assert pain.name == "Pain" and pain.domain == "physiological"
    with pytest.raises(ValueError):
        OmahaProblem.add(cast.person_a, cast.a2, "43")
    event = AuditEvent.get(AuditEvent.entity == "omaha_problem", AuditEvent.entity_id == pain.id)
    assert json.loads(event.changes)["after"]["code"] == "22"


def test_a_new_rating_is_a_new_row_and_two_at_once_are_a_conflict(app, cast):
    problem = OmahaProblem.get_by_id(cast.omaha_a.id)
    second = problem.rate(cast.a1, 1, local_today(), knowledge=3, behaviour=3, status=4)
    assert second.number == 2
    # Bram saw only the first rating: his is refused, not added beside Anna's unseen.
    assert problem.rate(cast.a2, 1, local_today(), knowledge=4, behaviour=4, status=4) is None
    assert problem.rate(cast.a2, 2**40, local_today(), knowledge=4, behaviour=4, status=4) is None
    rows = list(
        OmahaRating.select().where(OmahaRating.problem == problem).order_by(OmahaRating.number)
    )
    assert [(r.knowledge, r.behaviour, r.status, r.rated_by_id) for r in rows] == [
        (2, 2, 3, cast.a1.id),
        (3, 3, 4, cast.a1.id),
    ]
    assert rows[0].rated_on == _ten_days_ago(), "the first one is as it was"
    for wrong in ({"knowledge": 0, "behaviour": 3, "status": 3}, {"knowledge": 3, "behaviour": 3}):
        with pytest.raises(ValueError):
            problem.rate(cast.a1, 2, local_today(), **wrong)


def test_ending_and_taking_up_again_go_over_the_version_read(app, cast):
    problem = OmahaProblem.get_by_id(cast.omaha_a.id)
    version = problem.version
    assert problem.end(cast.a1, version, local_today())
    assert not OmahaProblem.get_by_id(problem.id).take_up_again(cast.a2, version)
    fresh = OmahaProblem.get_by_id(problem.id)
    assert fresh.ended_on == local_today()
    assert fresh.take_up_again(cast.a2, fresh.version)
    assert OmahaProblem.get_by_id(problem.id).ended_on is None


def test_only_the_persons_own_strengths_are_linked(app, cast):
    problem = OmahaProblem.get_by_id(cast.omaha_a.id)
    theirs = Strength.add(cast.person_a, cast.a1, category="relationships", text="Daughter nearby")
    others = Strength.add(cast.person_b, cast.b1, category="skills", text="Fixes bikes")
    assert problem.link_strengths(cast.a1, problem.version, [theirs.id, others.id])
    assert [s.text for s in problem.strengths()] == ["Daughter nearby"]
    assert not problem.link_strengths(cast.a2, problem.version - 1, [])
    event = (
        AuditEvent.select()
        .where(AuditEvent.entity == "omaha_problem", AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert json.loads(event.changes) == {
        "before": {"strengths": "Still cooks"},
        "after": {"strengths": "Daughter nearby"},
    }
    # A strength removed from the record leaves the problem with it.
    theirs.remove(cast.a1)
    assert OmahaStrength.select().where(OmahaStrength.problem == problem).count() == 0


# The screens.


def _page(client, person) -> str:
    return client.get(f"/people/{person.id}").data.decode()


def _section(body: str) -> str:
    return re.search(r'<section id="omaha".*?</section>', body, re.S).group(0)


def _rate_data(problem_id, seen, day=None, **ratings):
    prefix = f"omaha-rate-{problem_id}"
    data = {f"{prefix}-rated_on": (day or local_today()).isoformat(), f"{prefix}-version": seen}
    data.update({f"{prefix}-{k}": v for k, v in ratings.items()})
    return data


def test_it_adds_a_problem_chosen_by_domain(app, cast, as_user):
    client = as_user(cast.a2)
    url = f"/people/{cast.person_a.id}/omaha"
    form = client.get(url).data.decode()
    assert '<optgroup label="Physiological">' in form
    assert '<option value="22">Pain (22)</option>' in form
    assert 'value="37"' not in form, "what is on the list already is not offered"
    response = client.post(url, data={"omaha-code": "22", "omaha-added_on": "2026-11-02"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/people/{cast.person_a.id}#omaha")
    pain = OmahaProblem.get(OmahaProblem.code == "22")
    assert (pain.added_on, pain.added_by_id) == (dt.date(2026, 11, 2), cast.a2.id)
    section = _section(_page(client, cast.person_a))
    # By domain in the System's order: physiological before health-related behaviours.
    assert section.index("Physiological") < section.index("Pain") < section.index("Health-related")
    assert "Not rated yet." in section


def test_adding_bad_input_says_what_to_fix_by_the_field_and_keeps_it(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}/omaha"
    future = (local_today() + dt.timedelta(days=2)).isoformat()
    response = client.post(url, data={"omaha-code": "", "omaha-added_on": future}, headers=HTMX)
    assert response.status_code == 400
    body = response.data.decode()
    assert body.lstrip().startswith('<section id="omaha"')
    assert re.search(r'<p class="error" id="omaha-code-error">Choose a problem.</p>', body)
    assert "This is in the future. Add it from today or earlier." in body
    assert f'value="{future}"' in body
    garbled = client.post(url, data={"omaha-code": "99", "omaha-added_on": "2026-11-31"})
    assert garbled.status_code == 400
    assert "Choose one of the problems in the list." in garbled.data.decode()
    assert OmahaProblem.select().count() == 1


def test_a_problem_added_by_someone_in_between_is_said_by_its_field(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}/omaha"
    form = client.get(url).data.decode()
    assert 'value="22"' in form
    OmahaProblem.add(cast.person_a, cast.a2, "22")
    # Sent from the form read before Bram added it.
    response = client.post(url, data={"omaha-code": "22", "omaha-added_on": "2026-11-02"})
    assert response.status_code == 400
    error = re.search(r'<p class="error" id="omaha-code-error">(.*?)</p>', response.data.decode())
    assert error.group(1) == "This problem is on their list already."
    assert OmahaProblem.select().where(OmahaProblem.code == "22").count() == 1


def test_it_rates_a_problem_and_the_page_shows_the_newest_and_the_change(app, cast, as_user):
    client = as_user(cast.a2)
    problem = cast.omaha_a.id
    url = f"/omaha/{problem}/rate"
    form = client.get(url).data.decode()
    # Starts from the newest rating, with the words of every step.
    assert re.search(r'<input checked id="omaha-rate-\d+-knowledge-1"[^>]*value="2"', form)
    assert "5 Superior knowledge" in form and "1 Extreme signs/symptoms" in form
    assert f'name="omaha-rate-{problem}-version" type="hidden" value="1"' in form
    response = client.post(
        url, data=_rate_data(problem, "1", knowledge="4", behaviour="3", status="4")
    )
    assert response.status_code == 303
    rows = list(OmahaRating.select().order_by(OmahaRating.number))
    assert [(r.number, r.knowledge, r.behaviour, r.status) for r in rows] == [
        (1, 2, 2, 3),
        (2, 4, 3, 4),
    ]
    assert rows[1].rated_by_id == cast.a2.id
    section = _section(_page(client, cast.person_a))
    assert "<dt>Knowledge</dt><dd><strong>4</strong> Adequate knowledge</dd>" in section
    assert "<dt>Status</dt><dd><strong>4</strong> Minimal signs/symptoms</dd>" in section
    over_time = re.search(r'<table class="omaha-over-time">.*?</table>', section, re.S).group(0)
    assert re.search(r"Knowledge</th><td[^>]*>2</td><td[^>]*>4</td><td>\+2</td>", over_time)
    assert re.search(r"Behaviour</th><td[^>]*>2</td><td[^>]*>3</td><td>\+1</td>", over_time)
    history = client.get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Rated a problem (Omaha System)" in history
    assert "Physical activity" in history  # the problem by its name, not its code


def test_rating_bad_input_says_what_to_fix_by_the_field_and_keeps_it(app, cast, as_user):
    client = as_user(cast.a1)
    problem = cast.omaha_a.id
    future = local_today() + dt.timedelta(days=1)
    response = client.post(
        f"/omaha/{problem}/rate",
        data=_rate_data(problem, "1", day=future, knowledge="7", behaviour="3"),
        headers=HTMX,
    )
    assert response.status_code == 400
    body = response.data.decode()
    assert "This is in the future. Rate how things are now or were." in body
    assert "Not a valid choice." in body
    status = re.search(r"<legend>Status</legend>(.*?)</fieldset>", body, re.S).group(1)
    assert "Choose 1 to 5." in status
    assert re.search(r'<input checked id="omaha-rate-\d+-behaviour-2"[^>]*value="3"', body)
    assert f'value="{future.isoformat()}"' in body
    assert OmahaRating.select().count() == 1


def test_a_rating_made_in_between_makes_a_stale_one_a_conflict(app, cast, as_user):
    problem = cast.omaha_a.id
    url = f"/omaha/{problem}/rate"
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    first = anna.post(url, data=_rate_data(problem, "1", knowledge="3", behaviour="3", status="3"))
    assert first.status_code == 303
    stale = bram.post(url, data=_rate_data(problem, "1", knowledge="5", behaviour="4", status="4"))
    assert stale.status_code == 409
    body = stale.data.decode()
    assert "Anna Aalders saved a newer rating" in body
    # What Bram typed is still there, and saving again is now over Anna's rating.
    assert re.search(r'<input checked id="omaha-rate-\d+-knowledge-4"[^>]*value="5"', body)
    assert f'name="omaha-rate-{problem}-version" type="hidden" value="2"' in body
    assert OmahaRating.select().count() == 2
    again = bram.post(url, data=_rate_data(problem, "2", knowledge="5", behaviour="4", status="4"))
    assert again.status_code == 303
    assert [r.knowledge for r in OmahaRating.select().order_by(OmahaRating.number)] == [2, 3, 5]


def test_a_garbled_version_never_saves_nor_passes_in_silence(app, cast, as_user):
    pain = OmahaProblem.add(cast.person_a, cast.a1, "22")
    client = as_user(cast.a1)
    data = _rate_data(pain.id, "abc", knowledge="3", behaviour="3", status="3")
    response = client.post(f"/omaha/{pain.id}/rate", data=data)
    assert response.status_code == 400
    assert "The form had expired. Send it again." in response.text
    assert f'name="omaha-rate-{pain.id}-version" type="hidden" value="0"' in response.text
    assert OmahaRating.select().where(OmahaRating.problem == pain).count() == 0


def test_it_links_the_persons_own_strengths(app, cast, as_user):
    problem = cast.omaha_a.id
    url = f"/omaha/{problem}/strengths"
    other = Strength.add(cast.person_a, cast.a1, category="relationships", text="Walks the dog")
    client = as_user(cast.a1)
    form = client.get(url).data.decode()
    strength = cast.parts["strengths"]
    assert re.search(rf'<input checked id="[^"]+" [^>]*value="{strength}"', form)
    assert "Walks the dog (Relationships)" in form
    prefix = f"omaha-strengths-{problem}"
    data = {f"{prefix}-version": "1", f"{prefix}-strengths": [str(other.id)]}
    assert client.post(url, data=data).status_code == 303
    assert [s.text for s in OmahaProblem.get_by_id(problem).strengths()] == ["Walks the dog"]
    assert '<span class="tag">Helped by</span> Walks the dog' in _page(client, cast.person_a)
    stale = as_user(cast.a2).post(url, data={f"{prefix}-version": "1"})
    assert stale.status_code == 409
    assert "Anna Aalders saved changes to this problem" in stale.data.decode()
    garbled = client.post(url, data={f"{prefix}-version": "2", f"{prefix}-strengths": ["x"]})
    assert garbled.status_code == 400
    assert [s.text for s in OmahaProblem.get_by_id(problem).strengths()] == ["Walks the dog"]


def test_it_ends_a_problem_and_takes_it_up_again(app, cast, as_user):
    problem = cast.omaha_a.id
    client = as_user(cast.a1)
    prefix = f"omaha-end-{problem}"
    before = (_ten_days_ago() - dt.timedelta(days=1)).isoformat()
    early = client.post(
        f"/omaha/{problem}/end", data={f"{prefix}-version": "1", f"{prefix}-ended_on": before}
    )
    assert early.status_code == 400
    assert "This is before the problem was added. Check the day." in early.data.decode()
    assert f'value="{before}"' in early.data.decode()
    today = local_today().isoformat()
    ended = client.post(
        f"/omaha/{problem}/end", data={f"{prefix}-version": "1", f"{prefix}-ended_on": today}
    )
    assert ended.status_code == 303
    assert OmahaProblem.get_by_id(problem).ended_on == local_today()
    section = _section(_page(client, cast.person_a))
    assert "ended " in section and "Take up again" in section
    stale = as_user(cast.a2).post(
        f"/omaha/{problem}/end", data={f"{prefix}-version": "1", f"{prefix}-ended_on": today}
    )
    assert stale.status_code == 409
    again = client.post(f"/omaha/{problem}/again", data={f"omaha-again-{problem}-version": "2"})
    assert again.status_code == 303
    assert OmahaProblem.get_by_id(problem).ended_on is None
    history = client.get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Changed a problem (Omaha System)" in history


def test_another_teams_member_gets_404_and_the_coach_403(app, cast, as_user):
    problem = cast.omaha_a.id
    urls = [
        f"/people/{cast.person_a.id}/omaha",
        f"/omaha/{problem}/rate",
        f"/omaha/{problem}/strengths",
        f"/omaha/{problem}/end",
    ]
    cor, coach = as_user(cast.b1), as_user(cast.coach_a)
    for url in urls:
        assert cor.get(url).status_code == 404, url
        assert cor.post(url, data={}).status_code == 404, url
        assert coach.get(url).status_code == 403, url
        assert coach.post(url, data={}).status_code == 403, url
    assert coach.post(f"/omaha/{problem}/again").status_code == 403
    assert OmahaRating.select().count() == 1
    page = coach.get("/coach/").data.decode()
    assert "Omaha" not in page and "Physical activity" not in page


def test_a_team_that_does_not_use_it_sees_nothing_of_it(app, cast, as_user):
    client = as_user(cast.b1)
    page = _page(client, cast.person_b)
    assert "Omaha" not in page and 'id="omaha"' not in page
    assert client.get(f"/people/{cast.person_b.id}/omaha").status_code == 404
    assert "Omaha" not in client.get("/measures/").data.decode()
    # Turned off, team A's problems stay but show nowhere.
    Team.update(uses_omaha=False).where(Team.id == cast.team_a.id).execute()
    anna = as_user(cast.a1)
    assert "Omaha" not in _page(anna, cast.person_a)
    assert "Omaha" not in anna.get("/measures/").data.decode()
    assert anna.get(f"/omaha/{cast.omaha_a.id}/rate").status_code == 404
    assert OmahaProblem.select().count() == 1


def test_a_member_turns_it_on_in_the_teams_details_and_the_log_says_so(app, cast, as_user):
    client = as_user(cast.b1)
    form = client.get("/team/details").data.decode()
    assert "The Omaha System: a person" in form
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    data = {"name": "Team B", "area": "Zuid", "capacity": "60", "version": version}
    assert client.post("/team/details", data=data | {"uses_omaha": "y"}).status_code == 303
    assert Team.get_by_id(cast.team_b.id).uses_omaha is True
    assert "We use the Omaha System: no → yes" in client.get("/team/").data.decode()
    assert 'id="omaha"' in _page(client, cast.person_b)
    # Never required: a case opens with a name and a way to reach them.
    opened = client.post("/people/new", data={"name": "Riet Nieuw", "phone": "06-3"})
    assert opened.status_code == 303


def test_the_persons_and_the_teams_exports_hold_the_problems(app, cast, as_user):
    client = as_user(cast.a1)
    held = json.loads(client.get(f"/people/{cast.person_a.id}/export.json").data)["records"]
    assert [(r["code"], r["ended_on"]) for r in held["omaha_problem"]] == [("37", None)]
    assert [(r["knowledge"], r["behaviour"], r["status"]) for r in held["omaha_rating"]] == [
        (2, 2, 3)
    ]
    assert [r["strength"] for r in held["omaha_strength"]] == [cast.parts["strengths"]]
    team = client.get(f"/team/{cast.team_a.id}/export.jsonl").data.decode().splitlines()
    tables = [json.loads(line)["table"] for line in team]
    assert tables.count("omaha_problem") == tables.count("omaha_rating") == 1
    assert tables.count("omaha_strength") == 1
    assert next(json.loads(line) for line in team if '"table": "team"' in line)["uses_omaha"]


def test_the_section_reads_the_same_queries_however_long_the_history(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    with count_queries() as few:
        client.get(url)
    for code in ("22", "24", "35", "36"):
        problem = OmahaProblem.add(cast.person_a, cast.a1, code)
        for n in range(12):
            problem.rate(cast.a1, n, local_today(), knowledge=3, behaviour=3, status=3)
        problem.link_strengths(cast.a1, problem.version, [cast.parts["strengths"]])
    with count_queries() as many:
        body = client.get(url).data.decode()
    assert body.count('class="omaha-problem') == 5
    assert len(few) == len(many), many


def test_in_dutch_the_problems_and_the_scale_speak_dutch(app, cast, as_user):
    cast.a1.choose_language("nl")
    client = as_user(cast.a1)
    section = _section(
        client.get(f"/people/{cast.person_a.id}", headers={"Accept-Language": "nl"}).text
    )
    assert "Gezondheidsgerelateerd gedrag" in section
    assert "<strong>Lichamelijke activiteit</strong>" in section
    assert "<dt>Kennis</dt><dd><strong>2</strong> Minimale kennis</dd>" in section
    assert "Physical activity" not in section and "Minimal knowledge" not in section
    form = client.get(f"/people/{cast.person_a.id}/omaha").text
    assert '<optgroup label="Fysiologisch">' in form and ">Pijn (22)</option>" in form
