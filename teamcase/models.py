"""The records teams keep, with the behaviour that belongs to them.

Times are stored as naive UTC; templates show them in the team's time zone.
"""

import datetime as dt
import hashlib
import json
import secrets

from flask_login import UserMixin
from peewee import (
    JOIN,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    TextField,
    TimeField,
    fn,
)

from teamcase.db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Team(BaseModel):
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
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    def active_members(self):
        return (
            User.select()
            .where(User.team == self, User.role == User.MEMBER, User.active == True)  # noqa: E712
            .order_by(User.name)
        )

    # The team's own details, which any member may change (DESIGN.md rule 3).
    DETAIL_FIELDS = ("name", "area", "street", "postcode", "city", "phone", "email", "capacity")

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.DETAIL_FIELDS}

    def update_details(self, by, version: int, **details) -> bool:
        """Save the team's details unless someone saved since `version` was read.

        Returns False (and changes nothing) on a conflict; raises IntegrityError
        when the new name is another team's.
        """
        before = self.snapshot()
        with db.atomic():
            rows = (
                Team.update(version=Team.version + 1, **details)
                .where(Team.id == self.id, Team.version == version)
                .execute()
            )
            if not rows:
                return False
            fresh = Team.get_by_id(self.id)
            AuditEvent.record(
                by,
                None,
                "update",
                "team",
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
        return Client.select().where(Client.team == self, Client.status == Client.ACTIVE).count()


class TeamChangeRefused(Exception):
    """A change to the team's members or roles that a team rule, or a colleague who
    got there first, does not allow. The message says which, naming who."""


class EmailInUse(Exception):
    """The address already belongs to an account, or to an open invitation."""


def _locked(model, row_id):
    """The row, locked until the transaction ends, so that writers that check and
    then change it take turns. PostgreSQL locks the row (SELECT … FOR UPDATE);
    SQLite's IMMEDIATE transactions already let one writer in at a time."""
    query = model.select().where(model.id == row_id)
    if db.for_update:
        query = query.for_update()
    return query.get()


def _latest_event(team_id, entity, entity_id, actions):
    """The newest of these audit events about one team record, with its actor."""
    return (
        AuditEvent.select(AuditEvent, User)
        .join(User, on=(AuditEvent.actor == User.id))
        .where(
            AuditEvent.team == team_id,
            AuditEvent.client.is_null(),
            AuditEvent.entity == entity,
            AuditEvent.entity_id == entity_id,
            AuditEvent.action.in_(actions),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .first()
    )


class User(UserMixin, BaseModel):
    MEMBER = "member"
    COACH = "coach"
    BACKOFFICE = "backoffice"
    ROLES = {MEMBER: "team member", COACH: "coach", BACKOFFICE: "back office"}

    email = CharField(max_length=254, unique=True)
    name = CharField(max_length=120)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, default=MEMBER)
    team = ForeignKeyField(Team, null=True, backref="users", on_delete="RESTRICT")
    active = BooleanField(default=True)
    # A first password given by a colleague is only good for choosing one's own.
    must_change_password = BooleanField(default=False)
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

    @property
    def first_name(self):
        return self.name.split()[0] if self.name else self.email

    @classmethod
    def by_email(cls, email: str):
        return cls.get_or_none(cls.email == normalise_email(email))

    def set_password(self, password: str) -> None:
        from teamcase.passwords import hasher

        self.password_hash = hasher.hash(password)

    def linked_teams(self):
        return Team.select().join(CoachLink).where(CoachLink.coach == self).order_by(Team.name)

    def choose_password(self, password: str) -> None:
        """Her own password: a first password from a colleague no longer holds her up."""
        self.set_password(password)
        self.must_change_password = False
        self.save(only=[User.password_hash, User.must_change_password])

    @classmethod
    def add_colleague(cls, team, by, name: str, email: str, first_password: str):
        """A new member of `by`'s team with a first password, which she must replace
        with her own at her first login. Raises EmailInUse for a taken address."""
        from teamcase.passwords import hasher

        password_hash = hasher.hash(first_password)  # slow: outside the transaction
        try:
            with db.atomic():
                member = cls.create(
                    team=team,
                    name=name,
                    email=normalise_email(email),
                    role=cls.MEMBER,
                    password_hash=password_hash,
                    must_change_password=True,
                )
                AuditEvent.record(
                    by,
                    None,
                    "create",
                    "member",
                    member.id,
                    after={"name": member.name, "email": member.email, "how": "first password"},
                    team=team,
                )
        except IntegrityError:
            raise EmailInUse(f"There is already an account for {normalise_email(email)}.") from None
        return member

    def deactivate(self, by, today: dt.date, note: str = "") -> None:
        """She left the team: she can no longer log in, the roles she held end today,
        and her name stays on everything she did.

        Raises TeamChangeRefused for the team's last active member, or when a
        colleague deactivated her first. The team row is locked before counting,
        so two members deactivating the last two active members at once cannot
        leave the team with nobody.
        """
        with db.atomic():
            _locked(Team, self.team_id)
            if not User.get_by_id(self.id).active:
                done = _latest_event(self.team_id, "member", self.id, ("deactivate",))
                if done:
                    raise TeamChangeRefused(f"{done.actor.name} already deactivated {self.name}.")
                raise TeamChangeRefused(f"{self.name} is not an active member.")
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
                message = (
                    f"{self.name} is the last active member of the team, and a team needs "
                    "at least one. Add a colleague first."
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
                    message += (
                        f" (The last to leave was {gone}: {last.actor.name} deactivated them.)"
                    )
                raise TeamChangeRefused(message)
            User.update(active=False).where(User.id == self.id).execute()
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
                "deactivate",
                "member",
                self.id,
                before={"name": self.name, "active": True},
                after={"name": self.name, "active": False, "note": note, "roles_ended": ended},
                team=self.team_id,
            )
        self.active = False

    def reactivate(self, by) -> None:
        """A colleague comes back: she can log in again with her old password."""
        with db.atomic():
            rows = (
                User.update(active=True)
                .where(User.id == self.id, User.active == False)  # noqa: E712
                .execute()
            )
            if not rows:
                done = _latest_event(self.team_id, "member", self.id, ("reactivate",))
                if done:
                    raise TeamChangeRefused(f"{done.actor.name} already reactivated {self.name}.")
                raise TeamChangeRefused(f"{self.name} is an active member already.")
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


class Client(BaseModel):
    """A person the team cares for (called "person" on screen)."""

    ACTIVE = "active"
    CLOSED = "closed"
    DETAIL_FIELDS = (
        "name",
        "preferred_name",
        "date_of_birth",
        "street",
        "postcode",
        "city",
        "phone",
        "email",
    )

    team = ForeignKeyField(Team, backref="clients", on_delete="RESTRICT")
    name = CharField(max_length=120)
    preferred_name = CharField(max_length=80, default="")
    date_of_birth = DateField(null=True)
    street = CharField(max_length=120, default="")
    postcode = CharField(max_length=12, default="")
    city = CharField(max_length=80, default="")
    phone = CharField(max_length=40, default="")
    email = CharField(max_length=254, default="")
    status = CharField(max_length=10, default=ACTIVE)
    # The current period in care; a reopened case starts a new one.
    care_started_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)
    close_reason = CharField(max_length=20, default="")
    closing_story = TextField(default="")
    # When the team wants to talk about this person again (the meeting's agenda).
    review_on = DateField(null=True)
    # Kept on the row so the caseload sorts by it without touching contacts.
    last_contact_at = DateTimeField(null=True)
    last_contact_kind = CharField(max_length=20, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "status", "name"), False),)

    @classmethod
    def caseload(cls, team, *, search="", sort="name"):
        """The team's active people, filtered by part of a name or street."""
        query = cls.select().where(cls.team == team, cls.status == cls.ACTIVE)
        search = " ".join(search.split())
        if search:
            pattern = f"%{search}%"
            query = query.where(
                cls.name.ilike(pattern)
                | cls.preferred_name.ilike(pattern)
                | cls.street.ilike(pattern)
            )
        if sort == "contact":
            # Longest without contact first: who needs a visit.
            order = (cls.last_contact_at.asc(nulls="first"), cls.name)
        else:
            order = (cls.name, cls.id)
        return query.order_by(*order)

    @property
    def display_name(self):
        if self.preferred_name and self.preferred_name != self.name:
            return f"{self.name} ({self.preferred_name})"
        return self.name

    @property
    def pseudonym(self):
        """Initials and the record's number: what a coach sees instead of a name."""
        initials = "".join(
            f"{part[0].upper()}." for part in self.name.split() if part[:1].isalpha()
        )
        return f"{initials or '?'} #{self.id}"

    def age(self, today: dt.date | None = None):
        if not self.date_of_birth:
            return None
        today = today or dt.date.today()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in self.DETAIL_FIELDS}
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    def known_best_by(self):
        return User.select().join(KnownBest).where(KnownBest.client == self).order_by(User.name)

    @classmethod
    def open(cls, team, by, known_best=(), **details):
        """Open a case: only a name and one way to reach the person are needed."""
        with db.atomic():
            client = cls.create(team=team, **details)
            for member in known_best:
                KnownBest.create(client=client, member=member)
            AuditEvent.record(by, client, "create", "person", client.id, after=client.snapshot())
        return client

    def update_details(self, by, version: int, known_best=None, **details) -> bool:
        """Save new details unless someone else saved since `version` was read.

        Returns False (and changes nothing) on a conflict.
        """
        before = self.snapshot()
        before["known_best"] = sorted(u.name for u in self.known_best_by())
        with db.atomic():
            rows = (
                Client.update(version=Client.version + 1, updated_at=utcnow(), **details)
                .where(Client.id == self.id, Client.version == version)
                .execute()
            )
            if not rows:
                return False
            if known_best is not None:
                KnownBest.delete().where(KnownBest.client == self).execute()
                for member in known_best:
                    KnownBest.create(client=self, member=member)
            fresh = Client.get_by_id(self.id)
            after = fresh.snapshot()
            after["known_best"] = sorted(u.name for u in fresh.known_best_by())
            AuditEvent.record(by, self, "update", "person", self.id, before=before, after=after)
        self.__data__ = fresh.__data__
        return True

    def contacts(self):
        # The goal's words come along for "for goal: …" on the timeline.
        return (
            Contact.select(Contact, User, Goal.id, Goal.words)
            .join(User, on=(Contact.author == User.id))
            .switch(Contact)
            .join(Goal, JOIN.LEFT_OUTER, on=(Contact.goal == Goal.id))
            .where(Contact.client == self)
            .order_by(Contact.happened_at.desc(), Contact.id.desc())
        )

    def refresh_last_contact(self):
        latest = (
            Contact.select(Contact.happened_at, Contact.kind)
            .where(Contact.client == self)
            .order_by(Contact.happened_at.desc(), Contact.id.desc())
            .first()
        )
        Client.update(
            last_contact_at=latest.happened_at if latest else None,
            last_contact_kind=latest.kind if latest else "",
        ).where(Client.id == self.id).execute()

    # The team meeting (teamcase/meetings.py).

    def flag_for_meeting(self, by, reason: str):
        """Ask the team to talk about this person at the next meeting, saying why."""
        with db.atomic():
            flag = MeetingFlag.create(team=self.team_id, client=self, reason=reason, flagged_by=by)
            AuditEvent.record(
                by, self, "flag", MeetingFlag.ENTITY, flag.id, after={"reason": reason}
            )
        return flag

    def set_review_date(self, by, day: dt.date | None) -> None:
        """When the team talks about this person again at a meeting (None: no date)."""
        before = self.review_on
        with db.atomic():
            Client.update(review_on=day).where(Client.id == self.id).execute()
            AuditEvent.record(
                by,
                self,
                "review",
                "person",
                self.id,
                before={"review_on": before},
                after={"review_on": day},
            )
        self.review_on = day

    # Closing, reopening and transferring a case (teamcase/closing.py).

    # Why a case ended. A person who moves to another team's neighbourhood is not
    # closed but transferred (`transfer_to`): their record goes with them.
    CLOSE_REASONS = {
        "goals_reached": "Goals reached",
        "network": "Their network carries it now",
        "moved": "Moved away",
        "died": "Died",
        "long_term_care": "Admitted to long-term care",
    }
    # The audited changes that change the case's `version`: the one a conflict names.
    CASE_EVENTS = (
        ("update", "person"),
        ("close", "person"),
        ("reopen", "person"),
        ("ask", "transfer"),
    )

    @property
    def close_reason_label(self):
        return self.CLOSE_REASONS.get(self.close_reason, self.close_reason)

    @classmethod
    def closed_in(cls, team):
        """The team's closed cases, the most recently closed first."""
        return (
            cls.select()
            .where(cls.team == team, cls.status == cls.CLOSED)
            .order_by(cls.closed_at.desc(), cls.id.desc())
        )

    def close(self, by, version: int, reason: str, story: str, today: dt.date, *, now=None) -> bool:
        """Close the case: the person leaves the caseload and their planned visits
        from `today` (the team's local date) on are cancelled.

        False, changing nothing, when the case changed since `version` was read:
        a colleague closed it first, changed the details or asked for a transfer.
        `now` (default the present) dates a case that was closed earlier, as the demo's.
        """
        now = now or utcnow()
        before = {"status": self.status, "care_started_at": self.care_started_at}
        with db.atomic():
            rows = (
                Client.update(
                    status=Client.CLOSED,
                    closed_at=now,
                    close_reason=reason,
                    closing_story=story,
                    version=Client.version + 1,
                    updated_at=now,
                )
                .where(
                    Client.id == self.id,
                    Client.version == version,
                    Client.status == Client.ACTIVE,
                )
                .execute()
            )
            if not rows:
                return False
            cancelled = (
                PlannedVisit.update(status=PlannedVisit.CANCELLED, version=PlannedVisit.version + 1)
                .where(
                    PlannedVisit.client == self.id,
                    PlannedVisit.day >= today,
                    PlannedVisit.status == PlannedVisit.PLANNED,
                )
                .execute()
            )
            AuditEvent.record(
                by,
                self,
                "close",
                "person",
                self.id,
                before=before,
                after={
                    "status": Client.CLOSED,
                    "closed_at": now,
                    "close_reason": self.CLOSE_REASONS[reason],
                    "closing_story": story,
                    "planned_visits_cancelled": cancelled,
                },
            )
        self.__data__ = Client.get_by_id(self.id).__data__
        return True

    def reopen(self, by, version: int, note: str = "") -> bool:
        """Open a closed case again: a new period in care starts now. The closing
        reason and story are cleared here and kept in the audit log.

        False, changing nothing, when the case changed since `version` was read.
        """
        now = utcnow()
        before = {
            "status": self.status,
            "care_started_at": self.care_started_at,
            "closed_at": self.closed_at,
            "close_reason": self.close_reason_label,
            "closing_story": self.closing_story,
        }
        with db.atomic():
            rows = (
                Client.update(
                    status=Client.ACTIVE,
                    care_started_at=now,
                    closed_at=None,
                    close_reason="",
                    closing_story="",
                    version=Client.version + 1,
                    updated_at=now,
                )
                .where(
                    Client.id == self.id,
                    Client.version == version,
                    Client.status == Client.CLOSED,
                )
                .execute()
            )
            if not rows:
                return False
            AuditEvent.record(
                by,
                self,
                "reopen",
                "person",
                self.id,
                before=before,
                after={"status": Client.ACTIVE, "care_started_at": now, "note": note},
            )
        self.__data__ = Client.get_by_id(self.id).__data__
        return True

    def closing_event(self):
        """The audit event of the latest closing, with who closed the case."""
        return (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.client == self, AuditEvent.action == "close")
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .first()
        )

    def last_case_change(self):
        """The latest audited change that moved the case's `version` on (details saved,
        closed, reopened, a transfer asked), with who made it; for a conflict message."""
        wanted = None
        for action, entity in self.CASE_EVENTS:
            pair = (AuditEvent.action == action) & (AuditEvent.entity == entity)
            wanted = pair if wanted is None else wanted | pair
        return (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.client == self, wanted)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .first()
        )

    def pending_transfer(self):
        """The transfer of this person that waits on the receiving team, with that
        team and who asked for it; None when there is none."""
        return (
            Referral.select(Referral, Team, User)
            .join(Team, on=(Referral.team == Team.id))
            .switch(Referral)
            .join(User, on=(Referral.recorded_by == User.id))
            .where(
                Referral.client == self,
                Referral.from_team == self.team_id,
                Referral.status.in_(Referral.UNDECIDED),
            )
            .first()
        )

    def transfer_to(self, team, by, note: str):
        """Ask `team` to take this person over: a referral in their inbox with the
        person's details and `note`. The person stays with this team until the
        receiving team accepts (Referral.accept).

        Returns the referral, or None when the case is not open here any more or
        another transfer already waits (the database allows one at a time).
        """
        sending = Team.get_by_id(self.team_id)
        if team.id == sending.id:
            return None
        now = utcnow()
        try:
            with db.atomic():
                # Moving the version on makes a colleague's close, sent from a form
                # read before this, a conflict instead of closing a case in transfer.
                rows = (
                    Client.update(version=Client.version + 1, updated_at=now)
                    .where(
                        Client.id == self.id,
                        Client.team == sending.id,
                        Client.status == Client.ACTIVE,
                    )
                    .execute()
                )
                if not rows:
                    return None
                referral = Referral.create(
                    team=team,
                    from_team=sending,
                    client=self.id,
                    received_at=now,
                    recorded_by=by,
                    referrer_name=by.name,
                    referrer_org=sending.name,
                    referrer_phone=sending.phone,
                    person_name=self.name,
                    date_of_birth=self.date_of_birth,
                    street=self.street,
                    postcode=self.postcode,
                    city=self.city,
                    phone=self.phone,
                    story=note,
                    status=Referral.OPEN,
                )
                AuditEvent.record(
                    by, self, "ask", "transfer", referral.id, after={"to": team.name, "note": note}
                )
                # The receiving team's own log: a referral came in.
                AuditEvent.record(
                    by,
                    None,
                    "create",
                    "referral",
                    referral.id,
                    after=referral.snapshot(),
                    team=team,
                )
        except IntegrityError:
            return None
        self.version += 1
        return referral

    def withdraw_transfer(self, by):
        """Take back the transfer that waits on the receiving team; it stays in their
        inbox as withdrawn. Returns it, or None when none was waiting any more
        (the receiving team decided first, or a colleague withdrew it)."""
        referral = self.pending_transfer()
        if referral is None:
            return None
        with db.atomic():
            rows = (
                Referral.update(
                    status=Referral.WITHDRAWN,
                    decided_by=by,
                    decided_at=utcnow(),
                    version=Referral.version + 1,
                )
                .where(Referral.id == referral.id, Referral.status.in_(Referral.UNDECIDED))
                .execute()
            )
            if not rows:
                return None
            after = {"to": referral.team.name, "status": Referral.WITHDRAWN}
            AuditEvent.record(by, self, "withdraw", "transfer", referral.id, after=after)
            AuditEvent.record(
                by, None, "withdraw", "referral", referral.id, after=after, team=referral.team_id
            )
        return referral

    def care_given(self, since: dt.datetime, until: dt.datetime | None = None) -> tuple[int, int]:
        """(contacts, minutes) recorded for the person in a period, in one query."""
        query = Contact.select(fn.COUNT(Contact.id), fn.SUM(Contact.minutes)).where(
            Contact.client == self, Contact.happened_at >= since
        )
        if until is not None:
            query = query.where(Contact.happened_at <= until)
        contacts, minutes = query.tuples().get()
        return contacts or 0, minutes or 0


