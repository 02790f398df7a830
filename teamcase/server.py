"""How the app is served: gunicorn's worker processes in production, waitress for the demo.

`teamcase serve` runs gunicorn from Python rather than through gunicorn's own command,
so that the server reads the same TEAMCASE_* settings as the app, and a bad setting or
an out-of-date database is refused once, with one clear message, before any worker
starts (see teamcase.cli).
"""

from collections.abc import Callable

from flask import Flask
from gunicorn.app.base import BaseApplication


class ProductionServer(BaseApplication):
    """gunicorn with teamcase's options; every worker builds its own app after the fork."""

    def __init__(self, factory: Callable[[], Flask], options: dict):
        self.factory = factory
        self.options = options
        super().__init__(prog="teamcase serve")

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Runs in each worker, after the fork (preload_app is off): create_app binds a
        # database, and with it a connection pool, of this process's own. A connection
        # opened before the fork would share one socket between several processes.
        return self.factory()


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "threads": threads,
        # gthread lets one worker serve a slow tablet while its other threads go on.
        "worker_class": "gthread" if threads > 1 else "sync",
        "preload_app": False,
        "proc_name": "teamcase",
        # gunicorn's control socket has one default path per user: a second server on
        # the machine (another team's, or a test beside a running one) would take it over.
        "control_socket_disable": True,
    }


def serve_production(
    factory: Callable[[], Flask], host: str, port: int, workers: int, threads: int
):
    """Serve until SIGTERM or Ctrl+C; gunicorn lets running requests finish first."""
    ProductionServer(factory, gunicorn_options(host, port, workers, threads)).run()


def serve_embedded(app: Flask, host: str, port: int, threads: int):
    """One process, no fork: for the demo on a laptop, and for any platform."""
    from waitress import serve

    serve(app, host=host, port=port, threads=threads, ident="teamcase")
