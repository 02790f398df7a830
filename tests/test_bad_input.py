"""Garbage in every form field, query argument and URL id never gets a 5xx.

The forms and query arguments are found from the URL map: every page a member
and the team's office can open is fetched once, its forms and the query
arguments of its links are read, and each field or argument is then sent one
kind of garbage per request (the kinds taking turns), the rest of the form as
the page filled it. Numbers in URLs beyond the database's range are not found.
Every page's htmx blocks are rendered too (a non-boosted `HX-Request`).
"""

import html.parser
import itertools
import time
import urllib.parse

from filled import fill
from test_access_matrix import _routes, _url

from teamcase.db import db
from teamcase.models import Client

GARBAGE = (
    "a\x00b",
    str(2**63),
    "9" * 20,
    "²",
    " ",
    "",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "x" * 6000,
    "1e3",
    "\x1b[31m\x07",
)

# Query arguments the app reads, besides those its pages link to.
KNOWN_ARGS = (
    "older",
    "revisits",
    "meeting",
    "decision",
    "since",
    "week",
    "day",
    "q",
    "page",
    "sort",
    "kind",
    "goal",
    "between",
    "from",
    "inline",
    "next",
    "status",
)


class Forms(html.parser.HTMLParser):
    """The forms of a page (action, method, fields with their values) and the
    query argument names of its links."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.args = set()
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for link in ("href", "hx-get", "action"):
            if attrs.get(link) and "?" in attrs[link]:
                query = urllib.parse.urlsplit(attrs[link]).query
                self.args.update(urllib.parse.parse_qs(query, keep_blank_values=True))
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or attrs.get("hx-post") or "",
                "method": (attrs.get("method") or "get").upper(),
                "fields": {},
            }
            if attrs.get("hx-post"):
                self._form["method"] = "POST"
                self._form["action"] = attrs["hx-post"]
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if not name:
                return
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form["fields"].setdefault(name, None)
                return
            if tag == "select":
                self._select = name
            self._form["fields"][name] = attrs.get("value", "")
        elif tag == "option" and self._select and self._form is not None:
            fields = self._form["fields"]
            if not fields.get(self._select) or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _pages(app, cast, client):
    """(url, page text) of every GET route a member can open (no files, no PDFs)."""
    pages = []
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint in ("static", "auth.logout"):
            continue
        url = _url(app, rule, cast)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.append((rule, url, response.get_data(as_text=True)))
        response.close()
    return pages


def _fuzz(app, cast, client, failures, with_forms=True):
    pages = _pages(app, cast, client)
    posted = 0
    kinds = itertools.cycle(GARBAGE)
    sent = 0
    seen_forms = set()
    for _rule, url, text in pages:
        parser = Forms()
        parser.feed(text)
        # Query arguments: the page's own links and forms, and those the app reads,
        # all in one request, each its own kind of garbage; the kinds move on.
        names = sorted(parser.args | set(KNOWN_ARGS))
        for _ in range(2 if with_forms else 1):
            query = urllib.parse.urlencode({name: next(kinds) for name in names})
            response = client.get(f"{url}?{query}")
            sent += 1
            if response.status_code >= 500:
                failures.append(f"GET {url}?{query!r:.300}: {response.status_code}")
            response.close()
        if not with_forms:
            continue
        for form in parser.forms:
            action = form["action"] or url
            key = (
                urllib.parse.urlsplit(action).path,
                form["method"],
                tuple(sorted(form["fields"])),
            )
            if key in seen_forms or action.startswith(("http", "/logout")):
                continue
            seen_forms.add(key)
            base = {k: v for k, v in form["fields"].items() if v is not None}
            for name in form["fields"]:
                if name == "csrf_token":
                    continue
                garbage = next(kinds)
                data = {**base, name: garbage}
                if form["method"] == "GET":
                    response = client.get(action, query_string=data)
                else:
                    response = client.post(action, data=data)
                sent += 1
                posted += 1
                if response.status_code >= 500:
                    failures.append(f"{form['method']} {action} {name}={garbage!r:.40}: 500")
                response.close()
    # The walk must reach the forms: a broken parser would pass with nothing sent.
    assert posted > 100 or not with_forms, posted
    return sent


def test_garbage_in_every_field_and_argument_never_gets_a_server_error(app, cast, as_user):
    fill(cast)
    failures = []
    started = time.monotonic()
    sent = 0
    sent = _fuzz(app, cast, as_user(cast.a1), failures)
    for role in ("office", "coach_a"):
        sent += _fuzz(app, cast, as_user(cast.by_role(role)), failures, with_forms=False)
    took = time.monotonic() - started
    print(f"\nfuzzed {sent} requests in {took:.1f} s")
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


def test_every_page_renders_its_htmx_blocks(app, cast, as_user):
    fill(cast)
    client = as_user(cast.a1)
    failures = []
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint in ("static", "auth.logout"):
            continue
        url = _url(app, rule, cast)
        response = client.get(url, headers={"HX-Request": "true"})
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        response.close()
    assert not failures, "\n".join(failures)


def test_a_url_id_beyond_the_database_is_not_found(app, cast, as_user):
    client = as_user(cast.a1)
    for rule, method in _routes(app):
        ids = [a for a in rule.arguments if a.endswith("_id")]
        if method != "GET" or not ids:
            continue
        url = _url(app, rule, cast)
        for name in ids:
            real = str(_real_id(app, rule, cast, name))
            for bad in (str(2**63), "9" * 20, str(2**31), "0"):
                wrong = url.replace(f"/{real}", f"/{bad}", 1)
                response = client.get(wrong)
                assert response.status_code == 404, (wrong, response.status_code)
                response.close()


def _real_id(app, rule, cast, name):
    with app.test_request_context():
        parts = urllib.parse.urlsplit(_url(app, rule, cast)).path
    # The id is the value url_for put in for `name`: find it through the rule.
    matched = app.url_map.bind("localhost").match(parts, method="GET")[1]
    return matched[name]


def test_a_nul_in_a_field_is_refused_next_to_it_keeping_what_was_typed(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/people/new", data={"name": "Jan\x00Smit", "phone": "0612", "city": "Diemen"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "characters that cannot be typed" in page
    assert 'value="Diemen"' in page and "Jan\x00Smit" in page
    with db.connection_context():
        assert not Client.select().where(Client.name.startswith("Jan")).exists()


def test_a_search_reads_control_characters_as_spaces(app, cast, as_user):
    response = as_user(cast.a1).get("/caseload", query_string={"q": "Mies\x00"})
    assert response.status_code == 200
    assert "Mies" in response.get_data(as_text=True)


def test_a_goal_that_cannot_exist_is_not_found(app, cast, as_user):
    client = as_user(cast.a1)
    for goal in ("9" * 20, "²", str(2**63)):
        assert client.get("/connections/new", query_string={"goal": goal}).status_code == 404


def test_a_decisions_page_number_of_other_digits_is_the_first_page(app, cast, as_user):
    assert as_user(cast.a1).get("/decisions/?page=²").status_code == 200
