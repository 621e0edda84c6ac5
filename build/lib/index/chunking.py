"""Sentence-aware chunking inside the embedding model's word-piece window, with character offsets."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pysbd

from index.types import Chunk, Document

TokenCounter = Callable[[str], int]
SPLITTER_NAME = "pysbd"
_PARAGRAPH_RE = re.compile(r"\n\s*\n")
_PYSBD_LANGUAGES = frozenset({"en", "ur", "fa", "ar", "hi"})
_THREAD = threading.local()


def _segmenter(language: str) -> pysbd.Segmenter:
    """This thread's pysbd segmenter for ``language`` (a Segmenter keeps its text: threads must not share one).

    Keyed by the pysbd language used, so a thread holds at most one segmenter per supported language however
    many language codes documents carry.
    """
    cache: dict[str, pysbd.Segmenter] = _THREAD.__dict__.setdefault("segmenters", {})
    lang = language if language in _PYSBD_LANGUAGES else "en"
    if lang not in cache:
        cache[lang] = pysbd.Segmenter(language=lang, clean=False, char_span=True)
    return cache[lang]


def split_sentences(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, paragraph breaks always ending a sentence."""
    spans: list[tuple[int, int]] = []
    position = 0
    for paragraph_match in [*_PARAGRAPH_RE.finditer(text), None]:
        end = paragraph_match.start() if paragraph_match else len(text)
        paragraph = text[position:end]
        if paragraph.strip():
            for span in _segmenter(language).segment(paragraph):
                start, stop = _trim(text, position + span.start, position + span.end)
                if stop > start:
                    spans.append((start, stop))
        if paragraph_match:
            position = paragraph_match.end()
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it has no leading or trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long_span(
    text: str, span: tuple[int, int], count_tokens: TokenCounter, budget: int
) -> list[tuple[int, int]]:
    """Split one over-long sentence at word boundaries into pieces that fit ``budget``."""
    start, end = span
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    pieces: list[tuple[int, int]] = []
    piece_start = 0
    while piece_start < len(words):
        lo, hi = piece_start + 1, len(words)
        while lo < hi:  # the longest prefix of the remaining words that fits
            mid = (lo + hi + 1) // 2
            if count_tokens(text[words[piece_start][0] : words[mid - 1][1]]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((words[piece_start][0], words[lo - 1][1]))
        piece_start = lo
    return pieces


def chunk_article(
    document: Document,
    count_tokens: TokenCounter,
    *,
    max_tokens: int = 200,
    overlap_sentences: int = 1,
    reserved_tokens: int = 0,
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``max_tokens`` word pieces, overlapping by sentences.

    ``reserved_tokens`` is room kept for text embedded alongside each chunk (its title).
    """
    text = document.text
    budget = max(16, max_tokens - reserved_tokens)
    sentences: list[tuple[int, int, int]] = []  # start, end, tokens
    for span in split_sentences(text, document.language):
        tokens = count_tokens(text[span[0] : span[1]])
        if tokens <= budget:
            sentences.append((*span, tokens))
        else:
            for piece in _split_long_span(text, span, count_tokens, budget):
                sentences.append((*piece, count_tokens(text[piece[0] : piece[1]])))
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        used = sentences[first][2]
        while last + 1 < len(sentences) and used + sentences[last + 1][2] <= budget:
            last += 1
            used += sentences[last][2]
        start, end = sentences[first][0], sentences[last][1]
        chunks.append(
            Chunk(
                chunk_id=f"{document.doc_id}:{len(chunks)}",
                doc_id=document.doc_id,
                ordinal=len(chunks),
                start=start,
                end=end,
                text=text[start:end],
            )
        )
        if last + 1 >= len(sentences):
            break
        # the next chunk repeats the last sentences of this one, but always moves forward
        first = max(first + 1, last + 1 - overlap_sentences)
    return chunks
