"""The compiled snapshot of the shipped rules: fresh, identical in effect, and never required."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from spinedecide import assess, compiled
from spinedecide.rules import load_rules, parse_rules, shipped_rules_path

ROOT = Path(__file__).resolve().parents[1]


def test_the_snapshot_matches_the_shipped_rules_and_code():
    data = shipped_rules_path().read_bytes()
    assert compiled.load(data) is not None, (
        "src/spinedecide/data/factors.compiled is out of date with data/factors.yaml or the rules code: "
        "run `python -m spinedecide.compiled` and commit the result"
    )


def test_the_snapshot_gives_the_same_reports_as_parsing():
    data = shipped_rules_path().read_bytes()
    snapshot = compiled.load(data)
    parsed = parse_rules(data, "factors.yaml (shipped)")
    assert snapshot is not None
    assert snapshot.sha256 == parsed.sha256 and snapshot.path == parsed.path
    vignettes = yaml.safe_load((ROOT / "tests" / "vignettes.yaml").read_text(encoding="utf-8"))
    people = []
    for vignette in vignettes["vignettes"]:  # the defaults with each vignette's answers on top
        answers = {**vignettes["defaults"], **vignette["answers"]}
        people.append({k: v for k, v in answers.items() if v is not None})
    assert len(people) >= 20
    for answers in people:
        assert json.dumps(assess(snapshot, answers).to_dict()) == json.dumps(assess(parsed, answers).to_dict())


def test_a_missing_or_damaged_snapshot_only_costs_speed(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled, "SNAPSHOT", tmp_path / "nope.compiled")
    assert load_rules().version
    damaged = tmp_path / "damaged.compiled"
    damaged.write_bytes(b"not a pickle")
    monkeypatch.setattr(compiled, "SNAPSHOT", damaged)
    assert compiled.load(shipped_rules_path().read_bytes()) is None
    assert load_rules().version


def test_a_changed_rules_file_is_parsed_not_taken_from_the_snapshot():
    data = shipped_rules_path().read_bytes()
    assert compiled.load(data + b"\n# edited\n") is None


def test_a_clinic_file_is_always_parsed(tmp_path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_bytes(shipped_rules_path().read_bytes())
    assert load_rules(clinic).path == str(clinic)


def test_the_snapshot_module_is_a_leaf():
    """The loader reads the snapshot; the snapshot module must not import the loader back (or
    anything else of spinedecide). Building it is `python -m spinedecide.compiled`."""
    import ast

    tree = ast.parse(Path(compiled.__file__).read_text(encoding="utf-8"))
    ours = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == "spinedecide"):
            ours.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            ours += [alias.name for alias in node.names if alias.name.split(".")[0] == "spinedecide"]
    assert not ours, f"{compiled.__file__} imports {ours}"


def test_python_m_spinedecide_compiled_remakes_the_very_same_bytes(tmp_path):
    """Whatever the caller's hash seed, the command writes the same snapshot, byte for byte, as
    the one committed: remaking an unchanged snapshot changes nothing."""
    import os
    import subprocess
    import sys

    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.compiled"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "spinedecide.compiled", "--output", str(out)]
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        written.append(out.read_bytes())
    assert written[0] == written[1]
    assert written[0] == compiled.SNAPSHOT.read_bytes(), "remake the snapshot with `python -m spinedecide.compiled`"


def test_editing_any_file_of_the_rules_package_changes_the_key(tmp_path, monkeypatch):
    package = Path(compiled.__file__).resolve().parents[1]
    (tmp_path / "rules").mkdir()
    loader = [package / name for name in ("conditions.py", "units.py", "_lines.py")]
    for file in [*package.glob("rules/*.py"), *loader]:
        (tmp_path / file.relative_to(package)).write_bytes(file.read_bytes())
    monkeypatch.setattr(compiled, "PACKAGE", tmp_path)
    data = shipped_rules_path().read_bytes()
    before = compiled.key(data)
    names = sorted(p.name for p in (tmp_path / "rules").glob("*.py"))
    assert {"__init__.py", "model.py", "shape.py", "loading.py", "builder.py", "crosschecks.py"} <= set(names)
    for name in names:
        edited = tmp_path / "rules" / name
        original = edited.read_bytes()
        edited.write_bytes(original + b"\n")
        assert compiled.key(data) != before, f"editing rules/{name} does not change the snapshot's key"
        edited.write_bytes(original)
    for file in loader:  # the loader reads these too
        edited = tmp_path / file.name
        original = edited.read_bytes()
        edited.write_bytes(original + b"\n")
        assert compiled.key(data) != before, f"editing {file.name} does not change the snapshot's key"
        edited.write_bytes(original)
    assert compiled.key(data) == before
