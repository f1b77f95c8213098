"""Content tests: the clinical content in data/factors.yaml, checked through the public API.

These tests check the *content* (balance, citations, figures, tailoring, red flags and plain
language), not the engine's arithmetic. Realistic patients live in tests/vignettes.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinedecide import assess, load_rules

ROOT = Path(__file__).resolve().parents[1]
RULES_FILE = ROOT / "data" / "factors.yaml"
VIGNETTES_FILE = Path(__file__).resolve().parent / "vignettes.yaml"

RULES = load_rules()
RAW = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
VIGNETTES = yaml.safe_load(VIGNETTES_FILE.read_text(encoding="utf-8"))
DEFAULTS: dict[str, Any] = VIGNETTES["defaults"]
CASES: list[dict[str, Any]] = VIGNETTES["vignettes"]

SURGICAL_CONDITIONS = [
    "herniated_disc",
    "spinal_stenosis",
    "spondylolisthesis",
    "scoliosis",
    "instability",
    "back_pain_only",
]
ALL_CONDITIONS = [*SURGICAL_CONDITIONS, "not_sure"]


def answers_for(overrides: dict[str, Any]) -> dict[str, Any]:
    """The defaults with the vignette's answers on top; a value of null removes a default."""
    merged = {**DEFAULTS, **overrides}
    return {k: v for k, v in merged.items() if v is not None}


def report(overrides: dict[str, Any]) -> dict[str, Any]:
    return assess(RULES, answers_for(overrides)).to_dict()


