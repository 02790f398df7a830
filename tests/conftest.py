"""Fixtures: one app per database backend, a clean database per test and a fixed cast.

The suite always runs on SQLite. When TEST_DATABASE_URL is set it also runs on
PostgreSQL, in databases made beside that one and named after it: one migrated
template, and a copy of it for each xdist worker, all dropped at the end. An
unreachable server fails the run instead of skipping it.

The app is built once per backend (and worker): each test gets an empty
database, the app's settings, views and extensions as they were built, and
`g` in a fresh app context of its own.
"""

import collections
import contextlib
import datetime as dt
import fcntl
import functools
import logging
import os
import pickle
import urllib.parse
import zoneinfo

import peewee
import pytest
import time_machine

from teamcase import create_app
from teamcase.auth.passwords import Passwords
from teamcase.db import db, upgrade
from teamcase.i18n import compile_catalogues
from teamcase.models import (
    MODELS,
    Admission,
    Client,
    CoachLink,
    Connection,
    Consent,
    Contact,
    Goal,
    Invitation,
    LocalResource,
    NetworkMember,
    Offer,
    OmahaProblem,
    OmahaStrength,
    PlannedVisit,
    Referral,
    RoleHolding,
    SelfReliance,
    Step,
    Strength,
    Task,
    Team,
    TeamRole,
    User,
    utcnow,
)

# The cheapest argon2id there is: the cast logs in hundreds of times per run.
# tests/test_passwords.py checks what a real deployment gets.
CHEAP_ARGON2 = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 8,
    "PASSWORD_HASH_PARALLELISM": 1,
}

PASSWORD = "correct horse battery"
PASSWORD_HASH = Passwords.from_settings(CHEAP_ARGON2).hash(PASSWORD)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
# "gw0", "gw1", ... under pytest-xdist; "main" in a run without workers.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# The team's time zone in the tests (the app's default setting).
TEAM_ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="session", autouse=True)
def _daytime():
    """Run the suite in the team's daytime. Many tests write something "2 hours
    ago" or due "tomorrow" and read it back as today's; near midnight in the
    team's zone (or when the machine's own date differs from the team's) they
    would read another day. Outside 06:00-21:00 the clock jumps forward to the
    next 10:00 and runs on from there; never backwards, so that cookies a
    browser keeps by its own clock do not expire early."""
    local = dt.datetime.now(TEAM_ZONE)
    if 6 <= local.hour < 21:
        yield
        return
    morning = local.replace(hour=10, minute=0, second=0, microsecond=0)
    if morning < local:
        morning += dt.timedelta(days=1)
    with time_machine.travel(morning, tick=True):
        yield


class PostgresServer:
    """Databases beside TEST_DATABASE_URL's, named after it with a suffix."""

    def __init__(self, url: str):
        self.parts = urllib.parse.urlsplit(url)
        self.base = self.parts.path.lstrip("/") or "teamcase"
        self.template = self.name("template")
        self.template_made = False

    def name(self, suffix: str) -> str:
        return f"{self.base}_{suffix}"[:63]

    def url(self, name: str) -> str:
        # A commit need not wait for the disk here: should the server crash, the
        # databases are thrown away anyway. On this kind of machine a commit took
        # 2.2 ms with the wait and 0.26 ms without, and the suite commits a lot.
        query = urllib.parse.urlencode(
            {"options": "-c synchronous_commit=off"}, quote_via=urllib.parse.quote
        )
        return urllib.parse.urlunsplit(self.parts._replace(path=f"/{name}", query=query))

    def run(self, statement: str, name: str, template: str | None = None):
        """Run a CREATE/DROP DATABASE statement, connected to TEST_DATABASE_URL's
        database (which the suite otherwise leaves alone)."""
        import psycopg
        from psycopg import sql

        names = [sql.Identifier(name)] + ([sql.Identifier(template)] if template else [])
        try:
            with psycopg.connect(self.url(self.base), autocommit=True) as connection:
                connection.execute(sql.SQL(statement).format(*names))
        except psycopg.OperationalError as error:
            # Fail, never skip: PostgreSQL is part of the suite once it is asked for.
            pytest.exit(f"TEST_DATABASE_URL: PostgreSQL is not usable: {error}", returncode=1)

    def copy_of_template(self, name: str) -> str:
        """A new database `name`, a copy of the migrated template (much faster than
        migrating); its URL."""
        self.drop(name)
        self.run("CREATE DATABASE {} TEMPLATE {}", name, self.template)
        return self.url(name)

    def drop(self, name: str):
        # FORCE: a connection a server thread still holds must not keep it alive.
        self.run("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


POSTGRES = PostgresServer(TEST_DATABASE_URL) if TEST_DATABASE_URL else None


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config):
    """Compile the catalogues as they are now and migrate the PostgreSQL template,
    once, before any worker starts."""
    if not _is_xdist_worker(config):
        compile_catalogues()
    if POSTGRES is None or _is_xdist_worker(config) or config.option.collectonly:
        return
    POSTGRES.drop(POSTGRES.template)
    POSTGRES.run("CREATE DATABASE {}", POSTGRES.template)
    POSTGRES.template_made = True
    app = make_app(POSTGRES.url(POSTGRES.template))
    with app.app_context(), db.connection_context():
        upgrade()
    release_connections()  # a template must have no connections when it is copied


