"""News feeds: a registry of RSS/Atom feeds in SQLite, and polling them for new articles.

A poll has two halves so that nothing is marked seen before it is in the index: ``FeedPoller.fetch`` does
the network work (conditional GET of each due feed, then each new item's page through the same checked
downloader as ``/add``) and returns a ``PollBatch``; the caller adds ``batch.documents`` to the index and
then calls ``FeedPoller.commit`` with whether that worked. A feed that fails gets a one-line reason and is
retried with backoff; it never stops the others. An item that fails (a 404, a PDF, no link) gets a
one-line reason; an item fetch that fails for a passing reason is tried again on later polls, up to
``MAX_ITEM_ATTEMPTS`` times.

Tables of ``feeds.sqlite``::

    feeds     url, kind, title, validators (ETag, Last-Modified), last poll/success, failures, backoff
    items     every item URL seen: its feed, content hash, document id, status, attempts, reason
    problems  the latest ``MAX_PROBLEMS_KEPT`` one-line problems of each feed
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import httpx

from index.documents import (
    Download,
    FetchLimits,
    check_public_address,
    document_from_download,
    download,
    new_client,
    require_web_url,
)
from index.errors import DocumentError
from index.types import SOURCE_KINDS, Document, SourceKind

log = logging.getLogger(__name__)

FEEDS_FILE = "feeds.sqlite"
MAX_PROBLEMS_KEPT = 20  # per feed
MAX_ITEM_ATTEMPTS = 3
BACKOFF_SLACK = 0.1  # of an interval: a poll a little early still counts as the due one
FeedStatus = Literal["new", "unchanged", "failed", "waiting"]
ItemStatus = Literal["indexed", "failed"]

_TRACKING_PARAM_RE = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT, added_at REAL NOT NULL,
    etag TEXT, last_modified TEXT, last_polled_at REAL, last_success_at REAL, last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL DEFAULT 0,
    items_indexed INTEGER NOT NULL DEFAULT 0, items_failed INTEGER NOT NULL DEFAULT 0,
    backlog INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS items (
    url TEXT PRIMARY KEY, feed_url TEXT NOT NULL, content_hash TEXT, doc_id TEXT,
    status TEXT NOT NULL, attempts INTEGER NOT NULL, reason TEXT, seen_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS items_by_hash ON items(content_hash);
CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY AUTOINCREMENT, feed_url TEXT NOT NULL, at REAL NOT NULL, reason TEXT NOT NULL);
"""


@dataclass(frozen=True, kw_only=True)
class FeedLimits:
    """Caps on polling: the feed document's size, new items taken per feed per poll, backoff, threads."""

    fetch: FetchLimits = field(default_factory=FetchLimits)  # for item pages (and the address rules)
    max_feed_bytes: int = 5 * 1024 * 1024
    max_items_per_poll: int = 50
    interval_s: float = 3600.0
    max_backoff_s: float = 24 * 3600.0
    concurrency: int = 4

    @property
    def feed_fetch(self) -> FetchLimits:
        """The download caps for a feed document."""
        return replace(self.fetch, max_bytes=self.max_feed_bytes)


@dataclass(frozen=True)
class Feed:
    """One registered feed and how its polls went."""

    url: str
    kind: SourceKind
    title: str | None
    added_at: float
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: float | None = None
    last_success_at: float | None = None
    last_error: str | None = None
    failures: int = 0
    next_attempt_at: float = 0.0
    items_indexed: int = 0
    items_failed: int = 0
    backlog: int = 0  # new items left for the next poll by the per-poll cap
    problems: tuple[str, ...] = ()  # the latest item and feed problems, newest first

    @property
    def name(self) -> str:
        """The feed's title, else its URL."""
        return self.title or self.url


@dataclass(frozen=True)
class ItemRecord:
    """What became of one feed item."""

    url: str
    content_hash: str | None
    status: ItemStatus
    doc_id: str | None = None
    reason: str | None = None


@dataclass
class FeedOutcome:
    """What fetching one feed produced, before anything is saved."""

    feed: Feed
    status: FeedStatus
    error: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    documents: list[Document] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    backlog: int = 0
    requests: int = 0


