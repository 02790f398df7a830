"""Support requests: the team asks, the back office answers.

A request belongs to the team, not to whoever filed it: every member sees it,
answers the back office's questions and confirms it done. Its life:

    new ──take──▶ taken ──ask──▶ waiting (on the team; the clock paused)
                    ▲  ◀─answer──┘
                    │
                    └──reopen── done ──confirm──▶ closed
                  taken ──mark_done──▶ done

Each move is one verb on the request, refused (`SupportRefused`) when the request
is not in a state it starts from. Each is one conditional UPDATE on the state it
was read in, so of two back-office staff taking the same request at once one
wins and the other is told who did.

The times kept are for learning (process behaviour charts), never targets: to the
first answer, to done and to the team's confirmation, each counted from filing
and without the time it spent waiting on the team.

Some requests are of a kind the back office acts on from the request itself
(`KINDS`): an account for a new colleague, a new team, or deactivating, unlocking
or giving a new password to the account of one of the team's members. The
categories stay the install's own; a kind adds the fields the act needs (who,
with which address, from when; or the team's name and area), and `act` does it
and marks the request done in one move, refused like any other move when the
request was not in a state it starts from. What was done is in the thread, and in
the team's log, for the team to confirm.

A new team is how a team that grew too big splits in two: the team decides who
of its members forms it (`SupportMover`), names them when it asks and may say
again until the back office acts (`choose_movers`), and when the back office
makes the team they move to it (`User.move_to`: each leaves her team as a
colleague leaves it, and stays active). The back office only makes the team.
"""

import datetime as dt
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    BlobField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.teams import Team, TeamChangeRefused, User


class SupportRefused(Exception):
    """A move the request's state does not allow, or that someone else made first;
    the message says so in the reader's language."""


# The categories an install offers when it sets nothing else (SUPPORT_CATEGORIES),
# with their labels; an install's own are shown as it writes them.
CATEGORIES = {
    "pay": _l("Pay and contracts"),
    "car": _l("Car and travel"),
    "equipment": _l("Equipment and IT"),
    "money": _l("Invoices and money"),
    "accounts": _l("Accounts and access"),
    "premises": _l("Premises"),
    "other": _l("Something else"),
}


def category_choices(setting: str) -> list[tuple[str, str]]:
    """(value, label) for each category an install's setting names, in its order."""
    keys = [key.strip() for key in (setting or "").split(",") if key.strip()]
    return [(key, str(CATEGORIES.get(key, key))) for key in dict.fromkeys(keys)]


def category_label(key: str) -> str:
    return str(CATEGORIES.get(key, key))


# The kinds of request the back office acts on from the request; "" is any other.
GENERAL, NEW_COLLEAGUE, NEW_TEAM, DEACTIVATE, UNLOCK, PASSWORD = (
    "",
    "new_colleague",
    "new_team",
    "deactivate",
    "unlock",
    "password",
)
KINDS = {
    NEW_COLLEAGUE: _l("An account for a new colleague"),
    NEW_TEAM: _l("A new team"),
    DEACTIVATE: _l("Deactivate a colleague's account: she left"),
    UNLOCK: _l("Unlock a colleague's account: too many failed logins"),
    PASSWORD: _l("A new password for a colleague who forgot hers"),
}
# The kinds that name one of the team's own members.
FOR_A_COLLEAGUE = (DEACTIVATE, UNLOCK, PASSWORD)
# How many colleagues form a new team at least: one alone is not a team.
MOVERS_AT_LEAST = 2


def movers_refused(team, member_ids) -> str | None:
    """Why these members cannot form the new team `team` asks for, in the reader's
    language, or None: at least two, each an active member of the team, and at
    least one stays (a team needs one active member, as when a colleague leaves)."""
    from flask_babel import gettext as _

    ids = set(member_ids)
    if len(ids) < MOVERS_AT_LEAST:
        return _("Choose at least two colleagues: they form the new team together.")
    active = {m.id for m in team.active_members()}
    if not ids <= active:
        return _("Choose colleagues who are active members of the team.")
    if ids == active:
        return _(
            "Leave at least one colleague in %(team)s: a team needs at least one active member.",
            team=team.name,
        )
    return None


def names_of(members) -> str:
    """Colleagues' names as a thread line shows them, in a fixed order."""
    return ", ".join(sorted(m.name for m in members))


