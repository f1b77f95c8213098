"""Shared decision-making content: option grid, what matters to you, leaning, SURE, questions, quiz."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import minimal_answers
from typer.testing import CliRunner

from spinedecide import assess
from spinedecide.cli import app
from spinedecide.errors import RulesError
from spinedecide.render import render
from spinedecide.rules import parse_rules

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")

EXTRA_FACTORS = """
  - id: value_fast_relief
    section: values
    type: choice
    question: "How much does fast relief matter to you?"
    help: "Help."
    choices: [{id: little, label: "A little"}, {id: a_lot, label: "A lot"}]
    required: false
  - id: leaning
    section: values
    type: choice
    question: "Which way are you leaning?"
    help: "Help."
    choices: [{id: surgery, label: "Towards surgery"}, {id: unsure, label: "Unsure"}]
    required: false
  - id: sure_sure
    section: values
    type: choice
    question: "Do you feel sure about the best choice for you?"
    help: "Help."
    choices: [{id: "no", label: "No"}, {id: "yes", label: "Yes"}]
    required: false
  - id: sure_support
    section: values
    type: choice
    question: "Do you have enough support and advice to make a choice?"
    help: "Help."
    choices: [{id: "no", label: "No"}, {id: "yes", label: "Yes"}]
    required: false
