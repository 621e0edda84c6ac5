"""Telegram HTML formatting and callback data: pure functions, checked against Telegram's HTML rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from fakes.bot_api import EntityParseError, parse_html, utf16_len

from bot.answering.answers import Answer, Citation, Statement
from bot.phrases import DARI, PASHTO, URDU
from bot.rendering import format_date
from bot.telegram.formatting import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_MESSAGE_CHARS,
    QuoteRef,
    decode_example_callback,
    decode_quote_callback,
    decode_sources_callback,
    encode_example_callback,
    encode_quote_callback,
    encode_sources_callback,
    format_answer_html,
    format_draft_html,
    format_help_html,
    format_quote_html,
    format_sources_html,
    format_welcome_html,
    new_answer_key,
    page_count,
    source_button_label,
    telegram_length,
)


def citation(n: int, **overrides: object) -> Citation:
    """A citation with plausible fields."""
    values: dict[str, object] = {
        "n": n,
        "doc_id": f"doc{n}",
        "title": f"Pakistan extends PoR cards <{n}> & more",
        "source": "Dawn",
        "date": f"2024-0{n}-01",
        "url": f'https://example.org/a?id={n}&x="y"',
        "quote": f'The ministry said "{n} < 2 & 3 > 1" in its notification.',
    }
    values.update(overrides)
    return Citation(**values)  # type: ignore[arg-type]


def answer(text: str, citations: tuple[Citation, ...] = (), **overrides: object) -> Answer:
    """An answer to a fixed question."""
    values: dict[str, object] = {
        "question": "How many Afghans have left?",
        "text": text,
        "citations": citations,
        "refused": False,
        "as_of": citations[0].date if citations else None,
        "backend": "test",
    }
    values.update(overrides)
    return Answer(**values)  # type: ignore[arg-type]


def telegram_text(message: str) -> str:
    """What Telegram would show for an HTML message (raises like Telegram on bad markup)."""
    text, _ = parse_html(message)
    return text


def long_text(paragraphs: int, sentences: int) -> str:
    """Numbered sentences with citation markers, in paragraphs."""
    return "\n\n".join(
        " ".join(f"Paragraph {p} sentence {s} says something sourced [{1 + s % 2}]." for s in range(sentences))
        for p in range(paragraphs)
    )


# -- answers -----------------------------------------------------------------------------------------


def test_answer_text_is_escaped_and_markers_kept() -> None:
    [message] = format_answer_html(answer("Over 527,000 left <b>since</b> 2023 & counting [1].", (citation(1),)))
    assert "Over 527,000 left &lt;b&gt;since&lt;/b&gt; 2023 &amp; counting [1]." in message
    shown = telegram_text(message)
    assert "Over 527,000 left <b>since</b> 2023 & counting [1]." in shown


def test_sources_block_lists_outlet_date_and_linked_title_with_escaped_url() -> None:
    [message] = format_answer_html(answer("Text [1] [2].", (citation(1), citation(2, url=None))))
    assert "<b>Sources</b>" in message
    assert (
        '[1] Dawn, 1 Jan 2024 — <a href="https://example.org/a?id=1&amp;x=&quot;y&quot;">'
        "Pakistan extends PoR cards &lt;1&gt; &amp; more</a>"
    ) in message
    assert "[2] Dawn, 1 Feb 2024 — Pakistan extends PoR cards &lt;2&gt; &amp; more" in message
    _, entities = parse_html(message)
    [link] = [e for e in entities if e["type"] == "text_link"]
    assert link["url"] == 'https://example.org/a?id=1&x="y"'


def test_non_http_links_are_not_linked() -> None:
    [message] = format_answer_html(answer("Text [1].", (citation(1, url="javascript:alert(1)"),)))
    assert "<a " not in message and "javascript" not in message


def test_unknown_date_and_source_are_left_out() -> None:
    [message] = format_answer_html(answer("Text [1].", (citation(1, date=None, source=""),)))
    assert "[1] unknown source, date unknown — <a" in message


def test_note_is_shown_escaped_and_refusal_has_no_sources_block() -> None:
    [message] = format_answer_html(answer("", refused=True, note="Fell back <fast> & safe."))
    assert message.startswith("The indexed sources don&#x27;t say that.")
    assert message.endswith("<i>Fell back &lt;fast&gt; &amp; safe.</i>")
    assert "Sources" not in message


def test_question_heading_is_bold_and_escaped() -> None:
    [message] = format_answer_html(answer("Text [1].", (citation(1),), question="Why <now>?"), show_question=True)
    assert message.startswith("<b>Why &lt;now&gt;?</b>\n\nText [1].")


def test_long_answer_splits_at_paragraphs_with_sources_whole_in_the_last_message() -> None:
    text = long_text(paragraphs=13, sentences=8)
    assert len(text) > 5000
    messages = format_answer_html(answer(text, (citation(1), citation(2))))
    assert len(messages) == 2
    shown = [telegram_text(m) for m in messages]
    assert all(utf16_len(s) <= MAX_MESSAGE_CHARS for s in shown)
    assert all("Sources" not in s for s in shown[:-1])
    assert shown[-1].count("[1] Dawn") == 1 and shown[-1].count("[2] Dawn") == 1
    body = "\n\n".join(s.split("\n\nSources")[0] for s in shown)
    assert body == text  # nothing lost, nothing reordered, cut between paragraphs


def test_one_huge_paragraph_splits_between_sentences_keeping_markers() -> None:
    text = long_text(paragraphs=1, sentences=120)
    messages = format_answer_html(answer(text, (citation(1), citation(2))))
    assert len(messages) >= 2
    for message in messages[:-1]:
        assert re.search(r"\[\d\]\.$", telegram_text(message))
    joined = " ".join(telegram_text(m).split("\n\nSources")[0] for m in messages)
    assert joined == text


def test_lines_are_kept_when_a_paragraph_of_lines_is_split() -> None:
    text = "\n".join(f"• Line {i} quotes an outlet at some length to fill the message up [1]." for i in range(80))
    messages = format_answer_html(answer(text, (citation(1),)))
    assert len(messages) == 2
    assert "\n".join(telegram_text(m).split("\n\nSources")[0] for m in messages) == text


def test_a_sentence_longer_than_a_message_is_cut_at_a_space() -> None:
    text = " ".join(["word"] * 2000)
    messages = format_answer_html(answer(text))
    assert len(messages) == 3
    assert all(telegram_length(telegram_text(m)) <= MAX_MESSAGE_CHARS for m in messages)
    assert " ".join(telegram_text(m) for m in messages) == text


def test_lengths_count_utf16_units_like_telegram() -> None:
    text = "🇵🇰 " * 1500  # each flag is 4 UTF-16 units, 5 with the space
    messages = format_answer_html(answer(text.strip()))
    assert len(messages) >= 2
    assert all(utf16_len(telegram_text(m)) <= MAX_MESSAGE_CHARS for m in messages)


def test_escaping_never_pushes_a_message_over_the_limit() -> None:
    text = "\n\n".join("&<>\"' " * 150 for _ in range(10))  # escapes grow 5x, visible length does not
    messages = format_answer_html(answer(text, (citation(1),)))
    assert all(utf16_len(telegram_text(m)) <= MAX_MESSAGE_CHARS for m in messages)
    assert len(messages) == 3


def test_a_sources_block_that_does_not_fit_goes_into_its_own_message() -> None:
    text = "x" * (MAX_MESSAGE_CHARS - 50)
    messages = format_answer_html(answer(text, (citation(1), citation(2))))
    assert len(messages) == 2
    assert telegram_text(messages[1]).startswith("Sources")


def test_empty_answer_still_gives_a_message() -> None:
    assert format_answer_html(answer("")) == ["(empty answer)"]


@pytest.mark.parametrize(
    "text",
    ["plain", "a < b", "Tom & Jerry", "<script>alert(1)</script>", "&lt; already", "émoji 😀", "x\n\ny", "[1] [2]"],
)
def test_every_answer_is_valid_telegram_html(text: str) -> None:
    for message in format_answer_html(answer(text, (citation(1, title=text, source=text),), note=text)):
        telegram_text(message)


# -- quotes, source lists and other messages --------------------------------------------------------


def test_quote_is_an_expandable_blockquote_with_the_escaped_passage_and_link() -> None:
    message = format_quote_html(citation(1))
    assert message.startswith('[1] Dawn, 1 Jan 2024 — <a href="https://example.org/a?id=1&amp;x=&quot;y&quot;">')
    assert message.endswith(
        "<blockquote expandable>The ministry said &quot;1 &lt; 2 &amp; 3 &gt; 1&quot; in its notification.</blockquote>"
    )
    text, entities = parse_html(message)
    assert 'The ministry said "1 < 2 & 3 > 1"' in text
    assert {e["type"] for e in entities} == {"text_link", "expandable_blockquote"}


def test_a_very_long_quote_is_shortened_to_fit() -> None:
    message = format_quote_html(citation(1, quote="A long passage. " * 1000))
    shown = telegram_text(message)
    assert utf16_len(shown) <= MAX_MESSAGE_CHARS and shown.endswith("…")


@dataclass(frozen=True)
class Source:
    """Stands in for bot.answering.service.SourceInfo."""

    title: str
    source: str
    date: str | None
    url: str | None


def test_sources_are_paged_in_the_given_order_with_escaping() -> None:
    sources = [Source(f"Title {i} <x>", "Dawn & Co", f"2025-01-{30 - i:02d}", f"https://e.org/{i}") for i in range(20)]
    page_two = format_sources_html(sources, 1, 8)
    assert "page 2/3" in page_two and "(20, newest first)</b> 11 Jan 2025 to 30 Jan 2025" in page_two
    assert '9. Dawn &amp; Co, 22 Jan 2025 — <a href="https://e.org/8">Title 8 &lt;x&gt;</a>' in page_two
    assert "8. " not in page_two and "17. " not in page_two
    assert "page 3/3" in format_sources_html(sources, 99, 8)  # clamped
    assert "page 1/3" in format_sources_html(sources, -5, 8)
    telegram_text(page_two)
    assert page_count(20, 8) == 3 and page_count(0, 8) == 1
    assert format_sources_html([], 0, 8) == "No articles are indexed yet."


def test_welcome_help_and_draft_are_valid_html() -> None:
    welcome = format_welcome_html(11, "2023-11-08", "2025-11-01")
    assert "11 indexed news articles dated 8 Nov 2023 to 1 Nov 2025" in welcome
    assert "dated" not in format_welcome_html(3, None, None)
    assert "last 3 questions" in format_help_html(3) and "/reset" not in format_help_html(0)
    draft = format_draft_html("Partial <draft> " * 600)
    for message in (welcome, format_help_html(3), draft):
        assert utf16_len(telegram_text(message)) <= MAX_MESSAGE_CHARS
    assert draft.endswith(" …")


def test_source_button_label_is_short() -> None:
    assert source_button_label(citation(2)) == "[2] Dawn"
    assert len(source_button_label(citation(3, source="A very long outlet name " * 5))) <= 40


# -- callback data -----------------------------------------------------------------------------------


def test_callback_data_round_trips_under_64_bytes() -> None:
    key = new_answer_key()
    assert re.fullmatch(r"[A-Za-z0-9_-]{8}", key) and key != new_answer_key()
    data = encode_quote_callback(key, 12)
    assert len(data.encode()) < MAX_CALLBACK_DATA_BYTES
    assert decode_quote_callback(data) == QuoteRef(key, 12)
    assert decode_sources_callback(encode_sources_callback(3)) == 3
    assert decode_example_callback(encode_example_callback(2)) == 2
    assert decode_quote_callback(encode_quote_callback("A" * 16, 999)) == QuoteRef("A" * 16, 999)


@pytest.mark.parametrize(
    "data",
    [
        None,
        123,
        b"q:abcdefgh:1",
        "",
        "q:",
        "q:abc:1",  # key too short
        "q:abcdefgh:0",
        "q:abcdefgh:01",
        "q:abcdefgh:1000",
        "q:abcdefgh:-1",
        "q:abcd efgh:1",
        "q:abcdefgh:1:extra",
        "q:abcdefgh:١",  # a digit, but not an ASCII one
        "q:" + "A" * 17 + ":1",
        "Q:abcdefgh:1",
        "q:abcdefgh:1\n",
        "s:-1",
        "s:01",
        "x:10",
        "x:a",
        "\x00" * 64,
        "q:" + "😀" * 30,
    ],
)
def test_forged_or_garbled_callback_data_decodes_to_none(data: object) -> None:
    assert decode_quote_callback(data) is None
    assert decode_sources_callback(data) is None
    assert decode_example_callback(data) is None


@pytest.mark.parametrize(("key", "n"), [("abc", 1), ("a:bcdefg", 1), ("abcdefgh", 0), ("abcdefgh", 1000), ("é" * 8, 1)])
def test_encoding_refuses_what_could_not_be_decoded(key: str, n: int) -> None:
    with pytest.raises(ValueError):
        encode_quote_callback(key, n)


def test_fake_telegram_html_parser_rejects_what_telegram_rejects() -> None:
    for bad in ("<b>open", "a < b", "<b><i>x</b></i>", "<div>x</div>", "</b>", "<a href='x'>y"):
        with pytest.raises(EntityParseError):
            parse_html(bad)
    assert parse_html("&lt;&amp;&gt;&quot;&#39;&#x1F600;&nbsp;") == ("<&>\"'😀&nbsp;", [])


# -- answer first, evidence folded, honest quotes, right-to-left ----------------------------------------


def lead_answer(evidence_count: int = 2, **overrides: object) -> Answer:
    """An answer with a lead, ``evidence_count`` evidence statements from a retold article, two articles."""
    first = citation(1, source="StratNews Global", date="2024-04", quote="The government has deported 527,000.")
    second = citation(
        2,
        source="LatestLY (PTI)",
        date="2025-04-10",
        verbatim=False,
        quote="more than 11,000 had been deported",
        quotes=("more than 11,000 had been deported", "put the number at 11,230"),
    )
    values: dict[str, object] = {
        "citations": (first, second),
        "lead": (Statement("The government has deported 527,000.", (1,), as_of="2024-04", who="StratNews Global"),),
        "evidence": tuple(
            Statement(f"Passage {i} says more than 11,000 had been deported.", (2,), "earlier", "2025-04-10")
            for i in range(evidence_count)
        ),
        "as_of": "2024-04",
    }
    values.update(overrides)
    return answer("legacy", **values)


def test_lead_first_then_the_evidence_in_an_expandable_blockquote_then_sources() -> None:
    [message] = format_answer_html(lead_answer())
    assert message.startswith(
        "As of Apr 2024, per StratNews Global: “The government has deported 527,000.” [1]\n\n<blockquote expandable>"
    )
    text, entities = parse_html(message)
    [quote] = [e for e in entities if e["type"] == "expandable_blockquote"]
    folded = text[quote["offset"] : quote["offset"] + quote["length"]]
    assert folded.startswith("Earlier figures:\n• As of 10 Apr 2025: Passage 0")
    assert "(retold from LatestLY (PTI)) [2]" in folded and "Sources" not in folded
    assert text.index("Sources") > quote["offset"] + quote["length"]
    assert text.count("[2] LatestLY (PTI), 10 Apr 2025, retold — ") == 1
    assert "“" not in folded and "”" not in folded  # retold text is never quoted


def test_freshness_line_is_italic_under_the_lead() -> None:
    [message] = format_answer_html(lead_answer(), today=date(2026, 12, 1), newest_source_date="2026-02-13")
    assert "[1]\n\n<i>Newest source: 13 Feb 2026, 291 days ago; later figures may exist.</i>\n\n<blockquote" in message


def test_long_evidence_is_split_with_each_blockquote_closed_and_the_sources_whole() -> None:
    messages = format_answer_html(lead_answer(evidence_count=150))
    assert len(messages) >= 3
    shown = [parse_html(m) for m in messages]  # raises on unbalanced tags
    assert all(utf16_len(text) <= MAX_MESSAGE_CHARS for text, _ in shown)
    assert shown[0][0].startswith("As of Apr 2024")
    for text, entities in shown[1:-1]:
        assert [e["type"] for e in entities] == ["expandable_blockquote"] and "Sources" not in text
    last_text, _ = shown[-1]
    sources = last_text[last_text.index("Sources") :]
    assert sources.count("[1] ") == 1 and sources.count("[2] ") == 1
    passages = [line for text, _ in shown for line in text.splitlines() if line.startswith("• ")]
    assert len(passages) == 150  # nothing lost, nothing cut inside a line


def test_the_quote_button_shows_every_passage_of_the_article_and_says_retold() -> None:
    second = lead_answer().citations[1]
    message = format_quote_html(second)
    text, entities = parse_html(message)
    assert text.startswith("[2] LatestLY (PTI), 10 Apr 2025, retold — ")
    assert "Retold from LatestLY (PTI), not the outlet's own words:" in text
    quoted = [text[e["offset"] : e["offset"] + e["length"]] for e in entities if e["type"] == "expandable_blockquote"]
    assert quoted == list(second.passages)
    verbatim = format_quote_html(lead_answer().citations[0])
    assert "Retold" not in verbatim and verbatim.count("<blockquote expandable>") == 1


def test_every_quoted_passage_is_shortened_to_fit_one_message() -> None:
    many = citation(1, quotes=tuple(f"Passage {i}. " * 200 for i in range(5)), verbatim=False)
    text, entities = parse_html(format_quote_html(many))
    assert utf16_len(text) <= MAX_MESSAGE_CHARS
    assert len([e for e in entities if e["type"] == "expandable_blockquote"]) == 5


def test_an_urdu_answer_keeps_entities_whole_and_lengths_right() -> None:
    urdu = lead_answer(evidence_count=150, language="ur")
    messages = format_answer_html(urdu, today=date(2026, 12, 1), newest_source_date="2026-02-13")
    assert len(messages) >= 2
    for message in messages:
        text, entities = parse_html(message)
        assert utf16_len(text) <= MAX_MESSAGE_CHARS
        units = text.encode("utf-16-le")
        for entity in entities:
            start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
            inside = units[start:end].decode("utf-16-le")
            if entity["type"] == "text_link":  # the link covers exactly the title
                assert inside in {"Pakistan extends PoR cards <1> & more", "Pakistan extends PoR cards <2> & more"}
    first, *_, last = (parse_html(m)[0] for m in messages)
    assert first.startswith("\u200f") and "تازہ ترین ذریعہ: 13 فروری 2026، 291 دن پہلے" in first
    assert "\u200e[1]\u200e\u200f" in first  # the marker is a left-to-right run
    assert "ذرائع" in last and "Sources" not in last


def test_start_help_and_sources_in_urdu_pashto_and_dari_are_valid_html() -> None:
    sources = [Source("Title", "Dawn", "2025-01-30", "https://e.org/1"), Source("T2", "Geo", "2023-11-08", None)]
    for book in (URDU, PASHTO, DARI):
        welcome = format_welcome_html(11, "2023-11-08", "2026-02-13", phrases=book)
        assert format_date("2026-02-13", book) in welcome and "11" in welcome
        listing = format_sources_html(sources, 0, 8, phrases=book)
        assert format_date("2023-11-08", book) in listing
        for message in (welcome, format_help_html(3, phrases=book), listing):
            text = telegram_text(message)
            assert text.startswith("\u200f") and utf16_len(text) <= MAX_MESSAGE_CHARS
    assert "30 days old" in format_help_html(3)
    assert "over 7 days old" in format_help_html(0, freshness_days=7)
