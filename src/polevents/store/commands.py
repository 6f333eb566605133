"""The database commands of `polevents`: ingest, events, dyad, export (registered in cli.py)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import click

from polevents.options import date_option
from polevents.store.db import DEFAULT_BATCH, DEFAULT_DB

DB_OPTION = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, envvar="POLEVENTS_DB",
                         type=click.Path(dir_okay=False),
                         help="The DuckDB database file (or set POLEVENTS_DB).")


def _filter_options(function):
    options = [
        click.option("--source", metavar="CODE", help="Source actor: a CAMEO code prefix or a country (RUS, USAGOV)."),
        click.option("--target", metavar="CODE", help="Target actor: a CAMEO code prefix or a country."),
        click.option("--root", metavar="NN", help="CAMEO root code (01-20), e.g. 04 for consultations."),
        click.option("--code", "cameo", metavar="CODE", help="CAMEO event code prefix, e.g. 042."),
        click.option("--since", callback=date_option, metavar="YYYY-MM-DD", help="Events on or after this day."),
        click.option("--until", callback=date_option, metavar="YYYY-MM-DD", help="Events on or before this day."),
        click.option("--modality", "modalities", multiple=True,
                     type=click.Choice(["asserted", "negated", "future", "hypothetical"]),
                     help="Only these modalities (repeatable)."),
        click.option("--all", "all_modalities", is_flag=True,
                     help="All modalities (asserted, negated, future, hypothetical)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _filters(source, target, root, cameo, since, until, modalities, all_modalities, default=("asserted",)):
    from polevents.store.queries import Filters, QueryError

    chosen: tuple[str, ...] | None
    if all_modalities:
        chosen = None
    elif modalities:
        chosen = tuple(modalities)
    else:
        chosen = default
    try:
        return Filters(source=source, target=target, root=root, code=cameo, since=since, until=until,
                       modalities=chosen)
    except QueryError as error:
        raise click.UsageError(str(error)) from None


def _open(db_path: str, *, read_only: bool):
    from polevents.store.db import Store, StoreError

    try:
        return Store(db_path, read_only=read_only)
    except StoreError as error:
        raise click.ClickException(str(error)) from None


# ----- ingest ---------------------------------------------------------------------------------------------
class _ProgressView:
    """A rich progress line (documents/s, events found) or plain lines, from the ingest's summary."""

    def __init__(self, mode: str):
        self.mode = mode
        self.progress = None
        self.task = None
        self.last_line = 0

    def __enter__(self):
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
                                     console=Console(stderr=True), transient=True)
            self.progress.__enter__()
            self.task = self.progress.add_task("ingesting", total=None)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.__exit__(*exc)
        return False

    @staticmethod
    def describe(summary) -> str:
        seconds = max(summary.seconds, 1e-9)
        skipped = sum(summary.skipped.values())
        parts = [f"{summary.read:,} read", f"{summary.coded:,} coded", f"{summary.coded / seconds:.1f} docs/s",
                 f"{summary.events:,} events"]
        if summary.already:
            parts.append(f"{summary.already:,} already in db")
        if skipped:
            parts.append(f"{skipped:,} skipped")
        if summary.failed:
            parts.append(f"{sum(summary.failed.values()):,} failed")
        return " · ".join(parts)

    def update(self, summary) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=self.describe(summary))

    def batch(self, summary) -> None:
        if self.mode == "lines":
            click.echo(f"polevents: committed batch {summary.written_batches}: {self.describe(summary)}", err=True)


