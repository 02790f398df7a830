"""The referrals inbox: who asks the team to take someone on, and what the team decided.

  GET      /referrals/                  open referrals (urgent first), those for the team
                                        meeting, those decided in the last 30 days; the
                                        team's capacity and how many people each member
                                        knows best
  GET/POST /referrals/new               record a referral, in under a minute
  GET      /referrals/<id>              one referral: a warning when the person may already
                                        be known, and the team's three possible decisions
  POST     /referrals/<id>/accept       take the person on (or over, for a transfer) and
                                        plan the first visit
  POST     /referrals/<id>/meeting      put it on the team meeting's list
  POST     /referrals/<id>/decline      decline, with why and where the referrer was
                                        pointed instead

Any member decides on the team's behalf, with no approval step (DESIGN.md rule 3).
Of two members deciding at the same moment exactly one wins; the other is told
who did, with 409. Coaches and the back office see none of it: referrals carry names.
"""

import datetime as dt

from flask import Blueprint, flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from teamcase import access
from teamcase.dates import at_text, days_text, format_day, local_now, to_local
from teamcase.models import Client, Referral
from teamcase.teamwork.forms import AcceptForm, DeclineForm, MeetingForm, ReferralForm
from teamcase.web import is_htmx_partial, render, see_other

bp = Blueprint("referrals", __name__, template_folder="templates", url_prefix="/referrals")

# Who decided first, and when: what the one who decided second is told.
DONE_WORDS = {
    Referral.ACCEPTED: _l("%(name)s already accepted this referral %(when)s."),
    Referral.DECLINED: _l("%(name)s already declined this referral %(when)s."),
    Referral.MEETING: _l(
        "%(name)s already put this referral on the list for the team meeting %(when)s."
    ),
    Referral.WITHDRAWN: _l("%(name)s already withdrew this transfer %(when)s."),
}


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    return render("referrals/index.html", **inbox_context(team))


