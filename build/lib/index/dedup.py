"""Wire-story grouping: the same agency story republished by several outlets becomes one story.

Candidates come from MinHash LSH over word 3-shingles (datasketch); a candidate is the same story when the
exact Jaccard similarity of the two shingle sets reaches ``STORY_JACCARD`` (so a copy cut to about half
still is the story, and a round-up that contains the story whole beside others is not), and when no figure
differs between them after the same words ("deported 1,200" against "deported 1,500" is an update, not a
copy: merging would hide the newer figure). The threshold was chosen on the labelled pairs in
tests/test_dedup.py (tests/fakes/wire_stories.py), which include different stories on the same topic.

A document's ``story_id`` is the ``doc_id`` of the story's first copy; a document alone is its own story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from index.types import Document

SHINGLE_WORDS = 3
NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default, named because shared permutations require it
STORY_JACCARD = 0.48  # shared shingles over all shingles of both texts
LSH_THRESHOLD = 0.3  # candidate search: below STORY_JACCARD so estimation error does not lose a true copy
ESTIMATE_MARGIN = 0.15  # three standard errors of a 128-permutation Jaccard estimate near 0.5
FIGURE_CONTEXT_WORDS = 2

_WORD_RE = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_FIGURE_RE = re.compile(r"\d")


def words_of(text: str) -> list[str]:
    """Case-folded words and numbers of ``text`` ("1,200" stays one token)."""
    return [w.replace("’", "'") for w in _WORD_RE.findall(text.casefold())]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The overlapping ``size``-word sequences of ``text`` (the whole text when it is shorter)."""
    words = words_of(text)
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash32(shingle: str) -> int:
    """A 32-bit hash of a shingle: Python's own string hash, fast and stable within one process, which is all
    the story index needs (it is rebuilt from the texts in each process, never saved)."""
    return hash(shingle) & 0xFFFFFFFF


def signature(shingle_set: Iterable[str], permutations: tuple[np.ndarray, np.ndarray] | None = None) -> LeanMinHash:
    """The MinHash of a shingle set (``permutations`` from ``MinHash(NUM_PERM).permutations`` saves making them)."""
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=_hash32, permutations=permutations, scheme=SCHEME)
    minhash.update_batch(list(shingle_set))
    return LeanMinHash(minhash)


def figure_contexts(text: str, width: int = FIGURE_CONTEXT_WORDS) -> dict[tuple[str, ...], set[str]]:
    """Each figure of ``text`` under the ``width`` words before it: {("were", "deported"): {"1,200"}}."""
    words = words_of(text)
    contexts: dict[tuple[str, ...], set[str]] = {}
    for i, word in enumerate(words):
        if i >= width and _FIGURE_RE.search(word):
            contexts.setdefault(tuple(words[i - width : i]), set()).add(word)
    return contexts


def conflicting_figures(a: str, b: str) -> list[tuple[str, str]]:
    """Figures that the two texts give differently after the same words, as (figure in a, figure in b)."""
    left, right = figure_contexts(a), figure_contexts(b)
    conflicts: list[tuple[str, str]] = []
    for context, figures in left.items():
        other = right.get(context)
        if other is not None and not figures & other:
            conflicts.append((min(figures), min(other)))
    return conflicts


def jaccard(a: set[str], b: set[str]) -> float:
    """|A ∩ B| / |A ∪ B| of two shingle sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def same_story(a: str, b: str, *, threshold: float = STORY_JACCARD) -> bool:
    """True when ``a`` and ``b`` are copies of one story (see the module docstring)."""
    return jaccard(shingles(a), shingles(b)) >= threshold and not conflicting_figures(a, b)


class StoryIndex:
    """Groups documents into wire stories; keeps each document's signature so only new texts are hashed.

    Candidates are checked best estimate first and one per story; the exact check recomputes the candidate's
    shingles from its text, so memory stays one 128-value signature per document.

    Not thread-safe: the service uses it under its write lock.
    """

    def __init__(self, *, threshold: float = STORY_JACCARD) -> None:
        self._threshold = threshold
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._permutations = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations
        self._signatures: dict[str, LeanMinHash] = {}
        self._documents: dict[str, Document] = {}

    def __len__(self) -> int:
        return len(self._documents)

    def sync(self, documents: Mapping[str, Document]) -> None:
        """Make the index hold exactly ``documents`` (hashing only those it has not seen)."""
        for doc_id in [d for d in self._documents if d not in documents]:
            self._lsh.remove(doc_id)
            del self._documents[doc_id], self._signatures[doc_id]
        for doc_id, document in documents.items():
            if doc_id not in self._documents:
                self._insert(document)
            else:
                self._documents[doc_id] = document

    def assign(self, existing: Mapping[str, Document], new: Sequence[Document]) -> list[Document]:
        """``new`` with ``story_id`` set: the story of the first matching copy among ``existing`` and the new
        documents before it, else the document's own id. A document already indexed keeps its story."""
        self.sync(existing)
        assigned: list[Document] = []
        for document in new:
            known = self._documents.get(document.doc_id)
            if known is not None:
                assigned.append(replace(document, story_id=story_key(known)))
                continue
            own = shingles(document.text)
            own_signature = signature(own, self._permutations)
            grouped = replace(document, story_id=self._match(document, own, own_signature) or document.doc_id)
            self._insert(grouped, own_signature)
            assigned.append(grouped)
        return assigned

    def match(self, document: Document) -> str | None:
        """The story id of the indexed copy ``document`` is most like, or None when it is a story of its own."""
        own = shingles(document.text)
        return self._match(document, own, signature(own, self._permutations))

    def _match(self, document: Document, own: set[str], own_signature: LeanMinHash) -> str | None:
        """``match`` with the document's shingles and signature already made."""
        candidates = sorted(
            ((own_signature.jaccard(self._signatures[doc_id]), doc_id) for doc_id in self._lsh.query(own_signature)),
            reverse=True,
        )
        tried: set[str] = set()
        for estimate, doc_id in candidates:
            if estimate < self._threshold - ESTIMATE_MARGIN:
                break  # sorted: the rest are further still
            other = self._documents[doc_id]
            story = story_key(other)
            if story in tried:
                continue
            if jaccard(own, shingles(other.text)) < self._threshold:
                continue
            tried.add(story)  # a close copy decides for its story; a looser one of the same story may not
            if not conflicting_figures(document.text, other.text):
                return story
        return None

    def _insert(self, document: Document, own: LeanMinHash | None = None) -> None:
        """Hash (unless ``own`` is its signature) and index one document."""
        own = own if own is not None else signature(shingles(document.text), self._permutations)
        self._documents[document.doc_id] = document
        self._signatures[document.doc_id] = own
        self._lsh.insert(document.doc_id, own)


def story_key(document: Document) -> str:
    """The story a document belongs to (itself when ungrouped)."""
    return document.story_id or document.doc_id


def outlets_by_story(documents: Iterable[Document]) -> dict[str, tuple[str, ...]]:
    """Each story's outlets, in the order their copies were indexed, without repeats."""
    outlets: dict[str, list[str]] = {}
    for document in documents:
        names = outlets.setdefault(story_key(document), [])
        if document.source not in names:
            names.append(document.source)
    return {story: tuple(names) for story, names in outlets.items()}
