"""Reading questions: kinds, names, figures, negation, and which questions are follow-ups (pure, no model)."""

from __future__ import annotations

import pytest

from bot.answering.questions import (
    Turn,
    asks_extreme,
    degree,
    is_currency,
    is_follow_up,
    is_yes_no,
    measure_words,
    measured_dimensions,
    negated_word,
    ordinals,
    parts_beside,
    read_question,
    says_extreme,
    standalone_query,
    unit_dimension,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many Afghans has Pakistan deported?", "quantity"),
        ("What is IOM's figure for returns from Iran?", "quantity"),
        ("What was the official death toll?", "quantity"),
        ("What is the reason for the total ban?", "other"),
        ("What percentage of voters backed the plan?", "quantity"),
        ("When did the bridge open?", "date"),
        ("In what year was the college founded?", "date"),
        ("What is DRIVE?", "definition"),
        ("What does PoR stand for?", "definition"),
        ("Who chaired the meeting?", "who"),
        ("Where does the river meet the sea?", "where"),
        ("Why did the ministry refuse?", "other"),
        ("whats an ACC card", "definition"),  # "whats", "what's": a wh-word and "is", however typed
        ("What's the PoR card?", "definition"),
        ("How long is the river?", "measure"),
        ("What is the number of Afghans deported?", "quantity"),
        ("total number of returns since 2023", "quantity"),
        ("Which spokeswoman said a number of steps were being weighed?", "other"),  # "a number of": several
    ],
)
def test_question_kinds_come_from_the_wh_phrase(question: str, kind: str) -> None:
    assert read_question(question).kind == kind


def test_a_typed_contraction_is_not_a_content_word_but_won_is() -> None:
    assert read_question("whats an ACC card").words == ("acc", "card")
    assert "won" in read_question("How many titles have the Falcons won?").words


