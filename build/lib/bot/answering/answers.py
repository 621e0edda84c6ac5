"""Answer and Citation types and the answerer interface every backend implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from index.types import Passage, SourceKind

PartialCallback = Callable[[str], Awaitable[None]]
StatementRole = Literal["answer", "earlier", "related", "disagrees", "replaced"]


@dataclass(frozen=True)
class Citation:
    """One numbered source (article) of an answer; ``quote`` is verbatim text of document ``doc_id``.

    One article has one number however many of its passages are used: ``quotes`` holds them all
    (``quote`` is the first). ``verbatim`` is False for retold text, which is never shown in quotation
    marks as the outlet's words.
    """

    n: int
    doc_id: str
    title: str
    source: str
    date: str | None
    url: str | None
    quote: str
    quotes: tuple[str, ...] = ()
    verbatim: bool = True
    kind: SourceKind = "news"
    outlets: tuple[str, ...] = ()  # other outlets that ran the same (wire) story

    @property
    def passages(self) -> tuple[str, ...]:
        """Every quoted passage of this article, in the answer's order."""
        return self.quotes or (self.quote,)


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer's lead or evidence: what a source says, with who and as of when.

    ``text`` is verbatim source text (offline answers) or checked model prose (``generated``); it carries
    no ``[n]`` marker and no date: formatting adds them from ``citations``, ``as_of`` and ``reported``.
    """

    text: str
    citations: tuple[int, ...]
    role: StatementRole = "answer"
    as_of: str | None = None  # the date the figure refers to (its claim's), when the text gives one
    reported: str | None = None  # the date of the article that reports it
    who: str | None = None  # who gives the figure ("UNHCR"), else the outlet
    label: str | None = None  # for related figures: what they count instead ("returned", "facing deportation")
    generated: bool = False

    def to_json(self) -> dict[str, Any]:
        """The statement as a JSON object (ISO dates)."""
        return {
            "text": self.text,
            "citations": list(self.citations),
            "role": self.role,
            "as_of": self.as_of,
            "reported": self.reported,
            "who": self.who,
            "label": self.label,
            "generated": self.generated,
        }


@dataclass(frozen=True)
class Answer:
    """A reply to one question: its lead (the answer in a sentence or two), the evidence, the citations.

    ``text`` is the whole reply as plain text with ``[n]`` markers, kept for ``--json`` readers and the
    language-model checks; the terminal, Telegram and ``--json`` render ``lead`` and ``evidence``.
    """

    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    as_of: str | None
    backend: str
    note: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    lead: tuple[Statement, ...] = ()
    evidence: tuple[Statement, ...] = ()
    language: str = "en"
    newest_source_date: str | None = None

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
                    "quotes": list(c.passages),
                    "verbatim": c.verbatim,
                    "kind": c.kind,
                    "outlets": list(c.outlets),
                }
                for c in self.citations
            ],
            "backend": self.backend,
            "note": self.note,
            "timings_ms": self.timings_ms,
            "lead": [s.to_json() for s in self.lead],
            "evidence": [s.to_json() for s in self.evidence],
            "language": self.language,
            "newest_source_date": self.newest_source_date,
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
