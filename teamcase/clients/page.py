"""The person's page, section by section: who they are before what they need.

One function per section builds what its block in clients/show.html needs;
`person_context` puts them together with the contact timeline. A view that
changes a section answers an htmx request with that section's block alone,
and any other request with a redirect to the whole page.

The forms that add to a section are not on the page: each section has a link
that loads its form on demand (`add_form_page`), in place with htmx and as a
page of its own without. Only a form sent back with errors sits in its section.
"""

import datetime as dt
import textwrap

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from peewee import fn
from wtforms.fields.choices import SelectChoice

from teamcase import omaha, pagecache
from teamcase.clients.forms import ContactForm, GoalForm, StepForm
from teamcase.dates import local_now, short_day_text
from teamcase.measures.omaha import person_omaha
from teamcase.measures.outcomes import person_outcomes
from teamcase.measures.selfreliance import person_self_reliance
from teamcase.measures.shares import figure as shares_figure
from teamcase.models import (
    AboutMe,
    Consent,
    Contact,
    Goal,
    LocalResource,
    MeetingFlag,
    NetworkMember,
    Offer,
    PlannedVisit,
    Step,
    Strength,
    Task,
)
from teamcase.network.ecomap import ecomap_context
from teamcase.network.forms import NetworkForm
from teamcase.network.neighbours import neighbours_of
from teamcase.web import is_htmx_partial, render, see_other

TIMELINE_PAGE = 50


def members_choices(team, leave_out=None) -> list[SelectChoice]:
    return [SelectChoice(m.id, m.name) for m in team.active_members() if m.id != leave_out]


def prepare(form, client):
    """Fill choices that depend on the team."""
    if isinstance(form, NetworkForm) and client is not None:
        form.resource.choices = [SelectChoice(0, "None")] + [
            SelectChoice(r.id, r.name) for r in LocalResource.for_team(client.team_id)
        ]
    return form


def about_context(client, form=None) -> dict:
    return {"about": AboutMe.current_for(client), "about_sections": AboutMe.SECTIONS}


def strengths_context(client, form=None) -> dict:
    return {"strengths": list(Strength.for_client(client)), "strength_form": form}


def network_context(client, form=None) -> dict:
    members = list(NetworkMember.current(client))
    # Neighbours met through the team's offers and needs: one query, both directions.
    neighbours = neighbours_of(client)
    return {
        **ecomap_context(client, members, neighbours),
        "network": members,
        "team_neighbours": neighbours,
        "growth": NetworkMember.growth(client),
        "network_form": form,
    }


def new_goal_form() -> GoalForm:
    """The add-goal form, filled from the request when it was posted."""
    # Prefixed: the goal being edited in place uses the same field names.
    return GoalForm(prefix="new-goal")


def step_helpers(client, keep=None) -> list[SelectChoice]:
    """Who can help with a step: the person, their current network, the team.

    `keep` is a step whose helper stays choosable even if they left the
    network or the team since.
    """
    first = client.first_name
    groups = {kind: str(label) for kind, label in Step.HELPERS.items()}
    choices = [
        SelectChoice("person", _("%(name)s themselves", name=first), optgroup=groups["person"])
    ]
    choices += [
        SelectChoice(
            f"network-{m.id}",
            f"{m.name} ({m.relation_text})",
            optgroup=groups["network"],
        )
        for m in NetworkMember.current(client)
    ]
    choices += [
        SelectChoice(f"member-{m.id}", m.name, optgroup=groups["member"])
        for m in client.team.active_members()
    ]
    if keep is not None and keep.helper_kind != "person":
        value = helper_value(keep)
        if value not in {c.value for c in choices}:
            choices.append(SelectChoice(value, keep.helper_name, optgroup=groups[keep.helper_kind]))
    # Options of one group must sit together for the <optgroup>s.
    order = list(Step.HELPERS)
    return sorted(choices, key=lambda c: order.index(c.value.partition("-")[0]))


def helper_value(step) -> str:
    """The `helper` choice that stands for the step's helper."""
    if step.helper_kind == "network" and step.network_member_id:
        return f"network-{step.network_member_id}"
    if step.helper_kind == "member" and step.member_id:
        return f"member-{step.member_id}"
    return "person"


def new_step_form(goal, helpers) -> StepForm:
    """The form that adds a step to `goal`, filled from the request when it was posted;
    each goal's form has its own field names."""
    form = StepForm(prefix=f"new-step-{goal.id}")
    form.helper.choices = helpers
    form.goal_id = goal.id
    return form


def contacts_per_goal(goals) -> dict[int, int]:
    """How many contacts were recorded for each goal, in one query."""
    ids = [g.id for g in goals]
    if not ids:
        return {}
    return dict(
        Contact.select(Contact.goal, fn.COUNT(Contact.id))
        .where(Contact.goal.in_(ids))
        .group_by(Contact.goal)
        .tuples()
    )


def goals_context(client, form=None) -> dict:
    """Goals (active first) with their steps and helpers.

    `form` is an add-goal form or one goal's add-step form, sent back with its errors.
    """
    goals = list(Goal.for_client(client))
    return {
        "goals": goals,
        "steps": Step.for_goals(goals),
        "linked_contacts": contacts_per_goal(goals),
        "goal_form": form if isinstance(form, GoalForm) else None,
        "step_form": form if isinstance(form, StepForm) else None,
        "today": local_now().date(),
    }


def offers_context(client, form=None) -> dict:
    return {"offers": list(Offer.for_client(client)), "offer_form": form}


def consent_context(client, form=None) -> dict:
    return {"consents": list(Consent.for_client(client)), "consent_form": form}


