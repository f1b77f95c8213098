"""A compiled snapshot of the shipped rules, so that start-up does not parse 200 KB of YAML.

The snapshot (``data/factors.compiled``, inside the package) is made by running

    python -m spinedecide.compiled

after editing ``data/factors.yaml`` or the rules code; a test fails until it is remade. It is
used only when its key matches: the size and CRC-32 of the rules file's bytes and of the code
that defines the compiled objects, and the Python version. (A checksum, not a cryptographic hash:
it only has to notice an edit, and importing hashlib would cost about a tenth of start-up. The
report's sha256 of the rules file is computed when the snapshot is built.) Otherwise the rules
file is parsed as usual, so a stale or missing snapshot costs speed, never correctness. Only the
package's own snapshot is ever read: a clinic's ``--rules FILE`` is always parsed and checked.
Nothing is written at run time.

This module is a leaf: it imports nothing from spinedecide, so the loader (``rules/``) can use
it without an import circle. Building the snapshot needs the loader, so that lives in
``compiled/__main__.py``, the command above.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path
from typing import Any

try:  # the C unpickler alone: the pure-Python ``pickle`` module around it is a millisecond of start-up
    from _pickle import loads
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from pickle import loads

PACKAGE = Path(__file__).resolve().parents[1]  # src/spinedecide
SNAPSHOT = PACKAGE / "data" / "factors.compiled"
# Every file of the rules package, the condition language, and what else the loader builds with:
# the units and derivations (a derived factor's Derivation holds its inputs' unit sizes) and the
# text normalisation and line numbers of _lines.py.
_CODE = ("rules/*.py", "conditions.py", "units.py", "_lines.py")
_FORMAT = "spinedecide-compiled-rules/2"


def key(rules_bytes: bytes) -> str:
    parts = [f"{len(rules_bytes)}:{zlib.crc32(rules_bytes):08x}"]
    for name in _code_files():
        with open(os.path.join(PACKAGE, name), "rb") as handle:
            code = handle.read()
        parts.append(f"{name}:{len(code)}:{zlib.crc32(code):08x}")
    parts.append(f"python{sys.version_info.major}.{sys.version_info.minor}")
    return " ".join(parts)


def _code_files() -> list[str]:
    """The files of ``_CODE``, relative to the package, in order (``rules/*.py`` sorted by name);
    listed with ``os.scandir``, as ``Path.glob`` costs a millisecond of start-up."""
    names: list[str] = []
    for pattern in _CODE:
        folder, _, wanted = pattern.rpartition("/")
        if wanted.startswith("*"):
            with os.scandir(os.path.join(PACKAGE, folder)) as entries:
                found = sorted(e.name for e in entries if _matches(e.name, wanted[1:]) and e.is_file())
            names += [f"{folder}/{name}" for name in found]
        elif os.path.isfile(os.path.join(PACKAGE, pattern)):
            names.append(pattern)
    return names


def load(rules_bytes: bytes) -> Any | None:
    """The compiled ruleset for these bytes, or None when there is no matching snapshot."""
    try:
        blob = SNAPSHOT.read_bytes()
    except OSError:
        return None
    try:
        # Safe to unpickle: the snapshot ships inside this package, like its code; it is never
        # read from anywhere a user or a rules file can point to.
        fmt, stored_key, ruleset = loads(blob)  # noqa: S301
    except Exception:  # a damaged snapshot is only a slower start
        return None
    if fmt != _FORMAT or stored_key != key(rules_bytes):
        return None
    return ruleset


def save(rules_bytes: bytes, ruleset: Any) -> Path:
    """Write the snapshot of ``ruleset``, compiled from ``rules_bytes``, into the package."""
    import pickle

    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_bytes(pickle.dumps((_FORMAT, key(rules_bytes), ruleset), protocol=5))
    return SNAPSHOT


def _matches(name: str, suffix: str) -> bool:
    """``*SUFFIX`` as glob matches it: a hidden file (a leading dot) is not matched."""
    return name.endswith(suffix) and not name.startswith(".")
