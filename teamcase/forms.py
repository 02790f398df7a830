"""Fields, filters and validators that every area's forms use.

Each area keeps its forms in its own package (teamcase.<area>.forms); every
input goes through one of them (CSRF comes with FlaskForm).
"""

import datetime as dt
import re

from flask import request
from flask_babel import gettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _FlaskFormCSRF
from wtforms import (
    Field,
    HiddenField,
    SelectMultipleField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from teamcase.dates import local_today
from teamcase.i18n import N_
from teamcase.models.versioned import STALE, is_version

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


NOTE_MAX = 5000

# Characters no one types: NUL and the other C0 controls but tab and line breaks,
# and DEL. PostgreSQL refuses NUL in text; the rest only garble what is shown.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = N_("This contains characters that cannot be typed (such as NUL). Remove them.")


def has_control_characters(text) -> bool:
    return isinstance(text, str) and CONTROL_CHARACTERS.search(text) is not None


# Flask-WTF's own CSRF messages, in English in its code: marked here so that the
# catalogue gives them in the user's language (`_TranslatedCSRF`).
CSRF_MESSAGES = (
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
)


class _TranslatedCSRF(_FlaskFormCSRF):
    def validate_csrf_token(self, form, field):
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as error:
            raise ValidationError(gettext(error.args[0])) from error


class Form(FlaskForm):
    """Every form of the app: a field whose text holds control characters is
    refused with a message next to it, keeping what was typed, before anything
    reads it. Its CSRF message is in the user's language too."""

    class Meta:
        csrf_class = _TranslatedCSRF

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if any(has_control_characters(raw) for raw in field.raw_data or ()):
                field.errors = [*field.errors, gettext(CONTROL_MESSAGE)]
                valid = False
        return valid


def strip(value):
    """Trim text; a field missing from the request becomes empty text, not None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_data(self, value):
        # A record may keep its choices as one comma-separated text
        # (Team.coach_measures).
        if isinstance(value, str):
            value = [part for part in value.split(",") if part]
        super().process_data(value)


DUTCH_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def read_date(text: str) -> dt.date | None:
    """A date as people here write it: 7-3-1950, 07-03-1950 or 1950-03-07."""
    text = text.strip()
    if found := DUTCH_DATE.match(text):
        day, month, year = found.groups()
    elif found := ISO_DATE.match(text):
        year, month, day = found.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


class TypedDateField(Field):
    """A date typed as text, so a half-typed one reaches the server (a date
    picker sends nothing for it) and gets a message instead of being dropped.
    What was typed stays in the field."""

    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": _l("dd-mm-yyyy"), "autocomplete": "off"})
        kwargs.setdefault("description", _l("Day-month-year, e.g. 7-3-1950."))
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data.day}-{self.data.month}-{self.data.year}" if self.data else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        self.data = read_date(text)
        if self.data is None:
            raise ValueError(
                _(
                    "“%(text)s” is not a date we can read. Write day-month-year, e.g. 7-3-1950.",
                    text=text,
                )
            )


def email_shape(form, field):
    if field.data and not EMAIL_SHAPE.match(field.data):
        raise ValidationError(_("This does not look like an email address (name@example.nl)."))


def not_in_future(form, field):
    if field.data and field.data.date() > local_today() + dt.timedelta(days=1):
        raise ValidationError(_("This is in the future. Record contacts once they have happened."))


# Days a person may ask the app about or write down: anything else is a typing slip
# (and the year 1 or 9999 would overflow the day before or after it).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def plausible_year(form, field):
    if field.data and not FIRST_DAY <= _day(field.data) <= LAST_DAY:
        raise ValidationError(_("Check the year."))


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def read_version(raw) -> int:
    """The version a form says it was read at. Missing, garbled or beyond the
    database's integer, it reads as stale (a version no record is at): the save
    is refused as a conflict, never a crash, never an overwrite."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return STALE
    return value if is_version(value) else STALE


class VersionedForm:
    """For a form that edits a versioned record (teamcase.models.versioned): the
    version it was read at travels in a hidden field. The view fills it from the
    record on GET; after a conflict, teamcase.conflicts moves it to the newer one."""

    version = HiddenField()

    @classmethod
    def editing(cls, record, **kwargs):
        """The form that edits `record`: on GET what is saved, with the version it
        is at (the field takes it from the record by name); on POST what was sent."""
        if request.method == "GET":
            return cls(formdata=None, obj=record, **kwargs)
        return cls(**kwargs)

    def version_read(self) -> int:
        return read_version(self.version.data)


class PartForm(VersionedForm, Form):
    """A form for one part of a person's record; `values()` gives the model fields."""

    def values(self) -> dict:
        skip = {"csrf_token", "version", "based_on"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Keep it to %(num)d characters or fewer.", num=limit))


def labelled(labels: dict) -> list[SelectChoice]:
    """Choices from a {value: label} dict whose labels are lazy (translated when
    shown): WTForms reads a dict of plain text only."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class ButtonForm(Form):
    """A button that changes something (take a parked proposal up again, mark
    training done): nothing to type, only the CSRF token."""
