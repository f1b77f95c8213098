"""JSON Schema (draft 2020-12) documents for the answers file, the JSON report, batch error lines
and the rules file.

They are generated from the definitions the code validates with or encodes: the rules file's
factors (for answers), ``rules.SCHEMA`` (for the rules file) and the report's structs
(``spinedecide.report``, which are also what is encoded: ``msgspec.json.schema`` over them, with
today's ``$id``, titles and compatibility rule), so they cannot drift apart. Copies ship in the
package (``spinedecide/schemas/``, and the rules schema beside the shipped rules file); a test
checks that they equal these.

Identifiers: every ``$id`` is a URN (``urn:spinedecide:schema:...``): a name, never fetched.
Use the shipped copies, or ``spinedecide schema --write-dir DIR``.

Compatibility: the answers schema accepts the canonical forms only (choice ids exactly, numbers
as numbers); the program also takes lenient forms (README, "Answers files"). The report schema a
consumer pins accepts every later minor version of the same major version: a minor version only
adds keys, so the published schema allows keys it does not list (``strict=True`` gives the exact
shape of this version, which the tests use).
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

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


#: The keys each minor version of the report added, as ``"def.key"``: ``def`` is the ``$defs``
#: name of the object that holds the key in the report schema (``report`` for the top level,
#: ``finding`` for every finding, ``estimate``, ``source``, ...), followed by the keys down to
#: an object written inline (``report.rules.KEY`` for a key of ``rules``). A new key is listed here in the
#: version that adds it (and in the README and CHANGELOG.md). tests/test_byte_identity.py drops
#: the keys listed after 1.2 before it compares today's reports with main's 1.2 ones.
#: Values added (no new key): 1.1 ``priorities[].fits`` may be ``"either"``.
ADDITIONS: dict[str, tuple[str, ...]] = {
    "1.1": ("source.secondary", "estimate.bound", "grid_row.same_study"),
    "1.2": (
        "source.read",
        "report.urgency",
        "urgent_reason.level",
        "report.elective",
        "report.urgent_reminder",
        "estimate.not_counted",
        "report.no_figure_changed",
        "estimate.outcome",
        "estimate.certainty",
        "estimate.shown_per",
        "estimate.pictured",
        "estimate.includes",
        "typical.certainty",
        "finding.compared_with",
        "finding.unchanged_by",
        "report.key_outcomes",
    ),
    "1.3": ("report.deliberation",),
}

#: The report schema's ``$defs`` names for the report's structs (a struct not listed is named
#: after its class in snake case, without ``View``).
DEF_NAMES = {
    "FigureView": "estimate",
    "PairView": "compared_with",
    "UnchangedView": "unchanged_by",
    "QuizView": "knowledge_check",
    "Ask": "question_to_ask",
    "Unchanged": "no_figure_changed",
    "Reminder": "urgent_reminder",
    "SpanView": "range",
    "QuizScore": "quiz",
}

REPORT_RULE = (
    "Generated from the report's own definitions (spinedecide.report), which are also what is "
    "encoded, so the report and this schema cannot differ. Every key listed is always written. "
    "Compatibility: a minor version only adds keys, so this schema (the one a consumer pins) "
    "accepts every later minor version of the same major version: schema_version MAJOR.N and "
    "keys it does not list, at every level. A removed or renamed key, or a changed meaning, is a "
    "new major version, which it refuses."
)


def _def_name(cls_name: str) -> str:
    if cls_name in DEF_NAMES:
        return DEF_NAMES[cls_name]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls_name.removesuffix("View")).lower()


def _tidy(node: Any, names: dict[str, str]) -> Any:
    """Defs renamed, defaults dropped (every key is always written), $refs followed."""
    if isinstance(node, list):
        return [_tidy(n, names) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = "#/$defs/" + names[value.rsplit("/", 1)[-1]]
        elif key == "default":
            continue
        elif key == "properties":
            out[key] = {k: _tidy(v, names) for k, v in value.items()}
        else:
            out[key] = _tidy(value, names)
    return out


def _object_def(cls: Any, schema: dict[str, Any], strict: bool) -> dict[str, Any]:
    """One struct's (or TypedDict's) def: no class-name title, every struct key required, open
    to later keys unless ``strict``."""
    out = {k: v for k, v in schema.items() if k != "title"}
    if "description" in out:
        out["description"] = " ".join(out["description"].replace("``", "`").split())
    if isinstance(cls, type) and issubclass(cls, msgspec.Struct):
        out["required"] = list(out.get("properties", {}))
    out["additionalProperties"] = not strict
    return out


def report_schema(*, strict: bool = False) -> dict[str, Any]:
    """The JSON report contract (schema_version in the report), generated from its structs.

    The published form (``strict=False``) accepts every minor version of this major version:
    ``schema_version`` ``MAJOR.N`` and keys it does not list. ``strict`` is this version exactly.
    """
    from . import deliberation, report

    major = SCHEMA_VERSION.split(".")[0]
    made = msgspec.json.schema(report.Report)
    names = {name: _def_name(name) for name in made["$defs"]}
    defs = {
        names[name]: _object_def(getattr(report, name, getattr(deliberation, name, None)), _tidy(schema, names), strict)
        for name, schema in made["$defs"].items()
    }
    top = defs.pop("report")
    top["properties"]["schema_version"] = (
        {"const": SCHEMA_VERSION} if strict else {"type": "string", "pattern": f"^{major}\\.[0-9]+$"}
    )
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}:report:{SCHEMA_VERSION if strict else major}",
        "title": f"spinedecide JSON report (schema_version {SCHEMA_VERSION if strict else major + '.x'})",
        "description": REPORT_RULE,
        **{k: v for k, v in top.items() if k != "description"},
        "$defs": defs,
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
