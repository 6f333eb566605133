"""The Dask path: the same events as the single-process ingest, the model loaded once per worker,
Parquet partitioned by month that loads into the same database, and the --cluster command."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from polevents.cli import main
from polevents.sources import read_sources
from polevents.store.coding import LocalExecutor
from polevents.store.db import Store
from polevents.store.ingest import ingest
from polevents.store.parquet import ParquetSink, ParquetThenStore, load_parquet

distributed = pytest.importorskip("distributed")

ACTORS = ["Russia", "China", "The United States", "France", "Germany", "Iran", "Israel", "Japan", "India",
          "Turkey", "NATO", "The European Union", "Ukraine", "North Korea", "Egypt", "Brazil"]
ACTIONS = ["criticized {t} over its trade policy", "signed an energy agreement with {t}",
           "accused {t} of violating the ceasefire", "met with officials from {t}",
           "threatened to impose sanctions on {t}", "praised {t} for its support",
           "urged {t} to release the detained journalists", "condemned {t} for the missile test",
           "agreed to cooperate with {t} on security", "rejected a proposal from {t}",
           "expelled diplomats of {t}", "sent humanitarian aid to {t}"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "on Saturday", "last week", "earlier this month"]
FILLER = ["Officials said talks would continue.", "The statement was released in the capital.",
          "Analysts expect further steps in the coming weeks.", "No further details were given."]


def generated_documents(count: int = 200, seed: int = 7) -> list[dict]:
    """`count` JSONL documents: news-like English stories over several months, plus the awkward cases
    an ingest must keep straight (foreign text, repeated text, one id for two texts, an empty record)."""
    rng = random.Random(seed)
    start = date(2012, 1, 2)
    documents = []
    for number in range(count):
        published = start + timedelta(days=rng.randrange(0, 200))
        sentences = []
        for _ in range(rng.randint(1, 3)):
            source, target = rng.sample(ACTORS, 2)
            day = rng.choice(DAYS)
            when = day if day.startswith(("on ", "last", "earlier")) else f"on {day}"
            action = rng.choice(ACTIONS).format(t=target.replace("The ", "the "))
            sentences.append(f"{source} {action} {when}.")
        sentences.append(rng.choice(FILLER))
        documents.append({"doc_id": f"gen-{number:03d}", "published": published.isoformat(),
                          "title": f"Story {number}", "text": " ".join(sentences)})
    documents[10]["text"] = "La Russie et la Chine ont signé mardi un accord sur l'énergie, ont indiqué des officiels."
    documents[20]["text"] = documents[21]["text"]  # the same text twice: coded once
    documents[30]["doc_id"] = documents[31]["doc_id"]  # one id, two texts: both kept
    documents[40]["text"] = ""  # a record with no text: a reader's problem
    return documents


def _write(tmp_path, documents) -> str:
    path = tmp_path / "generated.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return str(path)


def _tables(store: Store) -> dict[str, list]:
    """Everything an ingest writes, but the times of writing."""
    con = store.con
    return {
        "documents": con.execute("SELECT * EXCLUDE (added, run_id) FROM documents ORDER BY hash").fetchall(),
        "events": con.execute("SELECT * EXCLUDE (added) FROM events ORDER BY event_id").fetchall(),
        "clusters": con.execute("SELECT * EXCLUDE (date_added) FROM clusters ORDER BY cluster_id").fetchall(),
        "actors": con.execute("SELECT * EXCLUDE (first_run) FROM actors ORDER BY actor_key").fetchall(),
        "problems": con.execute("SELECT origin, reason FROM problems ORDER BY origin").fetchall(),
    }


@pytest.fixture(scope="module")
def cluster():
    """The LocalCluster `--cluster local:2` starts (2 single-threaded worker processes), shared by the
    tests of this module."""
    from polevents.distributed import DaskExecutor

    executor = DaskExecutor("local:2")
    try:
        yield executor.start()
    finally:
        executor.close()


def test_local_workers_are_single_threaded_and_keep_glibcs_own_malloc_tuning(cluster):
    import os

    assert sorted(cluster.nthreads().values()) == [1, 1]
    assert set(cluster.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()) == {None}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("corpus"), generated_documents())


@pytest.fixture(scope="module")
def single(tmp_path_factory, corpus, coder):
    """The single-process ingest of the generated corpus: the reference."""
    path = tmp_path_factory.mktemp("single") / "single.duckdb"
    with Store(path) as store:
        summary = ingest(read_sources([corpus]), store, LocalExecutor(coder), batch_size=16)
        tables = _tables(store)
    return summary, tables


def test_dask_on_two_workers_gives_exactly_the_events_of_one_process(tmp_path, cluster, corpus, single):
    from polevents.distributed import DaskExecutor, worker_loads

    reference_summary, reference = single
    assert reference_summary.read == 199 and reference_summary.coded == 197  # 200 - empty; - French, - copy
    assert len(reference["events"]) > 150  # the generated stories do give events
    executor = DaskExecutor(cluster)
    with Store(tmp_path / "dask.duckdb") as store, ParquetSink(tmp_path / "parquet") as folder:
        summary = ingest(read_sources([corpus]), ParquetThenStore(folder, store), executor, batch_size=16)
        tables = _tables(store)
        parquet_counts = folder.counts()
    executor.close()
    assert (summary.read, summary.coded, summary.events, summary.already, summary.renamed) == (
        reference_summary.read, reference_summary.coded, reference_summary.events, reference_summary.already,
        reference_summary.renamed)
    for name in reference:
        assert tables[name] == reference[name], name
    assert parquet_counts == {"documents": 198, "events": len(reference["events"])}
    # both workers coded (13 batches), and each built its Coder once, when it started
    loads = cluster.run(worker_loads)
    assert len(loads) == 2 and all(list(counts.values()) == [1] for counts in loads.values()), loads


def test_parquet_is_partitioned_by_month_and_loads_into_the_same_database(tmp_path, cluster, corpus, single):
    import duckdb

    from polevents.distributed import DaskExecutor

    executor = DaskExecutor(cluster)
    with ParquetSink(tmp_path / "parquet") as folder:
        first = ingest(read_sources([corpus]), folder, executor, batch_size=32)
        again = ingest(read_sources([corpus]), folder, executor, batch_size=32)  # resumes: nothing new
    executor.close()
    assert first.coded == 197 and (again.coded, again.already) == (0, 199)
    months = duckdb.sql(f"""SELECT DISTINCT month, strftime(event_date, '%Y-%m') AS day_month FROM
        read_parquet('{tmp_path}/parquet/events/*/*.parquet', hive_partitioning = true)""").fetchall()
    assert {m for m, _ in months} >= {"2012-01", "2012-03", "2012-06"}
    assert all(month == day_month or (month == "undated" and day_month is None) for month, day_month in months)
    with Store(tmp_path / "loaded.duckdb") as store:
        stats = load_parquet(tmp_path / "parquet", store)
        assert load_parquet(tmp_path / "parquet", store).documents == 0  # loading twice adds nothing
        tables = _tables(store)
    assert stats.documents == 198
    reference = single[1]
    for name in ("documents", "events", "clusters", "actors"):
        assert tables[name] == reference[name], name


def test_cluster_command_parquet_only_then_load(tmp_path, cluster):
    from conftest import SAMPLES

    address = cluster.scheduler.address
    runner = CliRunner()
    folder = str(tmp_path / "out")
    sources = [str(SAMPLES / "news"), str(SAMPLES / "wire.jsonl")]
    result = runner.invoke(main, ["ingest", "--cluster", address, "--parquet-only", "--parquet", folder,
                                  "--db", str(tmp_path / "never.duckdb"), *sources])
    assert result.exit_code == 0, result.output
    assert "coded on the Dask cluster" in result.stderr and not (tmp_path / "never.duckdb").exists()
    assert "MALLOC_TRIM_THRESHOLD_" not in result.stderr  # the workers --cluster local starts are untrimmed
    db = str(tmp_path / "loaded.duckdb")
    loaded = runner.invoke(main, ["ingest", "--parquet", folder, "--db", db])
    assert loaded.exit_code == 0, loaded.output
    direct = str(tmp_path / "direct.duckdb")
    assert runner.invoke(main, ["ingest", "--db", direct, "--workers", "1", *sources]).exit_code == 0
    with Store(db, read_only=True) as a, Store(direct, read_only=True) as b:
        assert _tables(a)["events"] == _tables(b)["events"]
        assert a.counts() == b.counts() and a.counts()["events"] > 0


@pytest.mark.parametrize("value", ["locale", "local:0", "local:x", "nowhere.json"])
def test_a_bad_cluster_value_is_a_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["ingest", "--cluster", value, "--db", str(tmp_path / "x.duckdb"),
                                       str(tmp_path)])
    assert result.exit_code == 2 and "--cluster" in result.output


class PoisonPlugin(distributed.WorkerPlugin):
    """Makes the worker's Coder kill its process on a text with POISON in it, as a parser crash would."""

    def __init__(self, key: str):
        self.key = key

    def setup(self, worker) -> None:
        import polevents.distributed as here
        from polevents.coder import Coder

        class Poisoned:
            def __init__(self, coder):
                self.coder = coder

            def code_documents(self, documents, batch_size=32):
                documents = list(documents)
                if any("POISON" in d.text for d in documents):
                    import os

                    os._exit(1)
                return self.coder.code_documents(documents, batch_size=batch_size)

        here._CODERS[self.key] = Poisoned(here._CODERS.get(self.key) or Coder())


def test_a_document_that_kills_its_worker_fails_alone(tmp_path):
    import dask
    from distributed import Client, LocalCluster

    from polevents.distributed import DaskExecutor
    from polevents.documents import document_from_text

    texts = ["Russia criticized China on Tuesday over trade.", "POISON: France met Germany on Monday.",
             "Japan signed an agreement with India on Friday."]
    documents = [document_from_text(t, f"d{i}") for i, t in enumerate(texts)]
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0", silence_logs=50) as local, \
            Client(local) as client:
        executor = DaskExecutor(client)
        executor.start()
        assert len(executor.trimmed_workers) == 1  # a plain LocalCluster sets Dask's malloc tuning: noticed
        client.register_plugin(PoisonPlugin(executor.plugin.key), name="poison")
        outcomes = [o for batch in executor.map([documents]) for o in batch]
    assert [o.status for o in outcomes] == ["coded", "failed", "coded"]
    assert outcomes[1].message.startswith("KilledWorker") and outcomes[1].document.doc_id == "d1"
    assert outcomes[0].events and outcomes[2].events
