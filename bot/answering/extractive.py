"""The offline answerer: finds the source sentences that answer a question, and refuses when none does.

It knows nothing of any topic. A sentence supports an answer when it (with its passage) contains every
name and figure the question is about, agrees with the question's negation, covers most of the question's
weighted terms (rarity among the passages times specificity in English; a term in the sentences beside it or
its title counts in part, one elsewhere in its passage not at all), does not contradict it (another
ordinal, the other end of a scale, another name in the question's slot, the opposite verb, a year after its
article was written), and gives the kind of thing asked for (a figure, a date, a measure, a name). Quantity and date
questions are answered from the passages' claims (figures with what they count, the event, its status,
as-of date and who gives them): the asked kind first, the latest first, earlier and related figures after.

Scores use the sentence vectors stored at index time and the question's one vector; nothing else is
embedded while answering.
"""

from __future__ import annotations

import asyncio
import datetime
import itertools
import logging
import math
import re
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.answering.answers import Answer, Citation, PartialCallback, Statement
from bot.answering.checks import CURRENCY_CODE_BEFORE_FIGURE_RE, DateParts, Figure, extract_figures, months_named
from bot.answering.matching import WordForms, stem_heads
from bot.answering.questions import (
    DENYING_RE,
    MONTHS,
    NEGATION_RE,
    NEGATION_REACH,
    OPPOSITE_DIRECTIONS,
    OPPOSITE_VERBS,
    ORDINALS,
    WEEKDAYS,
    WORD_RE,
    QuestionShape,
    asks_age_at,
    asks_ahead,
    asks_extreme,
    asks_for_a_name,
    asks_size,
    asks_why,
    content_words,
    degree,
    directions,
    figure_digits,
    is_currency,
    is_function_word,
    is_year,
    is_yes_no,
    measure_words,
    measured_dimensions,
    ordinals,
    other_end,
    parts_beside,
    read_question,
    says_extreme,
    unit_dimension,
    writes_names_capitalised,
)
from bot.answering.verifier import Verifier, for_model
from bot.answering.wordnet import Lemma, WordNet, WordNetMissingError
from bot.answering.wordnet import load as load_wordnet
from index.chunking import split_sentences
from index.claims import FORWARD, FORWARD_WITH_TO, MODALS, OPEN_PREPS, SEASONS, TIME_UNITS, WEEKDAY_RE, wholly_after
from index.embedding import Embedder
from index.text import (
    AUXILIARY_VERBS,
    FUNCTION_VERBS,
    FUNCTION_WORDS,
    detect_question_language,
    english_frequency,
    english_words,
)
from index.types import LEDE_SENTENCES, Claim, Passage
from index.vocabulary import NAME_CAPITALISED_RATIO, NAME_MIN_CAPITALISED

log = logging.getLogger(__name__)

BACKEND_NAME = "extractive"
REFUSAL_TEXT = "The indexed sources don't say that."

# Decision thresholds. Tuned on tests/eval/questions.jsonl, tuning_policy.jsonl, tuning_paraphrase.jsonl and
# general.jsonl (a general-topic set); reported, never tuned, on the held-out heldout2.jsonl, policy2.jsonl,
# policy3.jsonl and general2.jsonl.
SIMILARITY_WEIGHT = 0.55  # score = w * cosine(question, sentence) + (1 - w) * coverage
MIN_COVERAGE = 0.45  # weighted share of the question's terms a supporting sentence (with its passage) must have
STRONG_COVERAGE = 0.8  # ... above which the meaning check is waived
MIN_SIMILARITY = 0.3  # cosine a supporting sentence needs unless its coverage is strong
MAX_GAP = 0.4  # no single missing term may weigh more than this share of the question
MAX_ABSENT_SHARE = 0.5  # refuse when this share of the question's weight appears in no passage at all ...
PARAPHRASE_SIMILARITY = 0.7  # ... unless a supporting sentence is this close in meaning
CONTEXT_CREDIT = 0.6  # credit for a term not in the sentence but beside it: its neighbours, title, date, source
RUNNER_UP_GAP = 0.12  # further supporting sentences are shown when scored within this of the best
LEAD_WINDOW = 0.15  # of the sentences scored within this of the best, the one saying most of the predicate leads
MAX_EVIDENCE = 3
MAX_EARLIER = 3
MAX_RELATED = 2
DEFINITION_BONUS = 0.2  # "Proof of Registration (PoR)", "DRIVE was ...": what "what is X?" asks for
EXPANSION_BONUS = 0.5  # above any similarity gap: "what does X stand for?" is answered by X spelled out
CROSS_LINGUAL_SIMILARITY = 0.45  # cosine a sentence needs to answer a question asked in another language
KIND_MATCH = 0.5  # share of a claim's event (and of what it counts) the question must name for "the asked kind"
CLAIM_COVERAGE = 0.4  # coverage enough for a sentence whose claim counts what was asked
MEASURE_BONUS = 0.1  # "how long is X?": a sentence saying "... kilometres long"
# of a slot (see _slots) that says where, whence or which way
_PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "through", "via"})
# the words a place's name may follow as a place, not as one who acts ("in Islamabad", "to Kabul")
_PLACE_AFTER = _PLACE_PREPOSITIONS | {"to", "into", "near", "outside", "around", "across", "of"}
_CALENDAR_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(day[:3] for day in WEEKDAYS)
_ACRONYM = r"(?=[A-Za-z]*[A-Z][a-z]?[A-Z])[A-Za-z]{2,6}"  # IOM, UNHCR, PoR
_ACRONYM_RE = re.compile(rf"\b{_ACRONYM}\b")
_RUN_JOINERS = r"of|for|and|the|on|in|de"  # small words inside a name ("Lamps Along the Quay", "Bank of England")
_CAPITALISED = r"[A-Z][\w'’-]*"
_JOINED_CAPITALISED = rf"\s+(?:(?:{_RUN_JOINERS})\s+)?{_CAPITALISED}"  # the next word of a run ("of England")
_CAPITALISED_RUN_RE = re.compile(rf"\b{_CAPITALISED}(?:{_JOINED_CAPITALISED})+")
_RELATIVE_DAYS = frozenset({"today", "tonight"})  # the day a dateline dates, besides its weekday
_UNITLESS_MEASURES = frozenset({"old"})  # "aged 40"
_DATED_MEASURES = frozenset({"old", "long"})  # "how old is X?" and "how long has X ..." a date can answer
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
_SLOT_RE = re.compile(
    rf"\b([^\W\d_][\w'’-]+)\s+(of|from|in|at|for|through|via)\s+(?:the\s+)?"
    rf"({_NAME}(?:\s*(?:,|and|or|&)\s*(?:the\s+)?{_NAME})*)"
)
# a verb's -ing form and the name it is done to: "allowing Ostland to keep a garrison", "capturing Duke Anselin"
_VERB_SLOT_RE = re.compile(rf"\b([a-z]+ing)\s+(?:the\s+)?({_NAME}(?:\s*(?:,|and|or|&)\s*(?:the\s+)?{_NAME})*)")
# the same, read at every word: a slot's name may be the word before the next slot ("in May in Wenmarsh")
_SLOTS_AT_EVERY_WORD_RE = re.compile(rf"(?={_SLOT_RE.pattern})")
# a word in small letters after a preposition of place, and the word after it: "detained in faisalabad in april"
_TYPED_PLACE_RE = re.compile(rf"\b(?i:{'|'.join(sorted(_PLACE_PREPOSITIONS))})\s+([a-z][\w'’-]*)(?=(?:\s+([\w'’-]+))?)")
_WENT_TO_RE = re.compile(r"\b([a-z][\w'’-]+)\s+(?:to|into)\s+(?:the\s+)?$")  # "returning to " before a name
_WENT_TO_REACH = 60  # characters before a name that _WENT_TO_RE reads: a word, "to the" and the spaces between
_JOINED_RE = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*(?:the\s+)?")
_RESTRICTED_BEFORE_RE = re.compile(r"\b([^\W\d_][\w'’-]*)\s+(?:alone|only)\b", re.I)
_RESTRICTED_AFTER_RE = re.compile(
    r"\b(?:only|solely|exclusively)\s+(?:from|in|to|by|for|of)?\s*([^\W\d_][\w'’-]*)", re.I
)
# "What did the Taliban say ...", "How has UNHCR responded": the words after the auxiliary, up to the verb, say
# who did or said it
_SUBJECT_RE = re.compile(r"^\W*(?:what|how)\s+(?:did|does|do|has|have|had|will|would)\s+(.*)", re.I)
_STATED_YEAR_RE = re.compile(r"(?<![\d,.])\d{3,4}(?![\d,.]\d)")  # "1312", "March 2017"; not "3,100"
_DEFINED_RE = re.compile(rf"\(({_ACRONYM})\)")  # "(ACC)", "(PoR)" after its spelling
_ADJECTIVE_ENDINGS = frozenset({"ern", "ian", "ish", "ese"})  # English's adjectives of places and directions
# the stemmed endings of English's adjectives (and their adverbs) in -ible and -able, which drop a short word's
# last letter: "force" (forc) in "forcible", "forcibly" (forcibl)
_ABLE_ENDINGS = frozenset({"ibl", "abl"})
_SHORT_WORD_ENDINGS = _ADJECTIVE_ENDINGS | _ABLE_ENDINGS  # what may follow a stem of four letters (see _has)
# a change's start and end: "from near threatened to vulnerable" (up to four words each; quotes allowed)
_PHRASE = r"[\"“‘']?[\w'’-]+(?:\s+[\w'’-]+){0,3}[\"”’']?"
_CHANGE_RE = re.compile(rf"\bfrom\s+({_PHRASE}?)\s+(?:to|into)\s+({_PHRASE})", re.I)
_TO_RE = re.compile(rf"\b(?:to|into)\s+({_PHRASE})", re.I)
_LAST_RE = re.compile(r"\blast\b(?:\s+([\w'’-]+))?", re.I)
# the words after "last" that date rather than rank ("last year", "last May", "last night"): the claims' units of
# time and seasons, the calendar's words, and a few more of English's words of time
_DATING_AFTER_LAST = (
    TIME_UNITS | SEASONS | _CALENDAR_WORDS | frozenset({"weekend", "night", "time", "season", "term", "quarter"})
)
_RANKED_RE = re.compile(rf"\b(?:{'|'.join(sorted(ORDINALS - {'first'}))})[\s-]+([\w'’-]+)", re.I)  # "second oldest"
_GROUP_RE = re.compile(r"\b(?:among|one of)\b", re.I)
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")
_IN_YEAR_RE = re.compile(r"\b(?i:in)\s+(\d{4})\b")  # "returnees in 2025": the year a text says it is of
_NOW_RE = re.compile(r"\b(?:today|now|nowadays|currently|presently|at present|these days)\b", re.I)  # English
_ON_DAY_RE = re.compile(rf"\bon\s+(?:(?:the\s+)?(?:{'|'.join(WEEKDAYS)})\s*,?\s*)?(?:the\s+)?$", re.I)
_WHO_DOES_RE = re.compile(r"\W*(?i:who)\s+([a-z]+)\s+(?:the\s+)?([A-Z][\w'’-]*)")  # "Who replaced Hana Velez?"
# "Which team did Dunmere beat?": the subject, then the verb (a word before a name is none: "did FO spokesperson
# Tahir Andrabi say")
_WHAT_DID_RE = re.compile(
    r"\W*(?i:what|which|whom|who|how\s+(?:many|much))\b[^?]*?\b(?i:did|does|do|has|have|had)\s+(?:the\s+)?"
    rf"({_NAME})\s+([a-z]+)\b(?!\s+[A-Z])"
)
# "when/where/why/in what year did X <verb>?" names the verb's subject too; after "did", "does" or "do" the verb
# is in its base form, so a word ending in a single "s" is a noun of the name ("when did PoR cards expire?")
_WHEN_DID_RE = re.compile(
    r"\W*(?:(?i:in|on|at|by|from|since|until|for)\s+)?(?i:when|where|why|what\s+year|which\s+year)\s+"
    rf"(?i:did|does|do)\s+(?:the\s+)?({_NAME})\s+([a-z]+(?<![^s]s))\b(?!\s+[A-Z])"
)
_BEFORE_BY = r"\b([\w'’-]+)\s+by\s+(?:the\s+)?{name}\b"  # "replaced by Hana": the name does it
_BE = r"was|were|is|are|been|be|being"
_PASSIVE = r"\b{name}\s+(?:[\w'’-]+\s+){{0,2}}?(?:" + _BE + r")\s+(?:[a-z]+ly\s+)?([\w'’-]+)\s+by\b"
_BEFORE_NAME = r"\b([\w'’-]+)\s+(?:the\s+)?{name}\b"  # "beat Dunmere": the name is done to
# a name right before a verb (its subject, perhaps with an adverb between): "Rovers won", "Belmaris formally ceded"
_SUBJECT_BEFORE_RE = re.compile(rf"(?<![\w'’-])({_NAME})\s+(?:[a-z]+ly\s+)?$")
# a verb and the first word of by whom it is done: "chaired by the deputy prime minister"
# "<verb> by <who>", the verb perhaps followed by a short phrase of place or time (up to three words): "introduced
# to Hollum by the lighthouse keepers", "built in 1890 by"
_DONE_BY_RE = re.compile(
    r"\b([\w'’-]+)(?:\s+(?:to|in|into|on|at|for|from)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2})?"
    r"\s+by\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?([\w'’-]+)"
)
_WHO_VERB_RE = re.compile(r"\W*(?i:who)\s+([a-z]+)\s+\S")  # "Who designed the guildhall?": its verb (of any object)
# what a verb is done to: a name after it ("built the Harl Bridge"), or the name a passive follows ("the Market
# House, designed by ...", "Lamps Along the Quay (1983), was produced by ...")
_DONE_TO_AFTER_RE = re.compile(rf"^\s+(?:the\s+)?({_NAME})")
_DONE_TO_BEFORE_RE = re.compile(
    rf"([A-Z][\w'’-]*(?:\s+(?:(?:{_RUN_JOINERS})\s+)*[A-Z][\w'’-]*)*)"
    rf"(?:\s*\([^)]*\))?\s*,?\s*(?:(?:{_BE}|had|has|have)\s+)*$"
)
# a verb's doer after "by", perhaps after a title in small letters: "proposed by Lobmeyr", "by the engineer Piet
# Orval" (its words in small letters are read apart: "by police in Karachi" names no doer)
_BY_NAME_RE = re.compile(rf"\s+by\s+(?:(?:the|an?)\s+)?((?:[a-z][\w'’-]*\s+){{0,2}}?)({_NAME})")
# a name that says which of a kind is meant, after "the" and before its noun: "the Belmaris copy" (see
# _names_another_before_its_noun)
_NAMED_NOUN_RE = re.compile(rf"\b(?i:the)\s+({_NAME})\s+([a-z][\w'’-]+)")
# "Carrow's case map": a name that owns a noun (its words without the apostrophe _NAME allows in a word)
_OWNED_NOUN_RE = re.compile(r"\b([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s\s+([a-z][\w'’-]+)")
# "whose son-in-law was Roger Amblecote?": the noun owned, and its owner's name (see _roles)
_WHOSE_RE = re.compile(rf"\W*(?i:whose)\s+([a-z][\w'’-]*)\s+(?i:is|was|were|are)\s+(?:the\s+)?({_NAME})")
# a sentence that speaks of what is to come, or may be: a modal auxiliary (index.claims' MODALS, whose tokens "'ll"
# and "wo" are matched as "'ll" and not at all), "going to", or "is to" before a verb ("the dome will be painted")
_MODAL_WORDS = "|".join(sorted(MODALS - {"'ll", "wo"}))
_AHEAD_SAID_RE = re.compile(rf"\b(?i:{_MODAL_WORDS}|going\s+to|(?:is|are|was|were)\s+to\s+[a-z]+)\b|'ll\b")
# "where was Duke Anselin tried?": the name the asked passive verb is done to, and the verb
_PASSIVE_NAMED_RE = re.compile(
    rf"\b(?i:was|were|is|are)\s+(?:the\s+)?({_NAME}(?:\s+of\s+{_NAME})?)\s+(?:(?i:been)\s+)?(?:[a-z]+ly\s+)?"
    r"([a-z]+(?:ed|en))\b"
)
# a name that says it (or its people) did the verb after: "UNICEF said its teams had vaccinated", "the Human Rights
# Commission of Pakistan said it had received"; the pronoun's name is the one who did it
_SAID_IT_DID_RE = re.compile(
    rf"(?<![\w'’-])({_NAME}(?:\s+(?:of|for|on)\s+(?:the\s+)?{_NAME})*)\s+(?:said|says)\s+(?:that\s+)?"
    rf"(?:it|they|(?:its|their)\s+[a-z]+)\s+"
    rf"(?:(?:had|has|have)\s+)?(?:[a-z]+ly\s+)?$"
)
# a name before a passive verb's auxiliary: "Aldemar was crowned", "Godwin Harl was later tried"
_PASSIVE_SUBJECT_RE = re.compile(
    rf"(?<![\w'’-])({_NAME})\s+(?:was|were|is|are|had\s+been|has\s+been)\s+(?:[a-z]+ly\s+)?$"
)
# a question's passive verb, after its auxiliary, or after its auxiliary and the name it is done to: "were
# deported", "was Ilona Varga elected"
_PASSIVE_ASKED_RE = re.compile(
    rf"\b(?i:{_BE}|get|got|has|have|had)\s+(?:(?:the\s+)?{_NAME}\s+)?(?:been\s+)?"
    r"(?:[a-z]+ly\s+)?([a-z]+(?:ed|en))\b"
)
# words that aim at what a "to" after them says, which is then not done: the forward-looking words a figure is
# read as planned by (index.claims), and English's verbs and nouns of trying ("lost a bid to be elected")
_AIMING = FORWARD | FORWARD_WITH_TO | frozenset({"bid", "attempt", "try", "tried"})
_AIMING_REACH = 3  # words before "to" in which the word that aims is looked for ("made a bid to")
_AT_DAY_RE = re.compile(r"\b(?i:at|on|in|during)\s+(?:(?i:the|its|their)\s+)?$")  # "at the [15 May hearing]"
_DONE_TO_REACH = 80  # characters before a verb in which the name before it (what it is done to or by) is looked for
_SENTENCE_END_BEFORE_RE = re.compile(r"[.!?:\n][\"'”’)\]]*\s*$")  # what ends a sentence or line, before a word
_EXCLUSIVE_RE = re.compile(r"\b(alone|only|solely|exclusively)\b", re.I)
# a word that negates the verb after it, at most DENIAL_REACH words on: "has not been recognised", "never won"
_NEGATOR_RE = re.compile(r"^(?:not|never|cannot|\w+n[’']t)$", re.I)
DENIAL_REACH = 3
_DENIAL_WORDS = ("not", "never", "n't", "n’t")  # what a text that denies something holds ("cannot" holds "not")
# "no" (or "neither") before what it denies: "there is no larval stage", "neither eruption caused a famine"
_NO_WORDS = ("no", "neither")
_NO_RE = re.compile(rf"\b(?:{'|'.join(_NO_WORDS)})\b", re.I)
_CLAUSE_BREAK_RE = re.compile(r"[,;:()–—]")
_CONDITION_RE = re.compile(r"\b(?:if|unless|whether)\b", re.I)  # a clause that asserts nothing
_UNTIL_RE = re.compile(r"\b(?:until|till|before)\b", re.I)  # "was not established until 1958" says when it was
# where what a denial's "until" may bound ends besides its clause: another verb joined on, or its sentence's end
_CLAUSE_JOIN_RE = re.compile(r"\b(?:but|and)\b|\.\s")
# before a date, what makes it a bound of a span or where a change ends, not the time of an event ("extended to
# June 30, 2024", "since 1 April", "between May and July"; "as of 16 October": a total up to then, of which an
# earlier figure is an earlier state)
_BOUNDED_DATE_RE = re.compile(
    r"\b(?:to|until|till|through|by|before|after|since|from|between|and|as\s+of)\s+(?:the\s+)?$", re.I
)
_SPAN_RE = re.compile(r"\b(?:since|from|between)\b", re.I)  # a span that dates may bound
_AGO_RE = re.compile(r"\s*ago\b", re.I)  # "3 million years ago" is a time, not a length of time
# A question word's weight is its IDF among the passages times its specificity in English (wordfreq's Zipf scale):
# full at Zipf <= COMMON - SPAN (4.0: "refugee", "deported"), falling to FLOOR for everyday words (5.5+: "job").
SPECIFICITY_COMMON = 7.0
SPECIFICITY_SPAN = 3.0
SPECIFICITY_FLOOR = 0.3
HIGH_SIMILARITY = 0.65  # a sentence this close in meaning answers in other words ("papers" for "documents") ...
MEANING_COVERAGE = 0.25  # ... if it also has this much of the question's terms (and every name it asks about)


