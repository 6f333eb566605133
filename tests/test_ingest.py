"""The ingest pipeline with the real coder: languages, empty inputs, reruns, failures, the commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from polevents.cli import main
from polevents.sources import read_sources
from polevents.store.coding import LocalExecutor, ProcessExecutor, code_batch
from polevents.store.db import Store
from polevents.store.ingest import ingest

ENGLISH = ("Published: June 6, 2012\n\nRussia criticized China on Tuesday over trade. "
           "The United States and Japan signed an agreement on Wednesday.\n")
FOREIGN = {
    "french.txt": "La Russie et la Chine ont signé mardi un accord sur l'énergie, ont indiqué des responsables.",
    "german.txt": "Russland und China haben am Dienstag ein Energieabkommen unterzeichnet, sagten Beamte.",
    "russian.txt": "Россия и Китай во вторник подписали соглашение об энергетике, сообщили официальные лица.",
    "chinese.txt": "中国和俄罗斯周二签署了一项能源协议，官员们说。",
    "spanish.txt": "Rusia y China firmaron el martes un acuerdo energético, dijeron los funcionarios.",
}


def folder(tmp_path, files: dict[str, str | bytes]):
    root = tmp_path / "news"
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def statuses(store: Store) -> dict[str, tuple]:
    return {doc_id: (status, reason) for doc_id, status, reason in
            store.con.execute("SELECT doc_id, status, reason FROM documents").fetchall()}


def test_non_english_and_empty_documents_are_skipped_with_reasons(tmp_path, coder):
    root = folder(tmp_path, {"english.txt": ENGLISH, **FOREIGN, "empty.txt": "", "blank.txt": "   \n\n ",
                             "binary.txt": b"\x00\x01\x02\x03" * 100})
    with Store(tmp_path / "db.duckdb") as store:
        summary = ingest(read_sources([root]), store, LocalExecutor(coder), batch_size=3)
        found = statuses(store)
        problems = store.con.execute("SELECT reason, count(*) FROM problems GROUP BY 1").fetchall()
    assert found.pop("english") == ("coded", None)
    assert found == {name.removesuffix(".txt"): ("skipped", "language") for name in FOREIGN}
    assert dict(problems) == {"empty": 2, "binary": 1}
    assert summary.coded == 1 and summary.events >= 1
    assert summary.skipped == {"language": 5, "empty": 2, "binary": 1}


def test_rerun_adds_nothing_and_same_name_different_text_keeps_both(tmp_path, coder):
    root = folder(tmp_path, {"a/story.txt": ENGLISH, "b/story.txt": ENGLISH.replace("over trade", "over energy"),
                             "copy.txt": ENGLISH})
    # the folders given one by one: each story.txt is "story" (one folder given: a/story and b/story)
    sources = [root / "a", root / "b", root / "copy.txt"]
    with Store(tmp_path / "db.duckdb") as store:
        first = ingest(read_sources(sources), store, LocalExecutor(coder))
        counts = store.counts()
        again = ingest(read_sources(sources), store, LocalExecutor(coder))
        ids = sorted(r[0] for r in store.con.execute("SELECT doc_id FROM documents").fetchall())
        assert store.counts() == counts
        event_ids = [r[0] for r in store.con.execute("SELECT event_id FROM events").fetchall()]
    assert (first.read, first.coded, first.already, first.renamed) == (3, 2, 1, 1)  # copy.txt: same text
    assert (again.read, again.coded, again.already) == (3, 0, 3)
    assert ids[0] == "story" and ids[1].startswith("story~")
    assert len(event_ids) == len(set(event_ids))


class Fragile:
    """The real coder, except that it breaks on one document."""

    def __init__(self, coder):
        self.coder = coder

    def code_documents(self, documents, batch_size=32):
        documents = list(documents)
        for document in documents:
            self.code(document)
        return self.coder.code_documents(documents, batch_size=batch_size)

    def code(self, document):
        if "EXPLODE" in document.text:
            raise ValueError("the parser choked")
        return self.coder.code(document)


def test_a_failing_document_fails_alone_and_can_be_retried(tmp_path, coder):
    root = folder(tmp_path, {"a.txt": ENGLISH, "b.txt": ENGLISH.replace("Tuesday", "Tuesday. EXPLODE"),
                             "c.txt": ENGLISH.replace("Russia", "France")})
    with Store(tmp_path / "db.duckdb") as store:
        summary = ingest(read_sources([root]), store, LocalExecutor(Fragile(coder)))
        assert statuses(store) == {"a": ("coded", None), "b": ("failed", "error"), "c": ("coded", None)}
        message = store.con.execute("SELECT message FROM documents WHERE doc_id = 'b'").fetchall()[0][0]
        assert "ValueError: the parser choked" in message
        assert summary.failed == {"ValueError": 1}
        assert store.forget_failed() == 1
        ingest(read_sources([root]), store, LocalExecutor(coder))
        assert statuses(store)["b"] == ("coded", None)


def test_worker_processes_give_the_same_events(tmp_path, coder):
    from polevents.documents import Document

    documents = [d for d in read_sources([SAMPLES / "news", SAMPLES / "wire.jsonl"]) if isinstance(d, Document)]
    here = code_batch(coder, documents)
    executor = ProcessExecutor(2)
    try:
        there = [o for batch in executor.map([documents[:4], documents[4:]]) for o in batch]
    finally:
        executor.close()
    assert [o.events for o in there] == [o.events for o in here]
    assert [o.document.doc_id for o in there] == [d.doc_id for d in documents]


def test_commands_end_to_end(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "--db", db, str(SAMPLES / "news"), str(SAMPLES / "wire.jsonl"),
                                  str(tmp_path / "missing")])
    assert result.exit_code == 0, result.output
    assert "coded" in result.stderr and "not_found 1" in result.stderr
    table = runner.invoke(main, ["events", "--db", db, "--source", "RUS"])
    assert table.exit_code == 0 and "RUS" in table.stdout
    lines = runner.invoke(main, ["events", "--db", db, "--format", "jsonl", "--reports", "--all"]).stdout.splitlines()
    with Store(db, read_only=True) as store:
        assert len(lines) == store.counts()["events"]
    assert "record" in json.loads(lines[0]) and json.loads(lines[0])["record"]["event_id"]
    dyad = runner.invoke(main, ["dyad", "USA", "PRK", "--db", db, "--by", "year", "--format", "jsonl"])
    assert dyad.exit_code == 0
    rows = [json.loads(line) for line in dyad.stdout.splitlines()]
    assert {r["direction"] for r in rows} == {"USA->PRK", "PRK->USA"}
    bad = runner.invoke(main, ["events", "--db", db, "--source", "R U S"])
    assert bad.exit_code == 2 and "not a CAMEO actor code" in bad.output


def test_ingest_of_nothing_readable_fails_clearly(tmp_path):
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "x.duckdb"), str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "nothing could be read" in result.stderr


@pytest.mark.parametrize("args", [["events"], ["dyad", "RUS", "CHN"], ["export", "--format", "gdelt"]])
def test_queries_on_a_missing_database_say_so(tmp_path, args):
    result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no database" in result.output


def test_feed_ingest_records_why_items_were_skipped_and_does_not_refetch(tmp_path):
    from test_sources import RUSSIA_CHINA, Site, rss

    with Site({}) as site:
        site.pages.update({
            "/feed.xml": (200, "application/rss+xml", rss([
                {"title": "Deal", "link": f"{site.base}/deal"},
                {"title": "Gone", "link": f"{site.base}/gone"},
                {"title": "PDF", "link": f"{site.base}/file.pdf"}])),
            "/deal": (200, "text/html", RUSSIA_CHINA),
            "/file.pdf": (200, "application/pdf", b"%PDF-1.4"),
        })
        db = str(tmp_path / "feed.duckdb")
        args = ["ingest", "--db", db, "--delay", "0", f"{site.base}/feed.xml"]
        first = CliRunner().invoke(main, args)
        assert first.exit_code == 0, first.output
        fetched = list(site.requests)
        second = CliRunner().invoke(main, args)
        assert second.exit_code == 0, second.output
        refetched = site.requests[len(fetched):]
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT url, status FROM documents").fetchall() == [(f"{site.base}/deal", "coded")]
        problems = sorted(store.con.execute("SELECT reason, origin FROM problems").fetchall())
    assert [reason for reason, _ in problems] == ["http_error", "http_error", "not_html", "not_html"]  # two runs
    assert "/deal" not in refetched and "/feed.xml" in refetched  # the feed is read again, its known page is not
    assert "already" in second.stderr
