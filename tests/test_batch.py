"""`spinedecide batch`: order, errors in place, exit codes, summary counts, workers, stdin.

Runs against tests/data/minimal.yaml (never the shipped rules). No timings here: speed is
measured by benchmarks/, not asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import minimal_answers
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinedecide import assess, load_rules
from spinedecide.batch import dumps
from spinedecide.cli import app

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "data" / "minimal.yaml"
RULES = ["--rules", str(MINIMAL)]
GOOD = minimal_answers()


def person(**changes: object) -> dict:
    return {**GOOD, **changes}


def jsonl(*items: object) -> str:
    return "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items)


def run(*args: str, input: str | None = None) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(app, ["batch", *args], input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout.splitlines(), result.stderr


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Good and bad lines mixed: 4 reports, 5 errors."""
    path = tmp_path / "people.jsonl"
    path.write_text(
        jsonl(
            person(age=30),
            "{not json",
            person(age=41, smoking="current"),
            "",
            [1, 2],
            person(age=200),
            {"age": 60},
            person(age=77, bladder_bowel="yes"),
            person(age=65, diabetes="unknown"),
        ),
        encoding="utf-8",
    )
    return path


def test_reports_are_in_input_order_and_equal_the_api(tmp_path: Path) -> None:
    people = [
        person(age=age, smoking=smoking) for age in (20, 45, 70, 99) for smoking in ("never", "former", "current")
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(*people), encoding="utf-8")
    code, lines, _err = run(str(path), *RULES)
    assert code == 0
    rules = load_rules(MINIMAL)
    assert lines == [dumps(assess(rules, p).to_dict()) for p in people]
    assert [json.loads(line)["answers"]["age"] for line in lines] == [p["age"] for p in people]


def test_bad_lines_give_errors_in_place_with_line_numbers(mixed: Path) -> None:
    code, lines, _err = run(str(mixed), *RULES)
    assert code == 2
    assert len(lines) == 9  # output line N is for input line N
    out = [json.loads(line) for line in lines]
    reports = {1: 30, 3: 41, 8: 77, 9: 65}
    for n, age in reports.items():
        assert out[n - 1]["answers"]["age"] == age
        assert "error" not in out[n - 1]
    assert out[7]["urgent"] is True
    errors = {n: out[n - 1] for n in (2, 4, 5, 6, 7)}
    for n, error in errors.items():
        assert error["line"] == n
        assert error["error"] == "answers_error"
        assert error["problems"] and all(p["line"] == n and p["file"] == str(mixed) for p in error["problems"])
    assert "not valid JSON" in errors[2]["problems"][0]["message"]
    assert "blank line" in errors[4]["problems"][0]["message"]
    assert "not a list" in errors[5]["problems"][0]["message"]
    assert [p["field"] for p in errors[6]["problems"]] == ["age"]
    assert "out of range" in errors[6]["problems"][0]["message"]
    missing = {p["field"] for p in errors[7]["problems"]}
    assert {"bladder_bowel", "condition"} <= missing and all("missing" in p["message"] for p in errors[7]["problems"])


def test_summary_counts_on_stderr(mixed: Path) -> None:
    _code, _lines, err = run(str(mixed), *RULES)
    assert err.strip() == "spinedecide batch: 9 lines: 4 reports (1 urgent), 5 errors (lines 2, 4, 5, 6, 7)."


def test_all_good_exits_0_with_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(person(), person(age=80)), encoding="utf-8")
    code, lines, err = run(str(path), *RULES)
    assert (code, len(lines)) == (0, 2)
    assert err.strip() == "spinedecide batch: 2 lines: 2 reports (0 urgent), 0 errors."


def test_duplicate_keys_and_bad_bytes_are_errors_in_place(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"age": 50, "age": 51}\n\xff\xfe\n' + json.dumps(person()).encode() + b"\n")
    code, lines, _err = run(str(path), *RULES)
    assert code == 2
    first, second, third = (json.loads(line) for line in lines)
    assert first["line"] == 1 and "duplicate key 'age'" in first["problems"][0]["message"]
    assert second["line"] == 2 and "not UTF-8" in second["problems"][0]["message"]
    assert third["answers"]["age"] == 50


def test_no_trailing_newline_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes((json.dumps(person()) + "\r\n" + json.dumps(person(age=60))).encode())
    code, lines, _err = run(str(path), *RULES)
    assert code == 0
    assert [json.loads(line)["answers"]["age"] for line in lines] == [50, 60]


def test_two_workers_give_identical_output(tmp_path: Path, mixed: Path) -> None:
    # Enough lines for many chunks, so the pool really interleaves them.
    people = [
        person(age=18 + i % 90, smoking=("never", "current", "former")[i % 3], bmi=18 + i % 30) for i in range(700)
    ]
    body = mixed.read_text(encoding="utf-8") + jsonl(*people) + "oops\n"
    path = tmp_path / "many.jsonl"
    path.write_text(body, encoding="utf-8")
    one = run(str(path), *RULES, "--workers", "1")
    two = run(str(path), *RULES, "--workers", "2")
    assert one[0] == two[0] == 2
    assert one[1] == two[1]
    assert len(one[1]) == 9 + 700 + 1
    assert one[2] == two[2]
    assert "710 lines: 704 reports" in one[2]


def test_standard_input(mixed: Path) -> None:
    from_file = run(str(mixed), *RULES)
    from_stdin = run("-", *RULES, input=mixed.read_text(encoding="utf-8"))
    assert from_stdin[0] == from_file[0] == 2
    assert from_stdin[2] == from_file[2]
    # The same output, except that errors name standard input rather than the file.
    assert from_stdin[1] == [line.replace(str(mixed), "<stdin>") for line in from_file[1]]
    assert '"file":"<stdin>"' in from_stdin[1][1]


