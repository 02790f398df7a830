"""Who does what on the person's page: self-reliance per area of life, for a team
that keeps it. Team A of the cast keeps it (person A has housing rated "person" and
money "network" ten days ago); team B does not."""

import datetime as dt
import json
import re

from teamcase.dates import local_today
from teamcase.models import AuditEvent, Client, SelfReliance, Team

HTMX = {"HX-Request": "true"}


def _rating(prefix="selfreliance", day=None, **areas):
    data = {"rated_on": (day or local_today()).isoformat()}
    data.update({f"area_{area}": who for area, who in areas.items()})
    return {f"{prefix}-{k}": v for k, v in data.items() if v is not None}


def _page(client, person) -> str:
    return client.get(f"/people/{person.id}").data.decode()


def test_it_rates_again_without_touching_the_earlier_rating(app, cast, as_user):
    client = as_user(cast.a2)
    url = f"/people/{cast.person_a.id}/self-reliance"
    response = client.post(url, data=_rating(housing="network", health="professionals"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/people/{cast.person_a.id}#selfreliance")
    rows = list(SelfReliance.for_client(cast.person_a))
    assert [(r.area, r.who, r.rated_on) for r in rows] == [
        ("housing", "person", local_today() - dt.timedelta(days=10)),
        ("money", "network", local_today() - dt.timedelta(days=10)),
        ("housing", "network", local_today()),
        ("health", "professionals", local_today()),
    ]
    events = AuditEvent.select().where(
        AuditEvent.entity == "self_reliance", AuditEvent.actor == cast.a2
    )
    assert sorted(json.loads(e.changes)["after"]["area"] for e in events) == ["health", "housing"]
    page = _page(client, cast.person_a)
    latest = re.search(r'<ul class="parts who-does-what">(.*?)</ul>', page, re.S).group(1)
    housing = re.search(r"Housing</span>(.*?)</li>", latest, re.S).group(1)
    assert "Their network" in housing and "Themselves" not in housing
    assert "Money</span> <strong>Their network</strong>" in latest
    assert 'Daily activities</span> <span class="meta">not rated yet' in latest


def test_the_form_starts_from_the_last_rating_and_today(app, cast, as_user):
    form = as_user(cast.a1).get(f"/people/{cast.person_a.id}/self-reliance").data.decode()
    assert f'value="{local_today().isoformat()}"' in form

    def checked(area):
        return re.findall(
            rf'<input checked id="selfreliance-area_{area}-\d" [^>]*value="(\w*)"', form
        )

    assert checked("housing") == ["person"]
    assert checked("money") == ["network"]
    assert checked("health") == [""]  # not this time


def test_an_area_left_at_not_this_time_is_not_rated(app, cast, as_user):
    data = _rating(housing="professionals", money="", daily="  ")
    response = as_user(cast.a1).post(f"/people/{cast.person_a.id}/self-reliance", data=data)
    assert response.status_code == 303
    assert SelfReliance.select().where(SelfReliance.rated_on == local_today()).count() == 1


def test_bad_input_says_what_to_fix_next_to_the_field_and_keeps_what_was_typed(app, cast, as_user):
    future = local_today() + dt.timedelta(days=3)
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/self-reliance",
        data=_rating(day=future, housing="nobody"),
        headers=HTMX,
    )
    assert response.status_code == 400
    body = response.data.decode()
    assert body.lstrip().startswith('<section id="selfreliance"')
    assert "This is in the future. Rate how things are now or were." in body
    assert f'value="{future.isoformat()}"' in body
    assert "Not a valid choice." in body
    assert SelfReliance.select().count() == 2  # the cast's

    nothing = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/self-reliance", data=_rating(), headers=HTMX
    )
    assert nothing.status_code == 400
    # The message sits in the first area's field, before its choices.
    field = re.search(
        r'<div class="field chips has-error">\s*<fieldset[^>]*>\s*'
        r"<legend>Housing</legend>(.*?)</fieldset>",
        nothing.data.decode(),
        re.S,
    )
    assert field and "Choose who does it now for at least one area of life." in field.group(1)

    garbled = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/self-reliance",
        data=_rating(day=None)
        | {"selfreliance-rated_on": "31-02-2026", "selfreliance-area_money": "person"},
    )
    assert garbled.status_code == 400
    assert SelfReliance.select().count() == 2


