"""The team's directory of local resources: list, add, edit, remove, CSV export and import."""

import csv
import datetime as dt
import io
import json
import re

from conftest import count_queries
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from teamcase.db import db
from teamcase.models import AuditEvent, Client, LocalResource, NetworkMember

HEADER = "name,kind,address,phone,opening_hours,notes\n"


def _form(**overrides):
    data = {
        "name": "Apotheek De Linde",
        "kind": "pharmacy",
        "address": "Lindengracht 4",
        "phone": "020-1234567",
        "opening_hours": "Mon-Fri 8-18",
        "notes": "Ask for Sanne.",
    }
    data.update(overrides)
    return data


def _upload(client, content, filename="list.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename)})
    return client.post(
        "/resources/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _names(team):
    with db.connection_context():
        return sorted(r.name for r in LocalResource.for_team(team))


def _events(action, entity="resource"):
    with db.connection_context():
        return list(
            AuditEvent.select()
            .where(AuditEvent.action == action, AuditEvent.entity == entity)
            .order_by(AuditEvent.id)
        )


def _report(html: str) -> list[tuple[str, str]]:
    """(row, column) of each line of the import report."""
    return re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", html)


def test_it_lists_resources_by_kind_with_how_many_people_link_to_them(cast, as_user):
    with db.connection_context():
        pharmacy = LocalResource.create(team=cast.team_a, name="Apotheek Oost", kind="pharmacy")
        LocalResource.create(team=cast.team_b, name="Apotheek Zuid", kind="pharmacy")
        other = Client.open(cast.team_a, by=cast.a1, name="Jan Smit", phone="06-1")
        for person in (cast.person_a, other):
            NetworkMember.add(person, cast.a1, name="GP", relation="gp", resource=cast.resource_a)
        # An ended tie no longer counts.
        ended = NetworkMember.add(other, cast.a1, name="Chemist", relation="pharmacy")
        ended.resource = pharmacy
        ended.until = dt.date.today()
        ended.save()
    client = as_user(cast.a1)

    response = client.get("/resources/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="resource-{cast.resource_a.id}"' in html
    assert f'id="resource-{pharmacy.id}"' in html
    assert "Apotheek Zuid" not in html
    assert "In 2 people’s networks" in html
    assert "Not in anyone’s network yet" in html
    assert html.index("GP practice</h2>") < html.index("Pharmacy</h2>")
    assert 'aria-current="page">Local resources</a>' in html

    response = client.get("/resources/?kind=pharmacy")
    html = response.get_data(as_text=True)
    assert "Apotheek Oost" in html
    assert "Huisartsenpraktijk Oost" not in html

    response = client.get("/resources/?kind=pharmacy", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="directory">')
    assert "<html" not in html


def test_it_links_network_entries_to_their_resource(cast, as_user):
    with db.connection_context():
        NetworkMember.add(
            cast.person_a, cast.a1, name="Dokter Jansen", relation="gp", resource=cast.resource_a
        )

    html = as_user(cast.a1).get(f"/people/{cast.person_a.id}").get_data(as_text=True)

    assert f'href="/resources/#resource-{cast.resource_a.id}"' in html


def test_it_adds_a_resource_and_audits_it(cast, as_user):
    response = as_user(cast.a1).post("/resources/new", data=_form())

    assert response.status_code == 303
    with db.connection_context():
        added = LocalResource.get(LocalResource.name == "Apotheek De Linde")
    assert response.headers["Location"].endswith(f"/resources/#resource-{added.id}")
    assert (added.team_id, added.kind, added.phone) == (cast.team_a.id, "pharmacy", "020-1234567")
    [event] = _events("create")
    assert (event.team_id, event.client_id, event.actor_id) == (cast.team_a.id, None, cast.a1.id)
    assert event.entity_id == added.id
    assert json.loads(event.changes)["after"]["notes"] == "Ask for Sanne."


def test_it_keeps_what_was_typed_when_input_is_bad(cast, as_user):
    response = as_user(cast.a1).post(
        "/resources/new", data=_form(name="  ", phone="0" * 41, notes="Ask for Sanne.")
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a name." in html
    assert "Keep it to 40 characters or fewer." in html
    assert "0" * 41 in html
    assert "Ask for Sanne." in html
    assert "Lindengracht 4" in html
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_refuses_a_name_already_in_the_directory_whatever_the_case(cast, as_user):
    response = as_user(cast.a1).post("/resources/new", data=_form(name="HUISARTSENPRAKTIJK oost"))

    assert response.status_code == 400
    assert "is already in the directory" in response.get_data(as_text=True)
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]
    # Another team may use the same name.
    response = as_user(cast.b1).post("/resources/new", data=_form(name="Huisartsenpraktijk Oost"))
    assert response.status_code == 303


def test_it_edits_a_resource_and_audits_the_change(cast, as_user):
    client = as_user(cast.a1)
    page = client.get(f"/resources/{cast.resource_a.id}/edit")
    assert page.status_code == 200
    assert "Huisartsenpraktijk Oost" in page.get_data(as_text=True)

    response = client.post(
        f"/resources/{cast.resource_a.id}/edit",
        data=_form(name="Huisartsenpraktijk Oost", kind="gp", version="1"),
    )

    assert response.status_code == 303
    with db.connection_context():
        saved = LocalResource.get_by_id(cast.resource_a.id)
    assert (saved.address, saved.version) == ("Lindengracht 4", 2)
    [event] = _events("update")
    assert event.entity_id == saved.id and event.team_id == cast.team_a.id
    changes = json.loads(event.changes)
    assert (changes["before"]["address"], changes["after"]["address"]) == ("", "Lindengracht 4")


def test_it_refuses_a_stale_edit_with_409_and_keeps_what_was_typed(cast, as_user):
    first, second = as_user(cast.a1), as_user(cast.a2)
    url = f"/resources/{cast.resource_a.id}/edit"
    assert first.post(url, data=_form(name="Huisartsen Oost", kind="gp", version="1")).status_code
    response = second.post(
        url, data=_form(name="Huisartsenpraktijk Oost", kind="gp", phone="020-999", version="1")
    )

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Anna Aalders saved changes to this entry" in html
    assert "Huisartsen Oost" in html  # what is saved now
    assert 'value="020-999"' in html  # what they typed
    assert 'name="version" type="hidden" value="2"' in html
    with db.connection_context():
        assert LocalResource.get_by_id(cast.resource_a.id).name == "Huisartsen Oost"
    # Saving again over the newer version is a deliberate choice, and works.
    response = second.post(url, data=_form(name="Huisartsenpraktijk Oost", kind="gp", version="2"))
    assert response.status_code == 303


def test_it_removes_a_resource_but_keeps_the_network_entries_linked_to_it(cast, as_user):
    with db.connection_context():
        entry = NetworkMember.add(
            cast.person_a, cast.a1, name="Dokter Jansen", relation="gp", resource=cast.resource_a
        )

    response = as_user(cast.a1).post(f"/resources/{cast.resource_a.id}/delete")

    assert response.status_code == 303
    with db.connection_context():
        assert LocalResource.get_or_none(LocalResource.id == cast.resource_a.id) is None
        kept = NetworkMember.get_by_id(entry.id)
    assert (kept.name, kept.resource_id) == ("Dokter Jansen", None)
    [removed] = _events("delete")
    assert removed.entity_id == cast.resource_a.id
    assert json.loads(removed.changes)["before"]["name"] == "Huisartsenpraktijk Oost"
    [unlinked] = _events("update", entity="network")
    assert (unlinked.client_id, unlinked.entity_id) == (cast.person_a.id, entry.id)


def test_it_answers_404_for_another_teams_entry(cast, as_user):
    client = as_user(cast.b1)
    url = f"/resources/{cast.resource_a.id}"

    assert client.get(url + "/edit").status_code == 404
    assert client.post(url + "/edit", data=_form(version="1")).status_code == 404
    assert client.post(url + "/delete").status_code == 404
    with db.connection_context():
        assert LocalResource.get_by_id(cast.resource_a.id).name == "Huisartsenpraktijk Oost"
    assert "Huisartsenpraktijk" not in client.get("/resources/").get_data(as_text=True)
    assert "Huisartsenpraktijk" not in client.get("/resources/export.csv").get_data(as_text=True)
    assert not _events("update") and not _events("delete")


def test_it_refuses_coaches_and_back_office(cast, as_user):
    for user in (cast.coach_a, cast.coach_x, cast.office):
        client = as_user(user)
        for path in ("/resources/", "/resources/new", "/resources/export.csv", "/resources/import"):
            assert client.get(path).status_code == 403, (user.email, path)
        assert client.post("/resources/new", data=_form()).status_code == 403
    linked_coach = as_user(cast.coach_a)
    assert linked_coach.post(f"/resources/{cast.resource_a.id}/delete").status_code == 403
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_refuses_the_wrong_method(cast, as_user):
    client = as_user(cast.a1)

    assert client.post("/resources/export.csv").status_code == 405


def test_removing_an_entry_asks_once_first(cast, as_user):
    client = as_user(cast.a1)
    url = f"/resources/{cast.resource_a.id}/delete"
    edit = client.get(f"/resources/{cast.resource_a.id}/edit").data.decode()
    assert f'<a class="button danger" href="{url}">Remove from the directory</a>' in edit
    assert f'action="{url}"' not in edit

    page = client.get(url)
    body = page.data.decode()
    assert page.status_code == 200
    assert "<h1>Remove this entry from the directory?</h1>" in body
    assert f"“{cast.resource_a.name}”" in body
    assert f'<form method="post" action="{url}" class="actions">' in body
    assert f'href="/resources/{cast.resource_a.id}/edit">Keep it</a>' in body
    assert LocalResource.select().where(LocalResource.id == cast.resource_a.id).exists()


def test_it_exports_the_directory_as_utf8_csv(cast, as_user):
    with db.connection_context():
        LocalResource.create(
            team=cast.team_a,
            name="Buurtkamer Café",
            kind="community",
            phone="+31 20 555 1234",
            notes='=HYPERLINK("http://example.org")\nSecond line',
        )

    response = as_user(cast.a1).get("/resources/export.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert re.search(r"local-resources-team-a-\d{4}-\d{2}-\d{2}\.csv", disposition)
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == LocalResource.CSV_COLUMNS
    assert rows[1][:4] == ["Buurtkamer Café", "community", "", "+31 20 555 1234"]
    # A spreadsheet must not run a value as a formula.
    assert rows[1][5].startswith("'=HYPERLINK")
    assert rows[2][:2] == ["Huisartsenpraktijk Oost", "gp"]


def test_it_imports_an_exported_file_into_another_team(cast, as_user):
    with db.connection_context():
        LocalResource.create(
            team=cast.team_a,
            name="Buurtkamer Café",
            kind="community",
            address="Linnaeusstraat 1, Amsterdam",
            phone="+31 20 555 1234",
            opening_hours="Tue, Thu 10-16",
            notes="=1+1 is how they write it\nSecond line",
        )
    exported = as_user(cast.a1).get("/resources/export.csv").data

    client = as_user(cast.b1)

    response = _upload(client, exported, "local-resources-team-a.csv")

    assert response.status_code == 303
    assert "Imported 2 local resources." in client.get("/resources/").get_data(as_text=True)
    with db.connection_context():
        ours = {r.name: r.snapshot() for r in LocalResource.for_team(cast.team_a)}
        theirs = {r.name: r.snapshot() for r in LocalResource.for_team(cast.team_b)}
    assert theirs == ours
    events = _events("import")
    assert len(events) == 2
    assert {e.team_id for e in events} == {cast.team_b.id}
    assert {json.loads(e.changes)["after"]["name"] for e in events} == set(ours)


def test_it_imports_nothing_when_one_row_is_bad_and_says_where(cast, as_user):
    content = (
        HEADER
        + "Apotheek Oost,pharmacy,,,,\n"
        + "Buurtkamer,community,,,,\n"
        + "Voedselbank,food bank,,,,\n"
        + "Tijdbank Oost,time_bank,,,,\n"
    )

    response = _upload(as_user(cast.a1), content)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported." in html
    assert _report(html) == [("4", "kind")]
    assert "“food bank” is not a kind teamcase knows." in html
    assert "Time bank (time_bank)" in html  # what to do: the kinds that work
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]
    assert not _events("import")


def test_it_reports_every_bad_row_and_column(cast, as_user):
    content = HEADER + ",gp,,,,\n" + f"{'x' * 121},gp,,{'1' * 41},,\n" + "Fine,Pharmacy,,,,\n"

    html = _upload(as_user(cast.a1), content).get_data(as_text=True)

    assert _report(html) == [("2", "name"), ("3", "name"), ("3", "phone")]
    assert "The name is empty." in html
    assert "This is 121 characters long; at most 120 fit." in html
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_reads_semicolons_labels_and_spreadsheet_leftovers(cast, as_user):
    # As Dutch Excel saves it: semicolons, "CSV UTF-8" byte order mark, CRLF,
    # column names as people type them, kind as its label, empty rows at the end.
    content = (
        "\ufeffName;Kind;Address;Phone;Opening hours;Notes\r\n"
        "Huisarts Zuid;gp practice;Dorpsstraat 1; 020-1;ma-vr 8-17;\r\n"
        '"Buurthuis; De Linde";COMMUNITY GROUP;;;;"Koffie, thee"\r\n'
        "Tijdbank;time_bank;;;;\r\n"
        "Iets anders;;;;;\r\n"
        ";;;;;\r\n"
    )

    response = _upload(as_user(cast.b1), content)

    assert response.status_code == 303, response.get_data(as_text=True)
    with db.connection_context():
        saved = {r.name: r for r in LocalResource.for_team(cast.team_b)}
    assert {name: r.kind for name, r in saved.items()} == {
        "Huisarts Zuid": "gp",
        "Buurthuis; De Linde": "community",
        "Tijdbank": "time_bank",
        "Iets anders": "other",
    }
    assert saved["Huisarts Zuid"].phone == "020-1"
    assert saved["Huisarts Zuid"].opening_hours == "ma-vr 8-17"
    assert saved["Buurthuis; De Linde"].notes == "Koffie, thee"


def test_it_asks_for_utf8_when_the_file_is_not(cast, as_user):
    content = (HEADER + "Café De Hoek,community,,,,\n").encode("cp1252")

    response = _upload(as_user(cast.a1), content)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not saved as UTF-8" in html
    assert "CSV UTF-8" in html
    assert _report(html) == [("2", "—")]
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_asks_for_the_column_names_when_the_header_is_missing(cast, as_user):
    response = _upload(as_user(cast.a1), "Apotheek Oost,pharmacy,,,,\nBuurtkamer,community,,,,\n")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The first row does not have the column names." in html
    assert "name,kind,address,phone,opening_hours,notes" in html
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_names_a_column_it_does_not_read(cast, as_user):
    response = _upload(as_user(cast.a1), "name,kind,email\nApotheek,pharmacy,a@b.nl\n")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _report(html) == [("1", "email")]
    assert "“email” is not a column teamcase reads." in html


def test_it_refuses_duplicate_names_in_the_file_and_in_the_directory(cast, as_user):
    content = (
        HEADER
        + "Apotheek Oost,pharmacy,,,,\n"
        + "huisartsenpraktijk oost,gp,,,,\n"
        + "APOTHEEK OOST,pharmacy,,,,\n"
        + "Buurtkamer,café,,,,\n"
        + "Buurtkamer,community,,,,\n"
    )

    response = _upload(as_user(cast.a1), content)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _report(html) == [("3", "name"), ("4", "name"), ("5", "kind"), ("6", "name")]
    assert "“huisartsenpraktijk oost” is already in the directory." in html
    assert "“APOTHEEK OOST” is also in row 2." in html
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_reports_a_row_with_more_values_than_columns(cast, as_user):
    response = _upload(as_user(cast.a1), "name,kind\nApotheek,pharmacy,Lindengracht 4, Amsterdam\n")

    assert response.status_code == 400
    assert _report(response.get_data(as_text=True)) == [("2", "—")]


def test_it_says_when_the_file_is_empty_or_has_no_rows(cast, as_user):
    client = as_user(cast.a1)

    empty = _upload(client, b"")
    only_bom = _upload(client, "\ufeff\r\n")
    header_only = _upload(client, HEADER)
    nothing = client.post("/resources/import", data={}, content_type="multipart/form-data")
    not_csv = _upload(client, HEADER, filename="list.xlsx")

    assert empty.status_code == 400
    assert "The file is empty." in empty.get_data(as_text=True)
    assert "The file is empty." in only_bom.get_data(as_text=True)
    assert header_only.status_code == 400
    assert "There are no rows under the column names." in header_only.get_data(as_text=True)
    assert nothing.status_code == 400
    assert "Choose a CSV file to import." in nothing.get_data(as_text=True)
    assert not_csv.status_code == 400
    assert "Choose a file that ends in .csv." in not_csv.get_data(as_text=True)
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_refuses_a_file_over_the_size_limit(cast, as_user):
    content = HEADER + "Apotheek,pharmacy,,,," + "x" * (1024 * 1024) + "\n"

    response = _upload(as_user(cast.a1), content)

    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_needs_a_csrf_token_to_import(app, cast, as_user):
    client = as_user(cast.a1)
    app.config["WTF_CSRF_ENABLED"] = True

    response = _upload(client, HEADER + "Apotheek,pharmacy,,,,\n")

    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)
    assert _names(cast.team_a) == ["Huisartsenpraktijk Oost"]


def test_it_lists_the_directory_in_the_same_number_of_queries_however_long(cast, as_user):
    client = as_user(cast.a1)
    client.get("/resources/")  # a first request settles the session

    with count_queries() as few:
        assert client.get("/resources/").status_code == 200
    with db.connection_context():
        for n in range(8):
            resource = LocalResource.create(
                team=cast.team_a, name=f"Groep {n}", kind=["community", "health"][n % 2]
            )
            NetworkMember.add(
                cast.person_a, cast.a1, name=f"Contact {n}", relation="other", resource=resource
            )
    with count_queries() as many:
        assert client.get("/resources/").status_code == 200

    assert len(many) == len(few)
