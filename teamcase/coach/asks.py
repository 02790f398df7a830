"""What the team asks of its coach, and her answers (URLs: see the package)."""

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamcase import access
from teamcase.coach.forms import (
    AnswerForm,
    AskCoachForm,
    InviteToMeetingForm,
    MoveForm,
    ReplyForm,
    WriteForm,
)
from teamcase.dates import meeting_title
from teamcase.models import CoachRefused, CoachThread, Meeting, Team, User
from teamcase.privacy import Viewer
from teamcase.web import render, see_other

bp = Blueprint("asks", __name__, template_folder="templates", url_prefix="/asks")


def _me():
    return current_user._get_current_object()


# The team's side


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    threads = list(CoachThread.of_team(team))
    # Also the coaches whose coaching ended: their threads stay the team's to read.
    names = dict(
        User.select(User.id, User.name)
        .where(User.id.in_({t.coach_id for t in threads} or {0}))
        .tuples()
    )
    return render(
        "asks/index.html",
        team=team,
        coaches=list(User.coaches_of(team)),
        names=names,
        open_threads=[t for t in threads if t.is_open],
        closed=[t for t in threads if not t.is_open],
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    coaches = list(User.coaches_of(team))
    form = AskCoachForm().offer_coaches(coaches)
    if coaches and form.validate_on_submit() and form.leaves_out_people(team):
        coach = next(c for c in coaches if c.id == form.coach.data)
        try:
            thread = CoachThread.ask(
                team,
                by=_me(),
                coach=coach,
                kind=form.kind.data,
                subject=form.subject.data,
                text=form.text.data,
            )
        except CoachRefused as refused:
            form.coach.errors = [*form.coach.errors, str(refused)]
        else:
            flash(
                _("Your question went to %(name)s. The whole team sees it here.", name=coach.name),
                "success",
            )
            return see_other("asks.show", thread_id=thread.id)
    status = 400 if request.method == "POST" else 200
    return render("asks/new.html", status=status, form=form, coaches=coaches)


@bp.route("/meetings/<int:meeting_id>/invite", methods=["POST"])
@login_required
def invite(meeting_id):
    """The team invites its coach to a planned meeting: a thread she answers."""
    meeting = access.team_record(Meeting, meeting_id)
    if meeting.is_done:
        flash(_("This meeting has ended: its minutes no longer change."), "info")
        return see_other("meetings.minutes", meeting_id=meeting.id)
    coaches = list(User.coaches_of(meeting.team))
    form = InviteToMeetingForm().offer_coaches(coaches)
    if coaches and form.validate_on_submit() and form.leaves_out_people(meeting.team):
        coach = next(c for c in coaches if c.id == form.coach.data)
        try:
            thread = CoachThread.ask(
                meeting.team,
                by=_me(),
                coach=coach,
                kind=CoachThread.MEETING,
                subject=_("Our team meeting of %(day)s", day=meeting_title(meeting)),
                text=form.text.data,
                meeting=meeting,
            )
        except CoachRefused as refused:
            flash(str(refused), "error")
            return see_other("meetings.show", meeting_id=meeting.id, _anchor="coach-invitation")
        flash(_("%(name)s is invited. Her answer comes here.", name=coach.name), "success")
        return see_other("asks.show", thread_id=thread.id)
    messages = [e for errors in form.errors.values() for e in errors] or [
        _("We have no coach to invite. Invite one first, by a team decision.")
    ]
    for message in messages:
        flash(message, "error")
    return see_other("meetings.show", meeting_id=meeting.id, _anchor="coach-invitation")


# One thread, as its reader's side sees it


def _page(thread, status=200, **forms):
    me = _me()
    coach_side = me.is_coach
    team = thread.team
    viewer = Viewer(team, me, can_change=False, sees_names=False) if coach_side else None
    if coach_side:
        others = [t for t in me.linked_teams() if t.id != thread.team_id]
        forms.setdefault("answer_form", AnswerForm(formdata=None).offer_teams(others))
        forms.setdefault("reply_form", ReplyForm(formdata=None))
    else:
        forms.setdefault("write_form", WriteForm(formdata=None))
    listed = CoachThread.listed().where(CoachThread.id == thread.id).get()
    meeting = Meeting.get_by_id(thread.meeting_id) if thread.meeting_id else None
    return render(
        "asks/show.html",
        status=status,
        thread=listed,
        team=team,
        coach=User.get_by_id(thread.coach_id),
        meeting=meeting,
        coach_side=coach_side,
        viewer=viewer,
        messages=list(thread.messages()),
        move_form=MoveForm(formdata=None),
        **forms,
    )


def _moved(thread, move, **kwargs):
    try:
        move(**kwargs)
    except CoachRefused as refused:
        flash(str(refused), "error")
        return _page(CoachThread.get_by_id(thread.id), status=409)
    return see_other("asks.show", thread_id=thread.id)


@bp.route("/<int:thread_id>")
@login_required
def show(thread_id):
    return _page(access.coach_thread(thread_id))


@bp.route("/<int:thread_id>/write", methods=["POST"])
@login_required
def write(thread_id):
    thread = access.coach_thread(thread_id, side="team")
    form = WriteForm()
    if not (form.validate_on_submit() and form.leaves_out_people(thread.team)):
        return _page(thread, status=400, write_form=form)
    return _moved(thread, thread.write, by=_me(), text=form.text.data)


@bp.route("/<int:thread_id>/close", methods=["POST"])
@login_required
def close(thread_id):
    thread = access.coach_thread(thread_id, side="team")
    if not MoveForm().validate_on_submit():
        abort(400)
    return _moved(thread, thread.close, by=_me())


# The coach's side: each of these writes one message of hers, nothing else.


@bp.route("/<int:thread_id>/answer", methods=["POST"])
@login_required
def answer(thread_id):
    thread = access.coach_thread(thread_id, side="coach")
    me = _me()
    others = [t for t in me.linked_teams() if t.id != thread.team_id]
    form = AnswerForm().offer_teams(others)
    if not form.validate_on_submit():
        return _page(thread, status=400, answer_form=form)
    points_to = Team.get_by_id(form.points_to.data) if form.points_to.data else None
    return _moved(thread, thread.answer, by=me, text=form.text.data, points_to=points_to)


@bp.route("/<int:thread_id>/side", methods=["POST"])
@login_required
def close_side(thread_id):
    thread = access.coach_thread(thread_id, side="coach")
    if not MoveForm().validate_on_submit():
        abort(400)
    return _moved(thread, thread.close_her_side, by=_me())


@bp.route("/<int:thread_id>/reply", methods=["POST"])
@login_required
def reply(thread_id):
    thread = access.coach_thread(thread_id, side="coach")
    if thread.kind != CoachThread.MEETING:
        abort(404)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _page(thread, status=400, reply_form=form)
    return _moved(
        thread,
        thread.reply_to_invitation,
        by=_me(),
        coming=form.coming.data == "yes",
        text=form.text.data,
    )
