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
from typing import Protocol
from urllib.parse import urlsplit

from bot.answering.answers import Answer, Citation
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


@dataclass(frozen=True)
class QuoteRef:
    """A source button's payload: which stored answer, which citation number."""

    key: str
    n: int


def telegram_length(text: str) -> int:
    """Length of plain text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def format_answer_html(answer: Answer, *, show_question: bool = False, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Render an answer as one or more HTML messages; the sources block is whole in the last."""
    head = [answer.question.strip()] if show_question and answer.question.strip() else []
    units = _split_units(answer.text.strip(), limit)
    tail_html, tail_len = _answer_tail(answer)
    allowed = [c.url for c in answer.citations]
    messages: list[tuple[str, int]] = []  # (html, visible length)
    current_html, current_len = "", 0
    if head:
        current_html, current_len = _question_heading(head[0], limit)
    for text, separator in units:
        piece_html, piece_len = escape_with_inert_links(text, allowed), telegram_length(text)
        sep = separator if current_html else ""
        if current_html and current_len + len(sep) + piece_len > limit:
            messages.append((current_html, current_len))
            current_html, current_len, sep = "", 0, ""
        current_html += sep + piece_html
        current_len += len(sep) + piece_len
    if tail_html:
        if current_html and current_len + 2 + tail_len <= limit:
            current_html, current_len = current_html + "\n\n" + tail_html, current_len + 2 + tail_len
        elif tail_len <= limit:
            if current_html:
                messages.append((current_html, current_len))
            current_html, current_len = tail_html, tail_len
        else:  # a sources block longer than a message: split it at its lines
            if current_html:
                messages.append((current_html, current_len))
            *full, (current_html, current_len) = _pack_lines(tail_html.split("\n"), limit)
            messages.extend(full)
    if current_html:
        messages.append((current_html, current_len))
    return [text for text, _ in messages] or [html.escape("(empty answer)")]


def format_quote_html(citation: Citation, *, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Render one citation: numbered header with a linked title, then the passage, expandable."""
    header_html, header_len = _citation_line(citation)
    budget = min(MAX_QUOTE_CHARS, limit - header_len - 1)
    quote = _truncate(" ".join(citation.quote.split()), budget)
    return f"{header_html}\n<blockquote expandable>{escape_with_inert_links(quote, [citation.url])}</blockquote>"


def page_count(total: int, page_size: int) -> int:
    """Number of pages needed to show ``total`` items, at least one."""
    return max(1, math.ceil(total / max(1, page_size)))


def format_sources_html(sources: Sequence[SourceLike], page: int, page_size: int) -> str:
    """Render one page of the indexed articles (given newest first) with outlet, date and link."""
    if not sources:
        return "No articles are indexed yet."
    pages = page_count(len(sources), page_size)
    page = min(max(page, 0), pages - 1)
    start = page * page_size
    header = f"<b>Indexed articles</b> ({len(sources)}, newest first)"
    if pages > 1:
        header += f" — page {page + 1}/{pages}"
    lines = [header]
    for number, item in enumerate(sources[start : start + page_size], start=start + 1):
        meta = _meta(item.source, item.date)
        lines.append(f"{number}. {html.escape(meta)} — {_linked_title(item.title, item.url)}")
    return "\n".join(lines)


def format_welcome_html(documents: int, first_date: str | None, last_date: str | None) -> str:
    """The /start greeting: what the bot knows and how it answers."""
    span = ""
    if first_date and last_date:
        span = f" dated {html.escape(first_date)} to {html.escape(last_date)}"
    return (
        "<b>Hello!</b> I answer questions about Pakistan's repatriation of Afghan migrants, "
        f"using only {documents} indexed news articles{span}.\n\n"
        "Every claim carries a citation like [1]; tap a source button under an answer to read the exact "
        "passage. Ask in your own words, or try one of these:"
    )


def format_help_html(history_turns: int) -> str:
    """The /help text: how to ask, what citations mean, where answers come from."""
    follow_up = (
        f"I remember the last {history_turns} questions of this chat, so you can ask follow-ups like "
        "“and what about ACC holders?”. /reset makes me forget them.\n\n"
        if history_turns
        else ""
    )
    return (
        "<b>How to ask</b>\n"
        "Send a question as a normal message in this chat. In a group, mention me, reply to one of my "
        "messages, or use /ask followed by your question.\n\n"
        f"{follow_up}"
        "<b>Citations</b>\n"
        "Numbers like [1] point to the sources listed under each answer (outlet, date, link). The buttons "
        "under an answer show the exact passage each number rests on.\n\n"
        "<b>Where answers come from</b>\n"
        "Only from the articles listed by /sources. If they don't cover your question, I say so instead of "
        "guessing. Figures are as of each article's date; newer events may be missing."
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


def _question_heading(question: str, limit: int) -> tuple[str, int]:
    """The asked question in bold, shortened to a quarter of a message at most."""
    shown = _truncate(" ".join(question.split()), limit // 4)
    return f"<b>{escape_with_inert_links(shown, ())}</b>", telegram_length(shown)


def _answer_tail(answer: Answer) -> tuple[str, int]:
    """The note (italic) and the sources block of an answer, as HTML and visible length."""
    parts: list[tuple[str, int]] = []
    if answer.note:
        note = " ".join(answer.note.split())
        parts.append((f"<i>{html.escape(note)}</i>", telegram_length(note)))
    if answer.citations:
        heading = "Sources" + (f" (as of {answer.as_of})" if answer.as_of else "")
        lines = [(f"<b>{html.escape(heading)}</b>", telegram_length(heading))]
        lines.extend(_citation_line(citation) for citation in answer.citations)
        parts.append(("\n".join(h for h, _ in lines), sum(n for _, n in lines) + len(lines) - 1))
    if not parts:
        return "", 0
    return "\n\n".join(h for h, _ in parts), sum(n for _, n in parts) + 2 * (len(parts) - 1)


def _citation_line(citation: Citation) -> tuple[str, int]:
    """``[n] Outlet, date — linked title`` as HTML and visible length."""
    prefix = f"[{citation.n}] {_meta(citation.source, citation.date)}{source_labels(citation)} — "
    title = " ".join(citation.title.split()) or "untitled"
    line_html = f"{html.escape(prefix)}{_linked_title(title, citation.url)}"
    return line_html, telegram_length(prefix) + telegram_length(title)


def source_labels(citation: Citation) -> str:
    """`` (opinion)`` for an opinion piece, and the other outlets that ran the same wire story."""
    opinion = " (opinion)" if citation.kind == "opinion" else ""
    return opinion + (f" (also run by {', '.join(citation.outlets)})" if citation.outlets else "")


def _link_key(url: str) -> str:
    """A URL compared without scheme, ``www.``, host case and trailing slash."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    host, _, path = rest.partition("/")
    return f"{host.lower().removeprefix('www.')}/{path}".rstrip("/")


def _meta(source: str, date: str | None) -> str:
    """``Outlet, date`` with whatever of the two is known."""
    known = [part.strip() for part in (source, date or "") if part and part.strip()]
    return ", ".join(known) or "unknown source"


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
