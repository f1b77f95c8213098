"""The terminal report: panels, a side-by-side table and colour (Rich)."""

from __future__ import annotations

from typing import Any, TextIO

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..display import ASCII_TABLE
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
    fits_text,
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
from .text import fitted


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


NARROW = 80  # below this many columns, side-by-side tables become lists
KEY_TABLE = 110  # below this many columns, the key points are a list
WIDE = 110  # from this many columns, each picture of 100 people sits beside its finding


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
    narrow = console.width < NARROW
    numbers = {s.id: i for i, s in enumerate(report.sources, 1)}

    def cite(ids: tuple[str, ...]) -> str:
        return "".join(f"[{numbers[i]}]" for i in ids if i in numbers)

    console.print(Text(f"spinedecide: {report.rules.get('title')}", style="bold"))
    console.print(Text(rules_line(report), style="dim"))
    console.print()
    # Below KEY_TABLE columns the key points are a list, with as many key outcomes as the text
    # format fits in its 40 lines; wider, a table of them all.
    listed = console.width < KEY_TABLE
    kp = fitted(report, console.width - 4) if listed else keypoints.build(report)
    if kp is not None:
        _key_points(console, kp, report, listed)
        if detail == "key":
            console.print(Text(kp.more, style="bold"))
            return

    if report.urgent:
        parts: list[Any] = [Text(urgent_intro(report), style="bold")]
        for reason in report.urgent_reasons:
            parts.append(Text(""))
            parts.append(Text(reason.title, style="bold red"))
            parts.append(Text(f"{reason.text} {cite(reason.sources)}"))
            parts.append(Text(f"What to do: {reason.action}", style="bold"))
        console.print(
            Panel(Group(*parts), title=escape(urgent_heading(report).upper()), border_style="red", box=box.HEAVY)
        )
        console.print()
        console.print(Text(elective_heading(report) or "", style="bold underline"))
        console.print(Text(elective_note(report)))
        console.print()

    if report.diagnosis and report.urgent:  # never "surgery now or not now" while a red flag is present
        d = report.diagnosis
        console.print(Panel(Text(d["about"]), title=f"Your condition: {escape(d['title'])}", border_style="cyan"))
    elif report.diagnosis:
        d = report.diagnosis
        decision = d["decision"] + (" " + cite(tuple(d.get("sources", ()))) if d.get("sources") else "")
        console.print(
            Panel(
                Group(Text(d["about"]), Text(""), Text(decision, style="bold")),
                title=f"The decision: {escape(d['title'])}",
                border_style="cyan",
            )
        )

    _side_by_side(console, report, cite, narrow)

    if report.options:
        for n, option in enumerate(report.options, 1):
            body: list[Any] = [Text(option.summary), Text("")]
            for label, findings, style in (
                ("What it can offer", option.benefits, "green"),
                ("What it can risk", option.risks, "yellow"),
                ("What it is like", option.recovery, "blue"),
            ):
                body.append(Text(label, style=f"bold {style}"))
                for f in findings:
                    body.extend(_finding(f, cite, console.width))
                body.append(Text(""))
            if option.living:
                body.append(Text("Living with this choice", style="bold"))
                for aspect, text in option.living:
                    body.append(Padding(Text(f"{LIVING_LABELS.get(aspect, aspect)}: {text}"), (0, 0, 0, 2)))
                if option.living_sources:
                    body.append(Padding(Text(f"Sources: {cite(option.living_sources)}", style="dim"), (0, 0, 0, 2)))
                body.append(Text(""))
            kind = "an operation" if option.kind == "surgery" else "no operation"
            console.print(
                Panel(
                    Group(*body[:-1]),
                    title=f"Option {n}: {escape(option.title)} ({kind})",
                    border_style="white",
                    box=box.ROUNDED,
                )
            )

    if report.considerations:
        body = []
        for f in report.considerations:
            body.extend(_finding(f, cite, console.width))
        console.print(
            Panel(Group(*body), title="Things you can change or ask about", border_style="magenta", box=box.ROUNDED)
        )

    _decision_support(console, report, cite, narrow)

    _closing(console, report, cite, explain)


