"""Markdown for notes and tickets: the same sections as the text report, the options side by side
as a table, and an icon array (in a code block, with its text equivalent) for every figure.

All text from the rules file is escaped, so it can never turn into links, HTML or formatting.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from ..report import FindingView, Report, SourceView
from . import deliberation, icons, keypoints, phrases
from .common import (
    COMPARE_WITH_CARE,
    LIVING_LABELS,
    SECONDARY,
    UNCHANGED_HEADING,
    UNCHANGED_INTRO,
    about_lines,
    answer_text,
    elective_heading,
    elective_note,
    figure_basis,
    fits_text,
    grid_question,
    read_words,
    reminder_actions,
    reminder_heading,
    rules_line,
    source_ids,
    unchanged,
    urgent_heading,
    urgent_intro,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LEADING = re.compile(r"^([#+=>-]|\d+(?=[.)](?:\s|$)))")


def md(text: object) -> str:
    """Escape Markdown (and inline HTML) in a piece of text; keep it on one line.

    Emphasis, code, links, HTML and table pipes are escaped everywhere; a leading ``#``, ``+``,
    ``-``, ``>`` or ``1.`` is escaped so that the text never becomes a heading, list or quote.
    """
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    return _LEADING.sub(lambda m: "\\" + m.group(1) if not m.group(1)[0].isdigit() else m.group(1) + "\\", flat)


def _blocks(add: Any, heading: Any, blocks: list[deliberation.Block], cite: Any) -> None:
    """The deliberation's blocks as Markdown, every piece of text escaped."""
    for b in blocks:
        if isinstance(b, deliberation.Heading):
            heading(2, b.text)
        elif isinstance(b, deliberation.Para):
            add(f"{md(b.text)} {cite(b.sources)}".rstrip() if b.sources else md(b.text))
            add("")
        elif isinstance(b, deliberation.Bullets):
            add("\n".join(f"- {md(t)} {cite(s)}".rstrip() if s else f"- {md(t)}" for t, s in b.items))
            add("")
        else:
            add("| " + " | ".join(md(h) for h in b.header) + " |")
            add("|" + " --- |" * len(b.header))
            for row in b.rows:
                add("| " + " | ".join(f"{md(t)} {cite(s)}".rstrip() if s else md(t) or " " for t, s in row) + " |")
            add("")


def cell(lines: list[str]) -> str:
    """A table cell: escaped already, lines joined with <br> (tables cannot hold newlines)."""
    return "<br>".join(lines) if lines else " "


