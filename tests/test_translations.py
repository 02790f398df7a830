"""teamcase in Dutch and English: the catalogue is complete, the language follows
the account, then the browser, then the install, and translated pages hold no
English."""

import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from teamcase.i18n import TRANSLATIONS
from teamcase.models import User

ROOT = Path(__file__).parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _catalogue(language="nl"):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_every_message_has_its_dutch_without_fuzzy_and_with_the_same_placeholders():
    catalogue = _catalogue()
    assert not catalogue.fuzzy
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"no Dutch: {ids[0]!r}")
            continue
        # Dutch singular and plural both take the English plural's placeholders
        # (a singular may leave out the number: "the field" / "the 3 fields").
        expected = set(_placeholders(ids[-1]))
        for string in strings:
            if not set(_placeholders(string)) <= expected | set(_placeholders(ids[0])):
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
        if _placeholders(strings[-1]) != _placeholders(ids[-1]):
            problems.append(f"placeholders differ: {ids[-1]!r} -> {strings[-1]!r}")
    assert not problems, "\n".join(problems)


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """A new string wrapped in _() or _l() lands with its Dutch: run
    scripts/translations and translate what it adds."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        extracted = {message.id for message in read_po(fh) if message.id}
    known = {message.id for message in _catalogue() if message.id}
    missing = sorted(str(m) for m in extracted - known)
    assert not missing, "run scripts/translations and translate:\n" + "\n".join(missing)


def test_the_login_page_follows_the_browser(app):
    client = app.test_client()
    dutch = client.get("/login", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    assert '<html lang="nl">' in dutch.text
    assert "Inloggen bij teamcase" in dutch.text
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.text
    assert "Log in to teamcase" in english.text


def test_a_browser_asking_for_neither_gets_the_install_default(app):
    client = app.test_client()
    try:
        app.config["DEFAULT_LANGUAGE"] = "nl"
        page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
        assert '<html lang="nl">' in page.text
        app.config["DEFAULT_LANGUAGE"] = "en"
        page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
        assert '<html lang="en">' in page.text
    finally:
        app.config["DEFAULT_LANGUAGE"] = "en"


def test_the_accounts_choice_wins_over_the_browser(cast, as_user):
    client = as_user(cast.a1)
    page = client.post(
        "/account/language",
        data={"language": "nl", "next": "/account/password"},
        headers={"Accept-Language": "en"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert User.get_by_id(cast.a1.id).language == "nl"
    assert "Vanaf nu spreekt teamcase Nederlands met je." in page.text
    again = client.get("/account/password", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in again.text
    assert "Je wachtwoord wijzigen" in again.text
    client.post("/account/language", data={"language": "en"}, headers={"Accept-Language": "nl"})
    assert User.get_by_id(cast.a1.id).language == "en"


def test_a_language_it_does_not_speak_is_refused_and_nothing_changes(cast, as_user):
    client = as_user(cast.a1)
    page = client.post("/account/language", data={"language": "fr"})
    assert page.status_code == 400
    assert User.get_by_id(cast.a1.id).language == ""


DUTCH = {"Accept-Language": "nl"}


def test_dates_and_durations_speak_dutch(app):
    from teamcase import dates

    with app.test_request_context("/", headers=DUTCH):
        this_year = dates.local_now().year
        import datetime as dt

        assert dates.day_text(dt.date(2026, 12, 1)).startswith("dinsdag 1 december")
        assert dates.day_text(dt.date(this_year + 1, 4, 14)).endswith(f"14 april {this_year + 1}")
        assert dates.duration_text(105) == "1 u 45 min"
        assert dates.duration_text(45) == "45 min"
        assert dates.days_text(3) == "3 dagen"
        assert dates.ago_text(21) == "3 weken geleden"
        assert dates.ago_text(1) == "gisteren"
        assert dates.week_text(dt.date(2026, 11, 30)) == "30 november – 6 december 2026"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert dates.ago_text(21) == "3 weeks ago"
        assert dates.duration_text(105) == "1 h 45 min"


def test_a_pdf_carries_the_language_for_hyphenation(cast, as_user, monkeypatch):
    from teamcase import pdf

    rendered = []
    original = pdf.render_template

    def keep(template, **context):
        rendered.append(original(template, **context))
        return rendered[-1]

    monkeypatch.setattr(pdf, "render_template", keep)
    cast.a1.choose_language("nl")
    client = as_user(cast.a1)
    response = client.get(f"/people/{cast.person_a.id}/profile.pdf")
    assert response.status_code == 200
    assert rendered and '<html lang="nl">' in rendered[0]


# The screens that speak Dutch so far, and what may stay as it is on them: the
# product's name, people's and teams' names, and words Dutch shares with English.
TRANSLATED_PAGES = ["/login", "/account/password", "/caseload", "/plan/day"]
ENGLISH_WORDS = re.compile(
    r"\b(the|and|you|your|with|for|visits?|person|people|caseload|today|"
    r"log in|log out|password|find|sort by|known best|record|referrals?|"
    r"meetings?|decisions|team board|our team)\b",
    re.IGNORECASE,
)


@functools.cache
def _translated_sentences() -> tuple[tuple[str, frozenset[str]], ...]:
    """The catalogue's English sentences that have a Dutch one of their own
    (placeholders and single words left out), each with its inner words: those
    between its first and last, which stand whole in any text that holds it."""
    sentences = []
    for message in _catalogue():
        source = message.id if isinstance(message.id, str) else message.id[0]
        if source and " " in source and "%" not in source and source != message.string:
            sentences.append((source, frozenset(WORD.findall(source)[1:-1])))
    return tuple(sentences)


WORD = re.compile(r"\w+")


def english_sentences(text: str) -> list[str]:
    """The English sentences of the catalogue that `text` still holds (sentences
    with a Dutch translation of their own; placeholders and single words left out).
    A sentence whose inner words the text lacks cannot be in it: only the others
    are looked for."""
    words = set(WORD.findall(text))
    return [
        source for source, inner in _translated_sentences() if inner <= words and source in text
    ]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # A work cited by its published title, marked as English (the Omaha System's book).
    html = re.sub(r'<cite lang="en">.*?</cite>', " ", html, flags=re.S)
    # What a person reads or hears: text, and the labels and hints in attributes.
    said = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join([text, *said])


@pytest.mark.parametrize("path", TRANSLATED_PAGES)
def test_the_dutch_pages_have_no_english_left(cast, as_user, path):
    cast.a1.choose_language("nl")
    client = as_user(None if path == "/login" else cast.a1)
    page = client.get(path, headers=DUTCH)
    assert page.status_code == 200
    text = _visible_text(page.text)
    for name in (cast.a1.name, cast.team_a.name, cast.person_a.name, "teamcase"):
        text = text.replace(name, " ")
    english = {match.group(0) for match in ENGLISH_WORDS.finditer(text)}
    assert not english, f"English left on {path}: {sorted(english)}"
    # Every English sentence the catalogue knows is said in Dutch instead.
    assert not english_sentences(text), f"not translated on {path}: {english_sentences(text)}"


def test_the_person_s_page_header_and_details_speak_dutch(cast, as_user):
    cast.a1.choose_language("nl")
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}", headers=DUTCH)
    assert page.status_code == 200
    for dutch in ("Gegevens wijzigen", "Profiel afdrukken", "Onderdelen van deze pagina"):
        assert dutch in page.text
    for english in ("Edit details", "Print profile", "Sections of this page", "Known best by"):
        assert english not in page.text


def test_wtforms_own_messages_come_from_its_dutch_catalogue(app):
    from flask_wtf import FlaskForm
    from wtforms import IntegerField

    class Number(FlaskForm):
        class Meta:
            csrf = False

        count = IntegerField("Count")

    with app.test_request_context("/", method="POST", data={"count": "drie"}, headers=DUTCH):
        form = Number()
        assert not form.validate()
        assert form.count.errors == ["Ongeldig getal."]
    with app.test_request_context("/", method="POST", data={"count": "three"}):
        form = Number()
        assert not form.validate()
        assert form.count.errors == ["Not a valid integer value."]
