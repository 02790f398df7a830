"""Decisions by consent: proposals, the steps to a decision, and the team's log.

  GET      /decisions/                      the log: search, filter, newest first, paged
  GET      /decisions/teams/<team_id>       the same log for a linked coach, people pseudonymised
  GET/POST /decisions/new                   propose (at a meeting, or between meetings)
  GET/POST /decisions/coach                 propose to invite a coach, or to end her coaching
  GET      /decisions/<id>                  the proposal and its steps; block "process"
                                            is what meeting mode shows of it
  POST     /decisions/<id>/steps            a clarifying question, reaction or objection
  POST     /decisions/<id>/amend            the proposal as amended
  POST     /decisions/<id>/objections/<step_id>/resolve
  POST     /decisions/<id>/adopt            by consent, with a review date
  POST     /decisions/<id>/withdraw         …/park, …/resume
  POST     /decisions/<id>/answer           consent or object between meetings
  GET/POST /decisions/settings              the team's window and quorum between meetings

In meeting mode the same forms carry `?at=<agenda item>`: who said what is chosen
from who is here, and the answer goes back to meeting mode at that item.

Every step is a verb on `Decision`, which refuses (DecisionRefused) what consent does
not allow: changing an adopted decision, adopting over an open objection, acting on
a version a colleague has changed since. Those refusals answer 409 with the reason.
Proposals answered between meetings are counted when a member reads their pages;
the coach's reading of the log writes nothing. The member's log is kept as rendered
until the team's data or the day changes, or the next time to answer runs out
(teamcase/pagecache.py).
"""

import datetime as dt

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from peewee import fn
from wtforms.fields.choices import SelectChoice

from teamcase import access, conflicts, pagecache
from teamcase.dates import day_and_time_text, local_now, to_utc
from teamcase.forms import ButtonForm
from teamcase.meetings import speakers
from teamcase.meetings.forms import (
    AdoptForm,
    AmendForm,
    AnswerForm,
    CloseDecisionForm,
    CoachProposalForm,
    DecisionRulesForm,
    DecisionSearchForm,
    DecisionStepForm,
    ProposalForm,
    ResolveForm,
)
from teamcase.models import (
    Client,
    Decision,
    DecisionRefused,
    DecisionStep,
    Experiment,
    Meeting,
    TrainingItem,
    User,
    utcnow,
)
from teamcase.web import PAGE_MAX, id_arg, is_htmx_partial, parse_int, render, see_other

bp = Blueprint("decisions", __name__, template_folder="templates", url_prefix="/decisions")

PAGE_SIZE = 20
# The review date offered when a decision is adopted.
REVIEW_AFTER = dt.timedelta(days=91)
STEP_DONE = {
    DecisionStep.QUESTION: _l("Question recorded."),
    DecisionStep.REACTION: _l("Reaction recorded."),
    DecisionStep.OBJECTION: _l(
        "Objection recorded. It has to be resolved before the proposal can be adopted."
    ),
}


def _user():
    return current_user._get_current_object()


def _page_number(raw: str | None) -> int:
    value = parse_int(raw)
    return 1 if value is None else max(1, min(value, PAGE_MAX))


# The log


