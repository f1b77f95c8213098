"""The rules file the figure tests read: the shipped one, or SPINEDECIDE_RULES_UNDER_TEST, so that
a test can be seen to fail on an older file (tests/test_issue15_figures.py, test_review_figures.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from spinedecide import load_rules

ROOT = Path(__file__).resolve().parents[1]
UNDER_TEST = os.environ.get("SPINEDECIDE_RULES_UNDER_TEST")
RULES = load_rules(UNDER_TEST or ROOT / "data" / "factors.yaml")
#: The vignettes' default answers: a realistic person that each test changes a little.
DEFAULTS: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))[
    "defaults"
]
SURGICAL_CONDITIONS = [
    "herniated_disc",
    "spinal_stenosis",
    "spondylolisthesis",
    "scoliosis",
    "instability",
    "back_pain_only",
]
