"""The matching forms of words and sentences (the answerer's stems), and the figures a sentence writes,
remembered within a byte budget.

A word's matching form is its English stem for Latin letters (a month's abbreviation that of its name), its
normalised form in other scripts, and its digits for a figure. The answerer asks for the stems and figures of
the same source sentences again and again (every question that retrieves a passage, twice per question: rerank,
then answer), so word forms, sentence stem sets and sentences' figures are remembered. The memo is bounded by
an estimate of the bytes it holds, not by its number of entries: past ``max_bytes`` it is emptied and fills
again with what is asked next (hot sentences come back at once). Lookups are single dict reads; inserts and
clears hold a lock, so the budget holds with the worker threads that answer at once.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Set as AbstractSet
from typing import TypeVar

import Stemmer

from bot.answering.checks import Figure, extract_figures
from bot.answering.questions import MONTHS, content_words, figure_digits
from index.text import is_arabic_script, normalize_for_matching

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
_PERCENT_WORD = "percent"
_ENTRY_OVERHEAD = 120  # a dict slot and the key/value objects' headers, roughly
_FIGURE_BYTES = 250  # a Figure with its text's header, value (Decimal) or date (tuple), roughly
K = TypeVar("K")
V = TypeVar("V")
# A month's abbreviation matches its name ("Oct 30" answers "in October"): the calendar, not a synonym list.
_FULL_MONTHS = MONTHS[:12]
_MONTH_NAMES = {short: next(m for m in _FULL_MONTHS if m.startswith(short[:3])) for short in MONTHS[12:]}


def stem_heads(stems: AbstractSet[str]) -> frozenset[str]:
    """The first five letters of each of ``stems`` of five or more: what a prefix match checks first."""
    return frozenset(stem[:5] for stem in stems if len(stem) >= 5)


class WordForms:
    """Stems of words and of texts, with a memo of at most ``max_bytes`` (estimated)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._stemmer = Stemmer.Stemmer("english")
        self._stemmer_lock = threading.Lock()  # one Snowball stemmer, used from several threads
        self._words: dict[str, str] = {}
        self._texts: dict[str, frozenset[str]] = {}
        self._heads: dict[frozenset[str], frozenset[str]] = {}
        self._figures: dict[str, tuple[Figure, ...]] = {}
        self._bytes = 0
        self._memo_lock = threading.Lock()  # inserts and clears (lookups need none)
        self.clears = 0  # times the memo was emptied for its budget (for tests and stats)

    @property
    def bytes_held(self) -> int:
        """The memo's estimated size in bytes."""
        return self._bytes

    def stem(self, word: str) -> str:
        """The matching form of one word."""
        found = self._words.get(word)
        if found is None:
            found = self._stem_now(word)
            self._remember(self._words, word, found, sys.getsizeof(word) + sys.getsizeof(found))
        return found

    def stems(self, text: str) -> frozenset[str]:
        """The matching forms of the content words of ``text``; "%" counts as the word percent."""
        found = self._texts.get(text)
        if found is None:
            forms = {self.stem(w) for w in content_words(text)}
            if "%" in text:
                forms.add(self.stem(_PERCENT_WORD))
            forms.discard("")
            found = frozenset(forms)
            size = sys.getsizeof(text) + sys.getsizeof(found) + sum(sys.getsizeof(s) for s in found)
            self._remember(self._texts, text, found, size)
        return found

    def heads(self, stems: frozenset[str]) -> frozenset[str]:
        """``stem_heads(stems)``, remembered within the memo's budget."""
        found = self._heads.get(stems)
        if found is None:
            found = stem_heads(stems)
            size = sys.getsizeof(stems) + sys.getsizeof(found) + sum(sys.getsizeof(s) for s in found)
            self._remember(self._heads, stems, found, size)
        return found

    def figures(self, text: str) -> tuple[Figure, ...]:
        """``extract_figures(text)``: every date, percentage, count and amount ``text`` writes, remembered within
        the memo's budget."""
        found = self._figures.get(text)
        if found is None:
            found = tuple(extract_figures(text))
            size = sys.getsizeof(text) + sys.getsizeof(found) + sum(_FIGURE_BYTES + len(f.text) for f in found)
            self._remember(self._figures, text, found, size)
        return found

    def _stem_now(self, word: str) -> str:
        word = normalize_for_matching(word).casefold().replace("’", "'").removesuffix("'s")
        if any(ch.isdigit() for ch in word):
            return figure_digits(word)
        if is_arabic_script(word):
            return word
        word = _MONTH_NAMES.get(word, word)
        with self._stemmer_lock:
            return str(self._stemmer.stemWord(word))

    def _remember(self, memo: dict[K, V], key: K, value: V, size: int) -> None:
        size += _ENTRY_OVERHEAD
        if size > self.max_bytes:
            return  # larger than the whole budget: computed each time
        with self._memo_lock:
            if key in memo:
                return  # another thread remembered it meanwhile
            if self._bytes + size > self.max_bytes:
                self._words.clear()
                self._texts.clear()
                self._heads.clear()
                self._figures.clear()
                self._bytes = 0
                self.clears += 1
            memo[key] = value
            self._bytes += size


__all__ = ["DEFAULT_MAX_BYTES", "WordForms", "stem_heads"]
