"""Wording shared by the human-readable renderers: how a figure is said in plain words."""

from __future__ import annotations

from collections.abc import Callable

from .. import urgency
from ..report import FigureView, PriorityView, Report, SourceView

LIVING_LABELS = {"physical": "Your body", "emotional": "How it may feel", "social": "Work, family and daily life"}

EVIDENCE_WORDS = {
    "randomised_trial": "a randomised trial",
    "systematic_review": "a review of many studies",
    "cohort": "a study that followed a group of people",
    "registry": "a large register of operations",
    "patient_information": "a hospital's patient leaflet",
    "practice_estimate": "a surgeon's own estimate",
    "expert_opinion": "expert opinion",
}


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


#: Beside a grid row in which every option quotes the same study (the diagnosis's `compared`).
SAME_STUDY = "same study for each option"
#: Said under every side-by-side view.
COMPARE_WITH_CARE = (
    f"Rows marked \u201c{SAME_STUDY}\u201d compare like with like. "
    "Other figures come from different studies of different people, so compare them with care."
)


def grid_question(report: Report, row_id: str, question: str, cite: Callable[[tuple[str, ...]], str]) -> str:
    """A grid row's question, marked when every option's answer quotes the same study."""
    same = report.grid_compared.get(row_id)
    if not same:
        return question
    cited = cite(same).strip()
    return f"{question} ({SAME_STUDY}{' ' + cited if cited else ''})"


BOUND_WORDS = {"up_to": "up to", "at_least": "at least"}


def span(low: float, high: float, bound: str | None = None, per: int = 100) -> str:
    """'4 in 100', '2 to 5 in 100', '8 in 10,000', or for a limit 'up to 33 in 100'."""
    from . import phrases

    return phrases.span(low, high, bound, per)


def figure_phrase(e: FigureView) -> str:
    """'about 4.2 in 100 people like you (typical: 1.4 in 100), after the operation'."""
    about = "" if e.bound else "about "
    if e.tailored:
        when = f", {e.typical_timeframe}" if e.typical_timeframe and e.typical_timeframe != e.timeframe else ""
        text = (
            f"{about}{span(e.low, e.high, e.bound, e.per)} people like you (typical: "
            f"{span(e.typical_low, e.typical_high, e.bound, e.per)}{when})"
        )
    else:
        text = f"{about}{span(e.low, e.high, e.bound, e.per)} people"
    return f"{text}, {e.timeframe}"


def figure_short(e: FigureView) -> str:
    main = span(e.low, e.high, e.bound, e.per)
    if e.tailored:
        return f"{main} for you (typical {span(e.typical_low, e.typical_high, e.bound, e.per)})"
    return main


def figure_basis(e: FigureView) -> str:
    basis = f"Based on {EVIDENCE_WORDS.get(e.evidence, e.evidence)}: {e.reference_class}."
    if e.range:
        basis += (
            " The true typical number may be between "
            f"{span(e.range[0], e.range[1], per=e.per).replace(' to ', ' and ')}."
        )
    if e.approximate:
        basis += " Your figure is approximate: it applies results from other studies to the typical figure."
    if e.capped:
        basis += (
            " Several of your answers raise this risk. Their effects cannot simply be multiplied, because"
            " they come from different studies, so the figure is held at the most the rules allow."
        )
        if e.not_counted:
            basis += " So these are not fully counted in it: " + "; ".join(title for _id, title in e.not_counted) + "."
    return basis


UNCHANGED_HEADING = "Answers that did not change a figure"
UNCHANGED_INTRO = (
    "These answers did not change any figure in this report. The studies used here give no separate"
    " figures for people who answered as you did. Where a study says something about an answer,"
    " it is said in words."
)


def unchanged(report: Report) -> list[str]:
    """'<question> You said: <answer>.' for each answer that changed no figure."""
    out = []
    for item in report.no_figure_changed:
        said = answer_text(report, item.factor, report.answers.get(item.factor))
        out.append(
            f"{item.question} You said: {said}." + (" (Said in words in this report.)" if item.mentioned_in else "")
        )
    return out


def not_counted(report: Report) -> list[tuple[str, tuple[str, ...]]]:
    """(finding and option, rule titles) for each figure the cap held back, for summaries."""
    out = []
    for option in report.options:
        for f in (*option.benefits, *option.risks, *option.recovery):
            if f.estimate and f.estimate.not_counted:
                out.append((f"{f.title} ({option.title})", tuple(title for _id, title in f.estimate.not_counted)))
    return out


