"""The forms of signing in and of one's own password."""

from wtforms import (
    PasswordField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length

from teamcase.auth.passwords import MIN_LENGTH
from teamcase.forms import Form, strip


class LoginForm(Form):
    email = StringField(
        "Email", filters=[strip], validators=[DataRequired("Enter your email."), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=200)]
    )


class PasswordChangeForm(Form):
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
