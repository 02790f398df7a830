"""Text that teamcase itself writes into the records, worded when it is read.

Some sentences are not typed by a person but made by the app from what it knows:
why a person or a referral is on the agenda ("Review date 3 Dec 2026."), a task
that was due, how an amendment answered an objection, why a proposal went from
between meetings to the meeting, the first visit's note after a referral. A team
reads them in more than one language, so they are kept as a message code with its
values (`Generated`), never as a sentence in the language of whoever happened to
trigger them, and worded in the reader's language each time they are shown.

A field that may hold such text is a `GeneratedCharField` or `GeneratedTextField`:
it stores a `Generated` as a marked JSON document in the same column, and gives it
back as a `Generated`, which renders itself (str(), Jinja, `_("...%(x)s", x=...)`)
in the language of the request. Text a person typed, and rows from before this
existed, stay plain strings. Dates travel as ISO days and are formatted when shown;
lists of names are joined as the reader's language joins them.

Every code has its wording below, each a whole sentence with named placeholders.
"""

import datetime as dt
import json

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import escape
from peewee import CharField, TextField

# No one can type it (the forms refuse control characters), so text that starts
# with it was written by `Generated.encode`.
MARK = "\x1f"

WORDINGS = {}


def wording(code: str):
    def register(function):
        WORDINGS[code] = function
        return function

    return register


def _day(value, year=True) -> str:
    from teamcase.dates import short_day_text

    return short_day_text(dt.date.fromisoformat(value), year=year)


@wording("agenda.referral")
def _referral_title(a):
    return _("Referral: %(name)s", name=a["name"])


@wording("agenda.review_date")
def _review_date(a):
    return _("Review date %(day)s.", day=_day(a["day"]))


@wording("agenda.flagged")
def _flagged(a):
    return _("%(name)s flagged: %(reason)s", name=a["name"], reason=a["reason"])


@wording("agenda.decision_review")
def _decision_review(a):
    return _(
        "Adopted %(day)s; to review from %(review_day)s.",
        day=_day(a["day"]),
        review_day=_day(a["review_day"]),
    )


@wording("agenda.not_adopted_between")
def _not_adopted_between(a):
    return _("Not adopted between meetings. %(purpose)s", purpose=a["purpose"])


@wording("agenda.not_adopted_between_no_purpose")
def _not_adopted_between_bare(a):
    return _("Not adopted between meetings.")


@wording("agenda.task_due_claimed")
def _task_due_claimed(a):
    return _("Was due %(day)s. %(name)s has it.", day=_day(a["day"], year=False), name=a["name"])


@wording("agenda.task_due_open")
def _task_due_open(a):
    return _("Was due %(day)s. Nobody has taken it on.", day=_day(a["day"], year=False))


@wording("decision.objected_between")
def _objected_between(a):
    from teamcase.i18n import and_list

    return _("Between meetings %(names)s objected.", names=and_list(a["names"]))


@wording("decision.too_few_answers")
def _too_few_answers(a):
    return ngettext(
        "Between meetings %(answered)d answered; %(num)d was needed.",
        "Between meetings %(answered)d answered; %(num)d were needed.",
        a["needed"],
        answered=a["answered"],
    )


@wording("decision.amendment_meeting")
def _amendment_meeting(a):
    return _("The amendment answers it: “%(proposal)s” The meeting agreed.", proposal=a["proposal"])


@wording("decision.amendment_member")
def _amendment_member(a):
    return _(
        "The amendment answers it: “%(proposal)s” %(name)s agreed.",
        proposal=a["proposal"],
        name=a["name"],
    )


@wording("visit.first")
def _first_visit(a):
    return _("First visit")


@wording("visit.first_story")
def _first_visit_story(a):
    return _("First visit: %(story)s", story=a["story"])


@wording("visit.first_referred")
def _first_referred(a):
    return _("First visit, referred by %(referrer)s", referrer=a["referrer"])


@wording("visit.first_referred_story")
def _first_referred_story(a):
    return _(
        "First visit, referred by %(referrer)s: %(story)s", referrer=a["referrer"], story=a["story"]
    )


@wording("visit.first_transferred")
def _first_transferred(a):
    return _("First visit, transferred by %(referrer)s", referrer=a["referrer"])


@wording("visit.first_transferred_story")
def _first_transferred_story(a):
    return _(
        "First visit, transferred by %(referrer)s: %(story)s",
        referrer=a["referrer"],
        story=a["story"],
    )


class Generated:
    """One or more sentences the app wrote: [code, values] parts, worded (and
    joined with a space) in the language of whoever reads them."""

    __slots__ = ("parts", "limit")

    def __init__(self, parts=(), limit: int | None = None):
        self.parts = [[code, dict(values)] for code, values in parts]
        for code, _values in self.parts:
            if code not in WORDINGS:
                raise KeyError(f"no wording for {code!r}")
        self.limit = limit

    @classmethod
    def of(cls, code: str, **values) -> "Generated":
        return cls([[code, values]])

    def __add__(self, other: "Generated") -> "Generated":
        return Generated(self.parts + other.parts, self.limit)

    def clipped(self, limit: int) -> "Generated":
        """The same sentences, cut to `limit` characters when shown."""
        return Generated(self.parts, limit)

    def text(self) -> str:
        text = " ".join(" ".join(WORDINGS[code](values).split()) for code, values in self.parts)
        if self.limit and len(text) > self.limit:
            text = text[: self.limit - 1].rstrip() + "…"
        return text

    __str__ = text

    def __html__(self) -> str:
        return str(escape(self.text()))

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __len__(self) -> int:
        return len(self.text())

    def __eq__(self, other) -> bool:
        if isinstance(other, Generated):
            return self.parts == other.parts
        if isinstance(other, str):
            return self.text() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.encode())

    def __repr__(self) -> str:
        return f"Generated({self.parts!r})"

    def __getattr__(self, name):
        # The rest of str's methods (startswith, lower, …) on the worded text.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.text(), name)

    def encode(self) -> str:
        document = {"parts": self.parts}
        if self.limit:
            document["limit"] = self.limit
        return MARK + json.dumps(document, ensure_ascii=False, sort_keys=True)

    @classmethod
    def decode(cls, stored: str):
        """The Generated that `stored` holds, or None when it is plain text."""
        if not isinstance(stored, str) or not stored.startswith(MARK):
            return None
        try:
            document = json.loads(stored[len(MARK) :])
            return cls(document["parts"], document.get("limit"))
        except (ValueError, KeyError, TypeError):
            return None


class _Stored:
    def db_value(self, value):
        if isinstance(value, Generated):
            return value.encode() if value else ""
        return super().db_value(value)

    def python_value(self, value):
        value = super().python_value(value)
        return Generated.decode(value) or value


class GeneratedCharField(_Stored, CharField):
    """A CharField that also holds the app's own sentences (see the module)."""


class GeneratedTextField(_Stored, TextField):
    """A TextField that also holds the app's own sentences (see the module)."""
