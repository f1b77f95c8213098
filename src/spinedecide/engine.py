"""assess(rules, answers) -> Report. Pure and deterministic: no I/O, no clock, no randomness."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from . import __version__, comparable, deliberation, untailored
from .answers import Answers, Given, complete, elective_complete, validate
from .conditions import UNKNOWN, All, Compare, Condition, Equals, Known, Member
from .estimates import tailor
from .memo import CONDITION, LIMIT, admits, for_condition, memo_for
from .report import (
    Explanation,
    FigureView,
    FindingView,
    NotTailored,
    OptionView,
    PriorityView,
    QuizView,
    Report,
    SourceView,
    SureView,
    Unchanged,
    UrgentReason,
)
from .rules import DecisionSupport, Diagnosis, Effect, Factor, Finding, QuestionToAsk, RedFlag, Rule, Ruleset
from .urgency import most_urgent, rank

Applied = dict[str, list[tuple[Rule, Effect]]]  # finding id -> the rules (and their effects) applied to it


def assess(ruleset: Ruleset, answers: Answers | Given | Mapping[str, Any]) -> Report:
    """Build the tailored report for one person.

    ``answers`` may be validated :class:`Answers` (used as they are), checked :class:`Given`
    answers (made complete, no answer checked again) or a plain mapping such as
    ``{"age": 67, "condition": "spinal_stenosis", ...}``, which is validated exactly as the
    command line validates it (raising :class:`spinedecide.errors.AnswersError`).

    A red flag comes first: its advice is the report's urgent part, most urgent first. The
    elective part (diagnosis, options and their grid, considerations) is shown only when every
    question it needs was answered (``elective == "shown"``), and the deliberation (what matters, leaning, SURE,
    knowledge check, questions to ask) is never part of an urgent report.
    """
    if isinstance(answers, Given):
        answers = complete(ruleset, answers)
    elif not isinstance(answers, Answers):
        answers = validate(ruleset, answers)
    values = answers.values
    urgent = _red_flags(ruleset, values)
    elective = "skipped" if urgent and not elective_complete(ruleset, values) else "shown"
    diagnosis = ruleset.diagnoses.get(values.get("condition", "")) if elective == "shown" else None
    considerations = [
        c
        for c in for_condition(ruleset, ruleset.considerations, values)
        if elective == "shown" and (c.when is None or c.when(values))
    ]
    shown = _shown_findings(ruleset, diagnosis, considerations, values)
    fired_rules, applied = _applicable_rules(ruleset, diagnosis, values, shown)
    figures = _Figures(ruleset, values, applied)
    options = _options(ruleset, diagnosis, figures)
    consideration_views = tuple(figures.view(c) for c in considerations)
    support = _decision_support(ruleset, values, urgent, options)
    weighed = (
        deliberation.build(ruleset, values, tuple((o.id, o.title) for o in options))
        if not urgent
        else deliberation.Deliberation()
    )
    return _report(
        ruleset,
        answers,
        urgent=urgent,
        elective=elective,
        diagnosis=diagnosis,
        options=options,
        considerations=considerations,
        consideration_views=consideration_views,
        fired_rules=fired_rules,
        applied=applied,
        shown=shown,
        support=support,
        weighed=weighed,
    )


def _red_flags(ruleset: Ruleset, values: Mapping[str, Any]) -> list[RedFlag]:
    """The red flags this person's answers raise, most urgent first (file order within a level)."""
    return sorted(
        (rf for rf in for_condition(ruleset, ruleset.red_flags, values) if rf.when(values)),
        key=lambda rf: rank(rf.level),
    )


def _otherwise(f: Finding) -> Finding:
    """A finding about some people only, as everyone else sees it: its ``otherwise`` words, no figure."""
    assert f.otherwise is not None
    return replace(f, text=f.otherwise.text, no_figure=f.otherwise.no_figure, estimate=None)


def _about_some(ruleset: Ruleset, shown: set[str], values: Mapping[str, Any]) -> list[Finding]:
    """The options' shown findings whose ``when`` holds for this person (file order)."""
    about_some = memo_for(ruleset).get(
        "about_some",
        "",
        lambda: tuple(f for f in ruleset.findings.values() if f.kind != "consideration" and f.when is not None),
    )
    return [f for f in about_some if f.id in shown and f.when is not None and f.when(values)]


