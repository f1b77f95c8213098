"""``spinedecide rules init FILE``: a copy of the shipped rules file to edit, with its schema beside it."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError
from ..terminal import Env


def run(env: Env, file: Path, *, force: bool) -> None:
    from ..display import escape
    from ..output import write_file
    from ..rules import shipped_rules_path

    shown = escape(str(file))
    if os.path.lexists(file) and not force:
        raise UsageError(f"{shown} already exists; use --force to overwrite it")
    write_file(file, shipped_rules_path().read_bytes(), option="rules init", what="the rules")  # owner-only, atomic
    _write_rules_schema(env, file)
    env.stderr.write(
        f"Wrote {shown}. Edit it, check it with `spinedecide rules check {shown}`, "
        f"use it with `spinedecide ask --rules {shown}`.\n"
    )


def _write_rules_schema(env: Env, copy: Path) -> None:
    """The rules schema beside a copy of the rules file: its yaml-language-server modeline names it."""
    from .. import schema as schemas
    from .schema import write_schemas

    beside = copy.parent / schemas.FILES["rules"]
    text = schemas.dumps(schemas.rules_schema())
    if beside.is_file() and beside.read_text(encoding="utf-8") == text:
        return
    write_schemas(env, copy.parent, {schemas.FILES["rules"]: schemas.rules_schema()}, schemas.dumps)
