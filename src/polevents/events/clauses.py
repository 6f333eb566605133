"""Clauses from the dependency parse: who is the subject of a verb, what are its objects.

Subjects are found where English grammar puts them, including the cases a
keyword coder misses: passive agents ("was released by Israel"), conjoined
verbs that share a subject ("met ... and signed"), control verbs ("pushed
Russia to join": Russia joins; "agreed to visit": the subject visits),
relative clauses ("the rebels, who attacked ...") and participles ("leaders
attending the summit").
"""

from __future__ import annotations

from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# participles that, after "be", say what the subject is or does, not what is done to it
STATIVE_PASSIVES = frozenset({"oppose", "engage", "commit", "determine", "dedicate", "devote", "involve"})
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# verbs whose object, not subject, does what the xcomp says: "pushed Russia to join"
OBJECT_CONTROL_DEPS = ("dobj", "dative")
TARGET_PREPS = ("with", "against", "to", "toward", "towards", "on", "upon", "at", "into", "from", "over", "across")
# an event noun's own phrases: "sanctions on Iran", "warrants for two men", "the release of the mayor"
NOUN_TARGET_PREPS = ("against", "on", "upon", "with", "between", "among", "to", "toward", "towards", "for", "of", "at", "into",
                     "from")
# an ordinary object's phrases, as a last resort: "demanded support from the Assembly", "rejected calls by
# Annan", "would boycott all contact with the United States"
OBJECT_TARGET_PREPS = ("from", "to", "by", "with")
# for threats and force, an object's hostile phrases too: "threatened action against Russia"
HOSTILE_PREPS = ("against", "on", "upon")


def is_passive(verb: Token) -> bool:
    """A passive: with its auxiliary or passive subject, or a bare participle with a "by" phrase ("when
    attacked by government troops")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ == "advcl" and any(c.dep_ == "agent" for c in verb.children))


def is_stative(verb: Token) -> bool:
    """ "Israel is opposed to", "were engaged in": a passive form that tells what its subject does."""
    return verb.lemma_.lower() in STATIVE_PASSIVES and is_passive(verb) and not agents(verb)


def agents(verb: Token) -> list[Token]:
    """The pobj of a passive verb's "by" phrase."""
    out = []
    for child in verb.children:
        if child.dep_ == "agent":
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def subject_of(verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
    """The tokens heading the verb's (logical) subject and whether they are a passive's agent.

    Returns ([], False) when the subject cannot be found.
    """
    if depth > 6:
        return [], False
    if is_passive(verb):
        found = agents(verb)
        if found:
            return found, True
        if verb.lemma_.lower() in STATIVE_PASSIVES:
            # "Israel is opposed to French mediation", "Serb forces were engaged in ethnic cleansing": a state
            # of the subject, not something done to it
            held = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if held:
                return held[:1], False
        # a passive without agent ("the mayor was released") has no known doer; a conjoined passive
        # may share its agent with the first verb
        if verb.dep_ == "conj":
            return subject_of(verb.head, depth + 1) if is_passive(verb.head) else ([], False)
        return [], False
    own = [c for c in verb.children if c.dep_ == "nsubj"]
    if own:
        subject = own[0]
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return [verb.head], False
        return [subject], False
    dep = verb.dep_
    head = verb.head
    if dep == "conj" and head.pos_ in ("VERB", "AUX"):
        if is_passive(head) and verb.tag_ == "VBN" and not own:
            # "20 people were killed or wounded": the second participle is passive too, with the same agent
            return subject_of(head, depth + 1)
        if is_passive(head):
            # "was indicted by the court and will resign": the active verb's subject is the passive's
            passive_subjects = [c for c in head.children if c.dep_ == "nsubjpass"]
            if passive_subjects:
                return passive_subjects[:1], False
        return subject_of(head, depth + 1)
    if dep == "xcomp":
        objects = [c for c in head.children if c.dep_ in OBJECT_CONTROL_DEPS]
        if objects:
            return objects[:1], False
        raised = [c for c in head.children if c.dep_ == "nsubjpass"]
        if raised and not agents(head):
            # "Obama is scheduled to attend", "Iran is expected to respond": the passive's subject acts
            return raised[:1], False
        if head.dep_ in ("acomp", "attr", "oprd") and head.head != head:
            # "Syria is willing to withdraw": the subject of "is"
            return subject_of(head.head, depth + 1)
        return subject_of(head, depth + 1)
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if dep == "advcl" and marks:
        # a finite adverbial clause ("after Cuba threatened ...") has its own subject; the parser
        # sometimes hangs it under the subordinator
        misplaced = [g for m in marks for g in m.children if g.dep_ in ("pobj", "nsubj")]
        return (misplaced[:1], False) if misplaced else ([], False)
    if dep in ("pcomp", "pobj") and head.dep_ == "prep" and head.lemma_.lower() in ("for", "of", "with"):
        # "jailed a student for helping militants", "accused Iran of arming rebels", "charged eight suspects
        # with conspiring to commit murder": the object acts
        objects = [c for c in head.head.children if c.dep_ == "dobj"] if head.head.pos_ == "VERB" else []
        if objects:
            return objects[:1], False
    if dep in ("advcl", "pcomp") or (dep == "pobj" and verb.tag_ == "VBG"):
        # "met Tuesday to foster ...", "by rejecting ...": the main clause's subject
        governor = head.head if dep == "pcomp" else head
        if governor.pos_ in ("VERB", "AUX"):
            return subject_of(governor, depth + 1)
        return [], False
    if dep == "relcl":
        return [head], False
    if dep == "acl" and verb.tag_ in ("VBG",):
        # "leaders attending the summit"
        return [head], False
    return [], False


def _attribution(noun: Token) -> bool:
    """ "..., a human rights organization charged on Saturday.": the source of the story, which the parser
    sometimes hangs on the main verb as a second object (a noun after a comma, with a bare past verb of its
    own that has no object and runs to the end of the sentence)."""
    start = noun.left_edge.i
    if start == 0 or noun.doc[start - 1].text != ",":
        return False
    for child in noun.children:
        if child.dep_ in ("acl", "relcl") and child.tag_ in ("VBN", "VBD") and child.i > noun.i \
                and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in child.children) \
                and child.right_edge.i >= noun.sent.end - 2:
            return True
    return False


