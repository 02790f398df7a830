"""The forms of the person's page: details, contacts, about me, strengths,
offers, consent, goals and steps, closing, reopening and transfer.
"""

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase.dates import local_today
from teamcase.forms import (
    NOTE_MAX,
    CheckboxList,
    Form,
    PartForm,
    TypedDateField,
    VersionedForm,
    email_shape,
    not_in_future,
    plausible_year,
    strip,
)
from teamcase.models import (
    AboutMe,
    Client,
    Contact,
    Goal,
    Strength,
)

QUICK_MINUTES = (15, 30, 45, 60)


class PersonForm(VersionedForm, Form):
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
    date_of_birth = TypedDateField("Date of birth", validators=[Optional()])
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

    # Sent by "It is someone else" under a warning of a likely known name.
    go_on = BooleanField()

    def validate_date_of_birth(self, field):
        if field.data and field.data > local_today():
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


class ContactForm(VersionedForm, Form):
    kind = RadioField(
        "What kind of contact",
        choices=[SelectChoice(kind, label) for kind, label in Contact.KINDS.items()],
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
    # The duration the form was filled in with (as planned, or as recorded), so
    # that without JavaScript the field she changed wins over the one she left.
    minutes_was = HiddenField()
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

    def fill_duration(self, minutes: int):
        """Fill in a duration already known: a chip when there is one for it."""
        if minutes in QUICK_MINUTES:
            self.minutes.data = str(minutes)
        else:
            self.minutes_typed.data = minutes
        self.minutes_was.data = str(minutes)

    def _chosen(self) -> int:
        """The duration she chose last, when both a chip and a typed value came.

        Without JavaScript a pre-filled field stays filled when a chip is tapped
        (and a pre-chosen chip stays chosen when she types): the one that still
        holds the pre-filled duration is the one she left alone. When neither
        does, typing is the more deliberate act.
        """
        chip, typed = int(self.minutes.data), self.minutes_typed.data
        if self.minutes_was.data == str(typed):
            return chip
        return typed

    def duration(self) -> int:
        if self.minutes.data and self.minutes_typed.data is not None:
            return self._chosen()
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


class AboutForm(Form):
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
    given_on = DateField("Agreed on", validators=[InputRequired("Enter the date."), plausible_year])


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
        validators=[Optional(), plausible_year],
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
    due_on = DateField("By when", description="Optional.", validators=[Optional(), plausible_year])

    def values(self) -> dict:
        kind, _, ident = self.helper.data.partition("-")
        return {
            "text": self.text.data,
            "due_on": self.due_on.data,
            "helper_kind": kind,
            "network_member": int(ident) if kind == "network" else None,
            "member": int(ident) if kind == "member" else None,
        }


class StepDoneForm(Form):
    """Says which state the step should be in, so two taps at once agree."""

    done = BooleanField("Done")


CLOSING_STORY_MAX = 1200


TRANSFER_NOTE_MAX = 1500


class CloseForm(VersionedForm, Form):
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


class ReopenForm(VersionedForm, Form):
    note = TextAreaField(
        "Why does the case open again?",
        description="Optional. For example: “Her daughter called: she fell and needs help again.”",
        filters=[strip],
        validators=[Length(max=1000, message="Keep it under 1000 characters.")],
    )


class TransferForm(Form):
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
