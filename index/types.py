"""Plain value types shared by the corpus side: documents, chunks, claims and retrieved passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

SourceKind = Literal["official", "agency", "news", "opinion"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("official", "agency", "news", "opinion")
ClaimKind = Literal["count", "percent", "amount", "date", "duration"]
CLAIM_KINDS: tuple[ClaimKind, ...] = ("count", "percent", "amount", "date", "duration")
ClaimStatus = Literal["happened", "planned", "estimate", "unknown"]  # unknown: a language not parsed
CLAIM_STATUSES: tuple[ClaimStatus, ...] = ("happened", "planned", "estimate", "unknown")
LEDE_SENTENCES = 2  # an article's opening sentences, its lede, which names what the whole article is about


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
    verbatim: bool = True  # False when the text is retold (front matter ``paraphrased: true``), not the outlet's words
    kind: SourceKind = "news"
    story_id: str | None = None  # the wire story it is a copy of (index/dedup.py): the first copy's doc_id


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
class Claim:
    """A figure stated in a document, and what the text says it is.

    Offsets (``start``/``end``, ``sentence_*``) are into the document's text, also on ``Passage.claims``
    (subtract ``Passage.start`` for offsets into the passage); ``figure``, ``what``, ``period`` and ``qualifier``
    are verbatim slices of it. ``event`` is a lemma phrase: a verb ("deport", "come back", "face deportation")
    or, where the figure hangs off a noun, that noun ("deportation"): compare events by stem.
    """

    doc_id: str
    start: int  # the figure
    end: int
    sentence_start: int  # the sentence that states it
    sentence_end: int
    figure: str  # verbatim: "527,000", "1.3 million", "84 percent", "March 31, 2025"
    kind: ClaimKind
    value: float | None  # the number it states (1.3 million -> 1300000.0); None for dates
    what: str  # what it counts, verbatim noun phrase ("Afghans", "PoR card holders"); "" when unknown
    event: str  # what happened to them, as a lemma phrase ("deport", "return", "face deportation")
    status: ClaimStatus
    as_of: str | None  # ISO date the figure refers to: the text's own date, else the article's
    period: str | None  # the verbatim period phrase ("since November 2023", "in 2025 alone"), if any
    who: str  # the body the text attributes it to ("UNHCR", "the interior ministry"), else the outlet
    qualifier: str = ""  # verbatim bound or approximation before the number ("more than", "nearly", "up to")
    value_max: float | None = None  # the upper end when the figure is a range ("75 to 150" -> 150.0)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the metadata needed to cite it.

    ``sentences`` are spans relative to ``text``; ``sentence_vectors`` has one unit row per sentence
    (stored at index time); ``claims`` are the figures stated inside the passage.
    """

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
    verbatim: bool = True
    kind: SourceKind = "news"
    sentences: tuple[tuple[int, int], ...] = ()
    sentence_vectors: np.ndarray | None = field(default=None, compare=False, repr=False)
    claims: tuple[Claim, ...] = ()
    outlets: tuple[str, ...] = ()  # the other outlets that ran the same wire story
    # its article's opening sentences (LEDE_SENTENCES of them), which set the scene of the whole article
    lede: str = ""
