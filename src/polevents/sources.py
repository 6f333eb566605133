"""Sources at scale: folders, RSS/Atom feeds (files or URLs), web pages and WARC archives.

The same contract as `polevents.documents`: every reader yields `Document` or
`Skipped` (with a reason code and a message a person can act on) and never
raises on bad content. Plain files (txt, html, jsonl) are read by
`polevents.documents`; this module adds what needs the network or an archive.

Fetching is polite: a user agent that names the program, a timeout, at most
`per_host` requests to one host at a time, a pause between two requests to the
same host (longer when robots.txt asks for it), robots.txt obeyed, and pages
capped at `Limits.max_bytes`. Nothing is fetched except the URLs a user gave and
the links of the feeds they gave.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from polevents.documents import (
    DEFAULT_LIMITS,
    EMPTY,
    NO_TEXT,
    NOT_FOUND,
    PARSE_ERROR,
    TIMEOUT,
    TOO_LARGE,
    Document,
    DocumentError,
    Item,
    Limits,
    Skipped,
    document_from_html,
    document_name,
    guard,
    iter_paths,
    read_bytes_as,
    read_file,
    read_inputs,
    safe_text,
)
from polevents.limits import SKIP, DocumentTimeout, call_with_time_limit

# Skip reasons added by this module (stable strings stored in the database).
NOT_HTML, HTTP_ERROR, FETCH_ERROR, ROBOTS, DUPLICATE = "not_html", "http_error", "fetch_error", "robots", "duplicate"

HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json"}
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
FEED_SUFFIXES = {".rss", ".atom"}
_FEED_HEAD = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("polevents")
    except Exception:  # noqa: BLE001 - not installed as a package
        return "dev"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How politely to fetch: the defaults suit news sites; tests pass delay=0."""

    user_agent: str = f"polevents/{_version()} (political event coder; fetches pages listed in feeds)"
    timeout: float = 20.0  # seconds for connecting and for each read
    per_host: int = 2  # requests to one host at the same time
    delay: float = 1.0  # seconds between the starts of two requests to one host
    max_delay: float = 30.0  # cap on a robots.txt Crawl-delay
    workers: int = 8  # requests in flight over all hosts
    robots: bool = True  # obey robots.txt


@dataclass(slots=True)
class Response:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # media type, lower case, without parameters ("" when not given)
    charset: str | None
    body: bytes
    truncated: bool


