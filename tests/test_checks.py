"""The citation, figure and link checks, each on its own, on text from the seed articles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.answering.checks import (
    check_citations,
    check_numbers,
    extract_figures,
    months_named,
    split_sentences,
    strip_unknown_links,
)
from index.types import Passage

ARY = Passage(
    chunk_id="ary-1",
    doc_id="ary",
    text=(
        "On Monday, 3,329 illegal foreigners went back to their homeland, among them 580 families of illegal "
        "Afghans travelling in 357 vehicles. The number of illegal immigrants who have returned to their home "
        "country now stands at 2,23,637."
    ),
    title="3239 more Afghans head home as crackdown on illegal immigrants goes on",
    source="ARY News",
    date="2023-11-14",
    url="https://arynews.tv/illegal-immigrants-3239-more-afghans-return-home/",
    start=0,
    end=220,
    score=1.0,
    dense_score=0.8,
)
NATION_ACC = Passage(
    chunk_id="nation-1",
    doc_id="nation",
    text=(
        "An announcement from the Ministry of Interior advised all Afghan citizen card (ACC) holders to depart "
        "voluntarily by 31 March, failing which they would be deported starting April 1, 2025."
    ),
    title="Pakistan tells Afghan Citizen Card holders to leave by March 31",
    source="The Nation (Pakistan)",
    date="2025-03-08",
    url="https://www.nation.com.pk/08-Mar-2025/afghan-card-holders-advised-to-leave-pakistan-by-march-31",
    start=0,
    end=190,
    score=0.9,
    dense_score=0.7,
)
POR_2023 = Passage(
    chunk_id="nation-por-1",
    doc_id="nation-por",
    text=(
        "According to the source, Pakistan has 1.304 million registered Afghan refugees, a figure drawn from the "
        "2021-22 Document Renewal, Information and Verification Exercise (DRIVE). The same exercise also found "
        "145,716 unregistered members of registered families (UMRF)."
    ),
    title="Cabinet extends stay of 1.3 million Afghan refugees",
    source="The Nation (Pakistan)",
    date="2023-11-09",
    url="https://www.nation.com.pk/09-Nov-2023/govt-approves-extension-in-1-3-million-afghan-refugees-stay",
    start=0,
    end=250,
    score=0.8,
    dense_score=0.6,
)
GALLUP_URDU = Passage(
    chunk_id="geo-1",
    doc_id="geo",
    text="ایک نئے جائزے میں 84 فیصد افراد نے اس حکم کی تائید کی ہے۔",
    title="سروے: 84 فیصد افراد",
    source="Geo News (Urdu)",
    date="2023-11-08",
    url="https://urdu.geo.tv/latest/346376-",
    start=0,
    end=60,
    score=0.7,
    dense_score=0.5,
    language="ur",
)


# ---------------------------------------------------------------- citations


def test_check_citations_keeps_valid_markers() -> None:
    result = check_citations("Returns stood at 2,23,637 [1]. Deadline was 31 March [2][3].", 3)
    assert result.text == "Returns stood at 2,23,637 [1]. Deadline was 31 March [2][3]."
    assert result.cited == (1, 2, 3)
    assert result.removed == ()
    assert not result.uncited


def test_check_citations_drops_out_of_range_markers() -> None:
    result = check_citations("Returns stood at 2,23,637 [9]. Deadline was 31 March [2, 7].", 5)
    assert result.text == "Returns stood at 2,23,637. Deadline was 31 March [2]."
    assert result.cited == (2,)
    assert result.removed == (9, 7)


def test_check_citations_zero_is_out_of_range() -> None:
    assert check_citations("Something [0].", 3).removed == (0,)


def test_check_citations_flags_text_without_any_citation() -> None:
    result = check_citations("Pakistan has deported many Afghans.", 4)
    assert result.uncited
    assert result.cited == ()


def test_check_citations_ignores_markdown_link_labels() -> None:
    result = check_citations("See [2](https://example.com) and the report [1].", 1)
    assert result.cited == (1,)
    assert result.removed == ()


# ---------------------------------------------------------------- figures


def _values(text: str) -> list[tuple[str, object]]:
    return [(f.kind, f.value if f.kind != "date" else f.date) for f in extract_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("527,000 people", [("number", Decimal(527000))]),
        ("527000 people", [("number", Decimal(527000))]),
        ("2,23,637 returned", [("number", Decimal(223637))]),
        ("1.47 million", [("number", Decimal(1470000))]),
        ("2.43M Afghans", [("number", Decimal(2430000))]),
        ("one million refugees", [("number", Decimal(1000000))]),
        ("84%", [("percent", Decimal(84))]),
        ("84 percent", [("percent", Decimal(84))]),
        ("84 per cent", [("percent", Decimal(84))]),
        ("84 فیصد", [("percent", Decimal(84))]),
        ("۸۴ فیصد", [("percent", Decimal(84))]),
        ("Rs 5bn and $3,000", [("number", Decimal(5_000_000_000)), ("number", Decimal(3000))]),
        # any currency's code, written against the figure
        ("Tk500 and GBP2m", [("number", Decimal(500)), ("number", Decimal(2_000_000))]),
        ("by March 31", [("date", (None, 3, 31))]),
        ("on 1 April", [("date", (None, 4, 1))]),
        ("from 2025-04-01", [("date", (2025, 4, 1))]),
        ("April 1, 2025", [("date", (2025, 4, 1))]),
        ("the 31st of March 2025", [("date", (2025, 3, 31))]),
        ("in November 2023", [("date", (2023, 11, None))]),
        ("08 نومبر ، 2023", [("date", (2023, 11, 8))]),
    ],
)
def test_extract_figures_normalises_formatting(text: str, expected: list[tuple[str, object]]) -> None:
    assert _values(text) == expected


def test_citation_markers_urls_and_list_numbers_are_not_figures() -> None:
    text = "1. Returns continue [12].\n2. See https://arynews.tv/2023/11/14 [3]"
    assert extract_figures(text) == []


def test_split_sentences_keeps_markers_after_a_full_stop() -> None:
    assert split_sentences("It rose to 11,230.[2] Then 1.47 million [1]. U.S.\nNext line") == [
        "It rose to 11,230.[2]",
        "Then 1.47 million [1].",
        "U.S.",
        "Next line",
    ]


# ---------------------------------------------------------------- numbers against passages


def test_check_numbers_accepts_figures_from_the_cited_passage() -> None:
    text = (
        "ARY News reported on 14 November 2023 that returns stood at 223,637 [1]. "
        "ACC holders had to leave by March 31 and deportations began on 2025-04-01 [2]."
    )
    assert check_numbers(text, {1: ARY, 2: NATION_ACC}) == ()


def test_check_numbers_flags_an_invented_figure() -> None:
    problems = check_numbers("Pakistan has 1.5 million registered refugees [1].", {1: POR_2023})
    assert [p.figure for p in problems] == ["1.5 million"]
    assert problems[0].cited == (1,)


def test_check_numbers_requires_the_sentence_to_cite_the_right_passage() -> None:
    problems = check_numbers("Returns stood at 2,23,637 [2].", {1: ARY, 2: NATION_ACC})
    assert [p.figure for p in problems] == ["2,23,637"]


def test_check_numbers_flags_figures_in_uncited_sentences() -> None:
    problems = check_numbers("Returns stood at 2,23,637. The deadline was March 31 [2].", {1: ARY, 2: NATION_ACC})
    assert [p.figure for p in problems] == ["2,23,637"]


def test_check_numbers_scale_words_match_only_the_same_value() -> None:
    passages = {1: POR_2023}
    assert check_numbers("Pakistan has 1,304,000 registered refugees [1].", passages) == ()
    assert check_numbers("Pakistan has 1.304 million registered refugees [1].", passages) == ()
    # Rounding is not formatting: the title's "1.3 million" is a different figure from the text's.
    assert check_numbers("The title says 1.3 million [1].", passages) == ()
    assert [p.figure for p in check_numbers("About 1.30 million and 1.31 million [1].", passages)] == ["1.31 million"]


def test_check_numbers_percent_spellings_and_urdu() -> None:
    passages = {1: GALLUP_URDU}
    assert check_numbers("84 percent supported the order [1].", passages) == ()
    assert check_numbers("84 per cent supported it [1].", passages) == ()
    assert check_numbers("84% supported it [1].", passages) == ()
    assert [p.figure for p in check_numbers("85% supported it [1].", passages)] == ["85%"]
    assert [p.figure for p in check_numbers("84 people supported it [1].", passages)] == ["84"]


def test_check_numbers_dates_match_across_spellings() -> None:
    passages = {2: NATION_ACC}
    assert check_numbers("They had until 31 March 2025 [2].", passages) == ()
    assert check_numbers("Deportations from 1 April [2].", passages) == ()
    assert check_numbers("The ministry spoke on 8 March 2025 [2].", passages) == ()  # the article's date
    assert [p.figure for p in check_numbers("Deportations from 2 April 2025 [2].", passages)] == ["2 April 2025"]
    assert [p.figure for p in check_numbers("Deportations from April 1, 2024 [2].", passages)] == ["April 1, 2024"]


def test_check_numbers_ignores_citation_numbers() -> None:
    assert check_numbers("Pakistan extended the cards [1][2].", {1: ARY, 2: NATION_ACC}) == ()


# ---------------------------------------------------------------- links


def test_strip_unknown_links_removes_bare_and_markdown_links() -> None:
    text = (
        "Details at https://evil.example.com/phish. Also [read this](http://spam.test/x) and "
        "[the ARY report](https://arynews.tv/illegal-immigrants-3239-more-afghans-return-home/) [1]."
    )
    result = strip_unknown_links(text, [ARY.url, None])
    assert "evil.example.com" not in result.text
    assert "spam.test" not in result.text
    assert "read this" in result.text
    assert "(https://arynews.tv/illegal-immigrants-3239-more-afghans-return-home/)" in result.text
    assert result.removed == ("http://spam.test/x", "https://evil.example.com/phish")
    assert result.text.startswith("Details at.")


def test_strip_unknown_links_keeps_source_urls_despite_trailing_slash_or_www() -> None:
    text = "Source: https://nation.com.pk/08-Mar-2025/afghan-card-holders-advised-to-leave-pakistan-by-march-31/."
    result = strip_unknown_links(text, [NATION_ACC.url])
    assert result.removed == ()
    assert result.text == text


def test_strip_unknown_links_removes_autolinks() -> None:
    result = strip_unknown_links("See <https://evil.example.com> now [1].", [ARY.url])
    assert result.text == "See now [1]."


def _names_passage(text: str) -> Passage:
    return Passage(
        chunk_id="d:0", doc_id="d", text=text, title="Returns", source="Dawn", date="2025-01-01", url=None,
        start=0, end=len(text), score=1.0, dense_score=1.0,
    )  # fmt: skip


def test_a_name_absent_from_the_cited_passage_is_caught() -> None:
    from bot.answering.checks import check_names

    passages = {1: _names_passage("Iran has deported more than 1.2 million Afghans since January, the UN said.")}
    problems = check_names("Turkey has deported more than 1.2 million Afghans [1].", passages)
    assert [p.name for p in problems] == ["Turkey"]
    assert not check_names("Iran has deported more than 1.2 million Afghans, per the UN [1].", passages)
    assert not check_names("Meanwhile, more than 1.2 million were deported [1].", passages)
    assert [p.name for p in check_names("The figure comes from UNHCR [1].", passages)] == ["UNHCR"]
    assert not check_names("Dawn reported it [1].", passages)  # the outlet is the passage's own


def test_months_named_leaves_out_the_months_of_days_when_asked() -> None:
    assert months_named("arrests in september 2024 and in Oct.") == {9, 10}
    assert months_named("since the April 1 cutoff, before 30 June") == {4, 6}
    assert months_named("since the April 1 cutoff, before 30 June", with_days=False) == set()
    assert months_named("how many may leave in May") == {5}  # "may" in small letters is the verb
