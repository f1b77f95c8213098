"""Loading and checking the rules file (``data/factors.yaml``) into typed, compiled objects.

Every problem names the file, the line and what was expected; all problems are listed at once.
Each file owns one concern:

- ``model.py``: the typed model (frozen Structs, from a factor's choice to the Ruleset);
- ``shape.py``: the declared shape of the file (SCHEMA and the words it may use), one declaration
  driving both the loader's checks and ``spinedecide schema rules``;
- ``loading.py``: reading the file and handing it to the builder (``load_rules``, ``parse_rules``);
- ``builder.py`` and the ``build_*.py`` it stands on: building each part of the file, with
  ``checking.py`` (the builder's state and small checks) at the base;
- ``crosschecks.py``: the checks that need the whole file built first.

Start-up with the compiled snapshot imports only the model, the shape and loading; the builder
is imported when a file is parsed.
"""

from __future__ import annotations

from .loading import (
    load_rules,
    parse_rules,
    shipped_rules_path,
)
from .model import (
    READ_KINDS,
    Certainty,
    Choice,
    Code,
    DecisionSupport,
    Derivation,
    Diagnosis,
    Effect,
    Estimate,
    Factor,
    Finding,
    GridRow,
    Option,
    Outcome,
    Pair,
    Priority,
    QuestionToAsk,
    QuizItem,
    QuizSettings,
    Reason,
    RedFlag,
    Rule,
    Ruleset,
    RulesIndex,
    SecondarySource,
    Section,
    Source,
    SureItem,
    Weighing,
)
from .shape import (
    BOUNDS,
    CERTAINTY_LEVELS,
    CONDITION,
    DENOMINATORS,
    EVALUATIONS,
    EVIDENCE_KINDS,
    FACTOR_TYPES,
    FINDING_KINDS,
    FORMAT_VERSION,
    MAX_RATIO,
    MAX_RULES_BYTES,
    METADATA_REQUIRED,
    OPTION_KINDS,
    PRIORITY_FITS,
    SCHEMA,
    Spec,
)

__all__ = [
    "BOUNDS",
    "CERTAINTY_LEVELS",
    "CONDITION",
    "Certainty",
    "Choice",
    "Code",
    "DENOMINATORS",
    "DecisionSupport",
    "Derivation",
    "Diagnosis",
    "EVALUATIONS",
    "EVIDENCE_KINDS",
    "Effect",
    "Estimate",
    "FACTOR_TYPES",
    "FINDING_KINDS",
    "FORMAT_VERSION",
    "Factor",
    "Finding",
    "GridRow",
    "MAX_RATIO",
    "MAX_RULES_BYTES",
    "METADATA_REQUIRED",
    "OPTION_KINDS",
    "Option",
    "Outcome",
    "Pair",
    "PRIORITY_FITS",
    "Priority",
    "QuestionToAsk",
    "QuizItem",
    "READ_KINDS",
    "RedFlag",
    "Rule",
    "RulesIndex",
    "Ruleset",
    "SCHEMA",
    "SecondarySource",
    "Section",
    "Source",
    "Spec",
    "SureItem",
    "Weighing",
    "QuizSettings",
    "Reason",
    "load_rules",
    "parse_rules",
    "shipped_rules_path",
]
