"""A few hundred realistic answers records, from a checked-in seed, for the byte-identity guard.

Run ``.venv/bin/python tests/byte_identity/people.py`` to print them as JSON Lines. The records
are made from the shipped rules' factor definitions (choice ids, number ranges, whether
"unknown" is allowed, which questions are optional), so every record is valid. They cover every
condition in every age band, each red flag (alone and with others), unknown answers, omitted
optional answers, a red flag with nothing elective answered, height and weight instead of a
BMI, and the decision-support questions.

The records answer only the questions the rules asked at 63ff436 (``FACTOR_IDS``), when
they were first made; questions added since are optional, so they stay valid answers files.

The records are checked in (``people.jsonl.xz``) beside the reports main made for them
(``reports.jsonl.xz``, ``reports-indented.json.xz``); ``tests/test_byte_identity.py`` says
why those reports are never remade.
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

from spinedecide import load_rules

SEED = 20_2026_12_01
COUNT = 420
#: Age bands (inclusive) the records cycle through with every condition.
AGE_BANDS = ((18, 39), (40, 64), (65, 79), (80, 95))
RED_FLAG_RATE = 0.035
UNKNOWN_RATE = 0.08
OMIT_OPTIONAL_RATE = 0.3
#: The questions the records answer: those the rules asked at 63ff436, when the records were
#: made. Questions added since are optional, so leaving them out keeps the records (and the
#: reports made for them) those of an answers file written then.
FACTOR_IDS = (
    "bladder_bowel",
    "saddle_numbness",
    "weakness",
    "weakness_both_legs",
    "fever_or_infection",
    "cancer_history",
    "cancer_pain_signs",
    "recent_trauma",
    "injury_severity",
    "age",
    "sex",
    "height_cm",
    "weight_kg",
    "bmi",
    "smoking",
    "diabetes",
    "heart_disease",
    "heart_failure",
    "lung_disease",
    "kidney_disease",
    "general_health",
    "condition",
    "main_symptom",
    "pain",
    "daily_function",
    "symptom_weeks",
    "numbness",
    "physical_therapy",
    "medication",
    "injections",
    "prior_spine_surgery",
    "value_fast_relief",
    "value_long_term",
    "value_avoid_surgery_risks",
    "value_time_off_work",
    "value_long_recovery",
    "value_keep_options_open",
    "leaning",
    "sure_sure",
    "sure_understand",
    "sure_risk_benefit",
    "sure_encouragement",
)


def _number(factor: Any, rng: random.Random) -> int | float:
    low, high = float(factor.min if factor.min is not None else 0), float(factor.max if factor.max is not None else 100)
    if factor.id == "symptom_weeks":
        return rng.choice([0, 2, 4, 6, 8, 12, 20, 26, 52, 104, 260])
    if factor.id == "height_cm":
        return round(rng.uniform(150, 195), 1)
    if factor.id == "weight_kg":
        return round(rng.uniform(48, 140), 1)
    if factor.id == "bmi":
        return round(rng.uniform(17, 48), 1)
    value = rng.uniform(low, high)
    return int(round(value)) if factor.type == "integer" else round(value, 1)


def _value(factor: Any, rng: random.Random) -> Any:
    if factor.unknown and rng.random() < UNKNOWN_RATE:
        return "unknown"
    if factor.type == "choice":
        if factor.red_flag:
            return rng.choice(factor.choice_ids[1:]) if rng.random() < RED_FLAG_RATE else factor.choice_ids[0]
        return rng.choice(factor.choice_ids)
    return _number(factor, rng)


def person(ruleset: Any, index: int, rng: random.Random) -> dict[str, Any]:
    """One record: condition and age band cycle with ``index``, everything else from ``rng``."""
    conditions = ruleset.factors["condition"].choice_ids
    condition = conditions[index % len(conditions)]
    low, high = AGE_BANDS[(index // len(conditions)) % len(AGE_BANDS)]
    out: dict[str, Any] = {}
    for factor in (ruleset.factors[factor_id] for factor_id in FACTOR_IDS):
        if not factor.required and rng.random() < OMIT_OPTIONAL_RATE:
            continue
        out[factor.id] = _value(factor, rng)
    out["condition"] = condition
    out["age"] = rng.randint(low, high)
    if index % 15 == 7:  # stopped at a red flag: the interview asks nothing elective after it
        flags = [f for f in ruleset.factors.values() if f.red_flag and f.required]
        flag = rng.choice(flags)
        out = {k: v for k, v in out.items() if ruleset.factors[k].red_flag or k == "age"}
        out[flag.id] = flag.choice_ids[-1]
        return out
    body = rng.random()
    if body < 0.45:  # height and weight, no BMI
        out.pop("bmi", None)
    elif body < 0.9:  # a BMI, no height and weight
        out.pop("height_cm", None)
        out.pop("weight_kg", None)
    return out


def people(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    ruleset = load_rules()
    rng = random.Random(seed)
    return [person(ruleset, i, rng) for i in range(count)]


def main() -> None:
    for record in people():
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
