"""Process behaviour charts (XmR charts): which ups and downs of a weekly figure are
the usual variation of the way the team works, and which are signals that
something changed.

statprocon computes the figures: the centre line (the average of the baseline),
the natural process limits (centre ± 2.66 × the average moving range) and the
upper limit of the moving ranges (3.268 × the average moving range), and it
applies the detection rules. This module decides which values each computation
sees, as the team meeting reads the chart:

Baselines. The limits come from a baseline of the segment's first values:
- fewer than 2 values: nothing to compute, no centre line;
- 2 to 5 values: a centre line (their average) but no limits: too few values to
  say what the usual variation is, so no value is a signal yet;
- 6 to 11 values: trial limits from all of them, recomputed as each week comes in;
- 12 or more: limits fixed from the first 12 (`Segment.fixed`), so that a later
  shift shows up against them instead of dragging them along.
A change (an experiment started, a new way of working) starts a new segment with a
baseline of its own, counted the same way.

Gaps. A week without a value (None) is left out: the baseline counts values, not
weeks, and the moving range after a gap is taken between the values either side
of it. The chart draws the gap.

Lower bound. A count or a number of days cannot fall below 0; when the lower
limit would, it is set at the bound (`Segment.clipped`) and there is in effect no
lower limit: no value can fall beyond it, and the three-of-four rule looks only at
the upper side (Wheeler: with no lower limit there is no region near it). A share
in per cent cannot rise above 100: the same holds at the top (`clipped_upper`).

Detection rules, applied within a segment, to all its values (baseline included),
as statprocon implements them after Wheeler (Understanding Variation, 2000; Making
Sense of Data, 2003):
- "beyond": a value above the upper or below the lower natural process limit
  (a value exactly on a limit is not beyond it);
- "run_of_8": eight or more successive values on the same side of the centre line
  (a value exactly on the line neither breaks nor extends the run, and is not
  marked);
- "three_of_four": three out of four successive values beyond the halfway line
  between the centre line and a limit on the same side, that is in the outer
  quarter of the band between the limits; the values marked are the ones beyond the
  halfway line (statprocon also flags the fourth value of the window).
Consecutive values that meet a rule on the same side form one signal.

Plain dataclasses, no Flask: `teamcase.measures.charts` draws a chart and says in
words what each rule means.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from statprocon import XmR

CENTRE_FROM = 2  # values before a segment has a centre line
TRIAL_FROM = 6  # values before it has (trial) limits
FIXED_AT = 12  # values its limits are fixed from

RULES = ("beyond", "run_of_8", "three_of_four")
ABOVE, BELOW = "above", "below"


@dataclass(frozen=True)
class Change:
    """The limits start again at value `index` (a week), for the reason `why`.

    An index before the first value counts as the first (the whole series comes
    after it); one past the last value has nothing to apply to yet and is left
    out. Changes at the same index are one change, their reasons joined."""

    index: int
    why: str


@dataclass(frozen=True)
class Signal:
    """Values that together meet one detection rule (see RULES), on one side of
    the centre line ("above" or "below")."""

    rule: str
    indexes: tuple[int, ...]
    side: str = ABOVE


@dataclass(frozen=True)
class Segment:
    """Values `start` up to, not including, `end` (as in range()), with limits of
    their own.

    `centre` is None with fewer than 2 values; `lower`, `upper` and `mr_upper`
    are None with fewer than 6. `fixed`: the limits come from the first 12 values
    and no longer move; otherwise they are trial limits from all the values so
    far. `baseline_end` is the index of the last value the limits come from.
    `clipped`: the lower limit would fall below the natural bound and is set at it;
    `clipped_upper`: the upper limit would rise above it (a share beyond 100 %).
    `why` is "" for the first segment, else the reason of the change that began it.
    """

    start: int
    end: int
    centre: float | None
    lower: float | None
    upper: float | None
    mr_upper: float | None
    fixed: bool
    why: str
    baseline_end: int | None = None
    baseline_count: int = 0
    clipped: bool = False
    clipped_upper: bool = False

    @property
    def has_limits(self) -> bool:
        return self.upper is not None


@dataclass(frozen=True)
class Chart:
    values: tuple[float | None, ...]
    segments: tuple[Segment, ...]
    signals: tuple[Signal, ...]
    # The value no figure can fall below (0 for a count), or None.
    lower_bound: float | None = None
    # The value no figure can rise above (100 for a share in per cent), or None.
    upper_bound: float | None = None

    def segment_of(self, i: int) -> Segment:
        for segment in self.segments:
            if segment.start <= i < segment.end:
                return segment
        raise IndexError(f"no value {i} in a chart of {len(self.values)}")

    def point(self, i: int) -> tuple[float | None, float | None, float | None, Segment]:
        """(centre, lower, upper, segment) at value i."""
        segment = self.segment_of(i)
        return segment.centre, segment.lower, segment.upper, segment

    def signals_at(self, i: int) -> tuple[Signal, ...]:
        return tuple(signal for signal in self.signals if i in signal.indexes)


def xmr_chart(
    values: Sequence[float | None],
    changes: Sequence[Change] = (),
    *,
    lower_bound: float | None = 0,
    upper_bound: float | None = None,
) -> Chart:
    """The chart of `values` (one a week, None where there is none), with new
    limits from each of `changes`; a lower limit below `lower_bound` is set at
    it, and an upper limit above `upper_bound` (None: the figure has no natural
    bound on that side)."""
    values = tuple(None if v is None else float(v) for v in values)
    whys: dict[int, list[str]] = {}
    # The latest change before the series is the one its first values follow.
    before = [c for c in changes if c.index <= 0]
    if before:
        latest = max(c.index for c in before)
        whys[0] = [c.why for c in before if c.index == latest]
    for change in sorted(changes, key=lambda c: c.index):
        if 0 < change.index < len(values):
            whys.setdefault(change.index, []).append(change.why)
    starts = sorted({0, *whys}) if values else []
    bounds = list(zip(starts, [*starts[1:], len(values)], strict=False))
    segments, signals = [], []
    for start, end in bounds:
        why = "; ".join(whys.get(start, []))
        segment, found = _segment(values, start, end, why, (lower_bound, upper_bound))
        segments.append(segment)
        signals.extend(found)
    return Chart(
        values=values,
        segments=tuple(segments),
        signals=tuple(signals),
        lower_bound=lower_bound,
        upper_bound=upper_bound,
    )


def _number(value: Decimal) -> float:
    return float(value)


def _segment(values, start, end, why, bounds) -> tuple[Segment, list[Signal]]:
    lower_bound, upper_bound = bounds
    positions = [i for i in range(start, end) if values[i] is not None]
    xs = [values[i] for i in positions]
    if len(xs) < CENTRE_FROM:
        return Segment(start, end, None, None, None, None, False, why), []
    if len(xs) < TRIAL_FROM:
        centre = _number(XmR(xs).x_central_line()[0])
        return Segment(start, end, centre, None, None, None, False, why), []

    baseline = min(len(xs), FIXED_AT)
    chart = XmR(xs, subset_end_index=baseline)
    centre = _number(chart.x_central_line()[0])
    upper = _number(chart.upper_natural_process_limit()[0])
    lower = _number(chart.lower_natural_process_limit()[0])
    clipped = lower_bound is not None and lower < lower_bound
    clipped_upper = upper_bound is not None and upper > upper_bound
    segment = Segment(
        start=start,
        end=end,
        centre=centre,
        lower=float(lower_bound) if clipped else lower,
        upper=float(upper_bound) if clipped_upper else upper,
        mr_upper=_number(chart.upper_range_limit()[0]),
        fixed=len(xs) >= FIXED_AT,
        why=why,
        baseline_end=positions[baseline - 1],
        baseline_count=baseline,
        clipped=clipped,
        clipped_upper=clipped_upper,
    )
    return segment, _signals(chart, xs, positions, centre, segment)


def _signals(chart, xs, positions, centre, segment) -> list[Signal]:
    """The signals in one segment from statprocon's rules, as runs of values."""

    def side(x, above, below):
        return ABOVE if x > above else BELOW if x < below else None

    upper_half = _number(chart.upper_halfway_line()[0])
    lower_half = _number(chart.lower_halfway_line()[0])
    sides = {
        "beyond": [side(x, centre, centre) for x in xs],
        "run_of_8": [side(x, centre, centre) for x in xs],
        "three_of_four": [
            side(
                x,
                float("inf") if segment.clipped_upper else upper_half,
                float("-inf") if segment.clipped else lower_half,
            )
            for x in xs
        ],
    }
    flags = {
        "beyond": chart.rule_1_x_indices_beyond_limits(),
        "run_of_8": chart.rule_2_runs_about_central_line(),
        "three_of_four": chart.rule_3_runs_near_limits(),
    }
    found = []
    for rule in RULES:
        run: list[int] = []
        run_side = None
        for k, (flagged, where) in enumerate(zip(flags[rule], sides[rule], strict=True)):
            if flagged and where is None:
                # On the centre line within a run, or the fourth value of a
                # three-of-four window: part of the signal's stretch, not marked.
                continue
            if flagged and where == run_side:
                run.append(positions[k])
                continue
            if run:
                found.append(Signal(rule, tuple(run), run_side))
            run, run_side = ([positions[k]], where) if flagged else ([], None)
        if run:
            found.append(Signal(rule, tuple(run), run_side))
    return [_whole_run(s, xs, positions, centre) if s.rule == "run_of_8" else s for s in found]


def _whole_run(signal, xs, positions, centre) -> Signal:
    """The run with the values before its first marked one that belong to it.
    statprocon counts a run past values on the centre line but marks only the
    last eight values it counted, so a run with one on the line inside loses its
    first value."""
    k = positions.index(signal.indexes[0]) - 1
    earlier = []
    while k >= 0 and (xs[k] == centre or (xs[k] > centre) == (signal.side == ABOVE)):
        if xs[k] != centre:
            earlier.append(positions[k])
        k -= 1
    return Signal(signal.rule, (*reversed(earlier), *signal.indexes), signal.side)
