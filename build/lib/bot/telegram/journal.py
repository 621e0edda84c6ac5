"""What must survive a restart: received updates, chat history, source-button passages, undelivered replies.

One SQLite file beside the index (``<data_dir>/journal.sqlite``, WAL mode), written only from the event
loop's thread. Recording a received update is flushed to disk before it returns (``synchronous=FULL``: it
survives a power cut too); every other write is ``synchronous=NORMAL``, which survives a crash or ``kill -9``
of the bot (the OS has the data) and costs no disk flush on the event loop, and is made durable by the next
recorded update's flush; values are JSON (dataclasses as dicts, rebuilt field by field), never
pickle.

**Acknowledged only once recorded.** PTB confirms an update to Telegram by its next request: with long
polling, the Updater puts every fetched update into ``application.update_queue`` (``await put``) and only
then moves the ``getUpdates`` offset past it; in webhook mode, the web handler puts the update into the same
queue and only then answers HTTP 200. :class:`JournalQueue` is that queue: its ``put`` commits the update
to the journal before it returns, so Telegram is never told "received" about an update that is not on disk.
A failing write raises a NetworkError: PTB's polling loop retries ``getUpdates`` at the same offset, and a
webhook answers 500 (Telegram resends).
An update id already in the journal is not queued again: a restart, or Telegram resending, does not answer
twice.

**Answered once.** An update stays ``open`` until its handlers have finished (the update processor calls
:meth:`Journal.finish`); one cancelled at shutdown, dropped from the queue, or cut short by ``kill -9`` is
still open, and :meth:`Journal.open_updates` gives it back at the next start, oldest first, to be handled
again (handlers see :meth:`Journal.replayed_at` and say the answer is late), at most ``max_replays`` times (one
that keeps bringing the bot down is given up). Between a reply being sent and its update being marked, it is
at-least-once: a crash exactly there repeats that one reply.

**Retention.** Finished updates are kept ``updates_days`` (Telegram resends for at most a day); each chat
keeps its newest ``answers_per_chat`` answers' citations, none older than ``state_days``, and its history
for ``state_days`` after the last question; at most ``max_outbox`` replies wait to be resent, each at most
``outbox_attempts`` times; question times for the rate limit are kept one window. :meth:`Journal.prune`
applies the limits; it runs at start and while queuing. Nothing per chat or per user is held in memory
(PTB's ``chat_data`` and ``user_data`` are never touched, so they stay empty): the bot's memory does not
grow with the number of people who write to it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import sqlite3
import time
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from telegram import Bot, Update
from telegram.error import NetworkError

from bot.answering.answers import Citation
from bot.answering.questions import Turn

log = logging.getLogger(__name__)

JOURNAL_FILE = "journal.sqlite"
DAY_S = 86_400.0
PRUNE_EVERY = 500  # updates recorded between two prunes
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS updates (
    update_id INTEGER PRIMARY KEY, chat_id INTEGER, received_at REAL NOT NULL, payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open', finished_at REAL, draft_message_id INTEGER,
    replays INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS updates_state ON updates (state, received_at);
CREATE TABLE IF NOT EXISTS history (chat_id INTEGER PRIMARY KEY, turns TEXT NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    chat_id INTEGER NOT NULL, key TEXT NOT NULL, citations TEXT NOT NULL, created_at REAL NOT NULL,
    seq INTEGER NOT NULL, PRIMARY KEY (chat_id, key));
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, update_id INTEGER, reply TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS asked (sender TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS asked_sender ON asked (sender, at);
CREATE TABLE IF NOT EXISTS limit_notices (sender TEXT PRIMARY KEY, until REAL NOT NULL);
"""


@dataclass(frozen=True, kw_only=True)
class JournalLimits:
    """How long and how much the journal keeps."""

    updates_days: float = 2.0
    state_days: float = 7.0
    answers_per_chat: int = 20
    max_outbox: int = 1000
    outbox_attempts: int = 5
    outbox_retry_s: float = 30.0
    max_replays: int = 3  # an update that brought the bot down this many times is given up
    rate_window_s: float = 60.0  # the rate limit counts questions over this window


