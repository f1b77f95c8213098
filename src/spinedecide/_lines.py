"""Containers that remember line numbers, byte decoding, and the one normalisation of text read
from a file or typed: the part of reading YAML and JSON that needs no YAML library (so that
start-up does not import PyYAML until something is parsed)."""

from __future__ import annotations

from typing import Any


def one_line(text: str) -> str:
    """Text as one line: each run of whitespace (a folded YAML line break, a tab) one space, and
    none at either end. Every text of the rules file is kept this way."""
    return " ".join(text.split())


def folded(text: str) -> str:
    """A word as written or typed, ready to match: no spaces around it, lower case."""
    return text.strip().lower()


#: The most digits a whole number in an answers or rules file may have: no answer or figure needs
#: more, and a longer one overflows a float (Python refuses over 4,300 digits outright).
MAX_DIGITS = 30


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class LineDict(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def line_of(container: Any, key: Any = None) -> int | None:
    if key is not None and hasattr(container, "line_of"):
        line: int | None = container.line_of(key)
        return line
    return getattr(container, "line", None) or None


def decode(data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (with or without a BOM), or explain where it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read); save it as UTF-8", line
        ) from None
