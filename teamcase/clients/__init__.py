"""The people in the team's care: the caseload, a person's page and everything
recorded on it, and a case's end.

Serves:
    /caseload               the team's caseload, filtered as one types (caseload)
    /people/new             open a case with a name and one way to reach them (people)
    /people/closed          closed cases (closing)
    /people/<id>            the person's page, their details and history (people)
    /people/<id>/edit
    /people/<id>/history
    /people/<id>/contacts/...   record a contact (contacts)
    /contacts/...           correct or remove a contact (contacts)
    /people/<id>/about/...  about me in their own words, with versions (about)
    /people/<id>/strengths  add a strength, an offer or a consent (parts)
    /people/<id>/offers
    /people/<id>/consents
    /strengths/...          edit or remove one (parts)
    /offers/...
    /consents/...
    /people/<id>/goals      goals and steps (goals)
    /goals/...
    /steps/...
    /people/<id>/admissions hospital admissions and emergency visits (admissions)
    /admissions/...
    /people/<id>/self-reliance  who does what, per area of life (selfreliance)
    /self-reliance/...
    /people/<id>/omaha      the Omaha System's problems and their ratings (omaha)
    /omaha/...
    /people/<id>/close      closing, reopening, transferring, the letter (closing)
    /people/<id>/reopen
    /people/<id>/transfer/...
    /people/<id>/letter.pdf

The person's page itself is put together in `page`, one function per section.
"""


def blueprints():
    from teamcase.clients import (
        about,
        admissions,
        caseload,
        closing,
        contacts,
        goals,
        omaha,
        parts,
        people,
        selfreliance,
    )

    return [
        caseload.bp,
        people.bp,
        contacts.bp,
        about.bp,
        parts.strengths,
        parts.offers,
        parts.consents,
        goals.goals,
        goals.steps,
        admissions.admissions,
        selfreliance.bp,
        omaha.bp,
        closing.bp,
    ]
