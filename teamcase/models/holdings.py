"""What a team holds, and what it holds about one person: which rows of which
tables belong to them, for the team's export and a person's own export.

Every table of `MODELS` is either here or in NOT_THE_TEAMS, so a new table
needs a decision (tests/reports/test_exports.py holds us to it). Password and
token hashes are never selected: an export must not open any door.

A row belongs to a team through its `team` field, or through the person,
meeting, decision or role it hangs from. A team's audit events are its log and
the histories of the people still in its care: the history of someone who moved
to another team went with them, as their page did.
"""

from typing import NamedTuple

from peewee import ForeignKeyField

from teamcase.models.audit import AuditEvent
from teamcase.models.board import Task
from teamcase.models.clients import Client, Contact, ContactMember, KnownBest
from teamcase.models.coaching import CoachMessage, CoachThread
from teamcase.models.decisions import Decision, DecisionStep
from teamcase.models.goals import Connection, Goal, Step
from teamcase.models.learning import Experiment, TrainingItem
from teamcase.models.measures import CauseGroup, WeekFigure
from teamcase.models.meetings import AgendaItem, Attendance, Meeting, MeetingFlag
from teamcase.models.network import LocalResource, NetworkMember
from teamcase.models.omaha import OmahaProblem, OmahaRating, OmahaStrength
from teamcase.models.outcomes import Admission
from teamcase.models.plan import PlannedVisit, VisitSeries
from teamcase.models.record import AboutMe, Consent, Offer, Strength
from teamcase.models.referrals import Referral
from teamcase.models.selfreliance import SelfReliance
from teamcase.models.support import (
    SupportAttachment,
    SupportMessage,
    SupportMover,
    SupportRequest,
)
from teamcase.models.teams import (
    CoachLink,
    Invitation,
    LoginThrottle,
    RoleHolding,
    Team,
    TeamRole,
    User,
)

# Rows read per query: memory stays flat however large the team.
CHUNK = 500
# Secrets: kept out of every export.
SECRET_FIELDS = {User: {"password_hash"}, Invitation: {"token_hash"}}
# The login throttle guards the installation against guessing, per address; a
# coach link belongs to the coach as much as to the team, and names an account
# outside it.
NOT_THE_TEAMS = (LoginThrottle, CoachLink)


def exported_fields(model) -> list:
    secret = SECRET_FIELDS.get(model, set())
    return [f for f in model._meta.sorted_fields if f.name not in secret]


def team_tables(team) -> list[tuple]:
    """(model, condition) for every table of the team's, in the order of MODELS."""
    people = Client.select(Client.id).where(Client.team == team)
    contacts = Contact.select(Contact.id).where(Contact.client.in_(people))
    goals = Goal.select(Goal.id).where(Goal.client.in_(people))
    offers = Offer.select(Offer.id).where(Offer.client.in_(people))
    problems = OmahaProblem.select(OmahaProblem.id).where(OmahaProblem.client.in_(people))
    roles = TeamRole.select(TeamRole.id).where(TeamRole.team == team)
    meetings = Meeting.select(Meeting.id).where(Meeting.team == team)
    decisions = Decision.select(Decision.id).where(Decision.team == team)
    requests = SupportRequest.select(SupportRequest.id).where(SupportRequest.team == team)
    threads = CoachThread.select(CoachThread.id).where(CoachThread.team == team)
    return [
        (Team, Team.id == team),
        (User, User.team == team),
        (Client, Client.team == team),
        (KnownBest, KnownBest.client.in_(people)),
        (Contact, Contact.client.in_(people)),
        (ContactMember, ContactMember.contact.in_(contacts)),
        (
            AuditEvent,
            (AuditEvent.team == team)
            & (AuditEvent.client.is_null() | AuditEvent.client.in_(people)),
        ),
        (AboutMe, AboutMe.client.in_(people)),
        (Strength, Strength.client.in_(people)),
        (Offer, Offer.client.in_(people)),
        (LocalResource, LocalResource.team == team),
        (NetworkMember, NetworkMember.client.in_(people)),
        (Goal, Goal.client.in_(people)),
        (Step, Step.goal.in_(goals)),
        # Neighbours are put in touch within a team: the giver's side decides.
        (Connection, Connection.offer.in_(offers)),
        (Consent, Consent.client.in_(people)),
        (Referral, Referral.team == team),
        (Task, Task.team == team),
        (VisitSeries, VisitSeries.team == team),
        (PlannedVisit, PlannedVisit.team == team),
        (TeamRole, TeamRole.team == team),
        (RoleHolding, RoleHolding.role.in_(roles)),
        (Invitation, Invitation.team == team),
        (Meeting, Meeting.team == team),
        (Attendance, Attendance.meeting.in_(meetings)),
        (AgendaItem, AgendaItem.meeting.in_(meetings)),
        (MeetingFlag, MeetingFlag.team == team),
        (Decision, Decision.team == team),
        (DecisionStep, DecisionStep.decision.in_(decisions)),
        (TrainingItem, TrainingItem.team == team),
        (Experiment, Experiment.team == team),
        (Admission, Admission.client.in_(people)),
        (SelfReliance, SelfReliance.client.in_(people)),
        (OmahaProblem, OmahaProblem.client.in_(people)),
        (OmahaRating, OmahaRating.problem.in_(problems)),
        (OmahaStrength, OmahaStrength.problem.in_(problems)),
        # What the team asked of the back office: the team's, whoever filed it.
        (SupportRequest, SupportRequest.team == team),
        (SupportMessage, SupportMessage.request.in_(requests)),
        (SupportAttachment, SupportAttachment.request.in_(requests)),
        (SupportMover, SupportMover.request.in_(requests)),
        # The team's weekly figures, counted from its own rows.
        (WeekFigure, WeekFigure.team == team),
        (CauseGroup, CauseGroup.team == team),
        # What the team asked of its coach, and her answers: the team's threads.
        (CoachThread, CoachThread.team == team),
        (CoachMessage, CoachMessage.thread.in_(threads)),
    ]


