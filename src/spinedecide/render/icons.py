"""Icon arrays: pictures of chance as 100 people, filled (it happens) or empty (it does not).

Every array has the same denominator, 100. A figure that is a range ("2 to 5 in 100") shows the
low end as filled people and the rest of the range as shaded (half-filled, striped) people. A
figure below 1 in 100 fills no one: the array cannot show less than one person, so it says so
in words instead of rounding 0.4 up to a whole person. Every array comes with a text equivalent
for screen readers and plain text.

When the figure for people like this person differs from the typical figure, the two arrays are
shown side by side. Text grids use ``●``/``◐``/``○`` (or ``#``/``+``/``.`` for dumb terminals);
the SVG uses filled, hatched and outlined shapes, so it prints in black and white.
"""

from __future__ import annotations

import math

from msgspec import Struct

from ..report import FigureView

PER = 100
SIDE = 10

FILLED, RANGE, EMPTY = "filled", "range", "empty"

UNICODE_MARKS = {FILLED: "●", RANGE: "◐", EMPTY: "○"}
ASCII_MARKS = {FILLED: "#", RANGE: "+", EMPTY: "."}

BELOW_ONE_NOTE = "The picture cannot show less than one person, so no figure is filled in."


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def people(value: float) -> int:
    """How many of the 100 figures to fill for ``value`` in 100.

    Below 1 in 100 nobody is filled (0.4 is never shown as a whole person); otherwise the value
    is rounded half up (1.5 -> 2, 2.4 -> 2) and kept within 0..100.
    """
    if value < 1:
        return 0
    return max(0, min(PER, math.floor(value + 0.5)))


class IconArray(Struct, frozen=True):
    """One array of 100 people for one figure ("low to high in 100")."""

    label: str  # who the figure is about, e.g. "People like you" or "Typical"
    low: float
    high: float
    bound: str | None = None  # "up_to": everyone up to high is shaded (it may happen to them)

    @property
    def filled(self) -> int:
        return 0 if self.bound == "up_to" else people(self.low)

    @property
    def ranged(self) -> int:
        """Half-filled people: the part of a range above its low end."""
        return max(0, people(self.high) - self.filled)

    @property
    def below_one(self) -> bool:
        """Part of the figure is above 0 but below one person: the picture cannot show it."""
        return 0 < self.low < 1

    def cells(self) -> list[str]:
        return [FILLED] * self.filled + [RANGE] * self.ranged + [EMPTY] * (PER - self.filled - self.ranged)

    def amount(self) -> str:
        """'about 4 in 100 people', 'fewer than 1 in 100: 0.4 in 100 people', 'up to 33 in 100 people'."""
        if self.bound == "up_to":
            return f"up to {_number(self.high)} in 100 people"
        if self.bound == "at_least":
            return f"at least {_number(self.low)} in 100 people"
        if 0 < self.high < 1:
            if self.low == self.high:
                return f"fewer than 1 in 100: {_number(self.low)} in 100 people"
            return f"fewer than 1 in 100: {_number(self.low)} to {_number(self.high)} in 100 people"
        if self.low == self.high:
            return f"about {_number(self.low)} in 100 people"
        return f"about {_number(self.low)} to {_number(self.high)} in 100 people"

    def picture(self) -> str:
        """What the picture shows, in words: '4 filled figures out of 100'."""
        parts = [f"{self.filled or 'no'} filled {'figure' if self.filled == 1 else 'figures'}"]
        if self.ranged:
            rest = "for the people it may happen to" if self.bound == "up_to" else "for the rest of the range"
            parts.append(f"{self.ranged} shaded {'figure' if self.ranged == 1 else 'figures'} {rest}")
        text = " and ".join(parts) + f"{',' if self.ranged else ''} out of {PER}"
        rounded = (self.low >= 1 and not float(self.low).is_integer()) or (
            self.high >= 1 and not float(self.high).is_integer()
        )
        if rounded:
            text += ", rounded to whole people"
        return text

    def text_equivalent(self) -> str:
        """'About 4 in 100 people (4 filled figures out of 100).' For screen readers and text."""
        amount = self.amount()
        text = f"{amount[0].upper()}{amount[1:]} ({self.picture()})."
        if self.below_one:
            text += " " + BELOW_ONE_NOTE
        return text

    def grid(self, *, ascii: bool = False) -> list[str]:
        """Ten lines of ten marks, filled first (left to right, top to bottom)."""
        marks = ASCII_MARKS if ascii else UNICODE_MARKS
        cells = [marks[c] for c in self.cells()]
        return [" ".join(cells[row * SIDE : (row + 1) * SIDE]) for row in range(SIDE)]


def arrays(
    low: float,
    high: float,
    typical_low: float | None = None,
    typical_high: float | None = None,
    bound: str | None = None,
) -> list[IconArray]:
    """One array, or two side by side (people like you, typical) when the figures differ."""
    if typical_low is None or typical_high is None or (low, high) == (typical_low, typical_high):
        return [IconArray("100 people", low, high, bound)]
    return [IconArray("People like you", low, high, bound), IconArray("Typical", typical_low, typical_high, bound)]


def arrays_for(estimate: FigureView) -> list[IconArray]:
    return arrays(estimate.low, estimate.high, estimate.typical_low, estimate.typical_high, estimate.bound)