def log_context(viewer, args) -> tuple[dict, int]:
    """The log page and its results block; the status is 400 when a filter is wrong
    (the other filters still apply)."""
    team = viewer.team
    if viewer.can_change:
        # Counting the answers whose time ran out is the team's own step: a coach
        # looking on writes nothing, and sees the proposal as it stands. The log
        # is kept as rendered until the next time to answer runs out.
        deadline = Decision.settle_due_and_next_deadline(team)
        if deadline is not None:
            pagecache.holds_until(deadline)
    form = DecisionSearchForm(formdata=args)
    people = list(Decision.people_decided_about(team))
    form.person.choices = [SelectChoice(0, _("Anyone, or the whole team"))] + [
        SelectChoice(p.id, viewer.person(p)) for p in people
    ]
    status = 200
    if args and not form.validate():
        status = 400
    ok = {name: field.data for name, field in form._fields.items() if not field.errors}
    today = local_now().date()
    since, until = ok.get("since"), ok.get("until")
    query = Decision.log(
        team,
        text=ok.get("q") or "",
        status=ok.get("status") or "",
        client_id=ok.get("person") or None,
        since=to_utc(dt.datetime.combine(since, dt.time())) if since else None,
        until=to_utc(dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
        if until
        else None,
        day=today,
        shown=None if viewer.sees_names else viewer.text,
    )
    page = _page_number(args.get("page"))
    # The total rides along with the page (a window count): one query, not two.
    counted = query.select_extend(fn.COUNT(Decision.id).over().alias("total"))
    decisions = list(counted.paginate(page, PAGE_SIZE))
    total = decisions[0].total if decisions else 0
    if not decisions and page > 1:
        # Past the last page (the log got shorter): show the last one.
        total = query.count()
        page = max(1, -(-total // PAGE_SIZE))
        decisions = list(counted.paginate(page, PAGE_SIZE))
    pages = max(1, -(-total // PAGE_SIZE))
    objections = Decision.objections_of(decisions)
    revisits, revisited_by = Decision.links_of(decisions)
    rows = [
        {
            "decision": d,
            "objections": objections[d.id],
            "revisits": revisits.get(d.id),
            "revisited_by": revisited_by[d.id],
            "due": d.due(today, revisited_by[d.id]),
        }
        for d in decisions
    ]
    # What the filter asks for (an empty field, or "anyone", asks for nothing).
    filters = {
        k: args[k]
        for k in ("q", "status", "person", "since", "until")
        if args.get(k, "").strip() not in ("", "0")
    }
    context = {
        "team": team,
        "viewer": viewer,
        "form": form,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "filters": filters,
        "filtered": bool(filters),
        "endpoint": "decisions.team_log" if viewer.looks_on else "decisions.index",
        "endpoint_args": {"team_id": team.id} if viewer.looks_on else {},
    }
    context["link_args"] = {**context["endpoint_args"], **filters}
    return context, status


@bp.route("/")
@login_required
def index():
    viewer = access.team_viewer()
    # Kept as rendered until the team's data or the day changes
    # (teamcase/pagecache.py), or the time to answer a proposal runs out.
    return pagecache.page(lambda: _log(viewer))


def _log(viewer):
    context, status = log_context(viewer, request.args)
    return render("decisions/index.html", block="results", status=status, **context)


@bp.route("/teams/<int:team_id>")
@login_required
def team_log(team_id):
    viewer = access.team_viewer(team_id)
    context, status = log_context(viewer, request.args)
    return render("decisions/index.html", block="results", status=status, **context)


# Proposing


def _people_choices(team):
    people = Client.caseload(team).select(Client.id, Client.name)
    return [SelectChoice(0, _("Nobody in particular: the whole team"))] + [
        SelectChoice(p.id, p.name) for p in people
    ]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    form = ProposalForm()
    revisits_id = id_arg("revisits")
    revisits = access.team_record(Decision, revisits_id) if revisits_id else None
    meeting_id = id_arg("meeting")
    meeting = access.team_record(Meeting, meeting_id) if meeting_id else None
    form.client.choices = _people_choices(team)
    if request.method == "GET":
        form.between.data = request.args.get("between") == "1"
        if revisits:
            form.proposal.data = revisits.proposal
            form.purpose.data = revisits.purpose
            form.client.data = revisits.client_id or 0
        elif id_arg("client"):
            form.client.data = id_arg("client")
    status = 200
    if form.validate_on_submit():
        try:
            decision = Decision.propose(
                team,
                _user(),
                form.proposal.data,
                form.purpose.data,
                client=form.client.data or None,
                meeting=meeting,
                revisits=revisits,
                asynchronous=form.between.data,
                review_on=form.review_on.data,
            )
        except DecisionRefused as refused:
            form.proposal.errors.append(str(refused))
            status = 409
        else:
            if decision.asynchronous:
                flash(
                    _(
                        "Your proposal is posted. Colleagues can answer until %(deadline)s.",
                        deadline=day_and_time_text(decision.deadline),
                    ),
                    "success",
                )
            else:
                flash(_("Your proposal is posted."), "success")
            return see_other("decisions.show", decision_id=decision.id)
    if form.errors and status == 200:
        status = 400
    return render(
        "decisions/new.html",
        form=form,
        team=team,
        revisits=revisits,
        meeting=meeting,
        status=status,
    )


def _posted(decision):
    if decision.asynchronous:
        flash(
            _(
                "Your proposal is posted. Colleagues can answer until %(deadline)s.",
                deadline=day_and_time_text(decision.deadline),
            ),
            "success",
        )
    else:
        flash(_("Your proposal is posted."), "success")
    return see_other("decisions.show", decision_id=decision.id)


@bp.route("/coach", methods=["GET", "POST"])
@login_required
def propose_coach():
    """Invite a coach, or end a coaching: a decision like any other, which links
    or unlinks her when the team adopts it."""
    team = access.member_team()
    coaches = list(User.coach_accounts())
    ours = {c.id for c in User.coaches_of(team)}
    form = CoachProposalForm()
    form.coach.choices = [SelectChoice(0, _("Choose a coach"))] + [
        SelectChoice(c.id, _("%(name)s (our coach now)", name=c.name) if c.id in ours else c.name)
        for c in coaches
    ]
    if request.method == "GET":
        form.change.data = (
            request.args.get("change")
            if request.args.get("change")
            in (
                Decision.INVITE_COACH,
                Decision.END_COACH,
            )
            else None
        )
        form.coach.data = id_arg("coach") or 0
        form.between.data = request.args.get("between") == "1"
    status = 200
    if form.validate_on_submit():
        coach = next(c for c in coaches if c.id == form.coach.data)
        if form.change.data == Decision.INVITE_COACH:
            proposal = _("Invite %(name)s as our coach.", name=coach.name)
        else:
            proposal = _("End %(name)s's coaching of our team.", name=coach.name)
        try:
            decision = Decision.propose(
                team,
                _user(),
                proposal,
                form.purpose.data,
                asynchronous=form.between.data,
                review_on=form.review_on.data,
                coach_change=form.change.data,
                coach=coach,
            )
        except DecisionRefused as refused:
            form.coach.errors = [*form.coach.errors, str(refused)]
        else:
            return _posted(decision)
    if form.errors:
        status = 400
    return render(
        "decisions/coach.html",
        form=form,
        team=team,
        ours=[c for c in coaches if c.id in ours],
        status=status,
    )


# One decision


def _settle(decision, now=None):
    """Count the answers if the time to answer has just ended (no worker does it)."""
    now = now or utcnow()
    if (
        decision.is_open
        and decision.asynchronous
        and decision.settled_at is None
        and decision.deadline <= now
    ):
        decision.settle(now)
        fresh = Decision.get_by_id(decision.id)
        decision.__data__ = dict(fresh.__data__)


def meeting_item(decision):
    """The item of a running meeting this decision is being decided on, named by
    `?at=` in a form's address (meeting mode's forms carry it): the answer then
    goes back to meeting mode at that item, and who said what is chosen from who
    is here. None when there is no such item (the decision's own page)."""
    item_id = id_arg("at")
    if item_id is None:
        return None
    item = access.agenda_item(item_id)
    on_item = item.decision_id == decision.id or (
        item.client_id is not None
        and item.client_id == decision.client_id
        and item.meeting_id == decision.meeting_id
    )
    if not on_item or not item.meeting.is_running:
        return None
    return item


def decision_context(
    decision, forms=None, notice=None, problem=None, typed=None, at_item=None
) -> dict:
    """Everything the decision page and its "process" block show. `forms` holds a
    form that came back with errors, by name; the others are fresh. `at_item`: the
    block is shown in meeting mode on that agenda item."""
    user = _user()
    forms = forms or {}
    team = decision.team
    now = utcnow()
    steps = list(decision.steps_in_order())
    members = speakers(at_item.meeting) if at_item else list(team.active_members())
    revisits, revisited_by = Decision.links_of([decision])
    answers = [s for s in steps if s.is_answer]
    mine = next((s for s in answers if s.answer_of_id == user.id), None)
    today = local_now().date()

    def fresh(name, make):
        return forms.get(name) or make()

    step_form = fresh(
        "step",
        lambda: DecisionStepForm(formdata=None, prefix="step").offer_members(members, user.id),
    )
    open_objections = [s for s in steps if s.open_objection]
    amend_form = fresh(
        "amend",
        lambda: (
            AmendForm(formdata=None, prefix="amend", data={"proposal": decision.proposal})
            .offer_members(members, user.id)
            .offer_objections(open_objections)
        ),
    )
    amend_form.version.data = decision.version
    resolve_forms = {
        s.id: forms.get(f"resolve-{s.id}")
        or ResolveForm(formdata=None, prefix=f"resolve-{s.id}").offer_members(members, s.member_id)
        for s in open_objections
    }
    adopt_form = fresh(
        "adopt",
        lambda: AdoptForm(
            formdata=None,
            prefix="adopt",
            data={"review_on": decision.review_on or today + REVIEW_AFTER},
        ),
    )
    adopt_form.version.data = decision.version
    answer_form = fresh(
        "answer",
        lambda: AnswerForm(
            formdata=None,
            prefix="answer",
            data={
                "answer": ("consent" if mine.kind == DecisionStep.CONSENT else "object")
                if mine
                else None,
                "reasoning": mine.text if mine else "",
            },
        ),
    )
    withdraw_form = fresh("withdraw", lambda: CloseDecisionForm(formdata=None, prefix="withdraw"))
    withdraw_form.why.label.text = _("Why withdraw it?")
    park_form = fresh("park", lambda: CloseDecisionForm(formdata=None, prefix="park"))
    park_form.why.label.text = _("Why park it?")
    return {
        "decision": decision,
        "team": team,
        "proposer": decision.proposed_by,
        "person": decision.client if decision.client_id else None,
        "meeting": decision.meeting if decision.meeting_id else None,
        "steps": steps,
        "members": members,
        "revisits": revisits.get(decision.id),
        "revisited_by": revisited_by[decision.id],
        "due": decision.due(today, revisited_by[decision.id]),
        "answering": decision.answering(now),
        "answers": answers,
        "consents": [s for s in answers if s.kind == DecisionStep.CONSENT],
        "objecting": [s for s in answers if s.kind == DecisionStep.OBJECTION],
        "mine": mine,
        "open_objections": open_objections,
        "training": list(TrainingItem.select().where(TrainingItem.decision == decision)),
        "experiments": list(Experiment.select().where(Experiment.decision == decision)),
        "step_form": step_form,
        "amend_form": amend_form,
        "resolve_forms": resolve_forms,
        "adopt_form": adopt_form,
        "answer_form": answer_form,
        "withdraw_form": withdraw_form,
        "park_form": park_form,
        "open_form": next(iter(forms), None),
        "notice": notice,
        "problem": problem,
        "typed": typed,
        "deadline_text": day_and_time_text(decision.deadline) if decision.asynchronous else "",
        # In meeting mode every form's address names the item, and the block has an
        # id of its own (an item can show more than one decision).
        "at_item": at_item,
        "here": {"at": at_item.id} if at_item else {},
        "box": f"decision-{decision.id}" if at_item else "decision-process",
    }


def _page(decision, status=200, at_item=None, **kwargs):
    if at_item is not None and not is_htmx_partial():
        # From meeting mode without JavaScript: the meeting's screen again, with
        # this decision's forms as they came back.
        from teamcase.meetings.mode import stage

        return stage(at_item.meeting, at_item.id, status=status, decisions={decision.id: kwargs})
    return render(
        "decisions/show.html",
        block="process",
        status=status,
        **decision_context(decision, at_item=at_item, **kwargs),
    )


def _done(decision, message: str, at_item=None):
    """A step was taken: the process again, in place for htmx, else the page (or
    meeting mode at the item it was taken on)."""
    if is_htmx_partial():
        fresh = Decision.get_by_id(decision.id)
        fresh.team = decision.team
        return _page(fresh, notice=message, at_item=at_item)
    flash(message, "success")
    if at_item is not None:
        return see_other(
            "meetings.run_item",
            meeting_id=at_item.meeting_id,
            item_id=at_item.id,
            _anchor=f"decision-{decision.id}",
        )
    return see_other("decisions.show", decision_id=decision.id, _anchor="decision-process")


def _act(decision, name: str, form, verb, message: str, at_item=None):
    """Validate `form`, then do `verb`: 400 with the form and what was typed when the
    input is wrong; 409 with the reason when the decision refuses."""
    if not form.validate_on_submit():
        return _page(decision, 400, at_item=at_item, forms={name: form})
    try:
        verb()
    except DecisionRefused as refused:
        fresh = Decision.get_by_id(decision.id)
        fresh.team = decision.team
        # The form may be gone from the page (adopted, withdrawn): the text is
        # shown with the reason, so that nothing typed is lost.
        typed = [f.data for f in form if f.type == "TextAreaField" and f.data]
        return _page(
            fresh, 409, at_item=at_item, forms={name: form}, problem=str(refused), typed=typed
        )
    return _done(decision, message, at_item)


def _speakers(decision, at_item):
    """Who a step can be said by: at a meeting who is here, else the team."""
    return speakers(at_item.meeting) if at_item else list(decision.team.active_members())


@bp.route("/<int:decision_id>")
@login_required
def show(decision_id):
    decision = access.team_record(Decision, decision_id)
    _settle(decision)
    return _page(decision)


@bp.route("/<int:decision_id>/steps", methods=["POST"])
@login_required
def add_step(decision_id):
    decision = access.team_record(Decision, decision_id)
    at_item = meeting_item(decision)
    members = _speakers(decision, at_item)
    form = DecisionStepForm(prefix="step").offer_members(members, _user().id)
    kind = form.kind.data

    def verb():
        said_by = next(m for m in members if m.id == form.member.data)
        decision.add_step(_user(), kind, form.text.data, member=said_by)

    return _act(decision, "step", form, verb, STEP_DONE.get(kind, _("Recorded.")), at_item)


@bp.route("/<int:decision_id>/amend", methods=["POST"])
@login_required
def amend(decision_id):
    decision = access.team_record(Decision, decision_id)
    at_item = meeting_item(decision)
    members = _speakers(decision, at_item)
    objections = [s for s in decision.steps_in_order() if s.open_objection]
    form = AmendForm(prefix="amend").offer_members(members, _user().id).offer_objections(objections)

    def verb():
        said_by = next(m for m in members if m.id == form.member.data)
        decision.amend(
            _user(),
            form.version_read(),
            form.proposal.data,
            member=said_by,
            resolves=form.objections_resolved(objections),
            meeting_agrees=form.agreed.data == "meeting",
        )

    return _act(
        decision,
        "amend",
        form,
        verb,
        _("The proposal is amended; the earlier text is kept."),
        at_item,
    )


@bp.route("/<int:decision_id>/objections/<int:step_id>/resolve", methods=["POST"])
@login_required
def resolve(decision_id, step_id):
    decision = access.team_record(Decision, decision_id)
    step = DecisionStep.get_or_none(
        DecisionStep.id == step_id,
        DecisionStep.decision == decision.id,
        DecisionStep.kind == DecisionStep.OBJECTION,
    )
    if step is None:
        abort(404)
    at_item = meeting_item(decision)
    members = _speakers(decision, at_item)
    form = ResolveForm(prefix=f"resolve-{step.id}").offer_members(members, step.member_id)

    def verb():
        with_whom = next(m for m in members if m.id == form.member.data)
        decision.resolve(_user(), step, form.how.data, resolved_by=with_whom)

    return _act(
        decision, f"resolve-{step.id}", form, verb, _("The objection is resolved."), at_item
    )


@bp.route("/<int:decision_id>/adopt", methods=["POST"])
@login_required
def adopt(decision_id):
    decision = access.team_record(Decision, decision_id)
    form = AdoptForm(prefix="adopt")

    def verb():
        decision.adopt(_user(), form.version_read(), form.review_on.data)

    return _act(
        decision,
        "adopt",
        form,
        verb,
        _("Adopted by consent. It is in the decisions log."),
        meeting_item(decision),
    )


@bp.route("/<int:decision_id>/withdraw", methods=["POST"])
@login_required
def withdraw(decision_id):
    decision = access.team_record(Decision, decision_id)
    form = CloseDecisionForm(prefix="withdraw")
    return _act(
        decision,
        "withdraw",
        form,
        lambda: decision.withdraw(_user(), form.why.data),
        _("The proposal is withdrawn. It stays in the log."),
        meeting_item(decision),
    )


@bp.route("/<int:decision_id>/park", methods=["POST"])
@login_required
def park(decision_id):
    decision = access.team_record(Decision, decision_id)
    form = CloseDecisionForm(prefix="park")
    return _act(
        decision,
        "park",
        form,
        lambda: decision.park(_user(), form.why.data),
        _("The proposal is parked. Anyone can take it up again."),
        meeting_item(decision),
    )


@bp.route("/<int:decision_id>/resume", methods=["POST"])
@login_required
def resume(decision_id):
    decision = access.team_record(Decision, decision_id)
    form = ButtonForm(prefix="resume")
    return _act(
        decision,
        "resume",
        form,
        lambda: decision.resume(_user()),
        _("The proposal is open again."),
        meeting_item(decision),
    )


@bp.route("/<int:decision_id>/answer", methods=["POST"])
@login_required
def answer(decision_id):
    decision = access.team_record(Decision, decision_id)
    _settle(decision)
    form = AnswerForm(prefix="answer")
    consent = form.answer.data == "consent"
    return _act(
        decision,
        "answer",
        form,
        lambda: decision.answer(_user(), consent, form.reasoning.data),
        _("Your answer is saved. You can change it until the deadline."),
        meeting_item(decision),
    )


# The team's rules for deciding between meetings


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    team = access.member_team()
    form = DecisionRulesForm.editing(team)
    form.members = team.active_members().count()
    conflict = None
    if form.validate_on_submit():
        saved = Decision.set_rules(
            team, _user(), form.version_read(), form.async_days.data, form.async_quorum.data
        )
        if saved:
            flash(
                ngettext(
                    "Saved: colleagues have %(num)d day to answer, and %(quorum)d answers "
                    "are needed.",
                    "Saved: colleagues have %(num)d days to answer, and %(quorum)d answers "
                    "are needed.",
                    form.async_days.data,
                    quorum=form.async_quorum.data,
                ),
                "success",
            )
            return see_other("decisions.index")
        conflict = conflicts.conflict(team, form, "the team’s settings")
    return conflicts.page("decisions/settings.html", form, conflict, team=team)
