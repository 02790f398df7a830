"""Closing, reopening and transferring a person's case, and the letter that goes with it.

A case closes with a reason and a short story in plain words; a closed case can be
reopened, which starts a new period in care. A transfer asks another team to take
the person over (it lands in their referrals inbox); until they accept, the person
stays here. The letter (a PDF) tells the GP, or the receiving team, what was done.
"""

import datetime as dt

from flask import Blueprint, abort, flash, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from peewee import fn
from wtforms.fields.choices import SelectChoice

from teamcase import access, conflicts, pdf
from teamcase.clients.forms import CloseForm, ReopenForm, TransferForm
from teamcase.dates import local_now, span_text, to_local
from teamcase.models import AuditEvent, Client, Goal, NetworkMember, PlannedVisit, Referral, Team
from teamcase.reports.profile import shorten
from teamcase.web import page_arg, render, see_other

bp = Blueprint("closing", __name__, template_folder="templates", url_prefix="/people")

CLOSED_PAGE_SIZE = 50


@bp.app_template_filter("in_care")
def in_care(client) -> str:
    """The current or last period in care of `client`, up to its closing or today."""
    start = to_local(client.care_started_at).date()
    end = to_local(client.closed_at).date() if client.closed_at else local_now().date()
    return span_text(start, end)


def _user():
    return current_user._get_current_object()


@bp.route("/<int:client_id>/close", methods=["GET", "POST"])
@login_required
def close(client_id):
    client = access.client(client_id)
    if request.method == "GET" and client.status == Client.CLOSED:
        flash(_("%(name)s's case is closed already.", name=client.name), "info")
        return see_other("clients.show", client_id=client.id)
    # A case waiting on another team's answer cannot close under their hands.
    transfer = client.pending_transfer() if client.status == Client.ACTIVE else None
    form = CloseForm.editing(client)
    conflict = None
    if transfer is None and form.validate_on_submit():
        closed = client.close(
            by=_user(),
            version=form.version_read(),
            reason=form.reason.data,
            story=form.story.data,
            today=local_now().date(),
        )
        if closed:
            flash(
                _("%(name)s's case is closed. The letter for the GP is ready.", name=client.name),
                "success",
            )
            return see_other("clients.show", client_id=client.id)
        conflict = conflicts.conflict(client, form, _l("changes to the details"))
        client = conflict.saved
    if conflict or (transfer and request.method == "POST"):
        status = 409
    else:
        status = 400 if form.errors else 200
    visits_ahead = (
        PlannedVisit.select()
        .where(
            PlannedVisit.client == client.id,
            PlannedVisit.day >= local_now().date(),
            PlannedVisit.status == PlannedVisit.PLANNED,
        )
        .count()
    )
    return render(
        "closing/close.html",
        visits_ahead=visits_ahead,
        client=client,
        form=form,
        conflict=conflict,
        transfer=transfer,
        status=status,
    )


@bp.route("/<int:client_id>/reopen", methods=["GET", "POST"])
@login_required
def reopen(client_id):
    client = access.client(client_id)
    if request.method == "GET" and client.status != Client.CLOSED:
        flash(_("%(name)s's case is open: there is nothing to reopen.", name=client.name), "info")
        return see_other("clients.show", client_id=client.id)
    form = ReopenForm.editing(client)
    conflict = None
    if form.validate_on_submit():
        if client.reopen(by=_user(), version=form.version_read(), note=form.note.data):
            flash(
                _(
                    "%(name)s's case is open again: a new period in care starts today.",
                    name=client.name,
                ),
                "success",
            )
            return see_other("clients.show", client_id=client.id)
        conflict = conflicts.conflict(client, form, _l("changes to the details"))
        client = conflict.saved
    return conflicts.page("closing/reopen.html", form, conflict, client=client)


