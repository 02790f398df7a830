"""The team board: tasks anyone adds, claims, hands back and finishes.

  GET      /board/                         the member's own board (?show=…, ?person=<id>)
  GET      /board/teams/<team_id>          a team's board: read-only for its linked coach
  POST     /board/tasks                    add a task, for a person or for the team
  GET/POST /board/tasks/<id>/edit          change what, for whom, by when, the note
  GET/POST /board/tasks/<id>/ask           ask one named colleague to do it
  POST     /board/tasks/<id>/accept        the colleague asked says yes: it is hers now
  POST     /board/tasks/<id>/decline       the colleague asked says no; the asker sees it
  POST     /board/tasks/<id>/claim         "I'll do it"
  POST     /board/tasks/<id>/hand-back     the member who has it lets it go
  POST     /board/tasks/<id>/complete      done

Nobody assigns work to someone else: there is no action for it (DESIGN.md, rule 3).
An htmx request gets the task's card back, with the filter tabs' counts out of
band; a plain form gets a 303 back to the board with the same filter. A move that
lost to a colleague's (two claims at once) answers 409 with the card as it is now
and who got there first.
"""

import datetime as dt

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from wtforms.fields.choices import SelectChoice

from teamcase import access, conflicts
from teamcase.dates import at_text, local_now
from teamcase.models import Client, Task, utcnow
from teamcase.teamwork.forms import AskForm, TaskForm
from teamcase.web import int_arg, is_htmx_partial, render, see_other

bp = Blueprint("board", __name__, template_folder="templates", url_prefix="/board")

PAGE = "board/index.html"
FORM_PAGE = "board/task_form.html"

# What the board shows


def _filters(viewer) -> tuple[str, int | None]:
    show = request.args.get("show", "open")
    # A coach has no tasks of their own.
    if show not in Task.FILTERS or (viewer.looks_on and show == "mine"):
        show = "open"
    return show, int_arg("person")


def _filter_args(show: str, person: int | None) -> dict:
    """The query arguments that keep the board's filter, for links and redirects."""
    args = {}
    if show != "open":
        args["show"] = show
    if person is not None:
        args["person"] = person
    return args


def _people_choices(team, keep=None) -> list[SelectChoice]:
    """The team as a whole, then the team's active people; `keep` is a task's person
    who stays choosable after their case was closed."""
    people = list(Client.caseload(team).select(Client.id, Client.name, Client.preferred_name))
    if keep is not None and keep.id not in {p.id for p in people}:
        people.append(keep)
    return [SelectChoice(0, _("The team (no one person)"))] + [
        SelectChoice(p.id, p.display_name) for p in sorted(people, key=lambda p: p.name)
    ]


def new_task_form(team, person: int | None, formdata=None) -> TaskForm:
    form = TaskForm(formdata=formdata)
    form.client.choices = _people_choices(team)
    if formdata is None and person is not None:
        # Reached from a person's page: the next task is most likely for them.
        form.client.data = person
    return form


def board_context(viewer, *, form=None, notice=None) -> dict:
    """Everything the board page and each of its blocks need.

    All open tasks come in one query; the filters and their counts are worked
    out here, so the page costs the same few queries however busy the board is.
    """
    team, user = viewer.team, viewer.user
    show, person = _filters(viewer)
    today = local_now().date()
    open_tasks = list(Task.open_for(team))
    since = utcnow() - dt.timedelta(days=Task.DONE_DAYS)
    done = list(Task.done_for(team, since))

    people = {}
    for task in open_tasks + done:
        if task.client_id:
            people[task.client.id] = task.client
    if viewer.can_change:
        form = form or new_task_form(team, person)

    if person is not None:
        open_tasks = [t for t in open_tasks if t.client_id == person]
        done = [t for t in done if t.client_id == person]
    counts = {key: sum(t.shows_in(key, user, today) for t in open_tasks) for key in Task.FILTERS}
    person_label = None
    if person is not None:
        known = people.get(person)
        if known is not None:
            person_label = viewer.person(known)
        elif form is not None:
            # No tasks for them yet: their name from the people one can choose.
            person_label = next((c.label for c in form.client.choices if c.value == person), None)
        person_label = person_label or _("this person")
    # A coach's links stay on the team's address; a member's go to her own board.
    endpoint, team_args = (
        ("board.team", {"team_id": team.id}) if viewer.looks_on else ("board.index", {})
    )
    filters = {k: v for k, v in Task.FILTERS.items() if not (viewer.looks_on and k == "mine")}
    return {
        "team": team,
        "viewer": viewer,
        "user": user,
        "today": today,
        "show": show,
        "person": person,
        "person_label": person_label,
        "filters": filters,
        "tab_urls": {
            key: url_for(endpoint, **team_args, **_filter_args(key, person)) for key in filters
        },
        "filter_url": url_for(endpoint, **team_args),
        "counts": counts,
        "tasks": [t for t in open_tasks if t.shows_in(show, user, today)],
        "done": done,
        "done_days": Task.DONE_DAYS,
        "people": sorted(
            ((pid, viewer.person(p)) for pid, p in people.items()),
            key=lambda item: item[1].casefold(),
        ),
        "form": form,
        "notice": notice,
        "args": _filter_args(show, person),
    }


