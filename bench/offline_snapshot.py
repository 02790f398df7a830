"""How large the offline snapshot is for the demo's busiest member.

    .venv/bin/python bench/offline_snapshot.py

Seeds the demo into a throw-away SQLite file, picks the member with the most
visits planned today and tomorrow (the most people on her plan), and fetches
every page her tablet keeps (GET /offline/snapshot, then each URL it lists) as
the service worker does, counting the bytes that go over the wire gzipped and
the bytes the pages take once unpacked. The issue's budget: 500 KB compressed.
"""

import datetime as dt
import tempfile
from pathlib import Path

from peewee import fn

from teamcase import create_app
from teamcase.dates import local_now
from teamcase.db import db, upgrade
from teamcase.demo import DEMO_PASSWORD, seed_demo
from teamcase.models import PlannedVisit, User

BUDGET = 500 * 1024


def busiest_member() -> User:
    today = local_now().date()
    count = fn.COUNT(PlannedVisit.client.distinct())
    return (
        User.select(User, count.alias("people"))
        .join(PlannedVisit, on=(PlannedVisit.member == User.id))
        .where(
            PlannedVisit.day.between(today, today + dt.timedelta(days=1)),
            PlannedVisit.status != PlannedVisit.CANCELLED,
        )
        .group_by(User.id)
        .order_by(count.desc(), User.id)
        .first()
    )


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "benchmark-only-secret-key",
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'offline.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context(), db.connection_context():
            upgrade()
            seed_demo()
            member = busiest_member()
        client = app.test_client()
        client.post("/login", data={"email": member.email, "password": DEMO_PASSWORD})
        gzip = {"Accept-Encoding": "gzip"}
        listed = client.get("/offline/snapshot", headers=gzip)
        urls = client.get("/offline/snapshot").get_json()["urls"]
        wire, unpacked = len(listed.data), 0
        print(f"{member.name}: {len(urls)} pages kept, {member.people} people on her plan")
        for url in urls:
            packed = client.get(url, headers=gzip)
            plain = client.get(url)
            assert packed.status_code == plain.status_code == 200, (url, packed.status_code)
            wire += len(packed.data)
            unpacked += len(plain.data)
            print(f"  {url:<32} {len(packed.data):>8,} B gzipped {len(plain.data):>9,} B")
        print(f"total: {wire:,} B gzipped ({wire / 1024:.0f} KB), {unpacked:,} B unpacked")
        print(f"budget {BUDGET / 1024:.0f} KB: {'within' if wire <= BUDGET else 'OVER'}")


if __name__ == "__main__":
    main()
