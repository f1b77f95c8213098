"""Issue 21, the deliberation: weighing reasons, a scored knowledge check, support and pressure, a
plan. Through the API, the command line (CliRunner with typed input) and every format. (The
real-terminal tests are in test_pty.py.)"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract import check_contract
from helpers import ROOT, run_cli, write_answers

from spinedecide import assess, load_rules
from spinedecide.answers import validate
from spinedecide.errors import AnswersError, RulesError
from spinedecide.render import render
from spinedecide.rules import parse_rules

RULES = load_rules()
BASE = yaml.safe_load((ROOT / "tests" / "golden" / "sciatica_early_young.answers.yaml").read_text())
#: Without one required answer, so that a script's (not a terminal's) interview runs: it asks the
#: missing answer first, then the optional questions that apply.
# The interview then asks only the missing prior_spine_surgery before the deliberation (the optional
# questions the report relies on, e.g. blood thinners, are answered here so the typed lines land).
NEW_OPTIONAL = {"lives_alone": "no", "blood_thinners": "no", "opioids": "no", "walking_limit": "long"}
INCOMPLETE = {k: v for k, v in {**BASE, **NEW_OPTIONAL}.items() if k != "prior_spine_surgery"}
HD = [r for r in RULES.support.weighing.reasons if "herniated_disc" in r.conditions]
SURGERY = [r.factor for r in HD if r.kind == "surgery"]
OTHER = [r.factor for r in HD if r.kind == "non_surgical"]


@pytest.fixture(autouse=True)
def _every_report_here_keeps_the_contract(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every report these tests make validates against the strict generated schema (contract.py),
    deliberation included."""
    made: list[Any] = []
    plain = assess

    def checked(rules: Any, answers: Any, *args: Any, **kwargs: Any) -> Any:
        report = plain(rules, answers, *args, **kwargs)
        check_contract(report.to_dict())
        made.append(report)
        return report

    monkeypatch.setitem(globals(), "assess", checked)
    return made


def test_the_deliberation_reports_here_are_checked_against_the_schema(_every_report_here_keeps_the_contract):
    d = assess(RULES, {**BASE, **PLAN, **stars([5] * len(SURGERY), [0] * len(OTHER)), "quiz_sciatica_settles": "false"})
    assert _every_report_here_keeps_the_contract == [d]
    assert all(d.to_dict()["deliberation"][k] is not None for k in ("weighing", "quiz", "support", "plan"))


def stars(surgery: list[int], other: list[int]) -> dict[str, int]:
    return {**dict(zip(SURGERY, surgery, strict=True)), **dict(zip(OTHER, other, strict=True))}


def weighing(**answers: Any) -> Any:
    return assess(RULES, {**BASE, **answers}).deliberation.weighing


def text_of(report: Any, fmt: str) -> str:
    out = io.StringIO()
    render(report, fmt, out, width=100, color=False)
    return out.getvalue()


# -- weighing -----------------------------------------------------------------------------------


def test_the_reasons_are_balanced_and_each_points_to_a_card_in_the_report():
    for d in RULES.diagnoses.values():
        reasons = [r for r in RULES.support.weighing.reasons if d.id in r.conditions]
        if not d.options:
            assert not reasons
            continue
        kinds = [r.kind for r in reasons]
        assert kinds.count("surgery") == kinds.count("non_surgical") >= 1, d.id
        report = assess(RULES, {**BASE, "condition": d.id, **{r.factor: 1 for r in reasons}})
        w = report.deliberation.weighing
        assert w is not None and all(r.card is not None for r in w.reasons), d.id
        cited = {s.id for s in report.sources}
        assert all(set(r.sources) <= cited for r in w.reasons), d.id