def _shown_findings(
    ruleset: Ruleset, diagnosis: Diagnosis | None, considerations: list[Finding], values: Mapping[str, Any]
) -> set[str]:
    """The ids of every finding the report shows: the diagnosis's options' and the considerations.
    A finding with a ``when`` is about some people only: it is shown to them as it is, and to
    everyone else in its ``otherwise`` words (:func:`_otherwise`), or not at all when it has none."""
    everyone, some = memo_for(ruleset).get(
        "option_findings", diagnosis.id if diagnosis else None, lambda: _split(ruleset, diagnosis)
    )
    shown = set(everyone)
    shown.update(f.id for f in some if f.otherwise is not None or (f.when is not None and f.when(values)))
    shown.update(c.id for c in considerations)
    return shown


def _split(ruleset: Ruleset, diagnosis: Diagnosis | None) -> tuple[frozenset[str], tuple[Finding, ...]]:
    """The diagnosis's options' findings shown to everyone (their ids), and those with a ``when``."""
    findings = [
        f
        for option_id in (diagnosis.options if diagnosis else ())
        for f in (
            *ruleset.options[option_id].benefits,
            *ruleset.options[option_id].risks,
            *ruleset.options[option_id].recovery,
        )
    ]
    return frozenset(f.id for f in findings if f.when is None), tuple(f for f in findings if f.when is not None)


def _applicable_rules(
    ruleset: Ruleset, diagnosis: Diagnosis | None, values: Mapping[str, Any], shown: set[str]
) -> tuple[list[Rule], Applied]:
    """The rules that apply to this person and touch a shown finding (file order), and their effects."""
    holds: dict[str, bool] = {}  # rule id -> whether it applies (each rule is tested once)
    applied: Applied = {}
    condition = values.get(CONDITION)
    for finding_id, rule, effect in _effects_in_play(
        ruleset, diagnosis, condition if isinstance(condition, str) else None
    ):
        if finding_id not in shown:
            continue
        applies = holds.get(rule.id)
        if applies is None:
            applies = holds[rule.id] = rule.when(values)
        if applies:
            applied.setdefault(finding_id, []).append((rule, effect))
    return [r for r in ruleset.rules if holds.get(r.id)], applied


def _effects_in_play(
    ruleset: Ruleset, diagnosis: Diagnosis | None, condition: str | None
) -> tuple[tuple[str, Rule, Effect], ...]:
    """(finding id, rule, effect) for every finding a report on this diagnosis can show (its
    options' and the considerations), by finding id, leaving out the rules that name another
    condition than the person's: worked out once per diagnosis and condition."""

    def work_out() -> tuple[tuple[str, Rule, Effect], ...]:
        ids = {c.id for c in ruleset.considerations}
        for option_id in diagnosis.options if diagnosis else ():
            option = ruleset.options[option_id]
            ids.update(f.id for f in (*option.benefits, *option.risks, *option.recovery))
        return tuple(
            (f, rule, effect)
            for f in sorted(ids)
            for rule, effect in ruleset.effects.get(f, ())
            if condition is None or admits(rule.when, condition)
        )

    return memo_for(ruleset).get("effects_in_play", (diagnosis.id if diagnosis else None, condition), work_out)


