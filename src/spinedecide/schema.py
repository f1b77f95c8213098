"""JSON Schema (draft 2020-12) documents for the answers file, the JSON report and the rules file.

They are generated from the definitions the code validates with: the rules file's factors (for
answers), ``rules.SCHEMA`` (for the rules file) and the report's ``to_dict`` shape (for the
report), so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from . import __version__
from .report import SCHEMA_VERSION
from .rules import BOUNDS, CONDITION, EVIDENCE_KINDS, FACTOR_TYPES, OPTION_KINDS, PRIORITY_FITS, SCHEMA, Ruleset
from .urgency import LEVELS as URGENCY_LEVELS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://spinedecide.example/schema"


def answers_schema(ruleset: Ruleset) -> dict[str, Any]:
    """What an answers file may hold, for this rules file."""
    properties: dict[str, Any] = {}
    for factor in ruleset.factors.values():
        if factor.type == "choice":
            values: list[Any] = list(factor.choice_ids) + (["unknown"] if factor.unknown else [])
            # YAML reads unquoted yes/no (and true/false, on/off) as booleans; the loader maps them back.
            if {"yes", "true", "on"} & set(factor.choice_ids):
                values.append(True)
            if {"no", "false", "off"} & set(factor.choice_ids):
                values.append(False)
            prop: dict[str, Any] = {"enum": values}
        else:
            number: dict[str, Any] = {"type": "integer" if factor.type == "integer" else "number"}
            if factor.min is not None:
                number["minimum"] = factor.min
            if factor.max is not None:
                number["maximum"] = factor.max
            alternatives: list[Any] = [number, {"type": "string", "pattern": r"^\s*-?\d+([.,]\d+)?\s*$"}]
            if factor.unknown:
                alternatives.append({"const": "unknown"})
            prop = {"anyOf": alternatives}
        prop["description"] = factor.question
        properties[factor.id] = prop
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}/answers-{ruleset.version}.json",
        "title": f"spinedecide answers (rules {ruleset.version})",
        "description": (
            "Answers are a mapping of question id to value. Missing required answers are asked in the interview, "
            "or reported with --no-input."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _kind_schema(kind: Any) -> dict[str, Any]:
    if kind == "text":
        return {"type": "string", "minLength": 1}
    if kind == "id":
        return {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
    if kind == "number":
        return {"type": "number"}
    if kind == "ids":
        return {"type": "array", "items": {"type": "string"}}
    if kind == "any":
        return {}
    if kind == CONDITION:
        return {"$ref": "#/$defs/condition"}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is dict:
        return {"type": "object"}
    if kind is list:
        return {"type": "array"}
    if isinstance(kind, tuple):
        ref = {"$ref": f"#/$defs/{kind[1]}"}
        return {"type": "array", "items": ref} if kind[0] == "list" else ref
    raise ValueError(kind)  # pragma: no cover - every kind in SCHEMA is listed above


def rules_schema() -> dict[str, Any]:
    """The rules file's shape (checks that need the whole file, e.g. cross-references, are in the loader)."""
    defs: dict[str, Any] = {}
    for name, (required, optional) in SCHEMA.items():
        props = {key: _kind_schema(kind) for key, kind in {**required, **optional}.items()}
        defs[name] = {
            "type": "object",
            "properties": props,
            "required": list(required),
            "additionalProperties": name == "metadata",
        }
    defs["factor"]["properties"]["type"] = {"enum": list(FACTOR_TYPES)}
    defs["option"]["properties"]["kind"] = {"enum": list(OPTION_KINDS)}
    defs["priority"]["properties"]["fits"] = {"enum": list(PRIORITY_FITS)}
    defs["estimate"]["properties"]["evidence"] = {"enum": list(EVIDENCE_KINDS)}
    defs["estimate"]["properties"]["bound"] = {"enum": list(BOUNDS)}
    defs["option"]["properties"]["grid"] = {
        "type": "object",
        "additionalProperties": {"type": "string", "minLength": 1},
    }
    defs["span"]["properties"] = {
        "low": {"type": "number", "minimum": 0, "maximum": 100},
        "high": {"type": "number", "minimum": 0, "maximum": 100},
    }
    value = {"type": ["string", "number", "boolean"]}
    defs["condition"] = {
        "description": "A condition: several keys must all hold; keys are factor ids or all/any/not.",
        "type": "object",
        "minProperties": 1,
        "properties": {
            "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
            "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
            "not": {"$ref": "#/$defs/condition"},
        },
        "additionalProperties": {
            "anyOf": [
                value,
                {
                    "type": "object",
                    "minProperties": 1,
                    "properties": {
                        **{op: {"type": "number"} for op in ("<", "<=", ">", ">=")},
                        "==": value,
                        "!=": value,
                        "in": {"type": "array", "minItems": 1, "items": value},
                        "not_in": {"type": "array", "minItems": 1, "items": value},
                        "known": {"type": "boolean"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
    }
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}/rules.json",
        "title": "spinedecide rules file (data/factors.yaml)",
        "$ref": "#/$defs/rules_file",
        "$defs": defs,
    }


def report_schema() -> dict[str, Any]:
    """The JSON report contract (schema_version in the report)."""
    string = {"type": "string"}
    nstring = {"type": ["string", "null"]}
    number = {"type": "number", "minimum": 0, "maximum": 100}
    span = {
        "type": "object",
        "properties": {"low": number, "high": number},
        "required": ["low", "high"],
        "additionalProperties": False,
    }
    strings = {"type": "array", "items": string}

    def obj(props: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
        schema = {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}
        return {"anyOf": [schema, {"type": "null"}]} if nullable else schema

    estimate = obj(
        {
            "low": number,
            "high": number,
            "per": {"const": 100},
            "timeframe": string,
            "typical": {
                "type": "object",
                "properties": {"low": number, "high": number, "timeframe": string},
                "required": ["low", "high", "timeframe"],
                "additionalProperties": False,
            },
            "capped": {"type": "boolean"},
            "tailored": {"type": "boolean"},
            "approximate": {"type": "boolean"},
            "reference_class": string,
            "evidence": {"enum": list(EVIDENCE_KINDS)},
            "range": {"anyOf": [span, {"type": "null"}]},
            "bound": {"enum": [*BOUNDS, None]},
            "not_counted": strings,
        },
        nullable=True,
    )
    finding = obj(
        {
            "id": string,
            "kind": {"enum": ["benefit", "risk", "recovery", "consideration"]},
            "title": string,
            "text": string,
            "estimate": {"$ref": "#/$defs/estimate"},
            "no_figure": nstring,
            "notes": strings,
            "sources": strings,
            "rules": strings,
        }
    )
    findings = {"type": "array", "items": {"$ref": "#/$defs/finding"}}
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}/report-{SCHEMA_VERSION}.json",
        "title": f"spinedecide JSON report (schema_version {SCHEMA_VERSION}, spinedecide {__version__})",
        "type": "object",
        "$defs": {"estimate": estimate, "finding": finding},
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "spinedecide_version": string,
            "rules": {
                "type": "object",
                "required": ["version", "reviewed", "sha256"],
                "properties": {
                    "version": string,
                    "reviewed": string,
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
            "urgent": {"type": "boolean"},
            "urgency": {"enum": [*URGENCY_LEVELS, None]},
            "urgent_reasons": {
                "type": "array",
                "items": obj(
                    {
                        "id": string,
                        "level": {"enum": list(URGENCY_LEVELS)},
                        "title": string,
                        "text": string,
                        "action": string,
                        "sources": strings,
                    }
                ),
            },
            "elective": {"enum": ["shown", "skipped"]},
            "diagnosis": {"type": "object"},
            "answers": {"type": "object"},
            "derived": strings,
            "options": {
                "type": "array",
                "items": obj(
                    {
                        "id": string,
                        "kind": {"enum": list(OPTION_KINDS)},
                        "title": string,
                        "summary": string,
                        "grid": {"type": "object", "additionalProperties": string},
                        "living": {
                            "anyOf": [
                                {"type": "null"},
                                {"type": "object", "required": ["physical", "emotional", "social", "sources"]},
                            ]
                        },
                        "benefits": findings,
                        "risks": findings,
                        "recovery": findings,
                    }
                ),
            },
            "considerations": findings,
            "grid_rows": {"type": "array", "items": obj({"id": string, "question": string, "same_study": strings})},
            "priorities": {
                "type": "array",
                "items": obj(
                    {
                        "factor": string,
                        "question": string,
                        "answer": string,
                        "answer_label": string,
                        "matters": {"type": "boolean"},
                        "fits": {"enum": list(PRIORITY_FITS)},
                        "fits_options": strings,
                        "text": string,
                        "sources": strings,
                    }
                ),
            },
            "leaning": obj({"answer": string, "label": string}, nullable=True),
            "sure": obj(
                {
                    "answers": {"type": "object", "additionalProperties": {"enum": ["yes", "no"]}},
                    "score": {"type": "integer", "minimum": 0},
                    "out_of": {"type": "integer", "minimum": 1},
                    "complete": {"type": "boolean"},
                    "conflict": {"type": "boolean"},
                    "next_steps": strings,
                },
                nullable=True,
            ),
            "questions_to_ask": {"type": "array", "items": obj({"id": string, "text": string})},
            "knowledge_check": {
                "type": "array",
                "items": obj(
                    {
                        "id": string,
                        "statement": string,
                        "answer": {"type": "boolean"},
                        "explanation": string,
                        "sources": strings,
                    }
                ),
            },
            "fired_rules": strings,
            "explanations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "title", "condition", "answers", "findings", "changes"],
                },
            },
            "not_tailored": {"type": "array", "items": obj({"factor": string, "question": string, "rules": strings})},
            "no_figure_changed": {
                "type": "array",
                "items": obj({"factor": string, "question": string, "mentioned_in": strings}),
            },
            "sources": {
                "type": "array",
                "items": obj(
                    {
                        "id": string,
                        "citation": string,
                        "url": nstring,
                        "pmid": nstring,
                        "doi": nstring,
                        "secondary": {"anyOf": [{"type": "null"}, obj({"citation": string, "url": string})]},
                        "read": {"enum": [None, "abstract", "full_text", "summary"]},
                    }
                ),
            },
            "disclaimer": string,
            "urgent_reminder": obj(
                {"urgency": {"enum": list(URGENCY_LEVELS)}, "banner": string, "actions": strings}, nullable=True
            ),
        },
        "required": [
            "schema_version",
            "spinedecide_version",
            "rules",
            "urgent",
            "urgency",
            "urgent_reasons",
            "elective",
            "urgent_reminder",
            "diagnosis",
            "answers",
            "derived",
            "options",
            "considerations",
            "grid_rows",
            "priorities",
            "leaning",
            "sure",
            "questions_to_ask",
            "knowledge_check",
            "fired_rules",
            "explanations",
            "not_tailored",
            "no_figure_changed",
            "sources",
            "disclaimer",
        ],
        "additionalProperties": False,
    }
