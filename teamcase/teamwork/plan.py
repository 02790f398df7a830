"""The week's visit plan: planned and recurring visits, my day, handing over.

  GET      /plan/                          the team's week, per day and member (?week=)
  GET      /plan/teams/<team_id>           the same week for a coach the team linked:
                                           read-only, people pseudonymised, no notes
  GET      /plan/day                       my day in visit order, with addresses (?day=)
  GET/POST /plan/new                       plan a visit, once or repeating (?person=, ?day=)
  GET/POST /plan/visits/<id>/edit          move it or change it; refused if someone saved since
  GET/POST /plan/visits/<id>/done          record its contact, filled in from the plan
  POST     /plan/visits/<id>/take          "I'll take it": of two at once, exactly one wins
  POST     /plan/visits/<id>/hand-over     put one of my visits up for a colleague to take
  POST     /plan/visits/<id>/cancel        cancel one visit
  POST     /plan/visits/<id>/cancel-rest   cancel it and the later visits of its series
  GET/POST /plan/hand-over                 "I can't do my visits" on a day, or until one (?until=)

Days and times of day are the team's local time. Nobody puts a visit in a
colleague's plan: a visit is mine or up for a colleague to take, and she takes it
herself (../shared/DESIGN.md, rule 3).

The actions answer an htmx request with the page they came from (`?back=day`, the
default, or `?back=week`) rendered as its block, and anything else with a redirect
to it; a refusal is that page with the reason, status 409.
"""

import datetime as dt

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from teamcase import access, conflicts
from teamcase.clients.page import new_contact_form
from teamcase.clients.people import _members_by_id
from teamcase.dates import at_text, day_text, local_now, to_utc, week_text
from teamcase.models import Client, Contact, PlannedVisit, VisitSeries
from teamcase.teamwork.forms import HandOverDayForm, VisitDayForm, VisitEditForm, VisitForm
from teamcase.web import date_arg, int_arg, is_htmx_partial, render, see_other

bp = Blueprint("plan", __name__, template_folder="templates", url_prefix="/plan")


def _user():
    return current_user._get_current_object()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def why_not(visit: PlannedVisit, *actions: str) -> str:
    """Why an action on `visit` could not happen, naming who changed it and when.

    `actions` are the kinds of change that stand in this action's way: the latest of
    them is named, or the latest change of any kind when there was none of them."""
    fresh = PlannedVisit.get_by_id(visit.id)
    event = (actions and fresh.last_event(*actions)) or fresh.last_event()
    if event is not None and event.action in PlannedVisit.DID_SENTENCES:
        sentence = PlannedVisit.DID_SENTENCES[event.action]
        return str(sentence % {"name": event.actor.name, "when": at_text(event.at)})
    if fresh.status == PlannedVisit.DONE:
        return _("This visit was already recorded as done.")
    if fresh.status == PlannedVisit.CANCELLED:
        return _("This visit was cancelled.")
    if fresh.member_id:
        return _("This visit is in %(name)s's plan.", name=fresh.member.name)
    return _("This visit was changed in the meantime. Look at it again.")


def week_context(viewer, monday: dt.date, notice=None, problem=None) -> dict:
    """The week page and its block: per day the visits up for grabs and each
    member's visits, with how many and how long.

    A viewer who is not shown who does which work (a coach) gets one row per
    day with the member left out: the team's visits and the team's totals."""
    team = viewer.team
    days = {monday + dt.timedelta(days=i): ([], {}) for i in range(7)}
    for visit in PlannedVisit.in_week(team, monday):
        open_visits, members = days[visit.day]
        if visit.member_id is None:
            # Handed over and then cancelled: nobody needs to see it any more.
            if visit.status != PlannedVisit.CANCELLED:
                open_visits.append(visit)
        elif not viewer.names_members:
            members.setdefault(None, (None, []))[1].append(visit)
        else:
            # By id: each row brings its own member object, and those do not hash alike.
            members.setdefault(visit.member_id, (visit.member, []))[1].append(visit)
    plan = []
    for day, (open_visits, members) in days.items():
        rows = []
        for member, visits in sorted(members.values(), key=lambda pair: pair[0] and pair[0].name):
            counted = [v for v in visits if v.status != PlannedVisit.CANCELLED]
            rows.append((member, visits, len(counted), sum(v.minutes for v in counted)))
        plan.append((day, open_visits, rows))
    today = local_now().date()
    return {
        "team": team,
        "viewer": viewer,
        "monday": monday,
        "label": week_text(monday),
        "week_step": dt.timedelta(days=7),
        "this_monday": monday_of(today),
        "today": today,
        "plan": plan,
        "notice": notice,
        "problem": problem,
    }


