"""The FastAPI application: the JSON API over a polevents database and the dashboard that reads it.

    app = create_app("world.duckdb")     # then: uvicorn, or `polevents serve --db world.duckdb`

The database is opened read-only once; each request gets its own DuckDB cursor
(DuckDB connections are not shared between threads, cursors are). Every answer
has a response model, so /openapi.json says exactly what comes back. Bad
parameters get a 422 whose `detail` is one sentence a person can act on.
The dashboard is static files from the package: no CDN, no tile server.
"""

from __future__ import annotations

import pathlib
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import Field

from polevents.store.db import Store
from polevents.store.queries import QueryError
from polevents.web import models
from polevents.web import queries as q

MAX_PAGE = 200  # events per page
MAX_OFFSET = 100_000
MAX_EDGES = 500
MAX_PLACES = 2000
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

# Content-Security-Policy of every answer: scripts and styles only from this server, nothing inline, no
# other host contacted. A `<script>` that slipped into the page could not run, nor could it call out.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def static_dir() -> pathlib.Path:
    """Where the dashboard's files are inside the installed package."""
    return pathlib.Path(str(resources.files("polevents.web") / "static"))


# ----- parameters ------------------------------------------------------------------------------------------
Code = Annotated[str | None, Query(max_length=30, pattern=q.ACTOR_PATTERN,
                                   description="CAMEO actor code prefix or country: RUS, USAGOV, IGOUNO.")]
ModalityParam = Literal["asserted", "negated", "future", "hypothetical", "any"]
RootParam = Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
                    "16", "17", "18", "19", "20", "1", "2", "3", "4", "5", "6", "7", "8", "9"]


def event_filter(
    source: Code = None,
    target: Code = None,
    actor: Code = None,
    both_directions: Annotated[bool, Query(description="With source and target: also target->source "
                                                       "(the dyad in both directions).")] = False,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="Where it happened: ISO 3166-1 "
                                                                              "alpha-3 (IRN).")] = None,
    root: Annotated[list[RootParam] | None, Query(max_length=20, description="CAMEO root codes, 01-20 "
                                                  "(repeat).")] = None,
    code: Annotated[str | None, Query(pattern=r"^[0-9]{2,4}$", description="CAMEO event code prefix: 04, "
                                                                          "042.")] = None,
    quad_class: Annotated[list[Annotated[int, Field(ge=1, le=4)]] | None, Query(
        max_length=4, description="QuadClass (repeat): 1 verbal cooperation, 2 material cooperation, "
                                  "3 verbal conflict, 4 material conflict.")] = None,
    modality: Annotated[list[ModalityParam] | None, Query(max_length=5, description="asserted (the default), "
                                                          "negated, future, hypothetical, or any.")] = None,
    since: Annotated[date | None, Query(description="Events on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Events on or before this day (YYYY-MM-DD); not "
                                                    "before since.")] = None,
    place: Annotated[str | None, Query(max_length=100, description="Place name contains this (any case).")] = None,
) -> q.EventFilter:
    """The filter bar's parameters, shared by events, dyad, network and places."""
    modalities: tuple[str, ...] = tuple(modality or ("asserted",))
    if "any" in modalities:
        modalities = ()
    return q.EventFilter(source=source, target=target, actor=actor, both_directions=both_directions,
                         country=country or None, roots=tuple(root or ()), code=code or None,
                         quad_classes=tuple(quad_class or ()), modalities=modalities, since=since, until=until,
                         place=place)


Filters = Annotated[q.EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (at most {MAX_PAGE}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Rows to skip (at most {MAX_OFFSET}).")]


class Database:
    """The read-only database of one app: opened now to fail early, and again after a shutdown if the app
    is started again (the lifespan closes it; test clients and schema loaders start and stop apps)."""

    def __init__(self, path: str | pathlib.Path):
        self.path = path
        self._store: Store | None = Store(path, read_only=True)
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.path, read_only=True)
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def cursor(request: Request) -> Iterator[Any]:
    """A DuckDB cursor of the app's read-only connection, for one request."""
    con = request.app.state.db.store.con.cursor()
    try:
        yield con
    finally:
        con.close()


Con = Annotated[Any, Depends(cursor)]


# ----- errors --------------------------------------------------------------------------------------------
def _where(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body")]
    return ".".join(parts) or "request"


_ACTOR_HINT = "a CAMEO actor code or country: 2 to 30 letters, digits or -, e.g. RUS, USAGOV, IGOUNO, ---UAF"
HINTS = {
    "source": _ACTOR_HINT, "target": _ACTOR_HINT, "actor": _ACTOR_HINT, "a": _ACTOR_HINT, "b": _ACTOR_HINT,
    "country": "three letters, ISO 3166-1 alpha-3, e.g. IRQ",
    "code": "a CAMEO event code prefix: 2 to 4 digits, e.g. 04 or 042",
    "root": "a CAMEO root code, 01 to 20",
    "quad_class": "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
    "since": "a day, YYYY-MM-DD", "until": "a day, YYYY-MM-DD",
    "q": "words to look for in the evidence",
}


def _hint(loc: list[str]) -> str:
    names = [p for p in loc if p in HINTS]
    return f" (use {HINTS[names[0]]})" if names else ""


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in error.errors()]
    detail = "; ".join(f"{_where(e['loc'])}: {e['msg']}{_hint(e['loc'])}" for e in errors) or "bad request"
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)


