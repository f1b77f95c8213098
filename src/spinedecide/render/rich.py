"""The terminal report: the Document (render/build.py) in panels, with colour on a terminal.

Each section is a panel; each outcome card is a panel of its own. Below KEY_TABLE columns a table
is a list (a row's heading, then each column's cell), so nothing is squeezed side by side.
It presents the document and writes no sentence of its own.

The report is laid out here once, as finished lines of styled text (render/boxes.py: the boxes,
titles, wrapping and tables Rich draws). With colour, Rich writes those lines to the terminal
(no wrapping or cropping of its own), turning the style names into the terminal's escape
sequences; without colour (a pipe, a file, NO_COLOR) the same lines are written as they are and
Rich is never imported. Both show exactly the same characters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from ..display import ASCII_TABLE
from ..report import Report
from . import build, icons
from .boxes import HEAVY, ROUNDED, Line, filled, indented, panel, table, text
from .document import Block, Document, Items, Legend, Paragraph, Picture, Section, Sources, Table, visible
from .text import fitted

if TYPE_CHECKING:  # Rich is imported only to write in colour
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment
    from rich.style import Style

KEY_TABLE = 110  # below this many columns, tables (the key points too) are lists
_STYLES = {"strong": "bold", "action": "bold", "figure": "bold", "quiet": "dim", "note": "italic"}
_BORDERS = {"key": "green", "urgent": "red", "reminder": "red", "card": "white", "note": "cyan"}


def render(
    report: Report,
    out: TextIO,
    *,
    explain: bool = False,
    color: bool = True,
    width: int | None = None,
    ascii: bool = False,
    detail: str = "full",
    **_: Any,
) -> None:
    if ascii:  # a dumb terminal: draw with plain characters
        import io

        buffer = io.StringIO()
        render(report, buffer, explain=explain, color=color, width=width, ascii=False, detail=detail)
        out.write(buffer.getvalue().translate(ASCII_TABLE))
        return
    width = width or terminal_width()
    # Below KEY_TABLE columns the key points are a list, with as many key outcomes as the text
    # format fits in its 40 lines; wider, a table of them all.
    most = fitted(report, width - 4) if width < KEY_TABLE else None
    write(build.build(report, most=most, explain=explain), out, width=width, color=color, detail=detail)


def terminal_width() -> int:
    """The width Rich gives a console that is not told one: the first standard stream that is a
    terminal, or COLUMNS, or 80."""
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
            break
        except (AttributeError, ValueError, OSError):
            continue
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else (width or 80)


def write(doc: Document, out: TextIO, *, width: int = 100, color: bool = False, detail: str = "full") -> None:
    """The document at this width and detail level: with colour through Rich, otherwise plain."""
    lines = layout(doc, width, detail)
    if color:
        _write_in_colour(lines, out, width)
    else:
        out.write("".join("".join(t for t, _style in line) + "\n" for line in lines))


def _write_in_colour(lines: list[Line], out: TextIO, width: int) -> None:
    """Rich writes the finished lines with the terminal's escape sequences (its colour system
    detected as ever): they reach it as segments, so it never wraps or crops them."""
    from rich.console import Console

    console = Console(
        file=out,
        width=width,
        color_system="auto",
        force_terminal=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(_Segments(lines), crop=False)


class _Segments:
    """Finished lines as a Rich renderable: one segment a run, in its named style."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        styles: dict[str, Style | None] = {"": None}
        newline = Segment.line()
        for line in self.lines:
            for t, name in line:
                if name not in styles:
                    styles[name] = console.get_style(name)
                yield Segment(t, styles[name])
            yield newline


