"""The rules' index (``Ruleset.index``): what depends only on the rules, worked out once at load."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import DecisionSupport, Factor, Finding, RedFlag, Rule, RulesIndex


def index_of(
    rules: Iterable[Rule],
    considerations: Iterable[Finding],
    red_flags: Iterable[RedFlag],
    support: DecisionSupport,
    factors: Mapping[str, Factor],
) -> RulesIndex:
    """The factors each condition reads, the findings each rule changes, the rules that read each
    factor, and each factor's question and choice labels."""
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
            "red_flag": {f.id: f.when.factors() for f in red_flags},
            "question": {q.id: q.when.factors() for q in support.questions_to_ask if q.when is not None},
        },
        touches={r.id: frozenset(e.finding for e in r.effects) for r in rules},
        readers={k: tuple(v) for k, v in readers.items()},
        labels={f.id: {c.id: c.label for c in f.choices} for f in factors.values() if f.choices},
        questions={f.id: f.question for f in factors.values()},
    )
