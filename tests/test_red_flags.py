"""A red flag stops the elective decision aid (issue 14): urgency levels, one banner wording,
the same advice first and last in every format, elective answers optional everywhere, and an
interview that stops (or goes on to the elective facts only)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
import yaml
from helpers import MINIMAL, ROOT, run_cli, write_answers

from spinedecide import assess, load_rules
from spinedecide.errors import RulesError
from spinedecide.render import FORMATS, render
from spinedecide.rules import parse_rules

LEVELS = ("emergency", "same_day", "soon")
#: The banner for each level, as every format and the interview say it.
BANNERS = {
    "emergency": "Emergency: go to an emergency department now, or call an ambulance",
    "same_day": "Urgent: see a doctor today",
    "soon": "Important: ask for an appointment with a doctor now, before any decision",
}


def banner(level: str) -> str:
    return BANNERS[level]


def reminder(level: str) -> str:
    return "Remember: " + BANNERS[level].split(": ", 1)[1]


EXAMPLE = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text(encoding="utf-8"))
RED_FLAG_IDS = ("bladder_bowel", "saddle_numbness", "weakness", "fever_or_infection", "cancer_history", "recent_trauma")
#: The example person with no safety answers: the interview then starts at the safety questions.
#: The example's answers without the safety ones (and the optional questions added since it was
#: written answered, so that the typed lines answer the safety questions).
ELECTIVE_ONLY = {k: v for k, v in EXAMPLE.items() if k not in RED_FLAG_IDS} | {
    "lives_alone": "no",
    "blood_thinners": "no",
    "walking_limit": "short",
    "opioids": "no",
}
#: Words of each level's advice, as every red flag's action and the banner must say them.
LEVEL_WORDS = {"emergency": "emergency department now", "same_day": "today", "soon": "appointment"}


@pytest.fixture(scope="module")
def shipped():
    return load_rules()


def rendered(report: Any, fmt: str) -> str:
    out = io.StringIO()
    render(report, fmt, out, color=False, width=100)
    return out.getvalue()


def flat(text: str) -> str:
    """Text without HTML tags, box drawing or Markdown emphasis, on one line, in lower case
    (headings are upper case in text and rich)."""
    text = re.sub(r"<style>.*?</style>|<title>.*?</title>|<[^>]+>", " ", text, flags=re.S)
    text = re.sub(r"[┃┏┓┗┛━│╭╮╰╯─•>*\\=#!]", " ", text)
    return " ".join(text.split()).lower()


# -- levels in the rules file -------------------------------------------------------------------


def test_every_shipped_red_flag_has_a_level_and_its_advice_says_the_same(shipped):
    levels = {flag.id: flag.level for flag in shipped.red_flags}
    assert levels["cauda_equina"] == "emergency"
    assert levels["worsening_weakness"] == "same_day"
    assert levels["cancer"] == "soon"  # a past cancer is never dropped as a flag
    for flag in shipped.red_flags:
        assert flag.level in LEVELS
        assert LEVEL_WORDS[flag.level] in flag.action.lower(), flag.id
        assert LEVEL_WORDS[flag.level] in banner(flag.level).lower()
        assert "within a few days" not in flag.action  # no time window that no source states


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "answer",
    [
        {"bladder_bowel": "yes"},
        {"weakness": "worsening"},
        {"cancer_history": "yes", "cancer_pain_signs": "no", "numbness": "no"},
    ],
)
def test_the_banner_and_the_advice_agree_for_each_level(shipped, fmt, answer):
    report = assess(shipped, {**EXAMPLE, **answer})
    [reason] = report.urgent_reasons
    text = flat(rendered(report, fmt))
    assert report.urgency == reason.level
    assert flat(banner(reason.level)) in text
    for other in LEVELS:
        if other != reason.level:
            assert flat(banner(other)) not in text, other
    assert LEVEL_WORDS[reason.level] in reason.action.lower()


def test_a_rules_file_with_an_unknown_level_is_refused_with_its_line():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        '    action: "Go now."', '    action: "Go now."\n    level: urgentish'
    )
    with pytest.raises(RulesError) as caught:
        parse_rules(text.encode(), "clinic.yaml")
    problem = caught.value.problems[0]
    assert "level must be one of emergency, same_day, soon" in problem.message
    assert problem.file == "clinic.yaml" and problem.line is not None


def test_a_red_flag_without_a_level_is_same_day():
    assert [f.level for f in load_rules(MINIMAL).red_flags] == ["same_day"]


# -- the urgent report in every format ----------------------------------------------------------


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_the_last_lines_of_every_format_repeat_the_advice(shipped, fmt):
    report = assess(shipped, {**EXAMPLE, "bladder_bowel": "yes", "cancer_history": "yes"})
    text = rendered(report, fmt)
    lines = [line for line in text.splitlines() if flat(line)]
    tail = flat("\n".join(lines[-8:]))
    assert flat(reminder("emergency")) in tail or flat(banner("emergency")) in tail
    if fmt != "note":  # the note's last line repeats the banner; its first lines hold each action
        for reason in report.urgent_reasons:
            if reason.level == "emergency":
                assert flat(reason.action) in tail, reason.id
            else:  # named as something to mention when seen, never as a milder choice
                assert flat(reason.action) not in tail, reason.id
                assert "also tell them about" in tail and flat(reason.title) in tail, reason.id
    whole = flat(text)  # and the urgent part comes first
    assert whole.index(flat(banner("emergency"))) < whole.index("spinal stenosis")
    assert whole.index("cauda equina") < whole.index("spinal stenosis")


def test_the_json_report_ends_with_the_urgent_reminder(shipped):
    report = assess(
        shipped,
        {**EXAMPLE, "bladder_bowel": "yes", "cancer_history": "yes", "cancer_pain_signs": "no", "numbness": "no"},
    )
    data = json.loads(rendered(report, "json"))
    keys = list(data)
    assert keys[-1] == "urgent_reminder"
    assert keys.index("urgent_reasons") < keys.index("options")
    assert data["urgent_reminder"] == {
        "urgency": "emergency",
        "banner": banner("emergency"),
        "actions": [data["urgent_reasons"][0]["action"]],
        "also_tell": ["Back pain after cancer"],
    }
    assert [r["level"] for r in data["urgent_reasons"]] == ["emergency", "soon"]
    assert data["urgency"] == "emergency" and data["elective"] == "shown"
    not_urgent = json.loads(rendered(assess(shipped, EXAMPLE), "json"))
    assert not_urgent["urgency"] is None and not_urgent["urgent_reminder"] is None and not_urgent["elective"] == "shown"


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_elective_content_comes_only_for_later_never_as_surgery_now_or_not_now(shipped, fmt):
    report = assess(shipped, {**EXAMPLE, "weakness": "worsening"})
    text = flat(rendered(report, fmt))
    assert report.elective == "shown" and report.options
    if fmt != "note":
        assert "for later, after you have been checked" in text
        assert text.index("for later, after you have been checked") < text.index("spinal stenosis")
    assert "surgery now or not now" not in text
    assert flat(report.diagnosis["decision"][:60]) not in text
    # no decision support while a red flag is present
    assert not (report.priorities or report.leaning or report.sure or report.knowledge_check)
    assert "sure test" not in text and "sure:" not in text and "where you are leaning" not in text


def test_several_flags_give_one_banner_at_the_most_urgent_level_and_each_flags_advice(shipped):
    answers = {
        "bladder_bowel": "yes",
        "weakness": "worsening",
        "cancer_history": "yes",
        "fever_or_infection": "unknown",
    }
    report = assess(shipped, answers)
    assert report.urgency == "emergency"
    assert [r.id for r in report.urgent_reasons] == [
        "cauda_equina",
        "cancer_neuro",
        "worsening_weakness",
        "cancer_pain",
        "infection_unsure",
    ]
    for fmt in ("text", "markdown", "rich", "html"):
        text = flat(rendered(report, fmt))
        assert text.count(flat(banner("emergency"))) == 1, fmt  # one banner (the reminder says "Remember: ...")
        assert flat(banner("same_day")) not in text and flat(banner("soon")) not in text
        actions = [text.index(flat(r.action)) for r in report.urgent_reasons]
        assert actions == sorted(actions) and actions[0] > text.index(flat(banner("emergency")))


def test_unknown_on_a_flag_that_allows_it_advises_asking_a_clinician_soon(shipped):
    report = assess(shipped, {**EXAMPLE, "fever_or_infection": "unknown"})
    assert report.urgent and report.urgency == "soon"
    [reason] = report.urgent_reasons
    assert reason.id == "infection_unsure" and "appointment" in reason.action
    # a missing answer is not "unknown": it is still asked for (exit 2), never a silent "no"
    partial = {k: v for k, v in EXAMPLE.items() if k != "fever_or_infection"}
    result = run_cli("ask", "--no-input", "--format", "json", "--answers", "-", input=json.dumps(partial), expect=2)
    assert "fever_or_infection" in result.stderr


def test_a_missing_injury_severity_is_flagged_but_never_called_a_serious_injury(shipped):
    # review item 8: fail safe (the same day, with the emergency advice for a serious injury),
    # but the report must not tell someone who slipped on the stairs that she had a serious injury
    for answers in ({"recent_trauma": "yes"}, {"recent_trauma": "yes", "injury_severity": "unknown"}):
        report = assess(shipped, {**EXAMPLE, **answers})
        assert [r.id for r in report.urgent_reasons] == ["injury_unsure"] and report.urgency == "same_day"
        text = flat(rendered(report, "text"))
        assert "serious injury" not in text and "how serious is not known" in text
        assert "emergency department now" in text  # what to do if it was a hard knock
    serious = assess(shipped, {**EXAMPLE, "recent_trauma": "yes", "injury_severity": "serious"})
    assert [r.id for r in serious.urgent_reasons] == ["serious_injury"] and serious.urgency == "emergency"
    minor = assess(shipped, {**EXAMPLE, "recent_trauma": "yes", "injury_severity": "minor"})
    assert [r.id for r in minor.urgent_reasons] == ["injury"] and minor.urgency == "same_day"


# -- a red flag makes the elective answers optional everywhere ----------------------------------


def _urgent_only(data: dict[str, Any]) -> None:
    assert data["urgent"] is True and data["urgency"] == "emergency"
    assert [r["id"] for r in data["urgent_reasons"]] == ["cauda_equina"]
    assert data["elective"] == "skipped"
    assert data["options"] == [] and data["diagnosis"] == {} and data["considerations"] == []
    assert data["answers"] == {"bladder_bowel": "yes"}


def test_a_red_flag_alone_gives_the_urgent_report_through_the_api(shipped):
    _urgent_only(assess(shipped, {"bladder_bowel": "yes"}).to_dict())


def test_a_red_flag_alone_gives_the_urgent_report_with_no_input(tmp_path):
    path = write_answers(tmp_path / "flag.json", {"bladder_bowel": "yes"})
    result = run_cli("ask", "--answers", str(path), "--no-input", "--format", "json")
    _urgent_only(result.json)
    text = run_cli("ask", "--set", "bladder_bowel=yes", "--no-input", "--format", "text").stdout
    first_heading = next(line for line in text.splitlines()[2:] if line.isupper())
    assert first_heading == "EMERGENCY: GO TO AN EMERGENCY DEPARTMENT NOW, OR CALL AN AMBULANCE"
    assert "FOR LATER, AFTER YOU HAVE BEEN CHECKED" in text and "YOUR OPTIONS" not in text


def test_a_red_flag_alone_gives_the_urgent_report_in_batch():
    result = run_cli(
        "batch", "-", input='{"bladder_bowel": "yes"}\n{"age": 50}\n', expect=2
    )  # line 2 is not urgent: an error
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    _urgent_only(first)
    assert second["line"] == 2 and second["error"] == "answers_error"


# -- the interview stops ------------------------------------------------------------------------


def typed(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def deliberation_questions(shipped) -> list[str]:
    """The deliberation's questions (quiz, reasons to weigh, leaning, SURE, support, plan) that the
    interview asks."""
    sections = ("knowledge", "weighing", "values", "support", "plan")
    return [f.question for f in shipped.questions() if f.section in sections]


def test_one_helper_words_the_banner_for_every_level():
    from spinedecide import urgency

    assert urgency.LEVELS == LEVELS
    assert {level: urgency.banner(level) for level in LEVELS} == BANNERS
    assert [urgency.reminder(level) for level in LEVELS] == [reminder(level) for level in LEVELS]


def test_an_emergency_flag_stops_the_interview_by_default(tmp_path, shipped):
    saved = tmp_path / "me.yaml"
    result = run_cli("ask", "--format", "json", "--save-answers", str(saved), input=typed("yes", ""))
    err = result.stderr
    assert err.index("EMERGENCY: GO TO AN EMERGENCY DEPARTMENT NOW") < err.index("not for you right now")
    assert "Press Enter to stop here" in err
    assert "Question 2 of" not in err  # nothing more is asked
    _urgent_only(result.json)
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == {"bladder_bowel": "yes"}  # every answer given is kept


@pytest.mark.parametrize("stop", ["no", "stop", None])  # None: end of input (Ctrl-D)
def test_no_stop_and_end_of_input_all_mean_stop(stop):
    result = run_cli("ask", "--format", "json", input=typed("1", "yes", *([stop] if stop else [])))
    assert "Question 3 of" not in result.stderr
    assert result.json["urgent"] is True and result.json["elective"] == "skipped"


def test_going_on_asks_only_the_elective_facts(tmp_path, shipped):
    path = write_answers(tmp_path / "me.yaml", ELECTIVE_ONLY)
    result = run_cli(
        "ask", "--answers", str(path), "--format", "json", input=typed("yes", "more", "no", "no", "no", "no", "no")
    )
    err = result.stderr
    assert "Only the facts about your back are asked now" in err
    for question in deliberation_questions(shipped):
        assert question not in err, question
    data = result.json
    assert data["elective"] == "shown" and [o["id"] for o in data["options"]] == [
        "decompression",
        "nonsurgical_stenosis",
    ]
    assert (
        data["priorities"] == [] and data["leaning"] is None and data["sure"] is None and data["knowledge_check"] == []
    )


def test_without_a_flag_the_same_interview_asks_what_matters(tmp_path, shipped):
    # the control for the test above: the what-matters questions are there to be skipped
    path = write_answers(tmp_path / "me.yaml", ELECTIVE_ONLY)
    result = run_cli(
        "ask", "--answers", str(path), "--format", "json", input=typed("no", "no", "no", "no", "no", "no"), expect=None
    )
    assert any(question in result.stderr for question in deliberation_questions(shipped))


def test_a_soon_flag_offers_the_same_choice_with_going_on_as_the_default(tmp_path, shipped):
    path = write_answers(
        tmp_path / "me.yaml", {**ELECTIVE_ONLY, "numbness": "no"}
    )  # numbness after cancer is an emergency
    went_on = run_cli(
        "ask", "--answers", str(path), "--format", "json", input=typed("no", "no", "no", "no", "yes", "no", "", "no")
    )
    assert (
        "IMPORTANT: ASK FOR AN APPOINTMENT WITH A DOCTOR NOW" in went_on.stderr
        and "Press Enter to go on" in went_on.stderr
    )
    assert "Did this back pain start recently" in went_on.stderr  # the safety question after it was asked
    assert went_on.json["urgency"] == "soon" and went_on.json["elective"] == "shown"
    stopped = run_cli(
        "ask", "--answers", str(path), "--format", "json", input=typed("no", "no", "no", "no", "yes", "no", "stop")
    )
    assert "Did this back pain start recently" not in stopped.stderr
    assert stopped.json["urgency"] == "soon" and stopped.json["elective"] == "skipped"


def test_resuming_saved_answers_with_a_flag_shows_the_urgent_message_before_any_question(tmp_path):
    path = write_answers(tmp_path / "me.yaml", {"bladder_bowel": "yes", "age": 50})
    result = run_cli("ask", "--answers", str(path), "--format", "json", input=typed(""))
    err = result.stderr
    assert err.lstrip().startswith("EMERGENCY: GO TO AN EMERGENCY DEPARTMENT NOW")
    assert "Question" not in err
    assert result.json["elective"] == "skipped" and result.json["answers"] == {"bladder_bowel": "yes", "age": 50}


def test_a_serious_injury_is_asked_about_before_the_flag_is_shown():
    result = run_cli("ask", "--format", "json", input=typed("no", "no", "no", "no", "no", "yes", "minor", ""))
    err = result.stderr
    assert err.index("How serious was the injury") < err.index("URGENT: SEE A DOCTOR TODAY")
    assert "EMERGENCY" not in err
    assert [r["id"] for r in result.json["urgent_reasons"]] == ["injury"]


def test_ctrl_d_after_going_on_still_ends_with_the_urgent_report():
    result = run_cli("ask", "--format", "text", input=typed("yes", "more", "no"))
    assert next(line for line in result.stdout.splitlines()[2:] if line.isupper()).startswith("EMERGENCY")
    assert "Remember: go to an emergency department now".upper() in result.stdout


# -- in a real terminal -------------------------------------------------------------------------


@pytest.fixture
def pty_session():
    import sys

    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("needs a POSIX pseudo-terminal")
    from test_pty import PtySession

    sessions: list[Any] = []

    def start(*args: str, **kwargs: Any) -> Any:
        s = PtySession(*args, **kwargs)
        sessions.append(s)
        return s

    yield start
    for s in sessions:
        s.close()


def test_in_a_terminal_no_decision_support_question_is_asked_after_a_flag(pty_session, tmp_path, shipped):
    path = write_answers(tmp_path / "me.yaml", ELECTIVE_ONLY)
    s = pty_session("ask", "--answers", str(path), "--format", "json", stdout_pipe=True)
    s.expect("Have you had new trouble controlling your bladder or bowel?")
    s.answer("yes")
    s.expect("EMERGENCY: GO TO AN EMERGENCY DEPARTMENT NOW")
    s.expect("Press Enter to stop here")
    s.answer("more")
    for question in ("numbness between your legs", "weakness in a leg", "fever", "ever had cancer", "after a fall"):
        s.expect(question)
        s.answer("no")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    for question in deliberation_questions(shipped):
        assert question not in s.buffer, question
    data = json.loads(s.stdout_bytes.decode("utf-8"))
    assert data["urgency"] == "emergency" and data["elective"] == "shown" and data["priorities"] == []


def test_in_a_terminal_enter_stops_and_the_report_ends_with_the_advice(pty_session):
    s = pty_session("ask")
    s.expect("Have you had new trouble controlling your bladder or bowel?")
    s.answer("yes")
    s.expect("not for you right now")
    s.answer("")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    assert "Question 2 of" not in s.buffer
    report = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", s.buffer[s.pos :])
    assert (
        flat(report)
        .rstrip()
        .endswith(flat("Do not wait for a planned appointment. Say that you are worried about cauda equina syndrome."))
    )
    assert "remember: go to an emergency department now" in flat(report)


def test_going_back_to_undo_a_red_flag_answer_gives_the_whole_aid_again():
    result = run_cli(
        "ask",
        "--rules",
        str(MINIMAL),
        "--format",
        "json",
        input=typed("yes", "more", "back", "no", "50", "never", "no", "170", "70", "disc"),
    )
    assert result.json["urgent"] is False and result.json["elective"] == "shown"
    assert result.stderr.count("URGENT: SEE A DOCTOR TODAY") == 1


def test_rules_check_warns_when_a_red_flags_advice_does_not_say_its_level(tmp_path):
    from spinedecide import authoring

    text = MINIMAL.read_text(encoding="utf-8").replace(
        '    action: "Go now."', '    action: "Go now."\n    level: soon'
    )
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    warnings = [p.message for p in authoring.check(path, readability=False).warnings]
    assert any("red flag 'ces' is at level 'soon', but its action does not say 'appointment'" in w for w in warnings), (
        warnings
    )
    fixed = text.replace('action: "Go now."', 'action: "Ask for a doctor\'s appointment now."')
    path.write_text(fixed, encoding="utf-8")
    assert not [p for p in authoring.check(path, readability=False).warnings if "red flag" in p.message]
    assert not [
        p for p in authoring.check(None, readability=False).warnings if "red flag" in p.message
    ]  # the shipped file


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("{smoking: unknown}", {"smoking": "unknown"}, True),
        ("{smoking: unknown}", {}, False),  # a missing answer is not "unknown"
        ("{smoking: unknown}", {"smoking": "never"}, False),
        ("{smoking: {in: [current, unknown]}}", {"smoking": "unknown"}, True),
        ("{smoking: {in: [current, unknown]}}", {"smoking": "current"}, True),
        ("{smoking: {in: [current, unknown]}}", {}, False),
        ("{smoking: {'!=': unknown}}", {"smoking": "never"}, True),
    ],
)
def test_the_value_unknown_matches_only_an_answer_of_unknown(text, answers, expected):
    from spinedecide._yaml import safe_load
    from spinedecide.conditions import Compiler

    compiler = Compiler(load_rules(MINIMAL).factors, "rules.yaml")
    cond = compiler.compile(safe_load(text), "when")
    assert compiler.problems == []
    assert cond(answers) is expected


def test_the_value_unknown_is_refused_where_the_question_does_not_allow_it():
    from spinedecide._yaml import safe_load
    from spinedecide.conditions import Compiler

    compiler = Compiler(load_rules(MINIMAL).factors, "rules.yaml")
    compiler.compile(safe_load("{bladder_bowel: unknown}"), "when")
    assert ["'unknown' is not a value of 'bladder_bowel'" in p.message for p in compiler.problems] == [True]


def test_a_bad_answer_beside_a_red_flag_is_named_but_missing_answers_are_not(tmp_path):
    result = run_cli(
        "ask",
        "--no-input",
        "--format",
        "json",
        "--answers",
        "-",
        input='{"bladder_bowel": "yes", "age": "abc"}',
        expect=2,
    )
    problems = json.loads(result.stderr)["problems"]
    assert [p["field"] for p in problems] == ["age"]


def test_the_option_grid_stays_in_an_urgent_report_with_elective_answers(shipped):
    report = assess(shipped, {**EXAMPLE, "weakness": "worsening"})
    assert report.grid_rows == assess(shipped, EXAMPLE).grid_rows != ()