class KnownBest(BaseModel):
    """The member(s) who know this person best: the first to ask."""

    client = ForeignKeyField(Client, backref="known_best", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="known_best", on_delete="CASCADE")

    class Meta:
        indexes = ((("client", "member"), True),)

    @classmethod
    def names_in(cls, team) -> dict[int, list[str]]:
        """Member names per client id for the team's active people, in one query."""
        rows = (
            cls.select(cls.client, User.name)
            .join(User)
            .switch(cls)
            .join(Client)
            .where(Client.team == team, Client.status == Client.ACTIVE)
            .order_by(User.name)
            .tuples()
        )
        names: dict[int, list[str]] = {}
        for client_id, name in rows:
            names.setdefault(client_id, []).append(name)
        return names


class Contact(BaseModel):
    """A visit, call, message or consultation, as recorded on the person's timeline."""

    KINDS = {
        "home_visit": "Home visit",
        "phone": "Phone call",
        "video": "Video call",
        "message": "Message",
        "consult": "Consultation with a colleague",
    }
    DEMAND = {"value": "Value demand", "failure": "Failure demand"}
    EDITABLE = (
        "happened_at",
        "minutes",
        "kind",
        "note",
        "incoming",
        "demand",
        "demand_why",
        "resolved_first_time",
        "goal",
    )

    client = ForeignKeyField(Client, backref="contact_set", on_delete="CASCADE")
    author = ForeignKeyField(User, backref="contacts", on_delete="RESTRICT")
    happened_at = DateTimeField()
    minutes = IntegerField()
    kind = CharField(max_length=20)
    note = TextField(default="")
    incoming = BooleanField(default=False)
    demand = CharField(max_length=10, default="")
    demand_why = CharField(max_length=200, default="")
    resolved_first_time = BooleanField(null=True)
    goal = DeferredForeignKey("Goal", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "happened_at"), False),)

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    def snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in self.EDITABLE if name != "goal"}
        data["happened_at"] = self.happened_at.isoformat(sep=" ")
        data["goal"] = self.goal_id
        return data

    def editable_by(self, user, window_hours: int, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.author_id == user.id and now - self.created_at < dt.timedelta(
            hours=window_hours
        )

    @classmethod
    def record(cls, client, by, colleagues=(), **fields):
        with db.atomic():
            contact = cls.create(client=client, author=by, **fields)
            for colleague in colleagues:
                ContactMember.create(contact=contact, member=colleague)
            client.refresh_last_contact()
            if contact.kind == "home_visit":
                Referral.record_first_visit(client, contact.happened_at)
            after = contact.snapshot()
            after["with"] = sorted(c.name for c in colleagues)
            AuditEvent.record(by, client, "create", "contact", contact.id, after=after)
        return contact

    def correct(self, by, version: int, colleagues=None, **fields) -> bool:
        before = self.snapshot()
        with db.atomic():
            rows = (
                Contact.update(version=Contact.version + 1, **fields)
                .where(Contact.id == self.id, Contact.version == version)
                .execute()
            )
            if not rows:
                return False
            if colleagues is not None:
                ContactMember.delete().where(ContactMember.contact == self).execute()
                for colleague in colleagues:
                    ContactMember.create(contact=self, member=colleague)
            fresh = Contact.get_by_id(self.id)
            self.client.refresh_last_contact()
            AuditEvent.record(
                by, self.client, "update", "contact", self.id, before=before, after=fresh.snapshot()
            )
        self.__data__ = fresh.__data__
        return True

    def remove(self, by):
        with db.atomic():
            AuditEvent.record(by, self.client, "delete", "contact", self.id, before=self.snapshot())
            self.delete_instance(recursive=True)
            self.client.refresh_last_contact()

    @classmethod
    def colleagues_for(cls, contacts) -> dict[int, list[str]]:
        ids = [c.id for c in contacts]
        names: dict[int, list[str]] = {i: [] for i in ids}
        if not ids:
            return names
        rows = (
            ContactMember.select(ContactMember.contact, User.name)
            .join(User)
            .where(ContactMember.contact.in_(ids))
            .order_by(User.name)
            .tuples()
        )
        for contact_id, name in rows:
            names[contact_id].append(name)
        return names


class ContactMember(BaseModel):
    """A colleague who took part in a contact besides its author."""

    contact = ForeignKeyField(Contact, backref="members", on_delete="CASCADE")
    member = ForeignKeyField(User, on_delete="CASCADE")

    class Meta:
        indexes = ((("contact", "member"), True),)


class AuditEvent(BaseModel):
    """Who viewed or changed what in a person's record, and when."""

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
    actor = ForeignKeyField(User, on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    action = CharField(max_length=10)
    entity = CharField(max_length=20)
    entity_id = IntegerField(null=True)
    changes = TextField(default="")

    class Meta:
        indexes = ((("client", "at"), False), (("team", "at"), False))

    @classmethod
    def record(
        cls, actor, client, action, entity, entity_id=None, before=None, after=None, team=None
    ):
        """Write one event; `client` is None for team records (then pass `team`)."""
        changes = ""
        if before is not None or after is not None:
            changes = json.dumps({"before": before, "after": after}, default=str, sort_keys=True)
        return cls.create(
            team=team if client is None else client.team_id,
            client=client,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
        )

    @classmethod
    def last_change(cls, entity: str, entity_id: int):
        """Who saved this record last (with their name), for a conflict message."""
        return (
            cls.select(cls, User)
            .join(User, on=(cls.actor == User.id))
            .where(cls.entity == entity, cls.entity_id == entity_id, cls.action == "update")
            .order_by(cls.at.desc(), cls.id.desc())
            .first()
        )

    @classmethod
    def for_client(cls, client):
        return (
            cls.select(cls, User)
            .join(User, JOIN.INNER, on=(cls.actor == User.id))
            .where(cls.client == client)
            .order_by(cls.at.desc(), cls.id.desc())
        )

    @classmethod
    def for_team(cls, team, entities):
        """The team's own log: changes to team records of these kinds (no person's
        record), newest first, with who made each."""
        return (
            cls.select(cls, User)
            .join(User, on=(cls.actor == User.id))
            .where(cls.team == team, cls.client.is_null(), cls.entity.in_(entities))
            .order_by(cls.at.desc(), cls.id.desc())
        )

    def differences(self):
        """(field, before, after) for each value that changed."""
        if not self.changes:
            return []
        data = json.loads(self.changes)
        before, after = data.get("before") or {}, data.get("after") or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class LoginThrottle(BaseModel):
    """Failed sign-ins per account or per address, shared by every worker."""

    key = CharField(max_length=300, unique=True)
    failures = IntegerField(default=0)
    last_failure_at = DateTimeField(null=True)
    blocked_until = DateTimeField(null=True)


class PersonPart(BaseModel):
    """A part of a person's record (a strength, an offer, a network member…).

    Edits are optimistic: `change` saves only if nobody saved since `version`
    was read. Every add, change and removal is audited with before/after.
    """

    ENTITY = ""
    FIELDS: tuple[str, ...] = ()

    def snapshot(self) -> dict:
        data = {}
        for name in self.FIELDS:
            value = getattr(self, name + "_id", None) if name in self._fk_names() else None
            if value is None:
                value = getattr(self, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data

    @classmethod
    def _fk_names(cls):
        return {f.name for f in cls._meta.sorted_fields if isinstance(f, ForeignKeyField)}

    @property
    def person(self):
        return self.client

    @classmethod
    def add(cls, client, by, **fields):
        with db.atomic():
            row = cls.create(client=client, **fields)
            AuditEvent.record(by, client, "create", cls.ENTITY, row.id, after=row.snapshot())
        return row

    def change(self, by, version: int, **fields) -> bool:
        """Save `fields` unless someone saved since `version`; False on a conflict."""
        before = self.snapshot()
        with db.atomic():
            model = type(self)
            rows = (
                model.update(version=model.version + 1, **fields)
                .where(model.id == self.id, model.version == version)
                .execute()
            )
            if not rows:
                return False
            fresh = model.get_by_id(self.id)
            AuditEvent.record(
                by,
                self.person,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=fresh.snapshot(),
            )
        self.__data__ = fresh.__data__
        return True

    def remove(self, by):
        with db.atomic():
            AuditEvent.record(
                by, self.person, "delete", self.ENTITY, self.id, before=self.snapshot()
            )
            self.delete_instance()


class AboutMe(BaseModel):
    """One version of one section of "about me", in the person's own words.

    Versions are never changed: a new text is a new version, numbered one
    higher. The unique (client, section, version) constraint makes two people
    saving the same section at once a conflict instead of a lost update.
    """

    SECTIONS = {
        "matters": "What matters to me",
        "good_day": "What a good day looks like",
        "appreciated": "What people appreciate about me",
        "support": "How best to support me",
        "hopes": "My hopes for the future",
    }
    SAID_BY = {"person": "In their own words", "family": "Family", "member": "A team member"}

    client = ForeignKeyField(Client, backref="about_entries", on_delete="CASCADE")
    section = CharField(max_length=20)
    version = IntegerField()
    text = TextField()
    said_by = CharField(max_length=10, default="person")
    said_by_name = CharField(max_length=80, default="")
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    recorded_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "section", "version"), True),)

    @property
    def title(self):
        return self.SECTIONS[self.section]

    @classmethod
    def current_for(cls, client) -> dict:
        """The newest version of each section, in one query."""
        newest = (
            cls.select(cls.section, fn.MAX(cls.version).alias("newest"))
            .where(cls.client == client)
            .group_by(cls.section)
            .alias("newest")
        )
        rows = (
            cls.select(cls, User)
            .join(newest, on=((cls.section == newest.c.section) & (cls.version == newest.c.newest)))
            .switch(cls)
            .join(User, on=(cls.recorded_by == User.id))
            .where(cls.client == client)
        )
        return {row.section: row for row in rows}

    @classmethod
    def versions(cls, client, section):
        return (
            cls.select(cls, User)
            .join(User, on=(cls.recorded_by == User.id))
            .where(cls.client == client, cls.section == section)
            .order_by(cls.version.desc())
        )

    @classmethod
    def write(
        cls, client, section, by, based_on: int, text, said_by, said_by_name="", *, recorded_at=None
    ):
        """Add version `based_on + 1`; None when someone else already wrote it.

        `recorded_at` (default now) dates a version written down earlier, as the demo's."""
        if based_on < 0:
            return None
        previous = (
            cls.select(cls.text)
            .where(cls.client == client, cls.section == section, cls.version == based_on)
            .scalar()
        )
        try:
            with db.atomic():
                entry = cls.create(
                    client=client,
                    section=section,
                    version=based_on + 1,
                    text=text,
                    said_by=said_by,
                    said_by_name=said_by_name,
                    recorded_by=by,
                    recorded_at=recorded_at or utcnow(),
                )
                AuditEvent.record(
                    by,
                    client,
                    "update" if based_on else "create",
                    "about_me",
                    entry.id,
                    before={section: previous} if based_on else None,
                    after={section: text, "said_by": said_by, "said_by_name": said_by_name},
                )
        except IntegrityError:
            return None
        return entry


class Strength(PersonPart):
    CATEGORIES = {
        "personal": "Personal qualities",
        "skills": "Skills and interests",
        "home": "Home and practical resources",
        "relationships": "Relationships",
        "community": "Community",
    }
    ENTITY = "strength"
    FIELDS = ("category", "text")

    client = ForeignKeyField(Client, backref="strengths", on_delete="CASCADE")
    category = CharField(max_length=20)
    text = CharField(max_length=300)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @property
    def category_label(self):
        return self.CATEGORIES.get(self.category, self.category)

    @classmethod
    def for_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.id)


class Offer(PersonPart):
    """What the person can give to others: co-production, not only receiving."""

    ENTITY = "offer"
    FIELDS = ("text", "when")

    client = ForeignKeyField(Client, backref="offers", on_delete="CASCADE")
    text = CharField(max_length=300)
    when = CharField(max_length=120, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def for_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.id)


class LocalResource(BaseModel):
    """A place or group in the neighbourhood the team knows and links people to."""

    KINDS = {
        "gp": "GP practice",
        "pharmacy": "Pharmacy",
        "community": "Community group",
        "time_bank": "Time bank",
        "welfare": "Welfare or social work",
        "health": "Other health service",
        "other": "Other",
    }
    CSV_COLUMNS = ("name", "kind", "address", "phone", "opening_hours", "notes")
    ENTITY = "resource"

    team = ForeignKeyField(Team, backref="resources", on_delete="CASCADE")
    name = CharField(max_length=120)
    kind = CharField(max_length=20, default="other")
    address = CharField(max_length=200, default="")
    phone = CharField(max_length=40, default="")
    opening_hours = CharField(max_length=200, default="")
    notes = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "name"), True),)

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @classmethod
    def for_team(cls, team):
        return cls.select().where(cls.team == team).order_by(cls.name)

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.CSV_COLUMNS}

    @classmethod
    def directory(cls, team):
        """The team's resources, each with `people`: how many people's current
        network links to it, counted in the same query."""
        people = fn.COUNT(NetworkMember.client.distinct())
        return (
            cls.select(cls, people.alias("people"))
            .join(
                NetworkMember,
                JOIN.LEFT_OUTER,
                on=((NetworkMember.resource == cls.id) & NetworkMember.until.is_null()),
            )
            .where(cls.team == team)
            .group_by(cls)
            .order_by(cls.name)
        )

    @classmethod
    def names_in(cls, team, leave_out=None) -> frozenset:
        """The names in the directory, casefolded, for the duplicate check."""
        query = cls.select(cls.name).where(cls.team == team)
        if leave_out is not None:
            query = query.where(cls.id != leave_out)
        return frozenset(name.casefold() for (name,) in query.tuples())

    @classmethod
    def add(cls, team, by, action="create", **fields):
        with db.atomic():
            resource = cls.create(team=team, **fields)
            AuditEvent.record(
                by, None, action, cls.ENTITY, resource.id, after=resource.snapshot(), team=team
            )
        return resource

    @classmethod
    def import_rows(cls, team, by, rows: list[dict]) -> int:
        """Add every row or, when one fails, none."""
        with db.atomic():
            for values in rows:
                cls.add(team, by, action="import", **values)
        return len(rows)

    def change(self, by, version: int, **fields) -> bool:
        """Save `fields` unless someone saved since `version`; False on a conflict."""
        before = self.snapshot()
        with db.atomic():
            model = type(self)
            saved = (
                model.update(version=model.version + 1, **fields)
                .where(model.id == self.id, model.version == version)
                .execute()
            )
            if not saved:
                return False
            after = model.get_by_id(self.id).snapshot()
            AuditEvent.record(
                by,
                None,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=after,
                team=self.team_id,
            )
        return True

    def remove(self, by) -> int:
        """Delete the entry. The database unlinks network entries (SET NULL); each
        unlinked entry is a change to a person's record, so it is audited there too.
        Returns how many network entries lost their link."""
        with db.atomic():
            linked = list(
                NetworkMember.select(NetworkMember.id, Client.id, Client.team)
                .join(Client)
                .where(NetworkMember.resource == self.id)
            )
            AuditEvent.record(
                by,
                None,
                "delete",
                self.ENTITY,
                self.id,
                before=self.snapshot(),
                team=self.team_id,
            )
            for entry in linked:
                AuditEvent.record(
                    by,
                    entry.client,
                    "update",
                    NetworkMember.ENTITY,
                    entry.id,
                    before={"resource": self.id},
                    after={"resource": None},
                )
            self.delete_instance()
        return len(linked)


