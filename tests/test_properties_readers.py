"""Property tests: generated hostile input to every reader; no exception escapes, every input ends as a
document or with a reason.

Random bytes, random Unicode (right-to-left, zero-width and combining characters, lone surrogates in JSON),
deeply nested and unclosed HTML, gigantic single lines, broken feeds, and WARC/gzip streams cut or damaged
anywhere. Examples per test come from a Hypothesis profile: `POLEVENTS_HYPOTHESIS=ci` (the default, for
`make test` and CI), `dev` (4x) or `thorough` (20x), e.g.

    POLEVENTS_HYPOTHESIS=thorough .venv/bin/pytest tests/test_properties_readers.py --hypothesis-show-statistics
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from polevents.documents import Document, Skipped, read_bytes_as, read_inputs, read_jsonl_lines
from polevents.limits import Limits
from polevents.sources import SourceReader, read_feed, read_warc
from test_robust import STORY, NoNetwork, check_item, warc_bytes

# ----- profiles ---------------------------------------------------------------------------------------------
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
           HealthCheck.large_base_example]
for _name, _examples in (("ci", 50), ("dev", 200), ("thorough", 1000)):
    settings.register_profile(f"polevents-{_name}", max_examples=_examples, deadline=None,
                              suppress_health_check=_HEALTH, print_blob=True)
PROFILE = settings.get_profile(f"polevents-{os.environ.get('POLEVENTS_HYPOTHESIS', 'ci')}")


def examples(share: float = 1.0) -> settings:
    """The profile's number of examples, scaled for an expensive test (at least 5)."""
    return settings(PROFILE, max_examples=max(5, round(PROFILE.max_examples * share)))


# ----- strategies -----------------------------------------------------------------------------------------------
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
BIDI = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
        "\u2068", "\u2069"]
COMBINING = ["\u0301", "\u0308", "\u0336", "\u20dd", "\u0489", "Z\u0351\u0352\u0353\u0354\u0355"]
RTL_WORDS = ["\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u0627\u0644\u0631\u0626\u064a\u0633",
             "\u0660\u0661\u0662"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\udc80"]
ODD = ["\x00", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\r", "\r\n", "\n\n", "\t", "\ufffd", "\uffff",
       "\U0001f600", "\U000e0001", "\U0010ffff", "&amp;", "&#xD800;", "<", ">", "\"", "\\", "{", "}"]
WORDS = ["Russia", "China", "attacked", "met", "said", "on Tuesday", "Published: June 6, 2012", "BEIJING, China —",
         "the", "and", "UN", "Putin", "Kim Jong Un", "officials said.", "."]

piece = st.one_of(st.sampled_from(ZERO_WIDTH + BIDI + COMBINING + RTL_WORDS + SURROGATES + ODD + WORDS),
                  st.text(max_size=12))
unicode_text = st.lists(piece, max_size=60).map(" ".join)

ENCODINGS = ["utf-8", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis", "koi8-r", "gb18030",
             "utf-8-sig"]


@st.composite
def encoded(draw, text=unicode_text) -> bytes:
    """Text in some encoding; lone surrogates as the bytes a careless encoder writes for them."""
    encoding = draw(st.sampled_from(ENCODINGS))
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return draw(text).encode(encoding, errors)


@st.composite
def truncated_gzip(draw) -> bytes:
    data = gzip.compress(draw(st.binary(max_size=2000)))
    return data[: draw(st.integers(0, len(data)))]


TAGS = ["div", "p", "b", "i", "table", "tr", "td", "span", "article", "script", "style", "a", "ul", "li", "h1",
        "br", "img", "svg", "math", "template", "noscript", "iframe", "textarea", "title", "meta", "html", "body",
        "head", "![CDATA[", "!--", "?xml"]
attributes = st.lists(st.tuples(st.sampled_from(["class", "id", "href", "content", "charset", "onload", "x\u202e"]),
                                 unicode_text.map(lambda t: t[:30])), max_size=3).map(
    lambda pairs: "".join(f' {k}="{v}"' for k, v in pairs))


def _element(children):
    return st.builds(lambda tag, attrs, kids, close: f"<{tag}{attrs}>" + "".join(kids) + (f"</{tag}>" if close else ""),
                     st.sampled_from(TAGS), attributes, st.lists(children, max_size=4), st.booleans())


html_soup = st.recursive(st.one_of(unicode_text, st.sampled_from(["&#0;", "&#x110000;", "&#xDFFF;", "&bogus;",
                                                                  "<!--", "]]>", "<", "</"])),
                         _element, max_leaves=40)
deep_html = st.builds(lambda tag, depth, close, body: f"<{tag}>" * depth + body + (f"</{tag}>" * depth if close else ""),
                      st.sampled_from(["div", "b", "table", "span", "ul", "p", "td", "a"]),
                      st.integers(50, 30_000), st.booleans(), unicode_text)
html_text = st.builds(lambda head, soup: head + soup, st.sampled_from(["", "<html><body>", "<!doctype html><html>"]),
                      st.one_of(html_soup, deep_html))
html_bytes = st.one_of(html_text.map(lambda t: t.encode("utf-8", "surrogatepass")), encoded(html_text))

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), unicode_text)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(unicode_text.map(lambda t: t[:10]), inner, max_size=4)),
    max_leaves=15)


