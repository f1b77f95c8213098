"""Patient-facing text is plain language: about grade 8 or below (Flesch-Kincaid, textstat 0.7.4).

The same check runs in `spinedecide rules check`; this test holds the shipped rules to it.
"""

from __future__ import annotations

import pytest

pytest.importorskip("textstat")

from spinedecide.authoring import MAX_AVERAGE_GRADE, MAX_SENTENCE_GRADE, grade, patient_text, sentences  # noqa: E402


def test_every_sentence_is_plain_language(shipped):
    too_hard = []
    grades = []
    for where, line, text in patient_text(shipped):
        for sentence in sentences(text):
            g = grade(sentence)
            grades.append(g)
            if g > MAX_SENTENCE_GRADE:
                too_hard.append(f"{where} (line {line}): grade {g:.1f}: {sentence}")
    assert not too_hard, "\n".join(too_hard)
    average = sum(grades) / len(grades)
    assert average <= MAX_AVERAGE_GRADE, f"average grade {average:.1f}"


def test_the_text_covers_every_kind_of_patient_text(shipped):
    kinds = {where.split()[0] for where, _line, _text in patient_text(shipped)}
    assert {"factor", "diagnosis", "option", "finding", "rule", "red", "priority", "SURE", "question", "knowledge", "disclaimer"} <= kinds


def test_the_readability_check_can_fail():
    hard = "Postoperative pseudarthrosis necessitates comprehensive radiographic reevaluation considering multifactorial etiologies."
    assert grade(hard) > MAX_SENTENCE_GRADE
