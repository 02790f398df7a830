"""Fixtures: an app per database backend, a clean database per test and a fixed cast.

The suite always runs on SQLite. When TEST_DATABASE_URL is set it also runs on
that PostgreSQL database (which it empties first); an unreachable server fails
the run instead of skipping it.
"""

import contextlib
import datetime as dt
import functools
import logging
import os

import pytest

from teamcase import create_app
from teamcase.db import db, upgrade
from teamcase.models import (
    MODELS,
    Client,
    CoachLink,
    Connection,
    Consent,
    Contact,
    Goal,
    LocalResource,
    NetworkMember,
    Offer,
    Step,
    Strength,
    Team,
    User,
    utcnow,
)
from teamcase.passwords import hasher

PASSWORD = "correct horse battery"
# Hashing is deliberately slow; the cast shares one hash made once per run.
PASSWORD_HASH = hasher.hash(PASSWORD)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _reset_postgres(database):
    with database.connection_context():
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")


@pytest.fixture(scope="session", params=BACKENDS)
def backend_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    return os.environ["TEST_DATABASE_URL"]


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
        **overrides,
    }
    return create_app(config)


@pytest.fixture(scope="session")
def migrated(backend_url):
    release_connections()
    app = make_app(backend_url)
    with app.app_context():
        if backend_url.startswith("postgresql"):
            _reset_postgres(db.obj)
        with db.connection_context():
            upgrade()
    release_connections()
    return backend_url


@pytest.fixture
def app(migrated):
    app = make_app(migrated)
    # No app context stays pushed: each request must get its own, or `g` (and
    # with it the logged-in user) would leak from one request to the next.
    with db.connection_context():
        for model in reversed(MODELS):
            model.delete().execute()
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
            self.team_a = Team.create(name="Team A", area="Oost")
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

    @staticmethod
    def _user(email, name, role, team=None):
        return User.create(
            email=email, name=name, role=role, team=team, password_hash=PASSWORD_HASH
        )

    def by_role(self, role):
        return None if role == "anonymous" else getattr(self, role)

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


@pytest.fixture
def cast(app):
    return Cast()


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
