"""RSS and Atom feeds and article pages served on 127.0.0.1 from a thread, with ETag, Last-Modified and 304s.

Each path is a ``Resource`` that tests change between polls; every request is counted by path, so a test
can tell what a poll fetched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

LAST_MODIFIED = "Wed, 12 Nov 2025 10:00:00 GMT"


@dataclass
class Resource:
    """What one path answers."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag and Last-Modified, answer 304 to a matching conditional request
    delay_s: float = 0.0  # wait this long before answering

    @property
    def etag(self) -> str:
        """A strong validator of the body."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class FeedItem:
    """One item of a generated feed."""

    title: str
    link: str | None
    date: dt.datetime | None = None
    summary: str = ""


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 serving ``resources`` by path."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                """Stay quiet."""

            def do_GET(self) -> None:
                """Answer from the resource at this path."""
                server._answer(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        """The full URL of ``path``."""
        return self.base + path

    @property
    def requests(self) -> int:
        """Requests answered so far, of every path."""
        return sum(self.hits.values())

    def put(
        self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", **options: object
    ) -> str:
        """Serve ``body`` at ``path``; returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.resources[path] = Resource(data, content_type, **options)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        """Answer ``path`` with a 302 to ``location``; returns its URL."""
        self.resources[path] = Resource(b"", "text/plain", status=302, headers={"Location": location}, validators=False)
        return self.url(path)

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        """Send the resource at the request's path (404 when none)."""
        path = request.path
        with self._lock:
            self.hits[path] += 1
        resource = self.resources.get(path)
        if resource is not None and resource.delay_s:
            time.sleep(resource.delay_s)
        if resource is None:
            resource = Resource(b"not found", "text/plain", status=404, validators=False)
        if resource.validators and request.headers.get("If-None-Match") == resource.etag:
            with self._lock:
                self.not_modified[path] += 1
            request.send_response(304)
            request.send_header("ETag", resource.etag)
            request.end_headers()
            return
        request.send_response(resource.status)
        request.send_header("Content-Type", resource.content_type)
        request.send_header("Content-Length", str(len(resource.body)))
        if resource.validators:
            request.send_header("ETag", resource.etag)
            request.send_header("Last-Modified", LAST_MODIFIED)
        for name, value in resource.headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(resource.body)


@dataclass(frozen=True)
class _Format:
    """How a feed format writes an item: its element, and a template per field (a field the item lacks is left out)."""

    tag: str
    title: str
    link: str
    date: str
    summary: str


_RSS = _Format(
    tag="item",
    title="<title>{title}</title>",
    link="<link>{link}</link><guid>{link}</guid>",
    date="<pubDate>{rfc822}</pubDate>",
    summary="<description>{summary}</description>",
)
_ATOM = _Format(
    tag="entry",
    title="<title>{title}</title><id>urn:item:{number}:{title}</id>",
    link='<link rel="alternate" href="{link}"/>',
    date="<updated>{iso}</updated><published>{iso}</published>",
    summary="<summary>{summary}</summary>",
)


def _entries(items: Sequence[FeedItem], form: _Format) -> str:
    """Every item in ``form``: its title, then its link, date and summary where it has them."""
    entries = []
    for number, item in enumerate(items):
        values = {
            "number": number,
            "title": html.escape(item.title),
            "link": html.escape(item.link or ""),
            "rfc822": format_datetime(item.date) if item.date else "",
            "iso": item.date.isoformat() if item.date else "",
            "summary": html.escape(item.summary),
        }
        optional = ((form.link, item.link), (form.date, item.date), (form.summary, item.summary))
        parts = [form.title, *(template for template, value in optional if value)]
        entries.append(f"<{form.tag}>" + "".join(part.format(**values) for part in parts) + f"</{form.tag}>")
    return "".join(entries)


def rss(title: str, items: Sequence[FeedItem]) -> str:
    """An RSS 2.0 document."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>https://example.org/</link><description>news</description>"
        + _entries(items, _RSS)
        + "</channel></rss>"
    )


def atom(title: str, items: Sequence[FeedItem]) -> str:
    """An Atom 1.0 document."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{html.escape(title)}</title><id>urn:feed:{html.escape(title)}</id>"
        "<updated>2025-11-12T10:00:00Z</updated>" + _entries(items, _ATOM) + "</feed>"
    )


def article_html(title: str, site: str, text: str, date: str | None = None) -> str:
    """An article page: headline, outlet in og:site_name, optional date, paragraphs of ``text``."""
    meta = f'<meta property="og:site_name" content="{html.escape(site, quote=True)}">'
    if date:
        meta += f'<meta property="article:published_time" content="{date}">'
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<html><head><title>{html.escape(title)} - {html.escape(site)}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    )
