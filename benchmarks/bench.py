"""What the benchmarks share: the machine's description, the programs they run, timing, the table.

Every benchmark runs whole ``spinedecide`` processes, as a person or a script runs them, with
output to ``/dev/null`` or to a temporary folder on the disk that holds ``/tmp``, never kept.
Each prints the rows of one summary table; ``benchmarks/all.py`` prints them all at once.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
#: The commit the issue-20 targets compare against (README, "Benchmarks").
BASE_COMMIT = "2a9e958"


class Row(NamedTuple):
    measure: str
    result: str
    goal: str


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpu}, {cores} cores available, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def program() -> list[str]:
    """This checkout's installed command (the console script beside this Python), as a user runs it.

    ``pip install`` byte-compiles the package; an editable install does not, and with
    PYTHONDONTWRITEBYTECODE set (as on the machine these figures come from) every run would compile
    every module again. So the package is byte-compiled here first, as an installed copy is."""
    import compileall

    script = Path(sys.executable).parent / "spinedecide"
    if not script.is_file():
        raise SystemExit(
            f"no spinedecide command beside {sys.executable}; run the benchmarks with the project's environment "
            "(.venv/bin/python benchmarks/...)"
        )
    compileall.compile_dir(str(ROOT / "src" / "spinedecide"), quiet=1)
    return [str(script)]


def warn_if_not_in_a_venv() -> None:
    if sys.prefix == sys.base_prefix:
        print(
            "warning: not running in a virtual environment; start-up hooks of the system site-packages may flatter "
            "ratios",
            file=sys.stderr,
        )


def run(cmd: Sequence[str], *, stdout: int | None = subprocess.DEVNULL, ok: Sequence[int] = (0,)) -> float:
    """Wall time of one whole run; output to /dev/null (or as given). Fails on another exit code."""
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-800:]}")
    return elapsed


def stderr_of(cmd: Sequence[str]) -> str:
    return subprocess.run(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False).stderr.decode()


class AtTerminal(NamedTuple):
    """A command run with a pseudo-terminal as its standard output (``columns`` x ``lines``), as
    a person at a terminal runs it: colour on, the terminal's width."""

    cmd: list[str]
    columns: int = 80
    lines: int = 50


def run_at_terminal(at: AtTerminal, *, check_colour: bool = False) -> float:
    """Wall time of one run whose standard output is a pseudo-terminal; its output is drained as
    it comes and discarded. TERM=xterm-256color, no NO_COLOR or COLUMNS (the width is the
    terminal's), and PAGER empty: a report taller than the terminal is then written directly,
    never waiting in a pager (one that fits, such as the key points, never uses the pager anyway)."""
    import fcntl
    import struct
    import termios

    keep = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PAGER", "TERM")
    env = {k: v for k, v in os.environ.items() if k not in keep} | {"TERM": "xterm-256color", "PAGER": ""}
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", at.lines, at.columns, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(at.cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program ended and closed the terminal
            break
        if not chunk:
            break
        seen = seen or chunk
    err = proc.communicate()[1]
    elapsed = time.perf_counter() - start
    os.close(master)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(at.cmd)} at a terminal exited {proc.returncode}: {err.decode()[-800:]}")
    if check_colour and b"\x1b[" not in seen:
        raise SystemExit(f"{' '.join(at.cmd)} at a terminal wrote no colour")
    return elapsed


def alternate(
    commands: Mapping[str, list[str] | AtTerminal], runs: int, *, warm: bool = True
) -> dict[str, list[float]]:
    """``runs`` rounds, each running every command once in turn, so drift hits them all alike."""

    def timed(cmd: list[str] | AtTerminal, *, first: bool = False) -> float:
        return run_at_terminal(cmd, check_colour=first) if isinstance(cmd, AtTerminal) else run(cmd)

    if warm:
        for cmd in commands.values():
            timed(cmd, first=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def peak_rss_kib(cmd: Sequence[str]) -> int:
    """Peak resident memory of ``cmd`` alone (and its children), from ``/usr/bin/time -v``.

    GNU time is a small C parent: it forks and execs the command, waits, and reports the
    command's own ``ru_maxrss``. (A child started from a big Python process counts the parent's
    pages that it had at fork time, so ``os.wait4`` from the benchmark itself reports the
    benchmark's size, not the command's.)"""
    time_bin = "/usr/bin/time"
    if not os.access(time_bin, os.X_OK):
        raise SystemExit("peak RSS needs GNU time (/usr/bin/time; apt-get install time)")
    proc = subprocess.run([time_bin, "-v", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    err = proc.stderr.decode()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    if proc.returncode not in (0,) or match is None:
        raise SystemExit(f"{' '.join(cmd)} under {time_bin} -v exited {proc.returncode}: {err[-800:]}")
    return int(match.group(1))


def parent_cpu(cmd: Sequence[str]) -> tuple[float, float]:
    """Wall time, and CPU time (user + system) of the process itself, not of its children
    (``batch --workers N``'s parent: reading, sending, receiving, writing). Read from
    /proc/PID/stat every 10 ms while it runs; the last reading before it ends is the figure."""
    tick = os.sysconf("SC_CLK_TCK")
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    cpu = 0.0
    stat = Path(f"/proc/{proc.pid}/stat")
    while proc.poll() is None:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15)
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.01)
    return time.perf_counter() - start, cpu


def scratch() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder on the disk that holds /tmp (inputs and outputs; never kept)."""
    return tempfile.TemporaryDirectory(prefix="spinedecide-bench-")


def table(rows: Sequence[Row], *, title: str) -> str:
    """The summary, ready to paste into README "Benchmarks"."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{title}: {now}; {machine()}; {load()} at the end",
        "",
        "| measure | result | goal |",
        "| --- | --- | --- |",
        *(f"| {r.measure} | {r.result} | {r.goal} |" for r in rows),
    ]
    return "\n".join(lines)
