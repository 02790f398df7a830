"""Offers and needs: what people in the caseload can give, next to the help others want.

A member who sees that one person's offer meets another's need asks them both;
once both agreed, the member records the connection here. It then shows on both
people's network pictures as a neighbour met through the team (DESIGN.md rule 7).

The unique (offer, goal) constraint decides which of two members connecting the
same pair at once wins; the other is told who did it.
"""

from dataclasses import dataclass

from flask import Blueprint, abort, flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from peewee import IntegrityError

from teamcase import access
from teamcase.models import Client, Connection, Goal, NetworkMember, Offer
from teamcase.network.forms import ConnectionForm
from teamcase.web import id_arg, is_htmx_partial, render, see_other

bp = Blueprint("neighbours", __name__, template_folder="templates")


@dataclass(frozen=True)
class Neighbour:
    """Someone the person was put in touch with through the team: drawn and listed
    like a member of their network, with a moderate tie."""

    connection: Connection
    other: Client
    # True when this person's offer meets the other's need.
    gives: bool

    relation = "neighbour"
    relation_label = _l("Neighbour (via the team)")
    tie = "moderate"
    tie_label = NetworkMember.TIES["moderate"]
    tie_text = NetworkMember.TIE_TEXTS["moderate"]
    group = NetworkMember.GROUPS["neighbour"]

    @property
    def name(self) -> str:
        return self.other.first_name

    @property
    def what(self) -> str:
        return self.connection.offer.text

    def summary(self, person: Client) -> str:
        """One phrase for the text description of `person`'s ecomap."""
        said = {"name": self.name, "centre": person.first_name, "what": self.what}
        if self.gives:
            return _(
                "%(name)s (neighbour via the team, moderate tie; %(centre)s offers them: %(what)s)",
                **said,
            )
        return _(
            "%(name)s (neighbour via the team, moderate tie; offers %(centre)s: %(what)s)", **said
        )


def neighbours_of(client) -> list[Neighbour]:
    """The people `client` was connected with, in both directions, in one query.

    Only the columns a Neighbour shows: the person's page asks on every view, and
    building the SQL for every column of five tables cost more than running it.
    """
    giver, receiver = Client.alias("giver"), Client.alias("receiver")
    rows = (
        Connection.select(
            Connection.id,
            Offer.text,
            giver.id,
            giver.name,
            giver.preferred_name,
            receiver.id,
            receiver.name,
            receiver.preferred_name,
        )
        .join(Offer)
        .join(giver, on=(Offer.client == giver.id))
        .switch(Connection)
        .join(Goal)
        .join(receiver, on=(Goal.client == receiver.id))
        .where(
            (Offer.client == client.id) | (Goal.client == client.id),
            giver.team == client.team_id,
            receiver.team == client.team_id,
        )
        .order_by(Connection.created_at, Connection.id)
    )
    result = []
    for connection in rows:
        gives = connection.offer.client_id == client.id
        other = connection.goal.client if gives else connection.offer.client
        result.append(Neighbour(connection, other, gives))
    return result


def board_context(team, message: str | None = None) -> dict:
    """The offers-and-needs page and its board block: three queries, whatever the size."""
    return {
        "team": team,
        "offers": list(Offer.of_team(team)),
        "needs": list(Goal.needs_of_team(team)),
        "connections": list(Connection.of_team(team)),
        "message": message,
    }


def _board_saved(team, message: str):
    """After a change: the board in place for htmx, else back to the page."""
    if is_htmx_partial():
        body, status = render(
            "neighbours/index.html", block="board", **board_context(team, message)
        )
        return body, status, {"HX-Retarget": "#board", "HX-Reswap": "outerHTML"}
    flash(message, "success")
    return see_other("neighbours.index", _anchor="connections")


@bp.route("/offers-and-needs")
@login_required
def index():
    team = access.member_team()
    return render("neighbours/index.html", block="board", **board_context(team))


@bp.route("/connections/new")
@login_required
def new():
    team = access.member_team()
    form = ConnectionForm(formdata=None)
    form.goal.data = id_arg("goal")
    form.fill(Offer.of_team(team), Goal.needs_of_team(team))
    if form.goal.data is not None and form.chosen_need is None:
        abort(404)
    return render("neighbours/new.html", block="form", form=form, need=form.chosen_need)


@bp.route("/connections", methods=["POST"], endpoint="connect")
@login_required
def create():
    team = access.member_team()
    form = ConnectionForm().fill(Offer.of_team(team), Goal.needs_of_team(team))
    conflict = None
    if form.validate_on_submit():
        offer, need = form.chosen_offer, form.chosen_need
        try:
            Connection.connect(offer, need, current_user._get_current_object(), form.note.data)
        except IntegrityError:
            conflict = {
                "earlier": Connection.recorded_for(offer, need),
                "offer": offer,
                "need": need,
            }
        else:
            return _board_saved(
                team,
                _(
                    "%(giver)s and %(receiver)s are connected. "
                    "It shows on both their network pictures.",
                    giver=offer.client.first_name,
                    receiver=need.client.first_name,
                ),
            )
    return render(
        "neighbours/new.html",
        block="form",
        status=409 if conflict else 400,
        form=form,
        need=form.chosen_need,
        conflict=conflict,
    )


@bp.route("/connections/<int:connection_id>/end", methods=["POST"])
@login_required
def end(connection_id):
    connection = Connection.get_or_none(Connection.id == connection_id)
    if connection is None:
        abort(404)
    # Both sides must be the member's team's: the access module decides, per side.
    offer = access.person_part(Offer, connection.offer_id)
    goal = access.person_part(Goal, connection.goal_id)
    connection.undo(offer, goal, current_user._get_current_object())
    return _board_saved(
        access.member_team(),
        _(
            "%(giver)s and %(receiver)s are no longer connected.",
            giver=offer.client.first_name,
            receiver=goal.client.first_name,
        ),
    )