class NetworkMember(PersonPart):
    """Someone around the person: family, friends, neighbours, professionals, groups.

    Rows are dated: `since` is when the tie was recorded and `until` when it
    ended or changed. A change of relation or tie strength ends the row and
    starts a new one, so the network at any date can be drawn again.
    """

    RELATIONS = {
        "family": "Family",
        "friend": "Friend",
        "neighbour": "Neighbour",
        "colleague": "Colleague",
        "gp": "GP practice",
        "pharmacy": "Pharmacy",
        "community": "Community group",
        "professional": "Other professional",
        "other": "Other",
    }
    GROUPS = {
        "family": "Family",
        "friend": "Friends and neighbours",
        "neighbour": "Friends and neighbours",
        "colleague": "Friends and neighbours",
        "community": "Community",
        "gp": "Professionals",
        "pharmacy": "Professionals",
        "professional": "Professionals",
        "other": "Other",
    }
    TIES = {
        "strong": "Strong",
        "moderate": "Moderate",
        "weak": "Weak",
        "stressful": "Stressful",
    }
    ENTITY = "network"
    FIELDS = (
        "name",
        "relation",
        "does_now",
        "could_do",
        "reach",
        "tie",
        "frequency",
        "resource",
        "on_profile",
        "since",
        "until",
    )

    client = ForeignKeyField(Client, backref="network", on_delete="CASCADE")
    name = CharField(max_length=120)
    relation = CharField(max_length=20)
    does_now = CharField(max_length=300, default="")
    could_do = CharField(max_length=300, default="")
    reach = CharField(max_length=200, default="")
    tie = CharField(max_length=10, default="moderate")
    frequency = CharField(max_length=80, default="")
    resource = ForeignKeyField(LocalResource, null=True, on_delete="SET NULL")
    # The person agreed that this entry may appear on the printed profile.
    on_profile = BooleanField(default=False)
    since = DateField(default=dt.date.today)
    until = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "until"), False),)

    @property
    def relation_label(self):
        return self.RELATIONS.get(self.relation, self.relation)

    @property
    def group(self):
        return self.GROUPS.get(self.relation, "Other")

    @property
    def tie_label(self):
        return self.TIES.get(self.tie, self.tie)

    @classmethod
    def current(cls, client):
        return (
            cls.select(cls, LocalResource)
            .join(LocalResource, JOIN.LEFT_OUTER)
            .where(cls.client == client, cls.until.is_null())
            .order_by(cls.relation, cls.name)
        )

    @classmethod
    def at(cls, client, day: dt.date):
        """The network as it stood at the end of `day`."""
        return cls.select().where(
            cls.client == client,
            cls.since <= day,
            cls.until.is_null() | (cls.until > day),
        )

    def change(self, by, version: int, **fields) -> bool:
        reshaped = any(
            key in fields and fields[key] != getattr(self, key) for key in ("relation", "tie")
        )
        if not reshaped or self.since >= dt.date.today():
            return super().change(by, version, **fields)
        # A new relation or tie strength is a dated change: end this row, start a new one.
        with db.atomic():
            if not super().change(by, version, until=dt.date.today()):
                return False
            data = {k: getattr(self, k) for k in self.FIELDS if k not in ("since", "until")}
            data["resource"] = self.resource_id
            data.update(fields)
            successor = NetworkMember.add(self.client, by, since=dt.date.today(), **data)
        self.__data__ = successor.__data__
        return True

    def end(self, by, version: int) -> bool:
        """The tie ended: it stays in the history, dated."""
        return super().change(by, version, until=dt.date.today())

    @classmethod
    def growth(cls, client) -> dict | None:
        """The network a fortnight after it was first recorded, next to now.

        None until there is a network to compare.
        """
        rows = list(cls.select(cls.since, cls.until, cls.tie).where(cls.client == client).tuples())
        if not rows:
            return None
        start_day = min(since for since, _, _ in rows) + dt.timedelta(days=14)
        today = dt.date.today()

        def count(day):
            alive = [t for s, u, t in rows if s <= day and (u is None or u > day)]
            return {"people": len(alive), "strong": sum(t == "strong" for t in alive)}

        return {
            "start": min(start_day, today),
            "at_start": count(min(start_day, today)),
            "now": count(today),
        }


class Goal(PersonPart):
    """Something the person wants, in their own words, and the steps towards it."""

    STATUSES = {"active": "Active", "achieved": "Achieved", "let_go": "Let go"}
    ENTITY = "goal"
    FIELDS = ("words", "why", "status", "story", "review_on", "help_wanted")

    client = ForeignKeyField(Client, backref="goals", on_delete="CASCADE")
    words = CharField(max_length=300)
    why = TextField(default="")
    status = CharField(max_length=10, default="active")
    story = TextField(default="")
    review_on = DateField(null=True)
    # Help a neighbour could give: shown on the team's "offers and needs" page.
    help_wanted = CharField(max_length=300, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @classmethod
    def for_client(cls, client):
        return (
            cls.select()
            .where(cls.client == client)
            .order_by(cls.status != "active", cls.review_on.asc(nulls="last"), cls.id)
        )


class Step(PersonPart):
    """A step towards a goal, and who helps with it."""

    HELPERS = {
        "person": "They do it themselves",
        "network": "Someone around them",
        "member": "One of us",
    }
    ENTITY = "step"
    FIELDS = ("text", "helper_kind", "network_member", "member", "due_on", "done_on")

    goal = ForeignKeyField(Goal, backref="steps", on_delete="CASCADE")
    text = CharField(max_length=300)
    helper_kind = CharField(max_length=10, default="person")
    network_member = ForeignKeyField(NetworkMember, null=True, on_delete="SET NULL")
    member = ForeignKeyField(User, null=True, on_delete="SET NULL")
    due_on = DateField(null=True)
    done_on = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    def snapshot(self) -> dict:
        # The history names who helps; an id would mean nothing to the team.
        data = super().snapshot()
        data["network_member"] = self.network_member.name if self.network_member_id else None
        data["member"] = self.member.name if self.member_id else None
        return data

    @property
    def person(self):
        return self.goal.client

    @classmethod
    def add(cls, goal, by, **fields):
        with db.atomic():
            row = cls.create(goal=goal, **fields)
            AuditEvent.record(by, goal.client, "create", cls.ENTITY, row.id, after=row.snapshot())
        return row

    @classmethod
    def for_goals(cls, goals) -> dict[int, list]:
        """Steps per goal id, with their helpers, in one query."""
        ids = [g.id for g in goals]
        steps: dict[int, list] = {i: [] for i in ids}
        if not ids:
            return steps
        helper = NetworkMember.alias()
        rows = (
            cls.select(cls, helper, User)
            .join(helper, JOIN.LEFT_OUTER, on=(cls.network_member == helper.id))
            .switch(cls)
            .join(User, JOIN.LEFT_OUTER, on=(cls.member == User.id))
            .where(cls.goal.in_(ids))
            .order_by(cls.done_on.is_null(False), cls.due_on.asc(nulls="last"), cls.id)
        )
        for step in rows:
            steps[step.goal_id].append(step)
        return steps

    @property
    def helper_name(self):
        if self.helper_kind == "network" and self.network_member_id:
            return self.network_member.name
        if self.helper_kind == "member" and self.member_id:
            return self.member.name
        return "themselves"


class Connection(BaseModel):
    """Two neighbours put in touch: one's offer meets another's goal, and both agreed."""

    offer = ForeignKeyField(Offer, backref="connections", on_delete="CASCADE")
    goal = ForeignKeyField(Goal, backref="connections", on_delete="CASCADE")
    agreed_on = DateField(default=dt.date.today)
    note = CharField(max_length=300, default="")
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("offer", "goal"), True),)


class Consent(PersonPart):
    """What the person agreed to share, with whom, and since when."""

    ENTITY = "consent"
    FIELDS = ("what", "with_whom", "given_on", "withdrawn_on")

    client = ForeignKeyField(Client, backref="consents", on_delete="CASCADE")
    what = CharField(max_length=300)
    with_whom = CharField(max_length=300)
    given_on = DateField(default=dt.date.today)
    withdrawn_on = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def for_client(cls, client):
        return (
            cls.select()
            .where(cls.client == client)
            .order_by(cls.withdrawn_on.is_null(False), cls.id)
        )

    def withdraw(self, by) -> bool:
        """Withdrawn consent stays on record, dated."""
        return self.change(by, self.version, withdrawn_on=dt.date.today())


class Referral(BaseModel):
    """Someone asks the team to take a person on: a GP, a hospital, a neighbour,
    the person themselves, or another team handing over (a transfer).

    The team decides itself; whoever takes the call records it, and any member
    accepts or declines on the team's behalf (../shared/DESIGN.md, rules 3 and 6).
    """

    OPEN = "open"
    MEETING = "meeting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    # A transfer the sending team took back before the receiving team decided.
    WITHDRAWN = "withdrawn"
    STATUSES = {
        OPEN: "Open",
        MEETING: "For the team meeting",
        ACCEPTED: "Accepted",
        DECLINED: "Declined",
        WITHDRAWN: "Withdrawn by the sending team",
    }
    URGENCIES = {"urgent": "Urgent (within a day)", "soon": "This week", "routine": "When we can"}

    team = ForeignKeyField(Team, backref="referrals", on_delete="CASCADE")
    received_at = DateTimeField(default=utcnow)
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
    referrer_name = CharField(max_length=120, default="")
    referrer_org = CharField(max_length=120, default="")
    referrer_phone = CharField(max_length=40, default="")
    person_name = CharField(max_length=120)
    date_of_birth = DateField(null=True)
    street = CharField(max_length=120, default="")
    postcode = CharField(max_length=12, default="")
    city = CharField(max_length=80, default="")
    phone = CharField(max_length=40, default="")
    story = TextField(default="")
    urgency = CharField(max_length=10, default="soon")
    status = CharField(max_length=10, default=OPEN)
    meeting_reason = CharField(max_length=300, default="")
    decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)
    decline_reason = CharField(max_length=300, default="")
    referred_on_to = CharField(max_length=200, default="")
    # Set on acceptance, or from the start for a transfer of an existing person.
    client = ForeignKeyField(Client, null=True, backref="referrals", on_delete="SET NULL")
    from_team = ForeignKeyField(Team, null=True, on_delete="SET NULL")
    first_visit_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "received_at"), False),)

    UNDECIDED = (OPEN, MEETING)
    # What the new person's record takes over from the referral.
    PERSON_FIELDS = ("date_of_birth", "street", "postcode", "city", "phone")
    RECENT_DAYS = 30

    @property
    def urgency_label(self):
        return self.URGENCIES.get(self.urgency, self.urgency)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def undecided(self):
        return self.status in self.UNDECIDED

    @property
    def is_transfer(self):
        return self.from_team_id is not None

    def snapshot(self) -> dict:
        fields = (
            "referrer_name",
            "referrer_org",
            "referrer_phone",
            "person_name",
            "date_of_birth",
            "street",
            "postcode",
            "city",
            "phone",
            "story",
            "urgency",
            "status",
            "meeting_reason",
            "decline_reason",
            "referred_on_to",
        )
        data = {name: getattr(self, name) for name in fields}
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    @classmethod
    def receive(cls, team, by, **details):
        """Record a referral as the member who took the call heard it."""
        with db.atomic():
            referral = cls.create(team=team, recorded_by=by, **details)
            AuditEvent.record(
                by, None, "create", "referral", referral.id, after=referral.snapshot(), team=team
            )
        return referral

    @classmethod
    def inbox(cls, team, now: dt.datetime | None = None) -> dict[str, list]:
        """The team's referrals in one query, in the inbox's three parts: open ones
        (urgent first, then longest waiting), those for the team meeting, and those
        decided in the last 30 days (newest decision first)."""
        since = (now or utcnow()) - dt.timedelta(days=cls.RECENT_DAYS)
        recorder, decider, sender = User.alias(), User.alias(), Team.alias()
        rows = (
            cls.select(cls, recorder, decider, sender)
            .join(recorder, on=(cls.recorded_by == recorder.id))
            .switch(cls)
            .join(decider, JOIN.LEFT_OUTER, on=(cls.decided_by == decider.id))
            .switch(cls)
            .join(sender, JOIN.LEFT_OUTER, on=(cls.from_team == sender.id))
            .where(
                cls.team == team,
                cls.status.in_(cls.UNDECIDED) | (cls.decided_at >= since),
            )
            .order_by(cls.received_at, cls.id)
        )
        parts = {"open": [], "meeting": [], "decided": []}
        for referral in rows:
            part = referral.status if referral.undecided else "decided"
            parts[part].append(referral)
        urgency = list(cls.URGENCIES)
        parts["open"].sort(key=lambda r: urgency.index(r.urgency) if r.urgency in urgency else 9)
        parts["decided"].sort(key=lambda r: (r.decided_at, r.id), reverse=True)
        return parts

    def possible_duplicates(self) -> list:
        """People of the team, active or closed, who may be this person: the same
        name and date of birth, or the same name and street. A hint, never a block."""
        street = _squeezed(self.street)
        if not (self.date_of_birth or street):
            return []
        born = Client.date_of_birth == self.date_of_birth
        # Spaces and case vary in typed addresses; compare without them.
        lives = fn.LOWER(fn.REPLACE(Client.street, " ", "")) == street
        if self.date_of_birth and street:
            same = born | lives
        else:
            same = born if self.date_of_birth else lives
        candidates = Client.select().where(Client.team == self.team_id, same)
        if self.client_id:
            candidates = candidates.where(Client.id != self.client_id)
        name = _name_key(self.person_name)
        return [
            person
            for person in candidates.order_by(Client.name, Client.id)
            if _name_key(person.name) == name
            and (
                (self.date_of_birth and person.date_of_birth == self.date_of_birth)
                or (street and _squeezed(person.street) == street)
            )
        ]

    def _decide(self, by, status: str, now, allowed=UNDECIDED, **fields) -> bool:
        """Move to `status` unless a colleague decided first: a conditional UPDATE,
        so of two members deciding at the same moment exactly one wins."""
        rows = (
            Referral.update(
                status=status,
                decided_by=by,
                decided_at=now,
                version=Referral.version + 1,
                **fields,
            )
            .where(Referral.id == self.id, Referral.status.in_(allowed))
            .execute()
        )
        return bool(rows)

    def hold_for_meeting(self, by, reason: str) -> bool:
        """Put it on the team meeting's list; it can still be accepted or declined."""
        before = self.snapshot()
        with db.atomic():
            if not self._decide(by, self.MEETING, utcnow(), (self.OPEN,), meeting_reason=reason):
                return False
            self._audit(by, None, "meeting", before)
        return True

    def decline(self, by, reason: str, referred_on_to: str = "") -> bool:
        """Decline on the team's behalf. A declined transfer leaves the person where
        they are, with the sending team."""
        before = self.snapshot()
        with db.atomic():
            fields = {"decline_reason": reason, "referred_on_to": referred_on_to}
            if not self._decide(by, self.DECLINED, utcnow(), **fields):
                return False
            self._audit(by, None, "decline", before)
        return True

    def accept(self, by, first_visit: dict, known_best: bool = True, today=None) -> bool:
        """Take the person on for the team and plan the first visit.

        A referral opens a new case; a transfer moves the sending team's person
        here instead, with their whole record. `first_visit` has the day,
        starts_at, ends_at, minutes and member (None: up for a colleague to take).
        `known_best`: the accepting member becomes the one who knows them best.
        `today` is the team's local date (the sending team's visits from then on
        are taken out of its plan).

        False when a colleague decided first, or when the sending team no longer
        has the person; nothing is changed then.
        """
        now = utcnow()
        before = self.snapshot()
        with db.atomic() as transaction:
            if not self._decide(by, self.ACCEPTED, now):
                return False
            if self.is_transfer and self.client_id:
                client = self._move_here(by, known_best, now, today or dt.date.today())
                if client is None:
                    transaction.rollback()
                    return False
            else:
                client = Client.open(
                    self.team,
                    by,
                    known_best=[by] if known_best else [],
                    name=self.person_name,
                    **{name: getattr(self, name) for name in self.PERSON_FIELDS},
                )
                Referral.update(client=client).where(Referral.id == self.id).execute()
            visit = PlannedVisit.create(
                team=self.team_id,
                client=client,
                created_by=by,
                kind="home_visit",
                note="First visit",
                status=PlannedVisit.PLANNED,
                **first_visit,
            )
            self._audit(by, client, "accept", before)
            AuditEvent.record(
                by,
                client,
                "create",
                "visit",
                visit.id,
                after={
                    "day": visit.day.isoformat(),
                    "starts_at": visit.starts_at.strftime("%H:%M") if visit.starts_at else None,
                    "ends_at": visit.ends_at.strftime("%H:%M") if visit.ends_at else None,
                    "minutes": visit.minutes,
                    "member": visit.member.name if visit.member_id else None,
                    "note": visit.note,
                },
            )
        self.__data__ = Referral.get_by_id(self.id).__data__
        return True

    def _move_here(self, by, known_best: bool, now, today):
        """A transfer: the person, with their whole record, becomes this team's.
        The sending team's plan and board let go of them; its audit rows stay its own."""
        sending = self.from_team_id
        person = Client.get_or_none(Client.id == self.client_id)
        if person is None:
            return None
        before = person.snapshot()
        before["team"] = person.team.name
        before["known_best"] = sorted(u.name for u in person.known_best_by())
        moved = (
            Client.update(
                team=self.team_id,
                # A new period in care starts with the new team.
                care_started_at=now,
                version=Client.version + 1,
                updated_at=now,
            )
            # Not when the sending team has closed the case (or moved it) meanwhile.
            .where(
                Client.id == person.id,
                Client.team == sending,
                Client.status == Client.ACTIVE,
            )
            .execute()
        )
        if not moved:
            return None
        KnownBest.delete().where(KnownBest.client == person).execute()
        if known_best:
            KnownBest.create(client=person, member=by)
        cancelled = (
            PlannedVisit.delete()
            .where(
                PlannedVisit.client == person,
                PlannedVisit.team == sending,
                PlannedVisit.status == PlannedVisit.PLANNED,
                PlannedVisit.day >= today,
            )
            .execute()
        )
        # Closed by whoever took the person over: the board names someone, never nobody.
        closed = (
            Task.update(status=Task.DONE, done_by=by, done_at=now, version=Task.version + 1)
            .where(Task.client == person, Task.team == sending, Task.status == Task.OPEN)
            .execute()
        )
        person = Client.get_by_id(person.id)
        after = person.snapshot()
        after["team"] = self.team.name
        after["known_best"] = [by.name] if known_best else []
        # The sending team's log keeps that the person left, and with them what.
        AuditEvent.record(
            by,
            None,
            "transfer",
            "person",
            person.id,
            before=before,
            after={**after, "planned_visits_taken_out": cancelled, "open_tasks_closed": closed},
            team=sending,
        )
        return person

    def _audit(self, by, client, action: str, before: dict) -> None:
        fresh = Referral.get_by_id(self.id)
        AuditEvent.record(
            by,
            client,
            action,
            "referral",
            self.id,
            before=before,
            after=fresh.snapshot(),
            team=self.team_id,
        )
        self.__data__ = fresh.__data__

    @classmethod
    def record_first_visit(cls, client, at: dt.datetime) -> None:
        """The first home visit after an accepted referral: the team's time from
        referral to first visit. One UPDATE that changes nothing when it is not the first."""
        cls.update(first_visit_at=at).where(
            cls.client == client,
            cls.status == cls.ACCEPTED,
            cls.first_visit_at.is_null(),
            # A typed time has no seconds: a visit in the minute the referral came counts.
            cls.received_at < at + dt.timedelta(minutes=1),
        ).execute()


