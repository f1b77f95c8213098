"""The interview as a FHIR R4 Questionnaire (and as plain data and text).

Pure functions on plain dicts (the JSON form of the resources); no FHIR library is needed at run
time (the tests validate the output with ``fhir.resources``).

The Questionnaire (:func:`questionnaire`)
-----------------------------------------
=========================  ==================================================================
spinedecide                FHIR R4
=========================  ==================================================================
the rules file             ``Questionnaire``: ``url`` and ``id`` fixed (:data:`QUESTIONNAIRE_URL`),
                           ``version`` = rules version, ``title`` = rules title, ``date`` =
                           rules ``reviewed``, ``status`` active, ``description`` = disclaimer
a section                  a ``group`` item, ``linkId`` ``section:<id>``, ``text`` = its title
a factor that is asked     an item in interview order (``Ruleset.questions()``: red flags first);
                           ``linkId`` = factor id, ``text`` = question
type choice/integer/number ``type`` choice/integer/decimal; a number in a UCUM length or weight
                           (height in cm, weight in kg) is a ``quantity`` item, answered with
                           ``valueQuantity``
a choice                   ``answerOption.valueCoding``: ``system`` = :func:`code_system` (one
                           per factor), ``code`` = choice id, ``display`` = label
``unknown: true``          choice: one more option, code ``unknown``; a number: leave it
                           unanswered (``valueString: unknown`` is also read back)
``required`` and not       ``required: true`` (a question that may be ``unknown`` is never
``unknown``                required: unknown is a valid answer FHIR cannot force)
min / max                  the ``minValue`` / ``maxValue`` extensions (valueInteger/valueDecimal);
                           on a quantity item SDC's ``sdc-questionnaire-minQuantity`` /
                           ``maxQuantity`` (valueQuantity, in the question's unit)
unit                       the ``questionnaire-unit`` extension (UCUM where the unit is one); on a
                           quantity item one ``questionnaire-unitOption`` per unit the reader
                           takes (:data:`UNIT_OPTIONS`: the question's own unit first)
``code`` (the rules file)  ``item.code`` (e.g. LOINC 8302-2 Body height), so that SDC can pre-fill
                           from and extract to the record; a question without one is uncoded
help                       a nested ``display`` item, ``linkId`` ``<id>.help``, with the SDC
                           ``questionnaire-itemControl`` code ``help``
red_flag                   the extension :data:`RED_FLAG_URL` (valueBoolean true)
ask_when                   ``enableWhen`` + ``enableBehavior``, and always the extension
                           :data:`APPLIES_WHEN_URL` with ``condition.describe()``
=========================  ==================================================================

ask_when to enableWhen. spinedecide treats an answer of ``unknown`` (or no answer) as matching no
equality, comparison or membership; the translation keeps that meaning:

* ``{f: v}`` -> ``f = v``; ``{f: {"!=": v}}`` -> ``f exists`` and ``f != v`` (and ``f != unknown``
  for a choice that allows unknown), behaviour ``all``.
* ``<``, ``<=``, ``>``, ``>=`` -> the same operator (answerInteger/answerDecimal).
* ``{f: {in: [a, b]}}`` -> ``f = a``, ``f = b``, behaviour ``any``; ``not_in`` -> ``exists`` and
  one ``!=`` per value, behaviour ``all``.
* ``{f: {known: true}}`` -> ``f exists`` (and ``f != unknown`` for a choice), behaviour ``all``;
  ``known: false`` -> ``f exists false`` (or ``f = unknown``), behaviour ``any``.
* ``all`` of parts that each need ``all`` -> behaviour ``all``; ``any`` of single tests ->
  behaviour ``any``; ``not`` of a single test is pushed inside where that stays one behaviour.

FHIR R4 has one behaviour per item, so a mix (``any`` inside ``all``, ``not`` of a group, a
``not_in`` inside ``any``) cannot be written as enableWhen; neither can a condition on a factor
that is not a question in the Questionnaire (e.g. the derived ``bmi``). Such an item is left
always enabled and carries the extension :data:`ENABLE_WHEN_OMITTED_URL` saying why; the
:data:`APPLIES_WHEN_URL` text still tells a reader when it applies, and spinedecide itself checks
every answer against the real condition when it reads the response.

The QuestionnaireResponse is read in :mod:`spinedecide.fhir.reader`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import one_line
from ..conditions import (
    UNKNOWN,
    All,
    Always,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Known,
    Member,
    Not,
)
from ..rules import Factor, Ruleset

#: The base of every spinedecide canonical URL. ``.invalid`` (RFC 2606) never resolves and never
#: clashes with a real site; canonical URLs are names, not addresses. Change it in one place if the
#: project gets a home page.
BASE = "http://spinedecide.invalid/fhir"
QUESTIONNAIRE_ID = "spinedecide-interview"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
APPLIES_WHEN_URL = f"{BASE}/StructureDefinition/applies-when"
ENABLE_WHEN_OMITTED_URL = f"{BASE}/StructureDefinition/enable-when-omitted"
RED_FLAG_URL = f"{BASE}/StructureDefinition/red-flag"

MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
# For 'quantity' items (read: hl7.org/fhir/extensions StructureDefinition-questionnaire-unitOption,
# "a unit that the user may choose when providing a quantity value", and SDC STU3/4
# sdc-questionnaire-minQuantity / maxQuantity; questionnaire-unit is for integer and decimal only).
UNIT_OPTION_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption"
MIN_QUANTITY_URL = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minQuantity"
MAX_QUANTITY_URL = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxQuantity"
ITEM_CONTROL_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
DATA_ABSENT_URL = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
UCUM = "http://unitsofmeasure.org"
_UCUM_CODES = {
    "cm": "cm",
    "mm": "mm",
    "m": "m",
    "kg": "kg",
    "g": "g",
    "years": "a",
    "year": "a",
    "weeks": "wk",
    "week": "wk",
    "days": "d",
    "months": "mo",
    "kg/m²": "kg/m2",
    "kg/m2": "kg/m2",
}

#: A quantity question's unit (UCUM) -> the UCUM units its answers may come in, with their
#: display; the reader turns each into the question's unit (answers.py: one decimal place).
UNIT_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "cm": (("cm", "cm"), ("m", "m"), ("[in_i]", "in")),
    "kg": (("kg", "kg"), ("[lb_av]", "lb")),
}

UNKNOWN_DISPLAY = "I don't know / prefer not to say"
_FHIR_TYPE = {"choice": "choice", "integer": "integer", "number": "decimal", "date": "date", "text": "string"}
_VALUE_KEYS = ("valueInteger", "valueDecimal", "valueString", "valueCoding", "valueBoolean")


def quantity_unit(factor: Factor) -> str | None:
    """The UCUM unit of a number question asked as a FHIR ``quantity`` (``cm``, ``kg``), or None."""
    code = _UCUM_CODES.get(factor.unit or "") if factor.type == "number" else None
    return code if code in UNIT_OPTIONS else None


def fhir_type(factor: Factor) -> str:
    return "quantity" if quantity_unit(factor) else _FHIR_TYPE[factor.type]


def code_system(factor_id: str) -> str:
    """The stable code system URI of one choice factor's answers."""
    return f"{BASE}/CodeSystem/{factor_id}"


