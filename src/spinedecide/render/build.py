"""Report -> Document: the ordered sections of a report, built once, each marked with its layer.

The key points (layer 1) come first; an urgent report starts with its urgent part instead. Then the
decision, the options side by side and the outcome cards (layer 2), with the pictures, sources and
the rules' metadata (layer 3). Every sentence comes from the rules file (through the Report) or
from ``phrases``/``common``; the writers (text, markdown, html, rich) only present the result.
"""

from __future__ import annotations

import os
import time

from ..report import FindingView, Report
from . import build_cards, build_closing, keypoints, phrases
from .common import (
    COMPARE_WITH_CARE,
    elective_heading,
    elective_note,
    grid_question,
    rules_line,
    urgent_heading,
    urgent_intro,
)
from .document import Block, Cell, Document, FillIn, Item, Items, Paragraph, Row, Section, Table


class Cites:
    """Source ids -> the numbers the report lists them by."""

    def __init__(self, report: Report) -> None:
        self.numbers = {s.id: i for i, s in enumerate(report.sources, 1)}

    def __call__(self, ids: tuple[str, ...] | list[str]) -> tuple[int, ...]:
        return tuple(self.numbers[i] for i in ids if i in self.numbers)


def build(report: Report, *, most: int | None = None, explain: bool = False) -> Document:
    """The whole document; ``most``: how many key outcomes the key points show (all when None)."""
    cite = Cites(report)
    sections: list[Section] = []
    key = key_section(report, most)
    if key is not None:
        sections.append(key)
    if report.urgent:
        sections += _urgent(report, cite)
    sections += _decision(report, cite)
    sections += side_by_side(report, cite)
    sections += build_cards.sections(report, cite)
    sections += build_closing.support(report, cite)
    sections += build_closing.closing(report, cite, explain)
    return Document(
        title=f"spinedecide: {report.rules.get('title')}",
        meta=rules_line(report),
        sections=tuple(sections),
        urgent=report.urgent,
        more_terminal=tuple(phrases.MORE_TERMINAL.items()),
        more_page=tuple(phrases.MORE_PAGE.items()),
        handout=FillIn(phrases.FILL_IN, phrases.OWN_QUESTIONS, 4, phrases.MADE_ON.format(made_on())),
    )


def made_on(environ: dict[str, str] | None = None) -> str:
    """Today's date in words ('1 December 2026', UTC), or SOURCE_DATE_EPOCH's when it is set."""
    env = os.environ if environ is None else environ
    try:
        when = float(env["SOURCE_DATE_EPOCH"])
    except (KeyError, ValueError):
        when = time.time()
    day = time.gmtime(when)
    return f"{day.tm_mday} {time.strftime('%B %Y', day)}"


def key_section(report: Report, most: int | None = None) -> Section | None:
    """Layer 1, the key points (render/keypoints.py) as a section; None for an urgent report."""
    kp = keypoints.build(report, most)
    if kp is None:
        return None
    table = Table(
        kp.options_heading,
        tuple(o.title for o in report.options),
        tuple(Row(r.title, tuple(Cell((c.text,)) for c in r.cells)) for r in kp.rows),
        kind="key",
        layer="key",
    )
    blocks: list[Block] = [
        Paragraph(kp.condition, layer="key"),
        Paragraph(kp.decision, style="strong", layer="key"),
        table,
    ]
    blocks += [Paragraph(line, style="quiet", layer="key") for line in (kp.left_out, *kp.legend) if line]
    if kp.matters:
        said = Items(tuple(Item(line) for line in kp.matters), layer="key")
        extra: list[Block] = [Paragraph(kp.leaning, layer="key")] if kp.leaning else []
        blocks.append(Section("key-matters", kp.matters_heading, (said, *extra), level=3, layer="key"))
    elif kp.leaning:
        blocks.append(Paragraph(kp.leaning, layer="key"))
    return Section("key-points", kp.heading, tuple(blocks), layer="key", kind="key")


def _urgent(report: Report, cite: Cites) -> list[Section]:
    """The urgent part, first (layer 1 of an urgent report), then the heading over what is for later."""
    blocks: list[Block] = [Paragraph(urgent_intro(report), style="strong", layer="key")]
    for n, reason in enumerate(report.urgent_reasons, 1):
        said = (
            Paragraph(reason.text, cite(reason.sources), layer="key"),
            Paragraph(phrases.WHAT_TO_DO.format(reason.action), style="action", layer="key"),
        )
        blocks.append(Section(f"urgent-{n}", reason.title, said, level=3, layer="key"))
    return [Section("urgent", urgent_heading(report), tuple(blocks), layer="key", kind="urgent")]


def _decision(report: Report, cite: Cites) -> list[Section]:
    """The decision (or, in an urgent report, the heading over what is for later) and the condition."""
    later = elective_heading(report)
    blocks: list[Block] = [Paragraph(elective_note(report))] if later else []
    d = report.diagnosis
    if d:
        blocks += [Paragraph(phrases.condition(d["title"]), style="strong"), Paragraph(d["about"])]
        if not later:  # never "surgery now or not now" while a red flag is present
            blocks.append(Paragraph(d["decision"], cite(tuple(d.get("sources", ()))), style="strong"))
    if not blocks:
        return []
    return [Section("decision", later or phrases.DECISION, tuple(blocks))]


def side_by_side(report: Report, cite: Cites) -> list[Section]:
    """The options answering the same questions (the grid), or their summaries and short figures."""
    options = report.options
    if not options:
        return []
    titles = tuple(o.title for o in options)
    if report.grid_rows and all(o.grid for o in options):
        rows = tuple(
            Row(
                grid_question(report, row_id, question, lambda _ids: ""),
                tuple(Cell((dict(o.grid)[row_id],)) for o in options),
                cite(report.grid_compared.get(row_id, ())),
            )
            for row_id, question in report.grid_rows
        )
        said = (
            Paragraph(f"{phrases.GRID_INTRO} {COMPARE_WITH_CARE} {phrases.GRID_AFTER}"),
            Table(phrases.GRID_CAPTION, titles, rows),
        )
        return [Section("side-by-side", phrases.SIDE_BY_SIDE, said)]
    rows = (Row(phrases.WHAT_IT_IS, tuple(Cell((o.summary,)) for o in options)),) + tuple(
        Row(label, tuple(Cell(_short(getattr(o, attr)), listed=True) for o in options))
        for attr, label in phrases.FINDING_KINDS
    )
    said_after = Paragraph(
        f"{phrases.DENOMINATORS_SAID} \u201cFor you\u201d figures take your answers into account. {COMPARE_WITH_CARE}",
        style="quiet",
    )
    return [Section("side-by-side", phrases.SIDE_BY_SIDE, (Table(phrases.FIGURES_CAPTION, titles, rows), said_after))]


def _short(findings: tuple[FindingView, ...]) -> tuple[str, ...]:
    return tuple(f"{f.title}: {phrases.short(f, whole=True)}" if f.estimate else f.title for f in findings)
