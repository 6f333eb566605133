"""The JSON API through FastAPI's test client, over a small database made by hand (tests/test_web_helpers.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from polevents.store import queries as store_queries
from polevents.store.db import Store, StoreError
from polevents.web import queries as q
from polevents.web.app import CSP, create_app, static_dir
from polevents.web.command import is_loopback
from test_web_helpers import (
    EVENTS_ASSERTED,
    EVIL_URL,
    IMG,
    REPORTS,
    SCRIPT,
    TITLE,
    actor,
    build_database,
    coded,
    event,
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_database(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as test_client:
        yield test_client


def ok(client, url: str, **params) -> dict:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def bad(client, url: str, **params) -> str:
    response = client.get(url, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body["detail"]


# ----- events ---------------------------------------------------------------------------------------------
def test_summary_counts_the_database(client):
    summary = ok(client, "/api/summary")
    assert (summary["documents"], summary["reports"], summary["events"]) == (5, REPORTS, REPORTS)
    assert (summary["first_date"], summary["last_date"], summary["undated"]) == ("2019-06-20", "2022-02-24", 1)
    assert {"a": "IRNGOV", "b": "USAGOV", "events": 2} in summary["top_dyads"]
    assert summary["roots"][3] == {"code": "04", "name": "Consult"}


def test_events_newest_first_asserted_by_default(client):
    page = ok(client, "/api/events")
    assert page["total"] == EVENTS_ASSERTED
    dates = [item["date"] for item in page["items"]]
    assert dates[0] == "2022-02-24" and dates[-1] is None  # undated last
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert all(item["modality"] == "asserted" for item in page["items"])
    everything = ok(client, "/api/events", modality="any")
    assert everything["total"] == EVENTS_ASSERTED + 1
    negated = ok(client, "/api/events", modality="negated")
    assert [i["event_id"] for i in negated["items"]] == ["gulf-2:3:0"]


def test_event_rows_carry_evidence_highlights_and_the_article(client):
    item = next(i for i in ok(client, "/api/events")["items"] if i["event_id"] == "gulf-1:1:0")
    assert item["source"]["code"] == "IRNMIL" and item["target"]["code"] == "USAMIL"
    assert (item["cameo"], item["quad_class"], item["goldstein"]) == ("190", 4, -10.0)
    assert item["url"] == "https://news.example.org/gulf-1" and item["title"] == "Iran fires on U.S. Navy"
    assert item["location"] == {"name": "Dubai", "country": "ARE", "lat": 25.0772, "lon": 55.3093}
    pieces = {h["role"]: item["evidence"][h["start"]:h["end"]] for h in item["highlights"]}
    assert pieces == {"source": "Iranian forces", "trigger": "fired", "target": "the U.S. Navy"}


@pytest.mark.parametrize(("params", "expected"), [
    ({"source": "USA", "target": "IRN"}, {"gulf-1:2:0", "gulf-2:1:0", "gulf-3:1:0"}),
    ({"source": "USA", "target": "IRN", "both_directions": "true"},
     {"gulf-1:1:0", "gulf-1:2:0", "gulf-2:1:0", "gulf-2:2:0", "gulf-3:1:0"}),
    ({"actor": "ukr"}, {"war-1:1:0", "war-1:2:0", "hostile:1:0"}),
    ({"source": "RUSMIL"}, {"war-1:1:0"}),
    ({"country": "che"}, {"gulf-2:1:0", "gulf-2:2:0"}),
    ({"root": ["04", "5"]}, {"gulf-2:1:0", "gulf-2:2:0", "gulf-3:1:0"}),
    ({"code": "04"}, {"gulf-2:1:0", "gulf-3:1:0"}),
    ({"code": "042"}, {"gulf-3:1:0"}),
    ({"quad_class": [3, 4]}, {"gulf-1:1:0", "gulf-1:2:0", "war-1:1:0", "war-1:2:0", "hostile:1:0"}),
    ({"since": "2019-07-01", "until": "2021-12-31"}, {"gulf-2:1:0", "gulf-2:2:0", "hostile:1:0"}),
    ({"place": "  geNEva "}, {"gulf-2:1:0", "gulf-2:2:0"}),
    ({"place": "kyiv", "quad_class": 4}, {"war-1:1:0", "war-1:2:0"}),
])
def test_event_filters(client, params, expected):
    page = ok(client, "/api/events", **params)
    assert {item["event_id"] for item in page["items"]} == expected
    assert page["total"] == len(expected)
    reports = ok(client, "/api/events", unit="report", **params)
    assert {item["id"] for item in reports["items"]} == expected


def test_paging_walks_every_event_once(client):
    seen = []
    for offset in range(0, 10, 3):
        page = ok(client, "/api/events", limit=3, offset=offset)
        assert page["limit"] == 3 and page["offset"] == offset and page["total"] == EVENTS_ASSERTED
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == EVENTS_ASSERTED
    assert ok(client, "/api/events", offset=100)["items"] == []


@pytest.mark.parametrize(("params", "words"), [
    ({"limit": 201}, "limit"),
    ({"limit": 0}, "limit"),
    ({"offset": -1}, "offset"),
    ({"offset": 100_001}, "offset"),
    ({"root": "99"}, "root"),
    ({"root": "x"}, "root"),
    ({"quad_class": 5}, "quad_class"),
    ({"quad_class": "one"}, "quad_class"),
    ({"modality": "maybe"}, "modality"),
    ({"since": "last tuesday"}, "since"),
    ({"since": "2020-01-01", "until": "2019-01-01"}, "after"),
    ({"source": "<script>"}, "source"),
    ({"source": "US A"}, "source"),
    ({"country": "IR"}, "country"),
    ({"code": "4x"}, "code"),
    ({"unit": "article"}, "unit"),
    ({"place": "x" * 101}, "place"),
])
def test_bad_parameters_get_422_with_a_message(client, params, words):
    assert words in bad(client, "/api/events", **params)


def test_messages_say_how_to_write_a_value(client):
    assert "e.g. RUS, USAGOV" in bad(client, "/api/events", source="U.S.")


def test_unknown_country_codes_can_be_filtered(tmp_path):
    # the coder writes ---UAF (unidentified armed forces of an unknown country); the filter must take it
    uaf = {**actor("---UAF"), "country": None, "sector": "UAF", "kb_id": None, "name": None, "text": "gunmen"}
    record = event("uaf", 1, uaf, actor("USAMIL"), "190", "2020-01-03", evidence="Gunmen attacked U.S. troops.",
                   trigger="attacked")
    with Store(tmp_path / "uaf.duckdb") as store:
        store.write_batch([coded("uaf", date(2020, 1, 3), [record])])
    with TestClient(create_app(tmp_path / "uaf.duckdb")) as client:
        assert ok(client, "/api/summary")["top_dyads"] == [{"a": "---UAF", "b": "USAMIL", "events": 1}]
        assert ok(client, "/api/events", actor="---uaf")["total"] == 1
        assert ok(client, "/api/dyad", a="---UAF", b="USAMIL")["total"] == 1
        assert "---UAF" in bad(client, "/api/events", actor="--- UAF")
    assert "01 to 20" in bad(client, "/api/events", root="21")
    assert "YYYY-MM-DD" in bad(client, "/api/timeline", until="June")


def test_search_needs_every_word_in_any_case_and_marks_them(client):
    page = ok(client, "/api/search", q="JAVAD signed")
    assert [i["event_id"] for i in page["items"]] == ["gulf-2:2:0"]
    item = page["items"][0]
    roles = [(h["role"], item["evidence"][h["start"]:h["end"]]) for h in item["highlights"]]
    assert ("trigger", "signed") in roles and ("source", "Javad Zarif") in roles
    assert ok(client, "/api/search", q="javad")["total"] == 2
    assert ok(client, "/api/search", q="javad", modality="any", since="2019-07-16")["total"] == 1
    matches = [h for h in ok(client, "/api/search", q="ties")["items"][0]["highlights"] if h["role"] == "match"]
    assert len(matches) == 1


def test_search_text_is_data_not_sql(client):
    # LIKE wildcards are plain characters: only the hostile sentence has an underscore (window.__pwned)
    expected = {"%": 0, "_": 1, "' OR 1=1 --": 0, "'); DROP TABLE events; --": 0, "\\": 0}
    for text, count in expected.items():
        assert ok(client, "/api/search", q=text)["total"] == count, text
    assert ok(client, "/api/summary")["reports"] == REPORTS
    assert "q" in bad(client, "/api/search", q="")
    assert "words to look for" in bad(client, "/api/search", q="  \"\"  ")


# ----- aggregates ------------------------------------------------------------------------------------------
def test_dyad_series_both_directions_filled_and_agreeing_with_the_cli(client, db):
    series = ok(client, "/api/dyad", a="usa", b="IRN", by="month")
    assert series["periods"] == ["2019-06-01", "2019-07-01"]
    forward, backward = series["directions"]
    assert (forward["direction"], backward["direction"]) == ("USA->IRN", "IRN->USA")
    assert [p["events"] for p in forward["points"]] == [1, 1]
    assert [p["events"] for p in backward["points"]] == [1, 1]
    assert forward["points"][0]["verbal_conflict"] == 1 and backward["points"][0]["material_conflict"] == 1
    assert backward["points"][1] | {} == {"period": "2019-07-01", "events": 1, "verbal_cooperation": 1,
                                         "material_cooperation": 0, "verbal_conflict": 0, "material_conflict": 0,
                                         "mean_goldstein": 8.0, "articles": 1}
    assert series["undated"] == 1 and series["total"] == 4
    with Store(db, read_only=True) as store:  # the CLI's `polevents dyad USA IRN` counts the same
        cli = store_queries.dyad(store, "USA", "IRN", by="month")
    assert sum(r["events"] for r in cli) == series["total"]
    for row in cli:
        direction = next(d for d in series["directions"] if d["direction"] == row["direction"])
        point = next(p for p in direction["points"] if p["period"] == row["period"].isoformat())
        assert (point["events"], point["mean_goldstein"]) == (row["events"], row["mean_goldstein"])


def test_dyad_fills_silent_periods_with_zeros(client):
    series = ok(client, "/api/dyad", a="USA", b="IRN", by="week")
    assert len(series["periods"]) == 5  # 2019-06-17 .. 2019-07-15, Mondays
    assert [p["events"] for p in series["directions"][0]["points"]] == [1, 0, 0, 0, 1]
    assert series["directions"][0]["points"][1]["mean_goldstein"] is None
    assert all(date.fromisoformat(p).weekday() == 0 for p in series["periods"])
    assert "a" in bad(client, "/api/dyad", a="U S", b="IRN")
    assert "by" in bad(client, "/api/dyad", a="USA", b="IRN", by="decade")


def test_timeline_counts_all_dated_matches(client):
    series = ok(client, "/api/timeline", by="year")
    assert series["periods"] == ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01"]
    assert [p["events"] for p in series["points"]] == [4, 0, 1, 2]
    assert series["undated"] == 1 and series["total"] == EVENTS_ASSERTED - 1


def test_network_edges_weighted_cooperation_vs_conflict(client):
    net = ok(client, "/api/network")
    edges = {(e["a"], e["b"]): e for e in net["edges"]}
    assert edges[("IRNGOV", "USAGOV")]["events"] == 2 and edges[("IRNGOV", "USAGOV")]["cooperation"] == 2
    assert edges[("IRN", "USA")] | {} == {"a": "IRN", "b": "USA", "events": 2, "cooperation": 1, "conflict": 1,
                                         "mean_goldstein": -0.05}  # accuse -2.0 and visit +1.9
    labels = {n["id"]: n["label"] for n in net["nodes"]}
    assert labels["IRNGOV"] == "Iran GOV" and labels["USA"] == "United States"
    by_country = ok(client, "/api/network", by="country")
    edges = {(e["a"], e["b"]): e for e in by_country["edges"]}
    assert edges[("IRN", "USA")]["events"] == 5  # USA, USAGOV and USAMIL merged
    assert edges[("IRN", "USA")]["conflict"] == 2
    assert all(e["a"] != e["b"] for e in by_country["edges"])
    assert len(ok(client, "/api/network", limit=1)["edges"]) == 1
    assert "limit" in bad(client, "/api/network", limit=501)


def test_places_with_counts(client):
    found = ok(client, "/api/places")
    places = {p["name"]: p for p in found["places"]}
    assert places["Geneva"]["events"] == 2 and places["Geneva"]["cooperation"] == 2
    assert places["Kyiv"]["conflict"] == 2 and places["Kyiv"]["country"] == "UKR"
    assert found["unplaced"] == 2
    assert list(places) == [p["name"] for p in sorted(found["places"], key=lambda p: (-p["events"], p["name"]))]
    assert ok(client, "/api/places", actor="UKR", quad_class=4)["places"][0]["name"] == "Kyiv"


# ----- documents -------------------------------------------------------------------------------------------
def test_document_with_its_events_and_spans(client):
    doc = ok(client, "/api/documents/gulf-2")
    assert doc["title"] == "Talks in Geneva" and doc["n_events"] == 3
    assert [e["event_id"] for e in doc["events"]] == ["gulf-2:1:0", "gulf-2:2:0", "gulf-2:3:0"]
    first = doc["events"][0]
    assert first["span"] == [100, 100 + len(first["evidence"])]
    assert first["trigger_span"] == [100 + first["evidence"].find("met"), 100 + first["evidence"].find("met") + 3]
    response = client.get("/api/documents/no-such-thing")
    assert response.status_code == 404 and "no-such-thing" in response.json()["detail"]


def test_hostile_text_comes_back_as_data_and_bad_links_are_dropped(client):
    doc = ok(client, "/api/documents/hostile")
    assert doc["title"] == TITLE  # JSON carries the text as it is; the page shows it as text
    assert doc["url"] is None  # a javascript: address is not a link to an article
    event = doc["events"][0]
    assert SCRIPT in event["evidence"] and event["source"]["name"] == IMG
    item = ok(client, "/api/search", q="condemned")["items"][0]
    assert item["url"] is None and EVIL_URL not in str(item)


def test_highlight_offsets_are_code_points_and_never_overlap():
    evidence = "Russian troops 🚀 attacked Ukraine near Kyiv."
    marks = q.highlights(evidence, span_start=1000, trigger="attacked", trigger_start=1017, trigger_end=1025,
                         source_text="  Russian\n troops", target_text="Ukraine", terms=("kyiv", "ukraine"))
    assert [(m["role"], evidence[m["start"]:m["end"]]) for m in marks] == [
        ("source", "Russian troops"), ("trigger", "attacked"), ("target", "Ukraine"), ("match", "Kyiv")]
    # offsets that do not fit the sentence fall back to finding the trigger's words
    marks = q.highlights("They met again.", span_start=0, trigger="met", trigger_start=50, trigger_end=53,
                         source_text=None, target_text=None)
    assert marks == [{"role": "trigger", "start": 5, "end": 8}]
    assert q.highlights(None, span_start=None, trigger=None, trigger_start=None, trigger_end=None,
                        source_text=None, target_text=None) == []


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/a?b=1", True), ("http://example.org", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("data:text/html,<script>", False), ("file:///etc/passwd", False),
    ("//evil.example", False), ("https:", False), (None, False), ("http://[::1", False),
])
def test_only_web_addresses_become_links(url, kept):
    assert (q.safe_url(url) is not None) is kept


# ----- the server itself -------------------------------------------------------------------------------------
def test_database_is_read_only(client, db):
    with pytest.raises(duckdb.Error):
        client.app.state.db.store.con.execute("DELETE FROM events")
    assert ok(client, "/api/summary")["reports"] == REPORTS


def test_missing_database_is_an_error_not_a_new_file(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        create_app(tmp_path / "absent.duckdb")
    assert not (tmp_path / "absent.duckdb").exists()


def test_pages_carry_a_strict_content_security_policy(client):
    for url in ("/", "/api/summary", "/static/app.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_openapi_schema_describes_every_route(client):
    schema = ok(client, "/openapi.json")
    assert {"/api/events", "/api/search", "/api/dyad", "/api/timeline", "/api/network", "/api/places",
            "/api/documents/{doc_id}", "/api/summary", "/api/actors"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"source", "target", "actor", "country", "root", "code", "quad_class", "modality", "since", "until",
            "place", "limit", "offset", "unit"} <= parameters
    assert "422" in schema["paths"]["/api/events"]["get"]["responses"]


def test_dashboard_assets_are_bundled_and_build_no_html_from_data(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert re.findall(r'(?:src|href)="(https?:)?//', page.text) == []  # nothing from another host
    script = (static_dir() / "app.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink
    assert "http://" not in code.replace("http://www.w3.org/2000/svg", "")
    world = client.get("/static/world.json").json()
    assert len(world["countries"]) > 170
    iran = next(c for c in world["countries"] if c["iso3"] == "IRN")
    lons, lats = iran["rings"][0][0::2], iran["rings"][0][1::2]
    assert 44 < min(lons) < max(lons) < 64 and 25 < min(lats) < max(lats) < 40
    # no ring jumps from +180 to -180 (a flat map would draw a line across the world); Antarctica's
    # closing edge runs along the south pole, below the map
    for country in world["countries"]:
        for ring in country["rings"]:
            steps = [abs(ring[k + 2] - ring[k]) for k in range(0, len(ring) - 2, 2)]
            assert max(steps) <= 180, country["name"]
    assert client.get("/static/../app.py").status_code == 404


def test_host_check_turns_away_other_names(db):
    with TestClient(create_app(db, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1") as c:
        assert c.get("/api/summary").status_code == 200
        assert c.get("/api/summary", headers={"host": "evil.example"}).status_code == 400


def test_serve_command(tmp_path):
    from polevents.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "127.0.0.1" in result.output
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0 and "no database" in result.output
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
