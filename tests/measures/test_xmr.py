"""Process behaviour charts: the figures, the baselines and the detection rules."""

import random
import re
import subprocess

import pytest
from flask import render_template_string
from statprocon import XmR

from teamcase.measures.charts import RULE_TEXT
from teamcase.measures.xmr import Change, Signal, xmr_chart

CALM = [10, 12, 11, 13, 12, 14]  # the worked example's baseline


def rules(chart):
    return [(s.rule, s.indexes, s.side) for s in chart.signals]


def test_it_matches_a_worked_example_computed_by_hand():
    """Worked by hand, not by statprocon:
    values 10, 12, 11, 13, 12, 14: sum 72, centre 72 / 6 = 12.
    moving ranges |12-10|=2, |11-12|=1, |13-11|=2, |12-13|=1, |14-12|=2: sum 8,
    average 8 / 5 = 1.6.
    upper limit 12 + 2.66 × 1.6 = 12 + 4.256 = 16.256;
    lower limit 12 - 4.256 = 7.744;
    moving-range limit 3.268 × 1.6 = 5.2288 (statprocon rounds to 5.229).
    Six values: trial limits, not fixed; no value beyond them, so no signal."""
    chart = xmr_chart(CALM)
    (segment,) = chart.segments
    assert segment.centre == pytest.approx(12)
    assert segment.upper == pytest.approx(16.256)
    assert segment.lower == pytest.approx(7.744)
    assert segment.mr_upper == pytest.approx(5.2288, abs=1e-3)
    assert (segment.fixed, segment.baseline_count, segment.baseline_end) == (False, 6, 5)
    assert chart.signals == ()
    # By hand again: a seventh value of 17 is beyond 16.256; the limits are
    # recomputed with it (trial): centre 89 / 7 = 12.714, moving ranges
    # 2, 1, 2, 1, 2, 3: average 11 / 6 = 1.833, upper 12.714 + 4.877 = 17.591,
    # so 17 is no longer beyond them; 20 is (upper 19.35). (statprocon rounds the
    # centre and the average moving range to 3 decimals first: 17.590.)
    chart = xmr_chart([*CALM, 17])
    assert chart.segments[0].upper == pytest.approx(17.591, abs=2e-3)
    assert chart.signals == ()
    assert rules(xmr_chart([*CALM, 20])) == [("beyond", (6,), "above")]


@pytest.mark.parametrize("seed", range(20))
def test_it_agrees_with_statprocon_on_random_series(seed):
    rng = random.Random(seed)
    n = rng.randint(6, 60)
    values = [round(rng.gauss(20, 5), rng.choice([0, 1])) for _ in range(n)]
    chart = xmr_chart(values, lower_bound=None)
    baseline = min(n, 12)
    reference = XmR(values, subset_end_index=baseline)
    (segment,) = chart.segments
    assert segment.centre == float(reference.x_central_line()[0])
    assert segment.upper == float(reference.upper_natural_process_limit()[0])
    assert segment.lower == float(reference.lower_natural_process_limit()[0])
    assert segment.mr_upper == float(reference.upper_range_limit()[0])
    assert segment.fixed == (n >= 12)

    def flagged(rule):
        return {i for s in chart.signals if s.rule == rule for i in s.indexes}

    def where(flags):
        return {i for i, f in enumerate(flags) if f}

    assert flagged("beyond") == where(reference.rule_1_x_indices_beyond_limits())
    centre = segment.centre
    assert flagged("run_of_8") == {
        i for i in where(reference.rule_2_runs_about_central_line()) if values[i] != centre
    }
    # statprocon flags the whole window of four; the chart marks the three (or
    # four) values in it beyond the halfway line.
    upper_half = float(reference.upper_halfway_line()[0])
    lower_half = float(reference.lower_halfway_line()[0])
    assert flagged("three_of_four") == {
        i
        for i in where(reference.rule_3_runs_near_limits())
        if values[i] > upper_half or values[i] < lower_half
    }


def test_a_value_beyond_a_limit_is_a_signal_and_one_on_it_is_not():
    assert rules(xmr_chart([*CALM, 30])) == [("beyond", (6,), "above")]
    assert rules(xmr_chart([*CALM, 0], lower_bound=None)) == [("beyond", (6,), "below")]
    chart = xmr_chart(CALM)
    on_the_limit = xmr_chart([*CALM, 16.256])
    assert on_the_limit.segments[0].upper != chart.segments[0].upper  # trial: it moved
    assert not [s for s in xmr_chart([*CALM, 16]).signals if s.rule == "beyond"]


