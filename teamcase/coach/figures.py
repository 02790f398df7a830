"""The figures a coach sees of each team that linked them: counts only, never a
person's details, and never a comparison between teams."""

import datetime as dt

from peewee import fn

from teamcase.models import Client, Contact, User, utcnow


def team_overview(coach) -> list[dict]:
    """Per linked team: members, active people and contacts in the last four weeks."""
    teams = list(coach.linked_teams())
    ids = [t.id for t in teams]
    if not ids:
        return []
    members = dict(
        User.select(User.team, fn.COUNT(User.id))
        .where(User.team.in_(ids), User.role == User.MEMBER, User.active == True)  # noqa: E712
        .group_by(User.team)
        .tuples()
    )
    people = dict(
        Client.select(Client.team, fn.COUNT(Client.id))
        .where(Client.team.in_(ids), Client.status == Client.ACTIVE)
        .group_by(Client.team)
        .tuples()
    )
    since = utcnow() - dt.timedelta(days=28)
    contacts = dict(
        Contact.select(Client.team, fn.COUNT(Contact.id))
        .join(Client)
        .where(Client.team.in_(ids), Contact.happened_at >= since)
        .group_by(Client.team)
        .tuples()
    )
    return [
        {
            "team": t,
            "members": members.get(t.id, 0),
            "people": people.get(t.id, 0),
            "contacts_28d": contacts.get(t.id, 0),
        }
        for t in teams
    ]