@pytest.mark.parametrize(
    ("surgery", "other", "result", "leans_to"),
    [
        ([5, 4, 2], [1, 2, 3], "leans", "surgery"),  # 11 vs 6: 5 stars, 45%
        ([1, 1, 1], [2, 2, 2], "leans", "non_surgical"),  # 3 vs 6: 3 stars, 50%
        ([5, 5, 5], [4, 4, 4], "no_clear_gap", None),  # 15 vs 12: 3 stars but 20%
        ([2, 2, 1], [2, 2, 2], "no_clear_gap", None),  # 5 vs 6: 1 star
        ([0, 0, 0], [0, 0, 0], "no_clear_gap", None),
    ],
)
def test_the_lean_is_said_only_when_the_gap_is_clear(surgery, other, result, leans_to):
    w = weighing(**stars(surgery, other))
    assert (w.result, w.leans_to) == (result, leans_to)
    assert [s.stars for s in w.sides] == [sum(surgery), sum(other)]
    text = " ".join(text_of(assess(RULES, {**BASE, **stars(surgery, other)}), "text").split())
    if result == "leans":
        assert "Your own ratings lean towards" in text and "This is not advice." in text
    else:
        assert "Your ratings do not clearly favour either." in text and "lean towards" not in text
    rule = "only if you rated every reason. One total must also be ahead by at least 3 stars, and by at least 25%"
    assert rule in text


def test_no_lean_until_every_reason_is_rated():
    answers = stars([5, 5, 5], [0, 0, 0])
    answers.pop(OTHER[0])
    w = weighing(**answers)
    assert w.result == "not_all_rated" and w.leans_to is None
    assert [(s.rated, s.reasons) for s in w.sides] == [(3, 3), (2, 3)]


def test_value_answers_are_mapped_0_3_5_the_highest_counting_and_a_rating_wins():
    w = weighing(value_fast_relief="somewhat", value_long_recovery="very", value_avoid_surgery_risks="not_important")
    by_id = {r.id: r for r in w.reasons}
    assert (by_id["hd_relief_sooner"].stars, by_id["hd_relief_sooner"].rated_by) == (5, "value_long_recovery")
    assert (by_id["hd_no_op_risks"].stars, by_id["hd_no_op_risks"].rated_by) == (0, "value_avoid_surgery_risks")
    assert by_id["hd_better_years"].stars is None
    w = weighing(value_fast_relief="very", weigh_hd_relief_sooner=1)
    assert {r.id: r.stars for r in w.reasons}["hd_relief_sooner"] == 1
    # value_long_term favours neither option for a herniated disc: listed as not counted
    w = weighing(value_long_term="very")
    assert [f for f, _q, _a in w.not_counted] == ["value_long_term"]


def test_without_ratings_or_values_there_is_no_weighing_and_no_deliberation():
    d = assess(RULES, BASE).to_dict()["deliberation"]
    assert d == {"weighing": None, "quiz": None, "support": None, "plan": None}


def test_old_value_answers_no_longer_give_a_verdict_per_value_in_any_human_format():
    report = assess(RULES, {**BASE, "value_fast_relief": "very", "value_avoid_surgery_risks": "not_important"})
    assert report.to_dict()["priorities"]  # the JSON keeps priorities (1.x)
    for fmt in ("text", "markdown", "html", "rich"):
        out = text_of(report, fmt)
        assert "tends to fit" not in out.lower() and "weighing your reasons" in out.lower(), fmt


def test_stars_have_an_ascii_form():
    from spinedecide.display import to_ascii

    assert to_ascii("★★★☆☆ 3") == "***-- 3"


# -- knowledge check ----------------------------------------------------------------------------


def test_the_quiz_is_scored_and_a_wrong_answer_points_to_its_card():
    report = assess(
        RULES, {**BASE, "quiz_sciatica_settles": "true", "quiz_early_surgery": True, "quiz_change_mind": "unsure"}
    )
    q = report.deliberation.quiz
    assert (q.right, q.answered, len(q.items)) == (1, 3, 3)
    wrong = {i.id: i for i in q.items}["quiz_early_surgery"]
    assert not wrong.right and wrong.card.finding == "discectomy_faster_relief"
    text = " ".join(text_of(report, "text").split())
    assert "You answered 1 of 3 right." in text
    assert "Your answer: True (not right). The answer is False." in text
    assert "Read more in this report: “Leg pain eases sooner; recovery at 1 year”, under Discectomy" in text
    # the score comes before the answers
    assert text.index("You answered 1 of 3 right.") < text.index("The answer is False.")


