"""The forms of meetings, decisions by consent and learning."""

from wtforms import (
    BooleanField,
    DateField,
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


class ProposalForm(Form):
    proposal = TextAreaField(
        "What do you propose?",
        description="One or two sentences. For example: “From next month we take no new people "
        "until two of us are back from leave.”",
        filters=[strip],
        validators=[DataRequired("Write the proposal."), at_most(DECISION_TEXT_MAX)],
    )
    purpose = TextAreaField(
        "What is it for?",
        description="The problem it solves, or what it makes possible.",
        filters=[strip],
        validators=[
            DataRequired("Say what it is for: what problem does it solve?"),
            at_most(DECISION_TEXT_MAX),
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


class MeetingProposalForm(_SaidBy, Form):
    """A proposal made at the meeting, on the item on screen: about its person, if
    it is one; who proposes it is chosen from who is here."""

    proposal = ProposalForm.proposal
    purpose = ProposalForm.purpose
    member = _member_field("Who proposes it")


class DecisionStepForm(_SaidBy, Form):
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
        validators=[at_most(DECISION_TEXT_MAX)],
    )

    def validate_text(self, field):
        if not field.data:
            if self.kind.data == DecisionStep.OBJECTION:
                raise ValidationError("Write down the reasoning: an objection needs it.")
            raise ValidationError("Write down what was said.")


class AmendForm(_SaidBy, VersionedForm, Form):
    proposal = TextAreaField(
        "The proposal as amended",
        description="The whole text as it now reads. The earlier text stays in the record.",
        filters=[strip],
        validators=[DataRequired("Write the proposal as amended."), at_most(DECISION_TEXT_MAX)],
    )
    member = _member_field("Who suggested the change")
    # Choices: the proposal's open objections, filled by the view.
    resolves = CheckboxList(
        "Does it answer an objection?",
        description="Tick the objection it resolves: it is marked resolved with the amendment.",
        coerce=int,
    )
    agreed = RadioField(
        "Who says it is resolved",
        choices={"objector": "The colleague who objected", "meeting": "The meeting"},
        default="objector",
        validators=[Optional()],
    )

    def offer_objections(self, objections):
        self.resolves.choices = [
            SelectChoice(o.id, f"{o.member.first_name}’s objection: “{o.text}”") for o in objections
        ]
        return self

    def objections_resolved(self, objections) -> list:
        chosen = set(self.resolves.data or ())
        return [o for o in objections if o.id in chosen]


class ResolveForm(_SaidBy, Form):
    how = TextAreaField(
        "How was it resolved?",
        description="For example: “The proposal was amended: urgent referrals are still accepted.”",
        filters=[strip],
        validators=[
            DataRequired("Write down how the objection was resolved."),
            at_most(DECISION_TEXT_MAX),
        ],
    )
    member = _member_field("Resolved with", "Usually the colleague who objected.")


class AdoptForm(VersionedForm, Form):
    review_on = DateField(
        "Review on",
        description="When the team looks at this decision again; it comes back on the agenda.",
        validators=[
            InputRequired("Choose a review date: when does the team look at this again?"),
            _not_before_today,
        ],
    )


class CloseDecisionForm(Form):
    """Withdrawing or parking a proposal: why, for whoever reads the log later."""

    why = TextAreaField(
        "Why?",
        filters=[strip],
        validators=[
            DataRequired("Write down why, for whoever reads the log later."),
            at_most(DECISION_TEXT_MAX),
        ],
    )


class AnswerForm(Form):
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
        validators=[at_most(DECISION_TEXT_MAX)],
    )

    def validate_reasoning(self, field):
        if self.answer.data == "object" and not field.data:
            raise ValidationError("Write down why you object: an objection needs its reasoning.")


class DecisionRulesForm(VersionedForm, Form):
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
    members = 0

    def validate_async_quorum(self, field):
        if field.data and self.members and field.data > self.members:
            raise ValidationError(
                f"The team has {self.members} members: ask for {self.members} answers at most."
            )


class DecisionSearchForm(Form):
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
    since = DateField("From", validators=[Optional(), plausible_year])
    until = DateField("Until", validators=[Optional(), plausible_year])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("This is before the “From” date.")


class TrainingForm(PartForm):
    topic = StringField(
        "Topic",
        description="For example: “Wound care refresher” or “Using the new hoist”.",
        filters=[strip],
        validators=[DataRequired("Write the topic."), at_most(200)],
    )
    who = StringField(
        "Who",
        description="Who takes part or gives it: names, or “everyone”.",
        filters=[strip],
        validators=[at_most(200)],
    )
    planned_on = DateField("Planned for", validators=[Optional(), plausible_year])
    done_on = DateField(
        "Done on", description="Leave empty until it has happened.", validators=[Optional()]
    )
    note = TextAreaField(
        "Note",
        description="Where, who teaches it, what to bring. Optional.",
        filters=[strip],
        validators=[at_most(LEARNING_TEXT_MAX)],
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
        validators=[DataRequired("Write what you will try."), at_most(200)],
    )
    why = TextAreaField(
        "Why",
        description="What we hope it changes.",
        filters=[strip],
        validators=[DataRequired("Say why: what do you hope it changes?"), at_most(3000)],
    )
    how_we_know = TextAreaField(
        "How we’ll know",
        description="What we will look at to see whether it worked.",
        filters=[strip],
        validators=[
            DataRequired("Say how you will know whether it worked."),
            at_most(LEARNING_TEXT_MAX),
        ],
    )
    started_on = DateField(
        "Started on",
        validators=[InputRequired("Enter the day it starts."), plausible_year],
    )
    review_on = DateField("Look at it again on", validators=[Optional(), plausible_year])

    def validate_review_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError("This is before it starts.")


class ExperimentOutcomeForm(PartForm):
    what_happened = TextAreaField(
        "What happened",
        description="What you saw, in plain words: what worked here, and what did not.",
        filters=[strip],
        validators=[DataRequired("Write down what happened."), at_most(LEARNING_TEXT_MAX)],
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


MEETING_NOTES_MAX = 10000


def _meeting_day(form, field):
    """A day that is still to come, unless it is the day the record already has."""
    if field.data and field.data < local_now().date() and field.data != form.keep_day:
        raise ValidationError("This date has passed. Choose today or a later date.")


def _member_choices(members, nobody: str) -> list[SelectChoice]:
    return [SelectChoice(0, nobody)] + [SelectChoice(m.id, m.name) for m in members]


class MeetingPlanForm(VersionedForm, Form):
    held_on = DateField("Date", validators=[InputRequired("Choose the day."), _meeting_day])
    starts_at = TimeField("Starts at", description="Optional.", validators=[Optional()])
    place = StringField(
        "Place",
        description="E.g. “the team room above the pharmacy”. Optional.",
        filters=[strip],
        validators=[at_most(120)],
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


class AgendaItemForm(Form):
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
        validators=[DataRequired("Say what the team should talk about."), at_most(200)],
    )
    why = StringField(
        "Why, or what it is for",
        description="Optional. The facilitator will ask.",
        filters=[strip],
        validators=[at_most(300)],
    )


class AgendaMoveForm(Form):
    direction = RadioField(
        "Move",
        choices={"up": "Up", "down": "Down"},
        validators=[InputRequired("Choose up or down.")],
    )


class AgendaNotesForm(VersionedForm, Form):
    notes = TextAreaField(
        "What was said and agreed",
        description="In a few lines: it goes into the minutes.",
        filters=[strip],
        validators=[at_most(MEETING_NOTES_MAX)],
    )


class MeetingTaskForm(Form):
    """A task for the board, taken on by someone at the meeting (`claimed_by.choices`
    are who is here, filled by the view)."""

    title = StringField(
        "What needs doing",
        description="E.g. “Ask the GP about her blood pressure tablets”.",
        filters=[strip],
        validators=[DataRequired("Say what needs doing."), at_most(200)],
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


class ReviewDateForm(Form):
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


class FlagForm(Form):
    reason = StringField(
        "Why the team should talk about them",
        description="E.g. “She fell twice this month: do we visit often enough?”",
        filters=[strip],
        validators=[
            DataRequired("Say why, in a few words: the team reads it on the agenda."),
            at_most(300),
        ],
    )


class AttendanceForm(Form):
    present = CheckboxList("Who is here", coerce=int)
    accept_previous = BooleanField("We accept the notes of the previous meeting")

    def offer_members(self, members):
        self.present.choices = [SelectChoice(m.id, m.name) for m in members]
        return self

    def validate_present(self, field):
        if not field.data:
            raise ValidationError("Tick who is here: at least one member.")
