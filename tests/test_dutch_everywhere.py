"""Every page and every form sent back with errors, in Dutch, has no English left.

Walks the URL map as the bad-input test does: every GET page a member, her
coach and the back office can open, with the full test cast loaded, then each
form on a member's pages sent back empty. What people wrote (names, notes, the
cast's English records) is taken out first: it is the team's own text, not the
app's. What is left must hold none of the English words below, and no English
sentence the catalogue has a Dutch one for.
"""

import peewee
import pytest
from test_access_matrix import _routes, _url
from test_bad_input import Forms
from test_translations import ENGLISH_WORDS, _visible_text, english_sentences

from teamcase.db import db
from teamcase.models import MODELS

DUTCH = {"Accept-Language": "nl"}

# Words a Dutch page may show as they are: the product, and words Dutch uses too.
KEPT = ("teamcase", "PDF", "CSV", "e-mail", "Buurtzorg")


def _written_by_people() -> list[str]:
    """Every text value in the database, longest first: what the cast wrote."""
    texts = set()
    with db.connection_context():
        for model in MODELS:
            fields = [
                f
                for f in model._meta.sorted_fields
                if isinstance(f, peewee.CharField | peewee.TextField)
            ]
            if not fields:
                continue
            for row in model.select(*fields).tuples():
                texts.update(value for value in row if isinstance(value, str) and value.strip())
    return sorted(texts, key=len, reverse=True)


def _english_left(html: str, written: list[str]) -> set[str]:
    text = _visible_text(html)
    for value in written:
        text = text.replace(value, " ")
    for word in KEPT:
        text = text.replace(word, " ")
    found = {match.group(0) for match in ENGLISH_WORDS.finditer(text)}
    return found | set(english_sentences(text))


def _walk(app, cast, client):
    """{url: English found} over every GET page the client can open."""
    written = _written_by_people()
    left = {}
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint in ("static", "auth.logout"):
            continue
        url = _url(app, rule, cast)
        response = client.get(url, headers=DUTCH)
        if response.status_code == 200 and response.mimetype == "text/html":
            english = _english_left(response.get_data(as_text=True), written)
            if english:
                left[url] = sorted(english)
        response.close()
    return left


def _made(cast):
    """The records the cast makes on first use, so every page has something to show."""
    for name in (
        "connection",
        "visit_a",
        "task_a",
        "role_a",
        "invitation_a",
        "decision_a",
        "support_a",
        "thread_a",
    ):
        getattr(cast, name)
    return cast.item_a


def _report(left) -> str:
    return "English left:\n" + "\n".join(f"{url}: {words}" for url, words in left.items())


@pytest.mark.parametrize("who", ["a1", "coach_a", "office"])
def test_every_page_speaks_dutch(app, cast, as_user, who):
    _made(cast)
    user = getattr(cast, who)
    user.choose_language("nl")
    left = _walk(app, cast, as_user(user))
    assert not left, _report(left)


def test_every_form_sent_back_with_errors_speaks_dutch(app, cast, as_user):
    """Each form of a member's pages, sent with its text fields empty: the page
    that comes back with messages next to the fields is Dutch."""
    _made(cast)
    cast.a1.choose_language("nl")
    client = as_user(cast.a1)
    written = _written_by_people()
    forms = {}
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint in ("static", "auth.logout"):
            continue
        response = client.get(_url(app, rule, cast), headers=DUTCH)
        if response.status_code == 200 and response.mimetype == "text/html":
            parser = Forms()
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                if form["method"] == "POST" and form["action"]:
                    forms.setdefault(form["action"], form["fields"])
        response.close()
    left = {}
    for action, fields in forms.items():
        if "logout" in action or "delete" in action or "remove" in action:
            continue
        emptied = {name: "" for name in fields if name not in ("csrf_token", "version")}
        emptied.update({k: v for k, v in fields.items() if k == "version" and v})
        response = client.post(action, data=emptied, headers=DUTCH)
        if response.status_code == 400 and response.mimetype == "text/html":
            english = _english_left(response.get_data(as_text=True), written)
            if english:
                left[action] = sorted(english)
        response.close()
    assert forms, "no forms found"
    assert not left, _report(left)
