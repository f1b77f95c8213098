"""A FHIR R4 QuestionnaireResponse read as spinedecide answers, following the standard's rules.

What is read
------------
Items may be nested in groups (``item``) or under answers (``answer.item``). Each question item
gives ``{linkId: value}`` from ``answer[0]``: valueInteger, valueDecimal, valueString,
valueCoding.code, valueBoolean (true/false, read as the choices yes/no); an answer carrying only
the ``data-absent-reason`` extension reads as ``unknown``. Items without answers are unanswered.
The result is a plain answers mapping for :func:`spinedecide.answers.validate`, which checks the
values against the rules (unknown linkIds, bad choices, ranges, missing answers).

The standard's rules (FHIR R4 QuestionnaireResponse and Questionnaire.item.enableWhen)
----------------------------------------------------------------------------------------
* ``questionnaire``: absent is accepted. Present, its URL (before ``|``) must be
  :data:`~spinedecide.fhir.questionnaire.QUESTIONNAIRE_URL`, or the response is refused (it
  answers another form, e.g. a PHQ-9). Another version (after ``|``) is accepted with a note:
  every linkId and answer is then checked against these rules' questions, as always.
* ``valueCoding.system``: absent is accepted; present, it must be the question's own code system
  (:func:`~spinedecide.fhir.questionnaire.code_system`): a SNOMED CT code ``current`` is not the
  smoking answer ``current``.
* enableWhen: an answer to an item that the Questionnaire's enableWhen disables counts as absent
  (R4: "the item ... should not be treated as valued"). Such answers are dropped, and a note
  names them; an item whose enableWhen reads a dropped answer is evaluated as if it were not
  answered, until nothing changes.
* ``valueQuantity`` is read for a number question with a unit (height and weight are
  ``quantity`` items): in the question's UCUM unit, or with no unit, as it is; in another unit
  the question takes (:data:`~spinedecide.fhir.questionnaire.UNIT_OPTIONS`: ``m`` and ``[in_i]``
  for a height in cm, ``[lb_av]`` for a weight in kg), turned into the question's unit as the
  interview does (one decimal place, halves up); any other unit is refused. ``valueDecimal`` and
  ``valueInteger`` (responses written before height and weight were quantity items) are still read.
* ``status: entered-in-error`` is refused.

Notes are passed to ``note`` (the command line writes them to standard error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..answers import Answers, RawAnswers, convert
from ..conditions import UNKNOWN
from ..errors import AnswersError, Problem
from ..rules import Factor, Ruleset
from .questionnaire import (
    _UCUM_CODES,
    DATA_ABSENT_URL,
    QUESTIONNAIRE_URL,
    UCUM,
    UNIT_OPTIONS,
    UNKNOWN_DISPLAY,
    code_system,
    quantity,
    quantity_unit,
    questionnaire,
)

#: The group of answers to factors the interview never asks (see :func:`response_from_answers`).
NOT_ASKED_LINK_ID = "section:not_asked"
_VALUE_KEYS = ("valueInteger", "valueDecimal", "valueString", "valueCoding", "valueBoolean")

Note = Callable[[str], object]


def is_questionnaire_response(document: Any) -> bool:
    """True when a parsed answers document is a FHIR QuestionnaireResponse."""
    return isinstance(document, Mapping) and document.get("resourceType") == "QuestionnaireResponse"


def answers_from_response(
    ruleset: Ruleset, resource: Mapping[str, Any], *, name: str | None = None, note: Note | None = None
) -> dict[str, Any]:
    """A QuestionnaireResponse -> ``{linkId: value}`` for :func:`spinedecide.answers.validate`.

    Raises :class:`AnswersError` listing every structural problem (not a QuestionnaireResponse,
    another Questionnaire, an item without a linkId, several answers to one question, an
    unsupported value type, a coding from another system). ``name`` is the file name shown in
    problems; ``note`` receives the notes (another version, answers dropped by enableWhen).
    """
    kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
    if kind != "QuestionnaireResponse":
        got = f"resourceType {kind!r}" if kind is not None else "no resourceType"
        raise AnswersError(
            [
                Problem(
                    f"expected a FHIR QuestionnaireResponse, but the document has {got}",
                    field="resourceType",
                    file=name,
                )
            ]
        )
    if resource.get("status") == "entered-in-error":
        raise AnswersError(
            [Problem("this QuestionnaireResponse is marked entered-in-error", field="status", file=name)]
        )
    notes: list[str] = []
    _check_canonical(ruleset, resource.get("questionnaire"), name, notes)
    problems: list[Problem] = []
    found: dict[str, Any] = {}
    for path, item in _items(resource, "", problems, name):
        link = item.get("linkId")
        if not isinstance(link, str) or not link.strip():
            problems.append(Problem("an item has no linkId", field=path, file=name))
            continue
        answers = item.get("answer")
        if answers is None or answers == []:
            continue
        if not isinstance(answers, list):
            problems.append(Problem("'answer' must be a list", field=link, file=name))
            continue
        many = link in ruleset.factors and ruleset.factors[link].max_items > 1
        if len(answers) > 1 and not many:
            problems.append(Problem(f"{len(answers)} answers given; each question takes one", field=link, file=name))
            continue
        if link in found:
            problems.append(Problem("answered more than once in this response", field=link, file=name))
            continue
        dated = link in ruleset.factors and ruleset.factors[link].type == "date"
        values = [_value(a, code_system(link), _unit_code(ruleset, link), dated) for a in answers]
        errors = [e for _v, e in values if e]
        if errors:
            problems.append(Problem(errors[0], field=link, file=name))
        else:
            found[link] = [v for v, _e in values] if many else values[0][0]
    if problems:
        n = len(problems)
        raise AnswersError(problems, heading=f"{n} problem{'s' if n != 1 else ''} with the QuestionnaireResponse")
    dropped = disabled_items(ruleset, found)
    if dropped:
        listed = ", ".join(dropped)
        notes.append(f"answers to questions that do not apply (their enableWhen is false) were left out: {listed}")
    for text in notes:
        if note is not None:
            note(f"{name or 'QuestionnaireResponse'}: {text}")
    order = {k: i for i, k in enumerate(ruleset.factors)}
    kept = {k: v for k, v in found.items() if k not in dropped}
    return dict(sorted(kept.items(), key=lambda kv: order.get(kv[0], len(order))))


def _check_canonical(ruleset: Ruleset, canonical: Any, name: str | None, notes: list[str]) -> None:
    if canonical is None:
        return
    if not isinstance(canonical, str):
        raise AnswersError(
            [Problem(f"'questionnaire' must be a canonical URL, not {canonical!r}", field="questionnaire", file=name)]
        )
    url, _, version = canonical.partition("|")
    if url != QUESTIONNAIRE_URL:
        raise AnswersError(
            [
                Problem(
                    f"this response answers the Questionnaire {url!r}, not spinedecide's ({QUESTIONNAIRE_URL})",
                    field="questionnaire",
                    file=name,
                )
            ]
        )
    if version and version != ruleset.version:
        notes.append(
            f"the response was made with version {version!r} of the questions; "
            f"it was checked against version {ruleset.version!r} (these rules)"
        )


# -- enableWhen ---------------------------------------------------------------------------------


def disabled_items(ruleset: Ruleset, found: Mapping[str, Any]) -> list[str]:
    """The answered linkIds whose enableWhen is false (dropped answers count as unanswered)."""
    conditions: dict[str, tuple[list[dict[str, Any]], str]] = {}
    for group in questionnaire(ruleset)["item"]:
        for item in group["item"]:
            if "enableWhen" in item:
                conditions[item["linkId"]] = (item["enableWhen"], item.get("enableBehavior", "all"))
    values = {k: _normal(ruleset, k, v) for k, v in found.items()}
    dropped: set[str] = set()
    for _ in range(len(found) + 1):  # a fixed point: each round can only drop more
        current = {k: v for k, v in values.items() if k not in dropped}
        now = {k for k in found if k in conditions and not _enabled(*conditions[k], current)}
        if now == dropped:
            break
        dropped = now
    return [k for k in found if k in dropped]


def _normal(ruleset: Ruleset, link: str, value: Any) -> Any:
    """An answer as spinedecide reads it (choice id, number), or ``None`` when it is not valued."""
    factor = ruleset.factors.get(link)
    if factor is None:
        return value
    if factor.type != "choice" and value == UNKNOWN:
        return None  # a numeric unknown is an unanswered item in FHIR
    normal, error = convert(factor, value)
    return value if error else normal


def _enabled(clauses: list[dict[str, Any]], behaviour: str, values: Mapping[str, Any]) -> bool:
    results = [_holds(c, values.get(c["question"])) for c in clauses]
    return all(results) if behaviour == "all" else any(results)


def _holds(clause: Mapping[str, Any], got: Any) -> bool:
    op = clause["operator"]
    if op == "exists":
        return (got is not None) == bool(clause["answerBoolean"])
    if got is None:
        return False  # R4: = and != need an answer to compare
    ((key, want),) = [(k, v) for k, v in clause.items() if k.startswith("answer")]
    if key == "answerCoding":
        want = want["code"]
    elif key == "answerQuantity":
        want = want.get("value")
    elif isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    if op in ("=", "!=") and isinstance(got, list):  # a question with several answers: any of them
        return bool(want in got) is bool(op == "=")
    if op in ("=", "!="):
        return bool(got == want) is bool(op == "=")
    try:
        return bool({"<": got < want, "<=": got <= want, ">": got > want, ">=": got >= want}[op])
    except TypeError:
        return False


# -- items and values ---------------------------------------------------------------------------


def _items(
    node: Mapping[str, Any], path: str, problems: list[Problem], name: str | None
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every item, depth first, with its path (``item[0].item[2]``), groups and answer.item too."""
    items = node.get("item", [])
    if not isinstance(items, list):
        problems.append(Problem("'item' must be a list", field=f"{path}item" if path else "item", file=name))
        return
    for i, item in enumerate(items):
        here = f"{path}item[{i}]"
        if not isinstance(item, Mapping):
            problems.append(Problem("an item must be an object", field=here, file=name))
            continue
        yield here, item
        yield from _items(item, f"{here}.", problems, name)
        answers = item.get("answer")
        if isinstance(answers, list):
            for j, answer in enumerate(answers):
                if isinstance(answer, Mapping):
                    yield from _items(answer, f"{here}.answer[{j}].", problems, name)