def layout(doc: Document, width: int, detail: str = "full") -> list[Line]:
    """The document as the terminal shows it, line by line."""
    w = _Writer(width)
    out = [*text(doc.title, width, "bold"), *text(doc.meta, width, "dim"), []]
    for section in visible(doc, detail):
        if section.kind == "group":  # the cards: a heading, then one panel for each card
            out += text(section.heading, width, "bold underline")
            for b in section.blocks:
                out += w.panel(b) if isinstance(b, Section) and b.kind == "card" else w.block(b, width)
            out.append([])
        else:
            out += w.panel(section)
    more = doc.more(detail, page=False)
    if more:
        out += text(more, width, "bold")
    return out


def cite(numbers: tuple[int, ...]) -> str:
    return (" " + "".join(f"[{n}]" for n in numbers)) if numbers else ""


class _Writer:
    def __init__(self, width: int = 80) -> None:
        self.listed = width < KEY_TABLE
        self.width = width

    def panel(self, s: Section) -> list[Line]:
        loud = s.kind in ("urgent", "reminder")
        inner = self.width - 4
        body = [line for b in s.blocks for line in self.block(b, inner)]
        heading = s.heading.upper() if loud else s.heading
        return panel(
            body, self.width, heading.replace("\n", " "), HEAVY if loud else ROUNDED, _BORDERS.get(s.kind, "white")
        )

    def block(self, b: Block, width: int) -> list[Line]:
        """The block's lines at ``width`` cells."""
        if isinstance(b, Section):
            return [[], *text(b.heading, width, "bold"), *(line for x in b.blocks for line in self.block(x, width))]
        if isinstance(b, Paragraph):
            return text(b.text + cite(b.cites), width, _STYLES.get(b.style, ""))
        if isinstance(b, Items):
            return self.items(b, width)
        if isinstance(b, Table):
            return self.listed_table(b, width) if self.listed else self.table(b, width)
        if isinstance(b, Picture):
            return self.picture(b, width)
        if isinstance(b, Legend):
            marks = icons.UNICODE_MARKS
            said = [f"{marks[k]} {meaning}" for k, meaning in b.items] + list(b.text)
            return [line for words in said for line in text(words, width, "dim")]
        if isinstance(b, Sources):
            return [line for s in b.items for line in text(s.plain(), width, "dim")]
        return []

    def items(self, b: Items, width: int) -> list[Line]:
        out: list[Line] = []
        for n, item in enumerate(b.items, 1):
            mark = {"numbered": f"{n}.", "check": "\u2610"}.get(b.kind, "\u2022")
            style = "bold" if b.kind == "numbered" else ""
            out += indented(f"{mark} {item.text}{cite(item.cites)}", width, 2, style)
            out += [line for p in item.under for line in indented(p.text + cite(p.cites), width, 4)]
        return out

    def listed_table(self, t: Table, width: int) -> list[Line]:
        out: list[Line] = [[], *text(t.caption, width, "bold")]
        for row in t.rows:
            if len(t.columns) == 1:
                c = row.cells[0]
                out += indented(f"{row.header}{cite(row.cites)} {(c.said() + cite(c.cites)).strip()}", width)
                continue
            out += text(row.header + cite(row.cites), width, "bold")
            for column, c in zip(t.columns, row.cells, strict=False):
                if c.lines or c.cites:
                    out += indented(f"{column}: {(c.said() + cite(c.cites)).strip()}", width)
        return out

    def table(self, t: Table, width: int) -> list[Line]:
        header = [t.corner, *t.columns]
        rows = [
            [row.header + cite(row.cites), *(("\n".join(c.lines) + cite(c.cites)).strip() for c in row.cells)]
            for row in t.rows
        ]
        return table(t.caption, header, rows, width, [2, *[3] * len(t.columns)])

    def picture(self, p: Picture, width: int) -> list[Line]:
        out: list[Line] = [[], *text(p.caption, width, "bold")]
        for s in p.series:
            out += indented(s.label, width)
            grid = icons.strip(icons.IconArray(s.label, s.low, s.high, s.bound), width=self.width - 4)
            out += [[("    ", ""), *filled([(line, "")], width - 4)] for line in grid]
        out += [line for s in p.series for line in text(s.words, width, "dim")]
        return out
