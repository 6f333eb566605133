"""The pattern data (src/polevents/actions/data/*.yaml): it loads, it covers CAMEO, it is unambiguous,
and the matcher reads it as docs/patterns.md says."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from polevents.actions.codebook import codebook
from polevents.actions.patterns import PatternError, PatternSet, builtin_pattern_files, load_patterns


@pytest.fixture(scope="module")
def patterns():
    return load_patterns()


def _entries():
    """(file, code, kind, text) for every pattern of every built-in file."""
    for name, text in builtin_pattern_files():
        data = yaml.safe_load(text) or {}
        for entry in data.get("actions") or []:
            for kind in ("verbs", "nouns"):
                for pattern in entry.get(kind) or []:
                    yield name, str(entry["code"]), kind, str(pattern)


def test_builtin_files_load(patterns):
    assert len(patterns) > 1000
    assert patterns.light_verbs and patterns.statement_verbs and patterns.target_required_roots


def test_coverage_all_roots_and_200_codes(patterns):
    codes = patterns.codes()
    assert {c[:2] for c in codes} == {f"{n:02d}" for n in range(1, 21)}
    detailed = {c for c in codes if len(c) in (3, 4)}
    assert len(detailed) >= 200, f"only {len(detailed)} three- or four-digit codes have patterns"
    # the codes issue 4 names explicitly
    for code in ("036", "042", "043", "046", "057", "061", "071", "084", "112", "123", "125", "129", "138",
                 "141", "154", "163", "166", "173", "175", "181", "183", "186", "190", "195", "202"):
        assert code in codes, code


def test_every_code_is_in_the_codebook(patterns):
    assert patterns.codes() <= set(codebook())


def test_plover_conventions_name_real_codes_and_types():
    """Each row of plover_conventions.csv overrides an existing code with a PLOVER type the table uses."""
    import csv
    from importlib import resources

    text = (resources.files("polevents.actions") / "data" / "plover_conventions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    types = {c.plover_event for c in codebook().values() if c.plover_event}
    assert rows
    for row in rows:
        assert row["code"] in codebook(), row
        assert row["plover_event"] in types, row
        assert row["why"].strip(), row
        assert codebook()[row["code"]].plover_event == row["plover_event"]


def test_no_pattern_under_two_codes():
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _, code, kind, text in _entries():
        seen[(kind, text)].add(code)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert not clashes, f"the same pattern under several codes (the first file read would win): {clashes}"


def test_synset_words_are_single_tokens():
    for name, text in builtin_pattern_files():
        data = yaml.safe_load(text) or {}
        for synset, words in (data.get("synsets") or {}).items():
            for word in words:
                assert " " not in str(word), f"{name}: ${synset} has {word!r}; a synset word matches one token"
                assert str(word) == str(word).lower(), f"{name}: ${synset} has {word!r}; words are lower case"


def test_patterns_are_lower_case_except_synsets():
    for name, code, _, text in _entries():
        for word in text.split():
            if not word.startswith("$"):
                assert word == word.lower(), f"{name} {code}: {text!r}"


def test_spacy_lemma_of_staged_is_a_light_verb(patterns, nlp):
    # spaCy's small model reads "staged" as the lemma "stag": the data must know both
    assert nlp("Workers staged a protest.")[1].lemma_ in patterns.light_verbs


def test_unknown_synset_names_the_file():
    with pytest.raises(PatternError, match="my.yaml.*NOPE"):
        PatternSet().load({"actions": [{"code": "190", "verbs": ["attack $NOPE"]}]}, "my.yaml")


@pytest.mark.parametrize("data", [{"spoken_readings": {"141": "999"}}, {"spoken_readings": ["141"]},
                                  {"armed_readings": {"codes": {"143": "190"}}},
                                  {"armed_readings": {"sectors": ["REB"], "codes": {"143": "nope"}}},
                                  {"crowd_readings": {"codes": {"1712": "145"}}}])
def test_readings_must_map_cameo_codes(data):
    with pytest.raises(PatternError, match="my.yaml"):
        PatternSet().load(data, "my.yaml")


def _match(patterns, nlp, text, lemma):
    doc = nlp(text)
    verb = next(t for t in doc if t.lemma_ == lemma and t.pos_ in ("VERB", "AUX"))
    match = patterns.match_verb(verb)
    return match.code if match else None


@pytest.mark.parametrize(("text", "lemma", "code"), [
    # the object or complement picks the code; the longest pattern wins
    ("Egypt called for a ceasefire.", "call", "027"),
    ("Egypt called for the resignation of the minister.", "call", "0241"),
    ("Egypt called for new talks.", "call", "026"),
    ("Iran agreed to talks.", "agree", "036"),
    ("Iran agreed to provide aid.", "agree", "033"),
    ("Iran agreed to withdraw its troops.", "agree", "0356"),
    ("Iran agreed.", "agree", "030"),
    ("China ruled out talks.", "rule", "125"),
    ("China ruled out military action.", "rule", "120"),
    ("Britain pulled out of the treaty.", "pull", "166"),
    ("Britain pulled out of the talks.", "pull", "164"),
    ("Israel released the prisoners.", "release", "0841"),
    ("The ministry released a statement.", "release", None),
    ("Russia threatened to invade.", "threaten", "1384"),
    ("Russia threatened sanctions.", "threaten", "1312"),
    ("Russia threatened.", "threaten", "130"),
    ("Israel launched air strikes.", "launch", "195"),
    ("The rebels staged a hunger strike.", "stag", "142"),
    ("The workers staged a strike.", "stag", "143"),
])
def test_verb_patterns(patterns, nlp, text, lemma, code):
    assert _match(patterns, nlp, text, lemma) == code


@pytest.mark.parametrize(("text", "lemma", "code"), [
    ("The army launched an offensive.", "launch", "190"),
    ("The two sides held talks.", "hold", "046"),
    ("The government imposed a curfew.", "impose", "1723"),
    ("Rebels carried out a suicide bombing.", "carry", "1831"),
])
def test_nouns_carried_by_light_verbs(coder, text, lemma, code):
    sentence = next(iter(coder.nlp(text).sents))
    candidates = coder.sentences.candidates(sentence)
    assert any(c.verb.lemma_ == lemma and c.match.code == code for c in candidates), \
        [(c.verb.text, c.match.code, c.match.pattern.text) for c in candidates]
