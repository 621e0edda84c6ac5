"""The answerer's word forms and their memo: the same stems whether remembered or not, and a memo that
never holds more than its byte budget, however many distinct sentences it is asked about."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.answering.checks import extract_figures, split_sentences
from bot.answering.extractive import _has
from bot.answering.matching import WordForms, stem_heads


def test_word_forms_are_stems_digits_and_other_scripts_as_written() -> None:
    forms = WordForms()
    assert forms.stem("Deported") == forms.stem("deporting") == "deport"
    assert forms.stem("1,300,000") == "1300000"
    assert forms.stem("Pakistan's") == forms.stem("pakistan")
    assert forms.stem("پاکستان") == "پاکستان"
    assert forms.stem("Oct") == forms.stem("October") and forms.stem("sept") == forms.stem("September")
    assert forms.stems("The refugees were deported, 40% of them") == {"refuge", "deport", "40", "percent"}


def test_the_memo_stays_within_its_byte_budget_past_it_and_answers_the_same() -> None:
    budget = 64 * 1024
    forms, fresh = WordForms(max_bytes=budget), WordForms(max_bytes=0)  # 0: nothing is ever remembered
    texts = [f"Sentence number {i} says that {i * 7} families returned to province {i % 97}." for i in range(5000)]
    for text in texts:
        assert forms.stems(text) == fresh.stems(text)
        assert forms.bytes_held <= budget
    assert forms.clears > 10  # the budget was passed many times over, and the memo was emptied each time
    assert fresh.bytes_held == 0
    assert forms.stems(texts[-1]) is forms.stems(texts[-1])  # a recent sentence is remembered


def test_the_heads_memo_shares_the_budget_past_it_and_answers_the_same() -> None:
    budget = 32 * 1024
    forms, fresh = WordForms(max_bytes=budget), WordForms(max_bytes=0)
    for i in range(5000):
        stems = forms.stems(f"Returned families {i} reached province number {i * 13} through crossing {i % 89}.")
        assert forms.heads(stems) == fresh.heads(stems) == stem_heads(stems)
        assert forms.bytes_held <= budget
    assert forms.clears > 10 and fresh.bytes_held == 0


def test_the_figures_memo_shares_the_budget_past_it_and_answers_the_same() -> None:
    budget = 32 * 1024
    forms = WordForms(max_bytes=budget)
    texts = [
        f"By March {i % 28 + 1}, 2024, some {i * 17:,} people and {i % 90}% of families had returned."
        for i in range(3000)
    ]
    first = forms.figures(texts[0])
    for text in texts:
        assert forms.figures(text) == tuple(extract_figures(text))
        assert forms.bytes_held <= budget
    assert forms.clears > 10
    assert forms.figures(texts[-1]) is forms.figures(texts[-1])  # a recent sentence's figures are remembered
    assert forms.figures(texts[0]) is not first  # the first were let go when the memo was emptied
    # stems and figures fill one budget: stems after figures still stay within it
    for text in texts[:500]:
        forms.stems(text)
        assert forms.bytes_held <= budget


def test_a_text_larger_than_the_whole_budget_is_computed_not_kept() -> None:
    forms = WordForms(max_bytes=2048)
    huge = "refugees " * 2000
    assert forms.stems(huge) == {"refuge"}
    assert len(forms.figures("1,500 refugees " * 200)) == 200
    assert forms.bytes_held <= 2048


@pytest.mark.parametrize("budget", [4096, 1024 * 1024])
def test_threads_share_one_memo_at_and_past_its_budget(budget: int) -> None:
    forms, reference = WordForms(max_bytes=budget), WordForms(max_bytes=0)
    texts = [f"Families {i} crossed at Torkham on day {i % 31} and {i} were registered" for i in range(2000)]
    expected = [reference.stems(t) for t in texts]
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for k in range(len(texts)):
                i = (k + offset * 250) % len(texts)
                assert forms.stems(texts[i]) == expected[i]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert forms.bytes_held <= budget


def test_a_prefix_match_with_the_stems_heads_answers_as_the_full_scan() -> None:
    """``_has`` with ``stem_heads`` (the five-letter quick reject) gives the scan's answer for every pair of a seed
    sentence's stem set and a stem of the corpus (a prefix either way, an adjective's ending, a digit)."""
    forms = WordForms()
    seeds = Path(__file__).parent.parent / "seeds"
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.md"))]
    sentences = [forms.stems(s) for text in texts for s in split_sentences(text)]
    terms = [*sorted(set().union(*sentences)), "west", "iran", "afghanistan", "deport", "30"]
    checked = matched = 0
    for stems in sentences[:120]:
        heads = stem_heads(stems)
        for term in terms:
            expected = _has(stems, term)
            assert _has(stems, term, heads) == expected, (term, sorted(stems))
            checked += 1
            matched += expected
    assert checked > 50_000 and matched > 1_000  # enough pairs, and enough of them matches, to mean something
