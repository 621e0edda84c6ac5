"""Answer and Citation types and the answerer interface every backend implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from index.types import Passage

PartialCallback = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer; ``quote`` is verbatim text of document ``doc_id``."""

    n: int
    doc_id: str
    title: str
    source: str
    date: str | None
    url: str | None
    quote: str


@dataclass(frozen=True)
class Answer:
    """A reply to one question: text with ``[n]`` markers and the citations they refer to."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    as_of: str | None
    backend: str
    note: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON object ``policybot ask --json`` prints."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "as_of": self.as_of,
            "citations": [
                {
                    "n": c.n,
                    "doc_id": c.doc_id,
                    "title": c.title,
                    "source": c.source,
                    "date": c.date,
                    "url": c.url,
                    "quote": c.quote,
                }
                for c in self.citations
            ],
            "backend": self.backend,
            "note": self.note,
            "timings_ms": self.timings_ms,
        }


class Answerer(Protocol):
    """Turns a question and its retrieved passages into a cited Answer."""

    name: str

    async def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_partial: PartialCallback | None = None,
    ) -> Answer:
        """Answer ``question`` from ``passages`` only, or refuse; ``on_partial`` gets streamed drafts."""
        ...
