"""How urgent a red flag is: the levels a rules file may give, their order, and the words of the
banner that every renderer and the interview show for the most urgent level present.

The levels are part of the rules format (like option kinds). Each red flag's own advice (its
``action``) and sources live in the rules file; only the one-line banner for each level is here,
so the six report formats and the interview cannot word it differently.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Most urgent first. A red flag with no ``level`` in its rules file is ``same_day`` (the banner
#: every red flag had before levels existed).
LEVELS = ("emergency", "same_day", "soon")
DEFAULT_LEVEL = "same_day"

_BANNER = {  # (label, what to do)
    "emergency": ("Emergency", "go to an emergency department now, or call an ambulance"),
    "same_day": ("Urgent", "see a doctor today"),
    # 'soon' names no time: no source read gives one; asking for the appointment is the action now.
    "soon": ("Important", "ask for an appointment with a doctor now, before any decision"),
}

#: Words each level's advice says, so that a red flag's ``action`` agrees with its banner
#: (``spinedecide rules check`` warns when none of them is in the action).
ACTION_WORDS = {
    "emergency": ("emergency department now", "ambulance"),
    "same_day": ("today",),
    "soon": ("appointment",),
}

#: Said under the banner, in every format.
NOT_FOR_NOW = (
    "Some of your answers can be a sign of a serious problem. This decision aid is for a planned "
    "choice about back surgery, so it is not for you right now. Please act on this first."
)
#: Said under the banner at the ``soon`` level: the aid can still help, after this.
SOON_NOTE = "Some of your answers need a doctor's check. Please act on this as well as reading the rest."
#: The heading over any elective content in an urgent report.
FOR_LATER = "For later, after you have been checked"
#: The same heading at the ``soon`` level: the person may read on, but decides only after the check.
FOR_LATER_SOON = "About your options (read now, but see a doctor before you decide)"
FOR_LATER_NOTE = (
    "This is general information for a talk with a spine specialist later. It does not replace getting checked first."
)
#: When the elective part was left out of an urgent report.
SKIPPED_NOTE = "The rest of this aid, about the options for your back, is for later, after you have been checked."
#: The heading of the reminder that ends every urgent report.
REMINDER = "Remember"
#: In the reminder, the flags below the most urgent level: named, but never as a milder choice.
ALSO_TELL = "When you are seen, also tell them about: {}."


def rank(level: str) -> int:
    """0 for the most urgent level; unknown words sort last."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def most_urgent(levels: Iterable[str]) -> str | None:
    found = sorted(levels, key=rank)
    return found[0] if found else None


def banner(level: str | None) -> str:
    """The one-line banner for a report's urgency (``""`` when nothing is urgent)."""
    if level is None:
        return ""
    label, todo = _BANNER.get(level, _BANNER[DEFAULT_LEVEL])
    return f"{label}: {todo}"


def reminder(level: str | None) -> str:
    """The heading of the reminder that ends an urgent report: 'Remember: see a doctor today'."""
    if level is None:
        return ""
    return f"{REMINDER}: {_BANNER.get(level, _BANNER[DEFAULT_LEVEL])[1]}"


def intro(level: str | None) -> str:
    """The sentence under the banner."""
    return SOON_NOTE if level == "soon" else NOT_FOR_NOW


def stops(level: str | None) -> bool:
    """Whether this level stops the decision aid (the interview's default is then to stop)."""
    return level in ("emergency", "same_day")


def for_later(level: str | None) -> str:
    """The heading over the elective part of an urgent report."""
    return FOR_LATER_SOON if level == "soon" else FOR_LATER


def also_tell(titles: Iterable[str]) -> str:
    """'When you are seen, also tell them about: back pain after cancer; ...' ('' for none)."""
    named = [t[:1].lower() + t[1:] for t in dict.fromkeys(titles)]
    return ALSO_TELL.format("; ".join(named)) if named else ""
