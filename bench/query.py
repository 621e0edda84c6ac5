"""Query latency of ``HybridSearcher.search`` at 10k and 100k chunks, over a synthetic corpus made from the seeds.

The synthetic chunks (``bench.corpus.synthetic_corpus``) are NOT real embedded articles: each chunk's text joins
2-4 random seed sentences and its vector is the normalised mean of those sentences' real vectors plus small
Gaussian noise (embedding 100k real texts on a small CPU would take hours). Queries are real
(``bench.questions``): each is embedded by the model inside ``search``.

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
    in_turn,
    load_average,
    load_note,
    machine_info,
    machine_line,
    make_embedder,
    markdown_table,
    peak_rss_mb,
    percentile_ms,
    write_result,
)
from bench.corpus import (
    CHUNKS_PER_DOCUMENT,
    NOISE_STD,
    SEED,
    SyntheticCorpus,
    load_seed_documents,
    seed_sentences,
    synthetic_corpus,
    synthetic_snapshot,
)
from bench.questions import make_queries
from bot.settings import Settings
from index.embedding import SentenceTransformerEmbedder
from index.indexing import chunking_config
from index.search import HybridSearcher
from index.store import ChunkingConfig, IndexType

DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_INDEX_TYPES: tuple[IndexType, ...] = ("flat", "hnsw")
WARM_UP_QUERIES = 10


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
        for name in in_turn(names, number):
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
    corpus: SyntheticCorpus,
    embedder: SentenceTransformerEmbedder,
    chunking: ChunkingConfig,
    queries: Sequence[str],
    k: int,
) -> list[dict[str, Any]]:
    """Build a snapshot per index type over one corpus, as the bot does, and time the queries on each."""
    documents = corpus[0]
    searchers: dict[str, HybridSearcher] = {}
    builds: dict[str, dict[str, float]] = {}
    for index_type in index_types:
        start = time.perf_counter()
        snapshot = synthetic_snapshot(corpus, embedder, index_type, chunking)
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
