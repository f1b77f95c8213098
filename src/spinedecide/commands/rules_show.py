"""``spinedecide rules show ID``: one rule (or finding, factor, red flag), what it says and its sources."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..rules import Finding, Rule, Ruleset
from ..terminal import Env


def run(env: Env, ident: str, rules_file: Path | None) -> None:
    from ..rules import load_rules

    ruleset = load_rules(rules_file)
    rule = next((r for r in ruleset.rules if r.id == ident), None)
    if rule is not None:
        out = _rule(ruleset, rule)
    elif ident in ruleset.findings:
        out = _finding(ruleset, ruleset.findings[ident])
    elif ident in ruleset.factors:
        out = _factor(ruleset, ident)
    else:
        out = _red_flag(ruleset, ident)
    env.stdout.write("\n".join(out) + "\n")


def _cite(ruleset: Ruleset, ids: tuple[str, ...]) -> list[str]:
    return [f"  source {s}: {ruleset.sources[s].citation}" for s in ids]


def _rule(ruleset: Ruleset, rule: Rule) -> list[str]:
    out = [
        f"rule {rule.id} ({ruleset.path}:{rule.line})",
        f"  title: {rule.title}",
        f"  when: {rule.when.describe()}",
        f"  text: {rule.text}",
    ]
    for effect in rule.effects:
        finding = ruleset.findings[effect.finding]
        where = f"option {finding.option}" if finding.option else "consideration"
        change = (
            f"multiplies the figure by {effect.relative_risk:g}"
            if effect.relative_risk is not None
            else f"multiplies the odds by {effect.odds_ratio:g} (an odds ratio)"
            if effect.odds_ratio is not None
            else f"replaces the figure with {_span(*effect.figure)} in 100"
            if effect.figure is not None
            else "adds its text as a note"
        )
        if effect.baseline is not None:
            change = f"starts from {_span(*effect.baseline)} in 100 (people without the factor), then {change}"
        typical = (
            f" (typical {_span(finding.estimate.low, finding.estimate.high)} in 100, {finding.estimate.timeframe})"
            if finding.estimate
            else ""
        )
        out.append(f"  changes {finding.id} [{finding.kind}, {where}]: {finding.title}{typical}: {change}")
    return out + _cite(ruleset, rule.sources)


def _finding(ruleset: Ruleset, finding: Finding) -> list[str]:
    out = [
        f"finding {finding.id} ({ruleset.path}:{finding.line})",
        f"  {finding.kind}: {finding.title}",
        f"  text: {finding.text}",
    ]
    if finding.estimate:
        e = finding.estimate
        limit = f"{e.bound.replace('_', ' ')} " if e.bound else ""
        span = _span(e.low, e.high)
        out.append(f"  typical: {limit}{span} in 100, {e.timeframe}; {e.reference_class} ({e.evidence})")
    out += [f"  tailored by rule {r.id}: {r.title}" for r, _e in ruleset.effects.get(finding.id, ())]
    return out + _cite(ruleset, finding.sources)


def _factor(ruleset: Ruleset, ident: str) -> list[str]:
    f = ruleset.factors[ident]
    out = [f"factor {f.id} ({ruleset.path}:{f.line})", f"  question: {f.question}", f"  type: {f.type}"]
    return out + [f"  read by rule {r}" for r in ruleset.index.readers.get(ident, ())]


def _red_flag(ruleset: Ruleset, ident: str) -> list[str]:
    flag = next((r for r in ruleset.red_flags if r.id == ident), None)
    if flag is None:
        from ..conditions import suggest

        known = [r.id for r in ruleset.rules] + list(ruleset.findings) + list(ruleset.factors)
        known += [r.id for r in ruleset.red_flags]
        raise UsageError(f"no rule, finding, factor or red flag called {ident!r}{suggest(ident, known)}")
    out = [
        f"red flag {flag.id} ({ruleset.path}:{flag.line})",
        f"  when: {flag.when.describe()}",
        f"  text: {flag.text}",
        f"  action: {flag.action}",
    ]
    return out + _cite(ruleset, flag.sources)


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"
