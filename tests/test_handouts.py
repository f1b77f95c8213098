"""`spinedecide batch --out-dir DIR`: one owner-only file per line, a status record per line (issue 20).

Each file equals what `ask --answers LINE --format F --output FILE` writes; names come from the
line number or the reserved key `_file`, made safe; nothing is ever overwritten without --force;
a full disk stops the run with exit 2 and says which lines were written. Runs against
tests/data/minimal.yaml.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import RULES, minimal_answers, run_cli
from proc import no_traceback
from proc import run as run_process

from spinedecide.schema import batch_status_schema

jsonschema = pytest.importorskip("jsonschema")
STATUS = jsonschema.Draft202012Validator(batch_status_schema())


def jsonl(*items: object) -> str:
    return "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items)


def people(tmp_path: Path, *items: object) -> Path:
    path = tmp_path / "people.jsonl"
    path.write_text(jsonl(*items), encoding="utf-8")
    return path


def records(result: Any) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    for line in lines:
        assert [e.message for e in STATUS.iter_errors(line)] == [], line
    return lines


def batch(path: Path, out: Path, *args: str, expect: int | None = 0) -> Any:
    return run_cli("batch", str(path), *RULES, "--out-dir", str(out), *args, expect=expect)


def ask_output(tmp_path: Path, answers: dict[str, Any], fmt: str, *args: str) -> bytes:
    """What `spinedecide ask --output` writes for these answers."""
    given = tmp_path / "given.json"
    given.write_text(json.dumps(answers), encoding="utf-8")
    target = tmp_path / f"ask-output.{fmt}"
    target.unlink(missing_ok=True)
    run_cli("ask", "--answers", str(given), "--no-input", "--format", fmt, "--output", str(target), *RULES, *args)
    return target.read_bytes()


# -- what is written ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "extension"), [("html", "html"), ("markdown", "md"), ("text", "txt"), ("note", "txt"), ("json", "json")]
)
def test_each_file_is_what_ask_output_writes(tmp_path: Path, fmt: str, extension: str) -> None:
    lines = [minimal_answers(age=30), minimal_answers(age=77, smoking="current"), minimal_answers(bladder_bowel="yes")]
    out = tmp_path / "handouts"
    result = batch(people(tmp_path, *lines), out, "--format", fmt)
    assert records(result) == [
        {"line": n, "file": str(out / f"line-{n:06d}.{extension}"), "urgent": n == 3} for n in (1, 2, 3)
    ]
    for n, answers in enumerate(lines, 1):
        assert (out / f"line-{n:06d}.{extension}").read_bytes() == ask_output(tmp_path, answers, fmt)
    assert "3 files written in" in result.stderr


def test_detail_key_gives_the_key_points_as_ask_does(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    batch(people(tmp_path, minimal_answers()), out, "--format", "text", "--detail", "key")
    short = (out / "line-000001.txt").read_bytes()
    assert short == ask_output(tmp_path, minimal_answers(), "text", "--detail", "key")
    assert len(short) < len(ask_output(tmp_path, minimal_answers(), "text"))


def test_fhir_bundles_are_what_ask_writes_at_the_same_time(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    out = tmp_path / "bundles"
    batch(people(tmp_path, minimal_answers()), out, "--format", "fhir")
    assert (out / "line-000001.json").read_bytes() == ask_output(tmp_path, minimal_answers(), "fhir")


def test_folder_and_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        out = tmp_path / "handouts"
        batch(people(tmp_path, minimal_answers()), out, "--format", "html")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "line-000001.html").stat().st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == ["line-000001.html"]  # no temporary file left


def test_bad_lines_get_the_batch_error_record_and_the_exit_code_of_json_batch(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    result = batch(people(tmp_path, minimal_answers(), "{not json", {"age": 60}), out, "--format", "html", expect=2)
    json_batch = run_cli("batch", str(tmp_path / "people.jsonl"), *RULES, expect=2)
    lines = records(result)
    assert lines[0]["file"].endswith("line-000001.html")
    assert lines[1:] == [json.loads(line) for line in json_batch.stdout.splitlines()[1:]]
    assert sorted(p.name for p in out.iterdir()) == ["line-000001.html"]


# -- names ----------------------------------------------------------------------------------------


def test_the_reserved_key_names_the_file_and_leaves_the_report_alone(tmp_path: Path) -> None:
    named = minimal_answers(_file="Smith, J (1957)")
    out = tmp_path / "handouts"
    result = batch(people(tmp_path, named, minimal_answers(age=40)), out, "--format", "markdown")
    assert [r["file"] for r in records(result)] == [str(out / "Smith, J (1957).md"), str(out / "line-000002.md")]
    assert (out / "Smith, J (1957).md").read_bytes() == ask_output(tmp_path, minimal_answers(), "markdown")
    # The same line in JSON batch: the key is taken out, the report is that of the line without it.
    with_key = run_cli("batch", str(people(tmp_path, named)), *RULES).stdout
    without = run_cli("batch", str(people(tmp_path, minimal_answers())), *RULES).stdout
    assert with_key == without


def test_a_name_that_already_ends_in_the_extension_keeps_it(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    result = batch(people(tmp_path, minimal_answers(_file="visit.HTML")), out, "--format", "html")
    assert records(result)[0]["file"] == str(out / "visit.HTML")


@pytest.mark.parametrize(
    "name",
    [
        "../escaped",
        "a/b",
        "a\\b",
        "/etc/passwd",
        ".hidden",
        "..",
        ".",
        "a..b",
        "nul\x00byte",
        "esc\x1b[31m",
        "bidi\u202eevil",
        "x" * 101,
        "é" * 101,
        "",
        "   ",
        " leading",
        "trailing.",
        "c:drive",
        "what?",
        5,
        None,
        ["a"],
    ],
)
def test_unsafe_names_are_an_error_for_that_line_only(tmp_path: Path, name: object) -> None:
    out = tmp_path / "handouts"
    result = batch(
        people(tmp_path, minimal_answers(_file=name) | {"_file": name}, minimal_answers()),
        out,
        "--format",
        "html",
        expect=2,
    )
    first, second = records(result)
    assert first["error"] == "answers_error" and first["problems"][0]["field"] == "_file"
    assert second["file"] == str(out / "line-000002.html")
    assert sorted(p.name for p in out.iterdir()) == ["line-000002.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handouts", "people.jsonl"]  # nothing outside
    # The same line is an error in JSON batch too: a file behaves the same whatever the format.
    assert (
        json.loads(run_cli("batch", str(tmp_path / "people.jsonl"), *RULES, expect=2).stdout.splitlines()[0]) == first
    )


def test_names_that_differ_only_in_case_clash_and_the_first_file_stays(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    path = people(
        tmp_path,
        minimal_answers(age=30, _file="Smith"),
        minimal_answers(age=40, _file="SMITH"),
        minimal_answers(age=50, _file="line-000004"),
        minimal_answers(age=60),
        minimal_answers(age=70, _file="Stra\u00dfe"),
        minimal_answers(age=71, _file="STRASSE"),  # casefold: ß is ss
    )
    result = batch(path, out, "--format", "text", expect=2)
    lines = records(result)
    assert [("file" in r, r.get("error")) for r in lines] == [
        (True, None),
        (False, "output_error"),
        (True, None),
        (False, "output_error"),
        (True, None),
        (False, "output_error"),
    ]
    assert "Smith.txt" in lines[1]["message"]
    assert (out / "Smith.txt").read_bytes() == ask_output(tmp_path, minimal_answers(age=30), "text")
    assert sorted(p.name for p in out.iterdir()) == ["Smith.txt", "Stra\u00dfe.txt", "line-000004.txt"]


def test_numbering_goes_on_past_six_digits() -> None:
    from spinedecide.handouts import Spec, file_name

    assert file_name(Spec("html"), 7, None) == "line-000007.html"
    assert file_name(Spec("note"), 1_234_567, None) == "line-1234567.txt"


# -- nothing overwritten ------------------------------------------------------------------------------


def test_existing_files_are_refused_unless_force(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    out.mkdir(mode=0o700)
    (out / "line-000001.html").write_text("the clinic's own file", encoding="utf-8")
    (out / "Jones.html").write_text("another", encoding="utf-8")
    path = people(tmp_path, minimal_answers(), minimal_answers(_file="jones"), minimal_answers(age=33))
    result = batch(path, out, "--format", "html", expect=2)
    lines = records(result)
    assert lines[0]["error"] == "output_error" and "--force" in lines[0]["message"]
    assert lines[1]["error"] == "output_error" and "Jones.html" in lines[1]["message"]  # differs only in case
    assert lines[2]["file"] == str(out / "line-000003.html")
    assert (out / "line-000001.html").read_text(encoding="utf-8") == "the clinic's own file"
    assert (out / "Jones.html").read_text(encoding="utf-8") == "another"

    forced = records(batch(path, out, "--format", "html", "--force", expect=2))
    assert forced[0]["file"] == str(out / "line-000001.html")
    assert (out / "line-000001.html").read_bytes() == ask_output(tmp_path, minimal_answers(), "html")
    assert forced[1]["error"] == "output_error"  # a case variant is never replaced
    assert (out / "Jones.html").read_text(encoding="utf-8") == "another"


def test_force_replaces_a_link_never_what_it_points_to(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    out.mkdir(mode=0o700)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (out / "line-000001.txt").symlink_to(precious)
    path = people(tmp_path, minimal_answers())
    assert records(batch(path, out, "--format", "text", expect=2))[0]["error"] == "output_error"
    batch(path, out, "--format", "text", "--force")
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert not (out / "line-000001.txt").is_symlink()


def test_force_never_replaces_the_input_file(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    out.mkdir(mode=0o700)
    source = out / "people.json"  # JSON Lines, named so that a line's file would land on it
    source.write_text(jsonl(minimal_answers(_file="people")), encoding="utf-8")
    before = source.read_bytes()
    result = run_cli("batch", str(source), *RULES, "--out-dir", str(out), "--force", expect=2)
    assert "input" in records(result)[0]["message"]
    assert source.read_bytes() == before


def test_a_file_made_meanwhile_is_not_replaced(tmp_path: Path, monkeypatch) -> None:
    """Between the folder's listing and the write another program makes the file: still refused."""
    from spinedecide import handouts

    out = tmp_path / "handouts"
    original = handouts.Folder._clash

    def clash_then_race(self: Any, name: str) -> str | None:
        (self.path / name).write_text("made meanwhile", encoding="utf-8")
        return original(self, name)

    monkeypatch.setattr(handouts.Folder, "_clash", clash_then_race)
    result = batch(people(tmp_path, minimal_answers()), out, "--format", "html", expect=2)
    assert "already exists" in records(result)[0]["message"]
    assert (out / "line-000001.html").read_text(encoding="utf-8") == "made meanwhile"
    assert sorted(p.name for p in out.iterdir()) == ["line-000001.html"]


