"""Resolving one phrase on its own: what `polevents actors resolve` answers.

The phrase is parsed like a sentence (after the optional context, which stands
for the earlier part of a document), and its head noun phrase is resolved by
the same resolver the coder uses, at the given date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from polevents.actors.resolve import ActorResolver
from polevents.record import Actor


@dataclass(frozen=True, slots=True)
class Resolution:
    actor: Actor
    how: str  # kb, composed, person, coref, context, place, owner
    role_since: date | None
    role_until: date | None

    def to_dict(self) -> dict[str, Any]:
        record = self.actor.to_dict()
        record["how"] = self.how
        record["role_since"] = self.role_since.isoformat() if self.role_since else None
        record["role_until"] = self.role_until.isoformat() if self.role_until else None
        return record


def resolve_phrase(nlp, resolver: ActorResolver, phrase: str, when: date | None = None,
                   context: str | None = None) -> list[Resolution]:
    """The actors a phrase names at a date ([] when it names none the knowledge base can resolve)."""
    phrase = " ".join(phrase.split())
    if not phrase:
        return []
    prefix = (context.strip() + "\n\n") if context and context.strip() else ""
    doc = nlp(prefix + phrase)
    start = len(prefix)
    sentences = list(doc.sents)
    actors = resolver.start(doc, when, context_country=None)
    context_country = actors.document_country if prefix else None
    actors.context_country = context_country
    actors._document_country = None
    head = None
    for index, sentence in enumerate(sentences):
        actors.sentence = index
        actors.observe_sentence(sentence, index)
        if sentence.end_char <= start:
            continue
        nouns = [t for t in sentence if t.idx >= start and t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
                 and t.dep_ not in ("compound", "amod", "poss")]
        # the phrase's head: the noun its other words hang from
        roots = [t for t in nouns if t.head.i == t.i or t.head.idx < start or t.head.pos_ not in ("NOUN", "PROPN")]
        # a phrase on its own is sometimes tagged oddly ("Assad" as an adjective): fall back to its root
        head = (roots or nouns or [sentence.root])[0]
        break
    if head is None:
        return []
    out = []
    for token in actors.conjuncts(head):
        found = actors.mention(token)
        if found is None:
            continue
        entities = found.entities or [None] * len(found.actors)
        for actor, entity in zip(found.actors, entities, strict=False):
            role = entity.role_at(when) if entity is not None else None
            out.append(Resolution(actor, found.how, role.since if role else None, role.until if role else None))
    return out
