"""TBX 2008 (``martif``, TBX-Basic 2008): the layout older CAT tools and translate-toolkit read.

The same data categories as ``glossary.exchange.tbx`` in the 2008 element names (termEntry,
langSet, tig), with the 2008 picklists: administrativeStatus ``preferredTerm-admn-sts`` …
``supersededTerm-admn-sts`` and transactionType ``origination`` / ``modification``. Two limits
of the 2008 schema make this layout a compatibility export rather than the lossless one: a
langSet must hold a term (a language with only a definition is left out) and a descripGrp holds
no notes (citations travel as langSet notes instead).
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary.exchange import tbx
from glossary.exchange.published import Export
from glossary.exchange.records import ImportFile
from glossary.exchange.safety import FileData

LAYOUT = tbx.Layout(
    ns="",
    entry="termEntry",
    language="langSet",
    term_section="tig",
    transaction_creation="origination",
    status_type="administrativeStatus",
    status_values=tbx.ADMIN_STATUS,
)


def stream(export: Export) -> Iterator[bytes]:
    """The martif file, a concept at a time."""
    return tbx.stream(export, LAYOUT)


def read(data: bytes) -> ImportFile:
    """Read a TBX file; the reader understands both layouts."""
    return tbx.read(data, "tbx2008")


def stream_read(data: FileData) -> ImportFile:
    """Check a TBX file of either layout; its entries are read as they are walked."""
    return tbx.stream_read(data, "tbx2008")
