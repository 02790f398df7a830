#!/usr/bin/env python
"""Server time and SQL query count of the pages a team lives in, next to two floors.

For each database and size this creates a fresh database, migrates and seeds it through
the real `teamcase` command (`seed-scale` for the sizes, `seed-demo` for the demo's
richest record, its team's next meeting and its decisions log), then times the pages in
this process with Flask's test client and prints medians, p95s, query counts and the
ratios. See bench/README.md.
"""

import argparse
import contextlib
import cProfile
import datetime as dt
import gc
import json
import logging
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

DATABASES = ("sqlite", "postgresql")
DEFAULT_SIZES = (1, 200)
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEMO = "demo"

# The issues' targets, a page's median over the empty page's: reported, never asserted.
TARGET_PAGE_VS_EMPTY = {
    "caseload": 1.5,
    "person": 2.0,
    "agenda": 2.0,
    "decisions": 2.0,
    "measures": 1.5,
}
TARGET_SIZE_RATIO = 1.1

SECRET_KEY = "bench-secret-key-not-for-production"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Measure the server time (median, p95) and SQL query count of the "
        "caseload and the person's page next to two floors in the same app: a bare route "
        "and a logged-in page that renders only the base layout. Each size gets a fresh "
        "database, migrated and seeded with `teamcase db upgrade` and `teamcase seed-scale` "
        "(and one seeded with `teamcase seed-demo`).",
    )
    parser.add_argument(
        "--database",
        choices=(*DATABASES, "both"),
        default="both",
        help="which database(s) to measure (default: %(default)s)",
    )
    parser.add_argument(
        "--teams",
        type=positive,
        action="append",
        metavar="N",
        help="a size to measure, in teams; repeat for several "
        f"(default: {' and '.join(map(str, DEFAULT_SIZES))})",
    )
    parser.add_argument(
        "--demo",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure a database seeded with `teamcase seed-demo`: the person's page of "
        "its richest record, its team's next meeting (/meetings/<id>) and decisions log "
        "(default: on)",
    )
    parser.add_argument(
        "--demo-only",
        action="store_true",
        help="measure the demo alone, no seed-scale sizes",
    )
    parser.add_argument(
        "--clients-per-team",
        type=positive,
        default=60,
        metavar="N",
        help="people per team (default: %(default)s)",
    )
    parser.add_argument(
        "--contacts-per-client",
        type=positive,
        default=100,
        metavar="N",
        help="contacts per person (default: %(default)s)",
    )
    parser.add_argument(
        "--requests",
        type=positive,
        default=300,
        metavar="N",
        help="timed requests per page (default: %(default)s)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=30,
        metavar="N",
        help="untimed requests per page before timing (default: %(default)s)",
    )
    parser.add_argument(
        "--count-requests",
        type=positive,
        default=5,
        metavar="N",
        help="requests per page in the separate, untimed pass that counts SQL queries "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the seeded databases and reuse them on the next run with --keep "
        "(SQLite under --workdir, PostgreSQL as teamcase_bench_keep_*)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "teamcase-bench",
        help="where SQLite databases kept with --keep live (default: %(default)s)",
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES,
        help="a database on the PostgreSQL server to create and drop benchmark databases from "
        "(default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results here")
    parser.add_argument(
        "--sql", action="store_true", help="print the SQL each measured page runs, once"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also write a cProfile file per page and configuration here (separate pass)",
    )
    args = parser.parse_args(argv)
    args.teams = [] if args.demo_only else sorted(set(args.teams or DEFAULT_SIZES))
    args.demo = args.demo or args.demo_only
    args.databases = DATABASES if args.database == "both" else (args.database,)
    return args


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def say(message: str) -> None:
    # Progress goes to stderr so that stdout holds only the report.
    print(message, file=sys.stderr, flush=True)


# --- databases -------------------------------------------------------------------------


class SqliteTarget:
    def __init__(self, name: str, directory: Path):
        self.path = directory / f"{name}.sqlite3"
        self.url = f"sqlite:///{self.path}"
        self.label = str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def create(self) -> None:
        self.drop()
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def settle(self) -> None:
        """Nothing: the app never runs ANALYZE on SQLite, so neither does the benchmark."""


