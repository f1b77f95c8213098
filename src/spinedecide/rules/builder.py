"""The rules file's builder: each part built by the class that owns it, then cross-checked.

The parts stand on one another in one line, each file's class adding the methods for its part
(a later part may call an earlier one): checking (``_Checking``) -> build_about -> build_factors
-> build_findings -> build_options -> build_diagnoses -> build_rules -> build_sources ->
crosschecks -> build_support -> build_deliberation -> this ``_Builder``, which builds the whole file in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from .._lines import line_of
from ..conditions import Compiler
from ..errors import Problem, RulesError
from .build_deliberation import _Deliberation
from .index import index_of
from .model import Effect, Rule, Ruleset
from .shape import FORMAT_VERSION, SCHEMA


class _Builder(_Deliberation):
    """Builds a Ruleset from a parsed rules file, collecting every problem."""

    def build(self, doc: Any) -> Ruleset:
        if not isinstance(doc, Mapping):
            raise RulesError(
                [
                    Problem(
                        "the rules file must be a mapping (format, metadata, factors, ...)",
                        file=self.file,
                        line=line_of(doc),
                    )
                ]
            )
        fmt = doc.get("format")
        if fmt != FORMAT_VERSION:
            raise RulesError(
                [
                    Problem(
                        f"this program reads rules format {FORMAT_VERSION}, but the file says format: {fmt!r}",
                        field="format",
                        file=self.file,
                        line=line_of(doc, "format"),
                    )
                ]
            )
        self.mapping(doc, "(top level)", *SCHEMA["rules_file"])
        metadata = self.metadata(doc.get("metadata"), doc)
        estimates = doc.get("estimates") or {}
        max_rr = 3.0
        if isinstance(estimates, Mapping):
            self.mapping(estimates, "estimates", *SCHEMA["estimates"])
            max_rr = (
                float(estimates.get("max_combined_relative_risk", max_rr))
                if self._type_ok(estimates.get("max_combined_relative_risk", 3.0), "number")
                else max_rr
            )
            if max_rr < 1:
                self.problem(
                    "max_combined_relative_risk must be 1 or more", "estimates", estimates, "max_combined_relative_risk"
                )

        sections = self.sections(doc)
        say_unchanged = tuple(estimates.get("say_unchanged") or ()) if isinstance(estimates, Mapping) else ()
        for ident in say_unchanged:
            if ident not in {s.id for s in sections}:
                self.problem(
                    f"unknown section {ident!r} in say_unchanged", "estimates.say_unchanged", estimates, "say_unchanged"
                )
        factors = self.factors(doc, {s.id for s in sections})
        compiler = Compiler(factors, self.file)
        factors = self.compile_ask_when(doc, factors, compiler)
        source_ids = self.source_ids(doc)
        self.known_sources = source_ids
        outcomes = self.outcomes(doc)
        self.outcome_ids = set(outcomes)
        red_flags = self.red_flags(doc, compiler)
        grid_rows = self.grid_rows(doc.get("decision_support"))
        options, findings = self.options(doc, grid_rows, compiler)
        diagnoses = self.diagnoses(doc, factors, options, grid_rows)
        considerations = self.considerations(doc, compiler)
        for f in considerations:
            findings[f.id] = f
        option_findings = {f.id: f for f in findings.values()}
        rules = self.rules(doc, compiler, option_findings)
        support = self.decision_support(doc.get("decision_support"), doc, factors, compiler, grid_rows)
        support = self.deliberation(doc.get("decision_support"), support, factors, options, diagnoses, compiler)
        for item in support.knowledge_check:
            for ident in item.findings:
                if ident not in findings:
                    self.problem(f"knowledge check {item.id!r}: unknown finding {ident!r}", "decision_support", doc)
        sources = self.sources(doc)
        self.problems.extend(compiler.problems)
        self.check_unused_sources(doc)
        self.check_options_used(options, diagnoses)

        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)
            n = len(self.problems)
            raise RulesError(
                self.problems, heading=f"{self.file}: {n} problem{'s' if n != 1 else ''} in the rules file"
            )

        effects: dict[str, list[tuple[Rule, Effect]]] = {}
        for rule in rules:
            for effect in rule.effects:
                effects.setdefault(effect.finding, []).append((rule, effect))
        ruleset = Ruleset(
            path=self.file,
            sha256=self.sha256,
            metadata=metadata,
            disclaimer=str(doc["disclaimer"]).strip(),
            max_combined_relative_risk=max_rr,
            sections=tuple(sections),
            factors=factors,
            red_flags=tuple(red_flags),
            diagnoses=diagnoses,
            options=options,
            considerations=tuple(considerations),
            rules=tuple(rules),
            sources=sources,
            index=index_of(sections, rules, considerations, red_flags, support, factors, diagnoses, options, findings),
            findings=findings,
            effects={k: tuple(v) for k, v in effects.items()},
            support=support,
            say_unchanged=say_unchanged,
            outcomes=outcomes,
        )
        from ..relevance import table_of  # it reads the built rules: what can matter, per condition

        titles = {o.id: o.title for o in outcomes.values()}
        return replace(ruleset, index=replace(ruleset.index, relevance=table_of(ruleset), outcome_titles=titles))