class _Figures:
    """Tailored figures: each finding's view, with the rules applied to it for this person.

    A view depends only on the finding, whether it is shown as it is, and which rules applied,
    so it is built once per ruleset and shared (``memo.py``); only what this person left unknown
    or unanswered is added to it here."""

    def __init__(self, ruleset: Ruleset, values: Mapping[str, Any], applied: Applied) -> None:
        self.ruleset = ruleset
        self.values = values
        self.applied = applied
        memo = memo_for(ruleset)
        self.views = memo.table("finding_view")
        self.numeric_reads = memo.table("numeric_reads")
        self.absent: set[str] | None = None

    def section(self, findings: tuple[Finding, ...]) -> tuple[FindingView, ...]:
        """An option's benefits, risks or recovery as this person sees them (:func:`_shown_findings`)."""
        out = []
        values = self.values
        effects = self.ruleset.effects
        for f in findings:
            if f.when is None:
                if f.id not in effects:  # no rule can change it: one view for everyone
                    found = self.views.get((f.id, True))
                    out.append(found if found is not None else self.view(f))
                else:
                    out.append(self.view(f))
            elif f.when(values):
                out.append(self.view(f))
            elif f.otherwise is not None:
                out.append(self.view(f, False))
        return tuple(out)

    def view(self, finding: Finding, as_is: bool = True) -> FindingView:
        applied = self.applied.get(finding.id)
        if applied is None:
            applied = []
            key: tuple[Any, ...] = (finding.id, as_is)
        else:
            key = (finding.id, as_is, *[r.id for r, _e in applied])
        found: FindingView | None = self.views.get(key)
        if found is None:
            found = _finding_view(self.ruleset, finding if as_is else _otherwise(finding), applied)
            if len(self.views) < LIMIT:
                self.views[key] = found
        # The rules that applied but changed nothing are in the view (by_applied); this person's
        # unknown or missing answers are added here.
        if as_is and finding.estimate is not None and not self._reads(finding).isdisjoint(self._absent()):
            missing = untailored.by_missing(
                self.ruleset, finding, applied, self.values, {u.rule for u in found.unchanged_by}
            )
            if missing:
                told: FindingView = replace(found, unchanged_by=found.unchanged_by + missing)
                return told
        return found

    def _reads(self, finding: Finding) -> frozenset[str]:
        """The factors read by the rules that could change this finding's figure."""
        reads: frozenset[str] | None = self.numeric_reads.get(finding.id)
        if reads is None:
            rule_reads = self.ruleset.index.reads["rule"]
            reads = frozenset(
                f
                for rule, effect in self.ruleset.effects.get(finding.id, ())
                if not untailored.note_only(effect)
                for f in rule_reads[rule.id]
            )
            self.numeric_reads[finding.id] = reads
        return reads

    def _absent(self) -> set[str]:
        """This person's unknown or missing answers, among the factors any rule reads."""
        if self.absent is None:
            values = self.values
            self.absent = {f for f in self.ruleset.index.readers if values.get(f) in (None, UNKNOWN)}
        return self.absent


def _finding_view(ruleset: Ruleset, finding: Finding, applied: list[tuple[Rule, Effect]]) -> FindingView:
    figure = None
    if finding.estimate is not None:
        t = tailor(finding.estimate, (e for _r, e in applied), ruleset.max_combined_relative_risk)
        held = tuple(dict.fromkeys((applied[i][0].id, applied[i][0].title) for i in t.not_counted))
        figure = FigureView.of(
            t.low,
            t.high,
            t.typical_low,
            t.typical_high,
            t.timeframe,
            t.reference_class,
            t.evidence,
            t.approximate,
            t.tailored,
            t.range,
            t.capped,
            t.typical_timeframe,
            t.bound,
            held,
            **comparable.figure_fields(ruleset, finding, [e for _r, e in applied]),
        )
    sources = list(finding.sources)
    for rule, _e in applied:
        sources += [s for s in rule.sources if s not in sources]
    return FindingView(
        id=finding.id,
        kind=finding.kind,
        title=finding.title,
        text=finding.text,
        estimate=figure,
        sources=tuple(sources),
        rules=tuple(r.id for r, _e in applied),
        notes=tuple(r.text for r, _e in applied),
        no_figure=finding.no_figure,
        compared_with=comparable.pair_views(ruleset, finding.id),
        unchanged_by=untailored.by_applied(ruleset, finding, applied),
    )


def _options(ruleset: Ruleset, diagnosis: Diagnosis | None, figures: _Figures) -> tuple[OptionView, ...]:
    """The options compared for this diagnosis, each with its tailored findings."""
    options = []
    for option_id in diagnosis.options if diagnosis else ():
        option = ruleset.options[option_id]
        options.append(
            OptionView.of(
                option.id,
                option.kind,
                option.title,
                option.summary,
                figures.section(option.benefits),
                figures.section(option.risks),
                figures.section(option.recovery),
                tuple(option.grid.items()),
                tuple(option.living.items()),
                option.living_sources,
            )
        )
    return tuple(options)


