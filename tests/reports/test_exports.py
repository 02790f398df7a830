"""A team's full export and a person's own export: complete, streamed, the team's
own and nobody else's, never a secret, audited."""

import collections
import datetime as dt
import json

import pytest
from conftest import PASSWORD_HASH, count_queries
from filled import SECRET_OF_TEAM_B, fill

from teamcase.dates import local_now
from teamcase.db import db
from teamcase.models import (
    MODELS,
    AuditEvent,
    Client,
    Contact,
    Decision,
    Invitation,
    holdings,
    utcnow,
)
from teamcase.reports import exports


def _team_url(team):
    return f"/team/{team.id}/export.jsonl"


def _person_url(person):
    return f"/people/{person.id}/export.json"


def _today(app) -> str:
    with app.app_context():
        return local_now().date().isoformat()


def _lines(response) -> list[dict]:
    assert response.status_code == 200, response.data[:300]
    return [json.loads(line) for line in response.data.decode("utf-8").splitlines()]


@pytest.fixture
def filled(cast):
    return fill(cast)


def _add_contacts(cast, count):
    with db.connection_context():
        for i in range(count):
            Contact.record(
                cast.person_a,
                by=cast.a1,
                happened_at=utcnow() - dt.timedelta(minutes=i),
                minutes=10,
                kind="phone",
                note=f"Call {i}",
            )


def _chunk_reads(queries) -> list[str]:
    """The queries that read a chunk of rows (they start after the last id seen)."""
    return [q for q in queries if '"t1"."id" > ' in q]


