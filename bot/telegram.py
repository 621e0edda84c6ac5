"""Build the Telegram Application (handlers in order, rate limiter, per-chat ordering) and run it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault, Update
from telegram.error import InvalidToken
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import handlers
from bot.errors import ConfigError
from bot.formatting import is_example_callback, is_quote_callback, is_sources_callback
from bot.service import AnswerService
from bot.settings import Settings

log = logging.getLogger(__name__)

RATE_LIMIT_MAX_RETRIES = 3
GATE_GROUP = -1
TOKEN_LOGGERS = (
    "telegram.Bot",
    "telegram.ext",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
)
ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)
PRIVATE_COMMANDS = (
    BotCommand("start", "What I know, with example questions"),
    BotCommand("help", "How to ask and what citations mean"),
    BotCommand("sources", "The indexed articles, newest first"),
    BotCommand("ask", "Ask a question (also works in groups)"),
    BotCommand("reset", "Forget our earlier questions"),
)
GROUP_COMMANDS = (
    BotCommand("ask", "Ask a question about the repatriation policy"),
    BotCommand("sources", "The indexed articles, newest first"),
    BotCommand("help", "How to ask and what citations mean"),
    BotCommand("reset", "Forget this group's earlier questions"),
)


@dataclass
class _ChatLock:
    """A chat's lock and how many updates hold or await it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Processes up to N updates at once, but the updates of one chat one by one, in arrival order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[Hashable, _ChatLock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once earlier updates of the same chat are done."""
        key = _order_key(update)
        if key is None:
            await coroutine
            return
        entry = self._chats.setdefault(key, _ChatLock())
        entry.users += 1
        try:
            async with entry.lock:
                await coroutine
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _order_key(update: object) -> Hashable | None:
    """The chat whose updates must stay in order (the user's, for inline callbacks); None if neither."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class RedactSecret(logging.Filter):
    """Replaces a secret in the records of the logger it is attached to."""

    def __init__(self, secret: str, replacement: str = "<token>") -> None:
        super().__init__()
        self.secret = secret
        self.replacement = replacement

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message and traceback text without the secret; never drops a record."""
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, self.replacement), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, self.replacement)
        return True


def keep_token_out_of_logs(token: str) -> None:
    """httpx logs request URLs and PTB logs its API URLs at DEBUG; both contain the token."""
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecret) and f.secret == token for f in logger.filters):
            logger.addFilter(RedactSecret(token))


def file_base_url(base_url: str) -> str:
    """The file download URL matching a Bot API base URL (``…/bot`` → ``…/file/bot``)."""
    prefix, marker, rest = base_url.rpartition("/bot")
    if not marker:
        raise ConfigError(f"TELEGRAM_API_BASE_URL must end in /bot (like https://api.telegram.org/bot): {base_url}")
    return f"{prefix}/file/bot{rest}"


def build_application(settings: Settings, service: AnswerService) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot's Application with its handlers registered, ready to run or to test."""
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set; get one from @BotFather and put it in the environment.")
    keep_token_out_of_logs(token)

    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Load the index, store the dependencies and register the command menus."""
        await service.start()
        application.bot_data[handlers.DEPS_KEY] = handlers.BotDeps(settings, service)
        await application.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeDefault())
        await application.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())

    async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Close the answer backend's connections (services without any have no ``aclose``)."""
        closer = getattr(service, "aclose", None)
        if closer is not None:
            await closer()

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_MAX_RETRIES))
        .concurrent_updates(PerChatUpdateProcessor(settings.concurrent_updates))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(application)
    return application


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler, in the order they are tried, and the error handler."""
    new_message = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, handlers.enforce_allowed_chats), group=GATE_GROUP)
    commands = {
        "start": handlers.start,
        "help": handlers.help_command,
        "sources": handlers.sources_command,
        "reset": handlers.reset_command,
        "ask": handlers.ask_command,
        "add": handlers.add_command,
        "stats": handlers.stats_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=new_message))
    application.add_handler(MessageHandler(private & new_message & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(private & new_message & filters.TEXT, handlers.private_question))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & new_message & filters.TEXT & ~filters.COMMAND, handlers.group_message)
    )
    application.add_handler(MessageHandler(private & new_message & filters.ATTACHMENT, handlers.media_hint))
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, handlers.edited_hint))
    application.add_handler(CallbackQueryHandler(handlers.quote_button, pattern=is_quote_callback))
    application.add_handler(CallbackQueryHandler(handlers.sources_button, pattern=is_sources_callback))
    application.add_handler(CallbackQueryHandler(handlers.example_button, pattern=is_example_callback))
    application.add_handler(CallbackQueryHandler(handlers.expired_button))
    application.add_error_handler(handlers.on_error)


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments of ``run_webhook`` for ``settings.webhook_url`` (the path of that URL is served)."""
    if not settings.webhook_url:
        raise ConfigError("webhook mode needs POLICYBOT_WEBHOOK_URL")
    url = urlsplit(settings.webhook_url)
    if url.scheme != "https" or not url.hostname:
        raise ConfigError(f"POLICYBOT_WEBHOOK_URL must be an https URL: {settings.webhook_url}")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": url.path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
        "allowed_updates": list(ALLOWED_UPDATES),
    }


def run_bot(settings: Settings, service: AnswerService) -> None:
    """Run until SIGINT/SIGTERM: long polling, or a webhook server when ``webhook_url`` is set."""
    application = build_application(settings, service)
    try:
        if settings.webhook_url:
            options = webhook_options(settings)
            if options["secret_token"] is None:
                log.warning("POLICYBOT_WEBHOOK_SECRET is not set: anyone who learns the webhook URL can post updates")
            log.info("serving the webhook on %s:%s/%s", options["listen"], options["port"], options["url_path"])
            application.run_webhook(**options)
        else:
            log.info("long polling for updates")
            application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    except InvalidToken:  # its message quotes the token
        raise ConfigError("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.") from None
