"""The term check's engine, pure Python: finds glossary terms in a text and judges a translation.

``results`` holds what a check answers, ``keys`` how text becomes the keys terms are looked
up by, ``english`` which other forms of an English term count as the term, ``languages``
which language each text is checked in, ``matcher`` the index of term keys and the checker
itself, ``markup`` the text of a marked-up text with its offset map.
``glossary.termcheck.index`` feeds it the published glossary and
``glossary.termcheck.service`` runs a check against it. Import from here.
"""

from glossary.termcheck.engine.keys import (
    BARRIER,
    Pieces,
    chinese_keys,
    chinese_pieces,
    english_pieces,
    english_term_key,
    script_fallback,
)
from glossary.termcheck.engine.languages import (
    LanguageMismatch,
    check_language,
    mismatch,
    refuse_mismatch,
    resolve_languages,
)
from glossary.termcheck.engine.markup import (
    MARKUPS,
    Extracted,
    Markup,
    MarkupError,
    check_markup,
    extract,
    restore,
)
from glossary.termcheck.engine.matcher import TermChecker
from glossary.termcheck.engine.results import (
    FLAGGED_STATUSES,
    MAX_TEXT_LENGTH,
    PROBLEM_VERDICTS,
    STATUSES,
    VERDICTS,
    CheckResult,
    Finding,
    GlossaryConcept,
    GlossaryTerm,
    MatchKind,
    Occurrence,
    Span,
    Verdict,
)

__all__ = [
    "BARRIER",
    "CheckResult",
    "Extracted",
    "FLAGGED_STATUSES",
    "Finding",
    "GlossaryConcept",
    "GlossaryTerm",
    "LanguageMismatch",
    "MARKUPS",
    "MAX_TEXT_LENGTH",
    "Markup",
    "MarkupError",
    "MatchKind",
    "Occurrence",
    "PROBLEM_VERDICTS",
    "Pieces",
    "STATUSES",
    "Span",
    "TermChecker",
    "VERDICTS",
    "Verdict",
    "check_language",
    "check_markup",
    "chinese_keys",
    "chinese_pieces",
    "english_pieces",
    "english_term_key",
    "extract",
    "mismatch",
    "refuse_mismatch",
    "resolve_languages",
    "restore",
    "script_fallback",
]
