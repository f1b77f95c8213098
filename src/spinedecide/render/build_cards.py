"""The outcome cards (layer 2) and their pictures (layer 3), and what else each option says.

One card per outcome: each option's figure side by side in one table (how many, who the figure is
about, how sure the evidence is, the sources), then each option's words. One picture per card,
comparing the options (and for you against typical) as 100 people each; none where it would add
nothing or compare figures from different studies, and then the reason, in words.
"""

from __future__ import annotations

from collections.abc import Callable

from ..report import FindingView, OptionView, Report
from . import icons, phrases
from .common import LIVING_LABELS, figure_basis
from .document import Block, Cell, Item, Items, Legend, Paragraph, Picture, Row, Section, Series, Table

Cite = Callable[[tuple[str, ...]], tuple[int, ...]]


def outcomes(report: Report) -> list[str]:
    """Every outcome with a figure in some option: the key outcomes first, in the rules file's order."""
    found = [i for i, _t in report.key_outcomes]
    for option in report.options:
        for f in (*option.benefits, *option.risks, *option.recovery):
            if f.estimate is not None and f.estimate.outcome and f.estimate.outcome not in found:
                found.append(f.estimate.outcome)
    return [o for o in found if any(_finding(opt, o) for opt in report.options)]


def _finding(option: OptionView, outcome: str) -> FindingView | None:
    return next(
        (
            f
            for f in (*option.benefits, *option.risks, *option.recovery)
            if f.estimate and f.estimate.outcome == outcome
        ),
        None,
    )


def sections(report: Report, cite: Cite) -> list[Section]:
    out: list[Section] = []
    ids = outcomes(report)
    if ids:
        cards: list[Block] = [Paragraph(phrases.CARDS_INTRO), _legend()]
        cards += [card(report, outcome, n, cite) for n, outcome in enumerate(ids, 1)]
        out.append(Section("cards", phrases.CARDS, tuple(cards), kind="group"))
    out += [_option(report, n, option, cite) for n, option in enumerate(report.options, 1)]
    if report.considerations:
        said: list[Block] = []
        for n, f in enumerate(report.considerations, 1):
            said += finding_blocks(f, cite)
            said += picture(f.title, [(f.title, f)], f"consideration-{n}")
        out.append(Section("considerations", phrases.CONSIDERATIONS, tuple(said)))
    return out


def _legend() -> Section:
    legend = Legend(phrases.LEGEND, (phrases.RARE_NOT_PICTURED,))
    return Section("pictures", phrases.PICTURES, (Paragraph(phrases.PICTURES_INTRO, layer="full"), legend), 3, "full")


def card(report: Report, outcome: str, n: int, cite: Cite) -> Section:
    """One outcome card: the options' figures side by side, each option's words, one picture."""
    title = report.outcome_titles.get(outcome) or dict(report.key_outcomes).get(outcome, outcome)
    found = [(o.title, _finding(o, outcome)) for o in report.options]
    rows: list[list[Cell]] = [[], [], []]
    for _option, f in found:
        if f is None or f.estimate is None:
            rows[0].append(Cell((phrases.NO_FIGURE_HERE,)))
            rows[1].append(Cell(()))
            rows[2].append(Cell(()))
            continue
        # the figure with how sure it is, whether its pair is from another study, what it includes
        rows[0].append(Cell(tuple(phrases.figure_lines(f))))
        rows[1].append(Cell((figure_basis(f.estimate),)))
        rows[2].append(Cell((), cite(f.sources)))
    table = Table(
        f"{title}: {phrases.SIDE_BY_SIDE.lower()}",
        tuple(o for o, _f in found),
        tuple(Row(label, tuple(cells)) for label, cells in zip(phrases.CARD_ROWS, rows, strict=True)),
    )
    blocks: list[Block] = [table]
    for option, f in found:
        if f is None:
            continue
        blocks.append(Paragraph(f"{option}: {f.title}", style="strong"))
        blocks.append(Paragraph(f.text, cite(f.sources)))
        blocks += [Paragraph(note, style="note") for note in phrases.notes(f)]
    blocks += picture(title, [(o, f) for o, f in found if f is not None], f"card-{n}")
    return Section(f"card-{n}", title, tuple(blocks), level=3, kind="card")


