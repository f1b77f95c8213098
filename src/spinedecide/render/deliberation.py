"""The deliberation's wording, once for every format: the weighing of reasons, the scored knowledge
check, who else is involved, and the plan, as plain blocks (heading, paragraph, bullets, table).

Each renderer only presents these blocks, escaping every piece of text as it does all other text
(the plan's questions are the person's own words). Nothing here decides for the person: the
weighing says which way their own ratings lean only by the rules file's stated rule, and says
that this is not advice.
"""

from __future__ import annotations

from msgspec import Struct

from ..deliberation import Card, Deliberation, QuizScore, Side, WeighingView
from ..report import Report

FULL, EMPTY = "★", "☆"  # display.to_ascii writes them * and -


class Heading(Struct, frozen=True):
    text: str


class Para(Struct, frozen=True):
    text: str
    sources: tuple[str, ...] = ()  # cited after the text


class Bullets(Struct, frozen=True):
    items: tuple[tuple[str, tuple[str, ...]], ...]  # (text, sources cited after it)


class Table(Struct, frozen=True):
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]  # cells of (text, sources)


Block = Heading | Para | Bullets | Table


def stars(n: int | None, out_of: int = 5) -> str:
    """``★★★☆☆ 3 stars`` (the number too, for a screen reader and for ASCII); ``not rated``."""
    return "Not rated" if n is None else f"{FULL * n}{EMPTY * (out_of - n)} {n} star{'' if n == 1 else 's'}"


def side_title(side: Side) -> str:
    """The option the side stands for, or "An operation (A or B)" when there are several."""
    titles = [t for _i, t in side.options]
    if len(titles) == 1:
        return titles[0]
    return f"{'an operation' if side.kind == 'surgery' else 'care without surgery'} ({' or '.join(titles)})"


def weighing(w: WeighingView, leaning: str | None = None, quiz: QuizScore | None = None) -> list[Block]:
    out: list[Block] = [
        Heading("Weighing your reasons"),
        Para(
            "You rated how much each reason matters to you, from 0 stars (not at all) to 5 stars (a great "
            "deal). These are your own ratings. This is not advice, and it does not choose for you."
        ),
    ]
    depth = max(s.reasons for s in w.sides)
    columns = [[r for r in w.reasons if r.kind == s.kind] for s in w.sides]
    rows = [
        tuple((f"{stars(c[i].stars)}. {c[i].text}", c[i].sources) if i < len(c) else ("", ()) for c in columns)
        for i in range(depth)
    ]
    rows.append(tuple((_total(s), ()) for s in w.sides))
    out.append(Table(tuple(f"Reasons to choose {side_title(s)}" for s in w.sides), tuple(rows)))
    out.append(Para(_result(w)))
    out += [Para(text) for text in _about_the_lean(w, leaning, quiz)]
    out.append(
        Para(
            f"The rule: your ratings lean one way only if you rated every reason. One total must also be ahead "
            f"by at least {w.gap_stars} stars, and by at least {round(w.gap_share * 100)}% of the larger total."
        )
    )
    if any(r.rated_by and not r.rated_by.startswith("weigh_") for r in w.reasons):
        out.append(
            Para(
                "Some stars come from your earlier answers about what matters to you. Not important is 0 stars, "
                "somewhat important is 3, and very important is 5."
            )
        )
    if w.not_counted:
        out.append(
            Para("These answers are not counted above, because no reason on this list matches them for your condition:")
        )
        out.append(Bullets(tuple((f"{q} You said: {a}.", ()) for _f, q, a in w.not_counted)))
    return out


def _total(side: Side) -> str:
    unrated = side.reasons - side.rated
    return f"Total: {side.stars} of {5 * side.reasons} stars" + (f" ({unrated} not rated)" if unrated else "")


def _about_the_lean(w: WeighingView, leaning: str | None, quiz: QuizScore | None) -> list[str]:
    """What to keep in mind about a lean (clinician review 2, items 13 and 14): one reason gave most
    of its stars; it points away from where the person said they are leaning; a quiz answer was
    not right."""
    if w.result != "leans":
        return []
    out = []
    side = next(s for s in w.sides if s.kind == w.leans_to)
    top = max((r for r in w.reasons if r.kind == side.kind), key=lambda r: r.stars or 0)
    if top.stars and 2 * top.stars > side.stars:
        out.append(f"This is mostly because of one reason: \u201c{top.text}\u201d")
    if leaning in ("surgery", "non_surgical") and leaning != w.leans_to:
        out.append(
            "Your ratings point a different way from where you said you are leaning. That is common. It may "
            "help to look at the reasons again, or talk them over."
        )
    if quiz is not None and any(q.given is not None and not q.right for q in quiz.items):
        out.append(
            "Some of your answers in \u201cCheck what you know\u201d were not right, or you were not sure. "
            "Read those answers before you rely on these ratings."
        )
    return out


