"""Telegram handlers: read the update, call the answering service, send the formatted reply.

Per-chat state that must survive a restart (recent turns, recent answers' citations for the source
buttons, replies waiting to be resent) lives in the journal (bot/telegram/journal.py), which also
journals every update before Telegram is told it arrived and replays unanswered ones at start, and
per-sender question times for the rate limit. ``context.user_data`` and ``context.chat_data`` are never
used (they would keep an entry per person for ever); the settings, service and journal are in
``context.bot_data`` under ``DEPS_KEY``, put there by ``post_init``.

A question is checked (words, not a link) and counted against the sender's rate limit before the
service sees it; Telegram failures outside the bot's control (blocked, timed out, unreachable) are one
warning line each and get no reply, since it would fail the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.answering.answers import Answer, Citation
from bot.answering.questions import clean_question
from bot.answering.service import AnswerService, Turn
from bot.errors import (
    AnswerBackendError,
    BadQuestionError,
    DocumentError,
    IndexUnavailableError,
    PolicybotError,
)
from bot.phrases import Phrases, language_from_telegram, phrases_for
from bot.rendering import Clock, utc_now
from bot.settings import Settings
from bot.telegram.formatting import (
    decode_example_callback,
    decode_quote_callback,
    decode_sources_callback,
    encode_example_callback,
    encode_quote_callback,
    encode_sources_callback,
    format_added_html,
    format_answer_html,
    format_draft_html,
    format_feed_health_html,
    format_feeds_html,
    format_help_html,
    format_plain_html,
    format_quote_html,
    format_sources_html,
    format_stats_html,
    format_welcome_html,
    new_answer_key,
    page_count,
    source_button_label,
)
from bot.telegram.journal import Journal, QueuedReply
from index.feeds import parse_kind

log = logging.getLogger(__name__)

DEPS_KEY = "policybot"
LATE_NOTE_AFTER_S = 60.0
SOURCES_PAGE_SIZE = 8
SOURCE_BUTTONS_PER_ROW = 2
DRAFT_EDIT_INTERVAL_S = 1.0
TYPING_REFRESH_S = 4.5
MAX_ERROR_LINE_CHARS = 300
DROPPED_NOTICE_TIMEOUT_S = 2.0

EXAMPLE_QUESTIONS = (
    "How many Afghans has Pakistan deported?",
    "When did Afghan Citizen Card holders have to leave?",
    "What do Pakistanis think of the expulsions?",
)
EXPIRED_TEXT = "This answer has expired — please ask the question again."
NOT_ALLOWED_TEXT = "Sorry, you are not allowed to do that."
NOT_AVAILABLE_TEXT = "Sorry, this bot is not available in this chat."
MEDIA_HINT_TEXT = "I can only read text. Type your question, e.g. “How many Afghans has Pakistan deported?”"
EDITED_HINT_TEXT = "I answer new messages only — please send the corrected question as a new message."
UNKNOWN_COMMAND_TEXT = "I don't know that command. Send /help to see what I can do."
ASK_USAGE_TEXT = "Put your question after the command, e.g. /ask How many Afghans has Pakistan deported?"
ADD_USAGE_TEXT = "Usage: /add https://example.com/article"
RESET_TEXT = "Done — I forgot our earlier questions. The next one starts fresh."
RESTARTING_TEXT = "Sorry — I am restarting and could not finish your answer. I will send it when I am back."
RATE_LIMIT_TEXT = "You are asking faster than I can answer well — please wait about {seconds} seconds."
RATE_LIMIT_AGAIN_TEXT = "Still too fast: I did not answer that one. Please ask it again in about {seconds} seconds."
LATE_NOTE_TEXT = "Sorry for the wait: you asked this at {when} UTC, while I was restarting."
DELAYED_REPLY_TEXT = "Sorry — Telegram would not take my answer earlier. Here it is now:"
ANSWER_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True)
class BotDeps:
    """What every handler needs: the settings, the answering service and the clock that dates replies."""

    settings: Settings
    service: AnswerService
    journal: Journal
    clock: Clock = utc_now


@dataclass(frozen=True)
class ReplyTarget:
    """Where a reply goes: chat, forum topic, and the message it answers (groups only)."""

    chat_id: int
    thread_id: int | None = None
    reply_to: int | None = None

    @classmethod
    def for_message(cls, message: Message, *, quote: bool) -> ReplyTarget:
        """Reply in the message's chat and topic, quoting it when ``quote``."""
        thread_id = message.message_thread_id if message.is_topic_message else None
        return cls(message.chat_id, thread_id, message.message_id if quote else None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReplyTarget:
        """A target stored with ``dataclasses.asdict``."""
        return cls(int(data["chat_id"]), data.get("thread_id"), data.get("reply_to"))

    async def send(self, bot: Bot, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
        """Send an HTML message here."""
        reply = ReplyParameters(self.reply_to, allow_sending_without_reply=True) if self.reply_to else None
        return await bot.send_message(
            self.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            message_thread_id=self.thread_id,
            reply_parameters=reply,
            reply_markup=markup,
            link_preview_options=ANSWER_LINK_PREVIEW,
        )


def deps(context: ContextTypes.DEFAULT_TYPE) -> BotDeps:
    """The settings and service stored in ``bot_data`` at start-up."""
    found = context.bot_data.get(DEPS_KEY)
    if not isinstance(found, BotDeps):
        raise RuntimeError("the application was started without post_init storing its dependencies")
    return found


# -- gatekeeping ---------------------------------------------------------------------------------


async def enforce_allowed_chats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop every update from outside ``settings.allowed_chat_ids`` (when set) before any work."""
    settings = deps(context).settings
    if not settings.allowed_chat_ids:
        return
    chat = update.effective_chat
    if (chat is not None and chat.id in settings.allowed_chat_ids) or _is_admin(update, settings):
        return
    log.info("ignoring update %s from chat %s: not in allowed_chat_ids", update.update_id, chat and chat.id)
    if update.callback_query is not None:
        await update.callback_query.answer(NOT_AVAILABLE_TEXT)
    elif chat is not None and chat.type == Chat.PRIVATE and update.message is not None:
        await update.message.reply_text(NOT_AVAILABLE_TEXT)
    raise ApplicationHandlerStop


# -- commands ------------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user, say what the corpus covers, and offer example questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    service = deps(context).service
    first, last = service.date_range()
    buttons = [
        [InlineKeyboardButton(question, callback_data=encode_example_callback(index))]
        for index, question in enumerate(EXAMPLE_QUESTIONS)
    ]
    await message.reply_html(
        format_welcome_html(len(service.sources()), first, last, phrases=_user_phrases(update)),
        reply_markup=InlineKeyboardMarkup(buttons),
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask, what citations mean, and that answers come only from listed sources."""
    if update.effective_message is not None:
        settings = deps(context).settings
        await update.effective_message.reply_html(
            format_help_html(
                settings.history_turns, phrases=_user_phrases(update), freshness_days=settings.freshness_days
            )
        )


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed articles, newest first, paged with buttons."""
    if update.effective_message is None:
        return
    text, markup = _sources_page(deps(context).service, 0, _user_phrases(update))
    await update.effective_message.reply_html(text, reply_markup=markup, link_preview_options=ANSWER_LINK_PREVIEW)


async def reset_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget this chat's earlier questions."""
    if update.effective_chat is not None:
        deps(context).journal.forget_history(update.effective_chat.id)
    if update.effective_message is not None:
        await update.effective_message.reply_text(RESET_TEXT)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer ``/ask QUESTION`` (or the text of the message it replies to)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    parts = message.text.split(maxsplit=1)
    question = parts[1] if len(parts) > 1 else ""
    replied = message.reply_to_message
    if not question.strip() and replied is not None and replied.text and not _is_from_bot(replied, context.bot):
        question = replied.text
    if not question.strip():
        await message.reply_text(ASK_USAGE_TEXT)
        return
    await _answer_question(update, context, question, ReplyTarget.for_message(message, quote=_is_group(message)))


async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: download an article by URL and add it to the live index."""
    message = await _admin_message(update, context)
    if message is None:
        return
    service = deps(context).service
    if not context.args:
        await message.reply_text(ADD_USAGE_TEXT)
        return
    async with _typing(context.bot, ReplyTarget.for_message(message, quote=False)):
        result = await service.add_url(context.args[0])
    await message.reply_html(
        format_added_html(result.status, result.title, result.source, result.chunks),
        link_preview_options=ANSWER_LINK_PREVIEW,
    )


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: index size and question counters."""
    message = await _admin_message(update, context)
    if message is None:
        return
    service = deps(context).service
    stats, journal = service.stats(), deps(context).journal
    delivery = f"\nReplies waiting to be resent: {journal.queued_replies()}; lost: {journal.lost_replies()}"
    feeds = await asyncio.to_thread(service.feeds.registry.feeds, problems=0)
    await message.reply_html(
        format_stats_html(stats.documents, stats.chunks, stats.questions, stats.refusals)
        + delivery
        + "\n"
        + format_feed_health_html(feeds)
    )


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point to /help when a private chat sends a command the bot does not have."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(UNKNOWN_COMMAND_TEXT)


# -- messages ------------------------------------------------------------------------------------


async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message in a private chat as a question."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await _answer_question(update, context, message.text, ReplyTarget.for_message(message, quote=False))


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group message only when it mentions the bot or replies to it."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = addressed_question(message, context.bot)
    if question is None:
        return
    if not question.strip():
        await message.reply_text(ASK_USAGE_TEXT, do_quote=True)
        return
    await _answer_question(update, context, question, ReplyTarget.for_message(message, quote=True))


async def media_hint(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell a private chat that photos, stickers, voice and files are not read."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(MEDIA_HINT_TEXT)


async def edited_hint(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell a private chat that edits are not re-answered."""
    if update.edited_message is not None:
        await update.edited_message.reply_text(EDITED_HINT_TEXT, do_quote=True)


# -- buttons -------------------------------------------------------------------------------------


async def example_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask the example question of a /start button."""
    query = update.callback_query
    index = decode_example_callback(query.data) if query else None
    if query is None or index is None or index >= len(EXAMPLE_QUESTIONS) or update.effective_chat is None:
        await expired_button(update, context)
        return
    await _answer_callback(query)
    message = _button_message(query)
    target = ReplyTarget.for_message(message, quote=False) if message else ReplyTarget(update.effective_chat.id)
    await _answer_question(update, context, EXAMPLE_QUESTIONS[index], target, show_question=True)


async def quote_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the passage behind a citation as a reply to the answer, which stays as it was. The button is
    answered first: Telegram refuses an answer after about 15 s, and a failed one must not stop the passage."""
    query = update.callback_query
    ref = decode_quote_callback(query.data) if query else None
    chat = update.effective_chat
    citations: Sequence[Citation] = deps(context).journal.citations(chat.id, ref.key) if ref and chat else ()
    citation = next((c for c in citations if ref and c.n == ref.n), None)
    if query is None or citation is None or chat is None:
        await expired_button(update, context)
        return
    await _answer_callback(query)
    message = _button_message(query)
    target = ReplyTarget.for_message(message, quote=True) if message else ReplyTarget(chat.id)
    await target.send(context.bot, format_quote_html(citation, phrases=_user_phrases(update)))


async def sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn the page of a /sources list in place."""
    query = update.callback_query
    page = decode_sources_callback(query.data) if query else None
    message = _button_message(query) if query else None
    if query is None or page is None or message is None:
        await expired_button(update, context)
        return
    text, markup = _sources_page(deps(context).service, page, _user_phrases(update))
    try:
        await message.edit_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=ANSWER_LINK_PREVIEW
        )
    except BadRequest as exc:
        if "not found" in str(exc).lower():  # deleted since the button was pressed
            await expired_button(update, context)
            return
        if "not modified" not in str(exc).lower():
            raise
    await query.answer()


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer buttons of forgotten answers, and forged or garbled callback data."""
    if update.callback_query is not None:
        await update.callback_query.answer(EXPIRED_TEXT)


async def _answer_callback(query: CallbackQuery) -> None:
    """Stop the button's spinner; a refusal (too old, network) is logged and the work goes on."""
    try:
        await query.answer()
    except TelegramError as exc:
        log.warning("could not answer button %s (%s); showing its result anyway", query.id, exc)


# -- errors --------------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its traceback, then tell the user one short, true line."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, TelegramError) and not isinstance(error, BadRequest):
        # Blocked, timed out, unreachable or flood-limited past the retries: one line, and no reply,
        # which would fail the same way.
        chat = update.effective_chat if isinstance(update, Update) else None
        log.warning("update %s: %s", update_id, telegram_failure(error, chat.id if chat else None))
        return
    level = logging.INFO if isinstance(error, BadQuestionError) else logging.ERROR
    if isinstance(error, PolicybotError) and level != logging.INFO:
        level = logging.WARNING
    log.log(level, "error while handling update %s: %s", update_id, error, exc_info=error)
    line = error_line(error)
    if line is None or not isinstance(update, Update) or update.effective_chat is None:
        return
    message = update.effective_message
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer()
    target = (
        ReplyTarget.for_message(message, quote=_is_group(message) and update.callback_query is None)
        if message is not None
        else ReplyTarget(update.effective_chat.id)
    )
    try:
        await context.bot.send_message(
            target.chat_id,
            line,
            message_thread_id=target.thread_id,
            reply_parameters=ReplyParameters(target.reply_to, allow_sending_without_reply=True)
            if target.reply_to
            else None,
        )
    except TelegramError as exc:
        log.warning("could not tell chat %s about the error: %s", target.chat_id, exc)


def telegram_failure(error: TelegramError, chat_id: int | None) -> str:
    """One log line for a Bot API call that failed for reasons outside this bot."""
    if isinstance(error, Forbidden):
        return f"chat {chat_id} has blocked the bot or removed it ({error.message}); not replying"
    if isinstance(error, TimedOut):
        return f"Telegram did not answer in time for chat {chat_id} ({error.message}); the reply may be lost"
    return f"Telegram call for chat {chat_id} failed ({error.message}); the reply is lost"


def error_line(error: BaseException | None) -> str | None:
    """The one line a user sees for ``error``; None when telling them is pointless or impossible."""
    detail = _one_line(str(error)) if error is not None else ""
    if isinstance(error, BadQuestionError):
        return detail
    if isinstance(error, DocumentError):
        return f"Could not add that article: {detail}"
    if isinstance(error, AnswerBackendError):
        return f"Sorry, I could not answer just now ({detail}). Please try again in a minute."
    if isinstance(error, IndexUnavailableError):
        return f"Sorry, the article index is not available: {detail}"
    if isinstance(error, PolicybotError):
        return detail or "Sorry, that did not work."
    if isinstance(error, BadRequest):
        return "Sorry, Telegram refused my reply. The problem has been logged."
    if isinstance(error, TelegramError):
        return None  # blocked, flood-limited or unreachable: a reply would fail the same way
    return "Sorry, something went wrong on my side. It has been logged; please try again."


# -- the question flow ---------------------------------------------------------------------------


async def _answer_question(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    question: str,
    target: ReplyTarget,
    *,
    show_question: bool = False,
) -> None:
    """Check the question, rate-limit, ask the service with this chat's history, send the answer with
    source buttons. Nothing reaches the service before the question passed both checks. A question
    replayed from the journal after a restart is not counted again, and says it is late."""
    bot_deps = deps(context)
    journal = bot_deps.journal
    try:
        clean_question(question, bot_deps.settings.max_question_chars)
    except BadQuestionError as exc:
        await target.send(context.bot, format_plain_html(str(exc)))
        return
    received_at = journal.replayed_at(update.update_id)
    if received_at is None and not await _within_rate_limit(context, update, target):
        return
    history = journal.history(target.chat_id)
    draft = DraftReply(
        context.bot,
        target,
        message_id=journal.draft_of(update.update_id),
        on_first_shown=lambda message_id: journal.remember_draft(update.update_id, message_id),
    )
    try:
        async with _typing(context.bot, target):
            answer = await bot_deps.service.ask(question, history, on_partial=draft.show)
    except asyncio.CancelledError:  # shutting down past the grace period
        await _say_dropped(context.bot, target, draft)
        raise
    except Exception:
        await draft.discard()  # an unchecked draft must not outlive a failed answer
        raise
    if received_at is not None and time.time() - received_at > LATE_NOTE_AFTER_S:
        when = datetime.fromtimestamp(received_at, UTC).strftime("%d %b %H:%M")
        late = LATE_NOTE_TEXT.format(when=when)
        answer = replace(answer, note=f"{late} {answer.note}" if answer.note else late)
    key = _remember_answer(journal, target.chat_id, answer)
    pieces = format_answer_html(
        answer,
        show_question=show_question,
        today=bot_deps.clock().date(),
        freshness_days=bot_deps.settings.freshness_days,
    )
    markup = _source_buttons(key, answer.citations)
    try:
        await draft.finish(pieces, markup)
    except (RetryAfter, NetworkError) as exc:
        if isinstance(exc, TimedOut):
            raise  # Telegram may have shown it: a second copy is worse than none (logged by on_error)
        _keep_for_later(journal, update.update_id, target, pieces[draft.delivered :], markup, exc)
    except Forbidden:
        journal.count_lost()
        raise
    if not answer.refused and bot_deps.settings.history_turns:
        turns = [*history, Turn(answer.question, answer.text)]
        journal.set_history(target.chat_id, turns[-bot_deps.settings.history_turns :])
    journal.finish(update.update_id)  # answered (or queued to resend): a restart from here does not repeat it


async def _within_rate_limit(context: ContextTypes.DEFAULT_TYPE, update: Update, target: ReplyTarget) -> bool:
    """Count a question against the sender's limit (kept in the journal: it holds across a restart, and
    costs no memory per user); when over it, say when to ask again (every time: a refused question is
    never silently ignored) and return False."""
    bot_deps = deps(context)
    journal = bot_deps.journal
    user = update.effective_user
    # A message without a sender (an anonymous channel post in a group) is limited per chat.
    sender = f"user:{user.id}" if user is not None else f"chat:{target.chat_id}"
    wait_s = journal.spend_question(sender, bot_deps.settings.questions_per_minute)
    if wait_s <= 0:
        return True
    told = journal.tell_limit(sender, wait_s)
    log.info("chat %s: question over the rate limit (told before: %s)", target.chat_id, told)
    text = RATE_LIMIT_AGAIN_TEXT if told else RATE_LIMIT_TEXT
    await target.send(context.bot, format_plain_html(text.format(seconds=f"{wait_s:.0f}")))
    return False


def _keep_for_later(
    journal: Journal,
    update_id: int,
    target: ReplyTarget,
    pieces: Sequence[str],
    markup: InlineKeyboardMarkup | None,
    error: TelegramError,
) -> None:
    """Queue an answer Telegram refused past the retries, to be resent later (or count it lost)."""
    reply = {"target": asdict(target), "pieces": list(pieces), "markup": markup.to_dict() if markup else None}
    if journal.queue_reply(target.chat_id, update_id, reply):
        log.warning(
            "Telegram refused the answer to update %s in chat %s (%s); it will be resent later",
            update_id,
            target.chat_id,
            error,
        )
    else:
        log.warning("answer to update %s in chat %s is lost: too many replies wait already", update_id, target.chat_id)


async def deliver_queued_replies(bot: Bot, journal: Journal) -> int:
    """Resend the replies that are due, each after one short line saying it is late; return how many went."""
    sent = 0
    for queued in journal.due_replies():
        try:
            await _resend(bot, queued)
        except Forbidden as exc:
            journal.reply_failed(replace(queued, attempts=journal.limits.outbox_attempts))
            log.warning("reply to update %s lost: chat %s blocked the bot (%s)", queued.update_id, queued.chat_id, exc)
        except TelegramError as exc:
            if journal.reply_failed(queued):
                log.warning(
                    "reply to update %s in chat %s lost after %d attempts (%s)",
                    queued.update_id,
                    queued.chat_id,
                    queued.attempts + 1,
                    exc,
                )
        else:
            journal.reply_sent(queued.id)
            sent += 1
    return sent


async def _resend(bot: Bot, queued: QueuedReply) -> None:
    """Send a queued reply: the short late line, then its pieces, buttons on the last."""
    target = ReplyTarget.from_dict(queued.reply["target"])
    pieces: list[str] = list(queued.reply["pieces"])
    markup_data = queued.reply.get("markup")
    markup = InlineKeyboardMarkup.de_json(markup_data, bot) if markup_data else None
    await target.send(bot, format_plain_html(DELAYED_REPLY_TEXT))
    for index, piece in enumerate(pieces):
        await target.send(bot, piece, markup if index == len(pieces) - 1 else None)


class DraftReply:
    """Shows streamed drafts in one message, edited at most once a second, then the final answer."""

    def __init__(
        self,
        bot: Bot,
        target: ReplyTarget,
        interval_s: float = DRAFT_EDIT_INTERVAL_S,
        *,
        message_id: int | None = None,
        on_first_shown: Callable[[int], None] | None = None,
    ) -> None:
        self._bot = bot
        self._target = target
        self._interval_s = interval_s
        self._message_id = message_id  # a draft left by a run that was killed: edited, not left behind
        self._on_first_shown = on_first_shown
        self._shown = ""
        self._last_edit = 0.0
        self.delivered = 0  # pieces of the final answer that Telegram took

    async def show(self, draft: str) -> None:
        """Show a newer draft unless the last edit was under a second ago."""
        now = time.monotonic()
        text = format_draft_html(draft) if draft.strip() else ""
        if not text or text == self._shown or (self._message_id and now - self._last_edit < self._interval_s):
            return
        try:
            if self._message_id is None:
                self._message_id = (await self._target.send(self._bot, text)).message_id
                if self._on_first_shown is not None:
                    self._on_first_shown(self._message_id)
            else:
                await self._bot.edit_message_text(
                    text, self._target.chat_id, self._message_id, parse_mode=ParseMode.HTML
                )
        except TelegramError as exc:  # drafts are best effort; the final answer is what counts
            log.warning("could not show a draft in chat %s: %s", self._target.chat_id, exc)
        self._shown, self._last_edit = text, now

    async def discard(self) -> None:
        """Delete the draft message, if one was shown."""
        if self._message_id is not None:
            with contextlib.suppress(TelegramError):
                await self._bot.delete_message(self._target.chat_id, self._message_id)
            self._message_id = None

    async def finish(self, pieces: Sequence[str], markup: InlineKeyboardMarkup | None) -> None:
        """Replace the draft with the first piece (or send it), then send the rest; buttons on the last."""
        for index, piece in enumerate(pieces):
            piece_markup = markup if index == len(pieces) - 1 else None
            if index == 0 and self._message_id is not None:
                try:
                    await self._bot.edit_message_text(
                        piece,
                        self._target.chat_id,
                        self._message_id,
                        parse_mode=ParseMode.HTML,
                        reply_markup=piece_markup,
                        link_preview_options=ANSWER_LINK_PREVIEW,
                    )
                    self.delivered += 1
                    continue
                except BadRequest as exc:
                    if "not modified" in str(exc).lower():
                        self.delivered += 1
                        continue
                    log.warning("could not turn the draft into the answer, sending it anew: %s", exc)
            await self._target.send(self._bot, piece, piece_markup)
            self.delivered += 1


async def _say_dropped(bot: Bot, target: ReplyTarget, draft: DraftReply) -> None:
    """Delete the draft and say the answer was dropped, within a short time (best effort)."""
    with contextlib.suppress(TelegramError, TimeoutError):
        async with asyncio.timeout(DROPPED_NOTICE_TIMEOUT_S):
            await draft.discard()
            await target.send(bot, format_plain_html(RESTARTING_TEXT))


@contextlib.asynccontextmanager
async def _typing(bot: Bot, target: ReplyTarget) -> AsyncIterator[None]:
    """Show "typing…" in the chat, refreshed every few seconds, while the block runs."""

    async def keep_typing() -> None:
        while True:
            await bot.send_chat_action(target.chat_id, ChatAction.TYPING, message_thread_id=target.thread_id)
            await asyncio.sleep(TYPING_REFRESH_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramError):
            await task


def _remember_answer(journal: Journal, chat_id: int, answer: Answer) -> str | None:
    """Keep a cited answer's citations for its buttons (the journal keeps the chat's newest few); its key."""
    if not answer.citations:
        return None
    key = new_answer_key()
    journal.remember_answer(chat_id, key, answer.citations)
    return key


def _source_buttons(key: str | None, citations: Sequence[Citation]) -> InlineKeyboardMarkup | None:
    """One button per cited source, showing its passage when pressed."""
    if key is None or not citations:
        return None
    buttons = [
        InlineKeyboardButton(source_button_label(c), callback_data=encode_quote_callback(key, c.n)) for c in citations
    ]
    rows = [buttons[i : i + SOURCE_BUTTONS_PER_ROW] for i in range(0, len(buttons), SOURCE_BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def _sources_page(service: AnswerService, page: int, phrases: Phrases) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of /sources and its paging buttons."""
    sources = service.sources()
    pages = page_count(len(sources), SOURCES_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    text = format_sources_html(sources, page, SOURCES_PAGE_SIZE, phrases=phrases)
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton(phrases.newer, callback_data=encode_sources_callback(page - 1)))
    if page < pages - 1:
        buttons.append(InlineKeyboardButton(phrases.older, callback_data=encode_sources_callback(page + 1)))
    return text, InlineKeyboardMarkup([buttons]) if buttons else None


def _user_phrases(update: Update) -> Phrases:
    """The bot's words for a command without a question: the user's Telegram language if Urdu, Pashto or
    Dari, else English."""
    user = update.effective_user
    return phrases_for(language_from_telegram(user.language_code if user else None))


def _button_message(query: CallbackQuery) -> Message | None:
    """The message a pressed button sits under, or None when it is no longer accessible (deleted, too old)."""
    message = query.message
    return message if isinstance(message, Message) and message.is_accessible else None


def addressed_question(message: Message, bot: Bot) -> str | None:
    """The question in a group message that mentions or replies to the bot; None if not addressed."""
    text = message.text or ""
    username = (bot.username or "").lower()
    mentioned = any(
        value.lower() == f"@{username}" for value in message.parse_entities([MessageEntity.MENTION]).values()
    ) or any(
        entity.user is not None and entity.user.id == bot.id
        for entity in message.parse_entities([MessageEntity.TEXT_MENTION])
    )
    if not mentioned and not (message.reply_to_message and _is_from_bot(message.reply_to_message, bot)):
        return None
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _is_from_bot(message: Message, bot: Bot) -> bool:
    """True when ``message`` was sent by this bot."""
    return message.from_user is not None and message.from_user.id == bot.id


def _is_group(message: Message) -> bool:
    """True for groups and supergroups."""
    return message.chat.type in {Chat.GROUP, Chat.SUPERGROUP}


async def _admin_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Message | None:
    """The message of an admin's command; None (after telling a non-admin no) when there is none to act on."""
    message = update.effective_message
    if message is None:
        return None
    if not _is_admin(update, deps(context).settings):
        await message.reply_text(NOT_ALLOWED_TEXT)
        return None
    return message


def _is_admin(update: Update, settings: Settings) -> bool:
    """True when the sender (not the chat) is one of ``settings.admin_ids``."""
    return update.effective_user is not None and update.effective_user.id in settings.admin_ids


def _one_line(text: str) -> str:
    """The first line of an error message, shortened."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= MAX_ERROR_LINE_CHARS else line[: MAX_ERROR_LINE_CHARS - 1] + "…"


# -- feeds ---------------------------------------------------------------------------------------

FEED_JOB_NAME = "poll-feeds"
ADDFEED_USAGE_TEXT = "Usage: /addfeed https://example.com/feed.xml [official|agency|news|opinion]"
REMOVEFEED_USAGE_TEXT = "Usage: /removefeed https://example.com/feed.xml"


async def feeds_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: the feeds, with last success, item counts and problems."""
    message = await _admin_message(update, context)
    if message is None:
        return
    service = deps(context).service
    feeds = await asyncio.to_thread(service.feeds.registry.feeds)
    await message.reply_html(format_feeds_html(feeds, time.time()), link_preview_options=ANSWER_LINK_PREVIEW)


async def addfeed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: register a feed (``/addfeed URL [kind]``) and poll it now, in the background."""
    message = await _admin_message(update, context)
    if message is None:
        return
    service = deps(context).service
    if not context.args or len(context.args) > 2:
        await message.reply_text(ADDFEED_USAGE_TEXT)
        return
    kind = parse_kind(context.args[1] if len(context.args) > 1 else None)
    feed, added = await asyncio.to_thread(service.feeds.registry.add, context.args[0], kind, service.limits)
    verb = "Added" if added else "Already registered"
    await message.reply_html(
        f"{verb}: <code>{html.escape(feed.url)}</code> [{feed.kind}]. Its new articles are being fetched; see /feeds.",
        link_preview_options=ANSWER_LINK_PREVIEW,
    )
    if context.job_queue is not None:
        context.job_queue.run_once(poll_feeds_job, 0, data=(feed.url,), name=f"{FEED_JOB_NAME}-{feed.url}")


async def removefeed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: unregister a feed; its articles stay indexed."""
    message = await _admin_message(update, context)
    if message is None:
        return
    service = deps(context).service
    if not context.args:
        await message.reply_text(REMOVEFEED_USAGE_TEXT)
        return
    feed = await asyncio.to_thread(service.feeds.registry.remove, context.args[0])
    await message.reply_html(
        f"Removed <code>{html.escape(feed.url)}</code>; its {feed.items_indexed} articles stay indexed.",
        link_preview_options=ANSWER_LINK_PREVIEW,
    )


async def poll_feeds_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: one pass over the due feeds (or the feeds in the job's data), new articles into the
    live index. Network and indexing run in worker threads; answers go on meanwhile."""
    service = deps(context).service
    data = context.job.data if context.job is not None else None
    only = tuple(str(url) for url in data) if isinstance(data, tuple) else ()
    report = await service.poll_feeds(force=bool(only), only=only)
    log.info("feed poll: %s", report.summary())
