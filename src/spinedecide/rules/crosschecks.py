"""The cross-checks that need the whole rules file: every option used, priorities apart, every source cited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..conditions import suggest
from ..errors import Problem
from .build_sources import _Sources
from .model import Diagnosis, Factor, Option, Priority


class _CrossChecks(_Sources):
    """Checks that need everything built first."""

    def check_options_used(self, options: Mapping[str, Option], diagnoses: Mapping[str, Diagnosis]) -> None:
        for option in options.values():
            if option.diagnosis not in diagnoses:
                self.problems.append(
                    Problem(
                        f"unknown diagnosis {option.diagnosis!r}{suggest(option.diagnosis, diagnoses)}",
                        field=f"options ({option.id}).diagnosis",
                        file=self.file,
                        line=option.line,
                    )
                )
            elif option.id not in diagnoses[option.diagnosis].options:
                self.problems.append(
                    Problem(
                        f"option {option.id!r} is not listed under its diagnosis {option.diagnosis!r}",
                        field=f"options ({option.id})",
                        file=self.file,
                        line=option.line,
                    )
                )

    def check_priorities_do_not_overlap(
        self, priorities: list[Priority], placed: list[tuple[Any, str]], factors: Mapping[str, Factor]
    ) -> None:
        """Several priorities may share a factor (e.g. one text per condition), but then each needs a
        ``when`` and no set of answers may show two of them: a report shows each question once.
        Checked by trying every combination of answers to the choice factors the conditions read."""
        by_factor: dict[str, list[int]] = {}
        for i, p in enumerate(priorities):
            by_factor.setdefault(p.factor, []).append(i)
        for factor_id, group in by_factor.items():
            if len(group) < 2:
                continue
            whens = {i: priorities[i].when for i in group}
            conditions = {i: when for i, when in whens.items() if when is not None}
            if len(conditions) < len(group):
                for i in group:
                    if whens[i] is None:
                        item, where = placed[i]
                        self.problem(
                            f"{factor_id!r} has several priorities, so each needs a 'when' that says when it is shown",
                            where,
                            item,
                            "factor",
                        )
                continue
            read = sorted(set().union(*(when.factors() for when in conditions.values())))
            bad = [f for f in read if f not in factors or factors[f].type != "choice"]
            if bad:
                item, where = placed[group[0]]
                self.problem(
                    f"the priorities for {factor_id!r} may only read choice factors in 'when' (so they can be checked "
                    f"not to overlap); {', '.join(bad)} is not one",
                    where,
                    item,
                    "when",
                )
                continue
            combos = 1
            for f in read:
                combos *= len(factors[f].choice_ids) + 1
            if combos > 100_000:
                item, where = placed[group[0]]
                self.problem(
                    f"the priorities for {factor_id!r} read too many factors to check that they do not overlap",
                    where,
                    item,
                    "when",
                )
                continue
            answers: list[dict[str, Any]] = [{}]
            for f in read:  # every answer, and no answer at all
                answers = [{**a, f: v} for a in answers for v in (*factors[f].choice_ids, None)]
            reported: set[tuple[int, int]] = set()
            for a in answers:
                shown = [i for i in group if conditions[i](a)]
                for j in shown[1:]:
                    if (shown[0], j) not in reported:
                        reported.add((shown[0], j))
                        item, where = placed[j]
                        detail = ", ".join(f"{k}={v}" for k, v in a.items() if v is not None)
                        self.problem(
                            f"this priority for {factor_id!r} overlaps {placed[shown[0]][1]} (both are shown when "
                            f"{detail or 'nothing is answered'}); their 'when' conditions must not overlap",
                            where,
                            item,
                            "when",
                        )

    def check_unused_sources(self, doc: Any) -> None:
        for _i, node, path in self.items(doc, "sources"):
            if (
                isinstance(node, Mapping)
                and node.get("id") in self.known_sources
                and node["id"] not in self.used_sources
            ):
                self.problem(
                    f"source {node['id']!r} is never cited; remove it or cite it", self.label(node, path), node, "id"
                )
