"""Offers and needs: what people in the caseload can give, next to the help others want.

A member who sees that one person's offer meets another's need asks them both;
once both agreed, the member records the connection here. It then shows on both
people's network pictures as a neighbour met through the team (DESIGN.md rule 7).

The unique (offer, goal) constraint decides which of two members connecting the
same pair at once wins; the other is told who did it.
"""

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from peewee import IntegrityError, fn
from wtforms import BooleanField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from teamcase import access
from teamcase.db import db
from teamcase.forms import strip
from teamcase.models import AuditEvent, Client, Connection, Goal, NetworkMember, Offer, User
from teamcase.web import is_htmx_partial, render, see_other

bp = Blueprint("neighbours", __name__)


def first_name(person: Client) -> str:
    """What the person is called on a picture: as on the centre of their own ecomap."""
    return person.preferred_name or person.name.split()[0]


def team_offers(team):
    """Offers of the team's active people, each with its person."""
    return (
        Offer.select(Offer, Client)
        .join(Client)
        .where(Client.team == team, Client.status == Client.ACTIVE)
        .order_by(Client.name, Client.id, Offer.id)
    )


def team_needs(team):
    """Active goals of the team's active people where a neighbour's help is wanted."""
    return (
        Goal.select(Goal, Client)
        .join(Client)
        .where(
            Client.team == team,
            Client.status == Client.ACTIVE,
            Goal.status == "active",
            fn.TRIM(Goal.help_wanted) != "",
        )
        .order_by(Client.name, Client.id, Goal.id)
    )


def _connections():
    """Connections with their offer, goal and both people (offer.client gives,
    goal.client receives)."""
    giver, receiver = Client.alias("giver"), Client.alias("receiver")
    query = (
        Connection.select(Connection, Offer, Goal, giver, receiver)
        .join(Offer)
        .join(giver, on=(Offer.client == giver.id))
        .switch(Connection)
        .join(Goal)
        .join(receiver, on=(Goal.client == receiver.id))
        .switch(Connection)
    )
    return query, giver, receiver


def team_connections(team):
    """Connections between active people of the team, newest first, with who recorded them."""
    query, giver, receiver = _connections()
    return (
        query.select_extend(User)
        .join(User, on=(Connection.recorded_by == User.id))
        .where(
            giver.team == team,
            receiver.team == team,
            giver.status == Client.ACTIVE,
            receiver.status == Client.ACTIVE,
        )
        .order_by(Connection.created_at.desc(), Connection.id.desc())
    )


@dataclass(frozen=True)
class Neighbour:
    """Someone the person was put in touch with through the team: drawn and listed
    like a member of their network, with a moderate tie."""

    connection: Connection
    other: Client
    # True when this person's offer meets the other's need.
    gives: bool

    relation = "neighbour"
    relation_label = "Neighbour (via the team)"
    tie = "moderate"
    tie_label = "Moderate"
    group = NetworkMember.GROUPS["neighbour"]

    @property
    def name(self) -> str:
        return first_name(self.other)

    @property
    def what(self) -> str:
        return self.connection.offer.text

    def summary(self, person: Client) -> str:
        """One phrase for the text description of `person`'s ecomap."""
        centre = first_name(person)
        way = f"{centre} offers them" if self.gives else f"offers {centre}"
        return f"{self.name} (neighbour via the team, moderate tie; {way}: {self.what})"


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


def _snapshot(connection, offer, goal) -> dict:
    return {
        "offer": f"{offer.client.name}: {offer.text}",
        "need": f"{goal.client.name}: {goal.help_wanted} ({goal.words})",
        "agreed_on": connection.agreed_on.isoformat(),
        "note": connection.note,
    }


def connect(offer, goal, by, note: str = "") -> Connection:
    """Record that both agreed to be put in touch; audited on both people.

    Raises IntegrityError when the pair is already connected (or a row it
    needs vanished in between)."""
    with db.atomic():
        connection = Connection.create(
            offer=offer, goal=goal, note=note, recorded_by=by, agreed_on=dt.date.today()
        )
        after = _snapshot(connection, offer, goal)
        for person in (offer.client, goal.client):
            AuditEvent.record(by, person, "create", "connection", connection.id, after=after)
    return connection


