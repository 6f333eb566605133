"""Helpers for the database tests: event records and coded documents made by hand (no model needed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from polevents.documents import Document
from polevents.store.coding import CODED, Coded

COUNTRIES = {"RUS": "Russia", "CHN": "China", "USA": "United States", "UKR": "Ukraine", "FRA": "France"}
CODES = {  # cameo -> (name, quad class, goldstein, plover event, plover mode)
    "040": ("Consult", 1, 1.0, "CONSULT", None),
    "042": ("Make a visit", 1, 1.9, "CONSULT", "visit"),
    "057": ("Sign formal agreement", 1, 8.0, "AGREE", None),
    "111": ("Criticize or denounce", 3, -2.0, "ACCUSE", "disapprove"),
    "190": ("Use conventional military force", 4, -10.0, "ASSAULT", None),
    "010": ("Make statement", 1, 0.0, None, None),
}


def actor(code: str | None, sector: str | None = None) -> dict[str, Any] | None:
    if code is None:
        return None
    full = code + (sector or "")
    return {"text": COUNTRIES[code], "name": COUNTRIES[code], "code": full, "country": code, "sector": sector,
            "kb_id": f"country:{code}" if not sector else None, "role": None, "resolved_from": None}


def record(doc_id: str, number: int, source: str, target: str | None, cameo: str, day: str | None, *,
           published: str | None = "2012-06-06", modality: str = "asserted", mentions: int = 1,
           precision: str | None = None, sentence: int = 1, sector: str | None = None) -> dict[str, Any]:
    name, quad, goldstein, plover, mode = CODES[cameo]
    evidence = f"{COUNTRIES[source]} did {name.lower()} with {COUNTRIES.get(target or '', 'nobody')}."
    out = {
        "event_id": f"{doc_id}:{sentence}:{number}", "doc_id": doc_id, "sentence": sentence,
        "span": [10 * sentence, 10 * sentence + len(evidence)], "evidence": evidence, "trigger": "did",
        "trigger_span": [10 * sentence + 5, 10 * sentence + 8],
        "source": actor(source, sector), "target": actor(target), "cameo": cameo, "cameo_root": cameo[:2],
        "cameo_name": name, "quad_class": quad, "goldstein": goldstein, "plover": {"event": plover, "mode": mode},
        "modality": modality, "date": day, "date_precision": precision or ("day" if day else "published"),
        "date_text": "Tuesday" if day else None,
        "location": {"name": "Beijing", "country": "CHN", "admin1": "CN.22", "lat": 39.9075, "lon": 116.3972,
                     "geonames_id": 1816670, "precision": "city", "text": "Beijing"} if source == "CHN" else None,
        "published": published, "confidence": 0.8, "rule": "verb:test",
    }
    if mentions > 1:
        out["mentions"] = [{"sentence": sentence + k, "span": [500 + k, 520 + k], "evidence": "again.",
                            "trigger": "did"} for k in range(1, mentions)]
    return out


def coded(doc_id: str, events: list[dict[str, Any]], *, url: str | None = None, source: str | None = None,
          published: date | None = date(2012, 6, 6), text: str | None = None) -> Coded:
    body = text or f"Story {doc_id}.\n\nA lead paragraph that reads as prose and is long enough to be the lead. " \
                   f"It mentions the events.\n\nA later paragraph with more about {doc_id}."
    document = Document(doc_id=doc_id, text=body, published=published, title=f"Story {doc_id}", url=url,
                        source=source, origin=f"test:{doc_id}")
    return Coded(document, CODED, events, language="en")
