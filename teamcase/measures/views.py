"""How we are doing: the team's own weekly figures as process behaviour charts,
for learning in the team meeting, never for targets.

  GET  /measures/                  the charts of the last 52 weeks (members)
  GET  /measures/teams/<team_id>   the measures the team shares, for its linked coach
  GET  /measures/<code>.csv        one series, week by week
  GET  /measures/causes.csv        failure demand per cause, week by week
  GET  /measures/causes            the team's causes, as options for the contact form
  POST /measures/causes/rename     rename a cause, or merge it into another

A linked coach reads the measures the team shares with her (the team chooses
them in its details), read-only: team totals, experiments' titles through the
privacy rule, no downloads. Everything else here is the team's: she gets 403.
"""

import csv
import io
import re
import threading
from collections import OrderedDict

from flask import Blueprint, abort, flash, render_template, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from teamcase import access, omaha, pagecache
from teamcase.dates import format_day, local_now, local_today
from teamcase.measures import weekly
from teamcase.measures.forms import CauseForm
from teamcase.measures.omaha import caseload_omaha
from teamcase.measures.outcomes import admissions_by_month, goals_by_month, network_growth
from teamcase.measures.selfreliance import caseload_self_reliance
from teamcase.measures.shares import figure as shares_figure
from teamcase.models import CauseGroup, WeekFigure
from teamcase.network.resources import _escape
from teamcase.web import render, see_other

bp = Blueprint("measures", __name__, template_folder="templates", url_prefix="/measures")


# Drawn charts, per worker: a team's page is the same until its figures, its
# experiments from a chart or its names for causes change (a new key), or a new
# week begins. Drawing eight charts costs several times what the page costs
# without them, so a meeting that opens the page again pays it once.
_DRAWN: OrderedDict = OrderedDict()
DRAWN_KEPT = 32
_drawing = threading.Lock()


def _drawn(team, today):
    """{code: the chart's HTML} and the causes, drawn or kept."""
    experiments = weekly.chart_experiments(team)
    names = CauseGroup.names(team)
    key = (
        team.id,
        str(get_locale()),
        weekly.weeks(today)[-1],
        WeekFigure.stamp(team),
        tuple((e.id, e.title, e.measure, e.week) for e in experiments),
        tuple(sorted(names.items())),
    )
    with _drawing:
        found = _DRAWN.get(key)
        if found is not None:
            _DRAWN.move_to_end(key)
            return found
    figures = weekly.Figures(team, today, experiments=experiments, names=names)
    labels = weekly.labels(figures.weeks)
    charts = {
        s.code: Markup(render_template("measures/_series.html", series=s, labels=labels))
        for s in figures.all()
    }
    found = (charts, figures.causes())
    with _drawing:
        _DRAWN[key] = found
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return found


def _page(team, cause_form=None, status=200):
    today = local_today()
    charts, causes = _drawn(team, today)
    if cause_form is None:
        cause_form = CauseForm(formdata=None)
    cause_form.offer([c.words for c in causes])
    return render(
        "measures/index.html",
        status=status,
        cause_form=cause_form,
        team=team,
        groups=[
            (code, title, [m for m in weekly.MEASURES if m.group == code])
            for code, title in weekly.GROUPS.items()
        ],
        charts=charts,
        shared=[weekly.BY_CODE[code] for code in team.shared_measures if code in weekly.BY_CODE],
        causes=causes,
        goals=goals_by_month(team, today),
        admissions=admissions_by_month(team, today),
        network=network_growth(team, today),
        **_self_reliance(team, today),
        omaha=caseload_omaha(team) if team.uses_omaha else None,
        omaha_source=omaha.SOURCE,
        today=today,
    )


def _self_reliance(team, today) -> dict:
    """Who does what across the caseload, per month: for a team that keeps it."""
    if not team.uses_self_reliance:
        return {"self_reliance": None}
    found = caseload_self_reliance(team, today)
    labels = [format_day(point.day, "MMM y") for point in found.points]
    return {"self_reliance": found, "self_reliance_figure": shares_figure(found.points, labels)}


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    # Kept as rendered until the team's data or the day changes (teamcase/pagecache.py):
    # the team meeting opens it again and again on the shared screen.
    return pagecache.page(lambda: _page(team))


@bp.route("/teams/<int:team_id>")
@login_required
def team_page(team_id):
    viewer = access.team_viewer(team_id)
    if viewer.can_change:
        return _page(viewer.team)
    team, today = viewer.team, local_today()
    series = weekly.shared_series([team], today, why=lambda e: viewer.text(e.title))[team.id]
    return render(
        "measures/shared.html",
        team=team,
        viewer=viewer,
        series=series,
        labels=weekly.labels(weekly.weeks(today)),
    )


@bp.route("/causes/rename", methods=["POST"])
@login_required
def rename_cause():
    team = access.member_team()
    form = CauseForm()
    form.offer([c.words for c in weekly.Figures(team).causes()])
    if not form.validate():
        return _page(team, form, status=400)
    CauseGroup.rename(
        team, current_user._get_current_object(), form.words.data, form.counted_as.data
    )
    flash(
        _(
            "“%(words)s” now counts as “%(name)s”.",
            words=form.words.data,
            name=form.counted_as.data,
        ),
        "success",
    )
    return see_other("measures.index", _anchor="causes")


def _csv(team, name, header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_escape(value) if isinstance(value, str) else value for value in row])
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    slug = re.sub(r"\W+", "-", team.name.casefold()).strip("-") or "team"
    response = send_file(
        io.BytesIO(data),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"{name}-{slug}-{local_now():%Y-%m-%d}.csv",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _number(value):
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


@bp.route("/causes")
@login_required
def cause_options():
    """The failure demand causes the team has used, for the contact form to offer."""
    team = access.member_team()
    return render("measures/_cause_options.html", causes=WeekFigure.causes(team))


@bp.route("/causes.csv")
@login_required
def causes_csv():
    team = access.member_team()
    figures = weekly.Figures(team)
    causes = figures.causes()
    header = [_("week"), *[c.words or _("no reason written") for c in causes]]
    rows = (
        [week.isoformat(), *[c.counts[i] for c in causes]] for i, week in enumerate(figures.weeks)
    )
    return _csv(team, "failure-demand-causes", header, rows)


@bp.route("/<code>.csv")
@login_required
def series_csv(code):
    team = access.member_team()
    if code not in weekly.BY_CODE:
        abort(404)
    figures = weekly.Figures(team)
    header = [_("week"), _("value"), _("sum"), _("count")]
    rows = (
        [week.isoformat(), _number(value), _number(total), count]
        for week, value, total, count in figures.csv_rows(code)
    )
    return _csv(team, code.replace("_", "-"), header, rows)