@dataclass(frozen=True, slots=True)
class FetchFailure:
    url: str
    reason: str  # HTTP_ERROR, FETCH_ERROR or ROBOTS
    message: str


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def doc_id_for_url(url: str) -> str:
    """A readable, stable document id for a web page: host, the end of the path, and a short hash."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "url").removeprefix("www.")
    except ValueError:  # "http://[::1": not a URL one can split
        parts, host = urlsplit(""), "url"
    host = safe_text(host)[:100]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-")[-48:].strip("-")
    digest = hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{host}/{slug}-{digest}" if slug else f"{host}/{digest}"


class Fetcher:
    """Polite HTTP GETs from a few threads; `map` keeps the order of its input."""

    def __init__(self, options: FetchOptions = FetchOptions(), limits: Limits = DEFAULT_LIMITS):
        self.options = options
        self.limits = limits
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._robots: dict[str, Any] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._opener = urllib.request.build_opener()
        self._opener.addheaders = [("User-Agent", options.user_agent), ("Accept", "text/html,application/xhtml+xml,"
                                   "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5")]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ----- one request -------------------------------------------------------------------------------
    def _host_slot(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = threading.BoundedSemaphore(max(1, self.options.per_host))
                self._robots_locks[key] = threading.Lock()
            return self._hosts[key]

    def _wait_turn(self, key: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(key, 0.0))
            self._next_start[key] = start + delay
        if start > now:
            time.sleep(start - now)

    def _open(self, url: str) -> Response | FetchFailure:
        try:
            with self._opener.open(url, timeout=self.options.timeout) as answer:
                body = answer.read(self.limits.max_bytes + 1)
                headers: Message = answer.headers
                return Response(url=url, final_url=answer.geturl(), status=answer.status,
                                content_type=(headers.get_content_type() if headers.get("Content-Type") else ""),
                                charset=headers.get_content_charset(), body=body[: self.limits.max_bytes],
                                truncated=len(body) > self.limits.max_bytes)
        except urllib.error.HTTPError as error:
            return FetchFailure(url, HTTP_ERROR, f"the server answered HTTP {error.code} {error.reason}")
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            return FetchFailure(url, FETCH_ERROR, f"could not fetch it: {reason}")
        except Exception as error:  # noqa: BLE001 - http.client raises odd things on broken servers
            return FetchFailure(url, FETCH_ERROR, f"could not fetch it: {type(error).__name__}: {error}")

    def _robots_for(self, parts) -> Any:
        key = f"{parts.scheme}://{parts.netloc}"
        if key in self._robots:
            return self._robots[key]
        self._host_slot(key)
        with self._robots_locks[key]:
            if key in self._robots:
                return self._robots[key]
            parser = urllib.robotparser.RobotFileParser(key + "/robots.txt")
            self._wait_turn(key, self.options.delay)
            answer = self._open(key + "/robots.txt")
            if isinstance(answer, FetchFailure):
                # 401/403 mean "keep out" to robotparser; a missing file or a dead server means no rules
                parser.disallow_all = answer.reason == HTTP_ERROR and (" 401 " in answer.message
                                                                       or " 403 " in answer.message)
                parser.allow_all = not parser.disallow_all
            else:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            self._robots[key] = parser
            return parser

    def get(self, url: str) -> Response | FetchFailure:
        """One polite GET: robots.txt, per-host slot and pause, timeout, size cap."""
        try:
            parts = urlsplit(url)
            usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            usable = False
        if not usable:
            return FetchFailure(url, FETCH_ERROR, "not an http(s) URL")
        key = f"{parts.scheme}://{parts.netloc}"
        delay = self.options.delay
        if self.options.robots:
            robots = self._robots_for(parts)
            if not robots.can_fetch(self.options.user_agent, url):
                return FetchFailure(url, ROBOTS, "robots.txt of the site does not allow fetching it")
            asked = robots.crawl_delay(self.options.user_agent)
            if asked:
                delay = max(delay, min(float(asked), self.options.max_delay))
        with self._host_slot(key):
            self._wait_turn(key, delay)
            return self._open(url)

    # ----- many requests -----------------------------------------------------------------------------
    def map(self, jobs: Iterable[tuple[str, Any]]) -> Iterator[tuple[Any, Response | FetchFailure]]:
        """(payload, answer) for each (url, payload), in input order, with a bounded number in flight."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=max(1, self.options.workers),
                                            thread_name_prefix="polevents-fetch")
        window: deque[tuple[Any, Future]] = deque()
        limit = max(1, self.options.workers) * 2
        for url, payload in jobs:
            window.append((payload, self._pool.submit(self.get, url)))
            while len(window) >= limit:
                first, future = window.popleft()
                yield first, future.result()
        while window:
            first, future = window.popleft()
            yield first, future.result()


# ----- pages -------------------------------------------------------------------------------------------
def _sniff_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head


def _is_feed(content_type: str, body: bytes) -> bool:
    if content_type in FEED_TYPES or content_type.endswith(("+xml", "/xml")):
        return bool(_FEED_HEAD.search(body[:4096]))
    if content_type in HTML_TYPES:
        return False
    return bool(_FEED_HEAD.search(body[:4096]))


