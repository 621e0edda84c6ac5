"""The offline answerer: picks source sentences that answer the question and cites each one."""

from __future__ import annotations

import asyncio
import difflib
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import Stemmer

from bot.answering.answers import Answer, Citation, PartialCallback, Statement, StatementRole
from index.chunking import split_sentences
from index.embedding import Embedder
from index.types import Passage

BACKEND_NAME = "extractive"
MAX_SENTENCES = 3
MAX_EARLIER_FIGURES = 3
# Thresholds, calibrated on tests/eval/questions.jsonl and checked on tests/eval/heldout.jsonl.
# A supporting sentence has FULL_COVERAGE of the question's IDF-weighted key terms, or MIN_COVERAGE of them
# and a mean of coverage and embedding similarity of MIN_AGREEMENT.
FULL_COVERAGE = 0.85
MIN_COVERAGE = 0.4
MIN_AGREEMENT = 0.5
CLOSEST_COVERAGE = 0.3  # a refusal quotes the closest sentence only if it has this much coverage
CONTEXT_CREDIT = 0.5  # credit for a question term found elsewhere in the passage, not in the quoted sentence
MAX_MISSING_SHARE = 0.33  # refuse when this share of the question's term weight is absent from every passage
MAX_FIGURE_GAP = 0.3  # a quoted figure may lack no question term weighing more than this share
SCORE_GAP = 0.2  # runners-up are quoted when within this score of the best sentence...
FIGURE_SCORE_GAP = 0.35  # ...or within this, for a figure from another article
DEFINITION_BONUS = 0.3
PAIR_PENALTY = 0.04  # two adjacent sentences must score this much better than one to be quoted together
SENTENCE_CACHE_SIZE = 4096

_WORD_RE = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_ACRONYM_RE = re.compile(r"\(\s*([A-Z][A-Za-z]{1,8})\s*\)")
_EXPANSION_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in", "to"})
_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_MONTHS = (
    "january february march april may june july august september october november december jan feb mar "
    "apr jun jul aug sep sept oct nov dec"
).split()
_MONTH_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_MONTH_ALT = "|".join(_MONTHS)
_DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}}\s+({_MONTH_ALT})|({_MONTH_ALT})\s+\d{{1,2}})\b", re.IGNORECASE)
_COUNT_RE = re.compile(
    r"(\d[\d,]*(\.\d+)?\s*(%|percent|per cent|million|billion|lakh|crore|thousand)|\d{1,3}(,\d{2,3})+|\b\d{3,}\b)",
    re.IGNORECASE,
)
_QUANTITY_Q_RE = re.compile(
    r"\b(how many|how much|number of|numbers|figure|figures|count|total|percent|percentage|what share|how large)\b",
    re.IGNORECASE,
)
_DATE_Q_RE = re.compile(r"\b(when|what date|which date|deadline|until when|by when|what year|which year|date)\b", re.I)
_DEFINITION_Q_RE = re.compile(r"^\s*(what|who)\s+(is|are|was|were)\b|\bstand for\b|\bmeaning of\b|\bdefin", re.I)

# Names so common in this corpus that a sentence need not repeat them to answer.
COMMON_NAMES = frozenset({"pakistan", "pakistani", "pakistanis", "afghan", "afghans", "afghanistan", "i"})
_ANSWER_TYPE_WORDS = frozenset(
    "deadline deadlines date dates day year number numbers figure figures total count amount".split()
)
# When-words that the article's date answers, not its text ("by spring 2024", "so far", "mid-November").
_TEMPORAL_WORDS = frozenset("spring summer autumn fall winter mid early late far ago today now yet still".split())
_QUESTION_WORDS = ["what", "when", "where", "which", "who", "whom", "whose", "why", "how", "many", "much"]
_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
SOFT_MATCH_MIN = 0.5  # cosine between two words' embeddings that counts as a partial (synonym) match

# Words that carry the question's form, not its subject.
STOPWORDS = frozenset(
    (
        "a about above after again against all also am an and any are as at be because been before being "
        "between both but by can could did do does doing done down during each few for from further had has "
        "have having he her here hers him his how i if in into is it its itself just me more most my no nor "
        "not now of off on once only or other our out over own same she should so some such than that the "
        "their them then there these they this those through to too under until up very was we were what when "
        "where which while who whom why will with would you your yours many much tell say said says according "
        "latest current currently recent recently know give show explain happen happens happened please "
        "anything something thing things kind sort get got happening exactly per whats stand stands mean "
        "means meaning meant refer refers define definition full form abbreviation give given gave"
    ).split()
)


