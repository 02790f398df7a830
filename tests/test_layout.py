"""The code's layout keeps its promise: a screen's code is found from its URL alone.

Each area package lists the URLs it serves in its docstring, under "Serves:"; a
path ending in "/..." stands for everything under it. Every rule of every
blueprint an area registers must be one of them.
"""

import importlib
import re

import pytest

from teamcase import create_app

AREAS = [
    "auth",
    "clients",
    "network",
    "reports",
    "teamwork",
    "meetings",
    "support",
    "measures",
    "coach",
    "office",
    "health",
    "offline",
]


def documented_paths(module) -> list[str]:
    doc = module.__doc__ or ""
    assert "\nServes:\n" in doc, f"{module.__name__} does not say which URLs it serves"
    listed = doc.split("\nServes:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in listed.splitlines() if line.strip().startswith("/")]


def _shape(path: str) -> str:
    """The path with every URL variable written the same way."""
    return re.sub(r"<[^>]*>", "<>", path)


def covers(documented: str, rule: str) -> bool:
    documented, rule = _shape(documented), _shape(rule)
    if documented.endswith("/..."):
        return rule.startswith(documented[: -len("...")]) or rule == documented[: -len("/...")]
    return rule == documented


@pytest.fixture(scope="module")
def url_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / "layout.sqlite3"
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"})


@pytest.mark.parametrize("area", AREAS)
def test_it_serves_only_the_urls_its_package_documents(area, url_app):
    module = importlib.import_module(f"teamcase.{area}")
    paths = documented_paths(module)
    assert paths, f"teamcase.{area} lists no URLs"
    names = {blueprint.name for blueprint in module.blueprints()}
    rules = [r for r in url_app.url_map.iter_rules() if r.endpoint.split(".")[0] in names]
    assert rules, f"teamcase.{area} registers no routes"
    strays = [r.rule for r in rules if not any(covers(p, r.rule) for p in paths)]
    assert not strays, f"teamcase.{area} serves URLs its docstring does not list: {strays}"


def test_every_route_belongs_to_an_area(url_app):
    names = set()
    for area in AREAS:
        names |= {b.name for b in importlib.import_module(f"teamcase.{area}").blueprints()}
    orphans = [
        r.rule
        for r in url_app.url_map.iter_rules()
        if r.endpoint != "static" and r.endpoint.split(".")[0] not in names
    ]
    assert not orphans


def test_the_prefix_check_can_fail():
    assert covers("/plan/...", "/plan/visits/<int:visit_id>/done")
    assert covers("/plan/...", "/plan")
    assert not covers("/plan/...", "/planning")
    assert covers("/people/<id>", "/people/<int:client_id>")
    assert not covers("/people/<id>", "/people/<int:client_id>/edit")
