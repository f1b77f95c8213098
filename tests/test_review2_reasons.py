"""Clinician review 2 (must fix): each reason to weigh stands alone, the SPORT as-treated results
say what the fair (randomised) comparison found, Wessberg is given whole or not at all, the
scoliosis reason ASLS does not support is gone, and back pain alone weighs the Froholdt result."""

from __future__ import annotations

import re

import pytest

from spinedecide import load_rules

RULES = load_rules()
REASONS = RULES.support.weighing.reasons
#: The SPORT papers (disc, stenosis, slip): their as-treated results are not a fair test.
SPORT = {"weinstein2008", "weinstein2010", "lurie2015", "weinstein2007_ds", "abdu2018", "lurie2014"}
RANDOMISED = "Compared by the group people were put in,"


def _text(reason) -> str:
    return " ".join(reason.text.split())


def test_no_reason_leans_on_another_reason_s_study():
    # Reasons are asked in turns (one kind, then the other): "the same study" points to the wrong one.
    leaning = re.compile(r"\b(same (study|trial)|that (study|trial)|this (study|trial)|the trial)\b", re.I)
    assert not [r.id for r in REASONS if leaning.search(_text(r))]


def test_every_sport_reason_for_surgery_says_it_was_not_a_fair_test_and_what_the_fair_one_found():
    sport = [r for r in REASONS if r.kind == "surgery" and SPORT & set(r.sources)]
    assert {r.id for r in sport} >= {"hd_better_years", "ss_better_sooner", "ds_better_checkups"}
    for r in sport:
        assert "this was not a fair test" in _text(r), r.id
        assert RANDOMISED in _text(r), r.id


def test_one_sport_result_is_counted_once_per_condition():
    for d in RULES.diagnoses.values():
        sport = [r.id for r in REASONS if d.id in r.conditions and r.kind == "surgery" and SPORT & set(r.sources)]
        assert len(sport) <= 1, (d.id, sport)


def test_wessberg_is_given_whole_or_not_at_all():
    for r in REASONS:
        if "wessberg2017" in r.sources:
            text = _text(r)
            assert "about half" in text and "1 in 3" in text and "1 in 8" in text, r.id


def test_scoliosis_has_no_reason_that_its_source_does_not_support():
    scoliosis = [r for r in REASONS if "scoliosis" in r.conditions]
    assert "sc_symptoms_last" not in {r.id for r in scoliosis}
    for r in scoliosis:
        if "smith2025_asls" in r.sources:
            assert "not a fair test" in _text(r), r.id  # ASLS: people chose their treatment


def test_back_pain_alone_weighs_the_nine_year_trials_against_fusion():
    other = [r for r in REASONS if "back_pain_only" in r.conditions and r.kind == "non_surgical"]
    froholdt = [r for r in other if "froholdt2012" in r.sources]
    assert froholdt and "another operation" in _text(froholdt[0]) and "9 years" in _text(froholdt[0])
    assert "bp_no_recovery" not in {r.id for r in other}


# --- should fix, the same review -------------------------------------------------------------------


def _everything(report) -> str:
    import io

    from spinedecide.render import render

    out = io.StringIO()
    render(report, "text", out, width=100, color=False)
    return " ".join(out.getvalue().split())


def _person(**answers):
    from rules_under_test import DEFAULTS

    from spinedecide import assess

    return assess(RULES, {**DEFAULTS, **answers})


def test_the_deyo_figure_does_not_claim_a_30_day_window_it_was_not_read_with():
    # clinical-review.md lists Deyo 2010's time window as not verified (item 27)
    for o in RULES.options.values():
        for f in (*o.benefits, *o.risks, *o.recovery):
            if "deyo2010" in f.sources and f.estimate is not None and f.estimate.outcome == "serious_complication":
                assert "30 days" not in f.estimate.timeframe and "not confirmed" in f.estimate.timeframe, f.id
    for age in (40, 70):
        text = _everything(_person(age=age, condition="spinal_stenosis"))
        assert "about 2 in 100 had one within 30 days" not in text


def test_the_exercise_group_s_later_surgery_is_one_number_everywhere():
    text = _everything(_person(age=40, condition="instability"))
    assert "26 in 100" in text and "27 in 100" not in text


def test_the_sport_quiz_answers_say_it_was_not_a_fair_test():
    items = {q.id: q for q in RULES.support.knowledge_check}
    for ident in ("quiz_slip_sport", "quiz_stenosis_sport"):
        explanation = " ".join(items[ident].explanation.split())
        assert "not a fair test" in explanation and "unclear" not in explanation, ident


