"""The event record: the contract every tool downstream reads (see docs/event-record.md).

Kept as plain dataclasses with one `to_dict` so that the JSONL output, the
database and the exports cannot drift apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MODALITIES = ("asserted", "negated", "future", "hypothetical")
DATE_PRECISIONS = ("day", "week", "month", "year", "published", "unknown")


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor as it appears in one event: the words of the text and what they resolved to."""

    text: str
    name: str | None
    code: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    role: str | None = None
    resolved_from: str | None = None  # for coreference: the earlier mention it came from

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    precision: str  # city, admin1, country
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Event:
    event_id: str
    doc_id: str
    sentence: int
    span: tuple[int, int]
    evidence: str
    trigger: str
    source: Actor | None
    target: Actor | None
    cameo: str
    cameo_root: str
    cameo_name: str
    quad_class: int
    goldstein: float
    plover: dict[str, str | None]
    modality: str
    date: str | None
    date_precision: str
    date_text: str | None
    location: Place | None
    published: str | None
    confidence: float
    rule: str
    trigger_span: tuple[int, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record = {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "span": list(self.span),
            "evidence": self.evidence,
            "trigger": self.trigger,
            "trigger_span": list(self.trigger_span) if self.trigger_span else None,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "cameo_name": self.cameo_name,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": dict(self.plover),
            "modality": self.modality,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "location": self.location.to_dict() if self.location else None,
            "published": self.published,
            "confidence": self.confidence,
            "rule": self.rule,
        }
        record.update(self.extra)
        return record
