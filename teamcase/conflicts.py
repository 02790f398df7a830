"""The conflict protocol, as the person whose save came too late meets it.

Two people editing one record at once never overwrite each other silently: the
record saves only over the version its form was read at (teamcase.models.versioned,
teamcase.forms.VersionedForm), and a save from an older version is refused. The
page then answers 409 with a `Conflict`: who saved in between and when, what is
saved now where it differs from what was typed (by the form's labels), above the
form as it was typed. The form now carries the newer version, so that saving again
is a deliberate choice over theirs. Every page shows it with the one macro in
templates/_conflict.html.
"""

import dataclasses
import datetime as dt

from flask_babel import gettext as _
from flask_login import current_user
from peewee import Model

from teamcase.dates import day_text, format_when
from teamcase.web import render


@dataclasses.dataclass
class Conflict:
    # Who saved in between: their name, "You" (in another window) or "A colleague".
    by: str
    # What they did: "saved changes to this offer", "closed this case".
    did: str
    # When (UTC), when the audit log knows.
    at: dt.datetime | None
    # (label, what is saved now) for each typed value that differs from it.
    changes: list[tuple[str, str]]
    # The record as it is saved now.
    saved: object = None
    # The audit action of the save in between ("update", "close"), if on record.
    action: str | None = None
    # The whole sentence in the reader's language: who did what, and when
    # ("Bram Bos saved changes to this offer today 10:42").
    said: str = ""


def status(form, conflict) -> int:
    """The status of a form page: 409 after a conflict, 400 with input to fix."""
    if conflict:
        return 409
    return 400 if form.errors else 200


def page(template: str, form, conflict: "Conflict | None", block=None, **context):
    """An edit page (or its htmx `block`): the form as it was typed, with the
    conflict above it when there is one."""
    return render(
        template,
        block=block,
        status=status(form, conflict),
        form=form,
        conflict=conflict,
        **context,
    )


def conflict(record, form, what: str, typed: dict | None = None) -> Conflict:
    """The conflict after `record` refused the save of `form`, which wanted to save
    `typed` (by default what the form holds). `what` says what a save changes, as
    in "Anna saved <changes to this offer>". Reads the record again and moves the
    form's version on to it."""
    fresh = type(record).get_by_id(record.id)
    form.version.data = fresh.version
    event = fresh.last_saved()
    if event is not None and event.action != "update" and event.action in fresh.DID:
        did, saved = str(fresh.DID[event.action]), None
    else:
        did, saved = f"saved {what}", what
    return describe(
        form,
        fresh.conflict_values(),
        did,
        what=saved,
        by=event.actor if event else None,
        at=event.at if event else None,
        action=event.action if event else None,
        typed=typed,
        record=fresh,
    )


def describe(
    form, saved: dict, did: str, *, by, at, action=None, typed=None, record=None, what=None
):
    """The conflict between what `form` typed and what is `saved` (by field name),
    which `by` (a user; None when nobody is on record) saved at `at`. For records
    kept another way than a version column, such as about me's versions. `what`
    names what a save changed ("changes to this offer"); without it `did` says
    what they did ("closed this case")."""
    if typed is None:
        typed = {f.short_name: f.data for f in form if f.short_name not in _NOT_TYPED}
    changes = [
        (form[name].label.text, _shown(form[name], saved[name]))
        for name, value in typed.items()
        if name in saved and name in form and _plain(value) != _plain(saved[name])
    ]
    you = by is not None and by.id == getattr(current_user, "id", None)
    said = _said(by, you, what, did, at, getattr(record, "SAID", {}).get(action))
    if by is None:
        name = _("A colleague")
    elif you:
        name, did = _("You"), f"{did} in another window"
    else:
        name = by.name
    return Conflict(
        by=name, did=did, at=at, changes=changes, saved=record, action=action, said=said
    )


def _said(by, you: bool, what, did, at, sentences=None) -> str:
    """Who did what and when, as one whole sentence in the reader's language.
    `sentences`: the record's (named, you) sentences for what was done (its SAID,
    by the audit action); a save is said with `what` it changed."""
    return _sentence(by, you, what, did, format_when(at) if at else "", sentences).strip()


def _sentence(by, you: bool, what, did, when: str, sentences=None) -> str:
    if what is None and sentences and by is not None:
        named, in_another_window = sentences
        if you:
            return str(in_another_window) % {"when": when}
        return str(named) % {"name": by.name, "when": when}
    if what is None:
        # Nobody on record, or an action without its sentences: said as a change.
        if by is None:
            return _("A colleague changed this")
        if you:
            return _("You changed this in another window %(when)s", when=when)
        return _("%(name)s changed this %(when)s", name=by.name, when=when)
    what = _translated(what)
    if by is None:
        return _("A colleague saved %(what)s", what=what)
    if you:
        return _("You saved %(what)s in another window %(when)s", what=what, when=when)
    return _("%(name)s saved %(what)s %(when)s", name=by.name, what=what, when=when)


def _translated(text) -> str:
    # Not a literal: extraction finds the strings where they are written.
    translate = _
    return translate(str(text)).strip()


_NOT_TYPED = {"csrf_token", "version"}


def _plain(value):
    """A value as compared: no value is one value, whatever its type; a record is
    its id; a choice of several is the same in any order."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, Model):
        return value.id
    if isinstance(value, list | tuple):
        return sorted(_plain(v) for v in value)
    return value


def _shown(field, value) -> str:
    """A saved value as the form's field would offer it: a choice by its label."""
    if _plain(value) is None:
        return _("(empty)")
    if isinstance(value, Model):
        value = value.id
    if getattr(field, "choices", None):
        labels = {str(choice.value): choice.label for choice in field.iter_choices()}
        values = value if isinstance(value, list | tuple) else [value]
        # Labels may be lazy (translated when shown): join them as text.
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return format_when(value)
    if isinstance(value, dt.date):
        return day_text(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)
