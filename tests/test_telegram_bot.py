"""End to end: the real PTB Application from build_application, polling a fake Bot API on 127.0.0.1,
answering from a real index of the seed articles built with the real embedding model."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import re
import signal
import socket
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.bot_api import Call, FakeBotApi, Fault, parse_html
from fakes.web_page import serve_page
from telegram import Chat as TgChat
from telegram import Message as TgMessage
from telegram import Update
from telegram.error import InvalidToken
from telegram_harness import DEPORTED, FIGURE_RE, ROOT, StartBot, make_settings

from bot.answering.answers import Answer, Citation, PartialCallback, Statement
from bot.answering.service import AnswerService
from bot.errors import ConfigError
from bot.phrases import URDU
from bot.rendering import format_date
from bot.settings import Settings
from bot.telegram.application import (
    PerChatUpdateProcessor,
    build_application,
    file_base_url,
    webhook_options,
)
from bot.telegram.handlers import EXAMPLE_QUESTIONS
from bot.telegram.journal import Journal
from index.embedding import SentenceTransformerEmbedder
from index.types import Passage

# -- fake answerers injected into the real service -----------------------------------------------------


def citations_from(passages: Sequence[Passage], count: int) -> tuple[Citation, ...]:
    """Citations quoting the first ``count`` retrieved passages verbatim."""
    return tuple(
        Citation(n=i, doc_id=p.doc_id, title=p.title, source=p.source, date=p.date, url=p.url, quote=p.text)
        for i, p in enumerate(passages[:count], start=1)
    )


class LongAnswerer:
    """Answers with about 5,000 characters in short paragraphs, citing two passages."""

    name = "long-fake"

    async def answer(
        self, question: str, passages: Sequence[Passage], *, on_partial: PartialCallback | None = None
    ) -> Answer:
        """A long, cited answer."""
        paragraphs = [
            " ".join(f"Paragraph {p} sentence {s} restates what the sources report [{1 + (s % 2)}]." for s in range(10))
            for p in range(10)
        ]
        text = "\n\n".join(paragraphs)
        assert len(text) > 5000
        cites = citations_from(passages, 2)
        return Answer(question, text, cites, refused=False, as_of=cites[0].date, backend=self.name)


class StreamingAnswerer:
    """Streams three growing drafts about 0.6 s apart, then gives a short cited answer."""

    name = "streaming-fake"

    async def answer(
        self, question: str, passages: Sequence[Passage], *, on_partial: PartialCallback | None = None
    ) -> Answer:
        """A streamed, cited answer."""
        drafts = ["Pakistan has", "Pakistan has deported", "Pakistan has deported many Afghans"]
        for draft in drafts:
            if on_partial is not None:
                await on_partial(draft)
            await asyncio.sleep(0.6)
        cites = citations_from(passages, 1)
        return Answer(question, "Pakistan has deported many Afghans [1].", cites, False, cites[0].date, self.name)


class StreamThenFailAnswerer:
    """Streams one draft, then fails unexpectedly."""

    name = "stream-then-fail-fake"

    async def answer(
        self, question: str, passages: Sequence[Passage], *, on_partial: PartialCallback | None = None
    ) -> Answer:
        """Stream, then raise."""
        if on_partial is not None:
            await on_partial("An unchecked draft that must not stay")
        raise RuntimeError("the stream broke")


class BrokenAnswerer:
    """Fails with an unexpected exception."""

    name = "broken-fake"

    async def answer(
        self, question: str, passages: Sequence[Passage], *, on_partial: PartialCallback | None = None
    ) -> Answer:
        """Raise."""
        raise RuntimeError("kaboom in the answerer")


# -- private chat ----------------------------------------------------------------------------------


async def test_start_registers_commands_and_welcomes_with_example_buttons(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    commands = {c.params.get("scope", {}).get("type"): c.params["commands"] for c in api.calls_to("setMyCommands")}
    assert {"default", "all_group_chats"} <= set(commands)
    assert "ask" in {c["command"] for c in commands["all_group_chats"]}

    alice = api.user("Alice")
    chat = api.private_chat(alice)
    [welcome] = await bot.exchange(lambda: api.push_text(chat, alice, "/start"), chat.id)
    first, last = bot.service.date_range()
    assert first and last and f"dated {format_date(first)} to {format_date(last)}" in welcome.text
    assert f"{len(bot.service.sources())} indexed news articles" in welcome.text
    assert [b["text"] for b in welcome.buttons] == list(EXAMPLE_QUESTIONS)

    # pressing an example asks it: the answer repeats the question and is cited
    message = welcome.result
    [answer] = await bot.exchange(
        lambda: api.push_callback(alice, message, welcome.buttons[0]["callback_data"]), chat.id
    )
    assert answer.text.startswith(f"<b>{EXAMPLE_QUESTIONS[0]}</b>")
    assert "[1]" in answer.text and FIGURE_RE.search(answer.text)
    assert len(api.calls_to("answerCallbackQuery")) == 1


async def test_question_gets_a_cited_answer_with_one_button_per_source(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [reply] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)

    assert [c.params["action"] for c in api.calls_to("sendChatAction", chat_id=chat.id)][:1] == ["typing"]
    assert reply.params["parse_mode"] == "HTML"
    assert FIGURE_RE.search(reply.text), reply.text
    assert "[1]" in reply.text and '<a href="' in reply.text
    stored = api.message(chat.id, reply.result["message_id"])
    assert any(e["type"] == "text_link" for e in stored["entities"])  # Telegram parsed the links
    [key] = bot.journal.answer_keys(chat.id)
    citations = bot.journal.citations(chat.id, key)
    assert [b["callback_data"] for b in reply.buttons] == [f"q:{key}:{c.n}" for c in citations]
    assert all(len(b["callback_data"].encode()) < 64 for b in reply.buttons)


async def test_source_button_shows_the_quote_and_keeps_the_answer(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [reply] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    answer_before = api.message(chat.id, reply.result["message_id"])
    [key] = bot.journal.answer_keys(chat.id)
    citation = bot.journal.citations(chat.id, key)[0]

    [quote] = await bot.exchange(
        lambda: api.push_callback(alice, reply.result, reply.buttons[0]["callback_data"]), chat.id
    )

    assert quote.params["reply_parameters"]["message_id"] == reply.result["message_id"]
    assert "<blockquote expandable>" in quote.text
    shown = api.message(chat.id, quote.result["message_id"])
    assert " ".join(citation.quote.split())[:80] in shown["text"]
    assert any(e["type"] == "expandable_blockquote" for e in shown["entities"])
    assert api.message(chat.id, reply.result["message_id"]) == answer_before  # the answer is untouched
    assert not api.calls_to("editMessageText")
    assert len(api.calls_to("answerCallbackQuery")) == 1


async def test_follow_up_uses_the_chat_history_and_reset_forgets_it(start_bot: StartBot) -> None:
    bot = await start_bot(history_turns=2)
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    follow_up = "and what about ACC holders?"
    await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    [with_history] = await bot.exchange(lambda: api.push_text(chat, alice, follow_up), chat.id)
    await bot.settle(chat, alice)  # the turn is recorded after the reply is sent
    turns = bot.journal.history(chat.id)
    assert [t.question for t in turns] == [DEPORTED, follow_up]

    await bot.exchange(lambda: api.push_text(chat, alice, "/reset"), chat.id)
    assert bot.journal.history(chat.id) == ()
    [without_history] = await bot.exchange(lambda: api.push_text(chat, alice, follow_up), chat.id)

    assert "ACC" in with_history.text
    assert with_history.text != without_history.text  # the earlier question shaped the first answer
    await bot.exchange(lambda: api.push_text(chat, alice, "one"), chat.id)
    await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    await bot.settle(chat, alice)
    assert len(bot.journal.history(chat.id)) == 2  # bounded by history_turns


async def test_stickers_photos_voice_and_files_get_a_hint(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    for push in (api.push_sticker, api.push_photo, api.push_voice, api.push_document):
        [hint] = await bot.exchange(lambda push=push: push(chat, alice), chat.id)  # type: ignore[misc]
        assert "only read text" in hint.text
    assert bot.service.stats().questions == 0


async def test_edited_message_and_unknown_command_are_hints_not_errors(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    original = api.push_text(chat, alice, "/help")
    await api.wait_for_calls("sendMessage", 1, chat_id=chat.id)
    [hint] = await bot.exchange(lambda: api.push_edit(original, DEPORTED), chat.id)
    assert "new message" in hint.text
    [unknown] = await bot.exchange(lambda: api.push_text(chat, alice, "/frobnicate"), chat.id)
    assert "/help" in unknown.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_long_answer_is_split_with_the_sources_block_whole_in_the_last_message(start_bot: StartBot) -> None:
    bot = await start_bot(answerer=LongAnswerer())
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    first, second = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id, count=2)

    assert first.ok and second.ok  # Telegram accepted both: each is within 4,096 characters
    assert "Sources" not in first.text and not first.buttons
    assert "<b>Sources" in second.text and len(second.buttons) == 2
    sources_block = second.text[second.text.index("<b>Sources") :]
    assert sources_block.count("[1] ") == 1 and sources_block.count("[2] ") == 1
    assert first.text.endswith("[1].") or first.text.endswith("[2].")  # cut at a paragraph end
    for call in (first, second):
        text, _ = parse_html(call.text)
        assert len(text) <= 4096


async def test_streamed_drafts_are_edited_into_the_final_answer(start_bot: StartBot) -> None:
    bot = await start_bot(answerer=StreamingAnswerer())
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [draft] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    assert draft.text.endswith("…")
    final = await api.wait_for(
        lambda: [c for c in api.calls_to("editMessageText", chat_id=chat.id) if c.params.get("reply_markup")]
    )
    assert len(api.calls_to("sendMessage", chat_id=chat.id)) == 1  # the draft became the answer
    [message] = api.sent_messages(chat.id)
    assert message["text"].startswith("Pakistan has deported many Afghans [1].")
    assert message["reply_markup"] == final[0].params["reply_markup"]
    edits = [c.at for c in api.calls_to("editMessageText", chat_id=chat.id)]
    assert all(b - a >= 0.5 for a, b in itertools.pairwise([draft.at, *edits[:-1]]))  # throttled


async def test_a_draft_is_deleted_when_the_answer_fails(start_bot: StartBot) -> None:
    bot = await start_bot(answerer=StreamThenFailAnswerer())
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    draft, apology = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id, count=2)
    assert "unchecked draft" in draft.text and apology.text.startswith("Sorry, something went wrong")
    [deleted] = api.calls_to("deleteMessage", chat_id=chat.id)
    assert deleted.params["message_id"] == draft.result["message_id"]
    assert [m["text"] for m in api.sent_messages(chat.id)] == [apology.text]


async def test_forged_and_stale_callbacks_say_expired(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [reply] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    forged = ["q:AAAAAAAA:1", reply.buttons[0]["callback_data"].rsplit(":", 1)[0] + ":99", "garbage", "x:9", ""]
    forged.append("q:" + "A" * 16 + ":1" + "🙂" * 10)
    for data in forged:
        api.push_callback(alice, reply.result, data or "-")
    answered = await api.wait_for_calls("answerCallbackQuery", len(forged))
    assert all("expired" in c.params.get("text", "") for c in answered)
    await bot.settle(chat, alice)
    assert len(api.calls_to("sendMessage", chat_id=chat.id)) == 2  # the answer and the /help reply only


async def test_rate_limit_replies_politely(start_bot: StartBot) -> None:
    bot = await start_bot(questions_per_minute=2)
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    for _ in range(2):
        await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    [slow_down] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    assert "please wait" in slow_down.text
    # every question past the notice is told too, with when to ask again: none is silently ignored
    for _ in range(3):
        [again] = await bot.exchange(lambda: api.push_text(chat, alice, "And ACC holders?"), chat.id)
        assert "did not answer that one" in again.text and re.search(r"again in about \d+ seconds", again.text)
    assert bot.service.stats().questions == 2


async def test_bad_question_and_unexpected_errors_become_one_line(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot(answerer=BrokenAnswerer())
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [bad] = await bot.exchange(lambda: api.push_text(chat, alice, "???"), chat.id)
    assert "question in words" in bad.text and "\n" not in bad.text
    with caplog.at_level(logging.ERROR, logger="bot.telegram.handlers"):
        [oops] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    assert oops.text.startswith("Sorry, something went wrong") and "\n" not in oops.text
    assert "kaboom" not in oops.text
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None and "kaboom" in str(record.exc_info[1])


# -- groups ----------------------------------------------------------------------------------------


async def test_group_answers_only_when_mentioned_replied_to_or_asked(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice, bob = api.user("Alice"), api.user("Bob")
    group = api.group_chat()
    api.push_text(group, alice, DEPORTED)  # not addressed: ignored
    mention = f"@{api.bot.username} {DEPORTED}"
    [answer] = await bot.exchange(lambda: api.push_text(group, alice, mention), group.id)
    asked = api.sent_messages(group.id)
    assert len(api.calls_to("sendMessage", chat_id=group.id)) == 1
    assert answer.params["reply_parameters"]["message_id"] == answer.result["reply_to_message"]["message_id"]
    assert answer.result["reply_to_message"]["text"] == mention
    assert FIGURE_RE.search(answer.text)

    [follow] = await bot.exchange(
        lambda: api.push_text(group, bob, "and what about ACC holders?", reply_to=asked[-1]), group.id
    )
    assert "ACC" in follow.text
    [via_ask] = await bot.exchange(lambda: api.push_text(group, bob, f"/ask@{api.bot.username} {DEPORTED}"), group.id)
    assert "[1]" in via_ask.text
    [usage] = await bot.exchange(lambda: api.push_text(group, bob, "/ask"), group.id)
    assert "/ask" in usage.text
    api.push_sticker(group, bob)  # ignored in groups
    [help_reply] = await bot.exchange(lambda: api.push_text(group, bob, "/help"), group.id)
    assert "How to ask" in help_reply.text


async def test_forum_topic_replies_stay_in_the_topic(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    forum = api.group_chat("Topics", forum=True)
    [answer] = await bot.exchange(
        lambda: api.push_text(forum, alice, f"{DEPORTED} @{api.bot.username}", thread_id=77), forum.id
    )
    assert answer.params["message_thread_id"] == 77
    assert all(c.params.get("message_thread_id") == 77 for c in api.calls_to("sendChatAction", chat_id=forum.id))
    [quote] = await bot.exchange(
        lambda: api.push_callback(alice, answer.result, answer.buttons[0]["callback_data"]), forum.id
    )
    assert quote.params["message_thread_id"] == 77


# -- access and admin ------------------------------------------------------------------------------


async def test_allowed_chat_ids_stop_others_before_any_work(start_bot: StartBot) -> None:
    bot = await start_bot(allowed_chat_ids=(1001,))  # the first user the fake hands out
    api = bot.api
    alice, mallory = api.user("Alice"), api.user("Mallory")
    assert alice.id == 1001
    alice_chat, mallory_chat = api.private_chat(alice), api.private_chat(mallory)
    [refused] = await bot.exchange(lambda: api.push_text(mallory_chat, mallory, DEPORTED), mallory_chat.id)
    assert "not available" in refused.text
    assert not api.calls_to("sendChatAction", chat_id=mallory.id)
    assert bot.service.stats().questions == 0
    [answer] = await bot.exchange(lambda: api.push_text(alice_chat, alice, DEPORTED), alice_chat.id)
    assert "[1]" in answer.text


async def test_add_and_stats_are_for_admins_only(start_bot: StartBot) -> None:
    bot = await start_bot(admin_ids=(4242,))
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [add] = await bot.exchange(lambda: api.push_text(chat, alice, "/add https://example.org/a"), chat.id)
    [stats] = await bot.exchange(lambda: api.push_text(chat, alice, "/stats"), chat.id)
    assert "not allowed" in add.text and "not allowed" in stats.text
    assert len(bot.service.sources()) == 11


ARTICLE_HTML = """<!doctype html>
<html lang="en"><head>
<title>Quetta registration drive to cover 120,000 Afghan families</title>
<meta property="og:site_name" content="Balochistan Test Gazette">
<meta property="article:published_time" content="2026-02-03T09:00:00+05:00">
</head><body><article>
<h1>Quetta registration drive to cover 120,000 Afghan families</h1>
<p>QUETTA: Provincial officials said on Tuesday that a new registration drive in Quetta will cover
120,000 Afghan families who hold no documents, giving each household a temporary slip while their
cases are reviewed by the Ministry of States and Frontier Regions.</p>
<p>The drive, which opens at six centres across the city, is meant to separate families with pending
refugee claims from people the interior ministry intends to repatriate under the existing plan.</p>
<p>Officials said the slips would be valid for ninety days and that police had been told not to detain
holders while the review continues, according to a notification seen by reporters.</p>
</article></body></html>"""


@contextlib.asynccontextmanager
async def article_server() -> AsyncIterator[str]:
    """Serve ARTICLE_HTML on 127.0.0.1; yield its URL."""
    async with serve_page("/news/quetta-registration", lambda: ARTICLE_HTML) as (url, _):
        yield url


@pytest.mark.slow
async def test_admin_adds_an_article_by_url_and_it_answers_from_it(start_bot: StartBot) -> None:
    bot = await start_bot(admin_ids=(1001,), allow_private_urls=True)
    api = bot.api
    admin = api.user("Admin")
    chat = api.private_chat(admin)
    async with article_server() as url:
        [added] = await bot.exchange(lambda: api.push_text(chat, admin, f"/add {url}"), chat.id)
        assert added.text.startswith("Added <b>Quetta registration drive"), added.text
        [again] = await bot.exchange(lambda: api.push_text(chat, admin, f"/add {url}"), chat.id)
        assert "unchanged" in again.text
    assert len(bot.service.sources()) == 12
    [answer] = await bot.exchange(
        lambda: api.push_text(chat, admin, "How many Afghan families will the Quetta registration drive cover?"),
        chat.id,
    )
    assert "120,000" in answer.text and "Quetta registration drive" in answer.text
    [stats] = await bot.exchange(lambda: api.push_text(chat, admin, "/stats"), chat.id)
    assert "12 articles" in stats.text


@pytest.mark.parametrize(
    "target", ["README.md", "/etc/passwd", "file:///etc/passwd", "ftp://example.org/a", "seeds", "javascript:x"]
)
async def test_add_refuses_local_paths_and_other_schemes(start_bot: StartBot, target: str) -> None:
    bot = await start_bot(admin_ids=(1001,), allow_private_urls=True)
    api = bot.api
    admin = api.user("Admin")
    chat = api.private_chat(admin)
    (Path.cwd() / "README.md").write_text("Secret server notes: 4,242 families at Torkham on Monday.\n" * 3)
    [refused] = await bot.exchange(lambda: api.push_text(chat, admin, f"/add {target}"), chat.id)
    assert refused.text.startswith("Could not add that article:") and "\n" not in refused.text
    assert "only http:// and https:// links can be added" in refused.text
    assert len(bot.service.sources()) == 11


async def test_add_of_a_private_address_is_one_clear_line(start_bot: StartBot) -> None:
    bot = await start_bot(admin_ids=(1001,))
    api = bot.api
    admin = api.user("Admin")
    chat = api.private_chat(admin)
    [refused] = await bot.exchange(lambda: api.push_text(chat, admin, "/add http://127.0.0.1:9/article"), chat.id)
    assert refused.text.startswith("Could not add that article:") and "\n" not in refused.text


async def test_sources_are_paged_newest_first(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [page_one] = await bot.exchange(lambda: api.push_text(chat, alice, "/sources"), chat.id)
    sources = bot.service.sources()
    assert "page 1/2" in page_one.text and "1. " in page_one.text
    assert page_one.text.index(sources[0].title[:30]) < page_one.text.index(sources[1].title[:30])
    [older] = page_one.buttons
    api.push_callback(alice, page_one.result, older["callback_data"])
    [edit] = await api.wait_for_calls("editMessageText", 1, chat_id=chat.id)
    assert "page 2/2" in edit.text and sources[-1].title[:30] in edit.text
    assert [b["text"] for b in edit.buttons] == ["‹ Newer"]


# -- Telegram misbehaving -------------------------------------------------------------------------


async def test_flood_control_429_is_waited_out_and_the_answer_delivered(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    api.fail_next("sendMessage", Fault.retry_after(1))
    [answer] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    attempts = api.calls_to("sendMessage", chat_id=chat.id, ok=None)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert "[1]" in answer.text


async def test_refused_markup_and_server_errors_are_logged_and_the_bot_carries_on(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    api.fail_next("sendMessage", Fault.cant_parse_entities())
    [plain] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    assert "parse_mode" not in plain.params and "[1]" in plain.text  # resent as plain text
    api.fail_next("sendMessage", Fault.server_error(502))
    [answer] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)  # retried
    assert "[1]" in answer.text
    assert [c.status for c in api.calls_to("sendMessage", chat_id=chat.id, ok=None)] == [400, 200, 502, 200]
    warnings = [r for r in caplog.records if r.name == "bot.telegram.application" and r.levelno == logging.WARNING]
    assert len(warnings) == 2 and not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_blocked_by_the_user_is_logged_without_retrying(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    api.fail_next("sendMessage", Fault.blocked())
    api.push_text(chat, alice, DEPORTED)
    await api.wait_for(lambda: api.calls_to("sendMessage", ok=False))
    await bot.settle(chat, alice)
    assert [c.status for c in api.calls_to("sendMessage", chat_id=chat.id, ok=None)] == [403, 200]
    assert any("blocked" in r.getMessage() for r in caplog.records if r.name == "bot.telegram.handlers")


async def test_the_token_never_reaches_the_logs(start_bot: StartBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await start_bot()
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    assert caplog.records and api.token not in caplog.text
    assert api.token.split(":")[1] not in caplog.text


# -- building and running ----------------------------------------------------------------------------


def test_missing_token_fails_fast_with_config_error(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    settings = Settings(data_dir=tmp_path, telegram_bot_token=None)
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        build_application(settings, AnswerService(settings, embedder))


def test_file_url_follows_the_api_base_url() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    with pytest.raises(ConfigError):
        file_base_url("http://127.0.0.1:8081/")


async def test_unknown_token_is_rejected_like_telegram(api: FakeBotApi, data_dir: Path, embedder: Any) -> None:
    settings = make_settings(api, data_dir, telegram_bot_token="999:unknown-token")
    app = build_application(settings, AnswerService(settings, embedder))
    with pytest.raises(InvalidToken):
        await app.initialize()


async def test_per_chat_order_is_kept_while_chats_run_concurrently() -> None:
    processor = PerChatUpdateProcessor(4)
    log: list[tuple[str, int, int]] = []

    def update(update_id: int, chat_id: int) -> Update:
        chat = TgChat(chat_id, TgChat.PRIVATE)
        return Update(update_id, message=TgMessage(update_id, datetime.now(UTC), chat))

    async def work(update_id: int, chat_id: int, seconds: float) -> None:
        log.append(("start", chat_id, update_id))
        await asyncio.sleep(seconds)
        log.append(("end", chat_id, update_id))

    plan = [(1, 10, 0.2), (2, 10, 0.0), (3, 20, 0.05), (4, 10, 0.0), (5, 20, 0.0)]
    async with processor:
        await asyncio.gather(*(processor.process_update(update(u, c), work(u, c, s)) for u, c, s in plan))
    for chat_id in (10, 20):
        events = [(kind, u) for kind, c, u in log if c == chat_id]
        ids = [u for u, c, _ in plan if c == chat_id]
        assert events == [(kind, u) for u in ids for kind in ("start", "end")]  # strictly one after another
    assert log.index(("start", 20, 3)) < log.index(("end", 10, 1))  # chat 20 did not wait for chat 10
    assert not processor._chats  # no lock left behind


async def test_webhook_mode_serves_updates_checked_by_the_secret(
    api: FakeBotApi, data_dir: Path, embedder: SentenceTransformerEmbedder
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = make_settings(
        api,
        data_dir,
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_secret="s3cret-Token_1",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    options = webhook_options(settings)
    assert options["url_path"] == "telegram/hook"
    app = build_application(settings, AnswerService(settings, embedder))
    alice = api.user()
    chat = api.private_chat(alice)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": chat.to_dict(),
            "from": alice.to_dict(),
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    async with app:
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_webhook(**options)
        await app.start()
        try:
            [hook] = api.calls_to("setWebhook")
            assert hook.params["url"] == settings.webhook_url and hook.params["secret_token"] == "s3cret-Token_1"
            async with httpx.AsyncClient() as client:
                local = f"http://127.0.0.1:{port}/telegram/hook"
                forged = await client.post(local, json=update)
                assert forged.status_code == 403
                secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
                good = await client.post(local, json=update, headers=secret)
                assert good.status_code == 200
                journal = Journal.beside_index(data_dir)  # on disk when Telegram hears 200, seen by a reader
                assert journal.record(Update.de_json(update, None)) is False
                journal.close()
                again = await client.post(local, json=update, headers=secret)  # Telegram resends it
                assert again.status_code == 200
            [reply] = await api.wait_for_calls("sendMessage", 1, chat_id=chat.id)
            assert "How to ask" in reply.text
            await asyncio.sleep(0.5)
            assert len(api.calls_to("sendMessage", chat_id=chat.id)) == 1  # answered once
        finally:
            await app.updater.stop()
            await app.stop()


RUN_BOT_SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from bot.errors import ConfigError
    from bot.settings import Settings
    from bot.telegram.application import run_bot

    class IdleService:  # run_bot only needs start() before any update arrives
        async def start(self):
            print("started", flush=True)

    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    settings = Settings(data_dir=sys.argv[3], telegram_bot_token=sys.argv[1],
                        telegram_api_base_url=sys.argv[2])
    try:
        run_bot(settings, IdleService())
    except ConfigError as exc:
        sys.exit(str(exc))
    print("stopped cleanly", flush=True)
    """
)


