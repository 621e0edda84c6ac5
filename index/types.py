"""Plain value types shared by the corpus side: documents, chunks and retrieved passages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """A cleaned article with its metadata; ``doc_id`` is derived from its content."""

    doc_id: str
    text: str
    title: str
    source: str
    date: str | None  # ISO date, possibly partial ("2024-04"); None when unknown
    url: str | None
    origin: str  # the path or URL it was loaded from
    language: str = "en"


@dataclass(frozen=True)
class Chunk:
    """A sentence-aligned slice of a document; ``text == document.text[start:end]``."""

    chunk_id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the metadata needed to cite it."""

    chunk_id: str
    doc_id: str
    text: str
    title: str
    source: str
    date: str | None
    url: str | None
    start: int
    end: int
    score: float  # fused rank score (higher is better)
    dense_score: float  # cosine similarity between query and chunk
    language: str = "en"
