"""Each team's change stamp, the one place that moves it on.

A page rendered once (teamcase/pagecache.py) can be shown again for as long as
nothing it shows has changed. What it shows is the team's data, so every write of
the team's data moves the team's stamp (`Team.changed`) on, in the same
transaction as the write: the database itself does it, here, for every INSERT,
UPDATE and DELETE peewee sends, whichever model verb, view, command or script
sent it. Nothing else writes the stamp.

Which team: a member's request writes her own team's data. Anything else moves
every team's stamp on: a command or script (the demo, a restore), the back office,
a login, and a write of a referral (a transfer is written by one team about
another's person).

Writes that no page shows move nothing: the audit log (the person's page writes
one row per view, by design) and the login throttle.

The stamp moves on just before the transaction commits (one UPDATE per team and
transaction), so a transaction takes the team row's lock last and holds it only
for the commit: two writers that lock the same person's row never wait on each
other the wrong way round. A write outside a transaction moves it at once.
"""

import secrets

from flask import g, has_request_context
from peewee import Delete, Insert, Update

# What no page shows: writing it moves no stamp.
UNSHOWN = {"auditevent", "audit_event", "loginthrottle", "login_throttle"}
# Rows one team writes about another team's person.
CROSS_TEAM = {"referral"}
EVERY_TEAM = "every team"


def first_stamp() -> int:
    """A new team's stamp starts anywhere, so that a team made after another was
    deleted (a restore, a test) never meets the pages cached for that one. Drawn
    from the system, never from `random`: the demo's seeded choices stay its own."""
    return 1 + secrets.randbelow(2**52)


def _writer_team():
    """The team of the member whose request this is, or EVERY_TEAM."""
    if not has_request_context():
        return EVERY_TEAM
    # Flask-Login's loaded user; never loaded here (this runs inside a write).
    user = g.get("_login_user")
    team_id = getattr(user, "team_id", None)
    if team_id is None or getattr(user, "role", None) != "member":
        return EVERY_TEAM
    return team_id


def _table_of(query):
    model = getattr(query, "model", None)
    if model is not None:
        return model._meta.table_name
    table = getattr(query, "table", None) or getattr(query, "_table", None)
    return getattr(table, "__name__", None) or getattr(table, "_path", [None])[-1]


class ChangeStamps:
    """Mixed into the app's peewee database class (teamcase/db.py)."""

    # While the schema is being migrated the stamp may not exist yet; pages are
    # not served then (the app refuses an out-of-date schema).
    migrating = False

    def execute(self, query, **context_options):
        if self.migrating or not isinstance(query, (Insert, Update, Delete)):
            return super().execute(query, **context_options)
        table = _table_of(query)
        if table in UNSHOWN:
            return super().execute(query, **context_options)
        team = EVERY_TEAM if table in CROSS_TEAM else _writer_team()
        if self.in_transaction():
            self._pending_stamps().add(team)
            return super().execute(query, **context_options)
        cursor = super().execute(query, **context_options)
        self._move_stamps({team})
        return cursor

    def _pending_stamps(self) -> set:
        pending = getattr(self._state, "pending_stamps", None)
        if pending is None:
            pending = self._state.pending_stamps = set()
        return pending

    def _move_stamps(self, teams: set) -> None:
        if EVERY_TEAM in teams:
            self.execute_sql('UPDATE "team" SET "changed" = "changed" + 1')
            return
        # One order for every writer, so that two never wait on each other.
        for team_id in sorted(teams):
            self.execute_sql(
                f'UPDATE "team" SET "changed" = "changed" + 1 WHERE "id" = {self.param}',
                (team_id,),
            )

    def commit(self):
        pending = getattr(self._state, "pending_stamps", None)
        if pending:
            teams = set(pending)
            pending.clear()
            self._move_stamps(teams)
        return super().commit()

    def rollback(self):
        pending = getattr(self._state, "pending_stamps", None)
        if pending:
            pending.clear()
        return super().rollback()
