"""examples/dask_batch.py (Dask, local cluster) writes exactly what `spinedecide batch` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import minimal_answers

pytest.importorskip("dask.distributed", reason="the dask extra is not installed (pip install -e '.[test]' installs it)")

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
GOOD = minimal_answers()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    return env


def test_dask_example_output_equals_spinedecide_batch(tmp_path: Path) -> None:
    people = [
        {**GOOD, "age": 18 + i % 90, "smoking": ("never", "former", "current")[i % 3], "bmi": 18 + i % 30}
        for i in range(300)
    ]
    lines = [json.dumps(p) for p in people]
    lines[5] = "{broken"
    lines[120] = ""
    lines[250] = json.dumps({**GOOD, "age": 5})
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    batch = subprocess.run(
        [sys.executable, "-m", "spinedecide", "batch", str(path), "--rules", str(MINIMAL)],
        capture_output=True,
        env=_env(),
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert batch.returncode == 2, batch.stderr.decode()
    dask = subprocess.run(
        # A small blocksize, so the input really is split into several partitions.
        [
            sys.executable,
            str(ROOT / "examples" / "dask_batch.py"),
            str(path),
            "--rules",
            str(MINIMAL),
            "--blocksize",
            "4KiB",
        ],
        capture_output=True,
        env=_env(),
        stdin=subprocess.DEVNULL,
        timeout=600,
        cwd=tmp_path,
    )
    assert dask.returncode == 0, dask.stderr.decode()[-3000:]
    assert dask.stdout.decode("utf-8").splitlines() == batch.stdout.decode("utf-8").splitlines()
    out = batch.stdout.decode("utf-8").splitlines()
    assert len(out) == 300
    assert [json.loads(out[i])["line"] for i in (5, 120, 250)] == [6, 121, 251]
