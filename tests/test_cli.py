"""The command line through Typer's CliRunner: formats, exit codes, files, errors."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MINIMAL, MINIMAL_ANSWERS, ROOT, RULES, minimal_answers, run_cli, stderr_json, write_answers

import spinedecide
from spinedecide.rules import loading as rules_module  # load_rules reads shipped_rules_path here

ESC = "\x1b"


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    return write_answers(tmp_path / "me.yaml", MINIMAL_ANSWERS)


def ask(*args: str, **kwargs):
    return run_cli("ask", *RULES, *args, **kwargs)


# --- formats ----------------------------------------------------------------------------------


def test_text_format_is_plain_text_with_the_report(answers_file):
    result = ask("--answers", answers_file, "--format", "text")
    out = result.stdout
    assert ESC not in out
    assert "spinedecide: Test rules" in out
    assert "Rules version 0.0.1" in out
    assert "THE DECISION" in out and "Your condition: Disc" in out
    assert "OPTION 1: OPERATION" in out and "OPTION 2: WAIT" in out
    assert "About 2 in 100 people, within 30 days." in out
    assert "Test disclaimer." in out
    assert result.stderr == ""


def test_auto_format_off_a_terminal_is_text(answers_file):
    auto = ask("--answers", answers_file)
    text = ask("--answers", answers_file, "--format", "text")
    assert auto.stdout == text.stdout
    assert ESC not in auto.stdout


def test_json_format_has_the_contract_fields(answers_file):
    data = ask("--answers", answers_file, "--format", "json").json
    assert data is not None, "stdout is not JSON"
    assert data["schema_version"] == "1.3"
    assert data["spinedecide_version"] == spinedecide.__version__
    assert data["rules"]["version"] == "0.0.1"
    assert data["rules"]["sha256"] == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert data["urgent"] is False
    assert data["urgent_reasons"] == []
    assert [o["id"] for o in data["options"]] == ["op", "wait"]
    assert [o["kind"] for o in data["options"]] == ["surgery", "non_surgical"]
    infection = data["options"][0]["risks"][0]
    assert infection["id"] == "op_infection"
    assert infection["estimate"]["typical"] == {
        "low": 2,
        "high": 2,
        "timeframe": "within 30 days",
        "certainty": {"level": "low", "reason": "A test register."},
    }
    assert data["answers"] == MINIMAL_ANSWERS
    assert data["diagnosis"]["id"] == "disc"


def test_rich_format_renders_panels_and_table(answers_file):
    result = ask("--answers", answers_file, "--format", "rich")
    out = result.stdout
    assert "Your options side by side" in out
    assert "The decision" in out and "Your condition: Disc" in out
    assert any(ch in out for ch in "╭┏│"), "no box drawing: not the rich renderer"
    assert "Operation" in out and "Wait" in out
    # stdout is not a terminal, so no colour codes even in rich
    assert ESC not in out


def test_rich_and_text_differ(answers_file):
    rich = ask("--answers", answers_file, "--format", "rich").stdout
    text = ask("--answers", answers_file, "--format", "text").stdout
    assert rich != text


def test_unknown_format_is_usage_error(answers_file):
    result = ask("--answers", answers_file, "--format", "pdf", expect=2)
    assert result.stdout == ""
    assert "pdf" in result.stderr


# --- exit codes and errors --------------------------------------------------------------------


def test_urgent_report_exits_0_and_says_urgent(answers_file, tmp_path):
    path = write_answers(tmp_path / "urgent.yaml", minimal_answers(bladder_bowel="yes"))
    data = ask("--answers", path, "--format", "json").json
    assert data["urgent"] is True
    assert [r["id"] for r in data["urgent_reasons"]] == ["ces"]
    assert data["urgent_reasons"][0]["action"] == "Go now."
    text = ask("--answers", path, "--format", "text").stdout
    # the urgent part comes first, before the decision
    assert "URGENT" in text
    assert text.index("URGENT") < text.index("FOR LATER, AFTER YOU HAVE BEEN CHECKED")
    assert "THE DECISION" not in text  # never "surgery now or not now" while a red flag is present
    assert "Go now." in text


BAD_ANSWERS = """\
bladder_bowel: no
age: 200
smoking: currnet
diabetes: no
bmi: 25
conditon: disc
"""


def test_bad_answers_exit_2_listing_every_problem_with_file_line_and_suggestion(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_ANSWERS)
    result = ask("--answers", path, expect=2)
    assert result.stdout == ""
    err = result.stderr
    lines = [line for line in err.splitlines() if line.strip().startswith("- ")]
    assert len(lines) == 3, err
    assert f"{path}:2: age:" in lines[0] and "out of range" in lines[0] and "18 to 110" in lines[0]
    assert f"{path}:3: smoking:" in lines[1] and "did you mean 'current'?" in lines[1]
    assert f"{path}:6: conditon:" in lines[2] and "did you mean 'condition'?" in lines[2]
    assert "3 problems" in err


def test_bad_answers_in_json_mode_is_json_on_stderr(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_ANSWERS)
    result = ask("--answers", path, "--format", "json", expect=2)
    assert result.stdout == ""
    error = stderr_json(result)
    assert error["error"] == "answers_error"
    problems = {p["field"]: p for p in error["problems"]}
    assert set(problems) == {"age", "smoking", "conditon"}
    assert problems["age"]["line"] == 2 and problems["age"]["file"] == str(path)
    assert problems["smoking"]["line"] == 3
    assert "did you mean 'current'?" in problems["smoking"]["message"]
    assert problems["conditon"]["line"] == 6


def test_bad_set_value_names_the_option():
    result = ask("--set", "age=abc", "--set", "smokin=never", "--no-input", expect=2)
    assert "--set age: expected a number, got 'abc'" in result.stderr
    assert "--set smokin: unknown question id (did you mean 'smoking'?)" in result.stderr
    assert result.stdout == ""


def test_set_without_equals_is_usage_error(answers_file):
    result = ask("--answers", answers_file, "--set", "age", expect=2)
    assert "--set needs key=value" in result.stderr


def _broken_rules(tmp_path: Path) -> tuple[Path, int, int]:
    text = MINIMAL.read_text()
    text = text.replace(
        'when: {smoking: current}\n    text: "Smoking doubles it."',
        'when: {smokng: current}\n    text: "Smoking doubles it."',
    )
    text = text.replace(
        'timeframe: "in hospital", reference_class: "test people", evidence: registry}',
        'timeframe: "in hospital", reference_class: "test people", evidence: registri}',
    )
    lines = text.splitlines()
    bad_when = next(i for i, line in enumerate(lines, 1) if "smokng" in line)
    bad_evidence = next(i for i, line in enumerate(lines, 1) if "registri" in line)
    path = tmp_path / "clinic.yaml"
    path.write_text(text)
    return path, bad_when, bad_evidence


def test_broken_rules_file_exit_2_naming_file_and_line(tmp_path, answers_file):
    path, bad_when, bad_evidence = _broken_rules(tmp_path)
    result = run_cli("ask", "--rules", path, "--answers", answers_file, expect=2)
    assert result.stdout == ""
    err = result.stderr
    assert f"{path}:{bad_when}:" in err and "unknown factor 'smokng'" in err and "did you mean 'smoking'?" in err
    assert f"{path}:{bad_evidence}:" in err and "did you mean 'registry'?" in err
    assert "2 problems" in err


def test_broken_rules_file_json_mode(tmp_path, answers_file):
    path, bad_when, bad_evidence = _broken_rules(tmp_path)
    result = run_cli("ask", "--rules", path, "--answers", answers_file, "--format", "json", expect=2)
    assert result.stdout == ""
    error = stderr_json(result)
    assert error["error"] == "rules_error"
    assert sorted(p["line"] for p in error["problems"]) == sorted([bad_when, bad_evidence])
    assert all(p["file"] == str(path) for p in error["problems"])


def test_unparsable_rules_file_names_line(tmp_path, answers_file):
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nfactors: [\n")
    result = run_cli("ask", "--rules", path, "--answers", answers_file, expect=2)
    assert f"{path}:" in result.stderr
    assert re.search(re.escape(str(path)) + r":\d+:", result.stderr)
    assert result.stdout == ""


def test_missing_rules_file_exit_2(tmp_path, answers_file):
    result = run_cli("ask", "--rules", tmp_path / "nope.yaml", "--answers", answers_file, expect=2)
    assert "no such rules file" in result.stderr


def test_missing_answers_with_no_input_names_every_missing_id():
    result = ask("--set", "age=50", "--no-input", expect=2)
    assert result.stdout == ""
    for ident in ("bladder_bowel", "smoking", "diabetes", "condition"):
        assert f"{ident}: missing answer" in result.stderr
    # optional and not-applicable questions are not demanded
    for ident in ("height_cm", "weight_kg", "bmi", "hardware", "age"):
        assert f"{ident}:" not in result.stderr


def test_missing_answers_with_no_input_json_mode():
    result = ask("--set", "age=50", "--no-input", "--format", "json", expect=2)
    assert result.stdout == ""
    error = stderr_json(result)
    assert {p["field"] for p in error["problems"]} == {"bladder_bowel", "smoking", "diabetes", "condition"}


def test_missing_applicable_ask_when_answer_is_reported():
    # hardware applies only when condition is not_sure; then it is required
    result = ask(*[f"--set={k}={v}" for k, v in minimal_answers(condition="not_sure").items()], "--no-input", expect=2)
    assert "hardware: missing answer" in result.stderr


def test_missing_answers_from_stdin_never_prompt():
    result = ask("--answers", "-", input='{"age": 50}', expect=2)
    assert "Question" not in result.stderr
    assert "condition: missing answer" in result.stderr


def test_eof_mid_interview_exits_130():
    result = ask(input="no\n", expect=130)
    assert result.stdout == ""
    assert "Stopped" in result.stderr
    assert "Traceback" not in result.stderr


def test_eof_mid_interview_json_mode_is_json_error():
    result = ask("--format", "json", input="no\n", expect=130)
    assert result.stdout == ""
    # stderr holds the questions, then the JSON error as its last line
    last = result.stderr.strip().splitlines()[-1]
    assert json.loads(last)["error"] == "interrupted"


# --- answers from files, stdin and --set ----------------------------------------------------------


def test_answers_yaml_file(answers_file):
    data = ask("--answers", answers_file, "--format", "json", "--no-input").json
    assert data["answers"] == MINIMAL_ANSWERS


def test_answers_json_file(tmp_path):
    path = write_answers(tmp_path / "me.json", minimal_answers(smoking="current"))
    data = ask("--answers", path, "--format", "json", "--no-input").json
    assert data["answers"]["smoking"] == "current"
    assert data["fired_rules"] == ["smoking_infection"]


def test_answers_from_stdin():
    data = ask("--answers", "-", "--format", "json", input=json.dumps(minimal_answers(age=81))).json
    assert data["answers"]["age"] == 81
    assert "old_death" in data["fired_rules"]


def test_answers_yaml_from_stdin():
    text = "".join(f"{k}: {v}\n" for k, v in minimal_answers(diabetes="yes").items())
    data = ask("--answers", "-", "--format", "json", "--no-input", input=text).json
    assert data["answers"]["diabetes"] == "yes"


def test_set_overrides_the_file(answers_file):
    data = ask("--answers", answers_file, "--set", "smoking=current", "--set", "age=81", "--format", "json").json
    assert data["answers"]["smoking"] == "current"
    assert data["answers"]["age"] == 81
    assert data["answers"]["diabetes"] == "no"  # the rest still from the file


def test_set_alone_is_enough():
    args = [a for k, v in MINIMAL_ANSWERS.items() for a in ("--set", f"{k}={v}")]
    data = ask(*args, "--format", "json", "--no-input").json
    assert data["answers"] == MINIMAL_ANSWERS


def test_unquoted_no_and_quoted_number_are_normalised(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text('bladder_bowel: no\nage: "67"\nsmoking: NEVER\ndiabetes: yes\nbmi: 25\ncondition: Disc\n')
    data = ask("--answers", path, "--format", "json").json
    assert data["answers"]["bladder_bowel"] == "no"
    assert data["answers"]["diabetes"] == "yes"
    assert data["answers"]["age"] == 67 and isinstance(data["answers"]["age"], int)
    assert data["answers"]["smoking"] == "never"
    assert data["answers"]["condition"] == "disc"
    assert "diabetes_infection" in data["fired_rules"]


def test_missing_answers_file_exit_2(tmp_path):
    result = ask("--answers", tmp_path / "nope.yaml", expect=2)
    assert "no such answers file" in result.stderr


def test_answers_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- age: 50\n")
    result = ask("--answers", path, expect=2)
    assert "mapping" in result.stderr and str(path) in result.stderr


# --- output files -------------------------------------------------------------------------------


def test_output_file_is_private_and_stdout_empty(answers_file, tmp_path):
    target = tmp_path / "report.json"
    result = ask("--answers", answers_file, "--format", "json", "--output", target)
    assert result.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    written = json.loads(target.read_text())
    assert written["answers"] == MINIMAL_ANSWERS
    # byte-identical to what stdout would have held
    assert target.read_text() == ask("--answers", answers_file, "--format", "json").stdout


def test_output_file_text_has_no_escape_codes(answers_file, tmp_path):
    target = tmp_path / "report.txt"
    ask("--answers", answers_file, "--format", "rich", "--output", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert ESC not in target.read_text()
    assert "Your options side by side" in target.read_text()


def test_output_replaces_a_world_readable_file_with_a_private_one(answers_file, tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o644)
    ask("--answers", answers_file, "--output", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "old" != target.read_text()


def test_output_into_missing_folder_exit_2(answers_file, tmp_path):
    target = tmp_path / "no" / "such" / "report.txt"
    result = ask("--answers", answers_file, "--output", target, expect=2)
    assert result.stdout == ""
    assert "does not exist" in result.stderr and str(target.parent) in result.stderr
    assert not target.parent.exists()


def test_output_into_missing_folder_json_mode(answers_file, tmp_path):
    target = tmp_path / "no" / "report.json"
    result = ask("--answers", answers_file, "--format", "json", "--output", target, expect=2)
    assert result.stdout == ""
    error = stderr_json(result)
    assert "does not exist" in error["message"]


def test_output_is_a_folder_exit_2(answers_file, tmp_path):
    result = ask("--answers", answers_file, "--output", tmp_path, expect=2)
    assert "folder" in result.stderr


def test_save_answers_private_and_reloadable(tmp_path):
    saved = tmp_path / "saved.yaml"
    args = [a for k, v in minimal_answers(smoking="current", diabetes="yes").items() for a in ("--set", f"{k}={v}")]
    first = ask(*args, "--format", "json", "--save-answers", saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    again = ask("--answers", saved, "--format", "json", "--no-input")
    assert again.stdout == first.stdout
    assert again.json["answers"]["smoking"] == "current"


def test_save_answers_as_json(tmp_path):
    saved = tmp_path / "saved.json"
    path = write_answers(tmp_path / "in.yaml", MINIMAL_ANSWERS)
    ask("--answers", path, "--save-answers", saved, "--format", "json")
    assert json.loads(saved.read_text()) == MINIMAL_ANSWERS
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_save_answers_into_missing_folder_exit_2(answers_file, tmp_path):
    result = ask("--answers", answers_file, "--save-answers", tmp_path / "no" / "a.yaml", expect=2)
    assert "--save-answers" in result.stderr and "does not exist" in result.stderr


# --- determinism, version, explain --------------------------------------------------------------


def _ask_in_a_process(hash_seed: str, *args: str | Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": hash_seed}
    proc = subprocess.run(
        [sys.executable, "-m", "spinedecide", "ask", *map(str, args), "--format", "json", "--explain", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize(
    "rules",
    [RULES, (), ("--rules", str(ROOT / "data" / "factors.yaml"))],
    ids=["minimal", "shipped-snapshot", "shipped-parsed"],
)
def test_json_is_byte_identical_across_processes_with_different_hash_seeds(tmp_path, rules):
    """Set and dict order must not leak into the report. Within one process the string hash seed
    never changes, so two runs are compared in two processes with different PYTHONHASHSEED."""
    if rules == RULES:
        path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking="current", diabetes="yes", age=85, bmi=31))
    else:
        path = ROOT / "tests" / "golden" / "spondylolisthesis_bmi_from_height_weight.answers.yaml"
    first = _ask_in_a_process("0", *rules, "--answers", path)
    second = _ask_in_a_process("4242", *rules, "--answers", path)
    assert first == second
    assert first.endswith("\n") and json.loads(first)["explanations"]


def test_json_does_not_depend_on_the_order_of_the_answers(tmp_path):
    path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking="current", diabetes="yes", age=85, bmi=31))
    first = ask("--answers", path, "--format", "json", "--explain").stdout
    # order of the answers in the file does not matter either
    reordered = dict(reversed(list(minimal_answers(smoking="current", diabetes="yes", age=85, bmi=31).items())))
    other = write_answers(tmp_path / "other.json", reordered)
    assert ask("--answers", other, "--format", "json", "--explain").stdout == first


def test_version_shows_program_and_rules_versions(monkeypatch):
    monkeypatch.setattr(rules_module, "shipped_rules_path", lambda: MINIMAL)
    result = run_cli("--version")
    assert f"spinedecide {spinedecide.__version__}" in result.stdout
    assert "rules 0.0.1 (reviewed 2026-01-01; next review due 2026-07-01)" in result.stdout
    assert "update policy: Test file; never shipped." in result.stdout


def test_version_when_shipped_rules_are_broken_still_shows_program(monkeypatch, tmp_path):
    broken = tmp_path / "factors.yaml"
    broken.write_text("format: 1\n")
    monkeypatch.setattr(rules_module, "shipped_rules_path", lambda: broken)
    result = run_cli("--version")
    assert f"spinedecide {spinedecide.__version__}" in result.stdout
    assert "rules: cannot be loaded" in result.stdout


def test_explain_json_lists_fired_rules(tmp_path):
    path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking="current", diabetes="yes"))
    data = ask("--answers", path, "--format", "json", "--explain").json
    assert data["fired_rules"] == ["smoking_infection", "diabetes_infection"]
    explained = {e["id"]: e for e in data["explanations"] if e["kind"] == "rule"}
    assert set(explained) == {"smoking_infection", "diabetes_infection"}
    assert explained["smoking_infection"]["answers"] == {"smoking": "current"}
    assert explained["smoking_infection"]["findings"] == ["op_infection"]


def test_explain_text_lists_fired_rule_ids(tmp_path):
    # BUG (src/spinedecide/render/text.py:102): Explanation.answers is a tuple of pairs
    # (report.py:106) but the text renderer calls .items() on it -> internal error, exit 1.
    path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking="current", diabetes="yes"))
    result = ask("--answers", path, "--format", "text", "--explain")
    out = result.stdout
    assert "WHY: THE RULES THAT FIRED" in out
    assert "smoking_infection" in out and "diabetes_infection" in out
    assert "smoking = current" in out
    assert "old_death" not in out


def test_explain_rich_lists_fired_rule_ids(tmp_path):
    # BUG (src/spinedecide/render/rich.py, the --explain table's add_row): same .items() on a tuple of pairs.
    path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking="current"))
    result = ask("--answers", path, "--format", "rich", "--explain")
    assert "smoking_infection" in result.stdout
    assert "diabetes_infection" not in result.stdout


def test_explain_text_when_nothing_fired(answers_file):
    result = ask("--answers", answers_file, "--format", "text", "--explain")
    assert "No rules fired" in result.stdout
    plain = ask("--answers", answers_file, "--format", "text")
    assert "WHY" not in plain.stdout


def test_python_dash_m_version_in_a_subprocess():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "spinedecide", "--version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"spinedecide {spinedecide.__version__}"
    assert any(line.startswith("rules") for line in lines[1:]), proc.stdout
    assert "Traceback" not in proc.stderr


def test_python_dash_m_ask_json_in_a_subprocess(answers_file):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "spinedecide", "ask", *RULES, "--answers", str(answers_file), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["answers"] == MINIMAL_ANSWERS