class _Support(Struct, frozen=True):
    """The decision support shown to this person (none of the deliberation when a red flag is raised)."""

    support: DecisionSupport
    priorities: tuple[PriorityView, ...]
    leaning: dict[str, str] | None
    sure: SureView | None
    questions: tuple[QuestionToAsk, ...]  # the questions to ask that apply to this person
    quiz: tuple[QuizView, ...]


def _decision_support(
    ruleset: Ruleset, values: Mapping[str, Any], urgent: list[RedFlag], options: tuple[OptionView, ...]
) -> _Support:
    # No deliberation while a red flag is present; the option grid is general information and stays.
    support = ruleset.support if not urgent else DecisionSupport(grid=ruleset.support.grid)
    priorities = []
    priority_views = memo_for(ruleset).table("priority_view")
    kinds = tuple((o.id, o.kind) for o in options)
    for p in for_condition(ruleset, support.priorities, values):
        if p.when is not None and not p.when(values):
            continue
        value = values.get(p.factor)
        if value is None or value == UNKNOWN:
            continue
        key = (id(p), type(value), value, kinds) if isinstance(value, str | int | float) else None  # a list: not kept
        view = priority_views.get(key) if key is not None else None
        if view is None:
            factor = ruleset.factors[p.factor]
            view = PriorityView(
                p.factor,
                factor.question,
                str(value),
                factor.label_of(value),
                value in p.matters,
                p.fits,
                tuple(o.id for o in options if p.fits in (o.kind, "either")),
                p.text,
                p.sources,
            )
            if key is not None and len(priority_views) < LIMIT:
                priority_views[key] = view
        priorities.append(view)
    leaning = None
    if support.leaning and values.get(support.leaning) not in (None, UNKNOWN):
        value = values[support.leaning]
        leaning = {"answer": str(value), "label": ruleset.factors[support.leaning].label_of(value)}
    questions = tuple(
        q for q in for_condition(ruleset, support.questions_to_ask, values) if q.when is None or q.when(values)
    )
    quiz_views = memo_for(ruleset).table("quiz_view")
    quiz = []
    for q in for_condition(ruleset, support.knowledge_check, values):
        if q.when is None or q.when(values):
            view = quiz_views.get(q.id)
            if view is None:  # one per statement in the file: bounded
                view = quiz_views[q.id] = QuizView(q.id, q.statement, q.answer, q.explanation, q.sources)
            quiz.append(view)
    return _Support(support, tuple(priorities), leaning, _sure(support, values), questions, tuple(quiz))


def _sure(support: DecisionSupport, values: Mapping[str, Any]) -> SureView | None:
    """The SURE test's score from this person's answers, if any of its items was answered."""
    if not support.sure:
        return None
    given = [(item, values.get(item.factor)) for item in support.sure]
    answered = [(item, v) for item, v in given if v in ("yes", "no")]
    if not answered:
        return None
    return SureView(
        answers={item.factor: str(v) for item, v in answered},
        score=sum(1 for _i, v in answered if v == support.sure_yes),
        out_of=len(support.sure),
        complete=len(answered) == len(support.sure),
        next_steps=tuple(item.next_step for item, v in given if v == "no"),
    )


