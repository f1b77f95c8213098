"""Building the deliberation: the reasons to weigh, how the knowledge check is asked, the support and
plan questions; and the questions they add (``weigh_<reason id>``, one per knowledge-check item).

The questions are made here from the reasons and the knowledge check, so each lives once in the file:
a reason's text is its question, a knowledge-check statement is its question.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from ..conditions import ALWAYS, Compiler, suggest
from .build_support import _Support
from .model import Choice, DecisionSupport, Diagnosis, Factor, Option, QuizSettings, Reason, Weighing
from .shape import OPTION_KINDS, SCHEMA

#: The stars a reason is rated with: 0 (does not matter to me) to 5 (matters a great deal).
MAX_STARS = 5


def _alternating(reasons: tuple[Reason, ...]) -> list[Reason]:
    """Each condition's reasons in turns, one of each kind (file order within a kind)."""
    first: dict[tuple[str, ...], int] = {}
    turns: dict[tuple[tuple[str, ...], str], int] = {}
    keyed = []
    for i, r in enumerate(reasons):
        first.setdefault(r.conditions, i)
        turn = turns.get((r.conditions, r.kind), 0)
        turns[(r.conditions, r.kind)] = turn + 1
        keyed.append(((first[r.conditions], turn, r.kind != "surgery", i), r))
    return [r for _key, r in sorted(keyed, key=lambda kr: kr[0])]


def _asked(weighing: Weighing, reason: Reason) -> str:
    """A reason as asked: which side it is on (`leads`), the reason, then the question."""
    lead = weighing.leads.get(reason.kind)
    return f"{lead} {reason.text} {weighing.question}" if lead else f"{weighing.question} {reason.text}"


class _ReasonChecks(_Support):
    """The checks of one reason, and of the reasons together."""

    def check_reason(
        self,
        reason: Reason,
        item: Any,
        where: str,
        factors: Mapping[str, Factor],
        options: Mapping[str, Option],
        diagnoses: Mapping[str, Diagnosis],
        stars: Mapping[str, int],
    ) -> None:
        """Its kind, its conditions, its card (a finding of an option for one of them) and its value_* answers."""
        if reason.kind not in OPTION_KINDS:
            self.problem(f"kind must be one of {', '.join(OPTION_KINDS)}", f"{where}.kind", item, "kind")
        cards = set()
        for d in reason.conditions:
            if d not in diagnoses:
                self.problem(
                    f"unknown condition {d!r}{suggest(d, diagnoses)}", f"{where}.conditions", item, "conditions"
                )
                continue
            for o in diagnoses[d].options:
                option = options.get(o)
                cards |= {f.id for f in (*option.benefits, *option.risks, *option.recovery)} if option else set()
        if reason.finding not in cards:
            self.problem(
                f"finding {reason.finding!r} is not in the options of {', '.join(reason.conditions)}",
                f"{where}.finding",
                item,
                "finding",
            )
        for value in reason.values:
            factor = factors.get(value)
            if factor is None or set(factor.choice_ids) != set(stars):
                self.problem(
                    f"{value!r} must be a choice factor answered with {', '.join(stars)} (see from_values)",
                    f"{where}.values",
                    item,
                    "values",
                )

    def check_reasons_balanced(self, reasons: list[Reason], node: Any, path: str) -> None:
        """Each condition has as many reasons for each kind of option: the sums then compare like with like."""
        counts: dict[str, dict[str, int]] = {}
        for r in reasons:
            for d in r.conditions:
                by_kind = counts.setdefault(d, dict.fromkeys(OPTION_KINDS, 0))
                by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
        for d, by_kind in counts.items():
            if len(set(by_kind.values())) > 1:
                shown = ", ".join(f"{k} {n}" for k, n in by_kind.items())
                self.problem(f"{d!r} needs as many reasons for each kind of option ({shown})", path, node, "reasons")


