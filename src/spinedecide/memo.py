"""What ``assess`` works out once per ruleset and then looks up: parts of a report that depend
only on the rules and on which rules apply, never on anything else a person answered.

A finding's view, for instance, is the same for every person to whom the same rules apply (the
figure, its sources and its notes follow from the rules alone), so it is built the first time and
shared after. The views are frozen structs, so sharing them cannot let one report change another.
Everything kept here could be worked out again from the ruleset: it is a cache, never a source
of truth, and a report is byte-for-byte the same with it or without it (the byte-identity guard
and the golden reports check that).

The memo is held for the last few rulesets used (matched by identity, so a ruleset made with
``msgspec.structs.replace`` gets its own) and each table is bounded, so memory stays flat however
many people are assessed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from .conditions import All, Condition, Equals, Member
from .rules import Ruleset

T = TypeVar("T")

#: At most this many entries in one table; past it, a value is built each time and not kept.
LIMIT = 50_000
#: Memos kept for this many rulesets at once (most recently used first).
RULESETS = 4


class Memo:
    """The lookup tables of one ruleset."""

    __slots__ = ("ruleset", "tables")

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.tables: dict[str, dict[Hashable, Any]] = {}

    def get(self, table: str, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept under ``key``, or ``build()`` (kept while the table has room)."""
        entries = self.tables.setdefault(table, {})
        try:
            found: T = entries[key]
            return found
        except KeyError:
            value = build()
            if len(entries) < LIMIT:
                entries[key] = value
            return value

    def table(self, name: str) -> dict[Hashable, Any]:
        """A table to read and fill directly (the caller keeps it under :data:`LIMIT`)."""
        return self.tables.setdefault(name, {})


_memos: list[Memo] = []


def memo_for(ruleset: Ruleset) -> Memo:
    """The memo of this ruleset object (made on first use)."""
    for m in _memos:
        if m.ruleset is ruleset:
            return m
    m = Memo(ruleset)
    _memos.insert(0, m)
    del _memos[RULESETS:]
    return m


# -- the items a person's condition leaves in play ---------------------------------------------

#: The factor nearly every elective part of the rules depends on: the person's spinal condition.
CONDITION = "condition"

W = TypeVar("W", bound="_HasWhen")


class _HasWhen(Protocol):
    @property
    def when(self) -> Condition | None: ...


def for_condition(ruleset: Ruleset, items: Sequence[W], values: Mapping[str, Any]) -> Sequence[W]:
    """The ``items`` (the ruleset's own list: red flags, considerations, questions...) whose ``when``
    could hold for this person's condition, in their order. Their ``when`` must still be tested:
    this only leaves out those that name other conditions, worked out once per condition."""
    condition = values.get(CONDITION)
    if not items or not isinstance(condition, str):
        return items
    table = memo_for(ruleset).table("for_condition")
    key = (id(items), condition)
    entry = table.get(key)
    if entry is None or entry[0] is not items:  # kept with the list itself, so an id reused is no match
        entry = (items, tuple(i for i in items if admits(i.when, condition)))
        if len(table) < LIMIT:
            table[key] = entry
    found: Sequence[W] = entry[1]
    return found


def admits(when: Condition | None, condition: str) -> bool:
    """False only when ``when`` cannot hold for a person with this ``condition``: it requires
    (in an ``all``, or alone) that the condition be another one."""
    if isinstance(when, Equals) and when.factor == CONDITION and not when.negate:
        return bool(when.value == condition)
    if isinstance(when, Member) and when.factor == CONDITION and not when.negate:
        return condition in when.values
    if isinstance(when, All):
        return all(admits(part, condition) for part in when.parts)
    return True
