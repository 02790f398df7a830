"""Every input goes through one of these forms (CSRF comes with FlaskForm)."""

import datetime as dt
import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase.models import AboutMe, Contact, Goal, LocalResource, NetworkMember, Strength
from teamcase.passwords import MIN_LENGTH

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
QUICK_MINUTES = (15, 30, 45, 60)
NOTE_MAX = 5000
RESOURCE_NOTES_MAX = 2000


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
        filters=[strip],
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
    # Choices (the person's active goals) are filled where the form is built.
    goal = SelectField(
        "For which goal",
        coerce=int,
        default=0,
        invalid_choice_message="Choose one of their goals, or none.",
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
            "note": self.note.data,
            "incoming": incoming,
            "demand": (self.demand.data or "") if incoming else "",
            "demand_why": self.demand_why.data if incoming else "",
            "resolved_first_time": {"yes": True, "no": False}.get(self.resolved.data)
            if incoming
            else None,
            "goal": self.goal.data or None,
        }


def _date_not_past_far(form, field):
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


class AboutForm(FlaskForm):
    text = TextAreaField(
        "In their words",
        filters=[strip],
        validators=[
            DataRequired("Write down what they said."),
            Length(max=3000, message="Keep it under 3000 characters."),
        ],
    )
    said_by = RadioField(
        "Who said it", choices=dict(AboutMe.SAID_BY), default="person", validators=[InputRequired()]
    )
    said_by_name = StringField(
        "Their name",
        description="For family: who, e.g. “her daughter Ellen”. Optional.",
        filters=[strip],
        validators=[Length(max=80)],
    )
    based_on = HiddenField()


class StrengthForm(PartForm):
    # The words first, then what kind: forms render their fields in this order.
    text = StringField(
        "Strength",
        description="In plain words, e.g. “still cooks her own dinner”.",
        filters=[strip],
        validators=[DataRequired("Describe the strength."), Length(max=300)],
    )
    category = RadioField(
        "Kind of strength",
        choices=dict(Strength.CATEGORIES),
        validators=[InputRequired("Choose what kind of strength it is.")],
    )


class OfferForm(PartForm):
    text = StringField(
        "What they can give",
        description="E.g. “teach knitting”, “company on the phone”, “a lift to church”.",
        filters=[strip],
        validators=[DataRequired("Describe what they offer."), Length(max=300)],
    )
    when = StringField(
        "When they can",
        description="E.g. “Tuesday afternoons”. Optional.",
        filters=[strip],
        validators=[Length(max=120)],
    )


class NetworkForm(PartForm):
    name = StringField(
        "Name",
        description="A person, or an organisation such as the GP practice.",
        filters=[strip],
        validators=[DataRequired("Enter a name."), Length(max=120)],
    )
    relation = SelectField(
        "Relation", choices=dict(NetworkMember.RELATIONS), validators=[InputRequired()]
    )
    tie = RadioField(
        "How strong is the tie",
        choices=dict(NetworkMember.TIES),
        default="moderate",
        validators=[InputRequired("Choose how strong the tie is.")],
    )
    does_now = StringField("What they do now", filters=[strip], validators=[Length(max=300)])
    could_do = StringField("What they could do", filters=[strip], validators=[Length(max=300)])
    frequency = StringField(
        "How often in touch",
        description="E.g. “twice a week”.",
        filters=[strip],
        validators=[Length(max=80)],
    )
    reach = StringField(
        "How to reach them",
        description="Phone or email. Optional.",
        filters=[strip],
        validators=[Length(max=200)],
    )
    resource = SelectField(
        "Local resource", coerce=int, description="Link to the team's directory. Optional."
    )
    on_profile = BooleanField("They agreed this may appear on their printed profile")

    def values(self) -> dict:
        data = super().values()
        data["resource"] = data["resource"] or None
        return data


class ConsentForm(PartForm):
    what = StringField(
        "What they agreed to share",
        filters=[strip],
        validators=[DataRequired("Say what may be shared."), Length(max=300)],
    )
    with_whom = StringField(
        "With whom",
        filters=[strip],
        validators=[DataRequired("Say with whom."), Length(max=300)],
    )
    given_on = DateField(
        "Agreed on", validators=[InputRequired("Enter the date."), _date_not_past_far]
    )


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=f"Keep it to {limit} characters or fewer.")


