"""Which Chinese variant a file holds, and the language codes it writes for a tool.

A file holds both Chinese variants by default. ``chinese`` restricts it to one (``zh-Hans`` or
``zh-Hant``): the other variant's terms and texts are left out, so that a tool which matches
languages on the primary subtag only (OmegaT reads ``zh-Hant`` as ``zh``) never offers a
Traditional term in a Simplified project. ``codes`` says how languages are written: our own
tags (``script``: ``zh-Hans`` / ``zh-Hant``), the region codes most CAT tools and MT engines use
(``cn-tw``: ``zh-CN`` / ``zh-TW``; ``cn-hk``: ``zh-CN`` / ``zh-HK``) or plain ``zh`` (only for a
file of one variant). English is always ``en``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from glossary.core.choices import Language

BOTH = "both"
#: The values of ``chinese``.
CHINESE = (BOTH, Language.ZH_HANS.value, Language.ZH_HANT.value)

#: The values of ``codes``, each with the code it writes for every language.
CODES: dict[str, dict[str, str]] = {
    "script": {Language.EN: "en", Language.ZH_HANS: "zh-Hans", Language.ZH_HANT: "zh-Hant"},
    "cn-tw": {Language.EN: "en", Language.ZH_HANS: "zh-CN", Language.ZH_HANT: "zh-TW"},
    "cn-hk": {Language.EN: "en", Language.ZH_HANS: "zh-CN", Language.ZH_HANT: "zh-HK"},
    "zh": {Language.EN: "en", Language.ZH_HANS: "zh", Language.ZH_HANT: "zh"},
}


class VariantError(ValueError):
    """A variant or code style that cannot be written; ``code`` for programs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check(chinese: str, codes: str) -> None:
    """Refuse an unknown variant or code style, and plain ``zh`` for a file of both variants."""
    if chinese not in CHINESE:
        raise VariantError(
            "unknown_chinese",
            _("There is no Chinese variant “%(value)s”; use one of %(choices)s.")
            % {"value": chinese, "choices": ", ".join(CHINESE)},
        )
    if codes and codes not in CODES:
        raise VariantError(
            "unknown_codes",
            _("There are no language codes “%(value)s”; use one of %(choices)s.")
            % {"value": codes, "choices": ", ".join(CODES)},
        )
    if codes == "zh" and chinese == BOTH:
        raise VariantError(
            "ambiguous_codes",
            _(
                "Plain “zh” cannot tell Simplified from Traditional Chinese: restrict the file to "
                "one variant (zh-Hans or zh-Hant) to use it."
            ),
        )


def keeps(chinese: str, language: str) -> bool:
    """Whether a file restricted to ``chinese`` holds this language."""
    return chinese == BOTH or language == Language.EN or language == chinese


def code(codes: str, language: str) -> str:
    """The code a file writes for one of our languages."""
    return CODES[codes or "script"][language]
