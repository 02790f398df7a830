"""The forms of support requests: filing one, writing in its thread, the moves."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Optional

from teamcase.dates import local_today
from teamcase.forms import NOTE_MAX, ButtonForm, Form, TypedDateField, at_most, strip
from teamcase.models.support import MAX_FILE_BYTES, MAX_FILES, Upload, category_choices, sniff
from teamcase.privacy import names_in_care


def _not_past(form, field):
    if field.data and field.data < local_today():
        raise ValidationError(_("This day has passed. Leave it empty if there is no date."))


class WithFiles:
    """A form that may carry files: PDF, PNG or JPEG, each up to 5 MB, their kind
    read from what they hold, not from their name. `uploads` are the files read."""

    attachments = MultipleFileField(
        _l("Attach files"),
        description=_l("PDF, PNG or JPEG, at most 5 MB each and 4 at a time. Optional."),
        render_kw={"accept": "application/pdf,image/png,image/jpeg"},
    )

    def validate_attachments(self, field):
        self.uploads = []
        sent = [f for f in field.data or () if getattr(f, "filename", "")]
        if len(sent) > MAX_FILES:
            raise ValidationError(_("Send at most %(num)d files at a time.", num=MAX_FILES))
        for storage in sent:
            try:
                data = storage.read(MAX_FILE_BYTES + 1)
            finally:
                storage.close()
            if len(data) > MAX_FILE_BYTES:
                raise ValidationError(
                    _("“%(name)s” is larger than 5 MB. Send a smaller file.", name=storage.filename)
                )
            kind = sniff(data)
            if kind is None:
                raise ValidationError(
                    _(
                        "“%(name)s” is not a PDF, PNG or JPEG file. Save it as one of those "
                        "and send it again.",
                        name=storage.filename,
                    )
                )
            self.uploads.append(Upload(storage.filename, kind, data))

    def file_names(self) -> str:
        return " ".join(upload.filename for upload in getattr(self, "uploads", ()))


class LeavesOutPeople:
    """A form whose text leaves the team (to the back office, or to the coach):
    before it is sent, each of its `TEXT_FIELDS` is checked for someone in the
    team's care (teamcase.privacy), and a text that names one is sent back with a
    message next to it (`NAMES_SOMEONE`, saying who never sees them), as typed."""

    TEXT_FIELDS: tuple[str, ...] = ()
    NAMES_SOMEONE = _l(
        "This names someone in the team's care (%(found)s). The back office "
        "never sees client data: write it without them."
    )

    def leaves_out_people(self, team) -> bool:
        clean = True
        fields = list(self.TEXT_FIELDS) + (["attachments"] if isinstance(self, WithFiles) else [])
        for name in fields:
            field = self[name]
            text = self.file_names() if name == "attachments" else field.data
            found = names_in_care(team, text)
            if found:
                field.errors = [
                    *field.errors,
                    str(self.NAMES_SOMEONE) % {"found": ", ".join(f"“{f}”" for f in found)},
                ]
                clean = False
        return clean


class RequestForm(LeavesOutPeople, WithFiles, Form):
    TEXT_FIELDS = ("subject", "description")

    category = SelectField(
        _l("What it is about"), validators=[DataRequired(_l("Choose what it is about."))]
    )
    subject = StringField(
        _l("In a few words"),
        description=_l("E.g. “A new tablet for Anna” or “The lease car's winter tyres”."),
        filters=[strip],
        validators=[DataRequired(_l("Write in a few words what the team needs.")), at_most(200)],
    )
    description = TextAreaField(
        _l("What the team needs"),
        description=_l("Leave out the people in your care: the back office never sees them."),
        filters=[strip],
        validators=[DataRequired(_l("Write what the team needs.")), at_most(NOTE_MAX)],
    )
    needed_by = TypedDateField(
        _l("Needed by"),
        validators=[Optional(), _not_past],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices(current_app.config["SUPPORT_CATEGORIES"])


class MessageForm(LeavesOutPeople, WithFiles, Form):
    """The team writes in the thread."""

    TEXT_FIELDS = ("text",)

    text = TextAreaField(
        _l("Your answer"),
        filters=[strip],
        validators=[DataRequired(_l("Write your answer first.")), at_most(NOTE_MAX)],
    )


class ReopenForm(LeavesOutPeople, Form):
    TEXT_FIELDS = ("text",)

    text = TextAreaField(
        _l("What is not done yet"),
        filters=[strip],
        validators=[DataRequired(_l("Write what is not done yet.")), at_most(NOTE_MAX)],
    )


class AskForm(WithFiles, Form):
    """The back office asks the team a question."""

    text = TextAreaField(
        _l("Your question to the team"),
        filters=[strip],
        validators=[DataRequired(_l("Write your question first.")), at_most(NOTE_MAX)],
    )


class DoneForm(WithFiles, Form):
    text = TextAreaField(
        _l("What was done"),
        description=_l("Optional: the team reads it when it confirms."),
        filters=[strip],
        validators=[at_most(NOTE_MAX)],
    )


class MoveForm(ButtonForm):
    """Take it on, or confirm it is done: nothing to type."""