class _Deliberation(_ReasonChecks):
    """The weighing, the quiz's settings, the support and plan questions."""

    def deliberation(
        self,
        node: Any,
        support: DecisionSupport,
        factors: dict[str, Factor],
        options: Mapping[str, Option],
        diagnoses: Mapping[str, Diagnosis],
        compiler: Compiler,
    ) -> DecisionSupport:
        """The decision support with its weighing and quiz settings; ``factors`` gains their questions."""
        if not isinstance(node, Mapping):
            return support
        path = "decision_support"
        weighing = self.weighing(node.get("weighing"), f"{path}.weighing", node, factors, options, diagnoses)
        quiz = self.quiz_settings(node.get("quiz"), f"{path}.quiz", node)
        asked = {
            "support_factors": self.named_factors(node.get("support"), f"{path}.support", node, "support", factors),
            "plan_factors": self.named_factors(node.get("plan"), f"{path}.plan", node, "plan", factors),
        }
        made: dict[str, Factor] = {}
        if weighing is not None:
            for reason in _alternating(weighing.reasons):  # asked one kind, then the other: no side all first
                when = compiler.compile({"condition": {"in": list(reason.conditions)}}, f"{path}.weighing", node)
                made[reason.factor] = Factor(
                    reason.factor, weighing.section, "integer", _asked(weighing, reason),
                    weighing.help, min=0, max=MAX_STARS, unit="stars", required=False, ask_when=when,
                    fill_unknown=False,
                )  # fmt: skip
        if quiz is not None:
            for item in support.knowledge_check:
                made[item.id] = Factor(
                    item.id, quiz.section, "choice", item.statement, quiz.help, choices=quiz.choices,
                    required=False, ask_when=item.when or ALWAYS, fill_unknown=False,
                )  # fmt: skip
        for ident in made:
            if ident in factors:
                self.problem(f"{ident!r} is a question this file makes; rename the factor", path, node)
        factors.update(made)
        return replace(support, weighing=weighing, quiz=quiz, **asked)

    def weighing(
        self,
        node: Any,
        path: str,
        parent: Any,
        factors: Mapping[str, Factor],
        options: Mapping[str, Option],
        diagnoses: Mapping[str, Diagnosis],
    ) -> Weighing | None:
        if node is None or self.mapping(node, path, *SCHEMA["weighing"], parent, "weighing") is None:
            return None
        gap = node["clear_gap"]
        if self.mapping(gap, f"{path}.clear_gap", *SCHEMA["clear_gap"], node, "clear_gap") is not None and (
            gap["stars"] < 1 or not 0 <= gap["share"] < 1
        ):
            self.problem("clear_gap needs stars of 1 or more and a share from 0 to under 1", path, node, "clear_gap")
        stars = {str(k): v for k, v in node["from_values"].items()}
        if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= MAX_STARS for v in stars.values()):
            self.problem(f"from_values maps each answer to 0 to {MAX_STARS} stars", path, node, "from_values")
        reasons = []
        for i, item in enumerate(node["reasons"]):
            where = f"{path}.reasons[{i}]"
            if self.mapping(item, where, *SCHEMA["reason"], node["reasons"], i) is None:
                continue
            self.claim_id(item["id"], "reason", where, item)
            self.cite(item, where)
            reason = Reason(
                item["id"],
                item["kind"],
                " ".join(item["text"].split()),
                tuple(item["conditions"]),
                item["finding"],
                tuple(item["sources"]),
                tuple(item.get("values", ())),
            )
            self.check_reason(reason, item, where, factors, options, diagnoses, stars)
            reasons.append(reason)
        self.check_reasons_balanced(reasons, node, path)
        return Weighing(
            node["section"],
            " ".join(node["question"].split()),
            " ".join(node["help"].split()),
            tuple(reasons),
            stars,
            int(gap.get("stars", 3)) if isinstance(gap, Mapping) else 3,
            float(gap.get("share", 0.25)) if isinstance(gap, Mapping) else 0.25,
            self.leads(node.get("leads"), path, node),
        )

    def leads(self, node: Any, path: str, parent: Any) -> dict[str, str]:
        """The words said before each kind's reasons when asked, so the person knows which side it is on."""
        if node is None or self.mapping(node, f"{path}.leads", *SCHEMA["weighing_leads"], parent, "leads") is None:
            return {}
        return {kind: " ".join(str(node[kind]).split()) for kind in OPTION_KINDS}

    def quiz_settings(self, node: Any, path: str, parent: Any) -> QuizSettings | None:
        if node is None or self.mapping(node, path, *SCHEMA["quiz"], parent, "quiz") is None:
            return None
        choices = tuple(Choice(c["id"], c["label"]) for c in node["choices"] if isinstance(c, Mapping))
        if {c.id for c in choices} != {"true", "false", "unsure"}:
            self.problem("the quiz choices are true, false and unsure", f"{path}.choices", node, "choices")
        return QuizSettings(node["section"], " ".join(node["help"].split()), choices)

    def named_factors(
        self, node: Any, path: str, parent: Any, key: str, factors: Mapping[str, Factor]
    ) -> dict[str, str]:
        """``support:`` and ``plan:`` name the factors that ask each of their questions."""
        if node is None or self.mapping(node, path, *SCHEMA[f"{key}_factors"], parent, key) is None:
            return {}
        for role, ident in node.items():
            if ident not in factors:
                self.problem(f"unknown factor {ident!r}{suggest(ident, factors)}", f"{path}.{role}", node, role)
        return {str(k): str(v) for k, v in node.items()}