# -- the folder -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777, 0o1777])
def test_a_folder_others_can_write_in_is_refused_before_anything_is_written(tmp_path: Path, mode: int) -> None:
    out = tmp_path / "shared"
    out.mkdir()
    os.chmod(out, mode)
    result = batch(people(tmp_path, minimal_answers()), out, "--format", "html", expect=2)
    assert result.stdout == "" and "others can write" in result.stderr
    assert list(out.iterdir()) == []


def test_an_existing_folder_of_ones_own_is_used_with_a_note_when_others_can_list_it(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    os.chmod(out, 0o755)
    result = batch(people(tmp_path, minimal_answers()), out, "--format", "html")
    assert "others can see the names" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # the person's folder is left as it was


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the folder to another user")
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "theirs"
    out.mkdir(mode=0o700)
    os.chown(out, 65534, 65534)
    result = batch(people(tmp_path, minimal_answers()), out, "--format", "html", expect=2)
    assert "another user" in result.stderr and list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html"], "give --out-dir"),
        (["--force"], "--force is for --out-dir"),
        (["--detail", "key"], "--detail is for"),
        (["--out-dir", "{tmp}/people.jsonl"], "not a folder"),
        (["--out-dir", "{tmp}/no/such", "--format", "html"], "does not exist"),
        (["--out-dir", "{tmp}/out", "--format", "json", "--detail", "full"], "--detail is for"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    path = people(tmp_path, minimal_answers())
    result = run_cli("batch", str(path), *RULES, *(a.format(tmp=tmp_path) for a in args), expect=2)
    assert message in result.stderr and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.jsonl"]


def test_an_unusable_input_makes_no_folder(tmp_path: Path) -> None:
    result = run_cli("batch", str(tmp_path / "missing.jsonl"), *RULES, "--out-dir", str(tmp_path / "h"), expect=2)
    assert "no such" in result.stderr
    assert not (tmp_path / "h").exists()


# -- workers, full disks, real processes ------------------------------------------------------------


def test_two_workers_write_the_same_files_and_records(tmp_path: Path) -> None:
    lines: list[object] = [
        minimal_answers(age=20 + i % 70, _file=f"p{i}") if i % 3 else minimal_answers(age=20 + i % 70)
        for i in range(150)
    ]
    lines[40] = "{broken"
    path = people(tmp_path, *lines)
    one = batch(path, tmp_path / "one", "--format", "note", expect=2)
    two = batch(path, tmp_path / "two", "--format", "note", "--workers", "2", expect=2)
    assert one.stdout.replace(str(tmp_path / "one"), "DIR") == two.stdout.replace(str(tmp_path / "two"), "DIR")
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir()) and len(names) == 149
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_stops_with_exit_2_and_says_which_lines_were_written(
    tmp_path: Path, monkeypatch, workers: str
) -> None:
    from spinedecide import terminal

    real = terminal.write_private
    calls = []

    def fill_up(path: Any, data: Any, **kwargs: Any) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data, **kwargs)

    monkeypatch.setattr(terminal, "write_private", fill_up)
    out = tmp_path / "handouts"
    path = people(tmp_path, *[minimal_answers(age=30 + i) for i in range(200)])
    result = batch(path, out, "--format", "html", "--workers", workers, expect=2)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("file") for r in lines[:2]] == [str(out / "line-000001.html"), str(out / "line-000002.html")]
    assert lines[2]["line"] == 3 and lines[2]["error"] == "output_error" and len(lines) == 3
    assert "No space left on device" in result.stderr and "line 3" in result.stderr
    assert "2 written, the last for line 2" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["line-000001.html", "line-000002.html"]


