"""Hand-built passages, as retrieval would hand them to an answerer."""

from __future__ import annotations

from index.types import Passage


def make_passage(n: int, text: str, title: str, source: str, date: str | None, url: str | None = None) -> Passage:
    """The ``n``-th retrieved passage (chunk-n of doc-n, fused score 1/n), spanning all of ``text``."""
    return Passage(
        chunk_id=f"chunk-{n}",
        doc_id=f"doc-{n}",
        text=text,
        title=title,
        source=source,
        date=date,
        url=url,
        start=0,
        end=len(text),
        score=1.0 / n,
        dense_score=0.8,
    )
