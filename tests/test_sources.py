"""Sources: WARC archives written by warcio, RSS feeds whose links are served from 127.0.0.1, polite fetching."""

from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest

from polevents.documents import Document, Skipped
from polevents.sources import (
    DUPLICATE,
    FETCH_ERROR,
    HTTP_ERROR,
    NOT_HTML,
    ROBOTS,
    Fetcher,
    FetchOptions,
    SourceReader,
    doc_id_for_url,
    read_sources,
    read_warc,
    source_kind,
)

FAST = FetchOptions(delay=0.0, timeout=5.0)


def article(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<meta property="article:published_time" content="2012-06-06"></head>'
            f"<body><nav>Home | World | Sports</nav><article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Copyright</footer></body></html>").encode()


RUSSIA_CHINA = article("Russia and China sign deal", "Russia and China signed an energy agreement in Beijing on "
                       "Tuesday, officials said.\nThe two governments said the deal would run for thirty years and "
                       "cover the supply of natural gas to northern China.")
USA_IRAN = article("US criticizes Iran", "The United States criticized Iran on Wednesday over its nuclear "
                   "programme.\nA spokesman said Washington would consult its allies before taking any step.")


# ----- a small web server on 127.0.0.1 ------------------------------------------------------------------
class Site:
    """Pages served from 127.0.0.1 for the duration of one test, with a count of concurrent requests."""

    def __init__(self, pages: dict[str, tuple[int, str, bytes]], pause: float = 0.0):
        self.pages = pages
        self.pause = pause
        self.active = 0
        self.most_active = 0
        self.requests: list[str] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                with site.lock:
                    site.active += 1
                    site.most_active = max(site.most_active, site.active)
                    site.requests.append(self.path)
                try:
                    if site.pause:
                        time.sleep(site.pause)
                    status, kind, body = site.pages.get(self.path, (404, "text/html", b"<html>gone</html>"))
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with site.lock:
                        site.active -= 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss(items: list[dict[str, str]], title: str = "Test Wire") -> bytes:
    body = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>" for item in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>test</description>{body}</channel></rss>").encode()


# ----- feeds --------------------------------------------------------------------------------------------
def test_feed_file_with_good_dead_and_non_html_links(tmp_path):
    pages = {
        "/world/russia-china": (200, "text/html; charset=utf-8", RUSSIA_CHINA),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not a page"),
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/private/memo": (200, "text/html", USA_IRAN),
    }
    with Site(pages) as site:
        feed = tmp_path / "wire.rss"
        feed.write_bytes(rss([
            {"title": "Deal signed", "link": f"{site.base}/world/russia-china",
             "pubDate": "Wed, 06 Jun 2012 10:00:00 GMT"},
            {"title": "Gone", "link": f"{site.base}/world/removed-story"},  # 404
            {"title": "Report", "link": f"{site.base}/report.pdf"},  # not HTML
            {"title": "Dead host", "link": f"http://127.0.0.1:{closed_port()}/story"},  # nothing listening
            {"title": "Private", "link": f"{site.base}/private/memo"},  # robots.txt says no
            {"title": "Text only", "description": "&lt;p&gt;The United States criticized Iran on Wednesday over "
                                                  "its nuclear programme, a spokesman said.&lt;/p&gt;"},
        ]))
        items = list(read_sources([feed], fetch=FAST))
    assert len(items) == 6
    good, gone, pdf, dead, private, text_only = items
    assert isinstance(good, Document)
    assert "energy agreement" in good.text
    assert good.url == f"{site.base}/world/russia-china"
    assert good.doc_id == doc_id_for_url(good.url)
    assert good.published == date(2012, 6, 6)
    assert isinstance(gone, Skipped) and gone.reason == HTTP_ERROR and "404" in gone.message
    assert isinstance(pdf, Skipped) and pdf.reason == NOT_HTML and "application/pdf" in pdf.message
    assert isinstance(dead, Skipped) and dead.reason == FETCH_ERROR
    assert isinstance(private, Skipped) and private.reason == ROBOTS
    assert isinstance(text_only, Document) and "criticized Iran" in text_only.text
    assert "/private/memo" not in site.requests  # robots.txt was obeyed, not just reported


def test_feed_url_and_urls_already_in_the_database_are_not_fetched(tmp_path):
    with Site({}) as site:
        site.pages.update({
            "/feed.xml": (200, "application/rss+xml", rss([
                {"title": "A", "link": f"{site.base}/a"}, {"title": "B", "link": f"{site.base}/b"}])),
            "/a": (200, "text/html", RUSSIA_CHINA),
            "/b": (200, "text/html", USA_IRAN),
        })
        seen = {f"{site.base}/b"}
        reader = SourceReader(fetch=FAST, skip_url=seen.__contains__)
        items = list(reader.read([f"{site.base}/feed.xml"]))
    assert [type(i).__name__ for i in items] == ["Document", "Skipped"]
    assert items[1].reason == DUPLICATE
    assert "/b" not in site.requests


def test_at_most_per_host_requests_at_a_time():
    pages = {f"/p{k}": (200, "text/html", RUSSIA_CHINA) for k in range(8)}
    with Site(pages, pause=0.15) as site:
        fetcher = Fetcher(FetchOptions(delay=0.0, per_host=2, workers=8, robots=False))
        try:
            answers = list(fetcher.map((f"{site.base}/p{k}", k) for k in range(8)))
        finally:
            fetcher.close()
    assert [k for k, _ in answers] == list(range(8))  # input order kept
    assert site.most_active == 2
    assert all(a.status == 200 for _, a in answers)