def _tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="needs root to mount a tmpfs")
def test_a_real_full_disk_in_a_real_process(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "160k"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = people(tmp_path, *[minimal_answers(age=30 + i) for i in range(400)])
        proc = run_process("batch", path, *RULES, "--format", "html", "--out-dir", disk / "h")
        no_traceback(proc)
        assert proc.returncode == 2
        lines = [json.loads(line) for line in proc.stdout.splitlines()]
        written = [r["file"] for r in lines if "file" in r]
        assert written and lines[-1]["error"] == "output_error" and len(lines) == len(written) + 1
        assert sorted(str(p) for p in (disk / "h").iterdir()) == sorted(written)  # no partial or temporary file
        err = proc.stderr.decode()
        assert "No space left on device" in err and f"the last for line {len(written)}" in err
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_real_process_writes_handouts_and_status_lines(tmp_path: Path) -> None:
    path = people(tmp_path, minimal_answers(_file="Ng"), "[]", minimal_answers(bladder_bowel="yes"))
    proc = run_process("batch", path, *RULES, "--format", "html", "--out-dir", "handouts", "-w", "2", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r.get("file") for r in lines] == ["handouts/Ng.html", None, "handouts/line-000003.html"]
    assert lines[2]["urgent"] is True
    assert "2 files written in handouts" in proc.stderr.decode()


def test_force_onto_a_folder_is_an_error_for_that_line(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    (out / "line-000001.html").mkdir(parents=True)
    os.chmod(out, 0o700)
    result = batch(people(tmp_path, minimal_answers(), minimal_answers()), out, "--format", "html", "--force", expect=2)
    first, second = records(result)
    assert first["error"] == "output_error" and "cannot write the file" in first["message"]
    assert second["file"] == str(out / "line-000002.html")
    assert (out / "line-000001.html").is_dir()


def test_without_hard_links_a_new_name_is_still_never_replaced(tmp_path: Path, monkeypatch) -> None:
    def no_links(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    out = tmp_path / "handouts"
    path = people(tmp_path, minimal_answers())
    batch(path, out, "--format", "text")
    assert (out / "line-000001.txt").read_bytes() == ask_output(tmp_path, minimal_answers(), "text")
    (out / "line-000001.txt").write_text("kept", encoding="utf-8")
    from spinedecide.terminal import write_private

    with pytest.raises(FileExistsError):
        write_private(out / "line-000001.txt", b"new", replace=False)
    assert (out / "line-000001.txt").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in out.iterdir()) == ["line-000001.txt"]


AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "spinedecide"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
def test_as_an_ordinary_user_a_folder_one_cannot_write_in_is_refused(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    path = people(tmp_path, minimal_answers())
    os.chmod(path, 0o644)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    os.chown(locked, 65534, 65534)
    proc = subprocess.run(
        [*AS_NOBODY, "batch", str(path), *RULES, "--format", "html", "--out-dir", str(locked)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
        timeout=60,
    )
    no_traceback(proc)
    assert proc.returncode == 2 and b"permission denied" in proc.stderr and proc.stdout == b""
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_leaves_every_file_written_named_in_a_status_record(tmp_path: Path, workers: str) -> None:
    import signal

    path = people(tmp_path, *[minimal_answers(age=20 + i % 70) for i in range(4000)])
    out = tmp_path / "handouts"
    proc = subprocess.Popen(
        [sys.executable, "-m", "spinedecide", "batch", str(path), *RULES, "--format", "note", "--out-dir", str(out)]
        + ["--workers", workers],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
        start_new_session=True,  # the signal goes to the whole group, as a terminal's Ctrl-C does
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    os.killpg(proc.pid, signal.SIGINT)
    rest = proc.stdout.read()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 130, err
    assert "Traceback" not in err and "Stopped" in err
    named = {json.loads(line)["file"] for line in (first + rest).splitlines()}
    assert 0 < len(named) < 4000
    assert {str(p) for p in out.iterdir()} == named  # no file without its record, no temporary file
