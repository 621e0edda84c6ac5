"""The two supported embedders side by side, in one run: seconds to index the seeds, and query-embedding latency.

Run with ``python -m bench.embedders``; writes ``bench/results/embedders.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench import (
    load_average,
    load_note,
    machine_info,
    machine_line,
    markdown_table,
    median,
    write_result,
)
from bench.corpus import load_seed_documents
from bot.settings import Settings
from index.embedding import build_embedder
from index.indexing import apply_documents, chunking_config

MODELS = ("all-MiniLM-L6-v2", "multilingual-e5-small")
QUERIES = (
    "How many Afghans has Pakistan deported?",
    "Pakistan ne kitne Afghan deport kiye?",
    "پاکستان نے کتنے افغان واپس بھیجے؟",
    "When do PoR cards expire?",
)


def measure(model: str, settings: Settings, repeats: int, queries: int) -> dict[str, Any]:
    """Index the seeds ``repeats`` times from scratch and embed ``queries`` single questions with ``model``."""
    embedder = build_embedder(model, threads=settings.embedding_threads)
    documents = load_seed_documents(settings)
    chunking = chunking_config(settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    embedder.embed(["warm-up"], kind="query")
    index_s: list[float] = []
    chunks = 0
    for _ in range(repeats):
        start = time.perf_counter()
        snapshot, _ = apply_documents(None, documents, embedder, chunking=chunking, index_type="flat")
        index_s.append(time.perf_counter() - start)
        chunks = len(snapshot.chunks)
    query_ms: list[float] = []
    for i in range(queries):
        start = time.perf_counter()
        embedder.embed([QUERIES[i % len(QUERIES)]], kind="query")
        query_ms.append((time.perf_counter() - start) * 1000)
    return {
        "model": model,
        "chunks": chunks,
        "index_seconds_median": round(median(index_s), 2),
        "query_ms_median": round(median(query_ms), 1),
    }


def main() -> None:
    """Measure both embedders and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    settings = Settings()
    result: dict[str, Any] = {"machine": machine_info(), "load_average_start_end": [load_average()]}
    rows = [measure(model, settings, args.repeats, args.queries) for model in MODELS]
    result["load_average_start_end"].append(load_average())
    result["models"] = rows
    base = rows[0]
    table = markdown_table(
        ["model", "chunks (seeds)", "index seeds, s", "x MiniLM", "query embedding, ms", "x MiniLM"],
        [
            [
                r["model"],
                r["chunks"],
                r["index_seconds_median"],
                round(r["index_seconds_median"] / base["index_seconds_median"], 2),
                r["query_ms_median"],
                round(r["query_ms_median"] / base["query_ms_median"], 2),
            ]
            for r in rows
        ],
    )
    write_result("embedders", result)
    print(machine_line(result["machine"]))
    print(table)
    print(load_note(result))


if __name__ == "__main__":
    main()
