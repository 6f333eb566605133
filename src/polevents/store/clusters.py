"""Reports of the same event, grouped: which rows of the events table describe one real-world event.

Two reports are the same event when they have the same source actor code, target
actor code, CAMEO root and modality, come from different documents, and their
dates are within a day. Chains are not followed: a cluster starts at its earliest
report and takes the reports dated up to one day later, then the next cluster
starts ("anchored" grouping), so a dyad that does the same thing every day does
not melt into one endless event. The grouping depends only on the set of
reports, never on the order they were ingested in, so a resumed ingest gives the
same clusters as a clean one.

Reports whose date is too vague to tell events apart (month, year, unknown)
are clusters of their own. Counts follow GDELT: NumMentions counts every mention
(an article naming the event three times counts three), NumArticles the
documents and NumSources the outlets (the URL's host, else the document's
`source` field; documents with neither count as one unknown source).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from polevents.store.schema import hash64

WINDOW_DAYS = 1

# what clustering needs to know about each report (columns of events, plus the document's)
REPORT_FIELDS = [
    "event_id", "cluster_key", "cluster_day", "cluster_id", "event_date", "doc_hash", "doc_id", "url",
    "source_key", "added", "num_mentions", "is_root",
    "published", "confidence", "cameo", "cameo_root", "cameo_name", "quad_class", "goldstein", "plover_event",
    "plover_mode", "modality", "date_precision",
    "source_code", "source_name", "source_country", "source_sector",
    "target_code", "target_name", "target_country", "target_sector",
    "location_name", "location_country", "location_admin1", "location_lat", "location_lon",
    "location_geonames_id", "location_precision",
]


def anchored_groups(days: list[date], window: int = WINDOW_DAYS) -> list[date]:
    """The anchor (first day) of the group each of the sorted `days` falls in."""
    anchors: list[date] = []
    anchor: date | None = None
    for day in days:
        if anchor is None or (day - anchor).days > window:
            anchor = day
        anchors.append(anchor)
    return anchors


def dated_cluster_id(key: int, anchor: date) -> int:
    return hash64(f"{key}|{anchor.isoformat()}")


def single_cluster_id(event_id: str) -> int:
    return hash64(f"event|{event_id}")


def _order(report: dict[str, Any]) -> tuple:
    """Which report stands for the cluster: the earliest published, then the most confident."""
    published = report.get("published")
    return (published is None, published or date.max, -(report.get("confidence") or 0.0), report["event_id"])


def summarise(cluster_id: int, members: list[dict[str, Any]]) -> dict[str, Any]:
    """One clusters-table row from its reports."""
    members = sorted(members, key=_order)
    first = members[0]
    codes = Counter(m.get("cameo") for m in members)
    top = max(codes.values())
    modal = [c for c, n in codes.items() if n == top]
    code = first.get("cameo") if first.get("cameo") in modal else min(c or "" for c in modal)
    coded = next(m for m in members if (m.get("cameo") or "") == (code or ""))
    days = [m["cluster_day"] for m in members if m.get("cluster_day") is not None]
    if days:
        counts = Counter(days)
        most = max(counts.values())
        event_date = min(d for d, n in counts.items() if n == most)
    else:
        event_date = first.get("event_date")
    placed = next((m for m in members if m.get("location_name")), None) or {}
    added = [m["added"] for m in members if m.get("added") is not None]
    return {
        "cluster_id": cluster_id,
        "cluster_key": first["cluster_key"],
        **{f"{side}_{field}": first.get(f"{side}_{field}")
           for side in ("source", "target") for field in ("code", "name", "country", "sector")},
        "cameo": code,
        "cameo_root": coded.get("cameo_root"),
        "cameo_name": coded.get("cameo_name"),
        "quad_class": coded.get("quad_class"),
        "goldstein": coded.get("goldstein"),
        "plover_event": coded.get("plover_event"),
        "plover_mode": coded.get("plover_mode"),
        "modality": first.get("modality"),
        "event_date": event_date,
        "first_day": min(days) if days else None,
        "last_day": max(days) if days else None,
        "date_precision": first.get("date_precision"),
        **{f"location_{field}": placed.get(f"location_{field}")
           for field in ("name", "country", "admin1", "lat", "lon", "geonames_id", "precision")},
        "representative": first["event_id"],
        "num_reports": len(members),
        "num_mentions": sum(int(m.get("num_mentions") or 1) for m in members),
        "num_sources": len({m.get("source_key") for m in members}),
        "num_articles": len({m["doc_hash"] for m in members}),
        "is_root": any(bool(m.get("is_root")) for m in members),
        "date_added": min(added) if added else None,
        "source_url": first.get("url") or first.get("doc_id"),
    }


def build_clusters(reports: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Clusters of the given reports and each report's cluster id.

    The reports must be complete for every (key, day >= some start) range they cover: all reports of a
    key from that start on, as the store selects them.
    """
    by_key: dict[int, list[dict[str, Any]]] = defaultdict(list)
    alone: list[dict[str, Any]] = []
    for report in reports:
        (alone if report.get("cluster_day") is None else by_key[report["cluster_key"]]).append(report)
    clusters: list[dict[str, Any]] = []
    membership: dict[str, int] = {}
    for key, members in by_key.items():
        members.sort(key=lambda r: (r["cluster_day"], r["event_id"]))
        groups: dict[date, list[dict[str, Any]]] = defaultdict(list)
        for report, anchor in zip(members, anchored_groups([r["cluster_day"] for r in members]), strict=True):
            groups[anchor].append(report)
        for anchor, group in groups.items():
            cluster_id = dated_cluster_id(key, anchor)
            clusters.append(summarise(cluster_id, group))
            for report in group:
                membership[report["event_id"]] = cluster_id
    for report in alone:
        cluster_id = single_cluster_id(report["event_id"])
        clusters.append(summarise(cluster_id, [report]))
        membership[report["event_id"]] = cluster_id
    return clusters, membership
