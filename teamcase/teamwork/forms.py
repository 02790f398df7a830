"""The forms of referrals, the week plan, the team board and our team."""

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from teamcase.measures.weekly import MEASURES
from teamcase.models import (
    Contact,
    Referral,
    Team,
    VisitSeries,
)


def _choices(labels: dict) -> list[SelectChoice]:
    """Choices from a mapping of value to (lazy) label: read in the user's language."""
    return [SelectChoice(value, label) for value, label in labels.items()]


def _born(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_("The date of birth cannot be in the future."))
    if field.data and field.data.year < 1900:
        raise ValidationError(_("Check the year: it is before 1900."))


class ReferralForm(Form):
    """What the member who takes the call writes down: in under a minute."""

    referrer_name = StringField(
        _l("Who referred"),
        description=_l("E.g. “Dr. Pietersen”, or “neighbour, Mrs. Kok”."),
        filters=[strip],
        validators=[at_most(120)],
    )
    referrer_org = StringField(
        _l("From where"),
        description=_l("E.g. “Huisartsenpraktijk Dapperbuurt”, “OLVG hospital”. Optional."),
        filters=[strip],
        validators=[at_most(120)],
    )
    referrer_phone = StringField(
        _l("Their phone number"), filters=[strip], validators=[at_most(40)]
    )
    person_name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the name of the person referred.")), at_most(120)],
    )
    date_of_birth = TypedDateField(_l("Date of birth"), validators=[Optional(), _born])
    street = StringField(_l("Street and number"), filters=[strip], validators=[at_most(120)])
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[at_most(12)])
    city = StringField(_l("Town"), filters=[strip], validators=[at_most(80)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[at_most(40)])
    story = TextAreaField(
        _l("What is going on, in the referrer's words"),
        filters=[strip],
        validators=[Length(max=3000, message=_l("Keep it under 3000 characters."))],
    )
    urgency = RadioField(
        _l("How urgent"),
        choices=_choices(Referral.URGENCIES),
        default="soon",
        validators=[InputRequired(_l("Choose how urgent it is."))],
    )

    # Sent by "It is someone else" under a warning of a likely known name.
    go_on = BooleanField()

    def details(self) -> dict:
        skip = {"csrf_token", "go_on"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


def _first_visit_day(form, field):
    today = local_now().date()
    if field.data and field.data < today:
        raise ValidationError(_("This day has passed. Choose today or a day after it."))
    if field.data and field.data > today + dt.timedelta(days=92):
        raise ValidationError(_("Choose a day within the next three months."))


class AcceptForm(Form):
    """Taking the person on for the team, with the first visit in the plan."""

    day = DateField(
        _l("Day of the first visit"),
        validators=[InputRequired(_l("Choose the day of the first visit.")), _first_visit_day],
    )
    starts_at = TimeField(_l("From"), validators=[Optional()])
    ends_at = TimeField(_l("Until"), validators=[Optional()])
    minutes = IntegerField(
        _l("Expected minutes"),
        default=45,
        validators=[
            InputRequired(_l("Enter how many minutes the visit may take.")),
            NumberRange(5, 480, _l("Between 5 and 480 minutes.")),
        ],
    )
    who = RadioField(
        _l("Who visits"),
        choices=_choices({"me": _l("I will"), "open": _l("Leave it for a colleague to take")}),
        default="me",
        validators=[InputRequired(_l("Choose who visits."))],
    )
    known_best = BooleanField(_l("I will be the one who knows them best"), default=True)

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_("The end of the time window must be after its start."))

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
        _l("What the team should talk about"),
        description=_l("E.g. “we are full until February: can we take him on?”"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say in a few words why it goes to the meeting.")),
            at_most(300),
        ],
    )


