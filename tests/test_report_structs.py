"""The report's structs are its JSON: what rides along for renderers survives copies, and the
fields set from others (``urgent``, ``urgent_reminder``, ``sure.conflict``) cannot disagree."""

from __future__ import annotations

import io
import json
import pickle

import yaml
from helpers import ROOT
from msgspec.structs import replace

from spinedecide import assess, load_rules
from spinedecide.render import get_renderer
from spinedecide.render.json import dumps

RULES = load_rules()
ANSWERS = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text(encoding="utf-8"))


def _text(report) -> str:
    out = io.StringIO()
    get_renderer("text")(report, out)
    return out.getvalue()


def test_a_pickled_report_renders_the_same_and_encodes_the_same():
    report = assess(RULES, {**ANSWERS, "condition": "herniated_disc", "smoking": "current", "sure_sure": "no"})
    back = pickle.loads(pickle.dumps(report))
    assert dumps(back) == dumps(report)
    assert _text(back) == _text(report)
    assert back.labels == report.labels and back.key_outcomes == report.key_outcomes

    def titles(r):
        return [p.option_title for o in r.options for f in (*o.benefits, *o.risks) for p in f.compared_with]

    assert titles(report) and titles(back) == titles(report)
    assert set(titles(report)) <= {o.title for o in report.options}


def test_to_dict_is_the_json():
    report = assess(RULES, ANSWERS)
    assert report.to_dict() == json.loads(dumps(report))
    assert report.options[0].to_dict() == json.loads(dumps(report))["options"][0]


def test_fields_made_from_others_follow_them_in_a_copy():
    calm = assess(RULES, ANSWERS)
    urgent = assess(RULES, {**ANSWERS, "bladder_bowel": "yes"})
    assert not calm.urgent and calm.urgent_reminder is None
    copied = replace(calm, urgent_reasons=urgent.urgent_reasons, urgency=urgent.urgency)
    assert copied.urgent and copied.reminder() == urgent.reminder()
    assert copied.questions == calm.questions  # the words for the answers ride along
    sure = assess(RULES, {**ANSWERS, "sure_sure": "no", "sure_understand": "yes"}).sure
    assert sure is not None and sure.conflict
    assert not replace(sure, score=sure.out_of).conflict


DELIBERATED = {
    "weigh_ss_better_sooner": 5,
    "weigh_ss_no_op_risks": 1,
    "quiz_stenosis_therapy": "false",
    "support_involved": ["partner"],
    "support_pressure": "no",
    "plan_steps": ["talk_surgeon", "try_treatment"],
    "plan_try_what": "physical therapy",
    "plan_try_weeks": 6,
}


def test_the_deliberations_words_and_the_outcome_titles_survive_a_pickle_and_a_copy():
    """The deliberation's JSON is ids; the titles and labels its wording needs ride along
    (render/deliberation.py reads them), as do every outcome's title (the cards' headings)."""
    import copy

    report = assess(RULES, {**ANSWERS, **{k: v for k, v in DELIBERATED.items() if k in RULES.factors}})
    d = report.deliberation
    assert d.weighing and d.quiz and d.support and d.plan
    assert report.outcome_titles and "outcome_titles" not in report.to_dict()
    for back in (pickle.loads(pickle.dumps(report)), copy.deepcopy(report), copy.copy(report)):
        assert dumps(back) == dumps(report) and _text(back) == _text(report)
        b = back.deliberation
        assert b.weighing and b.quiz and b.support and b.plan
        assert [s.options for s in b.weighing.sides] == [s.options for s in d.weighing.sides]
        assert all(t != i for s in b.weighing.sides for i, t in s.options)  # titles, not ids again
        assert [(q.statement, q.answer, q.explanation) for q in b.quiz.items] == [
            (q.statement, q.answer, q.explanation) for q in d.quiz.items
        ]
        cards = [q.card for q in b.quiz.items if q.card] + [r.card for r in b.weighing.reasons if r.card]
        assert cards and all(c.option_title != c.option and c.title != c.finding for c in cards)
        assert b.support.involved == d.support.involved and b.plan.steps == d.plan.steps
        assert back.outcome_titles == report.outcome_titles
