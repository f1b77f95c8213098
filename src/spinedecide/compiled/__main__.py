"""``python -m spinedecide.compiled``: remake the compiled snapshot of the shipped rules.

Run it after editing ``data/factors.yaml``, the ``rules/`` package or ``conditions.py``; a test fails
until the snapshot is remade. (Here, not in ``compiled/__init__.py``, so that the snapshot
module the loader reads imports nothing from the loader.)

The snapshot is built with string hashing fixed (``PYTHONHASHSEED=0``; the command re-runs
itself so if needed), because the order of a pickled frozenset follows the hash seed: the same
rules and code then always give the same bytes, and remaking an unchanged snapshot changes
nothing in git. ``--output FILE`` writes elsewhere (for tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from spinedecide import compiled
from spinedecide.rules import parse_rules, shipped_rules_path


def build() -> Path:
    """Parse the shipped rules file and write its snapshot (``compiled.SNAPSHOT``)."""
    data = shipped_rules_path().read_bytes()
    return compiled.save(data, parse_rules(data, "factors.yaml (shipped)"))


def main(argv: list[str]) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        return subprocess.run([sys.executable, "-m", "spinedecide.compiled", *argv], env=env, check=False).returncode
    if argv[:1] == ["--output"] and len(argv) == 2:
        compiled.SNAPSHOT = Path(argv[1])
    elif argv:
        sys.stderr.write("usage: python -m spinedecide.compiled [--output FILE]\n")
        return 2
    sys.stdout.write(f"wrote {build()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
