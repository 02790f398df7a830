"""A person's page: who they are, how to reach them, and the contact timeline."""

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access, conflicts, pagecache
from teamcase.clients.forms import PersonForm
from teamcase.clients.page import members_choices, person_context
from teamcase.models import AuditEvent, Client, Referral, User
from teamcase.web import int_arg, render, see_other

bp = Blueprint("clients", __name__, template_folder="templates", url_prefix="/people")


def _members_by_id(team, ids) -> list[User]:
    wanted = set(ids or ())
    return [m for m in team.active_members() if m.id in wanted]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    form = PersonForm()
    form.known_best.choices = members_choices(team)
    if request.method == "GET":
        form.known_best.data = [current_user.id]
    likely = referrals = []
    if form.validate_on_submit() and not form.go_on.data:
        likely = Client.likely_named(team, form.name.data)
        referrals = Referral.likely_named(team, form.name.data)
    if form.validate_on_submit() and not (likely or referrals):
        client = Client.open(
            team,
            by=current_user._get_current_object(),
            known_best=_members_by_id(team, form.known_best.data),
            **form.details(),
        )
        flash(_("%(name)s is now in the caseload.", name=client.name), "success")
        return see_other("clients.show", client_id=client.id)
    return render(
        "clients/new.html",
        form=form,
        likely=likely,
        likely_referrals=referrals,
        status=400 if form.errors else 200,
    )


@bp.route("/<int:client_id>")
@login_required
def show(client_id):
    client = access.client(client_id)
    older = int_arg("older", 0)
    AuditEvent.record(current_user._get_current_object(), client, "view", "person", client.id)
    # Rendered once per change of the team's data (the audit row above is written
    # on every view, and moves nothing).
    return pagecache.page(
        lambda: render("clients/show.html", block="timeline", **person_context(client, older=older))
    )


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id):
    client = access.client(client_id)
    form = PersonForm.editing(client)
    form.known_best.choices = members_choices(client.team)
    conflict = None
    if request.method == "GET":
        form.known_best.data = [m.id for m in client.known_best_by()]
    if form.validate_on_submit():
        saved = client.update_details(
            by=current_user._get_current_object(),
            version=form.version_read(),
            known_best=_members_by_id(client.team, form.known_best.data),
            **form.details(),
        )
        if saved:
            flash(_("Details saved."), "success")
            return see_other("clients.show", client_id=client.id)
        typed = {**form.details(), "known_best": form.known_best.data}
        conflict = conflicts.conflict(client, form, _l("changes to these details"), typed)
        client = conflict.saved
    return conflicts.page("clients/edit.html", form, conflict, client=client)


@bp.route("/<int:client_id>/history")
@login_required
def history(client_id):
    client = access.client(client_id)
    events = list(AuditEvent.for_client(client).limit(200))
    return render("clients/history.html", client=client, events=events)
