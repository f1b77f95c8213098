"""The wheel carries the rules file, and an installed spinedecide works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("spinedecide-*.whl")
    return found


def test_the_wheel_ships_the_rules_file(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "spinedecide/data/factors.yaml" in names
    assert "spinedecide/cli.py" in names
    assert "spinedecide/data/factors.compiled" in names
    shipped = zipfile.ZipFile(wheel).read("spinedecide/data/factors.yaml")
    assert shipped == (ROOT / "data" / "factors.yaml").read_bytes()


def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-m", "spinedecide", "--version"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "rules 20" in result.stdout
    check = subprocess.run(
        [sys.executable, "-c", "import spinedecide.rules as r; print(r.shipped_rules_path())"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )
    assert str(target) in check.stdout
    snapshot = subprocess.run(
        [sys.executable, "-c", "import spinedecide.compiled as c, spinedecide.rules as r; print(c.load(r.shipped_rules_path().read_bytes()) is not None)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120,
    )
    assert snapshot.stdout.strip() == "True", snapshot.stderr  # the installed copy starts fast
