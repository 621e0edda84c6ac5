"""A real PTB Application started against a Bot API server as ``run_polling`` would start it, and stopped on the
way out: the one start-up sequence the tests, ``bench.load`` and ``bench.show_reply`` share."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from telegram.ext import Application

from bot.telegram.application import ALLOWED_UPDATES

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@contextlib.asynccontextmanager
async def polling(app: AnyApp, *, timeout_s: int = 1) -> AsyncIterator[AnyApp]:
    """Initialize, post_init, poll (long-poll ``timeout_s``) and start ``app``; stop it afterwards."""
    async with app:
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=timeout_s, allowed_updates=list(ALLOWED_UPDATES))
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
