"""The forms of meetings, decisions by consent and learning."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from teamcase.dates import local_now
from teamcase.forms import (
    CheckboxList,
    Form,
    PartForm,
    VersionedForm,
    at_most,
    plausible_year,
    strip,
)
from teamcase.models import (
    AgendaItem,
    DecisionStep,
    Experiment,
)

DECISION_TEXT_MAX = 2000


def _choices(labels: dict) -> list[SelectChoice]:
    """Choices from {value: label}, as SelectChoice: the labels are lazy strings,
    translated when the form is shown."""
    return [SelectChoice(value, label) for value, label in labels.items()]


LEARNING_TEXT_MAX = 3000


def _not_before_today(form, field):
    if field.data and field.data < local_now().date():
        raise ValidationError(_("This date has passed. Choose today or a later date."))


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
        validators=[InputRequired(_l("Choose a member of the team."))],
        invalid_choice_message=_l("Choose a member of the team."),
    )


class ProposalForm(Form):
    proposal = TextAreaField(
        _l("What do you propose?"),
        description=_l(
            "One or two sentences. For example: “From next month we take no new people "
            "until two of us are back from leave.”"
        ),
        filters=[strip],
        validators=[DataRequired(_l("Write the proposal.")), at_most(DECISION_TEXT_MAX)],
    )
    purpose = TextAreaField(
        _l("What is it for?"),
        description=_l("The problem it solves, or what it makes possible."),
        filters=[strip],
        validators=[
            DataRequired(_l("Say what it is for: what problem does it solve?")),
            at_most(DECISION_TEXT_MAX),
        ],
    )
    # Choices (0 for the whole team, then the team's people) are filled by the view.
    client = SelectField(
        _l("About a person"),
        description=_l("Only when the proposal is about one person in care."),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose one of the people in the list."),
    )
    between = BooleanField(_l("Decide between meetings: colleagues answer here before a deadline"))
    review_on = DateField(
        _l("Review on"),
        description=_l(
            "When the team looks at it again. Needed between meetings; at a meeting "
            "you can also choose it when it is adopted."
        ),
        validators=[Optional(), _not_before_today],
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.between.data and not self.review_on.data and not self.review_on.errors:
            self.review_on.errors = [
                *self.review_on.errors,
                _("Choose a review date: a proposal nobody objects to is adopted with it."),
            ]
            valid = False
        return valid


class CoachProposalForm(ProposalForm):
    """A proposal about the team's coach: invite one, or end her coaching. The
    proposal's words are the app's; what it is for is the member's."""

    proposal = None
    client = None
    change = RadioField(
        _l("What do you propose?"),
        choices=[
            SelectChoice("invite", _l("Invite a coach")),
            SelectChoice("end", _l("End a coach's coaching")),
        ],
        validators=[InputRequired(_l("Choose whether to invite a coach or to end a coaching."))],
    )
    # Choices (0 for none chosen, then the install's coaches) are filled by the view.
    coach = SelectField(
        _l("Which coach"),
        description=_l("The coaches of this organisation."),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose one of the coaches in the list."),
    )

    def validate_coach(self, field):
        if not field.data:
            raise ValidationError(_("Choose one of the coaches in the list."))


class MeetingProposalForm(_SaidBy, Form):
    """A proposal made at the meeting, on the item on screen: about its person, if
    it is one; who proposes it is chosen from who is here."""

    proposal = ProposalForm.proposal
    purpose = ProposalForm.purpose
    member = _member_field(_l("Who proposes it"))


class DecisionStepForm(_SaidBy, Form):
    kind = RadioField(
        _l("What was said"),
        choices=_choices({kind: DecisionStep.KINDS[kind] for kind in DecisionStep.SAID}),
        default=DecisionStep.QUESTION,
        validators=[InputRequired(_l("Choose: a question, a reaction or an objection."))],
    )
    member = _member_field(_l("Who said it"))
    text = TextAreaField(
        _l("What they said"),
        description=_l(
            "For an objection: why. What would go wrong for the people we care for, "
            "or for the team?"
        ),
        filters=[strip],
        validators=[at_most(DECISION_TEXT_MAX)],
    )

    def validate_text(self, field):
        if not field.data:
            if self.kind.data == DecisionStep.OBJECTION:
                raise ValidationError(_("Write down the reasoning: an objection needs it."))
            raise ValidationError(_("Write down what was said."))


