"""Questions: cleaning untrusted text, telling follow-ups from questions that stand alone, and reading
what a question asks for (its kind, its key terms, the names and figures it is about).

Everything here is English grammar, not knowledge of any corpus: the function words are the closed
classes of English (articles, pronouns, auxiliaries, prepositions, conjunctions, wh-words), and the
question kinds come from the wh-phrase ("how many", "when", "who"). A word the question leans on
is found by its shape (capitalised, a number, a year), or by how the retrieved passages write it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from bot.errors import BadQuestionError
from index.claims import TIME_UNITS
from index.text import (
    AUXILIARY_VERBS,
    CURRENCY_WORDS,
    FRAME_VERBS,
    FUNCTION_WORDS,
    SUPPORT_VERBS,
    is_arabic_script,
    normalize_for_matching,
)

_INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_URL_ONLY_RE = re.compile(r"^\s*https?://\S+\s*$", re.I)
WORD_RE = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)

NEGATION_RE = re.compile(r"\b(not|never|no|none|neither|nor|without|cannot)\b|n[’']t\b", re.I)
# English's verbs and adjectives that deny what follows them: "why did X fail to enter the top ten?" asks, as "why
# did X not enter ...?" does, about something that did not happen
DENYING_RE = re.compile(r"\b(?:unable|fail(?:s|ed|ing)?|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing))\s+to\b", re.I)
# a verb's negation (not "no papers", "without a permit": those deny a thing, not what was done)
_VERB_NEGATION_RE = re.compile(r"\b(?:not|never|cannot)\b|n[’']t\b", re.I)
NEGATION_REACH = 4  # words after a negation in which the word it denies is looked for ("did not go back to")
# The wh-phrases, built from shared pieces: each asks for a kind of answer, and none is the question's subject.
_HOW_MANY = r"\bhow\s+(many|much|few)\b"
_MEASURES = r"long|wide|deep|tall|far|old|heavy|high|big|large"
_HOW_MEASURE = rf"\bhow\s+({_MEASURES})\b"
_NUMBER_OF = r"(?<!\ba\s)\b(the\s+)?(total\s+)?number\s+of\b"  # not "a number of": several, no count asked
_WHAT_FIGURE_NOUNS = "percentage|percent|proportion|share|fraction|number|amount|total|figure"
_DATE_NOUNS = "year|date|day|month|time"
_MONEY_NOUNS = "cost|costs|price|budget|fee|fees|fine|fines|salary|wage|wages|funding|money|grant|spending|revenue"
# "what is (the) (IOM's) (latest official)", then the noun a question asks for
_WHAT_IS_THE = r"\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:[\w-]+(?:['’]s?)?\s+){0,3}"
# "what is IOM's figure for ...", "what was the official death toll": a figure asked for by its name
_WHAT_IS_FIGURE = (
    rf"{_WHAT_IS_THE}(?:{_WHAT_FIGURE_NOUNS}|count|tally|toll|{_MONEY_NOUNS})\b"
    r"(?=\s+(?:of|for|on|in|at|from|given|reported|so|since|by)\b|\s*[?,.;:]|\s*$)"  # the head, not "total ban"
)
_QUANTITY_RE = re.compile(rf"{_HOW_MANY}|{_NUMBER_OF}|\bwhat\s+({_WHAT_FIGURE_NOUNS})\b|{_WHAT_IS_FIGURE}", re.I)
# a sum of money asked for: "how much did it cost / was paid / was raised", "what is the budget / fee / fine"
_MONEY_Q_RE = re.compile(
    rf"\bhow\s+much\b.*\b(cost|costs|costing|pay|paid|spend|spent|raise|raised|earn|earned|charge|charged|"
    rf"{_MONEY_NOUNS})\b|{_WHAT_IS_THE}(?:{_MONEY_NOUNS})\b",
    re.I,
)
_PERCENT_Q_RE = re.compile(r"\b(percentage|percent|per\s+cent|proportion|share|fraction)\b|%", re.I)
# "what is the deadline for ...", "what was the date of ...": a date asked for by its name
_WHAT_IS_DATE = (
    rf"{_WHAT_IS_THE}(?:date|deadline|day|month|year)\b"
    r"(?=\s+(?:of|for|on|in|at|from|by|to|set|given)\b|\s*[?,.;:]|\s*$)"  # the head, not "date palm"
)
_ACRONYM_PLURAL_RE = re.compile(r"[A-Z]{2,}s")
_WHAT_YEAR_RE = re.compile(r"\b(what|which)\s+year\b", re.I)
_WEEKDAY_Q_RE = re.compile(r"\bday\s+of\s+the\s+week\b|\bweekday\b", re.I)
_DATE_RE = re.compile(
    rf"\bwhen\b|\b(what|which)\s+({_DATE_NOUNS})\b|\bby\s+when\b|\buntil\s+when\b|{_WHAT_IS_DATE}", re.I
)
# "How long/wide/deep/old ...": a size, distance, age or duration, which a figure or a date answers; a sentence
# that uses the adjective ("1,240 kilometres long") answers it best.
_MEASURE_RE = re.compile(_HOW_MEASURE, re.I)
_WHO_RE = re.compile(r"^\W*(who|whom|whose)\b|\b(who|whom)\s+(is|are|was|were|did|does|said|says)\b", re.I)
_WHERE_RE = re.compile(r"^\W*where\b|\bwhere\s+(is|are|was|were|did|do|does)\b", re.I)
# "What does X stand for?", "X short for?", "full form of X", "an abbreviation of": an acronym's expansion
_EXPANSION = r"\bstands?\s+for\b|\bfull\s+form\b|\bshort\s+for\b|\babbreviat(ion|ed|es)?\b|\bacronyms?\b"
_EXPANSION_RE = re.compile(_EXPANSION, re.I)
_DEFINITION_RE = re.compile(
    r"^\W*(what|who)\s+(is|are|was|were)\s+(an?\s+|the\s+)?[^\s?]+(\s+[^\s?]+)?\s*\??\s*$"
    rf"|{_EXPANSION}|\b(what\s+does|what\s+do)\s+\S+(\s+\S+)?\s+mean\b|\bmeaning\s+of\b|\bdefin(e|ition)\b",
    re.I,
)
_DEFINITION_FRAME_RE = re.compile(rf"{_EXPANSION}|\bmean(s|ing)?\b|\bdefin(e|ition)\b", re.I)
_LATEST_RE = re.compile(
    r"\b(latest|most\s+recent|current(ly)?|now|so\s+far|to\s+date|newest|recent(ly)?|today)\b", re.I
)
_WHY_RE = re.compile(r"\W*why\b", re.I)  # a why-question (see asks_why)
_AGE_AT_RE = re.compile(r"\W*how\s+old\s+(?:was|were)\b.*\bwhen\b", re.I)  # an age at an event (see asks_age_at)
# "which company ...?", "at which station ...?": the noun a which-question asks for
_WHICH_NOUN_RE = re.compile(r"\W*(?:(?:at|in|on|from|for|to|by|with|of|into|under)\s+)?which\s+([a-z][\w'’-]*)\b", re.I)
_NAME_ASKED_RE = re.compile(r"\W*what\s+(?:is|was|were|are)\s+the\s+names?\s+of\b", re.I)
# the nouns of a which-question a date answers ("which year", "which dates")
_WHICH_TIME_NOUNS = frozenset(
    form
    for noun in (*TIME_UNITS, "date")
    for form in (noun, f"{noun[:-1]}ies" if noun.endswith("y") and noun[-2] not in "aeiou" else f"{noun}s")
)
# a point of the compass, alone or in a word made of it ("south-east", "northern", "westwards"), not inside a name
# ("Westminster")
_DIRECTION_RE = re.compile(r"\b(?:(north|south)(?:-?(east|west))?|(east|west))(?:ern|erly|wards?)?\b", re.I)
OPPOSITE_DIRECTIONS: Mapping[str, str] = MappingProxyType(
    {"north": "south", "south": "north", "east": "west", "west": "east"}
)  # read-only: a constant table
# a wh-question with "will", "shall" or "going to" (see asks_ahead)
_AHEAD_ASKED_RE = re.compile(
    r"\W*(?:who|whom|whose|what|which|when|where|why|how)\b[^?]*\b(?:will|shall|going\s+to)\b", re.I
)
_FUTURE_RE = re.compile(r"\b(will|shall|going\s+to|plan(s|ned)?\s+to|expect(s|ed)?\s+to|due\s+to|set\s+to)\b", re.I)
_PAST_RE = re.compile(r"\b(did|was|were|had|has|have)\b|\b\w{3,}ed\b", re.I)
_WH_PHRASE_RE = re.compile(
    rf"{_HOW_MANY}|{_HOW_MEASURE}|{_NUMBER_OF}|\bwhat\s+({_WHAT_FIGURE_NOUNS}|{_DATE_NOUNS})\b"
    rf"|\bwhich\s+(year|date|day|month)\b|{_EXPANSION}|\baccording\s+to\b"
    r"|\bwhat\s+(will\s+|would\s+)?happen(s|ed)?\b",
    re.I,
)
# "whats", "what's", "hows": a wh-word and "is", however it is typed
_CONTRACTED_WH_RE = re.compile(r"\b(what|who|where|when|how|why|which)['’]?s\b", re.I)
_PART_END_RE = re.compile(r"(?<=[.!?:;])\s+(?=\S)")  # between two sentences, or after "Quick question:"
_PLACE_DEIXIS_RE = re.compile(r"\b(here|there)\b", re.I)  # "I live in Quetta. Are arrests happening here?"
_WH_WORD_RE = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how|whether)\b", re.I)
_FOLLOW_UP_START_RE = re.compile(
    r"^\W*(and|also|but|so|then|or|plus|what\s+about|how\s+about|what\s+of|and\s+what\s+about)\b", re.I
)
_ANAPHORA_RE = re.compile(r"\b(they|them|their|theirs|it|its|he|him|his|she|her|hers|those|these)\b", re.I)
_DEMONSTRATIVE_RE = re.compile(r"\b(that|this)\b(?=\s*(\W|$|is\b|was\b|mean|happen|did|does|do\b))", re.I)
_COUNTED_RE = re.compile(r"\bhow\s+many\s+([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})", re.I)
# "What share of the country's lakes ...": the base a share is of (determiners and possessors skipped)
_SHARE_BASE_RE = re.compile(
    r"\b(?:percentage|percent|per\s+cent|proportion|share|fraction)\s+of\s+(?:(?:the|all|its|their|his|her|our|"
    r"[^\W\d_]+['’]s)\s+)*([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})",
    re.I,
)
_SUBORDINATE_RE = re.compile(r"\b(when|whenever|after|before|while|because|although|though|if|unless|once)\b", re.I)
# Units of measurement by what they measure (SI and imperial, singular and plural), and what each "how ..."
# adjective asks for: general knowledge of measures, like the calendar, not a topic's words.
_UNITS = {
    "length": "mm millimetre millimetres millimeter millimeters cm centimetre centimetres centimeter centimeters "
    "m metre metres meter meters km kilometre kilometres kilometer kilometers mile miles ft foot feet inch inches "
    "yard yards",
    "mass": "mg milligram milligrams g gram grams kg kilogram kilograms tonne tonnes ton tons lb lbs pound pounds",
    "time": "second seconds minute minutes hour hours day days week weeks month months year years decade decades "
    "century centuries",
    "area": "hectare hectares acre acres square",
    "volume": "litre litres liter liters cubic",
}
_UNIT_DIMENSIONS = {unit: dimension for dimension, units in _UNITS.items() for unit in units.split()}
_MEASURE_DIMENSIONS = {
    "long": frozenset({"length", "time"}),
    "wide": frozenset({"length"}),
    "deep": frozenset({"length"}),
    "tall": frozenset({"length"}),
    "far": frozenset({"length", "time"}),
    "high": frozenset({"length"}),
    "heavy": frozenset({"mass"}),
    "old": frozenset({"time"}),
}
_MEASURE_WORDS = {
    "wide": frozenset("wide width broad breadth across diameter".split()),
    "deep": frozenset("deep depth".split()),
    "tall": frozenset("tall height high".split()),
    "high": frozenset("high height altitude elevation".split()),
    "heavy": frozenset("heavy weight weighs weighed weighing mass".split()),
}
# The nouns of those sizes, which "what is the height of ...?" asks by as "how high is ...?" does by its
# adjective: the dimensions of _UNITS a size is given in (time aside) and the nouns of _MEASURE_WORDS.
SIZE_NOUNS = frozenset("length mass area volume width breadth diameter depth height altitude elevation weight".split())
_SIZE_ASKED_RE = re.compile(rf"\W*(?:what|which)\b(?:\s+[\w'’-]+){{0,5}}?\s+(?:{'|'.join(sorted(SIZE_NOUNS))})\b", re.I)
# Ordinals and the words of more and less: a question about the second or the fewest is not answered by a
# sentence about the first or the most (English's closed classes, not a topic's words).
ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())
# a figure's hedge: "more than" or "less than" before a number ("more than 500", "more than half a million"; "more
# than the original estimate" compares), "at least", "or more"
_BEFORE_A_NUMBER = (
    r"(?=\s+(?:(?:a|an|about|some|just|nearly|almost)\s+)?(?:\d|(?:half|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|third|quarter|twice)\b))"
)
_HEDGE_RE = re.compile(
    rf"\b(?:(?:no\s+)?(?:more|less|fewer)\s+than{_BEFORE_A_NUMBER}|at\s+(?:least|most)|or\s+(?:more|less|fewer))\b",
    re.I,
)
# The two ends of English's scales, as their superlatives (and more and less) say them ("the smallest" is not
# answered by "the largest", "the fewest" by "the most"): general English, not a topic's words. Recency
# ("latest", "earlier") is left to the claims' dates.
_SCALES = {
    # how much of something, however it is said: "the most", "the largest number", "the highest total"
    "magnitude": (
        "most more majority biggest largest greatest highest maximum",
        "least less fewest fewer minority smallest lowest minimum",
    ),
    "height": ("tallest", "shortest"),
    "length": ("longest", "shortest"),
    "age": ("oldest eldest", "youngest newest"),
    "speed": ("fastest quickest", "slowest"),
    "wealth": ("richest", "poorest"),
    "weight": ("heaviest", "lightest"),
    "width": ("widest broadest", "narrowest"),
    "depth": ("deepest", "shallowest"),
    "strength": ("strongest", "weakest"),
    "heat": ("hottest warmest", "coldest coolest"),
    "distance": ("farthest furthest", "nearest closest"),
    "quality": ("best", "worst"),
}
# English verbs and their opposites, each with its irregular forms: "When did X sell Y?" is not answered by
# "X bought Y in 2003". Only plain opposites; verbs of one event seen from two sides (return/leave, arrive/
# depart, deport/repatriate) are not opposites.
OPPOSITE_VERBS = (
    ("buy bought buys buying", "sell sold sells selling"),
    ("add added adds adding", "remove removed removes removing"),
    ("accept accepted accepts accepting", "reject rejected rejects rejecting"),
    ("approve approved approves approving", "reject rejected rejects rejecting"),
    ("approve approved approves approving", "oppose opposed opposes opposing"),
    ("support supported supports supporting", "oppose opposed opposes opposing"),
    ("win won wins winning", "lose lost loses losing"),
    ("rise rose risen rises rising", "fall fell fallen falls falling"),
    ("increase increased increases increasing", "decrease decreased decreases decreasing"),
    ("open opened opens opening", "close closed closes closing"),
    ("allow allowed allows allowing", "ban banned bans banning"),
    ("permit permitted permits permitting", "ban banned bans banning"),
    ("allow allowed allows allowing", "forbid forbade forbidden forbids forbidding"),
    ("include included includes including", "exclude excluded excludes excluding"),
    ("hire hired hires hiring", "fire fired fires firing"),
    ("import imported imports importing", "export exported exports exporting"),
    ("lend lent lends lending", "borrow borrowed borrows borrowing"),
    ("gain gained gains gaining", "lose lost loses losing"),
    ("raise raised raises raising", "lower lowered lowers lowering"),
    ("expand expanded expands expanding", "reduce reduced reduces reducing"),
    ("grow grew grown grows growing", "shrink shrank shrunk shrinks shrinking"),
    ("confirm confirmed confirms confirming", "deny denied denies denying"),
    ("praise praised praises praising", "criticise criticised criticises criticising criticize criticized"),
    ("start started starts starting", "end ended ends ending"),
    ("begin began begun begins beginning", "end ended ends ending"),
    ("lift lifted lifts lifting", "impose imposed imposes imposing"),
    ("succeed succeeded succeeds succeeding", "fail failed fails failing"),
)
_YES_NO_RE = re.compile(
    r"^\W*(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must)\b", re.I
)
_COMPARATIVES = frozenset({"more", "less", "fewer", "majority", "minority"})
_EXTREME_WORDS = frozenset({"record", "peak", "top", "all-time"})
_LIMIT_RE = re.compile(
    r"\b(?:up\s+to|at\s+(?:most|least)|no\s+(?:more|less|fewer)\s+than|not\s+(?:to\s+)?exceed)\b", re.I
)
_SCALE_ENDS = {
    word: f"{scale}{end}"
    for scale, (high, low) in _SCALES.items()
    for end, words in (("+", high), ("-", low))
    for word in words.split()
}
_YEAR_RE = re.compile(r"^(1[89]|20)\d\d$")
# The calendar: months and weekdays are dates the question is about; seasons and "mid", "early", "late" only
# narrow a date, which the passages' own dates answer better than their words.
MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_VAGUE_TIME_RE = re.compile(r"\b(spring|summer|autumn|fall|winter|mid|early|late)\b-?", re.I)

QuestionKind = Literal["quantity", "measure", "date", "who", "where", "definition", "other"]


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


@dataclass(frozen=True)
class QuestionShape:
    """What a question asks for, read from its grammar alone."""

    kind: QuestionKind
    wants_percent: bool
    wants_latest: bool
    negated: bool
    future: bool
    past: bool
    words: tuple[str, ...]  # content words, as written (lower-cased), in order
    names: tuple[str, ...]  # words written as names: Capitalised mid-question, ACRONYMS
    numbers: tuple[str, ...]  # figures and years as digits
    counted: tuple[str, ...] = ()  # for "how many X ...": the words of X (what is counted)
    wants_money: bool = False  # "how much did it cost", "what is the budget": a sum of money
    wants_count: bool = False  # "how many people ...": a count of things, which no sum of money is
    measure: str | None = None  # for "how long/wide/...": the adjective
    wants_expansion: bool = False  # "what does X stand for?": the words an acronym abbreviates
    wants_year: bool = False  # "what year ...", "which year ...": a date that states its year
    wants_weekday: bool = False  # "on what day of the week ...": a sentence that names the weekday
    negated_word: str = ""  # the word its verb's negation denies ("did not draw": "draw"); see negated_word


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


def is_function_word(word: str, shouted: bool = False) -> bool:
    """True for an English function word, unless it is written as an acronym ("US", "IT") in a text that is
    not all capitals (``shouted``): there it is a name, not the pronoun."""
    if not shouted and len(word) >= 2 and word.isupper():
        return False
    return word.casefold().replace("’", "'") in FUNCTION_WORDS


def is_shouted(text: str) -> bool:
    """True when ``text`` has no small letters: its capitals say nothing of names."""
    return not any(ch.islower() for ch in text)


def content_words(text: str) -> list[str]:
    """The words of ``text`` that are not English function words (lower-cased, digits normalised; an acronym's
    plural, "LWCs", as the acronym: the stemmer keeps the s of a word without a vowel)."""
    normal = normalize_for_matching(text)
    shouted = is_shouted(normal)
    return [
        (w[:-1] if not shouted and _ACRONYM_PLURAL_RE.fullmatch(w) else w).casefold()
        for w in WORD_RE.findall(normal)
        if not is_function_word(w, shouted)
    ]


def is_follow_up(question: str) -> bool:
    """True when a question leans on an earlier one: it opens with a connective ("and what about..."),
    refers back with a pronoun ("how many of them..."), or has no subject of its own ("why?")."""
    if is_arabic_script(question):
        return False  # the English cues below do not apply; a question in another script stands alone
    if _FOLLOW_UP_START_RE.search(question) or _ANAPHORA_RE.search(question) or _DEMONSTRATIVE_RE.search(question):
        return True
    subject = _WH_PHRASE_RE.sub(" ", question)
    return not content_words(subject)


def parts_beside(question: str) -> tuple[str, tuple[str, ...]]:
    """The parts of ``question`` that ask (joined), and the statements and fragments beside them, split at
    sentence ends, colons and semicolons: ("How many ...?", ("Quick question:",)) for "Quick question: how many
    ...?". No part is beside when the question is one part, when no part asks, or when the asking parts refer
    back with a pronoun or "here"/"there" ("My card expired. Can I renew it?": the statement says what "it" is)."""
    parts = _PART_END_RE.split(question.strip())
    asking = [_asks(part) for part in parts]
    if len(parts) < 2 or not any(asking) or all(asking):
        return question, ()
    asked = " ".join(part for part, asks in zip(parts, asking, strict=True) if asks)
    if _ANAPHORA_RE.search(asked) or _DEMONSTRATIVE_RE.search(asked) or _PLACE_DEIXIS_RE.search(asked):
        return question, ()
    return asked, tuple(part for part, asks in zip(parts, asking, strict=True) if not asks)


def _asks(part: str) -> bool:
    """True when a part of a question asks something: it ends with a question mark, has a wh-word, or opens
    with an auxiliary ("Can you tell me:", "Is it true that ...")."""
    return part.rstrip().endswith("?") or bool(_WH_WORD_RE.search(part) or _YES_NO_RE.search(part))


def standalone_query(question: str, history: Sequence[Turn]) -> str:
    """A retrieval query for ``question``: a follow-up is joined to the previous question, nothing else is."""
    if not history or not is_follow_up(question):
        return question
    return f"{history[-1].question} {question}"


def question_kind(question: str) -> QuestionKind:
    """The kind of answer a question wants, from its wh-phrase."""
    if _QUANTITY_RE.search(question):
        return "quantity"
    if _MEASURE_RE.search(question):
        return "measure"
    if _DATE_RE.search(question):
        return "date"
    if _DEFINITION_RE.search(question):
        return "definition"
    if _WHO_RE.search(question):
        return "who"
    if _WHERE_RE.search(question):
        return "where"
    return "other"


def read_question(question: str) -> QuestionShape:
    """The shape of ``question``: its kind, tense, negation, content words, names and figures."""
    text = _CONTRACTED_WH_RE.sub(lambda m: f"{m.group(1)} is", normalize_for_matching(question))
    subject = text
    for pattern in (_WH_PHRASE_RE, _LATEST_RE, _VAGUE_TIME_RE) + (
        (_DEFINITION_FRAME_RE,) if _DEFINITION_RE.search(text) else ()
    ):
        subject = pattern.sub(lambda m: " " * len(m.group(0)), subject)  # offsets stay those of the question
    first = WORD_RE.search(text)
    words: list[str] = []
    names: list[str] = []
    numbers: list[str] = []
    shouted = is_shouted(text)
    for match in WORD_RE.finditer(subject):
        word = match.group(0)
        lowered = word.casefold().replace("’", "'").removesuffix("'s")
        if is_function_word(word, shouted) or (len(lowered) < 2 and not lowered.isdigit()):
            continue
        if lowered not in words:
            words.append(lowered)
        if any(ch.isdigit() for ch in word):
            digits = figure_digits(word)
            if digits and (len(digits) >= 3 or is_year(digits)):
                numbers.append(digits)
            continue
        mid_question = first is not None and match.start() > first.start()
        shaped_as_name = (word[:1].isupper() and mid_question) or (len(word) >= 2 and word.isupper())
        if (shaped_as_name or lowered in MONTHS or lowered in WEEKDAYS) and lowered not in names:
            names.append(lowered)
    kind = question_kind(text)
    clause = main_clause(text)  # a negation in a clause that only sets a time or condition is not asked about
    return QuestionShape(
        kind=kind,
        wants_percent=kind == "quantity" and bool(_PERCENT_Q_RE.search(text)),
        wants_latest=bool(_LATEST_RE.search(text)),
        negated=bool(NEGATION_RE.search(clause) or DENYING_RE.search(clause)),
        negated_word=_denied_in(clause),
        future=bool(_FUTURE_RE.search(text)),
        past=bool(_PAST_RE.search(text)) and not _FUTURE_RE.search(text),
        words=tuple(words),
        names=tuple(names),
        numbers=tuple(numbers),
        counted=_counted(text),
        wants_money=kind == "quantity" and bool(_MONEY_Q_RE.search(text)),
        wants_count=kind == "quantity" and _counts_things(text),
        measure=_measure(text) if kind == "measure" else None,
        wants_expansion=kind == "definition" and bool(_EXPANSION_RE.search(text)),
        wants_year=kind == "date" and bool(_WHAT_YEAR_RE.search(text)),
        wants_weekday=kind == "date" and bool(_WEEKDAY_Q_RE.search(text)),
    )


def figure_digits(text: str) -> str:
    """A figure's digits, the form questions, stems and claims are compared in ("8,57,157" -> "857157",
    "1.3 million" -> "1.3")."""
    return re.sub(r"[^\d.]", "", text).strip(".")


def is_year(text: str) -> bool:
    """True when ``text`` is a year's four digits (1800-2099)."""
    return bool(_YEAR_RE.match(text))


