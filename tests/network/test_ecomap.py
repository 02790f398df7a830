"""The ecomap's labels: measured, inside their shapes, readable, and written the same
way everywhere."""

import itertools
import json
import math
import types
import xml.etree.ElementTree as ET

import pytest

from teamcase.models import NetworkMember
from teamcase.models.network import in_sentence
from teamcase.network import ecomap, textwidth
from teamcase.network.ecomap import ecomap_context, wrap
from teamcase.network.textwidth import width

SVG = "{http://www.w3.org/2000/svg}"
LEEN = types.SimpleNamespace(
    id=7,
    name="Leendert van Beek",
    preferred_name="Leen",
    first_name="Leen",
    display_name="Leendert van Beek (Leen)",
)
# Names as teams type them: short, long, with particles, a double surname, one long
# word, accents; and every relation.
NAMES = [
    "Ellen",
    "Johannes van der Berg",
    "Huisartsenpraktijk Oostelijke Eilanden",
    "Wilhelmina van Oosterhout-Bergkamp",
    "Zoë Çelik-Yılmaz",
    "Buurthuis De Linde, koffieochtend",
    "Wijkcentrum De Zomer",
    "Mevrouw Aaltje ter Horst-van Dijk",
    "Kees",
    "Apotheek Dapper",
    "Fysiotherapie Oost",
    "Her ex-husband Gerard",
    "Marian de Wit",
    "Henny next door",
]
RELATIONS = list(NetworkMember.RELATIONS)
TIES = list(ecomap.TIE_STYLE)


def _network(count: int) -> list[NetworkMember]:
    return [
        NetworkMember(name=name, relation=relation, tie=tie)
        for name, relation, tie in zip(
            NAMES[:count], itertools.cycle(RELATIONS), itertools.cycle(TIES), strict=False
        )
    ]


def _inside(inner, outer) -> bool:
    ix1, iy1, ix2, iy2 = inner
    ox1, oy1, ox2, oy2 = outer
    return ox1 <= ix1 and oy1 <= iy1 and ix2 <= ox2 and iy2 <= oy2


def _apart(a, b) -> bool:
    ax1, ay1, ax2, ay2 = a
    bx1, by1, bx2, by2 = b
    return ax2 <= bx1 or bx2 <= ax1 or ay2 <= by1 or by2 <= ay1


@pytest.mark.parametrize("min_height", [ecomap.MIN_HEIGHT, 420])
@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 11, 14])
def test_every_label_fits_its_shape_and_no_two_shapes_meet(count, min_height):
    context = ecomap_context(LEEN, _network(count), min_height=min_height)
    nodes, (cx, cy), radius = context["nodes"], context["centre"], context["centre_radius"]
    picture = (0, 0, context["width"], context["height"] - ecomap.LEGEND_HEIGHT)
    assert len([n for n in nodes if n.member]) == count
    for node in nodes:
        assert _inside(node.box, picture), node.texts
        for line in node.lines:
            assert line.size >= ecomap.SMALLEST
            # The measured line, centred on its box, within the box's padding.
            room = node.w - 2 * ecomap.PAD_X
            assert width(line.text, line.size, line.bold) <= room + 0.01, line.text
            assert node.box[1] <= line.top and line.bottom <= node.box[3], line.text
        # Not on the person in the middle either.
        nearest_x = min(max(cx, node.box[0]), node.box[2])
        nearest_y = min(max(cy, node.box[1]), node.box[3])
        assert math.hypot(nearest_x - cx, nearest_y - cy) > radius
    for a, b in itertools.combinations(nodes, 2):
        assert _apart(a.box, b.box), (a.texts, b.texts)
    # The person's name fits the circle: each line's corners are inside it.
    for line in context["centre_lines"]:
        half = line.width / 2
        for y in (line.top, line.bottom):
            assert math.hypot(half, y - cy) <= radius, line.text


def test_the_same_network_is_laid_out_once_and_a_change_is_laid_out_again():
    first = _network(5)
    nodes, height = ecomap.layout(first)
    again = _network(5)
    before = ecomap._placed.cache_info().hits
    nodes_again, height_again = ecomap.layout(again)
    assert ecomap._placed.cache_info().hits == before + 1
    # The same places, each shape holding the member of this view.
    assert height_again == height
    assert [n.box for n in nodes_again] == [n.box for n in nodes]
    people = [n.member for n in nodes_again if n.member is not None]
    assert sorted(map(id, people)) == sorted(map(id, again))
    # What the picture draws changed: laid out anew, not taken from before.
    again[0].name = "Wilhelmina van Oosterhout-Bergkamp de Tweede"
    again[1].tie = "stressful"
    changed, _ = ecomap.layout(again)
    assert ecomap._placed.cache_info().hits == before + 1
    texts = [line.text for n in changed for line in n.lines]
    assert "Wilhelmina" in texts and "Ellen" not in texts
    zigzag = next(n for n in changed if n.member is again[1])
    assert len(zigzag.line.split()) > 2
    # The first layout's shapes were not touched by the second.
    assert [line.text for line in nodes[1].lines][0] == "Ellen"


def test_the_centre_keeps_every_part_of_the_name_and_breaks_before_the_particles():
    lines = [line.text for line in ecomap_context(LEEN, _network(2))["centre_lines"]]
    assert lines == ["Leen", "van Beek"]
    room = ecomap.LINE_WIDTH
    assert wrap("Johannes van der Berg", 21, True, room, 3) == ["Johannes", "van der Berg"]
    assert wrap("Wilhelmina van Oosterhout-Bergkamp", 21, True, room, 3) == [
        "Wilhelmina",
        "van Oosterhout-",
        "Bergkamp",
    ]
    # Only what cannot fit in the lines allowed is cut, with an ellipsis.
    cut = wrap("Stichting Vrienden van het Oosterparkziekenhuis", 21, True, room, 2)
    assert len(cut) == 2 and cut[-1].endswith("…")
    assert all(width(row, 21, True) <= room for row in cut)


def test_the_picture_is_drawn_as_laid_out_at_a_readable_size(app):
    with app.test_request_context():
        from flask import render_template

        body = render_template("network/ecomap.svg", **ecomap_context(LEEN, _network(14)))
    svg = ET.fromstring(body)
    texts = list(svg.iter(f"{SVG}text"))
    # Every text has its size, or takes its group's.
    sizes = [float(t.get("font-size") or ecomap.LEGEND_SIZE) for t in texts]
    assert len(sizes) > 14
    # On a portrait tablet the picture is about 700 px wide: 20 of 900 units is 15.5 px.
    assert min(sizes) * 700 / float(svg.get("viewBox").split()[2]) >= 14
    shown = [t.text for t in texts]
    assert "Leen" in shown and "van Beek" in shown and "GP practice" in shown
    assert "gp practice" not in body


def test_relations_are_written_one_way():
    assert in_sentence("GP practice") == "GP practice"
    assert in_sentence("Community group") == "community group"
    assert in_sentence("Neighbour (via the team)") == "neighbour (via the team)"
    member = NetworkMember(name="Huisartsen Oost", relation="gp", tie="weak")
    assert member.relation_text == "GP practice"
    assert ecomap.describe(LEEN, [member]) == (
        "1 around Leendert van Beek (Leen): Huisartsen Oost (GP practice, weak tie)."
    )


def test_the_width_table_is_what_the_fonts_say():
    with textwidth.TABLE.open(encoding="utf-8") as table:
        assert json.load(table) == textwidth.build()
    # A character the table does not know counts as wide as the widest it knows.
    assert width("漢", 20) >= width("W", 20)
