"""Who may see and change what. Every view asks here first; nothing else decides.

The rules (../shared/DESIGN.md, rule 3 and the roles table):
- a member belongs to one team and may see and change everything of that team,
  with the same rights as every other member;
- a coach looks on, read-only, at the teams that linked them, and never sees a
  person's details;
- back office sees no client data at all.

Outsiders get 404 so that the existence of a record is not revealed; a role
that may look at the team but not do this gets 403. Pages a coach may read too
get a `Viewer` (`team_viewer`): whether the reader may change things and sees
names; how a name or a text is then shown is teamcase.privacy's rule.
"""

from flask import abort, current_app
from flask_login import current_user

from teamcase.models import (
    AgendaItem,
    Client,
    CoachLink,
    CoachThread,
    Contact,
    Goal,
    Invitation,
    LocalResource,
    Meeting,
    Step,
    SupportAttachment,
    SupportRequest,
    Team,
    User,
)
from teamcase.privacy import Viewer


def _user() -> User:
    if not current_user.is_authenticated:
        # login_required runs before this in every view; reaching here
        # anonymously is a programming error, not a user error.
        abort(404)
    return current_user._get_current_object()


def coach_is_linked(coach: User, team_id: int) -> bool:
    return CoachLink.select().where(CoachLink.coach == coach, CoachLink.team == team_id).exists()


def _team_scope(team_id: int) -> None:
    """Allow a member of the team; refuse everyone else with 403 or 404."""
    user = _user()
    if user.is_member and user.team_id == team_id:
        return
    if user.is_coach and coach_is_linked(user, team_id):
        # A linked coach knows the team but never a person's details.
        abort(403)
    abort(404)


def member_team():
    """The current member's team, for team pages that list people. Others: 403."""
    user = _user()
    if not user.is_member or user.team_id is None:
        abort(403)
    return user.team


def own_team(team_id: int) -> Team:
    """The team a URL names, for its own members only (everything it holds, such as
    its export); a linked coach gets 403, everyone else 404."""
    _team_scope(team_id)
    return _user().team


def client(client_id: int) -> Client:
    """A person of the current member's own team, or 403/404."""
    found = Client.get_or_none(Client.id == client_id)
    if found is None:
        abort(404)
    _team_scope(found.team_id)
    # Same team as the member's own, already loaded: spare a query.
    found.team = _user().team
    return found


def contact(contact_id: int, *, correcting: bool = False) -> Contact:
    """A contact of the member's team; `correcting` also requires its author in time."""
    found = Contact.select(Contact, Client).join(Client).where(Contact.id == contact_id).first()
    if found is None:
        abort(404)
    _team_scope(found.client.team_id)
    found.client.team = _user().team
    if correcting and not found.editable_by(_user(), current_app.config["CONTACT_EDIT_HOURS"]):
        abort(403)
    return found


def person_part(model, part_id: int):
    """A part of a person's record (strength, network member, goal, step…) of the
    member's own team, with its person loaded; 403/404 otherwise."""
    query = model.select(model, Client)
    if model is Step:
        query = model.select(model, Goal, Client).join(Goal).join(Client)
    else:
        query = query.join(Client)
    found = query.where(model.id == part_id).first()
    if found is None:
        abort(404)
    person = found.person
    _team_scope(person.team_id)
    person.team = _user().team
    return found


def resource(resource_id: int) -> LocalResource:
    """An entry of the member's own team's directory of local resources."""
    found = LocalResource.get_or_none(LocalResource.id == resource_id)
    if found is None:
        abort(404)
    _team_scope(found.team_id)
    return found


def team_record(model, record_id: int):
    """A record the team keeps about its own work (referral, task, planned visit,
    team role…), by its `team` field; members of that team only, 403/404 otherwise."""
    found = model.get_or_none(model.id == record_id)
    if found is None:
        abort(404)
    _team_scope(found.team_id)
    found.team = _user().team
    return found


def asked(model, record_id: int):
    """A team record (a task on the board) a colleague asked the current member to
    do: only the member asked may answer the request, the rest of the team gets 403."""
    found = team_record(model, record_id)
    if found.requested_of_id != _user().id:
        abort(403)
    return found


