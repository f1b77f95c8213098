"""Building the options compared, each with its findings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import line_of, one_line
from ..conditions import Compiler
from .build_findings import _Findings
from .model import Finding, GridRow, Option
from .shape import OPTION_KINDS, SCHEMA


class _Options(_Findings):
    """The options, with their benefits, risks and recovery."""

    def options(
        self, doc: Any, grid_rows: tuple[GridRow, ...] = (), compiler: Compiler | None = None
    ) -> tuple[dict[str, Option], dict[str, Finding]]:
        options: dict[str, Option] = {}
        findings: dict[str, Finding] = {}
        for i, node, path in self.items(doc, "options"):
            path = self.label(node, path)
            if (
                self.mapping(
                    node,
                    path,
                    *SCHEMA["option"],
                    doc.get("options"),
                    i,
                )
                is None
            ):
                continue
            self.claim_id(node["id"], "option", path, node)
            if node["kind"] not in OPTION_KINDS:
                self.problem(f"kind must be one of {', '.join(OPTION_KINDS)}", f"{path}.kind", node, "kind")
            groups: dict[str, list[Finding]] = {}
            for key, kind in (("benefits", "benefit"), ("risks", "risk"), ("recovery", "recovery")):
                groups[key] = []
                if not node[key]:
                    self.problem(
                        f"every option needs at least one item under '{key}' (balance: "
                        "benefits, risks and recovery for each option)",
                        f"{path}.{key}",
                        node,
                        key,
                    )
                for j, item in enumerate(node[key]):
                    found = self.finding(item, f"{path}.{key}[{j}]", kind, node[key], j, node["id"], compiler)
                    if found:
                        groups[key].append(found)
                        findings[found.id] = found
            grid: dict[str, str] = {}
            if grid_rows or "grid" in node:
                cells = node.get("grid", {})
                row_ids = [r.id for r in grid_rows]
                if "grid" not in node:
                    self.problem(
                        f"every option needs a 'grid' answering the same questions ({', '.join(row_ids)})", path, node
                    )
                elif self.mapping(cells, f"{path}.grid", dict.fromkeys(row_ids, "text"), {}, node, "grid") is not None:
                    grid = {r: one_line(cells[r]) for r in row_ids}
            living: dict[str, str] = {}
            living_sources: tuple[str, ...] = ()
            if (
                isinstance(node.get("living"), Mapping)
                and self.mapping(node["living"], f"{path}.living", *SCHEMA["living"], node, "living") is not None
            ):
                living = {k: one_line(node["living"][k]) for k in ("physical", "emotional", "social")}
                if "sources" in node["living"]:
                    self.cite(node["living"], f"{path}.living")
                    living_sources = tuple(node["living"]["sources"])
            options[node["id"]] = Option(
                node["id"],
                node["diagnosis"],
                node["kind"],
                node["title"].strip(),
                one_line(node["summary"]),
                tuple(groups["benefits"]),
                tuple(groups["risks"]),
                tuple(groups["recovery"]),
                line_of(node) or 0,
                grid,
                living,
                living_sources,
            )
        return options, findings
