"""WordNet's opposites as the answerer reads them (bot/answering/wordnet.py), from the installed database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.wordnet import WordNetMissingError, find_directory, load


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