def other_end(end: str) -> str:
    """The other end of a scale end from :func:`degree` ("magnitude+" -> "magnitude-")."""
    return end[:-1] + ("-" if end.endswith("+") else "+")


def main_clause(question: str) -> str:
    """The question without a clause that only sets its time or condition ("... when the Taliban urged it not
    to ...", "... if they do not leave"): a negation there is not what the question asks about."""
    first = WORD_RE.search(question)
    start = first.end() if first else 0  # "When did ..." opens with the wh-word, not a clause
    match = _SUBORDINATE_RE.search(question, start)
    return question[: match.start()] if match else question


def negated_word(question: str) -> str:
    """The word (lower-cased) that a verb's negation in the question's main clause denies: "which players did
    not draw a game?" -> "draw", "why did X refuse to relocate them?" -> "relocate", after auxiliaries ("should
    not be touched" -> "touched"). "" when there is none; when the negation comes before the subject ("why
    didn't the growers resist?": the verb after it is not read); and when the negated verb is a support or frame
    verb, which says little of its own: "what should not happen to them?" is answered by whatever is not done."""
    return _denied_in(main_clause(question))


def _denied_in(clause: str) -> str:
    """negated_word of a question's main clause."""
    found = _VERB_NEGATION_RE.search(clause) or DENYING_RE.search(clause)
    if not found:
        return ""
    for word in WORD_RE.findall(clause[found.end() :])[:NEGATION_REACH]:
        lowered = word.casefold().replace("’", "'")
        if lowered in AUXILIARY_VERBS or lowered == "to":
            continue  # "would not be touched", "refused to relocate"
        if lowered in SUPPORT_VERBS or lowered in FRAME_VERBS:
            return ""
        if is_function_word(word) or word[:1].isupper():
            return ""  # the subject of "why didn't the growers resist?": its verb comes later, unread
        return lowered
    return ""


