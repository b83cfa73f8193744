"""Which language each text is checked in: given, or read by the one detector; a plain mismatch refused."""

from __future__ import annotations

from typing import Literal

from glossary import language as gtext
from glossary.language.codes import CHINESE, LANGUAGES, Language
from glossary.language.detect import detect, without_code


class LanguageMismatch(ValueError):
    """A text is plainly in another script than the language given for it."""

    def __init__(self, role: Literal["source", "target"], declared: str, detected: str) -> None:
        self.role = role
        self.declared = declared
        self.detected = detected
        super().__init__(f"the {role} text looks like {detected}, but {declared} was given")


def mismatch(text: str, language: str) -> str | None:
    """The language a text plainly is in when it is not the one given, else None.

    Only plain cases count: a text that is Chinese by ``glossary.language.detect`` given as English, or a
    text with Latin letters and no Chinese character at all given as Chinese. Simplified and
    Traditional are never told apart here (folding matches either script).
    """
    # Which script a Chinese text is in matters only for the message of a mismatch.
    detected = detect(text, variant=False)
    if language == "en":
        return detect(text) if detected in CHINESE else None
    if language in CHINESE and detected == "en" and not gtext.count_han(without_code(text)):
        return "en"
    return None


def refuse_mismatch(role: Literal["source", "target"], text: str, language: str) -> None:
    detected = mismatch(text, language)
    if detected is not None:
        raise LanguageMismatch(role, language, detected)


def resolve_languages(
    source: str,
    source_language: str | None,
    target: str | None = None,
    target_language: str | None = None,
    *,
    chinese: Language = "zh-Hans",
) -> tuple[str, str | None]:
    """The languages to check two texts in: those given, else read from each text's script.

    A source without letters is taken as English; a translation without letters as Simplified
    Chinese (``chinese``) for an English source and English otherwise. The target language is
    None when there is no translation.
    """
    if source_language is None:
        source_language = detect(source, chinese=chinese) or "en"
    if target is None or not target.strip():
        return source_language, None
    if target_language is None:
        target_language = detect(target, chinese=chinese) or (
            chinese if source_language == "en" else "en"
        )
    return source_language, target_language


def check_language(language: str) -> Language:
    """The language, as one of the glossary's; a ValueError for any other."""
    for known in LANGUAGES:
        if language == known:
            return known
    raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
