"""How the requests went, for learning: the times the back office took, drawn as
process behaviour charts (teamcase.measures.xmr), never a target or a deadline.

The team sees its own requests, one value each in the order they were done (a
team asks a few times a month at most: weeks would be mostly empty). The back
office sees all teams' requests week by week over the last year: how many came
in, and the days to the first answer, to done and to the team's confirmation,
each without the time a request waited on the team.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from teamcase.dates import format_day, to_local
from teamcase.measures.weekly import WEEKS, labels, weeks
from teamcase.measures.xmr import Chart, xmr_chart
from teamcase.models import SupportRequest
from teamcase.models.measures import week_of

DAY = 86400


@dataclass
class TimesChart:
    code: str
    title: object
    unit: object
    definition: object
    chart: Chart
    labels: list[str]

    @property
    def count(self) -> int:
        return sum(1 for v in self.chart.values if v is not None)


def _days(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / DAY, 2)


def _first_day(today: dt.date | None) -> dt.date:
    return weeks(today)[0]


def of_team(team, today: dt.date | None = None) -> TimesChart:
    """The team's requests done in the last year, oldest first: days to done each."""
    since = dt.datetime.combine(_first_day(today), dt.time())
    done = [r for r in SupportRequest.finished_since(since, team=team) if r.to_done is not None]
    return TimesChart(
        "to_done",
        _l("Days from asking to done"),
        _l("days"),
        _l(
            "For each of our requests the back office marked done, in the order it did: "
            "the days from asking, without the days it waited on us."
        ),
        xmr_chart([_days(r.to_done) for r in done]),
        [format_day(to_local(r.done_at).date(), "d MMM") for r in done],
    )


def of_all_teams(today: dt.date | None = None) -> list[TimesChart]:
    """Every team's requests, week by week over the last year."""
    week_list = weeks(today, WEEKS)
    index = {week: i for i, week in enumerate(week_list)}
    since = dt.datetime.combine(week_list[0], dt.time())
    filed = [0] * len(week_list)
    sums = {code: [[0.0, 0] for _ in week_list] for code in ("first", "done", "confirmed")}

    def add(code, at, span):
        i = index.get(week_of(at)) if at is not None else None
        if i is not None and span is not None:
            sums[code][i][0] += _days(span)
            sums[code][i][1] += 1

    for (created_at,) in SupportRequest.filed_since(since):
        i = index.get(week_of(created_at))
        if i is not None:
            filed[i] += 1
    for r in SupportRequest.finished_since(since, answered=True):
        add("first", r.first_answer_at, r.to_first_answer)
        add("done", r.done_at, r.to_done)
        add("confirmed", r.closed_at, r.to_confirmation)

    def means(code):
        return [round(total / count, 2) if count else None for total, count in sums[code]]

    words = labels(week_list)
    return [
        TimesChart(
            "filed",
            _l("Requests that came in"),
            _l("requests"),
            _l("Requests the teams sent us, per week."),
            xmr_chart(filed),
            words,
        ),
        TimesChart(
            "first",
            _l("Days to the first answer"),
            _l("days"),
            _l(
                "From a team asking to our first question or answer, the average of the "
                "requests we first answered that week."
            ),
            xmr_chart(means("first")),
            words,
        ),
        TimesChart(
            "done",
            _l("Days to done"),
            _l("days"),
            _l(
                "From asking to done, without the days a request waited on the team, the "
                "average of the requests we marked done that week."
            ),
            xmr_chart(means("done")),
            words,
        ),
        TimesChart(
            "confirmed",
            _l("Days to the team's confirmation"),
            _l("days"),
            _l(
                "From asking to the team confirming it done, without the days it waited on "
                "the team, the average of the requests confirmed that week."
            ),
            xmr_chart(means("confirmed")),
            words,
        ),
    ]