class DeclineForm(Form):
    reason = StringField(
        _l("Why we cannot take this on"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the reason, for the referrer and the team.")),
            at_most(300),
        ],
    )
    referred_on_to = StringField(
        _l("Where we pointed the referrer instead"),
        description=_l("E.g. “Buurtzorg Zuid” or “the neighbourhood social team”. Optional."),
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
        _l("Day"),
        description=_l("Today or later."),
        validators=[InputRequired(_l("Choose the day of the visit."))],
    )
    # Without times the visit fits in any time of the day, after the timed ones.
    starts_at = TimeField(
        _l("Start time"), description=_l("Optional."), format=TIME_FORMATS, validators=[Optional()]
    )
    ends_at = TimeField(
        _l("End time"), description=_l("Optional."), format=TIME_FORMATS, validators=[Optional()]
    )
    minutes = IntegerField(
        _l("Expected minutes"),
        default=30,
        validators=[
            InputRequired(_l("Say how many minutes you expect it to take.")),
            NumberRange(5, 480, _l("Between 5 and 480 minutes.")),
        ],
    )
    note = StringField(
        _l("Note for whoever goes"),
        description=_l("What to do or bring, e.g. “insulin, check her feet”. Optional."),
        filters=[strip],
        validators=[at_most(300)],
    )

    def validate_day(self, field):
        if field.data and field.data < _today() and field.data != self.keep_day:
            raise ValidationError(
                _(
                    "This day is in the past. Plan visits from today on; "
                    "to write down a visit that happened, record a contact."
                )
            )
        if field.data and field.data > _today() + dt.timedelta(days=VisitSeries.MAX_DAYS):
            raise ValidationError(_("Plan visits at most a year ahead."))

    def validate_ends_at(self, field):
        if field.data is None:
            return
        if self.starts_at.data is None:
            raise ValidationError(_("Give a start time too, or leave both times empty."))
        if field.data <= self.starts_at.data:
            raise ValidationError(
                _(
                    "This is not after the start time (%(time)s). Choose a later end time.",
                    time=f"{self.starts_at.data:%H:%M}",
                )
            )

    def times(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("day", "starts_at", "ends_at", "minutes", "note")
        }