async def run_bot_process(api: FakeBotApi, token: str, tmp_path: Path) -> asyncio.subprocess.Process:
    """``run_bot`` in a child process, polling the fake API with ``token``, logging at DEBUG."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        RUN_BOT_SCRIPT,
        token,
        api.base_url,
        str(tmp_path),
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.slow
async def test_run_bot_polls_and_stops_cleanly_on_sigterm(api: FakeBotApi, tmp_path: Path) -> None:
    process = await run_bot_process(api, api.token, tmp_path)
    try:
        await api.wait_for(lambda: api.calls_to("getUpdates"), timeout=60)
        assert api.calls_to("setMyCommands") and api.calls_to("deleteWebhook")
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert stdout.decode().split() == ["started", "stopped", "cleanly"]
    assert api.token not in stderr.decode()
    assert json.dumps(api.token) not in stderr.decode()


@pytest.mark.slow
async def test_run_bot_with_a_rejected_token_says_so_without_the_token(api: FakeBotApi, tmp_path: Path) -> None:
    process = await run_bot_process(api, "999:rejected-token", tmp_path)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1
    assert stderr.decode().strip().endswith("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.")
    assert "rejected-token" not in stderr.decode()


def test_webhook_needs_an_https_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="https"):
        webhook_options(Settings(data_dir=tmp_path, webhook_url="http://bot.example.org/hook"))


# -- replies a journalist can use on a phone ---------------------------------------------------------

FIXED_NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
ISO_DAY_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def utf16_slice(text: str, offset: int, length: int) -> str:
    """``text[offset:offset + length]`` in UTF-16 code units, as Telegram's entities count."""
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def shown_message(api: FakeBotApi, call: Call) -> tuple[str, list[dict[str, Any]]]:
    """What Telegram stored for a sent message: its text and entities."""
    stored = api.message(call.result["chat"]["id"], call.result["message_id"])
    return stored["text"], stored.get("entities", [])


