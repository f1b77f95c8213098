"""The interview: one question at a time, red flags first, behind a small Prompter interface.

A red flag stops the elective aid: its advice is shown at once, and the person chooses to stop
or to go on to the elective facts only (never the what-matters, leaning or SURE questions).

Typed commands at any question: a choice's number or id, ``?`` for help, ``back`` to change
the previous answer, ``unknown`` where allowed. A bad answer is explained and asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from . import relevance, urgency
from .answers import applicable, convert, unit_examples, wanted
from .conditions import UNKNOWN
from .display import escape, quote
from .errors import Interrupted
from .relevance import can_matter
from .rules import Factor, RedFlag, Ruleset


class Prompter(Protocol):
    def say(self, text: str, style: str | None = None) -> None: ...

    def ask(self, prompt: str) -> str:
        """Read one line; raise EOFError or KeyboardInterrupt when the person stops."""
        ...


def pending(ruleset: Ruleset, answers: Mapping[str, Any]) -> list[Factor]:
    """The questions still to ask: unanswered, applying, and able to change the report."""
    return [f for f in ruleset.questions() if f.id not in answers and wanted(ruleset, f, answers)]


def may_apply(ruleset: Ruleset, answers: Mapping[str, Any]) -> list[Factor]:
    """Unanswered questions that apply, or may once earlier questions are answered: the total in
    "Question 4 of 30" then shrinks as answers rule questions out, instead of jumping up."""
    out = []
    for f in ruleset.questions():
        if f.id in answers or not can_matter(ruleset, f.id, answers):
            continue
        if applicable(f, answers) or any(
            g not in answers for g in f.ask_when.factors() if g in ruleset.factors and ruleset.factors[g].ask
        ):
            out.append(f)
    return out


def deliberation(ruleset: Ruleset) -> frozenset[str]:
    """The decision-support questions (what matters, leaning, SURE, and any question in their
    sections): never asked once a red flag is present."""
    return relevance.deliberation(ruleset)


def present(ruleset: Ruleset, flag: RedFlag, answers: Mapping[str, Any]) -> bool:
    """Whether the flag holds whatever the person answers to the questions it reads that are still
    to come: a context question (e.g. how serious an injury was) is then asked before the flag is
    shown, while new bladder trouble is shown at once, before the numbness question."""
    import itertools

    if not flag.when(answers):
        return False
    readers = (ruleset.factors[i] for i in sorted(flag.when.factors()) if i in ruleset.factors)
    still = [f for f in readers if f.id not in answers and f.ask and applicable(f, answers)]
    if any(f.type != "choice" for f in still) or len(still) > 4:
        return False  # wait for the answers
    values = [[*f.choice_ids, *([UNKNOWN] if f.unknown else [])] for f in still]
    return all(
        flag.when({**answers, **dict(zip((f.id for f in still), combo, strict=True))})
        for combo in itertools.product(*values)
    )


STOP_WORDS = ("no", "n", "stop", "q", "quit", "exit")
GO_ON_WORDS = ("yes", "y", "more", "go on", "go", "continue", "info")


def _choices_text(factor: Factor) -> list[str]:
    # The id with spaces for underscores ([very good], not [very_good]): typed, it is read the same.
    lines = [f"  {i}. {c.label}  [{c.id.replace('_', ' ')}]" for i, c in enumerate(factor.choices, 1)]
    return lines


def _hint(factor: Factor, skippable: bool = False) -> str:
    extras = ["? for help", "back"] + (["skip (to skip this part)"] if skippable else [])
    if factor.unknown:
        extras.insert(1, "unknown")
    if factor.type == "choice" and factor.max_items > 1:
        main = "Type the numbers of all that apply, separated by commas (e.g. 1, 3), or the words in [ ]"
    elif factor.type == "choice":
        main = f"Type the number of your answer (1 to {len(factor.choices)}), or the words in [ ]"
    elif factor.type == "date":
        main = "Type a date as year-month-day, e.g. 2027-01-31"
    elif factor.type == "text":
        main = f"Type your answer (up to {factor.max_length} characters)"
        if factor.max_items > 1:
            main = f"Type one and press Enter (up to {factor.max_items}, each up to {factor.max_length} characters)"
    else:
        unit = f" {factor.unit}" if factor.unit else ""
        main = f"Type a number from {_n(factor.min)} to {_n(factor.max)}{unit}"
        examples = unit_examples(factor)
        if examples:
            main += f", or with its unit, e.g. {examples}"
    return f"{main}; or {', '.join(extras)}."


def _n(value: float | None) -> str:
    return "?" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def shown(factor: Factor, value: Any) -> str:
    """An answer as the person sees it: a choice's label, or a number with its unit."""
    if value == UNKNOWN:
        return "I don't know"
    for choice in factor.choices:
        if choice.id == value:
            return choice.label
    unit = f" {factor.unit}" if factor.unit and isinstance(value, int | float) else ""
    return escape(f"{value}{unit}")


