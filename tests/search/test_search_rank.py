"""The search ranks in the database, a page at a time, in the order it used to rank in Python."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from glossary.core.choices import Language, TermStatus
from glossary.core.models import Concept, SearchKey
from glossary.core.services import TermData
from glossary.language import normalise
from glossary.search.keys import LANGUAGE_ORDER, STATUS_ORDER, term_rank
from glossary.search.ranking import (
    _INITIALS_PREFIX_MIN,
    _PINYIN_PLACES,
    _TIER,
    _correctable,
    _one_edit_apart,
    _Query,
    ranked,
    search,
)
from tests import factories
from tests.queries import measure

pytestmark = pytest.mark.django_db

Kind = SearchKey.Kind


def pinyin_place(kind, key, query):
    wanted = {
        Kind.PINYIN: query.pinyin,
        Kind.PINYIN_PART: query.pinyin,
        Kind.TONES: query.tones,
        Kind.INITIALS: query.initials,
    }.get(kind)
    if not wanted or not key.startswith(wanted):
        return None
    exact, prefix = _PINYIN_PLACES[kind]
    if key == wanted:
        return exact
    if kind == Kind.INITIALS and len(wanted) < _INITIALS_PREFIX_MIN:
        return None
    return prefix


def python_ranking(query):
    """The order the search had when it read every key that matches and ranked them in Python:
    (concept, term, match), best first. Definitions aside (no test here needs them)."""
    parsed = _Query.parse(query)
    best = {}
    rows = SearchKey.objects.values_list(
        "concept_id", "term_id", "kind", "key", "term__folded", "term__status",
        "term__language", "term__text",
    )  # fmt: skip
    for concept_id, term_id, kind, key, folded, status, language, text in rows:
        match, place = None, 0
        if kind == Kind.TERM:
            if key == parsed.key:
                match = status
            elif key.startswith(parsed.key):
                match = "prefix"
        elif kind == Kind.PART:
            match = "contains" if key.startswith(parsed.key) else None
        elif kind == Kind.TYPO:
            typo = _correctable(parsed.key) and _one_edit_apart(parsed.key, folded)
            match = "typo" if typo else None
        else:
            place = pinyin_place(kind, key, parsed)
            match = "pinyin" if place is not None else None
        if match is None:
            continue
        rank = (
            _TIER[match],
            place,
            STATUS_ORDER[status],
            len(folded),
            folded != parsed.key or normalise(text) != parsed.typed,
            LANGUAGE_ORDER[language],
            folded,
            concept_id,
        )
        if concept_id not in best or rank < best[concept_id][0]:
            best[concept_id] = (rank, term_id, match)
    ordered = sorted(best.items(), key=lambda item: item[1][0])
    return [(concept_id, term_id, match) for concept_id, (_, term_id, match) in ordered]


@pytest.fixture
def colours(editor, reviewer_us, reviewer_cn):
    """Concepts sharing a common word in every language: whole terms, beginnings, later words,
    pinyin, statuses, Traditional twins, and typos of it."""
    words = ["space", "model", "wheel", "depth", "map", "", "bar", "key", "s"]
    for number, word in enumerate(words):
        for flip in (False, True):
            en = (f"{word} color" if flip else f"color {word}").strip()
            zh = f"{word}颜色" if flip else f"颜色{word}"
            data = factories.complete_data(en=en, zh_hans=zh, zh_hant=zh.replace("颜", "顏"))
            status = [TermStatus.ADMITTED, TermStatus.DEPRECATED][number % 2]
            data.terms += [
                TermData(language=Language.EN, text=f"colour {word}{number}", status=status),
                TermData(
                    language=Language.EN, text="color" if number == 3 else "colr", status=status
                ),
                TermData(language=Language.ZH_HANS, text=f"色彩{word}", status=status),
            ]
            uid = f"c{number}-{int(flip)}"
            factories.make_published(editor, [reviewer_us, reviewer_cn], uid=uid, data=data)
    data = factories.complete_data(en="Color", zh_hans="颜色", zh_hant="顏色")
    factories.make_published(editor, [reviewer_us, reviewer_cn], uid="color", data=data)


QUERIES = [
    "color", "Color", "colors", "colo", "c", "co", "col", "colour", "colr", "color model",
    "model", "s", "颜色", "顏色", "色彩", "色", "yanse", "yán sè", "yan2se4", "ys", "yan",
    "secai", "sc", "no such word",
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_the_database_ranks_as_python_did(colours, query):
    expected = python_ranking(query)
    assert [tuple(hit) for hit in ranked(query, limit=1000)] == expected
    # Any page is the slice of the whole list.
    for size in (1, 4, 7):
        for offset in range(0, len(expected) + size, size):
            page = ranked(query, limit=size, offset=offset)
            assert [tuple(hit) for hit in page] == expected[offset : offset + size], (size, offset)


@pytest.fixture
def crowded(editor, reviewer_us, reviewer_cn):
    """A concept with thirty terms beginning "zeta", all ranking before the others' ones."""
    reviewers = [reviewer_us, reviewer_cn]
    data = factories.complete_data(en="omega a", zh_hans="欧米茄甲", zh_hant="歐米茄甲")
    data.terms += [
        TermData(language=Language.EN, text=f"zeta {n:02d}", status=TermStatus.ADMITTED)
        for n in range(30)
    ]
    factories.make_published(editor, reviewers, uid="a", data=data)
    for uid, term in (("b", "zeta bravo"), ("c", "zeta charlie"), ("d", "zeta delta echo")):
        data = factories.complete_data(en=f"omega {uid}", zh_hans=f"欧米茄{uid}")
        data.terms.append(TermData(language=Language.EN, text=term, status=TermStatus.ADMITTED))
        factories.make_published(editor, reviewers, uid=uid, data=data)
    # Readings that begin "zeta" (泽塔, zé tǎ): matches of the same tier, ranked after those.
    for uid, zh in (("e", "泽塔一"), ("f", "泽塔二"), ("g", "泽塔三"), ("h", "泽塔四")):
        data = factories.complete_data(en=f"omega {uid}", zh_hans=zh, zh_hant=zh)
        factories.make_published(editor, reviewers, uid=uid, data=data)


