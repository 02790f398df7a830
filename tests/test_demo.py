"""The demo package: the demo loads whole, from its data files, and keeps the app's rules."""

import html
import string
import tomllib

import pytest
from click.testing import CliRunner
from conftest import login, make_app, release_connections
from demo_seeds import SEEDED_AT, demo_seed
from peewee import fn

from teamcase.cli import cli
from teamcase.db import db
from teamcase.demo import DEMO_PASSWORD
from teamcase.demo.data import DATA, DemoData, languages
from teamcase.measures.omaha import caseload_omaha
from teamcase.models import (
    AgendaItem,
    AuditEvent,
    Client,
    Contact,
    Decision,
    Meeting,
    Team,
    User,
)

# Rows per table in the demo as seeded at SEEDED_AT. A lost table, pool or file shows
# here as a smaller number. The audit events are those the verbs write while seeding.
DEMO_ROWS = {
    "about_me": 263,
    "admission": 12,
    "agenda_item": 56,
    "attendance": 55,
    "audit_event": 4929,
    "client": 65,
    "coach_link": 1,
    "connection": 2,
    "consent": 86,
    "contact": 2219,
    "contact_member": 92,
    "decision": 15,
    "decision_step": 37,
    "experiment": 6,
    "goal": 96,
    "invitation": 2,
    "known_best": 83,
    "local_resource": 21,
    "meeting": 8,
    "meeting_flag": 10,
    "network_member": 277,
    "offer": 35,
    "omaha_problem": 9,
    "omaha_rating": 26,
    "omaha_strength": 7,
    "planned_visit": 854,
    "referral": 13,
    "role_holding": 10,
    "self_reliance": 222,
    "step": 146,
    "strength": 168,
    "task": 41,
    "team": 2,
    "team_role": 7,
    "training_item": 6,
    "user": 16,
    "visit_series": 8,
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return demo_seed(tmp_path_factory, "en")


@pytest.fixture(scope="module")
def seeded_nl(tmp_path_factory):
    return demo_seed(tmp_path_factory, "nl")


@pytest.fixture(params=["en", "nl"])
def seeded_in(request):
    """The demo seeded in each language, each once for the module."""
    return request.getfixturevalue("seeded" if request.param == "en" else "seeded_nl")


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


def test_it_loads_the_dutch_demo_in_the_same_shape_as_the_english_one(seeded, seeded_nl):
    assert not any(seeded_nl["empty"].values())
    assert all(seeded_nl["counts"].get(table) for table in DEMO_ROWS)
    assert seeded_nl["counts"] == seeded["counts"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_it_parses_and_uses_every_data_file(lang):
    files = sorted(DATA.glob(f"{lang}/*.toml"))
    assert len(files) >= 15
    for path in files:
        with path.open("rb") as fh:
            assert tomllib.load(fh), f"{path.name} is empty"


def _leaves(value, path=()):
    """(path, value) for every value in a parsed file, lists by position."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


# A text may use the person's pronouns as its own language needs them; the other
# fields decide who a text fits (see records.py) and so must be the same in both.
PRONOUNS = {"they", "They", "their", "Their", "them", "self"}


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name} - PRONOUNS


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("en/*.toml")))
def test_every_language_has_the_same_keys_numbers_and_fields_as_english(name):
    """Each language's files hold the same tables, keys, list lengths, numbers and
    placeholders as English, so the generators draw the same demo from them."""
    english = dict(_leaves(tomllib.loads((DATA / "en" / f"{name}.toml").read_text())))
    for lang in languages():
        other = dict(_leaves(tomllib.loads((DATA / lang / f"{name}.toml").read_text())))
        assert other.keys() == english.keys(), (
            f"{lang}/{name}.toml: keys only in one of the two: "
            f"{sorted(map(str, other.keys() ^ english.keys()))[:10]}"
        )
        for path, value in english.items():
            theirs = other[path]
            assert type(theirs) is type(value), (lang, name, path)
            if isinstance(value, str):
                assert _fields(theirs) == _fields(value), (lang, name, path, theirs)
            else:
                assert theirs == value, (lang, name, path)


def test_there_is_a_dutch_and_an_english_demo():
    assert {"en", "nl"} <= set(languages())
    for lang in languages():
        names = {path.stem for path in DATA.glob(f"{lang}/*.toml")}
        assert names == {path.stem for path in DATA.glob("en/*.toml")}, lang


def test_it_reads_every_top_level_key_of_every_data_file(seeded_in):
    loaded = seeded_in["data"]
    assert loaded, "seeding loaded no data"
    assert {data.lang for data in loaded} == {seeded_in["lang"]}
    names = {path.stem for path in DATA.glob(f"{seeded_in['lang']}/*.toml")}
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


def test_the_demo_team_uses_the_omaha_system_and_its_people_mostly_improve(demo):
    oost = Team.get(Team.uses_omaha == True)  # noqa: E712
    assert Team.select().where(Team.uses_omaha == True).count() == 1  # noqa: E712
    found = caseload_omaha(oost)
    # Skin is ended (Cornelis's wound healed): it counts no more.
    assert "24" not in [row.code for row in found]
    assert len(found) >= 6
    changes = [row.change[c] for row in found for c in row.change if row.rated_again]
    assert changes and all(change >= 0 for change in changes)
    assert sum(changes) / len(changes) > 0.5


def test_demo_accounts_see_teamcase_in_the_language_of_the_demo(seeded_in):
    app = make_app(seeded_in["url"])
    with app.app_context(), db.connection_context():
        # The scale team's accounts are for benchmarks, not for trying the demo.
        accounts = User.select().where(~User.email.endswith("@scale.example.org"))
        assert accounts.count() == DEMO_ROWS["user"]
        assert {account.language for account in accounts} == {seeded_in["lang"]}
    release_connections()


def _texts(lang):
    """Stretches of the demo's texts in `lang` long enough to be told apart: the
    parts of each text between its placeholders."""
    pieces = set()
    for path in DATA.glob(f"{lang}/*.toml"):
        for _, value in _leaves(tomllib.loads(path.read_text())):
            if isinstance(value, str):
                for literal, *_ in string.Formatter().parse(value):
                    if len(literal.strip()) >= 24 and " " in literal.strip():
                        pieces.add(literal.strip())
    return pieces


@pytest.fixture
def demo_nl(seeded_nl):
    app = make_app(seeded_nl["url"], WTF_CSRF_ENABLED=False)
    with app.app_context():
        yield app
    release_connections()


def test_a_demo_persons_page_reads_in_dutch(demo_nl):
    dutch, english = _texts("nl"), _texts("en")
    names = ("Hendrik Boersma", "Fatma Özdemir", "Wilhelmina Kramer")
    with db.connection_context():
        anna = User.by_email("anna@oost.example.org")
        ids = {name: Client.get(Client.name == name).id for name in names}
    browser = demo_nl.test_client()
    login(browser, anna, DEMO_PASSWORD)
    shown_dutch = set()
    for name in names:
        page = html.unescape(browser.get(f"/people/{ids[name]}").text)
        assert '<html lang="nl"' in page
        left = sorted(text for text in english - dutch if text in page)
        assert not left, f"English demo text on {name}'s page: {left[:5]}"
        shown_dutch |= {text for text in dutch if text in page}
    # Her goal in her own words, her network and notes, and the page's own words.
    assert "Ik wil weer zelf naar de markt op zaterdag" in shown_dutch
    assert "Loopt op zaterdagochtend met hem naar de markt" in shown_dutch
    assert len(shown_dutch) >= 30, sorted(shown_dutch)


def test_the_demo_year_shows_the_gp_phone_line_signal_and_the_experiment_it_led_to(seeded_in):
    """A year of weeks on the failure demand chart: usual variation, then eight and
    more weeks above the centre line since the GP practice's new phone system, and
    the experiment the team started from that chart marking a new segment."""
    from teamcase.measures.weekly import Figures
    from teamcase.models import Experiment, Team, WeekFigure

    app = make_app(seeded_in["url"])
    with app.app_context(), db.connection_context():
        team = Team.get(Team.name.contains("Oost"))
        figures = Figures(team, SEEDED_AT.date())
        failure = figures.series("failure")
        assert len(failure.values) == 52
        # Normal variation: a year of weeks, hardly any without calls coming in.
        assert sum(1 for v in failure.values if not v) <= 3
        assert len(set(figures.series("value").values)) >= 5
        experiment = Experiment.get(Experiment.team == team, Experiment.measure == "failure")
        change = (experiment.week - figures.weeks[0]).days // 7
        first, after = failure.chart.segments
        assert first.end == change and after.why == experiment.title
        runs = [s for s in failure.chart.signals if s.rule == "run_of_8" and s.side == "above"]
        assert runs and any(len(s.indexes) >= 8 and s.indexes[-1] < change for s in runs)
        # Nothing before the phone system changed (the week 16 weeks ago, index 35)
        # reads as a signal: each is seen in the weeks since; a run above may take in
        # a week or three before them that were above the centre line by chance.
        changed = 52 - 17
        assert all(s.indexes[-1] >= changed for s in failure.chart.signals)
        assert all(min(s.indexes) >= changed - 3 for s in failure.chart.signals)
        assert all(min(s.indexes) >= changed for s in failure.chart.signals if s.rule != "run_of_8")
        cause = "GP phone line" if seeded_in["lang"] == "en" else "Telefoonlijn huisarts"
        gp = WeekFigure.select().where(
            WeekFigure.team == team, WeekFigure.measure == f"cause:{cause}"
        )
        assert sum(row.count for row in gp) >= 40
    release_connections()
