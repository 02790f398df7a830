"""Pages rendered once per change: the person's page, and whatever else asks.

A page a member opens again shows the same thing until something on it changes.
`page(build)` keeps what `build` rendered, in this worker's memory, under a key of
everything the page depends on:

- the team's change stamp (teamcase/changes.py moves it on with every write of the
  team's data, in the same transaction), read with the member's own team for the
  top bar, so asking costs no query;
- the member (what she may do, her name in the top bar), the language she reads,
  today's date in the team's time zone ("yesterday 14:05", ages, review dates);
- the URL with its query string, and whether htmx asked for a part of the page.

A reader outside any team (a coach) names the stamps her page depends on
(`page(build, stamp=...)`: her teams' stamps, read in one query); the rest of the
key is the same.

A page is rendered anew when a flash message waits (it shows once), and after the
moment it said it holds until (`holds_until`: a contact she may correct only for
CONTACT_EDIT_HOURS). Two things differ in every response and are filled in
afresh each time: the CSRF token and the clock of a form ("now", to the minute).

Whatever must happen on every request stays outside `build`: the access check,
and the audit row of the person's page.

PAGE_CACHE_SIZE pages are kept per worker, the least recently shown dropped first;
0 turns keeping off.
"""

import collections
import datetime as dt
import threading
from typing import NamedTuple

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from teamcase.dates import local_now, local_today
from teamcase.models.base import utcnow

# What a page is rendered with while it is kept, and replaced in every response.
CSRF_STAND_IN = "csrf-token-filled-in-per-response"
CLOCK_STAND_IN = dt.datetime(1901, 2, 3, 4, 5)
CLOCK_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


class Kept(NamedTuple):
    body: str
    status: int
    headers: dict
    until: dt.datetime | None


class Pages:
    """The kept pages of one app in one worker: least recently used out first."""

    def __init__(self, size: int):
        self.size = size
        self._pages: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def put(self, key, kept: Kept) -> None:
        with self._lock:
            self._pages[key] = kept
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self):
        return len(self._pages)


def pages() -> Pages:
    kept = current_app.extensions.get("teamcase.pages")
    if kept is None:
        kept = current_app.extensions["teamcase.pages"] = Pages(
            current_app.config.get("PAGE_CACHE_SIZE", 500)
        )
    return kept


def _key(stamp=None):
    user = current_user
    if stamp is None:
        team = user.team
        stamp = (team.id, team.changed)
    headers = request.headers
    return (
        request.endpoint,
        request.full_path,
        user.id,
        stamp,
        str(get_locale()),
        local_today(),
        headers.get("HX-Request"),
        headers.get("HX-Boosted"),
        headers.get("HX-History-Restore-Request"),
    )


def rendering() -> bool:
    """True while a page to keep is being rendered."""
    return "teamcase_page_until" in g


def now() -> dt.datetime:
    """The clock a form starts at ("now", to the minute): a stand-in while a page to
    keep is rendered, filled in afresh in each response."""
    return CLOCK_STAND_IN if rendering() else local_now()


def holds_until(moment: dt.datetime) -> None:
    """The page being rendered is right only until `moment` (UTC)."""
    if rendering():
        until = g.teamcase_page_until
        g.teamcase_page_until = moment if until is None else min(until, moment)


def _fill_in(body: str) -> str:
    body = body.replace(CSRF_STAND_IN, generate_csrf())
    clock = local_now()
    for pattern in CLOCK_FORMATS:
        body = body.replace(CLOCK_STAND_IN.strftime(pattern), clock.strftime(pattern))
    return body


def _parts(response) -> tuple:
    if isinstance(response, tuple):
        body, status, *rest = (*response, 200) if len(response) == 1 else response
        return body, status, dict(rest[0]) if rest else {}
    return response, 200, {}


def page(build, stamp=None):
    """The response `build()` gives (body, status[, headers]), rendered once for as
    long as nothing it shows changes. `stamp`: what the page changes with, for a
    reader outside a team; a member's page changes with her team's stamp."""
    kept_pages = pages()
    if (
        kept_pages.size < 1
        or request.method != "GET"
        or session.get("_flashes")
        or not current_user.is_authenticated
        or (current_user.team_id is None and stamp is None)
    ):
        return build()
    key = _key(stamp)
    kept = kept_pages.get(key)
    if kept is not None and (kept.until is None or utcnow() < kept.until):
        return _fill_in(kept.body), kept.status, kept.headers
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    had_token = g.pop(field, None)
    setattr(g, field, CSRF_STAND_IN)
    g.teamcase_page_until = None
    try:
        body, status, headers = _parts(build())
        until = g.teamcase_page_until
    finally:
        del g.teamcase_page_until
        g.pop(field, None)
        if had_token is not None:
            setattr(g, field, had_token)
    if status == 200 and isinstance(body, str) and not session.get("_flashes"):
        kept_pages.put(key, Kept(body, status, headers, until))
    return (_fill_in(body) if isinstance(body, str) else body), status, headers
