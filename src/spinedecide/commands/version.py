"""``spinedecide --version``: the program's and the rules file's versions."""

from __future__ import annotations

from .. import __version__
from ..errors import SpinedecideError
from ..terminal import Env


def lines() -> list[str]:
    """The program's version, then the shipped rules' (or why they cannot be loaded)."""
    out = [f"spinedecide {__version__}"]
    try:
        from ..rules import load_rules

        rules = load_rules()
        meta = rules.metadata
        out.append(f"rules {rules.version} (reviewed {rules.reviewed}; next review due {meta.get('next_review')})")
        out.append(f"update policy: {meta.get('update_policy')}")
    except SpinedecideError as exc:
        out.append(f"rules: cannot be loaded ({exc.problems[0]})")
    return out


def run(env: Env, text: list[str]) -> None:
    env.stdout.write("\n".join(text) + "\n")
