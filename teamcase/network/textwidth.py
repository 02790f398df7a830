"""How wide a line of text is in DejaVu Sans, the ecomap's font, without a browser.

The ecomap is drawn on the server and its labels must fit their shapes, so they are
measured here: the advance width of each character, from a table read once from
the font files (`dejavu-widths.json`, made by `python -m teamcase.network.textwidth`).
Kerning is left out: DejaVu's pairs mostly bring letters closer, so a measured line
is never narrower than the drawn one. A tablet without DejaVu draws the picture in
its own sans-serif (Roboto, Helvetica, Segoe), which is narrower still.

A character the table does not know counts as the widest one it does.
"""

import json
from functools import cache, lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("dejavu-widths.json")
FONTS = {
    "regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
# Latin (with every accent and the letters of Turkish, Polish, Czech …), general
# punctuation (dashes, curly quotes, the ellipsis) and the euro sign.
RANGES = ((0x20, 0x250), (0x2010, 0x2028), (0x20AC, 0x20AD))


@cache
def _table() -> dict:
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    units = data["units_per_em"]
    widths = {}
    for weight in FONTS:
        known = {chr(int(code)): w / units for code, w in data[weight].items()}
        widths[weight] = (known, max(known.values()))
    return widths


@lru_cache(maxsize=4096)
def width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` set in DejaVu Sans at `size` (in the same unit as size)."""
    known, widest = _table()["bold" if bold else "regular"]
    return sum(known.get(c, widest) for c in text) * size


def build() -> dict:
    """The table, read from the installed DejaVu fonts (fontTools comes with WeasyPrint)."""
    from fontTools.ttLib import TTFont

    data = {}
    for weight, path in FONTS.items():
        font = TTFont(path)
        data["units_per_em"] = font["head"].unitsPerEm
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        data[weight] = {
            str(code): metrics[cmap[code]][0]
            for start, end in RANGES
            for code in range(start, end)
            if code in cmap
        }
    return data


if __name__ == "__main__":
    TABLE.write_text(json.dumps(build(), separators=(",", ":")) + "\n", encoding="utf-8")
