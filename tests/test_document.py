"""Issue 19: one document (render/document.py, built by render/build.py) that every human format
presents. Every sentence appears identically in text, markdown, HTML and rich once markup is
stripped, entities unescaped and lines unwrapped; the outcome cards hold each option's figure;
each card has one picture at most; the HTML page carries its date and the handout's blanks."""

from __future__ import annotations

import html
import io
import re

import pytest
import yaml
from helpers import ROOT

from spinedecide import assess, load_rules
from spinedecide.render import build as builder
from spinedecide.render import markdown, phrases, rich, text
from spinedecide.render.document import Picture, Section, Table, sentences, visible
from spinedecide.render.html import _Page

RULES = load_rules()
GOLDEN = ROOT / "tests" / "golden"


def patient(name: str, **changes: object) -> dict[str, object]:
    answers = yaml.safe_load((GOLDEN / f"{name}.answers.yaml").read_text(encoding="utf-8"))
    return {**answers, **changes}


def deliberating() -> dict[str, object]:
    """A young person with sciatica who weighed every reason, took the knowledge check and made a plan."""
    from test_deliberation import PLAN

    reasons = [r.factor for r in RULES.support.weighing.reasons if "herniated_disc" in r.conditions]
    return {**patient("sciatica_early_young"), **PLAN, **dict.fromkeys(reasons, 3), "quiz_sciatica_settles": "true"}


#: Realistic patients: a typical one, three options with a pair from different studies, a BMI
#: worked out from height and weight, an urgent one, one who feels ready (SURE 4 of 4), and one
#: with the whole deliberation (weighing, knowledge check, support, plan).
PATIENTS = {
    "sciatica_deliberation": deliberating(),
    "stenosis_older_healthy": patient("stenosis_older_healthy"),
    "spondylolisthesis_age_81": patient("spondylolisthesis_age_81"),
    "spondylolisthesis_bmi_from_height_weight": patient("spondylolisthesis_bmi_from_height_weight"),
    "sciatica_cauda_equina": patient("sciatica_cauda_equina"),
    "stenosis_sure": patient(
        "stenosis_older_healthy",
        **{f"sure_{q}": "yes" for q in ("sure", "understand", "risk_benefit", "encouragement")},
    ),
}


