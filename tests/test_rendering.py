"""The shared rendering of replies (terminal, --json, and the lines Telegram formats): pure functions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from bidi import get_display

from bot.answering.answers import Answer, Citation, Statement
from bot.phrases import DARI, ENGLISH, PASHTO, URDU, language_from_telegram, phrases_for
from bot.rendering import (
    LRM,
    RLM,
    about_changing_figures,
    answer_json,
    build_reply,
    date_range_text,
    format_date,
    freshness_line,
    line_text,
    render_plain,
    text_before_sources,
    visible_text,
)

TODAY = date(2026, 12, 1)
ISO_DATE_RE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")
QUOTE_MARKS = '“”"«»'


def citation(n: int, **overrides: Any) -> Citation:
    """An article citation with plausible fields."""
    values: dict[str, Any] = {
        "n": n,
        "doc_id": f"doc{n}",
        "title": f"Title {n}",
        "source": "StratNews Global",
        "date": "2024-04",
        "url": f"https://example.org/{n}",
        "quote": "Since last year, the Pakistan government has deported 527,000 Afghans.",
    }
    values.update(overrides)
    return Citation(**values)


def deported_answer(**overrides: Any) -> Answer:
    """A quantity answer: the latest figure as the lead, an earlier one from a retold article as evidence,
    two passages of that second article, a related figure, an opinion piece."""
    values: dict[str, Any] = {
        "question": "How many Afghans has Pakistan deported?",
        "text": "legacy text 527,000 [1]",
        "citations": (
            citation(1),
            citation(
                2,
                source="LatestLY (PTI)",
                date="2025-04-10",
                quote="more than 11,000 Afghan refugees had been deported",
                quotes=("more than 11,000 Afghan refugees had been deported", "put the number at 11,230"),
                verbatim=False,
                outlets=("The Print", "Devdiscourse"),
            ),
            citation(3, source="Dawn", date="2026-02-13", kind="opinion", quote="Returns topped 1.5 million."),
        ),
        "refused": False,
        "as_of": "2024-04",
        "backend": "test",
        "lead": (
            Statement(
                "Since last year, the Pakistan government has deported 527,000 Afghans.",
                (1,),
                as_of="2024-04",
                reported="2024-04",
                who="StratNews Global",
            ),
        ),
        "evidence": (
            Statement("more than 11,000 Afghan refugees had been deported", (2,), "earlier", "2025-04-10"),
            Statement("put the number at 11,230", (2,), "earlier", "2025-04-10", "2025-04-10", who="Talal Chaudhry"),
            Statement(
                "Returns topped 1.5 million.", (3,), "related", "2025-12-31", "2026-02-13", "UNHCR", label="returned"
            ),
        ),
    }
    values.update(overrides)
    return Answer(**values)


# -- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "shown"),
    [("2025-08-06", "6 Aug 2025"), ("2024-04", "Apr 2024"), ("2024", "2024"), (None, "date unknown"), ("soon", "soon")],
)
def test_one_date_style(iso: str | None, shown: str) -> None:
    assert format_date(iso) == shown


def test_dates_follow_the_reply_language_with_latin_digits() -> None:
    assert format_date("2026-02-13", URDU) == "13 فروری 2026"
    assert format_date("2026-02-13", PASHTO) == "13 فبروري 2026"
    assert format_date("2026-02-13", DARI) == "13 فبروری 2026"
    assert date_range_text("2023-11-08", "2026-02-13") == "8 Nov 2023 to 13 Feb 2026"
    assert date_range_text(None, "2026-02-13") is None


def test_no_iso_date_reaches_the_reader_and_claim_dates_show_the_report_date_too() -> None:
    shown = render_plain(build_reply(deported_answer(), today=TODAY, newest_source_date="2026-02-13"))
    assert not ISO_DATE_RE.search(shown), shown
    assert "As of 31 Dec 2025 (reported 13 Feb 2026), per UNHCR" in shown
    assert "As of Apr 2024, per StratNews Global" in shown  # same dates: one of them


# -- order, one row per article, honest quotes --------------------------------------------------------


def test_the_lead_comes_first_with_its_figure_then_evidence_then_sources() -> None:
    reply = build_reply(deported_answer(), today=TODAY, newest_source_date="2026-02-13")
    shown = render_plain(reply)
    first_line = shown.splitlines()[0]
    assert first_line == (
        "As of Apr 2024, per StratNews Global: “Since last year, the Pakistan government has deported 527,000 "
        "Afghans.” [1]"
    )
    assert shown.index("527,000") < shown.index("Earlier figures:") < shown.index("11,230") < shown.index("Sources:")
    assert visible_text(reply).startswith(first_line) and "11,230" not in visible_text(reply)
    assert "11,230" in text_before_sources(reply) and "Sources" not in text_before_sources(reply)


def test_one_number_one_row_per_article_however_many_passages() -> None:
    shown = render_plain(build_reply(deported_answer()))
    sources = shown[shown.index("Sources:") :].splitlines()[1:]
    assert [row.split()[0] for row in sources] == ["[1]", "[2]", "[3]"]
    assert shown.count("[2]") == 3  # two evidence lines and one row
    assert "LatestLY (PTI), 10 Apr 2025, retold (also run by The Print, Devdiscourse) — Title 2" in sources[1]


def test_retold_text_is_never_in_quotation_marks() -> None:
    answer = deported_answer()
    shown = render_plain(build_reply(answer))
    for passage in answer.citations[1].passages:
        at = shown.index(passage)
        assert shown[at - 1] not in QUOTE_MARKS and shown[at + len(passage)] not in QUOTE_MARKS
    assert "As of 10 Apr 2025: more than 11,000 Afghan refugees had been deported (retold from LatestLY (PTI)) [2]" in (
        shown
    )
    # someone else's figure in a retold article: who gives it, and whose retelling it is
    assert "per Talal Chaudhry: put the number at 11,230 (retold from LatestLY (PTI)) [2]" in shown
    assert "“Since last year" in shown  # verbatim text is quoted


def test_opinion_is_labelled() -> None:
    shown = render_plain(build_reply(deported_answer()))
    assert "[3] Dawn (opinion), 13 Feb 2026 — Title 3" in shown
    assert "returned — As of 31 Dec 2025" in shown


def test_a_refusal_says_so_in_the_reply_language_with_the_closest_passage_as_evidence() -> None:
    answer = deported_answer(refused=True, lead=(), evidence=(Statement("Returns topped 1.5 million.", (3,)),))
    reply = build_reply(answer, today=TODAY, newest_source_date="2020-01-01")
    assert render_plain(reply).startswith("The indexed sources don't say that.\n\n  The closest they come:\n  • ")
    assert reply.freshness is None  # a refusal states no figure to be outdated
    urdu = build_reply(deported_answer(refused=True, lead=(), evidence=(), language="ur"))
    assert visible_text(urdu) == RLM + URDU.refusal


def test_answers_without_a_lead_show_their_text() -> None:
    reply = build_reply(deported_answer(lead=(), evidence=(), text="Plain [1]."))
    assert reply.body == "Plain [1]." and render_plain(reply).startswith("Plain [1].\n\nSources:")


def test_generated_statements_are_shown_as_written_with_their_markers() -> None:
    lead = (Statement("Pakistan had deported 527,000 Afghans by April 2024.", (1, 3), generated=True),)
    shown = render_plain(build_reply(deported_answer(lead=lead, evidence=())))
    assert shown.startswith("Pakistan had deported 527,000 Afghans by April 2024. [1] [3]\n")


# -- freshness ---------------------------------------------------------------------------------------


def test_freshness_line_uses_the_given_day_and_its_limit() -> None:
    assert freshness_line("2026-02-13", TODAY, 30) == (
        "Newest source: 13 Feb 2026, 291 days ago; later figures may exist."
    )
    assert freshness_line("2026-11-01", TODAY, 30) is None  # exactly 30 days: still fresh
    assert freshness_line("2026-10-31", TODAY, 30) is not None  # 31 days
    assert freshness_line("2026-11", TODAY, 30) is None  # a month-only date counts from its last day
    assert freshness_line(None, TODAY, 30) is None and freshness_line("2026-02-13", None, 30) is None
    assert "291" in (freshness_line("2026-02-13", TODAY, 30, URDU) or "")


def test_freshness_is_shown_for_changing_figures_only() -> None:
    stale = {"today": TODAY, "newest_source_date": "2026-02-13"}
    with_figure = build_reply(deported_answer(), **stale)
    assert with_figure.freshness and with_figure.freshness in visible_text(with_figure)
    assert "Newest source: 13 Feb 2026, 291 days ago" in render_plain(with_figure).split("\n\n")[1]
    words_only = deported_answer(
        lead=(Statement("The spokesman called the treatment unacceptable.", (1,)),), evidence=()
    )
    assert not about_changing_figures(words_only)
    assert build_reply(words_only, **stale).freshness is None
    assert build_reply(deported_answer(), today=TODAY, newest_source_date="2026-11-20").freshness is None
    assert build_reply(deported_answer(), newest_source_date="2026-02-13").freshness is None  # no clock, no line
    replaced = deported_answer(lead=words_only.lead, evidence=(Statement("Until 30 June.", (1,), "replaced"),))
    assert about_changing_figures(replaced)  # a replaced deadline may have been replaced again
    newer_in_answer = build_reply(deported_answer(newest_source_date="2026-11-30"), **stale)
    assert newer_in_answer.freshness is None  # the answer's own newest date wins


# -- JSON ----------------------------------------------------------------------------------------------


def test_json_keeps_every_key_and_adds_the_rendered_parts() -> None:
    answer = deported_answer()
    reply = build_reply(answer, today=TODAY, newest_source_date="2026-02-13")
    data = answer_json(answer, reply, newest_source_date="2026-02-13")
    old_keys = {"question", "answer", "refused", "as_of", "citations", "backend", "note", "timings_ms"}
    assert old_keys | {"lead", "evidence", "newest_source_date", "language", "freshness"} <= set(data)
    assert (
        data["answer"].startswith("As of Apr 2024, per StratNews Global: “Since last year")
        and "527,000" in (data["answer"])
    )
    assert "Sources" not in data["answer"]
    assert data["newest_source_date"] == "2026-02-13" and data["as_of"] == "2024-04"
    assert data["language"] == "en"
    [first, second, third] = data["citations"]
    assert {"n", "doc_id", "title", "source", "date", "url", "quote"} <= set(first)
    assert first["verbatim"] is True and second["verbatim"] is False
    assert second["quotes"] == ["more than 11,000 Afghan refugees had been deported", "put the number at 11,230"]
    assert second["outlets"] == ["The Print", "Devdiscourse"] and third["kind"] == "opinion"
    assert second["date"] == "2025-04-10"  # JSON keeps ISO dates
    assert data["lead"][0]["as_of"] == "2024-04" and data["lead"][0]["shown"] == data["answer"].splitlines()[0]
    assert data["evidence"][2]["role"] == "related" and data["evidence"][2]["label"] == "returned"
    assert "(retold from LatestLY (PTI))" in data["evidence"][0]["shown"]


# -- languages and right-to-left -------------------------------------------------------------------------


def test_phrase_books_by_language_and_roman_urdu_gets_english() -> None:
    assert phrases_for("ur") is URDU and phrases_for("ps") is PASHTO and phrases_for("fa") is DARI
    assert phrases_for("ur-Latn") is ENGLISH and phrases_for("de") is ENGLISH and phrases_for(None) is ENGLISH
    assert [language_from_telegram(c) for c in ("ur", "fa-IR", "ps", "en-GB", None, "ar")] == [
        "ur",
        "fa",
        "ps",
        "en",
        "en",
        "en",
    ]
    for book in (URDU, PASHTO, DARI):
        assert book.rtl and len(book.months) == 12
        for template in (book.as_of, book.reported, book.freshness, book.retold):
            assert "{" in template  # every template keeps its fields


def test_an_urdu_reply_has_urdu_frames_and_displays_in_order() -> None:
    reply = build_reply(deported_answer(language="ur"), today=TODAY, newest_source_date="2026-02-13")
    shown = render_plain(reply)
    assert "ذرائع:" in shown and "تازہ ترین ذریعہ: 13 فروری 2026، 291 دن پہلے" in shown
    assert "Sources" not in shown and "As of" not in shown and "retold" not in shown
    lead = line_text(reply.lead[0], reply.phrases)
    assert lead.startswith(RLM)
    visual = get_display(lead).replace(LRM, "").replace(RLM, "")
    quote = "“Since last year, the Pakistan government has deported 527,000 Afghans.”"
    assert quote in visual  # the English quote reads left to right, whole
    # right to left: the frame (rightmost), then the quote, then its marker (leftmost)
    assert visual.index("[1]") < visual.index(quote) < visual.index("StratNews Global")
    row = get_display(render_plain(reply).splitlines()[-2]).replace(LRM, "").replace(RLM, "")
    # "[2] LatestLY (PTI)، 10 اپریل 2025": the day stays with its month, not with the outlet's bracket
    assert "LatestLY (PTI)" in row and "2025 لیرپا 10" in row


def test_without_the_marks_the_same_line_would_display_out_of_order() -> None:
    """The control for the test above: plain concatenation breaks in a right-to-left paragraph."""
    naive = "[2] LatestLY (PTI)، 10 اپریل 2025"
    assert "2025 لیرپا 10" not in get_display(naive)
