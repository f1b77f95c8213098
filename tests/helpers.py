"""Helpers for driving the command line in tests.

``run_cli`` runs ``spinedecide.cli.app`` in-process through Typer's CliRunner (Click >= 8.2, so
``result.stdout`` and ``result.stderr`` are separate streams) and fails the test, showing both
streams, when the exit code is not the one expected.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinedecide.cli import app

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINIMAL = TESTS / "data" / "minimal.yaml"
#: ``--rules`` pointing at the tiny test rules file, so tests never depend on data/factors.yaml.
RULES = ("--rules", str(MINIMAL))

#: Complete answers for tests/data/minimal.yaml, in its factor order (bmi given, so height and
#: weight are not asked; condition ``disc``, so ``hardware`` does not apply).
MINIMAL_ANSWERS: dict[str, Any] = {
    "bladder_bowel": "no",
    "age": 50,
    "smoking": "never",
    "diabetes": "no",
    "bmi": 25,
    "condition": "disc",
}


def minimal_answers(**changes: Any) -> dict[str, Any]:
    """Complete answers for minimal.yaml; ``changes`` override (a value of None removes the key)."""
    out = dict(MINIMAL_ANSWERS)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def write_answers(path: Path, answers: dict[str, Any]) -> Path:
    """Write answers as JSON (``.json``) or as hand-written-looking YAML (anything else)."""
    if path.suffix == ".json":
        path.write_text(json.dumps(answers), encoding="utf-8")
    else:
        path.write_text("".join(f"{k}: {v}\n" for k, v in answers.items()), encoding="utf-8")
    return path


def run_cli(
    *args: str, input: str | bytes | None = None, expect: int | None = 0, env: dict[str, str | None] | None = None
) -> Any:
    """Run ``spinedecide *args``; fail the test unless the exit code is ``expect`` (None: any).

    Returns the Click Result, with ``.json`` set to stdout parsed as JSON when stdout is JSON
    (otherwise None).
    """
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], input=input, env=env, catch_exceptions=True)
    if expect is not None and result.exit_code != expect:
        tb = ""
        if result.exc_info is not None and not isinstance(result.exception, SystemExit):
            tb = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(
            f"spinedecide {' '.join(map(str, args))}\n"
            f"exit code {result.exit_code}, expected {expect}\n"
            f"--- stderr ---\n{result.stderr}\n--- stdout ---\n{result.stdout[:3000]}\n{tb}",
            pytrace=False,
        )
    result.json = None
    text = result.stdout.strip()
    if text[:1] in ("{", "["):
        try:
            result.json = json.loads(result.stdout)
        except ValueError:
            result.json = None
    return result


def stderr_json(result: Any) -> dict[str, Any]:
    """The JSON error object on stderr (``--format json`` mode): exactly one JSON document."""
    try:
        data = json.loads(result.stderr)
    except ValueError:
        pytest.fail(f"stderr is not one JSON object:\n{result.stderr}", pytrace=False)
    assert isinstance(data, dict), data
    assert set(data) >= {"error", "message", "problems"}, data
    return data
