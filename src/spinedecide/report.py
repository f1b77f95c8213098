"""The Report: plain data produced by the engine, and its JSON form (the public contract).

Nothing here renders; renderers read a Report and know nothing of rules.
"""

from __future__ import annotations

from typing import Any, TypedDict

from msgspec import Struct, field

from . import urgency as _urgency
from .deliberation import Deliberation
from .urgency import DEFAULT_LEVEL

# 1.1: priorities[].fits may be "either"; sources[].secondary; estimate.bound; grid_rows[].same_study
# 1.2: sources[].read; urgency, urgent_reasons[].level, elective, urgent_reminder (with also_tell);
#      estimate.not_counted, no_figure_changed; estimate.outcome/certainty/shown_per/pictured/includes,
#      estimate.typical.certainty, findings[].compared_with/unchanged_by; key_outcomes
# 1.3: deliberation {weighing, quiz, support, plan}
SCHEMA_VERSION = "1.3"


class CertaintyView(Struct, frozen=True):
    """GRADE level (high, moderate, low, very_low) and the content team's short reason."""

    level: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"level": self.level, "reason": self.reason}


class PairView(Struct, frozen=True):
    """Another option's finding for the same outcome, and whether it comes from the same study."""

    option: str
    option_title: str
    finding: str
    same_study: bool
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"option": self.option, "finding": self.finding, "same_study": self.same_study, "reason": self.reason}


class UnchangedView(Struct, frozen=True):
    """Answers that could not change a figure, and why: unknown, not_answered, capped,
    no_subgroup_figure (the rule has only a note) or no_change (another figure or rounding won)."""

    rule: str
    why: str
    answers: tuple[tuple[str, str, str], ...]  # (factor, question, the answer in words)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "why": self.why, "factors": [a[0] for a in self.answers]}


class FigureView(Struct, frozen=True):
    low: float
    high: float
    typical_low: float
    typical_high: float
    timeframe: str
    reference_class: str
    evidence: str
    approximate: bool
    tailored: bool
    range: tuple[float, float] | None = None
    capped: bool = False
    typical_timeframe: str = ""
    bound: str | None = None  # "up_to" or "at_least": both figures are limits, not estimates
    not_counted: tuple[tuple[str, str], ...] = ()  # (rule id, title): ratios the cap held back
    outcome: str | None = None
    certainty: CertaintyView | None = None  # of the figure shown as low/high
    typical_certainty: CertaintyView | None = None
    per: int = 100  # the denominator the person sees; low/high stay "in 100"
    pictured: bool = True  # False: said in words only (very low certainty, weak source, or per > 100)
    includes: tuple[tuple[str, str], ...] = ()  # (finding id, title) this composite figure counts too

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": _num(self.low),
            "high": _num(self.high),
            "per": 100,
            "timeframe": self.timeframe,
            "typical": {
                "low": _num(self.typical_low),
                "high": _num(self.typical_high),
                "timeframe": self.typical_timeframe or self.timeframe,
                "certainty": self.typical_certainty.to_dict() if self.typical_certainty else None,
            },
            "capped": self.capped,
            "tailored": self.tailored,
            "approximate": self.approximate,
            "reference_class": self.reference_class,
            "evidence": self.evidence,
            "range": {"low": _num(self.range[0]), "high": _num(self.range[1])} if self.range else None,
            "bound": self.bound,
            "not_counted": [rule for rule, _title in self.not_counted],
            "outcome": self.outcome,
            "certainty": self.certainty.to_dict() if self.certainty else None,
            "shown_per": self.per,
            "pictured": self.pictured,
            "includes": [i for i, _t in self.includes],
        }


class FindingView(Struct, frozen=True):
    id: str
    kind: str
    title: str
    text: str
    estimate: FigureView | None
    sources: tuple[str, ...]
    rules: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    no_figure: str | None = None
    compared_with: tuple[PairView, ...] = ()
    unchanged_by: tuple[UnchangedView, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "no_figure": self.no_figure,
            "notes": list(self.notes),
            "sources": list(self.sources),
            "rules": list(self.rules),
            "compared_with": [p.to_dict() for p in self.compared_with],
            "unchanged_by": [u.to_dict() for u in self.unchanged_by],
        }


