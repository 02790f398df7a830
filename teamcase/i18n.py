"""Which language a user reads, and the catalogues that give it (Flask-Babel).

English is the source language: every string is written in English in the code and
templates, wrapped in gettext (`_`), and `teamcase/translations/nl/LC_MESSAGES/
messages.po` gives its Dutch. The language of a request is, in this order: the
account's own choice, else the browser's Accept-Language between the languages
teamcase speaks, else the install's TEAMCASE_DEFAULT_LANGUAGE. Dates and times are
formatted in it by teamcase.dates, in the install's time zone.

`scripts/translations` extracts new strings and updates the catalogue; the .mo
files are compiled when the package is built or installed (setup.py).
"""

from pathlib import Path

from flask import current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user

from teamcase.settings import LANGUAGES

TRANSLATIONS = Path(__file__).parent / "translations"

# The names of the languages in themselves, for the switch.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

babel = Babel()


def N_(text: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown (`_(X)`)."""
    return text


def select_language() -> str:
    if has_request_context():
        if current_user and current_user.is_authenticated:
            chosen = getattr(current_user, "language", "")
            if chosen in LANGUAGES:
                return chosen
        asked = request.accept_languages.best_match(LANGUAGES)
        if asked:
            return asked
    return current_app.config["DEFAULT_LANGUAGE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def language() -> str:
    """The language of this request (or the install's default outside one)."""
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])


def and_list(items) -> str:
    """'Anna and Bram', 'Anna, Bram and Cas' ('Anna en Bram'): names in a sentence,
    joined as the language joins them."""
    from babel.lists import format_list

    return format_list([str(item) for item in items], locale=get_locale() or "en")


def _translations():
    """The catalogue of this request's language, found once per request and language.

    Flask-Babel finds it again for every string a template translates (hundreds on
    the person's page); the language it was found for is kept beside it, so a
    `force_locale` block or a refresh gets its own."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    found = getattr(state, "teamcase_translations", None)
    if found is None or found[0] is not locale:
        found = state.teamcase_translations = (locale, get_translations())
    return found[1]


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LANGUAGE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_language, timezone_selector=select_timezone)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["language"] = language
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.filters["and_list"] = and_list


def compile_catalogues() -> None:
    """Compile each messages.po into the messages.mo beside it, for a checkout
    whose catalogues changed since it was installed (the test suite does this)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalogue)
