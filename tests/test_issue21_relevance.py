"""Issue 21: ask only what can matter, and the new questions the report relies on.

A question whose answer cannot change anything in a person's report beyond being echoed is not
asked (relevance.py works this out from the rules at load). The four new questions (walking for
stenosis, strong painkillers, blood thinners, living alone) each change something visible, are
optional everywhere, and are left out of reports made from answers files that lack them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, run_cli, write_answers

from spinedecide import assess, load_rules, relevance
from spinedecide.interview import pending

SHIPPED = load_rules()

BASE: dict[str, Any] = {
    "bladder_bowel": "no",
    "saddle_numbness": "no",
    "weakness": "no",
    "fever_or_infection": "no",
    "cancer_history": "no",
    "recent_trauma": "no",
    "age": 58,
    "height_cm": 172,
    "weight_kg": 80,
    "smoking": "never",
    "diabetes": "no",
    "heart_disease": "no",
    "lung_disease": "no",
    "kidney_disease": "no",
    "general_health": "good",
    "main_symptom": "leg_pain",
    "pain": 6,
    "daily_function": "moderate",
    "symptom_weeks": 20,
    "numbness": "no",
    "physical_therapy": "did_not_help",
    "medication": "partly_helped",
    "injections": "not_tried",
    "prior_spine_surgery": "no",
}

#: What a report shows beyond echoing the answers.
ECHO = ("answers", "no_figure_changed", "explanations")


def _shown(answers: dict[str, Any]) -> dict[str, Any]:
    report = assess(SHIPPED, answers).to_dict()
    return {k: v for k, v in report.items() if k not in ECHO}


def _values(factor_id: str) -> list[Any]:
    factor = SHIPPED.factors[factor_id]
    if factor.type == "choice":
        return list(factor.choice_ids)
    low, high = factor.min or 0, factor.max or 0
    return sorted(v for v in {low, (low + high) // 2, high, 1, 7, 30} if low <= v <= high)


@pytest.mark.parametrize("condition", relevance.conditions(SHIPPED))
def test_a_question_left_out_changes_nothing_in_that_condition_s_report(condition: str) -> None:
    skipped = [f.id for f in SHIPPED.questions() if not relevance.can_matter(SHIPPED, f.id, {"condition": condition})]
    for factor_id in skipped:
        reports = []
        for value in _values(factor_id):
            answers = {**BASE, "condition": condition, factor_id: value}
            if not SHIPPED.factors[factor_id].ask_when(answers):
                continue
            reports.append(_shown(answers))
        assert all(r == reports[0] for r in reports), f"{factor_id} changes the {condition} report"


def test_the_shipped_rules_measure_as_the_issue_says() -> None:
    # Daily function changes nothing for a herniated disc, so it is not asked; it can for stenosis.
    disc = {**BASE, "condition": "herniated_disc"}
    assert not relevance.can_matter(SHIPPED, "daily_function", disc)
    assert relevance.can_matter(SHIPPED, "daily_function", {"condition": "spinal_stenosis"})
    # Physical therapy is read for a herniated disc since the "what guidelines advise first"
    # considerations (not_tried_sciatica, care_did_not_help_sciatica): it is asked.
    assert relevance.can_matter(SHIPPED, "physical_therapy", disc)
    untried = {**disc, "physical_therapy": "not_tried", "medication": "not_tried"}
    ids = {c["id"] for c in _shown(untried)["considerations"]}
    tried = {c["id"] for c in _shown({**untried, "physical_therapy": "helped"})["considerations"]}
    assert "not_tried_sciatica" in ids and "not_tried_sciatica" not in tried


def test_the_interview_skips_what_cannot_matter_once_the_condition_is_known() -> None:
    before = {k: v for k, v in BASE.items() if k in ("bladder_bowel", "age")}
    assert "daily_function" in [f.id for f in pending(SHIPPED, before)]  # it may matter for some condition
    disc = {k: v for k, v in BASE.items() if k not in ("daily_function", "pain")} | {"condition": "herniated_disc"}
    assert "pain" in [f.id for f in pending(SHIPPED, disc)]
    assert "daily_function" not in [f.id for f in pending(SHIPPED, disc)]
    stenosis = {**disc, "condition": "spinal_stenosis"}
    assert "daily_function" in [f.id for f in pending(SHIPPED, stenosis)]


def test_no_input_does_not_require_an_answer_that_cannot_matter(tmp_path: Path) -> None:
    answers = {k: v for k, v in BASE.items() if k != "daily_function"} | {"condition": "herniated_disc"}
    result = run_cli("ask", "--answers", str(write_answers(tmp_path / "a.yaml", answers)), "--no-input",
                     "--format", "json")  # fmt: skip
    assert result.json["diagnosis"]["id"] == "herniated_disc"
    stenosis = {**answers, "condition": "spinal_stenosis"}
    refused = run_cli("ask", "--answers", str(write_answers(tmp_path / "b.yaml", stenosis)), "--no-input",
                      expect=2)  # fmt: skip
    assert "daily_function" in refused.stderr


def test_rules_check_lists_a_question_no_report_can_use(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: hardware_check\n", "  - id: hardware_check_gone\n").replace(
        'when: {hardware: "yes"}', "when: {smoking: current}"
    )
    rules = tmp_path / "rules.yaml"
    rules.write_text(text, encoding="utf-8")
    result = run_cli("rules", "check", str(rules))
    assert re.search(r"warning: .*factor 'hardware': no report can use its answer", result.stdout), result.stdout
    assert relevance.unused(load_rules(rules)) == ["hardware"]
    assert relevance.unused(SHIPPED) == []


# --- the new questions: each does something visible, where it applies -----------------------


def _ids(answers: dict[str, Any], part: str) -> set[str]:
    return {item["id"] if isinstance(item, dict) else item[0] for item in _shown(answers)[part]}


@pytest.mark.parametrize(
    ("factor", "yes", "no", "base", "consideration", "question"),
    [
        ("blood_thinners", "yes", "no", {}, "blood_thinners", "ask_blood_thinners"),
        ("lives_alone", "yes", "no", {"age": 50}, "living_alone_plan", "ask_help_living_alone"),  # a disc
        ("lives_alone", "yes", "no", {"age": 50, "condition": "instability"}, "living_alone", "ask_help_living_alone"),
        ("opioids", "yes", "no", {}, None, "ask_opioids"),
        ("walking_limit", "no", "short", {"condition": "spinal_stenosis"}, "walking_and_stenosis", None),
        ("walking_limit", "short", "no", {"condition": "spinal_stenosis"}, None, "ask_walking"),
    ],
)
def test_each_new_fact_changes_the_report(factor, yes, no, base, consideration, question) -> None:
    answers = {**BASE, "condition": "herniated_disc", **base}
    with_it, without = {**answers, factor: yes}, {**answers, factor: no}
    if consideration:
        assert consideration in _ids(with_it, "considerations")
        assert consideration not in _ids(without, "considerations")
    if question:
        assert question in _ids(with_it, "questions_to_ask")
        assert question not in _ids(without, "questions_to_ask")


def test_walking_is_asked_for_stenosis_and_a_slip_only() -> None:
    walking = SHIPPED.factors["walking_limit"]
    for condition in relevance.conditions(SHIPPED):
        asked = walking.ask_when({"condition": condition}) and relevance.can_matter(
            SHIPPED, "walking_limit", {"condition": condition}
        )
        assert asked == (condition in ("spinal_stenosis", "spondylolisthesis")), condition


def test_new_questions_are_optional_and_left_out_when_not_answered(tmp_path: Path) -> None:
    answers = {**BASE, "condition": "spinal_stenosis"}
    result = run_cli("ask", "--answers", str(write_answers(tmp_path / "a.yaml", answers)), "--no-input",
                     "--format", "json")  # fmt: skip
    for new in ("walking_limit", "opioids", "blood_thinners", "lives_alone"):
        assert new not in result.json["answers"]
    text = run_cli("ask", "--answers", str(tmp_path / "a.yaml"), "--no-input", "--format", "text").stdout
    assert "Do you live alone" not in text and "thin your blood" not in text


# --- the README's question counts ---------------------------------------------------------------


def test_the_readme_question_counts_are_today_s() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert relevance.counts_table(SHIPPED) in readme, "run: python -m spinedecide.relevance (and paste into README)"


def test_the_first_count_is_what_one_condition_can_need_not_every_conditions_added_up():
    # Patient review (docs/reviews, 2026-12-01, second pass): "Question 1 of 91" at the start,
    # dropping to 51 once the condition was answered, nearly put the person off. Before the
    # condition is known, the questions after it are counted for the condition that needs the most.
    from helpers import run_cli

    from spinedecide import load_rules
    from spinedecide.relevance import counted

    result = run_cli("ask", "--format", "json", input="\n", expect=130)
    first = int(result.stderr.split("Question 1 of ", 1)[1].split()[0])
    most = max(high for _low, high, _values in counted(load_rules()).values())
    assert first <= most, (first, most)