def shared_with(verb: Token) -> Token | None:
    """ "condemned and rejected the resolution", "donated and personally delivered goods to Baghdad": a verb
    right before "and" whose next conjunct carries the object shares that conjunct's object and phrases."""
    if verb.pos_ != "VERB" or any(c.dep_ in ("dobj", "prep", "ccomp", "xcomp") for c in verb.children):
        return None
    doc = verb.doc
    if verb.i + 2 >= len(doc) or doc[verb.i + 1].dep_ != "cc" or doc[verb.i + 1].head != verb:
        return None
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.i > verb.i + 1 \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children) \
                and all(t.dep_ == "advmod" for t in doc[verb.i + 2:conj.i]):
            return conj
    return None


def objects_of(verb: Token) -> list[Token]:
    """Direct objects and datives, in order of preference."""
    shared = shared_with(verb)
    if shared is not None:
        return objects_of(shared)
    direct = [c for c in verb.children if c.dep_ == "dobj" and not _attribution(c)]
    if not direct:
        # "refused to allow the United Nations to send planes", parsed with the UN as the subject of
        # "to send": the subject of an infinitive clause is the verb's object
        direct = [s for c in verb.children if c.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for s in c.children if s.dep_ in ("nsubj", "nsubjpass") and s.i > verb.i]
    if not direct:
        # "denounced as an ugly crime Serbia's suppression of the unrest": the object moved after the "as" phrase
        direct = [a for p in verb.children if p.dep_ == "prep" and p.lower_ == "as"
                  for o in p.children if o.dep_ == "pobj" for a in o.children if a.dep_ == "appos"]
    dative = []
    for child in verb.children:
        if child.dep_ in ("dative", "iobj"):
            if child.pos_ == "ADP":  # "provide support to Israel", parsed with "to" as the dative
                dative.extend(c for c in child.children if c.dep_ == "pobj")
            else:
                dative.append(child)
    # "told reporters" vs "told him that": dative first only when there is no direct object
    return direct + dative


def preposition_objects(token: Token, preps: tuple[str, ...] = TARGET_PREPS) -> list[Token]:
    """pobj tokens of the token's prepositional children, in the given order of preference."""
    shared = shared_with(token)
    if shared is not None:
        return preposition_objects(shared, preps)
    by_prep: dict[str, list[Token]] = {}
    # "kidnapped up to 16 advisers", "walked away from the talks": a preposition may hang from the particle
    # or the adverb
    children = [*token.children, *(g for c in token.children if c.dep_ == "prt" or c.dep_ == "advmod"
                                   and c.pos_ == "ADV" for g in c.children)]
    for child in children:
        if child.dep_ == "prep" and child.lemma_.lower() in preps:
            objects = [c for c in child.children if c.dep_ == "pobj"] or _stranded_object(child)
            by_prep.setdefault(child.lemma_.lower(), []).extend(objects)
    ordered = []
    for prep in preps:
        ordered.extend(by_prep.get(prep, []))
    return ordered


def _stranded_object(prep: Token) -> list[Token]:
    """The object of a preposition the parser left without one: "granted asylum to five army officers holed
    up in a residence", where the noun after "to" was taken for the subject of the participle after it."""
    if any(c.dep_ in ("pcomp", "pobj") for c in prep.children) or prep.i + 1 >= len(prep.doc):
        return []
    token = prep.doc[prep.i + 1]
    for _ in range(6):  # up from "five", "Panamanian", "army" to the noun they modify
        if token.dep_ in ("det", "nummod", "amod", "compound", "quantmod", "poss") and token.head.i > token.i:
            token = token.head
        else:
            break
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("nsubj", "nsubjpass") and token.head.i > token.i \
            and token.head.dep_ in ("advcl", "ccomp", "conj") and token.head.head == prep.head:
        return [token]
    return []


def governor(verb: Token) -> Token | None:
    """The verb whose xcomp/ccomp this verb is ("agreed to visit": agreed), through conjunctions."""
    current = verb
    for _ in range(4):
        if current.dep_ == "conj" and current.head.pos_ in ("VERB", "AUX"):
            current = current.head
            continue
        if current.dep_ in ("xcomp", "ccomp") and current.head.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
            return current.head
        return None
    return None


def clause_verbs(sentence) -> list[Token]:
    """The verbs of a sentence that can carry an event."""
    return [t for t in sentence if t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ == "ROOT" and not
                                                        any(c.pos_ == "VERB" for c in t.children))]
