"""Teams and the accounts of the people who use teamcase: members, coaches and
back office; the coach's links; the roles a team rotates; invitations to join;
the login throttle shared by every worker.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from peewee import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    fn,
)

from teamcase.changes import first_stamp
from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models.audit import AuditEvent, latest_team_event
from teamcase.models.base import BaseModel, locked_row, utcnow
from teamcase.models.versioned import Versioned


class Team(Versioned, BaseModel):
    # The audit name of the team's own record: its details and decision rules.
    ENTITY = "team"

    name = CharField(max_length=120, unique=True)
    area = CharField(max_length=120, default="")
    # How many people the team itself says it can care for well.
    capacity = IntegerField(default=60)
    # The letterhead of letters that leave the team (closing, transfer).
    street = CharField(max_length=120, default="")
    postcode = CharField(max_length=12, default="")
    city = CharField(max_length=80, default="")
    phone = CharField(max_length=40, default="")
    email = CharField(max_length=254, default="")
    # Decisions between meetings: how many days members have to answer, and how
    # many must take part for a proposal nobody objected to to be adopted.
    async_days = IntegerField(default=3)
    async_quorum = IntegerField(default=5)
    # Measures a team chooses to keep: who does what in people's lives, and the
    # Omaha System's problems with their ratings (teamcase/models/omaha.py).
    uses_self_reliance = BooleanField(default=False)
    # The codes of the weekly measures (teamcase/measures/weekly.py) the team
    # shares with its coach, comma-separated; none until the team chooses.
    coach_measures = CharField(max_length=200, default="")
    uses_omaha = BooleanField(default=False)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    # Moved on by every write of the team's data (teamcase/changes.py), never by hand:
    # what a page rendered once is keyed by (teamcase/pagecache.py).
    changed = BigIntegerField(default=first_stamp)

    def active_members(self):
        return (
            User.select()
            .where(User.team == self, User.role == User.MEMBER, User.active == True)  # noqa: E712
            .order_by(User.name)
        )

    # The team's own details, which any member may change (DESIGN.md rule 3).
    DETAIL_FIELDS = (
        "name",
        "area",
        "street",
        "postcode",
        "city",
        "phone",
        "email",
        "capacity",
        "uses_self_reliance",
        "coach_measures",
        "uses_omaha",
    )
    # How many of its measures a team shares with its coach at most: a few to
    # follow together, not a dashboard.
    COACH_MEASURES_AT_MOST = 3

    @property
    def shared_measures(self) -> list[str]:
        """The codes of the measures the team shares with its coach, as chosen."""
        return [code for code in (self.coach_measures or "").split(",") if code]

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.DETAIL_FIELDS}

    def update_details(self, by, version: int, **details) -> bool:
        """Save the team's details unless someone saved since `version` was read.

        Returns False (and changes nothing) on a conflict; raises IntegrityError
        when the new name is another team's.
        """
        before = self.snapshot()
        with db.atomic():
            if not self.save_if_current(version, **details):
                return False
            fresh = Team.get_by_id(self.id)
            AuditEvent.record(
                by,
                None,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=fresh.snapshot(),
                team=self,
            )
        self.__data__ = fresh.__data__
        return True

    def members_and_former(self):
        """Every member, active ones first, each with `knows_best`: how many of the
        team's active people they know best (one query)."""
        from teamcase.models.clients import Client, KnownBest

        knows_best = (
            KnownBest.select(fn.COUNT(KnownBest.id))
            .join(Client)
            .where(KnownBest.member == User.id, Client.status == Client.ACTIVE)
        )
        return (
            User.select(User, knows_best.alias("knows_best"))
            .where(User.team == self, User.role == User.MEMBER)
            .order_by(User.active.desc(), User.name, User.id)
        )

    def active_count(self) -> int:
        from teamcase.models.clients import Client

        return Client.select().where(Client.team == self, Client.status == Client.ACTIVE).count()


class TeamChangeRefused(Exception):
    """A change to the team's members or roles that a team rule, or a colleague who
    got there first, does not allow. The message says which, naming who."""


class EmailInUse(Exception):
    """The address already belongs to an account, or to an open invitation."""


