"""Telegram HTML for answers, quotes and source lists, and the callback data of their buttons.

Everything here is a pure function: text in, text out. Every piece of text taken from an answer or
a document is ``html.escape``d; lengths are measured the way Telegram measures them (UTF-16 code
units of the text after entity parsing), so a message never exceeds ``MAX_MESSAGE_CHARS``.
Links in answer and quote text that are not the cited sources' own (an article can link anywhere,
a question can be a URL) are set in ``<code>``, where Telegram does not make them clickable; the
sources block links each article's own URL.
"""

from __future__ import annotations

import html
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from urllib.parse import urlsplit

from bot.answering.answers import Answer, Citation
from bot.phrases import ENGLISH, Phrases
from bot.rendering import (
    DEFAULT_FRESHNESS_DAYS,
    Line,
    Reply,
    SourceRow,
    Span,
    build_reply,
    date_range_text,
    format_date,
    line_pieces,
    line_text,
    source_row,
    source_row_spans,
)
from index.feeds import Feed

MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_QUOTE_CHARS = 3000
MAX_BUTTON_LABEL_CHARS = 40
ANSWER_KEY_RE = re.compile(r"[A-Za-z0-9_-]{4,16}")

_QUOTE_DATA_RE = re.compile(r"q:([A-Za-z0-9_-]{4,16}):([1-9][0-9]{0,2})")
_SOURCES_DATA_RE = re.compile(r"s:(0|[1-9][0-9]{0,3})")
_EXAMPLE_DATA_RE = re.compile(r"x:([0-9])")
# A sentence ends at . ! ? or … (optionally closed by quotes/brackets and followed by citation
# markers such as "[2]" or "[1, 3]") and whitespace.
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*(?:\s*\[\d+(?:\s*,\s*\d+)*\])*\s+")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n+")
# What Telegram would turn into a link: URLs, www. hosts, bare domains with a common TLD, @usernames.
_LINK_TLDS = (
    "com|net|org|info|biz|io|co|me|ly|tv|cc|app|dev|news|online|site|xyz|top|ai|gov|edu|int|mil"
    "|pk|af|in|uk|us|eu|ru|cn|de|fr|ir|ae|sa|qa|tr|ch|nl|se|no|au|ca|jp|to|gl|gg|su|ws|bz"
)
_LINK_LIKE_RE = re.compile(
    rf"\b[\w.+-]+@(?:[a-z0-9-]+\.)+(?:{_LINK_TLDS})\b"
    r"|(?:\b[a-z][a-z0-9+.-]{1,15}://|\bwww\.)[^\s<>\"'“”‘’«»]+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_LINK_TLDS})\b(?:/[^\s<>\"'“”‘’«»]*)?"
    r"|(?<![\w@])@[a-z0-9_]{5,32}\b",
    re.IGNORECASE,
)
_LINK_TRAILING = ".,;:!?)]}"
_CODE_SPAN_RE = re.compile(r"<code>(.*?)</code>", re.DOTALL)
_ANCHOR_RE = re.compile(r"<a\s+href=\"([^\"]*)\"\s*>(.*?)</a>", re.DOTALL)
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>")


class SourceLike(Protocol):
    """What a line of the /sources list needs from an indexed article."""

    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...


_Unit = tuple[str, int, str]  # (html, visible length, separator before it)


@dataclass(frozen=True)
class _Block:
    """Consecutive units shown together; ``quote`` blocks sit in an expandable blockquote."""

    units: list[_Unit]
    quote: bool = False


@dataclass(frozen=True)
class QuoteRef:
    """A source button's payload: which stored answer, which citation number."""

    key: str
    n: int


