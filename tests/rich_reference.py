"""An oracle for tests/test_rich_layout.py: the terminal report as Rich itself laid it out.

This is render/rich.py as it was before the report laid itself out (main at 9769d9c): every
section a Rich Panel, lists in Padding, wide tables a Rich Table, wrapped by Rich. The renderer
must draw exactly what this draws; change both together only when the look is meant to change.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from spinedecide.display import ASCII_TABLE
from spinedecide.render import build, icons
from spinedecide.render.document import (
    Block,
    Document,
    Items,
    Legend,
    Paragraph,
    Picture,
    Section,
    Sources,
    Table,
    visible,
)
from spinedecide.render.text import fitted
from spinedecide.report import Report

KEY_TABLE = 110  # below this many columns, tables (the key points too) are lists
_STYLES = {"strong": "bold", "action": "bold", "figure": "bold", "quiet": "dim", "note": "italic"}
_BORDERS = {"key": "green", "urgent": "red", "reminder": "red", "card": "white", "note": "cyan"}


def make_console(out: TextIO, *, color: bool, width: int | None) -> Console:
    return Console(
        file=out,
        width=width,
        no_color=not color,
        color_system="auto" if color else None,
        force_terminal=color or None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


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
    console = make_console(out, color=color, width=width)
    # Below KEY_TABLE columns the key points are a list, with as many key outcomes as the text
    # format fits in its 40 lines; wider, a table of them all.
    listed = console.width < KEY_TABLE
    most = fitted(report, console.width - 4) if listed else None
    write(build.build(report, most=most, explain=explain), console, detail=detail)


def write(doc: Document, console: Console, *, detail: str = "full") -> None:
    w = _Writer(console.width < KEY_TABLE, console.width)
    console.print(Text(doc.title, style="bold"))
    console.print(Text(doc.meta, style="dim"))
    console.print()
    for section in visible(doc, detail):
        if section.kind == "group":  # the cards: a heading, then one panel for each card
            console.print(Text(section.heading, style="bold underline"))
            for b in section.blocks:
                if isinstance(b, Section) and b.kind == "card":
                    console.print(w.panel(b))
                else:
                    console.print(Group(*w.block(b)))
            console.print()
        else:
            console.print(w.panel(section))
    more = doc.more(detail, page=False)
    if more:
        console.print(Text(more, style="bold"))


def cite(numbers: tuple[int, ...]) -> str:
    return (" " + "".join(f"[{n}]" for n in numbers)) if numbers else ""


def _indented(text: str, style: str = "", by: int = 2) -> Padding:
    return Padding(Text(text, style=style), (0, 0, 0, by))


class _Writer:
    def __init__(self, listed: bool, width: int = 80) -> None:
        self.listed = listed
        self.width = width

    def panel(self, s: Section) -> Panel:
        loud = s.kind in ("urgent", "reminder")
        body: list[RenderableType] = [r for b in s.blocks for r in self.block(b)]
        return Panel(
            Group(*body),
            title=escape(s.heading.upper() if loud else s.heading),
            border_style=_BORDERS.get(s.kind, "white"),
            box=box.HEAVY if loud else box.ROUNDED,
        )

    def block(self, b: Block) -> list[RenderableType]:
        if isinstance(b, Section):
            return [Text(""), Text(b.heading, style="bold"), *(r for x in b.blocks for r in self.block(x))]
        if isinstance(b, Paragraph):
            return [Text(b.text + cite(b.cites), style=_STYLES.get(b.style, ""))]
        if isinstance(b, Items):
            return self.items(b)
        if isinstance(b, Table):
            return self.listed_table(b) if self.listed else [self.table(b)]
        if isinstance(b, Picture):
            return self.picture(b)
        if isinstance(b, Legend):
            marks = icons.UNICODE_MARKS
            said = [f"{marks[k]} {meaning}" for k, meaning in b.items] + list(b.text)
            return [Text(line, style="dim") for line in said]
        if isinstance(b, Sources):
            return [Text(s.plain(), style="dim") for s in b.items]
        return []

    def items(self, b: Items) -> list[RenderableType]:
        out: list[RenderableType] = []
        for n, item in enumerate(b.items, 1):
            mark = {"numbered": f"{n}.", "check": "\u2610"}.get(b.kind, "\u2022")
            out.append(_indented(f"{mark} {item.text}{cite(item.cites)}", "bold" if b.kind == "numbered" else ""))
            out += [_indented(p.text + cite(p.cites), by=4) for p in item.under]
        return out

    def listed_table(self, t: Table) -> list[RenderableType]:
        out: list[RenderableType] = [Text(""), Text(t.caption, style="bold")]
        for row in t.rows:
            if len(t.columns) == 1:
                c = row.cells[0]
                out.append(_indented(f"{row.header}{cite(row.cites)} {(c.said() + cite(c.cites)).strip()}"))
                continue
            out.append(Text(row.header + cite(row.cites), style="bold"))
            out += [
                _indented(f"{column}: {(c.said() + cite(c.cites)).strip()}")
                for column, c in zip(t.columns, row.cells, strict=False)
                if c.lines or c.cites
            ]
        return out

    def table(self, t: Table) -> RichTable:
        table = RichTable(title=escape(t.caption), box=box.ROUNDED, show_lines=True, expand=True)
        table.add_column(escape(t.corner), style="bold", ratio=2)
        for column in t.columns:
            table.add_column(escape(column), ratio=3)
        for row in t.rows:
            cells = [Text(("\n".join(c.lines) + cite(c.cites)).strip()) for c in row.cells]
            table.add_row(Text(row.header + cite(row.cites)), *cells)
        return table

    def picture(self, p: Picture) -> list[RenderableType]:
        out: list[RenderableType] = [Text(""), Text(p.caption, style="bold")]
        for s in p.series:
            grid = icons.strip(icons.IconArray(s.label, s.low, s.high, s.bound), width=self.width - 4)
            out.append(_indented(s.label))
            out.append(Padding(Text("\n".join(grid), no_wrap=True, overflow="crop"), (0, 0, 0, 4)))
        out += [Text(s.words, style="dim") for s in p.series]
        return out
