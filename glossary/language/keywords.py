"""Chinese keywords and parts of speech with jieba's own tools, for the new-terms radar.

Both read the text folded to Simplified (jieba's dictionary is Simplified) with jieba's own
dictionary, never the glossary's user terms: the radar looks for what the glossary lacks, and its
results must not depend on what happens to be published.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Final

from glossary.language.convert import to_simplified
from glossary.language.segmentation import _base_tokenizer

if TYPE_CHECKING:
    import jieba.analyse
    import jieba.posseg

#: The parts of speech a term candidate may have: nouns, proper nouns, verbal nouns, idioms and
#: abbreviations (jieba's tag set, from the ICTCLAS one).
TERM_TAGS: Final = ("n", "nz", "nt", "vn", "an", "j", "l", "eng")

_LOCK: Final = threading.Lock()
_tools: dict[str, object] = {}


def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    with _LOCK:
        if "pos" not in _tools:
            import jieba.posseg

            _tools["pos"] = jieba.posseg.POSTokenizer(_base_tokenizer())
        return _tools["pos"]


def _tfidf() -> jieba.analyse.TFIDF:
    with _LOCK:
        if "tfidf" not in _tools:
            import jieba.analyse

            extractor = jieba.analyse.TFIDF()
            extractor.tokenizer = _base_tokenizer()
            _tools["tfidf"] = extractor
    extractor = _tools["tfidf"]
    extractor.postokenizer = _pos_tokenizer()  # type: ignore[attr-defined]
    return extractor


def tagged_words(text: str) -> list[tuple[str, str]]:
    """The words of a Chinese text with their part of speech, in order: (word, tag).

    jieba's HMM is on, so that words missing from its dictionary (new coinages) come out whole.
    """
    return [(pair.word, pair.flag) for pair in _pos_tokenizer().cut(to_simplified(text), HMM=True)]


def keywords(text: str, *, top: int = 40) -> list[tuple[str, float]]:
    """jieba's TF-IDF keywords of a Chinese text, nouns and the like only, best first."""
    found = _tfidf().extract_tags(
        to_simplified(text), topK=top, withWeight=True, allowPOS=TERM_TAGS
    )
    return [(str(word), float(weight)) for word, weight in found]
