"""About me: what matters to the person, in their own words, with every earlier version."""

from flask import Blueprint, abort, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access, conflicts
from teamcase.clients.forms import AboutForm
from teamcase.clients.page import section_saved
from teamcase.forms import read_version
from teamcase.models import AboutMe
from teamcase.web import is_htmx_partial, render

bp = Blueprint(
    "about", __name__, template_folder="templates", url_prefix="/people/<int:client_id>/about"
)


def _section(section: str) -> str:
    if section not in AboutMe.SECTIONS:
        abort(404)
    return section


@bp.route("/<section>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id, section):
    client = access.client(client_id)
    section = _section(section)
    current = AboutMe.current_for(client).get(section)
    # Several sections can be open for editing on the page at once.
    prefix = f"about-{section}"
    if request.method == "GET":
        form = AboutForm(formdata=None, obj=current, prefix=prefix)
        form.based_on.data = current.version if current else 0
    else:
        form = AboutForm(prefix=prefix)
    conflict = None
    if form.validate_on_submit():
        entry = AboutMe.write(
            client,
            section,
            by=current_user._get_current_object(),
            based_on=read_version(form.based_on.data),
            text=form.text.data,
            said_by=form.said_by.data,
            said_by_name=form.said_by_name.data,
        )
        if entry is not None:
            return section_saved(client, "about")
        newest = AboutMe.current_for(client).get(section)
        form.based_on.data = newest.version if newest else 0
        if newest is not None:
            conflict = conflicts.describe(
                form,
                newest.__data__,
                "saved a new version",
                what=_l("a new version"),
                by=newest.recorded_by,
                at=newest.recorded_at,
                record=newest,
            )
    return conflicts.page(
        "about/edit.html",
        form,
        conflict,
        block="form",
        client=client,
        section=section,
        title=AboutMe.SECTIONS[section],
        action=url_for("about.edit", client_id=client.id, section=section),
        inline=is_htmx_partial(),
    )


@bp.route("/<section>/versions")
@login_required
def versions(client_id, section):
    client = access.client(client_id)
    section = _section(section)
    return render(
        "about/versions.html",
        client=client,
        section=section,
        title=AboutMe.SECTIONS[section],
        versions=list(AboutMe.versions(client, section)),
    )
