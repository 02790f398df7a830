"""The people around a person, edited in place on their page like the other parts
of the record (see teamcase.clients.parts); ending a tie keeps it in the dated
history, so the page can compare the network over time."""

from teamcase.clients.parts import NETWORK, part_blueprint
from teamcase.models import NetworkMember
from teamcase.network.forms import NetworkForm

bp = part_blueprint(
    "network",
    NetworkMember,
    NetworkForm,
    section="network",
    words=NETWORK,
    retire="end",
    retire_with=lambda member, by: member.end(by, member.version),
    describe=lambda member: member.name,
)
