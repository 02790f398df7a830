"""The meeting pack PDF: the agenda, a page per person discussed and the decisions;
`?pseudonymised=1` gives one that names nobody, to take out of the office.
"""

from flask import request
from flask_login import login_required

from teamcase import access, pdf
from teamcase.dates import local_now, meeting_title
from teamcase.measures import weekly
from teamcase.meetings import bp, me
from teamcase.meetings.minutes import decided_at
from teamcase.meetings.person_card import person_records
from teamcase.models import (
    Client,
    Decision,
    Meeting,
    MeetingFlag,
)
from teamcase.privacy import Viewer

# The weeks a signal must reach into to be in the pack: what happened since about
# the last meetings, not the whole year's story.
RECENT_WEEKS = 8


def recent_signals(team, viewer, today) -> dict:
    """How we are doing, for the pack: the charts with a signal in the last
    RECENT_WEEKS weeks, and the titles of the others (within their usual
    variation lately), each written as `viewer` sees the team's words."""
    figures = weekly.Figures(team, today)
    series = [figures.series(m.code, why=lambda e: viewer.text(e.title)) for m in weekly.MEASURES]
    recent = len(figures.weeks) - RECENT_WEEKS

    def lately(one):
        return any(max(signal.indexes) >= recent for signal in one.chart.signals)

    return {
        "signalled": [one for one in series if lately(one)],
        "calm": [one.measure.title for one in series if not lately(one)],
        "labels": weekly.labels(figures.weeks),
        "weeks": RECENT_WEEKS,
    }


def pack_context(meeting, viewer) -> dict:
    """The agenda, a page for each person on it (what they can do, who is around
    them, their goals, the last contacts and why they are on the agenda, with the
    meeting's notes once there are some) and the meeting's decisions, shown as
    `viewer` sees them: `Viewer.outside` for the pack without names."""
    items = list(meeting.agenda())
    people_items = [i for i in items if i.is_person]
    ids = [i.client_id for i in people_items]
    people = {p.id: p for p in Client.select().where(Client.id.in_(ids or [0]))}
    records = person_records(ids)
    flags = MeetingFlag.for_people(ids)
    tasks: dict[int, list] = {}
    for task in meeting.tasks():
        tasks.setdefault(task.meeting_item_id, []).append(task)
    decisions = list(
        Decision.select()
        .where(decided_at(meeting, items))
        .order_by(Decision.proposed_at, Decision.id)
    )
    roles = Meeting.with_roles().where(Meeting.id == meeting.id).get()
    today = local_now().date()
    return {
        "meeting": roles,
        "team": meeting.team,
        "items": items,
        "people": people,
        "records": records,
        "flags": flags,
        "tasks": tasks,
        "decisions": decisions,
        "objections": Decision.objections_of(decisions),
        "viewer": viewer,
        "printed_on": today,
        "title": meeting_title(meeting),
        "today": today,
        "measures": recent_signals(meeting.team, viewer, today),
    }


def render_pack(meeting, viewer) -> bytes:
    return pdf.render("meetings/pack.html", **pack_context(meeting, viewer))


@bp.route("/<int:meeting_id>/pack.pdf")
@login_required
def pack(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    pseudonymised = request.args.get("pseudonymised") == "1"
    viewer = Viewer.outside(meeting.team) if pseudonymised else access.team_viewer()
    body = render_pack(meeting, viewer)
    meeting.printed(me(), pseudonymised)
    stem = f"meeting-{meeting.held_on.isoformat()}{'-pseudonymised' if pseudonymised else ''}"
    return pdf.download(body, f"{stem}.pdf")
