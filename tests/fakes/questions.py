"""Questions a crowd of users might ask, combined from generic pieces: thousands of distinct ones, most never
tuned for (``bench.load --scenario memory`` and the many-threads answering test ask them)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

FRAMES = (
    "What happened to {s}{q}?",
    "How many {s} were affected{q}?",
    "When did the rules for {s} change{q}?",
    "Who decided about {s}{q}?",
    "Why are {s} in the news{q}?",
    "Is anything new about {s}{q}?",
    "What do the sources say about {s}{q}?",
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
QUALIFIERS = (
    "",
    " in 2024",
    " this year",
    " according to the UN",
    " since November",
    " in Quetta",
    " last month",
    " according to officials",
    " in Peshawar",
    " so far",
)


def combined_questions(
    frames: Sequence[str] = FRAMES, subjects: Sequence[str] = SUBJECTS, qualifiers: Sequence[str] = QUALIFIERS
) -> list[str]:
    """Every frame filled with every subject and qualifier: all of the first qualifier's, then the next one's."""
    product = itertools.product(qualifiers, subjects, frames)
    return [frame.format(s=subject, q=qualifier) for qualifier, subject, frame in product]