# ---------------------------------------------------------------------------------------------
# Questionnaire


def questionnaire(ruleset: Ruleset) -> dict[str, Any]:
    """The interview as a FHIR R4 Questionnaire (a JSON-ready dict). See the module docstring."""
    asked = ruleset.questions()
    asked_ids = {f.id: f for f in asked}
    titles = {s.id: s.title for s in ruleset.sections}
    groups: list[dict[str, Any]] = []
    used: set[str] = set()
    for factor in asked:
        if not groups or groups[-1]["_section"] != factor.section:
            link = f"section:{factor.section}"
            n = 2
            while link in used:  # a section split in two by the red-flag ordering
                link, n = f"section:{factor.section}:{n}", n + 1
            used.add(link)
            groups.append(
                {
                    "_section": factor.section,
                    "linkId": link,
                    "text": titles.get(factor.section, factor.section),
                    "type": "group",
                    "item": [],
                }
            )
        groups[-1]["item"].append(_question(factor, asked_ids))
    for group in groups:
        del group["_section"]
    meta = ruleset.metadata
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": ruleset.version,
        "name": "SpinedecideInterview",
        "title": str(meta.get("title", "spinedecide interview")),
        "status": "active",
        "date": ruleset.reviewed,
        "description": one_line(ruleset.disclaimer),
        "subjectType": ["Patient"],
        "item": groups,
    }
    authors = meta.get("authors")
    if isinstance(authors, list) and authors:
        resource["publisher"] = ", ".join(map(str, authors))
    return resource


