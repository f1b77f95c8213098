"""Running spinedecide as a separate process, the way a shell or a script does (issue 16)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "data" / "minimal.yaml"
ROOT = TESTS.parent
EXAMPLE = ROOT / "examples" / "answers-stenosis.yaml"
#: The installed console script (what a person types), next to this Python.
SCRIPT = Path(sys.executable).with_name("spinedecide")
#: What must never reach a terminal raw (an oracle of its own, not the program's regex).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

MINIMAL_LINE = (
    '{"bladder_bowel": "no", "age": 50, "smoking": "never", "diabetes": "no", "bmi": 25, "condition": "disc"}'
)


def clean_env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIOENCODING", "LC_", "NO_COLOR"))}
    env.update({"TERM": "xterm", "LANG": "C.UTF-8", "PYTHONUTF8": "1", "COLUMNS": "80"})
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(
    *args: Any,
    input: bytes | str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    **kwargs: Any,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m spinedecide ARGS``; stdout and stderr as bytes unless redirected."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "spinedecide", *map(str, args)],
        input=data,
        env=env or clean_env(),
        cwd=cwd,
        timeout=timeout,
        **kwargs,
    )


def no_traceback(proc: subprocess.CompletedProcess[bytes]) -> None:
    err = (proc.stderr or b"").decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err


def unsafe_in(data: bytes) -> list[str]:
    """Unsafe characters in a stream's bytes (bytes that are not UTF-8 count as unsafe)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"not UTF-8 at byte {exc.start}"]
    return UNSAFE.findall(text)
