"""The `teamcase` command: set up, run and administer an installation.

What a command says to a person is in the install's own language
(TEAMCASE_DEFAULT_LANGUAGE): inside the app context there is no request, so the
language selector (teamcase.i18n) answers with the default. So does everything
click says itself ("Usage:", "Error: …", `--help`): its own sentences and every
command's help text are in our catalogue (`scripts/translations` takes them from
the installed click and from this command tree, `help_texts`), and `main` makes
click speak the install's language before it reads the command line.
"""

import gettext
import inspect
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click
from babel import Locale
from flask import current_app
from flask.cli import AppGroup, ScriptInfo, with_appcontext
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from peewee import IntegrityError

from teamcase.db import db, pending_migrations, upgrade
from teamcase.demo.data import languages as demo_languages
from teamcase.models import CoachLink, Team, User, normalise_email
from teamcase.settings import MAX_THREADS, SettingsError

ROLE_NAMES = {"member": User.MEMBER, "coach": User.COACH, "backoffice": User.BACKOFFICE}


def _admin_app():
    """The app for administrative commands: they may run before a secret key is set."""
    from teamcase.app import create_app

    return _or_exit(lambda: create_app(serving=False))


def _or_exit(build):
    try:
        return build()
    except SettingsError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


@click.group(
    cls=AppGroup,
    help="""teamcase: case management for small self-managing neighbourhood teams.

    \b
    First time?   teamcase demo          (a demo team on SQLite, ready to log in)
    Production:   teamcase db upgrade    then   teamcase serve

    Settings come from TEAMCASE_* environment variables; see the README.
    """,
)
@click.pass_context
def cli(ctx):
    # Flask's own options (--app, --env-file, --debug) would only confuse here.
    ctx.obj = ScriptInfo(create_app=_admin_app, set_debug_flag=False)


@cli.group("db")
def db_group():
    """Create or upgrade the database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Create the tables, or bring an existing database up to date. Safe to run again."""
    applied = _upgrade()
    click.echo(
        ngettext("Applied %(num)d migration.", "Applied %(num)d migrations.", len(applied))
        if applied
        else _("The database is up to date.")
    )


def _upgrade() -> list[str]:
    with db.connection_context():
        applied = upgrade()
    for name in applied:
        click.echo("  " + _("applied %(name)s", name=name))
    return applied


@cli.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it already exists.")
@with_appcontext
def backup_command(path, force):
    """Write a copy of the whole database to PATH; safe while the app runs.

    SQLite is copied with its online backup API, PostgreSQL with pg_dump
    (custom format). Run it every night; see the README, "Backups".
    """
    from teamcase import backup

    report = _backup_step(
        lambda: backup.backup(current_app.config["DATABASE_URL"], path, force=force)
    )
    click.echo(
        _(
            "Wrote %(path)s (%(size)s): %(tables)s.",
            path=path,
            size=_size(report.size),
            tables=_tables_and_rows(report),
        )
    )
    _print_rows(report.rows)


@cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace everything in a database that is not empty. Stop the app first.",
)
@with_appcontext
def restore_command(path, replace):
    """Put the backup at PATH into the configured database, which must be empty.

    Restore into a new database (a new SQLite path, or one made with createdb), or
    one that has only had `teamcase db upgrade`. Stop the app while it runs.
    """
    from teamcase import backup

    url = current_app.config["DATABASE_URL"]
    report = _backup_step(lambda: backup.restore(url, path, replace=replace))
    click.echo(
        _(
            "Restored %(path)s into %(url)s: %(tables)s.",
            path=path,
            url=_shown_url(url),
            tables=_tables_and_rows(report),
        )
    )
    _print_rows(report.rows)
    if report.unknown:
        click.echo(
            ngettext(
                "Error: the backup was made by a newer teamcase; this one does not know its "
                "migration %(names)s. Serve it with that version.",
                "Error: the backup was made by a newer teamcase; this one does not know its "
                "migrations %(names)s. Serve it with that version.",
                len(report.unknown),
                names=", ".join(report.unknown),
            ),
            err=True,
        )
        sys.exit(1)
    if report.pending:
        click.echo(
            ngettext(
                "The backup is from an older teamcase: the database needs %(num)d migration "
                "before the app serves it. Run: teamcase db upgrade",
                "The backup is from an older teamcase: the database needs %(num)d migrations "
                "before the app serves it. Run: teamcase db upgrade",
                len(report.pending),
            )
        )
    else:
        click.echo(_("The schema is up to date."))


