"""The command line: parse arguments, pick input and output, and turn errors into exit codes.

This is the only module that imports Typer. Every command runs inside :func:`boundary`, the
single place where errors become messages and exit codes (see ``errors.ExitCode``).
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

from . import __version__
from .errors import ExitCode, Interrupted, SpinedecideError, UsageError
from .output import write_json
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
    lines = [f"spinedecide {__version__}"]
    try:
        from .rules import load_rules

        rules = load_rules()
        meta = rules.metadata
        lines.append(f"rules {rules.version} (reviewed {rules.reviewed}; next review due {meta.get('next_review')})")
        lines.append(f"update policy: {meta.get('update_policy')}")
    except SpinedecideError as exc:
        lines.append(f"rules: cannot be loaded ({exc.problems[0]})")
    env = Env.from_system()
    with boundary(env):
        env.stdout.write("\n".join(lines) + "\n")
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
                "key: only the key points (the default on a terminal); full: the key points, then "
                "everything (the default in a pipe or a file). JSON and FHIR always hold everything."
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
        run_ask(
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


def run_ask(
    env: Env,
    *,
    answers_file: str | None,
    set_items: list[str],
    no_input: bool,
    fmt: str,
    output: Path | None,
    save_answers: Path | None,
    rules_file: Path | None,
    explain: bool,
    no_color: bool,
    patient_id: str | None = None,
    detail: str | None = None,
    no_pager: bool = False,
) -> None:
    """answers -> validate -> (interview) -> assess -> render. No Typer in here."""
    from .answers import merge, missing, parse_set, read_answers, urgent, validate
    from .engine import assess
    from .render import render, resolve_format
    from .rules import load_rules

    if patient_id is not None:  # checked before any question is asked
        if fmt != "fhir":
            raise UsageError("--patient-id is only for --format fhir")
        from .fhir.document import parse_patient_id

        parse_patient_id(patient_id)
    fmt = _format_for_output(env, fmt, output)
    ruleset = load_rules(rules_file)
    layers = [_read_answers_option(env, ruleset, answers_file, read_answers), parse_set(set_items)]
    _check_targets(answers_file, output, save_answers)
    given = dict(validate(ruleset, merge(*layers), complete=False).values)

    can_ask = not no_input and answers_file != "-"
    if missing(ruleset, given):
        if not can_ask:
            # A red flag makes the missing answers optional (validate below allows it); otherwise
            # this raises, naming every missing answer.
            why = "--no-input was given" if no_input else "answers came from standard input"
            validate(ruleset, given, complete=True)
            if not urgent(ruleset, given):  # pragma: no cover - validate raised
                raise UsageError(f"answers are missing and {why}")
        else:
            given = _interview(env, ruleset, given, save_answers, no_color)
    elif can_ask and env.stdin_isatty:
        # A person at a terminal who resumes from saved answers is still asked the optional
        # questions they have not reached (e.g. what matters to them); scripts never are.
        from .interview import pending

        if pending(ruleset, given):
            given = _interview(env, ruleset, given, save_answers, no_color)
    final = validate(ruleset, given, complete=True)
    if save_answers is not None:
        _save(save_answers, given)

    report = assess(ruleset, final)
    shown = resolve_format(fmt, env.stdout_isatty and output is None)
    if shown == "fhir":  # the FHIR document also holds the answers as a QuestionnaireResponse
        from .fhir.document import renderer as fhir_renderer

        render = fhir_renderer(ruleset, patient_id=patient_id)
    if output is not None:
        import io

        from .display import escape
        from .output import write_file

        buffer = io.StringIO()
        render(report, shown, buffer, explain=explain, color=False, width=100, detail=detail or "full")
        write_file(output, escape(buffer.getvalue()), option="--output", what="the report")  # always UTF-8
        env.stderr.write(f"Report written to {escape(str(output))}\n")
        return
    color = shown == "rich" and env.color_for(env.stdout_isatty, no_color)
    width = min(env.width, 120) if env.stdout_isatty else 100
    # Render completely before writing, so that an error never leaves half a report on stdout.
    import io

    from .output import write_json, write_raw

    # On a terminal a person sees the key points first, and the rest on asking (--detail full);
    # a pipe or a file keeps the whole report, so scripts work as before.
    on_terminal = env.stdout_isatty and shown in ("rich", "text")
    buffer = io.StringIO()
    render(
        report,
        shown,
        buffer,
        explain=explain,
        color=color,
        width=width if shown == "rich" else min(width, 80),
        ascii=env.stdout_ascii,
        detail=detail or ("key" if on_terminal else "full"),
    )
    if on_terminal and not (no_pager or env.stdout_ascii or report.urgent) and _paged(buffer.getvalue(), raw=color):
        return
    if shown == "json":
        write_json(env.stdout, buffer.getvalue())  # UTF-8 whatever the locale
    elif color:
        write_raw(env.stdout, buffer.getvalue())  # Rich's own escape sequences; the text is checked
    else:
        env.stdout.write(buffer.getvalue())
    env.stdout.flush()


def _paged(text: str, *, raw: bool) -> bool:
    """A long report through the pager; False when it is short or there is no pager to run."""
    from . import pager
    from .display import escape

    return pager.too_long(text) and pager.page(text if raw else escape(text))


def _read_answers_option(env: Env, ruleset: Any, answers_file: str | None, read_answers: Any) -> Any:
    """The --answers file's answers; a FHIR QuestionnaireResponse is converted to plain answers."""
    if answers_file is None:
        return None
    from .terminal import open_input

    with open_input(env, answers_file, "answers file") as (stream, name, _size):
        raw = read_answers(stream, name)
    if "resourceType" not in raw.values:  # plain answers: no need for the FHIR code
        return raw
    from .fhir import from_raw_answers

    return from_raw_answers(ruleset, raw, note=lambda text: env.stderr.write(f"Note: {text}\n"))