def inbox_context(team) -> dict:
    return {
        "team": team,
        "parts": Referral.inbox(team),
        "in_care": team.active_count(),
        "members": [m for m in team.members_and_former() if m.active],
        "first_visit_text": to_first_visit_text,
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    form = ReferralForm()
    likely = referrals = []
    if form.validate_on_submit() and not form.go_on.data:
        likely = Client.likely_named(team, form.person_name.data)
        referrals = Referral.likely_named(team, form.person_name.data)
    if form.validate_on_submit() and not (likely or referrals):
        referral = Referral.receive(team, by=current_user._get_current_object(), **form.details())
        flash(
            _(
                "Referral for %(name)s recorded. The team sees it in the inbox.",
                name=referral.person_name,
            ),
            "success",
        )
        return see_other("referrals.show", referral_id=referral.id)
    return render(
        "referrals/new.html",
        form=form,
        likely=likely,
        likely_referrals=referrals,
        status=400 if form.errors else 200,
    )


@bp.route("/<int:referral_id>")
@login_required
def show(referral_id):
    referral = access.team_record(Referral, referral_id)
    return render("referrals/show.html", block="referral", **referral_context(referral))


def first_visit_day(referral, today: dt.date) -> dt.date:
    """Tomorrow for an urgent referral, else within three days."""
    return today + dt.timedelta(days=1 if referral.urgency == "urgent" else 3)


def referral_context(referral, *, accept=None, meeting=None, decline=None, conflict=None):
    """Everything the referral page and its `referral` block need."""
    if accept is None:
        accept = AcceptForm(prefix="accept", formdata=None)
        accept.day.data = first_visit_day(referral, local_now().date())
    person = None
    if referral.client_id and not referral.undecided:
        # Only while the person is still ours: after a later transfer the link would 404.
        person = Client.get_or_none(Client.id == referral.client_id, Client.team == referral.team)
    return {
        "referral": referral,
        "duplicates": referral.possible_duplicates() if referral.undecided else [],
        "person": person,
        "to_first_visit": to_first_visit_text(referral),
        "accept_form": accept,
        "meeting_form": meeting or MeetingForm(prefix="meeting", formdata=None),
        "decline_form": decline or DeclineForm(prefix="decline", formdata=None),
        "conflict": conflict,
    }


def to_first_visit_text(referral) -> str:
    """'the same day', '1 day', '4 days': counted in the team's calendar days."""
    if referral.first_visit_at is None:
        return ""
    days = (to_local(referral.first_visit_at).date() - to_local(referral.received_at).date()).days
    return days_text(days)


def _not_first(referral_id: int):
    """The answer to a member who decided second: who got there first (409)."""
    referral = Referral.get_by_id(referral_id)
    if referral.status in DONE_WORDS and referral.decided_by_id:
        sentence = DONE_WORDS[referral.status]
        text = str(
            sentence % {"name": referral.decided_by.name, "when": at_text(referral.decided_at)}
        )
    elif referral.from_team_id:
        # Accepting a transfer whose person the sending team no longer has.
        text = _(
            "%(team)s no longer has %(name)s in its care, so this transfer cannot be "
            "accepted. Call them to hear what happened, then decline it.",
            team=referral.from_team.name,
            name=referral.person_name,
        )
    else:
        text = _(
            "The other team no longer has %(name)s in its care, so this transfer cannot be "
            "accepted. Call them to hear what happened, then decline it.",
            name=referral.person_name,
        )
    return render(
        "referrals/show.html",
        block="referral",
        status=409,
        **referral_context(referral, conflict=text),
    )


def _decided(referral, message: str):
    """In place for htmx (the block shows the decision); otherwise back to the page."""
    if is_htmx_partial():
        return render("referrals/show.html", block="referral", **referral_context(referral))
    flash(message, "success")
    return see_other("referrals.show", referral_id=referral.id)


@bp.route("/<int:referral_id>/accept", methods=["POST"])
@login_required
def accept(referral_id):
    referral = access.team_record(Referral, referral_id)
    user = current_user._get_current_object()
    form = AcceptForm(prefix="accept")
    if not referral.undecided:
        return _not_first(referral.id)
    if not form.validate():
        return render(
            "referrals/show.html",
            block="referral",
            status=400,
            **referral_context(referral, accept=form),
        )
    visit = form.first_visit(user)
    if not referral.accept(user, visit, known_best=form.known_best.data, today=local_now().date()):
        return _not_first(referral.id)
    flash(_accepted_text(referral, visit), "success")
    return see_other("clients.show", client_id=referral.client_id)


def _accepted_text(referral, visit) -> str:
    name, day = referral.person_name, format_day(visit["day"], "EEEE d MMMM")
    if referral.is_transfer and visit["member"]:
        return _(
            "%(name)s is now in your team's care. First visit planned on %(day)s, by you.",
            name=name,
            day=day,
        )
    if referral.is_transfer:
        return _(
            "%(name)s is now in your team's care. "
            "First visit planned on %(day)s, up for a colleague to take.",
            name=name,
            day=day,
        )
    if visit["member"]:
        return _(
            "%(name)s is now in the caseload. First visit planned on %(day)s, by you.",
            name=name,
            day=day,
        )
    return _(
        "%(name)s is now in the caseload. "
        "First visit planned on %(day)s, up for a colleague to take.",
        name=name,
        day=day,
    )


@bp.route("/<int:referral_id>/meeting", methods=["POST"])
@login_required
def meeting(referral_id):
    referral = access.team_record(Referral, referral_id)
    form = MeetingForm(prefix="meeting")
    if referral.status != Referral.OPEN:
        return _not_first(referral.id)
    if not form.validate():
        return render(
            "referrals/show.html",
            block="referral",
            status=400,
            **referral_context(referral, meeting=form),
        )
    if not referral.hold_for_meeting(current_user._get_current_object(), form.reason.data):
        return _not_first(referral.id)
    return _decided(referral, _("On the list for the team meeting."))


@bp.route("/<int:referral_id>/decline", methods=["POST"])
@login_required
def decline(referral_id):
    referral = access.team_record(Referral, referral_id)
    form = DeclineForm(prefix="decline")
    if not referral.undecided:
        return _not_first(referral.id)
    if not form.validate():
        return render(
            "referrals/show.html",
            block="referral",
            status=400,
            **referral_context(referral, decline=form),
        )
    if not referral.decline(
        current_user._get_current_object(), form.reason.data, form.referred_on_to.data
    ):
        return _not_first(referral.id)
    return _decided(referral, _("Referral for %(name)s declined.", name=referral.person_name))
