"""Browser fixtures: a live teamcase on its own SQLite file, Debian's Chromium, and
`check_page`, which scans a page with axe-core and keeps a screenshot of it.

These tests need none of the unit-test fixtures: they run with CSRF on, against
a real server in a thread, on SQLite. A test that asks for `backend_site` runs
once per backend: on SQLite, and when TEST_DATABASE_URL is set also on a
PostgreSQL database of its own, a copy of the suite's migrated template named
after TEST_DATABASE_URL's database and dropped afterwards (the unit tests'
databases are never touched). Each xdist worker has its own sites, on ports the
system picks, and its own databases. One browser serves the session.

Each journey walks once, at its main size (the first of `sizes`: a portrait
tablet unless the module says otherwise); the light pass then loads the pages it
checked at the other sizes and scans them the same way (see `check_page`). A
journey that runs on both backends scans and screenshots on SQLite only: what the
browser draws does not depend on the database (see `_looks_at_layout`).
"""

import collections
import dataclasses
import datetime as dt
import os
import re
import threading
import urllib.parse
import weakref
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import CHEAP_ARGON2, POSTGRES, WORKER
from playwright.sync_api import expect
from werkzeug.serving import make_server

from teamcase import create_app
from teamcase.auth.passwords import Passwords
from teamcase.dates import local_today
from teamcase.db import db, upgrade
from teamcase.models import Client, CoachLink, Contact, PlannedVisit, Team, User, utcnow

CHROMIUM = Path("/usr/bin/chromium")
# What NOTES.md found to work for Debian's Chromium in a container.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TAP = 44  # px: the design's smallest touch target

# Controls the design promises a finger can hit (STYLE.md: touch targets >= 44 px).
TOUCH_TARGETS = ", ".join(
    [
        "button",
        ".button",
        ".brand",
        ".mainnav a",
        ".account a",
        ".crumb a",
        ".sortby a",
        ".person-name",
        # Links in a line of text that a nurse taps on the move.
        ".network-list a",
        ".offers-needs .parts a",
        "#connections .parts a",
        ".decision-title a",
        ".decision-row a",
        ".choice",
        "summary",
        "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        "textarea",
        "select",
    ]
)

PASSWORD = "a walk along the Amstel"
# Made once with the test suite's cheap parameters: every login verifies it.
PASSWORD_HASH = Passwords.from_settings(CHEAP_ARGON2).hash(PASSWORD)
EMAILS = {
    "anna": "anna@oost.example.org",
    "bram": "bram@oost.example.org",
    "sanne": "sanne@zuid.example.org",
    "coach": "dina@coach.example.org",
    "office": "fred@office.example.org",
}
# Where each lands after logging in (a member with visits today: /plan/day).
HOMES = {
    "anna": "/caseload",
    "bram": "/caseload",
    "sanne": "/caseload",
    "coach": "/coach/",
    "office": "/office/",
}
# The main size first: a journey walks at it, the light pass covers the others.
VIEWPORTS = {
    "portrait": {"width": 768, "height": 1024},
    "landscape": {"width": 1280, "height": 800},
}


@dataclasses.dataclass
class Site:
    """The running app and the ids of the people in it."""

    url: str
    people: dict[str, int]  # name: id
    contacts: dict[str, list[int]]  # person's name: ids of their contacts, oldest first
    database: object

    def person_path(self, name: str) -> str:
        return f"/people/{self.people[name]}"


