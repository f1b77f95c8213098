"""The interview through CliRunner, with typed answers fed on standard input."""

from __future__ import annotations

import json
import re
import stat

from helpers import MINIMAL, RULES, minimal_answers, run_cli, write_answers

# Typed answers for every question minimal.yaml asks when nothing is pre-filled, in order:
# bladder_bowel, age, smoking, diabetes, height_cm, weight_kg, condition.
FULL = ["no", "50", "never", "no", "170", "70", "disc"]


def typed(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def interview(*args: str, input: str, expect: int = 0):
    """Run the interview with --format json; stdout must then be exactly the JSON report."""
    result = run_cli("ask", *RULES, "--format", "json", *args, input=input, expect=expect)
    if expect == 0:
        assert result.json is not None, f"stdout is not only the JSON report:\n{result.stdout}"
    return result


def questions_asked(stderr: str) -> list[str]:
    """The question text printed after each 'Question N of M' line, in order."""
    lines = stderr.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines) if re.fullmatch(r"Question \d+ of \d+", line)]


def test_full_interview_gives_the_report_on_stdout_and_questions_on_stderr():
    result = interview(input=typed(*FULL))
    data = result.json
    assert data["answers"] == {
        "bladder_bowel": "no",
        "age": 50,
        "smoking": "never",
        "diabetes": "no",
        "height_cm": 170,
        "weight_kg": 70,
        "bmi": 24.2,
        "condition": "disc",
    }
    assert data["derived"] == ["bmi"]
    assert "Question" not in result.stdout and "> " not in result.stdout
    assert "How old are you?" in result.stderr
    assert questions_asked(result.stderr) == [
        "Bladder trouble?",
        "How old are you?",
        "Do you smoke?",
        "Diabetes?",
        "Height?",
        "Weight?",
        "Which condition?",
    ]


def test_text_report_on_stdout_only():
    result = run_cli("ask", *RULES, "--format", "text", input=typed(*FULL))
    assert result.stdout.startswith("spinedecide: Test rules")
    assert "Question" not in result.stdout and "Bladder trouble?\n  1." not in result.stdout
    assert "Question 1 of" in result.stderr


def test_red_flag_question_is_asked_first():
    result = interview(input=typed(*FULL))
    assert questions_asked(result.stderr)[0] == "Bladder trouble?"
    assert result.stderr.index("Safety") < result.stderr.index("About you")


def test_red_flag_question_is_asked_first_even_when_listed_last(tmp_path):
    # Move the red-flag factor to the end of the factors list: it must still come first.
    text = MINIMAL.read_text()
    start = text.index("  - id: bladder_bowel")
    end = text.index("  - id: age")
    block = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("red_flags:\n  - id: ces", block + "red_flags:\n  - id: ces")
    rules = tmp_path / "reordered.yaml"
    rules.write_text(text)
    result = run_cli("ask", "--rules", rules, "--format", "json", input=typed(*FULL))
    assert questions_asked(result.stderr)[0] == "Bladder trouble?"
    assert questions_asked(result.stderr)[1] == "How old are you?"


def test_bad_age_is_explained_and_asked_again():
    answers = list(FULL)
    answers[1:2] = ["abc", "200", "unknown", "67"]
    result = interview(input=typed(*answers))
    err = result.stderr
    assert "Sorry, that answer does not fit: expected a number, got 'abc'" in err
    assert "200 is out of range; expected 18 to 110" in err
    assert "This question needs an answer." in err  # 'unknown' is not allowed for age
    assert result.json["answers"]["age"] == 67
    # the age question was shown once, and re-asked through the prompt only
    assert questions_asked(err).count("How old are you?") == 1
    assert err.count("Type a number from 18 to 110") == 4  # the hint, then once after each bad answer


def test_bad_choice_number_is_explained():
    result = interview(input=typed("7", *FULL))
    assert "There is no choice 7. Type a number from 1 to 2." in result.stderr
    assert result.json["answers"]["bladder_bowel"] == "no"


def test_empty_answer_is_asked_again():
    result = interview(input=typed("", *FULL))
    assert "Please type an answer" in result.stderr
    assert result.json["answers"]["bladder_bowel"] == "no"


def test_back_changes_the_previous_answer():
    # answer age 50, then at the smoking question go back and change the age to 72
    result = interview(input=typed("no", "50", "back", "72", "never", "no", "170", "70", "disc"))
    assert result.json["answers"]["age"] == 72
    # the age question is shown again after 'back'
    assert questions_asked(result.stderr)[:4] == [
        "Bladder trouble?",
        "How old are you?",
        "Do you smoke?",
        "How old are you?",
    ]


def test_back_twice_goes_back_two_questions():
    result = interview(input=typed("no", "50", "current", "back", "back", "80", "former", "no", "170", "70", "disc"))
    data = result.json
    assert data["answers"]["age"] == 80
    assert data["answers"]["smoking"] == "former"
    assert "smoking_infection" not in data["fired_rules"]


def test_back_at_the_first_question_is_explained():
    result = interview(input=typed("back", *FULL))
    assert "nothing to go back to" in result.stderr
    assert result.json["answers"]["age"] == 50