def test_eight_in_a_row_on_one_side_is_a_signal_and_seven_are_not():
    base = [14, 10] * 6  # centre 12, fixed from these 12; the last below it
    eight = xmr_chart([*base, 13, 13, 13, 13, 13, 13, 13, 13])
    assert ("run_of_8", tuple(range(12, 20)), "above") in rules(eight)
    seven = xmr_chart([*base, 13, 13, 13, 13, 13, 13, 13, 11])
    assert not [s for s in seven.signals if s.rule == "run_of_8"]
    below = xmr_chart([*[10, 14] * 6, *[11] * 9])
    assert ("run_of_8", tuple(range(12, 21)), "below") in rules(below)
    # A value on the centre line neither breaks the run nor counts in it.
    on_line = xmr_chart([*base, 13, 13, 13, 12, 13, 13, 13, 13, 13])
    (run,) = [s for s in on_line.signals if s.rule == "run_of_8"]
    assert run.indexes == (12, 13, 14, 16, 17, 18, 19, 20)
    # Up and down around the centre line: no run.
    assert xmr_chart([10, 14] * 10).signals == ()


def test_three_of_four_near_a_limit_is_a_signal_and_two_are_not():
    base = [10, 14] * 6  # centre 12, moving range 4: limits 1.36 and 22.64
    chart = xmr_chart(base)
    (segment,) = chart.segments
    half = (segment.centre + segment.upper) / 2  # 17.32
    assert half == pytest.approx(17.32)
    three = xmr_chart([*base, 18, 12, 19, 18])
    assert ("three_of_four", (12, 14, 15), "above") in rules(three)
    two = xmr_chart([*base, 18, 12, 12, 18, 12])
    assert not [s for s in two.signals if s.rule == "three_of_four"]
    # Three of four near the lower limit, where there is one.
    low = xmr_chart([*base, 6, 6, 12, 6], lower_bound=None)
    assert ("three_of_four", (12, 13, 15), "below") in rules(low)


def test_with_the_lower_limit_at_the_bound_no_value_is_near_it():
    base = [1, 5] * 6  # centre 3, limits 3 ± 10.64: the lower one below 0
    chart = xmr_chart([*base, 0, 0, 0, 0])
    (segment,) = chart.segments
    assert (segment.lower, segment.clipped) == (0, True)
    assert not [s for s in chart.signals if s.rule in ("three_of_four", "beyond")]
    unbounded = xmr_chart([*base, 0, 0, 0, 0], lower_bound=None)
    assert unbounded.segments[0].lower == pytest.approx(3 - 2.66 * 4)
    assert not unbounded.segments[0].clipped
    # A limit above the bound stays where it is.
    assert xmr_chart(CALM).segments[0].lower == pytest.approx(7.744)
    assert xmr_chart([-5, -3, -4, -2, -3, -1], lower_bound=None).segments[0].lower < -5


def test_a_share_has_no_upper_limit_above_100_and_no_value_is_near_it():
    # Centre 60, average moving range 40: the natural limits 60 ± 106.4 reach
    # beyond both 0 and 100 per cent.
    base = [40, 80] * 6
    chart = xmr_chart([*base, 100, 100, 100, 100], upper_bound=100)
    (segment,) = chart.segments
    assert (segment.upper, segment.clipped_upper) == (100, True)
    assert (segment.lower, segment.clipped) == (0, True)
    assert not [s for s in chart.signals if s.rule in ("three_of_four", "beyond")]
    unbounded = xmr_chart([*base, 100, 100, 100, 100])
    assert unbounded.segments[0].upper == pytest.approx(60 + 2.66 * 40)
    assert not unbounded.segments[0].clipped_upper
    # A limit below the bound stays where it is.
    calm = xmr_chart([50, 52, 51, 53, 52, 54], upper_bound=100).segments[0]
    assert calm.upper == pytest.approx(xmr_chart(CALM).segments[0].upper + 40)
    assert not calm.clipped_upper


