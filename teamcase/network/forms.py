"""The forms of the network, the team's local resources and connecting neighbours."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from teamcase.forms import Form, PartForm, at_most, labelled, strip
from teamcase.models import (
    LocalResource,
    NetworkMember,
)

RESOURCE_NOTES_MAX = 2000


class NetworkForm(PartForm):
    name = StringField(
        _l("Name"),
        description=_l("A person, or an organisation such as the GP practice."),
        filters=[strip],
        validators=[DataRequired(_l("Enter a name.")), Length(max=120)],
    )
    relation = SelectField(
        _l("Relation"), choices=labelled(NetworkMember.RELATIONS), validators=[InputRequired()]
    )
    tie = RadioField(
        _l("How strong is the tie"),
        choices=labelled(NetworkMember.TIES),
        default="moderate",
        validators=[InputRequired(_l("Choose how strong the tie is."))],
    )
    does_now = StringField(_l("What they do now"), filters=[strip], validators=[Length(max=300)])
    could_do = StringField(_l("What they could do"), filters=[strip], validators=[Length(max=300)])
    frequency = StringField(
        _l("How often in touch"),
        description=_l("E.g. “twice a week”."),
        filters=[strip],
        validators=[Length(max=80)],
    )
    reach = StringField(
        _l("How to reach them"),
        description=_l("Phone or email. Optional."),
        filters=[strip],
        validators=[Length(max=200)],
    )
    resource = SelectField(
        _l("Local resource"), coerce=int, description=_l("Link to the team's directory. Optional.")
    )
    on_profile = BooleanField(_l("They agreed this may appear on their printed profile"))

    def values(self) -> dict:
        data = super().values()
        data["resource"] = data["resource"] or None
        return data


class ResourceForm(PartForm):
    """One entry of the team's directory; the CSV import checks every row with it too.

    `taken_names` (casefolded) is filled by the view: names already in the
    directory, so that "Apotheek Oost" and "apotheek oost" are one place.
    """

    name = StringField(
        _l("Name"),
        description=_l("E.g. “Huisartsenpraktijk Oost” or “Buurtkamer De Linde”."),
        filters=[strip],
        validators=[DataRequired(_l("Enter a name.")), at_most(120)],
    )
    kind = SelectField(
        _l("Kind"),
        choices=labelled(LocalResource.KINDS),
        default="other",
        # AnyOf instead of the built-in choice check, for a message that says what to do.
        validate_choice=False,
        validators=[AnyOf(list(LocalResource.KINDS), message=_l("Choose one of the kinds."))],
    )
    address = StringField(_l("Address"), filters=[strip], validators=[at_most(200)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[at_most(40)])
    opening_hours = StringField(
        _l("Opening hours"),
        description=_l("E.g. “Mon–Fri 8:00–17:00, walk-in until 10:00”."),
        filters=[strip],
        validators=[at_most(200)],
    )
    notes = TextAreaField(
        _l("Notes"),
        description=_l("What colleagues should know: who to ask for, how to refer. Optional."),
        filters=[strip],
        validators=[at_most(RESOURCE_NOTES_MAX)],
    )

    taken_names: frozenset = frozenset()

    def validate_name(self, field):
        if field.data and field.data.casefold() in self.taken_names:
            raise ValidationError(
                _(
                    "“%(name)s” is already in the directory. "
                    "Choose another name, or change the entry that is there.",
                    name=field.data,
                )
            )


class ResourceImportForm(Form):
    file = FileField(
        _l("CSV file"),
        description=_l("Saved as “CSV UTF-8”, with the column names in the first row."),
        validators=[
            FileRequired(_l("Choose a CSV file to import.")),
            FileAllowed(["csv", "txt"], _l("Choose a file that ends in .csv.")),
        ],
    )


def _id(value):
    """A posted id, or None: a bad value is the form's error, not a crash."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ConnectionForm(Form):
    goal = SelectField(
        _l("Whose need"),
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired(_l("Choose the need this offer meets."))],
    )
    offer = SelectField(
        _l("The offer"),
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired(_l("Choose an offer."))],
    )
    agreed = BooleanField(
        _l("Both agreed to be put in touch"),
        validators=[DataRequired(_l("Ask them both first, and tick this once both agreed."))],
    )
    note = StringField(
        _l("Note"),
        description=_l("Optional. E.g. who rings whom first, and when."),
        filters=[strip],
        validators=[Length(max=300)],
    )

    def fill(self, offers, needs):
        """Choices from the team's offers and needs; the chosen ones, if any, are
        `chosen_offer` and `chosen_need`."""
        self._offers = {o.id: o for o in offers}
        self._needs = {g.id: g for g in needs}
        need = self.chosen_need
        self.goal.choices = [("", _("Choose a need…"))] + [
            (g.id, f"{g.client.display_name}: {g.help_wanted} (“{g.words}”)") for g in needs
        ]
        self.offer.choices = [("", _("Choose an offer…"))] + [
            (o.id, f"{o.client.display_name}: {o.text}" + (f" ({o.when})" if o.when else ""))
            for o in offers
            if need is None or o.client_id != need.client_id
        ]
        return self

    @property
    def chosen_offer(self):
        return self._offers.get(self.offer.data)

    @property
    def chosen_need(self):
        return self._needs.get(self.goal.data)

    def validate_goal(self, field):
        if self.chosen_need is None:
            raise ValidationError(
                _("That need is not on your team's list (any more). Choose one from the list.")
            )

    def validate_offer(self, field):
        if self.chosen_offer is None:
            raise ValidationError(
                _("That offer is not on your team's list (any more). Choose one from the list.")
            )
        need = self.chosen_need
        if need is not None and need.client_id == self.chosen_offer.client_id:
            raise ValidationError(_("This is their own offer. Choose someone else's."))