async def test_reply_leads_with_the_figure_one_row_and_button_per_article_retold_unquoted_and_dated(
    start_bot: StartBot,
) -> None:
    bot = await start_bot(clock=lambda: FIXED_NOW)
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [reply] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    text, entities = shown_message(api, reply)
    [key] = bot.journal.answer_keys(chat.id)
    citations = bot.journal.citations(chat.id, key)

    lead = text.split("\n\n")[0]
    assert FIGURE_RE.search(lead) and re.search(r"\[\d\]$", lead), text  # the answer first, with its figure
    [folded] = [e for e in entities if e["type"] == "expandable_blockquote"]
    assert folded["offset"] > len(lead)
    # one number, one row and one button per article
    rows = [line for line in text[text.index("\nSources\n") :].splitlines() if re.match(r"\[\d+\] ", line)]
    assert len(rows) == len(citations) == len(reply.buttons) == len({c.doc_id for c in citations}) >= 2
    assert [b["callback_data"] for b in reply.buttons] == [f"q:{key}:{c.n}" for c in citations]
    assert any(len(c.passages) > 1 for c in citations)  # an article quoted twice still has one number
    # ten of the eleven seed articles are retold: never in quotation marks, always said to be retold
    assert any(not c.verbatim for c in citations)
    for c in citations:
        for passage in c.passages:
            at = text.index(" ".join(passage.split()))
            if c.verbatim:
                assert text[at - 1] == "“"
            else:
                assert text[at - 1] not in '“"«' and f"(retold from {c.source})" in text
        assert f"[{c.n}] {c.source}, {format_date(c.date)}{'' if c.verbatim else ', retold'} — " in text
    # one date style, and the newest source's age from the injected clock
    assert not ISO_DAY_RE.search(text)
    newest = bot.service.date_range()[1]
    assert newest is not None
    age = (FIXED_NOW.date() - datetime.fromisoformat(newest).date()).days
    freshness = f"Newest source: {format_date(newest)}, {age} days ago; later figures may exist."
    assert text.index(freshness) < folded["offset"]
    assert any(e["type"] == "italic" and utf16_slice(text, e["offset"], e["length"]) == freshness for e in entities)


