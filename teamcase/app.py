"""The application factory."""

import datetime as dt

from flask import Flask, current_app, flash, g, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from teamcase import compression, i18n
from teamcase import settings as settings_module
from teamcase.dates import duration_text
from teamcase.db import db, open_database, pending_migrations, sqlite_url
from teamcase.measures import charts
from teamcase.models import User, utcnow
from teamcase.paths import STATIC, TEMPLATES
from teamcase.web import KEEPING_HEADER, IdConverter, register_template_helpers

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id):
    """The account of the session in the cookie, while that session holds: used
    within SESSION_IDLE_MINUTES, begun within SESSION_MAX_HOURS, the account active
    and its sessions not ended since (logout, new password, deactivation).

    One query, as before: the generation is compared with the row it reads. A
    "remember me" cookie (never set, but Flask-Login would read one) restores only
    the account id, without the generation, so it cannot revive an ended session.
    """
    g.session_ended = _outlived(current_app.config)
    if g.session_ended:
        return None
    try:
        user = User.get_or_none(User.id == int(user_id), User.active == True)  # noqa: E712
    except ValueError:
        return None
    if user is None or session.get("generation") != user.session_generation:
        return None
    return user


def _deactivated(user_id) -> bool:
    try:
        account = User.get_or_none(User.id == int(user_id))
    except (TypeError, ValueError):
        return False
    return account is not None and not account.active


