"""``spinedecide rules check``: every problem in a rules file, with file:line, and the IPDAS checklist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..output import write_json
from ..terminal import Env

if TYPE_CHECKING:
    from ..authoring import CheckResult
    from ..ipdas import Criterion


def run(env: Env, file: Path | None, *, ipdas: bool, fmt: str) -> bool:
    """Check ``file`` and write what was found; True when the check failed (the command exits 2)."""
    from .. import authoring
    from .. import ipdas as checklist

    result = authoring.check(file)
    criteria = checklist.ipdas(result.ruleset) if ipdas and result.ruleset is not None else []
    failed = not result.ok or (ipdas and (result.ruleset is None or checklist.ipdas_failed(criteria)))
    if fmt == "json":
        _json(env, result, criteria, ipdas=ipdas, failed=failed)
    else:
        _text(env, result, criteria, failed=failed)
    return failed


def _json(env: Env, result: CheckResult, criteria: list[Criterion], *, ipdas: bool, failed: bool) -> None:
    data = {
        "file": result.file,
        "ok": not failed,
        "errors": [p.to_dict() for p in result.errors],
        "warnings": [p.to_dict() for p in result.warnings],
        "notes": result.notes,
    }
    if ipdas:
        data["ipdas"] = [
            {
                "number": c.number,
                "level": c.level,
                "criterion": c.wording,
                "status": c.status,
                "details": [p.to_dict() for p in c.details],
            }
            for c in criteria
        ]
    write_json(env.stdout, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _text(env: Env, result: CheckResult, criteria: list[Criterion], *, failed: bool) -> None:
    for problem in result.errors:
        env.stdout.write(f"error: {problem}\n")
    for problem in result.warnings:
        env.stdout.write(f"warning: {problem}\n")
    for note in result.notes:
        env.stdout.write(f"note: {note}\n")
    if criteria:
        env.stdout.write("\nIPDAS checklist (IPDASi v4.0 numbering):\n")
        for c in criteria:
            env.stdout.write(f"  [{c.status}] {c.number} ({c.level}) {c.wording}\n")
            for p in c.details:
                env.stdout.write(f"      - {p}\n")
    n = len(result.errors)
    verdict = "FAILED" if failed else "OK"
    env.stdout.write(
        f"\n{result.file}: {verdict}: {n} error{'s' if n != 1 else ''}, "
        f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}\n"
    )
