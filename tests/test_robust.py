"""Hostile and broken input, case by case: every input ends coded or with a reason, the batch goes on.

The property tests (test_properties_*.py) throw generated input at the same readers; this file pins the
cases they found or that are too expensive to generate, and the bounds (size, time, messages, the CLI).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import threading
import time
from io import BytesIO

import pytest
from click.testing import CliRunner

from polevents import limits as limits_module
from polevents.cli import main
from polevents.documents import Document, Skipped, read_bytes_as, read_inputs, read_jsonl_lines
from polevents.limits import (
    DocumentTimeout,
    GuardedCoder,
    Limits,
    LimitsError,
    break_long_runs,
    call_with_time_limit,
    failure_of,
    resident_memory,
)
from polevents.sources import FetchFailure, SourceReader, read_feed, read_warc

# The time limit raises its exception in the working thread; when it lands in a garbage-collector callback
# (Hypothesis installs one) Python prints it as "ignored" and the watchdog raises it again a second later.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

# every reason a reader or the coding may give (docs/database.md, docs/robustness.md)
REASONS = {"empty", "binary", "encoding", "language", "too_large", "timeout", "parse_error", "no_text",
           "not_found", "not_html", "http_error", "fetch_error", "robots", "duplicate", "error"}
STORY = ("Russia and China signed an energy agreement in Beijing on Tuesday, officials said. "
         "The United States criticized Iran on Wednesday over its nuclear programme.")
# one "sentence" of thousands of clauses (the coder took 10 s on it before the lead's speed-ups, 1 s after)
RUN_ON = "Russia attacked Ukraine and " * 1500
SLOW_MARK = "zzslowdownzz"  # a document with this word takes the coder 30 s (see `slow_coder`)


# ----- helpers shared with the property tests -------------------------------------------------------------
def check_item(item, limits: Limits = limits_module.DEFAULT_LIMITS) -> None:
    """An item as every consumer may rely on it: a Document with safe text, or a Skipped with a reason."""
    assert isinstance(item, Document | Skipped), item
    if isinstance(item, Skipped):
        assert item.reason in REASONS, item
        assert item.message and item.origin, item
        for value in (item.origin, item.message, item.doc_id or ""):
            value.encode("utf-8")  # storable: no lone surrogates
        return
    assert item.text.strip() and len(item.text) <= limits.max_chars
    json.dumps({"id": item.doc_id, "text": item.text, "title": item.title, "url": item.url, "source": item.source,
                "origin": item.origin, "notes": item.notes}, ensure_ascii=False).encode("utf-8")
    assert item.content_hash


def html_page(body: str, title: str = "News") -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>").encode()


def warc_bytes(records: list[tuple[str, int, str, bytes]], *, gzipped: bool) -> bytes:
    """A WARC file (as bytes) of HTTP responses: (url, status, content type, body) each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def fixed(number: int) -> dict[str, str]:  # the same bytes every time (warcio's ids are random)
        return {"WARC-Date": "2012-06-07T08:00:00Z",
                "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"}

    out = BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warc_record("", "warcinfo", payload=BytesIO(b"software: polevents tests\r\n"),
                                                  warc_content_type="application/warc-fields",
                                                  warc_headers_dict=fixed(0)))
    for number, (url, status, kind, body) in enumerate(records, start=1):
        headers = StatusAndHeaders(f"{status} X", [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers,
                                                      warc_headers_dict=fixed(number)))
    return out.getvalue()


def slow_coder(coder, monkeypatch, seconds: float = 30.0):
    """The real coder, except that a document with SLOW_MARK keeps it busy in Python for `seconds` (a stand-in
    for whatever input will next make the coder slow: the coder gets faster, the time limit must still work)."""
    original = coder.code_parsed

    def code_parsed(document, doc):
        if SLOW_MARK in document.text:
            _spin(seconds)
        return original(document, doc)

    monkeypatch.setattr(coder, "code_parsed", code_parsed)
    return coder


class NoNetwork:
    """A Fetcher for feeds in tests: every link fails, nothing leaves the machine."""

    def map(self, jobs):
        for url, payload in jobs:
            yield payload, FetchFailure(url, "fetch_error", "not fetched in tests")

    def get(self, url):
        return FetchFailure(url, "fetch_error", "not fetched in tests")

    def close(self):
        pass


