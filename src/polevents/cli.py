"""The `polevents` command line."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date

import click

from polevents.documents import Document, Skipped, read_inputs
from polevents.options import date_option


class _Reporter:
    """Messages about skipped inputs, to stderr, in words a person can act on."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.skipped: Counter[str] = Counter()

    def skip(self, item: Skipped) -> None:
        self.skipped[item.reason] += 1
        if not self.quiet:
            click.echo(f"polevents: skipped {item.origin}: {item.message} [{item.reason}]", err=True)

    def fail(self, document: Document, reason: str, message: str) -> None:
        """A document read but given up while coding (a time limit, memory): counted, and said."""
        self.skipped[reason] += 1
        if not self.quiet:
            click.echo(f"polevents: skipped {document.origin or document.doc_id}: {message} [{reason}]", err=True)

    def note(self, document: Document) -> None:
        if not self.quiet:
            for note in document.notes:
                click.echo(f"polevents: {document.origin or document.doc_id}: {note}", err=True)


class _Commands(click.Group):
    """The `polevents` group. An unexpected exception in any command becomes one line on stderr that says
    what happened and what to do, and exit status 1; `polevents --debug ...` shows the traceback instead."""

    def invoke(self, ctx: click.Context):
        from polevents import limits

        debug = bool(ctx.params.get("debug"))
        limits.set_debug(debug)
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise  # click prints these itself (a closed pipe, as in `polevents code x | head`, quietly)
        except Exception as error:
            if debug:
                raise
            raise click.ClickException(_unexpected(error, ctx.invoked_subcommand)) from None


