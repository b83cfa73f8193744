"""The glossary's languages: BCP 47 tags, their field suffixes and the interface codes (one list)."""

from __future__ import annotations

from typing import Final, Literal

#: A language of terms and texts, as a BCP 47 tag.
Language = Literal["en", "zh-Hans", "zh-Hant"]

EN: Final = "en"
ZH_HANS: Final = "zh-Hans"
ZH_HANT: Final = "zh-Hant"
#: Every language, in the order the glossary lists them.
LANGUAGES: Final[tuple[Language, ...]] = (EN, ZH_HANS, ZH_HANT)
CHINESE: Final[tuple[Language, ...]] = (ZH_HANS, ZH_HANT)
#: The suffix of each language's translated field (modeltranslation): definition_zh_hans.
FIELD_SUFFIX: Final[dict[str, str]] = {EN: "en", ZH_HANS: "zh_hans", ZH_HANT: "zh_hant"}
#: Interface language (Django's lower-case code) -> the BCP 47 tag of text in that language.
BCP47: Final[dict[str, Language]] = {"en": EN, "zh-hans": ZH_HANS, "zh-hant": ZH_HANT}
