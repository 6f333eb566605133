"""Event dates resolved against the publication date and the tense of the clause."""

from __future__ import annotations

from datetime import date

import pytest

from polevents.events.dates import FUTURE, PAST, PRESENT, resolve_date

WED = date(2012, 6, 6)  # Wednesday 6 June 2012, the seed article's publication day


@pytest.mark.parametrize(
    ("text", "tense", "value", "precision"),
    [
        ("Tuesday", PAST, "2012-06-05", "day"),
        ("on Tuesday", PAST, "2012-06-05", "day"),
        ("Friday", PAST, "2012-06-01", "day"),
        ("Wednesday", PAST, "2012-06-06", "day"),
        ("Wednesday", FUTURE, "2012-06-06", "day"),
        ("Thursday", FUTURE, "2012-06-07", "day"),
        ("Tuesday", FUTURE, "2012-06-12", "day"),
        ("last Wednesday", PAST, "2012-05-30", "day"),
        ("next Monday", FUTURE, "2012-06-11", "day"),
        ("next Monday", PAST, "2012-06-11", "day"),
        ("this Friday", FUTURE, "2012-06-08", "day"),
        ("Monday", PRESENT, "2012-06-04", "day"),
        ("today", PAST, "2012-06-06", "day"),
        ("yesterday", PAST, "2012-06-05", "day"),
        ("tomorrow", FUTURE, "2012-06-07", "day"),
        ("last night", PAST, "2012-06-05", "day"),
        ("this morning", PAST, "2012-06-06", "day"),
        ("on June 1", PAST, "2012-06-01", "day"),
        ("June 1", PAST, "2012-06-01", "day"),
        ("1 June 2011", PAST, "2011-06-01", "day"),
        ("June 20", PAST, "2011-06-20", "day"),
        ("June 20", FUTURE, "2012-06-20", "day"),
        ("December 25", FUTURE, "2012-12-25", "day"),
        ("2012-05-25", PAST, "2012-05-25", "day"),
        ("last week", PAST, "2012-05-28", "week"),
        ("this week", PAST, "2012-06-04", "week"),
        ("next week", FUTURE, "2012-06-11", "week"),
        ("later in the week", FUTURE, "2012-06-04", "week"),
        ("earlier this week", PAST, "2012-06-04", "week"),
        ("last month", PAST, "2012-05", "month"),
        ("earlier this month", PAST, "2012-06", "month"),
        ("later this month", FUTURE, "2012-06", "month"),
        ("next month", FUTURE, "2012-07", "month"),
        ("in March", PAST, "2012-03", "month"),
        ("in September", PAST, "2011-09", "month"),
        ("in September", FUTURE, "2012-09", "month"),
        ("March 2011", PAST, "2011-03", "month"),
        ("last year", PAST, "2011", "year"),
        ("next year", FUTURE, "2013", "year"),
        ("in 2009", PAST, "2009", "year"),
        ("since 2011", PAST, "2011", "year"),
        ("three years ago", PAST, "2009", "year"),
        ("two days ago", PAST, "2012-06-04", "day"),
        ("two weeks ago", PAST, "2012-05-21", "week"),
        ("six months ago", PAST, "2011-12", "month"),
        ("last month's", PAST, "2012-05", "month"),
    ],
)
def test_resolve_against_publication(text, tense, value, precision):
    resolved = resolve_date(text, WED, tense)
    assert resolved is not None, text
    assert (resolved.value, resolved.precision) == (value, precision)


def test_year_boundary():
    assert resolve_date("last month", date(2013, 1, 10), PAST).value == "2012-12"
    assert resolve_date("December 30", date(2013, 1, 2), PAST).value == "2012-12-30"
    assert resolve_date("January 3", date(2012, 12, 30), FUTURE).value == "2013-01-03"


@pytest.mark.parametrize("text", ["Tuesday", "yesterday", "last week", "two days ago", "next month"])
def test_relative_dates_need_a_publication_date(text):
    assert resolve_date(text, None, PAST) is None


def test_absolute_dates_need_no_publication_date():
    assert resolve_date("June 1, 2012", None, PAST).value == "2012-06-01"
    assert resolve_date("in 2009", None, PAST).value == "2009"


@pytest.mark.parametrize("text", ["recently", "a long time", "the past", "may"])
def test_unresolvable(text):
    assert resolve_date(text, WED, PAST) is None