def all_findings(d: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(d["considerations"])
    for option in d["options"]:
        out += option["benefits"] + option["risks"] + option["recovery"]
    return out


def risk_figures(d: dict[str, Any]) -> dict[str, tuple[float, float]]:
    return {
        f["id"]: (f["estimate"]["low"], f["estimate"]["high"])
        for option in d["options"]
        for f in option["risks"]
        if f["estimate"] is not None
    }


# ---------------------------------------------------------------------------------------------
# Vignettes


def test_there_are_at_least_20_vignettes() -> None:
    assert len(CASES) >= 20
    assert len({c["id"] for c in CASES}) == len(CASES), "vignette ids must be unique"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_vignette(case: dict[str, Any]) -> None:
    d = report(case["answers"])
    expect = case["expect"]
    assert [o["id"] for o in d["options"]] == expect["options"]
    assert d["urgent"] is expect["urgent"]
    reasons = {r["id"] for r in d["urgent_reasons"]}
    assert set(expect.get("urgent_reasons", [])) <= reasons
    if not expect["urgent"]:
        assert not reasons
    fired = set(d["fired_rules"])
    missing = set(expect.get("fired_rules", [])) - fired
    assert not missing, f"rules that should fire but did not: {sorted(missing)}"
    unexpected = set(expect.get("not_fired_rules", [])) & fired
    assert not unexpected, f"rules that should not fire: {sorted(unexpected)}"
    shown = {c["id"] for c in d["considerations"]}
    missing = set(expect.get("considerations", [])) - shown
    assert not missing, f"considerations not shown: {sorted(missing)}"
    unexpected = set(expect.get("not_considerations", [])) & shown
    assert not unexpected, f"considerations shown but should not be: {sorted(unexpected)}"


def test_vignettes_cover_every_condition_and_every_red_flag() -> None:
    conditions = {c["answers"]["condition"] for c in CASES}
    assert conditions >= set(ALL_CONDITIONS)
    flagged = {r for c in CASES for r in c["expect"].get("urgent_reasons", [])}
    assert flagged >= {rf["id"] for rf in RAW["red_flags"]}


# ---------------------------------------------------------------------------------------------
# Risk factors raise the risks they should and lower none

RISK_FACTORS: dict[str, Any] = {
    "smoking": lambda a: {**a, "smoking": "current"},
    "diabetes": lambda a: {**a, "diabetes": "yes"},
    "bmi_41": lambda a: {**a, "bmi": 41},
    "age_plus_15": lambda a: {**a, "age": min(110, a["age"] + 15)},
    "heart_disease": lambda a: {**a, "heart_disease": "yes"},
    "prior_spine_surgery": lambda a: {**a, "prior_spine_surgery": "yes"},
}

# For a healthy 55-year-old, each risk factor must raise at least these kinds of risk
# (finding id suffixes) in every surgical option.
MUST_RAISE = {
    "smoking": ("_infection",),
    "diabetes": ("_infection",),
    "bmi_41": ("_infection",),
    "age_plus_15": ("_death",),
    "heart_disease": ("_death",),
    "prior_spine_surgery": ("_infection",),
}


def _lowered(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    b, a = risk_figures(before), risk_figures(after)
    return [f"{k}: {b[k]} -> {a[k]}" for k in b if a[k][0] < b[k][0] - 1e-9 or a[k][1] < b[k][1] - 1e-9]


@pytest.mark.parametrize("factor", list(RISK_FACTORS))
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_risk_factor_never_lowers_a_risk(case: dict[str, Any], factor: str) -> None:
    base = answers_for(case["answers"])
    before = assess(RULES, base).to_dict()
    after = assess(RULES, RISK_FACTORS[factor](base)).to_dict()
    assert not _lowered(before, after)


@pytest.mark.parametrize("factor", list(RISK_FACTORS))
@pytest.mark.parametrize("condition", SURGICAL_CONDITIONS)
def test_a_risk_factor_raises_the_risks_it_should(condition: str, factor: str) -> None:
    base = answers_for({"age": 55, "condition": condition})
    before = assess(RULES, base).to_dict()
    after = assess(RULES, RISK_FACTORS[factor](base)).to_dict()
    b, a = risk_figures(before), risk_figures(after)
    for option in after["options"]:
        if option["kind"] != "surgery":
            continue
        targets = [f["id"] for f in option["risks"] if f["id"].endswith(MUST_RAISE[factor]) and f["estimate"]]
        assert targets, f"{option['id']} has no {MUST_RAISE[factor]} risk with a figure"
        for fid in targets:
            assert a[fid][1] > b[fid][1], f"{factor} did not raise {fid}: {b[fid]} -> {a[fid]}"
    assert not _lowered(before, after)


def test_smoking_raises_nonunion_after_fusion() -> None:
    for condition in ("spondylolisthesis", "instability", "back_pain_only"):
        base = answers_for({"condition": condition})
        b = risk_figures(assess(RULES, base).to_dict())
        a = risk_figures(assess(RULES, {**base, "smoking": "current"}).to_dict())
        nonunion = [k for k in b if k.endswith("_nonunion")]
        assert nonunion
        assert all(a[k][1] > b[k][1] for k in nonunion)


def test_tailoring_rules_never_lower_a_risk_in_the_file() -> None:
    for rule in RULES.rules:
        for effect in rule.effects:
            finding = RULES.findings[effect.finding]
            if finding.kind != "risk":
                continue
            if effect.relative_risk is not None:
                assert effect.relative_risk >= 1, f"{rule.id} lowers {finding.id}"
            if effect.figure is not None and finding.estimate is not None:
                assert effect.figure[0] >= finding.estimate.low, f"{rule.id} lowers {finding.id}"
                assert effect.figure[1] >= finding.estimate.high, f"{rule.id} lowers {finding.id}"


# ---------------------------------------------------------------------------------------------
# Balance (IPDAS): every option has benefits, risks and recovery; surgery and care without
# surgery are described the same way.


def test_every_condition_has_a_diagnosis_and_options_of_both_kinds() -> None:
    for condition in SURGICAL_CONDITIONS:
        diagnosis = RULES.diagnoses[condition]
        kinds = {RULES.options[o].kind for o in diagnosis.options}
        assert kinds == {"surgery", "non_surgical"}, condition
    assert RULES.diagnoses["not_sure"].options == ()


def test_spondylolisthesis_has_three_options() -> None:
    opts = RULES.diagnoses["spondylolisthesis"].options
    assert len(opts) == 3
    assert sum(RULES.options[o].kind == "surgery" for o in opts) == 2


@pytest.mark.parametrize("condition", ALL_CONDITIONS)
def test_every_option_shows_benefits_risks_and_recovery(condition: str) -> None:
    d = report({"condition": condition})
    for option in d["options"]:
        assert option["benefits"], option["id"]
        assert option["risks"], option["id"]
        assert option["recovery"], option["id"]


def test_every_option_in_the_file_has_benefits_risks_and_recovery() -> None:
    for option in RULES.options.values():
        assert option.benefits and option.risks and option.recovery, option.id


def test_both_kinds_of_option_have_figures_for_risks() -> None:
    for condition in SURGICAL_CONDITIONS:
        for opt_id in RULES.diagnoses[condition].options:
            option = RULES.options[opt_id]
            assert any(f.estimate for f in option.risks), f"{opt_id}: no risk has a figure"


def test_non_surgical_options_cover_medicine_side_effects_and_later_surgery_or_lasting_symptoms() -> None:
    for option in RULES.options.values():
        if option.kind != "non_surgical":
            continue
        ids = " ".join(f.id for f in option.risks)
        assert "medicine" in ids, f"{option.id}: no medicine side effects"
        assert re.search(r"later_surgery|persist|worse", ids), f"{option.id}: no risk of waiting"


def test_every_option_covers_work_or_daily_life() -> None:
    for option in RULES.options.values():
        text = " ".join(f.title + " " + f.text for f in (*option.benefits, *option.recovery)).lower()
        assert "work" in text, f"{option.id} says nothing about work"


REQUIRED_SURGICAL_RISKS = ("_infection", "_blood_clot", "_death", "_dural_tear", "_nerve")
REQUIRED_FUSION_RISKS = ("_transfusion", "_hardware", "_adjacent")


def test_every_operation_covers_the_required_risks() -> None:
    for option in RULES.options.values():
        if option.kind != "surgery":
            continue
        ids = [f.id for f in option.risks]
        for suffix in REQUIRED_SURGICAL_RISKS:
            assert any(i.endswith(suffix) for i in ids), f"{option.id}: no {suffix} risk"
        assert any(i.endswith(("_reoperation", "_not_relieved")) for i in ids), f"{option.id}: no reoperation risk"
        if "fusion" in option.id:
            for suffix in REQUIRED_FUSION_RISKS:
                assert any(i.endswith(suffix) for i in ids), f"{option.id}: no {suffix} risk"


def test_back_pain_only_states_the_guideline_position() -> None:
    diagnosis = RULES.diagnoses["back_pain_only"]
    assert "NICE" in diagnosis.decision
    assert "NICE" in RULES.options["fusion_back_pain"].summary
    d = report({"condition": "back_pain_only"})
    assert "fusion_guideline" in {c["id"] for c in d["considerations"]}


# ---------------------------------------------------------------------------------------------
# Figures and citations


@pytest.mark.parametrize("condition", ALL_CONDITIONS)
def test_every_estimate_has_a_timeframe_a_denominator_and_a_source(condition: str) -> None:
    d = report({"condition": condition, "age": 82, "smoking": "current", "diabetes": "yes", "bmi": 41})
    for f in all_findings(d):
        assert f["sources"], f["id"]
        est = f["estimate"]
        if est is None:
            continue
        assert est["per"] == 100, f["id"]
        assert est["timeframe"].strip(), f["id"]
        assert 0 <= est["low"] <= est["high"] <= 100, f["id"]
        assert 0 <= est["typical"]["low"] <= est["typical"]["high"] <= 100, f["id"]


def test_every_estimate_in_the_file_names_its_timeframe_population_and_evidence() -> None:
    for finding in RULES.findings.values():
        assert finding.sources, finding.id
        if finding.estimate:
            assert finding.estimate.timeframe, finding.id
            assert finding.estimate.reference_class, finding.id
            assert finding.estimate.evidence, finding.id


def _cited_ids(node: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "sources" and isinstance(v, list) and all(isinstance(s, str) for s in v):
                out.update(v)
            else:
                out |= _cited_ids(v)
    elif isinstance(node, list):
        for item in node:
            out |= _cited_ids(item)
    return out


def test_every_source_is_cited_and_every_citation_exists() -> None:
    source_ids = {s["id"] for s in RAW["sources"]}
    cited = _cited_ids({k: v for k, v in RAW.items() if k != "sources"})
    assert cited <= source_ids, f"unknown sources cited: {sorted(cited - source_ids)}"
    assert source_ids <= cited, f"sources never cited: {sorted(source_ids - cited)}"


def test_every_source_can_be_found() -> None:
    for s in RAW["sources"]:
        assert any(s.get(k) for k in ("pmid", "doi", "url")), s["id"]
        assert len(s["citation"]) > 20, s["id"]
        if "pmid" in s:
            assert re.fullmatch(r"\d{6,9}", str(s["pmid"])), s["id"]
        if "doi" in s:
            assert str(s["doi"]).startswith("10."), s["id"]
        if "url" in s:
            assert str(s["url"]).startswith(("http://", "https://")), s["id"]


def test_every_rule_and_red_flag_cites_a_source() -> None:
    for rule in RULES.rules:
        assert rule.sources, rule.id
    for flag in RULES.red_flags:
        assert flag.sources, flag.id
        assert flag.action.strip(), flag.id


def test_report_sources_cover_everything_it_cites() -> None:
    d = report({"condition": "spondylolisthesis", "age": 81, "diabetes": "yes", "smoking": "current", "prior_spine_surgery": "yes"})
    listed = {s["id"] for s in d["sources"]}
    for f in all_findings(d):
        assert set(f["sources"]) <= listed, f["id"]


# ---------------------------------------------------------------------------------------------
# Tailoring: every factor the issue names is used by a rule or a consideration


TAILORING_FACTORS = [
    "age", "bmi", "smoking", "diabetes", "heart_disease", "lung_disease", "kidney_disease",
    "general_health", "pain", "daily_function", "weakness", "numbness", "main_symptom",
    "symptom_weeks", "physical_therapy", "medication", "injections", "prior_spine_surgery",
]


def test_every_tailoring_factor_is_used() -> None:
    used: set[str] = set()
    for rule in RULES.rules:
        used |= set(rule.when.factors())
    for c in RULES.considerations:
        if c.when is not None:
            used |= set(c.when.factors())
    assert set(TAILORING_FACTORS) <= used, sorted(set(TAILORING_FACTORS) - used)


def test_untried_treatment_advice_only_when_nothing_is_urgent() -> None:
    calm = report({"condition": "spinal_stenosis"})
    assert "not_tried_stenosis" in {c["id"] for c in calm["considerations"]}
    tried = report({"condition": "spinal_stenosis", "physical_therapy": "helped"})
    assert "not_tried_stenosis" not in {c["id"] for c in tried["considerations"]}
    urgent = report({"condition": "spinal_stenosis", "saddle_numbness": "yes"})
    assert urgent["urgent"]
    assert "not_tried_stenosis" not in {c["id"] for c in urgent["considerations"]}


# ---------------------------------------------------------------------------------------------
# Plain language


def _patient_text() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [("disclaimer", RAW["disclaimer"])]
    for f in RAW["factors"]:
        out += [(f["id"], f["question"]), (f["id"], f["help"])]
    for r in RAW["red_flags"]:
        out += [(r["id"], r["text"]), (r["id"], r["action"])]
    for g in RAW["diagnoses"]:
        out += [(g["id"], g["about"]), (g["id"], g["decision"])]
    for o in RAW["options"]:
        out.append((o["id"], o["summary"]))
        for group in ("benefits", "risks", "recovery"):
            out += [(f["id"], f["text"]) for f in o[group]]
    out += [(c["id"], c["text"]) for c in RAW["considerations"]]
    out += [(r["id"], r["text"]) for r in RAW["rules"]]
    return [(where, " ".join(text.split())) for where, text in out]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def test_sentences_are_short() -> None:
    long = [(w, s) for w, t in _patient_text() for s in _sentences(t) if len(s.split()) > 30]
    assert not long, long[:5]


def test_patient_text_reads_at_about_grade_8() -> None:
    textstat = pytest.importorskip("textstat")
    sentences = [s for _w, t in _patient_text() for s in _sentences(t)]
    grades = [textstat.flesch_kincaid_grade(s) for s in sentences]
    mean = sum(grades) / len(grades)
    assert mean <= 8.0, f"mean grade {mean:.1f}"
    # Very short sentences with one medical word score high on any formula; judge longer ones.
    hard = [(g, s) for g, s in zip(grades, sentences) if g > 12 and len(s.split()) >= 10]
    assert not hard, sorted(hard, reverse=True)[:5]


@pytest.mark.parametrize(
    "word",
    ["dural tear", "fusion", "nonunion", "adjacent segment disease", "deep vein thrombosis", "opioids", "decompression"],
)
def test_medical_words_are_explained_somewhere(word: str) -> None:
    titles = [f["title"] for o in RAW["options"] for g in ("benefits", "risks", "recovery") for f in o[g]]
    text = " ".join([*titles, *(t for _w, t in _patient_text())])
    explained = re.search(re.escape(word) + r"[^.]{0,3}(\(|:| means| is | was)", text, re.IGNORECASE) or re.search(
        r"\(" + re.escape(word) + r"[),]", text, re.IGNORECASE
    )
    assert explained, f"'{word}' is never explained"
