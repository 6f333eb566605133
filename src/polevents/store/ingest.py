"""The ingest: sources -> documents not yet in the sink -> an executor codes them -> batched writes.

    items = read_sources(paths, skip_url=store.has_url)      # Document | Skipped
    summary = ingest(items, store, LocalExecutor(Coder()))

One pipeline, two parameters. The *executor* codes batches: in this process
(`LocalExecutor`), in a pool of processes (`ProcessExecutor`, `AutoExecutor`), or on
a Dask cluster (`polevents.distributed.DaskExecutor`); it is any object with
`map(batches) -> outcomes` (see `polevents.store.coding`). The *sink* keeps what
was coded and says which texts it already has: the DuckDB `Store`, a Parquet
folder (`polevents.store.parquet.ParquetSink`), or both, Parquet first
(`ParquetThenStore`, what `--cluster` uses).

One direction only: the reader never looks at the sink (it is handed a `skip_url`
predicate), the executor never sees the sink, and only this module writes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from polevents.documents import Document, Item, Skipped
from polevents.sources import DUPLICATE
from polevents.store.coding import CODED, FAILED, SKIPPED, Coded, Executor
from polevents.store.db import DEFAULT_BATCH


class Sink(Protocol):
    """Where coded batches go, one transaction (or one committed file set) per batch."""

    def known_hashes(self, hashes: Iterable[str]) -> set[str]: ...

    def doc_ids_taken(self, doc_ids: Iterable[str]) -> dict[str, str]: ...

    def write_batch(self, results: Any, *, run_id: int | None = None, problems: Any = ()) -> Any: ...

    def log_problems(self, problems: Any, *, run_id: int | None) -> None: ...


@dataclass(slots=True)
class Summary:
    """What an ingest did, for the progress bar, the closing summary and the runs table."""

    read: int = 0  # documents read from the sources
    already: int = 0  # of those, already in the database (same text), or URLs already fetched
    coded: int = 0
    events: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count (reader skips and language)
    failed: Counter = field(default_factory=Counter)  # exception type -> count
    renamed: int = 0  # documents whose id was taken by another text: stored as id~hash
    written_batches: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def done(self) -> int:
        return self.coded + sum(self.skipped.values()) + sum(self.failed.values()) + self.already

    def as_dict(self) -> dict[str, Any]:
        seconds = max(self.seconds, 1e-9)
        return {"read": self.read, "already_in_database": self.already, "coded": self.coded,
                "events": self.events, "skipped": dict(self.skipped), "failed": dict(self.failed),
                "renamed": self.renamed, "seconds": round(self.seconds, 3),
                "documents_per_second": round(self.coded / seconds, 2),
                "events_per_second": round(self.events / seconds, 2)}


class _Batcher:
    """Turns the stream of items into batches of new documents, keeping the problems for the log."""

    def __init__(self, store: Sink, summary: Summary, batch_size: int, tick: Callable[[], None]):
        self.store = store
        self.summary = summary
        self.batch_size = max(1, batch_size)
        self.tick = tick
        self.problems: list[Skipped] = []
        self.pending: dict[str, str] = {}  # hash -> doc_id of documents read but not yet written
        self.pending_ids: dict[str, str] = {}  # doc_id -> hash

    def batches(self, items: Iterable[Item]) -> Iterator[list[Document]]:
        chunk: list[Document] = []
        for item in items:
            if isinstance(item, Skipped):
                if item.reason == DUPLICATE:
                    self.summary.already += 1
                else:
                    self.summary.skipped[item.reason] += 1
                    self.problems.append(item)
                self.tick()
                continue
            self.summary.read += 1
            chunk.append(item)
            if len(chunk) >= self.batch_size:
                fresh = self._fresh(chunk)
                chunk = []
                if fresh:
                    yield fresh
                self.tick()
        if chunk:
            fresh = self._fresh(chunk)
            if fresh:
                yield fresh
        self.tick()

    def _fresh(self, chunk: list[Document]) -> list[Document]:
        """The documents of `chunk` not in the database nor earlier in this run, with unique ids."""
        known = self.store.known_hashes(d.content_hash for d in chunk)
        taken = self.store.doc_ids_taken(d.doc_id for d in chunk)
        fresh = []
        for document in chunk:
            digest = document.content_hash
            if digest in known or digest in self.pending:
                self.summary.already += 1
                continue
            doc_id = document.doc_id
            if taken.get(doc_id, digest) != digest or self.pending_ids.get(doc_id, digest) != digest:
                # another text already has this id (two "story.txt" in different folders): keep both
                new_id = f"{doc_id}~{digest[:10]}"
                document.notes.append(f"id {doc_id!r} is taken by another document; stored as {new_id!r}")
                document.doc_id = new_id
                self.summary.renamed += 1
            self.pending[digest] = document.doc_id
            self.pending_ids[document.doc_id] = digest
            fresh.append(document)
        return fresh

    def written(self, outcomes: list[Coded]) -> None:
        for outcome in outcomes:
            digest = outcome.document.content_hash
            self.pending.pop(digest, None)
            self.pending_ids.pop(outcome.document.doc_id, None)

    def take_problems(self) -> list[Skipped]:
        problems, self.problems = self.problems, []
        return problems


def ingest(
    items: Iterable[Item], store: Sink, executor: Executor, *, batch_size: int = DEFAULT_BATCH, run_id: int | None = None,
    progress: Callable[[Summary], None] | None = None, on_batch: Callable[[Summary], None] | None = None,
) -> Summary:
    """Code every new document of `items` into `store` (any `Sink`), one transaction per batch; returns
    what happened. The executor decides where the coding runs, nothing else changes with it.

    `progress` is called often (for a progress bar); `on_batch` after each committed batch.
    """
    summary = Summary()
    last = [0.0]

    def tick() -> None:
        if progress is not None and time.monotonic() - last[0] > 0.1:
            last[0] = time.monotonic()
            progress(summary)

    batcher = _Batcher(store, summary, batch_size, tick)
    try:
        for outcomes in executor.map(batcher.batches(items)):
            for outcome in outcomes:
                if outcome.status == CODED:
                    summary.coded += 1
                    summary.events += len(outcome.events)
                elif outcome.status == SKIPPED:
                    summary.skipped[outcome.reason or "unknown"] += 1
                elif outcome.status == FAILED:
                    name = (outcome.message or "error").split(":", 1)[0]
                    summary.failed[name] += 1
            store.write_batch(outcomes, run_id=run_id, problems=batcher.take_problems())
            batcher.written(outcomes)
            summary.written_batches += 1
            if on_batch is not None:
                on_batch(summary)
            tick()
        store.log_problems(batcher.take_problems(), run_id=run_id)
    finally:
        summary.finished = time.monotonic()
    if progress is not None:
        progress(summary)
    return summary
