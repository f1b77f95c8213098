"""Loading a rules file: read it (within a size limit), refuse unsafe text, build and check it.

Every problem names the file, the line and what was expected; all problems are listed at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Problem, RulesError
from .model import Ruleset
from .shape import MAX_RULES_BYTES


def shipped_rules_path() -> Path:
    """The rules file that ships inside the package (``data/factors.yaml`` in a source checkout)."""
    here = Path(__file__).resolve().parents[1]  # src/spinedecide
    packaged = here / "data" / "factors.yaml"  # an installed wheel
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / "factors.yaml"  # a source checkout


def load_rules(path: str | Path | None = None) -> Ruleset:
    """Load, check and compile a rules file (the shipped one when ``path`` is None).

    Raises :class:`RulesError` listing every problem with file and line.
    """
    if path is None:
        file = shipped_rules_path()
        shown = "factors.yaml (shipped)"
    else:
        file = Path(path)
        shown = str(path)
    try:
        # The limit applies while reading, so that a pipe or a device (/dev/zero) is cut short too.
        with open(file, "rb") as handle:
            data = handle.read(MAX_RULES_BYTES + 1)
        if len(data) > MAX_RULES_BYTES:
            raise RulesError(
                [Problem(f"the rules file is too large (over {MAX_RULES_BYTES:,} bytes, the limit)", file=shown)]
            )
    except FileNotFoundError:
        raise RulesError([Problem("no such rules file", file=shown)]) from None
    except IsADirectoryError:
        raise RulesError([Problem("this is a folder, not a rules file", file=shown)]) from None
    except OSError as exc:
        raise RulesError([Problem(f"cannot read the rules file: {exc.strerror}", file=shown)]) from None
    if path is None:
        from .. import compiled

        snapshot: Ruleset | None = compiled.load(data)  # Any: the leaf snapshot package names no types
        if snapshot is not None:
            return snapshot
    return parse_rules(data, shown)


def parse_rules(data: bytes, name: str = "<rules>") -> Ruleset:
    from .. import _yaml

    try:
        document = _yaml.safe_load(_yaml.decode(data))
    except _yaml.YamlProblem as exc:
        raise RulesError(
            [Problem(exc.message, file=name, line=exc.line)], heading=f"{name}: the rules file cannot be read"
        ) from None
    unsafe = _unsafe_text(document) if document is not None else []
    if unsafe:
        raise RulesError(
            [Problem(message, file=name, line=line) for message, line in unsafe],
            heading=f"{name}: the rules file holds characters that could hide or reorder text on a terminal",
        )
    import hashlib  # here, not at the top: start-up with the compiled snapshot never needs it

    from .builder import _Builder  # here: start-up with the compiled snapshot never needs the builder

    return _Builder(name, hashlib.sha256(data).hexdigest()).build(document)


def _unsafe_text(document: Any, line: int | None = None) -> list[tuple[str, int | None]]:
    """Every text in the file holding a control character (other than tab and newline), DEL, a
    C1 control or a bidirectional override or isolate (``display.UNSAFE``), with its line."""
    from ..display import describe, first_unsafe

    found: list[tuple[str, int | None]] = []
    stack: list[tuple[Any, int | None]] = [(document, line)]
    while stack and len(found) < 20:
        node, where = stack.pop()
        if isinstance(node, str):
            index = first_unsafe(node)
            if index is not None:
                found.append(
                    (f"the character {describe(node[index])} is not allowed in a rules file; remove it", where)
                )
        elif isinstance(node, dict):
            for key, value in node.items():
                key_line = node.line_of(key) if hasattr(node, "line_of") else where
                stack += [(value, key_line), (key, key_line)]
        elif isinstance(node, list):
            stack += [(item, node.line_of(i) if hasattr(node, "line_of") else where) for i, item in enumerate(node)]
    return sorted(found, key=lambda item: item[1] or 0)
