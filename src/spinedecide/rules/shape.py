"""The declared shape of the rules file: the words it may use and SCHEMA, one declaration
that drives both the loader's checks and ``spinedecide schema rules``.
"""

from __future__ import annotations

import re
from typing import Any

FORMAT_VERSION = 1
MAX_RULES_BYTES = 5 * 1024 * 1024
MAX_RATIO = 1000  # a relative risk or odds ratio above this is a typing slip, not a study's finding

FACTOR_TYPES = ("choice", "integer", "number", "date", "text")
OPTION_KINDS = ("surgery", "non_surgical")
# Which kind of option a "what matters to you" answer tends to fit; "either" when the evidence
# for that condition does not favour one (a value is then not pushed towards either choice).
PRIORITY_FITS = (*OPTION_KINDS, "either")
FINDING_KINDS = ("benefit", "risk", "recovery", "consideration")
# A figure the source gives only as a limit: "up to 33 in 100", "at least 50 in 100".
BOUNDS = ("up_to", "at_least")
EVIDENCE_KINDS = (
    "randomised_trial",
    "systematic_review",
    "cohort",
    "registry",
    "patient_information",
    "practice_estimate",
    "expert_opinion",
)
#: GRADE's four levels of certainty, graded per figure by the content team (an estimate's `certainty`).
CERTAINTY_LEVELS = ("high", "moderate", "low", "very_low")
#: The denominators a figure may be shown with (an estimate's `per`): rare risks per 1,000 or 10,000.
DENOMINATORS = (100, 1000, 10000)
#: What only people, not software, can show (metadata `evaluation`): each needs who, when and how.
EVALUATIONS = ("field_test_patients", "field_test_clinicians", "external_review")
METADATA_REQUIRED = (
    "title",
    "version",
    "published",
    "reviewed",
    "next_review",
    "update_policy",
    "evidence_search",
    "authors",
    "reviewers",
    "funding",
    "conflicts_of_interest",
)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------------------------------------
# The shape of the rules file, declared once. The loader checks every object against it, and
# `spinedecide schema rules` turns the same declaration into a JSON Schema, so they cannot drift.
# A kind is a check name ("text", "id", "number", "ids", "any"), a Python type, or a reference:
# ("list", KIND) is a list of objects of KIND, ("object", KIND) one object of KIND.

Spec = tuple[dict[str, Any], dict[str, Any]]  # (required keys, optional keys)