def _print_summary(summary, store, db_path: str) -> None:
    data = summary.as_dict()
    seconds = data["seconds"]

    def reasons(counter) -> str:
        return " · ".join(f"{reason} {count:,}" for reason, count in counter.most_common())

    skipped = sum(summary.skipped.values())
    failed = sum(summary.failed.values())
    lines = [
        f"polevents: ingest into {db_path} finished in {seconds:.1f} s",
        f"  read      {summary.read:>8,} documents",
        f"  already   {summary.already:>8,} in the database (same text or URL), not coded again",
        f"  coded     {summary.coded:>8,} documents, {summary.events:,} events "
        f"({data['documents_per_second']:.1f} documents/s, {data['events_per_second']:.1f} events/s)",
        f"  skipped   {skipped:>8,}" + (f"  {reasons(summary.skipped)}" if skipped else ""),
        f"  failed    {failed:>8,}" + (f"  {reasons(summary.failed)}" if failed else ""),
    ]
    if summary.renamed:
        lines.append(f"  renamed   {summary.renamed:>8,} documents whose id another text had (stored as id~hash)")
    counts = store.counts()
    lines.append(f"  database  {counts['documents']:,} documents · {counts['events']:,} event reports · "
                 f"{counts['clusters']:,} distinct events")
    if skipped or failed:
        lines.append("  (why each input was skipped or failed: the `problems` and `documents` tables)")
    click.echo("\n".join(lines), err=True)


_SAID_ERRORS = {"KnowledgeBaseError", "PatternError", "ModelNotInstalled", "ClusterError"}


def default_parquet_folder(db_path: str) -> str:
    """Where --cluster writes its Parquet when no --parquet is given: beside the database."""
    path = Path(db_path)
    return str(path.with_name(path.stem + "-parquet"))


def _print_parquet_summary(summary, sink, folder: str) -> None:
    data = summary.as_dict()
    counts = sink.counts()
    click.echo(f"polevents: ingest into {folder}/ finished in {data['seconds']:.1f} s: {summary.read:,} read, "
               f"{summary.already:,} already there, {summary.coded:,} coded ({data['documents_per_second']:.1f} "
               f"documents/s), {summary.events:,} events, {sum(summary.skipped.values()):,} skipped, "
               f"{sum(summary.failed.values()):,} failed\n"
               f"  folder    {counts['documents']:,} documents · {counts['events']:,} event reports "
               f"(events/month=YYYY-MM/*.parquet); load it with `polevents ingest --parquet {folder} --db FILE`",
               err=True)


@click.command()
@click.argument("sources", nargs=-1)
@DB_OPTION
@click.option("--published", callback=date_option, metavar="YYYY-MM-DD",
              help="Publication date of the inputs (else read from each document, feed item or its text).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra actors file (YAML), merged over the built-in one. Repeatable.")
@click.option("--patterns", "pattern_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra verb/noun patterns file (YAML). Repeatable.")
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1, 100_000),
              help="Documents per transaction (a crash loses at most one batch of work).")
@click.option("--workers", default=None, type=click.IntRange(1, 256),
              help="Coding processes on this machine (each loads the model once). Default: all its cores; "
                   "an input under about 200,000 characters is coded in this process, without start-up.")
@click.option("--cluster", metavar="ADDRESS",
              help="Code on a Dask cluster: local[:N] (N worker processes here), tcp://HOST:PORT or a "
                   "scheduler file. Events go to Parquet (--parquet) and then into the database.")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False),
              help="Also write every batch as Parquet into this folder (events partitioned by month), then "
                   "into the database; batches the folder has and the database lacks are loaded first. "
                   "With no SOURCES: only load the folder. Default with --cluster: <db>-parquet beside --db.")
@click.option("--parquet-only", is_flag=True,
              help="Write the Parquet folder only, not the database (for a warehouse; resumable the same way).")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds to wait for a web server.")
@click.option("--per-host", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Requests to one host at the same time.")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0, 600),
              help="Seconds between two requests to the same host (robots.txt may ask for more).")
@click.option("--user-agent", default=None, help="User-Agent header for fetching (default names polevents).")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages even where robots.txt says not to.")
@click.option("--retry-failed", is_flag=True, help="Code again the documents whose coding failed before.")
@click.option("--progress", "progress_mode", type=click.Choice(["auto", "bar", "lines", "none"]), default="auto",
              show_default=True, help="auto: a bar on a terminal, nothing otherwise; lines: one line per batch.")
