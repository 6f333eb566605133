"""Verb and noun patterns -> CAMEO codes, compiled from data files (docs/patterns.md).

A verb pattern is a trigger lemma followed by words that must appear, in that
order, in the trigger's own clause (its dependency subtree, not crossing into
another clause with its own subject):

    veto                      the verb alone
    vote against *            "*": the target is the object of "against"
    call for $CEASEFIRE       a synset defined in the same file
    rule out                  a particle
    agree to provide aid      an xcomp chain

A noun pattern ("air strike", "talks") names an event noun; it codes an event
when a light verb carries it ("launched air strikes against", "held talks
with"). The longest matching pattern wins; among equals, the first in the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Token

from polevents.actions.codebook import codebook

# Clause boundaries: a pattern word is never looked for below these.
BARRIERS = {"nsubj", "csubj", "csubjpass", "expl", "punct", "cc", "relcl", "advcl", "parataxis",
            "ccomp", "acl", "appos", "mark", "meta", "dep", "intj", "npadvmod"}
MAX_DEPTH = 4


# words that end phrasal verbs ("dig in", "give in", "back down"): with an object of their own they are
# ordinary prepositions ("dug out bodies in a village")
PARTICLES = {"in", "out", "up", "down", "off", "away", "back", "over", "through", "around", "apart", "aside"}
NO_EVENT = "none"  # the code of patterns that exist to say "this is not an event"


class PatternError(ValueError):
    """A pattern file that cannot be used, naming the file and entry."""


@dataclass(frozen=True, slots=True)
class Pattern:
    code: str
    kind: str  # "verb" or "noun"
    trigger: frozenset[str]
    modifiers: tuple[frozenset[str], ...]  # nouns: words before the head ("air" in "air strike")
    words: tuple[frozenset[str], ...]  # words after the trigger, in order
    target_slot: int | None  # index in `words` whose object is the target; -1: the trigger's object
    symmetric: bool
    text: str
    order: int
    reversed: bool = False  # "received aid from Japan": the target slot names the doer, the subject the recipient

    @property
    def specificity(self) -> int:
        return len(self.words) + len(self.modifiers)


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    tokens: tuple[Token, ...]  # the trigger first, then each matched word

    @property
    def code(self) -> str:
        return self.pattern.code


OF = frozenset({"of"})  # in a noun pattern, what follows is the noun's "of" phrase


def _words(text: str, synsets: dict[str, frozenset[str]], where: str) -> list[frozenset[str] | str]:
    out: list[frozenset[str] | str] = []
    for raw in text.split():
        if raw == "*":
            out.append("*")
        elif raw.startswith("$"):
            name = raw[1:]
            if name not in synsets:
                raise PatternError(f"{where}: unknown synset ${name} in {text!r}")
            out.append(synsets[name])
        else:
            out.append(frozenset(w.lower() for w in raw.split("|") if w))
    return out


def _sector_readings(data: dict[str, Any], key: str, name: str, readings: dict[str, str],
                     sectors: set[str]) -> set[str]:
    """Read a `{sectors, codes, unless}` block into `readings` and `sectors`; returns its `unless` words."""
    block = data.get(key)
    if not block:
        return set()
    if not isinstance(block, dict) or not block.get("sectors"):
        raise PatternError(f"{name}: {key} needs 'sectors' and 'codes' (code: code when done by those sectors)")
    readings.update(_code_map(block.get("codes"), f"{name}: {key}.codes"))
    sectors.update(str(s) for s in block["sectors"])
    return {str(w).lower() for w in block.get("unless") or []}


def _code_map(value: Any, where: str) -> dict[str, str]:
    """A mapping of CAMEO code to CAMEO code, checked against the codebook."""
    if not isinstance(value, dict):
        raise PatternError(f"{where}: expected a mapping of CAMEO code to CAMEO code")
    for key, code in value.items():
        if str(key) not in codebook() or str(code) not in codebook():
            raise PatternError(f"{where}: {key!r} or {code!r} is not a CAMEO code")
    return {str(k): str(v) for k, v in value.items()}


@dataclass(frozen=True, slots=True)
class CrowdClash:
    """Fighting between a crowd and forces, read each way: the forces repress, the crowd riots."""

    codes: frozenset[str]
    crowd: frozenset[str]
    force: frozenset[str]
    crowd_code: str
    force_code: str

    def code_for(self, source_sector: str | None, target_sector: str | None) -> str | None:
        if source_sector in self.crowd and target_sector in self.force:
            return self.crowd_code
        if source_sector in self.force and target_sector in self.crowd:
            return self.force_code
        return None


class PatternSet:
    """All patterns, indexed by trigger lemma."""

    def __init__(self) -> None:
        self.verbs: dict[str, list[Pattern]] = defaultdict(list)
        self.nouns: dict[str, list[Pattern]] = defaultdict(list)
        self.light_verbs: set[str] = set()
        self.light_preps: set[str] = set()
        self.statement_verbs: set[str] = set()
        self.symmetric_codes: set[str] = set()
        self.target_required_roots: set[str] = set()
        self.synsets: dict[str, frozenset[str]] = {}
        self.obligation_words: set[str] = set()
        self.unattributed_nouns: set[str] = set()
        self.occurrence_verbs: set[str] = set()
        self.carrying_verbs: set[str] = set()
        self.stance_nouns: set[str] = set()
        self.document_nouns: set[str] = set()
        self.natural_hazards: set[str] = set()
        self.armed_readings: dict[str, str] = {}
        self.spoken_readings: dict[str, str] = {}
        self.armed_sectors: set[str] = set()
        self.armed_unless: set[str] = set()
        self.crowd_readings: dict[str, str] = {}
        self.body_readings: dict[str, str] = {}
        self.crowd_clash: CrowdClash | None = None
        self.crowd_sectors: set[str] = set()
        self.bombing_code: str | None = None
        self.bombing_nouns: set[str] = set()
        self.obligation_pattern: Pattern | None = None
        self.allegation_pattern: Pattern | None = None
        self.allegation_roots: frozenset[str] = frozenset()
        self.admission_code: str | None = None
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def codes(self) -> set[str]:
        return {p.code for group in (*self.verbs.values(), *self.nouns.values()) for p in group} - {NO_EVENT}

    def load(self, data: dict[str, Any], name: str) -> None:
        if not isinstance(data, dict):
            raise PatternError(f"{name}: expected a mapping with 'actions' (and optionally 'synsets')")
        # synsets are shared across files (read in name order), so later files may use earlier ones
        self.synsets.update({str(k): frozenset(str(w).lower() for w in v)
                             for k, v in (data.get("synsets") or {}).items()})
        synsets = self.synsets
        self.light_verbs.update(str(v).lower() for v in data.get("light_verbs") or [])
        self.light_preps.update(str(v).lower() for v in data.get("light_preps") or [])
        self.statement_verbs.update(str(v).lower() for v in data.get("statement_verbs") or [])
        self.target_required_roots.update(str(v) for v in data.get("target_required_roots") or [])
        self.occurrence_verbs.update(str(v).lower() for v in data.get("occurrence_verbs") or [])
        self.carrying_verbs.update(str(v).lower() for v in data.get("carrying_verbs") or [])
        self.stance_nouns.update(str(v).lower() for v in data.get("stance_nouns") or [])
        self.document_nouns.update(str(v).lower() for v in data.get("document_nouns") or [])
        self.natural_hazards.update(str(v).lower() for v in data.get("natural_hazards") or [])
        # "insurgents launched strikes at US outposts": what armed men do under a civil act's name
        self.armed_unless.update(_sector_readings(data, "armed_readings", name, self.armed_readings,
                                                  self.armed_sectors))
        # "the building was demolished by a protester": what protesters do to property is a riot
        _sector_readings(data, "crowd_readings", name, self.crowd_readings, self.crowd_sectors)
        clash = data.get("crowd_clash")
        if clash:
            # "Syrian forces clashed with rioters": each side's act by who it is
            table = codebook()
            if not isinstance(clash, dict) or not all(clash.get(k) for k in ("codes", "crowd", "force")) \
                    or str(clash.get("crowd_code")) not in table or str(clash.get("force_code")) not in table:
                raise PatternError(f"{name}: crowd_clash needs 'codes', 'crowd', 'force' and CAMEO 'crowd_code', "
                                   "'force_code'")
            self.crowd_clash = CrowdClash(frozenset(str(c) for c in clash["codes"]),
                                          frozenset(str(c) for c in clash["crowd"]),
                                          frozenset(str(c) for c in clash["force"]),
                                          str(clash["crowd_code"]), str(clash["force_code"]))
        # "withdrew from ECOWAS": what an act is when it is aimed at an international body
        self.body_readings.update(_code_map(data.get("body_readings") or {}, f"{name}: body_readings"))
        # "China protested that the US had violated its airspace": a protest in words, not in the street
        self.spoken_readings.update(_code_map(data.get("spoken_readings") or {}, f"{name}: spoken_readings"))
        unattributed = data.get("unattributed")
        if unattributed:
            self.unattributed_nouns.update(str(n).lower() for n in unattributed.get("nouns") or [])
            bombing = unattributed.get("bombing")
            if bombing:
                if not isinstance(bombing, dict) or str(bombing.get("code")) not in codebook():
                    raise PatternError(f"{name}: unattributed.bombing needs a CAMEO 'code' and 'nouns'")
                self.bombing_code = str(bombing["code"])
                self.bombing_nouns.update(str(n).lower() for n in bombing.get("nouns") or [])
        obligation = data.get("statement_obligation")
        if obligation:
            # "X said Y must ...": a statement of obligation is coded as this (demand) code
            if not isinstance(obligation, dict) or str(obligation.get("code")) not in codebook():
                raise PatternError(f"{name}: statement_obligation needs a CAMEO 'code' and 'words'")
            self.obligation_words.update(str(w).lower() for w in obligation.get("words") or [])
            self.obligation_pattern = Pattern(str(obligation["code"]), "verb", frozenset(self.statement_verbs),
                                              (), (), None, False, "say that * must", -1)
        allegation = data.get("statement_allegation")
        if allegation:
            # "the US claimed that ISIL had attacked Iraq": to claim a hostile act of someone is to accuse them
            if not isinstance(allegation, dict) or str(allegation.get("code")) not in codebook() \
                    or not allegation.get("verbs") or not allegation.get("roots"):
                raise PatternError(f"{name}: statement_allegation needs a CAMEO 'code', 'verbs' and 'roots'")
            self.allegation_pattern = Pattern(str(allegation["code"]), "verb",
                                              frozenset(str(v).lower() for v in allegation["verbs"]),
                                              (), (), None, False, "claim that * did", -1)
            self.allegation_roots = frozenset(str(r) for r in allegation["roots"])
            if allegation.get("own_act_code") is not None:
                if str(allegation["own_act_code"]) not in codebook():
                    raise PatternError(f"{name}: statement_allegation.own_act_code is not a CAMEO code")
                self.admission_code = str(allegation["own_act_code"])
        table = codebook()
        for number, entry in enumerate(data.get("actions") or [], start=1):
            where = f"{name}, action {number}"
            if not isinstance(entry, dict) or "code" not in entry:
                raise PatternError(f"{where}: each action needs a 'code'")
            code = str(entry["code"]).strip()
            if code.lower() == "none":
                code = NO_EVENT  # "fight corruption", "hit the road": matches that code nothing
            elif code not in table:
                raise PatternError(f"{where}: {code!r} is not a CAMEO code (codes are strings: \"042\", not 42)")
            symmetric = bool(entry.get("symmetric", False))
            reverse = bool(entry.get("reversed", False))
            if symmetric:
                self.symmetric_codes.add(code)
            for kind, index in (("verb", self.verbs), ("noun", self.nouns)):
                for text in entry.get(f"{kind}s") or []:
                    pattern = self._compile(str(text), kind, code, symmetric, synsets, where)
                    if reverse:
                        if pattern.target_slot is None:
                            raise PatternError(f"{where}: a reversed pattern needs a '*' for its doer: {text!r}")
                        pattern = replace(pattern, reversed=True)
                    index_keys = pattern.trigger
                    for key in index_keys:
                        index[key].append(pattern)
                    self._count += 1

    def _compile(self, text: str, kind: str, code: str, symmetric: bool,
                 synsets: dict[str, frozenset[str]], where: str) -> Pattern:
        words = _words(text, synsets, where)
        if not words or words[0] == "*":
            raise PatternError(f"{where}: pattern {text!r} must start with a word")
        target_slot = None
        if kind == "noun":
            if "*" in words:
                raise PatternError(f"{where}: noun pattern {text!r} cannot have a target slot")
            # "release of prisoner", "state of emergency": the head before "of", the words after it in its phrase
            of_at = next((i for i, w in enumerate(words) if w == OF), None)
            before, after = (words, []) if of_at is None else (words[:of_at], words[of_at:])
            if not before:
                raise PatternError(f"{where}: noun pattern {text!r} must start with its noun")
            *modifiers, head = before
            return Pattern(code, kind, head, tuple(modifiers), tuple(after), None, symmetric, text,  # type: ignore[arg-type]
                           self._count)
        trigger, rest = words[0], words[1:]
        plain: list[frozenset[str]] = []
        for word in rest:
            if word == "*":
                if target_slot is not None:
                    raise PatternError(f"{where}: pattern {text!r} has two target slots")
                target_slot = len(plain) - 1
            else:
                plain.append(word)  # type: ignore[arg-type]
        return Pattern(code, kind, trigger, (), tuple(plain), target_slot, symmetric, text, self._count)  # type: ignore[arg-type]

    # ----- matching ---------------------------------------------------------------------------------
    def match_verb(self, verb: Token, passive: bool = False) -> Match | None:
        candidates = self.verbs.get(verb.lemma_.lower()) or self.verbs.get(verb.lower_)
        if not candidates:
            return None
        # pattern words follow the trigger ("protest to *" must not take the "to" of "to protest"), except
        # in the passive, where the object comes first ("talks were held"), and for the verb's own adverbs
        # ("sexually abused" is "abuse sexually")
        scope = [(t, d) for t, d in clause_scope(verb, include_passive_subject=passive)
                 if t.i > verb.i or (passive and any(a.dep_ == "nsubjpass" for a in [t, *t.ancestors]))
                 or (t.dep_ == "advmod" and t.head.i == verb.i and t.pos_ == "ADV")]
        # a pattern can only match when every one of its words is somewhere in the clause
        present = {t.lemma_.lower() for t, _ in scope} | {t.lower_ for t, _ in scope}
        best: Match | None = None
        for pattern in candidates:
            if best is not None and pattern.specificity < best.pattern.specificity:
                continue
            if any(not (word & present) for word in pattern.words):
                continue
            tokens = _find_in_order(pattern.words, scope, verb)
            if tokens is None:
                continue
            last = tokens[-1] if tokens else None
            if last is not None and last.dep_ == "prep" and last.lower_ in PARTICLES \
                    and pattern.target_slot != len(tokens) - 1 and any(c.dep_ == "pobj" for c in last.children):
                continue  # a particle pattern ("dig in", "give in") does not match a preposition with an object
            if pattern.target_slot is not None and pattern.target_slot >= 0 \
                    and tokens[pattern.target_slot].dep_ == "aux":
                continue  # "go to *" is not "going to attack": the "to" of an infinitive has no object
            # of two equally specific readings, the tighter one: "blew herself up outside a station" is a
            # suicide bombing ("blow herself up"), not "blow up" a station
            if best is None or pattern.specificity > best.pattern.specificity or (
                    pattern.specificity == best.pattern.specificity and tokens
                    and tokens[-1].i < best.tokens[-1].i):
                best = Match(pattern, (verb, *tokens))
        return best

    def match_noun(self, noun: Token) -> Match | None:
        candidates = self.nouns.get(noun.lemma_.lower()) or self.nouns.get(noun.lower_)
        if not candidates:
            return None
        lefts = [t for t in noun.lefts if t.dep_ in ("compound", "amod", "nmod")]
        best: Match | None = None
        for pattern in candidates:
            matched: list[Token] = []
            ok = True
            for word in pattern.modifiers:
                found = next((t for t in lefts if (t.lemma_.lower() in word or t.lower_ in word) and t not in matched), None)
                if found is None:
                    ok = False
                    break
                matched.append(found)
            if ok and pattern.words:
                # the words after "of": "the release of 200 prisoners", "a state of emergency"
                ofs = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
                phrase = next((p for c in ofs for p in c.children if p.dep_ == "pobj"), None)
                wanted = pattern.words[1:]
                if not ofs or (wanted and not _phrase_is(phrase, wanted)):
                    ok = False
                elif wanted:
                    matched.append(phrase)
            if ok and (best is None or pattern.specificity > best.pattern.specificity):
                best = Match(pattern, (noun, *matched))
        return best


def _phrase_is(phrase: Token | None, words: Sequence[frozenset[str]]) -> bool:
    """Is the phrase headed by `phrase` the words given, its head last ("Palestinian prisoners" for prisoner)?"""
    if phrase is None:
        return False
    *modifiers, head = words
    lefts = [t for t in phrase.lefts if t.dep_ in ("compound", "amod", "nmod")]
    return (phrase.lemma_.lower() in head or phrase.lower_ in head) and all(
        any(t.lemma_.lower() in w or t.lower_ in w for t in lefts) for w in modifiers)


def _to_complement(token: Token) -> bool:
    """ "allow candidate Ouattara to participate", parsed with Ouattara the subject of "to participate": the
    infinitive is the verb's complement, inside its clause."""
    return token.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def clause_scope(verb: Token, include_passive_subject: bool = False) -> list[tuple[Token, int]]:
    """The tokens of the verb's own clause with their depth, in text order."""
    out: list[tuple[Token, int]] = []
    stack = [(child, 1) for child in verb.children]
    while stack:
        token, depth = stack.pop()
        dep = token.dep_
        if (dep in BARRIERS and not _to_complement(token)) or (dep == "conj" and token.pos_ in ("VERB", "AUX")):
            continue
        if dep == "nsubjpass" and not include_passive_subject:
            continue
        out.append((token, depth))
        if depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in token.children)
    out.sort(key=lambda pair: pair[0].i)
    return out


