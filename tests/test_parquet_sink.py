"""The Parquet folder sink and the executor choice, with hand-made coded documents (no model)."""

from __future__ import annotations

import pytest

from polevents.documents import Document, Skipped
from polevents.store import coding
from polevents.store.coding import CODED, AutoExecutor, Coded
from polevents.store.db import Store
from polevents.store.ingest import ingest
from polevents.store.parquet import ParquetError, ParquetSink, ParquetThenStore, load_parquet
from store_helpers import coded, record


def batch_one() -> list[Coded]:
    return [
        coded("a", [record("a", 0, "RUS", "CHN", "040", "2012-06-05"),
                    record("a", 1, "CHN", "USA", "111", "2012-07-01", sentence=2)]),
        coded("b", [record("b", 0, "FRA", None, "010", None, published=None)], published=None),
    ]


def batch_two() -> list[Coded]:
    return [coded("c", [record("c", 0, "UKR", "RUS", "190", "2012-06-06", mentions=2)], url="https://x.org/c")]


def tables(store: Store) -> dict[str, list]:
    con = store.con
    return {"documents": con.execute("SELECT * EXCLUDE (added, run_id) FROM documents ORDER BY hash").fetchall(),
            "events": con.execute("SELECT * EXCLUDE (added) FROM events ORDER BY event_id").fetchall(),
            "clusters": con.execute("SELECT * EXCLUDE (date_added) FROM clusters ORDER BY cluster_id").fetchall()}


def test_batches_are_written_by_month_with_documents_last_and_load_as_written_directly(tmp_path):
    with ParquetSink(tmp_path / "p") as sink:
        sink.write_batch(batch_one(), problems=[Skipped("x.txt", "empty", "the input is empty")])
        sink.write_batch(batch_two())
        assert sink.counts() == {"documents": 3, "events": 4}
        names = sink.batch_names()
    months = sorted(p.parent.name for p in (tmp_path / "p" / "events").rglob("*.parquet"))
    assert months == ["month=2012-06", "month=2012-06", "month=2012-07", "month=undated"]
    assert len(names) == 2 and names == sorted(names)
    with Store(tmp_path / "direct.duckdb") as direct, Store(tmp_path / "loaded.duckdb") as loaded:
        direct.write_batch(batch_one(), problems=[Skipped("x.txt", "empty", "the input is empty")])
        direct.write_batch(batch_two())
        stats = load_parquet(tmp_path / "p", loaded)
        assert (stats.batches, stats.documents, stats.events) == (2, 3, 4)
        assert tables(loaded) == tables(direct)
        assert loaded.con.execute("SELECT reason FROM problems").fetchall() == [("empty",)]
        assert load_parquet(tmp_path / "p", loaded).documents == 0
        assert loaded.con.execute("SELECT count(*) FROM problems").fetchall() == [(1,)]


def test_a_batch_cut_off_before_its_documents_file_is_swept_away(tmp_path):
    with ParquetSink(tmp_path / "p") as sink:
        name = sink.write_batch(batch_one())
    (tmp_path / "p" / "documents" / f"{name}.parquet").unlink()  # as if killed before the commit mark
    (tmp_path / "p" / "events" / ".tmp-half.parquet").write_bytes(b"PAR1")
    with ParquetSink(tmp_path / "p") as sink:
        assert sink.counts() == {"documents": 0, "events": 0}
        assert sink.known_hashes([c.document.content_hash for c in batch_one()]) == set()
    assert list((tmp_path / "p" / "events").rglob("*.parquet")) == []


def test_one_writer_per_folder(tmp_path):
    with ParquetSink(tmp_path / "p"), pytest.raises(ParquetError, match="in use"):
        ParquetSink(tmp_path / "p")


class Echo:
    """An executor that "codes" by handing back events made in advance (no model)."""

    def __init__(self, events: dict[str, list[dict]]):
        self.events = events

    def map(self, batches):
        for batch in batches:
            yield [Coded(d, CODED, self.events.get(d.doc_id, []), language="en") for d in batch]

    def close(self) -> None:
        pass


