"""The back office never sees client data: every page of support requests it can
open, over the demo's requests, holds no name, street or phone number of anyone
in the demo teams' care."""

import re

from conftest import login

from teamcase.db import db
from teamcase.models import Client, SupportRequest, Team, User


def _forbidden() -> set[str]:
    """Each person's whole name, preferred name and surname, street and phone, as
    they are written; a word that is also part of a member's name stays out (the
    pages name the colleagues who asked)."""
    members = {w for (name,) in User.select(User.name).tuples() for w in name.split()}
    found = set()
    for person in Client.select():
        found |= {person.name, person.preferred_name}
        surname = person.name.split()[-1]
        if len(surname) > 3 and surname not in members:
            found.add(surname)
        street = re.split(r"\s*\d", person.street or "", maxsplit=1)[0].strip()
        if street:
            found.add(street)
        if person.phone:
            found |= {person.phone, re.sub(r"\D", "", person.phone)}
    return {text for text in found if text and len(text) > 3}


def test_no_back_office_page_of_support_requests_names_anyone_in_care(app, demo_team):
    from teamcase.demo import DEMO_PASSWORD

    with db.connection_context():
        office = User.get(User.role == User.BACKOFFICE)
        forbidden = _forbidden()
        requests = list(SupportRequest.select())
        teams = list(Team.select())
    assert len(forbidden) > 100 and len(requests) >= 3
    client = app.test_client()
    login(client, office, DEMO_PASSWORD)
    urls = ["/support/queue", "/support/times"]
    urls += [f"/support/queue?state={s}" for s in SupportRequest.STATES]
    urls += [f"/support/queue?team={t.id}" for t in teams]
    urls += [f"/support/{r.id}" for r in requests]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        named = sorted(text for text in forbidden if text in page)
        assert not named, f"{url} shows client data: {named}"
    # The pages did show the requests themselves.
    assert all(r.subject in client.get(f"/support/{r.id}").get_data(as_text=True) for r in requests)
    # Acting on a request of a kind: the form it is done with, then the page with
    # the first password given and what the thread says was made.
    [asked] = [r for r in requests if r.kind]
    form = client.get(f"/support/{asked.id}").get_data(as_text=True)
    assert asked.asked_email in form
    response = client.post(
        f"/support/{asked.id}/act",
        data={"act-name": asked.asked_name, "act-email": asked.asked_email},
    )
    assert response.status_code == 303
    page = client.get(f"/support/{asked.id}").get_data(as_text=True)
    assert 'class="secret"' in page
    named = sorted(text for text in forbidden if text in page)
    assert not named, f"the request acted on shows client data: {named}"


def test_the_back_office_pages_of_a_team_that_splits_name_nobody_in_care(app, demo_team):
    """The demo's biggest team asks for a new team with two of its members, who know
    people best and have visits planned: the back office's pages of the request,
    before and after it made the team and moved them, show no client data."""
    from teamcase.demo import DEMO_PASSWORD
    from teamcase.models.support import NEW_TEAM

    with db.connection_context():
        office = User.get(User.role == User.BACKOFFICE)
        forbidden = _forbidden()
        team = max(Team.select(), key=lambda t: t.active_members().count())
        filer, *members = list(team.active_members())
        asked = SupportRequest.file(
            team,
            by=filer,
            category="accounts",
            subject="",
            description="",
            kind=NEW_TEAM,
            asked_name="Buurtteam Noord",
            asked_area="Noord",
            movers=members[:2],
        )
    client = app.test_client()
    login(client, office, DEMO_PASSWORD)
    pages = [client.get(f"/support/{asked.id}").get_data(as_text=True)]
    response = client.post(
        f"/support/{asked.id}/act", data={"act-name": "Buurtteam Noord", "act-area": "Noord"}
    )
    assert response.status_code == 303
    pages += [client.get(f"/support/{asked.id}").get_data(as_text=True)]
    pages += [client.get("/support/queue?state=done").get_data(as_text=True)]
    assert all(members[0].name in page for page in pages[:2])
    for page in pages:
        named = sorted(text for text in forbidden if text in page)
        assert not named, f"the split team's request shows client data: {named}"
    with db.connection_context():
        assert {m.name for m in Team.get(Team.name == "Buurtteam Noord").active_members()} == {
            m.name for m in members[:2]
        }