def _side_by_side(console: Console, report: Report, cite: Any, narrow: bool) -> None:
    """The options side by side: one after another when the terminal is narrow, else a table."""
    if report.options and narrow:
        console.print(Text("Your options side by side", style="bold"))
        if report.grid_rows and all(o.grid for o in report.options):
            for row_id, question in report.grid_rows:
                console.print(Text(grid_question(report, row_id, question, cite), style="bold"))
                for option in report.options:
                    console.print(Padding(Text(f"{option.title}: {dict(option.grid)[row_id]}"), (0, 0, 0, 2)))
        console.print(Text(COMPARE_WITH_CARE, style="dim"))
        console.print(Text(icons.legend(), style="dim"))
    elif report.options:
        table = Table(title="Your options side by side", box=box.ROUNDED, show_lines=True, expand=True)
        table.add_column("", style="bold", ratio=2)
        for option in report.options:
            table.add_column(escape(option.title), ratio=5)
        if report.grid_rows and all(o.grid for o in report.options):
            for row_id, question in report.grid_rows:
                table.add_row(
                    Text(grid_question(report, row_id, question, cite)),
                    *[Text(dict(o.grid)[row_id]) for o in report.options],
                )
        else:
            table.add_row("What it is", *[Text(o.summary) for o in report.options])
        for label, attr in (
            ("Figures: what it can offer", "benefits"),
            ("Figures: what it can risk", "risks"),
            ("What it is like", "recovery"),
        ):
            if attr == "recovery" and report.grid_rows:
                continue
            cells = []
            for option in report.options:
                lines = []
                for f in getattr(option, attr):
                    if f.estimate:
                        lines.append(f"• {f.title}: {phrases.short(f)}")
                    else:
                        lines.append(f"• {f.title}")
                cells.append(Text("\n".join(lines)))
            table.add_row(label, *cells)
        console.print(table)
        console.print(
            Text(
                f"{phrases.DENOMINATORS_SAID} Figures in the grid are typical; "
                f"'for you' figures take your answers into account. {COMPARE_WITH_CARE}",
                style="dim",
            )
        )
        console.print(Text(icons.legend(), style="dim"))


def _closing(console: Console, report: Report, cite: Any, explain: bool) -> None:
    """What was not tailored, the answers, why (with --explain), sources, about, the note."""
    if report.not_tailored:
        questions = "\n".join(f"• {n.question}" for n in report.not_tailored)
        console.print(
            Panel(
                Text(
                    "You answered 'unknown' to these, or did not answer them, so the figures do not take them into "
                    "account:\n" + questions
                ),
                title="What could not be tailored",
            )
        )
    if report.no_figure_changed:
        said = "\n".join(f"\u2022 {line}" for line in unchanged(report))
        console.print(Panel(Text(f"{UNCHANGED_INTRO}\n{said}"), title=UNCHANGED_HEADING))

    answers = Table(box=box.SIMPLE, show_header=False, expand=True)
    answers.add_column("Question", ratio=3)
    answers.add_column("Your answer", ratio=2, style="bold")
    for factor, value in report.answers.items():
        shown = answer_text(report, factor, value) + (" (from height and weight)" if factor in report.derived else "")
        answers.add_row(report.questions.get(factor, factor), shown)
    console.print(Panel(answers, title="Your answers"))

    if explain:
        table = Table(title="Why: the rules that fired", box=box.SIMPLE, expand=True)
        table.add_column("Rule")
        table.add_column("When")
        table.add_column("Your answers")
        table.add_column("Changes")
        for e in report.explanations:
            table.add_row(
                f"{e.id}\n[dim]{escape(e.title)}[/]",
                escape(e.condition),
                escape(", ".join(f"{k} = {v}" for k, v in e.answers)),
                escape(", ".join(e.changes or e.findings)),
            )
        if not report.explanations:
            table.add_row("none", "", "", "")
        console.print(table)

    console.print(Text("Sources", style="bold"))
    for i, source in enumerate(report.sources, 1):
        console.print(Text(source_line(i, source)), style="dim")
    console.print()
    console.print(
        Panel(Group(*[Text(line) for line in about_lines(report)]), title="About this decision aid", border_style="dim")
    )
    console.print(Panel(Text(report.disclaimer), title="Please note", border_style="cyan"))
    if report.urgent:  # the same advice again, as the last thing printed
        actions = [Text(f"• {action}", style="bold") for action in reminder_actions(report)]
        console.print(
            Panel(Group(*actions), title=escape(reminder_heading(report).upper()), border_style="red", box=box.HEAVY)
        )