class AmendForm(_SaidBy, VersionedForm, Form):
    proposal = TextAreaField(
        _l("The proposal as amended"),
        description=_l("The whole text as it now reads. The earlier text stays in the record."),
        filters=[strip],
        validators=[DataRequired(_l("Write the proposal as amended.")), at_most(DECISION_TEXT_MAX)],
    )
    member = _member_field(_l("Who suggested the change"))
    # Choices: the proposal's open objections, filled by the view.
    resolves = CheckboxList(
        _l("Does it answer an objection?"),
        description=_l("Tick the objection it resolves: it is marked resolved with the amendment."),
        coerce=int,
    )
    agreed = RadioField(
        _l("Who says it is resolved"),
        choices=_choices(
            {"objector": _l("The colleague who objected"), "meeting": _l("The meeting")}
        ),
        default="objector",
        validators=[Optional()],
    )

    def offer_objections(self, objections):
        self.resolves.choices = [
            SelectChoice(
                o.id, _("%(name)s’s objection: “%(text)s”", name=o.member.first_name, text=o.text)
            )
            for o in objections
        ]
        return self

    def objections_resolved(self, objections) -> list:
        chosen = set(self.resolves.data or ())
        return [o for o in objections if o.id in chosen]


class ResolveForm(_SaidBy, Form):
    how = TextAreaField(
        _l("How was it resolved?"),
        description=_l(
            "For example: “The proposal was amended: urgent referrals are still accepted.”"
        ),
        filters=[strip],
        validators=[
            DataRequired(_l("Write down how the objection was resolved.")),
            at_most(DECISION_TEXT_MAX),
        ],
    )
    member = _member_field(_l("Resolved with"), _l("Usually the colleague who objected."))


class AdoptForm(VersionedForm, Form):
    review_on = DateField(
        _l("Review on"),
        description=_l("When the team looks at this decision again; it comes back on the agenda."),
        validators=[
            InputRequired(_l("Choose a review date: when does the team look at this again?")),
            _not_before_today,
        ],
    )


class CloseDecisionForm(Form):
    """Withdrawing or parking a proposal: why, for whoever reads the log later."""

    why = TextAreaField(
        _l("Why?"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write down why, for whoever reads the log later.")),
            at_most(DECISION_TEXT_MAX),
        ],
    )


class AnswerForm(Form):
    answer = RadioField(
        _l("Your answer"),
        choices=_choices(
            {"consent": _l("I consent: it is safe enough to try"), "object": _l("I object")}
        ),
        validators=[InputRequired(_l("Choose: do you consent, or do you object?"))],
    )
    reasoning = TextAreaField(
        _l("Your reasoning"),
        description=_l(
            "Needed when you object: what would go wrong for the people we care for, "
            "or for the team?"
        ),
        filters=[strip],
        validators=[at_most(DECISION_TEXT_MAX)],
    )

    def validate_reasoning(self, field):
        if self.answer.data == "object" and not field.data:
            raise ValidationError(_("Write down why you object: an objection needs its reasoning."))


class DecisionRulesForm(VersionedForm, Form):
    """How the team decides between meetings. `members` (set by the view) is how
    many active members there are: a quorum above it could never be met."""

    async_days = IntegerField(
        _l("Days to answer"),
        description=_l("How long colleagues have to answer a proposal posted between meetings."),
        validators=[
            InputRequired(_l("Enter a number of days, from 1 to 30.")),
            NumberRange(min=1, max=30, message=_l("Enter a number of days, from 1 to 30.")),
        ],
    )
    async_quorum = IntegerField(
        _l("Answers needed"),
        description=_l(
            "How many colleagues must answer for a proposal nobody objects to to be adopted."
        ),
        validators=[
            InputRequired(_l("Enter how many answers are needed.")),
            NumberRange(min=1, message=_l("At least one colleague must answer.")),
        ],
    )
    members = 0

    def validate_async_quorum(self, field):
        if field.data and self.members and field.data > self.members:
            raise ValidationError(
                ngettext(
                    "The team has %(num)d member: ask for %(num)d answer at most.",
                    "The team has %(num)d members: ask for %(num)d answers at most.",
                    self.members,
                )
            )


