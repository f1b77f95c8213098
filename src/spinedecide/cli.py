"""The command line: the Typer declarations (commands, options, help), and the one place that
turns errors into exit codes.

This is the only module that imports Typer. Each command's work is in a module named for it,
under ``commands/`` (``batch.py`` for batch), imported only when that command runs. Every
command runs inside :func:`boundary`, the single place where errors become messages and exit
codes (see ``errors.ExitCode``).
"""

import contextlib
import copy
import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from .errors import ExitCode, Interrupted, SpinedecideError
from .terminal import Env

app = typer.Typer(
    name="spinedecide",
    help=(
        "A shared-decision aid for adults considering lumbar (back) surgery.\n\n"
        "It asks about your health and your back, then shows what surgery and care without "
        "surgery can offer and risk, with cited figures. It prepares you for a talk with a spine "
        "specialist; it does not decide for you. It works offline and stores nothing unless you ask."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


#: The same --rules option, with the same help, on every command that reads a rules file.
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules", metavar="FILE", help="Use another rules file (e.g. a clinic's own) instead of the shipped one."
    ),
]


class Detail(StrEnum):
    key = "key"
    cards = "cards"
    full = "full"


class Format(StrEnum):
    auto = "auto"
    rich = "rich"
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    note = "note"
    fhir = "fhir"


@contextlib.contextmanager
def boundary(env: Env, *, json_errors: bool = False, debug: bool = False) -> Iterator[None]:
    """The one place where exceptions become messages and exit codes.

    While it runs, SIGTERM and SIGHUP stop the command as Ctrl-C does (``signals.armed``), with
    exit 128 + the signal.
    """
    from . import signals

    try:
        with signals.armed():
            yield
            env.stdout.flush()
    except typer.Exit:
        raise
    except Interrupted as stop:
        lines = ["\nStopped. Nothing was sent anywhere."]
        if stop.saved_to:
            lines.append(f"Your answers so far are saved in {stop.saved_to}.")
            lines.append(f"To carry on later: spinedecide ask --answers {stop.saved_to} --save-answers {stop.saved_to}")
        elif stop.unanswered:
            lines.append("Your answers were not saved. Use --save-answers FILE to keep them next time.")
        text = "\n".join(lines)
        _error(
            env,
            text,
            {"error": "interrupted", "message": text.strip(), "saved_to": stop.saved_to, "problems": []},
            json_errors,
        )
        raise typer.Exit(signals.exit_code()) from None
    except KeyboardInterrupt:
        _stopped(env, json_errors)
    except SpinedecideError as exc:
        _error(env, f"spinedecide: {exc.render()}", exc.to_dict(), json_errors)
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): end quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(ExitCode.OK) from None
    except Exception as exc:
        if _caused_by_a_stop(exc):
            # Python wraps a Ctrl-C that lands inside some of its own machinery (creating a
            # class calls __set_name__, for one) in a RuntimeError: still a stop, not a bug.
            _stopped(env, json_errors)
        if debug:
            import traceback

            traceback.print_exc(file=env.stderr)
        message = (
            f"spinedecide: internal error (a bug, not something you did): {type(exc).__name__}: {exc}\n"
            "Run again with --debug to see the details."
        )
        _error(
            env,
            message,
            {"error": "internal_error", "message": f"{type(exc).__name__}: {exc}", "problems": []},
            json_errors,
        )
        raise typer.Exit(ExitCode.INTERNAL) from None


def _stopped(env: Env, json_errors: bool) -> NoReturn:
    from . import signals

    _error(env, "\nStopped.", {"error": "interrupted", "message": "stopped by the user", "problems": []}, json_errors)
    raise typer.Exit(signals.exit_code()) from None


