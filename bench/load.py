#!/usr/bin/env python
"""Many members at once against `teamcase serve`'s gunicorn on PostgreSQL: requests,
errors, throughput, and p50 and p95 per page next to the empty page of the same run.

Seeds a fresh PostgreSQL database through the real commands (as bench/run.py does),
serves it with teamcase's gunicorn set-up plus the benchmark floors (bench/floors.py) on
a free loopback port, and lets --users simulated members, each logged in with her own
account, work for --duration seconds. Loopback only, bounded in time. See bench/README.md.
"""

import argparse
import datetime as dt
import gzip
import http.client
import http.cookies
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import run  # bench/run.py: seeding through the real commands, kept databases, percentiles

# What a member does, and how often: a nurse between visits looks people up and records
# what happened far more than anything else.
WEIGHTS = {"caseload": 20, "person": 35, "my_day": 15, "empty": 15, "contact": 15}
PAGES = ("empty", "caseload", "person", "my_day", "contact")
URLS = {"empty": "/bench/empty", "caseload": "/caseload", "my_day": "/plan/day"}

SECRET_KEY = "load-test-secret-key-not-for-production"
TIMEOUT = 30  # seconds for one request: gunicorn's own worker timeout
BOOT_SECONDS = 120
LOGIN_SECONDS, LOGIN_SECONDS_EACH = 60, 3
# gunicorn closes a keep-alive connection after 2 s without a request; a browser
# opens a new one rather than send on one the server is about to close.
IDLE_RECONNECT = 1.5

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# A form sent back names what was wrong in a field's error (templates/_macros.html).
ERROR = re.compile(r'<p class="error"[^>]*>([^<]+)</p>')
HAPPENED_AT = re.compile(r'<input[^>]*name="happened_at"[^>]*value="([^"]*)"')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Drive simulated members against teamcase's gunicorn on PostgreSQL "
        "(seeded with `teamcase seed-scale`) and report requests, errors, throughput and "
        "p50/p95 per page next to the logged-in empty page. Loopback only.",
    )
    positive = run.positive
    parser.add_argument("--users", type=positive, default=100, help="members (default: 100)")
    parser.add_argument(
        "--duration", type=positive, default=60, help="measured seconds (default: 60)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="unmeasured seconds after logging in (default: 5)"
    )
    parser.add_argument("--teams", type=positive, default=1000, help="teams seeded (default: 1000)")
    parser.add_argument("--clients-per-team", type=positive, default=60, metavar="N")
    parser.add_argument("--contacts-per-client", type=positive, default=100, metavar="N")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="mean pause between one member's requests (default: 0, as fast as answered)",
    )
    parser.add_argument("--workers", type=positive, default=2, help="gunicorn workers (default: 2)")
    parser.add_argument(
        "--threads", type=positive, default=4, help="threads per worker (default: 4)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the seeded database and reuse it next time (shared with bench/run.py --keep)",
    )
    parser.add_argument("--postgres-url", default=run.DEFAULT_POSTGRES)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results here")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the members' mix")
    parser.add_argument(
        "--only",
        choices=[page for page in WEIGHTS if page != "contact"],
        help="every member asks for this page alone instead of the mix: a page's "
        "throughput, to set against a run --only empty on the same data",
    )
    args = parser.parse_args(argv)
    if args.users > 10 * args.teams:
        parser.error("each seeded team has 10 members: --users at most 10 x --teams")
    if args.threads > 16:
        parser.error("--threads at most 16 (TEAMCASE_THREADS)")
    # For run.make_target and run.prepare.
    args.workdir = None
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """bench/floors.py under gunicorn in a subprocess; stopped with SIGTERM."""

    def __init__(self, url: str, args, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMCASE_")}
        env.update(TEAMCASE_DATABASE_URL=url, TEAMCASE_SECRET_KEY=SECRET_KEY)
        floors = Path(__file__).with_name("floors.py")
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(floors), "--port", str(self.port)]
                + ["--workers", str(args.workers), "--threads", str(args.threads)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + BOOT_SECONDS
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"the server did not start:\n{self.log()}")
            time.sleep(0.3)
        while len(self.workers()) < args.workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return sorted(found)

    def cpu_seconds(self) -> dict[int, float]:
        """User + system CPU of each worker so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        used = {}
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[pid] = (int(fields[11]) + int(fields[12])) / ticks
        return used

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        return self.process.returncode


class RequestFailed(Exception):
    pass


class Member(threading.Thread):
    """One member on her own keep-alive connection: logs in, then picks what to do."""

    def __init__(self, number, port, email, people, plan):
        super().__init__(name=f"member-{number}", daemon=True)
        self.port, self.email, self.people, self.plan = port, email, people, plan
        self.rng = random.Random(plan["seed"] * 100_003 + number)
        self.connection = None
        self.last_used = 0.0
        self.cookies: dict[str, str] = {}
        self.token = None
        self.happened_at = None
        self.samples = {page: [] for page in PAGES}  # (seconds, bytes on the wire)
        self.errors = {page: 0 for page in (*PAGES, "login")}
        self.messages: list[str] = []

    def request(self, method, path, form=None):
        if self.connection is None or time.monotonic() - self.last_used > IDLE_RECONNECT:
            if self.connection is not None:
                self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Accept-Encoding": "gzip"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = None
            raise RequestFailed(f"{method} {path}: {type(error).__name__}: {error}") from None
        self.last_used = time.monotonic()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Content-Encoding") == "gzip":
            text = gzip.decompress(raw).decode()
        else:
            text = raw.decode()
        return response, text, len(raw)

    def expect(self, method, path, status, form=None):
        response, text, wire = self.request(method, path, form)
        if response.status != status:
            said = ERROR.search(text)
            raise RequestFailed(
                f"{method} {path}: HTTP {response.status}, not {status}"
                + (f" ({said[1]})" if said else "")
            )
        if status == 303 and "/login" in response.getheader("Location", ""):
            raise RequestFailed(f"{method} {path}: sent back to the login page")
        return text, wire

    def log_in(self):
        from teamcase.demo import SCALE_PASSWORD

        page, _ = self.expect("GET", "/login", 200)
        form = {"csrf_token": CSRF.search(page)[1], "email": self.email}
        self.expect("POST", "/login", 303, {**form, "password": SCALE_PASSWORD})

    def person(self, client_id):
        self.current = client_id
        page, wire = self.expect("GET", f"/people/{client_id}", 200)
        # What the page's contact form would send: its token and the time it filled in.
        self.token = CSRF.search(page)[1]
        self.happened_at = HAPPENED_AT.search(page)[1]
        return wire

    def record_contact(self):
        from teamcase.clients.forms import QUICK_MINUTES
        from teamcase.models import Contact

        form = {
            "csrf_token": self.token,
            # What the form offers as taps, so the load test cannot drift from it.
            "kind": self.rng.choice(list(Contact.KINDS)),
            "minutes": str(self.rng.choice(QUICK_MINUTES)),
            "happened_at": self.happened_at,
            "note": "Recorded by the load test.",
        }
        path = f"/people/{self.current}/contacts/new?inline=1"
        return self.expect("POST", path, 303, form)[1]

    def step(self, page) -> int:
        """One request of the mix; returns its bytes on the wire."""
        if page == "person":
            return self.person(self.rng.choice(self.people))
        if page == "back_to_person":
            return self.person(self.current)
        if page == "contact":
            # For the person whose page she has open, as from the page's own form.
            return self.record_contact()
        return self.expect("GET", URLS[page], 200)[1]

    def timed(self, page, measured, label=None):
        label = label or page
        started = time.perf_counter()
        try:
            wire = self.step(page)
        except RequestFailed as error:
            if measured:
                self.errors[label] += 1
                if len(self.messages) < 5:
                    self.messages.append(str(error))
            return False
        if measured:
            self.samples[label].append((time.perf_counter() - started, wire))
        return True

    def run(self):
        try:
            # A few at a time, as a team's morning starts: a hundred argon2 checks at
            # once would queue the last ones past the time-out before anyone is measured.
            with self.plan["logging_in"]:
                self.log_in()
                self.person(self.rng.choice(self.people))
        except RequestFailed as error:
            self.errors["login"] += 1
            self.messages.append(str(error))
        try:
            self.plan["barrier"].wait()
        except threading.BrokenBarrierError:
            return
        if self.errors["login"]:
            return
        mix = self.plan["mix"]
        pages, weights = list(mix), list(mix.values())
        think = self.plan["think"]
        while (now := time.monotonic()) < self.plan["end"]:
            measured = now >= self.plan["start"]
            page = self.rng.choices(pages, weights)[0]
            if self.timed(page, measured) and page == "contact":
                # The browser follows the 303 back to the person's page.
                self.timed("back_to_person", measured, label="person")
            if think:
                time.sleep(self.rng.expovariate(1 / think))
        if self.connection is not None:
            self.connection.close()


def members_and_people(url: str, args) -> list[tuple[str, list[int]]]:
    """Each member's email and the ids of her team's people, spread over the teams."""
    import psycopg

    from teamcase.demo.data import DemoData

    names = DemoData("en").scale
    chosen = []
    for i in range(args.users):
        if args.users <= args.teams:
            number, n = 1 + i * args.teams // args.users, 1
        else:
            number, n = 1 + i % args.teams, 1 + i // args.teams
        chosen.append((names["team_name"].format(number=number), number, n))
    people: dict[str, list[int]] = {}
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT t.name, c.id FROM client c JOIN team t ON t.id = c.team_id "
            "WHERE t.name = ANY(%s) ORDER BY c.id",
            ([team for team, _, _ in chosen],),
        ).fetchall()
    for team, client_id in rows:
        people.setdefault(team, []).append(client_id)
    return [
        (names["member_email"].format(number=number, n=n), people[team])
        for team, number, n in chosen
    ]


def drive(server: Server, members: list[tuple[str, list[int]]], args) -> dict:
    plan = {
        "seed": args.seed,
        "think": args.think,
        "mix": {args.only: 1} if args.only else WEIGHTS,
        # Every member logs in (argon2 on the server) before anyone is measured.
        "barrier": threading.Barrier(len(members) + 1),
        "logging_in": threading.Semaphore(args.workers * args.threads),
        "start": float("inf"),
        "end": float("inf"),
    }
    threads = [
        Member(i, server.port, email, people, plan) for i, (email, people) in enumerate(members)
    ]
    run.say(f"  {len(threads)} members log in")
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    # argon2 is slow on purpose: on a busy machine logins take seconds each.
    limit = LOGIN_SECONDS + LOGIN_SECONDS_EACH * len(members)
    try:
        plan["barrier"].wait(timeout=limit)
    except threading.BrokenBarrierError:
        raise SystemExit(f"the members had not all logged in after {limit} s") from None
    login_seconds = time.perf_counter() - started
    now = time.monotonic()
    plan["start"] = now + args.warmup
    plan["end"] = plan["start"] + args.duration
    run.say(
        f"  logged in after {login_seconds:.1f} s; warm-up {args.warmup} s, then {args.duration} s"
    )
    time.sleep(args.warmup)
    load_before = os.getloadavg()
    cpu_before, client_before = server.cpu_seconds(), time.process_time()
    time.sleep(max(0.0, plan["end"] - time.monotonic()))
    cpu_after, client_after = server.cpu_seconds(), time.process_time()
    load_after = os.getloadavg()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)
    stuck = sum(thread.is_alive() for thread in threads)

    samples = {page: [] for page in PAGES}
    errors = {page: 0 for page in (*PAGES, "login")}
    messages = []
    for thread in threads:
        for page in PAGES:
            samples[page] += thread.samples[page]
        for page, count in thread.errors.items():
            errors[page] += count
        messages += thread.messages
    if stuck:
        messages.append(f"{stuck} member(s) still waiting for an answer after the run")
    restarted = set(cpu_before) != set(cpu_after)
    if restarted:
        messages.append("a gunicorn worker was replaced during the run (see the server log)")
    pages = {}
    for page in PAGES:
        ms = [seconds * 1000 for seconds, _ in samples[page]]
        wire = [size for _, size in samples[page]]
        pages[page] = {
            "requests": len(ms),
            "errors": errors[page],
            "per_second": len(ms) / args.duration,
            "p50_ms": statistics.median(ms) if ms else None,
            "p95_ms": run.percentile(ms, 0.95) if ms else None,
            "mean_kb_on_the_wire": statistics.fmean(wire) / 1024 if wire else None,
        }
    empty = pages["empty"]
    for page in PAGES:
        p = pages[page]
        for key in ("p50", "p95"):
            known = p[f"{key}_ms"] is not None and empty[f"{key}_ms"]
            p[f"{key}_vs_empty"] = p[f"{key}_ms"] / empty[f"{key}_ms"] if known else None
    return {
        "pages": pages,
        "requests": sum(p["requests"] for p in pages.values()),
        "errors": sum(errors.values()) + stuck + restarted,
        "login_errors": errors["login"],
        "messages": messages,
        "login_seconds": login_seconds,
        "load_before": load_before,
        "load_after": load_after,
        "server_cpu_seconds": sum(cpu_after.values())
        - sum(cpu_before.get(p, 0) for p in cpu_after),
        "client_cpu_seconds": client_after - client_before,
    }


def report(result: dict, info: dict, args, code: dict) -> str:
    total = result["requests"]
    lines = [
        f"teamcase load test: {args.users} members for {args.duration} s (after "
        f"{args.warmup} s warm-up), think time {args.think} s, against gunicorn "
        f"({args.workers} workers x {args.threads} threads) on PostgreSQL, loopback",
        f"{args.teams} teams x {args.clients_per_team} people x {args.contacts_per_client} "
        f"contacts; Python {platform.python_version()}, {os.cpu_count()} CPUs",
        run.describe_code(code),
        "seeding: "
        + (
            "database reused (--keep)"
            if info["reused"]
            else f"db upgrade {run.seconds(info['upgrade_seconds'])}, seed-scale "
            f"{run.seconds(info['seed_seconds'])}, VACUUM ANALYZE + CHECKPOINT "
            f"{run.seconds(info['settle_seconds'])}"
        ),
        (
            f"every member asks for {args.only} alone (--only)"
            if args.only
            else "the mix: " + ", ".join(f"{page} {w} %" for page, w in WEIGHTS.items())
        ),
        "pages kept per worker (TEAMCASE_PAGE_CACHE_SIZE): "
        + os.environ.get("TEAMCASE_PAGE_CACHE_SIZE", "the default"),
        f"logins: {args.users - result['login_errors']} of {args.users} in "
        f"{result['login_seconds']:.1f} s",
        "load average (1, 5, 15 min) "
        + " -> ".join(
            ", ".join(f"{v:.2f}" for v in result[k]) for k in ("load_before", "load_after")
        ),
        f"CPU in the measured window: gunicorn workers {result['server_cpu_seconds']:.1f} s, "
        f"this client {result['client_cpu_seconds']:.1f} s (PostgreSQL not counted), "
        f"of {os.cpu_count() * args.duration} s on {os.cpu_count()} cores",
        "",
        f"  {'page':<10}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p50/empty':>11}{'p95/empty':>11}{'KB sent':>9}",
    ]

    def number(value, form):
        return "-" if value is None else format(value, form)

    for page in PAGES:
        p = result["pages"][page]
        lines.append(
            f"  {page:<10}{p['requests']:>9}{p['errors']:>8}{p['per_second']:>8.1f}"
            f"{number(p['p50_ms'], '.1f'):>9}{number(p['p95_ms'], '.1f'):>9}"
            f"{number(p['p50_vs_empty'], '.2f'):>11}{number(p['p95_vs_empty'], '.2f'):>11}"
            f"{number(p['mean_kb_on_the_wire'], '.1f'):>9}"
        )
    lines.append(f"  {'all':<10}{total:>9}{result['errors']:>8}{total / args.duration:>8.1f}")
    lines += [
        "",
        "contact is the POST of the person's page's form; the browser then follows its 303 "
        "to the person's page, counted as person. person writes one audit row per view.",
        "KB sent: the mean body on the wire, gzipped as a browser asks for it.",
    ]
    if result["messages"]:
        lines += ["", "Errors (first few):"] + [f"  {m}" for m in result["messages"][:10]]
    lines.append("")
    lines.append(f"errors: {result['errors']} (must be 0)")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    code = run.code_under_test()
    started_at = dt.datetime.now(dt.UTC)
    scratch = Path(tempfile.mkdtemp(prefix="teamcase-load-"))
    target = run.make_target("postgresql", args, args.teams, scratch)
    log_path = scratch / "load.log"
    server = None
    try:
        run.say(f"PostgreSQL {target.label}: {args.teams} teams")
        info = run.prepare(target, args, args.teams, log_path)
        members = members_and_people(target.url, args)
        run.say(f"  gunicorn: {args.workers} workers x {args.threads} threads on 127.0.0.1")
        server = Server(target.url, args, scratch / "server.log")
        result = drive(server, members, args)
        status = server.stop()
        if status not in (0, None):
            result["errors"] += 1
            result["messages"].append(f"the server stopped with exit code {status}")
        if result["errors"]:
            result["messages"].append("server log tail:\n" + server.log())
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            target.drop()
        shutil.rmtree(scratch, ignore_errors=True)
    print(report(result, info, args, code))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "started_at": started_at.isoformat(),
            "command": [sys.argv[0], *(sys.argv[1:] if argv is None else argv)],
            "code": code,
            "settings": {k: v for k, v in vars(args).items() if k not in ("json", "workdir")},
            "seeding": info,
            **result,
        }
        args.json.write_text(json.dumps(document, indent=2, default=str) + "\n")
        run.say(f"wrote {args.json}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