def test_the_drawn_share_says_it_has_no_upper_limit(app):
    chart = xmr_chart([40, 80] * 6, upper_bound=100)
    labels = [f"W{i + 1}" for i in range(12)]
    with app.test_request_context():
        html = render_template_string(
            '{% from "measures/_chart.html" import xmr %}'
            '{{ xmr(chart, labels, "Resolved", "per cent", "A share.", "share") }}',
            chart=chart,
            labels=labels,
        )
    assert "No upper limit: the usual variation reaches up to 100." in html
    assert "no upper and no lower limit" in html
    assert ">100<" not in html.split("<table")[1]  # no upper limit in the table either


@pytest.mark.parametrize(
    "count, centre, limits, fixed",
    [(1, False, False, False), (5, True, False, False), (6, True, True, False)]
    + [(11, True, True, False), (12, True, True, True), (20, True, True, True)],
)
def test_the_baseline_grows_to_twelve_values_and_then_stays(count, centre, limits, fixed):
    rng = random.Random(count)
    values = [rng.randint(3, 12) for _ in range(count)]
    (segment,) = xmr_chart(values).segments
    assert (segment.centre is not None, segment.has_limits, segment.fixed) == (
        centre,
        limits,
        fixed,
    )
    assert segment.mr_upper is None if not limits else segment.mr_upper > 0
    if limits:
        used = min(count, 12)
        assert segment.baseline_count == used
        assert segment.centre == pytest.approx(sum(values[:used]) / used, abs=1e-3)
    else:
        assert not xmr_chart(values).signals
    if count == 20:
        # Fixed: the eight later values do not move the limits.
        assert xmr_chart(values[:12]).segments[0] == xmr_chart(values).segments[0].__class__(
            **{**vars(xmr_chart(values).segments[0]), "end": 12}
        )


def test_fewer_than_six_values_give_no_signal_however_far_out():
    chart = xmr_chart([10, 11, 10, 100, 10])
    assert chart.segments[0].centre == pytest.approx(28.2)
    assert chart.signals == ()


def test_a_change_starts_new_limits_with_a_baseline_of_their_own():
    before = [10, 14] * 6 + [12, 12]
    after = [30, 32, 31, 33, 32, 34, 31]
    chart = xmr_chart([*before, *after], [Change(14, "new phone line")])
    first, second = chart.segments
    assert (first.start, first.end, first.why, first.fixed) == (0, 14, "", True)
    assert (second.start, second.end, second.why, second.fixed) == (14, 21, "new phone line", False)
    assert second.centre == pytest.approx(sum(after) / 7, abs=1e-3)
    # Without the change, the new level would be signals against the old limits.
    assert any(s.rule == "beyond" for s in xmr_chart([*before, *after]).signals)
    assert chart.signals == ()
    assert chart.point(15) == (second.centre, second.lower, second.upper, second)
    # A run across the change is two stretches, each too short to count.
    mixed = xmr_chart([10, 14] * 6 + [13] * 5 + [13] * 5, [Change(17, "a trial")])
    assert not [s for s in mixed.signals if s.rule == "run_of_8"]


def test_changes_out_of_range_and_at_the_same_week():
    values = CALM * 2
    chart = xmr_chart(values, [Change(-3, "old"), Change(-1, "newer"), Change(40, "later")])
    assert [(s.start, s.why) for s in chart.segments] == [(0, "newer")]
    chart = xmr_chart(values, [Change(6, "rota"), Change(6, "phone")])
    assert [(s.start, s.end, s.why) for s in chart.segments] == [(0, 6, ""), (6, 12, "rota; phone")]


def test_weeks_without_a_value_are_gaps_the_moving_ranges_skip():
    values = [10, None, 12, 11, None, None, 13, 12, 14]
    chart = xmr_chart(values)
    (segment,) = chart.segments
    # The same figures as the six values without their gaps.
    assert segment.centre == pytest.approx(12)
    assert segment.upper == pytest.approx(16.256)
    assert segment.baseline_count == 6
    assert segment.baseline_end == 8
    assert chart.values[1] is None
    assert chart.point(4)[3] is segment
    # Twelve values over sixteen weeks fix the limits at the twelfth value.
    weeks = [10, 14, None] * 4 + [10, 14] * 2 + [13] * 2
    fixed = xmr_chart(weeks).segments[0]
    assert (fixed.fixed, fixed.baseline_count, fixed.baseline_end) == (True, 12, 15)
    # A run goes on across a gap.
    run = xmr_chart([14, 10] * 6 + [13, 13, None, 13, 13, 13, None, 13, 13, 13])
    (signal,) = [s for s in run.signals if s.rule == "run_of_8"]
    assert signal.indexes == (12, 13, 15, 16, 17, 19, 20, 21)
    assert xmr_chart([]).segments == ()
    assert xmr_chart([None, None]).segments[0].centre is None


