"""A thin command line: cli.py holds the Typer declarations and the one error boundary; each
command's work is in commands/<name>.py, which imports no Typer and is imported only when its
command runs (start-up stays short)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "spinedecide"


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_only_cli_imports_typer_or_click():
    importers = sorted(
        p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if {"typer", "click"} & imported_modules(p)
    )
    assert importers == ["cli.py"]


def test_each_command_has_its_module():
    names = {p.stem for p in (SRC / "commands").glob("*.py")}
    want = {"ask", "sources", "about", "rules_check", "rules_show", "rules_init", "schema", "questions", "response"}
    assert want <= names


def test_importing_the_command_line_imports_no_command_module():
    code = "import sys, spinedecide.cli; print(sorted(m for m in sys.modules if m.startswith('spinedecide.commands.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
