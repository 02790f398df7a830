"""The person's page, section by section: who they are before what they need.

One function per section builds what its block in clients/show.html needs;
`person_context` puts them together with the contact timeline. A view that
changes a section answers an htmx request with that section's block alone,
and any other request with a redirect to the whole page.
"""

from flask import current_app
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from teamcase.ecomap import ecomap_context
from teamcase.forms import ConsentForm, ContactForm, NetworkForm, OfferForm, StrengthForm
from teamcase.models import (
    AboutMe,
    Consent,
    Contact,
    Goal,
    LocalResource,
    NetworkMember,
    Offer,
    Step,
    Strength,
)
from teamcase.web import is_htmx_partial, local_now, render, see_other

TIMELINE_PAGE = 50


def members_choices(team, leave_out=None) -> list[SelectChoice]:
    return [SelectChoice(m.id, m.name) for m in team.active_members() if m.id != leave_out]


def blank(form_class, client=None):
    """An empty form (not bound to the current request), ready for the page."""
    form = form_class(formdata=None)
    prepare(form, client)
    return form


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
    return {
        "strengths": list(Strength.for_client(client)),
        "strength_form": form or blank(StrengthForm),
    }


def network_context(client, form=None) -> dict:
    members = list(NetworkMember.current(client))
    return {
        **ecomap_context(client, members),
        "network": members,
        "growth": NetworkMember.growth(client),
        "network_form": form or blank(NetworkForm, client),
    }


def goals_context(client, form=None) -> dict:
    goals = list(Goal.for_client(client))
    return {"goals": goals, "steps": Step.for_goals(goals)}


def offers_context(client, form=None) -> dict:
    return {"offers": list(Offer.for_client(client)), "offer_form": form or blank(OfferForm)}


def consent_context(client, form=None) -> dict:
    return {
        "consents": list(Consent.for_client(client)),
        "consent_form": form or blank(ConsentForm),
    }


SECTIONS = {
    "about": about_context,
    "strengths": strengths_context,
    "network": network_context,
    "goals": goals_context,
    "offers": offers_context,
    "consent": consent_context,
}


def section_context(section: str, client, form=None) -> dict:
    return {"client": client, **SECTIONS[section](client, form)}


def new_contact_form(team, user, formdata=None) -> ContactForm:
    form = ContactForm(formdata=formdata)
    form.colleagues.choices = members_choices(team, leave_out=user.id)
    if formdata is None:
        form.happened_at.data = local_now()
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
    context = {
        "client": client,
        "known_best": list(client.known_best_by()),
        "contacts": contacts,
        "colleagues": Contact.colleagues_for(contacts),
        "editable": {c.id for c in contacts if c.editable_by(user, window)},
        "older": older,
        "next_older": older + TIMELINE_PAGE if has_older else None,
        "contact_form": contact_form or new_contact_form(client.team, user),
    }
    for name, build in SECTIONS.items():
        context.update(build(client, form if name == section else None))
    return context


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
