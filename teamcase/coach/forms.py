"""The forms of the threads between a team and its coach."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from teamcase.forms import NOTE_MAX, ButtonForm, Form, at_most, strip
from teamcase.models import CoachThread
from teamcase.support.forms import LeavesOutPeople


class ToTheCoach(LeavesOutPeople):
    """What a member writes to the coach: checked like a support request, because
    the coach never sees the names of the people in the team's care."""

    NAMES_SOMEONE = _l(
        "This names someone in the team's care (%(found)s). Our coach never sees "
        "the people in our care: write it without them."
    )


class _ChoosesCoach:
    def offer_coaches(self, coaches):
        self.coach.choices = [SelectChoice(c.id, c.name) for c in coaches]
        if not self.coach.data and coaches:
            self.coach.data = coaches[0].id
        return self


def _coach_field():
    return SelectField(
        _l("To which coach"),
        coerce=int,
        validators=[InputRequired(_l("Choose one of our coaches."))],
        invalid_choice_message=_l("Choose one of our coaches."),
    )


class AskCoachForm(_ChoosesCoach, ToTheCoach, Form):
    TEXT_FIELDS = ("subject", "text")

    kind = RadioField(
        _l("What we would like from our coach"),
        choices=[SelectChoice(k, CoachThread.KINDS[k]) for k in CoachThread.ASKED],
        default=CoachThread.QUESTION,
        validators=[InputRequired(_l("Choose what the team would like from her."))],
    )
    coach = _coach_field()
    subject = StringField(
        _l("In a few words"),
        description=_l("E.g. “How do other teams plan the weekend shifts?”"),
        filters=[strip],
        validators=[DataRequired(_l("Write in a few words what the team asks.")), at_most(200)],
    )
    text = TextAreaField(
        _l("What we ask"),
        description=_l("Leave out the people in our care: our coach never sees them."),
        filters=[strip],
        validators=[DataRequired(_l("Write what the team asks.")), at_most(NOTE_MAX)],
    )


class WriteForm(ToTheCoach, Form):
    """A member writes in the thread."""

    TEXT_FIELDS = ("text",)

    text = TextAreaField(
        _l("Your answer"),
        description=_l("Leave out the people in our care: our coach never sees them."),
        filters=[strip],
        validators=[DataRequired(_l("Write your answer first.")), at_most(NOTE_MAX)],
    )


class InviteToMeetingForm(_ChoosesCoach, ToTheCoach, Form):
    TEXT_FIELDS = ("text",)

    coach = _coach_field()
    text = TextAreaField(
        _l("What we would like from her at this meeting"),
        description=_l("Optional. Leave out the people in our care: our coach never sees them."),
        filters=[strip],
        validators=[at_most(NOTE_MAX)],
    )


class AnswerForm(Form):
    """The coach answers, and may point the team to another of her teams."""

    text = TextAreaField(
        _l("Your answer"),
        filters=[strip],
        validators=[DataRequired(_l("Write your answer first.")), at_most(NOTE_MAX)],
    )
    points_to = SelectField(
        _l("Point the team to another of your teams"),
        description=_l(
            "Optional: a team that tried the same. The team sees only its name; "
            "nothing of that team's data goes with it."
        ),
        coerce=int,
        default=0,
        invalid_choice_message=_l("Choose one of your other teams."),
    )

    def offer_teams(self, teams):
        self.points_to.choices = [SelectChoice(0, _("No other team"))] + [
            SelectChoice(t.id, t.name) for t in teams
        ]
        return self


class ReplyForm(Form):
    """The coach's answer to an invitation to a meeting."""

    coming = RadioField(
        _l("Will you come?"),
        choices=[
            SelectChoice("yes", _l("Yes, I will come")),
            SelectChoice("no", _l("No, I cannot come")),
        ],
        validators=[InputRequired(_l("Say whether you will come."))],
    )
    text = TextAreaField(
        _l("A word to the team"),
        description=_l("Optional."),
        filters=[strip],
        validators=[at_most(NOTE_MAX)],
    )

    def validate_coming(self, field):
        if field.data not in ("yes", "no"):
            raise ValidationError(_("Say whether you will come."))


class MoveForm(ButtonForm):
    """Close the thread, or close her side of it: nothing to type."""
