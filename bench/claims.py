"""Claim extraction cost at index time: spaCy's load, seconds per article, and its share of ``apply_documents``.

Run with ``python -m bench.claims``; writes ``bench/results/claims.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

from bench import (
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
from index.claims import EnglishParser, extract_all
from index.indexing import apply_documents, chunking_config

# 10 copies of the 11 seeds: 110 articles, ~400 chunks; 3 x (pipeline + claims alone) takes 2-4 minutes on 2 cores.
DEFAULT_COPIES = 10
DEFAULT_REPEATS = 3


def run(copies: int, repeats: int) -> dict[str, Any]:
    """Time the parser's load, then claims alone and the whole indexing path, interleaved ``repeats`` times."""
    load_at_start = load_average()
    settings = Settings()
    seeds = load_seed_documents(settings)
    documents = copy_documents(seeds, copies)
    english = [d for d in documents if d.language == "en"]
    words = sum(len(d.text.split()) for d in english)

    parser = EnglishParser()
    start = time.perf_counter()
    parser.parse(["The parser loads on first use."])
    load_s = time.perf_counter() - start

    embedder = make_embedder(settings)
    chunking = chunking_config(settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    apply_documents(None, seeds, embedder, chunking=chunking, index_type="flat", parser=parser)  # warm-up

    claims_s: list[float] = []
    pipeline_s: list[float] = []
    claims = 0
    for repeat in range(repeats):
        for which in in_turn(("claims", "pipeline"), repeat):
            start = time.perf_counter()
            if which == "claims":
                claims = len(extract_all(documents, parser))
                claims_s.append(time.perf_counter() - start)
            else:
                snapshot, _ = apply_documents(
                    None, documents, embedder, chunking=chunking, index_type="flat", parser=parser
                )
                pipeline_s.append(time.perf_counter() - start)
                if len(snapshot.claims) != claims and claims:
                    raise RuntimeError("the pipeline stored other claims than extraction alone found")
        print(f"repeat {repeat + 1}/{repeats}: claims {claims_s[-1]:.1f} s, pipeline {pipeline_s[-1]:.1f} s")

    return {
        "benchmark": "claims",
        "machine": machine_info(),
        "load_average_start_end": [load_at_start, load_average()],
        "corpus": {
            "seed_documents": len(seeds),
            "copies": copies,
            "documents": len(documents),
            "english_documents": len(english),
            "english_words": words,
            "claims": claims,
            "parser": parser.name,
        },
        "repeats": repeats,
        "parser_load_seconds": round(load_s, 3),
        "claims_seconds": claims_s,
        "pipeline_seconds": pipeline_s,
        "seconds_per_article": round(median(claims_s) / len(documents), 4),
        "words_per_second": round(words / median(claims_s), 1),
        "claims_share_of_pipeline": round(median(claims_s) / median(pipeline_s), 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def summary_table(result: dict[str, Any]) -> str:
    """The result as a markdown table."""
    corpus = result["corpus"]
    rows = [
        ["parser load (first parse)", "", f"{result['parser_load_seconds']:.2f}", ""],
        [
            "claims alone (`extract_claims`, every article)",
            corpus["documents"],
            f"{median(result['claims_seconds']):.1f}",
            f"{result['seconds_per_article']:.3f}",
        ],
        [
            "whole indexing (`apply_documents`: chunk, embed, claims, FAISS)",
            corpus["documents"],
            f"{median(result['pipeline_seconds']):.1f}",
            f"{median(result['pipeline_seconds']) / corpus['documents']:.3f}",
        ],
        ["claims' share of indexing", "", f"{result['claims_share_of_pipeline']:.2f}", ""],
    ]
    return markdown_table(["step", "articles", "median s", "s per article"], rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the claims benchmark, save its JSON and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.claims", description="Claim extraction cost.")
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES, help="copies of each seed article")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="timed runs of each side")
    args = parser.parse_args(argv)
    result = run(args.copies, args.repeats)
    path = write_result("claims", result)
    print()
    print(summary_table(result))
    print()
    print(
        f"Medians of {result['repeats']} interleaved runs; {result['corpus']['claims']} claims; "
        f"{load_note(result)}; {machine_line(result['machine'])}. Saved to {path}."
    )


if __name__ == "__main__":
    main()
