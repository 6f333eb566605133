"""People of 1980-1999 (people_1980_1999.yaml): the file loads beside people.yaml, roles are dated, names shared
by people in office at different times resolve by the article's date."""

from __future__ import annotations

from datetime import date

import pytest

from polevents.actors.kb import BUILTIN_FILES, builtin_data_files, read_yaml
from polevents.actors.lookup import resolve_phrase


def resolve_one(coder, text, when):
    [found] = resolve_phrase(coder.nlp, coder.resolver, text, when)
    return found.actor


def test_history_file_is_built_in_and_extends_people(kb):
    assert BUILTIN_FILES.index("people_1980_1999.yaml") == BUILTIN_FILES.index("people.yaml") + 1
    files = dict(builtin_data_files())
    recent = read_yaml(files["polevents/actors/data/people.yaml"], "people.yaml")["people"]
    history = read_yaml(files["polevents/actors/data/people_1980_1999.yaml"], "people_1980_1999.yaml")["people"]
    assert len(history) >= 250
    recent_ids = {p["id"] for p in recent}
    history_ids = [p["id"] for p in history]
    # ids are unique across both files: a repeated id would silently replace the person of people.yaml
    assert len(set(history_ids)) == len(history_ids)
    assert not recent_ids & set(history_ids)
    # both files' people are in the knowledge base
    assert all(kb.get(f"person:{i}") is not None for i in [*recent_ids, *history_ids])


@pytest.mark.parametrize(
    ("text", "when", "code", "role"),
    [
        ("President Reagan", date(1985, 3, 1), "USAGOV", "President"),
        ("Mitterrand", date(1990, 1, 1), "FRAGOV", "President"),
        ("Yeltsin", date(1995, 1, 1), "RUSGOV", "President"),
        ("Gorbachev", date(1988, 1, 1), "USRGOV", "General Secretary of the CPSU"),
        ("Gorbachev", date(1995, 1, 1), "RUSELI", None),  # after the Soviet Union: no office
        ("Kohl", date(1988, 1, 1), "GMWGOV", "Chancellor of West Germany"),
        ("Kohl", date(1995, 1, 1), "DEUGOV", "Chancellor"),
        ("Margaret Thatcher", date(1985, 1, 1), "GBRGOV", "Prime Minister"),
        ("Margaret Thatcher", date(1995, 1, 1), "GBRELI", None),  # out of office
        ("Boutros Boutros-Ghali", date(1994, 1, 1), "IGOUNO", "UN Secretary-General"),
        ("Chedli Klibi", date(1985, 1, 1), "IGOMEAARL", "Secretary-General of the Arab League"),
        ("Manfred Wörner", date(1990, 1, 1), "IGOWSTNAT", "Secretary General of NATO"),
        ("Savimbi", date(1990, 1, 1), "AGOREB", "Leader of UNITA"),
        ("Nelson Mandela", date(1996, 1, 1), "ZAFGOV", "President"),
        ("Prosper Avril", date(1989, 1, 1), "HTIGOV", "President (military)"),
        # earlier roles of people in people.yaml
        ("Netanyahu", date(1997, 1, 1), "ISRGOV", "Prime Minister"),
        ("Chirac", date(1987, 1, 1), "FRAGOV", "Prime Minister"),
        ("Chirac", date(1990, 1, 1), "FRAELI", None),
        ("Javier Perez de Cuellar", date(1985, 1, 1), "IGOUNO", "UN Secretary-General"),
        ("Shevardnadze", date(1988, 1, 1), "USRGOV", "Foreign Minister of the Soviet Union"),
    ],
)
def test_people_of_1980_1999_have_dated_roles(coder, text, when, code, role):
    actor = resolve_one(coder, text, when)
    assert (actor.code, actor.role) == (code, role)


@pytest.mark.parametrize(
    ("text", "when", "name"),
    [
        ("Gandhi said", date(1982, 1, 1), "Indira Gandhi"),
        ("Gandhi said", date(1987, 1, 1), "Rajiv Gandhi"),
        ("President Bush", date(1990, 6, 1), "George H. W. Bush"),
        ("President Bush", date(2005, 6, 1), "George W. Bush"),
        ("President George Bush", date(1990, 6, 1), "George H. W. Bush"),
        ("Bush said", date(1991, 6, 1), "George H. W. Bush"),
        ("Bush said", date(2003, 6, 1), "George W. Bush"),
        ("Marcos said", date(1983, 1, 1), "Ferdinand Marcos"),
        ("Marcos said", date(2023, 1, 1), "Ferdinand Marcos Jr."),
    ],
)
def test_a_shared_name_names_whoever_is_in_office(coder, text, when, name):
    assert resolve_one(coder, text, when).name == name
