"""What reading the corpus vocabulary (``index.vocabulary.Vocabulary``) costs when a searcher loads an index.

A searcher reads, on load, the BM25 index of every chunk and the vocabulary: each word form the chunks write (the
speller's words) and the words they write as names. This times both on the same synthetic chunk texts (2-4 random
seed sentences each, under a seed article's title, as ``bench.query`` builds them), in turn, and reports the
vocabulary's time as a ratio to the BM25 index's: the share it adds to loading, measured in one run.

Run with ``python -m bench.vocabulary``; writes ``bench/results/vocabulary.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from typing import Any

import Stemmer

from bench import in_turn, load_average, load_note, machine_info, machine_line, markdown_table, median, write_result
from bench.corpus import SEED, load_seed_documents, seed_sentences
from bot.settings import Settings
from index.search import BM25Index
from index.vocabulary import Vocabulary

DEFAULT_SIZES = (10_000, 100_000)


def chunk_texts(
    sentences: Sequence[str], titles: Sequence[str], size: int, rng: random.Random
) -> tuple[list[str], list[str]]:
    """``size`` chunk bodies of 2-4 random seed sentences, each under its first sentence's title as the searcher
    reads a chunk ("title\nbody"), and the bodies alone: (texts, prose), as ``Vocabulary.of`` takes them."""
    texts, prose = [], []
    for _ in range(size):
        picks = rng.sample(range(len(sentences)), rng.randint(2, 4))
        body = " ".join(sentences[i] for i in picks)
        texts.append(f"{titles[picks[0]]}\n{body}")
        prose.append(body)
    return texts, prose


def run_size(sentences: Sequence[str], titles: Sequence[str], size: int, rounds: int) -> dict[str, Any]:
    """BM25 and vocabulary timings (median of ``rounds``, each round both in turn) over ``size`` chunks."""
    texts, prose = chunk_texts(sentences, titles, size, random.Random(SEED))
    stemmer = Stemmer.Stemmer("english")
    bm25_s: list[float] = []
    vocabulary_s: list[float] = []
    names = 0
    for turn in range(rounds):
        for step in in_turn(["bm25", "vocabulary"], turn):
            started = time.perf_counter()
            if step == "bm25":
                BM25Index(texts, stemmer)
                bm25_s.append(time.perf_counter() - started)
            else:
                names = len(Vocabulary.of(texts, prose=prose).names)
                vocabulary_s.append(time.perf_counter() - started)
    bm25, vocabulary = median(bm25_s), median(vocabulary_s)
    return {
        "chunks": size,
        "text_mb": round(sum(len(t) for t in texts) / 1e6, 1),
        "bm25_s": round(bm25, 2),
        "vocabulary_s": round(vocabulary, 2),
        "vocabulary_over_bm25": round(vocabulary / bm25, 2) if bm25 else None,
        "names": names,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Time both at each size and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.vocabulary", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="synthetic chunk counts")
    parser.add_argument("--rounds", type=int, default=3, help="timings per size (the median is reported)")
    args = parser.parse_args(argv)
    sentences, titles = seed_sentences(load_seed_documents(Settings()))
    started_load = load_average()
    rows = [run_size(sentences, titles, size, args.rounds) for size in args.sizes]
    result = {"machine": machine_info(), "load_average_start_end": [started_load, load_average()], "sizes": rows}
    path = write_result("vocabulary", result)
    print(
        markdown_table(
            ["chunks", "text MB", "BM25 index s", "vocabulary s", "vocabulary / BM25", "names"],
            [
                [r["chunks"], r["text_mb"], r["bm25_s"], r["vocabulary_s"], f"{r['vocabulary_over_bm25']}×", r["names"]]
                for r in rows
            ],
        )
    )
    print(f"\nMedian of {args.rounds} rounds, each timing both in turn; {machine_line(result['machine'])}.")
    print(f"{load_note(result)} Saved to {path}.")


if __name__ == "__main__":
    main()