def page_document(
    body: bytes, *, url: str, doc_id: str, origin: str, charset: str | None = None,
    published: date | None = None, fallback_published: date | None = None, fallback_from: str | None = None,
    limits: Limits = DEFAULT_LIMITS, notes: Iterable[str] = (),
) -> Item:
    """A Document from the bytes of an HTML page, decoded with the server's charset when it gave one.

    `published` (the user's option) wins over the page's date; `fallback_published` (a feed item's or a
    WARC record's date) is used only when neither the page nor its text gives one.
    """
    notes = [n for n in notes if n]
    text = None
    if charset:
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeError, ValueError, TypeError):  # unknown, wrong, or not a text codec
            text = None
    if text is None:
        items = list(read_bytes_as(body, "html", doc_id, origin, published=published, limits=limits, url=url,
                                   notes=notes))
        item = items[0] if items else Skipped(origin, NO_TEXT, "no article text was found in the page", doc_id)
    else:
        try:
            item = document_from_html(text, doc_id, published=published, origin=origin, url=url, limits=limits,
                                      notes=notes)
        except DocumentError as error:
            item = Skipped(origin, error.reason, error.message, doc_id)
    if isinstance(item, Document):
        item.url = safe_text(url) if url else None
        if item.published is None and fallback_published is not None:
            item.published, item.published_from = fallback_published, fallback_from
    return item


def _from_response(answer: Response | FetchFailure, *, doc_id: str, origin: str, published: date | None,
                   fallback_published: date | None, fallback_from: str | None, limits: Limits) -> Item:
    if isinstance(answer, FetchFailure):
        return Skipped(origin, answer.reason, answer.message, doc_id)
    if answer.truncated and limits.oversize == SKIP:
        return Skipped(origin, TOO_LARGE, f"the page is over {limits.max_bytes:,} bytes; skipped (raise "
                                          "POLEVENTS_MAX_BYTES, or set POLEVENTS_OVERSIZE=truncate)", doc_id)
    if answer.content_type not in HTML_TYPES and not (answer.content_type in ("", "application/octet-stream")
                                                      and _sniff_html(answer.body)):
        shown = answer.content_type or "no content type"
        return Skipped(origin, NOT_HTML, f"the link is not an HTML page ({shown}); only web pages are coded", doc_id)
    note = f"too_large: only the first {limits.max_bytes} bytes of the page were read" if answer.truncated else None
    notes = [note]
    if answer.final_url != answer.url:
        notes.append(f"redirected to {answer.final_url}")
    return page_document(answer.body, url=answer.url, doc_id=doc_id, origin=origin, charset=answer.charset,
                         published=published, fallback_published=fallback_published, fallback_from=fallback_from,
                         limits=limits, notes=notes)


# ----- feeds -------------------------------------------------------------------------------------------
def _struct_date(value: Any) -> date | None:
    try:
        return date(value.tm_year, value.tm_mon, value.tm_mday) if value else None
    except (AttributeError, ValueError, TypeError):
        return None


_NUMERIC_REFERENCE = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{1,8})|0*([0-9]{1,10}));")


def _without_bad_references(data: bytes) -> bytes:
    """Numeric character references to what is no character (&#xD800;, &#0;, &#x110000;) replaced by U+FFFD:
    feedparser raises UnicodeEncodeError on a surrogate and loses the whole feed."""
    if b"&#" not in data:
        return data

    def fix(match: re.Match[bytes]) -> bytes:
        value = int(match[1], 16) if match[1] else int(match[2])
        if value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
            return b"&#xFFFD;"
        return match[0]

    return _NUMERIC_REFERENCE.sub(fix, data)


def _text_field(value: Any, limit: int = 2000) -> str | None:
    """A feed field as a safe, bounded, stripped string (None when empty or not text)."""
    if not isinstance(value, str):
        return None
    value = safe_text(" ".join(value.split()))[:limit]
    return value or None


def _entry_html(entry: Any) -> str | None:
    """The item's own HTML (content:encoded, then the summary), for items without a link."""
    contents = entry.get("content")
    for content in contents if isinstance(contents, list) else []:
        if hasattr(content, "get") and isinstance(content.get("value"), str) and content["value"].strip():
            return safe_text(content["value"])
    summary = entry.get("summary")
    return safe_text(summary) if isinstance(summary, str) and summary.strip() else None


