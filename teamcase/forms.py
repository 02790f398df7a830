"""Every input goes through one of these forms (CSRF comes with FlaskForm)."""

import datetime as dt
import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase.models import Contact
from teamcase.passwords import MIN_LENGTH

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
QUICK_MINUTES = (15, 30, 45, 60)
NOTE_MAX = 5000


def strip(value):
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


class LoginForm(FlaskForm):
    email = StringField(
        "Email", filters=[strip], validators=[DataRequired("Enter your email."), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=200)]
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new = PasswordField(
        "New password",
        description=f"At least {MIN_LENGTH} characters. A few words you remember work well.",
        validators=[
            DataRequired("Choose a new password."),
            Length(min=MIN_LENGTH, max=200, message=f"Use at least {MIN_LENGTH} characters."),
        ],
    )
    repeat = PasswordField(
        "New password again", validators=[DataRequired("Type the new password again.")]
    )

    def validate_repeat(self, field):
        if field.data != self.new.data:
            raise ValidationError("The two new passwords are not the same.")


class PersonForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter the person's name."), Length(max=120)],
    )
    preferred_name = StringField(
        "Preferred name",
        description="What they like to be called, if that is different.",
        filters=[strip],
        validators=[Length(max=80)],
    )
    date_of_birth = DateField("Date of birth", validators=[Optional()])
    street = StringField("Street and number", filters=[strip], validators=[Length(max=120)])
    postcode = StringField("Postcode", filters=[strip], validators=[Length(max=12)])
    city = StringField("Town", filters=[strip], validators=[Length(max=80)])
    phone = StringField("Phone", filters=[strip], validators=[Length(max=40)])
    email = StringField("Email", filters=[strip], validators=[Length(max=254), email_shape])
    known_best = CheckboxList(
        "Known best by",
        description="The colleagues a visitor should ask first.",
        coerce=int,
        validators=[Optional()],
    )
    version = HiddenField()

    def validate_date_of_birth(self, field):
        if field.data and field.data > dt.date.today():
            raise ValidationError("The date of birth cannot be in the future.")
        if field.data and field.data.year < 1900:
            raise ValidationError("Check the year: it is before 1900.")

    def validate_phone(self, field):
        if not (field.data or self.email.data or self.street.data):
            raise ValidationError(
                "Give at least one way to reach them: a phone number, an email or an address."
            )

    def details(self) -> dict:
        return {
            name: getattr(self, name).data or ("" if name != "date_of_birth" else None)
            for name in (
                "name",
                "preferred_name",
                "date_of_birth",
                "street",
                "postcode",
                "city",
                "phone",
                "email",
            )
        }


class ContactForm(FlaskForm):
    kind = RadioField(
        "What kind of contact",
        choices=dict(Contact.KINDS),
        validators=[InputRequired("Choose what kind of contact it was.")],
    )
    minutes = RadioField(
        "How long",
        choices={str(m): f"{m} min" for m in QUICK_MINUTES},
        validators=[Optional()],
    )
    minutes_typed = IntegerField(
        "Other duration in minutes",
        validators=[Optional(), NumberRange(1, 720, "Between 1 and 720 minutes.")],
    )
    happened_at = DateTimeLocalField(
        "When",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired("Enter when it happened."), not_in_future],
    )
    note = TextAreaField(
        "Note",
        description="A few words for your colleagues. Optional.",
        validators=[Length(max=NOTE_MAX, message=f"Keep the note under {NOTE_MAX} characters.")],
    )
    colleagues = CheckboxList("Colleagues who were there", coerce=int, validators=[Optional()])
    incoming = BooleanField("They contacted us")
    demand = RadioField(
        "What kind of demand",
        choices={
            "value": "Value demand: what they need from us",
            "failure": "Failure demand: caused by something we did not do, or not do right",
        },
        validators=[Optional()],
    )
    demand_why = StringField("Why, in a few words", filters=[strip], validators=[Length(max=200)])
    resolved = RadioField(
        "Resolved at this first contact?",
        choices={"yes": "Yes", "no": "No"},
        validators=[Optional()],
    )
    version = HiddenField()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Either field may carry the duration, so neither can require itself.
        if (
            not self.minutes.data
            and self.minutes_typed.data is None
            and not self.minutes_typed.errors
        ):
            self.minutes.errors = [
                *self.minutes.errors,
                "Choose how long it took, or type the minutes.",
            ]
            valid = False
        return valid

    def duration(self) -> int:
        return self.minutes_typed.data or int(self.minutes.data)

    def fields(self) -> dict:
        incoming = bool(self.incoming.data)
        return {
            "kind": self.kind.data,
            "minutes": self.duration(),
            "note": self.note.data.strip(),
            "incoming": incoming,
            "demand": (self.demand.data or "") if incoming else "",
            "demand_why": self.demand_why.data if incoming else "",
            "resolved_first_time": {"yes": True, "no": False}.get(self.resolved.data)
            if incoming
            else None,
        }
