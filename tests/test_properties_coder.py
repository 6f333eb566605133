"""Property tests: generated hostile text to the coder; no exception escapes, every document ends coded or
with a reason (`language`, `timeout`, `too_large`, `error`).

Same profiles as test_properties_readers.py (`POLEVENTS_HYPOTHESIS=ci|dev|thorough`).
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from polevents.documents import Document, read_bytes_as
from polevents.limits import GuardedCoder, Limits
from test_properties_readers import any_bytes, examples, unicode_text

ACTORS = ["Russia", "China", "the United States", "Iran", "NATO", "the UN Security Council", "President Putin",
          "Kim Jong Un", "He", "They", "the two", "rebels", "police", "Israeli troops", "Hamas", "the EU",
          "Foreign Minister Sergei Lavrov", "French warplanes", "the Kremlin", "Beijing", "anti-government protesters"]
VERBS = ["attacked", "met", "met with", "said", "vetoed", "condemned", "will not attack", "may sanction",
         "threatened to attack", "signed an agreement with", "visited", "accused", "urged", "rejected", "denied",
         "fired missiles at", "arrested", "called on", "did not meet", "is expected to visit", "demanded that"]
TAILS = ["", "on Tuesday", "last month", "in Beijing", "on June 5, 2012", "earlier this week", "yesterday",
         "next Friday", "unless", ", officials said", "over trade", "and"]
NOISE = ["\u200b", "\u202e", "\u200f", "\u0301", "\ud800", "\n", "\n\n", "—", ",", ".", "\"", "“", "”", "\u05d0",
         "\u0627\u0644", "..."]
HEADERS = ["", "Published: June 6, 2012\n\n", "MOSCOW, June 5, 2012 — ", "BEIJING, China — ", "AFP - ",
           "Title Line\n\n", "WASHINGTON (Reuters) - ", "\u202eMOSCOW — "]

sentence = st.builds(lambda a, v, b, t, noise: f"{a} {v} {b} {t}" + "".join(noise), st.sampled_from(ACTORS),
                     st.sampled_from(VERBS), st.sampled_from(ACTORS), st.sampled_from(TAILS),
                     st.lists(st.sampled_from(NOISE), max_size=3))
news_text = st.builds(lambda head, sentences, glue: head + glue.join(sentences) + ".", st.sampled_from(HEADERS),
                      st.lists(sentence, min_size=1, max_size=10), st.sampled_from([". ", ".\n\n", " and ", "; ", ""]))
any_text = st.one_of(news_text, unicode_text, st.builds(lambda a, b: a + b, news_text, unicode_text))
published = st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31)))


def check_events(document: Document, events: list) -> None:
    for event in events:
        record = event.to_dict()
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # printable and storable
        start, end = record["span"]
        assert 0 <= start <= end <= len(document.text)
        assert record["doc_id"] == document.doc_id and record["cameo"]


@examples(2)
@given(text=any_text, when=published)
def test_the_coder_codes_any_text_without_raising(coder, text, when):
    document = Document(doc_id="doc", text=text, published=when)
    check_events(document, coder.code(document))


@examples(0.5)
@given(texts=st.lists(any_text, min_size=1, max_size=6))
def test_every_document_of_a_batch_has_an_outcome(coder, texts):
    from polevents.store.coding import CODED, FAILED, SKIPPED, code_batch

    documents = [Document(doc_id=f"d{n}", text=text) for n, text in enumerate(texts)]
    outcomes = code_batch(GuardedCoder(coder, Limits(seconds=30)), documents)
    assert [o.document for o in outcomes] == documents
    for outcome in outcomes:
        assert outcome.status in (CODED, SKIPPED, FAILED)
        if outcome.status != CODED:
            assert outcome.reason and outcome.message
        json.dumps(outcome.events, ensure_ascii=False).encode("utf-8")


@examples(0.5)
@given(data=st.lists(any_bytes, min_size=1, max_size=4), kind=st.sampled_from(["text", "html", "jsonl"]))
def test_any_bytes_end_coded_or_with_a_reason(coder, data, kind):
    """Readers and coder together: each input is a document that is coded (or fails with a reason), or a
    reader's reason."""
    limits = Limits(max_chars=20_000, seconds=30)  # 100,000 characters of "[[[[" are 100,000 tokens: 15 s
    items = [item for n, blob in enumerate(data) for item in read_bytes_as(blob, kind, f"in{n}", f"in{n}",
                                                                            limits=limits)]
    documents = [item for item in items if isinstance(item, Document)]
    results = list(GuardedCoder(coder, limits).code_each(iter(documents), batch_size=2))
    assert [r.document for r in results] == documents
    for result in results:
        if result.failure is None:
            check_events(result.document, result.events)
        else:
            assert result.failure.reason in ("timeout", "too_large", "error") and result.failure.message
