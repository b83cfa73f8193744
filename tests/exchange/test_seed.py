"""The seed glossary: complete, reviewed by both sides, released; it fills an empty glossary
and never changes one that exists."""

import os
import shutil
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from glossary.core import services
from glossary.core.choices import Language, TermStatus, VersionState
from glossary.core.models import (
    Authority,
    Citation,
    Concept,
    ConceptVersion,
    DefinitionKey,
    Domain,
    Event,
    Publication,
    Relation,
    Release,
    ReleaseEntry,
    Rendering,
    Review,
    SearchKey,
    Source,
    TbxEntry,
    Term,
    TermIndexEntry,
    VersionDomain,
)
from glossary.core.services import DraftData
from glossary.exchange import seed
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

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
        Authority.objects.count(),
        Rendering.objects.count(),
    )


def test_seed_loads_through_review_and_a_second_run_changes_nothing(capsys):
    call_command("seed_glossary")
    first = counts()
    published = Concept.objects.published().select_related("public_version")
    assert published.count() >= 150
    assert all(c.public_version.state == VersionState.PUBLISHED for c in published)
    assert not Concept.objects.filter(open_version__isnull=False).exists()
    first_edition, second_edition = Release.objects.order_by("created_at", "id")
    assert (first_edition.name, second_edition.name) == ("2024.1", "2026.1")
    assert second_edition.previous == first_edition
    assert second_edition.entries.count() == published.count()
    changes = dict(
        second_edition.entries.values("change").annotate(n=Count("id")).values_list("change", "n")
    )
    assert changes["changed"] >= 50 and changes["added"] >= 20, changes
    assert first_edition.entries.count() == published.count() - changes["added"]
    # The changelog of 2026.1: a corrected concept (the review's wrong entry) and a new one.
    entries = dict(second_edition.entries.values_list("concept__uid", "change"))
    assert entries["model-safety-evaluation"] == "changed"
    assert entries["open-weight-model"] == "added" and "open-weight-model" not in dict(
        first_edition.entries.values_list("concept__uid", "change")
    )
    assert entries["gpu"] == "unchanged"
    # Its history: version 1 as the first edition had it, version 2 with its change note.
    corrected = Concept.objects.get(uid="model-safety-evaluation")
    old, new = corrected.versions.order_by("number")
    assert (old.state, new.state) == ("superseded", "published")
    assert old.agreement == "partly_agreed" and new.agreement == "agreed"
    note = Event.objects.get(version=new, action="submit").comment
    assert "security assessment" in note
    assert {e.version_id for e in first_edition.entries.filter(concept=corrected)} == {old.pk}
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

    # Authorities' renderings (fixtures/seed/authorities.yaml) came in release 2026.1.
    assert Authority.objects.count() >= 4 and Rendering.objects.count() >= 15
    assert not Rendering.objects.filter(
        version__in=first_edition.entries.values("version")
    ).exists()
    (recommended,) = llm.renderings.filter(authority__key="cn-foreign-terms-committee")
    assert (recommended.term_zh_hans, recommended.status) == ("大型语言模型", "recommended")
    assert recommended.departures({"zh-Hans": "大语言模型"}) == ["zh-Hans"]
    assert "p-cn-loanword-list-16" in {c.source.key for c in llm.citations.all()}


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


# --- The seed never changes a glossary that exists -----------------------------------------

#: What `make run` does before it serves (Makefile: migrate, seed, run), in its order.
SET_UP = [
    ("migrate", "--noinput"),
    ("rebuild_derived", "--if-missing"),
    ("seed_glossary",),
    ("create_demo_users",),
]
#: Every table of the glossary's content, its history, its releases and what is derived from them.
CONTENT = [
    Concept,
    ConceptVersion,
    Term,
    Citation,
    Relation,
    VersionDomain,
    Review,
    Event,
    Release,
    ReleaseEntry,
    Source,
    Domain,
    Authority,
    Rendering,
    SearchKey,
    DefinitionKey,
    TbxEntry,
    TermIndexEntry,
    Publication,
]


def set_up(settings) -> str:
    """Run the set-up steps of `make run` (demo accounts need DEBUG, as under `make run`)."""
    settings.DEBUG = True
    out = StringIO()
    for step in SET_UP:
        call_command(*step, stdout=out)
    return out.getvalue()