@click.option("-v", "--verbose", is_flag=True, help="Print every skipped input with its reason.")
@click.pass_context
def ingest(ctx, sources, db_path, published, actor_files, pattern_files, batch_size, workers, cluster, parquet_dir,
           parquet_only, timeout, per_host, delay, user_agent, ignore_robots, retry_failed, progress_mode, verbose):
    """Code news into a DuckDB database, skipping what it already holds.

    SOURCES are .txt/.html/.jsonl files, folders, RSS/Atom feeds (files or URLs; each item's page is
    fetched politely), web page URLs, WARC/WARC.gz files (HTML responses), or - for stdin.
    Safe to stop at any time and run again: it goes on where it stopped.

    \b
    Examples:
      polevents ingest news/
      polevents ingest --db world.duckdb https://example.org/world/rss.xml
      polevents ingest CC-NEWS-20240101000000-00001.warc.gz
      polevents ingest --cluster local:4 --parquet events-parquet/ news/
      polevents ingest --cluster tcp://scheduler:8786 --parquet-only --parquet /shared/ccnews/ *.warc.gz
    """
    from polevents.documents import Skipped
    from polevents.sources import FetchOptions, SourceReader
    from polevents.store.coding import AutoExecutor, LocalExecutor, default_workers
    from polevents.store.ingest import ingest as run_ingest
    from polevents.store.parquet import ParquetError, ParquetSink, ParquetThenStore, load_parquet

    if parquet_only or cluster:
        parquet_dir = parquet_dir or default_parquet_folder(db_path)
    if not sources and not (parquet_dir and not parquet_only):
        raise click.UsageError("give SOURCES to code (or --parquet FOLDER alone to load a Parquet folder)")
    if parquet_only and retry_failed:
        raise click.UsageError("--retry-failed works on the database; leave out --parquet-only")
    if cluster:
        from polevents.distributed import ClusterError, parse_cluster

        try:
            parse_cluster(cluster)
        except ClusterError as error:
            raise click.UsageError(str(error)) from None
    if cluster and workers:
        click.echo("polevents: --workers is for this machine; with --cluster the cluster's workers code", err=True)
    fetch = FetchOptions(timeout=timeout, per_host=per_host, delay=delay, robots=not ignore_robots,
                         **({"user_agent": user_agent} if user_agent else {}))
    store = None if parquet_only else _open(db_path, read_only=False)
    folder = None
    executor = None
    try:
        if parquet_dir:
            try:
                folder = ParquetSink(parquet_dir)
            except (ParquetError, OSError) as error:
                raise click.ClickException(str(error)) from None
        if store is not None:
            unfinished = store.unfinished_runs()
            if unfinished:
                click.echo(f"polevents: {len(unfinished)} earlier ingest(s) into {db_path} did not finish; "
                           "their committed batches are kept and the rest is coded now", err=True)
        if store is not None and folder is not None:
            run_id = store.start_run("load-parquet", [str(parquet_dir)])
            loaded = load_parquet(parquet_dir, store, run_id=run_id)
            store.finish_run(run_id, {"batches": loaded.batches, "documents": loaded.documents,
                                      "events": loaded.events, "already_in_database": loaded.already})
            if loaded.documents:
                click.echo(f"polevents: loaded {loaded.documents:,} documents and {loaded.events:,} events from "
                           f"{loaded.batches:,} batches of {parquet_dir} that {db_path} did not have yet", err=True)
            if not sources:
                counts = store.counts()
                click.echo(f"polevents: {db_path} has {counts['documents']:,} documents · {counts['events']:,} "
                           f"event reports · {counts['clusters']:,} distinct events", err=True)
                return
        if retry_failed and store is not None:
            click.echo(f"polevents: {store.forget_failed()} failed document(s) will be tried again", err=True)
        sink: Any = store if folder is None else folder if store is None else ParquetThenStore(folder, store)

        def make_coder():
            from polevents.cli import _make_coder

            return _make_coder(ctx, actor_files, pattern_files)

        if cluster:
            from polevents.distributed import DaskExecutor

            executor = DaskExecutor(cluster, coder_files=DaskExecutor.files_for(actor_files, pattern_files))
        elif (workers or default_workers()) == 1:
            executor = LocalExecutor(factory=make_coder)
        else:
            executor = AutoExecutor(workers or default_workers(), factory=make_coder,
                                    coder_options={"actors": tuple(actor_files), "patterns": tuple(pattern_files)})
        reader = SourceReader(published=published, fetch=fetch,
                              skip_url=store.has_url if store is not None else None)

        def items() -> Iterable[Any]:
            for item in reader.read(sources):
                if verbose and isinstance(item, Skipped):
                    view_echo(f"polevents: skipped {item.origin}: {item.message} [{item.reason}]")
                yield item

        if progress_mode == "auto":
            progress_mode = "bar" if sys.stderr.isatty() else "none"
        run_id = store.start_run("ingest", [str(s) for s in sources]) if store is not None else None
        with _ProgressView(progress_mode) as view:
            def view_echo(text: str) -> None:
                if view.progress is not None:
                    view.progress.console.print(text, markup=False, highlight=False)
                else:
                    click.echo(text, err=True)

            try:
                summary = run_ingest(items(), sink, executor, batch_size=batch_size, run_id=run_id,
                                     progress=view.update, on_batch=view.batch)
            except KeyboardInterrupt:
                if store is not None:
                    store.finish_run(run_id, {"stopped": "interrupted"})
                raise click.ClickException("interrupted; what was committed is kept; run the same command "
                                           "again to go on") from None
            except Exception as error:
                if store is not None:
                    store.finish_run(run_id, {"stopped": f"{type(error).__name__}: {error}"})
                if type(error).__name__ in _SAID_ERRORS and not ctx.obj.get("debug"):
                    # from a worker: a bad --actors/--patterns file, no model, no cluster
                    raise click.ClickException(str(error)) from None
                raise
        if cluster and executor.client is not None:
            from polevents.distributed import describe

            click.echo(f"polevents: coded on the {describe(executor)}", err=True)
            if executor.trimmed_workers:
                click.echo(f"polevents: {len(executor.trimmed_workers)} worker(s) run with MALLOC_TRIM_THRESHOLD_ "
                           "set (Dask's default), which makes coding about 15% slower; see docs/scale-out.md "
                           "(\"Dask's own cost\") to unset it", err=True)
        if store is not None:
            store.finish_run(run_id, summary.as_dict())
            _print_summary(summary, store, db_path)
        else:
            _print_parquet_summary(summary, folder, str(parquet_dir))
        if summary.read == 0 and summary.already == 0:
            click.echo("polevents: nothing could be read from the source(s)", err=True)
            sys.exit(1)
    finally:
        if executor is not None:
            executor.close()
        if folder is not None:
            folder.close()
        if store is not None:
            store.close()


