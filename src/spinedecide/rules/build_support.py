"""Building the decision support: what matters, leaning, SURE, questions to ask, knowledge check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lines import one_line
from ..conditions import Compiler, suggest
from .crosschecks import _CrossChecks
from .model import DecisionSupport, Factor, GridRow, Priority, QuestionToAsk, QuizItem, SureItem
from .shape import PRIORITY_FITS, SCHEMA


class _Support(_CrossChecks):
    """The decision support."""

    def decision_support(
        self, node: Any, doc: Any, factors: Mapping[str, Factor], compiler: Compiler, grid_rows: tuple[GridRow, ...]
    ) -> DecisionSupport:
        if node is None:
            return DecisionSupport()
        path = "decision_support"
        if self.mapping(node, path, *SCHEMA["decision_support"], doc, path) is None:
            return DecisionSupport()

        def choice_factor(ident: Any, where: str, container: Any, key: Any) -> Factor | None:
            factor = factors.get(ident) if isinstance(ident, str) else None
            if factor is None:
                self.problem(f"unknown factor {ident!r}{suggest(ident, factors)}", where, container, key)
            elif factor.type != "choice":
                self.problem(f"{ident!r} must be a choice factor", where, container, key)
                return None
            return factor

        priorities = []
        placed: list[tuple[Any, str]] = []  # (yaml item, path) of each entry in ``priorities``
        for i, item in enumerate(node.get("priorities", [])):
            where = f"{path}.priorities[{i}]"
            if self.mapping(item, where, *SCHEMA["priority"], node["priorities"], i) is None:
                continue
            self.cite(item, where)
            factor = choice_factor(item["factor"], f"{where}.factor", item, "factor")
            if factor is not None:
                for value in item["matters"]:
                    if value not in factor.choice_ids:
                        self.problem(
                            f"{value!r} is not a choice of {factor.id!r}{suggest(value, factor.choice_ids)}",
                            f"{where}.matters",
                            item,
                            "matters",
                        )
            if item["fits"] not in PRIORITY_FITS:
                self.problem(f"fits must be one of {', '.join(PRIORITY_FITS)}", f"{where}.fits", item, "fits")
            when = compiler.compile(item["when"], f"{where}.when", item, "when") if "when" in item else None
            priorities.append(
                Priority(
                    item["factor"],
                    frozenset(item["matters"]),
                    item["fits"],
                    one_line(item["text"]),
                    tuple(item["sources"]),
                    when,
                )
            )
            placed.append((item, where))
        self.check_priorities_do_not_overlap(priorities, placed, factors)

        leaning = node.get("leaning")
        if leaning is not None:
            choice_factor(leaning, f"{path}.leaning", node, "leaning")

        sure = []
        for i, item in enumerate(node.get("sure", [])):
            where = f"{path}.sure[{i}]"
            if self.mapping(item, where, *SCHEMA["sure_item"], node["sure"], i) is None:
                continue
            factor = choice_factor(item["factor"], f"{where}.factor", item, "factor")
            if factor is not None and set(factor.choice_ids) != {"yes", "no"}:
                self.problem(
                    f"a SURE question must be answered yes or no; {factor.id!r} has {', '.join(factor.choice_ids)}",
                    f"{where}.factor",
                    item,
                    "factor",
                )
            sure.append(SureItem(item["factor"], one_line(item["next_step"])))

        questions = []
        for i, item in enumerate(node.get("questions_to_ask", [])):
            where = f"{path}.questions_to_ask[{i}]"
            if self.mapping(item, where, *SCHEMA["question_to_ask"], node["questions_to_ask"], i) is None:
                continue
            self.claim_id(item["id"], "question to ask", where, item)
            when = compiler.compile(item["when"], f"{where}.when", item, "when") if "when" in item else None
            questions.append(QuestionToAsk(item["id"], one_line(item["text"]), when))

        quiz = []
        for i, item in enumerate(node.get("knowledge_check", [])):
            where = f"{path}.knowledge_check[{i}]"
            if self.mapping(item, where, *SCHEMA["quiz_item"], node["knowledge_check"], i) is None:
                continue
            self.claim_id(item["id"], "knowledge check", where, item)
            self.cite(item, where)
            when = compiler.compile(item["when"], f"{where}.when", item, "when") if "when" in item else None
            quiz.append(
                QuizItem(
                    item["id"],
                    one_line(item["statement"]),
                    item["answer"],
                    one_line(item["explanation"]),
                    tuple(item["sources"]),
                    when,
                    tuple(item.get("findings", ())),
                )
            )
        return DecisionSupport(grid_rows, tuple(priorities), leaning, tuple(sure), "yes", tuple(questions), tuple(quiz))
