"""Scoring the answering pipeline on a question set: retrieval recall, answers, citations, refusals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.answering.answers import Answer
from bot.answering.service import AnswerService
from bot.errors import PolicybotError

RECALL_AT = 5


@dataclass(frozen=True)
class EvalQuestion:
    """One line of an evaluation file."""

    id: str
    question: str
    answerable: bool
    kind: str
    expect_any: tuple[str, ...]
    expect_docs: tuple[str, ...]


@dataclass
class EvalResult:
    """The outcome of one question."""

    id: str
    question: str
    kind: str
    answerable: bool
    refused: bool
    retrieved: bool | None
    correct: bool | None
    citations_ok: bool
    source_cited: bool | None  # an answer that cites one of the expected articles (None when refused or unanswerable)
    answer: str


@dataclass
class EvalReport:
    """Aggregate scores of an evaluation run."""

    backend: str
    results: list[EvalResult] = field(default_factory=list)
    number_check_failures: int = 0
    citation_check_failures: int = 0

    def _share(self, values: Sequence[bool]) -> float:
        return sum(values) / len(values) if values else 1.0

    @property
    def recall_at_5(self) -> float:
        """Answerable questions with a relevant article among the top five passages."""
        return self._share([bool(r.retrieved) for r in self.results if r.answerable])

    @property
    def answer_accuracy(self) -> float:
        """Answerable questions whose answer contains an expected string."""
        return self._share([bool(r.correct) for r in self.results if r.answerable])

    @property
    def source_cited(self) -> float:
        """Answered answerable questions whose answer cites one of the articles the question was written from."""
        return self._share([bool(r.source_cited) for r in self.results if r.source_cited is not None])

    @property
    def citation_accuracy(self) -> float:
        """Answers whose every cited quote is verbatim text of the cited article."""
        return self._share([r.citations_ok for r in self.results])

    @property
    def refusal_accuracy(self) -> float:
        """Unanswerable questions that were refused."""
        return self._share([r.refused for r in self.results if not r.answerable])

    @property
    def false_refusals(self) -> float:
        """Answerable questions that were wrongly refused."""
        return self._share([r.refused for r in self.results if r.answerable]) if self.results else 0.0

    def summary(self) -> dict[str, Any]:
        """The headline numbers."""
        return {
            "backend": self.backend,
            "questions": len(self.results),
            "recall_at_5": round(self.recall_at_5, 3),
            "answer_accuracy": round(self.answer_accuracy, 3),
            "source_cited": round(self.source_cited, 3),
            "citation_accuracy": round(self.citation_accuracy, 3),
            "refusal_accuracy": round(self.refusal_accuracy, 3),
            "false_refusals": round(self.false_refusals, 3),
            "number_check_failures": self.number_check_failures,
            "citation_check_failures": self.citation_check_failures,
        }

    def failures(self) -> list[dict[str, Any]]:
        """The questions that missed, for reading."""
        return [
            asdict(r)
            for r in self.results
            if (r.answerable and not (r.retrieved and r.correct))
            or (not r.answerable and not r.refused)
            or not r.citations_ok
        ]


def load_questions(path: Path) -> list[EvalQuestion]:
    """Questions from a JSONL file; a malformed line is a PolicybotError naming it."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                EvalQuestion(
                    id=str(row.get("id", number)),
                    question=str(row["question"]),
                    answerable=bool(row["answerable"]),
                    kind=str(row.get("kind", "")),
                    expect_any=tuple(row.get("expect_any", [])),
                    expect_docs=tuple(row.get("expect_docs", [])),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise PolicybotError(f"{path}:{number}: not a valid evaluation line ({exc})") from exc
    return questions


def citations_verbatim(answer: Answer, service: AnswerService) -> bool:
    """True when every citation's quote occurs in the text of the document it names."""
    documents = service.snapshot.documents
    return all(c.doc_id in documents and c.quote in documents[c.doc_id].text for c in answer.citations)


async def evaluate(service: AnswerService, questions: Sequence[EvalQuestion]) -> EvalReport:
    """Ask every question through the service and score the results."""
    report = EvalReport(backend=service.answerer.name)
    for item in questions:
        _, passages = await service.retrieve(item.question)
        documents = service.snapshot.documents
        top_files = {Path(documents[p.doc_id].origin).name for p in passages[:RECALL_AT]}
        answer = await service.ask(item.question)
        text = answer.text.casefold()
        cited = {Path(documents[c.doc_id].origin).name for c in answer.citations if c.doc_id in documents}
        report.results.append(
            EvalResult(
                id=item.id,
                question=item.question,
                kind=item.kind,
                answerable=item.answerable,
                refused=answer.refused,
                retrieved=bool(top_files & set(item.expect_docs)) if item.answerable else None,
                correct=(not answer.refused and any(s.casefold() in text for s in item.expect_any))
                if item.answerable
                else None,
                citations_ok=citations_verbatim(answer, service),
                source_cited=bool(cited & set(item.expect_docs)) if item.answerable and not answer.refused else None,
                answer=answer.text,
            )
        )
    report.number_check_failures = int(getattr(service.answerer, "number_check_failures", 0))
    report.citation_check_failures = int(getattr(service.answerer, "citation_check_failures", 0))
    return report
