"""Figures shown only to the people they are about (docs/reviews/2026-12-01-clinician.md, items
16 and 24): an option's finding may carry a `when`; people outside it get the finding in its
`otherwise` words, without the figure, or not at all.

(a) the spondylolisthesis fusion figure (people aged 65 to 79) is not a number for a 40-year-old;
(b) the Medicare decompression figure (people mostly 65 and over) is not a number for a 40-year-old;
(c) delirium, a risk at 65 and over, is listed under each operation's risks at 70, not at 40;
(d) the Medicare figures for scoliosis surgery (a large fusion for stenosis: 5.6 and 13 in 100) are
    not numbers for a 40-year-old with scoliosis;
(e) two more figures from studies limited by age: later surgery after physical therapy for
    stenosis (a trial of people aged 50 and over) and after exercise for an isthmic slip (a trial
    of adults aged 18 to 55).

Each fails on the rules file before its fix (SPINEDECIDE_RULES_UNDER_TEST, as in
test_review_figures.py): (a) to (c) on main, (d) and (e) on branch printaxe.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from rules_under_test import DEFAULTS, RULES, SURGICAL_CONDITIONS

from spinedecide import assess, load_rules
from spinedecide.errors import RulesError
from spinedecide.render import render

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
FORMATS = ("text", "markdown", "html", "note", "json")


def person(age: int, condition: str) -> Any:
    return assess(RULES, {**DEFAULTS, "age": age, "condition": condition})


def everything_shown(report: Any) -> str:
    """The report in every format a person or a tool reads, joined."""
    out = []
    for fmt in FORMATS:
        buffer = io.StringIO()
        render(report, fmt, buffer, width=100)
        out.append(buffer.getvalue())
    return "\n".join(out)


def finding(report: Any, ident: str) -> Any:
    return next(f for o in report.options for f in (*o.benefits, *o.risks, *o.recovery) if f.id == ident)


# --- (a) and (b): the figure for older people, in words only for a 40-year-old ----------------------

#: (condition, finding, its figure, who the figure is about): every figure shown says who it is
#: about, so a report without those words does not show the figure in any format.
OLDER_FIGURES = [
    ("spondylolisthesis", "ds_fusion_medical", 9.5, "US adults aged 65 to 79 having a fusion of 1 or 2 levels"),
    # clinician review 2, item 25: the same PearlDiver group fits the other 1- or 2-level fusions
    ("instability", "instability_fusion_medical", 9.5, "US adults aged 65 to 79 having a fusion of 1 or 2 levels"),
    ("back_pain_only", "back_fusion_medical", 9.5, "US adults aged 65 to 79 having a fusion of 1 or 2 levels"),
    ("spondylolisthesis", "ds_decompression_medical", 2.3, "US Medicare patients (older adults) having decompression"),
    ("spinal_stenosis", "decompression_serious_complication", 2.3, "US Medicare patients (older adults) having"),
    # (d) scoliosis: the same Medicare study, for a large fusion for stenosis (5.6 and 13 in 100)
    (
        "scoliosis",
        "deformity_medical",
        5.6,
        "US Medicare patients (older adults) having a complex fusion for stenosis, not scoliosis surgery, 2007",
    ),
    (
        "scoliosis",
        "deformity_readmission",
        13,
        "US Medicare patients (older adults) having a complex fusion for stenosis, 2007",
    ),
]


@pytest.mark.parametrize(("condition", "ident", "figure", "said"), OLDER_FIGURES)
def test_a_figure_for_older_people_is_no_number_for_a_40_year_old(condition, ident, figure, said):
    young = person(40, condition)
    f = finding(young, ident)
    assert f.estimate is None, f"{ident}: a 40-year-old is shown {f.estimate.low} in 100"
    assert "under 65" in f.text and f.no_figure and "65 and over" in f.no_figure
    assert said not in everything_shown(young), ident
    data = json.loads(_json(young))
    shown = next(x for o in data["options"] for x in o["risks"] if x["id"] == ident)
    assert shown["estimate"] is None and shown["no_figure"] == f.no_figure


def _json(report: Any) -> str:
    buffer = io.StringIO()
    render(report, "json", buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("condition", "ident", "figure", "said"), OLDER_FIGURES)
def test_the_same_figure_is_shown_to_a_70_year_old(condition, ident, figure, said):
    old = person(70, condition)
    f = finding(old, ident)
    assert f.estimate is not None and f.estimate.typical_low == pytest.approx(figure)
    assert f.no_figure is None
    assert said in everything_shown(old)


def test_at_65_the_figure_is_shown_and_at_64_it_is_not():
    assert finding(person(65, "spondylolisthesis"), "ds_fusion_medical").estimate is not None
    assert finding(person(64, "spondylolisthesis"), "ds_fusion_medical").estimate is None


def test_the_same_ruleset_gives_each_person_their_own_view_whatever_the_order():
    # the engine memoises finding views per ruleset: a 40-year-old's words never reach a 70-year-old
    for age in (70, 40, 70, 40):
        f = finding(person(age, "spinal_stenosis"), "decompression_serious_complication")
        assert (f.estimate is not None) is (age >= 65), age


# --- (e): figures from trials limited to other ages -------------------------------------------------

#: (condition, finding, its figure, who it is about, an age it is about, an age it is not about)
TRIAL_AGE_FIGURES = [
    (
        "spinal_stenosis",
        "nonsurgical_stenosis_later_surgery",
        57,
        "adults aged 50 and over with stenosis, started on physical therapy",
        70,
        40,
    ),
    ("instability", "nonsurgical_instability_later_surgery", 26, "adults aged 18 to 55 with a slip", 40, 70),
]


@pytest.mark.parametrize(("condition", "ident", "figure", "said", "inside", "outside"), TRIAL_AGE_FIGURES)
def test_a_figure_from_a_trial_limited_by_age_is_a_number_only_at_those_ages(
    condition, ident, figure, said, inside, outside
):
    shown = person(inside, condition)
    f = finding(shown, ident)
    assert f.estimate is not None and f.estimate.typical_low == pytest.approx(figure) and f.no_figure is None
    assert said in everything_shown(shown)
    hidden = person(outside, condition)
    f = finding(hidden, ident)
    assert f.estimate is None, f"{ident}: a {outside}-year-old is shown {f.estimate.low} in 100"
    assert "We did not find a figure for people" in f.text and f.no_figure
    assert said not in everything_shown(hidden), ident


# --- (c): delirium under each operation's risks, at 65 and over ------------------------------------


@pytest.mark.parametrize("condition", SURGICAL_CONDITIONS)
def test_delirium_is_a_risk_of_every_operation_at_70_and_of_none_at_40(condition):
    old, young = person(70, condition), person(40, condition)
    for option in old.options:
        delirium = [f for f in option.risks if f.estimate is not None and f.estimate.outcome == "delirium"]
        assert len(delirium) == (1 if option.kind == "surgery" else 0), (option.id, delirium)
        for f in delirium:
            assert (f.estimate.typical_low, f.estimate.typical_high) == (13, 18)
            assert "many kinds of spine operation" in f.text and "small studies" in f.text
    assert not [f for o in young.options for f in o.risks if "delirium" in f.id]
    assert "delirium" not in everything_shown(young).lower()


def test_delirium_is_said_once_per_operation_not_also_as_a_consideration():
    old = person(70, "spinal_stenosis")
    assert not [c for c in old.to_dict()["considerations"] if "delirium" in json.dumps(c).lower()]


# --- the rules loader: `when` and `otherwise` on an option's finding --------------------------------


def minimal_with(lines: str, finding: str = "op_infection") -> Path:
    """tests/data/minimal.yaml with lines added to one option finding, after its title."""
    text = MINIMAL.read_text(encoding="utf-8")
    at = text.index("\n", text.index("title:", text.index(f"- id: {finding}\n"))) + 1
    path = Path(tempfile.mkdtemp()) / "rules.yaml"
    path.write_text(text[:at] + lines + text[at:], encoding="utf-8")
    return path


def test_old_rules_files_without_when_still_load_and_every_finding_shows():
    rules = load_rules(MINIMAL)
    assert all(f.when is None and f.otherwise is None for o in rules.options.values() for f in o.risks)


def test_the_loader_needs_when_for_otherwise_and_checks_the_condition():
    words = '        otherwise: {text: "Words.", no_figure: "None for you."}\n'
    with pytest.raises(RulesError, match="give the finding a 'when'"):
        load_rules(minimal_with(words))
    with pytest.raises(RulesError, match="unknown factor"):
        load_rules(minimal_with('        when: {shoe_size: {">=": 65}}\n'))
    with pytest.raises(RulesError, match="no_figure"):
        load_rules(minimal_with('        when: {age: {">=": 65}}\n        otherwise: {text: "Words."}\n'))
    rules = load_rules(minimal_with('        when: {age: {">=": 65}}\n' + words))
    changed = next(f for o in rules.options.values() for f in o.risks if f.when is not None)
    assert changed.otherwise is not None and changed.otherwise.text == "Words."
    assert changed.when({"age": 70}) and not changed.when({"age": 40})


def test_otherwise_on_a_finding_without_a_figure_is_refused():
    words = '        when: {age: {">=": 65}}\n        otherwise: {text: "W.", no_figure: "N."}\n'
    with pytest.raises(RulesError, match="needs an estimate"):
        load_rules(minimal_with(words, finding="op_recovery"))
    # a `when` alone on a finding without a figure: shown only to those people, else not at all
    rules = load_rules(minimal_with('        when: {age: {">=": 65}}\n', finding="op_recovery"))
    assert rules.findings["op_recovery"].when is not None
