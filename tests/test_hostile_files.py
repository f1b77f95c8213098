"""Issue 16: --output, --save-answers and rules init never lose the person's data or replace a
device; every refusal is exit 2 with a message. Driven as a shell would (a separate process)."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from proc import MINIMAL, MINIMAL_LINE, no_traceback, run

#: spinedecide run as an ordinary user (uid 65534), for what root would be allowed anyway.
AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "spinedecide"]

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="making devices needs root")


@pytest.fixture
def open_dir():
    """A folder a normal user can reach (pytest's own tmp folders are root's only)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="spinedecide-16-", dir="/tmp"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def answers(tmp_path: Path, name: str = "me.json") -> Path:
    path = tmp_path / name
    path.write_text(MINIMAL_LINE + "\n", encoding="utf-8")
    return path


def ask(*args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return run("ask", "--rules", MINIMAL, "--no-input", *args, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("how", ["same name", "another path", "hard link", "symlink"])
def test_output_onto_the_answers_file_is_refused_and_the_answers_kept(tmp_path, how):
    me = answers(tmp_path)
    other = {
        "same name": me,
        "another path": tmp_path / "." / "me.json",
        "hard link": tmp_path / "link.json",
        "symlink": tmp_path / "sym.json",
    }[how]
    if how == "hard link":
        os.link(me, other)
    elif how == "symlink":
        other.symlink_to(me)
    proc = ask("--answers", me, "--output", other)
    assert proc.returncode == 2, proc.stderr
    assert b"same file as --answers" in proc.stderr
    assert me.read_text(encoding="utf-8") == MINIMAL_LINE + "\n"
    no_traceback(proc)


def test_output_onto_the_save_answers_file_is_refused_but_resuming_is_allowed(tmp_path):
    me = answers(tmp_path)
    saved = tmp_path / "saved.json"
    os.link(me, saved)  # an existing file under two names
    proc = ask("--answers", me, "--save-answers", tmp_path / "new.json", "--output", tmp_path / "new.json")
    assert proc.returncode == 2 and b"same file as --save-answers" in proc.stderr
    proc = ask("--answers", me, "--save-answers", saved, "--output", me)
    assert proc.returncode == 2
    assert me.read_text(encoding="utf-8") == MINIMAL_LINE + "\n"
    resumed = ask("--answers", me, "--save-answers", me, "--output", tmp_path / "report.txt")
    assert resumed.returncode == 0, resumed.stderr  # --save-answers equal to --answers: how a person resumes
    assert "age" in me.read_text(encoding="utf-8")


# Only devices made for the test are written to: on code with the bug, a test aimed at the real
# /dev/null or /dev/full would replace the machine's own device with a regular file.


@ROOT_ONLY
@pytest.mark.parametrize("name, numbers", [("null", (1, 3)), ("zero", (1, 5))])
def test_output_onto_a_character_device_writes_in_place_and_keeps_the_device(tmp_path, name, numbers):
    path = tmp_path / name
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*numbers))  # the same device as /dev/null, /dev/zero
    os.chmod(path, 0o666)
    before = os.stat(path)
    proc = ask("--answers", answers(tmp_path), "--output", path)
    assert proc.returncode == 0, proc.stderr
    after = os.stat(path)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert stat.S_IMODE(after.st_mode) == 0o666  # no chmod on a device
    assert (after.st_ino, after.st_dev) == (before.st_ino, before.st_dev)  # not replaced


