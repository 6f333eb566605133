"""The DuckDB store: schema, transactional batches, clusters of reports with GDELT's counts, queries."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest

from polevents.store import queries
from polevents.store.clusters import anchored_groups, build_clusters
from polevents.store.db import Store, StoreError
from polevents.store.schema import lead_end, parse_event_date
from store_helpers import coded, record


def cluster_table(store: Store) -> set[tuple]:
    rows = store.con.execute("""SELECT c.cluster_id, c.num_reports, c.num_mentions, c.num_sources, c.num_articles,
                                       c.event_date, c.first_day, c.representative,
                                       list(e.event_id ORDER BY e.event_id)
                                FROM clusters c JOIN events e USING (cluster_id) GROUP BY ALL""").fetchall()
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows}


def test_anchored_groups_do_not_chain_day_after_day():
    days = [date(2012, 6, 1) + timedelta(days=k) for k in range(6)]
    anchors = anchored_groups(days)
    # 1-2 together, 3-4 together, 5-6 together: a daily series is not one endless event
    assert anchors == [days[0], days[0], days[2], days[2], days[4], days[4]]


def test_event_dates_for_queries():
    assert parse_event_date("2012-06-05", "day", None) == date(2012, 6, 5)
    assert parse_event_date("2012-06", "month", None) == date(2012, 6, 1)
    assert parse_event_date("2012", "year", None) == date(2012, 1, 1)
    assert parse_event_date(None, "published", date(2012, 6, 6)) == date(2012, 6, 6)
    assert parse_event_date(None, "unknown", None) is None
    assert parse_event_date("garbage", "day", None) is None


def test_lead_paragraph_skips_headline_and_byline():
    text = "Leaders Meet\n\nBy A. Reporter\n\nBEIJING - Russia and China met on Tuesday to talk about trade.\n\nMore."
    end = lead_end(text, "Leaders Meet")
    assert text[:end].endswith("talk about trade.")


def test_gdelt_counts_mentions_sources_and_articles():
    reports = [
        # three articles, two outlets, one article mentions it three times
        {**_report("a:1:0", "a", "x.com", 3), "cluster_day": date(2012, 6, 5)},
        {**_report("b:1:0", "b", "x.com", 1), "cluster_day": date(2012, 6, 6)},
        {**_report("c:1:0", "c", "y.org", 1), "cluster_day": date(2012, 6, 5)},
        # same dyad and root, four days later: another event
        {**_report("d:1:0", "d", "y.org", 1), "cluster_day": date(2012, 6, 9)},
    ]
    clusters, membership = build_clusters(reports)
    assert len(clusters) == 2
    big = next(c for c in clusters if c["num_reports"] == 3)
    assert (big["num_mentions"], big["num_sources"], big["num_articles"]) == (5, 2, 3)
    assert big["event_date"] == date(2012, 6, 5)  # the day most reports give
    assert membership["a:1:0"] == membership["b:1:0"] == membership["c:1:0"] != membership["d:1:0"]


def _report(event_id, doc, host, mentions):
    return {"event_id": event_id, "cluster_key": 7, "doc_hash": doc, "doc_id": doc, "num_mentions": mentions,
            "source_key": host, "published": date(2012, 6, 6), "confidence": 0.8, "cameo": "040",
            "cameo_root": "04", "modality": "asserted", "event_date": None, "url": f"https://{host}/{doc}"}


def _corpus(seed: int, documents: int = 60) -> list:
    """Documents reporting a handful of real events, with dates a day apart and repeats across outlets."""
    rng = random.Random(seed)
    dyads = [("RUS", "CHN", "040"), ("CHN", "RUS", "040"), ("USA", "RUS", "111"), ("RUS", "UKR", "190"),
             ("FRA", None, "010"), ("USA", "CHN", "057")]
    out = []
    for number in range(documents):
        events = []
        for k in range(rng.randint(1, 3)):
            source, target, cameo = rng.choice(dyads)
            day = date(2012, 6, 1) + timedelta(days=rng.randint(0, 12))
            vague = rng.random() < 0.1
            events.append(record(f"doc{number}", k, source, target, cameo, None if vague else day.isoformat(),
                                 precision="month" if vague else None, mentions=rng.randint(1, 3),
                                 modality="negated" if rng.random() < 0.1 else "asserted", sentence=k + 1))
        out.append(coded(f"doc{number}", events, url=f"https://{rng.choice(['a.com', 'b.org', 'c.net'])}/{number}"))
    return out


def test_incremental_batches_in_any_order_give_the_clusters_of_one_batch(tmp_path):
    corpus = _corpus(1)
    with Store(tmp_path / "one.duckdb") as one:
        one.write_batch(corpus)
        expected = cluster_table(one)
        assert one.counts()["events"] == sum(len(c.events) for c in corpus)
    for seed in (2, 3):
        shuffled = corpus[:]
        random.Random(seed).shuffle(shuffled)
        with Store(tmp_path / f"many{seed}.duckdb") as many:
            for start in range(0, len(shuffled), 7):
                many.write_batch(shuffled[start:start + 7])
            assert cluster_table(many) == expected
            assert many.con.execute("SELECT count(*) FROM events WHERE cluster_id IS NULL").fetchall()[0][0] == 0
            many.rebuild_clusters()
            assert cluster_table(many) == expected


def test_clusters_need_same_actors_root_modality_and_near_dates(tmp_path):
    batch = [
        coded("a", [record("a", 0, "RUS", "CHN", "040", "2012-06-05")], url="https://a.com/1"),
        coded("b", [record("b", 0, "RUS", "CHN", "042", "2012-06-06")], url="https://b.com/1"),  # same root 04
        coded("c", [record("c", 0, "CHN", "RUS", "040", "2012-06-05")], url="https://c.com/1"),  # reversed
        coded("d", [record("d", 0, "RUS", "CHN", "040", "2012-06-05", modality="negated")], url="https://d.com/1"),
        coded("e", [record("e", 0, "RUS", "CHN", "040", "2012-06-08")], url="https://a.com/2"),  # 3 days later
    ]
    with Store(tmp_path / "db.duckdb") as store:
        store.write_batch(batch)
        groups = dict(store.con.execute("SELECT doc_id, cluster_id FROM events").fetchall())
        assert groups["a"] == groups["b"]
        assert len({groups["a"], groups["c"], groups["d"], groups["e"]}) == 4
        row = store.con.execute("SELECT num_articles, num_sources, cameo FROM clusters WHERE cluster_id = ?",
                                [groups["a"]]).fetchall()[0]
        assert row[:2] == (2, 2)


def test_a_failed_batch_leaves_nothing_behind(tmp_path, monkeypatch):
    with Store(tmp_path / "db.duckdb") as store:
        store.write_batch([coded("first", [record("first", 0, "RUS", "CHN", "040", "2012-06-05")])])

        def boom():
            raise RuntimeError("disk full")

        monkeypatch.setattr(store, "_cluster", lambda rows: boom())
        with pytest.raises(RuntimeError):
            store.write_batch([coded("second", [record("second", 0, "RUS", "CHN", "040", "2012-06-05")])])
        assert store.counts() == {"documents": 1, "events": 1, "clusters": 1, "actors": 2}
        assert store.known_hashes([coded("second", []).document.content_hash]) == set()


def test_full_record_is_kept(tmp_path):
    event = record("a", 0, "CHN", "RUS", "040", "2012-06-05", mentions=2)
    with Store(tmp_path / "db.duckdb") as store:
        store.write_batch([coded("a", [event])])
        row = store.con.execute("SELECT record, source_code, target_name, location_lat, num_mentions, is_root "
                                "FROM events").fetchall()[0]
    assert json.loads(row[0]) == event
    assert row[1:5] == ("CHN", "Russia", 39.9075, 2)


def test_not_a_polevents_database(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("just text", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open"):
        Store(path)
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "missing.duckdb", read_only=True)


@pytest.fixture()
def filled(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.write_batch(_corpus(5, 80))
    yield store
    store.close()


def test_events_filters_match_the_rows(filled):
    all_rows = list(queries.events(filled, queries.Filters(modalities=None), limit=None))
    assert len(all_rows) == filled.counts()["clusters"]
    filters = queries.Filters(source="RUS", root="04", since=date(2012, 6, 3), until=date(2012, 6, 9))
    rows = list(queries.events(filled, filters))
    expected = [r for r in all_rows if r["source_code"] == "RUS" and r["cameo"].startswith("04")
                and r["modality"] == "asserted" and r["event_date"] and date(2012, 6, 3) <= r["event_date"]
                <= date(2012, 6, 9)]
    assert {r["cluster_id"] for r in rows} == {r["cluster_id"] for r in expected}
    assert rows and all(r["evidence"] for r in rows)
    reports = list(queries.events(filled, filters, reports=True))
    assert sum(r["num_reports"] for r in rows) == len(reports)


def test_dyad_counts_both_directions(filled):
    rows = queries.dyad(filled, "RUS", "CHN", by="week")
    forward = filled.con.execute("""SELECT count(*), count(*) FILTER (WHERE quad_class = 1) FROM clusters
                                    WHERE source_code = 'RUS' AND target_code = 'CHN' AND modality = 'asserted'
                                    AND event_date IS NOT NULL""").fetchall()[0]
    got = [r for r in rows if r["direction"] == "RUS->CHN"]
    assert sum(r["events"] for r in got) == forward[0]
    assert sum(r["verbal_cooperation"] for r in got) == forward[1]
    assert {r["direction"] for r in rows} == {"RUS->CHN", "CHN->RUS"}
    assert all(r["period"].weekday() == 0 for r in rows)  # weeks start on Monday


def test_bad_filter_values_are_refused():
    with pytest.raises(queries.QueryError):
        queries.Filters(source="RUS'; DROP TABLE events; --")
    with pytest.raises(queries.QueryError, match="not a CAMEO actor code"):
        queries.Filters(target="R U S")
    assert queries.Filters(source="---uaf").source == "---UAF"  # unknown country, as the coder writes it
    with pytest.raises(queries.QueryError):
        queries.Filters(root="four")
    with pytest.raises(queries.QueryError):
        queries.Filters(since=date(2013, 1, 1), until=date(2012, 1, 1))
