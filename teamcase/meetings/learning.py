"""The team's learning on one page: its training plan and its experiments.

  GET      /learning/                              the training plan and the experiments
  GET      /learning/teams/<team_id>               the same page for a linked coach, read-only
  GET/POST /learning/training/new                  add training (?decision=<id>: from a decision)
  GET/POST /learning/training/<id>/edit            change it, refused when someone saved since
  POST     /learning/training/<id>/done            done today
  GET/POST /learning/experiments/new               start an experiment (?decision=<id> too)
  GET/POST /learning/experiments/<id>/edit         change what we try, why, how we'll know
  GET/POST /learning/experiments/<id>/outcome      what happened: keep it, drop it, or run on

Both are the team's records, not a person's: their audit events carry the team.
"""

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access, conflicts
from teamcase.dates import local_now
from teamcase.measures.weekly import BY_CODE
from teamcase.meetings.forms import ExperimentForm, ExperimentOutcomeForm, TrainingForm
from teamcase.models import AuditEvent, Decision, Experiment, TrainingItem
from teamcase.web import id_arg, render, see_other

bp = Blueprint("learning", __name__, template_folder="templates", url_prefix="/learning")


def _user():
    return current_user._get_current_object()


def learning_context(viewer) -> dict:
    team = viewer.team
    training = list(TrainingItem.plan(team))
    experiments = list(Experiment.log(team))
    return {
        "team": team,
        "viewer": viewer,
        "to_do": [t for t in training if t.done_on is None],
        "done": [t for t in training if t.done_on is not None],
        "running": [e for e in experiments if e.outcome == Experiment.RUNNING],
        "finished": [e for e in experiments if e.outcome != Experiment.RUNNING],
        "today": local_now().date(),
    }


@bp.route("/")
@login_required
def index():
    viewer = access.team_viewer()
    return render("learning/index.html", **learning_context(viewer))


@bp.route("/teams/<int:team_id>")
@login_required
def team_page(team_id):
    viewer = access.team_viewer(team_id)
    return render("learning/index.html", **learning_context(viewer))


def _from_decision():
    """The decision a new record comes from (?decision=<id>, kept in the form's
    action), of the member's own team; None without one."""
    decision_id = id_arg("decision")
    return None if decision_id is None else access.team_record(Decision, decision_id)


def _edit(model, record_id, form_class, template_args, message):
    """Edit a training item or an experiment: 409 with who saved, and what was
    typed kept, when a colleague saved since the form was opened."""
    record = access.team_record(model, record_id)
    form = form_class.editing(record)
    conflict = None
    if form.validate_on_submit():
        if record.change(_user(), form.version_read(), **form.values()):
            flash(message, "success")
            return see_other("learning.index", _anchor=f"{model.ENTITY}-{record.id}")
        what = f"changes to this {template_args['noun']}"
        conflict = conflicts.conflict(record, form, what, form.values())
        record = conflict.saved
    return conflicts.page("learning/form.html", form, conflict, record=record, **template_args)


def _new(model, form_class, template_args, message):
    team = access.member_team()
    decision = _from_decision()
    form = form_class()
    if request.method == "GET":
        if model is Experiment:
            form.started_on.data = local_now().date()
            measure = BY_CODE.get(request.args.get("measure", ""))
            if measure is not None:
                # From a chart of "How we are doing": the chart is how we'll know.
                form.measure.data = measure.code
                form.how_we_know.data = _(
                    "We watch the chart “%(title)s” on How we are doing: does it show a "
                    "change after we start?",
                    title=measure.title,
                )
        if decision is not None:
            # Start from the decision's words; the team shortens them as it likes.
            first = decision.proposal.strip().split("\n")[0]
            field = form.topic if model is TrainingItem else form.title
            field.data = first[:200]
    if form.validate_on_submit():
        record = model.add(team, _user(), decision=decision, **form.values())
        flash(message, "success")
        if getattr(record, "measure", ""):
            # Back to the chart it came from, where the change now shows.
            return see_other("measures.index", _anchor=f"measure-{record.measure}")
        return see_other("learning.index", _anchor=f"{model.ENTITY}-{record.id}")
    # The page that adds a record is the edit page without one: no conflict.
    return conflicts.page(
        "learning/form.html", form, None, record=None, decision=decision, **template_args
    )


TRAINING = {"kind": "training", "noun": "training"}
EXPERIMENT = {
    "kind": "experiment",
    "noun": "experiment",
    "chart_titles": {code: m.title for code, m in BY_CODE.items()},
}
OUTCOME = {"kind": "outcome", "noun": "experiment"}


@bp.route("/training/new", methods=["GET", "POST"])
@login_required
def new_training():
    return _new(TrainingItem, TrainingForm, TRAINING, _l("Added to the training plan."))


@bp.route("/training/<int:training_id>/edit", methods=["GET", "POST"])
@login_required
def edit_training(training_id):
    return _edit(TrainingItem, training_id, TrainingForm, TRAINING, _l("Training saved."))


@bp.route("/training/<int:training_id>/done", methods=["POST"])
@login_required
def training_done(training_id):
    item = access.team_record(TrainingItem, training_id)
    # Nothing to type: CSRFProtect checks the token of this one-button form.
    if item.mark_done(_user(), local_now().date()):
        flash(_("“%(topic)s” is done.", topic=item.topic), "success")
    else:
        last = AuditEvent.last_change(TrainingItem.ENTITY, item.id)
        flash(
            _(
                "%(name)s already marked “%(topic)s” as done.",
                name=last.actor.name,
                topic=item.topic,
            )
            if last
            else _("A colleague already marked “%(topic)s” as done.", topic=item.topic),
            "info",
        )
    return see_other("learning.index", _anchor=f"training-{item.id}")


@bp.route("/experiments/new", methods=["GET", "POST"])
@login_required
def new_experiment():
    return _new(Experiment, ExperimentForm, EXPERIMENT, _l("The experiment has started."))


@bp.route("/experiments/<int:experiment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_experiment(experiment_id):
    return _edit(Experiment, experiment_id, ExperimentForm, EXPERIMENT, _l("Experiment saved."))


@bp.route("/experiments/<int:experiment_id>/outcome", methods=["GET", "POST"])
@login_required
def experiment_outcome(experiment_id):
    return _edit(
        Experiment, experiment_id, ExperimentOutcomeForm, OUTCOME, _l("What happened is saved.")
    )