def _is_time(token: Token) -> bool:
    """A date or a preposition introducing one ("on Wednesday"): never a pattern word."""
    if token.ent_type_ in ("DATE", "TIME"):
        return True
    return token.dep_ == "prep" and any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in token.children)


def _is_up_to(token: Token) -> bool:
    """The "to" of "up to 4,000 troops", a number, not a preposition of the verb."""
    return token.lower_ == "to" and token.i > 0 and token.doc[token.i - 1].lower_ == "up" \
        and token.i + 1 < len(token.doc) and token.doc[token.i + 1].like_num


def _attached(token: Token, anchors: list[Token]) -> bool:
    """A preposition or particle belongs to the phrase only when it hangs from the trigger or a matched
    word: "dug in" is not "dug out bodies ... in a village"."""
    if token.dep_ not in ("prep", "prt", "agent", "dative"):
        return True  # "to" of an infinitive ("ask * to resume") hangs from its verb, wherever that is
    heads = {a.i for a in anchors}
    return token.head.i in heads or (token.head.head.i in heads and token.head.dep_ in ("dobj", "pobj", "prt"))


def _in_agent_phrase(token: Token) -> bool:
    """ "when attacked by government troops": the doer named in a passive's "by" phrase is no pattern word."""
    return token.head.dep_ == "agent" or (token.head.dep_ == "pobj" and token.head.head.dep_ == "agent")


