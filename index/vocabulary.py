"""The corpus's words: every word its texts write, and which of them they write as names.

Read once, when a searcher loads an index. The speller corrects a question's words towards these words; the
names tell the answerer which words of a question typed in small letters ("how many vans went to quetta") are
names, even when the passages retrieved for it do not use them (Quetta is in other articles) or use them only
where every word is capitalised (at a sentence's start).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# a capitalised word inside a sentence: after one space, and after a character that ends no sentence, clause
# lead-in or dateline ("said: The", "KABUL - More" and a line's start are not read). The capital is matched
# first and the text before it looked at only then: a third of the time of a pattern that starts at the space.
_CAPITALISED_INSIDE_RE = re.compile(r"[A-ZÀ-ÖØ-Þ](?<=[^\s.!?:;\-–—] [A-ZÀ-ÖØ-Þ])[^\W\d_]*", re.UNICODE)
NAME_MIN_CAPITALISED = 2  # a word written capitalised inside a sentence at least this often ...
NAME_CAPITALISED_RATIO = 3  # ... and more than this many times as often as in small letters is a name


@dataclass(frozen=True)
class Vocabulary:
    """Each word the texts write (casefolded), and the words they write as names: capitalised inside sentences
    at least ``NAME_MIN_CAPITALISED`` times and more than ``NAME_CAPITALISED_RATIO`` times as often as in small
    letters ("Quetta", "PoR", "IOM"; not "May", which the texts also write "may"). The counts are read and
    dropped: a searcher keeps only the two sets."""

    forms: frozenset[str]
    names: frozenset[str]

    @classmethod
    def of(cls, texts: Sequence[str], prose: Sequence[str] | None = None) -> Vocabulary:
        """The vocabulary of ``texts``, with names read from ``prose`` (by default the same texts; pass the
        bodies without their titles, whose Title Case would make every word a name)."""
        joined = "\n".join(texts)
        counts = Counter(_WORD_RE.findall(joined))
        capitalised = Counter(
            w.casefold() for w in _CAPITALISED_INSIDE_RE.findall(joined if prose is None else "\n".join(prose))
        )
        names = frozenset(
            word
            for word, times in capitalised.items()
            if times >= NAME_MIN_CAPITALISED and times > NAME_CAPITALISED_RATIO * counts.get(word, 0)
        )
        return cls(frozenset(w.casefold() for w in counts), names)

    def words(self, min_length: int = 1) -> set[str]:
        """The distinct words (casefolded) of at least ``min_length`` letters."""
        return {w for w in self.forms if len(w) >= min_length}

    def names_in(self, text: str) -> frozenset[str]:
        """The words of ``text`` (casefolded) that the texts write as names."""
        return frozenset(w for w in (word.casefold() for word in _WORD_RE.findall(text)) if w in self.names)
