"""Meeting mode on the shared screen: who is here and the previous notes (and, for a
meeting planned for another day, whether to hold it today), then one item at a time
(block "stage"), with notes, tasks, review dates and proposals made and decided in
place; ending carries open items to the next meeting.
"""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from teamcase import access, conflicts
from teamcase.dates import day_text, local_today
from teamcase.meetings import bp, me, member_by_id, not_now, speakers
from teamcase.meetings.forms import (
    AgendaItemForm,
    AgendaNotesForm,
    AttendanceForm,
    MeetingProposalForm,
    MeetingTaskForm,
    ReviewDateForm,
)
from teamcase.meetings.person_card import person_records
from teamcase.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingFlag,
    Referral,
)
from teamcase.web import is_htmx_partial, redirect_for_htmx, render, see_other


def _decisions_on(meeting, item) -> list:
    """The proposals decided on this item: the item's own, or for a person those
    made about them at this meeting (adopted ones too: the decision shows there)."""
    if item.decision_id:
        found = [access.team_record(Decision, item.decision_id)]
    elif item.is_person:
        found = list(
            Decision.select()
            .where(Decision.meeting == meeting.id, Decision.client == item.client_id)
            .order_by(Decision.proposed_at, Decision.id)
        )
    else:
        found = []
    for decision in found:
        decision.team = meeting.team
    return found


def _decision_blocks(decisions, item, states) -> list[Markup]:
    """The decisions area's own "process" block for each proposal, with its forms:
    the team decides it here as it would on the decision's page, and every form
    comes back here (`at_item`). `states`: a block sent back with an error, by id."""
    from teamcase.meetings.decisions import decision_context

    return [
        Markup(
            render_block(
                "decisions/show.html",
                "process",
                **decision_context(d, at_item=item, **states.get(d.id, {})),
            )
        )
        for d in decisions
    ]


def _can_propose(item, on_item) -> bool:
    """One open proposal at a time on an item: it is decided before the next one is
    made (an item not about a person carries one proposal)."""
    if item.is_person:
        return not any(d.is_open for d in on_item)
    return not item.decision_id


def stage_context(
    meeting,
    item_id: int | None,
    forms=None,
    notice=None,
    conflict=None,
    where=None,
    decisions=None,
) -> dict:
    """Meeting mode: the list of items and the one on screen (None: the end), with
    the forms the note-taker uses. `forms` are forms sent back with errors, by name;
    `notice` says what was saved, next to the form it was saved with (`where`);
    `decisions` a decision's block sent back with an error, by the decision's id.

    A fixed number of queries whatever the length of the agenda."""
    forms = forms or {}
    items = list(meeting.agenda())
    index = next((n for n, i in enumerate(items) if i.id == item_id), None)
    item = items[index] if index is not None else None
    if item_id is not None and item is None:
        abort(404)
    present = meeting.present()
    context = {
        "meeting": meeting,
        "items": items,
        "item": item,
        "number": index + 1 if item else None,
        "previous_item": items[index - 1] if item and index > 0 else None,
        "next_item": items[index + 1] if item and index + 1 < len(items) else None,
        "present": present,
        "notice": notice,
        "notice_where": where,
        "conflict": conflict,
        "item_form": forms.get("item") or AgendaItemForm(formdata=None, prefix="new-item"),
        "open_count": sum(1 for i in items if i.is_open),
    }
    if item is None:
        context.update(following=Meeting.planned_for(meeting.team_id), rhythm=Meeting.RHYTHM)
        return context
    notes_form = forms.get("notes") or AgendaNotesForm(formdata=None, obj=item, prefix="notes")
    on_item = _decisions_on(meeting, item)
    can_propose = _can_propose(item, on_item)
    context.update(
        notes_form=notes_form,
        task_form=forms.get("task")
        or MeetingTaskForm(formdata=None, prefix="task").offer_members(present),
        tasks=list(item.tasks()),
        person=None,
        decision_blocks=_decision_blocks(on_item, item, decisions or {}),
        propose_form=(
            forms.get("propose")
            or MeetingProposalForm(
                formdata=None,
                prefix="propose",
                # A member's own "proposal" item: its words are the start of one.
                data={"proposal": str(item.title), "purpose": str(item.why)}
                if item.kind == "proposal"
                else None,
            ).offer_members(speakers(meeting), me().id)
        )
        if can_propose
        else None,
    )
    if item.is_person:
        record = person_records([item.client_id])[item.client_id]
        review_on = item.client.review_on
        # The date the person came on the agenda for has come: the team is asked
        # for the next one while it talks about them (the form starts empty).
        review_due = bool(item.is_open and review_on and review_on <= meeting.held_on)
        context.update(
            person=item.client,
            record=record,
            flags=MeetingFlag.open_for(item.client_id),
            review_due=review_due,
            review_form=forms.get("review")
            or ReviewDateForm(
                formdata=None,
                prefix="review",
                data={"review_on": None if review_due else review_on},
            ),
        )
    elif item.referral_id:
        context["referral"] = Referral.get_or_none(Referral.id == item.referral_id)
    return context


def stage(meeting, item_id, status=200, **kwargs):
    return render(
        "meetings/run.html",
        block="stage",
        status=status,
        **stage_context(meeting, item_id, **kwargs),
    )


def stage_changed(meeting, item_id, notice: str, where=None):
    """The item again after a change: in place for htmx, else back to its page (at
    the form it was saved with)."""
    if is_htmx_partial():
        return stage(meeting, item_id, notice=notice, where=where)
    flash(notice, "success")
    if item_id is None:
        return see_other("meetings.end", meeting_id=meeting.id)
    return see_other("meetings.run_item", meeting_id=meeting.id, item_id=item_id, _anchor=where)


def _attendance_form(meeting, members, formdata=None):
    form = AttendanceForm(formdata=formdata).offer_members(members)
    if formdata is None:
        form.present.data = [m.id for m in meeting.present()]
        form.accept_previous.data = meeting.previous_accepted_at is not None
    return form


def _start_page(meeting, members, form, status=200, other_day=False):
    items = list(meeting.agenda())
    by_id = {m.id: m for m in members}
    return render(
        "meetings/run.html",
        status=status,
        meeting=meeting,
        items=items,
        item=None,
        start=True,
        form=form,
        previous=meeting.previous(),
        facilitator=member_by_id(meeting.facilitator_id, by_id),
        note_taker=member_by_id(meeting.note_taker_id, by_id),
        open_count=sum(1 for i in items if i.is_open),
        other_day=other_day,
        today=local_today(),
    )


@bp.route("/<int:meeting_id>/run", methods=["GET", "POST"])
@login_required
def run(meeting_id):
    """Who is here and the previous notes; sending them starts a planned meeting.
    (The same address for both: a form sent back with an error can be reloaded.)"""
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        if request.method == "POST":
            return not_now(meeting)
        return see_other("meetings.minutes", meeting_id=meeting.id)
    members = list(meeting.team.active_members())
    if request.method == "GET":
        return _start_page(meeting, members, _attendance_form(meeting, members))
    form = _attendance_form(meeting, members, formdata=request.form)
    if not form.validate():
        return _start_page(meeting, members, form, status=400)
    chosen = set(form.present.data)
    everyone, members = members, [m for m in members if m.id in chosen]
    was_planned = meeting.is_planned
    today = local_today()
    planned_for = meeting.held_on
    if was_planned and planned_for != today and request.form.get("other_day") != "y":
        # Planned for another day: say so first; the ticks stay for the answer.
        return _start_page(meeting, everyone, form, other_day=True)
    if not meeting.record_attendance(
        me(), members, bool(form.accept_previous.data), held_on=today if was_planned else None
    ):
        return not_now(Meeting.get_by_id(meeting.id))
    if was_planned and planned_for != today:
        flash(
            ngettext(
                "The meeting has started, with %(num)d here. It was planned for %(day)s; "
                "its minutes say today.",
                "The meeting has started, with %(num)d here. It was planned for %(day)s; "
                "its minutes say today.",
                len(members),
                day=day_text(planned_for),
            ),
            "success",
        )
    elif was_planned:
        flash(
            ngettext(
                "The meeting has started, with %(num)d here.",
                "The meeting has started, with %(num)d here.",
                len(members),
            ),
            "success",
        )
    else:
        flash(_("Saved who is here."), "success")
    first = (
        AgendaItem.select(AgendaItem.id)
        .where(AgendaItem.meeting == meeting)
        .order_by(AgendaItem.status != AgendaItem.OPEN, AgendaItem.position, AgendaItem.id)
        .first()
    )
    if first is None:
        return see_other("meetings.end", meeting_id=meeting.id)
    return see_other("meetings.run_item", meeting_id=meeting.id, item_id=first.id)


@bp.route("/<int:meeting_id>/run/<int:item_id>")
@login_required
def run_item(meeting_id, item_id):
    meeting = access.team_record(Meeting, meeting_id)
    if not meeting.is_running:
        if meeting.is_done:
            return see_other("meetings.minutes", meeting_id=meeting.id)
        return not_now(meeting)
    return stage(meeting, item_id)


def _running_item(item_id: int):
    """The item and its meeting, or the answer to give when the meeting is not running."""
    item = access.agenda_item(item_id)
    if not item.meeting.is_running:
        return item, not_now(item.meeting)
    return item, None


@bp.route("/items/<int:item_id>/notes", methods=["POST"])
@login_required
def notes(item_id):
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    form = AgendaNotesForm(prefix="notes")
    if not form.validate():
        return stage(meeting, item.id, status=400, forms={"notes": form})
    if item.write_notes(me(), form.version_read(), form.notes.data):
        return stage_changed(meeting, item.id, _("Notes saved."), where="notes")
    # A colleague saved first: both texts on screen, theirs saved, ours still typed.
    conflict = conflicts.conflict(item, form, "notes for this item")
    return stage(meeting, item.id, status=409, forms={"notes": form}, conflict=conflict)


@bp.route("/items/<int:item_id>/tasks", methods=["POST"])
@login_required
def add_task(item_id):
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    present = meeting.present()
    form = MeetingTaskForm(prefix="task").offer_members(present)
    form.keep_day = None
    if not form.validate():
        return stage(meeting, item.id, status=400, forms={"task": form})
    member = next(m for m in present if m.id == form.claimed_by.data)
    task = item.add_task(me(), form.title.data, member, form.due_on.data)
    return stage_changed(
        meeting,
        item.id,
        _("On the board: “%(title)s”, %(name)s has it.", title=task.title, name=member.first_name),
        "tasks",
    )


@bp.route("/items/<int:item_id>/propose", methods=["POST"])
@login_required
def propose(item_id):
    """A proposal made on the item on screen, about its person if it is one; the
    team then decides it in place."""
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    members = speakers(meeting)
    form = MeetingProposalForm(prefix="propose").offer_members(members, me().id)
    if not _can_propose(item, _decisions_on(meeting, item)):
        notice = _("A proposal is open on this item: decide it first, then propose the next.")
        return stage(meeting, item.id, status=409, notice=notice, where="decisions")
    if not form.validate():
        return stage(meeting, item.id, status=400, forms={"propose": form})
    proposer = next(m for m in members if m.id == form.member.data)
    Decision.propose(
        meeting.team,
        me(),
        form.proposal.data,
        form.purpose.data,
        client=item.client_id,
        meeting=meeting,
        proposer=proposer,
        on_item=item,
    )
    return stage_changed(
        meeting,
        item.id,
        _(
            "%(name)s’s proposal is on the screen. Take clarifying questions, "
            "then reactions, then ask: does anyone object?",
            name=proposer.first_name,
        ),
        where="decisions",
    )


@bp.route("/items/<int:item_id>/review", methods=["POST"])
@login_required
def review(item_id):
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    if not item.is_person:
        return stage(meeting, item.id, status=400, notice=_("Only a person has a review date."))
    form = ReviewDateForm(prefix="review")
    form.keep_day = item.client.review_on
    if not form.validate():
        return stage(meeting, item.id, status=400, forms={"review": form})
    # Asked for at the top of the item when the date had come: answered there too.
    was_due = item.client.review_on is not None and item.client.review_on <= meeting.held_on
    item.client.set_review_date(me(), form.day())
    name = item.client.first_name
    notice = (
        _("%(name)s comes back on the agenda from %(day)s.", name=name, day=day_text(form.day()))
        if form.day()
        else _("%(name)s has no review date now.", name=name)
    )
    return stage_changed(meeting, item.id, notice, where=None if was_due else "review")


@bp.route("/items/<int:item_id>/discussed", methods=["POST"])
@login_required
def discussed(item_id):
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    if item.mark_discussed(me()):
        notice = _("“%(title)s” discussed.", title=item.title)
    else:
        last = item.last_event("discuss")
        notice = (
            _("%(name)s marked “%(title)s” discussed.", name=last.actor.name, title=item.title)
            if last
            else _("A colleague marked “%(title)s” discussed.", title=item.title)
        )
    following = (
        AgendaItem.select(AgendaItem.id)
        .where(
            AgendaItem.meeting == meeting,
            AgendaItem.status == AgendaItem.OPEN,
            AgendaItem.id != item.id,
        )
        .order_by(AgendaItem.position < item.position, AgendaItem.position, AgendaItem.id)
        .first()
    )
    next_id = following.id if following else None
    if is_htmx_partial() and next_id is not None:
        body, status = stage(meeting, next_id, notice=notice)
        url = url_for("meetings.run_item", meeting_id=meeting.id, item_id=next_id)
        return body, status, {"HX-Push-Url": url}
    if is_htmx_partial():
        flash(notice, "success")
        return redirect_for_htmx("meetings.end", meeting_id=meeting.id)
    return stage_changed(meeting, next_id, notice)


def _ended_already(last) -> str:
    if last is None:
        return _("A colleague ended this meeting already.")
    return _("%(name)s ended this meeting already.", name=last.actor.name)


@bp.route("/<int:meeting_id>/end", methods=["GET", "POST"])
@login_required
def end(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if not meeting.is_running:
        if meeting.is_done and request.method == "POST":
            last = meeting.last_event("end")
            flash(_ended_already(last), "info")
        return (
            see_other("meetings.minutes", meeting_id=meeting.id)
            if meeting.is_done
            else not_now(meeting)
        )
    if request.method == "POST":
        ended = meeting.end(me())
        if ended is None:
            last = meeting.last_event("end")
            flash(_ended_already(last), "info")
        else:
            following, carried = ended
            if carried:
                flash(
                    ngettext(
                        "The meeting has ended. %(num)d open item goes to the meeting of %(day)s.",
                        "The meeting has ended. %(num)d open items go to the meeting of %(day)s.",
                        carried,
                        day=day_text(following.held_on),
                    ),
                    "success",
                )
            else:
                flash(_("The meeting has ended. Here are its minutes."), "success")
        return see_other("meetings.minutes", meeting_id=meeting.id)
    return stage(meeting, None)