def rows_in_chunks(model, condition, chunk: int | None = None):
    """The rows as dicts of field values, in id order, `chunk` at a time: one query
    per chunk, each starting after the last id seen (never OFFSET, which rereads
    everything before it), and none of them held once it is passed on."""
    chunk = chunk or CHUNK
    last = 0
    while True:
        query = (
            model.select(*exported_fields(model))
            .where(condition, model.id > last)
            .order_by(model.id)
            .limit(chunk)
            .dicts()
        )
        seen = 0
        for row in query.iterator():
            seen += 1
            last = row["id"]
            yield row
        if seen < chunk:
            return


def team_rows(team, chunk: int | None = None):
    """(table name, row) for every row the team holds, table by table."""
    for model, condition in team_tables(team):
        table = model._meta.table_name
        for row in rows_in_chunks(model, condition, chunk):
            yield table, row


def person_tables(client) -> list[tuple]:
    """(model, condition) for every table with rows about one person, as their team
    holds them: what the person's page, history and the team's records show."""
    team = client.team_id
    goals = Goal.select(Goal.id).where(Goal.client == client)
    offers = Offer.select(Offer.id).where(Offer.client == client)
    problems = OmahaProblem.select(OmahaProblem.id).where(OmahaProblem.client == client)
    contacts = Contact.select(Contact.id).where(Contact.client == client)
    decisions = Decision.select(Decision.id).where(Decision.client == client, Decision.team == team)
    meetings = Meeting.select(Meeting.id).where(Meeting.team == team)
    return [
        (Client, Client.id == client),
        (KnownBest, KnownBest.client == client),
        (AboutMe, AboutMe.client == client),
        (Strength, Strength.client == client),
        (Offer, Offer.client == client),
        (Consent, Consent.client == client),
        (NetworkMember, NetworkMember.client == client),
        (Goal, Goal.client == client),
        (Admission, Admission.client == client),
        (SelfReliance, SelfReliance.client == client),
        (OmahaProblem, OmahaProblem.client == client),
        (OmahaRating, OmahaRating.problem.in_(problems)),
        (OmahaStrength, OmahaStrength.problem.in_(problems)),
        (Step, Step.goal.in_(goals)),
        # Both sides of a connection are about the person: what they give, what they get.
        (Connection, Connection.offer.in_(offers) | Connection.goal.in_(goals)),
        (Contact, Contact.client == client),
        (ContactMember, ContactMember.contact.in_(contacts)),
        (VisitSeries, VisitSeries.client == client),
        (PlannedVisit, (PlannedVisit.client == client) & (PlannedVisit.team == team)),
        (Task, (Task.client == client) & (Task.team == team)),
        (
            Referral,
            (Referral.client == client) & ((Referral.team == team) | (Referral.from_team == team)),
        ),
        (MeetingFlag, (MeetingFlag.client == client) & (MeetingFlag.team == team)),
        (AgendaItem, (AgendaItem.client == client) & AgendaItem.meeting.in_(meetings)),
        (Decision, Decision.id.in_(decisions)),
        (DecisionStep, DecisionStep.decision.in_(decisions)),
        (AuditEvent, AuditEvent.client == client),
    ]


class PersonRows(NamedTuple):
    rows: dict[str, list[dict]]  # by table name
    # Id and name of every account the rows name (who wrote, visited, decided),
    # so that a reader can tell who is who.
    accounts: list[dict]


def person_rows(client) -> PersonRows:
    """Every row the team holds about one person."""
    found, account_ids = {}, set()
    for model, condition in person_tables(client):
        rows = list(rows_in_chunks(model, condition))
        found[model._meta.table_name] = rows
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField) and field.rel_model is User:
                account_ids |= {row[field.name] for row in rows if row[field.name]}
    accounts = (
        User.select(User.id, User.name)
        .where(User.id.in_(sorted(account_ids)))
        .order_by(User.id)
        .dicts()
    )
    return PersonRows(found, list(accounts) if account_ids else [])
