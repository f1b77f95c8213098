"""Markdown for notes and tickets: the Document (render/build.py) with headings, tables, lists and
each card's picture in a code block (with its words).

All text is escaped, so text from the rules file can never turn into links, HTML or formatting.
It presents the document and writes no sentence of its own.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from ..report import Report
from . import build, icons
from .document import Block, Document, Items, Legend, Paragraph, Picture, Section, Source, Sources, Table, visible

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LEADING = re.compile(r"^([#+=>-]|\d+(?=[.)](?:\s|$)))")
_SAFE_URL = re.compile(r"^https?://[^\s<>`]+$")
_STYLE = {"strong": "**{}**", "action": "**{}**", "figure": "**{}**", "quiet": "_{}_", "note": "_{}_"}


def md(text: object) -> str:
    """Escape Markdown (and inline HTML) in a piece of text; keep it on one line.

    Emphasis, code, links, HTML and table pipes are escaped everywhere; a leading ``#``, ``+``,
    ``-``, ``>`` or ``1.`` is escaped so that the text never becomes a heading, list or quote.
    """
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    return _LEADING.sub(lambda m: "\\" + m.group(1) if not m.group(1)[0].isdigit() else m.group(1) + "\\", flat)


def cell(lines: list[str]) -> str:
    """A table cell: escaped already, lines joined with <br> (tables cannot hold newlines)."""
    return "<br>".join(lines) if lines else " "


def cite(numbers: tuple[int, ...]) -> str:
    return (" " + "".join(f"\\[{n}\\]" for n in numbers)) if numbers else ""


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def gap(self) -> None:
        if self.lines and self.lines[-1] not in ("", ">"):
            self.add()

    def section(self, s: Section, quote: str = "") -> None:
        """A heading and its blocks; an urgent part is a quote, its headings and all."""
        quote = "> " if s.kind in ("urgent", "reminder") else quote
        self.gap()
        self.add(f"{quote}{'#' * s.level} {'⚠ ' if s.kind in ('urgent', 'reminder') else ''}{md(s.heading)}")
        self.add(quote.rstrip())
        for b in s.blocks:
            self.block(b, quote)

    def block(self, b: Block, quote: str = "") -> None:
        if isinstance(b, Section):
            self.section(b, quote)
        elif isinstance(b, Paragraph):
            text = md(b.text)
            text = _STYLE[b.style].format(text) if b.style in _STYLE else text
            self.add(f"{quote}{text}{cite(b.cites)}")
            self.add(quote.rstrip())
        elif isinstance(b, Items):
            self.items(b)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Picture):
            self.picture(b)
        elif isinstance(b, Legend):
            marks = icons.UNICODE_MARKS
            self.gap()
            for kind, meaning in b.items:
                self.add(f"- `{marks[kind]}` {md(meaning)}")
            self.add()
            for text in b.text:
                self.add(md(text))
                self.add()
        elif isinstance(b, Sources):
            for s in b.items:
                self.add(f"{s.number}. {_source(s)}")
            self.add()

    def items(self, b: Items) -> None:
        self.gap()
        for n, item in enumerate(b.items, 1):
            mark = {"numbered": f"{n}.", "check": "- [ ]"}.get(b.kind, "-")
            self.add(f"{mark} {md(item.text)}{cite(item.cites)}")
            for p in item.under:
                self.add(f"   {md(p.text)}{cite(p.cites)}")
        self.add()

    def table(self, t: Table) -> None:
        self.gap()
        self.add(f"**{md(t.caption)}**")
        self.add()
        self.add(f"| {md(t.corner) + ' ' if t.corner else ''}| " + " | ".join(md(c) for c in t.columns) + " |")
        self.add("| --- |" + " --- |" * len(t.columns))
        for row in t.rows:
            cells = [(cell([md(line) for line in c.lines]) if c.lines else "") + cite(c.cites) for c in row.cells]
            self.add(f"| **{md(row.header)}**{cite(row.cites)} | " + " | ".join(c.strip() or " " for c in cells) + " |")
        self.add()

    def picture(self, p: Picture) -> None:
        self.gap()
        self.add(f"_{md(p.caption)}_")
        self.add()
        for s in p.series:  # the label outside the code block, so it is escaped like all text
            self.add(f"{md(s.label)}:")
            self.add()
            self.add("```text")
            self.lines += icons.strip(icons.IconArray(s.label, s.low, s.high, s.bound))
            self.add("```")
            self.add()
        for s in p.series:
            self.add(md(s.words))
            self.add()


def _source(s: Source) -> str:
    text = md(s.text)
    if s.url:
        text += f" <{s.url}>" if _SAFE_URL.match(s.url) else f" {md(s.url)}"
    if s.secondary:
        said, citation = s.secondary
        url = s.secondary_url or ""
        text += f" {md(said)} {md(citation)} " + (f"<{url}>" if _SAFE_URL.match(url) else md(url))
    return text + (f" {md(s.tail)}" if s.tail else "")


def write(doc: Document, out: TextIO, *, detail: str = "full") -> None:
    w = _Writer()
    w.add(f"# {md(doc.title)}")
    w.add()
    w.add(md(doc.meta))
    for section in visible(doc, detail):
        w.section(section)
    more = doc.more(detail, page=True)
    if more:
        w.gap()
        w.add(md(more))
    w.gap()
    w.add(f"_{md(doc.meta)}_")  # the version again, as the last line (as on the page's footer)
    out.write("\n".join(w.lines).rstrip("\n") + "\n")


def render(report: Report, out: TextIO, *, explain: bool = False, detail: str = "full", **_: Any) -> None:
    write(build.build(report, explain=explain), out, detail=detail)
