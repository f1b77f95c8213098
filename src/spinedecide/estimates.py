"""The arithmetic of figures: typical figure -> subgroup figure and relative risks -> tailored.

Figures are "N in 100 people". A rule may replace the typical figure with one cited for a
subgroup (when several apply, the highest wins), and may scale it by a cited relative risk or
odds ratio. A ratio may come with a `baseline`: the figure, read in a source, for people without
the factor; the ratio then multiplies that figure, so people with the factor are not counted
twice (once in a typical figure that includes them, again by the ratio). An odds ratio is first
turned into the relative risk it means at the figure being tailored, RR = OR / (1 - p + p x OR)
with p the figure as a proportion (Zhang J, Yu KF. JAMA 1998;280(19):1690-1.
doi:10.1001/jama.280.19.1690): for a common outcome, reading an odds ratio as a relative risk
overstates the change. Several ratios multiply. The result is capped at
``max_combined_relative_risk`` (stated in the rules file) times the figure the ratios start from
(the subgroup figure or baseline, or the typical figure if that is higher), so a ratio still
counts on top of a subgroup figure. When the cap holds a figure back, the ratios it held back are
named (``not_counted``) so the person is told which answers were not fully counted. Figures
scaled by ratios are marked approximate. Results always satisfy 0 <= low <= high <= 100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from msgspec import Struct

from .rules import Effect, Estimate


class Tailored(Struct, frozen=True):
    low: float
    high: float
    typical_low: float
    typical_high: float
    timeframe: str
    reference_class: str
    evidence: str
    approximate: bool
    tailored: bool
    range: tuple[float, float] | None = None
    capped: bool = False  # the combined relative risks were more than the cap allows
    typical_timeframe: str = ""
    bound: str | None = None  # "up_to" or "at_least": the figures are limits
    not_counted: tuple[int, ...] = ()  # indices of the effects whose ratios the cap held back


def round_figure(value: float) -> float:
    """Round for display, halves up, never moving across 0 or 100: 0.146 -> 0.15, 1.764 -> 1.8,
    10.5 -> 11 (Python's round() would give 10, disagreeing with text that says 10.5)."""
    value = min(100.0, max(0.0, value))
    places = 2 if value < 1 else 1 if value < 10 else 0
    scale: int = 10**places
    return math.floor(value * scale + 0.5 + 1e-9) / scale


def relative_risk_of(odds_ratios: Iterable[float], figure: float) -> float:
    """The relative risk that odds ratios (multiplied together) mean at a figure of N in 100."""
    # Held within 1e-9..1e9 so that no product of ratios overflows to inf (inf / inf is NaN);
    # beyond that no figure changes visibly, and the cap applies anyway.
    combined = min(1e9, max(1e-9, math.prod(odds_ratios)))
    p = min(1.0, max(0.0, figure / 100))
    return combined / (1 - p + p * combined)


def tailor(estimate: Estimate, effects: Iterable[Effect], max_relative_risk: float) -> Tailored:
    effects = list(effects)
    low, high = estimate.low, estimate.high
    timeframe, reference = estimate.timeframe, estimate.reference_class
    # The figure the ratios start from: the highest subgroup figure, else the highest baseline.
    starts = [(e, figure) for e in effects if (figure := e.figure) is not None] or [
        (e, baseline) for e in effects if (baseline := e.baseline) is not None
    ]
    if starts:
        best, (low, high) = max(starts, key=lambda pair: (pair[1][1], pair[1][0]))
        timeframe = best.timeframe or timeframe
        reference = best.reference_class or reference
    scaling = [i for i, e in enumerate(effects) if e.relative_risk is not None or e.odds_ratio is not None]
    ratios = [rr for i in scaling if (rr := effects[i].relative_risk) is not None]
    odds = [o for i in scaling if (o := effects[i].odds_ratio) is not None]
    multiplier = math.prod(ratios)
    uncapped_low = low * multiplier * relative_risk_of(odds, low)
    uncapped_high = high * multiplier * relative_risk_of(odds, high)
    # The cap: ratios together raise a figure to at most max_relative_risk times the figure they
    # start from (or the typical figure, if higher: a lower subgroup figure never lowers the cap).
    low = min(uncapped_low, max(low, estimate.low) * max_relative_risk) if scaling else low
    high = min(uncapped_high, max(high, estimate.high) * max_relative_risk) if scaling else high
    capped = bool(scaling) and uncapped_high > high + 1e-9
    low, high = round_figure(low), round_figure(high)
    if low > high:
        low, high = high, low
    return Tailored(
        low=low,
        high=high,
        typical_low=round_figure(estimate.low),
        typical_high=round_figure(estimate.high),
        timeframe=timeframe,
        reference_class=reference,
        evidence=estimate.evidence,
        approximate=bool(scaling),
        tailored=bool(starts or scaling),
        range=(round_figure(estimate.range[0]), round_figure(estimate.range[1])) if estimate.range else None,
        capped=capped,
        typical_timeframe=estimate.timeframe,
        bound=estimate.bound,
        not_counted=tuple(scaling) if capped else (),
    )
