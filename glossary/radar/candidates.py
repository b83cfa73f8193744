"""Candidate terms in a corpus, ranked by how specific they are to it against general language.

Free of Django: documents come in as ``Document`` and candidates go out as ``Candidate``.

* **English**: noun-phrase-like n-grams of one to four words within a clause, none at either
  edge a stop word or a very common word (wordfreq's Zipf frequency), the last one a word
  lemminflect knows as a noun (or one it does not know: a name, an acronym, a coinage). Inside
  a phrase only "of" may be a function word ("bill of materials").
* **Chinese**: jieba's TF-IDF keywords (``glossary.language.keywords``) as single words, and
  runs of two to four words tagged as nouns, verbal nouns or modifiers (深度 · 合成, 数据 · 标注),
  cut at function words and at verbs common in general language (提供, 增长).
* **Keys** are the glossary's matching keys (``glossary.language.fold``: case-folded,
  singularised English; Chinese folded to Simplified), so "foundation models" counts with
  "foundation model" and a candidate whose key is a published term's is left out.
* **Ranking**: the log of how many times more often the corpus uses the candidate than general
  language does (its rate among the corpus's words over wordfreq's frequency), times the log of
  its count (support), times its spread over the documents of its language. A phrase wordfreq
  has never seen gets its floor frequency, so a new coinage used a few times ranks above an
  everyday phrase used often. A single word is a candidate only when it is rare in general
  language (an acronym always is): terms that are everyday words are not new.
* **Nesting** (C-value, Frantzi et al.): a candidate's count less the mean of its occurrences
  inside each frequent longer phrase holding it (a longer candidate, or the whole run of
  overlapping candidates, however long) scales its score; one seen (almost) only inside one
  longer phrase is dropped ("language model" inside "large language model"; fragments of
  新时代中国特色社会主义思想).
* **Domain**: a candidate sharing no word with the glossary's own terms (words those terms use
  far more often than general language does: "model", 算法) counts for a quarter of its score.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from glossary.language import english_key, fold, has_han, words_of
from glossary.language.inflection import lemmas
from glossary.language.keywords import keywords, tagged_words

EN: Final = "en"
ZH: Final = "zh"

#: The longest candidate, in words (English) or jieba words (Chinese).
MAX_WORDS: Final = {EN: 4, ZH: 4}
#: A candidate must occur at least this often in the corpus.
MIN_COUNT: Final = 2
#: How many contexts (sentences) each candidate keeps.
MAX_CONTEXTS: Final = 5
#: A context is cut to this many characters.
CONTEXT_LENGTH: Final = 300
#: How many jieba keywords each Chinese document adds as single-word candidates.
KEYWORDS_PER_DOCUMENT: Final = 60
#: wordfreq's smallest frequency: what a phrase it has never seen is taken to have.
FLOOR_FREQUENCY: Final = 1e-8
#: An English word this common (Zipf scale) never starts or ends a candidate.
COMMON_ZIPF: Final = 5.6
#: A single-word candidate must be rarer than this in general language (Zipf scale).
SINGLE_WORD_ZIPF: Final = 3.0
#: A single word counts for this share of its score: fewer new terms are single words.
SINGLE_WORD_WEIGHT: Final = 0.5
#: How much of a candidate's score depends on its being on topic: the share of its
#: occurrences in a clause that also holds a glossary term (an AI policy sentence).
TOPIC_WEIGHT: Final = 0.5
#: A glossary term with a word this common before or after it (Zipf scale; "AI
#: technologies", 发展人工智能) is a free combination, not a new term.
GENERIC_HEAD_ZIPF: Final = {EN: 4.5, ZH: 5.0}
#: A candidate whose C-value nesting correction takes away at least this share of its count
#: (found inside one longer phrase four times in five) goes.
NESTED_SHARE: Final = 0.8
#: How much of a candidate's score depends on its sharing a word with the glossary's terms.
DOMAIN_WEIGHT: Final = 0.75
#: A word of the glossary's terms is domain vocabulary when the log of its share of the terms
#: over its general frequency is at least this (the terms use it some 55 times more often).
DOMAIN_SPECIFICITY: Final = 4.0

_STOP_WORDS: Final = frozenset(
    words_of(
        """
    a about above according across after again against all almost along also although always am
    among an and another any are around as at be because been before being below between both but
    by can could did do does doing done during each either else etc even every for from further
    had has have having he her here hers him his how however i if in into is it its itself just
    may might more most much must my neither no nor not of off often on once one only or other
    our out over own per rather same shall she should since so some such than that the their
    them then there these they this those though through thus to too toward towards under until
    up upon us very via was we were what when where whether which while who whom whose why will
    with within without would yet you your
    including include includes included ensure ensuring promote promoting use using used
    new based related relevant certain various several many further key main major
    """
    )
)
_ZH_STOP_WORDS: Final = frozenset(
    words_of(
        # Adverbs and the verbs of policy prose that jieba often tags as nouns or adjectives.
        "全面 完整 准确 广泛 快速 深入 加快 积极 大力 不断 持续 进一步 贯彻 落实 利用 培育 实施 "
        "推进 构建 提升 坚持 强化 健全 完善 支持 鼓励 引导 规范 依法 按照 围绕 "
        "的 地 得 和 与 及 以及 或 或者 等 是 在 对 对于 了 将 把 被 并 并且 也 都 而 其 该 此 这 那 "
        "各 每 有 为 以 于 由 从 向 中 上 下 内 外 之 所 应 应当 可以 可 能 不 没有 进行 开展 加强 "
        "推动 促进 相关 有关 方面 问题 工作 情况 主要 重要 一 二 三 第"
    )
)
#: jieba's tags (ICTCLAS) a Chinese candidate's words may have, and those it may end with.
_ZH_WORD_TAGS: Final = frozenset(
    {"n", "nz", "nt", "vn", "an", "j", "l", "a", "b", "v", "ns", "ng", "s"}
)
#: ... and those it may start with: not a verb (实施, 贯彻 start a clause, not a term).
_ZH_FIRST_TAGS: Final = _ZH_WORD_TAGS - {"v"}
_ZH_LAST_TAGS: Final = frozenset({"n", "nz", "nt", "vn", "an", "j", "l", "ng", "v"})
#: A verb this common in general language (Zipf scale: 提供, 增长, 发挥) ends a Chinese run:
#: it is the clause's predicate, not part of a term (可控 in 安全可控 is rarer).
COMMON_VERB_ZIPF: Final = 5.0
_ZH_SINGLE_TAGS: Final = frozenset({"n", "nz", "nt", "vn", "j", "l"})

_EN_WORD_RE: Final = re.compile(r"[^\W\d_][^\W_]*(?:[.'’][^\W_]+)*")
_EN_CLAUSE_RE: Final = re.compile(r"[^,;:()\[\]{}\"“”‘’/|•·–—\n]+")
_SENTENCE_RE: Final = re.compile(r"[^.!?。！？；;\n]+[.!?。！？；;]*")
_ZH_CLAUSE_RE: Final = re.compile(r"[^，、：（）《》“”「」『』,:()\[\]\s]+")


@dataclass(frozen=True)
class Document:
    """A document of the corpus as the radar reads it."""

    id: int
    language: str  # "en", "zh-Hans" or "zh-Hant"
    text: str
    date: dt.date | None = None

    @property
    def group(self) -> str:
        return ZH if self.language.startswith("zh") else EN


@dataclass
class Candidate:
    """A candidate term with what the radar page shows of it."""

    key: str
    text: str
    language: str  # EN or ZH
    count: int = 0
    documents: list[int] = field(default_factory=list)
    first_seen: dt.date | None = None
    #: Occurrences by month ("2024-03"), for documents with a date.
    months: dict[str, int] = field(default_factory=dict)
    #: (document id, sentence), earliest documents first, one per document before a second.
    contexts: list[tuple[int, str]] = field(default_factory=list)
    background: float = FLOOR_FREQUENCY
    score: float = 0.0
    translation: str = ""
    translation_score: float = 0.0


@dataclass(frozen=True)
class Sentence:
    text: str
    #: Each clause's words as (surface, key), in order.
    clauses: tuple[tuple[tuple[str, str], ...], ...]


def sentences(text: str, group: str) -> list[Sentence]:
    """A document's sentences, each cut into clauses of keyed words."""
    found = []
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group().strip()
        if not sentence:
            continue
        if group == EN:
            clauses = tuple(
                tuple((word, _english_word_key(word)) for word in _EN_WORD_RE.findall(clause))
                for clause in _EN_CLAUSE_RE.findall(sentence)
            )
        else:
            clauses = tuple(
                tuple((word, tag) for word, tag in tagged_words(clause) if word.strip())
                for clause in _ZH_CLAUSE_RE.findall(sentence)
                if has_han(clause)
            )
        found.append(Sentence(sentence, tuple(clause for clause in clauses if clause)))
    return found


