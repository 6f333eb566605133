"""Readers: text, HTML, JSONL and stdin, with publication dates and bad input."""

from __future__ import annotations

import io
import json
from datetime import date

from polevents.documents import Document, Skipped, decode_bytes, parse_published, read_inputs

ARTICLE = """Leaders Meet

Published: June 6, 2012 (Issue # 1711)

BEIJING, China — The leaders of Russia and China met Tuesday to talk about trade and energy cooperation in the region.
"""


def items(paths, **kwargs):
    return list(read_inputs([str(p) for p in paths], **kwargs))


def test_text_file_takes_its_date_from_the_published_line(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [doc] = items([path])
    assert isinstance(doc, Document)
    assert doc.doc_id == "story"
    assert doc.published == date(2012, 6, 6)
    assert doc.published_from == "text"
    assert doc.title == "Leaders Meet"


def test_published_option_wins_over_the_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [doc] = items([path], published=date(2012, 6, 7))
    assert doc.published == date(2012, 6, 7)
    assert doc.published_from == "option"


def test_text_without_any_date_has_none(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Officials met on Tuesday to discuss the crisis in the region.\n", encoding="utf-8")
    [doc] = items([path])
    assert doc.published is None


def test_html_main_text_title_and_meta_date(tmp_path):
    html = """<!doctype html><html><head><title>Talks in Vienna</title>
    <meta property="article:published_time" content="2015-07-14T08:00:00Z"></head>
    <body><nav>Home | World | Sport | Weather</nav><article><h1>Talks in Vienna</h1>
    <p>VIENNA — Iran and six world powers reached an agreement on Tuesday to limit Tehran's nuclear program
    in exchange for the lifting of international sanctions, diplomats said after weeks of talks.</p>
    <p>The foreign ministers of the countries involved met for more than two weeks at a hotel in the city
    before the accord was announced to reporters in the early afternoon.</p></article>
    <footer>Copyright</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    [doc] = items([path])
    assert isinstance(doc, Document)
    assert "Iran and six world powers" in doc.text
    assert "Copyright" not in doc.text and "Sport" not in doc.text
    assert doc.title == "Talks in Vienna"
    assert doc.published == date(2015, 7, 14)


def test_jsonl_fields_and_a_bad_line_reported_by_number(tmp_path):
    lines = [
        json.dumps({"doc_id": "a", "text": "Russia and China met on Tuesday.", "published": "2012-06-06",
                    "title": "T", "url": "http://example.org/a", "extra": [1, 2]}),
        "{not json",
        json.dumps({"id": 7, "text": "France condemned the attack.", "date": "2015-11-14T10:00:00"}),
        json.dumps({"doc_id": "empty", "text": ""}),
        json.dumps(["a list"]),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = items([path])
    docs = [i for i in got if isinstance(i, Document)]
    skipped = [i for i in got if isinstance(i, Skipped)]
    assert [d.doc_id for d in docs] == ["a", "7"]
    assert docs[0].published == date(2012, 6, 6) and docs[0].url == "http://example.org/a"
    assert docs[1].published == date(2015, 11, 14)
    assert [(s.origin.rsplit(":", 1)[1], s.reason) for s in skipped] == [("2", "parse_error"), ("4", "empty"),
                                                                          ("5", "parse_error")]
    assert "line 2" in skipped[0].message


def test_stdin_is_sniffed(tmp_path):
    [doc] = list(read_inputs(["-"], stdin=io.BytesIO(ARTICLE.encode())))
    assert doc.doc_id == "stdin" and doc.published == date(2012, 6, 6)
    stream = io.BytesIO(json.dumps({"doc_id": "x", "text": "Iran and Iraq signed a deal."}).encode() + b"\n")
    [doc] = list(read_inputs(["-"], stdin=stream))
    assert doc.doc_id == "x"


def test_bad_inputs_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "nothing.html").write_text("<html><body><script>var x=1;</script></body></html>")
    got = items([tmp_path / "empty.txt", tmp_path / "binary.txt", tmp_path / "nothing.html",
                 tmp_path / "missing.txt"])
    assert all(isinstance(i, Skipped) for i in got)
    assert [i.reason for i in got] == ["empty", "binary", "no_text", "not_found"]
    assert all(i.message for i in got)


def test_non_utf8_text_is_decoded_with_a_note(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le président français a rencontré le chancelier allemand à Berlin.".encode("cp1252"))
    [doc] = items([path])
    assert isinstance(doc, Document)
    assert "président" in doc.text
    assert any("not UTF-8" in n for n in doc.notes)


def test_invalid_utf8_is_never_passed_off_as_utf8():
    from polevents.documents import DocumentError

    for data in (b"\x81\x8d\x8f\x90\x9d" * 50, b"caf\xe9 " * 40, b"\xff\xfe\xfa" * 30):
        try:
            text, note = decode_bytes(data)
        except DocumentError as error:
            assert error.reason in ("encoding", "binary") and error.message
        else:
            assert note and "not UTF-8" in note and text


def test_folder_is_read_in_order_and_hidden_files_skipped(tmp_path):
    (tmp_path / "b.txt").write_text("Germany and France signed a treaty.")
    (tmp_path / "a.txt").write_text("Japan protested to China.")
    (tmp_path / ".hidden.txt").write_text("Not read.")
    assert [d.doc_id for d in items([tmp_path])] == ["a", "b"]


def test_parse_published_formats():
    assert parse_published("2012-06-06") == date(2012, 6, 6)
    assert parse_published("2012-06-06T12:00:00+02:00") == date(2012, 6, 6)
    assert parse_published("June 6, 2012") == date(2012, 6, 6)
    assert parse_published("6 June 2012") == date(2012, 6, 6)
    assert parse_published("not a date") is None
    assert parse_published(None) is None


def test_files_of_the_same_name_in_two_folders_are_two_documents(tmp_path):
    for folder, text in (("a", "Russia attacked Ukraine."), ("b", "China criticized Japan.")):
        (tmp_path / "news" / folder).mkdir(parents=True)
        (tmp_path / "news" / folder / "story.txt").write_text(text)
    (tmp_path / "news" / "a" / "lines.jsonl").write_text('{"text": "Iran met Iraq."}\n')
    docs = [d for d in read_inputs([tmp_path / "news"]) if isinstance(d, Document)]
    assert sorted(d.doc_id for d in docs) == ["a/lines-1", "a/story", "b/story"]
    # a file given by itself is named by its file name
    [alone] = [d for d in read_inputs([tmp_path / "news" / "b" / "story.txt"]) if isinstance(d, Document)]
    assert alone.doc_id == "story"
