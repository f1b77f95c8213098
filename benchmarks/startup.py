"""Start-up: `spinedecide ask --answers F --no-input` (json, rich, html) against `python -c "import typer"`.

    .venv/bin/python benchmarks/startup.py [--runs 20] [--quick] [--rules FILE]

Runs every command alternately (so machine drift hits all alike; one warm-up run each first) and
prints the median and best wall times, and the ratios of the medians: ``ask --format json`` over
``import typer`` (goal: 1.5x or less) and ``ask --format rich`` over ``import typer`` (goal: 2.0x
or less; standard output is /dev/null, so rich draws the whole report without colour, as in a
pipe, and never imports Rich); the same for ``--format html`` (the whole page, held to the
rich goal, as issue 19 asks). Also ``ask --format rich`` at a terminal: standard output a
pseudo-terminal of 80 x 50, so it draws the key points in colour, through Rich, as a person sees
them first (its output drained and discarded); `python -c pass`, the floor every Python program
pays on this machine; and `spinedecide batch` on one record.

Run it with the project's virtual environment (the README's install), as a user would run
spinedecide: the installed command, byte-compiled as after `pip install` (bench.program). A
system interpreter can run start-up hooks from its site-packages (`.pth` files) that slow both
sides alike and so flatter the ratio; the script warns when it is not in a virtual environment.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import AtTerminal, Row, alternate, median, program, scratch, table, warn_if_not_in_a_venv  # noqa: E402
from records import records  # noqa: E402

from spinedecide import load_rules  # noqa: E402


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--quick", action="store_true", help="5 alternating runs")
    p.add_argument("--rules", help="rules file (default: the shipped one)")
    return p


def rows(args: argparse.Namespace) -> list[Row]:
    runs = 5 if args.quick else args.runs
    ruleset = load_rules(args.rules)
    rules = ["--rules", args.rules] if args.rules else []
    spinedecide = program()
    with scratch() as tmp:
        answers = Path(tmp) / "answers.json"
        answers.write_text(json.dumps(records(ruleset, 1)[0]), encoding="utf-8")
        one = Path(tmp) / "one.jsonl"
        one.write_text(answers.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        ask = [*spinedecide, "ask", "--answers", str(answers), "--no-input", *rules, "--format"]
        commands: dict[str, list[str] | AtTerminal] = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import typer": [sys.executable, "-c", "import typer"],
            "json": [*ask, "json"],
            "rich": [*ask, "rich"],
            "html": [*ask, "html"],
            "terminal": AtTerminal([*ask, "rich"]),
            "batch": [*spinedecide, "batch", str(one), *rules],
        }
        times = alternate(commands, runs)
    ms = {name: median(values) * 1000 for name, values in times.items()}
    best = {name: min(values) * 1000 for name, values in times.items()}

    def shown(name: str) -> str:
        return f"{ms[name]:.0f} ms (best {best[name]:.0f} ms)"

    where = f"median of {runs} alternating runs; `python -c pass` {shown('python -c pass')}"
    return [
        Row(
            '`spinedecide ask --answers F --format json --no-input` / `python -c "import typer"`',
            f"{shown('json')} / {shown('import typer')} = **{ms['json'] / ms['import typer']:.2f}x** ({where})",
            "1.5x or less",
        ),
        Row(
            "the same with `--format rich` (to /dev/null)",
            f"{shown('rich')} = **{ms['rich'] / ms['import typer']:.2f}x** `import typer`",
            "2.0x or less",
        ),
        Row(
            "the same with `--format html` (to /dev/null: the whole page)",
            f"{shown('html')} = **{ms['html'] / ms['import typer']:.2f}x** `import typer`",
            "2.0x or less (as rich)",
        ),
        Row(
            "the same with `--format rich` at a terminal (pseudo-terminal, 80 x 50: colour, key points, via Rich)",
            f"{shown('terminal')} = **{ms['terminal'] / ms['import typer']:.2f}x** `import typer`",
            "(for comparison)",
        ),
        Row("`spinedecide batch` on one record", shown("batch"), "(for comparison)"),
    ]


def main() -> None:
    warn_if_not_in_a_venv()
    print(table(rows(parser().parse_args()), title="benchmarks/startup.py"))


if __name__ == "__main__":
    main()
