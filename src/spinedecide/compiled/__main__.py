"""``python -m spinedecide.compiled``: remake the compiled snapshot of the shipped rules.

Run it after editing ``data/factors.yaml``, ``rules.py`` or ``conditions.py``; a test fails
until the snapshot is remade. (Here, not in ``compiled/__init__.py``, so that the snapshot
module the loader reads imports nothing from the loader.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from spinedecide import compiled
from spinedecide.rules import parse_rules, shipped_rules_path


def build() -> Path:
    """Parse the shipped rules file and write its snapshot beside it in the package."""
    data = shipped_rules_path().read_bytes()
    return compiled.save(data, parse_rules(data, "factors.yaml (shipped)"))


if __name__ == "__main__":
    sys.stdout.write(f"wrote {build()}\n")
