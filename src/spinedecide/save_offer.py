"""Offers to save the answers when ``--save-answers`` was not given: once after Ctrl-C in the
interview (the answers so far), and once at the end of the questions (so the whole report can be
seen later without answering again).

The Ctrl-C offer is asked only of a person at a terminal who pressed Ctrl-C (not at the end of
input, Ctrl-D, SIGTERM, SIGHUP or ``--no-input``); the end offer only when the questions were
asked and answered at a terminal, the report goes to that terminal, and it is not urgent (the
command line decides both). Nothing is written unless the
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


def offer_at_the_end(prompter: Prompter, write: Callable[[Path], None]) -> str | None:
    """At the end of the questions: offer once to save the answers, and say how to see the whole
    report from them. Returns the name of the file written, or None."""
    say = prompter.say
    say("")
    try:
        reply = prompter.ask(
            "Save your answers to a file, so you can see the whole report later without answering again? "
            "Type yes or no: "
        )
        if reply.strip().lower() not in YES:
            return None
        name = _save_as(prompter, write)
    except (EOFError, KeyboardInterrupt):  # the end of input, or Ctrl-C: the report follows
        say("")
        return None
    if name is not None:
        say(f"Saved. To see the whole report: spinedecide ask --answers {name} --detail full", "dim")
    return name


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
