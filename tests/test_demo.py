"""The demo package: the demo loads whole, from its data files, and keeps the app's rules."""

import datetime as dt
import tomllib

import pytest
from click.testing import CliRunner
from conftest import make_app, release_connections
from peewee import fn

import teamcase.demo.loader
import teamcase.demo.scale
from teamcase.cli import cli
from teamcase.db import db, upgrade
from teamcase.demo import seed_demo, seed_scale
from teamcase.demo.data import DATA, DemoData
from teamcase.models import (
    MODELS,
    AgendaItem,
    AuditEvent,
    Client,
    Contact,
    Decision,
    Meeting,
)

# A Wednesday morning in Amsterdam: seeded as of this moment, the demo is always the same.
SEEDED_AT = dt.datetime(2026, 11, 18, 9, 30)

# Rows per table in the demo as seeded at SEEDED_AT. A lost table, pool or file shows
# here as a smaller number. The audit events are those the verbs write while seeding.
DEMO_ROWS = {
    "about_me": 276,
    "agenda_item": 55,
    "attendance": 59,
    "audit_event": 4354,
    "client": 65,
    "coach_link": 1,
    "connection": 2,
    "consent": 86,
    "contact": 1864,
    "contact_member": 92,
    "decision": 15,
    "decision_step": 37,
    "experiment": 5,
    "goal": 96,
    "invitation": 2,
    "known_best": 83,
    "local_resource": 21,
    "meeting": 8,
    "meeting_flag": 10,
    "network_member": 281,
    "offer": 39,
    "planned_visit": 1211,
    "referral": 13,
    "role_holding": 10,
    "step": 146,
    "strength": 168,
    "task": 41,
    "team": 2,
    "team_role": 7,
    "training_item": 6,
    "user": 16,
    "visit_series": 8,
}


class _Recorded(DemoData):
    """The demo's data, kept so a test can ask which keys were never read."""

    loaded: list = []

    def __init__(self, lang="en"):
        super().__init__(lang)
        self.loaded.append(self)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One SQLite file with the demo seeded at SEEDED_AT and a scale team, and every
    DemoData the seeding loaded."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    release_connections()
    app = make_app(url)
    with pytest.MonkeyPatch.context() as patch:
        _Recorded.loaded = []
        patch.setattr(teamcase.demo.loader, "DemoData", _Recorded)
        patch.setattr(teamcase.demo.scale, "DemoData", _Recorded)
        with app.app_context(), db.connection_context():
            upgrade()
            counts_before = {m._meta.table_name: m.select().count() for m in MODELS}
            seed_demo(now=SEEDED_AT)
            counts = {m._meta.table_name: m.select().count() for m in MODELS}
            seed_scale(1, 4, 3)
    release_connections()
    return {"url": url, "empty": counts_before, "counts": counts, "data": _Recorded.loaded}


@pytest.fixture
def demo(seeded):
    app = make_app(seeded["url"])
    with app.app_context(), db.connection_context():
        yield app
    release_connections()


def test_it_loads_the_demo_into_an_empty_database_with_every_table_filled(seeded):
    assert not any(seeded["empty"].values())
    counts = seeded["counts"]
    short = {t: (counts.get(t), n) for t, n in DEMO_ROWS.items() if counts.get(t, 0) < n}
    assert not short, f"tables with fewer rows than the demo has (got, expected): {short}"


def test_it_parses_and_uses_every_data_file():
    files = sorted(DATA.glob("en/*.toml"))
    assert len(files) >= 15
    for path in files:
        with path.open("rb") as fh:
            assert tomllib.load(fh), f"{path.name} is empty"


def test_it_reads_every_top_level_key_of_every_data_file(seeded):
    loaded = seeded["data"]
    assert loaded, "seeding loaded no data"
    names = {path.stem for path in DATA.glob("en/*.toml")}
    assert set(loaded[0].files) == names
    unread = {}
    for name in names:
        keys = set(loaded[0].files[name])
        for data in loaded:
            keys -= data.files[name].read
        if keys:
            unread[name] = sorted(keys)
    assert not unread, f"data the demo never uses: {unread}"


def test_it_knows_only_the_languages_it_has_files_for():
    assert DemoData("en").lang == "en"
    with pytest.raises(ValueError, match="'en'|en"):
        DemoData("xx")


def test_it_refuses_to_load_twice(seeded, monkeypatch):
    monkeypatch.setenv("TEAMCASE_DATABASE_URL", seeded["url"])
    monkeypatch.delenv("TEAMCASE_SECRET_KEY", raising=False)
    # The command speaks the install's default language; the suite reads English.
    monkeypatch.setenv("TEAMCASE_DEFAULT_LANGUAGE", "en")
    result = CliRunner().invoke(cli, ["seed-demo"], catch_exceptions=False)
    assert result.exit_code != 0
    assert "already has teams" in result.output


def test_it_keeps_everyones_last_contact_as_the_app_does(demo):
    newest = dict(
        Contact.select(Contact.client, fn.MAX(Contact.happened_at))
        .group_by(Contact.client)
        .tuples()
    )
    for person in Client.select():
        assert person.last_contact_at == newest.get(person.id), person.name


def test_it_dates_the_history_to_when_things_happened(demo):
    # The verbs stamp "now"; the demo's people's records read as built up over months.
    contact_events = (
        AuditEvent.select(AuditEvent.at, Contact.created_at)
        .join(Contact, on=(AuditEvent.entity_id == Contact.id))
        .where(AuditEvent.entity == "contact")
        .tuples()
    )
    assert contact_events.count() >= DEMO_ROWS["contact"]
    assert all(at == created for at, created in contact_events)
    recent = AuditEvent.select().where(AuditEvent.at > SEEDED_AT)
    # Only what seeding did itself: the next meeting's agenda, which also settles
    # the decisions whose time to answer ran out by the real clock.
    assert {e.entity for e in recent} <= {Meeting.ENTITY, AgendaItem.ENTITY, Decision.ENTITY}