def pytest_unconfigure(config):
    if POSTGRES is not None and POSTGRES.template_made:
        POSTGRES.drop(POSTGRES.template)


# Modules whose tests take tens of seconds each, after the browser journeys.
SLOW_MODULES = {"test_bad_input.py", "test_dutch_everywhere.py", "test_demo.py", "test_cli.py"}


def pytest_collection_modifyitems(config, items):
    """The longest tests first: the browser journeys, then the few slow modules,
    then the many quick ones. The workers then end together on quick tests
    instead of one of them walking a minute-long journey while the other waits."""

    def weight(item):
        if "browser" in item.path.parts:
            return 0
        return 1 if item.path.name in SLOW_MODULES else 2

    items.sort(key=weight)  # stable: within each kind, the order they were written in


def release_connections():
    """Close the current database's connections, pooled ones included, before a
    new app replaces it (psycopg warns about connections dropped while open)."""
    current = getattr(db, "obj", None)
    if current is None:
        return
    if not current.is_closed():
        current.close()
    if hasattr(current, "close_all"):
        current.close_all()


def make_app(url, **overrides):
    config = {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "LOGIN_BLOCK_AFTER": 10,
        # The suite's texts are pinned in English, the source language; the Dutch
        # tests ask for Dutch as a browser or an account does.
        "DEFAULT_LANGUAGE": "en",
        **CHEAP_ARGON2,
        **overrides,
    }
    return create_app(config)


class SharedApp:
    """One app and its database for a whole session; `fresh()` before each test
    puts back what tests may change."""

    def __init__(self, url: str):
        release_connections()
        self.app = make_app(url)
        self.database = db.obj
        with self.app.app_context(), db.connection_context():
            upgrade()  # a no-op on a copy of the template
        # One request checks the schema once for the session, not once per test.
        assert self.app.test_client().get("/login").status_code == 200
        self.config = dict(self.app.config)
        self.view_functions = dict(self.app.view_functions)
        self.extensions = dict(self.app.extensions)

    def fresh(self):
        app = self.app
        app.config.clear()
        app.config.update(self.config)
        app.view_functions.clear()
        app.view_functions.update(self.view_functions)
        app.extensions.clear()
        app.extensions.update(self.extensions)
        # Another app made in the last test (create_app rebinds the proxy) must
        # not get this test's queries.
        if db.obj is not self.database:
            release_connections()
            db.initialize(self.database)
        self.empty()
        return app

    def close(self):
        if not self.database.is_closed():
            self.database.close()
        if hasattr(self.database, "close_all"):
            self.database.close_all()

    def empty(self):
        # DELETE, in one transaction, also on PostgreSQL: TRUNCATE of the 30-odd
        # tables took over a second there (it makes new files for each table),
        # these deletes of a test's few rows some 30 ms.
        with db.connection_context(), db.atomic():
            for model in reversed(MODELS):
                model.delete().execute()


@pytest.fixture(scope="session", params=BACKENDS)
def backend_url(request, tmp_path_factory):
    if request.param == "sqlite":
        # tmp_path_factory has a folder of its own per xdist worker.
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    name = POSTGRES.name(WORKER)
    url = POSTGRES.copy_of_template(name)
    request.addfinalizer(lambda: POSTGRES.drop(name))
    return url


@pytest.fixture(scope="session")
def shared_app(backend_url):
    shared = SharedApp(backend_url)
    yield shared
    shared.close()


@pytest.fixture
def app(shared_app):
    # No app context stays pushed: each request must get its own, or `g` (and
    # with it the logged-in user) would leak from one request to the next.
    app = shared_app.fresh()
    yield app
    release_connections()


