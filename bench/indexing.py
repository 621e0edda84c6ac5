"""Indexing throughput: ``apply_documents`` (chunk, embed, FAISS build) beside raw ``model.encode`` on the same texts.

Run with ``python -m bench.indexing``; writes ``bench/results/indexing.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from bench import (
    BATCH_SIZE,
    in_turn,
    load_average,
    load_note,
    machine_info,
    machine_line,
    make_embedder,
    markdown_table,
    median,
    peak_rss_mb,
    write_result,
)
from bench.corpus import copy_documents, load_seed_documents
from bot.settings import Settings
from index.embedding import SentenceTransformerEmbedder
from index.indexing import apply_documents, chunking_config, embedding_text
from index.store import ChunkingConfig
from index.types import Document

# 29 copies of the 11 seeds is ~1,000 chunks: at 17-33 chunks/s on 2 cores, 3 x (pipeline + raw) takes 4-6 minutes.
DEFAULT_COPIES = 29
DEFAULT_REPEATS = 3


def time_pipeline(
    documents: Sequence[Document], embedder: SentenceTransformerEmbedder, chunking: ChunkingConfig
) -> tuple[float, list[str], np.ndarray, int]:
    """Seconds for one full ``apply_documents`` from scratch, the texts it embedded (chunks, then sentences),
    their vectors, and the number of chunks."""
    start = time.perf_counter()
    snapshot, report = apply_documents(None, documents, embedder, chunking=chunking, index_type="flat")
    elapsed = time.perf_counter() - start
    texts = [embedding_text(snapshot.documents[chunk.doc_id], chunk) for chunk in snapshot.chunks]
    if report.chunks_embedded != len(texts) or snapshot.faiss_index.ntotal != len(texts):
        raise RuntimeError("the pipeline did not embed every chunk it produced")
    # each distinct sentence is embedded too (stored as float16): the raw side encodes the same texts
    table = snapshot.sentence_table
    doc_of_row = {int(r): c.doc_id for i, c in enumerate(snapshot.chunks) for r in table.rows_of(i)}
    sentences = [snapshot.documents[doc_of_row[r]].text[s:e] for r, (s, e) in enumerate(table.spans.tolist())]
    if report.sentences_embedded != len(sentences):
        raise RuntimeError("the pipeline did not embed every sentence it stored")
    vectors = np.concatenate([snapshot.vectors, np.asarray(table.vectors, dtype=np.float32)])
    return elapsed, texts + sentences, vectors, len(texts)


def time_raw_encode(texts: Sequence[str], embedder: SentenceTransformerEmbedder) -> tuple[float, np.ndarray]:
    """Seconds for ``model.encode`` alone on ``texts``, with the embedder's own batch size and options."""
    model = embedder.model
    start = time.perf_counter()
    vectors = model.encode(
        list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return time.perf_counter() - start, np.asarray(vectors, dtype=np.float32)


def run(copies: int, repeats: int) -> dict[str, Any]:
    """Measure pipeline and raw encoding ``repeats`` times each, interleaved, and summarise with medians."""
    load_at_start = load_average()
    settings = Settings()
    embedder = make_embedder(settings)
    chunking = chunking_config(settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    seeds = load_seed_documents(settings)
    documents = copy_documents(seeds, copies)

    # warm-up (untimed): model load, first-call allocations, pysbd and tokenizer caches
    apply_documents(None, seeds, embedder, chunking=chunking, index_type="flat")

    pipeline_s: list[float] = []
    raw_s: list[float] = []
    texts: list[str] = []
    chunks = 0
    pipeline_vectors = np.zeros((0, 0), dtype=np.float32)
    for repeat in range(repeats):
        # alternate which goes first, so drift in machine speed does not favour one side
        for which in in_turn(("pipeline", "raw"), repeat):
            if which == "pipeline":
                seconds, texts, pipeline_vectors, chunks = time_pipeline(documents, embedder, chunking)
                pipeline_s.append(seconds)
            else:
                seconds, raw_vectors = time_raw_encode(texts, embedder)
                raw_s.append(seconds)
                if not np.allclose(raw_vectors, pipeline_vectors, atol=1e-3):  # sentences are float16
                    raise RuntimeError("raw encode and the pipeline produced different vectors")
        print(f"repeat {repeat + 1}/{repeats}: pipeline {pipeline_s[-1]:.1f} s, raw {raw_s[-1]:.1f} s", flush=True)

    sentences = len(texts) - chunks
    pipeline_rate = chunks / median(pipeline_s)
    raw_rate = chunks / median(raw_s)
    return {
        "benchmark": "indexing",
        "machine": machine_info(),
        "load_average_start_end": [load_at_start, load_average()],
        "corpus": {
            "seed_documents": len(seeds),
            "copies": copies,
            "documents": len(documents),
            "chunks": chunks,
            "sentences_embedded": sentences,
            "chunking": chunking.to_json(),
            "model": settings.embedding_model,
            "batch_size": BATCH_SIZE,
        },
        "repeats": repeats,
        "pipeline_seconds": pipeline_s,
        "raw_encode_seconds": raw_s,
        "pipeline_chunks_per_s": round(pipeline_rate, 2),
        "raw_encode_chunks_per_s": round(raw_rate, 2),
        "ratio_pipeline_to_raw": round(pipeline_rate / raw_rate, 3),
        "best_pipeline_chunks_per_s": round(chunks / min(pipeline_s), 2),
        "best_raw_encode_chunks_per_s": round(chunks / min(raw_s), 2),
        "ratio_per_repeat": [round(raw / pipe, 3) for pipe, raw in zip(pipeline_s, raw_s, strict=True)],
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def summary_table(result: dict[str, Any]) -> str:
    """The result as a markdown table."""
    chunks = result["corpus"]["chunks"]
    rows = [
        [
            "full pipeline (`apply_documents`: chunk + embed + FAISS)",
            chunks,
            f"{median(result['pipeline_seconds']):.1f}",
            f"{result['pipeline_chunks_per_s']:.1f}",
            f"{result['best_pipeline_chunks_per_s']:.1f}",
        ],
        [
            "raw `model.encode` (same texts, batch 64)",
            chunks,
            f"{median(result['raw_encode_seconds']):.1f}",
            f"{result['raw_encode_chunks_per_s']:.1f}",
            f"{result['best_raw_encode_chunks_per_s']:.1f}",
        ],
        [
            "ratio pipeline / raw",
            "",
            "",
            f"{result['ratio_pipeline_to_raw']:.2f}",
            f"{result['best_pipeline_chunks_per_s'] / result['best_raw_encode_chunks_per_s']:.2f}",
        ],
    ]
    return markdown_table(["indexing", "chunks", "median s", "median chunks/s", "best chunks/s"], rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the indexing benchmark, save its JSON and print its table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.indexing", description="Indexing throughput: full pipeline beside raw model.encode."
    )
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES, help="copies of each seed article")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="timed runs of each side")
    args = parser.parse_args(argv)
    result = run(args.copies, args.repeats)
    path = write_result("indexing", result)
    print()
    print(summary_table(result))
    print()
    print(
        f"Medians of {result['repeats']} interleaved runs; {load_note(result)}; {machine_line(result['machine'])}. "
        f"Saved to {path}."
    )


if __name__ == "__main__":
    main()