def _caused_by_a_stop(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt (Ctrl-C, or SIGTERM/SIGHUP while a command runs) is behind ``exc``."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _error(env: Env, text: str, data: dict[str, Any], json_errors: bool) -> None:
    """A message on standard error, with anything from input escaped (it may be closed: then
    nothing is shown, and the exit code stays the same)."""
    from .display import escape

    with contextlib.suppress(OSError, ValueError, AttributeError):
        if json_errors:
            env.stderr.write(escape(json.dumps(data, ensure_ascii=False)) + "\n")
        else:
            env.stderr.write(escape(text.rstrip()) + "\n")
        env.stderr.flush()


def _version(value: bool) -> None:
    if not value:
        return
    from .commands import version

    text = version.lines()
    env = Env.from_system()
    with boundary(env):
        version.run(env, text)
    raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the program's and the rules file's versions, and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """A shared-decision aid for adults considering lumbar (back) surgery."""


@app.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  spinedecide ask                                  # the interview; report in the terminal\n"
        "  spinedecide ask --save-answers me.yaml           # keep your answers to come back to\n"
        "  spinedecide ask --answers me.yaml --format json  # the report as JSON from saved answers\n"
        "  spinedecide ask --answers - --no-input < me.json # for scripts: never prompts\n"
        "  spinedecide ask --set age=67 --set smoking=current --explain"
    )
)
def ask(
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE",
            help="Pre-filled answers (YAML or JSON); '-' reads standard input. Only missing questions are asked.",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="ID=VALUE", help="Set one answer, e.g. --set age=67. Repeatable; wins over --answers."
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; exit 2 naming any missing answers.")
    ] = False,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help=(
                "Report format: rich (default on a terminal), text (default otherwise), json, "
                "markdown (for notes and tickets), html (one printable page for the visit: "
                "--format html --output visit.html) or note (a short plain-text note for the medical record)."
            ),
        ),
    ] = Format.auto,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=(
                "Write the report to FILE (owner-only permissions) instead of standard output. Without "
                "--format, the extension (.html, .md, .json, .txt) picks the format."
            ),
        ),
    ] = None,
    save_answers: Annotated[
        Path | None,
        typer.Option(
            "--save-answers",
            metavar="FILE",
            help="Save your answers to FILE (owner-only), after every answer, so you can come back to them.",
        ),
    ] = None,
    rules: RulesOption = None,
    patient_id: Annotated[
        str | None,
        typer.Option(
            "--patient-id",
            metavar="SYSTEM|VALUE",
            help="With --format fhir: the patient's identifier in the record (otherwise the Patient is anonymous).",
        ),
    ] = None,
    detail: Annotated[
        Detail | None,
        typer.Option(
            "--detail",
            help=(
                "key: only the key points (the default on a terminal); cards: and a card for each "
                "outcome; full: and the pictures, sources and methods (the default in a pipe or a "
                "file). JSON and FHIR always hold everything."
            ),
        ),
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never show a long report through a pager (PAGER= does the same).")
    ] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show which rules fired and why.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour (NO_COLOR is honoured too).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
) -> None:
    """Answer the questions and get a tailored, cited summary of your options.

    Questions and messages go to the terminal (standard error); the report goes to standard
    output, so `spinedecide ask --format json > report.json` works while you answer.
    """
    env = Env.from_system()
    with boundary(env, json_errors=fmt is Format.json, debug=debug):
        from .commands import ask as command

        command.run(
            env,
            answers_file=answers,
            set_items=set_ or [],
            no_input=no_input,
            fmt=fmt.value,
            output=output,
            save_answers=save_answers,
            rules_file=rules,
            explain=explain,
            no_color=no_color,
            patient_id=patient_id,
            detail=detail.value if detail else None,
            no_pager=no_pager,
        )


class BatchFormat(StrEnum):
    json = "json"
    fhir = "fhir"
    text = "text"
    markdown = "markdown"
    html = "html"
    note = "note"