# Answers to the actions on a card


def why_not(task, user) -> str:
    """What happened to the task meanwhile, naming the colleague who did it."""
    if task.status == Task.DONE:
        if task.done_by_id == user.id:
            return _("You finished this %(when)s.", when=at_text(task.done_at))
        return _(
            "%(name)s finished this %(when)s.", name=task.done_by.name, when=at_text(task.done_at)
        )
    if task.claimed_by_id == user.id:
        return _("You already have this task: you took it %(when)s.", when=at_text(task.claimed_at))
    if task.claimed_by_id:
        return _(
            "%(name)s took this %(when)s.", name=task.claimed_by.name, when=at_text(task.claimed_at)
        )
    if task.pending_request:
        return _(
            "%(asker)s asked %(name)s %(when)s; wait for the answer, or do it yourself.",
            asker=task.requested_by.name,
            name=task.requested_of.name,
            when=at_text(task.requested_at),
        )
    if task.declined and task.requested_of_id == user.id:
        return _("You already said no to this request.")
    return _("Nobody has this task now: anyone can take it.")


def _card_answer(team, task_id: int, *, notice: str | None = None, status=200, message=""):
    """The task's card after an action: the card in place for htmx, else the board."""
    viewer = access.team_viewer(team.id)
    show, person = _filters(viewer)
    if status < 400 and not is_htmx_partial():
        if message:
            flash(message, "success")
        return see_other("board.index", _anchor=f"task-{task_id}", **_filter_args(show, person))
    notice = {"task_id": task_id, "text": notice} if notice else None
    context = board_context(viewer, notice=notice)
    if not is_htmx_partial():
        return render(PAGE, status=status, **context)
    task = Task.card(task_id)
    parts = [render_block(PAGE, "task", task=task, **context)]
    parts.append(render_block(PAGE, "tabs", oob=True, **context))
    if task.status == Task.DONE and status < 400:
        parts.append(render_block(PAGE, "done_tasks", oob=True, **context))
    return "".join(parts), status


def _refused(team, task, user):
    """Someone got there first: the card as it is now, and who did what."""
    fresh = Task.card(task.id)
    return _card_answer(team, task.id, notice=why_not(fresh, user), status=409)


def _form_page(form, task, kind: str, status=200, conflict=None):
    show, person = _filters(access.team_viewer())
    return render(
        FORM_PAGE,
        block="form",
        status=status,
        form=form,
        task=task,
        kind=kind,
        conflict=conflict,
        args=_filter_args(show, person),
    )


# Views


@bp.route("/")
@login_required
def index():
    viewer = access.team_viewer()
    return render(PAGE, **board_context(viewer))


@bp.route("/teams/<int:team_id>")
@login_required
def team(team_id):
    viewer = access.team_viewer(team_id)
    return render(PAGE, **board_context(viewer))


