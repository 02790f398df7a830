"""A process behaviour chart drawn on the server as SVG, with its table and the
plain words for each signal: what the macro `xmr` in
`templates/measures/_chart.html` shows.

`figure(chart, labels)` places everything (the picture is WIDTH × HEIGHT units and
scales with its viewBox); the template only writes it out. The chart is drawn in
ink and grey only: a signal is a distinct shape with a number ("signal 1") that
the list under the chart explains, never a colour, and there is no target line.
Centre lines are solid, trial limits finely dashed, fixed limits long-dashed; a
bracket above the values says which weeks the limits come from, and a change
(new limits) is a vertical line with its reason.

`figure(chart, labels, SMALL_FRAME)` places the same chart smaller, for a row
of the coach's page (the macro `xmr_small`): the same lines, dots and shapes, the
signals numbered, but no words above the plot; what they would say is in the
picture's description and the sentences under it.

`init_app(app)` makes the macro's template folder and `xmr_figure` available to
every template.
"""

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

from babel.numbers import format_decimal as babel_decimal
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader, FileSystemLoader

from teamcase.measures.xmr import Chart, Segment, Signal
from teamcase.network.textwidth import width as text_width

TEMPLATES = Path(__file__).with_name("templates")

# The picture is 800 units wide. In the page on a portrait tablet (768 px) it is
# drawn about 690 px wide, so 17 units are 14.7 px; on a 1920 px screen at most
# 1000 px wide (17 units: 21 px, readable across a meeting room); printed 17 cm
# wide, 17 units are 10 pt.
WIDTH, HEIGHT = 800, 390
LEFT, RIGHT, TOP, BOTTOM = 62, 734, 76, 340  # the plot area
TEXT, SMALL = 18, 17  # sizes of the axis and of the words in the picture
CHANGE_Y, BASELINE_Y = 22, 50  # baselines of the two rows of words above the plot
DOT, MARK = 4.5, 9  # radius of a value's dot and half the size of a signal's shape

# Which shape marks a value that is part of a signal, the strongest rule first.
SHAPES = ("beyond", "three_of_four", "run_of_8")

# What each detection rule means, in words a team meeting reads next to the chart.
RULE_TEXT = {
    "beyond": _l(
        "A value beyond a limit: it is outside the usual ups and downs of this "
        "figure. Something out of the ordinary happened that week; find out what."
    ),
    "run_of_8": _l(
        "Eight or more values in a row on the same side of the centre line: no single "
        "week stands out, but the level itself has shifted. Something changed, weakly "
        "but steadily."
    ),
    "three_of_four": _l(
        "Three out of four values in a row closer to a limit than to the centre line, "
        "on the same side: a moderate change that lasts, smaller than a value beyond a "
        "limit but more than chance."
    ),
}
# The rule in a few words, for the legend and the table.
RULE_NAME = {
    "beyond": _l("beyond a limit"),
    "run_of_8": _l("eight in a row on one side"),
    "three_of_four": _l("three of four near a limit"),
}
# Where on the chart the signal is.
RULE_SIDE = {
    ("beyond", "above"): _l("above the upper limit"),
    ("beyond", "below"): _l("below the lower limit"),
    ("run_of_8", "above"): _l("above the centre line"),
    ("run_of_8", "below"): _l("below the centre line"),
    ("three_of_four", "above"): _l("near the upper limit"),
    ("three_of_four", "below"): _l("near the lower limit"),
}


def number(value: float | None) -> str:
    """A figure as the reader's language writes it, to at most two decimals."""
    if value is None:
        return ""
    return _formatted(round(value, 2), str(get_locale() or "en"))


@functools.lru_cache(maxsize=4096)
def _formatted(value: float, locale: str) -> str:
    # A page of charts writes thousands of figures, most of them the same few.
    return babel_decimal(value, "#,##0.##", locale=locale)


@dataclass(frozen=True)
class Frame:
    """Where the parts of a chart go, in the picture's units."""

    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP
    bottom: float = BOTTOM
    text: float = TEXT
    small: float = SMALL
    dot: float = DOT
    mark: float = MARK
    unit_x: float = 20  # the baseline of the unit, written up the left edge
    # The rows of words above the plot (new limits and why, which weeks the limits
    # come from) and "signal 1" beside a signal; without them a signal is a number.
    words: bool = True
    steps: int = 5  # at most this many intervals on the value axis
    table: bool = True  # the figures as a table beside the picture