# ----- limits ------------------------------------------------------------------------------------------------
def test_limits_from_the_environment_and_bad_values_named():
    limits = Limits.from_env({"POLEVENTS_MAX_BYTES": "2M", "POLEVENTS_MAX_CHARS": "5k",
                              "POLEVENTS_OVERSIZE": "Skip", "POLEVENTS_TIME_LIMIT": "0"})
    assert limits == Limits(max_bytes=2_000_000, max_chars=5_000, oversize="skip", seconds=None)
    assert limits.time_limit is None
    assert Limits.from_env({}) == Limits()
    for variable, value in (("POLEVENTS_MAX_CHARS", "lots"), ("POLEVENTS_MAX_BYTES", "-3"),
                            ("POLEVENTS_OVERSIZE", "drop"), ("POLEVENTS_TIME_LIMIT", "nan")):
        with pytest.raises(LimitsError) as caught:
            Limits.from_env({variable: value})
        assert variable in str(caught.value) and "use" in str(caught.value)
    with pytest.raises(LimitsError):
        Limits(max_chars=0)


# ----- the time limit ------------------------------------------------------------------------------------------
def _spin(seconds: float) -> int:
    end, count = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        count += 1
    return count


def _stubborn(seconds: float) -> str:
    """A library that swallows every Exception must not swallow the time limit."""
    try:
        _spin(seconds)
    except Exception:  # noqa: BLE001 - the point of the test
        return "swallowed"
    return "finished"


def test_time_limit_stops_a_python_loop_in_the_main_thread_and_in_others():
    started = time.monotonic()
    with pytest.raises(DocumentTimeout):
        call_with_time_limit(0.2, _stubborn, 5.0)
    assert time.monotonic() - started < 2.0
    assert call_with_time_limit(2.0, _spin, 0.01) > 0
    results = []

    def worker():
        try:
            call_with_time_limit(0.2, _spin, 5.0)
            results.append("not stopped")
        except DocumentTimeout as error:
            results.append(error.reason)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5.0)
    assert results == ["timeout"]


def test_time_limit_leaves_nothing_behind_after_fast_calls():
    # many calls that end just around their deadline: no stray exception may land after the call
    for _ in range(200):
        with contextlib.suppress(DocumentTimeout):
            call_with_time_limit(0.002, _spin, 0.002)
    time.sleep(0.05)
    assert _spin(0.05) > 0  # still running: nothing was delivered late


def test_guarded_coder_gives_up_a_slow_document_and_codes_the_rest(coder, monkeypatch):
    from polevents.store.coding import CODED, FAILED, code_batch

    guarded = GuardedCoder(slow_coder(coder, monkeypatch), Limits(seconds=1.0))
    batch = [Document(doc_id="good-1", text=STORY), Document(doc_id="slow", text=f"{STORY} {SLOW_MARK}"),
             Document(doc_id="good-2", text=STORY.replace("Beijing", "Moscow"))]
    started = time.monotonic()
    outcomes = code_batch(guarded, batch)
    assert time.monotonic() - started < 10  # without the limit: 30 s (the slow one is not run twice)
    assert [o.status for o in outcomes] == [CODED, FAILED, CODED]
    assert outcomes[0].events and outcomes[2].events
    assert "took longer than 1 s" in outcomes[1].message
    assert outcomes[1].reason == "timeout"
    results = list(guarded.code_each(batch))
    assert [r.failure.reason if r.failure else "coded" for r in results] == ["coded", "timeout", "coded"]
    assert "POLEVENTS_TIME_LIMIT" in results[1].failure.message


