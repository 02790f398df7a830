"""The team's own members, the roles it rotates, and its log.

  GET      /team/                            details, members, our coach, invitations, roles,
                                             the log
  GET/POST /team/details                     change the details and capacity (versioned)
  GET/POST /team/members/new                 add a colleague: invitation link or first password,
                                             or one whose account the back office made
  POST     /team/members/made/<request_id>   add the colleague whose account the back office
                                             made on the team's support request
  GET      /team/invitations/<id>            one invitation; its link just after it was made
  GET/POST /team/invitations/<id>/withdraw   the link stops working (GET asks once)
  GET/POST /team/members/<id>/deactivate     a colleague leaves (never the last one)
  POST     /team/members/<id>/reactivate     she comes back
  GET/POST /team/roles/new                   name a new role
  GET/POST /team/roles/<id>/hand             hand a role to a colleague
  POST     /team/roles/<id>/end              the holder's turn ends
  GET/POST /team/roles/<id>/retire           the team no longer needs it (GET asks once)
  POST     /team/roles/<id>/revive           it is needed again
  GET/POST /join/<token>                     the invitee chooses a password and joins

All members are equal (DESIGN.md rule 3): there is no leader, so any of them may
do all of this, and every change is written to the team log for all to read.
"""

import json
from typing import NamedTuple

from flask import Blueprint, abort, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user
from peewee import IntegrityError, fn
from wtforms.fields.choices import SelectChoice

from teamcase import access, conflicts
from teamcase.auth.views import start_session
from teamcase.clients.parts import confirm_removal
from teamcase.dates import local_now
from teamcase.forms import ButtonForm
from teamcase.measures.weekly import BY_CODE
from teamcase.models import (
    AuditEvent,
    Decision,
    EmailInUse,
    Invitation,
    RoleHolding,
    SupportRequest,
    TeamChangeRefused,
    TeamRole,
    User,
)
from teamcase.teamwork.forms import (
    DeactivateForm,
    HandRoleForm,
    JoinForm,
    NewColleagueForm,
    RoleForm,
    RoleTurnForm,
    TeamDetailsForm,
)
from teamcase.web import audit_value, is_htmx_partial, page_arg, render, see_other

bp = Blueprint("team", __name__, template_folder="templates", url_prefix="/team")
# The join link is handed to someone without an account yet: it lives outside /team.
joining = Blueprint("join", __name__, template_folder="templates")