class SupportRequest(BaseModel):
    NEW, TAKEN, WAITING, DONE, CLOSED = "new", "taken", "waiting", "done", "closed"
    STATES = {
        NEW: _l("New"),
        TAKEN: _l("Being handled"),
        WAITING: _l("Waiting for the team"),
        DONE: _l("Done: waiting for the team to confirm"),
        CLOSED: _l("Closed"),
    }
    # Open to the team: waiting for its answer, or for it to confirm.
    FOR_THE_TEAM = (WAITING, DONE)
    KIND_KEYS = tuple(KINDS)
    OPEN = (NEW, TAKEN, WAITING, DONE)

    team = ForeignKeyField(Team, backref="support_requests", on_delete="CASCADE")
    filed_by = ForeignKeyField(User, on_delete="RESTRICT")
    category = CharField(max_length=40)
    subject = CharField(max_length=200)
    description = TextField()
    needed_by = DateField(null=True)
    status = CharField(max_length=10, default=NEW)
    taken_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    taken_at = DateTimeField(null=True)
    first_answer_at = DateTimeField(null=True)
    done_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    # Since when it waits on the team (None when it does not), and for how long
    # it waited before: the clock stands still meanwhile.
    waiting_since = DateTimeField(null=True)
    waited_seconds = IntegerField(default=0)
    version = IntegerField(default=1)
    # What a request of a kind (`KINDS`) asks for: the new colleague's name, address
    # and first day, or the new team's name and area; for a colleague of the team,
    # her account (with her name as it was then). Once done: the account or team made.
    kind = CharField(max_length=20, default=GENERAL)
    asked_name = CharField(max_length=120, default="")
    asked_email = CharField(max_length=254, default="")
    asked_area = CharField(max_length=120, default="")
    starts_on = DateField(null=True)
    account = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    made_team = ForeignKeyField(Team, null=True, backref="+", on_delete="SET NULL")
    acted_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("team", "status"), False),
            (("status", "created_at"), False),
            # The queue: the oldest first of all that are not closed.
            (("created_at",), False),
        )

    # Asking

    @classmethod
    def file(
        cls,
        team,
        *,
        by,
        category,
        subject,
        description,
        needed_by=None,
        files=(),
        now=None,
        kind=GENERAL,
        **asked,
    ):
        """A member files a request for her team, with `files` (`Upload`s) attached.
        A request of a kind carries what it asks for in `asked` (`asked_name`,
        `asked_email`, `asked_area`, `starts_on`, or the colleague's `account`)."""
        from flask_babel import gettext as _

        now = now or utcnow()
        if kind not in (GENERAL, *KINDS):
            raise ValueError(f"not a kind of request: {kind!r}")
        account = asked.get("account")
        movers = list(asked.pop("movers", ()))
        if kind == NEW_TEAM:
            refused = movers_refused(team, [m.id for m in movers])
            if refused:
                raise SupportRefused(refused)
        elif movers:
            raise ValueError("only a request for a new team names who goes to it")
        if kind in FOR_A_COLLEAGUE:
            if account is None or account.team_id != team.id or not account.is_member:
                raise SupportRefused(_("Choose a colleague of the team."))
            asked["asked_name"] = account.name
        elif account is not None:
            raise ValueError("only a request about a colleague names her account")
        with db.atomic():
            request = cls.create(
                team=team,
                filed_by=by,
                category=category,
                subject=subject,
                description=description,
                needed_by=needed_by,
                created_at=now,
                kind=kind,
                **asked,
            )
            message = SupportMessage.create(
                request=request,
                author=by,
                kind=SupportMessage.FILED,
                text=names_of(movers),
                created_at=now,
            )
            SupportAttachment.attach(message, files, by=by, now=now)
            if kind == NEW_TEAM:
                request._name_movers(by, movers, "split")
        return request

    def _name_movers(self, by, movers, action):
        """The members who go to the new team are these, and the team's log says so."""
        SupportMover.delete().where(SupportMover.request == self).execute()
        for member in movers:
            SupportMover.create(request=self, member=member, name=member.name)
        AuditEvent.record(
            by,
            None,
            action,
            "team",
            self.team_id,
            after={"name": self.asked_name, "members": sorted(m.name for m in movers)},
            team=self.team_id,
        )

    def movers(self):
        """Who goes to the new team, as the team last said, by name."""
        return (
            SupportMover.select(SupportMover, User)
            .join(User)
            .where(SupportMover.request == self)
            .order_by(SupportMover.name, SupportMover.id)
        )

    def choose_movers(self, by, members, version: int, *, now=None):
        """The team says again who goes to the new team, until the back office makes
        it; `version` is the request as the member read it, so of two colleagues
        saying it at once one is saved and the other is told."""
        from flask_babel import gettext as _

        now = now or utcnow()
        if self.kind != NEW_TEAM:
            raise ValueError("only a request for a new team names who goes to it")
        if self.acted_at or self.status not in (self.NEW, self.TAKEN, self.WAITING):
            raise SupportRefused(
                _("The back office made the team already: who went to it stays as it was.")
                if self.acted_at
                else _("This request is done or closed: confirm or reopen it instead.")
            )
        refused = movers_refused(self.team, [m.id for m in members])
        if refused:
            raise SupportRefused(refused)
        model = type(self)
        with db.atomic():
            saved = (
                model.update(version=model.version + 1)
                .where(model.id == self.id, model.version == version, model.acted_at.is_null())
                .execute()
            )
            if not saved:
                current = model.get_by_id(self.id)
                said = (
                    SupportMessage.select(SupportMessage, User)
                    .join(User)
                    .where(SupportMessage.request == self, SupportMessage.kind == "movers")
                    .order_by(SupportMessage.created_at.desc(), SupportMessage.id.desc())
                    .first()
                )
                if current.acted_at:
                    raise SupportRefused(self._lost_to(current))
                if said:
                    raise SupportRefused(
                        _(
                            "%(name)s said who goes a moment before you. Here it is as it is now.",
                            name=said.author.name,
                        )
                    )
                raise SupportRefused(self._lost_to(current))
            SupportMessage.create(
                request=self,
                author=by,
                kind=SupportMessage.MOVERS,
                text=names_of(members),
                created_at=now,
            )
            self._name_movers(by, members, "resplit")
        self.version = model.get_by_id(self.id).version

    # The moves

    def _move(self, by, allowed, refused, *, kind, text="", files=(), now=None, **fields):
        """Move from one of `allowed` states with `fields`, only if the row is still
        in the state it was read in, and add the move to the thread."""
        now = now or utcnow()
        if self.status not in allowed:
            raise SupportRefused(refused)
        model = type(self)
        with db.atomic():
            saved = (
                model.update(version=model.version + 1, **fields)
                .where(model.id == self.id, model.status == self.status)
                .execute()
            )
            if not saved:
                current = model.get_by_id(self.id)
                raise SupportRefused(self._lost_to(current))
            message = SupportMessage.create(
                request=self, author=by, kind=kind, text=text, created_at=now
            )
            SupportAttachment.attach(message, files, by=by, now=now)
        fresh = model.get_by_id(self.id)
        self.__data__.update(fresh.__data__)
        self._dirty.clear()
        return message

    @staticmethod
    def _lost_to(current) -> str:
        from flask_babel import gettext as _

        if current.status == SupportRequest.DONE and current.acted_at and current.taken_by_id:
            return _(
                "%(name)s did this a moment before you: the request is done.",
                name=current.taken_by.name,
            )
        if current.status == SupportRequest.TAKEN and current.taken_by_id:
            return _(
                "%(name)s took this request a moment before you. It is theirs now.",
                name=current.taken_by.name,
            )
        return _("Someone changed this request a moment before you. Here it is as it is now.")

    def take(self, *, by, now=None):
        """A back-office account takes a new request on."""
        from flask_babel import gettext as _

        now = now or utcnow()
        return self._move(
            by,
            (self.NEW,),
            _("This request was taken already."),
            kind=SupportMessage.TAKEN,
            now=now,
            status=self.TAKEN,
            taken_by=by,
            taken_at=now,
        )

    def ask(self, *, by, text, files=(), now=None):
        """The back office asks the team a question; the clock waits for the answer."""
        from flask_babel import gettext as _

        now = now or utcnow()
        return self._move(
            by,
            (self.TAKEN,),
            _("Take the request before asking the team something."),
            kind=SupportMessage.QUESTION,
            text=text,
            files=files,
            now=now,
            status=self.WAITING,
            waiting_since=now,
            first_answer_at=self.first_answer_at or now,
        )

    def answer(self, *, by, text, files=(), now=None):
        """A member writes in the thread; an answer to a question starts the clock again."""
        from flask_babel import gettext as _

        now = now or utcnow()
        fields = {}
        if self.status == self.WAITING:
            fields = {
                "status": self.TAKEN,
                "waiting_since": None,
                "waited_seconds": self.waited_seconds + self._seconds(self.waiting_since, now),
            }
        return self._move(
            by,
            (self.NEW, self.TAKEN, self.WAITING),
            _("This request is done or closed: confirm or reopen it instead."),
            kind=SupportMessage.ANSWER,
            text=text,
            files=files,
            now=now,
            **fields,
        )

    def mark_done(self, *, by, text="", files=(), now=None):
        """The back office says it is done; the team confirms or reopens it."""
        from flask_babel import gettext as _

        now = now or utcnow()
        return self._move(
            by,
            (self.TAKEN,),
            _("Only a request being handled can be marked done."),
            kind=SupportMessage.DONE,
            text=text,
            files=files,
            now=now,
            status=self.DONE,
            done_at=now,
            first_answer_at=self.first_answer_at or now,
        )

    def confirm(self, *, by, now=None):
        """The team confirms it is done: the request is closed."""
        from flask_babel import gettext as _

        now = now or utcnow()
        return self._move(
            by,
            (self.DONE,),
            _("Only a request marked done can be confirmed."),
            kind=SupportMessage.CONFIRMED,
            now=now,
            status=self.CLOSED,
            closed_at=now,
        )

    def reopen(self, *, by, text, now=None):
        """The team says it is not done yet, and why: back to whoever had it."""
        from flask_babel import gettext as _

        now = now or utcnow()
        return self._move(
            by,
            (self.DONE,),
            _("Only a request marked done can be reopened."),
            kind=SupportMessage.REOPENED,
            text=text,
            now=now,
            status=self.TAKEN,
            done_at=None,
        )

    # Acting on a request of a kind

    def act(self, *, by, name="", email="", area="", password_hash="", today=None, now=None):
        """The back office does what a request of a kind asks, and marks it done in
        the same move (taking it on, if nobody had): it makes the account (with
        `name`, `email` and a first password, `password_hash`) or the team (`name`,
        `area`), or deactivates, unlocks or gives a new first password
        (`password_hash`) to the colleague the team named. Only for an account of
        the requesting team.

        The request moves first, on the state it was read in, and the act follows
        in the same transaction: of two back-office staff acting at once, one acts
        and the other is told (`SupportRefused`), and nothing of hers stays. Raises
        EmailInUse or IntegrityError (a team's name taken) with nothing changed.
        """
        from flask_babel import gettext as _

        now = now or utcnow()
        if not self.kind:
            raise SupportRefused(
                _("This request asks for nothing the back office does from here: mark it done.")
            )
        if self.kind in (NEW_COLLEAGUE, NEW_TEAM) and self.acted_at:
            raise SupportRefused(
                _("The account was made already.")
                if self.kind == NEW_COLLEAGUE
                else _("The team was made already.")
            )
        fields = {"status": self.DONE, "done_at": now, "acted_at": now}
        fields["first_answer_at"] = self.first_answer_at or now
        if self.status == self.NEW:
            fields.update(taken_by=by, taken_at=now)
        with db.atomic():
            self._move(
                by,
                (self.NEW, self.TAKEN),
                _("Only a new request, or one being handled, can be done from here."),
                kind=SupportMessage.ACTED[self.kind],
                now=now,
                **fields,
            )
            if self.kind == NEW_COLLEAGUE:
                account = User.make_account(
                    by, name, email, password_hash, for_team=self.team, starts_on=self.starts_on
                )
                made = {"account": account, "asked_name": account.name}
                made["asked_email"] = account.email
                type(self).update(**made).where(type(self).id == self.id).execute()
                self.account, self.asked_name, self.asked_email = account, name, account.email
                return
            if self.kind == NEW_TEAM:
                # Read after the request moved, so who goes is as the team last
                # said: a change of it waits for this move, and is then refused.
                movers = [m.member for m in self.movers()]
                self._refuse_movers(movers)
                team = Team.create(name=name, area=area, created_at=now)
                AuditEvent.record(
                    by,
                    None,
                    "create",
                    "team",
                    team.id,
                    after={
                        "name": team.name,
                        "area": team.area,
                        "asked_by": self.team.name,
                        "members": sorted(m.name for m in movers),
                    },
                    team=team,
                )
                for member in movers:
                    try:
                        member.move_to(team, by, today or now.date())
                    except TeamChangeRefused as refused:
                        raise SupportRefused(str(refused)) from None
                made = {"made_team": team, "asked_name": team.name, "asked_area": team.area}
                type(self).update(**made).where(type(self).id == self.id).execute()
                self.made_team, self.asked_name, self.asked_area = team, team.name, team.area
                return
            account = User.get_by_id(self.account_id)
            if account.team_id != self.team_id:
                raise SupportRefused(
                    _("%(name)s is no longer a member of this team.", name=account.name)
                )
            if self.kind == DEACTIVATE:
                try:
                    account.deactivate(by, (today or now.date()), "")
                except TeamChangeRefused as refused:
                    raise SupportRefused(str(refused)) from None
            elif not account.active:
                raise SupportRefused(
                    _(
                        "%(name)s left the team: her account is deactivated. The team can "
                        "reactivate it first.",
                        name=account.name,
                    )
                )
            elif self.kind == UNLOCK:
                account.unlock(by)
            else:
                account.give_first_password(by, password_hash)
            self.account = account

    def _refuse_movers(self, movers) -> None:
        """The back office cannot make the team until the team said who goes, and
        each of them is still one of its active members."""
        from flask_babel import gettext as _

        if len(movers) < MOVERS_AT_LEAST:
            raise SupportRefused(
                _(
                    "The team has not said yet who goes to the new team. Ask the team: "
                    "it says so on the request."
                )
            )
        for member in movers:
            if member.team_id != self.team_id or not member.active:
                raise SupportRefused(
                    _(
                        "%(name)s is no longer an active member of %(team)s. Ask the team "
                        "to say again who goes to the new team.",
                        name=member.name,
                        team=self.team.name,
                    )
                )
        refused = movers_refused(self.team, [m.id for m in movers])
        if refused:
            raise SupportRefused(refused)

    @property
    def acted_text(self) -> str:
        """What the back office did, in the reader's language, for the thread."""
        from flask_babel import gettext as _

        texts = {
            NEW_COLLEAGUE: lambda: _(
                "Account made for %(name)s (%(email)s). She logs in once the team has "
                "added her: Our team → Add a colleague.",
                name=self.asked_name,
                email=self.asked_email,
            ),
            NEW_TEAM: lambda: " ".join(
                [
                    _("Team made: %(name)s (%(area)s).", name=self.asked_name, area=self.asked_area)
                    if self.asked_area
                    else _("Team made: %(name)s.", name=self.asked_name),
                    *self._moved_text(),
                ]
            ),
            DEACTIVATE: lambda: _(
                "The account of %(name)s is deactivated: she can no longer log in, and "
                "every session of hers has ended.",
                name=self.asked_name,
            ),
            UNLOCK: lambda: _(
                "The account of %(name)s is unlocked: she can log in again.",
                name=self.asked_name,
            ),
            PASSWORD: lambda: _(
                "%(name)s has a new first password from the back office. She chooses her "
                "own when she logs in with it.",
                name=self.asked_name,
            ),
        }
        return texts[self.kind]() if self.kind in texts else ""

    def _moved_text(self) -> list[str]:
        from flask_babel import gettext as _

        moved = [m.name for m in self.movers()]
        if not moved:
            return []
        return [
            _(
                "%(names)s moved to it: each sees the new team on her next page.",
                names=", ".join(moved),
            )
        ]

    @property
    def title(self) -> str:
        """The request in a few words, in the reader's language for a kind."""
        from flask_babel import gettext as _

        titles = {
            NEW_COLLEAGUE: lambda: _("An account for %(name)s", name=self.asked_name),
            NEW_TEAM: lambda: _("A new team: %(name)s", name=self.asked_name),
            DEACTIVATE: lambda: _("Deactivate the account of %(name)s", name=self.asked_name),
            UNLOCK: lambda: _("Unlock the account of %(name)s", name=self.asked_name),
            PASSWORD: lambda: _("A new password for %(name)s", name=self.asked_name),
        }
        return titles[self.kind]() if self.kind in titles else self.subject

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, ""))

    @property
    def waits_to_be_added(self) -> bool:
        """The back office made the account asked for; the team has not added her yet."""
        return (
            self.kind == NEW_COLLEAGUE
            and self.account_id is not None
            and (self.account.team_id is None)
        )

    @classmethod
    def accounts_made_for(cls, team):
        """The team's requests whose new colleague's account the back office made
        and the team has not added yet, with the account, oldest first."""
        return (
            cls.select(cls, User)
            .join(User, on=(cls.account == User.id))
            .where(
                cls.team == team,
                cls.kind == NEW_COLLEAGUE,
                User.team.is_null(),
                User.role == User.MEMBER,
            )
            .order_by(cls.created_at, cls.id)
        )

    def add_colleague(self, *, by):
        """The team adds the new colleague whose account the back office made."""
        from flask_babel import gettext as _

        if self.kind != NEW_COLLEAGUE or self.account_id is None:
            raise TeamChangeRefused(_("The back office has not made this account yet."))
        account = User.get_by_id(self.account_id)
        account.join_team(self.team, by)
        return account

    # Times

    @staticmethod
    def _seconds(since, until) -> int:
        return max(0, int((until - since).total_seconds())) if since and until else 0

    @classmethod
    def clock(cls, created_at, until, waited=0) -> dt.timedelta | None:
        """From filing at `created_at` to `until`, without `waited` seconds on the team."""
        if until is None:
            return None
        return dt.timedelta(seconds=max(0, cls._seconds(created_at, until) - waited))

    def _clock(self, until, waited=0) -> dt.timedelta | None:
        return self.clock(self.created_at, until, waited)

    @property
    def to_first_answer(self) -> dt.timedelta | None:
        # Nothing waits on the team before the back office first answers.
        return self._clock(self.first_answer_at)

    @property
    def to_done(self) -> dt.timedelta | None:
        # Done (since it was last reopened): no waiting since, so all of it counts.
        return self._clock(self.done_at, self.waited_seconds)

    @property
    def to_confirmation(self) -> dt.timedelta | None:
        return self._clock(self.closed_at, self.waited_seconds)

    # Reading

    @classmethod
    def filed_since(cls, since):
        """When each request of every team filed since `since` came in."""
        return cls.select(cls.created_at).where(cls.created_at >= since).tuples().iterator()

    @classmethod
    def done_since(cls, since, team):
        """The team's requests done since `since`, oldest done first."""
        return (
            cls.select(cls.id, cls.created_at, cls.first_answer_at, cls.done_at, cls.waited_seconds)
            .where(cls.team == team, cls.done_at >= since)
            .order_by(cls.done_at, cls.id)
        )

    @classmethod
    def times_since(cls, since):
        """Every team's requests first answered, done or confirmed since `since`:
        (first answer, to it, done, to it, confirmed, to it) each, read as plain
        rows (a year of them is thousands)."""
        rows = (
            cls.select(
                cls.created_at, cls.first_answer_at, cls.done_at, cls.closed_at, cls.waited_seconds
            )
            .where(
                (cls.first_answer_at >= since) | (cls.done_at >= since) | (cls.closed_at >= since)
            )
            .tuples()
            .iterator()
        )
        for created, first, done, closed, waited in rows:
            yield (
                first,
                cls.clock(created, first),
                done,
                cls.clock(created, done, waited),
                closed,
                cls.clock(created, closed, waited),
            )

    @property
    def status_label(self) -> str:
        return str(self.STATES[self.status])

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def for_the_team(self) -> bool:
        return self.status in self.FOR_THE_TEAM

    @classmethod
    def of_team(cls, team):
        """The team's requests: those waiting for it first, then open ones, newest first."""
        waiting_first = Case(None, ((cls.status.in_(cls.FOR_THE_TEAM), 0),), 1)
        taker = User.alias("taker")
        return (
            cls.select(cls, taker.id, taker.name)
            .join(taker, on=(cls.taken_by == taker.id), join_type=JOIN.LEFT_OUTER)
            .switch(cls)
            .where(cls.team == team)
            .order_by(waiting_first, (cls.status == cls.CLOSED), cls.created_at.desc())
        )

    @classmethod
    def for_team_count(cls, team):
        """How many wait for the team, as a subquery-able query."""
        return cls.select().where(cls.team == team, cls.status.in_(cls.FOR_THE_TEAM))

    @classmethod
    def queue(cls, *, category=None, team=None, status=None):
        """The back office's queue across all teams, oldest first; by default the
        requests that are not closed."""
        taker = User.alias("taker")
        # Only what a row of the queue shows: thousands of requests wait there.
        shown = (
            cls.id,
            cls.team,
            cls.kind,
            cls.subject,
            cls.asked_name,
            cls.category,
            cls.status,
            cls.created_at,
            cls.needed_by,
            cls.taken_by,
        )
        query = (
            cls.select(*shown, Team.id, Team.name, taker.id, taker.name)
            .join(Team)
            .switch(cls)
            .join(taker, on=(cls.taken_by == taker.id), join_type=JOIN.LEFT_OUTER)
            .order_by(cls.created_at, cls.id)
        )
        if status:
            query = query.where(cls.status == status)
        else:
            query = query.where(cls.status != cls.CLOSED)
        if category:
            query = query.where(cls.category == category)
        if team:
            query = query.where(cls.team == team)
        return query

    def files(self) -> dict[int, list]:
        """The request's attachments without their contents, by the message they came with."""
        found: dict[int, list] = {}
        for attachment in SupportAttachment.listed().where(SupportAttachment.request == self):
            found.setdefault(attachment.message_id, []).append(attachment)
        return found

    def thread(self):
        return (
            SupportMessage.select(SupportMessage, User)
            .join(User)
            .where(SupportMessage.request == self)
            .order_by(SupportMessage.created_at, SupportMessage.id)
        )


