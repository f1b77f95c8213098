"""Text from input, made safe to show: control characters escaped, or plain ASCII.

Anything read from a file, an answer or the command line can hold characters that a terminal
acts on instead of showing: ESC and the other C0 controls (``ESC[8m`` hides what follows), DEL,
the C1 controls (U+0080 to U+009F; U+009B is a one-character ESC[), the bidirectional overrides
and isolates (U+202A to U+202E, U+2066 to U+2069, which reorder a line) and lone surrogates
(which cannot be encoded at all). :func:`escape` writes each one in a visible form such as
``\\x1b`` or ``\\u202e``; tab and newline stay as they are.

The forms are chosen so that escaping JSON text keeps it valid JSON with the same meaning: JSON
never holds a raw C0 control (``json.dumps`` escapes them), and every other character is written
``\\uXXXX``, which is how JSON itself escapes a character.
"""

from __future__ import annotations

import re
from collections.abc import Callable


class _OnFirstUse:
    """A regular expression compiled when first used. Compiling :data:`UNSAFE` (its ranges reach
    past U+00FF) takes about half a millisecond, which a JSON report never needs: it is checked on
    its UTF-8 bytes (:func:`json_utf8`)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled.sub(repl, text)


#: The characters that are never shown raw (see the module's docstring).
UNSAFE = _OnFirstUse("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every unsafe character written visibly (``\\x1b``, ``\\u202e``)."""
    return UNSAFE.sub(_visible, text) if UNSAFE.search(text) else text


#: The unsafe characters that JSON text can hold raw, in UTF-8 (JSON writes every C0 control as an
#: escape, and a lone surrogate cannot be encoded at all): DEL, a C1 control (U+0080 to U+009F)
#: and the bidirectional controls (U+202A to U+202E, U+2066 to U+2069).
#: (Compiled on first use, not at import: start-up never needs them.)
_RAW_C1 = rb"\xc2[\x80-\x9f]"
_RAW_BIDI = rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])"


def json_utf8(text: str) -> bytes:
    """JSON text as UTF-8, every unsafe character escaped: exactly ``escape(text).encode("utf-8")``
    for any JSON text, but checked on the bytes, which is several times faster when nothing needs
    escaping (the usual case: ``batch`` writes about 50 KB a report)."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return escape(text).encode("utf-8")
    return json_utf8_bytes(raw)


def json_utf8_bytes(raw: bytes) -> bytes:
    """:func:`json_utf8` for JSON already encoded as UTF-8 (say, by msgspec): the same check on
    the bytes, and the same escapes where one is needed."""
    if b"\x7f" in raw or (b"\xc2" in raw and re.search(_RAW_C1, raw)) or re.search(_RAW_BIDI, raw):
        return escape(raw.decode("utf-8")).encode("utf-8")
    return raw


def quote(value: object) -> str:
    """``value`` quoted for a message, as typed: ``'abc'``, ``"don't"``, ``“5'10"”`` (never a
    backslash added, unlike ``repr``); unsafe characters escaped. Not text: its ``repr``."""
    if not isinstance(value, str):
        return escape(repr(value))
    text = escape(value)
    if "'" not in text:
        return f"'{text}'"
    return f'"{text}"' if '"' not in text else f"\u201c{text}\u201d"


def first_unsafe(text: str) -> int | None:
    """The index of the first unsafe character in ``text``, or None."""
    match = UNSAFE.search(text)
    return match.start() if match else None


def describe(char: str) -> str:
    """``U+001B (\\x1b)``: how an unsafe character is named in a message."""
    return f"U+{ord(char):04X} ({escape(char)})"


# Typographic characters the reports use, as plain ASCII (a dumb terminal, a Latin-1 locale).
ASCII_TABLE = str.maketrans(
    {
        **dict.fromkeys("─━═╌┄–—‐‑−", "-"),
        **dict.fromkeys("│┃║┆┊", "|"),
        **dict.fromkeys("╭╮╰╯┌┐└┘┏┓┗┛╔╗╚╝├┤┬┴┼┣┫┳┻╋╠╣╦╩╬┡┩┠┨┯┷┿╇╈", "+"),
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "•": "*",
        "●": "#",
        "◐": "+",
        "○": ".",
        "≥": ">=",
        "≤": "<=",
        "≠": "!=",
        "…": "...",
        "×": "x",
        "±": "+/-",
        "☐": "[ ]",
        "★": "*",
        "☆": "-",
        "→": "->",
        "\u00a0": " ",
        "·": "*",
        "²": "2",
        "³": "3",
        "½": "1/2",
        "¼": "1/4",
        "¾": "3/4",
    }
)


def to_ascii(text: str) -> str:
    """Plain ASCII: typographic characters replaced, accents dropped (Slätis: Slatis), anything
    else written as ``\\uXXXX`` so that nothing is lost silently."""
    text = escape(text).translate(ASCII_TABLE)
    if text.isascii():
        return text
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.encode("ascii", "backslashreplace").decode("ascii")