class VisitForm(VisitTimesForm):
    """A new visit, once or repeating. `person.choices` are filled by the view with
    the team's active people, so nobody else can be chosen."""

    REPEATS = {"once": _l("Only once"), **VisitSeries.RULES}

    person = SelectField(
        _l("Person"),
        coerce=int,
        validators=[InputRequired(_l("Choose who the visit is for."))],
        invalid_choice_message=_l("Choose someone from the team's caseload."),
    )
    kind = RadioField(
        _l("Kind of visit"),
        choices=[SelectChoice(kind, label) for kind, label in Contact.KINDS.items()],
        default="home_visit",
        validators=[InputRequired(_l("Choose what kind of visit it is."))],
    )
    who = RadioField(
        _l("Who goes"),
        description=_l(
            "A colleague takes a visit herself: put it up for a colleague "
            "to take, and she will see it in her day."
        ),
        choices=_choices({"me": _l("Me"), "open": _l("Up for a colleague to take")}),
        default="me",
        validators=[InputRequired(_l("Choose who goes."))],
    )
    repeats = RadioField(
        _l("Repeats"),
        choices=_choices(REPEATS),
        default="once",
        validators=[InputRequired(_l("Choose whether the visit repeats."))],
    )
    weekdays = CheckboxList(
        _l("On these weekdays"),
        choices=_choices(dict(enumerate(VisitSeries.WEEKDAY_NAMES))),
        coerce=int,
        validators=[Optional()],
    )
    every_days = IntegerField(
        _l("Every how many days"),
        description=_l("2 is every other day."),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Type a whole number of days: 1 or more.")),
        ],
    )
    until = DateField(
        _l("Last day of the series"),
        description=_l("At most a year after the first visit."),
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
            raise ValidationError(_("Choose who the visit is for."))

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
    when = RadioField(_l("When did this visit happen?"), choices=[])

    @classmethod
    def for_visit(cls, visit, today: dt.date, **kwargs) -> "VisitDayForm":
        form = cls(**kwargs)
        planned = day_text(visit.day)
        choices = [
            SelectChoice(cls.TODAY, _("Today")),
            SelectChoice(cls.TYPED, _("At the time under “When”")),
        ]
        if visit.day < today:
            # A day ahead cannot have happened yet.
            choices.insert(0, SelectChoice(cls.PLANNED, _("On %(day)s, as planned", day=planned)))
        form.when.choices = choices
        form.when.invalid_choice_message = _(
            "This visit was planned for %(day)s. Say whether it happened then, today, or when.",
            day=planned,
        )
        return form


class HandOverDayForm(Form):
    """Ill, or something came up: from which day, and until which, her visits go
    up for colleagues to take."""

    # Longer than this is no longer "ill for a few days": the team plans it anew.
    MAX_DAYS = 31

    day = DateField(
        _l("First day you cannot do your visits"),
        validators=[InputRequired(_l("Choose the day."))],
    )
    until = DateField(
        _l("Until and including"),
        description=_l("The last day, e.g. “ill until Friday”. Leave it empty for one day."),
        validators=[Optional()],
    )

    def validate_day(self, field):
        if field.data and field.data < _today():
            raise ValidationError(_("This day is over. Choose today or a day ahead."))

    def validate_until(self, field):
        first = self.day.data
        if not (field.data and first):
            return
        if field.data < first:
            raise ValidationError(
                _(
                    "This is before the first day (%(day)s). Choose it or a later day.",
                    day=day_text(first),
                )
            )
        if (field.data - first).days >= self.MAX_DAYS:
            latest = first + dt.timedelta(days=self.MAX_DAYS - 1)
            raise ValidationError(
                _(
                    "That is more than %(num)d days. Choose a last day up to %(day)s, "
                    "and talk the weeks after it through with the team.",
                    num=self.MAX_DAYS,
                    day=day_text(latest),
                )
            )

    @property
    def last_day(self):
        """The last day handed over: `until`, or the first day alone."""
        return self.until.data or self.day.data


def _few_enough(form, field):
    if len(field.data or ()) > Team.COACH_MEASURES_AT_MOST:
        raise ValidationError(
            _(
                "Choose at most %(num)d measures to share: you ticked %(ticked)d.",
                num=Team.COACH_MEASURES_AT_MOST,
                ticked=len(field.data),
            )
        )


class TeamDetailsForm(VersionedForm, Form):
    name = StringField(
        _l("Team name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the team's name.")), at_most(120)],
    )
    area = StringField(
        _l("Neighbourhood"),
        description=_l("Where the team works, e.g. “Oost-Noord”."),
        filters=[strip],
        validators=[at_most(120)],
    )
    street = StringField(_l("Street and number"), filters=[strip], validators=[at_most(120)])
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[at_most(12)])
    city = StringField(_l("Town"), filters=[strip], validators=[at_most(80)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[at_most(40)])
    email = StringField(_l("Email"), filters=[strip], validators=[at_most(254), email_shape])
    capacity = IntegerField(
        _l("How many people we can care for well"),
        description=_l("The team's own number, shown next to new referrals. Between 1 and 500."),
        validators=[
            InputRequired(_l("Enter how many people the team can care for well.")),
            NumberRange(1, 500, _l("Enter a number between 1 and 500.")),
        ],
    )

    # The measures a team chooses to keep, each off until a member turns it on.
    uses_self_reliance = BooleanField(
        _l(
            "Who does what: for each area of life, whether people do it themselves, "
            "their network does it, or professionals"
        )
    )
    uses_omaha = BooleanField(
        _l(
            "The Omaha System: a person's problems by domain, rated for knowledge, "
            "behaviour and status over time"
        )
    )

    coach_measures = CheckboxList(
        _l("Measures we share with our coach"),
        description=_l(
            "At most three of the weekly charts of How we are doing. Our coach sees "
            "them on her page, to talk about with us; she sees none of our other charts."
        ),
        choices=[SelectChoice(m.code, m.title) for m in MEASURES],
        validate_choice=True,
        validators=[_few_enough],
    )

    def details(self) -> dict:
        details = {name: self[name].data for name in Team.DETAIL_FIELDS}
        # Kept comma-separated, in the order of How we are doing however ticked.
        chosen = set(self.coach_measures.data or ())
        details["coach_measures"] = ",".join(m.code for m in MEASURES if m.code in chosen)
        return details


class NewColleagueForm(Form):
    INVITE = "invitation"
    FIRST_PASSWORD = "password"

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your new colleague's name.")), at_most(120)],
    )
    email = StringField(
        _l("Email"),
        description=_l("They log in with it."),
        filters=[strip],
        validators=[DataRequired(_l("Enter their email address.")), at_most(254), email_shape],
    )
    how = RadioField(
        _l("How they get in"),
        choices=_choices(
            {
                INVITE: _l("Send an invitation link: they choose their own password"),
                FIRST_PASSWORD: _l(
                    "Give a first password: they choose their own when they first log in"
                ),
            }
        ),
        default=INVITE,
        validators=[InputRequired(_l("Choose how they get in."))],
    )
    first_password = PasswordField(
        _l("First password"),
        description=_l(
            "Only for a first password: at least %(num)d characters. "
            "Tell it in person, not by email.",
            num=MIN_LENGTH,
        ),
    )

    def validate_first_password(self, field):
        if self.how.data != self.FIRST_PASSWORD:
            return
        if not field.data:
            raise ValidationError(_("Choose a first password, or send an invitation link instead."))
        if len(field.data) < MIN_LENGTH:
            raise ValidationError(_("Use at least %(num)d characters.", num=MIN_LENGTH))
        if len(field.data) > 200:
            raise ValidationError(_("Use at most 200 characters."))


