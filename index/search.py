"""Hybrid retrieval: FAISS dense search and BM25 fused by reciprocal rank, near-duplicates collapsed."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from index.dedup import outlets_by_story, story_key
from index.embedding import Embedder
from index.store import IndexSnapshot
from index.text import FUNCTION_WORDS, english_words, is_arabic_script, is_roman_urdu, lexical_form
from index.types import LEDE_SENTENCES, SOURCE_KINDS, Passage
from index.vocabulary import Vocabulary

RRF_K = 60
NEAR_DUPLICATE_COSINE = 0.95
CANDIDATES_PER_RANKER = 30


def fuse_rankings(
    rankings: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of ranked id lists: ids by descending sum of weight/(k + rank) (weights default to 1)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def collapse_near_duplicates(
    rows: Sequence[int], vectors: np.ndarray, threshold: float = NEAR_DUPLICATE_COSINE
) -> list[int]:
    """``rows`` in order, without any row whose vector is a near-copy of an earlier kept row."""
    kept: list[int] = []
    for row in rows:
        if all(float(vectors[row] @ vectors[other]) < threshold for other in kept):
            kept.append(row)
    return kept


def one_copy_per_story(rows: Sequence[int], story_of_row: Sequence[str], doc_of_row: Sequence[str]) -> list[int]:
    """``rows`` in order, keeping of each wire story only the passages of its best-ranked copy."""
    chosen: dict[str, str] = {}
    kept: list[int] = []
    for row in rows:
        doc_id = doc_of_row[row]
        if chosen.setdefault(story_of_row[row], doc_id) == doc_id:
            kept.append(row)
    return kept


_KIND_RANK = {kind: rank for rank, kind in enumerate(SOURCE_KINDS)}  # official > agency > news > opinion
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})[a-z]*\b", re.IGNORECASE)
_MONTH_DAY_RE = re.compile(rf"\b({_MONTHS})[a-z]*\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_NUMBER_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?")


def stated_figures(text: str) -> frozenset[str]:
    """The figures a text states, normalised: day-month dates ("31 mar") and numbers without their commas;
    bare years are left out (nearly every passage names one)."""
    found: set[str] = set()
    for match in _DAY_MONTH_RE.finditer(text):
        found.add(f"{int(match.group(1))} {match.group(2)[:3].casefold()}")
    for match in _MONTH_DAY_RE.finditer(text):
        found.add(f"{int(match.group(2))} {match.group(1)[:3].casefold()}")
    dated = {m.span(1) for m in _DAY_MONTH_RE.finditer(text)} | {m.span(2) for m in _MONTH_DAY_RE.finditer(text)}
    for match in _NUMBER_RE.finditer(text):
        value = match.group(0).replace(",", "")
        if match.span() in dated or (len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2100):
            continue
        found.add(value)
    return frozenset(found)


def prefer_authoritative(passages: Sequence[Passage]) -> list[Passage]:
    """``passages`` in order, except that a passage from a more authoritative kind of source (official >
    agency > news > opinion) moves ahead of the first less authoritative one before it that states one of
    the same figures or dates: when sources say the same thing, the notice or the agency is cited first."""
    figures = [stated_figures(p.text) for p in passages]
    order: list[int] = []
    for i, passage in enumerate(passages):
        position = next(
            (
                at
                for at, earlier in enumerate(order)
                if _KIND_RANK[passage.kind] < _KIND_RANK[passages[earlier].kind] and figures[i] & figures[earlier]
            ),
            len(order),
        )
        order.insert(position, i)
    return [passages[i] for i in order]


_ENGLISH_WORD_RE = re.compile(r"[A-Za-z]{4,}")


class ScriptAwareStemmer:
    """The English Snowball stemmer for Latin-script words; words of other scripts (Urdu, Pashto, Dari) as written."""

    def __init__(self, english: Stemmer.Stemmer) -> None:
        self._english = english

    def stemWords(self, words: Sequence[str]) -> list[str]:  # noqa: N802 (the name bm25s looks for)
        """Each word stemmed if it is written in Latin letters."""
        return [self._english.stemWord(w) if w.isascii() else w for w in words]


def lexical_tokens(texts: Sequence[str], stemmer: Stemmer.Stemmer) -> list[list[str]]:
    """BM25 tokens of ``texts``: one form of Arabic-script letters and digits (۸۴ reads 84), English stopwords
    dropped, and only Latin-script words stemmed."""
    tokens = bm25s.tokenize(
        [lexical_form(t) for t in texts],
        stopwords="en",
        stemmer=ScriptAwareStemmer(stemmer),
        return_ids=False,
        show_progress=False,
    )
    return [list(doc) for doc in tokens]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """The words one letter away from ``word``: one deleted, replaced or inserted."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    replaced = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserted = {a + c + b for a, b in splits for c in _LETTERS}
    return deleted | replaced | inserted