class DecisionSearchForm(Form):
    """The decisions log's filter: a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Words"), filters=[strip], validators=[Length(max=100, message=_l("Use fewer words."))]
    )
    status = SelectField(
        _l("Outcome"),
        choices=_choices(
            {
                "": _l("Any"),
                "proposed": _l("Still proposed"),
                "adopted": _l("Adopted"),
                "review": _l("Due for review"),
                "withdrawn": _l("Withdrawn"),
                "parked": _l("Parked"),
            }
        ),
        default="",
        invalid_choice_message=_l("Choose one of the outcomes in the list."),
    )
    # Choices (0 for anyone, then the people decided about) are filled by the view.
    person = SelectField(
        _l("About"),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose someone from the list."),
    )
    since = DateField(_l("From"), validators=[Optional(), plausible_year])
    until = DateField(_l("Until"), validators=[Optional(), plausible_year])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("This is before the “From” date."))


class TrainingForm(PartForm):
    topic = StringField(
        _l("Topic"),
        description=_l("For example: “Wound care refresher” or “Using the new hoist”."),
        filters=[strip],
        validators=[DataRequired(_l("Write the topic.")), at_most(200)],
    )
    who = StringField(
        _l("Who"),
        description=_l("Who takes part or gives it: names, or “everyone”."),
        filters=[strip],
        validators=[at_most(200)],
    )
    planned_on = DateField(_l("Planned for"), validators=[Optional(), plausible_year])
    done_on = DateField(
        _l("Done on"), description=_l("Leave empty until it has happened."), validators=[Optional()]
    )
    note = TextAreaField(
        _l("Note"),
        description=_l("Where, who teaches it, what to bring. Optional."),
        filters=[strip],
        validators=[at_most(LEARNING_TEXT_MAX)],
    )

    def validate_done_on(self, field):
        if field.data and field.data > local_now().date():
            raise ValidationError(_("This is in the future. Fill it in once it has happened."))


def _known_measure(value):
    from teamcase.measures.weekly import BY_CODE

    return value if value in BY_CODE else ""


class ExperimentForm(PartForm):
    title = StringField(
        _l("What we’ll try"),
        description=_l(
            "For example: “Each morning the two of us on early shift plan the day "
            "together for ten minutes.”"
        ),
        filters=[strip],
        validators=[DataRequired(_l("Write what you will try.")), at_most(200)],
    )
    why = TextAreaField(
        _l("Why"),
        description=_l("What we hope it changes."),
        filters=[strip],
        validators=[DataRequired(_l("Say why: what do you hope it changes?")), at_most(3000)],
    )
    how_we_know = TextAreaField(
        _l("How we’ll know"),
        description=_l("What we will look at to see whether it worked."),
        filters=[strip],
        validators=[
            DataRequired(_l("Say how you will know whether it worked.")),
            at_most(LEARNING_TEXT_MAX),
        ],
    )
    started_on = DateField(
        _l("Started on"),
        validators=[InputRequired(_l("Enter the day it starts.")), plausible_year],
    )
    review_on = DateField(_l("Look at it again on"), validators=[Optional(), plausible_year])
    # The chart of "How we are doing" it was started from (a measure's code), if any.
    measure = HiddenField(filters=[_known_measure])

    def validate_review_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_("This is before it starts."))


class ExperimentOutcomeForm(PartForm):
    what_happened = TextAreaField(
        _l("What happened"),
        description=_l("What you saw, in plain words: what worked here, and what did not."),
        filters=[strip],
        validators=[DataRequired(_l("Write down what happened.")), at_most(LEARNING_TEXT_MAX)],
    )
    outcome = RadioField(
        _l("Keep it or drop it?"),
        choices=_choices(
            {
                Experiment.KEEP: _l("Keep it: this is how we work now"),
                Experiment.DROP: _l("Drop it"),
                Experiment.RUNNING: _l("Not yet: it keeps running"),
            }
        ),
        validators=[InputRequired(_l("Choose: keep it, drop it, or let it run longer."))],
    )


MEETING_NOTES_MAX = 10000


def _meeting_day(form, field):
    """A day that is still to come, unless it is the day the record already has."""
    if field.data and field.data < local_now().date() and field.data != form.keep_day:
        raise ValidationError(_("This date has passed. Choose today or a later date."))


def _member_choices(members, nobody: str) -> list[SelectChoice]:
    return [SelectChoice(0, nobody)] + [SelectChoice(m.id, m.name) for m in members]


class MeetingPlanForm(VersionedForm, Form):
    held_on = DateField(_l("Date"), validators=[InputRequired(_l("Choose the day.")), _meeting_day])
    starts_at = TimeField(_l("Starts at"), description=_l("Optional."), validators=[Optional()])
    place = StringField(
        _l("Place"),
        description=_l("E.g. “the team room above the pharmacy”. Optional."),
        filters=[strip],
        validators=[at_most(120)],
    )
    facilitator = SelectField(
        _l("Facilitator"),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose a member of the team, or choose at the meeting."),
    )
    note_taker = SelectField(
        _l("Note-taker"),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose a member of the team, or choose at the meeting."),
    )

    # The meeting's own day passes the date check, even once it has gone by.
    keep_day = None

    def offer_members(self, members):
        self.facilitator.choices = _member_choices(members, _("Choose at the meeting"))
        self.note_taker.choices = _member_choices(members, _("Choose at the meeting"))
        return self

    def validate_note_taker(self, field):
        if field.data and field.data == self.facilitator.data:
            raise ValidationError(
                _l("Choose someone else: facilitating and taking notes at once is too much.")
            )

    def values(self) -> dict:
        return {
            "held_on": self.held_on.data,
            "starts_at": self.starts_at.data,
            "place": self.place.data,
            "facilitator": self.facilitator.data or None,
            "note_taker": self.note_taker.data or None,
        }


class AgendaItemForm(Form):
    kind = RadioField(
        _l("What kind of item"),
        choices=_choices({kind: AgendaItem.KINDS[kind] for kind in AgendaItem.OWN_KINDS}),
        default="question",
        validators=[InputRequired(_l("Choose what kind of item it is."))],
    )
    title = StringField(
        _l("What to talk about"),
        description=_l("E.g. “Who covers the weekends in March?”"),
        filters=[strip],
        validators=[DataRequired(_l("Say what the team should talk about.")), at_most(200)],
    )
    why = StringField(
        _l("Why, or what it is for"),
        description=_l("Optional. The facilitator will ask."),
        filters=[strip],
        validators=[at_most(300)],
    )


class AgendaMoveForm(Form):
    direction = RadioField(
        _l("Move"),
        choices=_choices({"up": _l("Up"), "down": _l("Down")}),
        validators=[InputRequired(_l("Choose up or down."))],
    )


class AgendaNotesForm(VersionedForm, Form):
    notes = TextAreaField(
        _l("What was said and agreed"),
        description=_l("In a few lines: it goes into the minutes."),
        filters=[strip],
        validators=[at_most(MEETING_NOTES_MAX)],
    )


class MeetingTaskForm(Form):
    """A task for the board, taken on by someone at the meeting (`claimed_by.choices`
    are who is here, filled by the view)."""

    title = StringField(
        _l("What needs doing"),
        description=_l("E.g. “Ask the GP about her blood pressure tablets”."),
        filters=[strip],
        validators=[DataRequired(_l("Say what needs doing.")), at_most(200)],
    )
    claimed_by = SelectField(
        _l("Who takes it on"),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose someone who is at the meeting."),
    )
    due_on = DateField(
        _l("By when"), description=_l("Optional."), validators=[Optional(), _meeting_day]
    )

    keep_day = None

    def offer_members(self, members):
        self.claimed_by.choices = _member_choices(members, _("Choose who"))
        return self

    def validate_claimed_by(self, field):
        if not field.data:
            raise ValidationError(_("Choose who takes it on: someone who is here."))


class ReviewDateForm(Form):
    review_on = DateField(
        _l("Talk about them again on"),
        description=_l("They come on the agenda of the first meeting on or after this day."),
        validators=[Optional(), _meeting_day],
    )
    # The "No review date" button.
    clear = BooleanField(_l("No review date"))

    keep_day = None

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here: Optional() on the date ends its own checks when it is empty.
        if valid and not self.clear.data and not self.review_on.data:
            self.review_on.errors = [_("Choose a day, or choose “No review date”.")]
            valid = False
        return valid

    def day(self):
        return None if self.clear.data else self.review_on.data


class FlagForm(Form):
    reason = StringField(
        _l("Why the team should talk about them"),
        description=_l("E.g. “She fell twice this month: do we visit often enough?”"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say why, in a few words: the team reads it on the agenda.")),
            at_most(300),
        ],
    )


class AttendanceForm(Form):
    present = CheckboxList(_l("Who is here"), coerce=int)
    accept_previous = BooleanField(_l("We accept the notes of the previous meeting"))

    def offer_members(self, members):
        self.present.choices = [SelectChoice(m.id, m.name) for m in members]
        return self

    def validate_present(self, field):
        if not field.data:
            raise ValidationError(_("Tick who is here: at least one member."))