def telegram_length(text: str) -> int:
    """Length of plain text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def format_answer_html(
    answer: Answer,
    *,
    show_question: bool = False,
    limit: int = MAX_MESSAGE_CHARS,
    today: date | None = None,
    newest_source_date: str | None = None,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
) -> list[str]:
    """Render an answer as one or more HTML messages: the lead first, the freshness line, the evidence in
    an expandable blockquote, then the note and the sources block, whole in the last message."""
    reply = build_reply(answer, today=today, newest_source_date=newest_source_date, freshness_days=freshness_days)
    return format_reply_html(reply, answer, show_question=show_question, limit=limit)


def format_reply_html(
    reply: Reply, answer: Answer, *, show_question: bool = False, limit: int = MAX_MESSAGE_CHARS
) -> list[str]:
    """Pack a built reply into messages within ``limit``; a blockquote cut between messages is closed
    and reopened, and the sources block is never cut unless it alone exceeds a message."""
    allowed = [c.url for c in answer.citations]
    phrases = reply.phrases
    blocks: list[_Block] = []
    if show_question and answer.question.strip():
        blocks.append(_Block([_question_heading(answer.question.strip(), limit)]))
    if reply.lead:
        blocks.append(_Block(_line_units(reply.lead, phrases, allowed, limit)))
    if reply.body:
        units = _split_units(reply.body, limit)
        blocks.append(_Block([(escape_with_inert_links(t, allowed), telegram_length(t), sep) for t, sep in units]))
    if reply.freshness:
        blocks.append(_Block([_italic(line_text((Span(reply.freshness),), phrases))]))
    if reply.evidence:
        blocks.append(_Block(_line_units(reply.evidence, phrases, allowed, limit - 2), quote=True))
    tail_html, tail_len = _answer_tail(reply)
    messages = _pack_blocks(blocks, limit)
    if tail_html:
        current_html, current_len = messages.pop() if messages else ("", 0)
        if current_html and current_len + 2 + tail_len <= limit:
            messages.append((current_html + "\n\n" + tail_html, current_len + 2 + tail_len))
        else:
            if current_html:
                messages.append((current_html, current_len))
            if tail_len <= limit:
                messages.append((tail_html, tail_len))
            else:  # a sources block longer than a message: split it at its lines
                messages.extend(_pack_lines(tail_html.split("\n"), limit))
    return [text for text, _ in messages] or [html.escape("(empty answer)")]


def format_quote_html(citation: Citation, *, limit: int = MAX_MESSAGE_CHARS, phrases: Phrases = ENGLISH) -> str:
    """Render one article's citation: numbered header with a linked title, then each of its quoted
    passages, expandable; retold passages under a line saying whose report they retell."""
    header_html, header_len = _citation_line(source_row(citation, phrases), phrases)
    parts, used = [header_html], header_len
    if not citation.verbatim:
        label = line_text(_retold_header(citation, phrases), phrases)
        parts.append(f"<i>{html.escape(label)}</i>")
        used += 1 + telegram_length(label)
    passages = [" ".join(p.split()) for p in citation.passages if p.strip()] or [""]
    budget = max(1, min(MAX_QUOTE_CHARS, limit - used - len(passages)) // len(passages))
    for passage in passages:
        shown = _truncate(passage, budget)
        parts.append(f"<blockquote expandable>{escape_with_inert_links(shown, [citation.url])}</blockquote>")
    return "\n".join(parts)


def page_count(total: int, page_size: int) -> int:
    """Number of pages needed to show ``total`` items, at least one."""
    return max(1, math.ceil(total / max(1, page_size)))


def format_sources_html(sources: Sequence[SourceLike], page: int, page_size: int, *, phrases: Phrases = ENGLISH) -> str:
    """Render one page of the indexed articles (given newest first) with outlet, date and link, under a
    heading that gives the date range of the whole list."""
    if not sources:
        return html.escape(phrases.no_sources)
    pages = page_count(len(sources), page_size)
    page = min(max(page, 0), pages - 1)
    start = page * page_size
    header = phrases.sources_list_heading.format(count=len(sources))
    dates = sorted(item.date for item in sources if item.date)
    span = date_range_text(dates[0], dates[-1], phrases) if dates else None
    header_html = f"<b>{html.escape(line_text((Span(header),), phrases))}</b>"
    if span:
        header_html += f" {html.escape(span)}"
    if pages > 1:
        header_html += " — " + html.escape(phrases.sources_page.format(page=page + 1, pages=pages))
    lines = [header_html]
    for number, item in enumerate(sources[start : start + page_size], start=start + 1):
        meta: list[Span] = [Span(_clean(item.source) or "unknown source", "source")]
        if item.date:
            meta += [Span(phrases.list_separator), Span(format_date(item.date, phrases))]
        spans = (Span(f"{number}.", "marker"), Span(" "), *meta, Span(" — "), Span(_clean(item.title), "source"))
        lines.append(_row_html(spans, item.url, phrases))
    return "\n".join(lines)


def format_welcome_html(
    documents: int, first_date: str | None, last_date: str | None, *, phrases: Phrases = ENGLISH
) -> str:
    """The /start greeting: what the bot knows (how many articles, from when to when) and how it answers."""
    span = date_range_text(first_date, last_date, phrases)
    welcome = phrases.welcome.format(documents=documents, span=phrases.welcome_span.format(range=span) if span else "")
    return (
        f"<b>{html.escape(_bot_line(phrases.greeting, phrases))}</b> {html.escape(welcome)}\n\n"
        f"{html.escape(_bot_line(phrases.welcome_citations, phrases))}"
    )


def format_help_html(
    history_turns: int, *, phrases: Phrases = ENGLISH, freshness_days: int = DEFAULT_FRESHNESS_DAYS
) -> str:
    """The /help text: how to ask, what citations mean, where answers come from and how fresh they are."""
    follow_up = (
        html.escape(_bot_line(phrases.help_follow_up.format(turns=history_turns), phrases)) + "\n\n"
        if history_turns
        else ""
    )

    def section(heading: str, body: str) -> str:
        return f"<b>{html.escape(_bot_line(heading, phrases))}</b>\n{html.escape(_bot_line(body, phrases))}"

    return (
        section(phrases.help_ask_heading, phrases.help_ask)
        + "\n\n"
        + follow_up
        + section(phrases.help_citations_heading, phrases.help_citations)
        + "\n\n"
        + section(phrases.help_where_heading, phrases.help_where.format(freshness_days=freshness_days))
    )


def format_added_html(status: str, title: str, source: str, chunks: int) -> str:
    """The reply to an admin's /add."""
    verb = {"added": "Added", "replaced": "Updated", "unchanged": "Already indexed, unchanged:"}.get(status, status)
    return f"{html.escape(verb)} <b>{html.escape(title)}</b> ({html.escape(source)}), {chunks} passages."


