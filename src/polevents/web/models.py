"""Response shapes of the JSON API: they make the OpenAPI schema say what comes back, so clients
(and the schemathesis property test) can check every answer against it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """A request the API cannot answer: what was wrong and how to write it."""

    detail: str = Field(description="One sentence saying which parameter was wrong and what it takes.")
    errors: list[dict] = Field(default_factory=list, description="Each problem found, with where it was.")


class Actor(BaseModel):
    code: str | None = Field(None, description="CAMEO actor code (RUS, USAGOV, IGOUNO).")
    name: str | None = Field(None, description="The knowledge base's name for the actor.")
    country: str | None = None
    text: str | None = Field(None, description="The words of the article that name the actor.")


class Location(BaseModel):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Highlight(BaseModel):
    role: str = Field(description="trigger, source, target or match (a search word).")
    start: int = Field(description="Offset in the evidence, in Unicode code points.")
    end: int


class EventItem(BaseModel):
    """One row of the event table: a real-world event (a cluster of reports) or one report."""

    id: str = Field(description="The cluster id (unit=event) or the report's event_id (unit=report).")
    unit: str
    event_id: str | None = Field(None, description="The report whose evidence is shown.")
    doc_id: str | None = None
    title: str | None = None
    url: str | None = Field(None, description="The article's address (http and https only).")
    published: str | None = None
    date: str | None = None
    date_precision: str | None = None
    source: Actor | None = None
    target: Actor | None = None
    cameo: str | None = None
    cameo_root: str | None = None
    cameo_name: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    plover_event: str | None = None
    plover_mode: str | None = None
    modality: str | None = None
    location: Location | None = None
    num_reports: int = 1
    num_articles: int = 1
    confidence: float | None = None
    evidence: str | None = None
    trigger: str | None = None
    highlights: list[Highlight] = Field(default_factory=list)


class EventPage(BaseModel):
    total: int = Field(description="How many events match (all pages).")
    limit: int
    offset: int
    items: list[EventItem]


class DyadPoint(BaseModel):
    period: str = Field(description="First day of the week (Monday), month or year.")
    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    mean_goldstein: float | None = None
    articles: int


class DyadDirection(BaseModel):
    direction: str
    source: str
    target: str
    points: list[DyadPoint]


class DyadSeries(BaseModel):
    a: str
    b: str
    by: str
    periods: list[str]
    directions: list[DyadDirection]
    undated: int = Field(description="Events of the dyad with no date, left out of the series.")
    total: int


class Timeline(BaseModel):
    by: str
    periods: list[str]
    points: list[DyadPoint]
    undated: int = Field(description="Matching events with no date, left out of the series.")
    total: int


class Node(BaseModel):
    id: str
    label: str
    events: int
    cooperation: int
    conflict: int


class Edge(BaseModel):
    a: str
    b: str
    events: int
    cooperation: int = Field(description="Events of QuadClass 1 and 2.")
    conflict: int = Field(description="Events of QuadClass 3 and 4.")
    mean_goldstein: float | None = None


class Network(BaseModel):
    by: str
    nodes: list[Node]
    edges: list[Edge]


class Place(BaseModel):
    name: str | None = None
    country: str | None = None
    lat: float
    lon: float
    events: int
    cooperation: int
    conflict: int
    mean_goldstein: float | None = None


class Places(BaseModel):
    places: list[Place]
    unplaced: int = Field(description="Matching events without coordinates.")


class DocumentEvent(EventItem):
    sentence: int | None = None
    span: list[int | None] = Field(default_factory=list, description="The sentence's offsets in the document.")
    trigger_span: list[int | None] = Field(default_factory=list)
    cluster_id: str | None = None


class DocumentOut(BaseModel):
    doc_id: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    published_from: str | None = None
    source: str | None = None
    origin: str | None = None
    status: str | None = None
    reason: str | None = None
    message: str | None = None
    chars: int | None = None
    n_events: int
    added: str | None = None
    events: list[DocumentEvent]


class Dyad(BaseModel):
    a: str
    b: str
    events: int


class Root(BaseModel):
    code: str
    name: str


class Summary(BaseModel):
    documents: int
    reports: int
    events: int
    first_date: str | None = None
    last_date: str | None = None
    undated: int
    top_dyads: list[Dyad]
    roots: list[Root]
    modalities: list[str]


class ActorCount(BaseModel):
    code: str
    name: str | None = None
    events: int
