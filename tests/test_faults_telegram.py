"""Bad input, Telegram faults, answering while /add re-indexes, and SIGTERM mid-answer: the real PTB
Application from build_application against the fake Bot API on 127.0.0.1, answering from the real
seed index; faults are scripted in the fake server, never patched into the client."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import re
import signal
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fakes.bot_api import Call, Chat, FakeBotApi, Fault, User, parse_html
from fakes.web_page import serve_page
from telegram_harness import (
    DEPORTED,
    FAST,
    FIGURE_RE,
    ROOT,
    Harness,
    StartBot,
    problems,
    settle,
)

from bot.answering.answers import Answer, PartialCallback
from bot.answering.extractive import ExtractiveAnswerer
from bot.telegram.application import PerChatUpdateProcessor
from bot.telegram.formatting import format_answer_html, html_to_plain
from bot.telegram.handlers import RESTARTING_TEXT
from index.embedding import SentenceTransformerEmbedder
from index.types import Passage


@pytest.fixture
def start_bot(start_bot: StartBot) -> StartBot:
    """conftest's ``start_bot``, with the FAST limits unless a test gives others."""
    return functools.partial(start_bot, limits=FAST)


async def ask_in_new_chats(bot: Harness, questions: Sequence[str]) -> list[Call]:
    """Ask each question in its own private chat, all at once; the one reply each gets (checked: only one)."""
    api = bot.api
    people = [(api.private_chat(user), user) for user in (api.user() for _ in questions)]
    for (chat, user), question in zip(people, questions, strict=True):
        api.push_text(chat, user, question)
    replies = [(await api.wait_for_calls("sendMessage", 1, chat_id=chat.id, timeout=30))[0] for chat, _ in people]
    for chat, user in people:
        await settle(bot, chat, user)
        assert len(api.calls_to("sendMessage", chat_id=chat.id, ok=None)) == 2  # the reply and /help's
    return replies


# -- bad input -------------------------------------------------------------------------------------