def _report(
    ruleset: Ruleset,
    answers: Answers,
    *,
    urgent: list[RedFlag],
    elective: str,
    diagnosis: Diagnosis | None,
    options: tuple[OptionView, ...],
    considerations: list[Finding],
    consideration_views: tuple[FindingView, ...],
    fired_rules: list[Rule],
    applied: Applied,
    shown: set[str],
    support: _Support,
    weighed: deliberation.Deliberation,
) -> Report:
    """The report: the steps' results, with what explains them, the sources cited and the rules' metadata."""
    values = answers.values
    compared = dict(diagnosis.compared) if diagnosis and options else {}
    return Report.of(
        spinedecide_version=__version__,
        rules=_rules_info(ruleset),
        urgent_reasons=tuple(
            UrgentReason(id=rf.id, level=rf.level, title=rf.title, text=rf.text, action=rf.action, sources=rf.sources)
            for rf in urgent
        ),
        urgency=most_urgent(rf.level for rf in urgent),
        elective=elective,
        diagnosis=(
            {
                "id": diagnosis.id,
                "title": diagnosis.title,
                "about": diagnosis.about,
                "decision": diagnosis.decision,
                "sources": list(diagnosis.sources),
            }
            if diagnosis
            else {}
        ),
        answers=dict(values),
        derived=tuple(sorted(answers.derived)),
        options=options,
        considerations=consideration_views,
        fired_rules=tuple(r.id for r in fired_rules),
        explanations=_explanations(
            ruleset,
            values,
            urgent,
            fired_rules,
            applied,
            [*_about_some(ruleset, shown, values), *considerations],
            support.questions,
        ),
        not_tailored=_not_tailored(ruleset, answers, shown),
        no_figure_changed=_unchanged(ruleset, values, fired_rules, applied, considerations),
        sources=_sources(ruleset, urgent, diagnosis, compared, options, consideration_views, support, weighed),
        disclaimer=ruleset.disclaimer,
        grid_rows=tuple((r.id, r.question) for r in support.support.grid),
        grid_compared=compared,
        priorities=support.priorities,
        leaning=support.leaning,
        sure=support.sure,
        questions_to_ask=tuple((q.id, q.text) for q in support.questions),
        knowledge_check=support.quiz,
        labels=ruleset.index.labels,
        questions=ruleset.index.questions,
        key_outcomes=tuple((o, ruleset.outcomes[o].title) for o in diagnosis.key_outcomes) if diagnosis else (),
        outcome_titles=ruleset.index.outcome_titles,  # Outcomes keeps its own copy
        deliberation=weighed,
    )


def _explanations(
    ruleset: Ruleset,
    values: Mapping[str, Any],
    urgent: list[RedFlag],
    fired_rules: list[Rule],
    applied: Applied,
    with_when: list[Finding],
    questions: tuple[QuestionToAsk, ...],
) -> tuple[Explanation, ...]:
    """Why each red flag, rule, consideration (and option's finding with a `when`) and question to
    ask is in the report."""
    said = _Said(ruleset, values)
    explanations = [said.explain("red_flag", rf.id, rf.title, rf.when) for rf in urgent]
    changed: dict[str, tuple[list[str], list[str]]] = {}  # rule id -> the findings it changed, and how
    for finding_id, pairs in sorted(applied.items()):
        for rule, effect in pairs:
            found, changes = changed.setdefault(rule.id, ([], []))
            found.append(finding_id)
            changes.append(said.change(effect))
    for r in fired_rules:
        found, changes = changed.get(r.id, ([], []))
        explanations.append(said.explain("rule", r.id, r.title, r.when, tuple(dict.fromkeys(found)), tuple(changes)))
    explanations += [  # an option's finding that is about some people only, shown as it is to this one
        said.explain(c.kind if c.kind == "consideration" else "finding", c.id, c.title, c.when)
        for c in with_when
        if c.when is not None
    ]
    explanations += [said.explain("question", q.id, q.text, q.when) for q in questions if q.when is not None]
    return tuple(explanations)


def _not_tailored(ruleset: Ruleset, answers: Answers, shown: set[str]) -> tuple[NotTailored, ...]:
    """The questions answered "unknown" that a rule touching a shown finding would have read."""
    values = answers.values
    not_tailored = []
    for factor_id in [k for k, v in values.items() if v == UNKNOWN]:
        readers = [
            r for r in ruleset.index.readers.get(factor_id, ()) if not ruleset.index.touches[r].isdisjoint(shown)
        ]
        if readers:
            factor = ruleset.factors[factor_id]
            # A worked-out value (BMI) names the questions the person actually answered.
            asked = (
                [ruleset.factors[d].question for d in factor.derived_from if d in ruleset.factors]
                if factor_id in answers.derived or not factor.ask
                else []
            )
            not_tailored.append(NotTailored(factor_id, " / ".join(asked) or factor.question, tuple(readers)))
    return tuple(not_tailored)