def _seed() -> tuple[dict[str, int], dict[str, list[int]]]:
    """Team Oost: two members and eight people; team Zuid: one member, one person;
    a coach linked to Oost; a back-office user."""
    password_hash = PASSWORD_HASH
    now = utcnow()

    def user(key, name, role, team=None):
        return User.create(
            email=EMAILS[key], name=name, role=role, team=team, password_hash=password_hash
        )

    oost = Team.create(name="Buurtzorg Oost", area="Oost")
    zuid = Team.create(name="Buurtzorg Zuid", area="Zuid")
    anna = user("anna", "Anna de Vries", User.MEMBER, oost)
    bram = user("bram", "Bram Bos", User.MEMBER, oost)
    sanne = user("sanne", "Sanne Jansen", User.MEMBER, zuid)
    coach = user("coach", "Dina Verbeek", User.COACH)
    user("office", "Fred Smit", User.BACKOFFICE)
    CoachLink.create(coach=coach, team=oost)

    people = [
        # name, details, known best by, contacts: (days ago, kind, minutes, note, author)
        (
            "Mies Bakker",
            dict(
                phone="06-12345678",
                street="Dapperstraat 12",
                postcode="1093 BS",
                city="Amsterdam",
                date_of_birth=dt.date(1941, 5, 17),
            ),
            [anna],
            [
                (9, "home_visit", 45, "Wound on the left leg is healing well.", bram),
                (2, "phone", 15, "Her daughter called: Mies slept badly.", anna),
            ],
        ),
        (
            "Gerrit de Jong",
            dict(phone="020-6651234", street="Javastraat 88", date_of_birth=dt.date(1936, 1, 3)),
            [bram],
            [(20, "home_visit", 30, "Insulin, checked his feet.", bram)],
        ),
        (
            "Fatima El Amrani",
            dict(
                phone="06-98765432",
                street="Eerste van Swindenstraat 4",
                date_of_birth=dt.date(1950, 11, 30),
            ),
            [anna, bram],
            [(1, "video", 20, "Went through the new medication list with her son.", anna)],
        ),
        (
            "Wilhelmina van Oosterhout-Bergkamp",
            dict(
                preferred_name="Willy",
                street="Linnaeusstraat 101",
                postcode="1093 EK",
                city="Amsterdam",
                date_of_birth=dt.date(1929, 8, 2),
            ),
            [anna],
            [(4, "home_visit", 60, "Showered together; she wants to try alone next week.", anna)],
        ),
        ("Zoë Dijkstra", dict(email="zoe.dijkstra@example.nl"), [], []),
        ("Henk Smit", dict(phone="06-11122233"), [bram], []),
        (
            "Ahmet Yılmaz",
            dict(phone="06-44455566", street="Wibautstraat 150", date_of_birth=dt.date(1948, 3, 9)),
            [bram],
            [(35, "consult", 15, "Talked to his GP about the swelling.", bram)],
        ),
        (
            "Geertruida Meijer",
            dict(
                phone="020-6923344", street="Oosterparkstraat 7", date_of_birth=dt.date(1945, 7, 21)
            ),
            [anna, bram],
            [(6, "message", 5, "Sent the times for next week.", anna)],
        ),
    ]
    ids, contact_ids = {}, {}
    for name, details, known_best, contacts in people:
        person = Client.open(oost, by=anna, known_best=known_best, name=name, **details)
        contact_ids[name] = []
        for days, kind, minutes, note, author in contacts:
            happened_at = now - dt.timedelta(days=days, hours=3)
            contact = Contact.record(
                person,
                by=author,
                happened_at=happened_at,
                minutes=minutes,
                kind=kind,
                note=note,
                # Written down the same day, so it is past the correction window.
                created_at=happened_at + dt.timedelta(hours=1),
            )
            contact_ids[name].append(contact.id)
        ids[name] = person.id
    kees = Client.open(zuid, by=sanne, known_best=[sanne], name="Kees van Dam", phone="020-555123")
    ids[kees.name] = kees.id
    return ids, contact_ids


# The backends a `backend_site` test runs on.
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


