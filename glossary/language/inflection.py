"""English words' lemmas and inflections, from lemminflect's dictionary (shipped in the package).

lemminflect is imported on first use, not when the package is: its dictionaries take a third of
a second to load, which only the processes that match English terms need to spend.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

#: Universal parts of speech as lemminflect names them.
NOUN: Final = "NOUN"
VERB: Final = "VERB"


@lru_cache(maxsize=65536)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """A lowercase word's lemmas by part of speech ({} for a word the dictionary does not know).

    "trained" -> {VERB: ("train",)}; "training" -> {NOUN: ("training",), VERB: ("train",)}.
    """
    from lemminflect import getAllLemmas

    return dict(getAllLemmas(word))


def is_word(word: str) -> bool:
    """Whether the dictionary knows the lowercase word, in any part of speech."""
    return word in _known_words()


@lru_cache(maxsize=1)
def _known_words() -> Mapping[str, object]:
    # The text's every word is asked about (compound spellings): a look-up in the dictionary
    # itself, where getAllLemmas deep-copies each answer (lemminflect 0.2.3, pinned).
    from lemminflect import Lemmatizer

    known: Mapping[str, object] = Lemmatizer()._getLemmaDict()
    return known


def verb_forms(lemma: str) -> dict[str, tuple[str, ...]]:
    """A verb's forms by Penn tag (VB, VBZ, VBD, VBN, VBG); {} for a word not known as a verb.

    "label" -> {VBD: ("labeled", "labelled"), VBG: ("labeling", "labelling"), ...}: both
    spellings where the dictionary has them. The same answer as lemminflect's
    ``getAllInflections(lemma, upos="VERB")``, read from the verbs kept (``_verb_table``).
    """
    if lemma not in lemmas(lemma).get(VERB, ()):
        return {}
    packed = _verb_table().get(lemma.lower())
    if packed is None:
        return {}
    from lemminflect.core.LexicalUtils import applyCapsStyleToDict, getCapsStyle

    # As lemminflect does: the forms take the lemma's case ("zincKing" -> "zincking").
    forms = {tag: tuple(spelled.split(",")) for tag, spelled in _pairs(packed)}
    return dict(applyCapsStyleToDict(forms, getCapsStyle(lemma)))


def _pairs(packed: str) -> list[tuple[str, str]]:
    return [tuple(part.split("=", 1)) for part in packed.split(";")]  # type: ignore[misc]


@lru_cache(maxsize=1)
def _verb_table() -> dict[str, str]:
    """lemminflect's verb forms (its dictionary with its overrides), one string per verb.

    lemminflect keeps every word's forms (34,000 lemmas, 18 MB in a worker), where the check
    needs the verbs' only (6,800), read for each English term when the index is built and again
    for each term published after: they are kept here as "VB=train;VBD=trained;…" and
    lemminflect's table is let go, so that an update never loads it again.
    """
    from lemminflect import Inflections
    from lemminflect.core.LexicalUtils import uposToTags

    inflections = Inflections()
    table = inflections._getInflDict()
    overrides = inflections._getOverridesDict()
    tags = uposToTags(VERB)
    verbs: dict[str, str] = {}
    for lemma in {*table, *overrides}:
        forms = {**table.get(lemma, {}), **overrides.get(lemma, {})}
        kept = [(tag, spelled) for tag, spelled in forms.items() if tag in tags]
        if kept:
            # No form holds a comma, a semicolon or an equals sign (checked by a test).
            verbs[lemma] = ";".join(f"{tag}={','.join(spelled)}" for tag, spelled in kept)
    # lemminflect loads its table again if ever asked (nothing else here asks).
    with contextlib.suppress(AttributeError):
        del inflections.infl_dict
    return verbs


def is_noun(word: str) -> bool:
    """Whether the dictionary knows the lowercase word as a noun's base form ("train", not "predict")."""
    return word in lemmas(word).get(NOUN, ())


@lru_cache(maxsize=65536)
def noun_lemmas(word: str) -> tuple[str, ...]:
    """The nouns a lowercase word is a form of: "agents" -> ("agent",), "data" -> ("data", "datum").

    A word the dictionary does not know gets lemminflect's rules for unknown nouns ("logits"
    -> ("logit",)).
    """
    if is_word(word):
        return lemmas(word).get(NOUN, ())
    from lemminflect import getAllLemmasOOV

    return tuple(getAllLemmasOOV(word, upos=NOUN).get(NOUN, ()))
