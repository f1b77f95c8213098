"""Building the parts of the rules file about the file itself: metadata, outcomes, sections."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._lines import line_of, one_line
from ..conditions import suggest
from .checking import _Checking
from .model import Certainty, Outcome, Section
from .shape import CERTAINTY_LEVELS, EVALUATIONS, METADATA_REQUIRED, SCHEMA


class _About(_Checking):
    """Metadata (with its evaluation record), the declared outcomes, certainty and the sections."""

    def metadata(self, node: Any, doc: Any) -> dict[str, Any]:
        checked = self.mapping(node, "metadata", *SCHEMA["metadata"], doc, "metadata")
        if checked is None:
            return {}
        out: dict[str, Any] = {}
        for k in METADATA_REQUIRED:
            value = checked.get(k)
            if isinstance(value, list):
                if not value or not all(isinstance(v, str) and v.strip() for v in value):
                    self.problem(f"'{k}' must be a non-empty list of names", f"metadata.{k}", checked, k)
                out[k] = [str(v) for v in value]
            elif value is not None:
                if not str(value).strip():
                    self.problem(f"'{k}' must not be empty", f"metadata.{k}", checked, k)
                out[k] = str(value).strip()
        for k in ("published", "reviewed", "next_review"):
            if k in out and not re.match(r"^\d{4}-\d{2}-\d{2}$", str(out[k])):
                self.problem(f"'{k}' must be a date written YYYY-MM-DD", f"metadata.{k}", checked, k)
        if isinstance(checked.get("certainty_grading"), str):
            out["certainty_grading"] = one_line(checked["certainty_grading"])
        if "evaluation" in checked:
            out["evaluation"] = self.evaluation(checked["evaluation"], checked)
        return out

    def evaluation(self, node: Any, parent: Any) -> dict[str, dict[str, str]]:
        """What only people can show (field tests, external review): each claim needs its record."""
        out: dict[str, dict[str, str]] = {}
        if not isinstance(node, Mapping):
            return out
        for k in EVALUATIONS:
            if k not in node:
                continue
            record = node[k]
            where = f"metadata.evaluation.{k}"
            if not isinstance(record, Mapping) or not all(
                isinstance(record.get(f), str) and record[f].strip() for f in ("who", "when", "how")
            ):
                self.problem(
                    f"a claimed {k.replace('_', ' ')} needs its record: who did it, when and how (who, when, how)",
                    where,
                    node,
                    k,
                )
                continue
            if not re.match(r"^\d{4}(-\d{2}){0,2}$", record["when"].strip()):
                self.problem("'when' must be a date written YYYY-MM-DD (or YYYY-MM)", f"{where}.when", record, "when")
            out[k] = {f: one_line(record[f]) for f in ("who", "when", "how")}
        return out

    def outcomes(self, doc: Any) -> dict[str, Outcome]:
        out: dict[str, Outcome] = {}
        for i, node, path in self.items(doc, "outcomes"):
            if self.mapping(node, path, *SCHEMA["outcome"], doc.get("outcomes"), i) is not None:
                self.claim_id(node["id"], "outcome", path, node)
                out[node["id"]] = Outcome(node["id"], one_line(node["title"]), line_of(node) or 0)
        return out

    def certainty(self, node: Any, path: str, parent: Any) -> Certainty | None:
        if self.mapping(node, path, *SCHEMA["certainty"], parent, "certainty") is None:
            return None
        if node["level"] not in CERTAINTY_LEVELS:
            self.problem(
                f"certainty level must be one of {', '.join(CERTAINTY_LEVELS)} "
                f"(GRADE){suggest(node['level'], CERTAINTY_LEVELS)}",
                f"{path}.level",
                node,
                "level",
            )
            return None
        return Certainty(node["level"], one_line(node["reason"]))

    def sections(self, doc: Any) -> list[Section]:
        out = []
        for _i, node, path in self.items(doc, "sections"):
            if self.mapping(node, path, *SCHEMA["section"], doc.get("sections"), _i) is not None:
                self.claim_id(node["id"], "section", path, node)
                out.append(Section(node["id"], node["title"]))
        return out
