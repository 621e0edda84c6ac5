"""A thousand distinct questions through one real AnswerService, from 8 threads at once (each its own loop).

Nothing here is timed (speed claims come from ``bench/``); what is checked is that no question, however
phrased, raises, that every citation is verbatim from its source, and that answers asked concurrently are the
answers asked alone.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Sequence

import pytest

from bot.answering.answers import Answer
from bot.answering.service import AnswerService

pytestmark = pytest.mark.slow

THREADS = 8
QUESTIONS = 1000
SAMPLE_EVERY = 10  # this share of the questions is also asked alone first, to compare

# Generic pieces a person might combine; the product is 1,000+ distinct questions, most never tuned for.
FRAMES = (
    "What happened to {s}{q}?",
    "How many {s} were affected{q}?",
    "When did the rules for {s} change{q}?",
    "Who decided about {s}{q}?",
    "Why are {s} in the news{q}?",
    "Is anything new about {s}{q}?",
    "what about {s}{q}",
    "Tell me the latest on {s}{q}.",
)
SUBJECTS = (
    "Afghan refugees",
    "PoR card holders",
    "ACC holders",
    "undocumented migrants",
    "families at Torkham",
    "returnees in Afghanistan",
    "Afghan women",
    "students from Afghanistan",
    "the deportation drive",
    "the repatriation plan",
    "border crossings",
    "aid agencies",
    "the UNHCR appeal",
    "IOM assistance",
    "the Taliban government",
    "police in Islamabad",
    "Afghan traders in Karachi",
    "camps in Khyber Pakhtunkhwa",
    "winter conditions",
    "children out of school",
    "the interior ministry",
    "visa applicants",
    "the deadline extension",
    "registration drives",
    "public opinion in Pakistan",
)
QUALIFIERS = ("", " in 2024", " this year", " according to the UN", " since November")


def make_questions(count: int) -> list[str]:
    """``count`` distinct questions from the product of frames, subjects and qualifiers."""
    product = itertools.product(QUALIFIERS, SUBJECTS, FRAMES)
    questions = [frame.format(s=subject, q=qualifier) for qualifier, subject, frame in product]
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