#: The report formats an --output file's extension means, the first when --format is not given.
OUTPUT_EXTENSIONS = {
    ".html": ("html",),
    ".htm": ("html",),
    ".md": ("markdown",),
    ".markdown": ("markdown",),
    ".json": ("json", "fhir"),
    ".txt": ("text", "note"),
}


def _format_for_output(env: Env, fmt: str, output: Path | None) -> str:
    """``--output visit.html`` without ``--format``: html, said on stderr. An explicit --format
    wins, with a warning when the extension means another; an unknown extension changes nothing."""
    from .display import escape

    formats = OUTPUT_EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if output is None or formats is None:
        return fmt
    name = escape(output.name)
    if fmt == "auto":
        env.stderr.write(f"Writing the report as {formats[0]}, from the file name {name} (--format chooses another).\n")
        return formats[0]
    if fmt not in formats:
        env.stderr.write(f"Warning: {name} looks like {formats[0]}, but --format {fmt} was given: writing {fmt}.\n")
    return fmt


def _check_targets(answers_file: str | None, output: Path | None, save_answers: Path | None) -> None:
    """Refuse, before anything is asked, files that cannot be written, and a report that would
    overwrite the person's answers (the same file under another name or a hard link counts).
    ``--save-answers`` may be the ``--answers`` file: that is how a person resumes."""
    from .display import escape
    from .output import check_target, same_file

    if output is not None:
        check_target(output, "--output")
        for option, other in (
            ("--answers", answers_file if answers_file != "-" else None),
            ("--save-answers", save_answers),
        ):
            if other is not None and same_file(output, other):
                raise UsageError(
                    f"--output {escape(str(output))} is the same file as {option} {escape(str(other))}; "
                    "the report would overwrite the answers. Give another file name"
                )
    if save_answers is not None:
        check_target(save_answers, "--save-answers")


def _save(path: Path, values: dict[str, Any]) -> None:
    from .output import write_file

    if path.suffix.lower() == ".json":
        text = json.dumps(values, ensure_ascii=False, indent=2) + "\n"
    else:
        from . import _yaml

        text = "# spinedecide answers. Resume with: spinedecide ask --answers THIS_FILE\n" + _yaml.dump(values)
    write_file(path, text, option="--save-answers", what="the answers")


