"""Panels and tables drawn as finished lines of styled text, without Rich.

A line is a list of runs, ``(text, style)``; a style is a Rich style name ('bold', 'dim', 'red',
...) or '' for none. render/rich.py builds the terminal report from these lines; Rich writes them
with colour (it only turns the style names into the terminal's escape sequences), and without
colour the lines are written as they are. The shapes are those Rich draws for a ``Panel`` (a box
with its title centred in the top border, one space inside each side) and for an expanding
``Table`` with ``show_lines`` (columns shared out by ratio, each cell one space in from its
borders), so the report looks as it did when Rich laid it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil
from typing import NamedTuple

from .cells import cell_len, crop, wrap

Run = tuple[str, str]
Line = list[Run]


class Box(NamedTuple):
    """The characters of a box: corners, edges and the joints where a table's lines cross."""

    top_left: str
    top: str
    top_joint: str
    top_right: str
    side: str
    row_left: str
    row_joint: str
    row_right: str
    bottom_left: str
    bottom_joint: str
    bottom_right: str


ROUNDED = Box("╭", "─", "┬", "╮", "│", "├", "┼", "┤", "╰", "┴", "╯")
HEAVY = Box("┏", "━", "┳", "┓", "┃", "┣", "╋", "┫", "┗", "┻", "┛")


def text(words: str, width: int, style: str = "") -> list[Line]:
    """A paragraph wrapped to ``width`` cells, every line in one style (lines are not filled)."""
    return [[(line, style)] for line in wrap(words, width)]


def width_of(line: Line) -> int:
    return sum(cell_len(t) for t, _style in line)


def filled(line: Line, width: int) -> Line:
    """The line cropped or filled with spaces to exactly ``width`` cells."""
    size = width_of(line)
    if size == width:
        return line
    if size < width:
        return [*line, (" " * (width - size), "")]
    out: Line = []
    room = width
    for t, style in line:
        part = crop(t, room)
        out.append((part, style))
        room -= cell_len(part)
    return [*out, (" " * room, "")] if room else out


def indented(words: str, width: int, by: int = 2, style: str = "") -> list[Line]:
    """A paragraph wrapped ``by`` cells in from the left, each line filled to ``width``."""
    return [[(" " * by, ""), *filled([(line, style)], width - by)] for line in wrap(words, width - by)]


def panel(body: Sequence[Line], width: int, title: str, box: Box, style: str) -> list[Line]:
    """A box ``width`` cells wide around ``body`` (each line one space in from the sides), the
    title centred in its top border, the border in ``style``."""
    inner = width - 4
    top = [(box.top_left + box.top * (width - 2) + box.top_right, style)]
    if width > 4:
        shown = crop(f" {title} ", inner)
        spare = inner - cell_len(shown)
        left = spare // 2
        top = [
            (box.top_left + box.top * (1 + left), style),
            (shown, style),
            (box.top * (1 + spare - left) + box.top_right, style),
        ]
    out = [top]
    for line in body:
        out.append([(box.side, style), (" ", ""), *filled(line, inner), (" ", ""), (box.side, style)])
    out.append([(box.bottom_left + box.top * (width - 2) + box.bottom_right, style)])
    return out


def ratio_distribute(total: int, ratios: Sequence[int], minimums: Sequence[int]) -> list[int]:
    """``total`` shared out by ``ratios``, each at least its minimum (as Rich shares a table's
    width among its columns)."""
    ratios = [ratio if low else 0 for ratio, low in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    remaining = total
    shares: list[int] = []
    for ratio, low in zip(ratios, minimums, strict=True):
        share = max(low, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        shares.append(share)
        total_ratio -= ratio
        remaining -= share
    return shares


def table(
    caption: str, header: Sequence[str], rows: Sequence[Sequence[str]], width: int, ratios: Sequence[int]
) -> list[Line]:
    """A table ``width`` cells wide, its caption centred in italics above it: a rounded box with
    a line under the header and between rows, the header and the first column in bold, each
    column's share of the width set by ``ratios``."""
    widths = ratio_distribute(width - len(ratios) - 1, ratios, [3] * len(ratios))
    box = ROUNDED
    out: list[Line] = []
    if caption:
        whole = sum(widths) + len(widths) + 1
        for line in wrap(caption, whole):
            line = crop(line.rstrip(), whole)
            left = (whole - cell_len(line)) // 2
            out.append([(" " * left, ""), (line, "italic"), (" " * (whole - left - cell_len(line)), "")])
    out.append([(box.top_left + box.top_joint.join(box.top * w for w in widths) + box.top_right, "")])
    rule = [(box.row_left + box.row_joint.join(box.top * w for w in widths) + box.row_right, "")]
    out += _row(header, widths, ("bold",) * len(widths), box, top=False)
    for row in rows:
        row = [*row[: len(widths)], *[""] * (len(widths) - len(row))]  # a short row: blank cells
        out.append(rule)
        out += _row(row, widths, ("bold", *[""] * (len(widths) - 1)), box, top=True)
    out.append([(box.bottom_left + box.bottom_joint.join(box.top * w for w in widths) + box.bottom_right, "")])
    return out


def _row(cells: Sequence[str], widths: Sequence[int], styles: Sequence[str], box: Box, *, top: bool) -> list[Line]:
    """One table row: each cell wrapped in its column, the shorter cells filled with blank lines
    below (``top``) or above (a header, as Rich aligns it to the bottom)."""
    wrapped = [wrap(c, w - 2, fold=False) for c, w in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    columns = []
    for lines, w, style in zip(wrapped, widths, styles, strict=True):
        blank = [""] * (height - len(lines))
        lines = [*lines, *blank] if top else [*blank, *lines]
        columns.append([[(" ", ""), *filled([(line, style)], w - 2), (" ", "")] for line in lines])
    out: list[Line] = []
    for n in range(height):
        line: Line = [(box.side, "")]
        for column in columns:
            line += [*column[n], (box.side, "")]
        out.append(line)
    return out
