"""Modality: is the event asserted, negated, future or only hypothetical?

Read from the verb's own auxiliaries and negation, from a conditional clause,
and from the verb that governs it ("refused to withdraw" is a withdrawal that
did not happen; "plans to visit" is a future visit). Future events are coded as
the intent code CAMEO prescribes (a future visit is 036). The vocabulary is in
`actions/data/modality.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Token

from polevents.actions.codebook import codebook
from polevents.events.clauses import governor

ASSERTED, NEGATED, FUTURE, HYPOTHETICAL = "asserted", "negated", "future", "hypothetical"


@dataclass(frozen=True, slots=True)
class ModalityRules:
    negation: frozenset[str]
    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    advisory_aux: frozenset[str]
    conditional_marks: frozenset[str]
    governors: dict[str, str]  # lemma -> modality
    intent_codes: dict[str, str]
    negated_codes: dict[str, str]
    reporting_verbs: frozenset[str]
    threat_codes: dict[str, str]
    governing_nouns: dict[str, str]
    kept_from: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def rules() -> ModalityRules:
    text = (resources.files("polevents.actions") / "data" / "modality.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)["modality"]
    governors: dict[str, str] = {}
    kinds = {"future": FUTURE, "hypothetical": HYPOTHETICAL, "negated": NEGATED, "attempted": ASSERTED}
    for kind, lemmas in data["governors"].items():
        for lemma in lemmas:
            if str(lemma) in governors:
                raise ValueError(f"modality.yaml: {lemma!r} is listed under two kinds of governor")
            governors[str(lemma)] = kinds[kind]
    return ModalityRules(
        negation=frozenset(data["negation"]),
        future_aux=frozenset(data["future_aux"]),
        hypothetical_aux=frozenset(data["hypothetical_aux"]),
        advisory_aux=frozenset(data.get("advisory_aux") or ()),
        conditional_marks=frozenset(data["conditional_marks"]),
        governors=governors,
        intent_codes={str(k): str(v) for k, v in data["intent_codes"].items()},
        negated_codes={str(k): str(v) for k, v in data.get("negated_codes", {}).items()},
        reporting_verbs=frozenset(data.get("reporting_verbs", [])),
        kept_from=frozenset(data.get("kept_from") or ()),
        threat_codes={str(k): str(v) for k, v in data.get("threat_codes", {}).items()},
        governing_nouns={str(n): kinds[kind] for kind, nouns in data.get("governing_nouns", {}).items()
                         for n in nouns},
    )


def _own_modality(verb: Token, r: ModalityRules) -> str | None:
    """Negation, future or hypothetical marked on the verb itself (or the verb it is conjoined to)."""
    children = list(verb.children)
    if verb.dep_ == "conj" and not any(c.dep_ in ("aux", "nsubj") for c in children):
        children += [c for c in verb.head.children if c.dep_ in ("aux", "neg")]
    lowers = {c.lower_ for c in children if c.dep_ in ("neg", "aux", "auxpass", "advmod", "det")}
    if any(c.dep_ == "neg" for c in children) or lowers & {"never", "not", "n't"}:
        # "should not give them back", "may not attend": advice or a possibility, not a refusal
        return HYPOTHETICAL if lowers & r.advisory_aux else NEGATED
    for child in children:
        if child.dep_ == "mark" and child.lower_ in r.conditional_marks:
            return HYPOTHETICAL
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in r.conditional_marks for c in verb.children):
        return HYPOTHETICAL
    auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    clause = verb
    while clause.dep_ == "conj" and clause.head.pos_ in ("VERB", "AUX"):
        clause = clause.head  # "announced it would prohibit aid and would deny entry": the first of the list
    if "would" in auxes and clause.dep_ == "ccomp" and clause.head.lemma_.lower() in r.reporting_verbs:
        return FUTURE  # "Iraq said it would allow inspectors back": the future as reported
    if auxes & r.hypothetical_aux:
        return HYPOTHETICAL
    if auxes & r.future_aux:
        return FUTURE
    # "is going to visit", "is to visit"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and verb.head.lemma_ == "go" \
            and verb.head.tag_ == "VBG":
        return FUTURE
    return None


def modality_of(verb: Token, depth: int = 0) -> str:
    """The modality of the event whose trigger is `verb`."""
    found = _modality_of(verb)
    if found != ASSERTED or depth > 3:
        return found
    # a non-finite clause inherits what it serves: "called for Russia to reciprocate by agreeing to a
    # ceasefire": the agreeing is asked for, not done
    if any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children):
        return found
    if verb.dep_ in ("pcomp", "pobj") and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        inherited = modality_of(verb.head.head, depth + 1)
    elif verb.dep_ in ("advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        inherited = modality_of(verb.head, depth + 1)
    else:
        return found
    return inherited if inherited in (HYPOTHETICAL, FUTURE) else found


def _modality_of(verb: Token) -> str:
    r = rules()
    own = _own_modality(verb, r)
    if own == NEGATED:
        return NEGATED
    if verb.dep_ in ("pcomp", "pobj") and verb.head.lower_ == "without":
        return NEGATED  # "without acknowledging responsibility"
    if verb.dep_ in ("pcomp", "pobj") and verb.i >= 2 and " ".join(
            t.lower_ for t in verb.doc[verb.i - 2:verb.i]) in ("instead of", "rather than"):
        return NEGATED  # "instead of calling for an Asian NATO, Japan will ...": no call
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and verb.head.head.lemma_.lower() in r.kept_from:
        return NEGATED  # "refrained from attacking", "barred girls from attending school": it did not happen
    if verb.dep_ == "xcomp" and verb.head.lower_ == "about" and verb.head.head.lemma_ == "be":
        # "is about to sign": imminent; "were not about to free": not going to happen
        return NEGATED if _own_modality(verb.head.head, r) == NEGATED else FUTURE
    # a verb under a governor takes the governor's meaning ("refused to withdraw", "plans to visit")
    gov = governor(verb)
    # "have sworn to fight" is sometimes parsed with the infinitive an adverbial clause: the same reading
    infinitive = verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children)
    if gov is None and infinitive and verb.head.pos_ in ("VERB", "AUX", "ADJ") \
            and verb.head.lemma_.lower() in r.governors:
        gov = verb.head
    if gov is not None and (verb.dep_ == "xcomp" or infinitive) or (gov is not None and verb.dep_ == "conj"
                                                                    and verb.head.dep_ == "xcomp"):
        kind = r.governors.get(gov.lemma_.lower())
        gov_own = _own_modality(gov, r)
        if gov_own == NEGATED and kind != NEGATED:
            return NEGATED
        if kind == ASSERTED:
            return gov_own or ASSERTED  # "tried to hack into": the attempt is the act; "will try to": future
        if kind == FUTURE and any(c.dep_ in ("dobj", "dative") for c in gov.children):
            return HYPOTHETICAL  # "Obama wants Putin to attack": someone else's act, wished for
        if kind:
            return kind
    if gov is not None and verb.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        kind = r.governors.get(gov.lemma_.lower())
        if kind in (FUTURE, HYPOTHETICAL):
            return HYPOTHETICAL  # "wants Putin to attack", parsed as a clause of its own
    # "reiterated its demand that Israel ease restrictions", "a plan to withdraw": the noun governs
    if verb.dep_ in ("acl", "ccomp", "relcl") and verb.head.pos_ == "NOUN" and verb.dep_ != "relcl":
        kind = r.governing_nouns.get(verb.head.lemma_.lower())
        if kind:
            return kind
    if own:
        return own
    return ASSERTED


def _mapped(code: str, table: dict[str, str]) -> str | None:
    for key in (code, code[:3], code[:2]):
        if key in table:
            target = table[key]
            return target if target in codebook() else None
    return None


def intent_code(code: str) -> str:
    """The CAMEO intent code for a future event of `code` (itself when CAMEO has none)."""
    return _mapped(code, rules().intent_codes) or code


def rejection_code(code: str) -> str | None:
    """The CAMEO rejection code a negated act of cooperation becomes ("did not agree" -> 120), if any."""
    return _mapped(code, rules().negated_codes)


def threat_code(code: str) -> str | None:
    """The CAMEO threat a conditional future act amounts to ("will impose sanctions if ..." -> 1312)."""
    return _mapped(code, rules().threat_codes)