async def _query_error(_request: Request, error: QueryError) -> JSONResponse:
    return JSONResponse({"detail": str(error), "errors": []}, status_code=422)


# ----- the application -----------------------------------------------------------------------------------
def create_app(db_path: str | pathlib.Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The API and dashboard over the database at `db_path`, opened read-only (StoreError if it cannot be).

    `allowed_hosts` (e.g. the loopback names) turns away requests for other Host headers, so a web page
    elsewhere cannot reach a dashboard on 127.0.0.1 by DNS rebinding.
    """
    db = Database(db_path)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        lifespan=lifespan,
        title="polevents",
        summary="Political events coded from the news (CAMEO and PLOVER), with the sentence that proves each.",
        version=_version(),
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN; /openapi.json is the schema
        responses={422: {"model": models.Problem, "description": "A parameter is wrong; detail says which."}},
    )
    app.state.db = db
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueryError, _query_error)  # type: ignore[arg-type]
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/api/summary", response_model=models.Summary, tags=["overview"])
    def get_summary(con: Con) -> dict[str, Any]:
        """What the database holds: counts, the span of dates, the busiest dyads, the CAMEO roots."""
        return q.summary(con)

    @app.get("/api/actors", response_model=list[models.ActorCount], tags=["overview"])
    def get_actors(con: Con,
                   q_: Annotated[str | None, Query(alias="q", max_length=100,
                                                   description="Code or name contains this.")] = None,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
        """Actor codes seen in events, the busiest first, with their most common name."""
        return q.actors(con, q_, limit=limit)

    @app.get("/api/events", response_model=models.EventPage, tags=["events"])
    def get_events(con: Con, filters: Filters, limit: Limit = 50, offset: Offset = 0,
                   unit: Annotated[Literal["event", "report"], Query(
                       description="event: one row per real-world event (a cluster of reports, as GDELT); "
                                   "report: one row per article's report.")] = "event",
                   ) -> dict[str, Any]:
        """Events matching the filters, newest first, one page at a time, each with its evidence sentence."""
        return q.events_page(con, filters, reports=unit == "report", limit=limit, offset=offset)

    @app.get("/api/search", response_model=models.EventPage, tags=["events"])
    def get_search(con: Con, filters: Filters,
                   q_: Annotated[str, Query(alias="q", min_length=1, max_length=200, pattern=r"[^\s\"']",
                                            description="Words the evidence sentence must all contain "
                                                        "(any case; quotes are ignored).")],
                   limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Reports whose evidence sentence contains every word of `q`, with the words marked."""
        terms = q.search_terms(q_)
        if not terms:
            raise QueryError("q has no words to look for")
        filters.terms = tuple(dict.fromkeys(t.lower() for t in terms))
        return q.events_page(con, filters, reports=True, limit=limit, offset=offset)

    @app.get("/api/dyad", response_model=models.DyadSeries, tags=["aggregates"])
    def get_dyad(con: Con, filters: Filters,
                 a: Annotated[str, Query(pattern=q.ACTOR_PATTERN,
                                         description="First actor (code prefix or country).")],
                 b: Annotated[str, Query(pattern=q.ACTOR_PATTERN, description="Second actor.")],
                 by: Annotated[Literal["day", "week", "month", "year"], Query()] = "month") -> dict[str, Any]:
        """How A and B treat each other over time, both directions: events per QuadClass, mean Goldstein.

        The filters' own source/target/actor are ignored: A and B are the dyad.
        """
        return q.dyad_series(con, a, b, filters, by=by)

    @app.get("/api/timeline", response_model=models.Timeline, tags=["aggregates"])
    def get_timeline(con: Con, filters: Filters,
                     by: Annotated[Literal["day", "week", "month", "year"], Query()] = "month") -> dict[str, Any]:
        """All matching events per period: counts per QuadClass and mean Goldstein."""
        return q.timeline(con, filters, by=by)

    @app.get("/api/network", response_model=models.Network, tags=["aggregates"])
    def get_network(con: Con, filters: Filters,
                    by: Annotated[Literal["actor", "country"], Query(
                        description="actor: one node per actor code; country: codes merged into countries.")
                    ] = "actor",
                    min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                    limit: Annotated[int, Query(ge=1, le=MAX_EDGES,
                                                description=f"Edges, the heaviest first (at most {MAX_EDGES}).")
                                     ] = 100) -> dict[str, Any]:
        """Actors and who did what to whom: edges weighted by events, split into cooperation and conflict."""
        return q.network(con, filters, by=by, min_events=min_events, limit=limit)

    @app.get("/api/places", response_model=models.Places, tags=["aggregates"])
    def get_places(con: Con, filters: Filters,
                   limit: Annotated[int, Query(ge=1, le=MAX_PLACES)] = 500) -> dict[str, Any]:
        """Places where matching events happened, with coordinates and event counts, the busiest first."""
        return q.places(con, filters, limit=limit)

    @app.get("/api/documents/{doc_id:path}", response_model=models.DocumentOut, tags=["events"],
             responses={404: {"model": models.Problem, "description": "No document with that id."}})
    def get_document(con: Con, doc_id: Annotated[str, Path(max_length=1000)]) -> dict[str, Any]:
        """One document: where it came from and every event coded from it, with evidence and spans."""
        found = q.document(con, doc_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no document {doc_id!r} in this database")
        return found

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static_dir() / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    return app


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("polevents")
    except Exception:  # noqa: BLE001 - a source tree without metadata
        return "0"


__all__ = ["create_app", "LOOPBACK_HOSTS"]