"""

SUPPORT = """
decision_support:
  grid:
    - {id: involves, question: "What does it involve?"}
    - {id: if_wait, question: "What happens if I wait?"}
  priorities:
    - factor: value_fast_relief
      matters: [a_lot]
      fits: surgery
      text: "Surgery tends to bring faster relief."
      sources: [s1]
  leaning: leaning
  sure:
    - {factor: sure_sure, next_step: "Talk it through with someone you trust."}
    - {factor: sure_support, next_step: "Ask your doctor for more support."}
  questions_to_ask:
    - {id: ask_smoking, text: "Should I stop smoking first, and for how long?", when: {smoking: current}}
    - {id: ask_always, text: "What happens if I wait?"}
  knowledge_check:
    - {id: q1, statement: "Most people get better either way.", answer: true, \
explanation: "Both groups improved.", sources: [s2]}
"""

GRID = {
    "op": '    grid: {involves: "An operation, asleep.", if_wait: "You can still have it later."}\n'
    '    living: {physical: "A sore back for a week.", emotional: "Worry before the day.", social: '
    '"Two weeks off work.", sources: [s1]}\n',
    "wait": '    grid: {involves: "Exercise and time.", if_wait: "This is waiting."}\n'
    '    living: {physical: "Good and bad days.", emotional: "Waiting can be hard.", social: '
    '"Most people keep working."}\n',
}


def support_rules_text(grid: bool = True) -> str:
    text = MINIMAL.replace(
        '  - {id: about_you, title: "About you"}\n',
        '  - {id: about_you, title: "About you"}\n  - {id: values, title: "What matters to you"}\n',
    )
    text = text.replace("red_flags:\n  - id: ces", EXTRA_FACTORS.lstrip("\n") + "red_flags:\n  - id: ces", 1)
    if grid:
        for option, line in GRID.items():
            marker = f"  - id: {option}\n    diagnosis: disc\n"
            text = text.replace(marker, marker + line, 1)
    return text + SUPPORT


@pytest.fixture(scope="module")
def rules():
    return parse_rules(support_rules_text().encode(), "support.yaml")


ANSWERS = minimal_answers(age=60, smoking="current", bmi=24)


def test_grid_values_leaning_sure_questions_and_quiz(rules):
    report = assess(
        rules, {**ANSWERS, "value_fast_relief": "a_lot", "leaning": "unsure", "sure_sure": "no", "sure_support": "yes"}
    ).to_dict()
    assert [r["id"] for r in report["grid_rows"]] == ["involves", "if_wait"]
    assert report["options"][0]["grid"] == {
        "involves": "An operation, asleep.",
        "if_wait": "You can still have it later.",
    }
    (priority,) = report["priorities"]
    assert priority["matters"] is True and priority["fits_options"] == ["op"] and priority["answer_label"] == "A lot"
    assert report["leaning"] == {"answer": "unsure", "label": "Unsure"}
    assert report["sure"] == {
        "answers": {"sure_sure": "no", "sure_support": "yes"},
        "score": 1,
        "out_of": 2,
        "complete": True,
        "conflict": True,
        "next_steps": ["Talk it through with someone you trust."],
    }
    assert [q["id"] for q in report["questions_to_ask"]] == ["ask_smoking", "ask_always"]
    assert report["knowledge_check"][0]["answer"] is True
    assert "s2" in {s["id"] for s in report["sources"]}


def test_questions_to_ask_follow_the_answers(rules):
    report = assess(rules, {**ANSWERS, "smoking": "never"}).to_dict()
    assert [q["id"] for q in report["questions_to_ask"]] == ["ask_always"]


def test_unanswered_values_are_left_out(rules):
    report = assess(rules, ANSWERS).to_dict()
    assert report["priorities"] == [] and report["leaning"] is None and report["sure"] is None


def test_full_sure_score_is_no_conflict(rules):
    report = assess(rules, {**ANSWERS, "sure_sure": "yes", "sure_support": "yes"})
    assert report.sure is not None and report.sure.conflict is False and report.sure.next_steps == ()


@pytest.mark.parametrize("fmt", ["text", "rich", "markdown", "html"])
def test_human_formats_show_every_part(rules, fmt):
    report = assess(
        rules, {**ANSWERS, "value_fast_relief": "a_lot", "leaning": "unsure", "sure_sure": "no", "sure_support": "yes"}
    )
    out = io.StringIO()
    render(report, fmt, out, color=False, width=200)
    text = out.getvalue().lower()
    for expected in (
        "What does it involve?",
        "You can still have it later.",
        "What matters to you",
        "Surgery tends to bring faster relief.",
        "Unsure",
        "1 out of 2",
        "Talk it through with someone you trust.",
        "Should I stop smoking first",
        "True or false? Most people get better either way.",
        "A sore back for a week.",
        "Waiting can be hard.",
    ):
        assert expected.lower() in text, expected


def test_every_option_must_answer_the_grid():
    with pytest.raises(RulesError) as err:
        parse_rules(support_rules_text(grid=False).encode(), "support.yaml")
    assert "every option needs a 'grid'" in err.value.render()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "matters: [a_lot]",
            "matters: [alot]",
            "'alot' is not a choice of 'value_fast_relief' (did you mean 'a_lot'?)",
        ),
        ("fits: surgery", "fits: operation", "fits must be one of surgery, non_surgical"),
        ("leaning: leaning", "leaning: leanin", "unknown factor 'leanin' (did you mean 'leaning'?)"),
        ("{factor: sure_support,", "{factor: value_fast_relief,", "a SURE question must be answered yes or no"),
        ("sources: [s2]}", "sources: [s7]}", "unknown source 's7'"),
    ],
)
def test_bad_decision_support_is_named(old, new, message):
    text = support_rules_text().replace(old, new, 1)
    with pytest.raises(RulesError) as err:
        parse_rules(text.encode(), "support.yaml")
    assert message in err.value.render()


def test_values_are_plain_answers_for_scripts(tmp_path):
    path = tmp_path / "support.yaml"
    path.write_text(support_rules_text())
    args = ["ask", "--rules", str(path), "--format", "json", "--no-input"]
    for key, value in {
        **ANSWERS,
        "value_fast_relief": "a_lot",
        "leaning": "surgery",
        "sure_sure": "yes",
        "sure_support": "yes",
    }.items():
        args += ["--set", f"{key}={value}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert '"score": 2' in result.stdout


def test_living_with_each_option_is_in_the_report_and_checked_by_ipdas(rules):
    from msgspec.structs import replace

    from spinedecide.authoring import NOT_MET, ipdas

    report = assess(rules, ANSWERS).to_dict()
    assert report["options"][0]["living"] == {
        "physical": "A sore back for a week.",
        "emotional": "Worry before the day.",
        "social": "Two weeks off work.",
        "sources": ["s1"],
    }
    criteria = {c.number: c for c in ipdas(rules)}
    assert criteria["1.2.1"].status == "met"
    without = replace(rules, options={**rules.options, "wait": replace(rules.options["wait"], living={})})
    criteria = {c.number: c for c in ipdas(without)}
    assert criteria["1.2.1"].status == NOT_MET and "'wait'" in str(criteria["1.2.1"].details[0])


def test_the_interview_shows_the_options_before_asking_what_matters(tmp_path):
    path = tmp_path / "support.yaml"
    path.write_text(support_rules_text())
    args = ["ask", "--rules", str(path), "--format", "json"]
    for key, value in ANSWERS.items():
        if key != "condition":
            args += ["--set", f"{key}={value}"]
    # condition, then the values section: fast relief, leaning, the two SURE questions
    result = CliRunner().invoke(app, args, input="disc\na_lot\nunsure\nyes\nno\n")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    preview = err.index("Before the last questions, here are your options side by side")
    assert err.index("Which condition?") < preview < err.index("How much does fast relief matter to you?")
    assert "You can still have it later." in err[preview:]
    assert '"score": 1' in result.stdout


# One value question may have a text per condition: several priorities share a factor, each with a
# `when`, and the loader refuses any that could be shown together.
SECOND = """    - factor: value_fast_relief
      when: {condition: not_sure}
      matters: [a_lot]
      fits: non_surgical
      text: "Not known for this condition."
      sources: [s1]
