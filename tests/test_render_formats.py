"""The markdown and HTML reports, and the icon arrays (pictures of 100 people) they show."""

from __future__ import annotations

import io
import itertools
import re
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import need
from helpers import minimal_answers
from msgspec.structs import replace

from spinedecide import assess, load_rules
from spinedecide.render import FORMATS, get_renderer, icons
from spinedecide.report import FigureView, FindingView, SourceView, UrgentReason

DATA = Path(__file__).parent / "data"
ANSWERS = minimal_answers()
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def rules():
    return load_rules(DATA / "minimal.yaml")


def rendered(report, fmt: str, **options) -> str:
    buffer = io.StringIO()
    get_renderer(fmt)(report, buffer, **options)
    return buffer.getvalue()


def figure(low, high, typical_low=None, typical_high=None) -> FigureView:
    return FigureView.of(
        low=low,
        high=high,
        typical_low=typical_low if typical_low is not None else low,
        typical_high=typical_high if typical_high is not None else high,
        timeframe="within 30 days",
        reference_class="test people",
        evidence="registry",
        approximate=False,
        tailored=typical_low is not None and (typical_low, typical_high) != (low, high),
    )


# --- icon arrays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "filled"), [(0, 0), (1, 1), (1.4, 1), (1.5, 2), (1.8, 2), (4, 4), (57, 57), (99.6, 100), (100, 100)]
)
def test_filled_icons_equal_the_rounded_figure(value, filled):
    array = icons.IconArray("x", value, value)
    assert array.filled == filled
    assert array.cells().count(icons.FILLED) == filled and len(array.cells()) == 100
    grid = array.grid()
    assert len(grid) == 10 and all(len(row.split()) == 10 for row in grid)
    assert "".join(grid).count("●") == filled
    assert "".join(array.grid(ascii=True)).count("#") == filled
    svg = icons.svg(array)
    assert len(re.findall(r"<circle", svg)) == 100  # always 100 people: the same denominator
    filled_group = re.search(r'<g class="filled"[^>]*>(.*?)</g>', svg)
    assert (filled_group.group(1).count("<circle") if filled_group else 0) == filled


@pytest.mark.parametrize("value", [0.1, 0.4, 0.5, 0.99])
def test_below_one_in_100_fills_nobody_and_says_so(value):
    array = icons.IconArray("x", value, value)
    assert array.filled == 0 and array.ranged == 0
    assert "●" not in "".join(array.grid()) and "#" not in "".join(array.grid(ascii=True))
    words = array.text_equivalent()
    assert f"fewer than 1 in 100: {value:g} in 100" in words.lower()
    assert "cannot show less than one person" in words
    assert 'class="filled"' not in icons.svg(array)


def test_text_equivalent_says_the_figure_and_the_picture():
    assert icons.IconArray("x", 4, 4).text_equivalent() == "About 4 in 100 people (4 filled figures out of 100)."
    assert "rounded" in icons.IconArray("x", 1.8, 1.8).text_equivalent()
    ranged = icons.IconArray("x", 2, 5)
    assert (ranged.filled, ranged.ranged) == (2, 3)
    assert "2 filled figures and 3 shaded figures" in ranged.text_equivalent()
    assert "".join(ranged.grid()).count("◐") == 3


def test_tailored_and_typical_side_by_side_only_when_they_differ():
    two = icons.arrays_for(figure(4, 4, 2, 2))
    assert [(a.label, a.filled) for a in two] == [("People like you", 4), ("Typical", 2)]
    block = icons.text_block(figure(4, 4, 2, 2))
    rows = block.splitlines()[1:11]
    assert all(row.count("●") + row.count("○") == 20 for row in rows)  # two grids on each line
    assert "People like you: About 4 in 100" in block and "Typical: About 2 in 100" in block
    assert len(icons.arrays_for(figure(2, 2))) == 1
    assert len(icons.arrays(3, 3)) == 1


def test_svg_prints_in_black_and_white_and_has_a_label():
    svg = icons.svg(icons.IconArray("Typical", 2, 5), uid="t1")
    assert 'role="img"' in svg and 'aria-label="Typical: About 2 to 5 in 100 people' in svg
    assert "<title>" in svg
    # filled, hatched and outlined shapes, all in the text colour: not colour alone
    assert 'fill="currentColor"' in svg and 'fill="none"' in svg and 'fill="url(#t1-hatch)"' in svg
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", svg)


# --- markdown ------------------------------------------------------------------------------------