def _sources(
    ruleset: Ruleset,
    urgent: list[RedFlag],
    diagnosis: Diagnosis | None,
    compared: Mapping[str, Any],
    options: tuple[OptionView, ...],
    consideration_views: tuple[FindingView, ...],
    support: _Support,
    weighed: deliberation.Deliberation,
) -> tuple[SourceView, ...]:
    """Every source the report cites, in the rules file's order."""
    cited: set[str] = set()  # in the file's order below
    for rf in urgent:
        cited.update(rf.sources)
    cited.update(diagnosis.sources if diagnosis else ())
    for ids in compared.values():
        cited.update(ids)
    for option_view in options:
        cited.update(option_view.living_sources)
        for group in (option_view.benefits, option_view.risks, option_view.recovery):
            for f in group:
                cited.update(f.sources)
    for c in consideration_views:
        cited.update(c.sources)
    for p in support.priorities:
        cited.update(p.sources)
    for q in support.quiz:
        cited.update(q.sources)
    for r in weighed.weighing.reasons if weighed.weighing else ():
        cited.update(r.sources)
    memo = memo_for(ruleset)
    order = memo.get("source_order", "", lambda: {s: i for i, s in enumerate(ruleset.sources)})
    views = memo.table("source_view")
    out = []
    for ident in sorted(cited, key=order.__getitem__):
        view = views.get(ident)
        if view is None:
            view = views[ident] = _source_view(ruleset, ident)  # one per source in the file: bounded
        out.append(view)
    return tuple(out)


def _rules_info(ruleset: Ruleset) -> dict[str, Any]:
    meta = ruleset.metadata
    return {
        "title": meta.get("title"),
        "version": ruleset.version,
        "reviewed": ruleset.reviewed,
        "published": meta.get("published"),
        "next_review": meta.get("next_review"),
        "update_policy": meta.get("update_policy"),
        "evidence_search": meta.get("evidence_search"),
        "authors": list(meta.get("authors", [])),
        "reviewers": list(meta.get("reviewers", [])),
        "funding": meta.get("funding"),
        "conflicts_of_interest": meta.get("conflicts_of_interest"),
        "sha256": ruleset.sha256,
    }


def _unchanged(
    ruleset: Ruleset,
    values: Mapping[str, Any],
    fired: list[Rule],
    effects: Mapping[str, list[tuple[Rule, Effect]]],
    considerations: list[Finding],
) -> tuple[Unchanged, ...]:
    """Answers (in the sections the rules file names) that changed no figure in this report.

    An answer counts for a fired rule or consideration only if it was needed: with that answer
    unknown, the condition would no longer hold (a "no injections" answer is not what fired a
    rule about any treatment that did not help).
    """
    if not ruleset.say_unchanged:
        return ()

    reads = ruleset.index.reads["rule"]
    consideration_reads = ruleset.index.reads["consideration"]

    listed = _said_if_unchanged(ruleset)

    always_needed = memo_for(ruleset).table("always_needed")

    def needed(read: frozenset[str], when: Condition) -> frozenset[str]:
        """The listed factors among ``read`` without which ``when`` (which holds) would not."""
        found: frozenset[str] | None | bool = always_needed.get(id(when), False)
        if found is False:  # once per condition in the file: bounded (the memo keeps the ruleset)
            found = always_needed[id(when)] = _always_needed(when, listed)
        if isinstance(found, frozenset):
            return found
        own = {k: values.get(k) for k in read}  # a condition reads only its own factors
        return frozenset(f for f in read if f in listed and not when({**own, f: UNKNOWN}))

    numeric = {
        r.id
        for pairs in effects.values()
        for r, e in pairs
        if e.figure is not None or e.relative_risk is not None or e.odds_ratio is not None
    }
    said_by: dict[str, list[str]] = {}  # factor -> the fired rules and considerations that needed it
    changed_a_figure: set[str] = set()  # factors a rule with a figure needed
    for r in fired:
        for f in needed(reads[r.id], r.when):
            said_by.setdefault(f, []).append(r.id)
            if r.id in numeric:
                changed_a_figure.add(f)
    for c in considerations:
        if c.when is not None:
            for f in needed(consideration_reads[c.id], c.when):
                said_by.setdefault(f, []).append(c.id)
    out = []
    for factor in listed.values():
        value = values.get(factor.id)
        if value is None or value == UNKNOWN or factor.id in changed_a_figure:
            continue
        out.append(Unchanged(factor.id, factor.question, tuple(said_by.get(factor.id, ()))))
    return tuple(out)


