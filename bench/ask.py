"""Warm ``ask`` latency beside retrieval alone (query embedding + hybrid search), on the shipped index and a
synthetic 100k-chunk one.

For each question, in turn and in alternating order: ``HybridSearcher.search`` for the candidates the service
retrieves (top_k × RERANK_POOL_FACTOR; this embeds the query once), the query embedding alone, and the whole
warm ``AnswerService.ask`` with the offline answerer (spelling correction, retrieval, sentence rerank, answer).
The ratio ask p50 / search p50 is what answering adds on top of retrieval.

The shipped index is the seed articles, indexed as ``policybot index`` does. The large one is ``bench.query``'s
synthetic corpus (``bench.corpus``: chunks of 2-4 real seed sentences, vectors derived from the sentences' real
vectors; its sentence vectors are the seed sentences' real ones), saved with ``save_snapshot`` and loaded by the
service from disk as the bot would (checksums, memory-mapped sentence vectors). Questions are ``bench.query``'s
200 (``bench.questions``).

Run with ``python -m bench.ask``; writes ``bench/results/ask.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
from bench.corpus import SEED, load_seed_documents, seed_sentences, synthetic_corpus, synthetic_snapshot
from bench.questions import make_queries
from bot.answering.service import RERANK_POOL_FACTOR, AnswerService
from bot.settings import Settings
from index.embedding import SentenceTransformerEmbedder
from index.indexing import chunking_config
from index.store import save_snapshot

DEFAULT_SIZES = (100_000,)
WARM_UP_QUESTIONS = 10


async def time_asks(
    service: AnswerService, embedder: SentenceTransformerEmbedder, queries: Sequence[str]
) -> dict[str, Any]:
    """Per question: retrieval alone, the query embedding alone, and the whole warm ask."""
    await service.start()
    searcher = service._searcher_now()
    pool = service.settings.top_k * RERANK_POOL_FACTOR
    for query in queries[:WARM_UP_QUESTIONS]:
        await service.ask(query)
        searcher.search(query, pool)
    search_s: list[float] = []
    embed_s: list[float] = []
    ask_s: list[float] = []
    refused = 0
    for number, query in enumerate(queries):
        for step in in_turn(("search", "embed", "ask"), number):
            start = time.perf_counter()
            if step == "search":
                searcher.search(query, pool)
                search_s.append(time.perf_counter() - start)
            elif step == "embed":
                embedder.embed([query], kind="query")
                embed_s.append(time.perf_counter() - start)
            else:
                answer = await service.ask(query)
                ask_s.append(time.perf_counter() - start)
                refused += answer.refused
    return {
        "questions": len(queries),
        "refused": refused,
        "chunks": len(searcher.snapshot.chunks),
        "sentences": len(searcher.snapshot.sentence_table.spans),
        "ask_p50_ms": percentile_ms(ask_s, 50),
        "ask_p95_ms": percentile_ms(ask_s, 95),
        "search_p50_ms": percentile_ms(search_s, 50),
        "search_p95_ms": percentile_ms(search_s, 95),
        "embed_p50_ms": percentile_ms(embed_s, 50),
        "ask_over_search_p50": round(float(np.median(ask_s) / np.median(search_s)), 2),
        "rss_after_mb": round(current_rss_mb(), 1),
    }


def run(sizes: Sequence[int], question_count: int) -> dict[str, Any]:
    """Time asks on the shipped index, then on each synthetic size."""
    load_start = load_average()
    queries = make_queries(np.random.default_rng(SEED))[:question_count]
    configs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="policybot-ask-") as root:
        settings = Settings(_env_file=None, data_dir=Path(root) / "shipped")  # type: ignore[call-arg]
        embedder = make_embedder(settings)
        service = AnswerService(settings, embedder)
        service.index_sources([str(settings.seeds_dir)])
        configs.append({"index": "shipped (seeds)"} | asyncio.run(time_asks(service, embedder, queries)))
        print(f"shipped: {configs[-1]}", flush=True)
        del service
        sentences, titles = seed_sentences(load_seed_documents(settings))
        sentence_vectors = embedder.embed(sentences, kind="document")
        rng = np.random.default_rng(SEED)
        chunking = chunking_config(settings.chunk_max_tokens, settings.chunk_overlap_sentences)
        for size in sizes:
            sized = settings.model_copy(update={"data_dir": Path(root) / f"synthetic-{size}"})
            started = time.perf_counter()
            corpus = synthetic_corpus(sentences, titles, sentence_vectors, size, rng)
            snapshot = synthetic_snapshot(corpus, embedder, settings.index_type, chunking)
            save_snapshot(sized.index_dir, snapshot)
            del snapshot, corpus
            gc.collect()
            build_s = time.perf_counter() - started
            service = AnswerService(sized, embedder)
            started = time.perf_counter()
            asyncio.run(service.start())
            load_s = time.perf_counter() - started
            result = asyncio.run(time_asks(service, embedder, queries))
            configs.append(
                {"index": f"synthetic {size:,} chunks", "build_and_save_s": round(build_s, 1)}
                | {"load_s": round(load_s, 1)}
                | result
            )
            print(f"{size}: {configs[-1]}", flush=True)
            del service
            gc.collect()
    return {
        "benchmark": "ask",
        "model": settings.embedding_model,
        "answerer": "extractive",
        "k": settings.top_k,
        "retrieved_for_rerank": settings.top_k * RERANK_POOL_FACTOR,
        "configs": configs,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "machine": machine_info(),
        "load_average_start_end": [load_start, load_average()],
    }


def summary_table(result: dict[str, Any]) -> str:
    """The result as a markdown table."""
    rows = [
        [
            config["index"],
            f"{config['sentences']:,}",
            config["ask_p50_ms"],
            config["ask_p95_ms"],
            config["search_p50_ms"],
            config["embed_p50_ms"],
            f"{config['ask_over_search_p50']}×",
        ]
        for config in result["configs"]
    ]
    headers = [
        "index",
        "sentences",
        "ask p50 ms",
        "ask p95 ms",
        "embedding + hybrid search p50 ms",
        "query embedding p50 ms",
        "ask / search (p50)",
    ]
    return markdown_table(headers, rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ask benchmark, save its JSON and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.ask", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES), help="synthetic chunk counts")
    parser.add_argument("--questions", type=int, default=200, help="at most 200")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(args.sizes, args.questions)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    path = write_result("ask", result)
    print()
    print(summary_table(result))
    print(
        f"\n{result['configs'][0]['questions']} questions, k={result['k']} (retrieving "
        f"{result['retrieved_for_rerank']} for the rerank); {result['wall_s']} s in all; peak RSS "
        f"{result['peak_rss_mb']:.0f} MiB; {load_note(result)}; {machine_line(result['machine'])}. Saved to {path}."
    )


if __name__ == "__main__":
    main()
