"""The people around a person, edited in place on their page like the other parts
of the record (see teamcase.clients.parts); ending a tie keeps it in the dated
history, so the page can compare the network over time."""

from teamcase.clients.parts import part_blueprint
from teamcase.models import NetworkMember
from teamcase.network.forms import NetworkForm

bp = part_blueprint(
    "network",
    NetworkMember,
    NetworkForm,
    section="network",
    noun="person in the network",
    retire="end",
    retire_with=lambda member, by: member.end(by, member.version),
    describe=lambda member: member.name,
    question="Is this person no longer around?",
    button="No longer around",
)