class User(UserMixin, BaseModel):
    MEMBER = "member"
    COACH = "coach"
    BACKOFFICE = "backoffice"
    ROLES = {MEMBER: _l("team member"), COACH: _l("coach"), BACKOFFICE: _l("back office")}

    email = CharField(max_length=254, unique=True)
    name = CharField(max_length=120)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, default=MEMBER)
    team = ForeignKeyField(Team, null=True, backref="users", on_delete="RESTRICT")
    active = BooleanField(default=True)
    # A first password given by a colleague is only good for choosing one's own.
    must_change_password = BooleanField(default=False)
    # Each session carries the generation it began in and holds only while it is
    # current, so raising it ends every session of the account on every server
    # (they share nothing but the database): logging out, a new password, leaving.
    session_generation = IntegerField(default=1)
    # "nl" or "en"; empty until the account chooses (teamcase/i18n.py).
    language = CharField(max_length=5, default="")
    created_at = DateTimeField(default=utcnow)

    @property
    def is_active(self):
        return self.active

    @property
    def is_member(self):
        return self.role == self.MEMBER

    @property
    def is_coach(self):
        return self.role == self.COACH

    @property
    def is_backoffice(self):
        return self.role == self.BACKOFFICE

    def choose_language(self, language: str) -> None:
        self.language = language
        self.save(only=[User.language])

    @property
    def first_name(self):
        return self.name.split()[0] if self.name else self.email

    @classmethod
    def by_email(cls, email: str):
        return cls.get_or_none(cls.email == normalise_email(email))

    def set_password(self, password: str) -> None:
        from teamcase.auth.passwords import hasher

        self.password_hash = hasher.hash(password)

    def linked_teams(self):
        return Team.select().join(CoachLink).where(CoachLink.coach == self).order_by(Team.name)

    @classmethod
    def coach_accounts(cls):
        """The install's coaches a team may invite, by name."""
        return cls.select().where(cls.role == cls.COACH, cls.active == True).order_by(cls.name)  # noqa: E712

    @classmethod
    def coaches_of(cls, team):
        """The coaches the team has invited (linked now), by name."""
        return (
            cls.select()
            .join(CoachLink, on=(CoachLink.coach == cls.id))
            .where(CoachLink.team == team)
            .order_by(cls.name)
        )

    def choose_password(self, password: str) -> None:
        """Her own password: a first password from a colleague no longer holds her up,
        and every session begun with the old one ends."""
        self.set_password(password)  # slow: outside the transaction
        self.must_change_password = False
        with db.atomic():
            User.update(
                password_hash=self.password_hash,
                must_change_password=False,
                session_generation=User.session_generation + 1,
            ).where(User.id == self.id).execute()
            self.session_generation = self._current_generation()

    def end_sessions(self) -> None:
        """End every session of this account, on every device and server."""
        with db.atomic():
            User.update(session_generation=User.session_generation + 1).where(
                User.id == self.id
            ).execute()
            self.session_generation = self._current_generation()

    def _current_generation(self) -> int:
        # Read back inside the transaction that raised it: a logout on another
        # tablet at the same moment raises it too, and only the stored value counts.
        return User.select(User.session_generation).where(User.id == self.id).scalar()

    @classmethod
    def add_colleague(cls, team, by, name: str, email: str, first_password: str):
        """A new member of `by`'s team with a first password, which she must replace
        with her own at her first login. Raises EmailInUse for a taken address."""
        from teamcase.auth.passwords import hasher

        password_hash = hasher.hash(first_password)  # slow: outside the transaction
        return cls._new_member(by, team, name, email, password_hash, "create", team=team)

    @classmethod
    def make_account(cls, by, name: str, email: str, password_hash: str, *, for_team, starts_on):
        """An account the back office makes when `for_team` asks for a new colleague.
        She belongs to no team until the team adds her (`join_team`): until then she
        cannot log in. Raises EmailInUse for a taken address."""
        starts = {"starts_on": starts_on.isoformat() if starts_on else None}
        return cls._new_member(
            by, None, name, email, password_hash, "account", team=for_team, **starts
        )

    @classmethod
    def _new_member(cls, by, member_of, name, email, password_hash, action, *, team, **noted):
        """A member's account with a first password she must change, in `member_of`
        (None: no team yet), written in `team`'s log as `action`."""
        try:
            with db.atomic():
                member = cls.create(
                    team=member_of,
                    name=name,
                    email=normalise_email(email),
                    role=cls.MEMBER,
                    password_hash=password_hash,
                    must_change_password=True,
                )
                after = {"name": member.name, "email": member.email, **noted}
                AuditEvent.record(
                    by,
                    None,
                    action,
                    "member",
                    member.id,
                    after={**after, "how": "first password"},
                    team=team,
                )
        except IntegrityError:
            raise EmailInUse(
                _("There is already an account for %(email)s.", email=normalise_email(email))
            ) from None
        return member

    @property
    def waiting_for_a_team(self) -> bool:
        """A member's account the back office made that no team has added yet."""
        return self.is_member and self.team_id is None

    def join_team(self, team, by) -> None:
        """The team adds the colleague whose account the back office made for it.
        Raises TeamChangeRefused when a colleague added her first."""
        with db.atomic():
            rows = (
                User.update(team=team)
                .where(User.id == self.id, User.team.is_null(), User.role == User.MEMBER)
                .execute()
            )
            if not rows:
                done = latest_team_event(team.id, "member", self.id, ("add",))
                if done:
                    raise TeamChangeRefused(
                        _("%(by)s already added %(name)s.", by=done.actor.name, name=self.name)
                    )
                raise TeamChangeRefused(_("%(name)s is in a team already.", name=self.name))
            AuditEvent.record(
                by,
                None,
                "add",
                "member",
                self.id,
                after={"name": self.name, "email": self.email},
                team=team,
            )
        self.team = team

    def give_first_password(self, by, password_hash: str) -> None:
        """A forgotten password: a new first password, which she must replace at her
        next login; every session of the old one ends, and a lock from failed tries
        is lifted."""
        with db.atomic():
            User.update(
                password_hash=password_hash,
                must_change_password=True,
                session_generation=User.session_generation + 1,
            ).where(User.id == self.id).execute()
            LoginThrottle.forgive(self.email)
            AuditEvent.record(
                by, None, "reset", "member", self.id, after={"name": self.name}, team=self.team_id
            )
        self.password_hash, self.must_change_password = password_hash, True

    def unlock(self, by) -> bool:
        """Lift the lock failed logins put on the account. Returns whether it was locked."""
        with db.atomic():
            was_locked = LoginThrottle.forgive(self.email)
            AuditEvent.record(
                by,
                None,
                "unlock",
                "member",
                self.id,
                after={"name": self.name, "was_locked": was_locked},
                team=self.team_id,
            )
        return was_locked

    def deactivate(self, by, today: dt.date, note: str = "") -> None:
        """She left the team: she can no longer log in, the roles she held end today,
        and her name stays on everything she did.

        Raises TeamChangeRefused for the team's last active member, or when a
        colleague deactivated her first (see `_leave`).
        """
        with db.atomic():
            self._leave(by, today, "deactivate", note=note)
            # Her sessions end now, and stay ended should she come back.
            User.update(active=False, session_generation=User.session_generation + 1).where(
                User.id == self.id
            ).execute()
        self.active = False

    def move_to(self, team, by, today: dt.date) -> dict:
        """She goes to `team`, as her team decided when it split: she leaves her team
        as a colleague leaves it (`_leave`: never its last active member, the roles
        she held end today, her name stays on what she did there) and stays active,
        so the work she had there is let go of for her colleagues there to pick up:
        her planned visits are up for a colleague to take, the tasks she claimed are
        up for anyone, one she was asked to do is declined, and she no longer knows
        anyone there best. Her sessions stay: her next page is the new team's.

        Returns what was let go of, as the old team's log says it. Both teams' logs
        say she moved."""
        from teamcase.models.board import Task
        from teamcase.models.clients import Client, KnownBest
        from teamcase.models.plan import PlannedVisit

        old = self.team_id
        with db.atomic():
            # Locked first, as leaving locks it: a colleague's change of the team's
            # members waits for this one.
            locked_row(Team, old)
            fresh = User.get_by_id(self.id)
            if fresh.team_id != old:
                raise TeamChangeRefused(_("%(name)s is in another team now.", name=self.name))
            visits = list(
                PlannedVisit._with_people().where(
                    PlannedVisit.team == old,
                    PlannedVisit.member == self,
                    PlannedVisit.status == PlannedVisit.PLANNED,
                )
            )
            handed = sum(visit.hand_over(self) for visit in visits)
            open_tasks = Task.select().where(Task.team == old, Task.status == Task.OPEN)
            tasks = sum(task.hand_back(self) for task in open_tasks.where(Task.claimed_by == self))
            asked = open_tasks.where(
                Task.requested_of == self, Task.claimed_by.is_null(), Task.declined_at.is_null()
            )
            declined = sum(task.decline(self) for task in list(asked))
            known = list(
                Client.select().join(KnownBest).where(KnownBest.member == self, Client.team == old)
            )
            for person in known:
                before = sorted(u.name for u in person.known_best_by())
                KnownBest.delete().where(
                    KnownBest.client == person, KnownBest.member == self
                ).execute()
                after = [name for name in before if name != self.name]
                # Her own doing in the person's history, as her visits and tasks are:
                # the back office never appears there.
                AuditEvent.record(
                    self,
                    person,
                    "update",
                    "person",
                    person.id,
                    before={"known_best": before},
                    after={"known_best": after},
                )
            let_go = {"visits": handed, "tasks": tasks + declined, "known_best": len(known)}
            self._leave(by, today, "move", to=team.name, **let_go)
            User.update(team=team).where(User.id == self.id).execute()
            came_from = Team.get_by_id(old)
            AuditEvent.record(
                by,
                None,
                "arrive",
                "member",
                self.id,
                after={"name": self.name, "email": self.email, "from": came_from.name},
                team=team,
            )
        self.team = team
        return let_go

    def _leave(self, by, today: dt.date, action: str, **said) -> None:
        """What leaving the team is, whether she stops (`deactivate`) or goes to
        another team (`move_to`): the roles she held end today and the team's log
        says it (`action`, with what the caller `said`). Inside the caller's
        transaction.

        Raises TeamChangeRefused for the team's last active member, or when a
        colleague deactivated her first. The team row is locked before counting,
        so two members deactivating the last two active members at once cannot
        leave the team with nobody.
        """
        locked_row(Team, self.team_id)
        if not User.get_by_id(self.id).active:
            done = latest_team_event(self.team_id, "member", self.id, ("deactivate",))
            if done:
                raise TeamChangeRefused(
                    _(
                        "%(by)s already deactivated %(name)s.",
                        by=done.actor.name,
                        name=self.name,
                    )
                )
            raise TeamChangeRefused(_("%(name)s is not an active member.", name=self.name))
        others = (
            User.select()
            .where(
                User.team == self.team_id,
                User.role == User.MEMBER,
                User.active == True,  # noqa: E712
                User.id != self.id,
            )
            .count()
        )
        if not others:
            message = _(
                "%(name)s is the last active member of the team, and a team needs "
                "at least one. Add a colleague first.",
                name=self.name,
            )
            last = (
                AuditEvent.select(AuditEvent, User)
                .join(User, on=(AuditEvent.actor == User.id))
                .where(
                    AuditEvent.team == self.team_id,
                    AuditEvent.entity == "member",
                    AuditEvent.action == "deactivate",
                )
                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .first()
            )
            if last:
                gone = json.loads(last.changes)["after"]["name"]
                message = _(
                    "%(name)s is the last active member of the team, and a team needs "
                    "at least one. Add a colleague first. (The last to leave was "
                    "%(gone)s: %(by)s deactivated them.)",
                    name=self.name,
                    gone=gone,
                    by=last.actor.name,
                )
            raise TeamChangeRefused(message)
        ended = [
            holding.role.name
            for holding in RoleHolding.select(RoleHolding, TeamRole)
            .join(TeamRole)
            .where(RoleHolding.member == self, RoleHolding.until.is_null())
        ]
        RoleHolding.update(until=today).where(
            RoleHolding.member == self, RoleHolding.until.is_null()
        ).execute()
        AuditEvent.record(
            by,
            None,
            action,
            "member",
            self.id,
            before={"name": self.name, "active": True},
            after={
                "name": self.name,
                "active": action != "deactivate",
                "roles_ended": ended,
                **said,
            },
            team=self.team_id,
        )

    def reactivate(self, by) -> None:
        """A colleague comes back: she can log in again with her old password."""
        with db.atomic():
            rows = (
                User.update(active=True)
                .where(User.id == self.id, User.active == False)  # noqa: E712
                .execute()
            )
            if not rows:
                done = latest_team_event(self.team_id, "member", self.id, ("reactivate",))
                if done:
                    raise TeamChangeRefused(
                        _(
                            "%(by)s already reactivated %(name)s.",
                            by=done.actor.name,
                            name=self.name,
                        )
                    )
                raise TeamChangeRefused(_("%(name)s is an active member already.", name=self.name))
            AuditEvent.record(
                by,
                None,
                "reactivate",
                "member",
                self.id,
                before={"name": self.name, "active": False},
                after={"name": self.name, "active": True},
                team=self.team_id,
            )
        self.active = True


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class CoachLink(BaseModel):
    """A team invited this coach to look on, read-only."""

    coach = ForeignKeyField(User, backref="coach_links", on_delete="CASCADE")
    team = ForeignKeyField(Team, backref="coach_links", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "team"), True),)

    @classmethod
    def stamps(cls, coach) -> tuple:
        """The change stamps of her teams (teamcase/changes.py), in one query: what
        her page shows changes with one of them, or with a team linked or let go.
        Her own writes (an answer) move every team's stamp on."""
        return tuple(
            Team.select(Team.id, Team.changed)
            .join(cls)
            .where(cls.coach == coach)
            .order_by(Team.id)
            .tuples()
        )


