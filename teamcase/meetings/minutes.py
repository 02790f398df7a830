"""The minutes the app writes from what the meeting recorded."""

from flask_login import login_required
from peewee import JOIN

from teamcase import access
from teamcase.meetings import bp
from teamcase.models import (
    Client,
    Decision,
    Meeting,
)
from teamcase.web import render

# Afterwards: the minutes and the meeting pack


def decided_at(meeting, items):
    """The decisions of a meeting: proposed at it, or proposals posted earlier that
    were on its agenda (a decision to review is an item, not one of its decisions)."""
    on_agenda = [i.decision_id for i in items if i.decision_id and i.kind == "proposal"]
    return (Decision.meeting == meeting) | Decision.id.in_(on_agenda or [0])


def minutes_context(meeting) -> dict:
    items = list(meeting.agenda())
    tasks: dict[int, list] = {}
    for task in meeting.tasks():
        tasks.setdefault(task.meeting_item_id, []).append(task)
    decisions = list(
        Decision.select(Decision, Client.id, Client.name)
        .join(Client, JOIN.LEFT_OUTER, on=(Decision.client == Client.id))
        .where(decided_at(meeting, items))
        .order_by(Decision.proposed_at, Decision.id)
    )
    roles = Meeting.with_roles().where(Meeting.id == meeting.id).get()
    return {
        "meeting": roles,
        "items": items,
        "present": meeting.present(),
        "tasks": tasks,
        "decisions": decisions,
        "objections": Decision.objections_of(decisions),
        "previous": meeting.previous(),
    }


@bp.route("/<int:meeting_id>/minutes")
@login_required
def minutes(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    return render("meetings/minutes.html", **minutes_context(meeting))