@dataclass
class PollBatch:
    """One pass over the due feeds: their outcomes and the new documents to index."""

    outcomes: list[FeedOutcome]
    started_at: float

    @property
    def documents(self) -> list[Document]:
        """The new articles of every feed, in feed order."""
        return [doc for outcome in self.outcomes for doc in outcome.documents]

    @property
    def requests(self) -> int:
        """HTTP requests made (feeds and item pages)."""
        return sum(outcome.requests for outcome in self.outcomes)


@dataclass(frozen=True)
class PollReport:
    """What a poll did, for the log, the CLI and /stats."""

    feeds: int
    unchanged: int
    failed: tuple[tuple[str, str], ...]  # (feed URL, reason)
    waiting: int  # feeds skipped because they are backing off
    new_items: int
    item_problems: int
    requests: int
    index_error: str | None = None

    def summary(self) -> str:
        """One line."""
        line = (
            f"{self.feeds} feeds polled: {self.new_items} new articles, {self.unchanged} unchanged, "
            f"{len(self.failed)} failed, {self.waiting} backing off; {self.item_problems} item problems; "
            f"{self.requests} requests"
        )
        return f"{line}; not indexed: {self.index_error}" if self.index_error else line


def normalize_url(url: str) -> str:
    """``url`` without its fragment and tracking parameters, with a lower-case scheme and host."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING_PARAM_RE.match(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)  # untouched unless something goes
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def entry_hash(feed_url: str, entry: Any) -> str | None:
    """A hash of an item's feed, title and summary, to spot an item of one feed coming back under another link
    (another outlet's feed carrying the same story is fetched: it is another outlet of that story)."""
    title = " ".join(str(entry.get("title") or "").split()).casefold()
    summary = " ".join(str(entry.get("summary") or "").split()).casefold()
    if not title and not summary:
        return None
    return hashlib.sha256(f"{feed_url}\n{title}\n{summary}".encode()).hexdigest()[:16]


def entry_date(entry: Any) -> str | None:
    """The item's publication (else update) date as an ISO date, from the feed."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date().isoformat()
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def parse_kind(value: str | None) -> SourceKind:
    """A source kind given on the command line or in chat; a DocumentError for anything else."""
    text = (value or "news").strip().casefold()
    for kind in SOURCE_KINDS:
        if text == kind:
            return kind
    raise DocumentError(f"{value!r} is not a source kind: use one of {', '.join(SOURCE_KINDS)}")


def backoff_s(failures: int, limits: FeedLimits) -> float:
    """How long a feed that failed ``failures`` times in a row waits: one interval (the next poll) after one
    failure, then two, four, eight... intervals, at most ``max_backoff_s``."""
    if failures <= 0:
        return 0.0
    return min(limits.interval_s * 2 ** (failures - 1), limits.max_backoff_s)


class FeedRegistry:
    """The feeds and the items seen, in one SQLite file (one connection per call, so any thread may use it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction, committed on success."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            if not self._ready:
                connection.executescript(_SCHEMA)
                self._ready = True
            with connection:
                yield connection
        except sqlite3.DatabaseError as exc:
            raise DocumentError(f"the feed registry {self.path} cannot be read or written ({exc})") from exc
        finally:
            connection.close()

    def add(self, url: str, kind: SourceKind, limits: FetchLimits, now: float | None = None) -> tuple[Feed, bool]:
        """Register a feed (http(s), public address); returns it and False when it was already there."""
        url = require_web_url(url)
        check_public_address(url, limits.allow_private, limits.trusted_hosts)
        url = normalize_url(url)
        with self._lock, self._connect() as db:
            existing = db.execute("SELECT kind FROM feeds WHERE url = ?", (url,)).fetchone()
            if existing is None:
                db.execute("INSERT INTO feeds (url, kind, added_at) VALUES (?, ?, ?)", (url, kind, now or time.time()))
            elif existing[0] != kind:
                db.execute("UPDATE feeds SET kind = ? WHERE url = ?", (kind, url))
        feed = self.get(url)
        assert feed is not None
        return feed, existing is None

    def remove(self, url: str) -> Feed:
        """Unregister a feed and forget its items (articles already indexed stay in the index)."""
        feed = self.get(normalize_url(url)) if url.strip() else None
        if feed is None:
            raise DocumentError(f"{url.strip() or '(empty)'}: no such feed (see `policybot feeds list`)")
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM feeds WHERE url = ?", (feed.url,))
            db.execute("DELETE FROM items WHERE feed_url = ?", (feed.url,))
            db.execute("DELETE FROM problems WHERE feed_url = ?", (feed.url,))
        return feed

    def get(self, url: str) -> Feed | None:
        """One feed by its (normalised) URL."""
        return next((feed for feed in self.feeds() if feed.url == url), None)

    def feeds(self, *, problems: int = 3) -> list[Feed]:
        """Every feed, oldest first, each with its latest ``problems``."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT url, kind, title, added_at, etag, last_modified, last_polled_at, last_success_at, "
                "last_error, failures, next_attempt_at, items_indexed, items_failed, backlog FROM feeds "
                "ORDER BY added_at, url"
            ).fetchall()
            recent: dict[str, list[str]] = {}
            for feed_url, reason in db.execute("SELECT feed_url, reason FROM problems ORDER BY id DESC"):
                shown = recent.setdefault(feed_url, [])
                if len(shown) < problems:
                    shown.append(reason)
        return [
            Feed(
                url=row[0],
                kind=parse_kind(row[1]),
                title=row[2],
                added_at=row[3],
                etag=row[4],
                last_modified=row[5],
                last_polled_at=row[6],
                last_success_at=row[7],
                last_error=row[8],
                failures=row[9],
                next_attempt_at=row[10],
                items_indexed=row[11],
                items_failed=row[12],
                backlog=row[13],
                problems=tuple(recent.get(row[0], ())),
            )
            for row in rows
        ]

    def seen(self) -> tuple[set[str], set[str]]:
        """Item URLs not to fetch again (indexed, or failed too often) and content hashes already indexed."""
        with self._connect() as db:
            urls = {
                row[0]
                for row in db.execute(
                    "SELECT url FROM items WHERE status = 'indexed' OR attempts >= ?", (MAX_ITEM_ATTEMPTS,)
                )
            }
            hashes = {
                row[0]
                for row in db.execute(
                    "SELECT content_hash FROM items WHERE status = 'indexed' AND content_hash NOT NULL"
                )
            }
        return urls, hashes

    def item_count(self) -> int:
        """Items remembered, of every feed."""
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def record(self, outcomes: Sequence[tuple[FeedOutcome, bool]], *, now: float, limits: FeedLimits) -> None:
        """Save each feed's outcome in one transaction; a feed's new items count as seen only when its flag
        says they are in the index."""
        with self._lock, self._connect() as db:
            for outcome, indexed in outcomes:
                self._record(db, outcome, indexed=indexed, now=now, limits=limits)

    @staticmethod
    def _record(db: sqlite3.Connection, outcome: FeedOutcome, *, indexed: bool, now: float, limits: FeedLimits) -> None:
        """Save one feed's outcome."""
        feed = outcome.feed
        if db.execute("SELECT 1 FROM feeds WHERE url = ?", (feed.url,)).fetchone() is None:
            return  # removed while it was being polled
        problems = list(outcome.problems)
        if outcome.status == "failed" or not indexed:
            reason = outcome.error or "the new articles could not be added to the index"
            failures = feed.failures + 1
            db.execute(
                "UPDATE feeds SET last_polled_at = ?, last_error = ?, failures = ?, next_attempt_at = ? WHERE url = ?",
                (now, reason, failures, now + backoff_s(failures, limits), feed.url),
            )
            problems.append(reason)
        elif outcome.status != "waiting":
            keep_validators = outcome.backlog == 0  # items left over: fetch the whole feed next time
            new_indexed = sum(1 for item in outcome.items if item.status == "indexed")
            new_failed = sum(1 for item in outcome.items if item.status == "failed")
            db.execute(
                "UPDATE feeds SET title = COALESCE(?, title), etag = ?, last_modified = ?, last_polled_at = ?, "
                "last_success_at = ?, last_error = NULL, failures = 0, next_attempt_at = 0, "
                "items_indexed = items_indexed + ?, items_failed = items_failed + ?, backlog = ? WHERE url = ?",
                (
                    outcome.title,
                    outcome.etag if keep_validators else None,
                    outcome.last_modified if keep_validators else None,
                    now,
                    now,
                    new_indexed,
                    new_failed,
                    outcome.backlog,
                    feed.url,
                ),
            )
            for item in outcome.items:
                db.execute(
                    "INSERT INTO items (url, feed_url, content_hash, doc_id, status, attempts, reason, seen_at) "
                    "VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT(url) DO UPDATE SET status = excluded.status, "
                    "doc_id = excluded.doc_id, reason = excluded.reason, attempts = items.attempts + 1, "
                    "seen_at = excluded.seen_at",
                    (item.url, feed.url, item.content_hash, item.doc_id, item.status, item.reason, now),
                )
        for reason in problems:
            db.execute("INSERT INTO problems (feed_url, at, reason) VALUES (?, ?, ?)", (feed.url, now, reason))
        db.execute(
            "DELETE FROM problems WHERE feed_url = ? AND id NOT IN "
            "(SELECT id FROM problems WHERE feed_url = ? ORDER BY id DESC LIMIT ?)",
            (feed.url, feed.url, MAX_PROBLEMS_KEPT),
        )


class FeedPoller:
    """Polls the registered feeds for new articles (see the module docstring for the two halves)."""

    def __init__(self, registry: FeedRegistry, limits: FeedLimits, clock: Callable[[], float] = time.time) -> None:
        self.registry = registry
        self.limits = limits
        self._clock = clock

    def due(self, feed: Feed, now: float) -> bool:
        """True when the feed is not backing off."""
        return now + BACKOFF_SLACK * self.limits.interval_s >= feed.next_attempt_at

    def fetch(self, *, force: bool = False, only: Sequence[str] = ()) -> PollBatch:
        """Fetch every due feed (every feed when ``force``; only the ``only`` URLs when given) and the pages of
        their new items, several feeds at a time; nothing is saved."""
        now = self._clock()
        feeds = [f for f in self.registry.feeds() if not only or f.url in {normalize_url(u) for u in only}]
        seen_urls, seen_hashes = self.registry.seen()
        claimed: set[str] = set()
        claim_lock = threading.Lock()

        def claim(url: str, content_hash: str | None) -> bool:
            """True the first time an item (by URL or content hash) comes up in this pass."""
            with claim_lock:
                if url in seen_urls or url in claimed or (content_hash and content_hash in seen_hashes):
                    return False
                claimed.add(url)
                if content_hash:
                    seen_hashes.add(content_hash)
                return True

        if not feeds:
            return PollBatch([], now)
        # one client (thread-safe) for the pass: its TLS setup and connection pool are shared by every feed
        with new_client(self.limits.fetch) as client:

            def one(feed: Feed) -> FeedOutcome:
                if not force and not self.due(feed, now):
                    return FeedOutcome(feed, "waiting")
                return self._poll_feed(feed, claim, client)

            with ThreadPoolExecutor(max_workers=max(1, min(self.limits.concurrency, len(feeds)))) as pool:
                outcomes = list(pool.map(one, feeds))
        return PollBatch(outcomes, now)

    def commit(self, batch: PollBatch, *, indexed: bool, index_error: str | None = None) -> PollReport:
        """Save the batch's outcomes; its items count as seen only when ``indexed``."""
        now = self._clock()
        flagged = []
        for outcome in batch.outcomes:
            ok = indexed or not outcome.documents
            if not ok:
                outcome.error = index_error or outcome.error
            flagged.append((outcome, ok))
        self.registry.record(flagged, now=now, limits=self.limits)
        failed = tuple((o.feed.url, o.error or "failed") for o in batch.outcomes if o.status == "failed")
        report = PollReport(
            feeds=sum(1 for o in batch.outcomes if o.status != "waiting"),
            unchanged=sum(1 for o in batch.outcomes if o.status == "unchanged"),
            failed=failed,
            waiting=sum(1 for o in batch.outcomes if o.status == "waiting"),
            new_items=len(batch.documents) if indexed else 0,
            item_problems=sum(len(o.problems) for o in batch.outcomes),
            requests=batch.requests,
            index_error=None if indexed else index_error,
        )
        log.info("feeds: %s", report.summary())
        return report

    def _poll_feed(self, feed: Feed, claim: Callable[[str, str | None], bool], client: httpx.Client) -> FeedOutcome:
        """Fetch one feed and its new items; a failure of the feed is its outcome, never an exception."""
        outcome = FeedOutcome(feed, "new")
        conditional = feed.backlog == 0
        try:
            outcome.requests += 1
            fetched = download(
                feed.url,
                self.limits.feed_fetch,
                etag=feed.etag if conditional else None,
                last_modified=feed.last_modified if conditional else None,
                client=client,
            )
            outcome.etag, outcome.last_modified = fetched.etag, fetched.last_modified
            if fetched.status == 304:
                outcome.status = "unchanged"
                return outcome
            parsed = parse_feed(fetched)
        except DocumentError as exc:
            log.warning("feed %s failed: %s", feed.url, exc, exc_info=exc.__cause__ is not None)
            outcome.status, outcome.error = "failed", str(exc)
            return outcome
        outcome.title = _clean(parsed.feed.get("title")) or None
        self._take_items(feed, parsed.entries, outcome, claim, client)
        return outcome

    def _take_items(
        self,
        feed: Feed,
        entries: Sequence[Any],
        outcome: FeedOutcome,
        claim: Callable[[str, str | None], bool],
        client: httpx.Client,
    ) -> None:
        """Fetch up to ``max_items_per_poll`` new items of a feed into ``outcome``."""
        taken = 0
        for number, entry in enumerate(entries, start=1):
            link = str(entry.get("link") or "").strip()
            label = _clean(entry.get("title")) or f"item {number}"
            if not link:
                self._problem(outcome, f"{_short(label)}: the item has no link, skipped")
                continue
            url = normalize_url(link)
            if urlsplit(url).scheme not in ("http", "https"):
                self._problem(outcome, f"{_short(link)}: the item's link is not http(s), skipped")
                continue
            content_hash = entry_hash(feed.url, entry)
            if taken >= self.limits.max_items_per_poll:
                if claim(url, content_hash):
                    outcome.backlog += 1
                continue
            if not claim(url, content_hash):
                continue
            taken += 1
            try:
                outcome.requests += 1
                document = self._item_document(feed, entry, url, label, outcome, client)
            except DocumentError as exc:
                log.warning("feed %s: item %s not indexed: %s", feed.url, url, exc, exc_info=exc.__cause__ is not None)
                outcome.items.append(ItemRecord(url, content_hash, "failed", reason=str(exc)))
                outcome.problems.append(str(exc))
                continue
            outcome.documents.append(document)
            outcome.items.append(ItemRecord(url, content_hash, "indexed", doc_id=document.doc_id))
        if outcome.backlog:
            self._problem(outcome, f"{outcome.backlog} more new items wait for the next poll (at most {taken} a poll)")

    def _item_document(
        self, feed: Feed, entry: Any, url: str, label: str, outcome: FeedOutcome, client: httpx.Client
    ) -> Document:
        """The article behind one item, dated by the feed (else the page) and of the feed's kind."""
        page = download(url, self.limits.fetch, client=client)
        require_web_page(page, url)
        document = document_from_download(page, url)
        date = entry_date(entry) or document.date
        if date is None:
            self._problem(outcome, f"{_short(url)}: no date in the feed or on the page; indexed undated")
        title = document.title if document.title and document.title != url else label
        return replace(document, date=date, kind=feed.kind, url=url, origin=url, title=title)

    @staticmethod
    def _problem(outcome: FeedOutcome, reason: str) -> None:
        """Note and log one problem of a feed that does not stop it."""
        log.warning("feed %s: %s", outcome.feed.url, reason)
        outcome.problems.append(reason)


def parse_feed(fetched: Download) -> Any:
    """The parsed RSS or Atom document; a DocumentError for anything else."""
    if not fetched.body.strip():
        raise DocumentError(f"{fetched.url}: the feed is empty")
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url})
    if not parsed.get("version"):
        cause = parsed.get("bozo_exception")
        detail = f" ({_short(str(cause), 80)})" if cause else ""
        raise DocumentError(f"{fetched.url}: not an RSS or Atom feed{detail}")
    return parsed


def require_web_page(page: Download, url: str) -> None:
    """Refuse an item that is not an HTML or text page (a PDF, an image, a download)."""
    kind = page.content_type.split(";")[0].strip().casefold()
    if "pdf" in kind or page.body[:5] == b"%PDF-":
        raise DocumentError(f"{url}: the item is a PDF, not a web page; add it as a file if it matters")
    if kind and not (kind.startswith("text/") or "html" in kind or "xml" in kind):
        raise DocumentError(f"{url}: the item is {kind}, not a web page")


def _clean(value: object) -> str:
    """A feed string on one line."""
    return " ".join(str(value or "").split())


def _short(text: str, limit: int = 120) -> str:
    """``text`` cut to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
