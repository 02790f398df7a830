"""The ecomap: the person at the centre, the people around them grouped by kind.

Drawn on the server as SVG, so it looks the same on a tablet, in print and in
the profile PDF. Tie strength is shown by the line itself (thick, plain,
dashed, zigzag), never by colour alone.

Neighbours the person was connected with through the team's offers and needs
page are drawn among "Friends and neighbours", with a moderate tie.
"""

import math
from dataclasses import dataclass

from flask import Blueprint, Response, render_template
from flask_login import login_required

from teamcase import access
from teamcase.models import NetworkMember
from teamcase.network.neighbours import Neighbour, neighbours_of

bp = Blueprint("ecomap", __name__, template_folder="templates")

WIDTH, HEIGHT = 900, 660
CENTRE = (WIDTH / 2, HEIGHT / 2)
NODE_RADIUS = 54
RING = 240
# Ellipse, not circle: a tablet screen is wider than it is tall.
STRETCH = 1.2

# Groups go round the person clockwise from the top, in this order.
GROUPS = ("Family", "Friends and neighbours", "Community", "Professionals", "Other")
TIE_STYLE = {
    "strong": {"width": 6, "dash": None},
    "moderate": {"width": 3, "dash": None},
    "weak": {"width": 2, "dash": "10 8"},
    "stressful": {"width": 3, "dash": None},
}


@dataclass
class Node:
    member: NetworkMember | Neighbour
    x: float
    y: float
    line: str
    lines: list[str]
    caption: list[str]


def _caption(member) -> list[str]:
    """The small text under the name: the relation, on two lines when it is long."""
    if isinstance(member, Neighbour):
        # Without brackets: "(via the team)" is wider than the circle.
        return ["neighbour", "via the team"]
    return [member.relation_label.lower()]


def _wrap(name: str, width: int = 14) -> list[str]:
    words, rows, row = name.split(), [], ""
    for word in words:
        if row and len(row) + 1 + len(word) > width:
            rows.append(row)
            row = word
        else:
            row = f"{row} {word}".strip()
    rows.append(row)
    if len(rows) > 2:
        rows = [rows[0], (rows[1] + "…")[: width + 1]]
    return [r if len(r) <= width + 2 else r[: width + 1] + "…" for r in rows]


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


def _sectors(members) -> list[tuple[str, list, float, float]]:
    """(group, members, start, end angle in degrees): a share of the circle per group,
    in proportion to its size, so groups never overlap."""
    by_group: dict[str, list] = {}
    for member in members:
        by_group.setdefault(member.group, []).append(member)
    present = [(g, by_group[g]) for g in GROUPS if g in by_group]
    weight = sum(len(people) + 1 for _, people in present)
    sectors, angle = [], -90.0 - 180.0 * (len(present[0][1]) + 1) / weight if present else 0
    for group, people in present:
        span = 360.0 * (len(people) + 1) / weight
        sectors.append((group, people, angle, angle + span))
        angle += span
    return sectors


def _point(angle_degrees, ring):
    angle = math.radians(angle_degrees)
    return CENTRE[0] + math.cos(angle) * ring * STRETCH, CENTRE[1] + math.sin(angle) * ring


def layout(members) -> list[Node]:
    """Place each member in its group's sector around the centre."""
    nodes = []
    cx, cy = CENTRE
    for _group, people, start, end in _sectors(members):
        step = (end - start) / (len(people) + 1)
        crowded = len(people) * 100 > (end - start) / 360 * 1700
        for i, member in enumerate(people):
            ring = RING - (40 if crowded and i % 2 else 0)
            x, y = _point(start + step * (i + 1), ring)
            # Lines stop at the circles' edges.
            length = math.hypot(x - cx, y - cy) or 1
            ux, uy = (x - cx) / length, (y - cy) / length
            x1, y1 = cx + ux * 64, cy + uy * 64
            x2, y2 = x - ux * NODE_RADIUS, y - uy * NODE_RADIUS
            if member.tie == "stressful":
                line = _zigzag(x1, y1, x2, y2)
            else:
                line = f"{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f}"
            nodes.append(Node(member, x, y, line, _wrap(member.name, 11), _caption(member)))
    return nodes


def _summary(client, member) -> str:
    if isinstance(member, Neighbour):
        return member.summary(client)
    return f"{member.name} ({member.relation_label.lower()}, {member.tie_label.lower()} tie)"


def describe(client, members) -> str:
    if not members:
        return f"No one has been recorded yet in the network around {client.display_name}."
    parts = [_summary(client, m) for m in members]
    return f"{len(members)} around {client.display_name}: " + "; ".join(parts) + "."


def ecomap_context(client, members, neighbours=()) -> dict:
    """The picture's context: the network members, then the neighbours met
    through the team (see `neighbours_of`)."""
    everyone = [*members, *neighbours]
    return {
        "client": client,
        "nodes": layout(everyone),
        "tie_style": TIE_STYLE,
        "width": WIDTH,
        "node_radius": NODE_RADIUS,
        "height": HEIGHT,
        "centre": CENTRE,
        "description": describe(client, everyone),
        "groups": _group_labels(everyone),
    }


def _group_labels(members):
    """(lines, x, y, anchor) per group: above or below the group at top and bottom,
    beside it at the sides, where there is room for the label."""
    labels = []
    for group, people, start, end in _sectors(members):
        middle = math.radians((start + end) / 2)
        x, y = _point((start + end) / 2, RING + 72)
        lines = _wrap(group, 12)
        if abs(math.cos(middle)) > 0.6:
            x, anchor = (WIDTH - 12, "end") if math.cos(middle) > 0 else (12, "start")
            if len(people) % 2:
                # A circle sits in the middle of the group, level with the label: above it.
                y = _point((start + end) / 2, RING)[1] - NODE_RADIUS - 12 - 20 * (len(lines) - 1)
        else:
            anchor = "middle"
        # At the bottom a single line clears a circle there; two lines need the room.
        labels.append((lines, x, min(max(y, 22), HEIGHT - 14 - 14 * (len(lines) - 1)), anchor))
    return labels


@bp.route("/people/<int:client_id>/ecomap.svg")
@login_required
def svg(client_id):
    client = access.client(client_id)
    members = list(NetworkMember.current(client))
    context = ecomap_context(client, members, neighbours_of(client))
    body = render_template("network/ecomap.svg", **context)
    return Response(body, mimetype="image/svg+xml")
