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
    ],
)
def test_dateline_formats(opening, place, region, month_day, agency):
    found = find_dateline("Headline here\n\n" + opening + BODY)
    assert found is not None, opening
    assert (found.place, found.region, found.month_day, found.agency) == (place, region, month_day, agency)


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