def is_currency(word: str) -> bool:
    """True for the name of a currency ("crowns", "rupees", "dollars")."""
    return word.casefold().rstrip(".") in CURRENCY_WORDS


def unit_dimension(word: str) -> str | None:
    """What a unit of measurement measures ("kilometres": length), or None for a word that is not one."""
    return _UNIT_DIMENSIONS.get(word.casefold().rstrip("."))


def measured_dimensions(measure: str | None) -> frozenset[str] | None:
    """What a "how long/wide/heavy/old ..." question asks to measure (None: any, as for "how big")."""
    return _MEASURE_DIMENSIONS.get(measure or "")


def measure_words(measure: str | None) -> frozenset[str]:
    """The words that say which size a figure is, for the adjectives whose figure could be any length or
    weight ("depth", "deep" for how deep): empty for how long, old, far or big, which need none."""
    return _MEASURE_WORDS.get(measure or "", frozenset())


def asks_ahead(question: str) -> bool:
    """True when a wh-question asks what is to come, by "will", "shall" or "going to" ("Who will manage Rovers
    next season?"). Narrower than QuestionShape.future, whose "due to" and "set to" may mean "because of" or
    an arrangement already made."""
    return bool(_AHEAD_ASKED_RE.match(question))


def asks_size(question: str) -> bool:
    """True when a what- or which-question asks for a size by its noun, among its first words ("What diameter
    for Mars was measured ...?", "What is the length of the Hallow Tunnel?")."""
    return bool(_SIZE_ASKED_RE.match(question))