class LoginThrottle(BaseModel):
    """Failed logins per account and per address, and the addresses each account
    logged in from lately; kept in the database for all workers.

    An account: after `slowdown_after` failures each further try must wait twice
    as long as the last; after `block_after` it is blocked for `block_for`. Each
    try is counted before its password is checked, so tries arriving together
    cannot all be checked. A successful login clears the account's count.

    An address: after `address_block_after` failures, with no pause of `block_for`
    between them, it is blocked for `block_for`, but only for accounts that have
    not logged in from it within `known_for` (see `claim`).
    """

    key = CharField(max_length=300, unique=True)
    failures = IntegerField(default=0)
    last_failure_at = DateTimeField(null=True)
    blocked_until = DateTimeField(null=True)
    # Only on the rows of an account and an address it logged in from.
    last_success_at = DateTimeField(null=True)

    # A try that keeps losing the race for its slot to tries arriving with it is
    # told to wait a second rather than retry for ever.
    CLAIM_ATTEMPTS = 10

    @dataclasses.dataclass(frozen=True)
    class Rules:
        slowdown_after: int
        block_after: int
        block_for: dt.timedelta
        address_block_after: int
        known_for: dt.timedelta = dt.timedelta(days=30)

        @classmethod
        def from_config(cls, config):
            return cls(
                slowdown_after=config["LOGIN_SLOWDOWN_AFTER"],
                block_after=config["LOGIN_BLOCK_AFTER"],
                block_for=dt.timedelta(minutes=config["LOGIN_BLOCK_MINUTES"]),
                address_block_after=config["LOGIN_ADDRESS_BLOCK_AFTER"],
            )

    @staticmethod
    def _keys(email: str, address: str) -> tuple[str, str, str]:
        """The keys of the account, of the address, and of the account at that address."""
        email = normalise_email(email)
        return (
            f"email:{email}"[:300],
            f"addr:{address}"[:300],
            f"known:{email} {address}"[:300],
        )

    @staticmethod
    def _seconds(until: dt.datetime, now: dt.datetime) -> int:
        return max(1, int((until - now).total_seconds() + 0.999))

    @classmethod
    def _account_wait(cls, row, now, rules: Rules) -> int:
        if row.blocked_until and row.blocked_until > now:
            return cls._seconds(row.blocked_until, now)
        if row.failures >= rules.slowdown_after and row.last_failure_at:
            ready = row.last_failure_at + dt.timedelta(
                seconds=2 ** (row.failures - rules.slowdown_after)
            )
            if ready > now:
                return cls._seconds(ready, now)
        return 0

    @classmethod
    def claim(cls, email: str, address: str, now, rules: Rules) -> int:
        """Claim one try at the password of `email` from `address`.

        Returns 0 when the try may go ahead (it is counted against the account
        already), otherwise the seconds until another try is allowed.
        """
        account, addr, known = cls._keys(email, address)
        rows = {row.key: row for row in cls.select().where(cls.key.in_([account, addr, known]))}
        # The address limit is for someone trying account after account from one
        # place. Colleagues on a team office's shared connection share its address,
        # so one nurse's typing, or an attacker there, must not lock them all out:
        # an account that logged in from this address lately is spared (its own
        # limit still holds). Checked before the account's slot is claimed, so a
        # blocked address cannot use up, and so block, the accounts it tries.
        spared = known in rows and rows[known].last_success_at > now - rules.known_for
        blocked_until = rows[addr].blocked_until if addr in rows else None
        if not spared and blocked_until and blocked_until > now:
            return cls._seconds(blocked_until, now)
        row = rows.get(account)
        for _attempt in range(cls.CLAIM_ATTEMPTS):
            if row is None:
                try:
                    with db.atomic():
                        cls.create(key=account, failures=1, last_failure_at=now)
                    return 0
                except IntegrityError:
                    pass  # a try arriving with this one made the row first
            else:
                wait = cls._account_wait(row, now, rules)
                if wait:
                    return wait
                counted = row.failures + 1
                blocks = counted >= rules.block_after
                # Only if nobody counted a try since `row` was read: of tries arriving
                # together, one gets each slot and the others look again.
                claimed = (
                    cls.update(
                        failures=0 if blocks else counted,
                        last_failure_at=now,
                        blocked_until=now + rules.block_for if blocks else row.blocked_until,
                    )
                    .where(
                        cls.key == account,
                        cls.failures == row.failures,
                        cls.blocked_until.is_null()
                        if row.blocked_until is None
                        else cls.blocked_until == row.blocked_until,
                    )
                    .execute()
                )
                if claimed:
                    return 0
            row = cls.get_or_none(cls.key == account)
        return 1

    @classmethod
    def failed(cls, email: str, address: str, now, rules: Rules) -> None:
        """The password was wrong: the account counted the try already, the address
        counts it now (so a burst from one address can overshoot its limit by the
        tries running at once; the account's limit is exact)."""
        _account, addr, _known = cls._keys(email, address)
        with db.atomic():
            try:
                with db.atomic():
                    cls.create(key=addr, failures=0)
            except IntegrityError:
                pass
            # One UPDATE so two workers counting at once both count. A pause as long
            # as a block forgives the earlier failures: an office's typos over a week
            # never add up to a block.
            cls.update(
                failures=Case(
                    None, [(cls.last_failure_at < now - rules.block_for, 1)], cls.failures + 1
                ),
                last_failure_at=now,
            ).where(cls.key == addr).execute()
            (
                cls.update(blocked_until=now + rules.block_for, failures=0)
                .where(cls.key == addr, cls.failures >= rules.address_block_after)
                .execute()
            )

    @classmethod
    def forgive(cls, email: str, now=None) -> bool:
        """Forget the account's failed tries (the back office unlocks it). Returns
        whether they had blocked it or slowed it down."""
        account, _addr, _known = cls._keys(email, "")
        row = cls.get_or_none(cls.key == account)
        if row is None:
            return False
        now = now or utcnow()
        held = bool(row.blocked_until and row.blocked_until > now) or row.failures > 0
        cls.delete().where(cls.key == account).execute()
        return held

    @classmethod
    def succeeded(cls, email: str, address: str, now, rules: Rules) -> None:
        """Clear the account's count, and remember that it logged in from `address`."""
        account, _addr, known = cls._keys(email, address)
        with db.atomic():
            cls.delete().where(cls.key == account).execute()
            cls.insert(key=known, failures=0, last_success_at=now).on_conflict(
                conflict_target=[cls.key], update={cls.last_success_at: now}
            ).execute()
            # Addresses it has not logged in from for a long time spare it no more.
            cls.delete().where(
                cls.key.startswith(f"known:{normalise_email(email)} "),
                cls.last_success_at < now - rules.known_for,
            ).execute()


