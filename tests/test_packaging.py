"""`pip install .` must give a complete app: templates, static files, config, migrations."""

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("teamcase-*.whl"))


def test_the_wheel_carries_templates_static_config_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "teamcase/templates/base.html",
        "teamcase/templates/errors/error.html",
        "teamcase/clients/templates/caseload/index.html",
        "teamcase/network/templates/network/ecomap.svg",
        "teamcase/network/dejavu-widths.json",
        "teamcase/meetings/templates/meetings/pack.html",
        "teamcase/static/css/teamcase.css",
        "teamcase/static/js/htmx-2.0.11.min.js",
        "teamcase/config/default.toml",
        "teamcase/migrations/0001_initial.py",
        "teamcase/demo/data/en/people.toml",
        # Compiled from messages.po while the wheel is built.
        "teamcase/translations/nl/LC_MESSAGES/messages.mo",
    ):
        assert expected in names


def test_the_wheel_carries_every_package_and_every_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    source = ROOT / "teamcase"
    for init in source.rglob("__init__.py"):
        assert f"teamcase/{init.relative_to(source)}" in names
    for template in source.rglob("templates/**/*.*"):
        assert f"teamcase/{template.relative_to(source)}" in names


def test_the_installed_app_renders_pages_without_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = textwrap.dedent(
        f"""
        import teamcase, teamcase.paths
        assert str(teamcase.paths.TEMPLATES).startswith({str(site)!r}), teamcase.paths.TEMPLATES
        from teamcase.db import db, upgrade
        app = teamcase.create_app({{"TESTING": True,
            "DATABASE_URL": "sqlite:///{tmp_path}/t.sqlite3"}})
        with app.app_context(), db.connection_context():
            upgrade()
        client = app.test_client()
        page = client.get("/login", headers={{"Accept-Language": "en"}})
        assert page.status_code == 200 and b"Log in" in page.data, page.status_code
        # The compiled Dutch catalogue travelled with the package.
        page = client.get("/login", headers={{"Accept-Language": "nl"}})
        assert "Inloggen bij teamcase" in page.text, page.text
        css = client.get("/static/css/teamcase.css")
        assert css.status_code == 200
        css.close()
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "ok", result.stderr
