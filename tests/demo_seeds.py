"""The demo as seeded once for the run, in each language, for the tests that read it
(tests/test_demo.py, and tests/test_cli.py for what `teamcase seed-demo` said)."""

import contextlib
import datetime as dt
import functools
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import make_app, once_per_run, release_connections

import teamcase.demo
import teamcase.demo.loader
import teamcase.demo.scale
from teamcase.cli import cli
from teamcase.db import db, upgrade
from teamcase.demo import seed_demo, seed_scale
from teamcase.demo.data import DemoData
from teamcase.models import MODELS

# A Wednesday morning in Amsterdam: seeded as of this moment, the demo is always the same.
SEEDED_AT = dt.datetime(2026, 11, 18, 9, 30)


class Recorded(DemoData):
    """The demo's data, kept so a test can ask which keys were never read."""

    loaded: list = []

    def __init__(self, lang="en"):
        super().__init__(lang)
        self.loaded.append(self)


def demo_seed(tmp_path_factory, lang):
    """One SQLite file with the demo in `lang` seeded at SEEDED_AT and a scale team,
    and every DemoData the seeding loaded: seeded once for the run, and copied into
    a file of this worker's own (its tests log in, which writes)."""
    seeded = once_per_run(tmp_path_factory, f"demo-{lang}", lambda: _seeded(tmp_path_factory, lang))
    own = tmp_path_factory.mktemp("demo-copy-" + lang) / "demo.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(seeded["path"])) as source,
        contextlib.closing(sqlite3.connect(own)) as target,
    ):
        source.backup(target)
    return {**seeded, "url": f"sqlite:///{own}"}


def _seeded(tmp_path_factory, lang):
    path = tmp_path_factory.mktemp("demo-" + lang) / "demo.sqlite3"
    url = f"sqlite:///{path}"
    release_connections()
    app = make_app(url)
    with pytest.MonkeyPatch.context() as patch:
        Recorded.loaded = []
        patch.setattr(teamcase.demo.loader, "DemoData", Recorded)
        patch.setattr(teamcase.demo.scale, "DemoData", Recorded)
        with app.app_context(), db.connection_context():
            upgrade()
            counts_before = {m._meta.table_name: m.select().count() for m in MODELS}
        output = ""
        if lang == "nl":
            # Through the command a newcomer runs, in the install's default language
            # (Dutch unless set): tests/test_cli.py reads what it said.
            patch.setenv("TEAMCASE_DATABASE_URL", url)
            patch.delenv("TEAMCASE_DEFAULT_LANGUAGE", raising=False)
            patch.delenv("TEAMCASE_SECRET_KEY", raising=False)
            patch.setattr(teamcase.demo, "seed_demo", functools.partial(seed_demo, now=SEEDED_AT))
            result = CliRunner().invoke(cli, ["seed-demo"], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            output = result.output
            release_connections()
            app = make_app(url)
        else:
            with app.app_context(), db.connection_context():
                seed_demo(now=SEEDED_AT, lang=lang)
        with app.app_context(), db.connection_context():
            counts = {m._meta.table_name: m.select().count() for m in MODELS}
            seed_scale(1, 4, 3, lang=lang)
    release_connections()
    return {
        "path": str(path),
        "lang": lang,
        "empty": counts_before,
        "counts": counts,
        "data": Recorded.loaded,
        "output": output,
    }
