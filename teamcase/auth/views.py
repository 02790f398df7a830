"""Logging in and out, and the account's own password."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from teamcase import access
from teamcase.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from teamcase.auth.passwords import verify
from teamcase.dates import local_now
from teamcase.i18n import LANGUAGE_NAMES, N_, language
from teamcase.models import LoginThrottle, PlannedVisit, User, utcnow
from teamcase.web import is_htmx_partial, render, see_other

bp = Blueprint("auth", __name__, template_folder="templates")

GENERIC_FAILURE = N_("That email and password do not match an account. Check both and try again.")


def home_for(user) -> str:
    """Where each role starts: a member on her day when she has visits today, so
    the first thing she sees is where to go next; else the team's caseload."""
    if user.is_coach:
        return url_for("coach.home")
    if user.is_backoffice:
        return url_for("office.home")
    if PlannedVisit.has_visits(user, local_now().date()):
        return url_for("plan.day")
    return url_for("caseload.index")


def start_session(user) -> None:
    """Log `user` in on a fresh session (a new one, so nothing carries over).

    The session carries when it began and the account's session generation;
    `load_user` holds it to both. No remember-me cookie: it would outlive both.
    """
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    now = utcnow().timestamp()
    session["seen"] = now
    session["since"] = now
    session["generation"] = user.session_generation


# What an account with a first password from a colleague may open: only the page
# to choose her own, and the way out.
OPEN_BEFORE_OWN_PASSWORD = {"auth.password", "auth.logout", "static", "health.healthz"}


def require_own_password():
    """Send an account that still has the first password a colleague gave it to
    the password page, whatever it asks for."""
    if (
        not current_user.is_authenticated
        or not current_user.must_change_password
        or request.endpoint in OPEN_BEFORE_OWN_PASSWORD
    ):
        return None
    target = url_for("auth.password")
    if is_htmx_partial():
        # A fragment would land inside the page: have htmx load the whole page.
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, never a scheme-relative URL."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def _wait_message(seconds: int) -> str:
    if seconds > 90:
        return _(
            "Too many failed tries. Logging in is paused for about %(minutes)d minutes for "
            "this account and this device. Ask a colleague if you are stuck.",
            minutes=round(seconds / 60),
        )
    return ngettext(
        "Too many failed tries. Wait %(num)d second and try again.",
        "Too many failed tries. Wait %(num)d seconds and try again.",
        seconds,
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        rules = LoginThrottle.Rules.from_config(current_app.config)
        email, address = form.email.data, request.remote_addr or "unknown"
        now = utcnow()
        # The try is counted before the (slow) password check, so that tries sent
        # together cannot all be checked before any of them is counted.
        wait = LoginThrottle.claim(email, address, now, rules)
        if wait:
            error = _wait_message(wait)
        else:
            user = User.by_email(email)
            # Verify even for an unknown email so both failures take as long.
            password_ok = verify(user.password_hash if user else None, form.password.data)
            if user and user.active and password_ok and user.waiting_for_a_team:
                # The back office made her account; it opens once her team adds her.
                LoginThrottle.succeeded(email, address, now, rules)
                error = _(
                    "Your account is ready, but your team has not added you yet. Ask a "
                    "colleague to add you: Our team → Add a colleague."
                )
            elif user and user.active and password_ok:
                LoginThrottle.succeeded(email, address, now, rules)
                start_session(user)
                if user.must_change_password:
                    return see_other("auth.password")
                target = safe_next(request.args.get("next")) or home_for(user)
                return redirect(target, code=303)
            else:
                LoginThrottle.failed(email, address, now, rules)
                error = _(GENERIC_FAILURE)
    return render(
        "auth/login.html", form=form, error=error, status=400 if error or form.errors else 200
    )


@bp.route("/logout", methods=["POST"])
def logout():
    # Every session of the account ends, not only this one: a copy of this cookie,
    # or a tablet where she forgot to log out, stops working as well.
    if current_user.is_authenticated:
        current_user.end_sessions()
    session.clear()
    logout_user()
    # The browser deletes what it kept for offline use; she was told first if
    # contacts were still waiting to be sent (static/js/offline.js).
    g.clear_site_data = '"cache", "storage"'
    flash(_("You are logged out."), "info")
    return see_other("auth.login")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    user = access.signed_in()
    first_time = user.must_change_password
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify(user.password_hash, form.current.data):
            form.current.errors.append(_("That is not your current password."))
        elif first_time and form.new.data == form.current.data:
            form.new.errors.append(
                _("Choose a password of your own, not the first one a colleague gave you.")
            )
        else:
            user.choose_password(form.new.data)
            # Her other sessions end with the old password; she just proved she
            # knows it, so this one goes on, in a fresh session of the new generation.
            start_session(user)
            flash(_("Your password is changed."), "success")
            return redirect(home_for(user), code=303)
    status = 400 if form.errors else 200
    return render(
        "auth/password.html",
        form=form,
        first_time=first_time,
        language_form=LanguageForm(language=user.language or language()),
        status=status,
    )


@bp.route("/account/language", methods=["POST"])
@login_required
def choose_language():
    """The account's own language, from now on on every device she logs in on."""
    user = access.signed_in()
    form = LanguageForm()
    if not form.validate_on_submit():
        return render(
            "auth/password.html",
            form=PasswordChangeForm(formdata=None),
            first_time=user.must_change_password,
            language_form=form,
            status=400,
        )
    user.choose_language(form.language.data)
    # Said in the language she chose: the page it lands on speaks it too.
    with force_locale(user.language):
        flash(
            _(
                "From now on teamcase speaks %(language)s to you.",
                language=LANGUAGE_NAMES[user.language],
            ),
            "success",
        )
    return redirect(safe_next(form.next.data) or url_for("auth.password"), code=303)


@bp.route("/")
@login_required
def home():
    """Each role starts on its own page."""
    return redirect(home_for(access.signed_in()))