class OptionView(Struct, frozen=True):
    id: str
    kind: str
    title: str
    summary: str
    benefits: tuple[FindingView, ...]
    risks: tuple[FindingView, ...]
    recovery: tuple[FindingView, ...]

    grid: tuple[tuple[str, str], ...] = ()
    living: tuple[tuple[str, str], ...] = ()  # (physical|emotional|social, text)
    living_sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "summary": self.summary,
            "grid": dict(self.grid),
            "living": {**dict(self.living), "sources": list(self.living_sources)} if self.living else None,
            "benefits": [f.to_dict() for f in self.benefits],
            "risks": [f.to_dict() for f in self.risks],
            "recovery": [f.to_dict() for f in self.recovery],
        }


class UrgentReason(Struct, frozen=True):
    id: str
    title: str
    text: str
    action: str
    sources: tuple[str, ...]
    level: str = DEFAULT_LEVEL  # emergency | same_day | soon

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "text": self.text,
            "action": self.action,
            "sources": list(self.sources),
        }


class Explanation(Struct, frozen=True):
    """Why something fired: the rule, its condition, and the answers it read."""

    id: str
    kind: str  # rule | red_flag | consideration | finding | question
    title: str
    condition: str
    answers: tuple[tuple[str, Any], ...]
    findings: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()  # e.g. "decompression_infection x 1.26", "discectomy_death = 0.4 in 100"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "condition": self.condition,
            "answers": dict(self.answers),
            "findings": list(self.findings),
            "changes": list(self.changes),
        }


class NotTailored(Struct, frozen=True):
    factor: str
    question: str
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "question": self.question, "rules": list(self.rules)}


class Unchanged(Struct, frozen=True):
    """An answer that changed no figure; ``mentioned_in`` names the rules and considerations that
    reflect it in words."""

    factor: str
    question: str
    mentioned_in: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "question": self.question, "mentioned_in": list(self.mentioned_in)}


class SourceView(Struct, frozen=True):
    id: str
    citation: str
    url: str | None
    pmid: str | None
    doi: str | None
    secondary: tuple[str, str] | None = None  # (citation, url) where the figures were read
    read: str | None = None  # "abstract", "full_text" or "summary"

    def to_dict(self) -> dict[str, Any]:
        secondary = {"citation": self.secondary[0], "url": self.secondary[1]} if self.secondary else None
        return {
            "id": self.id,
            "citation": self.citation,
            "url": self.url,
            "pmid": self.pmid,
            "doi": self.doi,
            "secondary": secondary,
            "read": self.read,
        }


class PriorityView(Struct, frozen=True):
    factor: str
    question: str
    answer: str
    answer_label: str
    matters: bool
    fits: str  # option kind, or "either"
    fits_options: tuple[str, ...]
    text: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "question": self.question,
            "answer": self.answer,
            "answer_label": self.answer_label,
            "matters": self.matters,
            "fits": self.fits,
            "fits_options": list(self.fits_options),
            "text": self.text,
            "sources": list(self.sources),
        }


class SureView(Struct, frozen=True):
    """The SURE test: four yes/no questions; a score below 4 suggests decisional conflict."""

    answers: tuple[tuple[str, str], ...]
    score: int
    out_of: int
    complete: bool
    next_steps: tuple[str, ...]

    @property
    def conflict(self) -> bool:
        return self.score < self.out_of

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": dict(self.answers),
            "score": self.score,
            "out_of": self.out_of,
            "complete": self.complete,
            "conflict": self.conflict,
            "next_steps": list(self.next_steps),
        }


class QuizView(Struct, frozen=True):
    id: str
    statement: str
    answer: bool
    explanation: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "statement": self.statement,
            "answer": self.answer,
            "explanation": self.explanation,
            "sources": list(self.sources),
        }


class DiagnosisView(TypedDict, total=False):
    """The report's ``diagnosis``: the condition the options are for (all keys, or none)."""

    id: str
    title: str
    about: str
    decision: str
    sources: list[str]