def interpret(factor: Factor, text: str) -> tuple[Any, str | None]:
    """A typed answer to a value: numbers pick choices; everything else goes through convert()."""
    cleaned = text.strip()
    if factor.type == "choice" and factor.max_items > 1 and cleaned.lower() not in (UNKNOWN, "?"):
        parts = [p.strip() for p in cleaned.split(",") if p.strip()]
        if len(parts) == 1 and all(w.isdigit() for w in parts[0].split()):
            parts = parts[0].split()  # 1 3
        picked = []
        for part in parts:
            if part.isdigit() and not 1 <= int(part) <= len(factor.choices):
                return None, f"There is no choice {part}. Type numbers from 1 to {len(factor.choices)}."
            picked.append(factor.choices[int(part) - 1].id if part.isdigit() else part)
        return convert(factor, picked)
    if factor.type == "choice" and cleaned.isdigit():
        index = int(cleaned)
        if 1 <= index <= len(factor.choices):
            return factor.choices[index - 1].id, None
        return None, f"There is no choice {index}. Type a number from 1 to {len(factor.choices)}."
    value, error = convert(factor, cleaned, date.today())  # a date typed now must not be past
    if error and factor.type == "choice" and cleaned.lower() not in (UNKNOWN, "?"):
        return None, f"{quote(cleaned)} is not one of the choices. Please type {_numbers(factor)}."
    if error and factor.type != "choice" and cleaned.lower() == UNKNOWN:
        return None, "This question needs an answer."
    return value, error


def _numbers(factor: Factor) -> str:
    """``1 for No or 2 for Yes``; with many choices, ``a number from 1 to 7``."""
    if len(factor.choices) > 4:
        return f"a number from 1 to {len(factor.choices)}"
    each = [f"{i} for {c.label}" for i, c in enumerate(factor.choices, 1)]
    return ", ".join(each[:-1]) + f" or {each[-1]}" if len(each) > 1 else each[0]


