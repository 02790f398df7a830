"""The Omaha System, for teams that choose to use it (`Team.uses_omaha`): a
person's problems (teamcase/omaha: 42 in 4 domains), each rated over time for
Knowledge, Behaviour and Status (1–5), with the person's own strengths that help
with it. Never required to open or keep a case (DESIGN.md rule 2).

A problem is on a person's list once (unique per person); it ends with a date
and can be taken up again, both over the version that was read. A rating is
never changed: a new rating is a new row, numbered one higher than the newest
the rater saw, so two people rating at once is a conflict the database decides,
not a rating lost from view (as about me's versions).
"""

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    fn,
)

from teamcase.dates import local_today
from teamcase.db import db
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client
from teamcase.models.record import PersonPart, Strength
from teamcase.models.teams import User
from teamcase.models.versioned import VERSION_MAX, is_version
from teamcase.omaha import CONCEPTS, RATINGS, system


class OmahaProblem(PersonPart):
    """One problem of the Omaha System on one person's list."""

    ENTITY = "omaha_problem"
    FIELDS = ("code", "added_on", "ended_on")

    client = ForeignKeyField(Client, backref="omaha_problems", on_delete="CASCADE")
    code = CharField(max_length=2)
    added_on = DateField(default=local_today)
    added_by = ForeignKeyField(User, on_delete="RESTRICT")
    ended_on = DateField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "omaha_problem"
        indexes = ((("client", "code"), True),)

    @property
    def name(self) -> str:
        return system().problem_name(self.code)

    @property
    def domain(self) -> str:
        found = system().problems.get(self.code)
        return found.domain if found else ""

    @property
    def ended(self) -> bool:
        return self.ended_on is not None

    @classmethod
    def for_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.code)

    @classmethod
    def add(cls, client, by, code, added_on=None, *, created_at=None):
        """Put problem `code` on the person's list; None when it is on it already."""
        if code not in system().problems:
            raise ValueError(f"no such problem: {code}")
        extra = {"created_at": created_at} if created_at else {}
        try:
            with db.atomic():
                row = cls.create(
                    client=client,
                    code=code,
                    added_on=added_on or local_today(),
                    added_by=by,
                    **extra,
                )
                AuditEvent.record(by, client, "create", cls.ENTITY, row.id, after=row.snapshot())
        except IntegrityError:
            return None
        return row

    def end(self, by, version: int, ended_on) -> bool:
        """No longer a problem, from `ended_on`; False when someone saved in between."""
        return self.change(by, version, ended_on=ended_on)

    def take_up_again(self, by, version: int) -> bool:
        return self.change(by, version, ended_on=None)

    def strengths(self):
        """The person's strengths linked to this problem."""
        return (
            Strength.select()
            .join(OmahaStrength)
            .where(OmahaStrength.problem == self)
            .order_by(Strength.id)
        )

    def link_strengths(self, by, version: int, strength_ids) -> bool:
        """The strengths of the person that help with this problem, as chosen now
        (any of theirs, no one else's); False when someone saved in between."""
        wanted = (
            Strength.select(Strength.id, Strength.text)
            .where(Strength.client == self.client_id, Strength.id.in_(list(strength_ids)))
            .order_by(Strength.id)
        )
        wanted = list(wanted)
        before = [s.text for s in self.strengths()]
        with db.atomic():
            if not self.save_if_current(version):
                return False
            OmahaStrength.delete().where(OmahaStrength.problem == self).execute()
            if wanted:
                OmahaStrength.insert_many(
                    [{"problem": self.id, "strength": s.id} for s in wanted]
                ).execute()
            AuditEvent.record(
                by,
                self.client,
                "update",
                self.ENTITY,
                self.id,
                before={"strengths": "; ".join(before)},
                after={"strengths": "; ".join(s.text for s in wanted)},
            )
        self.version = type(self).get_by_id(self.id).version
        return True

    def rate(self, by, based_on: int, rated_on, *, created_at=None, **ratings):
        """A new rating of Knowledge, Behaviour and Status (each 1–5), numbered after
        the newest one `based_on` that the rater saw; None when someone rated in
        between (or `based_on` is no rating's number)."""
        if set(ratings) != set(CONCEPTS) or any(r not in RATINGS for r in ratings.values()):
            raise ValueError(f"not a rating: {ratings}")
        if not is_version(based_on) or based_on == VERSION_MAX:
            return None
        extra = {"created_at": created_at} if created_at else {}
        try:
            with db.atomic():
                row = OmahaRating.create(
                    problem=self,
                    number=based_on + 1,
                    rated_on=rated_on,
                    rated_by=by,
                    **ratings,
                    **extra,
                )
                AuditEvent.record(
                    by, self.client, "create", OmahaRating.ENTITY, row.id, after=row.snapshot()
                )
        except IntegrityError:
            return None
        return row

    def newest_rating(self):
        return (
            OmahaRating.select(OmahaRating, User)
            .join(User)
            .where(OmahaRating.problem == self)
            .order_by(OmahaRating.number.desc())
            .first()
        )


class OmahaRating(BaseModel):
    """Knowledge, Behaviour and Status of one problem, as rated on one day."""

    ENTITY = "omaha_rating"

    problem = ForeignKeyField(OmahaProblem, backref="ratings", on_delete="CASCADE")
    number = IntegerField()
    knowledge = IntegerField()
    behaviour = IntegerField()
    status = IntegerField()
    rated_on = DateField(default=local_today)
    rated_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "omaha_rating"
        indexes = ((("problem", "number"), True),)

    def snapshot(self) -> dict:
        return {
            "problem": self.problem.code,
            "knowledge": self.knowledge,
            "behaviour": self.behaviour,
            "status": self.status,
            "rated_on": self.rated_on.isoformat(),
        }

    @classmethod
    def newest_number(cls, problem) -> int:
        return cls.select(fn.MAX(cls.number)).where(cls.problem == problem).scalar() or 0


class OmahaStrength(BaseModel):
    """A strength of the person's own that helps with one of their problems."""

    problem = ForeignKeyField(OmahaProblem, backref="strength_links", on_delete="CASCADE")
    strength = ForeignKeyField(Strength, backref="omaha_links", on_delete="CASCADE")

    class Meta:
        table_name = "omaha_strength"
        indexes = ((("problem", "strength"), True),)
