"""The team's own page: details and capacity, adding colleagues (invitation link or
first password), deactivating them, the roles the team rotates, and the team log."""

import datetime as dt
import hashlib
import json
import re
import threading

import pytest
from conftest import PASSWORD, PASSWORD_HASH, count_queries, login

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models import (
    AuditEvent,
    Contact,
    EmailInUse,
    Invitation,
    RoleHolding,
    Team,
    TeamChangeRefused,
    TeamRole,
    User,
    utcnow,
)

NEW_PASSWORD = "a walk along the Amstel"


def _member(team, name, email, **fields):
    with db.connection_context():
        return User.create(
            email=email,
            name=name,
            team=team,
            role=User.MEMBER,
            password_hash=PASSWORD_HASH,
            **fields,
        )


def _details(**overrides):
    data = {
        "name": "Team A",
        "area": "Oost",
        "street": "Eerste van Swindenstraat 120",
        "postcode": "1093 GG",
        "city": "Amsterdam",
        "phone": "020 665 43 21",
        "email": "oost@team.example.org",
        "capacity": "55",
        # Team A keeps who does what and uses the Omaha System: the boxes come ticked.
        "uses_self_reliance": "y",
        "uses_omaha": "y",
        "version": "1",
    }
    data.update(overrides)
    return data


def _invite(client, name="Kwame Mensah", email="kwame@a.example.org"):
    """Anna invites someone; returns the path of the join link the page shows once."""
    response = client.post(
        "/team/members/new", data={"name": name, "email": email, "how": "invitation"}
    )
    assert response.status_code == 303, response.data[:500]
    page = client.get(response.headers["Location"]).data.decode()
    link = re.search(
        r'id="invitation-link" type="text" readonly value="http://localhost(/join/[^"]+)"', page
    )
    assert link, page
    return link[1]


def _log(team):
    return list(AuditEvent.for_team(team, ("member", "invitation", "role", "team")))


