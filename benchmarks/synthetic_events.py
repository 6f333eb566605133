"""Build a database of synthetic events through the store's own write path, then time the queries.

    .venv/bin/python benchmarks/synthetic_events.py --events 1000000 --db out/synthetic.duckdb

Documents arrive day by day (as a news feed would), each real event reported by one to
five outlets with dates a day apart now and then, so the clusters are maintained
incrementally exactly as during an ingest. Then `events` and `dyad` are timed the way the
CLI runs them (first run and the median of five warm runs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from polevents.documents import Document
from polevents.store.coding import CODED, Coded
from polevents.store.db import Store
from polevents.store.queries import Filters, dyad, events

COUNTRIES = ["USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND", "IRN", "ISR", "PSE", "UKR", "TUR", "EGY",
             "SAU", "PAK", "AFG", "IRQ", "SYR", "KOR", "PRK", "BRA", "MEX", "NGA", "ZAF", "KEN", "ETH", "SDN",
             "LBY", "VEN", "COL", "CUB", "POL", "ITA", "ESP", "CAN", "AUS", "IDN", "PHL", "VNM"]
SECTORS = [None, None, "GOV", "GOV", "MIL", "OPP", "REB", "CVL"]
CODES = [("010", "Make statement", 1, 0.0, None), ("036", "Express intent to meet", 1, 4.0, "AGREE"),
         ("040", "Consult", 1, 1.0, "CONSULT"), ("042", "Make a visit", 1, 1.9, "CONSULT"),
         ("057", "Sign formal agreement", 1, 8.0, "AGREE"), ("071", "Provide economic aid", 2, 7.4, "AID"),
         ("111", "Criticize or denounce", 3, -2.0, "ACCUSE"), ("112", "Accuse", 3, -2.0, "ACCUSE"),
         ("130", "Threaten", 3, -4.4, "THREATEN"), ("163", "Impose embargo", 4, -8.0, "SANCTION"),
         ("173", "Arrest, detain", 4, -5.0, "COERCE"), ("190", "Use conventional military force", 4, -10.0,
                                                         "ASSAULT")]
OUTLETS = [f"outlet{k}.example" for k in range(300)]


def actor(country: str, sector: str | None) -> dict:
    return {"text": country, "name": country, "code": country + (sector or ""), "country": country,
            "sector": sector, "kb_id": None if sector else f"country:{country}", "role": None, "resolved_from": None}


def day_of_documents(rng: random.Random, day: date, events_wanted: int, serial: list[int]) -> list[Coded]:
    """One day of news: real events, each reported by 1-5 documents, 1-3 events per document."""
    real = []
    while sum(r[1] for r in real) < events_wanted:
        a, b = rng.sample(COUNTRIES, 2)
        real.append(((actor(a, rng.choice(SECTORS)), actor(b, rng.choice(SECTORS)) if rng.random() < 0.85 else None,
                      rng.choice(CODES), day - timedelta(days=rng.choice([0, 0, 0, 1]))), rng.randint(1, 5)))
    reports = [event for event, copies in real for _ in range(copies)]
    rng.shuffle(reports)
    documents = []
    while reports:
        take, reports = reports[: rng.randint(1, 3)], reports[rng.randint(1, 3):]
        serial[0] += 1
        doc_id = f"syn-{serial[0]}"
        records = []
        for number, (source, target, (code, name, quad, goldstein, plover), when) in enumerate(take):
            when_day = when + timedelta(days=rng.choice([0, 0, 0, 0, 1]))
            records.append({
                "event_id": f"{doc_id}:{number}:{number}", "doc_id": doc_id, "sentence": number, "span": [0, 80],
                "evidence": f"{source['name']} {name.lower()} {target['name'] if target else ''}.",
                "trigger": name.split()[0].lower(), "trigger_span": [4, 10], "source": source, "target": target,
                "cameo": code, "cameo_root": code[:2], "cameo_name": name, "quad_class": quad,
                "goldstein": goldstein, "plover": {"event": plover, "mode": None},
                "modality": "asserted" if rng.random() < 0.93 else rng.choice(["negated", "future"]),
                "date": when_day.isoformat(), "date_precision": "day", "date_text": "Tuesday", "location": None,
                "published": day.isoformat(), "confidence": round(rng.uniform(0.5, 0.95), 2), "rule": "synthetic",
            })
        document = Document(doc_id=doc_id, text=f"synthetic story {doc_id}", published=day,
                            url=f"https://{rng.choice(OUTLETS)}/{doc_id}", title=None, origin="synthetic")
        documents.append(Coded(document, CODED, records, language="en"))
    return documents


def timed(function, repeat: int = 5) -> tuple[float, float]:
    start = time.perf_counter()
    function()
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return first, statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-day", type=int, default=500, help="event reports per day of news")
    parser.add_argument("--db", default="out/synthetic.duckdb")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries-only", action="store_true", help="time the queries on an existing database")
    args = parser.parse_args()
    path = Path(args.db)
    if not args.queries_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(str(path) + ".wal")):
            leftover.unlink(missing_ok=True)
        rng = random.Random(args.seed)
        serial = [0]
        day = date(2015, 1, 1)
        written = 0
        started = time.perf_counter()
        with Store(path) as store:
            while written < args.events:
                batch = day_of_documents(rng, day, min(args.per_day, args.events - written), serial)
                written += store.write_batch(batch).events
                day += timedelta(days=1)
                if day.day == 1 and day.month == 1:
                    print(f"  {day.year - 1}: {written:,} events, {time.perf_counter() - started:.0f} s", file=sys.stderr)
            seconds = time.perf_counter() - started
            counts = store.counts()
        print(f"wrote {counts['events']:,} events of {counts['documents']:,} documents in {counts['clusters']:,} "
              f"clusters in {seconds:.1f} s ({counts['events'] / seconds:,.0f} events/s through write_batch); "
              f"file {path.stat().st_size / 1e6:.0f} MB")
    with Store(path, read_only=True) as store:
        counts = store.counts()
        print(f"database: {counts['events']:,} events, {counts['clusters']:,} clusters")
        cases = {
            "events --source RUS --target CHN (table, 50 rows)":
                lambda: list(events(store, Filters(source="RUS", target="CHN"), limit=50)),
            "events --source RUS --target CHN --root 04 --since 2016-01-01 --until 2017-12-31 (all rows)":
                lambda: list(events(store, Filters(source="RUS", target="CHN", root="04", since=date(2016, 1, 1),
                                                   until=date(2017, 12, 31)))),
            "events --source USA (all rows, jsonl-sized)":
                lambda: list(events(store, Filters(source="USA"), with_evidence=False)),
            "events --reports --source IRN --target ISR (all rows)":
                lambda: list(events(store, Filters(source="IRN", target="ISR"), reports=True)),
            "dyad RUS CHN --by month": lambda: dyad(store, "RUS", "CHN", by="month"),
            "dyad USA CHN --by week": lambda: dyad(store, "USA", "CHN", by="week"),
            "dyad USA RUS --by year --all": lambda: dyad(store, "USA", "RUS", by="year",
                                                         filters=Filters(modalities=None)),
        }
        for name, function in cases.items():
            first, warm = timed(function)
            print(f"{name:<95} first {first * 1000:7.1f} ms   warm median {warm * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
