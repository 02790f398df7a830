"""Add, edit and retire simple parts of a person's record: strengths, offers, consent.

Each part gets the same three routes, made by `part_blueprint`:
  GET/POST /people/<id>/<name>    add (GET: the form, loaded into its section on demand)
  GET/POST /<name>/<id>/edit      edit, refused when someone saved in between
  GET/POST /<name>/<id>/<retire>  remove (or withdraw, or end): GET asks once (in place
                                  for htmx, a page of its own without JavaScript), POST
                                  does it, audited with the removed text
"""

from typing import NamedTuple

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access, conflicts
from teamcase.clients.forms import ConsentForm, OfferForm, StrengthForm
from teamcase.clients.page import add_form_page, prepare, section_invalid, section_saved
from teamcase.models import Consent, Offer, Strength
from teamcase.web import render


class PartWords(NamedTuple):
    """How the pages name one kind of part, each a whole phrase of its own."""

    edit: str  # the edit form's heading: "Edit strength"
    changes: str  # what a save changes, as a conflict says it: "changes to this strength"
    question: str = ""  # asked before it goes: "Remove this strength?"
    button: str = ""  # the button that removes it: "Remove strength"


STRENGTH = PartWords(
    _l("Edit strength"),
    _l("changes to this strength"),
    _l("Remove this strength?"),
    _l("Remove strength"),
)
OFFER = PartWords(
    _l("Edit offer"), _l("changes to this offer"), _l("Remove this offer?"), _l("Remove offer")
)
CONSENT = PartWords(
    _l("Edit consent"),
    _l("changes to this consent"),
    _l("Withdraw this consent?"),
    _l("Withdraw consent"),
)
NETWORK = PartWords(
    _l("Edit person in the network"),
    _l("changes to this person in the network"),
    _l("Is this person no longer around?"),
    _l("No longer around"),
)
GOAL = PartWords(_l("Edit goal"), _l("changes to this goal"))
STEP = PartWords(
    _l("Edit step"), _l("changes to this step"), _l("Remove this step?"), _l("Remove step")
)


def confirm_removal(
    part,
    *,
    section: str | None,
    what: str,
    question: str,
    button: str,
    action: str,
    kept: str | None = None,
    back: str | None = None,
    back_label: str | None = None,
):
    """Ask once before something leaves the record: the question with its own
    words, a button that does it and a way to keep it. Nothing is written.

    With htmx the question comes in place of the item and the answer replaces the
    element `section` names: a section of the person's page for a part of their
    record, or the list the item is in elsewhere (the agenda, the team's roles),
    which then says where to go `back`. With `section` None, and always without
    JavaScript, the question is a page of its own that goes `back` when kept."""
    client = getattr(part, "person", None)
    if back is None:
        back = url_for("clients.show", client_id=client.id, _anchor=section)
    return render(
        "parts/remove.html",
        block="confirm",
        title=client.name if client else back_label,
        back=back,
        back_label=back_label or client.name,
        section=section,
        what=what,
        question=question,
        button=button,
        action=action,
        kept=kept or _("%(name)s’s history keeps what it said.", name=client.name),
        confirm_id=f"remove-{action.strip('/').replace('/', '-')}",
    )


def edit_part(part, form_class, section: str, endpoint: str, words: PartWords):
    """The edit view shared by strengths, offers, consent and the network."""
    client = part.person
    prefix = f"{endpoint.split('.')[0]}-{part.id}"
    form = prepare(form_class.editing(part, prefix=prefix), client)
    return save_edit(part, form, section, endpoint, words)


def save_edit(part, form, section: str, endpoint: str, words: PartWords):
    """Save an edit unless someone saved since the form was read (then 409, with
    what was typed kept), or show the form again with what needs fixing."""
    conflict = None
    if form.validate_on_submit():
        values = form.values()
        if part.change(current_user._get_current_object(), form.version_read(), **values):
            return section_saved(part.person, section)
        conflict = conflicts.conflict(part, form, words.changes, values)
    return conflicts.page(
        "parts/edit.html",
        form,
        conflict,
        block="form",
        client=part.person,
        part=part,
        heading=words.edit,
        section=section,
        # One id per kind of part: a goal and a step may share a number.
        edit_id=f"edit-{endpoint.split('.')[0].removesuffix('s')}-{part.id}",
        action=url_for(endpoint, part_id=part.id),
    )


def part_blueprint(
    name,
    model,
    form_class,
    *,
    section,
    words: PartWords,
    retire="delete",
    retire_with=None,
    describe=lambda part: part.text,
):
    bp = Blueprint(name, __name__, template_folder="templates")

    @bp.route(f"/people/<int:client_id>/{name}", methods=["GET", "POST"], endpoint="add")
    @login_required
    def add(client_id):
        client = access.client(client_id)
        # Prefixed as on the person's page, where a form with errors comes back.
        form = prepare(form_class(prefix=name), client)
        if form.validate_on_submit():
            model.add(client, by=current_user._get_current_object(), **form.values())
            return section_saved(client, section)
        if request.method == "GET":
            action = url_for(f"{name}.add", client_id=client.id)
            return add_form_page(client, name, section, form, action)
        return section_invalid(client, section, form)

    @bp.route(f"/{name}/<int:part_id>/edit", methods=["GET", "POST"], endpoint="edit")
    @login_required
    def edit(part_id):
        part = access.person_part(model, part_id)
        return edit_part(part, form_class, section, f"{name}.edit", words)

    @bp.route(f"/{name}/<int:part_id>/{retire}", methods=["GET", "POST"], endpoint="retire")
    @login_required
    def retire_part(part_id):
        part = access.person_part(model, part_id)
        if request.method == "GET":
            return confirm_removal(
                part,
                section=section,
                what=describe(part),
                question=words.question,
                button=words.button,
                action=url_for(f"{name}.retire", part_id=part.id),
            )
        by = current_user._get_current_object()
        if retire_with:
            retire_with(part, by)
        else:
            part.remove(by)
        return section_saved(part.person, section)

    return bp


strengths = part_blueprint("strengths", Strength, StrengthForm, section="strengths", words=STRENGTH)
offers = part_blueprint("offers", Offer, OfferForm, section="offers", words=OFFER)
consents = part_blueprint(
    "consents",
    Consent,
    ConsentForm,
    section="consent",
    words=CONSENT,
    retire="withdraw",
    retire_with=lambda consent, by: consent.withdraw(by),
    describe=lambda consent: consent.what,
)
