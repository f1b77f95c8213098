"""``spinedecide about``: who wrote and reviewed the rules, when, and the file's version and sha256."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..output import write_json
from ..terminal import Env

#: Each field's label in the text form, in the order shown.
LABELS = {
    "title": "Title",
    "version": "Rules version",
    "published": "Published",
    "reviewed": "Last reviewed",
    "next_review": "Next review due",
    "update_policy": "Update policy",
    "evidence_search": "Evidence searched",
    "authors": "Authors",
    "reviewers": "Reviewers",
    "funding": "Funding",
    "conflicts_of_interest": "Conflicts of interest",
    "rules_file": "Rules file",
    "sha256": "sha256",
    "spinedecide_version": "spinedecide",
}


def run(env: Env, fmt: str, rules_file: Path | None) -> None:
    from ..rules import load_rules

    ruleset = load_rules(rules_file)
    data = {
        **ruleset.metadata,
        "rules_file": ruleset.path,
        "sha256": ruleset.sha256,
        "spinedecide_version": __version__,
    }
    if fmt == "json":
        write_json(env.stdout, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    for key, label in LABELS.items():
        value = data.get(key)
        shown = ", ".join(value) if isinstance(value, list) else value
        env.stdout.write(f"{label}: {shown}\n")
