"""The seed's history (fixtures/seed/FORMAT.md): an empty glossary gets release 2024.1 as the
first edition stood, then release 2026.1 with the corrected concepts as new versions, each with
its change note, and the concepts added since. Small seeds written here keep the tests fast; the
full seed is loaded once in test_seed.py."""

import textwrap
from pathlib import Path

import pytest

from glossary.core.models import Concept, ConceptVersion, Event, Release, Review, Source
from glossary.exchange import seed

pytestmark = pytest.mark.django_db

NOTE = "Definition corrected: a network of connected units, not of layers (review finding)."

FILES = {
    "domains.yaml": """
        domains:
          - key: ml
            name: {en: Machine learning, zh_hans: 机器学习, zh_hant: 機器學習}
        """,
    "sources.yaml": """
        sources:
          - {key: book, title: A book, publisher: A press, jurisdiction: US, language: en}
        """,
    "releases.yaml": """
        releases:
          - name: "2024.1"
            notes: {en: First edition., zh_hans: 第一版。, zh_hant: 第一版。}
          - name: "2026.1"
            notes: {en: Second edition., zh_hans: 第二版。, zh_hant: 第二版。}
        """,
    "concepts-first.yaml": f"""
        since: "2024.1"
        concepts:
          - id: neural-network
            domains: [ml]
            agreement: agreed
            maturity: established
            terms:
              en: [{{text: neural network, status: preferred}}]
              zh_hans: [{{text: 神经网络, status: preferred}}]
              zh_hant: [{{text: 神經網路, status: preferred}}]
            definition: {{en: A network of connected units., zh_hans: 由相连单元组成的网络。, zh_hant: 由相連單元組成的網路。}}
            sources: [{{source: book}}]
            related: [{{type: narrower, concept: deep-learning}}]
            earlier:
              change_note: "{NOTE}"
              definition: {{en: A network of layers., zh_hans: 由层组成的网络。, zh_hant: 由層組成的網路。}}
              related: null
          - id: perceptron
            domains: [ml]
            agreement: agreed
            maturity: established
            terms:
              en: [{{text: perceptron, status: preferred}}]
              zh_hans: [{{text: 感知机, status: preferred}}]
              zh_hant: [{{text: 感知器, status: preferred}}]
            definition: {{en: A single artificial neuron., zh_hans: 单个人工神经元。, zh_hant: 單一人工神經元。}}
            sources: [{{source: book}}]
        """,
    "concepts-new.yaml": """
        concepts:
          - id: deep-learning
            domains: [ml]
            agreement: agreed
            maturity: established
            terms:
              en: [{text: deep learning, status: preferred}]
              zh_hans: [{text: 深度学习, status: preferred}]
              zh_hant: [{text: 深度學習, status: preferred}]
            definition: {en: Learning with many layers., zh_hans: 多层学习。, zh_hant: 多層學習。}
            sources: [{source: book}]
            related: [{type: broader, concept: neural-network}]
        """,
}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


def test_an_empty_glossary_gets_both_releases_with_history_and_change_notes(tmp_path, client):
    report = seed.load(write(tmp_path / "seed", FILES))

    assert report.releases == ["2024.1", "2026.1"]
    assert report.created == ["neural-network", "perceptron", "deep-learning"]
    assert report.updated == ["neural-network"]
    first, second = Release.objects.order_by("created_at", "id")
    assert (first.name, second.name, second.previous) == ("2024.1", "2026.1", first)
    assert first.notes_zh_hant == "第一版。"
    assert dict(first.entries.values_list("concept__uid", "change")) == {
        "neural-network": "added",
        "perceptron": "added",
    }
    assert dict(second.entries.values_list("concept__uid", "change")) == {
        "neural-network": "changed",
        "perceptron": "unchanged",
        "deep-learning": "added",
    }

    network = Concept.objects.get(uid="neural-network")
    old, new = ConceptVersion.objects.with_content().filter(concept=network).order_by("number")
    assert (old.state, new.state) == ("superseded", "published")
    assert old.definition_en == "A network of layers." and not old.relations.all()
    assert new.definition_en == "A network of connected units."
    assert [(r.kind, r.target.uid) for r in new.relations.all()] == [("narrower", "deep-learning")]
    assert first.entries.get(concept=network).version_id == old.pk
    assert Event.objects.get(version=new, action="submit").comment == NOTE
    # Every version went through the same approval, by a reviewer of each side.
    for version in (old, new):
        assert sorted(Review.objects.filter(version=version).values_list("side", flat=True)) == [
            "cn",
            "us",
        ]

    # The pages show it: the changelog, the history with the change note, the diff.
    changelog = client.get("/en/releases/2026.1/").content.decode()
    assert "neural-network" in changelog and "deep-learning" in changelog
    history = client.get("/en/concepts/neural-network/history/").content.decode()
    assert NOTE in history
    diff = client.get("/en/concepts/neural-network/compare/?from=1&to=2")
    assert diff.status_code == 200
    html = diff.content.decode()
    assert "layers" in html and "connected units" in html

    # A second run changes nothing.
    versions = ConceptVersion.objects.count()
    again = seed.load(tmp_path / "seed")
    assert not again.changed_anything and ConceptVersion.objects.count() == versions