# ----- events ---------------------------------------------------------------------------------------------
def _label(code: str | None, name: str | None) -> str:
    if not code:
        return "-"
    return f"{code} ({name})" if name and name.upper() != code else code


def _cell(text: str, size: int) -> str:
    return (text if len(text) <= size else text[: size - 1] + "…").ljust(size)


def _write_table(rows: list[list[str]], header: list[str], caps: list[int], stream) -> None:
    import shutil

    sizes = [min(cap, max([len(header[i])] + [len(r[i]) for r in rows])) for i, cap in enumerate(caps)]
    width = max(120, shutil.get_terminal_size((160, 24)).columns)

    def line(values: list[str]) -> str:
        fixed = "  ".join(_cell(values[i], sizes[i]) for i in range(len(caps)))
        rest = values[len(caps)] if len(values) > len(caps) else ""
        room = max(20, width - len(fixed) - 2)
        rest = rest if len(rest) <= room else rest[: room - 1] + "…"
        return f"{fixed}  {rest}".rstrip()

    stream.write(line(header) + "\n")
    for row in rows:
        stream.write(line(row) + "\n")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if key == "record" and isinstance(value, str):
            out[key] = json.loads(value)
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


@click.command()
@DB_OPTION
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@click.option("--reports", is_flag=True, help="One row per report (every article's mention) instead of per event.")
@click.option("--limit", type=click.IntRange(0), default=None,
              help="At most this many rows (table default: 50).")