@dataclass
class _Sentence:
    """A sentence (or two adjacent ones) of a retrieved passage, with what the answerer knows of it."""

    passage_index: int
    start: int  # offsets in the passage text
    end: int
    text: str
    offset: int  # where ``text`` starts in its document
    stems: AbstractSet[str]
    similarity: float
    claims: list[Claim] = field(default_factory=list)
    around: AbstractSet[str] = field(default_factory=frozenset)  # stems of its passage, title, source and date
    anchored: Mapping[str, bool] = field(default_factory=dict)  # the question's anchors it may mean (see _named_by)
    # (``around`` and ``anchored`` are set by ExtractiveAnswerer._sentences)
    parts: tuple[str, ...] = ()  # a pair's two sentences
    first_part: _Sentence | None = None  # a pair's first sentence, read as a sentence of its own
    reported: str | None = None  # its article's date
    passage_text: str = ""  # its passage's title and text
    title: str = ""  # its article's title
    # its passage's sentences, each to the sentence before it in its paragraph (see _sentence_before)
    befores: Mapping[str, str] = field(default_factory=dict)
    heads: AbstractSet[str] | None = None  # the first five letters of its stems (stem_heads); None: not read
    # the claims _figure_claims found in it, once read (a sentence lives for one reading of one question)
    figures: tuple[Claim, ...] | None = None
    # whether it says the opposite of a question's word, and of one of no multiword verb (see _says_the_opposite)
    opposed: tuple[bool, bool] | None = None
    coverage: float = 0.0
    gap: float = 0.0
    score: float = 0.0


@dataclass(frozen=True)
class _Question:
    """A question read for matching: its shape, weighted stems and the stems it must find."""

    text: str
    shape: QuestionShape
    terms: tuple[str, ...]  # stems of the content words
    weights: dict[str, float]
    anchors: tuple[str, ...]  # stems of names and figures every supporting sentence (or its passage) must have
    english: bool = True  # False: another language, whose words English sentences cannot cover
    acronyms: tuple[str, ...] = ()  # stems of the question's acronyms ("IUCN"), which a source may spell out
    spelled: tuple[frozenset[str], ...] = ()  # per passage read with it: the acronyms it (or its title) spells out
    slots: tuple[tuple[str, str, str], ...] = ()  # its "mayor of Port Marlow"s (see _slots)
    ordinals: frozenset[str] = frozenset()  # the ordinals it uses ("second"), and "last" when it ranks
    ends: frozenset[str] = frozenset()  # the ends of scales it asks about ("magnitude-" for "fewest")
    restricted: tuple[str, ...] = ()  # the names "alone"/"only" restricts ("Iran only")
    extreme: bool = False  # it asks for an end of a scale ("the fewest", "largest")
    opposites: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()  # (its verb's forms, their opposite's)
    subject: frozenset[str] = frozenset()  # stems of the subject of "what did X say/do?" when it has a name
    expansions: tuple[tuple[str, frozenset[str]], ...] = ()  # its acronyms' stems, with their spellings' stems
    days: frozenset[tuple[int, int]] = frozenset()  # the (month, day) of the dates it gives ("June 30")
    name_like: frozenset[str] = frozenset()  # stems of words the passages write only capitalised, but seldom
    # the months it asks about as a time ("in September"), not those of a day it gives ("since the April 1 cutoff"
    # names a day, from which a count may run into other months)
    months: frozenset[int] = frozenset()
    # the change it asks about, "from A to B": the stems of A and of B, and how many words A has (see _change)
    change: tuple[frozenset[str], frozenset[str], int] | None = None
    # the (month, day) of the days it asks about as the time of what happened ("on 4 July"), not a day that
    # bounds a span ("since 1 April", "by 11 February")
    on_days: frozenset[tuple[int, int]] = frozenset()
    # who does what to whom, where the question names one side: ("object", verb stem, name) for "who replaced
    # Hana Velez?", ("subject", verb stem, name) for "which team did Dunmere beat?" (see _roles)
    roles: tuple[tuple[str, str, str], ...] = ()
    # it asks nothing negative and is no yes/no question (which a denial answers): see _denies_what_was_asked
    affirmative: bool = False
    # the verb of "who <verb> ...?" as written ("produced"), when it is no auxiliary: see _done_to_another
    who_verb: str = ""
    # the places it asks about, (preposition, name), of its "in Rawalpindi", "at Torkham" (see _placed_elsewhere)
    places: tuple[tuple[str, str], ...] = ()
    # its full names ("Lena Ostrand"): runs of names whose last word the sources write as a name (see _full_names)
    full_names: tuple[tuple[str, ...], ...] = ()
    # stems of the words typed in small letters where a place is asked ("in faisalabad"; see _typed_places)
    typed_places: tuple[str, ...] = ()
    # the dates it gives with a year as the time of what it asks about, as ISO dates (see _dates_asked)
    dated: tuple[str, ...] = ()
    # for "how many of the X <verb> ...?": the stems of what it says of the part it counts (see _partitive_words)
    partitive: frozenset[str] = frozenset()
    # its names said before a noun after "the" or owning it, with the noun's stem ("the Belmaris copy": Belmaris,
    # copi; "Wrenn's case map": Wrenn, case)
    named_nouns: tuple[tuple[str, str], ...] = ()
    # it asks what is to come ("who will manage Rovers next season?": see asks_ahead)
    ahead: bool = False
    # it asks for a size by its noun ("what diameter ...?", "what is the length of ...?": see SIZE_NOUNS)
    sizes: bool = False
    # the (month, day) of the dates it gives without a year as the time of what it asks ("at the 15 May hearing")
    yearless: frozenset[tuple[int, int]] = frozenset()
    # the stems of the verbs it asks were done: its roles' verbs, its who-verb and its passive verbs
    done: frozenset[str] = frozenset()
    # the dates it gives right after a word, with the word's stem ("the storm of 3 March": storm, {3, march})
    date_slots: tuple[tuple[str, frozenset[str]], ...] = ()
    # it asks "which <noun>" of a thing a name answers ("which company built ...?": see questions.asks_for_a_name)
    which_name: bool = False
    # the points of the compass it names ("south-facing": south; see questions.directions)
    directions: frozenset[str] = frozenset()
    # for each word it says that has a plain opposite in WordNet (see bot/answering/wordnet.py): the lemmas a
    # sentence that says the word has, and the opposite's lemmas ("failure": "success")
    antonyms: tuple[tuple[frozenset[str], frozenset[Lemma]], ...] = ()
    # each term's stem -> the lemmas a sentence saying it in other forms uses (see WordNet.kin)
    kin: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # the kin of the words it says as verbs, never nouns, by WordNet ("came back": come_back, return; "died": death):
    # what a noun counting the asked event says ("38,900 returns" of "how many came back?")
    event_kin: frozenset[str] = frozenset()
    # the kin of the nouns it counts ("how many kids": child, kid, youngster, minor, ...)
    counted_kin: frozenset[str] = frozenset()
    # the stems of what "who <verb> ...?" asks was done to, when it is no name ("who brought rabbits to ...?": rabbit)
    who_object: tuple[str, ...] = ()
    # the stem of each verb its roles ask of -> the stems of its other forms, irregular ones too ("lose": lost)
    verb_forms: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # its words (lower-cased) that make a multiword verb with the word after them ("fall into": see _phrasal_words)
    phrasal: frozenset[str] = frozenset()
    # each country it names (its anchor's stem) -> a pattern of its national capitals acting for it (by WordNet:
    # "Islamabad reopened the crossings" says what Pakistan did; "in Islamabad" is a place, not the country)
    capitals: Mapping[str, re.Pattern[str]] = field(default_factory=dict)

    @property
    def predicate(self) -> tuple[str, ...]:
        """What the question says of its names: the stems of its words that are not names or figures, nor words
        of an acronym's spelling ("card" in "my ACC card", unless nothing else is said: "ACC cards"), nor words
        the passages write only as part of a name (unless nothing else is said)."""
        said = tuple(t for t in self.terms if t not in self.anchors)
        spelling = {stem for _, stems in self.expansions for stem in stems}
        said = tuple(t for t in said if t not in spelling) or said
        return tuple(t for t in said if t not in self.name_like) or said

    @property
    def years(self) -> tuple[str, ...]:
        """The years it asks about ("in 2023")."""
        return tuple(n for n in self.shape.numbers if is_year(n))


@dataclass(frozen=True)
class Evidence:
    """The best sentence the rules let answer a question, and what the verifier weighs of it."""

    text: str  # the answer's text
    features: dict[str, float]  # of its lead sentence
    supported: bool  # the fixed thresholds alone let it answer
    lead: str = ""  # the lead sentence (or pair of sentences)


def _timings(started: float) -> dict[str, float]:
    """The answering time so far, in milliseconds."""
    return {"answer": round((time.perf_counter() - started) * 1000, 1)}


def _date_key(date: str | None) -> str:
    """A sortable form of a possibly partial ISO date (unknown sorts first)."""
    return date or ""