def _team_choices(client) -> list[SelectChoice]:
    teams = Team.select(Team.id, Team.name, Team.area).where(Team.id != client.team_id)
    choices = [
        SelectChoice(team.id, f"{team.name} ({team.area})" if team.area else team.name)
        for team in teams.order_by(Team.name)
    ]
    return [SelectChoice(0, _("Choose a team")), *choices] if choices else []


@bp.route("/<int:client_id>/transfer", methods=["GET", "POST"])
@login_required
def transfer(client_id):
    client = access.client(client_id)
    if request.method == "GET" and client.status != Client.ACTIVE:
        flash(
            _("%(name)s's case is closed. Reopen it before a transfer.", name=client.name), "info"
        )
        return see_other("clients.show", client_id=client.id)
    pending = client.pending_transfer()
    form = TransferForm()
    form.team.choices = _team_choices(client)
    refused = False
    if pending is None and client.status == Client.ACTIVE and form.validate_on_submit():
        team = Team.get_by_id(form.team.data)
        if client.transfer_to(team, by=_user(), note=form.note.data):
            flash(
                _(
                    "%(team)s is asked to take %(name)s over. "
                    "%(name)s stays with you until they accept.",
                    team=team.name,
                    name=client.name,
                ),
                "success",
            )
            return see_other("clients.show", client_id=client.id)
        # A colleague asked first, or closed the case, in the same moment.
        client = Client.get_by_id(client.id)
        pending = client.pending_transfer()
        refused = True
    if request.method == "POST" and (pending or refused or client.status != Client.ACTIVE):
        status = 409
    else:
        status = 400 if form.errors else 200
    return render(
        "closing/transfer.html",
        client=client,
        form=form,
        pending=pending,
        status=status,
    )


@bp.route("/<int:client_id>/transfer/withdraw", methods=["POST"])
@login_required
def withdraw(client_id):
    client = access.client(client_id)
    referral = client.withdraw_transfer(by=_user())
    if referral is not None:
        flash(
            _(
                "The transfer to %(team)s is withdrawn. %(name)s stays with you.",
                team=referral.team.name,
                name=client.name,
            ),
            "success",
        )
    else:
        flash(_no_transfer_waiting(client), "info")
    return see_other("clients.show", client_id=client.id)


def _no_transfer_waiting(client) -> str:
    """Why there was nothing to withdraw: who decided the latest transfer, if any."""
    latest = (
        Referral.select(Referral, Team)
        .join(Team, on=(Referral.team == Team.id))
        .where(Referral.client == client, Referral.from_team == client.team_id)
        .order_by(Referral.received_at.desc(), Referral.id.desc())
        .first()
    )
    if latest is None or latest.decided_by_id is None:
        return _("There was no transfer waiting to withdraw.")
    said = {
        "name": latest.decided_by.name,
        "team": latest.team.name,
        "time": f"{to_local(latest.decided_at):%H:%M}",
        "day": format_date(latest.decided_at, "d MMM y"),
    }
    if latest.status == Referral.WITHDRAWN:
        return _(
            "There was no transfer waiting to withdraw: %(name)s withdrew the transfer to "
            "%(team)s at %(time)s on %(day)s.",
            **said,
        )
    if latest.status == Referral.ACCEPTED:
        return _(
            "There was no transfer waiting to withdraw: %(name)s of %(team)s accepted it "
            "at %(time)s on %(day)s.",
            **said,
        )
    return _(
        "There was no transfer waiting to withdraw: %(name)s of %(team)s declined it "
        "at %(time)s on %(day)s.",
        **said,
    )


@bp.route("/closed")
@login_required
def closed():
    team = access.member_team()
    return render("closing/closed.html", block="results", **closed_context(team, page_arg()))


