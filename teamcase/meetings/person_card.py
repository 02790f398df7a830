"""What the meeting sees of each person on its agenda: strengths, current network,
active goals and the last contacts, read for all of them in a fixed number of queries.
"""

from peewee import fn

from teamcase.models import (
    Contact,
    Goal,
    NetworkMember,
    Strength,
    User,
)

RECENT_CONTACTS = 3


def person_records(client_ids) -> dict[int, dict]:
    """Strengths, current network, active goals and the last contacts of each person,
    in four queries whatever the number of people: meeting mode shows one person,
    the meeting pack a page for each."""
    ids = sorted(set(client_ids))
    records = {i: {"strengths": [], "network": [], "goals": [], "contacts": []} for i in ids}
    if not ids:
        return records
    for strength in Strength.select().where(Strength.client.in_(ids)).order_by(Strength.id):
        records[strength.client_id]["strengths"].append(strength)
    for member in (
        NetworkMember.select()
        .where(NetworkMember.client.in_(ids), NetworkMember.until.is_null())
        .order_by(NetworkMember.relation, NetworkMember.name)
    ):
        records[member.client_id]["network"].append(member)
    for goal in (
        Goal.select()
        .where(Goal.client.in_(ids), Goal.status == "active")
        .order_by(Goal.review_on.asc(nulls="last"), Goal.id)
    ):
        records[goal.client_id]["goals"].append(goal)
    newest = fn.ROW_NUMBER().over(
        partition_by=[Contact.client], order_by=[Contact.happened_at.desc(), Contact.id.desc()]
    )
    ranked = (
        Contact.select(Contact.id, newest.alias("newest"))
        .where(Contact.client.in_(ids))
        .alias("ranked")
    )
    for contact in (
        Contact.select(Contact, User.id, User.name)
        .join(ranked, on=(Contact.id == ranked.c.id))
        .switch(Contact)
        .join(User, on=(Contact.author == User.id))
        .where(ranked.c.newest <= RECENT_CONTACTS)
        .order_by(Contact.happened_at.desc(), Contact.id.desc())
    ):
        records[contact.client_id]["contacts"].append(contact)
    return records
