import xml.etree.ElementTree as ET

from conftest import count_queries

from teamcase.models import AuditEvent, Client, Connection, Goal, Offer

SVG = "{http://www.w3.org/2000/svg}"


def _person(cast, name, team=None, **fields):
    team = team or cast.team_a
    by = cast.a1 if team == cast.team_a else cast.b1
    return Client.open(team, by=by, name=name, phone="0600", **fields)


def _need(person, by, words="Go to church again", help_wanted="A lift on Sundays", **fields):
    return Goal.add(person, by, words=words, help_wanted=help_wanted, **fields)


def _offer(cast):
    return Offer.get_by_id(cast.parts["offers"])  # Mies: "Teaches knitting"


def _connect(client, offer, goal, headers=None, **data):
    form = {"offer": str(offer.id), "goal": str(goal.id), "agreed": "y", **data}
    return client.post("/connections", data=form, headers=headers)


def test_it_lists_offers_and_needs_of_the_own_team_only(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    _need(joop, cast.a1, words="Knit a scarf for my grandson", help_wanted="Someone to knit with")
    _need(joop, cast.a1, words="Walk to the market", help_wanted="")
    _need(joop, cast.a1, words="Paint the fence", help_wanted="A brush", status="achieved")
    Offer.add(joop, cast.a1, text="Fixes bicycles", when="Saturdays")
    closed = _person(cast, "Truus Gesloten", status=Client.CLOSED)
    Offer.add(closed, cast.a1, text="Bakes bread")
    _need(closed, cast.a1, help_wanted="Closed person's need")
    Offer.add(cast.person_b, cast.b1, text="Sings in a choir")
    _need(cast.person_b, cast.b1, help_wanted="Team B's need")

    response = as_user(cast.a2).get("/offers-and-needs")
    page = response.data.decode()
    assert response.status_code == 200
    assert "Teaches knitting" in page
    assert "Fixes bicycles" in page and "Saturdays" in page
    assert f'href="/people/{joop.id}#offers"' in page
    assert "Knit a scarf for my grandson" in page and "Someone to knit with" in page
    assert "Walk to the market" not in page  # no help wanted
    assert "Paint the fence" not in page  # achieved
    assert "Bakes bread" not in page and "Closed person's need" not in page
    assert "Sings in a choir" not in page and "Team B's need" not in page
    assert "Kees Zuid" not in page


def test_it_connects_two_neighbours_and_audits_it_on_both(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    offer = Offer.add(cast.person_a, cast.a1, text="A lift to church", when="Sundays")
    client = as_user(cast.a2)
    response = _connect(client, offer, goal, note="Mies's son drives")
    assert response.status_code == 303
    assert response.headers["Location"] == "/offers-and-needs#connections"
    connection = Connection.get()
    assert (connection.offer_id, connection.goal_id) == (offer.id, goal.id)
    assert connection.recorded_by_id == cast.a2.id
    assert connection.note == "Mies's son drives"
    events = AuditEvent.select().where(AuditEvent.entity == "connection")
    assert sorted(e.client_id for e in events) == sorted([cast.person_a.id, joop.id])
    assert {(e.action, e.actor_id, e.entity_id) for e in events} == {
        ("create", cast.a2.id, connection.id)
    }
    page = client.get("/offers-and-needs").data.decode()
    assert "Mies and Joop are connected" in page
    assert f'id="connection-{connection.id}"' in page
    assert "recorded by Bram Bos" in page


def test_it_must_be_ticked_that_both_agreed(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    response = as_user(cast.a1).post(
        "/connections",
        data={"offer": str(_offer(cast).id), "goal": str(goal.id), "note": "Tuesdays at two"},
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert "Ask them both first" in page
    assert 'value="Tuesdays at two"' in page
    assert f'<option selected value="{_offer(cast).id}">' in page
    assert not Connection.select().exists()
    assert not AuditEvent.select().where(AuditEvent.entity == "connection").exists()


def test_it_refuses_offers_and_needs_of_another_team(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal_a = _need(joop, cast.a1)
    goal_b = _need(cast.person_b, cast.b1)
    offer_b = Offer.add(cast.person_b, cast.b1, text="Sings in a choir")

    # Team B's member with team A's ids, and team A's member with team B's.
    response = _connect(as_user(cast.b1), _offer(cast), goal_a)
    assert response.status_code == 400
    assert b"not on your team" in response.data
    assert b"Mies" not in response.data and b"Joop" not in response.data
    client_a = as_user(cast.a1)
    assert _connect(client_a, offer_b, goal_a).status_code == 400
    assert _connect(client_a, _offer(cast), goal_b).status_code == 400
    assert client_a.get(f"/connections/new?goal={goal_b.id}").status_code == 404
    assert as_user(cast.b1).get(f"/connections/new?goal={goal_a.id}").status_code == 404
    assert not Connection.select().exists()


def test_it_refuses_a_person_s_own_offer_and_ids_that_are_not_numbers(app, cast, as_user):
    goal = _need(cast.person_a, cast.a1)
    client = as_user(cast.a1)
    response = _connect(client, _offer(cast), goal)
    assert response.status_code == 400
    assert b"This is their own offer" in response.data
    response = client.post("/connections", data={"offer": "abc", "goal": "", "agreed": "y"})
    assert response.status_code == 400
    assert b"Choose the need this offer meets." in response.data
    assert not Connection.select().exists()


def test_it_refuses_a_duplicate_and_says_who_connected_them(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    # Both members opened the form; Anna sends hers first.
    assert _connect(as_user(cast.a1), _offer(cast), goal).status_code == 303
    response = _connect(as_user(cast.a2), _offer(cast), goal, note="Bram's note")
    page = response.data.decode()
    assert response.status_code == 409
    assert "Anna Aalders already connected Mies Bakker and Joop Visser" in page
    assert 'value="Bram&#39;s note"' in page
    assert Connection.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.entity == "connection").count() == 2


def test_the_connection_shows_on_both_network_pictures(app, cast, as_user):
    connection = cast.connection  # Mies's offer meets Joop's need
    client = as_user(cast.a1)
    for person, other in ((cast.person_a, "Joop"), (cast.neighbour_a, "Mies")):
        response = client.get(f"/people/{person.id}/ecomap.svg")
        assert response.status_code == 200
        svg = ET.fromstring(response.data)  # well-formed XML
        texts = [t.text for t in svg.iter(f"{SVG}text")]
        assert other in texts
        assert "via the team" in texts
        assert "Friends and" in texts  # its group, over two lines
        desc = svg.find(f"{SVG}desc").text
        assert f"{other} (neighbour via the team, moderate tie" in desc
        assert "Company on the phone" in desc
        # The list that stands in for the picture says the same.
        page = client.get(f"/people/{person.id}").data.decode()
        assert f'id="neighbour-{connection.id}"' in page
        assert "Neighbour (via the team)" in page
        ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])


def test_it_undoes_a_connection_audited_on_both(app, cast, as_user):
    connection = cast.connection
    response = as_user(cast.a2).post(f"/connections/{connection.id}/end")
    assert response.status_code == 303
    assert not Connection.select().where(Connection.id == connection.id).exists()
    events = AuditEvent.select().where(
        AuditEvent.entity == "connection", AuditEvent.action == "delete"
    )
    assert sorted(e.client_id for e in events) == sorted([cast.person_a.id, cast.neighbour_a.id])
    assert b"Joop" not in as_user(cast.a1).get(f"/people/{cast.person_a.id}/ecomap.svg").data
    # A second undo finds nothing.
    assert as_user(cast.a1).post(f"/connections/{connection.id}/end").status_code == 404
    assert as_user(cast.a1).get(f"/connections/{connection.id}/end").status_code == 405


def test_outsiders_cannot_undo_a_connection(app, cast, as_user):
    connection = cast.connection
    assert as_user(cast.b1).post(f"/connections/{connection.id}/end").status_code == 404
    assert as_user(cast.coach_a).post(f"/connections/{connection.id}/end").status_code == 403
    assert Connection.select().count() == 1


def test_a_coach_gets_403_everywhere(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    coach = as_user(cast.coach_a)
    assert coach.get("/offers-and-needs").status_code == 403
    assert coach.get(f"/connections/new?goal={goal.id}").status_code == 403
    assert _connect(coach, _offer(cast), goal).status_code == 403
    assert not Connection.select().exists()


def test_it_connects_in_place_with_htmx(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    client = as_user(cast.a1)
    htmx = {"HX-Request": "true"}
    form = client.get(f"/connections/new?goal={goal.id}", headers=htmx).data.decode()
    assert form.lstrip().startswith(f'<div class="connect-form card" id="connect-form-{goal.id}"')
    assert "<html" not in form
    assert "Teaches knitting" in form
    assert f'name="goal" value="{goal.id}"' in form

    missing = _connect(client, _offer(cast), goal, headers=htmx, agreed="")
    assert missing.status_code == 400
    assert missing.data.decode().lstrip().startswith('<div class="connect-form card"')

    response = _connect(client, _offer(cast), goal, headers=htmx)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#board"
    body = response.data.decode()
    assert body.lstrip().startswith('<div id="board">')
    assert "Mies and Joop are connected" in body
    connection = Connection.get()
    undone = client.post(f"/connections/{connection.id}/end", headers=htmx)
    assert undone.status_code == 200
    assert "are no longer connected" in undone.data.decode()


def test_it_works_without_javascript_from_a_blank_form(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    page = as_user(cast.a1).get("/connections/new").data.decode()
    assert '<select id="goal" name="goal"' in page
    assert f'<option value="{goal.id}">Joop Visser: A lift on Sundays' in page
    assert "Teaches knitting" in page


def test_it_needs_the_csrf_token(app, cast, as_user):
    joop = _person(cast, "Joop Visser")
    goal = _need(joop, cast.a1)
    client = as_user(cast.a1)
    app.config["WTF_CSRF_ENABLED"] = True
    response = _connect(client, _offer(cast), goal)
    assert response.status_code == 400
    assert not Connection.select().exists()


def _grow_team(cast, size, prefix):
    """`size` people in team A, each with an offer, a need and a connection."""
    Client.insert_many(
        [{"team": cast.team_a.id, "name": f"{prefix} {i:03d}"} for i in range(size)]
    ).execute()
    people = list(Client.select().where(Client.name.startswith(prefix)).order_by(Client.id))
    Offer.insert_many([{"client": p.id, "text": f"offer of {p.name}"} for p in people]).execute()
    Goal.insert_many(
        [{"client": p.id, "words": "a goal", "help_wanted": f"help for {p.name}"} for p in people]
    ).execute()
    offers = list(Offer.select().join(Client).where(Client.name.startswith(prefix)))
    goals = list(Goal.select().join(Client).where(Client.name.startswith(prefix)))
    # Each offer meets the next person's need.
    Connection.insert_many(
        [
            {"offer": o.id, "goal": goals[(i + 1) % len(goals)].id, "recorded_by": cast.a1.id}
            for i, o in enumerate(offers)
        ]
    ).execute()


def test_the_page_query_count_does_not_grow(app, cast, as_user):
    client = as_user(cast.a1)
    _grow_team(cast, 2, "Few")
    with count_queries() as few:
        client.get("/offers-and-needs")
    _grow_team(cast, 60, "Many")
    with count_queries() as many:
        response = client.get("/offers-and-needs")
    page = response.data.decode()
    assert page.count('id="need-') == 62
    assert page.count('id="connection-') == 62
    assert len(few) == len(many) == 6, many


def test_the_person_page_query_count_does_not_grow_with_connections(app, cast, as_user):
    client = as_user(cast.a1)
    offer = _offer(cast)
    _grow_team(cast, 40, "Neighbour")
    goals = list(Goal.select().join(Client).where(Client.name.startswith("Neighbour")))
    Connection.create(offer=offer, goal=goals[0], recorded_by=cast.a1)
    with count_queries() as few:
        client.get(f"/people/{cast.person_a.id}")
        client.get(f"/people/{cast.person_a.id}/ecomap.svg")
    Connection.insert_many(
        [{"offer": offer.id, "goal": g.id, "recorded_by": cast.a1.id} for g in goals[1:]]
    ).execute()
    with count_queries() as many:
        page = client.get(f"/people/{cast.person_a.id}").data.decode()
        client.get(f"/people/{cast.person_a.id}/ecomap.svg")
    assert page.count('id="neighbour-') == 40
    assert len(few) == len(many), many
