"""spinedecide: a shared-decision aid for adults considering lumbar (back) surgery.

Python API (``help(spinedecide)`` shows each; ``spinedecide.__all__`` lists them)::

    from spinedecide import load_rules, assess
    report = assess(load_rules(), {"age": 67, "condition": "spinal_stenosis", ...})
    report.to_dict()   # the same JSON as `spinedecide ask --format json`

- ``load_rules(path=None)``: the shipped rules, or a clinic's rules file, checked -> ``Ruleset``
- ``assess(ruleset, answers)``: the tailored ``Report`` for one person's answers
- ``Report``: plain data; ``to_dict()`` is the JSON contract
- ``Ruleset``: the validated rules file

The API's names are imported when first used, so that importing the package (which the command
line does first) costs nothing and a Ctrl-C during start-up ends quietly.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not imported from typing: the command line imports this package first

__version__ = "0.2.0"

if TYPE_CHECKING:
    from typing import Any

    from .engine import assess
    from .report import Report
    from .rules import Ruleset, load_rules

_API = {"assess": "engine", "Report": "report", "Ruleset": "rules", "load_rules": "rules"}

__all__ = ["Report", "Ruleset", "__version__", "assess", "load_rules"]


def __dir__() -> list[str]:
    """The module's names and the API's lazy ones, so that ``dir()``, ``help()`` and editors see
    them; listing imports nothing."""
    return sorted({*globals(), *_API})


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'spinedecide' has no attribute {name!r}")
