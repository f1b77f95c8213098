"""The loader's state and its small checking helpers: every problem with file and line."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeGuard

from .._lines import LineDict, line_of
from ..conditions import suggest
from ..errors import Problem
from .model import Code
from .shape import _ID, CONDITION, SCHEMA


def _yaml_kind(value: Any) -> str:
    """What a YAML value is, in the words of the rules file's authors (not Python's type names)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "empty" if value is None else type(value).__name__


def _is_number(value: Any) -> TypeGuard[float]:
    """A figure: an int or a float, not a bool, and finite (YAML's .inf and .nan are not figures)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and _finite(value)


def _finite(value: float) -> bool:
    """A number a figure can be: not inf or nan, and not an integer too large for a float."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


class _Checking:
    """The builder's base: where problems are collected, and the checks every part of the file uses."""

    def __init__(self, file: str, sha256: str) -> None:
        self.file = file
        self.sha256 = sha256
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple[str, int | None]] = {}
        self.known_sources: set[str] = set()
        self.broken: set[str] = set()  # ids of findings with a problem already reported
        self.used_sources: set[str] = set()
        self.outcome_ids: set[str] | None = None  # the declared outcomes, once read

    # -- small checking helpers ------------------------------------------------------------

    def problem(self, message: str, path: str, container: Any = None, key: Any = None) -> None:
        self.problems.append(Problem(message, field=path, file=self.file, line=line_of(container, key)))

    def mapping(
        self,
        node: Any,
        path: str,
        required: dict[str, Any],
        optional: dict[str, Any],
        parent: Any = None,
        key: Any = None,
    ) -> LineDict | None:
        if not isinstance(node, Mapping):
            self.problem(f"expected a mapping with keys {', '.join(required)}", path, parent, key)
            return None
        before = len(self.problems)
        known = {**required, **optional}
        for k in node:
            if k not in known:
                self.problem(
                    f"unknown key {k!r}{suggest(k, known)}; allowed: {', '.join(known)}", f"{path}.{k}", node, k
                )
        for k in required:
            if k not in node:
                self.problem(f"missing required key {k!r}", path, node)
        for k, kind in known.items():
            if k in node and not self._type_ok(node[k], kind):
                self.problem(
                    f"{k!r} must be {self._type_name(kind)}, not {_yaml_kind(node[k])}", f"{path}.{k}", node, k
                )
        ok = len(self.problems) == before or all(
            k in node and self._type_ok(node[k], kind) for k, kind in required.items()
        )
        return node if ok and isinstance(node, LineDict) else None

    def code(self, node: Any, path: str, parent: Any) -> Code | None:
        """A factor's ``code:`` (system, code, display; the system a URI)."""
        if not isinstance(node, dict) or self.mapping(node, path, *SCHEMA["code"], parent, "code") is None:
            return None
        if ":" not in node["system"] or any(c.isspace() for c in node["system"]):
            self.problem(
                f"'system' must be a URI (e.g. http://loinc.org), not {node['system']!r}",
                f"{path}.system",
                node,
                "system",
            )
            return None
        return Code(node["system"].strip(), str(node["code"]).strip(), node["display"].strip())

    @staticmethod
    def _type_ok(value: Any, kind: Any) -> bool:
        if kind == "text":
            return isinstance(value, str) and bool(value.strip())
        if kind == "id":
            return isinstance(value, str) and bool(_ID.match(value))
        if kind == "number":
            return _is_number(value)
        if kind == "ids":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if kind == "any":
            return True
        if kind == CONDITION:
            return isinstance(value, dict)
        if isinstance(kind, tuple):
            return isinstance(value, list if kind[0] == "list" else dict)
        return isinstance(value, kind)

    @staticmethod
    def _type_name(kind: Any) -> str:
        names = {
            "text": "non-empty text",
            "id": "an id (lower case letters, digits and _)",
            "number": "a (finite) number",
            "ids": "a list of ids",
            list: "a list",
            dict: "a mapping",
            bool: "true or false",
            str: "text",
            int: "a whole number",
            CONDITION: "a condition (a mapping)",
        }
        if isinstance(kind, tuple):
            return "a list" if kind[0] == "list" else "a mapping"
        return names.get(kind, str(kind))

    def cite(self, node: Any, path: str) -> None:
        """Check a node's `sources` list against the file's sources, at the line of each entry."""
        sources = node.get("sources") if isinstance(node, Mapping) else None
        if not isinstance(sources, list):
            return
        if not sources:
            self.problem(
                "cites no source; every finding, rule and red flag needs at least one",
                f"{path}.sources",
                node,
                "sources",
            )
        for j, ident in enumerate(sources):
            self.used_sources.add(ident)
            if ident not in self.known_sources:
                self.problem(
                    f"unknown source {ident!r}{suggest(ident, self.known_sources)}", f"{path}.sources[{j}]", sources, j
                )

    def claim_id(self, ident: Any, what: str, path: str, node: Any) -> None:
        if not isinstance(ident, str):
            return
        key = f"{what}:{ident}"
        if key in self.ids:
            _other, line = self.ids[key]
            self.problem(f"duplicate {what} id {ident!r} (first used on line {line})", path, node, "id")
        else:
            self.ids[key] = (what, line_of(node, "id"))

    def items(self, document: Mapping[str, Any], key: str) -> list[tuple[int, Any, str]]:
        value = document.get(key, [])
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list", key, document, key)
            return []
        return [(i, item, f"{key}[{i}]") for i, item in enumerate(value)]

    @staticmethod
    def label(node: Any, path: str) -> str:
        return f"{path} ({node['id']})" if isinstance(node, Mapping) and isinstance(node.get("id"), str) else path

    # -- the file ----------------------------------------------------------------------------
