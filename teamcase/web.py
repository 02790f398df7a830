"""Shared view helpers: htmx-aware rendering, redirects and template filters."""

import datetime as dt
import re
from typing import NamedTuple

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from jinja2_fragments.flask import render_block
from werkzeug.routing import IntegerConverter

from teamcase.dates import day_text, duration_text, format_when, local_today, to_local
from teamcase.forms import CONTROL_CHARACTERS, FIRST_DAY, LAST_DAY


def is_htmx_partial() -> bool:
    """An htmx request that wants a fragment (boosted requests want whole pages)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        # Back after htmx's history cache has dropped the page: it needs the whole page.
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render the page, or only `block` of it for a non-boosted htmx request."""
    if block and is_htmx_partial():
        return render_block(template, block, **context), status
    body = render_template(template, **context)
    if status >= 400 and request.headers.get("HX-Boosted") == "true":
        # A boosted page starts at the top, as a page load does; a form sent back
        # with its errors stays where she was, at the form she sent.
        return body, status, {"HX-Reswap": "innerHTML show:none"}
    return body, status


def see_other(endpoint: str, **values):
    """Redirect after a POST so a reload never sends the form twice."""
    return redirect(url_for(endpoint, **values), code=303)


def redirect_for_htmx(endpoint: str, **values):
    """A plain 303, or for an htmx request an instruction to go there (a redirect
    would be swapped into the part of the page the request was for)."""
    if is_htmx_partial():
        return "", 200, {"HX-Location": url_for(endpoint, **values)}
    return see_other(endpoint, **values)


# The largest id or count an integer column holds in both databases (PostgreSQL's
# INTEGER): a larger number names nothing that can exist.
INT_MAX = 2**31 - 1
PAGE_MAX = 10_000
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


def parse_int(text) -> int | None:
    """A whole number written in ASCII digits and within INT_MAX, else None ("²",
    " ", "1e3" and twenty digits are not numbers the app can use)."""
    if not isinstance(text, str) or not _WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= INT_MAX else None


def int_arg(name: str, default: int | None = None) -> int | None:
    """An integer query argument, or `default` when it is missing or not a number."""
    value = parse_int(request.args.get(name))
    return default if value is None else value


def id_arg(name: str) -> int | None:
    """The id a query argument names (?decision=12), or None without one; an id
    that cannot exist gives 404, as it would in the URL's path."""
    if not request.args.get(name):
        return None
    value = int_arg(name)
    if value is None:
        abort(404)
    return value


def page_arg(name: str = "page") -> int:
    """A page number from the query: 1 when missing or not a number, at most PAGE_MAX."""
    return max(1, min(int_arg(name, 1), PAGE_MAX))


def search_arg(name: str = "q", limit: int = 100) -> str:
    """The words typed into a search box: control characters (NUL…) read as
    spaces, runs of spaces as one, at most `limit` characters."""
    text = CONTROL_CHARACTERS.sub(" ", request.args.get(name, ""))
    return " ".join(text.split())[:limit]


def date_arg(name: str) -> dt.date | None:
    """An ISO date from the query within FIRST_DAY and LAST_DAY, else None."""
    try:
        day = dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