def read_feed(
    data: bytes, origin: str, *, fetcher: Fetcher, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
    skip_url: Callable[[str], bool] | None = None,
) -> Iterator[Item]:
    """The pages an RSS/Atom feed links to, each fetched politely; items without a link are coded from their text."""
    import feedparser

    try:
        # a stream, never bytes or a string: feedparser fetches a URL and opens a path (even as bytes) itself
        parsed = call_with_time_limit(limits.time_limit, feedparser.parse, io.BytesIO(_without_bad_references(data)),
                                      what="reading the feed")
    except DocumentTimeout as error:
        yield Skipped(origin, TIMEOUT, f"{error}; skipped (raise POLEVENTS_TIME_LIMIT to allow more)")
        return
    except RecursionError:
        yield Skipped(origin, PARSE_ERROR, "not a readable RSS/Atom feed: nested too deeply")
        return
    except Exception as error:  # noqa: BLE001 - feedparser is lenient but not infallible
        yield Skipped(origin, PARSE_ERROR, f"not a readable RSS/Atom feed: {type(error).__name__}: "
                                           f"{' '.join(str(error).split())[:200]}")
        return
    entries = [entry for entry in parsed.get("entries") or [] if hasattr(entry, "get")]
    if not entries:
        problem = parsed.get("bozo_exception")
        shown = " ".join(str(problem).split())[:200]
        yield Skipped(origin, PARSE_ERROR if problem else NO_TEXT,
                      f"not a readable RSS/Atom feed: {shown}" if problem else "the feed has no items")
        return
    feed = parsed.get("feed")
    feed_title = _text_field(feed.get("title")) if hasattr(feed, "get") else None
    jobs: list[tuple[str, Any]] = []

    def finish(item: Item, entry: Any) -> Item:
        if isinstance(item, Document):
            if item.title is None:
                item.title = _text_field(entry.get("title"))
            if item.source is None and feed_title:
                item.source = feed_title
        return item

    pending: list[tuple[int, Any, Item | None]] = []
    for number, entry in enumerate(entries, start=1):
        link = _text_field(entry.get("link"), 8000) or ""
        entry_date = _struct_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        where = f"{origin}#{number}"
        if link and is_url(link):
            if skip_url is not None and skip_url(link):
                pending.append((number, entry, Skipped(link, DUPLICATE, "this URL is already in the database",
                                                       doc_id_for_url(link))))
                continue
            jobs.append((link, (number, entry, entry_date)))
            pending.append((number, entry, None))
            continue
        html = _entry_html(entry)
        doc_id = f"{Path(origin).stem or 'feed'}-{number}"
        if not html:
            pending.append((number, entry, Skipped(where, NO_TEXT, "the item has neither a link nor any text",
                                                   doc_id)))
            continue
        body = f"<html><body><article>{html}</article></body></html>".encode("utf-8", "replace")
        pending.append((number, entry, page_document(body, url=None, doc_id=doc_id, origin=where, charset="utf-8",
                                                     published=published, fallback_published=entry_date,
                                                     fallback_from="feed", limits=limits)))
    fetched = fetcher.map(jobs)
    for _number, entry, ready in pending:
        if ready is not None:
            yield finish(ready, entry)
            continue
        (_n, _entry, entry_date), answer = next(fetched)
        link = _text_field(entry.get("link"), 8000) or ""
        yield finish(_from_response(answer, doc_id=doc_id_for_url(link), origin=link, published=published,
                                    fallback_published=entry_date, fallback_from="feed", limits=limits), entry)


# ----- WARC ---------------------------------------------------------------------------------------------
# what a damaged archive makes warcio (and gzip, zlib, brotli under it) raise; anything else is a bug, which
# `guard` records for the file
_WARC_ERRORS: tuple[type[BaseException], ...] = (ValueError, OSError, EOFError, zlib.error, IndexError,
                                                 KeyError, TypeError, AttributeError, LookupError,
                                                 RecursionError)


