#!/usr/bin/env python
"""The back office's queue of support requests with many requests, next to the
logged-in empty page (bench/floors.py): server time (median, p95) and SQL query
count, in this process with Flask's test client.

    .venv/bin/python bench/support_queue.py                      # SQLite, 5,000 requests
    .venv/bin/python bench/support_queue.py --requests 0         # the empty queue
    .venv/bin/python bench/support_queue.py --database-url postgresql://postgres@127.0.0.1:5432/NAME

A PostgreSQL database must exist and be empty; the script migrates it. The issue's
target (at most 2x the empty page with 5,000 requests) is reported, never asserted.
"""

import argparse
import datetime as dt
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET = 2.0
PASSWORD = "bench-password-1"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--database-url", default="")
    return parser.parse_args(argv)


class Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def seed(requests: int, teams: int):
    from teamcase.auth.passwords import Passwords
    from teamcase.db import db
    from teamcase.models import SupportMessage, SupportRequest, Team, User, utcnow

    rng = random.Random(14)
    hashed = Passwords.from_settings(
        {
            "PASSWORD_HASH_TIME_COST": 1,
            "PASSWORD_HASH_MEMORY_KIB": 8,
            "PASSWORD_HASH_PARALLELISM": 1,
        }
    ).hash(PASSWORD)
    office = User.create(
        email="office@bench.example.org",
        name="Back Office",
        role=User.BACKOFFICE,
        password_hash=hashed,
    )
    made = []
    for n in range(teams):
        team = Team.create(name=f"Team {n:02d}", area="")
        member = User.create(
            email=f"m{n}@bench.example.org",
            name=f"Member {n}",
            role=User.MEMBER,
            team=team,
            password_hash=hashed,
        )
        made.append((team, member))
    now = utcnow()
    states = ["new", "taken", "waiting", "done", "closed"]
    rows = []
    for n in range(requests):
        team, member = made[n % teams]
        status = rng.choice(states)
        rows.append(
            {
                "team": team.id,
                "filed_by": member.id,
                "category": rng.choice(
                    ["pay", "car", "equipment", "money", "accounts", "premises", "other"]
                ),
                "subject": f"Request {n}",
                "description": "Something the team needs.",
                "status": status,
                "taken_by": None if status == "new" else office.id,
                **_times(rng, now, status, requests - n),
            }
        )
    with db.atomic():
        for start in range(0, len(rows), 500):
            SupportRequest.insert_many(rows[start : start + 500]).execute()
        ids = [r for (r,) in SupportRequest.select(SupportRequest.id).tuples()]
        SupportMessage.insert_many(
            [
                {"request": i, "author": office.id, "kind": "filed", "text": "", "created_at": now}
                for i in ids
            ]
        ).execute() if ids else None
    return office


def _times(rng, now, status, n) -> dict:
    """When a request came in (spread over the last year, the oldest first) and,
    once it was answered, done or confirmed, when: what /support/times counts."""
    created = now - dt.timedelta(minutes=n * 365 * 24 * 60 // max(n, 5000))
    times = {"created_at": created}
    if status in ("waiting", "done", "closed"):
        times["first_answer_at"] = min(now, created + dt.timedelta(hours=rng.randint(1, 72)))
    if status in ("done", "closed"):
        times["done_at"] = min(now, created + dt.timedelta(hours=rng.randint(4, 24 * 14)))
    if status == "closed":
        times["closed_at"] = min(now, times["done_at"] + dt.timedelta(hours=rng.randint(1, 96)))
    return times


def measure(client, url, rounds):
    logger = logging.getLogger("peewee")
    counter = Counter()
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    client.get(url)  # warm
    counter.count = 0
    client.get(url)
    queries = counter.count
    logger.removeHandler(counter)
    logger.setLevel(logging.WARNING)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def main(argv=None) -> int:
    args = parse_args(argv)
    from floors import seeding_app

    from teamcase.db import db, upgrade

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = seeding_app(url)
        with app.app_context(), db.connection_context():
            upgrade()
            office = seed(args.requests, args.teams)
        client = app.test_client()
        answer = client.post("/login", data={"email": office.email, "password": PASSWORD})
        assert answer.status_code == 303
        empty = measure(client, "/bench/empty", args.rounds)
        queue = measure(client, "/support/queue", args.rounds)
        times = measure(client, "/support/times", args.rounds)
        backend = url.split(":", 1)[0]
        print(f"{backend}, {args.requests} requests over {args.teams} teams, {args.rounds} rounds")
        pages = (("empty page", empty), ("queue", queue), ("times", times))
        for name, (median, p95, queries) in pages:
            print(f"  {name:<11} median {median:6.2f} ms  p95 {p95:6.2f} ms  {queries} queries")
        ratio = queue[0] / empty[0]
        print(f"  queue / empty: {ratio:.2f} (target at most {TARGET})")
        # No target was set for the charts of the year's requests: reported only.
        print(f"  times / empty: {times[0] / empty[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
