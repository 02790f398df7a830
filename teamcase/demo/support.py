"""The teams' support requests (support.toml): one for each state a request can
be in, so that the back office's queue and the team's list both have something
to show.

Each goes through the request's own verbs, with the moment each move happened
(`now=`): filed some days ago, taken a few hours later, a question, the team's
answer the next day, done, and the team's confirmation. One asks for an account
for a new colleague (a request of a kind), for the back office to make.
"""

import datetime as dt

from teamcase.models import SupportRequest, User
from teamcase.models.support import NEW_COLLEAGUE

# Hours after filing of each move, in the order a request makes them.
MOVES = (("take", 2), ("ask", 5), ("answer", 26), ("mark_done", 50), ("confirm", 70))
# How far along each state is.
UNTIL = {"new": 0, "waiting": 2, "taken": 3, "done": 4, "closed": 5}


def add_support_requests(demo, teams):
    office = User.select().where(User.role == User.BACKOFFICE).order_by(User.id).first()
    for key, requests in demo.data.support.items():
        team, members = teams[key]
        by_name = {m.first_name: m for m, _since, until in members if until is None}
        for spec in requests:
            filed_at = demo.now - dt.timedelta(days=spec["days_ago"], hours=spec.get("hour", 0))
            needed = spec.get("needed_in_days")
            asked = {}
            if spec.get("kind") == NEW_COLLEAGUE:
                asked = {
                    "kind": NEW_COLLEAGUE,
                    "asked_name": spec["name"],
                    "asked_email": spec["email"],
                    "starts_on": demo.today + dt.timedelta(days=spec["starts_in_days"]),
                }
            request = SupportRequest.file(
                team,
                by=by_name[spec["filed_by"]],
                category=spec["category"],
                subject=spec["subject"],
                description=spec["description"],
                needed_by=demo.today + dt.timedelta(days=needed) if needed is not None else None,
                now=filed_at,
                **asked,
            )
            answerer = by_name[spec.get("answered_by", spec["filed_by"])]
            for verb, hours in MOVES[: UNTIL[spec["state"]]]:
                at = min(filed_at + dt.timedelta(hours=hours), demo.now)
                if verb == "take":
                    request.take(by=office, now=at)
                elif verb == "ask":
                    request.ask(by=office, text=spec["question"], now=at)
                elif verb == "answer":
                    request.answer(by=answerer, text=spec["answer"], now=at)
                elif verb == "mark_done":
                    request.mark_done(by=office, text=spec.get("done_note", ""), now=at)
                else:
                    request.confirm(by=answerer, now=at)