def answer_text(report: Report, factor: str, value: object) -> str:
    labels = report.labels.get(factor, {})
    if value == "unknown":
        return "not known"
    if isinstance(value, list | tuple):  # several choices, or several texts
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


NOT_MATCHED = "Not matched to an option, because you said this does not matter to you"


def fits_text(report: Report, priority: PriorityView) -> str:
    """Which options a "what matters to you" answer tends to fit, in words (none when it does not matter)."""
    if not priority.matters:
        return NOT_MATCHED
    if priority.fits == "either":
        return "either choice"
    return ", ".join(o.title for o in report.options if o.id in priority.fits_options) or "depends on your condition"


def verdict(report: Report, priority: PriorityView) -> str:
    """'Tends to fit: X.', or no verdict at all for an answer that means it does not matter."""
    return f"Tends to fit: {fits_text(report, priority)}." if priority.matters else f"{NOT_MATCHED}."


def rules_line(report: Report) -> str:
    r = report.rules
    return (
        f"Rules version {r.get('version')}, reviewed {r.get('reviewed')}, next review due {r.get('next_review')}. "
        f"spinedecide {report.spinedecide_version}."
    )


def source_ids(s: SourceView) -> str:
    """'PMID 123; doi 10.x/y' (or ''), the identifiers a reader can look a source up by."""
    return "; ".join(part for part in (f"PMID {s.pmid}" if s.pmid else "", f"doi {s.doi}" if s.doi else "") if part)


SECONDARY = "As summarised in:"
#: How a source was read, said after it (the source entry's `read`).
READ_WORDS = {
    "abstract": "Read: the abstract.",
    "full_text": "Read: the full text.",
    "summary": "Read: the summary named here.",
}


def read_words(s: SourceView) -> str:
    return f" {READ_WORDS[s.read]}" if s.read in READ_WORDS else ""


def source_line(index: int, s: SourceView) -> str:
    ids = source_ids(s)
    text = f"[{index}] {s.citation}" + (f" {ids}." if ids else "")
    text += f" {s.url}" if s.url else ""
    return text + (f" {SECONDARY} {s.secondary[0]} {s.secondary[1]}" if s.secondary else "") + read_words(s)


def about_lines(report: Report) -> list[str]:
    """Who made this aid, when, how it is kept up to date, who paid, and conflicts (IPDAS)."""
    r = report.rules
    return [
        f"Written by: {', '.join(r.get('authors') or [])}. Reviewed by: {', '.join(r.get('reviewers') or [])}.",
        f"Published {r.get('published')}; last reviewed {r.get('reviewed')}; next review due {r.get('next_review')}. "
        f"Evidence searched: {r.get('evidence_search')}.",
        f"How it is kept up to date: {r.get('update_policy')}",
        f"Funding: {r.get('funding')}",
        f"Conflicts of interest: {r.get('conflicts_of_interest')}",
        f"Rules version {r.get('version')} (sha256 {str(r.get('sha256'))[:12]}...), "
        f"spinedecide {report.spinedecide_version}.",
    ]


# -- the urgent part: one wording for every format (see urgency.py) -----------------------------


def urgent_heading(report: Report) -> str:
    """The banner over the urgent part, from the most urgent red flag's level."""
    return report.banner


def urgent_intro(report: Report) -> str:
    return urgency.intro(report.urgency)


def elective_heading(report: Report) -> str | None:
    """The heading over the elective part of an urgent report (None when nothing is urgent)."""
    return urgency.for_later(report.urgency) if report.urgent else None


def elective_note(report: Report) -> str:
    return urgency.FOR_LATER_NOTE if report.elective == "shown" else urgency.SKIPPED_NOTE


def reminder_heading(report: Report) -> str:
    return urgency.reminder(report.urgency)


def reminder_actions(report: Report) -> list[str]:
    """The most urgent level's advice, then the other flags as things to mention when seen (never
    as a milder choice beside it): the last thing every urgent report says."""
    reminder = report.reminder()
    if not reminder:
        return []
    also = urgency.also_tell(reminder["also_tell"])
    return [*reminder["actions"], *([also] if also else [])]