def code_systems(ruleset: Ruleset) -> dict[str, Any]:
    """spinedecide's own answer codes: one CodeSystem per choice question, in a collection Bundle."""
    entries = []
    for factor in ruleset.questions():
        if factor.type != "choice":
            continue
        concepts = [{"code": c.id, "display": c.label} for c in factor.choices]
        if factor.unknown:
            concepts.append({"code": UNKNOWN, "display": UNKNOWN_DISPLAY})
        resource = {
            "resourceType": "CodeSystem",
            "id": f"spinedecide-{factor.id.replace('_', '-')}",
            "url": code_system(factor.id),
            "version": ruleset.version,
            "name": "".join(part.capitalize() for part in factor.id.split("_")),
            "title": f"spinedecide answers: {factor.question}",
            "status": "active",
            "date": ruleset.reviewed,
            "description": f"The answers to the spinedecide question '{factor.id}'.",
            "caseSensitive": True,
            "content": "complete",
            "count": len(concepts),
            "concept": concepts,
        }
        entries.append({"fullUrl": resource["url"], "resource": resource})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _question(factor: Factor, asked: Mapping[str, Factor]) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": factor.id}
    if factor.code is not None:
        item["code"] = [{"system": factor.code.system, "code": factor.code.code, "display": factor.code.display}]
    item.update(text=factor.question, type=fhir_type(factor))
    extensions: list[dict[str, Any]] = []
    if factor.red_flag:
        extensions.append({"url": RED_FLAG_URL, "valueBoolean": True})
    value_key = "valueInteger" if factor.type == "integer" else "valueDecimal"
    if quantity_unit(factor):
        extensions.extend(_quantity_extensions(factor))
    elif factor.type in ("integer", "number"):
        if factor.min is not None:
            extensions.append({"url": MIN_VALUE_URL, value_key: _num(factor, factor.min)})
        if factor.max is not None:
            extensions.append({"url": MAX_VALUE_URL, value_key: _num(factor, factor.max)})
        if factor.unit:
            coding = {"display": factor.unit}
            if factor.unit in _UCUM_CODES:
                coding = {"system": UCUM, "code": _UCUM_CODES[factor.unit], "display": factor.unit}
            extensions.append({"url": UNIT_URL, "valueCoding": coding})
    if not isinstance(factor.ask_when, Always):
        extensions.append({"url": APPLIES_WHEN_URL, "valueString": factor.ask_when.describe()})
        try:
            clauses, behaviour = enable_when(factor.ask_when, asked)
        except Inexpressible as why:
            extensions.append({"url": ENABLE_WHEN_OMITTED_URL, "valueString": f"{why}; the question is always enabled"})
        else:
            item["enableWhen"] = clauses
            if len(clauses) > 1:
                item["enableBehavior"] = behaviour
    if extensions:
        item = {"extension": extensions, **item}
    if factor.required and not factor.unknown:
        item["required"] = True
    if factor.max_items > 1:
        item["repeats"] = True
    if factor.max_length is not None:
        item["maxLength"] = factor.max_length
    if factor.type == "choice":
        options = [
            {"valueCoding": {"system": code_system(factor.id), "code": c.id, "display": c.label}}
            for c in factor.choices
        ]
        if factor.unknown:
            options.append(
                {"valueCoding": {"system": code_system(factor.id), "code": UNKNOWN, "display": UNKNOWN_DISPLAY}}
            )
        item["answerOption"] = options
    if factor.help:
        item["item"] = [
            {
                "extension": [
                    {
                        "url": ITEM_CONTROL_URL,
                        "valueCodeableConcept": {
                            "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}]
                        },
                    }
                ],
                "linkId": f"{factor.id}.help",
                "text": one_line(factor.help),
                "type": "display",
            }
        ]
    return item


