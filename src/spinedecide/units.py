"""Units of measure, and the values worked out from measurements (BMI from height and weight).

Each unit's kind (length, weight, duration), its size and the words it is written with: answers
read numbers with their unit (5'10", 11 st 4 lb, 2 years). The rules file declares which factor
is worked out, from which answers and by which formula (``derived_from`` and ``formula:
body_mass_index``); the arithmetic and the unit conversion are code, here, never in the rules
file. Imports nothing of spinedecide but ``_lines`` (the rules loader and the answers both read it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from msgspec import Struct

from ._lines import folded

#: Each unit's size (in cm, kg or weeks) and the words it is written with.
UNITS: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "mm": ("length", 0.1, ("mm", "millimetre", "millimetres", "millimeter", "millimeters")),
    "cm": ("length", 1.0, ("cm", "cms", "centimetre", "centimetres", "centimeter", "centimeters")),
    "m": ("length", 100.0, ("m", "metre", "metres", "meter", "meters")),
    "in": ("length", 2.54, ("in", "inch", "inches", '"')),
    "ft": ("length", 30.48, ("ft", "foot", "feet", "'")),
    "g": ("weight", 0.001, ("g", "gram", "grams", "gramme", "grammes")),
    "kg": ("weight", 1.0, ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes")),
    "lb": ("weight", 0.45359237, ("lb", "lbs", "pound", "pounds")),
    "st": ("weight", 6.35029318, ("st", "stone", "stones")),
    "d": ("duration", 1 / 7, ("d", "day", "days")),
    "wk": ("duration", 1.0, ("w", "wk", "wks", "week", "weeks")),
    "mo": ("duration", 365.25 / 12 / 7, ("mo", "mos", "month", "months")),
    "y": ("duration", 365.25 / 7, ("y", "yr", "yrs", "year", "years")),
}
WORDS = {word: unit for unit, (_, _, words) in UNITS.items() for word in words}


def unit_word(unit: str | None) -> str | None:
    """The unit a word names (``"Metres"`` is ``"m"``), or None for no unit or one not known here."""
    return WORDS.get(folded(unit or ""))


def kind_and_size(unit: str | None) -> tuple[str, float] | None:
    """A unit's kind and its size in that kind's base unit (cm, kg, weeks): ``"m"`` is
    ``("length", 100.0)``. None for no unit, or one not known here (e.g. kg/m²)."""
    found = unit_word(unit)
    return (UNITS[found][0], UNITS[found][1]) if found else None


# Values worked out from other answers ------------------------------------------------------------


class Formula(Struct, frozen=True):
    """What a formula needs: per input, in order, the kind of unit and the size (in that kind's
    base unit, see UNITS) it works in; how it works the value out; the decimals kept."""

    needs: tuple[tuple[str, float], ...]
    compute: Callable[..., float]
    digits: int


def _body_mass_index(metres: float, kilograms: float) -> float:
    return kilograms / metres**2


#: The formulas a factor's ``formula`` may name.
FORMULAS: dict[str, Formula] = {
    # weight in kilograms over the square of height in metres (height from any length, weight from any weight)
    "body_mass_index": Formula((("length", 100.0), ("weight", 1.0)), _body_mass_index, 1),
}

#: A format 1 file without ``formula``: a factor ``bmi`` with ``derived_from`` is, as it always
#: was, the body mass index of the answers ``height_cm`` in cm and ``weight_kg`` in kg, whatever
#: its ``derived_from`` lists.
LEGACY: dict[str, tuple[str, tuple[str, ...], tuple[float, ...]]] = {
    "bmi": ("body_mass_index", ("height_cm", "weight_kg"), (UNITS["cm"][1], UNITS["kg"][1])),
}


def work_out(formula: str, values: Sequence[float], sizes: Sequence[float]) -> float:
    """The formula over the inputs' values (each in a unit of ``sizes``, in its kind's base
    unit), converted to the units the formula works in, rounded to its decimals."""
    how = FORMULAS[formula]
    converted = (value * size / want for value, size, (_kind, want) in zip(values, sizes, how.needs, strict=True))
    return round(how.compute(*converted), how.digits)