class ResourceForm(PartForm):
    """One entry of the team's directory; the CSV import checks every row with it too.

    `taken_names` (casefolded) is filled by the view: names already in the
    directory, so that "Apotheek Oost" and "apotheek oost" are one place.
    """

    name = StringField(
        "Name",
        description="E.g. “Huisartsenpraktijk Oost” or “Buurtkamer De Linde”.",
        filters=[strip],
        validators=[DataRequired("Enter a name."), _at_most(120)],
    )
    kind = SelectField(
        "Kind",
        choices=dict(LocalResource.KINDS),
        default="other",
        # AnyOf instead of the built-in choice check, for a message that says what to do.
        validate_choice=False,
        validators=[AnyOf(list(LocalResource.KINDS), message="Choose one of the kinds.")],
    )
    address = StringField("Address", filters=[strip], validators=[_at_most(200)])
    phone = StringField("Phone", filters=[strip], validators=[_at_most(40)])
    opening_hours = StringField(
        "Opening hours",
        description="E.g. “Mon–Fri 8:00–17:00, walk-in until 10:00”.",
        filters=[strip],
        validators=[_at_most(200)],
    )
    notes = TextAreaField(
        "Notes",
        description="What colleagues should know: who to ask for, how to refer. Optional.",
        filters=[strip],
        validators=[_at_most(RESOURCE_NOTES_MAX)],
    )

    taken_names: frozenset = frozenset()

    def validate_name(self, field):
        if field.data and field.data.casefold() in self.taken_names:
            raise ValidationError(
                f"“{field.data}” is already in the directory. "
                "Choose another name, or change the entry that is there."
            )


class ResourceImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        description="Saved as “CSV UTF-8”, with the column names in the first row.",
        validators=[
            FileRequired("Choose a CSV file to import."),
            FileAllowed(["csv", "txt"], "Choose a file that ends in .csv."),
        ],
    )


class GoalForm(PartForm):
    """A new goal: what the person wants, in their own words, and why."""

    words = StringField(
        "What they want, in their own words",
        description="E.g. “I want to walk to the market on Saturdays again”.",
        filters=[strip],
        validators=[DataRequired("Write down what they want, as they said it."), Length(max=300)],
    )
    why = TextAreaField(
        "Why it matters to them",
        description="E.g. “to see people and buy my own fish”. Optional.",
        filters=[strip],
        validators=[Length(max=3000, message="Keep it under 3000 characters.")],
    )
    review_on = DateField(
        "Look at it together again on",
        description="A date to review how it is going, e.g. in six weeks. Optional.",
        validators=[Optional(), _date_not_past_far],
    )
    help_wanted = StringField(
        "Help from a neighbour that would be welcome",
        description="E.g. “someone to walk with on Saturday mornings”. Optional; "
        "the team sees it next to what neighbours offer.",
        filters=[strip],
        validators=[Length(max=300)],
    )


class GoalEditForm(GoalForm):
    status = RadioField(
        "How it stands",
        choices=dict(Goal.STATUSES),
        validators=[InputRequired("Choose how the goal stands.")],
    )
    story = TextAreaField(
        "What happened",
        description="When the goal is achieved or let go: the short story of how it went.",
        filters=[strip],
        validators=[Length(max=3000, message="Keep it under 3000 characters.")],
    )

    def validate_story(self, field):
        if self.status.data in ("achieved", "let_go") and not field.data:
            raise ValidationError(
                "Tell in a few words what happened: how it was achieved, or why it was let go."
            )


class StepForm(PartForm):
    """A step towards a goal. `helper.choices` are filled by the view: the person,
    their current network and the team, so nobody else can be chosen."""

    text = StringField(
        "Step",
        description="Small and concrete, e.g. “walk to the corner twice a week”.",
        filters=[strip],
        validators=[DataRequired("Describe the step."), Length(max=300)],
    )
    helper = SelectField(
        "Who helps",
        default="person",
        invalid_choice_message="Choose who helps from the list: the person, "
        "someone in their network, or someone in the team.",
    )
    due_on = DateField(
        "By when", description="Optional.", validators=[Optional(), _date_not_past_far]
    )

    def values(self) -> dict:
        kind, _, ident = self.helper.data.partition("-")
        return {
            "text": self.text.data,
            "due_on": self.due_on.data,
            "helper_kind": kind,
            "network_member": int(ident) if kind == "network" else None,
            "member": int(ident) if kind == "member" else None,
        }


class StepDoneForm(FlaskForm):
    """Says which state the step should be in, so two taps at once agree."""

    done = BooleanField("Done")