def presented(doc, detail: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The one document in each human format, at one detail level."""
    out = {}
    buffer = io.StringIO()
    text.write(doc, buffer, width=80, detail=detail)
    out["text"] = buffer.getvalue()
    buffer = io.StringIO()
    markdown.write(doc, buffer, detail=detail)
    out["markdown"] = buffer.getvalue()
    out["html"] = _Page(doc, detail).build(doc.title, "test")
    buffer = io.StringIO()
    rich.write(doc, buffer, width=100, detail=detail)
    out["rich"] = buffer.getvalue()
    return out


def flat(said: str, fmt: str = "") -> str:
    """Markup stripped, entities unescaped, box lines and wrapping undone."""
    if fmt == "html":
        said = re.sub(r"<(style|title)>.*?</\1>", " ", said, flags=re.S)
        said = html.unescape(re.sub(r"<[^>]+>", " ", said))
    if fmt == "markdown":
        said = said.replace("<br>", " ").replace("\\", "")
    said = re.sub(r"[\u2500-\u257f]", " ", said)  # rich's panels and tables
    said = re.sub(r"[*_`|#>]", " ", said)
    return " ".join(said.split())


@pytest.mark.parametrize("name", sorted(PATIENTS))
@pytest.mark.parametrize("detail", ["key", "cards", "full"])
def test_every_sentence_of_the_document_is_said_identically_in_every_format(name, detail):
    report = assess(RULES, PATIENTS[name])
    doc = builder.build(report, most=text.fitted(report, 80))
    pages = {fmt: flat(page, fmt) for fmt, page in presented(doc, detail).items()}
    headings = {s.heading for s in _all_sections(visible(doc, detail))}
    said = [s for s in sentences(visible(doc, detail)) if s]
    assert len(said) > 10
    for sentence in said:
        expected = flat(sentence)
        for fmt, page in pages.items():
            if sentence in headings:  # plain text writes its main headings in capitals
                assert expected.lower() in page.lower(), (fmt, sentence)
            else:
                assert expected in page, (fmt, sentence)


def _all_sections(sections):  # type: ignore[no-untyped-def]
    for s in sections:
        yield s
        yield from _all_sections([b for b in s.blocks if isinstance(b, Section)])


def test_the_drifted_sentences_are_said_once_the_same_way():
    """The SURE "no conflict" message was missing from markdown and HTML; the derived-BMI note and
    the urgent opening sentence were worded two ways."""
    ready = presented(builder.build(assess(RULES, PATIENTS["stenosis_sure"])), "full")
    bmi = presented(builder.build(assess(RULES, PATIENTS["spondylolisthesis_bmi_from_height_weight"])), "full")
    urgent = assess(RULES, PATIENTS["sciatica_cauda_equina"])
    alarm = presented(builder.build(urgent), "key")
    from spinedecide import urgency

    for fmt in ("text", "markdown", "html", "rich"):
        assert phrases.SURE_READY in flat(ready[fmt], fmt), fmt
        assert phrases.DERIVED in flat(bmi[fmt], fmt), fmt
        assert "(from height and weight)" not in flat(bmi[fmt], fmt).replace(phrases.DERIVED, ""), fmt
        assert urgency.intro(urgent.urgency) in flat(alarm[fmt], fmt), fmt


def _cards(doc):  # type: ignore[no-untyped-def]
    return [s for s in _all_sections(doc.sections) if s.kind == "card"]


@pytest.mark.parametrize("name", ["stenosis_older_healthy", "spondylolisthesis_age_81"])
def test_each_card_holds_every_options_figure_side_by_side_with_one_picture_at_most(name):
    report = assess(RULES, PATIENTS[name])
    doc = builder.build(report)
    cards = _cards(doc)
    figured = {f.estimate.outcome for o in report.options for f in (*o.benefits, *o.risks, *o.recovery) if f.estimate}
    assert len(cards) == len(figured)  # one card per outcome
    for card in cards:
        (table,) = [b for b in card.blocks if isinstance(b, Table)]
        assert table.columns == tuple(o.title for o in report.options)  # every option, side by side
        pictures = [b for b in card.blocks if isinstance(b, Picture)]
        assert len(pictures) <= 1, card.heading
    for option in report.options:
        for f in (*option.benefits, *option.risks, *option.recovery):
            if not f.estimate:
                continue
            column = [o.id for o in report.options].index(option.id)
            holding = [c for c in cards if any(phrases.figure_lines(f)[0] in r.cells[column].lines for r in _rows(c))]
            assert len(holding) == 1, f.id  # the figure, in its option's column of one card


def _rows(card):  # type: ignore[no-untyped-def]
    return [r for b in card.blocks if isinstance(b, Table) for r in b.rows]


def test_a_pair_from_different_studies_has_no_picture_side_by_side_and_says_so():
    doc = builder.build(assess(RULES, PATIENTS["spondylolisthesis_age_81"]))
    (card,) = [c for c in _cards(doc) if c.id == "card-1"]  # the first key outcome: serious_complication
    assert not [b for b in card.blocks if isinstance(b, Picture)]
    said = " ".join(sentences((card,)))
    assert phrases.NO_PICTURE_APART in said and "comes from a different study of different people" in said


def test_a_picture_compares_the_options_and_for_you_against_typical_on_one_denominator():
    report = assess(RULES, PATIENTS["spondylolisthesis_age_81"])
    doc = builder.build(report)
    pictures = [b for c in _cards(doc) for b in c.blocks if isinstance(b, Picture)]
    assert pictures
    assert any(len({s.label.split(",")[0] for s in p.series}) > 1 for p in pictures)  # two options in one
    for p in pictures:
        assert all(s.words.startswith(s.label + ": ") and "in 100 people" in s.words for s in p.series)


def test_the_picture_layer_is_left_out_of_the_cards_layer():
    doc = builder.build(assess(RULES, PATIENTS["stenosis_older_healthy"]))
    cards = presented(doc, "cards")
    full = presented(doc, "full")
    assert "●" not in cards["text"] and "●" in full["text"]
    assert "<svg" not in cards["html"].split("</header>", 1)[1].split('class="legend"')[0]
    assert phrases.SOURCES.upper() not in cards["text"] and phrases.SOURCES.upper() in full["text"]
    assert phrases.MORE_TERMINAL["cards"] in flat(cards["text"])
    assert phrases.MORE_PAGE["cards"] in flat(cards["html"], "html")


def test_the_see_more_line_is_worded_for_the_medium():
    doc = builder.build(assess(RULES, PATIENTS["stenosis_older_healthy"]))
    pages = presented(doc, "key")
    for fmt in ("text", "rich"):
        assert "--detail full" in flat(pages[fmt]), fmt
    for fmt in ("markdown", "html"):
        assert "--detail" not in pages[fmt] and phrases.MORE_PAGE["key"] in flat(pages[fmt], fmt), fmt
    assert not [m for m in ("--detail", "Ask for the full report") if m in flat(presented(doc, "full")["html"])]


def test_the_page_carries_its_date_from_source_date_epoch_and_blanks_to_fill_by_hand(monkeypatch):
    from spinedecide.render.html import dumps

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01 00:00 UTC
    page = dumps(assess(RULES, PATIENTS["stenosis_older_healthy"]))
    assert "Made on 1 December 2025." in page
    for label in phrases.FILL_IN:
        assert f'{html.escape(label)}: <span class="blank"></span>' in page
    assert phrases.OWN_QUESTIONS in page and page.count("<div></div>") == 4
    # the key points come before the cards, and the room for questions right after them
    assert page.index('id="key-points"') < page.index('id="own-questions"') < page.index('id="cards"')
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert builder.made_on({}) == builder.made_on({"SOURCE_DATE_EPOCH": "not a number"})
    assert builder.made_on({"SOURCE_DATE_EPOCH": "0"}) == "1 January 1970"


def test_json_has_no_date():
    from spinedecide.render.json import dumps

    assert "Made on" not in dumps(assess(RULES, PATIENTS["stenosis_older_healthy"]))


def test_print_css_keeps_cards_whole_with_12pt_text_and_4mm_people():
    from spinedecide.render.html_style import CSS

    printed = CSS.split("@media print", 1)[1]
    assert ".card" in printed.split("break-inside: avoid", 1)[0]
    assert re.search(r"body \{[^}]*font-size: 12pt", printed)
    # 20 people across 88 mm: each at least 4 mm wide
    width = float(re.search(r"\.array \{ width: (\d+)mm", printed).group(1))  # type: ignore[union-attr]
    assert width / 20 >= 4


def test_no_picture_where_it_would_show_no_one_the_figure_is_said_in_words():
    from spinedecide.render.build_cards import picture
    from spinedecide.render.document import Paragraph
    from spinedecide.report import FigureView, FindingView

    def finding(low: float) -> FindingView:
        e = FigureView.of(low, low, low, low, "within 30 days", "test people", "registry", False, False)
        return FindingView(id="f", kind="risk", title="A risk", text="Text.", estimate=e, sources=("s",))

    (said,) = picture("A risk", [("Operation", finding(0))], "card-1")
    assert isinstance(said, Paragraph) and said.text == phrases.NO_PICTURE_NOBODY
    (shown,) = picture("A risk", [("Operation", finding(4))], "card-1")
    assert isinstance(shown, Picture) and [s.label for s in shown.series] == ["Operation"]