class RedFlagGate:
    """The red flags one interview has shown, and the person's choice at each: stop (the default
    at an emergency or same-day flag) or go on to the elective facts only (the default at 'soon')."""

    def __init__(self, ruleset: Ruleset, answers: Mapping[str, Any], prompter: Prompter) -> None:
        self.ruleset = ruleset
        self.answers = answers
        self.prompter = prompter
        self.deliberation = deliberation(ruleset)
        self.warned: set[str] = set()
        self.chosen: list[int] = []  # the levels (as ranks) the person chose to go on past

    def flagged(self) -> bool:
        """A red flag shown to the person still holds ('back' may have changed an answer)."""
        return any(flag.id in self.warned and flag.when(self.answers) for flag in self.ruleset.red_flags)

    def skips(self, factor: Factor) -> bool:
        return factor.id in self.deliberation and self.flagged()

    def todo(self) -> list[Factor]:
        return [f for f in pending(self.ruleset, self.answers) if not self.skips(f)]

    def warn(self) -> bool:
        """Show each new red flag at once; True when the person chose to stop."""
        flags = self.ruleset.red_flags
        self.warned.difference_update(
            [flag.id for flag in flags if not flag.when(self.answers)]
        )  # shown again if it comes back
        if not self.flagged():
            self.chosen.clear()
        new = [flag for flag in flags if flag.id not in self.warned and present(self.ruleset, flag, self.answers)]
        if not new:
            return False
        self.warned.update(flag.id for flag in new)
        level = urgency.most_urgent(flag.level for flag in new) or urgency.DEFAULT_LEVEL
        say = self.prompter.say
        say("")
        say(urgency.banner(level).upper(), "urgent")
        for flag in sorted(new, key=lambda f: urgency.rank(f.level)):
            say(flag.title, "urgent")
            say(flag.text, "urgent_text")
            say(f"What to do: {flag.action}", "urgent")
        if not self.todo() or (self.chosen and min(self.chosen) <= urgency.rank(level)):
            return False  # nothing left to ask, or already chose to go on at this level
        return not self.choose(level)

    def choose(self, level: str) -> bool:
        """Stop, or go on to general information? True to go on."""
        stop_first = urgency.stops(level)
        say = self.prompter.say
        say("")
        if stop_first:
            say(urgency.NOT_FOR_NOW, "urgent")
            say(
                "Press Enter to stop here and see your advice. Or type 'more' to see general information about your "
                "back anyway.",
                "question",
            )
        else:
            say(urgency.SOON_NOTE, "urgent")
            say("Press Enter to go on with the questions. Or type 'stop' to stop here and see your advice.", "question")
        while True:
            try:
                command = self.prompter.ask("> ").strip().lower()
            except (EOFError, KeyboardInterrupt):
                return False  # end of input, Ctrl-D or Ctrl-C: stop, with the urgent report
            if command in STOP_WORDS or (not command and stop_first):
                return False
            if command in GO_ON_WORDS or (not command and not stop_first):
                self.chosen.append(urgency.rank(level))
                say("Only the facts about your back are asked now. Please get checked first.", "dim")
                return True
            say(
                "Please press Enter to stop, or type 'more'."
                if stop_first
                else "Please press Enter to go on, or type 'stop'.",
                "error",
            )


