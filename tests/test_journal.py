"""The journal: its retention limits on their own, then the real Application against the fake Bot API
across restarts (history and buttons kept, updates answered once, open ones replayed, refused replies
resent or counted lost, button answers that fail), and a real ``policybot bot`` killed with SIGKILL
mid-answer and started again."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes.bot_api import Chat, FakeBotApi, Fault, User
from fakes.openai_server import FakeOpenAIServer, Reply
from telegram import Update
from telegram_harness import DEPORTED, FIGURE_RE, ROOT, Harness, make_settings, running

from bot.answering.answers import Citation
from bot.answering.questions import Turn
from bot.answering.service import AnswerService
from bot.telegram.application import TelegramLimits, build_application
from bot.telegram.handlers import DELAYED_REPLY_TEXT
from bot.telegram.journal import DAY_S, Journal, JournalLimits, from_plain, load_all, to_json
from index.embedding import SentenceTransformerEmbedder

FAST = TelegramLimits(read_timeout_s=3.0, retry_delay_s=0.05, shutdown_grace_s=1.0)


def citation(n: int, **extra: Any) -> Citation:
    return Citation(n, f"doc{n}", f"Title {n}", "Dawn", "2025-03-01", None, f"quote {n}", **extra)


# -- the store on its own ---------------------------------------------------------------------------


def test_answers_are_kept_per_chat_up_to_the_limit_and_for_the_retention(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite", JournalLimits(answers_per_chat=3, state_days=1))
    now = 1_000_000.0
    for i in range(3):
        journal.remember_answer(7, f"k{i}", [citation(1), citation(2, quotes=("a", "b"))], now=now + i)
    assert journal.answer_keys(7) == ["k0", "k1", "k2"]  # at the limit: all kept
    journal.remember_answer(7, "k3", [citation(1)], now=now + 3)
    journal.remember_answer(8, "other", [citation(1)], now=now + 3)
    assert journal.answer_keys(7) == ["k1", "k2", "k3"]  # beyond it: the oldest goes
    assert journal.citations(7, "k0", now=now + 4) == ()
    assert journal.citations(7, "k1", now=now + 4)[1].passages == ("a", "b")
    assert journal.citations(7, "other") == ()  # another chat's key is not this chat's
    assert journal.citations(7, "k3", now=now + 3 + DAY_S - 1) != ()  # at the retention
    assert journal.citations(7, "k3", now=now + 3 + DAY_S + 1) == ()  # past it: expired
    journal.prune(now=now + 3 + DAY_S + 1)
    assert journal.counts()["answers"] == 0


def test_history_is_kept_for_the_retention_after_the_last_question(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite", JournalLimits(state_days=2))
    journal.set_history(5, [Turn("q1", "a1"), Turn("q2", "a2")], now=0.0)
    assert journal.history(5, now=2 * DAY_S) == (Turn("q1", "a1"), Turn("q2", "a2"))
    assert journal.history(5, now=2 * DAY_S + 1) == ()
    journal.prune(now=2 * DAY_S + 1)
    assert journal.counts()["history"] == 0
    journal.set_history(5, [Turn("q", "a")])
    journal.forget_history(5)
    assert journal.history(5) == ()


def test_finished_updates_are_remembered_for_the_retention_open_ones_until_handled(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite", JournalLimits(updates_days=1))
    first = Update.de_json({"update_id": 1}, None)
    second = Update.de_json({"update_id": 2}, None)
    assert journal.record(first, now=0.0) and journal.record(second, now=0.0)
    assert not journal.record(first, now=10.0)  # a repeat is not recorded (nor queued) again
    journal.finish(1, now=1.0)
    journal.prune(now=DAY_S - 1)
    assert not journal.record(first, now=DAY_S - 1)  # still remembered at the retention
    journal.prune(now=DAY_S + 1)
    assert journal.counts()["updates"] == 1  # the finished one is gone, the open one stays
    assert journal.is_open(2) and [u.update_id for u in journal.open_updates(None)] == [2]  # type: ignore[arg-type]
    for _ in range(journal.limits.max_replays - 1):  # up to the limit of starts, it is replayed
        assert [u.update_id for u in journal.open_updates(None)] == [2]  # type: ignore[arg-type]
    assert journal.open_updates(None) == [] and not journal.is_open(2)  # type: ignore[arg-type]


def test_refused_replies_are_bounded_in_number_and_attempts(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite", JournalLimits(max_outbox=2, outbox_attempts=2, outbox_retry_s=10))
    assert journal.queue_reply(1, 11, {"pieces": ["a"]}, now=0.0)
    assert journal.queue_reply(2, 12, {"pieces": ["b"]}, now=0.0)
    assert not journal.queue_reply(3, 13, {"pieces": ["c"]}, now=0.0)  # beyond the limit: lost, counted
    assert journal.queued_replies() == 2 and journal.lost_replies() == 1
    assert journal.due_replies(now=9.0) == []
    first, second = journal.due_replies(now=10.0)
    assert not journal.reply_failed(first, now=10.0)  # retried later, backing off
    assert journal.due_replies(now=20.0) == [second]
    [again] = [r for r in journal.due_replies(now=100.0) if r.id == first.id]
    assert journal.reply_failed(again, now=100.0)  # the last attempt: lost
    journal.reply_sent(second.id)
    assert journal.queued_replies() == 0 and journal.lost_replies() == 2


def test_the_rate_limit_counts_each_sender_over_its_window_and_keeps_no_more_rows_than_the_limit(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "j.sqlite", JournalLimits(rate_window_s=60.0))
    now = 1_000_000.0
    assert [journal.spend_question("user:1", 3, now=now + i) for i in range(3)] == [0.0, 0.0, 0.0]
    assert journal.spend_question("user:1", 3, now=now + 10) == pytest.approx(50.0)  # past the limit
    assert journal.spend_question("user:2", 3, now=now + 10) == 0.0  # another sender is not affected
    for i in range(50):  # refused questions are not recorded: the sender's rows stay at the limit
        assert journal.spend_question("user:1", 3, now=now + 11 + i * 0.1) > 0
    assert journal.counts()["asked"] == 4
    assert journal.spend_question("user:1", 3, now=now + 60.5) == 0.0  # the oldest one left the window
    assert not journal.tell_limit("user:1", 5.0, now=now)  # first notice
    assert journal.tell_limit("user:1", 5.0, now=now + 1)  # still standing
    assert not journal.tell_limit("user:1", 5.0, now=now + 7)  # lapsed
    for sender in range(1000):  # a thousand people once each: nothing stays past one window
        journal.spend_question(f"user:{sender + 10}", 3, now=now + 100)
        journal.tell_limit(f"user:{sender + 10}", 1.0, now=now + 100)
    journal.prune(now=now + 200)
    assert journal.counts()["asked"] == 0 and journal.counts()["limit_notices"] == 0


def test_citations_round_trip_and_tolerate_fields_added_or_removed_later() -> None:
    original = (citation(1, quotes=("x", "y"), verbatim=False, kind="agency", outlets=("AFP",)), citation(2))
    assert load_all(Citation, to_json(list(original))) == original
    newer = json.loads(to_json(list(original)))
    newer[0]["passage_spans"] = [[0, 4]]  # a field a later version adds
    del newer[1]["outlets"]  # one an older version did not have
    assert load_all(Citation, json.dumps(newer)) == original
    with pytest.raises(ValueError):
        from_plain(Citation, {"n": "one"})


# -- the real Application across restarts ---------------------------------------------------------------


@dataclass
class Bots:
    """Start and stop bots on one data directory, as restarts of one bot."""

    api: FakeBotApi
    data_dir: Path
    embedder: SentenceTransformerEmbedder
    stack: contextlib.AsyncExitStack

    async def start(self, journal_limits: JournalLimits | None = None, **overrides: Any) -> tuple[Harness, Any]:
        settings = make_settings(self.api, self.data_dir, **overrides)
        service = AnswerService(settings, self.embedder)
        app = build_application(settings, service, limits=FAST, journal_limits=journal_limits or JournalLimits())
        run = running(app)
        await run.__aenter__()
        self.stack.push_async_exit(run)
        return Harness(self.api, app, service, settings), run

    async def stop(self, run: Any) -> None:
        await run.__aexit__(None, None, None)


@pytest.fixture
async def bots(api: FakeBotApi, data_dir: Path, embedder: SentenceTransformerEmbedder) -> AsyncIterator[Bots]:
    async with contextlib.AsyncExitStack() as stack:
        yield Bots(api, data_dir, embedder, stack)


async def replies(api: FakeBotApi, chat: Chat, count: int, push: Callable[[], object]) -> list[Any]:
    before = len(api.calls_to("sendMessage", chat_id=chat.id))
    push()
    return (await api.wait_for_calls("sendMessage", before + count, chat_id=chat.id, timeout=60))[before:]


def press(api: FakeBotApi, user: User, answer: Any, button: int = 0) -> str:
    """``user`` presses a source button under ``answer``."""
    return api.push_callback(user, answer.result, answer.buttons[button]["callback_data"])


async def test_after_a_restart_follow_ups_keep_their_context_and_buttons_their_passage(bots: Bots) -> None:
    api = bots.api
    alice, bob = api.user("Alice"), api.user("Bob")
    chat, control = api.private_chat(alice), api.private_chat(bob)
    first, run = await bots.start(history_turns=2)
    [answer] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, DEPORTED))
    await first.settle(chat, alice)
    await bots.stop(run)

    second, _ = await bots.start(history_turns=2)
    [quote] = await replies(api, chat, 1, lambda: press(api, alice, answer))
    assert "<blockquote expandable>" in quote.text
    follow_up = "and what about ACC holders?"
    [with_context] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, follow_up))
    [without] = await replies(api, control, 1, lambda: api.push_text(control, bob, follow_up))
    assert with_context.text != without.text
    await second.settle(chat, alice)
    assert [t.question for t in second.journal.history(chat.id)] == [DEPORTED, follow_up]


async def test_only_buttons_past_retention_say_expired(bots: Bots) -> None:
    api = bots.api
    alice = api.user()
    chat = api.private_chat(alice)
    _bot, _ = await bots.start(journal_limits=JournalLimits(answers_per_chat=1))
    [old] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, DEPORTED))
    [new] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, "When did ACC holders have to leave?"))
    api.push_callback(alice, old.result, old.buttons[0]["callback_data"])
    [expired] = await api.wait_for_calls("answerCallbackQuery", 1)
    assert "expired" in expired.params["text"]
    [quote] = await replies(api, chat, 1, lambda: api.push_callback(alice, new.result, new.buttons[0]["callback_data"]))
    assert "<blockquote expandable>" in quote.text


async def test_the_rate_limit_holds_across_a_restart_and_no_state_is_kept_per_person_in_memory(
    bots: Bots,
) -> None:
    api = bots.api
    alice = api.user()
    chat = api.private_chat(alice)
    first, run = await bots.start(questions_per_minute=2)
    for _ in range(2):
        await replies(api, chat, 1, lambda: api.push_text(chat, alice, DEPORTED))
    await first.settle(chat, alice)
    await bots.stop(run)
    second, _ = await bots.start(questions_per_minute=2)
    [slow_down] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, DEPORTED))
    assert "please wait about" in slow_down.text  # a restart does not give a fresh budget
    people = [api.user(f"User {i}") for i in range(25)]
    for person in people:
        theirs = api.private_chat(person)
        for text in ("/help", DEPORTED):
            await replies(api, theirs, 1, lambda: api.push_text(theirs, person, text))  # noqa: B023 (awaited here)
    assert not second.app.user_data and not second.app.chat_data  # PTB's per-person dicts stay empty
    assert second.journal.counts()["asked"] == 2 + len(people)


async def test_a_repeated_update_after_a_restart_is_not_answered_again(bots: Bots) -> None:
    api = bots.api
    alice = api.user()
    chat = api.private_chat(alice)
    bot, run = await bots.start()
    message = api.push_text(chat, alice, DEPORTED)
    update_id = api.last_update_id
    await api.wait_for_calls("sendMessage", 1, chat_id=chat.id, timeout=60)
    await bot.settle(chat, alice)
    await bots.stop(run)
    bot, _ = await bots.start()
    api.push_update({"message": message}, update_id=update_id)  # Telegram delivers it again
    await bot.settle(chat, alice)
    texts = [c.text for c in api.calls_to("sendMessage", chat_id=chat.id)]
    assert len([t for t in texts if FIGURE_RE.search(t)]) == 1, texts


async def test_a_question_left_open_is_answered_at_start_with_a_note_that_it_is_late(
    bots: Bots, api: FakeBotApi
) -> None:
    alice = api.user()
    chat = api.private_chat(alice)
    message = {"message_id": 1, "date": int(time.time()) - 3600, "chat": chat.to_dict(), "from": alice.to_dict()}
    update = Update.de_json({"update_id": 99, "message": {**message, "text": DEPORTED}}, None)
    # received by a run that died before answering (Telegram was told, so it will not send it again)
    journal = Journal.beside_index(bots.data_dir)
    assert journal.record(update, now=time.time() - 3600)
    journal.close()

    bot, _ = await bots.start()
    [answer] = await api.wait_for_calls("sendMessage", 1, chat_id=chat.id, timeout=60)
    assert FIGURE_RE.search(answer.text) and "Sorry for the wait: you asked this at" in answer.text
    await bot.settle(chat, alice)
    assert not bot.journal.is_open(update.update_id)
    assert len(api.calls_to("sendMessage", chat_id=chat.id)) == 2  # the answer and /help's reply


async def test_a_failed_button_answer_never_stops_the_passage(bots: Bots, caplog: pytest.LogCaptureFixture) -> None:
    api = bots.api
    alice = api.user()
    chat = api.private_chat(alice)
    _bot, _ = await bots.start()
    [answer] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, DEPORTED))
    too_old = Fault(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
    api.fail_next("answerCallbackQuery", too_old)
    [quote] = await replies(api, chat, 1, lambda: press(api, alice, answer))
    assert "<blockquote expandable>" in quote.text
    [refused] = api.calls_to("answerCallbackQuery", ok=False)
    assert refused.at < quote.at  # answered first, then the passage
    assert any("could not answer button" in r.getMessage() for r in caplog.records)


async def test_a_refused_reply_is_resent_once_delivery_works(bots: Bots) -> None:
    api = bots.api
    alice = api.user()
    chat = api.private_chat(alice)
    _bot, _ = await bots.start(journal_limits=JournalLimits(outbox_retry_s=0.3), admin_ids=(alice.id,))
    # the answer's first send and both retries fail; then Telegram takes messages again
    api.fail_next("sendMessage", Fault.server_error(502), times=FAST.transient_retries + 1, chat_id=chat.id)
    api.push_text(chat, alice, DEPORTED)
    late, answer = await api.wait_for_calls("sendMessage", 2, chat_id=chat.id, timeout=60)
    assert late.text == DELAYED_REPLY_TEXT and FIGURE_RE.search(answer.text) and answer.buttons
    [stats] = await replies(api, chat, 1, lambda: api.push_text(chat, alice, "/stats"))
    assert "waiting to be resent: 0; lost: 0" in stats.text
    [quote] = await replies(api, chat, 1, lambda: press(api, alice, answer))
    assert "<blockquote expandable>" in quote.text


async def test_a_reply_refused_past_every_attempt_is_logged_lost_and_counted(
    bots: Bots, caplog: pytest.LogCaptureFixture
) -> None:
    api = bots.api
    alice, admin = api.user("Alice"), api.user("Admin")
    chat, admin_chat = api.private_chat(alice), api.private_chat(admin)
    limits = JournalLimits(outbox_retry_s=0.1, outbox_attempts=2)
    bot, _ = await bots.start(journal_limits=limits, admin_ids=(admin.id,))
    api.fail_next("sendMessage", Fault.server_error(502), times=50, chat_id=chat.id)
    api.push_text(chat, alice, DEPORTED)
    update_id = api.last_update_id
    await api.wait_for(lambda: bot.journal.lost_replies() == 1, timeout=60)
    lost = [r.getMessage() for r in caplog.records if "lost after 2 attempts" in r.getMessage()]
    assert lost and str(chat.id) in lost[0] and f"update {update_id}" in lost[0]
    [stats] = await replies(api, admin_chat, 1, lambda: api.push_text(admin_chat, admin, "/stats"))
    assert "lost: 1" in stats.text
    assert not api.calls_to("sendMessage", chat_id=chat.id)  # Telegram never took one


# -- kill -9 mid-answer ---------------------------------------------------------------------------------


async def start_policybot(
    api: FakeBotApi, llm: FakeOpenAIServer, data_dir: Path, log_path: Path
) -> asyncio.subprocess.Process:
    """The real ``policybot bot`` with generated answers from the fake OpenAI server."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": llm.base_url,
        "POLICYBOT_LLM_MODEL": "fake-model",
        "POLICYBOT_LLM_MAX_RETRIES": "0",
    }
    handle = log_path.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "-v", "--data-dir", str(data_dir), "bot",
            cwd=data_dir.parent, env=env, stdout=handle, stderr=handle,
        )  # fmt: skip
    finally:
        handle.close()


