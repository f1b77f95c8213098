"""Which questions can matter: the factors a report for each condition can read.

A question whose answer cannot change anything in a person's report beyond being echoed is not
asked (and not required). What can read an answer, for one condition (the ``condition`` answer):

- a red flag (always: safety comes first), and the decision-support questions (always);
- the condition's options' findings that have a ``when``;
- a consideration, a question to ask or a quiz item whose ``when`` can still hold;
- a tailoring rule that touches a finding shown for the condition, whose ``when`` can still hold;
- a question that decides whether another question that matters is asked (``ask_when``), and
  the answers a derived value that matters is worked out from (``derived_from``: BMI).

Only the parts of a condition that the condition answer leaves open count: in
``{all: [{condition: spinal_stenosis}, {daily_function: unable}]}`` daily function can matter for
stenosis, never for a herniated disc. Computed once per rules file (it depends only on the rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .conditions import All, Always, AnyOf, Condition, Not
from .rules import Ruleset

CONDITION = "condition"


def settled(cond: Condition, known: Mapping[str, Any]) -> bool | None:
    """True or False when the answers in ``known`` decide ``cond`` whatever the rest are; else None."""
    if isinstance(cond, Always):
        return True
    if isinstance(cond, Not):
        inner = settled(cond.part, known)
        return None if inner is None else not inner
    if isinstance(cond, All | AnyOf):
        results = [settled(part, known) for part in cond.parts]
        decisive = isinstance(cond, AnyOf)  # any: one True decides; all: one False decides
        if decisive in results:
            return decisive
        return None if None in results else not decisive
    if cond.factors() <= known.keys():
        return cond(known)
    return None


def open_factors(cond: Condition | None, known: Mapping[str, Any]) -> frozenset[str]:
    """The factors whose answers can still change ``cond`` once ``known`` is given."""
    if cond is None or settled(cond, known) is not None:
        return frozenset()
    if isinstance(cond, Not):
        return open_factors(cond.part, known)
    if isinstance(cond, All | AnyOf):
        return frozenset().union(*(open_factors(part, known) for part in cond.parts))
    return cond.factors() - known.keys()


def deliberation(ruleset: Ruleset) -> frozenset[str]:
    """The decision-support questions (what matters, leaning, SURE, the reasons to weigh, the
    knowledge check, support and plan, and any question in their sections)."""
    ids = deliberation_ids(ruleset)
    sections = {ruleset.factors[i].section for i in ids if i in ruleset.factors}
    return frozenset(ids | {f.id for f in ruleset.factors.values() if f.section in sections})


def deliberation_ids(ruleset: Ruleset) -> set[str]:
    """What matters, leaning, SURE, the reasons to weigh, the knowledge check, support and plan."""
    support = ruleset.support
    return (
        {p.factor for p in support.priorities}
        | {s.factor for s in support.sure}
        | ({support.leaning} if support.leaning else set())
        | {r.factor for r in (support.weighing.reasons if support.weighing else ())}
        | ({q.id for q in support.knowledge_check} if support.quiz else set())
        | set(support.support_factors.values())
        | set(support.plan_factors.values())
    )


def _always(ruleset: Ruleset) -> set[str]:
    """Red flags and decision support: they matter whatever the condition."""
    ids = {CONDITION, *deliberation(ruleset), *(f.id for f in ruleset.factors.values() if f.red_flag)}
    for flag in ruleset.red_flags:
        ids |= flag.when.factors()
    return {i for i in ids if i in ruleset.factors}


def _readers(ruleset: Ruleset, condition: str) -> Iterable[Condition | None]:
    """Every ``when`` that can shape the report of a person with this condition."""
    known = {CONDITION: condition}
    support = ruleset.support
    diagnosis = ruleset.diagnoses.get(condition)
    shown: set[str] = set()
    for option_id in diagnosis.options if diagnosis else ():
        option = ruleset.options[option_id]
        for finding in (*option.benefits, *option.risks, *option.recovery):
            shown.add(finding.id)
            yield finding.when
    for consideration in ruleset.considerations:
        if consideration.when is None or settled(consideration.when, known) is not False:
            shown.add(consideration.id)
            yield consideration.when
    for rule in ruleset.rules:
        if any(effect.finding in shown for effect in rule.effects):
            yield rule.when
    yield from (p.when for p in support.priorities)
    yield from (q.when for q in support.questions_to_ask)
    yield from (q.when for q in support.knowledge_check)


def _close(ruleset: Ruleset, ids: set[str], known: Mapping[str, Any]) -> frozenset[str]:
    """Add the questions that gate, or are the inputs of, a question that matters."""
    todo = list(ids)
    while todo:
        factor = ruleset.factors.get(todo.pop())
        if factor is None:
            continue
        more = set(open_factors(factor.ask_when, known)) | set(factor.derived_from)
        for ident in more - ids:
            ids.add(ident)
            todo.append(ident)
    return frozenset(ids)


def _for_condition(ruleset: Ruleset, condition: str) -> frozenset[str]:
    known = {CONDITION: condition}
    ids = _always(ruleset)
    for cond in _readers(ruleset, condition):
        ids |= open_factors(cond, known)
    return _close(ruleset, ids, known)


def conditions(ruleset: Ruleset) -> tuple[str, ...]:
    factor = ruleset.factors.get(CONDITION)
    return factor.choice_ids if factor is not None else ()


def table(ruleset: Ruleset) -> Mapping[str, frozenset[str]]:
    """Condition id -> the factors that can matter for it; the empty key holds those that can
    matter for some condition (asked before the condition is known). Worked out once, at load."""
    return ruleset.index.relevance


def table_of(ruleset: Ruleset) -> dict[str, frozenset[str]]:
    """The relevance table of a built rules file (the rules loader stores it in ``Ruleset.index``)."""
    by_condition = {c: _for_condition(ruleset, c) for c in conditions(ruleset)}
    if by_condition:
        by_condition[""] = frozenset().union(*by_condition.values())
    return by_condition


def can_matter(ruleset: Ruleset, factor_id: str, answers: Mapping[str, Any]) -> bool:
    """Whether the answer to ``factor_id`` can change this person's report (given their condition,
    when they have answered it; before that, for some condition). A rules file with no
    ``condition`` question asks everything."""
    by_condition = table(ruleset)
    if not by_condition:
        return True
    ids = by_condition.get(answers.get(CONDITION) or "")
    return factor_id in (ids if ids is not None else by_condition[""])


def unused(ruleset: Ruleset) -> list[str]:
    """Questions that no report can use, whatever the condition (for ``rules check``)."""
    by_condition = table(ruleset)
    if not by_condition:
        return []
    return [f.id for f in ruleset.questions() if f.id not in by_condition[""]]


def counted(ruleset: Ruleset) -> dict[str, tuple[int, int, int]]:
    """Condition id -> (fewest, most, deliberation): how many questions the interview asks a
    person with it, the fewest when every follow-up is ruled out by the answers before it, the
    most when all apply; and how many of those are about what matters to them (all optional).
    Questions asked before the condition one count when they can matter for some condition."""
    order = [f.id for f in ruleset.questions()]
    before = set(order[: order.index(CONDITION)]) if CONDITION in order else set()
    support = deliberation(ruleset)
    out: dict[str, tuple[int, int, int]] = {}
    for condition in conditions(ruleset):
        known = {CONDITION: condition}
        fewest = most = values = 0
        for factor in ruleset.questions():
            if not can_matter(ruleset, factor.id, {} if factor.id in before else known):
                continue
            applies = settled(factor.ask_when, known)
            most += applies is not False
            fewest += applies is True
            values += applies is not False and factor.id in support
        out[condition] = (fewest, most, values)
    return out


def counts_table(ruleset: Ruleset) -> str:
    """The README's table of questions per condition (``python -m spinedecide.relevance``)."""
    factor = ruleset.factors[CONDITION]
    lines = [
        "| condition | questions about your health and back | then, about what matters to you (optional) |",
        "| --- | --- | --- |",
    ]
    for condition, (fewest, most, values) in counted(ruleset).items():
        low, high = fewest - values, most - values
        span = f"{low}" if low == high else f"{low} to {high}"
        lines.append(f"| {factor.label_of(condition)} | {span} | {values} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - a helper for the README
    import sys

    from .rules import load_rules

    sys.stdout.write(counts_table(load_rules(sys.argv[1] if len(sys.argv) > 1 else None)))