def test_formats_are_registered():
    assert {"markdown", "html"} <= set(FORMATS)
    from spinedecide.cli import Format

    assert {"markdown", "html"} <= {f.value for f in Format}


def test_markdown_structure(rules):
    report = assess(rules, {**ANSWERS, "smoking": "current", "age": 85, "diabetes": "unknown"})
    text = rendered(report, "markdown", explain=True)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# spinedecide: Test rules"
    order = [
        "## Key points",
        "## The decision",
        "## Your options side by side",
        "## Each outcome, option by option",
        "## Option 1: Operation (an operation)",
        "## Option 2: Wait (no operation)",
        "## Things you can change or ask about",
        "## What could not be tailored",
        "## Your answers",
        "## Why: the rules that fired",
        "## Sources",
        "## About this decision aid",
        "## Please note",
    ]
    assert [h for h in headings if h.startswith("## ")] == order
    # one card per outcome, the key outcomes first
    cards = [h for h in headings if h.startswith("### ") and h != "### How to read the pictures"]
    assert cards[:3] == ["### Better at 1 year", "### Infection within 30 days", "### Death"]
    assert "| | Operation | Wait |" in text and "| --- | --- | --- |" in text
    assert "| **What it can risk** |" in text
    # one picture per card, in code blocks with their words: the infection card compares people
    # like you with typical (two rows); "better" comes from different studies, so it has no
    # picture side by side; death is per 1,000, so words only
    assert text.count("```text") == text.count("```") // 2 == 2
    assert "No picture side by side: these figures come from different studies" in text
    assert re.search(r"No picture: a picture of 100 people cannot show \d+ in 1,000", text)
    assert "About 4 in 100 people like you (typical: 2 in 100), within 30 days." in text
    assert "4 in 1,000 people like you" in text and "in 100 people like you (typical: 0.1" not in text
    assert "1. Test source one. <https://example.org/1>" in text
    assert "Test disclaimer." in text and "Rules version 0.0.1" in text.splitlines()[-1]


def test_markdown_urgent_comes_first(rules):
    text = rendered(assess(rules, {**ANSWERS, "bladder_bowel": "yes"}), "markdown")
    headings = [line.removeprefix("> ") for line in text.splitlines() if line.startswith(("## ", "> ## "))]
    assert headings[0] == "## ⚠ Urgent: see a doctor today"  # in a quote, with the urgent part
    assert "> **What to do: Go now.**" in text


def test_markdown_escapes_rules_text(rules):
    report = hostile(assess(rules, ANSWERS))
    text = rendered(report, "markdown")
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\| pipe" in text  # a pipe never breaks the table


# --- HTML ----------------------------------------------------------------------------------------

EVIL = '<script>alert(1)</script> & "quotes" | pipe'


def hostile(report):
    """The same report with markup in every kind of text a rules file can hold."""

    def evil_finding(f: FindingView) -> FindingView:
        return replace(f, title=EVIL, text=EVIL, notes=(EVIL,))

    options = tuple(
        replace(o, title=EVIL, summary=EVIL, risks=tuple(evil_finding(f) for f in o.risks)) for o in report.options
    )
    return replace(
        report,
        rules={**report.rules, "title": EVIL},
        diagnosis={**report.diagnosis, "about": EVIL, "decision": EVIL},
        urgent_reasons=(UrgentReason(id="x", title=EVIL, text=EVIL, action=EVIL, sources=("s1",)),),
        options=options,
        disclaimer=EVIL,
        sources=(*report.sources, SourceView(id="bad", citation=EVIL, url="javascript:alert(1)", pmid=None, doi=None)),
    )