def documents() -> list[Document]:
    return [o.document for o in batch_one() + batch_two()]


def test_a_parquet_only_ingest_resumes_by_content_hash(tmp_path):
    events = {o.document.doc_id: o.events for o in batch_one() + batch_two()}
    with ParquetSink(tmp_path / "p") as sink:
        first = ingest(documents()[:2], sink, Echo(events), batch_size=1)
    with ParquetSink(tmp_path / "p") as sink:
        second = ingest(documents(), sink, Echo(events), batch_size=1)
        assert sink.counts() == {"documents": 3, "events": 4}
    assert (first.coded, second.coded, second.already) == (2, 1, 2)


def test_a_crash_between_parquet_and_database_loses_nothing(tmp_path):
    events = {o.document.doc_id: o.events for o in batch_one() + batch_two()}

    class Crashing(Store):
        def write_batch(self, results, **kwargs):
            if any(r.document.doc_id == "c" for r in results):
                raise KeyboardInterrupt  # after the batch reached Parquet, before the database took it
            return super().write_batch(results, **kwargs)

    with Crashing(tmp_path / "db.duckdb") as store, ParquetSink(tmp_path / "p") as sink, \
            pytest.raises(KeyboardInterrupt):
        ingest(documents(), ParquetThenStore(sink, store), Echo(events), batch_size=2)
    with Store(tmp_path / "db.duckdb") as store, ParquetSink(tmp_path / "p") as sink:
        assert store.counts()["documents"] == 2
        assert load_parquet(tmp_path / "p", store).documents == 1  # the cut-off batch, from Parquet
        summary = ingest(documents(), ParquetThenStore(sink, store), Echo(events), batch_size=2)
        assert (summary.coded, summary.already) == (0, 3)
        assert store.counts()["events"] == 4 and sink.counts()["events"] == 4


def test_auto_executor_codes_small_inputs_here_and_big_ones_in_processes(monkeypatch):
    made = []

    class FakeCoder:
        def code_documents(self, documents, batch_size=32):
            return ((d, []) for d in documents)

    class FakePool:
        def __init__(self, workers, **kwargs):
            self.workers = workers
            made.append(workers)

        def map(self, batches):
            return ([Coded(d, CODED, [], language="en") for d in batch] for batch in batches)

        def close(self):
            pass

    monkeypatch.setattr(coding, "ProcessExecutor", FakePool)
    batches = [[Document(f"d{i}{j}", "Russia criticized China on Tuesday over trade. " * 20)
                for j in range(4)] for i in range(3)]
    small = AutoExecutor(2, factory=FakeCoder, small_chars=1_000_000)
    assert [len(b) for b in small.map(batches)] == [4, 4, 4]
    assert small.processes == 1 and made == []
    big = AutoExecutor(2, factory=FakeCoder, small_chars=5_000)
    assert [o.document.doc_id for b in big.map(batches) for o in b] == [d.doc_id for b in batches for d in b]
    assert big.processes == 2 and made == [2]
    one = AutoExecutor(1, factory=FakeCoder, small_chars=1)
    assert [len(b) for b in one.map(batches)] == [4, 4, 4] and one.processes == 1


def test_worker_processes_that_cannot_make_a_coder_stop_the_ingest_with_the_reason(tmp_path):
    from polevents.store.coding import ProcessExecutor

    bad = tmp_path / "actors.yaml"
    bad.write_text("countries: [this is: not: valid\n", encoding="utf-8")
    executor = ProcessExecutor(1, coder_options={"actors": (str(bad),)})
    try:
        with pytest.raises(Exception) as caught:  # noqa: B017 - the kb's own error type, from the worker
            list(executor.map([[Document("d", "Russia criticized China on Tuesday.")]]))
    finally:
        executor.close()
    assert type(caught.value).__name__ in ("KnowledgeBaseError", "PatternError") and "actors.yaml" in str(caught.value)