def test_an_unanswered_quiz_keeps_todays_statements_with_answers():
    report = assess(RULES, BASE)
    assert report.deliberation.quiz is None
    text = " ".join(text_of(report, "text").split())
    assert "True or false? For most people with sciatica" in text and "You answered" not in text


def test_a_partly_answered_quiz_says_not_answered():
    q = assess(RULES, {**BASE, "quiz_sciatica_settles": "true"}).deliberation.quiz
    assert (q.right, q.answered) == (1, 1)
    assert "1 of 3 right. 2 not answered." in " ".join(
        text_of(assess(RULES, {**BASE, "quiz_sciatica_settles": "true"}), "text").split()
    )


# -- support and plan ---------------------------------------------------------------------------

PLAN = {
    "support_involved": "partner, clinician",
    "support_prefers": "surgery",
    "support_pressure": "yes",
    "plan_steps": ["talk_surgeon", "try_treatment", "decide_by"],
    "plan_try_what": "physical therapy",
    "plan_try_weeks": "3 months",
    "plan_decide_by": "2099-02-01",
    "plan_questions": ["Can I drive after it?", "What if <b>it</b> *fails* | [x](http://e.test)?"],
}


def test_support_and_plan_are_in_the_report_and_the_note():
    report = assess(RULES, {**BASE, **PLAN})
    d = report.to_dict()["deliberation"]
    assert d["support"] == {"involved": ["partner", "clinician"], "prefers": "surgery", "pressure": "yes"}
    assert d["plan"]["steps"] == ["talk_surgeon", "try_treatment", "decide_by"]
    assert (d["plan"]["try_weeks"], d["plan"]["decide_by"]) == (13, "2099-02-01")
    text = " ".join(text_of(report, "text").split())
    assert "Who else is involved: my partner, a doctor, nurse or therapist." in text
    assert "The choice is yours." in text
    assert "Try physical therapy first, for 13 weeks." in text and "Decide by 2099-02-01." in text
    note = text_of(report, "note")
    assert (
        "Others: involved: my partner, a doctor, nurse or therapist; they prefer: an operation; pressure: yes." in note
    )
    assert "Patient's question: Can I drive after it?" in note


def test_the_persons_own_questions_are_escaped_in_every_format():
    report = assess(RULES, {**BASE, **PLAN})
    html = text_of(report, "html")
    assert "&lt;b&gt;it&lt;/b&gt;" in html and "<b>it</b>" not in html
    md = text_of(report, "markdown")
    assert r"\<b\>it\</b\>" in md or "&lt;b&gt;" in md
    assert r"\*fails\*" in md and r"\[x\]" in md and "*fails*" not in md.replace(r"\*fails\*", "")
    assert json.loads(json.dumps(report.to_dict()))["deliberation"]["plan"]["questions"][1].startswith("What if <b>")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"plan_decide_by": "2026-11-30"}, "2026-11-30 is in the past; give today's date (2026-12-01) or a later one"),
        ({"plan_decide_by": "31/01/2027"}, "could not read '31/01/2027' as a date"),
        ({"plan_questions": ["ok", "a bell\x07 here"]}, "answer 2: character 7 is a control character, U+0007"),
        ({"plan_questions": ["x" * 301]}, "answer 1: 301 characters long; at most 300"),
        ({"plan_questions": ["q"] * 6}, "6 answers given; at most 5"),
        ({"plan_try_what": "right\u202eleft"}, "is a control character, U+202E"),
        ({"support_involved": "partner, cousin"}, "'cousin' is not one of the choices"),
        ({"weigh_hd_relief_sooner": 6}, "out of range; expected 0 to 5"),
    ],
)
def test_bad_deliberation_answers_are_refused_naming_the_field(answer, message):
    with pytest.raises(AnswersError) as err:
        validate(RULES, {**BASE, **answer}, today=date(2026, 12, 1))
    (problem,) = err.value.problems
    assert problem.field == next(iter(answer)) and message in problem.message, problem.message
    assert "\x07" not in str(err.value) and "\u202e" not in str(err.value)


