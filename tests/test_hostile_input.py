"""Issue 16: hostile input and failing streams, driven as a shell or a script would. Every
failure is exit 2 with a clear message; nothing from input reaches the terminal raw."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from proc import EXAMPLE, MINIMAL, MINIMAL_LINE, clean_env, no_traceback, run, unsafe_in

REPORT_FORMATS = ["text", "rich", "markdown", "note", "html"]


def minimal_json(tmp_path: Path) -> Path:
    path = tmp_path / "me.json"
    path.write_text(MINIMAL_LINE, encoding="utf-8")
    return path


# --- batch --------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_lone_surrogate_in_a_batch_key_is_an_error_record_for_that_line_only(tmp_path, workers):
    bad = {1, 65, 130}  # the first line, and lines in the second and third chunks of 64
    lines = ['{"\\ud800": 1}' if n in bad else MINIMAL_LINE for n in range(1, 141)]
    source = tmp_path / "people.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run("batch", "--rules", MINIMAL, "--workers", workers, source)
    assert proc.returncode == 2, proc.stderr
    out = proc.stdout.decode("utf-8").splitlines()  # valid UTF-8 throughout
    assert len(out) == 140
    for n, text in enumerate(out, 1):
        record = json.loads(text)
        if n in bad:
            assert record["line"] == n and record["error"] == "answers_error", record
            # Echoed in its visible form, so that strict JSON readers (jq) can read the line: the
            # decoded text holds no lone surrogate and encodes as UTF-8.
            assert record["problems"][0]["field"] == "\\ud800"
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        else:
            assert "schema_version" in record, (n, record)
    assert unsafe_in(proc.stdout) == [] and unsafe_in(proc.stderr) == []


# --- escape codes and bidirectional controls ------------------------------------------------------


HOSTILE = {"ESC": "\\e[8m", "BEL": "\\a", "DEL": "\\x7f", "C1 CSI": "\\x9b8m", "RLO": "\\u202e", "isolate": "\\u2066"}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_rules_file_with_control_or_bidi_characters_is_refused_at_load_with_its_line(tmp_path, name):
    text = MINIMAL.read_text(encoding="utf-8").replace('title: "Test rules"', f'title: "Test {HOSTILE[name]}rules"')
    rules = tmp_path / "clinic.yaml"
    rules.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.strip().startswith('title: "Test'))
    for args in (
        ["about"],
        ["ask", "--answers", minimal_json(tmp_path), "--no-input", "--format", "note"],
        ["rules", "check", rules],
        ["sources"],
        ["questions"],
    ):
        proc = run(*args, *(["--rules", rules] if args[:2] != ["rules", "check"] else []))
        assert proc.returncode == 2, (args, proc.stderr)
        both = proc.stdout + proc.stderr
        assert f"clinic.yaml:{line}".encode() in both, both
        assert b"is not allowed" in both
        assert unsafe_in(proc.stdout) == [] and unsafe_in(proc.stderr) == [], (args, both)
        no_traceback(proc)


def test_a_raw_escape_character_in_a_rules_file_is_refused_with_its_line(tmp_path):
    rules = tmp_path / "clinic.yaml"
    rules.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("Test disclaimer.", "Test \x1b[8mdisclaimer."), encoding="utf-8"
    )
    proc = run("about", "--rules", rules)
    assert proc.returncode == 2
    assert b"clinic.yaml:16:" in proc.stderr and b"\\x1b" in proc.stderr, proc.stderr
    assert unsafe_in(proc.stderr) == []


@pytest.mark.parametrize("fmt", [*REPORT_FORMATS, "json"])
def test_control_characters_in_answers_keys_and_set_keys_are_shown_escaped(tmp_path, fmt):
    me = tmp_path / "me.json"
    me.write_text('{"\\u001b[8mhidden": 1, "\\u202eevil": 2, "\\u009bx": 3}', encoding="utf-8")
    for args in (["--answers", me], ["--set", "\x1b[8mhidden=1", "--set", "\u202eevil=2"]):
        proc = run("ask", "--rules", MINIMAL, "--no-input", "--format", fmt, *args)
        assert proc.returncode == 2, proc.stderr
        assert b"\\x1b[8mhidden" in proc.stderr or b"\\u001b[8mhidden" in proc.stderr, proc.stderr
        assert b"\\u202eevil" in proc.stderr
        assert unsafe_in(proc.stdout) == [] and unsafe_in(proc.stderr) == [], proc.stderr
        if fmt == "json":
            assert json.loads(proc.stderr)["error"] == "answers_error"


def test_a_file_name_with_escape_codes_is_shown_escaped(tmp_path):
    name = tmp_path / "\x1b[31mclinic.yaml"
    proc = run("about", "--rules", name)
    assert proc.returncode == 2
    assert b"\\x1b[31mclinic.yaml: no such rules file" in proc.stderr
    assert unsafe_in(proc.stderr) == []
    good = tmp_path / "\u202eclinic.yaml"
    good.write_bytes(MINIMAL.read_bytes())
    for fmt in ("text", "json"):
        proc = run("about", "--rules", good, "--format", fmt)
        assert proc.returncode == 0, proc.stderr
        assert b"\\u202eclinic.yaml" in proc.stdout and unsafe_in(proc.stdout) == []
    assert json.loads(proc.stdout)["rules_file"].endswith("\u202eclinic.yaml")  # the same data


# --- encodings ------------------------------------------------------------------------------------


NOT_UTF8 = {
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "POSIX locale": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "TERM=dumb": {"TERM": "dumb"},
}


@pytest.mark.parametrize("where", list(NOT_UTF8))
@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_reports_on_a_stream_that_cannot_carry_utf8_are_plain_ascii(where, fmt):
    proc = run("ask", "--answers", EXAMPLE, "--no-input", "--format", fmt, env=clean_env(**NOT_UTF8[where]))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.isascii(), [line for line in proc.stdout.splitlines() if not line.isascii()][:3]
    assert b"Slatis" in proc.stdout or fmt == "note"  # an accent dropped, not the name
    no_traceback(proc)


@pytest.mark.parametrize("where", list(NOT_UTF8))
def test_json_and_output_files_are_utf8_whatever_the_locale(tmp_path, where):
    env = clean_env(**NOT_UTF8[where])
    proc = run("ask", "--answers", EXAMPLE, "--no-input", "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert any("Slätis" in s["citation"] for s in json.loads(proc.stdout.decode("utf-8"))["sources"])
    out = tmp_path / "report.md"
    assert (
        run("ask", "--answers", EXAMPLE, "--no-input", "--format", "markdown", "--output", out, env=env).returncode == 0
    )
    assert "Slätis" in out.read_text(encoding="utf-8")


def test_the_interview_on_a_latin1_terminal_is_plain_ascii(tmp_path):
    rules = tmp_path / "clinic.yaml"
    rules.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("How old are you?", "How old are you – in years…?"),
        encoding="utf-8",
    )
    given = [f"--set={k}={v}" for k, v in json.loads(MINIMAL_LINE).items() if k != "age"]
    proc = run("ask", "--rules", rules, *given, input="50\n", env=clean_env(PYTHONIOENCODING="latin-1"))
    assert proc.returncode == 0, proc.stderr
    assert b"How old are you - in years...?" in proc.stderr, proc.stderr
    assert proc.stderr.isascii() and proc.stdout.isascii()


# --- huge numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_whole_numbers_are_exit_2_with_a_message_everywhere(tmp_path, digits):
    big = "9" * digits
    (tmp_path / "a.yaml").write_text(f"age: {big}\n", encoding="utf-8")
    (tmp_path / "a.json").write_text(f'{{\n  "age": {big}\n}}', encoding="utf-8")
    fhir = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [{"linkId": "age", "answer": [{"valueInteger": 0}]}],
    }
    (tmp_path / "fhir.json").write_text(
        json.dumps(fhir).replace('"valueInteger": 0', f'"valueInteger": {big}'), encoding="utf-8"
    )
    for name in ("a.yaml", "a.json", "fhir.json"):
        proc = run("ask", "--rules", MINIMAL, "--no-input", "--answers", tmp_path / name)
        assert proc.returncode == 2, (name, proc.stderr)
        assert b"too large" in proc.stderr, proc.stderr
        no_traceback(proc)
    proc = run("ask", "--rules", MINIMAL, "--no-input", "--set", f"age={big}")
    assert proc.returncode == 2
    no_traceback(proc)
    proc = run("batch", "--rules", MINIMAL, "-", input=f'{{"age": {big}}}\n{MINIMAL_LINE}\n')
    assert proc.returncode == 2
    first, second = proc.stdout.splitlines()
    assert json.loads(first)["error"] == "answers_error" and "schema_version" in json.loads(second)
    no_traceback(proc)
    rules = tmp_path / "clinic.yaml"
    rules.write_text(MINIMAL.read_text(encoding="utf-8").replace("max: 110", f"max: {big}"), encoding="utf-8")
    proc = run("about", "--rules", rules)
    assert proc.returncode == 2 and b"clinic.yaml:" in proc.stderr and b"too large" in proc.stderr, proc.stderr
    no_traceback(proc)


# --- size limits while reading ------------------------------------------------------------------


def test_size_limits_apply_while_reading_devices_and_pipes(tmp_path):
    proc = run("about", "--rules", "/dev/zero", timeout=30)
    assert proc.returncode == 2 and b"too large" in proc.stderr, proc.stderr
    proc = run("ask", "--no-input", "--answers", "/dev/zero", timeout=30)
    assert proc.returncode == 2 and b"too large" in proc.stderr, proc.stderr
    big = MINIMAL.read_bytes() + b"#" + b"x" * (6 * 1024 * 1024) + b"\n"
    proc = run("about", "--rules", "/dev/stdin", input=big, timeout=30)  # a pipe: no size to stat
    assert proc.returncode == 2 and b"too large" in proc.stderr, proc.stderr
    no_traceback(proc)


# --- too many answers, JSON line numbers ------------------------------------------------------


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_too_many_answers_are_refused_saying_so(tmp_path, kind):
    path = tmp_path / f"many.{kind}"
    if kind == "yaml":
        path.write_text("".join(f"k{i}: 1\n" for i in range(100_000)), encoding="utf-8")
    else:
        path.write_text(json.dumps({f"{i:x}": 1 for i in range(100_000)}, separators=(",", ":")), encoding="utf-8")
    assert path.stat().st_size < 1024 * 1024
    proc = run("ask", "--no-input", "--answers", path)
    assert proc.returncode == 2
    assert b"too many answers: 100,000, at most 1,000" in proc.stderr, proc.stderr
    assert b"alias" not in proc.stderr


def test_errors_in_a_multi_line_json_answers_file_name_the_line(tmp_path):
    path = tmp_path / "me.json"
    path.write_text('{\n  "age": 50,\n  "smoking": "sometimes",\n  "diabetes": "no"\n}\n', encoding="utf-8")
    proc = run("ask", "--rules", MINIMAL, "--no-input", "--format", "json", "--answers", path)
    assert proc.returncode == 2
    problems = {p["field"]: p for p in json.loads(proc.stderr)["problems"]}
    assert problems["smoking"]["line"] == 3, problems
    path.write_text('{\n  "age": 50,\n  "age": 51\n}\n', encoding="utf-8")
    proc = run("ask", "--rules", MINIMAL, "--no-input", "--answers", path)
    assert proc.returncode == 2 and b"me.json:3:" in proc.stderr and b"duplicate key" in proc.stderr, proc.stderr


# --- standard output full or closed, standard error closed --------------------------------------


COMMANDS = {
    "ask": ["ask", "--answers", EXAMPLE, "--no-input"],
    "ask json": ["ask", "--answers", EXAMPLE, "--no-input", "--format", "json"],
    "batch": ["batch", "--rules", MINIMAL, "-"],
    "batch workers": ["batch", "--rules", MINIMAL, "--workers", "2", "-"],
    "questions": ["questions"],
    "schema": ["schema", "report"],
    "sources": ["sources"],
    "about": ["about"],
    "rules check": ["rules", "check", MINIMAL],
    "rules show": ["rules", "show", "decompression_infection"],
    "version": ["--version"],
}
BATCH_INPUT = (MINIMAL_LINE + "\n") * 300


@pytest.mark.parametrize("stream", ["full", "closed"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_standard_output_full_or_closed_is_exit_2_with_one_line(command, stream):
    args = COMMANDS[command]
    kwargs: dict = {"input": BATCH_INPUT if command.startswith("batch") else None}
    if stream == "full":
        with open("/dev/full", "wb") as full:
            proc = run(*args, stdout=full, **kwargs)
    else:
        proc = run(*args, stdout=None, preexec_fn=lambda: os.close(1), **kwargs)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and "cannot write to standard output" in lines[0], proc.stderr
    no_traceback(proc)


@pytest.mark.parametrize("case", ["bad answers", "full stdout", "ok"])
def test_a_closed_standard_error_never_changes_the_exit_code(tmp_path, case):
    args = {
        "bad answers": ["ask", "--no-input", "--answers", tmp_path / "missing.yaml"],
        "full stdout": ["ask", "--answers", EXAMPLE, "--no-input"],
        "ok": ["ask", "--answers", EXAMPLE, "--no-input"],
    }[case]
    with open("/dev/full" if case == "full stdout" else os.devnull, "wb") as out:
        proc = run(*args, stdout=out, stderr=None, preexec_fn=lambda: os.close(2))
    assert proc.returncode == (0 if case == "ok" else 2)