def _outlived(config) -> str | None:
    """Which lifetime the session has outlived, "idle" or "absolute", if any."""
    now = utcnow().timestamp()
    seen, since = session.get("seen"), session.get("since")
    if seen is not None and now - seen > config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    # The cookie is signed, so `since` is the time of the login itself; a session
    # without one began before sessions had an absolute lifetime.
    if since is None or now - since > config["SESSION_MAX_HOURS"] * 3600:
        return "absolute"
    return None


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, which a page kept for offline use in the background
    never sets: its answer may arrive after her next click's, and an older cookie
    would bring back a message already shown, lose one not yet shown, or revive
    the session she just logged out of."""

    def should_set_cookie(self, app, session):
        if request.headers.get(KEEPING_HEADER):
            return False
        return super().should_set_cookie(app, session)


def create_app(config: dict | None = None, *, serving: bool = True) -> Flask:
    """Build the app. `config` overrides settings (tests pass TESTING and a database URL).

    `serving=False` is for administrative commands, which sign nothing and so
    may run before a real secret key is set.
    """
    app = Flask(
        "teamcase",
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        instance_relative_config=True,
    )
    app.url_map.converters["int"] = IdConverter
    app.session_interface = SessionInterface()
    settings = settings_module.load(config, serving=serving)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not (settings["DEBUG"] or settings["DEMO"] or app.testing),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings["SESSION_IDLE_MINUTES"]),
        SEND_FILE_MAX_AGE_DEFAULT=dt.timedelta(days=365),
        MAX_CONTENT_LENGTH=1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = sqlite_url(app.instance_path)
    db.initialize(open_database(app.config["DATABASE_URL"]))

    i18n.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    register_template_helpers(app)
    charts.init_app(app)
    _register_blueprints(app)
    _register_request_hooks(app)
    _register_error_pages(app)
    compression.init_app(app)
    return app


def _register_blueprints(app):
    # Imported here, not at the top: the views import the models, which need the
    # database proxy that this factory has only just initialised.
    from teamcase import (
        auth,
        clients,
        coach,
        health,
        measures,
        meetings,
        network,
        office,
        offline,
        reports,
        support,
        teamwork,
    )

    areas = (
        auth,
        clients,
        network,
        reports,
        teamwork,
        meetings,
        measures,
        support,
        coach,
        office,
        health,
        offline,
    )
    for area in areas:
        for blueprint in area.blueprints():
            app.register_blueprint(blueprint)


def _register_request_hooks(app):
    @app.before_request
    def open_connection():
        # /healthz opens its own, so that it can report a failure.
        if request.endpoint not in ("static", "health.healthz"):
            db.connect(reuse_if_open=True)

    @app.before_request
    def refuse_outdated_schema():
        # Checked once per process: a schema only changes through `db upgrade`,
        # which is run before the app servers start.
        if request.endpoint in ("static", "health.healthz"):
            return None
        if app.extensions.get("teamcase.schema_ok"):
            return None
        pending = pending_migrations()
        if pending:
            return (
                render_template("errors/schema.html", pending=pending),
                503,
            )
        app.extensions["teamcase.schema_ok"] = True
        return None

    @app.before_request
    def keep_or_end_session():
        """A session ends when unused for SESSION_IDLE_MINUTES (shared tablets),
        SESSION_MAX_HOURS after its login however much it is used, and at once when
        the account's sessions end; `load_user` decides, this says so and cleans up."""
        if request.endpoint == "static":
            return
        if current_user.is_authenticated:
            session.permanent = True
            if not request.headers.get(KEEPING_HEADER):  # the tablet's work is not her use
                session["seen"] = utcnow().timestamp()
            return
        if "_user_id" not in session:
            return
        reason = g.get("session_ended")
        # The tablet deletes the pages it kept of her day (see teamcase/offline);
        # contacts she wrote down offline stay until she logs in again and they go,
        # unless her account was deactivated: she never logs in again, and a shared
        # tablet must not keep what she wrote about people.
        g.clear_site_data = '"cache"'
        if _deactivated(session.get("_user_id")):
            g.clear_site_data = '"cache", "storage"'
        # Cleared first: logout_user then marks any remember-me cookie for deletion.
        session.clear()
        logout_user()
        if reason == "idle":
            message = _(
                "You were logged out after %(minutes)s minutes without use. Please log in again.",
                minutes=app.config["SESSION_IDLE_MINUTES"],
            )
        elif reason == "absolute":
            message = _(
                "You were logged out: a session lasts at most %(duration)s. Please log in again.",
                duration=duration_text(app.config["SESSION_MAX_HOURS"] * 60),
            )
        else:
            message = _("Your session has ended. Please log in again.")
        flash(message, "info")

    # After the session check: a session that just ended needs no new password.
    from teamcase.auth.views import require_own_password

    app.before_request(require_own_password)

    @app.teardown_request
    def close_connection(exc):
        if not db.is_closed():
            db.close()

    @app.after_request
    def headers(response):
        response.vary.add("HX-Request")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
            "form-action 'self'; base-uri 'self'",
        )
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        if g.get("clear_site_data"):
            # A session ended: the browser deletes the pages the service worker kept,
            # and at logout its storage and the worker too.
            response.headers["Clear-Site-Data"] = g.clear_site_data
        # Off by default: a browser keeps the promise for max-age even if the site
        # goes back to plain HTTP, so only an install served over HTTPS turns it on.
        if app.config["HSTS_SECONDS"]:
            response.headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response


def _register_error_pages(app):
    messages = {
        400: (
            _l("Something in that request was not right"),
            _l("Go back, check what you entered and try again."),
        ),
        403: (
            _l("You cannot do that here"),
            _l("Your role does not allow this. Ask the team if you need something changed."),
        ),
        404: (
            _l("Not found"),
            _l("This page does not exist, or it belongs to another team."),
        ),
        405: (
            _l("That does not work here"),
            _l("This page cannot be used that way. Go back and use the buttons on the page."),
        ),
        413: (
            _l("That was too large"),
            _l("What you sent was too large. Shorten it and try again."),
        ),
        500: (
            _l("Something went wrong on our side"),
            _l(
                "Nothing you did caused this. Try again in a moment; "
                "if it keeps happening, tell your back office."
            ),
        ),
        503: (_l("teamcase is not available"), _l("Try again in a moment.")),
    }

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return (
            render_template(
                "errors/error.html",
                code=400,
                title=_("This form had expired"),
                message=_(
                    "For your safety forms stop working after you log out or are away for a "
                    "while. Go back, reload the page and send it again."
                ),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        title, message = messages.get(error.code, (error.name, error.description))
        return (
            render_template("errors/error.html", code=error.code, title=title, message=message),
            error.code,
        )

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        title, message = messages[500]
        return render_template("errors/error.html", code=500, title=title, message=message), 500
