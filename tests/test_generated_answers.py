"""Generated answers through the whole service: real index, real openai client, scripted server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.bot_api import FakeBotApi
from fakes.openai_server import FakeOpenAIServer, Reply
from pydantic import SecretStr
from telegram_harness import running

from bot.answering.llm import OpenAIAnswerer
from bot.answering.prompts import PromptLibrary
from bot.answering.service import AnswerService
from bot.settings import PROJECT_ROOT, Settings
from bot.telegram.application import build_application
from index.embedding import SentenceTransformerEmbedder

API_KEY = "sk-test-service-91c2e7d4a0b3f658"
QUESTION = "How many Afghans has Pakistan deported?"

pytestmark = pytest.mark.slow


@pytest.fixture
async def openai_server() -> AsyncIterator[FakeOpenAIServer]:
    """A scripted chat-completions server."""
    async with FakeOpenAIServer(API_KEY) as server:
        yield server


def _service(
    data_dir: Path, embedder: SentenceTransformerEmbedder, server: FakeOpenAIServer, key: str
) -> AnswerService:
    settings = Settings(
        data_dir=data_dir,
        seeds_dir=PROJECT_ROOT / "seeds",
        openai_api_key=key,
        openai_base_url=server.base_url,
        llm_model="fake-model",
        llm_timeout_s=2.0,
        llm_max_retries=1,
    )
    llm = OpenAIAnswerer(settings, PromptLibrary(settings.prompts_dir))
    return AnswerService(settings, embedder, answerer=llm, condenser=llm)


async def _seed_passage_number(service: AnswerService) -> int:
    """The [n] the prompt gives the seed's 527,000 passage."""
    _, passages = await service.retrieve(QUESTION)
    return next(n for n, p in enumerate(passages, start=1) if "527,000" in p.text)


async def test_a_checked_generated_answer_is_sent(
    data_dir: Path, embedder: SentenceTransformerEmbedder, openai_server: FakeOpenAIServer
) -> None:
    service = _service(data_dir, embedder, openai_server, API_KEY)
    n = await _seed_passage_number(service)
    openai_server.script(
        Reply.answer(f"StratNews Global reported in April 2024 that Pakistan had deported 527,000 Afghans [{n}].")
    )
    answer = await service.ask(QUESTION)
    assert answer.backend == "openai:fake-model"
    assert "527,000" in answer.text and not answer.refused
    assert any("527,000" in c.quote for c in answer.citations)
    prompt = openai_server.requests[-1].message_text()
    assert "527,000" in prompt and API_KEY not in prompt
    await service.aclose()


async def test_an_invented_figure_falls_back_to_the_extractive_answer(
    data_dir: Path, embedder: SentenceTransformerEmbedder, openai_server: FakeOpenAIServer
) -> None:
    service = _service(data_dir, embedder, openai_server, API_KEY)
    n = await _seed_passage_number(service)
    invented = Reply.answer(f"Pakistan has deported 612,000 Afghans [{n}].")
    openai_server.script(invented, invented)
    answer = await service.ask(QUESTION)
    assert len(openai_server.requests) == 2  # one retry naming the failing figure, then the fallback
    assert "612,000" in openai_server.requests[1].message_text()
    assert answer.backend == "extractive-fallback"
    assert "612,000" not in answer.text and "527,000" in answer.text
    assert answer.note
    await service.aclose()


async def test_a_wrong_key_falls_back_and_never_logs_the_key(
    data_dir: Path,
    embedder: SentenceTransformerEmbedder,
    openai_server: FakeOpenAIServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong_key = "sk-wrong-key-0000aaaa1111bbbb"
    service = _service(data_dir, embedder, openai_server, wrong_key)
    answer = await service.ask(QUESTION)
    assert len(openai_server.requests) == 1  # 401 is not retried
    assert answer.backend == "extractive-fallback" and "527,000" in answer.text
    assert wrong_key not in caplog.text and wrong_key not in answer.text
    await service.aclose()


async def test_off_topic_questions_cost_no_model_call(
    data_dir: Path, embedder: SentenceTransformerEmbedder, openai_server: FakeOpenAIServer
) -> None:
    service = _service(data_dir, embedder, openai_server, API_KEY)
    answer = await service.ask("What is the capital of France?")
    assert answer.refused
    assert openai_server.requests == []
    await service.aclose()


async def _bot_with_model(
    stack: contextlib.AsyncExitStack,
    api: FakeBotApi,
    data_dir: Path,
    embedder: SentenceTransformerEmbedder,
    server: FakeOpenAIServer,
) -> AnswerService:
    service = _service(data_dir, embedder, server, API_KEY)
    settings = service.settings.model_copy(
        update={"telegram_bot_token": SecretStr(api.token), "telegram_api_base_url": api.base_url}
    )
    service.settings = settings
    await stack.enter_async_context(running(build_application(settings, service)))
    return service


async def test_telegram_streams_a_generated_answer_then_sends_the_checked_text(
    data_dir: Path, embedder: SentenceTransformerEmbedder, openai_server: FakeOpenAIServer, api: FakeBotApi
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        service = await _bot_with_model(stack, api, data_dir, embedder, openai_server)
        n = await _seed_passage_number(service)
        long_answer = "StratNews Global reported in April 2024 that Pakistan had deported 527,000 Afghans " * 3
        openai_server.script(Reply.answer(f"{long_answer.strip()} [{n}]."))
        alice = api.user()
        chat = api.private_chat(alice)
        api.push_text(chat, alice, QUESTION)
        final = await api.wait_for(
            lambda: [c for c in api.calls_to("editMessageText", chat_id=chat.id) if c.params.get("reply_markup")]
        )
        assert openai_server.requests[-1].body.get("stream") is True
        [message] = api.sent_messages(chat.id)  # the draft message became the answer
        assert "527,000" in message["text"] and f"[{n}]" in message["text"]
        assert message["reply_markup"] == final[0].params["reply_markup"]


async def test_telegram_replaces_a_streamed_draft_that_fails_the_checks(
    data_dir: Path, embedder: SentenceTransformerEmbedder, openai_server: FakeOpenAIServer, api: FakeBotApi
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        service = await _bot_with_model(stack, api, data_dir, embedder, openai_server)
        n = await _seed_passage_number(service)
        invented = Reply.answer(f"Pakistan has deported 612,000 Afghans, officials said on Monday [{n}].")
        openai_server.script(invented, invented)
        alice = api.user()
        chat = api.private_chat(alice)
        api.push_text(chat, alice, QUESTION)
        await api.wait_for(lambda: len(openai_server.requests) == 2 and api.sent_messages(chat.id))
        await api.wait_for(lambda: any("527,000" in m["text"] for m in api.sent_messages(chat.id)))
        texts = [m["text"] for m in api.sent_messages(chat.id)]
        assert not any("612,000" in text for text in texts)  # the invented figure never stays on screen
