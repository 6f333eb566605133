"""Accuracy on the public gold sets (skipped when ../shared is absent).

The floors are the scores reached so far; raise them as accuracy improves, never lower them.
"""

from __future__ import annotations

import pytest

from conftest import shared_path
from polevents.documents import Document, read_inputs
from polevents.evaluate import read_jsonl, score

# lenient F1 floors, set a little under the latest measured scores
FLOORS = {"seed": 0.9, "plover_gsr": 0.65, "petrarch2_gsr": 0.6}


def coded(coder, path):
    docs = (d for d in read_inputs([str(path)]) if isinstance(d, Document))
    return [e.to_dict() for _, events in coder.code_documents(docs) for e in events]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_gold_set_is_above_its_floor(coder, name):
    path = shared_path("eval", "gold", f"{name}.jsonl")
    result = score(read_jsonl(path), coded(coder, path), strict=False)
    assert result.f1 >= FLOORS[name], f"{name}: lenient F1 {result.f1:.3f} fell below {FLOORS[name]}"


def test_seed_finds_every_required_event_with_at_most_two_extra(coder):
    path = shared_path("eval", "gold", "seed.jsonl")
    result = score(read_jsonl(path), coded(coder, path), strict=False)
    assert result.fn == 0, [g for _, g in result.missed]
    assert result.fp <= 2, [(e["source"], e["cameo"], e["target"], e["evidence"]) for _, e in result.extra]


def test_seed_meeting_in_beijing_with_dates(coder):
    path = shared_path("eval", "gold", "seed.jsonl")
    events = coded(coder, path)
    meetings = [e for e in events if e["cameo"] == "040"]
    assert {(e["source"]["code"], e["target"]["code"]) for e in meetings} == {("RUSGOV", "CHNGOV"),
                                                                              ("CHNGOV", "RUSGOV")}
    for event in meetings:
        assert event["date"] == "2012-06-05"
        assert event["location"]["country"] == "CHN" and event["location"]["name"] == "Beijing"
        assert abs(event["location"]["lat"] - 39.9) < 0.1 and abs(event["location"]["lon"] - 116.4) < 0.1
    votes = [e for e in events if e["cameo"][:2] == "12" and e["date"] == "2012-06-01"]
    assert {e["source"]["code"] for e in votes} == {"CHN", "RUS"}


def test_raw_article_without_a_date_gives_the_same_events(coder):
    """The seed article as a plain file: its date comes from its 'Published:' line."""
    article = shared_path("eval", "seed", "putin-hu-beijing-2012.txt")
    gold = read_jsonl(shared_path("eval", "gold", "seed.jsonl"))
    from_file = coded(coder, article)
    for event in from_file:
        event["doc_id"] = gold[0]["doc_id"]
        assert event["published"] == "2012-06-06"
    from_gold = coded(coder, shared_path("eval", "gold", "seed.jsonl"))
    key = lambda e: (e["source"]["code"], e["cameo"], (e["target"] or {}).get("code") or "", e["date"] or "")  # noqa: E731
    assert sorted(map(key, from_file)) == sorted(map(key, from_gold))
    result = score(gold, from_file, strict=False)
    assert result.fn == 0 and result.fp <= 2
