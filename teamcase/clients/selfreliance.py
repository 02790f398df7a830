"""Who does what: self-reliance per life area on the person's page, in its section
(`selfreliance`), for the teams that keep it (Our team's details). For a team that
does not, none of these exist (404).

GET/POST /people/<id>/self-reliance       rate again (GET: the form, loaded on demand)
GET/POST /self-reliance/<id>/edit         correct one rating, refused when someone saved in between
GET/POST /self-reliance/<id>/delete       remove one rating (GET asks once), audited
"""

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access
from teamcase.clients.forms import SelfRelianceEditForm, SelfRelianceForm
from teamcase.clients.page import add_form_page, section_invalid, section_saved
from teamcase.clients.parts import PartWords, confirm_removal, edit_part
from teamcase.dates import short_day_text
from teamcase.measures.selfreliance import person_self_reliance
from teamcase.models import SelfReliance

SECTION = "selfreliance"
NAME = "selfreliance"

WORDS = PartWords(
    _l("Correct a rating of who does what"),
    _l("changes to this rating"),
    _l("Remove this rating?"),
    _l("Remove rating"),
)

bp = Blueprint(NAME, __name__, template_folder="templates")


def _kept(team) -> None:
    if not team.uses_self_reliance:
        abort(404)


def describe(rating) -> str:
    """What the question before removing it names: "Housing, 3 Mar 2026: Their network"."""
    return _(
        "%(area)s, %(day)s: %(who)s",
        area=rating.area_label,
        day=short_day_text(rating.rated_on),
        who=rating.who_label,
    )


@bp.route("/people/<int:client_id>/self-reliance", methods=["GET", "POST"], endpoint="add")
@login_required
def add(client_id):
    client = access.client(client_id)
    _kept(client.team)
    form = SelfRelianceForm(prefix=NAME)
    if form.validate_on_submit():
        SelfReliance.rate(client, current_user._get_current_object(), **form.values())
        return section_saved(client, SECTION)
    if request.method == "GET":
        form.fill_from(person_self_reliance(client).latest)
        action = url_for(f"{NAME}.add", client_id=client.id)
        return add_form_page(client, NAME, SECTION, form, action)
    return section_invalid(client, SECTION, form)


@bp.route("/self-reliance/<int:part_id>/edit", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit(part_id):
    rating = access.person_part(SelfReliance, part_id)
    _kept(rating.person.team)
    return edit_part(rating, SelfRelianceEditForm, SECTION, f"{NAME}.edit", WORDS)


@bp.route("/self-reliance/<int:part_id>/delete", methods=["GET", "POST"], endpoint="retire")
@login_required
def retire(part_id):
    rating = access.person_part(SelfReliance, part_id)
    _kept(rating.person.team)
    if request.method == "GET":
        return confirm_removal(
            rating,
            section=SECTION,
            what=describe(rating),
            question=WORDS.question,
            button=WORDS.button,
            action=url_for(f"{NAME}.retire", part_id=rating.id),
        )
    rating.remove(current_user._get_current_object())
    return section_saved(rating.person, SECTION)