def test_a_correction_saves_and_a_stale_one_is_refused(app, cast, as_user):
    rating_id = cast.parts["selfreliance"]
    prefix = f"selfreliance-{rating_id}"
    url = f"/self-reliance/{rating_id}/edit"
    day = (local_today() - dt.timedelta(days=10)).isoformat()
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    assert anna.get(url).status_code == 200
    saved = anna.post(
        url, data={f"{prefix}-rated_on": day, f"{prefix}-who": "network", f"{prefix}-version": "1"}
    )
    assert saved.status_code == 303
    stale = bram.post(
        url,
        data={
            f"{prefix}-rated_on": day,
            f"{prefix}-who": "professionals",
            f"{prefix}-version": "1",
        },
    )
    assert stale.status_code == 409
    assert b"Anna Aalders saved changes to this rating" in stale.data
    rating = SelfReliance.get_by_id(rating_id)
    assert (rating.who, rating.version) == ("network", 2)
    change = AuditEvent.get(AuditEvent.entity == "self_reliance", AuditEvent.action == "update")
    assert json.loads(change.changes)["before"]["who"] == "person"


def test_remove_asks_once_and_the_history_keeps_what_it_said(app, cast, as_user):
    rating_id = cast.parts["selfreliance"]
    client = as_user(cast.a1)
    question = client.get(f"/self-reliance/{rating_id}/delete", headers=HTMX)
    assert question.status_code == 200
    assert "Remove this rating?" in question.data.decode()
    assert "Housing" in question.data.decode() and "Themselves" in question.data.decode()
    assert SelfReliance.select().count() == 2, "asking changes nothing"
    assert client.post(f"/self-reliance/{rating_id}/delete").status_code == 303
    assert SelfReliance.get_or_none(SelfReliance.id == rating_id) is None
    history = client.get(f"/people/{cast.person_a.id}/history").data.decode()
    assert "Removed a rating of who does an area of life" in history
    assert "Rated who does an area of life" in history
    assert "was Themselves" in history  # by its label, not its code


def test_a_team_that_does_not_keep_it_sees_nothing_of_it(app, cast, as_user):
    client = as_user(cast.b1)
    page = _page(client, cast.person_b)
    assert "Who does what" not in page
    assert 'id="selfreliance"' not in page
    assert "self-reliance" not in page
    assert client.get(f"/people/{cast.person_b.id}/self-reliance").status_code == 404
    posted = client.post(
        f"/people/{cast.person_b.id}/self-reliance", data=_rating(housing="person")
    )
    assert posted.status_code == 404
    measures = client.get("/measures/").data.decode()
    assert "Who does what" not in measures
    # Turned off, team A's ratings stay but show nowhere and take no query.
    Team.update(uses_self_reliance=False).where(Team.id == cast.team_a.id).execute()
    anna = as_user(cast.a1)
    assert "Who does what" not in _page(anna, cast.person_a)
    assert "Who does what" not in anna.get("/measures/").data.decode()
    assert anna.get(f"/self-reliance/{cast.parts['selfreliance']}/edit").status_code == 404
    assert SelfReliance.select().count() == 2


def test_a_member_turns_it_on_in_the_teams_details_and_the_log_says_so(app, cast, as_user):
    client = as_user(cast.b1)
    form = client.get("/team/details").data.decode()
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    data = {
        "name": "Team B",
        "area": "Zuid",
        "capacity": "60",
        "version": version,
        "uses_self_reliance": "y",
    }
    assert client.post("/team/details", data=data).status_code == 303
    assert Team.get_by_id(cast.team_b.id).uses_self_reliance is True
    team_page = client.get("/team/").data.decode()
    assert "We keep who does what: no → yes" in team_page
    assert "Who does what" in _page(client, cast.person_b)
    # Never required: a case opens with a name and a way to reach them.
    opened = client.post("/people/new", data={"name": "Riet Nieuw", "phone": "06-3"})
    assert opened.status_code == 303
    assert Client.get(Client.name == "Riet Nieuw").team_id == cast.team_b.id


def test_the_coach_never_sees_a_persons_ratings(app, cast, as_user):
    coach = as_user(cast.coach_a)
    assert coach.get(f"/people/{cast.person_a.id}").status_code == 403
    assert coach.get(f"/people/{cast.person_a.id}/self-reliance").status_code == 403
    assert coach.get("/measures/").status_code == 403
    page = coach.get("/coach/").data.decode()
    assert "Who does what" not in page and "Themselves" not in page


def test_the_persons_and_the_teams_exports_hold_the_ratings(app, cast, as_user):
    client = as_user(cast.a1)
    person = client.get(f"/people/{cast.person_a.id}/export.json")
    assert person.status_code == 200
    held = json.loads(person.data)
    rows = held["records"]["self_reliance"]
    assert sorted((r["area"], r["who"]) for r in rows) == [
        ("housing", "person"),
        ("money", "network"),
    ]
    team = client.get(f"/team/{cast.team_a.id}/export.jsonl").data.decode().splitlines()
    lines = [json.loads(line) for line in team]
    assert sum(1 for line in lines if line["table"] == "self_reliance") == 2
    assert next(line for line in lines if line["table"] == "team")["uses_self_reliance"] is True