def _next_record_start(handle, after: int, gzipped: bool) -> int | None:
    """Where the next record seems to start after a broken one (a gzip member or a "WARC/1." line)."""
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    after = max(0, after)
    handle.seek(after)
    carry = b""
    position = after
    while True:
        chunk = handle.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(marker)
        if found >= 0:
            return position - len(carry) + found + (0 if gzipped else 1)
        carry = data[-(len(marker) - 1):]
        position += len(chunk)


def read_warc(
    path: Path, *, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
    skip_url: Callable[[str], bool] | None = None,
) -> Iterator[Item]:
    """HTML responses of a WARC/ARC file (plain or gzipped), e.g. Common Crawl's CC-NEWS.

    Request, metadata and warcinfo records are not documents and pass silently; responses that are not
    HTML, not 200, or unreadable are skipped with a reason. After a broken record the reader looks for
    the next record and goes on, so a truncated or damaged archive still yields what it holds.
    """
    origin = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, the generator may be abandoned
    except OSError as error:
        yield Skipped(origin, NOT_FOUND, f"cannot read it: {error.strerror or error}")
        return
    with handle:
        head = handle.read(2)
        if not head:
            yield Skipped(origin, EMPTY, "the archive is empty")
            return
        gzipped = head == b"\x1f\x8b" or path.name.lower().endswith(".gz")  # its first member may be damaged
        yielded = False
        for item in _warc_items(handle, path, origin, gzipped, published=published, limits=limits,
                                skip_url=skip_url):
            yielded = True
            yield item
        if not yielded:
            yield Skipped(origin, NO_TEXT, "the archive holds no HTTP responses (only requests, metadata or "
                                           "nothing readable)")


