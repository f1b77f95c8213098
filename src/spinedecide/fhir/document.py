"""The report as a FHIR R4 document Bundle (``spinedecide ask --format fhir``, ``batch --format fhir``).

=====================  ==========================================================================
resource               what it holds
=====================  ==========================================================================
Bundle                 ``type`` document; ``identifier`` (urn:uuid) and ``timestamp``; the
                       Composition first, then every resource it refers to
Composition            ``status`` final, ``title``, ``date``, ``author`` the Device, ``subject``
                       the Patient; one section per part of the report, as narrative: key points
                       first (the note's lines: red flags and advice lead), then one section per
                       option (entry: its RiskAssessment), things to consider, what matters to
                       the person, questions to ask, the answers (entry: the
                       QuestionnaireResponse), sources, and about this aid
RiskAssessment         one per option: ``code`` the option, ``basis`` the QuestionnaireResponse,
                       one ``prediction`` per figure shown for this person: ``outcome`` the
                       finding, ``probabilityRange`` in % (UCUM; an "up to" figure has only a
                       high, an "at least" figure only a low), ``rationale`` the figure in words
                       with who it is about, its time frame and how sure the evidence is, and the
                       time frame again in the extension :data:`TIMEFRAME_URL`
QuestionnaireResponse  the answers (:func:`~spinedecide.fhir.reader.response_from_answers`),
                       ``subject`` and ``authored``
DocumentReference      the note (``--format note``) as a text/plain attachment; the HTML handout
                       too when asked (``handout=True``)
Provenance             ``target`` every resource above, ``recorded``, ``agent`` the Device, and
                       ``entity`` the rules file (its version and sha256)
Device                 the author: spinedecide, with its version and the rules version
Patient                anonymous: no name, no identifier unless one is passed
=====================  ==========================================================================

Why the time frame is not ``prediction.when[x]``: in R4 that is a calendar period or the
subject's age range, and the report's time frames ("within 30 days", "at 2 years") count from an
operation or a treatment that has not happened, so neither fits.

The time is the clock's, or ``SOURCE_DATE_EPOCH`` when set (reproducible output). Each id is a
UUIDv5 of the resource's content and that time, so the same report at the same time gives the
same bytes.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from .._lines import one_line
from ..errors import UsageError
from ..report import FindingView, OptionView, Report
from ..rules import Ruleset
from .questionnaire import BASE, UCUM
from .reader import response_from_answers

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
TIMEFRAME_URL = f"{BASE}/StructureDefinition/prediction-timeframe"
RULES_SHA256_SYSTEM = f"{BASE}/rules-sha256"
XHTML = "http://www.w3.org/1999/xhtml"


def document_time(environ: Mapping[str, str] | None = None) -> str:
    """Now (UTC, whole seconds), or ``SOURCE_DATE_EPOCH`` when it is set."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}") from None
    else:
        moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def bundle(
    ruleset: Ruleset,
    report: Report,
    *,
    when: str,
    patient_identifier: tuple[str, str] | None = None,
    handout: bool = False,
) -> dict[str, Any]:
    """The report as a FHIR R4 document Bundle (a JSON-ready dict). See the module docstring."""
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> dict[str, str]:
        rid = _uuid(resource, when)
        entries.append(
            {
                "fullUrl": f"urn:uuid:{rid}",
                "resource": {"resourceType": resource["resourceType"], "id": rid, **resource},
            }
        )
        return {"reference": f"urn:uuid:{rid}"}

    rules = report.rules
    patient: dict[str, Any] = {"resourceType": "Patient"}
    if patient_identifier is not None:
        patient["identifier"] = [{"system": patient_identifier[0], "value": patient_identifier[1]}]
    subject = add(patient)
    device = add(
        {
            "resourceType": "Device",
            "deviceName": [{"name": "spinedecide", "type": "user-friendly-name"}],
            "version": [
                {"type": {"text": "software"}, "value": report.spinedecide_version},
                {"type": {"text": "rules"}, "value": str(rules.get("version"))},
            ],
        }
    )
    device = {**device, "display": f"spinedecide {report.spinedecide_version} (rules {rules.get('version')})"}
    response = {**response_from_answers(ruleset, report.answers), "subject": subject, "authored": when}
    response_ref = add(response)
    assessments = [add(_risk_assessment(option, subject, device, response_ref, when)) for option in report.options]
    document = add(_document_reference(report, subject, device, when, handout))
    composition = _composition(report, subject, device, when, assessments, response_ref, document)
    composition_ref = add(composition)
    entries.insert(0, entries.pop())  # the Composition comes first (bdl-11)
    targets = [composition_ref, *assessments, response_ref, document]
    add(
        {
            "resourceType": "Provenance",
            "target": targets,
            "recorded": when,
            "agent": [{"who": device}],
            "entity": [
                {
                    "role": "source",
                    "what": {
                        "identifier": {"system": RULES_SHA256_SYSTEM, "value": str(rules.get("sha256"))},
                        "display": f"spinedecide rules, version {rules.get('version')}, "
                        f"reviewed {rules.get('reviewed')}",
                    },
                }
            ],
        }
    )
    resource = {"resourceType": "Bundle", "type": "document", "timestamp": when, "entry": entries}
    rid = _uuid(resource, when)
    return {
        "resourceType": "Bundle",
        "id": rid,
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{rid}"},
        **resource,
    }