async def wait(predicate: Callable[[], object], timeout: float, process: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert process.returncode is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        await asyncio.sleep(0.1)


@pytest.mark.slow
async def test_kill_9_mid_answer_then_restart_answers_the_open_question_exactly_once(
    api: FakeBotApi, data_dir: Path, tmp_path: Path
) -> None:
    log_path = tmp_path / "bot.log"
    alice, bob = api.user("Alice"), api.user("Bob")
    alice_chat, bob_chat = api.private_chat(alice), api.private_chat(bob)

    def helps(chat: Chat) -> int:
        return sum("How to ask" in c.text for c in api.calls_to("sendMessage", chat_id=chat.id))

    async with FakeOpenAIServer("sk-test") as llm:
        # Bob's answer: the model fails and the checked offline answer is sent; Alice's: the model holds on
        llm.script(Reply.error(400), Reply.hang(600))
        process = await start_policybot(api, llm, data_dir, log_path)
        try:
            api.push_text(bob_chat, bob, DEPORTED)
            await wait(lambda: api.calls_to("sendMessage", chat_id=bob_chat.id), 180, process, log_path)
            api.push_text(bob_chat, bob, "/help")  # handled after Bob's question is finished (per-chat order)
            await wait(lambda: len(api.calls_to("sendMessage", chat_id=bob_chat.id)) == 2, 60, process, log_path)
            api.push_text(alice_chat, alice, "When did Afghan Citizen Card holders have to leave?")
            alice_update = api.last_update_id
            await wait(lambda: len(llm.requests) == 2, 60, process, log_path)  # mid-answer: typing, model asked
            assert api.calls_to("sendChatAction", chat_id=alice_chat.id)
            process.send_signal(signal.SIGKILL)
            await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert not api.calls_to("sendMessage", chat_id=alice_chat.id)  # silence so far: killed mid-answer
        journal = Journal.beside_index(data_dir)
        assert journal.is_open(alice_update)
        journal.close()

        llm.script(Reply.error(400))  # after the restart the model fails again: the offline answer is sent
        process = await start_policybot(api, llm, data_dir, log_path)
        try:
            await wait(lambda: api.calls_to("sendMessage", chat_id=alice_chat.id), 180, process, log_path)
            api.push_text(alice_chat, alice, "/help")
            api.push_text(bob_chat, bob, "/help")
            await wait(lambda: helps(alice_chat) == 1 and helps(bob_chat) == 2, 60, process, log_path)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 60)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    alice_texts = [c.text for c in api.calls_to("sendMessage", chat_id=alice_chat.id)]
    bob_texts = [c.text for c in api.calls_to("sendMessage", chat_id=bob_chat.id)]
    assert len(alice_texts) == 2 and "[1]" in alice_texts[0] and "How to ask" in alice_texts[1], alice_texts
    assert len(bob_texts) == 3 and "[1]" in bob_texts[0], bob_texts  # answered once, before the kill
    assert sum(1 for c in api.calls_to("answerCallbackQuery", ok=None)) == 0
    journal = Journal.beside_index(data_dir)
    assert not journal.is_open(alice_update)
    journal.close()
    log_text = log_path.read_text(errors="replace")
    assert "answering 1 update(s) received before the last stop" in log_text
    assert api.token not in log_text