def day_context(member, day: dt.date, notice=None, problem=None) -> dict:
    """My day and its block: my visits in visit order, and the day's visits that
    are up for a colleague to take."""
    visits = list(PlannedVisit.day_of(member, day))
    counted = [v for v in visits if v.status != PlannedVisit.CANCELLED]
    return {
        "day": day,
        "before": day - dt.timedelta(days=1),
        "after": day + dt.timedelta(days=1),
        "today": local_now().date(),
        "visits": visits,
        "open_visits": list(PlannedVisit.open_on(member.team_id, day)),
        "count": len(counted),
        "minutes": sum(v.minutes for v in counted),
        "planned_left": sum(v.status == PlannedVisit.PLANNED for v in visits),
        "notice": notice,
        "problem": problem,
    }


def _back() -> str:
    return "week" if request.args.get("back") == "week" else "day"


def _page_again(visit, notice=None, problem=None, status=200):
    """The page an action came from, with what happened: its block for htmx."""
    if _back() == "week":
        viewer = access.team_viewer()
        context = week_context(viewer, monday_of(visit.day), notice=notice, problem=problem)
        return render("plan/week.html", block="week", status=status, **context)
    context = day_context(_user(), visit.day, notice=notice, problem=problem)
    return render("plan/day.html", block="visits", status=status, **context)


def _done(visit, notice: str):
    if is_htmx_partial():
        return _page_again(visit, notice=notice)
    flash(notice, "success")
    if _back() == "week":
        return see_other("plan.week", week=monday_of(visit.day).isoformat())
    return see_other("plan.day", day=visit.day.isoformat())


def _refused(visit, problem: str):
    return _page_again(visit, problem=problem, status=409)


@bp.route("/")
@login_required
def week():
    viewer = access.team_viewer()
    monday = monday_of(date_arg("week") or local_now().date())
    return render("plan/week.html", block="week", **week_context(viewer, monday))


@bp.route("/teams/<int:team_id>")
@login_required
def team_week(team_id):
    viewer = access.team_viewer(team_id)
    monday = monday_of(date_arg("week") or local_now().date())
    return render("plan/week.html", block="week", **week_context(viewer, monday))


@bp.route("/day")
@login_required
def day():
    access.member_team()
    chosen = date_arg("day") or local_now().date()
    return render("plan/day.html", block="visits", **day_context(_user(), chosen))