@pytest.fixture
def csrf_app(app):
    """The app with CSRF switched on; most tests post without tokens."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture(autouse=True)
def _no_csrf_by_default(request):
    if "app" in request.fixturenames and "csrf_app" not in request.fixturenames:
        request.getfixturevalue("app").config["WTF_CSRF_ENABLED"] = False


class Cast:
    """Two members of team A, one of team B, a coach linked to A, an unlinked coach,
    a back-office user, and a person in each team."""

    def __init__(self):
        with db.connection_context():
            # Team A keeps who does what (self-reliance per area of life) and uses the
            # Omaha System; team B neither.
            self.team_a = Team.create(
                name="Team A", area="Oost", uses_self_reliance=True, uses_omaha=True
            )
            self.team_b = Team.create(name="Team B", area="Zuid")
            self.a1 = self._user("anna@a.example.org", "Anna Aalders", User.MEMBER, self.team_a)
            self.a2 = self._user("bram@a.example.org", "Bram Bos", User.MEMBER, self.team_a)
            self.b1 = self._user("cor@b.example.org", "Cor de Boer", User.MEMBER, self.team_b)
            self.coach_a = self._user("dina@coach.example.org", "Dina Coach", User.COACH, None)
            self.coach_x = self._user("eva@coach.example.org", "Eva Elders", User.COACH, None)
            self.office = self._user("fred@office.example.org", "Fred Office", User.BACKOFFICE)
            CoachLink.create(coach=self.coach_a, team=self.team_a)
            self.resource_a = LocalResource.create(
                team=self.team_a, name="Huisartsenpraktijk Oost", kind="gp"
            )
            self.person_a = Client.open(
                self.team_a,
                by=self.a1,
                known_best=[self.a1],
                name="Mies Bakker",
                phone="06-12345678",
                street="Dapperstraat 12",
                date_of_birth=dt.date(1941, 5, 17),
            )
            self.person_b = Client.open(self.team_b, by=self.b1, name="Kees Zuid", phone="020-555")
            self.contact_a = Contact.record(
                self.person_a,
                by=self.a1,
                happened_at=utcnow() - dt.timedelta(hours=2),
                minutes=30,
                kind="home_visit",
                note="Talked about the garden.",
            )
            # One of each part of person A's record, by the blueprint that edits it.
            self.parts = {
                "strengths": Strength.add(
                    self.person_a, self.a1, category="skills", text="Still cooks"
                ).id,
                "offers": Offer.add(self.person_a, self.a1, text="Teaches knitting").id,
                "consents": Consent.add(
                    self.person_a, self.a1, what="Network on profile", with_whom="family"
                ).id,
                "network": NetworkMember.add(
                    self.person_a, self.a1, name="Ellen", relation="family", tie="strong"
                ).id,
            }
            self.goal_a = Goal.add(
                self.person_a, self.a1, words="I want to walk to the market on Saturdays again"
            )
            self.parts["goals"] = self.goal_a.id
            self.parts["steps"] = Step.add(
                self.goal_a, self.a1, text="Walk to the corner twice a week"
            ).id
            self.parts["admissions"] = Admission.add(
                self.person_a,
                self.a1,
                happened_on=dt.date.today() - dt.timedelta(days=20),
                kind="hospital",
                why="Fell in the bathroom",
            ).id
            self.parts["selfreliance"] = SelfReliance.rate(
                self.person_a,
                self.a1,
                dt.date.today() - dt.timedelta(days=10),
                {"housing": "person", "money": "network"},
            )[0].id
            # Physical activity (37), rated once ten days ago, helped by her cooking.
            self.omaha_a = OmahaProblem.add(
                self.person_a, self.a1, "37", dt.date.today() - dt.timedelta(days=10)
            )
            self.omaha_a.rate(
                self.a1,
                0,
                dt.date.today() - dt.timedelta(days=10),
                knowledge=2,
                behaviour=2,
                status=3,
            )
            # Linked as a row of its own: the cast's audit log holds no change yet.
            OmahaStrength.create(problem=self.omaha_a, strength=self.parts["strengths"])
            self.parts["omaha"] = self.omaha_a.id

    @staticmethod
    def _user(email, name, role, team=None):
        return User.create(
            email=email, name=name, role=role, team=team, password_hash=PASSWORD_HASH
        )

    def by_role(self, role):
        return None if role == "anonymous" else getattr(self, role)

    @functools.cached_property
    def a3(self):
        """A third member of team A, for a team that splits: two go, one stays.

        Made on first use only: a third member would change every count of team A's
        members."""
        with db.connection_context():
            return self._user("carla@a.example.org", "Carla Claes", User.MEMBER, self.team_a)

    @functools.cached_property
    def connection(self):
        """Person A's offer meets the need of a second person in team A; both agreed.

        Made on first use only: a second person in team A would change every
        caseload count.
        """
        with db.connection_context():
            self.neighbour_a = Client.open(
                self.team_a, by=self.a1, name="Joop Visser", phone="06-87654321"
            )
            offer = Offer.add(self.person_a, self.a1, text="Company on the phone", when="evenings")
            goal = Goal.add(
                self.neighbour_a,
                self.a1,
                words="Feel less alone in the evenings",
                help_wanted="Someone to phone now and then",
            )
            return Connection.create(offer=offer, goal=goal, recorded_by=self.a1)

    @functools.cached_property
    def referral_a(self):
        """An open referral in team A's inbox (made on first use, without audit events)."""
        with db.connection_context():
            return Referral.create(
                team=self.team_a,
                recorded_by=self.a1,
                referrer_name="Dr. Pietersen",
                referrer_org="Huisartsenpraktijk Oost",
                person_name="Jan de Groot",
                street="Javastraat 40",
                story="Home from hospital after a fall; lives alone.",
                urgency="urgent",
            )

    @functools.cached_property
    def visit_a(self):
        """A visit in Anna's plan for person A today (made on first use)."""
        with db.connection_context():
            return PlannedVisit.add(
                self.person_a,
                self.a1,
                member=self.a1,
                day=dt.date.today(),
                starts_at=dt.time(9, 0),
                ends_at=dt.time(9, 30),
                note="Compression stockings on",
            )

    @functools.cached_property
    def task_a(self):
        """An open task on team A's board for person A, nobody has it (made on first use)."""
        with db.connection_context():
            return Task.add(
                self.team_a,
                self.a1,
                client=self.person_a,
                title="Order compression stockings",
                note="Size M, the pharmacy on the corner has them.",
            )

    @functools.cached_property
    def role_a(self):
        """Team A's planner role, held by Anna since a fortnight ago (made on first use)."""
        with db.connection_context():
            role = TeamRole.add(self.team_a, self.a1, "Planner", "Makes the week plan")
            RoleHolding.create(
                role=role, member=self.a1, since=dt.date.today() - dt.timedelta(days=14)
            )
            return role

    @functools.cached_property
    def invitation_a(self):
        """An open invitation to team A, sent by Anna (made on first use)."""
        with db.connection_context():
            invitation, _token = Invitation.send(
                self.team_a, self.a1, "Kwame Mensah", "kwame@a.example.org", days=7
            )
            return invitation

    @functools.cached_property
    def decision_a(self):
        """An open proposal of team A with Bram's objection (`objection_a`), and a
        training item and an experiment that came from it (made on first use)."""
        from teamcase.models import Decision, Experiment, TrainingItem

        with db.connection_context():
            decision = Decision.propose(
                self.team_a,
                self.a1,
                "We try a shared phone for evening calls",
                "Fewer missed calls",
            )
            self.objection_a = decision.add_step(
                self.a1, "objection", "Who charges it at night?", member=self.a2
            )
            self.training_a = TrainingItem.add(
                self.team_a, self.a1, decision=decision, topic="Wound care refresher"
            )
            self.experiment_a = Experiment.add(
                self.team_a,
                self.a1,
                decision=decision,
                title="A shared phone for evening calls",
                why="Fewer missed calls",
                how_we_know="Count the calls we missed",
            )
            return decision

    @functools.cached_property
    def support_a(self):
        """A new support request of team A, filed by Anna (made on first use)."""
        from teamcase.models import SupportRequest

        with db.connection_context():
            return SupportRequest.file(
                self.team_a,
                by=self.a1,
                category="equipment",
                subject="A new tablet",
                description="The screen of mine is cracked.",
            )

    @functools.cached_property
    def support_file_a(self):
        """A photo Anna sent with `support_a` (made on first use)."""
        from teamcase.models import SupportAttachment

        with db.connection_context():
            return SupportAttachment.create(
                request=self.support_a,
                filename="cracked screen.png",
                content_type="image/png",
                size=8,
                data=b"\x89PNG\r\n\x1a\n",
                uploaded_by=self.a1,
            )

    @functools.cached_property
    def meeting_a(self):
        """Team A's next meeting, planned for next week (made on first use)."""
        from teamcase.models import Meeting

        with db.connection_context():
            return Meeting.plan(
                self.team_a,
                self.a1,
                held_on=dt.date.today() + dt.timedelta(days=7),
                starts_at=dt.time(13, 30),
                place="The team room",
            )

    @functools.cached_property
    def thread_a(self):
        """Team A invites its coach to `meeting_a`: a thread with her (made on first use)."""
        from teamcase.models import CoachThread

        with db.connection_context():
            return CoachThread.ask(
                self.team_a,
                by=self.a1,
                coach=self.coach_a,
                kind=CoachThread.MEETING,
                subject="Our meeting",
                text="We would like to talk about the weekend shifts.",
                meeting=self.meeting_a,
            )

    @functools.cached_property
    def item_a(self):
        """A question Anna put on the agenda of `meeting_a` (made on first use)."""
        from teamcase.models import AgendaItem

        with db.connection_context():
            return AgendaItem.add(
                self.meeting_a, self.a1, "question", "Who covers the weekends in March?"
            )


