"""A short note for the medical record: plain text, no colour, at most 25 lines (--format note)."""

from __future__ import annotations

import textwrap
from typing import Any, TextIO

from ..report import FindingView, OptionView, Report
from .common import number

MAX_LINES = 25


def _figure(f: FindingView) -> str:
    e = f.estimate
    assert e is not None
    mine = number(e.low) if e.low == e.high else f"{number(e.low)}-{number(e.high)}"
    typical = number(e.typical_low) if e.typical_low == e.typical_high else f"{number(e.typical_low)}-{number(e.typical_high)}"
    shown = f"{mine}/100" + (f" (typical {typical})" if e.tailored else "")
    return f"{f.title.lower()} {shown} {e.timeframe}"


def _key_figures(option: OptionView) -> str:
    risks = [f for f in option.risks if f.estimate]
    tailored = [f for f in risks if f.estimate and f.estimate.tailored]
    chosen = (tailored or risks)[:2]
    benefit = next((f for f in option.benefits if f.estimate), None)
    parts = ([_figure(benefit)] if benefit else []) + [_figure(f) for f in chosen]
    return "; ".join(parts) or "no figures"


def lines(report: Report) -> list[str]:
    r = report.rules
    out = [f"Shared decision-making note (spinedecide {report.spinedecide_version}, rules {r.get('version')}, reviewed {r.get('reviewed')})"]
    if report.urgent:
        out.append("RED FLAGS reported by the patient: " + "; ".join(u.title for u in report.urgent_reasons) + ".")
        out.append("The aid told the patient to get urgent medical assessment today, before any elective decision.")
    else:
        out.append("Red flags: none reported.")
    if report.diagnosis:
        out.append(f"Condition (as reported): {report.diagnosis['title']}.")
        sentences = report.diagnosis["decision"].split(". ")
        label = "Elective decision, once the red flags are assessed" if report.urgent else "Decision"
        out.append(f"{label}: " + ". ".join(sentences[:2]).rstrip(".") + ("." if len(sentences) <= 2 else ". ..."))
    if report.options:
        out.append("Options discussed: " + "; ".join(o.title for o in report.options) + ".")
        out.append("Key figures per 100 people (the typical figure in brackets where the patient's differs):")
        out += [f"- {o.title}: {_key_figures(o)}" for o in report.options]
    if report.fired_rules:
        titles = [e.title for e in report.explanations if e.kind == "rule"]
        out.append("Tailored for: " + "; ".join(titles[:4]) + (f"; and {len(titles) - 4} more" if len(titles) > 4 else "") + ".")
    if report.priorities:
        out.append("Priorities: " + "; ".join(f"{p.question.rstrip('?')}: {p.answer_label}" for p in report.priorities) + ".")
    out.append(f"Leaning: {report.leaning['label'] if report.leaning else 'not stated'}.")
    if report.sure:
        s = report.sure
        verdict = "possible decisional conflict" if s.conflict else "no decisional conflict"
        out.append(f"SURE: {s.score}/{s.out_of} ({verdict}{'' if s.complete else '; incomplete'}).")
    else:
        out.append("SURE: not completed.")
    if report.not_tailored:
        out.append("Not tailored (answered unknown): " + ", ".join(n.factor for n in report.not_tailored) + ".")
    out.append(
        f"About the aid: {r.get('title')}, by {', '.join(r.get('authors') or [])}; published {r.get('published')}, "
        f"next review {r.get('next_review')}; funding: {r.get('funding')} Conflicts: {r.get('conflicts_of_interest')}"
    )
    out.append(f"Evidence: {len(report.sources)} cited sources. This aid supports, and does not replace, the specialist's advice.")
    return out


def render(report: Report, out: TextIO, *, width: int | None = None, **_: Any) -> None:
    wrapped: list[str] = []
    for line in lines(report):
        wrapped += textwrap.wrap(line, width=110, subsequent_indent="  ", break_long_words=False) or [""]
    if len(wrapped) > MAX_LINES:
        wrapped = wrapped[: MAX_LINES - 1] + ["(Shortened; see the full report.)"]
    out.write("\n".join(wrapped) + "\n")
