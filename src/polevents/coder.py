"""The coder: Document -> events. The one object the CLI, the database ingest and Dask workers share.

    coder = Coder()
    for document, events in coder.code_documents(read_inputs(["article.txt"])):
        ...

Everything heavy (the spaCy model, the knowledge base, the patterns, the
gazetteer) is loaded once when the Coder is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacy.tokens import Doc

from polevents.actions.patterns import load_patterns
from polevents.actors.kb import load_knowledge_base
from polevents.actors.resolve import ActorResolver
from polevents.datelines import find_dateline
from polevents.documents import Document
from polevents.events.assemble import Context, SentenceCoder
from polevents.events.places import Gazetteer
from polevents.limits import break_long_runs
from polevents.nlp import load_model
from polevents.record import Event, Place

_CREDIT = re.compile(r"^\s*(?P<name>[A-Z][\w.&' -]{0,40}?)\s+(?:-|–|—|--)\s+(?=\S)")


MAX_SENTENCE_TOKENS = 250  # real sentences in news have under 100


def furniture(document: Document, kb=None) -> list[tuple[int, int]]:
    """Character ranges of a story's furniture the parser should not read: the dateline
    ("BEIJING, China —") and a wire credit ("AFP - ", "Reuters - ") naming a news outlet."""
    ranges = []
    dateline = find_dateline(document.text)
    if dateline is not None:
        ranges.append((dateline.start, dateline.end))
    match = _CREDIT.match(document.text)
    if match and kb is not None and (dateline is None or match.end() <= dateline.start):
        outlet = any("MED" in (a.entity.code or "") or a.entity.sector == "MED" for a in kb.lookup(match["name"]))
        if outlet:
            ranges.append((match.start("name"), match.end()))
    return ranges


def parse_text(document: Document, kb=None) -> str:
    """The text the parser sees: the document's, with its furniture blanked out (same offsets).

    "BEIJING, China — The leaders met" would otherwise parse BEIJING as a subject, and
    "AFP - A squadron ..." would make the news agency the one who acts. Runs of more than 100
    characters without a space are broken up (`break_long_runs`): spaCy's tokenizer takes time
    that grows with the square of such a run, inside code no time limit can interrupt.
    """
    text = document.text
    for start, end in furniture(document, kb):
        text = text[:start] + " " * (end - start) + text[end:]
    return break_long_runs(text)


def merge_mentions(events: list[Event]) -> list[Event]:
    """One event per document for the same actors, code and modality, with every mention kept.

    An article that says three times that China opposes sanctions reports one stance, not three;
    GDELT counts such repeats as mentions of one event, and so does polevents. The event keeps the
    first mention's evidence, takes a date from a later mention when the first has none, and lists
    the other mentions (sentence, evidence, trigger) under "mentions".
    """
    merged: dict[tuple, Event] = {}
    for event in events:
        key = (event.source.code if event.source else None, event.target.code if event.target else None,
               event.cameo, event.modality)
        first = merged.get(key)
        if first is None:
            merged[key] = event
            continue
        if first.date is not None and event.date is not None and first.date != event.date:
            merged[key + (event.date,)] = event  # the same act on another day is another event
            continue
        if first.date is None and event.date is not None:
            first.date, first.date_precision, first.date_text = event.date, event.date_precision, event.date_text
        if first.location is None and event.location is not None:
            first.location = event.location
        first.extra.setdefault("mentions", []).append(
            {"sentence": event.sentence, "span": list(event.span), "evidence": event.evidence,
             "trigger": event.trigger})
    return list(merged.values())


class Coder:
    def __init__(
        self,
        *,
        actors: Sequence[str | Path] = (),
        patterns: Sequence[str | Path] = (),
        model: str | None = None,
    ):
        self.nlp = load_model(model)
        self.kb = load_knowledge_base(actors)
        self.patterns = load_patterns(patterns)
        self.gazetteer = Gazetteer(self.kb)
        self.resolver = ActorResolver(self.kb, self.nlp, self.gazetteer)
        self.sentences = SentenceCoder(self.patterns)

    def code(self, document: Document) -> list[Event]:
        """The events of one document."""
        return self.code_parsed(document, self.nlp(parse_text(document, self.kb)))

    def code_text(self, text: str, *, doc_id: str = "text", published=None) -> list[Event]:
        from polevents.documents import document_from_text

        return self.code(document_from_text(text, doc_id, published=published))

    def code_documents(
        self, documents: Iterable[Document], *, batch_size: int = 32, n_process: int = 1,
    ) -> Iterator[tuple[Document, list[Event]]]:
        """Events per document, parsing in batches (and in `n_process` processes when > 1)."""
        pairs = ((parse_text(d, self.kb), d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield document, self.code_parsed(document, doc)

    def code_parsed(self, document: Document, doc: Doc) -> list[Event]:
        """The events of a document already parsed (from `parse_text(document)`)."""
        dateline = find_dateline(document.text)
        if document.published is None and dateline is not None and dateline.day() is not None:
            # "MOSCOW, June 5, 2012 —": the dateline says when the story was filed
            document.published, document.published_from = dateline.day(), "dateline"
        dateline_place, context_country = self._dateline(dateline)
        masked = furniture(document, self.kb)
        actors = self.resolver.start(doc, document.published, context_country,
                                     ignore=(min(a for a, _ in masked), max(b for _, b in masked)) if masked else None)
        ctx = Context(
            doc_id=document.doc_id,
            published=document.published,
            actors=actors,
            gazetteer=self.gazetteer,
            countries=self._countries(actors, context_country),
            dateline_place=dateline_place,
        )
        events: list[Event] = []
        title = " ".join((document.title or "").split()).lower()
        for index, sentence in enumerate(doc.sents):
            if len(sentence) > MAX_SENTENCE_TOKENS:
                # a list, a table or a run-on without punctuation: no prose to code, and walking its parse
                # costs the square of its length
                note = f"sentence {index} skipped: {len(sentence)} tokens, not prose"
                if note not in document.notes:
                    document.notes.append(note)
                continue
            # the headline and the lines above the dateline (title, byline, "Published:") repeat or
            # summarise the story; its events are coded from the body
            if dateline is not None and sentence.end_char <= dateline.start:
                continue
            if title and " ".join(sentence.text.split()).lower() == title:
                continue
            actors.sentence = index
            actors.observe_sentence(sentence, index)
            events.extend(self.sentences.code(sentence, index, ctx))
        events = merge_mentions(events)
        for number, event in enumerate(events):
            event.event_id = f"{document.doc_id}:{event.sentence}:{number}"
        return events

    def _dateline(self, dateline) -> tuple[Place | None, str | None]:
        if dateline is None:
            return None, None
        context = []
        if dateline.region:
            for alias in self.kb.lookup(dateline.region):
                if alias.entity.kind == "country":
                    context.append(alias.entity.code)
        place = self.gazetteer.dateline_place(dateline.place, dateline.region)
        if place is None:
            return None, context[0] if context else None
        return place, place.country

    @staticmethod
    def _countries(actors, context_country: str | None) -> list[str]:
        seen: list[str] = [context_country] if context_country else []
        for token_index in sorted(actors.kb_at):
            _, aliases = actors.kb_at[token_index]
            for alias in aliases[:1]:
                code = alias.entity.country or (alias.entity.code if alias.entity.kind == "country" else None)
                if code and code not in seen:
                    seen.append(code)
        return seen
