"""``spinedecide response FILE``: answers as a FHIR R4 QuestionnaireResponse ("in-progress" when some are missing)."""

from __future__ import annotations

import json
from pathlib import Path

from ..output import write_json
from ..terminal import Env
from .ask import check_targets, read_answers_option


def run(env: Env, file: str, output: Path | None, rules_file: Path | None) -> None:
    from ..answers import check, merge, missing, read_answers
    from ..display import escape
    from ..fhir import response_from_answers
    from ..output import write_file
    from ..rules import load_rules

    ruleset = load_rules(rules_file)
    raw = read_answers_option(env, ruleset, file, read_answers)
    check_targets(file, output, None)
    given = check(ruleset, merge(raw)).values  # checked answers, before anything is derived from them
    resource = response_from_answers(ruleset, given, quantities=True)
    if missing(ruleset, given):
        resource["status"] = "in-progress"
    text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        write_json(env.stdout, text)
        return
    write_file(output, text, option="--output", what="the QuestionnaireResponse")  # owner-only, atomic
    env.stderr.write(f"QuestionnaireResponse written to {escape(str(output))}\n")