@app.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  spinedecide batch people.jsonl > reports.jsonl        # one report (or error) per line, in order\n"
        "  spinedecide batch people.jsonl --workers 4 > out.jsonl # use four processes; same output\n"
        "  cat people.jsonl | spinedecide batch - | jq .urgent\n"
        "  spinedecide batch people.jsonl --format html --out-dir handouts/  # one printable page per line"
    )
)
def batch(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="JSON Lines: one JSON object of answers per line; '-' reads standard input."
        ),
    ],
    workers: Annotated[
        int,
        typer.Option(
            "--workers", "-w", metavar="N", help="Worker processes (0: one per CPU). The output is the same for any N."
        ),
    ] = 1,
    rules: RulesOption = None,
    fmt: Annotated[
        BatchFormat,
        typer.Option(
            "--format",
            "-f",
            help=(
                "json (the JSON report, the default) or fhir (a FHIR R4 document Bundle per line); with --out-dir "
                "also text, markdown, html or note (a file per line, as ask --output writes it)."
            ),
        ),
    ] = BatchFormat.json,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            help=(
                "Write one owner-only file per line into DIR (made owner-only if new), named line-000001.html "
                'or by the line\'s "_file" key; standard output gets a status record per line.'
            ),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="With --out-dir: replace files already there.")] = False,
    detail: Annotated[
        Detail | None,
        typer.Option("--detail", help="With --out-dir: key (the key points only) or full (everything, the default)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
) -> None:
    """Assess many people at once: JSON Lines of answers in, one JSON report per line out.

    Output line N is the report for input line N, or in its place an error object
    {"line": N, "error", "message", "problems"}; a bad or blank line never stops the run.
    A summary goes to standard error. Exit 0 if every line gave a report, 2 if any failed.

    With --out-dir DIR, one file per line instead (handouts), and standard output gets a status
    record per line: {"line": N, "file", "urgent"}, or the error object. Existing files are
    never replaced without --force.
    """
    env = Env.from_system()
    with boundary(env, debug=debug):
        from .batch import run_command

        code = run_command(
            env,
            file,
            workers=workers,
            rules_file=rules,
            fmt=fmt.value,
            out_dir=out_dir,
            force=force,
            detail=detail.value if detail else None,
        )
    if code:
        raise typer.Exit(code)


class QuestionsFormat(StrEnum):
    text = "text"
    json = "json"
    fhir = "fhir"
    codesystems = "codesystems"


@app.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  spinedecide questions                                    # numbered, with ids, "
        "choices and when each applies\n"
        "  spinedecide questions --format json | jq '.[].id'\n"
        "  spinedecide questions --format fhir > questionnaire.json # a FHIR R4 Questionnaire\n"
        "  spinedecide ask --answers response.json                  # a FHIR QuestionnaireResponse back"
    )
)
def questions(
    fmt: Annotated[
        QuestionsFormat,
        typer.Option(
            "--format",
            "-f",
            help=(
                "text (default), json (a list of questions), fhir (a FHIR R4 Questionnaire) or codesystems (its "
                "answer codes as FHIR CodeSystems)."
            ),
        ),
    ] = QuestionsFormat.text,
    rules: RulesOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
) -> None:
    """List the interview's questions, in the order they are asked (safety questions first)."""
    env = Env.from_system()
    with boundary(env, json_errors=fmt is not QuestionsFormat.text, debug=debug):
        from .commands import questions as command

        command.run(env, fmt.value, rules)