def legend(*, ascii: bool = False, ranged: bool = True) -> str:
    marks = ASCII_MARKS if ascii else UNICODE_MARKS
    text = f"{marks[FILLED]} = a person it happens to"
    if ranged:
        text += f"   {marks[RANGE]} = shaded: the rest of the range"
    return text + f"   {marks[EMPTY]} = a person it does not happen to"


def text_block(
    estimate: FigureView | tuple[float, float, float, float],
    *,
    ascii: bool = False,
    legend_line: bool = True,
    words: bool = True,
) -> str:
    """The arrays for a figure as text: captions, grids side by side, a legend, then (``words``)
    the text equivalents."""
    shown = arrays_for(estimate) if isinstance(estimate, FigureView) else arrays(*estimate)
    gap = "    "
    width = SIDE * 2 - 1
    lines = [gap.join(a.label.ljust(width) if len(a.label) <= width else a.label for a in shown).rstrip()]
    grids = [a.grid(ascii=ascii) for a in shown]
    for row in range(SIDE):
        lines.append(gap.join(g[row] for g in grids))
    if legend_line:
        lines.append(legend(ascii=ascii, ranged=any(a.ranged for a in shown)))
    if words:
        lines.extend(_said(a, len(shown)) for a in shown)
    return "\n".join(lines)


def _said(array: IconArray, n: int) -> str:
    return f"{array.label}: {array.text_equivalent()}" if n > 1 else array.text_equivalent()


def text_equivalent(estimate: FigureView) -> str:
    """All arrays of a figure in words, e.g. 'People like you: About 4 in 100 ... Typical: ...'."""
    shown = arrays_for(estimate)
    return " ".join(_said(a, len(shown)) for a in shown)


# --- SVG -----------------------------------------------------------------------------------------

# One person in a cell 20 wide and 30 high: a head, and a body with arms and two legs.
CELL_W = 20
CELL_H = 30
_HEAD = '<circle cx="{x:g}" cy="{y:g}" r="3.8"/>'
_BODY = '<path d="M{x0:g} {y0:g}h10a2 2 0 0 1 2 2v7h-2v9h-4v-6h-2v6h-4v-9h-2v-7a2 2 0 0 1 2-2z"/>'


def person_shape(col: int, row: int) -> str:
    """The SVG shapes of one person at grid column ``col`` and row ``row``."""
    x = col * CELL_W + CELL_W / 2
    y = row * CELL_H
    return _HEAD.format(x=x, y=y + 5.5) + _BODY.format(x0=x - 5, y0=y + 10.5)


def svg(array: IconArray, *, uid: str = "ia", width: str = "100%", cols: int = SIDE) -> str:
    """An inline SVG of the array: filled people, hatched people (the range), outlined people.

    Shapes use ``currentColor``, so the picture takes the text colour and prints in black and
    white; the three kinds differ in fill, not in colour. ``role="img"`` and ``aria-label``
    carry the text equivalent; ``<title>`` does the same for tools that read it. ``uid`` names
    the hatching pattern: give each SVG on a page its own, as ids must be unique. ``cols``: people
    in a row (10 rows of 10, or 5 rows of 20 in a card, which halves its height on paper).
    """
    from html import escape  # only the HTML report draws SVG: the terminal's start-up never needs it

    label = array.text_equivalent()
    uid = escape(uid)
    groups: dict[str, list[str]] = {FILLED: [], RANGE: [], EMPTY: []}
    for i, kind in enumerate(array.cells()):
        groups[kind].append(person_shape(i % cols, i // cols))
    w, h = cols * CELL_W, -(-PER // cols) * CELL_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{width}" role="img" '
        f'aria-label="{escape(array.label)}: {escape(label)}" class="icon-array">',
        f"<title>{escape(array.label)}: {escape(label)}</title>",
    ]
    if groups[RANGE]:
        parts.append(
            f'<defs><pattern id="{uid}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)">'
            '<rect width="2" height="4" fill="currentColor"/></pattern></defs>'
        )
    if groups[EMPTY]:
        parts.append(
            '<g class="empty" fill="none" stroke="currentColor" stroke-width="1.2">' + "".join(groups[EMPTY]) + "</g>"
        )
    if groups[RANGE]:
        parts.append(
            f'<g class="range" fill="url(#{uid}-hatch)" stroke="currentColor" stroke-width="1.2">'
            + "".join(groups[RANGE])
            + "</g>"
        )
    if groups[FILLED]:
        parts.append(
            '<g class="filled" fill="currentColor" stroke="currentColor" stroke-width="1.2">'
            + "".join(groups[FILLED])
            + "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


# --- one row of a card's picture, as text ---------------------------------------------------------

STRIP_GROUP = 10
#: Columns a strip of two lines needs (five groups of ten marks); narrower, five lines of two groups.
STRIP_WIDE = 54


def strip(array: IconArray, *, ascii: bool = False, width: int = 80) -> list[str]:
    """The 100 people of an array as two lines of five groups of ten marks (fits 80 columns), or
    five lines of two groups when ``width`` is below STRIP_WIDE plus an indent."""
    marks = ASCII_MARKS if ascii else UNICODE_MARKS
    cells = [marks[c] for c in array.cells()]
    per_line = 50 if width >= STRIP_WIDE + 6 else 20
    lines = []
    for n in range(PER // per_line):
        line = cells[n * per_line : (n + 1) * per_line]
        lines.append(" ".join("".join(line[i : i + STRIP_GROUP]) for i in range(0, per_line, STRIP_GROUP)))
    return lines
