"""The language and script of a question: English, Urdu, Roman Urdu, Pashto, Dari and Arabic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering.prompts import answer_language
from index.text import LANGUAGE_NAMES, detect_question_language, is_arabic_script, is_roman_urdu

EVAL = Path(__file__).resolve().parent / "eval"

ENGLISH = [
    "How many Afghans has Pakistan deported?",
    "how many afghans deported",
    "when does the por card expire",
    "wat is the deadlne for acc holders",
    "deportatoins since april 1",
    "IOM",
    "Torkham",
    "who is Talal Chaudhry?",
    "What did Ban Ki-moon say about refugees?",
    "Is the Torkham border open to trade?",
    "ACC holders: leave by March 31?",
    "UNHCR position on forced returns",
    "How many Afghans went home via Chaman and Torkham in November 2023?",
    "Did the cabinet extend PoR cards to June 30, 2025?",
    "what happens to those who don't leave",
    "Kabul says what about the plan?",
    "how many families in 357 vehicles",
    "are schools open for card holders",
    "Tell me about the Gallup Pakistan survey.",
    "hi",
    "Are there transit camps in KP and Baluchistan?",
    "Sarfraz Bugti manhandling statement",
    "What is the IFRP?",
    "main reason for the deportations",
    "log of returns at the border",
]

OTHERS = [
    ("Pakistan ne kitne Afghan deport kiye?", "ur-Latn"),
    ("Torkham kab khulega?", "ur-Latn"),
    ("Afghan refugees ko kab tak rehne ki ijazat hai", "ur-Latn"),
    ("PoR card ki muddat kya hai", "ur-Latn"),
    ("Gallup survey kya kehta hai?", "ur-Latn"),
    ("پاکستان نے کتنے افغان واپس بھیجے؟", "ur"),
    ("سروے میں کتنے فیصد لوگوں نے فیصلے کی حمایت کی؟", "ur"),
    ("افغان سٹیزن کارڈ کی آخری تاریخ کیا ہے؟", "ur"),
    ("پاکستان څومره افغانان وشړل؟", "ps"),
    ("د پي او ار کارت موده کله پای ته رسیږي؟", "ps"),
    ("پاکستان چند افغان را اخراج کرد؟", "fa"),
    ("مهلت کارت های پی او آر چه وقت تمام می شود؟", "fa"),
    ("كم عدد اللاجئين الأفغان في باكستان؟", "ar"),
]


@pytest.mark.parametrize("question", ENGLISH)
def test_english_questions_are_english(question: str) -> None:
    assert detect_question_language(question) == "en"


@pytest.mark.parametrize(("question", "language"), OTHERS)
def test_urdu_pashto_dari_arabic_and_roman_urdu_are_told_apart(question: str, language: str) -> None:
    assert detect_question_language(question) == language


def test_every_latin_script_evaluation_question_is_english() -> None:
    questions = [
        json.loads(line)["question"]
        for name in ("questions.jsonl", "heldout2.jsonl", "general.jsonl")
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    latin = [q for q in questions if not is_arabic_script(q)]
    assert len(latin) > 250
    assert [q for q in latin if detect_question_language(q) != "en"] == []
    assert {detect_question_language(q) for q in questions if is_arabic_script(q)} == {"ur"}


def test_the_development_questions_are_detected_as_written() -> None:
    rows = [json.loads(line) for line in (EVAL / "multilingual_dev.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {row["language"] for row in rows} == {"ur", "ur-Latn", "ps", "fa"}
    assert [(row["id"], detect_question_language(row["question"])) for row in rows] == [
        (row["id"], row["language"]) for row in rows
    ]


def test_one_roman_urdu_word_in_english_is_not_roman_urdu() -> None:
    assert not is_roman_urdu("Ban Ki-moon spoke to the press")
    assert not is_roman_urdu("the main log")
    assert is_roman_urdu("Afghan kab wapas jayenge")


def test_digits_and_markers_do_not_change_the_language() -> None:
    assert detect_question_language("۸۴ فیصد لوگوں نے کیا کہا؟") == "ur"
    assert detect_question_language("2,23,637 people returned? [1]") == "en"
    assert detect_question_language("") == "en"


def test_every_detected_language_names_the_answer_language() -> None:
    assert answer_language("پاکستان نے کتنے افغان واپس بھیجے؟") == "Urdu"
    assert answer_language("پاکستان چند افغان را اخراج کرد؟").startswith("Dari")
    assert answer_language("Pakistan ne kitne Afghan deport kiye?").startswith("Roman Urdu")
    assert set(LANGUAGE_NAMES) == {"en", "ur", "ps", "fa", "ar", "ur-Latn"}