def _warc_items(handle, path: Path, origin: str, gzipped: bool, *, published: date | None, limits: Limits,
                skip_url: Callable[[str], bool] | None) -> Iterator[Item]:
    """The items of an open WARC/ARC file, resynchronising after each broken record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    is_arc = path.name.lower().endswith((".arc", ".arc.gz"))  # mixed ARC parsing reads garbage as ARC
    start, number, resyncs = 0, 0, 0
    announced: int | None = None  # where reading went on after damage was reported (not reported again)
    while True:
        handle.seek(start)
        iterator = ArchiveIterator(handle, arc2warc=is_arc)
        record = None
        last_start: int | None = None  # the start of the last record read whole in this attempt
        current: int | None = None  # the start of the record being read
        try:
            for record in iterator:
                # (never at or before the last good record: then nothing is read twice)
                current = start if last_start is None else max(iterator.offset, last_start + 1)
                number += 1
                if not is_arc and record.rec_headers.get_header("Content-Length") is None:
                    # a damaged length: warcio would read the rest of the file as this record's content
                    raise ValueError("the record has no Content-Length")
                item = _warc_record(record, origin=f"{origin}#{number}", published=published, limits=limits,
                                    skip_url=skip_url)
                if item is not None:
                    yield item
                last_start, current = current, None
            # a file cut in the middle of its last record ends quietly: say so
            if record is not None and getattr(getattr(record, "raw_stream", None), "limit", 0) > 0:
                yield Skipped(f"{origin}@{iterator.offset}", PARSE_ERROR,
                              "the file ends inside a record (a truncated download?); its last record is "
                              "incomplete")
            return
        except (ArchiveLoadFailed, *_WARC_ERRORS) as error:
            resyncs += 1
            if current is None and last_start is not None:
                # reading the record after a good one failed. warcio's idea of where that record starts
                # cannot be trusted (a wrong Content-Length puts it anywhere, a damaged gzip member even
                # before the start of the file): read on from the next record start after the good one
                resume = _next_record_start(handle, last_start + 1, gzipped)
                rest = f"; reading on at byte {resume}" if resume is not None else "; nothing readable after it"
                shown = " ".join(str(error).split())[:200]
                yield Skipped(f"{origin}@{last_start}", PARSE_ERROR, f"the archive is damaged after the record "
                                                                     f"at byte {last_start} ({type(error).__name__}:"
                                                                     f" {shown}){rest}")
                if resume is None or resume <= start or resyncs > 1000:
                    return
                start = announced = resume
                continue
            broken = current if current is not None else start
            resume = _next_record_start(handle, broken + 1, gzipped)
            rest = "; reading on from the next record" if resume is not None else "; nothing readable after it"
            shown = " ".join(str(error).split())[:200]
            if broken != announced:  # else: the same damage, already reported
                yield Skipped(f"{origin}@{broken}", PARSE_ERROR,
                              f"broken WARC record ({type(error).__name__}: {shown}){rest}")
            if resume is None or resume <= broken or resyncs > 1000:
                return
            start = resume


_WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}


def _warc_record(record, *, origin: str, published: date | None, limits: Limits,
                 skip_url: Callable[[str], bool] | None) -> Item | None:
    if record.rec_type != "response":
        if record.rec_type in _WARC_TYPES:
            return None  # not a document
        shown = safe_text(str(record.rec_type))[:40] if record.rec_type else "none"
        return Skipped(origin, PARSE_ERROR, f"a record of unknown WARC-Type ({shown}): damaged headers?")
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    doc_id = doc_id_for_url(url) if url else Path(origin).name
    where = url or origin
    headers = record.http_headers
    if headers is None:
        kind = record.rec_headers.get_header("Content-Type") or "no content type"
        return Skipped(where, NOT_HTML, f"the record is not an HTTP response ({kind})", doc_id)
    status = headers.get_statuscode() or "?"
    if status != "200":
        if not re.fullmatch(r"[1-5]\d\d", status):  # a damaged status line
            return Skipped(where, PARSE_ERROR, f"the archived response has no readable HTTP status line "
                                               f"({ascii(status[:30])})", doc_id)
        return Skipped(where, HTTP_ERROR, f"the archived response is HTTP {status}, not a page", doc_id)
    message = Message()
    message["Content-Type"] = headers.get_header("Content-Type") or ""
    content_type = message.get_content_type() if message["Content-Type"] else ""
    if content_type not in HTML_TYPES:
        shown = content_type or "no content type"
        return Skipped(where, NOT_HTML, f"the archived response is not HTML ({shown})", doc_id)
    if skip_url is not None and url and skip_url(url):
        return Skipped(where, DUPLICATE, "this URL is already in the database", doc_id)
    body = record.content_stream().read(limits.max_bytes + 1)  # errors here are handled by read_warc
    note = None
    if len(body) > limits.max_bytes:
        if limits.oversize == SKIP:
            return Skipped(where, TOO_LARGE, f"the archived page is over {limits.max_bytes:,} bytes; skipped "
                                             "(raise POLEVENTS_MAX_BYTES, or set POLEVENTS_OVERSIZE=truncate)",
                           doc_id)
        note = f"too_large: only the first {limits.max_bytes:,} bytes were read"
    crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
    return page_document(body[: limits.max_bytes], url=url or None, doc_id=doc_id, origin=where,
                         charset=message.get_content_charset(), published=published, fallback_published=crawled,
                         fallback_from="warc", limits=limits, notes=[note])


def _warc_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


# ----- dispatch ------------------------------------------------------------------------------------------
def source_kind(path: Path) -> str:
    """warc, feed or document (txt/html/jsonl, read by polevents.documents)."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if path.suffix.lower() in FEED_SUFFIXES:
        return "feed"
    if path.suffix.lower() in (".xml", ""):
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            return "document"
        if _FEED_HEAD.search(head):
            return "feed"
        if head.startswith(b"WARC/1.") or head.startswith(b"\x1f\x8b"):
            return "warc" if head.startswith(b"WARC/1.") else "document"
    return "document"


