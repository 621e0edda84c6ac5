"""Hybrid search over the saved seed index: passages carry their sentences and stored sentence vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.chunking import split_sentences
from index.embedding import SentenceTransformerEmbedder
from index.search import HybridSearcher, Retrieval
from index.store import load_snapshot

MODEL = "all-MiniLM-L6-v2"
QUESTIONS = (
    "How many Afghans has Pakistan deported?",
    "When do PoR cards expire?",
    "What did the Taliban say about the deportations?",
    "Did the Torkham border crossing reopen?",
    "How many people has IOM assisted?",
)

pytestmark = pytest.mark.slow


@pytest.fixture
def searcher(data_dir: Path, embedder: SentenceTransformerEmbedder) -> HybridSearcher:
    """A searcher over the seed index as loaded from disk (sentence vectors memory-mapped)."""
    return HybridSearcher(load_snapshot(data_dir / "index", MODEL), embedder)


def test_passages_carry_their_sentences_and_stored_vectors(
    searcher: HybridSearcher, embedder: SentenceTransformerEmbedder
) -> None:
    checked = 0
    for question in QUESTIONS:
        for passage in searcher.search(question, 6):
            assert list(passage.sentences) == split_sentences(passage.text, passage.language)
            assert passage.sentence_vectors is not None
            assert passage.sentence_vectors.dtype == np.float32
            assert passage.sentence_vectors.shape == (len(passage.sentences), embedder.dimension)
            assert np.allclose(np.linalg.norm(passage.sentence_vectors, axis=1), 1.0, atol=1e-5)
            fresh = embedder.embed([passage.text[s:e] for s, e in passage.sentences], kind="document")
            cosines = np.sum(fresh * passage.sentence_vectors, axis=1)
            assert cosines.min() > 0.99, (passage.chunk_id, cosines.min())
            checked += len(passage.sentences)
    assert checked > 50


def test_retrieve_gives_the_corrected_query_its_vector_and_the_passages(
    searcher: HybridSearcher, embedder: SentenceTransformerEmbedder
) -> None:
    retrieval = searcher.retrieve("How many Afgans has Pakistan deportd?", 6)
    assert isinstance(retrieval, Retrieval)
    assert retrieval.query == searcher.speller.correct("How many Afgans has Pakistan deportd?")
    assert "afghans" in retrieval.query.casefold()
    expected = embedder.embed([retrieval.query], kind="query")[0]
    assert float(retrieval.vector @ expected) > 0.9999
    searched = searcher.search(retrieval.query, 6)
    assert [p.chunk_id for p in retrieval.passages] == [p.chunk_id for p in searched]
    for passage in retrieval.passages:
        assert passage.dense_score == pytest.approx(
            float(retrieval.vector @ searcher.snapshot.vectors[searcher.snapshot.row_of_chunk[passage.chunk_id]]),
            abs=1e-5,
        )
    corrected, passages = searcher.correct_and_search("How many Afgans has Pakistan deportd?", 6)
    assert corrected == retrieval.query and [p.chunk_id for p in passages] == [p.chunk_id for p in searched]


def test_retrieve_on_an_empty_question_finds_nothing(searcher: HybridSearcher) -> None:
    retrieval = searcher.retrieve("   ", 6)
    assert retrieval.passages == () and retrieval.vector.shape == (searcher.snapshot.dimension,)
