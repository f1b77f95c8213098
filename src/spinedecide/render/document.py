"""The document: a report's ordered sections as plain data, built once (render/build.py).

Text, markdown, html and rich only present a Document; none of them writes a patient-facing
sentence of its own. Every block is marked with its layer: ``key`` (the key points), ``cards``
(the outcome cards and everything a person reads next) or ``full`` (pictures, sources, methods and
the rules' metadata). A writer shows the blocks of the layers asked for (``visible``).

The block types are generic (heading, paragraph, list, table, picture, note, ...), so a new
section is added by building it from these blocks, never by teaching four writers a sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

LAYERS = ("key", "cards", "full")


class Paragraph(Struct, frozen=True):
    """A paragraph. ``style``: '' (plain), 'strong', 'quiet' (small print), 'note' (italic),
    'action' (what to do, in bold), 'figure' (a figure, in bold). ``cites``: source numbers."""

    text: str
    cites: tuple[int, ...] = ()
    style: str = ""
    layer: str = "cards"


class Item(Struct, frozen=True):
    """One item of a list, with paragraphs under it (e.g. a knowledge-check answer)."""

    text: str
    cites: tuple[int, ...] = ()
    under: tuple[Paragraph, ...] = ()
    strong: bool = False


class Items(Struct, frozen=True):
    """A list. ``kind``: 'bullet', 'numbered' or 'check' (a box to tick)."""

    items: tuple[Item, ...]
    kind: str = "bullet"
    layer: str = "cards"


class Cell(Struct, frozen=True):
    """A table cell: one or more lines (sentences, or a list when ``listed``), and the sources cited."""

    lines: tuple[str, ...]
    cites: tuple[int, ...] = ()
    listed: bool = False

    def said(self) -> str:
        """The cell on one line: a list's items with '; ', sentences with a space."""
        return ("; " if self.listed else " ").join(self.lines)


class Row(Struct, frozen=True):
    header: str
    cells: tuple[Cell, ...]
    cites: tuple[int, ...] = ()  # cited in the row's header


class Table(Struct, frozen=True):
    """A table: a caption, column headings (``corner`` over the row headings) and rows. ``kind``
    'options' is one column per option: on a phone or narrow screen each cell names its option."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    corner: str = ""
    kind: str = "options"
    layer: str = "cards"


class Series(Struct, frozen=True):
    """One row of a picture: whose figure (an option, for you or typical) in 100 people."""

    label: str
    low: float
    high: float
    bound: str | None = None
    words: str = ""  # the series in words (the picture's text equivalent)


class Picture(Struct, frozen=True):
    """One picture of 100 people for each series, on one denominator, with the words it says."""

    caption: str
    series: tuple[Series, ...]
    layer: str = "full"


class Legend(Struct, frozen=True):
    """How to read the pictures (the marks' meanings), said once."""

    items: tuple[tuple[str, str], ...]  # (mark kind: filled | range | empty, meaning)
    text: tuple[str, ...] = ()
    layer: str = "full"


class Source(Struct, frozen=True):
    number: int
    text: str  # the citation and its identifiers
    url: str | None = None
    secondary: tuple[str, str] | None = None  # (said before, citation), its url in secondary_url
    secondary_url: str | None = None
    tail: str = ""  # how it was read

    def plain(self) -> str:
        """'[3] Citation. PMID 1. https://... As summarised in: ... Read: the abstract.'"""
        said = [f"[{self.number}] {self.text}", self.url or "", *(self.secondary or ()), self.secondary_url or ""]
        return " ".join(x for x in (*said, self.tail) if x)


class Sources(Struct, frozen=True):
    items: tuple[Source, ...]
    layer: str = "full"


class FillIn(Struct, frozen=True):
    """Print only: blank lines to fill by hand (names), and room for the person's own questions."""

    fields: tuple[str, ...]
    heading: str
    lines: int
    made: str  # 'Made on 1 December 2026.'
    layer: str = "key"


class Section(Struct, frozen=True):
    """A heading and its blocks. ``kind``: 'plain', 'key' (the key points), 'urgent', 'reminder',
    'card' (one outcome card, kept whole on paper), 'group' (holds cards)."""

    id: str
    heading: str
    blocks: tuple[Block, ...]
    level: int = 2
    layer: str = "cards"
    kind: str = "plain"


Block = Paragraph | Items | Table | Picture | Legend | Sources | FillIn | Section


class Document(Struct, frozen=True):
    title: str
    meta: str  # the rules version line, said under the title
    sections: tuple[Section, ...]
    urgent: bool = False
    #: How to see more when a layer is left out, worded per medium: (detail, sentence) for a
    #: terminal (text, rich) and for a page (markdown, html).
    more_terminal: tuple[tuple[str, str], ...] = ()
    more_page: tuple[tuple[str, str], ...] = ()
    handout: FillIn | None = None  # print only (html)

    def more(self, detail: str, *, page: bool) -> str:
        """The 'see more' line for this detail level ('' when nothing is left out)."""
        if not cut(self, detail):
            return ""
        return dict(self.more_page if page else self.more_terminal).get(detail, "")


def shown_layers(detail: str, urgent: bool = False) -> tuple[str, ...]:
    """The layers a detail level shows. An urgent report is always shown whole."""
    if urgent or detail not in LAYERS:
        return LAYERS
    return LAYERS[: LAYERS.index(detail) + 1]


def visible(doc: Document, detail: str) -> tuple[Section, ...]:
    """The document's sections at this detail level, each holding only the blocks it shows."""
    layers = shown_layers(detail, doc.urgent)
    return tuple(s for s in (_filtered(s, layers) for s in doc.sections if s.layer in layers) if s is not None)


def _filtered(section: Section, layers: tuple[str, ...]) -> Section | None:
    blocks: list[Block] = []
    for b in section.blocks:
        if b.layer not in layers:
            continue
        if isinstance(b, Section):
            inner = _filtered(b, layers)
            if inner is not None:
                blocks.append(inner)
        else:
            blocks.append(b)
    return Section(section.id, section.heading, tuple(blocks), section.level, section.layer, section.kind)


def cut(doc: Document, detail: str) -> bool:
    """Whether this detail level leaves part of the document out (then the 'more' line is said)."""
    return shown_layers(detail, doc.urgent) != LAYERS


def sentences(sections: tuple[Section, ...]) -> Iterator[str]:
    """Every piece of text the sections say, in order: what every format must say the same way."""
    for s in sections:
        yield s.heading
        for b in s.blocks:
            yield from _said(b)


def _said(b: Block) -> Iterator[str]:
    if isinstance(b, Section):
        yield from sentences((b,))
    elif isinstance(b, Paragraph):
        yield b.text
    elif isinstance(b, Items):
        for item in b.items:
            yield item.text
            yield from (p.text for p in item.under)
    elif isinstance(b, Table):
        # The corner and a lone column's heading label a table's layout, which a linear
        # presentation (text, a narrow terminal) gives by itself: they are not sentences.
        yield from (x for x in (b.caption, *(b.columns if len(b.columns) > 1 else ())) if x)
        for row in b.rows:
            yield row.header
            yield from (line for c in row.cells for line in c.lines)
    elif isinstance(b, Picture):
        yield b.caption
        yield from (s.words for s in b.series)
    elif isinstance(b, Legend):
        yield from (meaning for _kind, meaning in b.items)
        yield from b.text
    elif isinstance(b, Sources):
        yield from (s.text for s in b.items)