class PostgresTarget:
    def __init__(self, name: str, server_url: str):
        self.name = name
        self.server_url = server_url
        self.url = urlparse(server_url)._replace(path=f"/{name}").geturl()
        self.label = self.url

    def _admin(self, statement, *, database_url=None, rows=False):
        import psycopg

        # Autocommit: CREATE/DROP DATABASE and VACUUM refuse to run inside a transaction.
        with psycopg.connect(database_url or self.server_url, autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if rows else None

    def exists(self) -> bool:
        from psycopg import sql

        rows = self._admin(
            sql.SQL("SELECT 1 FROM pg_database WHERE datname = {}").format(sql.Literal(self.name)),
            rows=True,
        )
        return bool(rows)

    def create(self) -> None:
        from psycopg import sql

        self.drop()
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        from psycopg import sql

        self._admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )

    def settle(self) -> None:
        # Straight after a bulk load PostgreSQL has no planner statistics, and
        # autovacuum would gather them (and a checkpoint flush the load) in the middle
        # of the timing; a running server reaches this state by itself.
        self._admin("VACUUM ANALYZE", database_url=self.url)
        self._admin("CHECKPOINT", database_url=self.url)


def shape_of(teams, args) -> str:
    if teams == DEMO:
        return DEMO
    return f"{teams}t_{args.clients_per_team}c_{args.contacts_per_client}k"


def make_target(kind: str, args, teams, scratch: Path):
    shape = shape_of(teams, args)
    if kind == "sqlite":
        directory = args.workdir if args.keep else scratch
        return SqliteTarget(f"teamcase_bench_{shape}", directory)
    name = f"teamcase_bench_keep_{shape}" if args.keep else f"teamcase_bench_{os.getpid()}_{shape}"
    return PostgresTarget(name, args.postgres_url)


# --- the real command ------------------------------------------------------------------


def teamcase_command() -> list[str]:
    beside = Path(sys.executable).with_name("teamcase")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("teamcase")
    if found:
        return [found]
    return [sys.executable, "-c", "from teamcase.cli import main; main()"]


