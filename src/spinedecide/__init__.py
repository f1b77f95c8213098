"""spinedecide: a shared-decision aid for adults considering lumbar (back) surgery.

Python API::

    from spinedecide import load_rules, assess
    report = assess(load_rules(), {"age": 67, "condition": "spinal_stenosis", ...})
    report.to_dict()   # the same JSON as `spinedecide ask --format json`
"""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import assess  # noqa: E402
from .report import Report  # noqa: E402
from .rules import Ruleset, load_rules  # noqa: E402

__all__ = ["Report", "Ruleset", "__version__", "assess", "load_rules"]
