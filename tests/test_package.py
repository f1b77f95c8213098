"""The wheel carries the rules file and type marker, an installed spinedecide works from any
folder, and the Python API can be discovered with dir(), help() and repr()."""

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
    assert "spinedecide/compiled/__main__.py" in names
    assert "spinedecide/py.typed" in names  # PEP 561: users' type checkers read our annotations
    assert "spinedecide/data/rules.schema.json" in names  # beside the rules file: its modeline names it
    assert {"spinedecide/schemas/report.schema.json", "spinedecide/schemas/batch-error.schema.json"} <= set(names)
    shipped = zipfile.ZipFile(wheel).read("spinedecide/data/factors.yaml")
    assert shipped == (ROOT / "data" / "factors.yaml").read_bytes()


def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-m", "spinedecide", "--version"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "rules 20" in result.stdout
    check = subprocess.run(
        [sys.executable, "-c", "import spinedecide.rules as r; print(r.shipped_rules_path())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert str(target) in check.stdout
    snapshot = subprocess.run(
        [
            sys.executable,
            "-c",
            "import spinedecide.compiled as c, spinedecide.rules as r; "
            "print(c.load(r.shipped_rules_path().read_bytes()) is not None)",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert snapshot.stdout.strip() == "True", snapshot.stderr  # the installed copy starts fast


def test_the_api_is_listed_by_dir_without_importing_it():
    code = (
        "import sys, spinedecide; names = dir(spinedecide); "
        "print(all(n in names for n in spinedecide.__all__), "
        "'spinedecide.engine' in sys.modules, 'spinedecide.rules' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["True", "False", "False"], result.stderr  # listed, still not imported


def test_help_shows_the_api():
    import pydoc

    import spinedecide

    text = pydoc.render_doc(spinedecide, renderer=pydoc.plaintext)
    for entry in ("class Report", "class Ruleset", "assess(ruleset", "load_rules(path"):
        assert entry in text, entry


def test_repr_of_rules_and_report_is_short(shipped):
    import yaml

    from spinedecide import assess

    assert repr(shipped).startswith("<Ruleset 'factors.yaml (shipped)' version ")
    assert len(repr(shipped)) < 200  # the generated repr was 591 KB
    defaults = yaml.safe_load((ROOT / "tests" / "vignettes.yaml").read_text(encoding="utf-8"))["defaults"]
    report = assess(shipped, {**defaults, "condition": "spinal_stenosis", "age": 70})
    assert repr(report).startswith("<Report spinal_stenosis: urgent=False, options [")
    assert len(repr(report)) < 300
