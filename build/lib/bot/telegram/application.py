"""Build the Telegram Application (handlers in order, rate limiter, per-chat ordering, the journal's update
queue) and run it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut
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

from bot.answering.service import AnswerService
from bot.errors import ConfigError
from bot.rendering import Clock, utc_now
from bot.settings import Settings
from bot.telegram import handlers
from bot.telegram.formatting import html_to_plain, is_example_callback, is_quote_callback, is_sources_callback
from bot.telegram.journal import DEFAULT_JOURNAL_LIMITS, Journal, JournalLimits, JournalQueue

log = logging.getLogger(__name__)

RATE_LIMIT_MAX_RETRIES = 3
TRANSIENT_RETRIES = 2
RETRY_DELAY_S = 0.5
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
WRITE_TIMEOUT_S = 10.0
POOL_TIMEOUT_S = 5.0
SHUTDOWN_GRACE_S = 5.0
UNBOUNDED_UPDATES = 2**31 - 1
FIRST_FEED_POLL_S = 60.0
GATE_GROUP = -1
TOKEN_LOGGERS = (
    "telegram.Bot",
    "telegram.ext",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
)
# Every logger under these names gets the redacting filter (a logger's filter does not see its children's records).
REDACTED_LOGGER_PREFIXES = ("telegram", "httpx", "httpcore", "tornado", "bot", "index", "asyncio")
PostCallback = Callable[..., Coroutine[Any, Any, Any]]


@dataclass(frozen=True, kw_only=True)
class TelegramLimits:
    """Timeouts and retries of the bot's Bot API calls, and how long a shutdown waits for answers."""

    connect_timeout_s: float = CONNECT_TIMEOUT_S
    read_timeout_s: float = READ_TIMEOUT_S
    write_timeout_s: float = WRITE_TIMEOUT_S
    pool_timeout_s: float = POOL_TIMEOUT_S
    flood_retries: int = RATE_LIMIT_MAX_RETRIES
    transient_retries: int = TRANSIENT_RETRIES
    retry_delay_s: float = RETRY_DELAY_S
    shutdown_grace_s: float = SHUTDOWN_GRACE_S