def _interview(
    env: Env, ruleset: Any, given: dict[str, Any], save_answers: Path | None, no_color: bool
) -> dict[str, Any]:
    from . import interview

    prompter = interview.StreamPrompter(env.stderr, env.stdin, color=env.color_for(env.stderr_isatty, no_color))
    on_answer = (lambda values: _save(save_answers, values)) if save_answers is not None else None
    if on_answer is not None:
        on_answer(given)  # pre-filled answers are kept even if the person stops at once

    def preview(values: dict[str, Any]) -> str | None:
        from .answers import validate
        from .engine import assess
        from .errors import AnswersError
        from .render.text import options_preview

        try:
            return options_preview(assess(ruleset, validate(ruleset, values, complete=True)), width=min(env.width, 100))
        except AnswersError:  # not everything needed is answered yet: no preview
            return None

    try:
        return interview.run(ruleset, given, prompter, on_answer=on_answer, before_values=preview)
    except Interrupted as stop:
        stop.saved_to = str(save_answers) if save_answers is not None else None
        raise


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
        from . import fhir
        from .rules import load_rules

        ruleset = load_rules(rules)
        if fmt is QuestionsFormat.text:
            env.stdout.write(fhir.interview_text(ruleset))
        else:
            make = {
                QuestionsFormat.json: fhir.interview,
                QuestionsFormat.fhir: fhir.questionnaire,
                QuestionsFormat.codesystems: fhir.code_systems,
            }
            data = make[fmt](ruleset)
            write_json(env.stdout, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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
        from .answers import merge, missing, read_answers, validate
        from .display import escape
        from .fhir import response_from_answers
        from .output import write_file
        from .rules import load_rules

        ruleset = load_rules(rules)
        raw = _read_answers_option(env, ruleset, file, read_answers)
        _check_targets(file, output, None)
        checked = validate(ruleset, merge(raw), complete=False)
        given = {k: v for k, v in checked.values.items() if k not in checked.derived}
        resource = response_from_answers(ruleset, given, quantities=True)
        if missing(ruleset, given):
            resource["status"] = "in-progress"
        text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            write_json(env.stdout, text)
            return
        write_file(output, text, option="--output", what="the QuestionnaireResponse")  # owner-only, atomic
        env.stderr.write(f"QuestionnaireResponse written to {escape(str(output))}\n")


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
        from . import schema as schemas

        if write_dir is not None:
            from .rules import load_rules

            _write_schemas(env, write_dir, schemas.documents(load_rules(rules)), schemas.dumps)
            return
        if name is None:
            raise UsageError(
                "name a schema (answers, report, rules, batch-error or batch-status), or give --write-dir DIR"
            )
        if name is SchemaName.batch_error:
            document = schemas.batch_error_schema()
        elif name is SchemaName.batch_status:
            document = schemas.batch_status_schema()
        elif name is SchemaName.answers:
            from .rules import load_rules

            document = schemas.answers_schema(load_rules(rules))
        elif name is SchemaName.report:
            document = schemas.report_schema()
        else:
            document = schemas.rules_schema()
        write_json(env.stdout, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _write_schemas(env: Env, folder: Path, documents: dict[str, Any], dumps: Any) -> None:
    from .display import escape
    from .output import write_file

    if not folder.is_dir():
        raise UsageError(f"--write-dir {escape(str(folder))}: not a folder")
    for file_name, document in documents.items():
        write_file(folder / file_name, dumps(document), option="--write-dir", what="the schema")  # owner-only, atomic
    env.stderr.write(f"Wrote {', '.join(documents)} in {escape(str(folder))}\n")


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
        from .render.common import READ_WORDS, SECONDARY
        from .rules import load_rules

        ruleset = load_rules(rules)
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
        if fmt is ListFormat.json:
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


@app.command(epilog="Examples:\n\n\b\n  spinedecide about\n  spinedecide about --format json")
def about(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    rules: RulesOption = None,
) -> None:
    """Who wrote and reviewed the rules, when, the update policy, funding, conflicts of interest, version and sha256."""
    env = Env.from_system()
    with boundary(env, json_errors=fmt is ListFormat.json):
        from .rules import load_rules

        ruleset = load_rules(rules)
        data = {
            **ruleset.metadata,
            "rules_file": ruleset.path,
            "sha256": ruleset.sha256,
            "spinedecide_version": __version__,
        }
        if fmt is ListFormat.json:
            write_json(env.stdout, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
            return
        labels = {
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
        for key, label in labels.items():
            value = data.get(key)
            shown = ", ".join(value) if isinstance(value, list) else value
            env.stdout.write(f"{label}: {shown}\n")


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
        from . import authoring

        result = authoring.check(file)
        criteria = authoring.ipdas(result.ruleset) if ipdas and result.ruleset is not None else []
        failed = not result.ok or (ipdas and (result.ruleset is None or authoring.ipdas_failed(criteria)))
        if fmt is ListFormat.json:
            data = {
                "file": result.file,
                "ok": not failed,
                "errors": [p.to_dict() for p in result.errors],
                "warnings": [p.to_dict() for p in result.warnings],
                "notes": result.notes,
            }
            if ipdas:
                data["ipdas"] = [
                    {
                        "number": c.number,
                        "level": c.level,
                        "criterion": c.wording,
                        "status": c.status,
                        "details": [p.to_dict() for p in c.details],
                    }
                    for c in criteria
                ]
            write_json(env.stdout, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        else:
            for problem in result.errors:
                env.stdout.write(f"error: {problem}\n")
            for problem in result.warnings:
                env.stdout.write(f"warning: {problem}\n")
            for note in result.notes:
                env.stdout.write(f"note: {note}\n")
            if criteria:
                env.stdout.write("\nIPDAS checklist (IPDASi v4.0 numbering):\n")
                for c in criteria:
                    env.stdout.write(f"  [{c.status}] {c.number} ({c.level}) {c.wording}\n")
                    for p in c.details:
                        env.stdout.write(f"      - {p}\n")
            n = len(result.errors)
            verdict = "FAILED" if failed else "OK"
            env.stdout.write(
                f"\n{result.file}: {verdict}: {n} error{'s' if n != 1 else ''}, "
                f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}\n"
            )
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
        from .conditions import suggest
        from .rules import load_rules

        ruleset = load_rules(rules)
        out: list[str] = []

        def cite(ids: tuple[str, ...]) -> None:
            for s in ids:
                out.append(f"  source {s}: {ruleset.sources[s].citation}")

        rule = next((r for r in ruleset.rules if r.id == ident), None)
        if rule is not None:
            out += [
                f"rule {rule.id} ({ruleset.path}:{rule.line})",
                f"  title: {rule.title}",
                f"  when: {rule.when.describe()}",
                f"  text: {rule.text}",
            ]
            for effect in rule.effects:
                finding = ruleset.findings[effect.finding]
                where = f"option {finding.option}" if finding.option else "consideration"
                change = (
                    f"multiplies the figure by {effect.relative_risk:g}"
                    if effect.relative_risk is not None
                    else f"multiplies the odds by {effect.odds_ratio:g} (an odds ratio)"
                    if effect.odds_ratio is not None
                    else f"replaces the figure with {_span(*effect.figure)} in 100"
                    if effect.figure is not None
                    else "adds its text as a note"
                )
                if effect.baseline is not None:
                    change = f"starts from {_span(*effect.baseline)} in 100 (people without the factor), then {change}"
                typical = (
                    f" (typical {_span(finding.estimate.low, finding.estimate.high)} in 100, "
                    f"{finding.estimate.timeframe})"
                    if finding.estimate
                    else ""
                )
                out.append(f"  changes {finding.id} [{finding.kind}, {where}]: {finding.title}{typical}: {change}")
            cite(rule.sources)
        elif ident in ruleset.findings:
            finding = ruleset.findings[ident]
            out += [
                f"finding {finding.id} ({ruleset.path}:{finding.line})",
                f"  {finding.kind}: {finding.title}",
                f"  text: {finding.text}",
            ]
            if finding.estimate:
                e = finding.estimate
                limit = f"{e.bound.replace('_', ' ')} " if e.bound else ""
                out.append(
                    f"  typical: {limit}{_span(e.low, e.high)} in 100, {e.timeframe}; "
                    f"{e.reference_class} ({e.evidence})"
                )
            out += [f"  tailored by rule {r.id}: {r.title}" for r, _e in ruleset.effects.get(ident, ())]
            cite(finding.sources)
        elif ident in ruleset.factors:
            f = ruleset.factors[ident]
            out += [f"factor {f.id} ({ruleset.path}:{f.line})", f"  question: {f.question}", f"  type: {f.type}"]
            out += [f"  read by rule {r.id}" for r in ruleset.rules if ident in r.when.factors()]
        else:
            flag = next((r for r in ruleset.red_flags if r.id == ident), None)
            if flag is None:
                known = (
                    [r.id for r in ruleset.rules]
                    + list(ruleset.findings)
                    + list(ruleset.factors)
                    + [r.id for r in ruleset.red_flags]
                )
                raise UsageError(f"no rule, finding, factor or red flag called {ident!r}{suggest(ident, known)}")
            out += [
                f"red flag {flag.id} ({ruleset.path}:{flag.line})",
                f"  when: {flag.when.describe()}",
                f"  text: {flag.text}",
                f"  action: {flag.action}",
            ]
            cite(flag.sources)
        env.stdout.write("\n".join(out) + "\n")


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"


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
        from .display import escape
        from .output import write_file
        from .rules import shipped_rules_path

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
    from . import schema as schemas

    beside = copy.parent / schemas.FILES["rules"]
    text = schemas.dumps(schemas.rules_schema())
    if beside.is_file() and beside.read_text(encoding="utf-8") == text:
        return
    _write_schemas(env, copy.parent, {schemas.FILES["rules"]: schemas.rules_schema()}, schemas.dumps)


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