@pytest.fixture
def cast(app):
    return Cast()


def once_per_run(tmp_path_factory, name, make):
    """What `make()` returns, made once for the whole run: by the first xdist worker
    that asks, while the others wait for it and then read it back from a file.
    Seeding the demo takes 15-30 s; every worker seeding it again is time the
    suite spends waiting, with nothing more checked."""
    base = tmp_path_factory.getbasetemp()
    # Each worker's folder sits in the run's own; without workers there is one.
    shared = base.parent if WORKER != "main" else base
    path = shared / f"{name}.pickle"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            with path.open("rb") as fh:
                return pickle.load(fh)
        value = make()
        with path.open("wb") as fh:
            pickle.dump(value, fh)
        return value


class DemoRows:
    """The demo as `seed_demo()` loads it, seeded once per backend for the run (see
    `once_per_run`) and then put into each test's empty database row by row:
    seeding runs the models' verbs (some 15,000 statements, 15-30 s); putting its
    10,000-odd rows back, as the database gave them, one prepared INSERT per table,
    takes well under a second. The ids stay as seeded, so the rows keep their links."""

    def __init__(self):
        self.rows = None  # {table name: [row, ...]} once seeded

    @staticmethod
    def _columns(model) -> str:
        return ", ".join(f'"{field.column_name}"' for field in model._meta.sorted_fields)

    def load(self, tmp_path_factory, backend):
        from teamcase.backup import reset_sequences
        from teamcase.demo import seed_demo

        with db.connection_context():
            if self.rows is None:
                seeded_here = []

                def seed():
                    seed_demo()
                    seeded_here.append(True)
                    return {
                        model._meta.table_name: db.execute_sql(
                            f'SELECT {self._columns(model)} FROM "{model._meta.table_name}"'
                        ).fetchall()
                        for model in MODELS
                    }

                self.rows = once_per_run(tmp_path_factory, f"demo-rows-{backend}", seed)
                if seeded_here:
                    return
            # Some tables point at each other (a person at their last contact, a
            # contact at its person): the links are checked once all rows are in.
            sqlite = isinstance(db.obj, peewee.SqliteDatabase)
            if sqlite:
                db.execute_sql("PRAGMA foreign_keys = OFF")  # only outside a transaction
            with db.atomic():
                cursor = db.cursor()
                if not sqlite:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                for model in MODELS:
                    rows = self.rows[model._meta.table_name]
                    if rows:
                        fields = model._meta.sorted_fields
                        marks = ", ".join([db.obj.param] * len(fields))
                        cursor.executemany(
                            f'INSERT INTO "{model._meta.table_name}" ({self._columns(model)}) '
                            f"VALUES ({marks})",
                            rows,
                        )
                if sqlite:
                    assert not db.execute_sql("PRAGMA foreign_key_check").fetchall()
                else:
                    reset_sequences(db.obj)  # new rows must not take the demo's ids
            if sqlite:
                db.execute_sql("PRAGMA foreign_keys = ON")


_demo_rows = collections.defaultdict(DemoRows)


@pytest.fixture
def demo_team(app, backend_url, tmp_path_factory):
    """The demo team, loaded as `seed_demo()` loads it (see DemoRows): seeded by
    the first test that asks for it on each backend, copied for the rest."""
    backend = backend_url.partition(":")[0]
    _demo_rows[backend].load(tmp_path_factory, backend)
    return app


def login(client, user, password=PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.data[:500]
    return response


@pytest.fixture
def as_user(app):
    """as_user(user) -> a test client logged in as that user."""

    def make(user):
        client = app.test_client()
        if user is not None:
            login(client, user)
        return client

    return make


class QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.queries = []

    def emit(self, record):
        # Child loggers (peewee.pool) report housekeeping, not statements.
        if record.name == "peewee":
            self.queries.append(record.getMessage())


@contextlib.contextmanager
def count_queries():
    """Count the SQL statements peewee sends inside the block."""
    logger = logging.getLogger("peewee")
    handler = QueryCounter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.queries
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
