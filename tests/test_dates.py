"""Event dates resolved against the publication date and the tense of the clause."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import read_jsonl, shared_path
from polevents.events.dates import FUTURE, PAST, PRESENT, ResolvedDate, clause_date, resolve_date, verb_tense

WED = date(2012, 6, 6)  # Wednesday 6 June 2012, the seed article's publication day
MON = date(2013, 1, 7)  # Monday 7 January 2013: weekdays and months across a year boundary


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
        ("the day before yesterday", PAST, "2012-06-04", "day"),
        ("the day after tomorrow", FUTURE, "2012-06-08", "day"),
        ("in two weeks", FUTURE, "2012-06-18", "week"),
        ("in three days", FUTURE, "2012-06-09", "day"),
        ("within a month", FUTURE, "2012-07", "month"),
        ("over the weekend", PAST, "2012-05-28", "week"),
        ("over the weekend", FUTURE, "2012-06-04", "week"),
        ("this weekend", FUTURE, "2012-06-04", "week"),
        ("a decade ago", PAST, "2002", "year"),
        ("a year ago", PAST, "2011", "year"),
        ("Tuesday night", PAST, "2012-06-05", "day"),
        ("early Tuesday", PAST, "2012-06-05", "day"),
        ("late Sunday", PAST, "2012-06-03", "day"),
        ("Monday's", PAST, "2012-06-04", "day"),
        ("this past Sunday", PAST, "2012-06-03", "day"),
        ("late last month", PAST, "2012-05", "month"),
        ("earlier this year", PAST, "2012", "year"),
        ("mid-June", FUTURE, "2012-06", "month"),
        ("Sept. 11, 2001", PAST, "2001-09-11", "day"),
        ("1st of June", PAST, "2012-06-01", "day"),
        ("overnight", PAST, "2012-06-06", "day"),
        ("tonight", FUTURE, "2012-06-06", "day"),
        ("Wednesday and Thursday", FUTURE, "2012-06-06", "day"),
        ("Tuesday, June 5", PAST, "2012-06-05", "day"),
        ("5 June", PAST, "2012-06-05", "day"),
        ("the past week", PAST, "2012-05-28", "week"),
    ],
)
def test_resolve_against_publication(text, tense, value, precision):
    resolved = resolve_date(text, WED, tense)
    assert resolved is not None, text
    assert (resolved.value, resolved.precision) == (value, precision)


@pytest.mark.parametrize(
    ("text", "tense", "value", "precision"),
    [
        ("Friday", PAST, "2013-01-04", "day"),
        ("Friday", FUTURE, "2013-01-11", "day"),
        ("Monday", PAST, "2013-01-07", "day"),
        ("last week", PAST, "2012-12-31", "week"),
        ("last month", PAST, "2012-12", "month"),
        ("in December", PAST, "2012-12", "month"),
        ("in December", FUTURE, "2013-12", "month"),
        ("December 28", PAST, "2012-12-28", "day"),
        ("three weeks ago", PAST, "2012-12-17", "week"),
        ("last year", PAST, "2012", "year"),
        ("since 2011", PAST, "2011", "year"),
        ("yesterday", PAST, "2013-01-06", "day"),
    ],
)
def test_resolve_across_a_year_boundary(text, tense, value, precision):
    resolved = resolve_date(text, MON, tense)
    assert resolved is not None, text
    assert (resolved.value, resolved.precision) == (value, precision)


@pytest.mark.parametrize("text", ["in two days", "within three weeks"])
def test_durations_in_the_past_are_no_dates(text):
    """"The crisis was settled in two days": a length of time, not a day after publication."""
    assert resolve_date(text, WED, PAST) is None


def test_periods_have_first_and_last_days():
    assert ResolvedDate("2012-06", "month", "").last_day == date(2012, 6, 30)
    assert ResolvedDate("2012-06-04", "week", "").last_day == date(2012, 6, 10)
    assert ResolvedDate("2012", "year", "").first_day == date(2012, 1, 1)


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


@pytest.mark.parametrize("text", ["recently", "a long time", "the past", "may", "15-month", "annual", "the 1990s",
                                  "in the coming days", "decided"])
def test_unresolvable(text):
    assert resolve_date(text, WED, PAST) is None


# ----- the date of an event's clause, and dates carried between sentences --------------------------
def event_date(nlp, text: str, verb: str, published: date | None = WED) -> ResolvedDate | None:
    doc = nlp(text)
    token = [t for t in doc if t.text == verb][-1]
    tense = verb_tense(token)
    return clause_date(token, None, published, tense, {"say", "tell"})


@pytest.mark.parametrize(
    ("text", "verb", "value", "carried"),
    [
        # a clause's own date
        ("The leaders of Russia and China met Tuesday to foster an evolving partnership.", "met", "2012-06-05", False),
        ("Foreign Ministry spokesman Liu Weimin told reporters Tuesday that China opposes intervention.",
         "opposes", "2012-06-05", False),  # reported speech takes the date of the saying
        ("On Wednesday and Thursday, Putin and Hu will be among leaders attending the annual summit.",
         "attending", "2012-06-06", False),  # a participle describing a noun takes its verb's date
        ("Putin arrived in Beijing since resuming the Russian presidency earlier this month.", "arrived", None,
         False),  # "earlier this month" dates the resumption, not the arrival
        # narrative continuation
        ("The leaders met Tuesday. Putin arrived in Beijing since resuming the presidency earlier this month. "
         "He later sat down for talks with Hu.", "arrived", "2012-06-05", True),
        ("The leaders met Tuesday. Putin arrived in Beijing since resuming the presidency earlier this month. "
         "He later sat down for talks with Hu.", "sat", "2012-06-05", True),
        ("The leaders met Tuesday to foster a partnership.\n\nPutin arrived in Beijing on his first visit.",
         "arrived", "2012-06-05", True),  # an explicit date opens the next paragraph's first sentence
        ("The leaders met Tuesday to foster a partnership.\n\nPutin arrived in Beijing on his first visit. "
         "He later sat down for talks with Hu.", "sat", "2012-06-05", True),  # and carries on within it
        ("Leaders will meet on Thursday. They will sign a trade deal.", "sign", "2012-06-07", True),
        ("The two voted against a resolution Friday. They then walked out of the chamber.", "walked",
         "2012-06-01", True),
        # where the text does not support carrying the date
        ("The leaders met Tuesday. Russia and China have repeatedly defied calls to confront Syria.",
         "defied", None, False),  # a perfect speaks of an indefinite past
        ("The leaders met Tuesday. Beijing opposes setting precedents.", "opposes", None, False),  # present
        ("The leaders met Tuesday. The two countries previously signed a treaty.", "signed", None, False),
        ("The leaders met Tuesday. Putin did not meet Obama.", "meet", None, False),
        ("The leaders met Tuesday. They discussed resolutions, which condemned the violence.", "condemned", None,
         False),  # a relative clause describes something else
        ("The leaders met Tuesday. Putin arrived in Beijing.\n\nChina and Russia vetoed two resolutions.",
         "vetoed", None, False),  # a carried date does not cross a paragraph
        ("The leaders met Tuesday. Russia has long been an ally of Syria. China and Russia vetoed two resolutions.",
         "vetoed", None, False),  # a sentence set at no time breaks the chain
        ("Leaders will meet on Thursday. Putin arrived in Beijing.", "arrived", None, False),  # tenses disagree
        ("Published: June 6, 2012\n\nThe leaders met to discuss trade.", "met", None, False),  # no narrative
        ("The leaders met Tuesday. Russia vetoed a resolution in February.", "vetoed", "2012-02", False),
    ],
)
def test_clause_dates_and_carrying(nlp, text, verb, value, carried):
    found = event_date(nlp, text, verb)
    if value is None:
        assert found is None, found
        return
    assert found is not None, text
    assert (found.value, found.carried) == (value, carried)


def test_no_carrying_when_asked_not_to(nlp):
    doc = nlp("The leaders met Tuesday. Putin arrived in Beijing.")
    arrived = next(t for t in doc if t.text == "arrived")
    assert clause_date(arrived, None, WED, PAST, carry=False) is None
    assert clause_date(arrived, None, WED, PAST).value == "2012-06-05"


@pytest.mark.parametrize(
    ("text", "verb", "tense"),
    [
        ("Putin met Hu.", "met", PAST),
        ("Putin has met Hu.", "met", PAST),
        ("Putin will meet Hu.", "meet", FUTURE),
        ("China opposes sanctions.", "opposes", PRESENT),
        ("The troops are leaving.", "leaving", PRESENT),
        ("The resolution was adopted.", "adopted", PAST),
    ],
)
def test_verb_tense(nlp, text, verb, tense):
    doc = nlp(text)
    assert verb_tense(next(t for t in doc if t.text == verb)) == tense


def test_seed_required_events_have_their_dates(coder):
    """On the seed article, every required gold event that has a date is coded with that date."""
    from polevents.documents import Document, read_inputs
    from polevents.evaluate import matches

    path = shared_path("eval", "gold", "seed.jsonl")
    gold = read_jsonl(path)[0]
    documents = [d for d in read_inputs([str(path)]) if isinstance(d, Document)]
    predicted = [e.to_dict() for _, events in coder.code_documents(documents) for e in events]
    required = [g for g in gold["events"] if g.get("required", True)]
    used: set[int] = set()
    checked = 0
    for event in required:  # matched one to one, in the gold's order, as the scorer does
        hit = next((i for i, p in enumerate(predicted) if i not in used and matches(event, p, strict=False)), None)
        assert hit is not None, event["note"]
        used.add(hit)
        if event.get("date"):
            assert (predicted[hit]["date"], predicted[hit]["date_precision"]) == (event["date"], "day"), event["note"]
            checked += 1
    assert checked >= 5
    undated = [p for p in predicted if p["date"] is None]
    assert undated and all(p["date_precision"] == "published" for p in undated)
