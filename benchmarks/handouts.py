"""1,000 HTML handouts: ``spinedecide batch --format html --out-dir`` against rendering them in-process.

    .venv/bin/python benchmarks/handouts.py [--records 1000] [--rounds 3] [--format html] [--quick]

Both sides are whole, fresh processes on the same generated input, timed from start to end:

- **batch**: ``spinedecide batch FILE --format html --out-dir DIR`` (one worker) writes every file
  (owner-only, atomically: a temporary file, fsync, rename) into a new folder in the temporary
  folder, on the disk that holds /tmp; the folder is removed after each run.
- **in-process**: ``python -c`` a few lines that import spinedecide, load the rules, and for each
  line parse it (``batch.parse_line``), ``assess`` it and render the handout into memory
  (``io.StringIO``, escaped and encoded to UTF-8 as batch does), writing nothing. This is the
  floor: the work any program must do for these handouts, without writing a file.

The ratio is batch's time over the in-process time (goal: 2x or less): the price of the
command line, the status records and writing the files. For scale, the time of separate
``spinedecide ask --answers F --format html --output FILE`` runs (what a clinic did before) is
measured on 20 of the records and scaled to all of them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import Row, median, program, run, scratch, table, warn_if_not_in_a_venv  # noqa: E402
from records import records  # noqa: E402

from spinedecide import load_rules  # noqa: E402

IN_PROCESS = """
import io, sys
from spinedecide import assess, load_rules
from spinedecide.batch import parse_line
from spinedecide.display import escape
from spinedecide.render import render

path, fmt, rules = sys.argv[1], sys.argv[2], sys.argv[3] or None
ruleset = load_rules(rules)
size = 0
with open(path, "rb") as lines:
    for number, line in enumerate(lines, 1):
        buffer = io.StringIO()
        render(assess(ruleset, parse_line(line, number, path)), fmt, buffer, color=False, width=100, detail="full")
        size += len(escape(buffer.getvalue()).encode("utf-8"))
print(size)
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=1_000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--format", default="html", choices=["html", "markdown", "text", "note"])
    p.add_argument("--quick", action="store_true", help="100 records, one round")
    p.add_argument("--rules", help="rules file (default: the shipped one)")
    return p


def rows(args: argparse.Namespace) -> list[Row]:
    n = 100 if args.quick else args.records
    rounds = 1 if args.quick else args.rounds
    ruleset = load_rules(args.rules)
    rules = ["--rules", args.rules] if args.rules else []
    batch_times, inside_times = [], []
    with scratch() as tmp:
        path = Path(tmp) / "people.jsonl"
        people = records(ruleset, n)
        path.write_text("".join(json.dumps(r) + "\n" for r in people), encoding="utf-8")
        out = Path(tmp) / "handouts"
        batch = [*program(), "batch", str(path), "--format", args.format, "--out-dir", str(out), *rules]
        inside = [sys.executable, "-c", IN_PROCESS, str(path), args.format, args.rules or ""]
        run(inside)  # warm the file cache
        for _ in range(rounds):  # alternating
            shutil.rmtree(out, ignore_errors=True)
            batch_times.append(run(batch))
            inside_times.append(run(inside))
        written = sum(1 for _ in out.iterdir())
        assert written == n, f"batch wrote {written} files for {n} records"
        one = Path(tmp) / "one.json"
        separate = []
        for i, person in enumerate(people[:20]):
            one.write_text(json.dumps(person), encoding="utf-8")
            ask = [*program(), "ask", "--answers", str(one), "--no-input", "--format", args.format]
            separate.append(run([*ask, "--output", str(Path(tmp) / f"ask-{i}.out"), *rules]))
    b, i = median(batch_times), median(inside_times)
    each = sum(separate) / len(separate)
    return [
        Row(
            f"{n:,} {args.format} handouts: `batch --format {args.format} --out-dir` / in-process rendering",
            f"{b:.2f} s / {i:.2f} s = **{b / i:.2f}x** (medians of {rounds} alternating runs; in-process: load, "
            "assess, render into memory, nothing written)",
            "2x or less",
        ),
        Row(
            f"the same {n:,} as separate `ask --output` runs",
            f"{each * n:.0f} s ({each * 1000:.0f} ms each, from 20 runs) = {each * n / b:.0f}x the batch",
            "(for comparison)",
        ),
    ]


def main() -> None:
    warn_if_not_in_a_venv()
    print(table(rows(parser().parse_args()), title="benchmarks/handouts.py"))


if __name__ == "__main__":
    main()
