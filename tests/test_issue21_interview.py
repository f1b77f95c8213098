"""Issue 21: 'back' shows the previous answer, and "Question N of M" is stable (CliRunner)."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import RULES, run_cli, write_answers

COUNT = re.compile(r"Question (\d+) of (\d+)")


def typed(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def counts(stderr: str) -> list[tuple[int, int]]:
    return [(int(n), int(m)) for n, m in COUNT.findall(stderr)]


def test_back_shows_the_previous_answer_and_enter_keeps_it() -> None:
    # bladder_bowel, age, then 'back' at smoking: age is asked again, showing 50.
    result = run_cli("ask", *RULES, "--format", "json",
                     input=typed("no", "50", "back", "", "never", "no", "170", "70", "disc"))  # fmt: skip
    assert "Your answer was: 50. Press Enter to keep it, or type a new answer." in result.stderr
    assert result.json["answers"]["age"] == 50


def test_back_shows_a_choice_by_its_label_and_a_new_answer_replaces_it() -> None:
    result = run_cli("ask", *RULES, "--format", "json",
                     input=typed("no", "50", "current", "back", "1", "no", "170", "70", "disc"))  # fmt: skip
    assert "Your answer was: Current." in result.stderr
    assert result.json["answers"]["smoking"] == "never"


def test_back_keeps_the_count_and_steps_one_question_back() -> None:
    result = run_cli("ask", *RULES, "--format", "json",
                     input=typed("no", "50", "back", "", "never", "no", "170", "70", "disc"))  # fmt: skip
    seen = counts(result.stderr)
    assert [n for n, _ in seen] == [1, 2, 3, 2, 3, 4, 5, 6, 7]
    assert len({m for _, m in seen}) == 1, seen


def test_resuming_counts_the_saved_answers_and_back_into_them_keeps_the_total(tmp_path: Path) -> None:
    # On main: "Question 1 of 6", then after 'back' "Question 1 of 7", "1 of 8": the count jumped.
    saved = write_answers(tmp_path / "me.yaml", {"bladder_bowel": "no", "age": 50})
    result = run_cli("ask", *RULES, "--format", "json", "--answers", str(saved),
                     input=typed("back", "back", "", "", "never", "no", "170", "70", "disc"))  # fmt: skip
    seen = counts(result.stderr)
    assert seen[:5] == [(3, 8), (2, 8), (1, 8), (2, 8), (3, 8)], seen
    assert "Your answer was: No." in result.stderr and "Your answer was: 50." in result.stderr


def test_the_total_changes_only_with_a_reason_given() -> None:
    # The shipped rules: red-flag answers rule follow-up questions out as the interview goes.
    result = run_cli("ask", "--format", "json", input=typed(*["no"] * 6), expect=130)
    lines = result.stderr.splitlines()
    shown = [(i, int(m.group(2))) for i, line in enumerate(lines) if (m := COUNT.fullmatch(line))]
    changes = 0
    for (_, before), (i, after) in zip(shown, shown[1:], strict=False):
        if after != before:
            changes += 1
            why = lines[i - 1]
            assert "no longer appl" in why and f"there are now {after} in all" in why, lines[i - 3 : i + 1]
    assert changes >= 1  # the shipped rules do rule questions out; otherwise this test tests nothing


def test_a_wrong_choice_says_which_number_to_type() -> None:
    # The lay review (item 17): "Please type 1 for No or 2 for Yes" rather than a list of ids.
    result = run_cli("ask", *RULES, "--format", "json",
                     input=typed("maybe", "no", "50", "never", "no", "170", "70", "disc"))  # fmt: skip
    assert "'maybe' is not one of the choices. Please type 1 for No or 2 for Yes." in result.stderr
    assert result.json["answers"]["bladder_bowel"] == "no"


def test_choice_words_are_shown_without_underscores_and_read_as_typed() -> None:
    # The lay review (item 18): [not_sure] looked like a computer code.
    result = run_cli("ask", *RULES, "--format", "json",
                     input=typed("no", "50", "never", "no", "170", "70", "not sure", "no"))  # fmt: skip
    assert "  2. Not sure  [not sure]" in result.stderr and "[not_sure]" not in result.stderr
    assert "Type the number of your answer (1 to 2), or the words in [ ]" in result.stderr
    assert result.json["answers"]["condition"] == "not_sure"