async def test_an_update_is_acknowledged_only_once_it_is_journaled(bots: Bots) -> None:
    api = bots.api
    alice = api.user()
    chat = api.private_chat(alice)
    bot, _ = await bots.start()
    await bot.settle(chat, alice)
    blocker = sqlite3.connect(bots.data_dir / "journal.sqlite", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # the journal cannot be written: as if the disk were failing
    try:
        api.push_text(chat, alice, DEPORTED)
        update_id = api.last_update_id
        await asyncio.sleep(3.0)
        offsets = [int(c.params.get("offset", 0)) for c in api.calls_to("getUpdates", ok=None)]
        assert max(offsets) <= update_id  # never confirmed while it is not on disk
        assert not [c for c in api.calls_to("sendMessage", chat_id=chat.id) if FIGURE_RE.search(c.text)]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await api.wait_for(
        lambda: [c for c in api.calls_to("sendMessage", chat_id=chat.id) if FIGURE_RE.search(c.text)], timeout=60
    )
    await bot.settle(chat, alice)
    assert len([c for c in api.calls_to("sendMessage", chat_id=chat.id) if FIGURE_RE.search(c.text)]) == 1
    assert not bot.journal.is_open(update_id)


async def test_a_draft_left_by_a_killed_run_becomes_the_answer(bots: Bots, api: FakeBotApi) -> None:
    alice = api.user()
    chat = api.private_chat(alice)
    bot, run = await bots.start()
    draft = await bot.app.bot.send_message(chat.id, "<i>Drafting…</i> Pakistan has", parse_mode="HTML")
    await bots.stop(run)
    message = {"message_id": 1, "date": int(time.time()), "chat": chat.to_dict(), "from": alice.to_dict()}
    update = Update.de_json({"update_id": 77, "message": {**message, "text": DEPORTED}}, None)
    journal = Journal.beside_index(bots.data_dir)
    journal.record(update)
    journal.remember_draft(77, draft.message_id)  # the run was killed while this draft was shown
    journal.close()

    bot, _ = await bots.start()
    [edit] = await api.wait_for_calls("editMessageText", 1, chat_id=chat.id, timeout=60)
    assert edit.params["message_id"] == draft.message_id and FIGURE_RE.search(edit.text)
    await bot.settle(chat, alice)
    assert len(api.calls_to("sendMessage", chat_id=chat.id)) == 2  # the draft, and /help's reply: no second answer