def _blocks(console: Console, blocks: list[deliberation.Block], cite: Any, narrow: bool = False) -> None:
    """The deliberation's blocks: a panel per heading; text never read as markup (Text objects).
    On a narrow terminal a table's columns come one after another."""
    title, body = "", list[Any]()
    for b in [*blocks, deliberation.Heading("")]:
        if isinstance(b, deliberation.Heading):
            if body:
                console.print(Panel(Group(*body), title=escape(title), border_style="green"))
            title, body = b.text, list[Any]()
        elif isinstance(b, deliberation.Para):
            body.append(Text(b.text + (f" {cite(b.sources)}" if b.sources else "")))
        elif isinstance(b, deliberation.Bullets):
            body += [Padding(Text(f"• {t}" + (f" {cite(s)}" if s else "")), (0, 0, 0, 2)) for t, s in b.items]
        elif narrow:
            for col, head in enumerate(b.header):
                body.append(Text(head, style="bold"))
                body += [
                    Padding(Text(f"• {t}" + (f" {cite(s)}" if s else "")), (0, 0, 0, 2))
                    for t, s in (r[col] for r in b.rows)
                    if t
                ]
        else:
            table = Table(box=box.SIMPLE, expand=True, show_header=True)
            for head in b.header:
                table.add_column(Text(head), ratio=1)
            for row in b.rows:
                table.add_row(*(Text(t + (f" {cite(s)}" if s else "")) for t, s in row))
            body.append(table)


def _decision_support(console: Console, report: Report, cite: Any, narrow: bool) -> None:
    _blocks(console, deliberation.blocks(report, "weighing"), cite, narrow)
    if report.priorities and narrow and report.deliberation.weighing is None:
        body: list[Any] = [
            Text(
                "This does not tell you what to choose; it shows which option tends to fit each thing that matters to "
                "you.",
                style="dim",
            )
        ]
        for p in report.priorities:
            body += [
                Text(f"{p.question} You said: {p.answer_label}.", style="bold"),
                Padding(Text(f"{verdict(report, p)} {p.text} {cite(p.sources)}"), (0, 0, 0, 2)),
            ]
        console.print(Panel(Group(*body), title="What matters to you", border_style="green", box=box.ROUNDED))
    elif report.priorities and report.deliberation.weighing is None:
        table = Table(box=box.SIMPLE, expand=True, show_header=True)
        table.add_column("What matters to you", ratio=2)
        table.add_column("You said", ratio=1, style="bold")
        table.add_column("Tends to fit", ratio=3)
        for p in report.priorities:
            fits = fits_text(report, p)
            table.add_row(Text(p.question), Text(p.answer_label), Text(f"{fits}. {p.text} {cite(p.sources)}"))
        console.print(
            Panel(
                Group(
                    Text(
                        "This does not tell you what to choose; it shows which option tends to fit each thing that "
                        "matters to you.",
                        style="dim",
                    ),
                    table,
                ),
                title="What matters to you",
                border_style="green",
            )
        )
    if report.leaning:
        console.print(
            Panel(
                Text(f"You said: {report.leaning['label']}. You can change your mind at any time."),
                title="Where you are leaning",
            )
        )
    if report.sure:
        sure = report.sure
        body = [
            Text(
                f"Your score: {sure.score} out of {sure.out_of}"
                + ("" if sure.complete else " (not every question was answered)"),
                style="bold",
            )
        ]
        if sure.conflict:
            body.append(Text("A score below 4 means you may not feel ready yet. That is common. These steps can help:"))
            body += [Padding(Text(f"• {step}"), (0, 0, 0, 2)) for step in sure.next_steps]
        else:
            body.append(Text("You feel sure, informed, clear about what matters to you, and supported."))
        console.print(Panel(Group(*body), title="Are you ready to decide? (the SURE test)", border_style="yellow"))
    if report.questions_to_ask:
        console.print(
            Panel(
                Group(*[Text(f"• {text}") for _i, text in report.questions_to_ask]),
                title="Questions to ask your surgeon",
                border_style="magenta",
            )
        )
    _blocks(console, deliberation.blocks(report, "support_plan") + deliberation.blocks(report, "quiz"), cite)
    if report.knowledge_check and report.deliberation.quiz is None:
        body = []
        for n, q in enumerate(report.knowledge_check, 1):
            body.append(Text(f"{n}. True or false? {q.statement}", style="bold"))
            body.append(
                Padding(
                    Text(f"Answer: {'True' if q.answer else 'False'}. {q.explanation} {cite(q.sources)}"), (0, 0, 1, 3)
                )
            )
        console.print(Panel(Group(*body), title="Check what you know"))


