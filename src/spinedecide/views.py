"""What every part of the JSON report is made of: the :class:`View` struct (its fields are the
object's keys, encoded as they stand), :class:`Worded` (a view that also carries words for the
renderers that are never encoded), :class:`Titled` ids that carry their words, and
:func:`enum_meta` for a field's allowed values in the generated schema.

Shared by ``report.py`` and ``deliberation.py`` (which ``report.py`` builds on), so neither
imports the other's internals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec
from msgspec import Meta, Struct

Ids = tuple[str, ...]


def enum_meta(values: Iterable[Any], nullable: bool = False) -> Meta:
    """A field's allowed values, for the generated schema."""
    return Meta(extra_json_schema={"enum": [*values, *([None] if nullable else [])]})


class Titled(tuple[str, ...]):
    """Ids, as the JSON has them, that also carry their words (a title, or anything a renderer
    shows for the id): ``titled(ids)`` gives (id, words) pairs back."""

    words: tuple[Any, ...]

    def __new__(cls, pairs: Iterable[tuple[str, Any]] = ()) -> Titled:
        pairs = tuple(pairs)
        out = super().__new__(cls, (i for i, _w in pairs))
        out.words = tuple(w for _i, w in pairs)
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        return (Titled, (titled(self),))


def titled(ids: Ids) -> tuple[tuple[str, Any], ...]:
    """(id, words) for each id (the id itself where ``ids`` carries no words)."""
    words = getattr(ids, "words", None)
    return tuple(zip(ids, words, strict=True)) if words is not None else tuple((i, i) for i in ids)


class View(Struct, frozen=True):
    """A part of the report; ``to_dict()`` is its JSON as plain Python data."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(self))
        return data


class Worded(View, frozen=True, dict=True):
    """A view with words for renderers in its ``__dict__`` (msgspec's ``dict=True``: never
    encoded); they survive pickling and copying."""

    def with_words(self, **words: Any) -> Any:
        self.__dict__.update(words)
        return self

    def word(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get(name, default)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), msgspec.structs.asdict(self), dict(self.__dict__)))


def _rebuild(cls: type[Worded], fields: dict[str, Any], words: dict[str, Any]) -> Worded:
    out: Worded = cls(**fields).with_words(**words)
    return out
