"""Building a derived factor's Derivation: its ``formula`` over its ``derived_from`` (see ``units``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..conditions import suggest
from ..units import FORMULAS, LEGACY, kind_and_size
from .build_about import _About
from .model import Derivation, Factor


class _Derived(_About):
    """How each derived factor is worked out, checked against the formulas the code knows."""

    def derivation(self, factor: Factor, node: Mapping[str, Any], factors: Mapping[str, Factor]) -> Derivation | None:
        """How a derived factor is worked out: its ``formula`` over its ``derived_from``, each
        input matched to what the formula needs by its unit's kind; a format 1 file without
        ``formula`` keeps the one derivation it always had (``units.LEGACY``)."""
        path = f"factors ({factor.id})"
        formula = node.get("formula")
        if formula is None:
            if factor.id not in LEGACY:
                self.problem(f"a derived factor needs a formula: {', '.join(FORMULAS)}", path, node, "derived_from")
                return None
            return Derivation(*LEGACY[factor.id])
        if formula not in FORMULAS:
            self.problem(
                f"unknown formula {formula!r}{suggest(formula, FORMULAS)}; known: {', '.join(FORMULAS)}",
                f"{path}.formula",
                node,
                "formula",
            )
            return None
        if not factor.derived_from:
            self.problem(
                f"formula {formula} needs derived_from: the answers it is worked out from", path, node, "formula"
            )
            return None
        return self._inputs(factor, node, factors, formula)

    def _inputs(
        self, factor: Factor, node: Mapping[str, Any], factors: Mapping[str, Factor], formula: str
    ) -> Derivation | None:
        """Each input the formula needs, found among derived_from by its unit's kind (exactly one each)."""
        inputs: list[str] = []
        sizes: list[float] = []
        for kind, _size in FORMULAS[formula].needs:
            fits = [
                (d, found[1])
                for d in factor.derived_from
                if d in factors
                and factors[d].type != "choice"
                and (found := kind_and_size(factors[d].unit)) is not None
                and found[0] == kind
            ]
            if len(fits) != 1:
                self.problem(
                    f"formula {formula} needs exactly one answer measured in a unit of {kind} in derived_from "
                    f"(a number factor with a unit such as cm or kg), found {len(fits)}",
                    f"factors ({factor.id}).derived_from",
                    node,
                    "derived_from",
                )
                return None
            inputs.append(fits[0][0])
            sizes.append(fits[0][1])
        if len(factor.derived_from) != len(inputs):
            self.problem(
                f"formula {formula} is worked out from {len(inputs)} answers; derived_from lists "
                f"{len(factor.derived_from)}",
                f"factors ({factor.id}).derived_from",
                node,
                "derived_from",
            )
            return None
        return Derivation(formula, tuple(inputs), tuple(sizes))
