"""Assembly: clauses + actors + patterns -> events, one sentence at a time.

For every verb of a sentence the best pattern is looked up (a verb pattern, or
an event noun carried by a light verb); the verb's subject gives the sources
and its object or a prepositional phrase the targets; coordinations expand into
one event per pair; modality, date and place are read from the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Span, Token

from polevents.actions.codebook import lookup
from polevents.actions.patterns import NO_EVENT, Match, PatternSet
from polevents.actors.mention import Mention
from polevents.actors.resolve import DocumentActors
from polevents.events import clauses
from polevents.events.dates import FUTURE as FUTURE_TENSE
from polevents.events.dates import clause_date, verb_tense
from polevents.events.modality import (
    ASSERTED,
    FUTURE,
    HYPOTHETICAL,
    NEGATED,
    intent_code,
    modality_of,
    rejection_code,
    threat_code,
)
from polevents.events.places import Gazetteer, clause_place, news_day_place
from polevents.record import Actor, Event, Place

# codes whose target may be a place: visits ("arrived in Beijing") and attacks ("shelled Aleppo")
# and asylum ("sought refuge in Germany": of Germany), and responsibility for an act there
PLACE_TARGET_CODES = ("042", "043", "044", "036", "087", "0356", "1246", "166", "17", "18", "19", "20", "0233",
                      "015", "016", "018")
# hostile acts whose pattern may name the one they hit: "attacked the government", "attacked government troops"
# (in other roots a bare pattern word is the means: "sent troops", "shared intelligence")
VICTIM_ROOTS = ("11", "17", "18", "19", "20")
# conventional force, which a bomb's violence is not ("car bombs killed 11": 183)
GENERIC_FORCE = "190"
# the phrases of a noun in a pattern's target slot that name whom it concerns ("commitment to the people")
SLOT_NOUN_PREPS = ("to", "with", "against", "toward", "towards")
# acts of owning up to, or denying, another act: their target is whom that act hit
RESPONSIBILITY_CODES = ("015", "016")
# statements about an act whose target is whom, or where, the act hit: responsibility, and condolences
# ("expressed sorrow for the shootings in South Carolina")
ABOUT_AN_ACT_CODES = (*RESPONSIBILITY_CODES, "018")
# codes whose target, when nothing else names one, is the country where they happen: a protest in
# Beijing is aimed at China, a curfew lifted in Montenegro at Montenegro
LOCATIVE_TARGET_ROOTS = ("08", "09", "13", "14", "15", "17", "18", "19", "20")
# military de-escalation (ceasefire, surrender, demobilisation) and mobilisation (sending troops to a border):
# aimed at the place only when it is abroad
HOME_RETREAT_CODES = ("087", "15")
# sectors of people of a kind, who remain a target when a pattern names them ("released civilians"); a bare
# "troops" or "intelligence" in a pattern ("sent troops", "shared intelligence") is the means, not the target
PEOPLE_SECTORS = frozenset({"CVL", "REF", "OPP", "LAB", "EDU", "HLH", "MED", "REL", "RAD", "AGR", "CRM", "ELI", "HRI"})
# acts only a state's authorities do: investigate, impose restrictions, arrest, expel, sentence
AUTHORITY_CODES = ("09", "172", "173", "174", "116")
# roots of acts done where the doers live, by and large: demands, protest, force, coercion, violence
LOCAL_ACT_ROOTS = ("10", "14", "15", "17", "18", "19", "20")
# sectors of actors who act at home: whatever they do, the place of the act is their country's
HOME_SECTORS = frozenset({"OPP", "CVL", "LAB", "EDU", "JUD", "LEG", "COP", "PTY", "MED", "BUS", "HLH", "AGR", "RAD",
                          "REL", "ELI", "CRM"})
BETWEEN = "one of the parties 'between' whom it happened"
PLACE_OF_EVENT = "place of the event"
HOME_COUNTRY = "the protesters' own country"
# protest, and calling off a protest (082 ease dissent, 0352 its intent), whose target, when nothing
# names one, is the protesters' own country
HOME_PROTEST_CODES = ("14", "082", "0352")
SENTENCE_COUNTRY = "the one country the sentence names"
STORY_COUNTRY = "the country the story is about"
STORY_SECTORS = HOME_SECTORS | {"GOV"}
# visits and hosting are acts of states, organisations and their officials
VISIT_CODES = ("042", "043", "044")
NOT_VISITORS = ("CVL", "REF", "CRM", "UAF")
# violence whose doer may be unidentified ("a roadside bomb killed ...")
UNATTRIBUTED_ROOTS = ("18", "19", "20")
PLACE_TARGET_ROOTS = ("17", "18", "19", "20")
# verbal acts whose target may be the subject of the clause they introduce
VERBAL_ROOTS = ("01", "02", "10", "11", "12", "13")
# acts whose target may be the subject of their condition ("unless Baghdad accepts")
CONDITIONAL_TARGET_ROOTS = ("10", "13", "16")


@dataclass(slots=True)
class Candidate:
    verb: Token
    match: Match
    noun: Token | None  # the event noun when a light verb carries it
    embedded: Token | None = None  # a clause this event stands for ("said Sudan must return": the return)
    occurrence: bool = False  # the event noun is the subject: "Palestinian riots continued", "clashes erupted"


@dataclass(slots=True)
class Context:
    """What the assembler knows about the document while it codes its sentences."""

    doc_id: str
    published: date | None
    actors: DocumentActors
    gazetteer: Gazetteer
    countries: list[str]  # countries mentioned in the document, in order, for place disambiguation
    dateline_place: Place | None


class SentenceCoder:
    def __init__(self, patterns: PatternSet):
        self.patterns = patterns
        # what is fired or launched, never who is hit ("launched artillery and rocket fire against camps")
        self._weapons = frozenset().union(*(words for name, words in patterns.synsets.items() if "WEAPON" in name))

    # ----- matching ------------------------------------------------------------------------------
    def candidates(self, sentence: Span) -> list[Candidate]:
        found = []
        for verb in clauses.clause_verbs(sentence):
            passive = clauses.is_passive(verb)
            match = self.patterns.match_verb(verb, passive)
            noun_match = None
            noun = None
            if verb.lemma_.lower() in self.patterns.light_verbs:
                for candidate in self._carried_nouns(verb, passive):
                    noun_match = self.patterns.match_noun(candidate)
                    if noun_match:
                        noun = candidate
                        break
            if match is not None and match.code[:2] in UNATTRIBUTED_ROOTS and _figurative(verb):
                match = None  # "fighting to maintain his credibility", "beat Brazil 2-1"
            if noun_match and (match is None or match.pattern.specificity < 1):
                found.append(Candidate(verb, noun_match, noun))
            elif match:
                found.append(Candidate(verb, match, None))
            elif verb.lemma_.lower() in self.patterns.statement_verbs or self._said_in(verb):
                said = self._demand_in_statement(verb) or self._allegation_in_statement(verb)
                if said is not None:
                    found.append(said)
            elif verb.lemma_.lower() in self.patterns.occurrence_verbs:
                # "Palestinian riots are still continuing", "fighting erupted between X and Y"
                for subject in (c for c in verb.children if c.dep_ == "nsubj"):
                    subject_match = self.patterns.match_noun(subject)
                    if subject_match:
                        found.append(Candidate(verb, subject_match, subject, occurrence=True))
                        break
        return found

    def _demand_in_statement(self, verb: Token) -> Candidate | None:
        """ "Russia said Sudan must return the helicopter": saying that someone must act is a demand."""
        pattern = self.patterns.obligation_pattern
        if pattern is None:
            return None
        clauses_said = [c for c in verb.children if c.dep_ == "ccomp"]
        clauses_said += [c for d in self._said_in(verb) for c in d.children if c.dep_ in ("acl", "ccomp")]
        for clause in clauses_said:
            auxes = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
            if auxes & self.patterns.obligation_words and _own_subject(clause):
                return Candidate(verb, Match(pattern, (verb,)), None, embedded=clause)
        return None

    def _allegation_in_statement(self, verb: Token) -> Candidate | None:
        """ "The US claimed that ISIL had attacked Iraq": claiming someone's hostile act accuses them."""
        pattern = self.patterns.allegation_pattern
        if pattern is None or verb.lemma_.lower() not in pattern.trigger:
            return None
        for clause in (c for c in verb.children if c.dep_ == "ccomp" and _own_subject(c)):
            acts = [clause, *(c for c in clause.children if c.dep_ == "conj" and c.pos_ == "VERB")]
            for act in acts:
                match = self.patterns.match_verb(act, clauses.is_passive(act))
                if match is not None and match.code[:2] in self.patterns.allegation_roots:
                    return Candidate(verb, Match(pattern, (verb,)), None, embedded=clause)
        return None

    def _said_in(self, verb: Token) -> list[Token]:
        """The documents a verb issues: "issued a stern reminder to Iraq that it must cooperate"."""
        return [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in self.patterns.document_nouns]

    def _carried_nouns(self, verb: Token, passive: bool) -> Iterator[Token]:
        for child in verb.children:
            if child.dep_ == "dobj" or (passive and child.dep_ == "nsubjpass"):
                yield child
        for child in verb.children:
            if child.dep_ == "prep" and child.lemma_.lower() in self.patterns.light_preps:
                yield from (c for c in child.children if c.dep_ == "pobj")

    # ----- events --------------------------------------------------------------------------------
    def code(self, sentence: Span, index: int, ctx: Context) -> list[Event]:
        candidates = self.candidates(sentence)
        consumed = {t.i for c in candidates for t in c.match.tokens[1:]}
        events: list[Event] = []
        admitted: dict[int, list[Actor]] = {}
        for candidate in candidates:
            if candidate.embedded is None:
                continue
            if candidate.match.pattern is self.patterns.allegation_pattern:
                # a claim that accuses no one but the claimant ("the US claimed they had attacked Iraq") admits
                # the act: coded below as the act, then as the admission code
                found = self._events(candidate, sentence, index, ctx)
                events.extend(found)
                if not found:
                    admitted[candidate.embedded.i] = self._sources(candidate.verb, ctx, candidate.match.code)
                    continue
            consumed.add(candidate.embedded.i)
        coded = {c.verb.i for c in candidates}
        code_of = {c.verb.i: c.match.code for c in candidates}
        made_by: dict[int, list[Event]] = {}
        verbal = {c.verb.i for c in candidates if c.match.code[:2] in VERBAL_ROOTS}
        claims = {c.verb.i for c in candidates if c.match.code.startswith(RESPONSIBILITY_CODES)}
        for candidate in candidates:
            verb = candidate.verb
            if candidate.match.pattern is self.patterns.allegation_pattern:
                continue  # coded above
            if verb.i in consumed or candidate.match.code == NO_EVENT:
                continue  # part of a longer pattern ("agree to provide aid"), or a phrase that is no event
            gov = clauses.governor(verb)
            if gov is not None and (gov.i in coded or gov.i in consumed) \
                    and gov.lemma_.lower() not in self.patterns.statement_verbs \
                    and (verb.dep_ == "ccomp" or not _own_subject(verb)):
                # "pushed Russia to join", "demanded that the US cancel": the push is the event; "refused to
                # allow UN planes to land and evacuate observers": what was not allowed is part of the refusal
                continue
            if verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "pobj") and verb.head.dep_ == "prep" \
                    and verb.head.head.i in coded:
                continue  # "accused the United States of restoring ...": part of the accusation
            if verb in {c for cand in candidates if cand.verb.i in coded for c in _conditions(cand.verb)}:
                continue  # "threatened to attack unless Baghdad accepted": the threat's condition
            if verb.dep_ in ("acl", "ccomp") and verb.head.pos_ == "NOUN" and verb.head.head.i in verbal:
                continue  # "reiterated its demand that Israel ease restrictions": what was demanded
            if verb.dep_ == "advcl" and verb.head.i in coded and _same_moment_by_same_doer(verb) \
                    and not _second_act(code_of[verb.head.i], candidate.match.code) \
                    and code_of[verb.head.i][:2] not in VERBAL_ROOTS:
                continue  # "killed 23 people when they blew themselves up": one attack, told twice
            if verb.dep_ == "acl" and _phrase_verb(verb.head) in claims:
                continue  # "claimed responsibility for an attack targeting ...": the claim codes the attack
            participle = verb if verb.dep_ == "advcl" else verb.head if (
                verb.dep_ == "conj" and verb.head.dep_ == "advcl" and not _own_subject(verb)) else None
            if participle is not None and participle.head.i in coded and not _own_subject(participle) and (
                    participle.tag_ == "VBG" or _is_purpose(participle)) \
                    and not _second_act(code_of[participle.head.i], candidate.match.code):
                # "bombarded the city, killing and wounding eight", "began a hunger strike to protest the
                # decision": one event, told with its consequence or purpose
                continue
            made = self._events(candidate, sentence, index, ctx)
            if participle is not None and participle.head.i in made_by and any(
                    _counted(o) for o in clauses.objects_of(verb)):
                # "dispersed the demonstrators, killing one and arresting 12": twelve of those dispersed
                made = _with_targets_of(made, made_by[participle.head.i])
            if verb.i in admitted and self.patterns.admission_code:
                made = [_recoded(e, self.patterns.admission_code, "claimed by its doer", ASSERTED)
                        if e.source is not None and any(
                    _same(e.source, a) for a in admitted[verb.i]) else e for e in made]
            made_by[verb.i] = made
            events.extend(made)
        # conjoined verbs of one code ("oppose X and oppose Y") report one event per pair of actors
        unique: dict[tuple, Event] = {}
        for event in events:
            key = (event.source.code if event.source else None, event.target.code if event.target else None,
                   event.cameo, event.modality)
            unique.setdefault(key, event)
        return list(unique.values())

    def _occurrence_sources(self, noun: Token, ctx: Context) -> list[Actor]:
        """Who is behind an event noun: its owner ("Palestinian riots", "Israel's offensive"), or the
        parties "between" whom it happened ("clashes between police and protesters")."""
        owner = ctx.actors.owner(noun)
        if owner is not None:
            return owner.actors
        between = [c for head in (noun, noun.head) for p in head.children if p.dep_ == "prep" and p.lower_ == "between"
                   for c in p.children if c.dep_ == "pobj"]
        return [replace(a, resolved_from=BETWEEN) for a in self._actors(between, ctx, allow_owner=False)]

    @staticmethod
    def _complained_of(verb: Token, ctx: Context, own: set[str]) -> list[Actor]:
        """Who an "over", "about" or "against" phrase names, other than the complainant and bodies."""
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("over", "about", "against"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    mention = ctx.actors.mention(pobj, allow_owner=True)
                    found = [a for a in (mention.actors if mention else []) if a.country not in own
                             and a.code not in own and not (a.code or "").startswith(("IGO", "---"))]
                    if found:
                        return found
        return []

    def _anonymous(self, code: str, noun: Token) -> list[Actor]:
        """Nobody named: protesters are civilians, violence is unidentified armed forces (placed later)."""
        sector = "CVL" if code[:2] == "14" else "UAF" if code[:2] in UNATTRIBUTED_ROOTS else None
        if sector is None:
            return []
        return [Actor(text=noun.text, name=None, code=f"---{sector}", country=None, sector=sector, kb_id=None,
                      resolved_from="no doer named")]

    def _sources(self, verb: Token, ctx: Context, code: str) -> list[Actor]:
        subjects, _ = clauses.subject_of(verb)
        hazards = self.patterns.natural_hazards
        if any(t.lemma_.lower() in hazards or t.lower_ in hazards for s in subjects for t in s.subtree):
            return []  # "Hurricane Ivan hit the islands", "the full force of the storm"
        if verb.dep_ == "advcl" and verb.head.lemma_.lower() in hazards:
            return []  # "a plane crashed in a lake, killing all 53 people on board"
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_.lower() in self.patterns.document_nouns:
            # "did not reply to VOA's email requesting comment": whose the text is, when it says
            owner = ctx.actors.owner(verb.head)
            if owner is not None:
                return list(owner.actors)
        # a base or a plane is no doer ("the bombing of a French base that killed ...")
        actors = self._actors([s for s in subjects if not ctx.actors.is_held(s)], ctx, allow_owner=False)
        if not actors and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "dobj" \
                and verb.head.lemma_.lower() in self.patterns.document_nouns:
            # "issued a declaration demanding that ...", "passed a resolution calling for ...": who issued it
            issuer, _ = clauses.subject_of(verb.head.head)
            actors = self._actors(issuer, ctx, allow_owner=False)
        if not actors:
            actors = self._document_issuer(subjects, ctx)
        if not actors and code[:2] in UNATTRIBUTED_ROOTS:
            # "were killed in Israeli tank shelling": the attack's owner did it
            actors = self._attack_owner(verb, subjects, ctx)
        if not actors and code[:2] in UNATTRIBUTED_ROOTS and self._unattributed(verb, subjects):
            # "a roadside bomb killed two soldiers": an unidentified armed force, placed later
            actors = [Actor(text=subjects[0].text if subjects else verb.text, name=None, code="---UAF",
                            country=None, sector="UAF", kb_id=None, resolved_from="unattributed violence")]
        return actors

    def _document_issuer(self, subjects: list[Token], ctx: Context) -> list[Actor]:
        """ "A report released by the ministry alleged ...", "a report released in the Rwandan capital alleged
        ...": a text says what its issuer says; the issuer is its "by" phrase, else the country where it was
        released (no more than the country: who there issued it is not said)."""
        for subject in subjects:
            if subject.lemma_.lower() not in self.patterns.document_nouns:
                continue
            for participle in (c for c in subject.children if c.dep_ == "acl" and c.tag_ == "VBN"):
                issuer = self._actors(clauses.agents(participle), ctx, allow_owner=False)
                if issuer:
                    return issuer
                place = clause_place(participle, None, ctx.gazetteer, ctx.countries)
                if place is not None and place.country and place.country != "---":
                    return [replace(_place_actor(place), resolved_from="the country where the text was released")]
        return []

    def _attack_owner(self, verb: Token, subjects: list[Token], ctx: Context) -> list[Actor]:
        """The owner of the attack that did it: "Israeli shelling killed ...", "killed in a U.S. air strike"."""
        nouns = self.patterns.unattributed_nouns
        phrases = [s for s in subjects if _phrase_in(s, nouns)]
        if clauses.is_passive(verb):
            for child in verb.children:
                if child.dep_ in ("prep", "agent") and child.lower_ in ("in", "by"):
                    phrases += [p for p in child.children if p.dep_ == "pobj" and _phrase_in(p, nouns)]
        for phrase in phrases:
            owner = ctx.actors.doer(phrase)
            if owner is not None:
                return owner.actors
        return []

    def _unattributed(self, verb: Token, subjects: list[Token]) -> bool:
        """Is the doer of this violent act a weapon or an event rather than someone?"""
        nouns = self.patterns.unattributed_nouns
        for subject in subjects:
            if _phrase_in(subject, nouns):
                return True
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and not clauses.agents(verb):
            # "There were 10 Russian soldiers killed in Ukraine": suffered, done by no one named (a participle
            # with its doer named, "an agreement forced on Qatar by its neighbours", describes; it is not news)
            return verb.head.dep_ in ("attr", "nsubj", "nsubjpass", "dobj") and verb.head.head.lemma_ == "be"
        if clauses.is_passive(verb) and not subjects:
            # "was killed in a car bomb explosion", "were killed by an improvised explosive device"
            for child in verb.children:
                by_or_in = child.dep_ in ("prep", "agent") and child.lower_ in ("in", "by")
                if by_or_in and any(_phrase_in(p, nouns) for p in child.children if p.dep_ == "pobj"):
                    return True
        return False

    def _by_bomb(self, verb: Token) -> bool:
        """Was the violence done by a bomb ("car bombs killed", "killed in a bomb blast")?"""
        nouns = self.patterns.bombing_nouns
        subjects, _ = clauses.subject_of(verb)
        phrases = [*subjects, *(p for c in verb.children if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by")
                                for p in c.children if p.dep_ == "pobj")]
        return any(_phrase_in(p, nouns) for p in phrases)

    def _actors(self, heads: list[Token], ctx: Context, allow_owner: bool) -> list[Actor]:
        out: list[Actor] = []
        for head in heads:
            for token in ctx.actors.conjuncts(head):
                mention = ctx.actors.mention(token, allow_owner=allow_owner)
                if mention is not None:
                    out.extend(mention.actors)
        return out

    def _targets(self, candidate: Candidate, ctx: Context, excluded: set[int],
                 own: set[str] | frozenset[str] = frozenset()) -> tuple[list[Actor], list[int]]:
        """The target actors and the heads of their phrases; `own` are the doers' countries and codes: what
        the doer calls its own ("offered its troops", "upgraded their ties") is not a target."""
        verb, match = candidate.verb, candidate.match
        pattern = match.pattern
        groups: list[list[Token]] = []
        if candidate.embedded is not None and pattern is self.patterns.obligation_pattern:
            # "a spokesperson told VOA the U.N. must maintain sanctions": who must act, not who was told ("told
            # Sudan it must return" leaves the pronoun to the object, below)
            groups.append([c for c in candidate.embedded.children if c.dep_ in ("nsubj", "nsubjpass")
                           and c.pos_ != "PRON"])
        if candidate.noun is not None:
            groups.append(clauses.preposition_objects(candidate.noun, clauses.NOUN_TARGET_PREPS))
            # "a suspension of air links with Serbia": the phrase of the noun's "of" phrase
            groups.append([p for of in clauses.preposition_objects(candidate.noun, ("of",)) if of.i in excluded
                           for p in clauses.preposition_objects(of, clauses.NOUN_TARGET_PREPS)])
            groups.append(clauses.preposition_objects(verb))
            groups.append([t for t in clauses.objects_of(verb) if t.i != candidate.noun.i])
        elif pattern.target_slot is not None:
            slot = verb if pattern.target_slot < 0 else match.tokens[1 + pattern.target_slot]
            if slot == verb:
                if clauses.is_passive(verb) and not clauses.is_stative(verb):
                    groups.append([c for c in verb.children if c.dep_ == "nsubjpass"])
                groups.append(clauses.objects_of(verb))
            else:
                slot_objects = [c for c in slot.children if c.dep_ in ("pobj", "dobj", "dative", "pcomp")]
                groups.append(slot_objects)
                if slot.dep_ in ("dobj",) and not groups[-1]:
                    groups.append([slot])
                # "reneged on his commitment to the Zambian people": the phrase of the noun in the slot
                groups.append([p for o in slot_objects for p in clauses.preposition_objects(o, SLOT_NOUN_PREPS)])
                if slot.dep_ == "prt" and not groups[-1]:
                    # "shot down a Turkish plane": the particle's verb's object (a vehicle carrying someone hits
                    # whom it carries, below)
                    groups.append([o for o in clauses.objects_of(verb) if not any(
                        c.dep_ == "acl" and c.lemma_.lower() in self.patterns.carrying_verbs for c in o.children)])
        else:
            if clauses.is_passive(verb) and not clauses.is_stative(verb):
                groups.append([c for c in verb.children if c.dep_ == "nsubjpass"])
                main = verb.head if verb.dep_ == "advcl" else verb.head.head if (
                    verb.dep_ == "pcomp" and verb.head.dep_ == "prep") else None
                if main is not None and main.pos_ in ("VERB", "AUX") \
                        and not any(c.dep_ == "nsubjpass" for c in verb.children):
                    # "the rebels retreat when attacked by troops", "retreated after being shelled by jets":
                    # the main clause's subject suffered it
                    groups.append(clauses.subject_of(main)[0])
            if verb.dep_ == "acl" and verb.tag_ == "VBN":
                groups.append([verb.head])  # "soldiers killed in Ukraine": the noun is who suffered it
            groups.append(clauses.objects_of(verb))
            groups.append(clauses.preposition_objects(verb))
            # "reneged on his commitment to the Zambian people": the phrase of the noun the verb's phrase names
            groups.append([p for o in clauses.preposition_objects(verb)
                           for p in clauses.preposition_objects(o, SLOT_NOUN_PREPS)])
            # the object is part of the action ("offered support to Lebanon", "issued warrants for X")
            for obj in clauses.objects_of(verb):
                if obj.i in excluded:
                    groups.append(clauses.preposition_objects(obj, clauses.NOUN_TARGET_PREPS))
                    # "launched artillery, mortar and rocket fire against guerrilla camps": the list's phrase
                    groups.append([p for part in obj.subtree if part.dep_ == "conj" and part.pos_ == "NOUN"
                                   for p in clauses.preposition_objects(part, clauses.HOSTILE_PREPS + ("at",))])
                    # "issued arrest warrants for two men", with "for" hung on the verb: the phrase right after
                    # the pattern's noun is still the noun's
                    groups.append([p for prep in verb.children if prep.dep_ == "prep"
                                   and prep.i == obj.right_edge.i + 1 and prep.lower_ in clauses.NOUN_TARGET_PREPS
                                   for p in prep.children if p.dep_ == "pobj"])
            # "refused to commit to any assistance to the US-led war": the phrase of the pattern's last noun
            last = match.tokens[-1] if len(match.tokens) > 1 else None
            if last is not None and last.pos_ == "NOUN" and last.dep_ == "pobj":
                groups.append(clauses.preposition_objects(last, clauses.NOUN_TARGET_PREPS))
            elif last is not None and last.dep_ == "prep":
                # "called for a total war against al-Shabab": the phrase of what the pattern's preposition names
                groups.append([p for o in last.children if o.dep_ == "pobj"
                               for p in clauses.preposition_objects(o, clauses.NOUN_TARGET_PREPS)])
        # an intention's target is its action's: "offered to hand over to Britain", "promised aid to Mozambique";
        # an act's target may be named by its purpose: "staged a hunger strike to protest Sweden's decision"
        for xcomp in (c for c in verb.children if c.dep_ == "xcomp" or (
                c.dep_ == "advcl" and _is_purpose(c) and not "03" <= pattern.code[:2] <= "07")):
            # (a purpose names no partner of cooperation: "strengthen ties in Asia to counter Beijing")
            groups.append(clauses.objects_of(xcomp))
            groups.append(clauses.preposition_objects(xcomp))
            for obj in clauses.objects_of(xcomp):
                groups.append(clauses.preposition_objects(obj, clauses.NOUN_TARGET_PREPS))
        # "in defiance of Chinese authorities", "in retaliation for Hamas attacks": whom the act answers
        stances = [p for head in (verb, *clauses.objects_of(verb)) for p in clauses.preposition_objects(head, ("in",))
                   if p.lemma_.lower() in self.patterns.stance_nouns]
        groups.append([o for p in stances for o in clauses.preposition_objects(p, ("of", "against", "at", "to",
                                                                                    "over", "for"))])
        # who did what the pattern names: "investigation into crimes committed by Croat forces", "condemned the
        # attack carried out by rebels"
        named = [t for t in (*match.tokens[1:], candidate.noun, *clauses.objects_of(verb))
                 if t is not None and t.pos_ == "NOUN"]
        groups.append([a for t in named for c in t.children if c.dep_ == "acl" and c.tag_ == "VBN"
                       for a in clauses.agents(c)])
        # the object's own phrases, last: "demanded support from the Assembly"; for threats and force also
        # "threatened further action against Russia"
        object_preps = clauses.OBJECT_TARGET_PREPS + (clauses.HOSTILE_PREPS if pattern.code[:2] >= "13" else ())
        for obj in clauses.objects_of(verb):
            if obj.i not in excluded:
                groups.append(clauses.preposition_objects(obj, object_preps))
        if pattern.code[:2] >= "13":
            # whom a vehicle carries: "shot down a helicopter carrying EC truce monitors"
            carried = [o for head in [*clauses.objects_of(verb), *clauses.preposition_objects(verb)]
                       for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in self.patterns.carrying_verbs
                       for o in clauses.objects_of(c)]
            groups.append(carried)
            # a hostile act's target one phrase further: "mobilized reservists for a possible war against Iraq"
            for head in [verb, *clauses.objects_of(verb)]:
                for pobj in clauses.preposition_objects(head, ("for", "in", "to", "into")):
                    groups.append(clauses.preposition_objects(pobj, clauses.HOSTILE_PREPS))
        # responsibility for an act is toward whom the act hit: "claimed responsibility for an attack on Kenyan
        # police", "... for a bombing in Nairobi"
        if pattern.code.startswith(ABOUT_AN_ACT_CODES):
            for act in clauses.preposition_objects(verb, ("for",)) + [
                    p for o in clauses.objects_of(verb) for p in clauses.preposition_objects(o, ("for",))]:
                groups.append(clauses.preposition_objects(act, clauses.HOSTILE_PREPS + ("at", "in")))
                # "an attack targeting non-Muslims at a mall in Kenya's capital": what the act's participle names
                for participle in (c for c in act.children if c.dep_ == "acl"):
                    groups.append(clauses.objects_of(participle))
                    where = clauses.preposition_objects(participle, ("at", "in"))
                    groups.append(where + [p for w in where for p in clauses.preposition_objects(w, ("in",))])
        # a threat's target is whoever must act for it not to happen: "threatened to X unless Baghdad accepted"
        if pattern.code[:2] in CONDITIONAL_TARGET_ROOTS:
            groups.append([s for c in _conditions(verb) for s in c.children if s.dep_ == "nsubj"])
        # what was demanded, urged, denied or threatened is about the subject of the clause that says it:
        # "demanded that the US cancel plans"
        if pattern.code[:2] in VERBAL_ROOTS:
            embedded = candidate.embedded
            clauses_said = [c for c in verb.children if c.dep_ == "ccomp"]
            said_in = [*clauses.objects_of(verb), *clauses.preposition_objects(verb, ("on", "for"))]
            said_in += [p for o in said_in for p in clauses.preposition_objects(o, ("of",))]  # "a series of warnings"
            clauses_said += [c for o in said_in
                             for c in o.children if c.dep_ in ("acl", "ccomp")]  # "insisted on its demands that"
            # "issued warnings demanding that Washington change its stance": what the text demands
            clauses_said += [g for c in list(clauses_said) if c.dep_ == "acl" for g in c.children if g.dep_ == "ccomp"]
            for clause in ([embedded] if embedded is not None else []) + clauses_said:
                groups.append([c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")])
        for tokens in groups:
            if not tokens:
                continue
            actors: list[Actor] = []
            heads: list[int] = []
            for head in tokens:
                for token in ctx.actors.conjuncts(head):
                    if token.i in excluded:
                        # a pattern word ("reject calls for") is no actor, but it may have an owner
                        # ("Western calls", "UN Security Council resolutions"); one that names whose it is
                        # stays an actor ("expelled the Iranian ambassador"), a bare one does not ("sent troops"),
                        # unless it names people of a kind ("released civilians", "deported refugees")
                        mention = ctx.actors.mention(token)
                        victim = pattern.code[:2] in VICTIM_ROOTS and token.dep_ in ("dobj", "pobj") \
                            and token.lemma_.lower() not in self._weapons
                        if mention is None or mention.how not in ("composed", "kb") or any(
                                a.code and a.code.startswith("---") and a.sector not in PEOPLE_SECTORS
                                and not victim for a in mention.actors):
                            mention = ctx.actors.owner(token)
                    else:
                        mention = ctx.actors.mention(token, allow_owner=True)
                    if mention is None and not clauses.preposition_objects(token, clauses.NOUN_TARGET_PREPS) \
                            and not [p for p in clauses.preposition_objects(verb, clauses.HOSTILE_PREPS) if p != token]:
                        # (not "imposed new tariffs on U.S. exports" after "Europe's own tariffs": its phrase
                        # says whom these are on)
                        mention = ctx.actors.bridged_owner(token)
                    if mention is None and pattern.code[:2] in UNATTRIBUTED_ROOTS and _counted(token):
                        # "killing 17 people and wounding 20": a number hit by violence is people
                        mention = Mention([Actor(text=token.text, name=None, code="---CVL", country=None, sector="CVL",
                                                 kb_id=None, resolved_from="people counted")], token.i, "composed")
                    if mention is None:
                        continue
                    if mention.how == "place" and not pattern.code.startswith(PLACE_TARGET_CODES):
                        continue
                    found = mention.actors
                    if pattern.code[:2] == "15":
                        # "mobilized army reservists": one's own forces are what is mobilized, not the target
                        found = [a for a in found if not (a.sector in ("MIL", "COP") and (a.code or "").startswith("---"))]
                        if not found:
                            continue
                    if token.i in ctx.actors.pronoun_owned:
                        # "recalled its Havana ambassador": its own ambassador is no target, Havana's may be
                        found = [a for a in found if not (a.country in own or a.code in own)]
                        if not found:
                            continue
                    actors.extend(found)
                    heads.append(token.i)
            if actors:
                return actors, heads
        return [], []

    def _reading(self, code: str, verb: Token, sources: list[Actor], words: tuple[Token, ...] = ()) -> str | None:
        """The code an act has by who does it or how: "China protested that the US ..." is a complaint in
        words (`spoken_readings`); insurgents who "launched strikes" attacked (`armed_readings`); protesters
        who "demolished a building" rioted (`crowd_readings`)."""
        if code in self.patterns.spoken_readings and any(c.dep_ == "ccomp" for c in verb.children):
            return self.patterns.spoken_readings[code]
        if code in self.patterns.armed_readings and all(a.sector in self.patterns.armed_sectors for a in sources) \
                and not any(t.lower_ in self.patterns.armed_unless for t in words):
            # (not "Hamas called a general strike": the words say which strike)
            return self.patterns.armed_readings[code]
        if code in self.patterns.crowd_readings and all(a.sector in self.patterns.crowd_sectors for a in sources):
            return self.patterns.crowd_readings[code]
        return None

    def _events(self, candidate: Candidate, sentence: Span, index: int, ctx: Context) -> list[Event]:
        verb, match = candidate.verb, candidate.match
        pattern = match.pattern
        # the event noun, carried by a light verb or named in the pattern ("put under investigation in Italy")
        event_noun = candidate.noun or next((t for t in reversed(match.tokens[1:]) if t.pos_ == "NOUN"), None)
        if candidate.occurrence:
            sources = self._occurrence_sources(candidate.noun, ctx) or self._anonymous(pattern.code, candidate.noun)
        else:
            sources = self._sources(verb, ctx, pattern.code)
        if not sources and pattern.code.startswith(AUTHORITY_CODES) and clauses.is_passive(verb) \
                and not clauses.agents(verb):
            # "a missionary was arrested in Lebanon", "was put under investigation in Italy": the
            # authorities of the place did it
            place = clause_place(verb, event_noun, ctx.gazetteer, ctx.countries)
            if place is not None and place.country and place.country != "---":
                sources = [Actor(text=place.text or place.name, name=None, code=f"{place.country}GOV",
                                 country=place.country, sector="GOV", kb_id=None,
                                 resolved_from="the authorities of the place")]
        if not sources:
            return []
        reading = self._reading(pattern.code, verb, sources, match.tokens)
        if reading:
            candidate = _with_code(candidate, reading)
            match, pattern = candidate.match, candidate.match.pattern
        excluded = {t.i for t in match.tokens[1:] if t != candidate.noun} | {verb.i}
        own = {a.country for a in sources if a.country} | {a.code for a in sources if a.code}
        targets, target_heads = self._targets(candidate, ctx, excluded, own=own)
        if pattern is self.patterns.obligation_pattern and not targets:
            return []  # "said talks with China must continue": what must happen, asked of no one
        if pattern.code in self.patterns.body_readings and targets \
                and all((a.code or "").startswith("IGO") for a in targets) \
                and not all(a.sector in self.patterns.armed_sectors for a in sources):
            # "Burkina Faso, Mali and Niger withdrew from ECOWAS": leaving a body is cutting relations with it
            candidate = _with_code(candidate, self.patterns.body_readings[pattern.code])
            match, pattern = candidate.match, candidate.match.pattern
        if pattern.reversed:
            # "Georgian demonstrators received weapons from the government": the government gives
            if not targets:
                return []
            sources, targets = targets, sources
        code = pattern.code
        if code[:2] == "11" and targets and all((a.code or "").startswith("IGO") for a in targets):
            # "Lebanon complained to the United Nations over Israeli air raids": an international body
            # hears the complaint; whom it is about is the one complained of
            targets = self._complained_of(verb, ctx, own) or targets
        if code == GENERIC_FORCE and self.patterns.bombing_code and self._by_bomb(verb):
            code = self.patterns.bombing_code  # "two car bombs killed 11 people": a bombing
        place = clause_place(verb, event_noun, ctx.gazetteer, ctx.countries)
        if place is None:
            # "threatened to impose a curfew in Algiers": the place of the threatened act; "killed 23 people when
            # they blew themselves up in Tel Aviv": of the act that was the same moment
            for xcomp in (c for c in verb.children if c.dep_ == "xcomp" or c.dep_ == "advcl" and any(
                    m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "as", "while") for m in c.children)):
                place = clause_place(xcomp, None, ctx.gazetteer, ctx.countries)
                if place is not None:
                    break
        if not targets and place is not None and place.country and code[:2] in LOCATIVE_TARGET_ROOTS and not (
                code.startswith(HOME_RETREAT_CODES) and all(a.country == place.country for a in sources)):
            # (a force that surrenders or holds its fire at home does so toward no one in particular:
            # "Ugandan rebels surrendered in Soroti")
            targets = [_place_actor(place)]
        if not targets and code.startswith(ABOUT_AN_ACT_CODES):
            # "expressed sorrow for the shootings in South Carolina": toward where the act happened
            for act in clauses.preposition_objects(verb, ("for",)) + [
                    p for o in clauses.objects_of(verb) for p in clauses.preposition_objects(o, ("for",))]:
                where = clause_place(act, act, ctx.gazetteer, ctx.countries)
                if where is not None and where.country and where.country != "---":
                    targets = [_place_actor(where)]
                    break
        if not targets and place is not None and place.country and place.country != "---" \
                and code.startswith(VISIT_CODES) and all(a.country != place.country for a in sources):
            # "Obama attended a summit in Switzerland": a meeting abroad is with the country that hosts it
            targets = [_place_actor(place)]
        if code[:3] in VISIT_CODES and any(a.sector in NOT_VISITORS for a in sources):
            return []  # immigrants arriving in Canada, refugees reaching a border: not a visit
        if place is not None and place.country:
            # actors of unstated nationality are, by default, of the place where it happened:
            # "gunmen killed 23 people in Tel Aviv" (armed forces excepted: troops abroad are common);
            # for talks and agreements, whose venue is often abroad ("rebels agreed to talks in Abuja"), only
            # the actors who seldom act abroad ("opposition leaders agreed to postpone a rally in Baku")
            local = code[:2] in LOCAL_ACT_ROOTS
            sources, targets = ([_localise(a, place.country) if (local or a.sector in HOME_SECTORS)
                                 and not ctx.actors.abroad(a) else a for a in side]
                                for side in (sources, targets))
        if code[:2] in PLACE_TARGET_ROOTS:
            # an attacked or visited capital is the country, not its government: "shelled Juba"
            targets = [_as_place(a) for a in targets]
        sources, targets = _domestic(sources, targets)
        if any((a.code or "").startswith("---") for a in sources + targets):
            # "the Umma party will boycott Algeria's elections": people of unstated nationality in a
            # sentence that names one country only are of that country
            named = ctx.actors.countries_named(sentence.start, sentence.end)
            if len(named) == 1:
                country = next(iter(named))
                # in acts of cooperation, the one country named on one side is seldom the other side's too:
                # "the government expressed appreciation for China's assistance"
                cooperation = code[:2] < "09"
                taken = (cooperation and country in _named_countries(targets),
                         cooperation and country in _named_countries(sources))
                sources, targets = ([a if ctx.actors.abroad(a) or other_side_has_it else
                                     _localise(a, country, SENTENCE_COUNTRY) for a in side]
                                    for side, other_side_has_it in zip((sources, targets), taken, strict=True))
        named_in_story = ctx.actors.countries_in_document
        story = ctx.actors.context_country or (next(iter(named_in_story)) if len(named_in_story) == 1 else None)
        if story and any((a.code or "").startswith("---") for a in sources + targets):
            # "authorities arrested Zamora", "a court sentenced him", in a story about Guatemala: officials,
            # courts and people of unstated nationality are of the country the story is about, when it is
            # plain: its dateline's, or the only one it names (a story naming the US and Iraq is not plainly
            # about either); armed men are not: forces abroad and unnamed gunmen are common
            cooperation = code[:2] < "09"  # as above: the story's country on one side is not the other's too
            taken = (cooperation and story in _named_countries(targets),
                     cooperation and story in _named_countries(sources))
            sources, targets = ([_localise(a, story, STORY_COUNTRY) if a.sector in STORY_SECTORS
                                 and not ctx.actors.abroad(a) and not other_side_has_it else a for a in side]
                                for side, other_side_has_it in zip((sources, targets), taken, strict=True))
        if not targets and code.startswith(HOME_PROTEST_CODES):
            # "Egyptian demonstrators rioted", "the Serbian workers' union stopped work", "the teachers'
            # union called off its strike": a protest that names no one and happens nowhere abroad is
            # aimed at the protesters' own country
            home = {a.country for a in sources}  # international bodies have none
            if len(home) == 1 and (country := next(iter(home))) and country != "---" and (
                    place is None or place.country in (None, country)):
                entity = ctx.actors.r.kb.country(country)
                name = entity.name if entity is not None else None
                targets = [Actor(text=name or country, name=name, code=country, country=country, sector=None,
                                 kb_id=f"country:{country}", resolved_from=HOME_COUNTRY)]
        # "X and Y met", "clashes between X and Y": each acts on the other
        symmetric_pairs = len(sources) > 1 and (pattern.symmetric or all(a.resolved_from == BETWEEN for a in sources))
        modality = modality_of(verb)
        if code[:2] == "03" and modality != NEGATED and any(
                c.dep_ == "neg" for t in [*match.tokens[1:], *(x for x in verb.children if x.dep_ == "xcomp")]
                if t.pos_ in ("VERB", "AUX") for c in t.children):
            # "vowed not to withdraw", "promised not to return the Golan": a promise not to is a refusal
            modality = NEGATED
        if modality == NEGATED and rejection_code(code):
            # "did not agree", "will not accept": an asserted rejection, which needs no target
            code, modality = rejection_code(code), ASSERTED
        if not targets and code[:2] in self.patterns.target_required_roots and not symmetric_pairs:
            return []
        threat = threat_code(code) if modality in (FUTURE, HYPOTHETICAL) and _conditions(verb) else None
        if threat:
            # "will impose sanctions if Russia invades", "may halt mediation if cooperation founders": a
            # conditional act is a threat, and the threat has been made
            code, modality = threat, ASSERTED
        elif modality == FUTURE:
            code = intent_code(code)
        pairs: list[tuple[Actor, Actor | None]] = []
        if code.startswith(HOME_RETREAT_CODES):
            # "Bosnian Serbs completed their withdrawal from Gorazde": a force that pulls back at home does so
            # toward no one in particular
            home = {a.country for a in sources}
            targets = [t for t in targets if not (t.sector is None and t.country in home and t.code == t.country)]
        if targets and not (symmetric_pairs and all(t.resolved_from == PLACE_OF_EVENT for t in targets)):
            # ("police and protesters clashed in Cairo": each side acts on the other, not on Cairo)
            for source in sources:
                for target in targets:
                    if not _same(source, target):
                        pairs.append((source, target))
            if not pairs and code[:2] not in self.patterns.target_required_roots:
                # "Iran lifted the curfew in Tehran": acting on oneself is an event without a target
                pairs = [(s, None) for s in sources]
            elif pattern.symmetric and modality != FUTURE and not _through_clause(verb, target_heads):
                # "Putin met Hu", "signed a treaty with Bulgaria": each side acts on the other, as in "Putin
                # and Hu met" (an intention to meet is the one who intends it)
                pairs += [(t, s) for s, t in pairs if t.resolved_from not in ("place", PLACE_OF_EVENT)]
        elif symmetric_pairs:
            pairs = [(a, b) for a in sources for b in sources if not _same(a, b)]
        else:
            pairs = [(s, None) for s in sources]
        if pattern is self.patterns.allegation_pattern and not any(t for _, t in pairs):
            return []  # "the US claimed that they had attacked Iraq": no one is accused
        if not pairs:
            return []
        tense = FUTURE_TENSE if modality == FUTURE else verb_tense(verb)
        when = clause_date(verb, candidate.noun, ctx.published, tense, self.patterns.statement_verbs)
        entry = lookup(code)
        trigger_tokens = sorted({t.i: t for t in (verb, *match.tokens[1:], candidate.noun) if t is not None}.values(),
                                key=lambda t: t.i)
        trigger_text = " ".join(t.text for t in trigger_tokens)
        start, end = sentence.start_char, sentence.end_char
        events = []
        seen: set[tuple] = set()
        for source, target in pairs:
            key = (source.code, target.code if target else None)
            if key in seen:
                continue
            seen.add(key)
            dateline_place = None if place else news_day_place(when, ctx.published, ctx.dateline_place)
            if not (place or dateline_place) and _unidentified(source) and (target is None or _unidentified(target)) \
                    and ctx.actors.countries_in_document:
                # "Bosnia and Slovenia agreed to a ceasefire but ... clashes were still continuing": in a story
                # about named countries, an act none of whose parties is identified (no country, no named body)
                # and that happened nowhere known tells no one who did what to whom; a story that names no
                # country ("the army rejected the rebels' offer") keeps it, as all there is
                continue
            events.append(Event(
                event_id="",
                doc_id=ctx.doc_id,
                sentence=index,
                span=(start, end),
                evidence=sentence.text.strip(),
                trigger=trigger_text,
                trigger_span=(verb.idx, verb.idx + len(verb.text)),
                source=source,
                target=target,
                cameo=code,
                cameo_root=code[:2],
                cameo_name=entry.name,
                quad_class=entry.quad_class,
                goldstein=entry.goldstein,
                plover={"event": entry.plover_event, "mode": entry.plover_mode},
                modality=modality,
                date=when.value if when else None,
                date_precision=when.precision if when else ("published" if ctx.published else "unknown"),
                date_text=when.text if when else None,
                location=place or dateline_place,
                published=ctx.published.isoformat() if ctx.published else None,
                confidence=_confidence(source, target, match),
                rule=f"{pattern.kind}:{pattern.text}" + (f" (via {verb.lemma_})" if candidate.noun is not None else ""),
                extra={"date_carried": True} if when is not None and when.carried else {},
            ))
        clash = self.patterns.crowd_clash
        if clash is not None and code in clash.codes and (pattern.symmetric or symmetric_pairs):
            # "Syrian forces clashed with rioters": the forces repress (175), the crowd riots (145)
            events = [_recoded(e, reading, "a crowd and forces") if e.target is not None and (
                reading := clash.code_for(e.source.sector, e.target.sector)) else e for e in events]
        return events


def _domestic(sources: list[Actor], targets: list[Actor]) -> tuple[list[Actor], list[Actor]]:
    """A state's own authorities act on people of their own country: "Egyptian police dispersed
    demonstrators" (Egyptian demonstrators), "protesters demanded that the Kenyan government resign"."""
    authorities = ("GOV", "COP", "JUD", "LEG")

    def country_of(actors: list[Actor]) -> str | None:
        countries = {a.country for a in actors if a.sector in authorities and a.country}
        return countries.pop() if len(countries) == 1 else None

    source_country, target_country = country_of(sources), country_of(targets)
    if source_country and all(a.sector in authorities for a in sources):
        targets = [_localise(a, source_country) if a.sector != "MIL" else a for a in targets]
    if target_country and all(a.sector in authorities for a in targets):
        # (not the unidentified doers of violence: "a mortar attack killed a US official" in Baghdad)
        sources = [_localise(a, target_country) if a.sector not in ("MIL", "UAF") else a for a in sources]
    return sources, targets


def _localise(actor: Actor, country: str, how: str = "country of the place") -> Actor:
    if actor.code and actor.code.startswith("---") and actor.sector != "MIL":
        return replace(actor, code=country + actor.code[3:], country=country, name=None if actor.name is None else
                       actor.name.replace("unknown country", country),
                       resolved_from=f"{actor.resolved_from}; {how}" if actor.resolved_from else how)
    return actor


# words that count people: "wounding dozens", "killed hundreds"
COUNT_WORDS = frozenset({"dozen", "dozens", "score", "scores", "hundred", "hundreds", "thousand", "thousands"})


def _counted(token: Token) -> bool:
    """A bare number as what violence hit ("wounding 20", "killed at least eight")."""
    return token.dep_ in ("dobj", "nsubjpass") and (token.like_num or token.lower_ in COUNT_WORDS) \
        and not any(c.dep_ == "prep" for c in token.children)


def _as_place(actor: Actor) -> Actor:
    if actor.resolved_from == "capital" and actor.country:
        return replace(actor, code=actor.country, sector=None)
    return actor


def _phrase_in(token: Token, nouns: frozenset[str] | set[str]) -> bool:
    words = [t.lower_ for t in token.lefts if t.dep_ in ("compound", "amod")] + [token.lemma_.lower()]
    return any(" ".join(words[i:]) in nouns for i in range(len(words)))


def _place_actor(place: Place) -> Actor:
    """The country where an event happened (or a text was released), as an actor."""
    return Actor(text=place.text or place.name, name=place.name, code=place.country, country=place.country,
                 sector=None, kb_id=f"country:{place.country}", resolved_from=PLACE_OF_EVENT)


# what one "fights to" do when the fight is a struggle, not violence: "fighting to maintain his credibility"
STRUGGLE_GOALS = {"maintain", "keep", "save", "win", "survive", "retain", "stay", "remain", "preserve", "salvage",
                  "rescue", "contain", "limit", "regain", "restore", "balance", "pass", "finish", "qualify"}
_SCORE = re.compile(r"\b\d{1,2} ?[-–] ?\d{1,2}\b(?! ?(?:years?|months?|days?|percent|%))")


def _figurative(verb: Token) -> bool:
    """Violent words used for struggles and games: "was fighting to keep his job", "beat Brazil 2-1"."""
    children = list(verb.children)
    if any(c.dep_ == "xcomp" and c.lemma_.lower() in STRUGGLE_GOALS for c in children) and not any(
            c.dep_ == "dobj" for c in children):
        return True
    return bool(_SCORE.search(verb.doc[verb.left_edge.i:verb.right_edge.i + 1].text))


def _is_purpose(verb: Token) -> bool:
    """ "to protest", "in order to demand": an infinitive adverbial clause."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


# the way from a verb down to the action it governs, where a condition of the whole may hang
CONDITION_PATH = ("xcomp", "dobj", "acl")
CONDITION_DEPTH = 3


def _conditions(verb: Token) -> list[Token]:
    """Conditional clauses ("if ...", "unless ...") of the verb or of the action it governs, which the parser
    may hang lower down ("threatened to stop talks to reduce missiles if the US goes ahead")."""
    heads, frontier = [verb], [verb]
    for _ in range(CONDITION_DEPTH):
        frontier = [c for h in frontier for c in h.children if c.dep_ in CONDITION_PATH]
        heads += frontier
    return [c for h in heads for c in h.children
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)]


def _through_clause(verb: Token, heads: list[int]) -> bool:
    """Is a target found in a clause the verb governs ("fighting to topple the government": what the fight
    is for, not who fights back)?"""
    return any(t.head.i == verb.i and t.dep_ in ("xcomp", "advcl", "ccomp", "relcl")
               for index in heads for t in (verb.doc[index], *verb.doc[index].ancestors))


def _phrase_verb(noun: Token) -> int | None:
    """The verb whose object phrase a noun is in ("claimed responsibility for an attack": claimed)."""
    current = noun
    for _ in range(4):
        if current.dep_ in ("pobj", "prep", "dobj", "nsubjpass", "compound", "conj") and current.head != current:
            current = current.head
            if current.pos_ in ("VERB", "AUX"):
                return current.i
            continue
        return None
    return None


def _named_countries(side: list[Actor]) -> set[str | None]:
    """The countries a side stands for as states, not counting a place taken as the target ("sorrow for the
    shootings in South Carolina": the US is where it happened) nor people of a country ("allowed Pakistani
    opposition leaders to rally": a government concedes to its own opposition)."""
    return {a.country for a in side if a.resolved_from != PLACE_OF_EVENT and a.sector in (None, "GOV", "MIL")}


def _unidentified(actor: Actor) -> bool:
    """An actor of no known country and no name in the knowledge base ("gunmen", "the authorities")."""
    return (actor.code or "---").startswith("---") and not actor.kb_id


def _with_code(candidate: Candidate, code: str) -> Candidate:
    """The same match under another code (a reading by who does it, or to whom)."""
    return replace(candidate, match=replace(candidate.match, pattern=replace(candidate.match.pattern, code=code)))


def _recoded(event: Event, code: str, why: str, modality: str | None = None) -> Event:
    """The same report under another code: "the US claimed they had attacked Iraq" is a claim of the attack."""
    entry = lookup(code)
    return replace(event, cameo=code, cameo_root=code[:2], cameo_name=entry.name, quad_class=entry.quad_class,
                   goldstein=entry.goldstein, plover={"event": entry.plover_event, "mode": entry.plover_mode},
                   modality=modality or event.modality, rule=f"{event.rule} ({why})")


def _with_targets_of(events: list[Event], earlier: list[Event]) -> list[Event]:
    """Target-less events take the targets of the act they follow (a counted object is some of them)."""
    targets = list(dict.fromkeys(e.target for e in earlier if e.target is not None))
    if not targets:
        return events
    return [replace(e, target=t) for e in events if e.target is None for t in targets
            if e.source is None or t.code != e.source.code] + [e for e in events if e.target is not None]


def _same_moment_by_same_doer(clause: Token) -> bool:
    """A "when", "as" or "while" clause whose subject is a pronoun for the main clause's doer."""
    marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod")}
    subjects = [c for c in clause.children if c.dep_ == "nsubj"]
    return bool(marks & {"when", "as", "while"}) and len(subjects) == 1 and subjects[0].pos_ == "PRON" \
        and subjects[0].lower_ not in ("it",)


def _second_act(main: str, participle: str) -> bool:
    """A participle after a coded act is an act of its own when both are material acts of different
    PLOVER types ("opened fire, killing one and arresting 12": the arrests are coercion, not the
    shooting's consequence); a consequence of the same type or a stated aim stays part of the act."""
    if main[:2] in VERBAL_ROOTS or participle[:2] in VERBAL_ROOTS or main[:2] < "15" or participle[:2] < "15":
        return False
    return lookup(main).plover_event != lookup(participle).plover_event


def _own_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _same(a: Actor, b: Actor) -> bool:
    if b.resolved_from in (PLACE_OF_EVENT, HOME_COUNTRY):
        return False  # "Iraqi Kurds demonstrated in Kirkuk": a country's people act within it
    if a.kb_id and a.kb_id == b.kb_id:
        return True
    return a.code == b.code


def _confidence(source: Actor, target: Actor | None, match: Match) -> float:
    score = 0.5
    if source.kb_id:
        score += 0.15
    if target is not None and target.kb_id:
        score += 0.1
    if match.pattern.specificity:
        score += 0.1
    if source.resolved_from:
        score -= 0.1
    if source.code and source.code.startswith("---"):
        score -= 0.15
    return round(max(0.05, min(score, 0.95)), 2)