@st.composite
def jsonl_line(draw) -> str:
    """One line of a JSON lines file: a record (good or odd), or a broken line."""
    record = {"text": draw(st.one_of(unicode_text, json_values))}
    for key in draw(st.sets(st.sampled_from(["doc_id", "id", "published", "date", "title", "url", "source", "x"]))):
        record[key] = draw(json_values)
    line = json.dumps(record, ensure_ascii=draw(st.booleans()))
    mutation = draw(st.sampled_from(["none", "none", "cut", "surrogate", "deep", "bigint", "junk", "list"]))
    if mutation == "cut":
        line = line[: draw(st.integers(0, len(line)))]
    elif mutation == "surrogate":  # a lone surrogate written as JSON escapes it: "\ud800"
        line = line.replace('"text": "', '"text": "\\ud800\\udc80x \\udfff', 1)
    elif mutation == "deep":
        line = "[" * draw(st.integers(900, 200_000))
    elif mutation == "bigint":
        line = '{"text": "x", "n": ' + "9" * draw(st.integers(4_301, 20_000)) + "}"
    elif mutation == "junk":
        line = draw(st.text(max_size=50))
    elif mutation == "list":
        line = json.dumps([record])
    return line.replace("\n", " ")


def _jsonl_bytes(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8", "surrogatepass")


any_bytes = st.one_of(st.binary(max_size=4000), encoded(), html_bytes, truncated_gzip(),
                      st.lists(jsonl_line(), max_size=6).map(_jsonl_bytes))


def expected_jsonl_items(data: bytes) -> int:
    """One item per non-blank line (blank: JSON whitespace only), or one `empty` for an empty input."""
    lines = [line for line in data.split(b"\n") if line.strip(b" \t\r\n")]
    return len(lines) if data.strip() else 1


# ----- properties ---------------------------------------------------------------------------------------------
@examples()
@given(data=any_bytes, kind=st.sampled_from(["text", "html", "jsonl"]))
def test_any_bytes_read_as_any_kind(data, kind):
    items = list(read_bytes_as(data, kind, "doc", "input"))
    for item in items:
        check_item(item)
    assert len(items) == (expected_jsonl_items(data) if kind == "jsonl" else 1)


@examples(0.5)
@given(data=any_bytes, suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json", ".xml", ".rss", ".warc",
                                              ".warc.gz", ".md", ""]))