def test_a_concept_with_many_keys_does_not_hide_the_next(crowded):
    """Each condition is read only as far as a page needs, by rank. Here the first keys read of
    the terms beginning "zeta" all belong to one concept: a page that the readings fill (or
    that is not full) has that condition read again, further."""
    expected = python_ranking("zeta")
    uids = dict(Concept.objects.values_list("pk", "uid"))
    found = [uids[concept] for concept, _term, _match in expected]
    assert found[:4] == [*"abcd"] and sorted(found[4:]) == [*"efgh"]
    for size in (1, 2, 3):
        for offset in range(0, len(expected) + size):
            page = ranked("zeta", limit=size, offset=offset)
            assert [tuple(hit) for hit in page] == expected[offset : offset + size], (size, offset)


def test_a_whole_term_written_as_typed_comes_first(colours):
    assert search("顏色")[0].term.text == "顏色"
    assert search("颜色")[0].term.text == "颜色"
    # Case is not how a term is written: "Color" and "color" are found alike, by concept.
    assert [hit.uid for hit in search("Color")[:3]] == ["c5-0", "c5-1", "color"]


def test_the_rank_orders_status_length_language_key_concept():
    def rank(status, folded, language=Language.EN, concept=1):
        return term_rank(
            concept_id=concept,
            term_id=9,
            status=status,
            language=language,
            folded=folded,
            text=folded,
        )

    assert rank(TermStatus.PREFERRED, "zzz") < rank(TermStatus.ADMITTED, "aa")
    assert rank(TermStatus.ADMITTED, "zz") < rank(TermStatus.ADMITTED, "aaa")
    assert rank(TermStatus.ADMITTED, "zz") < rank(TermStatus.ADMITTED, "aa", Language.ZH_HANS)
    assert rank(TermStatus.ADMITTED, "ab") < rank(TermStatus.ADMITTED, "ac")
    assert rank(TermStatus.ADMITTED, "ab", concept=2) < rank(TermStatus.ADMITTED, "ab", concept=10)


# --- what a common word costs -----------------------------------------------------------------


@pytest.fixture
def common_word(editor, reviewer_us, reviewer_cn):
    """Many concepts whose terms share "color": more than a page of hits."""

    def make(start, stop):
        for i in range(start, stop):
            data = factories.complete_data(en=f"color {i}", zh_hans=f"颜色{i}", zh_hant=f"顏色{i}")
            data.terms.append(
                TermData(language=Language.EN, text=f"base color {i}", status=TermStatus.ADMITTED)
            )
            factories.make_published(editor, [reviewer_us, reviewer_cn], uid=f"c-{i}", data=data)

    return make


def key_rows(measured):
    return [rows for sql, rows in measured if "glossary_searchkey" in sql]


def test_a_page_reads_no_more_keys_than_it_shows(client, common_word):
    common_word(0, 60)
    api = APIClient()
    page = measure(client, "/en/search/?q=color")
    small = measure(api, "/api/v1/concepts/?q=color&page_size=5&page=3")
    common_word(60, 150)  # 300 terms with "color" in English, 450 with 颜色/顏色 and its pinyin
    for query in ("color", "颜色", "yanse"):
        measured = measure(client, f"/en/search/?q={query}")
        assert len(measured) == len(page)
        assert key_rows(measured) == [50], query  # the 50 hits shown, one row each
    measured = measure(api, "/api/v1/concepts/?q=color&page_size=5&page=3")
    assert len(measured) == len(small)
    assert key_rows(measured) == [6]  # the page, and one more to know there is a next
    response = api.get("/api/v1/concepts/?q=color&page_size=5&page=3").json()
    assert [c["uid"] for c in response["results"]] == [f"c-{i}" for i in range(10, 15)]
    assert response["next"] and response["previous"]


def test_api_pages_are_the_search_in_order(common_word):
    common_word(0, 12)
    api = APIClient()
    expected = [hit.uid for hit in search("color")]
    pages = []
    for number in (1, 2, 3):
        response = api.get("/api/v1/concepts/", {"q": "color", "page_size": 5, "page": number})
        assert response.status_code == 200
        pages += [concept["uid"] for concept in response.json()["results"]]
    assert pages == expected
    assert (
        api.get("/api/v1/concepts/", {"q": "color", "page_size": 5, "page": 4}).status_code == 404
    )


def test_keys_without_a_rank_are_rebuilt_if_missing(colours):
    expected = python_ranking("color")
    SearchKey.objects.filter(concept__uid__in=["color", "c3-0"]).update(rank=None)
    out = StringIO()
    with CaptureQueriesContext(connection):
        call_command("rebuild_derived", "--if-missing", "--only", "search", stdout=out)
    assert "for 2 concepts" in out.getvalue()
    assert not SearchKey.objects.filter(rank__isnull=True).exists()
    assert [tuple(hit) for hit in ranked("color", limit=1000)] == expected
    out = StringIO()
    call_command("rebuild_derived", "--if-missing", "--only", "search", stdout=out)
    assert "nothing to rebuild" in out.getvalue()