def test_every_rule_has_its_words():
    assert set(RULE_TEXT) == {"beyond", "run_of_8", "three_of_four"}
    assert Signal("beyond", (1,)).side == "above"


# The macro, in both languages.

PAGE = """{% from "measures/_chart.html" import xmr %}
<!doctype html><html lang="{{ language() }}"><head><meta charset="utf-8"><title>Charts</title>
<link rel="stylesheet" href="css/teamcase.css"></head><body><main>
{{ xmr(one, labels, "Failure demand", unit, "Contacts that chase what went wrong.", "failure") }}
{{ xmr(two, labels[:5], "Days to a first visit", unit, "From referral to first visit.", "wait") }}
</main></body></html>"""


def a_year():
    values = [6, 8, 5, 7, 6, 9, 5, 7, 6, 8, 7, 6, 25, 6, 7, 5]
    values += [9, 10, 9, 11, 10, 9, 10, 11, 10, None, 6, 7, 5, 6, 7, 6]
    labels = [f"W{i + 1}" for i in range(len(values))]
    return xmr_chart(values, [Change(26, "The GP practice changed its phone system")]), labels


def render(app, language):
    one, labels = a_year()
    two = xmr_chart([3, 4, None, 5, 4])
    with app.test_request_context(headers={"Accept-Language": language}):
        return render_template_string(
            PAGE, one=one, two=two, labels=labels, unit="contacts" if language == "en" else "x"
        )