def test_the_back_pain_fusion_question_is_asked_only_about_back_pain():
    item = next(q for q in RULES.support.knowledge_check if q.id == "quiz_fusion_back_pain")
    for condition in ("instability", "scoliosis"):
        assert not item.when({"condition": condition}), condition
    assert item.when({"condition": "back_pain_only"})


def test_the_fusion_study_on_living_alone_is_said_only_where_the_operation_may_be_a_fusion():
    def considerations(condition):
        report = _person(age=45, condition=condition, lives_alone="yes")
        return {c["id"] for c in report.to_dict()["considerations"]}

    for condition in ("herniated_disc", "spinal_stenosis"):
        shown = considerations(condition)
        assert "living_alone" not in shown and "living_alone_plan" in shown, condition
    for condition in ("spondylolisthesis", "instability", "back_pain_only", "scoliosis"):
        assert "living_alone" in considerations(condition), condition


def test_the_lean_says_it_shows_how_these_reasons_were_rated_not_what_matters():
    hd = [r for r in REASONS if "herniated_disc" in r.conditions]
    stars = {r.factor: (5 if r.kind == "surgery" else 0) for r in hd}
    text = _everything(_person(age=40, condition="herniated_disc", **stars))
    assert "Your own ratings lean towards" in text
    assert "It shows how you rated these reasons. Other things may matter more to you." in text
    assert "It shows what matters to you" not in text


def test_each_reason_is_asked_with_the_side_it_is_on_first():
    # patient review 2: a reason for surgery was read as a reason to wait
    leads = RULES.support.weighing.leads
    assert set(leads) == {"surgery", "non_surgical"} and len(set(leads.values())) == 2
    for r in REASONS:
        question = RULES.factors[r.factor].question
        assert question.startswith(f"{leads[r.kind]} {_text(r)}"), r.id
        assert question.endswith(RULES.support.weighing.question), r.id


def test_the_lean_says_when_one_reason_gives_most_stars_it_disagrees_with_the_leaning_or_a_quiz_answer_was_wrong():
    # clinician review 2, items 13 and 14: a lean from one reason, next to "Towards care without
    # surgery", after a knowledge check with wrong answers
    ds = [r for r in REASONS if "spondylolisthesis" in r.conditions]
    stars = {r.factor: 0 for r in ds}
    stars["weigh_ds_better_checkups"] = 3
    answers = {"age": 60, "condition": "spondylolisthesis", "leaning": "non_surgical", **stars}
    quiz = {"quiz_slip_sport": "false", "quiz_slip_fusion": "unsure"}
    text = _everything(_person(**answers, **quiz))
    assert "Your own ratings lean towards" in text
    assert "This is mostly because of one reason: \u201cIn a large US study, people with a slip" in text
    assert "Your ratings point a different way from where you said you are leaning." in text
    assert "Some of your answers in \u201cCheck what you know\u201d were not right" in text
    stars.update({r.factor: (3 if r.kind == "surgery" else 0) for r in ds})
    right = {"quiz_slip_sport": "true", "quiz_slip_fusion": "false"}
    text = _everything(_person(**{**answers, **stars, "leaning": "surgery"}, **right))
    assert "Your own ratings lean towards" in text  # 6 stars against 0, from two reasons
    for said in ("mostly because of one reason", "point a different way", "were not right"):
        assert said not in text, said


@pytest.mark.parametrize(("opioids", "painkillers"), [(None, True), ("no", True), ("unknown", True), ("yes", False)])
def test_one_painkiller_question_for_the_surgeon_not_two(opioids, painkillers):
    # clinician review 2, item 22: with strong painkillers, ask_opioids asks it; otherwise as before
    answers = {"condition": "herniated_disc", "medication": "helped"}
    if opioids:
        answers["opioids"] = opioids
    asked = {q["id"] for q in _person(**answers).to_dict()["questions_to_ask"]}
    assert ("ask_painkillers" in asked) is painkillers
    assert ("ask_opioids" in asked) is (opioids == "yes")


def test_the_list_of_questions_says_a_text_or_date_answer_is_not_a_number():
    # clinician review 2, item 23: plan_try_what, plan_decide_by and plan_questions were "a number"
    from spinedecide.fhir.questionnaire import interview_text

    lines = interview_text(RULES).splitlines()

    def answer_of(ident: str) -> str:
        at = next(i for i, line in enumerate(lines) if line.endswith(f"[{ident}]"))
        return lines[at + 1].strip()

    assert answer_of("plan_try_what") == "answer: text"
    assert answer_of("plan_questions") == "answer: text"
    assert answer_of("plan_decide_by").startswith("answer: a date")
    assert answer_of("age").startswith("answer: a whole number")