def race(*calls):
    """Run each call in a thread of its own, on a connection of its own, all released
    at once; returns ("ok", result) or ("refused", error) for each, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        with db.connection_context():
            barrier.wait()
            try:
                results[index] = ("ok", call())
            except (TeamChangeRefused, EmailInUse) as error:
                results[index] = ("refused", error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(result is not None for result in results), results
    return results


# The team page


def test_the_team_page_shows_details_members_roles_and_the_log(app, cast, as_user):
    role = cast.role_a
    with db.connection_context():
        Team.update(street="Javastraat 5", postcode="1094 HA", city="Amsterdam", capacity=40).where(
            Team.id == cast.team_a.id
        ).execute()
    page = as_user(cast.a2).get("/team/").data.decode()
    assert "Javastraat 5, 1094 HA Amsterdam" in page
    assert (
        "We can care for <strong>40 people</strong> well. Now caring for <strong>1</strong>."
        in page
    )
    for member in (cast.a1, cast.a2):
        assert member.name in page and member.email in page
    assert cast.b1.name not in page
    anna = page[page.index(f'id="member-{cast.a1.id}"') :]
    anna = anna[: anna.index("</li>")]
    assert "Planner" in anna  # the role she holds
    assert "1 person" in anna  # she knows Mies best
    assert f'id="role-{role.id}"' in page and "Makes the week plan" in page
    assert "Named a new role: Planner" in page


def test_a_member_of_another_team_sees_only_her_own_team(app, cast, as_user):
    assert cast.role_a.team_id == cast.team_a.id
    page = as_user(cast.b1).get("/team/").data.decode()
    assert "Team B" in page and cast.b1.name in page
    assert cast.a1.name not in page and "Planner" not in page


@pytest.mark.parametrize("role", ["coach_a", "coach_x", "office"])
def test_coaches_and_back_office_may_not_open_the_team_page(app, cast, as_user, role):
    assert as_user(getattr(cast, role)).get("/team/").status_code == 403


def test_former_members_show_when_they_left(app, cast, as_user):
    client = as_user(cast.a1)
    client.post(f"/team/members/{cast.a2.id}/deactivate", data={"note": "Moved to Utrecht"})
    page = client.get("/team/").data.decode()
    former = page[page.index('id="former"') :]
    assert cast.a2.name in former
    today = local_today()
    assert f"{today.day} {today:%b %Y} – {today.day} {today:%b %Y}" in former
    assert "Deactivated Bram Bos, who left the team" in page
    assert "“Moved to Utrecht”" in page


def test_the_log_is_paged_by_fifty_newest_first(app, cast, as_user):
    with db.connection_context():
        for i in range(60):
            AuditEvent.create(
                team=cast.team_a,
                actor=cast.a1,
                action="create",
                entity="role",
                entity_id=i,
                changes=json.dumps({"before": None, "after": {"role": f"Role {i:02d}"}}),
                at=utcnow() - dt.timedelta(minutes=60 - i),
            )
    client = as_user(cast.a1)
    first = client.get("/team/").data.decode()
    assert first.count("Named a new role: Role") == 50
    assert "Role 59" in first and "Role 10" in first and "Role 09" not in first
    assert first.index("Role 59") < first.index("Role 58")
    assert "Older entries" in first and "Newer entries" not in first
    # The pager asks for the log alone.
    second = client.get("/team/?page=2", headers={"HX-Request": "true"}).data.decode()
    assert second.lstrip().startswith('<section id="team-log"')
    assert second.count("Named a new role: Role") == 10
    assert "Role 09" in second and "Newer entries" in second and "Older entries" not in second


def test_the_log_leaves_out_changes_to_people_s_records(app, cast, as_user):
    page = as_user(cast.a1).get("/team/").data.decode()
    log = page[page.index('id="team-log"') :]
    assert "Nothing in the log yet" in log  # the cast opened cases and recorded contacts


def test_the_team_page_query_count_does_not_grow(app, cast, as_user):
    client = as_user(cast.a1)

    def grow(count, start):
        with db.connection_context():
            for i in range(start, start + count):
                member = User.create(
                    email=f"m{i}@a.example.org",
                    name=f"Member {i}",
                    team=cast.team_a,
                    password_hash=PASSWORD_HASH,
                    active=i % 3 != 0,
                )
                role = TeamRole.add(cast.team_a, cast.a1, f"Role {i}")
                RoleHolding.create(role=role, member=member, since=local_today())
                Invitation.send(cast.team_a, cast.a1, f"Guest {i}", f"g{i}@example.org", 7)
                AuditEvent.record(
                    cast.a1,
                    None,
                    "deactivate",
                    "member",
                    member.id,
                    after={"name": member.name, "active": False},
                    team=cast.team_a,
                )

    grow(5, 0)
    with count_queries() as small:
        assert client.get("/team/").status_code == 200
    grow(25, 5)
    with count_queries() as large:
        page = client.get("/team/").data.decode()
    assert page.count('class="member-row"') > 20
    # The account and its team; members, roles, holdings, the log, the caseload
    # count, when the former members left, invitations; the team's coach and its proposals.
    assert len(small) == len(large) == 12, large


# The team's details


def test_a_member_changes_the_details_and_the_log_says_so(app, cast, as_user):
    client = as_user(cast.a2)
    response = client.post("/team/details", data=_details())
    assert response.status_code == 303
    team = Team.get_by_id(cast.team_a.id)
    assert (team.street, team.capacity, team.version) == ("Eerste van Swindenstraat 120", 55, 2)
    page = client.get("/team/").data.decode()
    assert "Changed the team&#39;s details" in page
    assert "How many people we can care for well: 60 → 55" in page
    assert "Phone: — → 020 665 43 21" in page


def test_a_capacity_change_alone_reads_as_one(app, cast, as_user):
    client = as_user(cast.a1)
    client.post(
        "/team/details",
        data=_details(street="", postcode="", city="", phone="", email="", capacity="58"),
    )
    page = client.get("/team/").data.decode()
    assert "Changed how many people we can care for well: 60 → 58" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity": "0"}, "Enter a number between 1 and 500."),
        ({"capacity": "501"}, "Enter a number between 1 and 500."),
        ({"capacity": "lots"}, "Not a valid integer value."),
        ({"capacity": ""}, "Enter how many people the team can care for well."),
        ({"name": ""}, "Enter the team's name."),
        ({"email": "oost at team"}, "This does not look like an email address"),
        ({"postcode": "1093 GG AMSTERDAM"}, "Keep it to 12 characters or fewer."),
    ],
)
def test_bad_details_get_a_message_and_keep_what_was_typed(app, cast, as_user, overrides, message):
    data = _details(**overrides)
    response = as_user(cast.a1).post("/team/details", data=data)
    page = response.data.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Eerste van Swindenstraat 120"' in page
    for value in overrides.values():
        if value:
            assert f'value="{value}"' in page
    team = Team.get_by_id(cast.team_a.id)
    assert (team.capacity, team.street, team.version) == (60, "", 1)


def test_another_team_s_name_is_refused_next_to_the_field(app, cast, as_user):
    response = as_user(cast.a1).post("/team/details", data=_details(name="Team B"))
    assert response.status_code == 400
    assert "Another team is already called “Team B”" in response.data.decode()
    assert Team.get_by_id(cast.team_a.id).name == "Team A"


def test_a_stale_save_of_the_details_says_who_saved_and_keeps_what_was_typed(app, cast, as_user):
    as_user(cast.a2).post("/team/details", data=_details(capacity="50"))
    response = as_user(cast.a1).post(
        "/team/details", data=_details(capacity="65", phone="020 111 22 33")
    )
    page = response.data.decode()
    assert response.status_code == 409
    assert "Bram Bos saved the team’s details" in page
    assert "How many people we can care for well: <strong>50</strong>" in page
    assert 'value="65"' in page and 'value="020 111 22 33"' in page
    assert 'name="version" type="hidden" value="2"' in page
    assert Team.get_by_id(cast.team_a.id).capacity == 50


def test_the_details_form_starts_with_what_is_saved(app, cast, as_user):
    page = as_user(cast.a1).get("/team/details").data.decode()
    assert 'value="Team A"' in page and 'value="60"' in page and 'value="1"' in page


def test_coaches_may_not_change_the_details(app, cast, as_user):
    assert as_user(cast.coach_a).post("/team/details", data=_details()).status_code == 403
    assert Team.get_by_id(cast.team_a.id).version == 1


# Adding a colleague


def test_an_invitation_keeps_only_a_hash_and_shows_the_link_once(app, cast, as_user):
    app.config["INVITATION_DAYS"] = 3
    client = as_user(cast.a1)
    path = _invite(client)
    token = path.rsplit("/", 1)[1]
    invitation = Invitation.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (invitation.name, invitation.email, invitation.invited_by_id) == (
        "Kwame Mensah",
        "kwame@a.example.org",
        cast.a1.id,
    )
    assert abs(invitation.expires_at - (utcnow() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
    stored = [json.dumps(row, default=str) for row in Invitation.select().dicts()]
    stored += [e.changes for e in AuditEvent.select()]
    assert not any(token in text for text in stored)
    again = client.get(f"/team/invitations/{invitation.id}").data.decode()
    assert token not in again and "shown once" in again
    page = client.get("/team/").data.decode()
    assert "Invited, not joined yet" in page and "Kwame Mensah" in page
    assert "Invited Kwame Mensah to join" in page


def test_the_invitee_chooses_a_password_and_lands_on_the_caseload(app, cast, as_user):
    path = _invite(as_user(cast.a1))
    visitor = app.test_client()
    page = visitor.get(path).data.decode()
    assert "Welcome, Kwame Mensah" in page and "Anna Aalders invited you to join" in page
    response = visitor.post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/caseload"
    assert visitor.get("/caseload").status_code == 200
    kwame = User.get(User.email == "kwame@a.example.org")
    assert (kwame.team_id, kwame.role, kwame.active, kwame.must_change_password) == (
        cast.team_a.id,
        User.MEMBER,
        True,
        False,
    )
    assert Invitation.get().used_at is not None
    login(app.test_client(), kwame, NEW_PASSWORD)
    log = _log(cast.team_a)
    assert (log[0].action, log[0].actor_id) == ("join", kwame.id)
    assert (
        "Joined the team, invited by Anna Aalders" in as_user(cast.a1).get("/team/").data.decode()
    )


def test_a_used_link_no_longer_works(app, cast, as_user):
    path = _invite(as_user(cast.a1))
    app.test_client().post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    other = app.test_client()
    response = other.get(path)
    assert response.status_code == 410
    assert "The link was used to join Team A already" in response.data.decode()
    again = other.post(path, data={"new": "yet another password", "repeat": "yet another password"})
    assert again.status_code == 410
    assert User.select().where(User.email == "kwame@a.example.org").count() == 1


def test_an_expired_link_says_whom_to_ask(app, cast, as_user):
    path = _invite(as_user(cast.a1))
    Invitation.update(expires_at=utcnow() - dt.timedelta(hours=1)).execute()
    response = app.test_client().post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    page = response.data.decode()
    assert response.status_code == 410
    assert "The link ran out" in page and "Ask Anna Aalders of Team A for a new one" in page
    assert not User.select().where(User.email == "kwame@a.example.org").exists()
    team_page = as_user(cast.a1).get("/team/").data.decode()
    assert "The link ran out" in team_page


def test_a_withdrawn_link_no_longer_works(app, cast, as_user):
    client = as_user(cast.a1)
    path = _invite(client)
    invitation = Invitation.get()
    response = client.post(f"/team/invitations/{invitation.id}/withdraw")
    assert response.status_code == 303
    assert Invitation.get_by_id(invitation.id).withdrawn_at is not None
    answer = app.test_client().get(path)
    assert answer.status_code == 410
    assert "Team A withdrew this invitation" in answer.data.decode()
    page = client.get("/team/").data.decode()
    assert "Invited, not joined yet" not in page
    assert "Withdrew the invitation for Kwame Mensah" in page


def test_withdrawing_in_place_answers_with_the_section_and_the_log(app, cast, as_user):
    invitation = cast.invitation_a
    response = as_user(cast.a2).post(
        f"/team/invitations/{invitation.id}/withdraw", headers={"HX-Request": "true"}
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="invitations"')
    assert "The invitation for Kwame Mensah is withdrawn" in page
    assert 'id="team-log" aria-labelledby="log-heading" hx-swap-oob="true"' in page
    assert "Withdrew the invitation for Kwame Mensah" in page
    again = as_user(cast.a1).post(
        f"/team/invitations/{invitation.id}/withdraw", headers={"HX-Request": "true"}
    )
    assert again.status_code == 409
    assert "Bram Bos already withdrew the invitation for Kwame Mensah." in again.data.decode()


@pytest.mark.parametrize(
    ("what", "words", "section", "quoted", "button"),
    [
        ("invitation", "Withdraw this invitation?", "invitations", "Kwame Mensah", "Withdraw"),
        ("role", "Retire this role?", "roles", "Planner", "Retire the role"),
    ],
)
def test_withdrawing_an_invitation_or_retiring_a_role_asks_once_and_a_get_writes_nothing(
    app, cast, as_user, what, words, section, quoted, button
):
    if what == "invitation":
        url, item = f"/team/invitations/{cast.invitation_a.id}/withdraw", "invitation"
        record_id = cast.invitation_a.id
    else:
        url, item = f"/team/roles/{cast.role_a.id}/retire", "role"
        record_id = cast.role_a.id
    client = as_user(cast.a1)
    before = AuditEvent.select().count()
    page = client.get(url)
    body = page.data.decode()
    assert page.status_code == 200
    assert f"<h1>{words}</h1>" in body and quoted in body
    assert f'<form method="post" action="{url}"' in body
    assert f">{button}" in body
    assert f'href="/team/#{item}-{record_id}">Keep it</a>' in body
    fragment = client.get(url, headers={"HX-Request": "true"}).data.decode()
    assert "<h1>" not in fragment and words in fragment
    assert f'hx-post="{url}" hx-target="#{section}" hx-swap="outerHTML"' in fragment
    assert AuditEvent.select().count() == before
    assert Invitation.get_by_id(cast.invitation_a.id).withdrawn_at is None
    assert TeamRole.get_by_id(cast.role_a.id).active
    # The team page offers the question in place of the item, not a one-tap button.
    team = client.get("/team/").data.decode()
    assert f'href="{url}" hx-get="{url}" hx-target="#{item}-{record_id}"' in team
    assert f'action="{url}"' not in team


def test_the_invitation_page_asks_too_and_keep_it_goes_back_there(app, cast, as_user):
    invitation = cast.invitation_a
    client = as_user(cast.a1)
    page = client.get(f"/team/invitations/{invitation.id}").data.decode()
    url = f"/team/invitations/{invitation.id}/withdraw"
    assert f'href="{url}?back=invitation"' in page and f'action="{url}"' not in page
    question = client.get(f"{url}?back=invitation").data.decode()
    assert f'href="/team/invitations/{invitation.id}">Keep it</a>' in question
    assert Invitation.get_by_id(invitation.id).withdrawn_at is None


def test_a_link_opened_twice_at_once_makes_one_account(app, cast):
    invitation = cast.invitation_a
    results = race(
        lambda: invitation.accept("first tablet password"),
        lambda: invitation.accept("second tablet password"),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert User.select().where(User.email == "kwame@a.example.org").count() == 1


def test_a_made_up_token_gets_not_found(app, cast):
    assert cast.invitation_a.state() == Invitation.OPEN
    for path in ("/join/not-a-token", "/join/" + "x" * 300):
        assert app.test_client().get(path).status_code == 404
        assert app.test_client().post(path, data={}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new": "short", "repeat": "short"}, "Use at least 10 characters."),
        (
            {"new": NEW_PASSWORD, "repeat": "something else"},
            "The two new passwords are not the same.",
        ),
        ({"new": "", "repeat": ""}, "Choose a new password."),
    ],
)
def test_a_bad_password_when_joining_says_why(app, cast, as_user, data, message):
    path = _invite(as_user(cast.a1))
    response = app.test_client().post(path, data=data)
    assert response.status_code == 400
    assert message in response.data.decode()
    assert not User.select().where(User.email == "kwame@a.example.org").exists()
    assert Invitation.get().used_at is None


def test_a_logged_in_member_cannot_accept_someone_else_s_invitation(app, cast, as_user):
    path = _invite(as_user(cast.a1))
    bram = as_user(cast.a2)
    page = bram.get(path).data.decode()
    assert "You are logged in as Bram Bos" in page
    response = bram.post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 409
    assert Invitation.get().used_at is None


def test_an_address_that_got_an_account_meanwhile_is_explained(app, cast, as_user):
    path = _invite(as_user(cast.a1))
    _member(cast.team_b, "Kwame Mensah", "kwame@a.example.org")
    response = app.test_client().post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 409
    assert "There is already an account for kwame@a.example.org." in response.data.decode()
    assert Invitation.get().used_at is None


def test_a_first_password_makes_an_account_that_must_choose_its_own(app, cast, as_user):
    client = as_user(cast.a2)
    response = client.post(
        "/team/members/new",
        data={
            "name": "Lotte Jansen",
            "email": " Lotte@A.example.org ",
            "how": "password",
            "first_password": "first password 1",
        },
    )
    assert response.status_code == 303
    lotte = User.get(User.email == "lotte@a.example.org")
    assert (lotte.team_id, lotte.must_change_password, lotte.active) == (cast.team_a.id, True, True)
    page = client.get("/team/").data.decode()
    assert "Lotte Jansen can log in now" in page
    assert "Added Lotte Jansen as a colleague, with a first password" in page
    assert _log(cast.team_a)[0].actor_id == cast.a2.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter your new colleague's name."),
        ({"email": ""}, "Enter their email address."),
        ({"email": "lotte at home"}, "This does not look like an email address"),
        ({"email": "bram@a.example.org"}, "There is already an account for bram@a.example.org."),
        ({"email": "COR@b.example.org"}, "There is already an account for cor@b.example.org."),
        ({"how": "password", "first_password": ""}, "Choose a first password, or send an"),
        ({"how": "password", "first_password": "short"}, "Use at least 10 characters."),
        ({"how": "carrier pigeon"}, "Not a valid choice"),
    ],
)
def test_adding_a_colleague_with_bad_input_says_why(app, cast, as_user, data, message):
    form = {"name": "Lotte Jansen", "email": "lotte@a.example.org", "how": "invitation"}
    form.update(data)
    response = as_user(cast.a1).post("/team/members/new", data=form)
    page = response.data.decode()
    assert response.status_code == 400
    assert message in page
    if form["name"]:
        assert 'value="Lotte Jansen"' in page
    if form["email"]:
        assert f'value="{form["email"]}"' in page
    assert User.select().count() == 6 and Invitation.select().count() == 0


def test_an_address_already_invited_is_not_invited_twice(app, cast, as_user):
    assert cast.invitation_a.email == "kwame@a.example.org"
    response = as_user(cast.a2).post(
        "/team/members/new",
        data={"name": "Kwame M.", "email": "kwame@a.example.org", "how": "invitation"},
    )
    assert response.status_code == 400
    assert "Anna Aalders already invited Kwame Mensah with this address." in response.data.decode()
    assert Invitation.select().count() == 1


def test_two_colleagues_inviting_one_address_at_once_send_one_link(app, cast):
    def invite(by):
        return lambda: Invitation.send(cast.team_a, by, "Kwame Mensah", "kwame@a.example.org", 7)

    results = race(invite(cast.a1), invite(cast.a2))

    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    refused = next(error for kind, error in results if kind == "refused")
    assert "already invited Kwame Mensah with this address" in str(refused)
    assert Invitation.select().count() == 1


def test_a_link_that_ran_out_gives_way_to_a_new_one(app, cast):
    old = cast.invitation_a
    Invitation.update(expires_at=utcnow() - dt.timedelta(hours=1)).where(
        Invitation.id == old.id
    ).execute()

    new, _token = Invitation.send(cast.team_a, cast.a2, "Kwame Mensah", "kwame@a.example.org", 7)

    assert Invitation.get_by_id(old.id).state() == Invitation.WITHDRAWN
    assert new.state() == Invitation.OPEN
    assert [i.id for i in Invitation.waiting(cast.team_a)] == [new.id]


def test_invitations_of_another_team_are_not_found(app, cast, as_user):
    invitation = cast.invitation_a
    client = as_user(cast.b1)
    assert client.get(f"/team/invitations/{invitation.id}").status_code == 404
    assert client.post(f"/team/invitations/{invitation.id}/withdraw").status_code == 404
    assert (
        as_user(cast.coach_a).post(f"/team/invitations/{invitation.id}/withdraw").status_code == 403
    )
    assert Invitation.get_by_id(invitation.id).withdrawn_at is None


# A first password must be replaced at the first login


@pytest.fixture
def lotte(app, cast):
    return _member(cast.team_a, "Lotte Jansen", "lotte@a.example.org", must_change_password=True)


def test_a_first_password_leads_straight_to_choosing_one_s_own(app, lotte):
    client = app.test_client()
    response = login(client, lotte)
    assert response.headers["Location"] == "/account/password"
    page = client.get("/account/password").data.decode()
    assert "Choose your own password" in page and "The first password you were given." in page
    for path in ("/caseload", "/team/", "/", f"/team/members/{lotte.id}/deactivate"):
        answer = client.get(path)
        assert (answer.status_code, answer.headers["Location"]) == (303, "/account/password")
    assert client.post("/team/roles/new", data={"name": "Planner"}).status_code == 303
    assert not TeamRole.select().exists()
    partial = client.get("/caseload", headers={"HX-Request": "true"})
    assert (partial.status_code, partial.headers["HX-Redirect"]) == (204, "/account/password")


def test_the_first_password_cannot_be_kept(app, lotte):
    client = app.test_client()
    login(client, lotte)
    response = client.post(
        "/account/password", data={"current": PASSWORD, "new": PASSWORD, "repeat": PASSWORD}
    )
    assert response.status_code == 400
    assert "Choose a password of your own" in response.data.decode()
    assert User.get_by_id(lotte.id).must_change_password


def test_with_her_own_password_everything_opens(app, lotte):
    client = app.test_client()
    login(client, lotte)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert (response.status_code, response.headers["Location"]) == (303, "/caseload")
    assert client.get("/caseload").status_code == 200
    assert not User.get_by_id(lotte.id).must_change_password
    client.post("/logout")
    assert login(client, lotte, NEW_PASSWORD).headers["Location"] == "/caseload"


def test_logging_out_works_before_choosing(app, lotte):
    client = app.test_client()
    login(client, lotte)
    assert client.post("/logout").status_code == 303
    assert client.get("/caseload").status_code == 302  # to the login page


# A colleague leaves


def test_a_colleague_who_leaves_is_deactivated_and_her_name_stays(app, cast, as_user):
    with db.connection_context():
        Contact.record(
            cast.person_a,
            by=cast.a2,
            happened_at=utcnow() - dt.timedelta(days=3),
            minutes=45,
            kind="home_visit",
            note="Helped with the shower.",
        )
    role = cast.role_a
    TeamRole.get_by_id(role.id).hand_to(cast.a2, cast.a1, RoleHolding.get().id, local_today())
    bram = as_user(cast.a2)
    anna = as_user(cast.a1)
    confirm = anna.get(f"/team/members/{cast.a2.id}/deactivate").data.decode()
    assert "The roles they hold end today: Planner." in confirm
    response = anna.post(
        f"/team/members/{cast.a2.id}/deactivate", data={"note": "Moved to Utrecht"}
    )
    assert response.status_code == 303
    assert not User.get_by_id(cast.a2.id).active
    assert RoleHolding.select().where(RoleHolding.until.is_null()).count() == 0
    # Her session ends and she cannot log in again.
    assert bram.get("/caseload").status_code == 302
    answer = app.test_client().post("/login", data={"email": cast.a2.email, "password": PASSWORD})
    assert answer.status_code == 400
    person = anna.get(f"/people/{cast.person_a.id}").data.decode()
    assert "Helped with the shower." in person and "Bram Bos" in person
    event = _log(cast.team_a)[0]
    assert (event.action, event.actor_id, event.entity_id) == ("deactivate", cast.a1.id, cast.a2.id)
    assert json.loads(event.changes)["after"]["roles_ended"] == ["Planner"]


def test_the_last_active_member_cannot_be_deactivated(app, cast, as_user):
    anna = as_user(cast.a1)
    anna.post(f"/team/members/{cast.a2.id}/deactivate", data={})
    confirm = anna.get(f"/team/members/{cast.a1.id}/deactivate").data.decode()
    assert "Anna Aalders is the last active member of the team" in confirm
    assert "Deactivate Anna Aalders</button>" not in confirm
    response = anna.post(f"/team/members/{cast.a1.id}/deactivate", data={})
    page = response.data.decode()
    assert response.status_code == 409
    assert "a team needs at least one" in page
    assert "The last to leave was Bram Bos: Anna Aalders deactivated them." in page
    assert User.get_by_id(cast.a1.id).active


def test_a_member_may_deactivate_herself_and_is_logged_out(app, cast, as_user):
    bram = as_user(cast.a2)
    response = bram.post(f"/team/members/{cast.a2.id}/deactivate", data={"note": "Retiring"})
    assert (response.status_code, response.headers["Location"]) == (303, "/login")
    assert not User.get_by_id(cast.a2.id).active
    assert bram.get("/team/").status_code == 302


def test_deactivating_twice_names_who_did_it_first(app, cast, as_user):
    as_user(cast.a1).post(f"/team/members/{cast.a2.id}/deactivate", data={})
    carla = _member(cast.team_a, "Carla Kok", "carla@a.example.org")
    response = as_user(carla).post(f"/team/members/{cast.a2.id}/deactivate", data={})
    assert response.status_code == 409
    assert "Anna Aalders already deactivated Bram Bos." in response.data.decode()


def test_a_former_colleague_can_be_reactivated(app, cast, as_user):
    anna = as_user(cast.a1)
    anna.post(f"/team/members/{cast.a2.id}/deactivate", data={})
    response = anna.post(f"/team/members/{cast.a2.id}/reactivate")
    assert response.status_code == 303
    assert User.get_by_id(cast.a2.id).active
    login(app.test_client(), cast.a2)
    page = anna.get("/team/").data.decode()
    assert "Bram Bos is an active member again" in page
    assert "Reactivated Bram Bos, who is back in the team" in page
    again = anna.post(f"/team/members/{cast.a2.id}/reactivate", follow_redirects=True)
    assert "Anna Aalders already reactivated Bram Bos." in again.data.decode()


def test_a_deactivation_note_is_at_most_300_characters(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/team/members/{cast.a2.id}/deactivate", data={"note": "x" * 301}
    )
    assert response.status_code == 400
    assert "Keep it to 300 characters or fewer." in response.data.decode()
    assert "x" * 301 in response.data.decode()
    assert User.get_by_id(cast.a2.id).active


def test_other_teams_and_coaches_cannot_deactivate(app, cast, as_user):
    assert as_user(cast.b1).get(f"/team/members/{cast.a2.id}/deactivate").status_code == 404
    assert as_user(cast.b1).post(f"/team/members/{cast.a2.id}/deactivate").status_code == 404
    assert as_user(cast.coach_a).post(f"/team/members/{cast.a2.id}/deactivate").status_code == 403
    assert as_user(cast.a1).get(f"/team/members/{cast.coach_a.id}/deactivate").status_code == 404
    assert User.get_by_id(cast.a2.id).active


# A few rounds each: without the lock, PostgreSQL lets most rounds through.
ROUNDS = [pytest.param(i, id=f"round-{i}") for i in range(3)]


@pytest.mark.parametrize("round_", ROUNDS)
def test_two_members_deactivating_each_other_at_once_leave_one(app, cast, round_):
    """The last two active members each deactivate the other at the same moment."""
    results = race(
        lambda: cast.a2.deactivate(cast.a1, local_today()),
        lambda: cast.a1.deactivate(cast.a2, local_today()),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["ok", "refused"], results
    assert cast.team_a.active_members().count() == 1
    winner = "Anna Aalders" if results[0][0] == "ok" else "Bram Bos"
    refusal = str(next(value for kind, value in results if kind == "refused"))
    assert "is the last active member" in refusal
    assert f"{winner} deactivated them" in refusal
    assert AuditEvent.select().where(AuditEvent.action == "deactivate").count() == 1


def test_two_members_deactivating_the_same_colleague_at_once(app, cast):
    carla = _member(cast.team_a, "Carla Kok", "carla@a.example.org")
    results = race(
        lambda: cast.a2.deactivate(cast.a1, local_today()),
        lambda: cast.a2.deactivate(carla, local_today()),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    winner = "Anna Aalders" if results[0][0] == "ok" else "Carla Kok"
    refusal = str(next(value for kind, value in results if kind == "refused"))
    assert refusal == f"{winner} already deactivated Bram Bos."
    assert AuditEvent.select().where(AuditEvent.action == "deactivate").count() == 1


# Roles


def test_a_member_names_a_role_and_hands_it_on(app, cast, as_user):
    client = as_user(cast.a1)
    response = client.post(
        "/team/roles/new", data={"name": "Treasurer", "purpose": "Keeps the team's budget"}
    )
    role = TeamRole.get(TeamRole.name == "Treasurer")
    assert (response.status_code, response.headers["Location"]) == (
        303,
        f"/team/roles/{role.id}/hand",
    )
    form = client.get(f"/team/roles/{role.id}/hand").data.decode()
    assert "Nobody holds it now." in form and 'name="holding" type="hidden" value=""' in form
    assert (
        client.post(
            f"/team/roles/{role.id}/hand", data={"member": cast.a2.id, "holding": ""}
        ).status_code
        == 303
    )
    holding = RoleHolding.get()
    assert (holding.member_id, holding.since, holding.until) == (cast.a2.id, local_today(), None)
    page = client.get("/team/").data.decode()
    assert "Bram Bos holds the role Treasurer from today." in page
    assert "Handed Treasurer to Bram Bos" in page


def test_handing_on_ends_the_current_turn_today(app, cast, as_user):
    role = cast.role_a
    anna_turn = RoleHolding.get()
    client = as_user(cast.a2)
    form = client.get(f"/team/roles/{role.id}/hand").data.decode()
    assert "Anna Aalders</strong> holds it since" in form
    assert f'type="radio" value="{cast.a1.id}"' not in form  # not to the holder herself
    response = client.post(
        f"/team/roles/{role.id}/hand", data={"member": cast.a2.id, "holding": anna_turn.id}
    )
    assert response.status_code == 303
    assert RoleHolding.get_by_id(anna_turn.id).until == local_today()
    open_turns = RoleHolding.select().where(RoleHolding.until.is_null())
    assert [h.member_id for h in open_turns] == [cast.a2.id]
    page = client.get("/team/").data.decode()
    assert "Handed Planner to Bram Bos, taking over from Anna Aalders" in page
    assert "Earlier: 1 turn" in page and "Anna Aalders, " in page


def test_a_stale_handover_names_who_changed_it(app, cast, as_user):
    role = cast.role_a
    seen = RoleHolding.get().id
    carla = _member(cast.team_a, "Carla Kok", "carla@a.example.org")
    as_user(cast.a2).post(f"/team/roles/{role.id}/hand", data={"member": carla.id, "holding": seen})
    response = as_user(cast.a1).post(
        f"/team/roles/{role.id}/hand", data={"member": cast.a2.id, "holding": seen}
    )
    page = response.data.decode()
    assert response.status_code == 409
    assert (
        "Bram Bos changed who holds Planner while you were looking: Carla Kok holds it now." in page
    )
    assert [h.member_id for h in RoleHolding.select().where(RoleHolding.until.is_null())] == [
        carla.id
    ]


@pytest.mark.parametrize("who", ["holder", "other_team", "nobody"])
def test_a_role_goes_only_to_an_active_colleague(app, cast, as_user, who):
    role = cast.role_a
    member = {"holder": cast.a1.id, "other_team": cast.b1.id, "nobody": ""}[who]
    response = as_user(cast.a1).post(
        f"/team/roles/{role.id}/hand", data={"member": member, "holding": RoleHolding.get().id}
    )
    assert response.status_code == 400
    assert "Choose who takes the role on" in response.data.decode()
    assert RoleHolding.select().count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the role a name."),
        ("planner", "The team already has a role called “planner”."),
        ("x" * 81, "Keep it to 80 characters or fewer."),
    ],
)
def test_a_role_needs_a_name_of_its_own(app, cast, as_user, name, message):
    assert cast.role_a.name == "Planner"
    response = as_user(cast.a1).post(
        "/team/roles/new", data={"name": name, "purpose": "Keeps the calendar"}
    )
    page = response.data.decode()
    assert response.status_code == 400
    assert message in page and 'value="Keeps the calendar"' in page
    assert TeamRole.select().count() == 1


def test_the_same_role_name_is_fine_in_another_team(app, cast, as_user):
    assert cast.role_a.name == "Planner"
    assert as_user(cast.b1).post("/team/roles/new", data={"name": "Planner"}).status_code == 303
    assert TeamRole.select().where(TeamRole.name == "Planner").count() == 2


def test_the_database_refuses_a_role_named_twice_at_once(app, cast):
    from peewee import IntegrityError

    assert cast.role_a.name == "Planner"
    with db.connection_context(), pytest.raises(IntegrityError):
        TeamRole.add(cast.team_a, cast.a2, "Planner")


def test_ending_a_turn_in_place(app, cast, as_user):
    role = cast.role_a
    turn = RoleHolding.get()
    response = as_user(cast.a2).post(
        f"/team/roles/{role.id}/end", data={"holding": turn.id}, headers={"HX-Request": "true"}
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="roles"')
    assert "Anna Aalders&#39;s turn as Planner has ended. Nobody holds it now." in page
    assert "Ended Anna Aalders&#39;s turn as Planner" in page  # the log, out of band
    assert RoleHolding.get_by_id(turn.id).until == local_today()
    again = as_user(cast.a1).post(
        f"/team/roles/{role.id}/end", data={"holding": turn.id}, headers={"HX-Request": "true"}
    )
    assert again.status_code == 409
    assert "Bram Bos changed who holds Planner while you were looking" in again.data.decode()


def test_ending_a_turn_without_javascript_comes_back_to_the_page(app, cast, as_user):
    role = cast.role_a
    client = as_user(cast.a1)
    response = client.post(f"/team/roles/{role.id}/end", data={"holding": RoleHolding.get().id})
    assert (response.status_code, response.headers["Location"]) == (303, "/team/#roles")
    assert "Nobody holds it now." in client.get("/team/").data.decode()


def test_a_role_is_retired_and_brought_back(app, cast, as_user):
    role = cast.role_a
    client = as_user(cast.a1)
    assert client.post(f"/team/roles/{role.id}/retire").status_code == 303
    role = TeamRole.get_by_id(role.id)
    assert not role.active
    assert RoleHolding.get().until == local_today()
    page = client.get("/team/").data.decode()
    assert "Roles we no longer have" in page and "Retired the role Planner" in page
    name_again = client.post("/team/roles/new", data={"name": "Planner"})
    assert "it is retired. Bring it back" in name_again.data.decode()
    hand = client.post(f"/team/roles/{role.id}/hand", data={"member": cast.a2.id, "holding": ""})
    assert hand.status_code == 409
    assert "Planner is retired. Bring it back first." in hand.data.decode()
    again = client.post(f"/team/roles/{role.id}/retire", follow_redirects=True)
    assert "Anna Aalders already retired Planner." in again.data.decode()
    assert client.post(f"/team/roles/{role.id}/revive").status_code == 303
    assert TeamRole.get_by_id(role.id).active
    assert "Brought back the role Planner" in client.get("/team/").data.decode()


def test_roles_of_another_team_are_not_found(app, cast, as_user):
    role = cast.role_a
    client = as_user(cast.b1)
    assert client.get(f"/team/roles/{role.id}/hand").status_code == 404
    for action in ("hand", "end", "retire", "revive"):
        assert client.post(f"/team/roles/{role.id}/{action}").status_code == 404
        assert as_user(cast.coach_a).post(f"/team/roles/{role.id}/{action}").status_code == 403
    assert TeamRole.get_by_id(role.id).active and RoleHolding.get().until is None


@pytest.mark.parametrize("round_", ROUNDS)
def test_two_members_handing_the_same_role_at_once_leave_one_holder(app, cast, round_):
    with db.connection_context():
        role = TeamRole.add(cast.team_a, cast.a1, "Mentor")
    carla = _member(cast.team_a, "Carla Kok", "carla@a.example.org")
    results = race(
        lambda: role.hand_to(cast.a2, cast.a1, None, local_today()),
        lambda: role.hand_to(carla, cast.a2, None, local_today()),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    holders = [h.member_id for h in RoleHolding.select().where(RoleHolding.until.is_null())]
    assert len(holders) == 1
    winner, holder = (
        ("Anna Aalders", "Bram Bos") if results[0][0] == "ok" else ("Bram Bos", "Carla Kok")
    )
    refusal = str(next(value for kind, value in results if kind == "refused"))
    assert (
        refusal
        == f"{winner} changed who holds Mentor while you were looking: {holder} holds it now."
    )


# Every route: the wrong method


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/team/"),
        ("PUT", "/team/invitations/{invitation}/withdraw"),
        ("POST", "/team/invitations/{invitation}"),
        ("GET", "/team/members/{member}/reactivate"),
        ("DELETE", "/team/members/{member}/deactivate"),
        ("GET", "/team/roles/{role}/end"),
        ("PUT", "/team/roles/{role}/retire"),
        ("GET", "/team/roles/{role}/revive"),
        ("PUT", "/team/roles/{role}/hand"),
        ("PUT", "/team/roles/new"),
        ("PUT", "/team/members/new"),
        ("PUT", "/team/details"),
        ("PUT", "/join/not-a-token"),
    ],
)
def test_the_wrong_method_gets_405(app, cast, as_user, method, path):
    url = path.format(invitation=cast.invitation_a.id, member=cast.a2.id, role=cast.role_a.id)
    assert as_user(cast.a1).open(url, method=method).status_code == 405


def test_the_model_refuses_the_last_member_even_without_the_page(app, cast):
    with db.connection_context():
        cast.a2.deactivate(cast.a1, local_today())
        with pytest.raises(TeamChangeRefused, match="last active member"):
            cast.a1.deactivate(cast.a1, local_today())
        with pytest.raises(EmailInUse):
            User.add_colleague(cast.team_a, cast.a1, "Anna Two", "ANNA@a.example.org", "x" * 12)


def test_the_demo_teams_have_details_roles_a_handover_and_a_log(app, demo_team):
    from teamcase.demo import DEMO_PASSWORD

    oost = Team.get(Team.name == "Buurtzorg Oost-Noord")
    zuid = Team.get(Team.name == "Buurtzorg Zuid")
    assert (oost.capacity, oost.postcode, zuid.capacity) == (60, "1093 GG", 45)
    roles = {role.name: role for role in TeamRole.with_holdings(oost)}
    assert set(roles) == {
        "Planner",
        "Treasurer",
        "Mentor",
        "Developer",
        "Contact for the GP practices",
    }
    assert all(role.holder and role.holder.member.active for role in roles.values())
    assert [h.member.name for h in roles["Planner"].history] == ["Lotte Jansen", "Anna de Vries"]
    assert len(TeamRole.with_holdings(zuid)) == 2
    assert [i.name for i in Invitation.waiting(oost)] == ["Yara Haddad"]
    assert Invitation.get(Invitation.name == "Yara Haddad").state() == Invitation.OPEN
    client = app.test_client()
    login(client, User.get(User.email == "anna@oost.example.org"), DEMO_PASSWORD)
    page = client.get("/team/").data.decode()
    assert "Deactivated Els Kok, who left the team" in page
    assert "Handed Planner to Lotte Jansen, taking over from Anna de Vries" in page
    assert "Joined the team, invited by Anna de Vries" in page
    assert "Changed how many people we can care for well: 55 → 60" in page
