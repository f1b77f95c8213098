from __future__ import annotations

import json

import pytest
from contract import check_contract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinedecide import assess
from spinedecide.render.json import dumps


def finding(report, fid):
    for option in report.options:
        for f in (*option.benefits, *option.risks, *option.recovery):
            if f.id == fid:
                return f
    for f in report.considerations:
        if f.id == fid:
            return f
    raise KeyError(fid)


def test_typical_report(minimal, base_answers):
    report = assess(minimal, base_answers)
    data = report.to_dict()
    assert data["urgent"] is False
    assert [o["id"] for o in data["options"]] == ["op", "wait"]
    assert data["fired_rules"] == []
    infection = finding(report, "op_infection").estimate
    assert (infection.low, infection.high, infection.tailored) == (2, 2, False)
    assert data["rules"]["version"] == "0.0.1" and len(data["rules"]["sha256"]) == 64
    assert {s["id"] for s in data["sources"]} == {"s1", "s2"}


def test_relative_risks_multiply_and_are_capped(minimal, base_answers):
    one = assess(minimal, {**base_answers, "smoking": "current"})
    assert finding(one, "op_infection").estimate.low == 4
    assert finding(one, "op_infection").estimate.approximate is True
    assert finding(one, "op_infection").notes == ("Smoking doubles it.",)
    assert one.fired_rules == ("smoking_infection",)
    both = assess(minimal, {**base_answers, "smoking": "current", "diabetes": "yes", "bmi": 35})
    # 2 x 2 x 1.5 = 6, capped at 3 (max_combined_relative_risk) -> 2 * 3 = 6 in 100
    assert finding(both, "op_infection").estimate.low == 6
    assert finding(both, "op_infection").estimate.typical_low == 2
    assert finding(both, "op_infection").estimate.capped is True
    assert finding(one, "op_infection").estimate.capped is False
    changes = {e.id: e.changes for e in both.explanations if e.kind == "rule"}
    assert changes == {
        "smoking_infection": ("op_infection x 2",),
        "diabetes_infection": ("op_infection x 2",),
        "obese_infection": ("op_infection x 1.5",),
    }


def test_odds_ratios_are_turned_into_relative_risks_at_the_figure():
    from spinedecide.estimates import relative_risk_of, tailor
    from spinedecide.rules import Effect, Estimate

    # Zhang & Yu (JAMA 1998): RR = OR / (1 - p + p x OR). Odds x 1.4 on 30 in 100 is x 1.25.
    assert relative_risk_of([1.4], 30) == pytest.approx(1.25)
    assert relative_risk_of([1.4], 0) == pytest.approx(1.4)  # rare outcomes: OR is about RR
    assert relative_risk_of([3.0], 100) == pytest.approx(1.0)  # never past 100
    assert relative_risk_of([], 30) == 1.0
    common = Estimate(low=20, high=30, timeframe="t", reference_class="r", evidence="cohort")
    odds = tailor(common, [Effect("f", odds_ratio=1.4)], 3.0)
    as_risk = tailor(common, [Effect("f", relative_risk=1.4)], 3.0)
    assert (odds.low, odds.high) == (26, 38)  # 20 x 1.4/1.08 = 25.9; 30 x 1.25 = 37.5
    assert (as_risk.low, as_risk.high) == (28, 42)  # what reading the OR as an RR would claim
    assert odds.approximate and odds.tailored and not odds.capped
    rare = Estimate(low=1, high=1, timeframe="t", reference_class="r", evidence="cohort")
    assert tailor(rare, [Effect("f", odds_ratio=2.0)], 3.0).high == 2  # 1.98, about the RR
    # Odds ratios and relative risks combine, and the cap still holds.
    both = tailor(common, [Effect("f", odds_ratio=4.0), Effect("f", relative_risk=2.0)], 3.0)
    assert both.high == 90 and both.capped  # 30 x 2 x (4/1.9) = 126: held at 3 x 30
    # Many large (or small) ratios never overflow into a NaN figure or a division by zero.
    huge = tailor(common, [Effect("f", odds_ratio=1000.0)] * 120, 3.0)
    assert (huge.low, huge.high, huge.capped) == (60, 90, True)
    certain = Estimate(low=100, high=100, timeframe="t", reference_class="r", evidence="cohort")
    assert tailor(certain, [Effect("f", odds_ratio=0.001)] * 120, 3.0).high == 100  # odds of 100 in 100 are infinite


def test_an_odds_ratio_rule_in_a_rules_file_is_explained(minimal_path, base_answers):
    from spinedecide.rules import parse_rules

    text = minimal_path.read_text(encoding="utf-8").replace(
        "{finding: op_infection, relative_risk: 1.5}", "{finding: op_infection, odds_ratio: 1.5}"
    )
    rules = parse_rules(text.encode(), "clinic.yaml")
    report = assess(rules, {**base_answers, "bmi": 35})
    assert finding(report, "op_infection").estimate.high == 3  # 2 in 100: 1.5 / 1.01 x 2 = 2.97
    assert [e.changes for e in report.explanations if e.id == "obese_infection"] == [("op_infection: odds x 1.5",)]