class IdConverter(IntegerConverter):
    """`<int:…>` in a URL: an id the database can hold, else the URL matches no
    route and the answer is 404."""

    def __init__(self, map, fixed_digits=0, min=1, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def audit_value(value) -> str:
    """A value from the audit log as a person reads it: times in the team's zone,
    yes/no, lists joined, a dash for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 19 and value[10] in " T":
        try:
            return format_when(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


AUDIT_LABELS = {
    ("view", "person"): "Viewed the page",
    ("create", "person"): "Opened the case",
    ("update", "person"): "Changed details",
    ("create", "contact"): "Recorded a contact",
    ("update", "contact"): "Corrected a contact",
    ("delete", "contact"): "Removed a contact",
    ("create", "about_me"): "Wrote about them",
    ("update", "about_me"): "Wrote a new version about them",
    ("export", "profile"): "Printed the profile",
    ("export", "person"): "Exported everything about them",
    ("close", "person"): "Closed the case",
    ("reopen", "person"): "Reopened the case",
    ("ask", "transfer"): "Asked another team to take over",
    ("withdraw", "transfer"): "Withdrew the transfer",
    ("print", "letter"): "Printed the letter",
    ("accept", "referral"): "Took them on from a referral",
    ("create", "visit"): "Planned a visit",
    ("move", "visit"): "Moved a planned visit",
    ("update", "visit"): "Changed a planned visit",
    ("cancel", "visit"): "Cancelled a planned visit",
    ("take", "visit"): "Took a visit up for a colleague to take",
    ("handover", "visit"): "Handed over a planned visit",
    ("done", "visit"): "Did a planned visit",
    ("create", "series"): "Planned repeating visits",
    ("cancel", "series"): "Cancelled the rest of repeating visits",
    # A team decision about the person (teamcase/decisions.py).
    ("propose", "decision"): _l("Proposed a team decision about them"),
    ("question", "decision"): _l("Recorded a question on a decision about them"),
    ("reaction", "decision"): _l("Recorded a reaction to a decision about them"),
    ("objection", "decision"): _l("Recorded an objection to a decision about them"),
    ("amend", "decision"): _l("Amended a proposal about them"),
    ("resolve", "decision"): _l("Resolved an objection to a decision about them"),
    ("adopt", "decision"): _l("Adopted a team decision about them"),
    ("withdraw", "decision"): _l("Withdrew a proposal about them"),
    ("park", "decision"): _l("Parked a proposal about them"),
    ("resume", "decision"): _l("Took up a proposal about them again"),
    ("answer", "decision"): _l("Answered a proposal about them"),
    ("settle", "decision"): _l("Counted the answers to a proposal about them"),
    # The team meeting (teamcase/meetings.py).
    ("flag", "meeting_flag"): _l("Flagged for the team meeting"),
    ("review", "person"): _l("Set the date to talk about them at a meeting"),
    ("update", "agenda_item"): _l("Wrote the meeting's notes about them"),
    ("discuss", "agenda_item"): _l("Discussed them at the team meeting"),
    ("create", "agenda_item"): _l("Put them on a meeting's agenda"),
    ("move", "agenda_item"): _l("Moved them on a meeting's agenda"),
    ("delete", "agenda_item"): _l("Took them off a meeting's agenda"),
    ("export", "meeting_pack"): _l("Printed in the meeting pack"),
    # A task for them on the team board (teamcase/board.py).
    ("create", "task"): "Added a task for them to the board",
    ("update", "task"): "Changed a task for them",
    ("claim", "task"): "Took on a task for them",
    ("handback", "task"): "Handed back a task for them",
    ("complete", "task"): "Finished a task for them",
    ("request", "task"): "Asked a colleague to do a task for them",
    ("accept", "task"): "Said yes to doing a task for them",
    ("decline", "task"): "Said no to doing a task for them",
}
# Parts of the record share their wording: "Added a strength", "Changed a goal"…
for _entity, _noun in {
    "strength": "a strength",
    "offer": "what they can give",
    "network": "someone in the network",
    "goal": "a goal",
    "step": "a step towards a goal",
    "consent": "consent",
    "connection": "a connection with a neighbour",
}.items():
    AUDIT_LABELS[("create", _entity)] = f"Added {_noun}"
    AUDIT_LABELS[("update", _entity)] = f"Changed {_noun}"
    AUDIT_LABELS[("delete", _entity)] = f"Removed {_noun}"


class NavGroup(NamedTuple):
    label: str
    # (endpoint, label); the first is where the group's main link goes.
    links: tuple
    blueprints: frozenset


# A member's navigation: six places on the top bar, and the pages of the current
# one underneath, so that a portrait tablet shows every link without a menu.
MEMBER_NAV = (
    NavGroup(
        _l("Caseload"),
        (
            ("caseload.index", _l("Caseload")),
            ("clients.new", _l("New person")),
            ("closing.closed", _l("Closed cases")),
            ("neighbours.index", _l("Offers and needs")),
            ("resources.index", _l("Local resources")),
        ),
        frozenset({"caseload", "neighbours", "resources"}),
    ),
    NavGroup(
        _l("My day"),
        (("plan.day", _l("My day")), ("plan.week", _l("Week plan"))),
        frozenset({"plan"}),
    ),
    NavGroup(_l("Team board"), (("board.index", _l("Team board")),), frozenset({"board"})),
    NavGroup(_l("Referrals"), (("referrals.index", _l("Referrals")),), frozenset({"referrals"})),
    NavGroup(
        _l("Meetings"),
        (
            ("meetings.index", _l("Meetings")),
            ("decisions.index", _l("Decisions")),
            ("learning.index", _l("Training and experiments")),
        ),
        frozenset({"meetings", "decisions", "learning"}),
    ),
    NavGroup(_l("Our team"), (("team.index", _l("Our team")),), frozenset({"team"})),
)


def nav_group() -> NavGroup | None:
    """The member's place in the navigation: by blueprint, or the page itself."""
    for group in MEMBER_NAV:
        if request.blueprint in group.blueprints or any(
            request.endpoint == endpoint for endpoint, _ in group.links
        ):
            return group
    return None


def team_waiting():
    """What waits for someone in the member's team (`Waiting`): asked once per
    request, and only by a page that shows it (never by an htmx fragment)."""
    from teamcase.models import Waiting

    if "team_waiting" not in g:
        g.team_waiting = Waiting.in_team(current_user.team_id, local_today())
    return g.team_waiting


def nav_badges() -> dict[str, tuple[int, str]]:
    """The count on a place in the navigation, by its first endpoint, with what it
    counts for a screen reader ("3 visits up for a colleague to take")."""
    waiting = team_waiting()
    visits, urgent = waiting.open_visits, waiting.urgent_referrals
    return {
        "plan.day": (
            visits,
            ngettext(
                # After the number on the badge, for a screen reader.
                "visit up for a colleague to take",
                "visits up for a colleague to take",
                visits,
            ),
        ),
        "referrals.index": (
            urgent,
            ngettext("urgent referral", "urgent referrals", urgent),
        ),
    }


def register_template_helpers(app):
    from teamcase.models import Contact

    @app.context_processor
    def navigation():
        member = current_user.is_authenticated and current_user.is_member
        return {"member_nav": MEMBER_NAV, "nav_group": nav_group() if member else None}

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        contact_kinds=Contact.KINDS,
        demand_labels=Contact.DEMAND,
        audit_labels=AUDIT_LABELS,
        team_waiting=team_waiting,
        nav_badges=nav_badges,
    )
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["audit_value"] = audit_value
    app.jinja_env.filters["local"] = to_local
    app.jinja_env.filters["day"] = day_text
    app.jinja_env.filters["duration"] = duration_text
