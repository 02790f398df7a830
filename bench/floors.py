#!/usr/bin/env python
"""The benchmarks' two floors, routes that exist only in a benchmark's app, never in
teamcase itself:

- bare, /bench/bare: returns `ok`, asked without a session: what every request costs
  (Flask, the app's request hooks, opening and closing the database connection);
- empty, /bench/empty: requires login and renders base.html with no data: the session,
  the user and team for the top bar, the CSRF token and the layout, which every real
  page pays too.

bench/run.py adds them to an app in its own process. Run as a script, this serves
teamcase with the floors through the same gunicorn set-up as `teamcase serve`
(bench/load.py starts it so): settings from TEAMCASE_* variables, as for the app.
"""

import argparse
import sys


def add_floors(app):
    from flask import render_template
    from flask_login import login_required

    def bare():
        return "ok"

    @login_required
    def empty():
        return render_template("base.html")

    app.add_url_rule("/bench/bare", "bench_bare", bare)
    app.add_url_rule("/bench/empty", "bench_empty", empty)
    return app


def seeding_app(url: str):
    """An app on `url` with the floors, for a benchmark that seeds its own data
    through the models: cheap password hashes (it makes many accounts) and no form
    tokens (it posts without fetching a form first)."""
    import teamcase

    return add_floors(
        teamcase.create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-secret-key-not-for-production",
                "PASSWORD_HASH_TIME_COST": 1,
                "PASSWORD_HASH_MEMORY_KIB": 8,
                "PASSWORD_HASH_PARALLELISM": 1,
                "WTF_CSRF_ENABLED": False,
            }
        )
    )


def create_app():
    import teamcase

    return add_floors(teamcase.create_app())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Serve teamcase with the benchmark floors.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    from teamcase.server import serve_production

    # Loopback only: a benchmark's server is for this machine.
    serve_production(create_app, "127.0.0.1", args.port, args.workers, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