class SupportMessage(BaseModel):
    """One line of a request's thread: a move, with what was written with it."""

    FILED, TAKEN, QUESTION, ANSWER, DONE, CONFIRMED, REOPENED, MOVERS = (
        "filed",
        "taken",
        "question",
        "answer",
        "done",
        "confirmed",
        "reopened",
        "movers",
    )
    KINDS = {
        FILED: _l("filed the request"),
        TAKEN: _l("took the request on"),
        QUESTION: _l("asked"),
        ANSWER: _l("wrote"),
        DONE: _l("marked it done"),
        CONFIRMED: _l("confirmed it is done"),
        REOPENED: _l("reopened it"),
        MOVERS: _l("said again who goes to the new team"),
        # What the back office did from a request of a kind; it is done with it.
        "account": _l("made the account and marked it done"),
        "team": _l("made the team and marked it done"),
        "deactivate": _l("deactivated the account and marked it done"),
        "unlock": _l("unlocked the account and marked it done"),
        "password": _l("gave a new first password and marked it done"),
    }
    # The line each kind of request's act adds to the thread.
    ACTED = {
        NEW_COLLEAGUE: "account",
        NEW_TEAM: "team",
        DEACTIVATE: "deactivate",
        UNLOCK: "unlock",
        PASSWORD: "password",
    }

    @property
    def acted(self) -> bool:
        return self.kind in self.ACTED.values()

    request = ForeignKeyField(SupportRequest, backref="messages", on_delete="CASCADE")
    author = ForeignKeyField(User, on_delete="RESTRICT")
    kind = CharField(max_length=10)
    text = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("request", "created_at"), False),)

    @property
    def kind_label(self) -> str:
        return str(self.KINDS[self.kind])

    @property
    def from_office(self) -> bool:
        return self.author.is_backoffice


