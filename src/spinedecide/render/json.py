"""The JSON report: deterministic (fixed key order, no timestamps), UTF-8, trailing newline.

The report's structs are the JSON (``spinedecide.report``): msgspec encodes them as they are,
with no dictionaries built on the way. ``--format json`` is that, indented by two spaces, as the
standard library's ``json.dumps(..., indent=2, ensure_ascii=False)`` wrote it before;
``spinedecide batch`` writes the compact form, one report a line.
"""

from __future__ import annotations

from typing import Any, TextIO

import msgspec

from ..report import Report

_encoder = msgspec.json.Encoder()


def encode(report: Report) -> bytes:
    """The report as compact JSON (UTF-8, no newline): one batch line."""
    return _encoder.encode(report)


def dumps(report: Report) -> str:
    """The report as ``--format json`` writes it: indented by two spaces, with a final newline."""
    return msgspec.json.format(_encoder.encode(report), indent=2).decode("utf-8") + "\n"


def render(report: Report, out: TextIO, **_options: Any) -> None:
    out.write(dumps(report))