def test_the_macro_draws_the_chart_its_table_and_the_signals_in_words(app):
    html = render(app, "en")
    assert html.count('role="img"') == 2
    assert 'aria-labelledby="failure-title failure-desc"' in html
    assert '<title id="failure-title">Failure demand</title>' in html
    desc = re.search(r'<desc id="failure-desc">([^<]*)</desc>', html)[1]
    assert "Weekly values from W1 to W32." in desc and "signals, explained below" in desc
    one, _labels = a_year()
    signals = sorted(one.signals, key=lambda s: s.indexes[0])
    assert [s.rule for s in signals] == ["beyond", "run_of_8", "three_of_four"]
    # Each signal: a shape of its own in the picture, a number beside it, a sentence below.
    assert html.count('class="xmr-mark xmr-beyond"') == 1
    # A value in two signals has the shape of the stronger rule.
    assert html.count('class="xmr-mark xmr-three_of_four"') == 6
    assert html.count('class="xmr-mark xmr-run_of_8"') == 3
    assert ">signal 1</text>" in html and ">signal 2</text>" in html
    assert "Signal 1, W13: a value above the upper limit." in html
    assert "Signal 2, W17 to W25: 9 values above the centre line." in html
    assert "Signal 3, W18 to W25: 6 values near the upper limit." in html
    assert str(RULE_TEXT["beyond"]).split(":")[0] in html
    assert "New limits: The GP practice changed its phone system" in html
    assert "Limits fixed from the 12 weeks W1 to W12." in html
    # No colours for good and bad, no target.
    for colour in ("red", "green", "amber", "orange", "#b00020", "#0b6e69"):
        assert colour not in html.lower().split("<main>")[1]
    assert "target" not in html.lower()
    # The table: one row a week, the gap said in words.
    table = html.split('id="failure"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 32
    assert '<th scope="row">W26</th>\n          <td class="num">no value</td>' in table
    assert "signal 1: beyond a limit" in table
    # Too few values for limits: said, and no signal can be drawn.
    wait = html.split('id="wait"')[1]
    assert "Too few weeks with a value for limits yet" in wait
    assert "xmr-mark" not in wait


def test_the_macro_speaks_dutch(app):
    html = render(app, "nl")
    main = html.split("<main>")[1]
    for english in ("Signal 1", "signal 1<", "The figures as a table", "centre line", "Value ("):
        assert english not in main
    assert "Signaal 1, W13" in main
    assert ">signaal 1</text>" in main
    assert "De cijfers als tabel" in main
    assert str(RULE_TEXT["run_of_8"]) not in main  # the English sentence
    assert "Middenlijn 6,67, grenzen 1,35 en 11,99." in main  # Dutch decimals


def test_the_chart_prints(app, tmp_path):
    """Laid out by WeasyPrint as a printed document is; looked at as a picture."""
    from weasyprint import HTML

    from teamcase.paths import STATIC
    from teamcase.pdf import static_only_fetcher

    html = render(app, "en")
    pdf = tmp_path / "charts.pdf"
    document = HTML(string=html, base_url=str(STATIC), url_fetcher=static_only_fetcher()).render()
    document.write_pdf(pdf)
    assert 1 <= len(document.pages) <= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "signal 1" in text and "Signal 2, W17 to W25" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-singlefile", pdf, tmp_path / "p"])
    assert (tmp_path / "p.png").stat().st_size > 10_000


def test_a_count_chart_draws_its_value_axis_from_0_not_below():
    from teamcase.measures.charts import _scale

    counts = xmr_chart([0, 1, 0, 2, 1, 0, 1, 3, 0, 1, 0, 2])
    assert counts.segments[0].clipped
    assert _scale(counts)[0] == 0
    assert _scale(xmr_chart([0, 0, 0]))[0] == 0
    # A figure without a natural bound may go below 0.
    assert _scale(xmr_chart([0, 1, 0, 2, 1, 0, 1, 3], lower_bound=None))[0] < 0


# The small variant, for a row of the coach's page.

SMALL = """{% from "measures/_chart.html" import xmr_small %}
{{ xmr_small(one, labels, "Failure demand", "contacts", "small", "/full#failure") }}"""


def test_the_small_chart_draws_the_same_chart_without_words_above_it(app):
    from teamcase.measures.charts import FULL, SMALL_FRAME, figure

    one, labels = a_year()
    with app.test_request_context():
        full, small = figure(one, labels), figure(one, labels, SMALL_FRAME)
    assert (small.width, small.height) == (SMALL_FRAME.width, SMALL_FRAME.height)
    assert small.width < FULL.width / 1.5
    # The same values, signals and limits, in their own places.
    assert len(small.dots) == len(full.dots) and len(small.marks) == len(full.marks)
    assert [m.rule for m in small.marks] == [m.rule for m in full.marks]
    assert small.description == full.description and small.signals == full.signals
    assert small.notes == full.notes
    # Its full chart has the table.
    assert small.rows == [] and len(full.rows) == len(labels)
    kinds = [line.kind for line in small.lines]
    assert (
        kinds.count("change") == 1
        and "bracket" not in kinds
        and "bracket" in [line.kind for line in full.lines]
    )
    # Numbers beside the signals; the words above the plot only in the full chart.
    assert [t.text for t in small.texts if t.kind == "signal"] == ["1", "2", "3"]
    assert not [t for t in small.texts if t.kind == "note"]
    assert any(t.text.startswith("New limits") for t in full.texts)
    # Everything inside the picture.
    for text in small.texts:
        assert 0 <= text.x <= small.width and 0 <= text.y <= small.height, text
    for x, y in small.dots:
        assert SMALL_FRAME.left <= x <= SMALL_FRAME.right and 0 <= y <= SMALL_FRAME.bottom


def test_the_small_macro_says_its_latest_signals_and_links_to_the_rest(app):
    one, labels = a_year()
    values = list(one.values)
    # Four more weeks far beyond: four signals, the last three said in words.
    many = xmr_chart(values[:12] + [25, 6, 26, 7, 27, 6, 28, 7])
    with app.test_request_context():
        html = render_template_string(SMALL, one=many, labels=labels[:20])
    assert html.count('role="img"') == 1 and '<desc id="small-desc">' in html
    assert html.count("<li>") == 3
    assert "Signal 1," not in html and "Signal 4, W19: a value above the upper limit." in html
    assert '<a href="/full#failure" aria-describedby="small-heading">1 earlier signal' in html
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', html))
    assert colours <= {"#fff", "#1d2a33", "#4d5b66", "#dde2e6"}, colours
    # Calm, and too short for limits: said in words too.
    with app.test_request_context():
        calm = render_template_string(SMALL, one=xmr_chart(CALM), labels=labels[:6])
        short = render_template_string(SMALL, one=xmr_chart([3, 4]), labels=labels[:2])
    assert "No signals: every value is within the usual variation." in calm
    assert "Too few weeks with a value for limits yet" in short
