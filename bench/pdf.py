"""How long the one-page profile PDF takes, for the demo's richest record.

    .venv/bin/python bench/pdf.py [--runs 10]

Seeds the demo into a throw-away SQLite file, picks the person with the most
about-me entries, strengths, network members, goals and offers, and times
GET /people/<id>/profile.pdf through the app (server time, in-process). The
first request also imports WeasyPrint and is reported on its own.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from run import richest_person  # bench/run.py: the same record the benchmark measures

from teamcase import create_app
from teamcase.db import db, upgrade
from teamcase.demo import DEMO_PASSWORD, seed_demo


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "benchmark-only-secret-key",
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'pdf.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context(), db.connection_context():
            upgrade()
            seed_demo()
            person = richest_person()
            team_member = person.team.active_members().first()
        client = app.test_client()
        client.post("/login", data={"email": team_member.email, "password": DEMO_PASSWORD})
        url = f"/people/{person.id}/profile.pdf"
        times = []
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            size = len(response.data)
        first, rest = times[0], sorted(times[1:])
        print(f"profile PDF of {person.name} ({size:,} bytes), {args.runs} runs after the first")
        print(f"  first request (imports WeasyPrint): {first:.3f} s")
        print(f"  median {statistics.median(rest):.3f} s, slowest {rest[-1]:.3f} s")


if __name__ == "__main__":
    main()
