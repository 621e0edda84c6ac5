"""The evaluation set over the shipped corpus, scored through the real pipeline (real model, FAISS, BM25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.evaluation import evaluate, load_questions
from bot.answering.service import AnswerService

EVAL_FILE = Path(__file__).resolve().parent / "eval" / "questions.jsonl"

pytestmark = pytest.mark.slow


def test_the_evaluation_set_covers_what_it_must() -> None:
    questions = load_questions(EVAL_FILE)
    kinds = [q.kind for q in questions]
    assert len(questions) >= 40
    assert sum(not q.answerable for q in questions) >= 8
    for kind in ("number", "date", "who", "definition", "changing", "paraphrase", "misspelled"):
        assert kind in kinds, kind


async def test_evaluation_scores(service: AnswerService) -> None:
    report = await evaluate(service, load_questions(EVAL_FILE))
    summary = report.summary()
    assert summary["citation_accuracy"] == 1.0, report.failures()
    assert summary["recall_at_5"] >= 0.95, summary
    assert summary["answer_accuracy"] >= 0.85, summary
    assert summary["refusal_accuracy"] >= 0.9, summary
    assert summary["false_refusals"] <= 0.05, summary