class Report(Struct, frozen=True):
    """A tailored decision-aid report. ``to_dict()`` is the JSON contract."""

    spinedecide_version: str
    rules: dict[str, Any]
    urgent_reasons: tuple[UrgentReason, ...]
    diagnosis: DiagnosisView  # {} when no condition is known
    answers: dict[str, Any]
    derived: tuple[str, ...]
    options: tuple[OptionView, ...]
    considerations: tuple[FindingView, ...]
    fired_rules: tuple[str, ...]
    explanations: tuple[Explanation, ...]
    not_tailored: tuple[NotTailored, ...]
    sources: tuple[SourceView, ...]
    disclaimer: str
    grid_rows: tuple[tuple[str, str], ...] = ()  # (row id, question)
    grid_compared: dict[str, tuple[str, ...]] = {}  # row id -> sources every option quotes in it
    priorities: tuple[PriorityView, ...] = ()
    leaning: dict[str, str] | None = None
    sure: SureView | None = None
    questions_to_ask: tuple[tuple[str, str], ...] = ()  # (id, text)
    knowledge_check: tuple[QuizView, ...] = ()
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # factor -> value -> label, for renderers
    questions: dict[str, str] = field(default_factory=dict)  # factor -> question, for renderers
    urgency: str | None = None  # the most urgent red flag's level, None when nothing is urgent
    elective: str = "shown"  # "skipped": a red flag is present and the elective part was left out
    no_figure_changed: tuple[Unchanged, ...] = ()
    key_outcomes: tuple[tuple[str, str], ...] = ()  # (outcome id, title): the diagnosis's key outcomes, in order
    outcome_titles: dict[str, str] = field(default_factory=dict)  # outcome id -> title, for renderers (not in JSON)
    deliberation: Deliberation = field(default_factory=Deliberation)  # weighing, quiz, support, plan

    @property
    def urgent(self) -> bool:
        return bool(self.urgent_reasons)

    def __repr__(self) -> str:  # short: the generated repr prints the whole report
        options = ", ".join(o.id for o in self.options)
        return (
            f"<Report {self.diagnosis.get('id', 'no diagnosis')}: urgent={self.urgent}, options [{options}], "
            f"{len(self.fired_rules)} rules fired, rules version {self.rules.get('version')}>"
        )

    @property
    def banner(self) -> str:
        """The urgent banner for this report's urgency ('' when nothing is urgent)."""
        return _urgency.banner(self.urgency) if self.urgent else ""

    def reminder(self) -> dict[str, Any] | None:
        """The urgent advice again, for the end of every format."""
        if not self.urgent:
            return None
        top = [r for r in self.urgent_reasons if r.level == self.urgency]
        lower = [r for r in self.urgent_reasons if r.level != self.urgency]
        return {
            "urgency": self.urgency,
            "banner": self.banner,
            "actions": list(dict.fromkeys(r.action for r in top)),  # only the most urgent level's advice
            "also_tell": list(dict.fromkeys(r.title for r in lower)),  # the other flags, to mention when seen
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "spinedecide_version": self.spinedecide_version,
            "urgent": self.urgent,
            "urgency": self.urgency,
            "urgent_reasons": [r.to_dict() for r in self.urgent_reasons],
            "elective": self.elective,
            "rules": dict(self.rules),
            "diagnosis": dict(self.diagnosis),
            "key_outcomes": [i for i, _title in self.key_outcomes],
            "answers": dict(self.answers),
            "derived": list(self.derived),
            "options": [o.to_dict() for o in self.options],
            "considerations": [c.to_dict() for c in self.considerations],
            "grid_rows": [
                {"id": i, "question": q, "same_study": list(self.grid_compared.get(i, ()))} for i, q in self.grid_rows
            ],
            "priorities": [p.to_dict() for p in self.priorities],
            "leaning": dict(self.leaning) if self.leaning else None,
            "sure": self.sure.to_dict() if self.sure else None,
            "questions_to_ask": [{"id": i, "text": t} for i, t in self.questions_to_ask],
            "knowledge_check": [q.to_dict() for q in self.knowledge_check],
            "deliberation": self.deliberation.to_dict(),
            "fired_rules": list(self.fired_rules),
            "explanations": [e.to_dict() for e in self.explanations],
            "not_tailored": [n.to_dict() for n in self.not_tailored],
            "no_figure_changed": [n.to_dict() for n in self.no_figure_changed],
            "sources": [s.to_dict() for s in self.sources],
            "disclaimer": self.disclaimer,
            "urgent_reminder": self.reminder(),
        }


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
