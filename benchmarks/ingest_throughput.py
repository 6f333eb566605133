"""Ingest throughput: documents/s and events/s of `polevents ingest` on a corpus, into a fresh database.

    .venv/bin/python benchmarks/ingest_throughput.py ../shared/eval/corpus/ag_news_world.jsonl --workers 1 2

Runs the real command (model loading included in the wall time, reported apart) and a
second time on the same database to show what a rerun costs (everything already there).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from polevents.store.db import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.duckdb"
            command = [sys.executable, "-m", "polevents.cli", "ingest", "--db", str(db), "--progress", "none",
                       "--workers", str(workers), "--batch-size", str(args.batch_size), *args.corpus]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - started
            with Store(db, read_only=True) as store:
                summary = json.loads(store.con.execute(
                    "SELECT summary FROM runs ORDER BY run_id DESC LIMIT 1").fetchall()[0][0])
                counts = store.counts()
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, text=True)
            rerun = time.perf_counter() - started
        print(f"workers={workers}: {summary['coded']:,} documents coded, {summary['events']:,} events, "
              f"skipped {summary['skipped']}, failed {summary['failed']}; ingest loop {summary['seconds']:.1f} s = "
              f"{summary['documents_per_second']:.1f} documents/s, {summary['events_per_second']:.1f} events/s; "
              f"wall {wall:.1f} s with start-up ({counts['documents']:,} documents / wall = "
              f"{counts['documents'] / wall:.1f}/s); rerun (nothing new) {rerun:.1f} s; "
              f"{counts['clusters']:,} distinct events")


if __name__ == "__main__":
    main()
