"""The caseload: a member's home page, the team's active people."""

from typing import NamedTuple

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from peewee import fn

from teamcase import access
from teamcase.dates import ago_text, local_now, to_local
from teamcase.models import Client, Contact, KnownBest
from teamcase.web import page_arg, render, search_arg

bp = Blueprint("caseload", __name__, template_folder="templates")

SORTS = {"name": _l("Name"), "contact": _l("Longest without contact")}


class Row(NamedTuple):
    """One person on the caseload, ready to print: the page shows up to 200 of
    these, so the work per row is done once here rather than in the template."""

    id: int
    name: str
    display_name: str
    summary: str
    known_best: str
    last_contact: str
    stale: bool
    show_url: str
    record_url: str


COLUMNS = (
    Client.id,
    Client.name,
    Client.preferred_name,
    Client.date_of_birth,
    Client.street,
    Client.phone,
    Client.email,
    Client.last_contact_at,
    Client.last_contact_kind,
)


def _url_pattern(endpoint: str, **values) -> str:
    # One url_for per page, not two per row: the id is filled in by format().
    marker = 987654321
    return url_for(endpoint, client_id=marker, **values).replace(str(marker), "{}")


def filter_args(search: str = "", sort: str = "name", page: int = 1) -> dict:
    """The caseload's search, sort and page as URL arguments, defaults left out:
    what a contact recorded from the caseload takes along, to come back to it."""
    return {
        "q": search or None,
        "sort": sort if sort != "name" else None,
        "page": page if page > 1 else None,
    }


def filter_from_request() -> dict:
    """The caseload's filter from this request's arguments, cleaned as index() does."""
    search = search_arg()
    sort = request.args.get("sort", "name")
    return filter_args(search, sort if sort in SORTS else "name", page_arg())


def rows(people_tuples, names, back: dict | None = None) -> list[Row]:
    today = local_now().date()
    show = _url_pattern("clients.show")
    record = _url_pattern("contacts.new", **{"from": "caseload"}, **(back or {}))
    result = []
    for pid, name, preferred, born, street, phone, email, last_at, last_kind in people_tuples:
        display = f"{name} ({preferred})" if preferred and preferred != name else name
        place = street or phone or email
        if born:
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            place = f"{age} · {place}"
        if last_at is None:
            last, stale = _("none yet"), True
        else:
            days = (today - to_local(last_at).date()).days
            kind = Contact.KINDS.get(last_kind, "").lower()
            last, stale = f"{ago_text(days)} · {kind}" if kind else ago_text(days), days > 13
        result.append(
            Row(
                pid,
                name,
                display,
                place,
                ", ".join(names.get(pid, ())) or _("nobody yet"),
                last,
                stale,
                show.format(pid),
                record.format(pid),
            )
        )
    return result


def caseload_context(team, search: str, sort: str, page: int) -> dict:
    """Everything the caseload page and its results block need."""
    size = current_app.config["CASELOAD_PAGE_SIZE"]
    query = Client.caseload(team, search=search, sort=sort)
    # The total rides along with the page (a window count): one query, not two.
    people = list(
        query.select(*COLUMNS, fn.COUNT(Client.id).over().alias("total"))
        .paginate(page, size)
        .tuples()
    )
    # No rows: either nobody matches or the page is past the end; ask which.
    total = people[0][-1] if people else query.count()
    pages = max(1, -(-total // size))
    if page > pages:
        return caseload_context(team, search, sort, pages)
    return {
        "team": team,
        "people": rows(
            [p[:-1] for p in people],
            KnownBest.names_in(team),
            back=filter_args(search, sort, page),
        ),
        "total": total,
        "search": search,
        "sort": sort,
        "sorts": SORTS,
        "page": page,
        "pages": pages,
    }


@bp.route("/caseload")
@login_required
def index():
    team = access.member_team()
    search = search_arg()
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    context = caseload_context(team, search, sort, page_arg())
    return render("caseload/index.html", block="results", **context)
