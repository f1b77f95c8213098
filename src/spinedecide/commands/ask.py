"""``spinedecide ask``: answers -> validate -> (interview) -> assess -> render. No Typer in here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Interrupted, UsageError
from ..terminal import Env

if TYPE_CHECKING:
    from ..answers import Answers, Given
    from ..rules import Ruleset


def run(
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
    """answers -> validate (once) -> (interview) -> assess -> render. No Typer in here."""
    from ..engine import assess
    from ..render import render, resolve_format
    from ..rules import load_rules

    if patient_id is not None:  # checked before any question is asked
        if fmt != "fhir":
            raise UsageError("--patient-id is only for --format fhir")
        from ..fhir.document import parse_patient_id

        parse_patient_id(patient_id)
    fmt = _format_for_output(env, fmt, output)
    ruleset = load_rules(rules_file)
    final = _answers(
        env,
        ruleset,
        answers_file=answers_file,
        set_items=set_items,
        can_ask=not no_input and answers_file != "-",
        output=output,
        save_answers=save_answers,
        no_color=no_color,
    )
    report = assess(ruleset, final)  # validated above: assess does not validate again
    shown = resolve_format(fmt, env.stdout_isatty and output is None)
    if shown == "fhir":  # the FHIR document also holds the answers as a QuestionnaireResponse
        from ..fhir.document import renderer as fhir_renderer

        render = fhir_renderer(ruleset, patient_id=patient_id)
    if output is not None:
        import io

        from ..display import escape
        from ..output import write_file

        buffer = io.StringIO()
        render(report, shown, buffer, explain=explain, color=False, width=100, detail=detail or "full")
        write_file(output, escape(buffer.getvalue()), option="--output", what="the report")  # always UTF-8
        env.stderr.write(f"Report written to {escape(str(output))}\n")
        return
    color = shown == "rich" and env.color_for(env.stdout_isatty, no_color)
    width = min(env.width, 120) if env.stdout_isatty else 100
    # Render completely before writing, so that an error never leaves half a report on stdout.
    import io

    from ..output import write_json, write_raw

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


def _answers(
    env: Env,
    ruleset: Ruleset,
    *,
    answers_file: str | None,
    set_items: list[str],
    can_ask: bool,
    output: Path | None,
    save_answers: Path | None,
    no_color: bool,
) -> Answers:
    """The --answers file and --set, each answer checked once, the interview for what is missing,
    then made complete (raising, naming every missing answer, unless a red flag forgives them)."""
    from ..answers import Given, check, complete, merge, missing, parse_set, read_answers

    layers = [read_answers_option(env, ruleset, answers_file, read_answers), parse_set(set_items)]
    check_targets(answers_file, output, save_answers)
    given = check(ruleset, merge(*layers))
    # A person at a terminal who resumes from saved answers is still asked the optional questions
    # they have not reached (e.g. what matters to them); scripts never are.
    if can_ask and (missing(ruleset, given.values) or (env.stdin_isatty and _pending(ruleset, given))):
        # The interview checks each typed answer as it is given (answers.convert, as check does).
        given = Given(_interview(env, ruleset, dict(given.values), save_answers, no_color))
    final = complete(ruleset, given)
    if save_answers is not None:
        _save(save_answers, dict(given.values))
    return final


def _pending(ruleset: Ruleset, given: Given) -> bool:
    from ..interview import pending

    return bool(pending(ruleset, given.values))


def _paged(text: str, *, raw: bool) -> bool:
    """A long report through the pager; False when it is short or there is no pager to run."""
    from .. import pager
    from ..display import escape

    return pager.too_long(text) and pager.page(text if raw else escape(text))


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
    from ..display import escape

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


def _save(path: Path, values: dict[str, Any]) -> None:
    from ..output import write_file

    if path.suffix.lower() == ".json":
        text = json.dumps(values, ensure_ascii=False, indent=2) + "\n"
    else:
        from .. import _yaml

        text = "# spinedecide answers. Resume with: spinedecide ask --answers THIS_FILE\n" + _yaml.dump(values)
    write_file(path, text, option="--save-answers", what="the answers")


def _interview(
    env: Env, ruleset: Any, given: dict[str, Any], save_answers: Path | None, no_color: bool
) -> dict[str, Any]:
    from .. import interview

    prompter = interview.StreamPrompter(env.stderr, env.stdin, color=env.color_for(env.stderr_isatty, no_color))
    on_answer = (lambda values: _save(save_answers, values)) if save_answers is not None else None
    if on_answer is not None:
        on_answer(given)  # pre-filled answers are kept even if the person stops at once

    def preview(values: dict[str, Any]) -> str | None:
        from ..answers import Given, complete
        from ..engine import assess
        from ..errors import AnswersError
        from ..render.text import options_preview

        try:  # the answers so far are each checked already: only completeness is left to check
            return options_preview(assess(ruleset, complete(ruleset, Given(values))), width=min(env.width, 100))
        except AnswersError:  # not everything needed is answered yet: no preview
            return None

    before = dict(given)
    try:
        try:
            return interview.run(ruleset, given, prompter, on_answer=on_answer, before_values=preview)
        except KeyboardInterrupt:  # a stop between two prompts (showing a question): the same as at one
            raise Interrupted([f.id for f in interview.pending(ruleset, given)], keyboard=True) from None
    except Interrupted as stop:
        stop.saved_to = str(save_answers) if save_answers is not None else None
        if save_answers is None and given != before and _offer_allowed(env, stop):
            from ..save_offer import offer

            stop.saved_to = offer(prompter, lambda path: _save(path, given))
        raise


def _offer_allowed(env: Env, stop: Interrupted) -> bool:
    """Ctrl-C (SIGINT, not SIGTERM or SIGHUP) from a person at a terminal: offer to save."""
    import signal

    from .. import signals

    return stop.keyboard and env.stdin_isatty and env.stderr_isatty and signals.received in (None, signal.SIGINT)


# The --answers file and the output targets (response uses them too) --------------------------


def read_answers_option(env: Env, ruleset: Any, answers_file: str | None, read_answers: Any) -> Any:
    """The --answers file's answers; a FHIR QuestionnaireResponse is converted to plain answers."""
    if answers_file is None:
        return None
    from ..terminal import open_input

    with open_input(env, answers_file, "answers file") as (stream, name, _size):
        raw = read_answers(stream, name)
    if "resourceType" not in raw.values:  # plain answers: no need for the FHIR code
        return raw
    from ..fhir import from_raw_answers

    return from_raw_answers(ruleset, raw, note=lambda text: env.stderr.write(f"Note: {text}\n"))


def check_targets(answers_file: str | None, output: Path | None, save_answers: Path | None) -> None:
    """Refuse, before anything is asked, files that cannot be written, and a report that would
    overwrite the person's answers (the same file under another name or a hard link counts).
    ``--save-answers`` may be the ``--answers`` file: that is how a person resumes."""
    from ..display import escape
    from ..output import check_target, same_file

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