def test_a_concept_missing_from_a_glossary_that_exists_comes_as_it_stands_now(tmp_path):
    files = dict(FILES, **{"concepts-first.yaml": "concepts: []\n"})
    files["concepts-new.yaml"] = textwrap.dedent(files["concepts-new.yaml"]).replace(
        "    related: [{type: broader, concept: neural-network}]\n", ""
    )
    folder = write(tmp_path / "seed", files)
    seed.load(folder)
    releases = list(Release.objects.values_list("pk", flat=True))
    assert Release.objects.get().name == "2026.1"

    report = seed.load(write(folder, {"concepts-first.yaml": FILES["concepts-first.yaml"]}))

    assert report.created == ["neural-network", "perceptron"] and report.releases == []
    network = Concept.objects.get(uid="neural-network")
    assert network.versions.count() == 1
    assert network.public_version.definition_en == "A network of connected units."
    assert list(Release.objects.values_list("pk", flat=True)) == releases


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (f'change_note: "{NOTE}"', "change_note: ''", "earlier needs a change_note"),
        ('since: "2024.1"', 'since: "2023.1"', "since 2023.1 is not a release"),
        ("related: null", "related: null\n      colour: red", r"unknown field\(s\) colour"),
        ("related: null", "definition_en: x", r"unknown field\(s\) definition_en"),
        (
            "      related: null\n",
            "",
            "related concept deep-learning is not in the seed .or comes only in a later release",
        ),
    ],
)
def test_a_wrong_history_is_refused_with_a_clear_error_and_nothing_changes(
    tmp_path, old, new, message
):
    files = dict(FILES)
    text = textwrap.dedent(files["concepts-first.yaml"])
    assert old in text
    files["concepts-first.yaml"] = text.replace(old, new, 1)
    with pytest.raises(seed.SeedError, match=message):
        seed.load(write(tmp_path / "seed", files))
    assert not Concept.objects.exists() and not Source.objects.exists()
    assert not Release.objects.exists()


def test_earlier_is_refused_on_a_concept_of_the_last_release(tmp_path):
    files = dict(FILES)
    files["concepts-first.yaml"] = textwrap.dedent(files["concepts-first.yaml"]).replace(
        'since: "2024.1"', 'since: "2026.1"'
    )
    with pytest.raises(seed.SeedError, match="comes only in 2026.1, the last one"):
        seed.load(write(tmp_path / "seed", files))
    assert not Concept.objects.exists()


def test_every_version_passes_the_completeness_check_of_any_submission(tmp_path):
    """No bypass: a partly agreed concept without either side's usage is refused."""
    files = dict(FILES)
    files["concepts-new.yaml"] = textwrap.dedent(files["concepts-new.yaml"]).replace(
        "agreement: agreed", "agreement: partly_agreed"
    )
    with pytest.raises(seed.SeedError, match="deep-learning: This version cannot be submitted"):
        seed.load(write(tmp_path / "seed", files))
    assert not Concept.objects.exists() and not Release.objects.exists()


def test_the_project_seed_dates_each_concept_in_a_release_it_lists():
    found = seed.read_files()
    names = [item["name"] for _, item in found["releases"]]
    assert names == ["2024.1", "2026.1"]
    since = {item["id"]: str(item.get("since") or names[-1]) for _, item in found["concepts"]}
    assert set(since.values()) <= set(names)
    assert since["artificial-intelligence"] == "2024.1"
    assert since["open-weight-model"] == "2026.1"
    for _filename, item in found["concepts"]:
        if "earlier" in item:
            assert since[item["id"]] == "2024.1", item["id"]
            assert len(str(item["earlier"].get("change_note") or "")) >= 20, item["id"]
