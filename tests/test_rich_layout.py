"""The terminal report lays itself out (render/cells.py, render/boxes.py) as Rich did, so that it
can be written without Rich when there is no colour: the same breaks, boxes and tables as Rich
draws, wide characters counted as two cells, and colour and no colour showing the same characters.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.box import HEAVY as RICH_HEAVY
from rich.box import ROUNDED as RICH_ROUNDED
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinedecide import assess
from spinedecide.render import boxes, cells
from spinedecide.render import render as render_report

GOLDEN = Path(__file__).parent / "golden"

SAMPLES = [
    "Surgery helps leg pain more than back pain in most people [3][12]",
    "“For you”: people like you. “Typical”: an average person having that option; it is all that is given.",
    "日本語のテキストです 漢字とかな 混じり文 を 折り返す テスト です",
    "Wide 表 and narrow 😀 mixed in one line, café and cafe\u0301 too",
    "https://pubmed.ncbi.nlm.nih.gov/12345678/ and https://doi.org/10.1001/jama.2016.12345678901234",
    "  indented text\twith a tab, two  spaces and\u00a0a no-break space  ",
    "first line\nsecond line that is a little longer than the first\n\nafter a blank line\n",
    "a" * 70 + " short",
    "",
    "bell\x07 and carriage\r return dropped",
]


def rich_lines(text: Text, width: int) -> list[str]:
    return [line.plain for line in text.wrap(Console(width=width, file=io.StringIO()), width)]


@pytest.mark.parametrize("width", [5, 12, 23, 36, 56, 76, 96])
@pytest.mark.parametrize("sample", SAMPLES)
def test_wrap_breaks_where_rich_breaks(sample, width):
    assert cells.wrap(sample, width) == rich_lines(Text(sample), width)
    # Table cells cut a word that is too long with an ellipsis instead of folding it.
    assert cells.wrap(sample, width, fold=False) == rich_lines(Text(sample, overflow="ellipsis"), width)


def test_wide_characters_take_two_cells_and_marks_none():
    assert cells.cell_len("abc") == 3
    assert cells.cell_len("漢字") == 4
    assert cells.cell_len("😀") == 2
    assert cells.cell_len("cafe\u0301") == 4
    assert cells.cell_len("●◐○☐•“”’–") == 9
    assert cells.crop("漢字漢字", 5) == "漢字 "  # half a wide character becomes a space


def rich_plain(renderable, width: int) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, emoji=False).print(renderable)
    return out.getvalue()


def plain(lines: list[boxes.Line]) -> str:
    return "".join("".join(t for t, _style in line) + "\n" for line in lines)


@pytest.mark.parametrize("width", [24, 40, 60, 80, 120])
@pytest.mark.parametrize(("box", "rich_box"), [(boxes.ROUNDED, RICH_ROUNDED), (boxes.HEAVY, RICH_HEAVY)])
def test_panels_are_the_boxes_rich_draws(width, box, rich_box):
    title = "Key points 表 with a title long enough to be cut on a narrow screen"
    body = [line for s in SAMPLES for line in boxes.text(s, width - 4)]
    old = Panel(Group(*(Text(s) for s in SAMPLES)), title=escape(title), box=rich_box)
    assert plain(boxes.panel(body, width, title, box, "green")) == rich_plain(old, width)


@pytest.mark.parametrize("width", [40, 76, 116, 136])
def test_tables_are_the_tables_rich_draws(width):
    header = ["", "Decompression (laminectomy)", "Care without surgery 手術なし"]
    rows = [
        ["What it can offer [3]", SAMPLES[1], SAMPLES[0]],
        ["decompression_serious_complication: note", "general_health in [fair, poor]", SAMPLES[2]],
        ["Death", "8 in 10,000 (typical)\nin hospital", ""],
    ]
    old = Table(title=escape("The options, side by side"), box=RICH_ROUNDED, show_lines=True, expand=True)
    old.add_column(header[0], style="bold", ratio=2)
    for column in header[1:]:
        old.add_column(escape(column), ratio=3)
    for row in rows:
        old.add_row(*(Text(c) for c in row))
    mine = boxes.table("The options, side by side", header, rows, width, [2, 3, 3])
    assert plain(mine) == rich_plain(old, width)


def _report(shipped):  # type: ignore[no-untyped-def]
    answers = yaml.safe_load((GOLDEN / "stenosis_older_healthy.answers.yaml").read_text(encoding="utf-8"))
    return assess(shipped, answers)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_colour_and_no_colour_show_the_same_characters(shipped, width):
    report = _report(shipped)
    coloured, bare = io.StringIO(), io.StringIO()
    render_report(report, "rich", coloured, color=True, width=width, detail="full")
    render_report(report, "rich", bare, color=False, width=width, detail="full")
    assert "\x1b[" in coloured.getvalue()
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.getvalue()) == bare.getvalue()


def test_the_report_without_colour_never_imports_rich(tmp_path):
    """A pipe, a file or NO_COLOR: the report is written without loading Rich (start-up time)."""
    answers = GOLDEN / "stenosis_older_healthy.answers.yaml"
    code = (
        "import io, sys, yaml\n"
        "from spinedecide import assess, load_rules\n"
        "from spinedecide.render import render\n"
        f"report = assess(load_rules(), yaml.safe_load(open({str(answers)!r}, encoding='utf-8')))\n"
        "render(report, 'rich', io.StringIO(), color=False, width=100)\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


PATIENTS = ("stenosis_older_healthy", "sciatica_cauda_equina", "scoliosis_77_revision", "back_pain_only_chronic")


@pytest.mark.parametrize("patient", PATIENTS)
def test_the_report_is_what_rich_drew(shipped, patient):
    """The whole report, as tests/rich_reference.py (the renderer that let Rich lay it out)
    draws it: the same characters without colour, and with colour the same characters in the
    same style (bold, dim, italic, underline, colour) wherever something is visible."""
    import rich_reference

    answers = yaml.safe_load((GOLDEN / f"{patient}.answers.yaml").read_text(encoding="utf-8"))
    report = assess(shipped, answers)
    for width, detail in ((60, "full"), (80, "key"), (100, "full"), (140, "cards")):
        for color in (False, True):
            mine, theirs = io.StringIO(), io.StringIO()
            render_report(report, "rich", mine, color=color, width=width, detail=detail, explain=width == 140)
            rich_reference.render(report, theirs, color=color, width=width, detail=detail, explain=width == 140)
            if not color:
                assert mine.getvalue() == theirs.getvalue(), (width, detail)
            else:
                assert _visible(mine.getvalue()) == _visible(theirs.getvalue()), (width, detail)


_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_ON = {"1": "bold", "2": "dim", "3": "italic", "4": "underline"}
_OFF = {"22": ("bold", "dim"), "23": ("italic",), "24": ("underline",), "39": ("colour",)}


def _visible(coloured: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Each character with the style in force (from the SGR codes); for a space, only what shows
    on a space (underline)."""
    out: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    style: dict[str, str] = {}
    at = 0
    for match in [*_SGR.finditer(coloured), None]:
        for char in coloured[at : match.start() if match else len(coloured)]:
            shown = style if not char.isspace() else {k: v for k, v in style.items() if k == "underline"}
            out.append((char, tuple(sorted(shown.items()))))
        if match is None:
            return out
        for code in match.group(1).split(";"):
            if code in ("", "0"):
                style.clear()
            elif code in _ON:
                style[_ON[code]] = "on"
            elif code in _OFF:
                for name in _OFF[code]:
                    style.pop(name, None)
            elif code != "49":  # 49: the default background, as everywhere
                style["colour"] = code
        at = match.end()
    return out