def test_question_mark_shows_help():
    result = interview(input=typed("no", "?", "50", "never", "no", "170", "70", "disc"))
    err = result.stderr
    assert "Age help." in err
    assert "Bladder help." not in err
    assert err.index("Age help.") > err.index("How old are you?")
    assert result.json["answers"]["age"] == 50


def test_unknown_for_an_optional_question():
    answers = list(FULL)
    answers[2] = "unknown"  # smoking
    result = interview(input=typed(*answers))
    data = result.json
    assert data["answers"]["smoking"] == "unknown"
    assert [t["factor"] for t in data["not_tailored"]] == ["smoking"]


def test_unknown_height_makes_bmi_unknown():
    answers = list(FULL)
    answers[4] = "unknown"
    data = interview(input=typed(*answers)).json
    assert data["answers"]["height_cm"] == "unknown"
    assert data["answers"]["bmi"] == "unknown"


def test_choice_by_number_and_by_id():
    result = interview(input=typed("1", "50", "3", "yes", "170", "70", "1"))
    data = result.json
    assert data["answers"]["bladder_bowel"] == "no"  # 1
    assert data["answers"]["smoking"] == "current"  # 3
    assert data["answers"]["diabetes"] == "yes"  # by id
    assert data["answers"]["condition"] == "disc"  # 1
    assert data["fired_rules"] == ["smoking_infection", "diabetes_infection"]


def test_choice_by_id_ignores_case():
    data = interview(input=typed("No", "50", "Former", "NO", "170", "70", "Not Sure", "no")).json
    assert data["answers"]["smoking"] == "former"
    assert data["answers"]["condition"] == "not_sure"


def test_ask_when_question_is_asked_only_when_it_applies():
    disc = interview(input=typed(*FULL))
    assert "Hardware question" not in disc.stderr
    assert "hardware" not in disc.json["answers"]

    not_sure = interview(input=typed(*FULL[:-1], "not_sure", "yes"))
    assert questions_asked(not_sure.stderr)[-1] == "Hardware question, only for not_sure?"
    assert not_sure.json["answers"]["hardware"] == "yes"
    assert not_sure.json["diagnosis"]["id"] == "not_sure"


def test_height_and_weight_not_asked_when_bmi_is_given(tmp_path):
    path = write_answers(tmp_path / "pre.yaml", minimal_answers(condition=None))
    result = interview("--answers", str(path), input=typed("disc"))
    assert "Height?" not in result.stderr and "Weight?" not in result.stderr


def test_prefilled_answers_are_not_asked_and_the_count_includes_them(tmp_path):
    # Issue 21: the count includes the answers given before (3 here), so that 'back' into them
    # steps the count back one question and keeps the total (it used to jump: "1 of 3", "1 of 4").
    path = write_answers(tmp_path / "pre.yaml", minimal_answers(smoking=None, condition=None))
    result = interview("--answers", str(path), input=typed("current", "disc"))
    err = result.stderr
    assert questions_asked(err) == ["Do you smoke?", "Which condition?"]
    assert "Question 4 of 6" in err and "Question 5 of 6" in err  # hardware may apply until the condition is answered
    assert "Question 6" not in err
    data = result.json
    assert data["answers"]["smoking"] == "current"
    assert data["answers"]["age"] == 50  # from the file


def test_nothing_asked_when_the_answers_are_complete(tmp_path):
    path = write_answers(tmp_path / "pre.yaml", minimal_answers())
    result = interview("--answers", str(path), input="")
    assert "Question" not in result.stderr
    assert result.stderr == ""


def test_set_values_are_not_asked():
    result = interview("--set", "age=44", "--set", "smoking=never", input=typed("no", "no", "170", "70", "disc"))
    assert "How old are you?" not in result.stderr and "Do you smoke?" not in result.stderr
    assert result.json["answers"]["age"] == 44


def test_red_flag_yes_shows_urgent_message_at_once_and_report_is_urgent():
    result = interview(input=typed("yes", "more", *FULL[1:]))  # 'more': general information anyway
    err = result.stderr
    assert "URGENT: SEE A DOCTOR TODAY\nEmergency\n" in err
    assert "What to do: Go now." in err
    # shown straight after the red-flag answer, before the next question
    assert err.index("URGENT: SEE A DOCTOR TODAY") < err.index("How old are you?")
    assert err.count("URGENT: SEE A DOCTOR TODAY") == 1
    data = result.json
    assert data["urgent"] is True
    assert [r["id"] for r in data["urgent_reasons"]] == ["ces"]


def test_no_urgent_message_when_red_flag_is_no():
    result = interview(input=typed(*FULL))
    assert "URGENT" not in result.stderr
    assert result.json["urgent"] is False


def test_prefilled_red_flag_is_warned_before_the_first_question(tmp_path):
    # BUG (src/spinedecide/interview.py, run(): red flags are only checked after a typed answer):
    # when a resumed answers file already holds a red flag, the URGENT message appears only after
    # the person answers the next question, not "at once, before anything else" (README).
    path = write_answers(tmp_path / "pre.yaml", {"bladder_bowel": "yes", "age": 50})
    result = interview("--answers", str(path), input=typed("more", "never", "no", "170", "70", "disc"))
    err = result.stderr
    assert "URGENT: SEE A DOCTOR TODAY" in err
    assert err.index("URGENT: SEE A DOCTOR TODAY") < err.index("Do you smoke?")
    assert result.json["urgent"] is True


