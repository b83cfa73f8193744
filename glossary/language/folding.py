"""Keys that text is matched by: normalised punctuation and space, English singulars, folding."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Final

from glossary.language import inflection
from glossary.language.convert import to_simplified
from glossary.language.scripts import HAN_RUN_RE, has_han, words_of

if TYPE_CHECKING:
    pass


_PUNCTUATION_MAP: Final = str.maketrans(
    {
        # Dashes and hyphens: people type whichever their keyboard or IME produces.
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2e3a": "-",
        "\u2e3b": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        # Curly quotes.
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        # Middle dots: Chinese transliterated names use several look-alikes (冯·诺依曼, 馮‧諾伊曼).
        "\u30fb": "\u00b7",
        "\uff65": "\u00b7",
        "\u2027": "\u00b7",
        "\u2e31": "\u00b7",
        # Invisible characters that make equal-looking strings differ.
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)


_WHITESPACE_RE: Final = re.compile(r"\s+")


def _normalise_keep_case(text: str) -> str:
    # english_key needs the original case to recognise acronym plurals ("LLMs").
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_MAP)
    return _WHITESPACE_RE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """NFKC, case folding, punctuation and whitespace variants unified, trimmed."""
    return _normalise_keep_case(text).casefold()


_ENGLISH_WORD_RE: Final = re.compile(r"[^\W_]+(?:\.[^\W_]+)*[+#*]*")


_POSSESSIVE_RE: Final = re.compile(r"(?<=[^\W_])'s\b|(?<=s)'(?!\w)", re.IGNORECASE)


_ACRONYM_PLURAL_RE: Final = re.compile(r"(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,}s")


# Plurals the suffix rules get wrong.
_IRREGULAR_PLURALS: Final = {
    "analyses": "analysis",
    "apis": "api",
    "appendices": "appendix",
    "automata": "automaton",
    "axes": "axis",
    "calories": "calorie",
    "children": "child",
    "cookies": "cookie",
    "corpora": "corpus",
    "cpus": "cpu",
    "crises": "crisis",
    "criteria": "criterion",
    "diagnoses": "diagnosis",
    "dpus": "dpu",
    "foci": "focus",
    "gpus": "gpu",
    "halves": "half",
    "hypotheses": "hypothesis",
    "indices": "index",
    "kpis": "kpi",
    "knives": "knife",
    "leaves": "leaf",
    "lives": "life",
    "loci": "locus",
    "matrices": "matrix",
    "menus": "menu",
    "mice": "mouse",
    "movies": "movie",
    "npus": "npu",
    "nuclei": "nucleus",
    "parentheses": "parenthesis",
    "phenomena": "phenomenon",
    "radii": "radius",
    "selves": "self",
    "stimuli": "stimulus",
    "syntheses": "synthesis",
    "theses": "thesis",
    "tpus": "tpu",
    "uis": "ui",
    "vertices": "vertex",
    "wolves": "wolf",
    "zombies": "zombie",
}


# Words ending in -s that are not plurals (or whose "singular" would collide with another word).
_NOT_PLURAL: Final = frozenset(
    words_of(
        """
        alias always analytics atlas bayes bias bioinformatics canvas chaos cosmos diabetes does
        dynamics economics electronics ethics ethos genomics goes graphics informatics kudos lens
        linguistics logistics mathematics means mechanics minus news optics overseas pandas pathos
        perhaps physics plus politics pragmatics robotics semantics series species statistics
        whereas
        """
    )
)


# Singulars ending in -s whose plural adds -es ("biases", "viruses").
_ES_PLURAL_STEMS: Final = frozenset(
    words_of(
        """
        alias atlas bias bonus bus campus canvas census consensus corpus focus gas iris lens minus
        nexus plus status virus
        """
    )
)


def _singular(word: str) -> str:
    if _ACRONYM_PLURAL_RE.fullmatch(word):
        return word[:-1].casefold()
    w = word.casefold()
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if w in _NOT_PLURAL or len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("es") and w[:-2] in _ES_PLURAL_STEMS:
        return w[:-2]
    if w.endswith("ies"):
        return w[:-3] + "y" if len(w) > 4 else w
    if w.endswith("sses") or w.endswith(("xes", "shes", "zzes")):
        return w[:-2]
    if w.endswith("ches"):
        # cache/niche/headache keep their e; batch, search, approach, branch do not.
        if w.endswith(("aches", "iches")) and not w.endswith(("oaches", "eaches")):
            return w[:-1]
        return w[:-2]
    if w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("s"):
        return w[:-1]
    return w


def english_key(text: str) -> str:
    """Matching key for English: normalised, hyphens and spaces unified, each word singularised."""
    text = _normalise_keep_case(text)
    text = _POSSESSIVE_RE.sub("", text).replace("'", "")
    return " ".join(_singular(word) for word in _ENGLISH_WORD_RE.findall(text))


_SILENT_SEPARATOR_RE: Final = re.compile(r"[\s·\-]*")


def fold(text: str) -> str:
    """The one matching key for any script: normalise, then Traditional→Simplified for Han, english_key for Latin."""
    text = _normalise_keep_case(text)
    if not has_han(text):
        return english_key(text)
    parts: list[str] = []
    for run in HAN_RUN_RE.findall(to_simplified(text)):
        if has_han(run):
            parts.append(run)
            continue
        key = english_key(run)
        if key:
            parts.append(key)
        elif not _SILENT_SEPARATOR_RE.fullmatch(run):
            # Punctuation between Chinese phrases separates them; spaces and middle dots
            # (冯·诺依曼 / 冯诺依曼) are matched as if absent.
            parts.append(" ")
    return _WHITESPACE_RE.sub(" ", "".join(parts)).strip()


_SPELLING_SPLIT_RE: Final = re.compile(r"[\s\-]+")


def _spelling_words(text: str) -> list[str]:
    text = _POSSESSIVE_RE.sub("", _normalise_keep_case(text)).replace("'", "")
    return [word for word in _SPELLING_SPLIT_RE.split(text) if word]


def _plural_pair(one: str, other: str) -> bool:
    """Whether one word is the plural of the other (lemminflect; fold's rules for acronyms)."""
    low, other_low = one.casefold(), other.casefold()
    if low == other_low:
        return True
    if other_low in inflection.noun_lemmas(low) or low in inflection.noun_lemmas(other_low):
        return True
    # "LLMs", "GPUs": acronyms the dictionary does not know.
    return _singular(one) == _singular(other) and (
        bool(_ACRONYM_PLURAL_RE.fullmatch(one)) or bool(_ACRONYM_PLURAL_RE.fullmatch(other))
    )


def same_english_spelling(one: str, other: str) -> bool:
    """Whether two English terms are one term spelled differently.

    They may differ only by case, width, hyphens or spaces between words ("fine-tuning", "Fine
    tuning", "finetuning"), apostrophes ("Amdahl's law", "Amdahls law") and the plural of a
    word ("Feature", "Features"; "LLM", "LLMs").
    """
    words, others = _spelling_words(one), _spelling_words(other)
    if [w.casefold() for w in words] == [w.casefold() for w in others]:
        return True
    if "".join(words).casefold() == "".join(others).casefold():
        return True
    return len(words) == len(others) and all(
        _plural_pair(word, other_word) for word, other_word in zip(words, others, strict=True)
    )
