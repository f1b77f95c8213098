"""One helper per phrase that every format says the same way: how sure a figure is, that two
figures come from different studies, the denominator a figure is shown with, what a composite
figure includes, why a figure has no picture, and which answers could not change a figure.

Renderers call these and nothing else for these phrases, so each sentence lives in one place.
"""

from __future__ import annotations

from ..report import CertaintyView, FigureView, FindingView

#: GRADE's four levels in words (after the GRADE working group's plain-language statements).
CERTAINTY_WORDS = {
    "high": "high: the true figure is probably close to this",
    "moderate": "moderate: the true figure is probably close to this, but it may be different",
    "low": "low: the true figure may be quite different",
    "very_low": "very low: the true figure may be very different",
}
BOUND_WORDS = {"up_to": "up to", "at_least": "at least"}
#: Said under every side-by-side table: what the figures count.
DENOMINATORS_SAID = (
    "Figures are \u201cN in 100 people\u201d; rare ones are N in 1,000 or N in 10,000, for every option alike."
)
#: Said with the pictures' legend.
RARE_NOT_PICTURED = (
    "A rare figure (below 1 in 100) is given per 1,000 or 10,000 in words, with no picture: "
    "a picture of 100 people cannot show it."
)


def number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def shown(value: float, per: int) -> float:
    """A figure "in 100" as the person sees it, per ``per`` (0.08 in 100 -> 8 in 10,000)."""
    return round(value * per / 100, 2)


def span(low: float, high: float, bound: str | None = None, per: int = 100) -> str:
    """'4 in 100', '2 to 5 in 100', '8 in 10,000', or for a limit 'up to 33 in 100'."""
    low, high = shown(low, per), shown(high, per)
    denominator = f"in {per:,}"
    if bound:
        return f"{BOUND_WORDS[bound]} {number(high if bound == 'up_to' else low)} {denominator}"
    if low == high:
        return f"{number(low)} {denominator}"
    return f"{number(low)} to {number(high)} {denominator}"


def compact(low: float, high: float, bound: str | None = None, per: int = 100) -> str:
    """For the note: '2.3/100', '8/10,000', 'up to 33/100'."""
    limit = {"up_to": "up to ", "at_least": "at least "}.get(bound or "", "")
    low, high = shown(low, per), shown(high, per)
    value = number(low) if low == high else f"{number(low)}-{number(high)}"
    return f"{limit}{value}/{per:,}"


def certainty_level(c: CertaintyView | None) -> str:
    """'low certainty' (or 'certainty not graded' for a file that does not grade its figures)."""
    return f"{c.level.replace('_', ' ')} certainty" if c else "certainty not graded"


def certainty(e: FigureView) -> str:
    """'How sure the evidence is: low: the true figure may be quite different. <reason>'"""
    c = e.certainty
    if c is None:
        return "How sure the evidence is: not graded."
    text = f"How sure the evidence is: {CERTAINTY_WORDS.get(c.level, c.level)}. {c.reason}"
    t = e.typical_certainty
    if e.tailored and t is not None and t != c:
        text += f" (The typical figure: {certainty_level(t)}. {t.reason})"
    return text


def different_studies(f: FindingView) -> str:
    """Said beside a figure whose pair, in another option, comes from a different study ('' if none)."""
    others = [p for p in f.compared_with if not p.same_study]
    if not others:
        return ""
    names = " and ".join(f"\u201c{p.option_title}\u201d" for p in others)
    reasons = " ".join(dict.fromkeys(p.reason for p in others if p.reason))
    return (
        f"Compare with care: the figure for {names} comes from a different study of different people, "
        f"so the two are not directly comparable. {reasons}"
    ).rstrip()


NOT_COMPARABLE_MARK = "different studies: not directly comparable"


