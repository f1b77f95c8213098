"""Error types and exit codes.

Everything a user can cause (bad answers, a broken rules file, bad usage) is a
:class:`SpinedecideError`; anything else is a bug. The CLI turns these into exit
codes in one place (``cli.main``).
"""

from __future__ import annotations

from enum import IntEnum

from msgspec import Struct


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug, or a batch that could not finish (a worker process was killed)
    BAD_INPUT = 2  # bad usage, bad answers, bad rules file
    HANGUP = 129  # 128 + SIGHUP: the terminal was closed
    INTERRUPTED = 130  # 128 + SIGINT (Ctrl-C), and Ctrl-D in the interview
    TERMINATED = 143  # 128 + SIGTERM


class Problem(Struct, frozen=True):
    """One problem in a file or an answer: where it is and what is wrong."""

    message: str
    field: str | None = None  # an answer's factor id, or a path inside a rules file
    file: str | None = None
    line: int | None = None

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        elif self.line:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        """The JSON form. The field and file name are echoed from input, so they are given in the
        visible form (``\\x1b``, ``\\ud800``): a lone surrogate would make the line unreadable to
        strict JSON readers such as jq, and a raw control character would reach whoever prints it."""
        from .display import escape

        field = escape(self.field) if self.field is not None else None
        file = escape(self.file) if self.file is not None else None
        return {"field": field, "file": file, "line": self.line, "message": escape(self.message)}


class SpinedecideError(Exception):
    """A problem the user can fix. Carries one or more problems."""

    kind = "error"
    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: list[Problem] | str, *, heading: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = problems
        self.heading = heading
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.heading] if self.heading else []
        if self.heading or len(self.problems) > 1:
            lines += [f"  - {p}" for p in self.problems]
        else:
            lines += [str(p) for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "error": self.kind,
            "message": self.heading or str(self.problems[0]),
            "problems": [p.to_dict() for p in self.problems],
        }


class RulesError(SpinedecideError):
    kind = "rules_error"


class AnswersError(SpinedecideError):
    kind = "answers_error"


class UsageError(SpinedecideError):
    kind = "usage_error"


class OutputError(SpinedecideError):
    kind = "output_error"


class WorkerStopped(SpinedecideError):
    """A batch worker process ended without finishing (killed, or out of memory)."""

    kind = "worker_stopped"
    exit_code = ExitCode.INTERNAL


class Interrupted(Exception):
    """The person stopped the interview (Ctrl-C or Ctrl-D); ``keyboard``: by Ctrl-C (or another
    stop signal), not by the end of input."""

    def __init__(
        self, unanswered: list[str] | None = None, saved_to: str | None = None, *, keyboard: bool = False
    ) -> None:
        super().__init__(unanswered, saved_to)
        self.unanswered = list(unanswered or [])
        self.saved_to = saved_to
        self.keyboard = keyboard