def _unit_code(ruleset: Ruleset, link: str) -> str | None:
    """The UCUM code of a number question's unit (``cm``), or None."""
    factor = ruleset.factors.get(link)
    return _UCUM_CODES.get(factor.unit or "") if factor is not None and factor.type != "choice" else None


def _quantity(value: Any, unit: str | None) -> tuple[Any, str | None]:
    """A valueQuantity: a number in the question's own UCUM unit (no conversion)."""
    if not isinstance(value, Mapping):
        return None, "valueQuantity must be an object"
    number = value.get("value")
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None, f"valueQuantity has no number (value {number!r})"
    system, code = value.get("system"), value.get("code")
    if unit is None:
        return None, "valueQuantity is only for a question with a unit; give the number as valueDecimal or valueInteger"
    if code is None or code == unit:
        if system is not None and system != UCUM:
            return None, f"valueQuantity is in {code!r} ({system}); this question takes {unit} (UCUM)"
        return number, None
    options = dict(UNIT_OPTIONS.get(unit, ()))
    if system != UCUM or code not in options:
        taken = ", ".join(options) or unit
        return None, f"valueQuantity is in {code!r} ({system}); this question takes {taken} (UCUM)"
    return f"{number} {options[code]}", None  # converted and rounded by answers.convert


def _value(answer: Any, system: str, unit: str | None = None, dated: bool = False) -> tuple[Any, str | None]:
    if not isinstance(answer, Mapping):
        return None, "an answer must be an object"
    keys = [k for k in answer if k.startswith("value")]
    if not keys:
        for ext in answer.get("extension") or []:
            if isinstance(ext, Mapping) and ext.get("url") == DATA_ABSENT_URL:
                return UNKNOWN, None
        return None, "the answer has no value"
    if len(keys) > 1:
        return None, f"the answer has several values ({', '.join(keys)})"
    key = keys[0]
    value = answer[key]
    if key == "valueQuantity":
        return _quantity(value, unit)
    if key not in _VALUE_KEYS and not (dated and key == "valueDate"):
        return None, f"unsupported answer type {key}; use {', '.join(_VALUE_KEYS)}"
    if key == "valueCoding":
        code = value.get("code") if isinstance(value, Mapping) else None
        if not isinstance(code, str) or not code:
            return None, "valueCoding has no code"
        given = value.get("system")
        if given is not None and given != system:
            return None, f"valueCoding is from the code system {given!r}; this question's codes are from {system}"
        return code, None
    if key == "valueBoolean":
        if not isinstance(value, bool):
            return None, f"valueBoolean must be true or false, not {value!r}"
        return value, None  # validate reads true/false as the choices yes/no
    if key in ("valueString", "valueDate"):
        if not isinstance(value, str):
            return None, f"{key} must be text, not {value!r}"
        return value, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"{key} must be a number, not {value!r}"
    if key == "valueInteger" and not float(value).is_integer():
        return None, f"valueInteger must be a whole number, not {value!r}"
    return value, None


