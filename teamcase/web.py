"""Shared view helpers: htmx-aware rendering, redirects and template filters."""

import datetime as dt
import re
from typing import NamedTuple

from flask import abort, g, get_flashed_messages, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2_fragments.flask import render_block
from werkzeug.routing import IntegerConverter

from teamcase.dates import (
    day_text,
    duration_text,
    format_when,
    local_now,
    local_today,
    short_day_text,
    to_local,
)
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


def audit_value(value, entity: str | None = None, field: str | None = None) -> str:
    """A value from the audit log as a person reads it: times in the team's zone,
    yes/no, lists joined, a dash for nothing; a choice of a record's `field` by
    its label."""
    if value is None or value == "" or value == []:
        return "—"
    labels = _audit_choices().get((entity, field))
    if labels and isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 19 and value[10] in " T":
        try:
            return format_when(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return short_day_text(dt.date.fromisoformat(value))  # "3 feb 1938"
        except ValueError:
            return value
    return str(value)


AUDIT_LABELS = {
    ("view", "person"): _l("Viewed the page"),
    ("create", "person"): _l("Opened the case"),
    ("update", "person"): _l("Changed details"),
    ("create", "contact"): _l("Recorded a contact"),
    ("update", "contact"): _l("Corrected a contact"),
    ("delete", "contact"): _l("Removed a contact"),
    ("create", "about_me"): _l("Wrote about them"),
    ("update", "about_me"): _l("Wrote a new version about them"),
    ("export", "profile"): _l("Printed the profile"),
    ("export", "person"): _l("Exported everything about them"),
    ("close", "person"): _l("Closed the case"),
    ("reopen", "person"): _l("Reopened the case"),
    ("ask", "transfer"): _l("Asked another team to take over"),
    ("withdraw", "transfer"): _l("Withdrew the transfer"),
    ("print", "letter"): _l("Printed the letter"),
    ("accept", "referral"): _l("Took them on from a referral"),
    ("create", "visit"): _l("Planned a visit"),
    ("move", "visit"): _l("Moved a planned visit"),
    ("update", "visit"): _l("Changed a planned visit"),
    ("cancel", "visit"): _l("Cancelled a planned visit"),
    ("take", "visit"): _l("Took a visit up for a colleague to take"),
    ("handover", "visit"): _l("Handed over a planned visit"),
    ("done", "visit"): _l("Did a planned visit"),
    ("create", "series"): _l("Planned repeating visits"),
    ("cancel", "series"): _l("Cancelled the rest of repeating visits"),
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
    ("create", "task"): _l("Added a task for them to the board"),
    ("update", "task"): _l("Changed a task for them"),
    ("claim", "task"): _l("Took on a task for them"),
    ("handback", "task"): _l("Handed back a task for them"),
    ("complete", "task"): _l("Finished a task for them"),
    ("request", "task"): _l("Asked a colleague to do a task for them"),
    ("accept", "task"): _l("Said yes to doing a task for them"),
    ("decline", "task"): _l("Said no to doing a task for them"),
    # Parts of the record.
    ("create", "strength"): _l("Added a strength"),
    ("update", "strength"): _l("Changed a strength"),
    ("delete", "strength"): _l("Removed a strength"),
    ("create", "offer"): _l("Added what they can give"),
    ("update", "offer"): _l("Changed what they can give"),
    ("delete", "offer"): _l("Removed what they can give"),
    ("create", "network"): _l("Added someone in the network"),
    ("update", "network"): _l("Changed someone in the network"),
    ("delete", "network"): _l("Removed someone in the network"),
    ("create", "goal"): _l("Added a goal"),
    ("update", "goal"): _l("Changed a goal"),
    ("delete", "goal"): _l("Removed a goal"),
    ("create", "step"): _l("Added a step towards a goal"),
    ("update", "step"): _l("Changed a step towards a goal"),
    ("delete", "step"): _l("Removed a step towards a goal"),
    ("create", "consent"): _l("Added consent"),
    ("update", "consent"): _l("Changed consent"),
    ("delete", "consent"): _l("Removed consent"),
    ("create", "connection"): _l("Added a connection with a neighbour"),
    ("update", "connection"): _l("Changed a connection with a neighbour"),
    ("delete", "connection"): _l("Removed a connection with a neighbour"),
    ("create", "admission"): _l("Added a hospital admission or emergency visit"),
    ("update", "admission"): _l("Changed a hospital admission or emergency visit"),
    ("delete", "admission"): _l("Removed a hospital admission or emergency visit"),
    ("create", "self_reliance"): _l("Rated who does an area of life"),
    ("update", "self_reliance"): _l("Corrected a rating of who does an area of life"),
    ("delete", "self_reliance"): _l("Removed a rating of who does an area of life"),
    ("create", "omaha_problem"): _l("Added a problem (Omaha System)"),
    ("update", "omaha_problem"): _l("Changed a problem (Omaha System)"),
    ("create", "omaha_rating"): _l("Rated a problem (Omaha System)"),
}
# The names of the fields a change lists, in the reader's language; any other
# field is shown by its own name.
AUDIT_FIELDS = {
    "name": _l("name"),
    "preferred_name": _l("preferred name"),
    "date_of_birth": _l("date of birth"),
    "street": _l("street"),
    "postcode": _l("postcode"),
    "city": _l("city"),
    "phone": _l("phone"),
    "email": _l("email"),
    "known_best": _l("known best"),
    "kind": _l("kind"),
    "minutes": _l("minutes"),
    "happened_at": _l("happened at"),
    "note": _l("note"),
    "incoming": _l("incoming"),
    "demand": _l("demand"),
    "demand_why": _l("demand why"),
    "resolved_first_time": _l("resolved first time"),
    "goal": _l("goal"),
    "colleagues": _l("colleagues"),
    "text": _l("text"),
    "said_by": _l("said by"),
    "said_by_name": _l("said by name"),
    "section": _l("section"),
    "category": _l("category"),
    "when": _l("when"),
    "what": _l("what"),
    "with_whom": _l("with whom"),
    "given_on": _l("given on"),
    "withdrawn_on": _l("withdrawn on"),
    "words": _l("words"),
    "why": _l("why"),
    "status": _l("status"),
    "story": _l("story"),
    "review_on": _l("review on"),
    "help_wanted": _l("help wanted"),
    "helper_kind": _l("helper kind"),
    "network_member": _l("network member"),
    "member": _l("member"),
    "due_on": _l("due on"),
    "done_on": _l("done on"),
    "relation": _l("relation"),
    "tie": _l("tie"),
    "does_now": _l("does now"),
    "could_do": _l("could do"),
    "frequency": _l("frequency"),
    "reach": _l("reach"),
    "resource": _l("resource"),
    "on_profile": _l("on profile"),
    "since": _l("since"),
    "until": _l("until"),
    "reason": _l("reason"),
    "close_reason": _l("close reason"),
    "closing_story": _l("closing story"),
    "ended_on": _l("ended on"),
    "happened_on": _l("happened on"),
    "planned": _l("planned"),
    "area": _l("area of life"),
    "who": _l("who does it"),
    "rated_on": _l("rated on"),
    "code": _l("problem"),
    "problem": _l("problem"),
    "added_on": _l("added on"),
    "knowledge": _l("knowledge"),
    "behaviour": _l("behaviour"),
    "strengths": _l("strengths"),
}


def _audit_choices() -> dict:
    """The labels of the choices a change may list, by (entity, field)."""
    from teamcase import omaha
    from teamcase.models import (
        AboutMe,
        Admission,
        Client,
        Contact,
        Goal,
        NetworkMember,
        SelfReliance,
        Step,
        Strength,
    )

    problems = {code: p.name for code, p in omaha.system().problems.items()}
    return {
        ("person", "close_reason"): Client.CLOSE_REASONS,
        ("contact", "kind"): Contact.KINDS,
        ("contact", "demand"): Contact.DEMAND,
        ("about_me", "said_by"): AboutMe.SAID_BY,
        ("about_me", "section"): AboutMe.SECTIONS,
        ("strength", "category"): Strength.CATEGORIES,
        ("goal", "status"): Goal.STATUSES,
        ("step", "helper_kind"): Step.HELPERS,
        ("network", "relation"): NetworkMember.RELATIONS,
        ("network", "tie"): NetworkMember.TIES,
        ("admission", "kind"): Admission.KINDS,
        ("self_reliance", "area"): SelfReliance.AREAS,
        ("self_reliance", "who"): SelfReliance.WHO,
        # The Omaha System's problems by code, in the reader's language.
        ("omaha_problem", "code"): problems,
        ("omaha_rating", "problem"): problems,
    }


def audit_field(name: str) -> str:
    return str(AUDIT_FIELDS.get(name, name.replace("_", " ")))


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
            ("measures.index", _l("How we are doing")),
        ),
        frozenset({"meetings", "decisions", "learning", "measures"}),
    ),
    # What the team asks of the back office is the team's own business, so it
    # sits with the team, and the top bar stays on one line on a portrait tablet.
    NavGroup(
        _l("Our team"),
        (
            ("team.index", _l("Our team")),
            ("support.index", _l("Back office")),
            ("support.new", _l("Ask the back office")),
            ("asks.index", _l("Our coach")),
        ),
        frozenset({"team", "support", "asks"}),
    ),
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
    answers = waiting.support_answers
    from_coach = waiting.coach_answers
    support = (
        answers,
        ngettext(
            "answer from the back office waiting for the team",
            "answers from the back office waiting for the team",
            answers,
        ),
    )
    coach = (
        from_coach,
        ngettext(
            "answer from our coach waiting for the team",
            "answers from our coach waiting for the team",
            from_coach,
        ),
    )
    our_team = (
        support
        if not from_coach
        else coach
        if not answers
        else (
            answers + from_coach,
            ngettext(
                "answer waiting for the team",
                "answers waiting for the team",
                answers + from_coach,
            ),
        )
    )
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
        # On "Our team" on the top bar (everything answered for the team), and on
        # "Back office" and "Our coach" under it.
        "team.index": our_team,
        "support.index": support,
        "asks.index": coach,
    }


def offline_as_of() -> str:
    """The notice a page carries, hidden, for when the service worker shows it
    without a connection: the moment the page was made, which is when it was kept."""
    now = local_now()
    return gettext(
        "Offline — as of %(time)s on %(day)s. What you change now cannot be saved "
        "until the connection returns.",
        time=f"{now:%H:%M}",
        day=short_day_text(now.date(), year=False),
    )


# Sent by the service worker when it keeps a page for offline use.
KEEPING_HEADER = "X-Teamcase-Keeping"


def page_messages():
    """The flashed messages a page shows, taken from the session. A page the
    tablet keeps in the background never takes them: they belong to the page
    she goes to next, and a kept page would show them again offline."""
    if request.headers.get(KEEPING_HEADER):
        return []
    return get_flashed_messages(with_categories=True)


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
        offline_as_of=offline_as_of,
        page_messages=page_messages,
    )
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["audit_value"] = audit_value
    app.jinja_env.filters["audit_field"] = audit_field
    app.jinja_env.filters["local"] = to_local
    app.jinja_env.filters["day"] = day_text
    app.jinja_env.filters["duration"] = duration_text
