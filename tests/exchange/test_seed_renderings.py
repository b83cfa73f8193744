"""Authorities and their renderings in the seed (fixtures/seed/FORMAT.md): ``authorities.yaml``
and a concept's ``renderings:``, loaded through the same review as the rest of the concept, in
the release the renderings came in. Small seeds keep the tests fast; the project's seed is
loaded once in test_seed.py."""

import textwrap

import pytest

from glossary.core.models import Authority, Concept, ConceptVersion, Release, Rendering, Source
from glossary.exchange import seed
from tests.exchange.test_seed_history import FILES, write

pytestmark = pytest.mark.django_db

AUTHORITIES = """
    authorities:
      - key: term-committee
        name: {en: A terminology committee, zh_hans: 名词委员会, zh_hant: 名詞委員會}
        jurisdiction: CN
        kind: terminology
        url: https://example.org/terms/
      - key: unused-standard
        name: {en: A standard, zh_hans: 一项标准, zh_hant: 一項標準}
        jurisdiction: INTL
        kind: standard
    """

SOURCES = """
    sources:
      - {key: book, title: A book, publisher: A press, jurisdiction: US, language: en}
      - {key: term-list, title: A term list, publisher: A committee, jurisdiction: CN, language: zh-Hans, url: "https://example.org/list/"}
    """

#: neural-network came in 2024.1: its renderings come in 2026.1 (earlier: renderings: null).
RENDERING_FIRST = (
    "    renderings:\n"
    "      - authority: term-committee\n"
    "        status: promulgated\n"
    "        terms: {zh_hans: 神经元网络, en: neural network}\n"
    "        definition: 由神经元相连而成的网络\n"
    "        definition_language: zh-Hans\n"
    '        locator: "3.1"\n'
    '        date: "2024-12"\n'
    "        source: term-list\n"
)

#: deep-learning came in 2026.1: its renderings need no earlier text.
RENDERING_NEW = (
    "    renderings:\n"
    "      - {authority: term-committee, status: recommended, terms: {zh_hans: 深度学习},"
    " date: 2024-12-27, source: book}\n"
)


def files_with_renderings() -> dict[str, str]:
    files = dict(FILES)
    files["authorities.yaml"] = AUTHORITIES
    files["sources.yaml"] = SOURCES
    first = textwrap.dedent(files["concepts-first.yaml"])
    old = "    related: [{type: narrower, concept: deep-learning}]\n    earlier:\n"
    assert old in first
    first = first.replace(old, old + "      renderings: null\n", 1)
    anchor = "    sources: [{source: book}]\n    related: [{type: narrower"
    assert anchor in first
    files["concepts-first.yaml"] = first.replace(anchor, RENDERING_FIRST + anchor, 1)
    new = textwrap.dedent(files["concepts-new.yaml"])
    assert "    sources: [{source: book}]\n" in new
    files["concepts-new.yaml"] = new.replace(
        "    sources: [{source: book}]\n", RENDERING_NEW + "    sources: [{source: book}]\n", 1
    )
    return files


def rows() -> tuple[int, int, int, int]:
    return (
        Authority.objects.count(),
        Rendering.objects.count(),
        ConceptVersion.objects.count(),
        Source.objects.count(),
    )


def test_the_small_seed_is_written_as_the_format_says():
    files = files_with_renderings()
    assert "    renderings:\n      - authority: term-committee\n" in files["concepts-first.yaml"]
    assert "    earlier:\n      renderings: null\n" in files["concepts-first.yaml"]


