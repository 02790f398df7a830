"""The team boards (board.toml): open and claimed tasks, some overdue, a request
waiting for an answer, one declined, and the last fortnight's done.

Added with `Task.add`, each as it stands now: the moves that brought it there
(`claim`, `ask`, `complete`…) stamp the present moment, and these happened days ago.
"""

import datetime as dt
import random

from teamcase.models import Client, Task


def add_tasks(demo, teams):
    rng = random.Random(2031)  # its own stream: the other demo data stays put
    now, today = demo.now, demo.today

    def moment(days_ago, hours=(8, 17), after=None):
        # Some time that working day (the day before, if today's has not come yet),
        # never later than now, and some minutes after `after`.
        at = demo.at(days_ago, *hours)
        while at > now:
            at -= dt.timedelta(days=1)
        if after is not None and at <= after:
            at = min(after + dt.timedelta(minutes=rng.randint(20, 90)), now)
        return at

    for key, tasks in demo.data.board.items():
        team, members = teams[key]
        by_name = {m.first_name: m for m, _since, until in members if until is None}
        everyone = list(by_name.values())
        people = dict(Client.select(Client.name, Client.id).where(Client.team == team).tuples())
        for task in tasks:
            kind = task["state"]
            if kind == "done":
                done_days = task["done_days_ago"]
                created_days = done_days + rng.randint(1, 4)
            else:
                created_days = rng.randint(1, 9)
            # Taken on or asked about a later working day than it was added.
            later = rng.randint(0, created_days - 1)
            due = task.get("due_in_days")
            person = task.get("person")
            by = rng.choice(everyone)
            created = moment(created_days)
            fields = {
                "client": people[person] if person else None,
                "title": task["title"],
                "note": task["note"],
                "due_on": today + dt.timedelta(days=due) if due is not None else None,
                "created_at": created,
            }
            if kind == "open" and task.get("claimed_by"):
                claimed = moment(later, after=created)
                fields.update(claimed_by=by_name[task["claimed_by"]], claimed_at=claimed)
            elif kind in ("asked", "declined"):
                asked_at = moment(later, hours=(8, 12), after=created)
                fields.update(
                    requested_by=by_name[task["asked_by"]],
                    requested_of=by_name[task["asked_of"]],
                    requested_at=asked_at,
                )
                if kind == "declined":
                    fields["declined_at"] = min(asked_at + dt.timedelta(hours=3), now)
            elif kind == "done":
                doer, done_at = by_name[task["done_by"]], moment(done_days)
                taken_days = done_days + rng.randint(0, created_days - done_days - 1)
                taken = moment(taken_days, after=created)
                fields.update(
                    claimed_by=doer,
                    claimed_at=min(taken, done_at),
                    status=Task.DONE,
                    done_by=doer,
                    done_at=done_at,
                )
            Task.add(team, by, **fields)