def _unexpected(error: Exception, command: str | None) -> str:
    """One line for an exception nobody expected: what, where, and what the user can do."""
    from polevents.limits import failure_of

    name = f"polevents {command}" if command else "polevents"
    if isinstance(error, MemoryError):
        return (f"{name} ran out of memory; lower POLEVENTS_MAX_CHARS (text coded per document) or "
                "--batch-size, or code fewer inputs at a time")
    text = failure_of(error).message.removesuffix(
        " (a bug in polevents: run with --debug and report it with the document)")
    advice = f"Run `polevents --debug {command or ''} ...` to see the traceback, and report it with the input."
    if command == "ingest":
        advice = "What was committed is kept: the same command goes on from there. " + advice
    return f"{name} stopped on an unexpected error: {text}. {advice}"


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="polevents")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """polevents: who did what to whom, when and where, from the news (CAMEO and PLOVER events)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default=None,
              help="table: one readable line per event (default on a terminal); jsonl: the full event record.")
@click.option("--published", callback=date_option, metavar="YYYY-MM-DD",
              help="Publication date of the inputs (else read from each document or its text).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra actors file (YAML, docs/knowledge-base.md), merged over the built-in one. Repeatable.")
@click.option("--patterns", "pattern_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra verb/noun patterns file (YAML, docs/patterns.md). Repeatable.")
@click.option("--all", "include_all", is_flag=True, help="Table: also show negated and hypothetical events.")
@click.option("-q", "--quiet", is_flag=True, help="Do not report skipped inputs.")
@click.pass_context
def code(ctx, paths, fmt, published, actor_files, pattern_files, include_all, quiet):
    """Code news into events and print them.

    PATHS are .txt, .html or .jsonl files, folders of them, or - for stdin.
    A .jsonl file holds one document per line: {"doc_id", "text", "published", "title", "url"}.

    \b
    Examples:
      polevents code article.txt
      polevents code --format jsonl --published 2012-06-06 article.html > events.jsonl
      cat news.jsonl | polevents code -
    """
    from polevents.formats import write_jsonl, write_table

    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    reporter = _Reporter(quiet)
    coder = _make_coder(ctx, actor_files, pattern_files)
    documents_read = 0
    events_found = 0

    def documents():
        nonlocal documents_read
        for item in read_inputs(paths, published=published):
            if isinstance(item, Skipped):
                reporter.skip(item)
                continue
            documents_read += 1
            reporter.note(item)
            yield item

    progress = _progress(enabled=sys.stderr.isatty() and not quiet)
    with progress as bar:
        task = bar.add_task("coding", total=None) if bar else None
        for document, events in _code_each(ctx, coder, documents(), reporter):
            if bar:
                bar.update(task, advance=1, description=f"coding · {events_found} events")
            if fmt == "jsonl":
                events_found += write_jsonl(events, sys.stdout)
            else:
                title = f"{document.doc_id}" + (f" · published {document.published}" if document.published else
                                                " · publication date unknown")
                events_found += write_table(events, sys.stdout, include_all=include_all, title=title)
    if documents_read == 0:
        click.echo("polevents: nothing could be read from the input(s); see the messages above", err=True)
        sys.exit(1)
    if not quiet:
        skipped = sum(reporter.skipped.values())
        click.echo(f"polevents: {documents_read} document(s) coded, {events_found} event(s)"
                   + (f", {skipped} input(s) skipped" if skipped else ""), err=True)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("predicted", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--show-errors", type=int, default=0, metavar="N", help="Also print N missed and N extra events.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 if lenient F1 is below this.")
@click.pass_context
def evaluate(ctx, gold, predicted, as_json, show_errors, min_f1):
    """Score events against a gold-standard file (lenient and strict P/R/F1, per CAMEO root).

    GOLD is JSONL, one document per line with its "events"; PREDICTED is JSONL of
    coded events (the output of `polevents code --format jsonl`). Without
    PREDICTED, the gold documents are coded now and scored.
    """
    import json as jsonlib

    from polevents.evaluate import format_report, read_jsonl, score

    try:
        gold_documents = read_jsonl(gold)
        if predicted:
            predictions = read_jsonl(predicted)
        else:
            from polevents.documents import read_inputs as read

            coder = _make_coder(ctx)
            docs = (d for d in read([gold]) if isinstance(d, Document))
            predictions = [e.to_dict() for _, events in _code_each(ctx, coder, docs, _Reporter()) for e in events]
    except (ValueError, OSError) as error:
        raise click.ClickException(f"cannot read the input: {error}") from None
    lenient, strict = score(gold_documents, predictions, strict=False), score(gold_documents, predictions, strict=True)
    if as_json:
        click.echo(jsonlib.dumps({"lenient": lenient.summary(), "strict": strict.summary()}, indent=2))
    else:
        click.echo(format_report(lenient, strict))
        for label, items in (("missed", lenient.missed), ("extra", lenient.extra)):
            for doc_id, event in items[:show_errors]:
                shown = {k: event.get(k) for k in ("source", "target", "cameo", "plover", "evidence", "note")
                         if event.get(k) is not None}
                click.echo(f"{label} {doc_id}: {jsonlib.dumps(shown, ensure_ascii=False)[:400]}")
    if min_f1 is not None and lenient.f1 < min_f1:
        click.echo(f"lenient F1 {lenient.f1:.3f} is below {min_f1}", err=True)
        sys.exit(1)


@main.group()
def actors() -> None:
    """Look up actors in the knowledge base."""


@actors.command("resolve")
@click.argument("text")
@click.option("--date", "when", callback=date_option, metavar="YYYY-MM-DD",
              help="Resolve at this date (roles held then); default: today's roles.")
@click.option("--context", default=None, help="Text that comes before the phrase (e.g. the article so far).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra actors file (YAML), merged over the built-in one. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def actors_resolve(ctx, text, when, context, actor_files, fmt):
    """Resolve TEXT ("Foreign Minister Sergei Lavrov", "the Kremlin", "Pakistani army spokesman") to actors.

    \b
    Examples:
      polevents actors resolve "Putin" --date 2010-01-01 --format json
      polevents actors resolve "the foreign ministry" --context "BEIJING, China - ..."
    """
    import json as jsonlib

    from polevents.actors.lookup import resolve_phrase

    coder = _make_coder(ctx, actor_files)
    found = resolve_phrase(coder.nlp, coder.resolver, text, when or date.today(), context)
    if fmt == "json":
        click.echo(jsonlib.dumps([r.to_dict() for r in found] if len(found) != 1 else found[0].to_dict(),
                                 ensure_ascii=False, indent=2) if found else "null")
    else:
        for r in found:
            a = r.actor
            role = ""
            if a.role:
                span = f"{r.role_since or '?'} to {r.role_until or 'now'}"
                role = f", {a.role} ({span})"
            click.echo(f"{a.code}  {a.name or a.text}{role}  [{r.how}{', ' + a.kb_id if a.kb_id else ''}]")
    if not found:
        click.echo(f"polevents: {text!r} is not an actor the knowledge base knows or can compose "
                   "(add it with --actors, see docs/knowledge-base.md)", err=True)
        sys.exit(1)


def _code_each(ctx, coder, documents, reporter: _Reporter):
    """(document, events) for each document; one that cannot be coded within the limits (POLEVENTS_TIME_LIMIT,
    memory) is reported and left out, and the rest go on. With --debug, the first failure stops with its
    traceback."""
    from polevents.limits import GuardedCoder, guarded

    limited = guarded(coder)
    if ctx.obj.get("debug") or not isinstance(limited, GuardedCoder):
        yield from coder.code_documents(documents)
        return
    for result in limited.code_each(documents):
        if result.failure is None:
            yield result.document, result.events
        else:
            reporter.fail(result.document, result.failure.reason, result.failure.message)


def _make_coder(ctx, actor_files=(), pattern_files=()):
    from polevents.actions.patterns import PatternError
    from polevents.actors.kb import KnowledgeBaseError
    from polevents.coder import Coder
    from polevents.nlp import ModelNotInstalled

    try:
        return Coder(actors=actor_files, patterns=pattern_files)
    except (KnowledgeBaseError, PatternError, ModelNotInstalled) as error:
        if ctx.obj.get("debug"):
            raise
        raise click.ClickException(str(error)) from None


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress(enabled: bool):
    if not enabled:
        return _NoProgress()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), transient=True, redirect_stdout=False, redirect_stderr=False)


# the database commands (src/polevents/store/commands.py)
from polevents.store.commands import dyad, events, export, ingest  # noqa: E402

main.add_command(ingest)
main.add_command(events)
main.add_command(dyad)
main.add_command(export)
from polevents.web.command import serve  # noqa: E402  (src/polevents/web/command.py)

main.add_command(serve)


if __name__ == "__main__":  # pragma: no cover
    main()
