"""The forms of the person's page: details, contacts, about me, strengths,
offers, consent, goals and steps, closing, reopening and transfer.
"""

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from wtforms.validators import UUID, DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase import omaha
from teamcase.dates import local_today
from teamcase.forms import (
    NOTE_MAX,
    CheckboxList,
    Form,
    PartForm,
    TypedDateField,
    VersionedForm,
    at_most,
    email_shape,
    labelled,
    not_in_future,
    plausible_year,
    strip,
)
from teamcase.models import (
    AboutMe,
    Admission,
    Client,
    Contact,
    Goal,
    SelfReliance,
    Strength,
)

QUICK_MINUTES = (15, 30, 45, 60)


class PersonForm(VersionedForm, Form):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the person's name.")), Length(max=120)],
    )
    preferred_name = StringField(
        _l("Preferred name"),
        description=_l("What they like to be called, if that is different."),
        filters=[strip],
        validators=[Length(max=80)],
    )
    date_of_birth = TypedDateField(_l("Date of birth"), validators=[Optional()])
    street = StringField(_l("Street and number"), filters=[strip], validators=[Length(max=120)])
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[Length(max=12)])
    city = StringField(_l("Town"), filters=[strip], validators=[Length(max=80)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])
    email = StringField(_l("Email"), filters=[strip], validators=[Length(max=254), email_shape])
    known_best = CheckboxList(
        _l("Known best by"),
        description=_l("The colleagues a visitor should ask first."),
        coerce=int,
        validators=[Optional()],
    )

    # Sent by "It is someone else" under a warning of a likely known name.
    go_on = BooleanField()

    def validate_date_of_birth(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if field.data and field.data.year < 1900:
            raise ValidationError(_("Check the year: it is before 1900."))

    def validate_phone(self, field):
        if not (field.data or self.email.data or self.street.data):
            raise ValidationError(
                _("Give at least one way to reach them: a phone number, an email or an address.")
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
        _l("What kind of contact"),
        choices=labelled(Contact.KINDS),
        validators=[InputRequired(_l("Choose what kind of contact it was."))],
    )
    minutes = RadioField(
        _l("How long"),
        choices={str(m): f"{m} min" for m in QUICK_MINUTES},
        validators=[Optional()],
    )
    minutes_typed = IntegerField(
        _l("Other duration in minutes"),
        validators=[Optional(), NumberRange(1, 720, _l("Between 1 and 720 minutes."))],
    )
    # The duration the form was filled in with (as planned, or as recorded), so
    # that without JavaScript the field she changed wins over the one she left.
    minutes_was = HiddenField()
    # Filled in by the tablet (static/js/offline.js) so that sending it again is safe.
    client_uuid = HiddenField(
        validators=[
            Optional(),
            UUID(
                message=_l(
                    "This form was damaged. Reload the page and write the contact down again."
                )
            ),
        ]
    )
    happened_at = DateTimeLocalField(
        _l("When"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(_l("Enter when it happened.")), not_in_future],
    )
    note = TextAreaField(
        _l("Note"),
        description=_l("A few words for your colleagues. Optional."),
        filters=[strip],
        validators=[
            Length(
                max=NOTE_MAX,
                message=_l("Keep the note under %(num)d characters.", num=NOTE_MAX),
            )
        ],
    )
    colleagues = CheckboxList(_l("Colleagues who were there"), coerce=int, validators=[Optional()])
    incoming = BooleanField(_l("They contacted us"))
    demand = RadioField(
        _l("What kind of demand"),
        choices=labelled(
            {
                "value": _l("Value demand: what they need from us"),
                "failure": _l("Failure demand: caused by something we did not do, or not do right"),
            }
        ),
        validators=[Optional()],
    )
    demand_why = StringField(
        _l("Why, in a few words"), filters=[strip], validators=[Length(max=200)]
    )
    resolved = RadioField(
        _l("Resolved at this first contact?"),
        choices=labelled({"yes": _l("Yes"), "no": _l("No")}),
        validators=[Optional()],
    )
    # Choices (the person's active goals) are filled where the form is built.
    goal = SelectField(
        _l("For which goal"),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose one of their goals, or none."),
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.minutes.data is not None and not self.minutes.data.strip():
            # Blank reads as no chip chosen (Optional() drops the choice's own check).
            self.minutes.data = None
        # Either field may carry the duration, so neither can require itself.
        if (
            not self.minutes.data
            and self.minutes_typed.data is None
            and not self.minutes_typed.errors
        ):
            self.minutes.errors = [
                *self.minutes.errors,
                _("Choose how long it took, or type the minutes."),
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

    def sent_as(self) -> str | None:
        """The id the tablet made for this contact, written the one way (lower
        case, with hyphens); none from a form filled in online."""
        return str(uuid.UUID(self.client_uuid.data)) if self.client_uuid.data else None

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
        _l("In their words"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write down what they said.")),
            Length(max=3000, message=_l("Keep it under 3000 characters.")),
        ],
    )
    said_by = RadioField(
        _l("Who said it"),
        choices=labelled(AboutMe.SAID_BY),
        default="person",
        validators=[InputRequired()],
    )
    said_by_name = StringField(
        _l("Their name"),
        description=_l("For family: who, e.g. “her daughter Ellen”. Optional."),
        filters=[strip],
        validators=[Length(max=80)],
    )
    based_on = HiddenField()


class StrengthForm(PartForm):
    # The words first, then what kind: forms render their fields in this order.
    text = StringField(
        _l("Strength"),
        description=_l("In plain words, e.g. “still cooks her own dinner”."),
        filters=[strip],
        validators=[DataRequired(_l("Describe the strength.")), Length(max=300)],
    )
    category = RadioField(
        _l("Kind of strength"),
        choices=labelled(Strength.CATEGORIES),
        validators=[InputRequired(_l("Choose what kind of strength it is."))],
    )


class OfferForm(PartForm):
    text = StringField(
        _l("What they can give"),
        description=_l("E.g. “teach knitting”, “company on the phone”, “a lift to church”."),
        filters=[strip],
        validators=[DataRequired(_l("Describe what they offer.")), Length(max=300)],
    )
    when = StringField(
        _l("When they can"),
        description=_l("E.g. “Tuesday afternoons”. Optional."),
        filters=[strip],
        validators=[Length(max=120)],
    )


class ConsentForm(PartForm):
    what = StringField(
        _l("What they agreed to share"),
        filters=[strip],
        validators=[DataRequired(_l("Say what may be shared.")), Length(max=300)],
    )
    with_whom = StringField(
        _l("With whom"),
        filters=[strip],
        validators=[DataRequired(_l("Say with whom.")), Length(max=300)],
    )
    given_on = DateField(
        _l("Agreed on"), validators=[InputRequired(_l("Enter the date.")), plausible_year]
    )


class AdmissionForm(PartForm):
    """A hospital admission or emergency visit, written down once it happened."""

    happened_on = DateField(
        _l("When it happened"),
        default=local_today,
        validators=[InputRequired(_l("Enter the date it happened.")), plausible_year],
    )
    kind = RadioField(
        _l("Where they went, or who came"),
        choices=labelled(Admission.KINDS),
        validators=[InputRequired(_l("Choose what it was."))],
    )
    # The macro shows no hint under a checkbox: the example is in the label.
    planned = BooleanField(_l("It was planned, e.g. an operation they were waiting for"))
    why = StringField(
        _l("Why, in a few words"),
        description=_l("E.g. “fell in the bathroom, broken wrist”. Optional."),
        filters=[strip],
        validators=[at_most(300)],
    )

    def validate_happened_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_("This is in the future. Write it down once it has happened."))


class GoalForm(PartForm):
    """A new goal: what the person wants, in their own words, and why."""

    words = StringField(
        _l("What they want, in their own words"),
        description=_l("E.g. “I want to walk to the market on Saturdays again”."),
        filters=[strip],
        validators=[
            DataRequired(_l("Write down what they want, as they said it.")),
            Length(max=300),
        ],
    )
    why = TextAreaField(
        _l("Why it matters to them"),
        description=_l("E.g. “to see people and buy my own fish”. Optional."),
        filters=[strip],
        validators=[Length(max=3000, message=_l("Keep it under 3000 characters."))],
    )
    review_on = DateField(
        _l("Look at it together again on"),
        description=_l("A date to review how it is going, e.g. in six weeks. Optional."),
        validators=[Optional(), plausible_year],
    )
    help_wanted = StringField(
        _l("Help from a neighbour that would be welcome"),
        description=_l(
            "E.g. “someone to walk with on Saturday mornings”. Optional; "
            "the team sees it next to what neighbours offer."
        ),
        filters=[strip],
        validators=[Length(max=300)],
    )


class GoalEditForm(GoalForm):
    status = RadioField(
        _l("How it stands"),
        choices=labelled(Goal.STATUSES),
        validators=[InputRequired(_l("Choose how the goal stands."))],
    )
    story = TextAreaField(
        _l("What happened"),
        description=_l("When the goal is achieved or let go: the short story of how it went."),
        filters=[strip],
        validators=[Length(max=3000, message=_l("Keep it under 3000 characters."))],
    )

    def validate_story(self, field):
        if self.status.data in ("achieved", "let_go") and not field.data:
            raise ValidationError(
                _("Tell in a few words what happened: how it was achieved, or why it was let go.")
            )


class StepForm(PartForm):
    """A step towards a goal. `helper.choices` are filled by the view: the person,
    their current network and the team, so nobody else can be chosen."""

    text = StringField(
        _l("Step"),
        description=_l("Small and concrete, e.g. “walk to the corner twice a week”."),
        filters=[strip],
        validators=[DataRequired(_l("Describe the step.")), Length(max=300)],
    )
    helper = SelectField(
        _l("Who helps"),
        default="person",
        invalid_choice_message=_l(
            "Choose who helps from the list: the person, "
            "someone in their network, or someone in the team."
        ),
    )
    due_on = DateField(
        _l("By when"), description=_l("Optional."), validators=[Optional(), plausible_year]
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


class StepDoneForm(Form):
    """Says which state the step should be in, so two taps at once agree."""

    done = BooleanField(_l("Done"))


CLOSING_STORY_MAX = 1200


TRANSFER_NOTE_MAX = 1500


class CloseForm(VersionedForm, Form):
    reason = RadioField(
        _l("Why does the case close?"),
        choices=labelled(Client.CLOSE_REASONS),
        validators=[InputRequired(_l("Choose why the case closes."))],
        invalid_choice_message=_l("Choose one of the reasons in the list."),
    )
    story = TextAreaField(
        _l("The closing story"),
        description=(
            _l(
                "A few sentences in plain words: what was done together, and how they are now. "
                "It goes into the letter for the GP."
            )
        ),
        filters=[strip],
        validators=[
            DataRequired(_l("Write a few sentences: what was done, and how they are now.")),
            Length(
                max=CLOSING_STORY_MAX,
                message=_l(
                    "Keep it under %(num)d characters: it has to fit in a letter.",
                    num=CLOSING_STORY_MAX,
                ),
            ),
        ],
    )


class ReopenForm(VersionedForm, Form):
    note = TextAreaField(
        _l("Why does the case open again?"),
        description=_l(
            "Optional. For example: “Her daughter called: she fell and needs help again.”"
        ),
        filters=[strip],
        validators=[Length(max=1000, message=_l("Keep it under 1000 characters."))],
    )


class TransferForm(Form):
    # Choices (a blank 0, then every other team by name and area) are filled by the
    # view: nobody sends a person to the first team in the list by accident.
    team = SelectField(
        _l("Which team takes over?"),
        coerce=int,
        validators=[
            InputRequired(_l("Choose the team that takes over.")),
            NumberRange(min=1, message=_l("Choose the team that takes over.")),
        ],
        invalid_choice_message=_l("Choose one of the teams in the list."),
    )
    note = TextAreaField(
        _l("A note for them"),
        description=(
            _l(
                "What they need to know to start: why the move, what care goes on now, "
                "who is around. It goes into their referrals inbox and the transfer letter."
            )
        ),
        filters=[strip],
        validators=[
            DataRequired(_l("Write a note for the team that takes over.")),
            Length(
                max=TRANSFER_NOTE_MAX,
                message=_l(
                    "Keep it under %(num)d characters: it has to fit in a letter.",
                    num=TRANSFER_NOTE_MAX,
                ),
            ),
        ],
    )


def _rated_on():
    return DateField(
        _l("Rated on"),
        default=local_today,
        validators=[InputRequired(_l("Enter the day of the rating.")), plausible_year],
    )


def _not_in_the_future(field):
    if field.data and field.data > local_today():
        raise ValidationError(_("This is in the future. Rate how things are now or were."))


class SelfRelianceForm(Form):
    """Rate again: for each area of life, who does it now. An area left open is not
    rated this time; at least one is. The fields `area_<code>` follow
    SelfReliance.AREAS, so an install that changes the list changes the form."""

    rated_on = _rated_on()

    def validate_rated_on(self, field):
        _not_in_the_future(field)

    def area_fields(self):
        return [self[f"area_{area}"] for area in SelfReliance.AREAS]

    def rated(self) -> dict[str, str]:
        """Who does each area rated this time. Blank, as a field left open is sent
        (or only spaces), an area is not rated."""
        return {
            area: self[f"area_{area}"].data
            for area in SelfReliance.AREAS
            if self[f"area_{area}"].data in SelfReliance.WHO
        }

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        fields = self.area_fields()
        if valid and not self.rated():
            fields[0].errors = [_("Choose who does it now for at least one area of life.")]
            return False
        return valid

    def fill_from(self, latest):
        """A form just opened starts from the ratings as they are: only what changed
        needs a tap."""
        for area, _label, rating in latest:
            if rating is not None and f"area_{area}" in self:
                self[f"area_{area}"].data = rating.who

    def values(self) -> dict:
        return {
            "rated_on": self.rated_on.data,
            "who_by_area": self.rated(),
        }


for _area, _label in SelfReliance.AREAS.items():
    setattr(
        SelfRelianceForm,
        f"area_{_area}",
        RadioField(
            _label,
            # Left at "not this time", the area keeps its last rating.
            choices=[*labelled(SelfReliance.WHO), SelectChoice("", _l("Not this time"))],
            default="",
            validators=[Optional()],
        ),
    )


class SelfRelianceEditForm(PartForm):
    """Correct one rating of one area: the day, or who does it."""

    rated_on = _rated_on()
    who = RadioField(
        _l("Who does it"),
        choices=labelled(SelfReliance.WHO),
        validators=[InputRequired(_l("Choose who does it."))],
    )

    def validate_rated_on(self, field):
        _not_in_the_future(field)


def _omaha_day(label, required):
    return DateField(
        label, default=local_today, validators=[InputRequired(required), plausible_year]
    )


class OmahaProblemForm(Form):
    """Put a problem of the Omaha System on the person's list: one of the 42, by
    domain. The choices are the problems not on the list yet (`offer`)."""

    code = SelectField(_l("Problem"), validators=[InputRequired(_l("Choose a problem."))])
    added_on = _omaha_day(_l("Since"), _l("Enter the day it was added."))

    def validate_added_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_("This is in the future. Add it from today or earlier."))

    def validate_code(self, field):
        if field.data in self.taken:
            raise ValidationError(_("This problem is on their list already."))
        if field.data not in omaha.system().problems:
            raise ValidationError(_("Choose one of the problems in the list."))

    def offer(self, taken: set[str]):
        """The problems by domain, in the reader's language, less those in `taken`
        (which, sent anyway, are said to be on the list already)."""
        self.taken = taken
        self.code.validate_choice = False
        self.code.choices = [SelectChoice("", _("Choose a problem"))] + [
            SelectChoice(p.code, f"{p.name} ({p.code})", optgroup=domain.name)
            for domain, problems in omaha.system().by_domain()
            for p in problems
            if p.code not in taken
        ]
        return self


class OmahaRatingForm(VersionedForm, Form):
    """Rate a problem: Knowledge, Behaviour and Status, each 1–5 with its words.
    `version` carries the number of the newest rating the rater saw (0 for none):
    a rating saved in between makes this one a conflict, not a silent second."""

    rated_on = _rated_on()
    knowledge = RadioField(
        _l("Knowledge"), coerce=int, validators=[InputRequired(_l("Choose 1 to 5."))]
    )
    behaviour = RadioField(
        _l("Behaviour"), coerce=int, validators=[InputRequired(_l("Choose 1 to 5."))]
    )
    status = RadioField(_l("Status"), coerce=int, validators=[InputRequired(_l("Choose 1 to 5."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, concept in omaha.system().concepts.items():
            self[code].label.text = concept.name
            self[code].description = concept.meaning
            self[code].choices = [
                SelectChoice(n, f"{n} {concept.anchor(n)}") for n in omaha.RATINGS
            ]

    def validate_rated_on(self, field):
        _not_in_the_future(field)

    def values(self) -> dict:
        return {
            "rated_on": self.rated_on.data,
            **{code: self[code].data for code in omaha.CONCEPTS},
        }


class OmahaStrengthsForm(VersionedForm, Form):
    """Which of the person's own strengths help with this problem."""

    strengths = CheckboxList(
        _l("Their strengths that help with it"),
        coerce=int,
        description=_l("Only their own strengths: add one to Strengths first if it is missing."),
    )


class OmahaEndForm(VersionedForm, Form):
    """End a problem: no longer one for them, from a day between its start and today."""

    ended_on = _omaha_day(_l("No longer a problem since"), _l("Enter the day it ended."))
    added_on = None  # the problem's own start, set by the view

    def validate_ended_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_("This is in the future. End it from today or earlier."))
        if field.data and self.added_on and field.data < self.added_on:
            raise ValidationError(_("This is before the problem was added. Check the day."))


class OmahaAgainForm(VersionedForm, Form):
    """Take an ended problem up again: only the version it was read at."""
