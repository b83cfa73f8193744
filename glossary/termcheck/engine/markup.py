"""The checkable text of a marked-up text, with a map from each of its characters back to the original.

A translator's text is often not plain: a Markdown page (``*estimator*``, ``**Hyper**parameters``,
``[docs](url)``), an HTML fragment (``<b>model</b>``, ``&amp;``) or an XLIFF segment with inline
codes (``<g id="1">训练</g>数据``, ``<x id="2"/>``). The check reads the text the reader sees and
reports every occurrence where it is in the original text, so a finding's offsets always point
into what was sent.

The format is said, never guessed (``plain`` by default): a plain text may well hold ``*`` or
``<`` ("a < b", "x*y"), and guessing would silently change what the offsets mean.

* ``markdown``: parsed by markdown-it-py (CommonMark, with tables). Its tokens name the lines of
  each block; inline text is found in order from there. Emphasis, links (their text; the URL is
  left out), headings, lists, quotes and tables keep their text; inline code, fenced and indented
  code, images and autolinks are left out. An HTML block is read as HTML.
* ``html``: Python's ``html.parser``, positioned per event. Tags are left out (block tags part
  text as a line break does); entities are read as the character they stand for; the contents of
  ``code``, ``pre``, ``kbd``, ``samp``, ``script`` and ``style`` are left out.
* ``xliff``: an XLIFF 1.2 or 2.x segment's content, which must be well-formed XML (lxml says where
  it is not). Inline codes are left out: the placeholders ``x``, ``bx``, ``ex``, ``sc``, ``ec``,
  ``cp`` and the native code in ``ph``, ``bpt``, ``ept`` and ``it``; ``g``, ``pc`` and ``mrk``
  keep their text, a ``sub`` flow is a text of its own.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Final, Literal, cast

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from glossary.termcheck.engine.results import CheckResult, Span

Markup = Literal["plain", "markdown", "html", "xliff"]

#: The formats a text may be given in; plain (the default) first.
MARKUPS: Final[tuple[Markup, ...]] = ("plain", "markdown", "html", "xliff")


class MarkupError(ValueError):
    """A text is not what its format says (an XLIFF segment that is not well-formed XML)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """The checkable text of an original, and where each of its characters came from.

    ``starts[i]`` and ``ends[i]`` bound the original characters that character ``i`` stands
    for: one character as written, an entity or escape (``&amp;``, ``\\*``) as a whole, or an
    empty range for a break put between blocks. Both are None for a plain text (the same text).
    """

    original: str
    text: str
    starts: array[int] | None = None
    ends: array[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original range of the text's ``[start, end)``."""
        if self.starts is None or self.ends is None or end <= start:
            return start, end
        return self.starts[start], self.ends[end - 1]


def check_markup(markup: str) -> Markup:
    """The format, as one of ``MARKUPS``; a ValueError for any other."""
    if markup in MARKUPS:
        return cast(Markup, markup)
    raise ValueError(f"unknown format {markup!r}; expected one of {', '.join(MARKUPS)}")


def extract(text: str, markup: str = "plain") -> Extracted:
    """The checkable text of ``text`` written in ``markup``, with its offset map."""
    kind = check_markup(markup)
    if kind == "plain" or not text:
        return Extracted(text, text)
    builder = _Builder(text)
    if kind == "markdown":
        _markdown(builder)
    elif kind == "html":
        _HtmlReader(builder, 0, _HTML_SKIPPED, _HTML_BLOCKS).read(text)
    else:
        _refuse_malformed_xml(text)
        _HtmlReader(builder, 0, _XLIFF_SKIPPED, _XLIFF_BLOCKS).read(text)
    return builder.done()


def restore(result: CheckResult, source: Extracted, target: Extracted | None = None) -> CheckResult:
    """The result of checking the extracted texts, its occurrences placed in the originals."""
    if source.starts is None and (target is None or target.starts is None):
        return result

    def placed(spans: tuple[Span, ...], extracted: Extracted | None) -> dict[Span, Span]:
        if extracted is None or extracted.starts is None:
            return {span: span for span in spans}
        moved: dict[Span, Span] = {}
        for span in spans:
            start, end = extracted.span(span.start, span.end)
            moved[span] = replace(span, start=start, end=end, text=extracted.original[start:end])
        return moved

    # Each text's spans apart: a span of the source may equal one of the target.
    in_source = placed(result.source, source)
    in_target = placed(result.target, target)
    return replace(
        result,
        findings=tuple(
            replace(
                finding,
                source=tuple(in_source[span] for span in finding.source),
                target=tuple(in_target[span] for span in finding.target),
            )
            for finding in result.findings
        ),
        source=tuple(in_source[span] for span in result.source),
        target=tuple(in_target[span] for span in result.target),
    )


class _Builder:
    """The extracted text, written a piece at a time with the original range of each character."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.parts: list[str] = []
        self.starts: array[int] = array("q")
        self.ends: array[int] = array("q")
        self._line_starts: list[int] | None = None

    def verbatim(self, start: int, end: int) -> None:
        """The original's ``[start, end)`` as it is."""
        if end <= start:
            return
        self.parts.append(self.original[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def decoded(self, value: str, start: int, end: int) -> None:
        """``value``, standing for the original's ``[start, end)`` (an entity, an escape)."""
        self.parts.append(value)
        self.starts.extend([start] * len(value))
        self.ends.extend([end] * len(value))

    def separator(self, value: str, at: int) -> None:
        """A break between blocks, at an original position (unless one is there already)."""
        if not self.parts or self.parts[-1].endswith(value):
            return
        self.parts.append(value)
        self.starts.extend([at] * len(value))
        self.ends.extend([at] * len(value))

    def offset(self, line: int, column: int = 0) -> int:
        """The original offset of a line (0-based) and column."""
        if self._line_starts is None:
            starts = [0]
            starts.extend(index + 1 for index, char in enumerate(self.original) if char == "\n")
            self._line_starts = starts
        starts = self._line_starts
        if line >= len(starts):
            return len(self.original)
        return min(starts[line] + column, len(self.original))

    def line_of(self, offset: int) -> int:
        self.offset(0)
        assert self._line_starts is not None
        return bisect_right(self._line_starts, offset) - 1

    def done(self) -> Extracted:
        return Extracted(self.original, "".join(self.parts), self.starts, self.ends)


# --- Markdown ------------------------------------------------------------------------------

_MARKDOWN: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _MARKDOWN
    if _MARKDOWN is None:
        parser = MarkdownIt("commonmark").enable("table")
        # Keep escapes and entities apart from the text around them: their source differs
        # from what they stand for.
        parser.disable("text_join")
        _MARKDOWN = parser
    return _MARKDOWN


def _markdown(builder: _Builder) -> None:
    text = builder.original
    cursor = 0
    for token in _parser().parse(text):
        if token.map is None:
            continue
        block_start = builder.offset(token.map[0])
        block_end = builder.offset(token.map[1])
        if token.type == "inline":
            cursor = max(cursor, block_start)
            builder.separator("\n\n", cursor)
            cursor = _inline(builder, token.children or [], cursor, block_end)
        elif token.type == "html_block":
            builder.separator("\n\n", block_start)
            _HtmlReader(builder, block_start, _HTML_SKIPPED, _HTML_BLOCKS).read(
                text[block_start:block_end]
            )
            cursor = max(cursor, block_end)
        elif token.type in ("fence", "code_block"):
            cursor = max(cursor, block_end)


def _inline(builder: _Builder, children: list[Token], cursor: int, limit: int) -> int:
    """Write an inline token's text, found in order in the original from ``cursor``."""
    text = builder.original
    skipping = 0  # inside an autolink: its text is the address
    for child in children:
        kind = child.type
        if kind == "link_open" and child.markup == "autolink":
            skipping += 1
        elif kind == "link_close" and skipping:
            skipping -= 1
            close = text.find(">", cursor, limit)
            cursor = close + 1 if close >= 0 else cursor
        elif skipping:
            continue
        elif kind == "text":
            found = text.find(child.content, cursor, limit)
            if found >= 0 and child.content:
                builder.verbatim(found, found + len(child.content))
                cursor = found + len(child.content)
        elif kind == "text_special":
            found = text.find(child.markup, cursor, limit)
            if found >= 0:
                builder.decoded(child.content, found, found + len(child.markup))
                cursor = found + len(child.markup)
        elif kind in ("softbreak", "hardbreak"):
            found = text.find("\n", cursor, limit)
            at = found if found >= 0 else cursor
            builder.decoded("\n", at, at + 1 if found >= 0 else at)
            cursor = at + 1 if found >= 0 else cursor
        elif kind == "code_inline":
            cursor = _past_code(text, child.markup, cursor, limit)
        elif kind == "link_close":
            cursor = _past_link_tail(text, cursor, limit)
        elif kind == "image":
            opening = text.find("![", cursor, limit)
            if opening >= 0:
                cursor = _past_link_tail(text, _past_brackets(text, opening + 1, limit), limit)
        elif kind == "html_inline":
            found = text.find(child.content, cursor, limit)
            if found >= 0:
                cursor = found + len(child.content)
    return cursor


def _past_code(text: str, ticks: str, cursor: int, limit: int) -> int:
    """Past an inline code span opened by the run of backticks ``ticks`` at or after ``cursor``."""
    opening = text.find(ticks, cursor, limit)
    if opening < 0:
        return cursor
    position = opening + len(ticks)
    while True:
        close = text.find(ticks, position, limit)
        if close < 0:
            return position
        end = close + len(ticks)
        # The same number of backticks, not part of a longer run.
        if text[end : end + 1] != "`" and text[close - 1 : close] != "`":
            return end
        position = end
        while text[position : position + 1] == "`":
            position += 1


def _past_brackets(text: str, opening: int, limit: int) -> int:
    """Past the ``[...]`` that opens at ``opening`` (nested brackets and escapes allowed)."""
    return _past_balanced(text, opening, limit, "[]") or opening


def _past_balanced(text: str, opening: int, limit: int, pair: str) -> int | None:
    """Past the bracketed run (``pair``: its opening and closing characters) that opens at
    ``opening``, nested runs and backslash escapes allowed; None when it is not closed."""
    depth = 0
    position = opening
    while position < limit:
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == pair[0]:
            depth += 1
        elif char == pair[1]:
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return None


def _past_link_tail(text: str, cursor: int, limit: int) -> int:
    """Past what follows a link's text: ``](url "title")``, ``][ref]`` or ``]``."""
    close = text.find("]", cursor, limit)
    if close < 0:
        return cursor
    position = close + 1
    following = text[position : position + 1]
    if following == "[":
        end = text.find("]", position, limit)
        return end + 1 if end >= 0 else position
    if following != "(":
        return position
    return _past_balanced(text, position, limit, "()") or close + 1


# --- HTML and XLIFF inline codes -------------------------------------------------------------

#: HTML elements whose content is not prose.
_HTML_SKIPPED: Final = frozenset({"code", "pre", "kbd", "samp", "script", "style", "template"})
#: HTML elements that part text as a line break does.
_HTML_BLOCKS: Final = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
#: XLIFF elements holding native code (1.2: ph, bpt, ept, it; 2.x ph is empty).
_XLIFF_SKIPPED: Final = frozenset({"ph", "bpt", "ept", "it"})
#: A ``sub`` holds a sub-flow: a text of its own inside the segment.
_XLIFF_BLOCKS: Final = frozenset({"sub"})


class _HtmlReader(HTMLParser):
    """Writes the text of a fragment, skipping tags, with each event's original position."""

    def __init__(
        self,
        builder: _Builder,
        base: int,
        skipped: frozenset[str],
        blocks: frozenset[str],
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = builder
        self.base = base
        self.base_line = builder.line_of(base)
        self.base_column = base - builder.offset(self.base_line)
        self.skipped = skipped
        self.blocks = blocks
        self.skipping: list[str] = []

    def read(self, fragment: str) -> None:
        self.feed(fragment)
        self.close()

    def _here(self) -> int:
        line, column = self.getpos()
        if line == 1:
            column += self.base_column
        return self.builder.offset(self.base_line + line - 1, column)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skipped:
            self.skipping.append(tag)
        elif tag in self.blocks and not self.skipping:
            self.builder.separator("\n", self._here())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.blocks and not self.skipping:
            self.builder.separator("\n", self._here())

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in self.blocks:
            self.builder.separator("\n", self._here())

    def handle_data(self, data: str) -> None:
        if self.skipping or not data:
            return
        start = self._here()
        self.builder.verbatim(start, start + len(data))

    def _reference(self, raw: str) -> None:
        if self.skipping:
            return
        start = self._here()
        original = self.builder.original
        end = start + len(raw)
        if original[end : end + 1] == ";":
            end += 1
        self.builder.decoded(html.unescape(original[start:end]), start, end)

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")


def _refuse_malformed_xml(text: str) -> None:
    """A MarkupError saying where an XLIFF segment's content is not well-formed XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        etree.fromstring(f"<segment>{text}</segment>", parser)
    except etree.XMLSyntaxError as error:
        message = _POSITION_RE.sub("", str(error.msg or error))
        raise MarkupError(f"not well-formed XLIFF content: {message}") from error


_POSITION_RE: Final = re.compile(r",? line \d+(?:, column \d+)?|\s*\(<string>.*\)")