class DeactivateForm(Form):
    note = TextAreaField(
        _l("A note for the team log"),
        description=_l("Optional, e.g. “moved to Utrecht” or “on a year's leave”."),
        filters=[strip],
        validators=[at_most(300)],
    )


class RoleForm(Form):
    name = StringField(
        _l("Role"),
        description=_l("E.g. planner, treasurer, mentor, contact for the GP practices."),
        filters=[strip],
        validators=[DataRequired(_l("Give the role a name.")), at_most(80)],
    )
    purpose = StringField(
        _l("What it is for"),
        description=_l("In a sentence, so a new colleague understands it. Optional."),
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
                _(
                    "The team had a role called “%(name)s”; it is retired. "
                    "Bring it back from the list of roles, or choose another name.",
                    name=field.data,
                )
            )
        raise ValidationError(_("The team already has a role called “%(name)s”.", name=field.data))


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
        _l("Hand it to"),
        coerce=int,
        validators=[InputRequired(_l("Choose who takes the role on."))],
        # Also what an empty choice gets: the choice is checked before anything else.
        invalid_choice_message=_l(
            "Choose who takes the role on: one of the team's active members."
        ),
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
        raise ValidationError(_("Check the date: it is more than a year ago."))
    if field.data and field.data.year > 2200:
        raise ValidationError(_("Check the year."))


class TaskForm(PartForm):
    """A task on the team board. `client.choices` (the team's active people, and the
    task's own person when editing) are filled by the view."""

    title = StringField(
        _l("What needs doing"),
        description=_l("E.g. “order compression stockings” or “renew the car park permits”."),
        filters=[strip],
        validators=[DataRequired(_l("Say in a few words what needs doing.")), at_most(200)],
    )
    client = SelectField(
        _l("For"),
        coerce=_chosen_id,
        default=0,
        invalid_choice_message=_l("Choose one of the team's people, or the team as a whole."),
    )
    due_on = DateField(
        _l("Due by"), description=_l("Optional."), validators=[Optional(), _due_not_long_ago]
    )
    note = TextAreaField(
        _l("Note"),
        description=_l("What a colleague needs to know to do it. Optional."),
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
        _l("Which colleague do you ask?"),
        coerce=_chosen_id,
        validators=[InputRequired(_l("Choose the colleague you are asking."))],
        invalid_choice_message=_l("Choose one of your colleagues in the list."),
    )