def test_a_saved_date_that_has_passed_still_reads_the_same_tomorrow():
    # An answers file that gave a report yesterday gives the same report tomorrow: only a date
    # typed in the interview (which passes today's date) must not be in the past.
    old = {**BASE, "plan_steps": ["decide_by"], "plan_decide_by": "2020-01-01"}
    assert validate(RULES, old).values["plan_decide_by"] == "2020-01-01"
    assert assess(RULES, old).to_dict()["deliberation"]["plan"]["decide_by"] == "2020-01-01"


def test_the_date_check_uses_the_date_it_is_given_and_today_is_fine():
    assert (
        validate(RULES, {**BASE, "plan_decide_by": "2026-12-01"}, today=date(2026, 12, 1)).values["plan_decide_by"]
        == "2026-12-01"
    )
    assert validate(RULES, {**BASE, "plan_decide_by": date(2030, 1, 2)}).values["plan_decide_by"] == "2030-01-02"


def test_new_answers_work_from_set_and_an_answers_file(tmp_path: Path):
    path = write_answers(tmp_path / "me.yaml", BASE)
    result = run_cli(
        "ask", "--answers", path, "--no-input", "--format", "json",
        "--set", "support_involved=family,friend", "--set", "weigh_hd_relief_sooner=4",
        "--set", "quiz_early_surgery=false", "--set", "plan_questions=Is it safe?",
    )  # fmt: skip
    d = result.json["deliberation"]
    assert d["support"]["involved"] == ["family", "friend"]
    assert d["quiz"]["right"] == 1 and d["plan"]["questions"] == ["Is it safe?"]
    assert {r["id"]: r["stars"] for r in d["weighing"]["reasons"]}["hd_relief_sooner"] == 4


def test_no_deliberation_after_a_red_flag():
    report = assess(RULES, {**BASE, **PLAN, "bladder_bowel": "yes", "weigh_hd_relief_sooner": 5})
    assert report.urgent and report.to_dict()["deliberation"] == {
        "weighing": None,
        "quiz": None,
        "support": None,
        "plan": None,
    }


# -- the interview (typed input) ------------------------------------------------------------------


def test_the_interview_asks_quiz_weighing_support_and_plan(tmp_path: Path):
    path = write_answers(tmp_path / "me.yaml", INCOMPLETE)
    typed = [
        "no",  # the missing answer: an operation on the lower back before
        "1", "1", "3",  # the quiz: true, true, not sure
        "5", "1", "2", "2", "4", "3",  # the reasons, surgery and care without surgery in turns
        "3", "yes", "yes", "yes", "yes",  # leaning unsure; SURE
        "1, 9", "1 4", "3", "yes",  # involved (a bad number, then two), they differ, pressure
        "1, try treatment, 4", "physical therapy", "6", "2020-01-01", "2099-03-01",
        "Can I drive?", "What about work?", "",
    ]  # fmt: skip
    result = run_cli("ask", "--answers", path, "--format", "json", input="\n".join(typed) + "\n")
    err = result.stderr
    # every statement is asked before any right answer is shown
    assert "The answer is" not in err and "Check what you know" in err
    assert err.index("Check what you know") < err.index("Weigh your reasons") < err.index("Your next steps")
    assert "There is no choice 9." in err and "2020-01-01 is in the past" in err
    d = result.json["deliberation"]
    assert [r["stars"] for r in d["weighing"]["reasons"]] == [5, 2, 4, 1, 2, 3]
    assert d["weighing"]["result"] == "leans" and d["weighing"]["leans_to"] == "surgery"
    assert (d["quiz"]["right"], d["quiz"]["out_of"]) == (1, 3)
    assert d["support"] == {"involved": ["partner", "clinician"], "prefers": "they_differ", "pressure": "yes"}
    assert d["plan"] == {
        "steps": ["talk_surgeon", "try_treatment", "decide_by"],
        "try_what": "physical therapy",
        "try_weeks": 6,
        "decide_by": "2099-03-01",
        "questions": ["Can I drive?", "What about work?"],
    }


