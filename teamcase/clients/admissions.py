"""Hospital admissions and emergency visits on the person's page, in its
"Hospital and emergency visits" section (`outcomes`), with the person's own
measures ("How it is going") beside them.

GET/POST /people/<id>/admissions      write one down (GET: the form, loaded on demand)
GET/POST /admissions/<id>/edit        correct it, refused when someone saved in between
GET/POST /admissions/<id>/delete      remove it (GET asks once), audited with what it said
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from teamcase.clients.forms import AdmissionForm
from teamcase.clients.parts import PartWords, part_blueprint
from teamcase.dates import short_day_text
from teamcase.models import Admission

SECTION = "outcomes"

WORDS = PartWords(
    _l("Edit hospital admission or emergency visit"),
    _l("changes to this admission or emergency visit"),
    _l("Remove this admission or emergency visit?"),
    _l("Remove admission or visit"),
)


def describe(admission) -> str:
    """What the question before removing it names: "Hospital admission, 3 Mar 2026:
    fell in the bathroom"."""
    if admission.why:
        return _(
            "%(kind)s, %(day)s: %(why)s",
            kind=admission.kind_label,
            day=short_day_text(admission.happened_on),
            why=admission.why,
        )
    return _(
        "%(kind)s, %(day)s", kind=admission.kind_label, day=short_day_text(admission.happened_on)
    )


admissions = part_blueprint(
    "admissions", Admission, AdmissionForm, section=SECTION, words=WORDS, describe=describe
)
