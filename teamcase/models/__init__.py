"""The records teams keep, with the behaviour that belongs to them: one module per area.

Import models from here (`from teamcase.models import Client`). The modules are
imported in the order their tables refer to one another; a method that needs a
model of a later area imports it where it is used.
"""

from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.board import Task
from teamcase.models.clients import Client, Contact, ContactMember, KnownBest
from teamcase.models.coaching import CoachMessage, CoachRefused, CoachThread
from teamcase.models.decisions import Decision, DecisionRefused, DecisionStep
from teamcase.models.goals import Connection, Goal, Step
from teamcase.models.learning import Experiment, LearningRecord, TrainingItem
from teamcase.models.measures import CauseGroup, WeekFigure
from teamcase.models.meetings import AgendaItem, Attendance, Meeting, MeetingFlag
from teamcase.models.network import LocalResource, NetworkMember
from teamcase.models.omaha import OmahaProblem, OmahaRating, OmahaStrength
from teamcase.models.outcomes import Admission
from teamcase.models.plan import PlannedVisit, VisitSeries
from teamcase.models.record import AboutMe, Consent, Offer, PersonPart, Strength
from teamcase.models.referrals import Referral
from teamcase.models.selfreliance import SelfReliance
from teamcase.models.support import (
    SupportAttachment,
    SupportMessage,
    SupportMover,
    SupportRefused,
    SupportRequest,
)
from teamcase.models.teams import (
    CoachLink,
    EmailInUse,
    Invitation,
    LoginThrottle,
    RoleHolding,
    Team,
    TeamChangeRefused,
    TeamRole,
    User,
    normalise_email,
)
from teamcase.models.waiting import Waiting

# Every table, in an order that creates (and, reversed, empties) them safely.
MODELS = [
    Team,
    User,
    CoachLink,
    Client,
    KnownBest,
    Contact,
    ContactMember,
    AuditEvent,
    LoginThrottle,
    AboutMe,
    Strength,
    Offer,
    LocalResource,
    NetworkMember,
    Goal,
    Step,
    Connection,
    Consent,
    Referral,
    Task,
    VisitSeries,
    PlannedVisit,
    TeamRole,
    RoleHolding,
    Invitation,
    Meeting,
    Attendance,
    AgendaItem,
    MeetingFlag,
    Decision,
    DecisionStep,
    TrainingItem,
    Experiment,
    Admission,
    SelfReliance,
    OmahaProblem,
    OmahaRating,
    OmahaStrength,
    SupportRequest,
    SupportMessage,
    SupportAttachment,
    SupportMover,
    WeekFigure,
    CauseGroup,
    CoachThread,
    CoachMessage,
]

__all__ = [
    "MODELS",
    "AboutMe",
    "Admission",
    "CauseGroup",
    "AgendaItem",
    "Attendance",
    "AuditEvent",
    "BaseModel",
    "Client",
    "CoachLink",
    "CoachMessage",
    "CoachRefused",
    "CoachThread",
    "Connection",
    "Consent",
    "Contact",
    "ContactMember",
    "Decision",
    "DecisionRefused",
    "DecisionStep",
    "EmailInUse",
    "Experiment",
    "Goal",
    "Invitation",
    "KnownBest",
    "LearningRecord",
    "LocalResource",
    "LoginThrottle",
    "Meeting",
    "MeetingFlag",
    "NetworkMember",
    "Offer",
    "OmahaProblem",
    "OmahaRating",
    "OmahaStrength",
    "PersonPart",
    "PlannedVisit",
    "Referral",
    "RoleHolding",
    "SelfReliance",
    "Step",
    "Strength",
    "SupportAttachment",
    "SupportMessage",
    "SupportMover",
    "SupportRefused",
    "SupportRequest",
    "Task",
    "Team",
    "TeamChangeRefused",
    "TeamRole",
    "TrainingItem",
    "User",
    "VisitSeries",
    "Waiting",
    "WeekFigure",
    "normalise_email",
    "utcnow",
]
