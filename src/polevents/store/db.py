"""The DuckDB store: open, write one batch of coded documents in one transaction, keep clusters current.

Every write of `write_batch` happens inside one transaction: the documents, their
events, the actors they name and the clusters they change land together or not
at all. A document's content hash is its key, so a batch that was cut off by a
crash is simply coded again on the next run, and a batch that landed is never
written twice. All SQL takes its values as parameters or as registered Arrow
tables; nothing from the input is pasted into SQL text.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from polevents.store.clusters import REPORT_FIELDS, build_clusters
from polevents.store.schema import (
    CLUSTER_COLUMN_NAMES,
    DDL,
    EVENT_COLUMN_NAMES,
    EVENT_COLUMNS,
    SCHEMA_VERSION,
    actor_rows,
    event_row,
    lead_end,
)

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from polevents.documents import Skipped
    from polevents.store.coding import Coded

DEFAULT_DB = "polevents.duckdb"
# documents per batch and transaction: a transaction costs about 20 ms whatever its size, so batches of 64
# spent 3 % of an ingest committing, batches of 256 about 1 %; a crash loses at most one batch of work
DEFAULT_BATCH = 256


class StoreError(Exception):
    """A database problem worth a one-line message (locked, not a polevents database, ...)."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def source_key(url: str | None, source: str | None) -> str | None:
    """The outlet a document counts for in NumSources: the URL's host (no "www."), else its source name."""
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.lower().removeprefix("www.")
    return source.strip().lower() if source and source.strip() else None


def _arrow_type(duck: str) -> pa.DataType:
    import pyarrow as pa

    base = duck.split()[0].upper()
    return {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "TINYINT": pa.int8(),
            "DOUBLE": pa.float64(), "DATE": pa.date32(), "BOOLEAN": pa.bool_(),
            "TIMESTAMP": pa.timestamp("us")}[base]


DOCUMENT_SCHEMA = [("hash", "VARCHAR"), ("doc_id", "VARCHAR"), ("url", "VARCHAR"), ("title", "VARCHAR"),
                   ("published", "DATE"), ("published_from", "VARCHAR"), ("source", "VARCHAR"),
                   ("source_key", "VARCHAR"), ("origin", "VARCHAR"), ("language", "VARCHAR"),
                   ("status", "VARCHAR"), ("reason", "VARCHAR"), ("message", "VARCHAR"), ("notes", "VARCHAR"),
                   ("chars", "INTEGER"), ("n_events", "INTEGER"), ("run_id", "BIGINT"), ("added", "TIMESTAMP")]
ACTOR_SCHEMA = [("actor_key", "VARCHAR"), ("kb_id", "VARCHAR"), ("code", "VARCHAR"), ("name", "VARCHAR"),
                ("country", "VARCHAR"), ("sector", "VARCHAR"), ("first_run", "BIGINT")]
PROBLEM_SCHEMA = [("run_id", "BIGINT"), ("origin", "VARCHAR"), ("doc_id", "VARCHAR"), ("reason", "VARCHAR"),
                  ("message", "VARCHAR"), ("seen", "TIMESTAMP")]
_CLUSTER_TYPES = {
    "cluster_id": "BIGINT", "cluster_key": "BIGINT", "quad_class": "TINYINT", "goldstein": "DOUBLE",
    "event_date": "DATE", "first_day": "DATE", "last_day": "DATE", "location_lat": "DOUBLE",
    "location_lon": "DOUBLE", "location_geonames_id": "BIGINT", "num_reports": "INTEGER",
    "num_mentions": "INTEGER", "num_sources": "INTEGER", "num_articles": "INTEGER", "is_root": "BOOLEAN",
    "date_added": "TIMESTAMP",
}
CLUSTER_SCHEMA = [(name, _CLUSTER_TYPES.get(name, "VARCHAR")) for name in CLUSTER_COLUMN_NAMES]


def arrow_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> pa.Table:
    import pyarrow as pa

    schema = pa.schema([(name, _arrow_type(kind)) for name, kind in columns])
    return pa.Table.from_pylist(list(rows), schema=schema)