DEFAULT_LIMITS = TelegramLimits()
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
    """Processes up to N updates at once, but the updates of one chat one by one, in arrival order.

    An update waits for its chat's turn before it takes one of the N slots, so a chat that sends many
    messages at once holds one slot, not many (the base class would take a slot first, so it admits
    every update and the N slots are taken here). On shutdown, updates in flight get
    ``shutdown_grace_s`` to finish; then they are cancelled and any still waiting are dropped.
    """

    def __init__(
        self,
        max_concurrent_updates: int,
        *,
        shutdown_grace_s: float = SHUTDOWN_GRACE_S,
        on_finished: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(UNBOUNDED_UPDATES)
        self.slots = max_concurrent_updates
        self.on_finished = on_finished  # told of each update handled to the end (not dropped or cancelled)
        self.shutdown_grace_s = shutdown_grace_s
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._chats: dict[Hashable, _ChatLock] = {}
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._dropping = False
        self._drop_timer: asyncio.TimerHandle | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once earlier updates of the same chat are done and a slot is free."""
        key = _order_key(update)
        if key is None:
            async with self._slots:
                await self._run(update, coroutine)
            return
        entry = self._chats.setdefault(key, _ChatLock())
        entry.users += 1
        try:
            async with entry.lock, self._slots:
                await self._run(update, coroutine)
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._chats[key]

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine``, unless the shutdown's grace period is over; report it finished."""
        if self._dropping:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            log.info("shutting down: dropped update %s", getattr(update, "update_id", None))
            return
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await coroutine
        finally:
            if task is not None:
                self._in_flight.discard(task)
        if self.on_finished is not None:
            self.on_finished(update)

    def drop_after_grace(self) -> None:
        """Start the shutdown clock: after ``shutdown_grace_s``, cancel what still runs, drop what waits."""
        if self._drop_timer is None:
            self._drop_timer = asyncio.get_running_loop().call_later(self.shutdown_grace_s, self._drop_in_flight)

    def _drop_in_flight(self) -> None:
        """Cancel the updates still running (their handlers clean up) and drop any not started."""
        self._dropping = True
        if self._in_flight:
            log.warning("shutting down: cancelling %d update(s) still in progress", len(self._in_flight))
        for task in self._in_flight:
            task.cancel()

    async def initialize(self) -> None:
        """Accept updates again (after a stop)."""
        self._dropping = False

    async def shutdown(self) -> None:
        """Stop the shutdown clock."""
        if self._drop_timer is not None:
            self._drop_timer.cancel()
            self._drop_timer = None


class PolicybotApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application that keeps full garbage collections short while it runs, resends refused replies
    from the journal while it runs, and whose ``stop`` waits for updates in flight only for the
    processor's grace period."""

    _resender: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start processing updates, with everything loaded so far frozen out of garbage collection.

        The model, the index and PTB's objects live as long as the bot; a full collection scanning them
        holds the GIL for over 250 ms under load, a stall of every chat.
        """
        await super().start()
        if isinstance(self.update_queue, JournalQueue):
            self._resender = asyncio.create_task(self._resend_refused_replies(self.update_queue.journal))
        gc.collect()
        gc.freeze()

    async def _resend_refused_replies(self, journal: Journal) -> None:
        """Every ``outbox_retry_s``, resend the replies that are due."""
        while True:
            await asyncio.sleep(journal.limits.outbox_retry_s)
            try:
                await handlers.deliver_queued_replies(self.bot, journal)
            except Exception:  # never let the resender die: the next round tries again
                log.exception("resending refused replies failed")

    async def stop(self) -> None:
        """Stop fetching updates; give those in flight ``shutdown_grace_s`` to finish, then cancel them."""
        if self._resender is not None:
            self._resender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._resender
            self._resender = None
        if isinstance(self.update_processor, PerChatUpdateProcessor):
            self.update_processor.drop_after_grace()
        await super().stop()

    async def shutdown(self) -> None:
        """Release the bot's resources and let the garbage collector see the frozen objects again."""
        await super().shutdown()
        gc.unfreeze()


class ResilientRateLimiter(AIORateLimiter):
    """PTB's rate limiter (flood control waited out), and: a 5xx or a dropped connection is retried
    after a pause; a message whose HTML Telegram refuses is sent again as plain text.

    A timeout is not retried: Telegram may have delivered the message, and a second copy is worse
    than none; the error handler logs it and the chat carries on.
    """

    def __init__(self, *, flood_retries: int, transient_retries: int, retry_delay_s: float) -> None:
        super().__init__(max_retries=flood_retries)
        self._transient_retries = transient_retries
        self._retry_delay_s = retry_delay_s

    async def process_request(
        self,
        callback: PostCallback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Send the request through the rate limiter, retrying transient failures and refused markup."""
        failures = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest as exc:
                if not refused_markup(exc, data):
                    raise
                log.warning(
                    "Telegram refused the HTML of %s to chat %s (%s); resending as plain text",
                    endpoint,
                    data.get("chat_id"),
                    exc,
                )
                data = plain_text_request(data)
                args = (endpoint, data)
            except TimedOut:
                raise
            except NetworkError as exc:
                if failures >= self._transient_retries:
                    raise
                failures += 1
                delay = self._retry_delay_s * 2 ** (failures - 1)
                log.warning(
                    "Telegram %s to chat %s failed (%s); retry %d of %d in %.1f s",
                    endpoint,
                    data.get("chat_id"),
                    exc,
                    failures,
                    self._transient_retries,
                    delay,
                )
                await asyncio.sleep(delay)


def refused_markup(error: BadRequest, data: dict[str, Any]) -> bool:
    """True when Telegram could not parse the HTML of a text message (not already sent as plain text)."""
    return "can't parse entities" in error.message.lower() and bool(data.get("parse_mode")) and "text" in data


def plain_text_request(data: dict[str, Any]) -> dict[str, Any]:
    """The same request with its HTML text turned into plain text and no parse mode."""
    plain = {key: value for key, value in data.items() if key not in {"parse_mode", "entities"}}
    plain["text"] = html_to_plain(str(data["text"]))
    return plain


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


def keep_token_out_of_logs(token: str, *others: tuple[str, str]) -> None:
    """httpx logs request URLs and PTB logs its API URLs at DEBUG; both contain the token. Redact it
    (and each ``(secret, replacement)`` in ``others``) in every logger that exists for the libraries
    and this project, and in the root logger."""
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    names = {*TOKEN_LOGGERS, *logging.root.manager.loggerDict}
    loggers = [logging.getLogger(name) for name in names if name.split(".")[0] in REDACTED_LOGGER_PREFIXES]
    for logger in [*loggers, logging.getLogger()]:
        for secret, replacement in ((token, "<token>"), *others):
            if secret and not any(isinstance(f, RedactSecret) and f.secret == secret for f in logger.filters):
                logger.addFilter(RedactSecret(secret, replacement))


def file_base_url(base_url: str) -> str:
    """The file download URL matching a Bot API base URL (``…/bot`` → ``…/file/bot``)."""
    prefix, marker, rest = base_url.rpartition("/bot")
    if not marker:
        raise ConfigError(f"TELEGRAM_API_BASE_URL must end in /bot (like https://api.telegram.org/bot): {base_url}")
    return f"{prefix}/file/bot{rest}"


def build_application(
    settings: Settings,
    service: AnswerService,
    *,
    limits: TelegramLimits = DEFAULT_LIMITS,
    journal_limits: JournalLimits = DEFAULT_JOURNAL_LIMITS,
    clock: Clock = utc_now,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot's Application with its handlers registered, ready to run or to test; its update queue is
    the journal's (``<data_dir>/journal.sqlite``), so updates are on disk before Telegram hears back."""
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set; get one from @BotFather and put it in the environment.")
    webhook_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    keep_token_out_of_logs(token, (webhook_secret, "<webhook secret>"))

    journal = Journal.beside_index(settings.data_dir, journal_limits)
    journal.prune()
    queue = JournalQueue(journal)

    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Load the index, store the dependencies, register the command menus, and queue the updates a
        previous run received but did not finish (they are handled first)."""
        await service.start()
        application.bot_data[handlers.DEPS_KEY] = handlers.BotDeps(settings, service, journal, clock)
        await application.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeDefault())
        await application.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
        unfinished = journal.open_updates(application.bot)
        if unfinished:
            log.warning("answering %d update(s) received before the last stop", len(unfinished))
        queue.replay(unfinished)
        schedule_feed_polls(application, settings)

    async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Close the answer backend's connections (services without any have no ``aclose``) and the journal."""
        closer = getattr(service, "aclose", None)
        if closer is not None:
            await closer()
        journal.close()

    def finished(update: object) -> None:
        """An update was handled to the end: the journal will not replay it."""
        if isinstance(update, Update):
            journal.finish(update.update_id)

    rate_limiter = ResilientRateLimiter(
        flood_retries=limits.flood_retries,
        transient_retries=limits.transient_retries,
        retry_delay_s=limits.retry_delay_s,
    )
    processor = PerChatUpdateProcessor(
        settings.concurrent_updates, shutdown_grace_s=limits.shutdown_grace_s, on_finished=finished
    )
    application = (
        ApplicationBuilder()
        .application_class(PolicybotApplication)
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .connect_timeout(limits.connect_timeout_s)
        .read_timeout(limits.read_timeout_s)
        .write_timeout(limits.write_timeout_s)
        .pool_timeout(limits.pool_timeout_s)
        .rate_limiter(rate_limiter)
        .concurrent_updates(processor)
        .update_queue(queue)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(application)
    return application


def schedule_feed_polls(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Poll the feeds every ``feed_interval_min`` through PTB's JobQueue, the first pass a minute after start."""
    if application.job_queue is None:
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): feeds are not polled on a schedule")
        return
    interval_s = settings.feed_interval_min * 60
    application.job_queue.run_repeating(
        handlers.poll_feeds_job,
        interval=interval_s,
        first=min(FIRST_FEED_POLL_S, interval_s),
        name=handlers.FEED_JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


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
        "feeds": handlers.feeds_command,
        "addfeed": handlers.addfeed_command,
        "removefeed": handlers.removefeed_command,
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


def run_bot(settings: Settings, service: AnswerService, *, limits: TelegramLimits = DEFAULT_LIMITS) -> None:
    """Run until SIGINT/SIGTERM (answers in flight get ``limits.shutdown_grace_s`` to finish): long
    polling, or a webhook server when ``webhook_url`` is set."""
    application = build_application(settings, service, limits=limits)
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