def _quantity_extensions(factor: Factor) -> list[dict[str, Any]]:
    """A quantity item's unit options (its own unit first) and its bounds, in its own unit."""
    unit = quantity_unit(factor) or ""
    out: list[dict[str, Any]] = [
        {"url": UNIT_OPTION_URL, "valueCoding": {"system": UCUM, "code": code, "display": display}}
        for code, display in UNIT_OPTIONS[unit]
    ]
    for url, bound in ((MIN_QUANTITY_URL, factor.min), (MAX_QUANTITY_URL, factor.max)):
        if bound is not None:
            out.append({"url": url, "valueQuantity": quantity(factor, bound)})
    return out


def quantity(factor: Factor, value: float) -> dict[str, Any]:
    """A number in a quantity question's unit, as a FHIR Quantity (value, unit, UCUM system and code)."""
    return {"value": _num(factor, value), "unit": factor.unit, "system": UCUM, "code": quantity_unit(factor)}


def _num(factor: Factor, value: float) -> int | float:
    if factor.type == "integer" or float(value).is_integer():
        return int(value)
    return float(value)


# -- ask_when -> enableWhen ---------------------------------------------------------------------


class Inexpressible(Exception):
    """A condition FHIR R4 enableWhen cannot write; the message says why."""


# A translated condition: the enableWhen clauses and how they combine ("all", "any", or None
# for a single clause, which fits either).
_Form = tuple[list[dict[str, Any]], str | None]


def enable_when(condition: Condition, asked: Mapping[str, Factor]) -> tuple[list[dict[str, Any]], str]:
    """``(enableWhen clauses, enableBehavior)`` for a condition, or raise :class:`Inexpressible`."""
    clauses, mode = _translate(condition, asked)
    return clauses, mode or "all"


def _translate(cond: Condition, asked: Mapping[str, Factor]) -> _Form:
    if isinstance(cond, (All, AnyOf)):
        want = "all" if isinstance(cond, All) else "any"
        out: list[dict[str, Any]] = []
        for part in cond.parts:
            clauses, mode = _translate(part, asked)
            if mode not in (None, want):
                raise Inexpressible(f"'{part.describe()}' needs enableBehavior {mode} inside a group that needs {want}")
            out.extend(clauses)
        return out, (want if len(out) > 1 else None)
    if isinstance(cond, Not):
        return _translate(_negate(cond.part), asked)
    return _atom(cond, asked)


def _negate(cond: Condition) -> Condition:
    """The negation of a single test, as a condition _atom can write (spinedecide meaning)."""
    if isinstance(cond, Not):
        return cond.part
    if isinstance(cond, Known):
        return Known(cond.factor, not cond.expected)
    if isinstance(cond, (Equals, Compare)) or (isinstance(cond, Member) and len(cond.values) == 1):
        return _NotTest(cond)
    raise Inexpressible(f"'not ({cond.describe()})' cannot be written as enableWhen")


class _NotTest(Condition, frozen=True):
    """``not`` of one test: not answered, unknown, or answered and the test fails."""

    part: Condition

    def describe(self) -> str:  # pragma: no cover - only used in messages
        return f"not {self.part.describe()}"