def query_arrow(con: Any, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
    """The rows of a query as an Arrow table (DuckDB renamed the method in 2.0)."""
    relation = con.sql(sql, params=list(params)) if params else con.sql(sql)
    if relation is None:
        raise StoreError("the query returned no rows")
    for name in ("to_arrow_table", "fetch_arrow_table", "arrow"):
        method = getattr(relation, name, None)
        if method is not None:
            table = method()
            return table.read_all() if hasattr(table, "read_all") else table
    raise StoreError("this DuckDB cannot return Arrow tables")


@dataclass(slots=True)
class BatchStats:
    documents: int = 0
    events: int = 0
    clusters_changed: int = 0


class Store:
    """One polevents database file. Not shared between threads: open one Store per thread or process."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False, memory_limit: str | None = None):
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no database at {self.path}; create one with `polevents ingest --db {self.path} ...`")
        config: dict[str, Any] = {"autoinstall_known_extensions": False}  # never download anything
        if memory_limit:
            config["memory_limit"] = memory_limit
        try:
            self.con: duckdb.DuckDBPyConnection = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.IOException as error:
            text = str(error)
            if "lock" in text.lower():
                raise StoreError(f"{self.path} is in use by another process (DuckDB allows one writer); "
                                 f"wait for it to finish. ({text.splitlines()[0]})") from None
            raise StoreError(f"cannot open {self.path}: {text.splitlines()[0]}") from None
        except duckdb.Error as error:
            raise StoreError(f"cannot open {self.path}: {str(error).splitlines()[0]}") from None
        if not read_only:
            self._create()
        else:
            self._check_schema()

    # ----- set-up ------------------------------------------------------------------------------------
    def _create(self) -> None:
        import duckdb

        tables = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is a DuckDB database of something else (tables: "
                             f"{', '.join(sorted(tables)[:5])}); give polevents a file of its own")
        try:
            self.con.execute("BEGIN")
            for statement in DDL:
                self.con.execute(statement)
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                             [SCHEMA_VERSION])
            self.con.execute("COMMIT")
        except duckdb.Error as error:
            self.con.execute("ROLLBACK")
            raise StoreError(f"{self.path} is not a polevents database or cannot be changed: "
                             f"{str(error).splitlines()[0]}") from None
        self._check_schema()

    def _check_schema(self) -> None:
        import duckdb

        try:
            rows = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            row = rows[0] if rows else None
        except duckdb.Error:
            raise StoreError(f"{self.path} is not a polevents database (no meta table)") from None
        if row is None or row[0] != SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {row[0] if row else 'unknown'}; this polevents "
                             f"reads version {SCHEMA_VERSION}")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ----- look-ups the ingest needs -----------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        if not wanted:
            return set()
        rows = self.con.execute("SELECT hash FROM documents WHERE hash IN (SELECT unnest(?))", [wanted]).fetchall()
        return {r[0] for r in rows}

    def doc_ids_taken(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc_id -> hash for those of `doc_ids` already in the database."""
        wanted = list(set(doc_ids))
        if not wanted:
            return {}
        rows = self.con.execute("SELECT doc_id, hash FROM documents WHERE doc_id IN (SELECT unnest(?))",
                                [wanted]).fetchall()
        return dict(rows)

    def has_url(self, url: str) -> bool:
        return self.con.execute("SELECT 1 FROM documents WHERE url = ? LIMIT 1", [url]).fetchall() != []

    def forget_failed(self) -> int:
        """Drop documents whose coding failed so that the next ingest tries them again."""
        count = self.con.execute("SELECT count(*) FROM documents WHERE status = 'failed'").fetchall()[0][0]
        self.con.execute("DELETE FROM documents WHERE status = 'failed'")
        return int(count)

    # ----- runs --------------------------------------------------------------------------------------
    def start_run(self, command: str, sources: Sequence[str]) -> int:
        from polevents.sources import _version

        run_id = int(self.con.execute("SELECT nextval('run_ids')").fetchall()[0][0])
        self.con.execute("INSERT INTO runs (run_id, started, command, sources, polevents_version) "
                         "VALUES (?, ?, ?, ?, ?)", [run_id, _now(), command, json.dumps(list(sources)), _version()])
        return run_id

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self.con.execute("UPDATE runs SET finished = ?, summary = ? WHERE run_id = ?",
                         [_now(), json.dumps(summary, default=str), run_id])

    def unfinished_runs(self) -> list[tuple[int, datetime]]:
        return self.con.execute("SELECT run_id, started FROM runs WHERE finished IS NULL ORDER BY run_id").fetchall()

    # ----- writing -----------------------------------------------------------------------------------
    def write_batch(self, results: Sequence[Coded], *, run_id: int | None = None,
                    problems: Sequence[Skipped] = ()) -> BatchStats:
        """Write coded documents, their events and actors, and update the clusters, in one transaction."""
        stats = BatchStats()
        added = _now()
        documents, events, actors = [], [], {}
        for result in results:
            document = result.document
            doc_hash = document.content_hash
            outlet = source_key(document.url, document.source)
            documents.append({
                "hash": doc_hash, "doc_id": document.doc_id, "url": document.url, "title": document.title,
                "published": document.published, "published_from": document.published_from,
                "source": document.source, "source_key": outlet,
                "origin": document.origin, "language": result.language, "status": result.status,
                "reason": result.reason, "message": result.message,
                "notes": json.dumps(document.notes, ensure_ascii=False) if document.notes else None,
                "chars": len(document.text), "n_events": len(result.events), "run_id": run_id, "added": added,
            })
            if result.events:
                lead = lead_end(document.text, document.title)
                for record in result.events:
                    events.append(event_row(record, doc_hash=doc_hash, lead=lead, url=document.url,
                                            source_key=outlet, added=added))
                    for actor in actor_rows(record):
                        actors.setdefault(actor["actor_key"], {**actor, "first_run": run_id})
        problem_rows = [{"run_id": run_id, "origin": p.origin, "doc_id": p.doc_id, "reason": p.reason,
                         "message": p.message, "seen": added} for p in problems]
        con = self.con
        con.execute("BEGIN")
        try:
            if documents:
                con.register("batch_documents", arrow_table(documents, DOCUMENT_SCHEMA))
                con.execute("INSERT INTO documents SELECT * FROM batch_documents")
            if events:
                stats.clusters_changed = self._cluster(events)
                con.register("batch_events", arrow_table(events, EVENT_COLUMNS))
                con.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMN_NAMES)}) "
                            f"SELECT {', '.join(EVENT_COLUMN_NAMES)} FROM batch_events")
            if actors:
                con.register("batch_actors", arrow_table(list(actors.values()), ACTOR_SCHEMA))
                con.execute("INSERT INTO actors SELECT * FROM batch_actors ON CONFLICT DO NOTHING")
            if problem_rows:
                con.register("batch_problems", arrow_table(problem_rows, PROBLEM_SCHEMA))
                con.execute("INSERT INTO problems SELECT * FROM batch_problems")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in ("batch_documents", "batch_events", "batch_actors", "batch_problems"):
                with contextlib.suppress(Exception):  # not registered in this batch
                    con.unregister(name)
        stats.documents = len(documents)
        stats.events = len(events)
        return stats

    def log_problems(self, problems: Sequence[Skipped], *, run_id: int | None) -> None:
        if problems:
            self.write_batch([], run_id=run_id, problems=problems)

    # ----- clusters ----------------------------------------------------------------------------------
    def _cluster(self, new: list[dict[str, Any]]) -> int:
        """Set the cluster of each new report and regroup what they touch; inside write_batch's transaction.

        Clusters that start before the earliest new day of a key cannot change (see clusters.py), so only
        the reports of each touched key from the last cluster start before that day onwards are regrouped.
        Nothing here scans more than the columns it filters on, so a batch costs about the same in a
        database of a thousand events or of millions.
        """
        import pyarrow as pa

        con = self.con
        first_new: dict[int, Any] = {}
        for row in new:
            if row["cluster_day"] is not None:
                key = row["cluster_key"]
                if key not in first_new or row["cluster_day"] < first_new[key]:
                    first_new[key] = row["cluster_day"]
        existing: list[dict[str, Any]] = []
        if first_new:
            touched = pa.table({"cluster_key": pa.array(list(first_new), pa.int64()),
                                "min_day": pa.array(list(first_new.values()), pa.date32())})
            con.register("batch_touched", touched)
            try:
                fields = ", ".join(f"e.{name}" for name in REPORT_FIELDS)
                existing = query_arrow(con, f"""
                    WITH starts AS (
                        SELECT t.cluster_key, coalesce(max(c.first_day), t.min_day) AS start
                        FROM batch_touched t LEFT JOIN clusters c
                          ON c.cluster_key = t.cluster_key AND c.first_day < t.min_day
                        GROUP BY t.cluster_key, t.min_day)
                    SELECT {fields} FROM events e JOIN starts s
                      ON e.cluster_key = s.cluster_key AND e.cluster_day >= s.start""").to_pylist()
            finally:
                con.unregister("batch_touched")
        clusters, membership = build_clusters([*existing, *new])
        for row in new:
            row["cluster_id"] = membership[row["event_id"]]
        moved = [(membership[r["event_id"]], r["event_id"]) for r in existing
                 if membership[r["event_id"]] != r["cluster_id"]]
        stale = {r["cluster_id"] for r in existing if r["cluster_id"] is not None} | {c["cluster_id"]
                                                                                      for c in clusters}
        if stale:
            con.execute("DELETE FROM clusters WHERE cluster_id IN (SELECT unnest(?))", [sorted(stale)])
        if clusters:
            con.register("batch_clusters", arrow_table(clusters, CLUSTER_SCHEMA))
            try:
                con.execute(f"INSERT INTO clusters ({', '.join(CLUSTER_COLUMN_NAMES)}) "
                            f"SELECT {', '.join(CLUSTER_COLUMN_NAMES)} FROM batch_clusters")
            finally:
                con.unregister("batch_clusters")
        if moved:
            moves = pa.table({"event_id": pa.array([m[1] for m in moved], pa.string()),
                              "cluster_id": pa.array([m[0] for m in moved], pa.int64())})
            con.register("batch_moves", moves)
            try:
                con.execute("UPDATE events SET cluster_id = m.cluster_id FROM batch_moves m "
                            "WHERE events.event_id = m.event_id")
            finally:
                con.unregister("batch_moves")
        return len(clusters)

    def rebuild_clusters(self) -> int:
        """Regroup every report from scratch (after a bulk load or a change of the clustering rule)."""
        con = self.con
        con.execute("BEGIN")
        try:
            rows = query_arrow(con, f"SELECT {', '.join(REPORT_FIELDS)} FROM events").to_pylist()
            clusters, membership = build_clusters(rows)
            con.execute("DELETE FROM clusters")
            if clusters:
                con.register("batch_clusters", arrow_table(clusters, CLUSTER_SCHEMA))
                con.execute(f"INSERT INTO clusters ({', '.join(CLUSTER_COLUMN_NAMES)}) "
                            f"SELECT {', '.join(CLUSTER_COLUMN_NAMES)} FROM batch_clusters")
                con.unregister("batch_clusters")
            import pyarrow as pa

            con.register("batch_moves", pa.table({"event_id": pa.array(list(membership), pa.string()),
                                                  "cluster_id": pa.array(list(membership.values()), pa.int64())}))
            con.execute("UPDATE events SET cluster_id = m.cluster_id FROM batch_moves m "
                        "WHERE events.event_id = m.event_id AND events.cluster_id IS DISTINCT FROM m.cluster_id")
            con.unregister("batch_moves")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(clusters)

    # ----- counts ------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        row = self.con.execute("""SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events),
                                         (SELECT count(*) FROM clusters), (SELECT count(*) FROM actors)""").fetchall()[0]
        return dict(zip(("documents", "events", "clusters", "actors"), (int(v) for v in row), strict=True))
