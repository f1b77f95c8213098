"""One self-contained, printable HTML page to bring to the visit.

Inline CSS and inline SVG icon arrays; no scripts, fonts, images or style sheets are loaded from
anywhere. It reads on a phone (responsive CSS) and on paper in black and white (@media print;
the pictures differ by fill, not by colour). Every piece of text is escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any, TextIO

from ..report import FindingView, Report, SourceView
from . import deliberation, icons, keypoints, phrases
from .common import (
    COMPARE_WITH_CARE,
    LIVING_LABELS,
    SECONDARY,
    UNCHANGED_HEADING,
    UNCHANGED_INTRO,
    about_lines,
    answer_text,
    elective_heading,
    elective_note,
    figure_basis,
    fits_text,
    grid_question,
    read_words,
    reminder_actions,
    reminder_heading,
    rules_line,
    source_ids,
    unchanged,
    urgent_heading,
    urgent_intro,
)

_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)

CSS = """
:root { color-scheme: light; --ink: #111; --muted: #444; --line: #888; --urgent: #b00020; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; padding: 1rem; max-width: 50rem; color: var(--ink); background: #fff;
       font: 1.05rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .25rem; }
p { margin: .4rem 0; }
a { color: inherit; }
.meta, .basis { color: var(--muted); font-size: .9rem; }
.urgent { border: 5px solid var(--urgent); outline: 2px solid var(--ink); outline-offset: 2px;
          padding: .75rem 1rem; margin: 1rem 0 1.5rem; background: #fff3f3; }
.urgent h2 { border: 0; margin: 0 0 .5rem; font-size: 1.4rem; text-transform: uppercase; letter-spacing: .02em; }
.urgent h3 { margin: .75rem 0 .25rem; }
.urgent .action { font-weight: 700; }
.decision-q { font-size: 1.1rem; border-left: 4px solid var(--ink); padding-left: .75rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
th[scope="row"] { width: 9rem; }
td ul, .findings { margin: 0; padding-left: 1.1rem; }
.finding { border-left: 4px solid var(--ink); padding: .25rem 0 .25rem .75rem; margin: 0 0 1rem; }
.finding .figure { font-weight: 700; }
.note { font-style: italic; }
figure.icon-arrays { margin: .5rem 0; }
.arrays { display: flex; flex-wrap: wrap; gap: 1.25rem; }
.array { width: 10rem; max-width: 45%; }
.array-label { font-size: .85rem; font-weight: 700; margin: 0 0 .2rem; }
.array svg { display: block; width: 100%; height: auto; color: var(--ink); }
figcaption { font-size: .9rem; margin-top: .3rem; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; list-style: none; font-size: .9rem; }
.legend svg { width: 1rem; height: 1.5rem; vertical-align: middle; color: var(--ink); }
.sources li { margin-bottom: .3rem; overflow-wrap: anywhere; }
.disclaimer { border: 2px solid var(--ink); padding: .5rem .75rem; margin-top: 2rem; }
footer { margin-top: 1rem; }
@media (max-width: 40rem) {
  body { padding: .75rem; font-size: 1rem; }
  h1 { font-size: 1.35rem; }
  th[scope="row"] { width: auto; }
  th, td { padding: .3rem; }
  .array { max-width: 46%; }
  /* On a phone the options table becomes one block per question, each option's answer under
     its name, so no option is hidden off to the side. */
  table.options, table.options tbody, table.options tr, \
table.options th, table.options td { display: block; width: auto; }
  table.options caption { display: block; }
  table.options thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.options tr { border: 1px solid var(--line); margin: 0 0 .75rem; }
  table.options th[scope="row"] { border: 0; border-bottom: 2px solid var(--ink); }
  table.options td { border: 0; border-top: 1px solid var(--line); }
  table.options td::before { content: attr(data-option); display: block; font-weight: 700; }
}
@media print {
  :root { --ink: #000; --muted: #000; --line: #000; --urgent: #000; }
  @page { margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; background: #fff; color: #000; }
  .urgent { background: none; }
  .table-wrap { overflow: visible; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .finding, figure, tr, .urgent, .disclaimer { break-inside: avoid; page-break-inside: avoid; }
  a { text-decoration: none; }
}
"""


def h(text: object) -> str:
    return escape(str(text), quote=True)


def render(report: Report, out: TextIO, *, explain: bool = False, detail: str = "full", **_: Any) -> None:
    out.write(dumps(report, explain=explain, detail=detail))


def dumps(report: Report, *, explain: bool = False, detail: str = "full") -> str:
    page = _Page(report)
    return page.build(explain, detail)


class _Page:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.numbers = {s.id: i for i, s in enumerate(report.sources, 1)}
        self.parts: list[str] = []
        self.figures = 0

    def add(self, html: str) -> None:
        self.parts.append(html)

    def cite(self, ids: tuple[str, ...]) -> str:
        links = [f'<a href="#source-{self.numbers[i]}">[{self.numbers[i]}]</a>' for i in ids if i in self.numbers]
        return (" " + "".join(links)) if links else ""

    def build(self, explain: bool, detail: str = "full") -> str:
        r = self.report
        title = str(r.rules.get("title") or "spinedecide")
        page_title = f"spinedecide: {title}" + (f": {r.diagnosis['title']}" if r.diagnosis else "")
        self.add("<!DOCTYPE html>")
        self.add('<html lang="en">')
        self.add("<head>")
        self.add('<meta charset="utf-8">')
        self.add('<meta name="viewport" content="width=device-width, initial-scale=1">')
        self.add(f'<meta name="generator" content="spinedecide {h(r.spinedecide_version)}">')
        self.add(f"<title>{h(page_title)}</title>")
        self.add(f"<style>{CSS}</style>")
        self.add("</head>")
        self.add("<body>")
        self.add("<header>")
        self.add(f"<h1>spinedecide: {h(title)}</h1>")
        self.add(f'<p class="meta">{h(rules_line(r))}</p>')
        self.add("</header>")
        self.add("<main>")
        kp = keypoints.build(r)
        if kp is not None:
            self.key_points(kp)
        if kp is not None and detail == "key":
            self.add(f'<p class="more">{h(kp.more)}</p>')
        else:
            self.body(explain)
        self.add("</main>")
        self.add("<footer>")
        self.add(
            '<section class="about" aria-labelledby="about"><h2 id="about">About this decision aid</h2><ul>'
            + "".join(f"<li>{h(line)}</li>" for line in about_lines(r))
            + "</ul></section>"
        )
        self.add(
            '<section class="disclaimer" aria-labelledby="note"><h2 id="note">Please note</h2>'
            f"<p>{h(r.disclaimer)}</p></section>"
        )
        self.add(f'<p class="meta">{h(rules_line(r))}</p>')
        if r.urgent:  # the same advice again, as the last thing on the page
            self.add('<section class="urgent" id="urgent-reminder" aria-labelledby="reminder-heading">')
            self.add(f'<h2 id="reminder-heading"><span aria-hidden="true">\u26a0 </span>{h(reminder_heading(r))}</h2>')
            self.add("".join(f'<p class="action">{h(action)}</p>' for action in reminder_actions(r)))
            self.add("</section>")
        self.add("</footer>")
        self.add("</body>")
        self.add("</html>")
        return "\n".join(self.parts) + "\n"

    def body(self, explain: bool) -> None:
        """Everything after the key points: the urgent part, the decision, the options in full."""
        r = self.report
        if r.urgent:
            self.urgent()
        self.decision()
        if r.options:
            self.options_table()
            self.legend()
            for n, option in enumerate(r.options, 1):
                kind = "an operation" if option.kind == "surgery" else "no operation"
                self.add(f'<section aria-labelledby="option-{n}">')
                self.add(f'<h2 id="option-{n}">Option {n}: {h(option.title)} ({kind})</h2>')
                self.add(f"<p>{h(option.summary)}</p>")
                for label, findings in (
                    ("What it can offer", option.benefits),
                    ("What it can risk", option.risks),
                    ("What it is like", option.recovery),
                ):
                    self.add(f"<h3>{label}</h3>")
                    for finding in findings:
                        self.finding(finding, level=4)
                if option.living:
                    self.add('<h3>Living with this choice</h3><dl class="living">')
                    for aspect, text in option.living:
                        self.add(f"<dt>{h(LIVING_LABELS.get(aspect, aspect))}</dt><dd>{h(text)}</dd>")
                    self.add("</dl>")
                    if option.living_sources:
                        self.add(f'<p class="meta">Sources:{self.cite(option.living_sources)}</p>')
                self.add("</section>")
        if r.considerations:
            self.add('<section aria-labelledby="considerations">')
            self.add('<h2 id="considerations">Things you can change or ask about</h2>')
            for finding in r.considerations:
                self.finding(finding, level=3)
            self.add("</section>")
        self.decision_support()
        if r.not_tailored:
            self.add('<section aria-labelledby="not-tailored">')
            self.add('<h2 id="not-tailored">What could not be tailored</h2>')
            self.add(
                "<p>You answered \u201cunknown\u201d to these questions, or did not answer them, "
                "so the figures do not take them into account:</p>"
            )
            self.add("<ul>" + "".join(f"<li>{h(n.question)}</li>" for n in r.not_tailored) + "</ul>")
            self.add("</section>")
        if r.no_figure_changed:
            self.add('<section aria-labelledby="unchanged">')
            self.add(f'<h2 id="unchanged">{h(UNCHANGED_HEADING)}</h2>')
            self.add(f"<p>{h(UNCHANGED_INTRO)}</p>")
            self.add("<ul>" + "".join(f"<li>{h(line)}</li>" for line in unchanged(r)) + "</ul>")
            self.add("</section>")
        self.answers()
        if explain:
            self.explanations()
        self.sources()

    def key_points(self, kp: keypoints.KeyPoints) -> None:
        options = self.report.options
        self.add('<section class="key-points" aria-labelledby="key-points">')
        self.add(f'<h2 id="key-points">{h(kp.heading)}</h2>')
        self.add(f"<p>{h(kp.condition)}</p>")
        self.add(f"<p><strong>{h(kp.decision)}</strong></p>")
        self.add('<div class="table-wrap"><table class="options key">')
        self.add(f"<caption>{h(kp.options_heading)}</caption>")
        self.add(
            "<thead><tr><td></td>" + "".join(f'<th scope="col">{h(o.title)}</th>' for o in options) + "</tr></thead>"
        )
        self.add("<tbody>")
        for row in kp.rows:
            self.add(
                f'<tr><th scope="row">{h(row.title)}</th>'
                + "".join(f'<td data-option="{h(c.option)}">{h(c.text)}</td>' for c in row.cells)
                + "</tr>"
            )
        self.add("</tbody></table></div>")
        for line in (kp.left_out, *kp.legend):
            if line:
                self.add(f'<p class="meta">{h(line)}</p>')
        if kp.matters:
            self.add(f"<h3>{h(kp.matters_heading)}</h3>")
            self.add("<ul>" + "".join(f"<li>{h(line)}</li>" for line in kp.matters) + "</ul>")
        if kp.leaning:
            self.add(f"<p>{h(kp.leaning)}</p>")
        self.add("</section>")

    def blocks(self, blocks: list[deliberation.Block]) -> None:
        """The deliberation's blocks as HTML sections (one per heading), every piece of text escaped."""
        for i, b in enumerate(blocks):
            if isinstance(b, deliberation.Heading):
                slug = "-".join("".join(c if c.isalnum() else " " for c in b.text.lower()).split())
                self.add(
                    ("</section>" if i else "") + f'<section aria-labelledby="{slug}"><h2 id="{slug}">{h(b.text)}</h2>'
                )
            elif isinstance(b, deliberation.Para):
                self.add(f"<p>{h(b.text)}{self.cite(b.sources) if b.sources else ''}</p>")
            elif isinstance(b, deliberation.Bullets):
                self.add("<ul>" + "".join(f"<li>{h(t)}{self.cite(s) if s else ''}</li>" for t, s in b.items) + "</ul>")
            else:
                head = "".join(f'<th scope="col">{h(t)}</th>' for t in b.header)
                body = "".join(
                    "<tr>" + "".join(f"<td>{h(t)}{self.cite(s) if s else ''}</td>" for t, s in row) + "</tr>"
                    for row in b.rows
                )
                self.add(
                    f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
                )
        if blocks:
            self.add("</section>")

    def decision_support(self) -> None:
        r = self.report
        self.blocks(deliberation.blocks(r, "weighing"))
        if r.priorities and r.deliberation.weighing is None:
            self.add('<section aria-labelledby="values"><h2 id="values">What matters to you</h2>')
            self.add(
                "<p>This does not tell you what to choose; it shows which option tends to fit each thing that matters "
                "to you.</p>"
            )
            self.add(
                '<div class="table-wrap"><table><thead><tr><th scope="col">What matters to you</th>'
                '<th scope="col">You said</th><th scope="col">Tends to fit</th></tr></thead><tbody>'
            )
            for p in r.priorities:
                fits = fits_text(r, p)
                self.add(
                    f"<tr><td>{h(p.question)}</td><td>{h(p.answer_label)}</td><td>"
                    f"<strong>{h(fits)}.</strong> {h(p.text)}{self.cite(p.sources)}</td></tr>"
                )
            self.add("</tbody></table></div></section>")
        if r.leaning:
            self.add(
                '<section aria-labelledby="leaning"><h2 id="leaning">Where you are leaning</h2>'
                f"<p>You said: {h(r.leaning['label'])}. You can change your mind at any time.</p></section>"
            )
        if r.sure:
            sure = r.sure
            self.add('<section aria-labelledby="sure"><h2 id="sure">Are you ready to decide? (the SURE test)</h2>')
            self.add(
                f"<p>Your score: <strong>{sure.score} out of "
                f"{sure.out_of}</strong>{'' if sure.complete else ' (not every question was answered)'}.</p>"
            )
            if sure.next_steps:
                self.add(
                    "<p>A score below 4 means you may not feel ready yet. That is common. These steps can help:</p>"
                )
                self.add("<ul>" + "".join(f"<li>{h(step)}</li>" for step in sure.next_steps) + "</ul>")
            self.add("</section>")
        if r.questions_to_ask:
            self.add('<section aria-labelledby="ask"><h2 id="ask">Questions to ask your surgeon</h2>')
            self.add(
                '<ul class="checklist">'
                + "".join(f"<li>\u2610 {h(text)}</li>" for _i, text in r.questions_to_ask)
                + "</ul></section>"
            )
        for part in ("support_plan", "quiz"):
            self.blocks(deliberation.blocks(r, part))
        if r.knowledge_check and r.deliberation.quiz is None:
            self.add('<section aria-labelledby="quiz"><h2 id="quiz">Check what you know</h2><ol>')
            for q in r.knowledge_check:
                self.add(
                    f"<li><p>True or false? {h(q.statement)}</p><p><strong>Answer: "
                    f"{'True' if q.answer else 'False'}.</strong> {h(q.explanation)}{self.cite(q.sources)}</p></li>"
                )
            self.add("</ol></section>")

    def urgent(self) -> None:
        self.add('<section class="urgent" id="urgent" aria-labelledby="urgent-heading">')
        self.add(
            f'<h2 id="urgent-heading"><span aria-hidden="true">\u26a0 </span>{h(urgent_heading(self.report))}</h2>'
        )
        self.add(f"<p><strong>{h(urgent_intro(self.report))}</strong></p>")
        for reason in self.report.urgent_reasons:
            self.add(f"<h3>{h(reason.title)}</h3>")
            self.add(f"<p>{h(reason.text)}{self.cite(reason.sources)}</p>")
            self.add(f'<p class="action">What to do: {h(reason.action)}</p>')
        self.add("</section>")

    def decision(self) -> None:
        d = self.report.diagnosis
        later = elective_heading(self.report)
        self.add('<section aria-labelledby="decision">')
        self.add(f'<h2 id="decision">{h(later or "The decision")}</h2>')
        if later:
            self.add(f"<p>{h(elective_note(self.report))}</p>")
        if d:
            self.add(f"<p><strong>Your condition:</strong> {h(d['title'])}</p>")
            self.add(f"<p>{h(d['about'])}</p>")
            if not later:  # never "surgery now or not now" while a red flag is present
                self.add(f'<p class="decision-q">{h(d["decision"])}{self.cite(tuple(d.get("sources", ())))}</p>')
        self.add("</section>")

    def options_table(self) -> None:
        options = self.report.options
        self.add('<section aria-labelledby="side-by-side">')
        self.add('<h2 id="side-by-side">Your options side by side</h2>')
        self.add('<div class="table-wrap"><table class="options">')
        self.add("<caption>The options for your condition, answering the same questions for each</caption>")
        self.add(
            "<thead><tr><td></td>" + "".join(f'<th scope="col">{h(o.title)}</th>' for o in options) + "</tr></thead>"
        )
        self.add("<tbody>")
        if self.report.grid_rows and all(o.grid for o in options):
            for row_id, question in self.report.grid_rows:
                marked = grid_question(self.report, row_id, question, lambda _ids: "")
                self.add(
                    f'<tr><th scope="row">{h(marked)}{self.cite(self.report.grid_compared.get(row_id, ()))}</th>'
                    + "".join(f'<td data-option="{h(o.title)}">{h(dict(o.grid)[row_id])}</td>' for o in options)
                    + "</tr>"
                )
        else:
            self.add(
                '<tr><th scope="row">What it is</th>'
                + "".join(f'<td data-option="{h(o.title)}">{h(o.summary)}</td>' for o in options)
                + "</tr>"
            )
        for label, attr in (
            ("What it can offer", "benefits"),
            ("What it can risk", "risks"),
            ("What it is like", "recovery"),
        ):
            cells = []
            for option in options:
                items = []
                for f in getattr(option, attr):
                    text = h(f.title) + (f": {h(phrases.short(f))}" if f.estimate else "")
                    items.append(f"<li>{text}</li>")
                cells.append(
                    f'<td data-option="{h(option.title)}"><ul>{"".join(items)}</ul></td>'
                    if items
                    else f'<td data-option="{h(option.title)}"></td>'
                )
            self.add(f'<tr><th scope="row">{label}</th>' + "".join(cells) + "</tr>")
        self.add("</tbody></table></div>")
        self.add(
            f'<p class="meta">{h(phrases.DENOMINATORS_SAID)} \u201cFor you\u201d figures take your answers into '
            f"account. {h(COMPARE_WITH_CARE)}</p>"
        )
        self.add("</section>")

    def legend(self) -> None:
        def sample(kind: str, uid: str) -> str:
            person = icons.person_shape(0, 0)
            defs = ""
            if kind == icons.RANGE:
                defs = (
                    f'<defs><pattern id="{uid}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
                    'patternTransform="rotate(45)">'
                    '<rect width="2" height="4" fill="currentColor"/></pattern></defs>'
                )
            fill = {icons.FILLED: "currentColor", icons.RANGE: f"url(#{uid}-hatch)", icons.EMPTY: "none"}[kind]
            return (
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {icons.CELL_W} {icons.CELL_H}" '
                'aria-hidden="true" focusable="false">'
                f'{defs}<g fill="{fill}" stroke="currentColor" stroke-width="1.2">{person}</g></svg>'
            )

        self.add('<section aria-labelledby="pictures">')
        self.add('<h3 id="pictures">How to read the pictures</h3>')
        self.add(
            "<p>Each picture shows 100 people. Where the figure for people like you differs from the typical figure, "
            "both are shown side by side.</p>"
        )
        self.add('<ul class="legend">')
        self.add(f"<li>{sample(icons.FILLED, 'legend-f')} Filled: a person it happens to</li>")
        self.add(
            f"<li>{sample(icons.RANGE, 'legend-r')} Shaded (striped): the rest of a range (\u201c2 to 5 in "
            "100\u201d)</li>"
        )
        self.add(f"<li>{sample(icons.EMPTY, 'legend-e')} Outlined: a person it does not happen to</li>")
        self.add("</ul>")
        self.add(f"<p>{h(phrases.RARE_NOT_PICTURED)}</p>")
        self.add("</section>")

    def finding(self, finding: FindingView, *, level: int) -> None:
        self.add('<article class="finding">')
        self.add(f"<h{level}>{h(finding.title)}</h{level}>")
        if finding.estimate:
            first, *rest = phrases.figure_lines(finding)
            self.add(f'<p class="figure">{h(first)}</p>')
            self.add("".join(f'<p class="certainty">{h(line)}</p>' for line in rest))
            if finding.estimate.pictured:
                self.icon_arrays(finding)
            else:
                self.add(f'<p class="no-picture">{h(phrases.no_picture(finding.estimate))}</p>')
        elif finding.no_figure:
            self.add(f'<p class="figure">How many people: not well known. {h(finding.no_figure)}</p>')
        self.add(f"<p>{h(finding.text)}{self.cite(finding.sources)}</p>")
        for note in phrases.notes(finding):
            self.add(f'<p class="note">{h(note)}</p>')
        if finding.estimate:
            self.add(f'<p class="basis">{h(figure_basis(finding.estimate))}</p>')
        self.add("</article>")

    def icon_arrays(self, finding: FindingView) -> None:
        assert finding.estimate is not None
        shown = icons.arrays_for(finding.estimate)
        self.figures += 1
        self.add('<figure class="icon-arrays">')
        self.add('<div class="arrays">')
        for k, array in enumerate(shown):
            uid = f"fig{self.figures}-{k}"
            self.add(
                '<div class="array"><p class="array-label" '
                f'aria-hidden="true">{h(array.label)}</p>{icons.svg(array, uid=uid)}</div>'
            )
        self.add("</div>")
        # The SVGs carry the same words as aria-label; the caption is for eyes (and paper).
        self.add(f'<figcaption aria-hidden="true">{h(icons.text_equivalent(finding.estimate))}</figcaption>')
        self.add("</figure>")

    def answers(self) -> None:
        r = self.report
        self.add('<section aria-labelledby="answers">')
        self.add('<h2 id="answers">Your answers</h2>')
        self.add('<div class="table-wrap"><table>')
        self.add('<thead><tr><th scope="col">Question</th><th scope="col">Your answer</th></tr></thead><tbody>')
        for factor, value in r.answers.items():
            shown = h(answer_text(r, factor, value))
            if factor in r.derived:
                shown += " (worked out from your height and weight)"
            self.add(f'<tr><th scope="row">{h(r.questions.get(factor, factor))}</th><td>{shown}</td></tr>')
        self.add("</tbody></table></div>")
        self.add("</section>")

    def explanations(self) -> None:
        r = self.report
        self.add('<section aria-labelledby="why">')
        self.add('<h2 id="why">Why: the rules that fired</h2>')
        if not r.explanations:
            self.add("<p>No rules fired: every figure is the typical one.</p>")
        else:
            self.add('<div class="table-wrap"><table>')
            self.add(
                '<thead><tr><th scope="col">Rule</th><th scope="col">When</th><th scope="col">Your answers</th>'
                '<th scope="col">Changes</th></tr></thead><tbody>'
            )
            for e in r.explanations:
                got = ", ".join(f"{k} = {v}" for k, v in e.answers)
                self.add(
                    f'<tr><th scope="row">[{h(e.kind)}] {h(e.id)}: {h(e.title)}</th><td>{h(e.condition)}</td>'
                    f"<td>{h(got or 'none')}</td><td>{h(', '.join(e.changes or e.findings))}</td></tr>"
                )
            self.add("</tbody></table></div>")
        self.add("</section>")

    def sources(self) -> None:
        self.add('<section aria-labelledby="sources">')
        self.add('<h2 id="sources">Sources</h2>')
        self.add('<ol class="sources">')
        for i, s in enumerate(self.report.sources, 1):
            self.add(f'<li id="source-{i}">{_source(s)}</li>')
        self.add("</ol>")
        self.add("</section>")


def _source(s: SourceView) -> str:
    ids = source_ids(s)
    text = h(s.citation) + (f" {h(ids)}." if ids else "")
    if s.url:
        # Only web links become links; anything else (javascript:, data:) stays plain text.
        text += f' <a href="{h(s.url)}">{h(s.url)}</a>' if _SAFE_URL.match(s.url) else f" {h(s.url)}"
    if s.secondary:
        citation, url = s.secondary
        link = f'<a href="{h(url)}">{h(url)}</a>' if _SAFE_URL.match(url) else h(url)
        text += f" {SECONDARY} {h(citation)} {link}"
    text += h(read_words(s))
    return text
