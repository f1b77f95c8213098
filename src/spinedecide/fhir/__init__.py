"""FHIR R4 in and out.

* :mod:`.questionnaire`: the interview as a Questionnaire (``spinedecide questions --format fhir``).
* :mod:`.reader`: a QuestionnaireResponse read as answers, by the standard's rules (enableWhen,
  code systems, the Questionnaire it answers); answers written as a QuestionnaireResponse.
* :mod:`.document`: the report as a FHIR document Bundle (``spinedecide ask --format fhir``).

Pure functions on plain dicts (the JSON form of the resources); no FHIR library is needed at run
time (the tests validate the output with ``fhir.resources`` and check invariants with FHIRPath).
"""

from __future__ import annotations

from .questionnaire import (
    APPLIES_WHEN_URL,
    BASE,
    DATA_ABSENT_URL,
    ENABLE_WHEN_OMITTED_URL,
    MAX_QUANTITY_URL,
    MAX_VALUE_URL,
    MIN_QUANTITY_URL,
    MIN_VALUE_URL,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    RED_FLAG_URL,
    UCUM,
    UNIT_OPTION_URL,
    UNIT_OPTIONS,
    UNIT_URL,
    UNKNOWN_DISPLAY,
    Inexpressible,
    code_system,
    code_systems,
    enable_when,
    interview,
    interview_text,
    questionnaire,
)
from .reader import (
    answers_from_response,
    disabled_items,
    from_raw_answers,
    is_questionnaire_response,
    response_from_answers,
)

__all__ = [
    "APPLIES_WHEN_URL",
    "BASE",
    "DATA_ABSENT_URL",
    "ENABLE_WHEN_OMITTED_URL",
    "MAX_QUANTITY_URL",
    "MAX_VALUE_URL",
    "MIN_QUANTITY_URL",
    "MIN_VALUE_URL",
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "RED_FLAG_URL",
    "UCUM",
    "UNIT_OPTIONS",
    "UNIT_OPTION_URL",
    "UNIT_URL",
    "UNKNOWN_DISPLAY",
    "Inexpressible",
    "answers_from_response",
    "code_system",
    "code_systems",
    "disabled_items",
    "enable_when",
    "from_raw_answers",
    "interview",
    "interview_text",
    "is_questionnaire_response",
    "questionnaire",
    "response_from_answers",
]
