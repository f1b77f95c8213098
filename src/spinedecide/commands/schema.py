"""``spinedecide schema``: a JSON Schema on standard output, or all of them written into a folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..output import write_json
from ..terminal import Env


def run(env: Env, name: str | None, rules_file: Path | None, write_dir: Path | None) -> None:
    from .. import schema as schemas

    if write_dir is not None:
        from ..rules import load_rules

        write_schemas(env, write_dir, schemas.documents(load_rules(rules_file)), schemas.dumps)
        return
    if name is None:
        raise UsageError("name a schema (answers, report, rules, batch-error or batch-status), or give --write-dir DIR")
    if name == "batch-error":
        document = schemas.batch_error_schema()
    elif name == "batch-status":
        document = schemas.batch_status_schema()
    elif name == "answers":
        from ..rules import load_rules

        document = schemas.answers_schema(load_rules(rules_file))
    elif name == "report":
        document = schemas.report_schema()
    else:
        document = schemas.rules_schema()
    write_json(env.stdout, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def write_schemas(env: Env, folder: Path, documents: dict[str, Any], dumps: Callable[[Any], str]) -> None:
    """Each document into ``folder`` (owner-only, atomic), and what was written said on stderr."""
    from ..display import escape
    from ..output import write_file

    if not folder.is_dir():
        raise UsageError(f"--write-dir {escape(str(folder))}: not a folder")
    for file_name, document in documents.items():
        write_file(folder / file_name, dumps(document), option="--write-dir", what="the schema")  # owner-only, atomic
    env.stderr.write(f"Wrote {', '.join(documents)} in {escape(str(folder))}\n")
