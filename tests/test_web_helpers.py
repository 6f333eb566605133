"""A small polevents database made by hand for the web tests (no model needed), including a hostile article.

Records are built from the CAMEO codebook so names, QuadClass and Goldstein agree with what the coder
writes. Imported by tests/test_web_*.py; holds no tests of its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from polevents.actions.codebook import lookup
from polevents.documents import Document
from polevents.store.coding import CODED, Coded
from polevents.store.db import Store

COUNTRIES = {"USA": "United States", "IRN": "Iran", "RUS": "Russia", "UKR": "Ukraine", "CHN": "China"}
PLACES = {
    "Dubai": ("ARE", 25.0772, 55.3093),
    "Geneva": ("CHE", 46.2022, 6.1457),
    "Kyiv": ("UKR", 50.4547, 30.5238),
}
# What the hostile article tries to run; the browser test checks that none of it did.
SCRIPT = "<script>window.__pwned = 'evidence'</script>"
IMG = '<img src=x onerror="window.__pwned = \'actor\'">'
TITLE = "<script>window.__pwned = 'title'</script>Breaking <b>news</b>"
EVIL_URL = "javascript:window.__pwned='url'"
EVIL_PLACE = "<svg onload=\"window.__pwned='place'\">"


def actor(code: str, name: str | None = None, text: str | None = None) -> dict[str, Any]:
    country = code[:3]
    sector = code[3:] or None
    label = name or COUNTRIES.get(country, country)
    return {"text": text or label, "name": label, "code": code, "country": country, "sector": sector,
            "kb_id": None if sector else f"country:{country}", "role": None, "resolved_from": None}


def event(doc_id: str, n: int, source: dict | None, target: dict | None, cameo: str, day: str | None, *,
          evidence: str, trigger: str, modality: str = "asserted", place: str | None = None,
          published: str | None = None, precision: str | None = None) -> dict[str, Any]:
    """One event record as `Event.to_dict()` writes it, the sentence starting at offset 100 * n."""
    code = lookup(cameo)
    start = 100 * n
    at = evidence.find(trigger)
    location = None
    if place in PLACES:
        country, lat, lon = PLACES[place]
        location = {"name": place, "country": country, "admin1": None, "lat": lat, "lon": lon,
                    "geonames_id": None, "precision": "city", "text": place}
    elif place:
        location = {"name": place, "country": "RUS", "admin1": None, "lat": 55.75, "lon": 37.62,
                    "geonames_id": None, "precision": "city", "text": place}
    return {
        "event_id": f"{doc_id}:{n}:0", "doc_id": doc_id, "sentence": n, "span": [start, start + len(evidence)],
        "evidence": evidence, "trigger": trigger,
        "trigger_span": [start + at, start + at + len(trigger)] if at >= 0 else None,
        "source": source, "target": target, "cameo": cameo, "cameo_root": cameo[:2], "cameo_name": code.name,
        "quad_class": code.quad_class, "goldstein": code.goldstein,
        "plover": {"event": code.plover_event, "mode": code.plover_mode}, "modality": modality,
        "date": day, "date_precision": precision or ("day" if day else "unknown"), "date_text": None,
        "location": location, "published": published, "confidence": 0.8, "rule": "verb:test",
    }


def coded(doc_id: str, published: date | None, events: list[dict[str, Any]], *, title: str | None = None,
          url: str | None = None) -> Coded:
    text = "\n\n".join(e["evidence"] for e in events) or "Nothing happened."
    document = Document(doc_id=doc_id, text=text, published=published, title=title or f"Story {doc_id}", url=url,
                        source=None, origin=f"test:{doc_id}")
    return Coded(document, CODED, events, language="en")


def documents() -> list[Coded]:
    usa, irn = actor("USA"), actor("IRN")
    usagov, irngov = actor("USAGOV", "Mike Pompeo", "Secretary of State Mike Pompeo"), actor("IRNGOV", "Javad Zarif")
    usamil, irnmil = actor("USAMIL", None, "the U.S. Navy"), actor("IRNMIL", None, "Iranian forces")
    rusmil, ukr, rus = actor("RUSMIL", None, "Russian troops"), actor("UKR"), actor("RUS")
    return [
        coded("gulf-1", date(2019, 6, 20), [
            event("gulf-1", 1, irnmil, usamil, "190", "2019-06-20", place="Dubai", published="2019-06-20",
                  evidence="Iranian forces fired on the U.S. Navy near Dubai on Thursday.", trigger="fired"),
            event("gulf-1", 2, usa, irn, "112", "2019-06-21", published="2019-06-20",
                  evidence="United States accused Iran of piracy.", trigger="accused"),
        ], title="Iran fires on U.S. Navy", url="https://news.example.org/gulf-1"),
        coded("gulf-2", date(2019, 7, 15), [
            event("gulf-2", 1, usagov, irngov, "040", "2019-07-15", place="Geneva", published="2019-07-15",
                  evidence="Secretary of State Mike Pompeo met Javad Zarif in Geneva.", trigger="met"),
            event("gulf-2", 2, irngov, usagov, "057", "2019-07-16", place="Geneva", published="2019-07-15",
                  evidence="Javad Zarif signed a deal with Secretary of State Mike Pompeo.", trigger="signed"),
            event("gulf-2", 3, irn, usa, "190", "2019-07-15", modality="negated", published="2019-07-15",
                  evidence="Iran did not attack United States ships.", trigger="attack"),
        ], title="Talks in Geneva", url="https://news.example.org/gulf-2"),
        coded("gulf-3", None, [
            event("gulf-3", 1, usa, irn, "042", None,
                  evidence="United States visited Iran, officials said.", trigger="visited"),
        ], title="Undated visit"),
        coded("war-1", date(2022, 2, 24), [
            event("war-1", 1, rusmil, ukr, "190", "2022-02-24", place="Kyiv", published="2022-02-24",
                  evidence="Russian troops attacked Ukraine near Kyiv 🚀 at dawn.", trigger="attacked"),
            event("war-1", 2, ukr, rus, "161", "2022-02-24", place="Kyiv", published="2022-02-24",
                  evidence="Ukraine cut diplomatic ties with Russia.", trigger="cut"),
        ], title="Russia invades Ukraine", url="https://news.example.org/war-1"),
        coded("hostile", date(2021, 1, 5), [
            event("hostile", 1, actor("RUS", IMG, f"Russia {IMG}"), actor("UKR", SCRIPT, "Ukraine"), "111",
                  "2021-01-05", place=EVIL_PLACE, published="2021-01-05",
                  evidence=f"Russia {IMG} condemned {SCRIPT} Ukraine's leaders.", trigger="condemned"),
        ], title=TITLE, url=EVIL_URL),
    ]


def build_database(path: Path | str) -> Path:
    """Write the documents above into a new database at `path`."""
    path = Path(path)
    with Store(path) as store:
        store.write_batch(documents())
    return path


# What the database holds (the tests' expectations)
REPORTS = 9
EVENTS_ASSERTED = 8
