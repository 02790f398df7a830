"""Goals in the person's own words, and the steps towards them with who helps.

GET/POST /people/<id>/goals   add a goal (GET: the form, loaded into the section on demand)
GET/POST /goals/<id>/edit     words, why, how it stands and its story, review date, help wanted
GET/POST /goals/<id>/steps    add a step: what, who helps, by when (GET: the form)
GET/POST /steps/<id>/edit     change a step, refused when someone saved in between
POST /steps/<id>/done         mark a step done, or not done after all
GET/POST /steps/<id>/delete   remove a step (GET asks once), audited
"""

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamcase import access
from teamcase.clients.forms import GoalEditForm, StepDoneForm, StepForm
from teamcase.clients.page import (
    add_form_page,
    helper_value,
    new_goal_form,
    new_step_form,
    person_context,
    section_context,
    section_invalid,
    section_saved,
    step_helpers,
)
from teamcase.clients.parts import GOAL, STEP, PartWords, confirm_removal, save_edit
from teamcase.dates import local_now
from teamcase.models import Goal, Step
from teamcase.web import is_htmx_partial, render

SECTION = "goals"

goals = Blueprint("goals", __name__, template_folder="templates")
steps = Blueprint("steps", __name__, template_folder="templates")


@goals.route("/people/<int:client_id>/goals", methods=["GET", "POST"], endpoint="add")
@login_required
def add_goal(client_id):
    client = access.client(client_id)
    form = new_goal_form()
    if form.validate_on_submit():
        Goal.add(client, by=current_user._get_current_object(), **form.values())
        return section_saved(client, SECTION)
    if request.method == "GET":
        action = url_for("goals.add", client_id=client.id)
        return add_form_page(client, "goals", SECTION, form, action)
    return section_invalid(client, SECTION, form)


@goals.route("/goals/<int:part_id>/edit", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit_goal(part_id):
    goal = access.person_part(Goal, part_id)
    # Prefixed: field ids stay unique with several goals open for editing on one page.
    prefix = f"goal-{goal.id}"
    if request.method == "GET":
        form = GoalEditForm(formdata=None, obj=goal, prefix=prefix)
    else:
        form = GoalEditForm(prefix=prefix)
    return _save(goal, form, GOAL, "goals.edit")


@goals.route("/goals/<int:part_id>/steps", methods=["GET", "POST"])
@login_required
def add_step(part_id):
    goal = access.person_part(Goal, part_id)
    client = goal.person
    form = new_step_form(goal, step_helpers(client))
    if form.validate_on_submit():
        Step.add(goal, by=current_user._get_current_object(), **form.values())
        return section_saved(client, SECTION)
    if request.method == "GET":
        action = url_for("goals.add_step", part_id=goal.id)
        return add_form_page(client, "steps", SECTION, form, action, goal=goal)
    return section_invalid(client, SECTION, form)


@steps.route("/steps/<int:part_id>/edit", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit_step(part_id):
    step = access.person_part(Step, part_id)
    prefix = f"step-{step.id}"
    if request.method == "GET":
        form = StepForm(formdata=None, obj=step, prefix=prefix)
        form.helper.data = helper_value(step)
    else:
        form = StepForm(prefix=prefix)
    form.helper.choices = step_helpers(step.person, keep=step)
    return _save(step, form, STEP, "steps.edit")


@steps.route("/steps/<int:part_id>/done", methods=["POST"], endpoint="done")
@login_required
def mark_done(part_id):
    step = access.person_part(Step, part_id)
    form = StepDoneForm()
    if not form.validate_on_submit():
        abort(400)
    done_on = local_now().date() if form.done.data else None
    # The form says which state is wanted, so a second tap changes nothing.
    if (step.done_on is None) != (done_on is None) and not step.change(
        current_user._get_current_object(), step.version, done_on=done_on
    ):
        return _refused(
            step.person,
            _(
                "A colleague changed this step at the same moment. Here is what is saved now; "
                "mark it again if it is still needed."
            ),
        )
    return section_saved(step.person, SECTION)


# Named "retire" like the other parts' removal routes.
@steps.route("/steps/<int:part_id>/delete", methods=["GET", "POST"], endpoint="retire")
@login_required
def delete_step(part_id):
    step = access.person_part(Step, part_id)
    if request.method == "GET":
        return confirm_removal(
            step,
            section=SECTION,
            what=step.text,
            question=STEP.question,
            button=STEP.button,
            action=url_for("steps.retire", part_id=step.id),
        )
    step.remove(current_user._get_current_object())
    return section_saved(step.person, SECTION)


def _save(part, form, words: PartWords, endpoint: str):
    return save_edit(part, form, SECTION, endpoint, words)


def _refused(client, message):
    """The goals section as it is saved now, with why nothing was changed (409)."""
    context = section_context(SECTION, client) if is_htmx_partial() else person_context(client)
    return render("clients/show.html", block=SECTION, status=409, goals_notice=message, **context)
