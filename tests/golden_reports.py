"""Golden reports: the JSON report for a few realistic patients, checked in byte for byte.

Each ``tests/golden/NAME.answers.yaml`` is one person's answers; ``tests/golden/NAME.json`` is
exactly what ``spinedecide ask --answers NAME.answers.yaml --format json --no-input`` prints
with the shipped rules. ``tests/test_golden.py`` fails when any report changes. When a change is
meant (new content, a fixed bug, a merge), remake them with the one command

    .venv/bin/python tests/golden_reports.py --update

and read the diff (``git diff tests/golden``) before committing it. Without ``--update`` the
script only lists the reports that differ (exit 1 if any).
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_COMMAND = ".venv/bin/python tests/golden_reports.py --update"


def cases() -> list[str]:
    """The names of the golden cases, sorted."""
    return sorted(p.name.removesuffix(".answers.yaml") for p in GOLDEN.glob("*.answers.yaml"))


def report(name: str) -> str:
    """Today's JSON report for the case ``name``, as the command line prints it."""
    from spinedecide.cli import app

    answers = GOLDEN / f"{name}.answers.yaml"
    result = CliRunner().invoke(app, ["ask", "--answers", str(answers), "--format", "json", "--no-input"])
    if result.exit_code != 0:
        raise RuntimeError(f"{answers}: exit code {result.exit_code}\n{result.stderr}")
    return result.stdout


def expected(name: str) -> str | None:
    path = GOLDEN / f"{name}.json"
    return path.read_text(encoding="utf-8") if path.exists() else None


def main(argv: list[str]) -> int:
    update = argv == ["--update"]
    if argv and not update:
        sys.stderr.write(f"usage: {UPDATE_COMMAND} (or no argument: only check)\n")
        return 2
    differ = [name for name in cases() if report(name) != expected(name)]
    for name in differ:
        if update:
            (GOLDEN / f"{name}.json").write_text(report(name), encoding="utf-8", newline="\n")
        sys.stdout.write(f"{'updated' if update else 'differs'}: tests/golden/{name}.json\n")
    stale = sorted({p.stem for p in GOLDEN.glob("*.json")} - set(cases()))
    for name in stale:
        sys.stdout.write(f"no answers file for tests/golden/{name}.json: remove it\n")
    if not differ and not stale:
        sys.stdout.write(f"all {len(cases())} golden reports are up to date\n")
    return 1 if stale or (differ and not update) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
