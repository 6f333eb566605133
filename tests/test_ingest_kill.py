"""Kill the ingest with SIGKILL at random points, run it again, and get exactly what a clean run gets.

Several hundred short generated documents (with exact duplicates, foreign-language
and empty files among them) are ingested once cleanly. Then the same folder is
ingested into a second database by a process that is SIGKILLed a random time
after a random committed batch, several times over, and finally run to the end.
Every document must be there once, and the events and clusters must equal the
clean run's.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from polevents.store.db import Store

COUNTRIES = ["Russia", "China", "Japan", "France", "Germany", "Iran", "Israel", "India", "Brazil", "Turkey",
             "Egypt", "Ukraine"]
ACTIONS = ["criticized", "condemned", "praised", "threatened", "accused", "met with", "signed an agreement with",
           "rejected a proposal from", "urged", "thanked"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTH_DAYS = list(range(3, 28))


def make_corpus(root: Path, count: int, seed: int) -> int:
    """Write `count` short stories (plus duplicates, foreign and empty files); returns the distinct texts."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    texts = []
    for number in range(count):
        day = rng.choice(MONTH_DAYS)
        sentences = []
        for _ in range(rng.randint(1, 3)):
            a, b = rng.sample(COUNTRIES, 2)
            sentences.append(f"{a} {rng.choice(ACTIONS)} {b} on {rng.choice(DAYS)}.")
        text = f"Published: June {day}, 2012\n\n" + " ".join(sentences) + f" (story {number})\n"
        texts.append(text)
        (root / f"story-{number:04d}.txt").write_text(text, encoding="utf-8")
    for number in range(10):  # the same text under another name: one document
        (root / f"copy-{number}.txt").write_text(texts[number * 7], encoding="utf-8")
    for number in range(4):
        (root / f"french-{number}.txt").write_text(
            f"La Russie a critiqué la Chine mardi au sujet du commerce et de l'énergie ({number}).", encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    return count + 4


def command(db: Path, folder: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "polevents.cli", "ingest", "--db", str(db), "--batch-size", "16", *extra,
            str(folder)]


def snapshot(path: Path) -> dict[str, object]:
    with Store(path, read_only=True) as store:
        con = store.con
        return {
            "documents": sorted(con.execute(
                "SELECT hash, doc_id, status, reason, language, n_events, published FROM documents").fetchall()),
            "events": sorted(con.execute("SELECT event_id, doc_hash, record, cluster_id FROM events").fetchall()),
            "clusters": sorted(con.execute(
                "SELECT cluster_id, representative, num_reports, num_mentions, num_sources, num_articles, event_date,"
                " cameo FROM clusters").fetchall()),
            "duplicates": con.execute(
                "SELECT (SELECT count(*) - count(DISTINCT hash) FROM documents)"
                " + (SELECT count(*) - count(DISTINCT event_id) FROM events)").fetchall()[0][0],
            "unclustered": con.execute("SELECT count(*) FROM events WHERE cluster_id IS NULL").fetchall()[0][0],
        }


def documents_in(path: Path) -> int:
    if not path.exists():
        return 0
    with Store(path, read_only=True) as store:
        return store.counts()["documents"]


def run_and_kill(db: Path, folder: Path, rng: random.Random, env: dict[str, str]) -> str:
    """Start an ingest; SIGKILL it a random time after a random committed batch. Returns what happened."""
    process = subprocess.Popen(command(db, folder, "--progress", "lines"), stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, env=env, text=True)
    target = rng.randint(1, 6)
    committed = threading.Event()
    seen = [0]

    def watch() -> None:
        for line in process.stderr:
            if line.startswith("polevents: committed batch "):
                seen[0] += 1
                if seen[0] >= target:
                    committed.set()
        committed.set()  # the process ended

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    committed.wait(timeout=120)
    time.sleep(rng.uniform(0.0, 0.6))  # somewhere in coding, writing or committing the next batch
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        reader.join(timeout=5)
        return "killed"
    process.wait(timeout=30)
    reader.join(timeout=5)
    return "finished"


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_equals_a_clean_run(tmp_path):
    folder = tmp_path / "news"
    distinct = make_corpus(folder, 360, seed=11)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    clean = tmp_path / "clean.duckdb"
    subprocess.run(command(clean, folder, "--progress", "none"), check=True, env=env, capture_output=True,
                   timeout=600)
    expected = snapshot(clean)
    assert len(expected["documents"]) == distinct  # the copies are the same documents
    assert len(expected["events"]) > 300 and expected["duplicates"] == 0

    resumed = tmp_path / "resumed.duckdb"
    rng = random.Random(int(os.environ.get("POLEVENTS_KILL_SEED", "20120606")))
    partial = []
    for _ in range(5):
        outcome = run_and_kill(resumed, folder, rng, env)
        count = documents_in(resumed)
        if outcome == "killed":
            partial.append(count)
        if count == distinct:
            break
    print("documents after each kill:", partial, "of", distinct)  # shown with -s
    assert len(partial) >= 3, "the ingest should have been killed part-way several times"
    assert any(0 < n < distinct for n in partial)
    final = subprocess.run(command(resumed, folder, "--progress", "none"), env=env, capture_output=True,
                           text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert "did not finish" in final.stderr  # the killed runs are reported
    got = snapshot(resumed)
    assert got["duplicates"] == 0 and got["unclustered"] == 0
    assert got["documents"] == expected["documents"]
    assert got["events"] == expected["events"]
    assert got["clusters"] == expected["clusters"]
    # and a run after that adds nothing
    again = subprocess.run(command(resumed, folder, "--progress", "none"), env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0 and snapshot(resumed) == got
