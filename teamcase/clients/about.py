"""About me: what matters to the person, in their own words, with every earlier version."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from teamcase import access
from teamcase.clients.forms import AboutForm
from teamcase.clients.page import section_saved
from teamcase.models import AboutMe
from teamcase.web import render

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
        try:
            based_on = int(form.based_on.data or 0)
        except ValueError:
            based_on = -1
        entry = AboutMe.write(
            client,
            section,
            by=current_user._get_current_object(),
            based_on=based_on,
            text=form.text.data,
            said_by=form.said_by.data,
            said_by_name=form.said_by_name.data,
        )
        if entry is not None:
            return section_saved(client, "about")
        conflict = AboutMe.current_for(client).get(section)
        form.based_on.data = conflict.version if conflict else 0
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        "about/edit.html",
        block="form",
        status=status,
        client=client,
        section=section,
        title=AboutMe.SECTIONS[section],
        form=form,
        conflict=conflict,
        action=url_for("about.edit", client_id=client.id, section=section),
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
