"""Downloading articles by URL from a real HTTP server on 127.0.0.1: caps, errors and redirects."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index.documents import FetchLimits, fetch_url
from index.errors import DocumentError

ARTICLE = (
    "<html><head><title>Crossing reopens - Frontier Daily</title></head><body><article><h1>Crossing reopens</h1>"
    "<p>Officials said the Chaman crossing reopened on Tuesday and 1,250 families crossed before dusk.</p>"
    "<p>Traders said goods would move again once security reviews were complete next week.</p>"
    "</article></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    """Serves a few fixed behaviours by path."""

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def do_GET(self) -> None:
        """Answer by path."""
        if self.path == "/article":
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif self.path == "/missing":
            self._send(404, b"not here", "text/plain")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/hop":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/huge":
            self._send(200, b"a" * 200_000, "text/plain")
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, ARTICLE.encode(), "text/html")
        elif self.path == "/empty":
            self._send(200, b"", "text/html")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A local HTTP server; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


LOCAL = FetchLimits(timeout_s=1.0, max_bytes=100_000, allow_private=True)


def test_an_article_is_downloaded_and_extracted(server: str) -> None:
    doc = fetch_url(f"{server}/article", LOCAL)
    assert "1,250 families" in doc.text
    assert doc.url == f"{server}/article"
    assert doc.origin == f"{server}/article"


def test_a_redirect_is_followed(server: str) -> None:
    assert "Chaman" in fetch_url(f"{server}/hop", LOCAL).text


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/loop", "too many redirects"),
        ("/huge", "limit"),
        ("/slow", "timed out"),
        ("/empty", ""),
    ],
)
def test_failures_get_a_one_line_reason(server: str, path: str, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        fetch_url(f"{server}{path}", LOCAL)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_loopback_is_refused_unless_allowed(server: str) -> None:
    with pytest.raises(DocumentError, match="private or local network"):
        fetch_url(f"{server}/article", FetchLimits(timeout_s=1.0))