@dataclass(frozen=True)
class _Candidate:
    """A sentence of a retrieved passage, scored against the question."""

    passage_index: int
    start: int  # offsets inside the passage text
    end: int
    text: str
    coverage: float
    similarity: float
    score: float
    has_count: bool
    has_date: bool
    largest_gap: float = 0.0  # the biggest share of term weight that the quoted text itself lacks


@dataclass(frozen=True)
class QuestionProfile:
    """What the answerer needs to know about a question."""

    terms: tuple[str, ...]  # stemmed key terms
    words: tuple[str, ...]  # the question's word for each term, for synonym matching
    required: tuple[str, ...]  # stems of names and acronyms every supporting sentence must contain
    wants_quantity: bool
    wants_date: bool
    wants_definition: bool
    acronyms: tuple[str, ...]


def format_date(date: str | None) -> str:
    """A human date: "1 Nov 2025", "April 2024", "2024", or "date unknown"."""
    if not date:
        return "date unknown"
    parts = date.split("-")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            full = "January February March April May June July August September October November December".split()
            return f"{full[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return date
    return date


def has_count(text: str) -> bool:
    """True when ``text`` states a quantity (not merely a year or a day of the month)."""
    for match in _COUNT_RE.finditer(text):
        if not _YEAR_RE.match(match.group(0).strip()):
            return True
    without_dates = _DAY_MONTH_RE.sub(" ", text)
    without_years = re.sub(r"\b(19|20)\d\d\b", " ", without_dates)
    return bool(re.search(r"\b\d{1,3}\b", without_years))


def has_date(text: str) -> bool:
    """True when ``text`` mentions a month, a weekday-free calendar date or a year."""
    return bool(_MONTH_RE.search(text) or re.search(r"\b(19|20)\d\d\b", text))


REFUSAL_TEXT = "The indexed sources don't say that."


def _contains(stems: set[str], term: str) -> bool:
    """True when ``term`` is among ``stems``, or one is a prefix (of five letters or more) of the other."""
    if term in stems:
        return True
    if len(term) < 5 or term.isdigit():
        return False
    return any(len(stem) >= 5 and (stem.startswith(term) or term.startswith(stem)) for stem in stems)


def _is_stopword_typo(word: str) -> bool:
    """True for a misspelt question word such as "wat" or "whta" (not for real content words)."""
    return (
        len(word) <= 5 and word.isalpha() and bool(difflib.get_close_matches(word, _QUESTION_WORDS, n=1, cutoff=0.85))
    )


def _with_acronyms(stems: set[str], acronyms: dict[str, set[str]]) -> set[str]:
    """``stems`` plus an acronym's expansion where the acronym appears, and the acronym where its expansion does."""
    result = set(stems)
    for acronym, expansion in acronyms.items():
        if acronym in stems:
            result |= expansion
        elif expansion and expansion <= stems:
            result.add(acronym)
    return result


def _is_required(word: str, position: int) -> bool:
    """True for a word every supporting sentence must contain: a name, an acronym, a year or a big number."""
    bare = word.casefold().removesuffix("'s").removesuffix("’s")
    if word.isdigit():
        return len(word) >= 3
    if bare in COMMON_NAMES or bare in _WEEKDAYS or bare in _MONTHS:
        return False
    return word[:1].isupper() and (position > 0 or word.isupper())


def _overlaps(a: _Candidate, b: _Candidate, passages: Sequence[Passage]) -> bool:
    """True when two candidates quote overlapping text of the same document (or the same text)."""
    if a.text in b.text or b.text in a.text:
        return True
    pa, pb = passages[a.passage_index], passages[b.passage_index]
    if pa.doc_id != pb.doc_id:
        return False
    return pa.start + a.start < pb.start + b.end and pb.start + b.start < pa.start + a.end


def _with_score(candidate: _Candidate, score: float) -> _Candidate:
    """A copy of ``candidate`` with another score."""
    return replace(candidate, score=score)


