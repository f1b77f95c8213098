"""Building one finding and its estimate (the typical figure and what it is about)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import line_of, one_line
from ..conditions import Compiler, suggest
from .build_factors import _Factors
from .checking import _is_number
from .model import Estimate, Finding, Otherwise
from .shape import BOUNDS, DENOMINATORS, EVIDENCE_KINDS, SCHEMA


class _Findings(_Factors):
    """One finding (a benefit, risk, recovery or consideration) and its estimate."""

    def finding(
        self,
        node: Any,
        path: str,
        kind: str,
        parent: Any,
        index: int,
        option: str | None,
        compiler: Compiler | None = None,
    ) -> Finding | None:
        path = self.label(node, path)
        if (
            self.mapping(node, path, *SCHEMA["consideration" if kind == "consideration" else "finding"], parent, index)
            is None
        ):
            if isinstance(node, Mapping) and isinstance(node.get("id"), str):
                self.broken.add(node["id"])  # already reported: don't also call it unknown where it is used
            return None
        self.claim_id(node["id"], "finding", path, node)
        self.cite(node, path)
        estimate = self.estimate(node.get("estimate"), f"{path}.estimate", node) if "estimate" in node else None
        if "estimate" in node and estimate is None:
            self.broken.add(node["id"])
        when = compiler.compile(node["when"], f"{path}.when", node, "when") if compiler and "when" in node else None
        if "estimate" in node and "no_figure" in node:
            self.problem(
                "give either an estimate or no_figure (why there is no figure), not both", path, node, "no_figure"
            )
        otherwise = _otherwise(self, node, path)
        return Finding(
            id=node["id"],
            kind=kind,
            title=node["title"].strip(),
            text=one_line(node["text"]),
            sources=tuple(node["sources"]),
            estimate=estimate,
            option=option,
            when=when,
            line=line_of(node) or 0,
            no_figure=one_line(node["no_figure"]) if isinstance(node.get("no_figure"), str) else None,
            otherwise=otherwise,
        )

    def estimate(self, node: Any, path: str, parent: Any) -> Estimate | None:
        checked = self.mapping(node, path, *SCHEMA["estimate"], parent, "estimate")
        if checked is None:
            return None
        typical = checked.get("typical")
        if not isinstance(typical, Mapping):
            return None
        if self.mapping(typical, f"{path}.typical", *SCHEMA["span"], checked, "typical") is None:
            return None
        low, high = typical.get("low"), typical.get("high")
        if not (_is_number(low) and _is_number(high)):
            return None
        if not 0 <= low <= high <= 100:
            self.problem(
                f"a figure must satisfy 0 <= low <= high <= 100 (people in 100), got low {low}, high {high}",
                f"{path}.typical",
                checked,
                "typical",
            )
        if checked.get("evidence") not in EVIDENCE_KINDS:
            self.problem(
                "evidence must be one of "
                f"{', '.join(EVIDENCE_KINDS)}{suggest(checked.get('evidence'), EVIDENCE_KINDS)}",
                f"{path}.evidence",
                checked,
                "evidence",
            )
        span = None
        if (
            isinstance(checked.get("range"), Mapping)
            and self.mapping(checked["range"], f"{path}.range", *SCHEMA["span"], checked, "range") is not None
        ):
            rlow, rhigh = checked["range"]["low"], checked["range"]["high"]
            if not 0 <= rlow <= low <= high <= rhigh <= 100:
                self.problem(
                    "the range must hold the figure: 0 <= range low <= low <= high <= range high <= 100, "
                    f"got {rlow} to {rhigh}",
                    f"{path}.range",
                    checked,
                    "range",
                )
            span = (float(rlow), float(rhigh))
        bound = checked.get("bound")
        if bound is not None:
            if bound not in BOUNDS:
                self.problem(
                    f"bound must be one of {', '.join(BOUNDS)}{suggest(bound, BOUNDS)}",
                    f"{path}.bound",
                    checked,
                    "bound",
                )
                bound = None
            elif low != high:
                self.problem(
                    f"a figure with bound {bound} is one number: give low and high the same value",
                    f"{path}.typical",
                    checked,
                    "typical",
                )
        outcome = checked.get("outcome")
        if outcome is not None and self.outcome_ids is not None and outcome not in self.outcome_ids:
            self.problem(
                f"unknown outcome {outcome!r}{suggest(outcome, self.outcome_ids)}; declare it under 'outcomes'",
                f"{path}.outcome",
                checked,
                "outcome",
            )
        per = checked.get("per", 100)
        if per not in DENOMINATORS:
            self.problem(
                f"per must be one of {', '.join(map(str, DENOMINATORS))} (the denominator the person sees)",
                f"{path}.per",
                checked,
                "per",
            )
            per = 100
        certainty = (
            self.certainty(checked["certainty"], f"{path}.certainty", checked) if "certainty" in checked else None
        )
        includes = tuple(checked.get("includes", ()))
        return Estimate(
            float(low),
            float(high),
            str(checked["timeframe"]).strip(),
            one_line(str(checked["reference_class"])),
            str(checked["evidence"]),
            span,
            bound,
            outcome if isinstance(outcome, str) else None,
            certainty,
            int(per),
            includes,
        )


def _otherwise(loader: _Factors, node: Mapping[str, Any], path: str) -> Otherwise | None:
    """The words for people outside an option's finding's ``when`` (who see no figure)."""
    if "otherwise" not in node:
        return None
    if "when" not in node:
        loader.problem("'otherwise' is for people outside 'when': give the finding a 'when'", path, node, "otherwise")
    if "estimate" not in node:
        loader.problem(
            "'otherwise' says the finding without its figure: it needs an estimate to leave out",
            path,
            node,
            "otherwise",
        )
    words = node["otherwise"]
    if loader.mapping(words, f"{path}.otherwise", *SCHEMA["otherwise"], node, "otherwise") is None:
        return None
    return Otherwise(one_line(words["text"]), one_line(words["no_figure"]))