CONDITION = "condition"  # a condition mapping (see conditions.py)
SCHEMA: dict[str, Spec] = {
    "rules_file": (
        {
            "format": int,
            "metadata": ("object", "metadata"),
            "disclaimer": "text",
            "factors": ("list", "factor"),
            "diagnoses": ("list", "diagnosis"),
            "options": ("list", "option"),
            "sources": ("list", "source"),
        },
        {
            "estimates": ("object", "estimates"),
            "sections": ("list", "section"),
            "red_flags": ("list", "red_flag"),
            "considerations": ("list", "consideration"),
            "rules": ("list", "rule"),
            "decision_support": ("object", "decision_support"),
            "outcomes": ("list", "outcome"),
        },
    ),
    "metadata": (
        dict.fromkeys(METADATA_REQUIRED, "any"),
        {"certainty_grading": "text", "evaluation": ("object", "evaluation")},
    ),
    "evaluation": ({}, dict.fromkeys(EVALUATIONS, ("object", "evaluation_record"))),
    "evaluation_record": ({"who": "text", "when": "text", "how": "text"}, {}),
    "outcome": ({"id": "id", "title": "text"}, {}),
    "certainty": ({"level": "text", "reason": "text"}, {}),
    "estimates": ({}, {"max_combined_relative_risk": "number", "say_unchanged": "ids"}),
    "section": ({"id": "id", "title": "text"}, {}),
    "factor": (
        {"id": "id", "section": "id", "type": "text", "question": "text", "help": "text"},
        {
            "choices": ("list", "choice"),
            "min": "number",
            "max": "number",
            "unit": "text",
            "unknown": bool,
            "required": bool,
            "record_unanswered": bool,
            "ask": bool,
            "ask_when": CONDITION,
            "red_flag": bool,
            "derived_from": "ids",
            "formula": "id",
            "code": ("one", "code"),
            "max_items": int,
            "max_length": int,
            "fill_unknown": bool,
        },
    ),
    "code": ({"system": "text", "code": "text", "display": "text"}, {}),
    "choice": ({"id": "id", "label": "text"}, {}),
    "red_flag": (
        {"id": "id", "title": "text", "text": "text", "action": "text", "when": CONDITION, "sources": "ids"},
        {"level": "id"},
    ),
    "diagnosis": (
        {"id": "id", "title": "text", "about": "text", "decision": "text", "options": "ids"},
        {"sources": "ids", "compared": dict, "not_comparable": dict, "key_outcomes": "ids"},
    ),
    "option": (
        {
            "id": "id",
            "diagnosis": "id",
            "kind": "text",
            "title": "text",
            "summary": "text",
            "benefits": ("list", "finding"),
            "risks": ("list", "finding"),
            "recovery": ("list", "finding"),
        },
        {"grid": dict, "living": ("object", "living")},
    ),
    "living": ({"physical": "text", "emotional": "text", "social": "text"}, {"sources": "ids"}),
    "finding": (
        {"id": "id", "title": "text", "text": "text", "sources": "ids"},
        # when: who the finding (and its figure) is about; otherwise: the words for everyone else
        {
            "estimate": ("object", "estimate"),
            "no_figure": "text",
            "when": CONDITION,
            "otherwise": ("object", "otherwise"),
        },
    ),
    "otherwise": ({"text": "text", "no_figure": "text"}, {}),
    "consideration": (
        {"id": "id", "title": "text", "text": "text", "sources": "ids"},
        {"estimate": ("object", "estimate"), "no_figure": "text", "when": CONDITION},
    ),
    "estimate": (
        {"typical": ("object", "span"), "timeframe": "text", "reference_class": "text", "evidence": "text"},
        {
            "range": ("object", "span"),
            "bound": "text",
            "outcome": "id",
            "certainty": ("object", "certainty"),
            "per": int,
            "includes": "ids",
        },
    ),
    "span": ({"low": "number", "high": "number"}, {}),
    "rule": (
        {
            "id": "id",
            "title": "text",
            "text": "text",
            "when": CONDITION,
            "effects": ("list", "effect"),
            "sources": "ids",
        },
        {"certainty": ("object", "certainty")},
    ),
    "effect": (
        {"finding": "id"},
        {
            "relative_risk": "number",
            "odds_ratio": "number",
            "figure": ("object", "span"),
            "baseline": ("object", "span"),
            "timeframe": "text",
            "reference_class": "text",
        },
    ),
    "source": (
        {"id": "id", "citation": "text"},
        {"url": "text", "pmid": "text", "doi": "text", "secondary": ("object", "secondary_source"), "read": "text"},
    ),
    "secondary_source": ({"citation": "text", "url": "text"}, {}),
    "decision_support": (
        {},
        {
            "grid": ("list", "grid_row"),
            "priorities": ("list", "priority"),
            "leaning": "id",
            "sure": ("list", "sure_item"),
            "questions_to_ask": ("list", "question_to_ask"),
            "knowledge_check": ("list", "quiz_item"),
            "weighing": ("object", "weighing"),
            "quiz": ("object", "quiz"),
            "support": ("object", "support_factors"),
            "plan": ("object", "plan_factors"),
        },
    ),
    "weighing": (
        {
            "section": "id",
            "question": "text",
            "help": "text",
            "from_values": dict,
            "clear_gap": ("object", "clear_gap"),
            "reasons": ("list", "reason"),
        },
        {"leads": ("object", "weighing_leads")},
    ),
    "clear_gap": ({"stars": int, "share": "number"}, {}),
    "weighing_leads": ({"surgery": "text", "non_surgical": "text"}, {}),
    "reason": (
        {"id": "id", "kind": "text", "text": "text", "conditions": "ids", "finding": "id", "sources": "ids"},
        {"values": "ids"},
    ),
    "quiz": ({"section": "id", "help": "text", "choices": ("list", "choice")}, {}),
    "support_factors": ({"involved": "id", "prefers": "id", "pressure": "id"}, {}),
    "plan_factors": (
        {"steps": "id", "try_what": "id", "try_weeks": "id", "decide_by": "id", "questions": "id"},
        {},
    ),
    "grid_row": ({"id": "id", "question": "text"}, {}),
    "priority": (
        {"factor": "id", "matters": "ids", "fits": "text", "text": "text", "sources": "ids"},
        {"when": CONDITION},
    ),
    "sure_item": ({"factor": "id", "next_step": "text"}, {}),
    "question_to_ask": ({"id": "id", "text": "text"}, {"when": CONDITION}),
    "quiz_item": (
        {"id": "id", "statement": "text", "answer": bool, "explanation": "text", "sources": "ids"},
        {"when": CONDITION, "findings": "ids"},
    ),
}
