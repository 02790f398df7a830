"""The team's directory of local resources: GP practices, pharmacies, groups, time banks."""

from flask import Blueprint
from flask_login import login_required

from teamcase import access
from teamcase.models import LocalResource
from teamcase.web import render

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    return render("resources/index.html", team=team, resources=list(LocalResource.for_team(team)))
