"""Planning the next meeting and its agenda, which builds itself from the caseload
(review dates, people flagged, referrals kept for the meeting, decisions to review,
proposals that did not pass between meetings, overdue tasks) plus members' own items.
"""

import datetime as dt

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from peewee import IntegrityError

from teamcase import access, conflicts, pagecache
from teamcase.clients.parts import confirm_removal
from teamcase.dates import local_now, meeting_title
from teamcase.meetings import bp, me, member_by_id, not_now
from teamcase.meetings.forms import AgendaItemForm, AgendaMoveForm, MeetingPlanForm
from teamcase.meetings.mode import stage, stage_changed
from teamcase.models import (
    AgendaItem,
    CoachThread,
    Decision,
    Meeting,
    MeetingFlag,
)
from teamcase.web import int_arg, is_htmx_partial, render, see_other

# The list of meetings and planning the next one


def _plan_defaults(form, team, members):
    """The next meeting two weeks after the last one, same time and place; the
    facilitator and note-taker whose turn it is."""
    last = (
        Meeting.select()
        .where(Meeting.team == team)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .first()
    )
    today = local_now().date()
    form.held_on.data = today + dt.timedelta(days=7)
    if last is not None:
        form.held_on.data = max(last.held_on + Meeting.RHYTHM, today)
        form.starts_at.data = last.starts_at
        form.place.data = last.place
    suggested = Meeting(team=team, held_on=form.held_on.data).suggestions(members)
    form.facilitator.data = suggested["facilitator"].id if suggested["facilitator"] else 0
    form.note_taker.data = suggested["note_taker"].id if suggested["note_taker"] else 0


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    upcoming = list(Meeting.upcoming(team))
    held = list(Meeting.held(team))
    return render(
        "meetings/index.html",
        team=team,
        running=next((m for m in upcoming if m.is_running), None),
        planned=next((m for m in upcoming if m.is_planned), None),
        held=held,
        today=local_now().date(),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    members = Meeting.rotation(team)
    form = MeetingPlanForm().offer_members(members)
    conflict = None
    if request.method == "GET":
        planned = Meeting.planned_for(team)
        if planned is not None:
            flash(_("The next meeting is planned already. Here is its agenda."), "info")
            return see_other("meetings.show", meeting_id=planned.id)
        _plan_defaults(form, team, members)
    elif form.validate():
        try:
            meeting = Meeting.plan(team, me(), **form.values())
        except IntegrityError:
            # A colleague planned it first, perhaps at this very moment.
            conflict = Meeting.planned_for(team)
            if conflict is None:
                raise
        else:
            flash(
                _(
                    "The meeting of %(day)s is planned. Its agenda fills itself from the caseload.",
                    day=meeting_title(meeting),
                ),
                "success",
            )
            return see_other("meetings.show", meeting_id=meeting.id)
    status = conflicts.status(form, conflict)
    return render(
        "meetings/new.html",
        form=form,
        conflict=conflict,
        suggested=Meeting(team=team, held_on=local_now().date()).suggestions(members),
        members=members,
        status=status,
    )


# The agenda


def agenda_context(meeting, form=None, notice=None, items=None) -> dict:
    """Everything the agenda page and its "agenda" block need, in a fixed number
    of queries however long the agenda is. `items`: the agenda, already read."""
    items = list(meeting.agenda()) if items is None else items
    members = Meeting.rotation(meeting.team)
    by_id = {m.id: m for m in members}
    return {
        "meeting": meeting,
        "items": items,
        "flags": MeetingFlag.for_people({i.client_id for i in items if i.is_person}),
        "members": members,
        "facilitator": member_by_id(meeting.facilitator_id, by_id),
        "note_taker": member_by_id(meeting.note_taker_id, by_id),
        "suggested": meeting.suggestions(members),
        "previous": meeting.previous(),
        "form": form or AgendaItemForm(formdata=None),
        "notice": notice,
        "me": me(),
        **_coach_invitations(meeting),
    }


def _coach_invitations(meeting) -> dict:
    """The team's coaches, and which of them it invited to this meeting, with her
    answer: the form invites those not invited yet."""
    from teamcase.coach.forms import InviteToMeetingForm
    from teamcase.models import User

    coaches = list(User.coaches_of(meeting.team_id))
    invited = {
        t.coach_id: t
        for t in CoachThread.listed().where(
            CoachThread.meeting == meeting, CoachThread.kind == CoachThread.MEETING
        )
    }
    not_yet = [c for c in coaches if c.id not in invited]
    return {
        "coaches": coaches,
        "coach_invited": invited,
        "invite_form": InviteToMeetingForm(formdata=None).offer_coaches(not_yet),
        "coaches_not_invited": not_yet,
    }


def _agenda(meeting, form=None, notice=None, status=200, items=None):
    return render(
        "meetings/show.html",
        block="agenda",
        status=status,
        **agenda_context(meeting, form=form, notice=notice, items=items),
    )


def _agenda_changed(meeting, notice: str, anchor: str = "agenda"):
    """The agenda again: in place for htmx, else back to the page."""
    if is_htmx_partial():
        return _agenda(meeting, notice=notice)
    flash(notice, "success")
    return see_other("meetings.show", meeting_id=meeting.id, _anchor=anchor)


@bp.route("/<int:meeting_id>")
@login_required
def show(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return see_other("meetings.minutes", meeting_id=meeting.id)
    return pagecache.page(lambda: _built_agenda(meeting))


def _built_agenda(meeting):
    """The agenda brought up to date with the caseload, then shown. Kept until the
    team's data changes or the day does (teamcase/pagecache.py): what puts a thing
    on the agenda is the team's data and today's date, so until then building it
    again would add and remove nothing, except when the time to answer a proposal
    between meetings runs out: it is kept until then. "Bring up to date" builds it
    on request."""
    items = None
    if meeting.is_planned:
        # The answers whose time ran out counted, and when the next one does, at once.
        deadline = Decision.settle_due_and_next_deadline(meeting.team_id)
        meeting.build_agenda(me(), settled=True)
        # As building read it, when it added and took off nothing.
        items = meeting.agenda_read
    else:
        deadline = Decision.next_deadline(meeting.team_id)
    if deadline is not None:
        pagecache.holds_until(deadline)
    return _agenda(meeting, items=items)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return not_now(meeting)
    members = Meeting.rotation(meeting.team)
    form = MeetingPlanForm.editing(meeting)
    form.offer_members(members)
    form.keep_day = meeting.held_on
    back = "run" if request.args.get("from") == "run" else "show"
    conflict = None
    if request.method == "GET":
        form.facilitator.data = meeting.facilitator_id or 0
        form.note_taker.data = meeting.note_taker_id or 0
    elif form.validate():
        if meeting.change(me(), form.version_read(), **form.values()):
            flash(_("Saved."), "success")
            return see_other(f"meetings.{back}", meeting_id=meeting.id)
        conflict = conflicts.conflict(meeting, form, "changes to this meeting", form.values())
        if conflict.saved.is_done:
            return not_now(conflict.saved)
        meeting = conflict.saved
    return conflicts.page(
        "meetings/edit.html",
        form,
        conflict,
        meeting=meeting,
        back=back,
        suggested=meeting.suggestions(members),
        members=members,
    )


@bp.route("/<int:meeting_id>/refresh", methods=["POST"])
@login_required
def refresh(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return not_now(meeting)
    if meeting.is_running:
        return _agenda_changed(
            meeting, _("The agenda of a running meeting stays as it is: add what comes up.")
        )
    added, removed = meeting.build_agenda(me())
    if not added and not removed:
        notice = _("The agenda was up to date.")
    elif not removed:
        notice = ngettext(
            "Agenda brought up to date: %(num)d added.",
            "Agenda brought up to date: %(num)d added.",
            len(added),
        )
    elif not added:
        notice = ngettext(
            "Agenda brought up to date: %(num)d that no longer applies taken off.",
            "Agenda brought up to date: %(num)d that no longer apply taken off.",
            len(removed),
        )
    else:
        notice = _(
            "Agenda brought up to date: %(added)s and %(removed)s taken off.",
            added=ngettext("%(num)d added", "%(num)d added", len(added)),
            removed=ngettext(
                "%(num)d that no longer applies", "%(num)d that no longer apply", len(removed)
            ),
        )
    return _agenda_changed(meeting, notice)


@bp.route("/<int:meeting_id>/items", methods=["POST"])
@login_required
def add_item(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return not_now(meeting)
    # From meeting mode: the item on screen then (0: the end of the agenda).
    at = int_arg("run") if meeting.is_running else None
    form = AgendaItemForm(prefix="new-item" if at is not None else "")
    if not form.validate():
        if at is not None:
            return stage(meeting, at or None, status=400, forms={"item": form})
        return _agenda(meeting, form=form, status=400)
    item = AgendaItem.add(meeting, me(), form.kind.data, form.title.data, form.why.data)
    notice = _("“%(title)s” is on the agenda, at the end.", title=item.title)
    if at is not None:
        return stage_changed(meeting, at or None, notice)
    return _agenda_changed(meeting, notice, anchor=f"item-{item.id}")


@bp.route("/items/<int:item_id>/move", methods=["POST"])
@login_required
def move(item_id):
    item = access.agenda_item(item_id)
    meeting = item.meeting
    if meeting.is_done:
        return not_now(meeting)
    form = AgendaMoveForm()
    if not form.validate():
        return _agenda(meeting, status=400, notice=_("Choose up or down."))
    moved = item.move(me(), -1 if form.direction.data == "up" else 1)
    up = form.direction.data == "up"
    title = item.title
    if moved:
        notice = (
            _("“%(title)s” moved up.", title=title)
            if up
            else _("“%(title)s” moved down.", title=title)
        )
    else:
        notice = (
            _("“%(title)s” is first already.", title=title)
            if up
            else _("“%(title)s” is last already.", title=title)
        )
    return _agenda_changed(meeting, notice, anchor=f"item-{item.id}")


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete(item_id):
    item = access.agenda_item(item_id, own=True)
    meeting = item.meeting
    if meeting.is_done:
        return not_now(meeting)
    if request.method == "GET":
        return confirm_removal(
            item,
            section="agenda",
            what=item.title,
            question=_("Take this item off the agenda?"),
            button=_("Take it off"),
            action=url_for("meetings.delete", item_id=item.id),
            kept=_("The team’s history keeps what it said."),
            back=url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"),
            back_label=_("Meeting of %(day)s", day=meeting_title(meeting)),
        )
    if item.remove(me()):
        notice = _("“%(title)s” is off the agenda.", title=item.title)
    else:
        notice = _(
            "“%(title)s” was discussed already, so it stays in the minutes.", title=item.title
        )
    return _agenda_changed(meeting, notice)
