"""The one build step pyproject.toml cannot say: compile the translation catalogues
(teamcase/translations/*/LC_MESSAGES/messages.po) into the .mo files Flask-Babel
reads, so that `pip install .` ships them. The .mo files are never committed."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = Path("teamcase") / "translations"


def compile_catalogues(root: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted(CATALOGUES.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        mo_path = root / po_path.with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        # An editable install reads the package from the checkout: compile there.
        compile_catalogues(Path(".") if self.editable_mode else Path(self.build_lib))


setup(cmdclass={"build_py": BuildWithCatalogues})