def render(report: Report, out: TextIO, *, explain: bool = False, detail: str = "full", **_: Any) -> None:
    numbers = {s.id: i for i, s in enumerate(report.sources, 1)}
    lines: list[str] = []
    add = lines.append

    def cite(ids: tuple[str, ...]) -> str:
        return "".join(f"\\[{numbers[i]}\\]" for i in ids if i in numbers)

    def heading(level: int, text: str) -> None:
        if lines and lines[-1] != "":
            add("")
        add(f"{'#' * level} {md(text)}")
        add("")

    add(f"# spinedecide: {md(report.rules.get('title'))}")
    add("")
    add(md(rules_line(report)))
    kp = keypoints.build(report)
    if kp is not None:
        _key_points(add, heading, kp, report)
        if detail == "key":
            add("")
            add(md(kp.more))
            out.write("\n".join(lines).rstrip("\n") + "\n")
            return

    if report.urgent:
        heading(2, f"⚠ {urgent_heading(report)}")
        add(f"> **{md(urgent_intro(report))}**")
        for reason in report.urgent_reasons:
            add(">")
            add(f"> **{md(reason.title)}**  ")
            add(f"> {md(reason.text)} {cite(reason.sources)}  ")
            add(f"> **What to do: {md(reason.action)}**")
        heading(2, elective_heading(report) or "")
        add(md(elective_note(report)))

    if not report.urgent:
        heading(2, "The decision")
    if report.diagnosis:
        d = report.diagnosis
        add("")
        add(f"**Your condition:** {md(d['title'])}")
        add("")
        add(md(d["about"]))
        if not report.urgent:  # never "surgery now or not now" while a red flag is present
            add("")
            add(f"**{md(d['decision'])}**{' ' + cite(tuple(d.get('sources', ()))) if d.get('sources') else ''}")

    if report.options:
        heading(2, "Your options side by side")
        add("| | " + " | ".join(md(o.title) for o in report.options) + " |")
        add("| --- |" + " --- |" * len(report.options))
        if report.grid_rows and all(o.grid for o in report.options):
            for row_id, question in report.grid_rows:
                same = report.grid_compared.get(row_id, ())
                marked = md(grid_question(report, row_id, question, lambda _ids: "")) + (
                    f" {cite(same)}" if same else ""
                )
                add(f"| **{marked}** | " + " | ".join(cell([md(dict(o.grid)[row_id])]) for o in report.options) + " |")
        else:
            add("| **What it is** | " + " | ".join(cell([md(o.summary)]) for o in report.options) + " |")
        for label, attr in (
            ("What it can offer", "benefits"),
            ("What it can risk", "risks"),
            ("What it is like", "recovery"),
        ):
            cells = []
            for option in report.options:
                items = []
                for f in getattr(option, attr):
                    items.append(f"• {md(f.title)}" + (f": {md(phrases.short(f))}" if f.estimate else ""))
                cells.append(cell(items))
            add(f"| **{label}** | " + " | ".join(cells) + " |")
        add("")
        add(f'_{md(phrases.DENOMINATORS_SAID)} "For you" figures take your answers into account. {COMPARE_WITH_CARE}_')

        for n, option in enumerate(report.options, 1):
            kind = "an operation" if option.kind == "surgery" else "no operation"
            heading(2, f"Option {n}: {option.title} ({kind})")
            add(md(option.summary))
            for label, findings in (
                ("What it can offer", option.benefits),
                ("What it can risk", option.risks),
                ("What it is like", option.recovery),
            ):
                heading(3, label)
                for finding in findings:
                    _finding(add, finding, cite)
            if option.living:
                heading(3, "Living with this choice")
                for aspect, text in option.living:
                    add(f"- **{LIVING_LABELS.get(aspect, aspect)}:** {md(text)}")
                if option.living_sources:
                    add(f"- Sources: {cite(option.living_sources)}")
                add("")

    if report.considerations:
        heading(2, "Things you can change or ask about")
        for finding in report.considerations:
            _finding(add, finding, cite)

    _blocks(add, heading, deliberation.blocks(report, "weighing"), cite)
    if report.priorities and report.deliberation.weighing is None:
        heading(2, "What matters to you")
        add("This does not tell you what to choose; it shows which option tends to fit each thing that matters to you.")
        add("")
        add("| What matters to you | You said | Tends to fit |")
        add("| --- | --- | --- |")
        for p in report.priorities:
            fits = fits_text(report, p)
            add(f"| {md(p.question)} | {md(p.answer_label)} | {md(fits)}: {md(p.text)} {cite(p.sources)} |")
        add("")
    if report.leaning:
        heading(2, "Where you are leaning")
        add(f"You said: {md(report.leaning['label'])}. You can change your mind at any time.")
    if report.sure:
        sure = report.sure
        heading(2, "Are you ready to decide? (the SURE test)")
        add(
            f"Your score: **{sure.score} out of {sure.out_of}**"
            + ("" if sure.complete else " (not every question was answered)")
            + "."
        )
        add("")
        if sure.next_steps:
            add("A score below 4 means you may not feel ready yet. That is common. These steps can help:")
            add("")
            for step in sure.next_steps:
                add(f"- {md(step)}")
    if report.questions_to_ask:
        heading(2, "Questions to ask your surgeon")
        for _id, text in report.questions_to_ask:
            add(f"- [ ] {md(text)}")
    _blocks(add, heading, deliberation.blocks(report, "support_plan") + deliberation.blocks(report, "quiz"), cite)
    if report.knowledge_check and report.deliberation.quiz is None:
        heading(2, "Check what you know")
        for n, q in enumerate(report.knowledge_check, 1):
            add(f"{n}. True or false? {md(q.statement)}")
            add(f"   _Answer: {'True' if q.answer else 'False'}._ {md(q.explanation)} {cite(q.sources)}".rstrip())
        add("")

    if report.not_tailored:
        heading(2, "What could not be tailored")
        add(
            'You answered "unknown" to these questions, or did not answer them, '
            "so the figures do not take them into account:"
        )
        add("")
        for item in report.not_tailored:
            add(f"- {md(item.question)}")

    if report.no_figure_changed:
        heading(2, UNCHANGED_HEADING)
        add(md(UNCHANGED_INTRO))
        add("")
        for line in unchanged(report):
            add(f"- {md(line)}")

    heading(2, "Your answers")
    add("| Question | Your answer |")
    add("| --- | --- |")
    for factor, value in report.answers.items():
        shown = md(answer_text(report, factor, value))
        if factor in report.derived:
            shown += " (worked out from your height and weight)"
        add(f"| {md(report.questions.get(factor, factor))} | {shown} |")

    if explain:
        heading(2, "Why: the rules that fired")
        if not report.explanations:
            add("No rules fired: every figure is the typical one.")
        else:
            add("| Rule | When | Your answers | Changes |")
            add("| --- | --- | --- | --- |")
            for e in report.explanations:
                got = ", ".join(f"{k} = {v}" for k, v in e.answers)
                add(
                    f"| \\[{md(e.kind)}\\] {md(e.id)}: {md(e.title)} | {md(e.condition)} | {md(got or 'none')} | "
                    f"{md(', '.join(e.changes or e.findings)) or ' '} |"
                )

    heading(2, "Sources")
    for i, source in enumerate(report.sources, 1):
        add(f"{i}. {_source(source)}")

    heading(2, "About this decision aid")
    for line in about_lines(report):
        add(f"- {md(line)}")
    add("")

    heading(2, "Please note")
    add(md(report.disclaimer))
    add("")
    add(f"_{md(rules_line(report))}_")
    if report.urgent:  # the same advice again, as the last thing printed
        heading(2, f"⚠ {reminder_heading(report)}")
        for action in reminder_actions(report):
            add(f"> **{md(action)}**  ")
    out.write("\n".join(lines).rstrip("\n") + "\n")


