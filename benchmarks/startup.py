"""Start-up: `spinedecide ask --answers F --format json --no-input` against `python -c "import typer"`.

    .venv/bin/python benchmarks/startup.py [--runs 20] [--rules FILE]

Runs both commands alternately (so machine drift hits both alike) and prints the median and
best wall times and their ratio (goal: 1.5x or less). Also prints `python -c pass`, the floor
every Python program pays on this machine, and the time of `spinedecide batch` on one record.

Run it with the project's virtual environment (the README's install), as a user would run
spinedecide. A system interpreter can run start-up hooks from its site-packages (`.pth` files; on
the machine these figures come from, one imports certifi and importlib.resources on every start)
that slow both commands alike and so flatter the ratio; the script warns when it is not in a
virtual environment.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from records import records  # noqa: E402
from throughput import machine  # noqa: E402

from spinedecide import load_rules  # noqa: E402


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rules", help="rules file (default: the shipped one)")
    args = parser.parse_args()

    if sys.prefix == sys.base_prefix:
        print(
            "warning: not running in a virtual environment; start-up hooks of the system site-packages may flatter "
            "the ratio",
            file=sys.stderr,
        )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    # Measure what an installed copy does: `pip install` byte-compiles the package, so do the same
    # here (this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise recompile every run).
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "spinedecide"), quiet=1)
    ruleset = load_rules(args.rules)
    rules = ["--rules", args.rules] if args.rules else []
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers.json"
        answers.write_text(json.dumps(records(ruleset, 1)[0]), encoding="utf-8")
        one = Path(tmp) / "one.jsonl"
        one.write_text(answers.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        # The installed command (the console script beside this interpreter), as a user runs it;
        # `python -m spinedecide` when there is none (it also loads runpy, about 2 ms more).
        script = Path(sys.executable).parent / "spinedecide"
        program = [str(script)] if script.is_file() else [sys.executable, "-m", "spinedecide"]
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import typer'": [sys.executable, "-c", "import typer"],
            "spinedecide ask --format json": [
                *program,
                "ask",
                "--answers",
                str(answers),
                "--format",
                "json",
                "--no-input",
                *rules,
            ],
            "spinedecide batch (1 record)": [*program, "batch", str(one), *rules],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd in commands.values():  # warm the file cache and .pyc files
            timed(cmd, env)
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(timed(cmd, env))
    print(f"machine: {machine()}")
    print(f"program: {' '.join(program)}")
    print(f"{args.runs} alternating runs each; median (best) wall time:")
    for name, values in times.items():
        print(f"  {name:32} {statistics.median(values) * 1000:6.0f} ms ({min(values) * 1000:.0f} ms)")
    ask, typer = times["spinedecide ask --format json"], times["python -c 'import typer'"]
    print(
        f"ratio ask / import typer: {statistics.median(ask) / statistics.median(typer):.2f}x median, "
        f"{min(ask) / min(typer):.2f}x best (goal <= 1.5x)"
    )


if __name__ == "__main__":
    main()
