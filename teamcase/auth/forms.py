"""The forms of signing in and of one's own password."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    PasswordField,
    RadioField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from teamcase.auth.passwords import MIN_LENGTH
from teamcase.forms import Form, strip
from teamcase.i18n import LANGUAGE_NAMES


class LoginForm(Form):
    email = StringField(
        _l("Email"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your email.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )


class PasswordChangeForm(Form):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(num)d characters. A few words you remember work well.", num=MIN_LENGTH
        ),
        validators=[
            DataRequired(_l("Choose a new password.")),
            Length(
                min=MIN_LENGTH,
                max=200,
                message=_l("Use at least %(num)d characters.", num=MIN_LENGTH),
            ),
        ],
    )
    repeat = PasswordField(
        _l("New password again"), validators=[DataRequired(_l("Type the new password again."))]
    )

    def validate_repeat(self, field):
        if field.data != self.new.data:
            raise ValidationError(_l("The two new passwords are not the same."))


class LanguageForm(Form):
    # Each language is named in itself, so that she finds her own whatever she reads now.
    language = RadioField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[DataRequired(_l("Choose a language."))],
    )
    next = HiddenField()
