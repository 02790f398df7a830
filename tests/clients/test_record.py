"""The person's record on their page: about me, strengths, offers, consent, network, ecomap."""

import datetime as dt
import json
import xml.dom.minidom

import pytest

from teamcase.models import AboutMe, AuditEvent, Consent, NetworkMember, Offer, Strength


def _page(client, cast):
    return client.get(f"/people/{cast.person_a.id}").data.decode()


# About me


def test_it_writes_about_me_in_their_own_words(app, cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}/about/matters/edit"
    response = client.post(
        url,
        data={
            "about-matters-text": "My garden and my grandchildren.",
            "about-matters-said_by": "person",
            "about-matters-based_on": "0",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#about")
    page = _page(client, cast)
    assert "My garden and my grandchildren." in page
    assert "own words" in page
    event = AuditEvent.get(AuditEvent.entity == "about_me")
    assert "My garden" in event.changes


def test_earlier_versions_are_kept_and_viewable(app, cast, as_user):
    client = as_user(cast.a1)
    AboutMe.write(cast.person_a, "good_day", cast.a1, 0, "Coffee with Ellen", "person")
    AboutMe.write(cast.person_a, "good_day", cast.a2, 1, "Coffee and a walk", "family", "Ellen")
    assert "Coffee and a walk" in _page(client, cast)
    versions = client.get(f"/people/{cast.person_a.id}/about/good_day/versions").data.decode()
    assert versions.index("Coffee and a walk") < versions.index("Coffee with Ellen")
    assert "Said by Ellen" in versions


def test_two_writers_of_one_section_do_not_overwrite_each_other(app, cast, as_user):
    url = f"/people/{cast.person_a.id}/about/hopes/edit"

    def write(user, text):
        return as_user(user).post(
            url,
            data={
                "about-hopes-text": text,
                "about-hopes-said_by": "person",
                "about-hopes-based_on": "0",
            },
        )

    assert write(cast.a1, "To stay at home").status_code == 303
    second = write(cast.a2, "To see the sea again")
    assert second.status_code == 409
    body = second.data.decode()
    assert "Anna Aalders saved a new version" in body
    assert "To see the sea again" in body  # what Bram typed is kept
    assert "To stay at home" in body  # and he sees what Anna saved
    assert AboutMe.select().where(AboutMe.section == "hopes").count() == 1


def test_about_me_needs_some_words(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/about/matters/edit",
        data={
            "about-matters-text": "  ",
            "about-matters-said_by": "family",
            "about-matters-said_by_name": "her son",
            "about-matters-based_on": "0",
        },
    )
    assert response.status_code == 400
    assert b"Write down what they said." in response.data
    assert b'value="her son"' in response.data


def test_an_unknown_section_is_not_found(app, cast, as_user):
    assert as_user(cast.a1).get(f"/people/{cast.person_a.id}/about/secrets/edit").status_code == 404


def test_the_edit_form_comes_alone_for_htmx(app, cast, as_user):
    response = as_user(cast.a1).get(
        f"/people/{cast.person_a.id}/about/matters/edit", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"<html" not in response.data
    assert b'id="edit-about-matters"' in response.data


# Strengths, offers and consent share one set of routes


@pytest.mark.parametrize(
    ("name", "data", "model", "shown"),
    [
        (
            "strengths",
            {"category": "skills", "text": "Knows everyone on the street"},
            Strength,
            "Knows everyone on the street",
        ),
        (
            "offers",
            {"text": "Teach knitting", "when": "Tuesday afternoons"},
            Offer,
            "Tuesday afternoons",
        ),
        (
            "consents",
            {
                "what": "Names of family on the profile",
                "with_whom": "family",
                "given_on": "2026-11-01",
            },
            Consent,
            "Names of family on the profile",
        ),
    ],
)
def test_it_adds_a_part_of_the_record(app, cast, as_user, name, data, model, shown):
    client = as_user(cast.a2)
    response = client.post(
        f"/people/{cast.person_a.id}/{name}", data={f"{name}-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 303
    assert shown in _page(client, cast)
    assert model.select().count() == 2  # the cast's and this one
    assert AuditEvent.select().where(AuditEvent.entity == model.ENTITY).count() == 2


def test_an_htmx_add_answers_with_the_section_alone(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/strengths",
        data={"strengths-category": "personal", "strengths-text": "Stubborn in a good way"},
        headers={"HX-Request": "true"},
    )
    body = response.data.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="strengths"')
    assert "Stubborn in a good way" in body
    assert response.headers["HX-Retarget"] == "#strengths"


def test_bad_input_comes_back_in_the_section_with_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/strengths",
        data={"strengths-text": "Sings in the choir"},
    )
    assert response.status_code == 400
    body = response.data.decode()
    assert "Choose what kind of strength it is." in body
    assert 'value="Sings in the choir"' in body
    assert Strength.select().count() == 1


def test_bad_input_from_htmx_comes_back_in_the_section_alone(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/strengths",
        data={"strengths-text": "Sings in the choir"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    body = response.data.decode()
    assert body.lstrip().startswith('<section id="strengths"')
    assert "Choose what kind of strength it is." in body
    assert 'value="Sings in the choir"' in body
    # The form takes the place of the "Add a strength" link.
    assert ">Add a strength</a>" not in body
    assert Strength.select().count() == 1


# The forms that add to a section are a link away


def _tag(page, attribute):
    """The opening tag that carries `attribute`."""
    at = page.index(attribute)
    return page[page.rindex("<", 0, at) : page.index(">", at) + 1]


ADDING = [
    # (blueprint, section id, the link and the page heading, a field of the form)
    ("strengths", "strengths", "Add a strength", "strengths-text"),
    ("network", "network", "Add someone to the network", "network-name"),
    ("offers", "offers", "Add what they can give", "offers-text"),
    ("consents", "consent", "Record consent", "consents-what"),
]


@pytest.mark.parametrize(("name", "section", "label", "field"), ADDING)
def test_the_person_page_links_to_each_add_form(app, cast, as_user, name, section, label, field):
    page = _page(as_user(cast.a1), cast)
    url = f"/people/{cast.person_a.id}/{name}"
    link = _tag(page, f'hx-get="{url}"')
    assert link.startswith("<a ")
    assert f'href="{url}"' in link
    assert f'hx-target="#{section}-add"' in link
    assert 'hx-swap="innerHTML"' in link
    assert f">{label}</a>" in page
    # The container is inside its section, and the form itself is not on the page.
    start = page.index(f'<section id="{section}"')
    assert start < page.index(f'id="{section}-add"') < page.index("</section>", start)
    assert f'name="{field}"' not in page


@pytest.mark.parametrize(("name", "section", "label", "field"), ADDING)
def test_without_javascript_an_add_form_is_a_page_of_its_own(
    app, cast, as_user, name, section, label, field
):
    url = f"/people/{cast.person_a.id}/{name}"
    events = AuditEvent.select().count()
    response = as_user(cast.a1).get(url)
    assert response.status_code == 200
    page = response.data.decode()
    assert "<html" in page
    assert f"<h1>{label}</h1>" in page
    assert f'href="/people/{cast.person_a.id}#{section}"' in page  # back, and Cancel
    form = _tag(page, f'action="{url}"')
    assert 'method="post"' in form
    assert f'hx-target="#{section}"' in form
    assert f'name="{field}"' in page
    # Looking at the form adds nothing, not even to the history.
    assert Strength.select().count() == Offer.select().count() == Consent.select().count() == 1
    assert NetworkMember.select().count() == 1
    assert AuditEvent.select().count() == events


@pytest.mark.parametrize(("name", "section", "label", "field"), ADDING)
def test_for_htmx_an_add_form_comes_alone_and_fits_in_the_page(
    app, cast, as_user, name, section, label, field
):
    import re

    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}/{name}"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.vary
    body = response.data.decode()
    assert body.lstrip().startswith('<div class="add-form')
    assert "<html" not in body and "<h1" not in body
    assert f'hx-post="{url}"' in _tag(body, "<form")
    assert f'name="{field}"' in body
    # Loaded into the page, its ids must not clash with the page's own.
    ids = set(re.findall(r'\sid="([^"]+)"', body))
    assert ids and not ids & set(re.findall(r'\sid="([^"]+)"', _page(client, cast)))


def test_the_network_form_asks_only_what_a_person_answers(app, cast, as_user):
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}/network").data.decode()
    assert ">Version</label>" not in page
    assert page.count('name="network-version"') == 0
    # The tie is a row of choices, and the resource list is the team's.
    assert '<div class="field chips">' in page
    assert "Huisartsenpraktijk Oost" in page


def test_a_coach_or_another_team_gets_no_add_form(app, cast, as_user):
    url = f"/people/{cast.person_a.id}/strengths"
    assert as_user(cast.coach_a).get(url).status_code == 403
    response = as_user(cast.b1).get(url)
    assert response.status_code == 404
    assert b"Mies" not in response.data


def test_over_long_text_is_refused(app, cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/offers", data={"offers-text": "x" * 301}
    )
    assert response.status_code == 400
    assert Offer.select().count() == 1


def test_an_edit_saves_and_a_stale_edit_is_refused(app, cast, as_user):
    strength_id = cast.parts["strengths"]
    prefix = f"strengths-{strength_id}"
    url = f"/strengths/{strength_id}/edit"
    anna, bram = as_user(cast.a1), as_user(cast.a2)
    form = anna.get(url).data.decode()
    assert 'value="Still cooks"' in form
    saved = anna.post(
        url,
        data={
            f"{prefix}-category": "skills",
            f"{prefix}-text": "Still cooks for two",
            f"{prefix}-version": "1",
        },
    )
    assert saved.status_code == 303
    stale = bram.post(
        url,
        data={
            f"{prefix}-category": "skills",
            f"{prefix}-text": "Cooks soup",
            f"{prefix}-version": "1",
        },
    )
    assert stale.status_code == 409
    assert b"Anna Aalders saved changes to this strength" in stale.data
    assert b'value="Cooks soup"' in stale.data
    assert Strength.get_by_id(strength_id).text == "Still cooks for two"
    change = AuditEvent.get(AuditEvent.entity == "strength", AuditEvent.action == "update")
    assert json.loads(change.changes)["before"]["text"] == "Still cooks"


@pytest.mark.parametrize("name", ["strengths", "offers", "consents", "network"])
def test_an_edit_form_carries_its_version_once_and_never_as_a_question(app, cast, as_user, name):
    part_id = cast.parts[name]
    page = as_user(cast.a1).get(f"/{name}/{part_id}/edit", headers={"HX-Request": "true"})
    body = page.data.decode()
    assert body.count(f'name="{name}-{part_id}-version"') == 1
    assert ">Version</label>" not in body


def test_removing_a_strength_is_audited(app, cast, as_user):
    response = as_user(cast.a1).post(f"/strengths/{cast.parts['strengths']}/delete")
    assert response.status_code == 303
    assert not Strength.select().exists()
    assert AuditEvent.get(AuditEvent.action == "delete").entity == "strength"


HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("part", "retire", "words", "button"),
    [
        ("strengths", "delete", "Remove this strength?", "Remove strength"),
        ("offers", "delete", "Remove this offer?", "Remove offer"),
        ("consents", "withdraw", "Withdraw this consent?", "Withdraw consent"),
        ("network", "end", "Is this person no longer around?", "No longer around"),
        ("steps", "delete", "Remove this step?", "Remove step"),
    ],
)
def test_remove_asks_once_and_changes_nothing_until_asked(
    app, cast, as_user, part, retire, words, button
):
    client = as_user(cast.a1)
    before = AuditEvent.select().count()
    url = f"/{part}/{cast.parts[part]}/{retire}"
    page = client.get(url)
    body = page.data.decode()
    assert page.status_code == 200
    assert f"<h1>{words}</h1>" in body
    assert f'<form method="post" action="{url}"' in body
    assert f">{button}</button>" in body
    assert ">Keep it</a>" in body
    # In place on the person's page: only the question, aimed at the section.
    fragment = client.get(url, headers=HTMX).data.decode()
    assert "<h1>" not in fragment
    assert f'hx-post="{url}"' in fragment
    assert words in fragment
    assert AuditEvent.select().count() == before
    # The person's page offers the question, not a one-tap removal.
    person = _page(client, cast)
    assert f'href="{url}" hx-get="{url}"' in person
    assert f'<form method="post" action="{url}"' not in person


def test_a_removed_strength_keeps_its_words_in_the_audit(app, cast, as_user):
    client = as_user(cast.a1)
    text = Strength.get_by_id(cast.parts["strengths"]).text
    client.get(f"/strengths/{cast.parts['strengths']}/delete")
    assert Strength.select().exists()
    assert client.post(f"/strengths/{cast.parts['strengths']}/delete").status_code == 303
    assert not Strength.select().exists()
    event = AuditEvent.get(AuditEvent.action == "delete")
    assert json.loads(event.changes)["before"]["text"] == text


def test_the_coach_is_not_asked_either(app, cast, as_user):
    client = as_user(cast.coach_a)
    assert client.get(f"/strengths/{cast.parts['strengths']}/delete").status_code == 403


def test_withdrawn_consent_stays_on_record_with_its_date(app, cast, as_user):
    client = as_user(cast.a1)
    assert client.post(f"/consents/{cast.parts['consents']}/withdraw").status_code == 303
    consent = Consent.get_by_id(cast.parts["consents"])
    assert consent.withdrawn_on == dt.date.today()
    assert "withdrawn" in _page(client, cast)


def test_another_team_cannot_touch_a_part(app, cast, as_user):
    client = as_user(cast.b1)
    assert client.get(f"/strengths/{cast.parts['strengths']}/edit").status_code == 404
    assert client.post(f"/offers/{cast.parts['offers']}/delete").status_code == 404
    assert (
        client.post(
            f"/people/{cast.person_a.id}/strengths",
            data={"strengths-category": "skills", "strengths-text": "x"},
        ).status_code
        == 404
    )
    assert Offer.select().count() == 1


def test_a_coach_cannot_change_the_record(app, cast, as_user):
    client = as_user(cast.coach_a)
    assert (
        client.post(f"/people/{cast.person_a.id}/offers", data={"offers-text": "x"}).status_code
        == 403
    )
    assert client.get(f"/people/{cast.person_a.id}/ecomap.svg").status_code == 403


# The network and its picture


def _add_member(client, cast, **data):
    fields = {
        "name": "Mrs Jansen",
        "relation": "neighbour",
        "tie": "moderate",
        "does_now": "Does her shopping",
        "resource": "0",
    }
    fields.update(data)
    return client.post(
        f"/people/{cast.person_a.id}/network", data={f"network-{k}": v for k, v in fields.items()}
    )


def test_it_adds_people_to_the_network(app, cast, as_user):
    client = as_user(cast.a1)
    assert _add_member(client, cast).status_code == 303
    page = _page(client, cast)
    assert "Mrs Jansen" in page
    assert "Does her shopping" in page


def test_a_network_member_can_link_to_a_local_resource(app, cast, as_user):
    client = as_user(cast.a1)
    assert (
        _add_member(
            client,
            cast,
            name="Huisartsen Oost",
            relation="gp",
            tie="weak",
            resource=str(cast.resource_a.id),
        ).status_code
        == 303
    )
    member = NetworkMember.get(NetworkMember.name == "Huisartsen Oost")
    assert member.resource_id == cast.resource_a.id


def test_a_resource_of_another_team_is_not_a_choice(app, cast, as_user):
    from teamcase.models import LocalResource

    other = LocalResource.create(team=cast.team_b, name="Elsewhere")
    response = _add_member(as_user(cast.a1), cast, resource=str(other.id))
    assert response.status_code == 400
    assert not NetworkMember.select().where(NetworkMember.name == "Mrs Jansen").exists()


def test_a_new_tie_strength_is_a_dated_change(app, cast, as_user):
    member = NetworkMember.get_by_id(cast.parts["network"])
    NetworkMember.update(since=dt.date.today() - dt.timedelta(days=60)).execute()
    prefix = f"network-{member.id}"
    response = as_user(cast.a1).post(
        f"/network/{member.id}/edit",
        data={
            f"{prefix}-name": "Ellen",
            f"{prefix}-relation": "family",
            f"{prefix}-tie": "stressful",
            f"{prefix}-resource": "0",
            f"{prefix}-version": "1",
        },
    )
    assert response.status_code == 303
    rows = list(NetworkMember.select().order_by(NetworkMember.id))
    assert [(r.tie, r.until) for r in rows] == [("strong", dt.date.today()), ("stressful", None)]
    growth = NetworkMember.growth(cast.person_a)
    assert growth["at_start"] == {"people": 1, "strong": 1}
    assert growth["now"] == {"people": 1, "strong": 0}


def test_someone_no_longer_around_leaves_the_picture_but_not_the_history(app, cast, as_user):
    client = as_user(cast.a1)
    assert client.post(f"/network/{cast.parts['network']}/end").status_code == 303
    svg = client.get(f"/people/{cast.person_a.id}/ecomap.svg").data.decode()
    assert "Ellen" not in svg
    assert NetworkMember.get_by_id(cast.parts["network"]).until == dt.date.today()


def test_the_ecomap_is_valid_svg_with_every_member_a_title_and_a_description(app, cast, as_user):
    client = as_user(cast.a1)
    for name, relation, tie in [
        ("Mrs Jansen", "neighbour", "moderate"),
        ("Huisartsen Oost", "gp", "weak"),
        ("Church choir", "community", "weak"),
        ("Her ex-husband", "family", "stressful"),
    ]:
        _add_member(client, cast, name=name, relation=relation, tie=tie)
    response = client.get(f"/people/{cast.person_a.id}/ecomap.svg")
    assert response.mimetype == "image/svg+xml"
    document = xml.dom.minidom.parseString(response.data)
    svg = document.documentElement
    assert svg.tagName == "svg"
    title = svg.getElementsByTagName("title")[0].firstChild.data
    desc = svg.getElementsByTagName("desc")[0].firstChild.data
    assert "Mies Bakker" in title
    texts = " ".join(t.toxml() for t in svg.getElementsByTagName("text"))
    for name in ("Ellen", "Mrs Jansen", "Church choir"):
        assert name in desc
    assert "Ellen" in texts and "Jansen" in texts
    # Tie strengths differ in the line itself, not only in colour.
    lines = svg.getElementsByTagName("polyline")
    widths = {line.getAttribute("stroke-width") for line in lines}
    assert {"6", "3", "2"} <= widths
    assert any(line.getAttribute("stroke-dasharray") for line in lines)


def test_the_person_page_opens_on_who_they_are(app, cast, as_user):
    page = _page(as_user(cast.a1), cast)
    about = page.index('id="about"')
    assert about < page.index('id="strengths"') < page.index('id="network"')
    assert page.index('id="network"') < page.index('id="timeline-heading"')


def test_no_two_inputs_on_the_person_page_share_an_id(app, cast, as_user):
    import re

    client = as_user(cast.a1)
    # The page as it opens, and with a form sent back with errors in its section.
    bad = client.post(f"/people/{cast.person_a.id}/network", data={"network-name": ""})
    assert bad.status_code == 400
    for page in (_page(client, cast), bad.data.decode()):
        ids = re.findall(r'\sid="([^"]+)"', page)
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates
