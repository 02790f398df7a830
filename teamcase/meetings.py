"""Team meetings: an agenda built from the caseload, meeting mode for the shared
screen, the minutes the app writes, and the meeting pack.

  GET      /meetings/                          the next meeting (or plan it), past ones
  GET/POST /meetings/new                       plan the next meeting
  GET      /meetings/<id>                      its agenda, built from the caseload when opened
  GET/POST /meetings/<id>/edit                 date, time, place, facilitator, note-taker
  POST     /meetings/<id>/refresh              build the agenda again now
  POST     /meetings/<id>/items                a member's own item (?run=<item id> in meeting mode)
  POST     /meetings/items/<item_id>/move      one place up or down
  POST     /meetings/items/<item_id>/delete    take an item one added off again
  GET/POST /meetings/<id>/run                  meeting mode, first step: who is here and
                                               the previous notes; sending it starts it
  GET      /meetings/<id>/run/<item_id>        meeting mode: one item (block "stage")
  POST     /meetings/items/<item_id>/notes     the notes of an item (versioned)
  POST     /meetings/items/<item_id>/tasks     a task for the board, taken on by someone here
  POST     /meetings/items/<item_id>/review    the person's next review date
  POST     /meetings/items/<item_id>/discussed and on to the next item
  GET/POST /meetings/<id>/end                  end it: open items go to the next meeting
  GET      /meetings/<id>/minutes              written by the app
  GET      /meetings/<id>/pack.pdf             agenda, a page per person, decisions;
                                               ?pseudonymised=1 to take out of the office
  GET/POST /meetings/people/<client_id>/flag   "flag for the meeting", from the person's page
  GET/POST /meetings/people/<client_id>/review the person's review date, from their page

Meetings hold people's details, so only the team's members reach them: a linked
coach gets 403 (the decisions log is what they may read), everyone else 404.
In meeting mode every form answers an htmx request with the "stage" block (the
list of items and the item on screen) and a plain form with a 303 back to the item.
"""

import datetime as dt
import re
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from peewee import JOIN, IntegrityError, fn

from teamcase import access
from teamcase.forms import (
    AgendaItemForm,
    AgendaMoveForm,
    AgendaNotesForm,
    AttendanceForm,
    FlagForm,
    MeetingPlanForm,
    MeetingTaskForm,
    ReviewDateForm,
)
from teamcase.models import (
    AgendaItem,
    Client,
    Contact,
    Decision,
    Goal,
    Meeting,
    MeetingFlag,
    NetworkMember,
    Referral,
    Strength,
    User,
)
from teamcase.web import is_htmx_partial, local_now, render, see_other

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

RECENT_CONTACTS = 3


def _user() -> User:
    return current_user._get_current_object()


def day_text(day: dt.date | None) -> str:
    """'Tuesday 14 April', with the year when it is not this year's."""
    if day is None:
        return ""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == local_now().year else f"{text} {day.year}"


def meeting_title(meeting) -> str:
    when = day_text(meeting.held_on)
    if meeting.starts_at:
        when += f", {meeting.starts_at:%H:%M}"
    return when


@bp.app_template_filter("meeting_day")
def _meeting_day_filter(day):
    return day_text(day)


def _redirect_for_htmx(endpoint: str, **values):
    """A plain 303, or for an htmx request an instruction to go there (a redirect
    would be swapped into the part of the page the request was for)."""
    if is_htmx_partial():
        return "", 200, {"HX-Location": url_for(endpoint, **values)}
    return see_other(endpoint, **values)


def _not_now(meeting):
    """The answer to a change the meeting's state does not allow: before it
    started, meeting mode begins with who is here; once ended, nothing changes."""
    if meeting.is_done:
        flash("This meeting has ended: its minutes no longer change.", "info")
        return _redirect_for_htmx("meetings.minutes", meeting_id=meeting.id)
    flash("Start the meeting first: tick who is here.", "info")
    return _redirect_for_htmx("meetings.run", meeting_id=meeting.id)


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
            flash("The next meeting is planned already. Here is its agenda.", "info")
            return see_other("meetings.show", meeting_id=planned.id)
        _plan_defaults(form, team, members)
    elif form.validate():
        try:
            meeting = Meeting.plan(team, _user(), **form.values())
        except IntegrityError:
            # A colleague planned it first, perhaps at this very moment.
            conflict = Meeting.planned_for(team)
            if conflict is None:
                raise
        else:
            flash(
                f"The meeting of {meeting_title(meeting)} is planned. "
                "Its agenda fills itself from the caseload.",
                "success",
            )
            return see_other("meetings.show", meeting_id=meeting.id)
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        "meetings/new.html",
        form=form,
        conflict=conflict,
        suggested=Meeting(team=team, held_on=local_now().date()).suggestions(members),
        members=members,
        status=status,
    )


# The agenda


def agenda_context(meeting, form=None, notice=None) -> dict:
    """Everything the agenda page and its "agenda" block need, in a fixed number
    of queries however long the agenda is."""
    items = list(meeting.agenda())
    members = Meeting.rotation(meeting.team)
    by_id = {m.id: m for m in members}
    return {
        "meeting": meeting,
        "items": items,
        "flags": MeetingFlag.for_people({i.client_id for i in items if i.is_person}),
        "members": members,
        "facilitator": _member(meeting.facilitator_id, by_id),
        "note_taker": _member(meeting.note_taker_id, by_id),
        "suggested": meeting.suggestions(members),
        "previous": meeting.previous(),
        "form": form or AgendaItemForm(formdata=None),
        "notice": notice,
        "me": _user(),
    }


def _member(user_id, by_id):
    """A member by id from the active members already read; a former member is read."""
    if user_id is None:
        return None
    return by_id.get(user_id) or User.get_by_id(user_id)


def _agenda(meeting, form=None, notice=None, status=200):
    return render(
        "meetings/show.html",
        block="agenda",
        status=status,
        **agenda_context(meeting, form=form, notice=notice),
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
    meeting.build_agenda(_user())
    return _agenda(meeting)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return _not_now(meeting)
    members = Meeting.rotation(meeting.team)
    form = MeetingPlanForm(obj=meeting if request.method == "GET" else None)
    form.offer_members(members)
    form.keep_day = meeting.held_on
    back = "run" if request.args.get("from") == "run" else "show"
    conflict = None
    if request.method == "GET":
        form.facilitator.data = meeting.facilitator_id or 0
        form.note_taker.data = meeting.note_taker_id or 0
        form.version.data = meeting.version
    elif form.validate():
        if meeting.change(_user(), form.version_read(), **form.values()):
            flash("Saved.", "success")
            return see_other(f"meetings.{back}", meeting_id=meeting.id)
        fresh = Meeting.get_by_id(meeting.id)
        if fresh.is_done:
            return _not_now(fresh)
        last = meeting.last_event("update", "create")
        conflict = {
            "by": last.actor.name if last else "A colleague",
            "at": last.at if last else None,
        }
        form.version.data = fresh.version
        meeting = fresh
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        "meetings/edit.html",
        meeting=meeting,
        form=form,
        conflict=conflict,
        back=back,
        suggested=meeting.suggestions(members),
        members=members,
        status=status,
    )


@bp.route("/<int:meeting_id>/refresh", methods=["POST"])
@login_required
def refresh(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return _not_now(meeting)
    if meeting.is_running:
        return _agenda_changed(
            meeting, "The agenda of a running meeting stays as it is: add what comes up."
        )
    added, removed = meeting.build_agenda(_user())
    if not added and not removed:
        notice = "The agenda was up to date."
    else:
        parts = []
        if added:
            parts.append(f"{len(added)} added")
        if removed:
            parts.append(f"{len(removed)} that no longer apply taken off")
        notice = f"Agenda brought up to date: {' and '.join(parts)}."
    return _agenda_changed(meeting, notice)


@bp.route("/<int:meeting_id>/items", methods=["POST"])
@login_required
def add_item(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        return _not_now(meeting)
    # From meeting mode: the item on screen then (0: the end of the agenda).
    at = _int_arg("run") if meeting.is_running else None
    form = AgendaItemForm(prefix="new-item" if at is not None else "")
    if not form.validate():
        if at is not None:
            return _stage(meeting, at or None, status=400, forms={"item": form})
        return _agenda(meeting, form=form, status=400)
    item = AgendaItem.add(meeting, _user(), form.kind.data, form.title.data, form.why.data)
    notice = f"“{item.title}” is on the agenda, at the end."
    if at is not None:
        return _stage_changed(meeting, at or None, notice)
    return _agenda_changed(meeting, notice, anchor=f"item-{item.id}")


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/items/<int:item_id>/move", methods=["POST"])
@login_required
def move(item_id):
    item = access.agenda_item(item_id)
    meeting = item.meeting
    if meeting.is_done:
        return _not_now(meeting)
    form = AgendaMoveForm()
    if not form.validate():
        return _agenda(meeting, status=400, notice="Choose up or down.")
    moved = item.move(_user(), -1 if form.direction.data == "up" else 1)
    notice = (
        f"“{item.title}” moved {form.direction.data}."
        if moved
        else (f"“{item.title}” is {'first' if form.direction.data == 'up' else 'last'} already.")
    )
    return _agenda_changed(meeting, notice, anchor=f"item-{item.id}")


@bp.route("/items/<int:item_id>/delete", methods=["POST"])
@login_required
def delete(item_id):
    item = access.agenda_item(item_id, own=True)
    meeting = item.meeting
    if meeting.is_done:
        return _not_now(meeting)
    if item.remove(_user()):
        notice = f"“{item.title}” is off the agenda."
    else:
        notice = f"“{item.title}” was discussed already, so it stays in the minutes."
    return _agenda_changed(meeting, notice)


# Meeting mode


def person_records(client_ids) -> dict[int, dict]:
    """Strengths, current network, active goals and the last contacts of each person,
    in four queries whatever the number of people: meeting mode shows one person,
    the meeting pack a page for each."""
    ids = sorted(set(client_ids))
    records = {i: {"strengths": [], "network": [], "goals": [], "contacts": []} for i in ids}
    if not ids:
        return records
    for strength in Strength.select().where(Strength.client.in_(ids)).order_by(Strength.id):
        records[strength.client_id]["strengths"].append(strength)
    for member in (
        NetworkMember.select()
        .where(NetworkMember.client.in_(ids), NetworkMember.until.is_null())
        .order_by(NetworkMember.relation, NetworkMember.name)
    ):
        records[member.client_id]["network"].append(member)
    for goal in (
        Goal.select()
        .where(Goal.client.in_(ids), Goal.status == "active")
        .order_by(Goal.review_on.asc(nulls="last"), Goal.id)
    ):
        records[goal.client_id]["goals"].append(goal)
    newest = fn.ROW_NUMBER().over(
        partition_by=[Contact.client], order_by=[Contact.happened_at.desc(), Contact.id.desc()]
    )
    ranked = (
        Contact.select(Contact.id, newest.alias("newest"))
        .where(Contact.client.in_(ids))
        .alias("ranked")
    )
    for contact in (
        Contact.select(Contact, User.id, User.name)
        .join(ranked, on=(Contact.id == ranked.c.id))
        .switch(Contact)
        .join(User, on=(Contact.author == User.id))
        .where(ranked.c.newest <= RECENT_CONTACTS)
        .order_by(Contact.happened_at.desc(), Contact.id.desc())
    ):
        records[contact.client_id]["contacts"].append(contact)
    return records


def _decision_block(decision_id: int) -> Markup:
    """The decisions area's own "process" block for a proposal on the agenda, with
    its forms: the team decides it here as it would on the decision's page."""
    from teamcase.decisions import decision_context

    decision = access.team_record(Decision, decision_id)
    return Markup(render_block("decisions/show.html", "process", **decision_context(decision)))


def stage_context(
    meeting, item_id: int | None, forms=None, notice=None, conflict=None, where=None
) -> dict:
    """Meeting mode: the list of items and the one on screen (None: the end), with
    the forms the note-taker uses. `forms` are forms sent back with errors, by name;
    `notice` says what was saved, next to the form it was saved with (`where`).

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
    notes_form = forms.get("notes") or AgendaNotesForm(
        formdata=None, prefix="notes", data={"notes": item.notes}
    )
    if "notes" not in forms:
        notes_form.version.data = item.version
    context.update(
        notes_form=notes_form,
        task_form=forms.get("task")
        or MeetingTaskForm(formdata=None, prefix="task").offer_members(present),
        tasks=list(item.tasks()),
        person=None,
        decision_block=_decision_block(item.decision_id) if item.decision_id else None,
    )
    if item.is_person:
        record = person_records([item.client_id])[item.client_id]
        context.update(
            person=item.client,
            record=record,
            flags=MeetingFlag.open_for(item.client_id),
            review_form=forms.get("review")
            or ReviewDateForm(
                formdata=None, prefix="review", data={"review_on": item.client.review_on}
            ),
        )
    elif item.referral_id:
        context["referral"] = Referral.get_or_none(Referral.id == item.referral_id)
    return context


def _stage(meeting, item_id, status=200, **kwargs):
    return render(
        "meetings/run.html",
        block="stage",
        status=status,
        **stage_context(meeting, item_id, **kwargs),
    )


def _stage_changed(meeting, item_id, notice: str, where=None):
    """The item again after a change: in place for htmx, else back to its page (at
    the form it was saved with)."""
    if is_htmx_partial():
        return _stage(meeting, item_id, notice=notice, where=where)
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


def _start_page(meeting, members, form, status=200):
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
        facilitator=_member(meeting.facilitator_id, by_id),
        note_taker=_member(meeting.note_taker_id, by_id),
        open_count=sum(1 for i in items if i.is_open),
    )


@bp.route("/<int:meeting_id>/run", methods=["GET", "POST"])
@login_required
def run(meeting_id):
    """Who is here and the previous notes; sending them starts a planned meeting.
    (The same address for both: a form sent back with an error can be reloaded.)"""
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        if request.method == "POST":
            return _not_now(meeting)
        return see_other("meetings.minutes", meeting_id=meeting.id)
    members = list(meeting.team.active_members())
    if request.method == "GET":
        return _start_page(meeting, members, _attendance_form(meeting, members))
    form = _attendance_form(meeting, members, formdata=request.form)
    if not form.validate():
        return _start_page(meeting, members, form, status=400)
    chosen = set(form.present.data)
    members = [m for m in members if m.id in chosen]
    was_planned = meeting.is_planned
    if not meeting.record_attendance(_user(), members, bool(form.accept_previous.data)):
        return _not_now(Meeting.get_by_id(meeting.id))
    if was_planned:
        flash(f"The meeting has started, with {len(members)} here.", "success")
    else:
        flash("Saved who is here.", "success")
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
        return _not_now(meeting)
    return _stage(meeting, item_id)


def _running_item(item_id: int):
    """The item and its meeting, or the answer to give when the meeting is not running."""
    item = access.agenda_item(item_id)
    if not item.meeting.is_running:
        return item, _not_now(item.meeting)
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
        return _stage(meeting, item.id, status=400, forms={"notes": form})
    if item.write_notes(_user(), form.version_read(), form.notes.data):
        return _stage_changed(meeting, item.id, "Notes saved.", where="notes")
    # A colleague saved first: both texts on screen, theirs saved, ours still typed.
    fresh = AgendaItem.get_by_id(item.id)
    last = fresh.last_event("update")
    form.version.data = fresh.version
    conflict = {
        "by": last.actor.name if last else "A colleague",
        "at": last.at if last else None,
        "saved": fresh.notes,
    }
    return _stage(meeting, item.id, status=409, forms={"notes": form}, conflict=conflict)


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
        return _stage(meeting, item.id, status=400, forms={"task": form})
    member = next(m for m in present if m.id == form.claimed_by.data)
    task = item.add_task(_user(), form.title.data, member, form.due_on.data)
    return _stage_changed(
        meeting, item.id, f"On the board: “{task.title}”, {member.first_name} has it.", "tasks"
    )


@bp.route("/items/<int:item_id>/review", methods=["POST"])
@login_required
def review(item_id):
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    if not item.is_person:
        return _stage(meeting, item.id, status=400, notice="Only a person has a review date.")
    form = ReviewDateForm(prefix="review")
    form.keep_day = item.client.review_on
    if not form.validate():
        return _stage(meeting, item.id, status=400, forms={"review": form})
    item.client.set_review_date(_user(), form.day())
    name = item.client.preferred_name or item.client.name.split(" ")[0]
    notice = (
        f"{name} comes back on the agenda from {day_text(form.day())}."
        if form.day()
        else f"{name} has no review date now."
    )
    return _stage_changed(meeting, item.id, notice, where="review")


@bp.route("/items/<int:item_id>/discussed", methods=["POST"])
@login_required
def discussed(item_id):
    item, refused = _running_item(item_id)
    if refused:
        return refused
    meeting = item.meeting
    if item.mark_discussed(_user()):
        notice = f"“{item.title}” discussed."
    else:
        last = item.last_event("discuss")
        notice = f"{last.actor.name if last else 'A colleague'} marked “{item.title}” discussed."
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
        body, status = _stage(meeting, next_id, notice=notice)
        url = url_for("meetings.run_item", meeting_id=meeting.id, item_id=next_id)
        return body, status, {"HX-Push-Url": url}
    if is_htmx_partial():
        flash(notice, "success")
        return _redirect_for_htmx("meetings.end", meeting_id=meeting.id)
    return _stage_changed(meeting, next_id, notice)


@bp.route("/<int:meeting_id>/end", methods=["GET", "POST"])
@login_required
def end(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    if not meeting.is_running:
        if meeting.is_done and request.method == "POST":
            last = meeting.last_event("end")
            who = last.actor.name if last else "A colleague"
            flash(f"{who} ended this meeting already.", "info")
        return (
            see_other("meetings.minutes", meeting_id=meeting.id)
            if meeting.is_done
            else _not_now(meeting)
        )
    if request.method == "POST":
        ended = meeting.end(_user())
        if ended is None:
            last = meeting.last_event("end")
            who = last.actor.name if last else "A colleague"
            flash(f"{who} ended this meeting already.", "info")
        else:
            following, carried = ended
            if carried:
                flash(
                    f"The meeting has ended. {carried} open "
                    f"{'item goes' if carried == 1 else 'items go'} to the meeting of "
                    f"{day_text(following.held_on)}.",
                    "success",
                )
            else:
                flash("The meeting has ended. Here are its minutes.", "success")
        return see_other("meetings.minutes", meeting_id=meeting.id)
    return _stage(meeting, None)


# Afterwards: the minutes and the meeting pack


def _decided_at(meeting, items):
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
        .where(_decided_at(meeting, items))
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


PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "el", "al", "la", "du"}
# Capitalised words in names that are no name: "Mrs", "The" in "The Boomgaard"…
NOT_NAMES = {"The", "And", "Mrs", "Mr", "Dr", "Mevrouw", "Meneer", "Buurvrouw", "Buurman"}
# Relations whose entries are people, whose first or last name alone says who they are.
PEOPLE_RELATIONS = {"family", "friend", "neighbour", "colleague"}


def _name_words(*names: str) -> set[str]:
    """The words of people's names that identify them alone: capitalised (so the
    match, which minds case, leaves ordinary words alone), not a particle."""
    words = set()
    for name in names:
        for word in re.findall(r"[^\W\d_][\w’'-]*", name or ""):
            named = word[0].isupper() and word not in NOT_NAMES
            if named and len(word) > 2 and word.casefold() not in PARTICLES:
                words.add(word)
    return words


def _initials(name: str) -> str:
    return "".join(f"{w[0].upper()}." for w in name.split() if w[:1].isalpha()) or "?"


PHONE = re.compile(r"(?<!\w)\+?\d[\d\s-]{6,}\d(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Pseudonymiser:
    """Takes names, phone numbers and email addresses out of the text of the
    pseudonymised pack: a person of the agenda becomes their initials and number
    (`Client.pseudonym`), someone in a network their relation, a referred person
    their initials. Whole names first, then their single words. The team's own
    members (`keep`) stay named: "Ingrid Smit has it" keeps Ingrid Smit even when a
    person on the agenda is called Smit."""

    def __init__(self, people, networks: dict[int, list], referrals=(), keep=()):
        self.keep = sorted({name for name in keep if name}, key=len, reverse=True)
        self.replacements: dict[str, str] = {}
        for person in people:
            self._add(person.pseudonym, person.name, person.preferred_name)
        for members in networks.values():
            for member in members:
                # An organisation (the GP practice, a choir) by its whole name only:
                # the words of "Wijkcentrum De Zomer" are ordinary words too.
                self._add(
                    f"[{member.relation_label.lower()}]",
                    member.name,
                    words=member.relation in PEOPLE_RELATIONS,
                )
        for referral in referrals:
            self._add(_initials(referral.person_name), referral.person_name)
        words = sorted(self.replacements, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
            if words
            else None
        )

    def _add(self, replacement: str, *names: str, words: bool = True):
        for name in names:
            if name and name.strip():
                self.replacements.setdefault(name.strip(), replacement)
        for word in _name_words(*names) if words else ():
            self.replacements.setdefault(word, replacement)

    def __call__(self, text: str) -> str:
        text = EMAIL.sub("[email]", PHONE.sub("[phone]", text or ""))
        if self.pattern is None:
            return text
        # Members' names are set aside (as \0n\0) while the rest is replaced.
        for n, name in enumerate(self.keep):
            text = text.replace(name, f"\0{n}\0")
        text = self.pattern.sub(lambda m: self.replacements[m.group(0)], text)
        return re.sub(r"\0(\d+)\0", lambda m: self.keep[int(m.group(1))], text)


def pack_context(meeting, pseudonymised: bool) -> dict:
    """The agenda, a page for each person on it (what they can do, who is around
    them, their goals, the last contacts and why they are on the agenda, with the
    meeting's notes once there are some) and the meeting's decisions."""
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
        .where(_decided_at(meeting, items))
        .order_by(Decision.proposed_at, Decision.id)
    )
    referrals = list(
        Referral.select(Referral.id, Referral.person_name).where(
            Referral.id.in_([i.referral_id for i in items if i.referral_id] or [0])
        )
    )
    if pseudonymised:
        members = User.select(User.name).where(User.team == meeting.team_id)
        clean = Pseudonymiser(
            people.values(),
            {i: r["network"] for i, r in records.items()},
            referrals,
            keep=[m.name for m in members],
        )
    else:

        def clean(text):
            return text or ""

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
        "pseudonymised": pseudonymised,
        "clean": clean,
        "name_of": (lambda p: p.pseudonym) if pseudonymised else (lambda p: p.name),
        "printed_on": today,
        "title": meeting_title(meeting),
        "today": today,
    }


def render_pack(meeting, pseudonymised: bool) -> bytes:
    # Imported here: WeasyPrint takes half a second to import, and only this needs it.
    from weasyprint import HTML

    from teamcase.paths import STATIC
    from teamcase.reports import static_only_fetcher

    html = render_template("meetings/pack.html", **pack_context(meeting, pseudonymised))
    return HTML(string=html, base_url=str(STATIC), url_fetcher=static_only_fetcher()).write_pdf()


@bp.route("/<int:meeting_id>/pack.pdf")
@login_required
def pack(meeting_id):
    meeting = access.team_record(Meeting, meeting_id)
    pseudonymised = request.args.get("pseudonymised") == "1"
    body = render_pack(meeting, pseudonymised)
    meeting.printed(_user(), pseudonymised)
    stem = f"meeting-{meeting.held_on.isoformat()}{'-pseudonymised' if pseudonymised else ''}"
    response = Response(body, mimetype="application/pdf")
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=f"{stem}.pdf",
        **{"filename*": f"UTF-8''{quote(stem)}.pdf"},
    )
    return response


# From the person's page: flag for the meeting, the review date


def card_context(client, flag_form=None, review_form=None, notice=None) -> dict:
    return {
        "client": client,
        "today": local_now().date(),
        "meeting_flags": MeetingFlag.open_for(client),
        "flag_form": flag_form,
        "review_form": review_form,
        "notice": notice,
    }


def _card(client, status=200, **forms):
    return render(
        "meetings/person.html", block="card", status=status, **card_context(client, **forms)
    )


def _card_changed(client, notice: str):
    if is_htmx_partial():
        return _card(client, notice=notice)
    flash(notice, "success")
    return see_other("clients.show", client_id=client.id, _anchor="meeting-card")


@bp.route("/people/<int:client_id>/flag", methods=["GET", "POST"])
@login_required
def flag(client_id):
    client = access.client(client_id)
    form = FlagForm(prefix="flag")
    if request.method == "POST":
        if not form.validate():
            return _card(client, status=400, flag_form=form)
        client.flag_for_meeting(_user(), form.reason.data)
        return _card_changed(
            client, f"{client.name} is flagged for the next meeting; the agenda shows why."
        )
    return _card(client, flag_form=form)


@bp.route("/people/<int:client_id>/review", methods=["GET", "POST"])
@login_required
def review_date(client_id):
    client = access.client(client_id)
    form = ReviewDateForm(
        prefix="review", data={"review_on": client.review_on} if request.method == "GET" else None
    )
    form.keep_day = client.review_on
    if request.method == "POST":
        if not form.validate():
            return _card(client, status=400, review_form=form)
        client.set_review_date(_user(), form.day())
        notice = (
            f"The team talks about {client.name} again from {day_text(form.day())}."
            if form.day()
            else f"{client.name} has no review date now."
        )
        return _card_changed(client, notice)
    return _card(client, review_form=form)
