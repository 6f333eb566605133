"""Exports read back: the GDELT 2.0 event table with its 61 columns and types, PLOVER records, Parquet, CSV."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from polevents.cli import main
from polevents.store.coding import LocalExecutor
from polevents.store.db import Store
from polevents.store.exports import GDELT_COLUMNS, gdelt_actor
from polevents.store.ingest import ingest
from store_helpers import coded, record

# GDELT 2.0 event table types (codebook): integers, floats and strings, column by column
GDELT_INTS = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
              "NumSources", "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED"}
GDELT_FLOATS = {"FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat",
                "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long"}


@pytest.fixture(scope="module")
def database(tmp_path_factory, coder):
    from polevents.sources import read_sources

    path = tmp_path_factory.mktemp("exports") / "db.duckdb"
    with Store(path) as store:
        ingest(read_sources([SAMPLES / "news", SAMPLES / "wire.jsonl"]), store, LocalExecutor(coder))
        # reports of one event from three outlets, and an IGO actor
        store.write_batch([
            coded("r1", [record("r1", 0, "RUS", "CHN", "040", "2012-06-05", mentions=2)], url="https://a.com/1"),
            coded("r2", [record("r2", 0, "RUS", "CHN", "042", "2012-06-05")], url="https://b.com/1"),
            coded("r3", [record("r3", 0, "RUS", "CHN", "040", "2012-06-06")], url="https://c.org/x"),
            coded("r4", [record("r4", 0, "USA", "RUS", "111", "2012-06-07", modality="negated")]),
            coded("r5", [record("r5", 0, "FRA", None, "010", None)]),
        ])
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def read_gdelt(path) -> pa.Table:
    types = {name: pa.int64() if name in GDELT_INTS else pa.float64() if name in GDELT_FLOATS else pa.string()
             for name in GDELT_COLUMNS}
    return pacsv.read_csv(
        path, read_options=pacsv.ReadOptions(column_names=GDELT_COLUMNS),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                             null_values=[""], quoted_strings_can_be_null=False))


def test_gdelt_export_reads_back_with_gdelt_columns_and_types(database, tmp_path):
    out = tmp_path / "events.tsv"
    run("export", "--db", str(database), "--format", "gdelt", "--output", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.count("\t") == 60 for line in lines)  # 61 fields, no stray tabs
    table = read_gdelt(out)
    assert table.column_names == GDELT_COLUMNS and len(GDELT_COLUMNS) == 61
    for name in GDELT_INTS:
        assert table.schema.field(name).type == pa.int64()
    rows = table.to_pylist()
    with Store(database, read_only=True) as store:
        expected = store.con.execute("SELECT count(*) FROM clusters WHERE modality = 'asserted'").fetchall()[0][0]
    assert len(rows) == expected  # one row per event (cluster), asserted only by default
    ids = [r["GLOBALEVENTID"] for r in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        day = str(row["SQLDATE"])
        assert len(day) == 8 and date(int(day[:4]), int(day[4:6]), int(day[6:]))
        assert row["MonthYear"] == int(day[:6]) and row["Year"] == int(day[:4])
        assert int(row["FractionDate"]) == row["Year"]
        assert row["EventRootCode"] == row["EventCode"][:2] and row["EventBaseCode"] == row["EventCode"][:3]
        assert row["QuadClass"] in (1, 2, 3, 4) and -10 <= row["GoldsteinScale"] <= 10
        assert 1 <= row["NumSources"] <= row["NumArticles"] <= row["NumMentions"]
        assert row["IsRootEvent"] in (0, 1)
        assert row["AvgTone"] is None  # not computed: left empty, not invented
        assert row["Actor1Geo_Type"] == 0 and row["ActionGeo_Type"] in (0, 1, 2, 3, 4, 5)
        assert len(str(row["DATEADDED"])) == 14
        assert row["Actor1Code"] and row["SOURCEURL"]
        if row["ActionGeo_Type"]:
            assert row["ActionGeo_CountryCode"] and len(row["ActionGeo_CountryCode"]) == 2  # FIPS 10-4
    russia_china = [r for r in rows if r["Actor1Code"] == "RUS" and r["Actor2Code"] == "CHN"]
    assert [(r["NumArticles"], r["NumSources"], r["NumMentions"]) for r in russia_china] == [(3, 3, 4)]
    assert russia_china[0]["EventCode"] == "040" and russia_china[0]["Actor1Name"] == "RUSSIA"


def test_gdelt_header_and_all_modalities(database):
    text = run("export", "--db", str(database), "--format", "gdelt", "--header", "--all")
    header, *rows = text.splitlines()
    assert header.split("\t") == GDELT_COLUMNS
    with Store(database, read_only=True) as store:
        assert len(rows) == store.counts()["clusters"]


def test_gdelt_actor_attributes():
    assert gdelt_actor("USAGOV", "USA") == ("USAGOV", "USA", "", "", "", "", "GOV", "", "")
    assert gdelt_actor("IGOUNOREFHCR", None) == ("IGOUNOREFHCR", "", "UNO", "", "", "", "IGO", "REF", "")
    assert gdelt_actor("PSEREB", "PSE")[6] == "REB"
    assert gdelt_actor("IRQMOSSHI", "IRQ")[4:6] == ("MOS", "SHI")
    assert gdelt_actor("---UAF", None) == ("---UAF", "", "", "", "", "", "UAF", "", "")
    assert gdelt_actor(None, None) == ("",) * 9


def test_plover_export_has_the_required_fields(database, tmp_path):
    from polevents.actions.codebook import codebook

    out = tmp_path / "plover.jsonl"
    run("export", "--db", str(database), "--format", "plover", "--output", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    events = {c.plover_event for c in codebook().values() if c.plover_event}
    with Store(database, read_only=True) as store:
        expected = store.con.execute("SELECT count(*) FROM events WHERE plover_event IS NOT NULL").fetchall()[0][0]
    assert len(records) == expected > 0
    assert len({r["id"] for r in records}) == len(records)
    for item in records:
        for field in ("id", "date", "actor", "recipient", "event", "mode", "context", "location"):
            assert field in item, field
        assert isinstance(item["id"], str) and item["id"]
        assert item["date"] is None or date.fromisoformat(item["date"])
        assert item["event"] in events
        assert item["mode"] is None or isinstance(item["mode"], str)
        assert isinstance(item["context"], list) and all(isinstance(c, str) for c in item["context"])
        assert isinstance(item["actor"], dict) and item["actor"]["name"] and "wikidata_id" in item["actor"]
        assert item["actor"]["name"] == item["actor"]["name"].strip()
        assert item["recipient"] is None or (isinstance(item["recipient"], dict) and "wikidata_id" in item["recipient"])
        if item["location"] is not None:
            assert {"name", "country", "lat", "lon", "geonames_id", "wikidata_id"} <= set(item["location"])
    assert any(r["modality"] == "negated" for r in records)  # PLOVER records keep every modality
    assert all(r["event"] for r in records)  # CAMEO 01 statements (no PLOVER type) are left out


def test_parquet_and_csv(database, tmp_path):
    run("export", "--db", str(database), "--format", "parquet", "--output", str(tmp_path / "pq"))
    import pyarrow.parquet as pq

    with Store(database, read_only=True) as store:
        counts = store.counts()
    assert pq.read_table(tmp_path / "pq" / "events.parquet").num_rows == counts["events"]
    assert pq.read_table(tmp_path / "pq" / "clusters.parquet").num_rows == counts["clusters"]
    assert pq.read_table(tmp_path / "pq" / "documents.parquet").num_rows == counts["documents"]
    text = run("export", "--db", str(database), "--format", "csv", "--source", "RUS")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["source_code"].startswith("RUS") or r["source_country"] == "RUS" for r in rows)
    assert {"event_id", "cluster_id", "cluster_articles", "url", "evidence"} <= set(rows[0])


def test_parquet_needs_an_output_folder(database):
    result = CliRunner().invoke(main, ["export", "--db", str(database), "--format", "parquet"])
    assert result.exit_code == 2 and "--output" in result.output
