"""A thousand distinct questions through one real AnswerService, from 8 threads at once (each its own loop).

Nothing here is timed (speed claims come from ``bench/``); what is checked is that no question, however
phrased, raises, that every citation is verbatim from its source, and that answers asked concurrently are the
answers asked alone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest
from fakes import questions as pieces

from bot.answering.answers import Answer
from bot.answering.service import AnswerService

pytestmark = pytest.mark.slow

THREADS = 8
QUESTIONS = 1000
SAMPLE_EVERY = 10  # this share of the questions is also asked alone first, to compare

# The generic pieces of fakes/questions.py, one frame typed as people type (lower case, no question mark):
# their product is 1,000 distinct questions, most never tuned for.
FRAMES = (*pieces.FRAMES[:6], "what about {s}{q}", pieces.FRAMES[7])
QUALIFIERS = pieces.QUALIFIERS[:5]


def make_questions(count: int) -> list[str]:
    """``count`` distinct questions from the product of frames, subjects and qualifiers."""
    questions = pieces.combined_questions(FRAMES, qualifiers=QUALIFIERS)
    assert len(set(questions)) == len(questions) >= count
    return questions[:count]


def _check(answer: Answer, service: AnswerService) -> None:
    """A well-formed answer: text, and every citation quoting its source word for word."""
    documents = service.snapshot.documents
    assert answer.text.strip()
    assert all(c.quote in documents[c.doc_id].text for c in answer.citations)
    assert answer.refused or answer.citations


def _ask_in_thread(
    service: AnswerService, questions: Sequence[str], answers: dict[str, Answer], errors: list[str]
) -> None:
    """Ask ``questions`` one after another on this thread's own event loop."""

    async def ask_all() -> None:
        for question in questions:
            try:
                answer = await service.ask(question)
                _check(answer, service)
                answers[question] = answer
            except Exception as exc:  # every failure is reported, with its question
                errors.append(f"{question!r}: {type(exc).__name__}: {exc}")

    asyncio.run(ask_all())


async def test_a_thousand_distinct_questions_from_eight_threads_at_once(service: AnswerService) -> None:
    questions = make_questions(QUESTIONS)
    await service.start()
    alone = {question: (await service.ask(question)).text for question in questions[::SAMPLE_EVERY]}

    together: dict[str, Answer] = {}
    errors: list[str] = []
    threads = [
        threading.Thread(target=_ask_in_thread, args=(service, questions[i::THREADS], together, errors))
        for i in range(THREADS)
    ]
    await asyncio.to_thread(_run_all, threads)
    assert not errors, errors[:5]
    assert together.keys() == set(questions)
    assert sum(not answer.refused for answer in together.values()) > QUESTIONS // 10  # not all refusals
    differing = [q for q in alone if together[q].text != alone[q]]
    assert not differing, differing[:3]
    assert service.stats().questions == QUESTIONS + len(alone)


def _run_all(threads: Sequence[threading.Thread]) -> None:
    """Start every thread, then wait for all of them."""
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
