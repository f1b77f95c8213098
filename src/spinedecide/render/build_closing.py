"""The document's later sections: decision support (what matters, leaning, SURE, questions, the
knowledge check), then what was not tailored, the answers, why, sources, about, and the note."""

from __future__ import annotations

from collections.abc import Callable

from ..report import Report, SourceView
from . import deliberation, phrases
from .common import (
    SECONDARY,
    UNCHANGED_HEADING,
    UNCHANGED_INTRO,
    about_lines,
    answer_text,
    read_words,
    reminder_actions,
    reminder_heading,
    source_ids,
    unchanged,
    verdict,
)
from .document import Block, Cell, Item, Items, Paragraph, Row, Section, Source, Sources, Table

Cite = Callable[[tuple[str, ...]], tuple[int, ...]]


def support(report: Report, cite: Cite) -> list[Section]:
    out: list[Section] = deliberated(deliberation.blocks(report, "weighing"), cite)
    if report.priorities and report.deliberation.weighing is None:
        rows = tuple(
            Row(p.question, (Cell((p.answer_label,)), Cell((f"{verdict(report, p)} {p.text}",), cite(p.sources))))
            for p in report.priorities
        )
        table = Table(phrases.PRIORITIES, phrases.PRIORITY_COLUMNS, rows, corner=phrases.PRIORITIES, kind="plain")
        out.append(Section("values", phrases.PRIORITIES, (Paragraph(phrases.PRIORITIES_INTRO), table)))
    if report.leaning:
        said = Paragraph(phrases.LEANING_SAID.format(report.leaning["label"]))
        out.append(Section("leaning", phrases.LEANING, (said,)))
    if report.sure:
        out.append(_sure(report))
    if report.questions_to_ask:
        asked = Items(tuple(Item(text) for _i, text in report.questions_to_ask), kind="check")
        out.append(Section("ask", phrases.QUESTIONS, (asked,)))
    out += deliberated(deliberation.blocks(report, "support_plan") + deliberation.blocks(report, "quiz"), cite)
    if report.knowledge_check and report.deliberation.quiz is None:
        quiz = Items(
            tuple(
                Item(
                    phrases.QUIZ_STATEMENT.format(q.statement),
                    under=(
                        Paragraph(
                            phrases.QUIZ_ANSWER.format("True" if q.answer else "False", q.explanation), cite(q.sources)
                        ),
                    ),
                )
                for q in report.knowledge_check
            ),
            kind="numbered",
        )
        out.append(Section("quiz", phrases.QUIZ, (quiz,)))
    return out


def deliberated(blocks: list[deliberation.Block], cite: Cite) -> list[Section]:
    """The deliberation's blocks (render/deliberation.py) as the document's sections, one per
    heading; a table's columns one after another, each a heading and a list."""
    out: list[Section] = []
    said: list[Block] = []
    heading = ""
    for b in [*blocks, deliberation.Heading("")]:
        if isinstance(b, deliberation.Heading):
            if heading:
                slug = "-".join("".join(c if c.isalnum() else " " for c in heading.lower()).split())
                out.append(Section(slug, heading, tuple(said)))
            heading, said = b.text, []
        elif isinstance(b, deliberation.Para):
            said.append(Paragraph(b.text, cite(b.sources)))
        elif isinstance(b, deliberation.Bullets):
            said.append(Items(tuple(Item(text, cite(sources)) for text, sources in b.items)))
        else:
            for col, head in enumerate(b.header):
                cells = [row[col] for row in b.rows if row[col][0]]
                said += [Paragraph(head, style="strong"), Items(tuple(Item(t, cite(s)) for t, s in cells))]
    return out


def _sure(report: Report) -> Section:
    sure = report.sure
    assert sure is not None
    score = phrases.SURE_SCORE.format(sure.score, sure.out_of)
    blocks: list[Block] = [Paragraph(score if sure.complete else f"{score} {phrases.SURE_INCOMPLETE}", style="strong")]
    if sure.conflict:
        blocks += [Paragraph(phrases.SURE_CONFLICT), Items(tuple(Item(step) for step in sure.next_steps))]
    else:
        blocks.append(Paragraph(phrases.SURE_READY))
    return Section("sure", phrases.SURE, tuple(blocks))


def closing(report: Report, cite: Cite, explain: bool) -> list[Section]:
    out: list[Section] = []
    if report.not_tailored:
        said = Items(tuple(Item(n.question) for n in report.not_tailored))
        out.append(Section("not-tailored", phrases.NOT_TAILORED, (Paragraph(phrases.NOT_TAILORED_INTRO), said)))
    if report.no_figure_changed:
        said = Items(tuple(Item(line) for line in unchanged(report)))
        out.append(Section("unchanged", UNCHANGED_HEADING, (Paragraph(UNCHANGED_INTRO), said)))
    out.append(_answers(report))
    if explain:
        out.append(_why(report))
    sources = Sources(tuple(_source(i, s) for i, s in enumerate(report.sources, 1)))
    out.append(Section("sources", phrases.SOURCES, (sources,), layer="full"))
    about = Items(tuple(Item(line) for line in about_lines(report)), layer="full")
    out.append(Section("about", phrases.ABOUT, (about,), layer="full"))
    out.append(Section("note", phrases.PLEASE_NOTE, (Paragraph(report.disclaimer),), kind="note"))
    if report.urgent:  # the same advice again, as the last thing said
        actions = tuple(Paragraph(a, style="action", layer="key") for a in reminder_actions(report))
        out.append(Section("urgent-reminder", reminder_heading(report), actions, layer="key", kind="reminder"))
    return out


def _answers(report: Report) -> Section:
    rows = []
    for factor, value in report.answers.items():
        shown = answer_text(report, factor, value)
        if factor in report.derived:
            shown += f" {phrases.DERIVED}"
        rows.append(Row(report.questions.get(factor, factor), (Cell((shown,)),)))
    table = Table(phrases.ANSWERS, phrases.ANSWER_COLUMNS[1:], tuple(rows), phrases.ANSWER_COLUMNS[0], "plain")
    return Section("answers", phrases.ANSWERS, (table,))


def _why(report: Report) -> Section:
    if not report.explanations:
        return Section("why", phrases.WHY, (Paragraph(phrases.WHY_NONE, layer="full"),), layer="full")
    rows = tuple(
        Row(
            f"[{e.kind}] {e.id}: {e.title}",
            (
                Cell((e.condition,)),
                Cell((", ".join(f"{k} = {v}" for k, v in e.answers) or "none",)),
                Cell((", ".join(e.changes or e.findings),)),
            ),
        )
        for e in report.explanations
    )
    table = Table(phrases.WHY, phrases.WHY_COLUMNS[1:], rows, phrases.WHY_COLUMNS[0], "plain", layer="full")
    return Section("why", phrases.WHY, (table,), layer="full")


def _source(n: int, s: SourceView) -> Source:
    ids = source_ids(s)
    text = s.citation + (f" {ids}." if ids else "")
    secondary = (SECONDARY, s.secondary[0]) if s.secondary else None
    return Source(n, text, s.url, secondary, s.secondary[1] if s.secondary else None, read_words(s).strip())
