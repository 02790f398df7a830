"""The forms of referrals, the week plan, the team board and our team."""

import datetime as dt

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase.auth.forms import PasswordChangeForm
from teamcase.auth.passwords import MIN_LENGTH
from teamcase.dates import day_text, local_now, local_today
from teamcase.forms import (
    CheckboxList,
    Form,
    PartForm,
    TypedDateField,
    VersionedForm,
    at_most,
    email_shape,
    strip,
)
from teamcase.models import (
    Contact,
    Referral,
    VisitSeries,
)


def _born(form, field):
    if field.data and field.data > local_today():
        raise ValidationError("The date of birth cannot be in the future.")
    if field.data and field.data.year < 1900:
        raise ValidationError("Check the year: it is before 1900.")


class ReferralForm(Form):
    """What the member who takes the call writes down: in under a minute."""

    referrer_name = StringField(
        "Who referred",
        description="E.g. “Dr. Pietersen”, or “neighbour, Mrs. Kok”.",
        filters=[strip],
        validators=[at_most(120)],
    )
    referrer_org = StringField(
        "From where",
        description="E.g. “Huisartsenpraktijk Dapperbuurt”, “OLVG hospital”. Optional.",
        filters=[strip],
        validators=[at_most(120)],
    )
    referrer_phone = StringField("Their phone number", filters=[strip], validators=[at_most(40)])
    person_name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter the name of the person referred."), at_most(120)],
    )
    date_of_birth = TypedDateField("Date of birth", validators=[Optional(), _born])
    street = StringField("Street and number", filters=[strip], validators=[at_most(120)])
    postcode = StringField("Postcode", filters=[strip], validators=[at_most(12)])
    city = StringField("Town", filters=[strip], validators=[at_most(80)])
    phone = StringField("Phone", filters=[strip], validators=[at_most(40)])
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

    # Sent by "It is someone else" under a warning of a likely known name.
    go_on = BooleanField()

    def details(self) -> dict:
        skip = {"csrf_token", "go_on"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


def _first_visit_day(form, field):
    today = local_now().date()
    if field.data and field.data < today:
        raise ValidationError("This day has passed. Choose today or a day after it.")
    if field.data and field.data > today + dt.timedelta(days=92):
        raise ValidationError("Choose a day within the next three months.")


class AcceptForm(Form):
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


class MeetingForm(Form):
    reason = StringField(
        "What the team should talk about",
        description="E.g. “we are full until February: can we take him on?”",
        filters=[strip],
        validators=[DataRequired("Say in a few words why it goes to the meeting."), at_most(300)],
    )


class DeclineForm(Form):
    reason = StringField(
        "Why we cannot take this on",
        filters=[strip],
        validators=[DataRequired("Give the reason, for the referrer and the team."), at_most(300)],
    )
    referred_on_to = StringField(
        "Where we pointed the referrer instead",
        description="E.g. “Buurtzorg Zuid” or “the neighbourhood social team”. Optional.",
        filters=[strip],
        validators=[at_most(200)],
    )


TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def _today():
    # The team's day, not the server's: a visit typed at 00:30 is for the local date.
    from teamcase.dates import local_now

    return local_now().date()


class VisitTimesForm(Form):
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
        validators=[at_most(300)],
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
        choices=[SelectChoice(kind, label) for kind, label in Contact.KINDS.items()],
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
    # Sent by "Plan it anyway" under a warning of visits at the same time.
    go_on = BooleanField()

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

    def days(self) -> list[dt.date]:
        """The days of the visit, or of every visit of the series."""
        if self.repeating:
            return VisitSeries.dates(**self.rule())
        return [self.day.data]

    def rule(self) -> dict:
        return {
            "rule": self.repeats.data,
            "starts_on": self.day.data,
            "ends_on": self.until.data,
            "weekdays": self.weekdays.data or (),
            "every_days": self.every_days.data or 1,
        }


class VisitEditForm(VersionedForm, VisitTimesForm):
    """Move one visit to another day or time, or change its minutes or note."""

    # Sent by "Save it anyway" under a warning of visits at the same time.
    go_on = BooleanField()


class VisitDayForm(Form):
    """When a visit planned for another day happened: asked, never assumed.

    Sent with the contact's form, which checks the CSRF token for both."""

    class Meta:
        csrf = False

    PLANNED, TODAY, TYPED = "planned", "today", "typed"

    # Nothing chosen is no valid choice: the message, per visit, is set by for_visit.
    when = RadioField("When did this visit happen?", choices=[])

    @classmethod
    def for_visit(cls, visit, today: dt.date, **kwargs) -> "VisitDayForm":
        form = cls(**kwargs)
        planned = day_text(visit.day)
        choices = [(cls.TODAY, "Today"), (cls.TYPED, "At the time under “When”")]
        if visit.day < today:
            # A day ahead cannot have happened yet.
            choices.insert(0, (cls.PLANNED, f"On {planned}, as planned"))
        form.when.choices = choices
        form.when.invalid_choice_message = (
            f"This visit was planned for {planned}. Say whether it happened then, today, or when."
        )
        return form


class HandOverDayForm(Form):
    """Ill, or something came up: from which day, and until which, her visits go
    up for colleagues to take."""

    # Longer than this is no longer "ill for a few days": the team plans it anew.
    MAX_DAYS = 31

    day = DateField(
        "First day you cannot do your visits",
        validators=[InputRequired("Choose the day.")],
    )
    until = DateField(
        "Until and including",
        description="The last day, e.g. “ill until Friday”. Leave it empty for one day.",
        validators=[Optional()],
    )

    def validate_day(self, field):
        if field.data and field.data < _today():
            raise ValidationError("This day is over. Choose today or a day ahead.")

    def validate_until(self, field):
        first = self.day.data
        if not (field.data and first):
            return
        if field.data < first:
            raise ValidationError(
                f"This is before the first day ({day_text(first)}). Choose it or a later day."
            )
        if (field.data - first).days >= self.MAX_DAYS:
            latest = first + dt.timedelta(days=self.MAX_DAYS - 1)
            raise ValidationError(
                f"That is more than {self.MAX_DAYS} days. Choose a last day up to "
                f"{day_text(latest)}, and talk the weeks after it through with the team."
            )

    @property
    def last_day(self):
        """The last day handed over: `until`, or the first day alone."""
        return self.until.data or self.day.data


class TeamDetailsForm(VersionedForm, Form):
    name = StringField(
        "Team name",
        filters=[strip],
        validators=[DataRequired("Enter the team's name."), at_most(120)],
    )
    area = StringField(
        "Neighbourhood",
        description="Where the team works, e.g. “Oost-Noord”.",
        filters=[strip],
        validators=[at_most(120)],
    )
    street = StringField("Street and number", filters=[strip], validators=[at_most(120)])
    postcode = StringField("Postcode", filters=[strip], validators=[at_most(12)])
    city = StringField("Town", filters=[strip], validators=[at_most(80)])
    phone = StringField("Phone", filters=[strip], validators=[at_most(40)])
    email = StringField("Email", filters=[strip], validators=[at_most(254), email_shape])
    capacity = IntegerField(
        "How many people we can care for well",
        description="The team's own number, shown next to new referrals. Between 1 and 500.",
        validators=[
            InputRequired("Enter how many people the team can care for well."),
            NumberRange(1, 500, "Enter a number between 1 and 500."),
        ],
    )

    def details(self) -> dict:
        names = ("name", "area", "street", "postcode", "city", "phone", "email", "capacity")
        return {name: self[name].data for name in names}


class NewColleagueForm(Form):
    INVITE = "invitation"
    FIRST_PASSWORD = "password"

    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter your new colleague's name."), at_most(120)],
    )
    email = StringField(
        "Email",
        description="They log in with it.",
        filters=[strip],
        validators=[DataRequired("Enter their email address."), at_most(254), email_shape],
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


class DeactivateForm(Form):
    note = TextAreaField(
        "A note for the team log",
        description="Optional, e.g. “moved to Utrecht” or “on a year's leave”.",
        filters=[strip],
        validators=[at_most(300)],
    )


class RoleForm(Form):
    name = StringField(
        "Role",
        description="E.g. planner, treasurer, mentor, contact for the GP practices.",
        filters=[strip],
        validators=[DataRequired("Give the role a name."), at_most(80)],
    )
    purpose = StringField(
        "What it is for",
        description="In a sentence, so a new colleague understands it. Optional.",
        filters=[strip],
        validators=[at_most(300)],
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


class RoleTurnForm(Form):
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
        validators=[DataRequired("Say in a few words what needs doing."), at_most(200)],
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
        validators=[at_most(TASK_NOTE_MAX)],
    )

    def values(self) -> dict:
        data = super().values()
        data["client"] = data["client"] or None
        return data


class AskForm(Form):
    # Choices (the team's other active members) are filled by the view.
    colleague = RadioField(
        "Which colleague do you ask?",
        coerce=_chosen_id,
        validators=[InputRequired("Choose the colleague you are asking.")],
        invalid_choice_message="Choose one of your colleagues in the list.",
    )
