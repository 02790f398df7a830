"""The team's weekly series for "How we are doing": the last 52 ISO weeks of each
measure, read from the weekly table (teamcase/models/measures.py) in two queries
however long the team's history, each with its chart and the experiments that
started from it as changes on that chart.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from teamcase.dates import format_day, local_today
from teamcase.measures.xmr import Change, Chart, xmr_chart
from teamcase.models import CauseGroup, Experiment, WeekFigure
from teamcase.models.measures import CAUSE, IN_CARE, WEEK, monday

WEEKS = 52


@dataclass(frozen=True)
class Measure:
    code: str
    group: str  # demand, flow, care
    title: object
    unit: object
    definition: object
    lower_bound: float | None = 0
    upper_bound: float | None = None  # 100 for a share in per cent


MEASURES = (
    Measure(
        "failure",
        "demand",
        _l("Failure demand"),
        _l("contacts"),
        _l("Incoming contacts caused by something we did not do, or did not do right, per week."),
    ),
    Measure(
        "value",
        "demand",
        _l("Value demand"),
        _l("contacts"),
        _l("Incoming contacts asking for what people need from us, per week."),
    ),
    Measure(
        "resolved",
        "demand",
        _l("Resolved at first contact"),
        _l("per cent"),
        _l(
            "Of the incoming contacts where we noted it, the share we resolved then and "
            "there, per week."
        ),
        upper_bound=100,
    ),
    Measure(
        "first_visit",
        "flow",
        _l("Days to a first visit"),
        _l("days"),
        _l(
            "Days from a referral coming in to our first visit, the average of the first "
            "visits made that week."
        ),
    ),
    Measure(
        "time_in_care",
        "flow",
        _l("Time in care at closing"),
        _l("days"),
        _l(
            "Days from the start of care to the closing, the average of the cases closed that week."
        ),
    ),
    Measure(
        "care_hours",
        "care",
        _l("Hours of care per person"),
        _l("hours"),
        _l(
            "Hours of visits, calls and messages in the week, divided by the people in "
            "our care at the week’s end."
        ),
    ),
    Measure(
        "continuity",
        "care",
        _l("Colleagues per person"),
        _l("colleagues"),
        _l(
            "How many different colleagues each person saw in the 30 days up to the "
            "week’s end, the average over the people we saw."
        ),
    ),
    Measure(
        IN_CARE,
        "care",
        _l("People in care"),
        _l("people"),
        _l("People in our care at the end of the week."),
    ),
)
BY_CODE = {m.code: m for m in MEASURES}
GROUPS = {
    "demand": _l("Demand: what people ask of us"),
    "flow": _l("Flow: how long people wait and stay"),
    "care": _l("Care: how we care"),
}


@dataclass
class Series:
    measure: Measure
    weeks: list[dt.date]
    values: list[float | None]
    chart: Chart
    experiments: list

    @property
    def code(self):
        return self.measure.code


@dataclass
class Cause:
    words: str  # the team's name for it
    counts: list[int]  # one a week
    written: list[str]  # the words the contacts were recorded with

    @property
    def total(self) -> int:
        return sum(self.counts)

    def last(self, weeks: int) -> int:
        return sum(self.counts[-weeks:])


def weeks(today: dt.date | None = None, count: int = WEEKS) -> list[dt.date]:
    """The Mondays of the `count` ISO weeks that end with this one, oldest first."""
    this = monday(today or local_today())
    return [this - WEEK * (count - 1 - i) for i in range(count)]


def labels(week_list) -> list[str]:
    return [format_day(w, "d MMM") for w in week_list]


def _mean(cell):
    return None if cell is None or not cell[1] else cell[0] / cell[1]


# What each measure's chart is drawn from in the weekly table.
SOURCES = {"care_hours": ("care_minutes", IN_CARE)}


def sources(codes) -> set[str]:
    """The rows of the weekly table that the charts of `codes` are drawn from."""
    return {source for code in codes for source in SOURCES.get(code, (code,))}


def shared_series(teams, today: dt.date | None = None, why=None) -> dict[int, list[Series]]:
    """{team id: the charts of the measures each team shares with its coach}, in
    the order of How we are doing, read in three queries however many teams."""
    today = today or local_today()
    first = weeks(today)[0]
    wanted = {team.id: team.shared_measures for team in teams}
    codes = {code for shared in wanted.values() for code in shared}
    rows = WeekFigure.of_teams([t.id for t in teams if wanted[t.id]], first, sources(codes))
    experiments: dict[int, list] = {}
    if codes:
        for experiment in (
            Experiment.select(
                Experiment.id,
                Experiment.team,
                Experiment.title,
                Experiment.measure,
                Experiment.week,
            )
            .where(
                Experiment.team.in_([t.id for t in teams if wanted[t.id]]),
                Experiment.measure.in_(list(codes)),
                Experiment.week.is_null(False),
            )
            .order_by(Experiment.week, Experiment.id)
        ):
            experiments.setdefault(experiment.team_id, []).append(experiment)
    found = {}
    for team in teams:
        shared = [m.code for m in MEASURES if m.code in wanted[team.id]]
        if not shared:
            found[team.id] = []
            continue
        figures = Figures(
            team, today, experiments=experiments.get(team.id, []), names={}, rows=rows[team.id]
        )
        found[team.id] = [figures.series(code, why) for code in shared]
    return found


def chart_experiments(team) -> list:
    """The team's experiments started from a chart, in one query."""
    return list(
        Experiment.select(Experiment.id, Experiment.title, Experiment.measure, Experiment.week)
        .where(
            Experiment.team == team,
            Experiment.measure != "",
            Experiment.week.is_null(False),
        )
        .order_by(Experiment.week, Experiment.id)
    )


