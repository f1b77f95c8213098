"""Realistic, varied answers records for benchmarks (deterministic for a given seed).

The records follow the answers vocabulary in README.md, with rough real-world mixes: ages
skewed to later life, the condition depending on age, body size given as height and weight (or
BMI, or not at all), a few "unknown" answers and the odd red flag. The rules file's own
``factors`` decide what is kept: a factor the file does not know is dropped, and a required
factor this generator does not know is filled from its choices or range, so the records stay
valid while the rules file changes.
"""

from __future__ import annotations

import random
from typing import Any

from spinedecide.rules import Ruleset

TREATMENTS = ("not_tried", "helped", "partly_helped", "did_not_help")


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def person(rng: random.Random) -> dict[str, Any]:
    age = int(min(95, max(18, rng.gauss(58, 15))))
    sex = _pick(rng, {"female": 0.52, "male": 0.47, "other": 0.01})
    if age < 45:
        condition = _pick(
            rng,
            {
                "herniated_disc": 0.6,
                "back_pain_only": 0.15,
                "spondylolisthesis": 0.08,
                "instability": 0.05,
                "scoliosis": 0.04,
                "spinal_stenosis": 0.03,
                "not_sure": 0.05,
            },
        )
    else:
        condition = _pick(
            rng,
            {
                "spinal_stenosis": 0.4,
                "herniated_disc": 0.2,
                "spondylolisthesis": 0.15,
                "back_pain_only": 0.08,
                "scoliosis": 0.06,
                "instability": 0.05,
                "not_sure": 0.06,
            },
        )
    red_flag = rng.random() < 0.04
    record: dict[str, Any] = {
        "bladder_bowel": "yes" if red_flag and rng.random() < 0.4 else "no",
        "saddle_numbness": "yes" if red_flag and rng.random() < 0.3 else "no",
        "weakness": "worsening" if red_flag and rng.random() < 0.3 else _pick(rng, {"no": 0.8, "stable": 0.2}),
        "fever_or_infection": "yes" if red_flag and rng.random() < 0.2 else "no",
        "cancer_history": "yes" if rng.random() < 0.03 else "no",
        "recent_trauma": "yes" if rng.random() < 0.02 else "no",
        "age": age,
        "sex": sex,
    }
    body = rng.random()
    height = rng.gauss(176 if sex == "male" else 163, 7)
    bmi = min(55.0, max(16.0, rng.gauss(29, 5.5)))
    if body < 0.7:
        record["height_cm"] = round(height)
        record["weight_kg"] = round(bmi * (height / 100) ** 2, 1)
    elif body < 0.85:
        record["bmi"] = round(bmi, 1)
    elif body < 0.9:
        record["bmi"] = "unknown"
    p_diabetes = 0.05 + 0.002 * max(0, age - 40) + 0.01 * max(0, bmi - 30)
    record.update(
        {
            "smoking": _pick(rng, {"never": 0.5, "former": 0.3, "current": 0.18, "unknown": 0.02}),
            "diabetes": "yes" if rng.random() < p_diabetes else "no",
            "heart_disease": "yes" if rng.random() < 0.02 + 0.003 * max(0, age - 50) else "no",
            "lung_disease": "yes" if rng.random() < 0.08 else "no",
            "kidney_disease": "yes"
            if rng.random() < 0.04 + 0.002 * max(0, age - 60)
            else _pick(rng, {"no": 0.97, "unknown": 0.03}),
            "general_health": _pick(
                rng, {"excellent": 0.08, "very_good": 0.22, "good": 0.38, "fair": 0.24, "poor": 0.08}
            ),
            "condition": condition,
            "main_symptom": _pick(rng, {"leg_pain": 0.45, "back_pain": 0.2, "both": 0.35})
            if condition != "back_pain_only"
            else "back_pain",
            "pain": rng.choice(range(2, 11)),
            "daily_function": _pick(rng, {"none": 0.03, "mild": 0.22, "moderate": 0.4, "severe": 0.28, "unable": 0.07}),
            "symptom_weeks": int(rng.expovariate(1 / 40)) if rng.random() < 0.95 else "unknown",
            "numbness": _pick(rng, {"no": 0.55, "yes": 0.42, "unknown": 0.03}),
            "physical_therapy": _pick(rng, dict(zip(TREATMENTS, (0.2, 0.15, 0.4, 0.25), strict=True))),
            "medication": _pick(rng, dict(zip(TREATMENTS, (0.1, 0.15, 0.4, 0.35), strict=True))),
            "injections": _pick(rng, dict(zip(TREATMENTS, (0.55, 0.1, 0.2, 0.15), strict=True))),
            "prior_spine_surgery": "yes" if rng.random() < 0.12 else "no",
        }
    )
    return record


def fit(ruleset: Ruleset, record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Keep what the rules file knows; fill required factors it needs and the record lacks."""
    out: dict[str, Any] = {}
    for factor in ruleset.factors.values():
        value = record.get(factor.id)
        if value is not None and factor.type == "choice" and value != "unknown" and value not in factor.choice_ids:
            value = None
        if value == "unknown" and not factor.unknown:
            value = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if (factor.min is not None and value < factor.min) or (factor.max is not None and value > factor.max):
                value = None
        if value is None and factor.id in record:
            value = _fill(factor, rng)
        if value is None and factor.required and factor.ask and factor.ask_when(out):
            value = _fill(factor, rng)
        if value is not None:
            out[factor.id] = value
    return out


def _fill(factor: Any, rng: random.Random) -> Any:
    if factor.type == "choice":
        return rng.choice(factor.choice_ids)
    low = factor.min if factor.min is not None else 0
    high = factor.max if factor.max is not None else low + 100
    return rng.randint(int(low), int(high)) if factor.type == "integer" else round(rng.uniform(low, high), 1)


def records(ruleset: Ruleset, count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [fit(ruleset, person(rng), rng) for _ in range(count)]