def picture(title: str, found: list[tuple[str, FindingView]], uid: str) -> list[Block]:
    """The card's one picture (layer 3), or why it has none, in words."""
    figured = [(o, f) for o, f in found if f.estimate is not None]
    if not figured:
        return []
    if len(figured) > 1 and any(not p.same_study for _o, f in figured for p in f.compared_with):
        return [Paragraph(phrases.NO_PICTURE_APART, style="quiet", layer="full")]
    series: list[Series] = []
    words: list[Block] = []
    for option, f in figured:
        assert f.estimate is not None
        if not f.estimate.pictured:
            said = phrases.no_picture(f.estimate)
            words.append(Paragraph(said if len(figured) == 1 else f"{option}: {said}", style="quiet", layer="full"))
            continue
        series += _series(option, f)
    if series and not any(s.high > 0 and icons.people(s.high) for s in series):
        return [*words, Paragraph(phrases.NO_PICTURE_NOBODY, style="quiet", layer="full")]
    if not series:
        return words
    return [*words, Picture(phrases.PICTURE_CAPTION.format(title), tuple(series))]


def _series(option: str, f: FindingView) -> list[Series]:
    e = f.estimate
    assert e is not None
    mine = icons.IconArray("", e.low, e.high, e.bound)
    if not e.tailored or (e.low, e.high) == (e.typical_low, e.typical_high):
        return [Series(option, e.low, e.high, e.bound, f"{option}: {mine.text_equivalent()}")]
    typical = icons.IconArray("", e.typical_low, e.typical_high, e.bound)
    you, usual = phrases.FOR_YOU_LABEL.format(option), phrases.TYPICAL_LABEL.format(option)
    return [
        Series(you, e.low, e.high, e.bound, f"{you}: {mine.text_equivalent()}"),
        Series(usual, e.typical_low, e.typical_high, e.bound, f"{usual}: {typical.text_equivalent()}"),
    ]


def finding_blocks(f: FindingView, cite: Cite) -> list[Block]:
    """A finding on its own (a consideration, or an option's finding with no figure)."""
    blocks: list[Block] = [Paragraph(f.title, style="strong")]
    if f.estimate:
        first, *rest = phrases.figure_lines(f)
        blocks += [Paragraph(first, style="figure"), *(Paragraph(line) for line in rest)]
    elif f.no_figure:
        blocks.append(Paragraph(f"{phrases.NOT_WELL_KNOWN} {f.no_figure}", style="figure"))
    blocks.append(Paragraph(f.text, cite(f.sources)))
    blocks += [Paragraph(note, style="note") for note in phrases.notes(f)]
    if f.estimate:
        blocks.append(Paragraph(figure_basis(f.estimate), style="quiet"))
    return blocks


def _option(report: Report, n: int, option: OptionView, cite: Cite) -> Section:
    """What an option is, and what it says that has no figure (those are in the cards)."""
    blocks: list[Block] = [Paragraph(option.summary)]
    for attr, label in phrases.FINDING_KINDS:
        unfigured = [f for f in getattr(option, attr) if f.estimate is None or not f.estimate.outcome]
        if unfigured:
            said = [b for f in unfigured for b in finding_blocks(f, cite)]
            blocks.append(Section(f"option-{n}-{attr}", label, tuple(said), level=3))
    if option.living:
        living: list[Block] = [
            Items(tuple(Item(f"{LIVING_LABELS.get(aspect, aspect)}: {text}") for aspect, text in option.living))
        ]
        if option.living_sources:
            living.append(Paragraph(phrases.SOURCES_SAID, cite(option.living_sources), style="quiet"))
        blocks.append(Section(f"option-{n}-living", phrases.LIVING, tuple(living), level=3))
    return Section(f"option-{n}", phrases.option_heading(n, option.title, option.kind), tuple(blocks))