def test_skip_leaves_out_the_rest_of_a_part_of_the_deliberation(tmp_path: Path):
    path = write_answers(tmp_path / "me.yaml", INCOMPLETE)
    typed = ["no", "skip", "skip", "skip", "skip", "skip", "skip"]
    result = run_cli("ask", "--answers", path, "--format", "json", input="\n".join(typed) + "\n")
    assert "Skipped: Check what you know." in result.stderr and "Skipped: Your next steps." in result.stderr
    assert result.json["deliberation"] == {"weighing": None, "quiz": None, "support": None, "plan": None}
    assert not any(k.startswith(("weigh_", "quiz_", "plan_", "support_")) for k in result.json["answers"])


def test_the_old_value_questions_are_not_asked():
    asked = {f.id for f in RULES.questions()}
    assert not any(f.startswith("value_") for f in asked)
    assert {r.factor for r in RULES.support.weighing.reasons} <= asked


# -- the rules file -------------------------------------------------------------------------------


def _rules_with(edit) -> str:
    text = (ROOT / "data" / "factors.yaml").read_text()
    return edit(text)


def test_the_loader_refuses_unbalanced_reasons_and_a_card_of_another_condition():
    def unbalance(text: str) -> str:
        start = text.index("      - id: hd_short_recovery")
        end = text.index("      - id: hd_no_op_risks")
        return text[:start] + text[end:]

    with pytest.raises(RulesError) as err:
        parse_rules(_rules_with(unbalance).encode(), "factors.yaml")
    assert "'herniated_disc' needs as many reasons for each kind of option (surgery 2, non_surgical 3)" in str(
        err.value
    )

    def wrong_card(text: str) -> str:
        return text.replace("finding: discectomy_faster_relief\n", "finding: decompression_improve\n", 1)

    with pytest.raises(RulesError) as err:
        parse_rules(_rules_with(wrong_card).encode(), "factors.yaml")
    assert "finding 'decompression_improve' is not in the options of herniated_disc" in str(err.value)


@pytest.mark.parametrize(
    ("answer", "read_as"),
    [
        ({"weigh_hd_relief_sooner": "4 stars"}, ("weigh_hd_relief_sooner", 4)),
        ({"weigh_hd_relief_sooner": "1 star"}, ("weigh_hd_relief_sooner", 1)),
        ({"plan_decide_by": "1 March 2099"}, ("plan_decide_by", "2099-03-01")),
        ({"plan_decide_by": "March 1, 2099"}, ("plan_decide_by", "2099-03-01")),
        ({"plan_decide_by": "1 mar 2099"}, ("plan_decide_by", "2099-03-01")),
    ],
)
def test_stars_and_dates_are_read_as_people_type_them(answer, read_as):
    # Patient review (2026-12-01, second pass): "4 stars" and "1 March 2027" were refused.
    factor, value = read_as
    assert validate(RULES, {**BASE, **answer}).values[factor] == value


@pytest.mark.parametrize("typed", ["4 apples", "01/03/2099", "3/1/2099", "1 Smarch 2099"])
def test_a_star_or_date_that_cannot_be_read_is_refused_not_guessed(typed):
    factor = "plan_decide_by" if "/" in typed or "arch" in typed else "weigh_hd_relief_sooner"
    with pytest.raises(AnswersError) as err:
        validate(RULES, {**BASE, factor: typed})
    assert err.value.problems[0].field == factor