def undo(connection, offer, goal, by) -> bool:
    """Take the connection away, audited on both people; False when it was already gone."""
    before = _snapshot(connection, offer, goal)
    with db.atomic():
        if not Connection.delete().where(Connection.id == connection.id).execute():
            return False
        for person in (offer.client, goal.client):
            AuditEvent.record(by, person, "delete", "connection", connection.id, before=before)
    return True


def _id(value):
    """A posted id, or None: a bad value is the form's error, not a crash."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ConnectionForm(FlaskForm):
    goal = SelectField(
        "Whose need",
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired("Choose the need this offer meets.")],
    )
    offer = SelectField(
        "The offer",
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired("Choose an offer.")],
    )
    agreed = BooleanField(
        "Both agreed to be put in touch",
        validators=[DataRequired("Ask them both first, and tick this once both agreed.")],
    )
    note = StringField(
        "Note",
        description="Optional. E.g. who rings whom first, and when.",
        filters=[strip],
        validators=[Length(max=300)],
    )

    def fill(self, offers, needs):
        """Choices from the team's offers and needs; the chosen ones, if any, are
        `chosen_offer` and `chosen_need`."""
        self._offers = {o.id: o for o in offers}
        self._needs = {g.id: g for g in needs}
        need = self.chosen_need
        self.goal.choices = [("", "Choose a need…")] + [
            (g.id, f"{g.client.display_name}: {g.help_wanted} (“{g.words}”)") for g in needs
        ]
        self.offer.choices = [("", "Choose an offer…")] + [
            (o.id, f"{o.client.display_name}: {o.text}" + (f" ({o.when})" if o.when else ""))
            for o in offers
            if need is None or o.client_id != need.client_id
        ]
        return self

    @property
    def chosen_offer(self):
        return self._offers.get(self.offer.data)

    @property
    def chosen_need(self):
        return self._needs.get(self.goal.data)

    def validate_goal(self, field):
        if self.chosen_need is None:
            raise ValidationError(
                "That need is not on your team's list (any more). Choose one from the list."
            )

    def validate_offer(self, field):
        if self.chosen_offer is None:
            raise ValidationError(
                "That offer is not on your team's list (any more). Choose one from the list."
            )
        need = self.chosen_need
        if need is not None and need.client_id == self.chosen_offer.client_id:
            raise ValidationError("This is their own offer. Choose someone else's.")


def board_context(team, message: str | None = None) -> dict:
    """The offers-and-needs page and its board block: three queries, whatever the size."""
    return {
        "team": team,
        "offers": list(team_offers(team)),
        "needs": list(team_needs(team)),
        "connections": list(team_connections(team)),
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
    form.goal.data = request.args.get("goal", type=int)
    form.fill(team_offers(team), team_needs(team))
    if form.goal.data is not None and form.chosen_need is None:
        abort(404)
    return render("neighbours/new.html", block="form", form=form, need=form.chosen_need)


@bp.route("/connections", methods=["POST"], endpoint="connect")
@login_required
def create():
    team = access.member_team()
    form = ConnectionForm().fill(team_offers(team), team_needs(team))
    conflict = None
    if form.validate_on_submit():
        offer, need = form.chosen_offer, form.chosen_need
        try:
            connect(offer, need, current_user._get_current_object(), form.note.data)
        except IntegrityError:
            conflict = {"earlier": _earlier(offer, need), "offer": offer, "need": need}
        else:
            return _board_saved(
                team,
                f"{first_name(offer.client)} and {first_name(need.client)} are connected. "
                "It shows on both their network pictures.",
            )
    return render(
        "neighbours/new.html",
        block="form",
        status=409 if conflict else 400,
        form=form,
        need=form.chosen_need,
        conflict=conflict,
    )


def _earlier(offer, goal):
    """The connection that won, with who recorded it; None if it is gone again."""
    return (
        Connection.select(Connection, User)
        .join(User, on=(Connection.recorded_by == User.id))
        .where(Connection.offer == offer, Connection.goal == goal)
        .first()
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
    undo(connection, offer, goal, current_user._get_current_object())
    return _board_saved(
        access.member_team(),
        f"{first_name(offer.client)} and {first_name(goal.client)} are no longer connected.",
    )