class Page(HTMLParser):
    """Collects tags, attributes, headings and the text of the first section of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == self._heading:
            self.headings.append((tag, "".join(self._text).strip()))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_html_escapes_all_text(rules):
    text = rendered(hostile(assess(rules, ANSWERS)), "html")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in text
    assert not any(tag == "script" for tag, _ in parse(text).tags)
    assert 'href="javascript:' not in text  # a non-web link in a rules file stays plain text


def test_html_is_one_self_contained_page(rules):
    report = assess(rules, {**ANSWERS, "smoking": "current", "age": 85})
    text = rendered(report, "html", explain=True)
    page = parse(text)
    assert text.startswith("<!DOCTYPE html>") and page.tags[0] == ("html", {"lang": "en"})
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert "@media print" in text and "@media (max-width" in text
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed")
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert tag == "a" and (href.startswith("#") or href == "https://example.org/1"), href
    assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", text)
    # links to outside are only the sources'
    external = [a["href"] for t, a in page.tags if t == "a" and not a["href"].startswith("#")]
    assert external == ["https://example.org/1"]
    # every in-page link has a target
    ids = {a["id"] for _, a in page.tags if "id" in a}
    assert all(a["href"][1:] in ids for t, a in page.tags if t == "a" and a["href"].startswith("#"))
    assert len(ids) == sum(1 for _, a in page.tags if "id" in a), "ids must be unique"


def test_html_is_accessible(rules):
    report = assess(rules, {**ANSWERS, "smoking": "current", "age": 85})
    page = parse(rendered(report, "html"))
    levels = [int(t[1]) for t, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), "no heading level is skipped"
    svgs = [a for t, a in page.tags if t == "svg" and a.get("role") == "img"]
    # one picture per card: op_infection (you and typical); "better" comes from different studies
    # (no picture side by side); op_death is per 1,000: words only
    assert len(svgs) == 2
    assert all(a.get("aria-label", "").count("in 100") for a in svgs)
    assert not any("Fewer than 1 in 100" in a["aria-label"] for a in svgs)  # rare figures are per 1,000, in words
    ths = [a for t, a in page.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    assert ("table", {"class": "options"}) in page.tags


def test_html_urgent_box_comes_first(rules):
    text = rendered(assess(rules, {**ANSWERS, "bladder_bowel": "yes"}), "html")
    page = parse(text)
    assert page.headings[1] == ("h2", "⚠ Urgent: see a doctor today")
    assert text.index('class="urgent"') < text.index('id="decision"')
    assert "What to do: Go now." in text
    calm = rendered(assess(rules, ANSWERS), "html")
    assert 'class="urgent"' not in calm


def test_html_is_deterministic(rules):
    report = assess(rules, {**ANSWERS, "smoking": "current"})
    assert rendered(report, "html") == rendered(report, "html")


def test_cli_writes_the_handout(tmp_path):
    from typer.testing import CliRunner

    from spinedecide.cli import app

    out = tmp_path / "visit.html"
    base = ["ask", "--rules", str(DATA / "minimal.yaml"), "--no-input"]
    for key, value in ANSWERS.items():
        base += ["--set", f"{key}={value}"]
    result = CliRunner().invoke(app, [*base, "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out.stat().st_mode & 0o777) == 0o600
    md = CliRunner().invoke(app, [*base, "--format", "markdown"])
    assert md.exit_code == 0, md.stderr
    assert md.stdout.startswith("# spinedecide: Test rules")


# --- a real browser ------------------------------------------------------------------------------


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    exe = str(CHROMIUM) if CHROMIUM.exists() else need("chromium")  # in CI a missing chromium fails
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def png_pixels(path: Path) -> tuple[int, int, set[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    dark_rows = 0
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            ul = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + left) & 255
            elif ftype == 2:
                line[i] = (line[i] + up) & 255
            elif ftype == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif ftype == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 255
        prev = line
        if y % 7 == 0:
            pixels = [bytes(line[i : i + 3]) for i in range(0, stride, bpp * 5)]
            colours.update(pixels)
            dark_rows += any(sum(p) < 200 for p in pixels)
    return width, height, colours | {b"rows:%d" % dark_rows}


def test_html_renders_in_a_real_browser(tmp_path, rules):
    report = assess(rules, {**ANSWERS, "bladder_bowel": "yes", "smoking": "current", "age": 85})
    page = tmp_path / "visit.html"
    page.write_text(rendered(report, "html", explain=True), encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=800,2000", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    assert shot.stat().st_size > 5000, "the screenshot is (nearly) blank"
    width, height, colours = png_pixels(shot)
    assert (width, height) == (800, 2000)
    dark_rows = int(next(c for c in colours if c.startswith(b"rows:"))[5:])
    assert len(colours) > 10, "the screenshot has almost no variety: the page did not render"
    assert dark_rows > 30, "hardly any dark pixels: no text or pictures were drawn"

    pdf = tmp_path / "visit.pdf"
    result = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists(), result.stderr[-2000:]
    head = pdf.read_bytes()
    assert head.startswith(b"%PDF") and len(head) > 5000


def test_every_options_table_cell_names_its_option_for_phones(minimal):
    """On a narrow screen the table stacks; each cell then shows its option's name (data-option)."""
    import re

    from spinedecide import assess
    from spinedecide.render.html import dumps

    page = dumps(assess(minimal, minimal_answers()))
    table = page.split('<table class="options">', 1)[1].split("</table>", 1)[0]
    body = table.split("</thead>", 1)[1]  # the header row's empty corner cell is hidden on phones
    cells = re.findall(r"<td[^>]*>", body)
    assert cells and all('data-option="' in c for c in cells)
    assert "td::before { content: attr(data-option)" in page


