"""English terms' other forms: the inflections a term is found under, and compound spellings.

Which forms of a term count as the term (the part-of-speech rule):

* Every term matches its plural ("labels", "neural networks", "trained models" for the term
  "trained model"): the words of the term and of the text are keyed by their singular.
* A term the glossary marks as a verb (part of speech ``verb``) also matches the forms of its
  head verb, the first word, as English verb phrases start with the verb: "train" matches
  trains, trained, training; "classify images" matches "classified images".
* A term whose part of speech is not given is read by its form: a single word that can only
  be a verb's base form is that verb ("predict", "classify", "backpropagate", "fine-tune");
  a word that is a noun as well ("train", "label", "feature", "forecast") is read as the noun,
  as a glossary's terms mostly are, and so is anything else. A term the glossary marks as a
  noun (or an adjective, ...) is never read as a verb: the noun "label" is not found in
  "labelled the data" or "labeling", only in "label" and "labels"; the term "train" matches
  "trained" and "training" when the glossary says it is a verb.
* A single word that is a verb's -ing form used as a noun ("training", "clustering",
  "fine-tuning") also matches the verb's past forms ("trained", "clustered", "fine-tuned"),
  and its base and -s forms where those cannot be read as a noun ("predicting" matches
  "predicts"; "training" does not match "train" or "trains", which are nouns as often, nor
  "setting" the past form "set").
* Derived words are other words: "trainer" is not "train", "predictor" not "predict".

A word in a hyphenated compound inflects on its last part ("fine-tune": "fine-tuned"), and a
word the dictionary does not know inflects on the known verb after a prefix ("backpropagate":
"backpropagated", as "propagate" does).

Compound spellings: a word that is two words run together ("dataset", "multiclass",
"hyperparameter") is keyed as the two words apart, in the term and in the text alike, so that
"dataset", "data set" and "data-set" all have the key "data set" (``compound_key``).

The forms come from lemminflect's dictionary (``glossary.language.inflection``); they are made
once, when a term enters the index, so they cost a check nothing.
"""

from __future__ import annotations

import re
from typing import Final

from glossary.language import inflection
from glossary.language.scripts import words_of

# Prefixes that are not words on their own but join words ("multi-class" = "multiclass").
_PREFIXES: Final = frozenset(
    words_of(
        """
    anti auto back bi co counter cross de hyper inter intra macro meta micro mini mis multi non
        out over post pre pseudo re self semi sub super trans tri un under uni
        """
    )
)

# The shortest part of a word split into two that is not a prefix.
_SHORTEST_PART: Final = 3

# A word ending in one of these is a phrasal verb's noun ("dropout", "rollout", "feedback"):
# apart, the words are most often the verb ("drop out of"), another part of speech.
_PARTICLES: Final = frozenset(words_of("away back down off out over"))

_HYPHENS_RE: Final = re.compile(r"([\-\u2010\u2011])")

VERB: Final = "verb"
NOUN: Final = "noun"


def compound_key(word: str) -> str:
    """A lowercase word's key: itself, or its two parts, space-separated, if it is two words run together.

    A split is taken where the first part is a prefix ("multi", "hyper") or a word of at least
    three letters, and the second part a word of at least three letters but not a particle
    ("dropout" stays one word: "drop out" is mostly the verb); a prefix first, then the longest
    first part.
    """
    if len(word) < 2 + _SHORTEST_PART or not word.isalpha():
        return word
    best = ""
    for cut in range(len(word) - _SHORTEST_PART, 1, -1):
        first, second = word[:cut], word[cut:]
        if second in _PARTICLES:
            continue
        if first in _PREFIXES:
            if inflection.is_word(second):
                return f"{first} {second}"
            continue
        if (
            not best
            and cut >= _SHORTEST_PART
            and inflection.is_word(first)
            and inflection.is_word(second)
        ):
            best = f"{first} {second}"
    return best or word


def term_forms(text: str, part_of_speech: str = "") -> tuple[str, ...]:
    """The other texts a term is found as, besides its own text and its plural (none for most terms).

    ``part_of_speech``: the glossary's (noun, verb, ...), or "" when it is not known. The rule
    is the module's.
    """
    words = text.split()
    if not words:
        return ()
    lowered = [word.casefold() for word in words]
    if part_of_speech == VERB or (
        not part_of_speech and len(words) == 1 and _verb_only(lowered[0])
    ):
        head = lowered[0]
        forms = _forms(head, _verb_forms(head))
        return tuple(" ".join((form, *lowered[1:])) for form in forms)
    if len(words) == 1:
        return _forms(lowered[0], _gerund_forms(lowered[0]))
    return ()


def _forms(word: str, forms: set[str]) -> tuple[str, ...]:
    forms.discard(word)
    return tuple(sorted(forms))


def _verb_only(word: str) -> bool:
    """Whether a word can only be read as a verb's base form.

    A word the dictionary knows: a verb's and not a noun's ("predict", not "train" or
    "feature"). A word it does not know: a verb after a prefix or hyphen ("backpropagate",
    "overfit", "fine-tune").
    """
    if inflection.is_word(word):
        return bool(inflection.verb_forms(word)) and not inflection.is_noun(word)
    return bool(_split_verb(word)[1])


def _split_verb(word: str) -> tuple[str, str]:
    """(what comes before the verb, the verb): "fine-tune" -> ("fine-", "tune"); "" if none."""
    parts = _HYPHENS_RE.split(word)
    before, last = "".join(parts[:-1]), parts[-1]
    if inflection.verb_forms(last):
        return before, last
    for cut in range(2, len(last) - _SHORTEST_PART + 1):
        prefix, rest = last[:cut], last[cut:]
        if prefix in _PREFIXES and inflection.verb_forms(rest):
            return before + prefix, rest
    return word, ""


def _verb_forms(word: str) -> set[str]:
    """Every form of the verb a word is the base form of."""
    before, verb = _split_verb(word)
    if not verb:
        return set()
    return {before + form for forms in inflection.verb_forms(verb).values() for form in forms}


def _gerund_forms(word: str) -> set[str]:
    """The verb forms an -ing noun also stands for: its past forms, and the rest if not nouns."""
    parts = _HYPHENS_RE.split(word)
    last = parts[-1]
    if not last.endswith("ing"):
        return set()
    before = "".join(parts[:-1])
    verbs = [lemma for lemma in inflection.lemmas(last).get(inflection.VERB, ()) if lemma != last]
    if not verbs:
        # Not in the dictionary: a prefix and a known -ing form ("overfitting", "pretraining").
        for cut in range(2, len(last) - _SHORTEST_PART + 1):
            prefix, rest = last[:cut], last[cut:]
            if prefix in _PREFIXES:
                found = [
                    lemma
                    for lemma in inflection.lemmas(rest).get(inflection.VERB, ())
                    if lemma != rest
                ]
                if found:
                    before, verbs = before + prefix, found
                    break
    forms: set[str] = set()
    for verb in verbs:
        noun = inflection.is_noun(verb)
        for tag, spelled in inflection.verb_forms(verb).items():
            if tag in {"VBD", "VBN", "VBG"} or not noun:
                # A past form spelled as the base ("set" for "setting") is the noun as often.
                forms.update(before + form for form in spelled if not (noun and form == verb))
    return forms
