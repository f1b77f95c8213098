"""Plain text for pipes, files and screen readers: no escape codes, wrapped to a width."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any, TextIO

from ..report import FindingView, Report
from . import deliberation, icons, keypoints, phrases
from .common import (
    COMPARE_WITH_CARE,
    LIVING_LABELS,
    UNCHANGED_HEADING,
    UNCHANGED_INTRO,
    about_lines,
    answer_text,
    elective_heading,
    elective_note,
    figure_basis,
    grid_question,
    reminder_actions,
    reminder_heading,
    rules_line,
    source_line,
    unchanged,
    urgent_heading,
    urgent_intro,
    verdict,
)


class _Writer:
    def __init__(self, out: TextIO, width: int) -> None:
        self.out = out
        self.width = max(40, min(width, 100))

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

    def heading(self, text: str) -> None:
        self.line()
        self.line(text.upper())
        self.line("=" * min(len(text), self.width))


def render(
    report: Report,
    out: TextIO,
    *,
    explain: bool = False,
    width: int | None = None,
    detail: str = "full",
    **_: Any,
) -> None:
    w = _Writer(out, width or 80)
    numbers = {s.id: i for i, s in enumerate(report.sources, 1)}

    def cite(ids: tuple[str, ...]) -> str:
        return " " + "".join(f"[{numbers[i]}]" for i in ids if i in numbers)

    w.line(f"spinedecide: {report.rules.get('title')}")
    w.para(rules_line(report))
    kp = fitted(report, w.width)
    if kp is not None:
        _key_points(w, kp)
        if detail == "key":
            w.line()
            w.para(kp.more)
            return

    if report.urgent:
        w.heading(urgent_heading(report))
        w.para(urgent_intro(report))
        for reason in report.urgent_reasons:
            w.line()
            w.para(f"! {reason.title}", indent="  ")
            w.para(reason.text + cite(reason.sources), indent="    ")
            w.para(f"What to do: {reason.action}", indent="    ")
        w.heading(elective_heading(report) or "")
        w.para(elective_note(report))

    diagnosis = report.diagnosis
    if not report.urgent:
        w.heading("The decision")
    if diagnosis:
        if report.urgent:
            w.line()
        w.para(f"Your condition: {diagnosis['title']}")
        w.line()
        w.para(diagnosis["about"])
        if not report.urgent:  # "surgery now or not now" is never the question while a red flag is present
            w.line()
            w.para(diagnosis["decision"] + cite(tuple(diagnosis.get("sources", ()))))

    if report.options and report.grid_rows and all(o.grid for o in report.options):
        w.heading("Your options side by side")
        w.para(
            f"The same questions for each option. Figures here are typical. {COMPARE_WITH_CARE} The figures for "
            "people like you are further down."
        )
        _grid(w, report, cite)
    elif report.options:
        w.heading("Your options side by side")
        for option in report.options:
            key = [
                f"{f.title}: {phrases.short(f, whole=True)}" for f in (*option.benefits, *option.risks) if f.estimate
            ]
            w.para(f"* {option.title}", indent="  ", first="")
            for figure in key[:4]:
                w.para(f"- {figure}", indent="    ", first="  ")
    if report.options:
        for n, option in enumerate(report.options, 1):
            kind = "an operation" if option.kind == "surgery" else "no operation"
            w.heading(f"Option {n}: {option.title} ({kind})")
            w.para(option.summary)
            for label, findings in (
                ("What it can offer", option.benefits),
                ("What it can risk", option.risks),
                ("What it is like", option.recovery),
            ):
                w.line()
                w.line(label + ":")
                for finding in findings:
                    _finding(w, finding, cite)
            if option.living:
                w.line()
                w.line("Living with this choice:")
                for aspect, text in option.living:
                    w.para(f"- {LIVING_LABELS.get(aspect, aspect)}: {text}", indent="    ", first="  ")
                if option.living_sources:
                    w.para(f"Sources:{cite(option.living_sources)}", indent="    ")

    if report.considerations:
        w.heading("Things you can change or ask about")
        for finding in report.considerations:
            _finding(w, finding, cite)

    _decision_support(w, report, cite)

    if report.not_tailored:
        w.heading("What could not be tailored")
        w.para(
            "You answered 'unknown' to these questions, or did not answer them, "
            "so the figures do not take them into account:"
        )
        for item in report.not_tailored:
            w.para(f"- {item.question}", indent="  ")

    if report.no_figure_changed:
        w.heading(UNCHANGED_HEADING)
        w.para(UNCHANGED_INTRO)
        for line in unchanged(report):
            w.para(f"- {line}", indent="    ", first="  ")

    w.heading("Your answers")
    for factor, value in report.answers.items():
        question = report.questions.get(factor, factor)
        shown = answer_text(report, factor, value)
        if factor in report.derived:
            shown += " (worked out from your height and weight)"
        w.para(f"- {question} {shown}", indent="    ", first="  ")

    if explain:
        w.heading("Why: the rules that fired")
        if not report.explanations:
            w.para("No rules fired: every figure is the typical one.")
        for e in report.explanations:
            got = ", ".join(f"{k} = {v}" for k, v in e.answers)
            w.para(f"- [{e.kind}] {e.id}: {e.title}", indent="    ", first="  ")
            w.para(f"when {e.condition}; your answers: {got or 'none'}", indent="    ")
            if e.findings:
                w.para(f"changes: {', '.join(e.changes or e.findings)}", indent="    ")

    w.heading("Sources")
    for i, source in enumerate(report.sources, 1):
        w.para(source_line(i, source), indent="    ")

    w.heading("About this decision aid")
    for line in about_lines(report):
        w.para(line)

    w.heading("Please note")
    w.para(report.disclaimer)

    if report.urgent:  # the same advice again, as the last thing printed
        w.heading(reminder_heading(report))
        for action in reminder_actions(report):
            w.para(f"! {action}", indent="  ", first="")


#: The key points, with the lines above and below them, fit this many lines.
KEY_POINTS_LINES = 40


def fitted(report: Report, width: int) -> keypoints.KeyPoints | None:
    """The key points with as many key outcomes as fit KEY_POINTS_LINES (never narrower figures)."""
    import io

    most = len(report.key_outcomes)
    while True:
        kp = keypoints.build(report, most)
        if kp is None or most <= 1:
            return kp
        probe = io.StringIO()
        w = _Writer(probe, width)
        _key_points(w, kp)
        w.line()
        w.para(kp.more)
        if probe.getvalue().count("\n") + 3 <= KEY_POINTS_LINES:  # 3: the title and rules lines above
            return kp
        most -= 1


def _key_points(w: _Writer, kp: keypoints.KeyPoints) -> None:
    w.heading(kp.heading)
    w.para(kp.condition)
    w.para(kp.decision)
    w.line()
    w.line(kp.options_heading + ":")
    for row in kp.rows:
        w.para(f"* {row.title}", indent="  ", first="")
        for cell in row.cells:
            w.para(f"- {cell.option}: {cell.text}", indent="    ", first="  ")
    if kp.left_out:
        w.para(kp.left_out)
    for line in kp.legend:
        w.para(line)
    if kp.matters:
        w.line()
        w.line(kp.matters_heading + ":")
        for line in kp.matters:
            w.para(f"- {line}", indent="    ", first="  ")
    if kp.leaning:
        w.para(kp.leaning)


def _finding(w: _Writer, finding: FindingView, cite: Any) -> None:
    w.para(f"- {finding.title}", indent="    ", first="  ")
    if finding.estimate:
        for line in phrases.figure_lines(finding):
            w.para(line, indent="    ")
    elif finding.no_figure:
        w.para(f"How many people: not well known. {finding.no_figure}", indent="    ")
    w.para(finding.text + cite(finding.sources), indent="    ")
    for note in phrases.notes(finding):
        w.para(note, indent="    ")
    if finding.estimate:
        w.para(figure_basis(finding.estimate), indent="    ")
        if finding.estimate.pictured:
            w.para(f"Picture of 100 people: {icons.text_equivalent(finding.estimate)}", indent="    ")
        else:
            w.para(phrases.no_picture(finding.estimate), indent="    ")


def _blocks(w: _Writer, blocks: list[deliberation.Block], cite: Any) -> None:
    """The deliberation's blocks as text; a table's columns one after another."""
    for b in blocks:
        if isinstance(b, deliberation.Heading):
            w.heading(b.text)
        elif isinstance(b, deliberation.Para):
            w.para(b.text + (cite(b.sources) if b.sources else ""))
        elif isinstance(b, deliberation.Bullets):
            for text, sources in b.items:
                w.para(f"- {text}{cite(sources) if sources else ''}", indent="    ", first="  ")
        else:
            for col, head in enumerate(b.header):
                w.line()
                w.para(f"{head}:")
                for text, sources in (row[col] for row in b.rows if row[col][0]):
                    w.para(f"- {text}{cite(sources) if sources else ''}", indent="    ", first="  ")


def _decision_support(w: _Writer, report: Report, cite: Any) -> None:
    _blocks(w, deliberation.blocks(report, "weighing"), cite)
    if report.priorities and report.deliberation.weighing is None:
        w.heading("What matters to you")
        w.para(
            "You told us how much these things matter to you. This does not tell you what to choose; "
            "it shows which option tends to fit each one."
        )
        for p in report.priorities:
            w.line()
            w.para(f"- {p.question} You said: {p.answer_label}.", indent="    ", first="  ")
            w.para(f"{verdict(report, p)} {p.text}{cite(p.sources)}", indent="    ")
    if report.leaning:
        w.heading("Where you are leaning")
        w.para(f"You said: {report.leaning['label']}. You can change your mind at any time.")
    if report.sure:
        sure = report.sure
        w.heading("Are you ready to decide? (the SURE test)")
        w.para(
            f"Your score: {sure.score} out of {sure.out_of}."
            + ("" if sure.complete else " (Not every question was answered.)")
        )
        if sure.conflict:
            w.para("A score below 4 means you may not feel ready yet. That is common. These steps can help:")
            for step in sure.next_steps:
                w.para(f"- {step}", indent="    ", first="  ")
        else:
            w.para("You feel sure, informed, clear about what matters to you, and supported.")
    if report.questions_to_ask:
        w.heading("Questions to ask your surgeon")
        for _id, text in report.questions_to_ask:
            w.para(f"- {text}", indent="    ", first="  ")
    _blocks(w, deliberation.blocks(report, "support_plan") + deliberation.blocks(report, "quiz"), cite)
    if report.knowledge_check and report.deliberation.quiz is None:
        w.heading("Check what you know")
        for n, q in enumerate(report.knowledge_check, 1):
            w.line()
            w.para(f"{n}. True or false? {q.statement}")
            w.para(f"Answer: {'True' if q.answer else 'False'}. {q.explanation}{cite(q.sources)}", indent="   ")


def options_preview(report: Report, width: int = 80) -> str:
    """The options side by side, on their own: shown in the interview before the values questions."""
    import io

    if not (report.options and report.grid_rows and all(o.grid for o in report.options)):
        return ""
    out = io.StringIO()
    w = _Writer(out, width)
    w.line("Before the last questions, here are your options side by side (typical figures).")
    w.line("The full report, with figures for people like you, comes at the end.")
    _grid(w, report)
    return out.getvalue()


def _grid(w: _Writer, report: Report, cite: Callable[[tuple[str, ...]], str] = lambda _ids: "") -> None:
    """The option grid as text: each question, then each option's answer."""
    for row_id, question in report.grid_rows:
        w.line()
        w.para(grid_question(report, row_id, question, cite))
        for option in report.options:
            w.para(f"- {option.title}: {dict(option.grid)[row_id]}", indent="    ", first="  ")