def _people_choices(team) -> list[SelectChoice]:
    people = Client.caseload(team).select(Client.id, Client.name, Client.preferred_name).tuples()
    return [SelectChoice(0, _("Choose a person"))] + [
        SelectChoice(pid, f"{name} ({preferred})" if preferred and preferred != name else name)
        for pid, name, preferred in people
    ]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    user = _user()
    form = VisitForm()
    form.person.choices = _people_choices(team)
    if request.method == "GET":
        form.person.data = int_arg("person", 0)
        form.day.data = date_arg("day") or local_now().date()
    overlaps = []
    if form.validate_on_submit():
        client = access.client(form.person.data)
        member = user if form.who.data == "me" else None
        if not form.go_on.data:
            times = form.visit()
            overlaps = PlannedVisit.overlapping(
                client, member, form.days(), times["starts_at"], times["ends_at"], times["minutes"]
            )
    if form.validate_on_submit() and not overlaps:
        if form.repeating:
            series = VisitSeries.plan(client, user, member=member, **form.rule(), **form.visit())
            count = series.visits.count()
            flash(
                ngettext(
                    "%(num)d visit to %(name)s planned: %(how)s.",
                    "%(num)d visits to %(name)s planned: %(how)s.",
                    count,
                    name=client.name,
                    how=series.description,
                ),
                "success",
            )
        else:
            PlannedVisit.add(client, user, member=member, day=form.day.data, **form.visit())
            flash(
                _(
                    "Visit to %(name)s planned for %(day)s.",
                    name=client.name,
                    day=day_text(form.day.data),
                ),
                "success",
            )
        if member is None:
            return see_other("plan.week", week=monday_of(form.day.data).isoformat())
        return see_other("plan.day", day=form.day.data.isoformat())
    return render(
        "plan/new.html",
        form=form,
        overlaps=overlaps,
        overlap_text=PlannedVisit.overlap_text(overlaps, user),
        status=400 if form.errors else 200,
    )


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(visit_id):
    visit = access.team_record(PlannedVisit, visit_id)
    form = VisitEditForm.editing(visit)
    form.keep_day = visit.day
    refused = conflict = None
    overlaps = []
    saving = False
    if request.method == "POST" and visit.status != PlannedVisit.PLANNED:
        refused = why_not(visit)
    elif request.method == "POST" and form.validate():
        # A move is checked as a new visit is (the visit itself aside): warned first.
        if not form.go_on.data and visit.moves(**form.times()):
            overlaps = visit.overlaps(**form.times())
        saving = not overlaps
    if saving:
        moved_from = visit.day
        if visit.change(_user(), form.version_read(), **form.times()):
            if visit.day != moved_from:
                notice = _(
                    "Visit to %(name)s moved to %(day)s.",
                    name=visit.client.name,
                    day=day_text(visit.day),
                )
            else:
                notice = _("Visit to %(name)s saved.", name=visit.client.name)
            flash(notice, "success")
            if _back() == "week":
                return see_other("plan.week", week=monday_of(visit.day).isoformat())
            return see_other("plan.day", day=visit.day.isoformat())
        conflict = conflicts.conflict(visit, form, _("changes to this visit"), form.times())
        visit = conflict.saved
        if visit.status != PlannedVisit.PLANNED:
            # Done or cancelled meanwhile: nothing left to save over.
            refused, conflict = why_not(visit), None
    status = 409 if refused or conflict else (400 if form.errors else 200)
    return render(
        "plan/edit.html",
        visit=visit,
        form=form,
        refused=refused,
        conflict=conflict,
        overlaps=overlaps,
        overlap_text=PlannedVisit.overlap_text(overlaps, _user()),
        back=_back(),
        status=status,
    )


def _prefill(form, visit):
    """The contact as planned: only Save is left to tap."""
    form.kind.data = visit.kind
    form.fill_duration(visit.minutes)
    now = local_now()
    if visit.starts_at:
        form.happened_at.data = dt.datetime.combine(visit.day, visit.starts_at)
    elif visit.day != now.date():
        form.happened_at.data = dt.datetime.combine(visit.day, now.time())
    else:
        form.happened_at.data = now
    # The plan's note is an instruction, shown beside the form: the note is what happened.