def format_stats_html(documents: int, chunks: int, questions: int, refusals: int) -> str:
    """The reply to an admin's /stats."""
    return (
        f"<b>Index</b>: {documents} articles, {chunks} passages.\n"
        f"<b>Since start</b>: {questions} questions, {refusals} answered with “the sources don't say”."
    )


def format_draft_html(text: str, *, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A streamed, not yet checked draft: escaped, shortened to fit, marked as in progress; no link in it
    is clickable (the checks that allow the sources' own have not run yet)."""
    return escape_with_inert_links(_truncate(text.strip(), limit - 2), ()) + " …"


def format_plain_html(text: str) -> str:
    """Escape plain text for an HTML-mode message."""
    return html.escape(text)


def escape_with_inert_links(text: str, allowed_urls: Sequence[str | None]) -> str:
    """Escape ``text`` for HTML, setting every link not in ``allowed_urls`` in ``<code>`` (not clickable)."""
    allowed = {_link_key(url) for url in allowed_urls if url}
    parts: list[str] = []
    start = 0
    for match in _LINK_LIKE_RE.finditer(text):
        link = match.group().rstrip(_LINK_TRAILING)
        if not link or _link_key(link) in allowed:
            continue
        end = match.start() + len(link)
        parts.append(html.escape(text[start : match.start()]))
        parts.append(f"<code>{html.escape(link)}</code>")
        start = end
    parts.append(html.escape(text[start:]))
    return "".join(parts)


def html_to_plain(text: str, *, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message's HTML as plain text, for resending when Telegram refuses the markup: links become
    ``title (url)``, inert links are defanged (``evil[.]example``) so plain text cannot link them."""

    def anchor(match: re.Match[str]) -> str:
        return f"{match.group(2)} ({match.group(1)})"  # both still escaped, like the rest until the end

    def code(match: re.Match[str]) -> str:
        inner = html.unescape(match.group(1))
        if _LINK_LIKE_RE.fullmatch(inner):
            inner = inner.replace("://", "[://]").replace(".", "[.]").replace("@", "[@]")
        return html.escape(inner)

    text = _ANCHOR_RE.sub(anchor, text)
    text = _CODE_SPAN_RE.sub(code, text)
    return _truncate(html.unescape(_TAG_RE.sub("", text)), limit)


def source_button_label(citation: Citation) -> str:
    """Short label of a citation's button, e.g. ``[1] Business Recorder``."""
    return _truncate(f"[{citation.n}] {citation.source or citation.title}", MAX_BUTTON_LABEL_CHARS)


def new_answer_key() -> str:
    """A short random key under which an answer's citations are kept for its buttons."""
    return secrets.token_urlsafe(6)


def encode_quote_callback(key: str, n: int) -> str:
    """Callback data of the button showing citation ``n`` of answer ``key``."""
    if not ANSWER_KEY_RE.fullmatch(key) or not 1 <= n <= 999:
        raise ValueError(f"cannot encode citation {n} of answer key {key!r}")
    return _checked(f"q:{key}:{n}")


def decode_quote_callback(data: object) -> QuoteRef | None:
    """Parse a source button's callback data; None for anything else, forged or garbled."""
    match = _QUOTE_DATA_RE.fullmatch(data) if isinstance(data, str) else None
    return QuoteRef(match.group(1), int(match.group(2))) if match else None


def encode_sources_callback(page: int) -> str:
    """Callback data of a /sources paging button."""
    if not 0 <= page <= 9999:
        raise ValueError(f"cannot encode sources page {page}")
    return _checked(f"s:{page}")


def decode_sources_callback(data: object) -> int | None:
    """Page number from a /sources paging button; None for anything else."""
    match = _SOURCES_DATA_RE.fullmatch(data) if isinstance(data, str) else None
    return int(match.group(1)) if match else None


def encode_example_callback(index: int) -> str:
    """Callback data of a /start example-question button."""
    if not 0 <= index <= 9:
        raise ValueError(f"cannot encode example question {index}")
    return _checked(f"x:{index}")


def decode_example_callback(data: object) -> int | None:
    """Example-question index from a /start button; None for anything else."""
    match = _EXAMPLE_DATA_RE.fullmatch(data) if isinstance(data, str) else None
    return int(match.group(1)) if match else None


def is_quote_callback(data: object) -> bool:
    """True when ``data`` is well-formed source-button data."""
    return decode_quote_callback(data) is not None


def is_sources_callback(data: object) -> bool:
    """True when ``data`` is well-formed /sources paging data."""
    return decode_sources_callback(data) is not None


def is_example_callback(data: object) -> bool:
    """True when ``data`` is well-formed example-question data."""
    return decode_example_callback(data) is not None


def _checked(data: str) -> str:
    """Refuse callback data Telegram would reject (over 64 bytes)."""
    if len(data.encode()) >= MAX_CALLBACK_DATA_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def _split_units(text: str, limit: int) -> list[tuple[str, str]]:
    """Cut text into pieces within ``limit`` at paragraphs, then lines, then sentences; each with its separator."""
    units: list[tuple[str, str]] = []
    for paragraph in (p.strip() for p in _PARAGRAPH_RE.split(text)):
        separator = "\n\n"
        if telegram_length(paragraph) <= limit:
            units.extend([(paragraph, separator)] if paragraph else [])
            continue
        for line in (line.strip() for line in paragraph.split("\n")):
            if telegram_length(line) <= limit:
                units.extend([(line, separator)] if line else [])
                separator = "\n"
                continue
            for sentence in _sentences(line):
                for piece in _hard_split(sentence, limit):
                    units.append((piece, separator))
                    separator = " "
            separator = "\n"
    return units


def _sentences(paragraph: str) -> list[str]:
    """Split a paragraph after sentence ends, keeping trailing citation markers with their sentence."""
    pieces, start = [], 0
    for match in _SENTENCE_END_RE.finditer(paragraph):
        pieces.append(paragraph[start : match.end()].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def _hard_split(text: str, limit: int) -> list[str]:
    """Split an over-long sentence at the last whitespace before the limit (or at the limit)."""
    pieces = []
    while telegram_length(text) > limit:
        cut = limit
        while telegram_length(text[:cut]) > limit:
            cut -= 1
        space = text.rfind(" ", 0, cut + 1)
        if space > limit // 2:
            cut = space
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _question_heading(question: str, limit: int) -> _Unit:
    """The asked question in bold, shortened to a quarter of a message at most."""
    shown = _truncate(" ".join(question.split()), limit // 4)
    return f"<b>{escape_with_inert_links(shown, ())}</b>", telegram_length(shown), "\n\n"


def _answer_tail(reply: Reply) -> tuple[str, int]:
    """The note (italic) and the sources block of a reply, as HTML and visible length."""
    parts: list[tuple[str, int]] = []
    if reply.note:
        parts.append(_italic(line_text((Span(reply.note),), reply.phrases))[:2])
    if reply.sources:
        heading = _bot_line(reply.phrases.sources_heading, reply.phrases)
        lines = [(f"<b>{html.escape(heading)}</b>", telegram_length(heading))]
        lines.extend(_citation_line(row, reply.phrases) for row in reply.sources)
        parts.append(("\n".join(h for h, _ in lines), sum(n for _, n in lines) + len(lines) - 1))
    if not parts:
        return "", 0
    return "\n\n".join(h for h, _ in parts), sum(n for _, n in parts) + 2 * (len(parts) - 1)


def _citation_line(row: SourceRow, phrases: Phrases) -> tuple[str, int]:
    """``[n] Outlet, date — linked title`` as HTML and visible length."""
    spans = source_row_spans(row)
    return _row_html(spans, row.url, phrases), telegram_length(line_text(spans, phrases))


def _row_html(spans: Line, url: str | None, phrases: Phrases) -> str:
    """A row whose last span is a title, linked to ``url`` when it is http(s)."""
    pieces = line_pieces(spans, phrases)
    title_at = max(i for i, (_, kind) in enumerate(pieces) if kind == "source")
    out = []
    for i, (text, _) in enumerate(pieces):
        out.append(_linked_title(text, url) if i == title_at else html.escape(text))
    return "".join(out)


def _line_units(lines: Sequence[Line], phrases: Phrases, allowed: Sequence[str | None], limit: int) -> list[_Unit]:
    """Each line as one unit (escaped piece by piece), or cut at sentences and spaces when too long."""
    units: list[_Unit] = []
    for index, line in enumerate(lines):
        separator = "\n" if index else "\n\n"
        pieces = line_pieces(line, phrases)
        text = "".join(t for t, _ in pieces)
        if telegram_length(text) <= limit:
            line_html = "".join(
                html.escape(t) if kind == "bot" else escape_with_inert_links(t, allowed) for t, kind in pieces
            )
            units.append((line_html, telegram_length(text), separator))
            continue
        for number, (piece, sep) in enumerate(_split_units(text, limit)):
            piece_html = escape_with_inert_links(piece, allowed)
            units.append((piece_html, telegram_length(piece), sep if number else separator))
    return units


def _pack_blocks(blocks: Sequence[_Block], limit: int) -> list[tuple[str, int]]:
    """Pack blocks of units into messages; blockquote blocks are wrapped in each message they reach."""
    messages: list[tuple[str, int]] = []
    current: list[tuple[bool, list[str]]] = []  # (quote, [unit html with separators])
    current_len = 0

    def flush() -> None:
        nonlocal current, current_len
        if current:
            messages.append(("\n\n".join(_wrap(quote, "".join(parts)) for quote, parts in current), current_len))
        current, current_len = [], 0

    for block in blocks:
        for index, (unit_html, unit_len, separator) in enumerate(block.units):
            joins_group = index > 0 and bool(current)
            sep_len = len(separator) if joins_group else (2 if current else 0)
            if current and current_len + sep_len + unit_len > limit:
                flush()
                joins_group, sep_len = False, 0
            if joins_group:
                current[-1][1].append(separator + unit_html)
            else:
                current.append((block.quote, [unit_html]))
            current_len += sep_len + unit_len
    flush()
    return messages


def _wrap(quote: bool, inner: str) -> str:
    return f"<blockquote expandable>{inner}</blockquote>" if quote else inner


def _italic(text: str) -> _Unit:
    return f"<i>{html.escape(text)}</i>", telegram_length(text), "\n\n"


def _bot_line(text: str, phrases: Phrases) -> str:
    """The bot's own words on a line of their own (direction-marked when right-to-left)."""
    return line_text((Span(text),), phrases)


def _retold_header(citation: Citation, phrases: Phrases) -> Line:
    before, _, after = phrases.retold_header.partition("{outlet}")
    spans = [Span(before), Span(_clean(citation.source) or "unknown source", "source"), Span(after)]
    return tuple(s for s in spans if s.text)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _link_key(url: str) -> str:
    """A URL compared without scheme, ``www.``, host case and trailing slash."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    host, _, path = rest.partition("/")
    return f"{host.lower().removeprefix('www.')}/{path}".rstrip("/")


def _linked_title(title: str, url: str | None) -> str:
    """The escaped title, linked when the URL is http(s)."""
    title = " ".join(title.split()) or "untitled"
    if url and urlsplit(url).scheme in {"http", "https"}:
        return f'<a href="{html.escape(url, quote=True)}">{html.escape(title)}</a>'
    return html.escape(title)


def _pack_lines(lines: list[str], limit: int) -> list[tuple[str, int]]:
    """Pack HTML lines (each holding whole tags) into messages within ``limit``."""
    packed: list[tuple[str, int]] = []
    current: list[str] = []
    current_len = 0
    for line in lines:
        line_len = telegram_length(html.unescape(re.sub(r"<[^>]*>", "", line)))
        if current and current_len + 1 + line_len > limit:
            packed.append(("\n".join(current), current_len))
            current, current_len = [], 0
        current_len += line_len + (1 if current else 0)
        current.append(line)
    packed.append(("\n".join(current), current_len))
    return packed


def _truncate(text: str, limit: int) -> str:
    """Shorten text to ``limit`` characters, ending with an ellipsis when cut."""
    if telegram_length(text) <= limit:
        return text
    cut = max(0, limit - 1)
    while telegram_length(text[:cut]) > limit - 1:
        cut -= 1
    return text[:cut].rstrip() + "…"


def format_feeds_html(feeds: Sequence[Feed], now: float, *, limit: int = MAX_MESSAGE_CHARS) -> str:
    """The reply to an admin's /feeds: each feed with its kind, last success, item counts and problems."""
    if not feeds:
        return "No feeds yet. Add one with /addfeed URL [official|agency|news|opinion]."
    lines = [f"<b>Feeds</b> ({len(feeds)})"]
    for feed in feeds:
        success = f"{_ago(now - feed.last_success_at)} ago" if feed.last_success_at else "never"
        lines.append(
            f"• {html.escape(_truncate(feed.name, 80))} [{feed.kind}] <code>{html.escape(feed.url)}</code>\n"
            f"  last success {success}; {feed.items_indexed} indexed, {feed.items_failed} failed"
        )
        if feed.last_error:
            lines.append(f"  ⚠️ failing ({feed.failures}×): {html.escape(_truncate(feed.last_error, 300))}")
        lines.extend(f"  – {html.escape(_truncate(problem, 300))}" for problem in feed.problems)
    text = "\n".join(lines)
    return text if len(text) <= limit else _pack_lines(text.split("\n"), limit)[0][0]


def format_feed_health_html(feeds: Sequence[Feed]) -> str:
    """The feeds line of /stats: how many, and each failing one with its reason."""
    failing = [feed for feed in feeds if feed.last_error]
    line = f"<b>Feeds</b>: {len(feeds)}, {len(failing)} failing."
    return "\n".join(
        [
            line,
            *(
                f"⚠️ {html.escape(_truncate(f.name, 80))}: {html.escape(_truncate(f.last_error or '', 200))}"
                for f in failing
            ),
        ]
    )


def _ago(seconds: float) -> str:
    """``5 min``, ``3 h``, ``2 days``."""
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"
