"""JSON Schema (draft 2020-12) documents for the answers file, the JSON report, batch error lines
and the rules file.

They are generated from the definitions the code validates with: the rules file's factors (for
answers), ``rules.SCHEMA`` (for the rules file) and the report's ``to_dict`` shape (for the
report), so they cannot drift apart. Copies ship in the package (``spinedecide/schemas/``, and
the rules schema beside the shipped rules file); a test checks that they equal these.

Identifiers: every ``$id`` is a URN (``urn:spinedecide:schema:...``): a name, never fetched.
Use the shipped copies, or ``spinedecide schema --write-dir DIR``.

Compatibility: the answers schema accepts the canonical forms only (choice ids exactly, numbers
as numbers); the program also takes lenient forms (README, "Answers files"). The report schema a
consumer pins accepts every later minor version of the same major version: a minor version only
adds keys, so the published schema allows keys it does not list (``strict=True`` gives the exact
shape of this version, which the tests use).
"""

from __future__ import annotations

from typing import Any

from .report import SCHEMA_VERSION
from .rules import (
    BOUNDS,
    CERTAINTY_LEVELS,
    CONDITION,
    DENOMINATORS,
    EVIDENCE_KINDS,
    FACTOR_TYPES,
    OPTION_KINDS,
    PRIORITY_FITS,
    SCHEMA,
    Ruleset,
)
from .urgency import LEVELS as URGENCY_LEVELS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "urn:spinedecide:schema"
#: The files ``spinedecide schema --write-dir`` writes, and the package ships in ``schemas/``.
FILES = {
    "answers": "answers.schema.json",
    "report": "report.schema.json",
    "batch-error": "batch-error.schema.json",
    "batch-status": "batch-status.schema.json",
    "rules": "rules.schema.json",
}


def answers_schema(ruleset: Ruleset) -> dict[str, Any]:
    """What an answers file may hold, for this rules file."""
    properties: dict[str, Any] = {}
    for factor in ruleset.factors.values():
        if factor.max_items > 1 or factor.type in ("date", "text"):
            prop = _free_answer_schema(factor)
        elif factor.type == "choice":
            values: list[Any] = list(factor.choice_ids) + (["unknown"] if factor.unknown else [])
            prop = {"enum": values}  # canonical: the ids exactly (no case, no YAML booleans)
        else:
            number: dict[str, Any] = {"type": "integer" if factor.type == "integer" else "number"}
            if factor.min is not None:
                number["minimum"] = factor.min
            if factor.max is not None:
                number["maximum"] = factor.max
            prop = {"anyOf": [number, {"const": "unknown"}]} if factor.unknown else number  # canonical: numbers only
        prop["description"] = factor.question
        properties[factor.id] = prop
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}:answers:{ruleset.version}",
        "title": f"spinedecide answers (rules {ruleset.version})",
        "description": (
            "Answers are a mapping of question id to value, in canonical form (choice ids, numbers). "
            "Missing required answers are asked in the interview, or reported with --no-input."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _free_answer_schema(factor: Any) -> dict[str, Any]:
    """Several choices, a date (ISO, not in the past: checked by the program) or free text."""
    if factor.type == "date":
        day = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # the calendar (Feb 30) is the program's
        one: dict[str, Any] = {"type": "string", "format": "date", "pattern": day}
    elif factor.type == "text":
        one = {
            "type": "string",
            "minLength": 1,
            "maxLength": factor.max_length,
            "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
        }
    else:
        one = {"enum": list(factor.choice_ids)}
    if factor.max_items > 1:
        one = {"type": "array", "items": one, "minItems": 1, "maxItems": factor.max_items}
        if factor.type == "choice":
            one["uniqueItems"] = True
    return {"anyOf": [one, {"const": "unknown"}]} if factor.unknown else one


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
    defs["estimate"]["properties"]["per"] = {"enum": list(DENOMINATORS)}
    defs["certainty"]["properties"]["level"] = {"enum": list(CERTAINTY_LEVELS)}
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
        "$id": f"{BASE}:rules",
        "title": "spinedecide rules file (data/factors.yaml)",
        "$ref": "#/$defs/rules_file",
        "$defs": defs,
    }


