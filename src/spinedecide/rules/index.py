"""The rules' index (``Ruleset.index``): what depends only on the rules, worked out once at load."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import DecisionSupport, Diagnosis, Factor, Finding, Option, Pair, RedFlag, Rule, RulesIndex, Section


def index_of(
    sections: Iterable[Section],
    rules: Iterable[Rule],
    considerations: Iterable[Finding],
    red_flags: Iterable[RedFlag],
    support: DecisionSupport,
    factors: Mapping[str, Factor],
    diagnoses: Mapping[str, Diagnosis],
    options: Mapping[str, Option],
    findings: Mapping[str, Finding],
) -> RulesIndex:
    """The factors each condition reads, the findings each rule changes, the rules that read each
    factor, each factor's question and choice labels, and the pairs of findings on one outcome."""
    rules = tuple(rules)
    reads = {r.id: r.when.factors() for r in rules}
    readers: dict[str, list[str]] = {}
    for rule in rules:
        for factor in sorted(reads[rule.id]):
            readers.setdefault(factor, []).append(rule.id)
    return RulesIndex(
        reads={
            "rule": reads,
            "consideration": {c.id: c.when.factors() for c in considerations if c.when is not None},
            # every finding with a `when`: the considerations, and options' findings about some people only
            "finding": {f.id: f.when.factors() for f in findings.values() if f.when is not None},
            "red_flag": {f.id: f.when.factors() for f in red_flags},
            "question": {q.id: q.when.factors() for q in support.questions_to_ask if q.when is not None},
        },
        touches={r.id: frozenset(e.finding for e in r.effects) for r in rules},
        readers={k: tuple(v) for k, v in readers.items()},
        labels={f.id: {c.id: c.label for c in f.choices} for f in factors.values() if f.choices},
        questions={f.id: f.question for f in factors.values()},
        pairs=pairs_of(diagnoses, options),
        asked=_asked(factors, sections),
    )


def _asked(factors: Mapping[str, Factor], sections: Iterable[Section]) -> tuple[Factor, ...]:
    """The factors the interview asks: red flags first, then by section, in file order within each."""
    asked = [f for f in factors.values() if f.ask]
    section_order = {s.id: i for i, s in enumerate(sections)}
    return tuple(
        sorted(asked, key=lambda f: (not f.red_flag and f.section != "red_flags", section_order.get(f.section, 99)))
    )


def figured(option: Option) -> list[Finding]:
    """The option's findings with a figure for a named outcome."""
    return [
        f for f in (*option.benefits, *option.risks, *option.recovery) if f.estimate is not None and f.estimate.outcome
    ]


def pairs_of(diagnoses: Mapping[str, Diagnosis], options: Mapping[str, Option]) -> dict[str, tuple[Pair, ...]]:
    """Finding id -> the other options' findings in its diagnosis that answer the same outcome."""
    out: dict[str, list[Pair]] = {}
    for diagnosis in diagnoses.values():
        for a_option in diagnosis.options:
            for a in figured(options[a_option]):
                for b_option in diagnosis.options:
                    if b_option == a_option:
                        continue
                    for b in figured(options[b_option]):
                        assert a.estimate is not None and b.estimate is not None
                        if b.estimate.outcome == a.estimate.outcome:
                            same = bool(set(a.sources) & set(b.sources))
                            reason = None if same else diagnosis.not_comparable.get(a.estimate.outcome or "")
                            out.setdefault(a.id, []).append(Pair(b_option, b.id, same, reason))
    return {k: tuple(v) for k, v in out.items()}