def closed_context(team, page: int) -> dict:
    """One page of the team's closed cases, for the page and its results block."""
    query = Client.closed_in(team)
    # The total rides along with the page (a window count): one query, not two.
    people = list(
        query.select(
            Client.id,
            Client.name,
            Client.preferred_name,
            Client.care_started_at,
            Client.closed_at,
            Client.close_reason,
            fn.COUNT(Client.id).over().alias("total"),
        ).paginate(page, CLOSED_PAGE_SIZE)
    )
    # No rows: either nobody is closed or the page is past the end; ask which.
    total = people[0].total if people else query.count()
    pages = max(1, -(-total // CLOSED_PAGE_SIZE))
    if page > pages:
        return closed_context(team, pages)
    return {"team": team, "people": people, "total": total, "page": page, "pages": pages}


# The closing or transfer letter.


def letter_context(client, today: dt.date, transfer=None) -> dict:
    """Everything the letter says. `transfer` is the pending transfer for a transfer
    letter to the receiving team; without it, a closing letter to the GP."""
    team = client.team
    start = to_local(client.care_started_at).date()
    end = to_local(client.closed_at).date() if client.closed_at else today
    contacts, minutes = client.care_given(client.care_started_at, client.closed_at)
    gp = (
        NetworkMember.current(client)
        .where(NetworkMember.relation == "gp")
        .order_by(NetworkMember.since.desc(), NetworkMember.id.desc())
        .first()
    )
    goals = list(
        Goal.for_client(client).where(
            Goal.status.in_(["achieved", "active"] if transfer else ["achieved"])
        )
    )
    address = ", ".join(
        part for part in (client.street, f"{client.postcode} {client.city}".strip()) if part
    )
    return {
        "client": client,
        "team": team,
        # The address on one line, phone and email on the next: the fields that are set.
        "letterhead": [
            line
            for line in (
                ", ".join(p for p in (team.street, f"{team.postcode} {team.city}".strip()) if p),
                " · ".join(p for p in (team.phone, team.email) if p),
            )
            if line
        ],
        "today": today,
        "transfer": transfer,
        "gp": gp,
        "address": address,
        "start": start,
        "end": end,
        "length": span_text(start, end),
        "reason": _("Transfer to %(team)s", team=transfer.team.name)
        if transfer
        else client.close_reason_label,
        "story": transfer.story if transfer else client.closing_story,
        "all_goals": goals,
        "contacts": contacts,
        "hours": round(minutes / 60),
        "known_best": [member.name for member in client.known_best_by()],
        "signed_by": _user().name,
    }


# How much of the goals the letter shows: (goals, characters of their words, of their
# stories). The closing story is never cut: it is what the team wrote for the GP.
LETTER_FITS = ((6, 160, 300), (4, 110, 0), (2, 80, 0), (0, 0, 0))


def letter_goals(context: dict, most: int, words: int, story: int) -> dict:
    goals = context["all_goals"]
    return {
        "goals": [
            {
                "words": shorten(goal.words, words),
                "story": shorten(goal.story, story) if story else "",
                "achieved": goal.status == "achieved",
            }
            for goal in goals[:most]
        ],
        "more_goals": max(0, len(goals) - most),
    }


def render_letter(client, today: dt.date, transfer=None) -> bytes:
    """The letter as a PDF: one A4 page for a typical case. With a long story and
    many goals it shows fewer goals, shorter; should even that not fit, the letter
    runs onto a second page rather than leave out what the team wrote."""
    context = letter_context(client, today, transfer)
    contexts = [{**context, **letter_goals(context, *fit)} for fit in LETTER_FITS]
    return pdf.first_that_fits("closing/letter.html", contexts).write_pdf()


@bp.route("/<int:client_id>/letter.pdf")
@login_required
def letter(client_id):
    client = access.client(client_id)
    transfer = None
    if client.status == Client.ACTIVE:
        # An open case has a letter only while it waits on another team.
        transfer = client.pending_transfer()
        if transfer is None:
            abort(404)
    today = local_now().date()
    body = render_letter(client, today, transfer)
    kind = "transfer-letter" if transfer else "closing-letter"
    AuditEvent.record(_user(), client, "print", "letter", client.id, after={"letter": kind})
    return pdf.download(body, *pdf.download_names(kind, client.name, today))