class TeamRole(BaseModel):
    """A role the team names and rotates itself (planner, treasurer, mentor…)."""

    team = ForeignKeyField(Team, backref="roles", on_delete="CASCADE")
    name = CharField(max_length=80)
    purpose = CharField(max_length=300, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "name"), True),)

    @classmethod
    def add(cls, team, by, name: str, purpose: str = ""):
        """Name a new role. Raises IntegrityError when the team has one by that name."""
        with db.atomic():
            role = cls.create(team=team, name=name, purpose=purpose)
            AuditEvent.record(
                by,
                None,
                "create",
                "role",
                role.id,
                after={"role": name, "purpose": purpose},
                team=team,
            )
        return role

    @classmethod
    def names_in(cls, team) -> dict[str, bool]:
        """The team's role names, casefolded, each with whether the role is retired."""
        rows = cls.select(cls.name, cls.active).where(cls.team == team).tuples()
        return {name.casefold(): not active for name, active in rows}

    @classmethod
    def with_holdings(cls, team) -> list:
        """The team's roles, those in use first, each with `history` (its holdings,
        newest first) and `holder` (the open holding, or None), in two queries."""
        roles = list(
            cls.select()
            .where(cls.team == team)
            .order_by(cls.active.desc(), fn.LOWER(cls.name), cls.id)
        )
        by_id = {role.id: role for role in roles}
        for role in roles:
            role.history, role.holder = [], None
        if roles:
            holdings = (
                RoleHolding.select(RoleHolding, User)
                .join(User)
                .where(RoleHolding.role.in_(list(by_id)))
                .order_by(RoleHolding.since.desc(), RoleHolding.id.desc())
            )
            for holding in holdings:
                role = by_id[holding.role_id]
                holding.role = role
                role.history.append(holding)
                if holding.until is None:
                    role.holder = holding
        return roles

    def open_holding(self):
        return (
            RoleHolding.select(RoleHolding, User)
            .join(User)
            .where(RoleHolding.role == self, RoleHolding.until.is_null())
            .first()
        )

    def _log(self, by, action, before_holder, after_holder):
        AuditEvent.record(
            by,
            None,
            action,
            "role",
            self.id,
            before={"role": self.name, "holder": before_holder},
            after={"role": self.name, "holder": after_holder},
            team=self.team_id,
        )

    def _changed_meanwhile(self, current) -> str:
        last = latest_team_event(self.team_id, "role", self.id, ("hand", "end", "retire", "revive"))
        who = last.actor.name if last else _("A colleague")
        if current:
            return _(
                "%(who)s changed who holds %(role)s while you were looking: %(name)s holds it now.",
                who=who,
                role=self.name,
                name=current.member.name,
            )
        return _(
            "%(who)s changed who holds %(role)s while you were looking: nobody holds it now.",
            who=who,
            role=self.name,
        )

    def hand_to(self, member, by, seen: int | None, today: dt.date):
        """Hand the role to `member` from `today`; the current holder's turn ends today.

        `seen` is the open holding the member saw when she chose (None when nobody
        held it). The role row is locked and a colleague's change in between is
        refused (TeamChangeRefused), so two members handing it at once never
        leave it with two holders.
        """
        with db.atomic():
            fresh = locked_row(TeamRole, self.id)
            if not fresh.active:
                raise TeamChangeRefused(
                    _("%(role)s is retired. Bring it back first.", role=self.name)
                )
            current = fresh.open_holding()
            if (current.id if current else None) != seen:
                raise TeamChangeRefused(fresh._changed_meanwhile(current))
            if current and current.member_id == member.id:
                raise TeamChangeRefused(
                    _("%(name)s already holds %(role)s.", name=member.name, role=self.name)
                )
            if not User.get_by_id(member.id).active:
                raise TeamChangeRefused(_("%(name)s has left the team.", name=member.name))
            if current:
                RoleHolding.update(until=today).where(RoleHolding.id == current.id).execute()
            holding = RoleHolding.create(role=self, member=member, since=today)
            self._log(by, "hand", current.member.name if current else None, member.name)
        return holding

    def end_turn(self, by, seen: int | None, today: dt.date):
        """The holder's turn ends today and nobody holds the role until it is handed
        on. Returns the holding that ended."""
        with db.atomic():
            fresh = locked_row(TeamRole, self.id)
            current = fresh.open_holding()
            if current is None or current.id != seen:
                raise TeamChangeRefused(fresh._changed_meanwhile(current))
            RoleHolding.update(until=today).where(RoleHolding.id == current.id).execute()
            self._log(by, "end", current.member.name, None)
        current.until = today
        return current

    def retire(self, by, today: dt.date) -> None:
        """The team no longer needs the role; its history stays."""
        with db.atomic():
            fresh = locked_row(TeamRole, self.id)
            if not fresh.active:
                last = latest_team_event(self.team_id, "role", self.id, ("retire",))
                who = last.actor.name if last else _("A colleague")
                raise TeamChangeRefused(
                    _("%(who)s already retired %(role)s.", who=who, role=self.name)
                )
            current = fresh.open_holding()
            if current:
                RoleHolding.update(until=today).where(RoleHolding.id == current.id).execute()
            TeamRole.update(active=False).where(TeamRole.id == self.id).execute()
            self._log(by, "retire", current.member.name if current else None, None)
        self.active = False

    def revive(self, by) -> None:
        """Bring a retired role back, without a holder."""
        with db.atomic():
            rows = (
                TeamRole.update(active=True)
                .where(TeamRole.id == self.id, TeamRole.active == False)  # noqa: E712
                .execute()
            )
            if not rows:
                last = latest_team_event(self.team_id, "role", self.id, ("revive",))
                who = last.actor.name if last else _("A colleague")
                raise TeamChangeRefused(
                    _("%(who)s already brought %(role)s back.", who=who, role=self.name)
                )
            self._log(by, "revive", None, None)
        self.active = True


