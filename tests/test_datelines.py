"""Publication lines and datelines at the top of a news text."""

from __future__ import annotations

from datetime import date

import pytest

from polevents.datelines import find_dateline, published_from_text

BODY = " The minister met his counterpart on Tuesday to discuss the crisis in the region and trade."


@pytest.mark.parametrize(
    ("opening", "place", "region", "month_day", "agency"),
    [
        ("BEIJING, China —", "Beijing", "China", None, None),
        ("KABUL (AP) —", "Kabul", None, None, "AP"),
        ("MOSCOW, June 5 —", "Moscow", None, (6, 5), None),
        ("MOSCOW, June 5 (Reuters) -", "Moscow", None, (6, 5), "Reuters"),
        ("NAJAF, Iraq -", "Najaf", "Iraq", None, None),
        ("Canadian Press - VANCOUVER (CP) -", "Vancouver", None, None, "CP"),
        ("UNITED NATIONS (AP) --", "United Nations", None, None, "AP"),
        ("Paris, 5 June (AFP) -", "Paris", None, (6, 5), "AFP"),
        ("WASHINGTON –", "Washington", None, None, None),
        ("THE HAGUE, Netherlands (Reuters) —", "The Hague", "Netherlands", None, "Reuters"),
        ("SANAA, Yemen, June 5 (Reuters) -", "Sanaa", "Yemen", (6, 5), "Reuters"),
        ("Kabul, Afghanistan (CNN) --", "Kabul", "Afghanistan", None, "CNN"),
        ("ST. PETERSBURG, Russia —", "St. Petersburg", "Russia", None, None),
        ("TRIPOLI, Lebanon, Jan. 3 (AFP) -", "Tripoli", "Lebanon", (1, 3), "AFP"),
        ("ATHENS, Ga. (AP) —", "Athens", "Ga.", None, "AP"),
        ("GAZA CITY, Gaza Strip —", "Gaza City", "Gaza Strip", None, None),
        ("MOSCOW, June 5, 2012 —", "Moscow", None, (6, 5), None),
        ("BAGHDAD (Reuters) —", "Baghdad", None, None, "Reuters"),
    ],
)
def test_dateline_formats(opening, place, region, month_day, agency):
    found = find_dateline("Headline here\n\n" + opening + BODY)
    assert found is not None, opening
    assert (found.place, found.region, found.month_day, found.agency) == (place, region, month_day, agency)


def test_dateline_days():
    """The filing day: the dateline's own year, else the publication's (the year before across New Year)."""
    assert find_dateline("T\n\nMOSCOW, June 5, 2012 —" + BODY).day() == date(2012, 6, 5)
    late = find_dateline("T\n\nMOSCOW, Dec. 31 (Reuters) -" + BODY)
    assert late.day(date(2013, 1, 2)) == date(2012, 12, 31)
    assert late.day(None) is None
    assert find_dateline("T\n\nBEIJING, China —" + BODY).day(date(2012, 6, 6)) is None


@pytest.mark.parametrize(
    ("opening", "country", "name"),
    [
        ("BEIJING, China —", "CHN", "Beijing"),
        ("TRIPOLI, Lebanon (AFP) -", "LBN", "Tripoli"),
        ("TRIPOLI (Reuters) -", "LBY", "Tripoli"),
        ("ATHENS, Ga. (AP) —", "USA", "Athens"),
        ("ATHENS (AP) —", "GRC", "Athens"),
        ("KABUL (AP) —", "AFG", "Kabul"),
    ],
)
def test_datelines_give_the_publication_place(coder, opening, country, name):
    """The dateline's place, resolved with its region: the publication place and the news day's default."""
    found = find_dateline("Headline here\n\n" + opening + BODY)
    place = coder.gazetteer.dateline_place(found.place, found.region)
    assert (place.country, place.name, place.precision) == (country, name, "city")


def test_no_dateline_in_ordinary_prose():
    assert find_dateline("The minister met his counterpart - an old friend - on Tuesday in the capital city.") is None
    assert find_dateline("AP - short") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nPublished: June 6, 2012 (Issue # 1711)\n\nBody.", date(2012, 6, 6)),
        ("Title\nPosted on 14 July 2015\nBody text.", date(2015, 7, 14)),
        ("Title\nUpdated: 2020-01-08 06:00 GMT\nBody.", date(2020, 1, 8)),
        ("Title\nBody without a date line, mentioning June 6, 2012 in passing.", None),
    ],
)
def test_publication_line(text, expected):
    assert published_from_text(text) == expected