class ExtractiveAnswerer:
    """Answers by quoting the source sentences that best match the question, never paraphrasing."""

    name = BACKEND_NAME

    def __init__(self, embedder: Embedder, *, min_coverage: float = MIN_COVERAGE) -> None:
        self._embedder = embedder
        self._min_coverage = min_coverage
        self._stemmer = Stemmer.Stemmer("english")
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    async def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_partial: PartialCallback | None = None,
    ) -> Answer:
        """Answer from ``passages`` in a worker thread (embedding is CPU work)."""
        return await asyncio.to_thread(self.answer_sync, question, passages)

    def answer_sync(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The extractive answer, or a refusal that says what the sources don't cover."""
        started = time.perf_counter()
        profile = self.profile(question, passages)
        candidates, missing_share = self._candidates(question, profile, passages)
        chosen = self._choose(candidates, profile, passages) if missing_share < MAX_MISSING_SHARE else []
        elapsed = {"answer": round((time.perf_counter() - started) * 1000, 1)}
        if not chosen:
            return self._refusal(question, candidates, passages, elapsed)
        return self._compose(question, chosen, passages, profile, elapsed)

    def rerank(self, question: str, passages: Sequence[Passage]) -> list[Passage]:
        """``passages`` ordered by their best sentence's score for ``question`` (retrieval order breaks ties)."""
        profile = self.profile(question, passages)
        candidates, _ = self._candidates(question, profile, passages)
        best: dict[int, float] = {}
        for candidate in candidates:
            best.setdefault(candidate.passage_index, candidate.score)
        order = sorted(range(len(passages)), key=lambda i: (-best.get(i, float("-inf")), i))
        return [passages[i] for i in order]

    # -- understanding the question -------------------------------------------------------
    def _stem(self, word: str) -> str:
        """Lower-case English stem of one word (numbers keep their digits only)."""
        word = word.casefold().replace("’", "'")
        if any(ch.isdigit() for ch in word):
            return re.sub(r"[^\d.]", "", word).strip(".")
        word = word.removesuffix("'s")
        return str(self._stemmer.stemWord(word))

    def _stems(self, text: str) -> list[str]:
        """Stems of the content words of ``text``."""
        return [self._stem(w) for w in _WORD_RE.findall(text) if w.casefold() not in STOPWORDS]

    def profile(self, question: str, passages: Sequence[Passage]) -> QuestionProfile:
        """Key terms (typos mapped onto the passages' vocabulary) and the kind of answer wanted."""
        vocabulary = {stem for p in passages for stem in self._stems(f"{p.title} {p.text}")}
        expansions = self._acronyms(passages)
        terms: list[str] = []
        words: list[str] = []
        required: list[str] = []
        acronyms: list[str] = []
        for position, match in enumerate(_WORD_RE.finditer(question)):
            word = match.group(0)
            lowered = word.casefold()
            if lowered in STOPWORDS or (len(lowered) < 2 and not lowered.isdigit()) or _is_stopword_typo(lowered):
                continue
            if lowered in _TEMPORAL_WORDS:
                continue
            if lowered in _ANSWER_TYPE_WORDS and (_DATE_Q_RE.search(question) or _QUANTITY_Q_RE.search(question)):
                continue  # "deadline", "number": the kind of answer wanted, not its subject
            if word.upper() in expansions:
                acronyms.append(word.upper())
            stem = self._stem(word)
            if stem and stem not in vocabulary and not stem.isdigit() and len(stem) >= 4:
                close = difflib.get_close_matches(stem, vocabulary, n=1, cutoff=0.8)
                stem = close[0] if close else stem
            if stem and stem not in terms:
                terms.append(stem)
                words.append(lowered)
            if stem and stem not in required and _is_required(word, position):
                required.append(stem)
        return QuestionProfile(
            terms=tuple(terms),
            words=tuple(words),
            required=tuple(required),
            wants_quantity=bool(_QUANTITY_Q_RE.search(question)),
            wants_date=bool(_DATE_Q_RE.search(question)),
            wants_definition=bool(_DEFINITION_Q_RE.search(question)),
            acronyms=tuple(acronyms),
        )

    def _acronyms(self, passages: Sequence[Passage]) -> dict[str, str]:
        """Acronyms defined in the passages, e.g. ``{"ACC": "Afghan Citizen Card", "POR": "Proof of Registration"}``."""
        found: dict[str, str] = {}
        for passage in passages:
            for match in _ACRONYM_RE.finditer(passage.text):
                raw = match.group(1)
                words = _EXPANSION_WORD_RE.findall(passage.text[max(0, match.start() - 160) : match.start()])
                for acronym in {raw.upper(), raw.upper().removesuffix("S")}:
                    for size in range(1, min(len(words), 10) + 1):
                        tail = words[-size:]
                        every = "".join(w[0] for w in tail).upper()
                        significant = "".join(w[0] for w in tail if w.casefold() not in _CONNECTORS).upper()
                        if acronym in (every, significant) and tail[0].casefold() not in _CONNECTORS:
                            found.setdefault(acronym, " ".join(tail))
                            break
        return found

    # -- scoring sentences ------------------------------------------------------------------
    def _sentence_vectors(self, keys: list[str], texts: list[str]) -> np.ndarray:
        """Embeddings of sentences, cached by passage and offsets."""
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        if missing:
            vectors = self._embedder.embed([texts[i] for i in missing], kind="document")
            with self._cache_lock:
                for i, vector in zip(missing, vectors, strict=True):
                    self._cache[keys[i]] = vector
                while len(self._cache) > SENTENCE_CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._cache_lock:
            return np.stack([self._cache[key] for key in keys]) if keys else np.zeros((0, 1), dtype=np.float32)

    def _candidates(
        self, question: str, profile: QuestionProfile, passages: Sequence[Passage]
    ) -> tuple[list[_Candidate], float]:
        """Every sentence, and every pair of adjacent sentences, of every passage, scored; and the share of
        the question's term weight that no passage mentions in any form (a subject the sources lack)."""
        sentences: list[tuple[int, int, int]] = []
        for index, passage in enumerate(passages):
            for start, end in split_sentences(passage.text, passage.language):
                if len(passage.text[start:end].split()) >= 4:
                    sentences.append((index, start, end))
        if not sentences:
            return [], 1.0
        texts = [passages[i].text[s:e] for i, s, e in sentences]
        keys = [f"{passages[i].chunk_id}:{s}:{e}" for i, s, e in sentences]
        similarities = self._sentence_vectors(keys, texts) @ self._embedder.embed([question], kind="query")[0]
        acronyms = {
            acronym.casefold(): set(self._stems(expansion)) for acronym, expansion in self._acronyms(passages).items()
        }
        stems = [_with_acronyms(self._sentence_stems(text), acronyms) for text in texts]
        weights = self._term_weights(profile.terms, stems)
        context = [self._context_stems(p) for p in passages]
        for k, (index, _, _) in enumerate(sentences):
            context[index] |= stems[k]  # names may be given anywhere in the passage, not in the quoted sentence
        synonyms = self._synonym_scores(profile, texts, stems)
        spans = [([k], sentences[k]) for k in range(len(sentences))]
        spans += [
            ([k, k + 1], (sentences[k][0], sentences[k][1], sentences[k + 1][2]))
            for k in range(len(sentences) - 1)
            if sentences[k][0] == sentences[k + 1][0]
        ]
        candidates = []
        for members, (index, start, end) in spans:
            text = passages[index].text[start:end]
            covered = set().union(*(stems[k] for k in members))
            soft = {t: max(synonyms[k].get(t, 0.0) for k in members) for t in profile.terms}
            candidate = self._score(
                profile,
                weights,
                covered,
                covered | context[index],
                soft,
                (index, start, end, text),
                max(float(similarities[k]) for k in members),
            )
            if candidate is not None:
                candidates.append(
                    candidate if len(members) == 1 else _with_score(candidate, candidate.score - PAIR_PENALTY)
                )
        candidates.sort(key=lambda c: -c.score)
        mentioned = set().union(*context)
        absent = [
            term
            for term in profile.terms
            if not _contains(mentioned, term) and not any(term in found for found in synonyms)
        ]
        missing_share = sum(weights[t] for t in absent) / (sum(weights.values()) or 1.0)
        return candidates, missing_share

    def _sentence_stems(self, text: str) -> set[str]:
        """Stems of a sentence, with "%" counted as the word percent."""
        stems = set(self._stems(text))
        if "%" in text or re.search(r"\bper ?cent\b", text, re.I):
            stems.update({"percent", "percentag"})
        return stems

    def _context_stems(self, passage: Passage) -> set[str]:
        """Stems a sentence inherits from its article: title, outlet and year."""
        stems = set(self._stems(f"{passage.title} {passage.source}"))
        if passage.date:
            stems.add(passage.date[:4])
        return stems

    def _synonym_scores(
        self, profile: QuestionProfile, texts: Sequence[str], stems: Sequence[set[str]]
    ) -> list[dict[str, float]]:
        """Per sentence, the best word-embedding similarity of each question term it lacks."""
        missing = [
            (term, word)
            for term, word in zip(profile.terms, profile.words, strict=True)
            if not term.isdigit() and not any(_contains(s, term) for s in stems)
        ]
        results: list[dict[str, float]] = [{} for _ in texts]
        if not missing:
            return results
        sentence_words = [
            sorted({w.casefold() for w in _WORD_RE.findall(t) if w.casefold() not in STOPWORDS and w.isalpha()})
            for t in texts
        ]
        vocabulary = sorted({w for words in sentence_words for w in words} | {word for _, word in missing})
        vectors = dict(zip(vocabulary, self._sentence_vectors([f"w:{w}" for w in vocabulary], vocabulary), strict=True))
        for k, words in enumerate(sentence_words):
            if not words:
                continue
            matrix = np.stack([vectors[w] for w in words])
            for term, word in missing:
                best = float((matrix @ vectors[word]).max())
                if best >= SOFT_MATCH_MIN:
                    results[k][term] = best
        return results

    def _score(
        self,
        profile: QuestionProfile,
        weights: dict[str, float],
        stems: set[str],
        with_context: set[str],
        soft: dict[str, float],
        span: tuple[int, int, int, str],
        similarity: float,
    ) -> _Candidate | None:
        """A scored candidate, or None when it (and its article's title) lacks a name the question asks about."""
        index, start, end, text = span
        if not all(_contains(with_context, term) for term in profile.required):
            return None
        total = sum(weights.values()) or 1.0
        matched = sum(
            weight
            if _contains(stems, term)
            else weight * max(soft.get(term, 0.0), CONTEXT_CREDIT if _contains(with_context, term) else 0.0)
            for term, weight in weights.items()
        )
        coverage = matched / total if profile.terms else 0.0
        gaps = [
            weight / total
            for term, weight in weights.items()
            if not _contains(stems, term) and soft.get(term, 0.0) == 0.0 and term not in profile.required
        ]
        counts, dates = has_count(text), has_date(text)
        score = 0.5 * similarity + 0.5 * coverage + 0.02 / (1 + index)
        if profile.wants_quantity:
            score += 0.15 if counts else -0.1
        if profile.wants_date:
            score += 0.1 if dates else -0.05
        if profile.wants_definition and any(f"({a.casefold()}" in text.casefold() for a in profile.acronyms):
            score += DEFINITION_BONUS  # "Proof of Registration (PoR)" is what "what is PoR?" asks for
        return _Candidate(index, start, end, text, coverage, similarity, score, counts, dates, max(gaps, default=0.0))

    @staticmethod
    def _term_weights(terms: Sequence[str], sentence_stems: Sequence[set[str]]) -> dict[str, float]:
        """IDF weights of the key terms over the candidate sentences (rarer terms matter more)."""
        n = len(sentence_stems)
        weights = {}
        for term in terms:
            df = sum(1 for stems in sentence_stems if _contains(stems, term))
            weights[term] = math.log(1 + (n + 1) / (df + 0.5))
        return weights

    def _supports(self, candidate: _Candidate, profile: QuestionProfile) -> bool:
        """True when a sentence can stand as (part of) the answer: it has nearly all the question's terms,
        or most of them and a meaning close to the question's."""
        agreement = (candidate.coverage + candidate.similarity) / 2
        if candidate.coverage < FULL_COVERAGE and (
            candidate.coverage < self._min_coverage or agreement < MIN_AGREEMENT
        ):
            return False
        if profile.wants_quantity:
            # a figure must come with what the question counts: none of its main words may be missing
            return candidate.has_count and candidate.largest_gap <= MAX_FIGURE_GAP
        return True

    def _choose(
        self, candidates: list[_Candidate], profile: QuestionProfile, passages: Sequence[Passage]
    ) -> list[_Candidate]:
        """The supporting sentences to quote: the best, and close runners-up from other places."""
        supporting = [c for c in candidates if self._supports(c, profile)]
        if not supporting:
            return []
        best = supporting[0]
        chosen = [best]
        limit = MAX_SENTENCES + (MAX_EARLIER_FIGURES - 1 if profile.wants_quantity else 0)
        for candidate in supporting[1:]:
            if len(chosen) >= limit:
                break
            # a figure from another article (another date) is worth showing even when it matches less well
            other_figure = (
                profile.wants_quantity
                and candidate.has_count
                and all(passages[c.passage_index].doc_id != passages[candidate.passage_index].doc_id for c in chosen)
            )
            if candidate.score < best.score - (FIGURE_SCORE_GAP if other_figure else SCORE_GAP):
                continue
            if any(_overlaps(c, candidate, passages) for c in chosen):
                continue  # the same sentence again, from a pair or an overlapping chunk
            chosen.append(candidate)
        return chosen

    # -- writing the reply ------------------------------------------------------------------
    def _compose(
        self,
        question: str,
        chosen: list[_Candidate],
        passages: Sequence[Passage],
        profile: QuestionProfile,
        timings: dict[str, float],
    ) -> Answer:
        """The best sentence as the lead, the others as evidence (latest figures first); one citation per
        article, holding every passage quoted from it."""
        dated_figures = profile.wants_quantity and len({passages[c.passage_index].date for c in chosen}) > 1
        if dated_figures:
            chosen = sorted(chosen, key=lambda c: passages[c.passage_index].date or "", reverse=True)
        numbers: dict[str, int] = {}
        quotes: dict[str, list[str]] = {}
        statements: list[Statement] = []
        lines: list[str] = []
        for position, candidate in enumerate(chosen):
            passage = passages[candidate.passage_index]
            n = numbers.setdefault(passage.doc_id, len(numbers) + 1)
            quotes.setdefault(passage.doc_id, []).append(candidate.text)
            role: StatementRole = "earlier" if dated_figures and position else "answer"
            statements.append(
                Statement(
                    text=" ".join(candidate.text.split()),
                    citations=(n,),
                    role=role,
                    as_of=passage.date,
                    reported=passage.date,
                    who=passage.source,
                )
            )
            lines.append(_legacy_line(passage, candidate.text, n, dated_figures, position, len(chosen)))
        citations = tuple(
            _citation(n, next(p for p in passages if p.doc_id == doc_id), quotes[doc_id])
            for doc_id, n in numbers.items()
        )
        as_of = max((c.date for c in citations if c.date), default=None)
        if dated_figures:
            as_of = citations[0].date
        return Answer(
            question=question,
            text="\n".join(lines),
            citations=citations,
            refused=False,
            as_of=as_of,
            backend=BACKEND_NAME,
            timings_ms=timings,
            lead=tuple(statements[:1]),
            evidence=tuple(statements[1:]),
        )

    def _refusal(
        self,
        question: str,
        candidates: list[_Candidate],
        passages: Sequence[Passage],
        timings: dict[str, float],
    ) -> Answer:
        """The indexed sources don't say; point at the closest thing they do say, if anything is close."""
        # the question is not echoed: it is untrusted text and may carry figures the sources never gave
        text = REFUSAL_TEXT
        citations: tuple[Citation, ...] = ()
        evidence: tuple[Statement, ...] = ()
        closest = next((c for c in candidates if c.coverage >= CLOSEST_COVERAGE), None)
        if closest is not None:
            passage = passages[closest.passage_index]
            citations = (_citation(1, passage, [closest.text]),)
            shown = " ".join(closest.text.split())
            quoted = f"“{shown}”" if passage.verbatim else f"{shown} (retold)"
            evidence = (
                Statement(text=shown, citations=(1,), role="related", as_of=passage.date, reported=passage.date),
            )
            text += f"\nThe closest they come: {passage.source}, {format_date(passage.date)}: {quoted} [1]"
        return Answer(
            question=question,
            text=text,
            citations=citations,
            refused=True,
            as_of=None,
            backend=BACKEND_NAME,
            timings_ms=timings,
            evidence=evidence,
        )


def _legacy_line(passage: Passage, text: str, n: int, dated_figures: bool, position: int, count: int) -> str:
    """One line of ``Answer.text`` (the plain reply older readers and the checks use); retold text unquoted."""
    shown = " ".join(text.split())
    quoted = f"“{shown}”" if passage.verbatim else f"{shown} (retold)"
    if dated_figures and position == 0:
        line = (
            f"Most recent figure in the sources, as of {format_date(passage.date)} per {passage.source}: {quoted} [{n}]"
        )
        return line + ("\nEarlier figures:" if count > 1 else "")
    line = f"{passage.source}, {format_date(passage.date)}: {quoted} [{n}]"
    return f"• {line}" if dated_figures else line


def _citation(n: int, passage: Passage, quotes: Sequence[str]) -> Citation:
    """Citation ``n`` of one article, with every passage quoted from it."""
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        title=passage.title,
        source=passage.source,
        date=passage.date,
        url=passage.url,
        quote=quotes[0],
        quotes=tuple(quotes),
        verbatim=passage.verbatim,
        kind=passage.kind,
        outlets=passage.outlets,
    )