def test_subgroup_figure_replaces_typical(minimal, base_answers):
    report = assess(minimal, {**base_answers, "age": 85})
    death = finding(report, "op_death").estimate
    assert (death.low, death.typical_low, death.timeframe, death.reference_class) == (
        0.4,
        0.1,
        "within 30 days",
        "people over 80",
    )
    assert death.typical_timeframe == "in hospital"  # the typical figure keeps its own time frame
    assert "4 in 1,000 people like you (typical: 1 in 1,000, in hospital), within 30 days" in __import__(
        "spinedecide.render.common", fromlist=["x"]
    ).figure_phrase(death)
    assert [e.changes for e in report.explanations if e.id == "old_death"] == [("op_death = 0.4 in 100",)]
    assert death.approximate is False


def test_considerations_follow_answers(minimal, base_answers):
    assert [c.id for c in assess(minimal, base_answers).considerations] == []
    assert [c.id for c in assess(minimal, {**base_answers, "smoking": "current"}).considerations] == ["stop_smoking"]


def test_red_flag_makes_report_urgent(minimal, base_answers):
    report = assess(minimal, {**base_answers, "bladder_bowel": "yes"}).to_dict()
    assert report["urgent"] is True
    assert report["urgent_reasons"][0]["id"] == "ces"
    assert report["urgent_reasons"][0]["action"] == "Go now."


def test_unknown_answers_are_reported_as_not_tailored(minimal, base_answers):
    report = assess(minimal, {**base_answers, "smoking": "unknown"})
    assert [(n.factor, n.rules) for n in report.not_tailored] == [("smoking", ("smoking_infection",))]


def test_not_sure_has_no_options(minimal, base_answers):
    report = assess(minimal, {**base_answers, "condition": "not_sure", "hardware": "no"})
    assert report.options == ()
    assert report.diagnosis["id"] == "not_sure"


def test_explanations_name_rule_condition_and_answers(minimal, base_answers):
    report = assess(minimal, {**base_answers, "smoking": "current", "age": 81}).to_dict()
    rules = {e["id"]: e for e in report["explanations"] if e["kind"] == "rule"}
    assert rules["old_death"]["condition"] == "age ≥ 80"
    assert rules["old_death"]["answers"] == {"age": 81}
    assert rules["smoking_infection"]["findings"] == ["op_infection"]


def test_json_is_byte_identical_for_the_same_input(minimal, base_answers):
    first = dumps(assess(minimal, dict(base_answers)))
    second = dumps(assess(minimal, dict(reversed(list(base_answers.items())))))
    assert first == second
    assert "20" not in json.loads(first)["rules"].get("generated", "")  # no timestamps


# --- properties ----------------------------------------------------------------------------

answers_strategy = st.fixed_dictionaries(
    {
        "bladder_bowel": st.sampled_from(["no", "yes"]),
        "age": st.integers(18, 110),
        "smoking": st.sampled_from(["never", "former", "current", "unknown"]),
        "diabetes": st.sampled_from(["no", "yes", "unknown"]),
        "bmi": st.one_of(st.floats(10, 90, allow_nan=False), st.just("unknown")),
        "condition": st.just("disc"),
    }
)


def all_estimates(report):
    for option in report.options:
        for f in (*option.benefits, *option.risks, *option.recovery):
            if f.estimate:
                yield f


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(answers=answers_strategy)
def test_estimates_stay_in_range(minimal, answers):
    report = assess(minimal, answers)
    check_contract(report.to_dict())
    for f in all_estimates(report):
        e = f.estimate
        assert 0 <= e.low <= e.high <= 100
        assert 0 <= e.typical_low <= e.typical_high <= 100
        assert e.timeframe and f.sources


RISK_FACTORS = [("smoking", "current"), ("diabetes", "yes"), ("bmi", 41.0)]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(answers=answers_strategy, factor=st.sampled_from(RISK_FACTORS), older=st.integers(0, 40))
def test_a_risk_factor_never_lowers_a_risk(minimal, answers, factor, older):
    before = {f.id: f.estimate for f in all_estimates(assess(minimal, answers)) if f.kind == "risk"}
    key, value = factor
    worse = {**answers, key: value, "age": min(110, answers["age"] + older)}
    after = {f.id: f.estimate for f in all_estimates(assess(minimal, worse)) if f.kind == "risk"}
    for fid, estimate in before.items():
        assert after[fid].low >= estimate.low and after[fid].high >= estimate.high, fid
