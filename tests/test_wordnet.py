"""WordNet's opposites as the answerer reads them (bot/answering/wordnet.py), from the installed database."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.answering.wordnet import LEMMA_MEMO_SIZE, WordNetMissingError, find_directory, load


def test_the_database_is_installed() -> None:
    # `make install` puts WordNet in the virtualenv when the system has none: the answerer needs it
    assert find_directory() is not None


def test_a_word_is_read_by_its_lemmas() -> None:
    wordnet = load()
    assert ("fall", "v") in wordnet.lemmas("fell")  # an irregular form, from WordNet's exception lists
    assert ("deny", "v") in wordnet.lemmas("denied")  # a regular ending
    assert ("female", "n") in wordnet.lemmas("female's")  # a possessive
    assert wordnet.lemmas("Quarnby") == frozenset()


def test_plain_opposites_between_common_senses() -> None:
    wordnet = load()
    said, opposite = wordnet.opposites("failure")
    assert ("success", "n") in opposite and "failure" in said
    assert ("deny", "v") in wordnet.opposites("admitted")[1]
    assert ("slow", "a") in wordnet.opposites("faster")[1]
    assert ("upwind", "r") in wordnet.opposites("downwind")[1]
    # what a sentence that says the word has: its derived words too ("admission" says "admit")
    assert "admission" in wordnet.opposites("admit")[0]


@pytest.mark.parametrize(
    "word",
    [
        "start",  # "stop" is its opposite only in its eighth sense
        "gave",  # "take" only in its third
        "arrived",  # a verb of motion: arriving in Kabul is leaving Pakistan
        "sold",  # a verb of possession: selling to someone is their buying
        "mutable",  # "immutable": a negating prefix
        "never",
    ],
)
def test_no_opposite_of_a_rare_sense_an_events_two_sides_or_a_prefix(word: str) -> None:
    assert load().opposites(word) == (frozenset(), frozenset())


def test_a_missing_database_is_a_named_error(tmp_path: Path) -> None:
    assert find_directory([tmp_path]) is None
    with pytest.raises(WordNetMissingError):
        load(tmp_path)


def test_a_words_kin_are_its_lemma_derived_words_and_commonest_synonyms() -> None:
    wordnet = load()
    assert {"write", "writer", "writing"} <= wordnet.kin("wrote")
    assert "writer" in wordnet.kin("author")  # the commonest sense's other word
    assert "elevation" not in wordnet.kin("length")
    assert wordnet.kin("Quarnby") == frozenset()


def test_a_verbs_forms_are_its_lemmas_and_their_irregular_forms() -> None:
    wordnet = load()
    assert {"lose", "lost"} <= wordnet.verb_forms("lose")
    assert {"win", "won"} <= wordnet.verb_forms("won")  # from an irregular form to its lemma and back
    assert "lost" not in wordnet.verb_forms("loss")  # a noun has no verb forms
    assert wordnet.verb_forms("Quarnby") == frozenset()


def test_a_word_and_the_word_after_it_may_be_one_multiword_verb() -> None:
    wordnet = load()
    assert wordnet.phrasal("fall", "into") and wordnet.phrasal("gave", "up")  # any form of its verb
    assert not wordnet.phrasal("fall", "by") and not wordnet.phrasal("Quarnby", "into")


def test_a_multiword_verbs_kin_are_what_the_two_words_mean_together() -> None:
    wordnet = load()
    assert "return" in wordnet.phrasal_kin("came", "back")  # "came back": come_back, return
    assert "return" not in wordnet.phrasal_kin("set", "out") and "return" not in wordnet.kin("came")
    assert wordnet.phrasal_kin("came", "from") == frozenset() and wordnet.phrasal_kin("Quarnby", "back") == frozenset()


def test_words_read_as_nouns_give_their_noun_lemmas() -> None:
    wordnet = load()
    assert wordnet.nouns_of(["returns", "voters"]) == {"return", "voter"}
    assert wordnet.nouns_of(["returned", "came"]) == frozenset()  # verbs only


def test_the_lemma_memo_stays_at_its_bound_and_answers_past_it() -> None:
    # a small memo, filled past its bound many times over with words read from WordNet itself: it holds no more
    # than its bound, and every word read after an eviction is read as a memo-less lookup reads it
    shipped = load()
    assert shipped.memo_size == LEMMA_MEMO_SIZE
    bound = 64
    wordnet = dataclasses.replace(shipped, memo_size=bound)
    plain = dataclasses.replace(shipped, memo_size=0)  # no memo: every lookup read anew
    words = sorted({lemma for lemma, _ in shipped.lemmas_known if lemma.isalpha()})[: bound * 20]
    forms = [f"{word}s" for word in words] + [f"{word}ed" for word in words] + words
    for word in forms + forms[::-1]:
        assert wordnet.lemmas(word) == plain.lemmas(word), word
    info = wordnet.memo_info()
    assert info.currsize == bound and info.misses > bound * 20 and info.hits > 0
    assert plain.memo_info().currsize == 0


def test_the_lemma_memo_is_shared_by_threads_past_its_bound() -> None:
    # eight threads reading 2,000 words each through one memo of 100: no error, and what a memo-less lookup reads
    wordnet = dataclasses.replace(load(), memo_size=100)
    plain = dataclasses.replace(wordnet, memo_size=0)
    words = sorted({lemma for lemma, _ in wordnet.lemmas_known if lemma.isalpha()})[:2_000]

    def read(offset: int) -> list[frozenset[tuple[str, str]]]:
        return [wordnet.lemmas(words[(offset + k) % len(words)] + "ing") for k in range(len(words))]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(read, [k * 250 for k in range(8)]))
    for offset, found in zip([k * 250 for k in range(8)], results, strict=True):
        assert found == [plain.lemmas(words[(offset + k) % len(words)] + "ing") for k in range(len(words))]
    assert wordnet.memo_info().currsize == 100


def test_a_countrys_national_capitals() -> None:
    # from WordNet's instances of "national capital" and what they are part of; a city that is no national
    # capital stands for no country
    capitals = load().capitals
    assert "islamabad" in capitals["pakistan"] and "kabul" in capitals["afghanistan"]
    assert {"tehran", "teheran"} <= capitals["iran"]
    assert not any("karachi" in cities or "lahore" in cities for cities in capitals.values())