class LiveSites:
    """One live teamcase per backend, started when a test first needs it."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._sites: dict[str, Site] = {}
        self._servers = []
        self._scratch = None  # this worker's PostgreSQL database, if any

    def __getitem__(self, backend: str) -> Site:
        if backend not in self._sites:
            self._sites[backend] = self._start(backend)
        return self._sites[backend]

    def _url(self, backend: str) -> str:
        if backend == "sqlite":
            # tmp_path_factory has a folder of its own per xdist worker.
            return f"sqlite:///{self._tmp.mktemp('browser-db') / 'teamcase.sqlite3'}"
        self._scratch = POSTGRES.name(f"browser_{WORKER}")
        return POSTGRES.copy_of_template(self._scratch)

    def _start(self, backend: str) -> Site:
        live = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "browser-tests-secret-key-0123456789",
                "DATABASE_URL": self._url(backend),
                # The browsers ask for English (en-GB) or, in test_dutch, Dutch; a
                # bare request (page.request) asks for neither and gets English too.
                "DEFAULT_LANGUAGE": "en",
                **CHEAP_ARGON2,
            }
        )
        assert live.config["WTF_CSRF_ENABLED"], "the browser tests drive the app with CSRF on"
        with live.app_context(), db.connection_context():
            upgrade()  # SQLite; a copy of the PostgreSQL template is up to date
            people, contacts = _seed()
        server = make_server(host="127.0.0.1", port=0, app=live, threaded=True)
        thread = threading.Thread(
            target=server.serve_forever, name=f"live-teamcase-{backend}", daemon=True
        )
        thread.start()
        self._servers.append((server, thread))
        return Site(
            url=f"http://127.0.0.1:{server.port}",
            people=people,
            contacts=contacts,
            database=db.obj,
        )

    def close(self):
        for server, thread in self._servers:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
        for site in self._sites.values():
            if not site.database.is_closed():
                site.database.close()
            if hasattr(site.database, "close_all"):
                site.database.close_all()  # the pool's idle connections
        if self._scratch is not None:
            POSTGRES.drop(self._scratch)


@pytest.fixture(scope="session")
def live_sites(tmp_path_factory):
    sites = LiveSites(tmp_path_factory)
    try:
        yield sites
    finally:
        sites.close()


@pytest.fixture(scope="session")
def site(live_sites):
    """teamcase served on 127.0.0.1 from a thread, on its own SQLite file."""
    return live_sites["sqlite"]


@pytest.fixture(params=BACKENDS)
def backend_site(request, live_sites):
    """The live teamcase on each backend in turn (see BACKENDS)."""
    return live_sites[request.param]


@pytest.fixture
def live(request):
    """The site this test drives: `backend_site` when it asks for one, else `site`."""
    return request.getfixturevalue(
        "backend_site" if "backend_site" in request.fixturenames else "site"
    )


@pytest.fixture(autouse=True)
def _bind_live_database(live):
    # The database is one proxy per process and every create_app() rebinds it;
    # should unit tests or another backend's site have come in between, point it
    # back at the database of the server this test drives.
    if db.obj is not live.database:
        db.initialize(live.database)


@pytest.fixture
def own_members(live):
    """Members a journey adds to Buurtzorg Oost for itself (append their emails).
    Afterwards they leave the team and their open visits are cancelled, so that no
    later journey meets them in a list of colleagues, a count or the week plan."""
    emails: list[str] = []
    yield emails
    if not emails:
        return
    db.initialize(live.database)
    with db.connection_context():
        members = list(User.select().where(User.email.in_(emails)))
        ids = [m.id for m in members]
        if not ids:
            return
        PlannedVisit.update(status=PlannedVisit.CANCELLED).where(
            (PlannedVisit.status == PlannedVisit.PLANNED)
            & (PlannedVisit.member.in_(ids) | PlannedVisit.created_by.in_(ids))
        ).execute()
        User.update(active=False).where(User.id.in_(ids)).execute()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. Install Debian's browser: "
            "apt-get install -y chromium libatomic1 (never `playwright install`).",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(site):
    # Also replaces pytest-playwright's own base_url fixture (used when
    # pytest-base-url is absent), which pytest 9.2 warns about: it is a
    # session fixture written as an instance method.
    return site.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # has_touch: a tablet, so the tests can tap(). The app's CSP stays on: axe is
    # injected through the DevTools protocol, which CSP does not govern, and a CSP
    # violation by the app itself shows up as a console error. No base_url here:
    # each context gets the address of the site its test drives (see `live`).
    return {
        **{k: v for k, v in browser_context_args.items() if k != "base_url"},
        "has_touch": True,
        "locale": "en-GB",
        "timezone_id": "Europe/Amsterdam",
    }


@pytest.fixture
def sizes():
    """The sizes a journey is checked at, by name, its main size first. A module
    whose journeys belong on another screen overrides this fixture."""
    return VIEWPORTS


@pytest.fixture
def viewport(request, sizes):
    """The size the journey walks at: the first of `sizes`, or the one a test names
    with `pytest.mark.parametrize("viewport", [name], indirect=True)`, which also
    leaves out the light pass (behaviour, not layout)."""
    if hasattr(request, "param"):
        return sizes[request.param]
    return next(iter(sizes.values()))


@pytest.fixture
def other_sizes(request, sizes, viewport):
    """The sizes the light pass covers."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "viewport" in callspec.params:
        return []
    return [size for size in sizes.values() if size != viewport]