def test_ingest_and_code_keep_the_time_limit_without_being_told(coder, monkeypatch, tmp_path):
    """code_batch (every ingest executor) and `polevents code` put the time limit on a plain Coder."""
    from click.testing import CliRunner

    from polevents import cli, limits
    from polevents.store.coding import CODED, FAILED, code_batch

    monkeypatch.setattr(limits, "DEFAULT_LIMITS", Limits(seconds=1.0))
    slow = slow_coder(coder, monkeypatch)
    batch = [Document(doc_id="slow", text=f"{STORY} {SLOW_MARK}"), Document(doc_id="good", text=STORY)]
    started = time.monotonic()
    outcomes = code_batch(slow, batch)
    assert time.monotonic() - started < 10
    assert [(o.status, o.reason) for o in outcomes] == [(FAILED, "timeout"), (CODED, None)]

    (tmp_path / "a-slow.txt").write_text(f"{STORY} {SLOW_MARK}")
    (tmp_path / "b-good.txt").write_text(STORY)
    monkeypatch.setattr(cli, "_make_coder", lambda *a, **k: slow)
    result = CliRunner().invoke(cli.main, ["code", "--format", "jsonl", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "a-slow.txt" in result.stderr and "[timeout]" in result.stderr
    assert '"doc_id": "b-good"' in result.stdout and "a-slow" not in result.stdout


def test_a_run_on_sentence_is_coded_within_the_limit(coder):
    [result] = list(GuardedCoder(coder, Limits(seconds=30)).code_each([Document(doc_id="run-on", text=RUN_ON)]))
    assert result.failure is None or result.failure.reason == "timeout"


def test_guarded_coder_is_the_coder_otherwise(coder):
    guarded = GuardedCoder(coder, Limits(seconds=30))
    document = Document(doc_id="story", text=STORY)
    assert [e.to_dict() for e in guarded.code(document)] == [e.to_dict() for e in coder.code(document)]
    assert guarded.nlp is coder.nlp and guarded.kb is coder.kb


def test_a_lone_surrogate_no_longer_crashes_the_coder(coder):
    # found by the property tests: spaCy's tokenizer raised UnicodeEncodeError on "\ud800"
    document = Document(doc_id="x\udcff", text="Russia \ud800 attacked Ukraine on Tuesday.", title="\udfff")
    assert document.text == "Russia ? attacked Ukraine on Tuesday." and document.doc_id == "x?"
    assert isinstance(coder.code(document), list)


def test_long_runs_without_a_space_are_broken_for_the_parser(coder):
    # found by the property tests: spaCy's tokenizer is quadratic in a whitespace-free chunk of prefix or
    # suffix characters ("[[[[", "$$$$", emoji), in compiled code no time limit can stop; 12,000 "[" took 9 s
    text = "Russia attacked Ukraine on Tuesday, officials said. " + "[" * 12_000 + " $" + "\U0001f600" * 3_000
    broken = break_long_runs(text)
    assert len(broken) == len(text) and max(len(w) for w in broken.split()) <= 100
    assert broken[:60] == text[:60]
    started = time.monotonic()
    [result] = list(GuardedCoder(coder, Limits(seconds=5)).code_each([Document(doc_id="runs", text=text)]))
    assert time.monotonic() - started < 8  # unbroken: 14 s (the tokenizer cannot be interrupted)
    assert result.failure is None and result.events
    assert result.document.text == text  # the document keeps its text; only the parser sees the spaces


def test_failure_messages_say_what_to_do():
    assert failure_of(DocumentTimeout(60.0, "coding")).reason == "timeout"
    assert failure_of(MemoryError()).reason == "too_large"
    try:
        {}["missing"]
    except KeyError as error:
        failure = failure_of(error)
    assert failure.reason == "error" and "KeyError" in failure.message and "test_robust.py:" in failure.message


# ----- readers: JSON lines -------------------------------------------------------------------------------------
def test_jsonl_bad_lines_are_reported_with_their_numbers_and_the_rest_is_read(tmp_path):
    lines = [
        json.dumps({"doc_id": "a", "text": STORY}),
        '{"doc_id": "big", "text": "x", "n": ' + "1" * 5000 + "}",  # over Python's 4,300-digit limit
        '{"doc_id": "cut", "text": "Russia',  # truncated
        "[" * 100_000,  # nested too deeply
        '"just a string"',
        json.dumps({"doc_id": "no-text"}),
        json.dumps({"doc_id": "list-text", "text": ["Russia", "met"]}),
        "\x85",  # not JSON whitespace: a bad line, not a blank one
        "",
        json.dumps({"doc_id": "b", "text": STORY + " Again."}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe{\n")
    got = list(read_inputs([path]))
    for item in got:
        check_item(item)
    assert [d.doc_id for d in got if isinstance(d, Document)] == ["a", "b"]
    skipped = {int(s.origin.rsplit(":", 1)[1]): (s.reason, s.message) for s in got if isinstance(s, Skipped)}
    assert {n: r for n, (r, _) in skipped.items()} == {
        2: "parse_error", 3: "parse_error", 4: "parse_error", 5: "parse_error", 6: "empty", 7: "parse_error",
        8: "parse_error", 11: "encoding"}
    assert all(f"line {n}" in message for n, (_, message) in skipped.items())
    assert "digits" in skipped[2][1] and "column" in skipped[3][1]


def test_jsonl_larger_than_the_byte_limit_is_read_line_by_line(tmp_path):
    # before: the file was cut at max_bytes and the documents after it were lost without a word
    limits = Limits(max_bytes=2_000)
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(200):
            handle.write(json.dumps({"doc_id": f"d{number}", "text": f"Story {number}: {STORY}"}) + "\n")
        handle.write(json.dumps({"doc_id": "huge", "text": "word " * 2_000}) + "\n")
        handle.write(json.dumps({"doc_id": "last", "text": STORY}) + "\n")
    got = list(read_inputs([path], limits=limits))
    assert len(got) == 202
    assert [d.doc_id for d in got if isinstance(d, Document)][-1] == "last"
    [huge] = [s for s in got if isinstance(s, Skipped)]
    assert (huge.reason, huge.origin) == ("too_large", f"{path}:201")
    assert "line 201" in huge.message and "POLEVENTS_MAX_BYTES" in huge.message


def test_jsonl_from_stdin_is_streamed_and_an_empty_stdin_says_so():
    stream = BytesIO(b"\n".join(json.dumps({"id": n, "text": STORY}).encode() for n in range(3)) + b"\n{oops\n")
    got = list(read_inputs(["-"], stdin=stream))
    assert [i.doc_id if isinstance(i, Document) else i.reason for i in got] == ["0", "1", "2", "parse_error"]
    assert got[-1].origin == "<stdin>:4"
    [empty] = list(read_inputs(["-"], stdin=BytesIO(b"  \n")))
    assert empty.reason == "empty"


def test_a_json_file_holding_one_value_is_read_as_records(tmp_path):
    pretty = tmp_path / "one.json"
    pretty.write_text(json.dumps({"doc_id": "p", "text": STORY}, indent=2))
    array = tmp_path / "many.json"
    array.write_text(json.dumps([{"doc_id": "x", "text": STORY}, 3, {"text": ""}], indent=1))
    got = list(read_inputs([pretty, array]))
    assert [(i.origin, i.doc_id if isinstance(i, Document) else i.reason) for i in got] == [
        (str(pretty), "p"), (f"{array}#1", "x"), (f"{array}#2", "parse_error"), (f"{array}#3", "empty")]


def test_jsonl_fields_are_made_safe_to_store():
    record = {"doc_id": "\ud800" + "i" * 500, "text": STORY + " \udfff", "title": "T\ud83d", "url": "http://x/\udc80",
              "source": 42, "published": "x" * 10_000_000}
    [doc] = list(read_jsonl_lines([json.dumps(record)], "in.jsonl"))
    check_item(doc)
    assert len(doc.doc_id) == 200 and doc.doc_id.startswith("?iii") and doc.source is None
    assert any("doc_id over 200" in n for n in doc.notes) and any("unreadable publication date" in n for n in doc.notes)


# ----- readers: size -------------------------------------------------------------------------------------------
def test_oversized_text_is_truncated_with_a_note_or_skipped(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text((STORY + "\n") * 100, encoding="utf-8")
    [doc] = list(read_inputs([path], limits=Limits(max_chars=1_000)))
    assert len(doc.text) <= 1_000 and any(n.startswith("too_large") for n in doc.notes)
    [skipped] = list(read_inputs([path], limits=Limits(max_chars=1_000, oversize="skip")))
    assert skipped.reason == "too_large" and "POLEVENTS_MAX_CHARS" in skipped.message
    [skipped] = list(read_inputs([path], limits=Limits(max_bytes=100, oversize="skip")))
    assert skipped.reason == "too_large" and "POLEVENTS_MAX_BYTES" in skipped.message


def test_gigantic_single_line_is_cut_to_the_limit():
    data = b"Russia attacked Ukraine " * 400_000  # 9.6 MB without a newline
    [doc] = list(read_bytes_as(data, "text", "line", "line.txt"))
    check_item(doc)
    assert limits_module.DEFAULT_LIMITS.max_chars - 30 < len(doc.text) <= limits_module.DEFAULT_LIMITS.max_chars
    assert any(n.startswith("too_large: text truncated") for n in doc.notes)


# ----- readers: names, HTML, feeds, WARC -----------------------------------------------------------------------
def test_file_names_that_are_not_utf8_are_stored_safely(tmp_path):
    name = os.fsdecode(b"caf\xe9-story.txt")  # a surrogate-escaped str
    (tmp_path / name).write_text(STORY, encoding="utf-8")
    [doc] = list(read_inputs([tmp_path]))
    check_item(doc)
    assert doc.doc_id == "caf?-story"


@pytest.mark.parametrize("html", [
    b"<html><body>" + b"<div>" * 50_000 + b"<p>" + STORY.encode() + b"</p>",
    b"<html><body><p>" + STORY.encode() + b"<b><i><table><tr><td>" * 20_000,
    b"<html><body><p>&#xD800;&#0;&#x110000;&#xFFFF; " + STORY.encode() + b"</p><script>" + b"x" * 100_000,
    b"<!doctype html><html><head><meta charset=utf-7><title>+ADw-</title></head><body>\x00\x00</body></html>",
    b"<html>" + b"<!--" * 10_000,
])
def test_broken_html_ends_as_a_document_or_a_reason(html):
    items = list(read_bytes_as(html, "html", "page", "page.html"))
    assert len(items) == 1
    check_item(items[0])


def test_a_page_that_takes_too_long_to_extract_is_skipped_as_timeout(monkeypatch):
    from polevents import documents

    monkeypatch.setattr(documents, "_extract", lambda html, url: _spin(10))
    [item] = list(read_bytes_as(html_page(STORY), "html", "page", "page.html", limits=Limits(seconds=0.2)))
    assert item.reason == "timeout" and "POLEVENTS_TIME_LIMIT" in item.message


def test_feed_whose_content_is_a_path_is_not_opened_as_a_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("<rss><channel><item><description>" + STORY + "</description></item></channel></rss>")
    items = list(read_feed(str(secret).encode(), "evil.rss", fetcher=NoNetwork()))
    assert all(not isinstance(i, Document) for i in items) and items
    check_item(items[0])


def test_feed_with_links_that_are_not_urls_and_junk_fields():
    feed = ("<rss><channel><title>\u202eWire</title>"
            "<item><title>Bad IPv6</title><link>http://[::1</link></item>"
            "<item><title>T&#xD800;</title><description><![CDATA[<p>" + STORY + "</p>]]></description></item>"
            "<item><link>javascript:alert(1)</link></item>"
            "<item></item></channel></rss>").encode()
    items = list(read_feed(feed, "wire.rss", fetcher=NoNetwork()))
    assert len(items) == 4
    for item in items:
        check_item(item)
    assert isinstance(items[1], Document) and items[1].source == "\u202eWire"


def test_truncated_and_damaged_warc_files_yield_what_they_hold(tmp_path):
    records = [(f"https://news.example/{n}", 200, "text/html", html_page(f"Story {n}. {STORY}")) for n in range(4)]
    for gzipped in (True, False):
        data = warc_bytes(records, gzipped=gzipped)
        whole = tmp_path / ("whole.warc.gz" if gzipped else "whole.warc")
        whole.write_bytes(data)
        assert sum(isinstance(i, Document) for i in read_warc(whole)) == 4
        for cut in range(0, len(data), max(1, len(data) // 40)):
            path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
            path.write_bytes(data[:cut])
            items = list(read_warc(path))
            for item in items:
                check_item(item)
            assert sum(isinstance(i, Document) for i in items) <= 4
        for at in range(0, len(data) - 50, max(1, len(data) // 60)):
            # found here: warcio's offset of a damaged gzip member can be negative; the reader then raised
            # OSError seeking to it
            damaged = bytearray(data)
            damaged[at: at + 50] = b"\x00" * 50
            path = tmp_path / ("damaged.warc.gz" if gzipped else "damaged.warc")
            path.write_bytes(bytes(damaged))
            items = list(read_warc(path))
            for item in items:
                check_item(item)
            # only the damaged record is lost (two when the damage spans the end of one and the start of the
            # next); before: a damaged Content-Length lost every record after it without a word
            assert sum(isinstance(i, Document) for i in items) >= 2, (gzipped, at)
            documents = sum(isinstance(i, Document) for i in items)
            assert documents == 4 or any(isinstance(i, Skipped) for i in items), (gzipped, at)


def test_gzip_bomb_in_a_warc_is_read_only_up_to_the_limit(tmp_path):
    bomb = b"<html><body><p>" + b"Russia attacked Ukraine. " * 8_000_000  # 200 MB, about 0.4 MB gzipped
    records = [("https://news.example/bomb", 200, "text/html", bomb),
               ("https://news.example/after", 200, "text/html", html_page(STORY))]
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(warc_bytes(records, gzipped=True))
    before = resident_memory()
    items = list(read_warc(path, limits=Limits(max_bytes=2_000_000)))
    grown = resident_memory() - before
    assert [type(i).__name__ for i in items] == ["Document", "Document"]
    assert any(n.startswith("too_large") for n in items[0].notes)
    assert grown < 150_000_000
    skipped = list(read_warc(path, limits=Limits(max_bytes=2_000_000, oversize="skip")))
    assert skipped[0].reason == "too_large" and isinstance(skipped[1], Document)


def test_truncated_gzip_given_as_text_html_or_jsonl_is_binary(tmp_path):
    data = gzip.compress(STORY.encode() * 50)[:200]
    for suffix in (".txt", ".html", ".jsonl", ""):
        path = tmp_path / f"cut{suffix}"
        path.write_bytes(data)
        [item] = list(SourceReader().read([path]))
        assert item.reason == "binary" and "gunzip" in item.message, (suffix, item)


def test_an_unexpected_error_in_a_reader_is_recorded_and_the_next_input_read(tmp_path, monkeypatch):
    from polevents import documents

    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_text(STORY + " More.")

    def broken(text, *args, **kwargs):
        if "More" not in text:
            raise ZeroDivisionError("a bug")
        return original(text, *args, **kwargs)

    original = documents.document_from_text
    monkeypatch.setattr(documents, "document_from_text", broken)
    first, second = list(read_inputs([tmp_path]))
    assert first.reason == "error" and "ZeroDivisionError: a bug" in first.message
    assert "--debug" in first.message and isinstance(second, Document)
    monkeypatch.setattr(limits_module, "debug", True)
    with pytest.raises(ZeroDivisionError):
        list(read_inputs([tmp_path]))


# ----- the command line ------------------------------------------------------------------------------------------
class Exploding:
    def code_documents(self, documents, **_):
        for _document in documents:
            raise RuntimeError("the coder broke\non two lines")
        return iter(())


def test_unexpected_error_in_code_is_one_line_without_traceback(tmp_path, monkeypatch):
    import polevents.cli as cli

    (tmp_path / "a.txt").write_text(STORY)
    monkeypatch.setattr(cli, "_make_coder", lambda *a, **k: Exploding())
    result = CliRunner().invoke(main, ["code", "--format", "jsonl", str(tmp_path / "a.txt")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if "unexpected" in line]
    assert "RuntimeError: the coder broke on two lines" in line and "--debug" in line
    debug = CliRunner().invoke(main, ["--debug", "code", "--format", "jsonl", str(tmp_path / "a.txt")])
    assert isinstance(debug.exception, RuntimeError)


def test_unexpected_error_in_ingest_says_the_work_is_kept(tmp_path, monkeypatch):
    import polevents.store.ingest as store_ingest

    (tmp_path / "a.txt").write_text(STORY)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_ingest, "ingest", broken)
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "x.duckdb"), str(tmp_path / "a.txt")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "No space left on device" in result.stderr and "What was committed is kept" in result.stderr


def test_code_reports_bad_lines_and_codes_the_rest(tmp_path, coder, monkeypatch):
    import polevents.cli as cli

    monkeypatch.setattr(cli, "_make_coder", lambda *a, **k: coder)
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "text": STORY}) + "\n{broken\n\ud800\n".encode(
        "utf-8", "surrogatepass").decode("utf-8", "surrogateescape"), encoding="utf-8", errors="surrogateescape")
    result = CliRunner().invoke(main, ["code", "--format", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["doc_id"] for line in result.stdout.splitlines()} == {"a"}
    assert f"skipped {path}:2: line 2 is not valid JSON" in result.stderr
    assert f"skipped {path}:3: line 3 is not UTF-8" in result.stderr