# One transfer at a time per person: a second one waiting is refused by the database,
# however many members ask at the same moment.
Referral.add_index(
    Referral.index(
        Referral.client,
        unique=True,
        where=(Referral.from_team.is_null(False) & Referral.status.in_(Referral.UNDECIDED)),
        name="referral_one_pending_transfer",
    )
)


def _name_key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _squeezed(text: str) -> str:
    """An address without spaces or case, as the database compares it."""
    return "".join((text or "").split()).lower()


class Task(BaseModel):
    """Something to do on the team board, for a person or for the team.

    Nobody assigns work: a member claims a task, or is asked and accepts.
    """

    OPEN = "open"
    DONE = "done"

    team = ForeignKeyField(Team, backref="tasks", on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, backref="tasks", on_delete="CASCADE")
    title = CharField(max_length=200)
    note = TextField(default="")
    due_on = DateField(null=True)
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    claimed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    claimed_at = DateTimeField(null=True)
    requested_of = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    requested_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    requested_at = DateTimeField(null=True)
    # Set when the colleague asked said no; the request stays so the asker sees it.
    declined_at = DateTimeField(null=True)
    status = CharField(max_length=10, default=OPEN)
    done_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    done_at = DateTimeField(null=True)
    # The meeting item that agreed it, for the minutes (teamcase/meetings.py).
    meeting_item = DeferredForeignKey("AgendaItem", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "due_on"), False),)

    ENTITY = "task"
    FILTERS = {
        "open": "All open",
        "mine": "Mine",
        "unclaimed": "Unclaimed",
        "overdue": "Overdue",
    }
    DONE_DAYS = 14

    def snapshot(self) -> dict:
        # The history names the person, not an id: it is read by the team.
        return {
            "title": self.title,
            "note": self.note,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "person": self.client.name if self.client_id else None,
        }

    @classmethod
    def _cards(cls):
        """Tasks with their person and every colleague a card names, in one query."""
        claimer, asked, asker, doer, adder = (User.alias(n) for n in ("c", "q", "r", "d", "a"))
        columns = [Client.id, Client.name, Client.preferred_name]
        for alias in (claimer, asked, asker, doer, adder):
            columns += [alias.id, alias.name]
        return (
            cls.select(cls, *columns)
            .join(Client, JOIN.LEFT_OUTER, on=(cls.client == Client.id))
            .switch(cls)
            .join(claimer, JOIN.LEFT_OUTER, on=(cls.claimed_by == claimer.id))
            .switch(cls)
            .join(asked, JOIN.LEFT_OUTER, on=(cls.requested_of == asked.id))
            .switch(cls)
            .join(asker, JOIN.LEFT_OUTER, on=(cls.requested_by == asker.id))
            .switch(cls)
            .join(doer, JOIN.LEFT_OUTER, on=(cls.done_by == doer.id))
            .switch(cls)
            .join(adder, on=(cls.created_by == adder.id))
        )

    @classmethod
    def card(cls, task_id: int):
        return cls._cards().where(cls.id == task_id).get()

    @classmethod
    def _still_ours(cls):
        # A person transferred to another team leaves the board with their record.
        return cls.client.is_null() | (Client.team == cls.team)

    @classmethod
    def open_for(cls, team):
        """The team's open tasks: the soonest due first (so overdue ones lead), then
        those without a date, newest first within each."""
        return (
            cls._cards()
            .where(cls.team == team, cls.status == cls.OPEN, cls._still_ours())
            .order_by(cls.due_on.asc(nulls="last"), cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def done_for(cls, team, since: dt.datetime):
        return (
            cls._cards()
            .where(cls.team == team, cls.status == cls.DONE, cls._still_ours())
            .where(cls.done_at >= since)
            .order_by(cls.done_at.desc(), cls.id.desc())
        )

    @classmethod
    def open_count(cls, client) -> int:
        return cls.select().where(cls.client == client, cls.status == cls.OPEN).count()

    @property
    def is_open(self):
        return self.status == self.OPEN

    @property
    def pending_request(self):
        """A colleague was asked and has not answered, and nobody took it meanwhile."""
        return (
            self.is_open
            and self.requested_of_id is not None
            and self.claimed_by_id is None
            and self.declined_at is None
        )

    @property
    def declined(self):
        return self.is_open and self.claimed_by_id is None and self.declined_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    def shows_in(self, view: str, user, today: dt.date) -> bool:
        """Whether the task belongs under one of FILTERS for `user`."""
        if view == "mine":
            return self.claimed_by_id == user.id or (
                self.pending_request and self.requested_of_id == user.id
            )
        if view == "unclaimed":
            return self.claimed_by_id is None
        if view == "overdue":
            return self.is_overdue(today)
        return True

    @classmethod
    def add(cls, team, by, **fields):
        with db.atomic():
            task = cls.create(team=team, created_by=by, **fields)
            AuditEvent.record(
                by, task.client, "create", cls.ENTITY, task.id, after=task.snapshot(), team=team
            )
        return task

    def _move(self, by, action: str, allowed, **changes) -> bool:
        """Apply `changes` only while the open task in the database still meets
        `allowed`. One conditional UPDATE: of two members at the same moment exactly
        one changes the row, the other gets False and changes nothing."""
        with db.atomic():
            moved = (
                Task.update(**changes)
                .where(Task.id == self.id, Task.status == Task.OPEN, allowed)
                .execute()
            )
            if not moved:
                return False
            after = {
                key: (value.name if isinstance(value, User) else value)
                for key, value in changes.items()
            }
            AuditEvent.record(
                by, self.client, action, self.ENTITY, self.id, after=after, team=self.team_id
            )
        return True

    def claim(self, by) -> bool:
        """Say "I'll do it": only while nobody has it. A pending request stays on the
        row, so the colleague who was asked learns who took it instead."""
        return self._move(
            by, "claim", Task.claimed_by.is_null(), claimed_by=by, claimed_at=utcnow()
        )

    def hand_back(self, by) -> bool:
        """The claimer lets it go; it is up for anyone again, without the old request."""
        return self._move(
            by,
            "handback",
            Task.claimed_by == by,
            claimed_by=None,
            claimed_at=None,
            requested_of=None,
            requested_by=None,
            requested_at=None,
            declined_at=None,
        )

    def complete(self, by) -> bool:
        """Done by the member who has it, or by anyone when nobody had it."""
        return self._move(
            by,
            "complete",
            Task.claimed_by.is_null() | (Task.claimed_by == by),
            status=Task.DONE,
            done_by=by,
            done_at=utcnow(),
        )

    def ask(self, by, colleague) -> bool:
        """Ask one colleague to do it: she alone accepts or declines. Nobody else is
        asked while she has not answered, and nobody asks about a task someone has."""
        return self._move(
            by,
            "request",
            Task.claimed_by.is_null()
            & (Task.requested_of.is_null() | Task.declined_at.is_null(False)),
            requested_of=colleague,
            requested_by=by,
            requested_at=utcnow(),
            declined_at=None,
        )

    def _unanswered_by(self, member):
        return (
            (Task.requested_of == member) & Task.claimed_by.is_null() & Task.declined_at.is_null()
        )

    def accept(self, by) -> bool:
        """The colleague who was asked takes it on: she becomes the one who has it."""
        return self._move(by, "accept", self._unanswered_by(by), claimed_by=by, claimed_at=utcnow())

    def decline(self, by) -> bool:
        """The colleague who was asked says no; the one who asked sees it on the card."""
        return self._move(by, "decline", self._unanswered_by(by), declined_at=utcnow())

    def change(self, by, version: int, **fields) -> bool:
        """Save title, note, due date or person unless someone saved since `version`
        was read, or the task was finished; False (and nothing saved) otherwise."""
        before = self.snapshot()
        with db.atomic():
            saved = (
                Task.update(version=Task.version + 1, **fields)
                .where(Task.id == self.id, Task.version == version, Task.status == Task.OPEN)
                .execute()
            )
            if not saved:
                return False
            fresh = Task.get_by_id(self.id)
            AuditEvent.record(
                by,
                fresh.client,
                "update",
                self.ENTITY,
                self.id,
                before=before,
                after=fresh.snapshot(),
                team=self.team_id,
            )
        return True


class VisitSeries(BaseModel):
    """A recurring visit (daily insulin, a weekly shower) by a simple rule,
    written out as planned visits up to its end date."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    EVERY_N = "every_n"
    RULES = {DAILY: "Every day", WEEKDAYS: "On chosen weekdays", EVERY_N: "Every few days"}

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="visit_series", on_delete="CASCADE")
    rule = CharField(max_length=10)
    # Monday is 0, as in Python: "0,3" is Monday and Thursday.
    weekdays = CharField(max_length=20, default="")
    every_days = IntegerField(default=1)
    starts_on = DateField()
    ends_on = DateField()
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    # A series is planned at most a year ahead; it can be planned again when it ends.
    MAX_DAYS = 366
    WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    # Rows per INSERT: well under SQLite's limit on parameters in one statement.
    INSERT_BATCH = 200

    @classmethod
    def _expand(cls, rule, starts_on, ends_on, weekdays, every_days) -> list[dt.date]:
        span = (ends_on - starts_on).days
        if rule == cls.EVERY_N:
            return [starts_on + dt.timedelta(days=d) for d in range(0, span + 1, every_days)]
        days = [starts_on + dt.timedelta(days=d) for d in range(span + 1)]
        if rule == cls.WEEKDAYS:
            chosen = set(weekdays)
            days = [day for day in days if day.weekday() in chosen]
        return days

    @classmethod
    def problems(cls, rule, starts_on, ends_on, weekdays=(), every_days=1) -> dict[str, str]:
        """What is wrong with a rule, by the part that must change ("rule", "ends_on",
        "weekdays", "every_days"), in words that say what to do. Empty when it is fine."""
        found = {}
        if rule not in cls.RULES:
            found["rule"] = "Choose how often the visit repeats."
        if rule == cls.WEEKDAYS and not weekdays:
            found["weekdays"] = "Choose at least one weekday."
        if rule == cls.EVERY_N and (every_days is None or every_days < 1):
            found["every_days"] = "Type a whole number of days: 1 or more."
        if ends_on is None:
            found["ends_on"] = "Give the day of the last visit of the series."
        elif ends_on < starts_on:
            found["ends_on"] = (
                f"This is before the first visit ({starts_on:%-d %b %Y}). "
                "Choose a last day on or after the first."
            )
        elif (ends_on - starts_on).days > cls.MAX_DAYS:
            latest = starts_on + dt.timedelta(days=cls.MAX_DAYS)
            found["ends_on"] = (
                "That is more than a year of visits. Choose a last day up to "
                f"{latest:%-d %b %Y}; plan a new series when this one ends."
            )
        if not found and not cls._expand(rule, starts_on, ends_on, weekdays, every_days):
            found["weekdays"] = "None of the chosen weekdays falls between the first and last day."
        return found

    @classmethod
    def dates(cls, rule, starts_on, ends_on, weekdays=(), every_days=1) -> list[dt.date]:
        """The days a rule gives, first and last day included; ValueError for a bad rule."""
        problems = cls.problems(rule, starts_on, ends_on, weekdays, every_days)
        if problems:
            raise ValueError(" ".join(problems.values()))
        return cls._expand(rule, starts_on, ends_on, weekdays, every_days)

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(d) for d in self.weekdays.split(",") if d]

    @property
    def description(self) -> str:
        """'Every day', 'Every Tuesday and Friday', 'Every 2 days', with the last day."""
        if self.rule == self.WEEKDAYS:
            names = [self.WEEKDAY_NAMES[d] for d in self.weekday_numbers]
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            how = f"Every {joined}"
        elif self.rule == self.EVERY_N and self.every_days > 1:
            how = f"Every {self.every_days} days"
        else:
            how = "Every day"
        return f"{how} until {self.ends_on:%-d %b %Y}"

    @classmethod
    def plan(
        cls,
        client,
        by,
        *,
        member,
        rule,
        starts_on,
        ends_on,
        weekdays=(),
        every_days=1,
        **visit,
    ) -> "VisitSeries":
        """Write out a recurring visit as planned visits, all of them or none.

        `visit` holds what each occurrence gets: starts_at, ends_at, minutes, kind, note.
        """
        days = cls.dates(rule, starts_on, ends_on, weekdays, every_days)
        now = utcnow()
        with db.atomic():
            series = cls.create(
                team=client.team_id,
                client=client,
                rule=rule,
                weekdays=",".join(str(d) for d in sorted(weekdays)) if rule == cls.WEEKDAYS else "",
                every_days=every_days if rule == cls.EVERY_N else 1,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=by,
                created_at=now,
            )
            rows = [
                {
                    "team": client.team_id,
                    "client": client.id,
                    "member": member.id if member else None,
                    "day": day,
                    "series": series.id,
                    "created_by": by.id,
                    "created_at": now,
                    **visit,
                }
                for day in days
            ]
            for start in range(0, len(rows), cls.INSERT_BATCH):
                PlannedVisit.insert_many(rows[start : start + cls.INSERT_BATCH]).execute()
            AuditEvent.record(
                by,
                client,
                "create",
                "series",
                series.id,
                after={
                    "repeats": series.description,
                    "from": starts_on.isoformat(),
                    "visits": len(days),
                    "who": member.name if member else PlannedVisit.OPEN_LABEL,
                    **PlannedVisit.describe_fields(visit),
                },
            )
        return series


class PlannedVisit(BaseModel):
    """One visit in the week's plan. `member` is empty when it is up for a colleague
    to take (handed over, or not yet taken)."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"

    team = ForeignKeyField(Team, backref="planned_visits", on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="planned_visits", on_delete="CASCADE")
    member = ForeignKeyField(User, null=True, backref="planned_visits", on_delete="RESTRICT")
    day = DateField()
    starts_at = TimeField(null=True)
    ends_at = TimeField(null=True)
    minutes = IntegerField(default=30)
    kind = CharField(max_length=20, default="home_visit")
    note = CharField(max_length=300, default="")
    series = ForeignKeyField(VisitSeries, null=True, backref="visits", on_delete="SET NULL")
    status = CharField(max_length=10, default=PLANNED)
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "day", "member"), False), (("client", "day"), False))

    OPEN_LABEL = "up for a colleague to take"
    # What an edit may change; the rest (person, who goes, done…) has its own verb.
    EDITABLE = ("day", "starts_at", "ends_at", "minutes", "note")

    @staticmethod
    def describe_fields(fields: dict) -> dict:
        """Visit fields as the history shows them: times as 08:30, days as dates."""
        shown = {}
        for name in ("day", "starts_at", "ends_at", "minutes", "kind", "note"):
            if name not in fields:
                continue
            value = fields[name]
            if isinstance(value, dt.time):
                value = value.strftime("%H:%M")
            elif isinstance(value, dt.date):
                value = value.isoformat()
            shown[name] = value
        return shown

    def snapshot(self) -> dict:
        data = self.describe_fields({name: getattr(self, name) for name in self.EDITABLE})
        data["who"] = self.member.name if self.member_id else self.OPEN_LABEL
        data["status"] = self.status
        return data

    @property
    def kind_label(self):
        return Contact.KINDS.get(self.kind, self.kind)

    @property
    def time_window(self) -> str:
        """'08:30–09:00', 'from 08:30', or '' for a visit at any time of the day."""
        if self.starts_at and self.ends_at:
            return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        if self.starts_at:
            return f"{self.starts_at:%H:%M}"
        return ""

    @classmethod
    def _with_people(cls):
        """Visits with their person and member (if any), in visit order within a day."""
        return (
            cls.select(cls, Client, User)
            .join(Client, on=(cls.client == Client.id))
            .switch(cls)
            .join(User, JOIN.LEFT_OUTER, on=(cls.member == User.id))
        )

    @classmethod
    def visit_order(cls):
        # Untimed visits fit in wherever there is room: after the timed ones.
        return (cls.starts_at.asc(nulls="last"), cls.ends_at.asc(nulls="last"), cls.id)

    @classmethod
    def in_week(cls, team, monday: dt.date):
        return (
            cls._with_people()
            .where(cls.team == team, cls.day.between(monday, monday + dt.timedelta(days=6)))
            .order_by(cls.day, *cls.visit_order())
        )

    @classmethod
    def day_of(cls, member, day: dt.date):
        """One member's visits of a day, in the order she makes them."""
        return (
            cls._with_people()
            .where(cls.member == member, cls.day == day)
            .order_by(*cls.visit_order())
        )

    @classmethod
    def open_on(cls, team, day: dt.date):
        """The day's visits that are up for a colleague to take."""
        return (
            cls._with_people()
            .where(
                cls.team == team,
                cls.day == day,
                cls.member.is_null(),
                cls.status == cls.PLANNED,
            )
            .order_by(*cls.visit_order())
        )

    @classmethod
    def next_for(cls, client, today: dt.date, limit: int = 3):
        """The person's next planned visits, with who goes."""
        return (
            cls.select(cls, User)
            .join(User, JOIN.LEFT_OUTER, on=(cls.member == User.id))
            .where(cls.client == client, cls.day >= today, cls.status == cls.PLANNED)
            .order_by(cls.day, *cls.visit_order())
            .limit(limit)
        )

    @staticmethod
    def visitors_in_last(client, days: int = 30) -> int:
        """How many different members recorded a contact with the person lately:
        continuity of care, in one number."""
        since = utcnow() - dt.timedelta(days=days)
        return (
            Contact.select(fn.COUNT(fn.DISTINCT(Contact.author)))
            .where(Contact.client == client, Contact.happened_at >= since)
            .scalar()
        ) or 0

    @classmethod
    def add(cls, client, by, *, member, **fields) -> "PlannedVisit":
        """Plan one visit; `member` None puts it up for a colleague to take."""
        with db.atomic():
            visit = cls.create(
                team=client.team_id, client=client, member=member, created_by=by, **fields
            )
            AuditEvent.record(by, client, "create", "visit", visit.id, after=visit.snapshot())
        return visit

    def _update_if(self, by, action, condition, **values) -> bool:
        """Change the row only while `condition` holds; the database decides, so of two
        people at once exactly one gets True. Audited; refreshes this object."""
        before = self.snapshot()
        model = type(self)
        with db.atomic():
            rows = (
                model.update(version=model.version + 1, **values)
                .where(model.id == self.id, condition)
                .execute()
            )
            if not rows:
                return False
            fresh = model._with_people().where(model.id == self.id).get()
            AuditEvent.record(
                by, self.client, action, "visit", self.id, before=before, after=fresh.snapshot()
            )
        self.__data__ = fresh.__data__
        self.__rel__ = fresh.__rel__
        return True

    def change(self, by, version: int, **fields) -> bool:
        """Move the visit or change its time, minutes or note, unless someone saved
        since `version` was read (then False)."""
        moved = any(
            name in fields and fields[name] != getattr(self, name)
            for name in ("day", "starts_at", "ends_at")
        )
        action = "move" if moved else "update"
        return self._update_if(by, action, PlannedVisit.version == version, **fields)

    def cancel(self, by) -> bool:
        return self._update_if(
            by, "cancel", PlannedVisit.status == self.PLANNED, status=self.CANCELLED
        )

    def take(self, by) -> bool:
        """Take a visit that is up for a colleague to take, only while nobody has."""
        return self._update_if(
            by,
            "take",
            PlannedVisit.member.is_null() & (PlannedVisit.status == self.PLANNED),
            member=by,
        )

    def hand_over(self, by) -> bool:
        """Put one of my own visits up for a colleague to take."""
        return self._update_if(
            by,
            "handover",
            (PlannedVisit.member == by) & (PlannedVisit.status == self.PLANNED),
            member=None,
        )

    @classmethod
    def hand_over_day(cls, by, day: dt.date) -> list["PlannedVisit"]:
        """All of my planned visits of a day, up for colleagues to take; the ones handed over."""
        handed = []
        with db.atomic():
            for visit in list(cls.day_of(by, day).where(cls.status == cls.PLANNED)):
                if visit.hand_over(by):
                    handed.append(visit)
        return handed

    def cancel_rest(self, by) -> int:
        """Cancel this visit and the later ones of its series that are still planned."""
        if not self.series_id:
            return 1 if self.cancel(by) else 0
        with db.atomic():
            rows = (
                PlannedVisit.update(status=self.CANCELLED, version=PlannedVisit.version + 1)
                .where(
                    PlannedVisit.series == self.series_id,
                    PlannedVisit.day >= self.day,
                    PlannedVisit.status == self.PLANNED,
                )
                .execute()
            )
            if rows:
                AuditEvent.record(
                    by,
                    self.client,
                    "cancel",
                    "series",
                    self.series_id,
                    after={"from": self.day.isoformat(), "visits": rows},
                )
        if rows:
            self.status = self.CANCELLED
        return rows

    def mark_done(self, by, colleagues=(), **contact_fields):
        """Record the visit's contact and tick the visit off, both or neither.

        None when the visit was no longer planned (done by someone else, or cancelled).
        A visit nobody had taken becomes the visit of whoever did it.
        """
        with db.atomic():
            if not self._update_if(
                by,
                "done",
                PlannedVisit.status == self.PLANNED,
                status=self.DONE,
                member=fn.COALESCE(PlannedVisit.member, by.id),
            ):
                return None
            contact = Contact.record(self.client, by, colleagues=colleagues, **contact_fields)
            PlannedVisit.update(contact=contact).where(PlannedVisit.id == self.id).execute()
            self.contact = contact
        return contact

    def last_event(self, *actions):
        """The latest audited change of this visit (of one of `actions`), with its actor."""
        query = (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.entity == "visit", AuditEvent.entity_id == self.id)
        )
        if actions:
            query = query.where(AuditEvent.action.in_(actions))
        else:
            query = query.where(AuditEvent.action != "create")
        return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).first()


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
        last = _latest_event(self.team_id, "role", self.id, ("hand", "end", "retire", "revive"))
        who = last.actor.name if last else "A colleague"
        now = f"{current.member.name} holds it now" if current else "nobody holds it now"
        return f"{who} changed who holds {self.name} while you were looking: {now}."

    def hand_to(self, member, by, seen: int | None, today: dt.date):
        """Hand the role to `member` from `today`; the current holder's turn ends today.

        `seen` is the open holding the member saw when she chose (None when nobody
        held it). The role row is locked and a colleague's change in between is
        refused (TeamChangeRefused), so two members handing it at once never
        leave it with two holders.
        """
        with db.atomic():
            fresh = _locked(TeamRole, self.id)
            if not fresh.active:
                raise TeamChangeRefused(f"{self.name} is retired. Bring it back first.")
            current = fresh.open_holding()
            if (current.id if current else None) != seen:
                raise TeamChangeRefused(fresh._changed_meanwhile(current))
            if current and current.member_id == member.id:
                raise TeamChangeRefused(f"{member.name} already holds {self.name}.")
            if not User.get_by_id(member.id).active:
                raise TeamChangeRefused(f"{member.name} has left the team.")
            if current:
                RoleHolding.update(until=today).where(RoleHolding.id == current.id).execute()
            holding = RoleHolding.create(role=self, member=member, since=today)
            self._log(by, "hand", current.member.name if current else None, member.name)
        return holding

    def end_turn(self, by, seen: int | None, today: dt.date):
        """The holder's turn ends today and nobody holds the role until it is handed
        on. Returns the holding that ended."""
        with db.atomic():
            fresh = _locked(TeamRole, self.id)
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
            fresh = _locked(TeamRole, self.id)
            if not fresh.active:
                last = _latest_event(self.team_id, "role", self.id, ("retire",))
                who = last.actor.name if last else "A colleague"
                raise TeamChangeRefused(f"{who} already retired {self.name}.")
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
                last = _latest_event(self.team_id, "role", self.id, ("revive",))
                who = last.actor.name if last else "A colleague"
                raise TeamChangeRefused(f"{who} already brought {self.name} back.")
            self._log(by, "revive", None, None)
        self.active = True