def _free_answers(factor: Factor, value: Any) -> list[dict[str, Any]]:
    """Several choices, a date or texts, as FHIR answers (an unknown as valueString)."""
    if value == UNKNOWN:
        return [{"valueString": UNKNOWN}]
    out = []
    for v in value if isinstance(value, list | tuple) else [value]:
        if factor.type == "choice":
            out.append({"valueCoding": {"system": code_system(factor.id), "code": v, "display": factor.label_of(v)}})
        else:
            out.append({"valueDate" if factor.type == "date" else "valueString": v})
    return out


def _any_quantity(factor: Any, value: Any) -> dict[str, Any]:
    """A number with a UCUM unit that is not a quantity item (never in the shipped rules)."""
    return {"value": value, "unit": factor.unit, "system": UCUM, "code": _UCUM_CODES[factor.unit or ""]}


def from_raw_answers(ruleset: Ruleset, raw: RawAnswers | None, *, note: Note | None = None) -> RawAnswers | None:
    """Convert answers read from a file when they are a QuestionnaireResponse; else unchanged."""
    if raw is None or not is_questionnaire_response(raw.values):
        return raw
    return RawAnswers(answers_from_response(ruleset, raw.values, name=raw.name, note=note), raw.name)


def response_from_answers(
    ruleset: Ruleset, answers: Answers | Mapping[str, Any], *, quantities: bool = False
) -> dict[str, Any]:
    """Answers (plain or validated values) as a completed QuestionnaireResponse to :func:`questionnaire`.

    Asked factors are written grouped as the Questionnaire groups them. A numeric ``unknown``
    becomes ``valueString: unknown``. An answer to a factor that is never asked (e.g. ``bmi``
    given directly) is written in a last group, ``linkId`` :data:`NOT_ASKED_LINK_ID`, so that the
    response gives the same report; one derived from other answers (bmi from height and weight)
    is not written. A quantity item's answer (height in cm, weight in kg) is a ``valueQuantity``
    (value, unit, UCUM system and code), as EHRs store vital signs; with ``quantities`` so is any
    other decimal answer with a UCUM unit.
    """
    values = answers.values if isinstance(answers, Answers) else answers
    form = questionnaire(ruleset)

    def answer_item(question: Mapping[str, Any]) -> dict[str, Any] | None:
        factor = ruleset.factors[question["linkId"]]
        if factor.id not in values:
            return None
        value = values[factor.id]
        if isinstance(value, list | tuple) or factor.type in ("date", "text"):
            return {"linkId": factor.id, "text": factor.question, "answer": _free_answers(factor, value)}
        answer: dict[str, Any]
        if factor.type == "choice":
            display = UNKNOWN_DISPLAY if value == UNKNOWN else factor.label_of(value)
            answer = {"valueCoding": {"system": code_system(factor.id), "code": str(value), "display": display}}
        elif isinstance(value, str) and quantity_unit(factor):  # unknown: no Quantity, the reason why
            answer = {"extension": [{"url": DATA_ABSENT_URL, "valueCode": "asked-unknown"}]}
        elif isinstance(value, str):  # a numeric "unknown"
            answer = {"valueString": value}
        elif factor.type == "integer":
            answer = {"valueInteger": int(value)}
        elif quantity_unit(factor) or (quantities and _UCUM_CODES.get(factor.unit or "")):
            answer = {
                "valueQuantity": quantity(factor, value) if quantity_unit(factor) else _any_quantity(factor, value)
            }
        else:
            answer = {"valueDecimal": value}
        return {"linkId": factor.id, "text": factor.question, "answer": [answer]}

    groups = []
    asked: set[str] = set()
    for group in form["item"]:
        asked.update(q["linkId"] for q in group["item"])
        items = [a for a in (answer_item(q) for q in group["item"]) if a]
        if items:
            groups.append({"linkId": group["linkId"], "text": group["text"], "item": items})
    extra = [
        answer_item({"linkId": f.id})
        for f in ruleset.factors.values()
        if f.id in values and f.id not in asked and not any(d in values for d in f.derived_from)
    ]
    if extra:
        text = "Answers given directly, not asked in the interview"
        groups.append({"linkId": NOT_ASKED_LINK_ID, "text": text, "item": extra})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{ruleset.version}",
        "status": "completed",
        "item": groups,
    }
