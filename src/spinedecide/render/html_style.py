"""The HTML page's style sheet: inline, for screens, phones and paper (black and white).

In print the body text is 12 pt or more and each person in a picture is at least 4 mm wide; a card,
a table row or a figure is never split across two pages.
"""

_CSS = """
:root { color-scheme: light; --ink: #111; --muted: #444; --line: #767676; --urgent: #b00020; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; padding: 1rem; max-width: 50rem; color: var(--ink); background: #fff;
       font: 1.05rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
p { margin: .4rem 0; }
a { color: inherit; }
.meta, .quiet { color: var(--muted); font-size: .95rem; }
.note { font-style: italic; }
.action, .figure { font-weight: 700; }
.handout { display: flex; flex-wrap: wrap; gap: .25rem 2rem; margin: .5rem 0; }
.handout p { margin: .2rem 0; }
.blank { display: inline-block; min-width: 14rem; border-bottom: 1px solid var(--ink); }
.write-lines div { border-bottom: 1px solid var(--ink); height: 2.2rem; }
.urgent, .reminder { border: 5px solid var(--urgent); outline: 2px solid var(--ink); outline-offset: 2px;
          padding: .75rem 1rem; margin: 1rem 0 1.5rem; background: #fff3f3; }
.urgent > h2, .reminder > h2 { border: 0; margin: 0 0 .5rem; font-size: 1.4rem; text-transform: uppercase; }
.key { border: 2px solid var(--ink); padding: 0 .75rem .5rem; }
.key > h2 { margin-top: .5rem; }
.card { border-left: 4px solid var(--ink); padding: .1rem 0 .25rem .75rem; margin: 0 0 1.25rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
th[scope="row"] { width: 9rem; }
td ul { margin: 0; padding-left: 1.1rem; }
figure.picture { margin: .5rem 0; }
.arrays { display: flex; flex-wrap: wrap; gap: 1rem 1.25rem; }
.array { width: 20rem; max-width: 100%; }
.array-label { font-size: .95rem; font-weight: 700; margin: 0 0 .2rem; }
.array svg { display: block; width: 100%; height: auto; color: var(--ink); }
figcaption { margin-top: .3rem; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; list-style: none; }
.legend svg { width: 1rem; height: 1.5rem; vertical-align: middle; color: var(--ink); }
.checklist { list-style: none; padding-left: .25rem; }
.sources li { margin-bottom: .3rem; overflow-wrap: anywhere; }
.note-section { border: 2px solid var(--ink); padding: 0 .75rem .5rem; }
@media (max-width: 40rem) {
  body { padding: .75rem; font-size: 1rem; }
  h1 { font-size: 1.35rem; }
  th[scope="row"] { width: auto; }
  th, td { padding: .3rem; }
  /* On a phone a table of options becomes one block per row, each option's cell under its name,
     so no option is hidden off to the side. */
{PHONE}}
@media print {
  :root { --ink: #000; --muted: #000; --line: #000; --urgent: #000; }
  @page { margin: 9mm 10mm; }
  body { max-width: none; padding: 0; font-size: 12pt; line-height: 1.17; background: #fff; color: #000; }
  h1 { font-size: 15pt; margin: 0; }
  h2 { font-size: 13pt; margin: .6rem 0 .2rem; }
  h3 { font-size: 12.5pt; margin: .4rem 0 .15rem; }
  p { margin: .15rem 0; }
  ul, ol { margin: .15rem 0; padding-left: 1.2rem; }
  .handout { margin: .2rem 0; gap: 0 1.5rem; }
  .blank { min-width: 7rem; }
  header > .meta { display: none; }  /* said again at the foot of the page, so page one holds more */
  .key { padding: 0 .5rem .2rem; border-width: 1px; }
  .key > h2 { margin: .3rem 0 .2rem; }
  p, li, td, th, caption, figcaption, .meta, .quiet, .array-label { font-size: 12pt; }
  th, td { padding: .2rem .35rem; }
  .urgent, .reminder { background: none; }
  .table-wrap { overflow: visible; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .card, figure, tr, .urgent, .reminder, .note-section, .own-questions {
    break-inside: avoid; page-break-inside: avoid; }
  .own-questions.first { break-after: page; page-break-after: always; }  /* the cards start on page 2 */
  .array { width: 88mm; max-width: none; }  /* 20 people across: each 4.4 mm wide, 5.7 mm high */
  .legend svg { width: 4mm; height: 6mm; }
  a { text-decoration: none; }
{KEY}  table.key tr { border: 0; margin: 0 0 .25rem; }
  table.key th[scope="row"] { padding: 0 .2rem; }
  table.key td { padding: 0 .2rem 0 .8rem; }
}
"""

#: A table of options as one block per row, each cell under its row and named by its option: on
#: a phone for every such table, and on paper for the key points (so they fit page one).
_BLOCKS = """\
  table.{t}, table.{t} tbody, table.{t} tr, table.{t} th, table.{t} td {{ display: block; width: auto; }}
  table.{t} caption {{ display: block; }}
  table.{t} thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
  table.{t} tr {{ border: 1px solid var(--line); margin: 0 0 .4rem; }}
  table.{t} th[scope="row"] {{ border: 0; border-bottom: 1px solid var(--ink); }}
  table.{t} td {{ border: 0; padding: .1rem .5rem; }}
  table.{t} td::before {{ content: attr(data-option) ": "; font-weight: 700; }}
"""

CSS = _CSS.replace("{PHONE}", _BLOCKS.format(t="options")).replace("{KEY}", _BLOCKS.format(t="key"))