class RoleHolding(BaseModel):
    """Who holds a team role, from when until when."""

    role = ForeignKeyField(TeamRole, backref="holdings", on_delete="CASCADE")
    member = ForeignKeyField(User, backref="role_holdings", on_delete="RESTRICT")
    since = DateField(default=dt.date.today)
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
            raise EmailInUse(f"There is already an account for {email}.")
        earlier = cls.waiting(team).where(cls.email == email, cls.expires_at > now).first()
        if earlier:
            raise EmailInUse(
                f"{earlier.invited_by.name} already invited {earlier.name} with this address. "
                "Withdraw that invitation first to send a new link."
            )
        token = secrets.token_urlsafe(32)
        with db.atomic():
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
        from teamcase.passwords import hasher

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
                    raise TeamChangeRefused("This invitation link no longer works.")
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
            raise EmailInUse(f"There is already an account for {self.email}.") from None
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
                    raise TeamChangeRefused(f"{self.name} has already joined with this link.")
                last = _latest_event(self.team_id, "invitation", self.id, ("withdraw",))
                who = last.actor.name if last else "A colleague"
                raise TeamChangeRefused(f"{who} already withdrew the invitation for {self.name}.")
            AuditEvent.record(
                by,
                None,
                "withdraw",
                "invitation",
                self.id,
                before={"name": self.name, "email": self.email},
                team=self.team_id,
            )