async def test_non_questions_get_one_clear_line_without_any_answering_work(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    cases = {
        "   ": "question in words",
        "?": "question in words",
        "🙂🙂🙂": "question in words",
        "\u200b\u200d\u2060": "question in words",
        "https://www.dawn.com/news/1791234/afghans": "link, not a question",
    }
    replies = await ask_in_new_chats(bot, list(cases))
    for reply, expected in zip(replies, cases.values(), strict=True):
        assert expected in reply.text and "\n" not in reply.text
        assert not bot.api.calls_to("sendChatAction", chat_id=reply.chat_id)  # not even "typing…"
    assert bot.service.stats().questions == 0
    assert not problems(caplog)
    [answer] = await ask_in_new_chats(bot, [DEPORTED])
    assert FIGURE_RE.search(answer.text)


async def test_odd_but_real_questions_are_answered_once_each(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    questions = [
        DEPORTED + " " + "Please answer carefully. " * 420,  # over 10,000 characters
        "How\u200b many\x00 Afghans\u202e has Pakistan\x07 deported\ufeff?",
        "پاکستان نے کتنے افغانوں کو ملک بدر کیا؟",
        "<b>How many</b> Afghans & *has* _Pakistan_ [deported](x)? </a>",
    ]
    assert len(questions[0]) > 10_000
    clipped, hidden_chars, urdu, markup = await ask_in_new_chats(bot, questions)
    # clipped with a note; the padding's words are in no source, so the answerer may refuse rather than guess
    assert "only its first 2,000 characters were used" in clipped.text
    assert FIGURE_RE.search(hidden_chars.text) and "[1]" in hidden_chars.text
    assert urdu.ok and "[1]" in urdu.text
    assert markup.ok and "<b>How many</b>" not in markup.text
    for reply in (clipped, hidden_chars, urdu, markup):  # Telegram parsed every reply as sent
        stored = bot.api.message(reply.chat_id, reply.result["message_id"])  # type: ignore[arg-type]
        assert stored["text"] == parse_html(reply.text)[0].strip()
    assert bot.service.stats().questions == 4
    assert not problems(caplog)


def test_a_question_shown_above_its_answer_is_escaped() -> None:
    question = "<b>Deported?</b> & *who* _when_ [x](https://evil.example.com) www.evil.com"
    answer = Answer(question, "Pakistan has deported 527,000 Afghans [1].", (), False, None, "test")
    [html_text] = format_answer_html(answer, show_question=True)
    text, entities = parse_html(html_text)
    assert text.startswith(question + "\n")
    assert [e["type"] for e in entities] == ["bold", "code", "code"]  # the heading; its links are inert
    plain = html_to_plain(html_text)
    assert plain.startswith("<b>Deported?</b> & *who*") and "evil[.]example[.]com" in plain
    assert "evil.example.com" not in plain and "www.evil.com" not in plain


async def test_updates_without_text_or_sender_and_repeats_are_handled_quietly(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    alice = api.user("Alice")
    chat = api.private_chat(alice)
    api.push_message(chat, alice)  # a message with nothing in it
    api.push_message(chat, alice, pinned_message={"message_id": 1, "date": 0, "chat": chat.to_dict()})
    channel = api.channel()
    api.push_channel_post(channel, DEPORTED)  # no sender, and not a chat the bot answers in
    group = api.group_chat()
    anonymous = api.push_message(  # posted as the group itself: no ``from``
        group,
        None,
        sender_chat=group.to_dict(),
        text=f"@{api.bot.username} {DEPORTED}",
        entities=[{"type": "mention", "offset": 0, "length": len(api.bot.username or "") + 1}],
    )
    first = api.push_text(chat, alice, DEPORTED)
    api.push_update({"message": first}, update_id=api.last_update_id)  # the same update again: answered once
    api.push_edit(first, "and ACC holders?")
    await settle(bot, chat, alice)

    replies = api.calls_to("sendMessage", chat_id=chat.id, ok=None)
    assert len(replies) == 3 and all(r.ok for r in replies)
    assert FIGURE_RE.search(replies[0].text) and "new message" in replies[1].text and "How to ask" in replies[2].text
    [group_answer] = await api.wait_for_calls("sendMessage", 1, chat_id=group.id, timeout=30)
    assert group_answer.result["reply_to_message"]["message_id"] == anonymous["message_id"]
    assert "[1]" in group_answer.text
    assert not [c for c in api.calls if c.chat_id == channel.id]
    assert bot.service.stats().questions == 2
    assert not problems(caplog)


async def test_buttons_of_deleted_messages_and_of_other_chats(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    alice, bob = api.user("Alice"), api.user("Bob")
    alice_chat, bob_chat = api.private_chat(alice), api.private_chat(bob)
    [answer] = await bot.exchange(lambda: api.push_text(alice_chat, alice, DEPORTED), alice_chat.id)
    [sources] = await bot.exchange(lambda: api.push_text(alice_chat, alice, "/sources"), alice_chat.id)
    [bob_answer] = await bot.exchange(lambda: api.push_text(bob_chat, bob, DEPORTED), bob_chat.id)

    # Alice's key pressed under Bob's answer: forged, since each chat only knows its own answers
    api.push_callback(bob, bob_answer.result, answer.buttons[0]["callback_data"])
    [forged] = await api.wait_for_calls("answerCallbackQuery", 1)
    assert "expired" in forged.params["text"]

    # the answer is deleted: its button still shows the quote, now not as a reply
    api.delete(alice_chat.id, answer.result["message_id"])
    [quote] = await bot.exchange(
        lambda: api.push_callback(alice, answer.result, answer.buttons[0]["callback_data"]), alice_chat.id
    )
    assert "<blockquote expandable>" in quote.text and "reply_parameters" not in quote.params
    # a /sources page that is gone cannot be turned
    api.delete(alice_chat.id, sources.result["message_id"])
    api.push_callback(alice, sources.result, sources.buttons[0]["callback_data"])
    answered = await api.wait_for_calls("answerCallbackQuery", 3)
    assert "expired" in answered[-1].params.get("text", "")
    assert not api.calls_to("editMessageText", ok=None)
    assert not problems(caplog)
    [again] = await bot.exchange(lambda: api.push_text(alice_chat, alice, DEPORTED), alice_chat.id)
    assert "[1]" in again.text


# -- Telegram faults -------------------------------------------------------------------------------


async def two_chats(api: FakeBotApi) -> tuple[tuple[Chat, User], tuple[Chat, User]]:
    """Two users, each in a private chat with the bot."""
    alice, bob = api.user("Alice"), api.user("Bob")
    return (api.private_chat(alice), alice), (api.private_chat(bob), bob)


async def test_flood_control_is_waited_out_and_every_chat_is_answered_once(start_bot: StartBot) -> None:
    bot = await start_bot()
    api = bot.api
    (alice_chat, alice), (bob_chat, bob) = await two_chats(api)
    api.fail_next("sendMessage", Fault.retry_after(1), chat_id=alice_chat.id)
    api.push_text(alice_chat, alice, DEPORTED)
    api.push_text(bob_chat, bob, DEPORTED)
    limited, delivered = await api.wait_for_calls("sendMessage", 2, chat_id=alice_chat.id, ok=None, timeout=30)
    assert (limited.status, delivered.status) == (429, 200) and delivered.at - limited.at >= 1.0
    [bob_answer] = await api.wait_for_calls("sendMessage", 1, chat_id=bob_chat.id, timeout=30)
    assert "[1]" in bob_answer.text and "[1]" in delivered.text
    await settle(bot, alice_chat, alice)
    await settle(bot, bob_chat, bob)
    assert len(api.calls_to("sendMessage", chat_id=bob_chat.id, ok=None)) == 2  # the answer and /help


async def test_server_errors_and_dropped_connections_are_retried_and_others_served(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    (alice_chat, alice), (bob_chat, bob) = await two_chats(api)
    carol = api.user("Carol")
    carol_chat = api.private_chat(carol)
    api.fail_next("sendMessage", Fault.server_error(500), chat_id=alice_chat.id)
    api.fail_next("sendMessage", Fault.connection_reset(), chat_id=alice_chat.id)
    api.fail_next("sendMessage", Fault.server_error(502), times=3, chat_id=carol_chat.id)  # past the retries
    for chat, user in ((alice_chat, alice), (bob_chat, bob), (carol_chat, carol)):
        api.push_text(chat, user, DEPORTED)
    [alice_answer] = await api.wait_for_calls("sendMessage", 1, chat_id=alice_chat.id, timeout=30)
    [bob_answer] = await api.wait_for_calls("sendMessage", 1, chat_id=bob_chat.id, timeout=30)
    await api.wait_for(lambda: len(api.calls_to("sendMessage", chat_id=carol_chat.id, ok=False)) == 3, timeout=30)
    await settle(bot, carol_chat, carol)

    assert [c.status for c in api.calls_to("sendMessage", chat_id=alice_chat.id, ok=None)] == [500, 0, 200]
    assert "[1]" in alice_answer.text and "[1]" in bob_answer.text
    assert [c.status for c in api.calls_to("sendMessage", chat_id=carol_chat.id, ok=None)] == [502, 502, 502, 200]
    assert "How to ask" in api.calls_to("sendMessage", chat_id=carol_chat.id)[0].text  # no apology, no duplicate
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 4 and all(r.levelno == logging.WARNING for r in caplog.records if "retry" in r.getMessage())
    # Carol's answer is not dropped: it waits in the journal to be resent once Telegram takes it
    assert any("will be resent later" in r.getMessage() for r in caplog.records if r.name == "bot.telegram.handlers")
    assert bot.journal.queued_replies() == 1
    assert not problems(caplog)


async def test_a_stalled_call_times_out_while_other_chats_are_served(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot(limits=replace(FAST, read_timeout_s=4.0))
    api = bot.api
    (alice_chat, alice), (bob_chat, bob) = await two_chats(api)
    api.fail_next("sendMessage", Fault.stall(30), chat_id=alice_chat.id)
    api.push_text(alice_chat, alice, DEPORTED)
    await api.wait_for_calls("sendMessage", 1, chat_id=alice_chat.id, ok=None, timeout=30)

    def timed_out() -> bool:
        return any("did not answer in time" in r.getMessage() for r in caplog.records)

    [bob_answer] = await bot.exchange(lambda: api.push_text(bob_chat, bob, DEPORTED), bob_chat.id)
    assert "[1]" in bob_answer.text and not timed_out()  # Bob was answered while Alice's reply hung
    await api.wait_for(timed_out, timeout=10)
    [again] = await bot.exchange(lambda: api.push_text(alice_chat, alice, DEPORTED), alice_chat.id)
    assert "[1]" in again.text
    assert [c.status for c in api.calls_to("sendMessage", chat_id=alice_chat.id, ok=None)] == [0, 200]  # no retry
    assert not problems(caplog)


async def test_a_user_who_blocked_the_bot_is_logged_once_and_not_retried(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    api = bot.api
    (alice_chat, alice), (bob_chat, bob) = await two_chats(api)
    api.block(alice)
    api.push_text(alice_chat, alice, DEPORTED)
    [bob_answer] = await bot.exchange(lambda: api.push_text(bob_chat, bob, DEPORTED), bob_chat.id)
    await api.wait_for(lambda: api.calls_to("sendMessage", chat_id=alice_chat.id, ok=None), timeout=30)
    api.unblock(alice)
    await settle(bot, alice_chat, alice)

    assert [c.status for c in api.calls_to("sendMessage", chat_id=alice_chat.id, ok=None)] == [403, 200]
    blocked = [r for r in caplog.records if "blocked" in r.getMessage()]
    assert len(blocked) == 1 and blocked[0].levelno == logging.WARNING and not blocked[0].exc_info
    assert "[1]" in bob_answer.text
    assert not problems(caplog)


async def test_refused_html_is_resent_as_plain_text(start_bot: StartBot, caplog: pytest.LogCaptureFixture) -> None:
    bot = await start_bot()
    api = bot.api
    (alice_chat, alice), (bob_chat, bob) = await two_chats(api)
    api.fail_next("sendMessage", Fault.cant_parse_entities(), chat_id=alice_chat.id)
    api.push_text(alice_chat, alice, DEPORTED)
    [bob_answer] = await bot.exchange(lambda: api.push_text(bob_chat, bob, DEPORTED), bob_chat.id)
    refused, plain = await api.wait_for_calls("sendMessage", 2, chat_id=alice_chat.id, ok=None, timeout=30)

    assert refused.status == 400 and refused.params["parse_mode"] == "HTML"
    assert plain.ok and "parse_mode" not in plain.params
    assert plain.text == html_to_plain(refused.text)
    assert "<" not in plain.text and "[1]" in plain.text and "(https://" in plain.text
    assert plain.buttons == refused.buttons  # the source buttons survive
    assert plain.text.split("\n")[0] == html_to_plain(bob_answer.text).split("\n")[0]
    assert [r.levelno for r in caplog.records if "plain text" in r.getMessage()] == [logging.WARNING]
    assert not problems(caplog)


# -- concurrency -----------------------------------------------------------------------------------


async def test_a_chat_with_many_queued_updates_holds_one_slot() -> None:
    processor = PerChatUpdateProcessor(2)
    started: list[tuple[int, int]] = []

    def update(update_id: int, chat_id: int) -> Any:
        from datetime import UTC, datetime

        from telegram import Chat as TgChat
        from telegram import Message as TgMessage
        from telegram import Update

        return Update(update_id, message=TgMessage(update_id, datetime.now(UTC), TgChat(chat_id, TgChat.PRIVATE)))

    async def work(update_id: int, chat_id: int) -> None:
        started.append((chat_id, update_id))
        await asyncio.sleep(0.1)

    plan = [(1, 10), (2, 10), (3, 10), (4, 10), (5, 20), (6, 30)]
    async with processor:
        await asyncio.gather(*(processor.process_update(update(u, c), work(u, c)) for u, c in plan))
    # with 2 slots, chats 20 and 30 start before chat 10's second update; chat 10 stays in order
    assert started.index((20, 5)) < started.index((10, 2)) and started.index((30, 6)) < started.index((10, 3))
    assert [u for c, u in started if c == 10] == [1, 2, 3, 4]


class RecordingAnswerer:
    """The extractive answerer, remembering the passages each answer was given."""

    name = "recording-extractive"

    def __init__(self, embedder: SentenceTransformerEmbedder) -> None:
        self.inner = ExtractiveAnswerer(embedder)
        self.seen: list[tuple[str, ...]] = []

    async def answer(
        self, question: str, passages: Sequence[Passage], *, on_partial: PartialCallback | None = None
    ) -> Answer:
        """Record the passages' chunk ids, then answer extractively."""
        self.seen.append(tuple(p.chunk_id for p in passages))
        return await self.inner.answer(question, passages)


QUETTA = "How many Afghan families will the Quetta registration drive cover?"
ARTICLE = """<!doctype html><html lang="en"><head>
<title>Quetta registration drive to cover {families} Afghan families</title>
<meta property="og:site_name" content="Balochistan Test Gazette">
<meta property="article:published_time" content="2026-02-0{day}T09:00:00+05:00">
</head><body><article><h1>Quetta registration drive to cover {families} Afghan families</h1>
<p>QUETTA: Provincial officials said on Tuesday that a new registration drive in Quetta will cover
{families} Afghan families who hold no documents, giving each household a temporary slip while their
cases are reviewed by the Ministry of States and Frontier Regions.</p>
<p>The drive, which opens at {centres} centres across the city, is meant to separate families with pending
refugee claims from people the interior ministry intends to repatriate under the existing plan.</p>
<p>Officials said the slips would be valid for ninety days and that police had been told not to detain
holders while the review continues, according to a notification seen by reporters.</p>
</article></body></html>"""
VERSIONS = {
    1: {"families": "120,000", "day": 3, "centres": "six"},
    2: {"families": "150,000", "day": 5, "centres": "nine"},
}


@contextlib.asynccontextmanager
async def changing_article() -> AsyncIterator[tuple[str, dict[str, int]]]:
    """Serve one article URL whose version (1 or 2) the test switches; yield the URL and the switch."""
    state = {"version": 1}
    async with serve_page("/news/quetta", lambda: ARTICLE.format(**VERSIONS[state["version"]])) as (url, _):
        yield url, state


@pytest.mark.slow
async def test_answers_during_add_see_the_old_or_the_new_index_never_a_mix(
    start_bot: StartBot, embedder: SentenceTransformerEmbedder
) -> None:
    recorder = RecordingAnswerer(embedder)
    bot = await start_bot(answerer=recorder, admin_ids=(1001,), allow_private_urls=True)
    api = bot.api
    admin = api.user("Admin")
    admin_chat = api.private_chat(admin)
    askers = [(api.private_chat(user), user) for user in (api.user(f"User {i}") for i in range(4))]
    async with changing_article() as (url, state):
        [added] = await bot.exchange(lambda: api.push_text(admin_chat, admin, f"/add {url}"), admin_chat.id)
        assert added.text.startswith("Added")
        old_chunks = {c.chunk_id for c in bot.service.snapshot.chunks}
        state["version"] = 2

        replies: list[tuple[float, Call]] = []  # (when asked, the reply)
        added_at: list[float] = []

        async def keep_asking(chat: Chat, user: User) -> None:
            while True:
                asked_at = time.monotonic()
                [reply] = await bot.exchange(lambda: api.push_text(chat, user, QUETTA), chat.id)
                replies.append((asked_at, reply))
                if added_at and asked_at > added_at[0]:
                    return

        async def re_add() -> None:
            await api.wait_for(lambda: len(recorder.seen) >= 2, timeout=30)  # answers are under way
            [updated] = await bot.exchange(lambda: api.push_text(admin_chat, admin, f"/add {url}"), admin_chat.id)
            added_at.append(time.monotonic())
            assert updated.text.startswith("Updated"), updated.text

        await asyncio.gather(re_add(), *(keep_asking(chat, user) for chat, user in askers))
        new_chunks = {c.chunk_id for c in bot.service.snapshot.chunks}

    assert old_chunks - new_chunks and new_chunks - old_chunks  # the article's passages were replaced
    states = []
    for seen in recorder.seen:
        in_old, in_new = set(seen) <= old_chunks, set(seen) <= new_chunks
        assert in_old or in_new, "an answer got passages from two versions of the index"
        states.append("old" if not in_new else "new" if not in_old else "either")
    assert "old" in states and "new" in states
    for asked_at, reply in replies:
        assert len(set(re.findall(r"1[25]0,000", reply.text))) <= 1, reply.text
        if asked_at > added_at[0]:
            assert "150,000" in reply.text, reply.text


# -- shutdown --------------------------------------------------------------------------------------

SLOW_BOT_SCRIPT = textwrap.dedent(
    """
    import asyncio, logging, sys
    from bot.answering.answers import Answer
    from bot.settings import Settings
    from bot.telegram.application import TelegramLimits, run_bot

    class SlowService:  # what the handlers use of AnswerService, answering slowly
        async def start(self):
            print("started", flush=True)

        async def ask(self, question, history=(), *, on_partial=None):
            await asyncio.sleep(600 if "forever" in question else 1.0)
            return Answer(question, f"Answered: {question}", (), False, None, "slow")

        async def aclose(self):
            print("closed", flush=True)

    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    token, base_url, data_dir, grace = sys.argv[1:5]
    settings = Settings(data_dir=data_dir, telegram_bot_token=token, telegram_api_base_url=base_url)
    run_bot(settings, SlowService(), limits=TelegramLimits(shutdown_grace_s=float(grace)))
    print("stopped cleanly", flush=True)
    """
)


@pytest.mark.slow
async def test_sigterm_finishes_answers_in_flight_and_drops_a_stuck_one_within_the_grace(
    api: FakeBotApi, tmp_path: Path
) -> None:
    grace_s = 2.5
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SLOW_BOT_SCRIPT,
        api.token,
        api.base_url,
        str(tmp_path),
        str(grace_s),
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        alice, bob = api.user("Alice"), api.user("Bob")
        alice_chat, bob_chat = api.private_chat(alice), api.private_chat(bob)
        api.push_text(alice_chat, alice, "How many were deported?")
        api.push_text(bob_chat, bob, "A question that takes forever")
        for chat in (alice_chat, bob_chat):  # both answers are in flight
            await api.wait_for(lambda chat=chat: api.calls_to("sendChatAction", chat_id=chat.id), timeout=60)
        process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        took = time.monotonic() - signalled
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    log_text = stderr.decode()
    assert process.returncode == 0, log_text[-3000:]
    assert stdout.decode().split() == ["started", "closed", "stopped", "cleanly"]
    assert took < grace_s + 3, took
    [finished] = api.calls_to("sendMessage", chat_id=alice_chat.id)
    assert finished.text == "Answered: How many were deported?"
    [dropped] = api.calls_to("sendMessage", chat_id=bob_chat.id)
    assert dropped.text == RESTARTING_TEXT and dropped.at - signalled >= grace_s - 0.2
    assert "Traceback" not in log_text and api.token not in log_text
