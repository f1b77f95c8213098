"""Ctrl-C in the interview without ``--save-answers``: offer once to save the answers so far.

Asked only of a person at a terminal who pressed Ctrl-C (not at the end of input, Ctrl-D,
SIGTERM, SIGHUP or ``--no-input``; the command line decides that). Nothing is written unless the
person says yes and names a file; an existing file is replaced only when they say so. A second
Ctrl-C, or the end of input, leaves at once with nothing written. The file is written as
``--save-answers`` writes it: owner-only and atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .display import escape, quote
from .errors import SpinedecideError
from .interview import Prompter

YES = ("y", "yes")


def offer(prompter: Prompter, write: Callable[[Path], None]) -> str | None:
    """Ask whether to save; return the name of the file written, or None when nothing was."""
    say = prompter.say
    say("")
    say("You stopped the questions. Your answers so far are not saved.", "question")
    try:
        reply = prompter.ask("Save them to a file, so you can carry on later? Type yes or no: ")
        if reply.strip().lower() not in YES:
            say("Nothing was saved.", "dim")
            return None
        return _save_as(prompter, write)
    except (EOFError, KeyboardInterrupt):  # a second Ctrl-C, or the end of input: leave at once
        say("")
        return None


def _save_as(prompter: Prompter, write: Callable[[Path], None]) -> str | None:
    say = prompter.say
    while True:
        name = prompter.ask("File name (for example my-answers.yaml; Enter to save nothing): ").strip()
        if not name:
            say("Nothing was saved.", "dim")
            return None
        path = Path(name).expanduser()
        if path.exists() or path.is_symlink():
            reply = prompter.ask(f"{quote(name)} already exists. Replace it? Type yes or no: ")
            if reply.strip().lower() not in YES:
                continue
        try:
            write(path)
        except SpinedecideError as exc:
            say(f"Could not save there: {exc.render()}", "error")
            continue
        return escape(name)
