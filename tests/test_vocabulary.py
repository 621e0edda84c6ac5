"""The corpus vocabulary: each word as written, and the words the corpus writes as names."""

from __future__ import annotations

import Stemmer

from index.search import SpellingCorrector
from index.vocabulary import NAME_CAPITALISED_RATIO, NAME_MIN_CAPITALISED, Vocabulary


def test_a_word_capitalised_inside_sentences_often_enough_is_a_name() -> None:
    assert NAME_MIN_CAPITALISED == 2
    once = Vocabulary.of(["The vans went to Quetta on Monday."])
    assert "quetta" not in once.names  # one capitalised use is too few to tell a name from a stray capital
    twice = Vocabulary.of(["The vans went to Quetta on Monday.", "Police in Quetta said so."])
    assert "quetta" in twice.names
    assert twice.names_in("how many vans went to quetta") == frozenset({"quetta"})


def test_a_word_also_written_in_small_letters_is_a_name_only_when_mostly_capitalised() -> None:
    assert NAME_CAPITALISED_RATIO == 3
    at_the_ratio = Vocabulary.of(["It opened in May.", "It shut in May.", "Rain fell in May.", "Prices may rise."])
    assert "may" not in at_the_ratio.names  # 3 capitalised against 1 in small letters: not more than 3 times
    past_it = Vocabulary.of(["In May.", "It shut in May.", "Rain fell in May.", "Snow fell in May.", "A may."])
    assert "may" in past_it.names  # 4 against 1


def test_a_capital_where_any_word_is_capitalised_is_not_counted() -> None:
    starts = Vocabulary.of(["Brisa is a port. Brisa has a harbour.\nBrisa grew.", "KABUL - Brisa said: Brisa"])
    assert "brisa" not in starts.names  # a sentence's or line's start, after a dateline's dash or a colon
    inside = Vocabulary.of(["Ships left for Brisa. The ferry to Brisa, the port of PoR, and PoR cards."])
    assert {"brisa", "por"} <= inside.names  # as written mid-sentence, whatever its other letters


def test_titles_in_title_case_make_no_names_when_the_prose_is_given_apart() -> None:
    texts = ["Vans Sent To Camps Outside Karrow\nNine vans were sent.", "More Vans Sent To Camps\nTwo more went."]
    assert "camps" in Vocabulary.of(texts).names  # read from the titles, their words would be names
    prose = ["Nine vans were sent.", "Two more went."]
    assert not Vocabulary.of(texts, prose=prose).names


def test_the_speller_knows_the_same_words_from_texts_or_from_their_vocabulary() -> None:
    texts = ["Trucks waited at Chaman, and the police counted them.", "Registration cards from the ministry."]
    stemmer = Stemmer.Stemmer("english")
    from_texts = SpellingCorrector(texts, stemmer)
    from_vocabulary = SpellingCorrector([], stemmer, vocabulary=Vocabulary.of(texts))
    for query in ("trucks at chamen", "how many crads", "regstration at the minstry"):
        assert from_texts.correct(query) == from_vocabulary.correct(query)
    assert from_vocabulary.correct("trucks at chamen") == "trucks at chaman"
