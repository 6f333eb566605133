"""From noun phrases in a parsed sentence to actors, at the article's date.

A noun phrase names an actor in one of a few ways, tried in this order:

1. the knowledge base names it ("Vladimir Putin", "the Kremlin", "UN Security Council");
2. it is a sector noun composed with a country or organisation from its modifiers
   ("Chinese Foreign Ministry spokesman", "leaders of Russia and China", "a court in Guyana");
3. it is an unknown person whose title composes the same way ("Foreign Ministry spokesman Liu Weimin");
4. it refers back to earlier actors (pronouns, "the two") -- see `coref.py`.

Targets may also be the "owner" of a non-actor noun ("two UN Security Council
resolutions" is aimed at the UN). Sector nouns without any country take the
document's context country when it has one (its dateline), else the CAMEO
placeholder "---".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from polevents.actors.coref import Coreference, vocabulary
from polevents.actors.kb import (
    ADJECTIVE,
    CAPITAL,
    DEMONYM,
    METONYM_SECTOR,
    NAME,
    Alias,
    Entity,
    KnowledgeBase,
)
from polevents.actors.mention import Mention
from polevents.events.places import ADMIN1
from polevents.events.places import cues as place_cues
from polevents.record import Actor

UNKNOWN_COUNTRY = "---"
# prepositions after which a capital is a place, not its government ("arrived in Beijing")
LOCATIVE_PREPS = {"in", "at", "to", "near", "into", "from", "outside", "around", "across", "toward",
                  "towards", "via", "within", "inside", "through", "throughout", "over", "off"}
# prepositions after which a country's name is where something happens, not whom it concerns
STATIC_PREPS = {"in", "at", "near", "inside", "within", "throughout", "across", "around", "outside", "over", "off"}
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod", "nummod"}
# "the government of Iraq", "leaders of Russia and China", "a court in Guyana", "envoy to the UN"
COMPOSING_PREPS = ("of", "from", "for", "in", "at", "throughout", "across")
PERSON_ENTS = {"PERSON"}


def _singular(word: str) -> str:
    """An English plural's singular, for words the tagger took for names ("Rebels", "Militants")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _np_text(token: Token) -> str:
    """The words of the phrase headed by `token`, without relative clauses and trailing prepositions."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "flat", "nummod") or (child.dep_ == "prep" and child.lemma_ == "of"):
            right = max(right, child.right_edge.i)
    span = token.doc[left:right + 1]
    words = [t for t in span if t.dep_ != "punct" or t.i not in (left, right)]
    while words and (words[0].dep_ in ("det", "punct", "cc", "preconj") or words[0].is_punct or words[0].is_space):
        words = words[1:]
    while words and (words[-1].is_space or words[-1].is_punct):
        words = words[:-1]
    if not words:
        return token.text
    return " ".join(token.doc[words[0].i:words[-1].i + 1].text.split())


class ActorResolver:
    """Finds and resolves actor mentions; one per knowledge base, reused for every document."""

    def __init__(self, kb: KnowledgeBase, nlp, places=None):
        self.kb = kb
        self.places = places  # a Gazetteer, for "a court in Guyana" / "mayor of Nablus"
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        aliases = kb.aliases
        forms = sorted(aliases)
        # names written in capitals ("PAKISTANI troops", "BEIJING") are matched case-insensitively,
        # but only where the text itself is in capitals: lower-case "chad" or "turkey" stays a word
        self.caps_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._form_of_lower: dict[str, str] = {}
        for start in range(0, len(forms), 2000):
            chunk = forms[start:start + 2000]
            patterns = list(nlp.tokenizer.pipe(chunk))
            for form, pattern in zip(chunk, patterns, strict=True):
                self.matcher.add(form, [pattern])
                if len(form) > 3 and not form.isupper() and form.lower() not in self._form_of_lower:
                    self._form_of_lower[form.lower()] = form
                    self.caps_matcher.add(form.lower(), [pattern])
        self.sector_nouns = kb.sector_nouns
        self.generic_nouns = kb.generic_nouns
        self.max_sector_words = max((len(k.split()) for k in self.sector_nouns), default=1)
        # nouns that denote people (the rest denote bodies): "the president" is a person, "the ministry" is not
        self.person_nouns = set(self.generic_nouns) | set(vocabulary().person_titles)
        self.former_words = set(vocabulary().former_words)
        self.partitive_nouns = set(vocabulary().partitive_nouns)
        self.object_of_nouns = set(vocabulary().object_of_nouns)
        self.stance_prefixes = set(vocabulary().stance_prefixes)
        self.relation_participles = set(vocabulary().relation_participles)
        self.organisation_nouns = set(vocabulary().organisation_nouns)
        self.kind_nouns = set(vocabulary().kind_nouns)
        self._full_names = [(form, alias) for form, entries in aliases.items() for alias in entries
                            if alias.entity.kind == "person" and " " in form]
        self._full_name_forms = [form for form, _ in self._full_names]
        # one-word country names and adjectives, for copy that misspells them
        self._country_forms = sorted({form for form, entries in aliases.items() if " " not in form and len(form) >= 5
                                      and form[:1].isupper() and any(a.entity.kind == "country" and a.form in
                                                                     (NAME, ADJECTIVE) for a in entries)})
        self._closest_found: dict[tuple[str, int], tuple[str, int] | None] = {}

    def closest(self, text: str, forms: list[str], cutoff: int) -> tuple[str, int] | None:
        """The form of `forms` closest to `text` (rapidfuzz ratio at least `cutoff`) and its index, or None.

        Remembered per resolver, since the same unknown names come back in every story; bounded, so that a
        long run does not grow without end.
        """
        key = (text, id(forms))
        if key not in self._closest_found:
            from rapidfuzz import fuzz, process

            best = process.extractOne(text, forms, scorer=fuzz.ratio, score_cutoff=cutoff)
            if len(self._closest_found) > 100_000:
                self._closest_found.clear()
            self._closest_found[key] = (best[0], best[2]) if best is not None else None
        return self._closest_found[key]

    # ----- per document ---------------------------------------------------------------------------
    def start(self, doc: Doc, when: date | None, context_country: str | None = None,
              ignore: tuple[int, int] | None = None) -> DocumentActors:
        """Index the knowledge-base names in a parsed document; `ignore` is a character range (a dateline)."""
        spans = []
        for match_id, start, end in self.matcher(doc):
            spans.append(Span(doc, start, end, label=match_id))
        for match_id, start, end in self.caps_matcher(doc):
            span = doc[start:end]
            if span.text.isupper():
                spans.append(Span(doc, start, end, label=self._form_of_lower[doc.vocab.strings[match_id]]))
        spans = filter_spans(spans)
        at: dict[int, tuple[Span, list[Alias]]] = {}
        for span in spans:
            # "the" is dropped from aliases, so a match never starts with it; a lower-case single word
            # that is also an ordinary word ("chad", "turkey") only counts when written as a name
            aliases = self.kb.aliases.get(span.label_, [])
            for token in span:
                at[token.i] = (span, aliases)
        return DocumentActors(self, doc, when, at, context_country, ignore)


class DocumentActors:
    """Actor readings of the noun phrases of one parsed document."""

    def __init__(self, resolver: ActorResolver, doc: Doc, when: date | None,
                 kb_at: dict[int, tuple[Span, list[Alias]]], context_country: str | None,
                 ignore: tuple[int, int] | None = None):
        self.r = resolver
        self.doc = doc
        self.when = when
        self.kb_at = kb_at
        self.context_country = context_country
        self.coref = Coreference()
        self.ignore = ignore
        self.owners_by_lemma: dict[str, tuple[int, Mention]] = {}  # for bridging ("the resolution")
        self._document_country: str | None = None
        self._countries_in_document: set[str] | None = None
        self._first_names: dict[str, list[tuple[int, Token]]] | None = None  # surname -> (position, first name)
        self.pronoun_owned: set[int] = set()  # heads of phrases owned through a pronoun ("its troops")
        self.sentence = 0  # index of the sentence being coded, for coreference
        self._cache: dict[tuple[int, bool | str], Mention | None] = {}

    # ----- helpers --------------------------------------------------------------------------------
    def _composed_name(self, code: str | None, sector: str | None) -> str | None:
        """ "France: military" for FRAMIL: a composed actor still has a name people can read."""
        country = self.r.kb.country(code[:3]) if code and code[:3] != UNKNOWN_COUNTRY else None
        label = self.r.kb.sector_labels.get(sector or "", sector)
        if country is None:
            return f"unknown country: {label}" if label else None
        return f"{country.name}: {label}" if label else country.name

    def _actor(self, token: Token, entity: Entity | None, code: str | None, *, text: str | None = None,
               role: str | None = None, sector: str | None = None) -> Actor:
        country = None
        if code and code[:3] not in ("IGO", "NGO", "MNC", UNKNOWN_COUNTRY) and self.r.kb.country(code[:3]):
            country = code[:3]
        elif entity is not None and entity.country:
            country = entity.country
        if sector is None and code:
            sector = code[3:6] or None
            if code.startswith(("IGO", "NGO", "MNC")):
                sector = code[:3]
        return Actor(
            text=text or _np_text(token),
            name=entity.name if entity else self._composed_name(code, sector),
            code=code,
            country=country,
            sector=sector,
            kb_id=entity.kb_id if entity else None,
            role=role,
        )

    def kb_alias(self, token: Token) -> tuple[Span, Alias] | None:
        found = self.kb_at.get(token.i)
        if not found and token.ent_type_ == "PERSON":
            # "Sheikh Hamad bin Khalifa al-Thani": the known part of a longer name names the person
            for left in sorted((t for t in token.lefts if t.dep_ == "compound" and t.ent_type_ == "PERSON"),
                               key=lambda t: -t.i):
                known = self.kb_at.get(left.i)
                if known and known[1] and all(a.entity.kind == "person" for a in known[1]):
                    found = known
                    break
        if not found:
            return self._misspelt_country(token)
        span, aliases = found
        if not aliases:
            return None
        # lower-case one-word matches of names ("chad") are ordinary words
        if len(span) == 1 and span.text.islower() and aliases[0].form == NAME:
            return None
        alias = self._choose(span, aliases)
        if alias.form == CAPITAL and alias.entity.data.get("ambiguous_capital") and self.r.places is not None:
            # "Tripoli, the north Lebanese port": a namesake in a country the document names is meant
            elsewhere = self.r.places.country_of_name(span.text, self.countries_in_document)
            if elsewhere and elsewhere != alias.entity.code:
                return None
        return span, alias

    def _misspelt_country(self, token: Token) -> tuple[Span, Alias] | None:
        """A country's name or adjective misspelt in the copy ("Ethopia", "Afganistan", "Quatar"): the
        known one-word form it is closest to, when it is very close and starts with the same letter."""
        if token.ent_type_ not in ("GPE", "NORP", "LOC", "") or token.pos_ != "PROPN" or len(token.text) < 5 \
                or not token.text[:1].isupper() or token.text.isupper():
            return None
        text = token.text
        best = self.r.closest(text, self.r._country_forms, 85)
        if best is None:
            return None
        form = best[0]
        # a longer or shorter word is another name ("Indiana" is not "Indian"): a misspelling is inside
        if form[0] != text[0] or text.startswith(form) or form.startswith(text):
            return None
        aliases = [a for a in self.r.kb.aliases.get(form, []) if a.entity.kind == "country"]
        return (token.doc[token.i:token.i + 1], aliases[0]) if aliases else None

    def _choose(self, span: Span, aliases: list[Alias]) -> Alias:
        """Pick among entities sharing a name: people in office at the date first, then countries."""
        if len(aliases) == 1:
            return aliases[0]

        def rank(alias: Alias) -> tuple[int, int]:
            entity = alias.entity
            in_office = entity.kind == "person" and entity.role_at(self.when) is not None
            order = {"country": 1, "igo": 2, "group": 3, "person": 4, "region": 5}.get(entity.kind, 9)
            return (0 if in_office else 1, order)

        return min(aliases, key=rank)

    def is_locative(self, token: Token) -> bool:
        return token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.lemma_.lower() in LOCATIVE_PREPS

    def sector_of(self, token: Token) -> tuple[str | None, bool, int]:
        """(sector, is_generic, words used) for a head noun, reading multiword phrases from its modifiers."""
        lemma = token.lemma_.lower()
        if token.tag_ == "NNPS" or (token.pos_ == "PROPN" and lemma == token.lower_):
            lemma = _singular(token.lower_)  # "Rebels attacked" at the start of a sentence is tagged a name
        lefts = [t for t in token.lefts if t.dep_ in ("compound", "amod")]
        # try the longest phrase ending at the head first: "foreign minister", "armed forces"
        for size in range(min(self.r.max_sector_words, len(lefts) + 1), 1, -1):
            words = lefts[-(size - 1):]
            if words and words[-1].i + len(words) == token.i:
                phrase = " ".join(t.lower_ for t in words) + " " + lemma
                phrase_text = " ".join(t.lower_ for t in [*words, token])
                for key in (phrase, phrase_text):
                    if key in self.r.sector_nouns:
                        return self.r.sector_nouns[key], False, size
                    if key in self.r.generic_nouns:
                        return self.r.generic_nouns[key], True, size
        for key in (lemma, token.lower_):
            if key in self.r.sector_nouns:
                return self.r.sector_nouns[key], False, 1
            if key in self.r.generic_nouns:
                return self.r.generic_nouns[key], True, 1
        return None, False, 0

    # ----- the readings ---------------------------------------------------------------------------
    def mention(self, token: Token, *, allow_owner: bool = False) -> Mention | None:
        """The actors the phrase headed by `token` names (conjuncts not included)."""
        key = (token.i, allow_owner)
        if self.ignore and self.ignore[0] <= token.idx < self.ignore[1]:
            return None
        if key not in self._cache:
            self._cache[key] = self._mention(token, allow_owner)
        return self._cache[key]

    def _mention(self, token: Token, allow_owner: bool) -> Mention | None:
        if token.pos_ in ("VERB", "AUX", "ADP", "PUNCT", "CCONJ", "SCONJ", "PART", "SPACE") and token.tag_ != "NNP":
            # a gerund parsed as an object ("vetoed a Security Council resolution censuring ...") can
            # still carry its owner
            return self._owner(token) if allow_owner and token.dep_ in ("dobj", "pobj") else None
        partitive = self._partitive_of(token)
        if partitive is not None:
            return self.mention(partitive, allow_owner=allow_owner)
        others = self._others_of(token)
        if others is not None:
            found = self.mention(others)
            if found is not None:
                text = _np_text(token)
                return Mention([replace(a, text=text) for a in found.actors], token.i, found.how,
                               is_person=found.is_person, entities=found.entities)
        if token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$"):
            return self.coref.resolve(token, self.sentence, before=token.i) if self.coref.is_anaphor(token) else None
        found = self.kb_alias(token)
        if found:
            span, alias = found
            mention = self._from_kb(token, span, alias)
            if mention:
                return mention
        sector, generic, _ = self.sector_of(token)
        if sector or self.coref.is_anaphor(token):
            return self._composed(token, sector, generic)
        if generic:
            # "Hamas supporters", "members of the banned MASSOB": of the side they belong to, when it is named
            owned = self._owner(token)
            if owned is not None:
                return Mention(owned.actors, token.i, "composed", entities=owned.entities)
            # "army posts", "a police station", "party members": of the body the modifier names
            by_modifier = self._of_compound_body(token)
            if by_modifier is not None:
                return by_modifier
        for child in token.lefts if token.lemma_.lower() in self.r.organisation_nouns else ():
            # "the Palestinian Islamic Jihad movement", "the Hamas leadership": the organisation named before
            # the word for an organisation is the actor
            found = self.kb_alias(child) if child.dep_ in ("compound", "nmod") else None
            if found and found[1].entity.kind in ("group", "igo") and found[0].root.i == child.i:
                return self._from_kb(child, *found)
        if token.pos_ == "NOUN" and (token.dep_ in ("nsubj", "ROOT") or token.head.dep_ == "agent"):
            # a doer that is the instrument of the body that names it: "Israeli army bulldozers demolished"
            by_modifier = self._of_compound_body(token)
            if by_modifier is not None:
                return by_modifier
        if token.pos_ == "PROPN" or token.ent_type_ in PERSON_ENTS:
            mention = self._person(token)
            if mention:
                return mention
        if allow_owner:
            return self._owner(token)
        if token.tag_ in ("NNS", "NNPS") and any(
                c.dep_ in ("amod", "compound") and (f := self.kb_alias(c)) is not None and f[1].form == ADJECTIVE
                for c in token.children):
            # a people named by nationality: "Iraqi Kurds", "Palestinian youths"
            owned = self._owner(token)
            if owned is not None:
                return Mention(owned.actors, token.i, "composed", entities=owned.entities)
        return None

    def _from_kb(self, token: Token, span: Span, alias: Alias) -> Mention | None:
        entity = alias.entity
        # a KB name used as a modifier inside a larger phrase ("U.S. influence") is not this phrase's head
        head_of_span = span.root
        extends_name = entity.kind == "person" and head_of_span.head.i == token.i and token.ent_type_ == "PERSON"
        if head_of_span.i != token.i and token.i not in (t.i for t in span) and not extends_name:
            return None
        text = _np_text(token)
        if entity.kind == "person":
            if self._another_first_name(span):
                return None  # "Bobby Fischer" is not Joschka Fischer
            role = entity.role_at(self.when)
            code = entity.code_at(self.when)
            if code and code.endswith("GOV") and self._former(token):
                # "former Israeli Prime Minister Naftali Bennett": out of office, whatever the date
                code, role = code[:3] + "ELI", None
            return Mention([self._actor(token, entity, code, text=text, role=role.title if role else None)],
                           token.i, "kb", is_person=True, entities=[entity])
        if entity.kind in ("igo", "group", "region"):
            role = entity.role_at(self.when) if entity.kind == "group" else None
            code = entity.code_at(self.when) if entity.kind == "group" else entity.code
            return Mention([self._actor(token, entity, code, text=text, role=role.title if role else None)],
                           token.i, "kb", entities=[entity])
        # countries: name, adjective, demonym, capital and seats of government
        code = entity.code
        if alias.form in METONYM_SECTOR:
            if alias.form == CAPITAL and self.is_locative(token):
                return Mention([self._actor(token, entity, code, text=text)], token.i, "place", entities=[entity])
            actor = self._actor(token, entity, f"{code}{METONYM_SECTOR[alias.form]}", text=text)
            if alias.form == CAPITAL:
                actor = replace(actor, resolved_from="capital")  # a government, unless it is attacked or visited
            return Mention([actor], token.i, "kb", entities=[entity])
        elif alias.form == ADJECTIVE and token.dep_ in ("amod", "compound"):
            return None  # "Chinese" modifying a noun is composed by that noun
        elif alias.form == NAME and self.is_locative(token) and token.head.lemma_.lower() in STATIC_PREPS:
            # "in Syria" is where; "to Haiti", "from Lebanon" are who an act goes to or leaves
            return Mention([self._actor(token, entity, code, text=text)], token.i, "place", entities=[entity])
        elif alias.form == DEMONYM:
            # "Bosnian Serbs", "Albanians of southern Serbia", "Iraqi Kurds": the people of where they live
            # (one person, "a Briton in Riyadh", is a national abroad, not one of a people living there)
            plural = token.tag_ in ("NNS", "NNPS") or token.text.endswith("s")
            owners, _ = self._modifier_owners(token, with_preps=("of", "in", "from") if plural else ("of",))
            place = next(((c, e) for c, e in owners if e is not None and e.kind == "country" and c != code), None)
            if place is not None:
                return Mention([self._actor(token, place[1], place[0], text=text)], token.i, "composed",
                               entities=[place[1]])
            if any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in token.children):
                # "ethnic Albanians demonstrated in Serbia": an ethnic group, of the country where it lives
                # (the place of the event), not the nation of that name
                actor = replace(self._actor(token, entity, "---", text=text), country=None, name=None,
                                kb_id=None, resolved_from="ethnic group")
                return Mention([actor], token.i, "composed")
        return Mention([self._actor(token, entity, code, text=text)], token.i, "kb", entities=[entity])

    def _modifier_owners(self, token: Token, *, with_preps: bool | tuple[str, ...]
                         ) -> tuple[list[tuple[str, Entity | None]], str | None]:
        """Countries/organisations named in a phrase's modifiers, and a sector a modifier contributes.

        Modifiers ("Chinese", "U.S.", "Syria's", "UN") come first; only when they name nobody are
        prepositional phrases read, in the order of COMPOSING_PREPS ("leaders of Russia and China",
        "a court in Guyana"), so "the US commander in Iraq" stays American.
        Returns ([(code, entity)], modifier_sector).
        """
        sector_box: list[str] = []
        owners = self._walk_owners([c for c in token.children if _modifies(c) or c.dep_ == "appos"],
                                   sector_box)
        preps = COMPOSING_PREPS if with_preps is True else (with_preps or ())
        if token.lemma_.lower() in self.r.object_of_nouns:
            preps = tuple(p for p in preps if p != "of")  # "the kidnappers of a journalist" are not his
        if not owners:
            for wanted in preps:
                pobjs = [c for prep in token.children if prep.dep_ == "prep" and prep.lemma_.lower() == wanted
                         for c in prep.children if c.dep_ == "pobj"]
                owners = self._walk_owners(pobjs, sector_box)
                if owners:
                    break
        people = self._people_of_a_place(token)
        unique: list[tuple[str, Entity | None]] = []
        for code, entity in owners:
            if code and all(code != c for c, _ in unique) and code != people:
                unique.append((code, entity))
        return unique, (sector_box[0] if sector_box else None)

    def _people_of_a_place(self, token: Token) -> str | None:
        """ "Bosnian Serb forces", "Kosovo Albanian leaders": a place and then a people (a country's
        `peoples` word) side by side, no "and" between them; the people live there, the state is no
        owner. ("Turkish Cypriot" is not read so: "Turkish" is no people word of Turkey's.)"""
        countries = []
        for child in token.lefts:
            found = self.kb_alias(child)
            if found and found[1].entity.kind in ("country", "region") \
                    and child.dep_ in ("amod", "compound", "nmod"):
                countries.append((child, found[1].entity))
        for (first, place), (second, people) in pairwise(countries):
            if second.i == first.i + 1 and place.code != people.code \
                    and second.text in (people.data.get("peoples") or ()):
                return people.code
        return None

    def _walk_owners(self, start: list[Token], sector_box: list[str]) -> list[tuple[str, Entity | None]]:
        owners: list[tuple[str, Entity | None]] = []
        todo = list(start)
        seen: set[int] = set()
        while todo:
            child = todo.pop(0)
            if child.i in seen:
                continue
            seen.add(child.i)
            if child.lemma_.lower() in self.r.kind_nouns:
                continue  # "the use of the Russian language": a kind of thing, owned by no one
            if child.dep_ == "poss" and child.pos_ == "PRON":
                # "his ruling party", "its troops", "their countries": whoever the pronoun stands for
                referent = self.mention(child)
                if referent is not None:
                    self.pronoun_owned.add(child.head.i)
                    owners.extend((a.code or "", e) for a, e in zip(referent.actors, referent.entities or
                                                                    [None] * len(referent.actors), strict=False))
                continue
            found = self.kb_alias(child)
            if found and self._against_or_for(found[0]):
                continue  # "anti-Syria journalist", "pro-Russian rebels": about the country, not of it
            if found and found[0].root.head.lemma_.lower() in self.r.relation_participles \
                    and found[0].root.head != found[0].root:
                continue  # "the Al Qaeda-linked group", "Syrian-backed militia": allied with, not part of
            if found:
                _, alias = found
                entity = alias.entity
                if entity.kind in ("igo", "group"):
                    owners.append((entity.code_at(self.when) or "", entity))
                elif entity.kind == "person":
                    # "calls by Kofi Annan, UN secretary-general": what the person is at the date
                    owners.append((entity.code_at(self.when) or entity.country or UNKNOWN_COUNTRY, entity))
                elif entity.kind in ("country", "region"):
                    owners.append((entity.code or "", entity))
                # conjoined modifiers: "leaders of Russia and China"
                todo.extend(c for c in child.children if c.dep_ == "conj")
                continue
            sector, generic, _ = self.sector_of(child)
            if sector and child.dep_ in ("pobj", "poss"):
                # "autonomy from Serbian authorities": the body named in the phrase, with its sector; a
                # possessor is the owner whoever it is ("the kidnappers' demands")
                named = self.mention(child)
                if named is not None and named.how in ("composed", "kb", "person") and (child.dep_ == "poss" or not any(
                        a.code.startswith(UNKNOWN_COUNTRY) for a in named.actors)):
                    owners.extend((a.code or "", e) for a, e in zip(named.actors, named.entities or
                                                                    [None] * len(named.actors), strict=False))
                    continue
            # an adjective before a noun modifier modifies that noun: "national security adviser" is no civilian
            describes_next = child.pos_ == "ADJ" and child.i + 1 < len(child.doc) \
                and child.doc[child.i + 1].dep_ == "compound" and child.doc[child.i + 1].head.i == child.head.i
            if sector and not generic and not sector_box and child.dep_ != "appos" and not describes_next:
                sector_box.append(sector)
            if self.r.places is not None and child.pos_ == "PROPN" and child.ent_type_ in ("GPE", "LOC", "FAC", ""):
                region = child.head.lemma_.lower() in place_cues().admin1_words and child.head.i > child.i
                # the whole name: "South Carolina" is no "Carolina" (a town in Puerto Rico)
                name = " ".join(t.text for t in self.doc[child.left_edge.i:child.i + 1]
                                if t.dep_ in ("compound", "flat") or t == child)
                place = self.r.places.country_of_name(name, self.countries_in_document,
                                                      kind=ADMIN1 if region else None)
                if place:
                    owners.append((place, self.r.kb.country(place)))
                    continue
            # look one level deeper: "the Foreign Ministry of China", "city of Nablus", "Syria's regime"
            todo.extend(c for c in child.children if _modifies(c) or c.dep_ == "conj")
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lemma_.lower() == "of":
                    todo.extend(c for c in prep.children if c.dep_ == "pobj")
        return owners

    def _composed(self, token: Token, sector: str | None, generic: bool) -> Mention | None:
        owners, modifier_sector = self._modifier_owners(token, with_preps=True)
        if generic and modifier_sector and not (sector == "MIL" and modifier_sector == "GOV"):
            sector = modifier_sector  # "rebel forces" are REB, but "government forces" stay MIL
        if not owners and token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN") \
                and not any(c.dep_ == "poss" for c in token.children):
            # (not "US forces and Sadr's militia": the militia is Sadr's, whoever he is)
            # "Israeli helicopters and tanks": the second noun shares the first one's modifiers
            owners, _ = self._modifier_owners(token.head, with_preps=True)
        if not owners:
            # "the two", "both countries", "the sides": a group mentioned before
            if self.coref.is_anaphor(token):
                return self.coref.resolve(token, self.sentence, before=token.i)
            # "the ministry", "the president": the latest actor of that sector
            definite = any(c.lower_ == "the" for c in token.children if c.dep_ == "det")
            if definite and sector and token.tag_ in ("NN", "NNP"):
                person = token.lemma_.lower() in self.r.generic_nouns or token.ent_type_ in PERSON_ENTS \
                    or self._is_person_noun(token)
                found = self.coref.definite(token, sector, self.sentence, person)
                if found is not None:
                    return found
        if sector is None and not owners:
            return None
        if sector == "GOV" and self._former(token):
            sector = "ELI"  # "former President", "ousted leader": an elite, no longer the government
        # a person or group named in apposition is who it is ("the president, Vladimir Putin",
        # "the Somali militant group al-Shabab")
        for child in token.children:
            if child.dep_ in ("appos", "compound") and child.i > token.i:
                found = self.kb_alias(child)
                if found and found[1].entity.kind in ("person", "group", "igo"):
                    return self._from_kb(child, *found)
            if child.dep_ == "appos":
                found = self.kb_alias(child)
                if found and found[1].entity.kind in ("person", "group", "igo"):
                    return self._from_kb(child, *found)
        text = _np_text(token)
        actors = []
        for code, entity in owners:
            if code.startswith(("IGO", "NGO", "MNC")) or (entity is not None and entity.kind == "group"):
                actors.append(self._actor(token, entity, code, text=text))
            else:
                # "the Turkish and Greek sides": countries without a sector
                actors.append(self._actor(token, None, f"{code[:3]}{sector or ''}", text=text, sector=sector))
        if not actors:
            country = self.context_country or UNKNOWN_COUNTRY
            actors.append(self._actor(token, None, f"{country}{sector}", text=text, sector=sector))
            how = "context" if self.context_country else "composed"
        else:
            how = "composed"
        is_person = token.ent_type_ in PERSON_ENTS or token.lemma_.lower() in self.r.generic_nouns
        return Mention(actors, token.i, how, is_person=is_person, entities=[None] * len(actors))

    def _person(self, token: Token) -> Mention | None:
        """An unknown (or misspelt) person: compose from their title, or match a known name fuzzily."""
        # a name the tagger did not take for a person counts behind a title ("Vice-President Moody Awori")
        titled_name = token.pos_ == "PROPN" and any(
            t.dep_ in ("compound", "nmod") and self.sector_of(t)[0] for t in token.lefts)
        if token.ent_type_ not in PERSON_ENTS and not titled_name:
            return None
        name_tokens = [t for t in token.lefts if t.dep_ in ("compound", "flat") and t.ent_type_ in PERSON_ENTS]
        full = " ".join(t.text for t in [*name_tokens, token])
        text = _np_text(token)
        titled = self._titled_person(token, text)
        if titled is not None and not titled.actors[0].code.startswith(UNKNOWN_COUNTRY):
            return titled  # "suspected British militant Haroon Rashid Aswad": the title says who he is
        fuzzy = self._fuzzy_person(full)
        if fuzzy is not None:
            role = fuzzy.role_at(self.when)
            actor = replace(self._actor(token, fuzzy, fuzzy.code_at(self.when), role=role.title if role else None))
            return Mention([actor], token.i, "kb", is_person=True, entities=[fuzzy])
        if titled is not None and self.document_country:
            # a named official of unstated nationality ("President Dos Santos", "Judge Rivera") is most
            # likely of the country the story is about
            country = self.document_country
            actors = [replace(a, code=country + a.code[3:], country=country,
                              name=self._composed_name(country + a.code[3:], a.sector))
                      if a.code.startswith(UNKNOWN_COUNTRY) else a for a in titled.actors]
            return Mention(actors, titled.head, titled.how, is_person=True, entities=titled.entities)
        return titled

    @staticmethod
    def _others_of(token: Token) -> Token | None:
        """ "killed one U.S. soldier and wounded two others": the others are more of the object before."""
        if token.lower_ != "others" or token.dep_ not in ("dobj", "nsubjpass"):
            return None
        verb = token.head
        if verb.dep_ not in ("conj", "advcl") or verb.head.pos_ not in ("VERB", "AUX"):
            return None
        return next((c for c in verb.head.children if c.dep_ in ("dobj", "nsubjpass") and c.i < token.i), None)

    def _titled_person(self, token: Token, text: str) -> Mention | None:
        """An unknown person composed from their title: compounds left of the name, or an apposition."""
        # the title: compounds left of the name that are not part of it ("Archbishop" is often tagged PERSON too)
        title_heads = [t for t in token.lefts if t.dep_ in ("compound", "amod", "nmod")
                       and (t.ent_type_ not in PERSON_ENTS or self.sector_of(t)[0] is not None)]
        appositions = [c for c in token.children if c.dep_ == "appos"]
        for appos in appositions:
            inner = self.mention(appos)
            if inner is not None:
                actors = [replace(a, text=text) for a in inner.actors]
                return Mention(actors, token.i, "person", is_person=True, entities=inner.entities)
        for title in reversed(title_heads):
            sector, generic, _ = self.sector_of(title)
            if sector:
                composed = self._composed(title, sector, generic)
                if composed is not None:
                    actors = [replace(a, text=text) for a in composed.actors]
                    return Mention(actors, token.i, "person", is_person=True, entities=composed.entities)
            found = self.kb_alias(title)
            if found and found[1].entity.kind == "country":
                code = found[1].entity.code
                return Mention([self._actor(token, None, code, text=text)], token.i, "person", is_person=True)
        return None

    def _fuzzy_person(self, full: str) -> Entity | None:
        if " " not in full or len(full) < 8:
            return None
        best = self.r.closest(full, self.r._full_name_forms, 90)
        if best is None or len(best[0].split()) != len(full.split()):
            return None
        return self.r._full_names[best[1]][1].entity

    def owner(self, token: Token) -> Mention | None:
        """The actor a noun belongs to through its modifiers, whatever the noun itself is."""
        if self.ignore and self.ignore[0] <= token.idx < self.ignore[1]:
            return None
        key = (token.i, "owner")
        if key not in self._cache:
            self._cache[key] = self._owner(token)
        return self._cache[key]

    def _of_compound_body(self, token: Token) -> Mention | None:
        """The noun as of the body a compound before it names ("army posts", "army bulldozers")."""
        for child in token.lefts:
            if child.dep_ == "compound":
                child_sector, child_generic, _ = self.sector_of(child)
                if child_sector and not child_generic:
                    return self._composed(token, child_sector, False)
        return None

    def is_held(self, token: Token) -> bool:
        """Is the noun a place that stands for its holder only as what an act hits ("a French base")?"""
        return token.lemma_.lower() in self.r.kb.held_nouns or _singular(token.lower_) in self.r.kb.held_nouns

    def doer(self, token: Token) -> Mention | None:
        """Who did what an event noun names: "Israeli shelling", "the bombing by rebels", but not the "of"
        phrase, which names its object ("the bombing of a French base")."""
        if token.pos_ not in ("NOUN", "PROPN") or self.ignore and self.ignore[0] <= token.idx < self.ignore[1]:
            return None
        owners, _ = self._modifier_owners(token, with_preps=("by",))
        if not owners:
            # "an air strike by government forces": whoever the "by" phrase names, of a known country or not
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "by"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    found = self.mention(pobj)
                    if found is not None:
                        return found
            return None
        actors = [self._actor(token, entity, code, text=_np_text(token)) for code, entity in owners]
        return Mention(actors, token.i, "owner", entities=[e for _, e in owners])

    def bridged_owner(self, token: Token) -> Mention | None:
        """The owner of an earlier mention of the same noun: "a resolution" after "UN Security Council
        resolutions" belongs to the UN."""
        if token.pos_ != "NOUN":
            return None
        earlier = self.owners_by_lemma.get(token.lemma_.lower())
        if earlier is None or earlier[0] >= token.i:
            return None
        mention = earlier[1]
        text = _np_text(token)
        actors = [replace(a, text=text, resolved_from=f"earlier mention: {a.text}") for a in mention.actors]
        return Mention(actors, token.i, "owner", entities=mention.entities)

    def _owner(self, token: Token) -> Mention | None:
        """The actor a non-actor noun belongs to: "UN Security Council resolutions" -> the UN."""
        if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() in self.r.kind_nouns:
            return None  # "restrictions on the use of the Russian language": Russia owns no language
        owners, _ = self._modifier_owners(token, with_preps=("of", "by", "from", "for"))
        if not owners:
            return None
        text = _np_text(token)
        actors = [self._actor(token, entity, code, text=text) for code, entity in owners]
        return Mention(actors, token.i, "owner", entities=[e for _, e in owners])

    @property
    def document_country(self) -> str | None:
        """The country the document is about: its dateline's, else the one it names most often (none on a tie)."""
        if self._document_country is None:
            counts: dict[str, int] = {}
            seen_spans: set[int] = set()
            for index in sorted(self.kb_at):
                span, aliases = self.kb_at[index]
                if span.start in seen_spans or not aliases or self._not_of_the_story(span):
                    continue
                seen_spans.add(span.start)
                entity = aliases[0].entity
                country = entity.code if entity.kind == "country" else entity.country
                if country:
                    counts[country] = counts.get(country, 0) + 1
            ranked = sorted(counts.values(), reverse=True)
            best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))[0]
            if len(ranked) > 1 and ranked[0] == ranked[1]:
                best = None  # two countries named as often: the story is about both, not one
            self._document_country = self.context_country or best or ""
        return self._document_country or None

    def abroad(self, actor: Actor) -> bool:
        """Is this a state's presence abroad ("the embassy", "US envoys"), never of the place it is in?"""
        words = (actor.text or "").lower().split()
        return bool(words) and _singular(words[-1]) in self.r.kb.abroad_nouns

    @property
    def countries_in_document(self) -> set[str]:
        """The countries the document names by name, adjective, person or group: what an ambiguous town name
        ("Tripoli") is read against."""
        if self._countries_in_document is None:
            self._countries_in_document = self._named_by_kb(0, len(self.doc), towns=False)
        return self._countries_in_document

    def countries_named(self, start: int, end: int) -> set[str]:
        """The countries a stretch of tokens names: through the knowledge base, and through the towns and
        provinces it names ("killed 23 people in Tel Aviv")."""
        found = self._named_by_kb(start, end, towns=True)
        if self.r.places is not None:
            for entity in self.doc.ents:
                if start <= entity.start and entity.end <= end and entity.label_ in ("GPE", "LOC") \
                        and entity.start not in self.kb_at:
                    country = self.r.places.country_of_name(entity.text)
                    if country:
                        found.add(country)
        return found

    def _named_by_kb(self, start: int, end: int, towns: bool) -> set[str]:
        """The countries of the knowledge-base names in a stretch; an ambiguous capital only with `towns`."""
        found: set[str] = set()
        for index in range(start, end):
            span, aliases = self.kb_at.get(index, (None, []))
            if not aliases or index != span.start:
                continue
            if self._not_of_the_story(span):
                continue
            entity = aliases[0].entity
            country = entity.code if entity.kind == "country" else entity.country
            if aliases[0].form == CAPITAL and entity.data.get("ambiguous_capital"):
                # "Tripoli" may be Lebanon's: read as a town among the countries the document names otherwise
                if not towns or self.r.places is None:
                    continue
                country = self.r.places.country_of_name(span.text, self.countries_in_document)
            if country and len(country) == 3:
                found.add(country)
        return found

    def _not_of_the_story(self, span: Span) -> bool:
        """ "ethnic Albanians in Serbia" name a people, not Albania; "a UK-based group" says where a group
        sits, not whom the sentence is about."""
        if span.start > 0 and self.doc[span.start - 1].lower_ == "ethnic":
            return True
        return span.end + 1 < len(self.doc) and self.doc[span.end].text == "-" \
            and self.doc[span.end + 1].lower_ == "based"

    def _against_or_for(self, span: Span) -> bool:
        """Is the name prefixed "anti-", "pro-", "non-"?"""
        doc = span.doc
        start = span.start
        if start >= 1 and doc[start - 1].lower_ in self.r.stance_prefixes:
            return True
        return start >= 2 and doc[start - 1].text in ("-", "–") and doc[start - 2].lower_ in self.r.stance_prefixes

    def _another_first_name(self, span: Span) -> bool:
        """A surname alias preceded, here or where the story first named the person, by a first name that is
        not the known person's: "Bobby Fischer" is not Joschka Fischer, and "Bennett" after "special rapporteur
        Richard Bennett" is not Naftali Bennett."""
        if len(span) != 1:
            return False
        names = {w for a in self.kb_at.get(span.start, (None, []))[1] for w in a.entity.name.split()}
        return any(at <= span.start and self.kb_alias(first) is None and first.text not in names
                   for at, first in self.first_names.get(span.text, ()))

    @property
    def first_names(self) -> dict[str, list[tuple[int, Token]]]:
        """Each name word and the person-name words written right before it, with where (read once)."""
        if self._first_names is None:
            self._first_names = {}
            for before in self.doc[:-1]:
                name = self.doc[before.i + 1]
                if before.ent_type_ in PERSON_ENTS and before.head.i == name.i and before.dep_ in ("compound", "flat"):
                    self._first_names.setdefault(name.text, []).append((name.i, before))
        return self._first_names

    def _partitive_of(self, token: Token) -> Token | None:
        """ "Thousands of Iraqi Kurds", "a group of Moroccan diplomats", "members of the party": the of-phrase
        names the actor."""
        if token.lemma_.lower() not in self.r.partitive_nouns and not token.like_num:
            return None
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        return None

    def _former(self, token: Token) -> bool:
        """ "former President", "ousted leader", "ex-minister": someone who no longer holds the office."""
        words = {t.lower_ for t in token.subtree if t.i < token.i} | {token.lower_}
        return bool(words & self.r.former_words) or token.lower_.startswith("ex-")

    def _is_person_noun(self, token: Token) -> bool:
        return token.lemma_.lower() in self.r.person_nouns

    def observe_sentence(self, sentence: Span, index: int) -> None:
        """Record this sentence's actor mentions, singly and as coordinated groups, for later anaphors."""
        subjects = ("nsubj", "nsubjpass")
        for token in sentence:
            if token.pos_ == "NOUN" and token.dep_ not in ("compound", "amod"):
                owned = self.owner(token)
                if owned is not None and self.mention(token) is None:
                    self.owners_by_lemma[token.lemma_.lower()] = (token.i, owned)
            if token.dep_ in ("compound", "amod", "poss", "conj") or token.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
                continue
            group: list[Mention] = []
            for member in self.conjuncts(token):
                found = self.mention(member)
                if found is None or found.how in ("owner", "place"):
                    continue
                self.coref.observe(index, found, member.dep_ in subjects or token.dep_ in subjects,
                                   plural_noun=member.tag_ in ("NNS", "NNPS"))
                group.append(found)
            if len(group) > 1:
                actors = [a for m in group for a in m.actors]
                entities = [e for m in group for e in m.entities]
                combined = Mention(actors, token.i, "group", is_person=all(m.is_person for m in group),
                                   entities=entities)
                self.coref.observe(index, combined, token.dep_ in subjects)

    def conjuncts(self, token: Token) -> list[Token]:
        """The token and the tokens coordinated with it ("China and Russia"; "the US, Russia, and
        Switzerland", which the parser often reads as an apposition followed by a conjunction)."""
        out = [token]
        for child in token.children:
            coordinated = child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
            listed = child.dep_ == "appos" and child.pos_ == "PROPN" and self.kb_alias(child) is not None \
                and any(c.dep_ == "conj" for c in child.children)
            if coordinated or listed:
                out.extend(self.conjuncts(child))
        partitive = self._partitive_of(token) if len(out) == 1 else None
        if partitive is not None:
            # "scores of Liberian refugees and Ghanaian students": the of-phrase's items are the actors
            out.extend(self.conjuncts(partitive)[1:])
        return out


def _modifies(child: Token) -> bool:
    """Is the child a modifier of its head's phrase? A noun the parser hung after its head as an adverbial
    ("with strings attached, Cuba") is not."""
    return child.dep_ in MODIFIER_DEPS and not (child.dep_ == "npadvmod" and child.i > child.head.i)
