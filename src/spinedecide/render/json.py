"""The JSON report: deterministic (fixed key order, no timestamps), UTF-8, trailing newline."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..report import Report


def dumps(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render(report: Report, out: TextIO, **_options: Any) -> None:
    out.write(dumps(report))
