"""Stacked shares over time, drawn on the server as SVG with a table beside it:
who does the areas of life rated (themselves, their network, professionals), one
bar per day rated or per month, each bar 100 %.

`figure(points, labels)` places everything (the picture is WIDTH × HEIGHT units and
scales with its viewBox); the macro in `templates/measures/_shares.html` writes it
out. Ink, grey and a hatching only, in the same order in every bar and in the
legend: no share is coloured as good or bad.
"""

import math
from dataclasses import dataclass, field

from babel.numbers import format_percent
from flask_babel import get_locale
from flask_babel import gettext as _

from teamcase.models import SelfReliance
from teamcase.network.textwidth import width as text_width

WIDTH, HEIGHT = 800, 330
LEFT, RIGHT, TOP, BOTTOM = 70, 786, 16, 280  # the plot area
TEXT, SMALL = 18, 17
# How each share is drawn, from the bottom of a bar up: the person's own part
# solid dark, the network's hatched, the professionals' light grey.
FILLS = {"person": "solid", "network": "hatched", "professionals": "light"}


def percent(share: float | None) -> str:
    if share is None:
        return ""
    return format_percent(share, locale=str(get_locale() or "en"))


@dataclass
class Block:
    x: float
    y: float
    width: float
    height: float
    who: str
    fill: str


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class Cell:
    count: int
    share: str


@dataclass
class Row:
    label: str
    cells: list[Cell]  # in the order of SelfReliance.WHO
    total: int


@dataclass
class SharesFigure:
    width: int = WIDTH
    height: int = HEIGHT
    blocks: list[Block] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)  # the y of each 25 % line
    texts: list[Text] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    who: list[tuple[str, str, str]] = field(default_factory=list)  # (who, label, fill)
    description: str = ""


def figure(points, labels) -> SharesFigure:
    """Everything the macro draws: `points` (measures.selfreliance.Point) with
    `labels[i]` naming point i."""
    labels = [str(label) for label in labels]
    if len(labels) != len(points):
        raise ValueError(f"{len(labels)} labels for {len(points)} points")
    fig = SharesFigure()
    fig.who = [(who, str(label), FILLS[who]) for who, label in SelfReliance.WHO.items()]
    n = max(len(points), 1)
    slot = (RIGHT - LEFT) / n
    bar = min(slot * 0.7, 64)

    def y(share: float) -> float:
        return BOTTOM - share * (BOTTOM - TOP)

    for k in range(5):
        fig.grid.append(y(k / 4))
        fig.texts.append(Text(LEFT - 8, y(k / 4) + TEXT * 0.35, percent(k / 4), "end"))
    widest = max((text_width(label, SMALL) for label in labels), default=0) + 12
    every = max(1, math.ceil(widest / slot))
    for i, (point, label) in enumerate(zip(points, labels, strict=True)):
        middle = LEFT + (i + 0.5) * slot
        if i % every == 0:
            fig.texts.append(Text(middle, BOTTOM + 26, label))
        fig.rows.append(
            Row(
                label,
                [Cell(point.counts.get(w, 0), percent(point.share(w))) for w in SelfReliance.WHO],
                point.total,
            )
        )
        if not point.total:
            continue
        below = 0.0
        for who in SelfReliance.WHO:
            share = point.share(who)
            if not share:
                continue
            top = y(below + share)
            fig.blocks.append(Block(middle - bar / 2, top, bar, y(below) - top, who, FILLS[who]))
            below += share
    fig.description = _description(fig, labels)
    return fig


def _description(fig: SharesFigure, labels) -> str:
    """The chart in sentences, for a screen reader (the picture's <desc>)."""
    rated = [row for row in fig.rows if row.total]
    if not rated:
        return _("Nothing rated yet.")
    first, last = rated[0], rated[-1]
    names = [label for _who, label, _fill in fig.who]

    def shares(row):
        return _(
            "%(person)s %(p)s, %(network)s %(n)s, %(professionals)s %(r)s",
            person=names[0],
            p=row.cells[0].share,
            network=names[1],
            n=row.cells[1].share,
            professionals=names[2],
            r=row.cells[2].share,
        )

    if first is last:
        return _("%(label)s: %(shares)s.", label=first.label, shares=shares(first))
    return _(
        "From %(first)s to %(last)s. At first: %(then)s. At last: %(now)s.",
        first=first.label,
        last=last.label,
        then=shares(first),
        now=shares(last),
    )
