"""Building the factors (the questions), their ask_when conditions, and the red flags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from .._lines import line_of
from ..conditions import Compiler, suggest
from ..urgency import DEFAULT_LEVEL
from ..urgency import LEVELS as URGENCY_LEVELS
from .build_derived import _Derived
from .model import Choice, Factor, RedFlag
from .shape import FACTOR_TYPES, SCHEMA


class _FactorTypes(_Derived):
    """The checks of a text or date question."""

    def _text_or_date(self, node: Any, path: str, ftype: str) -> None:
        """A text needs its longest length; a date has no range; only a choice or a text may be a list."""
        for k in ("min", "max", "unit"):
            if k in node:
                self.problem(f"'{k}' is only for numbers, not for a {ftype} factor", f"{path}.{k}", node, k)
        length = node.get("max_length")
        if ftype == "text" and (not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= 2000):
            self.problem("a text factor needs 'max_length', from 1 to 2000 characters", path, node, "max_length")

    def _max_items(self, node: Any, path: str, ftype: str) -> None:
        items = node.get("max_items", 1)
        if ftype not in ("choice", "text") and "max_items" in node:
            self.problem("'max_items' is only for a choice or text factor", f"{path}.max_items", node, "max_items")
        elif not isinstance(items, int) or isinstance(items, bool) or not 1 <= items <= 20:
            self.problem("'max_items' must be a whole number from 1 to 20", f"{path}.max_items", node, "max_items")

    def compile_ask_when(self, doc: Any, factors: dict[str, Factor], compiler: Compiler) -> dict[str, Factor]:
        for _i, node, path in self.items(doc, "factors"):
            if isinstance(node, Mapping) and "ask_when" in node and node.get("id") in factors:
                cond = compiler.compile(node["ask_when"], f"{self.label(node, path)}.ask_when", node, "ask_when")
                factor = factors[node["id"]]
                factors[factor.id] = replace(factor, ask_when=cond)
        return factors

    def source_ids(self, doc: Any) -> set[str]:
        return {
            n["id"]
            for _i, n, _p in self.items(doc, "sources")
            if isinstance(n, Mapping) and isinstance(n.get("id"), str)
        }


class _Factors(_FactorTypes):
    """The factors, when each is asked, the source ids and the red flags."""

    def factors(self, doc: Any, section_ids: set[str]) -> dict[str, Factor]:
        out: dict[str, Factor] = {}
        for i, node, path in self.items(doc, "factors"):
            path = self.label(node, path)
            checked = self.mapping(
                node,
                path,
                *SCHEMA["factor"],
                doc.get("factors"),
                i,
            )
            if checked is None or not isinstance(node.get("id"), str):
                continue
            self.claim_id(node["id"], "factor", path, node)
            if node["id"] in ("all", "any", "not", "unknown"):
                self.problem(f"{node['id']!r} is a reserved word and cannot be a factor id", path, node, "id")
            if section_ids and node.get("section") not in section_ids:
                self.problem(
                    f"unknown section {node.get('section')!r}{suggest(node.get('section'), section_ids)}",
                    f"{path}.section",
                    node,
                    "section",
                )
            ftype = node.get("type")
            if ftype not in FACTOR_TYPES:
                self.problem(
                    f"type must be one of {', '.join(FACTOR_TYPES)}, not {ftype!r}", f"{path}.type", node, "type"
                )
                continue
            self._max_items(node, path, ftype)
            choices: list[Choice] = []
            if ftype == "choice":
                raw = node.get("choices")
                if not isinstance(raw, list) or len(raw) < 2:
                    self.problem(
                        "a choice factor needs a list of at least two choices", f"{path}.choices", node, "choices"
                    )
                else:
                    seen: set[str] = set()
                    for j, choice in enumerate(raw):
                        cpath = f"{path}.choices[{j}]"
                        if self.mapping(choice, cpath, *SCHEMA["choice"], raw, j) is None:
                            continue
                        if choice["id"] in seen or choice["id"] == "unknown":
                            self.problem(f"choice id {choice['id']!r} is repeated or reserved", cpath, choice, "id")
                        seen.add(choice["id"])
                        choices.append(Choice(choice["id"], choice["label"]))
                for k in ("min", "max"):
                    if k in node:
                        self.problem(f"'{k}' is only for numbers, not for a choice factor", f"{path}.{k}", node, k)
            else:
                if "choices" in node:
                    self.problem("'choices' is only for a choice factor", f"{path}.choices", node, "choices")
                if ftype in ("date", "text"):
                    self._text_or_date(node, path, ftype)
                elif not all(self._type_ok(node.get(k), "number") for k in ("min", "max")):
                    self.problem("a number factor needs 'min' and 'max'", path, node)
                elif node["min"] > node["max"]:
                    self.problem("'min' is larger than 'max'", path, node, "min")
            out[node["id"]] = Factor(
                id=node["id"],
                section=node.get("section", ""),
                type=ftype,
                question=str(node.get("question", "")).strip(),
                help=str(node.get("help", "")).strip(),
                choices=tuple(choices),
                min=node.get("min")
                if self._type_ok(node.get("min"), "number")
                else None,  # a bad one is reported above
                max=node.get("max") if self._type_ok(node.get("max"), "number") else None,
                unit=node.get("unit"),
                unknown=node.get("unknown", True),
                required=node.get("required", True),
                record_unanswered=node.get("record_unanswered", True),
                ask=node.get("ask", True),
                red_flag=node.get("red_flag", False),
                derived_from=tuple(node.get("derived_from", ())),
                line=line_of(node) or 0,
                code=self.code(node.get("code"), f"{path}.code", node),
                max_items=node.get("max_items", 1) if isinstance(node.get("max_items", 1), int) else 1,
                max_length=node.get("max_length") if isinstance(node.get("max_length"), int) else None,
                fill_unknown=node.get("fill_unknown"),
            )
        nodes = {n["id"]: n for _i, n, _p in self.items(doc, "factors") if isinstance(n, Mapping) and "id" in n}
        for factor in list(out.values()):
            for dep in factor.derived_from:
                if dep not in out:
                    self.problem(
                        f"derived_from names an unknown factor {dep!r}{suggest(dep, out)}",
                        f"factors ({factor.id}).derived_from",
                        None,
                    )
            if factor.derived_from or "formula" in nodes[factor.id]:
                out[factor.id] = replace(factor, derivation=self.derivation(factor, nodes[factor.id], out))
        if "condition" not in out:
            self.problem(
                "the factors must include 'condition' (it picks the diagnosis and its options)",
                "factors",
                doc,
                "factors",
            )
        return out

    def red_flags(self, doc: Any, compiler: Compiler) -> list[RedFlag]:
        out = []
        for i, node, path in self.items(doc, "red_flags"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["red_flag"], doc.get("red_flags"), i) is None:
                continue
            self.claim_id(node["id"], "red flag", path, node)
            self.cite(node, path)
            level = node.get("level", DEFAULT_LEVEL)
            if level not in URGENCY_LEVELS:
                self.problem(
                    f"level must be one of {', '.join(URGENCY_LEVELS)}{suggest(level, URGENCY_LEVELS)}, not {level!r}",
                    f"{path}.level",
                    node,
                    "level",
                )
            out.append(
                RedFlag(
                    node["id"],
                    node["title"].strip(),
                    node["text"].strip(),
                    node["action"].strip(),
                    compiler.compile(node["when"], f"{path}.when", node, "when"),
                    tuple(node["sources"]),
                    line_of(node) or 0,
                    level,
                )
            )
        return out
