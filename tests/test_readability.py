"""Patient-facing text is plain language: about grade 8 or below (Flesch-Kincaid, textstat 0.7.4)."""

from __future__ import annotations

import re

import pytest

textstat = pytest.importorskip("textstat")

#: A sentence may be a little above grade 8 when it names a study or a medical word that is
#: explained; the average over all the text must stay at grade 8 or below.
MAX_SENTENCE_GRADE = 12.0
MAX_AVERAGE_GRADE = 8.0


def patient_text(rules) -> list[tuple[str, str]]:
    """Every piece of text a patient reads, with where it comes from."""
    out: list[tuple[str, str]] = []
    for f in rules.factors.values():
        out += [(f"factor {f.id} question", f.question), (f"factor {f.id} help", f.help)]
        out += [(f"factor {f.id} choice {c.id}", c.label) for c in f.choices]
    for d in rules.diagnoses.values():
        out += [(f"diagnosis {d.id} about", d.about), (f"diagnosis {d.id} decision", d.decision)]
    for o in rules.options.values():
        out.append((f"option {o.id} summary", o.summary))
    for fid, finding in rules.findings.items():
        out += [(f"finding {fid} title", finding.title), (f"finding {fid} text", finding.text)]
    for r in rules.rules:
        out.append((f"rule {r.id} text", r.text))
    for rf in rules.red_flags:
        out += [(f"red flag {rf.id} text", rf.text), (f"red flag {rf.id} action", rf.action)]
    out.append(("disclaimer", rules.disclaimer))
    return out


#: Medical words the text must use (and explains where they first appear). They are long by
#: nature, so they are read as one short word when grading.
MEDICAL_TERMS = (
    "herniated", "sciatica", "stenosis", "spondylolisthesis", "scoliosis", "physiotherapy",
    "physical therapy", "decompression", "laminectomy", "discectomy", "microdiscectomy", "anaesthetic",
    "anesthetic", "deformity", "vertebra", "instability", "osteoporosis", "dural", "pulmonary embolism",
    "thrombosis", "anti-inflammatory", "opioids", "epidural", "rehabilitation", "medical",
)


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])", " ".join(text.split()))
    return [p for p in parts if len(p.split()) >= 6]  # labels and short titles carry no grade


def grade(sentence: str) -> float:
    cleaned = sentence
    for term in MEDICAL_TERMS:
        cleaned = re.sub(term, "term", cleaned, flags=re.IGNORECASE)
    # Numbers ("34,639", "0.4") are read as numbers, not long words.
    cleaned = re.sub(r"\d[\d,.]*", "5", cleaned)
    return float(textstat.flesch_kincaid_grade(cleaned))


def test_every_sentence_is_plain_language(shipped):
    too_hard = []
    grades = []
    for where, text in patient_text(shipped):
        for sentence in sentences(text):
            g = grade(sentence)
            grades.append(g)
            if g > MAX_SENTENCE_GRADE:
                too_hard.append(f"{where}: grade {g:.1f}: {sentence}")
    assert not too_hard, "\n".join(too_hard)
    average = sum(grades) / len(grades)
    assert average <= MAX_AVERAGE_GRADE, f"average grade {average:.1f}"


def test_the_readability_check_can_fail():
    hard = "Postoperative pseudarthrosis necessitates comprehensive radiographic reevaluation considering multifactorial etiologies."
    assert grade(hard) > MAX_SENTENCE_GRADE
