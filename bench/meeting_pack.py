"""How long the meeting pack PDF takes with 60 people on the agenda.

    .venv/bin/python bench/meeting_pack.py [--people 60] [--runs 5] [--keep DIR]

Seeds the demo into a throw-away SQLite file, puts 60 of Buurtzorg Oost-Noord's
people on the agenda of its next meeting (a review date on or before the day;
when the team has fewer, more people are added with copies of real demo records:
strengths, network, goals and contacts), and times GET /meetings/<id>/pack.pdf
through the app, named and pseudonymised (server time, in-process). The first
request also imports WeasyPrint and is reported on its own. Wall and CPU time are
both given: on a busy machine wall time grows with the load, CPU time much less.
With --keep the PDFs are written to DIR to look at (pdftoppm -png -r 50 DIR/x.pdf DIR/p).
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from teamcase import create_app
from teamcase.db import db, upgrade
from teamcase.demo import DEMO_PASSWORD, seed_demo
from teamcase.models import (
    AgendaItem,
    Client,
    Contact,
    Goal,
    Meeting,
    NetworkMember,
    Strength,
    Team,
)


def fill_agenda(people: int) -> tuple[Meeting, str]:
    """The next meeting of Oost-Noord with `people` people on its agenda; returns it
    and the email of a member to log in with."""
    team = Team.get(Team.name == "Buurtzorg Oost-Noord")
    meeting = Meeting.planned_for(team)
    active = list(Client.caseload(team))
    # More people than the demo has: copies of the demo's records, under new names.
    for n in range(max(0, people - len(active))):
        source = active[n % len(active)]
        twin = Client.create(
            team=team,
            name=f"{source.name.split()[0]} {('Jansen', 'de Boer', 'Smit', 'Meijer')[n % 4]}",
            preferred_name=source.preferred_name,
            date_of_birth=source.date_of_birth,
            street=source.street,
            postcode=source.postcode,
            city=source.city,
            phone=source.phone,
        )
        for model in (Strength, NetworkMember, Goal, Contact):
            rows = [
                {**row, "client": twin.id}
                for row in model.select().where(model.client == source).dicts()
            ]
            for row in rows:
                row.pop("id")
            if rows:
                model.insert_many(rows).execute()
        active.append(twin)
    chosen = [p.id for p in active[:people]]
    Client.update(review_on=meeting.held_on).where(Client.id.in_(chosen)).execute()
    member = team.active_members().first()
    meeting.build_agenda(member)
    return meeting, member.email


def time_pack(client, url, runs):
    """(wall, CPU) seconds of the first request, of each later one (sorted by wall
    time), the size and the last PDF. CPU time is this process's: on a busy machine
    it stays near what the request costs when wall time does not."""
    times = []
    for _ in range(runs + 1):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started, time.process_time() - cpu))
        assert response.status_code == 200, response.status_code
    return times[0], sorted(times[1:]), len(response.data), response.data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=60, help="people on the agenda (60)")
    parser.add_argument("--runs", type=int, default=5, help="timed requests after the first (5)")
    parser.add_argument("--keep", type=Path, help="write the PDFs to this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "benchmark-only-secret-key",
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'pack.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context(), db.connection_context():
            upgrade()
            seed_demo()
            meeting, email = fill_agenda(args.people)
            on_agenda = (
                AgendaItem.select()
                .where(AgendaItem.meeting == meeting, AgendaItem.kind == "person")
                .count()
            )
        client = app.test_client()
        client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        print(f"meeting pack of {meeting.held_on}, {on_agenda} people on the agenda")
        for label, query in (("named", ""), ("pseudonymised", "?pseudonymised=1")):
            url = f"/meetings/{meeting.id}/pack.pdf{query}"
            first, rest, size, data = time_pack(client, url, args.runs)
            walls, cpus = [w for w, _ in rest], [c for _, c in rest]
            print(f"  {label}: {size:,} bytes, {args.runs} runs after the first")
            print(f"    first request: {first[0]:.3f} s ({first[1]:.3f} s CPU)")
            print(
                f"    median {statistics.median(walls):.3f} s ({statistics.median(cpus):.3f} s "
                f"CPU), slowest {walls[-1]:.3f} s"
            )
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"pack-{label}.pdf").write_bytes(data)


if __name__ == "__main__":
    main()
