"""Support requests: the team's side and the back office's (URLs: see the package)."""

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from peewee import IntegrityError
from werkzeug.utils import secure_filename

from teamcase import access
from teamcase.auth.passwords import first_password, hasher
from teamcase.dates import local_now
from teamcase.models import EmailInUse, SupportAttachment, SupportRefused, SupportRequest, Team
from teamcase.models.support import (
    DEACTIVATE,
    KINDS,
    MAX_FILE_BYTES,
    MAX_FILES,
    NEW_COLLEAGUE,
    NEW_TEAM,
    PASSWORD,
    UNLOCK,
    category_choices,
)
from teamcase.privacy import Viewer
from teamcase.support import times
from teamcase.support.forms import (
    ActForm,
    AskForm,
    DoneForm,
    MessageForm,
    MoveForm,
    MoversForm,
    ReopenForm,
    ask_form,
    kind_choices,
)
from teamcase.web import id_arg, page_arg, render, see_other

bp = Blueprint("support", __name__, template_folder="templates", url_prefix="/support")

QUEUE_PAGE_SIZE = 25
# Where a first password the back office just gave waits for the one page view
# that shows it to her (as a new invitation link does for the team).
NEW_PASSWORD = "support.new_first_password"
# What the back office's form for each kind of request says: heading, hint, button.
ACT_WORDS = {
    NEW_COLLEAGUE: (
        _l("Make her account"),
        _l(
            "Filled in from the request. She gets a first password, shown to you once; "
            "the team then adds her to the team."
        ),
        _l("Make the account"),
    ),
    NEW_TEAM: (
        _l("Make the team"),
        _l(
            "Filled in from the request. The colleagues the team named move to it: each "
            "sees the new team on her next page."
        ),
        _l("Make the team"),
    ),
    DEACTIVATE: (
        _l("Deactivate her account"),
        _l(
            "She can no longer log in, every session of hers ends at once and the roles "
            "she holds end today. Her name stays on what she did."
        ),
        _l("Deactivate the account"),
    ),
    UNLOCK: (
        _l("Unlock her account"),
        _l("Her failed logins are forgotten: she can log in again at once."),
        _l("Unlock the account"),
    ),
    PASSWORD: (
        _l("Give her a new first password"),
        _l(
            "Her old password stops working and every session of hers ends. The new one "
            "is shown to you once; she chooses her own when she logs in with it."
        ),
        _l("Give a new first password"),
    ),
}
# What a form with its files may weigh: the files at their largest, and the text.
WITH_FILES_BYTES = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024


def _me():
    return current_user._get_current_object()


def _allow_files():
    """This request may carry files; every other keeps the app's smaller limit."""
    request.max_content_length = WITH_FILES_BYTES


# The team's side


