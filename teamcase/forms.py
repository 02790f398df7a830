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
    TimeField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase.models import (
    AboutMe,
    AgendaItem,
    Client,
    Contact,
    DecisionStep,
    Experiment,
    Goal,
    LocalResource,
    NetworkMember,
    Referral,
    Strength,
    VisitSeries,
)
from teamcase.passwords import MIN_LENGTH
from teamcase.web import local_now

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


# Referrals: recording one, and the team's decision on it.


def _born(form, field):
    if field.data and field.data > dt.date.today():
        raise ValidationError("The date of birth cannot be in the future.")
    if field.data and field.data.year < 1900:
        raise ValidationError("Check the year: it is before 1900.")


class ReferralForm(FlaskForm):
    """What the member who takes the call writes down: in under a minute."""

    referrer_name = StringField(
        "Who referred",
        description="E.g. “Dr. Pietersen”, or “neighbour, Mrs. Kok”.",
        filters=[strip],
        validators=[_at_most(120)],
    )
    referrer_org = StringField(
        "From where",
        description="E.g. “Huisartsenpraktijk Dapperbuurt”, “OLVG hospital”. Optional.",
        filters=[strip],
        validators=[_at_most(120)],
    )
    referrer_phone = StringField("Their phone number", filters=[strip], validators=[_at_most(40)])
    person_name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter the name of the person referred."), _at_most(120)],
    )
    date_of_birth = DateField("Date of birth", validators=[Optional(), _born])
    street = StringField("Street and number", filters=[strip], validators=[_at_most(120)])
    postcode = StringField("Postcode", filters=[strip], validators=[_at_most(12)])
    city = StringField("Town", filters=[strip], validators=[_at_most(80)])
    phone = StringField("Phone", filters=[strip], validators=[_at_most(40)])
    story = TextAreaField(
        "What is going on, in the referrer's words",
        filters=[strip],
        validators=[Length(max=3000, message="Keep it under 3000 characters.")],
    )
    urgency = RadioField(
        "How urgent",
        choices=dict(Referral.URGENCIES),
        default="soon",
        validators=[InputRequired("Choose how urgent it is.")],
    )

    def details(self) -> dict:
        skip = {"csrf_token"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


def _first_visit_day(form, field):
    today = local_now().date()
    if field.data and field.data < today:
        raise ValidationError("This day has passed. Choose today or a day after it.")
    if field.data and field.data > today + dt.timedelta(days=92):
        raise ValidationError("Choose a day within the next three months.")


class AcceptForm(FlaskForm):
    """Taking the person on for the team, with the first visit in the plan."""

    day = DateField(
        "Day of the first visit",
        validators=[InputRequired("Choose the day of the first visit."), _first_visit_day],
    )
    starts_at = TimeField("From", validators=[Optional()])
    ends_at = TimeField("Until", validators=[Optional()])
    minutes = IntegerField(
        "Expected minutes",
        default=45,
        validators=[
            InputRequired("Enter how many minutes the visit may take."),
            NumberRange(5, 480, "Between 5 and 480 minutes."),
        ],
    )
    who = RadioField(
        "Who visits",
        choices={"me": "I will", "open": "Leave it for a colleague to take"},
        default="me",
        validators=[InputRequired("Choose who visits.")],
    )
    known_best = BooleanField("I will be the one who knows them best", default=True)

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError("The end of the time window must be after its start.")

    def first_visit(self, me) -> dict:
        return {
            "day": self.day.data,
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "minutes": self.minutes.data,
            "member": me if self.who.data == "me" else None,
        }


class MeetingForm(FlaskForm):
    reason = StringField(
        "What the team should talk about",
        description="E.g. “we are full until February: can we take him on?”",
        filters=[strip],
        validators=[DataRequired("Say in a few words why it goes to the meeting."), _at_most(300)],
    )


class DeclineForm(FlaskForm):
    reason = StringField(
        "Why we cannot take this on",
        filters=[strip],
        validators=[DataRequired("Give the reason, for the referrer and the team."), _at_most(300)],
    )
    referred_on_to = StringField(
        "Where we pointed the referrer instead",
        description="E.g. “Buurtzorg Zuid” or “the neighbourhood social team”. Optional.",
        filters=[strip],
        validators=[_at_most(200)],
    )


# The week plan (teamcase/plan.py): planned and recurring visits, handing over a day.

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def _today():
    # The team's day, not the server's: a visit typed at 00:30 is for the local date.
    from teamcase.web import local_now

    return local_now().date()


class VisitTimesForm(FlaskForm):
    """The day, time window, minutes and note that a new and an edited visit share.

    `keep_day` is the day the visit already has: it may stay in the past."""

    keep_day = None

    day = DateField(
        "Day",
        description="Today or later.",
        validators=[InputRequired("Choose the day of the visit.")],
    )
    # Without times the visit fits in any time of the day, after the timed ones.
    starts_at = TimeField(
        "Start time", description="Optional.", format=TIME_FORMATS, validators=[Optional()]
    )
    ends_at = TimeField(
        "End time", description="Optional.", format=TIME_FORMATS, validators=[Optional()]
    )
    minutes = IntegerField(
        "Expected minutes",
        default=30,
        validators=[
            InputRequired("Say how many minutes you expect it to take."),
            NumberRange(5, 480, "Between 5 and 480 minutes."),
        ],
    )
    note = StringField(
        "Note for whoever goes",
        description="What to do or bring, e.g. “insulin, check her feet”. Optional.",
        filters=[strip],
        validators=[_at_most(300)],
    )

    def validate_day(self, field):
        if field.data and field.data < _today() and field.data != self.keep_day:
            raise ValidationError(
                "This day is in the past. Plan visits from today on; "
                "to write down a visit that happened, record a contact."
            )
        if field.data and field.data > _today() + dt.timedelta(days=VisitSeries.MAX_DAYS):
            raise ValidationError("Plan visits at most a year ahead.")

    def validate_ends_at(self, field):
        if field.data is None:
            return
        if self.starts_at.data is None:
            raise ValidationError("Give a start time too, or leave both times empty.")
        if field.data <= self.starts_at.data:
            raise ValidationError(
                f"This is not after the start time ({self.starts_at.data:%H:%M}). "
                "Choose a later end time."
            )

    def times(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("day", "starts_at", "ends_at", "minutes", "note")
        }


class VisitForm(VisitTimesForm):
    """A new visit, once or repeating. `person.choices` are filled by the view with
    the team's active people, so nobody else can be chosen."""

    REPEATS = {"once": "Only once", **VisitSeries.RULES}

    person = SelectField(
        "Person",
        coerce=int,
        validators=[InputRequired("Choose who the visit is for.")],
        invalid_choice_message="Choose someone from the team's caseload.",
    )
    kind = RadioField(
        "Kind of visit",
        choices=dict(Contact.KINDS),
        default="home_visit",
        validators=[InputRequired("Choose what kind of visit it is.")],
    )
    who = RadioField(
        "Who goes",
        description="A colleague takes a visit herself: put it up for a colleague "
        "to take, and she will see it in her day.",
        choices={"me": "Me", "open": "Up for a colleague to take"},
        default="me",
        validators=[InputRequired("Choose who goes.")],
    )
    repeats = RadioField(
        "Repeats",
        choices=REPEATS,
        default="once",
        validators=[InputRequired("Choose whether the visit repeats.")],
    )
    weekdays = CheckboxList(
        "On these weekdays",
        choices=dict(enumerate(VisitSeries.WEEKDAY_NAMES)),
        coerce=int,
        validators=[Optional()],
    )
    every_days = IntegerField(
        "Every how many days",
        description="2 is every other day.",
        validators=[
            Optional(),
            NumberRange(min=1, message="Type a whole number of days: 1 or more."),
        ],
    )
    until = DateField(
        "Last day of the series",
        description="At most a year after the first visit.",
        validators=[Optional()],
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.repeating or self.day.errors or self.day.data is None:
            return valid
        if self.every_days.errors or self.until.errors:
            return False
        problems = VisitSeries.problems(
            self.repeats.data,
            self.day.data,
            self.until.data,
            self.weekdays.data or (),
            self.every_days.data,
        )
        fields = {"ends_on": self.until, "weekdays": self.weekdays, "every_days": self.every_days}
        for key, message in problems.items():
            field = fields.get(key, self.repeats)
            field.errors = [*field.errors, message]
            valid = False
        return valid

    def validate_person(self, field):
        if not field.data:
            raise ValidationError("Choose who the visit is for.")

    @property
    def repeating(self) -> bool:
        return self.repeats.data in VisitSeries.RULES

    def visit(self) -> dict:
        """What every occurrence gets (the day comes from the rule)."""
        fields = self.times()
        del fields["day"]
        return {**fields, "kind": self.kind.data}

    def rule(self) -> dict:
        return {
            "rule": self.repeats.data,
            "starts_on": self.day.data,
            "ends_on": self.until.data,
            "weekdays": self.weekdays.data or (),
            "every_days": self.every_days.data or 1,
        }


class VisitEditForm(VisitTimesForm):
    """Move one visit to another day or time, or change its minutes or note."""

    version = HiddenField()

    def version_read(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class HandOverDayForm(FlaskForm):
    day = DateField(
        "The day you cannot do your visits",
        validators=[InputRequired("Choose the day.")],
    )

    def validate_day(self, field):
        if field.data and field.data < _today():
            raise ValidationError("This day is over. Choose today or a day ahead.")


# The team's own members, roles and details (teamcase/team.py).


class TeamDetailsForm(FlaskForm):
    name = StringField(
        "Team name",
        filters=[strip],
        validators=[DataRequired("Enter the team's name."), _at_most(120)],
    )
    area = StringField(
        "Neighbourhood",
        description="Where the team works, e.g. “Oost-Noord”.",
        filters=[strip],
        validators=[_at_most(120)],
    )
    street = StringField("Street and number", filters=[strip], validators=[_at_most(120)])
    postcode = StringField("Postcode", filters=[strip], validators=[_at_most(12)])
    city = StringField("Town", filters=[strip], validators=[_at_most(80)])
    phone = StringField("Phone", filters=[strip], validators=[_at_most(40)])
    email = StringField("Email", filters=[strip], validators=[_at_most(254), email_shape])
    capacity = IntegerField(
        "How many people we can care for well",
        description="The team's own number, shown next to new referrals. Between 1 and 500.",
        validators=[
            InputRequired("Enter how many people the team can care for well."),
            NumberRange(1, 500, "Enter a number between 1 and 500."),
        ],
    )
    version = HiddenField()

    def details(self) -> dict:
        names = ("name", "area", "street", "postcode", "city", "phone", "email", "capacity")
        return {name: self[name].data for name in names}

    def version_read(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class NewColleagueForm(FlaskForm):
    INVITE = "invitation"
    FIRST_PASSWORD = "password"

    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter your new colleague's name."), _at_most(120)],
    )
    email = StringField(
        "Email",
        description="They log in with it.",
        filters=[strip],
        validators=[DataRequired("Enter their email address."), _at_most(254), email_shape],
    )
    how = RadioField(
        "How they get in",
        choices={
            INVITE: "Send an invitation link: they choose their own password",
            FIRST_PASSWORD: "Give a first password: they choose their own when they first log in",
        },
        default=INVITE,
        validators=[InputRequired("Choose how they get in.")],
    )
    first_password = PasswordField(
        "First password",
        description=f"Only for a first password: at least {MIN_LENGTH} characters. "
        "Tell it in person, not by email.",
    )

    def validate_first_password(self, field):
        if self.how.data != self.FIRST_PASSWORD:
            return
        if not field.data:
            raise ValidationError("Choose a first password, or send an invitation link instead.")
        if len(field.data) < MIN_LENGTH:
            raise ValidationError(f"Use at least {MIN_LENGTH} characters.")
        if len(field.data) > 200:
            raise ValidationError("Use at most 200 characters.")


class DeactivateForm(FlaskForm):
    note = TextAreaField(
        "A note for the team log",
        description="Optional, e.g. “moved to Utrecht” or “on a year's leave”.",
        filters=[strip],
        validators=[_at_most(300)],
    )


class RoleForm(FlaskForm):
    name = StringField(
        "Role",
        description="E.g. planner, treasurer, mentor, contact for the GP practices.",
        filters=[strip],
        validators=[DataRequired("Give the role a name."), _at_most(80)],
    )
    purpose = StringField(
        "What it is for",
        description="In a sentence, so a new colleague understands it. Optional.",
        filters=[strip],
        validators=[_at_most(300)],
    )

    # Filled by the view: the team's role names, casefolded, each with whether it is
    # retired, so that "Planner" and "planner" are one role.
    taken_names: dict = {}

    def validate_name(self, field):
        retired = self.taken_names.get(field.data.casefold())
        if retired is None:
            return
        if retired:
            raise ValidationError(
                f"The team had a role called “{field.data}”; it is retired. "
                "Bring it back from the list of roles, or choose another name."
            )
        raise ValidationError(f"The team already has a role called “{field.data}”.")


def _holding_seen(value):
    """The open holding a member saw: an id, or None when nobody held the role."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RoleTurnForm(FlaskForm):
    """Ending a turn, retiring or bringing back a role: says which holder was seen,
    so a change a colleague made meanwhile is not undone unseen."""

    holding = HiddenField(filters=[_holding_seen])


class HandRoleForm(RoleTurnForm):
    # Choices (the team's active members but the holder) are filled by the view.
    member = RadioField(
        "Hand it to",
        coerce=int,
        validators=[InputRequired("Choose who takes the role on.")],
        # Also what an empty choice gets: the choice is checked before anything else.
        invalid_choice_message="Choose who takes the role on: one of the team's active members.",
    )


class JoinForm(PasswordChangeForm):
    """The invitee chooses her password; the link stands in for the current one."""

    current = None


# The team board (board.py)

TASK_NOTE_MAX = 2000


def _chosen_id(value):
    """An id from a list; anything else is no choice, which the field answers with
    its own message (choose from the list) instead of "could not coerce"."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _due_not_long_ago(form, field):
    # A typo such as 2205 or 1025 for 2025: a task due years ago is no task.
    if field.data and field.data < local_now().date() - dt.timedelta(days=365):
        raise ValidationError("Check the date: it is more than a year ago.")
    if field.data and field.data.year > 2200:
        raise ValidationError("Check the year.")


class TaskForm(PartForm):
    """A task on the team board. `client.choices` (the team's active people, and the
    task's own person when editing) are filled by the view."""

    title = StringField(
        "What needs doing",
        description="E.g. “order compression stockings” or “renew the car park permits”.",
        filters=[strip],
        validators=[DataRequired("Say in a few words what needs doing."), _at_most(200)],
    )
    client = SelectField(
        "For",
        coerce=_chosen_id,
        default=0,
        invalid_choice_message="Choose one of the team's people, or the team as a whole.",
    )
    due_on = DateField(
        "Due by", description="Optional.", validators=[Optional(), _due_not_long_ago]
    )
    note = TextAreaField(
        "Note",
        description="What a colleague needs to know to do it. Optional.",
        filters=[strip],
        validators=[_at_most(TASK_NOTE_MAX)],
    )

    def values(self) -> dict:
        data = super().values()
        data["client"] = data["client"] or None
        return data


class AskForm(FlaskForm):
    # Choices (the team's other active members) are filled by the view.
    colleague = RadioField(
        "Which colleague do you ask?",
        coerce=_chosen_id,
        validators=[InputRequired("Choose the colleague you are asking.")],
        invalid_choice_message="Choose one of your colleagues in the list.",
    )


# Closing, reopening and transferring a case (teamcase/closing.py).

CLOSING_STORY_MAX = 1200
TRANSFER_NOTE_MAX = 1500


class CloseForm(FlaskForm):
    reason = RadioField(
        "Why does the case close?",
        choices=dict(Client.CLOSE_REASONS),
        validators=[InputRequired("Choose why the case closes.")],
        invalid_choice_message="Choose one of the reasons in the list.",
    )
    story = TextAreaField(
        "The closing story",
        description=(
            "A few sentences in plain words: what was done together, and how they are now. "
            "It goes into the letter for the GP."
        ),
        filters=[strip],
        validators=[
            DataRequired("Write a few sentences: what was done, and how they are now."),
            Length(
                max=CLOSING_STORY_MAX,
                message=f"Keep it under {CLOSING_STORY_MAX} characters: it has to fit in a letter.",
            ),
        ],
    )
    version = HiddenField()


class ReopenForm(FlaskForm):
    note = TextAreaField(
        "Why does the case open again?",
        description="Optional. For example: “Her daughter called: she fell and needs help again.”",
        filters=[strip],
        validators=[Length(max=1000, message="Keep it under 1000 characters.")],
    )
    version = HiddenField()


class TransferForm(FlaskForm):
    # Choices (a blank 0, then every other team by name and area) are filled by the
    # view: nobody sends a person to the first team in the list by accident.
    team = SelectField(
        "Which team takes over?",
        coerce=int,
        validators=[
            InputRequired("Choose the team that takes over."),
            NumberRange(min=1, message="Choose the team that takes over."),
        ],
        invalid_choice_message="Choose one of the teams in the list.",
    )
    note = TextAreaField(
        "A note for them",
        description=(
            "What they need to know to start: why the move, what care goes on now, "
            "who is around. It goes into their referrals inbox and the transfer letter."
        ),
        filters=[strip],
        validators=[
            DataRequired("Write a note for the team that takes over."),
            Length(
                max=TRANSFER_NOTE_MAX,
                message=f"Keep it under {TRANSFER_NOTE_MAX} characters: it has to fit in a letter.",
            ),
        ],
    )


# Decisions by consent, the training plan and experiments (decisions.py, learning.py).

DECISION_TEXT_MAX = 2000
LEARNING_TEXT_MAX = 3000


def _not_before_today(form, field):
    if field.data and field.data < local_now().date():
        raise ValidationError("This date has passed. Choose today or a later date.")


class _SaidBy:
    """A form with a `member` choice: in a meeting one note-taker writes down what
    each colleague said, so who said it is chosen, not taken from the login."""

    def offer_members(self, members, default_id: int):
        self.member.choices = [SelectChoice(m.id, m.name) for m in members]
        if self.member.data is None:
            self.member.data = default_id
        return self


def _member_field(label, description=None):
    return SelectField(
        label,
        description=description,
        coerce=int,
        validators=[InputRequired("Choose a member of the team.")],
        invalid_choice_message="Choose a member of the team.",
    )


class ProposalForm(FlaskForm):
    proposal = TextAreaField(
        "What do you propose?",
        description="One or two sentences. For example: “From next month we take no new people "
        "until two of us are back from leave.”",
        filters=[strip],
        validators=[DataRequired("Write the proposal."), _at_most(DECISION_TEXT_MAX)],
    )
    purpose = TextAreaField(
        "What is it for?",
        description="The problem it solves, or what it makes possible.",
        filters=[strip],
        validators=[
            DataRequired("Say what it is for: what problem does it solve?"),
            _at_most(DECISION_TEXT_MAX),
        ],
    )
    # Choices (0 for the whole team, then the team's people) are filled by the view.
    client = SelectField(
        "About a person",
        description="Only when the proposal is about one person in care.",
        coerce=int,
        default=0,
        invalid_choice_message="Choose one of the people in the list.",
    )
    between = BooleanField("Decide between meetings: colleagues answer here before a deadline")
    review_on = DateField(
        "Review on",
        description="When the team looks at it again. Needed between meetings; at a meeting "
        "you can also choose it when it is adopted.",
        validators=[Optional(), _not_before_today],
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.between.data and not self.review_on.data and not self.review_on.errors:
            self.review_on.errors = [
                *self.review_on.errors,
                "Choose a review date: a proposal nobody objects to is adopted with it.",
            ]
            valid = False
        return valid


class DecisionStepForm(_SaidBy, FlaskForm):
    kind = RadioField(
        "What was said",
        choices={kind: DecisionStep.KINDS[kind] for kind in DecisionStep.SAID},
        default=DecisionStep.QUESTION,
        validators=[InputRequired("Choose: a question, a reaction or an objection.")],
    )
    member = _member_field("Who said it")
    text = TextAreaField(
        "What they said",
        description="For an objection: why. What would go wrong for the people we care for, "
        "or for the team?",
        filters=[strip],
        validators=[_at_most(DECISION_TEXT_MAX)],
    )

    def validate_text(self, field):
        if not field.data:
            if self.kind.data == DecisionStep.OBJECTION:
                raise ValidationError("Write down the reasoning: an objection needs it.")
            raise ValidationError("Write down what was said.")


class AmendForm(_SaidBy, FlaskForm):
    proposal = TextAreaField(
        "The proposal as amended",
        description="The whole text as it now reads. The earlier text stays in the record.",
        filters=[strip],
        validators=[DataRequired("Write the proposal as amended."), _at_most(DECISION_TEXT_MAX)],
    )
    member = _member_field("Who suggested the change")
    version = HiddenField()


class ResolveForm(_SaidBy, FlaskForm):
    how = TextAreaField(
        "How was it resolved?",
        description="For example: “The proposal was amended: urgent referrals are still accepted.”",
        filters=[strip],
        validators=[
            DataRequired("Write down how the objection was resolved."),
            _at_most(DECISION_TEXT_MAX),
        ],
    )
    member = _member_field("Resolved with", "Usually the colleague who objected.")


class AdoptForm(FlaskForm):
    review_on = DateField(
        "Review on",
        description="When the team looks at this decision again; it comes back on the agenda.",
        validators=[
            InputRequired("Choose a review date: when does the team look at this again?"),
            _not_before_today,
        ],
    )
    version = HiddenField()


class CloseDecisionForm(FlaskForm):
    """Withdrawing or parking a proposal: why, for whoever reads the log later."""

    why = TextAreaField(
        "Why?",
        filters=[strip],
        validators=[
            DataRequired("Write down why, for whoever reads the log later."),
            _at_most(DECISION_TEXT_MAX),
        ],
    )


class ButtonForm(FlaskForm):
    """A button that changes something (take a parked proposal up again, mark
    training done): nothing to type, only the CSRF token."""


class AnswerForm(FlaskForm):
    answer = RadioField(
        "Your answer",
        choices={"consent": "I consent: it is safe enough to try", "object": "I object"},
        validators=[InputRequired("Choose: do you consent, or do you object?")],
    )
    reasoning = TextAreaField(
        "Your reasoning",
        description="Needed when you object: what would go wrong for the people we care for, "
        "or for the team?",
        filters=[strip],
        validators=[_at_most(DECISION_TEXT_MAX)],
    )

    def validate_reasoning(self, field):
        if self.answer.data == "object" and not field.data:
            raise ValidationError("Write down why you object: an objection needs its reasoning.")


class DecisionRulesForm(FlaskForm):
    """How the team decides between meetings. `members` (set by the view) is how
    many active members there are: a quorum above it could never be met."""

    async_days = IntegerField(
        "Days to answer",
        description="How long colleagues have to answer a proposal posted between meetings.",
        validators=[
            InputRequired("Enter a number of days, from 1 to 30."),
            NumberRange(min=1, max=30, message="Enter a number of days, from 1 to 30."),
        ],
    )
    async_quorum = IntegerField(
        "Answers needed",
        description="How many colleagues must answer for a proposal nobody objects to "
        "to be adopted.",
        validators=[
            InputRequired("Enter how many answers are needed."),
            NumberRange(min=1, message="At least one colleague must answer."),
        ],
    )
    version = HiddenField()
    members = 0

    def validate_async_quorum(self, field):
        if field.data and self.members and field.data > self.members:
            raise ValidationError(
                f"The team has {self.members} members: ask for {self.members} answers at most."
            )


class DecisionSearchForm(FlaskForm):
    """The decisions log's filter: a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    q = StringField(
        "Words", filters=[strip], validators=[Length(max=100, message="Use fewer words.")]
    )
    status = SelectField(
        "Outcome",
        choices={
            "": "Any",
            "proposed": "Still proposed",
            "adopted": "Adopted",
            "review": "Due for review",
            "withdrawn": "Withdrawn",
            "parked": "Parked",
        },
        default="",
        invalid_choice_message="Choose one of the outcomes in the list.",
    )
    # Choices (0 for anyone, then the people decided about) are filled by the view.
    person = SelectField(
        "About", coerce=int, default=0, invalid_choice_message="Choose someone from the list."
    )
    since = DateField("From", validators=[Optional()])
    until = DateField("Until", validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("This is before the “From” date.")


class TrainingForm(PartForm):
    topic = StringField(
        "Topic",
        description="For example: “Wound care refresher” or “Using the new hoist”.",
        filters=[strip],
        validators=[DataRequired("Write the topic."), _at_most(200)],
    )
    who = StringField(
        "Who",
        description="Who takes part or gives it: names, or “everyone”.",
        filters=[strip],
        validators=[_at_most(200)],
    )
    planned_on = DateField("Planned for", validators=[Optional(), _date_not_past_far])
    done_on = DateField(
        "Done on", description="Leave empty until it has happened.", validators=[Optional()]
    )
    note = TextAreaField(
        "Note",
        description="Where, who teaches it, what to bring. Optional.",
        filters=[strip],
        validators=[_at_most(LEARNING_TEXT_MAX)],
    )

    def validate_done_on(self, field):
        if field.data and field.data > local_now().date():
            raise ValidationError("This is in the future. Fill it in once it has happened.")


class ExperimentForm(PartForm):
    title = StringField(
        "What we’ll try",
        description="For example: “Each morning the two of us on early shift plan the day "
        "together for ten minutes.”",
        filters=[strip],
        validators=[DataRequired("Write what you will try."), _at_most(200)],
    )
    why = TextAreaField(
        "Why",
        description="What we hope it changes.",
        filters=[strip],
        validators=[DataRequired("Say why: what do you hope it changes?"), _at_most(3000)],
    )
    how_we_know = TextAreaField(
        "How we’ll know",
        description="What we will look at to see whether it worked.",
        filters=[strip],
        validators=[
            DataRequired("Say how you will know whether it worked."),
            _at_most(LEARNING_TEXT_MAX),
        ],
    )
    started_on = DateField(
        "Started on",
        validators=[InputRequired("Enter the day it starts."), _date_not_past_far],
    )
    review_on = DateField("Look at it again on", validators=[Optional(), _date_not_past_far])

    def validate_review_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError("This is before it starts.")


class ExperimentOutcomeForm(PartForm):
    what_happened = TextAreaField(
        "What happened",
        description="What you saw, in plain words: what worked here, and what did not.",
        filters=[strip],
        validators=[DataRequired("Write down what happened."), _at_most(LEARNING_TEXT_MAX)],
    )
    outcome = RadioField(
        "Keep it or drop it?",
        choices={
            Experiment.KEEP: "Keep it: this is how we work now",
            Experiment.DROP: "Drop it",
            Experiment.RUNNING: "Not yet: it keeps running",
        },
        validators=[InputRequired("Choose: keep it, drop it, or let it run longer.")],
    )


# Team meetings: planning one, its agenda, meeting mode, flags and review dates
# (teamcase/meetings.py).

MEETING_NOTES_MAX = 10000


def _meeting_day(form, field):
    """A day that is still to come, unless it is the day the record already has."""
    if field.data and field.data < local_now().date() and field.data != form.keep_day:
        raise ValidationError("This date has passed. Choose today or a later date.")


def _member_choices(members, nobody: str) -> list[SelectChoice]:
    return [SelectChoice(0, nobody)] + [SelectChoice(m.id, m.name) for m in members]


class MeetingPlanForm(FlaskForm):
    held_on = DateField("Date", validators=[InputRequired("Choose the day."), _meeting_day])
    starts_at = TimeField("Starts at", description="Optional.", validators=[Optional()])
    place = StringField(
        "Place",
        description="E.g. “the team room above the pharmacy”. Optional.",
        filters=[strip],
        validators=[_at_most(120)],
    )
    facilitator = SelectField(
        "Facilitator",
        coerce=int,
        default=0,
        invalid_choice_message="Choose a member of the team, or choose at the meeting.",
    )
    note_taker = SelectField(
        "Note-taker",
        coerce=int,
        default=0,
        invalid_choice_message="Choose a member of the team, or choose at the meeting.",
    )
    version = HiddenField()

    # The meeting's own day passes the date check, even once it has gone by.
    keep_day = None

    def offer_members(self, members):
        self.facilitator.choices = _member_choices(members, "Choose at the meeting")
        self.note_taker.choices = _member_choices(members, "Choose at the meeting")
        return self

    def validate_note_taker(self, field):
        if field.data and field.data == self.facilitator.data:
            raise ValidationError(
                "Choose someone else: facilitating and taking notes at once is too much."
            )

    def values(self) -> dict:
        return {
            "held_on": self.held_on.data,
            "starts_at": self.starts_at.data,
            "place": self.place.data,
            "facilitator": self.facilitator.data or None,
            "note_taker": self.note_taker.data or None,
        }

    def version_read(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class AgendaItemForm(FlaskForm):
    kind = RadioField(
        "What kind of item",
        choices={kind: AgendaItem.KINDS[kind] for kind in AgendaItem.OWN_KINDS},
        default="question",
        validators=[InputRequired("Choose what kind of item it is.")],
    )
    title = StringField(
        "What to talk about",
        description="E.g. “Who covers the weekends in March?”",
        filters=[strip],
        validators=[DataRequired("Say what the team should talk about."), _at_most(200)],
    )
    why = StringField(
        "Why, or what it is for",
        description="Optional. The facilitator will ask.",
        filters=[strip],
        validators=[_at_most(300)],
    )


class AgendaMoveForm(FlaskForm):
    direction = RadioField(
        "Move",
        choices={"up": "Up", "down": "Down"},
        validators=[InputRequired("Choose up or down.")],
    )


class AgendaNotesForm(FlaskForm):
    notes = TextAreaField(
        "What was said and agreed",
        description="In a few lines: it goes into the minutes.",
        filters=[strip],
        validators=[_at_most(MEETING_NOTES_MAX)],
    )
    version = HiddenField()

    def version_read(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class MeetingTaskForm(FlaskForm):
    """A task for the board, taken on by someone at the meeting (`claimed_by.choices`
    are who is here, filled by the view)."""

    title = StringField(
        "What needs doing",
        description="E.g. “Ask the GP about her blood pressure tablets”.",
        filters=[strip],
        validators=[DataRequired("Say what needs doing."), _at_most(200)],
    )
    claimed_by = SelectField(
        "Who takes it on",
        coerce=int,
        default=0,
        invalid_choice_message="Choose someone who is at the meeting.",
    )
    due_on = DateField("By when", description="Optional.", validators=[Optional(), _meeting_day])

    keep_day = None

    def offer_members(self, members):
        self.claimed_by.choices = _member_choices(members, "Choose who")
        return self

    def validate_claimed_by(self, field):
        if not field.data:
            raise ValidationError("Choose who takes it on: someone who is here.")


class ReviewDateForm(FlaskForm):
    review_on = DateField(
        "Talk about them again on",
        description="They come on the agenda of the first meeting on or after this day.",
        validators=[Optional(), _meeting_day],
    )
    # The "No review date" button.
    clear = BooleanField("No review date")

    keep_day = None

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here: Optional() on the date ends its own checks when it is empty.
        if valid and not self.clear.data and not self.review_on.data:
            self.review_on.errors = ["Choose a day, or choose “No review date”."]
            valid = False
        return valid

    def day(self):
        return None if self.clear.data else self.review_on.data


class FlagForm(FlaskForm):
    reason = StringField(
        "Why the team should talk about them",
        description="E.g. “She fell twice this month: do we visit often enough?”",
        filters=[strip],
        validators=[
            DataRequired("Say why, in a few words: the team reads it on the agenda."),
            _at_most(300),
        ],
    )


class AttendanceForm(FlaskForm):
    present = CheckboxList("Who is here", coerce=int)
    accept_previous = BooleanField("We accept the notes of the previous meeting")

    def offer_members(self, members):
        self.present.choices = [SelectChoice(m.id, m.name) for m in members]
        return self

    def validate_present(self, field):
        if not field.data:
            raise ValidationError("Tick who is here: at least one member.")
