"""Support requests: the team's side and the back office's (URLs: see the package)."""

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from teamcase import access
from teamcase.models import SupportAttachment, SupportRefused, SupportRequest, Team
from teamcase.models.support import MAX_FILE_BYTES, MAX_FILES, category_choices
from teamcase.privacy import Viewer
from teamcase.support.forms import AskForm, DoneForm, MessageForm, MoveForm, ReopenForm, RequestForm
from teamcase.web import id_arg, page_arg, render, see_other

bp = Blueprint("support", __name__, template_folder="templates", url_prefix="/support")

QUEUE_PAGE_SIZE = 25
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
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.support_team()
    _allow_files()
    form = RequestForm()
    if form.validate_on_submit() and form.leaves_out_people(team):
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
    return render("support/new.html", status=status, form=form)


def _page(found, status=200, **forms):
    """One request with its thread, as its reader's side sees it."""
    office = current_user.is_backoffice
    viewer = Viewer.outside(found.team) if office else None
    if office:
        forms.setdefault("ask_form", AskForm(formdata=None, prefix="ask"))
        forms.setdefault("done_form", DoneForm(formdata=None, prefix="done"))
    else:
        forms.setdefault("message_form", MessageForm(formdata=None))
        forms.setdefault("reopen_form", ReopenForm(formdata=None))
    return render(
        "support/show.html",
        status=status,
        req=found,
        office=office,
        viewer=viewer,
        thread=list(found.thread()),
        files=found.files(),
        move_form=MoveForm(formdata=None),
        **forms,
    )


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