def test_it_streams_the_team_export_a_chunk_at_a_time(filled, as_user, monkeypatch):
    monkeypatch.setattr(holdings, "CHUNK", 2)
    monkeypatch.setattr(exports, "LINES_PER_PIECE", 1)
    client = as_user(filled.a1)

    # The test client reads the first piece of the body before it answers.
    with count_queries() as first:
        response = client.get(_team_url(filled.team_a), buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    assert "Content-Length" not in response.headers
    with count_queries() as rest:
        remaining = list(response.response)
    response.close()

    # The first piece needed the first chunk of the first table, nothing more.
    assert len(_chunk_reads(first)) == 1
    assert 'FROM "team"' in _chunk_reads(first)[0]
    assert len(_chunk_reads(rest)) > 30
    assert len(remaining) > 30


def test_it_counts_in_the_manifest_the_rows_it_wrote(app, filled, as_user):
    response = as_user(filled.a1).get(_team_url(filled.team_a))

    lines = _lines(response)
    manifest = lines[-1]
    assert manifest["table"] == "manifest"
    assert manifest["team"] == filled.team_a.id
    written = collections.Counter(line["table"] for line in lines[:-1])
    assert manifest["counts"] == {table: written.get(table, 0) for table in manifest["counts"]}
    assert manifest["rows"] == len(lines) - 1
    assert response.mimetype == "application/x-ndjson"
    assert response.headers["Content-Disposition"].startswith(
        f"attachment; filename=team-Team-A-{_today(app)}.jsonl"
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_it_holds_every_table_but_the_installations(filled, as_user):
    lines = _lines(as_user(filled.a1).get(_team_url(filled.team_a)))

    counts = lines[-1]["counts"]
    every = {m._meta.table_name for m in MODELS}
    assert set(counts) == every - {m._meta.table_name for m in holdings.NOT_THE_TEAMS}
    # The filled cast has a row of team A in each of them.
    assert [table for table, count in counts.items() if not count] == []
    people = {line["id"] for line in lines if line["table"] == "client"}
    assert people == {filled.person_a.id, filled.neighbour_a.id}
    assert {line["name"] for line in lines if line["table"] == "user"} == {
        "Anna Aalders",
        "Bram Bos",
    }


def test_it_writes_dates_and_times_as_iso_8601(filled, as_user):
    lines = _lines(as_user(filled.a1).get(_team_url(filled.team_a)))

    person = next(
        line for line in lines if line["id"] == filled.person_a.id and line["table"] == "client"
    )
    assert person["date_of_birth"] == "1941-05-17"
    assert dt.datetime.fromisoformat(person["created_at"])
    visit = next(line for line in lines if line["table"] == "planned_visit")
    assert visit["starts_at"] in ("09:00:00", "08:00:00")


def test_it_never_holds_a_password_or_token_hash(filled, as_user):
    with db.connection_context():
        token_hash = Invitation.get_by_id(filled.invitation_a.id).token_hash
    client = as_user(filled.a1)

    for url in (_team_url(filled.team_a), _person_url(filled.person_a)):
        body = client.get(url).data
        assert b"password_hash" not in body
        assert b"token_hash" not in body
        assert PASSWORD_HASH.encode() not in body
        assert token_hash.encode() not in body
        assert b"$argon2" not in body


def test_it_never_holds_another_teams_data(filled, as_user):
    response = as_user(filled.a1).get(_team_url(filled.team_a))

    assert SECRET_OF_TEAM_B.encode() not in response.data
    assert b"Kees" not in response.data
    assert b"Cor de Boer" not in response.data
    for line in _lines(response)[:-1]:
        assert line.get("team", filled.team_a.id) == filled.team_a.id, line
        assert line.get("client") != filled.person_b.id, line


def test_it_leaves_out_the_history_of_someone_who_moved_to_another_team(filled, as_user):
    with db.connection_context():
        moved = Client.open(filled.team_a, by=filled.a1, name="Verhuisd Persoon", phone="06")
        Client.update(team=filled.team_b).where(Client.id == moved.id).execute()

    lines = _lines(as_user(filled.a1).get(_team_url(filled.team_a)))

    assert not [line for line in lines if line.get("client") == moved.id]
    assert b"Verhuisd" not in json.dumps(lines).encode()


@pytest.mark.parametrize("route", ["team", "person"])
def test_it_lets_only_members_of_the_team_export(filled, as_user, route):
    url = _team_url(filled.team_a) if route == "team" else _person_url(filled.person_a)
    expected = {"b1": 404, "coach_a": 403, "coach_x": 404, "office": 404}

    for role, status in expected.items():
        assert as_user(getattr(filled, role)).get(url).status_code == status, role
    assert as_user(None).get(url).status_code == 302

    with db.connection_context():
        exported = AuditEvent.select().where(AuditEvent.action == "export")
        assert not exported.exists()


def test_it_audits_the_team_export_and_shows_it_in_the_log(filled, as_user):
    client = as_user(filled.a1)
    assert client.get(_team_url(filled.team_a)).status_code == 200

    with db.connection_context():
        event = AuditEvent.get(AuditEvent.action == "export", AuditEvent.entity == "team")
    assert event.team_id == filled.team_a.id
    assert event.client_id is None
    assert event.actor_id == filled.a1.id
    page = client.get("/team/").get_data(as_text=True)
    assert "Downloaded everything the team holds" in page
    assert _team_url(filled.team_a) in page


def _expected_queries(counts: dict, chunk: int) -> int:
    """Queries for the rows: one per full chunk of each table, and one that finds
    the table's end."""
    return sum(count // chunk + 1 for count in counts.values())


def test_it_reads_a_query_per_chunk_however_many_rows(filled, as_user, monkeypatch):
    monkeypatch.setattr(holdings, "CHUNK", 10)
    client = as_user(filled.a1)

    def export():
        with count_queries() as queries:
            lines = _lines(client.get(_team_url(filled.team_a)))
        return len(queries), lines[-1]["counts"]

    before, counts_before = export()
    _add_contacts(filled, 45)
    after, counts_after = export()

    assert counts_after["contact"] == counts_before["contact"] + 45
    # Only the chunks grow: the rest of the export takes as many queries as before.
    assert after - _expected_queries(counts_after, 10) == before - _expected_queries(
        counts_before, 10
    )
    assert before - _expected_queries(counts_before, 10) <= 6

    monkeypatch.setattr(holdings, "CHUNK", 500)
    large, _ = export()
    assert large == before - _expected_queries(counts_before, 10) + len(counts_before)


def test_it_exports_everything_about_one_person(app, filled, as_user):
    with db.connection_context():
        Client.update(name="Zoë Bakker").where(Client.id == filled.person_a.id).execute()
        Decision.propose(
            filled.team_a,
            filled.a1,
            "Zoë moves to two visits a day",
            "Safer",
            client=filled.person_a,
        )
    client = as_user(filled.a1)

    response = client.get(_person_url(filled.person_a))

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.data.startswith(b'{\n  "about": ')
    assert "Zoë".encode() in response.data  # UTF-8, not \u escapes
    disposition = response.headers["Content-Disposition"]
    day = _today(app)
    assert f"filename=everything-about-Zoe-Bakker-{day}.json" in disposition
    assert f"everything-about-Zo%C3%AB-Bakker-{day}.json" in disposition
    assert response.headers["Cache-Control"] == "no-store"

    document = json.loads(response.data)
    assert document["person"]["name"] == "Zoë Bakker"
    assert document["person"]["phone"] == "06-12345678"
    records = document["records"]
    assert {c["note"] for c in records["contact"]} >= {"Talked about the garden."}
    assert len(records["contact"]) == 2
    assert len(records["contact_member"]) == 1
    assert records["about_me"][0]["text"] == "My garden"
    for table in (
        "strength",
        "offer",
        "consent",
        "network_member",
        "goal",
        "step",
        "connection",
        "admission",
    ):
        assert records[table], table
    assert records["planned_visit"] and records["visit_series"] and records["task"]
    assert records["meeting_flag"][0]["reason"] == "Falls more often"
    assert [d["proposal"] for d in records["decision"]] == ["Zoë moves to two visits a day"]
    history = {(e["action"], e["entity"]) for e in records["audit_event"]}
    assert {("create", "person"), ("create", "contact"), ("export", "person")} <= history
    assert {a["name"] for a in document["accounts"]} == {"Anna Aalders", "Bram Bos"}
    # The neighbour's goal she helps with is part of the connection, not her record.
    assert all(g["client"] == filled.person_a.id for g in records["goal"])
    assert SECRET_OF_TEAM_B.encode() not in response.data


def test_it_audits_a_persons_export_on_their_history(filled, as_user):
    client = as_user(filled.a1)
    assert client.get(_person_url(filled.person_a)).status_code == 200

    with db.connection_context():
        event = AuditEvent.get(AuditEvent.action == "export", AuditEvent.entity == "person")
    assert (event.client_id, event.actor_id) == (filled.person_a.id, filled.a1.id)
    page = client.get(f"/people/{filled.person_a.id}/history").get_data(as_text=True)
    assert "Exported everything about them" in page
    assert _person_url(filled.person_a) in page


def test_a_persons_export_takes_as_many_queries_however_long_their_record(filled, as_user):
    client = as_user(filled.a1)

    def export():
        with count_queries() as queries:
            assert client.get(_person_url(filled.person_a)).status_code == 200
        return len(queries)

    before = export()
    _add_contacts(filled, 30)

    assert export() == before