@bp.route("/visits/<int:visit_id>/done", methods=["GET", "POST"])
@login_required
def done(visit_id):
    visit = access.team_record(PlannedVisit, visit_id)
    client = access.client(visit.client_id)
    user = _user()
    posted = request.method == "POST"
    form = new_contact_form(client, user, formdata=request.form if posted else None)
    problem = None
    if not posted:
        _prefill(form, visit)
    now = local_now()
    # Another day's visit: she says when it happened, it is never taken for today.
    day_form = None
    if visit.day != now.date():
        day_form = VisitDayForm.for_visit(
            visit, now.date(), formdata=request.form if posted else None
        )
    earlier = _sent_before(form, visit) if posted else None
    if earlier is not None:
        # Sent again (from the tablet, after the signal dropped): done once already.
        return _recorded(visit, client, earlier)
    if visit.status != PlannedVisit.PLANNED:
        problem = why_not(visit, "done", "cancel")
    elif posted and _when_it_happened(form, day_form, visit, now) and form.validate():
        contact = visit.mark_done(
            user,
            colleagues=_members_by_id(client.team, form.colleagues.data),
            happened_at=to_utc(form.happened_at.data),
            client_uuid=form.sent_as(),
            **form.fields(),
        )
        if contact is not None:
            return _recorded(visit, client, contact)
        # Two sends of one visit at once: the other one recorded it.
        earlier = _sent_before(form, PlannedVisit.get_by_id(visit.id))
        if earlier is not None:
            return _recorded(visit, client, earlier)
        problem = why_not(visit, "done", "cancel")
    mistakes = form.errors or (day_form is not None and day_form.errors)
    status = 409 if problem and posted else (400 if mistakes else 200)
    return render(
        "plan/done.html",
        today=now.date(),
        visit=visit,
        client=client,
        form=form,
        day_form=day_form,
        problem=problem,
        status=status,
    )


def _sent_before(form, visit):
    """The contact this visit was marked done with, when the form sent is the one
    that did it (the same id made on the tablet); None for any other form. The
    same id recorded for something else is refused: never a second record."""
    try:
        sent_as = form.sent_as()
    except ValueError:
        return None  # a damaged id: the form says so when it is checked
    earlier = Contact.sent_before(sent_as)
    if earlier is None:
        return None
    if earlier.id != visit.contact_id:
        abort(409)
    return earlier


def _recorded(visit, client, contact):
    flash(
        _("%(kind)s with %(name)s recorded.", kind=contact.kind_label, name=client.name),
        "success",
    )
    return see_other("plan.day", day=visit.day.isoformat())


def _when_it_happened(form, day_form, visit, now) -> bool:
    """For another day's visit: the time of the contact as the member chose it (on
    the planned day, today, or as typed under "When"); False when she did not say."""
    if day_form is None:
        return True
    if not day_form.validate():
        form.validate()  # the contact's own mistakes show at the same time
        return False
    chosen = day_form.when.data
    if chosen == VisitDayForm.TYPED:
        return True
    if chosen == VisitDayForm.TODAY:
        when = now
    else:
        typed = form.happened_at.data
        at = visit.starts_at or (typed.time() if typed else now.time())
        when = dt.datetime.combine(visit.day, at)
    form.happened_at.data = when
    form.happened_at.process_errors = []
    return True


@bp.route("/visits/<int:visit_id>/take", methods=["POST"])
@login_required
def take(visit_id):
    visit = access.team_record(PlannedVisit, visit_id)
    user = _user()
    if not visit.take(user):
        return _refused(visit, why_not(visit, "take", "done", "cancel"))
    # Taken already (a colleague could take it otherwise): say what it overlaps, so
    # she can hand it back or move the other one.
    overlaps = visit.overlaps()
    if overlaps:
        notice = _(
            "You took the visit to %(name)s on %(day)s. Note: it overlaps %(overlaps)s.",
            name=visit.client.name,
            day=day_text(visit.day),
            overlaps=PlannedVisit.overlap_text(overlaps, user),
        )
    else:
        notice = _(
            "You took the visit to %(name)s on %(day)s.",
            name=visit.client.name,
            day=day_text(visit.day),
        )
    return _done(visit, notice)


