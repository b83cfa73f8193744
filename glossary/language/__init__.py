"""Text in English, Simplified and Traditional Chinese, free of Django; import from here.

The package is the project's only importer of jieba, OpenCC, pypinyin and lemminflect, and
imports none of them at import time: converters and the tokenizer are built on first use, once
per process, under a lock. ``scripts`` tells Han from Latin, ``folding`` folds text into matching
keys, ``convert`` goes between the Chinese scripts (OpenCC), ``romanise`` gives pinyin and parses
pinyin queries (from pypinyin's readings, held by ``readings`` in a trie), ``collation`` sorts
and files under letters, ``segmentation`` cuts Chinese into
words (jieba), ``keywords`` gives jieba's keywords and parts of speech (for the new-terms radar;
imported from its module, not from here), ``inflection`` gives English words' lemmas and verb
forms (lemminflect).
"""

from glossary.language.characters import (
    RefusedCharacter,
    control_character,
    normalise_term,
    shown_safely,
    term_character,
)
from glossary.language.codes import Language
from glossary.language.collation import browse_letter, sort_key
from glossary.language.convert import to_simplified, to_simplified_characters, to_traditional
from glossary.language.folding import english_key, fold, normalise, same_english_spelling
from glossary.language.romanise import (
    pinyin,
    pinyin_forms,
    pinyin_initials,
    pinyin_key,
    pinyin_reading,
    query_pinyin_initials,
    query_pinyin_key,
    query_pinyin_tones,
)
from glossary.language.scripts import (
    HAN_ONLY_RUN_RE,
    HAN_RUN_RE,
    LATIN_WORD_RE,
    Script,
    count_han,
    han_runs,
    has_han,
    non_han_words,
    script_of,
    words_of,
)
from glossary.language.segmentation import (
    Token,
    segment,
    segment_cuts,
    segment_words,
    set_user_terms,
    update_user_terms,
    user_terms_key,
)

__all__ = [
    "HAN_ONLY_RUN_RE",
    "HAN_RUN_RE",
    "LATIN_WORD_RE",
    "Language",
    "RefusedCharacter",
    "Script",
    "Token",
    "browse_letter",
    "control_character",
    "count_han",
    "english_key",
    "fold",
    "han_runs",
    "has_han",
    "non_han_words",
    "normalise",
    "normalise_term",
    "pinyin",
    "pinyin_forms",
    "pinyin_initials",
    "pinyin_key",
    "pinyin_reading",
    "query_pinyin_initials",
    "query_pinyin_key",
    "query_pinyin_tones",
    "script_of",
    "same_english_spelling",
    "segment",
    "segment_cuts",
    "segment_words",
    "set_user_terms",
    "shown_safely",
    "sort_key",
    "term_character",
    "to_simplified",
    "to_simplified_characters",
    "to_traditional",
    "update_user_terms",
    "user_terms_key",
    "words_of",
]
