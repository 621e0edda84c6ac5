"""Loading articles from .txt, .md, .html files and http(s) URLs into cleaned Documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import logging
import re
import socket
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import trafilatura
import yaml

from index.errors import DocumentError
from index.text import is_arabic_script
from index.types import SOURCE_KINDS, Document, SourceKind

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
SIDECAR_SUFFIX = ".meta.yaml"
MAX_REDIRECTS = 5
USER_AGENT = "policybot/0.1 (+article indexer)"

# Lines that are site furniture rather than article text: share/follow/subscribe prompts.
_PROMO_RE = re.compile(
    r"(whats\s*app\s+channel|telegram\s+channel|follow\s+us|subscribe|sign\s+up|"
    r"join\s+our|click\s+here|read\s+more|also\s+read|share\s+this|download\s+(the\s+)?app|"
    r"advertisement|sponsored)",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?۔؟\"”’)\]:]$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNKNOWN_DATE_MARKERS = frozenset({"unknown", "undated", "n/a", "none", "-"})  # "no date" said on purpose
_DATE_LIKE_RE = re.compile(r"\d{4}(-\d{1,2}(-\d{1,2})?)?([T ].*)?")
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?", re.DOTALL)
_HIDDEN_XPATH = [
    "//*[@hidden]",
    "//*[@aria-hidden='true']",
    "//*[contains(translate(@style, ' ', ''), 'display:none')]",
    "//*[contains(translate(@style, ' ', ''), 'visibility:hidden')]",
    "//script",
    "//style",
    "//noscript",
    "//template",
]


@dataclass(frozen=True)
class FetchLimits:
    """Caps on downloading an article from a URL."""

    timeout_s: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    allow_private: bool = False
    trusted_hosts: frozenset[str] = frozenset()  # host names allowed although private (an operator's own server)


def content_id(text: str) -> str:
    """A stable document id derived from the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def detect_language(text: str) -> str:
    """A coarse script-based language tag: "ur" for Arabic-script text, else "en"."""
    return "ur" if is_arabic_script(text) else "en"


def normalize_date(value: object) -> str | None:
    """An ISO date string ("2024", "2024-04" or "2024-04-27") or None when unknown or not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for pattern, fmt in (
        (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
        (r"\d{4}-\d{2}", "%Y-%m"),
        (r"\d{4}", "%Y"),
    ):
        if re.fullmatch(pattern, text):
            try:
                dt.datetime.strptime(text, fmt)
            except ValueError:
                return None
            return text
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ]", text)
    if match:
        return normalize_date(match.group(1))
    return None


def document_date(value: object, origin: str) -> str | None:
    """The ISO date of front matter or sidecar ``date:``: a date-shaped value that is not a real date
    (``2025-02-30``) is a DocumentError; a value that is not a date at all (``yesterday``) is logged as a
    warning and left out."""
    if value is None or str(value).strip().casefold() in {"", *UNKNOWN_DATE_MARKERS}:
        return None
    date = normalize_date(value)
    if date is not None:
        return date
    text = str(value).strip()
    if _DATE_LIKE_RE.fullmatch(text):
        raise DocumentError(f"{origin}: date {text!r} is not a real date (expected YYYY-MM-DD)")
    log.warning("%s: date %r is not a date (expected YYYY-MM-DD); indexed without a date", origin, text)
    return None


class _StringDateLoader(yaml.SafeLoader):
    """YAML's safe loader without the timestamp type, so ``date: 2025-02-30`` stays a string to check
    instead of an exception from inside the parser."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_mapping(text: str) -> object:
    """Parse YAML metadata with dates kept as strings."""
    return yaml.load(text, Loader=_StringDateLoader)  # a SafeLoader subclass: no arbitrary objects


def clean_text(raw: str, title: str | None = None) -> str:
    """Remove page furniture (navigation, repeated lines, captions, promos) and normalise whitespace."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL_RE.sub("", text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    counts = Counter(line.casefold() for line in lines if line)
    title_key = title.strip().casefold() if title else None
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if not line:
            kept.append("")
            continue
        key = line.casefold()
        if key in seen:
            continue  # repeated headline, caption or alt text
        seen.add(key)
        if title_key and key == title_key:
            continue  # the headline is metadata, not body text
        if _is_furniture(line, counts[key], title_key):
            continue
        kept.append(line)
    body = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def _is_furniture(line: str, occurrences: int, title_key: str | None) -> bool:
    """True for a navigation, caption or promotional line."""
    words = line.split()
    unpunctuated = not _SENTENCE_END_RE.search(line)
    if len(words) <= 12 and _PROMO_RE.search(line):
        return True
    if title_key and line.casefold().endswith(title_key) and line.casefold() != title_key:
        prefix = line[: len(line) - len(title_key)].split()
        if len(prefix) <= 6:
            return True  # breadcrumb navigation followed by the headline
    # a short unpunctuated line shown twice is an image caption and its alt text
    return occurrences > 1 and unpunctuated and len(words) <= 10


def guess_title(raw: str) -> str | None:
    """The headline of a raw dump: the first short unpunctuated line that is repeated or stands alone."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    counts = Counter(lines)
    for line in lines[:8]:
        if counts[line] > 1 and not _SENTENCE_END_RE.search(line) and 3 <= len(line.split()) <= 25:
            return line
    for line in lines[:5]:
        if not _SENTENCE_END_RE.search(line) and 3 <= len(line.split()) <= 25:
            return line
    return None


