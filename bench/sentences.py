"""What storing sentence vectors compactly costs: float16 and int8 against float32, on real seed sentences.

Every sentence of the seed articles and the 200 benchmark questions (``bench.questions``) are embedded by the real
model in float32. Each sentence vector is then stored as the index stores it (float16; and, for comparison,
int8 with one scale per row), read back as the searcher reads it (float32, renormalised), and scored against
every question. Reported: the absolute cosine error over all question/sentence pairs, and how often the
top-scoring sentence (over all sentences, and over the sentences of the question's 6 retrieved passages)
changes from the float32 choice.

Run with ``python -m bench.sentences``; writes ``bench/results/sentences.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench import load_average, load_note, machine_info, machine_line, make_embedder, markdown_table, write_result
from bench.corpus import SEED
from bench.questions import make_queries
from bot.answering.service import AnswerService
from bot.settings import Settings


def as_float16(vectors: np.ndarray) -> np.ndarray:
    """Rows stored as float16 and read back as unit float32, as the index does."""
    return renormalise(vectors.astype(np.float16).astype(np.float32))


def as_int8(vectors: np.ndarray) -> np.ndarray:
    """Rows stored as int8 with one scale per row, read back as unit float32."""
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    return renormalise(np.round(vectors / scale).astype(np.int8).astype(np.float32) * scale)


def renormalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length."""
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def compare(exact: np.ndarray, stored: np.ndarray, queries: np.ndarray, pools: Sequence[np.ndarray]) -> dict[str, Any]:
    """Cosine errors and top-sentence changes of ``stored`` against ``exact`` over ``queries``."""
    true_scores = queries @ exact.T
    scores = queries @ stored.T
    error = np.abs(scores - true_scores)
    changed_all = int(np.sum(true_scores.argmax(axis=1) != scores.argmax(axis=1)))
    changed_pool = sum(
        int(true_scores[q, pool].argmax() != scores[q, pool].argmax()) for q, pool in enumerate(pools) if len(pool)
    )
    margin = [np.sort(true_scores[q, pool])[-2:] for q, pool in enumerate(pools) if len(pool) > 1]
    return {
        "pairs": int(error.size),
        "cosine_error_max": float(error.max()),
        "cosine_error_mean": float(error.mean()),
        "cosine_error_p99": float(np.percentile(error, 99)),
        "top_sentence_changed_over_all": changed_all,
        "top_sentence_changed_in_retrieved": changed_pool,
        "questions": len(queries),
        "smallest_top_two_gap_in_retrieved": float(min(b - a for a, b in margin)) if margin else None,
        "bytes_per_vector": int(stored.shape[1] * (2 if stored is not exact else 4)),
    }


def run() -> dict[str, Any]:
    """Build the seed index, then compare storage types over every sentence and question."""
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="policybot-sentences-") as data_dir:
        settings = Settings(_env_file=None, data_dir=Path(data_dir))  # type: ignore[call-arg]
        embedder = make_embedder(settings)
        service = AnswerService(settings, embedder)
        service.index_sources([str(settings.seeds_dir)])
        searcher = service._searcher_now()
        snapshot = searcher.snapshot
        table = snapshot.sentence_table
        texts = [snapshot.documents[c.doc_id].text for c in snapshot.chunks]
        doc_text = {c.doc_id: texts[row] for row, c in enumerate(snapshot.chunks)}
        sentence_doc = {}
        for row, chunk in enumerate(snapshot.chunks):
            for sentence_row in table.rows_of(row).tolist():
                sentence_doc[sentence_row] = chunk.doc_id
        sentences = [doc_text[sentence_doc[r]][s:e] for r, (s, e) in enumerate(table.spans.tolist())]
        exact = embedder.embed(sentences, kind="document")
        queries = make_queries(np.random.default_rng(SEED))
        query_vectors = embedder.embed(queries, kind="query")
        pools = []
        for query in queries:
            rows = [snapshot.row_of_chunk[p.chunk_id] for p in searcher.search(query, settings.top_k)]
            pools.append(np.unique(np.concatenate([table.rows_of(r) for r in rows])) if rows else np.zeros(0, int))
    int8 = compare(exact, as_int8(exact), query_vectors, pools)
    int8["bytes_per_vector"] = exact.shape[1] + 4
    return {
        "benchmark": "sentences",
        "sentences": len(sentences),
        "model": settings.embedding_model,
        "float16": compare(exact, as_float16(exact), query_vectors, pools),
        "int8_per_row_scale": int8,
        "float32_bytes_per_vector": exact.shape[1] * 4,
        "machine": machine_info(),
        "load_average_start_end": [load_start, load_average()],
    }


def summary_table(result: dict[str, Any]) -> str:
    """The result as a markdown table."""
    rows = []
    for name in ("float16", "int8_per_row_scale"):
        r = result[name]
        rows.append(
            [
                name,
                r["bytes_per_vector"],
                f"{r['cosine_error_max']:.5f}",
                f"{r['cosine_error_mean']:.6f}",
                f"{r['top_sentence_changed_over_all']} / {r['questions']}",
                f"{r['top_sentence_changed_in_retrieved']} / {r['questions']}",
            ]
        )
    headers = [
        "stored as",
        "bytes/vector",
        "max cosine error",
        "mean cosine error",
        "top sentence changed (all)",
        "top sentence changed (retrieved)",
    ]
    return markdown_table(headers, rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the comparison, save its JSON and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.sentences", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    result = run()
    path = write_result("sentences", result)
    print(summary_table(result))
    print(
        f"\n{result['sentences']} seed sentences × {result['float16']['questions']} questions "
        f"({result['float16']['pairs']} pairs); float32 is {result['float32_bytes_per_vector']} bytes/vector; "
        f"{load_note(result)}; {machine_line(result['machine'])}. Saved to {path}."
    )


if __name__ == "__main__":
    main()
