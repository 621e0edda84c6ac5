"""A fake Telegram Bot API on 127.0.0.1 that a real python-telegram-bot Application can talk to.

It speaks ``/bot<token>/<method>`` with JSON, form or multipart bodies, answers like Telegram
(``{"ok": true, "result": ...}``, realistic Message objects, Telegram's error codes and
descriptions), parses HTML parse-mode text the way Telegram does (rejecting bad markup and
over-long messages), and records every call. Tests push updates, script faults for the next call
of a method, and wait for what the bot sent::

    async with FakeBotApi() as api:
        alice = api.user("Alice")
        api.push_text(api.private_chat(alice), alice, "/start")
        [call] = await api.wait_for_calls("sendMessage", 1, chat_id=alice.id)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from aiohttp import web

T = TypeVar("T")

DEFAULT_TOKEN = "123456:TEST-token_for-policybot"
DEFAULT_BOT_USERNAME = "policy_test_bot"
MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_ANSWER_CHARS = 200
MAX_CALLBACK_DATA_BYTES = 64

_TOKEN_RE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{5,}")
_STRING_PARAMS = frozenset(
    {"text", "parse_mode", "callback_query_id", "url", "secret_token", "action", "language_code", "caption"}
)
_CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document"}
    | {"choose_sticker", "find_location", "record_video_note", "upload_video_note"}
)


@dataclass(frozen=True)
class User:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = None  # IETF tag of the user's Telegram app language ("ur", "fa")

    def to_dict(self) -> dict[str, Any]:
        """The Bot API User object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Chat:
    """A private chat, group or supergroup (``is_forum`` for topics)."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    is_forum: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The Bot API Chat object."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for name in ("title", "first_name", "username"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass(frozen=True)
class Fault:
    """An error response Telegram can give (HTTP status, description, optional parameters), or a
    broken connection: ``kind="reset"`` drops it unanswered, ``kind="stall"`` says nothing for
    ``seconds`` and then drops it."""

    status: int
    description: str
    parameters: dict[str, Any] | None = None
    kind: Literal["http", "reset", "stall"] = "http"
    seconds: float = 0.0

    @classmethod
    def retry_after(cls, seconds: int) -> Fault:
        """429 flood control with ``parameters.retry_after``."""
        return cls(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A 5xx from Telegram's side."""
        return cls(status, "Internal Server Error" if status == 500 else "Bad Gateway")

    @classmethod
    def cant_parse_entities(cls) -> Fault:
        """400 for markup Telegram refuses."""
        return cls(400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0')

    @classmethod
    def blocked(cls) -> Fault:
        """403 when the user blocked the bot."""
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def connection_reset(cls) -> Fault:
        """The connection is closed before any response (nothing was done)."""
        return cls(0, "connection reset", kind="reset")

    @classmethod
    def stall(cls, seconds: float = 30.0) -> Fault:
        """No response for ``seconds`` (or until the server closes), then the connection is dropped."""
        return cls(0, f"no response for {seconds} s", kind="stall", seconds=seconds)

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        data: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            data["parameters"] = self.parameters
        return data


@dataclass(frozen=True)
class Call:
    """One request the bot made: method, decoded parameters, and the HTTP status it got."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        """The ``chat_id`` parameter, if any."""
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None

    @property
    def text(self) -> str:
        """The ``text`` parameter (raw HTML for parse-mode messages), or ``""``."""
        value = self.params.get("text")
        return value if isinstance(value, str) else ""

    def link_targets(self) -> list[str]:
        """Where the links of the sent text lead, once Telegram has parsed it and detected URLs."""
        if (self.params.get("parse_mode") or "").lower() == "html":
            text, entities = parse_html(self.text)
        else:
            text, entities = self.text, []
        return link_targets({"text": text, "entities": detected_entities(text, entities)})

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard buttons of the call's reply_markup, row by row flattened."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


class ApiError(Exception):
    """Raised inside a method implementation to answer with a Telegram error."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.fault = Fault(status, description)


class EntityParseError(ValueError):
    """HTML text that Telegram would refuse with "can't parse entities"."""


class FakeBotApi:
    """The fake Bot API server and the tests' handle on it."""

    def __init__(self, token: str = DEFAULT_TOKEN, bot_username: str = DEFAULT_BOT_USERNAME) -> None:
        self.token = token
        self.bot = User(int(token.split(":")[0]), "Policybot", bot_username, is_bot=True)
        self.calls: list[Call] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self.last_update_id = 0
        self._update_ids = itertools.count(1)
        self._user_ids = itertools.count(1001)
        self._group_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._message_ids: defaultdict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._chats: dict[int, Chat] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._open_queries: set[str] = set()
        self._faults: defaultdict[str, deque[tuple[Fault, int | None]]] = defaultdict(deque)
        self._blocked: set[int] = set()
        self._closed = asyncio.Event()
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        """Serve on a random port of 127.0.0.1."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, shutdown_timeout=0.5)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def close(self) -> None:
        """Release long polls and stop serving."""
        self._closing = True
        self._closed.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """The value for ``telegram_api_base_url`` (``.../bot``, the token is appended)."""
        return f"{self.url}/bot"

    # -- people and chats --------------------------------------------------------------------------

    def user(self, first_name: str = "Alice", username: str | None = None) -> User:
        """A new human user with a fresh id."""
        return User(next(self._user_ids), first_name, username)

    def private_chat(self, user: User) -> Chat:
        """The private chat between ``user`` and the bot."""
        return self._register(Chat(user.id, "private", first_name=user.first_name, username=user.username))

    def group_chat(self, title: str = "Policy watchers", *, forum: bool = False) -> Chat:
        """A new supergroup (a forum when ``forum``)."""
        chat_id = -1_000_000_000_000 - next(self._group_ids)
        return self._register(Chat(chat_id, "supergroup", title=title, is_forum=forum))

    # -- pushing updates -------------------------------------------------------------------------

    def push_update(self, update: dict[str, Any], *, update_id: int | None = None) -> int:
        """Queue a raw update for getUpdates; its ``update_id`` is the next one unless given (a repeat)."""
        if update_id is None:
            update_id = next(self._update_ids)
        self.last_update_id = update_id
        self._updates.append({"update_id": update_id, **update})
        self._notify()
        return update_id

    def push_message(self, chat: Chat, user: User | None, **fields: Any) -> dict[str, Any]:
        """A message with exactly ``fields`` besides id, date and chat (no ``from`` when ``user`` is None)."""
        self._register(chat)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat.id]),
            "date": int(time.time()),
            "chat": chat.to_dict(),
            **fields,
        }
        if user is not None:
            message["from"] = user.to_dict()
        self._messages[(chat.id, message["message_id"])] = message
        self.push_update({"message": message})
        return message

    def push_channel_post(self, channel: Chat, text: str) -> dict[str, Any]:
        """A post in a channel the bot is in: no ``from``, only ``sender_chat``."""
        self._register(channel)
        post = {
            "message_id": next(self._message_ids[channel.id]),
            "date": int(time.time()),
            "chat": channel.to_dict(),
            "sender_chat": channel.to_dict(),
            "text": text,
        }
        self.push_update({"channel_post": post})
        return post

    def channel(self, title: str = "Policy news") -> Chat:
        """A new channel."""
        return self._register(Chat(-1_000_000_000_000 - next(self._group_ids), "channel", title=title))

    def delete(self, chat_id: int, message_id: int) -> None:
        """Someone deletes a message (the bot's or a user's) from the chat."""
        self._messages.pop((chat_id, message_id), None)

    def push_text(
        self,
        chat: Chat,
        user: User,
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A user sends ``text`` (commands, @mentions and URLs get entities, as Telegram does)."""
        message = self._incoming(chat, user, thread_id=thread_id, reply_to=reply_to)
        message["text"] = text
        entities = incoming_entities(text)
        if entities:
            message["entities"] = entities
        self.push_update({"message": message})
        return message

    def push_sticker(self, chat: Chat, user: User) -> dict[str, Any]:
        """A user sends a sticker."""
        message = self._incoming(chat, user)
        message["sticker"] = {
            "file_id": "CAACAgIAAxkBAAEB",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        self.push_update({"message": message})
        return message

    def push_photo(self, chat: Chat, user: User, caption: str | None = None) -> dict[str, Any]:
        """A user sends a photo."""
        message = self._incoming(chat, user)
        photo = {"file_id": "AgACAgIAAxkBAAEBphoto", "file_unique_id": "AQADphoto", "width": 90, "height": 90}
        message["photo"] = [photo]
        if caption:
            message["caption"] = caption
        self.push_update({"message": message})
        return message

    def push_voice(self, chat: Chat, user: User) -> dict[str, Any]:
        """A user sends a voice note."""
        message = self._incoming(chat, user)
        message["voice"] = {"file_id": "AwACAgIAAxkBAAEBvoice", "file_unique_id": "AgADvoice", "duration": 3}
        self.push_update({"message": message})
        return message

    def push_document(self, chat: Chat, user: User, file_name: str = "report.pdf") -> dict[str, Any]:
        """A user sends a file."""
        message = self._incoming(chat, user)
        message["document"] = {"file_id": "BQACAgIAAxkBAAEBdoc", "file_unique_id": "AgADdoc", "file_name": file_name}
        self.push_update({"message": message})
        return message

    def push_edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The author edits an earlier text message."""
        edited = {key: value for key, value in message.items() if key != "entities"}
        edited.update(text=text, edit_date=int(time.time()))
        entities = incoming_entities(text)
        if entities:
            edited["entities"] = entities
        self._messages[(edited["chat"]["id"], edited["message_id"])] = edited
        self.push_update({"edited_message": edited})
        return edited

    def push_callback(self, user: User, message: dict[str, Any], data: str) -> str:
        """``user`` presses a button with ``data`` under ``message`` (a message the bot sent); once the
        message is deleted, Telegram sends it as an InaccessibleMessage (chat, id and date 0)."""
        query_id = f"{next(self._query_ids)}{user.id}"
        self._open_queries.add(query_id)
        key = (message["chat"]["id"], message["message_id"])
        current = self._messages.get(key, {"chat": message["chat"], "message_id": message["message_id"], "date": 0})
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_dict(),
                    "message": current,
                    "chat_instance": str(abs(message["chat"]["id"]) * 7919),
                    "data": data,
                }
            }
        )
        return query_id

    # -- scripting faults --------------------------------------------------------------------------

    def fail_next(self, method: str, fault: Fault, times: int = 1, *, chat_id: int | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id`` only, if given) with ``fault``."""
        self._faults[method].extend([(fault, chat_id)] * times)

    def block(self, user: User) -> None:
        """``user`` blocks the bot: every call to their private chat gets Telegram's 403."""
        self._blocked.add(user.id)

    def unblock(self, user: User) -> None:
        """``user`` unblocks the bot."""
        self._blocked.discard(user.id)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The scripted fault for this call, if any (removed from the script)."""
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self._blocked:
            return Fault.blocked()
        queue = self._faults[method]
        for index, (fault, only_chat) in enumerate(queue):
            if only_chat is None or only_chat == chat_id:
                del queue[index]
                return fault
        return None

    # -- what the bot did ------------------------------------------------------------------------

    def calls_to(self, method: str, *, chat_id: int | None = None, ok: bool | None = True) -> list[Call]:
        """Calls of ``method`` (successful ones by default), optionally to one chat."""
        return [
            call
            for call in self.calls
            if call.method == method and (chat_id is None or call.chat_id == chat_id) and (ok is None or call.ok == ok)
        ]

    def sent_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in ``chat_id`` as they look now (edits applied, deletions gone)."""
        return [
            message
            for (chat, _), message in sorted(self._messages.items(), key=lambda item: item[0][1])
            if chat == chat_id and message.get("from", {}).get("id") == self.bot.id
        ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A stored message as it looks now."""
        return self._messages[(chat_id, message_id)]

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """Wait until ``predicate()`` is truthy (re-checked on every call and pushed update)."""
        async with asyncio.timeout(timeout):
            while True:
                changed = self._changed
                result = predicate()
                if result:
                    return result
                await changed.wait()

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        *,
        chat_id: int | None = None,
        ok: bool | None = True,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Wait until ``count`` calls of ``method`` (to ``chat_id``; successful ones unless ``ok`` says
        otherwise) were made; return them."""

        def enough() -> list[Call]:
            calls = self.calls_to(method, chat_id=chat_id, ok=ok)
            return calls if len(calls) >= count else []

        try:
            return await self.wait_for(enough, timeout)
        except TimeoutError:
            seen = [(call.method, call.status, call.params.get("chat_id")) for call in self.calls]
            raise AssertionError(f"expected {count} {method} calls to {chat_id}; calls so far: {seen}") from None

    # -- HTTP --------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Route ``/bot<token>/<method>`` like Telegram."""
        token, method = request.match_info["token"], request.match_info["method"]
        if not _TOKEN_RE.fullmatch(token):
            return web.json_response(Fault(404, "Not Found").body(), status=404)
        if token != self.token:
            return web.json_response(Fault(401, "Unauthorized").body(), status=401)
        try:
            params = await _read_params(request)
        except ValueError as exc:
            return web.json_response(Fault(400, f"Bad Request: {exc}").body(), status=400)
        except ConnectionError:  # the client went away mid-request (e.g. it is shutting down)
            return web.Response(status=499)
        implementation = getattr(self, f"_api_{method.lower()}", None)
        fault = Fault(404, "Not Found") if implementation is None else self._take_fault(method, params)
        if fault is None and implementation is not None:
            try:
                result = await implementation(params)
            except ApiError as exc:
                fault = exc.fault
        if fault is not None and fault.kind != "http":
            return await self._drop(request, method, params, fault)
        if fault is not None:
            self._record(Call(method, params, fault.status, fault.body()))
            return web.json_response(fault.body(), status=fault.status)
        self._record(Call(method, params, 200, result))
        return web.json_response({"ok": True, "result": result})

    async def _drop(self, request: web.Request, method: str, params: dict[str, Any], fault: Fault) -> web.Response:
        """Close the connection without a response, at once (reset) or after a silence (stall)."""
        self._record(Call(method, params, 0, fault.description))
        if fault.kind == "stall":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), fault.seconds)
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError  # aiohttp then writes nothing on the aborted connection

    def _record(self, call: Call) -> None:
        """Remember a call and wake waiters."""
        self.calls.append(call)
        self._notify()

    def _notify(self) -> None:
        """Wake everything waiting for a change."""
        self._changed.set()
        self._changed = asyncio.Event()

    # -- Bot API methods ---------------------------------------------------------------------------

    async def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook")
        offset = _int(params.get("offset"), 0)
        limit = min(max(_int(params.get("limit"), 100), 1), 100)
        timeout = max(_int(params.get("timeout"), 0), 0)
        allowed = params.get("allowed_updates") or None
        if offset > 0:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        if allowed:
            wanted = set(allowed)
            self._updates = [update for update in self._updates if wanted & set(update)]
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates and not self._closing:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            changed = self._changed
            try:
                async with asyncio.timeout(remaining):
                    await changed.wait()
            except TimeoutError:
                break
        return self._updates[:limit]

    async def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(params)
        return True

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    async def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name) or not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[_scope_key(params)] = commands
        return True

    async def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(_scope_key(params), [])

    async def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    async def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        text, entities = _message_text(params)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat.id]),
            "from": self.bot.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        thread_id = params.get("message_thread_id")
        if isinstance(thread_id, int) and chat.is_forum:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        reply = params.get("reply_parameters") or {}
        if "message_id" in reply:
            replied = self._messages.get((chat.id, reply["message_id"]))
            if replied is not None:
                message["reply_to_message"] = {k: v for k, v in replied.items() if k != "reply_to_message"}
            elif not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
        markup = _inline_markup(params)
        if markup:
            message["reply_markup"] = markup
        self._messages[(chat.id, message["message_id"])] = message
        return message

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by this fake")
        chat = self._chat(params)
        message = self._messages.get((chat.id, _int(params.get("message_id"), 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot.id:
            raise ApiError(400, "Bad Request: message can't be edited")
        text, entities = _message_text(params)
        markup = _inline_markup(params)
        if (text, entities or None, markup or None) == (
            message.get("text"),
            message.get("entities"),
            message.get("reply_markup"),
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message",
            )
        edited = {k: v for k, v in message.items() if k not in {"entities", "reply_markup"}}
        edited.update(text=text, edit_date=int(time.time()))
        if entities:
            edited["entities"] = entities
        if markup:  # like Telegram: an edit without reply_markup removes the inline keyboard
            edited["reply_markup"] = markup
        self._messages[(chat.id, edited["message_id"])] = edited
        return edited

    async def _api_deletemessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        if self._messages.pop((chat.id, _int(params.get("message_id"), 0)), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        text = params.get("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_CHARS:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_logout(self, params: dict[str, Any]) -> bool:
        return True

    # -- helpers -----------------------------------------------------------------------------------

    def _register(self, chat: Chat) -> Chat:
        self._chats[chat.id] = chat
        return chat

    def _chat(self, params: dict[str, Any]) -> Chat:
        """The chat named by ``chat_id``, or Telegram's "chat not found"."""
        chat_id = params.get("chat_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _incoming(
        self,
        chat: Chat,
        user: User,
        *,
        thread_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The common part of a message a user sends."""
        self._register(chat)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat.id]),
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
        }
        if thread_id is not None and chat.is_forum:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if reply_to is not None:
            current = self._messages.get((chat.id, reply_to["message_id"]), reply_to)
            message["reply_to_message"] = {k: v for k, v in current.items() if k != "reply_to_message"}
        self._messages[(chat.id, message["message_id"])] = message
        return message


# -- request decoding and Telegram's text rules ------------------------------------------------------


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError as exc:
                raise ValueError("can't parse JSON") from exc
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            return {**params, **body}
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return {key: _decode_value(key, value) for key, value in params.items()}


def _decode_value(key: str, value: Any) -> Any:
    """Form values are JSON-encoded except plain strings (PTB sends them so)."""
    if key in _STRING_PARAMS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def _int(value: Any, default: int) -> int:
    """An integer parameter, or ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return default


def _scope_key(params: dict[str, Any]) -> str:
    """A key for a setMyCommands scope + language."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


def _message_text(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The text Telegram would store for a send/edit, applying parse_mode and its limits."""
    raw = params.get("text")
    if not isinstance(raw, str):
        raise ApiError(400, "Bad Request: message text is empty")
    parse_mode = (params.get("parse_mode") or "").lower()
    if parse_mode == "html":
        try:
            text, entities = parse_html(raw)
        except EntityParseError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    elif parse_mode:
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in this fake")
    else:
        text, entities = raw, []
    text, entities = _strip(text, entities)
    if not text:
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > MAX_MESSAGE_CHARS:
        raise ApiError(400, "Bad Request: message is too long")
    return text, detected_entities(text, entities)


def _inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """Validate an inline keyboard as Telegram does; other markups are echoed as given."""
    markup = params.get("reply_markup")
    if not markup:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"(https?|tg)://", str(url)):
                raise ApiError(400, f"Bad Request: inline keyboard button URL '{url}' is invalid")
    return markup


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def incoming_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram attaches to a user's text: commands, @mentions, URLs."""
    entities = []
    patterns = (
        ("bot_command", r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?"),
        ("mention", r"(?<![\w@])@[A-Za-z0-9_]{5,32}"),
        ("url", r"https?://[^\s<>\"]+"),
    )
    for kind, pattern in patterns:
        for match in re.finditer(pattern, text):
            offset = utf16_len(text[: match.start()])
            entities.append({"type": kind, "offset": offset, "length": utf16_len(match.group())})
    return sorted(entities, key=lambda entity: entity["offset"])


# Telegram turns URLs, bare domains and @usernames in a message into links, except inside code.
_LINK_TLDS = (
    "com|net|org|info|biz|io|co|me|ly|tv|cc|app|dev|news|online|site|xyz|top|ai|gov|edu|int|mil"
    "|pk|af|in|uk|us|eu|ru|cn|de|fr|ir|ae|sa|qa|tr|ch|nl|se|no|au|ca|jp|to|gl|gg|su|ws|bz"
)
_AUTO_LINK_RES = (
    ("url", re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+", re.I)),
    ("url", re.compile(rf"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_LINK_TLDS})\b(?:/[^\s<>\"']*)?", re.I)),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")),
)
_NO_AUTO_LINKS_IN = frozenset({"code", "pre", "text_link", "url", "mention"})


def detected_entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``entities`` plus the links and mentions Telegram detects in the text, outside code and links."""
    taken = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in _NO_AUTO_LINKS_IN]
    found = list(entities)
    for kind, pattern in _AUTO_LINK_RES:
        for match in pattern.finditer(text):
            value = match.group().rstrip(".,;:!?)]")
            start = utf16_len(text[: match.start()])
            end = start + utf16_len(value)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append({"type": kind, "offset": start, "length": end - start})
    found.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return found


def link_targets(message: dict[str, Any]) -> list[str]:
    """Where each link of a stored message leads: text links' URLs, detected URLs and @mentions."""
    text, targets = message.get("text", ""), []
    encoded = text.encode("utf-16-le")
    for entity in message.get("entities", []):
        if entity["type"] == "text_link":
            targets.append(entity["url"])
        elif entity["type"] in {"url", "mention"}:
            start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
            targets.append(encoded[start:end].decode("utf-16-le"))
    return targets


_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML parse mode into text and entities, or raise EntityParseError."""
    out: list[str] = []
    length = 0  # UTF-16 length of the text so far
    stack: list[tuple[str, int, dict[str, Any]]] = []  # (tag, start offset, entity fields)
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "<":
            match = _TAG_RE.match(source, pos)
            byte_offset = len(source[:pos].encode())
            if match is None:
                raise EntityParseError(f"Unsupported start tag at byte offset {byte_offset}")
            closing, name, attributes = match.group(1) == "/", match.group(2).lower(), match.group(3)
            if closing:
                if not stack:
                    raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset}")
                open_name, start, fields = stack.pop()
                if open_name != name:
                    raise EntityParseError(
                        f'Unmatched end tag at byte offset {byte_offset}, expected "</{open_name}>", found "</{name}>"'
                    )
                if fields and length > start:
                    entities.append({**fields, "offset": start, "length": length - start})
            else:
                stack.append((name, length, _entity_fields(name, _attributes(attributes), byte_offset)))
            pos = match.end()
        elif char == "&":
            match = _ENTITY_RE.match(source, pos)
            if match is None:
                piece, pos = "&", pos + 1
            else:
                piece, pos = _entity_text(match.group(1), match.group(0)), match.end()
            out.append(piece)
            length += utf16_len(piece)
        else:
            end = min((i for i in (source.find("<", pos), source.find("&", pos)) if i != -1), default=len(source))
            out.append(source[pos:end])
            length += utf16_len(source[pos:end])
            pos = end
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


def _attributes(text: str) -> dict[str, str]:
    """Attributes of a start tag, values unquoted and unescaped."""
    attributes = {}
    for name, value in _ATTR_RE.findall(text):
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attributes[name.lower()] = _ENTITY_RE.sub(lambda m: _entity_text(m.group(1), m.group(0)), value)
    return attributes


def _entity_fields(name: str, attributes: dict[str, str], byte_offset: int) -> dict[str, Any]:
    """The entity a start tag opens (empty for tags that make none)."""
    if name in _SIMPLE_TAGS:
        return {"type": _SIMPLE_TAGS[name]}
    if name == "span" and attributes.get("class") == "tg-spoiler":
        return {"type": "spoiler"}
    if name == "a":
        href = attributes.get("href", "")
        return {"type": "text_link", "url": href} if href else {}
    if name == "blockquote":
        return {"type": "expandable_blockquote" if "expandable" in attributes else "blockquote"}
    if name == "tg-emoji" and "emoji-id" in attributes:
        return {"type": "custom_emoji", "custom_emoji_id": attributes["emoji-id"]}
    raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')


def _entity_text(name: str, original: str) -> str:
    """The character an HTML entity stands for; unknown named entities stay as written."""
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1:2] in {"x", "X"} else int(name[1:])
        return chr(code) if 0 < code <= 0x10FFFF else original
    return _NAMED_ENTITIES.get(name, original)


def _strip(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if not stripped:
        return "", []
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