def run(
    ruleset: Ruleset,
    answers: dict[str, Any],
    prompter: Prompter,
    *,
    on_answer: Callable[[dict[str, Any]], None] | None = None,
    before_values: Callable[[dict[str, Any]], str | None] | None = None,
) -> dict[str, Any]:
    """Ask every missing question that applies; return the completed answers.

    ``answers`` (pre-filled answers) is updated in place, so nothing given is lost if the
    person stops; ``on_answer`` runs after every change (e.g. to save to disk).
    ``before_values`` may return a summary of the options, shown once before the first
    "what matters to you" question, so the person has seen the options before weighing them.
    A red flag is shown at once (see :class:`RedFlagGate`); when the person stops there, or stops
    at any later question, the answers so far are returned, so the urgent report follows.
    Raises :class:`Interrupted` on Ctrl-C / Ctrl-D when no red flag is present.
    """
    value_factors = relevance.deliberation_ids(ruleset)
    skipped: set[str] = set()  # deliberation sections the person chose to skip ('skip')
    previewed_for: object = None  # the condition whose options were last shown before the values questions
    history: list[str] = []
    # Answers given before this interview (e.g. a saved file), in question order: 'back' at the
    # first question reaches them, so a person who resumes can still change an earlier answer.
    earlier = [f.id for f in ruleset.questions() if f.id in answers]
    recalled: dict[str, Any] = {}  # answers taken back with 'back': shown when asked again
    last_total: int | None = None
    went_back = False
    last_section = None
    sections = {s.id: s.title for s in ruleset.sections}
    gate = RedFlagGate(ruleset, answers, prompter)

    if pending(ruleset, answers):
        if gate.warn() or not gate.todo():  # resumed answers that hold a red flag: the message comes first
            return answers
        prompter.say(
            "This aid asks about your health and your back, then shows what the options can offer and risk. "
            "Type ? at any question for help, 'back' to change your last answer. Press Ctrl-C to stop.",
            "dim",
        )
    while True:
        todo = [f for f in gate.todo() if f.section not in skipped]
        if not todo:
            return answers
        factor = todo[0]
        if factor.id in value_factors and previewed_for != answers.get("condition") and before_values is not None:
            previewed_for = answers.get("condition")  # shown again if 'back' changed the condition
            summary = before_values(answers)
            if summary:
                prompter.say("")
                for line in summary.rstrip("\n").splitlines():
                    prompter.say(line)
        # Counted from the first question, with the answers given before this interview: 'back'
        # then moves one question back and keeps the total; only answers that make questions
        # apply or stop applying change it, and then it says so.
        done = len(earlier) + len(history)
        number = done + 1
        total = done + _still_to_ask(ruleset, answers, lambda f: not gate.skips(f) and f.section not in skipped)
        if factor.section != last_section:
            title = sections.get(factor.section)
            if title:
                prompter.say("")
                prompter.say(title, "section")
            last_section = factor.section
        prompter.say("")
        if last_total is not None and total != last_total:
            prompter.say(_count_changed(total - last_total, total, went_back), "dim")
        last_total, went_back = total, False
        prompter.say(f"Question {number} of {total}", "progress")
        prompter.say(factor.question, "question")
        if factor.type == "choice":
            for line in _choices_text(factor):
                prompter.say(line)
        prompter.say(_hint(factor, factor.id in value_factors), "dim")
        if factor.id in recalled:
            prompter.say(
                f"Your answer was: {shown(factor, recalled[factor.id])}. Press Enter to keep it, or type a new answer.",
                "dim",
            )
        while True:
            try:
                text = prompter.ask("> ")
            except (EOFError, KeyboardInterrupt) as stop:
                if gate.flagged():  # a red flag is present: stopping ends with the urgent report
                    return answers
                unanswered = [f.id for f in pending(ruleset, answers)]
                raise Interrupted(unanswered, keyboard=isinstance(stop, KeyboardInterrupt)) from None
            command = text.strip().lower()
            if command in ("?", "help", "h"):
                prompter.say(factor.help, "help")
                continue
            if command == "skip" and factor.id in value_factors:
                skipped.add(factor.section)
                prompter.say(f"Skipped: {sections.get(factor.section, 'this part')}.", "dim")
                break
            if command == "back":
                if history:
                    previous = history.pop()
                elif earlier:
                    previous = earlier.pop()
                    prompter.say("Going back to an answer you gave before:", "dim")
                else:
                    prompter.say("This is the first question, so there is nothing to go back to.", "error")
                    continue
                skipped.discard(ruleset.factors[previous].section)  # going back into a skipped part
                if previous in answers:
                    recalled[previous] = answers.pop(previous)
                if on_answer:
                    on_answer(answers)
                last_section, went_back = None, True
                break
            if not command and factor.id not in recalled:
                prompter.say("Please type an answer, or ? for help.", "error")
                continue
            value, error = (recalled[factor.id], None) if not command else interpret(factor, text)
            if error and command in ("unknown", "don't know", "dont know", "not sure"):
                prompter.say(f"This question needs an answer. {factor.help}", "help")
                prompter.say(_hint(factor, factor.id in value_factors), "dim")
                continue
            if error:
                prompter.say(f"Sorry, that answer does not fit: {error}", "error")
                prompter.say(_hint(factor, factor.id in value_factors), "dim")
                continue
            if factor.type == "text" and factor.max_items > 1 and value != UNKNOWN:
                value = _more_texts(prompter, factor, value)
            numeric = factor.type in ("integer", "number")
            if numeric and value != UNKNOWN and command and _n(value) != text.strip():
                prompter.say(f"That is {shown(factor, value)}.", "dim")  # e.g. 5'10" is 177.8 cm
            answers[factor.id] = value
            recalled.pop(factor.id, None)
            history.append(factor.id)
            if on_answer:
                on_answer(answers)
            if gate.warn():
                return answers
            break