DEFAULT_JOURNAL_LIMITS = JournalLimits()


@dataclass(frozen=True)
class QueuedReply:
    """A reply Telegram refused after the retries, waiting to be sent again."""

    id: int
    chat_id: int
    update_id: int | None
    reply: dict[str, Any]
    attempts: int


def to_json(value: object) -> str:
    """A dataclass (or a structure of them) as JSON."""
    plain = dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value
    if isinstance(value, list | tuple):
        plain = [dataclasses.asdict(v) if dataclasses.is_dataclass(v) and not isinstance(v, type) else v for v in value]
    return json.dumps(plain, ensure_ascii=False)


def from_plain(kind: Any, value: Any) -> Any:
    """Rebuild a value of type ``kind`` from JSON data: dataclasses field by field (unknown keys ignored,
    missing ones defaulted), tuples and lists element by element; a mismatch is a ValueError."""
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise ValueError(f"expected an object for {kind.__name__}")
        hints = typing.get_type_hints(kind)
        given = {
            f.name: from_plain(hints[f.name], value[f.name])
            for f in dataclasses.fields(kind)
            if f.init and f.name in value
        }
        try:
            return kind(**given)
        except TypeError as exc:
            raise ValueError(f"cannot rebuild {kind.__name__}: {exc}") from exc
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(value, list):
            raise ValueError("expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in value)
        return tuple(from_plain(a, v) for a, v in zip(args, value, strict=True))
    if origin is list:
        (arg,) = typing.get_args(kind)
        if not isinstance(value, list):
            raise ValueError("expected a list")
        return [from_plain(arg, v) for v in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise ValueError("expected an object")
        return dict(value)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(kind):
            return None
        for arg in typing.get_args(kind):
            if arg is type(None):
                continue
            try:
                return from_plain(arg, value)
            except (ValueError, TypeError):
                continue
        raise ValueError(f"no type of {kind} fits {value!r}")
    if origin is typing.Literal:
        if value not in typing.get_args(kind):
            raise ValueError(f"{value!r} is not one of {typing.get_args(kind)}")
        return value
    if kind is Any or kind is object:
        return value
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(kind, type) and not isinstance(value, kind):
        raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _plain_json(value: object) -> object:
    """What PTB's ``to_dict`` leaves unconverted in places (the date of an inaccessible message): as Telegram
    sends it."""
    if isinstance(value, datetime):
        return int(value.timestamp())
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def load_all(kind: type[T], text: str) -> tuple[T, ...]:
    """A JSON list of ``kind`` dataclasses."""
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("expected a list")
    return tuple(from_plain(kind, item) for item in data)


class Journal:
    """The bot's durable state in one SQLite file (see the module docstring)."""

    def __init__(self, path: Path, limits: JournalLimits = DEFAULT_JOURNAL_LIMITS) -> None:
        self.path = path
        self.limits = limits
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=1000")
        self._db.executescript(_SCHEMA)
        self._replayed: dict[int, float] = {}
        self._recorded_since_prune = 0
        self._seq = self._scalar("SELECT COALESCE(MAX(seq), 0) FROM answers")

    @classmethod
    def beside_index(cls, data_dir: Path, limits: JournalLimits = DEFAULT_JOURNAL_LIMITS) -> Journal:
        """The journal of the data directory."""
        return cls(data_dir / JOURNAL_FILE, limits)

    def close(self) -> None:
        """Close the database (the WAL is checkpointed)."""
        self._db.close()

    def _scalar(self, sql: str, *params: object) -> int:
        row = self._db.execute(sql, params).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @property
    def _transaction(self) -> Any:
        return _Transaction(self._db)

    # -- updates ------------------------------------------------------------------------------------
    def record(self, update: Update, now: float | None = None) -> bool:
        """Commit ``update`` as open; False (nothing written) when its id is already journaled."""
        chat = update.effective_chat
        try:
            payload = json.dumps(update.to_dict(), ensure_ascii=False, default=_plain_json)
        except (TypeError, ValueError) as exc:  # kept as an id only: remembered, but not replayable
            log.warning("update %s cannot be stored in full (%s)", update.update_id, exc)
            payload = json.dumps({"update_id": update.update_id})
        self._db.execute("PRAGMA synchronous=FULL")  # Telegram is told "received" after this: on disk first
        try:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO updates (update_id, chat_id, received_at, payload) VALUES (?, ?, ?, ?)",
                (update.update_id, chat.id if chat else None, time.time() if now is None else now, payload),
            )
        finally:
            self._db.execute("PRAGMA synchronous=NORMAL")
        fresh = cursor.rowcount == 1
        if fresh:
            self._recorded_since_prune += 1
            if self._recorded_since_prune >= PRUNE_EVERY:
                self.prune()
        return fresh

    def finish(self, update_id: int, now: float | None = None) -> None:
        """Mark an update handled: it will not be replayed."""
        self._db.execute(
            "UPDATE updates SET state = 'done', finished_at = ? WHERE update_id = ?",
            (time.time() if now is None else now, update_id),
        )
        self._replayed.pop(update_id, None)

    def is_open(self, update_id: int) -> bool:
        """True while an update is recorded and not yet handled."""
        return self._scalar("SELECT COUNT(*) FROM updates WHERE update_id = ? AND state = 'open'", update_id) == 1

    def open_updates(self, bot: Bot) -> list[Update]:
        """The updates still open (received, not handled), oldest first; each is remembered as a replay."""
        found: list[Update] = []
        rows = self._db.execute(
            "SELECT update_id, received_at, payload, replays FROM updates WHERE state = 'open' ORDER BY update_id"
        ).fetchall()
        for update_id, received_at, payload, replays in rows:
            if replays >= self.limits.max_replays:
                log.warning("update %s was not finished in %d starts; giving up on it", update_id, replays)
                self.finish(update_id)
                continue
            self._db.execute("UPDATE updates SET replays = replays + 1 WHERE update_id = ?", (update_id,))
            try:
                update = Update.de_json(json.loads(payload), bot)
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("journaled update %s cannot be read again (%s); dropping it", update_id, exc)
                self.finish(update_id)
                continue
            self._replayed[update_id] = float(received_at)
            found.append(update)
        return found

    def replayed_at(self, update_id: int) -> float | None:
        """When a replayed update was first received (epoch seconds); None for one received in this run."""
        return self._replayed.get(update_id)

    def remember_draft(self, update_id: int, message_id: int) -> None:
        """Note the draft message shown for an update, so a replay edits it instead of leaving it behind."""
        self._db.execute("UPDATE updates SET draft_message_id = ? WHERE update_id = ?", (message_id, update_id))

    def draft_of(self, update_id: int) -> int | None:
        """The draft message shown for an update before a restart, if any."""
        row = self._db.execute("SELECT draft_message_id FROM updates WHERE update_id = ?", (update_id,)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    # -- chat state -----------------------------------------------------------------------------------
    def history(self, chat_id: int, now: float | None = None) -> tuple[Turn, ...]:
        """The chat's recent turns (none once ``state_days`` passed without a question)."""
        row = self._db.execute("SELECT turns, updated_at FROM history WHERE chat_id = ?", (chat_id,)).fetchone()
        if row is None or (time.time() if now is None else now) - row[1] > self.limits.state_days * DAY_S:
            return ()
        try:
            return load_all(Turn, row[0])
        except ValueError as exc:
            log.warning("chat %s: stored history cannot be read (%s); starting fresh", chat_id, exc)
            return ()

    def set_history(self, chat_id: int, turns: Sequence[Turn], now: float | None = None) -> None:
        """Replace the chat's turns."""
        self._db.execute(
            "INSERT OR REPLACE INTO history (chat_id, turns, updated_at) VALUES (?, ?, ?)",
            (chat_id, to_json(list(turns)), time.time() if now is None else now),
        )

    def forget_history(self, chat_id: int) -> None:
        """Drop the chat's turns (/reset)."""
        self._db.execute("DELETE FROM history WHERE chat_id = ?", (chat_id,))

    def remember_answer(self, chat_id: int, key: str, citations: Sequence[Citation], now: float | None = None) -> None:
        """Keep an answer's citations for its buttons; the chat keeps its newest ``answers_per_chat``."""
        self._seq += 1
        with self._transaction:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (chat_id, key, citations, created_at, seq) VALUES (?, ?, ?, ?, ?)",
                (chat_id, key, to_json(list(citations)), time.time() if now is None else now, self._seq),
            )
            self._db.execute(
                "DELETE FROM answers WHERE chat_id = ? AND seq NOT IN "
                "(SELECT seq FROM answers WHERE chat_id = ? ORDER BY seq DESC LIMIT ?)",
                (chat_id, chat_id, self.limits.answers_per_chat),
            )

    def citations(self, chat_id: int, key: str, now: float | None = None) -> tuple[Citation, ...]:
        """The citations of one of the chat's answers; empty once past retention (the button has expired)."""
        row = self._db.execute(
            "SELECT citations, created_at FROM answers WHERE chat_id = ? AND key = ?", (chat_id, key)
        ).fetchone()
        if row is None or (time.time() if now is None else now) - row[1] > self.limits.state_days * DAY_S:
            return ()
        try:
            return load_all(Citation, row[0])
        except ValueError as exc:
            log.warning("chat %s: stored answer %s cannot be read (%s)", chat_id, key, exc)
            return ()

    def answer_keys(self, chat_id: int) -> list[str]:
        """The keys of the chat's stored answers, oldest first."""
        return [
            row[0] for row in self._db.execute("SELECT key FROM answers WHERE chat_id = ? ORDER BY seq", (chat_id,))
        ]

    # -- replies Telegram refused -------------------------------------------------------------------
    def queue_reply(self, chat_id: int, update_id: int | None, reply: dict[str, Any], now: float | None = None) -> bool:
        """Keep a refused reply to resend later; False (counted as lost) when the outbox is full."""
        now = time.time() if now is None else now
        if self._scalar("SELECT COUNT(*) FROM outbox") >= self.limits.max_outbox:
            self.count_lost()
            return False
        self._db.execute(
            "INSERT INTO outbox (chat_id, update_id, reply, next_at, created_at) VALUES (?, ?, ?, ?, ?)",
            (chat_id, update_id, json.dumps(reply, ensure_ascii=False), now + self.limits.outbox_retry_s, now),
        )
        return True

    def due_replies(self, now: float | None = None) -> list[QueuedReply]:
        """Queued replies whose next attempt is due, oldest first."""
        rows = self._db.execute(
            "SELECT id, chat_id, update_id, reply, attempts FROM outbox WHERE next_at <= ? ORDER BY id",
            (time.time() if now is None else now,),
        ).fetchall()
        return [QueuedReply(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows]

    def queued_replies(self) -> int:
        """How many replies wait to be resent."""
        return self._scalar("SELECT COUNT(*) FROM outbox")

    def reply_sent(self, reply_id: int) -> None:
        """A queued reply went through."""
        self._db.execute("DELETE FROM outbox WHERE id = ?", (reply_id,))

    def reply_failed(self, reply: QueuedReply, now: float | None = None) -> bool:
        """Another attempt failed: try again later (backing off), or give up; True when it is now lost."""
        attempts = reply.attempts + 1
        if attempts >= self.limits.outbox_attempts:
            with self._transaction:
                self._db.execute("DELETE FROM outbox WHERE id = ?", (reply.id,))
                self.count_lost()
            return True
        delay = self.limits.outbox_retry_s * 2 ** min(attempts, 6)
        self._db.execute(
            "UPDATE outbox SET attempts = ?, next_at = ? WHERE id = ?",
            (attempts, (time.time() if now is None else now) + delay, reply.id),
        )
        return False

    def count_lost(self) -> None:
        """Count one reply that could not be delivered."""
        self._db.execute(
            "INSERT INTO counters (name, value) VALUES ('lost_replies', 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1"
        )

    def lost_replies(self) -> int:
        """Replies given up on, ever."""
        return self._scalar("SELECT value FROM counters WHERE name = 'lost_replies'")

    # -- rate limit ----------------------------------------------------------------------------------
    def spend_question(self, sender: str, per_window: int, now: float | None = None) -> float:
        """Count a question from ``sender``: 0.0 when within ``per_window`` questions in the last
        ``limits.rate_window_s`` seconds (it is recorded), else the seconds until the next one is allowed
        (nothing recorded)."""
        now = time.time() if now is None else now
        window_s = self.limits.rate_window_s
        with self._transaction:
            self._db.execute("DELETE FROM asked WHERE sender = ? AND at <= ?", (sender, now - window_s))
            row = self._db.execute("SELECT COUNT(*), MIN(at) FROM asked WHERE sender = ?", (sender,)).fetchone()
            if row[0] >= per_window:
                return max(1.0, window_s - (now - float(row[1])))
            self._db.execute("INSERT INTO asked (sender, at) VALUES (?, ?)", (sender, now))
        return 0.0

    def tell_limit(self, sender: str, wait_s: float, now: float | None = None) -> bool:
        """Remember that ``sender`` was told to wait ``wait_s``; True when an earlier notice still stands."""
        now = time.time() if now is None else now
        told = self._scalar("SELECT COUNT(*) FROM limit_notices WHERE sender = ? AND until > ?", sender, now) > 0
        self._db.execute(
            "INSERT INTO limit_notices (sender, until) VALUES (?, ?) "
            "ON CONFLICT(sender) DO UPDATE SET until = excluded.until",
            (sender, now + wait_s),
        )
        return told

    # -- retention ------------------------------------------------------------------------------------
    def prune(self, now: float | None = None) -> None:
        """Apply the retention limits."""
        now = time.time() if now is None else now
        self._recorded_since_prune = 0
        with self._transaction:
            self._db.execute(
                "DELETE FROM updates WHERE state = 'done' AND received_at < ?",
                (now - self.limits.updates_days * DAY_S,),
            )
            self._db.execute("DELETE FROM history WHERE updated_at < ?", (now - self.limits.state_days * DAY_S,))
            self._db.execute("DELETE FROM answers WHERE created_at < ?", (now - self.limits.state_days * DAY_S,))
            self._db.execute("DELETE FROM asked WHERE at < ?", (now - self.limits.rate_window_s,))
            self._db.execute("DELETE FROM limit_notices WHERE until < ?", (now,))

    def counts(self) -> dict[str, int]:
        """Rows per table, for tests and /stats."""
        return {
            table: self._scalar(f"SELECT COUNT(*) FROM {table}")  # fixed table names, no input
            for table in ("updates", "history", "answers", "outbox", "asked", "limit_notices")
        }


class _Transaction:
    """BEGIN ... COMMIT (ROLLBACK on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


class JournalQueue(asyncio.Queue[object]):
    """The application's update queue: an update is committed to the journal before ``put`` returns
    (before PTB acknowledges it to Telegram), and one already journaled is not queued again."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    async def put(self, item: object) -> None:
        """Journal and queue an update; drop a repeat; pass PTB's own signals through."""
        if isinstance(item, Update):
            try:
                fresh = self.journal.record(item)
            except sqlite3.Error as exc:  # not acknowledged: Telegram sends it again
                raise NetworkError(f"could not journal update {item.update_id}: {exc}") from exc
            if not fresh:
                log.info("ignoring update %s: already received", item.update_id)
                return
        await super().put(item)

    def replay(self, updates: Sequence[Update]) -> None:
        """Queue updates taken from the journal (already recorded) to be handled again."""
        for update in updates:
            super().put_nowait(update)