def _inside_a_name(token: Token) -> bool:
    """ "Baghdad University Medical School": a word inside a name ("Medical") is no pattern word."""
    return token.pos_ == "PROPN" and token.dep_ == "compound" and token.head.pos_ == "PROPN" \
        and token.head.i > token.i and token.ent_type_ != ""


def _find_in_order(words: Sequence[frozenset[str]], scope: list[tuple[Token, int]],
                   trigger: Token | None = None) -> list[Token] | None:
    found: list[Token] = []
    last = -1
    for word in words:
        anchors = [t for t in (trigger, *found) if t is not None]
        hit = next((t for t, _ in scope if t.i > last and (t.lemma_.lower() in word or t.lower_ in word)
                    and not _is_time(t) and not _is_up_to(t) and not _inside_a_name(t) and not _in_agent_phrase(t)
                    and (trigger is None or _attached(t, anchors))), None)
        if hit is None:
            return None
        found.append(hit)
        last = hit.i
    return found


def builtin_pattern_files() -> list[tuple[str, str]]:
    folder = resources.files("polevents.actions") / "data"
    return sorted(
        (f"polevents/actions/data/{item.name}", item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".yaml") and item.name != "modality.yaml"
    )


def load_patterns(user_files: Iterable[str | Path] = ()) -> PatternSet:
    return _load(tuple(str(p) for p in user_files))


@lru_cache(maxsize=8)
def _load(user_files: tuple[str, ...]) -> PatternSet:
    patterns = PatternSet()
    sources = list(builtin_pattern_files())
    for path in user_files:
        try:
            sources.append((path, Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            raise PatternError(f"{path}: cannot read it ({error})") from None
    for name, text in sources:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise PatternError(f"{name}{f', line {mark.line + 1}' if mark else ''}: not valid YAML") from None
        patterns.load(data or {}, name)
    return patterns
