"""How large a bilingual file the check takes: settings, with the defaults the README states."""

from __future__ import annotations

from typing import Final

from django.conf import settings

from glossary.termcheck.engine import MAX_TEXT_LENGTH

#: Default size limit of a checked file in bytes (setting GLOSSARY_CHECK_FILE_MAX_BYTES).
DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
#: Default limit on the segments of a file (setting GLOSSARY_CHECK_FILE_MAX_SEGMENTS).
DEFAULT_MAX_SEGMENTS: Final = 20_000
#: A spreadsheet's parts may unpack to this many times the file size limit, no more.
UNPACK_FACTOR: Final = 8


def max_bytes() -> int:
    return int(getattr(settings, "GLOSSARY_CHECK_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_segments() -> int:
    return int(getattr(settings, "GLOSSARY_CHECK_FILE_MAX_SEGMENTS", DEFAULT_MAX_SEGMENTS))


def max_segment_length() -> int:
    """Characters per source or target text: the limit of every other check."""
    return MAX_TEXT_LENGTH
