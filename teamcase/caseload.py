"""The caseload: a member's home page, the team's active people."""

from flask import Blueprint, current_app, request
from flask_login import login_required

from teamcase import access
from teamcase.models import Client, KnownBest
from teamcase.web import render

bp = Blueprint("caseload", __name__)

SORTS = {"name": "Name", "contact": "Longest without contact"}


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1


def caseload_context(team, search: str, sort: str, page: int) -> dict:
    """Everything the caseload page and its results block need."""
    size = current_app.config["CASELOAD_PAGE_SIZE"]
    query = Client.caseload(team, search=search, sort=sort)
    total = query.count()
    pages = max(1, -(-total // size))
    page = min(page, pages)
    people = list(query.paginate(page, size))
    return {
        "team": team,
        "people": people,
        "known_best": KnownBest.names_for(people),
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
    search = " ".join(request.args.get("q", "").split())[:100]
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    context = caseload_context(team, search, sort, _page_number(request.args.get("page")))
    return render("caseload/index.html", block="results", **context)
