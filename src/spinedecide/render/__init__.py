"""Renderers: one module per output format. Each takes a Report and a text stream.

Renderers know nothing of rules; they only read the Report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..report import Report

FORMATS = ("rich", "text", "json", "markdown", "html", "note")
#: How much of a human report to show: the key points (layer 1), with the outcome cards (2), or
#: everything, with pictures, sources and methods (3). See render/document.py.
DETAILS = ("key", "cards", "full")


def resolve_format(fmt: str, stdout_isatty: bool) -> str:
    """``auto`` means rich on a terminal and plain text anywhere else."""
    if fmt == "auto":
        return "rich" if stdout_isatty else "text"
    return fmt


def get_renderer(fmt: str) -> Callable[..., None]:
    # Imported lazily so that JSON output never pays for Rich.
    if fmt == "json":
        from .json import render
    elif fmt == "text":
        from .text import render
    elif fmt == "rich":
        from .rich import render
    elif fmt == "note":
        from .note import render
    elif fmt == "markdown":
        from .markdown import render
    elif fmt == "html":
        from .html import render
    else:  # pragma: no cover - the CLI only passes known formats
        raise ValueError(fmt)
    return render


def render(
    report: Report,
    fmt: str,
    out: TextIO,
    *,
    explain: bool = False,
    color: bool = False,
    width: int | None = None,
    ascii: bool = False,
    detail: str = "full",
) -> None:
    get_renderer(fmt)(report, out, explain=explain, color=color, width=width, ascii=ascii, detail=detail)