def short(f: FindingView, *, whole: bool = False) -> str:
    """A figure in a side-by-side view: the figure (``whole``: with who and when), how sure it is,
    and a warning for a different-study pair."""
    from .common import figure_phrase, figure_short

    assert f.estimate is not None
    text = f"{(figure_phrase if whole else figure_short)(f.estimate)} ({certainty_level(f.estimate.certainty)}"
    if any(not p.same_study for p in f.compared_with):
        text += f"; {NOT_COMPARABLE_MARK}"
    return text + ")"


def includes(e: FigureView) -> str:
    """'This figure includes: Dural tear (...), shown on its own too.' ('' if not a composite)."""
    if not e.includes:
        return ""
    return (
        "This figure includes "
        + " and ".join(f"\u201c{title}\u201d" for _i, title in e.includes)
        + ", which is also shown on its own."
    )


def no_picture(e: FigureView) -> str:
    """Why a figure is said in words only ('' when it is pictured)."""
    if e.pictured:
        return ""
    if any(c is not None and c.level == "very_low" for c in (e.certainty, e.typical_certainty)):
        return "No picture: the evidence for this figure is very uncertain, so it is given in words only."
    if e.per > 100:
        return (
            f"No picture: a picture of 100 people cannot show {span(e.low, e.high, e.bound, e.per)}, "
            "so it is given in words only."
        )
    return "No picture: this figure does not come from a study, so it is given in words only."


WHY_WORDS = {
    "unknown": "you answered \u201cnot known\u201d",
    "not_answered": "it was not answered",
    "capped": "the figure is already at the most the rules allow",
    "no_subgroup_figure": "the studies give no figure for people like you",
    "no_change": "another figure for people like you was used instead",
}


def note(f: FindingView, rule: str, text: str) -> str:
    """A "for you" note, saying so when its rule did not change the figure beside it."""
    why = next((u.why for u in f.unchanged_by if u.rule == rule), None)
    if f.estimate is None or why is None:
        return f"For you: {text}"
    return f"For you (this did not change the figure above, because {WHY_WORDS.get(why, why)}): {text}"


def not_counted(f: FindingView) -> str:
    """Answers that could have changed the figure but were not known ('' if none)."""
    items = [(q, u.why) for u in f.unchanged_by if u.why in ("unknown", "not_answered") for _fid, q, _a in u.answers]
    if not items:
        return ""
    said = "; ".join(f"{q} ({WHY_WORDS[why]})" for q, why in dict.fromkeys(items))
    return f"Not counted in this figure: {said}"


def figure_lines(f: FindingView) -> list[str]:
    """What stands right beside a figure in every format: the figure, how sure it is, and (when
    they apply) that its pair comes from a different study and what a composite includes."""
    from .common import figure_phrase

    assert f.estimate is not None
    phrase = figure_phrase(f.estimate)
    lines = [phrase[0].upper() + phrase[1:] + ".", certainty(f.estimate)]
    return lines + [x for x in (different_studies(f), includes(f.estimate)) if x]


def notes(f: FindingView) -> list[str]:
    """The "for you" notes of a finding, each saying whether it changed the figure, then the
    answers not counted."""
    out = [note(f, rule, text) for rule, text in zip(f.rules, f.notes, strict=False)]
    missing = not_counted(f)
    return out + ([missing] if missing else [])


# -- the document's own sentences (render/build*.py): said once, presented by every format ------

DECISION = "The decision"
#: Said over the options side by side in the interview, before the values questions.
PREVIEW = (
    "Before the last questions, here are your options side by side (typical figures).",
    "The full report, with figures for people like you, comes at the end.",
)
SIDE_BY_SIDE = "Your options side by side"
GRID_CAPTION = "The options for your condition, answering the same questions for each"
GRID_INTRO = "The same questions for each option. Figures here are typical."
GRID_AFTER = "The figures for people like you are in the outcome cards."
FIGURES_CAPTION = "What each option can offer and risk"
WHAT_IT_IS = "What it is"
#: The three kinds of finding, as every format heads them.
FINDING_KINDS = (("benefits", "What it can offer"), ("risks", "What it can risk"), ("recovery", "What it is like"))
LIVING = "Living with this choice"
SOURCES_SAID = "Sources:"
KIND_WORDS = {"surgery": "an operation"}
NOT_SURGERY = "no operation"
NOT_WELL_KNOWN = "How many people: not well known."