@bp.route("/")
@login_required
def index():
    team = access.support_team()
    requests = list(SupportRequest.of_team(team))
    return render(
        "support/index.html",
        team=team,
        waiting=[r for r in requests if r.for_the_team],
        open_requests=[r for r in requests if r.status in (r.NEW, r.TAKEN)],
        closed=[r for r in requests if r.status == r.CLOSED],
        times=times.of_team(team),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.support_team()
    kind = request.args.get("kind") or ""
    if kind not in KINDS:
        kind = ""
    if not kind:
        _allow_files()
    form = ask_form(kind, team)
    if form.validate_on_submit() and form.leaves_out_people(team):
        if kind:
            asked = form.asked()
            name = asked.get("asked_name") or asked["account"].name
            try:
                filed = SupportRequest.file(
                    team,
                    by=_me(),
                    category=form.category.data,
                    # Shown in the reader's language (`title`); this is for anything else.
                    subject=SupportRequest(kind=kind, asked_name=name).title,
                    description=form.description.data,
                    kind=kind,
                    **asked,
                )
            except SupportRefused as refused:
                # A colleague left (or was chosen for) the team meanwhile.
                field = form.movers if kind == NEW_TEAM else form.colleague
                field.errors = [*field.errors, str(refused)]
                return render(
                    "support/new.html", status=409, form=form, kind=kind, kinds=kind_choices()
                )
        else:
            filed = SupportRequest.file(
                team,
                by=_me(),
                category=form.category.data,
                subject=form.subject.data,
                description=form.description.data,
                needed_by=form.needed_by.data,
                files=form.uploads,
            )
        flash(_("Your request went to the back office. The whole team sees it here."), "success")
        return see_other("support.show", request_id=filed.id)
    status = 400 if request.method == "POST" else 200
    return render("support/new.html", status=status, form=form, kind=kind, kinds=kind_choices())


def _page(found, status=200, **forms):
    """One request with its thread, as its reader's side sees it."""
    office = current_user.is_backoffice
    viewer = Viewer.outside(found.team) if office else None
    new_password = None
    if office:
        forms.setdefault("ask_form", AskForm(formdata=None, prefix="ask"))
        forms.setdefault("done_form", DoneForm(formdata=None, prefix="done"))
        if found.kind:
            forms.setdefault("act_form", ActForm.for_request(found))
        # The first password exists only in this one answer: the database keeps its hash.
        stashed = session.pop(NEW_PASSWORD, None)
        if stashed and stashed[0] == found.id:
            new_password = stashed[1]
    else:
        forms.setdefault("message_form", MessageForm(formdata=None))
        forms.setdefault("reopen_form", ReopenForm(formdata=None))
        if found.kind == NEW_TEAM and not found.acted_at:
            forms.setdefault("movers_form", _movers_form(found, formdata=None))
    movers = list(found.movers()) if found.kind == NEW_TEAM else []
    return render(
        "support/show.html",
        status=status,
        req=found,
        office=office,
        viewer=viewer,
        thread=list(found.thread()),
        files=found.files(),
        move_form=MoveForm(formdata=None),
        new_password=new_password,
        act_words=ACT_WORDS,
        movers=movers,
        **forms,
    )


def _movers_form(found, formdata=None):
    """Who goes to the new team, as the team last said it, with the request's version."""
    form = MoversForm(formdata=formdata, prefix="movers")
    form.offer_members(found.team, list(found.team.active_members()))
    if formdata is None:
        form.movers.data = [m.member_id for m in found.movers()]
        form.version.data = found.version
    return form


@bp.route("/<int:request_id>")
@login_required
def show(request_id):
    found = access.support_request(request_id)
    return _page(found)


def _moved(found, move, *args, **kwargs):
    """Make the move; a refused one says why and shows the request as it is now."""
    try:
        move(*args, **kwargs)
    except SupportRefused as refused:
        flash(str(refused), "error")
        return _page(SupportRequest.get_by_id(found.id), status=409)
    return see_other("support.show", request_id=found.id)


@bp.route("/<int:request_id>/answer", methods=["POST"])
@login_required
def answer(request_id):
    found = access.support_request(request_id, side="team")
    _allow_files()
    form = MessageForm()
    if not (form.validate_on_submit() and form.leaves_out_people(found.team)):
        return _page(found, status=400, message_form=form)
    return _moved(found, found.answer, by=_me(), text=form.text.data, files=form.uploads)


@bp.route("/<int:request_id>/movers", methods=["POST"])
@login_required
def movers(request_id):
    found = access.support_request(request_id, side="team")
    if found.kind != NEW_TEAM:
        abort(404)
    form = _movers_form(found, formdata=request.form)
    if not form.validate_on_submit():
        return _page(found, status=400, movers_form=form)
    return _moved(found, found.choose_movers, _me(), form.chosen(), form.version_read())


@bp.route("/<int:request_id>/confirm", methods=["POST"])
@login_required
def confirm(request_id):
    found = access.support_request(request_id, side="team")
    if not MoveForm().validate_on_submit():
        abort(400)
    return _moved(found, found.confirm, by=_me())


@bp.route("/<int:request_id>/reopen", methods=["POST"])
@login_required
def reopen(request_id):
    found = access.support_request(request_id, side="team")
    form = ReopenForm()
    if not (form.validate_on_submit() and form.leaves_out_people(found.team)):
        return _page(found, status=400, reopen_form=form)
    return _moved(found, found.reopen, by=_me(), text=form.text.data)


# The back office's side


@bp.route("/times")
@login_required
def times_page():
    access.backoffice()
    return render("support/times.html", charts=times.of_all_teams())


@bp.route("/queue")
@login_required
def queue():
    access.backoffice()
    categories = category_choices(current_app.config["SUPPORT_CATEGORIES"])
    category = request.args.get("category") or None
    if category not in {key for key, _label in categories}:
        category = None
    status = request.args.get("state") or None
    if status not in SupportRequest.STATES:
        status = None
    team = id_arg("team")
    teams = list(Team.select(Team.id, Team.name).order_by(Team.name))
    if team not in {t.id for t in teams}:
        team = None
    page = page_arg()
    found = SupportRequest.queue(category=category, team=team, status=status)
    rows = list(found.paginate(page, QUEUE_PAGE_SIZE + 1))
    return render(
        "support/queue.html",
        requests=rows[:QUEUE_PAGE_SIZE],
        more=len(rows) > QUEUE_PAGE_SIZE,
        page=page,
        categories=categories,
        teams=teams,
        states=SupportRequest.STATES,
        chosen={"category": category, "team": team, "state": status},
        # Each row's words, translated once for the page rather than once per row.
        state_text={key: str(label) for key, label in SupportRequest.STATES.items()},
        category_text=dict(categories),
        asked_text=_("asked %(when)s"),
        with_text=_("with %(name)s"),
    )


@bp.route("/<int:request_id>/take", methods=["POST"])
@login_required
def take(request_id):
    found = access.support_request(request_id, side="office")
    if not MoveForm().validate_on_submit():
        abort(400)
    return _moved(found, found.take, by=_me())


@bp.route("/<int:request_id>/ask", methods=["POST"])
@login_required
def ask(request_id):
    found = access.support_request(request_id, side="office")
    _allow_files()
    # Both forms are on one page: their fields need names (and ids) of their own.
    form = AskForm(prefix="ask")
    if not form.validate_on_submit():
        return _page(found, status=400, ask_form=form)
    return _moved(found, found.ask, by=_me(), text=form.text.data, files=form.uploads)


@bp.route("/<int:request_id>/done", methods=["POST"])
@login_required
def done(request_id):
    found = access.support_request(request_id, side="office")
    _allow_files()
    form = DoneForm(prefix="done")
    if not form.validate_on_submit():
        return _page(found, status=400, done_form=form)
    return _moved(found, found.mark_done, by=_me(), text=form.text.data, files=form.uploads)


@bp.route("/<int:request_id>/act", methods=["POST"])
@login_required
def act(request_id):
    found = access.support_request(request_id, side="office")
    form = ActForm.for_request(found, formdata=request.form)
    if not form.validate_on_submit():
        return _page(found, status=400, act_form=form)
    # A first password, not an invitation link, for a new colleague and for one
    # who forgot hers: the back office hands it to her itself (by phone, or with
    # her contract and tablet on her first day) as it does with every other
    # account of the organisation, and she chooses her own at her first login.
    # An invitation link would have to reach an address she may not read yet.
    password = first_password() if found.kind in (NEW_COLLEAGUE, PASSWORD) else None
    asked = {name: form[name].data for name in form.ASKED}
    try:
        found.act(
            by=_me(),
            password_hash=hasher.hash(password) if password else "",  # slow: before it moves
            today=local_now().date(),
            **asked,
        )
    except SupportRefused as refused:
        flash(str(refused), "error")
        return _page(SupportRequest.get_by_id(found.id), status=409)
    except EmailInUse as taken:
        form.email.errors.append(str(taken))
        return _page(SupportRequest.get_by_id(found.id), status=400, act_form=form)
    except IntegrityError:
        form.name.errors.append(
            _(
                "Another team is already called “%(name)s”. Choose another name.",
                name=form.name.data,
            )
        )
        return _page(SupportRequest.get_by_id(found.id), status=400, act_form=form)
    if password:
        session[NEW_PASSWORD] = [found.id, password]
    flash(found.acted_text, "success")
    return see_other("support.show", request_id=found.id)


@bp.route("/files/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    listed = access.support_attachment(attachment_id)
    data = (
        SupportAttachment.select(SupportAttachment.data)
        .where(SupportAttachment.id == listed.id)
        .scalar()
    )
    response = Response(bytes(data), mimetype=listed.content_type)
    # Always a download, never shown inline: a file is never run as a page of the app.
    fallback = secure_filename(listed.filename) or f"attachment-{listed.id}"
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=fallback,
        **{"filename*": f"UTF-8''{quote(listed.filename)}"},
    )
    return response
