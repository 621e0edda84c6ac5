"""Query latency of ``HybridSearcher.search`` at 10k and 100k chunks, over a synthetic corpus made from the seeds.

The synthetic chunks are NOT real embedded articles: each chunk's text joins 2-4 random seed sentences and its
vector is the normalised mean of those sentences' real vectors plus small Gaussian noise (embedding 100k real
texts on a small CPU would take hours). Queries are real: each is embedded by the model inside ``search``.

Run with ``python -m bench.query``; writes ``bench/results/query.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import copy
import gc
import time
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from bench import (
    current_rss_mb,
    load_average,
    load_note,
    load_seed_documents,
    machine_info,
    machine_line,
    make_embedder,
    markdown_table,
    peak_rss_mb,
    write_result,
)
from bot.settings import Settings
from index.chunking import split_sentences
from index.embedding import SentenceTransformerEmbedder
from index.indexing import chunking_config
from index.search import HybridSearcher
from index.store import ChunkingConfig, IndexType, SentenceTable, new_snapshot
from index.types import Chunk, Document

DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_INDEX_TYPES: tuple[IndexType, ...] = ("flat", "hnsw")
SEED = 20250401
NOISE_STD = 0.015  # per dimension: noise of norm ~0.3 on a unit vector, so no two synthetic chunks coincide
CHUNKS_PER_DOCUMENT = 4
WARM_UP_QUERIES = 10

BASE_QUESTIONS = (
    "How many Afghans has Pakistan deported?",
    "What happens to ACC holders?",
    "When do PoR cards expire?",
    "What is the Illegal Foreigners' Repatriation Plan?",
    "What did the Taliban say about the deportations?",
    "How many Afghans have returned from Pakistan?",
    "What did UNHCR say about the returns?",
    "How many people has IOM assisted?",
    "Was the validity of PoR cards extended?",
    "What is the deadline for Afghan Citizen Card holders?",
    "Did the Torkham border crossing reopen?",
    "What did Amnesty International say about the expulsions?",
    "What do Pakistanis think about sending Afghans back?",
    "What did Zabihullah Mujahid say about Pakistan?",
    "How many Afghan refugees were deported since April 1?",
    "What did Talal Chaudhry announce?",
    "When will PoR holders be deported?",
    "Are undocumented Afghans being arrested in Islamabad?",
    "How many Afghan refugees live in Pakistan?",
    "What support do returnees get in Afghanistan?",
)
FRAMES = (
    "{q}",
    "{bare}",
    "Quick question: {q}",
    "{q} Please cite your sources.",
    "According to recent news, {lower}",
    "Can you tell me: {lower}",
    "{q} What is the latest figure?",
    "I read about this in the news. {q}",
    "{bare} in 2024?",
    "{bare} as of 2025?",
)


def make_queries(rng: np.random.Generator) -> list[str]:
    """200 questions: each base question in ten phrasings, in a seeded random order."""
    queries = []
    for question in BASE_QUESTIONS:
        bare = question.rstrip("?")
        lower = question[0].lower() + question[1:]
        queries += [frame.format(q=question, bare=bare, lower=lower) for frame in FRAMES]
    order = rng.permutation(len(queries))
    return [queries[i] for i in order]


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
) -> tuple[dict[str, Document], list[Chunk], np.ndarray, SentenceTable]:
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


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``seconds``, in milliseconds."""
    return round(float(np.percentile(np.asarray(seconds) * 1000, q)), 2)


def latency_summary(search_s: Sequence[float], embed_s: Sequence[float]) -> dict[str, Any]:
    """Percentiles of search latency and the share of it that is the query embedding."""
    return {
        "search_p50_ms": percentile_ms(search_s, 50),
        "search_p95_ms": percentile_ms(search_s, 95),
        "search_mean_ms": round(float(np.mean(search_s)) * 1000, 2),
        "embed_p50_ms": percentile_ms(embed_s, 50),
        "embed_p95_ms": percentile_ms(embed_s, 95),
        "embed_mean_ms": round(float(np.mean(embed_s)) * 1000, 2),
        "embed_share_of_p50": round(float(np.median(embed_s) / np.median(search_s)), 3),
        "embed_share_of_mean": round(float(np.mean(embed_s) / np.mean(search_s)), 3),
    }


def time_queries(
    searchers: dict[str, HybridSearcher], embedder: SentenceTransformerEmbedder, queries: Sequence[str], k: int
) -> dict[str, dict[str, Any]]:
    """Per searcher, the latency of each query's search, with the query's embedding alone timed just before.

    Searchers take turns query by query (in alternating order), so a burst of outside load hits them alike.
    """
    names = list(searchers)
    for query in queries[:WARM_UP_QUERIES]:
        for name in names:
            searchers[name].search(query, k)
    search_s: dict[str, list[float]] = {name: [] for name in names}
    embed_s: list[float] = []
    empty = dict.fromkeys(names, 0)
    for number, query in enumerate(queries):
        start = time.perf_counter()
        embedder.embed([query], kind="query")
        embed_s.append(time.perf_counter() - start)
        for name in names if number % 2 == 0 else reversed(names):
            start = time.perf_counter()
            passages = searchers[name].search(query, k)
            search_s[name].append(time.perf_counter() - start)
            empty[name] += not passages
    return {
        name: {"queries": len(queries), "empty_results": empty[name]} | latency_summary(search_s[name], embed_s)
        for name in names
    }