def test_user_agent_and_delay_between_requests_to_one_host():
    seen_agents: list[str] = []
    starts: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen_agents.append(self.headers.get("User-Agent", ""))
            starts.append(time.monotonic())
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(RUSSIA_CHINA)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        fetcher = Fetcher(FetchOptions(delay=0.2, per_host=4, robots=False, user_agent="polevents-test/1"))
        list(fetcher.map((f"{base}/{k}", k) for k in range(3)))
        fetcher.close()
    finally:
        server.shutdown()
        server.server_close()
    assert seen_agents == ["polevents-test/1"] * 3
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.15


# ----- WARC ---------------------------------------------------------------------------------------------
def write_warc(path: Path, *, gzip: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer, url, status, kind, body):
        headers = StatusAndHeaders(status, [("Content-Type", kind), ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": "2012-06-07T08:00:00Z"}))

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "polevents tests"}))
        request = StatusAndHeaders("GET /deal HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://news.example/deal", "request", payload=BytesIO(b""),
                                                      http_headers=request))
        response(writer, "https://news.example/deal", "200 OK", "text/html; charset=utf-8", RUSSIA_CHINA)
        response(writer, "https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\nxxxx")
        response(writer, "https://news.example/old", "404 Not Found", "text/html", b"<html>not here</html>")
        response(writer, "https://news.example/empty", "200 OK", "text/html", b"<html><body></body></html>")
        writer.write_record(writer.create_warc_record("https://news.example/deal", "metadata",
                                                      payload=BytesIO(b'{"fetchTimeMs": 12}'),
                                                      warc_content_type="application/json"))
        # a broken record: garbage where a record should start (or a corrupt gzip member)
        out.write(b"\x1f\x8b\x08\x00garbage, not deflate data at all" if gzip else b"THIS IS NOT A WARC RECORD\r\n\r\n")
        response(writer, "https://news.example/iran", "200 OK", "text/html", USA_IRAN)


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_warc_html_non_html_and_broken_records(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, gzip=gzip)
    assert source_kind(path) == "warc"
    items = list(read_warc(path))
    documents = [i for i in items if isinstance(i, Document)]
    skipped = {(i.reason, i.origin.split("@")[0]) for i in items if isinstance(i, Skipped)}
    assert [d.url for d in documents] == ["https://news.example/deal", "https://news.example/iran"]
    assert "energy agreement" in documents[0].text and "criticized Iran" in documents[1].text
    assert documents[0].published == date(2012, 6, 6)  # the page's own date
    assert (NOT_HTML, "https://news.example/logo.png") in skipped
    assert (HTTP_ERROR, "https://news.example/old") in skipped
    assert any(reason in ("no_text", "empty") and origin == "https://news.example/empty" for reason, origin in skipped)
    assert any(reason == "parse_error" and origin == str(path) for reason, origin in skipped)  # the broken record
    assert len(items) == 6  # request, metadata and warcinfo records are not documents


def test_warc_date_is_the_fallback_publication_date(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = b"<html><body><article><p>" + b"Russia and China signed an energy agreement on Tuesday. " * 3 + \
        b"</p></article></body></html>"
    path = tmp_path / "a.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://x.example/a", "response", payload=BytesIO(page),
                                                      http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": "2012-06-07T08:00:00Z"}))
    [document] = list(read_warc(path))
    assert document.published == date(2012, 6, 7)
    assert document.published_from == "warc"


def test_truncated_and_unreadable_archives_do_not_raise(tmp_path):
    path = tmp_path / "cut.warc"
    write_warc(path, gzip=False)
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"energy agreement") + 40])  # the file ends inside the first page
    items = list(read_warc(path))
    assert [type(i).__name__ for i in items] == ["Document", "Skipped"]
    assert "energy agreement" in items[0].text
    assert items[1].reason == "parse_error" and "truncated" in items[1].message
    gzipped = tmp_path / "cut.warc.gz"
    write_warc(gzipped, gzip=True)
    data = gzipped.read_bytes()
    gzipped.write_bytes(data[: len(data) // 3])
    items = list(read_warc(gzipped))
    assert items and isinstance(items[-1], Skipped) and items[-1].reason == "parse_error"
    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("hello", encoding="utf-8")
    [item] = list(read_warc(not_warc))
    assert isinstance(item, Skipped) and item.reason == "parse_error"
    [missing] = list(read_warc(tmp_path / "missing.warc"))
    assert missing.reason == "not_found"


def test_folder_walk_dispatches_by_kind(tmp_path):
    (tmp_path / "a.txt").write_text("Russia and China met on Tuesday to discuss trade and energy.\n", encoding="utf-8")
    write_warc(tmp_path / "b.warc.gz", gzip=True)
    (tmp_path / "c.xml").write_bytes(rss([{"title": "x", "description": "&lt;p&gt;The United States criticized "
                                                                          "Iran on Wednesday.&lt;/p&gt;"}]))
    (tmp_path / "d.html").write_bytes(USA_IRAN)
    assert source_kind(tmp_path / "c.xml") == "feed"
    documents = [i for i in read_sources([tmp_path], fetch=FAST) if isinstance(i, Document)]
    assert len(documents) == 5  # a.txt, two WARC pages, the feed item, d.html