def test_renderings_come_in_the_last_release_through_review_and_twice_changes_nothing(
    tmp_path, client
):
    folder = write(tmp_path / "seed", files_with_renderings())
    report = seed.load(folder)

    assert report.authorities_created == 2  # a new glossary gets every authority of the seed
    committee = Authority.objects.get(key="term-committee")
    assert (committee.name_en, committee.name_zh_hans, committee.name_zh_hant) == (
        "A terminology committee",
        "名词委员会",
        "名詞委員會",
    )
    assert (committee.kind, committee.jurisdiction, committee.url) == (
        "terminology",
        "CN",
        "https://example.org/terms/",
    )

    network = Concept.objects.get(uid="neural-network")
    old, new = ConceptVersion.objects.with_content().filter(concept=network).order_by("number")
    assert not old.renderings.all(), "release 2024.1 held no rendering"
    assert old.state == "superseded" and new.state == "published"
    (rendering,) = new.renderings.all()
    assert (rendering.authority, rendering.status, rendering.term_zh_hans, rendering.term_en) == (
        committee,
        "promulgated",
        "神经元网络",
        "neural network",
    )
    assert (rendering.definition, rendering.definition_language, rendering.locator) == (
        "由神经元相连而成的网络",
        "zh-Hans",
        "3.1",
    )
    assert rendering.date == "2024-12"
    # The rendering's source is cited by the version that records it, with its locator.
    assert [(c.source.key, c.locator) for c in new.citations.all()] == [
        ("book", ""),
        ("term-list", "3.1"),
    ]
    assert [c.source.key for c in old.citations.all()] == ["book"]
    first, second = Release.objects.order_by("created_at", "id")
    assert first.entries.get(concept=network).version_id == old.pk
    assert second.entries.get(concept=network).change == "changed"

    deep = Concept.objects.get(uid="deep-learning").public_version
    (rendering,) = deep.renderings.all()
    assert (rendering.status, rendering.date, rendering.term_zh_hans) == (
        "recommended",
        "2024-12-27",
        "深度学习",
    )
    assert [c.source.key for c in deep.citations.all()] == ["book"]

    # The concept page shows the crosswalk, and where the authority departs from the glossary.
    page = client.get("/en/concepts/neural-network/").content.decode()
    assert "A terminology committee" in page and "神经元网络" in page
    assert "crosswalk-differs" in page
    authority_page = client.get("/en/authorities/term-committee/")
    assert authority_page.status_code == 200
    assert "neural-network" in authority_page.content.decode()

    before = rows()
    again = seed.load(folder)
    assert not again.changed_anything and again.authorities_created == 0
    assert rows() == before


def test_a_glossary_that_exists_gets_only_the_authorities_its_new_concepts_need(tmp_path):
    files = files_with_renderings()
    plain = textwrap.dedent(FILES["concepts-new.yaml"]).replace(
        "    related: [{type: broader, concept: neural-network}]\n", ""
    )
    folder = write(
        tmp_path / "seed",
        dict(FILES, **{"concepts-first.yaml": "concepts: []\n", "concepts-new.yaml": plain}),
    )
    seed.load(folder)
    assert Concept.objects.exists() and not Authority.objects.exists()

    report = seed.load(
        write(
            folder,
            {
                "authorities.yaml": AUTHORITIES,
                "sources.yaml": SOURCES,
                "concepts-first.yaml": files["concepts-first.yaml"],
            },
        )
    )

    assert report.created == ["neural-network", "perceptron"] and report.authorities_created == 1
    assert list(Authority.objects.values_list("key", flat=True)) == ["term-committee"]
    network = Concept.objects.get(uid="neural-network")
    assert network.versions.count() == 1 and network.public_version.renderings.count() == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "authority: term-committee\n        status: promulgated",
            "authority: nobody\n        status: promulgated",
            "neural-network: rendering by unknown authority nobody",
        ),
        (
            "        source: term-list\n",
            "",
            "rendering by term-committee: give the source that shows it",
        ),
        (
            "        source: term-list\n",
            "        source: nowhere\n",
            "rendering by term-committee: give the source that shows it",
        ),
        (
            "      renderings: null\n",
            "",
            "renderings on a concept of 2024.1: say in earlier what it had then",
        ),
        ('date: "2024-12"', "date: December 2024", "December 2024 is not a date"),
        ('locator: "3.1"', "colour: red", r"unknown field\(s\) colour"),
        ("terms: {zh_hans: 神经元网络, en: neural network}", "terms: 神经元网络", "terms: give"),
        ("status: promulgated", "status: decreed", "neural-network"),
        ("terms: {zh_hans: 神经元网络, en: neural network}", "terms: {}", "neural-network"),
    ],
)
def test_a_wrong_rendering_is_refused_with_a_clear_error_and_nothing_changes(
    tmp_path, old, new, message
):
    files = files_with_renderings()
    assert old in files["concepts-first.yaml"], old
    files["concepts-first.yaml"] = files["concepts-first.yaml"].replace(old, new, 1)
    with pytest.raises(seed.SeedError, match=message):
        seed.load(write(tmp_path / "seed", files))
    assert not Concept.objects.exists() and not Authority.objects.exists()
    assert not Rendering.objects.exists() and not Release.objects.exists()


def test_an_authority_without_a_kind_or_a_name_is_refused(tmp_path):
    files = files_with_renderings()
    files["authorities.yaml"] = AUTHORITIES.replace("        kind: terminology\n", "", 1)
    with pytest.raises(seed.SeedError, match="authority term-committee: give its kind"):
        seed.load(write(tmp_path / "seed", files))
    files["authorities.yaml"] = AUTHORITIES.replace(", zh_hant: 名詞委員會", "", 1)
    with pytest.raises(seed.SeedError, match="authority term-committee: name: every language"):
        seed.load(write(tmp_path / "seed", files))
    assert not Authority.objects.exists()