def events(db_path, source, target, root, cameo, since, until, modalities, all_modalities, fmt, reports, limit):
    """Events in the database, newest first: one row per real-world event with how many articles report it.

    Actor codes match a prefix or a country: --source RUS finds RUS, RUSGOV, RUSMIL... Only asserted
    events unless --modality or --all.
    """
    from polevents.store.queries import count_events
    from polevents.store.queries import events as find

    filters = _filters(source, target, root, cameo, since, until, modalities, all_modalities)
    store = _open(db_path, read_only=True)
    try:
        if fmt == "table":
            limit = 50 if limit is None else limit
            rows = list(find(store, filters, reports=reports, limit=limit))
            total = count_events(store, filters, reports=reports)
            table = []
            for row in rows:
                action = f"{row['cameo']} {row['cameo_name']}"
                if row.get("modality") and row["modality"] != "asserted":
                    action += f" ({row['modality']})"
                count = (f"{row.get('event_id')}" if reports else
                         f"{row['num_articles']} art. / {row['num_sources']} src.")
                table.append([str(row.get("event_date") or "?"), _label(row["source_code"], row["source_name"]),
                              action, _label(row["target_code"], row["target_name"]), count,
                              row.get("location_name") or "-", " ".join((row.get("evidence") or "").split())])
            header = ["date", "source", "action", "target", "report" if reports else "reported by", "place",
                      "evidence"]
            _write_table(table, header, [10, 26, 34, 26, 18 if not reports else 28, 14], sys.stdout)
            what = "reports" if reports else "events"
            click.echo(f"# {len(rows)} of {total:,} {what}" + (" (use --limit to see more)"
                                                               if total > len(rows) else ""), err=True)
        elif fmt == "jsonl":
            for row in find(store, filters, reports=reports, limit=limit, with_record=True):
                sys.stdout.write(json.dumps(_jsonable(row), ensure_ascii=False, default=str) + "\n")
        else:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            header_written = False
            for row in find(store, filters, reports=reports, limit=limit):
                if not header_written:
                    writer.writerow(list(row))
                    header_written = True
                writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row.values()])
    finally:
        store.close()


