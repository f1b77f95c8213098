"""Building the rules that tailor findings, and their effects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import line_of, one_line
from ..conditions import Compiler, suggest
from .build_diagnoses import _Diagnoses
from .checking import _is_number
from .model import Effect, Finding, Rule
from .shape import MAX_RATIO, SCHEMA


class _Rules(_Diagnoses):
    """The rules and each effect's figures."""

    def rules(self, doc: Any, compiler: Compiler, findings: Mapping[str, Finding]) -> list[Rule]:
        out = []
        for i, node, path in self.items(doc, "rules"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["rule"], doc.get("rules"), i) is None:
                continue
            self.claim_id(node["id"], "rule", path, node)
            self.cite(node, path)
            when = compiler.compile(node["when"], f"{path}.when", node, "when")
            certainty = self.certainty(node["certainty"], f"{path}.certainty", node) if "certainty" in node else None
            effects = []
            if not node["effects"]:
                self.problem(
                    "a rule needs at least one effect (the findings it tailors)", f"{path}.effects", node, "effects"
                )
            for j, eff in enumerate(node["effects"]):
                epath = f"{path}.effects[{j}]"
                if self.mapping(eff, epath, *SCHEMA["effect"], node["effects"], j) is None:
                    continue
                target = findings.get(eff["finding"])
                if target is None and eff["finding"] in self.broken:
                    continue
                if target is None:
                    self.problem(
                        f"unknown finding {eff['finding']!r}{suggest(eff['finding'], findings)}",
                        f"{epath}.finding",
                        eff,
                        "finding",
                    )
                    continue
                given = [k for k in ("relative_risk", "odds_ratio", "figure") if k in eff]
                if len(given) > 1:
                    self.problem(
                        f"give one of relative_risk, odds_ratio or figure, not {' and '.join(given)}", epath, eff
                    )
                figure, baseline = self._effect_span(eff, epath, "figure"), self._effect_span(eff, epath, "baseline")
                ratios = {}
                for key in ("relative_risk", "odds_ratio"):
                    value = eff.get(key)
                    if value is not None and self._type_ok(value, "number"):
                        if not 0 < value <= MAX_RATIO:
                            self.problem(f"{key} must be above 0 and at most {MAX_RATIO:,}", f"{epath}.{key}", eff, key)
                        ratios[key] = float(value)
                if (ratios or figure is not None) and target.estimate is None and target.id not in self.broken:
                    self.problem(f"finding {target.id!r} has no estimate to tailor", epath, eff, "finding")
                if figure is not None and target.estimate is not None and target.estimate.bound is not None:
                    self.problem(
                        f"finding {target.id!r} gives only a limit ({target.estimate.bound.replace('_', ' ')}), "
                        "so a subgroup figure cannot replace it; use a ratio",
                        f"{epath}.figure",
                        eff,
                        "figure",
                    )
                if baseline is not None and not ratios:
                    self.problem(
                        "a baseline goes with a relative_risk or odds_ratio (the ratio multiplies it)",
                        f"{epath}.baseline",
                        eff,
                        "baseline",
                    )
                if baseline is not None and target.estimate is not None and target.estimate.bound is not None:
                    self.problem(
                        f"finding {target.id!r} gives only a limit, so a baseline cannot replace it",
                        f"{epath}.baseline",
                        eff,
                        "baseline",
                    )
                if ("timeframe" in eff or "reference_class" in eff) and figure is None and baseline is None:
                    self.problem("timeframe and reference_class go with a figure or a baseline", epath, eff)
                effects.append(
                    Effect(
                        eff["finding"],
                        ratios.get("relative_risk"),
                        figure,
                        eff.get("timeframe"),
                        eff.get("reference_class"),
                        ratios.get("odds_ratio"),
                        baseline,
                        certainty if figure is not None else None,
                    )
                )
            out.append(
                Rule(
                    node["id"],
                    node["title"].strip(),
                    one_line(node["text"]),
                    when,
                    tuple(effects),
                    tuple(node["sources"]),
                    line_of(node) or 0,
                    certainty,
                )
            )
        return out

    def _effect_span(self, eff: Mapping[str, Any], epath: str, key: str) -> tuple[float, float] | None:
        """An effect's `figure` or `baseline`: {low, high}, within 0..100."""
        fig = self.mapping(eff[key], f"{epath}.{key}", *SCHEMA["span"], eff, key) if key in eff else None
        if fig is None:
            return None
        low, high = fig.get("low"), fig.get("high")
        if not (_is_number(low) and _is_number(high)):
            return None
        if not 0 <= low <= high <= 100:
            self.problem(f"a {key} must satisfy 0 <= low <= high <= 100", f"{epath}.{key}", eff, key)
        return (float(low), float(high))
