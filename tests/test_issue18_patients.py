"""Issue 18 over realistic patients for every condition (tests/golden/*.answers.yaml and
tests/vignettes.yaml, as given and with health answers made unknown):

- no figure below 1 in 100 is shown "in 100", in any format;
- how sure the evidence is stands beside every figure, in every format;
- a pair declared not comparable is said to be from different studies, beside both figures and
  in the side-by-side table, and is never pictured side by side;
- every figure that an answer could not change lists that answer (tried by brute force: each
  unknown answer is set to each of its choices, and any that would move the figure must be listed).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinedecide import assess, load_rules
from spinedecide.render import get_renderer, phrases
from spinedecide.render.common import figure_phrase

HERE = Path(__file__).resolve().parent
RULES = load_rules()
VIGNETTES = yaml.safe_load((HERE / "vignettes.yaml").read_text(encoding="utf-8"))
UNKNOWABLE = ("smoking", "diabetes", "heart_disease", "lung_disease", "kidney_disease", "general_health")


def _patients() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted((HERE / "golden").glob("*.answers.yaml")):
        out[path.name.removesuffix(".answers.yaml")] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for case in VIGNETTES["vignettes"]:
        merged = {**VIGNETTES["defaults"], **case["answers"]}
        out[f"vignette_{case['id']}"] = {k: v for k, v in merged.items() if v is not None}
    for name, answers in list(out.items()):
        unknown = {**answers, **dict.fromkeys(UNKNOWABLE, "unknown")}
        unknown.pop("sex", None)
        out[f"{name}_unknowns"] = unknown
    return out


PATIENTS = _patients()
FORMATS = ("text", "markdown", "html", "note", "rich")


def rendered(report: Any, fmt: str) -> str:
    buffer = io.StringIO()
    get_renderer(fmt)(report, buffer, explain=False, color=False, width=100)
    out = buffer.getvalue()
    return re.sub(r"[│╭╮╰╯─]", " ", out) if fmt == "rich" else out  # panel borders


def figures(report: Any) -> list[Any]:
    return [f for o in report.options for f in (*o.benefits, *o.risks, *o.recovery) if f.estimate] + [
        c for c in report.considerations if c.estimate
    ]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_patients_cover_every_condition():
    conditions = {a.get("condition") for a in PATIENTS.values()}
    assert {
        "herniated_disc",
        "spinal_stenosis",
        "spondylolisthesis",
        "scoliosis",
        "instability",
        "back_pain_only",
        "not_sure",
    } <= conditions


@pytest.mark.parametrize("name", sorted(PATIENTS))
def test_rare_figures_are_never_shown_in_100_and_certainty_stands_beside_every_figure(name):
    report = assess(RULES, PATIENTS[name])
    shown = figures(report)
    for fmt in FORMATS:
        out = rendered(report, fmt)
        joined = flat(out)
        assert not re.search(r"\b0\.\d+ in 100\b", joined), (fmt, re.search(r".{60}\b0\.\d+ in 100\b.{20}", joined))
        assert not re.search(r"\b0\.\d+(-[\d.]+)?/100\b", joined), fmt
        if fmt == "note":
            # every figure in the note is followed, in its own part, by how sure it is
            for part in re.split(r"; |\n- ", joined):
                if re.search(r"\d/(100|1,000|10,000)\b", part):
                    assert re.search(r"\((high|moderate|low|very low) certainty", part), part
            continue
        if fmt == "rich":
            assert joined.count("How sure the evidence is") >= len(shown)
            continue
        for f in shown:
            phrase = figure_phrase(f.estimate)
            line = phrase[0].upper() + phrase[1:] + "."
            words = flat(phrases.certainty(f.estimate))
            if fmt == "html":
                from html import escape

                line, words = escape(line, quote=True), escape(words, quote=True)
            at = joined.find(line)
            assert at >= 0, (fmt, f.id, line)
            nearby = re.sub(r"<[^>]+>|\*\*|_", "", joined[at : at + len(line) + 200 + len(words)])
            assert flat(nearby).find(words[:60]) >= 0, (fmt, f.id, nearby)


@pytest.mark.parametrize("name", sorted(n for n, a in PATIENTS.items() if a.get("condition") == "spondylolisthesis"))
def test_a_pair_from_different_studies_says_so_beside_both_and_is_not_pictured_side_by_side(name):
    report = assess(RULES, PATIENTS[name])
    pair = [f for f in figures(report) if any(not p.same_study for p in f.compared_with)]
    if PATIENTS[name]["age"] < 65:  # both figures are about older people: in words only, no pair
        assert pair == []
        return
    assert {f.id for f in pair} == {"ds_decompression_medical", "ds_fusion_medical"}
    for fmt in ("text", "markdown", "html", "rich"):
        out = flat(rendered(report, fmt))
        assert out.count("comes from a different study of different people") >= 2, fmt
        assert phrases.NOT_COMPARABLE_MARK in out or fmt in ("text", "rich"), fmt  # rich wraps table cells
    note = flat(rendered(report, "note"))
    for f in pair:  # the note shows a few key figures; where it shows one of the pair, it says so
        at = note.find(f.title.lower() + " ")
        if at >= 0:
            said = note[at : note.find(")", note.find("certainty", at)) + 1]
            assert phrases.NOT_COMPARABLE_MARK in said, said
    # Each picture shows one figure (people like you beside the typical figure), never the pair.
    html = rendered(report, "html")
    for block in re.findall(r'<figure class="icon-arrays">.*?</figure>', html, re.S):
        labels = re.findall(r'aria-label="([^"]*)"', block)
        assert all(label.split(":")[0] in ("100 people", "People like you", "Typical") for label in labels)
    fusion = next(f for f in pair if f.id == "ds_fusion_medical")
    assert not fusion.estimate.pictured  # very low certainty for most ages: words only


@pytest.mark.parametrize("name", sorted(n for n in PATIENTS if n.endswith("_unknowns")))
def test_every_figure_an_unknown_answer_could_change_lists_that_answer(name):
    answers = PATIENTS[name]
    report = assess(RULES, answers)
    base = {f.id: (f.estimate.low, f.estimate.high) for f in figures(report)}
    listed = {
        f.id: {a[0] for u in f.unchanged_by for a in u.answers if u.why in ("unknown", "not_answered")}
        for f in figures(report)
    }
    for factor in UNKNOWABLE:
        for choice in RULES.factors[factor].choice_ids:
            other = assess(RULES, {**answers, factor: choice})
            for f in figures(other):
                if (f.estimate.low, f.estimate.high) != base.get(f.id, (f.estimate.low, f.estimate.high)):
                    assert factor in listed[f.id], (f.id, factor, choice)
    text = flat(rendered(report, "text"))
    for f in figures(report):
        if listed[f.id]:
            assert flat(phrases.not_counted(f)) in text


@pytest.mark.parametrize("name", sorted(PATIENTS))
def test_a_for_you_note_beside_a_figure_it_did_not_change_says_so(name):
    report = assess(RULES, PATIENTS[name])
    text = flat(rendered(report, "text"))
    for f in figures(report):
        for rule, note in zip(f.rules, f.notes, strict=True):
            effect = next(e for r, e in RULES.effects[f.id] if r.id == rule)
            note_only = effect.relative_risk is None and effect.odds_ratio is None and effect.figure is None
            said = flat(phrases.note(f, rule, note))
            assert said in text
            if note_only:
                assert said.startswith("For you (this did not change the figure above"), (f.id, rule)


def test_defect_12_mens_odds_of_death_say_they_did_not_change_the_figure():
    answers = {**PATIENTS["vignette_sciatica_persistent_smoker"], "sex": "male"}
    report = assess(RULES, answers)
    death = next(f for f in figures(report) if f.id == "discectomy_death")
    assert "male_death" in death.rules
    assert [u.why for u in death.unchanged_by if u.rule == "male_death"] == ["no_subgroup_figure"]
    text = flat(rendered(report, "text"))
    assert "About 8 in 10,000 people, in hospital." in text
    assert (
        "For you (this did not change the figure above, because the studies give no figure for people like you): "
        "A study looked at about 800,000" in text
    )


def test_a_composite_figure_says_what_it_includes_in_every_format():
    report = assess(RULES, PATIENTS["sciatica_early_young"])
    composite = next(f for f in figures(report) if f.id == "discectomy_complication")
    assert [i for i, _t in composite.estimate.includes] == ["discectomy_dural_tear"]
    said = flat(phrases.includes(composite.estimate))
    assert said.startswith("This figure includes \u201cDural tear")
    for fmt in ("text", "markdown", "rich"):
        assert said[:40] in flat(rendered(report, fmt)), fmt
    assert report.to_dict()["options"][0]["risks"][0]["estimate"]["includes"] == ["discectomy_dural_tear"]
