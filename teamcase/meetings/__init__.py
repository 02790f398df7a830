"""Team meetings and deciding together: the agenda built from the caseload, meeting
mode for the shared screen, the minutes the app writes, the meeting pack,
decisions by consent, the training plan and experiments.

Serves:
    /meetings/...           planning and the agenda (agenda), meeting mode (mode),
                            the minutes (minutes), the pack (pack), flagging a
                            person and their review date (flags)
    /decisions/...          proposals, consent and objections, the log (decisions)
    /learning/...           the training plan and experiments (learning)

Meetings hold people's details, so only the team's members reach them: a linked
coach gets 403 (the decisions log is what they may read), everyone else 404.
In meeting mode every form answers an htmx request with the "stage" block (the
list of items and the item on screen) and a plain form with a 303 back to the item;
a proposal is made on the item (/meetings/items/<id>/propose) and decided there with
the decision's own forms, which come back to the item.
"""

from flask import Blueprint, flash
from flask_babel import gettext as _
from flask_login import current_user

from teamcase.models import User
from teamcase.web import redirect_for_htmx

bp = Blueprint("meetings", __name__, template_folder="templates", url_prefix="/meetings")


def blueprints():
    # The modules add their routes to `bp` when imported.
    from teamcase.meetings import agenda, decisions, flags, learning, minutes, mode, pack  # noqa: F401

    return [bp, decisions.bp, learning.bp]


def me() -> User:
    return current_user._get_current_object()


def speakers(meeting) -> list[User]:
    """Who can be said to propose, ask or object at a running meeting: the members
    who are here, and the one at the keyboard (the default) even if not ticked."""
    present = meeting.present()
    user = me()
    if all(m.id != user.id for m in present):
        present = sorted([*present, user], key=lambda m: m.name)
    return present


def member_by_id(user_id, by_id):
    """A member by id from the active members already read; a former member is read."""
    if user_id is None:
        return None
    return by_id.get(user_id) or User.get_by_id(user_id)


def not_now(meeting):
    """The answer to a change the meeting's state does not allow: before it
    started, meeting mode begins with who is here; once ended, nothing changes."""
    if meeting.is_done:
        flash(_("This meeting has ended: its minutes no longer change."), "info")
        return redirect_for_htmx("meetings.minutes", meeting_id=meeting.id)
    flash(_("Start the meeting first: tick who is here."), "info")
    return redirect_for_htmx("meetings.run", meeting_id=meeting.id)