class Meeting(BaseModel):
    """A team meeting, run by a facilitator the team chooses for that meeting.

    A team has one planned meeting at a time (a partial unique index): "the next
    meeting" is one row, whoever plans it, and open items always have a place to go.
    """

    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    STATUSES = {PLANNED: "Planned", RUNNING: "Running", DONE: "Done"}
    ENTITY = "meeting"
    # The usual rhythm: where open items go when no meeting is planned yet.
    RHYTHM = dt.timedelta(days=14)

    team = ForeignKeyField(Team, backref="meetings", on_delete="CASCADE")
    held_on = DateField()
    starts_at = TimeField(null=True)
    place = CharField(max_length=120, default="")
    facilitator = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    note_taker = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    status = CharField(max_length=10, default=PLANNED)
    # Accepting the previous meeting's notes is the first thing a meeting does.
    previous_accepted_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "held_on"), False),)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def is_planned(self):
        return self.status == self.PLANNED

    @property
    def is_running(self):
        return self.status == self.RUNNING

    @property
    def is_done(self):
        return self.status == self.DONE

    def snapshot(self) -> dict:
        return {
            "held_on": self.held_on.isoformat(),
            "starts_at": self.starts_at.strftime("%H:%M") if self.starts_at else None,
            "place": self.place,
            "facilitator": self.facilitator.name if self.facilitator_id else None,
            "note_taker": self.note_taker.name if self.note_taker_id else None,
        }

    def _audit(self, by, action, before=None, after=None):
        AuditEvent.record(
            by, None, action, self.ENTITY, self.id, before=before, after=after, team=self.team_id
        )

    # Reading

    @classmethod
    def with_roles(cls):
        """Meetings with their facilitator and note-taker, in one query."""
        facilitator, note_taker = User.alias("facilitator"), User.alias("note_taker")
        return (
            cls.select(cls, facilitator.id, facilitator.name, note_taker.id, note_taker.name)
            .join(facilitator, JOIN.LEFT_OUTER, on=(cls.facilitator == facilitator.id))
            .switch(cls)
            .join(note_taker, JOIN.LEFT_OUTER, on=(cls.note_taker == note_taker.id))
        )

    @classmethod
    def upcoming(cls, team):
        """The meeting running now, then the one planned next."""
        return (
            cls.with_roles()
            .where(cls.team == team, cls.status != cls.DONE)
            .order_by(cls.status != cls.RUNNING, cls.held_on, cls.id)
        )

    @classmethod
    def held(cls, team):
        """The team's past meetings, newest first, each with `present` (how many
        attended) and `discussed` (items), in one query."""
        present = Attendance.select(fn.COUNT(Attendance.id)).where(Attendance.meeting == cls.id)
        discussed = AgendaItem.select(fn.COUNT(AgendaItem.id)).where(
            AgendaItem.meeting == cls.id, AgendaItem.status == AgendaItem.DISCUSSED
        )
        return (
            cls.with_roles()
            .select_extend(present.alias("present"), discussed.alias("discussed"))
            .where(cls.team == team, cls.status == cls.DONE)
            .order_by(cls.held_on.desc(), cls.id.desc())
        )

    @classmethod
    def planned_for(cls, team):
        return cls.get_or_none(cls.team == team, cls.status == cls.PLANNED)

    def previous(self):
        """The team's last meeting held before this one: its notes are accepted first."""
        return (
            Meeting.select()
            .where(
                Meeting.team == self.team_id,
                Meeting.status == Meeting.DONE,
                Meeting.id != self.id,
                Meeting.held_on <= self.held_on,
            )
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
            .first()
        )

    def present(self) -> list:
        """The members who are here, by name."""
        return list(
            User.select()
            .join(Attendance, on=(Attendance.member == User.id))
            .where(Attendance.meeting == self)
            .order_by(User.name)
        )

    @classmethod
    def rotation(cls, team) -> list:
        """The team's active members, each with `facilitated_on` and `noted_on`: the
        day of the last meeting held that they facilitated, or took notes at (None
        when never), in one query."""
        held = (cls.team == team) & (cls.status == cls.DONE)
        facilitated = cls.select(fn.MAX(cls.held_on)).where(held & (cls.facilitator == User.id))
        noted = cls.select(fn.MAX(cls.held_on)).where(held & (cls.note_taker == User.id))
        members = list(
            team.active_members().select_extend(
                facilitated.alias("facilitated_on"), noted.alias("noted_on")
            )
        )
        for member in members:
            # A subquery's value comes back as text on SQLite.
            for attr in ("facilitated_on", "noted_on"):
                value = getattr(member, attr)
                if isinstance(value, str):
                    setattr(member, attr, dt.date.fromisoformat(value[:10]))
        return members

    def suggestions(self, members) -> dict:
        """Whoever facilitated least recently (never first, then by name), and the
        same for taking notes among the others: a suggestion, the team chooses."""

        def least_recent(attr, leave_out=None):
            candidates = [m for m in members if m.id != leave_out] or list(members)
            if not candidates:
                return None
            return min(candidates, key=lambda m: (getattr(m, attr) or dt.date.min, m.name))

        facilitator = least_recent("facilitated_on")
        chosen = self.facilitator_id or (facilitator.id if facilitator else None)
        return {"facilitator": facilitator, "note_taker": least_recent("noted_on", chosen)}

    def agenda(self):
        """The agenda in order, with each item's person, who added it, and the
        item (and meeting) it was carried from, in one query."""
        adder = User.alias("adder")
        earlier = AgendaItem.alias("earlier")
        earlier_meeting = Meeting.alias("earlier_meeting")
        return (
            AgendaItem.select(
                AgendaItem,
                Client.id,
                Client.name,
                Client.preferred_name,
                Client.review_on,
                Client.status,
                Client.team,
                adder.id,
                adder.name,
                earlier.id,
                earlier.notes,
                earlier.meeting,
                earlier_meeting.id,
                earlier_meeting.held_on,
            )
            .join(Client, JOIN.LEFT_OUTER, on=(AgendaItem.client == Client.id))
            .switch(AgendaItem)
            .join(adder, JOIN.LEFT_OUTER, on=(AgendaItem.added_by == adder.id))
            .switch(AgendaItem)
            .join(earlier, JOIN.LEFT_OUTER, on=(AgendaItem.carried_from == earlier.id))
            .join(earlier_meeting, JOIN.LEFT_OUTER, on=(earlier.meeting == earlier_meeting.id))
            .where(AgendaItem.meeting == self)
            .order_by(AgendaItem.position, AgendaItem.id)
        )

    def tasks(self):
        """The tasks this meeting put on the board, with who has each, oldest first."""
        claimer = User.alias("claimer")
        return (
            Task.select(Task, claimer.id, claimer.name)
            .join(AgendaItem, on=(Task.meeting_item == AgendaItem.id))
            .switch(Task)
            .join(claimer, JOIN.LEFT_OUTER, on=(Task.claimed_by == claimer.id))
            .where(AgendaItem.meeting == self)
            .order_by(Task.id)
        )

    # Changing

    @classmethod
    def plan(cls, team, by, **fields):
        """Plan the team's next meeting. Raises IntegrityError, and changes nothing,
        when a colleague planned one first (even at the same moment)."""
        with db.atomic():
            meeting = cls.create(team=team, created_by=by, **fields)
            meeting._audit(by, "create", after=meeting.snapshot())
        return meeting

    def change(self, by, version: int, **fields) -> bool:
        """Save date, time, place or roles unless someone saved since `version` was
        read or the meeting has ended; False (and nothing saved) otherwise."""
        before = self.snapshot()
        with db.atomic():
            saved = (
                Meeting.update(version=Meeting.version + 1, **fields)
                .where(
                    Meeting.id == self.id,
                    Meeting.version == version,
                    Meeting.status != Meeting.DONE,
                )
                .execute()
            )
            if not saved:
                return False
            fresh = Meeting.get_by_id(self.id)
            self._audit(by, "update", before=before, after=fresh.snapshot())
        self.__data__, self.__rel__ = fresh.__data__, {}
        return True

    def last_event(self, *actions):
        """The newest audit event of this meeting (of one of `actions`), with who."""
        query = (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.entity == self.ENTITY, AuditEvent.entity_id == self.id)
        )
        if actions:
            query = query.where(AuditEvent.action.in_(actions))
        return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).first()

    def printed(self, by, pseudonymised: bool) -> None:
        """The meeting pack was printed. Each person's page in it is a view of their
        record, so it goes into their history too (one insert for all of them)."""
        people = [
            person
            for (person,) in AgendaItem.select(AgendaItem.client)
            .where(AgendaItem.meeting == self, AgendaItem.kind == "person")
            .tuples()
            if person
        ]
        with db.atomic():
            if people:
                AuditEvent.insert_many(
                    [
                        {
                            "team": self.team_id,
                            "client": person,
                            "actor": by.id,
                            "action": "export",
                            "entity": "meeting_pack",
                            "entity_id": self.id,
                            "at": utcnow(),
                        }
                        for person in people
                    ]
                ).execute()
            self._audit(by, "export", after={"pseudonymised": pseudonymised, "people": len(people)})

    def record_attendance(self, by, members, accept_previous: bool, now=None) -> bool:
        """Who is here, and whether the previous notes are accepted; a planned
        meeting starts with it. Returns False when the meeting has ended."""
        now = now or utcnow()
        wanted = {m.id for m in members}
        with db.atomic():
            starting = (
                Meeting.update(status=Meeting.RUNNING, started_at=now)
                .where(Meeting.id == self.id, Meeting.status == Meeting.PLANNED)
                .execute()
            )
            # Accepted stays accepted from the first time; unticking takes it back.
            accepted = fn.COALESCE(Meeting.previous_accepted_at, now) if accept_previous else None
            going_on = (
                Meeting.update(previous_accepted_at=accepted)
                .where(Meeting.id == self.id, Meeting.status == Meeting.RUNNING)
                .execute()
            )
            if not going_on:
                return False
            before = {
                a
                for (a,) in Attendance.select(Attendance.member)
                .where(Attendance.meeting == self)
                .tuples()
            }
            Attendance.delete().where(
                Attendance.meeting == self, Attendance.member.not_in(wanted or [0])
            ).execute()
            if wanted - before:
                Attendance.insert_many(
                    [{"meeting": self.id, "member": i} for i in sorted(wanted - before)]
                ).on_conflict_ignore().execute()
            names = sorted(m.name for m in members)
            if starting:
                self._audit(by, "start", after={"present": names})
            self._audit(
                by,
                "attend",
                before={"present": len(before)},
                after={"present": names, "previous notes accepted": accept_previous},
            )
        fresh = Meeting.get_by_id(self.id)
        self.status, self.started_at = fresh.status, fresh.started_at
        self.previous_accepted_at = fresh.previous_accepted_at
        return True

    def end(self, by, now=None):
        """End a running meeting: items still open go to the next meeting (planned
        two weeks on, same time and place, when none is). Returns (the next
        meeting, how many items went there), or None when the meeting was not
        running: a colleague ended it first, and nothing changed."""
        now = now or utcnow()
        with db.atomic():
            ended = (
                Meeting.update(status=Meeting.DONE, ended_at=now, version=Meeting.version + 1)
                .where(Meeting.id == self.id, Meeting.status == Meeting.RUNNING)
                .execute()
            )
            if not ended:
                return None
            self.status, self.ended_at = self.DONE, now
            following = self._following(by)
            open_items = list(
                AgendaItem.select()
                .where(AgendaItem.meeting == self, AgendaItem.status == AgendaItem.OPEN)
                .order_by(AgendaItem.position, AgendaItem.id)
            )
            carried = following.carry(open_items)
            AgendaItem.update(status=AgendaItem.CARRIED).where(
                AgendaItem.id.in_([i.id for i in open_items] or [0])
            ).execute()
            self._audit(
                by,
                "end",
                after={
                    "carried": [i.title for i in open_items],
                    "next meeting": following.held_on.isoformat(),
                },
            )
        return following, carried

    def _following(self, by):
        """The team's planned meeting, or a new one two weeks on when none is."""
        planned = Meeting.planned_for(self.team_id)
        if planned is not None:
            return planned
        try:
            with db.atomic():
                return Meeting.plan(
                    self.team,
                    by,
                    held_on=self.held_on + self.RHYTHM,
                    starts_at=self.starts_at,
                    place=self.place,
                )
        except IntegrityError:
            # A colleague planned it at this very moment.
            return Meeting.planned_for(self.team_id)

    def carry(self, items) -> int:
        """Put `items` (open at the end of an earlier meeting) on this agenda, after
        what is there. An item from the caseload that is on it already is not added
        twice (the unique source). Returns how many were added."""
        if not items:
            return 0
        last = (
            AgendaItem.select(fn.MAX(AgendaItem.position))
            .where(AgendaItem.meeting == self)
            .scalar()
        ) or 0
        have = {
            s
            for (s,) in AgendaItem.select(AgendaItem.source)
            .where(AgendaItem.meeting == self, AgendaItem.source.is_null(False))
            .tuples()
        }
        for item in items:
            if item.source in have:
                # On this agenda already from the caseload: it keeps the earlier notes.
                AgendaItem.update(carried_from=item.id).where(
                    AgendaItem.meeting == self,
                    AgendaItem.source == item.source,
                    AgendaItem.carried_from.is_null(),
                ).execute()
        rows = [
            {
                "meeting": self.id,
                "kind": item.kind,
                "title": item.title,
                "why": item.why,
                "client": item.client_id,
                "referral": item.referral_id,
                "decision": item.decision_id,
                "task": item.task_id,
                "source": item.source,
                "added_by": item.added_by_id,
                "position": last + n,
                "carried_from": item.id,
                "created_at": utcnow(),
            }
            for n, item in enumerate(items, 1)
            if item.source is None or item.source not in have
        ]
        if rows:
            AgendaItem.insert_many(rows).on_conflict_ignore().execute()
        return len(rows)

    def build_agenda(self, by) -> tuple[list[str], list[str]]:
        """Bring a planned meeting's agenda up to date with the caseload: add what
        has come up (people due for review or flagged, referrals held for the
        meeting, decisions to review, proposals waiting, overdue tasks) and take off
        untouched items that no longer apply. Returns the titles added and removed.

        Safe to run by two members at once: the unique (meeting, source) index,
        with INSERT … ON CONFLICT DO NOTHING, adds each thing once whatever the
        other did; reading what is there first only spares writes on every view.
        """
        if self.status != self.PLANNED:
            return [], []
        candidates = self._candidates()
        existing = list(
            AgendaItem.select(
                AgendaItem.id,
                AgendaItem.source,
                AgendaItem.title,
                AgendaItem.status,
                AgendaItem.notes,
                AgendaItem.carried_from,
                AgendaItem.position,
            ).where(AgendaItem.meeting == self)
        )
        have = {item.source for item in existing if item.source}
        wanted = {row["source"] for row in candidates}
        new = [row for row in candidates if row["source"] not in have]
        stale = [
            item
            for item in existing
            if item.source
            and item.source.partition(":")[0] in AgendaItem.FROM_CASELOAD
            and item.source not in wanted
            and item.status == AgendaItem.OPEN
            and not item.notes
            and item.carried_from_id is None
        ]
        if not new and not stale:
            return [], []
        with db.atomic():
            if new:
                last = max((item.position for item in existing), default=0)
                now = utcnow()
                AgendaItem.insert_many(
                    [
                        {**row, "meeting": self.id, "position": last + n, "created_at": now}
                        for n, row in enumerate(new, 1)
                    ]
                ).on_conflict_ignore().execute()
            if stale:
                AgendaItem.delete().where(
                    AgendaItem.id.in_([item.id for item in stale]),
                    AgendaItem.status == AgendaItem.OPEN,
                    AgendaItem.notes == "",
                ).execute()
            added, removed = [row["title"] for row in new], [item.title for item in stale]
            self._audit(by, "agenda", after={"added": added, "removed": removed})
        return added, removed

    def _candidates(self) -> list[dict]:
        """What the caseload and the team's records put on this meeting's agenda."""
        team, day = self.team_id, self.held_on
        clip = AgendaItem.clip

        def row(source, kind, title, why="", client=None, referral=None, decision=None, task=None):
            return {
                "source": source,
                "kind": kind,
                "title": clip(title, 200),
                "why": clip(why, 300),
                "client": client,
                "referral": referral,
                "decision": decision,
                "task": task,
            }

        rows = []
        # Someone waits for an answer: referrals first.
        for referral in (
            Referral.select(Referral.id, Referral.person_name, Referral.meeting_reason)
            .where(Referral.team == team, Referral.status == Referral.MEETING)
            .order_by(Referral.received_at, Referral.id)
        ):
            rows.append(
                row(
                    f"referral:{referral.id}",
                    "referral",
                    f"Referral: {referral.person_name}",
                    referral.meeting_reason,
                    referral=referral.id,
                )
            )
        flags = MeetingFlag.open_in(team)
        for person in (
            Client.select(Client.id, Client.name, Client.review_on)
            .where(
                Client.team == team,
                Client.status == Client.ACTIVE,
                (Client.review_on <= day) | Client.id.in_(list(flags) or [0]),
            )
            .order_by(Client.name, Client.id)
        ):
            rows.append(
                row(
                    f"person:{person.id}",
                    "person",
                    person.name,
                    AgendaItem.person_why(person.review_on, flags.get(person.id, []), day),
                    client=person.id,
                )
            )
        for decision in Decision.due_for_review(team, day):
            rows.append(
                row(
                    f"review:{decision.id}",
                    "review",
                    decision.proposal,
                    f"Adopted {decision.decided_at:%-d %b %Y}; "
                    f"to review from {decision.review_on:%-d %b %Y}.",
                    client=decision.client_id,
                    decision=decision.id,
                )
            )
        # The source is the decisions area's own (Decision._to_next_meeting).
        for decision in Decision.waiting_for_meeting(team):
            why = decision.purpose
            if decision.asynchronous:
                why = f"Not adopted between meetings. {why}"
            rows.append(
                row(
                    f"decision:{decision.id}",
                    "proposal",
                    decision.proposal,
                    why,
                    client=decision.client_id,
                    decision=decision.id,
                )
            )
        claimer = User.alias("claimer")
        for task in (
            Task.select(Task.id, Task.title, Task.due_on, Task.client, claimer.name)
            .join(claimer, JOIN.LEFT_OUTER, on=(Task.claimed_by == claimer.id))
            .where(Task.team == team, Task.status == Task.OPEN, Task.due_on < day)
            .order_by(Task.due_on, Task.id)
        ):
            who = f"{task.claimed_by.name} has it" if task.claimed_by else "Nobody has taken it on"
            rows.append(
                row(
                    f"task:{task.id}",
                    "task",
                    task.title,
                    f"Was due {task.due_on:%-d %b}. {who}.",
                    client=task.client_id,
                    task=task.id,
                )
            )
        return rows


# One planned meeting per team: planning it twice at once gives one meeting.
Meeting.add_index(
    Meeting.index(
        Meeting.team,
        unique=True,
        where=(Meeting.status == Meeting.PLANNED),
        name="meeting_one_planned_per_team",
    )
)