def _more_texts(prompter: Prompter, factor: Factor, first: list[str]) -> list[str]:
    """The rest of a list of texts (the visit's questions): one a line, an empty line to finish."""
    items = list(first)
    while len(items) < factor.max_items:
        prompter.say(f"Type another, or press Enter if that is all ({len(items)} of {factor.max_items}).", "dim")
        try:
            line = prompter.ask("> ")
        except (EOFError, KeyboardInterrupt):
            break  # keep what was typed; the next question (or the end) follows
        if not line.strip():
            break
        value, error = convert(factor, [line])
        if error:
            prompter.say(f"Sorry, that answer does not fit: {error}", "error")
            continue
        items += value
    return items


def _still_to_ask(ruleset: Ruleset, answers: Mapping[str, Any], keep: Callable[[Factor], bool]) -> int:
    """How many questions may still be asked. Before the condition is answered, the questions that
    come after it are counted for the condition that needs the most of them (not every
    condition's questions added up), so the count starts near the truth and then mostly shrinks."""
    now = [f for f in may_apply(ruleset, answers) if keep(f)]
    conditions = relevance.conditions(ruleset) if relevance.CONDITION not in answers else ()
    order = [f.id for f in ruleset.questions()]
    if not conditions or relevance.CONDITION not in order:
        return len(now)
    at = order.index(relevance.CONDITION)
    before = [f for f in now if order.index(f.id) <= at]
    after = max(
        len([f for f in may_apply(ruleset, {**answers, relevance.CONDITION: c}) if keep(f) and order.index(f.id) > at])
        for c in conditions
    )
    return len(before) + after


def _count_changed(change: int, total: int, went_back: bool) -> str:
    """Why the total in "Question N of M" changed."""
    many = abs(change) != 1
    if change < 0:
        what = f"{-change} question{'s' if many else ''} no longer appl{'y' if many else 'ies'}"
    else:
        what = f"{change} more question{'s' if many else ''} may apply"
    if went_back:
        return f"Until you answer this again, {what}: there are now {total} in all."
    return f"Your answers mean {what}: there are now {total} in all."


class StreamPrompter:
    """Questions on a text stream (stderr), answers read from another (stdin).

    With ``color`` the text is styled with Rich; the report's stdout is never touched.
    """

    STYLES = {
        "section": "bold underline",
        "progress": "dim cyan",
        "question": "bold",
        "dim": "dim",
        "help": "italic cyan",
        "error": "yellow",
        "urgent": "bold red",
        "urgent_text": "red",
    }

    def __init__(self, out: Any, inp: Any, *, color: bool = False) -> None:
        self.out = out
        self.inp = inp
        self.console = None
        if color:
            from rich.console import Console

            self.console = Console(file=out, highlight=False, emoji=False)

    def say(self, text: str, style: str | None = None) -> None:
        if self.console is not None:
            from rich.text import Text

            self.console.print(Text(text, style=self.STYLES.get(style or "", "")))
        else:
            self.out.write(text + "\n")
            self.out.flush()

    def ask(self, prompt: str) -> str:
        from .terminal_input import wait_for_line

        self.out.write(prompt)
        self.out.flush()
        wait_for_line(self.inp)
        line = self.inp.readline()
        if not line:
            self.out.write("\n")
            raise EOFError
        return str(line).rstrip("\r\n")
