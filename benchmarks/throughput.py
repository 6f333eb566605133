"""Throughput against the parser's own limit: how close does polevents come to bare spaCy?

    .venv/bin/python benchmarks/throughput.py                       # ../shared/eval/corpus, else samples x40
    .venv/bin/python benchmarks/throughput.py my.jsonl --repeat 3   # best of 3 per mode
    .venv/bin/python benchmarks/throughput.py --modes bare code ingest --profile ingest

Every mode runs in a child process on the same documents (read once, written to one JSONL
file) and reports documents/s, words/s and events/s, and the peak memory of the child and
everything it started (worker processes included), sampled with psutil, plus the child's own
ru_maxrss. Loading the model and starting worker processes or a cluster happen before the clock
starts (their time is shown apart), so every figure is steady-state coding speed:

    bare        spaCy alone: spacy.load(model).pipe(texts) in one process (the parser's limit)
    bare-all    spaCy alone with n_process = all cores (the parser's limit on this machine)
    code        polevents coding without storage: language check + parse + coding (code_batch)
    ingest      the full ingest into a fresh DuckDB file, one process (`--workers 1`)
    ingest-all  the full ingest with a process per core (`--workers N`, the default)
    dask-1      `--cluster local:1`: Dask, 1 worker, Parquet by month then DuckDB
    dask-2      `--cluster local:2`: Dask, 2 workers

Ratios are to `bare` measured in the same run. --profile MODE runs that mode under cProfile and
prints where the time goes, grouped by stage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "eval" / "corpus"
MODES = ["bare", "bare-all", "code", "ingest", "ingest-all", "dask-1", "dask-2"]
BATCH, NLP_BATCH = 256, 32  # the ingest's defaults; 32 is also spaCy's fastest batch here (256 is 10% slower)


# ----- the corpus ---------------------------------------------------------------------------------------
def prepare(sources: list[str], folder: Path, copies: int) -> Path:
    """One JSONL file of the documents the readers make of `sources` (the same input for every mode)."""
    from polevents.documents import Document
    from polevents.sources import read_sources

    documents = [d for d in read_sources(sources) if isinstance(d, Document)]
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for d in documents:
                text = d.text if copies == 1 else f"{d.text}\n\n(Copy {copy + 1}.)"  # new text: not a duplicate
                out.write(json.dumps({"doc_id": f"{d.doc_id}#{copy}" if copies > 1 else d.doc_id, "text": text,
                                      "published": d.published.isoformat() if d.published else None,
                                      "title": d.title, "url": d.url, "source": d.source}) + "\n")
    return path


# ----- one mode, in a child process ---------------------------------------------------------------------
def _documents(path: Path):
    from polevents.documents import Document
    from polevents.sources import read_sources

    return [d for d in read_sources([path]) if isinstance(d, Document)]


def run_mode(mode: str, corpus: Path, workdir: Path) -> dict:
    """Measure one mode here (the child); returns counts, timed seconds and set-up seconds."""
    started = time.perf_counter()
    documents = _documents(corpus)
    words = sum(len(d.text.split()) for d in documents)
    result = {"mode": mode, "documents": len(documents), "words": words, "events": 0}
    cores = len(os.sched_getaffinity(0))
    if mode in ("bare", "bare-all"):
        import spacy

        from polevents.nlp import DEFAULT_MODEL

        nlp = spacy.load(os.environ.get("POLEVENTS_MODEL") or DEFAULT_MODEL)
        nlp.max_length = max(nlp.max_length, 2_000_000)
        texts = [d.text for d in documents]
        list(nlp.pipe(texts[:8]))  # warm up
        result["setup"] = time.perf_counter() - started
        clock, cpu = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, batch_size=NLP_BATCH, n_process=cores if mode == "bare-all" else 1):
            pass
        result["seconds"] = time.perf_counter() - clock
        result["cpu_seconds"] = time.process_time() - cpu if mode == "bare" else None
        return result
    if mode == "code":
        from polevents.coder import Coder
        from polevents.store.coding import CODED, code_batch

        coder = Coder()
        code_batch(coder, documents[:8])  # warm up (kept out of the count)
        result["setup"] = time.perf_counter() - started
        clock, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(documents), BATCH):
            for outcome in code_batch(coder, documents[start:start + BATCH], nlp_batch_size=NLP_BATCH):
                result["events"] += len(outcome.events) if outcome.status == CODED else 0
        result["seconds"] = time.perf_counter() - clock
        result["cpu_seconds"] = time.process_time() - cpu
        return result
    # the full ingest: reading the JSONL file, dedup against the database, coding, writing, clusters
    from polevents.sources import read_sources
    from polevents.store.db import Store
    from polevents.store.ingest import ingest

    store = Store(workdir / f"{mode}.duckdb")
    sink = store
    if mode == "ingest":
        from polevents.coder import Coder
        from polevents.store.coding import LocalExecutor, code_batch

        coder = Coder()
        code_batch(coder, documents[:2])
        executor = LocalExecutor(coder, nlp_batch_size=NLP_BATCH)
    elif mode == "ingest-all":
        from polevents.store.coding import ProcessExecutor

        executor = ProcessExecutor(cores, nlp_batch_size=NLP_BATCH)
        pool = executor._start()
        pool.map(time.sleep, [1.0] * cores, chunksize=1)  # every worker has run its initializer (the model)
    else:
        from polevents.distributed import DaskExecutor
        from polevents.store.parquet import ParquetSink, ParquetThenStore

        executor = DaskExecutor(f"local:{mode.split('-')[1]}", nlp_batch_size=NLP_BATCH)
        executor.start()  # workers started, Coder loaded by the plugin
        sink = ParquetThenStore(ParquetSink(workdir / f"{mode}-parquet"), store)
    del documents
    result["setup"] = time.perf_counter() - started
    clock, cpu = time.perf_counter(), time.process_time()
    summary = ingest(read_sources([corpus]), sink, executor, batch_size=BATCH)
    result["seconds"] = time.perf_counter() - clock
    result["cpu_seconds"] = time.process_time() - cpu if mode == "ingest" else None  # others: the work is elsewhere
    executor.close()
    result["events"] = summary.events
    result["coded"] = summary.coded
    result["database"] = store.counts()
    store.close()
    return result


def child_main(mode: str, corpus: Path, workdir: Path, out: Path, profile: bool) -> None:
    import resource

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        result = run_mode(mode, corpus, workdir)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.dump_stats(str(out.with_suffix(".prof")))
    else:
        result = run_mode(mode, corpus, workdir)
    result["self_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out.write_text(json.dumps(result))


def measure(mode: str, corpus: Path, workdir: Path, profile: bool = False) -> dict:
    """Run one mode in a child process, sampling the memory of its whole process tree."""
    import psutil

    out = workdir / f"{mode}.json"
    command = [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--workdir", str(workdir),
               "--out", str(out)] + (["--child-profile"] if profile else [])
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]  # the tree's total RSS, the largest process
    stop = threading.Event()

    def sample() -> None:
        try:
            parent = psutil.Process(child.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            total, largest = 0, 0
            try:
                processes = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for process in processes:
                try:
                    rss = process.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                total += rss
                largest = max(largest, rss)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"mode {mode} failed:\n{stderr[-3000:]}")
    result = json.loads(out.read_text())
    result["tree_peak_mb"] = peak[0] / 2**20
    result["largest_process_mb"] = peak[1] / 2**20
    return result


# ----- the report -----------------------------------------------------------------------------------------
def report(results: dict[str, dict], corpus_label: str) -> str:
    base = results.get("bare")
    lines = [f"corpus: {corpus_label}",
             f"{'mode':<11} {'docs':>6} {'words':>8} {'events':>6} {'set-up s':>8} {'seconds':>8} "
             f"{'docs/s':>8} {'words/s':>8} {'events/s':>8} {'vs bare':>7} {'CPU s':>7} {'vs bare':>7} {'peak MB':>8} "
             f"{'max proc':>8}"]
    for mode, r in results.items():
        rate = r["documents"] / r["seconds"]
        ratio = f"{rate / (base['documents'] / base['seconds']):.2f}" if base else "-"
        cpu = r.get("cpu_seconds")
        cpu_ratio = f"{base['cpu_seconds'] / cpu:.2f}" if cpu and base and base.get("cpu_seconds") else "-"
        lines.append(f"{mode:<11} {r['documents']:>6,} {r['words']:>8,} {r['events']:>6,} {r['setup']:>8.1f} "
                     f"{r['seconds']:>8.2f} {rate:>8.1f} {r['words'] / r['seconds']:>8,.0f} "
                     f"{r['events'] / r['seconds']:>8.1f} {ratio:>7} {cpu or 0:>7.2f} {cpu_ratio:>7} {r['tree_peak_mb']:>8,.0f} "
                     f"{r['largest_process_mb']:>8,.0f}")
    if "dask-1" in results and "dask-2" in results:
        lines.append(f"Dask speed-up from 1 to 2 workers: "
                     f"{results['dask-1']['seconds'] / results['dask-2']['seconds']:.2f}x")
    if "ingest" in results and "ingest-all" in results:
        lines.append(f"ingest speed-up from 1 process to all cores: "
                     f"{results['ingest']['seconds'] / results['ingest-all']['seconds']:.2f}x")
    if "bare" in results and "bare-all" in results:
        lines.append(f"bare spaCy speed-up from 1 process to all cores: "
                     f"{results['bare']['seconds'] / results['bare-all']['seconds']:.2f}x")
    lines.append("vs bare = documents/s over bare spaCy's (one process), by wall time, then by CPU time of the "
                 "one process (steadier on a shared machine; single-process modes only); peak MB = the child and "
                 "all it started (workers, scheduler), sampled every 50 ms; max proc = the largest single process")
    return "\n".join(lines)


def profile_report(path: Path, top: int = 25) -> str:
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stats.sort_stats("cumulative").print_stats(top)
    totals = {}
    for (filename, line, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = f"{filename}:{line}({name})"
        totals[key] = cumulative
    wanted = {
        "spaCy pipeline (nlp.pipe: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)":
            ("spacy/language.py", "(pipe)"),
        "coding of parsed docs (Coder.code_parsed)": ("polevents/coder.py", "(code_parsed)"),
        "  actors (ActorResolver.start + observe_sentence)": ("actors/resolve.py", "(observe_sentence)"),
        "  clauses -> events (SentenceCoder.code)": ("events/assemble.py", "(code)"),
        "language check (detect_language)": ("polevents/language.py", "(detect_language)"),
        "events -> records (Event.to_dict)": ("polevents/record.py", "(to_dict)"),
        "database writes (Store.write_batch)": ("store/db.py", "(write_batch)"),
        "Parquet writes (ParquetSink.write_batch)": ("store/parquet.py", "(write_batch)"),
        "reading + batching + dedup (ingest batches)": ("store/ingest.py", "(batches)"),
    }
    lines = ["where the time goes (cumulative seconds; nested lines are part of the line above):"]
    for label, (file_part, name_part) in wanted.items():
        found = [v for k, v in totals.items() if file_part in k and k.endswith(name_part)]
        if found:
            lines.append(f"  {label:<86} {max(found):8.2f}")
    return "\n".join(lines) + "\n\n" + stream.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*", help="files or folders (default: ../shared/eval/corpus, else the "
                                                  "bundled samples repeated)")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=MODES)
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode, interleaved; the fastest is kept")
    parser.add_argument("--copies", type=int, default=None, help="repeat the corpus (new texts) this many times")
    parser.add_argument("--profile", choices=MODES, default=None, help="also profile this mode (cProfile)")
    parser.add_argument("--json", type=Path, default=None, help="write the results as JSON here")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", dest="child_corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.child_corpus, args.workdir, args.out, args.child_profile)
        return
    if args.corpus:
        sources, copies, label = args.corpus, args.copies or 1, " ".join(args.corpus)
    elif SHARED_CORPUS.exists():
        sources, copies, label = [str(SHARED_CORPUS)], args.copies or 1, str(SHARED_CORPUS)
    else:
        sources = [str(ROOT / "samples" / "news"), str(ROOT / "samples" / "wire.jsonl")]
        copies = args.copies or 40
        label = f"bundled samples x{copies}"
    with tempfile.TemporaryDirectory(prefix="polevents-bench-") as folder:
        workdir = Path(folder)
        corpus = prepare(sources, workdir, copies)
        best: dict[str, dict] = {}
        for run in range(args.repeat):
            for mode in args.modes:
                for stale in workdir.glob(f"{mode}.duckdb*"):
                    stale.unlink()
                if (workdir / f"{mode}-parquet").exists():
                    import shutil

                    shutil.rmtree(workdir / f"{mode}-parquet")
                result = measure(mode, corpus, workdir)
                print(f"  run {run + 1} {mode}: {result['seconds']:.2f} s, peak {result['tree_peak_mb']:,.0f} MB",
                      file=sys.stderr, flush=True)
                if mode not in best or result["seconds"] < best[mode]["seconds"]:
                    best[mode] = result
        print(report(best, label + f" ({cores_note()})"))
        if args.json:
            args.json.write_text(json.dumps(best, indent=2))
        if args.profile:
            for stale in workdir.glob(f"{args.profile}.duckdb*"):
                stale.unlink()
            measure(args.profile, corpus, workdir, profile=True)
            print()
            print(profile_report(workdir / f"{args.profile}.prof"))


def cores_note() -> str:
    return f"{len(os.sched_getaffinity(0))} cores, {os.cpu_count()} CPUs"


if __name__ == "__main__":
    main()