async def test_no_freshness_line_while_the_sources_are_recent(start_bot: StartBot) -> None:
    now = [FIXED_NOW]
    bot = await start_bot(clock=lambda: now[0])
    newest = bot.service.date_range()[1]
    assert newest is not None
    now[0] = datetime.fromisoformat(newest).replace(tzinfo=UTC)  # the day of the newest source
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [reply] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    assert FIGURE_RE.search(reply.text) and "Newest source" not in reply.text


async def test_the_button_of_an_article_shows_all_its_passages_as_retold(start_bot: StartBot) -> None:
    bot = await start_bot(clock=lambda: FIXED_NOW)
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    [reply] = await bot.exchange(lambda: api.push_text(chat, alice, DEPORTED), chat.id)
    [key] = bot.journal.answer_keys(chat.id)
    citations = bot.journal.citations(chat.id, key)
    index, citation = max(enumerate(citations), key=lambda item: len(item[1].passages))
    assert len(citation.passages) > 1
    [quote] = await bot.exchange(
        lambda: api.push_callback(alice, reply.result, reply.buttons[index]["callback_data"]), chat.id
    )
    text, entities = shown_message(api, quote)
    assert text.startswith(f"[{citation.n}] {citation.source}, {format_date(citation.date)}, retold — ")
    assert f"Retold from {citation.source}, not the outlet's own words:" in text
    folded = [utf16_slice(text, e["offset"], e["length"]) for e in entities if e["type"] == "expandable_blockquote"]
    assert folded == [" ".join(p.split()) for p in citation.passages]
    assert "“" not in text