class SourceReader:
    """Documents from everything `polevents ingest` accepts, in the order given.

    `skip_url` lets the caller (the ingest) say which URLs it already has, so that a feed read again
    does not fetch its pages again; the reader never looks at the database itself.
    """

    def __init__(self, *, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
                 fetch: FetchOptions = FetchOptions(), skip_url: Callable[[str], bool] | None = None):
        self.published = published
        self.limits = limits
        self.fetch = fetch
        self.skip_url = skip_url
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.fetch, self.limits)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def read(self, sources: Iterable[str | Path], *, stdin: Any = None) -> Iterator[Item]:
        """Every source in turn; an unexpected error in one is recorded (reason `error`) and the next is read."""
        try:
            for source in sources:
                text = str(source)
                if text == "-":
                    yield from read_inputs(["-"], published=self.published, limits=self.limits, stdin=stdin)
                elif is_url(text):
                    yield from guard(self.read_url(text), text)
                else:
                    path = Path(text)
                    try:
                        exists = path.exists()
                    except (OSError, ValueError) as error:  # a name too long, a NUL byte
                        yield Skipped(text, NOT_FOUND, f"cannot read it: {error}")
                        continue
                    if not exists:
                        yield Skipped(text, NOT_FOUND, "no such file or folder")
                        continue
                    for file in iter_paths(path):
                        yield from guard(self.read_path(file, name=document_name(file, path)), str(file))
        finally:
            self.close()

    def read_path(self, path: Path, name: str | None = None) -> Iterator[Item]:
        """The documents of one file: a WARC archive, a feed, or a txt/html/jsonl file (named `name`,
        see `polevents.documents.read_file`)."""
        kind = source_kind(path)
        if kind == "warc":
            yield from read_warc(path, published=self.published, limits=self.limits, skip_url=self.skip_url)
        elif kind == "feed":
            try:
                with open(path, "rb") as handle:
                    data = handle.read(self.limits.max_bytes + 1)
            except OSError as error:
                yield Skipped(str(path), NOT_FOUND, f"cannot read it: {error.strerror or error}")
                return
            if len(data) > self.limits.max_bytes:
                if self.limits.oversize == SKIP:
                    yield Skipped(str(path), TOO_LARGE, f"the feed is over {self.limits.max_bytes:,} bytes; "
                                                        "skipped (raise POLEVENTS_MAX_BYTES)")
                    return
                data = data[: self.limits.max_bytes]
                yield Skipped(str(path), TOO_LARGE, f"the feed is over {self.limits.max_bytes:,} bytes: only the "
                                                    "items in its beginning are read (raise POLEVENTS_MAX_BYTES)")
            yield from read_feed(data, str(path), fetcher=self.fetcher, published=self.published,
                                 limits=self.limits, skip_url=self.skip_url)
        else:
            yield from read_file(path, published=self.published, limits=self.limits, name=name)

    def read_url(self, url: str) -> Iterator[Item]:
        """A feed URL (its items are fetched) or a page URL (coded itself)."""
        if self.skip_url is not None and self.skip_url(url):
            yield Skipped(url, DUPLICATE, "this URL is already in the database", doc_id_for_url(url))
            return
        answer = self.fetcher.get(url)
        if isinstance(answer, Response) and _is_feed(answer.content_type, answer.body):
            yield from read_feed(answer.body, url, fetcher=self.fetcher, published=self.published,
                                 limits=self.limits, skip_url=self.skip_url)
            return
        yield _from_response(answer, doc_id=doc_id_for_url(url), origin=url, published=self.published,
                             fallback_published=None, fallback_from=None, limits=self.limits)


def read_sources(
    sources: Iterable[str | Path], *, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
    fetch: FetchOptions = FetchOptions(), skip_url: Callable[[str], bool] | None = None, stdin: Any = None,
) -> Iterator[Item]:
    """Documents (or skips with reasons) from files, folders, feeds, URLs, WARC files and "-"."""
    reader = SourceReader(published=published, limits=limits, fetch=fetch, skip_url=skip_url)
    yield from reader.read(sources, stdin=stdin)

