"""The forms of support requests: filing one, writing in its thread, the moves.

A request of a kind (teamcase.models.support.KINDS) is filed with a form of its
own: the install's categories as for any request (the one about accounts chosen
already when the install has it), what the kind needs (who, with which address,
from when; the team's name and area; or a colleague of the team, chosen from the
team's members and never typed), and an optional note. The back office acts with
the form of the kind, filled in from the request (`ActForm.for_request`).
"""

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from teamcase.dates import local_today
from teamcase.forms import (
    NOTE_MAX,
    ButtonForm,
    CheckboxList,
    Form,
    TypedDateField,
    VersionedForm,
    at_most,
    email_shape,
    strip,
)
from teamcase.models.support import (
    FOR_A_COLLEAGUE,
    KINDS,
    MAX_FILE_BYTES,
    MAX_FILES,
    NEW_COLLEAGUE,
    NEW_TEAM,
    Upload,
    category_choices,
    movers_refused,
    sniff,
)
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


# Filing a request of a kind


class KindForm(LeavesOutPeople, Form):
    """What every request of a kind has: the install's category and a note."""

    TEXT_FIELDS = ("description",)
    KIND = ""
    # The fields of the kind, in the order the page shows them.
    ASKED: tuple[str, ...] = ()

    category = SelectField(
        _l("What it is about"), validators=[DataRequired(_l("Choose what it is about."))]
    )
    description = TextAreaField(
        _l("Anything the back office should know"),
        description=_l(
            "Optional. Leave out the people in your care: the back office never sees them."
        ),
        filters=[strip],
        validators=[at_most(NOTE_MAX)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices(current_app.config["SUPPORT_CATEGORIES"])
        offered = {key for key, _label in self.category.choices}
        if not self.is_submitted() and "accounts" in offered:
            self.category.data = "accounts"

    def asked_fields(self):
        return [self[name] for name in self.ASKED]

    def asked(self) -> dict:
        """What the request asks for, as `SupportRequest.file` takes it."""
        return {}


def _starts_not_long_ago(form, field):
    if field.data and field.data < local_today() - dt.timedelta(days=31):
        raise ValidationError(_("This was more than a month ago. Check the date she starts."))


class NewColleagueAskForm(KindForm):
    KIND = NEW_COLLEAGUE
    ASKED = ("name", "email", "starts_on")

    name = StringField(
        _l("Her name"),
        description=_l("As colleagues will know her."),
        filters=[strip],
        validators=[DataRequired(_l("Enter your new colleague's name.")), at_most(120)],
    )
    email = StringField(
        _l("Her email address"),
        description=_l("She logs in with it."),
        filters=[strip],
        validators=[DataRequired(_l("Enter her email address.")), at_most(254), email_shape],
    )
    starts_on = TypedDateField(
        _l("The day she starts"),
        validators=[InputRequired(_l("Enter the day she starts.")), _starts_not_long_ago],
    )

    def asked(self) -> dict:
        return {
            "asked_name": self.name.data,
            "asked_email": self.email.data.lower(),
            "starts_on": self.starts_on.data,
        }


class ChoosesMovers:
    """A form that names who of the team's active members (`members`) go to the
    new team: at least two, and at least one stays (`movers_refused`)."""

    movers = CheckboxList(
        _l("Who goes to the new team"),
        description=_l(
            "As the team decided together: at least two colleagues, and at least one "
            "stays. When the back office makes the team they move to it: the roles they "
            "hold here end, their visits and tasks here are up for the colleagues who "
            "stay, and they no longer are the ones who know anyone here best."
        ),
        coerce=int,
        validate_choice=False,
    )

    def offer_members(self, team, members):
        self.team = team
        self.members = {m.id: m for m in members}
        self.movers.choices = [SelectChoice(m.id, m.name) for m in members]

    def validate_movers(self, field):
        refused = movers_refused(self.team, field.data or ())
        if refused:
            raise ValidationError(refused)

    def chosen(self) -> list:
        return [self.members[i] for i in dict.fromkeys(self.movers.data) if i in self.members]


class NewTeamAskForm(ChoosesMovers, KindForm):
    KIND = NEW_TEAM
    ASKED = ("name", "area", "movers")

    name = StringField(
        _l("The new team's name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the new team's name.")), at_most(120)],
    )
    area = StringField(
        _l("Its neighbourhood"),
        description=_l("Optional."),
        filters=[strip],
        validators=[at_most(120)],
    )

    def __init__(self, *args, team, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_members(team, members)

    def asked(self) -> dict:
        return {"asked_name": self.name.data, "asked_area": self.area.data, "movers": self.chosen()}


class MoversForm(ChoosesMovers, VersionedForm, Form):
    """The team says again who goes to the new team, until the back office makes it."""


class ColleagueAskForm(KindForm):
    """Deactivate, unlock or a new password: for one of the team's own members,
    chosen from them (`members`), never typed."""

    ASKED = ("colleague",)

    colleague = RadioField(
        _l("Which colleague"),
        coerce=int,
        validators=[InputRequired(_l("Choose the colleague it is about."))],
        invalid_choice_message=_l("Choose the colleague it is about: one of the team's members."),
    )

    def __init__(self, *args, kind, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.KIND = kind
        self.members = {m.id: m for m in members}
        self.colleague.choices = [SelectChoice(m.id, m.name) for m in members]

    def asked(self) -> dict:
        return {"account": self.members[self.colleague.data]}


def ask_form(kind, team, **kwargs):
    """The form for filing a request of `kind` (None: any other request)."""
    if kind == NEW_COLLEAGUE:
        return NewColleagueAskForm(**kwargs)
    if kind == NEW_TEAM:
        return NewTeamAskForm(team=team, members=list(team.active_members()), **kwargs)
    if kind in FOR_A_COLLEAGUE:
        return ColleagueAskForm(kind=kind, members=list(team.active_members()), **kwargs)
    return RequestForm(**kwargs)


def kind_choices():
    return [(key, str(label)) for key, label in KINDS.items()]


# The back office acting on one


class ActForm(Form):
    """The back office does what a request of a kind asks: nothing to type but for
    a new account (name and address, filled in from the request) or a new team
    (name and area)."""

    ASKED: tuple[str, ...] = ()

    def asked_fields(self):
        return [self[name] for name in self.ASKED]

    @staticmethod
    def for_request(found, formdata=None):
        form_class = {NEW_COLLEAGUE: MakeAccountForm, NEW_TEAM: MakeTeamForm}.get(
            found.kind, ActForm
        )
        form = form_class(formdata=formdata, prefix="act")
        if formdata is None:
            for name in form.ASKED:
                form[name].data = getattr(found, f"asked_{name}")
        return form


class MakeAccountForm(ActForm):
    ASKED = ("name", "email")

    name = StringField(
        _l("Her name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter her name.")), at_most(120)],
    )
    email = StringField(
        _l("Her email address"),
        description=_l(
            "She logs in with it. Change it if she gets an address of the organisation."
        ),
        filters=[strip],
        validators=[DataRequired(_l("Enter her email address.")), at_most(254), email_shape],
    )


class MakeTeamForm(ActForm):
    ASKED = ("name", "area")

    name = StringField(
        _l("The team's name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the team's name.")), at_most(120)],
    )
    area = StringField(
        _l("Its neighbourhood"),
        filters=[strip],
        validators=[at_most(120)],
    )