def test_names_figures_and_negation() -> None:
    shape = read_question("How many Afghans had Pakistan deported by spring 2024?")
    assert shape.names == ("afghans", "pakistan") and shape.numbers == ("2024",)
    assert "spring" not in shape.words  # a vague time narrows a date; it is not a subject
    assert shape.past and not shape.future and not shape.negated
    assert read_question("Which countries did not sign the treaty?").negated
    assert read_question("How many people will be moved next year?").future
    assert read_question("how many students does castora have").counted == ("students",)
    assert "latest" not in read_question("What is the latest figure for returns?").words


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("What is DRIVE?", False),
        ("What is the capital of Norway?", False),
        ("How many PoR holders are there?", False),
        ("and how many of them returned?", True),
        ("What about ACC holders?", True),
        ("Why?", True),
        ("What did they say?", True),
        ("What does that mean?", True),
        ("افغان شہری کارڈ کیا ہے؟", False),
    ],
)
def test_follow_ups_are_only_questions_that_lean_on_the_last(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


@pytest.mark.parametrize(
    ("question", "asked", "beside"),
    [
        ("Quick question: What is DRIVE?", "What is DRIVE?", ("Quick question:",)),
        ("How many were deported? Please cite your sources.", "How many were deported?",
         ("Please cite your sources.",)),
        ("I read about this in the news. When do PoR cards expire?", "When do PoR cards expire?",
         ("I read about this in the news.",)),
        ("IOM: how many returned in 2024?", "how many returned in 2024?", ("IOM:",)),
        # one part, or every part asks: nothing is beside
        ("According to recent news, how many were deported?", "According to recent news, how many were deported?", ()),
        ("Were PoR cards extended? Until when?", "Were PoR cards extended? Until when?", ()),
        ("Can you tell me: how many were deported?", "Can you tell me: how many were deported?", ()),
        # no part asks
        ("PoR card deadline. Deportations.", "PoR card deadline. Deportations.", ()),
        # the asking part refers back to the statement, which says what it asks about
        ("My card expired last month. Can I renew it?", "My card expired last month. Can I renew it?", ()),
        ("I live in Quetta. Are Afghans arrested there?", "I live in Quetta. Are Afghans arrested there?", ()),
        ("The PoR cards lapsed on April 1. To when were they extended?",
         "The PoR cards lapsed on April 1. To when were they extended?", ()),
    ],
)  # fmt: skip
def test_parts_beside_the_question_are_its_statements_and_fragments(
    question: str, asked: str, beside: tuple[str, ...]
) -> None:
    assert parts_beside(question) == (asked, beside)


def test_standalone_query_joins_only_follow_ups() -> None:
    history = [Turn("What are PoR cards?", "Proof of Registration cards ...")]
    assert standalone_query("What is DRIVE?", history) == "What is DRIVE?"
    assert standalone_query("and how many of them returned?", history) == (
        "What are PoR cards? and how many of them returned?"
    )
    assert standalone_query("and how many of them returned?", []) == "and how many of them returned?"


def test_ranks_are_read_from_english_closed_classes() -> None:
    assert ordinals("Who was the second president?") == {"second"}
    assert ordinals("It began on May 1st.") == set()  # a date's day ranks nothing
    assert degree("the most common worry") == {"magnitude+"}
    assert degree("the fewest cases") == {"magnitude-"}
    assert degree("the highest annual total") == {"magnitude+"}  # how much, however it is said
    assert degree("Where do plates move most slowly?") == {"speed-"}
    assert degree("the least abundant") == {"magnitude-"}
    assert asks_extreme("Which country deported the most Afghans?") and asks_extreme("the fewest cases?")
    assert not asks_extreme("What do most Pakistanis think?")  # a majority, not an end of a scale
    assert says_extreme("the deadliest flood") and says_extreme("fines of up to 5,000 crowns")
    assert not says_extreme("plates move slowly over the mantle")
    assert degree("more than 500 people left, at least 20 of them children") == set()  # hedges of a figure
    assert degree("more than half a million returned") == set()
    assert degree("about 30 per cent more than the original estimate") == {"magnitude+"}  # compares, hedges nothing


def test_units_are_read_by_what_they_measure() -> None:
    assert unit_dimension("kilometres") == "length" and unit_dimension("tonnes") == "mass"
    assert unit_dimension("Afghans") is None
    assert measured_dimensions("wide") == {"length"} and measured_dimensions("heavy") == {"mass"}
    assert measured_dimensions("big") is None  # a size of any kind


def test_the_words_of_a_size_are_known_for_the_sizes_a_length_could_be() -> None:
    assert "depth" in measure_words("deep") and "weight" in measure_words("heavy")
    assert measure_words("long") == frozenset()  # "how long" is answered by any length or duration


def test_yes_no_questions_are_told_apart() -> None:
    assert is_yes_no("Did Pakistan allow Afghans to stay?") and is_yes_no("Is the Torkham crossing open?")
    assert not is_yes_no("When did Pakistan allow Afghans to stay?")


def test_currencies_and_word_frequencies_are_general_knowledge() -> None:
    from index.text import english_frequency

    assert is_currency("crowns") and is_currency("Rupees") and not is_currency("refugees")
    assert english_frequency("job") > 5 > english_frequency("repatriation") > 0
    assert english_frequency("umrf") == 0.0  # never seen


def test_an_acronym_question_asks_for_its_expansion() -> None:
    asked = ("What does PoR stand for?", "What is DRIVE short for?", "por full form", "ACC is an abbreviation of?")
    for question in asked:
        shape = read_question(question)
        assert shape.kind == "definition" and shape.wants_expansion, question
        assert not {"stand", "short", "full", "form", "abbreviation"} & set(shape.words), shape.words
    assert not read_question("What is DRIVE?").wants_expansion  # what it is, not only what it abbreviates
    assert not read_question("How many people stand in line?").wants_expansion


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Which players did not draw a game in the first congress?", "draw"),
        ("Why didn't the growers resist the felling orders?", ""),  # before its subject: its verb is not read
        ("Why have the growers never resisted the orders?", "resisted"),
        ("Who said registered refugees would not be touched?", "touched"),  # after its auxiliaries
        ("Why did the council refuse to rebuild the pier?", "rebuild"),  # a verb that denies what follows it
        ("What should not happen to returnees?", ""),  # a support verb: any verb may say what happens
        ("Can Afghans with no papers buy dollars?", ""),  # "no" denies a thing, not a verb
        ("Why did the port stay open until March, when the law did not allow it?", ""),  # not its main clause
        ("How many people were detained?", ""),
    ],
)
def test_the_verb_a_question_denies_is_read(question: str, word: str) -> None:
    assert negated_word(question) == word
    assert read_question(question).negated_word == word
