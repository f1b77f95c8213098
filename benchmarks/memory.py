"""Peak memory of ``spinedecide batch`` alone, on 100,000 records against 1,000.

    .venv/bin/python benchmarks/memory.py [--records 100000] [--small 1000] [--quick] [--rules FILE]

Each run is ``/usr/bin/time -v spinedecide batch FILE > /dev/null``, and the figure is GNU time's
"Maximum resident set size": the batch process's own peak, measured by a small C parent.
(Measured from this script with ``os.wait4``, a child counts the pages of the big Python process
it was forked from, so both sizes come out as the benchmark's own; that was the old method's
flaw.) One worker; each size is run ``--runs`` times and the largest peak kept. Goal: the big
input's peak at most 1.3x the small one's (memory stays flat however long the input).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import Row, peak_rss_kib, program, scratch, table, warn_if_not_in_a_venv  # noqa: E402
from records import records  # noqa: E402

from spinedecide import load_rules  # noqa: E402


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--small", type=int, default=1_000)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--quick", action="store_true", help="10,000 records against 1,000, one run each")
    p.add_argument("--rules", help="rules file (default: the shipped one)")
    return p


def rows(args: argparse.Namespace) -> list[Row]:
    big_n = 10_000 if args.quick else args.records
    runs = 1 if args.quick else args.runs
    ruleset = load_rules(args.rules)
    rules = ["--rules", args.rules] if args.rules else []
    with scratch() as tmp:
        big, small = Path(tmp) / "big.jsonl", Path(tmp) / "small.jsonl"
        with big.open("w", encoding="utf-8") as out:
            for start in range(0, big_n, 10_000):  # written in parts: this process stays small too
                people = records(ruleset, min(10_000, big_n - start), seed=7 + start)
                out.writelines(json.dumps(r) + "\n" for r in people)
        small.write_text("".join(json.dumps(r) + "\n" for r in records(ruleset, args.small)), encoding="utf-8")
        peak = {}
        for name, path in (("big", big), ("small", small)):
            peak[name] = max(peak_rss_kib([*program(), "batch", str(path), *rules]) for _ in range(runs))
    ratio = peak["big"] / peak["small"]
    return [
        Row(
            f"peak RSS of `spinedecide batch` (1 worker), {big_n:,} / {args.small:,} records",
            f"{peak['big'] / 1024:.1f} MiB / {peak['small'] / 1024:.1f} MiB = **{ratio:.2f}x** "
            "(GNU time's maximum resident set size)",
            "1.3x or less",
        )
    ]


def main() -> None:
    warn_if_not_in_a_venv()
    print(table(rows(parser().parse_args()), title="benchmarks/memory.py"))


if __name__ == "__main__":
    main()