def _key_points(console: Console, kp: keypoints.KeyPoints, report: Report, narrow: bool) -> None:
    parts: list[Any] = [Text(kp.condition), Text(kp.decision, style="bold"), Text("")]
    if narrow:
        parts.append(Text(kp.options_heading, style="bold"))
        for row in kp.rows:
            parts.append(Text(row.title, style="bold"))
            parts.extend(Padding(Text(f"{c.option}: {c.text}"), (0, 0, 0, 2)) for c in row.cells)
    else:
        table = Table(title=escape(kp.options_heading), box=box.ROUNDED, show_lines=True, expand=True)
        table.add_column("", style="bold", ratio=2)
        for option in report.options:
            table.add_column(escape(option.title), ratio=3)
        for row in kp.rows:
            table.add_row(Text(row.title), *[Text(c.text) for c in row.cells])
        parts.append(table)
    parts.extend(Text(line, style="dim") for line in (kp.left_out, *kp.legend) if line)
    if kp.matters:
        parts += [Text(""), Text(kp.matters_heading, style="bold")]
        parts.extend(Padding(Text(f"- {line}"), (0, 0, 0, 2)) for line in kp.matters)
    if kp.leaning:
        parts.append(Text(kp.leaning))
    console.print(Panel(Group(*parts), title=escape(kp.heading), border_style="green"))
    console.print()


def _finding(f: FindingView, cite: Any, width: int = 100) -> list[Any]:
    def indented(text: str, style: str = "") -> Padding:
        return Padding(Text(text, style=style), (0, 0, 0, 2))

    out: list[Any] = [Text(f"• {f.title}", style="bold")]
    if f.estimate:
        first, *rest = phrases.figure_lines(f)
        out.append(indented(first, "bold"))
        out.extend(indented(line) for line in rest)
    elif f.no_figure:
        out.append(indented(f"How many people: not well known. {f.no_figure}", "bold"))
    out.append(indented(f"{f.text} {cite(f.sources)}"))
    for note in phrases.notes(f):
        out.append(indented(note, "italic"))
    if f.estimate:
        out.append(indented(figure_basis(f.estimate), "dim"))
        if not f.estimate.pictured:
            out.append(indented(phrases.no_picture(f.estimate), "dim"))
            return out
        pictures = icons.arrays_for(f.estimate)
        if width >= WIDE:
            # The picture beside the words, so the report is not twice as long.
            words = Group(*out[1:])
            side = Table.grid(padding=(0, 2), expand=True)
            side.add_column(ratio=1)
            side.add_column(no_wrap=True)
            side.add_row(words, Text(icons.text_block(f.estimate, legend_line=False, words=False), no_wrap=True))
            return [out[0], side]
        if width >= 2 * 2 * icons.SIDE + 12:
            out.append(
                Padding(
                    Text(icons.text_block(f.estimate, legend_line=False, words=False), no_wrap=True, overflow="crop"),
                    (0, 0, 0, 4),
                )
            )
        else:  # too narrow for two pictures side by side: one under the other
            for picture in pictures:
                out.append(
                    Padding(
                        Text("\n".join([picture.label, *picture.grid()]), no_wrap=True, overflow="crop"), (0, 0, 0, 4)
                    )
                )
    return out
