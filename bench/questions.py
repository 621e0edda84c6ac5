"""The benchmark questions: 20 about the policy, the 200 phrasings of them that ``bench.query``, ``bench.ask``
and ``bench.sentences`` time, and the ones ``bench.load``'s users open a chat with."""

from __future__ import annotations

import numpy as np

__all__ = ["FRAMES", "OPENING_QUESTIONS", "QUESTIONS", "make_queries"]

QUESTIONS = (
    "How many Afghans has Pakistan deported?",
    "What happens to ACC holders?",
    "When do PoR cards expire?",
    "What is the Illegal Foreigners' Repatriation Plan?",
    "What did the Taliban say about the deportations?",
    "How many Afghans have returned from Pakistan?",
    "What did UNHCR say about the returns?",
    "How many people has IOM assisted?",
    "Was the validity of PoR cards extended?",
    "What is the deadline for Afghan Citizen Card holders?",
    "Did the Torkham border crossing reopen?",
    "What did Amnesty International say about the expulsions?",
    "What do Pakistanis think about sending Afghans back?",
    "What did Zabihullah Mujahid say about Pakistan?",
    "How many Afghan refugees were deported since April 1?",
    "What did Talal Chaudhry announce?",
    "When will PoR holders be deported?",
    "Are undocumented Afghans being arrested in Islamabad?",
    "How many Afghan refugees live in Pakistan?",
    "What support do returnees get in Afghanistan?",
)
# What bench.load's users ask first (none is a follow-up, so chat history does not change the answer): the same
# questions with the Torkham one replaced, as in every load result so far.
OPENING_QUESTIONS = (
    *(question for question in QUESTIONS if question != "Did the Torkham border crossing reopen?"),
    "Why is Pakistan expelling Afghan migrants?",
)
FRAMES = (
    "{q}",
    "{bare}",
    "Quick question: {q}",
    "{q} Please cite your sources.",
    "According to recent news, {lower}",
    "Can you tell me: {lower}",
    "{q} What is the latest figure?",
    "I read about this in the news. {q}",
    "{bare} in 2024?",
    "{bare} as of 2025?",
)


def make_queries(rng: np.random.Generator) -> list[str]:
    """200 questions: each of ``QUESTIONS`` in ten phrasings, in a seeded random order."""
    queries = []
    for question in QUESTIONS:
        bare = question.rstrip("?")
        lower = question[0].lower() + question[1:]
        queries += [frame.format(q=question, bare=bare, lower=lower) for frame in FRAMES]
    order = rng.permutation(len(queries))
    return [queries[i] for i in order]