def outcomes_context(client, form=None) -> dict:
    """Hospital admissions and emergency visits, and "How it is going": all its
    queries are in `person_outcomes`."""
    return {"outcomes": person_outcomes(client), "admission_form": form}


def selfreliance_context(client, form=None) -> dict:
    """Who does what, for a team that keeps it: one query. Nothing for one that does not."""
    if not client.team.uses_self_reliance:
        return {"self_reliance": None, "self_reliance_form": None}
    found = person_self_reliance(client)
    labels = [short_day_text(point.day) for point in found.points]
    return {
        "self_reliance": found,
        "self_reliance_figure": shares_figure(found.points, labels),
        "self_reliance_form": form,
    }


def omaha_context(client, form=None) -> dict:
    """The Omaha System, for a team that uses it: three queries. Nothing for one that
    does not."""
    if not client.team.uses_omaha:
        return {"omaha": None, "omaha_form": None}
    return {
        "omaha": person_omaha(client),
        "omaha_system": omaha.system(),
        "omaha_source": omaha.SOURCE,
        "omaha_form": form,
    }


SECTIONS = {
    "about": about_context,
    "strengths": strengths_context,
    "network": network_context,
    "goals": goals_context,
    "outcomes": outcomes_context,
    "selfreliance": selfreliance_context,
    "omaha": omaha_context,
    "offers": offers_context,
    "consent": consent_context,
}


def section_context(section: str, client, form=None) -> dict:
    return {"client": client, **SECTIONS[section](client, form)}


def new_contact_form(client, user, formdata=None, keep_goal=None, goals=None) -> ContactForm:
    """The contact form for `client`; `keep_goal` (the goal a contact being corrected
    was for) stays choosable after that goal was achieved or let go.

    `goals` are all of the person's goals when the caller has them already (the
    person's page does), which spares a query."""
    form = ContactForm(formdata=formdata)
    form.colleagues.choices = members_choices(client.team, leave_out=user.id)
    if goals is None:
        wanted = Goal.status == "active"
        if keep_goal:
            wanted |= Goal.id == keep_goal
        goals = (
            Goal.select(Goal.id, Goal.words).where(Goal.client == client, wanted).order_by(Goal.id)
        )
    else:
        goals = sorted(
            (g for g in goals if g.status == "active" or g.id == keep_goal), key=lambda g: g.id
        )
    form.goal.choices = [SelectChoice(0, _("None in particular"))] + [
        SelectChoice(g.id, textwrap.shorten(g.words, 70, placeholder="…")) for g in goals
    ]
    if formdata is None:
        form.happened_at.data = pagecache.now()
        # Most contacts are home visits: one tap fewer for the common case.
        form.kind.data = "home_visit"
    return form


def person_context(client, contact_form=None, older=0, section=None, form=None) -> dict:
    """The whole page: every section, the quick contact form and the timeline."""
    user = current_user._get_current_object()
    contacts = list(client.contacts().offset(older).limit(TIMELINE_PAGE + 1))
    has_older = len(contacts) > TIMELINE_PAGE
    contacts = contacts[:TIMELINE_PAGE]
    window = current_app.config["CONTACT_EDIT_HOURS"]
    editable = {c.id for c in contacts if c.editable_by(user, window)}
    # Each of her own contacts she may correct stops being correctable in time.
    for contact in contacts:
        if contact.id in editable:
            pagecache.holds_until(contact.created_at + dt.timedelta(hours=window))
    context = {
        "client": client,
        "known_best": list(client.known_best_by()),
        "contacts": contacts,
        "colleagues": Contact.colleagues_for(contacts),
        "editable": editable,
        "older": older,
        "next_older": older + TIMELINE_PAGE if has_older else None,
        # Continuity: how many colleagues the person met lately, and who comes next.
        "visitors_30d": PlannedVisit.visitors_in_last(client, days=30),
        "next_visits": list(PlannedVisit.next_for(client, local_now().date())),
        # One count: the board itself lists them (board.index?person=…).
        "open_tasks": Task.open_count(client),
        # The team meeting: open flags, with who flagged (the review date is on the row).
        "meeting_flags": MeetingFlag.open_for(client),
    }
    for name, build in SECTIONS.items():
        context.update(build(client, form if name == section else None))
    # After the sections: the goals section has loaded the goals the form offers.
    context["contact_form"] = contact_form or new_contact_form(client, user, goals=context["goals"])
    # How they came to the team (who referred them, when, why), and the banner of a
    # transfer waiting on another team, in one query; a closed case says who closed it.
    transfer, context["referral"] = client.referral_story()
    if client.status == client.CLOSED:
        context["closing"] = client.closing_event()
    else:
        context["transfer"] = transfer
    return context


def add_form_page(client, kind: str, section: str, form, action: str, goal=None):
    """The form that adds a `kind` of thing to `section`: a page of its own, or for
    htmx the form alone, loaded into the section in place of its "Add …" link."""
    return render(
        "clients/add.html",
        block="form",
        client=client,
        kind=kind,
        section=section,
        form=form,
        action=action,
        goal=goal,
    )


def section_saved(client, section: str):
    """The changed section: in place for htmx (wherever the form was), else the page."""
    if is_htmx_partial():
        body, status = render(
            "clients/show.html", block=section, **section_context(section, client)
        )
        return body, status, {"HX-Retarget": f"#{section}", "HX-Reswap": "outerHTML"}
    return see_other("clients.show", client_id=client.id, _anchor=section)


def section_invalid(client, section: str, form, status: int = 400):
    """Bad input: the section again with the form, its errors and what was typed."""
    if is_htmx_partial():
        context = section_context(section, client, form)
    else:
        context = person_context(client, section=section, form=form)
    return render("clients/show.html", block=section, status=status, **context)