def _uuid(resource: Mapping[str, Any], when: str) -> str:
    data = json.dumps(resource, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(uuid.uuid5(NAMESPACE, f"{when}|{data}"))


# -- RiskAssessment -----------------------------------------------------------------------------


def _percent(value: float) -> dict[str, Any]:
    number = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": "%", "system": UCUM, "code": "%"}


def _prediction(finding: FindingView) -> dict[str, Any]:
    from ..render.common import figure_basis, figure_phrase

    e = finding.estimate
    assert e is not None
    probability: dict[str, Any] = {}
    if e.bound != "up_to":
        probability["low"] = _percent(e.low)
    if e.bound != "at_least":
        probability["high"] = _percent(e.high)
    rationale = " ".join([f"{finding.title}: {figure_phrase(e)}.", figure_basis(e), *finding.notes])
    return {
        "extension": [{"url": TIMEFRAME_URL, "valueString": e.timeframe}],
        "outcome": {"text": finding.title},
        "probabilityRange": probability,
        "rationale": rationale,
    }


def _risk_assessment(option: OptionView, subject: Any, device: Any, basis: Any, when: str) -> dict[str, Any]:
    findings = [f for f in (*option.benefits, *option.risks, *option.recovery) if f.estimate is not None]
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "code": {"text": option.title},
        "subject": subject,
        "occurrenceDateTime": when,
        "performer": device,
        "basis": [basis],
    }
    if findings:
        resource["prediction"] = [_prediction(f) for f in findings]
    resource["note"] = [{"text": option.summary}]
    return resource


# -- DocumentReference --------------------------------------------------------------------------


def _rendered(report: Report, fmt: str) -> str:
    from ..render import render

    buffer = io.StringIO()
    render(report, fmt, buffer, width=100)
    return buffer.getvalue()


def _document_reference(report: Report, subject: Any, device: Any, when: str, handout: bool) -> dict[str, Any]:
    def attachment(fmt: str, content_type: str, title: str) -> dict[str, Any]:
        data = base64.b64encode(_rendered(report, fmt).encode("utf-8")).decode("ascii")
        return {
            "attachment": {
                "contentType": content_type,
                "language": "en",
                "data": data,
                "title": title,
                "creation": when,
            }
        }

    content = [attachment("note", "text/plain; charset=utf-8", "Shared decision-making note")]
    if handout:
        content.append(attachment("html", "text/html; charset=utf-8", "Decision aid handout"))
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "docStatus": "final",
        "type": {"text": "Shared decision-making note"},
        "subject": subject,
        "date": when,
        "author": [device],
        "content": content,
    }


