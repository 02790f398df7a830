"""The coach's view: the teams that linked them, read-only, without people's details."""

from flask import Blueprint, url_for
from flask_babel import get_translations
from flask_login import login_required

from teamcase import access
from teamcase.coach.figures import team_overview
from teamcase.dates import ago_text, local_today, short_day_text
from teamcase.i18n import N_
from teamcase.models import CoachThread
from teamcase.privacy import Viewer
from teamcase.web import render

bp = Blueprint("coach", __name__, template_folder="templates", url_prefix="/coach")

# The read-only pages of a team she may open, in the order the page lists them.
TEAM_PAGES = (
    ("plan.team_week", "week"),
    ("board.team", "board"),
    ("decisions.team_log", "decisions"),
    ("learning.team_page", "learning"),
)
# Stands for the team's id in a link built once for all her teams.
_ID = 987654321

# The sentences of every row, translated once per page (N_ marks them for the
# catalogue; a row fills in its own figures).
IN_CARE = N_("%(people)d of %(room)d")
OLDEST = N_("oldest received %(ago)s")
PAGES_OF = N_("Read-only pages of %(team)s")


class _Once(dict):
    """What `make` says of a value, made once per page: many teams met on the same
    day, and many referrals have waited as long."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, value):
        self[value] = said = self.make(value)
        return said


@bp.route("/")
@login_required
def home():
    coach = access.coach()
    overview = team_overview(coach)
    # 40-50 teams: each sentence and link is looked up once per page, and each
    # row fills in its own figures.
    said = get_translations().ugettext
    in_care, oldest, pages_of = said(IN_CARE), said(OLDEST), said(PAGES_OF)
    days = _Once(lambda day: short_day_text(day) if day else "")
    waited = _Once(lambda count: oldest % {"ago": ago_text(count)} if count is not None else "")
    links = {name: url_for(endpoint, team_id=_ID) for endpoint, name in TEAM_PAGES}
    for row in overview:
        team_id = str(row.team.id)
        row.links = {name: url.replace(str(_ID), team_id) for name, url in links.items()}
        row.in_care = in_care % {"people": row.people, "room": row.room}
        row.oldest_text = waited[row.oldest_referral_days]
        row.last_text, row.next_text = days[row.last_meeting], days[row.next_meeting]
        row.pages_label = pages_of % {"team": row.team.name}
    # What her teams asked of her, and the meetings they invited her to. Their
    # subjects were checked when written; shown through the privacy rule all the
    # same (one query per team with an open thread, never per team she has).
    threads = [t for t in CoachThread.for_coach(coach) if t.is_open and not t.side_closed]
    for thread in threads:
        thread.shown_subject = Viewer.outside(thread.team).text(thread.subject)
    return render(
        "coach/home.html",
        overview=overview,
        threads=threads,
        invitations=list(CoachThread.invitations_for(coach, local_today())),
    )
