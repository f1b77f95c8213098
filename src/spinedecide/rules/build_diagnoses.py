"""Building the diagnoses (the options each compares) and the considerations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import line_of, one_line
from ..conditions import Compiler, suggest
from .build_options import _Options
from .model import Diagnosis, Factor, Finding, GridRow, Option
from .shape import SCHEMA


class _Diagnoses(_Options):
    """The diagnoses and the considerations."""

    def diagnoses(
        self,
        doc: Any,
        factors: Mapping[str, Factor],
        options: Mapping[str, Option],
        grid_rows: tuple[GridRow, ...] = (),
    ) -> dict[str, Diagnosis]:
        out: dict[str, Diagnosis] = {}
        for i, node, path in self.items(doc, "diagnoses"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["diagnosis"], doc.get("diagnoses"), i) is None:
                continue
            self.claim_id(node["id"], "diagnosis", path, node)
            for j, opt in enumerate(node["options"]):
                if opt not in options:
                    self.problem(
                        f"unknown option {opt!r}{suggest(opt, options)}", f"{path}.options[{j}]", node["options"], j
                    )
                elif options[opt].diagnosis != node["id"]:
                    self.problem(
                        f"option {opt!r} belongs to diagnosis {options[opt].diagnosis!r}",
                        f"{path}.options[{j}]",
                        node["options"],
                        j,
                    )
            if "sources" in node:
                self.cite(node, path)
            compared: dict[str, tuple[str, ...]] = {}
            row_ids = [r.id for r in grid_rows]
            for row, ids in node["compared"].items() if isinstance(node.get("compared"), Mapping) else ():
                where = f"{path}.compared.{row}"
                if row not in row_ids:
                    self.problem(
                        f"unknown option grid row {row!r}{suggest(row, row_ids)}", where, node["compared"], row
                    )
                elif not self._type_ok(ids, "ids") or not ids:
                    self.problem("list the sources that every option quotes in this row", where, node["compared"], row)
                else:
                    self.cite({"sources": ids}, where)
                    compared[row] = tuple(ids)
            not_comparable: dict[str, str] = {}
            for outcome, reason in (
                node["not_comparable"].items() if isinstance(node.get("not_comparable"), Mapping) else ()
            ):
                where = f"{path}.not_comparable.{outcome}"
                if self.outcome_ids is not None and outcome not in self.outcome_ids:
                    self.problem(
                        f"unknown outcome {outcome!r}{suggest(outcome, self.outcome_ids)}",
                        where,
                        node["not_comparable"],
                        outcome,
                    )
                elif not self._type_ok(reason, "text"):
                    self.problem(
                        "say in plain words why the figures are not directly comparable",
                        where,
                        node["not_comparable"],
                        outcome,
                    )
                else:
                    not_comparable[outcome] = one_line(reason)
            for j, outcome in enumerate(node.get("key_outcomes") or ()):
                if self.outcome_ids is not None and outcome not in self.outcome_ids:
                    self.problem(
                        f"unknown outcome {outcome!r}{suggest(outcome, self.outcome_ids)}",
                        f"{path}.key_outcomes[{j}]",
                        node["key_outcomes"],
                        j,
                    )
            out[node["id"]] = Diagnosis(
                node["id"],
                node["title"].strip(),
                one_line(node["about"]),
                one_line(node["decision"]),
                tuple(node["options"]),
                line_of(node) or 0,
                tuple(node.get("sources", ())),
                compared,
                not_comparable,
                tuple(node.get("key_outcomes") or ()),
            )
        condition = factors.get("condition")
        if condition is not None:
            for choice in condition.choice_ids:
                if choice not in out:
                    self.problem(
                        f"the condition choice {choice!r} has no entry under 'diagnoses'", "diagnoses", doc, "diagnoses"
                    )
            for ident, diag in out.items():
                if ident not in condition.choice_ids:
                    self.problem(
                        f"diagnosis {ident!r} is not a choice of the 'condition' factor", f"diagnoses ({ident})", None
                    )
                    _ = diag
        return out

    def considerations(self, doc: Any, compiler: Compiler) -> list[Finding]:
        out = []
        for i, node, path in self.items(doc, "considerations"):
            found = self.finding(node, path, "consideration", doc.get("considerations"), i, None, compiler)
            if found:
                out.append(found)
        return out