def writes_names_capitalised(question: str) -> bool:
    """True when the question capitalises a word after its first, as one does who writes names capitalised: then
    a word it types in small letters is no name ("did most of the police raids in Karachi take place ...")."""
    return any(word[:1].isupper() for word in WORD_RE.findall(question)[1:])


def asks_why(question: str) -> bool:
    """True for a why-question, which takes what it asks about as given."""
    return bool(_WHY_RE.match(question))


def asks_age_at(question: str) -> bool:
    """True when "how old" asks an age at an event ("How old was X when he was beheaded?"), which no date
    gives."""
    return bool(_AGE_AT_RE.match(question))


def asks_for_a_name(question: str) -> bool:
    """True when a which-question asks for a thing by its noun ("which company built the lighthouse?", "at which
    station ...?"), which a name answers: not a time ("which year"), nor a question whose "which" asks nothing
    of a noun ("which was the first ...?"); or a question asks a name outright ("what was the name of ...?")."""
    if _NAME_ASKED_RE.match(question):
        return True
    match = _WHICH_NOUN_RE.match(question)
    if match is None:
        return False
    noun = match.group(1).casefold()
    return not is_function_word(noun) and noun not in _WHICH_TIME_NOUNS


def directions(text: str) -> frozenset[str]:
    """The points of the compass ``text`` names: {"south", "east"} for "south-east"."""
    return frozenset(part.casefold() for match in _DIRECTION_RE.finditer(text) for part in match.groups() if part)