class ExtractiveAnswerer:
    """Answers by quoting the source sentences that answer the question, never paraphrasing."""

    name = BACKEND_NAME

    def __init__(
        self,
        embedder: Embedder,
        forms: WordForms | None = None,
        verifier: Verifier | None = None,
        wordnet_dir: Path | None = None,
    ) -> None:
        self._embedder = embedder
        self._forms = forms if forms is not None else WordForms()
        # WordNet's opposites (from wordnet_dir, or where it is installed): without it, only OPPOSITE_VERBS
        self._wordnet: WordNet | None = None
        try:
            self._wordnet = load_wordnet(wordnet_dir)
        except WordNetMissingError as error:
            log.warning("%s: answering without WordNet's opposites and other forms of words", error)
        # the weights fitted with this embedder; None for a model none were fitted with: the thresholds decide
        self._verifier = verifier if verifier is not None else for_model(embedder.model_name)
        if self._verifier is None:
            log.warning("no verifier weights for %s: the fixed thresholds decide what is answered", embedder.model_name)
        # each verb's written forms with its opposite's (OPPOSITE_VERBS both ways), the same for every question:
        # matched as written, not by stem, since a stem may be another word's ("important" stems to "import")
        self._opposite_forms = tuple(
            (frozenset(asked.split()), frozenset(opposite.split()))
            for one, other in OPPOSITE_VERBS
            for asked, opposite in ((one, other), (other, one))
        )
        self._aiming = frozenset(self._stem(word) for word in _AIMING)  # see _only_aimed_at

    async def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_partial: PartialCallback | None = None,
        query_vector: np.ndarray | None = None,
        names: AbstractSet[str] = frozenset(),
    ) -> Answer:
        """Answer from ``passages`` in a worker thread (scoring is CPU work). ``names``: the question's words
        (casefolded) that the corpus writes as names (``Retrieval.names``), besides those its passages do."""
        return await asyncio.to_thread(self.answer_sync, question, passages, query_vector=query_vector, names=names)

    def answer_sync(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        query_vector: np.ndarray | None = None,
        names: AbstractSet[str] = frozenset(),
    ) -> Answer:
        """The extractive answer, or a refusal."""
        started = time.perf_counter()
        verifier = self._verifier
        # with no verifier, the fixed thresholds decide alone: nothing else is composed or weighed
        answer, evidence = self._decide(question, passages, query_vector, names, started, weigh=verifier is not None)
        if verifier is not None and evidence is not None and not verifier.accepts(evidence.features):
            return self._refusal(question, passages, answer.timings_ms)
        return answer

    def evidence(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        query_vector: np.ndarray | None = None,
        names: AbstractSet[str] = frozenset(),
    ) -> Evidence | None:
        """What the verifier weighs of the answer the rules allow (None when they allow none, or the question is
        in another language, where the fixed thresholds alone decide); what bot/answering/calibration.py fits
        the verifier on."""
        return self._decide(question, passages, query_vector, names, time.perf_counter(), weigh=True)[1]

    def _decide(
        self,
        question: str,
        passages: Sequence[Passage],
        query_vector: np.ndarray | None,
        names: AbstractSet[str],
        started: float,
        *,
        weigh: bool,
    ) -> tuple[Answer, Evidence | None]:
        """The answer of the fixed thresholds; if they refuse, the answer the rules alone allow (from every
        sentence that passes them). With it, the evidence of its lead sentence for the verifier. Without
        ``weigh``, only the thresholds' answer, and no evidence."""
        read = self._read(question, passages, names)
        mentioned = self._mentioned(read, passages)
        if any(not _has(mentioned, place) for place in read.typed_places):
            # a place asked of ("detained in faisalabad") that no passage names in any form: nothing is said of it
            return self._refusal(question, passages, _timings(started)), None
        sentences = self._sentences(read, passages, self._query_vector(question, query_vector))
        contradicted = self._contradicted_at(read, sentences)
        if contradicted is not None:
            # what the sources say of the question's premise, they deny: only a sentence closer to it may answer
            sentences = [s for s in sentences if s.score > contradicted]
        absent = self._absent_share(read, mentioned)
        allowed = [s for s in sentences if self._passes_rules(s, read)]  # each sentence's rules read once
        supporting = [s for s in allowed if self._meets_thresholds(s, read)]
        if absent >= MAX_ABSENT_SHARE:
            # most of the question's words are in no passage: only a sentence very close in meaning answers it
            # (a paraphrase, slang or typing slips), not one that merely shares its few other words
            supporting = [s for s in supporting if s.similarity >= PARAPHRASE_SIMILARITY]
        answered = self._compose(question, read, supporting, passages, started)
        if not read.english or not weigh:  # another language's words are not weighed as the sources' words
            return (answered[0] if answered else self._refusal(question, passages, _timings(started))), None
        supported = answered is not None
        if answered is None:
            # the thresholds refuse: the rules alone may still allow an answer, which the verifier weighs
            answered = self._compose(question, read, allowed, passages, started)
        if answered is None:
            return self._refusal(question, passages, _timings(started)), None
        answer, lead = answered
        features = self._features(lead, read, sentences, passages, absent, supported=supported)
        return answer, Evidence(answer.text, features, supported, lead.text)

    def _contradicted_at(self, read: _Question, sentences: Sequence[_Sentence]) -> float | None:
        """The score of the best sentence that says what the question takes as given is not so, if any: one that
        denies what it asks ("Why was Mrs D. prosecuted?": "She was not prosecuted"), says the opposite of one of
        its words ("Why did the ministry accept the report?": "The ministry rejected it"; "which historian regarded
        the treaty as a failure?": "... regarded it as a success"; not of a word of a multiword verb: "a rise in
        terrorism" says nothing of "the groups Afghans fall into"), or, for a why-question, the other point of the
        compass ("why does it grow on south-facing cliffs?": "on north-facing cliffs"). Only single sentences are
        read (a pair's other sentence may deny something else). A sentence or pair that says the
        passive verb asked of a name only of another name ("where was Duke Anselin tried?": "Godwin Harl was tried
        at Hollinsgate", see _said_of_another) is read too: it, and what says less of the question, is no answer
        (a weaker sentence may owe its score to the asked verb it stands beside: "the smugglers Wenna Maddern and
        Ned Vassick were arrested")."""
        if not read.english or not read.affirmative:
            return None
        why = asks_why(read.text)
        scores = [
            s.score
            for s in sentences
            if (
                not s.parts
                and (
                    (_may_deny(s.text) and self._denies(s.text, read))
                    or self._says_the_opposite(s, read, phrasal=False)
                    or (why and read.directions and _faces_the_other_way(s.text, read))
                )
            )
            or self._said_of_another(s.text, read)
        ]
        return max(scores, default=None)

    def _compose(
        self,
        question: str,
        read: _Question,
        supporting: list[_Sentence],
        passages: Sequence[Passage],
        started: float,
    ) -> tuple[Answer, _Sentence] | None:
        """The answer from ``supporting`` (best first) and its lead sentence, or None when none answers."""
        if not supporting:
            return None
        timings = _timings(started)
        if read.shape.kind == "quantity":
            found = self._figures(question, read, supporting, passages, timings)
            if found is not None:
                return found
            # No figure of the asked event: a sentence may still answer in other words, if what it counts is
            # what was asked (or its figures were not read as claims); a figure of something else is no answer.
            supporting = [s for s in supporting if self._counts_what_was_asked(s, read)]
            if not supporting:
                return None
        if read.shape.kind == "date":
            found = self._dates(question, read, supporting, passages, timings)
            if found is not None:
                return found
        return self._sentences_answer(question, read, supporting, passages, timings)

    def _features(
        self,
        sentence: _Sentence,
        read: _Question,
        sentences: Sequence[_Sentence],
        passages: Sequence[Passage],
        absent: float,
        *,
        supported: bool,
    ) -> dict[str, float]:
        """What the verifier weighs of an answer's lead sentence (see bot/answering/verifier.py)."""
        total = sum(read.weights.values()) or 1.0
        missing = [w / total for t, w in read.weights.items() if not _has(sentence.stems, t, sentence.heads)]
        predicate = read.predicate
        predicate_weight = sum(read.weights.get(t, 0.0) for t in predicate) or 1.0
        predicate_said = sum(read.weights.get(t, 0.0) for t in predicate if _has(sentence.stems, t, sentence.heads))
        others = [o.score for o in sentences if o.passage_index != sentence.passage_index]
        kind = read.shape.kind
        quantity = kind == "quantity"
        figures = self._figure_claims(sentence, read) if quantity else []
        new_names = _new_names(sentence.text, read)
        return {
            "coverage": sentence.coverage,
            "gap": sentence.gap,
            "similarity": sentence.similarity,
            "score": sentence.score,
            "absent": absent,
            "anchors": float(len(read.anchors)),
            "anchors_beside": float(sum(1 for a in read.anchors if not _has(sentence.stems, a, sentence.heads))),
            "predicate_said": predicate_said / predicate_weight,
            "heaviest_missing": max(missing, default=0.0),
            "terms_missing": float(len(missing)),
            "terms": float(len(read.terms)),
            "lead": sentence.score - max(others, default=0.0),
            "pair": float(bool(sentence.parts)),
            "supported": float(supported),
            "asked_kind": float(any(self._asked_kind(c, read, sentence) for c in figures)),
            "counts_asked": float(self._counts_what_was_asked(sentence, read)) if quantity else 1.0,
            "new_name": float(new_names > 0),
            "new_names": float(new_names),
            "best_similarity": max(o.similarity for o in sentences),
            "passage_similarity": passages[sentence.passage_index].dense_score,
            "passage_rank": float(sentence.passage_index),
            **{f"asks_{k}": float(kind == k) for k in ("quantity", "date", "who", "where", "measure", "definition")},
        }

    def rerank(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        query_vector: np.ndarray | None = None,
        names: AbstractSet[str] = frozenset(),
    ) -> list[Passage]:
        """``passages`` by their best sentence: supporting ones first, then by score (retrieval order breaks ties)."""
        read = self._read(question, passages, names)
        best: dict[int, tuple[bool, float]] = {}
        for sentence in self._sentences(read, passages, self._query_vector(question, query_vector)):
            key = (self._supports(sentence, read), sentence.score)
            best[sentence.passage_index] = max(best.get(sentence.passage_index, key), key)
        order = sorted(range(len(passages)), key=lambda i: (*(-v for v in _flip(best.get(i))), i))
        return [passages[i] for i in order]

    # -- reading the question ---------------------------------------------------------------
    def _stem(self, word: str) -> str:
        """The matching form of one word (see bot/answering/matching.py)."""
        return self._forms.stem(word)

    def _heads_of(self, stems: AbstractSet[str]) -> AbstractSet[str]:
        """``stem_heads(stems)`` (see _has), remembered for a memo's stems."""
        return self._forms.heads(stems) if isinstance(stems, frozenset) else stem_heads(stems)

    def _stems(self, text: str) -> AbstractSet[str]:
        """Stems of the content words of ``text``; "%" counts as the word percent."""
        return self._forms.stems(text)

    def _read(
        self, question: str, passages: Sequence[Passage], corpus_names: AbstractSet[str] = frozenset()
    ) -> _Question:
        """The question's stems, weighted by rarity among the passages' sentences, and its anchors;
        ``corpus_names`` are its words the whole corpus writes as names (see _written_as_names)."""
        shape = read_question(question)
        figures = extract_figures(question)  # its dates, read once for the days, times and dates it asks about
        word_of: dict[str, str] = {}  # each term's stem -> the question's first word with it
        for word in shape.words:
            stem = self._stem(word)
            if stem:
                word_of.setdefault(stem, word)
        english = detect_question_language(question) == "en"
        beside = self._unsaid_beside(question, passages, corpus_names) if english else set()
        terms = [t for t in word_of if t not in beside] or list(word_of)
        capitalised, name_like = self._written_as_names(shape.words, passages, corpus_names)
        if writes_names_capitalised(question):
            # a question that writes its names capitalised does not mean an English word it types in small letters
            # as one ("did most of the police raids take place?", in a corpus with a report called "No Place ...")
            capitalised -= {w for w in WORD_RE.findall(question) if w.islower()} & english_words()
        names = set(shape.names) | capitalised
        anchors = tuple(dict.fromkeys([self._stem(n) for n in names if self._stem(n)] + [n for n in shape.numbers]))
        anchors = tuple(a for a in anchors if a not in beside) or anchors
        texts = [passage.text[s:e] for passage in passages for s, e in _spans(passage)]
        stem_sets = [(stems, self._heads_of(stems)) for stems in (self._stems(t) for t in texts)]
        n = len(stem_sets)
        weights = {}
        for term in terms:
            df = sum(1 for stems, heads in stem_sets if _has(stems, term, heads))
            weights[term] = math.log(1 + (n + 1) / (df + 0.5)) * _specificity(word_of[term])
        if not english:
            anchors = tuple(n for n in shape.numbers)  # its words are not the sources' words; figures still are
        written = _acronyms_of(question, shape.words, passages) if english else []
        acronyms = tuple(dict.fromkeys(self._stem(w) for w in written))
        wholes = [f"{p.title}. {p.text}" for p in passages]  # each passage with its title
        spelled = tuple(_spelled_out(whole, acronyms) if acronyms else frozenset() for whole in wholes)
        expansions = []
        for word in written:
            spelling = next((found for whole in wholes if (found := _spelling_of(word, whole))), [])
            if spelling:
                expansions.append((self._stem(word), frozenset(self._stems(" ".join(spelling)))))
        if english:  # and the acronyms the passages define for names the question spells out ("Afghan Citizen Card")
            known = {acronym for acronym, _ in expansions}
            initials = {word[0] for word in shape.words}
            for whole in wholes:
                for acronym, spelling in _defined_acronyms(whole, initials):
                    stem, stems = self._stem(acronym), frozenset(self._stems(" ".join(spelling)))
                    if stem not in known and stems and all(_has(set(terms), t) for t in stems):
                        known.add(stem)
                        expansions.append((stem, stems))
            # and those a document writes, undefined, beside a name the question spells out ("KP" for "Khyber
            # Pakhtunkhwa", in an article that writes both)
            for acronym, spelling in _acronyms_of_names(question, names, passages):
                stem, stems = self._stem(acronym), frozenset(self._stems(" ".join(spelling)))
                if stem and stem not in known and stems:
                    known.add(stem)
                    expansions.append((stem, stems))
        # its slots and places read with its names capitalised, and the words the passages write only capitalised,
        # however seldom ("allotted in kandahar" is a place, as "in Kandahar" is)
        as_names = _as_names(question, names | name_like)
        roles = self._roles(question) if english else ()
        who_verb = _who_verb(question) if shape.kind == "who" else ""
        return _Question(
            question,
            shape,
            tuple(terms),
            weights,
            anchors,
            english,
            acronyms,
            spelled,
            tuple(_slots(as_names)),
            frozenset(ordinals(question) | _lasts(question)),
            frozenset(degree(question)),
            tuple(_restricted_names(question, names)),
            asks_extreme(question),
            () if is_yes_no(question) else self._opposites(question),
            self._subject(question, anchors),
            tuple(expansions),
            frozenset(_days_of(figures)),
            frozenset(self._stem(w) for w in name_like - names) - set(acronyms),  # acronyms are read by their spelling
            months_named(question, with_days=False),
            self._change(question),
            frozenset(_days_on(question, figures)),
            roles,
            not (shape.negated or NEGATION_RE.search(question) or is_yes_no(question)),
            who_verb,
            tuple(_places(as_names)),
            tuple(_full_names(question, names, capitalised)) if english else (),
            tuple(stem for w in _typed_places(question) if (stem := self._stem(w))) if english else (),
            _dates_asked(question, figures),
            frozenset(self._stem(w) for w in _partitive_words(question)) - {""},
            tuple((name, self._stem(noun)) for name, noun in _named_nouns(question)),
            asks_ahead(question),
            asks_size(question),
            _yearless_dates(question, figures),
            self._done(question, roles, who_verb),
            tuple((self._stem(word), date) for word, date in _date_slots(question)) if english else (),
            english and not is_yes_no(question) and asks_for_a_name(question),
            directions(question) if english else frozenset(),
            antonyms=() if is_yes_no(question) or not english else self._antonyms(question, names),
            # (words only: a figure's digits are said as written, and a day only by its date)
            kin={t: self._wordnet.kin(w) for t, w in word_of.items() if w.isalpha()}
            if english and self._wordnet is not None
            else {},
            who_object=tuple(s for w in _who_object(question) if (s := self._stem(w)) and s not in anchors)
            if who_verb
            else (),
            verb_forms=self._verb_forms(question, roles),
            phrasal=self._phrasal_words(question) if english else frozenset(),
            event_kin=self._event_kin(question) if english else frozenset(),
            counted_kin=self._counted_kin(shape.counted) if english else frozenset(),
            capitals=self._capitals(names) if english else {},
        )

    def _capitals(self, names: AbstractSet[str]) -> dict[str, re.Pattern[str]]:
        """For each of ``names`` that WordNet knows as a country with a national capital: its stem -> a pattern
        of the capital's name, capitalised and not part of a longer word ("Islamabad", not "Islamabad-based").
        Where it acts for the country, and is no place, _acts_for and _done_by_another say."""
        found: dict[str, re.Pattern[str]] = {}
        if self._wordnet is None:
            return found
        for name in names:
            cities = self._wordnet.capitals.get(name.casefold())
            if cities and (stem := self._stem(name)):
                written = "|".join(re.escape(city.capitalize()) for city in sorted(cities))
                found[stem] = re.compile(rf"(?<![A-Za-z])(?:{written})\b(?!-)")
        return found

    def _verb_forms(self, question: str, roles: Sequence[tuple[str, str, str]]) -> dict[str, frozenset[str]]:
        """For each verb the question's roles ask of, its stem -> the stems of its forms, irregular ones too (by
        WordNet: "did Ostland lose" is said by "Meridan lost"); without WordNet, the stem alone."""
        verbs = {verb for role, verb, _ in roles if role != "owned"}
        forms: dict[str, frozenset[str]] = {verb: frozenset({verb}) for verb in verbs}
        if self._wordnet is None or not verbs:
            return forms
        for word in WORD_RE.findall(question):
            if (stem := self._stem(word)) in verbs:
                forms[stem] = forms[stem] | {self._stem(f) for f in self._wordnet.verb_forms(word) if f.isalpha()}
        return forms

    def _unsaid_beside(self, question: str, passages: Sequence[Passage], corpus_names: AbstractSet[str]) -> set[str]:
        """Stems of the asker's framing beside the question, which is not weighed as the question's rarest words
        nor read as a name its answer must have: the words no passage uses, in any form, of a statement or
        fragment that names nothing and gives no figure ("Quick question:", "Please cite your sources."), and of
        a whole sentence with no figure, names included ("Sorry for my English.", "I live in Hyderabad."). Only
        beside a question that names what it asks about, does not refer back ("it", "there") and shares no word
        with them: a question that leans on a statement reads it whole. Words a statement shares with the
        passages ("Deportations: how many in 2024?") stay, as does a statement with a figure ("The PoR cards
        lapsed on April 1.") and a fragment with a name ("UNHCR: how many ...?" asks for UNHCR's figure)."""
        asked, beside = parts_beside(question)
        if not beside:
            return set()
        words_of = {part: content_words(part) for part in (asked, *beside)}
        # the words the passages write as names ("karachi"), in one pass over the passages
        written_as_names = set().union(
            *self._written_as_names([w for ws in words_of.values() for w in ws], passages, corpus_names)
        )

        def names_something(part: str, shape: QuestionShape) -> bool:
            return bool(shape.names or shape.numbers or written_as_names.intersection(words_of[part]))

        if not names_something(asked, read_question(asked)):
            return set()  # "Cars were banned. How many were seized?": the question leans on the statement
        # what the passages say (not their outlets' names: "LatestLY (ANI, citing Dawn)" does not say "cite")
        mentioned = set().union(*(self._stems(f"{p.title} {p.text}") for p in passages))
        framing: set[str] = set()
        framed: set[str] = set()  # every word of the parts read as framing
        for part in beside:
            words = words_of[part]
            shape = read_question(part)
            if names_something(part, shape) and (part.rstrip()[-1:] not in ".!" or shape.numbers):
                continue  # a fragment with a name ("UNHCR:") or a statement with a figure is the question's own
            # nothing named, or a whole sentence beside it ("I live in Hyderabad."): what no source says of it
            stems = {self._stem(w) for w in words} - {""}
            framing |= {t for t in stems if not _has(mentioned, t)}
            framed |= stems
        if framed & {self._stem(w) for w in words_of[asked]}:
            return set()  # "Cars were banned last year. How many were banned in Lund?" is one question in two parts
        return framing

    def _change(self, text: str) -> tuple[frozenset[str], frozenset[str], int] | None:
        """The stems of the first "from A to B" (or "into B") in ``text`` that names both: where a change started
        and where it ended, with the number of words of where it started."""
        for match in _CHANGE_RE.finditer(text):
            start, end = frozenset(self._stems(match.group(1))), frozenset(self._stems(match.group(2)))
            if start and end:
                return start, end, len(_leading_words(match.group(1)))
        return None

    def _reverses_the_change(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence has the asked change end where the question has it start: "moved from near
        threatened to vulnerable" is not answered by "moved from vulnerable to near threatened", "converted from
        electricity to paraffin" by "converted to electricity"."""
        if read.change is None:
            return False
        start, end, length = read.change
        ends = [_leading_words(m.group(1)) for m in _TO_RE.finditer(sentence.text)]
        # where a change ends is what "to" begins with ("to electricity in 1927"), not a verb's object ("asked to
        # leave Pakistan" does not end a change at Pakistan)
        starts_there = any(self._stems(" ".join(words[:length])) == start for words in ends)
        return starts_there and not any(end & self._stems(" ".join(words)) for words in ends)

    def _subject(self, question: str, anchors: Sequence[str]) -> frozenset[str]:
        """The stems of the subject of "what did X say/do?" ("the Lund council say about" -> lund, council: the
        words up to the first function word, less the last, the verb) when one of them is a name; else none."""
        match = _SUBJECT_RE.match(question)
        words: list[str] = []
        verb_ends_it = False
        for word in WORD_RE.findall(match.group(1)) if match else ():
            if is_function_word(word):
                if words:
                    verb_ends_it = word.casefold() in FUNCTION_VERBS  # "the Lund council say": the subject is whole
                    break
                continue  # "the", "a" before the subject
            words.append(word)
        if not verb_ends_it:
            words = words[:-1]  # "Tom Reed open for ...": its last word is the verb
        stems = frozenset(self._stem(w) for w in words) - {""}
        return stems if stems & set(anchors) else frozenset()

    def _done(self, question: str, roles: Sequence[tuple[str, str, str]], who_verb: str) -> frozenset[str]:
        """The stems of the verbs the question asks were done: its roles' verbs (see _roles), the verb of "who
        <verb> ...?" (``who_verb``), and its passive verbs ("were deported", "was Ilona Varga elected")."""
        verbs = {verb for role, verb, _ in roles if role != "owned"}
        if who_verb:
            verbs.add(self._stem(who_verb))
        verbs.update(self._stem(m.group(1)) for m in _PASSIVE_ASKED_RE.finditer(question))
        return frozenset(verbs - {""})

    def _roles(self, question: str) -> tuple[tuple[str, str, str], ...]:
        """The side of its verb a question names ("who replaced Hana Velez?": Hana Velez is replaced; "which team
        did Dunmere beat?", "in what year did Edmund Orrin die?": Dunmere beats, Edmund Orrin dies), with the verb's
        stem, from the question's word order; and for "whose son-in-law was Roger Amblecote?", the noun owned
        ("owned", "son-in-law", "Roger Amblecote")."""
        roles = []
        asked = _WHO_DOES_RE.match(question)
        if asked and asked.group(1).casefold() not in AUXILIARY_VERBS and self._stem(asked.group(1)):
            roles.append(("object", self._stem(asked.group(1)), asked.group(2)))
        asked = _WHAT_DID_RE.match(question) or _WHEN_DID_RE.match(question)
        if asked and self._stem(asked.group(2)):
            roles.append(("subject", self._stem(asked.group(2)), asked.group(1)))
        asked = _PASSIVE_NAMED_RE.search(question)
        if asked and self._stem(asked.group(2)):
            roles.append(("patient", self._stem(asked.group(2)), asked.group(1)))
        asked = _WHOSE_RE.match(question)
        if asked:
            roles.append(("owned", asked.group(1).casefold(), asked.group(2)))  # the noun, as written
        return tuple(roles)

    def _swaps_roles(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence puts the question's named side on the other side of the asked verb: "who
        replaced Hana Velez?" is not answered by "... was replaced by Hana Velez", nor "which team did Dunmere
        defeat?" by "Dunmere were defeated by ..." or "... defeated Dunmere", nor "whose son-in-law was Roger
        Amblecote?" by "Amblecote's son-in-law". The verb is matched by its stem, so an irregular one ("beat",
        "beaten") is matched only in the forms that share it."""
        text = sentence.text
        for role, verb, name in read.roles:
            first, last = re.escape(name.split()[0]), re.escape(name.split()[-1])
            if role == "owned":
                # "whose son-in-law was Roger Amblecote?" is not answered by "Amblecote's son-in-law, Thomas Fenn"
                owned = re.escape(verb)
                if re.search(rf"\b{last}['’]s\s+{owned}\b|\b{owned}\s+of\s+(?:the\s+)?{first}\b", text, re.I):
                    return True
                continue
            if role == "patient":
                continue  # read by _said_of_another
            if role == "object":
                found = list(re.finditer(_BEFORE_BY.format(name=first), text))
            else:
                found = list(re.finditer(_PASSIVE.format(name=last), text))
                done_to = re.finditer(_BEFORE_NAME.format(name=first), text)
                found += [m for m in done_to if name not in text[: m.start()]]  # not "Dunmere beat X, then Y"
            forms = read.verb_forms[verb]
            if any(self._stem(m.group(1)) in forms for m in found):
                return True
            if role == "subject" and self._done_by_another(text, forms, name, read.capitals.get(self._stem(name))):
                return True
        return False

    def _done_by_another(
        self,
        text: str,
        verbs: AbstractSet[str],
        name: str,
        capital: re.Pattern[str] | None = None,
        *,
        passive: bool = False,
    ) -> bool:
        """True when ``text`` does the verb (the stems of its forms, ``verbs``) only with another name right before
        it, as its subject, or after "by": "how many league titles has Kelmouth United won?" is not answered by
        "Rovers won three league titles, ... beating Kelmouth United", nor "how many molecules did Margit Sollen
        propose?" by "the two proposed by Lobmeyr" (the name's own passive, "Kelmouth United were beaten by", is
        read by _swaps_roles). With ``passive``, the verb is the question's passive ("where was Duke Anselin
        tried?") and its subject is the name before its auxiliary ("Godwin Harl was tried"). ``capital``: the
        pattern of the name's national capitals, which act for it (see _Question.capitals)."""
        subjects = []
        for match in WORD_RE.finditer(text):
            if self._stem(match.group(0)) not in verbs:
                continue
            if not passive and re.match(r"\s+by\b", text[match.end() :]):
                # done by whom "by" names: "the two proposed by Lobmeyr" were not proposed by Margit Sollen
                doer = _BY_NAME_RE.match(text[match.end() :])
                if not doer or _is_time(doer.group(2)) or any(map(is_function_word, doer.group(1).split())):
                    return False  # by someone unnamed ("proposed by the committee"): it may be the asked one
                subjects.append(doer.group(2))
                continue
            subject = _PASSIVE_SUBJECT_RE if passive else _SUBJECT_BEFORE_RE
            ahead = text[max(0, match.start() - _DONE_TO_REACH) : match.start()]
            before = subject.search(ahead) or (None if passive else _SAID_IT_DID_RE.search(ahead))
            words = [w for w in before.group(1).split() if not is_function_word(w)] if before else []
            if not words:
                return False  # done by (or, passive, to) someone unnamed ("the club won"): it may be the asked one
            subjects.append(" ".join(words))
        return bool(subjects) and not any(
            self._same_name(subject, name) or (capital is not None and capital.fullmatch(subject))
            for subject in subjects
        )

    def _said_of_another(self, text: str, read: _Question) -> bool:
        """True when ``text`` says the passive verb the question asks of a name ("where was Duke Anselin
        tried?") only of other names: "Godwin Harl was tried for treason at Hollinsgate"."""
        return any(
            role == "patient" and self._done_by_another(text, read.verb_forms[verb], name, passive=True)
            for role, verb, name in read.roles
        )

    def _done_to_another(self, sentence: _Sentence, read: _Question) -> bool:
        """True when "who <verb> X?" meets a sentence in which the verb is done, each time it says it, to a name
        that is not X: "who produced North of Ordinary?" is not answered by "Lamps Along the Quay (1983) was
        produced by Owen Marsh", nor "who designed the guildhall?" by "the Market House, designed by ...". What
        a verb is done to is read only when it is a name; "the element was discovered by" may be the asked one."""
        text = sentence.text
        done = [m for m in WORD_RE.finditer(text) if m.start() > 0 and m.group(0).casefold() == read.who_verb]
        words = {_bare(w) for w in read.shape.words} if done else set()  # content words: "the" is in any name
        for match in done:
            passive = re.match(r"\s+by\b", text[match.end() :])
            found = (
                _DONE_TO_BEFORE_RE.search(text[max(0, match.start() - _DONE_TO_REACH) : match.start()])
                if passive
                else _DONE_TO_AFTER_RE.match(text[match.end() :])
            )
            name = found.group(1) if found else ""
            if not name or any(_bare(w) in words for w in name.split()):
                return False  # done to what the question asks about, or to something unnamed
        return bool(done)

    def _antonyms(self, question: str, names: AbstractSet[str]) -> tuple[tuple[frozenset[str], frozenset[Lemma]], ...]:
        """For each word of the question that has a plain opposite in WordNet (see bot/answering/wordnet.py): the
        lemmas a sentence that says it has, and the opposite's. Not for its names, function words, the word after
        "how" ("how long": a scale, not a claim), nor a word whose opposite the question says too ("how is the male
        told apart from the female?")."""
        if self._wordnet is None:
            return ()
        words = WORD_RE.findall(question)
        folded = {n.casefold() for n in names}
        found = []
        for k, word in enumerate(words):
            if is_function_word(word) or word.casefold() in folded or (k and words[k - 1].casefold() == "how"):
                continue
            said, opposite = self._wordnet.opposites(word)
            if opposite:
                found.append((said, opposite))
        asked = self._wordnet.lemmas_of(words)
        return tuple((said, opposite) for said, opposite in found if not opposite & asked)

    def _says_the_opposite(self, sentence: _Sentence, read: _Question, *, phrasal: bool = True) -> bool:
        """True when the sentence says the opposite of one of the question's words and not the word itself: of a
        verb the table OPPOSITE_VERBS gives ("X bought Y" for "when did X sell Y?"), or of any word by WordNet
        ("Sorel always denied this" for "why did Sorel admit ...?"). Without ``phrasal``, not of a word that makes
        a multiword verb with the word after it ("fall into": see _phrasal_words). Read once per sentence."""
        if sentence.opposed is None:
            sentence.opposed = self._opposed(sentence.text, read)
        any_word, plain_word = sentence.opposed
        return any_word if phrasal else plain_word

    def _opposed(self, text: str, read: _Question) -> tuple[bool, bool]:
        """Whether ``text`` says the opposite of one of the question's words (see _says_the_opposite), and of one
        that makes no multiword verb with the word after it."""
        if not (read.opposites or read.antonyms):
            return False, False
        words = _words_of(text)
        opposed = [forms for forms, opposite in read.opposites if not forms & words and opposite & words]
        if read.antonyms and self._wordnet is not None:
            lemmas = self._wordnet.lemmas_of(words)
            said = words | {lemma for lemma, _ in lemmas}
            opposed += [own for own, opposite in read.antonyms if opposite & lemmas and not own & said]
        return bool(opposed), any(not asked & read.phrasal for asked in opposed)

    def _opposites(self, question: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """For each verb of the question that has a plain opposite: its written forms and the opposite's."""
        asked = _words_of(question)
        return tuple((forms, opposite) for forms, opposite in self._opposite_forms if forms & asked)

    def _event_kin(self, question: str) -> frozenset[str]:
        """The kin (WordNet.kin) of the question's words that WordNet reads as verbs and never as nouns ("came",
        "deported", "allotted"; not "returnees", "camp" or "hold"), and of the multiword verbs they make ("came
        back": return); not of a verb that describes the noun after it ("registered refugees", "a returning
        family")."""
        if self._wordnet is None:
            return frozenset()
        found: set[str] = set()
        words = WORD_RE.findall(question)
        for word, after in itertools.pairwise([*words, ""]):
            parts = {part for _, part in self._wordnet.lemmas(word)}
            if "v" not in parts or "n" in parts or word.casefold() in FUNCTION_WORDS:
                continue
            together = self._wordnet.phrasal_kin(word, after) if after else frozenset()
            if not together and after.casefold() not in FUNCTION_WORDS and self._is_noun(after):
                continue  # it describes the noun after it: "registered refugees", "deported families"
            found |= self._wordnet.kin(word) | together
        return frozenset(found)

    def _counted_kin(self, counted: Sequence[str]) -> frozenset[str]:
        """The nouns among the kin (WordNet.kin) of the words of what "how many" counts that WordNet reads as
        nouns ("kids": child, minor)."""
        if self._wordnet is None:
            return frozenset()
        return frozenset(
            lemma
            for word in counted
            if self._is_noun(word)
            for lemma in self._wordnet.kin(word)
            if self._is_noun(lemma)  # its nouns: "holders" is said by "bearers", not by "held"
        )

    def _is_noun(self, word: str) -> bool:
        """True when WordNet reads ``word`` as a noun (among other things)."""
        return self._wordnet is not None and bool(self._wordnet.nouns_of((word,)))

    def _phrasal_words(self, question: str) -> frozenset[str]:
        """The question's words (lower-cased) that make a multiword verb with the word after them ("fall into"),
        by WordNet: what they mean is what the two mean together."""
        if self._wordnet is None:
            return frozenset()
        words = WORD_RE.findall(question)
        return frozenset(w.casefold() for w, after in itertools.pairwise(words) if self._wordnet.phrasal(w, after))

    @staticmethod
    def _written_as_names(
        words: Sequence[str], passages: Sequence[Passage], corpus_names: AbstractSet[str] = frozenset()
    ) -> tuple[set[str], set[str]]:
        """Question words (typed in any case) that the passages write as names, capitalised mid-sentence (at
        least twice, and mostly), or that the whole corpus does (``corpus_names``: "quetta", which the passages may
        not use, or use only at a sentence's start); and those the passages write capitalised too seldom for
        that, but never otherwise, which are not what the question says of its names either ("kessel
        orchards" in "who started ...")."""
        counts: dict[str, list[int]] = {}
        wanted = set(words)
        if not wanted:
            return set(), set()
        # only the question's words are looked at: one search for all of them, not a pass over every word
        pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, wanted), key=len, reverse=True)) + r")\b", re.I)
        for passage in passages:
            for match in pattern.finditer(passage.text):
                word = match.group(0)
                lowered = word.casefold()
                if lowered in wanted and word[:1].isalpha() and _is_whole_word(passage.text, match):
                    start = match.start()
                    previous = passage.text[max(0, start - 2) : start]
                    if start == 0 or re.search(r"[.!?\n]\s*$", previous):
                        continue  # a sentence's first word is capitalised whatever it is
                    tally = counts.setdefault(lowered, [0, 0])
                    tally[0 if word[:1].isupper() else 1] += 1
        strict = {
            word
            for word, (upper, lower) in counts.items()
            if upper >= NAME_MIN_CAPITALISED and upper > NAME_CAPITALISED_RATIO * lower
        }
        strict |= wanted & corpus_names
        return strict, {word for word, (upper, lower) in counts.items() if upper and not lower} - strict

    # -- scoring sentences ------------------------------------------------------------------
    def _query_vector(self, question: str, given: np.ndarray | None) -> np.ndarray:
        """The question's vector: the one retrieval computed, else one embedding now."""
        if given is not None:
            return np.asarray(given, dtype=np.float32)
        return self._embedder.embed([question], kind="query")[0]

    def _sentences(self, read: _Question, passages: Sequence[Passage], query: np.ndarray) -> list[_Sentence]:
        """Every sentence and pair of adjacent sentences of the passages, scored, best first."""
        result: list[_Sentence] = []
        seen: set[tuple[str, int, int]] = set()
        surnames = self._surnames(read, passages)  # once for all passages: which full names each article resolves
        years_asked = [a for a in read.anchors if is_year(a)]  # which a date written without its year may mean
        asks_source = bool(_ASKS_SOURCE_RE.search(read.text))  # by whose account: then a speaker names someone
        for index, passage in enumerate(passages):
            spans = _spans(passage)
            if not spans:
                continue
            vectors = passage.sentence_vectors
            if vectors is None or len(vectors) != len(spans):
                texts = [passage.text[s:e] for s, e in spans]
                vectors = self._embedder.embed(texts, kind="document")
            similarities = np.asarray(vectors, dtype=np.float32) @ query
            whole = f"{passage.title}. {passage.text}"
            dated = self._date_stems(passage.date) | read.spelled[index]
            around = self._stems(_read_with(passage)) | dated
            around_heads = stem_heads(around)
            anchored = {anchor: _has(around, anchor, around_heads) for anchor in read.anchors}  # once per passage
            # what a sentence's terms may be found beside it: its title, date and source, and the sentences next
            # to it ("The element was discovered in 1782 ..." is not about another element its passage names)
            beside = self._stems(f"{passage.title} {passage.source}") | dated
            beside_heads = stem_heads(beside)
            in_beside = {term: _has(beside, term, beside_heads) for term in read.weights}  # once per passage
            singles = []
            for k, (start, end) in enumerate(spans):
                text = passage.text[start:end]
                stems = self._said_stems(text, read)
                singles.append(
                    _Sentence(
                        index,
                        start,
                        end,
                        text,
                        passage.start + start,
                        stems,
                        float(similarities[k]),
                        _claims_in(passage, start, end),
                        heads=self._heads_of(stems),  # read for every sentence: each is its neighbours' context
                    )
                )
            pairs = [
                _Sentence(
                    index,
                    a.start,
                    b.end,
                    passage.text[a.start : b.end],
                    a.offset,
                    a.stems | b.stems,
                    max(a.similarity, b.similarity) - 0.02,
                    a.claims + b.claims,
                    parts=(a.text, b.text),
                    heads=(a.heads or frozenset()) | (b.heads or frozenset()),
                )
                for a, b in itertools.pairwise(singles)
            ]
            befores = _befores(passage, singles)  # once per passage, from its stored spans
            # each sentence's first and last single, whose neighbours are beside it
            ranges = [(k, k) for k in range(len(singles))] + [(k, k + 1) for k in range(len(pairs))]
            named_by = _named_by(read, singles, beside, beside_heads, anchored)
            # a later passage's sentence that names no one else may mean a name its article's lede gives ("According
            # to the minister, ..." in an article that opens with "The interior minister, Talal Chaudhry, said")
            lede_named_by = None
            # (a name its first sentence may already mean, every later one may too: then the lede adds nothing)
            if passage.start > 0 and passage.lede and singles and not all(named_by[0].values()):
                with_lede = beside | self._stems(passage.lede)
                lede_named_by = _named_by(read, singles, with_lede, stem_heads(with_lede), anchored)
            surnamed = [
                (firsts, alone) for at, firsts, alone in surnames.get(passage.doc_id, ()) if at <= passage.start
            ]
            for sentence, (first, last) in zip([*singles, *pairs], ranges, strict=True):
                sentence.around = around
                # an article's opening sentences set its scene and may mean a name it gives later ("the country")
                sentence.anchored = anchored if passage.start == 0 and first < LEDE_SENTENCES else named_by[last]
                if lede_named_by is not None and self._names_no_one_else(
                    sentence.text if asks_source else _without_attribution(sentence.text), read
                ):
                    sentence.anchored = lede_named_by[last]
                if years_asked and (dated_in := _years_its_dates_mean(sentence, years_asked)):
                    sentence.anchored = {**sentence.anchored, **dict.fromkeys(dated_in, True)}
                if sentence.parts:
                    sentence.first_part = singles[first]
                if surnamed and (meant := self._first_names_meant(sentence, read, surnamed)):
                    sentence.stems = sentence.stems | meant  # "Sollis died in 1931" says when Idra Sollis died
                sentence.reported = passage.date
                sentence.passage_text = whole
                sentence.title = passage.title
                sentence.befores = befores
                key = (passage.doc_id, passage.start + sentence.start, passage.start + sentence.end)
                if key in seen:
                    continue  # the same text from an overlapping chunk
                seen.add(key)
                neighbours = [singles[k] for k in (first - 1, last + 1) if 0 <= k < len(singles)]
                self._score(sentence, read, in_beside, neighbours)
                result.append(sentence)
        result.sort(key=lambda s: -s.score)
        return result

    def _surnames(
        self, read: _Question, passages: Sequence[Passage]
    ) -> dict[str, list[tuple[int, frozenset[str], re.Pattern[str]]]]:
        """For each article among ``passages``, the question's full names it writes in full and whose last name
        it gives no one else ("Samuel Orrin" beside "Edmund Orrin"): where its first passage writing the full name
        starts, the first names' stems, and a pattern of the last name written alone. A sentence of a passage
        that starts there or later may call "Lena Ostrand" "Ostrand" (see _first_names_meant)."""
        found: dict[str, list[tuple[int, frozenset[str], re.Pattern[str]]]] = {}
        if not read.full_names:
            return found
        articles: dict[str, list[Passage]] = {}
        for passage in passages:
            articles.setdefault(passage.doc_id, []).append(passage)
        for run in read.full_names:
            full = re.compile(r"\b" + r"\s+".join(map(re.escape, run)) + r"\b", re.I)
            last = re.escape(run[-1])
            firsts = frozenset(stem for stem in map(self._stem, run[:-1]) if stem)
            # written alone: not before another capitalised word ("Orrin Optical" is a firm), nor joined to a word
            # by a hyphen ("the Sollis-Dace medal")
            alone = re.compile(rf"\b(?i:{last})\b(?!-|\s+[A-Z])")
            for doc_id, article in articles.items():
                starts = [p.start for p in article if full.search(p.text)]
                if starts and not any(_named_another(p.text, run, last) for p in article):
                    found.setdefault(doc_id, []).append((min(starts), firsts, alone))
        return found

    def _first_names_meant(
        self, sentence: _Sentence, read: _Question, surnamed: Sequence[tuple[frozenset[str], re.Pattern[str]]]
    ) -> set[str]:
        """The stems of the first names of those ``sentence`` calls by their last name alone, whom it means as
        fully as if it wrote them. The sentence must write the last name (a name its title or passage gives is no
        one it calls by name: "Tessel & Crane" is no Henrietta Tessel); of a pair, the one of its two that says
        more of the question must ("Wray was ... beheaded at Lisk. His lands were given to Benning" did not
        behead Hugh Benning)."""
        text = self._said_part(sentence, read)
        meant: set[str] = set()
        for firsts, alone in surnamed:
            if alone.search(text):
                meant |= firsts
        return meant

    def _score(
        self, sentence: _Sentence, read: _Question, in_beside: Mapping[str, bool], neighbours: Sequence[_Sentence]
    ) -> None:
        """Coverage of the question's weighted terms, the heaviest missing one, and the combined score. A term
        the sentence lacks gets part credit when it is beside it (see _in_context)."""
        total = sum(read.weights.values()) or 1.0
        matched = 0.0
        gap = 0.0
        for term, weight in read.weights.items():
            if _has(sentence.stems, term, sentence.heads):
                matched += weight
            elif _in_context(term, in_beside, neighbours):
                matched += CONTEXT_CREDIT * weight
                gap = max(gap, (1 - CONTEXT_CREDIT) * weight / total)
            else:
                gap = max(gap, weight / total)
        sentence.coverage = matched / total if read.weights else 0.0
        sentence.gap = gap
        score = SIMILARITY_WEIGHT * sentence.similarity + (1 - SIMILARITY_WEIGHT) * sentence.coverage
        if not read.english:
            score = sentence.similarity  # across languages, words say nothing; meaning does
        if read.shape.kind == "quantity":
            score += 0.1 if self._states_figure(sentence, read) else -0.1
        elif read.shape.kind == "date":
            score += 0.08 if self._dated(sentence, read) else -0.08
        elif read.shape.kind == "measure":
            score += 0.08 if self._states_measure(sentence, read) else -0.08
            score += MEASURE_BONUS if self._uses_measure(sentence.stems, read) else 0.0
        elif read.shape.wants_expansion:
            # an acronym's expansion ("Proof of Registration (PoR)") answers "what does PoR stand for?"; what
            # the acronym did ("DRIVE was conducted ...") does not, however close in meaning
            score += EXPANSION_BONUS if _defines(sentence.text, read.shape.words) == 1.0 else 0.0
        elif read.shape.kind == "definition":
            score += DEFINITION_BONUS * _defines(sentence.text, read.shape.words)
        sentence.score = score - 0.03 * len(sentence.text) / 400

    def _said_stems(self, text: str, read: _Question) -> AbstractSet[str]:
        """The stems of a sentence's ``text`` read with the question's acronyms: an acronym it spells out
        ("Proof of Registration" says PoR), and the spelling of one it uses ("ACCs" says "Afghan Citizen Cards")."""
        stems = self._stems(text)
        if read.acronyms:
            stems = stems | _spelled_out(text, read.acronyms)
        for acronym, spelling in read.expansions:
            if acronym in stems:
                stems = stems | spelling
        return stems

    def _date_stems(self, date: str | None) -> set[str]:
        """The year and month name of an article's date, which its sentences need not repeat."""
        if not date:
            return set()
        stems = {date[:4]}
        if month := _iso_month(date):
            stems.add(self._stem(MONTHS[month - 1]))
        return stems

    def _mentioned(self, read: _Question, passages: Sequence[Passage]) -> set[str]:
        """The stems the passages say, with their titles, dates and sources, and the acronyms they spell out
        (none for a question in another language: its words need not be the sources' words)."""
        mentioned: set[str] = set()
        if read.english:
            for passage, spelled in zip(passages, read.spelled, strict=True):
                mentioned |= self._stems(_read_with(passage)) | spelled
        return mentioned

    def _absent_share(self, read: _Question, mentioned: AbstractSet[str]) -> float:
        """The share of the question's term weight that no passage mentions in any form (``mentioned``; 0 for
        a question in another language)."""
        if not read.english:
            return 0.0
        total = sum(read.weights.values()) or 1.0
        return sum(w for t, w in read.weights.items() if not _has(mentioned, t)) / total

    def _supports(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence, read with its passage, answers the question by the rules and the fixed
        thresholds (see the module docstring)."""
        return self._passes_rules(sentence, read) and self._meets_thresholds(sentence, read)

    def _meets_thresholds(self, sentence: _Sentence, read: _Question) -> bool:
        """True when a sentence the rules allow says enough of the question by the fixed thresholds (coverage,
        the heaviest missing term, similarity); across languages the rules alone decide."""
        if not read.english:
            return True
        if read.shape.kind == "quantity" and any(
            self._asked_kind(c, read, sentence) for c in self._figure_claims(sentence, read)
        ):
            return sentence.coverage >= CLAIM_COVERAGE  # the figure counts what was asked
        if sentence.similarity >= HIGH_SIMILARITY and sentence.coverage >= MEANING_COVERAGE:
            return True  # close in meaning
        if sentence.gap > MAX_GAP or sentence.coverage < MIN_COVERAGE:
            return False
        return sentence.coverage >= STRONG_COVERAGE or sentence.similarity >= MIN_SIMILARITY

    def _passes_rules(self, sentence: _Sentence, read: _Question) -> bool:
        """True when nothing in the sentence, read with its passage, rules it out as an answer: every name and
        figure the question is about is there, nothing contradicts it, and it gives the kind of thing asked."""
        if not read.terms:
            return False
        if any(
            not (_has(sentence.stems, a, sentence.heads) or sentence.anchored[a] or _acts_for(sentence, a, read))
            for a in read.anchors
        ):
            return False  # a name or figure the question is about is not there
        if not read.english:
            # asked in another language: only meaning (a multilingual model's) can match it across languages
            if sentence.similarity < CROSS_LINGUAL_SIMILARITY and sentence.coverage < STRONG_COVERAGE:
                return False
            return _has_figure(self._forms.figures(sentence.text)) if read.shape.kind == "quantity" else True
        if read.subject and not any(_has(sentence.stems, s) for s in read.subject):
            return False  # what X said or did is said by a sentence that names X, not one beside X in its passage
        if read.shape.negated and not self._negates_what_was_asked(sentence, read):
            return False  # "which ... did not" is not answered by "... did"
        if _after_its_time(sentence, read):
            return False  # an article of 2025 cannot say what happened in 2026
        if read.slots and self._names_another_in_slot(sentence, read):
            return False  # "the mayor of Port Marlow" is not answered by "the mayor of Harrowgate"
        if read.named_nouns and self._names_another_before_its_noun(sentence, read):
            return False  # "the Belmaris copy" is not answered by "the Ostrand copy"
        if self._says_the_opposite(sentence, read):
            return False  # "when did X sell Y?" is not answered by "X bought Y"
        if self._reverses_the_change(sentence, read):
            return False  # "from A to B" is not answered by "from B to A"
        if self._denies_what_was_asked(sentence, read):
            return False  # "when did the IMA recognise X?" is not answered by "X has not been recognised"
        if read.done and read.shape.past and self._only_aimed_at(sentence, read):
            return False  # "when was Varga elected?" is not answered by "she lost a bid to be elected"
        if read.ahead and not self._speaks_ahead(sentence, read):
            return False  # "who will manage Rovers next season?" is not answered by who managed them
        if read.sizes and not _has_figure(self._forms.figures(self._said_part(sentence, read)), read.shape.numbers):
            return False  # "what diameter was measured?" is not answered by "used to measure the diameter"
        if read.who_verb and self._done_to_another(sentence, read):
            return False  # "who produced the album North of Ordinary?" is not answered by "Lamps ... was produced by"
        if read.roles and self._swaps_roles(sentence, read):
            return False  # "who replaced Velez?" is not answered by "... was replaced by Velez"
        if read.extreme and not says_extreme(sentence.text):
            return False  # "where do plates move most slowly?" is not answered by "plates move slowly"
        if (read.ordinals or read.ends) and _other_rank(read, sentence.text):
            return False  # "the second president" is not answered by "its first president" nor by a sentence that
            # does not say which; "least" by "most"
        if _EXCLUSIVE_RE.search(read.text) and any(
            _joined_with_another(n, sentence.text) for n in {*read.shape.names, *read.restricted}
        ):
            return False  # "from Pakistan alone" is not answered by "from Pakistan and Iran"
        if any(not _has(sentence.stems, self._stem(n)) for n in read.restricted):
            return False  # "from Iran only" needs a sentence that says Iran: its passage's figure may be of more
        if read.directions and _faces_the_other_way(self._said_part(sentence, read), read):
            return False  # "on south-facing cliffs" is not answered by "on north-facing cliffs"
        if read.date_slots and self._dates_another_in_slot(sentence, read):
            return False  # "after the storm of 3 March" is not answered by "after the storm of 12 January"
        if read.which_name and not any(_names_anything(part, read) for part in sentence.parts or (sentence.text,)):
            return False  # "which company built it?" is answered by a name
        kind = read.shape.kind
        if kind == "quantity":
            return self._states_figure(sentence, read)
        if kind == "date":
            return self._states_date(sentence, read)
        if kind == "measure":
            return self._states_measure(sentence, read)
        if kind in ("who", "where"):
            return self._names_what_was_asked(sentence, read)
        return True

    def _negates_what_was_asked(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence has a negation; of a pair, the one of its two that says more of the question
        ("no place for any manhandling" does not negate the sentence before it, about transit camps). When the
        question denies a verb (see negated_word), the negation must deny it, within a few words: "which players
        did not draw a game?" is not answered by "... the only time it has not taken place in Merrow"."""
        part = self._said_part(sentence, read)
        if not read.shape.negated_word:
            return bool(NEGATION_RE.search(part))
        denied = self._stem(read.shape.negated_word)
        return any(
            any(self._stem(word) == denied for word in WORD_RE.findall(part[found.end() :])[:NEGATION_REACH])
            for found in (*NEGATION_RE.finditer(part), *DENYING_RE.finditer(part))
        )

    def _said_part(self, sentence: _Sentence, read: _Question) -> str:
        """The sentence's text; of a pair, the one of its two sentences that says more of the question."""
        return max(sentence.parts, key=lambda part: self._said(part, read)) if sentence.parts else sentence.text

    def _denies_what_was_asked(self, sentence: _Sentence, read: _Question) -> bool:
        """True when a question that says nothing negative (and is no yes/no question, which a denial answers)
        is met by a sentence that says one of the question's words only as what a negation denies ("when did
        the IMA recognise X?": "X has not been recognised"). Of a pair, the one of its two that says more of the
        question is read. A denial in a condition ("if the crossing had not been shut") asserts nothing, and
        one followed in its clause by "until" or "before" says when it ended ("not established until 1958")."""
        if not read.affirmative or not _may_deny(sentence.text):
            return False
        return self._denies(self._said_part(sentence, read), read)

    def _denies(self, part: str, read: _Question) -> bool:
        """True when ``part`` says one of the question's words only as what a negation denies (see
        _denies_what_was_asked)."""
        if not _may_deny(part):
            return False
        predicate = set(read.predicate)
        words = list(WORD_RE.finditer(part))
        denied: set[str] = set()
        affirmed: set[str] = set()
        for i, word in enumerate(words):
            stem = self._stem(word.group(0))
            if stem not in predicate:
                continue
            (denied if self._is_denied(part, words, i) else affirmed).add(stem)
        return bool(denied - affirmed)

    @staticmethod
    def _is_denied(text: str, words: Sequence[re.Match[str]], at: int) -> bool:
        """True when the word ``words[at]`` of ``text`` is what a negation denies: the first content word after
        "not" (at most DENIAL_REACH words on, the words between function words: "has not yet been recognised"),
        or a word of what "no" or "neither" denies (at most DENIAL_REACH words on, the words between content
        words, which describe it: "there is no free-swimming larval stage", "neither eruption caused a famine"),
        or the verb after "no <noun> to" ("had no way to define functions"), in a clause that sets no condition
        and does not go on to say until when (before "and", "but" or its sentence's end: "She was not prosecuted
        but was kept under supervision until her death" was not prosecuted)."""
        word = words[at]
        content_between = function_between = False  # the kinds of word between it and the one looked at
        for k in range(at - 1, max(-1, at - 1 - DENIAL_REACH), -1):
            before = words[k]
            if _CLAUSE_BREAK_RE.search(text, before.end(), word.start()):
                return False
            token = before.group(0)
            if (
                (token.casefold() in _NO_WORDS and not function_between)
                or (_NEGATOR_RE.match(token) and not content_between)
                or (token.casefold() == "to" and k == at - 1 and k >= 2 and words[k - 2].group(0).casefold() == "no")
            ):  # the last: "had no way to define functions" did not define them
                clause_start = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(text, 0, before.start())), default=0)
                if _CONDITION_RE.search(text, clause_start, before.start()):
                    return False  # "if the crossing had not been shut": it was
                clause_end = _CLAUSE_BREAK_RE.search(text, word.end())
                end = clause_end.start() if clause_end else len(text)
                joined = _CLAUSE_JOIN_RE.search(text, word.end(), end)  # "not prosecuted but kept ... until 1948"
                return not _UNTIL_RE.search(text, word.end(), joined.start() if joined else end)
            if is_function_word(token):
                function_between = True
            else:
                content_between = True
            if content_between and function_between:
                return False  # "not" denies the first content word after it ("may not buy dollars" denies buying)
        return False

    def _names_another_in_slot(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence puts another name where the question has one: the question's "mayor of Port
        Marlow" is "mayor of Harrowgate" there, and "mayor of Port Marlow" is not. A list that leaves out its
        word after the first item ("52 per cent live in Khyber Pakhtunkhwa, 24 per cent in Balochistan") puts
        the asked name in a slot of its own, with the same preposition."""
        slots = _slots(sentence.text)
        for head, preposition, name in read.slots:
            said = [n for h, p, n in slots if p == preposition and self._stem(h) == self._stem(head)]
            # (unless the asked name has a slot of its own with the preposition: a list that leaves out its word)
            if (
                said
                and not any(self._same_name(n, name) for n in said)
                and not any(p == preposition and self._same_name(n, name) for _, p, n in slots)
            ):
                return True
        return False

    def _dates_another_in_slot(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence (of a pair: the one of its two that says more of the question) dates the word
        the question dates, and never by the question's date: "who repaired it after the storm of 3 March?" is
        not answered by "after the storm of 12 January ...", nor "how many arrowheads did the survey of 1974
        find?" by "a survey in 2006 recovered ...", though the sentence may give the asked date to another thing."""
        said = _date_slots(self._said_part(sentence, read))
        for word, date in read.date_slots:
            dates = [d for w, d in said if self._stem(w) == word]
            if dates and date not in dates:
                return True
        return False

    def _names_another_before_its_noun(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence (of a pair: one of its two) says another name where the question says which of
        a kind it means, before the same noun after "the" or as its owner, and does not say the asked name:
        "when was the Belmaris copy first displayed?" is not answered by "The Ostrand copy ... was displayed
        publicly for the first time in 1987", though its passage names the Belmaris copy; nor "where is Wrenn's
        case map?" by "Carrow's case map is now held by the National Library"."""
        for part in sentence.parts or (sentence.text,):
            said = [(name, self._stem(noun)) for name, noun in _named_nouns(part)]
            if not said:
                continue
            stems = self._stems(part)
            for name, noun in read.named_nouns:
                others = [n for n, s in said if s == noun]
                if not others or any(self._same_name(n, name) for n in others):
                    continue
                if not all(_has(stems, stem) for stem in map(self._stem, name.split()) if stem):
                    return True
        return False

    def _only_aimed_at(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence (of a pair: the one of its two that says more of the question) says a verb the
        question asks was done only after "to" and a word that aims at it: a plan, a hope or an attempt ("she
        lost a bid to be elected", "the ministry plans to release them") is not the deed."""
        part = self._said_part(sentence, read)
        said = [m for m in WORD_RE.finditer(part) if self._stem(m.group(0)) in read.done]
        if not said:
            return False
        for match in said:
            before = [w.casefold() for w in WORD_RE.findall(part[: match.start()])]
            if before and before[-1] == "be":
                before.pop()  # "to be elected"
            if not before or before[-1] != "to":
                return False
            if not any(self._stem(word) in self._aiming for word in before[-1 - _AIMING_REACH : -1]):
                return False
        return True

    def _speaks_ahead(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence (of a pair: the one of its two that says more of the question) speaks of what
        is to come: a modal auxiliary, "going to" or "is to" ("the dome will be painted next spring"), or a
        figure its claims read as planned ("due to open on 1 June")."""
        part = self._said_part(sentence, read)
        if _AHEAD_SAID_RE.search(part):
            return True
        return any(claim.status == "planned" and claim.figure in part for claim in sentence.claims)

    def _same_name(self, a: str, b: str) -> bool:
        """True when two names are one: the same words (in any form), one's words among the other's ("Port
        Marlow", "Marlow"; "Afghans", "Afghan"), or one the acronym of the other ("EU", "European Union"; see
        _acronym_for)."""
        x, y = {self._stem(w) for w in a.split()}, {self._stem(w) for w in b.split()}
        return x <= y or y <= x or _acronym_for(a, b) or _acronym_for(b, a)

    def _names_no_one_else(self, text: str, read: _Question) -> bool:
        """True when ``text`` names no one the question does not (see _has_new_name), nor writes capitalised, as
        part of a name, a word the question has but not as one of the names it asks about: "The Sollis Room, a
        reading room named after her, ..." names a room, though the question has "room" in small letters."""
        if _has_new_name(text, read):
            return False
        names = {*read.anchors, *read.name_like}
        asked = set(read.shape.words)
        return all(
            self._stem(_bare(word)) in names
            for word in (m.group(0) for m in _capitalised_words(text))
            if word.casefold() in asked
        )

    # -- claims -----------------------------------------------------------------------------
    def _names_what_was_asked(self, sentence: _Sentence, read: _Question) -> bool:
        """True when a sentence (of a pair: one of its two) names someone the question does not, and says
        something the question asks (one of its words that is not a name)."""
        predicate = read.predicate
        for part in sentence.parts or (sentence.text,):
            if read.who_object and not self._says_some(part, read.who_object, read):
                continue  # "who brought goats to Skellan Point?" is not answered by who brought rabbits there
            if _has_new_name(part, read) and (not predicate or self._says_some(part, predicate, read)):
                return True
            if read.who_verb and self._done_by_someone(part, read):
                return True
        return False

    def _done_by_someone(self, text: str, read: _Question) -> bool:
        """True when ``text`` says by whom the asked verb is done, named or not: "who chairs the High Commission
        ...?" is answered by "The High Commission ..., chaired by the deputy prime minister" (what it is done to
        is read by _done_to_another)."""
        verb = self._stem(read.who_verb)
        return any(
            self._stem(match.group(1)) == verb and _is_agent(match.group(2)) for match in _DONE_BY_RE.finditer(text)
        )

    def _date_claims(self, sentence: _Sentence, read: _Question) -> list[tuple[float, Claim]]:
        """The sentence's dates with the weight of the question their own sentence says, most first; in a pair,
        a date whose own sentence says none of it answers nothing. A dateline ("Sat Nov 01 2025") dates only the
        next sentence, when that uses its day, and that sentence must say what was asked."""
        ranked: list[tuple[float, int, Claim]] = []
        predicate = read.predicate
        for k, claim in enumerate(c for c in sentence.claims if c.kind == "date"):
            if read.shape.future and claim.status == "happened":
                continue  # "when will trade resume?" is not answered by when something happened
            if read.shape.wants_year and not _STATED_YEAR_RE.search(claim.figure):
                continue  # "what year ...?" is answered by a date that states its year, not one inferred
            own = _own_sentence(sentence, claim)
            if read.shape.wants_weekday and not _names_weekday(own):
                continue  # "on what day of the week ...?" is answered by a sentence that names the day
            if read.days and _days_of(self._forms.figures(claim.figure)) & read.days:
                continue  # the date the question gives ("after they expired on June 30") is not its answer
            if _states_another_year(own, read):
                continue  # "the deadline in 2023" is not "30 June 2024" (a year inferred from the article may be wrong)
            if self._named_only_after_but(claim, own, read):
                continue  # "added to the Marrow Ford Barrage in 1994, but none was ever installed at Brenn"
            if _is_dateline(own):
                if not _uses_its_day(sentence, own):
                    continue
                own = sentence.parts[1]  # what happened that day is said by the sentence that uses it
            if read.affirmative and self._denies(own, read):
                continue  # "sent on 7 November and had not been approved" dates no approval
            if not predicate or self._says_some(own, predicate, read) or self._lifespan_asked(claim, sentence, read):
                ranked.append((-self._said(own, read), k, claim))
        return [(-minus_said, claim) for minus_said, _, claim in sorted(ranked)]

    def _lifespan_asked(self, claim: Claim, sentence: _Sentence, read: _Question) -> bool:
        """True when the claim is the end of a lifespan that the question asks by its word for it: "Ilvard
        Questenbrok (14 May 1838 – 2 November 1901) was a painter" says he was born in 1838 and died in 1901."""
        start = claim.start - sentence.offset
        for match in _LIFESPAN_RE.finditer(sentence.text):
            for end, words in ((1, _BIRTH_WORDS), (2, _DEATH_WORDS)):
                if match.start(end) <= start < match.end(end) and any(self._stem(w) in read.predicate for w in words):
                    return True
        return False

    def _said(self, text: str, read: _Question) -> float:
        """The weight of the question's terms that ``text`` itself says (its passage not counted)."""
        stems = self._said_stems(text, read)
        return sum(w for t, w in read.weights.items() if _has(stems, t))

    def _states_date(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence gives a date of what was asked (or, with no claim read in it, any date); for
        "what day of the week", a weekday."""
        if any(c.kind == "date" for c in sentence.claims):
            return bool(self._date_claims(sentence, read))
        return self._dated(sentence, read)

    def _states_measure(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence gives what a "how long/wide/old" question asks: a figure or a duration; a date
        only for how old (not "how old was X when ...?") or how long (since when), never for how wide or deep."""
        if self._figure_claims(sentence, read) or any(self._is_time_length(c, sentence, read) for c in sentence.claims):
            return True
        if read.shape.measure == "old" and asks_age_at(read.text):
            return self._unread_figure(sentence, read)  # "how old was X when ...?": an age, which no date gives
        if read.shape.measure in _DATED_MEASURES and self._has_date(sentence):
            # a length of time is given by dates only as a span ("closed since 2014"), not by a point ("in 2004")
            return read.shape.measure != "long" or bool(_SPAN_RE.search(sentence.text))
        # no claim read in it: a figure in its text answers only a measure that needs no unit ("how big", "how old")
        unitless = measured_dimensions(read.shape.measure) is None or read.shape.measure in _UNITLESS_MEASURES
        return unitless and self._unread_figure(sentence, read)

    def _is_time_length(self, claim: Claim, sentence: _Sentence, read: _Question) -> bool:
        """True when the claim is a length of time, which "how long" may ask: "ten months", not "3 million years
        ago", a time in the past (unless the question asks "how long ago")."""
        if claim.kind != "duration":
            return False
        after = sentence.text[claim.end - sentence.offset :]
        return not _AGO_RE.match(after) or bool(_AGO_RE.search(read.text))

    def _uses_measure(self, stems: AbstractSet[str], read: _Question) -> bool:
        """True when a text (its ``stems``) uses the adjective of a "how long/wide/..." question."""
        return read.shape.measure is not None and self._stem(read.shape.measure) in stems

    def _states_figure(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence states a figure of the asked sort: a claim of it; or, when no claim was
        read in the sentence at all, a figure in its text (the days and years of a date are not counts)."""
        if self._figure_claims(sentence, read):
            return True
        return self._unread_figure(sentence, read)

    def _unread_figure(self, sentence: _Sentence, read: _Question) -> bool:
        """True when no claim was read in the sentence at all and its text states a figure other than the
        question's own (a sentence whose claims are all dates has no count: "between 9 and 14 October")."""
        return not sentence.claims and _has_figure(self._forms.figures(sentence.text), given=read.shape.numbers)

    def _has_date(self, sentence: _Sentence) -> bool:
        """True when the sentence gives a date or a year."""
        if any(c.kind == "date" for c in sentence.claims):
            return True
        return any(f.kind == "date" for f in self._forms.figures(sentence.text)) or bool(
            re.search(r"\b(1[89]|20)\d\d\b", sentence.text)
        )

    def _dated(self, sentence: _Sentence, read: _Question) -> bool:
        """True when the sentence's text gives what a date question asks for: a weekday for "what day of the
        week", else a date or a year."""
        return _names_weekday(sentence.text) if read.shape.wants_weekday else self._has_date(sentence)

    def _figure_claims(self, sentence: _Sentence, read: _Question) -> list[Claim]:
        """The sentence's claims of the kind of figure asked (percentages for a percentage question), other than
        the figures the question itself gives ("how many of the 527,000 ..." does not ask for 527,000)."""
        if sentence.figures is None:
            sentence.figures = tuple(self._read_figure_claims(sentence, read))
        return list(sentence.figures)

    def _read_figure_claims(self, sentence: _Sentence, read: _Question) -> list[Claim]:
        """What _figure_claims returns, read anew."""
        if read.shape.wants_percent:
            wanted: tuple[str, ...] = ("percent",)
        elif read.shape.wants_money:
            wanted = ("amount",)  # "how much did it cost" is not answered by a count of people
        elif read.shape.wants_count:
            wanted = ("count", "percent")  # "how many Afghans crossed" is not answered by what they paid
        else:
            wanted = ("count", "amount", "percent")
        given = set(read.shape.numbers)
        counted = {self._stem(w) for w in read.shape.counted} - {""}
        found = [
            c
            for c in sentence.claims
            if (_kind_of(c) in wanted or self._counts_its_unit(c, counted)) and figure_digits(c.figure) not in given
        ]
        if read.shape.kind == "measure":
            found = [c for c in found if _measures_what_was_asked(c, read) and self._says_which_size(c, sentence, read)]
        if read.places:
            found = [c for c in found if not self._placed_elsewhere(c, sentence, read)]
        found = [c for c in found if not self._named_only_after_but(c, _own_sentence(sentence, c), read)]
        if read.partitive and found:
            # "how many of the knights were killed?" is not answered by "800 knights": the figure's own clause
            # must say what the question says of the part it counts (of it, what is not a name or figure)
            part = [t for t in read.predicate if t in read.partitive]
            if part:
                found = [c for c in found if self._says_some(_figure_clause(sentence, c), part, read)]
        if sentence.first_part is not None and found:
            found = _not_named_after(found, sentence.first_part, read)
        return found

    def _named_only_after_but(self, claim: Claim, own: str, read: _Question) -> bool:
        """True when the claim's own sentence (``own``) says a name the question asks about only after a "but"
        that follows the figure: what the figure is of was told before the name came in, by way of contrast ("A
        fish ladder was added to the Marrow Ford Barrage in 1994, but none was ever installed at Brenn")."""
        start = claim.start - claim.sentence_start
        if not 0 <= start < len(own):
            return False
        but = _BUT_RE.search(own, start + len(claim.figure))
        if but is None:
            return False
        figures = set(read.shape.numbers)
        names = [a for a in read.anchors if a not in figures]
        before, after = self._stems(own[: but.start()]), self._stems(own[but.end() :])
        return any(_has(after, a) and not _has(before, a) for a in names)

    def _placed_elsewhere(self, claim: Claim, sentence: _Sentence, read: _Question) -> bool:
        """True when the figure's own clause puts it in, at, from or through another place than the question
        does (each preposition read apart: "from Iran" is not "from Pakistan", and says nothing of "in Quetta"),
        and neither its sentence nor the one before it names the asked one: "three constables in Attock" is no
        count of those suspended in Rawalpindi, nor "612 properties in Peshawar" of those frozen in Karachi."""
        clause = _figure_clause(sentence, claim)
        named = [
            (preposition, name)
            for _, preposition, name in _slots(clause)
            if preposition in _PLACE_PREPOSITIONS and not _is_time(name)
        ]
        for preposition in {p for p, _ in read.places}:
            asked = [place for p, place in read.places if p == preposition]
            others = [name for p, name in named if p == preposition]
            if not others or any(self._same_name(name, place) for name in others for place in asked):
                continue
            # the places it names may be parts of the asked one, which it or the sentence before it names
            # ("Punjab has also moved against ... . The department said 2,140 landlords ... in Lahore, ...")
            own = _own_sentence(sentence, claim)
            said = self._said_stems(f"{own} {_sentence_before(sentence, own)}", read)
            if not any(all(_has(said, self._stem(word)) for word in place.split()) for place in asked):
                return True
        return False

    def _counts_its_unit(self, claim: Claim, counted: AbstractSet[str]) -> bool:
        """True when a duration counts the unit the question counts: "how many minutes ...?" asks for a count
        of minutes, which "only 22 minutes" is."""
        if claim.kind != "duration" or not counted:
            return False
        return any(_has(counted, t) for t in self._stems(claim.figure))

    def _says_which_size(self, claim: Claim, sentence: _Sentence, read: _Question) -> bool:
        """True when the claim's own sentence says the figure is the asked size ("30 metres deep", "a depth of"):
        a length is not a depth, width or height unless it says so. A word that says it may be a preposition
        ("140 kilometres across"), which is no content word: it is looked for as written."""
        words = measure_words(read.shape.measure)
        if not words:
            return True
        own = _own_sentence(sentence, claim)
        stems = self._stems(own)
        written = _words_of(own)
        return any(w in written or self._stem(w) in stems for w in words)

    def _kind_match(self, claim: Claim, read: _Question) -> tuple[float, float]:
        """How much of a claim's event, and of what it counts, the question names (0..1 each)."""
        event = self._stems(claim.event)
        what = self._stems(claim.what)
        terms = set(read.terms)
        event_share = sum(1 for s in event if _has(terms, s)) / len(event) if event else 0.0
        named = {s for s in what if _has(terms, s)}
        if len(named) < len(what) and read.counted_kin and self._wordnet is not None:
            # what it counts, in another word for what the question counts ("children" of "how many kids"), as a
            # noun: "cards held by refugees" counts no "holders"
            words = WORD_RE.findall(claim.what)
            named |= {self._stem(w) for w in words if self._wordnet.nouns_of((w,)) & read.counted_kin}
        what_share = len(named & what) / len(what) if what else 1.0
        return event_share, what_share

    def _counts_what_was_asked(self, sentence: _Sentence, read: _Question) -> bool:
        """True when one of the sentence's figures counts what the question counts, or it has figures that
        were not read as claims (then only the sentence-level rules speak)."""
        figures = self._figure_claims(sentence, read)
        claims = [c for c in figures if c.event or c.what]
        if not claims:
            # figures were read in it, but none says what it counts; or none was read, and its text decides
            # (a sentence whose only claims are dates has no count: "between 9 and 14 October" counts nothing)
            return bool(figures) or self._unread_figure(sentence, read)
        counted = {self._stem(w) for w in read.shape.counted}
        for claim in claims:
            event_share, what_share = self._kind_match(claim, read)
            if not self._in_asked_time(claim, sentence, read, of_asked_event=event_share >= KIND_MATCH):
                continue  # a plan is no count of what happened; a figure of another year is not of the one asked
            if not self._says_restriction(claim, sentence, read):
                continue  # a figure for more than "Iran only"
            if self._counts_another_group(claim, sentence, read):
                continue  # "8,40,000 ACC holders" is no count of PoR holders
            # its own clause: not the pair it was found in, nor the list after its colon ("fall into four
            # categories: ACC holders, PoR card holders, ..." does not count PoR card holders)
            clause = _figure_clause(sentence, claim)
            near = self._said_stems(clause, read)
            what = self._stems(claim.what)
            if (
                counted
                and what_share < KIND_MATCH
                and not any(_has(near, c) for c in counted)
                and not self._counts_the_event(claim, read)
            ):
                continue  # it counts something else ("how many of them" names nothing: the predicate decides)
            # what the question says of them ("live" in "how many Afghans live in Iran?", "opposed" in "what
            # percent opposed it?") must be said there too
            predicate = [t for t in read.predicate if not _has(what, t)]
            if claim.event == "be" and _THERE_BE_RE.search(clause):
                # "there were 40 workers on the jetty" says only that they were: it counts those who did something
                # ("how many workers died ...?") only if its clause says all the question says of them
                if all(self._says_some(clause, (t,), read, near) for t in predicate):
                    return True
            elif not predicate or self._says_some(clause, predicate, read, near):
                return True
        return False

    def _says_some(
        self, text: str, terms: Sequence[str], read: _Question, stems: AbstractSet[str] | None = None
    ) -> bool:
        """True when ``text`` (its ``stems``, read with the question's acronyms) says one of ``terms``; the day of
        a date the question gives ("30" of "by April 30") is said only by that date, not by "since Oct 30". A
        term is said in another form of its word too, by WordNet (see WordNet.kin): "a novel by the writer Agathe
        Sorel" says who wrote it, "the author of" is said by "the writer"."""
        stems = self._said_stems(text, read) if stems is None else stems
        asked_days = {str(day) for _, day in read.days}
        for term in terms:
            if term in asked_days:
                if _days_of(self._forms.figures(text)) & read.days:
                    return True
            elif _has(stems, term):
                return True
        kins = [kin for term in terms if (kin := read.kin.get(term))]
        if not kins or self._wordnet is None:
            return False
        lemmas = {lemma for lemma, _ in self._wordnet.lemmas_of(WORD_RE.findall(text))}  # read once, for all terms
        return any(kin & lemmas for kin in kins)

    def _asked_kind(self, claim: Claim, read: _Question, sentence: _Sentence | None = None) -> bool:
        """True when the claim counts what was asked: the question names its event and what it counts
        (or the counted words stand in the claim's sentence), and what happened is not answered by a plan."""
        event_share, what_share = self._kind_match(claim, read)
        # a figure its sentence says something is ("the total cost of the project was 486 million crowns") has no
        # event but being: it answers a question that asks what it is and nothing more ("what was the total cost
        # of the project?", not "how many monks died?" by "there were only 14 monks")
        said_to_be = claim.event == "be" and bool(claim.what) and what_share >= KIND_MATCH
        if said_to_be:
            what = self._stems(claim.what)
            said_to_be = all(_has(what, t) for t in read.predicate)
        if not claim.event:
            return False
        # a figure that counts the asked event in a noun of its verb ("recorded 38,900 returns" for "how many
        # came back?") counts what was asked, whatever verb reports it
        of_event = self._counts_the_event(claim, read)
        if event_share < KIND_MATCH and not said_to_be and not of_event:
            return False
        counted = {self._stem(w) for w in read.shape.counted}
        near = self._said_stems(_figure_clause(sentence, claim), read) if sentence is not None else set()
        if what_share < KIND_MATCH and not any(_has(near, c) for c in counted) and not of_event:
            return False
        if sentence is not None and self._counts_another_group(claim, sentence, read):
            return False
        return self._in_asked_time(claim, sentence, read) and self._says_restriction(claim, sentence, read)

    def _counts_the_event(self, claim: Claim, read: _Question) -> bool:
        """True when what the claim counts is the question's event, in a noun of its verb (see
        _Question.event_kin): "returns" counts "came back", "deaths" counts "died", "voters" counts who voted.
        The verb itself is not such a noun: "38 per cent of those who returned held PoR cards" counts holders."""
        if not claim.what or not read.event_kin or self._wordnet is None:
            return False
        return bool(self._wordnet.nouns_of(WORD_RE.findall(claim.what)) & read.event_kin)

    def _counts_another_group(self, claim: Claim, sentence: _Sentence, read: _Question) -> bool:
        """True when the claim counts a group by a name the question does not say, where the question names
        the group it counts and its clause does not: "8,40,000 ACC holders" is no count of "PoR holders", nor
        "Afghan refugees" of "Iranian refugees" (an acronym its passage spells out with the asked name, "ACC" as
        "Afghan Citizen Card" for "Afghan card holders", is the same name)."""
        asked = {self._stem(w) for w in read.shape.counted} & set(read.anchors)
        if not asked:
            return False
        what = claim.what or self._partitive_antecedent(claim, sentence)
        names = [w for w in WORD_RE.findall(what) if w[:1].isupper() and w.casefold() not in FUNCTION_WORDS]
        named = {self._stem(w) for w in names} - {""}
        if not named or any(_has(named, a) for a in asked):
            return False
        if any(_has(self._said_stems(_figure_clause(sentence, claim), read), a) for a in asked):
            return False  # "1.3 million Afghan refugees who hold PoR cards" counts PoR card holders
        terms = set(read.terms)
        for word in names:
            if _has(terms, self._stem(word)):
                return False  # the question names it too
            spelling = _spelling_of(word, sentence.passage_text) if _ACRONYM_RE.fullmatch(word) else []
            spelled = self._stems(" ".join(spelling))
            if any(_has(spelled, a) for a in asked):
                return False  # "ACC", spelled out "Afghan Citizen Card" in its passage, of "Afghan card holders"
        return True

    @staticmethod
    def _partitive_antecedent(claim: Claim, sentence: _Sentence) -> str:
        """What "of them" counts after a figure that says nothing else of what it counts: what the figure
        before it in its sentence counts ("800,000 ACC holders ..., and that 17,320 of them had left": ACC
        holders); "" when it is no such figure."""
        at = claim.end - sentence.offset
        if not _OF_THEM_RE.match(sentence.text, at):
            return ""
        before = [c for c in sentence.claims if c.what and c.end <= claim.start]
        return max(before, key=lambda c: c.start).what if before else ""

    def _says_restriction(self, claim: Claim, sentence: _Sentence | None, read: _Question) -> bool:
        """True when the claim's own sentence names what "alone"/"only" restricts the question to."""
        if not read.restricted:
            return True
        own = self._said_stems(_own_sentence(sentence, claim), read) if sentence is not None else frozenset()
        return all(_has(own, self._stem(n)) for n in read.restricted)

    def _in_asked_time(
        self, claim: Claim, sentence: _Sentence | None, read: _Question, *, of_asked_event: bool = True
    ) -> bool:
        """True when the claim is of the time the question asks about: that the asked event happened is not
        answered by a plan of it, what will be by no figure of what happened or was estimated (of any event: "how
        many are expected to leave?" is not answered by how many returned), and a question's year ("in 1903") is
        the claim's own: in its sentence, or its as-of date or period."""
        if of_asked_event and read.shape.past and claim.status == "planned":
            return False
        if read.shape.future and claim.status in ("happened", "estimate"):
            return False  # what will be is not what was, whatever it counts
        own = _own_sentence(sentence, claim) if sentence is not None else ""
        if read.months:
            stated = months_named(f"{own} {claim.period or ''}")
            reported = {month} if (month := _iso_month(claim.as_of)) else set()
            if stated and not (stated | reported) & read.months:
                # "arrests in September" is not answered by "arrests in August" (a month may also be when the
                # figure was given: "according to IOM in June")
                return False
        if read.on_days:
            days = _days_of(self._forms.figures(f"{own} {claim.period or ''}")) | _weekdays_dated(own, claim)
            if days and not days & read.on_days:
                return False  # "on 1 November" is not answered by "on Thursday" (2 November) or "1 to 5 November"
        years = read.years
        if not years:
            return True
        if _from_then_on(claim, own, years) and not any(_opens_period_before(read.text, year) for year in years):
            return False  # "how many entrants in 1962?" is not answered by "held since 1962, ... attracts 150"
        # what it says, and the days its sentence gives without their years ("since it reopened on 1 October")
        dated = [c.as_of or "" for c in (sentence.claims if sentence else ()) if _dates_its_sentence(c, claim)]
        said = f"{own} {claim.as_of or ''} {claim.period or ''} {' '.join(dated)}"
        if (
            sentence is not None
            and not claim.period
            and not any(is_year(w) for w in WORD_RE.findall(own))
            and not _NOW_RE.search(own)
        ):
            # a sentence that gives no time of its own ("today" is one) is of the year the sentence before it
            # sets ("The Great Flood of 1911 ... . At Tessin 212 people were killed.")
            before = _sentence_before(sentence, own)
            said += f" {before}"
            if not any(is_year(w) for w in WORD_RE.findall(before)):
                # nor the sentence before: of the year its article's title says it reports on ("Afghanistan
                # absorbed 2.6 million returnees in 2025": "Iran accounted for 1,742,000 returns")
                said += " " + " ".join(_IN_YEAR_RE.findall(sentence.title))
        return all(year in said for year in years)

    def _figures(
        self,
        question: str,
        read: _Question,
        supporting: list[_Sentence],
        passages: Sequence[Passage],
        timings: dict[str, float],
    ) -> tuple[Answer, _Sentence] | None:
        """A quantity answer from claims: the latest figure of the asked kind, then earlier ones, then related
        (with the sentence it leads with)."""
        asked: list[tuple[Claim, _Sentence]] = []
        related: list[tuple[Claim, _Sentence]] = []
        seen: set[tuple[str, int]] = set()
        for sentence in supporting:
            for claim in self._figure_claims(sentence, read):
                if (claim.doc_id, claim.start) in seen:
                    continue
                seen.add((claim.doc_id, claim.start))
                (asked if self._asked_kind(claim, read, sentence) else related).append((claim, sentence))
        if not asked:
            return None
        best_score = max(s.score for _, s in asked)
        asked = [(c, s) for c, s in asked if s.score >= best_score - 2 * RUNNER_UP_GAP]
        asked.sort(key=lambda cs: (_date_key(cs[0].as_of), cs[1].score), reverse=True)
        lead_claim, lead_sentence = asked[0]
        builder = _Builder(passages)
        lead = [builder.statement(lead_sentence, lead_claim, "answer")]
        evidence: list[Statement] = []
        for claim, sentence in asked[1:]:
            if builder.used(sentence):
                continue
            same_period = (claim.as_of or "")[:7] == (lead_claim.as_of or "")[:7]
            if same_period and claim.value != lead_claim.value and claim.doc_id != lead_claim.doc_id and len(lead) < 2:
                lead.append(builder.statement(sentence, claim, "disagrees"))
            elif sum(1 for e in evidence if e.role == "earlier") < MAX_EARLIER:
                evidence.append(builder.statement(sentence, claim, "earlier"))
        related.sort(key=lambda cs: -cs[1].score)
        for claim, sentence in related:
            if sum(1 for e in evidence if e.role == "related") >= MAX_RELATED:
                break
            if not builder.used(sentence):
                evidence.append(builder.statement(sentence, claim, "related", label=_label(claim)))
        return builder.answer(question, tuple(lead), tuple(evidence), lead_claim.as_of, timings), lead_sentence

    def _dates(
        self,
        question: str,
        read: _Question,
        supporting: list[_Sentence],
        passages: Sequence[Passage],
        timings: dict[str, float],
    ) -> tuple[Answer, _Sentence] | None:
        """A date answer: the date the newest supporting article gives, and earlier ones it replaced (with the
        sentence it leads with)."""
        ranked_of = {id(s): found for s in supporting if (found := self._date_claims(s, read))}
        claims_of = {key: [claim for _, claim in ranked] for key, ranked in ranked_of.items()}
        dated = [s for s in supporting if id(s) in claims_of]
        if not dated:
            return None
        best = max(s.score for s in dated)
        close = [s for s in dated if s.score >= best - RUNNER_UP_GAP]
        # the newest article first; of its sentences, the one whose date's own sentence says most of the question
        # (not a date whose sentence relies on its passage for the rest), then the best scored
        close.sort(
            key=lambda s: (
                _date_key(passages[s.passage_index].date),
                ranked_of[id(s)][0][0],  # what its best date's own sentence says
                s.score,
            ),
            reverse=True,
        )
        builder = _Builder(passages)
        lead_sentence = close[0]
        lead_claim = claims_of[id(lead_sentence)][0]
        lead = (builder.statement(lead_sentence, lead_claim, "answer"),)
        evidence: list[Statement] = []
        lead_figures = {c.figure.casefold() for c in claims_of[id(lead_sentence)]}
        for sentence in close[1:]:
            if len(evidence) >= MAX_EVIDENCE or builder.used(sentence):
                continue
            claims = claims_of[id(sentence)]
            claim = claims[0]
            older = _date_key(passages[sentence.passage_index].date) < _date_key(
                passages[lead_sentence.passage_index].date
            )
            differs = not ({c.figure.casefold() for c in claims} & lead_figures)
            evidence.append(builder.statement(sentence, claim, "replaced" if older and differs else "answer"))
        return builder.answer(question, lead, tuple(evidence), lead_claim.as_of, timings), lead_sentence

    def _sentences_answer(
        self,
        question: str,
        read: _Question,
        supporting: list[_Sentence],
        passages: Sequence[Passage],
        timings: dict[str, float],
    ) -> tuple[Answer, _Sentence]:
        """The best supporting sentence as the lead; close runners-up from elsewhere as evidence. Of those close to
        the best, one that says more of what the question says of its names leads ("It replaced the Landlord and
        Tenant Act 1957" before "The Fair Tenancy Act 2011 is a law that ..." for "which law did it replace?")."""
        builder = _Builder(passages)
        predicate = read.predicate
        if predicate and read.english and len(supporting) > 1:  # across languages, words say nothing
            top = supporting[0].score
            close = [s for s in supporting if s.score >= top - LEAD_WINDOW]
            close.sort(key=lambda s: (-sum(1 for t in predicate if _has(s.stems, t, s.heads)), -s.score))
            supporting = close + supporting[len(close) :]  # best first: the close ones are its head
        best = supporting[0]
        lead = (builder.statement(best, self._lead_claim(best, read), "answer"),)
        evidence: list[Statement] = []
        for sentence in supporting[1:]:
            if len(evidence) >= MAX_EVIDENCE - 1 or sentence.score < best.score - RUNNER_UP_GAP:
                break
            if not builder.used(sentence):
                evidence.append(builder.statement(sentence, self._lead_claim(sentence, read), "answer"))
        as_of = lead[0].as_of if read.shape.kind in ("quantity", "measure", "date") else None
        return builder.answer(question, lead, tuple(evidence), as_of, timings), best

    def _lead_claim(self, sentence: _Sentence, read: _Question) -> Claim | None:
        """The claim a sentence answers with, for its as-of date and source (None for plain facts)."""
        if read.shape.kind == "measure":
            # a duration answers "how long", then the figure in the sentence that uses the asked adjective
            durations = [c for c in sentence.claims if c.kind == "duration"]
            found = durations or self._figure_claims(sentence, read)
            if found:
                return max(
                    found,
                    key=lambda c: (
                        self._uses_measure(self._stems(_own_sentence(sentence, c)), read),
                        sum(self._kind_match(c, read)),
                    ),
                )
            if read.shape.measure not in _DATED_MEASURES:
                return None
        if read.shape.kind == "quantity":
            found = self._figure_claims(sentence, read)
            if found:  # the figure whose event and counted thing the question names most
                return max(found, key=lambda c: sum(self._kind_match(c, read)))
        if read.shape.kind in ("date", "measure"):
            return next((c for c in sentence.claims if c.kind == "date"), None)
        return None

    # -- refusing ---------------------------------------------------------------------------
    def _refusal(self, question: str, passages: Sequence[Passage], timings: dict[str, float]) -> Answer:
        """The indexed sources don't say; the question is not echoed (it may carry figures the sources never gave)."""
        return Answer(
            question=question,
            text=REFUSAL_TEXT,
            citations=(),
            refused=True,
            as_of=None,
            backend=BACKEND_NAME,
            timings_ms=timings,
        )


class _Builder:
    """Numbers one citation per article and collects each article's quoted passages."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = passages
        self._numbers: dict[str, int] = {}
        self._quotes: dict[str, list[str]] = {}
        self._first: dict[str, Passage] = {}
        self._used: list[tuple[str, int, int]] = []

    def used(self, sentence: _Sentence) -> bool:
        """True when the sentence overlaps text already quoted from the same document."""
        passage = self._passages[sentence.passage_index]
        start, end = passage.start + sentence.start, passage.start + sentence.end
        return any(doc == passage.doc_id and start < e and s < end for doc, s, e in self._used)

    def statement(self, sentence: _Sentence, claim: Claim | None, role: str, *, label: str | None = None) -> Statement:
        """A statement quoting ``sentence`` (citing its article) with its claim's as-of date and source."""
        passage = self._passages[sentence.passage_index]
        start, end = sentence.start, sentence.end
        if claim is not None and passage.start <= claim.sentence_start and claim.sentence_end <= passage.end:
            own = claim.sentence_start - passage.start, claim.sentence_end - passage.start
            if not _is_dateline(passage.text[own[0] : own[1]]):  # a dateline is quoted with the sentence it dates
                start, end = own  # its own sentence
        text = passage.text[start:end]
        n = self._numbers.setdefault(passage.doc_id, len(self._numbers) + 1)
        self._first.setdefault(passage.doc_id, passage)
        self._quotes.setdefault(passage.doc_id, []).append(text)
        self._used.append((passage.doc_id, passage.start + start, passage.start + end))
        return Statement(
            text=text,
            citations=(n,),
            role=role,  # type: ignore[arg-type]
            as_of=claim.as_of if claim is not None else None,
            reported=passage.date,
            who=(claim.who if claim is not None and claim.who else passage.source),
            label=label,
        )

    def answer(
        self,
        question: str,
        lead: tuple[Statement, ...],
        evidence: tuple[Statement, ...],
        as_of: str | None,
        timings: dict[str, float],
    ) -> Answer:
        """The answer with one citation per article, in number order."""
        citations = []
        for doc_id, n in self._numbers.items():
            passage = self._first[doc_id]
            quotes = tuple(dict.fromkeys(self._quotes[doc_id]))
            citations.append(
                Citation(
                    n=n,
                    doc_id=doc_id,
                    title=passage.title,
                    source=passage.source,
                    date=passage.date,
                    url=passage.url,
                    quote=quotes[0],
                    quotes=quotes,
                    verbatim=passage.verbatim,
                    kind=passage.kind,
                    outlets=passage.outlets,
                )
            )
        statements = [*lead, *evidence]
        return Answer(
            question=question,
            text="\n".join(f"{' '.join(s.text.split())} [{s.citations[0]}]" for s in statements),
            citations=tuple(sorted(citations, key=lambda c: c.n)),
            refused=False,
            as_of=as_of if as_of else max((s.reported for s in lead if s.reported), default=None),
            backend=BACKEND_NAME,
            timings_ms=timings,
            lead=lead,
            evidence=evidence,
        )


# -- small pure helpers --------------------------------------------------------------------------


def _flip(value: tuple[bool, float] | None) -> tuple[float, float]:
    """A (supports, score) pair as numbers for sorting (missing sorts last)."""
    if value is None:
        return (-1.0, float("-inf"))
    return (1.0 if value[0] else 0.0, value[1])


def _read_with(passage: Passage) -> str:
    """A passage's text with its title and source: what it says, and who says it ("per Dawn" is answered by
    Dawn's article, which need not name Dawn)."""
    return f"{passage.title} {passage.source} {passage.text}"


def _spans(passage: Passage) -> list[tuple[int, int]]:
    """The passage's sentence spans (stored at index time, else split now)."""
    return list(passage.sentences) if passage.sentences else split_sentences(passage.text, passage.language)


def _has(stems: AbstractSet[str], term: str, heads: AbstractSet[str] | None = None) -> bool:
    """True when ``term`` is among ``stems``, or one is a prefix (of five letters or more) of the other, or one
    of four letters is the other less an adjective's ending ("west", "western"; "forc", "forcibl"). ``heads``,
    the stems' first five letters (see stem_heads), spares the scan of every stem for a term none of them begins
    like."""
    if term in stems:
        return True
    if len(term) < 4 or term[:1].isdigit():
        return False
    if len(term) == 4:  # "West" in "Western", "Iran" in "Iranian": a name's adjective; "force" in "forcibly"
        return any(term + ending in stems for ending in _SHORT_WORD_ENDINGS)
    if term[4:] in _ADJECTIVE_ENDINGS and term[:4] in stems:
        return True
    if heads is not None and term[:5] not in heads:
        return False  # a prefix of five letters or more shares its first five with the term
    return any(len(stem) >= 5 and (stem.startswith(term) or term.startswith(stem)) for stem in stems)


def _in_context(term: str, in_beside: Mapping[str, bool], neighbours: Sequence[_Sentence]) -> bool:
    """True when one of the question's terms is beside a sentence: in its passage's title, date or source
    (``in_beside``, read once per passage) or in the sentence before or after it."""
    return in_beside[term] or any(_has(n.stems, term, n.heads) for n in neighbours)


def _days_of(figures: Iterable[Figure]) -> set[tuple[int, int]]:
    """The (month, day) of each date among a text's ``figures`` that writes both ("June 30", "30 June",
    "Oct 31st")."""
    return {(f.date[1], f.date[2]) for f in figures if f.date is not None and f.date[2] is not None}


def _days_on(question: str, figures: Sequence[Figure]) -> set[tuple[int, int]]:
    """The (month, day) of each date the question gives (its ``figures``) after "on" ("on 4 July", "on Thursday,
    Nov 2"): the day it asks about as a time, where "since", "by" or "between" give a bound of a span."""
    return {
        (month, day)
        for (_, month, day), before in _dates_with_before(question, figures)
        if day is not None and _ON_DAY_RE.search(before)
    }


def _weekdays_dated(text: str, claim: Claim) -> set[tuple[int, int]]:
    """The (month, day) of each weekday ``text`` names ("on Thursday"), placed by the claim's date (its
    article's): the last such day on or before it, as a report of what happened uses them. A plan's weekday
    ("will open on Monday") and one said "next" lie after it and are not placed."""
    if claim.status == "planned" or not claim.as_of:
        return set()
    try:
        written = datetime.date.fromisoformat(claim.as_of[:10])
    except ValueError:
        return set()
    days = set()
    for match in WEEKDAY_RE.finditer(text):
        if (match.group(1) or "").casefold() == "next":
            continue  # "next Monday"
        back = (written.weekday() - WEEKDAYS.index(match.group(2).casefold())) % 7
        day = written - datetime.timedelta(days=back)
        days.add((day.month, day.day))
    return days


def _states_another_year(text: str, read: _Question) -> bool:
    """True when the question asks about a year and ``text`` states years, none of them that one."""
    asked = set(read.years)
    if not asked:
        return False
    said = {figure_digits(w) for w in WORD_RE.findall(text)}
    said = {n for n in said if is_year(n)}
    return bool(said) and not said & asked


def _joined_with_another(name: str, text: str) -> bool:
    """True when ``text`` joins the name to another one ("Pakistan and Iran", "Iran or Pakistan")."""
    word = re.escape(name)
    other = r"[A-Z][\w’'-]+"
    return bool(
        re.search(rf"\b(?i:{word})\w*\s*(?:,|and|or|&)\s*(?:the\s+)?{other}", text)
        or re.search(rf"\b{other}\s*(?:,|and|or|&)\s*(?:the\s+)?(?i:{word})\b", text)
    )


_THERE_BE_RE = re.compile(r"\bthere\s+(?:is|are|was|were|(?:has|have|had)\s+been|will\s+be)\b", re.I)
_OF_THEM_RE = re.compile(r"\s+of\s+(?:them|these|those)\b", re.I)
_PEAK_RE = re.compile(r"\bpeak(?:s|ed|ing)?\b", re.I)


def _other_rank(read: _Question, text: str) -> bool:
    """True when ``text`` ranks only otherwise than the question: another ordinal ("first" for "second"), no
    ordinal for one past the first ("the second instalment"), or only the other end of a scale the question asks
    about ("most" for "fewest", "largest" for "smallest")."""
    if read.ordinals:
        said = ordinals(text) | _lasts(text)
        if not read.ordinals & said and (said or read.ordinals - {"first", "last"}):
            # "first" is not "second", nor "last"; and "the second instalment" is not answered by a text that does
            # not say which ("first" and "last" may go unsaid: "when did X first visit Y?", "when was it last
            # used?" are often answered without them)
            return True
    if not read.ends:
        return False
    ranked = not read.ordinals and not _GROUP_RE.search(read.text)  # "among the oldest" is a group, not a rank
    if (
        ranked
        and any(degree(m.group(1)) & read.ends for m in _RANKED_RE.finditer(text))
        and not degree(_RANKED_RE.sub(" ", text)) & read.ends
    ):
        # "the oldest" is not "the second oldest", unless the text says the oldest too ("Its highest peak, Mount
        # Ardis, ... the second-highest summit in the country")
        return True
    said = degree(text)
    if _PEAK_RE.search(text):  # "traffic peaked in the 1920s": the high end of whatever scale was asked
        said |= {other_end(end) if end.endswith("-") else end for end in read.ends}
    return any(other_end(end) in said and end not in said for end in read.ends)


def _lasts(text: str) -> set[str]:
    """{"last"} when ``text`` ranks something last ("it was last used in 1908"), not when it dates it ("last
    year", "last May")."""
    for match in _LAST_RE.finditer(text):
        following = match.group(1)
        if not following or following.casefold() not in _DATING_AFTER_LAST:
            return {"last"}
    return set()


def _measures_what_was_asked(claim: Claim, read: _Question) -> bool:
    """True when the claim's unit measures what the question asks: "1,620 kilograms" is no width, and a figure
    without a unit ("a population of 1.8 million") measures no depth; only "how old" (or "how big", of any
    kind) is answered without one."""
    allowed = measured_dimensions(read.shape.measure)
    if allowed is None:
        return True
    dimension = unit_dimension(_unit_word(claim))
    if dimension is None:
        return read.shape.measure in _UNITLESS_MEASURES
    return dimension in allowed


def _specificity(word: str) -> float:
    """How much a word of the question says, by how common it is in English: 1 for rare and specific words
    ("manhandling", "ceasefire"), down to SPECIFICITY_FLOOR for everyday ones ("job", "side", "run"), which a
    source often says in other words. Rarity among the passages (IDF) is multiplied by it."""
    zipf = english_frequency(word)  # a year is as common as an everyday word; a long figure is unseen (0)
    return min(1.0, max(SPECIFICITY_FLOOR, (SPECIFICITY_COMMON - zipf) / SPECIFICITY_SPAN))


def _not_named_after(claims: list[Claim], first: _Sentence, read: _Question) -> list[Claim]:
    """Of a pair's ``claims``, those its first sentence (``first``) may give for the question: a figure of the
    first sentence does not mean a name that only the second gives ("It receives about 1.4 million visitors a
    year. A second protected area, the Ormund Nature Reserve, was created ..." does not count the reserve's
    visitors), as a sentence does not mean a name its passage gives only after it (see _named_by)."""
    names = [a for a in read.anchors if a not in read.shape.numbers]
    if all(_has(first.stems, a, first.heads) or first.anchored.get(a) for a in names):
        return claims
    end = first.offset + len(first.text)
    return [c for c in claims if c.start >= end]


def _kind_of(claim: Claim) -> str:
    """A claim's kind, with a count of a currency ("410 million crowns") read as the amount it is."""
    if claim.kind == "count" and is_currency(_unit_word(claim)):
        return "amount"
    return claim.kind


def _unit_word(claim: Claim) -> str:
    """The first word of what a claim counts: its unit when it has one ("kilometres", "crowns")."""
    words = claim.what.split()
    return words[0] if words else ""


def _restricted_names(question: str, names: Collection[str]) -> list[str]:
    """The question's names that "alone"/"only" restricts ("Iran only", "only from Iran", "Iran alone")."""
    found = [m.group(1) for m in _RESTRICTED_BEFORE_RE.finditer(question)]
    found += [m.group(1) for m in _RESTRICTED_AFTER_RE.finditer(question)]
    return [w.casefold() for w in found if w.casefold() in names]


def _iso_month(iso: str | None) -> int | None:
    """The month of an ISO month or day ("2025-04", "2025-04-17"); None for a year alone."""
    part = (iso or "")[5:7]
    return int(part) if part.isdigit() and 1 <= int(part) <= 12 else None


def _iso_day(iso: str | None) -> tuple[int, int] | None:
    """The (month, day) of an ISO day ("2025-04-17" is (4, 17)); None for a month or year."""
    month = _iso_month(iso)
    part = (iso or "")[8:10]
    return (month, int(part)) if month and len(iso or "") == 10 and part.isdigit() else None


def _after_its_time(sentence: _Sentence, read: _Question) -> bool:
    """True when the question asks what happened in a year, or on a date or in a month it gives with its year
    (see _dates_asked), after the sentence's article was written: the article can say what was planned for it,
    not what happened ("What did the court decide at the 8 February 2024 hearing?" is not answered by an article
    of January 2024 that "fixed the next hearing for 8 February 2024")."""
    if not read.shape.past or not sentence.reported:  # (``past`` is never also future)
        return False
    if any(wholly_after(date, sentence.reported) for date in (*read.years, *read.dated)):
        return True
    # a day asked without its year ("at the 15 May hearing") is the day the sentence writes with one: "until the
    # next hearing of their petition on 15 May 2025", in an article written before it, did not say what it ruled
    for claim in sentence.claims if read.yearless else ():
        if _kind_of(claim) != "date" or _iso_day(claim.as_of) not in read.yearless:
            continue
        if claim.as_of and wholly_after(claim.as_of, sentence.reported):
            return True
    return False


# "how many of the X <verb> ...", "what share of them ...": a count of a part of a group, what is said of the part
# after the auxiliary that begins it; an attribution after it ("according to IOM", ", per UNHCR") says nothing of it
_PARTITIVE_RE = re.compile(
    r"\b(?:how\s+many|what\s+(?:share|percent(?:age)?|proportion|fraction))\s+of\s+(?:the|those|these|them)\b"
    r".*?\b(?:were|was|had|have|has|are|is|did|do|does|got|get)\b(?P<part>.*)",
    re.I,
)
_ATTRIBUTION_RE = re.compile(r"(?:,|\baccording\s+to\b|\bper\b|\bsays?\b|\bsaid\b).*$", re.I)


def _partitive_words(question: str) -> list[str]:
    """The words of what a question that counts a part of a group says of that part: "how many of the afghans
    detained in punjab had no documents at all" -> no, documents, at, all (the group, "afghans detained in
    punjab", is what the part is counted of, not what it is). No words for other questions, nor for those whose
    part begins with no auxiliary ("how many of the holders won ...")."""
    match = _PARTITIVE_RE.search(question)
    if not match:
        return []
    return WORD_RE.findall(_ATTRIBUTION_RE.sub("", match.group("part")))


def _dates_asked(question: str, figures: Sequence[Figure] | None = None) -> tuple[str, ...]:
    """The dates the question gives (its ``figures``, read from it when not given) with a year as the time of
    what it asks about ("at the 8 February 2024 hearing", "in March 2025"), as ISO dates as precise as written
    ("2024-02-08", "2025-03"); not a date that bounds a span or is where a change ends ("since 1 April 2025",
    "extended to June 30, 2024"). (Years alone are read as ``_Question.years``.)"""
    return tuple(
        f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        for (year, month, day), before in _dates_with_before(
            question, extract_figures(question) if figures is None else figures
        )
        if year is not None and not _BOUNDED_DATE_RE.search(before)
    )


def _yearless_dates(question: str, figures: Sequence[Figure]) -> frozenset[tuple[int, int]]:
    """The (month, day) of the days the question gives without a year (its ``figures``) as the time of what it
    asks about, after "at", "on", "in" or "during" ("at the 15 May hearing"); not a day that names what it dates
    ("announced the 1 September deadline"), nor one that bounds a span ("since 1 April")."""
    return frozenset(
        (month, day)
        for (year, month, day), before in _dates_with_before(question, figures)
        if year is None and month and day and _AT_DAY_RE.search(before)
    )


def _dates_with_before(question: str, figures: Sequence[Figure]) -> Iterator[tuple[DateParts, str]]:
    """Each date among the question's ``figures``, with the question's text before it (what makes it a time or
    a bound of a span; none when the figure's text, digits normalised, is not the question's)."""
    for figure in figures:
        if figure.date is not None:
            at = question.find(figure.text)
            yield figure.date, question[:at] if at >= 0 else ""


def _as_names(question: str, names: AbstractSet[str]) -> str:
    """``question`` with the names typed in small letters capitalised ("live in afghanistan" -> "live in
    Afghanistan"), so that its slots are read as a source writes them."""

    def capitalised(match: re.Match[str]) -> str:
        word = match.group(0)
        bare = _bare(word)  # as read_question reads it ("iran's")
        return word[:1].upper() + word[1:] if word[:1].islower() and bare in names else word

    return WORD_RE.sub(capitalised, question)


def _who_verb(question: str) -> str:
    """The verb of "who <verb> ...?" as the question writes it ("produced": "managed" is no "manager", "work" no
    verb), or "" when its word after "who" is an auxiliary or a function word ("who is ...")."""
    asked = _WHO_VERB_RE.match(question)
    if not asked or asked.group(1) in AUXILIARY_VERBS or is_function_word(asked.group(1)):
        return ""
    return asked.group(1).casefold()


def _who_object(question: str) -> list[str]:
    """The words after the verb of "who <verb> ...?", past an article, up to the first function word: what it
    asks was done to ("feral cats" of "who introduced feral cats to Hollum?")."""
    asked = _WHO_VERB_RE.match(question)
    if not asked:
        return []
    words: list[str] = []
    for word in WORD_RE.findall(question[asked.end(1) :]):
        if ordinals(word) or (not words and word.casefold().endswith("ly")):
            continue  # "who first described ...", "who finally signed ...": not what it was done to
        if is_function_word(word):
            if words or word.casefold() not in ("the", "a", "an"):
                break
            continue
        words.append(word)
    return words


def _bare(word: str) -> str:
    """A word as the question's words are compared: lower-cased, without a possessive ("Iran's" -> "iran")."""
    return word.casefold().replace("’", "'").removesuffix("'s")


def _slots(text: str) -> list[tuple[str, str, str]]:
    """The (word, preposition, name) of each "mayor of Harrowgate", "returns from Iran" in ``text``: a content
    word, then of/from/in/at/for/through/via, then a capitalised name (each of "from Pakistan and Iran"); and of
    each verb's -ing form right before a name, with no preposition ("allowing Ostland to keep": "allowing
    Meridan" puts another name in its slot)."""
    found: list[tuple[str, str, str]] = []
    for match in _SLOT_RE.finditer(text):
        head, preposition = match.group(1), match.group(2).casefold()
        if head[:1].isupper():
            # where a movement went may stand between it and where it came from: "returning to Afghanistan
            # from Pakistan" is "returning from Pakistan"
            went = _WENT_TO_RE.search(text, max(0, match.start() - _WENT_TO_REACH), match.start())
            head = went.group(1) if went else head
        if head.casefold() in FUNCTION_WORDS or head[:1].isupper():
            continue
        found.extend((head.casefold(), preposition, name) for name in _JOINED_RE.split(match.group(3)) if name)
    for match in _VERB_SLOT_RE.finditer(text):
        head = match.group(1)
        if head.casefold() not in FUNCTION_WORDS:
            found.extend((head.casefold(), "", name) for name in _JOINED_RE.split(match.group(2)) if name)
    return found


def _spelled_out(text: str, acronyms: Sequence[str]) -> frozenset[str]:
    """Those of ``acronyms`` (lower-cased) that ``text`` spells out: the initials of capitalised words in a row
    ("International Union for Conservation of Nature" is IUCN, "Proof of Registration" is PoR)."""
    wanted = set(acronyms)
    found: set[str] = set()
    for match in _CAPITALISED_RUN_RE.finditer(text):
        run = match.group(0).split()
        for first in range(len(run) - 1):
            words = run[first:]
            if not words[0][0].isupper():
                continue
            initials = "".join(w[0] for w in words).casefold()  # with its small words: PoR
            capitals = "".join(w[0] for w in words if w[0].isupper()).casefold()  # without them: IUCN
            for letters in (initials, capitals):
                found |= {letters[:n] for n in range(2, len(letters) + 1)} & wanted
    return frozenset(found)


def _acronyms_of(question: str, words: Sequence[str], passages: Sequence[Passage]) -> list[str]:
    """The question's acronyms as the sources write them: those it types ("IUCN", "PoR"), and words it types in
    small letters that the passages write as acronyms ("acc" for ACC)."""
    found = list(dict.fromkeys(_ACRONYM_RE.findall(question)))
    typed = {w.casefold() for w in found}
    wanted = {w for w in words if w not in typed and 2 <= len(w) <= 6 and w.isalpha()}
    if not wanted:
        return found
    written: dict[str, str] = {}  # each acronym of the passages, by its small letters: the first way it is written
    for passage in passages:
        for acronym in _ACRONYM_RE.findall(passage.text):
            written.setdefault(acronym.casefold(), acronym)
    # a word the passages never write in small letters, nor as an acronym, that the initials of a name of theirs
    # spell ("kp" for "Khyber Pakhtunkhwa", "eu" for "European Union"): the acronym of that name, in capitals
    unwritten = {w for w in wanted if w not in written and w not in FUNCTION_WORDS}
    if unwritten:
        unwritten &= _initials_of_names([f"{p.title}. {p.text}" for p in passages])
    for word in sorted(unwritten):
        if not any(re.search(rf"\b{word}\b", p.text) for p in passages):  # never written in small letters
            written[word] = word.upper()
    return found + [written[w] for w in words if w in wanted and w in written]


def _name_runs(question: str, names: AbstractSet[str]) -> list[list[str]]:
    """The question's names of several words: runs of adjacent words (with only spaces between) it names."""
    wanted = {n.casefold() for n in names}
    runs: list[list[str]] = [[]]
    for match in re.finditer(rf"{WORD_RE.pattern}|\S", question):
        word = match.group(0)
        spaced = match.start() > 0 and question[match.start() - 1].isspace()
        if word.casefold() in wanted and (spaced or not runs[-1]):
            runs[-1].append(word)
        else:
            runs.append([word] if word.casefold() in wanted else [])
    return [run for run in runs if len(run) >= 2]


def _acronyms_of_names(
    question: str, names: AbstractSet[str], passages: Sequence[Passage]
) -> list[tuple[str, list[str]]]:
    """The acronyms, by their initials, of the question's names of two to six words that a document writes in
    capitals where it also writes the name whole ("KP" and "Khyber Pakhtunkhwa"), each with the name's words."""
    found = []
    for run in _name_runs(question, names):
        if len(run) > 6:
            continue
        acronym = "".join(w[0] for w in run).upper()
        whole = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, run)) + r"(?!\w)", re.I)
        short = re.compile(rf"(?<![\w-]){acronym}(?![\w-])")
        writing = {p.doc_id for p in passages if whole.search(p.title) or whole.search(p.text)}
        if any(p.doc_id in writing and short.search(p.text) for p in passages):
            found.append((acronym, run))
    return found


def _is_whole_word(text: str, match: re.Match[str]) -> bool:
    """True when ``match`` is a whole word of ``text`` as WORD_RE reads words (not part of "Afghan-born")."""
    found = WORD_RE.match(text, match.start())
    starts_word = match.start() == 0 or not WORD_RE.match(text[match.start() - 1])
    return starts_word and found is not None and found.end() == match.end()


def _initials_of_names(texts: Sequence[str]) -> set[str]:
    """The initials, in small letters, of every run of two to six capitalised words in ``texts``, one letter for
    each of its words ("kp" for "Khyber Pakhtunkhwa")."""
    found = set()
    for text in texts:
        for match in _CAPITALISED_RUN_RE.finditer(text):
            letters = "".join(w[0] for w in match.group(0).split() if w[:1].isupper()).casefold()
            found |= {letters[i:j] for i in range(len(letters)) for j in range(i + 2, min(len(letters), i + 6) + 1)}
    return found


def _defined_acronyms(text: str, initials: AbstractSet[str]) -> list[tuple[str, list[str]]]:
    """The acronyms ``text`` defines, with their spellings: "Afghan Citizen Card (ACC)" -> ("ACC", [Afghan,
    Citizen, Card]); only those whose capitals are all among ``initials`` (small letters)."""
    found = []
    for match in _DEFINED_RE.finditer(text):
        acronym = match.group(1)
        if any(ch.isupper() and ch.casefold() not in initials for ch in acronym):
            continue  # a spelling the question cannot have spelled out
        spelling = _spelling_of(acronym, text[max(0, match.start() - 120) : match.start()])
        if spelling:
            found.append((acronym, spelling))
    return found


def _acronym_for(acronym: str, name: str) -> bool:
    """True when ``acronym`` is the initials of the capitalised words of ``name`` ("HRCP" for "Human Rights
    Commission of Pakistan")."""
    if not _ACRONYM_RE.fullmatch(acronym):
        return False
    initials = "".join(w[0] for w in WORD_RE.findall(name) if w[:1].isupper())
    return len(initials) >= 2 and initials.casefold() == "".join(c for c in acronym if c.isupper()).casefold()


def _spelling_of(acronym: str, text: str) -> list[str]:
    """The words that spell ``acronym`` out in ``text`` (its capitals are their initials: "Afghan Citizen Card"
    for ACC, "Proof of Registration" for PoR), each spelling's words once; none when it is not spelled out."""
    wanted = "".join(ch for ch in acronym if ch.isupper()).casefold()
    found: list[str] = []
    for match in _CAPITALISED_RUN_RE.finditer(text):
        run = match.group(0).split()
        for first in range(len(run)):
            capitals = [w for w in run[first:] if w[0].isupper()]
            if len(capitals) >= len(wanted) and "".join(w[0] for w in capitals[: len(wanted)]).casefold() == wanted:
                found.extend(w for w in capitals[: len(wanted)] if w not in found)
                break
    return found


def _is_dateline(text: str) -> bool:
    """True when ``text`` is only a date ("Sat Nov 01 2025"): calendar words and numbers."""
    words = WORD_RE.findall(text)
    return bool(words) and all(w.isdigit() or w.casefold() in _CALENDAR_WORDS for w in words)


def _uses_its_day(sentence: _Sentence, dateline: str) -> bool:
    """True when the sentence after a dateline ("Sat Nov 01 2025") refers to its day: "on Saturday", "today"."""
    if len(sentence.parts) != 2 or sentence.parts[0].strip() != dateline.strip():
        return False
    day = dateline.split()[0].casefold()[:3]  # "sat"; a dateline that opens with its month matches no weekday
    said = _words_of(sentence.parts[1])
    return bool(said & _RELATIVE_DAYS) or any(w in WEEKDAYS and w[:3] == day for w in said)


def _figure_clause(sentence: _Sentence, claim: Claim) -> str:
    """The part of the claim's own sentence between the colons or semicolons around its figure."""
    own = _own_sentence(sentence, claim)
    start = claim.start - claim.sentence_start  # the figure's offset in its own sentence
    if not 0 <= start <= len(own) or len(own) != claim.sentence_end - claim.sentence_start:
        return own  # its own sentence is not in hand (offsets of another text): the whole of it
    left = max(own.rfind(":", 0, start), own.rfind(";", 0, start)) + 1
    rights = [i for i in (own.find(":", start), own.find(";", start)) if i >= 0]
    return own[left : min(rights) if rights else len(own)]


def _leading_words(text: str) -> list[str]:
    """The words of ``text`` without a leading article ("the city of Lisk" -> city, of, Lisk)."""
    words = WORD_RE.findall(text)
    return words[1:] if words and words[0].casefold() in {"the", "a", "an"} else words


def _acts_for(sentence: _Sentence, anchor: str, read: _Question) -> bool:
    """True when the sentence names the capital of the country ``anchor`` is, acting for it (see
    _Question.capitals)."""
    capital = read.capitals.get(anchor)
    if capital is None:
        return False
    for found in capital.finditer(sentence.text):
        before = WORD_RE.findall(sentence.text[max(0, found.start() - 20) : found.start()])
        if not before or before[-1].casefold() not in _PLACE_AFTER:
            return True
    return False


def _sentence_before(sentence: _Sentence, own: str) -> str:
    """The sentence just before ``own`` (``sentence`` or one of its parts) in its paragraph, or "" when it is the
    paragraph's first (a new paragraph sets its own time: "... became a university in 1903.\n\nThe university
    has about 27,400 students"). A passage's first sentence comes after its title."""
    before = sentence.befores.get(own)
    return before if before is not None else _split_before(sentence.passage_text, own)


def _befores(passage: Passage, singles: Sequence[_Sentence]) -> dict[str, str]:
    """Each of a passage's sentences but its first (its stored spans, first written first) to the sentence
    before it in its paragraph, as ``_split_before`` reads it from the title and text without splitting them
    again. The first, which comes after the title, is left to ``_split_before`` when it is asked for."""
    found: dict[str, str] = {}
    for before, single in itertools.pairwise(singles):
        if single.text != singles[0].text:  # a sentence written twice is read where it is first written
            found.setdefault(
                single.text, "" if _PARAGRAPH_BREAK_RE.search(passage.text[before.end : single.start]) else before.text
            )
    return found


def _split_before(text: str, own: str) -> str:
    """The sentence of ``text`` just before ``own`` in its paragraph, split from the text before it."""
    start = text.find(own)
    head = text[max(0, start - 1000) : start] if start > 0 else ""  # a sentence is shorter than this
    spans = split_sentences(head)
    if not spans or _PARAGRAPH_BREAK_RE.search(head[spans[-1][1] :]):
        return ""
    return head[spans[-1][0] : spans[-1][1]]


def _own_sentence(sentence: _Sentence, claim: Claim) -> str:
    """The sentence a claim was read in, out of ``sentence`` (which may be a pair of sentences)."""
    start, end = claim.sentence_start - sentence.offset, claim.sentence_end - sentence.offset
    if 0 <= start < end <= len(sentence.text):
        return sentence.text[start:end]
    return sentence.text


def _claims_in(passage: Passage, start: int, end: int) -> list[Claim]:
    """The passage's claims stated inside ``passage.text[start:end]`` (claims carry document offsets)."""
    low, high = passage.start + start, passage.start + end
    return [c for c in passage.claims if low <= c.start and c.end <= high]


def _has_figure(figures: Iterable[Figure], given: Sequence[str] = ()) -> bool:
    """True when a text's ``figures`` state a count, amount or percentage (a year alone is not one, nor a figure
    in ``given``: the question's own)."""
    for figure in figures:
        if figure_digits(figure.text) in given:
            continue
        if figure.kind == "percent":
            return True
        if figure.kind == "number" and figure.value is not None:
            raw = figure.text.strip()
            if not is_year(raw):
                return True
    return False


def _named_by(
    read: _Question,
    singles: Sequence[_Sentence],
    beside: AbstractSet[str],
    beside_heads: AbstractSet[str],
    anchored: Mapping[str, bool],
) -> list[Mapping[str, bool]]:
    """For each of a passage's sentences (``singles``), which of the question's anchors it may mean without
    saying them: a figure its passage gives anywhere (``anchored``), but a name only when its title, source or
    date gives it (``beside``, with its ``beside_heads``) or its text does by the sentence's end. A sentence
    cannot mean a name given only after it ("A road over the pass was opened in 1934. ... The Skarn Pass,
    further east, ..." does not say when the Skarn Pass road opened)."""
    figures = set(read.shape.numbers)
    if all(a in figures for a in read.anchors):
        return [anchored] * len(singles)  # no name asked: nothing to read in order
    known = set(beside)  # its title, source and date
    heads = set(beside_heads)
    found: list[Mapping[str, bool]] = []
    for single in singles:
        known |= single.stems
        heads |= single.heads or frozenset()
        found.append({a: anchored[a] if a in figures else _has(known, a, heads) for a in read.anchors})
    return found


def _full_names(
    question: str, names: AbstractSet[str], written_as_names: AbstractSet[str]
) -> Iterator[tuple[str, ...]]:
    """The question's runs of two or more names in a row ("Lena Ostrand"), casefolded, whose last word the
    sources write as a name (``written_as_names``): a person's last name, by which an article calls them once it
    has named them in full."""
    run: list[str] = []
    end = 0
    for match in WORD_RE.finditer(question):
        word = _bare(match.group(0))
        if word not in names:
            run = []
            continue
        if run and question[end : match.start()].isspace():
            run.append(word)
        else:
            run = [word]
        end = match.end()
        if len(run) >= 2 and run[-1] in written_as_names:
            yield tuple(run)
        if word != match.group(0).casefold():
            run = []  # a possessive ends the name ("Ostrand's model")


def _is_time(name: str) -> bool:
    """True when a capitalised run is a month or weekday ("April", "Monday"), or begins with one."""
    return name.split()[0].casefold() in _CALENDAR_WORDS


def _places(text: str) -> Iterator[tuple[str, str]]:
    """The (preposition, name) of ``text``'s slots that say where (see _slots): "in", "at", "from", "through"
    or "via" a name that is no month or weekday, and that ends its phrase (a small word, a mark or nothing after
    it): "in the Amnesty survey" names a survey, not a place."""
    for match in _SLOTS_AT_EVERY_WORD_RE.finditer(text):
        preposition, head = match.group(2).casefold(), match.group(1)
        if preposition not in _PLACE_PREPOSITIONS or (head.casefold() in FUNCTION_WORDS and not _is_time(head)):
            continue  # ("in May in Wenmarsh": the month "May" is no modal verb)
        after = WORD_RE.match(text[match.end(3) :].lstrip())
        if after and text[match.end(3) : match.end(3) + 1].isspace() and not is_function_word(after.group(0)):
            continue  # a name that describes what follows it
        for name in _JOINED_RE.split(match.group(3)):
            if name and not _is_time(name):
                yield preposition, name


def _typed_places(question: str) -> Iterator[str]:
    """The words typed in small letters after "in", "at", "from", "through" or "via" ("detained in faisalabad"):
    where a typed question asks of a place, as "in Faisalabad" would (then read as a name). Not a small word
    ("in the"), nor a time: a month or weekday, one joined to it ("mid-september"), or a word before one ("in
    early april", "in late 2023")."""
    for match in _TYPED_PLACE_RE.finditer(question):
        word, after = match.group(1), (match.group(2) or "").casefold()
        if is_function_word(word) or any(part.casefold() in _CALENDAR_WORDS for part in word.split("-")):
            continue
        if after in _CALENDAR_WORDS or after[:1].isdigit():
            continue
        yield word


def _named_another(text: str, run: Sequence[str], last: str) -> bool:
    """True when ``text`` writes the last name of ``run`` (``last``, escaped) after a capitalised word that is
    not the run's, mid-sentence: someone else of that name ("Samuel Orrin" beside "Edmund Orrin")."""
    for match in re.finditer(rf"\b([^\W\d_]+)\s+{last}\b", text, re.I):
        before = match.group(1)
        if before[:1].isupper() and before.casefold() not in run and not _opens_sentence(text, match.start()):
            return True  # (a sentence's first word is capitalised whatever it is: "Later Sollis ...")
    return False


def _may_deny(text: str) -> bool:
    """False when ``text`` has no negation word: substring tests (the word "no" searched for only where its
    letters are) that spare reading the words of most."""
    lowered = text.lower()
    if any(word in lowered for word in _DENIAL_WORDS):
        return True
    return any(word in lowered for word in _NO_WORDS) and bool(_NO_RE.search(lowered))


def _names_weekday(text: str) -> bool:
    """True when ``text`` names a day of the week ("on Friday")."""
    return any(word.casefold() in WEEKDAYS for word in WORD_RE.findall(text))


def _opens_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` of ``text`` is a sentence's or a line's first (after a colon, and after
    closing quotes or brackets): capitalised whatever it is."""
    return start == 0 or bool(_SENTENCE_END_BEFORE_RE.search(text[max(0, start - 4) : start]))


def _named_nouns(text: str) -> Iterator[tuple[str, str]]:
    """The (name, noun) of each name ``text`` says before a noun after "the" ("the Belmaris copy"), or as its
    owner ("Carrow's case map"); not a month or weekday ("the May deadline"), nor before a small word ("the
    Taliban and" says no noun)."""
    for pattern in (_NAMED_NOUN_RE, _OWNED_NOUN_RE):
        for match in pattern.finditer(text):
            if not is_function_word(match.group(2)) and not _is_time(match.group(1)):
                yield match.group(1), match.group(2)


def _without_attribution(text: str) -> str:
    """``text`` without who said it (see _SAID_BY_RE)."""
    return _SAID_BY_RE.sub(" ", text)


def _dates_its_sentence(other: Claim, claim: Claim) -> bool:
    """True when ``other`` is a date read in the same sentence as ``claim``."""
    return other.kind == "date" and other.sentence_start == claim.sentence_start


def _years_its_dates_mean(sentence: _Sentence, years: Sequence[str]) -> list[str]:
    """Which of ``years`` a date of the sentence means without writing it: "since the plan came into force on
    November 1" in an article of January 2024 means 1 November 2023."""
    dates = [c.as_of for c in sentence.claims if c.kind == "date" and c.as_of]
    return [year for year in years if any(date.startswith(year) for date in dates)]


def _from_then_on(claim: Claim, own: str, years: Sequence[str]) -> bool:
    """True when the claim gives the asked years only as the start of a period that runs on to when it was
    written ("since 1962"), not as its own time: its sentence states them nowhere else, nor is it dated in them."""
    period = claim.period or ""
    if period.split(" ", 1)[0].casefold() not in OPEN_PREPS:
        return False
    rest = own.replace(period, " ")
    return not any(year in rest or (claim.as_of or "").startswith(year) for year in years)


def _opens_period_before(question: str, year: str) -> bool:
    """True when the question itself counts from some time on before it says ``year`` ("since 1962", "since
    the plan started in oct 2023")."""
    opening = _OPEN_PREP_RE.search(question)
    return opening is not None and re.search(rf"\b{year}\b", question[opening.end() :]) is not None


def _capitalised_words(text: str) -> Iterator[re.Match[str]]:
    """The capitalised words mid-sentence of ``text`` (a sentence's first word is capitalised whatever it is), but
    not a currency's code written before its figure ("set aside Rs 150 million" names no one)."""
    for match in WORD_RE.finditer(text):
        start = match.start()
        if (
            match.group(0)[:1].isupper()
            and not _opens_sentence(text, start)
            and not CURRENCY_CODE_BEFORE_FIGURE_RE.match(text, start)
        ):
            yield match


# a lifespan in brackets after a name: "(14 May 1838 – 2 November 1901)", "(1891–1967)"
_LIFESPAN_RE = re.compile(r"\(([^()]*?\d{3,4})\s*[–—-]\s*([^()]*?\d{3,4})\)")
_BIRTH_WORDS = ("born", "birth")  # what a lifespan's first date says, and its second
_DEATH_WORDS = ("die", "died", "death")
_BUT_RE = re.compile(r"\bbut\b", re.I)
_OPEN_PREP_RE = re.compile(rf"\b(?:{'|'.join(sorted(OPEN_PREPS))})\b", re.I)  # a period that runs on ("since")
# who said it, after the words said ("..., Mr Afridi said.") or before them ("According to Mr Afridi, ..."): the
# speaker, not someone the sentence is about; and a question that asks by whose account (which such a speaker answers)
_SAID_BY_RE = re.compile(
    r",\s+(?:[A-Z][\w'’.-]*\s+){1,4}(?:said|says)\b|^\s*According\s+to\s+(?:[A-Z][\w'’.-]*\s*){1,5},"
)
_ASKS_SOURCE_RE = re.compile(r"\b(?:say|says|said|according|per|told|tell|claim|claims|claimed)\b", re.I)


def _new_name_words(text: str, read: _Question) -> Iterator[re.Match[str]]:
    """The capitalised words mid-sentence of ``text`` that the question does not have, in any possessive form
    ("Hartveld's" is the question's "Hartveld")."""
    asked = {_bare(w) for w in read.shape.words}
    return (match for match in _capitalised_words(text) if _bare(match.group(0)) not in asked)


def _new_names(text: str, read: _Question) -> int:
    """How many capitalised words mid-sentence ``text`` has that the question does not."""
    return sum(1 for _ in _new_name_words(text, read))


# a capitalised run after a preposition of place ("on Sheep Street", "in the Orvaal district"): where, not who
_PLACED_RE = re.compile(
    rf"\b(?:in|at|on|near|into|across|outside|inside|through|towards|toward|along|via)\s+(?:the\s+)?"
    rf"{_CAPITALISED}(?:{_JOINED_CAPITALISED})*"
)


# a capitalised run after "the", not after "by" ("from the Tredgar Ironworks", not "kept by the Morwen
# Fellowship"): a thing or a body, which for "who" names no one unless it is the doer (see _has_new_name)
_THING_RE = re.compile(rf"(?<!\bby\s)\b(?i:the)\s+{_CAPITALISED}(?:{_JOINED_CAPITALISED})*")


def _is_agent(word: str) -> bool:
    """True when the first word after "by" may begin who did it: a word, not a figure ("extended by 30 days"), a
    date ("by June") or a small word ("by far", "by then")."""
    return word.isalpha() and word.casefold() not in _CALENDAR_WORDS and not is_function_word(word)


def _has_new_name(text: str, read: _Question) -> bool:
    """True when ``text`` names someone or something (a capitalised word mid-sentence) the question does not:
    not a month or a weekday ("on 9 August"), and, for "who", not a place it puts something in, at or on ("a
    fire on Sheep Street destroyed the guildhall" names no one who designed it), nor a thing it names with "the"
    mid-sentence ("its lamp came from the Tredgar Ironworks" names no one who built the lighthouse: a person's
    name takes no article), unless after "by", which names who did something ("kept by the Morwen Fellowship"),
    or as the sentence's first words, its subject ("The Interior Ministry said ...")."""
    placed: list[tuple[int, int]] = []
    if read.shape.kind == "who":
        placed = [m.span() for m in _PLACED_RE.finditer(text)]
        placed += [m.span() for m in _THING_RE.finditer(text) if not _opens_sentence(text, m.start())]
    return any(
        match.group(0).casefold() not in _CALENDAR_WORDS and not any(a <= match.start() < b for a, b in placed)
        for match in _new_name_words(text, read)
    )


def _defines(text: str, words: Sequence[str]) -> float:
    """How plainly ``text`` defines one of ``words``: 1 for an expansion ("Long Name (X)", "X (long name)"),
    0.5 for "X is/was ..." or "X, a ...", else 0."""
    best = 0.0
    for word in words:
        w = re.escape(word)
        if re.search(rf"\(\s*{w}s?\s*\)|\b{w}s?\s*\(", text, re.I):
            return 1.0
        if re.search(rf"\b{w}s?\s+(is|was|are|were|refers|means|stands)\b|\b{w}s?,\s+(a|an|the)\b", text, re.I):
            best = 0.5
    return best


def _label(claim: Claim) -> str:
    """What a related figure counts instead, for its label: its event, and "planned" when it is not done yet."""
    event = claim.event or "other"
    return f"{event} (planned)" if claim.status == "planned" else event


def _words_of(text: str) -> frozenset[str]:
    """The words of ``text``, in small letters."""
    return frozenset(word.casefold() for word in WORD_RE.findall(text))


# a date right after a word, or after the word and a preposition: "the storm of 3 March 1953", "the week ending
# 14 November", "the survey of 1974" (the day and month of a day, a month with its year, or a year alone)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_SLOT_RE = re.compile(
    rf"\b([a-z][\w'’-]+)\s+(?:(?:of|in|on|from|ending|during)\s+)?(?:the\s+)?"
    rf"(\d{{1,2}}\s+(?:{_MONTH_NAMES})|(?:{_MONTH_NAMES})\s+\d{{1,2}}\b|(?:{_MONTH_NAMES})\s+\d{{4}}"
    rf"|\b1\d{{3}}\b|\b20\d{{2}}\b)",
    re.I,
)


def _date_slots(text: str) -> list[tuple[str, frozenset[str]]]:
    """The (word, date) of each date ``text`` gives right after a word (see _DATE_SLOT_RE), the date as its words
    in small letters ({"3", "march"}); not after a small word or a month ("on 3 March", "in May 1953")."""
    found = []
    for match in _DATE_SLOT_RE.finditer(text):
        word = match.group(1).casefold()
        if word not in FUNCTION_WORDS and word not in _CALENDAR_WORDS:
            found.append((word, _words_of(match.group(2))))
    return found


def _names_anything(text: str, read: _Question) -> bool:
    """True when ``text`` names something the question does not (see _has_new_name), or opens with a capitalised
    word the question does not have that is no small word ("Western storms closed the locks" answers "which
    storms from the West ...?")."""
    if _has_new_name(text, read):
        return True
    first = WORD_RE.search(text)
    if first is None or not first.group(0)[:1].isupper():
        return False
    word = first.group(0).casefold()
    return not is_function_word(word) and word not in read.shape.words and word not in _CALENDAR_WORDS


def _faces_the_other_way(text: str, read: _Question) -> bool:
    """True when ``text`` names the other point of the compass from one the question names, and not that one:
    "on north-facing cliffs" for "why does it grow on south-facing cliffs?"."""
    said = directions(text)
    return any(OPPOSITE_DIRECTIONS[d] in said and d not in said for d in read.directions)


__all__ = ["BACKEND_NAME", "REFUSAL_TEXT", "ExtractiveAnswerer"]
