"""`teamcase serve` as a team runs it: gunicorn with two worker processes in a real
subprocess on a free loopback port, driven over HTTP, with CSRF on.

On SQLite, and when TEST_DATABASE_URL is set also on PostgreSQL, in a scratch database
made beside that one and dropped afterwards (the unit tests' database is never touched).
"""

import html.parser
import http.client
import http.cookies
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BACKENDS, PASSWORD, Cast, make_app, release_connections

from teamcase import create_app
from teamcase.cli import cli
from teamcase.db import db, upgrade
from teamcase.models import Contact
from teamcase.server import gunicorn_options

BOOT_SECONDS = 90  # two workers importing the app, on a busy two-core machine


class ScratchPostgres:
    """A fresh database beside TEST_DATABASE_URL's, dropped at the end."""

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        self.name = f"{parts.path.lstrip('/') or 'teamcase'}_server_{os.getpid()}"[:63]
        self._admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self._run("CREATE DATABASE {}")

    def _run(self, statement: str):
        import psycopg
        from psycopg import sql

        with psycopg.connect(self._admin, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def drop(self):
        self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)")


class Browser:
    """Just enough of one: keeps cookies (Secure ones too: this is plain HTTP on
    loopback, where a proxy would speak HTTPS to the tablet) and follows nothing."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, text

    def close(self):
        self.connection.close()


class FormReader(html.parser.HTMLParser):
    """The fields a browser would send for the form whose action contains `action`:
    its inputs' values, checked boxes and buttons, and textareas."""

    def __init__(self, action: str):
        super().__init__()
        self.wanted = action
        self.action = None
        self.fields: dict[str, list[str]] = {}
        self._inside = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None and self.wanted in (a.get("action") or ""):
            self.action, self._inside = a["action"], True
        elif not self._inside:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            self.fields.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._inside = False


def read_form(page: str, action: str) -> tuple[str, dict]:
    reader = FormReader(action)
    reader.feed(page)
    assert reader.action, f"no form posting to {action} on the page"
    return reader.action, reader.fields


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...; comm may hold spaces, so split after its ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    """A migrated database with the cast in it, on each backend in turn."""
    scratch = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    else:
        scratch = ScratchPostgres(os.environ["TEST_DATABASE_URL"])
        url = scratch.url
    release_connections()
    app = make_app(url)
    with app.app_context(), db.connection_context():
        upgrade()
        cast = Cast()
    release_connections()
    try:
        yield url, cast
    finally:
        release_connections()
        if scratch is not None:
            scratch.drop()


@pytest.fixture
def served(database, tmp_path):
    """`teamcase serve` with two workers on the cast's database; stopped with SIGTERM."""
    url, cast = database
    port = free_port()
    log = tmp_path / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMCASE_")}
    env.update(
        TEAMCASE_DATABASE_URL=url,
        TEAMCASE_SECRET_KEY="server-test-secret-key-0123456789",
        TEAMCASE_WORKERS="2",
        TEAMCASE_THREADS="2",
    )
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", "from teamcase.cli import main; main()", "serve"]
            + ["--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while True:
            assert server.poll() is None, f"the server stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, (
                f"no /healthz after {BOOT_SECONDS} s:\n{log.read_text()}"
            )
            try:
                health = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                health.request("GET", "/healthz")
                if health.getresponse().status == 200:
                    health.close()
                    break
            except OSError:
                pass
            time.sleep(0.3)
        yield server, port, cast, log
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)


def test_it_serves_a_members_day_with_two_workers(served):
    server, port, cast, log = served
    while len(children(server.pid)) < 2:
        # /healthz answers as soon as one worker is up.
        assert server.poll() is None, log.read_text()
        time.sleep(0.2)
    assert len(children(server.pid)) == 2

    browser = Browser(port)
    response, page = browser.request("GET", "/login")
    assert response.status == 200
    _action, fields = read_form(page, "/login")
    fields.update(email=[cast.a1.email], password=[PASSWORD])
    response, _ = browser.request("POST", "/login", fields)
    assert response.status == 303, log.read_text()
    assert "/login" not in response.headers["Location"]

    response, page = browser.request("GET", "/caseload")
    assert response.status == 200
    assert "Mies Bakker" in page

    person = f"/people/{cast.person_a.id}"
    response, page = browser.request("GET", person)
    assert response.status == 200
    action, fields = read_form(page, f"{person}/contacts/new")
    assert fields["csrf_token"][0]
    fields.update(kind=["phone"], minutes=["15"], note=["Rang about the stockings."])
    response, _ = browser.request("POST", action, fields)
    assert response.status == 303, log.read_text()
    browser.close()

    with db.connection_context():
        recorded = Contact.get(Contact.note == "Rang about the stockings.")
    assert recorded.client_id == cast.person_a.id
    assert recorded.author_id == cast.a1.id
    assert (recorded.kind, recorded.minutes) == ("phone", 15)

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0
    assert "Shutting down" in log.read_text()


def test_it_runs_gthread_workers_only_with_several_threads():
    assert gunicorn_options("127.0.0.1", 8000, 2, 4)["worker_class"] == "gthread"
    single = gunicorn_options("::1", 8000, 3, 1)
    assert (single["worker_class"], single["workers"], single["bind"]) == (
        "sync",
        3,
        ["[::1]:8000"],
    )
    assert single["preload_app"] is False


def test_serve_takes_workers_and_threads_from_the_settings_and_forks_no_connection(
    database, monkeypatch
):
    url, _cast = database
    monkeypatch.setenv("TEAMCASE_DATABASE_URL", url)
    monkeypatch.setenv("TEAMCASE_SECRET_KEY", "server-test-secret-key-0123456789")
    monkeypatch.setenv("TEAMCASE_WORKERS", "3")
    monkeypatch.delenv("TEAMCASE_THREADS", raising=False)
    started = []

    def record(factory, host, port, workers, threads):
        # What the workers would inherit at the fork: no open connection at all.
        pool = getattr(db.obj, "_connections", [])
        started.append((factory, host, port, workers, threads, db.obj.is_closed(), len(pool)))

    monkeypatch.setattr("teamcase.server.serve_production", record)
    result = CliRunner().invoke(cli, ["serve", "--port", "8123"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert started == [(create_app, "127.0.0.1", 8123, 3, 4, True, 0)]

    result = CliRunner().invoke(cli, ["serve", "--workers", "1", "--threads", "8"])
    assert result.exit_code == 0, result.output
    assert started[-1][1:5] == ("127.0.0.1", 8000, 1, 8)