# ----- dyad -----------------------------------------------------------------------------------------------
@click.command()
@click.argument("first")
@click.argument("second")
@DB_OPTION
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="month", show_default=True)
@click.option("--root", metavar="NN", help="Only this CAMEO root code.")
@click.option("--since", callback=date_option, metavar="YYYY-MM-DD")
@click.option("--until", callback=date_option, metavar="YYYY-MM-DD")
@click.option("--all", "all_modalities", is_flag=True, help="Count negated, future and hypothetical events too.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
def dyad(first, second, db_path, by, root, since, until, all_modalities, fmt):
    """How FIRST and SECOND treat each other over time, in both directions.

    Per period: events (reports of the same event counted once) per QuadClass (verbal/material
    cooperation, verbal/material conflict), mean Goldstein, and the articles behind them.

    \b
    Example:  polevents dyad RUS CHN --by year
    """
    from polevents.store.queries import QueryError, undated_count
    from polevents.store.queries import dyad as relations

    filters = _filters(None, None, root, None, since, until, (), all_modalities)
    store = _open(db_path, read_only=True)
    try:
        try:
            rows = relations(store, first, second, by=by, filters=filters)
            undated = undated_count(store, first.upper(), second.upper(), filters)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
        shown = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}[by]
        if fmt == "table":
            table = [[row["period"].strftime(shown), row["direction"], str(row["events"]),
                      str(row["verbal_cooperation"]), str(row["material_cooperation"]),
                      str(row["verbal_conflict"]), str(row["material_conflict"]),
                      f"{row['mean_goldstein']:+.2f}" if row["mean_goldstein"] is not None else "-",
                      str(row["articles"])] for row in rows]
            header = ["period", "direction", "events", "verb.coop", "mat.coop", "verb.confl", "mat.confl",
                      "goldstein", "articles"]
            if table:
                _write_table([r[:-1] + [r[-1]] for r in table], header, [10, 14, 7, 9, 9, 10, 10, 9], sys.stdout)
            totals: dict[str, list[int]] = {}
            for row in rows:
                totals.setdefault(row["direction"], [0, 0])
                totals[row["direction"]][0] += row["events"]
                totals[row["direction"]][1] += row["articles"]
            summary = "; ".join(f"{d}: {n:,} events from {a:,} articles" for d, (n, a) in totals.items())
            click.echo(f"# {first.upper()} <-> {second.upper()} by {by}: " + (summary or "no events")
                       + (f"; {undated:,} undated events left out" if undated else ""), err=True)
        elif fmt == "jsonl":
            for row in rows:
                sys.stdout.write(json.dumps(_jsonable(row)) + "\n")
        else:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            if rows:
                writer.writerow(list(rows[0]))
            for row in rows:
                writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row.values()])
    finally:
        store.close()


# ----- export ---------------------------------------------------------------------------------------------
@click.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["gdelt", "plover", "parquet", "csv"]), required=True,
              help="gdelt: GDELT 2.0 event table (61 tab-separated columns, one row per event); plover: PLOVER "
                   "JSON lines (one per report); parquet: events, clusters and documents tables; csv: one row "
                   "per report.")
@click.option("--output", "-o", type=click.Path(), default=None,
              help="File to write (a folder for parquet); standard output when left out (not for parquet).")
@click.option("--header", is_flag=True, help="gdelt: write the column names first (GDELT's files have none).")
@_filter_options
def export(db_path, fmt, output, header, source, target, root, cameo, since, until, modalities, all_modalities):
    """Export the database for other tools.

    The GDELT export has the asserted events only (GDELT has no negation or modality); use --all to
    include the others. The other formats carry the modality and include every event.
    """
    from polevents.store import exports

    default = ("asserted",) if fmt == "gdelt" else None
    filters = _filters(source, target, root, cameo, since, until, modalities, all_modalities, default=default)
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet needs --output FOLDER")
    store = _open(db_path, read_only=True)
    try:
        if fmt == "parquet":
            counts = exports.export_parquet(store, Path(output), filters)
            click.echo(f"polevents: wrote {', '.join(f'{n:,} {name}' for name, n in counts.items())} "
                       f"to {output}/", err=True)
            return
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
        try:
            if fmt == "gdelt":
                count = exports.export_gdelt(store, stream, filters, header=header)
                message = f"{count:,} events (GDELT 2.0 event table, 61 columns)"
            elif fmt == "plover":
                count, left_out = exports.export_plover(store, stream, filters)
                message = f"{count:,} PLOVER records" + (
                    f"; {left_out:,} reports without a PLOVER event type (CAMEO 01 statements) left out"
                    if left_out else "")
            else:
                count = exports.export_csv(store, stream, filters)
                message = f"{count:,} event reports"
        finally:
            if output:
                stream.close()
        click.echo(f"polevents: wrote {message}" + (f" to {output}" if output else ""), err=True)
    finally:
        store.close()


COMMANDS = [ingest, events, dyad, export]
