"""Questions to the database: events matching filters, and a dyad's relations over time.

`events` answers with one row per real-world event (a cluster of reports, as
GDELT's event table does) or, with `reports=True`, one row per report (the full
event record). Actor filters match a code prefix or a country: `RUS` matches
RUS, RUSGOV and RUSMIL..., and any actor whose country is Russia.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from polevents.store.db import Store

MODALITIES = ("asserted", "negated", "future", "hypothetical")
PERIODS = ("day", "week", "month", "year")
_CODE = re.compile(r"[A-Z0-9-]{2,30}")  # "---UAF": an actor of no known country
_CAMEO = re.compile(r"\d{2,4}")


class QueryError(ValueError):
    """A filter value that cannot be right (say which and how to write it)."""


def actor_code(value: str, what: str = "actor") -> str:
    code = value.strip().upper()
    if not _CODE.fullmatch(code):
        raise QueryError(f"{what} {value!r} is not a CAMEO actor code (letters, digits, '-': RUS, USAGOV, IGOUNO, ---UAF)")
    return code


def cameo_code(value: str, what: str = "code") -> str:
    code = value.strip()
    if not _CAMEO.fullmatch(code):
        raise QueryError(f"{what} {value!r} is not a CAMEO event code (2 to 4 digits: 04, 042, 0421)")
    return code


@dataclass(slots=True)
class Filters:
    source: str | None = None
    target: str | None = None
    root: str | None = None
    code: str | None = None  # CAMEO code prefix
    since: date | None = None
    until: date | None = None
    modalities: tuple[str, ...] | None = ("asserted",)  # None: all
    either: bool = False  # source/target in either direction

    def __post_init__(self) -> None:
        if self.source:
            self.source = actor_code(self.source, "source")
        if self.target:
            self.target = actor_code(self.target, "target")
        if self.root:
            self.root = cameo_code(self.root, "root").zfill(2)[:2]
        if self.code:
            self.code = cameo_code(self.code)
        if self.modalities is not None:
            bad = [m for m in self.modalities if m not in MODALITIES]
            if bad:
                raise QueryError(f"unknown modality {bad[0]!r}; use one of {', '.join(MODALITIES)}")
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"--since {self.since} is after --until {self.until}")


def actor_match(alias: str, side: str, code: str, params: list[Any]) -> str:
    """SQL matching one side (source/target) of a row to an actor code prefix or a country."""
    params.extend([code, code])
    return f"(starts_with({alias}.{side}_code, ?) OR {alias}.{side}_country = ?)"


def where(filters: Filters, alias: str, date_column: str = "event_date") -> tuple[str, list[Any]]:
    """The WHERE clause (with its parameters) of `filters` over clusters (alias c) or events (alias e)."""
    parts: list[str] = []
    params: list[Any] = []
    if filters.source or filters.target:
        if filters.either and filters.source and filters.target:
            forward = [actor_match(alias, "source", filters.source, params),
                       actor_match(alias, "target", filters.target, params)]
            backward = [actor_match(alias, "source", filters.target, params),
                        actor_match(alias, "target", filters.source, params)]
            parts.append(f"(({' AND '.join(forward)}) OR ({' AND '.join(backward)}))")
        else:
            if filters.source:
                parts.append(actor_match(alias, "source", filters.source, params))
            if filters.target:
                parts.append(actor_match(alias, "target", filters.target, params))
    if filters.root:
        parts.append(f"{alias}.cameo_root = ?")
        params.append(filters.root)
    if filters.code:
        parts.append(f"starts_with({alias}.cameo, ?)")
        params.append(filters.code)
    if filters.since:
        parts.append(f"{alias}.{date_column} >= ?")
        params.append(filters.since)
    if filters.until:
        parts.append(f"{alias}.{date_column} <= ?")
        params.append(filters.until)
    if filters.modalities is not None:
        parts.append(f"{alias}.modality IN (SELECT unnest(?))")
        params.append(list(filters.modalities))
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


CLUSTER_FIELDS = [
    "cluster_id", "event_date", "source_code", "source_name", "target_code", "target_name", "cameo",
    "cameo_name", "quad_class", "goldstein", "plover_event", "plover_mode", "modality", "num_reports",
    "num_mentions", "num_sources", "num_articles", "location_name", "location_country", "representative",
    "source_url",
]
REPORT_FIELDS = [
    "event_id", "cluster_id", "doc_id", "event_date", "date", "date_precision", "source_code", "source_name",
    "target_code", "target_name", "cameo", "cameo_name", "quad_class", "goldstein", "plover_event",
    "plover_mode", "modality", "location_name", "location_country", "confidence", "trigger", "evidence",
]


def _chunks(cursor, size: int = 5000) -> Iterator[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        for row in rows:
            yield dict(zip(names, row, strict=True))


def count_events(store: Store, filters: Filters, *, reports: bool = False) -> int:
    alias, table = ("e", "events") if reports else ("c", "clusters")
    clause, params = where(filters, alias)
    return int(store.con.execute(f"SELECT count(*) FROM {table} {alias}{clause}", params).fetchall()[0][0])


def events(store: Store, filters: Filters, *, reports: bool = False, limit: int | None = None,
           with_evidence: bool = True, with_record: bool = False) -> Iterator[dict[str, Any]]:
    """Matching events, newest first: clusters (with the representative report's evidence) or reports."""
    params: list[Any]
    if reports:
        clause, params = where(filters, "e")
        fields = REPORT_FIELDS + (["record"] if with_record else [])
        sql = (f"SELECT {', '.join('e.' + f for f in fields)} FROM events e{clause} "
               "ORDER BY e.event_date DESC NULLS LAST, e.event_id")
    else:
        clause, params = where(filters, "c")
        extra = ", e.evidence, e.trigger" if with_evidence else ""
        extra += ", e.record" if with_record else ""
        sql = (f"SELECT {', '.join('c.' + f for f in CLUSTER_FIELDS)}{extra} FROM "
               f"(SELECT * FROM clusters c{clause} ORDER BY c.event_date DESC NULLS LAST, c.cluster_id"
               f"{' LIMIT ?' if limit is not None else ''}) c")
        if limit is not None:
            params.append(int(limit))
            limit = None
        if with_evidence or with_record:
            sql += " LEFT JOIN events e ON e.event_id = c.representative"
        sql += " ORDER BY c.event_date DESC NULLS LAST, c.cluster_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    cursor = store.con.cursor()
    cursor.execute(sql, params)
    yield from _chunks(cursor)


def dyad(store: Store, first: str, second: str, *, by: str = "month",
         filters: Filters | None = None) -> list[dict[str, Any]]:
    """Per period and direction (first->second, second->first): events per QuadClass and mean Goldstein.

    Events are clusters (one per real-world event); `articles` and `mentions` count what reports them.
    """
    if by not in PERIODS:
        raise QueryError(f"--by {by!r}: use one of {', '.join(PERIODS)}")
    first, second = actor_code(first, "first actor"), actor_code(second, "second actor")
    base = filters or Filters()
    scoped = Filters(source=first, target=second, root=base.root, code=base.code, since=base.since,
                     until=base.until, modalities=base.modalities, either=True)
    clause, params = where(scoped, "c")
    direction_params: list[Any] = []
    forward = (f"{actor_match('c', 'source', first, direction_params)} AND "
               f"{actor_match('c', 'target', second, direction_params)}")
    sql = f"""
        SELECT date_trunc(?, c.event_date)::DATE AS period,
               CASE WHEN {forward} THEN ? ELSE ? END AS direction,
               count(*) AS events,
               count(*) FILTER (WHERE c.quad_class = 1) AS verbal_cooperation,
               count(*) FILTER (WHERE c.quad_class = 2) AS material_cooperation,
               count(*) FILTER (WHERE c.quad_class = 3) AS verbal_conflict,
               count(*) FILTER (WHERE c.quad_class = 4) AS material_conflict,
               round(avg(c.goldstein), 2) AS mean_goldstein,
               sum(c.num_articles) AS articles,
               sum(c.num_mentions) AS mentions
        FROM clusters c{clause} {'AND' if clause else 'WHERE'} c.event_date IS NOT NULL
        GROUP BY ALL ORDER BY period, direction"""
    all_params = [by, *direction_params, f"{first}->{second}", f"{second}->{first}", *params]
    cursor = store.con.cursor()
    cursor.execute(sql, all_params)
    return list(_chunks(cursor))


def undated_count(store: Store, first: str, second: str, filters: Filters | None = None) -> int:
    """How many events of the dyad have no date and so are left out of `dyad`."""
    base = filters or Filters()
    scoped = Filters(source=first, target=second, root=base.root, code=base.code,
                     modalities=base.modalities, either=True)
    clause, params = where(scoped, "c")
    sql = f"SELECT count(*) FROM clusters c{clause} {'AND' if clause else 'WHERE'} c.event_date IS NULL"
    return int(store.con.execute(sql, params).fetchall()[0][0])
