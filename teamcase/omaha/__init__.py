"""The Omaha System as data, for the teams that choose to use it
(`Team.uses_omaha`): its 42 problems in 4 domains and the Problem Rating Scale
for Outcomes (Knowledge, Behaviour, Status, each 1–5), read from problems.toml.

The Omaha System is in the public domain: Martin KS (2005), The Omaha System: A Key
to Practice, Documentation, and Information Management. The database keeps the
codes ("01"–"42", "knowledge"…); names are shown in the reader's language, both of
which the file holds, so nothing here goes through the message catalogue.
"""

import functools
import tomllib
from importlib import resources
from typing import NamedTuple

from flask import has_app_context

from teamcase import i18n

# The book the System is cited from, as published (in English in every language).
SOURCE = (
    "Martin KS (2005), The Omaha System: A Key to Practice, Documentation, and "
    "Information Management."
)
LANGUAGES = ("en", "nl")


def language() -> str:
    """The reader's language; English outside a request (the command line)."""
    return i18n.language() if has_app_context() else "en"


class Named(NamedTuple):
    code: str
    names: dict[str, str]  # language: name

    @property
    def name(self) -> str:
        """In the reader's language."""
        return self.names.get(language(), self.names["en"])


class Problem(NamedTuple):
    code: str
    domain: str
    names: dict[str, str]

    @property
    def name(self) -> str:
        return self.names.get(language(), self.names["en"])


class Concept(NamedTuple):
    """Knowledge, Behaviour or Status, with what it means and its five anchors."""

    code: str
    names: dict[str, str]
    means: dict[str, str]
    anchors: dict[str, list[str]]  # language: the words for 1…5

    @property
    def name(self) -> str:
        return self.names.get(language(), self.names["en"])

    @property
    def meaning(self) -> str:
        return self.means.get(language(), self.means["en"])

    def anchor(self, rating: int) -> str:
        """The words for `rating` (1–5) in the reader's language."""
        return self.anchors.get(language(), self.anchors["en"])[rating - 1]


class System(NamedTuple):
    domains: dict[str, Named]  # in the System's order
    problems: dict[str, Problem]  # by code, "01"…"42"
    concepts: dict[str, Concept]  # knowledge, behaviour, status

    def by_domain(self) -> list[tuple[Named, list[Problem]]]:
        return [
            (domain, [p for p in self.problems.values() if p.domain == code])
            for code, domain in self.domains.items()
        ]

    def problem_name(self, code: str) -> str:
        """The name of the problem `code`; a code the file no longer holds as itself."""
        found = self.problems.get(code)
        return found.name if found else code


def _parse(data: dict) -> System:
    domains = {d["code"]: Named(d["code"], {k: d[k] for k in LANGUAGES}) for d in data["domains"]}
    problems = {}
    for p in data["problems"]:
        if p["code"] in problems or p["domain"] not in domains:
            raise ValueError(f"problems.toml: problem {p['code']} is twice or in no domain")
        problems[p["code"]] = Problem(p["code"], p["domain"], {k: p[k] for k in LANGUAGES})
    concepts = {
        c["code"]: Concept(
            c["code"],
            {k: c[k] for k in LANGUAGES},
            {k: c[f"{k}_means"] for k in LANGUAGES},
            {k: list(c[f"{k}_anchors"]) for k in LANGUAGES},
        )
        for c in data["concepts"]
    }
    return System(domains, problems, concepts)


@functools.cache
def system() -> System:
    """The System, read once per process."""
    text = resources.files(__name__).joinpath("problems.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text))


# The rating scale's range, and the order the concepts are asked and shown in.
RATINGS = range(1, 6)
CONCEPTS = ("knowledge", "behaviour", "status")