@ROOT_ONLY
def test_output_onto_a_full_device_is_exit_2_and_the_device_stays(tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # the same device as /dev/full
    proc = ask("--answers", answers(tmp_path), "--output", full)
    assert proc.returncode == 2, proc.stderr
    assert b"No space left on device" in proc.stderr
    assert stat.S_ISCHR(os.stat(full).st_mode)
    no_traceback(proc)


def test_output_to_a_link_to_standard_output_writes_the_report_there(tmp_path):
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")  # what /dev/stdout is, without risking the real one
    proc = ask("--answers", answers(tmp_path), "--output", stdout, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert b'"schema_version"' in proc.stdout
    assert stdout.is_symlink()


def test_output_to_dev_stdout_works_for_a_normal_user_too(open_dir):
    # A normal user cannot replace /dev/stdout, so the real one is safe to use here.
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to drop to a normal user")

    me = answers(open_dir)
    os.chmod(me, 0o644)
    read, write = os.pipe()
    for fd in (read, write):
        os.fchown(fd, 65534, 65534)  # the user's own pipe, as their shell's would be
    proc = subprocess.Popen(
        [
            *AS_NOBODY,
            "ask",
            "--rules",
            str(MINIMAL),
            "--no-input",
            "--answers",
            str(me),
            "--output",
            "/dev/stdout",
            "--format",
            "json",
        ],
        stdout=write,
        stderr=subprocess.PIPE,
        env={**os.environ, "HOME": "/tmp"},
        cwd="/tmp",
    )
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        out = pipe.read()
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 0, err
    assert b'"schema_version"' in out
    assert stat.S_ISLNK(os.lstat("/dev/stdout").st_mode)


def test_output_into_a_fifo_writes_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = ask("--answers", answers(tmp_path), "--output", fifo, "--format", "json")
    reader.join(10)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and b'"schema_version"' in received[0]


def test_output_onto_a_folder_socket_or_block_device_is_refused(tmp_path):
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    targets = {"a folder": tmp_path, "a socket": sock_path}
    if os.geteuid() == 0:
        block = tmp_path / "disk"
        os.mknod(block, 0o600 | stat.S_IFBLK, os.makedev(7, 0))
        targets["a block device"] = block
    try:
        for what, target in targets.items():
            before = os.lstat(target)
            proc = ask("--answers", answers(tmp_path), "--output", target)
            assert proc.returncode == 2, (what, proc.stderr)
            assert what.encode() in proc.stderr or b"folder" in proc.stderr, proc.stderr
            assert os.lstat(target).st_mode == before.st_mode, what
            no_traceback(proc)
    finally:
        server.close()


def test_a_symlink_is_written_through_only_to_a_regular_file(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    proc = ask("--answers", answers(tmp_path), "--output", link)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and "Test rules" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    for bad in ("nothing", "folder"):
        other = tmp_path / f"to-{bad}"
        other.symlink_to(tmp_path / "missing" if bad == "nothing" else tmp_path)
        proc = ask("--answers", answers(tmp_path), "--output", other)
        assert proc.returncode == 2, (bad, proc.stderr)
        assert other.is_symlink()
        no_traceback(proc)


def test_a_symlink_to_a_file_the_user_could_not_write_is_refused(open_dir):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to drop to a normal user")

    protected = open_dir / "protected.txt"
    protected.write_text("keep", encoding="utf-8")
    os.chmod(protected, 0o644)  # root's: a normal user may read it, not write it
    (open_dir / "link.txt").symlink_to(protected)
    me = answers(open_dir)
    os.chmod(me, 0o644)
    proc = subprocess.run(
        [
            *AS_NOBODY,
            "ask",
            "--rules",
            str(MINIMAL),
            "--no-input",
            "--answers",
            str(me),
            "--output",
            str(open_dir / "link.txt"),
        ],
        capture_output=True,
        timeout=60,
        env={**os.environ, "HOME": "/tmp"},
        cwd="/tmp",
    )
    assert proc.returncode == 2, proc.stderr
    assert b"cannot be written" in proc.stderr
    assert protected.read_text(encoding="utf-8") == "keep"


def test_a_full_disk_is_exit_2_with_a_message(tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tiny file system")
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(small)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        proc = ask("--answers", answers(tmp_path), "--output", small / "report.html", "--format", "html")
        assert proc.returncode == 2, proc.stderr
        assert b"No space left on device" in proc.stderr
        assert [p.name for p in small.iterdir()] == []  # no half-written file, no temporary file
        no_traceback(proc)
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


def test_rules_init_writes_owner_only_and_atomically_whatever_the_umask(tmp_path):
    target = tmp_path / "clinic.yaml"
    proc = run("rules", "init", target, preexec_fn=lambda: os.umask(0))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    # --force onto a symlink: the file it leads to is replaced whole (a new inode), owner-only.
    real = tmp_path / "real.yaml"
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o644)
    inode = os.stat(real).st_ino
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert run("rules", "init", link).returncode == 2  # exists: needs --force
    proc = run("rules", "init", "--force", link, preexec_fn=lambda: os.umask(0))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.stat(real).st_ino != inode
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o600
    assert real.read_bytes() == target.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "nowhere" / "x.yaml")
    proc = run("rules", "init", "--force", dangling)
    assert proc.returncode == 2 and dangling.is_symlink()
    no_traceback(proc)
