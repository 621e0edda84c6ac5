"""Loaded by ``python -m bench.versus --without-bulk-limit`` (this folder first on the ``PYTHONPATH``) into
both sides' benchmark processes, never into the bot: PTB's ``AIORateLimiter`` gets no overall limit
(``overall_max_rate=0``; Telegram's 30 messages a second for a whole bot), so a load run measures what the
bot itself can serve instead of that cap. Its other limits (per group, paid broadcasts) and its flood-control
retries are kept. Nothing else is changed.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter

_limited_init = AIORateLimiter.__init__


def _without_overall_limit(self: AIORateLimiter, *args: Any, **kwargs: Any) -> None:
    if args:  # overall_max_rate is the first positional argument
        args = (0, *args[1:])
    else:
        kwargs["overall_max_rate"] = 0
    _limited_init(self, *args, **kwargs)


AIORateLimiter.__init__ = _without_overall_limit  # type: ignore[method-assign]
