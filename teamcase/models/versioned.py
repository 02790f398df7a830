"""Optimistic locking: a record saves only over the version that was read.

Two people editing the same record at once must never overwrite each other
silently. A versioned record has a `version` column; a form carries the version
it was read at (teamcase.forms.VersionedForm), and a save goes through
`save_if_current`, which the database decides: of two saves from one version,
exactly one changes the row. The other gets False, and the person is told who
saved in between and when (`last_saved`, teamcase.conflicts).
"""

from teamcase.models.audit import AuditEvent

# The `version` column is a signed 32-bit integer; a number beyond it is no
# version a record can have, and must not reach the database (SQLite refuses
# integers beyond 64 bits with an OverflowError).
VERSION_MAX = 2**31 - 1

# What a missing or garbled version reads as: a version no record is at.
STALE = -1


def is_version(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= VERSION_MAX


class Versioned:
    """A model with `version = IntegerField(default=1)` and an audit name `ENTITY`."""

    ENTITY = ""
    # The audited actions that move `version` on: the newest of them names who
    # saved last. None: every action on the record.
    SAVES: tuple[str, ...] | None = ("update",)
    # What an action other than a plain save did, as a conflict message says it
    # ("closed this case"); a save is said by the page ("saved changes to this offer").
    DID: dict[str, str] = {}

    def is_at(self, version):
        """The condition "the row is still at `version`". A number that is no
        version (garbage from a form, beyond the column) matches no row."""
        model = type(self)
        return model.version == (version if is_version(version) else STALE)

    def save_if_current(self, version, *conditions, **fields) -> bool:
        """UPDATE … SET fields, version = version + 1 WHERE id = ? AND version = ?
        (and `conditions`); True when it saved. Audit and refresh are the caller's:
        they differ per record."""
        return self.save_where(self.is_at(version), *conditions, **fields)

    def save_where(self, *conditions, **fields) -> bool:
        """Save `fields` and move the version on, only while `conditions` hold (a
        status, who has it): the database decides, so of two at once one saves."""
        model = type(self)
        saved = (
            model.update(version=model.version + 1, **fields)
            .where(model.id == self.id, *conditions)
            .execute()
        )
        return bool(saved)

    def last_saved(self):
        """The newest audit event that moved this record's version on, with its
        actor; None when nobody is on record."""
        return AuditEvent.last_change(self.ENTITY, self.id, self.SAVES)

    def conflict_values(self) -> dict:
        """What is saved now, by field name, as a form would carry it (foreign keys
        as ids): compared with what was typed when a save comes too late."""
        return dict(self.__data__)
