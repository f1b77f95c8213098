"""Layer 1 of every human format: the key points, built once from the Report as plain data.

Text, markdown, html, rich and the note only present what ``build`` returns, so each sentence
here lives in one place. An urgent report has no key points: its first layer is the urgent part.
"""

from __future__ import annotations

import re

from msgspec import Struct

from ..report import FindingView, OptionView, Report
from . import phrases
from .common import span

HEADING = "Key points"
OPTIONS_HEADING = "Your options side by side: what matters most"
FOR_YOU = (
    "\u201cFor you\u201d: people like you. \u201cTypical\u201d: an average person having that option; "
    "it is all that is given where your answers change nothing."
)
NO_FIGURE = "no figure for this option"
#: A benefit the rules give no figure for (its `no_figure`): said for every option alike, so the
#: key points do not seem to favour the option whose risks have figures.
BENEFITS = "What it can offer"
NO_BENEFIT_FIGURE = "no figure that compares the options"
LEFT_OUT = "Also in the full report"
MATTERS_HEADING = "What you said matters to you"
NOTHING_MATTERS = "You did not say that any of these things matter to you."


class Cell(Struct, frozen=True):
    option: str  # the option's title
    text: str  # the figure for people like this person, its typical figure, time frame, certainty
    compact: str  # the same figure for the clinician's note: '2.3/100 within 30 days (low certainty)'
    different_studies: bool = False
    figure: bool = True  # False: this option has nothing to say for the outcome


class Row(Struct, frozen=True):
    outcome: str
    title: str
    cells: tuple[Cell, ...]


class KeyPoints(Struct, frozen=True):
    heading: str
    condition: str  # 'Your condition: Spinal stenosis.'
    decision: str  # the decision in one sentence
    options_heading: str
    rows: tuple[Row, ...]
    legend: tuple[str, ...]  # said under the rows
    left_out: str  # the key outcomes left out to fit a screen ('' when none)
    matters_heading: str
    matters: tuple[str, ...]  # what the person said matters, in their words
    leaning: str  # '' when not asked


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]


def _finding(option: OptionView, outcome: str) -> FindingView | None:
    for f in (*option.benefits, *option.risks, *option.recovery):
        if f.estimate is not None and f.estimate.outcome == outcome:
            return f
    return None


def _cell(option: OptionView, outcome: str) -> Cell:
    f = _finding(option, outcome)
    if f is None or f.estimate is None:
        return Cell(option.title, NO_FIGURE, "no figure", figure=False)
    e = f.estimate
    level = phrases.certainty_level(e.certainty)
    mine = span(e.low, e.high, e.bound, e.per)
    typical = span(e.typical_low, e.typical_high, e.bound, e.per)
    if e.tailored:
        when = f", {e.typical_timeframe}" if e.typical_timeframe and e.typical_timeframe != e.timeframe else ""
        figure = f"{mine} for you (typical {typical}{when})"
        usual = phrases.compact(e.typical_low, e.typical_high, e.bound, e.per).rsplit("/", 1)[0]
        compact = f"{phrases.compact(e.low, e.high, e.bound, e.per)} (typical {usual}{when}) {e.timeframe} ({level})"
    else:
        figure = f"{typical} (typical)"
        compact = f"{phrases.compact(e.typical_low, e.typical_high, e.bound, e.per)} {e.timeframe} ({level})"
    apart = any(not p.same_study for p in f.compared_with)
    # Who the figure is about, every time: a key point is read on its own.
    text = f"{figure}, {e.timeframe}, among {e.reference_class}; {phrases.certainty_level(e.certainty)}"
    if apart:
        text += f"; {phrases.NOT_COMPARABLE_MARK}"
        compact += f" [{phrases.NOT_COMPARABLE_MARK}]"
    return Cell(option.title, text, compact, apart)


def _benefits(report: Report, rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """A first row for the benefits when no key outcome counts one and they have no figure."""
    if any(_finding(o, r.outcome) in o.benefits for r in rows for o in report.options):
        return ()
    cells = []
    for option in report.options:
        f = next((f for f in option.benefits if f.no_figure), None)
        if f is None:
            return ()
        said = f"{f.title}: {NO_BENEFIT_FIGURE}"
        cells.append(Cell(option.title, said, said[0].lower() + said[1:]))
    return (Row("", BENEFITS, tuple(cells)),)


def build(report: Report, most: int | None = None) -> KeyPoints | None:
    """The key points of a report (at most ``most`` key outcomes, in the rules file's order), or
    None for an urgent report or one with no options."""
    if report.urgent or not report.options or not report.diagnosis:
        return None
    shown = report.key_outcomes[:most] if most is not None else report.key_outcomes
    rows = tuple(Row(i, title, tuple(_cell(o, i) for o in report.options)) for i, title in shown)
    rows = _benefits(report, rows) + rows
    rest = [title for _i, title in report.key_outcomes[len(shown) :]]
    matters = tuple(f"{p.question} You said: {p.answer_label}." for p in report.priorities if p.matters)
    if report.priorities and not matters:
        matters = (NOTHING_MATTERS,)
    leaning = f"Where you are leaning: {report.leaning['label']}." if report.leaning else ""
    return KeyPoints(
        heading=HEADING,
        condition=f"Your condition: {report.diagnosis['title']}.",
        decision=first_sentence(report.diagnosis["decision"]),
        options_heading=OPTIONS_HEADING,
        rows=rows,
        legend=(FOR_YOU,),
        left_out=f"{LEFT_OUT}: {'; '.join(rest)}." if rest else "",
        matters_heading=MATTERS_HEADING,
        matters=matters,
        leaning=leaning,
    )
