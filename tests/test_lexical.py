"""The lexical side per script: BM25 tokens, Arabic-script forms and digits, no English spelling fixes of others."""

from __future__ import annotations

from pathlib import Path

import Stemmer

from index.search import BM25Index, SpellingCorrector, fuse_rankings, lexical_tokens
from index.text import english_words, lexical_form

STEMMER = Stemmer.Stemmer("english")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
URDU = "سروے: 84 فیصد افراد کے خیال میں غیر قانونی طور پر رہنے والے افغانوں کو ملک سے جانے کا کہنا درست اقدام ہے"
TEXTS = [
    "Pakistan has deported 527,000 Afghans; deportations continued through the Torkham crossing.",
    URDU,
    "The cabinet extended Proof of Registration cards until June 30, 2024.",
    "گیلپ پاکستان نے 750 سے زائد افراد سے ان کی رائے معلوم کی۔",
]


def test_english_words_are_stemmed_and_urdu_words_are_not() -> None:
    english, urdu = lexical_tokens(TEXTS[:2], STEMMER)
    assert "deport" in english and "deportations" not in english and "the" not in english
    assert {"افغانوں", "اقدام", "فیصد"} <= set(urdu)  # as written: the English stemmer never cuts them
    assert english == [STEMMER.stemWord(w) for w in english]


def test_arabic_and_persian_letter_forms_and_digits_read_alike() -> None:
    assert lexical_tokens(["۸۴ فیصد"], STEMMER) == lexical_tokens(["84 فیصد"], STEMMER) == [["84", "فیصد"]]
    assert lexical_tokens(["٨٤"], STEMMER) == [["84"]]
    assert lexical_form("كيا") == lexical_form("کیا")  # Arabic kaf/yeh and Persian-Urdu kaf/yeh
    assert lexical_form("مُہاجِرین") == lexical_form("مہاجرین")  # vowel marks are not letters
    assert lexical_form("افغـــان") == "افغان"  # nor is the tatweel


def test_bm25_finds_a_figure_written_in_urdu_digits() -> None:
    index = BM25Index(TEXTS, STEMMER)
    assert index.search("۸۴ فیصد", 4)[0] == 1
    assert index.search("٧٥٠ افراد", 4)[0] == 3
    assert index.search("deported Afghans", 4)[0] == 0
    assert index.search("Proof of Registration کارڈ", 4)[0] == 2


def test_the_speller_fixes_english_typos() -> None:
    speller = SpellingCorrector(TEXTS, STEMMER)
    assert speller.correct("deportatoins through Torkam") == "deportations through torkham"


def test_the_speller_fixes_one_wrong_letter_in_a_short_word() -> None:
    # a wrong letter in a word of six letters is a ratio of 5/6, under difflib's cutoff: found as one edit
    speller = SpellingCorrector(["Trucks waited at Chaman, and the police counted them."], STEMMER)
    assert speller.correct("trucks at chamen per the polise") == "trucks at chaman per the police"
    assert speller.correct("trucks at chaaman") == "trucks at chaman"  # a letter too many
    assert speller.correct("trucks at chman") == "trucks at chaman"  # a letter missing


def test_the_speller_never_turns_a_word_into_a_function_word() -> None:
    speller = SpellingCorrector(["Registration cards from the ministry, and what it said."], STEMMER)
    assert speller.correct("por full form") == "por full form"  # not "full from"
    assert speller.correct("whats the card") == "whats the card"  # not "what"


def test_an_english_word_the_corpus_never_uses_is_not_corrected() -> None:
    lexicon = english_words()
    assert "form" in lexicon and "deportatoins" not in lexicon and len(lexicon) > 15_000
    speller = SpellingCorrector(["The forum met at Torkham about deportations."], STEMMER, lexicon)
    assert speller.correct("full form of deportatoins at Torkam") == "full form of deportations at torkham"


def _seed_speller() -> SpellingCorrector:
    return SpellingCorrector([path.read_text(encoding="utf-8") for path in sorted(SEEDS.iterdir())], STEMMER)


def test_the_speller_leaves_roman_urdu_alone() -> None:
    speller = _seed_speller()
    for question in (
        "IOM ne wapas aane wale kitne Afghanon ki madad ki?",  # "Afghanon" is one edit from the corpus's "afghan"
        "Pakistan ne kitne Afghan deport kiye hain?",
        "Gallup survey ke mutabiq kitne feesad log samajhte hain?",
    ):
        assert speller.correct(question) == question
    assert speller.correct("How many Afghns were deportd?") == "How many afghans were deported?"


def test_the_speller_leaves_arabic_script_alone() -> None:
    speller = _seed_speller()
    for question in (
        "طورخم سرحد افغان مہاجرین کی واپسی کے لیے دوبارہ کب کھولی گئی؟",  # "واپسی" is close to the corpus's "واپس"
        "د ګیلپ سروې له مخې څو سلنه پاکستانیان وايي؟",
        "چند افغان برگشتند؟",
    ):
        assert speller.correct(question) == question
    assert speller.correct("Torkam سرحد") == "torkham سرحد"


def test_a_minority_script_counts_in_fusion_by_its_share_of_the_corpus() -> None:
    english = [f"Afghan refugees crossed at Torkham on day {i}." for i in range(9)]
    mostly_english = BM25Index([*english, URDU], STEMMER)
    assert mostly_english.weight("How many Afghans returned?") == 1.0
    assert mostly_english.weight("Pakistan ne kitne Afghan deport kiye?") == 1.0  # Latin script
    assert mostly_english.weight("کتنے افغان واپس گئے؟") == 1 / 9
    half = BM25Index([*english[:2], URDU, TEXTS[3]], STEMMER)
    assert half.weight("کتنے افغان واپس گئے؟") == half.weight("How many?") == 1.0
    assert BM25Index([], STEMMER).weight("anything") == 1.0


def test_weighted_fusion_scales_each_ranking() -> None:
    assert fuse_rankings([[1, 2], [2, 3]], k=60, weights=(1.0, 1.0)) == fuse_rankings([[1, 2], [2, 3]], k=60)
    light = fuse_rankings([[1, 2], [3, 4]], k=60, weights=(1.0, 0.1))
    assert [item for item, _ in light] == [1, 2, 3, 4]  # unweighted, 3 would tie with 1
    assert abs(dict(light)[3] - 0.1 / 61) < 1e-12