@bp.route("/tasks", methods=["POST"])
@login_required
def add():
    viewer = access.team_viewer()
    team = viewer.team
    show, person = _filters(viewer)
    form = new_task_form(team, person, formdata=request.form)
    if form.validate():
        task = Task.add(team, current_user._get_current_object(), **form.values())
        if not is_htmx_partial():
            flash(_("Added to the board: %(task)s", task=task.title), "success")
            return see_other("board.index", _anchor=f"task-{task.id}", **_filter_args(show, person))
        # The new card goes on top of the list; a fresh form replaces the one sent.
        context = board_context(viewer)
        card = Task.card(task.id)
        return "".join(
            [
                render_block(PAGE, "task", task=card, **context),
                render_block(PAGE, "add_form", oob=True, **context),
                render_block(PAGE, "tabs", oob=True, **context),
            ]
        )
    context = board_context(viewer, form=form)
    if is_htmx_partial():
        body = render_block(PAGE, "add_form", **context)
        return body, 400, {"HX-Retarget": "#add-task", "HX-Reswap": "outerHTML"}
    return render(PAGE, status=400, **context)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit(task_id):
    task = access.team_record(Task, task_id)
    user = current_user._get_current_object()
    if not task.is_open:
        return _refused(task.team, task, user)
    form = TaskForm.editing(task)
    if request.method == "GET":
        form.client.data = task.client_id or 0
    form.client.choices = _people_choices(task.team, keep=task.client)
    conflict = None
    if form.validate_on_submit():
        if task.change(user, form.version_read(), **form.values()):
            return _card_answer(
                task.team, task.id, message=_("Saved: %(task)s", task=form.title.data)
            )
        conflict = conflicts.conflict(task, form, _("changes to this task"), form.values())
        if not conflict.saved.is_open:
            return _refused(task.team, task, user)
    status = conflicts.status(form, conflict)
    return _form_page(form, task, "edit", status=status, conflict=conflict)


@bp.route("/tasks/<int:task_id>/ask", methods=["GET", "POST"])
@login_required
def ask(task_id):
    task = access.team_record(Task, task_id)
    user = current_user._get_current_object()
    if not task.is_open or task.claimed_by_id or task.pending_request:
        return _refused(task.team, task, user)
    form = AskForm()
    colleagues = [m for m in task.team.active_members() if m.id != user.id]
    form.colleague.choices = [SelectChoice(m.id, m.name) for m in colleagues]
    if form.validate_on_submit():
        colleague = next(m for m in colleagues if m.id == form.colleague.data)
        if not task.ask(user, colleague):
            return _refused(task.team, task, user)
        return _card_answer(
            task.team,
            task.id,
            message=_("You asked %(name)s: %(task)s", name=colleague.name, task=task.title),
        )
    return _form_page(form, task, "ask", status=400 if form.errors else 200)


@bp.route("/tasks/<int:task_id>/accept", methods=["POST"])
@login_required
def accept(task_id):
    task = access.asked(Task, task_id)
    user = current_user._get_current_object()
    if not task.accept(user):
        return _refused(task.team, task, user)
    return _card_answer(task.team, task.id, message=_("It is yours now: %(task)s", task=task.title))


@bp.route("/tasks/<int:task_id>/decline", methods=["POST"])
@login_required
def decline(task_id):
    task = access.asked(Task, task_id)
    user = current_user._get_current_object()
    if not task.decline(user):
        return _refused(task.team, task, user)
    return _card_answer(task.team, task.id, message=_("You said no to: %(task)s", task=task.title))


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id):
    task = access.team_record(Task, task_id)
    user = current_user._get_current_object()
    if not task.claim(user):
        return _refused(task.team, task, user)
    return _card_answer(task.team, task.id, message=_("It is yours now: %(task)s", task=task.title))


@bp.route("/tasks/<int:task_id>/hand-back", methods=["POST"])
@login_required
def hand_back(task_id):
    task = access.team_record(Task, task_id)
    user = current_user._get_current_object()
    if not task.hand_back(user):
        return _refused(task.team, task, user)
    return _card_answer(
        task.team, task.id, message=_("Handed back, up for anyone again: %(task)s", task=task.title)
    )


@bp.route("/tasks/<int:task_id>/complete", methods=["POST"])
@login_required
def complete(task_id):
    task = access.team_record(Task, task_id)
    user = current_user._get_current_object()
    if not task.complete(user):
        return _refused(task.team, task, user)
    return _card_answer(task.team, task.id, message=_("Done: %(task)s", task=task.title))