LOG_ENTITIES = ("member", "invitation", "role", "team", "coach")
LOG_PAGE_SIZE = 50
DETAIL_LABELS = {
    "name": _l("Name"),
    "area": _l("Neighbourhood"),
    "street": _l("Street"),
    "postcode": _l("Postcode"),
    "city": _l("Town"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "capacity": _l("How many people we can care for well"),
    "uses_self_reliance": _l("We keep who does what"),
    "coach_measures": _l("Measures we share with our coach"),
    "uses_omaha": _l("We use the Omaha System"),
}
# Where the link of a new invitation waits for the one page view that shows it.
NEW_LINK = "team.new_invitation_link"


class LogLine(NamedTuple):
    at: object
    who: str
    what: str
    details: list[str]


def describe(event) -> LogLine:
    """One entry of the team log in words: what happened, and to whom."""
    data = json.loads(event.changes) if event.changes else {}
    before, after = data.get("before") or {}, data.get("after") or {}
    details = []
    match (event.entity, event.action):
        case ("member", "create"):
            what = _("Added %(name)s as a colleague, with a first password", name=after["name"])
            details.append(after["email"])
        case ("member", "join"):
            what = _("Joined the team, invited by %(name)s", name=after["invited_by"])
            details.append(after["email"])
        case ("member", "account"):
            what = _(
                "The back office made an account for %(name)s, as the team asked",
                name=after["name"],
            )
            details.append(after["email"])
            if after.get("starts_on"):
                details.append(_("starts %(day)s", day=audit_value(after["starts_on"])))
        case ("member", "add"):
            what = _(
                "Added %(name)s to the team, with the account the back office made",
                name=after["name"],
            )
            details.append(after["email"])
        case ("member", "unlock"):
            what = _("Unlocked the account of %(name)s, as the team asked", name=after["name"])
        case ("member", "reset"):
            what = _("Gave %(name)s a new first password, as the team asked", name=after["name"])
        case ("team", "create"):
            what = _(
                "Made the team %(name)s, as %(team)s asked",
                name=after["name"],
                team=after["asked_by"],
            )
            if after.get("members"):
                details.append(_("Going to it: %(names)s", names=", ".join(after["members"])))
        case ("team", "split" | "resplit" as action):
            what = (
                _("Asked the back office for a new team, %(name)s", name=after["name"])
                if action == "split"
                else _("Said again who goes to the new team %(name)s", name=after["name"])
            )
            details.append(_("Going to it: %(names)s", names=", ".join(after["members"])))
        case ("member", "move"):
            what = _("%(name)s moved to %(team)s", name=after["name"], team=after["to"])
            if after.get("roles_ended"):
                details.append(_("Roles ended: %(roles)s", roles=", ".join(after["roles_ended"])))
            if after.get("visits"):
                details.append(
                    ngettext(
                        "%(num)d planned visit is up for a colleague to take",
                        "%(num)d planned visits are up for a colleague to take",
                        after["visits"],
                    )
                )
            if after.get("tasks"):
                details.append(
                    ngettext(
                        "%(num)d task on the board is up for anyone",
                        "%(num)d tasks on the board are up for anyone",
                        after["tasks"],
                    )
                )
            if after.get("known_best"):
                details.append(
                    ngettext(
                        "She no longer knows %(num)d person best",
                        "She no longer knows %(num)d people best",
                        after["known_best"],
                    )
                )
        case ("member", "arrive"):
            what = _(
                "%(name)s came to the team from %(team)s", name=after["name"], team=after["from"]
            )
            details.append(after["email"])
        case ("member", "deactivate"):
            what = _("Deactivated %(name)s, who left the team", name=after["name"])
            if after.get("note"):
                details.append(f"“{after['note']}”")
            if after.get("roles_ended"):
                details.append(_("Roles ended: %(roles)s", roles=", ".join(after["roles_ended"])))
        case ("member", "reactivate"):
            what = _("Reactivated %(name)s, who is back in the team", name=after["name"])
        case ("invitation", "create"):
            what = _("Invited %(name)s to join", name=after["name"])
            details.append(
                _(
                    "%(email)s · the link works until %(when)s",
                    email=after["email"],
                    when=audit_value(after["expires_at"]),
                )
            )
        case ("invitation", "withdraw"):
            what = _("Withdrew the invitation for %(name)s", name=before["name"])
        case ("role", "create"):
            what = _("Named a new role: %(role)s", role=after["role"])
            if after.get("purpose"):
                details.append(after["purpose"])
        case ("role", "hand") if before.get("holder"):
            what = _(
                "Handed %(role)s to %(name)s, taking over from %(before)s",
                role=after["role"],
                name=after["holder"],
                before=before["holder"],
            )
        case ("role", "hand"):
            what = _("Handed %(role)s to %(name)s", role=after["role"], name=after["holder"])
        case ("role", "end"):
            what = _(
                "Ended %(name)s's turn as %(role)s", name=before["holder"], role=before["role"]
            )
        case ("role", "retire"):
            what = _("Retired the role %(role)s", role=before["role"])
            if before.get("holder"):
                details.append(_("%(name)s's turn ended", name=before["holder"]))
        case ("role", "revive"):
            what = _("Brought back the role %(role)s", role=after["role"])
        case ("coach", "link"):
            what = _("%(name)s became our coach, by a team decision", name=after["coach"])
        case ("coach", "unlink"):
            what = _("%(name)s's coaching ended, by a team decision", name=after["coach"])
        case ("team", "export"):
            what = _("Downloaded everything the team holds (the team's export)")
        case ("team", "update"):
            changed = [k for k in DETAIL_LABELS if before.get(k) != after.get(k)]
            if changed == ["capacity"]:
                what = _(
                    "Changed how many people we can care for well: %(before)s → %(after)s",
                    before=before["capacity"],
                    after=after["capacity"],
                )
            else:
                what = _("Changed the team's details")
                details = [
                    f"{DETAIL_LABELS[k]}: {_detail_value(k, before.get(k))} → "
                    f"{_detail_value(k, after.get(k))}"
                    for k in changed
                ]
        case _:
            what = f"{event.action} {event.entity}"
    return LogLine(event.at, event.actor.name, what, details)


def _detail_value(name, value) -> str:
    if name == "coach_measures":
        # Codes in the log, the measures' titles in the reader's language.
        titles = [str(BY_CODE[c].title) for c in (value or "").split(",") if c in BY_CODE]
        return ", ".join(titles) if titles else audit_value(None)
    return audit_value(value)


def _left_on(team, former) -> dict:
    """When each former member was deactivated (the newest time), by member id."""
    if not former:
        return {}
    rows = (
        AuditEvent.select(AuditEvent.entity_id, fn.MAX(AuditEvent.at))
        .where(
            AuditEvent.team == team,
            AuditEvent.entity == "member",
            AuditEvent.action == "deactivate",
            AuditEvent.entity_id.in_([m.id for m in former]),
        )
        .group_by(AuditEvent.entity_id)
        .tuples()
    )
    return dict(rows)


def team_context(team, log_page: int = 1, **extra) -> dict:
    """Everything the team page and each of its blocks need, in a fixed number of
    queries however many members, roles and log entries there are."""
    members = list(team.members_and_former())
    roles = TeamRole.with_holdings(team)
    held: dict[int, list[str]] = {}
    for role in roles:
        if role.active and role.holder:
            held.setdefault(role.holder.member_id, []).append(role.name)
    former = [m for m in members if not m.active]
    events = list(
        AuditEvent.for_team(team, LOG_ENTITIES)
        .offset((log_page - 1) * LOG_PAGE_SIZE)
        .limit(LOG_PAGE_SIZE + 1)
    )
    return {
        "team": team,
        "caring_for": team.active_count(),
        "active": [m for m in members if m.active],
        "former": former,
        "left_on": _left_on(team, former),
        "held": held,
        "roles": [r for r in roles if r.active],
        "retired_roles": [r for r in roles if not r.active],
        "invitations": list(Invitation.waiting(team)),
        "coaches": list(User.coaches_of(team)),
        "coach_proposals": list(
            Decision.select(Decision.id, Decision.proposal)
            .where(
                Decision.team == team,
                Decision.status == Decision.PROPOSED,
                Decision.coach_change != "",
            )
            .order_by(Decision.proposed_at)
        ),
        "log": [describe(e) for e in events[:LOG_PAGE_SIZE]],
        "log_page": log_page,
        "log_more": len(events) > LOG_PAGE_SIZE,
        "now": local_now(),
        "notice": None,
        "log_oob": False,
        **extra,
    }


def _answer(block: str, message: str, ok: bool):
    """After a button on the team page: the changed section in place (with the log
    brought up to date alongside) for htmx, else back to the page with a message."""
    if is_htmx_partial():
        context = team_context(access.member_team(), notice=(message, ok), log_oob=True)
        return render("team/index.html", block=block, status=200 if ok else 409, **context)
    flash(message, "success" if ok else "error")
    return see_other("team.index", _anchor=block)


def _me() -> User:
    return current_user._get_current_object()


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    context = team_context(team, page_arg())
    return render("team/index.html", block="log", **context)


@bp.route("/details", methods=["GET", "POST"])
@login_required
def details():
    team = access.member_team()
    form = TeamDetailsForm.editing(team)
    conflict = None
    if form.validate_on_submit():
        try:
            saved = team.update_details(_me(), form.version_read(), **form.details())
        except IntegrityError:
            form.name.errors.append(
                _(
                    "Another team is already called “%(name)s”. Choose another name.",
                    name=form.name.data,
                )
            )
        else:
            if saved:
                flash(_("The team's details are saved."), "success")
                return see_other("team.index", _anchor="details")
            conflict = conflicts.conflict(team, form, _("the team’s details"), form.details())
            team = conflict.saved
    return conflicts.page("team/details.html", form, conflict, team=team)


@bp.route("/members/new", methods=["GET", "POST"])
@login_required
def new_member():
    team = access.member_team()
    form = NewColleagueForm()
    if form.validate_on_submit():
        name, email = form.name.data, form.email.data
        try:
            if form.how.data == form.INVITE:
                days = current_app.config["INVITATION_DAYS"]
                invitation, token = Invitation.send(team, _me(), name, email, days)
            else:
                User.add_colleague(team, _me(), name, email, form.first_password.data)
        except EmailInUse as error:
            message = str(error)
            waiting = User.by_email(email)
            if waiting and waiting.waiting_for_a_team:
                message = _(
                    "The back office made an account for %(email)s. If the team asked for "
                    "it, add her below with the account it made.",
                    email=waiting.email,
                )
            form.email.errors.append(message)
        else:
            if form.how.data == form.INVITE:
                session[NEW_LINK] = [invitation.id, token]
                return see_other("team.invitation", invitation_id=invitation.id)
            flash(
                _(
                    "%(name)s can log in now with %(email)s and the first password you "
                    "chose. At the first login they choose their own.",
                    name=name,
                    email=email,
                ),
                "success",
            )
            return see_other("team.index", _anchor="members")
    status = 400 if form.errors else 200
    return render(
        "team/new_member.html",
        form=form,
        team=team,
        status=status,
        made=list(SupportRequest.accounts_made_for(team)),
        add_form=ButtonForm(formdata=None),
    )


@bp.route("/members/made/<int:request_id>", methods=["POST"])
@login_required
def add_made_account(request_id):
    found = access.support_request(request_id, side="team")
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        account = found.add_colleague(by=_me())
    except TeamChangeRefused as refused:
        flash(str(refused), "error")
        return see_other("team.new_member")
    flash(
        _(
            "%(name)s is in the team now. She logs in with %(email)s and the first "
            "password the back office gives her, and then chooses her own.",
            name=account.name,
            email=account.email,
        ),
        "success",
    )
    return see_other("team.index", _anchor="members")


@bp.route("/invitations/<int:invitation_id>")
@login_required
def invitation(invitation_id):
    invitation = access.team_record(Invitation, invitation_id)
    state = invitation.state()
    # The link exists only in this one answer: the database keeps its hash.
    new = session.pop(NEW_LINK, None)
    link = None
    mail = None
    if new and new[0] == invitation.id and state == Invitation.OPEN:
        link = url_for("join.accept", token=new[1], _external=True)
        # Plain text for the mail program (the template would escape it as HTML).
        mail = {
            "subject": _("Join %(team)s in teamcase", team=invitation.team.name),
            "body": _(
                "Hello %(name)s,\n\nOpen this link to join %(team)s in teamcase and "
                "choose your password:\n%(link)s\n\n%(sender)s",
                name=invitation.name,
                team=invitation.team.name,
                link=link,
                sender=current_user.name,
            ),
        }
    return render(
        "team/invitation.html",
        invitation=invitation,
        inviter=User.get_by_id(invitation.invited_by_id),
        state=state,
        link=link,
        mail=mail,
    )


@bp.route("/invitations/<int:invitation_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_invitation(invitation_id):
    invitation = access.team_record(Invitation, invitation_id)
    if request.method == "GET":
        # Asked from the invitation's own page, Keep it goes back there.
        if request.args.get("back") == "invitation":
            back = url_for("team.invitation", invitation_id=invitation.id)
        else:
            back = url_for("team.index", _anchor=f"invitation-{invitation.id}")
        return confirm_removal(
            invitation,
            section="invitations",
            what=_("%(name)s, %(email)s", name=invitation.name, email=invitation.email),
            question=_("Withdraw this invitation?"),
            button=_("Withdraw the invitation"),
            action=url_for("team.withdraw_invitation", invitation_id=invitation.id),
            kept=_("The link stops working. The team log keeps who was invited, and by whom."),
            back=back,
            back_label=_("Our team"),
        )
    try:
        invitation.withdraw(_me())
    except TeamChangeRefused as refused:
        return _answer("invitations", str(refused), ok=False)
    return _answer(
        "invitations",
        _(
            "The invitation for %(name)s is withdrawn: the link no longer works.",
            name=invitation.name,
        ),
        ok=True,
    )


@bp.route("/members/<int:member_id>/deactivate", methods=["GET", "POST"])
@login_required
def deactivate(member_id):
    member = access.colleague(member_id)
    me = _me()
    form = DeactivateForm()
    refused = None
    if form.validate_on_submit():
        try:
            member.deactivate(me, local_now().date(), form.note.data)
        except TeamChangeRefused as error:
            refused = str(error)
        else:
            if member.id == me.id:
                logout_user()
                session.clear()
                flash(_("You are no longer an active member of the team. Goodbye!"), "info")
                return see_other("auth.login")
            flash(
                _("%(name)s is deactivated and can no longer log in.", name=member.name),
                "success",
            )
            return see_other("team.index", _anchor="members")
    roles = [
        h.role.name
        for h in RoleHolding.select(RoleHolding, TeamRole)
        .join(TeamRole)
        .where(RoleHolding.member == member, RoleHolding.until.is_null())
        .order_by(TeamRole.name)
    ]
    status = 409 if refused else (400 if form.errors else 200)
    return render(
        "team/deactivate.html",
        member=member,
        form=form,
        refused=refused,
        roles=roles,
        alone=member.active and member.team.active_members().count() == 1,
        status=status,
    )


@bp.route("/members/<int:member_id>/reactivate", methods=["POST"])
@login_required
def reactivate(member_id):
    member = access.colleague(member_id)
    try:
        member.reactivate(_me())
    except TeamChangeRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("%(name)s is an active member again and can log in.", name=member.name), "success")
    return see_other("team.index", _anchor="members")


@bp.route("/roles/new", methods=["GET", "POST"])
@login_required
def new_role():
    team = access.member_team()
    form = RoleForm()
    if request.method == "POST":
        form.taken_names = TeamRole.names_in(team)
    if form.validate_on_submit():
        try:
            role = TeamRole.add(team, _me(), form.name.data, form.purpose.data)
        except IntegrityError:
            # A colleague named the same role a moment ago.
            form.name.errors.append(
                _("A colleague just named a role “%(name)s”.", name=form.name.data)
            )
        else:
            flash(
                _(
                    "%(role)s is one of the team's roles now. Who takes it on first?",
                    role=role.name,
                ),
                "success",
            )
            return see_other("team.hand_role", role_id=role.id)
    status = 400 if form.errors else 200
    return render("team/role_new.html", form=form, status=status)


@bp.route("/roles/<int:role_id>/hand", methods=["GET", "POST"])
@login_required
def hand_role(role_id):
    role = access.team_record(TeamRole, role_id)
    current = role.open_holding()
    members = {m.id: m for m in role.team.active_members()}
    form = HandRoleForm()
    form.member.choices = [
        SelectChoice(m.id, m.name)
        for m in members.values()
        if not current or m.id != current.member_id
    ]
    if request.method == "GET":
        form.holding.data = current.id if current else ""
    refused = None
    if form.validate_on_submit():
        member = members[form.member.data]
        try:
            role.hand_to(member, _me(), form.holding.data, local_now().date())
        except TeamChangeRefused as error:
            refused = str(error)
            current = role.open_holding()
            # Choosing again is a choice made knowing who holds it now.
            form.holding.data = current.id if current else ""
        else:
            flash(
                _(
                    "%(name)s holds the role %(role)s from today.",
                    name=member.name,
                    role=role.name,
                ),
                "success",
            )
            return see_other("team.index", _anchor=f"role-{role.id}")
    status = 409 if refused else (400 if form.errors else 200)
    return render(
        "team/role_hand.html", role=role, current=current, form=form, refused=refused, status=status
    )


@bp.route("/roles/<int:role_id>/end", methods=["POST"])
@login_required
def end_role(role_id):
    role = access.team_record(TeamRole, role_id)
    form = RoleTurnForm()
    try:
        ended = role.end_turn(_me(), form.holding.data, local_now().date())
    except TeamChangeRefused as refused:
        return _answer("roles", str(refused), ok=False)
    message = _(
        "%(name)s's turn as %(role)s has ended. Nobody holds it now.",
        name=ended.member.name,
        role=role.name,
    )
    return _answer("roles", message, ok=True)


@bp.route("/roles/<int:role_id>/retire", methods=["GET", "POST"])
@login_required
def retire_role(role_id):
    role = access.team_record(TeamRole, role_id)
    if request.method == "GET":
        return confirm_removal(
            role,
            section="roles",
            what=role.name,
            question=_("Retire this role?"),
            button=_("Retire the role"),
            action=url_for("team.retire_role", role_id=role.id),
            kept=_("Whoever holds it now, her turn ends today. The role’s history stays."),
            back=url_for("team.index", _anchor=f"role-{role.id}"),
            back_label=_("Our team"),
        )
    try:
        role.retire(_me(), local_now().date())
    except TeamChangeRefused as refused:
        return _answer("roles", str(refused), ok=False)
    return _answer(
        "roles", _("%(role)s is retired. Its history stays below.", role=role.name), ok=True
    )


@bp.route("/roles/<int:role_id>/revive", methods=["POST"])
@login_required
def revive_role(role_id):
    role = access.team_record(TeamRole, role_id)
    try:
        role.revive(_me())
    except TeamChangeRefused as refused:
        return _answer("roles", str(refused), ok=False)
    return _answer("roles", _("%(role)s is back. Hand it to a colleague.", role=role.name), ok=True)


@joining.route("/join/<token>", methods=["GET", "POST"])
def accept(token):
    invitation = access.invitation_link(token)
    state = invitation.state()
    if state != Invitation.OPEN:
        return render("team/join.html", invitation=invitation, state=state, status=410)
    if current_user.is_authenticated:
        # Accepting would swap accounts on a tablet someone else is logged in to.
        status = 200 if request.method == "GET" else 409
        return render("team/join.html", invitation=invitation, state="signed_in", status=status)
    form = JoinForm()
    refused = None
    if form.validate_on_submit():
        try:
            member = invitation.accept(form.new.data)
        except TeamChangeRefused:
            state = Invitation.get_by_id(invitation.id).state()
            return render("team/join.html", invitation=invitation, state=state, status=410)
        except EmailInUse as error:
            refused = str(error)
        else:
            start_session(member)
            flash(
                _(
                    "Welcome to %(team)s, %(name)s!",
                    team=invitation.team.name,
                    name=member.first_name,
                ),
                "success",
            )
            return see_other("caseload.index")
    status = 409 if refused else (400 if form.errors else 200)
    return render(
        "team/join.html",
        invitation=invitation,
        state=state,
        form=form,
        refused=refused,
        status=status,
    )