def split_front_matter(raw: str, origin: str) -> tuple[dict[str, Any], str]:
    """Separate optional YAML front matter from the body; bad YAML is a DocumentError."""
    match = _FRONT_MATTER_RE.match(raw)
    if not match:
        return {}, raw
    try:
        meta = load_yaml_mapping(match.group(1))
    except yaml.YAMLError as exc:
        raise DocumentError(f"{origin}: front matter is not valid YAML") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise DocumentError(f"{origin}: front matter is not a YAML mapping")
    return meta, raw[match.end() :]


def decode_text(data: bytes, origin: str) -> str:
    """UTF-8 text from bytes, refusing empty, binary and undecodable input with a reason."""
    if not data.strip():
        raise DocumentError(f"{origin}: the file is empty")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{origin}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{origin}: not valid UTF-8 text (byte {exc.start})") from exc


def build_document(
    body: str,
    meta: dict[str, Any],
    origin: str,
    *,
    default_source: str | None = None,
) -> Document:
    """Clean ``body`` and attach metadata; refuse a document with no text left."""
    raw_title = meta.get("title")
    title = str(raw_title).strip() if raw_title else guess_title(body)
    text = clean_text(body, title)
    if len(text) < 20:
        raise DocumentError(f"{origin}: no article text left after cleaning")
    url = meta.get("url")
    source = meta.get("source") or default_source or _host(str(url) if url else None) or "unknown source"
    return Document(
        doc_id=content_id(text),
        text=text,
        title=title or Path(origin).stem,
        source=str(source).strip(),
        date=document_date(meta.get("date"), origin),
        url=str(url).strip() if url else None,
        origin=origin,
        language=detect_language(text),
        verbatim=is_verbatim(meta, origin),
        kind=source_kind(meta, origin),
    )


def is_verbatim(meta: dict[str, Any], origin: str) -> bool:
    """False when the front matter says the text is retold (``paraphrased: true`` or ``verbatim: false``)."""
    for key, verbatim_when in (("paraphrased", False), ("verbatim", True)):
        if key in meta:
            value = meta[key]
            if not isinstance(value, bool):
                raise DocumentError(f"{origin}: front matter {key!r} must be true or false, not {value!r}")
            return value == verbatim_when
    return True


def source_kind(meta: dict[str, Any], origin: str, default: SourceKind = "news") -> SourceKind:
    """The document's kind from front matter ``kind:`` (official, agency, news, opinion)."""
    value = meta.get("kind")
    if value is None:
        return default
    kind = str(value).strip().casefold()
    for known in SOURCE_KINDS:
        if kind == known:
            return known
    raise DocumentError(f"{origin}: front matter kind {value!r} is not one of {', '.join(SOURCE_KINDS)}")


def _host(url: str | None) -> str | None:
    """The host part of a URL, without a leading www."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def extract_html(html: str | bytes, origin: str, url: str | None = None) -> Document:
    """The main text and metadata of an HTML page, hidden and scripted parts removed."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        raise DocumentError(f"{origin}: the page is empty")
    try:
        text = trafilatura.extract(
            html,
            url=url,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            prune_xpath=_HIDDEN_XPATH,
        )
        metadata = trafilatura.extract_metadata(html, default_url=url)
    except Exception as exc:  # trafilatura raises a variety of lxml errors on broken markup
        raise DocumentError(f"{origin}: the HTML could not be parsed") from exc
    if not text:
        raise DocumentError(f"{origin}: no article text found in the HTML")
    meta: dict[str, Any] = {"url": url}
    if metadata is not None:
        meta.update(
            {
                "title": metadata.title,
                "date": metadata.date,
                "source": metadata.sitename,
                "url": url or metadata.url,
            }
        )
    return build_document(text, meta, origin)


def load_file(path: Path, max_bytes: int = 10 * 1024 * 1024) -> Document:
    """Load one .txt, .md or .html file, with an optional ``<name>.meta.yaml`` sidecar."""
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{origin}: unsupported file type {suffix or '(none)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"{origin}: {size:,} bytes is over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{origin}: cannot be read ({exc.strerror})") from exc
    sidecar = load_sidecar(path)
    if suffix in HTML_SUFFIXES:
        if not data.strip():
            raise DocumentError(f"{origin}: the file is empty")
        if b"\x00" in data[:8192]:
            raise DocumentError(f"{origin}: looks like a binary file, not HTML")
        doc = extract_html(data, origin, url=sidecar.get("url"))
        return _with_overrides(doc, sidecar) if sidecar else doc
    raw = decode_text(data, origin)
    meta, body = split_front_matter(raw, origin)
    meta = {**meta, **sidecar}
    return build_document(body, meta, origin)


def load_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from ``<file><SIDECAR_SUFFIX>`` beside a file, if present."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        meta = load_yaml_mapping(sidecar.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{sidecar}: not valid YAML") from exc
    if not isinstance(meta, dict):
        raise DocumentError(f"{sidecar}: not a YAML mapping")
    return meta