def test_eof_mid_interview_saves_answers_and_resume_asks_only_the_rest(tmp_path):
    saved = tmp_path / "me.yaml"
    stopped = run_cli("ask", *RULES, "--save-answers", saved, input=typed("no", "61"), expect=130)
    assert stopped.stdout == ""
    assert "Traceback" not in stopped.stderr
    assert str(saved) in stopped.stderr  # tells where the answers are
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert saved.read_text().count(":") >= 2
    resumed = interview(
        "--answers", str(saved), "--save-answers", str(saved), input=typed("never", "no", "170", "70", "disc")
    )
    assert questions_asked(resumed.stderr) == ["Do you smoke?", "Diabetes?", "Height?", "Weight?", "Which condition?"]
    assert (
        "Question 3 of 8" in resumed.stderr and "Question 7 of 8" in resumed.stderr
    )  # the two saved answers count; hardware may apply until the condition is known
    data = resumed.json
    assert data["answers"]["bladder_bowel"] == "no"
    assert data["answers"]["age"] == 61
    # the saved file now holds everything and gives the same report with no questions
    again = interview("--answers", str(saved), "--no-input", input="")
    assert again.stdout == resumed.stdout


def test_stop_at_the_first_question_with_save_answers_can_be_resumed(tmp_path):
    # BUG (src/spinedecide/commands/ask.py, _interview(): saved_to is set whenever --save-answers is given):
    # stopping before any answer says "Your answers so far are saved in FILE" and suggests
    # `--answers FILE`, but FILE was never written, so that command fails with exit 2.
    saved = tmp_path / "me.yaml"
    stopped = run_cli("ask", *RULES, "--save-answers", saved, input="", expect=130)
    assert f"saved in {saved}" in stopped.stderr
    assert saved.exists(), "the message says the answers are saved, but there is no file"
    resumed = interview("--answers", str(saved), input=typed(*FULL))
    assert resumed.json["answers"]["age"] == 50


def test_stop_after_resume_keeps_the_prefilled_answers_in_the_new_save_file(tmp_path):
    # Same bug: resuming from a.yaml into a new --save-answers b.yaml and stopping at once
    # loses everything: b.yaml does not exist although the message says it holds the answers.
    first = write_answers(tmp_path / "a.yaml", {"bladder_bowel": "no", "age": 61})
    second = tmp_path / "b.json"
    stopped = run_cli("ask", *RULES, "--answers", first, "--save-answers", second, input="", expect=130)
    assert f"saved in {second}" in stopped.stderr
    assert json.loads(second.read_text()) == {"bladder_bowel": "no", "age": 61}


def test_saved_file_holds_exactly_the_answers_given_so_far(tmp_path):
    saved = tmp_path / "me.json"
    run_cli("ask", *RULES, "--save-answers", saved, input=typed("no", "61", "current"), expect=130)
    assert json.loads(saved.read_text()) == {"bladder_bowel": "no", "age": 61, "smoking": "current"}


def test_back_is_saved_too(tmp_path):
    saved = tmp_path / "me.json"
    run_cli("ask", *RULES, "--save-answers", saved, input=typed("no", "61", "back"), expect=130)
    assert json.loads(saved.read_text()) == {"bladder_bowel": "no"}


def test_eof_without_save_answers_says_nothing_was_saved():
    result = run_cli("ask", *RULES, input=typed("no"), expect=130)
    assert "--save-answers" in result.stderr
    assert result.stdout == ""


def test_eof_at_the_first_question():
    result = run_cli("ask", *RULES, "--format", "json", input="", expect=130)
    assert result.stdout == ""
    assert json.loads(result.stderr.strip().splitlines()[-1])["error"] == "interrupted"


def test_interview_output_has_no_escape_codes_off_a_terminal():
    result = run_cli("ask", *RULES, input=typed(*FULL))
    assert "\x1b" not in result.stderr
    assert "\x1b" not in result.stdout


def test_answers_from_stdin_are_not_mixed_with_an_interview():
    # with --answers - stdin is the answers file, so missing answers cannot be asked
    result = run_cli("ask", *RULES, "--answers", "-", input='{"bladder_bowel": "no"}', expect=2)
    assert "Question" not in result.stderr


def test_back_on_resume_reaches_the_saved_answers(tmp_path):
    saved = tmp_path / "me.yaml"
    saved.write_text("bladder_bowel: no\nage: 50\nsmoking: never\n")
    # first asked: diabetes; 'back' goes to the last saved answer in question order (smoking)
    result = interview("--answers", str(saved), input=typed("back", "current", "no", "170", "70", "disc"))
    assert "Going back to an answer you gave before" in result.stderr
    assert result.json["answers"]["smoking"] == "current"
    assert result.json["answers"]["age"] == 50
