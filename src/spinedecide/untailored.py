"""Which answers could not change a figure, and why: tailoring that says what it left out.

For one finding and the rules applied to it: a rule with only a note (the source gives no figure
for that group), a ratio the cap held back, a subgroup figure another one replaced, and a rule
that could have applied had an answer been known. Kept apart from ``estimates.py`` (the
arithmetic) so that it only reads results, never changes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from .conditions import UNKNOWN
from .estimates import tailor
from .memo import memo_for
from .report import UnchangedView
from .rules import Effect, Finding, Rule, Ruleset

_MAX_TRIES = 500


def unchanged_by(
    ruleset: Ruleset, finding: Finding, applied: Sequence[tuple[Rule, Effect]], values: Mapping[str, Any]
) -> tuple[UnchangedView, ...]:
    """All of it: :func:`by_applied` then :func:`by_missing`."""
    done = by_applied(ruleset, finding, applied)
    return done + by_missing(ruleset, finding, applied, values, {u.rule for u in done})


def by_applied(ruleset: Ruleset, finding: Finding, applied: Sequence[tuple[Rule, Effect]]) -> tuple[UnchangedView, ...]:
    """Rules that applied but could not change the figure: a note only, capped, or another
    figure used. The same for everyone these rules apply to; the
    answers carry the factor and question, not the person's answer."""
    if finding.estimate is None or not applied:
        return ()
    cap = ruleset.max_combined_relative_risk
    effects = [e for _r, e in applied]
    full = tailor(finding.estimate, effects, cap)
    out: dict[str, UnchangedView] = {}
    for rule, effect in applied:
        if note_only(effect):
            why = "no_subgroup_figure"
        else:
            without = tailor(finding.estimate, [e for e in effects if e is not effect], cap)
            if (without.low, without.high) != (full.low, full.high):
                continue
            why = "capped" if full.capped and effect.figure is None else "no_change"
        out.setdefault(
            rule.id,
            UnchangedView.of(rule.id, why, _answers(ruleset, sorted(ruleset.index.reads["rule"][rule.id]), None)),
        )
    return tuple(out.values())


def by_missing(
    ruleset: Ruleset,
    finding: Finding,
    applied: Sequence[tuple[Rule, Effect]],
    values: Mapping[str, Any],
    seen: set[str] | None = None,
) -> tuple[UnchangedView, ...]:
    """Rules that did not apply because an answer is unknown or missing, and could have."""
    if finding.estimate is None:
        return ()
    skip = {r.id for r, _e in applied} | (seen or set())
    out: dict[str, UnchangedView] = {}
    for rule, effect in ruleset.effects.get(finding.id, ()):
        if rule.id in skip or rule.id in out or note_only(effect):
            continue
        missing = sorted(f for f in ruleset.index.reads["rule"][rule.id] if values.get(f) in (None, UNKNOWN))
        if missing and _could_apply(ruleset, rule, values, missing):
            why = "unknown" if any(values.get(f) == UNKNOWN for f in missing) else "not_answered"
            out[rule.id] = UnchangedView.of(rule.id, why, _answers(ruleset, missing, values))
    return tuple(out.values())


def note_only(effect: Effect) -> bool:
    return effect.relative_risk is None and effect.odds_ratio is None and effect.figure is None


def _could_apply(ruleset: Ruleset, rule: Rule, values: Mapping[str, Any], missing: list[str]) -> bool:
    """Would some answer to the missing questions, the other answers staying, make the rule apply?"""
    pools = [_candidates(ruleset, rule, f) for f in missing if f in ruleset.factors]
    for tries, combo in enumerate(itertools.product(*pools)):
        if tries >= _MAX_TRIES:
            return True  # too many to try: say it might have
        if rule.when({**values, **dict(zip(missing, combo, strict=False))}):
            return True
    return False


def _candidates(ruleset: Ruleset, rule: Rule, factor: str) -> tuple[Any, ...]:
    """The known answers to ``factor`` that cover every case the rule can tell apart (once per
    rule and factor: the ruleset's memo)."""
    table = memo_for(ruleset).table("candidate_values")
    pool: tuple[Any, ...] | None = table.get((rule.id, factor))
    if pool is None:  # one per rule and factor it reads: bounded
        from .authoring import candidate_values

        pool = tuple(v for v in candidate_values(ruleset.factors[factor], rule.when) if v not in (None, UNKNOWN))
        table[(rule.id, factor)] = pool
    return pool


def _answers(
    ruleset: Ruleset, factors: list[str], values: Mapping[str, Any] | None
) -> tuple[tuple[str, str, str], ...]:
    out = []
    for ident in factors:
        factor = ruleset.factors.get(ident)
        if factor is None:
            continue
        if values is None:
            out.append((ident, factor.question, ""))
            continue
        value = values.get(ident)
        said = "not known" if value == UNKNOWN else "not answered" if value is None else factor.label_of(value)
        out.append((ident, factor.question, said))
    return tuple(out)
