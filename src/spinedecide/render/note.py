"""A short note for the medical record: plain text, no colour, at most 25 lines (--format note)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any, TextIO

from ..report import FindingView, OptionView, Report
from . import deliberation, keypoints, phrases
from .common import not_counted, reminder_actions, urgent_heading

MAX_LINES = 25


def _figure(f: FindingView) -> str:
    e = f.estimate
    assert e is not None
    mine = phrases.compact(e.low, e.high, e.bound, e.per)
    typical = phrases.compact(e.typical_low, e.typical_high, e.bound, e.per).rsplit("/", 1)[0]
    shown = mine + (f" (typical {typical})" if e.tailored else "")
    different = f"; {phrases.NOT_COMPARABLE_MARK}" if any(not p.same_study for p in f.compared_with) else ""
    return f"{f.title.lower()} {shown} {e.timeframe} ({phrases.certainty_level(e.certainty)}{different})"


NO_BENEFIT_FIGURE = keypoints.NO_BENEFIT_FIGURE


def _key_figures(option: OptionView, most: int = 2) -> str:
    risks = [f for f in option.risks if f.estimate]
    tailored = [f for f in risks if f.estimate and f.estimate.tailored]
    chosen = (tailored + [f for f in risks if f not in tailored])[:most]  # the person's own figures first
    benefit = next((f for f in option.benefits if f.estimate), None)
    unpictured = next((f for f in option.benefits if f.no_figure), None)
    parts = (
        [_figure(benefit)] if benefit else [f"{unpictured.title.lower()}: {NO_BENEFIT_FIGURE}"] if unpictured else []
    )
    parts += [_figure(f) for f in chosen]
    return "; ".join(parts) or "no figures"


# Each line has a priority: when the note is too long, the lowest go first (3, then 2).
# Red flags, the decision, leaning, SURE and who made the aid (priority 1) always stay.
Line = tuple[int, str]


def lines(report: Report, *, short: bool = False) -> list[Line]:
    """The note's lines; ``short`` gives one risk per option instead of two."""
    r = report.rules
    header = (
        1,
        f"Shared decision-making note (spinedecide {report.spinedecide_version}, rules {r.get('version')}, "
        f"reviewed {r.get('reviewed')})",
    )
    out: list[Line] = []
    if report.urgent:  # the note leads with the red flags and the advice the aid gave
        out.append(
            (
                1,
                "RED FLAGS reported by the patient: "
                + "; ".join(f"{u.title} ({u.level.replace('_', ' ')})" for u in report.urgent_reasons)
                + ".",
            )
        )
        out.append((1, f"Advice the aid gave: {urgent_heading(report)}. " + " ".join(reminder_actions(report))))
        out.append(header)
        if report.elective == "skipped":
            out.append(
                (
                    1,
                    "Elective decision: not discussed. The aid stopped at the red flags and told the patient it is "
                    "not for them right now.",
                )
            )
        else:
            out.append(
                (
                    1,
                    "Elective information was shown only for later, after assessment; "
                    "no decision support (values, leaning, SURE) was given.",
                )
            )
    else:
        out.append(header)
        out.append((1, "Red flags: none reported."))
    if report.diagnosis:
        out.append((1, f"Condition (as reported): {report.diagnosis['title']}."))
        if not report.urgent:
            sentences = report.diagnosis["decision"].split(". ")
            out.append(
                (1, "Decision: " + ". ".join(sentences[:2]).rstrip(".") + ("." if len(sentences) <= 2 else ". ..."))
            )
    if report.options:
        out.append((1, "Options discussed: " + "; ".join(o.title for o in report.options) + "."))
        out.append(
            (
                2,
                "Key figures (N/100 people, or per 1,000 or 10,000 for rare ones; "
                "the typical figure in brackets where the patient's differs):",
            )
        )
        kp = keypoints.build(report)
        if kp is not None and kp.rows:  # the key outcomes the rules file names, as in the key points
            rows = kp.rows[: 2 if short else 3]  # a few lines: the first key outcomes
            out += [
                (2, f"- {r.title}: " + "; ".join(f"{c.option}: {c.compact}" for c in r.cells if c.figure)) for r in rows
            ]
        else:
            out += [(2, f"- {o.title}: {_key_figures(o, 1 if short else 2)}") for o in report.options]
    if report.fired_rules:
        titles = [e.title for e in report.explanations if e.kind == "rule"]
        out.append(
            (
                3,
                "Tailored for: "
                + "; ".join(titles[:4])
                + (f"; and {len(titles) - 4} more" if len(titles) > 4 else "")
                + ".",
            )
        )
    if report.priorities:
        said = [
            f"{p.factor.removeprefix('value_').replace('_', ' ')}: {p.answer_label.lower()}" for p in report.priorities
        ]
        out.append((2, "Priorities: " + "; ".join(said) + "."))
    if not report.urgent:
        out.append((1, f"Leaning: {report.leaning['label'] if report.leaning else 'not stated'}."))
    if report.sure:
        s = report.sure
        verdict = "possible decisional conflict" if s.conflict else "no decisional conflict"
        out.append((1, f"SURE: {s.score}/{s.out_of} ({verdict}{'' if s.complete else '; incomplete'})."))
    elif not report.urgent:
        out.append((1, "SURE: not completed."))
    out += [(1, line) for line in deliberation.note_lines(report)]
    held = not_counted(report)
    if held:
        held_titles = dict.fromkeys(t for _f, rules in held for t in rules)  # each once, in order
        out.append(
            (2, f"Not fully counted (figure held at the cap) in {len(held)} figure(s): " + "; ".join(held_titles) + ".")
        )
    if report.no_figure_changed:
        out.append(
            (3, "Answers that changed no figure: " + ", ".join(n.factor for n in report.no_figure_changed) + ".")
        )
    if report.not_tailored:
        out.append(
            (
                3,
                "Not tailored (answered unknown or not answered): "
                + ", ".join(n.factor for n in report.not_tailored)
                + ".",
            )
        )
    out.append(
        (
            1,
            f"About the aid: {r.get('title')}, by {', '.join(r.get('authors') or [])}; published {r.get('published')}, "
            f"next review {r.get('next_review')}; funding: {r.get('funding')} Conflicts: "
            f"{r.get('conflicts_of_interest')}",
        )
    )
    out.append(
        (
            1,
            f"Evidence: {len(report.sources)} cited sources. This aid supports, and does not replace, "
            "the specialist's advice.",
        )
    )
    if report.urgent:
        out.append((1, f"Advice repeated at the end: {urgent_heading(report)}."))
    return out


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, width=110, subsequent_indent="  ", break_long_words=False) or [""]


def render(report: Report, out: TextIO, *, width: int | None = None, **_: Any) -> None:
    def size(kept: list[Line]) -> int:
        return sum(len(_wrap(text)) for _p, text in kept)

    # Shorten step by step, least important first: tailoring and unknowns, then fewer figures,
    # then the figures and priorities. Red flags, decision, leaning, SURE and the aid stay.
    kept = lines(report)
    attempts: tuple[Callable[[], list[Line]], ...] = (
        lambda: [(p, t) for p, t in lines(report) if p < 3],
        lambda: [(p, t) for p, t in lines(report, short=True) if p < 3],
        lambda: [(p, t) for p, t in lines(report) if p < 2],
    )
    for attempt in attempts:
        if size(kept) <= MAX_LINES:
            break
        kept = attempt()
        kept.insert(len(kept) - 1, (1, "(Shortened; the full report has the figures and the tailoring.)"))
    wrapped = [line for _p, text in kept for line in _wrap(text)]
    if report.urgent:  # the repeated advice is always the last line, even in a shortened note
        last = _wrap(kept[-1][1])
        wrapped = wrapped[: len(wrapped) - len(last)][: MAX_LINES - len(last)] + last
    out.write("\n".join(wrapped[:MAX_LINES]) + "\n")