@bp.route("/visits/<int:visit_id>/hand-over", methods=["POST"])
@login_required
def hand_over(visit_id):
    visit = access.team_record(PlannedVisit, visit_id)
    user = _user()
    if visit.member_id not in (None, user.id):
        return _refused(
            visit,
            _(
                "This visit is in %(name)s's plan. Only %(first_name)s can hand it over.",
                name=visit.member.name,
                first_name=visit.member.first_name,
            ),
        )
    if not visit.hand_over(user):
        return _refused(visit, why_not(visit))
    return _done(
        visit,
        _(
            "The visit to %(name)s is up for a colleague to take. Thank you.",
            name=visit.client.name,
        ),
    )


@bp.route("/visits/<int:visit_id>/cancel", methods=["POST"])
@login_required
def cancel(visit_id):
    visit = access.team_record(PlannedVisit, visit_id)
    if not visit.cancel(_user()):
        return _refused(visit, why_not(visit, "cancel", "done"))
    return _done(
        visit,
        _(
            "The visit to %(name)s on %(day)s is cancelled.",
            name=visit.client.name,
            day=day_text(visit.day),
        ),
    )


@bp.route("/visits/<int:visit_id>/cancel-rest", methods=["POST"])
@login_required
def cancel_rest(visit_id):
    visit = access.team_record(PlannedVisit, visit_id)
    if visit.status != PlannedVisit.PLANNED:
        return _refused(visit, why_not(visit))
    count = visit.cancel_rest(_user())
    if not count:
        return _refused(visit, why_not(visit))
    return _done(
        visit,
        ngettext(
            "%(num)d visit to %(name)s from %(day)s on cancelled.",
            "%(num)d visits to %(name)s from %(day)s on cancelled.",
            count,
            name=visit.client.name,
            day=day_text(visit.day),
        ),
    )


@bp.route("/hand-over", methods=["GET", "POST"])
@login_required
def hand_over_day():
    access.member_team()
    user = _user()
    form = HandOverDayForm()
    if request.method == "GET":
        form.day.data = date_arg("day") or local_now().date()
        form.until.data = date_arg("until")
    if form.validate_on_submit():
        first, last = form.day.data, form.last_day
        handed = PlannedVisit.hand_over_days(user, first, last)
        flash(*_handed_over_text(len(handed), first, last))
        return see_other("plan.day", day=first.isoformat())
    chosen = form.day.data if not form.day.errors else None
    last = form.last_day if chosen else None
    if chosen and (form.until.errors or not 0 <= (last - chosen).days < form.MAX_DAYS):
        # A last day that cannot be (the form says why on saving): show the first day's.
        last = chosen
    days = []
    if chosen is not None:
        visits = list(PlannedVisit.planned_between(user, chosen, last))
        days = [
            (day, [v for v in visits if v.day == day]) for day in sorted({v.day for v in visits})
        ]
    return render(
        "plan/hand_over.html",
        block="visits",
        form=form,
        chosen=chosen,
        last=last,
        days=days,
        count=sum(len(visits) for _day, visits in days),
        status=400 if form.errors else 200,
    )


def _handed_over_text(count: int, first: dt.date, last: dt.date) -> tuple[str, str]:
    """What "I can't do my visits" says afterwards, and its kind of flash."""
    day, last_day = day_text(first), day_text(last)
    if not count:
        if first == last:
            text = _(
                "You had no planned visits on %(day)s: there was nothing to hand over.", day=day
            )
        else:
            text = _(
                "You had no planned visits from %(day)s to %(last)s: "
                "there was nothing to hand over.",
                day=day,
                last=last_day,
            )
        return text, "info"
    if first == last:
        text = ngettext(
            "Your visit on %(day)s is up for your colleagues to take. They see it in their day.",
            "Your %(num)d visits on %(day)s are up for your colleagues to take. "
            "They see them in their day.",
            count,
            day=day,
        )
    else:
        text = ngettext(
            "Your visit from %(day)s to %(last)s is up for your colleagues to take. "
            "They see it in their day.",
            "Your %(num)d visits from %(day)s to %(last)s are up for your colleagues to take. "
            "They see them in their day.",
            count,
            day=day,
            last=last_day,
        )
    return text, "success"
