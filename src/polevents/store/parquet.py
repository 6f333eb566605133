"""Coded batches as Parquet files, partitioned by month, and their loading into the DuckDB store.

A folder written by `polevents ingest --parquet DIR` (and always by `--cluster`) holds, per batch:

    DIR/events/month=2012-06/<batch>.parquet    the events table's columns (but cluster_id), per month
    DIR/events/month=undated/<batch>.parquet    events without a usable date
    DIR/documents/<batch>.parquet                every document of the batch, with its text and status
    DIR/problems/<batch>.parquet                 inputs the readers skipped

The documents file is written last and is the batch's commit mark: a batch without it was cut off
and its other files are removed when the folder is opened again. Every file is written under a
temporary name and renamed, so a reader never sees half a file. The key of a document is the
SHA-256 of its text, as in the database, so a folder can be resumed on its own (`--parquet-only`)
and loaded into a database later: `load_parquet` writes each batch not yet there through
`Store.write_batch`, the same transaction the direct ingest uses, and gets the same clusters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polevents.documents import Document, Skipped
from polevents.store.coding import Coded
from polevents.store.db import PROBLEM_SCHEMA, arrow_table, query_arrow, source_key
from polevents.store.schema import EVENT_COLUMNS, event_row, lead_end

if TYPE_CHECKING:
    from polevents.store.db import Store

PARQUET_EVENT_COLUMNS = [(name, kind) for name, kind in EVENT_COLUMNS if name != "cluster_id"]
PARQUET_DOCUMENT_COLUMNS = [
    ("hash", "VARCHAR"), ("doc_id", "VARCHAR"), ("url", "VARCHAR"), ("title", "VARCHAR"), ("published", "DATE"),
    ("published_from", "VARCHAR"), ("source", "VARCHAR"), ("source_key", "VARCHAR"), ("origin", "VARCHAR"),
    ("language", "VARCHAR"), ("status", "VARCHAR"), ("reason", "VARCHAR"), ("message", "VARCHAR"),
    ("notes", "VARCHAR"), ("chars", "INTEGER"), ("n_events", "INTEGER"), ("run_id", "BIGINT"),
    ("added", "TIMESTAMP"), ("text", "VARCHAR"),
]
UNDATED = "undated"


class ParquetError(Exception):
    """A Parquet folder that cannot be used (in use by another ingest, not a polevents folder)."""


def month_of(row: dict[str, Any]) -> str:
    """The partition of an event row: the month of its event date, else "undated"."""
    day = row.get("event_date")
    return f"{day.year:04d}-{day.month:02d}" if day is not None else UNDATED


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(slots=True)
class LoadStats:
    batches: int = 0
    documents: int = 0
    events: int = 0
    already: int = 0  # documents of the folder the database had


class ParquetSink:
    """A Parquet folder that the ingest writes batches into, and asks which texts it already holds.

    It answers `known_hashes` and `doc_ids_taken` like `Store`, from the documents files already in
    the folder, so an ingest into a folder alone (`--parquet-only`) resumes and deduplicates by
    content hash the way it does into a database. One writer per folder (a lock file says so).
    """

    def __init__(self, folder: str | Path):
        import fcntl

        import duckdb

        self.folder = Path(folder)
        for part in ("documents", "events", "problems"):
            (self.folder / part).mkdir(parents=True, exist_ok=True)
        self._lock = open(self.folder / ".lock", "a+")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            raise ParquetError(f"{self.folder} is in use by another ingest (one writer per folder)") from None
        self._sweep()
        self._stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self._sequence = 0
        self.index = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False})
        self.index.execute("CREATE TABLE seen (hash VARCHAR PRIMARY KEY, doc_id VARCHAR)")
        if self.batch_names():
            # a document retried after a failure is in two batches; keep one row per text
            self.index.execute("INSERT INTO seen SELECT hash, any_value(doc_id) FROM read_parquet(?) GROUP BY hash",
                               [str(self.folder / "documents" / "*.parquet")])

    # ----- the folder ---------------------------------------------------------------------------------
    def _sweep(self) -> None:
        """Remove what a stopped writer left: temporary files, and files of batches without documents."""
        committed = {path.stem for path in (self.folder / "documents").glob("*.parquet")}
        for path in self.folder.rglob("*"):
            if not path.is_file():
                continue
            temporary = path.name.startswith(".tmp-")
            orphan = (path.suffix == ".parquet" and path.parent.name != "documents" and path.stem not in committed
                      and not path.stem.startswith("problems-"))
            if temporary or orphan:
                path.unlink()

    def batch_names(self) -> list[str]:
        """The committed batches, oldest first (names start with the run's time and a sequence number)."""
        return sorted(path.stem for path in (self.folder / "documents").glob("*.parquet"))

    def _write(self, table: Any, path: Path) -> None:
        import pyarrow.parquet as pq

        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".tmp-{path.name}")
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)

    # ----- what the ingest asks -----------------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        if not wanted:
            return set()
        rows = self.index.execute("SELECT hash FROM seen WHERE hash IN (SELECT unnest(?))", [wanted]).fetchall()
        return {r[0] for r in rows}

    def doc_ids_taken(self, doc_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(set(doc_ids))
        if not wanted:
            return {}
        rows = self.index.execute("SELECT doc_id, hash FROM seen WHERE doc_id IN (SELECT unnest(?))",
                                  [wanted]).fetchall()
        return dict(rows)

    def has_url(self, url: str) -> bool:
        return False  # the folder keeps no URL index; a feed's known pages are found by their text

    # ----- writing ------------------------------------------------------------------------------------
    def write_batch(self, results: Sequence[Coded], *, run_id: int | None = None,
                    problems: Sequence[Skipped] = ()) -> str | None:
        """Write one batch (events by month, then problems, then documents, the commit mark); its name."""
        added = _now()
        if not results:
            self.log_problems(problems, run_id=run_id)
            return None
        self._sequence += 1
        digest = hashlib.sha256("".join(r.document.content_hash for r in results).encode()).hexdigest()[:10]
        name = f"{self._stamp}-{self._sequence:06d}-{digest}"
        documents, by_month = [], {}
        for result in results:
            document = result.document
            outlet = source_key(document.url, document.source)
            documents.append(document_row(result, outlet=outlet, run_id=run_id, added=added))
            if result.events:
                lead = lead_end(document.text, document.title)
                for record in result.events:
                    row = event_row(record, doc_hash=document.content_hash, lead=lead, url=document.url,
                                    source_key=outlet, added=added)
                    by_month.setdefault(month_of(row), []).append(row)
        for month, rows in sorted(by_month.items()):
            self._write(arrow_table(rows, PARQUET_EVENT_COLUMNS), self.folder / "events" / f"month={month}"
                        / f"{name}.parquet")
        if problems:
            self._write(arrow_table(problem_rows(problems, run_id, added), PROBLEM_SCHEMA),
                        self.folder / "problems" / f"{name}.parquet")
        self._write(arrow_table(documents, PARQUET_DOCUMENT_COLUMNS), self.folder / "documents" / f"{name}.parquet")
        self.index.execute("INSERT INTO seen SELECT * FROM (SELECT unnest(?) AS hash, unnest(?) AS doc_id) "
                           "ON CONFLICT DO NOTHING",
                           [[d["hash"] for d in documents], [d["doc_id"] for d in documents]])
        return name

    def log_problems(self, problems: Sequence[Skipped], *, run_id: int | None) -> None:
        """Problems that came with no documents (a run whose inputs were all unreadable)."""
        if problems:
            name = f"problems-{self._stamp}-{uuid.uuid4().hex[:8]}"
            self._write(arrow_table(problem_rows(problems, run_id, _now()), PROBLEM_SCHEMA),
                        self.folder / "problems" / f"{name}.parquet")

    def counts(self) -> dict[str, int]:
        """Documents and event reports in the folder."""
        events = list((self.folder / "events").rglob("*.parquet"))
        documents = self.index.execute("SELECT count(*) FROM seen").fetchall()[0][0]
        reports = 0
        if events:
            reports = self.index.execute("SELECT count(*) FROM read_parquet(?)",
                                         [[str(p) for p in events]]).fetchall()[0][0]
        return {"documents": int(documents), "events": int(reports)}

    def close(self) -> None:
        self.index.close()
        with contextlib.suppress(OSError):
            self._lock.close()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def document_row(result: Coded, *, outlet: str | None, run_id: int | None, added: datetime) -> dict[str, Any]:
    document = result.document
    return {
        "hash": document.content_hash, "doc_id": document.doc_id, "url": document.url, "title": document.title,
        "published": document.published, "published_from": document.published_from, "source": document.source,
        "source_key": outlet, "origin": document.origin, "language": result.language, "status": result.status,
        "reason": result.reason, "message": result.message,
        "notes": json.dumps(document.notes, ensure_ascii=False) if document.notes else None,
        "chars": len(document.text), "n_events": len(result.events), "run_id": run_id, "added": added,
        "text": document.text,
    }


def problem_rows(problems: Sequence[Skipped], run_id: int | None, seen: datetime) -> list[dict[str, Any]]:
    return [{"run_id": run_id, "origin": p.origin, "doc_id": p.doc_id, "reason": p.reason, "message": p.message,
             "seen": seen} for p in problems]


class ParquetThenStore:
    """The cluster ingest's sink: each batch goes to the Parquet folder, then into the database.

    The database decides what is already known (after `load_parquet` has brought it up to date with
    the folder), so a crash between the two writes costs nothing: the next run loads that batch
    from its Parquet files instead of coding it again.
    """

    def __init__(self, parquet: ParquetSink, store: Store):
        self.parquet = parquet
        self.store = store

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        return self.store.known_hashes(hashes)

    def doc_ids_taken(self, doc_ids: Iterable[str]) -> dict[str, str]:
        return self.store.doc_ids_taken(doc_ids)

    def has_url(self, url: str) -> bool:
        return self.store.has_url(url)

    def write_batch(self, results: Sequence[Coded], *, run_id: int | None = None,
                    problems: Sequence[Skipped] = ()) -> None:
        self.parquet.write_batch(results, run_id=run_id, problems=problems)
        self.store.write_batch(results, run_id=run_id, problems=problems)

    def log_problems(self, problems: Sequence[Skipped], *, run_id: int | None) -> None:
        self.parquet.log_problems(problems, run_id=run_id)
        self.store.log_problems(problems, run_id=run_id)


def read_batch(folder: Path, name: str, con: Any) -> tuple[list[Coded], list[Skipped]]:
    """The outcomes and problems of one committed batch, as the ingest had them."""
    documents = query_arrow(con, "SELECT * FROM read_parquet(?)",
                            [str(folder / "documents" / f"{name}.parquet")]).to_pylist()
    event_files = sorted(str(p) for p in (folder / "events").glob(f"month=*/{name}.parquet"))
    records: dict[str, list[dict[str, Any]]] = {}
    if event_files:
        rows = query_arrow(con, "SELECT doc_hash, record FROM read_parquet(?)", [event_files]).to_pylist()
        for row in rows:
            records.setdefault(row["doc_hash"], []).append(json.loads(row["record"]))
        for events in records.values():
            events.sort(key=_event_order)  # a document's events may lie in several months' files
    outcomes = []
    for row in documents:
        document = Document(doc_id=row["doc_id"], text=row["text"], published=row["published"],
                            published_from=row["published_from"], title=row["title"], url=row["url"],
                            source=row["source"], origin=row["origin"],
                            notes=json.loads(row["notes"]) if row["notes"] else [])
        outcomes.append(Coded(document, row["status"], records.get(row["hash"], []), reason=row["reason"],
                              message=row["message"], language=row["language"]))
    problems: list[Skipped] = []
    problem_file = folder / "problems" / f"{name}.parquet"
    if problem_file.exists():
        problems = [Skipped(r["origin"], r["reason"], r["message"], r["doc_id"]) for r in
                    query_arrow(con, "SELECT * FROM read_parquet(?)", [str(problem_file)]).to_pylist()]
    return outcomes, problems


def _event_order(record: dict[str, Any]) -> tuple[int, ...]:
    """The coder numbers a document's events in order: "<doc_id>:<sentence>:<number>"."""
    try:
        return (int(str(record["event_id"]).rsplit(":", 1)[1]),)
    except (KeyError, IndexError, ValueError):
        return (0,)


def load_parquet(folder: str | Path, store: Store, *, run_id: int | None = None,
                 progress: Callable[[LoadStats], None] | None = None) -> LoadStats:
    """Write every batch of a Parquet folder whose documents the database lacks, one transaction each.

    Documents already in the database (same text) are left out of their batch, so loading a folder
    twice, or a folder a crashed run had written further than its database, gives every document
    and event once.
    """
    import duckdb

    folder = Path(folder)
    stats = LoadStats()
    names = sorted(path.stem for path in (folder / "documents").glob("*.parquet"))
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False})
    try:
        for name in names:
            hashes = [r[0] for r in con.execute("SELECT hash FROM read_parquet(?)",
                                                [str(folder / "documents" / f"{name}.parquet")]).fetchall()]
            known = store.known_hashes(hashes)
            if len(known) == len(set(hashes)):
                stats.already += len(hashes)
                continue
            outcomes, problems = read_batch(folder, name, con)
            fresh = [o for o in outcomes if o.document.content_hash not in known]
            stats.already += len(outcomes) - len(fresh)
            # a batch the database partly has was loaded before with its problems: do not log them twice
            store.write_batch(fresh, run_id=run_id, problems=problems if not known else ())
            stats.batches += 1
            stats.documents += len(fresh)
            stats.events += sum(len(o.events) for o in fresh)
            if progress is not None:
                progress(stats)
    finally:
        con.close()
    return stats


def iter_batches(folder: str | Path) -> Iterator[tuple[str, list[Coded]]]:
    """Every committed batch of a folder with its outcomes (for tools that read a folder whole)."""
    import duckdb

    folder = Path(folder)
    con = duckdb.connect(":memory:")
    try:
        for name in sorted(path.stem for path in (folder / "documents").glob("*.parquet")):
            yield name, read_batch(folder, name, con)[0]
    finally:
        con.close()
