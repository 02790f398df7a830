"""Everything the team holds, as files to take away: the team's export and a
person's own export (for a right-of-access request).

The team's export is JSON lines, one row per line with its `table`, streamed:
the rows are read a chunk at a time (teamcase.models.holdings) inside one read
snapshot, so memory stays flat however large the team, and the file is the team
as it was at one moment. Its last line is the manifest, with the rows of each
table: a file that does not end with one was cut short.

Both are audited before the first row is read, and neither holds a password or
token hash. Times are UTC, as stored; dates and times are ISO 8601.
"""

import base64
import datetime as dt
import json

from flask import Blueprint, Response, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamcase import access
from teamcase.dates import local_now
from teamcase.db import db, read_snapshot
from teamcase.generated import Generated
from teamcase.models import AuditEvent, utcnow
from teamcase.models.holdings import person_rows, team_rows, team_tables
from teamcase.pdf import download_names

bp = Blueprint("exports", __name__)

# Lines gathered into each piece of the response: fewer, larger writes.
LINES_PER_PIECE = 200
# Changes when the shape of the files changes, so that a reader can tell.
FORMAT = 1


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        # A file the team sent the back office (a support request's attachment).
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Generated):
        return value.text()
    raise TypeError(f"{type(value).__name__} has no JSON form")


def _line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_value) + "\n"


def _attachment(response: Response, filename: str, utf8_filename: str) -> Response:
    response.headers.set(
        "Content-Disposition", "attachment", filename=filename, **{"filename*": utf8_filename}
    )
    # People's details: never for the browser's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/team/<int:team_id>/export.jsonl")
@login_required
def team(team_id):
    team = access.own_team(team_id)
    AuditEvent.record(
        current_user._get_current_object(), None, "export", "team", team.id, team=team
    )
    names = download_names("team", team.name, local_now().date(), "jsonl")
    body = stream_with_context(team_lines(team.id))
    return _attachment(Response(body, mimetype="application/x-ndjson"), *names)


def team_lines(team_id: int):
    """The team's export, a piece at a time."""
    # The view's connection closes when it returns, before the body is read.
    with db.connection_context(), read_snapshot():
        counts = {model._meta.table_name: 0 for model, _ in team_tables(team_id)}
        lines = []
        for table, row in team_rows(team_id):
            counts[table] += 1
            lines.append(_line({"table": table, **row}))
            if len(lines) == LINES_PER_PIECE:
                yield "".join(lines)
                lines = []
        manifest = {
            "table": "manifest",
            "format": FORMAT,
            "team": team_id,
            "exported_at": utcnow(),
            "times": "UTC",
            "counts": counts,
            "rows": sum(counts.values()),
        }
        yield "".join(lines) + _line(manifest)


@bp.route("/people/<int:client_id>/export.json")
@login_required
def person(client_id):
    client = access.client(client_id)
    AuditEvent.record(current_user._get_current_object(), client, "export", "person", client.id)
    with read_snapshot():
        found = person_rows(client)
    today = local_now().date()
    document = {
        "about": _(
            "Everything %(team)s holds about %(name)s, on %(day)s.",
            team=client.team.name,
            name=client.name,
            day=today,
        ),
        "format": FORMAT,
        "exported_at": utcnow(),
        "times": "UTC",
        "team": {"id": client.team_id, "name": client.team.name},
        "person": found.rows.pop("client")[0],
        "records": found.rows,
        "accounts": found.accounts,
    }
    body = json.dumps(document, indent=2, ensure_ascii=False, default=_json_value) + "\n"
    names = download_names("everything-about", client.name, today, "json")
    return _attachment(Response(body.encode(), mimetype="application/json"), *names)
