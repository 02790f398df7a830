"""The forms of How we are doing."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from teamcase.forms import Form, at_most, strip


class CauseForm(Form):
    """Rename a failure demand cause, or merge it into another by giving it that
    one's name. The choices (the team's causes) are filled where the form is built."""

    words = SelectField(
        _l("Cause"),
        invalid_choice_message=_l("Choose one of our causes."),
        validators=[DataRequired(_l("Choose one of our causes."))],
    )
    counted_as = StringField(
        _l("Count it as"),
        description=_l("A new name, or the name of another cause to merge them."),
        filters=[strip],
        validators=[DataRequired(_l("Write the name to count it as.")), at_most(200)],
    )

    def offer(self, causes):
        self.words.choices = [("", _l("Choose a cause"))] + [(c, c) for c in causes if c]
