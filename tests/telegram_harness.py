"""Helpers for the tests that run the real PTB Application against the fake Bot API on 127.0.0.1 (the ``api``
and ``start_bot`` fixtures in conftest.py build on them)."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes.bot_api import Call, Chat, FakeBotApi, User
from fakes.polling import AnyApp, polling

from bot.answering.service import AnswerService
from bot.settings import Settings
from bot.telegram.application import TelegramLimits
from bot.telegram.handlers import DEPS_KEY, BotDeps
from bot.telegram.journal import Journal

ROOT = Path(__file__).resolve().parent.parent
DEPORTED = "How many Afghans has Pakistan deported?"
FIGURE_RE = re.compile(r"527,000|11,000|11,230|one million|1\.\d million")
# Short timeouts and retry pauses keep fault tests fast; the logic is the production one.
FAST = TelegramLimits(read_timeout_s=1.5, retry_delay_s=0.05, shutdown_grace_s=1.0)


@dataclass
class Harness:
    """A running bot and what it talks to."""

    api: FakeBotApi
    app: AnyApp
    service: AnswerService
    settings: Settings

    async def exchange(self, push: Callable[[], object], chat_id: int, count: int = 1) -> list[Call]:
        """Do ``push`` and return the next ``count`` messages the bot sends to ``chat_id``."""
        before = len(self.api.calls_to("sendMessage", chat_id=chat_id))
        push()
        calls = await self.api.wait_for_calls("sendMessage", before + count, chat_id=chat_id, timeout=30)
        return calls[before:]

    async def settle(self, chat: Chat, user: User) -> None:
        """Wait until every earlier update of ``chat`` was handled (its updates are processed in order)."""
        await self.exchange(lambda: self.api.push_text(chat, user, "/help"), chat.id)

    @property
    def journal(self) -> Journal:
        """The bot's durable state: updates, chat history, answers behind buttons, refused replies."""
        found = self.app.bot_data[DEPS_KEY]
        assert isinstance(found, BotDeps)
        return found.journal


StartBot = Callable[..., Awaitable[Harness]]


def make_settings(api: FakeBotApi, data_dir: Path, **overrides: Any) -> Settings:
    """Settings pointing at the fake API and a test data directory (no .env)."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "telegram_bot_token": api.token,
        "telegram_api_base_url": api.base_url,
    }
    values.update(overrides)
    return Settings(**values)


def running(app: AnyApp) -> contextlib.AbstractAsyncContextManager[AnyApp]:
    """``app`` polling the fake API like run_polling does (see fakes/polling.py); stopped afterwards."""
    return polling(app, timeout_s=1)


def problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Records at ERROR or above from the bot or PTB."""
    return [
        r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(("bot", "telegram"))
    ]


async def settle(bot: Harness, chat: Chat, user: User) -> None:
    """Wait until every earlier update of ``chat`` was handled: send /help and wait for its reply (counting
    only replies to /help, unlike ``Harness.settle``, so other messages sent meanwhile do not end the wait)."""
    api = bot.api

    def helps() -> list[Call]:
        return [c for c in api.calls_to("sendMessage", chat_id=chat.id) if "How to ask" in c.text]

    before = len(helps())
    api.push_text(chat, user, "/help")
    await api.wait_for(lambda: len(helps()) > before, timeout=30)
