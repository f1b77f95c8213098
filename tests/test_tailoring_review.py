"""Issue 15b: the clinical review's tailoring and decision-support defects (7, 8, 9, 13, 14, 15).

Each test fails on the 2026.11.2 rules file and code, and passes now.
"""

from __future__ import annotations

from typing import Any

from spinedecide import assess, load_rules

RULES = load_rules()

HEALTHY: dict[str, Any] = {
    "bladder_bowel": "no", "saddle_numbness": "no", "weakness": "no", "fever_or_infection": "no",
    "cancer_history": "no", "recent_trauma": "no", "age": 50, "smoking": "never", "diabetes": "no",
    "heart_disease": "no", "lung_disease": "no", "kidney_disease": "no", "general_health": "good",
    "main_symptom": "leg_pain", "pain": 6, "daily_function": "moderate", "symptom_weeks": 16,
    "numbness": "no", "physical_therapy": "not_tried", "medication": "not_tried",
    "injections": "not_tried", "prior_spine_surgery": "no", "bmi": 25,
}


def person(**changes: Any) -> dict[str, Any]:
    return {**HEALTHY, **changes}


def finding(report, finding_id):
    for option in report.options:
        for f in (*option.benefits, *option.risks, *option.recovery):
            if f.id == finding_id:
                return f
    raise AssertionError(f"{finding_id} not in the report")


def rule(rule_id):
    return next(r for r in RULES.rules if r.id == rule_id)


# Defect 8 ------------------------------------------------------------------------------------


def test_smoking_wound_infection_is_an_odds_ratio_and_names_the_conflicting_review():
    smoking = rule("smoking_wound_infection")
    assert smoking.effects and all(e.odds_ratio == 1.26 and e.relative_risk is None for e in smoking.effects)
    assert "zhang2018" in smoking.sources and "no clear link" in smoking.text


# Defect 13 -----------------------------------------------------------------------------------


def test_obesity_changes_a_fusion_infection_figure_by_bmi_band():
    """BMI 42 gets the 40+ band (OR 2.43), BMI 37 the 35-39.9 band (OR 1.82), not one flat ratio."""
    fid = "ds_fusion_infection"
    slip = dict(condition="spondylolisthesis")
    typical = finding(assess(RULES, person(**slip)), fid).estimate
    by_bmi = {bmi: finding(assess(RULES, person(bmi=bmi, **slip)), fid) for bmi in (32, 37, 42)}
    assert "bmi40_fusion_infection" in by_bmi[42].rules and "bmi35_fusion_infection" not in by_bmi[42].rules
    assert "bmi35_fusion_infection" in by_bmi[37].rules
    p = typical.high / 100
    for bmi, odds in ((37, 1.82), (42, 2.43)):
        expected = typical.high * odds / (1 - p + p * odds)
        assert abs(by_bmi[bmi].estimate.high - expected) < 0.06, (bmi, by_bmi[bmi].estimate, expected)
    # A gradient: the higher band never gets a lower figure; BMI 30-35 is said, not multiplied.
    assert by_bmi[32].estimate.high <= by_bmi[37].estimate.high < by_bmi[42].estimate.high
    assert by_bmi[32].estimate.high == typical.high and "bmi30_fusion_infection" in by_bmi[32].rules
