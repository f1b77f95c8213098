"""JSON answers with line numbers: the top-level object comes back as a :class:`LineDict`, so a
problem with an answer in a multi-line JSON file names its line, as it does in YAML."""

from __future__ import annotations

import json
from typing import Any

from ._lines import MAX_DIGITS, LineDict


class JsonProblem(Exception):
    def __init__(self, message: str, line: int | None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.key = key


class TooLong(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def parse_int(text: str) -> int:
    """JSON's whole numbers, refusing more than MAX_DIGITS digits (:class:`TooLong`)."""
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise TooLong(digits)
    return int(text)


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in items:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


_decoder = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=parse_int)
_WS = " \t\n\r"


def loads_with_lines(text: str) -> Any:
    """Parse JSON; raise :class:`JsonProblem` naming the line of whatever is wrong."""
    position = [0]
    counted = [0, 1]  # up to where newlines are counted, and the line there (counting is linear)

    def line() -> int:
        start, number = counted
        if position[0] > start:
            number += text.count("\n", start, position[0])
            counted[:] = [position[0], number]
        return number

    try:
        return _top(text, position, line)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except _Duplicate as exc:
        raise JsonProblem(f"duplicate key {exc.key!r}", line(), exc.key) from None
    except TooLong as exc:
        raise JsonProblem(f"a number with {exc.digits:,} digits is too large (at most {MAX_DIGITS})", line()) from None
    except RecursionError:
        raise JsonProblem("the JSON is nested too deeply", line()) from None


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WS:
        at += 1
    return at


def _top(text: str, position: list[int], line: Any) -> Any:
    """The top-level object key by key (each key's line remembered); anything else as a whole."""
    at = _skip(text, 0)
    if not text.startswith("{", at):
        value, end = _decoder.raw_decode(text, at)
        if _skip(text, end) != len(text):
            raise json.JSONDecodeError("Extra data", text, _skip(text, end))
        return value
    out = LineDict()
    out.line = text.count("\n", 0, at) + 1
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        at += 1
    else:
        while True:
            if not text.startswith('"', at):
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, at)
            position[0] = at
            key, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]  # public, but not in typeshed
            if key in out:
                raise _Duplicate(key)
            key_line = line()
            at = _skip(text, at)
            if not text.startswith(":", at):
                raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
            position[0] = at = _skip(text, at + 1)
            out[key], at = _decoder.raw_decode(text, at)
            out.key_lines[key] = key_line
            at = _skip(text, at)
            if text.startswith(",", at):
                at = _skip(text, at + 1)
                continue
            if text.startswith("}", at):
                at += 1
                break
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
    if _skip(text, at) != len(text):
        raise json.JSONDecodeError("Extra data", text, _skip(text, at))
    return out
