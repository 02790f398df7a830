"""The Omaha System on the person's page, in its section (`omaha`), for the teams
that use it (Our team's details). For a team that does not, none of these exist (404).

GET/POST /people/<id>/omaha        add a problem, one of the 42 by domain (GET: the form)
GET/POST /omaha/<id>/rate          rate it: Knowledge, Behaviour, Status; refused when
                                   someone rated it in between
GET/POST /omaha/<id>/strengths     link the person's own strengths to it
GET/POST /omaha/<id>/end           no longer a problem, from a day
POST     /omaha/<id>/again         take an ended problem up again
"""

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access, conflicts
from teamcase.clients.forms import (
    OmahaAgainForm,
    OmahaEndForm,
    OmahaProblemForm,
    OmahaRatingForm,
    OmahaStrengthsForm,
)
from teamcase.clients.page import add_form_page, section_invalid, section_saved
from teamcase.models import OmahaProblem, Strength
from teamcase.omaha import CONCEPTS

SECTION = "omaha"
NAME = "omaha"
CHANGES = _l("changes to this problem")

bp = Blueprint(NAME, __name__, template_folder="templates")


def _used(team) -> None:
    if not team.uses_omaha:
        abort(404)


def _problem(part_id) -> OmahaProblem:
    problem = access.person_part(OmahaProblem, part_id)
    _used(problem.person.team)
    return problem


def _taken(client) -> set[str]:
    codes = OmahaProblem.select(OmahaProblem.code).where(OmahaProblem.client == client)
    return set(codes.scalars())


def _form_page(problem, form, conflict, heading, endpoint, kind):
    return conflicts.page(
        "parts/edit.html",
        form,
        conflict,
        block="form",
        client=problem.person,
        part=problem,
        heading=heading,
        section=SECTION,
        edit_id=f"{kind}-omaha-{problem.id}",
        action=url_for(endpoint, part_id=problem.id),
    )


@bp.route("/people/<int:client_id>/omaha", methods=["GET", "POST"], endpoint="add")
@login_required
def add(client_id):
    client = access.client(client_id)
    _used(client.team)
    form = OmahaProblemForm(prefix=NAME).offer(_taken(client))
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if OmahaProblem.add(client, user, form.code.data, form.added_on.data) is not None:
            return section_saved(client, SECTION)
        # Added by someone else since the form was read.
        form.code.errors.append(_("This problem is on their list already."))
    elif request.method == "GET":
        action = url_for(f"{NAME}.add", client_id=client.id)
        return add_form_page(client, NAME, SECTION, form, action)
    return section_invalid(client, SECTION, form)


@bp.route("/omaha/<int:part_id>/rate", methods=["GET", "POST"], endpoint="rate")
@login_required
def rate(part_id):
    problem = _problem(part_id)
    form = OmahaRatingForm(prefix=f"omaha-rate-{problem.id}")
    if request.method == "GET":
        # Starts from the newest rating: only what changed needs a tap.
        newest = problem.newest_rating()
        form.version.data = newest.number if newest else 0
        for concept in CONCEPTS:
            form[concept].data = getattr(newest, concept) if newest else None
    conflict = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if problem.rate(user, form.version_read(), **form.values()) is not None:
            return section_saved(problem.person, SECTION)
        newest = problem.newest_rating()
        form.version.data = newest.number if newest else 0
        if newest is None:
            # Nobody rated it: what the form carried was no rating's number.
            form.rated_on.errors.append(_("The form had expired. Send it again."))
        else:
            conflict = conflicts.describe(
                form,
                {concept: getattr(newest, concept) for concept in CONCEPTS}
                | {"rated_on": newest.rated_on},
                "rated it",
                what=_l("a newer rating"),
                by=newest.rated_by,
                at=newest.created_at,
                record=newest,
            )
    heading = _("Rate: %(problem)s", problem=problem.name)
    return _form_page(problem, form, conflict, heading, f"{NAME}.rate", "rate")


@bp.route("/omaha/<int:part_id>/strengths", methods=["GET", "POST"], endpoint="strengths")
@login_required
def strengths(part_id):
    problem = _problem(part_id)
    if request.method == "GET":
        form = OmahaStrengthsForm(formdata=None, prefix=f"omaha-strengths-{problem.id}")
        form.version.data = problem.version
        form.strengths.data = [s.id for s in problem.strengths()]
    else:
        form = OmahaStrengthsForm(prefix=f"omaha-strengths-{problem.id}")
    form.strengths.choices = [
        (s.id, f"{s.text} ({s.category_label})") for s in Strength.for_client(problem.person)
    ]
    conflict = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if problem.link_strengths(user, form.version_read(), form.strengths.data or []):
            return section_saved(problem.person, SECTION)
        conflict = conflicts.conflict(problem, form, CHANGES, {})
    heading = _("Strengths that help: %(problem)s", problem=problem.name)
    return _form_page(problem, form, conflict, heading, f"{NAME}.strengths", "strengths")


@bp.route("/omaha/<int:part_id>/end", methods=["GET", "POST"], endpoint="end")
@login_required
def end(part_id):
    problem = _problem(part_id)
    if request.method == "GET":
        form = OmahaEndForm(formdata=None, prefix=f"omaha-end-{problem.id}")
        form.version.data = problem.version
    else:
        form = OmahaEndForm(prefix=f"omaha-end-{problem.id}")
    form.added_on = problem.added_on
    conflict = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if problem.end(user, form.version_read(), form.ended_on.data):
            return section_saved(problem.person, SECTION)
        conflict = conflicts.conflict(problem, form, CHANGES, {"ended_on": form.ended_on.data})
    heading = _("End: %(problem)s", problem=problem.name)
    return _form_page(problem, form, conflict, heading, f"{NAME}.end", "end")


@bp.route("/omaha/<int:part_id>/again", methods=["POST"], endpoint="again")
@login_required
def again(part_id):
    problem = _problem(part_id)
    form = OmahaAgainForm(prefix=f"omaha-again-{problem.id}")
    conflict = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if problem.take_up_again(user, form.version_read()):
            return section_saved(problem.person, SECTION)
        conflict = conflicts.conflict(problem, form, CHANGES, {})
    heading = _("Take up again: %(problem)s", problem=problem.name)
    return _form_page(problem, form, conflict, heading, f"{NAME}.again", "again")