# -- Composition --------------------------------------------------------------------------------


def _div(*parts: str) -> dict[str, str]:
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{"".join(parts)}</div>'}


def _p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i, quote=False)}</li>" for i in items) + "</ul>"


def _composition(
    report: Report, subject: Any, device: Any, when: str, assessments: list[Any], response: Any, note: Any
) -> dict[str, Any]:
    from ..render import common
    from ..render.note import lines

    sections: list[dict[str, Any]] = [
        {"title": "Key points", "text": _div(_ul([text for _p, text in lines(report)])), "entry": [note]}
    ]
    for option, assessment in zip(report.options, assessments, strict=True):
        items = [
            f"{f.title}: {common.figure_phrase(f.estimate)}" if f.estimate else f"{f.title}: {f.no_figure or f.text}"
            for f in (*option.benefits, *option.risks, *option.recovery)
        ]
        sections.append({"title": option.title, "text": _div(_p(option.summary), _ul(items)), "entry": [assessment]})
    if report.considerations:
        sections.append(
            {"title": "Things to consider", "text": _div(_ul([f"{c.title}: {c.text}" for c in report.considerations]))}
        )
    if report.priorities:
        sections.append(
            {
                "title": "What matters to you",
                "text": _div(_ul([f"{p.question} {p.answer_label}" for p in report.priorities])),
            }
        )
    if report.questions_to_ask:
        sections.append({"title": "Questions to ask", "text": _div(_ul([t for _i, t in report.questions_to_ask]))})
    answered = [f"{report.questions.get(k, k)} {common.answer_text(report, k, v)}" for k, v in report.answers.items()]
    sections.append({"title": "Your answers", "text": _div(_ul(answered or ["No answers."])), "entry": [response]})
    if report.sources:
        sections.append(
            {"title": "Sources", "text": _div(_ul([common.source_line(i, s) for i, s in enumerate(report.sources, 1)]))}
        )
    sections.append(
        {
            "title": "About this aid",
            "text": _div(_p(common.rules_line(report)), _p(one_line(report.disclaimer))),
        }
    )
    return {
        "resourceType": "Composition",
        "status": "final",
        "type": {"text": "Shared decision-making report"},
        "subject": subject,
        "date": when,
        "author": [device],
        "title": f"Shared decision-making report: {report.diagnosis.get('title', 'lumbar surgery or not')}",
        "section": sections,
    }


# -- the renderer hook for the command line -----------------------------------------------------


def renderer(ruleset: Ruleset, when: str | None = None, patient_id: str | None = None) -> Callable[..., None]:
    """A function with :func:`spinedecide.render.render`'s signature that writes the Bundle.

    ``patient_id`` is ``SYSTEM|VALUE`` (as in a FHIR token search), e.g. ``urn:oid:1.2.3|12345``.
    """
    moment = when or document_time()
    identifier = parse_patient_id(patient_id) if patient_id is not None else None

    def render(report: Report, _fmt: str, out: TextIO, **_: Any) -> None:
        document = bundle(ruleset, report, when=moment, patient_identifier=identifier)
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")

    return render


def parse_patient_id(text: str) -> tuple[str, str]:
    """``SYSTEM|VALUE`` -> (system, value), or :class:`UsageError` saying what is wrong."""
    system, bar, value = text.partition("|")
    if not bar or not system.strip() or not value.strip() or ":" not in system:
        raise UsageError(
            f"--patient-id must be SYSTEM|VALUE with SYSTEM a URI (e.g. urn:oid:1.2.3|12345), not {text!r}"
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise UsageError(f"--patient-id must not hold control characters: {text!r}")
    return system.strip(), value.strip()


def bundle_json(ruleset: Ruleset, report: Report, *, when: str) -> str:
    """The Bundle as one line of JSON (the form of ``batch --format fhir``)."""
    return json.dumps(bundle(ruleset, report, when=when), ensure_ascii=False, separators=(",", ":"))