_INVERSE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _atom(cond: Condition, asked: Mapping[str, Factor]) -> _Form:
    name = getattr(cond, "factor", None) or getattr(getattr(cond, "part", None), "factor", None)
    factor = asked.get(name) if isinstance(name, str) else None
    if factor is None:
        raise Inexpressible(
            f"'{name}' is not a question in this questionnaire"
            if name
            else f"'{cond.describe()}' cannot be written as enableWhen"
        )
    unknown_option = factor.type == "choice" and factor.unknown

    def clause(op: str, value: Any = None) -> dict[str, Any]:
        if op == "exists":
            return {"question": factor.id, "operator": "exists", "answerBoolean": bool(value)}
        return {"question": factor.id, "operator": op, **_answer(factor, value)}

    if isinstance(cond, Known):
        if cond.expected:
            return _form([clause("exists", True)] + ([clause("!=", UNKNOWN)] if unknown_option else []), "all")
        return _form([clause("exists", False)] + ([clause("=", UNKNOWN)] if unknown_option else []), "any")
    if isinstance(cond, Equals):
        if not cond.negate:
            return [clause("=", cond.value)], None
        return _not_equal(factor, [cond.value], clause, unknown_option)
    if isinstance(cond, Member):
        values = sorted(cond.values, key=str)
        if cond.negate:
            return _not_equal(factor, values, clause, unknown_option)
        return _form([clause("=", v) for v in values], "any")
    if isinstance(cond, Compare):
        return [clause(cond.op, cond.value)], None
    if isinstance(cond, _NotTest):
        inner = cond.part
        if isinstance(inner, Compare):
            test = clause(_INVERSE[inner.op], inner.value)
        else:
            value = inner.value if isinstance(inner, Equals) else next(iter(inner.values))  # type: ignore[attr-defined]
            if getattr(inner, "negate", False):  # not (f != v): not answered, unknown, or v
                return [clause("exists", False), clause("=", value)] + (
                    [clause("=", UNKNOWN)] if unknown_option else []
                ), "any"
            test = clause("!=", value)
        # not answered, or answered and failing the test (an 'unknown' choice is != v already)
        return [clause("exists", False), test], "any"
    raise Inexpressible(f"'{cond.describe()}' cannot be written as enableWhen")  # pragma: no cover


def _not_equal(factor: Factor, values: list[Any], clause: Any, unknown_option: bool) -> _Form:
    clauses = [clause("exists", True)] + [clause("!=", v) for v in values]
    if unknown_option:
        clauses.append(clause("!=", UNKNOWN))
    return clauses, "all"


def _form(clauses: list[dict[str, Any]], mode: str) -> _Form:
    return clauses, (mode if len(clauses) > 1 else None)


def _answer(factor: Factor, value: Any) -> dict[str, Any]:
    if factor.type == "choice":
        display = UNKNOWN_DISPLAY if value == UNKNOWN else factor.label_of(value)
        return {"answerCoding": {"system": code_system(factor.id), "code": str(value), "display": display}}
    if factor.type == "integer" and float(value).is_integer():
        return {"answerInteger": int(value)}
    if quantity_unit(factor):
        return {"answerQuantity": quantity(factor, value)}
    return {"answerDecimal": float(value)}


# ---------------------------------------------------------------------------------------------
# The interview as plain data and text (``spinedecide questions --format json|text``)


def interview(ruleset: Ruleset) -> list[dict[str, Any]]:
    """The asked questions in interview order, as JSON-ready dicts."""
    return [
        {
            "id": f.id,
            "question": f.question,
            "help": one_line(f.help),
            "type": f.type,
            "choices": [{"id": c.id, "label": c.label} for c in f.choices],
            "min": f.min,
            "max": f.max,
            "unit": f.unit,
            "unknown": f.unknown,
            "required": f.required,
            "red_flag": f.red_flag,
            "applies_when": f.ask_when.describe(),
        }
        for f in ruleset.questions()
    ]


#: What each kind of question takes, in the list of questions (a text or date answer is not a number).
_ANSWER_KINDS = {"integer": "a whole number", "number": "a number", "date": "a date (year-month-day)", "text": "text"}


def interview_text(ruleset: Ruleset) -> str:
    """Numbered questions with ids, choices and when they apply, for a terminal."""
    lines = []
    for n, q in enumerate(interview(ruleset), 1):
        lines.append(f"{n}. {q['question']}  [{q['id']}]")
        if q["choices"]:
            lines.append("   choices: " + ", ".join(f"{c['id']} ({c['label']})" for c in q["choices"]))
        else:
            unit = f" {q['unit']}" if q["unit"] else ""
            kind = _ANSWER_KINDS.get(q["type"], "a number")
            bounds = (
                f" from {_plain(q['min'])} to {_plain(q['max'])}"
                if q["min"] is not None and q["max"] is not None
                else ""
            )
            lines.append(f"   answer: {kind}{bounds}{unit}")
        notes = []
        if q["unknown"]:
            notes.append("may be answered unknown")
        if not q["required"]:
            notes.append("optional")
        if q["red_flag"]:
            notes.append("safety question")
        if notes:
            lines.append("   " + "; ".join(notes))
        if q["applies_when"] != "always":
            lines.append(f"   asked only when: {q['applies_when']}")
    return "\n".join(lines) + "\n"


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
