"""Recording a contact, and correcting or removing it within the edit window."""

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access, conflicts
from teamcase.clients.caseload import filter_from_request
from teamcase.clients.page import new_contact_form, person_context
from teamcase.clients.parts import confirm_removal
from teamcase.clients.people import _members_by_id
from teamcase.dates import to_local, to_utc
from teamcase.models import Contact
from teamcase.web import render, see_other

bp = Blueprint("contacts", __name__, template_folder="templates")


def _back_to(client):
    if request.args.get("from") == "caseload":
        # To the caseload as she left it: the same search, sort and page.
        return see_other("caseload.index", **filter_from_request())
    return see_other("clients.show", client_id=client.id)


@bp.route("/people/<int:client_id>/contacts/new", methods=["GET", "POST"])
@login_required
def new(client_id):
    client = access.client(client_id)
    user = current_user._get_current_object()
    form = new_contact_form(
        client, user, formdata=request.form if request.method == "POST" else None
    )
    if request.method == "POST" and form.validate():
        earlier = Contact.sent_before(form.sent_as())
        if earlier is not None and (earlier.client_id, earlier.author_id) != (client.id, user.id):
            # Not this person's, not hers: an id made twice, never a second record.
            abort(409)
        contact = Contact.record(
            client,
            by=user,
            colleagues=_members_by_id(client.team, form.colleagues.data),
            happened_at=to_utc(form.happened_at.data),
            client_uuid=form.sent_as(),
            **form.fields(),
        )
        flash(
            _("%(kind)s recorded for %(name)s.", kind=contact.kind_label, name=client.name),
            "success",
        )
        return _back_to(client)
    status = 400 if form.errors else 200
    if request.args.get("inline"):
        # The quick form on the person's page: show the errors where it was.
        return render("clients/show.html", status=status, **person_context(client, form))
    back = filter_from_request() if request.args.get("from") == "caseload" else None
    return render("contacts/new.html", client=client, form=form, back=back, status=status)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit(contact_id):
    contact = access.contact(contact_id, correcting=True)
    client = contact.client
    user = current_user._get_current_object()
    form = new_contact_form(
        client,
        user,
        formdata=request.form if request.method == "POST" else None,
        keep_goal=contact.goal_id,
    )
    conflict = None
    if request.method == "GET":
        _fill(form, contact)
    elif form.validate():
        fields = {"happened_at": to_utc(form.happened_at.data), **form.fields()}
        saved = contact.correct(
            by=user,
            version=form.version_read(),
            colleagues=_members_by_id(client.team, form.colleagues.data),
            **fields,
        )
        if saved:
            flash(_("Contact corrected."), "success")
            return see_other("clients.show", client_id=client.id)
        typed = {**fields, "colleagues": form.colleagues.data}
        conflict = conflicts.conflict(contact, form, _l("changes to this contact"), typed)
    return conflicts.page(
        "contacts/edit.html",
        form,
        conflict,
        client=client,
        contact=contact,
        window=current_app.config["CONTACT_EDIT_HOURS"],
    )


def _fill(form, contact):
    form.kind.data = contact.kind
    form.fill_duration(contact.minutes)
    form.happened_at.data = to_local(contact.happened_at)
    form.note.data = contact.note
    form.colleagues.data = [m.member_id for m in contact.members]
    form.incoming.data = contact.incoming
    form.demand.data = contact.demand or None
    form.demand_why.data = contact.demand_why
    form.resolved.data = {True: "yes", False: "no"}.get(contact.resolved_first_time)
    form.goal.data = contact.goal_id or 0
    form.version.data = contact.version


@bp.route("/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
@login_required
def delete(contact_id):
    contact = access.contact(contact_id, correcting=True)
    client = contact.client
    if request.method == "GET":
        when = _when(contact)
        note = contact.note if len(contact.note) <= 80 else contact.note[:79].rstrip() + "…"
        said = {"kind": contact.kind_label, "when": when, "note": note}
        return confirm_removal(
            contact,
            section=None,
            what=_("%(kind)s of %(when)s: %(note)s", **said)
            if note
            else _("%(kind)s of %(when)s", **said),
            question=_("Remove this contact?"),
            button=_("Remove this contact"),
            action=url_for("contacts.delete", contact_id=contact.id),
            kept=_("%(name)s’s history keeps what it said.", name=client.name),
            back=url_for("contacts.edit", contact_id=contact.id),
            back_label=client.name,
        )
    contact.remove(by=current_user._get_current_object())
    flash(
        _("%(kind)s of %(when)s removed.", kind=contact.kind_label, when=_when(contact)), "success"
    )
    return see_other("clients.show", client_id=client.id)


def _when(contact) -> str:
    """'3 Nov 10:42': the day and time of a contact, to name it."""
    return f"{format_date(contact.happened_at, 'd MMM')} {to_local(contact.happened_at):%H:%M}"
