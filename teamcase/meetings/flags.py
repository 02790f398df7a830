"""From the person's page: flag them for the team meeting, and set the date the
team talks about them again.
"""

from flask import flash, request
from flask_babel import gettext as _
from flask_login import login_required

from teamcase import access
from teamcase.dates import day_text, local_now
from teamcase.meetings import bp, me
from teamcase.meetings.forms import FlagForm, ReviewDateForm
from teamcase.models import (
    MeetingFlag,
)
from teamcase.web import is_htmx_partial, render, see_other

# From the person's page: flag for the meeting, the review date


def card_context(client, flag_form=None, review_form=None, notice=None) -> dict:
    return {
        "client": client,
        "today": local_now().date(),
        "meeting_flags": MeetingFlag.open_for(client),
        "flag_form": flag_form,
        "review_form": review_form,
        "notice": notice,
    }


def _card(client, status=200, **forms):
    return render(
        "meetings/person.html", block="card", status=status, **card_context(client, **forms)
    )


def _card_changed(client, notice: str):
    if is_htmx_partial():
        return _card(client, notice=notice)
    flash(notice, "success")
    return see_other("clients.show", client_id=client.id, _anchor="meeting-card")


@bp.route("/people/<int:client_id>/flag", methods=["GET", "POST"])
@login_required
def flag(client_id):
    client = access.client(client_id)
    form = FlagForm(prefix="flag")
    if request.method == "POST":
        if not form.validate():
            return _card(client, status=400, flag_form=form)
        client.flag_for_meeting(me(), form.reason.data)
        return _card_changed(
            client,
            _("%(name)s is flagged for the next meeting; the agenda shows why.", name=client.name),
        )
    return _card(client, flag_form=form)


@bp.route("/people/<int:client_id>/review", methods=["GET", "POST"])
@login_required
def review_date(client_id):
    client = access.client(client_id)
    form = ReviewDateForm(
        prefix="review", data={"review_on": client.review_on} if request.method == "GET" else None
    )
    form.keep_day = client.review_on
    if request.method == "POST":
        if not form.validate():
            return _card(client, status=400, review_form=form)
        client.set_review_date(me(), form.day())
        notice = (
            _(
                "The team talks about %(name)s again from %(day)s.",
                name=client.name,
                day=day_text(form.day()),
            )
            if form.day()
            else _("%(name)s has no review date now.", name=client.name)
        )
        return _card_changed(client, notice)
    return _card(client, review_form=form)
