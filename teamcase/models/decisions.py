"""Decisions by consent: proposals, questions, reactions, objections,
amendments and their resolution; adoption; answers between meetings.
"""

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
    fn,
)

from teamcase.db import db
from teamcase.generated import Generated, GeneratedTextField
from teamcase.i18n import and_list
from teamcase.models.audit import AuditEvent
from teamcase.models.base import BaseModel, utcnow
from teamcase.models.clients import Client
from teamcase.models.meetings import AgendaItem, Meeting
from teamcase.models.teams import CoachLink, Team, User
from teamcase.models.versioned import Versioned


class DecisionRefused(Exception):
    """A step a decision cannot take now: it is adopted (and so never changed),
    withdrawn or parked, a colleague changed it since it was read, or an objection
    is still open. The message says which, naming who, in plain words."""


class Decision(Versioned, BaseModel):
    """A proposal the team decides by consent: adopted when nobody has a principled
    objection left. Once adopted it is never edited; a new decision revisits it."""

    PROPOSED = "proposed"
    ADOPTED = "adopted"
    WITHDRAWN = "withdrawn"
    PARKED = "parked"
    STATUSES = {
        PROPOSED: _l("Proposed"),
        ADOPTED: _l("Adopted"),
        WITHDRAWN: _l("Withdrawn"),
        PARKED: _l("Parked"),
    }
    ENTITY = "decision"
    # What a decision about the team's coach does once adopted (`coach_change`).
    INVITE_COACH = "invite"
    END_COACH = "end"
    # Every step on an open proposal moves its version on (`_hold`).
    SAVES = None
    # "Bram <did> since you opened this page", by the action of the audit event.
    # SAID says it as whole sentences, for the conflict banner (teamcase/conflicts.py):
    # who did it, and you in another window; DID below as the refusals say it.
    SAID = {
        "propose": (
            _l("%(name)s posted it %(when)s"),
            _l("You posted it in another window %(when)s"),
        ),
        "question": (
            _l("%(name)s recorded a question %(when)s"),
            _l("You recorded a question in another window %(when)s"),
        ),
        "reaction": (
            _l("%(name)s recorded a reaction %(when)s"),
            _l("You recorded a reaction in another window %(when)s"),
        ),
        "objection": (
            _l("%(name)s recorded an objection %(when)s"),
            _l("You recorded an objection in another window %(when)s"),
        ),
        "amend": (
            _l("%(name)s amended the proposal %(when)s"),
            _l("You amended the proposal in another window %(when)s"),
        ),
        "resolve": (
            _l("%(name)s resolved an objection %(when)s"),
            _l("You resolved an objection in another window %(when)s"),
        ),
        "adopt": (
            _l("%(name)s adopted it %(when)s"),
            _l("You adopted it in another window %(when)s"),
        ),
        "withdraw": (
            _l("%(name)s withdrew it %(when)s"),
            _l("You withdrew it in another window %(when)s"),
        ),
        "park": (
            _l("%(name)s parked it %(when)s"),
            _l("You parked it in another window %(when)s"),
        ),
        "resume": (
            _l("%(name)s took it up again %(when)s"),
            _l("You took it up again in another window %(when)s"),
        ),
        "answer": (
            _l("%(name)s answered %(when)s"),
            _l("You answered in another window %(when)s"),
        ),
        "settle": (
            _l("%(name)s counted the answers %(when)s"),
            _l("You counted the answers in another window %(when)s"),
        ),
    }
    DID = {
        "propose": _l("posted it"),
        "question": _l("recorded a question"),
        "reaction": _l("recorded a reaction"),
        "objection": _l("recorded an objection"),
        "amend": _l("amended the proposal"),
        "resolve": _l("resolved an objection"),
        "adopt": _l("adopted it"),
        "withdraw": _l("withdrew it"),
        "park": _l("parked it"),
        "resume": _l("took it up again"),
        "answer": _l("answered"),
        "settle": _l("counted the answers"),
    }

    # A step refused because a colleague took one first: whole sentences, by the
    # action of her step, so that a translator can order each as the language does.
    SINCE = {
        "propose": _l("%(name)s posted it since you opened this page. Read it, then try again."),
        "question": _l(
            "%(name)s recorded a question since you opened this page. Read it, then try again."
        ),
        "reaction": _l(
            "%(name)s recorded a reaction since you opened this page. Read it, then try again."
        ),
        "objection": _l(
            "%(name)s recorded an objection since you opened this page. Read it, then try again."
        ),
        "amend": _l(
            "%(name)s amended the proposal since you opened this page. Read it, then try again."
        ),
        "resolve": _l(
            "%(name)s resolved an objection since you opened this page. Read it, then try again."
        ),
        "adopt": _l("%(name)s adopted it since you opened this page. Read it, then try again."),
        "withdraw": _l("%(name)s withdrew it since you opened this page. Read it, then try again."),
        "park": _l("%(name)s parked it since you opened this page. Read it, then try again."),
        "resume": _l(
            "%(name)s took it up again since you opened this page. Read it, then try again."
        ),
        "answer": _l("%(name)s answered since you opened this page. Read it, then try again."),
        "settle": _l(
            "%(name)s counted the answers since you opened this page. Read it, then try again."
        ),
        "": _l("%(name)s changed it since you opened this page. Read it, then try again."),
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
    # A decision about the team's coach: "invite" links `coach` to the team when it
    # is adopted, "end" ends the link; empty for every other decision.
    coach_change = CharField(max_length=10, default="")
    coach = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
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
        shown=None,
    ):
        """The team's decisions, newest first, with who proposed each and the person
        it is about. `since`/`until` are UTC bounds on the date it was decided (or
        proposed); status "review" means adopted and due for review on `day`.
        `shown` is how a reader outside the team sees a text (names masked): their
        words are looked for in what they see, and only in decisions that are about
        no person (those stay with the team), so that a search never finds a name."""
        # Of who proposed it and the person, only what the log shows: the name
        # (and of the person the name she goes by, and the number of the record).
        query = (
            cls.select(cls, User.id, User.name, Client.id, Client.name, Client.preferred_name)
            .join(User, on=(cls.proposed_by == User.id))
            .switch(cls)
            .join(Client, JOIN.LEFT_OUTER, on=(cls.client == Client.id))
            .where(cls.team == team)
        )
        text = " ".join(text.split())
        if text and shown is not None:
            query = query.where(cls.id.in_(cls._shown_with(team, text, shown)))
        elif text:
            pattern = f"%{text}%"
            in_steps = DecisionStep.select(DecisionStep.decision).where(
                DecisionStep.text.ilike(pattern)
                | DecisionStep.resolution.ilike(pattern)
                | DecisionStep.earlier.ilike(pattern)
            )
            found = cls.proposal.ilike(pattern) | cls.purpose.ilike(pattern) | cls.id.in_(in_steps)
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
    def _shown_with(cls, team, text: str, shown) -> list[int]:
        """The ids of the team's decisions about no person whose proposal, purpose or
        steps contain `text` as `shown` shows them. Read in two queries and searched
        here: the database only knows the texts with their names."""
        texts: dict[int, list[str]] = {}
        for pk, proposal, purpose in (
            cls.select(cls.id, cls.proposal, cls.purpose)
            .where(cls.team == team, cls.client.is_null())
            .tuples()
        ):
            texts[pk] = [proposal, purpose]
        for pk, *said in (
            DecisionStep.select(
                DecisionStep.decision,
                DecisionStep.text,
                DecisionStep.resolution,
                DecisionStep.earlier,
            )
            .where(DecisionStep.decision.in_(list(texts) or [0]))
            .tuples()
        ):
            texts[pk] += said
        wanted = text.casefold()
        return [
            pk
            for pk, said in texts.items()
            if any(wanted in " ".join(shown(t).split()).casefold() for t in said if t)
        ]

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
    def waiting_for_meeting(cls, team, now: dt.datetime | None = None, *, settle: bool = True):
        """Open proposals for a meeting to take up: posted for a meeting, or answered
        between meetings without being adopted, and not yet on the agenda of a
        meeting to come (or running). Settles what is due first (unless the caller
        just did), so that a proposal whose time to answer ran out is counted
        before the agenda is built."""
        if settle:
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
        # Of who raised and who resolved each, only what the pages show: the name.
        rows = (
            DecisionStep.select(DecisionStep, member.id, member.name, resolver.id, resolver.name)
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

    def _refusal(self, version=None, now=None, answering=None) -> DecisionRefused:
        """Why a verb found the decision not as it expected, naming who changed it."""
        fresh = Decision.get_by_id(self.id)
        self.__data__ = dict(fresh.__data__)
        last = self.last_saved()
        who = last.actor.name if last else _("A colleague")
        if fresh.status == self.ADOPTED:
            if last and last.action == "settle":
                said = _("It was adopted between meetings: nobody objected in time.")
            else:
                said = _("%(name)s adopted it.", name=who)
            return DecisionRefused(
                _(
                    "%(said)s An adopted decision is never changed. To change it, propose a "
                    "new decision that revisits it.",
                    said=said,
                )
            )
        if fresh.status == self.WITHDRAWN:
            return DecisionRefused(
                _("%(name)s withdrew this proposal. It can no longer change.", name=who)
            )
        if fresh.status == self.PARKED:
            return DecisionRefused(
                _("%(name)s parked this proposal. Take it up again first.", name=who)
            )
        if version is not None and fresh.version != version:
            said = self.SINCE.get(last.action if last else "", self.SINCE[""])
            return DecisionRefused(str(said) % {"name": who})
        if answering is True and not fresh.answering(now):
            if fresh.settled_at is None:
                return DecisionRefused(
                    _(
                        "The time to answer has just ended. Reload the page to see whether it "
                        "was adopted."
                    )
                )
            return DecisionRefused(
                _("The time to answer has ended; the team decides this proposal at a meeting now.")
            )
        if fresh.answering(now):
            return DecisionRefused(
                _(
                    "Members are answering this proposal between meetings until the deadline. "
                    "It is decided when the time is up."
                )
            )
        if fresh.asynchronous and fresh.settled_at is None:
            return DecisionRefused(
                _(
                    "The time to answer this proposal has just ended. Reload the page to see "
                    "whether it was adopted."
                )
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
            return DecisionRefused(
                ngettext(
                    "%(names)s’s objection is not resolved yet. "
                    "Resolve it, or amend the proposal, before adopting.",
                    "%(names)s’s objections are not resolved yet. "
                    "Resolve them, or amend the proposal, before adopting.",
                    len(names),
                    names=and_list(names),
                )
            )
        return DecisionRefused(_("This proposal changed in the meantime. Read it, then try again."))

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
            query = query.where(self.is_at(version))
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
            if not team.save_if_current(version, async_days=days, async_quorum=quorum):
                return False
            team.async_days, team.async_quorum, team.version = days, quorum, version + 1
            after = {"async_days": days, "async_quorum": quorum}
            AuditEvent.record(by, None, "update", Team.ENTITY, team.id, before, after, team.id)
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
        proposer=None,
        on_item=None,
        coach_change: str = "",
        coach=None,
        now: dt.datetime | None = None,
    ):
        """Post a proposal; between meetings it gets the team's deadline and quorum.
        `coach_change` ("invite" or "end") with `coach`: a decision about the team's
        coach, which links or unlinks her when it is adopted.
        `proposer`: who proposes it, when someone else (`by`) writes it down at a
        meeting. `on_item`: the agenda item it is made on; an item that is not about
        a person (and has no proposal yet) then carries it."""
        now = now or utcnow()
        proposer = proposer or by
        if revisits is not None and revisits.status != cls.ADOPTED:
            raise DecisionRefused(_("Only an adopted decision can be revisited."))
        if coach_change:
            cls._check_coach_change(team, coach_change, coach)
        with db.atomic():
            decision = cls.create(
                team=team,
                proposal=proposal,
                purpose=purpose,
                client=client,
                meeting=meeting,
                revisits=revisits,
                proposed_by=proposer,
                proposed_at=now,
                review_on=review_on,
                asynchronous=asynchronous,
                deadline=now + dt.timedelta(days=team.async_days) if asynchronous else None,
                quorum=team.async_quorum if asynchronous else None,
                coach_change=coach_change,
                coach=coach if coach_change else None,
            )
            if on_item is not None and not on_item.client_id and not on_item.decision_id:
                AgendaItem.update(decision=decision.id).where(
                    AgendaItem.id == on_item.id, AgendaItem.decision.is_null()
                ).execute()
                on_item.decision_id = decision.id
            decision._audit(
                by, "propose", after={**decision.snapshot(), "proposed by": proposer.name}
            )
        return decision

    @classmethod
    def _check_coach_change(cls, team, change: str, coach) -> None:
        """Refuse a proposal about a coach that could not do what it says: inviting
        a coach the team has, ending one it does not have, or a second open
        proposal about the same coach."""
        if change not in (cls.INVITE_COACH, cls.END_COACH):
            raise ValueError(f"not a change of coach: {change}")
        if coach is None or not coach.is_coach or not coach.active:
            raise DecisionRefused(_("Choose one of the coaches in the list."))
        linked = CoachLink.select().where(CoachLink.coach == coach, CoachLink.team == team)
        if change == cls.INVITE_COACH and linked.exists():
            raise DecisionRefused(
                _("%(name)s is already our coach: there is nobody to invite.", name=coach.name)
            )
        if change == cls.END_COACH and not linked.exists():
            raise DecisionRefused(
                _("%(name)s is not our coach, so there is nothing to end.", name=coach.name)
            )
        open_already = cls.select().where(
            cls.team == team,
            cls.status.in_((cls.PROPOSED, cls.PARKED)),
            cls.coach == coach,
            cls.coach_change != "",
        )
        if open_already.exists():
            raise DecisionRefused(
                _(
                    "There is an open proposal about %(name)s as our coach already. "
                    "Decide that one first.",
                    name=coach.name,
                )
            )

    @property
    def is_about_coach(self) -> bool:
        return bool(self.coach_change)

    def _apply_coach_change(self, by, now) -> None:
        """Adopted: link or unlink the coach, in the adopting transaction, and say so
        in the team's log. Her access follows from the link alone (teamcase.access)."""
        if not self.coach_change or self.coach_id is None:
            return
        coach = User.get_by_id(self.coach_id)
        if self.coach_change == self.INVITE_COACH:
            try:
                with db.atomic():
                    CoachLink.create(coach=coach, team=self.team_id, created_at=now)
            except IntegrityError:
                return  # linked meanwhile (from the command line): nothing to do
            action = "link"
        else:
            ended = (
                CoachLink.delete()
                .where(CoachLink.coach == coach, CoachLink.team == self.team_id)
                .execute()
            )
            if not ended:
                return
            action = "unlink"
        AuditEvent.record(
            by,
            None,
            action,
            "coach",
            coach.id,
            after={"coach": coach.name, "decision": self.id},
            team=self.team_id,
        )

    def add_step(self, by, kind: str, text: str, *, member=None, now=None):
        """A clarifying question, a reaction or an objection, said by `member` (whoever
        spoke) and written down by `by`. An objection needs its reasoning."""
        if kind not in DecisionStep.SAID:
            raise ValueError(f"not a step one adds: {kind}")
        text = (text or "").strip()
        if not text:
            raise DecisionRefused(
                _("Write down why: an objection needs its reasoning.")
                if kind == DecisionStep.OBJECTION
                else _("Write down what was said.")
            )
        now = now or utcnow()
        member = member or by
        with db.atomic():
            # Between meetings an objection is an answer, one per member (`answer`).
            self._hold(answering=False if kind == DecisionStep.OBJECTION else None, now=now)
            step = DecisionStep.create(decision=self, kind=kind, member=member, text=text, at=now)
            self._audit(by, kind, after={"member": member.name, "text": text})
        return step

    def amend(
        self,
        by,
        version: int,
        proposal: str,
        *,
        member=None,
        resolves=(),
        meeting_agrees: bool = False,
        now=None,
    ):
        """The proposal as amended; the text it replaces stays in the amendment step.
        `resolves`: the open objections (steps) the amendment answers, resolved with
        it in one go, with whoever objected; `meeting_agrees` when the meeting says
        so rather than the objector."""
        proposal = (proposal or "").strip()
        if not proposal:
            raise DecisionRefused(_("Write the proposal as amended."))
        if proposal == self.proposal:
            raise DecisionRefused(
                _("The amended text is the same as the proposal. Change it first.")
            )
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
            for objection in resolves:
                self._resolve_open(
                    by,
                    objection,
                    Generated.of("decision.amendment_meeting", proposal=proposal)
                    if meeting_agrees
                    else Generated.of(
                        "decision.amendment_member",
                        proposal=proposal,
                        name=objection.member.first_name,
                    ),
                    objection.member,
                    now,
                )
        self.proposal = proposal
        return step

    def resolve(self, by, step, how: str, *, resolved_by=None, now=None):
        """Record how an objection was resolved, and by whom (usually who objected)."""
        how = (how or "").strip()
        if not how:
            raise DecisionRefused(_("Write down how the objection was resolved."))
        now = now or utcnow()
        resolved_by = resolved_by or by
        with db.atomic():
            self._hold(answering=False, now=now)
            self._resolve_open(by, step, how, resolved_by, now)

    def _resolve_open(self, by, step, how: str, resolved_by, now):
        """Mark one open objection resolved (inside the caller's transaction, which
        holds the decision); refused when it is not open on this decision."""
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
                raise DecisionRefused(_("That is not an objection to this proposal."))
            raise DecisionRefused(
                _(
                    "%(name)s already resolved this objection: “%(resolution)s”.",
                    name=fresh.resolved_by.name,
                    resolution=fresh.resolution,
                )
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
                    self.is_at(version),
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
            self._apply_coach_change(by, now)

    def _close(self, by, status: str, action: str, why: str, now=None, answering=None):
        why = (why or "").strip()
        if not why:
            raise DecisionRefused(_("Write down why, for whoever reads the log later."))
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
                    last = self.last_saved()
                    raise DecisionRefused(
                        _("%(name)s already took this proposal up again.", name=last.actor.name)
                        if last
                        else _("A colleague already took this proposal up again.")
                    )
                raise self._refusal(now=now)
            self.status, self.decided_at = self.PROPOSED, None
            self._audit(by, "resume", after=self.snapshot())

    def answer(self, by, consent: bool, reasoning: str = "", *, now=None):
        """A member's answer between meetings: consent, or an objection with its
        reasoning. One answer per member (a unique index on the step): answering
        again before the deadline replaces the earlier answer. Returns the step."""
        reasoning = (reasoning or "").strip()
        if not consent and not reasoning:
            raise DecisionRefused(_("Write down why you object: an objection needs its reasoning."))
        if not self.asynchronous:
            raise DecisionRefused(_("This proposal is decided at a meeting, not between meetings."))
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
        Called when a member reads the team's decisions or builds its agenda (no
        worker runs in the background); a coach looking on never writes, so their
        reading does not call it. Safe to call twice (`settle` claims each once).
        Returns how many were settled."""
        now = now or utcnow()
        due = cls.select().where(
            cls.team == team,
            cls.status == cls.PROPOSED,
            cls.asynchronous == True,  # noqa: E712
            cls.settled_at.is_null(),
            cls.deadline <= now,
        )
        return sum(1 for decision in due if decision.settle(now))

    @classmethod
    def settle_due_and_next_deadline(
        cls, team, now: dt.datetime | None = None
    ) -> dt.datetime | None:
        """`settle_due`, then `next_deadline`, in one query: the proposals still
        taking answers are read once (a team has few at a time), those whose time
        has ended are settled, and the earliest deadline of the others is returned."""
        now = now or utcnow()
        unsettled = cls.select().where(
            cls.team == team,
            cls.status == cls.PROPOSED,
            cls.asynchronous == True,  # noqa: E712
            cls.settled_at.is_null(),
        )
        later = []
        for decision in unsettled:
            if decision.deadline is None:
                continue
            if decision.deadline <= now:
                decision.settle(now)
            else:
                later.append(decision.deadline)
        return min(later, default=None)

    @classmethod
    def next_deadline(cls, team) -> dt.datetime | None:
        """When the next proposal between meetings stops taking answers (UTC): what
        `settle_due` does then changes the agenda, and a page kept until then."""
        return (
            cls.select(fn.MIN(cls.deadline))
            .where(
                cls.team == team,
                cls.status == cls.PROPOSED,
                cls.asynchronous == True,  # noqa: E712
                cls.settled_at.is_null(),
            )
            .scalar()
        )

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
                self._apply_coach_change(self.proposed_by, now)
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

    def unsettled_reason(self, answered: int, objecting: list[str]) -> Generated:
        """Why a proposal between meetings goes to the meeting, worded when read."""
        if objecting:
            return Generated.of("decision.objected_between", names=list(objecting))
        return Generated.of("decision.too_few_answers", answered=answered, needed=self.quorum)

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
                    why=AgendaItem.clip(why, 300),
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
        QUESTION: _l("Clarifying question"),
        REACTION: _l("Reaction"),
        OBJECTION: _l("Objection"),
        AMENDMENT: _l("Amendment"),
        CONSENT: _l("Consent"),
        OUTCOME: _l("Why"),
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
    # Typed, or written by the app when an amendment answers it (teamcase/generated.py).
    resolution = GeneratedTextField(default="")
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