def run_size(
    size: int,
    index_types: Sequence[IndexType],
    corpus: tuple[dict[str, Document], list[Chunk], np.ndarray, SentenceTable],
    embedder: SentenceTransformerEmbedder,
    chunking: ChunkingConfig,
    queries: Sequence[str],
    k: int,
) -> list[dict[str, Any]]:
    """Build a snapshot per index type over one corpus, as the bot does, and time the queries on each."""
    documents, chunks, vectors, sentences = corpus
    searchers: dict[str, HybridSearcher] = {}
    builds: dict[str, dict[str, float]] = {}
    for index_type in index_types:
        start = time.perf_counter()
        snapshot = new_snapshot(
            model_name=embedder.model_name,
            dimension=embedder.dimension,
            index_type=index_type,
            chunking=chunking,
            documents=documents,
            chunks=chunks,
            vectors=vectors,
            sentences=sentences,
        )
        snapshot_s = time.perf_counter() - start
        start = time.perf_counter()
        if searchers:
            # BM25 and the speller do not depend on the FAISS index type: share them, so that all index
            # types fit in memory together and their queries can be interleaved
            searcher = copy.copy(next(iter(searchers.values())))
            searcher.snapshot = snapshot
        else:
            searcher = HybridSearcher(snapshot, embedder)
        searcher_s = time.perf_counter() - start
        searchers[index_type] = searcher
        builds[index_type] = {
            "snapshot_build_s": round(snapshot_s, 2),
            "searcher_build_s": round(searcher_s, 2),
            "rss_after_build_mb": round(current_rss_mb(), 1),
        }
    timings = time_queries(searchers, embedder, queries, k)
    results = []
    for index_type in index_types:
        result = {"chunks": size, "documents": len(documents), "index_type": index_type}
        result |= builds[index_type] | timings[index_type] | {"peak_rss_so_far_mb": round(peak_rss_mb(), 1)}
        results.append(result)
        print(
            f"{size:>7} chunks, {index_type}: p50 {result['search_p50_ms']} ms, p95 {result['search_p95_ms']} ms",
            flush=True,
        )
    return results


def run(sizes: Sequence[int], index_types: Sequence[IndexType]) -> dict[str, Any]:
    """Time searches over each synthetic corpus size and index type."""
    load_at_start = load_average()
    settings = Settings()
    embedder = make_embedder(settings)
    chunking = chunking_config(settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    rng = np.random.default_rng(SEED)
    queries = make_queries(rng)
    sentences, titles = seed_sentences(load_seed_documents(settings))
    sentence_vectors = embedder.embed(sentences, kind="document")
    results = []
    for size in sizes:
        corpus = synthetic_corpus(sentences, titles, sentence_vectors, size, rng)
        results += run_size(size, index_types, corpus, embedder, chunking, queries, settings.top_k)
        del corpus
        gc.collect()
    return {
        "benchmark": "query",
        "machine": machine_info(),
        "load_average_start_end": [load_at_start, load_average()],
        "synthetic_corpus": {
            "note": "chunk texts join 2-4 random seed sentences; chunk vectors are the normalised mean of those "
            "sentences' real vectors plus Gaussian noise, not embeddings of the chunk texts",
            "seed_sentences": len(sentences),
            "sentences_per_chunk": [2, 4],
            "noise_std_per_dimension": NOISE_STD,
            "chunks_per_document": CHUNKS_PER_DOCUMENT,
            "rng_seed": SEED,
        },
        "model": settings.embedding_model,
        "k": settings.top_k,
        "queries": len(queries),
        "configs": results,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def summary_table(result: dict[str, Any]) -> str:
    """The result as a markdown table."""
    rows = [
        [
            f"{config['chunks']:,}",
            config["index_type"],
            config["search_p50_ms"],
            config["search_p95_ms"],
            config["embed_p50_ms"],
            f"{config['embed_share_of_p50']:.0%}",
            f"{config['snapshot_build_s']}",
            f"{config['rss_after_build_mb']:.0f}",
        ]
        for config in result["configs"]
    ]
    headers = [
        "chunks",
        "index",
        "search p50 ms",
        "search p95 ms",
        "query embedding p50 ms",
        "embedding share of p50",
        "FAISS build s",
        "RSS after build MiB",
    ]
    return markdown_table(headers, rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the query benchmark, save its JSON and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.query", description="Query latency of HybridSearcher.")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes in chunks")
    parser.add_argument(
        "--index-types", nargs="+", choices=["flat", "hnsw"], default=list(DEFAULT_INDEX_TYPES), help="FAISS types"
    )
    args = parser.parse_args(argv)
    result = run(args.sizes, cast(list[IndexType], args.index_types))
    path = write_result("query", result)
    print()
    print(summary_table(result))
    print()
    print(
        f"{result['queries']} queries, k={result['k']}; synthetic corpus from "
        f"{result['synthetic_corpus']['seed_sentences']} real seed-sentence vectors (see bench/README.md); "
        f"peak RSS {result['peak_rss_mb']:.0f} MiB; {load_note(result)}; {machine_line(result['machine'])}. "
        f"Saved to {path}."
    )


if __name__ == "__main__":
    main()
