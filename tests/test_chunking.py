"""Chunking: sentence boundaries, the word-piece window, overlap and exact offsets."""

from __future__ import annotations

import itertools
from pathlib import Path

from index.chunking import chunk_article, split_sentences
from index.documents import load_file
from index.embedding import SentenceTransformerEmbedder
from index.types import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _words(text: str) -> int:
    return len(text.split()) + 2


def test_sentences_respect_abbreviations_and_paragraphs() -> None:
    text = "Mr. Bugti spoke on Jan. 5 in Islamabad. He gave figures.\n\nA new paragraph starts here"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["Mr. Bugti spoke on Jan. 5 in Islamabad.", "He gave figures.", "A new paragraph starts here"]


def test_chunks_overlap_by_one_sentence_and_keep_offsets() -> None:
    sentences = [f"Sentence number {i} says something about the policy." for i in range(12)]
    doc = Document("d", " ".join(sentences), "t", "s", None, None, "o")
    chunks = chunk_article(doc, _words, max_tokens=30, overlap_sentences=1)
    assert len(chunks) > 2
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert _words(chunk.text) <= 30 + 2 * 3  # sum of per-sentence counts stays within the budget
    for before, after in itertools.pairwise(chunks):
        last_sentence = before.text.split(". ")[-1]
        assert after.text.startswith(last_sentence.rstrip("."))


def test_an_overlong_sentence_is_split_at_words() -> None:
    doc = Document("d", "word " * 300 + "end.", "t", "s", None, None, "o")
    chunks = chunk_article(doc, _words, max_tokens=50, overlap_sentences=0)
    assert len(chunks) >= 6
    assert all(_words(c.text) <= 50 for c in chunks)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_real_chunks_fit_the_model_window(embedder: SentenceTransformerEmbedder) -> None:
    for path in [*sorted(SEEDS.glob("*.md")), SEEDS / "000_ce58d6deddc87eed.txt"]:
        doc = load_file(path)
        title_tokens = embedder.count_tokens(doc.title)
        for chunk in chunk_article(doc, embedder.count_tokens, max_tokens=200, reserved_tokens=title_tokens):
            assert embedder.count_tokens(f"{doc.title}\n{chunk.text}") <= 256
            assert doc.text[chunk.start : chunk.end] == chunk.text


def test_a_thread_keeps_one_segmenter_per_supported_language_whatever_the_codes() -> None:
    from index.chunking import _PYSBD_LANGUAGES, _segmenter

    def segmenters_after(codes: list[str]) -> set[int]:
        found: set[int] = set()
        for code in codes:
            assert split_sentences("One sentence here. Another one.", code)
            found.add(id(_segmenter(code)))
        return found

    supported = sorted(_PYSBD_LANGUAGES)
    assert len(segmenters_after(supported)) == len(supported)  # at the limit: one each
    unknown = [f"x{i}" for i in range(200)] + ["ps", "ur-Latn", "prs"]
    assert segmenters_after(supported + unknown) == segmenters_after(supported)  # beyond it: no new ones
