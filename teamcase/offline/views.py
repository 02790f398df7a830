"""The service worker, the manifest and the list of pages kept for offline use.

What the tablet keeps is the least a nurse needs between visits: My day for today
and tomorrow, the caseload, and the page of each person on her plan those days
(`snapshot`). The worker fetches them as the member herself, after login and on
My day, and deletes them at logout and at the idle timeout (see the README).
"""

import datetime as dt
import hashlib
import json

from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from teamcase import access
from teamcase.dates import local_now
from teamcase.models import AboutMe, PlannedVisit
from teamcase.paths import STATIC
from teamcase.web import KEEPING_HEADER

bp = Blueprint("offline", __name__, template_folder="templates")

# The app shell, precached when the worker installs: every page needs these.
SHELL_FILES = (
    "css/teamcase.css",
    "js/htmx-2.0.11.min.js",
    "js/removing.js",
    "js/duration.js",
    "js/offline.js",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
)


def shell_version() -> str:
    """Changes whenever a shell file or the worker changes, so that a new version
    installs, precaches the new files and deletes the old cache."""
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        digest.update((STATIC / name).read_bytes())
    worker = current_app.jinja_env.loader.get_source(current_app.jinja_env, "offline/sw.js")[0]
    digest.update(worker.encode())
    return digest.hexdigest()[:12]


@bp.route("/sw.js")
def worker():
    settings = {
        "version": shell_version(),
        "shell": [url_for("static", filename=name) for name in SHELL_FILES],
        "offlinePage": url_for("offline.page"),
        "snapshot": url_for("offline.snapshot"),
        "idleMinutes": current_app.config["SESSION_IDLE_MINUTES"],
        "keepingHeader": KEEPING_HEADER,
    }
    body = render_template("offline/sw.js", settings=json.dumps(settings))
    return body, 200, {"Content-Type": "text/javascript; charset=utf-8"}


@bp.route("/manifest.webmanifest")
def manifest():
    icon = "icons/icon-{}.png"
    body = {
        "name": "teamcase",
        "short_name": "teamcase",
        "description": _("Your day, your people and the team's work, also without a signal."),
        "start_url": url_for("auth.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6e69",
        "icons": [
            {
                "src": url_for("static", filename=icon.format(size)),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ]
        + [
            {
                "src": url_for("static", filename="favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            }
        ],
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    return response


@bp.route("/offline")
def page():
    """Shown by the worker for a page it has not kept; holds nobody's data, so it
    may stay in the app shell's cache after logout."""
    return render_template("offline/page.html")


def kept_urls(member) -> list[str]:
    """The pages kept on her tablet: her day today and tomorrow, the caseload, the
    page of each person she visits those days (cancelled visits aside), the form
    that marks each of her visits still to do as done, and the about-me forms of
    the people she visits today (where she writes down what she heard)."""
    today = local_now().date()
    tomorrow = today + dt.timedelta(days=1)
    visits = (
        PlannedVisit.select(
            PlannedVisit.id, PlannedVisit.client, PlannedVisit.day, PlannedVisit.status
        )
        .where(
            PlannedVisit.member == member,
            PlannedVisit.day.between(today, tomorrow),
            PlannedVisit.status != PlannedVisit.CANCELLED,
        )
        .order_by(PlannedVisit.client, PlannedVisit.day, PlannedVisit.id)
        .tuples()
    )
    people, today_people, to_do = [], [], []
    for visit_id, client_id, day, status in visits:
        if client_id not in people:
            people.append(client_id)
        if day == today and client_id not in today_people:
            today_people.append(client_id)
        if status == PlannedVisit.PLANNED:
            to_do.append(visit_id)
    return [
        url_for("plan.day"),
        url_for("plan.day", day=today.isoformat()),
        url_for("plan.day", day=tomorrow.isoformat()),
        url_for("caseload.index"),
        url_for("offline.page"),
        *(url_for("clients.show", client_id=client_id) for client_id in people),
        *(url_for("plan.done", visit_id=visit_id) for visit_id in sorted(to_do)),
        *(
            url_for("about.edit", client_id=client_id, section=section)
            for client_id in today_people
            for section in AboutMe.SECTIONS
        ),
    ]


@bp.route("/offline/snapshot")
@login_required
def snapshot():
    access.member_team()
    member = access.signed_in()
    return jsonify(user=member.id, urls=kept_urls(member))
