"""Building the sources and the option grid's rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import one_line
from .build_rules import _Rules
from .model import READ_KINDS, GridRow, SecondarySource, Source
from .shape import SCHEMA


class _Sources(_Rules):
    """The sources and the option grid's rows."""

    def sources(self, doc: Any) -> dict[str, Source]:
        out: dict[str, Source] = {}
        for i, node, path in self.items(doc, "sources"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["source"], doc.get("sources"), i) is None:
                continue
            self.claim_id(node["id"], "source", path, node)
            if not any(node.get(k) for k in ("url", "pmid", "doi")):
                self.problem("a source needs a url, pmid or doi so a reader can find it", path, node)
            secondary = None
            if (
                "secondary" in node
                and self.mapping(node["secondary"], f"{path}.secondary", *SCHEMA["secondary_source"], node, "secondary")
                is not None
            ):
                url = node["secondary"]["url"].strip()
                if not url.startswith(("https://", "http://")):
                    self.problem(
                        "a secondary source's url must be a web address (https://...)",
                        f"{path}.secondary.url",
                        node["secondary"],
                        "url",
                    )
                secondary = SecondarySource(one_line(node["secondary"]["citation"]), url)
            read = node.get("read")
            if read is not None and read not in READ_KINDS:
                self.problem(
                    f"read must be one of {', '.join(READ_KINDS)} (how the figures were read)",
                    f"{path}.read",
                    node,
                    "read",
                )
            elif read == "summary" and secondary is None and "summar" not in node["citation"].lower():
                self.problem(
                    "read: summary needs the summary named, under secondary or in the citation",
                    f"{path}.read",
                    node,
                    "read",
                )
            out[node["id"]] = Source(
                node["id"],
                one_line(node["citation"]),
                node.get("url"),
                node.get("pmid"),
                node.get("doi"),
                secondary,
                read,
            )
        return out

    def grid_rows(self, node: Any) -> tuple[GridRow, ...]:
        if not isinstance(node, Mapping) or not isinstance(node.get("grid"), list):
            return ()
        rows = []
        for i, row in enumerate(node["grid"]):
            path = f"decision_support.grid[{i}]"
            if self.mapping(row, path, *SCHEMA["grid_row"], node["grid"], i) is not None:
                self.claim_id(row["id"], "grid row", path, row)
                rows.append(GridRow(row["id"], row["question"].strip()))
        return tuple(rows)