class Attendance(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    member = ForeignKeyField(User, on_delete="RESTRICT")

    class Meta:
        indexes = ((("meeting", "member"), True),)


class AgendaItem(BaseModel):
    """One item of a meeting's agenda: from the caseload and the team's records
    (a person due for review or flagged, a referral, a decision to review, an overdue
    task) or added by a member (a proposal, a question, an experiment, training)."""

    KINDS = {
        "person": "Person",
        "referral": "Referral",
        "review": "Decision to review",
        "task": "Overdue task",
        "proposal": "Proposal",
        "question": "Question",
        "experiment": "Experiment",
        "training": "Training",
        "other": "Other",
    }
    # What a member may add herself.
    OWN_KINDS = ("proposal", "question", "experiment", "training", "other")
    # Sources that building the agenda again may take off once they no longer apply.
    FROM_CASELOAD = ("person", "referral", "review", "task")
    OPEN = "open"
    DISCUSSED = "discussed"
    CARRIED = "carried"
    STATUSES = {OPEN: "To discuss", DISCUSSED: "Discussed", CARRIED: "Carried to the next meeting"}
    ENTITY = "agenda_item"

    meeting = ForeignKeyField(Meeting, backref="items", on_delete="CASCADE")
    kind = CharField(max_length=12)
    title = CharField(max_length=200)
    why = CharField(max_length=300, default="")
    client = ForeignKeyField(Client, null=True, on_delete="CASCADE")
    referral = ForeignKeyField(Referral, null=True, on_delete="CASCADE")
    decision = DeferredForeignKey("Decision", null=True, on_delete="SET NULL")
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    # What put it here, so that building the agenda again adds nothing twice.
    source = CharField(max_length=40, null=True)
    added_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    position = IntegerField(default=0)
    status = CharField(max_length=10, default=OPEN)
    notes = TextField(default="")
    carried_from = ForeignKeyField("self", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("meeting", "source"), True), (("meeting", "position"), False))

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def is_person(self):
        return self.kind == "person" and self.client_id is not None

    @property
    def is_open(self):
        return self.status == self.OPEN

    @staticmethod
    def clip(text: str, limit: int) -> str:
        text = " ".join((text or "").split())
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    @staticmethod
    def person_why(review_on, flags, day) -> str:
        """Why a person is on the agenda: their review date has come, and who
        flagged them and why."""
        reasons = []
        if review_on is not None and review_on <= day:
            reasons.append(f"Review date {review_on:%-d %b %Y}.")
        reasons += [f"{flag.flagged_by.first_name} flagged: {flag.reason}" for flag in flags]
        return " ".join(reasons)

    def snapshot(self) -> dict:
        return {"kind": self.kind, "title": self.title, "why": self.why, "status": self.status}

    def _audit(self, by, action, team_id, before=None, after=None):
        # Notes about a person belong in that person's history too.
        client = self.client if self.client_id else None
        AuditEvent.record(
            by, client, action, self.ENTITY, self.id, before=before, after=after, team=team_id
        )

    @classmethod
    def add(cls, meeting, by, kind: str, title: str, why: str = ""):
        """A member's own item, at the end of the agenda."""
        with db.atomic():
            last = cls.select(fn.MAX(cls.position)).where(cls.meeting == meeting).scalar() or 0
            item = cls.create(
                meeting=meeting, kind=kind, title=title, why=why, added_by=by, position=last + 1
            )
            item._audit(by, "create", meeting.team_id, after=item.snapshot())
        return item

    def move(self, by, step: int) -> bool:
        """One place up (-1) or down (+1); False when it cannot go further."""
        with db.atomic():
            order = [
                i
                for (i,) in AgendaItem.select(AgendaItem.id)
                .where(AgendaItem.meeting == self.meeting_id)
                .order_by(AgendaItem.position, AgendaItem.id)
                .tuples()
            ]
            if self.id not in order:
                return False
            at = order.index(self.id)
            to = at + step
            if not 0 <= to < len(order):
                return False
            order[at], order[to] = order[to], order[at]
            # Every position written again in one statement: ties left by two
            # members adding at once are gone after the first move.
            AgendaItem.update(
                position=Case(AgendaItem.id, [(i, n) for n, i in enumerate(order, 1)])
            ).where(AgendaItem.id.in_(order)).execute()
            self._audit(
                by,
                "move",
                self.meeting.team_id,
                before={"position": at + 1},
                after={"position": to + 1},
            )
        return True

    def remove(self, by) -> bool:
        """Take an item its member added off the agenda, while it is still open."""
        with db.atomic():
            removed = (
                AgendaItem.delete()
                .where(
                    AgendaItem.id == self.id,
                    AgendaItem.added_by == by,
                    AgendaItem.status == AgendaItem.OPEN,
                )
                .execute()
            )
            if removed:
                self._audit(by, "delete", self.meeting.team_id, before=self.snapshot())
        return bool(removed)

    def write_notes(self, by, version: int, notes: str) -> bool:
        """Save the notes unless someone saved since `version` was read; False
        (and nothing saved) on a conflict."""
        before = self.notes
        with db.atomic():
            saved = (
                AgendaItem.update(notes=notes, version=AgendaItem.version + 1)
                .where(AgendaItem.id == self.id, AgendaItem.version == version)
                .execute()
            )
            if not saved:
                return False
            self._audit(
                by, "update", self.meeting.team_id, before={"notes": before}, after={"notes": notes}
            )
        self.notes, self.version = notes, version + 1
        return True

    def last_event(self, action: str):
        """Who last did `action` to this item ("update": saved its notes), and
        when: an audit event with its actor, or None."""
        return (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(
                AuditEvent.entity == self.ENTITY,
                AuditEvent.entity_id == self.id,
                AuditEvent.action == action,
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .first()
        )

    def mark_discussed(self, by, now=None) -> bool:
        """The team talked it through: a person's flags are resolved, and the item
        keeps why they were on the agenda. False when it was no longer open."""
        now = now or utcnow()
        why = self.why
        if self.is_person:
            flags = MeetingFlag.open_for(self.client_id)
            why = self.clip(
                self.person_why(self.client.review_on, flags, self.meeting.held_on) or why, 300
            )
        with db.atomic():
            done = (
                AgendaItem.update(status=AgendaItem.DISCUSSED, why=why)
                .where(AgendaItem.id == self.id, AgendaItem.status == AgendaItem.OPEN)
                .execute()
            )
            if not done:
                return False
            if self.is_person:
                MeetingFlag.update(resolved_at=now).where(
                    MeetingFlag.client == self.client_id,
                    MeetingFlag.resolved_at.is_null(),
                    MeetingFlag.flagged_at <= now,
                ).execute()
            self._audit(by, "discuss", self.meeting.team_id, after={"title": self.title})
        self.status, self.why = self.DISCUSSED, why
        return True

    def add_task(self, by, title: str, claimed_by, due_on=None):
        """A task for the board that the meeting agreed, taken on by someone present."""
        return Task.add(
            self.meeting.team_id,
            by,
            client=self.client_id,
            title=title,
            due_on=due_on,
            claimed_by=claimed_by,
            claimed_at=utcnow(),
            meeting_item=self.id,
        )

    def tasks(self):
        claimer = User.alias("claimer")
        return (
            Task.select(Task, claimer.id, claimer.name)
            .join(claimer, JOIN.LEFT_OUTER, on=(Task.claimed_by == claimer.id))
            .where(Task.meeting_item == self)
            .order_by(Task.id)
        )


class MeetingFlag(BaseModel):
    """A member asks the team to talk about a person at the next meeting."""

    ENTITY = "meeting_flag"

    team = ForeignKeyField(Team, on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="meeting_flags", on_delete="CASCADE")
    reason = CharField(max_length=300)
    flagged_by = ForeignKeyField(User, on_delete="RESTRICT")
    flagged_at = DateTimeField(default=utcnow)
    # Set once a meeting has discussed it.
    resolved_at = DateTimeField(null=True)

    @classmethod
    def _open(cls):
        return (
            cls.select(cls, User.id, User.name)
            .join(User, on=(cls.flagged_by == User.id))
            .where(cls.resolved_at.is_null())
            .order_by(cls.flagged_at, cls.id)
        )

    @classmethod
    def open_for(cls, client) -> list:
        """The person's flags no meeting has discussed yet, with who flagged them."""
        return list(cls._open().where(cls.client == client))

    @classmethod
    def open_in(cls, team) -> dict[int, list]:
        """Open flags of the team's active people, by person id, in one query."""
        found: dict[int, list] = {}
        rows = (
            cls._open()
            .switch(cls)
            .join(Client, on=(cls.client == Client.id))
            .where(cls.team == team, Client.status == Client.ACTIVE)
        )
        for flag in rows:
            found.setdefault(flag.client_id, []).append(flag)
        return found

    @classmethod
    def for_people(cls, client_ids) -> dict[int, list]:
        """Open flags of these people, by person id, in one query."""
        found: dict[int, list] = {i: [] for i in client_ids}
        if client_ids:
            for flag in cls._open().where(cls.client.in_(list(client_ids))):
                found[flag.client_id].append(flag)
        return found


class DecisionRefused(Exception):
    """A step a decision cannot take now: it is adopted (and so never changed),
    withdrawn or parked, a colleague changed it since it was read, or an objection
    is still open. The message says which, naming who, in plain words."""


class Decision(BaseModel):
    """A proposal the team decides by consent: adopted when nobody has a principled
    objection left. Once adopted it is never edited; a new decision revisits it."""

    PROPOSED = "proposed"
    ADOPTED = "adopted"
    WITHDRAWN = "withdrawn"
    PARKED = "parked"
    STATUSES = {
        PROPOSED: "Proposed",
        ADOPTED: "Adopted",
        WITHDRAWN: "Withdrawn",
        PARKED: "Parked",
    }
    ENTITY = "decision"
    # "Bram <did> since you opened this page", by the action of the audit event.
    DID = {
        "propose": "posted it",
        "question": "recorded a question",
        "reaction": "recorded a reaction",
        "objection": "recorded an objection",
        "amend": "amended the proposal",
        "resolve": "resolved an objection",
        "adopt": "adopted it",
        "withdraw": "withdrew it",
        "park": "parked it",
        "resume": "took it up again",
        "answer": "answered",
        "settle": "counted the answers",
    }

    team = ForeignKeyField(Team, backref="decisions", on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
    meeting = ForeignKeyField(Meeting, null=True, backref="decisions", on_delete="SET NULL")
    proposal = TextField()
    purpose = TextField(default="")
    proposed_by = ForeignKeyField(User, on_delete="RESTRICT")
    proposed_at = DateTimeField(default=utcnow)
    status = CharField(max_length=10, default=PROPOSED)
    decided_at = DateTimeField(null=True)
    review_on = DateField(null=True)
    revisits = ForeignKeyField("self", null=True, backref="revisited_by", on_delete="SET NULL")
    # Between meetings: members answer until the deadline; `quorum` answers needed.
    asynchronous = BooleanField(default=False)
    deadline = DateTimeField(null=True)
    quorum = IntegerField(null=True)
    # When the answers between meetings were counted (adopted, or on to a meeting).
    settled_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("team", "status", "review_on"), False),)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def is_open(self):
        return self.status == self.PROPOSED

    @property
    def decided_on(self):
        """The date the log files it under: decided, or else proposed."""
        return self.decided_at or self.proposed_at

    def answering(self, now: dt.datetime | None = None) -> bool:
        """Members are answering between meetings: the deadline has not passed."""
        return (
            self.status == self.PROPOSED
            and self.asynchronous
            and self.settled_at is None
            and self.deadline > (now or utcnow())
        )

    def snapshot(self) -> dict:
        return {
            "proposal": self.proposal,
            "purpose": self.purpose,
            "status": self.status,
            "review_on": self.review_on,
            "person": self.client_id,
            "revisits": self.revisits_id,
        }

    def _audit(self, by, action, before=None, after=None):
        # A decision about a person belongs in that person's history too.
        client = Client.get_by_id(self.client_id) if self.client_id else None
        AuditEvent.record(
            by, client, action, self.ENTITY, self.id, before=before, after=after, team=self.team_id
        )

    # Reading

    @classmethod
    def for_team(cls, team):
        return cls.select().where(cls.team == team)

    @classmethod
    def log(
        cls,
        team,
        *,
        text="",
        status="",
        client_id=None,
        since=None,
        until=None,
        day=None,
        for_coach=False,
    ):
        """The team's decisions, newest first, with who proposed each and the person
        it is about. `since`/`until` are UTC bounds on the date it was decided (or
        proposed); status "review" means adopted and due for review on `day`.
        For a coach, words are only looked for in decisions that are about no person:
        those stay with the team."""
        query = (
            cls.select(cls, User, Client)
            .join(User, on=(cls.proposed_by == User.id))
            .switch(cls)
            .join(Client, JOIN.LEFT_OUTER, on=(cls.client == Client.id))
            .where(cls.team == team)
        )
        text = " ".join(text.split())
        if text:
            pattern = f"%{text}%"
            in_steps = DecisionStep.select(DecisionStep.decision).where(
                DecisionStep.text.ilike(pattern)
                | DecisionStep.resolution.ilike(pattern)
                | DecisionStep.earlier.ilike(pattern)
            )
            found = cls.proposal.ilike(pattern) | cls.purpose.ilike(pattern) | cls.id.in_(in_steps)
            if for_coach:
                found = found & cls.client.is_null()
            query = query.where(found)
        if status == "review":
            query = query.where(cls.id.in_(cls.due_for_review(team, day).select(cls.id)))
        elif status:
            query = query.where(cls.status == status)
        if client_id:
            query = query.where(cls.client == client_id)
        when = fn.COALESCE(cls.decided_at, cls.proposed_at)
        if since:
            query = query.where(when >= since)
        if until:
            query = query.where(when < until)
        return query.order_by(when.desc(), cls.id.desc())

    @classmethod
    def people_decided_about(cls, team):
        """The people the team's decisions are about, for the log's filter."""
        return (
            Client.select(Client.id, Client.name)
            .join(cls, on=(cls.client == Client.id))
            .where(cls.team == team)
            .distinct()
            .order_by(Client.name)
        )

    @classmethod
    def links_of(cls, decisions) -> tuple[dict, dict]:
        """For these decisions, in one query: {id: the decision it revisits} and
        {id: [decisions that revisit it]} (each with id, dates and status)."""
        ids = [d.id for d in decisions]
        earlier_ids = [d.revisits_id for d in decisions if d.revisits_id]
        revisits, revisited_by = {}, {i: [] for i in ids}
        if not ids:
            return revisits, revisited_by
        rows = cls.select(
            cls.id, cls.proposed_at, cls.decided_at, cls.status, cls.revisits, cls.proposal
        ).where(cls.id.in_(earlier_ids) | cls.revisits.in_(ids))
        by_id = {}
        for row in rows.order_by(cls.proposed_at, cls.id):
            by_id[row.id] = row
            if row.revisits_id in revisited_by:
                revisited_by[row.revisits_id].append(row)
        for decision in decisions:
            if decision.revisits_id in by_id:
                revisits[decision.id] = by_id[decision.revisits_id]
        return revisits, revisited_by

    def due(self, day: dt.date, revisited_by=()) -> bool:
        """Adopted, its review date has come, and no open or adopted decision revisits it."""
        return (
            self.status == self.ADOPTED
            and self.review_on is not None
            and self.review_on <= day
            and not any(d.status in (self.PROPOSED, self.ADOPTED) for d in revisited_by)
        )

    @classmethod
    def due_for_review(cls, team, day: dt.date):
        """Adopted decisions whose review date has come and that no open or adopted
        decision revisits yet: they come back on the agenda."""
        revisited = cls.select(cls.revisits).where(
            cls.team == team,
            cls.revisits.is_null(False),
            cls.status.in_((cls.PROPOSED, cls.ADOPTED)),
        )
        return (
            cls.select()
            .where(
                cls.team == team,
                cls.status == cls.ADOPTED,
                cls.review_on <= day,
                cls.id.not_in(revisited),
            )
            .order_by(cls.review_on, cls.id)
        )

    @classmethod
    def waiting_for_meeting(cls, team, now: dt.datetime | None = None):
        """Open proposals for a meeting to take up: posted for a meeting, or answered
        between meetings without being adopted, and not yet on the agenda of a
        meeting to come (or running). Settles what is due first, so that a
        proposal whose time to answer ran out is counted before the agenda is built."""
        cls.settle_due(team, now)
        on_agenda = (
            AgendaItem.select(AgendaItem.decision)
            .join(Meeting)
            .where(
                Meeting.team == team,
                Meeting.status != Meeting.DONE,
                AgendaItem.decision.is_null(False),
            )
        )
        return (
            cls.select()
            .where(
                cls.team == team,
                cls.status == cls.PROPOSED,
                (cls.asynchronous == False) | cls.settled_at.is_null(False),  # noqa: E712
                cls.id.not_in(on_agenda),
            )
            .order_by(cls.proposed_at, cls.id)
        )

    def steps_in_order(self):
        """Every step with who said it and who resolved it (an objection), oldest first."""
        member = User.alias("member")
        resolver = User.alias("resolver")
        return (
            DecisionStep.select(DecisionStep, member, resolver)
            .join(member, on=(DecisionStep.member == member.id))
            .switch(DecisionStep)
            .join(resolver, JOIN.LEFT_OUTER, on=(DecisionStep.resolved_by == resolver.id))
            .where(DecisionStep.decision == self)
            .order_by(DecisionStep.at, DecisionStep.id)
        )

    @classmethod
    def objections_of(cls, decisions) -> dict[int, list]:
        """The objections raised on these decisions, with who raised and resolved
        each, in one query: {decision id: [steps]}."""
        ids = [d.id for d in decisions]
        found: dict[int, list] = {i: [] for i in ids}
        if not ids:
            return found
        member = User.alias("member")
        resolver = User.alias("resolver")
        rows = (
            DecisionStep.select(DecisionStep, member, resolver)
            .join(member, on=(DecisionStep.member == member.id))
            .switch(DecisionStep)
            .join(resolver, JOIN.LEFT_OUTER, on=(DecisionStep.resolved_by == resolver.id))
            .where(DecisionStep.decision.in_(ids), DecisionStep.kind == DecisionStep.OBJECTION)
            .order_by(DecisionStep.at, DecisionStep.id)
        )
        for step in rows:
            found[step.decision_id].append(step)
        return found

    # Changing: every verb locks the open decision's row and moves its version on,
    # so that two members acting at once take turns and the second one sees what
    # the first did (DecisionRefused) instead of deciding on what was.

    def _last_event(self):
        return (
            AuditEvent.select(AuditEvent, User)
            .join(User, on=(AuditEvent.actor == User.id))
            .where(AuditEvent.entity == self.ENTITY, AuditEvent.entity_id == self.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .first()
        )

    def _refusal(self, version=None, now=None, answering=None) -> DecisionRefused:
        """Why a verb found the decision not as it expected, naming who changed it."""
        fresh = Decision.get_by_id(self.id)
        self.__data__ = dict(fresh.__data__)
        last = self._last_event()
        who = last.actor.name if last else "A colleague"
        if fresh.status == self.ADOPTED:
            if last and last.action == "settle":
                said = "It was adopted between meetings: nobody objected in time."
            else:
                said = f"{who} adopted it."
            return DecisionRefused(
                f"{said} An adopted decision is never changed. To change it, propose a "
                "new decision that revisits it."
            )
        if fresh.status == self.WITHDRAWN:
            return DecisionRefused(f"{who} withdrew this proposal. It can no longer change.")
        if fresh.status == self.PARKED:
            return DecisionRefused(f"{who} parked this proposal. Take it up again first.")
        if version is not None and fresh.version != version:
            did = self.DID.get(last.action, "changed it") if last else "changed it"
            return DecisionRefused(
                f"{who} {did} since you opened this page. Read it, then try again."
            )
        if answering is True and not fresh.answering(now):
            if fresh.settled_at is None:
                return DecisionRefused(
                    "The time to answer has just ended. Reload the page to see whether it "
                    "was adopted."
                )
            return DecisionRefused(
                "The time to answer has ended; the team decides this proposal at a meeting now."
            )
        if fresh.answering(now):
            return DecisionRefused(
                "Members are answering this proposal between meetings until the deadline. "
                "It is decided when the time is up."
            )
        if fresh.asynchronous and fresh.settled_at is None:
            return DecisionRefused(
                "The time to answer this proposal has just ended. Reload the page to see "
                "whether it was adopted."
            )
        open_objections = (
            DecisionStep.select(DecisionStep, User)
            .join(User, on=(DecisionStep.member == User.id))
            .where(
                DecisionStep.decision == self,
                DecisionStep.kind == DecisionStep.OBJECTION,
                DecisionStep.resolved_at.is_null(),
            )
            .order_by(DecisionStep.at)
        )
        names = [step.member.first_name for step in open_objections]
        if names:
            whose = " and ".join(f"{name}’s" for name in names)
            return DecisionRefused(
                f"{whose} objection{'s are' if len(names) > 1 else ' is'} not resolved yet. "
                "Resolve it, or amend the proposal, before adopting."
            )
        return DecisionRefused("This proposal changed in the meantime. Read it, then try again.")

    def _hold(self, version: int | None = None, *, answering: bool | None = None, now=None):
        """Lock the row of this proposal for the transaction and move its version on.

        Refuses (DecisionRefused) when it is not open, when `version` is given and
        someone changed it since, and when `answering` says whether members must
        (True) or must not (False) be answering between meetings."""
        now = now or utcnow()
        query = Decision.update(version=Decision.version + 1).where(
            Decision.id == self.id, Decision.status == Decision.PROPOSED
        )
        if version is not None:
            query = query.where(Decision.version == version)
        in_window = (
            (Decision.asynchronous == True)  # noqa: E712
            & Decision.settled_at.is_null()
            & (Decision.deadline > now)
        )
        if answering is True:
            query = query.where(in_window)
        elif answering is False:
            # Not while members answer, nor between the deadline and the count.
            query = query.where(
                (Decision.asynchronous == False) | Decision.settled_at.is_null(False)  # noqa: E712
            )
        if not query.execute():
            raise self._refusal(version, now, answering)
        self.version = (self.version if version is None else version) + 1

    @staticmethod
    def set_rules(team, by, version: int, days: int, quorum: int) -> bool:
        """The team's rules for deciding between meetings: how many days to answer
        and how many answers are needed. False (nothing saved) when the team's
        record was saved by someone since `version` was read."""
        before = {"async_days": team.async_days, "async_quorum": team.async_quorum}
        with db.atomic():
            saved = (
                Team.update(async_days=days, async_quorum=quorum, version=Team.version + 1)
                .where(Team.id == team.id, Team.version == version)
                .execute()
            )
            if not saved:
                return False
            team.async_days, team.async_quorum, team.version = days, quorum, version + 1
            after = {"async_days": days, "async_quorum": quorum}
            AuditEvent.record(by, None, "update", "team", team.id, before, after, team.id)
        return True

    @classmethod
    def propose(
        cls,
        team,
        by,
        proposal: str,
        purpose: str,
        *,
        client=None,
        meeting=None,
        revisits=None,
        asynchronous: bool = False,
        review_on: dt.date | None = None,
        now: dt.datetime | None = None,
    ):
        """Post a proposal; between meetings it gets the team's deadline and quorum."""
        now = now or utcnow()
        if revisits is not None and revisits.status != cls.ADOPTED:
            raise DecisionRefused("Only an adopted decision can be revisited.")
        with db.atomic():
            decision = cls.create(
                team=team,
                proposal=proposal,
                purpose=purpose,
                client=client,
                meeting=meeting,
                revisits=revisits,
                proposed_by=by,
                proposed_at=now,
                review_on=review_on,
                asynchronous=asynchronous,
                deadline=now + dt.timedelta(days=team.async_days) if asynchronous else None,
                quorum=team.async_quorum if asynchronous else None,
            )
            decision._audit(by, "propose", after=decision.snapshot())
        return decision

    def add_step(self, by, kind: str, text: str, *, member=None, now=None):
        """A clarifying question, a reaction or an objection, said by `member` (whoever
        spoke) and written down by `by`. An objection needs its reasoning."""
        if kind not in DecisionStep.SAID:
            raise ValueError(f"not a step one adds: {kind}")
        text = (text or "").strip()
        if not text:
            raise DecisionRefused(
                "Write down why: an objection needs its reasoning."
                if kind == DecisionStep.OBJECTION
                else "Write down what was said."
            )
        now = now or utcnow()
        member = member or by
        with db.atomic():
            # Between meetings an objection is an answer, one per member (`answer`).
            self._hold(answering=False if kind == DecisionStep.OBJECTION else None, now=now)
            step = DecisionStep.create(decision=self, kind=kind, member=member, text=text, at=now)
            self._audit(by, kind, after={"member": member.name, "text": text})
        return step

    def amend(self, by, version: int, proposal: str, *, member=None, now=None):
        """The proposal as amended; the text it replaces stays in the amendment step."""
        proposal = (proposal or "").strip()
        if not proposal:
            raise DecisionRefused("Write the proposal as amended.")
        if proposal == self.proposal:
            raise DecisionRefused("The amended text is the same as the proposal. Change it first.")
        now = now or utcnow()
        member = member or by
        with db.atomic():
            self._hold(version, answering=False, now=now)
            earlier = Decision.get_by_id(self.id).proposal
            Decision.update(proposal=proposal).where(Decision.id == self.id).execute()
            step = DecisionStep.create(
                decision=self,
                kind=DecisionStep.AMENDMENT,
                member=member,
                text=proposal,
                earlier=earlier,
                at=now,
            )
            self._audit(by, "amend", before={"proposal": earlier}, after={"proposal": proposal})
        self.proposal = proposal
        return step

    def resolve(self, by, step, how: str, *, resolved_by=None, now=None):
        """Record how an objection was resolved, and by whom (usually who objected)."""
        how = (how or "").strip()
        if not how:
            raise DecisionRefused("Write down how the objection was resolved.")
        now = now or utcnow()
        resolved_by = resolved_by or by
        with db.atomic():
            self._hold(answering=False, now=now)
            rows = (
                DecisionStep.update(resolution=how, resolved_by=resolved_by, resolved_at=now)
                .where(
                    DecisionStep.id == step.id,
                    DecisionStep.decision == self.id,
                    DecisionStep.kind == DecisionStep.OBJECTION,
                    DecisionStep.resolved_at.is_null(),
                )
                .execute()
            )
            if not rows:
                # Rolled back with the version: nothing changed.
                fresh = DecisionStep.get_or_none(DecisionStep.id == step.id)
                if fresh is None or fresh.decision_id != self.id or fresh.kind != "objection":
                    raise DecisionRefused("That is not an objection to this proposal.")
                raise DecisionRefused(
                    f"{fresh.resolved_by.name} already resolved this objection: "
                    f"“{fresh.resolution}”."
                )
            self._audit(
                by,
                "resolve",
                before={"objection": step.text},
                after={"objection": step.text, "resolution": how, "by": resolved_by.name},
            )

    def adopt(self, by, version: int, review_on: dt.date, *, now=None):
        """Adopt by consent: only the text that was read (`version`), only when no
        objection is left unresolved, and never twice. Checked in the same
        statement that adopts, so an objection recorded at the same moment either
        comes first (and adopting is refused) or finds the decision adopted."""
        now = now or utcnow()
        unresolved = DecisionStep.select(DecisionStep.id).where(
            DecisionStep.decision == self.id,
            DecisionStep.kind == DecisionStep.OBJECTION,
            DecisionStep.resolved_at.is_null(),
        )
        with db.atomic():
            rows = (
                Decision.update(
                    status=Decision.ADOPTED,
                    decided_at=now,
                    review_on=review_on,
                    version=Decision.version + 1,
                )
                .where(
                    Decision.id == self.id,
                    Decision.status == Decision.PROPOSED,
                    Decision.version == version,
                    (Decision.asynchronous == False)  # noqa: E712
                    | Decision.settled_at.is_null(False),
                    ~fn.EXISTS(unresolved),
                )
                .execute()
            )
            if not rows:
                raise self._refusal(version, now)
            before = self.snapshot()
            self.status, self.decided_at, self.review_on = self.ADOPTED, now, review_on
            self.version = version + 1
            self._audit(by, "adopt", before=before, after=self.snapshot())

    def _close(self, by, status: str, action: str, why: str, now=None, answering=None):
        why = (why or "").strip()
        if not why:
            raise DecisionRefused("Write down why, for whoever reads the log later.")
        now = now or utcnow()
        with db.atomic():
            self._hold(now=now, answering=answering)
            before = self.snapshot()
            Decision.update(status=status, decided_at=now).where(Decision.id == self.id).execute()
            DecisionStep.create(
                decision=self, kind=DecisionStep.OUTCOME, member=by, text=why, at=now
            )
            self.status, self.decided_at = status, now
            self._audit(by, action, before=before, after={**self.snapshot(), "why": why})

    def withdraw(self, by, why: str, *, now=None):
        """The proposer (or the team) takes it back; it stays in the log as withdrawn."""
        self._close(by, self.WITHDRAWN, "withdraw", why, now)

    def park(self, by, why: str, *, now=None):
        """Put aside for now; anyone can take it up again later."""
        self._close(by, self.PARKED, "park", why, now, answering=False)

    def resume(self, by, *, now=None):
        """Take a parked proposal up again, at a meeting."""
        now = now or utcnow()
        with db.atomic():
            rows = (
                Decision.update(
                    status=Decision.PROPOSED, decided_at=None, version=Decision.version + 1
                )
                .where(Decision.id == self.id, Decision.status == Decision.PARKED)
                .execute()
            )
            if not rows:
                fresh = Decision.get_by_id(self.id)
                if fresh.status == self.PROPOSED:
                    last = self._last_event()
                    who = last.actor.name if last else "A colleague"
                    raise DecisionRefused(f"{who} already took this proposal up again.")
                raise self._refusal(now=now)
            self.status, self.decided_at = self.PROPOSED, None
            self._audit(by, "resume", after=self.snapshot())

    def answer(self, by, consent: bool, reasoning: str = "", *, now=None):
        """A member's answer between meetings: consent, or an objection with its
        reasoning. One answer per member (a unique index on the step): answering
        again before the deadline replaces the earlier answer. Returns the step."""
        reasoning = (reasoning or "").strip()
        if not consent and not reasoning:
            raise DecisionRefused("Write down why you object: an objection needs its reasoning.")
        if not self.asynchronous:
            raise DecisionRefused("This proposal is decided at a meeting, not between meetings.")
        now = now or utcnow()
        kind = DecisionStep.CONSENT if consent else DecisionStep.OBJECTION
        with db.atomic():
            self._hold(answering=True, now=now)
            try:
                with db.atomic():
                    step = DecisionStep.create(
                        decision=self, kind=kind, member=by, text=reasoning, at=now, answer_of=by
                    )
                before = None
            except IntegrityError:
                step = DecisionStep.get(
                    DecisionStep.decision == self.id, DecisionStep.answer_of == by.id
                )
                before = {"answer": step.kind, "text": step.text}
                DecisionStep.update(kind=kind, text=reasoning, at=now).where(
                    DecisionStep.id == step.id
                ).execute()
                step.kind, step.text, step.at = kind, reasoning, now
            self._audit(by, "answer", before=before, after={"answer": kind, "text": reasoning})
        return step

    @classmethod
    def settle_due(cls, team, now: dt.datetime | None = None) -> int:
        """Count the answers of every proposal whose time to answer has ended.
        Called whenever the team's decisions or agenda are read (no worker runs in
        the background). Returns how many were settled."""
        now = now or utcnow()
        due = cls.select().where(
            cls.team == team,
            cls.status == cls.PROPOSED,
            cls.asynchronous == True,  # noqa: E712
            cls.settled_at.is_null(),
            cls.deadline <= now,
        )
        return sum(1 for decision in due if decision.settle(now))

    def settle(self, now: dt.datetime | None = None) -> bool:
        """When the deadline has passed: adopted if nobody objects and at least the
        quorum answered; otherwise on to the next meeting (its agenda, if one is
        planned; else it waits, see `waiting_for_meeting`). Only one reader settles
        it; for the others this does nothing and returns False."""
        now = now or utcnow()
        with db.atomic():
            claimed = (
                Decision.update(settled_at=now, version=Decision.version + 1)
                .where(
                    Decision.id == self.id,
                    Decision.status == Decision.PROPOSED,
                    Decision.asynchronous == True,  # noqa: E712
                    Decision.settled_at.is_null(),
                    Decision.deadline <= now,
                )
                .execute()
            )
            if not claimed:
                return False
            answers = list(
                DecisionStep.select(DecisionStep, User)
                .join(User, on=(DecisionStep.member == User.id))
                .where(DecisionStep.decision == self.id, DecisionStep.answer_of.is_null(False))
            )
            objecting = [a.member.first_name for a in answers if a.kind == DecisionStep.OBJECTION]
            enough = len(answers) >= (self.quorum or 0)
            self.settled_at = now
            self.version += 1
            outcome = {"answers": len(answers), "needed": self.quorum, "objecting": objecting}
            if enough and not objecting:
                Decision.update(status=Decision.ADOPTED, decided_at=self.deadline).where(
                    Decision.id == self.id
                ).execute()
                self.status, self.decided_at = self.ADOPTED, self.deadline
                outcome["status"] = self.ADOPTED
            else:
                outcome["status"] = "to the meeting"
                self._to_next_meeting(now, self.unsettled_reason(len(answers), objecting))
            AuditEvent.record(
                self.proposed_by,
                Client.get_by_id(self.client_id) if self.client_id else None,
                "settle",
                self.ENTITY,
                self.id,
                after=outcome,
                team=self.team_id,
            )
        return True

    def unsettled_reason(self, answered: int, objecting: list[str]) -> str:
        if objecting:
            return f"Between meetings {' and '.join(objecting)} objected."
        return f"Between meetings {answered} answered; {self.quorum} were needed."

    def _to_next_meeting(self, now, why: str):
        meeting = (
            Meeting.select()
            .where(
                Meeting.team == self.team_id,
                Meeting.status == Meeting.PLANNED,
                Meeting.held_on >= now.date(),
            )
            .order_by(Meeting.held_on, Meeting.id)
            .first()
        )
        if meeting is None:
            return None  # waiting_for_meeting() finds it when an agenda is built
        last = (
            AgendaItem.select(fn.MAX(AgendaItem.position))
            .where(AgendaItem.meeting == meeting)
            .scalar()
        )
        title = self.proposal if len(self.proposal) <= 200 else self.proposal[:199] + "…"
        try:
            with db.atomic():
                return AgendaItem.create(
                    meeting=meeting,
                    kind="proposal",
                    title=title,
                    why=why[:300],
                    decision=self.id,
                    source=f"decision:{self.id}",
                    position=(last or 0) + 1,
                    created_at=now,
                )
        except IntegrityError:
            return None  # already on that agenda


class DecisionStep(BaseModel):
    """The record of how a proposal was decided: questions, reactions, objections
    (with reasoning, and how each was resolved), amendments, consent."""

    QUESTION = "question"
    REACTION = "reaction"
    OBJECTION = "objection"
    AMENDMENT = "amendment"
    CONSENT = "consent"
    OUTCOME = "outcome"
    KINDS = {
        QUESTION: "Clarifying question",
        REACTION: "Reaction",
        OBJECTION: "Objection",
        AMENDMENT: "Amendment",
        CONSENT: "Consent",
        OUTCOME: "Why",
    }
    # What members say in a meeting, recorded by whoever takes the notes.
    SAID = (QUESTION, REACTION, OBJECTION)

    decision = ForeignKeyField(Decision, backref="steps", on_delete="CASCADE")
    kind = CharField(max_length=10)
    member = ForeignKeyField(User, on_delete="RESTRICT")
    text = TextField(default="")
    # For amendments: the proposal's text before it.
    earlier = TextField(default="")
    at = DateTimeField(default=utcnow)
    # For objections: how it was resolved, by whom, when.
    resolution = TextField(default="")
    resolved_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    resolved_at = DateTimeField(null=True)
    # Set on a member's answer between meetings (consent or objection): the unique
    # index allows one answer per member, whatever happens at the same moment.
    answer_of = ForeignKeyField(User, null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("decision", "at"), False), (("decision", "answer_of"), True))

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @property
    def is_answer(self):
        return self.answer_of_id is not None

    @property
    def open_objection(self):
        return self.kind == self.OBJECTION and self.resolved_at is None