@app.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  spinedecide response me.yaml > response.json          # answers -> FHIR QuestionnaireResponse\n"
        "  spinedecide response me.yaml --output response.json   # written owner-only"
    )
)
def response(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="An answers file (YAML or JSON); '-' reads standard input.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of standard output."),
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Write answers as a FHIR R4 QuestionnaireResponse (height and weight as UCUM quantities).

    The answers are checked first; missing ones make the response "in-progress".
    """
    env = Env.from_system()
    with boundary(env, json_errors=True):
        from .commands import response as command

        command.run(env, file, output, rules)


class SchemaName(StrEnum):
    answers = "answers"
    report = "report"
    rules = "rules"
    batch_error = "batch-error"
    batch_status = "batch-status"


@app.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  spinedecide schema report > report.schema.json\n"
        "  spinedecide schema rules > rules.schema.json     # for an editor's YAML language server\n"
        "  spinedecide schema answers --rules clinic.yaml\n"
        "  spinedecide schema --write-dir schemas/           # all of them, as files"
    )
)
def schema(
    name: Annotated[
        SchemaName | None,
        typer.Argument(help="Which document: answers, report, rules, batch-error or batch-status."),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", metavar="FILE", help="The rules file whose questions the answers schema describes."),
    ] = None,
    write_dir: Annotated[
        Path | None,
        typer.Option(
            "--write-dir",
            metavar="DIR",
            help="Write every schema into DIR (answers, report, rules, batch-error, batch-status .schema.json).",
        ),
    ] = None,
) -> None:
    """Print a JSON Schema (draft 2020-12) for the answers file, the JSON report, the rules file or a batch line.

    The schemas are generated from the same definitions the program validates with.
    """
    env = Env.from_system()
    with boundary(env, json_errors=True):
        from .commands import schema as command

        command.run(env, name.value if name is not None else None, rules, write_dir)


class ListFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(epilog="Examples:\n\n\b\n  spinedecide sources\n  spinedecide sources --format json | jq '.[] | .pmid'")
def sources(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    rules: RulesOption = None,
) -> None:
    """List every source the rules file cites (citation, PMID, DOI, link)."""
    env = Env.from_system()
    with boundary(env, json_errors=fmt is ListFormat.json):
        from .commands import sources as command

        command.run(env, fmt.value, rules)


@app.command(epilog="Examples:\n\n\b\n  spinedecide about\n  spinedecide about --format json")
def about(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    rules: RulesOption = None,
) -> None:
    """Who wrote and reviewed the rules, when, the update policy, funding, conflicts of interest, version and sha256."""
    env = Env.from_system()
    with boundary(env, json_errors=fmt is ListFormat.json):
        from .commands import about as command

        command.run(env, fmt.value, rules)


rules_app = typer.Typer(help="Tools for the people who write and maintain rules files.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command(
    "check",
    epilog=(
        "Examples:\n\n\b\n"
        "  spinedecide rules check                  # the shipped rules\n"
        "  spinedecide rules check clinic.yaml\n"
        "  spinedecide rules check --ipdas clinic.yaml\n"
        "  spinedecide rules check clinic.yaml --format json | jq '.errors[]'"
    ),
)
def rules_check(
    file: Annotated[
        Path | None, typer.Argument(metavar="[FILE]", help="The rules file (default: the shipped one).")
    ] = None,
    ipdas: Annotated[
        bool,
        typer.Option(
            "--ipdas", help="Also print the IPDAS checklist; exit 2 if a qualifying or certifying criterion is not met."
        ),
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
) -> None:
    """Check a rules file: every problem with file:line, at once. Exit 2 if any is an error.

    Beyond what loading checks (unknown factors or values, unknown operators, duplicate ids,
    missing or unused sources, figures without a time frame), it finds rules that no answers
    can ever fire (contradictory conditions), relative risks that lower a risk, and patient text
    above the reading-grade limit.
    """
    env = Env.from_system()
    with boundary(env, json_errors=fmt is ListFormat.json):
        from .commands import rules_check as command

        failed = command.run(env, file, ipdas=ipdas, fmt=fmt.value)
    if failed:
        raise typer.Exit(ExitCode.BAD_INPUT)


@rules_app.command(
    "show",
    epilog=(
        "Examples:\n\n\b\n  spinedecide rules show smoking_wound_infection\n"
        "  spinedecide rules show decompression_infection"
    ),
)
def rules_show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A rule id (or a finding, red flag or factor id).")],
    rules: RulesOption = None,
) -> None:
    """Show one rule: when it applies, what it says, the findings it changes and its sources."""
    env = Env.from_system()
    with boundary(env):
        from .commands import rules_show as command

        command.run(env, ident, rules)


@rules_app.command(
    "init", epilog="Examples:\n\n\b\n  spinedecide rules init clinic.yaml\n  spinedecide ask --rules clinic.yaml"
)
def rules_init(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Start a clinic's own rules file: a copy of the shipped one, to edit and use with --rules."""
    env = Env.from_system()
    with boundary(env):
        from .commands import rules_init as command

        command.run(env, file, force=force)


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments: only the command they name, when they name one.

    Typer reads every command's signature to build the command line, which is a visible part of
    start-up; building only the command being run keeps it short. No command, a top-level option
    (``--help``, ``--version``), a name that is not a command (so that Typer suggests one) or shell
    completion (which passes no arguments) all get the whole app, so nothing a user sees changes.
    """
    if not argv or argv[0].startswith("-"):
        return app
    commands = [
        c
        for c in app.registered_commands
        if (c.name or (c.callback and typer.main.get_command_name(c.callback.__name__))) == argv[0]
    ]
    groups = [g for g in app.registered_groups if g.name == argv[0]]
    if not commands and not groups:
        return app
    only = copy.copy(app)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def main() -> None:
    """Console entry point."""
    try:
        app_for(sys.argv[1:])(prog_name="spinedecide")
    except KeyboardInterrupt:  # pressed before a command's own boundary was reached
        sys.stderr.write("\nStopped.\n")
        raise SystemExit(ExitCode.INTERRUPTED) from None
    except OSError as exc:  # standard output failed while Typer wrote help or a usage message
        from .errors import OutputError

        env = Env.from_system()
        env.stdout._silence()  # type: ignore[attr-defined]  # Env.stdout is a SafeStream, typed as TextIO
        _error(
            env, f"spinedecide: {OutputError(f'cannot write to standard output: {exc.strerror}').render()}", {}, False
        )
        raise SystemExit(ExitCode.BAD_INPUT) from None
