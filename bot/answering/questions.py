"""Cleaning untrusted question text and turning follow-ups into standalone retrieval queries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import BadQuestionError

_INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_FOLLOW_UP_START_RE = re.compile(r"^\s*(and|also|but|so|what about|how about|and what about|then|what of)\b", re.I)
_PRONOUN_RE = re.compile(r"\b(they|them|their|those|these|it|its|that|he|she|his|her|this)\b", re.I)
_URL_ONLY_RE = re.compile(r"^\s*https?://\S+\s*$", re.I)


@dataclass(frozen=True)
class Turn:
    """One earlier exchange in a chat."""

    question: str
    answer: str


@dataclass(frozen=True)
class CleanQuestion:
    """A question ready for retrieval, with a note when it had to be shortened."""

    text: str
    note: str | None = None


def clean_question(raw: str, max_chars: int) -> CleanQuestion:
    """Strip control and zero-width characters, collapse whitespace, clip; refuse non-questions."""
    text = unicodedata.normalize("NFC", raw or "")
    text = _INVISIBLE_RE.sub("", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not any(ch.isalnum() for ch in text):
        raise BadQuestionError("Please send a question in words, e.g. “How many Afghans has Pakistan deported?”")
    if _URL_ONLY_RE.match(text):
        raise BadQuestionError("That is a link, not a question. Ask about the policy in words.")
    if sum(ch.isalnum() for ch in text) < 2:
        raise BadQuestionError("That is too short to be a question. Try a full sentence.")
    note = None
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
        note = f"Your question was long; only its first {max_chars:,} characters were used."
    return CleanQuestion(text=text, note=note)


def is_follow_up(question: str) -> bool:
    """True when a question leans on an earlier one ("and what about...", "how many of them...")."""
    words = re.findall(r"\w+", question)
    return bool(_FOLLOW_UP_START_RE.search(question) or _PRONOUN_RE.search(question) or len(words) <= 3)


def standalone_query(question: str, history: Sequence[Turn]) -> str:
    """A retrieval query for ``question``: a follow-up is joined to the previous question."""
    if not history or not is_follow_up(question):
        return question
    return f"{history[-1].question} {question}"