def _backup_step(step):
    from teamcase.backup import BackupError

    try:
        return step()
    except BackupError as error:
        raise click.ClickException(str(error)) from None


def _size(size: int) -> str:
    from flask_babel import format_decimal

    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            if unit == "bytes":
                return ngettext(
                    "%(count)s byte", "%(count)s bytes", size, count=format_decimal(size)
                )
            return f"{format_decimal(round(size, 1), '#,##0.0')} {unit}"
        size /= 1024


def _tables_and_rows(report) -> str:
    from flask_babel import format_decimal

    teams, people = report.rows.get("team", 0), report.rows.get("client", 0)
    return _(
        "%(tables)s, %(rows)s (%(teams)s, %(people)s)",
        tables=ngettext("%(num)d table", "%(num)d tables", len(report.rows)),
        rows=ngettext(
            "%(count)s row", "%(count)s rows", report.total, count=format_decimal(report.total)
        ),
        teams=ngettext("%(count)s team", "%(count)s teams", teams, count=format_decimal(teams)),
        people=ngettext(
            "%(count)s person", "%(count)s people", people, count=format_decimal(people)
        ),
    )


def _print_rows(rows: dict[str, int]):
    width = max((len(t) for t in rows), default=0)
    for table, count in rows.items():
        click.echo(f"  {table:<{width}}  {count:>10,}")