class LearningRecord(BaseModel):
    """What the training plan and the experiments share: a team record, maybe from a
    decision, added and changed by any member; edits refused when someone saved
    in between (`version`); every change audited with before and after."""

    ENTITY = ""
    FIELDS: tuple[str, ...] = ()

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def add(cls, team, by, decision=None, **fields):
        with db.atomic():
            record = cls.create(team=team, created_by=by, decision=decision, **fields)
            after = {**record.snapshot(), "decision": decision.id if decision else None}
            AuditEvent.record(by, None, "create", cls.ENTITY, record.id, after=after, team=team)
        return record

    def change(self, by, version: int, **fields) -> bool:
        """Save `fields` unless someone saved since `version`; False on a conflict."""
        model = type(self)
        before = self.snapshot()
        with db.atomic():
            saved = (
                model.update(version=model.version + 1, **fields)
                .where(model.id == self.id, model.version == version)
                .execute()
            )
            if not saved:
                return False
            self.__data__.update(fields)
            self.version = version + 1
            AuditEvent.record(
                by, None, "update", self.ENTITY, self.id, before, self.snapshot(), self.team_id
            )
        return True

    @classmethod
    def with_decision(cls):
        """The records with the decision each came from (id and dates only)."""
        return cls.select(
            cls, Decision.id, Decision.proposed_at, Decision.decided_at, Decision.status
        ).join(Decision, JOIN.LEFT_OUTER, on=(cls.decision == Decision.id))


class TrainingItem(LearningRecord):
    """The team's own training plan."""

    ENTITY = "training"
    FIELDS = ("topic", "who", "planned_on", "done_on", "note")

    team = ForeignKeyField(Team, backref="training", on_delete="CASCADE")
    topic = CharField(max_length=200)
    who = CharField(max_length=200, default="")
    planned_on = DateField(null=True)
    done_on = DateField(null=True)
    note = TextField(default="")
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def plan(cls, team):
        """Still to do first, soonest first (undated last); then done, latest first."""
        return (
            cls.with_decision()
            .where(cls.team == team)
            .order_by(
                cls.done_on.is_null(False),
                cls.planned_on.asc(nulls="last"),
                cls.done_on.desc(),
                cls.id,
            )
        )

    def mark_done(self, by, day: dt.date) -> bool:
        """Done on `day`. False when it was already done (a colleague got there first)."""
        with db.atomic():
            saved = (
                TrainingItem.update(done_on=day, version=TrainingItem.version + 1)
                .where(TrainingItem.id == self.id, TrainingItem.done_on.is_null())
                .execute()
            )
            if not saved:
                return False
            before = self.snapshot()
            self.done_on = day
            self.version += 1
            AuditEvent.record(
                by, None, "update", self.ENTITY, self.id, before, self.snapshot(), self.team_id
            )
        return True


class Experiment(LearningRecord):
    """What we'll try, why, how we'll know, what happened, keep or drop."""

    RUNNING = "running"
    KEEP = "keep"
    DROP = "drop"
    OUTCOMES = {RUNNING: "Running", KEEP: "Keep", DROP: "Drop"}
    ENTITY = "experiment"
    FIELDS = ("title", "why", "how_we_know", "started_on", "review_on", "what_happened", "outcome")

    team = ForeignKeyField(Team, backref="experiments", on_delete="CASCADE")
    title = CharField(max_length=200)
    why = TextField(default="")
    how_we_know = TextField(default="")
    started_on = DateField(default=dt.date.today)
    review_on = DateField(null=True)
    what_happened = TextField(default="")
    outcome = CharField(max_length=10, default=RUNNING)
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, on_delete="RESTRICT")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    @property
    def outcome_label(self):
        return self.OUTCOMES.get(self.outcome, self.outcome)

    @classmethod
    def log(cls, team):
        """Running ones first, the soonest review first; then kept or dropped, latest first."""
        return (
            cls.with_decision()
            .where(cls.team == team)
            .order_by(
                cls.outcome != cls.RUNNING,
                cls.review_on.asc(nulls="last"),
                cls.started_on.desc(),
                cls.id.desc(),
            )
        )


MODELS = [
    Team,
    User,
    CoachLink,
    Client,
    KnownBest,
    Contact,
    ContactMember,
    AuditEvent,
    LoginThrottle,
    AboutMe,
    Strength,
    Offer,
    LocalResource,
    NetworkMember,
    Goal,
    Step,
    Connection,
    Consent,
    Referral,
    Task,
    VisitSeries,
    PlannedVisit,
    TeamRole,
    RoleHolding,
    Invitation,
    Meeting,
    Attendance,
    AgendaItem,
    MeetingFlag,
    Decision,
    DecisionStep,
    TrainingItem,
    Experiment,
]
