"""Throughput and memory of ``spinedecide batch``, against the standard library's json.

    python benchmarks/throughput.py [--records 20000] [--rules FILE] [--repeat 3]

Measured in one run, on the same generated input (realistic, varied records; see records.py):

- json baseline: the time ``json.loads`` needs to parse every input line plus the time
  ``json.dumps`` needs to serialise every report (the reports are built beforehand, untimed);
- ``spinedecide batch FILE > /dev/null`` with one worker, and with ``--workers 2``
  (whole runs as separate processes, start-up included; best of ``--repeat``);
- peak RSS of ``spinedecide batch`` on the full input and on a tenth of it.

Prints the figures and the ratios the issue asks for: batch / json (goal: 3x or less),
workers-2 rate / workers-1 rate (goal: 1.6x or more on two cores), and RSS(20,000) / RSS(2,000)
(goal: 1.25x or less). Nothing here is a test; it only reports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from records import records  # noqa: E402

from spinedecide import assess, load_rules  # noqa: E402
from spinedecide.batch import dumps  # noqa: E402


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


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "spinedecide", *args]


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), out.get("PYTHONPATH")) if p)
    return out


def run_batch(path: Path, rules: str | None, workers: int) -> tuple[float, int, int]:
    """Wall time, peak RSS (KiB) and exit code of one ``spinedecide batch`` run."""
    args = ["batch", str(path), "--workers", str(workers)] + (["--rules", rules] if rules else [])
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(command(*args), stdout=sink, stderr=subprocess.DEVNULL, env=env())
        _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, proc.returncode


def json_baseline(lines: list[bytes], ruleset, chunk: int = 500) -> float:
    """Time for json to parse every input line and serialise every report (reports built untimed)."""
    total = 0.0
    for i in range(0, len(lines), chunk):
        part = lines[i : i + chunk]
        reports = [assess(ruleset, json.loads(line)).to_dict() for line in part]  # untimed
        start = time.perf_counter()
        for line in part:
            json.loads(line)
        for report in reports:
            dumps(report)
        total += time.perf_counter() - start
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rules", help="rules file (default: the shipped one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ruleset = load_rules(args.rules)
    print(f"machine: {machine()}")
    print(
        f"rules: {ruleset.path} version {ruleset.version}; {len(ruleset.factors)} factors, {len(ruleset.rules)} rules"
    )
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.jsonl", Path(tmp) / "small.jsonl"
        data = records(ruleset, args.records)
        lines = [json.dumps(r).encode() + b"\n" for r in data]
        big.write_bytes(b"".join(lines))
        small.write_bytes(b"".join(lines[: max(1, args.records // 10)]))
        print(f"input: {args.records:,} records, {big.stat().st_size / 1e6:.1f} MB")

        base, one, two = [], [], []
        rss_big = rss_small = 0
        for _ in range(args.repeat):  # alternate, so drift hits all alike
            base.append(json_baseline(lines, ruleset))
            t, rss, code = run_batch(big, args.rules, 1)
            assert code == 0, f"spinedecide batch exited {code}"
            one.append(t)
            rss_big = max(rss_big, rss)
            t, _rss, code = run_batch(big, args.rules, 2)
            assert code == 0, f"spinedecide batch --workers 2 exited {code}"
            two.append(t)
            _t, rss, _code = run_batch(small, args.rules, 1)
            rss_small = max(rss_small, rss)
        b, w1, w2 = min(base), min(one), min(two)
        n = args.records
        print(f"json baseline (parse inputs + serialise reports): {b:.2f} s")
        print(f"spinedecide batch, 1 worker:  {w1:.2f} s ({n / w1:,.0f} records/s) = {w1 / b:.2f}x json (goal <= 3x)")
        print(
            f"spinedecide batch, 2 workers: {w2:.2f} s ({n / w2:,.0f} records/s) = {w1 / w2:.2f}x the 1-worker rate "
            "(goal >= 1.6x)"
        )
        print(
            f"peak RSS: {rss_big / 1024:.1f} MiB for {n:,} records, {rss_small / 1024:.1f} MiB for {max(1, n // 10):,}"
            f" = {rss_big / rss_small:.2f}x (goal <= 1.25x)"
        )


if __name__ == "__main__":
    main()