FULL = Frame()
# A row of the coach's page shows two or three side by side, each drawn 300-360 px
# wide on a tablet: 16 units are then 12-14 px.
SMALL_FRAME = Frame(
    width=400,
    height=190,
    left=46,
    right=344,
    top=16,
    bottom=158,
    text=16,
    small=16,
    dot=3,
    mark=6,
    unit_x=14,
    words=False,
    steps=3,
    table=False,
)


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str  # centre, fixed, trial, change, bracket, grid


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    kind: str = "note"  # note, axis, signal, limit


@dataclass
class Mark:
    """A value that is part of a signal: the shape of its strongest rule."""

    x: float
    y: float
    rule: str
    path: str


@dataclass
class Row:
    label: str
    value: str
    centre: str
    lower: str
    upper: str
    signals: str


@dataclass
class SignalNote:
    number: int
    heading: str
    explanation: str
    rule: str


@dataclass
class Figure:
    frame: Frame = FULL
    lines: list[Line] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # the values, one path between gaps
    dots: list[tuple[float, float]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    signals: list[SignalNote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the limits, per segment
    rules: list[str] = field(default_factory=list)  # the rules shown, for the legend
    limit_kinds: list[str] = field(default_factory=list)  # "trial", "fixed" present
    description: str = ""

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def middle(self) -> float:
        """Of the value axis, where its unit is written."""
        return (self.frame.top + self.frame.bottom) / 2


def shape(rule: str, x: float, y: float, size: float = MARK) -> str:
    """The SVG path of a signal's shape at (x, y): a diamond for a value beyond a
    limit, a triangle for three of four near a limit, a square for a run."""
    if rule == "beyond":
        s = size * 1.25
        return f"M{x:.1f} {y - s:.1f}L{x + s:.1f} {y:.1f}L{x:.1f} {y + s:.1f}L{x - s:.1f} {y:.1f}Z"
    if rule == "three_of_four":
        s = size * 1.15
        return f"M{x:.1f} {y - s:.1f}L{x + s:.1f} {y + s * 0.8:.1f}L{x - s:.1f} {y + s * 0.8:.1f}Z"
    s = size * 0.85
    return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"


def _nice_step(span: float, most: int = 5) -> float:
    """A round step (1, 2 or 5 × a power of ten) giving at most `most` intervals."""
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _scale(chart: Chart, most: int = 5) -> tuple[float, float, float]:
    """(bottom, top, step) of the value axis: every value, centre line and limit fits."""
    figures = [v for v in chart.values if v is not None]
    for s in chart.segments:
        figures.extend(f for f in (s.centre, s.lower, s.upper) if f is not None)
    if not figures:
        return 0.0, 1.0, 0.5
    low, high = min(figures), max(figures)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _nice_step(high - low, most)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    bound = chart.lower_bound
    if bound is not None and bottom < bound <= min(figures):
        # A count cannot fall below 0: the axis starts there, not at -1.
        bottom = bound
    return bottom, top, step


def _fit(text: str, size: float, room: float) -> str:
    """`text`, cut with an ellipsis where it is wider than `room`."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def figure(chart: Chart, labels, frame: Frame = FULL) -> Figure:
    """Everything the macro draws for `chart`, with `labels[i]` naming value i."""
    labels = [str(label) for label in labels]
    if len(labels) != len(chart.values):
        raise ValueError(f"{len(labels)} labels for {len(chart.values)} values")
    f = frame
    fig = Figure(frame=f)
    n = len(chart.values)
    slot = (f.right - f.left) / max(n, 1)
    low, high, step = _scale(chart, f.steps)

    def x(i: float) -> float:
        return f.left + (i + 0.5) * slot

    def y(v: float) -> float:
        return f.bottom - (v - low) / (high - low) * (f.bottom - f.top)

    _axes(fig, labels, low, high, step, x, y, slot)
    numbers = {signal: k for k, signal in enumerate(_in_order(chart.signals), start=1)}
    _limits(fig, chart, labels, x, y, slot)
    _values(fig, chart, numbers, x, y)
    _table(fig, chart, labels, numbers)
    fig.description = _description(chart, labels)
    return fig


def _in_order(signals) -> list[Signal]:
    return sorted(signals, key=lambda s: (s.indexes[0], SHAPES.index(s.rule)))


def _axes(fig, labels, low, high, step, x, y, slot):
    f = fig.frame
    count = round((high - low) / step)
    for k in range(count + 1):
        value = low + k * step
        fig.lines.append(Line(f.left, y(value), f.right, y(value), "grid"))
        fig.texts.append(Text(f.left - 8, y(value) + f.text * 0.35, number(value), "end", "axis"))
    if not labels:
        return
    # Every k-th week is named, so that the names never touch.
    widest = max(text_width(label, f.small) for label in labels) + 12
    every = max(1, math.ceil(widest / slot))
    for i in range(0, len(labels), every):
        anchor = "start" if i == 0 and every > 1 else "middle"
        at = x(i) - slot / 2 if anchor == "start" else x(i)
        fig.texts.append(Text(at, f.bottom + f.text * 1.45, labels[i], anchor, "axis"))


def _limits(fig, chart, labels, x, y, slot):
    f = fig.frame
    rows: dict[float, list[tuple[float, float]]] = {CHANGE_Y: [], BASELINE_Y: []}
    for segment in chart.segments:
        left, right = x(segment.start) - slot / 2, x(segment.end - 1) + slot / 2
        sentences = []
        if segment.why:
            fig.lines.append(Line(left, f.top - (12 if f.words else 0), left, f.bottom, "change"))
            if f.words:
                note = _("New limits: %(why)s", why=segment.why)
                _place(fig, rows[CHANGE_Y], CHANGE_Y, note, left + 6, left - 6)
            sentences.append(
                _(
                    "From %(label)s new limits: %(why)s.",
                    label=labels[segment.start],
                    why=segment.why.rstrip("."),
                )
            )
        if segment.centre is not None:
            fig.lines.append(Line(left, y(segment.centre), right, y(segment.centre), "centre"))
        if not segment.has_limits:
            sentences.append(
                _(
                    "Too few weeks with a value for limits yet: they come once there are 6.",
                )
            )
            fig.notes.append(" ".join(sentences))
            continue
        kind = "fixed" if segment.fixed else "trial"
        if kind not in fig.limit_kinds:
            fig.limit_kinds.append(kind)
        if not segment.clipped_upper:
            fig.lines.append(Line(left, y(segment.upper), right, y(segment.upper), kind))
        if not segment.clipped:
            fig.lines.append(Line(left, y(segment.lower), right, y(segment.lower), kind))
        sentences.append(_baseline(fig, chart, segment, labels, x, slot, rows[BASELINE_Y]))
        if segment.clipped:
            sentences.append(
                _(
                    "No lower limit: the usual variation reaches down to %(bound)s.",
                    bound=number(segment.lower),
                )
            )
        if segment.clipped_upper:
            sentences.append(
                _(
                    "No upper limit: the usual variation reaches up to %(bound)s.",
                    bound=number(segment.upper),
                )
            )
        fig.notes.append(" ".join(sentences))
    last = chart.segments[-1] if chart.segments else None
    if last is not None and last.centre is not None:
        # The last figures beside the right edge, where the eye reads on.
        placed = []
        upper = None if last.clipped_upper else last.upper
        for value in (upper, last.centre, None if last.clipped else last.lower):
            if value is None or any(abs(y(value) - p) < f.small for p in placed):
                continue
            placed.append(y(value))
            fig.texts.append(
                Text(f.right + 6, y(value) + f.small * 0.35, number(value), kind="limit")
            )


def _place(fig, taken, row_y, text, start, end):
    """Writes `text` in the row of words at `row_y`: from `start` rightwards if it
    fits there, else up to `end` leftwards, else cut to the room on the right;
    `taken` holds the stretches of the row already written."""
    wide = text_width(text, SMALL)

    def free(a, b):
        return a >= 4 and b <= WIDTH - 4 and all(b < t0 or a > t1 for t0, t1 in taken)

    if free(start, start + wide):
        span, anchor, at = (start, start + wide), "start", start
    elif free(end - wide, end):
        span, anchor, at = (end - wide, end), "end", end
    else:
        # Cut to whichever side has more room.
        right = min([t0 - 8 for t0, _t1 in taken if t0 > start] + [WIDTH - 4]) - start
        left = end - max([t1 + 8 for _t0, t1 in taken if t1 < end] + [4])
        if right >= left:
            text = _fit(text, SMALL, right)
            span, anchor, at = (start, start + text_width(text, SMALL)), "start", start
        else:
            text = _fit(text, SMALL, left)
            span, anchor, at = (end - text_width(text, SMALL), end), "end", end
    taken.append(span)
    fig.texts.append(Text(at, row_y, text, anchor, "note"))


def _baseline(fig, chart, segment: Segment, labels, x, slot, taken) -> str:
    """Draws the bracket over the weeks the limits come from; says so in a sentence."""
    first = next(i for i in range(segment.start, segment.end) if chart.values[i] is not None)
    start, end = x(first) - slot / 2 + 2, x(segment.baseline_end) + slot / 2 - 2
    if fig.frame.words:
        fig.lines.append(Line(start, BASELINE_Y + 8, end, BASELINE_Y + 8, "bracket"))
        fig.lines.append(Line(start, BASELINE_Y + 3, start, BASELINE_Y + 13, "bracket"))
        fig.lines.append(Line(end, BASELINE_Y + 3, end, BASELINE_Y + 13, "bracket"))
    count = segment.baseline_count
    first_label, last_label = labels[first], labels[segment.baseline_end]
    if segment.fixed:
        short = ngettext("limits fixed from %(num)d week", "limits fixed from %(num)d weeks", count)
        sentence = _(
            "Limits fixed from the %(count)s weeks %(first)s to %(last)s.",
            count=count,
            first=first_label,
            last=last_label,
        )
    else:
        short = ngettext("trial limits from %(num)d week", "trial limits from %(num)d weeks", count)
        sentence = _(
            "Trial limits from the %(count)s weeks %(first)s to %(last)s: they move as "
            "weeks come in, and are fixed once there are 12.",
            count=count,
            first=first_label,
            last=last_label,
        )
    if fig.frame.words:
        _place(fig, taken, BASELINE_Y, short, start, end)
    return sentence


def _values(fig, chart, numbers, x, y):
    f = fig.frame
    path = []
    for i, value in enumerate(chart.values):
        if value is None:
            if path:
                fig.paths.append("".join(path))
            path = []
            continue
        path.append(f"{'L' if path else 'M'}{x(i):.1f} {y(value):.1f}")
        rules = {s.rule for s in chart.signals_at(i)}
        rule = next((r for r in SHAPES if r in rules), None)
        if rule is None:
            fig.dots.append((x(i), y(value)))
        else:
            fig.marks.append(Mark(x(i), y(value), rule, shape(rule, x(i), y(value), f.mark)))
            if rule not in fig.rules:
                fig.rules.append(rule)
    if path:
        fig.paths.append("".join(path))
    fig.rules.sort(key=SHAPES.index)
    # Each signal's number above its highest value, or below it near the top.
    taken: list[tuple[float, float]] = []
    apart = 80 if f.words else 24  # how far along two numbers must be
    for signal, k in numbers.items():
        tops = [(y(chart.values[i]), i) for i in signal.indexes]
        top, i = min(tops)
        middle = sum(x(j) for j in signal.indexes) / len(signal.indexes)
        text = _("signal %(number)s", number=k) if f.words else str(k)
        # Below the bracket over the baseline; in a small chart, below the top edge.
        highest = BASELINE_Y + 16 + f.small if f.words else f.small
        lift = f.mark + (10 if f.words else 4)
        below = top + f.mark + (22 if f.words else f.small + 2)
        at_y = top - lift if top - lift >= highest else below
        # Up, clear of another signal's number; along, where the top is reached.
        while any(abs(at_y - ty) < f.small + 2 and abs(middle - tx) < apart for tx, ty in taken):
            if at_y - f.small - 4 >= highest:
                at_y -= f.small + 4
            else:
                middle += apart
        taken.append((middle, at_y))
        edge = apart * 0.75
        anchor = "middle"
        if middle > f.right - edge:
            anchor = "end"
        elif middle < f.left + edge:
            anchor = "start"
        fig.texts.append(Text(middle, at_y, text, anchor, "signal"))


def _span(labels, indexes) -> str:
    first, last = labels[indexes[0]], labels[indexes[-1]]
    return first if first == last else _("%(first)s to %(last)s", first=first, last=last)


def _table(fig, chart, labels, numbers):
    # A small chart has no table of its own: its full chart has.
    for i, value in enumerate(chart.values if fig.frame.table else ()):
        centre, lower, upper, segment = chart.point(i)
        here = [
            _("signal %(number)s: %(rule)s", number=numbers[s], rule=RULE_NAME[s.rule])
            for s in _in_order(chart.signals_at(i))
        ]
        fig.rows.append(
            Row(
                label=labels[i],
                value=_("no value") if value is None else number(value),
                centre=number(centre),
                lower="" if segment.clipped else number(lower),
                upper="" if segment.clipped_upper else number(upper),
                signals="; ".join(here),
            )
        )
    for signal, k in numbers.items():
        count = len(signal.indexes)
        fig.signals.append(
            SignalNote(
                number=k,
                heading=ngettext(
                    "Signal %(number)s, %(span)s: a value %(where)s.",
                    "Signal %(number)s, %(span)s: %(num)d values %(where)s.",
                    count,
                    number=k,
                    span=_span(labels, signal.indexes),
                    where=RULE_SIDE[(signal.rule, signal.side)],
                ),
                explanation=str(RULE_TEXT[signal.rule]),
                rule=signal.rule,
            )
        )


def _description(chart: Chart, labels) -> str:
    """The chart in sentences, for a screen reader (the picture's <desc>)."""
    if not labels:
        return _("No weeks to show yet.")
    parts = [_("Weekly values from %(first)s to %(last)s.", first=labels[0], last=labels[-1])]
    for segment in chart.segments:
        if segment.why:
            parts.append(
                _(
                    "From %(label)s, new limits: %(why)s.",
                    label=labels[segment.start],
                    why=segment.why,
                )
            )
        if segment.has_limits and segment.clipped and segment.clipped_upper:
            parts.append(
                _(
                    "Centre line %(centre)s, no upper and no lower limit.",
                    centre=number(segment.centre),
                )
            )
        elif segment.has_limits and segment.clipped_upper:
            parts.append(
                _(
                    "Centre line %(centre)s, lower limit %(lower)s, no upper limit.",
                    centre=number(segment.centre),
                    lower=number(segment.lower),
                )
            )
        elif segment.has_limits and segment.clipped:
            parts.append(
                _(
                    "Centre line %(centre)s, upper limit %(upper)s, no lower limit.",
                    centre=number(segment.centre),
                    upper=number(segment.upper),
                )
            )
        elif segment.has_limits:
            parts.append(
                _(
                    "Centre line %(centre)s, limits %(lower)s and %(upper)s.",
                    centre=number(segment.centre),
                    lower=number(segment.lower),
                    upper=number(segment.upper),
                )
            )
        elif segment.centre is not None:
            parts.append(_("Centre line %(centre)s, no limits yet.", centre=number(segment.centre)))
    count = len(chart.signals)
    if count:
        parts.append(
            ngettext(
                "%(num)d signal, explained below the chart.",
                "%(num)d signals, explained below the chart.",
                count,
            )
        )
    elif any(s.has_limits for s in chart.segments):
        parts.append(_("No signals: every value is within the usual variation."))
    return " ".join(parts)


def init_app(app) -> None:
    """Templates can import "measures/_chart.html" and call `xmr_figure`. The
    folder is added to the app's own loader, not through a blueprint: the
    macro belongs to no page of its own."""
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(TEMPLATES)])
    app.jinja_env.globals.update(
        xmr_figure=figure,
        xmr_small_frame=SMALL_FRAME,
        xmr_rule_text=RULE_TEXT,
        xmr_rule_name=RULE_NAME,
        xmr_shape=lambda rule: shape(rule, 12, 12, 8),
    )