def _with_overrides(doc: Document, meta: dict[str, Any]) -> Document:
    """``doc`` with title, source, date and url taken from ``meta`` where given."""
    return Document(
        doc_id=doc.doc_id,
        text=doc.text,
        title=str(meta.get("title") or doc.title),
        source=str(meta.get("source") or doc.source),
        date=document_date(meta["date"], doc.origin) if "date" in meta else doc.date,
        url=str(meta.get("url") or doc.url) if (meta.get("url") or doc.url) else None,
        origin=doc.origin,
        language=doc.language,
        verbatim=is_verbatim(meta, doc.origin) if ("paraphrased" in meta or "verbatim" in meta) else doc.verbatim,
        kind=source_kind(meta, doc.origin, doc.kind),
    )


def iter_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Supported files under each path (directories walked in name order)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def is_url(text: str) -> bool:
    """True for an http(s) URL."""
    return text.lower().startswith(("http://", "https://"))


def require_web_url(text: str) -> str:
    """``text`` stripped when it is an http(s) URL with a host; a DocumentError for a local path, a
    ``file:`` URL or any other scheme (what admins add over chat must never read the server's files)."""
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        shown = url if len(url) <= 80 else url[:79] + "…"
        raise DocumentError(f"{shown}: only http:// and https:// links can be added, not files or other schemes")
    return url


def check_public_address(url: str, allow_private: bool, trusted_hosts: frozenset[str] = frozenset()) -> None:
    """Refuse URLs that are not http(s) or that resolve to loopback, private or link-local hosts
    (unless ``allow_private``, or the host is one of ``trusted_hosts``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise DocumentError(f"{url}: only http and https URLs can be added")
    if not parts.hostname:
        raise DocumentError(f"{url}: the URL has no host")
    if allow_private or parts.hostname.casefold() in trusted_hosts:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise DocumentError(f"{url}: the host could not be resolved") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise DocumentError(f"{url}: the host is on a private or local network, which is not allowed")


@dataclass(frozen=True)
class Download:
    """One downloaded resource: status 200 with a body, or 304 when a conditional request found it unchanged."""

    url: str  # the address finally fetched, after redirects
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None


def download(
    url: str,
    limits: FetchLimits,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
) -> Download:
    """GET ``url`` within the size and time caps, checking the address of every redirect before following it.

    With ``etag`` or ``last_modified`` the request is conditional, and an unchanged resource comes back as
    status 304 with no body. Every failure is a DocumentError naming ``url``.
    """
    if client is None:
        with new_client(limits) as own:
            return download(url, limits, etag=etag, last_modified=last_modified, client=own)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_public_address(current, limits.allow_private, limits.trusted_hosts)
        try:
            with client.stream("GET", current, headers=headers) as response:
                if response.status_code == 304 and headers:
                    return Download(current, 304, b"", "", etag, last_modified)
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise DocumentError(f"{url}: redirect without a location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise DocumentError(f"{url}: the server answered HTTP {response.status_code}")
                body = _read_capped(response, limits.max_bytes, url)
                return Download(
                    url=current,
                    status=response.status_code,
                    body=body,
                    content_type=response.headers.get("content-type", ""),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
        except httpx.TimeoutException as exc:
            raise DocumentError(f"{url}: timed out after {limits.timeout_s:g} s") from exc
        except httpx.HTTPError as exc:
            raise DocumentError(f"{url}: could not be downloaded ({type(exc).__name__})") from exc
    raise DocumentError(f"{url}: too many redirects")


def new_client(limits: FetchLimits) -> httpx.Client:
    """An HTTP client for ``download``: the caps' timeout, no automatic redirects (each one is checked)."""
    return httpx.Client(
        timeout=httpx.Timeout(limits.timeout_s),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


def document_from_download(fetched: Download, url: str) -> Document:
    """The article in a downloaded page or text file, cited by ``url``."""
    if "html" in fetched.content_type or fetched.body.lstrip()[:1] == b"<":
        return extract_html(fetched.body, url, url=url)
    raw = decode_text(fetched.body, url)
    meta, text = split_front_matter(raw, url)
    return build_document(text, {"url": url, **meta}, url)


def fetch_url(url: str, limits: FetchLimits) -> Document:
    """Download and extract an article, re-checking every redirect and capping size and time."""
    return document_from_download(download(url, limits), url)


def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    """The response body, refusing one larger than ``max_bytes``."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise DocumentError(f"{url}: {int(declared):,} bytes is over the {max_bytes:,}-byte limit")
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise DocumentError(f"{url}: larger than the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def load_source(source: str, limits: FetchLimits) -> Document:
    """Load one path or URL."""
    if is_url(source):
        return fetch_url(source, limits)
    return load_file(Path(source), limits.max_bytes)
