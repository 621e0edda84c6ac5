"""Checks run on a generated answer before it is sent: citation markers, figures and links.

Pure functions of their arguments. Figures are compared by value after normalising formatting
only: digit scripts, thousands separators (Western 527,000 and South-Asian 2,23,637), scale words
("1.47 million" equals "1,470,000"), percent spellings and date spellings. Rounding, sums and
unit changes are not formatting, so they fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from bot.answering.questions import FUNCTION_WORDS, MONTHS, WEEKDAYS
from index.text import CURRENCY_CODES
from index.types import Passage

# ---------------------------------------------------------------- citations

CITATION_MARKER = re.compile(r"\s*\[\s*(\d{1,3}(?:\s*,\s*\d{1,3})*)\s*\](?!\()")


@dataclass(frozen=True)
class CitationCheck:
    """Result of :func:`check_citations`: cleaned text, cited numbers and dropped numbers."""

    text: str
    cited: tuple[int, ...]  # in-range passage numbers the text cites, ascending
    removed: tuple[int, ...]  # out-of-range numbers dropped from the text, as found

    @property
    def uncited(self) -> bool:
        """True when the text cites no passage at all."""
        return not self.cited


def citation_numbers(text: str) -> list[int]:
    """Every number inside ``[n]`` / ``[n, m]`` markers of ``text``, in order, repeats kept."""
    return [int(part) for match in CITATION_MARKER.finditer(text) for part in match.group(1).split(",")]


def check_citations(text: str, n_passages: int) -> CitationCheck:
    """Drop markers outside ``1..n_passages`` from ``text`` and report them and the valid ones."""
    cited: set[int] = set()
    removed: list[int] = []

    def repl(match: re.Match[str]) -> str:
        numbers = [int(part) for part in match.group(1).split(",")]
        valid = [n for n in numbers if 1 <= n <= n_passages]
        removed.extend(n for n in numbers if not 1 <= n <= n_passages)
        cited.update(valid)
        if len(valid) == len(numbers):
            return match.group(0)
        if not valid:
            return ""
        leading = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        return leading + "[" + ", ".join(str(n) for n in valid) + "]"

    cleaned = CITATION_MARKER.sub(repl, text)
    return CitationCheck(text=cleaned, cited=tuple(sorted(cited)), removed=tuple(removed))


# ---------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4]+[\"'\u201d\u2019)]*(?:\s*\[\s*\d{1,3}(?:\s*,\s*\d{1,3})*\s*\])*(?=\s|$)")


def split_sentences(text: str) -> list[str]:
    """Split on line breaks and sentence ends, keeping markers that follow a full stop with their sentence."""
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _SENTENCE_END.finditer(line):
            sentences.append(line[start : match.end()])
            start = match.end()
        sentences.append(line[start:])
    return [s.strip() for s in sentences if s.strip()]


# ---------------------------------------------------------------- figures

FigureKind = Literal["number", "percent", "date"]
DateParts = tuple[int | None, int, int | None]  # (year, month, day); year or day may be unknown


@dataclass(frozen=True)
class Figure:
    """A count, amount, percentage or date as written, with its normalised value."""

    text: str
    kind: FigureKind
    value: Decimal | None = None  # numbers and percents
    date: DateParts | None = None  # dates


_DIGITS = {
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic
    **{0x06F0 + i: str(i) for i in range(10)},  # Extended Arabic-Indic (Urdu, Dari, Pashto)
    **{0x0966 + i: str(i) for i in range(10)},  # Devanagari
    0x066B: ".",  # Arabic decimal separator
    0x066C: ",",  # Arabic thousands separator
    0x066A: "%",  # Arabic percent sign
    0x00A0: " ",
    0x202F: " ",
    0x2009: " ",
}

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # Urdu, and Dari/Pashto spellings of the Gregorian months
    "جنوری": 1, "فروری": 2, "فبروری": 2, "مارچ": 3, "اپریل": 4, "مئی": 5, "جون": 6,
    "جولائی": 7, "جولای": 7, "اگست": 8, "ستمبر": 9, "سپتمبر": 9, "اکتوبر": 10,
    "نومبر": 11, "دسمبر": 12,
}  # fmt: skip
_MONTH = "(" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + ")"

_SCALES: dict[str, int] = {
    "thousand": 10**3, "k": 10**3, "lakh": 10**5, "lac": 10**5, "lakhs": 10**5, "million": 10**6,
    "mn": 10**6, "m": 10**6, "crore": 10**7, "crores": 10**7, "billion": 10**9, "bn": 10**9,
    "ہزار": 10**3, "هزار": 10**3, "لاکھ": 10**5, "ملین": 10**6, "میلیون": 10**6, "ملیون": 10**6,
    "کروڑ": 10**7, "ارب": 10**9, "میلیارد": 10**9,
}  # fmt: skip
_WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip

_NUM = r"(?:\d{1,3}(?:,\d{2,3})+|\d+)(?:\.\d+)?"
_ORD = r"(?:st|nd|rd|th)?"
_NOT_BEFORE = r"(?<![0-9A-Za-z.,])"
_NOT_AFTER = r"(?![0-9A-Za-z])"
_LONG_SCALE = "|".join(sorted((re.escape(s) for s in _SCALES if len(s) > 2), key=len, reverse=True))

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DAY_MONTH = re.compile(
    rf"{_NOT_BEFORE}(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH}\b\.?(?:\s*[,\u060c]?\s*(\d{{4}})(?!\d))?", re.I
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}}){_ORD}{_NOT_AFTER}(?:\s*[,\u060c]?\s*(\d{{4}})(?!\d))?", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?\s*[,\u060c]?\s+(\d{{4}})(?!\d)", re.I)
_PERCENT = re.compile(rf"{_NOT_BEFORE}({_NUM})\s*(?:%|-?\s*per\s*cent\b|-?\s*percent\b|فیصد|درصد|سلنه)", re.I)
_SCALED = re.compile(rf"{_NOT_BEFORE}({_NUM})(?:\s*-?\s*({_LONG_SCALE})(?!\w)|(mn|bn|m|k)\b)", re.I)
_WORD_SCALED = re.compile(
    r"\b(" + "|".join(_WORD_NUMBERS) + r")\s+(" + "|".join(s for s in _SCALES if s.isascii() and len(s) > 2) + r")\b",
    re.I,
)
_PLAIN = re.compile(rf"{_NOT_BEFORE}({_NUM}){_ORD}{_NOT_AFTER}")

_DIGIT = re.compile(r"\d")
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+|\bwww\.[^\s<>()\[\]\"']+", re.I)
_LIST_MARKER = re.compile(r"^\s*\d{1,2}[.)](?=\s)", re.M)
# a currency's code written before a figure ("Rs.1,500", "Tk500", "PKR 300"), which names no one (see
# extractive._capitalised_words); and with the symbols ("US$3", "€20"), what is blanked so the figure reads as a number
_CURRENCY_CODE = rf"\b(?:{'|'.join(sorted(CURRENCY_CODES))})\.?"
CURRENCY_CODE_BEFORE_FIGURE_RE = re.compile(rf"{_CURRENCY_CODE}\s*(?=\d)", re.I)
_CURRENCY = re.compile(rf"(?:{_CURRENCY_CODE}|US\$|\$|€|£)\s*(?=\d)", re.I)


def normalise_digits(text: str) -> str:
    """Map Arabic-Indic and Devanagari digits and separators to ASCII; odd spaces to plain ones."""
    return text.translate(_DIGITS)


def _number(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _date(year: str | None, month: str, day: str | None) -> DateParts | None:
    m = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    d = int(day) if day else None
    if m is None or not 1 <= m <= 12 or (d is not None and not 1 <= d <= 31):
        return None
    return (int(year) if year else None, m, d)


_MONTH_WORD = re.compile(rf"\b{_MONTH}\b", re.I)


def months_named(text: str, *, with_days: bool = True) -> frozenset[int]:
    """The months (1-12) ``text`` names; with ``with_days=False``, not those of a day it gives ("April 1", "1 April").
    "may" in small letters is the verb."""
    days = [] if with_days else [m.span() for p in (_DAY_MONTH, _MONTH_DAY) for m in p.finditer(text)]
    found = set()
    for match in _MONTH_WORD.finditer(text):
        word = match.group(1)
        if word == "may" or any(start <= match.start() < end for start, end in days):
            continue
        found.add(_MONTHS[word.casefold()])
    return frozenset(found)


def extract_figures(text: str) -> list[Figure]:
    """Every date, percentage, count and amount in ``text``; ``[n]`` markers, URLs and list numbers are not figures."""
    work = normalise_digits(text)
    work = CITATION_MARKER.sub(lambda m: " " * len(m.group(0)), work)
    work = _URL.sub(lambda m: " " * len(m.group(0)), work)
    work = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), work)
    work = _CURRENCY.sub(lambda m: " " * len(m.group(0)), work)
    found: list[tuple[int, Figure]] = []

    def take(pattern: re.Pattern[str], build: Callable[[re.Match[str]], Figure | None]) -> None:
        nonlocal work
        for match in pattern.finditer(work):
            figure = build(match)
            if figure is not None:
                found.append((match.start(), figure))
                work = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end() :]

    def iso(m: re.Match[str]) -> Figure | None:
        parts = _date(m.group(1), m.group(2), m.group(3))
        return Figure(m.group(0), "date", date=parts) if parts else None

    def day_month(m: re.Match[str]) -> Figure | None:
        parts = _date(m.group(3), m.group(2), m.group(1))
        return Figure(m.group(0).strip(), "date", date=parts) if parts else None

    def month_day(m: re.Match[str]) -> Figure | None:
        parts = _date(m.group(3), m.group(1), m.group(2))
        return Figure(m.group(0).strip(), "date", date=parts) if parts else None

    def month_year(m: re.Match[str]) -> Figure | None:
        parts = _date(m.group(2), m.group(1), None)
        return Figure(m.group(0).strip(), "date", date=parts) if parts else None

    def percent(m: re.Match[str]) -> Figure | None:
        value = _number(m.group(1))
        return Figure(m.group(0).strip(), "percent", value=value) if value is not None else None

    def scaled(m: re.Match[str]) -> Figure | None:
        value = _number(m.group(1))
        scale = _SCALES[(m.group(2) or m.group(3)).lower()]
        return Figure(m.group(0).strip(), "number", value=value * scale) if value is not None else None

    def word_scaled(m: re.Match[str]) -> Figure | None:
        value = _WORD_NUMBERS[m.group(1).lower()] * _SCALES[m.group(2).lower()]
        return Figure(m.group(0), "number", value=Decimal(value))

    def plain(m: re.Match[str]) -> Figure | None:
        value = _number(m.group(1))
        return Figure(m.group(0), "number", value=value) if value is not None else None

    digits = _DIGIT.search(work) is not None  # every pattern but "two million" needs one
    if digits:
        take(_ISO_DATE, iso)
        take(_DAY_MONTH, day_month)
        take(_MONTH_DAY, month_day)
        take(_MONTH_YEAR, month_year)
        take(_PERCENT, percent)
        take(_SCALED, scaled)
    take(_WORD_SCALED, word_scaled)
    if digits:
        take(_PLAIN, plain)
    return [figure for _, figure in sorted(found, key=lambda item: item[0])]


@dataclass(frozen=True)
class _Facts:
    numbers: frozenset[Decimal]
    percents: frozenset[Decimal]
    dates: frozenset[DateParts]


def _passage_facts(passage: Passage) -> _Facts:
    """Every figure a passage states, in its text, title, source or publication date."""
    figures = extract_figures("\n".join([passage.title, passage.source, passage.text]))
    numbers: set[Decimal] = set()
    percents: set[Decimal] = set()
    dates: set[DateParts] = set()
    if passage.date:
        published = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", passage.date.strip())
        if published:
            numbers.add(Decimal(published.group(1)))
            if published.group(2):
                parts = _date(published.group(1), published.group(2), published.group(3))
                if parts:
                    dates.add(parts)
    for figure in figures:
        if figure.kind == "number" and figure.value is not None:
            numbers.add(figure.value)
        elif figure.kind == "percent" and figure.value is not None:
            percents.add(figure.value)
        elif figure.kind == "date" and figure.date is not None:
            dates.add(figure.date)
    for year, _, day in list(dates):
        # "2025" or "31" written alone may refer to a date the passage spells out in full.
        numbers.update(Decimal(part) for part in (year, day) if part is not None)
    return _Facts(frozenset(numbers), frozenset(percents), frozenset(dates))


def _supported(figure: Figure, facts: _Facts) -> bool:
    if figure.kind == "number":
        return figure.value in facts.numbers
    if figure.kind == "percent":
        return figure.value in facts.percents
    assert figure.date is not None
    year, month, day = figure.date
    for p_year, p_month, p_day in facts.dates:
        if p_month != month or (day is not None and p_day != day):
            continue
        if year is None or p_year == year or (p_year is None and Decimal(year) in facts.numbers):
            return True
    return False


@dataclass(frozen=True)
class UnsupportedFigure:
    """A figure of the answer not found in any passage its sentence cites."""

    figure: str
    sentence: str
    cited: tuple[int, ...]


def check_numbers(text: str, passages_by_n: Mapping[int, Passage]) -> tuple[UnsupportedFigure, ...]:
    """Figures of ``text`` that no passage cited in the same sentence states, formatting aside."""
    facts: dict[int, _Facts] = {}
    problems: list[UnsupportedFigure] = []
    for sentence in split_sentences(text):
        cited = tuple(dict.fromkeys(n for n in citation_numbers(sentence) if n in passages_by_n))
        for n in cited:
            if n not in facts:
                facts[n] = _passage_facts(passages_by_n[n])
        for figure in extract_figures(sentence):
            if not any(_supported(figure, facts[n]) for n in cited):
                problems.append(UnsupportedFigure(figure.text, sentence, cited))
    return tuple(problems)


# ---------------------------------------------------------------- links

_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?(https?://[^)\s>]+)>?\s*\)", re.I)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>", re.I)
_TRAILING = ".,;:!?'\"\u2019\u201d"


@dataclass(frozen=True)
class LinkCheck:
    """Result of :func:`strip_unknown_links`: cleaned text and the URLs taken out."""

    text: str
    removed: tuple[str, ...]


def _url_key(url: str) -> str:
    url = re.sub(r"^https?://", "", url.strip(), flags=re.I)
    host, _, rest = url.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{rest}".rstrip("/")


def strip_unknown_links(text: str, allowed_urls: Iterable[str | None]) -> LinkCheck:
    """Remove every http(s) URL or markdown link whose target is not one of ``allowed_urls``."""
    allowed = {_url_key(url) for url in allowed_urls if url}
    removed: list[str] = []

    def markdown(match: re.Match[str]) -> str:
        if _url_key(match.group(2)) in allowed:
            return match.group(0)
        removed.append(match.group(2))
        return match.group(1)

    def autolink(match: re.Match[str]) -> str:
        if _url_key(match.group(1)) in allowed:
            return match.group(0)
        removed.append(match.group(1))
        return ""

    def bare(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(_TRAILING)
        tail = match.group(0)[len(url) :]
        if _url_key(url) in allowed:
            return match.group(0)
        removed.append(url)
        return tail

    cleaned = _MARKDOWN_LINK.sub(markdown, text)
    cleaned = _AUTOLINK.sub(autolink, cleaned)
    cleaned = _URL.sub(bare, cleaned)
    if removed:
        cleaned = re.sub(r"\(\s*\)", "", cleaned)
        cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
        cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
        cleaned = "\n".join(line.rstrip() for line in cleaned.splitlines())
    return LinkCheck(text=cleaned, removed=tuple(removed))


# ---------------------------------------------------------------- names

_NAME_WORD = re.compile(r"\b[A-Z][\w’'-]*[A-Za-z]\b|\b[A-Z]{2,}\b")


def _names(sentence: str) -> list[str]:
    """The words of an English sentence written as names: capitalised after its first word, acronyms, and a
    capitalised first word that is no function word and runs straight on ("Turkey hosts ...", not "The ..."
    or "Meanwhile, ..."). Month and weekday names are dates, which the figure check reads."""
    found: list[str] = []
    words = list(re.finditer(r"[^\W_][\w’'-]*", sentence))
    for position, match in enumerate(words):
        word = match.group(0)
        lowered = word.casefold()
        if not _NAME_WORD.fullmatch(word) or lowered in MONTHS or lowered in WEEKDAYS:
            continue
        if position == 0 and not (len(word) > 1 and word.isupper()):
            between = sentence[match.end() : words[1].start()] if len(words) > 1 else "."
            if lowered in FUNCTION_WORDS or between.strip():
                continue
        found.append(word)
    return found


@dataclass(frozen=True)
class UnsupportedName:
    """A name (a country, place, body or person) of the answer that no passage its sentence cites contains."""

    name: str
    sentence: str
    cited: tuple[int, ...]


def check_names(text: str, passages_by_n: Mapping[int, Passage]) -> tuple[UnsupportedName, ...]:
    """Names in sentences of ``text`` absent from every passage (text, title, outlet) the sentence cites."""
    problems: list[UnsupportedName] = []
    for sentence in split_sentences(text):
        cited = tuple(dict.fromkeys(n for n in citation_numbers(sentence) if n in passages_by_n))
        if not cited:
            continue
        haystack = " ".join(
            f"{passages_by_n[n].title} {passages_by_n[n].source} {passages_by_n[n].text}" for n in cited
        ).casefold()
        bare = re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", " ", sentence)
        first = re.match(r"\W*([^\W_][\w’'-]*)", bare)
        for name in _names(bare):
            stem = name.casefold().removesuffix("’s").removesuffix("'s")
            if first is not None and name == first.group(1) and not name.isupper():
                stem = stem[: max(4, len(stem) - 3)]  # a capitalised first word may be an ordinary word inflected
            if not re.search(rf"(?<!\w){re.escape(stem)}", haystack):
                problems.append(UnsupportedName(name, sentence, cited))
    return tuple(problems)