def test_any_bytes_in_a_file_of_any_name(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        reader = SourceReader()
        reader._fetcher = NoNetwork()  # a feed's links are never fetched in tests
        items = list(reader.read([path]))
        plain = list(read_inputs([path]))
    assert items and plain
    for item in items + plain:
        check_item(item)


@examples(0.5)
@given(data=any_bytes)
def test_any_bytes_on_stdin(data):
    items = list(read_inputs(["-"], stdin=BytesIO(data)))
    assert items
    for item in items:
        check_item(item)


@examples()
@given(lines=st.lists(st.one_of(jsonl_line(), st.sampled_from(["", "  ", "\t"])), min_size=1, max_size=8))
def test_jsonl_every_line_is_a_document_or_a_numbered_reason(lines):
    data = _jsonl_bytes(lines)
    items = list(read_jsonl_lines(BytesIO(data).read().split(b"\n"), "wire.jsonl"))
    numbered = [n for n, line in enumerate(data.split(b"\n"), start=1) if line.strip(b" \t\r\n")]
    assert len(items) == len(numbered)
    for number, item in zip(numbered, items, strict=True):
        check_item(item)
        assert item.origin == f"wire.jsonl:{number}"
        if isinstance(item, Skipped):
            assert f"line {number}" in item.message


@examples()
@given(html=html_bytes)
def test_nested_and_unclosed_html_ends_as_one_item(html):
    [item] = list(read_bytes_as(html, "html", "page", "page.html"))
    check_item(item)


@examples(0.1)
@given(unit=st.one_of(unicode_text, st.sampled_from(["Russia attacked Ukraine ", "x", "\u202e\u0301"])).filter(
    lambda u: u.strip()), size=st.integers(1_000_000, 6_000_000), kind=st.sampled_from(["text", "html", "jsonl"]))
def test_gigantic_single_lines(unit, size, kind):
    data = (unit * (size // max(1, len(unit)) + 1)).encode("utf-8", "surrogatepass")[:size]
    if kind == "jsonl":
        data = json.dumps({"text": data.decode("utf-8", "replace")}).encode()
    limits = Limits(max_bytes=2_000_000)
    items = list(read_bytes_as(data, kind, "line", "line", limits=limits))
    assert len(items) == 1
    check_item(items[0], limits)
    if kind == "jsonl" and len(data) > limits.max_bytes:
        assert items[0].reason == "too_large" and "line 1" in items[0].message


@st.composite
def feeds(draw) -> tuple[bytes, int, bool]:
    """An RSS or Atom feed with its number of entries, maybe damaged (then only no-crash is expected)."""
    def xml_chars(text: str) -> str:
        return "".join(c for c in text if c in "\t\n\r" or (
            c >= " " and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff"))

    safe = unicode_text.map(xml_chars)
    escape = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    entries = draw(st.lists(st.tuples(
        st.one_of(st.none(), st.sampled_from(["https://news.example/a", "http://[::1", "javascript:x()", "/relative",
                                              "ftp://x", "https://news.example/\u202e", "http://" + "a" * 3000])),
        safe, st.one_of(safe, html_soup.map(lambda h: f"<![CDATA[{xml_chars(h).replace(']]>', '')}]]>"))), max_size=5))
    atom = draw(st.booleans())
    items = []
    for link, title, body in entries:
        link_xml = ("" if link is None else (f'<link href="{escape(link)}"/>' if atom else f"<link>{escape(link)}</link>"))
        body_xml = body if body.startswith("<![CDATA[") else escape(body)
        tag, text_tag = ("entry", "summary") if atom else ("item", "description")
        items.append(f"<{tag}><title>{escape(title)}</title>{link_xml}<{text_tag}>{body_xml}</{text_tag}></{tag}>")
    if atom:
        xml = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>' + "".join(items) + "</feed>"
    else:
        xml = '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>' + "".join(items) + "</channel></rss>"
    data = xml.encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "cut", "junk", "refs", "bytes"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "junk":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=200)) + data[at:]
    elif damage == "refs":
        data = data.replace(b"<title>", b"<title>&#xD800;&#0;&#1114112;&#56320;", 2)
    elif damage == "bytes":
        data = draw(any_bytes)
    return data, len(entries), damage in ("none", "refs")


@examples()
@given(feed=feeds())
def test_feeds_every_entry_is_a_document_or_a_reason(feed):
    data, entries, intact = feed
    items = list(read_feed(data, "wire.rss", fetcher=NoNetwork()))
    assert items
    for item in items:
        check_item(item)
    if intact and entries:
        assert len(items) == entries


@st.composite
def warc_records(draw) -> list[tuple[str, int, str, bytes]]:
    body = st.one_of(html_bytes, st.binary(max_size=500), st.just(STORY.encode()),
                     st.builds(lambda t: f"<html><body><p>{t} {STORY}</p></body></html>".encode("utf-8", "replace"),
                               unicode_text))
    return draw(st.lists(st.tuples(
        st.sampled_from(["https://news.example/a", "https://news.example/b?q=\u00e9", "http://[::1", "urn:x"]),
        st.sampled_from([200, 200, 200, 404, 500, 301]),
        st.sampled_from(["text/html", "text/html; charset=utf-8", "text/html; charset=bogus", "text/html; charset=utf-7",
                         "application/pdf", "", "text/plain", "text/html; charset=idna"]),
        body), max_size=4))


@examples(0.5)
@given(records=warc_records(), gzipped=st.booleans(), damage=st.sampled_from(["none", "cut", "overwrite", "insert"]),
       where=st.floats(0, 1), junk=st.binary(min_size=1, max_size=300))
def test_warc_cut_or_damaged_anywhere(records, gzipped, damage, where, junk):
    data = warc_bytes(records, gzipped=gzipped)
    at = int(len(data) * where)
    if damage == "cut":
        data = data[:at]
    elif damage == "overwrite":
        data = data[:at] + junk + data[at + len(junk):]
    elif damage == "insert":
        data = data[:at] + junk + data[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("crawl.warc.gz" if gzipped else "crawl.warc")
        path.write_bytes(data)
        items = list(read_warc(path))
    for item in items:
        check_item(item)
    if damage == "none":
        assert len(items) == max(1, len(records))  # every response a document or a reason; none: said so
    else:
        assert sum(isinstance(i, Document) for i in items) <= len(records)


@examples(0.5)
@given(inner=st.one_of(st.just(STORY.encode() * 20), any_bytes), fraction=st.floats(0, 1),
       as_warc=st.booleans())
def test_truncated_gzip_streams(inner, fraction, as_warc):
    data = gzip.compress(inner)
    data = data[: int(len(data) * fraction)]
    assume(data)
    for kind in ("text", "html", "jsonl"):
        for item in read_bytes_as(data, kind, "gz", "gz"):
            check_item(item)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("x.warc.gz" if as_warc else "x.rss")
        path.write_bytes(data if as_warc else zlib.compress(inner)[: len(data)])
        reader = SourceReader()
        reader._fetcher = NoNetwork()
        for item in reader.read([path]):
            check_item(item)
