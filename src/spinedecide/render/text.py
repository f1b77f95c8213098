"""Plain text for pipes, files and screen readers: no escape codes, wrapped to a width.

It presents the Document (render/build.py) and writes no sentence of its own.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any, TextIO

from ..report import Report
from . import build, icons
from .document import Block, Cell, Document, FillIn, Items, Legend, Paragraph, Picture, Section, Sources, Table, visible

#: The key points, with the lines above and below them, fit this many lines.
KEY_POINTS_LINES = 40


class _Writer:
    def __init__(self, out: TextIO, width: int, ascii: bool = False) -> None:
        self.out = out
        self.width = max(40, min(width, 100))
        self.ascii = ascii
        self.dense = False

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def para(self, text: str, indent: str = "", first: str | None = None) -> None:
        wrapped = textwrap.fill(
            text,
            width=self.width,
            initial_indent=first if first is not None else indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        self.out.write(wrapped + "\n")

    def heading(self, text: str, mark: str = "=") -> None:
        self.line()
        self.line(text.upper() if mark == "=" else text)
        self.line(mark * min(len(text), self.width))

    # -- the document's blocks --------------------------------------------------------------------

    def section(self, s: Section) -> None:
        if s.level <= 2:
            self.heading(s.heading)
        elif s.kind == "card":
            self.heading(s.heading, "-")
        else:
            self.line()
            self.para(s.heading + ":")
        loud = s.kind in ("urgent", "reminder")
        if s.kind == "key":
            self.dense = True  # the key points keep to 40 lines: no blank line before a strong line
        for b in s.blocks:
            self.block(b, loud)
        if s.kind == "key":
            self.dense = False

    def block(self, b: Block, loud: bool = False) -> None:
        if isinstance(b, Section):
            self.section(b)
        elif isinstance(b, Paragraph):
            self.paragraph(b, loud)
        elif isinstance(b, Items):
            self.items(b)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Picture):
            self.picture(b)
        elif isinstance(b, Legend):
            marks = icons.ASCII_MARKS if self.ascii else icons.UNICODE_MARKS
            for kind, meaning in b.items:
                self.para(f"{marks[kind]} {meaning}", indent="    ", first="  ")
            for text in b.text:
                self.para(text)
        elif isinstance(b, Sources):
            for s in b.items:
                self.para(s.plain(), indent="    ")
        elif isinstance(b, FillIn):  # pragma: no cover - print only, never in a section
            pass

    def paragraph(self, p: Paragraph, loud: bool) -> None:
        if loud and p.style == "action":
            self.para(f"! {p.text}{cite(p.cites)}", indent="  ", first="")
        else:
            if p.style == "strong" and not self.dense:
                self.line()
            self.para(p.text + cite(p.cites))

    def items(self, b: Items) -> None:
        for n, item in enumerate(b.items, 1):
            mark = {"numbered": f"{n}.", "check": "[ ]"}.get(b.kind, "-")
            if b.kind == "numbered":
                self.line()
                self.para(f"{mark} {item.text}{cite(item.cites)}", indent="   ", first="")
            else:
                self.para(f"{mark} {item.text}{cite(item.cites)}", indent="    ", first="  ")
            for p in item.under:
                self.para(p.text + cite(p.cites), indent="   " if b.kind == "numbered" else "    ")

    def table(self, t: Table) -> None:
        """One block per row: its heading, then each column's cell under it."""
        self.line()
        self.para(t.caption + ":")
        for row in t.rows:
            if len(t.columns) == 1:
                self.para(f"- {row.header}{cite(row.cites)} {_cell(row.cells[0])}", "    ", "  ")
                continue
            self.para(f"* {row.header}{cite(row.cites)}", indent="  ", first="")
            for column, c in zip(t.columns, row.cells, strict=False):
                if c.lines or c.cites:
                    self.para(f"- {column}: {_cell(c)}", indent="    ", first="  ")

    def picture(self, p: Picture) -> None:
        self.line()
        self.para(p.caption + ":")
        for s in p.series:
            self.para(s.label, indent="  ")
            array = icons.IconArray(s.label, s.low, s.high, s.bound)
            for line in icons.strip(array, ascii=self.ascii, width=self.width):
                self.line(f"    {line}")
        for s in p.series:
            self.para(s.words, indent="  ")


def cite(numbers: tuple[int, ...]) -> str:
    return (" " + "".join(f"[{n}]" for n in numbers)) if numbers else ""


def _cell(c: Cell) -> str:
    return (c.said() + cite(c.cites)).strip()


def write(doc: Document, out: TextIO, *, width: int = 80, detail: str = "full", ascii: bool = False) -> None:
    """The document as plain text, at this detail level."""
    w = _Writer(out, width, ascii)
    w.line(doc.title)
    w.para(doc.meta)
    for section in visible(doc, detail):
        w.section(section)
    more = doc.more(detail, page=False)
    if more:
        w.line()
        w.para(more)


def render(
    report: Report,
    out: TextIO,
    *,
    explain: bool = False,
    width: int | None = None,
    detail: str = "full",
    ascii: bool = False,
    **_: Any,
) -> None:
    w = max(40, min(width or 80, 100))
    write(build.build(report, most=fitted(report, w), explain=explain), out, width=w, detail=detail, ascii=ascii)


def fitted(report: Report, width: int) -> int | None:
    """How many key outcomes fit KEY_POINTS_LINES at this width (never narrower figures)."""
    from . import phrases

    most = len(report.key_outcomes)
    while most > 1:
        key = build.key_section(report, most)
        if key is None:
            return None
        probe = io.StringIO()
        w = _Writer(probe, width)
        w.section(key)
        w.line()
        w.para(phrases.MORE_TERMINAL["key"])
        if probe.getvalue().count("\n") + 3 <= KEY_POINTS_LINES:  # 3: the title and rules lines above
            return most
        most -= 1
    return most


def options_preview(report: Report, width: int = 80) -> str:
    """The options side by side, on their own: shown in the interview before the values questions."""
    from . import phrases
    from .build import Cites, side_by_side

    if not (report.options and report.grid_rows and all(o.grid for o in report.options)):
        return ""
    out = io.StringIO()
    w = _Writer(out, width)
    for line in phrases.PREVIEW:
        w.line(line)
    for section in side_by_side(report, Cites(report)):
        for b in section.blocks:
            if isinstance(b, Table):
                w.table(b)
    return out.getvalue()