def agenda_item(item_id: int, *, own: bool = False) -> AgendaItem:
    """An item on the agenda of a meeting of the member's own team, with its meeting
    loaded; 403/404 otherwise (meetings hold people's details: no coach). `own` also
    requires that the member added it herself (taking it off again)."""
    found = (
        AgendaItem.select(AgendaItem, Meeting).join(Meeting).where(AgendaItem.id == item_id).first()
    )
    if found is None:
        abort(404)
    _team_scope(found.meeting.team_id)
    found.meeting.team = _user().team
    if own and found.added_by_id != _user().id:
        abort(403)
    return found


def team_viewer(team_id: int | None = None) -> Viewer:
    """Who reads the team's board, plan, decisions or learning, and how they see it.

    Without `team_id` it is the member's own team (others get 403). A member of
    the team may change things and sees names; a coach the team linked looks on,
    with people pseudonymised, names masked in what the team wrote
    (teamcase.privacy) and the work shown as the team's, not per member;
    everyone else gets 404.
    """
    user = _user()
    if team_id is None:
        return Viewer(member_team(), user, can_change=True, sees_names=True)
    if user.is_member and user.team_id == team_id:
        return Viewer(user.team, user, can_change=True, sees_names=True)
    if user.is_coach and coach_is_linked(user, team_id):
        return Viewer(
            Team.get_by_id(team_id), user, can_change=False, sees_names=False, names_members=False
        )
    abort(404)


def colleague(user_id: int) -> User:
    """A member (active or not) of the current member's own team."""
    found = User.get_or_none(User.id == user_id)
    if found is None or not found.is_member or found.team_id is None:
        abort(404)
    _team_scope(found.team_id)
    return found


def coach() -> User:
    user = _user()
    if not user.is_coach:
        abort(403)
    return user


def backoffice() -> User:
    user = _user()
    if not user.is_backoffice:
        abort(403)
    return user


def support_team() -> Team:
    """The member's team, for its support requests; a coach and the back office get
    403 (the back office reads requests in its queue, one at a time)."""
    return member_team()


def support_request(request_id: int, *, side: str | None = None) -> SupportRequest:
    """A support request, for its team's members and for the back office. `side`
    says whose move it is: "team" (answer, confirm, reopen) or "office" (take, ask,
    mark done); the other side gets 403. A coach gets 403 everywhere here: what a
    team asks of its back office is not hers to read. A member of another team,
    or an id that names nothing, 404."""
    user = _user()
    found = SupportRequest.get_or_none(SupportRequest.id == request_id)
    if found is None:
        abort(404)
    if user.is_coach:
        abort(403)
    if user.is_backoffice:
        if side == "team":
            abort(403)
        return found
    if not (user.is_member and user.team_id == found.team_id):
        abort(404)
    if side == "office":
        abort(403)
    found.team = user.team
    return found


def support_attachment(attachment_id: int) -> SupportAttachment:
    """A file sent with a support request, for whoever may read the request."""
    found = (
        SupportAttachment.select(
            SupportAttachment.id,
            SupportAttachment.request,
            SupportAttachment.filename,
            SupportAttachment.content_type,
        )
        .where(SupportAttachment.id == attachment_id)
        .first()
    )
    if found is None:
        abort(404)
    support_request(found.request_id)
    return found


def coach_thread(thread_id: int, *, side: str | None = None) -> CoachThread:
    """A thread in which a team asks its coach: for the team's members, and for the
    coach it is addressed to while the team links her. `side` says whose move it
    is: "team" (write, close) or "coach" (answer, close her side, reply to an
    invitation); the other side gets 403. Anyone else, and the coach once the team
    has ended her coaching, 404."""
    user = _user()
    found = CoachThread.get_or_none(CoachThread.id == thread_id)
    if found is None:
        abort(404)
    if user.is_member and user.team_id == found.team_id:
        if side == "coach":
            abort(403)
        found.team = user.team
        return found
    if user.is_coach and found.coach_id == user.id and coach_is_linked(user, found.team_id):
        if side == "team":
            abort(403)
        return found
    abort(404)


def signed_in() -> User:
    """Any signed-in account, for pages about the account itself."""
    return _user()


def invitation_link(token: str):
    """The invitation a join link carries, for anyone who holds the link (it is the
    secret); a wrong or made-up token gets 404."""
    found = Invitation.find(token)
    if found is None:
        abort(404)
    return found
