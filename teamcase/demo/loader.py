"""`seed_demo`: two teams, their people and histories, into an empty database."""

import random

from flask_babel import gettext as _

from teamcase.db import db
from teamcase.demo.board import add_tasks
from teamcase.demo.closing import add_closed_cases
from teamcase.demo.data import DemoData
from teamcase.demo.decisions import add_decisions, add_learning
from teamcase.demo.demand import add_year_of_demand
from teamcase.demo.details import password_hash
from teamcase.demo.meetings import add_meetings
from teamcase.demo.outcomes import add_admissions, add_omaha, add_self_reliance
from teamcase.demo.people import add_people
from teamcase.demo.plan import add_plan
from teamcase.demo.referrals import add_referrals
from teamcase.demo.support import add_support_requests
from teamcase.demo.teams import add_accounts, add_team_pages, share_with_coach
from teamcase.demo.timeline import Demo
from teamcase.models import (
    AboutMe,
    Admission,
    AuditEvent,
    Client,
    Consent,
    Contact,
    Experiment,
    Goal,
    LocalResource,
    NetworkMember,
    Offer,
    OmahaProblem,
    OmahaRating,
    PlannedVisit,
    Referral,
    SelfReliance,
    Step,
    Strength,
    Task,
    Team,
    TrainingItem,
    WeekFigure,
    utcnow,
)

DEMO_PASSWORD = "demo-password-1"

# What dates each kind of audit event the verbs wrote: the moment the row says it
# happened. Keys are (entity, action), or the entity for any other action; the
# narrower key comes first, and an event once dated is left alone.
EVENT_TIMES = {
    ("person", "close"): Client.closed_at,
    "person": Client.created_at,
    "contact": Contact.created_at,
    "network": NetworkMember.created_at,
    "goal": Goal.created_at,
    "step": Step.created_at,
    "strength": Strength.created_at,
    "offer": Offer.created_at,
    "consent": Consent.created_at,
    "about_me": AboutMe.recorded_at,
    "resource": LocalResource.created_at,
    "referral": Referral.received_at,
    "task": Task.created_at,
    "visit": PlannedVisit.created_at,
    "training": TrainingItem.created_at,
    "experiment": Experiment.created_at,
    "admission": Admission.created_at,
    "self_reliance": SelfReliance.created_at,
    ("omaha_problem", "create"): OmahaProblem.created_at,
    "omaha_rating": OmahaRating.created_at,
}


def seed_demo(progress=None, lang: str = "en", now=None) -> dict:
    """Fill an empty, migrated database with two teams, their people and histories.

    The demo is written as seen at `now` (naive UTC, default the present): the same
    moment gives the same demo, in the language of `data/<lang>/`. Returns one login
    per role to show whoever seeded it.
    """
    say = progress or (lambda label: None)
    data = DemoData(lang)
    rng = random.Random(2026)
    started = utcnow()
    now = now or started
    demo = Demo(data, rng, now)

    with db.atomic():
        say(_("Teams and accounts"))
        teams = add_accounts(demo, password_hash(DEMO_PASSWORD))
        # Records draw on their own random stream, so the contact histories stay put.
        records_rng = random.Random(2027)
        for key, spec in data.teams["teams"].items():
            say(_("People, their records and contacts in %(team)s", team=spec["name"]))
            add_people(demo, records_rng, teams[key][0], {"key": key, **spec}, teams[key][1])
        add_referrals(demo, teams)
        say(_("The teams' details, roles and logs"))
        add_team_pages(demo, teams)
        say(_("Closed cases and a transfer"))
        add_closed_cases(demo, teams)
        say(_("A year of calls and messages that came in"))
        add_year_of_demand(demo, teams)
        say(_("Hospital admissions and emergency visits"))
        add_admissions(demo, teams)
        say(_("Who does what in people's lives"))
        add_self_reliance(demo, teams)
        share_with_coach(demo, teams)
        say(_("The Omaha System's problems and ratings"))
        add_omaha(demo, teams)
        say(_("The team boards"))
        add_tasks(demo, teams)
        say(_("The week plan: this week and next"))
        add_plan(demo, teams)
        say(_("Decisions, training plan and experiments"))
        decisions = add_decisions(demo, teams)
        add_learning(demo, teams, decisions)
        say(_("Team meetings: three months of them, and the next"))
        add_meetings(demo, teams)
        say(_("What the teams asked the back office"))
        add_support_requests(demo, teams)
        _date_history(since=started)
        # Some of the story is written straight into its rows (referrals received
        # and visited long ago): the weekly figures are counted from them once more.
        for team in Team.select():
            WeekFigure.rebuild(team)

    return {"logins": demo_logins(lang)}


def _date_history(since):
    """Date the audit events the verbs wrote while seeding (they say "now") to when
    their row says it happened, so a person's history reads as it was built up.
    Events of what seeding itself did (the next meeting's agenda) stay now."""
    for key, field in EVENT_TIMES.items():
        entity, action = key if isinstance(key, tuple) else (key, None)
        model = field.model
        happened = model.select(field).where(model.id == AuditEvent.entity_id)
        query = AuditEvent.update(at=happened).where(
            AuditEvent.at >= since, AuditEvent.entity == entity
        )
        if action:
            query = query.where(AuditEvent.action == action)
        query.execute()


def demo_logins(lang: str = "en") -> list[tuple[str, str, str]]:
    """One login per role (and one for each team), to print for whoever runs the demo."""
    data = DemoData(lang).teams
    logins = []
    for spec in data["teams"].values():
        first = spec["members"][0]["name"].split()[0].lower()
        logins.append((_("member, %(team)s", team=spec["name"]), f"{first}@{spec['email_domain']}"))
    logins += [(_("coach"), coach["email"]) for coach in data["coach"]]
    logins += [(_("back office"), office["email"]) for office in data["back_office"]]
    return [(role, email, DEMO_PASSWORD) for role, email in logins]
