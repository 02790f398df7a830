"""Three months of a team's decisions by consent (decisions.toml): a revisit, a
withdrawn and a parked proposal, one due for review, one being answered between
meetings now; and its training plan and experiments (learning.toml).

Decisions and their steps are rows, as they stand after the meeting: the consent
verbs (`propose`, `amend`, `adopt`…) take `now=` but also write an audit event each,
stamped with the moment of seeding, and check who may answer when. Training items
and experiments go in with their `add` verb.
"""

import datetime as dt

from teamcase.demo.details import DEMO_ZONE
from teamcase.models import Client, Decision, DecisionStep, Experiment, Team, TrainingItem


def add_decisions(demo, teams):
    data = demo.data.decisions
    team, members = teams[data["team"]]
    now, today = demo.now, demo.today
    by_name = {m.first_name: m for m, _since, until in members if until is None}
    people = dict(Client.select(Client.name, Client.id).where(Client.team == team).tuples())
    team.async_days, team.async_quorum = data["async_days"], data["async_quorum"]
    Team.update(async_days=team.async_days, async_quorum=team.async_quorum).where(
        Team.id == team.id
    ).execute()

    def at(days_ago, hour, minute=0):
        day = today - dt.timedelta(days=days_ago)
        local = dt.datetime.combine(day, dt.time(hour, minute), DEMO_ZONE)
        return min(local.astimezone(dt.UTC).replace(tzinfo=None), now)

    decisions, on_the_day = [], {}
    for spec in data["meeting"]:
        days, who, person = spec["days_ago"], spec["proposed_by"], spec.get("person")
        # One after the other in the meeting of that day, from 13:45.
        start = at(days, 13, 45) + dt.timedelta(minutes=25 * on_the_day.get(days, 0))
        on_the_day[days] = on_the_day.get(days, 0) + 1
        decision = Decision.create(
            team=team,
            client=people[person] if person else None,
            proposal=spec["proposal"],
            purpose=spec["purpose"],
            proposed_by=by_name[who],
            proposed_at=start,
        )
        when = start
        for step in spec["steps"]:
            when += dt.timedelta(minutes=4)
            kind, member, words = step["kind"], by_name[step["who"]], step["text"]
            if kind == "amendment":
                DecisionStep.create(
                    decision=decision,
                    kind=kind,
                    member=member,
                    text=words,
                    earlier=decision.proposal,
                    at=when,
                )
                decision.proposal = words
                continue
            fields = {}
            if "resolved_by" in step:
                fields = {
                    "resolved_by": by_name[step["resolved_by"]],
                    "resolution": step["resolution"],
                    "resolved_at": when + dt.timedelta(minutes=9),
                }
            DecisionStep.create(
                decision=decision, kind=kind, member=member, text=words, at=when, **fields
            )
        state = spec["outcome"]
        decided = max(when, start) + dt.timedelta(days=spec["days_later"], minutes=12)
        decision.status = state
        decision.decided_at = decided
        if state == Decision.ADOPTED:
            decision.review_on = today + dt.timedelta(days=spec["review_in_days"])
        else:
            DecisionStep.create(
                decision=decision,
                kind=DecisionStep.OUTCOME,
                member=by_name[who],
                text=spec["why"],
                at=decided,
            )
        decision.save()
        decisions.append(decision)

    for link in data["revisits"]:
        Decision.update(revisits=decisions[link["revisits"]].id).where(
            Decision.id == decisions[link["decision"]].id
        ).execute()

    # Between meetings: adopted ones, and one being answered now.
    for spec in data["between_meetings"]:
        deadline = at(spec["days_ago"] - spec["answer_days"], spec["hour"])
        adopted = Decision.create(
            team=team,
            proposal=spec["proposal"],
            purpose=spec["purpose"],
            proposed_by=by_name[spec["proposed_by"]],
            proposed_at=at(spec["days_ago"], spec["hour"]),
            asynchronous=True,
            deadline=deadline,
            quorum=team.async_quorum,
            settled_at=deadline,
            status=Decision.ADOPTED,
            decided_at=deadline,
            review_on=today + dt.timedelta(days=spec["review_in_days"]),
        )
        for hour, name in enumerate(spec["consented"]):
            member = by_name[name]
            DecisionStep.create(
                decision=adopted,
                kind=DecisionStep.CONSENT,
                member=member,
                answer_of=member,
                at=at(spec["consent_days_ago"], 8 + hour),
            )
    for spec in data["answering"]:
        posted = at(spec["days_ago"], spec["hour"])
        open_now = Decision.create(
            team=team,
            proposal=spec["proposal"],
            purpose=spec["purpose"],
            proposed_by=by_name[spec["proposed_by"]],
            proposed_at=posted,
            asynchronous=True,
            deadline=posted + dt.timedelta(days=team.async_days),
            quorum=team.async_quorum,
            review_on=today + dt.timedelta(days=spec["review_in_days"]),
        )
        for minutes, answer in enumerate(spec["answers"]):
            member = by_name[answer["who"]]
            DecisionStep.create(
                decision=open_now,
                kind=answer["kind"],
                member=member,
                text=answer["text"],
                answer_of=member,
                at=min(posted + dt.timedelta(hours=2, minutes=37 * minutes), now),
            )
    return decisions


def add_learning(demo, teams, decisions):
    """The training plan and the experiments, some of them coming from a decision."""
    data = demo.data.learning
    team, members = teams[data["team"]]
    today = demo.today
    by_name = {m.first_name: m for m, _since, until in members if until is None}

    def at(days_ago, hour):
        local = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour), DEMO_ZONE)
        return min(local.astimezone(dt.UTC).replace(tzinfo=None), demo.now)

    for item in data["training"]:
        planned, done = item.get("planned_in_days"), item.get("done_days_ago")
        source = item.get("decision")
        TrainingItem.add(
            team,
            by_name[data["training_by"]],
            decision=decisions[source] if source is not None else None,
            topic=item["topic"],
            who=item["who"],
            planned_on=today + dt.timedelta(days=planned) if planned is not None else None,
            done_on=today - dt.timedelta(days=done) if done is not None else None,
            note=item["note"],
            created_at=at(60 if done else 20, 11),
        )
    for item in data["experiments"]:
        review, source = item.get("review_in_days"), item.get("decision")
        Experiment.add(
            team,
            by_name[data["experiments_by"]],
            decision=decisions[source] if source is not None else None,
            title=item["title"],
            why=item["why"],
            how_we_know=item["how_we_know"],
            started_on=today - dt.timedelta(days=item["started_days_ago"]),
            review_on=today + dt.timedelta(days=review) if review is not None else None,
            what_happened=item["what_happened"],
            outcome=item["outcome"],
            # Started from a chart of "How we are doing": it marks the change there.
            measure=item.get("measure", ""),
            created_at=at(item["started_days_ago"], 12),
        )