def _shown_url(url: str) -> str:
    """The database's URL without its password, for a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


@cli.command("create-team")
@click.argument("name")
@click.option("--area", default="", help="The neighbourhood the team works in.")
@with_appcontext
def create_team(name, area):
    """Create a team called NAME."""
    with db.connection_context():
        try:
            team = Team.create(name=name.strip(), area=area.strip())
        except IntegrityError:
            raise click.ClickException(
                _("A team called %(name)s already exists.", name=repr(name))
            ) from None
    click.echo(_("Created team %(name)s (id %(id)d).", name=repr(team.name), id=team.id))


@cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name, as colleagues know them.")
@click.option(
    "--role",
    type=click.Choice(sorted(ROLE_NAMES)),
    default="member",
    show_default=True,
    help="member: works in a team; coach: looks on, read-only; "
    "backoffice: gives support, sees no client data.",
)
@click.option("--team", "team_name", help="The team's name (required for members).")
@click.option(
    "--password",
    help="Their first password. Leave out to be asked for it without it showing on screen.",
)
@with_appcontext
def create_user(email, name, role, team_name, password):
    """Create an account that logs in with EMAIL."""
    role = ROLE_NAMES[role]
    with db.connection_context():
        team = None
        if role == User.MEMBER:
            if not team_name:
                raise click.UsageError(_("A member needs --team NAME."))
            team = _team(team_name)
        elif team_name:
            raise click.UsageError(
                _("Only members belong to a team; link a coach with link-coach.")
            )
        if password is None:
            password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
        from teamcase.auth.passwords import MIN_LENGTH

        if len(password) < MIN_LENGTH:
            raise click.ClickException(
                _("The password needs at least %(num)d characters.", num=MIN_LENGTH)
            )
        user = User(email=normalise_email(email), name=name.strip(), role=role, team=team)
        user.set_password(password)
        try:
            user.save()
        except IntegrityError:
            raise click.ClickException(
                _("An account for %(email)s already exists.", email=email)
            ) from None
    click.echo(_created(user, role, team))


def _created(user, role, team) -> str:
    who = f"{user.name} <{user.email}>"
    if role == User.COACH:
        return _("Created coach %(who)s.", who=who)
    if role == User.BACKOFFICE:
        return _("Created back office %(who)s.", who=who)
    return _("Created team member %(who)s in %(team)s.", who=who, team=team.name)


def _team(name) -> Team:
    team = Team.get_or_none(Team.name == name)
    if team is None:
        known = ", ".join(t.name for t in Team.select().order_by(Team.name)) or _("none yet")
        raise click.ClickException(
            _("No team called %(name)s. Teams: %(known)s.", name=repr(name), known=known)
        )
    return team


@cli.command("link-coach")
@click.argument("email")
@click.argument("team_name", metavar="TEAM")
@with_appcontext
def link_coach(email, team_name):
    """Let the coach with EMAIL look on at TEAM (read-only, no client details)."""
    with db.connection_context():
        coach = User.by_email(email)
        if coach is None or not coach.is_coach:
            raise click.ClickException(_("No coach account for %(email)s.", email=email))
        team = _team(team_name)
        try:
            CoachLink.create(coach=coach, team=team)
        except IntegrityError:
            click.echo(
                _("%(coach)s was already linked to %(team)s.", coach=coach.name, team=team.name)
            )
            return
    click.echo(_("%(coach)s now looks on at %(team)s.", coach=coach.name, team=team.name))


def _lang_option(command):
    """--lang: which language's demo data to load; the install's language unless given."""
    return click.option(
        "--lang",
        type=click.Choice(demo_languages()),
        help="Language of the demo's people, notes and decisions "
        "[default: TEAMCASE_DEFAULT_LANGUAGE].",
    )(command)


@cli.command("seed-demo")
@_lang_option
@with_appcontext
def seed_demo_command(lang):
    """Load the demo teams, people and histories into an empty database."""
    lang = lang or current_app.config["DEFAULT_LANGUAGE"]
    with db.connection_context():
        if Team.select().exists():
            raise click.ClickException(
                _("The database already has teams; demo data goes only into an empty one.")
            )
        result = _seed_demo(lang)
    _print_logins(result["logins"], lang)


def _seed_demo(lang) -> dict:
    from teamcase.demo import seed_demo

    return seed_demo(progress=lambda step: click.echo(f"  {step}"), lang=lang)


@cli.command("rebuild-measures")
@click.option("--team", "team_name", help="Only this team (its name); all teams without it.")
@with_appcontext
def rebuild_measures(team_name):
    """Count the weekly figures of "How we are doing" again from the records."""
    from teamcase.models import WeekFigure

    with db.connection_context():
        teams = [_team(team_name)] if team_name else list(Team.select().order_by(Team.id))
        for team in teams:
            WeekFigure.rebuild(team)
    click.echo(
        ngettext(
            "Counted the weekly figures of %(num)d team.",
            "Counted the weekly figures of %(num)d teams.",
            len(teams),
        )
    )


@cli.command("seed-scale")
@click.option("--teams", default=1, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--clients-per-team", default=60, show_default=True, type=click.IntRange(0, 10_000))
@click.option(
    "--contacts-per-client", default=10, show_default=True, type=click.IntRange(0, 10_000)
)
@with_appcontext
def seed_scale_command(teams, clients_per_team, contacts_per_client):
    """Add many made-up teams, people and contacts, for benchmarks only."""
    from teamcase.demo import seed_scale

    with db.connection_context(), click.progressbar(length=teams, label="Teams") as bar:
        seed_scale(
            teams,
            clients_per_team,
            contacts_per_client,
            progress=lambda done, total: bar.update(1),
        )
    total = teams * clients_per_team * contacts_per_client
    click.echo(
        _(
            "Added %(teams)s, %(people)s, %(contacts)s.",
            teams=ngettext("%(num)d team", "%(num)d teams", teams),
            people=ngettext("%(num)d person", "%(num)d people", teams * clients_per_team),
            contacts=ngettext("%(num)d contact", "%(num)d contacts", total),
        )
    )


def _print_logins(logins, lang):
    language = Locale.parse(lang).get_display_name(str(get_locale() or "en"))
    click.echo(
        "\n"
        + _(
            "Demo logins (every demo account has the same password, and sees teamcase "
            "in %(language)s):",
            language=language,
        )
    )
    width = max(len(role) for role, _, _ in logins)
    for role, email, password in logins:
        click.echo(f"  {role:<{width}}  {email:<28}  {password}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers", type=click.IntRange(1), help="Worker processes [default: TEAMCASE_WORKERS]."
)
@click.option(
    "--threads",
    type=click.IntRange(1, MAX_THREADS),
    help="Threads per worker [default: TEAMCASE_THREADS].",
)
def serve(host, port, workers, threads):
    """Serve the app with gunicorn's worker processes, for a team.

    Needs TEAMCASE_SECRET_KEY and an up-to-date database; stops on SIGTERM or
    Ctrl+C after the requests under way.
    """
    from teamcase.app import create_app
    from teamcase.server import serve_production

    app = _or_exit(create_app)
    with app.app_context(), db.connection_context():
        pending = pending_migrations()
    # No connection may outlive this check: every worker forked from here would
    # inherit its socket. A pool keeps connections open after connection_context.
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()
    workers = workers or app.config["WORKERS"]
    threads = threads or app.config["THREADS"]
    # In the install's language: the app context gives it (no request here).
    with app.app_context():
        if pending:
            click.echo(
                ngettext(
                    "Error: the database needs %(num)d migration. Run: teamcase db upgrade",
                    "Error: the database needs %(num)d migrations. Run: teamcase db upgrade",
                    len(pending),
                ),
                err=True,
            )
            sys.exit(2)
        click.echo(
            _(
                "teamcase is starting at %(url)s with %(workers)s of %(threads)s",
                url=f"http://{host}:{port}/",
                workers=ngettext("%(num)d worker", "%(num)d workers", workers),
                threads=ngettext("%(num)d thread", "%(num)d threads", threads),
            )
        )
    serve_production(create_app, host, port, workers, threads)


@cli.command("demo")
@click.option("--port", default=8000, show_default=True, type=int)
@_lang_option
def demo(port, lang):
    """Try teamcase: create the database, load demo data if it is empty, and serve it."""
    from teamcase.app import create_app

    app = _or_exit(lambda: create_app({"DEMO": True}))
    lang = lang or app.config["DEFAULT_LANGUAGE"]
    with app.app_context():
        click.echo(_("Database: %(url)s", url=current_app.config["DATABASE_URL"]))
        _upgrade()
        with db.connection_context():
            empty = not Team.select().exists()
        if empty:
            click.echo(_("Loading demo data…"))
            with db.connection_context():
                logins = _seed_demo(lang)["logins"]
        else:
            from teamcase.demo import demo_logins

            # What is there stays: the demo keeps the language it was loaded in.
            with db.connection_context():
                lang = _loaded_language(lang)
            click.echo(_("The database already has teams; it is served as it is."))
            logins = demo_logins(lang)
        _print_logins(logins, lang)
        click.echo(
            "\n"
            + _(
                "teamcase is running at %(url)s  (Ctrl+C stops it)",
                url=f"http://127.0.0.1:{port}/",
            )
        )
    from teamcase.server import serve_embedded

    # waitress: one process that starts at once and runs anywhere Python does.
    serve_embedded(app, "127.0.0.1", port, threads=8)


def _loaded_language(asked):
    """The language the demo already in the database was loaded in: its first demo
    login's account's, or `asked` when that account is not there."""
    from teamcase.demo import demo_logins

    for _role, email, _password in demo_logins(asked):
        account = User.by_email(email)
        if account is not None and account.language in demo_languages():
            return account.language
    return asked


def help_texts(command=None):
    """Every help text of the command tree, as (object, attribute, text): what
    `--help` shows. Texts are compared as click shows them (`inspect.cleandoc`)."""
    command = command or cli
    for name in ("help", "short_help"):
        text = getattr(command, name, None)
        if text:
            yield command, name, inspect.cleandoc(text)
    for param in command.params:
        if getattr(param, "help", None):
            yield param, "help", inspect.cleandoc(param.help)
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


# The English help texts, kept the first time `speak` translates them.
_ENGLISH_HELP: list = []


def speak(language: str):
    """Make click and the command tree's help speak `language`."""
    from babel.support import Translations

    from teamcase.i18n import TRANSLATIONS

    translations = Translations.load(str(TRANSLATIONS), [language])
    if not _ENGLISH_HELP:
        _ENGLISH_HELP.extend(help_texts())
    for owner, name, text in _ENGLISH_HELP:
        setattr(owner, name, translations.gettext(text))
    # click asks the standard library's gettext, in the default domain, for the
    # language the environment names: ours, from our catalogue. Subprocesses
    # (pg_dump, gunicorn's workers) inherit it, which keeps them in step.
    gettext.bindtextdomain("messages", str(TRANSLATIONS))
    os.environ["LANGUAGE"] = language


def _install_language() -> str:
    from teamcase.settings import LANGUAGES, load

    try:
        return load(serving=False)["DEFAULT_LANGUAGE"]
    except SettingsError:
        # The command itself says what is wrong with the settings, in English
        # if need be; help still works.
        chosen = os.environ.get("TEAMCASE_DEFAULT_LANGUAGE", "")
        return chosen if chosen in LANGUAGES else "en"


def main():
    speak(_install_language())
    cli(prog_name="teamcase")