CARDS = "Each outcome, option by option"
CARDS_INTRO = (
    "One card for each outcome: each option\u2019s figure side by side, who it is about, when, and how sure "
    "the evidence is."
)
CARD_ROWS = ("How many, and how sure", "Who the figure is about", "Sources")
NO_FIGURE_HERE = "no figure for this option"
PICTURE_CAPTION = "{}: each figure as 100 people"
PICTURES = "How to read the pictures"
PICTURES_INTRO = (
    "Each picture shows 100 people, one row of pictures for each option. Where the figure for people like you "
    "differs from the typical figure, both are shown."
)
LEGEND = (
    ("filled", "Filled: a person it happens to"),
    ("range", "Shaded: the rest of a range (\u201c2 to 5 in 100\u201d)"),
    ("empty", "Outlined: a person it does not happen to"),
)
FOR_YOU_LABEL = "{}, people like you"
TYPICAL_LABEL = "{}, typical"
NO_PICTURE_APART = (
    "No picture side by side: these figures come from different studies of different people, so a picture "
    "would make them look alike."
)
NO_PICTURE_NOBODY = "No picture: it would show no one, so the figure is given in words only."

CONSIDERATIONS = "Things you can change or ask about"
PRIORITIES = "What matters to you"
PRIORITIES_INTRO = (
    "You told us how much these things matter to you. This does not tell you what to choose; it shows which "
    "option tends to fit each one."
)
PRIORITY_COLUMNS = ("You said", "Which option fits it")
LEANING = "Where you are leaning"
LEANING_SAID = "You said: {}. You can change your mind at any time."
SURE = "Are you ready to decide? (the SURE test)"
SURE_SCORE = "Your score: {} out of {}."
SURE_INCOMPLETE = "(Not every question was answered.)"
SURE_CONFLICT = "A score below 4 means you may not feel ready yet. That is common. These steps can help:"
SURE_READY = "You feel sure, informed, clear about what matters to you, and supported."
QUESTIONS = "Questions to ask your surgeon"
QUIZ = "Check what you know"
QUIZ_STATEMENT = "True or false? {}"
QUIZ_ANSWER = "Answer: {}. {}"

NOT_TAILORED = "What could not be tailored"
NOT_TAILORED_INTRO = (
    "You answered \u201cunknown\u201d to these questions, or did not answer them, so the figures do not take "
    "them into account:"
)
ANSWERS = "Your answers"
ANSWER_COLUMNS = ("Question", "Your answer")
DERIVED = "(worked out from your height and weight)"
WHY = "Why: the rules that fired"
WHY_COLUMNS = ("Rule", "When", "Your answers", "Changes")
WHY_NONE = "No rules fired: every figure is the typical one."
SOURCES = "Sources"
ABOUT = "About this decision aid"
PLEASE_NOTE = "Please note"
WHAT_TO_DO = "What to do: {}"

#: The page's handout part (html): the date it was made, lines to fill by hand, room for questions.
MADE_ON = "Made on {}."
FILL_IN = ("Your name", "Your clinician\u2019s name")
OWN_QUESTIONS = "Your own questions for the visit"
#: How to see more, said when a layer is left out: worded for a terminal, and for a page.
MORE_TERMINAL = {
    "key": "See each outcome in detail: add --detail cards; everything: add --detail full. "
    "Print: --format html --output report.html",
    "cards": "See everything, with pictures and sources: add --detail full.",
}
MORE_PAGE = {
    "key": "This is the short version: the key points only. Ask for the full report, which explains each "
    "outcome with pictures and sources.",
    "cards": "This version leaves out the pictures and the sources. Ask for the full report to see them.",
}


def option_heading(n: int, title: str, kind: str) -> str:
    return f"Option {n}: {title} ({KIND_WORDS.get(kind, NOT_SURGERY)})"


def condition(title: str) -> str:
    return f"Your condition: {title}."
