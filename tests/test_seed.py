"""The seed glossary: complete, reviewed by both sides, released, and idempotent."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from glossary.choices import Language, TermStatus, VersionState
from glossary.exchange import seed
from glossary.models import Concept, ConceptVersion, Event, Release, Review, Source

pytestmark = pytest.mark.django_db

#: Terms the 2023 Track II consensus on the digital economy names or relies on.
TRACK_II = [
    "generative-ai",
    "frontier-ai",
    "foundation-model",
    "large-language-model",
    "open-source-model",
    "model-weights",
    "ai-safety",
    "ai-governance",
    "watermarking",
    "content-labelling",
    "deep-synthesis",
    "model-safety-evaluation",
    "red-teaming",
    "alignment",
    "hallucination",
    "algorithmic-recommendation",
    "cross-border-data-flow",
    "data-localisation",
    "personal-information",
    "anonymisation",
    "important-data",
    "critical-information-infrastructure",
    "export-control",
    "advanced-computing-chip",
    "gpu",
    "mature-node-semiconductor",
    "civil-military-fusion",
    "green-lane",
    "whitelist",
]


def counts():
    return (
        ConceptVersion.objects.count(),
        Event.objects.count(),
        Review.objects.count(),
        Release.objects.count(),
        Source.objects.count(),
    )


def test_seed_loads_through_review_and_a_second_run_changes_nothing(capsys):
    call_command("seed_glossary")
    first = counts()
    published = Concept.objects.published().select_related("public_version")
    assert published.count() >= 150
    assert all(c.public_version.state == VersionState.PUBLISHED for c in published)
    assert not Concept.objects.filter(open_version__isnull=False).exists()
    release = Release.objects.get()
    assert release.name == "2024.1"
    assert release.entries.count() == published.count()
    sides = set(Review.objects.values_list("side", flat=True))
    assert sides == {"us", "cn"}

    call_command("seed_glossary")
    assert counts() == first
    assert "Nothing to do" in capsys.readouterr().out

    versions = ConceptVersion.objects.with_content().filter(
        pk__in=published.values("public_version")
    )
    for version in versions:
        preferred = {t.language for t in version.terms.all() if t.status == TermStatus.PREFERRED}
        assert preferred == {Language.EN, Language.ZH_HANS, Language.ZH_HANT}, version
        assert version.definition_en and version.definition_zh_hans and version.definition_zh_hant
        assert version.citations.all(), f"{version} cites no source"
        assert version.domains.all(), f"{version} has no domain"

    uids = set(published.values_list("uid", flat=True))
    assert not set(TRACK_II) - uids

    genai = Concept.objects.get(uid="generative-ai").public_version
    assert genai.preferred("zh-Hans").text == "生成式人工智能"
    assert genai.preferred("zh-Hant").text == "生成式人工智慧"
    assert genai.us_usage_en and genai.cn_usage_en and genai.agreement != "agreed"
    llm = Concept.objects.get(uid="large-language-model").public_version
    texts = {(t.language, t.text): t.status for t in llm.terms.all()}
    assert texts[("zh-Hans", "大语言模型")] == TermStatus.PREFERRED
    assert ("zh-Hans", "大型语言模型") in texts
    assert texts[("en", "LLM")] in (TermStatus.ADMITTED, TermStatus.PREFERRED)
    ai = Concept.objects.get(uid="artificial-intelligence").public_version
    assert ai.preferred("zh-Hant").text == "人工智慧"


def test_broken_seed_is_refused_and_changes_nothing(tmp_path, settings):
    folder = tmp_path / "seed"
    shutil.copytree(seed.SEED_DIR, folder)
    (folder / "zz-broken.yaml").write_text(
        "concepts:\n  - id: broken-one\n    domains: [nowhere]\n    terms: {}\n"
        "    definition: {en: x, zh_hans: x, zh_hant: x}\n    sources: [{source: eo-14110}]\n",
        encoding="utf-8",
    )
    with pytest.raises(seed.SeedError, match="broken-one: unknown domain nowhere"):
        seed.load(folder)
    assert not Concept.objects.exists() and not Source.objects.exists()


def test_unreadable_seed_file_gives_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("concepts: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(seed, "SEED_DIR", tmp_path)
    with pytest.raises(CommandError, match="nothing changed: bad.yaml: not readable YAML"):
        call_command("seed_glossary")