class Watch:
    """Console errors, uncaught exceptions and failed requests of one page."""

    def __init__(self, page):
        self.problems = []
        self.statuses = []  # (status, "METHOD url") of every answer >= 400
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request):
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.svg"):
            return  # the browser drops the icon when the page goes before it arrives
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.statuses.append((response.status, f"{response.request.method} {response.url}"))

    def take(self, allowed_status):
        """Problems since the last call (each once, with a count); an expected
        error status is not one."""
        problems = list(self.problems)
        for status, request in self.statuses:
            if status != allowed_status:
                problems.append(f"HTTP {status}: {request}")
        if allowed_status is not None:
            # Chromium reports every 4xx answer on the console too.
            problems = [
                p for p in problems if f"status of {allowed_status} " not in p or "console" not in p
            ]
        self.problems.clear()
        self.statuses.clear()
        counts = collections.Counter(problems)
        return [f"{p} (x{n})" if n > 1 else p for p, n in counts.items()]


_watches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_without_js: "weakref.WeakSet" = weakref.WeakSet()


def _watched_page(context, javascript=True):
    """A new page of `context`, watched from its first request."""
    # Every step here takes well under a second; fail fast instead of after 30 s.
    context.set_default_timeout(10_000)
    if not javascript:
        _without_js.add(context)
    page = context.new_page()
    _watches[page] = Watch(page)
    return page


def _nothing_left(page):
    leftover = _watches[page].take(allowed_status=None)
    assert not leftover, "problems after the last check:\n" + "\n".join(leftover)


@pytest.fixture
def context(new_context, viewport, live):
    return new_context(viewport=viewport, base_url=live.url)


@pytest.fixture
def page(context):
    page = _watched_page(context)
    yield page
    _nothing_left(page)


@pytest.fixture
def nojs_page(new_context, viewport, live):
    """A page in a browser with JavaScript switched off."""
    page = _watched_page(
        new_context(viewport=viewport, base_url=live.url, java_script_enabled=False),
        javascript=False,
    )
    yield page
    _nothing_left(page)


@pytest.fixture
def another_page(new_context, viewport, live):
    """another_page(): a page in a context of its own (a second tablet), watched
    like `page` and checked for leftover problems at the end of the test."""
    pages = []

    def make():
        pages.append(_watched_page(new_context(viewport=viewport, base_url=live.url)))
        return pages[-1]

    yield make
    for page in pages:
        _nothing_left(page)


