"""The ecomap: the person at the centre, the people around them grouped by kind.

Drawn on the server as SVG, so it looks the same on a tablet, in print and in
the profile PDF. Tie strength is shown by the line itself (thick, plain,
dashed, zigzag), never by colour alone.

Neighbours the person was connected with through the team's offers and needs
page are drawn among "Friends and neighbours", with a moderate tie.
"""

import itertools
import math
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required

from teamcase import access
from teamcase.models import NetworkMember
from teamcase.models.network import in_sentence
from teamcase.network.neighbours import Neighbour, neighbours_of
from teamcase.network.textwidth import width as text_width
from teamcase.privacy import PARTICLES

bp = Blueprint("ecomap", __name__, template_folder="templates")

# The picture is 900 units wide. On a portrait tablet (768 px) it is drawn about
# 700 px wide, so one unit is about 0.78 px: 20 units is 15.5 px on screen, and on
# the profile, 150 mm wide, 20 units is 9.4 pt. Nothing is written smaller.
WIDTH = 900
MIN_HEIGHT = 600  # the ring grows downwards when the people need more room
NAME_SIZE, CAPTION_SIZE, GROUP_SIZE, LEGEND_SIZE = 21, 20, 20, 20
SMALLEST = min(NAME_SIZE, CAPTION_SIZE, GROUP_SIZE, LEGEND_SIZE)
PITCH = 24  # from one line's baseline to the next
# Above and below the baseline, as a share of the size: DejaVu's capitals and
# accents reach 0.76 up (0.93 with accents on capitals), descenders 0.24 down.
ASCENT, DESCENT = 0.93, 0.24
PAD_X, PAD_Y = 12, 8
LINE_WIDTH = 196  # the widest line in a person's shape
CENTRE_RADIUS = 86
CENTRE_LINE_WIDTH = 150
GAP = 10  # between two shapes on the ring
MARGIN = 8  # between the shapes and the picture's edge
LEGEND_HEIGHT = 56

# Groups go round the person clockwise from the top, in this order.
GROUPS = ("Family", "Friends and neighbours", "Community", "Professionals", "Other")
# How each group is named in the picture, in the reader's language.
GROUP_LABELS = {
    "Family": _l("Family"),
    "Friends and neighbours": _l("Friends and neighbours"),
    "Community": _l("Community"),
    "Professionals": _l("Professionals"),
    "Other": _l("Other"),
}
TIE_STYLE = {
    "strong": {"width": 6, "dash": None},
    "moderate": {"width": 3, "dash": None},
    "weak": {"width": 2, "dash": "10 8"},
    "stressful": {"width": 3, "dash": None},
}


@dataclass
class Line:
    """One line of a label: where its baseline starts (centred on x) and how it is set."""

    text: str
    x: float
    y: float
    size: int
    bold: bool = False

    @property
    def width(self) -> float:
        return text_width(self.text, self.size, self.bold)

    @property
    def top(self) -> float:
        return self.y - ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.y + DESCENT * self.size