class RoleHolding(BaseModel):
    """Who holds a team role, from when until when."""

    role = ForeignKeyField(TeamRole, backref="holdings", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="role_holdings", on_delete="RESTRICT")
    since = DateField(default=local_today)
    until = DateField(null=True)


class Invitation(BaseModel):
    """A colleague invited to join the team; the link works once, until it expires."""

    team = ForeignKeyField(Team, backref="invitations", on_delete="CASCADE")
    email = CharField(max_length=254)
    name = CharField(max_length=120)
    # Only a hash is kept, as for passwords: the link itself is shown once.
    token_hash = CharField(max_length=64, unique=True)
    invited_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)

    OPEN = "open"
    USED = "used"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def waiting(cls, team):
        """Invitations nobody used or withdrew yet (expired ones too, so the team
        sees that a link ran out), oldest first, with who sent each."""
        return (
            cls.select(cls, User)
            .join(User, on=(cls.invited_by == User.id))
            .where(cls.team == team, cls.used_at.is_null(), cls.withdrawn_at.is_null())
            .order_by(cls.created_at, cls.id)
        )

    @classmethod
    def send(cls, team, by, name: str, email: str, days: int):
        """Invite a colleague. Returns (invitation, token): only the token's hash is
        kept, so the link can be shown once and never again.

        Raises EmailInUse when the address has an account, or an invitation to
        this team that still works.
        """
        email = normalise_email(email)
        now = utcnow()
        if User.select().where(User.email == email).exists():
            raise EmailInUse(_("There is already an account for %(email)s.", email=email))
        token = secrets.token_urlsafe(32)
        try:
            with db.atomic():
                # A link to this address that ran out gives way to the new one.
                cls.update(withdrawn_at=cls.expires_at).where(
                    cls.team == team,
                    cls.email == email,
                    cls.used_at.is_null(),
                    cls.withdrawn_at.is_null(),
                    cls.expires_at <= now,
                ).execute()
                invitation = cls.create(
                    team=team,
                    name=name,
                    email=email,
                    token_hash=cls.hash_token(token),
                    invited_by=by,
                    created_at=now,
                    expires_at=now + dt.timedelta(days=days),
                )
                AuditEvent.record(
                    by,
                    None,
                    "create",
                    "invitation",
                    invitation.id,
                    after={
                        "name": name,
                        "email": email,
                        "expires_at": invitation.expires_at.isoformat(sep=" "),
                    },
                    team=team,
                )
        except IntegrityError:
            # The database allows one waiting link per address and team.
            earlier = cls.waiting(team).where(cls.email == email).first()
            if earlier is None:
                raise
            raise EmailInUse(
                _(
                    "%(by)s already invited %(name)s with this address. "
                    "Withdraw that invitation first to send a new link.",
                    by=earlier.invited_by.name,
                    name=earlier.name,
                )
            ) from None
        return invitation, token

    @classmethod
    def find(cls, token: str):
        """The invitation whose link carries `token`, with its team and who sent it."""
        if not token or len(token) > 200:
            return None
        return (
            cls.select(cls, Team, User)
            .join(Team)
            .switch(cls)
            .join(User, on=(cls.invited_by == User.id))
            .where(cls.token_hash == cls.hash_token(token))
            .first()
        )

    def state(self, now: dt.datetime | None = None) -> str:
        if self.used_at:
            return self.USED
        if self.withdrawn_at:
            return self.WITHDRAWN
        if self.expires_at <= (now or utcnow()):
            return self.EXPIRED
        return self.OPEN

    def accept(self, password: str):
        """The invitee chose her password: she is a member now. The link works once.

        Raises TeamChangeRefused when the link was used, withdrawn or ran out
        meanwhile, EmailInUse when her address got an account meanwhile.
        """
        from teamcase.auth.passwords import hasher

        password_hash = hasher.hash(password)  # slow: outside the transaction
        now = utcnow()
        try:
            with db.atomic():
                rows = (
                    Invitation.update(used_at=now)
                    .where(
                        Invitation.id == self.id,
                        Invitation.used_at.is_null(),
                        Invitation.withdrawn_at.is_null(),
                        Invitation.expires_at > now,
                    )
                    .execute()
                )
                if not rows:
                    raise TeamChangeRefused(_("This invitation link no longer works."))
                member = User.create(
                    team=self.team_id,
                    name=self.name,
                    email=self.email,
                    role=User.MEMBER,
                    password_hash=password_hash,
                )
                AuditEvent.record(
                    member,
                    None,
                    "join",
                    "member",
                    member.id,
                    after={
                        "name": member.name,
                        "email": member.email,
                        "invited_by": self.invited_by.name,
                    },
                    team=self.team_id,
                )
        except IntegrityError:
            raise EmailInUse(
                _("There is already an account for %(email)s.", email=self.email)
            ) from None
        self.used_at = now
        return member

    def withdraw(self, by) -> None:
        with db.atomic():
            rows = (
                Invitation.update(withdrawn_at=utcnow())
                .where(
                    Invitation.id == self.id,
                    Invitation.used_at.is_null(),
                    Invitation.withdrawn_at.is_null(),
                )
                .execute()
            )
            if not rows:
                if Invitation.get_by_id(self.id).used_at:
                    raise TeamChangeRefused(
                        _("%(name)s has already joined with this link.", name=self.name)
                    )
                last = latest_team_event(self.team_id, "invitation", self.id, ("withdraw",))
                who = last.actor.name if last else _("A colleague")
                raise TeamChangeRefused(
                    _(
                        "%(who)s already withdrew the invitation for %(name)s.",
                        who=who,
                        name=self.name,
                    )
                )
            AuditEvent.record(
                by,
                None,
                "withdraw",
                "invitation",
                self.id,
                before={"name": self.name, "email": self.email},
                team=self.team_id,
            )


# One waiting link per address and team: two colleagues inviting the same person at
# once get one invitation (Invitation.send retires a link that ran out first).
Invitation.add_index(
    Invitation.index(
        Invitation.team,
        Invitation.email,
        unique=True,
        where=(Invitation.used_at.is_null() & Invitation.withdrawn_at.is_null()),
        name="invitation_one_waiting_per_email",
    )
)