def _format_violations(name, results) -> str:
    lines = [f"axe found {results.violations_count} WCAG A/AA violation(s) on {name}:"]
    for violation in results.response["violations"]:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
            lines.append(f"       {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


# Runs in the page: every visible touch target lower than the design's minimum.
SMALL_TARGETS_JS = """([selector, minimum]) => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.height + 0.5 < minimum)
  .map(([el, box]) => `${el.outerHTML.slice(0, 100)} is ${Math.round(box.height)} px high`)"""

SETTLED_JS = """() => !document.querySelector(
  '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"""


class Scanner:
    """Scans a page as `check_page` describes, at a given size."""

    def __init__(self, new_context):
        self._new_context = new_context
        self._axe = Axe()
        self._twins = {}  # (width, height): a page that runs scripts, for pages without

    def _target(self, page, size):
        if page.context not in _without_js:
            page.wait_for_function(SETTLED_JS)
            return page
        # axe needs JavaScript: scan the very HTML this page shows, in a page
        # that runs scripts, with the same stylesheet from the live server.
        key = (size["width"], size["height"])
        if key not in self._twins:
            # No service worker: it would answer the copy's address itself, past the route.
            self._twins[key] = self._new_context(viewport=size, service_workers="block").new_page()
        html, url = page.content(), page.url

        def same_url(candidate):
            # A request never carries the #fragment that a redirect may have added.
            return candidate == url.split("#")[0]

        twin = self._twins[key]
        twin.route(same_url, lambda route: route.fulfill(body=html, content_type="text/html"))
        twin.goto(url)
        twin.unroute(same_url)
        assert twin.title() == page.title(), "the scanned copy is not the page"
        return twin

    def scan(self, page, name, size, allowed_status=None):
        target = self._target(page, size)
        page.screenshot(
            path=SCREENSHOTS / f"{size['width']}x{size['height']}-{name}.jpeg",
            full_page=True,
            # JPEG: encoding a long page as PNG took twice as long, for a picture
            # that is only ever looked at.
            type="jpeg",
            quality=80,
            # Hiding the caret leaves style="" on every input; htmx then copies
            # that onto the next page's inputs, and the CSP reports each one.
            caret="initial",
        )
        results = self._axe.run(
            target,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        failures = []
        if results.violations_count:
            failures.append(_format_violations(name, results))
        small = target.evaluate(SMALL_TARGETS_JS, [TOUCH_TARGETS, TAP])
        if small:
            failures.append(f"touch targets under {TAP} px on {name}:\n" + "\n".join(small))
        width = target.evaluate("() => document.documentElement.scrollWidth")
        if width > size["width"]:
            failures.append(f"{name} scrolls sideways: {width} px wide")
        problems = _watches[page].take(allowed_status)
        if problems:
            failures.append(f"problems on {name}:\n" + "\n".join(problems))
        assert not failures, "\n\n".join(failures)


@dataclasses.dataclass
class Checked:
    """A page `check_page` scanned, kept for the light pass."""

    context: object  # the browser context (tablet) it was on
    url: str
    name: str
    allowed_status: int | None
    javascript: bool
    cookies: list  # the context's cookies then: who was logged in


# Answers that only a step in the middle of a journey gives (a form sent back with
# errors, a conflict); a GET of their address shows something else.
MID_JOURNEY = {400, 409}
LIGHT_PASS = pytest.StashKey()


def _light_pass(new_context, scanner, checked, sizes):
    """At each of `sizes`: load again, by GET, each page the journey checked, with
    the cookies its tablet had then (so logged in as the same user, or not), in
    the journey's final state; scan it the same way. Left out: the steps in
    MID_JOURNEY, all but the last check of one address on one tablet (the
    others were states in place, such as an open form), and pages the final
    state no longer has (an error answer or a redirect where the journey saw
    the page: a person transferred away, a case reopened)."""
    latest = {}
    for done in checked:
        if done.allowed_status not in MID_JOURNEY:
            latest.pop((done.context, done.url), None)
            latest[(done.context, done.url)] = done
    for size in sizes:
        pages = {}  # javascript: page
        for done in latest.values():
            if done.javascript not in pages:
                context = new_context(viewport=size, java_script_enabled=done.javascript)
                pages[done.javascript] = _watched_page(context, javascript=done.javascript)
            page = pages[done.javascript]
            page.context.clear_cookies()
            page.context.add_cookies(done.cookies)
            response = page.goto(done.url)
            status = response.status if response is not None else 200  # same document
            assert status < 500, f"{done.name} at {size['width']}x{size['height']}: HTTP {status}"
            if status != (done.allowed_status or 200) or page.url != done.url:
                _watches[page].take(allowed_status=status)  # not the page the journey saw
                continue
            page.wait_for_load_state()
            scanner.scan(page, done.name, size, done.allowed_status)
        for page in pages.values():
            _nothing_left(page)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    # The light pass belongs to the test: it runs once the journey has passed, and
    # what it finds fails the test (not its teardown).
    result = yield
    light_pass = pyfuncitem.stash.get(LIGHT_PASS, None)
    if light_pass is not None:
        del pyfuncitem.stash[LIGHT_PASS]
        light_pass()
    return result


def _looks_at_layout(request) -> bool:
    """Whether this run of a journey checks pages with axe, screenshots and the
    light pass. They see what the browser draws, which is the same whatever the
    database, so a journey run once per backend looks at them on SQLite only; on
    PostgreSQL it walks the same steps and still fails on any console error, failed
    request or unexpected error status."""
    callspec = getattr(request.node, "callspec", None)
    return callspec is None or callspec.params.get("backend_site") != "postgresql"


@pytest.fixture
def check_page(request, new_context, viewport, other_sizes):
    """check_page(page, name): a full-page screenshot in
    test-output/screenshots/<width>x<height>-<name>.jpeg (taken first, so a failing
    page can be looked at), then axe (WCAG 2.0/2.1 A and AA), touch targets, no
    sideways scrolling, and no console errors or failed requests since the last check.

    `allowed_status` is the one error status the step expects (400 for a form
    sent back with errors, 404 for the Not found page).

    Each page checked is recorded; once the test has passed, the light pass
    (`_light_pass`) scans the pages again at the module's other sizes. A journey
    whose pages go away before its end (a meeting's, once it has ended) calls
    `check_page.light_pass()` while they are there: that covers the pages
    checked so far, the end of the test the rest.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    scanner = Scanner(new_context)
    checked = []
    if not _looks_at_layout(request):

        def walk_only(page, name, *, allowed_status=None):
            page.wait_for_load_state()
            if page.context not in _without_js:
                page.wait_for_function(SETTLED_JS)
            problems = _watches[page].take(allowed_status)
            assert not problems, f"problems on {name}:\n" + "\n".join(problems)

        walk_only.light_pass = lambda: None
        return walk_only

    def check(page, name, *, allowed_status=None):
        page.wait_for_load_state()
        scanner.scan(page, name, viewport, allowed_status)
        checked.append(
            Checked(
                context=page.context,
                url=page.url,
                name=name,
                allowed_status=allowed_status,
                javascript=page.context not in _without_js,
                cookies=page.context.cookies(),
            )
        )

    def light_pass():
        _light_pass(new_context, scanner, checked, other_sizes)
        checked.clear()

    check.light_pass = light_pass
    if other_sizes:
        request.node.stash[LIGHT_PASS] = light_pass
    return check


def _home_of(who: str) -> str:
    """HOMES[who], or My day for a member whom an earlier journey on the same site
    left with visits today."""
    if HOMES[who] != "/caseload":
        return HOMES[who]
    with db.connection_context():
        busy = (
            PlannedVisit.select()
            .join(User, on=(PlannedVisit.member == User.id))
            .where(
                User.email == EMAILS[who],
                PlannedVisit.day == local_today(),
                PlannedVisit.status != PlannedVisit.CANCELLED,
            )
            .exists()
        )
    return "/plan/day" if busy else HOMES[who]


@pytest.fixture
def log_in(check_page):
    """log_in(page, who): logs `who` in.

    With form=True through the login page, tapped as a person does, landing on
    their home page; both pages are checked. Otherwise with one POST from the
    same browser context and no page visited, for tests about what comes after.
    `home`: where they land instead of HOMES[who] (a member with visits today
    lands on her day).
    """

    def go(page, who, *, form=False, home=None):
        home = home or _home_of(who)
        if not form:
            for _attempt in range(3):
                answer = page.request.get("/login", max_redirects=0)
                if answer.status == 200:
                    break
                # Logged in after all: a request of the last user's still on its way
                # when the test cleared the cookies set her renewed session again.
                # (The service worker's background keeping sets no cookie any more:
                # teamcase/app.py SessionInterface.)
                page.context.clear_cookies()
            html = answer.text()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]
            answer = page.request.post(
                "/login",
                form={"csrf_token": token, "email": EMAILS[who], "password": PASSWORD},
                max_redirects=0,
            )
            assert answer.status == 303, answer.text()[:500]
            assert answer.headers["location"] == home
            return
        page.goto("/login")
        expect(page).to_have_title("Log in · teamcase")
        check_page(page, "login")
        page.get_by_label("Email").fill(EMAILS[who])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").tap()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        assert urllib.parse.urlsplit(page.url).path == home
        check_page(page, f"home-{who}")

    return go