def _always_needed(when: Condition, listed: Mapping[str, Factor]) -> frozenset[str] | None:
    """For a condition that is an ``all`` of tests that each read one factor: the listed factors
    it needs, the same for everyone it holds for (with one answer unknown, only the tests of that
    factor change). None for any other condition: worked out for each person."""
    tests: dict[str, list[Condition]] = {}
    stack = [when]
    while stack:
        c = stack.pop()
        if isinstance(c, All):
            stack += c.parts
        elif isinstance(c, (Equals, Member, Compare, Known)):
            tests.setdefault(c.factor, []).append(c)
        else:
            return None
    return frozenset(f for f, fs in tests.items() if f in listed and not all(t({f: UNKNOWN}) for t in fs))


def _said_if_unchanged(ruleset: Ruleset) -> dict[str, Factor]:
    """The factors (not red flags) in the sections whose unchanging answers the report lists."""
    return memo_for(ruleset).get(
        "said_if_unchanged",
        "",
        lambda: {f.id: f for f in ruleset.factors.values() if f.section in ruleset.say_unchanged and not f.red_flag},
    )


def _change(effect: Effect) -> str:
    """What a rule did to one finding, in a form a clinician can recompute."""
    start = ""
    if effect.baseline is not None:
        low, high = effect.baseline
        start = (
            f" = {low:g} in 100 (without the factor)"
            if low == high
            else f" = {low:g} to {high:g} in 100 (without the factor)"
        )
    if effect.relative_risk is not None:
        return f"{effect.finding}{start} x {effect.relative_risk:g}"
    if effect.odds_ratio is not None:
        return f"{effect.finding}{start}: odds x {effect.odds_ratio:g}"
    if effect.figure is not None:
        low, high = effect.figure
        return f"{effect.finding} = {low:g} in 100" if low == high else f"{effect.finding} = {low:g} to {high:g} in 100"
    return f"{effect.finding}: note"


class _Said:
    """Explanations for one person: each condition's words and the factors it reads come from the
    ruleset's memo (the same for everyone); the answers read are this person's."""

    def __init__(self, ruleset: Ruleset, values: Mapping[str, Any]) -> None:
        memo = memo_for(ruleset)
        self.reads = ruleset.index.reads
        self.values = values
        self.conditions = memo.table("condition_words")
        self.changes = memo.table("change_words")

    def explain(
        self,
        kind: str,
        ident: str,
        title: str,
        when: Condition | None,
        findings: tuple[str, ...] = (),
        changes: tuple[str, ...] = (),
    ) -> Explanation:
        if when is None:
            read: tuple[str, ...] = ()
            condition = "always"
        else:
            key = (kind, ident)
            known = self.conditions.get(key)
            if known is None:  # one per condition in the file: bounded
                known = self.conditions[key] = (tuple(sorted(self.reads[kind][ident])), when.describe())
            read, condition = known
        values = self.values
        return Explanation(
            id=ident,
            kind=kind,
            title=title,
            condition=condition,
            read={k: values.get(k) for k in read},
            findings=findings,
            changes=changes,
        )

    def change(self, effect: Effect) -> str:
        """:func:`_change`, once per effect in the file (the memo keeps the ruleset, so ids stay its own)."""
        words: str | None = self.changes.get(id(effect))
        if words is None:
            words = self.changes[id(effect)] = _change(effect)
        return words


def _source_view(ruleset: Ruleset, ident: str) -> SourceView:
    s = ruleset.sources[ident]
    return SourceView.of(
        s.id,
        s.citation,
        s.url,
        s.pmid,
        s.doi,
        (s.secondary.citation, s.secondary.url) if s.secondary else None,
        s.read,
    )
