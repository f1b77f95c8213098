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


class _Factors(_Derived):
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
                if not all(self._type_ok(node.get(k), "number") for k in ("min", "max")):
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
                ask=node.get("ask", True),
                red_flag=node.get("red_flag", False),
                derived_from=tuple(node.get("derived_from", ())),
                line=line_of(node) or 0,
                code=self.code(node.get("code"), f"{path}.code", node),
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
