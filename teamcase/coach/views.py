"""The coach's view: the teams that linked them, read-only, without people's details;
each team's row with small charts of the measures the team shares with her."""

import threading
from collections import OrderedDict

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from teamcase import access, pagecache
from teamcase.coach.figures import team_overview
from teamcase.dates import ago_text, local_today, short_day_text
from teamcase.i18n import N_
from teamcase.measures import weekly
from teamcase.models import CoachLink, CoachThread
from teamcase.privacy import Viewer
from teamcase.web import render

bp = Blueprint("coach", __name__, template_folder="templates", url_prefix="/coach")

# The read-only pages of a team she may open, in the order the page lists them.
TEAM_PAGES = (
    ("plan.team_week", "week"),
    ("board.team", "board"),
    ("decisions.team_log", "decisions"),
    ("learning.team_page", "learning"),
    ("measures.team_page", "measures"),
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


# The small charts of each team, drawn once per worker until the team's data
# changes (its stamp, teamcase/changes.py), it shares other measures, or a new
# week begins: a coach of 50 teams draws 150 charts, several times what the rest
# of her page costs, and most teams have not changed since she last looked.
_DRAWN: OrderedDict = OrderedDict()
DRAWN_KEPT = 512
_drawing = threading.Lock()


def _unnamed(experiment):
    # An experiment's title is the team's own text, and masking it needs the
    # team's names (a query per team): here it says only that one started.
    return _("an experiment of the team")


def small_charts(teams, today) -> dict[int, Markup]:
    """{team id: the small charts of the measures it shares}, drawn or kept: the
    teams not drawn yet are read together, in three queries however many."""
    this_week = weekly.weeks(today)[-1]
    locale = str(get_locale())

    def key(team):
        return (team.id, team.changed, team.coach_measures, locale, this_week)

    found, missing = {}, []
    with _drawing:
        for team in teams:
            if not team.shared_measures:
                found[team.id] = Markup("")
                continue
            drawn = _DRAWN.get(key(team))
            if drawn is None:
                missing.append(team)
            else:
                _DRAWN.move_to_end(key(team))
                found[team.id] = drawn
    if not missing:
        return found
    series = weekly.shared_series(missing, today, why=_unnamed)
    labels = weekly.labels(weekly.weeks(today))
    drawn = {
        team.id: Markup(
            render_template("coach/_charts.html", team=team, series=series[team.id], labels=labels)
        )
        for team in missing
    }
    with _drawing:
        for team in missing:
            _DRAWN[key(team)] = drawn[team.id]
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return found | drawn


@bp.route("/")
@login_required
def home():
    coach = access.coach()
    # Rendered once for as long as none of her teams changed (teamcase/pagecache.py):
    # she opens it every morning and between her visits, and 50 teams' figures take
    # several times what a page of one team does.
    return pagecache.page(lambda: _home(coach), stamp=CoachLink.stamps(coach))


def _home(coach):
    overview = team_overview(coach)
    # 40-50 teams: each sentence and link is looked up once per page, and each
    # row fills in its own figures.
    said = get_translations().ugettext
    in_care, oldest, pages_of = said(IN_CARE), said(OLDEST), said(PAGES_OF)
    days = _Once(lambda day: short_day_text(day) if day else "")
    waited = _Once(lambda count: oldest % {"ago": ago_text(count)} if count is not None else "")
    links = {name: url_for(endpoint, team_id=_ID) for endpoint, name in TEAM_PAGES}
    charts = small_charts([row.team for row in overview], local_today())
    for row in overview:
        row.charts = charts[row.team.id]
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
