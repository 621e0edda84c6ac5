"""The corpora the benchmarks run on: the seed articles, copies of them, and synthetic corpora made from their
sentences (``bench.query`` and ``bench.ask`` search one; ``bench.load --scenario memory`` indexes the other)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.settings import Settings
from index.chunking import split_sentences
from index.documents import FetchLimits, content_id
from index.embedding import SentenceTransformerEmbedder
from index.indexing import load_documents
from index.store import ChunkingConfig, IndexSnapshot, IndexType, SentenceTable, new_snapshot
from index.types import Chunk, Document

__all__ = [
    "CHUNKS_PER_DOCUMENT",
    "NOISE_STD",
    "SEED",
    "SENTENCES_PER_ARTICLE",
    "SyntheticCorpus",
    "copy_documents",
    "load_seed_documents",
    "seed_sentences",
    "synthetic_articles",
    "synthetic_corpus",
    "synthetic_snapshot",
]

SEED = 20250401  # the synthetic corpus's RNG, and the order of ``bench.questions.make_queries``
NOISE_STD = 0.015  # per dimension: noise of norm ~0.3 on a unit vector, so no two synthetic chunks coincide
CHUNKS_PER_DOCUMENT = 4
SENTENCES_PER_ARTICLE = (6, 14)

SyntheticCorpus = tuple[dict[str, Document], list[Chunk], np.ndarray, SentenceTable]


def load_seed_documents(settings: Settings) -> list[Document]:
    """The seed articles, loaded as `policybot index` loads them; any failure stops the benchmark."""
    documents, failed = load_documents([str(settings.seeds_dir)], FetchLimits())
    if failed or not documents:
        raise SystemExit(f"cannot load the seed articles from {settings.seeds_dir}: {failed}")
    return documents


def copy_documents(documents: Sequence[Document], copies: int) -> list[Document]:
    """``copies`` versions of each document, each ending in its own sentence, so ids and origins are distinct."""
    copied: list[Document] = []
    for number in range(1, copies + 1):
        for document in documents:
            text = f"{document.text}\n\nThis is benchmark copy number {number} of the article."
            copied.append(
                replace(document, text=text, doc_id=content_id(text), origin=f"{document.origin}#copy-{number}")
            )
    return copied


def seed_sentences(documents: Sequence[Document]) -> tuple[list[str], list[str]]:
    """Every sentence of the seed articles, and the title of the article each comes from."""
    sentences: list[str] = []
    titles: list[str] = []
    for document in documents:
        for start, end in split_sentences(document.text, document.language):
            sentences.append(document.text[start:end])
            titles.append(document.title)
    return sentences, titles


def synthetic_corpus(
    sentences: Sequence[str],
    titles: Sequence[str],
    sentence_vectors: np.ndarray,
    size: int,
    rng: np.random.Generator,
) -> SyntheticCorpus:
    """``size`` chunks of 2-4 random seed sentences, grouped into documents, with derived unit vectors, and
    the chunks' sentences with the seed sentences' real vectors (each occurrence its own row, as chunks that
    do not overlap would have)."""
    documents: dict[str, Document] = {}
    chunks: list[Chunk] = []
    vectors = np.empty((size, sentence_vectors.shape[1]), dtype=np.float32)
    counts = rng.integers(2, 5, size=size)
    sentence_spans: list[tuple[int, int]] = []
    sentence_sources: list[int] = []  # the seed sentence of each row
    members: list[list[int]] = []
    pending: list[tuple[list[int], str]] = []  # (seed sentence picks, title of the first) for the document being built
    for row in range(size):
        picks = rng.choice(len(sentences), size=int(counts[row]), replace=False)
        pending.append(([int(i) for i in picks], titles[picks[0]]))
        vectors[row] = sentence_vectors[picks].mean(axis=0)
        if len(pending) == CHUNKS_PER_DOCUMENT or row == size - 1:
            doc_id = f"synthetic{len(documents):07d}"
            text = ""
            for ordinal, (chunk_picks, _) in enumerate(pending):
                start = len(text) + (2 if text else 0)
                chunk_text = " ".join(sentences[i] for i in chunk_picks)
                text = f"{text}\n\n{chunk_text}" if text else chunk_text
                chunks.append(Chunk(f"{doc_id}:{ordinal}", doc_id, ordinal, start, len(text), chunk_text))
                position = start
                members.append([])
                for i in chunk_picks:
                    members[-1].append(len(sentence_spans))
                    sentence_spans.append((position, position + len(sentences[i])))
                    sentence_sources.append(i)
                    position += len(sentences[i]) + 1
            documents[doc_id] = Document(
                doc_id=doc_id,
                text=text,
                title=pending[0][1],
                source="synthetic",
                date=None,
                url=None,
                origin=f"synthetic://{doc_id}",
            )
            pending = []
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors += rng.normal(0.0, NOISE_STD, size=vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    table = SentenceTable.from_chunks(
        np.asarray(sentence_spans, dtype=np.int64),
        sentence_vectors.astype(np.float16)[np.asarray(sentence_sources)],
        members,
    )
    return documents, chunks, vectors, table


def synthetic_snapshot(
    corpus: SyntheticCorpus,
    embedder: SentenceTransformerEmbedder,
    index_type: IndexType,
    chunking: ChunkingConfig,
) -> IndexSnapshot:
    """A snapshot of ``corpus`` built as the bot builds one (FAISS index of ``index_type``)."""
    documents, chunks, vectors, sentences = corpus
    return new_snapshot(
        model_name=embedder.model_name,
        dimension=embedder.dimension,
        index_type=index_type,
        chunking=chunking,
        documents=documents,
        chunks=chunks,
        vectors=vectors,
        sentences=sentences,
    )


def synthetic_articles(seeds: Sequence[Document], count: int, rng: random.Random) -> list[str]:
    """``count`` distinct Markdown articles: each 6-14 sentences drawn from all the seed articles, shuffled into
    paragraphs of three, under one seed's outlet and date and a title of its own."""
    pool, _ = seed_sentences(seeds)
    bodies: set[str] = set()
    articles: list[str] = []
    while len(articles) < count:
        base = seeds[len(articles) % len(seeds)]
        picks = rng.sample(pool, rng.randint(*SENTENCES_PER_ARTICLE))
        body = "\n\n".join(" ".join(picks[i : i + 3]) for i in range(0, len(picks), 3))
        if body in bodies:
            continue
        bodies.add(body)
        meta = {"title": f"{base.title} (digest {len(articles) + 1})", "source": base.source, "date": base.date}
        front = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items() if value)
        articles.append(f"---\n{front}---\n{body}\n")
    return articles