# --- figures the source gives only as a limit ("up to", "at least") ------------------------------


def _bounded_rules(bound: str):
    from spinedecide.rules import parse_rules

    text = (
        (DATA / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "estimate: {typical: {low: 2, high: 2}, outcome: infection_30d",
            f"estimate: {{bound: {bound}, typical: {{low: 33, high: 33}}, outcome: infection_30d",
        )
    )
    return parse_rules(text.encode(), "clinic.yaml")


def test_an_up_to_figure_is_said_as_a_limit_in_every_format():
    rules = _bounded_rules("up_to")
    report = assess(rules, ANSWERS)
    infection = next(f for o in report.options for f in o.risks if f.id == "op_infection")
    assert infection.to_dict()["estimate"]["bound"] == "up_to"
    for fmt in ("text", "markdown", "html", "rich", "note"):
        out = rendered(report, fmt, explain=False, color=False, width=100) if fmt != "note" else rendered(report, fmt)
        assert "up to 33" in out, fmt
        assert "about up to" not in out and "about 33 in 100" not in out, fmt
    # The picture shades the 33 people it may happen to; nobody is drawn as certain.
    (picture,) = icons.arrays_for(infection.estimate)
    assert (picture.filled, picture.ranged) == (0, 33)
    assert picture.text_equivalent() == (
        "Up to 33 in 100 people (no filled figures and 33 shaded figures for the people it may happen to, out of 100)."
    )
    # A ratio still scales the limit: smoking doubles it, to up to 66 in 100.
    smoker = assess(rules, {**ANSWERS, "smoking": "current"})
    doubled = next(f for o in smoker.options for f in o.risks if f.id == "op_infection").estimate
    assert (doubled.high, doubled.bound) == (66, "up_to")
    assert "up to 66 in 100 people like you (typical: up to 33 in 100)" in rendered(
        smoker, "text", explain=False, color=False, width=100
    )


def test_an_at_least_figure_is_filled_and_said_as_a_limit():
    report = assess(_bounded_rules("at_least"), ANSWERS)
    infection = next(f for o in report.options for f in o.risks if f.id == "op_infection")
    (picture,) = icons.arrays_for(infection.estimate)
    assert (picture.filled, picture.ranged) == (33, 0)
    assert "at least 33 in 100 people, within 30 days" in rendered(
        report, "text", explain=False, color=False, width=100
    )


@pytest.mark.parametrize("width", [60, 100, 140])  # rich: narrow list, table, wide
def test_every_side_by_side_view_says_which_figures_compare_like_with_like(shipped, width):
    import yaml

    from spinedecide.render.common import COMPARE_WITH_CARE, SAME_STUDY

    defaults = yaml.safe_load((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))["defaults"]
    report = assess(shipped, {**{k: v for k, v in defaults.items() if v is not None}, "condition": "spinal_stenosis"})
    assert report.grid_rows
    for fmt in ("text", "markdown", "html", "rich"):
        out = rendered(report, fmt, explain=False, color=False, width=width)
        out = " ".join(re.sub("[\u2500-\u257f]", " ", out).split())  # rich: a panel's borders
        assert COMPARE_WITH_CARE in out, (fmt, width)
        # The stenosis 'how much' row quotes the same trial for both options, and says so (in a
        # rich table the row's label wraps inside its cell, so only its opening is whole there).
        if fmt == "rich" and width >= 80:
            assert "help? (same" in out, (fmt, width)
        else:
            assert f"How much might it help? ({SAME_STUDY}" in out, (fmt, width)


def test_rich_tables_show_rules_text_as_written_not_as_markup():
    import yaml

    from spinedecide.rules import parse_rules, shipped_rules_path

    text = (
        shipped_rules_path()
        .read_text(encoding="utf-8")
        .replace('question: "What does it involve?"', 'question: "What does it [bold]involve[/bold]?"', 1)
    )
    rules = parse_rules(text.encode(), "clinic.yaml")
    defaults = yaml.safe_load((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))["defaults"]
    report = assess(
        rules,
        {
            **{k: v for k, v in defaults.items() if v is not None},
            "condition": "spinal_stenosis",
            "value_fast_relief": "very",
        },
    )
    out = " ".join(rendered(report, "rich", explain=False, color=False, width=160).split())
    assert "[bold]involve[/bold]" in out.replace("│ ", "").replace(" │", "")
