"""Shared fixtures: one real index over the seeds (real model, FAISS and BM25), copied per test; the fake Bot API
and the real bot started against it (helpers in telegram_harness.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from fakes.bot_api import FakeBotApi
from telegram_harness import Harness, StartBot, make_settings, running

from bot.answering.service import AnswerService
from bot.rendering import Clock, utc_now
from bot.settings import Settings
from bot.telegram.application import DEFAULT_LIMITS, TelegramLimits, build_application
from index.embedding import SentenceTransformerEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer's environment or .env leaks into a test."""
    for name in list(os.environ):
        if name.startswith("POLICYBOT_") or name in {
            "TELEGRAM_BOT_TOKEN",
            "TELEGRAM_API_BASE_URL",
            "OPENAI_API_KEY",
            "OPENAI_BASE_URL",
        }:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole run."""
    return SentenceTransformerEmbedder("all-MiniLM-L6-v2")


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """A data directory whose index was built from seeds/ once per run."""
    data_dir = tmp_path_factory.mktemp("seeded")
    service = AnswerService(Settings(data_dir=data_dir, seeds_dir=SEEDS), embedder)
    report = service.index_sources([str(SEEDS)])
    assert not report.failed, report.failed
    return data_dir


@pytest.fixture
def data_dir(seeded_data_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the seeded data directory for one test."""
    target = tmp_path / "data"
    shutil.copytree(seeded_data_dir, target)
    yield target


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    """Settings pointing at the test's data directory."""
    return Settings(data_dir=data_dir, seeds_dir=SEEDS)


@pytest.fixture
def service(settings: Settings, embedder: SentenceTransformerEmbedder) -> AnswerService:
    """An answering service on the seeded index, sharing the loaded model."""
    return AnswerService(settings, embedder)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API, serving on a random port."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def start_bot(api: FakeBotApi, data_dir: Path, embedder: SentenceTransformerEmbedder) -> AsyncIterator[StartBot]:
    """Start the real Application against the fake API: ``await start_bot(answerer=..., clock=..., limits=...,
    **settings)``; every bot started is stopped at the end of the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(
            answerer: Any = None, clock: Clock = utc_now, limits: TelegramLimits = DEFAULT_LIMITS, **overrides: Any
        ) -> Harness:
            settings = make_settings(api, data_dir, **overrides)
            service = AnswerService(settings, embedder, answerer=answerer)
            app = build_application(settings, service, limits=limits, clock=clock)
            await stack.enter_async_context(running(app))
            return Harness(api, app, service, settings)

        yield start
