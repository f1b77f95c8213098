"""Text measured and broken in terminal cells, without Rich.

A terminal shows most characters in one cell, East Asian wide and full-width characters (and
most emoji) in two, and combining marks in none. :func:`wrap` breaks a paragraph into lines of at
most a given number of cells the way Rich's ``Text.wrap`` does (a word keeps the spaces after it;
a word longer than a line is folded), so the terminal report (render/rich.py) lays itself out
once and looks the same with colour (Rich writes it) and without (written directly).

The widths follow the Unicode data of this Python (``unicodedata``) with the conventions of
``wcwidth`` and Rich: controls and zero-width marks take no cell. A symbol that a newer Unicode
version than this Python's made wide may be measured one cell narrower than a newer terminal
draws it.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_WIDTHS: dict[str, int] = {}
#: Characters known to take one cell (more are added as they are measured), to measure most
#: text at C speed.
_NARROW = set(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0x300), *range(0x2010, 0x2028), *range(0x2500, 0x25FD)]))
#: The controls Rich's Text drops (bell, backspace, vertical tab, form feed, carriage return):
#: dropped here too, so that a line is what Rich would have drawn.
_DROPPED = dict.fromkeys((7, 8, 11, 12, 13))


def _measured(char: str) -> int:
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0
    if code < 0x300:
        return 1  # Latin, the soft hyphen shown as a hyphen
    import unicodedata

    kind = unicodedata.category(char)
    if kind in ("Mn", "Me", "Mc", "Cf", "Zl", "Zp") or 0x1160 <= code <= 0x11FF or 0x1F3FB <= code <= 0x1F3FF:
        return 0  # combining marks, format characters, Hangul medial jamo, skin-tone modifiers
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def char_width(char: str) -> int:
    """The cells one character takes: 0, 1 or 2."""
    width = _WIDTHS.get(char)
    if width is None:
        width = _WIDTHS[char] = _measured(char)
        if width == 1:
            _NARROW.add(char)
    return width


def cell_len(text: str) -> int:
    """The cells ``text`` takes on a terminal."""
    if (text.isascii() and text.isprintable()) or _NARROW.issuperset(text):
        return len(text)
    return sum(map(char_width, text))


def crop(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells; a wide character cut in half becomes a space."""
    if cell_len(text) <= width:
        return text
    used = 0
    for n, char in enumerate(text):
        size = char_width(char)
        if used + size > width:
            return text[:n] + " " * (width - used)
        used += size
    return text  # pragma: no cover - cell_len said it was too long


def chop(word: str, width: int) -> list[str]:
    """A word too long for a line, in pieces of at most ``width`` cells (a zero-width mark stays
    with the character before it)."""
    pieces: list[str] = []
    start = used = 0
    for n, char in enumerate(word):
        size = char_width(char)
        if used + size > width and n > start:
            pieces.append(word[start:n])
            start, used = n, 0
        used += size
    pieces.append(word[start:])
    return pieces


def wrap(text: str, width: int, *, fold: bool = True) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken where Rich's ``Text.wrap`` breaks
    them: at the start of a word that does not fit, keeping the spaces after the word before it
    while they fit; a newline always breaks. A word longer than a line is folded over the lines
    it needs, or (``fold=False``, as in a table's cells) cut short with an ellipsis."""
    lines: list[str] = []
    if not text.isprintable():
        text = text.translate(_DROPPED)
    for line in text.split("\n"):
        if "\t" in line:
            line = line.expandtabs(8)
        if cell_len(line) <= width and len(line) <= width:
            lines.append(line)
            continue
        breaks = _breaks(line, width, fold)
        for start, end in zip([0, *breaks], [*breaks, len(line)], strict=True):
            part = _rstrip_end(line[start:end], width)
            lines.append(crop(part, width) if fold or cell_len(part) <= width else crop(part, width - 1) + "…")
    return lines


def _breaks(line: str, width: int, fold: bool) -> list[int]:
    """Where to break ``line`` (string offsets): Rich's ``divide_line``."""
    breaks: list[int] = []
    used = 0
    measure = len if _NARROW.issuperset(line) else cell_len
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        size = measure(word.rstrip())
        if width - used >= size:
            used += measure(word)
        elif size > width and not fold:  # the word on a line of its own, to be cut short
            if start:
                breaks.append(start)
            used = cell_len(word)
        elif size > width:  # fold the word over as many lines as it needs
            pieces = chop(word, width)
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            used = cell_len(pieces[-1])
        elif used and start:
            breaks.append(start)
            used = measure(word)
    return breaks


def _rstrip_end(line: str, width: int) -> str:
    """Trailing whitespace cut only as far as the line is longer than ``width`` characters."""
    excess = len(line) - width
    if excess > 0:
        match = _TRAILING_SPACE.search(line)
        if match is not None:
            return line[: len(line) - min(len(match.group()), excess)]
    return line