def _key_points(add: Any, heading: Any, kp: keypoints.KeyPoints, report: Report) -> None:
    heading(2, kp.heading)
    add(md(kp.condition))
    add("")
    add(f"**{md(kp.decision)}**")
    heading(3, kp.options_heading)
    add("| | " + " | ".join(md(o.title) for o in report.options) + " |")
    add("| --- |" + " --- |" * len(report.options))
    for row in kp.rows:
        add(f"| **{md(row.title)}** | " + " | ".join(cell([md(c.text)]) for c in row.cells) + " |")
    add("")
    for line in (kp.left_out, *kp.legend):
        if line:
            add(md(line))
            add("")
    if kp.matters:
        heading(3, kp.matters_heading)
        for line in kp.matters:
            add(f"- {md(line)}")
        add("")
    if kp.leaning:
        add(md(kp.leaning))


def _source(s: SourceView) -> str:
    ids = source_ids(s)
    text = md(s.citation) + (f" {md(ids)}." if ids else "")
    if s.url:
        text += f" <{s.url}>" if _SAFE_URL.match(s.url) else f" {md(s.url)}"
    if s.secondary:
        citation, url = s.secondary
        text += f" {SECONDARY} {md(citation)} " + (f"<{url}>" if _SAFE_URL.match(url) else md(url))
    text += md(read_words(s))
    return text


_SAFE_URL = re.compile(r"^https?://[^\s<>`]+$")


def _finding(add: Any, finding: FindingView, cite: Any) -> None:
    add(f"- **{md(finding.title)}**")
    add("")
    if finding.estimate:
        first, *rest = phrases.figure_lines(finding)
        add(f"  **{md(first)}**")
        add("")
        for line in rest:
            add(f"  {md(line)}")
            add("")
    elif finding.no_figure:
        add(f"  **How many people: not well known.** {md(finding.no_figure)}")
        add("")
    add(f"  {md(finding.text)} {cite(finding.sources)}".rstrip())
    add("")
    for note in phrases.notes(finding):
        add(f"  _{md(note)}_")
        add("")
    if finding.estimate:
        add(f"  {md(figure_basis(finding.estimate))}")
        add("")
        if not finding.estimate.pictured:
            add(f"  {md(phrases.no_picture(finding.estimate))}")
            add("")
            return
        add("  ```text")
        for line in icons.text_block(finding.estimate, words=False).splitlines():
            add(f"  {line}")
        add("  ```")
        add("")
        add(f"  {md(icons.text_equivalent(finding.estimate))}")
        add("")