def every_row() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in CONTENT}


def edit(concept: Concept, editor, text: str) -> ConceptVersion:
    """A new draft of a published concept with its English definition changed, as an editor."""
    draft = services.draft_start(concept=concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.texts["definition_en"] = text
    return services.draft_update(
        version=draft, user=editor, data=data, expected_revision=draft.revision
    )


def test_setting_up_again_after_edits_keeps_every_version_draft_and_review(settings):
    """Edit and publish one seed concept, leave a draft open on another and a third in review
    with one side's approval; then set up again as `make run` does: nothing changes."""
    set_up(settings)
    users = get_user_model().objects
    editor, us, cn = (users.get(username=n) for n in ("editor", "reviewer-us", "reviewer-cn"))

    genai = Concept.objects.get(uid="generative-ai")
    edited = edit(genai, editor, "Edited by our editor and approved by both sides.")
    services.version_submit(version=edited, user=editor)
    services.version_approve(version=edited, user=us)
    services.version_approve(version=edited, user=cn)
    open_draft = edit(Concept.objects.get(uid="large-language-model"), editor, "Work in progress.")
    in_review = edit(Concept.objects.get(uid="frontier-ai"), editor, "Waiting for China side.")
    services.version_submit(version=in_review, user=editor)
    services.version_approve(version=in_review, user=us)
    releases = set(Release.objects.all())
    before = every_row()

    out = set_up(settings)

    assert every_row() == before
    assert "Nothing to do: the glossary already holds every seed concept." in out
    genai.refresh_from_db()
    published = genai.public_version
    # The seed gave generative AI two versions (2024.1, 2026.1); the editor's is the third.
    assert (published.pk, published.number, published.state) == (edited.pk, 3, "published")
    assert published.definition_en == "Edited by our editor and approved by both sides."
    assert sorted(published.reviews.values_list("reviewer__username", flat=True)) == [
        "reviewer-cn",
        "reviewer-us",
    ]
    assert not genai.versions.filter(number__gt=3).exists()
    open_draft.refresh_from_db()
    in_review.refresh_from_db()
    assert open_draft.state == VersionState.DRAFT
    assert open_draft.concept.open_version_id == open_draft.pk
    assert in_review.state == VersionState.IN_REVIEW
    assert in_review.reviews.get().reviewer == us
    assert set(Release.objects.all()) == releases
    assert {release.name for release in releases} == {"2024.1", "2026.1"}


SMALL_SEED_FILES = {
    "domains.yaml": """
        domains:
          - key: ml
            name: {en: Machine learning, zh_hans: 机器学习, zh_hant: 機器學習}
        """,
    "sources.yaml": """
        sources:
          - {key: book, title: A book, publisher: A press, jurisdiction: US, language: en}
        """,
    "concepts.yaml": """
        concepts:
          - id: neural-network
            domains: [ml]
            terms:
              en: [{text: neural network, status: preferred}]
              zh_hans: [{text: 神经网络, status: preferred}]
              zh_hant: [{text: 神經網路, status: preferred}]
            definition: {en: A network of units., zh_hans: 由单元组成的网络。, zh_hant: 由單元組成的網路。}
            agreement: agreed
            maturity: established
            sources: [{source: book}]
        """,
}
SMALL_SEED = {name: textwrap.dedent(text) for name, text in SMALL_SEED_FILES.items()}
NEW_CONCEPT = """
  - id: deep-learning
    domains: [dl]
    terms:
      en: [{text: deep learning, status: preferred}]
      zh_hans: [{text: 深度学习, status: preferred}]
      zh_hant: [{text: 深度學習, status: preferred}]
    definition: {en: Learning with many layers., zh_hans: 多层学习。, zh_hant: 多層學習。}
    agreement: agreed
    maturity: established
    sources: [{source: paper}]
    related: [{type: broader, concept: neural-network}]
"""


def write_seed(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def test_a_second_load_adds_new_concepts_only_and_changes_nothing_that_exists(tmp_path):
    folder = write_seed(tmp_path / "seed", SMALL_SEED)
    first = seed.load(folder)
    assert first.created == ["neural-network"] and first.releases == [seed.FIRST_RELEASE]
    before = every_row()

    # The files move on: the concept, its domain and its source are reworded, a concept is added.
    changed = {
        name: content.replace("A network of units.", "Reworded in the file.")
        .replace("Machine learning", "Learning by machine")
        .replace("A book", "A renamed book")
        for name, content in SMALL_SEED.items()
    }
    changed["domains.yaml"] += (
        "  - key: dl\n    name: {en: Deep learning, zh_hans: 深度学习, zh_hant: 深度學習}\n"
        "  - key: unused\n    name: {en: Unused, zh_hans: 未用, zh_hant: 未用}\n"
    )
    changed["sources.yaml"] += (
        "  - {key: paper, title: A paper, publisher: A lab, jurisdiction: CN, language: en}\n"
    )
    changed["concepts.yaml"] += NEW_CONCEPT
    second = seed.load(write_seed(folder, changed))

    assert second.created == ["deep-learning"] and second.existing == ["neural-network"]
    assert (second.domains_created, second.sources_created, second.releases) == (1, 1, [])
    after = every_row()
    for table in ("ConceptVersion", "Term", "Review", "Release", "ReleaseEntry"):
        assert [row for row in after[table] if row in before[table]] == before[table], table
    assert after["Source"][: len(before["Source"])] == before["Source"]
    assert after["Domain"][: len(before["Domain"])] == before["Domain"]
    assert not Domain.objects.filter(key="unused").exists()
    network = Concept.objects.get(uid="neural-network")
    assert network.versions.count() == 1
    assert network.public_version.definition_en == "A network of units."
    deep = Concept.objects.get(uid="deep-learning").public_version
    assert [(r.kind, r.target.uid) for r in deep.relations.all()] == [("broader", "neural-network")]
    assert Release.objects.get().entries.count() == 1

    assert not seed.load(folder).changed_anything


def test_no_release_is_cut_into_a_glossary_the_seed_did_not_create(
    tmp_path, editor, reviewer_us, reviewer_cn
):
    factories.make_published(editor, [reviewer_us, reviewer_cn], uid="our-own")
    report = seed.load(write_seed(tmp_path / "seed", SMALL_SEED))
    assert report.created == ["neural-network"] and report.releases == []
    assert not Release.objects.exists()


#: In one process (to save start-ups): `make run`'s set-up, then, as the demo editor and
#: reviewers, publish an edit of a seed concept and open a new draft of it.
SET_UP_AND_EDIT = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
from glossary.core import services
from glossary.core.models import Concept, ConceptVersion
from glossary.core.services import DraftData

for step in STEPS:
    call_command(*step)
users = get_user_model().objects
editor, us, cn = (users.get(username=name) for name in ("editor", "reviewer-us", "reviewer-cn"))
concept = Concept.objects.get(uid="generative-ai")
draft = services.draft_start(concept=concept, user=editor)
data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
data.texts["definition_en"] = "Edited, and approved by both sides."
services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
services.version_submit(version=draft, user=editor)
services.version_approve(version=draft, user=us)
services.version_approve(version=draft, user=cn)
services.draft_start(concept=concept, user=editor)
"""
#: What a restart must keep: every version of every concept, with its state.
VERSIONS = """
from glossary.core.models import ConceptVersion
print(list(ConceptVersion.objects.order_by("pk").values_list("pk", "concept__uid", "state")))
"""


def test_make_run_set_up_twice_in_processes_around_an_edit_and_an_open_draft(tmp_path):
    """`make run`'s set-up commands on a new SQLite file, each its own process; an edit is
    published and a new draft opened on the same seed concept; the commands run again and
    every one succeeds, changing nothing."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'glossary.sqlite3'}",
    }
    env.pop("REDIS_URL", None)

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    assert "Release 2024.1 cut." in manage("shell", "-c", f"STEPS = {SET_UP!r}\n{SET_UP_AND_EDIT}")
    versions = manage("shell", "-c", VERSIONS)
    for state in ("superseded", "published", "draft"):
        assert f"'generative-ai', '{state}')" in versions
    again = "".join(manage(*step) for step in SET_UP)
    assert "Nothing to do" in again and "Derived data complete" in again
    assert manage("shell", "-c", VERSIONS) == versions
