"""The database layout: one place that lists every table and column, and turns event records into rows.

The events table holds the full event record of DESIGN.md: every field as a typed
column (actors and places flattened: source_code, source_name, ...) for fast
filters, plus the record itself as JSON so nothing is lost when the record grows.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

SCHEMA_VERSION = "1"

# (column, DuckDB type). Order is the table's order.
ACTOR_FIELDS = ("text", "name", "code", "country", "sector", "kb_id", "role", "resolved_from")
LOCATION_FIELDS = (("name", "VARCHAR"), ("country", "VARCHAR"), ("admin1", "VARCHAR"), ("lat", "DOUBLE"),
                   ("lon", "DOUBLE"), ("geonames_id", "BIGINT"), ("precision", "VARCHAR"), ("text", "VARCHAR"))

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("event_id", "VARCHAR NOT NULL PRIMARY KEY"),
    ("doc_hash", "VARCHAR NOT NULL"),
    ("doc_id", "VARCHAR NOT NULL"),
    ("url", "VARCHAR"),  # the document's (GDELT's mention identifier)
    ("source_key", "VARCHAR"),  # the document's outlet, for NumSources
    ("added", "TIMESTAMP"),  # when the document was ingested (UTC)
    ("sentence", "INTEGER"),
    ("span_start", "INTEGER"),
    ("span_end", "INTEGER"),
    ("evidence", "VARCHAR"),
    ("trigger", "VARCHAR"),
    ("trigger_start", "INTEGER"),
    ("trigger_end", "INTEGER"),
    *[(f"source_{name}", "VARCHAR") for name in ACTOR_FIELDS],
    *[(f"target_{name}", "VARCHAR") for name in ACTOR_FIELDS],
    ("cameo", "VARCHAR"),
    ("cameo_root", "VARCHAR"),
    ("cameo_name", "VARCHAR"),
    ("quad_class", "TINYINT"),
    ("goldstein", "DOUBLE"),
    ("plover_event", "VARCHAR"),
    ("plover_mode", "VARCHAR"),
    ("modality", "VARCHAR"),
    ("date", "VARCHAR"),  # as in the record: "2012-06-05", "2012-06" or "2012"
    ("date_precision", "VARCHAR"),
    ("date_text", "VARCHAR"),
    ("event_date", "DATE"),  # for queries: the day, the month's or year's first day, or the publication day
    *[(f"location_{name}", kind) for name, kind in LOCATION_FIELDS],
    ("published", "DATE"),
    ("confidence", "DOUBLE"),
    ("rule", "VARCHAR"),
    ("num_mentions", "INTEGER"),  # 1 + the further mentions of the same event in the same document
    ("is_root", "BOOLEAN"),  # in the lead paragraph (GDELT's IsRootEvent)
    ("cluster_key", "BIGINT"),  # hash of (source code, target code, CAMEO root, modality)
    ("cluster_day", "DATE"),  # the day used for clustering (NULL: too vague to cluster; a cluster of its own)
    ("cluster_id", "BIGINT"),
    ("record", "VARCHAR"),  # the full event record, JSON
]
EVENT_COLUMN_NAMES = [name for name, _ in EVENT_COLUMNS]

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE SEQUENCE IF NOT EXISTS run_ids START 1",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id BIGINT PRIMARY KEY, started TIMESTAMP NOT NULL, finished TIMESTAMP, command VARCHAR,
        sources VARCHAR, polevents_version VARCHAR, summary VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS problems (
        run_id BIGINT, origin VARCHAR, doc_id VARCHAR, reason VARCHAR, message VARCHAR, seen TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS documents (
        hash VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL UNIQUE, url VARCHAR, title VARCHAR, published DATE,
        published_from VARCHAR, source VARCHAR, source_key VARCHAR, origin VARCHAR, language VARCHAR,
        status VARCHAR NOT NULL, reason VARCHAR, message VARCHAR, notes VARCHAR, chars INTEGER,
        n_events INTEGER NOT NULL, run_id BIGINT, added TIMESTAMP NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS documents_url ON documents (url)",
    "CREATE TABLE IF NOT EXISTS events (\n    " + ",\n    ".join(f"{n} {t}" for n, t in EVENT_COLUMNS) + ")",
    """CREATE TABLE IF NOT EXISTS actors (
        actor_key VARCHAR PRIMARY KEY, kb_id VARCHAR, code VARCHAR, name VARCHAR, country VARCHAR,
        sector VARCHAR, first_run BIGINT)""",
    """CREATE TABLE IF NOT EXISTS clusters (
        cluster_id BIGINT PRIMARY KEY, cluster_key BIGINT NOT NULL,
        source_code VARCHAR, source_name VARCHAR, source_country VARCHAR, source_sector VARCHAR,
        target_code VARCHAR, target_name VARCHAR, target_country VARCHAR, target_sector VARCHAR,
        cameo VARCHAR, cameo_root VARCHAR, cameo_name VARCHAR, quad_class TINYINT, goldstein DOUBLE,
        plover_event VARCHAR, plover_mode VARCHAR, modality VARCHAR,
        event_date DATE, first_day DATE, last_day DATE, date_precision VARCHAR,
        location_name VARCHAR, location_country VARCHAR, location_admin1 VARCHAR, location_lat DOUBLE,
        location_lon DOUBLE, location_geonames_id BIGINT, location_precision VARCHAR,
        representative VARCHAR, num_reports INTEGER, num_mentions INTEGER, num_sources INTEGER,
        num_articles INTEGER, is_root BOOLEAN, date_added TIMESTAMP, source_url VARCHAR)""",
]

CLUSTER_COLUMN_NAMES = [
    "cluster_id", "cluster_key", "source_code", "source_name", "source_country", "source_sector",
    "target_code", "target_name", "target_country", "target_sector", "cameo", "cameo_root", "cameo_name",
    "quad_class", "goldstein", "plover_event", "plover_mode", "modality", "event_date", "first_day", "last_day",
    "date_precision", "location_name", "location_country", "location_admin1", "location_lat", "location_lon",
    "location_geonames_id", "location_precision", "representative", "num_reports", "num_mentions",
    "num_sources", "num_articles", "is_root", "date_added", "source_url",
]

CLUSTER_PRECISIONS = ("day", "week", "published")  # dates precise enough to tell two events apart


def hash64(text: str) -> int:
    """A stable positive 63-bit integer for a string (cluster keys and GDELT's GLOBALEVENTID)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "big") & 0x7FFF_FFFF_FFFF_FFFF


def cluster_key(source_code: str | None, target_code: str | None, cameo_root: str | None, modality: str | None) -> int:
    return hash64(f"{source_code or ''}|{target_code or ''}|{cameo_root or ''}|{modality or ''}")


def parse_event_date(value: str | None, precision: str | None, published: date | None) -> date | None:
    """The day to file an event under: its date (month/year -> first day), or the publication day."""
    if value:
        text = str(value)
        try:
            if len(text) >= 10:
                return date.fromisoformat(text[:10])
            if re.fullmatch(r"\d{4}-\d{2}", text):
                return date(int(text[:4]), int(text[5:7]), 1)
            if re.fullmatch(r"\d{4}", text):
                return date(int(text), 1, 1)
        except ValueError:
            return None
        return None
    if precision == "published" and published is not None:
        return published
    return None


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def lead_end(text: str, title: str | None = None) -> int:
    """Where the lead paragraph of a story ends (GDELT's IsRootEvent marks events found in it).

    The lead is the first paragraph that reads as prose: the headline, bylines, "Published:" lines and
    other short lines without a full stop above it are passed over.
    """
    blocks = list(re.finditer(r"\S[^\n]*(?:\n[ \t]*\S[^\n]*)*", text))
    if len(blocks) == 1 and text.count("\n") > 0:
        blocks = list(re.finditer(r"\S[^\n]*", text))
    title_norm = " ".join((title or "").split()).lower()
    for block in blocks:
        chunk = " ".join(block.group().split())
        if title_norm and chunk.lower() == title_norm:
            continue
        if len(chunk) < 100 and not chunk.endswith((".", '"', "”", "!", "?", "'")):
            continue
        if len(chunk) < 120 and re.match(r"(?i)(published|updated|posted|by)\b", chunk):
            continue
        return block.end()
    return len(text)


def event_row(record: dict[str, Any], *, doc_hash: str, lead: int, url: str | None = None,
              source_key: str | None = None, added: Any = None) -> dict[str, Any]:
    """The events-table row of one event record (a dict from `Event.to_dict()`)."""
    source = record.get("source") or {}
    target = record.get("target") or {}
    location = record.get("location") or {}
    span = record.get("span") or [None, None]
    trigger_span = record.get("trigger_span") or [None, None]
    mentions = record.get("mentions") or []
    published = _as_date(record.get("published"))
    precision = record.get("date_precision")
    day = parse_event_date(record.get("date"), precision, published)
    starts = [_int(span[0])] + [_int((m.get("span") or [None])[0]) for m in mentions if isinstance(m, dict)]
    row: dict[str, Any] = {
        "event_id": str(record["event_id"]),
        "doc_hash": doc_hash,
        "doc_id": str(record.get("doc_id")),
        "url": url,
        "source_key": source_key,
        "added": added,
        "sentence": _int(record.get("sentence")),
        "span_start": _int(span[0]),
        "span_end": _int(span[1]) if len(span) > 1 else None,
        "evidence": record.get("evidence"),
        "trigger": record.get("trigger"),
        "trigger_start": _int(trigger_span[0]),
        "trigger_end": _int(trigger_span[1]) if len(trigger_span) > 1 else None,
    }
    for prefix, actor in (("source", source), ("target", target)):
        for name in ACTOR_FIELDS:
            value = actor.get(name)
            row[f"{prefix}_{name}"] = None if value is None else str(value)
    plover = record.get("plover") or {}
    row.update({
        "cameo": record.get("cameo"),
        "cameo_root": record.get("cameo_root"),
        "cameo_name": record.get("cameo_name"),
        "quad_class": _int(record.get("quad_class")),
        "goldstein": _float(record.get("goldstein")),
        "plover_event": plover.get("event"),
        "plover_mode": plover.get("mode"),
        "modality": record.get("modality"),
        "date": record.get("date"),
        "date_precision": precision,
        "date_text": record.get("date_text"),
        "event_date": day,
    })
    for name, kind in LOCATION_FIELDS:
        value = location.get(name)
        if kind == "DOUBLE":
            value = _float(value)
        elif kind == "BIGINT":
            value = _int(value)
        elif value is not None:
            value = str(value)
        row[f"location_{name}"] = value
    row.update({
        "published": published,
        "confidence": _float(record.get("confidence")),
        "rule": record.get("rule"),
        "num_mentions": 1 + len(mentions),
        "is_root": any(s is not None and s < lead for s in starts),
        "cluster_key": cluster_key(source.get("code"), target.get("code"), record.get("cameo_root"),
                                   record.get("modality")),
        "cluster_day": day if precision in CLUSTER_PRECISIONS else None,
        "cluster_id": None,
        "record": json.dumps(record, ensure_ascii=False, default=str),
    })
    return row


def actor_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for actor in (record.get("source"), record.get("target")):
        if not actor or not (actor.get("code") or actor.get("kb_id")):
            continue
        key = actor.get("kb_id") or f"{actor.get('code')}|{actor.get('name') or ''}"
        rows.append({"actor_key": key, "kb_id": actor.get("kb_id"), "code": actor.get("code"),
                     "name": actor.get("name"), "country": actor.get("country"), "sector": actor.get("sector")})
    return rows
