"""Back office: which teams exist and who is in them, never any client data."""

from flask import Blueprint
from flask_login import login_required

from teamcase import access
from teamcase.models import CoachLink, Team, User
from teamcase.web import render

bp = Blueprint("office", __name__, template_folder="templates", url_prefix="/office")


def teams_with_people() -> list[dict]:
    teams = list(Team.select().order_by(Team.name))
    members: dict[int, list[User]] = {t.id: [] for t in teams}
    for user in User.select().where(User.team.is_null(False)).order_by(User.name):
        members[user.team_id].append(user)
    coaches: dict[int, list[str]] = {t.id: [] for t in teams}
    for link in CoachLink.select(CoachLink, User).join(User).order_by(User.name):
        coaches[link.team_id].append(link.coach.name)
    return [{"team": t, "members": members[t.id], "coaches": coaches[t.id]} for t in teams]


@bp.route("/")
@login_required
def home():
    access.backoffice()
    return render("office/home.html", teams=teams_with_people())
