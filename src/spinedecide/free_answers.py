"""Answers that are not one choice or one number: several choices, a date, free text.

- Several choices (a choice question with ``max_items``): a list, or one text with the choices
  separated by commas (``partner, friend``; numbers in the interview). Kept in the rules file's
  order, each once.
- A date: ``YYYY-MM-DD`` (ISO 8601); kept as that text. Typed in the interview, it must not be
  before today; from a file, a batch line, ``--set`` or the API it may be (a saved answers file
  gives the same report tomorrow), unless the caller passes ``today``.
- Free text (``max_length`` characters; with ``max_items``, a list of up to that many): spaces
  at the ends trimmed; control characters (and the characters that reorder a line) refused, never
  changed, so what is kept is what the person typed.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from .conditions import normalise_choice, suggest
from .display import UNSAFE, describe, quote
from .rules import Factor


def convert_free(factor: Factor, value: Any, today: date | None) -> tuple[Any, str | None]:
    """The normalised answer, or (None, what is wrong)."""
    if factor.type == "date":
        return _date(value, today)
    items = _items(factor, value)
    if isinstance(items, str):
        return None, items
    if factor.type == "choice":
        return _choices(factor, items)
    return _texts(factor, items)


def _items(factor: Factor, value: Any) -> list[Any] | str:
    if isinstance(value, list | tuple):
        items = list(value)
    elif factor.type == "choice" and isinstance(value, str):
        items = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    else:
        items = [value]
    if not items:
        return "no answer given"
    if len(items) > factor.max_items:
        return f"{len(items)} answers given; at most {factor.max_items}"
    return items


def _choices(factor: Factor, items: list[Any]) -> tuple[Any, str | None]:
    chosen = set()
    for item in items:
        choice = normalise_choice(factor, item.strip() if isinstance(item, str) else item)
        if choice is None:
            allowed = ", ".join(factor.choice_ids)
            return (
                None,
                f"{quote(item)} is not one of the choices{suggest(item, factor.choice_ids)}; expected {allowed}",
            )
        chosen.add(choice)
    ordered = [c for c in factor.choice_ids if c in chosen]
    return (ordered if factor.max_items > 1 else ordered[0]), None


def _texts(factor: Factor, items: list[Any]) -> tuple[Any, str | None]:
    out = []
    for n, item in enumerate(items, 1):
        where = f"answer {n}: " if factor.max_items > 1 else ""
        if not isinstance(item, str):
            return None, f"{where}expected text, got {quote(item)}"
        text = item.strip()
        if not text:
            return None, f"{where}no text given"
        bad = next((i for i, c in enumerate(text) if UNSAFE.match(c) or unicodedata.category(c) == "Cc"), None)
        if bad is not None:
            return None, (
                f"{where}character {bad + 1} is a control character, {describe(text[bad])}; "
                "please type plain text on one line"
            )
        limit = factor.max_length or 0
        if len(text) > limit:
            return None, f"{where}{len(text)} characters long; at most {limit}"
        out.append(text)
    return (out if factor.max_items > 1 else out[0]), None


def _date(value: Any, today: date | None) -> tuple[Any, str | None]:
    if isinstance(value, date):  # YAML reads an unquoted 2027-01-31 as a date
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return None, f"could not read {quote(value)} as a date; type it as year-month-day, e.g. 2027-01-31"
        if len(value.strip()) != 10:
            return None, f"could not read {quote(value)} as a date; type it as year-month-day, e.g. 2027-01-31"
    else:
        return None, f"expected a date (year-month-day, e.g. 2027-01-31), got {quote(value)}"
    if today is not None and day < today:
        return None, f"{day.isoformat()} is in the past; give today's date ({today.isoformat()}) or a later one"
    return day.isoformat(), None
