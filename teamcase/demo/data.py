"""The demo's data files: every text a demo shows, in one language.

`data/<lang>/*.toml` hold the names, notes, goals, resources, decisions… that the
generators draw from; the code holds only how they are drawn. A new language is a
new folder with the same files and keys, and needs no code.
"""

import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def languages() -> list[str]:
    """The languages there is demo data for: one folder each."""
    return sorted(p.name for p in DATA.iterdir() if p.is_dir())


class Section(dict):
    """A file's top-level table that remembers which of its keys were read, so a test
    can tell a data file or key the generators never use (a defect: it shows nothing)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def items(self):
        self.read.update(self.keys())
        return super().items()

    def values(self):
        self.read.update(self.keys())
        return super().values()


class DemoData:
    """The files of one language, parsed afresh: generators may keep what they take
    from it, and two loads in one process never share state."""

    def __init__(self, lang: str = "en"):
        folder = DATA / lang
        if not folder.is_dir():
            known = ", ".join(languages())
            raise ValueError(f"No demo data for language {lang!r} (there is: {known}).")
        self.lang = lang
        self.files: dict[str, Section] = {}
        for path in sorted(folder.glob("*.toml")):
            with path.open("rb") as fh:
                self.files[path.stem] = Section(tomllib.load(fh))

    def __getattr__(self, name: str) -> Section:
        try:
            return self.__dict__["files"][name]
        except KeyError:
            raise AttributeError(f"no demo data file {name}.toml") from None

    def unread(self) -> dict[str, set[str]]:
        """Top-level keys no generator has read yet, by file."""
        return {
            name: set(section) - section.read
            for name, section in self.files.items()
            if set(section) - section.read
        }