class _Kit:
    """The pieces every part of the report schema is made of; ``closed`` refuses keys it does not list."""

    def __init__(self, closed: bool) -> None:
        self.closed = closed
        self.string = {"type": "string"}
        self.nstring = {"type": ["string", "null"]}
        self.number = {"type": "number", "minimum": 0, "maximum": 100}
        self.span = {
            "type": "object",
            "properties": {"low": self.number, "high": self.number},
            "required": ["low", "high"],
            "additionalProperties": not closed,
        }
        self.strings = {"type": "array", "items": self.string}

    def obj(self, props: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
        schema = {
            "type": "object",
            "properties": props,
            "required": list(props),
            "additionalProperties": not self.closed,
        }
        return {"anyOf": [schema, {"type": "null"}]} if nullable else schema


def report_schema(*, strict: bool = False) -> dict[str, Any]:
    """The JSON report contract (schema_version in the report).

    The published form (``strict=False``) accepts every minor version of this major version:
    ``schema_version`` ``MAJOR.N`` and keys it does not list. ``strict`` is this version exactly.
    """
    closed = strict
    major = SCHEMA_VERSION.split(".")[0]
    kit = _Kit(closed)
    estimate, finding = _finding_defs(kit)
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}:report:{SCHEMA_VERSION if strict else major}",
        "title": f"spinedecide JSON report (schema_version {SCHEMA_VERSION if strict else major + '.x'})",
        "type": "object",
        "$defs": {"estimate": estimate, "finding": finding},
        "properties": {
            **_head_properties(kit, strict, major),
            **_elective_properties(kit),
            "deliberation": _deliberation_schema(kit),
            **_tail_properties(kit),
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
            "key_outcomes",
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
            "deliberation",
            "fired_rules",
            "explanations",
            "not_tailored",
            "no_figure_changed",
            "sources",
            "disclaimer",
        ],
        "additionalProperties": not closed,
    }


def _finding_defs(kit: _Kit) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report's ``$defs``: an estimate and a finding."""
    number, span = kit.number, kit.span
    string, nstring, strings, obj = kit.string, kit.nstring, kit.strings, kit.obj
    certainty = obj({"level": {"enum": list(CERTAINTY_LEVELS)}, "reason": string}, nullable=True)
    estimate = obj(
        {
            "low": number,
            "high": number,
            "per": {"const": 100},
            "timeframe": string,
            "typical": obj({"low": number, "high": number, "timeframe": string, "certainty": certainty}),
            "capped": {"type": "boolean"},
            "tailored": {"type": "boolean"},
            "approximate": {"type": "boolean"},
            "reference_class": string,
            "evidence": {"enum": list(EVIDENCE_KINDS)},
            "range": {"anyOf": [span, {"type": "null"}]},
            "bound": {"enum": [*BOUNDS, None]},
            "not_counted": strings,
            "outcome": nstring,
            "certainty": certainty,
            "shown_per": {"enum": list(DENOMINATORS)},
            "pictured": {"type": "boolean"},
            "includes": strings,
        },
        nullable=True,
    )
    pair = obj({"option": string, "finding": string, "same_study": {"type": "boolean"}, "reason": nstring})
    unchanged = obj(
        {
            "rule": string,
            "why": {"enum": ["unknown", "not_answered", "capped", "no_subgroup_figure", "no_change"]},
            "factors": strings,
        }
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
            "compared_with": {"type": "array", "items": pair},
            "unchanged_by": {"type": "array", "items": unchanged},
        }
    )
    return estimate, finding


def _head_properties(kit: _Kit, strict: bool, major: str) -> dict[str, Any]:
    """From ``schema_version`` to ``derived``: versions, the urgent part, the answers."""
    string, strings, obj = kit.string, kit.strings, kit.obj
    return {
        "schema_version": {"const": SCHEMA_VERSION} if strict else {"type": "string", "pattern": f"^{major}\\.[0-9]+$"},
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
    }


def _elective_properties(kit: _Kit) -> dict[str, Any]:
    """From ``options`` to ``knowledge_check``: the options and the decision support."""
    string, strings, obj = kit.string, kit.strings, kit.obj
    findings = {"type": "array", "items": {"$ref": "#/$defs/finding"}}
    return {
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
        "key_outcomes": strings,
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
    }