def ordinals(text: str) -> set[str]:
    """The ordinals ``text`` spells out ("second"), lower-cased (not a date's "1st", which ranks nothing)."""
    return {w for w in (m.casefold() for m in WORD_RE.findall(text)) if w in ORDINALS}


def degree(text: str) -> set[str]:
    """The ends of scales ``text`` speaks of: "amount+" for "most", "size-" for "smallest", ...; a figure's
    hedge ("more than 500", "at least 20") is not one."""
    words = [w.casefold() for w in WORD_RE.findall(_HEDGE_RE.sub(" ", text))]
    ends = set()
    for k, word in enumerate(words):
        if word not in _SCALE_ENDS:
            continue
        if word in ("most", "least") and k + 1 < len(words):
            # "most slowly" is the slowest, "least abundant" the other end of abundance
            superlative = _superlative_of(words[k + 1])
            if superlative is not None:
                end = _SCALE_ENDS[superlative]
                ends.add(end if word == "most" else other_end(end))
                continue
        ends.add(_SCALE_ENDS[word])
    return ends


def _superlative_of(word: str) -> str | None:
    """The superlative of the scales above whose base ``word`` is ("slowly", "slow" -> "slowest")."""
    base = word.removesuffix("ly")
    for candidate in (base + "est", base + "st", base[:-1] + "iest" if base.endswith("y") else ""):
        if candidate in _SCALE_ENDS:
            return candidate
    return None


