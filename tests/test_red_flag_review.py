"""The clinician review of the red flags (docs/reviews/2026-12-01-clinician.md, section A): each finding that
changed behaviour, tested through the API or the command line. Each test fails on the code of
the issue-14 merge (bddc95d)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
import yaml
from helpers import ROOT, run_cli, write_answers

from spinedecide import assess, load_rules
from spinedecide.render import FORMATS, render

EXAMPLE = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text(encoding="utf-8"))
#: The example person with no numbness, so that a past cancer alone is what is tested.
CALM = {**EXAMPLE, "numbness": "no"}
RED_FLAG_IDS = ("bladder_bowel", "saddle_numbness", "weakness", "fever_or_infection", "cancer_history", "recent_trauma")
ELECTIVE_ONLY = {k: v for k, v in CALM.items() if k not in RED_FLAG_IDS}


@pytest.fixture(scope="module")
def shipped():
    return load_rules()


def ids(report: Any) -> list[str]:
    return [r.id for r in report.urgent_reasons]


def rendered(report: Any, fmt: str) -> str:
    out = io.StringIO()
    render(report, fmt, out, color=False, width=100)
    return out.getvalue()


def flat(text: str) -> str:
    text = re.sub(r"<style>.*?</style>|<title>.*?</title>|<[^>]+>", " ", text, flags=re.S)
    text = re.sub(r"[┃┏┓┗┛━│╭╮╰╯─•>*\\=#!]", " ", text)
    return " ".join(text.split()).lower()


def typed(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


# -- item 1: a past cancer with any leg weakness or numbness is an emergency (NICE CG75) --------


@pytest.mark.parametrize("answers", [{"weakness": "stable"}, {"weakness": "worsening"}, {"numbness": "yes"}])
def test_cancer_with_weakness_or_numbness_is_an_emergency(shipped, answers):
    report = assess(shipped, {**CALM, "cancer_history": "yes", "cancer_pain_signs": "no", **answers})
    assert report.urgency == "emergency" and ids(report)[0] == "cancer_neuro"
    assert "tell them you have had cancer" in report.urgent_reasons[0].action.lower()


def test_stable_weakness_without_cancer_is_still_no_flag(shipped):
    assert not assess(shipped, {**CALM, "weakness": "stable"}).urgent


# -- item 2: a past cancer: the kind of pain decides between today and an appointment -----------


@pytest.mark.parametrize(
    ("pain", "level", "flag"),
    [
        (None, "same_day", "cancer_pain"),
        ("unknown", "same_day", "cancer_pain"),
        ("yes", "same_day", "cancer_pain"),
        ("no", "soon", "cancer"),
    ],
)
def test_a_past_cancer_is_same_day_unless_the_pain_has_none_of_the_nice_signs(shipped, pain, level, flag):
    answers = {**CALM, "cancer_history": "yes", **({"cancer_pain_signs": pain} if pain else {})}
    report = assess(shipped, answers)
    assert ids(report) == [flag] and report.urgency == level
    if level == "same_day":
        assert "within 24 hours" in report.urgent_reasons[0].action


def test_a_past_cancer_alone_gives_the_same_day_report_with_no_input(tmp_path):
    path = write_answers(tmp_path / "old.json", {"cancer_history": "yes"})  # an old answers file
    data = run_cli("ask", "--answers", str(path), "--no-input", "--format", "json").json
    assert data["urgency"] == "same_day" and [r["id"] for r in data["urgent_reasons"]] == ["cancer_pain"]


def test_the_interview_asks_about_the_pain_before_it_shows_the_cancer_flag(tmp_path):
    path = write_answers(tmp_path / "me.yaml", ELECTIVE_ONLY)
    result = run_cli(
        "ask", "--answers", str(path), "--format", "json", input=typed("no", "no", "no", "no", "yes", "yes", "")
    )
    err = result.stderr
    assert err.index("waking you at night") < err.index("URGENT: SEE A DOCTOR TODAY")
    assert result.json["urgency"] == "same_day" and result.json["elective"] == "skipped"


# -- item 3: 'soon' names an action, not an undefined time ---------------------------------------


def test_the_soon_banner_asks_for_an_appointment_now_and_names_no_time(shipped):
    report = assess(shipped, {**CALM, "fever_or_infection": "unknown"})
    assert report.banner == "Important: ask for an appointment with a doctor now, before any decision"
    assert "soon" not in report.banner.lower()
    assert not re.search(r"\b(week|days?)\b", report.banner)


# -- item 4: fever with worsening weakness is an emergency ---------------------------------------


def test_fever_with_worsening_weakness_is_an_emergency(shipped):
    report = assess(shipped, {**CALM, "fever_or_infection": "yes", "weakness": "worsening"})
    assert report.urgency == "emergency" and ids(report)[0] == "fever_weakness"
    assert assess(shipped, {**CALM, "fever_or_infection": "yes"}).urgency == "same_day"  # fever alone: today


# -- item 5: several flags: the reminder leads with the most urgent advice only ------------------


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_the_reminder_gives_the_top_advice_and_names_the_others_to_mention(shipped, fmt):
    report = assess(
        shipped,
        {"bladder_bowel": "yes", "fever_or_infection": "unknown", "cancer_history": "yes", "cancer_pain_signs": "no"},
    )
    assert ids(report) == ["cauda_equina", "infection_unsure", "cancer"]
    text = flat(rendered(report, fmt))
    tail = text[text.rindex("remember") if "remember" in text else text.rindex("advice the aid gave") :]
    assert flat(report.urgent_reasons[0].action) in tail
    assert (
        "see a doctor today" not in tail and "ask for an appointment with a doctor now" not in tail
    )  # no milder choice
    assert "also tell them about: not sure about a fever or an infection; back pain after cancer." in tail
    if fmt != "note":  # each flag's own advice stays in the urgent part
        for reason in report.urgent_reasons:
            assert flat(reason.action) in text, reason.id


def test_the_json_reminder_has_the_top_actions_and_also_tell(shipped):
    report = assess(shipped, {"bladder_bowel": "yes", "weakness": "worsening"})
    reminder = report.to_dict()["urgent_reminder"]
    assert reminder["actions"] == [report.urgent_reasons[0].action]
    assert reminder["also_tell"] == ["Leg weakness that is getting worse"]
    one = assess(shipped, {"bladder_bowel": "yes"}).to_dict()["urgent_reminder"]
    assert one["also_tell"] == []


def test_the_json_schema_allows_also_tell():
    data = run_cli("schema", "report").stdout
    schema = json.loads(data)
    assert "also_tell" in json.dumps(schema)


# -- item 6: new weakness in both legs is a possible cauda equina syndrome -----------------------


def test_weakness_in_both_legs_is_an_emergency_and_old_answers_keep_their_meaning(shipped):
    both = assess(shipped, {**CALM, "weakness": "stable", "weakness_both_legs": "yes"})
    assert ids(both) == ["cauda_equina"] and both.urgency == "emergency"
    assert not assess(shipped, {**CALM, "weakness": "stable"}).urgent  # an old file: stable, no flag
    assert ids(assess(shipped, {**CALM, "weakness": "worsening"})) == ["worsening_weakness"]


def test_the_interview_asks_about_both_legs_only_when_there_is_weakness(tmp_path):
    path = write_answers(tmp_path / "me.yaml", ELECTIVE_ONLY)
    result = run_cli("ask", "--answers", str(path), "--format", "json", input=typed("no", "no", "stable", "yes", ""))
    assert "Is the weakness in both legs" in result.stderr
    assert result.json["urgency"] == "emergency" and result.json["answers"]["weakness_both_legs"] == "yes"
    none = run_cli(
        "ask", "--answers", str(path), "--format", "json", input=typed("no", "no", "no", "no", "no", "no"), expect=None
    )
    assert "Is the weakness in both legs" not in none.stderr


def test_loss_of_feeling_during_sex_counts_as_saddle_numbness(shipped):
    assert "during sex" in shipped.factors["saddle_numbness"].help


# -- items 7, 11, 12: the questions say what they mean -------------------------------------------


def test_the_injury_and_fever_questions_are_about_this_back_pain(shipped):
    assert "this back pain start recently" in shipped.factors["recent_trauma"].question
    fever = shipped.factors["fever_or_infection"]
    assert "since this back pain" in fever.question
    # one instruction for a person who is not sure (the help said both "answer yes" and "answer unknown")
    assert "not sure, answer yes" not in fever.help and "answer unknown" in fever.help


def test_the_infection_advice_asks_about_drugs_and_weak_defences(shipped):
    action = next(f.action for f in shipped.red_flags if f.id == "infection_signs")
    assert "inject drugs" in action and "immune system" in action


# -- item 13: at 'soon', the heading over the options does not contradict the banner ------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "rich", "html"])
def test_the_soon_heading_says_read_now_but_decide_after_the_check(shipped, fmt):
    soon = flat(rendered(assess(shipped, {**CALM, "fever_or_infection": "unknown"}), fmt))
    assert "about your options (read now, but see a doctor before you decide)" in soon
    assert "for later, after you have been checked" not in soon
    today = flat(rendered(assess(shipped, {**CALM, "weakness": "worsening"}), fmt))
    assert "for later, after you have been checked" in today


def test_every_banner_and_reminder_heading_fits_an_80_column_terminal():
    from spinedecide import urgency

    for level in urgency.LEVELS:
        assert len(urgency.banner(level)) <= 80 and len(urgency.reminder(level)) <= 80, level