def _deliberation_schema(kit: _Kit) -> dict[str, Any]:
    """``deliberation`` (1.3): the weighing of reasons, the scored quiz, support and the plan."""
    string, nstring, strings, obj = kit.string, kit.nstring, kit.strings, kit.obj
    count = {"type": "integer", "minimum": 0}
    card = obj({"finding": string, "option": string, "outcome": nstring}, nullable=True)
    reason = {
        "id": string,
        "kind": {"enum": list(OPTION_KINDS)},
        "text": string,
        "stars": {"type": ["integer", "null"], "minimum": 0, "maximum": 5},
        "rated_by": nstring,
        "card": card,
        "sources": strings,
    }
    side = {"kind": {"enum": list(OPTION_KINDS)}, "options": strings, "stars": count, "rated": count, "reasons": count}
    weighing = {
        "reasons": {"type": "array", "items": obj(reason)},
        "sides": {"type": "array", "items": obj(side)},
        "result": {"enum": ["leans", "no_clear_gap", "not_all_rated"]},
        "leans_to": {"anyOf": [{"enum": list(OPTION_KINDS)}, {"type": "null"}]},
        "rule": obj({"stars": count, "share": {"type": "number", "minimum": 0, "maximum": 1}}),
        "not_counted": strings,
    }
    given = {"anyOf": [{"enum": ["true", "false", "unsure"]}, {"type": "null"}]}
    quiz_item = {"id": string, "given": given, "right": {"type": "boolean"}, "card": card}
    quiz = {"right": count, "answered": count, "out_of": count, "items": {"type": "array", "items": obj(quiz_item)}}
    plan = {
        "steps": strings,
        "try_what": nstring,
        "try_weeks": {"type": ["integer", "null"], "minimum": 1},
        "decide_by": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
        "questions": strings,
    }
    support = {"involved": strings, "prefers": nstring, "pressure": nstring}
    return obj(
        {
            "weighing": obj(weighing, nullable=True),
            "quiz": obj(quiz, nullable=True),
            "support": obj(support, nullable=True),
            "plan": obj(plan, nullable=True),
        }
    )


def _tail_properties(kit: _Kit) -> dict[str, Any]:
    """From ``fired_rules`` to ``urgent_reminder``: why, what was not tailored, sources."""
    string, nstring, strings, obj = kit.string, kit.nstring, kit.strings, kit.obj
    return {
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
            {"urgency": {"enum": list(URGENCY_LEVELS)}, "banner": string, "actions": strings, "also_tell": strings},
            nullable=True,
        ),
    }


def batch_error_schema() -> dict[str, Any]:
    """An error line of ``spinedecide batch`` (written in place of a report)."""
    nullable = {"type": ["string", "null"]}
    line = {"type": ["integer", "null"], "minimum": 1}
    problem = {
        "type": "object",
        "properties": {"field": nullable, "file": nullable, "line": line, "message": {"type": "string"}},
        "required": ["field", "file", "line", "message"],
    }
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}:batch-error:1",
        "title": "spinedecide batch: an error line, in place of the report for that input line",
        "description": (
            "Tell it from a report by the key 'error' (a report has 'schema_version'). 'output_error' comes only "
            "with --out-dir: the line's file could not be written."
        ),
        "type": "object",
        "properties": {
            "line": {"type": "integer", "minimum": 1},
            "error": {"enum": ["answers_error", "internal_error", "output_error"]},
            "message": {"type": "string"},
            "problems": {"type": "array", "items": problem},
        },
        "required": ["line", "error", "message", "problems"],
    }


def batch_status_schema() -> dict[str, Any]:
    """A line of ``spinedecide batch --out-dir DIR`` on standard output: a file written, or the
    error line (:func:`batch_error_schema`) in its place."""
    error = {k: v for k, v in batch_error_schema().items() if not k.startswith("$")}
    written = {
        "title": "a file written",
        "type": "object",
        "properties": {
            "line": {"type": "integer", "minimum": 1},
            "file": {"type": "string", "description": "The file's path: the --out-dir folder, then its name."},
            "urgent": {"type": "boolean", "description": "Whether the report holds a red flag's urgent advice."},
        },
        "required": ["line", "file", "urgent"],
    }
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}:batch-status:1",
        "title": "spinedecide batch --out-dir: the status line for one input line",
        "description": "A file written (the key 'file') or an error line (the key 'error'), one per input line.",
        "oneOf": [written, error],
    }


def documents(ruleset: Ruleset) -> dict[str, dict[str, Any]]:
    """Every schema, by file name (:data:`FILES`); the answers schema is for ``ruleset``."""
    made = {
        "answers": answers_schema(ruleset),
        "report": report_schema(),
        "batch-error": batch_error_schema(),
        "batch-status": batch_status_schema(),
        "rules": rules_schema(),
    }
    return {FILES[name]: document for name, document in made.items()}


def dumps(document: dict[str, Any]) -> str:
    """The one text form of a schema (what is shipped and written)."""
    import json

    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