"""


def per_condition_rules_text(first_when: str | None, second: str = SECOND) -> str:
    text = support_rules_text()
    head = "    - factor: value_fast_relief\n"
    if first_when is not None:
        text = text.replace(head, head + f"      when: {first_when}\n", 1)
    return text.replace("  leaning: leaning\n", second + "  leaning: leaning\n", 1)


def test_a_value_question_may_have_one_text_per_condition():
    rules = parse_rules(per_condition_rules_text("{condition: disc}").encode(), "support.yaml")
    assert [p.factor for p in rules.support.priorities] == ["value_fast_relief", "value_fast_relief"]
    disc = assess(rules, {**ANSWERS, "value_fast_relief": "a_lot"}).to_dict()["priorities"]
    assert [(p["fits"], p["text"]) for p in disc] == [("surgery", "Surgery tends to bring faster relief.")]
    other = assess(
        rules, {**ANSWERS, "condition": "not_sure", "hardware": "no", "value_fast_relief": "a_lot"}
    ).to_dict()["priorities"]
    assert [(p["fits"], p["text"]) for p in other] == [("non_surgical", "Not known for this condition.")]


@pytest.mark.parametrize(
    ("first_when", "second", "message"),
    [
        (None, SECOND, "'value_fast_relief' has several priorities, so each needs a 'when'"),
        (
            "{condition: {in: [disc, not_sure]}}",
            SECOND,
            "overlaps decision_support.priorities[0] (both are shown when condition=not_sure)",
        ),
        ("{not: {condition: disc}}", SECOND, "overlaps decision_support.priorities[0]"),
        (
            "{condition: disc}",
            SECOND.replace("{condition: not_sure}", "{age: {'>=': 60}}"),
            "may only read choice factors in 'when'",
        ),
    ],
)
def test_priorities_for_one_value_that_could_show_together_are_refused(first_when, second, message):
    with pytest.raises(RulesError) as err:
        parse_rules(per_condition_rules_text(first_when, second).encode(), "support.yaml")
    assert message in err.value.render()
