"""One self-contained, printable HTML page to bring to the visit: the Document (render/build.py).

The key points fill page one, with the date the page was made, lines for the person's and the
clinician's names and room for their own questions; the outcome cards and pictures follow. Inline
CSS (html_style.py) and inline SVG pictures; no scripts, fonts, images or style sheets are loaded
from anywhere. Every piece of text is escaped. It presents the document and writes no sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any, TextIO

from ..report import Report
from . import build, icons
from .document import (
    Block,
    Document,
    FillIn,
    Items,
    Legend,
    Paragraph,
    Picture,
    Section,
    Source,
    Sources,
    Table,
    visible,
)
from .html_style import CSS

_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def h(text: object) -> str:
    return escape(str(text), quote=True)


def render(report: Report, out: TextIO, *, explain: bool = False, detail: str = "full", **_: Any) -> None:
    out.write(dumps(report, explain=explain, detail=detail))


def dumps(report: Report, *, explain: bool = False, detail: str = "full") -> str:
    doc = build.build(report, explain=explain)
    title = doc.title + (f": {report.diagnosis['title']}" if report.diagnosis else "")
    return _Page(doc, detail).build(title, report.spinedecide_version)


class _Page:
    def __init__(self, doc: Document, detail: str) -> None:
        self.doc = doc
        self.detail = detail
        self.sections = visible(doc, detail)
        self.linked = any(isinstance(b, Sources) for s in self.sections for b in s.blocks)
        self.parts: list[str] = []

    def add(self, html: str) -> None:
        self.parts.append(html)

    def cite(self, numbers: tuple[int, ...]) -> str:
        if not numbers:
            return ""
        if not self.linked:  # the sources are left out at this detail level: no link to nowhere
            return " " + "".join(f"[{n}]" for n in numbers)
        return " " + "".join(f'<a href="#source-{n}">[{n}]</a>' for n in numbers)

    def build(self, title: str, version: str) -> str:
        self.add("<!DOCTYPE html>")
        self.add('<html lang="en">')
        self.add("<head>")
        self.add('<meta charset="utf-8">')
        self.add('<meta name="viewport" content="width=device-width, initial-scale=1">')
        self.add(f'<meta name="generator" content="spinedecide {h(version)}">')
        self.add(f"<title>{h(title)}</title>")
        self.add(f"<style>{CSS}</style>")
        self.add("</head>")
        self.add("<body>")
        self.header()
        self.add("<main>")
        for s in self.sections:
            self.section(s)
            if s.kind == "key":
                self.own_questions(first=True)
        if not any(s.kind == "key" for s in self.sections):
            self.own_questions(first=False)
        more = self.doc.more(self.detail, page=True)
        if more:
            self.add(f'<p class="more"><strong>{h(more)}</strong></p>')
        self.add("</main>")
        self.add(f'<footer><p class="meta">{h(self.doc.meta)}</p></footer>')
        self.add("</body>")
        self.add("</html>")
        return "\n".join(self.parts) + "\n"

    def header(self) -> None:
        self.add("<header>")
        self.add(f"<h1>{h(self.doc.title)}</h1>")
        self.add(f'<p class="meta">{h(self.doc.meta)}</p>')
        fill = self.doc.handout
        if fill is not None:
            self.add('<div class="handout">')
            self.add(f'<p class="made">{h(fill.made)}</p>')
            for label in fill.fields:
                self.add(f'<p>{h(label)}: <span class="blank"></span></p>')
            self.add("</div>")
        self.add("</header>")

    def own_questions(self, *, first: bool) -> None:
        fill: FillIn | None = self.doc.handout
        if fill is None:
            return
        css = "own-questions first" if first else "own-questions"
        self.add(f'<section class="{css}" aria-labelledby="own-questions">')
        self.add(f'<h2 id="own-questions">{h(fill.heading)}</h2>')
        self.add('<div class="write-lines">' + "<div></div>" * fill.lines + "</div>")
        self.add("</section>")

    def section(self, s: Section) -> None:
        kind = {"urgent": "urgent", "reminder": "reminder", "card": "card", "key": "key", "note": "note-section"}
        css = f' class="{kind[s.kind]}"' if s.kind in kind else ""
        # A main section and a card are labelled regions; a part within a section (an option's
        # "What it can risk", said for each option) is not, as a region's label must be unique.
        tag = "section" if s.level <= 2 or s.kind == "card" else "div"
        label = f' aria-labelledby="{h(s.id)}-h"' if tag == "section" else ""
        self.add(f'<{tag}{css} id="{h(s.id)}"{label}>')
        icon = '<span aria-hidden="true">\u26a0 </span>' if s.kind in ("urgent", "reminder") else ""
        self.add(f'<h{s.level} id="{h(s.id)}-h">{icon}{h(s.heading)}</h{s.level}>')
        for b in s.blocks:
            self.block(b)
        self.add(f"</{tag}>")

    def block(self, b: Block) -> None:
        if isinstance(b, Section):
            self.section(b)
        elif isinstance(b, Paragraph):
            text = f"{h(b.text)}{self.cite(b.cites)}"
            if b.style == "strong":
                self.add(f"<p><strong>{text}</strong></p>")
            else:
                self.add(f'<p class="{b.style}">{text}</p>' if b.style else f"<p>{text}</p>")
        elif isinstance(b, Items):
            self.add(_items(b, self.cite))
        elif isinstance(b, Table):
            self.add(_table(b, self.cite))
        elif isinstance(b, Picture):
            self.add(_picture(b, f"pic{len(self.parts)}"))
        elif isinstance(b, Legend):
            self.add(_legend(b))
        elif isinstance(b, Sources):
            self.add('<ol class="sources">' + "".join(f'<li id="source-{s.number}">{_source(s)}</li>' for s in b.items))
            self.add("</ol>")


Cite = Callable[[tuple[int, ...]], str]


def _items(b: Items, cite: Cite) -> str:
    tag = "ol" if b.kind == "numbered" else "ul"
    css = ' class="checklist"' if b.kind == "check" else ""
    box = '<span aria-hidden="true">\u2610 </span>' if b.kind == "check" else ""
    said = []
    for item in b.items:
        under = "".join(f"<p>{h(p.text)}{cite(p.cites)}</p>" for p in item.under)
        text = f"{box}{h(item.text)}{cite(item.cites)}"
        said.append(f"<li><p>{text}</p>{under}</li>" if under else f"<li>{text}</li>")
    return f"<{tag}{css}>" + "".join(said) + f"</{tag}>"


def _table(t: Table, cite: Cite) -> str:
    css = {"options": "options", "key": "options key"}.get(t.kind, "plain")
    corner = f'<th scope="col">{h(t.corner)}</th>' if t.corner else "<td></td>"
    parts = [
        f'<div class="table-wrap"><table class="{css}">',
        f"<caption>{h(t.caption)}</caption>",
        "<thead><tr>" + corner + "".join(f'<th scope="col">{h(c)}</th>' for c in t.columns) + "</tr></thead>",
        "<tbody>",
    ]
    for row in t.rows:
        cells = []
        for column, c in zip(t.columns, row.cells, strict=False):
            said = h(c.lines[0]) if len(c.lines) == 1 else _list(c.lines) if c.listed else _paras(c.lines)
            option = f' data-option="{h(column)}"' if t.kind in ("options", "key") else ""
            cells.append(f"<td{option}>{said}{cite(c.cites)}</td>")
        parts.append(f'<tr><th scope="row">{h(row.header)}{cite(row.cites)}</th>' + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    return "\n".join(parts)


def _picture(p: Picture, uid: str) -> str:
    """One figure: a picture of 100 people for each series, and the words they say."""
    arrays = []
    for k, s in enumerate(p.series):
        array = icons.IconArray(s.label, s.low, s.high, s.bound)
        arrays.append(
            f'<div class="array"><p class="array-label" aria-hidden="true">{h(s.label)}</p>'
            f"{icons.svg(array, uid=f'{uid}-{k}', cols=20)}</div>"
        )
    # The SVGs carry the words as aria-label; the words in the caption are for eyes (and paper).
    words = "".join(f'<span aria-hidden="true"> {h(s.words)}</span>' for s in p.series)
    return (
        f'<figure class="picture"><div class="arrays">{"".join(arrays)}</div>'
        f"<figcaption><strong>{h(p.caption)}.</strong>{words}</figcaption></figure>"
    )


def _legend(b: Legend) -> str:
    marks = "".join(
        f"<li>{_sample(kind, f'legend-{n}')} {h(meaning)}</li>" for n, (kind, meaning) in enumerate(b.items)
    )
    return f'<ul class="legend">{marks}</ul>' + "".join(f"<p>{h(text)}</p>" for text in b.text)


def _paras(lines: tuple[str, ...]) -> str:
    return "".join(f"<p>{h(line)}</p>" for line in lines)


def _list(lines: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{h(line)}</li>" for line in lines) + "</ul>" if lines else ""


def _sample(kind: str, uid: str) -> str:
    """One person as the legend shows it: filled, hatched (the range) or outlined."""
    person = icons.person_shape(0, 0)
    defs = ""
    if kind == icons.RANGE:
        defs = (
            f'<defs><pattern id="{uid}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="2" height="4" fill="currentColor"/></pattern></defs>'
        )
    fill = {icons.FILLED: "currentColor", icons.RANGE: f"url(#{uid}-hatch)", icons.EMPTY: "none"}[kind]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {icons.CELL_W} {icons.CELL_H}" '
        f'aria-hidden="true" focusable="false">{defs}<g fill="{fill}" stroke="currentColor" stroke-width="1.2">'
        f"{person}</g></svg>"
    )


def _source(s: Source) -> str:
    text = h(s.text)
    if s.url:
        # Only web links become links; anything else (javascript:, data:) stays plain text.
        text += f' <a href="{h(s.url)}">{h(s.url)}</a>' if _SAFE_URL.match(s.url) else f" {h(s.url)}"
    if s.secondary:
        said, citation = s.secondary
        url = s.secondary_url or ""
        link = f'<a href="{h(url)}">{h(url)}</a>' if _SAFE_URL.match(url) else h(url)
        text += f" {h(said)} {h(citation)} {link}"
    return text + (f" {h(s.tail)}" if s.tail else "")
