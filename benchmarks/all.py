"""Every benchmark, one summary table: what README "Benchmarks" shows.

    .venv/bin/python benchmarks/all.py [--quick] [--baseline-dir DIR]

Runs startup.py, throughput.py, memory.py and handouts.py with their defaults (``--quick``: each
one's quick size, to check that they work) and prints one table with the date and the machine,
ready to paste. On a quiet machine the full run takes about 15 minutes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import handouts  # noqa: E402
import memory  # noqa: E402
import startup  # noqa: E402
import throughput  # noqa: E402
from bench import table, warn_if_not_in_a_venv  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--baseline-dir", help="install the base commit here and keep it (throughput.py)")
    args = p.parse_args()
    warn_if_not_in_a_venv()
    common = ["--quick"] if args.quick else []
    found = []
    for module in (startup, throughput, memory, handouts):
        extra = ["--baseline-dir", args.baseline_dir] if module is throughput and args.baseline_dir else []
        print(f"running benchmarks/{module.__name__}.py ...", file=sys.stderr, flush=True)
        found += module.rows(module.parser().parse_args(common + extra))
    print(table(found, title="benchmarks/all.py" + (" --quick (sizes too small to quote)" if args.quick else "")))


if __name__ == "__main__":
    main()