class SpellingCorrector:
    """Maps misspelled English words of a query onto the closest words of the corpus vocabulary.

    A word counts as known when its stem is a corpus stem ("stand" is known from "stands"), or when it is an
    English word (``lexicon``: "form" is not "forum" misspelled), so only words that are neither are
    corrected. Only Latin-script words of a question that is
    not Roman Urdu are candidates: Urdu, Pashto and Dari words, and the Urdu words of a Roman-Urdu
    question, are not misspelled English and are left as written.
    """

    def __init__(
        self,
        texts: Sequence[str],
        stemmer: Stemmer.Stemmer,
        lexicon: frozenset[str] = frozenset(),
        *,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        """Knows the words of ``texts``, or of their ``vocabulary`` when one is given (read once for all)."""
        self._stemmer = stemmer
        self._lexicon = lexicon
        words = (vocabulary or Vocabulary.of(texts)).words(min_length=4)
        self._stems = {self._stemmer.stemWord(w) for w in words}
        words -= FUNCTION_WORDS  # a content word is never "corrected" into "from" or "what"
        self._words = words
        self._by_length: dict[int, list[str]] = {}
        for word in words:
            self._by_length.setdefault(len(word), []).append(word)

    def correct(self, query: str) -> str:
        """``query`` with each unknown English word of four or more letters replaced by a close corpus word."""
        if is_roman_urdu(query):
            return query

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.casefold()
            if lowered in FUNCTION_WORDS or lowered in self._lexicon or self._stemmer.stemWord(lowered) in self._stems:
                return word
            for i in range(len(lowered) - 1):  # one swapped pair of letters: "crads" for "cards"
                swapped = lowered[:i] + lowered[i + 1] + lowered[i] + lowered[i + 2 :]
                if swapped in self._words:
                    return swapped
            # one letter wrong, missing or extra: "chamen" for "chaman" (difflib's ratio below finds no wrong
            # letter in a word of six letters or fewer: 5/6 is under its cutoff)
            near = sorted(_one_edit(lowered) & self._words)
            if near:
                return max(near, key=lambda w: difflib.SequenceMatcher(None, lowered, w).ratio())
            pool = [w for size in range(len(lowered) - 2, len(lowered) + 3) for w in self._by_length.get(size, [])]
            close = difflib.get_close_matches(lowered, pool, n=1, cutoff=0.85)
            return close[0] if close else word

        return _ENGLISH_WORD_RE.sub(fix, query)


class BM25Index:
    """A bm25s index over chunk texts, tokenized per script by :func:`lexical_tokens`."""

    def __init__(self, texts: Sequence[str], stemmer: Stemmer.Stemmer) -> None:
        self._stemmer = stemmer
        self._size = len(texts)
        arabic = sum(1 for text in texts if is_arabic_script(text))
        self._script_counts = {True: arabic, False: len(texts) - arabic}
        self._retriever = bm25s.BM25()
        if texts:
            self._retriever.index(lexical_tokens(texts, self._stemmer), show_progress=False)

    def weight(self, query: str) -> float:
        """How much this ranking counts in fusion for ``query``: the share of texts in the query's script, over the
        share in the corpus's main script (1.0 for the main script).

        Over a corpus mostly in one script, the few texts in another share its everyday words with any question in
        it ("پاکستان", "افغان"), and their IDF, computed over every text, calls those words rare: without this an
        Urdu question would rank the corpus's one Urdu article first whatever it asks.
        """
        main = max(self._script_counts.values())
        return self._script_counts[is_arabic_script(query)] / main if main else 1.0

    def search(self, query: str, k: int) -> list[int]:
        """Row ids of the best-matching texts with a positive score."""
        if not self._size:
            return []
        tokens = lexical_tokens([query], self._stemmer)
        if not tokens[0] or tokens[0] == [""]:
            return []
        documents, scores = self._retriever.retrieve(tokens, k=min(k, self._size), show_progress=False)
        return [int(doc) for doc, score in zip(documents[0], scores[0], strict=True) if score > 0]


@dataclass(frozen=True)
class Retrieval:
    """What one retrieval found: the query as searched (typos corrected), its unit vector and the passages."""

    query: str
    vector: np.ndarray
    passages: tuple[Passage, ...]
    names: frozenset[str] = frozenset()  # the query's words (casefolded) that the corpus writes as names


class HybridSearcher:
    """Dense plus lexical search over one index snapshot."""

    def __init__(self, snapshot: IndexSnapshot, embedder: Embedder) -> None:
        self.snapshot = snapshot
        self._embedder = embedder
        texts = [f"{snapshot.documents[c.doc_id].title}\n{c.text}" for c in snapshot.chunks]
        stemmer = Stemmer.Stemmer("english")
        self._bm25 = BM25Index(texts, stemmer)
        # the corpus's words as written, read once: for the speller, and for which words it writes as names
        self.vocabulary = Vocabulary.of(texts, prose=[c.text for c in snapshot.chunks])
        self.speller = SpellingCorrector(texts, stemmer, english_words(), vocabulary=self.vocabulary)
        self._doc_of_row = [c.doc_id for c in snapshot.chunks]
        self._story_of_row = [story_key(snapshot.documents[c.doc_id]) for c in snapshot.chunks]
        self._outlets = outlets_by_story(snapshot.documents.values())
        self._lede_ends = self._ledes(snapshot)

    @staticmethod
    def _ledes(snapshot: IndexSnapshot) -> dict[str, int]:
        """Where each article's lede (its first LEDE_SENTENCES sentences) ends, from its first chunk's stored
        sentence spans."""
        ends: dict[str, int] = {}
        table = snapshot.sentence_table
        for row, chunk in enumerate(snapshot.chunks):
            if chunk.start == 0 and chunk.doc_id not in ends:
                spans = table.spans[table.rows_of(row)[:LEDE_SENTENCES]]
                if len(spans):
                    ends[chunk.doc_id] = int(spans[-1][1])
        return ends

    def dense(self, query_vector: np.ndarray, k: int) -> list[int]:
        """Rows of the nearest chunks by cosine similarity."""
        if not self.snapshot.chunks:
            return []
        _, ids = self.snapshot.faiss_index.search(query_vector.reshape(1, -1), min(k, len(self.snapshot.chunks)))
        return [int(i) for i in ids[0] if i >= 0]

    def search(self, query: str, k: int = 6) -> list[Passage]:
        """The ``k`` best passages for ``query``."""
        if not self.snapshot.chunks or not query.strip():
            return []
        return self._search_with(query, self._embedder.embed([query], kind="query")[0], k)

    def retrieve(self, query: str, k: int = 6) -> Retrieval:
        """The query with typos corrected, its vector (embedded once, here) and its ``k`` best passages."""
        corrected = self.speller.correct(query)
        vector = self._embedder.embed([corrected], kind="query")[0]
        if not self.snapshot.chunks or not corrected.strip():
            return Retrieval(corrected, vector, ())
        passages = tuple(self._search_with(corrected, vector, k))
        return Retrieval(corrected, vector, passages, self.vocabulary.names_in(corrected))

    def _search_with(self, query: str, query_vector: np.ndarray, k: int) -> list[Passage]:
        """The ``k`` best passages for ``query`` whose vector is ``query_vector``."""
        dense_rows = self.dense(query_vector, CANDIDATES_PER_RANKER)
        lexical_rows = self._bm25.search(query, CANDIDATES_PER_RANKER)
        fused = fuse_rankings([dense_rows, lexical_rows], weights=(1.0, self._bm25.weight(query)))
        fused_score = dict(fused)
        rows = collapse_near_duplicates([row for row, _ in fused], self.snapshot.vectors)
        rows = one_copy_per_story(rows, self._story_of_row, self._doc_of_row)[:k]
        return [self._passage(row, fused_score[row], float(self.snapshot.vectors[row] @ query_vector)) for row in rows]

    def correct_and_search(self, query: str, k: int = 6) -> tuple[str, list[Passage]]:
        """The query with typos corrected against the corpus vocabulary, and its ``k`` best passages."""
        corrected = self.speller.correct(query)
        return corrected, self.search(corrected, k)

    def _sentences(self, row: int) -> tuple[tuple[tuple[int, int], ...], np.ndarray]:
        """Chunk ``row``'s sentence spans relative to its text, and their stored vectors as unit float32 rows."""
        table = self.snapshot.sentence_table
        members = table.rows_of(row)
        start = self.snapshot.chunks[row].start
        spans = tuple((int(a) - start, int(b) - start) for a, b in table.spans[members].tolist())
        vectors = np.asarray(table.vectors[members], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms > 0, norms, 1.0)  # float16 rounding leaves rows a hair off unit length
        return spans, vectors

    def _passage(self, row: int, score: float, dense_score: float) -> Passage:
        """A Passage for chunk ``row``."""
        chunk = self.snapshot.chunks[row]
        document = self.snapshot.documents[chunk.doc_id]
        spans, sentence_vectors = self._sentences(row)
        return Passage(
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            text=chunk.text,
            title=document.title,
            source=document.source,
            date=document.date,
            url=document.url,
            start=chunk.start,
            end=chunk.end,
            score=score,
            dense_score=dense_score,
            language=document.language,
            verbatim=document.verbatim,
            kind=document.kind,
            lede=document.text[: self._lede_ends.get(chunk.doc_id, 0)],
            outlets=tuple(o for o in self._outlets.get(story_key(document), ()) if o != document.source),
            claims=tuple(self.snapshot.claims_within(chunk.doc_id, chunk.start, chunk.end)),
            sentences=spans,
            sentence_vectors=sentence_vectors,
        )