def is_yes_no(question: str) -> bool:
    """True for a question answered yes or no ("Did Pakistan allow ...?"), which an opposite may answer."""
    return bool(_YES_NO_RE.search(question))


def asks_extreme(question: str) -> bool:
    """True when the question asks for an end of a scale: "the most", "most slowly", "the fewest", "largest"
    ("most Pakistanis", a majority, is not one)."""
    text = _HEDGE_RE.sub(" ", question)
    words = [w.casefold() for w in WORD_RE.findall(text)]
    for k, word in enumerate(words):
        if word in _COMPARATIVES or word not in _SCALE_ENDS:
            continue
        if word not in ("most", "least"):
            return True  # "largest", "fewest", "oldest"
        before = words[k - 1] if k else ""
        after = words[k + 1] if k + 1 < len(words) else ""
        if after == "recent":
            continue  # "the most recent figure" asks for the newest, which dates order, as "the latest" does
        if before == "the" or after.endswith("ly") or not after:
            return True
    return False


def says_extreme(text: str) -> bool:
    """True when ``text`` speaks of an end of a scale: a superlative ("largest", "deadliest"), "the most", a
    record or peak, or a limit ("up to", "at least")."""
    if _LIMIT_RE.search(text):
        return True  # "fines of up to 5,000 crowns": a maximum
    words = {w.casefold() for w in WORD_RE.findall(_HEDGE_RE.sub(" ", text))}
    said = words | {w.removesuffix(end) for w in words for end in ("s", "ed", "ing") if w.endswith(end)}
    if said & _EXTREME_WORDS or any(w in _SCALE_ENDS and w not in _COMPARATIVES for w in words):
        return True
    return any(len(w) >= 6 and w.endswith("est") and w[:-3] + "er" not in words for w in words)


def _measure(question: str) -> str | None:
    """The adjective of "how long/wide/old ...", lower-cased."""
    match = _MEASURE_RE.search(question)
    return match.group(1).casefold() if match else None


def _counts_things(question: str) -> bool:
    """True for "how many X", unless X is a currency ("how many rupees"): English counts things with "many"
    and sums of money with "much"."""
    match = _COUNTED_RE.search(question)
    return match is not None and not any(is_currency(w) for w in match.group(1).split())


def _counted(question: str) -> tuple[str, ...]:
    """The content words of the noun phrase after "how many", or after "what share of (the)", up to the first
    function word."""
    match = _COUNTED_RE.search(question) or _SHARE_BASE_RE.search(question)
    if not match:
        return ()
    words: list[str] = []
    for word in match.group(1).split():
        lowered = word.casefold()
        if lowered in FUNCTION_WORDS:
            break
        words.append(lowered)
    return tuple(words)
