"""Documents and the readers that make them from files, folders, JSONL and stdin.

Every input is untrusted: a reader yields either a `Document` or a `Skipped`
record that says which input, why (a short reason code) and what a person can
do about it. Nothing is dropped silently and no exception escapes a reader for
bad content.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from polevents.datelines import parse_date_text, published_from_text

TEXT_SUFFIXES = {".txt", ".text", ".md", ".story"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}

# Reasons a document can be skipped; stable strings stored in the database.
EMPTY, BINARY, ENCODING, TOO_LARGE, PARSE_ERROR, NO_TEXT, NOT_FOUND = (
    "empty", "binary", "encoding", "too_large", "parse_error", "no_text", "not_found",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one document may cost; larger inputs are truncated and say so."""

    max_bytes: int = 50_000_000  # raw input read per file or record
    max_chars: int = 1_000_000  # text kept per document


DEFAULT_LIMITS = Limits()


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


class DocumentError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


Item = Document | Skipped


def parse_published(value: Any) -> date | None:
    """A publication date from a field value: ISO dates and datetimes, or a written date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.utcfromtimestamp(value).date() if value > 10_000 else None
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
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
        raise DocumentError(BINARY, "the input looks binary (control bytes), not text")
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
    """Normalise newlines and strip characters spaCy cannot use; truncate to the limit."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # lone surrogates (from JSON "\ud800") cannot be encoded anywhere downstream
    text = text.encode("utf-8", "replace").decode("utf-8")
    note = None
    if len(text) > limits.max_chars:
        cut = text.rfind("\n", 0, limits.max_chars)
        text = text[: cut if cut > limits.max_chars // 2 else limits.max_chars]
        note = f"too_large: text truncated to {len(text)} characters"
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


def document_from_html(
    html: str, doc_id: str, *, published: date | None = None, origin: str | None = None,
    url: str | None = None, limits: Limits = DEFAULT_LIMITS, notes: Iterable[str] = (),
) -> Document:
    """Main text, title and date of a web page (trafilatura), as a Document."""
    import trafilatura

    if not html.strip():
        raise DocumentError(EMPTY, "the page is empty")
    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,
        )
    except Exception as error:  # noqa: BLE001 - trafilatura raises many kinds on broken markup
        raise DocumentError(PARSE_ERROR, f"the HTML could not be parsed: {error}") from None
    if extracted is None:
        raise DocumentError(NO_TEXT, "no article text was found in the page")
    fields = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = fields.get("text") or ""
    if not text.strip():
        raise DocumentError(NO_TEXT, "no article text was found in the page")
    title = fields.get("title")
    doc = document_from_text(
        text, doc_id, published=published, origin=origin, title=title, limits=limits, notes=notes
    )
    doc.url = url or fields.get("url")
    doc.source = fields.get("sitename") or fields.get("hostname")
    if published is None:
        page_date = parse_published(fields.get("date"))
        if page_date and doc.published_from != "text":
            doc.published, doc.published_from = page_date, "html"
    return doc


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<head" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _read_bytes(path: Path, limits: Limits) -> tuple[bytes, str | None]:
    with open(path, "rb") as handle:
        data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        return data[: limits.max_bytes], f"too_large: only the first {limits.max_bytes} bytes were read"
    return data, None


def read_jsonl_lines(
    lines: Iterable[bytes | str], origin: str, *, published: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Item]:
    """Documents from JSON lines; a bad line is reported with its number and the rest is read."""
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if isinstance(raw, bytes):
            if len(raw) > limits.max_bytes:
                yield Skipped(where, TOO_LARGE, f"line {number} is over {limits.max_bytes} bytes; skipped")
                continue
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Skipped(where, ENCODING, f"line {number} is not UTF-8; skipped")
                continue
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as error:
            message = getattr(error, "msg", "too deeply nested")
            yield Skipped(where, PARSE_ERROR, f"line {number} is not valid JSON ({message}); skipped")
            continue
        if not isinstance(record, dict):
            yield Skipped(where, PARSE_ERROR, f"line {number} is JSON but not an object; skipped")
            continue
        doc_id = record.get("doc_id") or record.get("id") or f"{Path(origin).stem}-{number}"
        doc_id = str(doc_id)
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            yield Skipped(where, EMPTY, f"line {number} ({doc_id}) has no \"text\"; skipped", doc_id)
            continue
        given = published or parse_published(record.get("published") or record.get("date"))
        try:
            doc = document_from_text(text, doc_id, origin=where, limits=limits,
                                     title=record.get("title") if isinstance(record.get("title"), str) else None)
        except DocumentError as error:
            yield Skipped(where, error.reason, f"line {number} ({doc_id}): {error.message}", doc_id)
            continue
        if given:
            doc.published, doc.published_from = given, "option" if published else "field"
        elif record.get("published") or record.get("date"):
            doc.notes.append(f"unreadable publication date {str(record.get('published') or record.get('date'))[:40]!r}")
        for key in ("url", "source"):
            if isinstance(record.get(key), str):
                setattr(doc, key, record[key])
        yield doc


def read_bytes_as(
    data: bytes, kind: str, doc_id: str, origin: str, *, published: date | None = None,
    limits: Limits = DEFAULT_LIMITS, url: str | None = None, notes: Iterable[str] = (),
) -> Iterator[Item]:
    """Documents from the bytes of one input of a known kind (text, html or jsonl)."""
    if kind == "jsonl":
        if not data.strip():
            yield Skipped(origin, EMPTY, "the file is empty")
            return
        yield from read_jsonl_lines(data.splitlines(), origin, published=published, limits=limits)
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


def read_file(path: Path, *, published: date | None = None, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    origin = str(path)
    try:
        data, note = _read_bytes(path, limits)
    except FileNotFoundError:
        yield Skipped(origin, NOT_FOUND, "no such file")
        return
    except (IsADirectoryError, PermissionError, OSError) as error:
        yield Skipped(origin, NOT_FOUND, f"cannot read it: {error.strerror or error}")
        return
    yield from read_bytes_as(data, kind_of(path, data), path.stem, origin, published=published,
                             limits=limits, notes=[note] if note else ())


def iter_paths(path: Path) -> Iterator[Path]:
    """The readable files under a folder, in a stable order, hidden files left out."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path


def read_inputs(
    inputs: Iterable[str | Path], *, published: date | None = None, limits: Limits = DEFAULT_LIMITS,
    stdin: Any = None,
) -> Iterator[Item]:
    """Documents from files, folders and "-" (stdin), in the order given."""
    for given in inputs:
        if str(given) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(limits.max_bytes + 1)
            if isinstance(data, str):
                data = data.encode("utf-8", "surrogatepass")
            yield from read_bytes_as(data[: limits.max_bytes], _sniff(data), "stdin", "<stdin>",
                                     published=published, limits=limits)
            continue
        path = Path(given)
        if not path.exists():
            yield Skipped(str(path), NOT_FOUND, "no such file or folder")
            continue
        for file in iter_paths(path):
            yield from read_file(file, published=published, limits=limits)
