"""Records per second of ``spinedecide batch``: against commit 2a9e958, two library floors, two workers.

    .venv/bin/python benchmarks/throughput.py [--records 20000] [--rounds 5] [--quick]
                                              [--baseline-dir DIR] [--rules FILE]

One run, on one generated input (realistic, varied records for the shipped rules; records.py),
written to a temporary file; every output goes to /dev/null:

- **against the base commit**: commit 2a9e958 is installed in a second environment
  (baseline.py: ``git archive`` + ``python -m venv`` + ``pip install``; ``--baseline-dir`` keeps it
  for the next run) and ``spinedecide batch FILE`` of each, one worker, runs on the same input;
  the ratio is this checkout's records per second over the base commit's (goal: 2.5x or more).
- **against the floors**: what any program that reads these lines and writes these reports must
  spend at least. The json floor: ``json.loads`` of every input line plus ``json.dumps`` (compact)
  of every report; the msgspec floor: ``msgspec.json.decode`` plus ``msgspec.json.encode`` of the
  same. The reports are built beforehand, untimed (in chunks of 500, so memory stays small). The
  ratio is batch's time over the floor's (goal for msgspec: 6x or less).
- **two workers**: ``--workers 2`` against one worker of this checkout.

Every round runs the three commands in turn (this checkout with one worker, the base commit,
this checkout with two workers), so that the machine's drift hits all alike; the figures are the
medians over the rounds (at least five), and the two-worker speed-up is the median of each
round's own ratio. One more two-worker run reads the parent's own CPU time from /proc (is the
parent what holds the workers back?), and two one-worker batches started together, each on half
the records, show what two processes get on this machine at all (the ceiling for two workers).
Start-up is included in every run (about 0.1 s of 20 s). The floors are timed in this process
between rounds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402
    BASE_COMMIT,
    Row,
    alternate,
    median,
    parent_cpu,
    program,
    scratch,
    stderr_of,
    table,
    warn_if_not_in_a_venv,
)
from records import records  # noqa: E402

from spinedecide import assess, load_rules  # noqa: E402


def floors(lines: list[bytes], ruleset: object, chunk: int = 500) -> tuple[float, float]:
    """Seconds for the json floor and the msgspec floor on these lines (reports built untimed)."""
    import time

    import msgspec

    decode, encode = msgspec.json.decode, msgspec.json.encode
    plain, fast = 0.0, 0.0
    for i in range(0, len(lines), chunk):
        part = lines[i : i + chunk]
        reports = [assess(ruleset, json.loads(line)).to_dict() for line in part]  # untimed
        start = time.perf_counter()
        for line in part:
            json.loads(line)
        for report in reports:
            json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        middle = time.perf_counter()
        for line in part:
            decode(line)
        for report in reports:
            encode(report)
        plain += middle - start
        fast += time.perf_counter() - middle
    return plain, fast


def at_once(commands: list[list[str]]) -> float:
    """Seconds for these commands started together, until the last ends (output discarded)."""
    import subprocess
    import time

    start = time.perf_counter()
    running = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in commands]
    for proc in running:
        proc.wait()
    return time.perf_counter() - start


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=20_000)
    p.add_argument("--rounds", type=int, default=5, help="alternating rounds (at least 5 for the workers figure)")
    p.add_argument("--quick", action="store_true", help="2,000 records, 5 rounds: to check that it works")
    p.add_argument("--baseline-dir", type=Path, help="install the base commit here and keep it (default: a temp dir)")
    p.add_argument("--commit", default=BASE_COMMIT)
    p.add_argument("--rules", help="rules file for both programs (default: each one's shipped rules)")
    return p


def rows(args: argparse.Namespace) -> list[Row]:
    from baseline import install

    n = 2_000 if args.quick else args.records
    ruleset = load_rules(args.rules)
    rules = ["--rules", args.rules] if args.rules else []
    with scratch() as tmp:
        base = install(args.commit, (args.baseline_dir or Path(tmp) / "base").resolve())
        path = Path(tmp) / "people.jsonl"
        lines = [json.dumps(r).encode() + b"\n" for r in records(ruleset, n)]
        path.write_bytes(b"".join(lines))
        halves = [Path(tmp) / "first.jsonl", Path(tmp) / "second.jsonl"]
        halves[0].write_bytes(b"".join(lines[: n // 2]))
        halves[1].write_bytes(b"".join(lines[n // 2 :]))
        ours = [*program(), "batch", str(path), *rules]
        commands = {"1 worker": ours, "base": [*base, "batch", str(path), *rules], "2 workers": [*ours, "-w", "2"]}
        print(f"input: {n:,} records, {path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
        for name in ("1 worker", "base"):  # the same input must give the same kind of run to both
            print(f"  {name}: {stderr_of(commands[name]).strip()}", file=sys.stderr)
        times = alternate(commands, max(args.rounds, 5), warm=False)
        plain, fast = floors(lines, ruleset)
        wall, cpu = parent_cpu(commands["2 workers"])
        apart = median([at_once([[*program(), "batch", str(h), *rules] for h in halves]) for _ in range(3)])
    one, old, two = (median(times[k]) for k in ("1 worker", "base", "2 workers"))
    speedups = sorted(a / b for a, b in zip(times["1 worker"], times["2 workers"], strict=True))
    rounds = len(speedups)
    return [
        Row(
            f"`spinedecide batch`, {n:,} records, 1 worker, against {args.commit}",
            f"{one:.2f} s ({n / one:,.0f} records/s) against {old:.2f} s ({n / old:,.0f} records/s) = "
            f"**{old / one:.2f}x** the records per second (medians of {rounds} alternating runs)",
            "2.5x or more",
        ),
        Row(
            "the same, against the msgspec floor (decode the inputs, encode the same reports)",
            f"{one:.2f} s / {fast:.2f} s = **{one / fast:.1f}x**",
            "6x or less",
        ),
        Row(
            "the same, against the json floor (json.loads the inputs, json.dumps the same reports)",
            f"{one:.2f} s / {plain:.2f} s = {one / plain:.2f}x",
            "(for comparison)",
        ),
        Row(
            "`--workers 2` / 1 worker",
            f"{two:.2f} s: **{median(speedups):.2f}x** the rate (median of {rounds} alternating pairs; "
            f"{speedups[0]:.2f}x to {speedups[-1]:.2f}x)",
            "1.8x or more",
        ),
        Row(
            "where the parent's time goes with `--workers 2`",
            f"{cpu:.2f} s of CPU in {wall:.2f} s ({cpu / wall:.0%}): reading the input, sending chunks, receiving "
            "results, writing them; the rest of the time it waits for the workers",
            "(for the workers figure)",
        ),
        Row(
            "two 1-worker batches at once, each on half the records: what two processes get here",
            f"{apart:.2f} s: {one / apart:.2f}x one worker on all of them (median of 3), the ceiling for "
            "`--workers 2` on this machine",
            "(for the workers figure)",
        ),
    ]


def main() -> None:
    warn_if_not_in_a_venv()
    print(table(rows(parser().parse_args()), title="benchmarks/throughput.py"))


if __name__ == "__main__":
    main()
