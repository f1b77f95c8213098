"""Patient-facing text is plain language: about grade 8 or below (Flesch-Kincaid, textstat 0.7.4).

The same check runs in `spinedecide rules check`; this test holds the shipped rules to it.
"""

from __future__ import annotations

import pytest

pytest.importorskip("textstat")

from spinedecide.authoring import MAX_SENTENCE_GRADE, check, grade, patient_text  # noqa: E402


def test_every_sentence_is_plain_language():
    """The one readability test of the shipped rules: exactly what `spinedecide rules check` runs
    (every sentence at most grade 12, the average at most grade 8)."""
    result = check(None)
    assert any(note.startswith("plain language: ") for note in result.notes), result.notes  # it really ran
    too_hard = [str(p) for p in result.errors if "reading grade" in str(p)]
    assert not too_hard, "\n".join(too_hard)


def test_the_text_covers_every_kind_of_patient_text(shipped):
    kinds = {where.split()[0] for where, _line, _text in patient_text(shipped)}
    assert {
        "factor",
        "diagnosis",
        "option",
        "finding",
        "rule",
        "red",
        "priority",
        "SURE",
        "question",
        "knowledge",
        "disclaimer",
    } <= kinds


def test_the_readability_check_can_fail():
    hard = (
        "Postoperative pseudarthrosis necessitates comprehensive radiographic reevaluation considering multifactorial "
        "etiologies."
    )
    assert grade(hard) > MAX_SENTENCE_GRADE