def test_empty_input_is_fine() -> None:
    code, lines, err = run("-", *RULES, input="")
    assert (code, lines) == (0, [])
    assert "0 lines" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "no such JSON Lines file"),
        ([".", *RULES], "folder"),
        (["-", "--rules", "nope.yaml"], "no such rules file"),
        (["-", *RULES, "--workers", "-1"], "--workers"),
    ],
)
def test_unusable_input_exits_2_with_empty_stdout(args: list[str], message: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path) if args[0] != "." else None
    code, lines, err = run(*(args if args[0] != "missing.jsonl" else [str(tmp_path / args[0]), *RULES]), input="")
    assert code == 2
    assert lines == []
    assert message in err


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(TESTS.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    return env


def _start_batch(tmp_path: Path, people: int, workers: str, **popen: Any) -> tuple[subprocess.Popen[bytes], bytes]:
    """A real `spinedecide batch` process on `people` lines, and its first output line."""
    path = tmp_path / "many.jsonl"
    path.write_text(jsonl(*[person(age=20 + i % 80) for i in range(people)]), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "spinedecide", "batch", str(path), *RULES, "--workers", workers],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=_env(),
        **popen,
    )
    assert proc.stdout is not None and proc.stderr is not None
    return proc, proc.stdout.readline()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_closed_stdout_ends_quietly(tmp_path: Path, workers: str) -> None:
    proc, first = _start_batch(tmp_path, 3000, workers)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert json.loads(first)["answers"]["age"] == 20
    assert code == 0
    assert "Traceback" not in err and err == ""


def test_a_cut_off_json_line_names_the_right_column():
    from spinedecide.batch import parse_line
    from spinedecide.errors import AnswersError

    try:
        parse_line('{"age":67,\n', 3, "people.jsonl")
    except AnswersError as exc:
        assert "(column 11)" in exc.problems[0].message
        assert exc.problems[0].line == 3
    else:  # pragma: no cover - the line is not valid JSON
        raise AssertionError("expected an error")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_a_batch_with_exit_130_and_no_traceback(tmp_path: Path, workers: str) -> None:
    import signal

    # A session of its own: the signal goes to the whole group, as a terminal's Ctrl-C does.
    proc, first = _start_batch(tmp_path, 20000, workers, start_new_session=True)
    assert proc.stdout is not None and proc.stderr is not None
    os.killpg(proc.pid, signal.SIGINT)
    proc.stdout.read()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert json.loads(first)["answers"]["age"] == 20
    assert code == 130, err
    assert "Traceback" not in err and "Stopped" in err


def test_a_killed_worker_stops_the_batch_with_a_clear_message(tmp_path: Path) -> None:
    import signal
    import time

    proc, first = _start_batch(tmp_path, 20000, "2")
    assert proc.stdout is not None and proc.stderr is not None
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if not children.exists():  # pragma: no cover - Linux without CONFIG_PROC_CHILDREN
        proc.kill()
        pytest.skip("cannot list child processes here")
    workers: list[int] = []
    for _ in range(100):  # the pool starts its workers at once; wait until they are listed
        workers = [int(pid) for pid in children.read_text().split()]
        if workers:
            break
        time.sleep(0.05)
    assert workers
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer would
    out = first + proc.stdout.read()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert code == 1, err
    assert "Traceback" not in err and "a worker process stopped" in err and "not something you did" not in err
    complete = int(err.split("input lines 1 to ")[1].split(";")[0].replace(",", ""))
    lines = out.decode().splitlines()
    assert len(lines) == complete < 20000  # exactly the lines it says are complete, in order
    assert [json.loads(line)["answers"]["age"] for line in lines[:3]] == [20, 21, 22]


def test_workers_end_when_the_batch_process_is_killed_outright(tmp_path: Path) -> None:
    import signal
    import time

    proc, _first = _start_batch(tmp_path, 20000, "2", start_new_session=True)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if not children.exists():  # pragma: no cover - Linux without CONFIG_PROC_CHILDREN
        proc.kill()
        pytest.skip("cannot list child processes here")
    workers = [int(pid) for pid in children.read_text().split()]
    assert workers
    os.kill(proc.pid, signal.SIGKILL)  # no clean-up runs in the parent
    proc.wait(timeout=30)

    def running(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state not in ("Z", "X")

    deadline = time.monotonic() + 30
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if running(pid)]
    for pid in left:  # pragma: no cover - only when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "workers outlived their parent"


# -- the fast check for unsafe characters -------------------------------------------------------


def _same_as_escape(value: object) -> None:
    from spinedecide.batch import _encoder
    from spinedecide.display import escape, json_utf8

    text = _encoder.encode(value)
    assert json_utf8(text) == escape(text).encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "\x7f",
        "\x80",
        "\x9f",
        "\xa0 \u00b1 \u00bd",
        "\u2013\u2019\u2265",
        "\u202a",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u2029\u2067",
        "\ud800",
        "\udfff x",
        "a\x1bb",
        "\u0085\u202d",
    ],
)
def test_json_utf8_escapes_exactly_what_escape_does(text: str) -> None:
    _same_as_escape({"message": text, "list": [text, 1]})


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
@settings(max_examples=300, deadline=None)
def test_json_utf8_equals_escape_for_any_text(text: str) -> None:
    _same_as_escape([text, {text: text}])