@lru_cache(maxsize=65536)
def _english_word_key(word: str) -> str:
    return english_key(word)


@lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


@lru_cache(maxsize=65536)
def background_frequency(text: str, group: str) -> float:
    """How often a word or phrase occurs in general language (wordfreq), floored."""
    from wordfreq import word_frequency

    frequency = word_frequency(text, "en" if group == EN else "zh")
    return max(float(frequency), FLOOR_FREQUENCY)


def _english_edge(word: str, key: str) -> bool:
    lower = word.lower()
    if lower in _STOP_WORDS or len(key) < 2 or key.isdigit():
        return False
    return _zipf(lower, "en") < COMMON_ZIPF


def _english_last(word: str) -> bool:
    if word.isupper():
        return True  # an acronym
    lower = word.lower()
    known = lemmas(lower)
    # A gerund ends a term as a noun does: red teaming, fine-tuning.
    return not known or "NOUN" in known or "PROPN" in known or lower.endswith("ing")


def english_phrases(clause: Sequence[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """Every candidate phrase of an English clause: (surface text, key)."""
    for _start, _end, surface, key in english_spans(clause):
        yield surface, key


def english_spans(clause: Sequence[tuple[str, str]]) -> Iterable[tuple[int, int, str, str]]:
    """Every candidate phrase of an English clause: (first word, end word, surface, key)."""
    words = list(clause)
    for start, (first, first_key) in enumerate(words):
        if not _english_edge(first, first_key):
            continue
        for end in range(start + 1, min(start + MAX_WORDS[EN], len(words)) + 1):
            inner = words[start + 1 : end - 1]
            if any(w.lower() in _STOP_WORDS and w.lower() != "of" for w, _key in inner):
                break
            last, last_key = words[end - 1]
            if end - start > 1 and last.lower() == "of":
                continue
            if not _english_edge(last, last_key) or not _english_last(last):
                continue
            surface = " ".join(w for w, _key in words[start:end])
            yield start, end, surface, " ".join(key for _w, key in words[start:end])


def chinese_phrases(clause: Sequence[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """Every candidate phrase of a Chinese clause of (word, tag): (text, key), runs of two to
    four words that may make a term, not starting with a verb; single words come from the
    keywords."""
    for _start, _end, text, key in chinese_spans(clause):
        yield text, key


def chinese_spans(clause: Sequence[tuple[str, str]]) -> Iterable[tuple[int, int, str, str]]:
    """``chinese_phrases`` with each phrase's first and end word: (start, end, text, key).
    A run stops at a function word or a verb (提供, 增长): jieba's verbal nouns (vn) stay."""
    words = list(clause)
    for start in range(len(words)):
        for end in range(start + 2, min(start + MAX_WORDS[ZH], len(words)) + 1):
            run = words[start:end]
            if not all(_chinese_run_word(w, tag) for w, tag in run):
                break
            (first, first_tag), (last, last_tag) = run[0], run[-1]
            if first_tag not in _ZH_FIRST_TAGS or last_tag not in _ZH_LAST_TAGS:
                continue
            if len(first) + len(last) < 3 or (last_tag == "v" and len(last) < 2):
                continue
            text = "".join(w for w, _tag in run)
            if 2 <= len(text) <= 12:
                yield start, end, text, fold(text)


def _chinese_run_word(word: str, tag: str) -> bool:
    """Whether a word may be part of a Chinese candidate: not a function word, not a common
    verb."""
    if not has_han(word) or tag not in _ZH_WORD_TAGS or word in _ZH_STOP_WORDS:
        return False
    return tag != "v" or _zipf(word, "zh") < COMMON_VERB_ZIPF


def _chinese_single(word: str, tag: str) -> bool:
    return (
        len(word) >= 2 and has_han(word) and tag in _ZH_SINGLE_TAGS and word not in _ZH_STOP_WORDS
    )


@dataclass
class _Tally:
    counts: Counter[str] = field(default_factory=Counter)
    surfaces: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    documents: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    contexts: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    #: For each key, how often each longer candidate held it.
    inside: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    words: int = 0
    #: For each key, how many of its occurrences are in a sentence with a glossary term.
    on_topic: Counter[str] = field(default_factory=Counter)
    #: The keys of candidates of two words or more.
    phrases: set[str] = field(default_factory=set)
    #: How often each run of overlapping candidates occurs (the longest phrase holding them).
    runs: Counter[str] = field(default_factory=Counter)


def _context(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= CONTEXT_LENGTH else sentence[: CONTEXT_LENGTH - 1] + "…"


def _add(tally: _Tally, key: str, surface: str, document: Document, sentence: str) -> None:
    tally.counts[key] += 1
    tally.surfaces[key][surface] += 1
    per_document = tally.documents[key]
    first_here = document.id not in per_document
    per_document[document.id] = per_document.get(document.id, 0) + 1
    contexts = tally.contexts[key]
    if first_here and len(contexts) < MAX_CONTEXTS * 2:
        contexts.append((document.id, _context(sentence)))


def tally_document(
    tally: _Tally, document: Document, known: Callable[[str], bool] = lambda key: False
) -> None:
    """Count every candidate phrase of one document (and its words) into ``tally``; ``known``
    tells the glossary's terms, whose presence in a sentence puts its phrases on topic."""
    group = document.group
    single: set[str] = set()
    if group == ZH:
        single = {fold(word) for word, _w in keywords(document.text, top=KEYWORDS_PER_DOCUMENT)}
    for sentence in sentences(document.text, group):
        for clause in sentence.clauses:
            tally.words += len(clause)
            if group == EN:
                spans = list(english_spans(clause))
                tally.phrases.update(key for _s, _e, _surface, key in spans if " " in key)
            else:
                spans = list(chinese_spans(clause))
                tally.phrases.update(key for _s, _e, _surface, key in spans)
                spans += [
                    (index, index + 1, word, fold(word))
                    for index, (word, tag) in enumerate(clause)
                    if _chinese_single(word, tag) and fold(word) in single
                ]
            keys = [key for _s, _e, _surface, key in spans]
            if _mentions_known(clause, group, known):
                tally.on_topic.update(keys)
            for _s, _e, surface, key in spans:
                _add(tally, key, surface, document, sentence.text)
            _tally_nesting(tally, clause, group, spans)


def _tally_nesting(
    tally: _Tally,
    clause: Sequence[tuple[str, str]],
    group: str,
    spans: Sequence[tuple[int, int, str, str]],
) -> None:
    """Record, for each candidate of a clause, the longer phrases it sits inside: the longer
    candidates around it and the whole run of overlapping candidates (新时代 · 中国 · 特色 ·
    社会主义 · 思想 holds 新时代中国特色 and 中国特色社会主义思想, though it is too long to be
    a candidate itself)."""
    runs: list[list[int]] = []
    for start, end, _surface, _key in sorted(spans):
        if runs and start < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    if group == EN:
        word_keys = [key for _word, key in clause]
        joiner = " "
    else:
        word_keys = [fold(word) for word, _tag in clause]
        joiner = ""
    run_keys = {(start, end): joiner.join(word_keys[start:end]) for start, end in runs}
    tally.runs.update(run_keys.values())
    holders = [(start, end, key) for start, end, _surface, key in spans]
    holders += [(start, end, key) for (start, end), key in run_keys.items()]
    for start, end, _surface, key in spans:
        longer = {
            other
            for other_start, other_end, other in holders
            if other_start <= start and end <= other_end and other_end - other_start > end - start
        }
        for other in longer:
            tally.inside[key][other] += 1


def _frequent_holders(tally: _Tally, key: str) -> Counter[str]:
    """The longer phrases holding a candidate that occur at least ``MIN_COUNT`` times (C-value
    counts only the longer candidates, not every accidental neighbour)."""
    return Counter(
        {
            other: times
            for other, times in tally.inside.get(key, Counter()).items()
            if max(tally.counts[other], tally.runs[other]) >= MIN_COUNT
        }
    )


def nested_share(count: int, inside: Counter[str] | None) -> float:
    """C-value's nested-term correction (Frantzi, Ananiadou and Mima) as a share of a
    candidate's count: its count less the mean of its occurrences inside each longer phrase
    that holds it, over its count. A phrase seen only inside one longer phrase scores 0; one
    inside many different longer phrases (a term others build on) keeps most of its count."""
    if count <= 0:
        return 0.0
    if not inside:
        return 1.0
    nested = sum(inside.values()) / len(inside)
    return max(count - nested, 0.0) / count


def domain_words(vocabulary: Iterable[str]) -> dict[str, frozenset[str]]:
    """The domain's vocabulary by language group: the words of the glossary's own terms (its
    keys) that the terms use far more often than general language does, a share of the terms
    at least e ** ``DOMAIN_SPECIFICITY`` times the word's general frequency ("model", 算法;
    not "national" or 发展, which a term or two happen to hold)."""
    terms: dict[str, int] = {EN: 0, ZH: 0}
    using: dict[str, Counter[str]] = {EN: Counter(), ZH: Counter()}
    for key in vocabulary:
        group = ZH if has_han(key) else EN
        terms[group] += 1
        using[group].update(set(candidate_words(key, group)))
    return {
        group: frozenset(
            word
            for word, count in counter.items()
            if math.log(count / terms[group] / background_frequency(word, group))
            >= DOMAIN_SPECIFICITY
        )
        for group, counter in using.items()
    }


def _domain_word(word: str, group: str) -> bool:
    if group == EN:
        return len(word) >= 2 and word not in _STOP_WORDS and not word.isdigit()
    return len(word) >= 2 and has_han(word) and word not in _ZH_STOP_WORDS


def candidate_words(key: str, group: str) -> list[str]:
    """A candidate key's words, as ``domain_words`` cuts the glossary's terms."""
    if group == EN:
        return [word for word in key.split() if _domain_word(word, EN)]
    return [fold(word) for word, _tag in tagged_words(key) if _domain_word(word, ZH)]


def in_domain(key: str, group: str, words: frozenset[str]) -> bool:
    """Whether a candidate shares a word with the glossary's terms: the published terms are the
    domain's vocabulary ("model" in "reasoning model"), so "federal government" is off topic."""
    return any(word in words for word in candidate_words(key, group))


def _mentions_known(
    clause: Sequence[tuple[str, str]], group: str, known: Callable[[str], bool]
) -> bool:
    """Whether a clause holds a glossary term (of up to four words)."""
    keys = [key for _word, key in clause] if group == EN else [fold(w) for w, _tag in clause]
    joiner = " " if group == EN else ""
    return any(
        known(joiner.join(keys[start:end]))
        for start in range(len(keys))
        for end in range(start + 1, min(start + 4, len(keys)) + 1)
    )


def _contains(longer: str, key: str, group: str) -> bool:
    if group == ZH:
        return key in longer
    return f" {key} " in f" {longer} "


def _display(surfaces: Counter[str]) -> str:
    """The commonest spelling, its first letter lowered when only a sentence's start raised it
    (the first word is a dictionary word, the rest is lower case)."""
    best, _count = surfaces.most_common(1)[0]
    first, _space, rest = best.partition(" ")
    if (
        first[:1].isupper()
        and first[1:].islower()
        and rest == rest.lower()
        and lemmas(first.lower())
    ):
        return best[:1].lower() + best[1:]
    return best


def specificity(count: int, words: int, background: float, spread: float) -> float:
    """How specific a candidate is to the corpus: log(corpus rate / general rate) × log(1 +
    count) × (½ + ½ spread); 0 when the corpus uses it no more than general language does."""
    ratio = count / max(words, 1) / background
    if ratio <= 1:
        return 0.0
    return math.log(ratio) * math.log1p(count) * (0.5 + 0.5 * spread)


def looks_like_name(text: str) -> bool:
    """A Title Case phrase with a word the dictionary does not know: a person's or an
    organisation's name (participant lists), not a term."""
    words = text.split()
    return (
        len(words) > 1
        and all(word[:1].isupper() for word in words)
        and any(not word.isupper() and not lemmas(word.lower()) for word in words)
    )


def _known_with_generic_head(key: str, group: str, known: Callable[[str], bool]) -> bool:
    """Whether a phrase is a glossary term and one common word before or after it ("AI
    technologies", 发展人工智能): a free combination, not a new term."""
    language = group_language(group)
    if group == EN:
        words = key.split(" ")
        splits = [(" ".join(words[:-1]), words[-1]), (" ".join(words[1:]), words[0])]
    else:
        splits = [(key[:cut], key[cut:]) for cut in range(2, len(key) - 1)]
        splits += [(key[cut:], key[:cut]) for cut in range(2, len(key) - 1)]
    return any(
        term and known(term) and _zipf(other, language) >= GENERIC_HEAD_ZIPF[group]
        for term, other in splits
    )


def group_language(group: str) -> str:
    return "en" if group == EN else "zh"


def _single_word_allowed(text: str, group: str) -> bool:
    if group == EN and text.isupper() and len(text) >= 2:
        return True
    return _zipf(text.lower(), "en" if group == EN else "zh") < SINGLE_WORD_ZIPF


def rank(
    documents: Sequence[Document],
    *,
    known: Callable[[str], bool] = lambda key: False,
    vocabulary: Iterable[str] = (),
    progress: Callable[[int], None] = lambda done: None,
) -> list[Candidate]:
    """The corpus's candidates, best first; ``known(key)``: whether the glossary has the term.

    ``vocabulary``: the glossary's term keys; a candidate sharing none of their words counts
    for ``1 - DOMAIN_WEIGHT`` of its score (no effect when it is empty). ``progress`` is told
    how many documents have been read.
    """
    vocabulary_words = domain_words(vocabulary)
    tallies = {EN: _Tally(), ZH: _Tally()}
    by_id = {document.id: document for document in documents}
    for done, document in enumerate(documents, 1):
        tally_document(tallies[document.group], document, known)
        progress(done)
    found: list[Candidate] = []
    for group, tally in tallies.items():
        in_group = sum(1 for document in documents if document.group == group)
        for key, count in tally.counts.items():
            if count < MIN_COUNT or not key or known(key):
                continue
            share = nested_share(count, _frequent_holders(tally, key))
            if share < 1 - NESTED_SHARE:
                continue
            candidate = _candidate(group, key, count, tally, by_id, in_group)
            if candidate.score <= 0 or looks_like_name(candidate.text):
                continue
            weight = share
            if vocabulary_words[group] and not in_domain(key, group, vocabulary_words[group]):
                weight *= 1 - DOMAIN_WEIGHT
            candidate.score = round(candidate.score * weight, 3)
            if key not in tally.phrases:
                if not _single_word_allowed(candidate.text, group):
                    continue
                candidate.score = round(candidate.score * SINGLE_WORD_WEIGHT, 3)
            elif _known_with_generic_head(key, group, known):
                continue
            found.append(candidate)
    found.sort(key=lambda candidate: (-candidate.score, candidate.key))
    return found


def _candidate(
    group: str, key: str, count: int, tally: _Tally, by_id: dict[int, Document], in_group: int
) -> Candidate:
    text = _display(tally.surfaces[key])
    background = background_frequency(text, group)
    per_document = tally.documents[key]
    spread = len(per_document) / max(in_group, 1)
    dated = sorted((date, pk) for pk in per_document if (date := by_id[pk].date) is not None)
    months: Counter[str] = Counter()
    for pk, times in per_document.items():
        date = by_id[pk].date
        if date is not None:
            months[f"{date:%Y-%m}"] += times
    order = {pk: index for index, (_date, pk) in enumerate(dated)}
    contexts = sorted(tally.contexts[key], key=lambda item: order.get(item[0], len(order)))
    return Candidate(
        key=key,
        text=text,
        language=group,
        count=count,
        documents=sorted(per_document, key=lambda pk: order.get(pk, len(order))),
        first_seen=dated[0][0] if dated else None,
        months=dict(sorted(months.items())),
        contexts=contexts[:MAX_CONTEXTS],
        background=background,
        score=round(
            specificity(count, tally.words, background, spread)
            * (1 - TOPIC_WEIGHT + TOPIC_WEIGHT * tally.on_topic[key] / count),
            3,
        ),
    )


def unit_keys(text: str, group: str, wanted: set[str]) -> set[str]:
    """The candidate keys in ``wanted`` that a piece of text (an aligned unit) holds."""
    found: set[str] = set()
    for sentence in sentences(text, group):
        for clause in sentence.clauses:
            if group == EN:
                found.update(key for _surface, key in english_phrases(clause))
            else:
                found.update(key for _surface, key in chinese_phrases(clause))
                found.update(fold(word) for word, _tag in clause)
    return found & wanted
