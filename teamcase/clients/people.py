"""A person's page: who they are, how to reach them, and the contact timeline."""

from flask import Blueprint, flash, request
from flask_login import current_user, login_required

from teamcase import access
from teamcase.clients.forms import PersonForm
from teamcase.clients.page import members_choices, person_context
from teamcase.models import AuditEvent, Client, User
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
    if form.validate_on_submit():
        client = Client.open(
            team,
            by=current_user._get_current_object(),
            known_best=_members_by_id(team, form.known_best.data),
            **form.details(),
        )
        flash(f"{client.name} is now in the caseload.", "success")
        return see_other("clients.show", client_id=client.id)
    return render("clients/new.html", form=form, status=400 if form.errors else 200)


@bp.route("/<int:client_id>")
@login_required
def show(client_id):
    client = access.client(client_id)
    older = int_arg("older", 0)
    AuditEvent.record(current_user._get_current_object(), client, "view", "person", client.id)
    return render("clients/show.html", block="timeline", **person_context(client, older=older))


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id):
    client = access.client(client_id)
    form = PersonForm(obj=client if request.method == "GET" else None)
    form.known_best.choices = members_choices(client.team)
    conflict = None
    if request.method == "GET":
        form.known_best.data = [m.id for m in client.known_best_by()]
        form.version.data = client.version
    if form.validate_on_submit():
        try:
            version = int(form.version.data)
        except (TypeError, ValueError):
            version = -1
        saved = client.update_details(
            by=current_user._get_current_object(),
            version=version,
            known_best=_members_by_id(client.team, form.known_best.data),
            **form.details(),
        )
        if saved:
            flash("Details saved.", "success")
            return see_other("clients.show", client_id=client.id)
        client = Client.get_by_id(client.id)
        conflict = _conflict(client, form)
        # Their next save is a deliberate choice over the newer version.
        form.version.data = client.version
    status = 409 if conflict else (400 if form.errors else 200)
    return render("clients/edit.html", client=client, form=form, conflict=conflict, status=status)


def _conflict(client, form) -> dict:
    """Who saved in between, and which saved values differ from what was typed."""
    last = (
        AuditEvent.for_client(client)
        .where(AuditEvent.action == "update", AuditEvent.entity == "person")
        .first()
    )
    saved = client.snapshot()
    saved["known_best"] = ", ".join(u.name for u in client.known_best_by())
    typed = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in form.details().items()
    }
    chosen = {m.id for m in _members_by_id(client.team, form.known_best.data)}
    typed["known_best"] = ", ".join(c.label for c in form.known_best.choices if c.value in chosen)
    labels = {name: getattr(form, name).label.text for name in saved}
    return {
        "by": last.actor.name if last else "a colleague",
        "at": last.at if last else client.updated_at,
        "changes": [
            (labels[k], saved[k] or "(empty)")
            for k in saved
            if (saved[k] or "") != (typed.get(k) or "")
        ],
    }


@bp.route("/<int:client_id>/history")
@login_required
def history(client_id):
    client = access.client(client_id)
    events = list(AuditEvent.for_client(client).limit(200))
    return render("clients/history.html", client=client, events=events)
