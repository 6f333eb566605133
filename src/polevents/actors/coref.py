"""Coreference within one document: "He", "the two", "both countries", "the president".

Deliberately simple and predictable: an anaphor takes the most recent earlier
mention of the right kind (a person for "he", a group of two or more actors for
"the two", an actor of the same sector for "the ministry"). The resolution is
recorded on the actor (`resolved_from`) so an analyst can check it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Token

from polevents.actors.mention import Mention


@dataclass(frozen=True, slots=True)
class Vocabulary:
    person_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    group_nouns: frozenset[str]
    group_determiners: frozenset[str]
    person_titles: frozenset[str]
    former_words: frozenset[str]
    partitive_nouns: frozenset[str]
    object_of_nouns: frozenset[str]
    stance_prefixes: frozenset[str]
    relation_participles: frozenset[str]
    organisation_nouns: frozenset[str]
    kind_nouns: frozenset[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    text = (resources.files("polevents.actors") / "data" / "coreference.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)["coreference"]
    return Vocabulary(**{k: frozenset(v) for k, v in data.items()})


@dataclass(slots=True)
class _Entry:
    sentence: int
    mention: Mention
    subject: bool
    plural_noun: bool = False  # "the rebels": one actor, named in the plural


class Coreference:
    """The mentions seen so far in a document, and the rules that resolve anaphors against them."""

    def __init__(self) -> None:
        self.history: list[_Entry] = []
        self.vocab = vocabulary()

    def observe(self, sentence: int, mention: Mention, subject: bool, plural_noun: bool = False) -> None:
        self.history.append(_Entry(sentence, mention, subject, plural_noun))

    def is_anaphor(self, token: Token) -> bool:
        lemma = token.lemma_.lower()
        lower = token.lower_
        if token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$"):
            return lower in self.vocab.person_pronouns or lower in self.vocab.plural_pronouns \
                or lower in self.vocab.thing_pronouns
        return self._is_group_reference(token, lemma)

    def _is_group_reference(self, token: Token, lemma: str) -> bool:
        if lemma not in self.vocab.group_nouns and token.lower_ not in self.vocab.group_nouns:
            return False
        determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "predet", "nummod")}
        if token.lower_ in ("two", "both"):
            return bool(determiners & self.vocab.group_determiners) or token.lower_ == "both"
        plural = token.tag_ in ("NNS", "NNPS")
        return plural and bool(determiners & (self.vocab.group_determiners | {"two"}))

    def resolve(self, token: Token, sentence: int, before: int | None = None) -> Mention | None:
        """The earlier mention `token` refers to, as a Mention headed at `token`."""
        lower = token.lower_
        candidates = [e for e in reversed(self.history)
                      if e.sentence < sentence or (before is not None and e.sentence == sentence
                                                   and e.mention.head < before)]
        antecedent = None
        if lower in self.vocab.person_pronouns:
            antecedent = next((e for e in candidates if e.mention.is_person and not e.mention.plural), None)
        elif lower in self.vocab.thing_pronouns:
            if token.dep_ not in ("nsubj", "nsubjpass", "poss"):
                # "Israel said Hamas attacked it": an object "it" is the subject of a clause above its own (never
                # of its own clause: that would be "itself"); other objects are things ("signed it")
                return self._higher_subject(token, candidates, sentence)
            # "it" is a state or an organisation that was the subject just before, never a newspaper or a firm
            antecedent = next((e for e in candidates if e.subject and not e.mention.is_person
                               and not e.mention.plural and e.sentence >= sentence - 1
                               and e.mention.actors[0].sector not in ("MED", "BUS", "EDU", "HLH", "CVL")), None)
        elif lower in self.vocab.plural_pronouns:
            # "they": a group of actors, or one actor named in the plural ("the rebels")
            antecedent = self._salient([e for e in candidates if e.mention.plural or e.plural_noun])
            if antecedent is None:
                # "The US claimed that they had attacked Iraq", "the government said they would": a state or an
                # organisation spoken of as a body, when no group was named; only the subject of the same sentence
                antecedent = next((e for e in candidates if e.subject and e.sentence == sentence
                                   and not e.mention.is_person and e.mention.how in ("kb", "composed")
                                   and all(a.sector in (None, "GOV") or (a.code or "").startswith("IGO")
                                           for a in e.mention.actors)), None)
        elif self._is_group_reference(token, token.lemma_.lower()):
            antecedent = self._salient([e for e in candidates if e.mention.plural and self._agrees(token, e)])
        if antecedent is None:
            return None
        return self._rehead(token, antecedent)

    def _higher_subject(self, token: Token, candidates: list[_Entry], sentence: int) -> Mention | None:
        verbs = [a for a in token.ancestors if a.pos_ in ("VERB", "AUX")]
        if len(verbs) < 2:
            return None
        subjects = {c.i for v in verbs[1:] for c in v.children if c.dep_ in ("nsubj", "nsubjpass")}
        subjects -= {c.i for c in verbs[0].children if c.dep_ in ("nsubj", "nsubjpass")}
        antecedent = next((e for e in candidates if e.sentence == sentence and e.subject and e.mention.head in subjects
                           and not e.mention.is_person and not e.mention.plural
                           and all(a.sector in (None, "GOV") for a in e.mention.actors)), None)
        return self._rehead(token, antecedent) if antecedent is not None else None

    def _agrees(self, token: Token, entry: _Entry) -> bool:
        """ "the leaders" are people or governments, "the countries" are countries; "the two" is anything."""
        lemma = token.lemma_.lower()
        phrase = " ".join(t.lower_ for t in token.lefts if t.dep_ in ("compound", "amod")) + " " + lemma
        actors = entry.mention.actors
        if lemma in self.vocab.person_titles or phrase.strip() in self.vocab.person_titles:
            return entry.mention.is_person or all(a.sector in ("GOV", "ELI", "MIL", "LEG") for a in actors)
        if lemma in ("country", "nation", "state", "capital", "neighbour", "neighbor", "ally", "power"):
            return all(a.country and a.sector in (None, "GOV") for a in actors)
        return True

    @staticmethod
    def _salient(candidates: list[_Entry]) -> _Entry | None:
        """The antecedent among the latest sentence's candidates: its subject if it has one, else the latest
        ("Trump and Kim met ..., the first meeting between a president and a leader": "the two" are Trump and Kim)."""
        if not candidates:
            return None
        latest = candidates[0].sentence
        same = [e for e in candidates if e.sentence == latest]
        return next((e for e in same if e.subject), same[0])

    def definite(self, token: Token, sector: str, sentence: int, person: bool) -> Mention | None:
        """ "the ministry", "the president": the latest single actor of that sector (and kind)."""
        for entry in reversed(self.history):
            if entry.sentence > sentence or (entry.sentence == sentence and entry.mention.head >= token.i):
                continue
            mention = entry.mention
            if mention.plural or mention.how in ("owner", "place"):
                continue
            actor = mention.actors[0]
            if actor.sector == sector and (mention.is_person == person or not person):
                return self._rehead(token, entry)
        return None

    @staticmethod
    def _rehead(token: Token, entry: _Entry) -> Mention:
        antecedent = entry.mention
        where = f"sentence {entry.sentence}: {antecedent.actors[0].text if antecedent.actors else ''}"
        if antecedent.plural:
            where = f"sentence {entry.sentence}: " + " and ".join(a.text for a in antecedent.actors)
        actors = [replace(a, text=token.text if not token.n_lefts else token.doc[token.left_edge.i:token.i + 1].text,
                          resolved_from=where) for a in antecedent.actors]
        return Mention(actors, token.i, "coref", is_person=antecedent.is_person, entities=list(antecedent.entities))
