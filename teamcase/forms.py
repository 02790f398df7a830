"""Fields, filters and validators that every area's forms use.

Each area keeps its forms in its own package (teamcase.<area>.forms); every
input goes through one of them (CSRF comes with FlaskForm).
"""

import datetime as dt
import re

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectMultipleField,
    ValidationError,
    widgets,
)
from wtforms.validators import Length

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


NOTE_MAX = 5000


def strip(value):
    """Trim text; a field missing from the request becomes empty text, not None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def email_shape(form, field):
    if field.data and not EMAIL_SHAPE.match(field.data):
        raise ValidationError("This does not look like an email address (name@example.nl).")


def not_in_future(form, field):
    if field.data and field.data.date() > dt.date.today() + dt.timedelta(days=1):
        raise ValidationError("This is in the future. Record contacts once they have happened.")


def plausible_year(form, field):
    if field.data and field.data.year < 1900:
        raise ValidationError("Check the year.")


class PartForm(FlaskForm):
    """A form for one part of a person's record; `values()` gives the model fields."""

    version = HiddenField()

    def values(self) -> dict:
        skip = {"csrf_token", "version", "based_on"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}

    def version_read(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


def at_most(limit: int) -> Length:
    return Length(max=limit, message=f"Keep it to {limit} characters or fewer.")


class ButtonForm(FlaskForm):
    """A button that changes something (take a parked proposal up again, mark
    training done): nothing to type, only the CSRF token."""
