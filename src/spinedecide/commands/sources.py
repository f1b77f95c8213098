"""``spinedecide sources``: every source the rules file cites, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from ..output import write_json
from ..terminal import Env


def run(env: Env, fmt: str, rules_file: Path | None) -> None:
    from ..render.common import READ_WORDS, SECONDARY
    from ..rules import load_rules

    ruleset = load_rules(rules_file)
    items = [
        {
            "id": s.id,
            "citation": s.citation,
            "pmid": s.pmid,
            "doi": s.doi,
            "url": s.url,
            "secondary": {"citation": s.secondary.citation, "url": s.secondary.url} if s.secondary else None,
            "read": s.read,
        }
        for s in ruleset.sources.values()
    ]
    if fmt == "json":
        write_json(env.stdout, json.dumps(items, indent=2, ensure_ascii=False) + "\n")
        return
    for n, s in enumerate(ruleset.sources.values(), 1):
        ids = "; ".join(f"{label} {value}" for label, value in (("PMID", s.pmid), ("DOI", s.doi)) if value)
        secondary = f" {SECONDARY} {s.secondary.citation} {s.secondary.url}" if s.secondary else ""
        env.stdout.write(
            f"[{n}] {s.id}: {s.citation}"
            + (f" {ids}." if ids else "")
            + (f" {s.url}" if s.url else "")
            + secondary
            + (f" {READ_WORDS[s.read]}" if s.read else "")
            + "\n"
        )