@dataclass
class Node:
    """A person or group around the centre: a rounded box sized to its label, or
    (a group's name) the label alone."""

    member: NetworkMember | Neighbour | None
    x: float = 0.0  # the box's centre
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    texts: list[tuple[str, int, bool]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    line: str = ""  # the tie's polyline, from the centre to the box

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2

    def place(self, x: float, y: float) -> None:
        self.x, self.y = x, y
        top = y - self.h / 2 + PAD_Y
        self.lines = []
        for i, (text, size, bold) in enumerate(self.texts):
            baseline = top + ASCENT * self.texts[0][1] + i * PITCH
            self.lines.append(Line(text, x, baseline, size, bold))


def _words(name: str) -> list[str]:
    """The words of a name as it wraps: a particle goes with the word after it,
    so "Leen van Beek" breaks as "Leen / van Beek", never "Leen van / Beek"."""
    words, held = [], []
    for word in name.split():
        if word.casefold() in PARTICLES:
            held.append(word)
            continue
        words.append(" ".join([*held, word]))
        held = []
    if held:  # particles at the end ("Zus van"): with the word before them
        tail = " ".join(held)
        words = [*words[:-1], f"{words[-1]} {tail}"] if words else [tail]
    return words


def _cut(text: str, size: int, bold: bool, room: float) -> str:
    """`text` cut with an ellipsis so that it fits in `room`."""
    if text_width(text, size, bold) <= room:
        return text
    while text and text_width(text + "…", size, bold) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _break_word(word: str, size: int, bold: bool, room: float, then: str = "") -> tuple[str, str]:
    """A word too wide for a line: at its hyphen ("Oosterhout-" / "Bergkamp") when
    that fits, else as much as fits with a hyphen ("Huisartsenprak-" / "tijk")."""
    head, hyphen, tail = word.partition("-")
    if hyphen and tail and text_width(head + "-", size, bold) <= room:
        return head + "-", tail
    if " " in word:  # particles too wide with their name: on a line before it
        head, _, tail = word.rpartition(" ")
        return head, tail
    # Never a letter or two alone on the next line: "(granddaugh-" / "ter)".
    cut = len(word) - 4
    while cut > 3 and text_width(word[:cut] + "-", size, bold) > room:
        cut -= 1
    # Further back if then the rest shares its line with the next word.
    for earlier in range(cut, max(3, cut - 6), -1):
        if then and text_width(f"{word[earlier:]} {then}", size, bold) <= room:
            return word[:earlier] + "-", word[earlier:]
    return word[:cut] + "-", word[cut:]


def wrap(text: str, size: int, bold: bool, room: float, most: int) -> list[str]:
    """`text` in at most `most` lines no wider than `room`, broken between words
    (a particle stays with its name); what does not fit ends in an ellipsis."""
    rows: list[str] = []
    words = _words(text)
    while words and len(rows) < most:
        row = words.pop(0)
        while words and text_width(f"{row} {words[0]}", size, bold) <= room:
            row = f"{row} {words.pop(0)}"
        if text_width(row, size, bold) > room and len(rows) + 1 < most:
            row, rest = _break_word(row, size, bold, room, words[0] if words else "")
            if rest:
                words = [rest, *words]
        rows.append(row)
    if words:
        rows[-1] = rows[-1] + " " + " ".join(words)
    return [_cut(row, size, bold, room) for row in rows]


def _caption(member) -> list[str]:
    """The relation under the name, as the network list writes it."""
    if isinstance(member, Neighbour):
        return [_("Neighbour"), _("via the team")]
    return wrap(str(member.relation_label), CAPTION_SIZE, False, LINE_WIDTH, 2)


def _person_node(member) -> Node:
    texts = [(row, NAME_SIZE, True) for row in wrap(member.name, NAME_SIZE, True, LINE_WIDTH, 3)]
    texts += [(row, CAPTION_SIZE, False) for row in _caption(member)]
    return _sized(Node(member, texts=texts))


def _group_node(group: str) -> Node:
    label = str(GROUP_LABELS.get(group, group))
    texts = [(row, GROUP_SIZE, True) for row in wrap(label, GROUP_SIZE, True, LINE_WIDTH, 2)]
    return _sized(Node(None, texts=texts))


def _sized(node: Node) -> Node:
    node.w = max(text_width(t, size, bold) for t, size, bold in node.texts) + 2 * PAD_X
    first, last = node.texts[0][1], node.texts[-1][1]
    node.h = ASCENT * first + (len(node.texts) - 1) * PITCH + DESCENT * last + 2 * PAD_Y
    return node


def _overlap(a: Node, b: Node) -> bool:
    ax1, ay1, ax2, ay2 = a.box
    bx1, by1, bx2, by2 = b.box
    return ax1 < bx2 + GAP and bx1 < ax2 + GAP and ay1 < by2 + GAP and by1 < ay2 + GAP


def _around(nodes: list[Node], height: float) -> bool:
    """Put the nodes round the ellipse in order, clockwise from the top, each as
    close after the one before as it fits; then share out what is left of the
    circle. False when they do not go round once."""
    cx, cy = WIDTH / 2, height / 2
    rx = WIDTH / 2 - MARGIN - max(n.w for n in nodes) / 2
    ry = height / 2 - MARGIN - max(n.h for n in nodes) / 2

    def at(node, angle):
        node.place(cx + rx * math.cos(math.radians(angle)), cy + ry * math.sin(math.radians(angle)))

    angles = [-90.0]
    at(nodes[0], -90.0)
    for before, node in itertools.pairwise(nodes):
        angle = angles[-1]
        at(node, angle)
        while _overlap(before, node):
            angle += 0.5
            at(node, angle)
        angles.append(angle)
    # The last one must also clear the first, once round.
    first = Node(None, w=nodes[0].w, h=nodes[0].h)
    end = angles[-1] if len(nodes) > 1 else angles[0]
    at(first, end + (0.5 if len(nodes) > 1 else 360))
    while len(nodes) > 1 and _overlap(nodes[-1], first):
        end += 0.5
        at(first, end)
    used = (end if len(nodes) > 1 else 270.0) - angles[0]
    if used > 360:
        return False
    # What is left goes between the groups, so each group's people stay by its name.
    groups = [i for i, node in enumerate(nodes) if node.member is None]
    spare = (360 - used) / len(groups)
    shift, placed = 0.0, []
    for i, (node, angle) in enumerate(zip(nodes, angles, strict=True)):
        if i in groups and i:
            shift += spare
        # Where the ring turns, the same angle is less room: never closer than it fits.
        angle = max(angle + shift, placed[-1] if placed else angle)
        at(node, angle)
        while placed and _overlap(nodes[i - 1], node):
            angle += 0.5
            at(node, angle)
        placed.append(angle)
    if placed[-1] - placed[0] < 360 and _clear(nodes, cx, cy):
        return True
    # Spread out, two shapes met where the ring turns: packed tight they did not.
    for node, angle in zip(nodes, angles, strict=True):
        at(node, angle)
    return _clear(nodes, cx, cy)


def _clear(nodes: list[Node], cx: float, cy: float) -> bool:
    """No two shapes meet, and none comes near the person in the middle."""
    for node in nodes:
        x1, y1, x2, y2 = node.box
        nearest = math.hypot(min(max(cx, x1), x2) - cx, min(max(cy, y1), y2) - cy)
        if nearest < CENTRE_RADIUS + GAP:
            return False
    return not any(_overlap(a, b) for a, b in itertools.combinations(nodes, 2))


def _tie_line(node: Node, cx: float, cy: float) -> str:
    """From the centre's edge to the box's edge, straight or (stressful) zigzag."""
    dx, dy = node.x - cx, node.y - cy
    length = math.hypot(dx, dy) or 1
    ux, uy = dx / length, dy / length
    # How far back from the box's centre its edge is, along the line.
    back = min(node.w / 2 / abs(ux) if ux else math.inf, node.h / 2 / abs(uy) if uy else math.inf)
    x1, y1 = cx + ux * (CENTRE_RADIUS + 4), cy + uy * (CENTRE_RADIUS + 4)
    x2, y2 = node.x - ux * back, node.y - uy * back
    if node.member.tie == "stressful":
        return _zigzag(x1, y1, x2, y2)
    return f"{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f}"


def _zigzag(x1, y1, x2, y2, teeth=9, amplitude=7) -> str:
    """A zigzag from (x1, y1) to (x2, y2): the mark of a stressful tie."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    nx, ny = -dy / length, dx / length
    points = [(x1, y1)]
    for i in range(1, teeth * 2):
        t = i / (teeth * 2)
        side = amplitude if i % 2 else -amplitude
        points.append((x1 + dx * t + nx * side, y1 + dy * t + ny * side))
    points.append((x2, y2))
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def layout(members, min_height: int = MIN_HEIGHT) -> tuple[list[Node], float]:
    """Each group's name, then its people, round the centre; and the height of
    the ring that holds them all (never less than `min_height`)."""
    nodes = []
    for group in GROUPS:
        people = [m for m in members if m.group == group]
        if people:
            nodes.append(_group_node(group))
            nodes += [_person_node(m) for m in people]
    height = float(min_height)
    # A taller ring always makes room in the end: the shapes move apart up and down.
    while nodes and not _around(nodes, height) and height < 4000:
        height += 40
    for node in nodes:
        if node.member is not None:
            node.line = _tie_line(node, WIDTH / 2, height / 2)
    return nodes, height


def centre_lines(client, cx: float, cy: float) -> list[Line]:
    """The person's name in the middle, as the team calls them, with every part
    of their surname: "Leen" / "van Beek"."""
    first, *rest = client.name.split()
    rows = wrap(client.first_name, NAME_SIZE, True, CENTRE_LINE_WIDTH, 1)
    if rest:
        rows += wrap(" ".join(rest), NAME_SIZE, True, CENTRE_LINE_WIDTH, 2)
    top = cy - ((len(rows) - 1) * PITCH) / 2 + (ASCENT - DESCENT) * NAME_SIZE / 2
    return [Line(row, cx, top + i * PITCH, NAME_SIZE, True) for i, row in enumerate(rows)]


def legend() -> list[tuple[str, float, str]]:
    """(tie, x where its sample line starts, word) in one row under the ring."""
    x = MARGIN + text_width(_("Ties"), LEGEND_SIZE, True) + 24
    row = []
    for tie in TIE_STYLE:
        word = str(NetworkMember.TIES[tie]).lower()
        row.append((tie, x, word))
        x += 46 + 8 + text_width(word, LEGEND_SIZE) + 28
    return row


def _summary(client, member) -> str:
    if isinstance(member, Neighbour):
        return member.summary(client)
    return _(
        "%(name)s (%(relation)s, %(tie)s)",
        name=member.name,
        relation=in_sentence(member.relation_label),
        tie=str(member.tie_text).lower(),
    )


def describe(client, members) -> str:
    if not members:
        return _(
            "No one has been recorded yet in the network around %(name)s.",
            name=client.display_name,
        )
    return ngettext(
        "%(num)d around %(name)s: %(people)s.",
        "%(num)d around %(name)s: %(people)s.",
        len(members),
        name=client.display_name,
        people="; ".join(_summary(client, m) for m in members),
    )


def ecomap_context(client, members, neighbours=(), min_height: int = MIN_HEIGHT) -> dict:
    """The picture's context: the network members, then the neighbours met
    through the team (see `neighbours_of`). The profile asks for a flatter ring
    (`min_height`), as the sheet has less room from top to bottom."""
    everyone = [*members, *neighbours]
    nodes, ring_height = layout(everyone, min_height)
    centre = (WIDTH / 2, ring_height / 2)
    return {
        "client": client,
        "nodes": nodes,
        "tie_style": TIE_STYLE,
        "width": WIDTH,
        "height": ring_height + LEGEND_HEIGHT,
        "centre": centre,
        "centre_radius": CENTRE_RADIUS,
        "centre_lines": centre_lines(client, *centre),
        "legend_y": ring_height + LEGEND_HEIGHT / 2,
        "legend": legend(),
        "legend_size": LEGEND_SIZE,
        "description": describe(client, everyone),
    }


@bp.route("/people/<int:client_id>/ecomap.svg")
@login_required
def svg(client_id):
    client = access.client(client_id)
    members = list(NetworkMember.current(client))
    context = ecomap_context(client, members, neighbours_of(client))
    body = render_template("network/ecomap.svg", **context)
    return Response(body, mimetype="image/svg+xml")
