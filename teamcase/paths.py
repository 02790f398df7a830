"""Where templates, static files, default config and migrations live.

In a source checkout they sit at the top level of the repository; after
`pip install .` they are packaged inside `teamcase/`. Look in the package
first so an installed app never reads a stray checkout.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"teamcase is incomplete: no {name}/ folder next to {PACKAGE}")


TEMPLATES = _find("templates")
STATIC = _find("static")
CONFIG = _find("config")
MIGRATIONS = PACKAGE / "migrations"