class SupportMover(BaseModel):
    """A member the team named to go to the new team its request asks for, with
    her name as it was then."""

    request = ForeignKeyField(SupportRequest, backref="+", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    name = CharField(max_length=120)

    class Meta:
        indexes = ((("request", "member"), True),)


class Upload(NamedTuple):
    filename: str
    content_type: str
    data: bytes


# The kinds of file a request may carry, by how their contents begin.
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 4


def sniff(data: bytes) -> str | None:
    """The content type the file's first bytes show (never its name), or None."""
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


class SupportAttachment(BaseModel):
    """A file sent with a request or a message, kept in the database so that every
    app server has it."""

    request = ForeignKeyField(SupportRequest, backref="attachments", on_delete="CASCADE")
    message = ForeignKeyField(SupportMessage, null=True, on_delete="CASCADE")
    filename = CharField(max_length=200)
    content_type = CharField(max_length=40)
    size = IntegerField()
    data = BlobField()
    uploaded_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def attach(cls, message, files, *, by, now):
        for upload in files:
            cls.create(
                request=message.request_id,
                message=message,
                filename=upload.filename[:200],
                content_type=upload.content_type,
                size=len(upload.data),
                data=upload.data,
                uploaded_by=by,
                created_at=now,
            )

    @classmethod
    def listed(cls):
        """Attachments without their contents: for lists, which must stay light."""
        return cls.select(
            cls.id, cls.request, cls.message, cls.filename, cls.content_type, cls.size
        ).order_by(cls.id)