class Figures:
    """Every series of one team for the last 52 weeks."""

    def __init__(
        self, team, today: dt.date | None = None, *, experiments=None, names=None, rows=None
    ):
        """`rows`: the team's weekly rows when they were read already, for several
        teams at once (`WeekFigure.of_teams`)."""
        self.team = team
        self.weeks = weeks(today)
        first = self.weeks[0]
        index = {w: i for i, w in enumerate(self.weeks)}
        cells: dict[str, list] = {}
        in_care: list[float | None] = [None] * len(self.weeks)
        carried = None
        for row in WeekFigure.of_team(team, first) if rows is None else rows:
            if row.measure == IN_CARE:
                if row.week < first:
                    carried = row.total
                elif row.week in index:
                    in_care[index[row.week]] = row.total
                continue
            if row.week in index:
                cells.setdefault(row.measure, [None] * len(self.weeks))[index[row.week]] = (
                    row.total,
                    row.count,
                )
        # People in care are stored for the weeks it changed: the others carry on.
        for i, value in enumerate(in_care):
            if value is None:
                in_care[i] = carried
            carried = in_care[i]
        self.in_care = in_care
        self.cells = cells
        self.cause_names = CauseGroup.names(team) if names is None else names
        self.experiments = chart_experiments(team) if experiments is None else experiments

    def _cells(self, code):
        return self.cells.get(code, [None] * len(self.weeks))

    def values(self, code) -> list[float | None]:
        if code in ("failure", "value"):
            return [cell[0] if cell else 0 for cell in self._cells(code)]
        if code == "resolved":
            return [None if m is None else round(m * 100, 1) for m in map(_mean, self._cells(code))]
        if code in ("first_visit", "time_in_care", "continuity"):
            return [None if m is None else round(m, 2) for m in map(_mean, self._cells(code))]
        if code == "care_hours":
            hours = []
            for cell, people in zip(self._cells("care_minutes"), self.in_care, strict=True):
                if not people:
                    hours.append(None)
                else:
                    hours.append(round((cell[0] if cell else 0) / 60 / people, 2))
            return hours
        if code == IN_CARE:
            return list(self.in_care)
        raise KeyError(code)

    def series(self, code, why=None) -> Series:
        """The chart of one measure; `why(experiment)` says why its limits start
        again where an experiment started (its title, unless told otherwise)."""
        measure = BY_CODE[code]
        values = self.values(code)
        first = self.weeks[0]
        experiments = [e for e in self.experiments if e.measure == code]
        why = why or (lambda experiment: str(experiment.title))
        changes = [
            Change((e.week - first).days // 7, why(e))
            for e in experiments
            if e.week <= self.weeks[-1]
        ]
        chart = xmr_chart(
            values, changes, lower_bound=measure.lower_bound, upper_bound=measure.upper_bound
        )
        return Series(measure, self.weeks, values, chart, experiments)

    def all(self) -> list[Series]:
        return [self.series(m.code) for m in MEASURES]

    def causes(self) -> list[Cause]:
        """Failure demand per cause, by the team's names for the causes (as written
        where it gave none): the most frequent first."""
        found: dict[str, Cause] = {}
        for measure, cells in self.cells.items():
            if measure.startswith(CAUSE):
                words = measure[len(CAUSE) :]
                name = self.cause_names.get(words, words)
                cause = found.setdefault(name, Cause(name, [0] * len(cells), []))
                cause.written.append(words)
                for i, cell in enumerate(cells):
                    cause.counts[i] += int(cell[0]) if cell else 0
        for cause in found.values():
            cause.written.sort(key=str.casefold)
        return sorted(found.values(), key=lambda c: (-c.total, c.words.casefold()))

    def csv_rows(self, code):
        """(week, value, sum, count) per week; for people in care sum is the value."""
        values = self.values(code)
        raw = {
            "care_hours": self._cells("care_minutes"),
            IN_CARE: [(v, 1) if v is not None else None for v in self.in_care],
        }.get(code, self._cells(code))
        for week, value, cell in zip(self.weeks, values, raw, strict=True):
            yield week, value, cell[0] if cell else 0, cell[1] if cell else 0