def _result(w: WeighingView) -> str:
    if w.result == "leans":
        side = next(s for s in w.sides if s.kind == w.leans_to)
        others = " and ".join(str(s.stars) for s in w.sides if s.kind != w.leans_to)
        return (
            f"Your own ratings lean towards {side_title(side)}: {side.stars} stars against {others}. This is not "
            "advice. It shows how you rated these reasons. Other things may matter more to you. Your doctor "
            "can tell you which reasons apply to you."
        )
    if w.result == "not_all_rated":
        return "Your ratings do not clearly favour either: not every reason was rated."
    return "Your ratings do not clearly favour either."


def quiz(q: QuizScore) -> list[Block]:
    unanswered = len(q.items) - q.answered
    score = f"You answered {q.right} of {len(q.items)} right." + (f" {unanswered} not answered." if unanswered else "")
    out: list[Block] = [Heading("Check what you know"), Para(score)]
    for n, item in enumerate(q.items, 1):
        given = {"true": "True", "false": "False", "unsure": "Not sure"}.get(item.given or "", "not answered")
        right = "True" if item.answer else "False"
        mark = " (right)" if item.right else " (not right)" if item.given in ("true", "false") else ""
        out.append(Para(f"{n}. {item.statement}"))
        text = f"Your answer: {given}{mark}. The answer is {right}. {item.explanation}"
        out.append(Bullets(((text, item.sources),)))
        if not item.right and item.card is not None:
            out.append(Bullets(((read_more(item.card), ()),)))
    return out


def read_more(card: Card) -> str:
    return f"Read more in this report: \u201c{card.title}\u201d, under {card.option_title}."


def support_and_plan(d: Deliberation) -> list[Block]:
    out: list[Block] = []
    s = d.support
    if s is not None:
        items = []
        if s.involved:
            items.append("Who else is involved: " + ", ".join(_lower(label) for _i, label in s.involved) + ".")
        if s.prefers:
            items.append(f"What they prefer: {s.prefers[1]}.")
        if s.pressure:
            items.append(f"Do you feel pushed towards one choice: {s.pressure[1]}.")
        out += [Heading("Who else is involved"), Bullets(tuple((i, ()) for i in items))]
        if s.pressure and s.pressure[0] in ("yes", "unsure"):
            out.append(
                Para(
                    "The choice is yours. If you feel pushed, you can tell your doctor, ask for more time, or bring "
                    "someone you trust to the visit."
                )
            )
    p = d.plan
    if p is not None:
        steps = [_step(i, label, p.try_what, p.try_weeks, p.decide_by) for i, label in p.steps]
        out.append(Heading("Your plan"))
        if steps:
            out += [Para("Your next steps:"), Bullets(tuple((s, ()) for s in steps))]
        if p.questions:
            out += [Para("Your own questions for the visit:"), Bullets(tuple((q, ()) for q in p.questions))]
    return out


def _step(ident: str, label: str, what: str | None, weeks: int | None, by: str | None) -> str:
    if ident == "try_treatment" and (what or weeks):
        return f"Try {what or 'a treatment'} first" + (
            f", for {weeks} week{'s' if weeks != 1 else ''}." if weeks else "."
        )
    if ident == "decide_by" and by:
        return f"Decide by {by}."
    return f"{label}."


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def blocks(report: Report, part: str) -> list[Block]:
    """The blocks of one part: ``weighing``, ``quiz`` or ``support_plan`` (empty when not answered)."""
    d = report.deliberation
    if part == "weighing":
        leaning = report.leaning["answer"] if report.leaning else None
        return weighing(d.weighing, leaning, d.quiz) if d.weighing else []
    if part == "quiz":
        return quiz(d.quiz) if d.quiz else []
    return support_and_plan(d)


def note_lines(report: Report) -> list[str]:
    """Short lines for the clinician's note."""
    d = report.deliberation
    out = []
    if d.weighing:
        totals = ", ".join(f"{side_title(s)} {s.stars}/{5 * s.reasons}" for s in d.weighing.sides)
        w = d.weighing
        leans = next((side_title(s) for s in w.sides if s.kind == w.leans_to), None)
        verdict = f"leans towards {leans}" if leans else "no clear lean"
        if w.result == "not_all_rated":
            verdict += " (not every reason rated)"
        out.append(f"Patient's own weighing of reasons (stars): {totals}; {verdict} (stated rule; not advice).")
    if d.quiz:
        out.append(f"Knowledge check: {d.quiz.right} of {len(d.quiz.items)} right.")
    if d.support:
        s = d.support
        parts = [
            "involved: " + (", ".join(_lower(label) for _i, label in s.involved) or "not said"),
            f"they prefer: {_lower(s.prefers[1]) if s.prefers else 'not said'}",
            f"pressure: {_lower(s.pressure[1]) if s.pressure else 'not said'}",
        ]
        out.append("Others: " + "; ".join(parts) + ".")
    if d.plan:
        p = d.plan
        steps = [_step(i, label, p.try_what, p.try_weeks, p.decide_by).rstrip(".") for i, label in p.steps]
        if steps:
            out.append("Patient's plan: " + "; ".join(steps) + ".")
        out += [f"Patient's question: {q}" for q in p.questions]
    return out