class EvidenceAnswerer:
    """A lead from the first retrieved passage and 120 evidence lines from the others: over 4,096 characters."""

    name = "evidence-fake"

    def __init__(self, language: str = "en") -> None:
        self.language = language

    async def answer(
        self, question: str, passages: Sequence[Passage], *, on_partial: PartialCallback | None = None
    ) -> Answer:
        """A long answer with lead and evidence."""
        cites = citations_from(passages, 3)
        lead = (Statement(" ".join(passages[0].text.split())[:200], (1,), as_of=passages[0].date),)
        evidence = tuple(
            Statement(f"Line {i}: " + " ".join(passages[1 + i % 2].text.split())[:60], (2 + i % 2,), "earlier")
            for i in range(120)
        )
        return Answer(
            question,
            "legacy",
            cites,
            False,
            cites[0].date,
            self.name,
            lead=lead,
            evidence=evidence,
            language=self.language,
        )


async def test_a_long_reply_is_split_with_blockquotes_closed_and_the_sources_whole(start_bot: StartBot) -> None:
    bot = await start_bot(answerer=EvidenceAnswerer())
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    api.push_text(chat, alice, DEPORTED)
    await api.wait_for(lambda: [c for c in api.calls_to("sendMessage", chat_id=chat.id) if c.buttons], timeout=30)
    *parts, last = api.calls_to("sendMessage", chat_id=chat.id)
    assert len(parts) >= 1
    assert all(call.ok for call in (*parts, last)) and not any(call.buttons for call in parts)
    shown = [shown_message(api, call) for call in (*parts, last)]
    assert all(any(e["type"] == "expandable_blockquote" for e in entities) for _, entities in shown)
    assert all(len(text.encode("utf-16-le")) // 2 <= 4096 for text, _ in shown)
    last_text, _ = shown[-1]
    sources = last_text[last_text.index("Sources\n") :]
    assert [line[:3] for line in sources.splitlines()[1:]] == ["[1]", "[2]", "[3]"] and len(last.buttons) == 3
    lines = [line for text, _ in shown for line in text.splitlines() if line.startswith("• ")]
    assert [int(re.findall(r"Line (\d+):", line)[0]) for line in lines] == list(range(120))  # none lost or cut


async def test_an_urdu_user_gets_start_help_and_sources_in_urdu_with_the_date_range(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    amina = replace(api.user("Amina"), language_code="ur")
    chat = api.private_chat(amina)
    first, last = bot.service.date_range()
    urdu_range = f"{format_date(first, URDU)} سے {format_date(last, URDU)} تک"
    [welcome] = await bot.exchange(lambda: api.push_text(chat, amina, "/start"), chat.id)
    assert "السلام علیکم" in welcome.text and urdu_range in welcome.text
    [help_reply] = await bot.exchange(lambda: api.push_text(chat, amina, "/help"), chat.id)
    assert URDU.help_ask_heading in help_reply.text
    [listing] = await bot.exchange(lambda: api.push_text(chat, amina, "/sources"), chat.id)
    assert "فہرست شدہ خبریں" in listing.text and urdu_range in listing.text
    assert [b["text"] for b in listing.buttons] == [URDU.older]
    english = api.user("Bob")
    [hello] = await bot.exchange(lambda: api.push_text(api.private_chat(english), english, "/start"), english.id)
    assert hello.text.startswith("<b>Hello!</b>")


async def test_an_urdu_answer_is_right_to_left_with_whole_entities(start_bot: StartBot) -> None:
    bot = await start_bot(answerer=EvidenceAnswerer(language="ur"), clock=lambda: FIXED_NOW)
    api = bot.api
    amina = api.user("Amina")
    chat = api.private_chat(amina)
    api.push_text(chat, amina, DEPORTED)
    await api.wait_for(lambda: [c for c in api.calls_to("sendMessage", chat_id=chat.id) if c.buttons], timeout=30)
    calls = api.calls_to("sendMessage", chat_id=chat.id)
    assert len(calls) >= 2
    for call in calls:
        text, entities = shown_message(api, call)
        assert text.startswith("\u200f")
        for entity in entities:
            if entity["type"] == "text_link":
                title = utf16_slice(text, entity["offset"], entity["length"])
                assert title and "\u200e" not in title and "\u200f" not in title  # marks sit outside the link
    text, entities = shown_message(api, calls[-1])
    assert "\u200fذرائع\n" in text and "Sources" not in text
    titles = [utf16_slice(text, e["offset"], e["length"]) for e in entities if e["type"] == "text_link"]
    assert titles and all(t in {s.title for s in bot.service.sources()} for t in titles)
