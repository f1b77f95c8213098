"""``spinedecide questions``: the interview's questions as text, JSON, a FHIR Questionnaire or its CodeSystems."""

from __future__ import annotations

import json
from pathlib import Path

from ..output import write_json
from ..terminal import Env


def run(env: Env, fmt: str, rules_file: Path | None) -> None:
    from .. import fhir
    from ..rules import load_rules

    ruleset = load_rules(rules_file)
    if fmt == "text":
        env.stdout.write(fhir.interview_text(ruleset))
        return
    make = {"json": fhir.interview, "fhir": fhir.questionnaire, "codesystems": fhir.code_systems}
    data = make[fmt](ruleset)
    write_json(env.stdout, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
