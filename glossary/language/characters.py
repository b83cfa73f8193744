"""Which characters text may hold: control characters refused, and in terms and identifiers the invisible and direction-changing ones too."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    pass


# ISO 6429 names of the C0 controls and DEL (``unicodedata.name`` has none for them).
_CONTROL_NAMES: Final = (
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)


# Control characters (Unicode category Cc: C0, DEL and C1), and lone surrogates, which are not
# characters at all (JSON's \ud800 makes one) and cannot be encoded; the second leaves out the
# tab, line feed and carriage return that free text (a definition, a text to check) may hold.
_CONTROL_RE: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


_CONTROL_BUT_LINES_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# Invisible characters outside the format category (Cf): the combining grapheme joiner, the
# Hangul fillers and the variation selectors. Each makes a string that looks like another.
_INVISIBLE_OTHERS: Final = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


@dataclass(frozen=True, slots=True)
class RefusedCharacter:
    """A character that may not stand where it was found, and its offset (code points)."""

    char: str
    index: int

    @property
    def code(self) -> str:
        """``U+202E``."""
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        """The Unicode name, ``RIGHT-TO-LEFT OVERRIDE``; controls by their ISO 6429 name."""
        point = ord(self.char)
        if point < len(_CONTROL_NAMES):
            return _CONTROL_NAMES[point]
        if point == 0x7F:
            return "DELETE"
        if 0xD800 <= point <= 0xDFFF:
            return "SURROGATE"
        return unicodedata.name(self.char, "CONTROL CHARACTER")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def control_character(text: str, *, line_breaks: bool = False) -> RefusedCharacter | None:
    """The first control character of the text, or None.

    Control characters (NUL and the rest of C0, DEL, C1) have no place in anything a person
    types, and PostgreSQL cannot even store NUL. Lone surrogates count too: they cannot be
    encoded, so no database or response can hold them. With ``line_breaks`` the tab, line feed and
    carriage return are allowed, as free text (a definition, a note, a text to check) holds them;
    never in an address, a query value, an identifier or a term.
    """
    found = (_CONTROL_BUT_LINES_RE if line_breaks else _CONTROL_RE).search(text)
    return RefusedCharacter(found.group(), found.start()) if found else None


def term_character(text: str) -> RefusedCharacter | None:
    """The first character that a term or an identifier may not hold, or None.

    Refused: control characters, tab and line breaks included (a term is one line; callers
    collapse whitespace first where a tab is only a space typed wrongly); bidirectional controls
    (U+202E makes "generative" display reversed); and invisible characters: zero-width space and
    joiners, word joiner, byte-order mark, soft hyphen and the rest of Unicode's format
    characters (Cf), lone surrogates, variation selectors and the Hangul fillers. Each would let
    a term look like another, or like itself while matching nothing.
    """
    found = control_character(text)
    if found is not None or text.isascii():
        return found
    for index, char in enumerate(text):
        if char >= "\x80" and (
            unicodedata.category(char) in ("Cf", "Cs") or char in _INVISIBLE_OTHERS
        ):
            return RefusedCharacter(char, index)
    return None


def shown_safely(text: str) -> str:
    """The text with each character ``term_character`` refuses written as ``<U+202E>``.

    For messages that quote refused input: the reader sees what is there, and a direction
    override in it cannot turn the message around.
    """
    if text.isascii() and not _CONTROL_RE.search(text):
        return text
    return "".join(
        f"<U+{ord(char):04X}>" if term_character(char) is not None else char for char in text
    )


def normalise_term(text: str) -> str:
    """A term as it is stored and compared: NFC, inner whitespace collapsed, trimmed.

    NFC makes canonically equal spellings (é as one code point or as e + combining accent) one
    string, so that a copy of a term cannot pass the duplicate check by being spelt differently.
    Unlike ``fold`` it keeps case, compatibility forms and script, which distinguish terms.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())