def run_cli(arguments: list[str], url: str, log_path: Path) -> tuple[float, int]:
    """Run `teamcase ARGUMENTS` on URL; returns (wall seconds, the child's peak RSS in KiB)."""
    env = {**os.environ, "TEAMCASE_DATABASE_URL": url}
    started = time.perf_counter()
    with open(log_path, "ab") as log:
        log.write(f"$ teamcase {' '.join(arguments)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            [*teamcase_command(), *arguments], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        # wait4 rather than wait(): it also hands back this child's own resource usage.
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise SystemExit(
            f"`teamcase {' '.join(arguments)}` failed with exit code {process.returncode}:\n{tail}"
        )
    return seconds, usage.ru_maxrss


def seeded_size(url: str) -> tuple[int, int] | str:
    """(teams, people) already in a kept database, or why it cannot be read."""
    import peewee

    from teamcase.db import open_database

    database = open_database(url)
    try:
        with database.connection_context():
            # Bound, not inlined: psycopg would read the % of the pattern as a placeholder.
            teams = database.execute_sql(
                f"SELECT COUNT(*) FROM team WHERE name LIKE {database.param}", ("Scale team %",)
            ).fetchone()[0]
            people = database.execute_sql("SELECT COUNT(*) FROM client").fetchone()[0]
        return teams, people
    except peewee.DatabaseError as error:
        return f"{type(error).__name__}: {error}".strip()
    finally:
        if hasattr(database, "close_all"):
            database.close_all()


def seeded_demo(url: str) -> tuple[int, int] | str:
    """(teams, planned meetings) in a kept demo database, or why it cannot be read."""
    import peewee

    from teamcase.db import open_database

    database = open_database(url)
    try:
        with database.connection_context():
            teams = database.execute_sql("SELECT COUNT(*) FROM team").fetchone()[0]
            planned = database.execute_sql(
                f"SELECT COUNT(*) FROM meeting WHERE status = {database.param}", ("planned",)
            ).fetchone()[0]
        return teams, planned
    except peewee.DatabaseError as error:
        return f"{type(error).__name__}: {error}".strip()
    finally:
        if hasattr(database, "close_all"):
            database.close_all()


def prepare(target, args, teams, log_path: Path) -> dict:
    """A migrated, seeded database; reuses a complete one under --keep."""
    info = {"reused": False, "upgrade_seconds": None, "seed_seconds": None}
    info.update(settle_seconds=None, seed_peak_rss_kib=None)
    if args.keep and target.exists():
        if teams == DEMO:
            have = seeded_demo(target.url)
            # A planned meeting for the agenda: a demo kept for long may have none left.
            expected = have if not isinstance(have, str) and min(have) > 0 else None
        else:
            have = seeded_size(target.url)
            expected = (teams, teams * args.clients_per_team)
        if have == expected:
            info["reused"] = True
            say(f"  reusing {target.label}; teamcase db upgrade")
            # The app refuses an out-of-date schema, and migrations land between runs.
            info["upgrade_seconds"], _rss = run_cli(["db", "upgrade"], target.url, log_path)
            return info
        if isinstance(have, str):
            say(f"  cannot read {target.label} ({have}); seeding it again")
        elif teams == DEMO:
            say(f"  {target.label} has {have[0]} teams, {have[1]} planned meetings; seeding again")
        else:
            say(
                f"  {target.label} has {have[0]} teams and {have[1]} people, not "
                f"{teams} and {teams * args.clients_per_team}; seeding it again"
            )
    target.create()
    say(f"  teamcase db upgrade  ({target.label})")
    info["upgrade_seconds"], _rss = run_cli(["db", "upgrade"], target.url, log_path)
    if teams == DEMO:
        say("  teamcase seed-demo")
        info["seed_seconds"], info["seed_peak_rss_kib"] = run_cli(
            ["seed-demo"], target.url, log_path
        )
        started = time.perf_counter()
        target.settle()
        info["settle_seconds"] = time.perf_counter() - started
        return info
    total = teams * args.clients_per_team * args.contacts_per_client
    say(f"  teamcase seed-scale --teams {teams} ...  ({total:,} contacts)")
    info["seed_seconds"], info["seed_peak_rss_kib"] = run_cli(
        [
            "seed-scale",
            "--teams",
            str(teams),
            "--clients-per-team",
            str(args.clients_per_team),
            "--contacts-per-client",
            str(args.contacts_per_client),
        ],
        target.url,
        log_path,
    )
    started = time.perf_counter()
    target.settle()
    info["settle_seconds"] = time.perf_counter() - started
    return info


# --- the app under measurement ---------------------------------------------------------


def release_connections() -> None:
    """Close the bound database's connections, pooled ones too, so it can be dropped."""
    from teamcase.db import db

    current = getattr(db, "obj", None)
    if current is None:
        return
    if not current.is_closed():
        current.close()
    if hasattr(current, "close_all"):
        current.close_all()


def build_app(url: str):
    from floors import add_floors

    import teamcase

    app = teamcase.create_app(
        {
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": url,
            "TESTING": False,
            # Overrides win over TEAMCASE_* variables; a stray DEBUG would change the timing.
            "DEBUG": False,
            "DEMO": False,
        }
    )
    # Posting the login form without first fetching a token; nothing else changes.
    app.config["WTF_CSRF_ENABLED"] = False
    # The floors exist only in this process, never in the app itself.
    return add_floors(app)


def choose_target(teams: int) -> dict:
    """The team in the middle of the data, its first member and its middle person."""
    from teamcase.db import db
    from teamcase.models import Client, Contact, Team, User

    with db.connection_context():
        scale_teams = Team.select().where(Team.name.startswith("Scale team ")).order_by(Team.id)
        team = scale_teams.offset((teams - 1) // 2).first()
        member = (
            User.select()
            .where(User.team == team, User.role == User.MEMBER, User.active == True)  # noqa: E712
            .order_by(User.id)
            .first()
        )
        people = list(Client.select(Client.id).where(Client.team == team).order_by(Client.id))
        person = people[len(people) // 2]
        contacts = Contact.select().where(Contact.client == person.id).count()
    return {
        "team_id": team.id,
        "team_name": team.name,
        "member_email": member.email,
        "client_id": person.id,
        "client_contacts": contacts,
        "team_people": len(people),
    }


def richest_person():
    """The demo's richest record: the most about-me entries, strengths, network
    members, goals and offers together (bench/pdf.py prints its profile)."""
    from peewee import fn

    from teamcase.models import AboutMe, Client, Goal, NetworkMember, Offer, Strength

    def counts(model):
        return dict(model.select(model.client, fn.COUNT(model.id)).group_by(model.client).tuples())

    tallies = [counts(m) for m in (AboutMe, Strength, NetworkMember, Goal, Offer)]
    people = {pid for tally in tallies for pid in tally}
    best = max(sorted(people), key=lambda pid: sum(t.get(pid, 0) for t in tallies))
    return Client.get_by_id(best)


def choose_demo_target() -> dict:
    """The demo's richest record, a member of its team, that team's next meeting."""
    from teamcase.db import db
    from teamcase.models import Client, Contact, Meeting, User

    with db.connection_context():
        person = richest_person()
        team = person.team
        member = (
            User.select()
            .where(User.team == team, User.role == User.MEMBER, User.active == True)  # noqa: E712
            .order_by(User.id)
            .first()
        )
        meeting = Meeting.planned_for(team)
        if meeting is None:
            raise SystemExit(f"The demo's team {team.name} has no planned meeting to measure.")
        return {
            "team_id": team.id,
            "team_name": team.name,
            "member_email": member.email,
            "client_id": person.id,
            "client_contacts": Contact.select().where(Contact.client == person.id).count(),
            "team_people": Client.select().where(Client.team == team).count(),
            "meeting_id": meeting.id,
            "password": "demo",
        }


def log_in(app, email: str, password: str = "scale"):
    from teamcase.demo import DEMO_PASSWORD, SCALE_PASSWORD

    client = app.test_client()
    secret = DEMO_PASSWORD if password == "demo" else SCALE_PASSWORD
    response = client.post("/login", data={"email": email, "password": secret})
    if response.status_code != 303 or "/login" in response.headers.get("Location", ""):
        raise SystemExit(f"Logging in as {email} failed: HTTP {response.status_code}")
    return client


def fetch(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        body = response.get_data(as_text=True)[:500]
        raise SystemExit(f"GET {url} answered HTTP {response.status_code}:\n{body}")
    return elapsed


class QueryLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record):
        # Only peewee's own query records; peewee.pool logs connection events.
        if record.name == "peewee":
            message = record.msg
            self.statements.append(message[0] if isinstance(message, tuple) else str(message))


@contextlib.contextmanager
def counting_queries():
    logger = logging.getLogger("peewee")
    handler = QueryLog()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.setLevel(level)
        logger.removeHandler(handler)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(app, target: dict, args, profile_stem: Path | None) -> dict:
    anonymous = app.test_client()
    member = log_in(app, target["member_email"], target.get("password", "scale"))
    # The bare route goes without a session: with one, the idle-session hook would
    # load the user and the floor would no longer be bare.
    requests = {
        "bare": (anonymous, "/bench/bare"),
        "empty": (member, "/bench/empty"),
        "caseload": (member, "/caseload"),
        "person": (member, f"/people/{target['client_id']}"),
        # How we are doing: the team's 52 weeks of charts, from the weekly table.
        "measures": (member, "/measures/"),
    }
    if "meeting_id" in target:
        requests["agenda"] = (member, f"/meetings/{target['meeting_id']}")
        requests["decisions"] = (member, "/decisions/")
    pages = tuple(requests)

    for _ in range(args.warmup):
        for page in pages:
            fetch(*requests[page])

    samples: dict[str, list[float]] = {page: [] for page in pages}
    gc.collect()
    for round_number in range(args.requests):
        # Round robin, starting one page later each round: drift and any effect of
        # the previous request (the person page writes) fall on every page alike.
        shift = round_number % len(pages)
        for page in pages[shift:] + pages[:shift]:
            samples[page].append(fetch(*requests[page]))

    counts: dict[str, list[int]] = {}
    statements: dict[str, list[str]] = {}
    for page in pages:
        counts[page] = []
        for _ in range(args.count_requests):
            with counting_queries() as log:
                fetch(*requests[page])
            counts[page].append(len(log.statements))
            statements[page] = log.statements

    if profile_stem is not None:
        profile_stem.parent.mkdir(parents=True, exist_ok=True)
        for page in pages:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(min(args.requests, 100)):
                fetch(*requests[page])
            profiler.disable()
            profiler.dump_stats(f"{profile_stem}-{page}.prof")

    results = {}
    for page in pages:
        ms = [s * 1000 for s in samples[page]]
        results[page] = {
            "url": requests[page][1],
            "median_ms": statistics.median(ms),
            "p95_ms": percentile(ms, 0.95),
            "mean_ms": statistics.fmean(ms),
            "min_ms": min(ms),
            "max_ms": max(ms),
            "queries": max(counts[page]),
            "query_counts": counts[page],
            "statements": statements[page],
            "samples_ms": [round(v, 4) for v in ms],
        }
    empty = results["empty"]
    for page in pages:
        results[page]["median_vs_empty"] = results[page]["median_ms"] / empty["median_ms"]
        results[page]["p95_vs_empty"] = results[page]["p95_ms"] / empty["p95_ms"]
    return results


def run_configuration(kind: str, teams, args, scratch: Path) -> dict:
    if teams == DEMO:
        total = None
        say(f"{kind}: the demo (teamcase seed-demo)")
    else:
        total = teams * args.clients_per_team * args.contacts_per_client
        say(
            f"{kind}: {teams} team(s) x {args.clients_per_team} people x "
            f"{args.contacts_per_client} contacts ({total:,} contacts)"
        )
    db_target = make_target(kind, args, teams, scratch)
    log_path = scratch / f"{kind}-{teams}.log"
    try:
        info = prepare(db_target, args, teams, log_path)
        release_connections()
        app = build_app(db_target.url)
        target = choose_demo_target() if teams == DEMO else choose_target(teams)
        say(
            f"  measuring {target['team_name']} (id {target['team_id']}), "
            f"person {target['client_id']} with {target['client_contacts']} contacts"
        )
        stem = None
        if args.profile:
            stem = args.profile / (f"{kind}-demo" if teams == DEMO else f"{kind}-{teams}t")
        # Other work on the machine shows up as noise; the load average makes it visible.
        info["load_before"] = os.getloadavg()[0]
        started = time.perf_counter()
        pages = measure(app, target, args, stem)
        info["measure_seconds"] = time.perf_counter() - started
        info["load_after"] = os.getloadavg()[0]
    finally:
        release_connections()
        if not args.keep:
            db_target.drop()
    return {
        "database": kind,
        "teams": teams,
        "clients_per_team": args.clients_per_team,
        "contacts_per_client": args.contacts_per_client,
        "contacts": total,
        **info,
        "target": target,
        "pages": pages,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


# --- the report ------------------------------------------------------------------------


def code_under_test() -> dict:
    """Which teamcase was imported, and its git commit: the app may change between runs."""
    import teamcase

    root = Path(teamcase.__file__).resolve().parent.parent
    found = {"path": str(root), "commit": None, "dirty": None}
    try:
        found["commit"] = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", ":!bench"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found["dirty"] = bool(changed.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return found


def describe_code(code: dict) -> str:
    if code["commit"] is None:
        return f"teamcase from {code['path']} (not a git checkout)"
    state = "with uncommitted changes" if code["dirty"] else "clean"
    return f"teamcase from {code['path']} at {code['commit']} ({state})"


def size_ratios(runs: list[dict]) -> list[dict]:
    """Each larger size against the smallest, per database and page."""
    ratios = []
    for kind in DATABASES:
        mine = sorted(
            (r for r in runs if r["database"] == kind and r["teams"] != DEMO),
            key=lambda r: r["teams"],
        )
        if len(mine) < 2:
            continue
        base = mine[0]
        for run in mine[1:]:
            for page in base["pages"]:
                ratios.append(
                    {
                        "database": kind,
                        "page": page,
                        "from_teams": base["teams"],
                        "to_teams": run["teams"],
                        "median_ratio": run["pages"][page]["median_ms"]
                        / base["pages"][page]["median_ms"],
                        "p95_ratio": run["pages"][page]["p95_ms"] / base["pages"][page]["p95_ms"],
                        "queries": (base["pages"][page]["queries"], run["pages"][page]["queries"]),
                    }
                )
    return ratios


def targets(runs: list[dict], ratios: list[dict]) -> list[dict]:
    checks = []
    for run in runs:
        where = f"{run['database']} {describe_size(run['teams'])}"
        for page, target in TARGET_PAGE_VS_EMPTY.items():
            if page not in run["pages"]:
                continue
            value = run["pages"][page]["median_vs_empty"]
            checks.append(
                {
                    "met": value <= target,
                    "text": f"{where}: {page} median is {value:.2f}x the empty page "
                    f"(target <= {target}x)",
                }
            )
        varying = [p for p, v in run["pages"].items() if len(set(v["query_counts"])) > 1]
        if varying:
            checks.append(
                {
                    "met": False,
                    "text": f"{where}: query count varies between requests on {', '.join(varying)}",
                }
            )
    # The same person's page, the demo's richest record against a plain one of the
    # smallest size: its query count must not grow with what the record holds.
    for kind in DATABASES:
        demo = next((r for r in runs if r["database"] == kind and r["teams"] == DEMO), None)
        sizes = sorted(
            (r for r in runs if r["database"] == kind and r["teams"] != DEMO),
            key=lambda r: r["teams"],
        )
        if demo and sizes:
            small, rich = sizes[0]["pages"]["person"]["queries"], demo["pages"]["person"]["queries"]
            checks.append(
                {
                    "met": small == rich,
                    "text": f"{kind} person: {rich} queries for the demo's richest record, "
                    f"{small} at {sizes[0]['teams']} team(s) (target: the same)",
                }
            )
    for ratio in ratios:
        if ratio["page"] not in ("caseload", "person", "measures"):
            continue
        before, after = ratio["queries"]
        where = f"{ratio['database']} {ratio['page']}"
        sizes = f"{ratio['to_teams']} vs {ratio['from_teams']} team(s)"
        checks.append(
            {
                "met": before == after,
                "text": f"{where}: {after} queries at {ratio['to_teams']} team(s), {before} at "
                f"{ratio['from_teams']} (target: the same)",
            }
        )
        checks.append(
            {
                "met": ratio["median_ratio"] <= TARGET_SIZE_RATIO,
                "text": f"{where}: median at {sizes} is {ratio['median_ratio']:.2f}x "
                f"(target <= {TARGET_SIZE_RATIO}x)",
            }
        )
    return checks


def describe_size(teams) -> str:
    return "demo" if teams == DEMO else f"{teams} team(s)"


def mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f} MiB"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def report(runs: list[dict], ratios: list[dict], checks: list[dict], args, code: dict) -> str:
    lines = [
        f"teamcase benchmark: {args.requests} timed requests per page (after {args.warmup} "
        "warm-up), pages interleaved; server time in-process (Flask test client, no network)",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}",
        describe_code(code),
    ]
    for run in runs:
        t = run["target"]
        if run["teams"] == DEMO:
            heading = f"{run['database']}, the demo (teamcase seed-demo)"
        else:
            heading = (
                f"{run['database']}, {run['teams']} team(s) x {run['clients_per_team']} people "
                f"x {run['contacts_per_client']} contacts = {run['contacts']:,} contacts"
            )
        lines += ["", heading]
        if run["reused"]:
            lines.append(
                "  database reused (--keep): not seeded in this run; db upgrade "
                f"{seconds(run['upgrade_seconds'])}"
            )
        else:
            lines.append(
                f"  seeding: db upgrade {seconds(run['upgrade_seconds'])}, "
                f"{'seed-demo' if run['teams'] == DEMO else 'seed-scale'} "
                f"{seconds(run['seed_seconds'])} (its peak RSS {mib(run['seed_peak_rss_kib'])})"
                + (
                    f", VACUUM ANALYZE + CHECKPOINT {seconds(run['settle_seconds'])}"
                    if run["database"] == "postgresql"
                    else ""
                )
            )
        meeting = f", meeting {t['meeting_id']}" if "meeting_id" in t else ""
        lines += [
            f"  measured {t['team_name']} (team id {t['team_id']}, {t['team_people']} people), "
            f"person {t['client_id']} ({t['client_contacts']} contacts){meeting}, "
            f"as {t['member_email']}",
            f"  benchmark process peak RSS so far: {mib(run['peak_rss_kib'])}; load average "
            f"{run['load_before']:.2f} before measuring, {run['load_after']:.2f} after",
            f"  {'page':<10}{'median ms':>11}{'p95 ms':>9}{'queries':>9}"
            f"{'median/empty':>14}{'p95/empty':>11}",
        ]
        for page, p in run["pages"].items():
            lines.append(
                f"  {page:<10}{p['median_ms']:>11.2f}{p['p95_ms']:>9.2f}{p['queries']:>9}"
                f"{p['median_vs_empty']:>14.2f}{p['p95_vs_empty']:>11.2f}"
            )
    lines += [
        "",
        "person writes one audit row per view (by design): its time and queries include "
        "that INSERT.",
    ]
    if any(run["teams"] == DEMO for run in runs):
        lines.append(
            "demo: person is the record with the most about-me entries, strengths, network "
            "members, goals and offers; agenda is its team's planned meeting, decisions the log."
        )
    if ratios:
        lines += ["", "Larger size against the smallest (ratio of medians; p95 ratio; queries)"]
        for ratio in ratios:
            before, after = ratio["queries"]
            lines.append(
                f"  {ratio['database']:<11}{ratio['to_teams']:>4} vs {ratio['from_teams']:<4}"
                f"{ratio['page']:<10}{ratio['median_ratio']:>6.2f}x   p95 "
                f"{ratio['p95_ratio']:.2f}x   queries {before} -> {after}"
            )
    lines += ["", "Targets (reported, not asserted)"]
    for check in checks:
        lines.append(f"  [{'ok' if check['met'] else 'MISSED'}] {check['text']}")
    if args.sql:
        for run in runs:
            lines += ["", f"SQL per request, {run['database']} {describe_size(run['teams'])}"]
            for page, p in run["pages"].items():
                lines.append(f"  {page}:")
                lines += [f"    {s}" for s in p["statements"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    started_at = dt.datetime.now(dt.UTC)
    # Before measuring: the checkout may be edited while the run goes on.
    code = code_under_test()
    runs = []
    scratch = Path(tempfile.mkdtemp(prefix="teamcase-bench-"))
    try:
        for kind in args.databases:
            for teams in [*args.teams, *([DEMO] if args.demo else [])]:
                runs.append(run_configuration(kind, teams, args, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    ratios = size_ratios(runs)
    checks = targets(runs, ratios)
    print(report(runs, ratios, checks, args, code))

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "started_at": started_at.isoformat(),
            "command": [sys.argv[0], *(sys.argv[1:] if argv is None else argv)],
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "code": code,
            "settings": {
                "requests": args.requests,
                "warmup": args.warmup,
                "count_requests": args.count_requests,
                "keep": args.keep,
            },
            "targets": {"page_vs_empty": TARGET_PAGE_VS_EMPTY, "size_ratio": TARGET_SIZE_RATIO},
            "runs": runs,
            "size_ratios": ratios,
            "checks": checks,
            "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
