"""Documents and the readers that make them from files, folders, JSONL and stdin.

Every input is untrusted: a reader yields either a `Document` or a `Skipped`
record that says which input, why (a short reason code) and what a person can
do about it. Nothing is dropped silently and no exception escapes a reader for
bad content (docs/robustness.md): JSON lines are read one at a time (a file of
any size, a bad line reported with its number), every text field is made safe
to store (lone surrogates, over-long ids), and the size and time bounds of
`polevents.limits.Limits` apply to every input.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from polevents import limits as _limits
from polevents.datelines import parse_date_text, published_from_text
from polevents.limits import (
    DEFAULT_LIMITS,
    ERROR,
    SKIP,
    TIMEOUT,
    DocumentTimeout,
    Limits,
    call_with_time_limit,
)

TEXT_SUFFIXES = {".txt", ".text", ".md", ".story"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}

# Reasons a document can be skipped; stable strings stored in the database.
EMPTY, BINARY, ENCODING, TOO_LARGE, PARSE_ERROR, NO_TEXT, NOT_FOUND = (
    "empty", "binary", "encoding", "too_large", "parse_error", "no_text", "not_found",
)
# TIMEOUT ("timeout": a page took too long to extract) and ERROR ("error": an unexpected failure while
# reading, a bug) come from polevents.limits.
__all__ = ["BINARY", "DEFAULT_LIMITS", "EMPTY", "ENCODING", "ERROR", "NOT_FOUND", "NO_TEXT", "PARSE_ERROR",
           "TIMEOUT", "TOO_LARGE", "Document", "DocumentError", "Item", "Limits", "Skipped", "decode_bytes",
           "document_from_html", "document_from_text", "document_name", "iter_paths", "parse_published",
           "read_bytes_as", "read_file", "read_inputs", "read_jsonl_lines", "safe_text"]

MAX_ID_CHARS = 200  # a doc_id longer than this is cut and given a hash of the whole (it is a key)
MAX_FIELD_CHARS = 2000  # title, url, source
_HEAD_BYTES = 4096  # read first to tell the kind of an input
_CHUNK = 1 << 20


def safe_text(value: str) -> str:
    """`value` with the lone surrogates that cannot be stored or encoded replaced by "?".

    They come from JSON ("\\ud800") and from file names that are not UTF-8 (Python's surrogateescape);
    DuckDB, spaCy and every encoder reject them.
    """
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def _field(value: Any, limit: int = MAX_FIELD_CHARS) -> str | None:
    """A string field of a record, safe to store and of bounded length; None when not a string."""
    if not isinstance(value, str):
        return None
    value = safe_text(value.strip())[:limit]
    return value or None


@dataclass(slots=True)
class Document:
    doc_id: str
    text: str
    published: date | None = None
    published_from: str | None = None  # option, field, text, html
    title: str | None = None
    url: str | None = None
    source: str | None = None  # the outlet or feed
    origin: str | None = None  # where it was read: "file.jsonl:12"
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # every field is stored and printed: no lone surrogates anywhere (the coder and DuckDB reject them)
        self.text = safe_text(self.text)
        self.doc_id = safe_text(str(self.doc_id))
        for name in ("title", "url", "source", "origin"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, safe_text(value))
        self.notes = [safe_text(str(n)) for n in self.notes]

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that produced no document, and why."""

    origin: str
    reason: str
    message: str
    doc_id: str | None = None

    def __post_init__(self) -> None:
        for name in ("origin", "message", "doc_id"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, safe_text(value))


class DocumentError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


Item = Document | Skipped


def parse_published(value: Any) -> date | None:
    """A publication date from a field value: ISO dates and datetimes, or a written date; None when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC).date() if value > 10_000 else None
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None  # a list, an object: no date
    text = safe_text(value.strip()[:100])  # a date is short; a megabyte "date" is not searched
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = parse_date_text(text)
    if found:
        return found
    for fmt in ("%a, %d %b %Y", "%d %b %Y", "%Y%m%d", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[: len(datetime(2000, 1, 1).strftime(fmt)) + 2].strip(), fmt).date()
        except ValueError:
            continue
    return None


def _binary_message(head: bytes, what: str = "text") -> str:
    if head.startswith(b"\x1f\x8b"):
        return f"the input is gzip-compressed, not {what}; decompress it first (gunzip)"
    if head.startswith((b"PK\x03\x04", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd")):
        return f"the input is a compressed archive, not {what}; unpack it first"
    return f"the input looks binary (control bytes), not {what}"


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.05


def _mostly_text(text: str) -> bool:
    """True when a decoding produced readable text rather than a soup of unassigned or control characters."""
    import unicodedata

    sample = text[:5000]
    if not sample:
        return False
    odd = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\n\r\t")
    return odd / len(sample) < 0.02


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Text from bytes and a note when it was not UTF-8; raises DocumentError when it cannot be read."""
    if not data.strip():
        raise DocumentError(EMPTY, "the input is empty")
    if looks_binary(data):
        raise DocumentError(BINARY, _binary_message(data))
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if encoding == "utf-8-sig":
                return text, None
            if _mostly_text(text):
                return text, "not UTF-8: decoded as UTF-16 (byte-order mark)"
            break
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # noqa: BLE001 - detection is best effort
        best = None
    if best is not None and best.encoding and best.chaos < 0.3:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if _mostly_text(text):
            return text, f"not UTF-8: decoded as {best.encoding}"
    raise DocumentError(ENCODING, "the input is not UTF-8 and its encoding could not be recognised; "
                                  "convert it to UTF-8 (e.g. with iconv)")


def clean_text(text: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, str | None]:
    """Normalise newlines and strip characters spaCy cannot use; truncate to the limit (or refuse, when
    `limits.oversize` is "skip": DocumentError `too_large`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # lone surrogates (from JSON "\ud800") cannot be encoded anywhere downstream
    text = safe_text(text)
    note = None
    if len(text) > limits.max_chars:
        if limits.oversize == SKIP:
            raise DocumentError(TOO_LARGE, f"the text has {len(text):,} characters, over the limit of "
                                           f"{limits.max_chars:,}; skipped (raise POLEVENTS_MAX_CHARS, or set "
                                           "POLEVENTS_OVERSIZE=truncate to code its beginning)")
        size = len(text)
        cut = text.rfind("\n", 0, limits.max_chars)
        text = text[: cut if cut > limits.max_chars // 2 else limits.max_chars]
        note = f"too_large: text truncated to {len(text):,} of {size:,} characters (POLEVENTS_MAX_CHARS)"
    return text.strip(), note


def document_from_text(
    text: str, doc_id: str, *, published: date | None = None, origin: str | None = None,
    title: str | None = None, limits: Limits = DEFAULT_LIMITS, notes: Iterable[str] = (),
) -> Document:
    text, note = clean_text(text, limits)
    if not text:
        raise DocumentError(EMPTY, "the document has no text")
    doc = Document(doc_id=doc_id, text=text, title=title, origin=origin, notes=[n for n in notes if n])
    if note:
        doc.notes.append(note)
    if published:
        doc.published, doc.published_from = published, "option"
    else:
        found = published_from_text(text)
        if found:
            doc.published, doc.published_from = found, "text"
    if doc.title is None:
        # a short first line standing above the body, without a final full stop, is a headline
        first_line, _, rest = text.partition("\n")
        first_line = first_line.strip()
        if rest.strip() and 0 < len(first_line) <= 150 and not first_line.endswith((".", "\"", "”")):
            doc.title = first_line
    return doc


def _extract(html: str, url: str | None) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
    )


def document_from_html(
    html: str, doc_id: str, *, published: date | None = None, origin: str | None = None,
    url: str | None = None, limits: Limits = DEFAULT_LIMITS, notes: Iterable[str] = (),
) -> Document:
    """Main text, title and date of a web page (trafilatura), as a Document."""
    if not html.strip():
        raise DocumentError(EMPTY, "the page is empty")
    try:
        extracted = call_with_time_limit(limits.time_limit, _extract, safe_text(html), url,
                                         what="extracting the page's text")
    except DocumentTimeout as error:
        raise DocumentError(TIMEOUT, f"{error}; skipped (raise POLEVENTS_TIME_LIMIT to allow more)") from None
    except RecursionError:
        raise DocumentError(PARSE_ERROR, "the HTML is nested too deeply to be read") from None
    except Exception as error:  # noqa: BLE001 - trafilatura raises many kinds on broken markup
        raise DocumentError(PARSE_ERROR, f"the HTML could not be parsed: {type(error).__name__}: "
                                         f"{' '.join(str(error).split())[:200]}") from None
    if extracted is None:
        raise DocumentError(NO_TEXT, "no article text was found in the page")
    fields = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = fields.get("text") or ""
    if not isinstance(text, str) or not text.strip():
        raise DocumentError(NO_TEXT, "no article text was found in the page")
    doc = document_from_text(
        text, doc_id, published=published, origin=origin, title=_field(fields.get("title")), limits=limits,
        notes=notes,
    )
    doc.url = url or _field(fields.get("url"))
    doc.source = _field(fields.get("sitename")) or _field(fields.get("hostname"))
    if published is None:
        page_date = parse_published(fields.get("date"))
        if page_date and doc.published_from != "text":
            doc.published, doc.published_from = page_date, "html"
    return doc


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<head" in head:
        return "html"
    if head.startswith((b"{", b"[")):
        return "jsonl"
    return "text"


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def _stream_lines(read: Callable[[int], bytes | str], max_line: int, head: bytes = b"") -> Iterator[bytes | int]:
    """The lines of a stream without their newline, read a chunk at a time (memory stays flat for a file of
    any size). A line longer than `max_line` bytes is never held whole: it comes as its size (an int)."""
    pending = bytearray()
    skipping = 0  # > 0: the size so far of an over-long line being passed over
    chunk = head
    while True:
        if not chunk:
            chunk = _as_bytes(read(_CHUNK))
            if not chunk:
                break
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if skipping:
                skipping += len(piece)
            else:
                pending += piece
                if len(pending) > max_line:
                    skipping = len(pending)
                    pending = bytearray()
            if end < 0:
                break
            if skipping:
                yield skipping
                skipping = 0
            else:
                yield bytes(pending)
                pending = bytearray()
            start = end + 1
        chunk = b""
    if skipping:
        yield skipping
    elif pending:
        yield bytes(pending)


def _read_bytes(path: Path, limits: Limits) -> tuple[bytes, str | None]:
    with open(path, "rb") as handle:
        data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        return data[: limits.max_bytes], f"too_large: only the first {limits.max_bytes:,} bytes were read"
    return data, None


def _doc_id(record: dict[str, Any], fallback: str) -> tuple[str, bool]:
    """The record's doc_id (or id) as a safe, bounded key (`fallback` when it has none), and whether it
    had to be cut."""
    value = record.get("doc_id")
    if value is None or value == "":
        value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value).strip():
        return fallback, False
    text = safe_text(" ".join(str(value).split()))
    if len(text) <= MAX_ID_CHARS:
        return text, False
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{text[: MAX_ID_CHARS - 11]}~{digest}", True


def _from_record(record: Any, where: str, label: str, fallback_id: str, *, published: date | None,
                 limits: Limits) -> Item:
    """A Document from one JSON record ("line 12" or "record 3" in `label`), or why not."""
    if not isinstance(record, dict):
        kind = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false",
                type(None): "null"}.get(type(record), type(record).__name__)
        return Skipped(where, PARSE_ERROR, f"{label} is JSON {kind}, not an object with a \"text\"; skipped")
    doc_id, cut = _doc_id(record, fallback_id)
    text = record.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        return Skipped(where, EMPTY, f"{label} ({doc_id}) has no \"text\"; skipped", doc_id)
    if not isinstance(text, str):
        return Skipped(where, PARSE_ERROR, f"{label} ({doc_id}): \"text\" is not a string; skipped", doc_id)
    raw_date = record.get("published") or record.get("date")
    given = published or parse_published(raw_date)
    try:
        doc = document_from_text(text, doc_id, origin=where, limits=limits, title=_field(record.get("title")))
    except DocumentError as error:
        return Skipped(where, error.reason, f"{label} ({doc_id}): {error.message}", doc_id)
    if given:
        doc.published, doc.published_from = given, "option" if published else "field"
    elif raw_date:
        doc.notes.append(f"unreadable publication date {safe_text(str(raw_date))[:40]!r}")
    for key in ("url", "source"):
        value = _field(record.get(key))
        if value:
            setattr(doc, key, value)
    if cut:
        doc.notes.append(f"doc_id over {MAX_ID_CHARS} characters: cut and given a hash")
    return doc


def read_jsonl_lines(
    lines: Iterable[bytes | str | int], origin: str, *, published: date | None = None,
    limits: Limits = DEFAULT_LIMITS, report_empty: bool = False, stem: str | None = None,
) -> Iterator[Item]:
    """Documents from JSON lines; a bad line is reported with its number and the rest is read.

    A line may also be given as an int: the size of a line too long to be read (see `_stream_lines`).
    With `report_empty`, input without a single non-blank line is reported as `empty`. A record without
    a doc_id is named `{stem}-{line number}` (stem: the file's name without its suffix by default).
    """
    stem = stem or Path(origin).stem or "stdin"
    seen = False
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if isinstance(raw, int):
            seen = True
            yield Skipped(where, TOO_LARGE, f"line {number} is {raw:,} bytes, over the limit of "
                                            f"{limits.max_bytes:,}; skipped (raise POLEVENTS_MAX_BYTES)")
            continue
        if isinstance(raw, bytes):
            if not raw.strip(b" \t\r\n"):  # JSON's whitespace: a line of anything else is a bad line
                continue
            seen = True
            if len(raw) > limits.max_bytes:
                yield Skipped(where, TOO_LARGE, f"line {number} is over {limits.max_bytes:,} bytes; skipped "
                                                "(raise POLEVENTS_MAX_BYTES)")
                continue
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Skipped(where, ENCODING, f"line {number} is not UTF-8 (bad byte at column {error.start + 1});"
                                               " skipped (JSON lines must be UTF-8: convert the file with iconv)")
                continue
        if not raw.strip(" \t\r\n"):
            continue
        seen = True
        try:
            record = json.loads(raw)
        except RecursionError:
            yield Skipped(where, PARSE_ERROR, f"line {number} is JSON nested too deeply to read; skipped")
            continue
        except json.JSONDecodeError as error:
            yield Skipped(where, PARSE_ERROR, f"line {number} is not valid JSON ({error.msg} at column "
                                              f"{error.colno}); skipped")
            continue
        except ValueError as error:  # e.g. an integer of more than 4,300 digits
            yield Skipped(where, PARSE_ERROR, f"line {number} is not usable JSON ({str(error)[:120]}); skipped")
            continue
        yield _from_record(record, where, f"line {number}", f"{stem}-{number}", published=published,
                           limits=limits)
    if report_empty and not seen:
        yield Skipped(origin, EMPTY, "the file is empty" if origin != "<stdin>" else "the input is empty")


def _read_json_document(path: Path, data: bytes, *, published: date | None, limits: Limits,
                        stem: str | None = None) -> list[Item] | None:
    """A `.json` file that is one JSON value (an object, or an array of objects, pretty-printed or not):
    its records; None when it is not (then it is read as JSON lines)."""
    stem = stem or path.stem
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None
    origin = str(path)
    if isinstance(value, dict):
        return [_from_record(value, origin, "the file", stem, published=published, limits=limits)]
    if isinstance(value, list):
        if not value:
            return [Skipped(origin, EMPTY, "the file is an empty JSON array")]
        return [_from_record(record, f"{origin}#{number}", f"record {number}", f"{stem}-{number}",
                             published=published, limits=limits) for number, record in enumerate(value, start=1)]
    return None


def read_bytes_as(
    data: bytes, kind: str, doc_id: str, origin: str, *, published: date | None = None,
    limits: Limits = DEFAULT_LIMITS, url: str | None = None, notes: Iterable[str] = (),
) -> Iterator[Item]:
    """Documents from the bytes of one input of a known kind (text, html or jsonl)."""
    if kind == "jsonl":
        if not data.strip():
            yield Skipped(origin, EMPTY, "the file is empty")
            return
        lines = _stream_lines(io.BytesIO(data).read, limits.max_bytes)
        yield from read_jsonl_lines(lines, origin, published=published, limits=limits)
        return
    if limits.oversize == SKIP and any(n and n.startswith("too_large") for n in notes):
        yield Skipped(origin, TOO_LARGE, f"the input is over {limits.max_bytes:,} bytes; skipped (raise "
                                         "POLEVENTS_MAX_BYTES, or set POLEVENTS_OVERSIZE=truncate to code its "
                                         "beginning)", doc_id)
        return
    try:
        text, note = decode_bytes(data)
        if kind == "html":
            yield document_from_html(text, doc_id, published=published, origin=origin, url=url,
                                     limits=limits, notes=[*notes, note])
        else:
            yield document_from_text(text, doc_id, published=published, origin=origin,
                                     limits=limits, notes=[*notes, note])
    except DocumentError as error:
        yield Skipped(origin, error.reason, error.message, doc_id)


def kind_of(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return _sniff(data)


def guard(items: Iterable[Item], origin: str) -> Iterator[Item]:
    """The items of one input; an unexpected exception while reading it becomes a Skipped with reason
    `error` (what broke and where) and the next input is read. With --debug it is raised instead."""
    try:
        yield from items
    except Exception as error:  # noqa: BLE001 - one input must not stop the batch
        if _limits.debug:
            raise
        failure = _limits.failure_of(error)
        yield Skipped(origin, ERROR, f"unexpected error while reading it: {failure.message}; the rest of this "
                                     "input was not read")


def read_file(path: Path, *, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
              name: str | None = None) -> Iterator[Item]:
    """The documents of one file, read by its kind (suffix, else its first bytes).

    `name` is the document id the file's documents are named from (default: the file name without
    its suffix; for a file in a folder, its path inside the folder, so that `a/x.txt` and `b/x.txt` are
    two documents).
    """
    yield from guard(_read_file(path, published=published, limits=limits, name=name), str(path))


def _read_file(path: Path, *, published: date | None, limits: Limits, name: str | None = None) -> Iterator[Item]:
    origin = str(path)
    stem = safe_text(name or path.stem)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; the generator may be abandoned
    except FileNotFoundError:
        yield Skipped(origin, NOT_FOUND, "no such file")
        return
    except OSError as error:
        yield Skipped(origin, NOT_FOUND, f"cannot read it: {error.strerror or error}")
        return
    with handle:
        try:
            head = handle.read(min(_HEAD_BYTES, limits.max_bytes + 1))
            kind = kind_of(path, head)
            if kind == "jsonl" and looks_binary(head):
                yield Skipped(origin, BINARY, _binary_message(head, "JSON lines"), stem)
                return
            if kind == "jsonl":
                if path.suffix.lower() == ".json" or head.lstrip().startswith(b"["):
                    # one JSON value rather than lines? (only when it fits the size limit)
                    data = head + handle.read(limits.max_bytes + 1 - len(head))
                    if len(data) <= limits.max_bytes:
                        records = _read_json_document(path, data, published=published, limits=limits, stem=stem)
                        if records is not None:
                            yield from records
                            return
                    handle.seek(0)
                    head = b""
                lines = _stream_lines(handle.read, limits.max_bytes, head)
                yield from read_jsonl_lines(lines, origin, published=published, limits=limits, report_empty=True,
                                            stem=stem)
                return
            data = head + handle.read(limits.max_bytes + 1 - len(head))
        except OSError as error:
            yield Skipped(origin, NOT_FOUND, f"cannot read it: {error.strerror or error}")
            return
    note = None
    if len(data) > limits.max_bytes:
        data, note = data[: limits.max_bytes], f"too_large: only the first {limits.max_bytes:,} bytes were read"
    yield from read_bytes_as(data, kind, stem, origin, published=published, limits=limits,
                             notes=[note] if note else ())


def document_name(file: Path, given: Path) -> str:
    """The id a file's documents are named from: its path inside the folder given, without the suffix
    ("2012/june/putin-visit"), or its name without the suffix when the file itself was given."""
    if file == given:
        return file.stem
    return file.relative_to(given).with_suffix("").as_posix()


def iter_paths(path: Path) -> Iterator[Path]:
    """The readable files under a folder, in a stable order, hidden files left out."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path


def read_stdin(stream: Any, *, published: date | None = None, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Documents from a stream: JSON lines read a line at a time, else one text or HTML document."""
    head = _as_bytes(stream.read(min(_HEAD_BYTES, limits.max_bytes + 1)) or b"")
    kind = _sniff(head)
    if kind == "jsonl":
        lines = _stream_lines(stream.read, limits.max_bytes, head)
        yield from read_jsonl_lines(lines, "<stdin>", published=published, limits=limits, report_empty=True)
        return
    data = head + _as_bytes(stream.read(limits.max_bytes + 1 - len(head)) or b"")
    note = None
    if len(data) > limits.max_bytes:
        data, note = data[: limits.max_bytes], f"too_large: only the first {limits.max_bytes:,} bytes were read"
    yield from read_bytes_as(data, kind, "stdin", "<stdin>", published=published, limits=limits,
                             notes=[note] if note else ())


def read_inputs(
    inputs: Iterable[str | Path], *, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
    stdin: Any = None,
) -> Iterator[Item]:
    """Documents from files, folders and "-" (stdin), in the order given."""
    for given in inputs:
        if str(given) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from guard(read_stdin(stream, published=published, limits=limits), "<stdin>")
            continue
        path = Path(given)
        try:
            exists = path.exists()
        except (OSError, ValueError) as error:  # a name too long, a NUL byte
            yield Skipped(safe_text(str(given)), NOT_FOUND, f"cannot read it: {error}")
            continue
        if not exists:
            yield Skipped(str(path), NOT_FOUND, "no such file or folder")
            continue
        for file in iter_paths(path):
            yield from read_file(file, published=published, limits=limits, name=document_name(file, path))
