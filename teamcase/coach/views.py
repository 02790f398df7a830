"""The coach's view: the teams that linked them, read-only, without people's details."""

from flask import Blueprint
from flask_login import login_required

from teamcase import access
from teamcase.coach.figures import team_overview
from teamcase.web import render

bp = Blueprint("coach", __name__, template_folder="templates", url_prefix="/coach")


@bp.route("/")
@login_required
def home():
    coach = access.coach()
    return render("coach/home.html", overview=team_overview(coach))
